//! Fuzzes the native JSON ingest decoders (metrics and logs, JSON and NDJSON framing): any bytes
//! must yield a valid batch or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{decode_logs, decode_metrics, BodyFormat, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let now = 1_758_362_400_000_000_000;
    for format in [BodyFormat::Json, BodyFormat::Ndjson] {
        if let Ok(batch) = decode_metrics(data, format, "fuzz", now, &limits) {
            assert!(batch.series.values.iter().all(|v| v.is_finite()));
            assert!(batch.check().is_ok(), "a well-formed request");
        }
        if let Ok(batch) = decode_logs(data, format, "fuzz", now, &limits) {
            assert!(batch.check().is_ok(), "item ids absent or one per record");
        }
    }
});
