//! Fuzzes body decompression: arbitrary gzip/zstd input never panics and never yields more than
//! the size cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_receivers::{decompress, ContentEncoding};

fuzz_target!(|data: &[u8]| {
    for encoding in [ContentEncoding::Gzip, ContentEncoding::Zstd, ContentEncoding::Identity] {
        if let Ok(out) = decompress(data, encoding, 1 << 20) {
            assert!(out.len() <= 1 << 20);
        }
    }
});
