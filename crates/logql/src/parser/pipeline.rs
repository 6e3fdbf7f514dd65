//! The pipeline part of the grammar: line filters (with `or` and `ip()`), parsers (`json`,
//! `logfmt`, `regexp`, `pattern`, `unpack`), label filters (string, ip, duration, bytes and
//! number comparisons joined by `and`, `,`, juxtaposition and `or`), `line_format`,
//! `label_format`, `decolorize`, `drop` and `keep`.

use winnow::combinator::separated;
use winnow::error::ErrMode;
use winnow::prelude::*;

use super::lexical::{
    PResult, Quantity, backtrack, cut, ident, keyword, peek_ident, quantity, string, sym, ws,
};
use super::{expect, expect_string, match_op};
use crate::ast::{
    CmpOp, Extraction, LabelFilter, LabelFormat, LineFilter, LineFilterOp, LineFilterValue,
    MatchOp, Matcher, NamedMatcher, Stage,
};

/// Stages up to the first text that is not one (`[`, `)`, `| unwrap`, the end).
pub(crate) fn pipeline(input: &mut &str) -> PResult<Vec<Stage>> {
    let mut stages = Vec::new();
    loop {
        let start = *input;
        match stage(input) {
            Ok(stage) => stages.push(stage),
            Err(ErrMode::Backtrack(_)) => {
                *input = start;
                return Ok(stages);
            }
            Err(error) => return Err(error),
        }
    }
}

fn line_filter_op(input: &mut &str) -> PResult<LineFilterOp> {
    ws(input)?;
    for (text, op) in [
        ("|=", LineFilterOp::Contains),
        ("!=", LineFilterOp::NotContains),
        ("|~", LineFilterOp::Regex),
        ("!~", LineFilterOp::NotRegex),
        ("|>", LineFilterOp::Pattern),
        ("!>", LineFilterOp::NotPattern),
    ] {
        if input.starts_with(text) {
            *input = &input[text.len()..];
            return Ok(op);
        }
    }
    backtrack()
}

fn line_filter_value(input: &mut &str) -> PResult<LineFilterValue> {
    ws(input)?;
    match string(input) {
        Ok(text) => return Ok(LineFilterValue::Text(text)),
        Err(ErrMode::Backtrack(_)) => {}
        Err(error) => return Err(error),
    }
    let start = *input;
    if keyword("ip").parse_next(input).is_ok() && super::lexical::peek_sym(input, "(") {
        expect(input, "(")?;
        let pattern = expect_string(input)?;
        expect(input, ")")?;
        return Ok(LineFilterValue::Ip(pattern));
    }
    *input = start;
    backtrack()
}

