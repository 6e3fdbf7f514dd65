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
            assert!(batch.points.iter().all(|p| p.value.is_finite()));
            assert_eq!(batch.points.len(), batch.item_ids.len());
        }
        if let Ok(batch) = decode_logs(data, format, "fuzz", now, &limits) {
            assert_eq!(batch.records.len(), batch.item_ids.len());
        }
    }
});
