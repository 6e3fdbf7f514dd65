//! Durations and byte sizes as LogQL reads them: the query's own durations (Prometheus' units
//! `y w d h m s ms` and Go's `h m s ms us µs ns`, fractions allowed), Go's `time.ParseDuration`
//! for label values (`unwrap duration(…)`, duration label filters) and go-humanize's sizes
//! (`5 MB`, `1KiB`) for `bytes(…)` and bytes filters; and the canonical text of a duration.

const NS: i128 = 1;
const US: i128 = 1_000;
const MS: i128 = 1_000_000;
const S: i128 = 1_000_000_000;
const M: i128 = 60 * S;
const H: i128 = 60 * M;
const D: i128 = 24 * H;
const W: i128 = 7 * D;
const Y: i128 = 365 * D;

/// Which units a duration may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnits {
    /// Go's `time.ParseDuration`: `ns us µs ms s m h`.
    Go,
    /// A query's durations: Go's units and Prometheus' `d w y`.
    Query,
}

fn unit_ns(unit: &str, units: DurationUnits) -> Option<i128> {
    Some(match unit {
        "ns" => NS,
        "us" | "µs" | "μs" => US,
        "ms" => MS,
        "s" => S,
        "m" => M,
        "h" => H,
        "d" if units == DurationUnits::Query => D,
        "w" if units == DurationUnits::Query => W,
        "y" if units == DurationUnits::Query => Y,
        _ => return None,
    })
}

/// Parses a duration (`1h30m`, `1.5s`, `-250ms`, `0`) into nanoseconds; `None` when it is not
/// one or does not fit in an `i64`.
pub fn parse_duration(text: &str, units: DurationUnits) -> Option<i64> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = unit_ns(&rest[..unit_len], units)?;
        rest = &rest[unit_len..];
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let whole: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut value = whole.checked_mul(unit)?;
        // A fraction counts only down to the nanosecond, as in Go.
        let mut scale = unit;
        for digit in fraction.bytes() {
            scale /= 10;
            value = value.checked_add(i128::from(digit - b'0') * scale)?;
        }
        total = total.checked_add(value)?;
        if total > i128::from(i64::MAX) {
            return None;
        }
    }
    let total = if negative { -total } else { total };
    i64::try_from(total).ok()
}

/// The canonical text of a duration: whole hours, minutes, seconds, milliseconds,
/// microseconds and nanoseconds, largest first (`1h30m`, `1s500ms`, `0s`), which
/// [`parse_duration`] reads back exactly.
pub fn format_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    if ns < 0 {
        out.push('-');
    }
    let mut rest = i128::from(ns).abs();
    for (unit, name) in [
        (H, "h"),
        (M, "m"),
        (S, "s"),
        (MS, "ms"),
        (US, "us"),
        (NS, "ns"),
    ] {
        if rest >= unit {
            out.push_str(&format!("{}{name}", rest / unit));
            rest %= unit;
        }
    }
    out
}

/// Parses a size as go-humanize's `ParseBytes` does: a number, optional spaces, and a unit
/// (`B`, `kB`/`KB`/`k`, `KiB`/`Ki`, … up to `P`; case-insensitive); `None` when it is not one
/// or exceeds `u64`.
pub fn parse_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(text.len());
    let number: String = text[..split].chars().filter(|c| *c != ',').collect();
    if number.is_empty() {
        return None;
    }
    let unit = text[split..].trim_start().to_ascii_lowercase();
    let multiplier: u128 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gi" | "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "ti" | "tib" => 1 << 40,
        "p" | "pb" => 1_000_000_000_000_000,
        "pi" | "pib" => 1 << 50,
        "e" | "eb" => 1_000_000_000_000_000_000,
        "ei" | "eib" => 1 << 60,
        _ => return None,
    };
    // Whole numbers are exact; fractions go through a float, as in go-humanize.
    let bytes: u128 = match number.parse::<u128>() {
        Ok(whole) => whole.checked_mul(multiplier)?,
        Err(_) => {
            let value: f64 = number.parse().ok()?;
            let product = value * multiplier as f64;
            if !product.is_finite() || product >= u64::MAX as f64 {
                return None;
            }
            product as u128
        }
    };
    u64::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_both_dialects() {
        assert_eq!(
            parse_duration("1h30m", DurationUnits::Go),
            Some(90 * 60 * 1_000_000_000)
        );
        assert_eq!(
            parse_duration("1.5s", DurationUnits::Go),
            Some(1_500_000_000)
        );
        assert_eq!(
            parse_duration("-250ms", DurationUnits::Go),
            Some(-250_000_000)
        );
        assert_eq!(parse_duration("10µs", DurationUnits::Go), Some(10_000));
        assert_eq!(parse_duration("0", DurationUnits::Go), Some(0));
        assert_eq!(parse_duration("1d", DurationUnits::Go), None);
        assert_eq!(
            parse_duration("1d", DurationUnits::Query),
            Some(86_400_000_000_000)
        );
        assert_eq!(
            parse_duration("1w", DurationUnits::Query),
            Some(7 * 86_400_000_000_000)
        );
        assert_eq!(parse_duration("5", DurationUnits::Go), None);
        assert_eq!(parse_duration("s", DurationUnits::Go), None);
        assert_eq!(parse_duration("1x", DurationUnits::Go), None);
        assert_eq!(parse_duration("999999999h", DurationUnits::Go), None);
    }

    #[test]
    fn formatted_durations_read_back() {
        for ns in [
            0,
            1,
            999,
            1_500_000_000,
            90 * 60 * 1_000_000_000,
            -3_000_000_001,
            i64::MAX,
        ] {
            let text = format_duration(ns);
            assert_eq!(parse_duration(&text, DurationUnits::Go), Some(ns), "{text}");
        }
        assert_eq!(format_duration(5 * 60 * 1_000_000_000), "5m");
        assert_eq!(format_duration(1_500_000_000), "1s500ms");
    }

    #[test]
    fn sizes_as_humanize_reads_them() {
        assert_eq!(parse_bytes("5 MB"), Some(5_000_000));
        assert_eq!(parse_bytes("1KiB"), Some(1024));
        assert_eq!(parse_bytes("1.5kb"), Some(1500));
        assert_eq!(parse_bytes("42"), Some(42));
        assert_eq!(parse_bytes("20B"), Some(20));
        assert_eq!(parse_bytes("1,000 B"), Some(1000));
        assert_eq!(parse_bytes("MB"), None);
        assert_eq!(parse_bytes("5 parsecs"), None);
        assert_eq!(parse_bytes("99999999EB"), None);
    }
}
