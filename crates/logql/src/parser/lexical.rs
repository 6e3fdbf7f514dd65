//! The lexical layer of the LogQL grammar: whitespace and `#` comments, identifiers,
//! keywords (which, as in Loki's lexer, are words only where the grammar expects them),
//! Go-quoted and raw strings, numbers, durations and sizes — as winnow parsers.

use winnow::combinator::{alt, opt, peek};
use winnow::error::{ContextError, ErrMode};
use winnow::prelude::*;
use winnow::token::{any, literal, one_of, take_while};

use crate::units::{DurationUnits, parse_bytes, parse_duration};

/// The parsers' error: its context is the message shown to the user.
pub(crate) type Error = ContextError<String>;
/// A parser's result.
pub(crate) type PResult<T> = Result<T, ErrMode<Error>>;

/// A failure no alternative can recover from, with its message.
pub(crate) fn cut<T>(message: impl Into<String>) -> PResult<T> {
    let mut error = ContextError::new();
    error.push(message.into());
    Err(ErrMode::Cut(error))
}

/// A failure that lets an enclosing alternative try something else.
pub(crate) fn backtrack<T>() -> PResult<T> {
    Err(ErrMode::Backtrack(ContextError::new()))
}

/// Skips whitespace and `#` comments (to the end of the line).
pub(crate) fn ws(input: &mut &str) -> PResult<()> {
    loop {
        let _: &str = take_while(0.., char::is_whitespace).parse_next(input)?;
        if input.starts_with('#') {
            let _: &str = take_while(0.., |c| c != '\n').parse_next(input)?;
        } else {
            return Ok(());
        }
    }
}

/// `text` after optional whitespace.
pub(crate) fn sym<'a>(text: &'static str) -> impl FnMut(&mut &'a str) -> PResult<&'a str> {
    move |input: &mut &'a str| {
        ws(input)?;
        literal(text).parse_next(input)
    }
}

/// Whether the next non-blank text is `text`.
pub(crate) fn peek_sym(input: &mut &str, text: &str) -> bool {
    let mut probe = *input;
    ws(&mut probe).is_ok() && probe.starts_with(text)
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// An identifier (label name, function name, keyword), after optional whitespace.
pub(crate) fn ident<'a>(input: &mut &'a str) -> PResult<&'a str> {
    ws(input)?;
    (one_of(is_ident_start), take_while(0.., is_ident_char))
        .take()
        .parse_next(input)
}

/// The identifier ahead, without consuming it.
pub(crate) fn peek_ident<'a>(input: &mut &'a str) -> Option<&'a str> {
    let mut probe = *input;
    ident(&mut probe).ok()
}

/// The keyword `word` (case-insensitive, a whole word), after optional whitespace.
pub(crate) fn keyword<'a>(word: &'static str) -> impl FnMut(&mut &'a str) -> PResult<&'a str> {
    move |input: &mut &'a str| {
        let start = *input;
        let found = ident(input)?;
        if found.eq_ignore_ascii_case(word) {
            Ok(found)
        } else {
            *input = start;
            backtrack()
        }
    }
}

/// A Go-quoted (`"…"` with escapes) or raw (`` `…` ``) string, unquoted.
pub(crate) fn string(input: &mut &str) -> PResult<String> {
    ws(input)?;
    let quote = peek(any).parse_next(input)?;
    match quote {
        '`' => {
            let _ = any.parse_next(input)?;
            let body: &str = take_while(0.., |c| c != '`').parse_next(input)?;
            if opt(literal("`")).parse_next(input)?.is_none() {
                return cut("literal not terminated");
            }
            Ok(body.to_string())
        }
        '"' => {
            let _ = any.parse_next(input)?;
            let mut out = String::new();
            loop {
                let Some(c) = opt(any).parse_next(input)? else {
                    return cut("literal not terminated");
                };
                match c {
                    '"' => return Ok(out),
                    '\n' => return cut("literal not terminated"),
                    '\\' => out.push(escape(input)?),
                    c => out.push(c),
                }
            }
        }
        _ => backtrack(),
    }
}

fn hex_char(input: &mut &str, digits: usize) -> PResult<char> {
    let text: &str = take_while(digits..=digits, |c: char| c.is_ascii_hexdigit())
        .parse_next(input)
        .or_else(|_: ErrMode<Error>| cut("invalid syntax"))?;
    u32::from_str_radix(text, 16)
        .ok()
        .and_then(char::from_u32)
        .map_or_else(|| cut("invalid syntax"), Ok)
}

