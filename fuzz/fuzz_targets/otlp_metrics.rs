//! Fuzzes the OTLP/HTTP metrics decoder (protobuf and OTLP/JSON): any bytes yield points (all
//! finite) or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{Limits, OtlpFormat, decode_otlp_metrics};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for format in [OtlpFormat::Protobuf, OtlpFormat::Json] {
        if let Ok(out) = decode_otlp_metrics(data, format, "fuzz", 1_758_362_400_000_000_000, &limits) {
            assert!(out.write.series.values.iter().all(|v| v.is_finite()));
            assert!(out.write.check().is_ok(), "a well-formed request");
        }
    }
});
