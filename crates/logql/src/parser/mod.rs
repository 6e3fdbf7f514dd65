//! LogQL's grammar (Loki's `syntax.y`) as winnow parsers: log queries (selector and pipeline),
//! log ranges with `unwrap` and `offset`, range and vector aggregations, binary operators by
//! precedence with their modifiers, `vector()` and `label_replace()`. Errors carry the line and
//! column of the offending token; the checks Loki makes after parsing live in `validate.rs`.

mod lexical;
mod pipeline;

use winnow::combinator::{opt, separated};
use winnow::error::ErrMode;
use winnow::prelude::*;

use crate::LogqlError;
use crate::ast::{
    BinModifier, BinOp, Cardinality, Conversion, Expr, Grouping, LogExpr, LogRange, MatchOp,
    Matcher, MetricExpr, RangeOp, Unwrap, VectorOp,
};
use lexical::{
    PResult, backtrack, cut, duration, ident, keyword, number, peek_ident, peek_sym, string, sym,
    ws,
};
use pipeline::{label_filter, pipeline};

/// Parses a LogQL query into its syntax tree and checks it as Loki does after parsing.
pub fn parse(query: &str) -> Result<Expr, LogqlError> {
    let mut input = query;
    let result = (|input: &mut &str| {
        let expr = expr(input)?;
        ws(input)?;
        if !input.is_empty() {
            return cut(String::new());
        }
        Ok(expr)
    })(&mut input);
    match result {
        Ok(expr) => {
            crate::validate::validate(&expr)?;
            Ok(expr)
        }
        Err(ErrMode::Backtrack(error) | ErrMode::Cut(error)) => {
            let offset = query.len() - input.len();
            let message = error.context().last().cloned().unwrap_or_default();
            Err(syntax_error(query, offset, message))
        }
        Err(ErrMode::Incomplete(_)) => Err(syntax_error(query, query.len(), String::new())),
    }
}

/// The error at `offset`: the message given, or `syntax error: unexpected <token>`.
fn syntax_error(query: &str, offset: usize, message: String) -> LogqlError {
    let mut rest = &query[offset..];
    let _ = ws(&mut rest);
    let at = query.len() - rest.len();
    let before = &query[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let message = if message.is_empty() || !message.starts_with(char::is_alphabetic) {
        format!("syntax error: unexpected {}", describe_token(rest))
    } else if message.starts_with("syntax error") || message.contains(' ') {
        message
    } else {
        format!(
            "syntax error: unexpected {}, expecting {message}",
            describe_token(rest)
        )
    };
    LogqlError::Parse { line, col, message }
}

fn describe_token(rest: &str) -> String {
    let Some(first) = rest.chars().next() else {
        return "$end".to_string();
    };
    if first.is_ascii_alphabetic() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return format!("IDENTIFIER {word}");
    }
    if first.is_ascii_digit() {
        return "NUMBER".to_string();
    }
    if first == '"' || first == '`' {
        return "STRING".to_string();
    }
    let two: String = rest.chars().take(2).collect();
    for op in ["|=", "|~", "|>", "!=", "!~", "!>", "=~", "==", ">=", "<="] {
        if two == op {
            return op.to_string();
        }
    }
    first.to_string()
}

fn expr(input: &mut &str) -> PResult<Expr> {
    // A query whose first token past opening parentheses is `{` is a log query: metric
    // expressions never start with a selector.
    let mut probe = *input;
    while ws(&mut probe).is_ok() && probe.starts_with('(') {
        probe = &probe[1..];
    }
    if probe.starts_with('{') {
        Ok(Expr::Log(log_expr(input)?))
    } else {
        Ok(Expr::Metric(metric_expr(input)?))
    }
}

/// `selector pipeline` or `( log_expr )`.
pub(crate) fn log_expr(input: &mut &str) -> PResult<LogExpr> {
    if peek_sym(input, "(") {
        sym("(").parse_next(input)?;
        let inner = log_expr(input)?;
        expect(input, ")")?;
        return Ok(inner);
    }
    let matchers = selector(input)?;
    let pipeline = pipeline(input)?;
    Ok(LogExpr { matchers, pipeline })
}

/// `text`, or a cut error at the current position.
pub(crate) fn expect(input: &mut &str, text: &'static str) -> PResult<()> {
    match sym(text).parse_next(input) {
        Ok(_) => Ok(()),
        Err(_) => cut(String::new()),
    }
}

