//! Tests of `value`: numbers as text, booleans, timestamps in every format kind, offsets.

use super::*;

const DOT: NumberFormat = NumberFormat {
    decimal: '.',
    thousands: None,
};

fn utc() -> FixedOffset {
    Utc.fix()
}

#[test]
fn reads_floats_written_as_text() {
    assert_eq!(parse_float("0.09", DOT), Ok(0.09));
    assert_eq!(parse_float(" -12.5 ", DOT), Ok(-12.5));
    assert_eq!(parse_float("+3", DOT), Ok(3.0));
    assert_eq!(parse_float(".5", DOT), Ok(0.5));
    assert_eq!(parse_float("5.", DOT), Ok(5.0));
    assert_eq!(parse_float("1.5e3", DOT), Ok(1500.0));
    assert_eq!(parse_float("2E-2", DOT), Ok(0.02));
    for bad in [
        "", "abc", "1.2.3", "NaN", "inf", "infinity", "1e", "e5", "--1", "1,5", "0x10", "1 000",
    ] {
        assert!(parse_float(bad, DOT).is_err(), "{bad:?} should be refused");
    }
    // Overflowing to infinity is refused, not stored.
    assert!(parse_float("1e400", DOT).is_err());
}

#[test]
fn reads_decimal_commas_and_thousands_separators_that_group_by_three() {
    let french = NumberFormat {
        decimal: ',',
        thousands: Some(' '),
    };
    assert_eq!(parse_float("0,09", french), Ok(0.09));
    assert_eq!(parse_float("5 517 312,5", french), Ok(5_517_312.5));
    assert_eq!(parse_integer("5 517 312", french), Ok(5_517_312));
    let english = NumberFormat {
        decimal: '.',
        thousands: Some(','),
    };
    assert_eq!(parse_float("1,234,567.25", english), Ok(1_234_567.25));
    assert_eq!(parse_integer("-1,000", english), Ok(-1000));
    assert_eq!(parse_float("999", english), Ok(999.0));
    // A decimal comma read with `,` as the thousands separator is caught, not read as 15.
    let err = parse_float("1,5", english).unwrap_err();
    assert!(err.contains("group digits by three"), "{err}");
    assert!(parse_float("1234,567", english).is_err());
    assert!(parse_float("1,234.5,6", english).is_err());
    let german = NumberFormat {
        decimal: ',',
        thousands: Some('.'),
    };
    assert_eq!(parse_float("1.234,5", german), Ok(1234.5));
    assert!(parse_float("12.5", german).is_err());
}

#[test]
fn reads_integers_and_refuses_fractions() {
    assert_eq!(parse_integer("5517312", DOT), Ok(5_517_312));
    assert_eq!(parse_integer("12.0", DOT), Ok(12));
    assert_eq!(parse_integer("1.2e3", DOT), Ok(1200));
    assert_eq!(parse_integer("-9223372036854775808", DOT), Ok(i64::MIN));
    assert!(parse_integer("12.5", DOT).is_err());
    assert!(parse_integer("9223372036854775808", DOT).is_err());
    assert!(parse_integer("1e30", DOT).is_err());
    assert_eq!(integer_from_f64(-3.0), Ok(-3));
    assert!(integer_from_f64(f64::NAN).is_err());
    assert!(integer_from_f64(9.3e18).is_err());
}

#[test]
fn reads_booleans() {
    for yes in ["true", "TRUE", "yes", "Y", "on", "1", " true "] {
        assert_eq!(parse_bool(yes), Ok(true), "{yes}");
    }
    for no in ["false", "No", "n", "OFF", "0"] {
        assert_eq!(parse_bool(no), Ok(false), "{no}");
    }
    assert!(parse_bool("maybe").is_err());
}

#[test]
fn reads_the_original_pipelines_day_first_times_with_microseconds() {
    let format = TimeFormat::parse("%d-%m-%Y %H:%M:%S%.f").unwrap();
    // 2025-09-05T16:45:26.191702Z
    let expected = 1_757_090_726_191_702_000;
    assert_eq!(
        format.parse_text("05-09-2025 16:45:26.191702", utc()),
        Ok(expected)
    );
    // `%.f` makes the fraction optional.
    assert_eq!(
        format.parse_text("05-09-2025 16:45:26", utc()),
        Ok(expected - 191_702_000)
    );
    // Day first: the 13th month does not exist.
    assert!(format.parse_text("05-13-2025 16:45:26", utc()).is_err());
    assert!(format.parse_text("2025-09-05 16:45:26", utc()).is_err());
    // Read at an offset: 16:45 at +02:00 is 14:45 UTC.
    let paris = parse_offset("+02:00").unwrap();
    assert_eq!(
        format.parse_text("05-09-2025 16:45:26.191702", paris),
        Ok(expected - 2 * 3_600_000_000_000)
    );
}

