//! Typed field values and the conversions from raw input to them: numbers written as text
//! (thousands separators, decimal comma), booleans, and timestamps in the formats a mapping
//! names (strftime, RFC 3339, Unix time).
//!
//! Pure functions over one value each; every failure is a reason string that standardisation
//! turns into a `FieldError`. Nothing here knows field names or records.

use std::fmt;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use serde::{Serialize, Serializer};

/// A standardised field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    String(String),
    /// A 64-bit integer.
    Integer(i64),
    /// A finite float (standardisation refuses NaN and infinities).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An instant, in nanoseconds since the Unix epoch (UTC).
    Timestamp(i64),
}

impl Value {
    /// The value as a number, for integers and floats (timestamps are not numbers here: a
    /// comparison or average over them is almost always a mapping mistake).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The value as text, `None` for anything but a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The name of the value's type, as mappings write it (`string`, `integer`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer(_) => "integer",
            Value::Float(_) => "float",
            Value::Bool(_) => "bool",
            Value::Timestamp(_) => "timestamp",
        }
    }
}

impl fmt::Display for Value {
    /// Label values and message templates use this form: strings as they are, numbers as Rust
    /// writes them, timestamps in RFC 3339 (UTC, as many fractional digits as needed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Timestamp(ns) => f.write_str(&telemetryhub_model::format_rfc3339(*ns)),
        }
    }
}

impl Serialize for Value {
    /// JSON's own types; a timestamp as its RFC 3339 text.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::String(s) => serializer.serialize_str(s),
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Float(x) => serializer.serialize_f64(*x),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Timestamp(ns) => {
                serializer.serialize_str(&telemetryhub_model::format_rfc3339(*ns))
            }
        }
    }
}

/// How numbers written as text are read: which character is the decimal mark and which, if
/// any, groups thousands. JSON numbers are read as JSON writes them, whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// `.` or `,`.
    pub decimal: char,
    /// The thousands separator, if the input uses one (`,`, `.`, space, `_`, `'`, or the
    /// no-break spaces U+00A0 and U+202F French typography uses).
    pub thousands: Option<char>,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat {
            decimal: '.',
            thousands: None,
        }
    }
}

/// The thousands separators a mapping may name.
pub(crate) const THOUSANDS_SEPARATORS: [char; 7] = [',', '.', ' ', '_', '\'', '\u{a0}', '\u{202f}'];

/// Rewrites a number written as text into the plain form Rust parses (`-1234.5e3`), checking
/// that separators group digits by three in the integer part only. The grouping check is what
/// makes a wrongly configured decimal mark an error instead of a value 1000 times off.
fn plain_number(text: &str, format: NumberFormat) -> Result<String, String> {
    let t = text.trim();
    let bad = || format!("expected a number, found {t:?}");
    let (sign, body) = match t.strip_prefix(['+', '-']) {
        Some(rest) => (&t[..1], rest),
        None => ("", t),
    };
    // Split off the exponent first: `e` is never a separator.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.find(format.decimal) {
        Some(at) => (
            &mantissa[..at],
            Some(&mantissa[at + format.decimal.len_utf8()..]),
        ),
        None => (mantissa, None),
    };
    let int_digits = match format.thousands {
        Some(sep) if int_part.contains(sep) => {
            let groups: Vec<&str> = int_part.split(sep).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(format!(
                    "expected a number, found {t:?} (its {sep:?} separators do not group digits by three)"
                ));
            }
            groups.concat()
        }
        _ => int_part.to_string(),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let frac = frac_part.unwrap_or("");
    if !digits(&int_digits) || !digits(frac) || (int_digits.is_empty() && frac.is_empty()) {
        return Err(bad());
    }
    let mut out = format!("{sign}{int_digits}");
    if frac_part.is_some() {
        out.push('.');
        out.push_str(if frac.is_empty() { "0" } else { frac });
    }
    if let Some(exp) = exponent {
        let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp_digits.is_empty() || !digits(exp_digits) {
            return Err(bad());
        }
        out.push('e');
        out.push_str(exp);
    }
    Ok(out)
}

