//! The pieces of the file route that need no server: format names, chunk keys, and the reader
//! over the body's chunks.

use std::io::Read;

use telemetryhub_records::{RawRecord, RecordError};

use super::*;

fn raw(index: u64, value: serde_json::Value) -> Row {
    RawRecord::from_json(index, value, 10)
}

#[test]
fn formats_are_named_in_any_case() {
    assert_eq!(parse_format("JSON").unwrap(), InputFormat::Json);
    assert_eq!(parse_format("jsonl").unwrap(), InputFormat::Ndjson);
    assert_eq!(parse_format("csv").unwrap(), InputFormat::Csv);
    let error = parse_format("xml").unwrap_err();
    assert!(error.message().contains("json, ndjson or csv"), "{error:?}");
}

#[test]
fn chunk_keys_follow_the_content_or_the_header() {
    let rows = || {
        vec![
            raw(0, serde_json::json!({"a": 1})),
            Err(RecordError {
                index: 1,
                errors: Vec::new(),
                raw: "bad".into(),
            }),
        ]
    };
    let a = chunk_key("jobs", None, 0, &rows());
    assert_eq!(
        a,
        chunk_key("jobs", None, 3, &rows()),
        "the content names it"
    );
    assert!(a.key.starts_with("record:jobs:sha256:"), "{}", a.key);
    let other = chunk_key("jobs", None, 0, &[raw(0, serde_json::json!({"a": 2}))]);
    assert_ne!((&a.key, a.fingerprint), (&other.key, other.fingerprint));
    let moved = chunk_key("jobs", None, 0, &[raw(5, serde_json::json!({"a": 1}))]);
    assert_ne!(
        moved.key,
        chunk_key("jobs", None, 0, &[raw(0, serde_json::json!({"a": 1}))]).key
    );
    let by_header = chunk_key("jobs", Some("upload-7"), 2, &rows());
    assert_eq!(by_header.key, "record:jobs:upload-7:2");
    assert_eq!(
        by_header.fingerprint, a.fingerprint,
        "a resend with another body conflicts"
    );
}

#[test]
fn the_channel_reader_reads_across_chunks_and_passes_failures_on() {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.try_send(Ok(Bytes::from_static(b"ab"))).unwrap();
    tx.try_send(Ok(Bytes::new())).unwrap();
    tx.try_send(Ok(Bytes::from_static(b"cde"))).unwrap();
    drop(tx);
    let mut text = String::new();
    ChannelReader {
        rx,
        current: Bytes::new(),
    }
    .read_to_string(&mut text)
    .unwrap();
    assert_eq!(text, "abcde");

    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.try_send(Ok(Bytes::from_static(b"ab"))).unwrap();
    tx.try_send(Err(std::io::Error::other("cut"))).unwrap();
    let mut reader = ChannelReader {
        rx,
        current: Bytes::new(),
    };
    let mut all = Vec::new();
    let error = reader.read_to_end(&mut all).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cut",
        "a cut body is never a complete one"
    );
}