/// `{ matcher, … }`.
fn selector(input: &mut &str) -> PResult<Vec<Matcher>> {
    expect(input, "{")?;
    if peek_sym(input, "}") {
        sym("}").parse_next(input)?;
        return Ok(Vec::new());
    }
    let matchers: Vec<Matcher> = separated(1.., matcher, sym(",")).parse_next(input)?;
    expect(input, "}")?;
    Ok(matchers)
}

/// A matcher operator (`=`, `!=`, `=~`, `!~`), not followed by another `=`.
pub(crate) fn match_op(input: &mut &str) -> PResult<MatchOp> {
    ws(input)?;
    for (text, op) in [
        ("=~", MatchOp::Regex),
        ("!~", MatchOp::NotRegex),
        ("!=", MatchOp::NotEqual),
        ("=", MatchOp::Equal),
    ] {
        if input.starts_with(text) && !(text == "=" && input.starts_with("==")) {
            *input = &input[text.len()..];
            return Ok(op);
        }
    }
    backtrack()
}

/// `name op "value"`.
pub(crate) fn matcher(input: &mut &str) -> PResult<Matcher> {
    let name = match ident(input) {
        Ok(name) => name.to_string(),
        Err(_) => return cut(String::new()),
    };
    let Ok(op) = match_op(input) else {
        return cut(String::new());
    };
    let value = match string(input) {
        Ok(value) => value,
        Err(ErrMode::Backtrack(_)) => return cut("STRING"),
        Err(error) => return Err(error),
    };
    Ok(Matcher { name, op, value })
}

/// `by (a, b)` / `without (a)`.
fn grouping(input: &mut &str) -> PResult<Grouping> {
    let without = if keyword("by").parse_next(input).is_ok() {
        false
    } else if keyword("without").parse_next(input).is_ok() {
        true
    } else {
        return backtrack();
    };
    expect(input, "(")?;
    let labels = label_list(input)?;
    expect(input, ")")?;
    Ok(Grouping { without, labels })
}

/// `a, b, c` (possibly empty, before a `)`).
fn label_list(input: &mut &str) -> PResult<Vec<String>> {
    if peek_sym(input, ")") {
        return Ok(Vec::new());
    }
    let labels: Vec<&str> = separated(1.., ident, sym(",")).parse_next(input)?;
    Ok(labels.into_iter().map(str::to_string).collect())
}

/// A metric expression: operands joined by binary operators, by precedence.
pub(crate) fn metric_expr(input: &mut &str) -> PResult<MetricExpr> {
    binary(input, 0)
}

fn bin_op(input: &mut &str) -> Option<(BinOp, usize)> {
    let mut probe = *input;
    ws(&mut probe).ok()?;
    let skipped = input.len() - probe.len();
    for (text, op) in [
        ("==", BinOp::Eq),
        ("!=", BinOp::Ne),
        (">=", BinOp::Ge),
        ("<=", BinOp::Le),
        (">", BinOp::Gt),
        ("<", BinOp::Lt),
        ("+", BinOp::Add),
        ("-", BinOp::Sub),
        ("*", BinOp::Mul),
        ("/", BinOp::Div),
        ("%", BinOp::Mod),
        ("^", BinOp::Pow),
    ] {
        if probe.starts_with(text) {
            return Some((op, skipped + text.len()));
        }
    }
    let word = peek_ident(&mut probe)?;
    let op = match word.to_ascii_lowercase().as_str() {
        "or" => BinOp::Or,
        "and" => BinOp::And,
        "unless" => BinOp::Unless,
        _ => return None,
    };
    Some((op, skipped + word.len()))
}

fn binary(input: &mut &str, min_precedence: u8) -> PResult<MetricExpr> {
    let mut left = operand(input)?;
    while let Some((op, len)) = bin_op(input) {
        if op.precedence() < min_precedence {
            break;
        }
        *input = &input[len..];
        let modifier = bin_modifier(input)?;
        // `^` is right-associative; the others are left-associative.
        let next = if op == BinOp::Pow {
            op.precedence()
        } else {
            op.precedence() + 1
        };
        let right = binary(input, next)?;
        left = MetricExpr::Binary {
            op,
            modifier,
            left: Box::new(left),
            right: Box::new(right),
        };
    }
    Ok(left)
}