/// Reads a float written as text. Refuses NaN and infinities (and their spellings), which
/// analytics cannot average.
pub fn parse_float(text: &str, format: NumberFormat) -> Result<f64, String> {
    let plain = plain_number(text, format)?;
    let value: f64 = plain
        .parse()
        .map_err(|_| format!("expected a number, found {:?}", text.trim()))?;
    finite(value)
}

/// Refuses NaN and infinities.
pub fn finite(value: f64) -> Result<f64, String> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("expected a finite number, found {value}"))
    }
}

/// Reads an integer written as text; `12.0` and `1.2e3` are integers, `12.5` is not.
pub fn parse_integer(text: &str, format: NumberFormat) -> Result<i64, String> {
    let plain = plain_number(text, format)?;
    if let Ok(i) = plain.parse::<i64>() {
        return Ok(i);
    }
    let value: f64 = plain
        .parse()
        .map_err(|_| format!("expected an integer, found {:?}", text.trim()))?;
    integer_from_f64(value).map_err(|_| format!("expected an integer, found {:?}", text.trim()))
}

/// An integral float as an integer; fractions and values outside `i64` are refused.
pub fn integer_from_f64(value: f64) -> Result<i64, String> {
    // 2^63 is exactly representable; every f64 below it in magnitude and integral fits i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.is_finite() && value.fract() == 0.0 && (-LIMIT..LIMIT).contains(&value) {
        Ok(value as i64)
    } else {
        Err(format!("expected an integer, found {value}"))
    }
}

/// Reads a boolean: `true`/`false`, `yes`/`no`, `y`/`n`, `on`/`off`, `1`/`0`, in any case.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "on" | "1" => Ok(true),
        "false" | "no" | "n" | "off" | "0" => Ok(false),
        _ => Err(format!(
            "expected a boolean (true/false, yes/no, 1/0), found {:?}",
            text.trim()
        )),
    }
}

/// One way a timestamp may be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeFormat {
    /// RFC 3339, e.g. `2025-09-05T16:45:26.191702Z` (`rfc3339` in a mapping).
    Rfc3339,
    /// Unix time with its unit guessed from its magnitude, as the rest of TelemetryHub does
    /// (`unix`).
    Unix,
    /// Unix seconds, fractions allowed (`unix_s`).
    UnixSeconds,
    /// Unix milliseconds (`unix_ms`).
    UnixMillis,
    /// Unix microseconds (`unix_us`).
    UnixMicros,
    /// Unix nanoseconds (`unix_ns`).
    UnixNanos,
    /// A chrono strftime format, e.g. `%d-%m-%Y %H:%M:%S%.f` (any other string). Without an
    /// offset in the format, the time is read at the mapping's `utc_offset` (UTC by default).
    Strftime(String),
}

impl TimeFormat {
    /// Reads a format as a mapping writes it; strftime formats are checked here, once.
    pub fn parse(text: &str) -> Result<TimeFormat, String> {
        Ok(match text {
            "rfc3339" => TimeFormat::Rfc3339,
            "unix" => TimeFormat::Unix,
            "unix_s" => TimeFormat::UnixSeconds,
            "unix_ms" => TimeFormat::UnixMillis,
            "unix_us" => TimeFormat::UnixMicros,
            "unix_ns" => TimeFormat::UnixNanos,
            _ => {
                if text.is_empty() {
                    return Err("a timestamp format is empty".to_string());
                }
                if StrftimeItems::new(text).any(|item| matches!(item, Item::Error)) {
                    return Err(format!("{text:?} is not a valid strftime format"));
                }
                TimeFormat::Strftime(text.to_string())
            }
        })
    }

    /// Nanoseconds per unit for the Unix formats with a fixed unit.
    fn unix_scale(&self) -> Option<i64> {
        match self {
            TimeFormat::UnixSeconds => Some(1_000_000_000),
            TimeFormat::UnixMillis => Some(1_000_000),
            TimeFormat::UnixMicros => Some(1_000),
            TimeFormat::UnixNanos => Some(1),
            _ => None,
        }
    }

    /// Whether the format reads numbers (the Unix ones).
    pub fn is_unix(&self) -> bool {
        matches!(self, TimeFormat::Unix) || self.unix_scale().is_some()
    }

