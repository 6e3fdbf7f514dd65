//! Typing raw values: an input value to the field's type (with the mapping's number format and
//! the field's timestamp formats), unmapped values as JSON types them, and derived fields.

use chrono::FixedOffset;

use crate::config::{DerivedOp, FieldType};
use crate::input::json_type;
use crate::value::{
    NumberFormat, TimeFormat, Value, finite, integer_from_f64, parse_bool, parse_float,
    parse_integer,
};

/// Types one input value; `None` when it counts as absent.
pub(super) fn type_value(
    kind: FieldType,
    input: &serde_json::Value,
    numbers: NumberFormat,
    formats: &[TimeFormat],
    offset: FixedOffset,
) -> Result<Option<Value>, String> {
    use serde_json::Value as J;
    if input.is_null() {
        return Ok(None);
    }
    if let J::String(text) = input
        && kind != FieldType::String
        && text.trim().is_empty()
    {
        return Ok(None);
    }
    let wrong = || {
        format!(
            "expected {}, found {}",
            match kind {
                FieldType::String => "a string",
                FieldType::Integer => "an integer",
                FieldType::Float => "a number",
                FieldType::Bool => "a boolean",
                FieldType::Timestamp => "a timestamp",
            },
            json_type(input)
        )
    };
    let value = match (kind, input) {
        (_, J::Array(_) | J::Object(_)) => return Err(wrong()),
        (FieldType::String, J::String(s)) => Value::String(s.clone()),
        (FieldType::String, J::Number(n)) => Value::String(n.to_string()),
        (FieldType::String, J::Bool(b)) => Value::String(b.to_string()),
        (FieldType::Integer, J::Number(n)) => Value::Integer(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i,
            (None, Some(f)) if n.is_f64() => integer_from_f64(f)?,
            _ => return Err(format!("the integer {n} is out of range")),
        }),
        (FieldType::Integer, J::String(s)) => Value::Integer(parse_integer(s, numbers)?),
        (FieldType::Float, J::Number(n)) => Value::Float(finite(n.as_f64().ok_or_else(wrong)?)?),
        (FieldType::Float, J::String(s)) => Value::Float(parse_float(s, numbers)?),
        (FieldType::Bool, J::Bool(b)) => Value::Bool(*b),
        (FieldType::Bool, J::Number(n)) => match n.as_i64() {
            Some(0) => Value::Bool(false),
            Some(1) => Value::Bool(true),
            _ => return Err(format!("expected a boolean, found the number {n}")),
        },
        (FieldType::Bool, J::String(s)) => Value::Bool(parse_bool(s)?),
        (FieldType::Timestamp, J::String(s)) => {
            let mut first_error = None;
            for format in formats {
                match format.parse_text(s, offset) {
                    Ok(ns) => return Ok(Some(Value::Timestamp(ns))),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            return Err(match (formats.len(), first_error) {
                (1, Some(e)) => e,
                (_, Some(e)) => format!(
                    "{s:?} matches none of the field's {} formats (first: {e})",
                    formats.len()
                ),
                (_, None) => "the field has no timestamp format".to_string(),
            });
        }
        (FieldType::Timestamp, J::Number(n)) => {
            let format = formats
                .iter()
                .find(|f| f.is_unix())
                .ok_or_else(|| format!("found the number {n}; the field's formats read text (add unix_s, unix_ms, … to read numbers)"))?;
            let ns = match n.as_i64() {
                Some(i) => format.from_integer(i)?,
                None => format.from_float(n.as_f64().ok_or_else(wrong)?)?,
            };
            Value::Timestamp(ns)
        }
        _ => return Err(wrong()),
    };
    Ok(Some(value))
}

/// An unmapped input value as JSON types it; `None` for null.
pub(super) fn untyped(input: &serde_json::Value) -> Option<Value> {
    use serde_json::Value as J;
    Some(match input {
        J::Null => return None,
        J::Bool(b) => Value::Bool(*b),
        J::String(s) => Value::String(s.clone()),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            // serde_json numbers are finite; a u64 beyond i64 becomes a float.
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        J::Array(_) | J::Object(_) => Value::String(input.to_string()),
    })
}

/// Computes a derived field; `Ok(None)` when it is undefined (a ratio over zero).
pub(super) fn derive(op: DerivedOp, args: &[&Value]) -> Result<Option<Value>, String> {
    let number = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| format!("expected a number, found a {}", v.type_name()))
    };
    match op {
        DerivedOp::Copy => Ok(args.first().map(|v| (*v).clone())),
        DerivedOp::Difference => match (args[0], args[1]) {
            (Value::Timestamp(a), Value::Timestamp(b)) => {
                let ns = i128::from(*a) - i128::from(*b);
                Ok(Some(Value::Float(ns as f64 / 1e9)))
            }
            (a, b) => Ok(Some(Value::Float(finite(number(a)? - number(b)?)?))),
        },
        DerivedOp::Ratio => {
            let (a, b) = (number(args[0])?, number(args[1])?);
            if b == 0.0 {
                Ok(None)
            } else {
                Ok(Some(Value::Float(finite(a / b)?)))
            }
        }
    }
}
