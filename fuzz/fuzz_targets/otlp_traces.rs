//! Fuzzes the OTLP/HTTP traces decoder (protobuf and OTLP/JSON): any bytes yield spans (and a
//! rejected count) or an error, never a panic; every span kept has well-formed ids and a
//! non-negative duration.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{Limits, OtlpFormat, decode_otlp_traces};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for format in [OtlpFormat::Protobuf, OtlpFormat::Json] {
        if let Ok(out) = decode_otlp_traces(data, format, "fuzz", 1_758_362_400_000_000_000, &limits) {
            for span in &out.spans {
                assert_eq!(span.trace_id.len(), 32);
                assert_eq!(span.span_id.len(), 16);
                assert!(span.duration_ns >= 0);
            }
        }
    }
});