fn escape(input: &mut &str) -> PResult<char> {
    let Some(c) = opt(any).parse_next(input)? else {
        return cut("literal not terminated");
    };
    Ok(match c {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        '\\' => '\\',
        '"' => '"',
        '\'' => '\'',
        'x' => hex_char(input, 2)?,
        'u' => hex_char(input, 4)?,
        'U' => hex_char(input, 8)?,
        '0'..='7' => {
            let rest: &str = take_while(2..=2, |c: char| ('0'..='7').contains(&c))
                .parse_next(input)
                .or_else(|_: ErrMode<Error>| cut("invalid syntax"))?;
            let value = u32::from_str_radix(&format!("{c}{rest}"), 8).unwrap_or(256);
            if value > 255 {
                return cut("invalid syntax");
            }
            char::from_u32(value).unwrap_or('\u{fffd}')
        }
        _ => return cut("invalid syntax"),
    })
}

/// The text of a decimal number (`12`, `1.5`, `.5`, `2e-3`), after optional whitespace.
pub(crate) fn number_text<'a>(input: &mut &'a str) -> PResult<&'a str> {
    ws(input)?;
    let digits =
        |input: &mut &'a str| take_while(1.., |c: char| c.is_ascii_digit()).parse_next(input);
    let mantissa = alt((
        (
            digits,
            opt(('.', take_while(0.., |c: char| c.is_ascii_digit()))),
        )
            .take(),
        ('.', digits).take(),
    ));
    let exponent = opt((one_of(['e', 'E']), opt(one_of(['+', '-'])), digits));
    (mantissa, exponent).take().parse_next(input)
}

/// A number: a finite `f64`.
pub(crate) fn number(input: &mut &str) -> PResult<f64> {
    let text = number_text(input)?;
    if input.starts_with(is_ident_char) {
        return cut(format!("syntax error: unexpected IDENTIFIER after {text}"));
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => cut(format!(
            "strconv.ParseFloat: parsing \"{text}\": value out of range"
        )),
    }
}

fn is_duration_char(c: char) -> bool {
    c.is_ascii_digit()
        || c == '.'
        || matches!(c, 'n' | 'u' | 'µ' | 'μ' | 'm' | 's' | 'h' | 'd' | 'w' | 'y')
}

fn is_bytes_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || matches!(c, 'B' | 'i' | 'k' | 'K' | 'M' | 'G' | 'T' | 'P')
}

/// A numeric operand of a label filter: a duration, a size or a number, read as Loki's lexer
/// reads them (a number followed by unit letters up to the next blank).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quantity {
    /// Nanoseconds.
    Duration(i64),
    /// Bytes.
    Bytes(u64),
    /// A number.
    Number(f64),
}

/// A [`Quantity`], optionally signed.
pub(crate) fn quantity(input: &mut &str) -> PResult<Quantity> {
    ws(input)?;
    let start = *input;
    let sign: Option<char> = opt(one_of(['-', '+'])).parse_next(input)?;
    let number_start = *input;
    let text = number_text(input)?;
    let after_number = *input;
    let prefix_len = start.len() - after_number.len();
    let unit_run = |allowed: fn(char) -> bool| {
        let len = after_number
            .find(|c: char| !allowed(c))
            .unwrap_or(after_number.len());
        &start[..prefix_len + len]
    };
    if after_number.starts_with(|c: char| is_duration_char(c) && !c.is_ascii_digit() && c != '.') {
        let candidate = unit_run(is_duration_char);
        if let Some(ns) = parse_duration(candidate, DurationUnits::Query) {
            *input = &start[candidate.len()..];
            return Ok(Quantity::Duration(ns));
        }
    }
    if sign != Some('-')
        && after_number.starts_with(|c: char| is_bytes_char(c) && !c.is_ascii_digit() && c != '.')
    {
        let candidate = unit_run(is_bytes_char);
        let digits = &candidate[start.len() - number_start.len()..];
        if let Some(bytes) = parse_bytes(digits) {
            *input = &start[candidate.len()..];
            return Ok(Quantity::Bytes(bytes));
        }
    }
    if input.starts_with(is_ident_char) {
        return cut("syntax error: unexpected IDENTIFIER");
    }
    let value: f64 = text.parse().unwrap_or(f64::NAN);
    if !value.is_finite() {
        return cut(format!(
            "strconv.ParseFloat: parsing \"{text}\": value out of range"
        ));
    }
    Ok(Quantity::Number(if sign == Some('-') {
        -value
    } else {
        value
    }))
}

/// A duration token (`5m`, `1h30m`, `-1s`), as after `offset`.
pub(crate) fn duration(input: &mut &str) -> PResult<i64> {
    ws(input)?;
    let text: &str = (
        opt(one_of(['-', '+'])),
        take_while(1.., |c: char| is_duration_char(c)),
    )
        .take()
        .parse_next(input)?;
    match parse_duration(text, DurationUnits::Query) {
        Some(ns) => Ok(ns),
        None => cut(format!("not a valid duration string: \"{text}\"")),
    }
}