fn stage(input: &mut &str) -> PResult<Stage> {
    if let Ok(op) = line_filter_op(input) {
        let first = match line_filter_value(input) {
            Ok(value) => value,
            Err(ErrMode::Backtrack(_)) => return cut("STRING"),
            Err(error) => return Err(error),
        };
        let mut values = vec![first];
        loop {
            let start = *input;
            if keyword("or").parse_next(input).is_err() {
                break;
            }
            match line_filter_value(input) {
                Ok(value) => values.push(value),
                Err(ErrMode::Backtrack(_)) => {
                    *input = start;
                    break;
                }
                Err(error) => return Err(error),
            }
        }
        return Ok(Stage::LineFilter(LineFilter { op, values }));
    }
    sym("|").parse_next(input)?;
    let word = peek_ident(input).unwrap_or("");
    let stage = match word {
        "unwrap" => return backtrack(),
        "json" => {
            keyword("json").parse_next(input)?;
            Stage::Json(extractions(input)?)
        }
        "logfmt" => {
            keyword("logfmt").parse_next(input)?;
            let (mut strict, mut keep_empty) = (false, false);
            loop {
                ws(input)?;
                if let Some(rest) = input.strip_prefix("--strict") {
                    strict = true;
                    *input = rest;
                } else if let Some(rest) = input.strip_prefix("--keep-empty") {
                    keep_empty = true;
                    *input = rest;
                } else {
                    break;
                }
            }
            Stage::Logfmt {
                strict,
                keep_empty,
                extractions: extractions(input)?,
            }
        }
        "regexp" => {
            keyword("regexp").parse_next(input)?;
            Stage::Regexp(expect_string(input)?)
        }
        "pattern" => {
            keyword("pattern").parse_next(input)?;
            Stage::Pattern(expect_string(input)?)
        }
        "unpack" => {
            keyword("unpack").parse_next(input)?;
            Stage::Unpack
        }
        "line_format" => {
            keyword("line_format").parse_next(input)?;
            Stage::LineFormat(expect_string(input)?)
        }
        "decolorize" => {
            keyword("decolorize").parse_next(input)?;
            Stage::Decolorize
        }
        "label_format" => {
            keyword("label_format").parse_next(input)?;
            let formats: Vec<LabelFormat> =
                separated(1.., label_format, sym(",")).parse_next(input)?;
            Stage::LabelFormat(formats)
        }
        "drop" => {
            keyword("drop").parse_next(input)?;
            Stage::Drop(separated(1.., named_matcher, sym(",")).parse_next(input)?)
        }
        "keep" => {
            keyword("keep").parse_next(input)?;
            Stage::Keep(separated(1.., named_matcher, sym(",")).parse_next(input)?)
        }
        _ => match label_filter(input) {
            Ok(filter) => Stage::LabelFilter(filter),
            Err(ErrMode::Backtrack(_)) => return cut(String::new()),
            Err(error) => return Err(error),
        },
    };
    Ok(stage)
}

/// `a="path", b` after `json`/`logfmt`, possibly none.
fn extractions(input: &mut &str) -> PResult<Vec<Extraction>> {
    let mut probe = *input;
    if peek_ident(&mut probe).is_none() {
        return Ok(Vec::new());
    }
    separated(1.., extraction, sym(",")).parse_next(input)
}

fn extraction(input: &mut &str) -> PResult<Extraction> {
    let Ok(name) = ident(input) else {
        return cut("IDENTIFIER");
    };
    let mut probe = *input;
    let expression = if sym("=").parse_next(&mut probe).is_ok() && !probe.starts_with(['=', '~']) {
        *input = probe;
        Some(expect_string(input)?)
    } else {
        None
    };
    Ok(Extraction {
        name: name.to_string(),
        expression,
    })
}

fn label_format(input: &mut &str) -> PResult<LabelFormat> {
    let Ok(dst) = ident(input) else {
        return cut("IDENTIFIER");
    };
    expect(input, "=")?;
    ws(input)?;
    if let Ok(src) = ident(input) {
        return Ok(LabelFormat::Rename {
            dst: dst.to_string(),
            src: src.to_string(),
        });
    }
    Ok(LabelFormat::Template {
        dst: dst.to_string(),
        template: expect_string(input)?,
    })
}

fn named_matcher(input: &mut &str) -> PResult<NamedMatcher> {
    let Ok(name) = ident(input) else {
        return cut("IDENTIFIER");
    };
    let Ok(op) = match_op(input) else {
        return Ok(NamedMatcher::Name(name.to_string()));
    };
    Ok(NamedMatcher::Matcher(Matcher {
        name: name.to_string(),
        op,
        value: expect_string(input)?,
    }))
}

/// A label filter: `or` of `and`s (`and`, `,` or nothing between) of comparisons.
pub(crate) fn label_filter(input: &mut &str) -> PResult<LabelFilter> {
    let mut left = label_filter_and(input)?;
    loop {
        let start = *input;
        if keyword("or").parse_next(input).is_err() {
            return Ok(left);
        }
        match label_filter_and(input) {
            Ok(right) => left = LabelFilter::Or(Box::new(left), Box::new(right)),
            Err(ErrMode::Backtrack(_)) => {
                *input = start;
                return Ok(left);
            }
            Err(error) => return Err(error),
        }
    }
}