#[test]
fn reads_formats_with_offsets_and_dates_alone() {
    let with_offset = TimeFormat::parse("%Y-%m-%d %H:%M:%S %z").unwrap();
    assert_eq!(
        with_offset.parse_text("2025-09-05 18:45:26 +0200", utc()),
        Ok(1_757_090_726_000_000_000)
    );
    let date = TimeFormat::parse("%Y-%m-%d").unwrap();
    assert_eq!(
        date.parse_text("2025-09-05", utc()),
        Ok(1_757_030_400_000_000_000)
    );
    assert!(TimeFormat::parse("%Y-%Q").is_err());
    assert!(TimeFormat::parse("").is_err());
}

#[test]
fn reads_rfc3339_and_unix_times() {
    let rfc = TimeFormat::parse("rfc3339").unwrap();
    assert_eq!(
        rfc.parse_text("2025-09-05T16:45:26.191702Z", utc()),
        Ok(1_757_090_726_191_702_000)
    );
    assert_eq!(
        rfc.parse_text("2025-09-05T18:45:26+02:00", utc()),
        Ok(1_757_090_726_000_000_000)
    );
    assert!(rfc.parse_text("05-09-2025 16:45:26", utc()).is_err());
    let s = TimeFormat::parse("unix_s").unwrap();
    assert_eq!(
        s.parse_text("1757090726", utc()),
        Ok(1_757_090_726_000_000_000)
    );
    assert_eq!(
        s.parse_text("1757090726.5", utc()),
        Ok(1_757_090_726_500_000_000)
    );
    assert_eq!(s.from_integer(1_757_090_726), Ok(1_757_090_726_000_000_000));
    assert!(s.from_integer(i64::MAX).is_err());
    let ms = TimeFormat::parse("unix_ms").unwrap();
    assert_eq!(
        ms.from_integer(1_757_090_726_191),
        Ok(1_757_090_726_191_000_000)
    );
    let us = TimeFormat::parse("unix_us").unwrap();
    assert_eq!(
        us.from_float(1_757_090_726_191_702.0),
        Ok(1_757_090_726_191_702_000)
    );
    let ns = TimeFormat::parse("unix_ns").unwrap();
    assert_eq!(ns.from_integer(5), Ok(5));
    // The unit guessed from the magnitude, as elsewhere in TelemetryHub.
    let guess = TimeFormat::parse("unix").unwrap();
    assert_eq!(
        guess.from_integer(1_757_090_726),
        Ok(1_757_090_726_000_000_000)
    );
    assert_eq!(
        guess.from_integer(1_757_090_726_191),
        Ok(1_757_090_726_191_000_000)
    );
    assert!(s.parse_text("soon", utc()).is_err());
    assert!(s.from_float(f64::NAN).is_err());
    assert!(s.from_float(1e300).is_err());
    // A strftime format does not read numbers.
    let text_only = TimeFormat::parse("%Y").unwrap();
    assert!(text_only.from_integer(2025).is_err());
}

#[test]
fn reads_utc_offsets() {
    assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
    assert_eq!(parse_offset("UTC").unwrap().local_minus_utc(), 0);
    assert_eq!(parse_offset("+02:00").unwrap().local_minus_utc(), 7200);
    assert_eq!(parse_offset("-0530").unwrap().local_minus_utc(), -19800);
    for bad in ["02:00", "+2", "+24:00", "+01:60", "Europe/Paris", ""] {
        assert!(parse_offset(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn values_display_and_serialise_as_json_types() {
    assert_eq!(
        Value::Timestamp(1_757_090_726_191_702_000).to_string(),
        "2025-09-05T16:45:26.191702Z"
    );
    assert_eq!(Value::Float(0.5).to_string(), "0.5");
    assert_eq!(Value::Integer(-3).to_string(), "-3");
    let json = serde_json::to_string(&vec![
        Value::String("a".into()),
        Value::Integer(1),
        Value::Float(1.5),
        Value::Bool(true),
        Value::Timestamp(0),
    ])
    .unwrap();
    assert_eq!(json, r#"["a",1,1.5,true,"1970-01-01T00:00:00Z"]"#);
    assert_eq!(Value::Integer(2).as_f64(), Some(2.0));
    assert_eq!(Value::Timestamp(2).as_f64(), None);
    assert_eq!(Value::String("x".into()).as_str(), Some("x"));
}
