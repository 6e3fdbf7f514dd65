//! A Kafka message as a record row: its value is one JSON record; anything else — no value, text
//! that is not JSON, JSON that is not an object, bytes that are not UTF-8 — is a bad row, which
//! the write path keeps as a dead letter with the reason and the raw value. Nothing is dropped.
//!
//! A row's index is the message's offset, so a dead letter names where it was; its origin
//! (topic, partition, offset and the message's timestamp) names a record without a key for
//! good: a re-read message is recognised, and a recreated topic, whose offsets start again,
//! is not mistaken for the old one.

use base64::Engine;
use telemetryhub_records::{FieldError, RawRecord, RecordError, Row};

/// What the consumer keeps of a message until its batch is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Its offset in the partition.
    pub offset: i64,
    /// Its timestamp (create or log-append time, ms), when it has one.
    pub timestamp_ms: Option<i64>,
    /// Its value; `None` for a message without one (a tombstone).
    pub value: Option<Vec<u8>>,
}

impl Message {
    /// The row index: the offset (never negative for a consumed message).
    pub fn index(&self) -> u64 {
        u64::try_from(self.offset).unwrap_or(0)
    }

    /// The origin a record without a key is stored under.
    pub fn origin(&self) -> String {
        format!(
            "kafka:{}:{}:{}:{}",
            self.topic,
            self.partition,
            self.offset,
            self.timestamp_ms.unwrap_or(-1)
        )
    }

    /// The message as a row of the records write path.
    pub fn to_row(&self, max_fields: usize) -> Row {
        let index = self.index();
        let bad = |reason: String, raw: String| {
            Err(RecordError {
                index,
                errors: vec![FieldError {
                    field: None,
                    reason: format!(
                        "Kafka message (topic {}, partition {}, offset {}): {reason}",
                        self.topic, self.partition, self.offset
                    ),
                }],
                raw,
            })
        };
        let Some(value) = &self.value else {
            return bad("the message has no value".into(), String::new());
        };
        let text = match std::str::from_utf8(value) {
            Ok(text) => text,
            Err(_) => {
                return bad(
                    "the value is not UTF-8 text; the raw input is its bytes in base64".into(),
                    base64::engine::general_purpose::STANDARD.encode(value),
                );
            }
        };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => RawRecord::from_json(index, json, max_fields).map_err(|mut error| {
                for field_error in &mut error.errors {
                    field_error.reason = format!(
                        "Kafka message (topic {}, partition {}, offset {}): {}",
                        self.topic, self.partition, self.offset, field_error.reason
                    );
                }
                error
            }),
            Err(error) => bad(format!("the value is not JSON: {error}"), text.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(value: Option<&[u8]>) -> Message {
        Message {
            topic: "runs".into(),
            partition: 2,
            offset: 41,
            timestamp_ms: Some(1_757_000_000_000),
            value: value.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn a_json_object_is_a_record_indexed_by_its_offset() {
        let row = message(Some(br#"{"id": 7, "state": "SUCCESS"}"#)).to_row(100);
        let record = row.unwrap();
        assert_eq!(record.index, 41);
        assert_eq!(record.fields["id"], 7);
        assert_eq!(
            message(None).origin(),
            "kafka:runs:2:41:1757000000000",
            "topic, partition, offset and time"
        );
    }

    #[test]
    fn anything_else_is_a_bad_row_with_its_reason_and_raw_value() {
        for (value, reason, raw) in [
            (Some(&b"not json"[..]), "not JSON", "not json"),
            (Some(&b"[1, 2]"[..]), "expected a JSON object", "[1,2]"),
            (None, "no value", ""),
            (Some(&[0xff, 0xfe][..]), "not UTF-8", "//4="),
        ] {
            let bad = message(value).to_row(100).unwrap_err();
            assert_eq!(bad.index, 41);
            assert_eq!(bad.raw, raw);
            let said = &bad.errors[0].reason;
            assert!(said.contains(reason), "{said}");
            assert!(said.contains("partition 2, offset 41"), "{said}");
        }
        let too_wide = message(Some(br#"{"a": 1, "b": 2}"#)).to_row(1).unwrap_err();
        assert!(too_wide.errors[0].reason.contains("limit"), "{too_wide:?}");
    }
}
