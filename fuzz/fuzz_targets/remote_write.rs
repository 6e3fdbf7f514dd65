//! Fuzzes the Prometheus remote_write decoder (protobuf after snappy) and snappy decompression:
//! any bytes yield points or an error, never a panic; every point is finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{ContentEncoding, Limits, decode_remote_write, decompress};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok((batch, _)) = decode_remote_write(data, "fuzz", 1_758_362_400_000_000_000, &limits) {
        assert!(batch.values.iter().all(|v| v.is_finite()));
        assert!(batch.series_of.iter().all(|s| (*s as usize) < batch.series.len()));
        assert!(batch.series.iter().all(|k| k.labels_json.starts_with('{') && k.labels_json.ends_with('}')));
    }
    let _ = decompress(data, ContentEncoding::Snappy, 1 << 20);
});
