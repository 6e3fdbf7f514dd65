//! The functions of `line_format`/`label_format` templates: Go's builtins (`and`, `or`, `not`,
//! `eq`…, `len`, `print`, `printf`), Loki's own (`ToUpper`, `Replace`, `regexReplaceAll`,
//! `count`, `urlencode`, `bytes`, `duration`, `unixEpochMillis`, `unixToTime`, `alignLeft`, …)
//! and the sprig ones Loki enables (`lower`, `trunc`, `substr`, `default`, `add`…`divf`,
//! `max`…`minf`, `ceil`/`floor`/`round`, `int`/`float64`, `date`/`toDate`/`now`/`unixEpoch`,
//! `b64enc`/`b64dec`, …). Not supported: `fromJson`, `toDateInZone` with zones other than UTC.

use base64::Engine;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use regex::Regex;

use crate::units::{DurationUnits, parse_bytes, parse_duration};

/// A template value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A time, as nanoseconds since the epoch (UTC).
    Time(i64),
    /// `.`: the label map.
    Labels,
    Nil,
}

/// Go's `%v` of a float (`strconv.FormatFloat(f, 'g', -1, 64)` with Go's exponent form).
pub(crate) fn format_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let exponent = if value == 0.0 {
        0
    } else {
        value.abs().log10().floor() as i32
    };
    if (-4..21).contains(&exponent) {
        return format!("{value}");
    }
    let text = format!("{value:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!(
        "{mantissa}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

impl Value {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Bool(_) => "bool",
            Value::Time(_) => "time.Time",
            Value::Labels => "map[string]string",
            Value::Nil => "nil",
        }
    }

    /// How the value prints.
    pub(crate) fn to_text(&self) -> String {
        match self {
            Value::Str(text) => text.clone(),
            Value::Int(value) => value.to_string(),
            Value::Float(value) => format_float(*value),
            Value::Bool(value) => value.to_string(),
            Value::Time(ns) => DateTime::<Utc>::from_timestamp_nanos(*ns)
                .format("%Y-%m-%d %H:%M:%S%.f +0000 UTC")
                .to_string(),
            Value::Labels => "map[]".to_string(),
            Value::Nil => "<no value>".to_string(),
        }
    }

    /// Go's truth: false, 0, "" and nil are false.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Str(text) => !text.is_empty(),
            Value::Int(value) => *value != 0,
            Value::Float(value) => *value != 0.0,
            Value::Bool(value) => *value,
            Value::Time(_) | Value::Labels => true,
            Value::Nil => false,
        }
    }

    /// sprig's `toInt64`: strings are parsed (0 when they are not integers).
    fn int(&self) -> i64 {
        match self {
            Value::Str(text) => text
                .trim()
                .parse()
                .unwrap_or_else(|_| text.trim().parse::<f64>().map(|f| f as i64).unwrap_or(0)),
            Value::Int(value) => *value,
            Value::Float(value) => *value as i64,
            Value::Bool(value) => i64::from(*value),
            Value::Time(ns) => *ns,
            Value::Labels | Value::Nil => 0,
        }
    }

    /// sprig's `toFloat64`.
    fn float(&self) -> f64 {
        match self {
            Value::Str(text) => text.trim().parse().unwrap_or(0.0),
            Value::Int(value) => *value as f64,
            Value::Float(value) => *value,
            Value::Bool(value) => f64::from(u8::from(*value)),
            Value::Time(ns) => *ns as f64,
            Value::Labels | Value::Nil => 0.0,
        }
    }

    fn time(&self) -> Result<i64, String> {
        match self {
            Value::Time(ns) => Ok(*ns),
            Value::Int(seconds) => Ok(seconds.saturating_mul(1_000_000_000)),
            other => Err(format!("expected time.Time, got {}", other.kind())),
        }
    }
}

fn arity(name: &str, args: &[Value], count: usize) -> Result<(), String> {
    if args.len() == count {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {count} got {}",
            args.len()
        ))
    }
}

