//! Fuzzes the Prometheus text and OpenMetrics parsers: any bytes yield entries or an error,
//! never a panic; what is accepted has valid names and only Prometheus' normal NaN; the string
//! and byte entry points agree; an error points inside the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::prom_text::{
    Entry, ExpositionFormat, NORMAL_NAN_BITS, is_valid_label_name, is_valid_metric_name,
    parse_exposition, parse_exposition_bytes,
};

fn check(entry: &Entry<'_>) {
    let nan_ok = |v: f64| !v.is_nan() || v.to_bits() == NORMAL_NAN_BITS;
    match entry {
        Entry::Sample(s) => {
            assert!(is_valid_metric_name(s.name));
            assert!(
                s.labels
                    .iter()
                    .all(|(n, _)| is_valid_label_name(n) && *n != "__name__")
            );
            assert!(nan_ok(s.value));
            if let Some(x) = &s.exemplar {
                assert!(s.name.ends_with("_total") || s.name.ends_with("_bucket"));
                assert!(x.labels.iter().all(|(n, _)| is_valid_label_name(n)));
                assert!(nan_ok(x.value));
            }
        }
        Entry::Help { family, .. } | Entry::Type { family, .. } => {
            assert!(is_valid_metric_name(family))
        }
        Entry::Unit { family, unit } => {
            assert!(is_valid_metric_name(family));
            assert!(unit.is_empty() || family.ends_with(&format!("_{unit}")));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for format in [
        ExpositionFormat::PrometheusText,
        ExpositionFormat::OpenMetrics,
    ] {
        let mut entries = 0usize;
        let result = parse_exposition_bytes(data, format, |e| {
            check(&e);
            entries += 1;
        });
        if let Ok(text) = std::str::from_utf8(data) {
            let mut again = 0usize;
            assert_eq!(parse_exposition(text, format, |_| again += 1), result);
            assert_eq!(again, entries);
        }
        if let Err(e) = result {
            assert!(e.offset <= data.len());
            assert!(e.line >= 1 && e.line <= 1 + data.iter().filter(|&&c| c == b'\n').count());
        }
    }
});