    /// Reads a timestamp written as text in this format, to nanoseconds since the epoch.
    pub fn parse_text(&self, text: &str, offset: FixedOffset) -> Result<i64, String> {
        let t = text.trim();
        match self {
            TimeFormat::Rfc3339 => DateTime::parse_from_rfc3339(t)
                .map_err(|e| format!("{t:?} is not RFC 3339: {e}"))
                .and_then(|dt| nanos_of(&dt, t)),
            TimeFormat::Strftime(format) => parse_strftime(t, format, offset),
            _ => {
                if let Ok(i) = t.parse::<i64>() {
                    return self.from_integer(i);
                }
                let plain = plain_number(t, NumberFormat::default())?;
                let value: f64 = plain
                    .parse()
                    .map_err(|_| format!("expected a Unix time, found {t:?}"))?;
                self.from_float(value)
            }
        }
    }

    /// Reads a Unix time given as an integer.
    pub fn from_integer(&self, value: i64) -> Result<i64, String> {
        match self {
            TimeFormat::Unix => {
                telemetryhub_model::timestamp_from_integer(value).map_err(|e| e.to_string())
            }
            _ => match self.unix_scale() {
                Some(scale) => value
                    .checked_mul(scale)
                    .ok_or_else(|| format!("Unix time {value} is out of range")),
                None => Err(format!(
                    "found the number {value}; the field's formats read text (add unix_s, unix_ms, … to read numbers)"
                )),
            },
        }
    }

    /// Reads a Unix time given as a float.
    pub fn from_float(&self, value: f64) -> Result<i64, String> {
        finite(value)?;
        // An integral value is exact as an integer; scaling it as a float would not be.
        if let Ok(i) = integer_from_f64(value) {
            return self.from_integer(i);
        }
        match self {
            TimeFormat::Unix => {
                telemetryhub_model::timestamp_from_number(value).map_err(|e| e.to_string())
            }
            _ => match self.unix_scale() {
                Some(scale) => {
                    let ns = (value * scale as f64).round();
                    // ±2^63 ns: the range an i64 of nanoseconds holds (years 1677 to 2262).
                    if ns.abs() < 9.2e18 {
                        Ok(ns as i64)
                    } else {
                        Err(format!("Unix time {value} is out of range"))
                    }
                }
                None => Err(format!(
                    "found the number {value}; the field's formats read text (add unix_s, unix_ms, … to read numbers)"
                )),
            },
        }
    }
}

/// Reads a strftime-formatted time: with an offset in the format, as written; else a date and
/// time (or a date alone, at midnight) at `offset`.
fn parse_strftime(text: &str, format: &str, offset: FixedOffset) -> Result<i64, String> {
    let mismatch = |e: chrono::ParseError| format!("{text:?} does not match {format:?}: {e}");
    match DateTime::parse_from_str(text, format) {
        Ok(dt) => return nanos_of(&dt, text),
        // "not enough" means the format carries no offset: read it as a local time below.
        Err(e) if e.kind() != chrono::format::ParseErrorKind::NotEnough => {
            return Err(mismatch(e));
        }
        Err(_) => {}
    }
    let naive = match NaiveDateTime::parse_from_str(text, format) {
        Ok(naive) => naive,
        Err(e) if e.kind() == chrono::format::ParseErrorKind::NotEnough => {
            NaiveDate::parse_from_str(text, format)
                .map_err(mismatch)?
                .and_hms_opt(0, 0, 0)
                .ok_or_else(|| format!("{text:?} is out of range"))?
        }
        Err(e) => return Err(mismatch(e)),
    };
    let dt = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| format!("{text:?} is out of range"))?;
    nanos_of(&dt, text)
}

/// An instant in nanoseconds, if it fits (years 1677 to 2262).
fn nanos_of(dt: &DateTime<FixedOffset>, text: &str) -> Result<i64, String> {
    dt.timestamp_nanos_opt()
        .ok_or_else(|| format!("{text:?} is out of range (years 1677 to 2262)"))
}

/// Reads a fixed UTC offset written `+02:00`, `-0530`, `Z` or `UTC`.
pub fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Ok(Utc.fix());
    }
    let bad = || format!("expected a UTC offset such as +02:00, found {t:?}");
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
    let minutes: i32 = digits[2..].parse().map_err(|_| bad())?;
    if hours > 23 || minutes > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).ok_or_else(bad)
}

#[cfg(test)]
mod tests;