fn text(args: &[Value], index: usize) -> String {
    args.get(index).map(Value::to_text).unwrap_or_default()
}

fn compile(regex: &str) -> Result<Regex, String> {
    Regex::new(regex).map_err(|e| e.to_string())
}

fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => a
            .float()
            .partial_cmp(&b.float())
            .ok_or_else(|| "incomparable values".to_string()),
        (Value::Bool(x), Value::Bool(y)) => Ok(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Ok(x.cmp(y)),
        _ => Err("incompatible types for comparison".to_string()),
    }
}

/// Go's `url.QueryEscape`.
fn query_escape(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Go's reference layout (`2006-01-02 15:04:05`) as a chrono format.
fn go_layout(layout: &str) -> String {
    const TOKENS: [(&str, &str); 27] = [
        ("January", "%B"),
        ("Monday", "%A"),
        ("-07:00", "%:z"),
        ("Z07:00", "%:z"),
        ("-0700", "%z"),
        ("2006", "%Y"),
        (".000000000", "%.9f"),
        (".999999999", "%.f"),
        (".000000", "%.6f"),
        (".000", "%.3f"),
        ("Jan", "%b"),
        ("Mon", "%a"),
        ("MST", "%Z"),
        ("01", "%m"),
        ("02", "%d"),
        ("_2", "%e"),
        ("15", "%H"),
        ("03", "%I"),
        ("04", "%M"),
        ("05", "%S"),
        ("06", "%y"),
        ("PM", "%p"),
        ("pm", "%P"),
        ("1", "%-m"),
        ("2", "%-d"),
        ("3", "%-I"),
        ("4", "%-M"),
    ];
    let mut out = String::new();
    let mut rest = layout;
    'outer: while !rest.is_empty() {
        for (token, format) in TOKENS {
            if let Some(after) = rest.strip_prefix(token) {
                out.push_str(format);
                rest = after;
                continue 'outer;
            }
        }
        if let Some(after) = rest.strip_prefix('5') {
            out.push_str("%-S");
            rest = after;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c == '%' {
            out.push_str("%%");
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn format_time(layout: &str, ns: i64) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let time = DateTime::<Utc>::from_timestamp_nanos(ns);
    if write!(out, "{}", time.format(&go_layout(layout))).is_err() {
        return String::new();
    }
    out
}

fn parse_time(layout: &str, value: &str) -> Result<i64, String> {
    let format = go_layout(layout);
    let nanos = |t: DateTime<Utc>| {
        t.timestamp_nanos_opt()
            .ok_or_else(|| "time out of range".to_string())
    };
    if let Ok(time) = DateTime::parse_from_str(value, &format) {
        return nanos(time.with_timezone(&Utc));
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(value, &format) {
        return nanos(time.and_utc());
    }
    if let Ok(date) = NaiveDate::parse_from_str(value, &format) {
        return nanos(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(format!(
        "parsing time \"{value}\" as \"{layout}\": cannot parse"
    ))
}

/// Loki's `unixToTime`: seconds, milliseconds, microseconds or nanoseconds by digit count.
fn unix_to_time(epoch: &str) -> Result<i64, String> {
    let value: i64 = epoch
        .trim()
        .parse()
        .map_err(|_| format!("unable to parse '{epoch}' as a unix epoch"))?;
    Ok(match epoch.trim().len() {
        0..=10 => value.saturating_mul(1_000_000_000),
        11..=13 => value.saturating_mul(1_000_000),
        14..=16 => value.saturating_mul(1_000),
        _ => value,
    })
}

fn pad(count: i64, text: &str, left: bool) -> String {
    let count = usize::try_from(count).unwrap_or(0).min(1 << 16);
    let chars: Vec<char> = text.chars().collect();
    if chars.len() >= count {
        return if left {
            chars[..count].iter().collect()
        } else {
            chars[chars.len() - count..].iter().collect()
        };
    }
    let padding = " ".repeat(count - chars.len());
    if left {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    }
}

fn round(value: f64, places: i64) -> f64 {
    let scale = 10f64.powi(places.clamp(-300, 300) as i32);
    (value * scale).round() / scale
}

fn checked(result: Option<i64>, what: &str) -> Result<Value, String> {
    result
        .map(Value::Int)
        .ok_or_else(|| format!("{what}: integer overflow or division by zero"))
}

/// Calls a template function by name.
pub(crate) fn call(name: &str, args: Vec<Value>) -> Result<Value, String> {
    let a = &args;
    let int_fold = |op: fn(i64, i64) -> Option<i64>| -> Result<Value, String> {
        let mut iter = a.iter();
        let first = iter.next().map(Value::int).unwrap_or(0);
        checked(iter.try_fold(first, |acc, v| op(acc, v.int())), name)
    };
    let float_fold = |op: fn(f64, f64) -> f64| -> Value {
        let mut iter = a.iter();
        let first = iter.next().map(Value::float).unwrap_or(0.0);
        Value::Float(iter.fold(first, |acc, v| op(acc, v.float())))
    };
    Ok(match name {
        // Go's builtins.
        "and" => a
            .iter()
            .find(|v| !v.truthy())
            .or(a.last())
            .cloned()
            .unwrap_or(Value::Nil),
        "or" => a
            .iter()
            .find(|v| v.truthy())
            .or(a.last())
            .cloned()
            .unwrap_or(Value::Nil),
        "not" => Value::Bool(!a.first().is_some_and(Value::truthy)),
        "eq" => {
            let (first, rest) = a.split_first().ok_or("missing argument for comparison")?;
            let mut equal = false;
            for other in rest {
                equal |= compare(first, other)? == std::cmp::Ordering::Equal;
            }
            Value::Bool(equal)
        }
        "ne" | "lt" | "le" | "gt" | "ge" => {
            arity(name, a, 2)?;
            let ordering = compare(&a[0], &a[1])?;
            Value::Bool(match name {
                "ne" => ordering.is_ne(),
                "lt" => ordering.is_lt(),
                "le" => ordering.is_le(),
                "gt" => ordering.is_gt(),
                _ => ordering.is_ge(),
            })
        }
        "len" => Value::Int(text(a, 0).len() as i64),
        "print" => Value::Str(a.iter().map(Value::to_text).collect()),
        "println" => Value::Str(a.iter().map(Value::to_text).collect::<Vec<_>>().join(" ") + "\n"),
        "printf" => {
            let (format, rest) = a.split_first().ok_or("printf: missing format")?;
            Value::Str(super::printf::sprintf(&format.to_text(), rest))
        }
        // Loki's functions (Go's strings package: the subject first).
        "ToLower" | "lower" => Value::Str(text(a, 0).to_lowercase()),
        "ToUpper" | "upper" => Value::Str(text(a, 0).to_uppercase()),
        "title" => Value::Str(
            text(a, 0)
                .split(' ')
                .map(|word| {
                    let mut chars = word.chars();
                    chars
                        .next()
                        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "Replace" => {
            arity(name, a, 4)?;
            let count = a[3].int();
            let (subject, old, new) = (text(a, 0), text(a, 1), text(a, 2));
            Value::Str(if count < 0 {
                subject.replace(&old, &new)
            } else {
                subject.replacen(&old, &new, count as usize)
            })
        }
        "replace" => {
            arity(name, a, 3)?;
            Value::Str(text(a, 2).replace(&text(a, 0), &text(a, 1)))
        }
        "Trim" => Value::Str(
            text(a, 0)
                .trim_matches(|c| text(a, 1).contains(c))
                .to_string(),
        ),
        "TrimLeft" => Value::Str(
            text(a, 0)
                .trim_start_matches(|c| text(a, 1).contains(c))
                .to_string(),
        ),
        "TrimRight" => Value::Str(
            text(a, 0)
                .trim_end_matches(|c| text(a, 1).contains(c))
                .to_string(),
        ),
        "TrimPrefix" => Value::Str(
            text(a, 0)
                .strip_prefix(&text(a, 1))
                .map_or_else(|| text(a, 0), str::to_string),
        ),
        "TrimSuffix" => Value::Str(
            text(a, 0)
                .strip_suffix(&text(a, 1))
                .map_or_else(|| text(a, 0), str::to_string),
        ),
        "TrimSpace" | "trim" => Value::Str(text(a, 0).trim().to_string()),
        "trimAll" => Value::Str(
            text(a, 1)
                .trim_matches(|c| text(a, 0).contains(c))
                .to_string(),
        ),
        "trimPrefix" => Value::Str(
            text(a, 1)
                .strip_prefix(&text(a, 0))
                .map_or_else(|| text(a, 1), str::to_string),
        ),
        "trimSuffix" => Value::Str(
            text(a, 1)
                .strip_suffix(&text(a, 0))
                .map_or_else(|| text(a, 1), str::to_string),
        ),
        "regexReplaceAll" => {
            arity(name, a, 3)?;
            Value::Str(
                compile(&text(a, 0))?
                    .replace_all(&text(a, 1), text(a, 2).as_str())
                    .into_owned(),
            )
        }
        "regexReplaceAllLiteral" => {
            arity(name, a, 3)?;
            let replacement = text(a, 2);
            Value::Str(
                compile(&text(a, 0))?
                    .replace_all(&text(a, 1), regex::NoExpand(&replacement))
                    .into_owned(),
            )
        }
        "count" => {
            arity(name, a, 2)?;
            Value::Int(compile(&text(a, 0))?.find_iter(&text(a, 1)).count() as i64)
        }
        "contains" => Value::Bool(text(a, 1).contains(&text(a, 0))),
        "hasPrefix" => Value::Bool(text(a, 1).starts_with(&text(a, 0))),
        "hasSuffix" => Value::Bool(text(a, 1).ends_with(&text(a, 0))),
        "indent" | "nindent" => {
            arity(name, a, 2)?;
            let padding = " ".repeat(usize::try_from(a[0].int()).unwrap_or(0).min(1 << 12));
            let indented = format!(
                "{padding}{}",
                text(a, 1).replace('\n', &format!("\n{padding}"))
            );
            Value::Str(if name == "nindent" {
                format!("\n{indented}")
            } else {
                indented
            })
        }
        "repeat" => {
            arity(name, a, 2)?;
            let count = usize::try_from(a[0].int()).unwrap_or(0);
            let unit = text(a, 1);
            if count.saturating_mul(unit.len()) > 1 << 20 {
                return Err("repeat: output exceeds 1 MiB".to_string());
            }
            Value::Str(unit.repeat(count))
        }
        "trunc" => {
            arity(name, a, 2)?;
            let chars: Vec<char> = text(a, 1).chars().collect();
            let count = a[0].int();
            let len = chars.len() as i64;
            Value::Str(if count < 0 && len + count > 0 {
                chars[(len + count) as usize..].iter().collect()
            } else if count >= 0 && len > count {
                chars[..count as usize].iter().collect()
            } else {
                chars.iter().collect()
            })
        }
        "substr" => {
            arity(name, a, 3)?;
            let chars: Vec<char> = text(a, 2).chars().collect();
            let len = chars.len() as i64;
            let (start, end) = (a[0].int(), a[1].int());
            let start = start.clamp(0, len) as usize;
            let end = if end < 0 || end > len {
                len as usize
            } else {
                end as usize
            };
            Value::Str(if start <= end {
                chars[start..end].iter().collect()
            } else {
                String::new()
            })
        }
        "alignLeft" | "alignRight" => {
            arity(name, a, 2)?;
            Value::Str(pad(a[0].int(), &text(a, 1), name == "alignLeft"))
        }
        "default" => {
            let (fallback, given) = (a.first().cloned().unwrap_or(Value::Nil), a.get(1));
            match given {
                Some(value) if value.truthy() => value.clone(),
                _ => fallback,
            }
        }
        "urlencode" => Value::Str(query_escape(&text(a, 0))),
        "urldecode" => Value::Str(
            percent_encoding::percent_decode_str(&text(a, 0).replace('+', " "))
                .decode_utf8()
                .map_err(|e| e.to_string())?
                .into_owned(),
        ),
        "b64enc" => Value::Str(base64::engine::general_purpose::STANDARD.encode(text(a, 0))),
        "b64dec" => Value::Str(
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(text(a, 0))
                    .map_err(|e| e.to_string())?,
            )
            .into_owned(),
        ),
        "bytes" => Value::Float(
            parse_bytes(&text(a, 0)).ok_or_else(|| format!("invalid size \"{}\"", text(a, 0)))?
                as f64,
        ),
        "duration" | "duration_seconds" => Value::Float(
            parse_duration(text(a, 0).trim(), DurationUnits::Go)
                .ok_or_else(|| format!("time: invalid duration \"{}\"", text(a, 0)))?
                as f64
                / 1e9,
        ),
        // sprig's arithmetic.
        "int" => Value::Int(a.first().map(Value::int).unwrap_or(0)),
        "float64" => Value::Float(a.first().map(Value::float).unwrap_or(0.0)),
        "add" => int_fold(i64::checked_add)?,
        "sub" => int_fold(i64::checked_sub)?,
        "mul" => int_fold(i64::checked_mul)?,
        "div" => int_fold(i64::checked_div)?,
        "mod" => int_fold(i64::checked_rem)?,
        "max" => int_fold(|x, y| Some(x.max(y)))?,
        "min" => int_fold(|x, y| Some(x.min(y)))?,
        "addf" => float_fold(|x, y| x + y),
        "subf" => float_fold(|x, y| x - y),
        "mulf" => float_fold(|x, y| x * y),
        "divf" => float_fold(|x, y| x / y),
        "maxf" => float_fold(f64::max),
        "minf" => float_fold(f64::min),
        "ceil" => Value::Float(a.first().map(Value::float).unwrap_or(0.0).ceil()),
        "floor" => Value::Float(a.first().map(Value::float).unwrap_or(0.0).floor()),
        "round" => Value::Float(round(
            a.first().map(Value::float).unwrap_or(0.0),
            a.get(1).map(Value::int).unwrap_or(0),
        )),
        // Times.
        "now" => Value::Time(Utc::now().timestamp_nanos_opt().unwrap_or(0)),
        "date" => {
            arity(name, a, 2)?;
            Value::Str(format_time(&text(a, 0), a[1].time()?))
        }
        "toDate" => {
            arity(name, a, 2)?;
            Value::Time(parse_time(&text(a, 0), &text(a, 1))?)
        }
        "toDateInZone" => {
            arity(name, a, 3)?;
            if !matches!(text(a, 1).as_str(), "UTC" | "Etc/UTC" | "") {
                return Err("toDateInZone: only the UTC zone is supported".to_string());
            }
            Value::Time(parse_time(&text(a, 0), &text(a, 2))?)
        }
        "unixEpoch" => Value::Str(
            a.first()
                .ok_or("unixEpoch: missing time")?
                .time()?
                .div_euclid(1_000_000_000)
                .to_string(),
        ),
        "unixEpochMillis" => Value::Int(
            a.first()
                .ok_or("unixEpochMillis: missing time")?
                .time()?
                .div_euclid(1_000_000),
        ),
        "unixEpochNanos" => Value::Int(a.first().ok_or("unixEpochNanos: missing time")?.time()?),
        "unixToTime" => Value::Time(unix_to_time(&text(a, 0))?),
        _ => return Err(format!("function \"{name}\" not defined")),
    })
}
