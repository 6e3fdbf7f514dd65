//! Fuzzes the Loki push decoder (JSON, and snappy + protobuf): any bytes yield a batch or an
//! error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{LokiFormat, Limits, decode_loki_push};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for format in [LokiFormat::Json, LokiFormat::Protobuf] {
        if let Ok(batch) = decode_loki_push(data, format, "fuzz", 1_758_362_400_000_000_000, &limits) {
            assert!(batch.check().is_ok(), "item ids absent or one per record");
        }
    }
});
