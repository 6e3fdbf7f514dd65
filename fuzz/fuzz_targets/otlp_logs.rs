//! Fuzzes the OTLP/HTTP logs decoder (protobuf and OTLP/JSON): any bytes yield records (and a
//! rejected count) or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{Limits, OtlpFormat, decode_otlp_logs};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for format in [OtlpFormat::Protobuf, OtlpFormat::Json] {
        if let Ok(out) = decode_otlp_logs(data, format, "fuzz", 1_758_362_400_000_000_000, &limits) {
            assert!(out.batch.check().is_ok(), "item ids absent or one per record");
        }
    }
});