fn bin_modifier(input: &mut &str) -> PResult<BinModifier> {
    let mut modifier = BinModifier {
        return_bool: keyword("bool").parse_next(input).is_ok(),
        ..BinModifier::default()
    };
    let on = if keyword("on").parse_next(input).is_ok() {
        Some(true)
    } else if keyword("ignoring").parse_next(input).is_ok() {
        Some(false)
    } else {
        None
    };
    let Some(on) = on else {
        return Ok(modifier);
    };
    expect(input, "(")?;
    modifier.matching = Some((on, label_list(input)?));
    expect(input, ")")?;
    let card = if keyword("group_left").parse_next(input).is_ok() {
        Cardinality::ManyToOne
    } else if keyword("group_right").parse_next(input).is_ok() {
        Cardinality::OneToMany
    } else {
        return Ok(modifier);
    };
    modifier.card = card;
    if peek_sym(input, "(") {
        sym("(").parse_next(input)?;
        modifier.include = label_list(input)?;
        expect(input, ")")?;
    }
    Ok(modifier)
}

fn operand(input: &mut &str) -> PResult<MetricExpr> {
    ws(input)?;
    if peek_sym(input, "(") {
        sym("(").parse_next(input)?;
        let inner = metric_expr(input)?;
        expect(input, ")")?;
        return Ok(inner);
    }
    if input.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Ok(MetricExpr::Literal(number(input)?));
    }
    if input.starts_with(['-', '+']) {
        let negative = input.starts_with('-');
        *input = &input[1..];
        if !input.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return cut(String::new());
        }
        let value = number(input)?;
        return Ok(MetricExpr::Literal(if negative { -value } else { value }));
    }
    let start = *input;
    let Ok(word) = ident(input) else {
        return cut(String::new());
    };
    let lower = word.to_ascii_lowercase();
    if let Some(op) = RangeOp::ALL.into_iter().find(|op| op.name() == lower) {
        return range_aggregation(input, op);
    }
    if let Some(op) = VectorOp::ALL.into_iter().find(|op| op.name() == lower) {
        return vector_aggregation(input, op);
    }
    match lower.as_str() {
        "vector" => {
            expect(input, "(")?;
            ws(input)?;
            let value = number(input)?;
            expect(input, ")")?;
            Ok(MetricExpr::Vector(value))
        }
        "label_replace" => {
            expect(input, "(")?;
            let inner = metric_expr(input)?;
            let mut args = Vec::new();
            for _ in 0..4 {
                expect(input, ",")?;
                args.push(expect_string(input)?);
            }
            expect(input, ")")?;
            let [dst, replacement, src, regex] =
                <[String; 4]>::try_from(args).map_err(|_| ErrMode::Cut(lexical::Error::new()))?;
            Ok(MetricExpr::LabelReplace {
                inner: Box::new(inner),
                dst,
                replacement,
                src,
                regex,
            })
        }
        _ => {
            *input = start;
            cut(String::new())
        }
    }
}

/// A string, or a cut error.
pub(crate) fn expect_string(input: &mut &str) -> PResult<String> {
    match string(input) {
        Ok(value) => Ok(value),
        Err(ErrMode::Backtrack(_)) => cut("STRING"),
        Err(error) => Err(error),
    }
}

fn range_aggregation(input: &mut &str, op: RangeOp) -> PResult<MetricExpr> {
    expect(input, "(")?;
    ws(input)?;
    let param = if input.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        let value = number(input)?;
        expect(input, ",")?;
        Some(value)
    } else {
        None
    };
    let range = log_range(input)?;
    expect(input, ")")?;
    let grouping = opt(grouping).parse_next(input)?;
    Ok(MetricExpr::RangeAggregation {
        op,
        param,
        range,
        grouping,
    })
}

fn vector_aggregation(input: &mut &str, op: VectorOp) -> PResult<MetricExpr> {
    let before = opt(grouping).parse_next(input)?;
    expect(input, "(")?;
    ws(input)?;
    let mut probe = *input;
    let param = if input.starts_with(|c: char| c.is_ascii_digit())
        && lexical::number_text(&mut probe).is_ok()
        && peek_sym(&mut probe, ",")
    {
        let text = lexical::number_text(input)?;
        expect(input, ",")?;
        match text.parse::<i64>() {
            Ok(k) => Some(k),
            Err(_) => return cut(format!("invalid parameter {}({text},", op.name())),
        }
    } else {
        None
    };
    let inner = metric_expr(input)?;
    expect(input, ")")?;
    let after = if before.is_none() {
        opt(grouping).parse_next(input)?
    } else {
        None
    };
    Ok(MetricExpr::VectorAggregation {
        op,
        param,
        inner: Box::new(inner),
        grouping: before.or(after),
    })
}

