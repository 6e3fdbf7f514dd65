//! How users write times and durations, and how TelemetryHub writes them back.
//!
//! Internally every time is an `i64` of nanoseconds since the Unix epoch (valid until 2262), the
//! unit Arrow and Parquet store natively.

use chrono::{DateTime, SecondsFormat, Utc};

/// Nanoseconds in one second.
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Why a time or duration could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text is neither RFC 3339, a Unix time, nor a relative duration.
    #[error(
        "invalid time {0:?}: expected RFC 3339 (2025-09-20T10:00:00Z), Unix seconds/milliseconds/nanoseconds, or a relative duration such as 15m"
    )]
    Unparseable(String),
    /// The time is before 1970 or after 2262 (the range of nanosecond timestamps).
    #[error("time {0} is out of range: must be between 1970-01-01 and 2262-04-11")]
    OutOfRange(String),
    /// The text is not a duration like `30s`, `15m`, `2h`, `7d`, `1w` or `1h30m`.
    #[error(
        "invalid duration {0:?}: expected a number with a unit (ms, s, m, h, d, w), e.g. 15m or 1h30m"
    )]
    BadDuration(String),
}

/// The current wall-clock time in nanoseconds since the Unix epoch.
pub fn now_ns() -> i64 {
    Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX)
}

/// Interprets a Unix time whose unit is guessed from its magnitude.
///
/// Values below 10^11 are seconds (fractions allowed), below 10^14 milliseconds, below 10^17
/// microseconds, and anything larger nanoseconds. The same rule is used by Loki and by most
/// agents, and it is unambiguous for every date between 1973 and 2262.
pub fn timestamp_from_number(value: f64) -> Result<i64, TimeError> {
    if !value.is_finite() || value < 0.0 {
        return Err(TimeError::OutOfRange(value.to_string()));
    }
    let nanos = if value < 1e11 {
        value * 1e9
    } else if value < 1e14 {
        value * 1e6
    } else if value < 1e17 {
        value * 1e3
    } else {
        value
    };
    if nanos >= i64::MAX as f64 {
        return Err(TimeError::OutOfRange(value.to_string()));
    }
    Ok(nanos.round() as i64)
}

/// Interprets an integer Unix time exactly (no float rounding for nanoseconds).
pub fn timestamp_from_integer(value: i64) -> Result<i64, TimeError> {
    if value < 0 {
        return Err(TimeError::OutOfRange(value.to_string()));
    }
    let (factor, limit) = if value < 100_000_000_000 {
        (1_000_000_000, i64::MAX / 1_000_000_000)
    } else if value < 100_000_000_000_000 {
        (1_000_000, i64::MAX / 1_000_000)
    } else if value < 100_000_000_000_000_000 {
        (1_000, i64::MAX / 1_000)
    } else {
        (1, i64::MAX)
    };
    if value > limit {
        return Err(TimeError::OutOfRange(value.to_string()));
    }
    Ok(value * factor)
}

/// Parses an absolute timestamp written as text: RFC 3339 or a (possibly fractional) Unix time.
pub fn parse_timestamp_str(text: &str) -> Result<i64, TimeError> {
    let trimmed = text.trim();
    if let Ok(integer) = trimmed.parse::<i64>() {
        return timestamp_from_integer(integer);
    }
    if let Ok(number) = trimmed.parse::<f64>() {
        if number.is_finite() {
            return timestamp_from_number(number);
        }
        return Err(TimeError::Unparseable(text.to_string()));
    }
    let parsed = match DateTime::parse_from_rfc3339(trimmed) {
        Ok(parsed) => parsed,
        // `2014-02-14 14:30:00` (no offset), as many CSV exports write it: read as UTC.
        Err(_) => chrono::NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S%.f")
            .map_err(|_| TimeError::Unparseable(text.to_string()))?
            .and_utc()
            .fixed_offset(),
    };
    parsed
        .with_timezone(&Utc)
        .timestamp_nanos_opt()
        .filter(|ns| *ns >= 0)
        .ok_or_else(|| TimeError::OutOfRange(text.to_string()))
}

