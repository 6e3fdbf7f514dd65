use prost::Message;

use super::proto::{EntryAdapter, LabelPair, PushRequest, StreamAdapter, Timestamp};
use super::*;

const NOW: i64 = 1_758_362_400_000_000_000;

fn decode(body: &[u8], format: LokiFormat) -> Result<LogsWrite, ReceiveError> {
    decode_loki_push(body, format, "t", NOW, &Limits::default())
}

/// A push encoded with the wire types of Loki's push.proto, snappy block-compressed, as
/// Promtail and Alloy send it.
pub(crate) fn golden_protobuf() -> Vec<u8> {
    let request = PushRequest {
        streams: vec![StreamAdapter {
            labels: r#"{service_name="checkout", level="warn", pod="web-1", note="say \"hi\""}"#
                .into(),
            entries: vec![
                EntryAdapter {
                    timestamp: Some(Timestamp {
                        seconds: NOW / 1_000_000_000,
                        nanos: 5,
                    }),
                    line: "payment slow: 1200ms".into(),
                    structured_metadata: vec![LabelPair {
                        name: "trace".into(),
                        value: "abc".into(),
                    }],
                },
                EntryAdapter {
                    timestamp: Some(Timestamp {
                        seconds: NOW / 1_000_000_000 - 1,
                        nanos: 0,
                    }),
                    line: "payment ok".into(),
                    structured_metadata: vec![],
                },
            ],
            hash: 0,
        }],
        format: String::new(),
    };
    snap::raw::Encoder::new()
        .compress_vec(&request.encode_to_vec())
        .unwrap()
}

#[test]
fn decodes_json_pushes() {
    let body = format!(
        r#"{{"streams":[{{"stream":{{"job":"api","level":"error"}},"values":[["{NOW}","db timeout"],["{}","retry",{{"attempt":"2"}}]]}},
            {{"stream":{{"app":"web"}},"values":[["{NOW}","hello"]]}}]}}"#,
        NOW - 1000
    );
    let batch = decode(body.as_bytes(), LokiFormat::Json).unwrap();
    assert_eq!(batch.records.len(), 3);
    let first = &batch.records[0];
    assert_eq!(
        (first.service.as_str(), first.level, first.ts_ns),
        ("api", Level::Error, NOW)
    );
    assert_eq!(
        first.context.as_deref(),
        Some(r#"{"job":"api","level":"error"}"#)
    );
    assert_eq!(
        batch.records[1].context.as_deref(),
        Some(r#"{"attempt":"2","job":"api","level":"error"}"#)
    );
    // The stream is the pushed labels with `service_name` added (as Loki 3 adds it);
    // structured metadata (`attempt`) stays out of it.
    let stream = r#"{"job":"api","level":"error","service_name":"api"}"#;
    assert_eq!(first.stream_labels.as_deref(), Some(stream));
    assert_eq!(batch.records[1].stream_labels.as_deref(), Some(stream));
    assert_eq!(
        (batch.records[2].service.as_str(), batch.records[2].level),
        ("web", Level::Info)
    );
}

#[test]
fn decodes_golden_protobuf_pushes() {
    let batch = decode(&golden_protobuf(), LokiFormat::Protobuf).unwrap();
    assert_eq!(batch.records.len(), 2);
    let first = &batch.records[0];
    assert_eq!(first.service, "checkout");
    assert_eq!(first.level, Level::Warn);
    assert_eq!(first.ts_ns, NOW + 5);
    assert_eq!(first.message, "payment slow: 1200ms");
    let context: serde_json::Value =
        serde_json::from_str(first.context.as_deref().unwrap()).unwrap();
    assert_eq!(context["pod"], "web-1");
    assert_eq!(context["note"], "say \"hi\"");
    assert_eq!(context["trace"], "abc", "structured metadata is kept");
    assert_eq!(
        first.stream_labels.as_deref(),
        Some(r#"{"level":"warn","note":"say \"hi\"","pod":"web-1","service_name":"checkout"}"#),
        "a pushed service_name is kept as it is"
    );
}

#[test]
fn refuses_bad_pushes() {
    assert!(matches!(
        decode(b"{", LokiFormat::Json),
        Err(ReceiveError::Malformed(_))
    ));
    assert!(matches!(
        decode(br#"{"streams":[]}"#, LokiFormat::Json),
        Err(ReceiveError::Malformed(_))
    ));
    let bad_ts = br#"{"streams":[{"stream":{"job":"a"},"values":[["soon","x"]]}]}"#;
    assert!(
        matches!(decode(bad_ts, LokiFormat::Json), Err(ReceiveError::InvalidItems(items)) if items[0].field.as_deref() == Some("ts"))
    );
    assert!(matches!(
        decode(b"not snappy", LokiFormat::Protobuf),
        Err(ReceiveError::Malformed(_))
    ));
    let not_proto = snap::raw::Encoder::new()
        .compress_vec(b"\xff\xff\xff")
        .unwrap();
    assert!(matches!(
        decode(&not_proto, LokiFormat::Protobuf),
        Err(ReceiveError::Malformed(_))
    ));
}

#[test]
fn parses_label_sets() {
    let labels = parse_label_set(r#"{a="1", b = "x\"y", c="line\nbreak"}"#).unwrap();
    assert_eq!(labels["b"], "x\"y");
    assert_eq!(labels["c"], "line\nbreak");
    assert!(parse_label_set("{}").unwrap().is_empty());
    assert!(parse_label_set("a=1").is_err());
    assert!(parse_label_set(r#"{a="unterminated}"#).is_err());
}

proptest::proptest! {
    #[test]
    fn arbitrary_bodies_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
        let _ = decode(&bytes, LokiFormat::Json);
        let _ = decode(&bytes, LokiFormat::Protobuf);
    }
}
