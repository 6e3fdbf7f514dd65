//! Field-level validation shared by every receiver.
//!
//! Each check returns the message for an [`crate::ItemError`]; the caller adds index and field.

use serde_json::Value;
use telemetryhub_model::{parse_timestamp_str, timestamp_from_integer, timestamp_from_number};

use crate::Limits;

/// A service or metric name: 1..=max bytes of ASCII letters, digits and `_ - . : /`, starting with
/// a letter, digit or `_`. Dots and slashes are allowed because OpenTelemetry names use them.
pub fn name(value: &Value, limits: &Limits) -> Result<String, String> {
    let text = value.as_str().ok_or_else(|| expected("a string", value))?;
    check_name(text, limits)?;
    Ok(text.to_string())
}

/// See [`name`]; works on text that is already a string.
pub fn check_name(text: &str, limits: &Limits) -> Result<(), String> {
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if text.len() > limits.max_name_len {
        return Err(format!(
            "is {} bytes long; the limit is {}",
            text.len(),
            limits.max_name_len
        ));
    }
    // Bytes, not chars: every allowed character is ASCII, and any byte of a multi-byte
    // character fails the same tests.
    let first_ok = text
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
    if !first_ok
        || !text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':' | b'/'))
    {
        return Err(format!(
            "{text:?} has characters outside [A-Za-z0-9_.:/-] or does not start with a letter, digit or _"
        ));
    }
    Ok(())
}

/// A label name: like a Prometheus label name, but dots are allowed for OpenTelemetry attributes.
pub fn check_label_name(text: &str, limits: &Limits) -> Result<(), String> {
    if text.is_empty() {
        return Err("label name must not be empty".into());
    }
    if text.len() > limits.max_name_len {
        return Err(format!(
            "label name is {} bytes long; the limit is {}",
            text.len(),
            limits.max_name_len
        ));
    }
    let first_ok = text
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_');
    if !first_ok
        || !text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
    {
        return Err(format!(
            "label name {text:?} must match [A-Za-z_][A-Za-z0-9_.]*"
        ));
    }
    Ok(())
}

/// A free-text value (label value, message): no NUL or other control characters except tab and
/// newline, which would corrupt line-oriented exports.
pub fn check_free_text(text: &str, max_len: usize, what: &str) -> Result<(), String> {
    if text.len() > max_len {
        return Err(format!(
            "{what} is {} bytes long; the limit is {max_len}",
            text.len()
        ));
    }
    // Most text is ASCII without control characters: one pass over the bytes settles it.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return Ok(());
    }
    if let Some(bad) = text
        .chars()
        .find(|c| c.is_control() && *c != '\t' && *c != '\n' && *c != '\r')
    {
        return Err(format!(
            "{what} contains the control character U+{:04X}",
            bad as u32
        ));
    }
    Ok(())
}

/// A sample value: a finite JSON number, or a string holding one.
///
/// NaN and ±Inf are rejected: JSON cannot carry them as numbers, and storing them would make
/// aggregates (sum, avg) silently meaningless.
pub fn finite_value(value: &Value) -> Result<f64, String> {
    let number = match value {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| "is not representable as a 64-bit float".to_string())?,
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("{s:?} is not a number"))?,
        other => return Err(expected("a number", other)),
    };
    if !number.is_finite() {
        return Err("must be finite (NaN and infinities are rejected)".into());
    }
    Ok(number)
}

/// A timestamp: RFC 3339 text or a Unix time in s/ms/µs/ns; absent or null means `now_ns`.
/// It must lie within the limits' window around now.
pub fn timestamp(value: Option<&Value>, now_ns: i64, limits: &Limits) -> Result<i64, String> {
    check_window(parse_timestamp(value, now_ns)?, now_ns, limits)
}

/// A timestamp already in nanoseconds (protocols that say their unit): it must lie within the
/// limits' window around now.
pub fn check_window(ts: i64, now_ns: i64, limits: &Limits) -> Result<i64, String> {
    if ts < 0 {
        return Err("is before 1970".into());
    }
    if ts < now_ns.saturating_sub(limits.max_age_ns) {
        return Err(format!(
            "{} is older than the retention period ({} days); it would be deleted at once",
            telemetryhub_model::format_rfc3339(ts),
            limits.max_age_ns / 86_400_000_000_000
        ));
    }
    if ts > now_ns.saturating_add(limits.max_future_ns) {
        return Err(format!(
            "{} is more than {} s in the future; check the sender's clock",
            telemetryhub_model::format_rfc3339(ts),
            limits.max_future_ns / 1_000_000_000
        ));
    }
    Ok(ts)
}

fn parse_timestamp(value: Option<&Value>, now_ns: i64) -> Result<i64, String> {
    match value {
        None | Some(Value::Null) => Ok(now_ns),
        Some(Value::String(s)) => parse_timestamp_str(s).map_err(|e| e.to_string()),
        Some(Value::Number(n)) => {
            let parsed = if let Some(i) = n.as_i64() {
                timestamp_from_integer(i)
            } else if let Some(u) = n.as_u64() {
                i64::try_from(u)
                    .map_err(|_| telemetryhub_model::TimeError::OutOfRange(u.to_string()))
                    .and_then(timestamp_from_integer)
            } else {
                timestamp_from_number(n.as_f64().unwrap_or(f64::NAN))
            };
            parsed.map_err(|e| e.to_string())
        }
        Some(other) => Err(expected("an RFC 3339 string or a Unix time number", other)),
    }
}

/// A hex identifier of exactly `len` hex digits (trace ids: 32, span ids: 16), lower-cased.
pub fn hex_id(value: &Value, len: usize) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) if s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit()) => {
            Ok(Some(s.to_ascii_lowercase()))
        }
        Value::String(s) => Err(format!("{s:?} is not {len} hexadecimal digits")),
        other => Err(expected("a hex string", other)),
    }
}

/// The message for a value of the wrong JSON type.
pub fn expected(what: &str, got: &Value) -> String {
    let kind = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    format!("must be {what}, got {kind}")
}

/// The media type of a `Content-Type` value, lower-cased, without parameters
/// (`Application/JSON; charset=utf-8` → `application/json`).
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