/// Parses a query-parameter time: absolute (see [`parse_timestamp_str`]), `now`, or a duration
/// before `now_ns` such as `15m`, `2h`, `7d` (a leading `-` is allowed: `-15m`).
pub fn parse_time_param(text: &str, now_ns: i64) -> Result<i64, TimeError> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("now") {
        return Ok(now_ns);
    }
    let relative = trimmed.strip_prefix('-').unwrap_or(trimmed);
    if relative.ends_with(|c: char| c.is_ascii_alphabetic())
        && relative.starts_with(|c: char| c.is_ascii_digit())
        && !relative.contains(['T', ':'])
    {
        let back =
            parse_duration(relative).map_err(|_| TimeError::Unparseable(text.to_string()))?;
        return Ok(now_ns.saturating_sub(back).max(0));
    }
    parse_timestamp_str(trimmed)
}

/// Parses a duration such as `500ms`, `30s`, `15m`, `2h`, `7d`, `1w` or `1h30m` into nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, TimeError> {
    let bad = || TimeError::BadDuration(text.to_string());
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if digits_end == 0 {
            return Err(bad());
        }
        let amount: f64 = rest[..digits_end].parse().map_err(|_| bad())?;
        rest = &rest[digits_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit_nanos: f64 = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3_600e9,
            "d" => 86_400e9,
            "w" => 604_800e9,
            "y" => 365.0 * 86_400e9,
            _ => return Err(bad()),
        };
        rest = &rest[unit_end..];
        let nanos = amount * unit_nanos;
        if !nanos.is_finite() || nanos >= i64::MAX as f64 {
            return Err(bad());
        }
        total = total.checked_add(nanos as i64).ok_or_else(bad)?;
    }
    Ok(total)
}

/// Writes a nanosecond timestamp as RFC 3339 in UTC, with as many fractional digits as needed.
pub fn format_rfc3339(ts_ns: i64) -> String {
    DateTime::<Utc>::from_timestamp_nanos(ts_ns).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_758_362_400 * NANOS_PER_SECOND; // 2025-09-20T10:00:00Z

    #[test]
    fn parses_every_absolute_form() {
        assert_eq!(parse_timestamp_str("2025-09-20T10:00:00Z"), Ok(T));
        assert_eq!(parse_timestamp_str("2025-09-20T12:00:00+02:00"), Ok(T));
        assert_eq!(parse_timestamp_str("1758362400"), Ok(T));
        assert_eq!(parse_timestamp_str("1758362400000"), Ok(T));
        assert_eq!(parse_timestamp_str("1758362400000000"), Ok(T));
        assert_eq!(parse_timestamp_str("1758362400000000000"), Ok(T));
        assert_eq!(parse_timestamp_str("1758362400.5"), Ok(T + 500_000_000));
        assert_eq!(parse_timestamp_str("2025-09-20 10:00:00"), Ok(T));
        assert_eq!(
            parse_timestamp_str("2025-09-20 10:00:00.5"),
            Ok(T + 500_000_000)
        );
        assert!(parse_timestamp_str("yesterday").is_err());
        assert!(parse_timestamp_str("-5").is_err());
        assert!(parse_timestamp_str("1900-01-01T00:00:00Z").is_err());
        assert!(parse_timestamp_str("NaN").is_err());
    }

    #[test]
    fn parses_relative_params() {
        let now = T;
        assert_eq!(
            parse_time_param("15m", now),
            Ok(T - 15 * 60 * NANOS_PER_SECOND)
        );
        assert_eq!(
            parse_time_param("-2h", now),
            Ok(T - 2 * 3600 * NANOS_PER_SECOND)
        );
        assert_eq!(parse_time_param("now", now), Ok(T));
        assert_eq!(parse_time_param("2025-09-20T10:00:00Z", now), Ok(T));
        assert!(parse_time_param("15x", now).is_err());
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("30d"), Ok(30 * 86_400 * NANOS_PER_SECOND));
        assert_eq!(parse_duration("1h30m"), Ok(5_400 * NANOS_PER_SECOND));
        assert_eq!(parse_duration("250ms"), Ok(250_000_000));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("h").is_err());
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(format_rfc3339(T), "2025-09-20T10:00:00Z");
        assert_eq!(format_rfc3339(T + 1_000_000), "2025-09-20T10:00:00.001Z");
    }

    proptest::proptest! {
        #[test]
        fn rfc3339_round_trips(ns in 0i64..i64::MAX) {
            proptest::prop_assert_eq!(parse_timestamp_str(&format_rfc3339(ns)), Ok(ns));
        }
    }
}