fn label_filter_and(input: &mut &str) -> PResult<LabelFilter> {
    let mut left = label_filter_primary(input)?;
    loop {
        let start = *input;
        if keyword("and").parse_next(input).is_err() {
            let _ = sym(",").parse_next(input);
        }
        // `or` binds looser, and ends this conjunction.
        let mut probe = *input;
        if keyword("or").parse_next(&mut probe).is_ok() {
            *input = start;
            return Ok(left);
        }
        match label_filter_primary(input) {
            Ok(right) => left = LabelFilter::And(Box::new(left), Box::new(right)),
            Err(ErrMode::Backtrack(_)) => {
                *input = start;
                return Ok(left);
            }
            Err(error) => return Err(error),
        }
    }
}

fn cmp_op(input: &mut &str) -> PResult<(CmpOp, Option<MatchOp>)> {
    ws(input)?;
    for (text, op, matcher) in [
        ("==", CmpOp::Equal, None),
        ("=~", CmpOp::Equal, Some(MatchOp::Regex)),
        ("!~", CmpOp::NotEqual, Some(MatchOp::NotRegex)),
        ("!=", CmpOp::NotEqual, Some(MatchOp::NotEqual)),
        (">=", CmpOp::GreaterEqual, None),
        ("<=", CmpOp::LessEqual, None),
        (">", CmpOp::Greater, None),
        ("<", CmpOp::Less, None),
        ("=", CmpOp::Equal, Some(MatchOp::Equal)),
    ] {
        if input.starts_with(text) {
            *input = &input[text.len()..];
            return Ok((op, matcher));
        }
    }
    backtrack()
}

fn label_filter_primary(input: &mut &str) -> PResult<LabelFilter> {
    ws(input)?;
    if input.starts_with('(') {
        let start = *input;
        sym("(").parse_next(input)?;
        let inner = match label_filter(input) {
            Ok(inner) => inner,
            Err(ErrMode::Backtrack(_)) => {
                *input = start;
                return backtrack();
            }
            Err(error) => return Err(error),
        };
        expect(input, ")")?;
        return Ok(inner);
    }
    let start = *input;
    let name = ident(input)?.to_string();
    let Ok((op, string_op)) = cmp_op(input) else {
        // Not a comparison: maybe the text after the pipeline (`[5m]`, `offset`, …).
        *input = start;
        return backtrack();
    };
    ws(input)?;
    if input.starts_with(['"', '`']) {
        let Some(string_op) = string_op else {
            return cut("syntax error: unexpected STRING");
        };
        let value = string(input)?;
        return Ok(LabelFilter::Matcher(Matcher {
            name,
            op: string_op,
            value,
        }));
    }
    if matches!(string_op, Some(MatchOp::Equal | MatchOp::NotEqual)) {
        let mut probe = *input;
        if keyword("ip").parse_next(&mut probe).is_ok() {
            *input = probe;
            expect(input, "(")?;
            let pattern = expect_string(input)?;
            expect(input, ")")?;
            return Ok(LabelFilter::Ip {
                name,
                negated: string_op == Some(MatchOp::NotEqual),
                pattern,
            });
        }
    }
    if matches!(string_op, Some(MatchOp::Regex | MatchOp::NotRegex)) {
        return cut("STRING");
    }
    let value = match quantity(input) {
        Ok(value) => value,
        Err(ErrMode::Backtrack(_)) => return cut(String::new()),
        Err(error) => return Err(error),
    };
    Ok(match value {
        Quantity::Duration(value_ns) => LabelFilter::Duration { name, op, value_ns },
        Quantity::Bytes(value) => LabelFilter::Bytes { name, op, value },
        Quantity::Number(value) => LabelFilter::Number { name, op, value },
    })
}