/// `[5m]` as nanoseconds.
fn range(input: &mut &str) -> PResult<i64> {
    sym("[").parse_next(input)?;
    let Some(end) = input.find(']') else {
        return cut("missing closing ']' in duration");
    };
    let text = &input[..end];
    match crate::units::parse_duration(text.trim(), crate::units::DurationUnits::Query) {
        Some(ns) => {
            *input = &input[end + 1..];
            Ok(ns)
        }
        None => cut(format!("not a valid duration string: \"{text}\"")),
    }
}

fn offset(input: &mut &str) -> PResult<i64> {
    keyword("offset").parse_next(input)?;
    duration(input)
}

/// `| unwrap [conversion(]label[)]` with its label filters.
fn unwrap(input: &mut &str) -> PResult<Unwrap> {
    let start = *input;
    sym("|").parse_next(input)?;
    if keyword("unwrap").parse_next(input).is_err() {
        *input = start;
        return backtrack();
    }
    let Ok(name) = ident(input) else {
        return cut("IDENTIFIER");
    };
    let conversion = match name {
        "bytes" => Some(Conversion::Bytes),
        "duration" => Some(Conversion::Duration),
        "duration_seconds" => Some(Conversion::DurationSeconds),
        _ => None,
    };
    let (label, conversion) = match conversion {
        Some(conversion) if peek_sym(input, "(") => {
            sym("(").parse_next(input)?;
            let Ok(label) = ident(input) else {
                return cut("IDENTIFIER");
            };
            expect(input, ")")?;
            (label.to_string(), Some(conversion))
        }
        _ => (name.to_string(), None),
    };
    let mut post_filters = Vec::new();
    loop {
        let mut probe = *input;
        if sym("|").parse_next(&mut probe).is_err()
            || probe.starts_with(['=', '~', '>'])
            || (peek_ident(&mut probe).is_none() && !peek_sym(&mut probe, "("))
        {
            break;
        }
        *input = probe;
        post_filters.push(label_filter(input)?);
    }
    Ok(Unwrap {
        label,
        conversion,
        post_filters,
    })
}

/// A log range in any of the orders Loki accepts: `{…} | stages | unwrap x [5m] offset 1h`,
/// `{…}[5m] offset 1h | stages | unwrap x`, `({…} | stages)[5m]`, `({…}[5m])`.
fn log_range(input: &mut &str) -> PResult<LogRange> {
    if peek_sym(input, "(") {
        let start = *input;
        sym("(").parse_next(input)?;
        let mut probe = *input;
        ws(&mut probe)?;
        // `( log_range )`: a range inside the parentheses.
        let mut attempt = *input;
        if let Ok(range) = log_range(&mut attempt)
            && sym(")").parse_next(&mut attempt).is_ok()
        {
            *input = attempt;
            return Ok(range);
        }
        *input = start;
        sym("(").parse_next(input)?;
        let matchers = selector(input)?;
        let pipeline = pipeline(input)?;
        let unwrap = opt(unwrap).parse_next(input)?;
        expect(input, ")")?;
        let range_ns = range_or_cut(input)?;
        let offset_ns = opt(offset).parse_next(input)?.unwrap_or(0);
        return Ok(LogRange {
            log: LogExpr { matchers, pipeline },
            range_ns,
            offset_ns,
            unwrap,
        });
    }
    let matchers = selector(input)?;
    let mut stages = pipeline(input)?;
    let mut unwrap_expr = opt(unwrap).parse_next(input)?;
    let range_ns = range_or_cut(input)?;
    let offset_ns = opt(offset).parse_next(input)?.unwrap_or(0);
    if stages.is_empty() && unwrap_expr.is_none() {
        stages = pipeline(input)?;
        unwrap_expr = opt(unwrap).parse_next(input)?;
    }
    Ok(LogRange {
        log: LogExpr {
            matchers,
            pipeline: stages,
        },
        range_ns,
        offset_ns,
        unwrap: unwrap_expr,
    })
}

fn range_or_cut(input: &mut &str) -> PResult<i64> {
    match range(input) {
        Ok(ns) => Ok(ns),
        Err(ErrMode::Backtrack(_)) => cut("RANGE"),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests;
