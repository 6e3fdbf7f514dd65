//! Loki's push API (`POST /loki/api/v1/push`): JSON, or protobuf in a snappy block.
//!
//! Streams map to log records: the service is the first of the stream labels `service_name`,
//! `service`, `job`, `app` (else `unknown_service`, as Loki says); the level is the `level`,
//! `detected_level` or `severity` label or structured metadata (else INFO); all stream labels and
//! structured metadata go to the record's context. The stream labels are also kept as the line's
//! stream (with `service_name` added when absent, as Loki 3 adds it), so LogQL reads the line
//! back under the stream it was pushed to.

use serde_json::{Map, Value};
use telemetryhub_model::{
    Labels, Level, LogRecord, LogsWrite, SERVICE_NAME_LABEL, UNKNOWN_SERVICE,
};

use crate::validate;
use crate::{ItemError, Limits, ReceiveError};

/// How a push body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LokiFormat {
    /// `application/json`.
    Json,
    /// `application/x-protobuf`: `logproto.PushRequest`, snappy block-compressed.
    Protobuf,
}

impl LokiFormat {
    /// Picks the format from `Content-Type` (absent: JSON).
    pub fn from_content_type(value: Option<&str>) -> Result<Self, ReceiveError> {
        let Some(raw) = value else {
            return Ok(LokiFormat::Json);
        };
        match crate::validate::media_type(raw).as_str() {
            "application/json" => Ok(LokiFormat::Json),
            "application/x-protobuf" | "application/protobuf" => Ok(LokiFormat::Protobuf),
            _ => Err(ReceiveError::UnsupportedContentType(raw.to_string())),
        }
    }
}

/// Loki's wire types (`pkg/push/push.proto`), with prost derives instead of generated code.
pub mod proto {
    /// `logproto.PushRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PushRequest {
        /// The streams.
        #[prost(message, repeated, tag = "1")]
        pub streams: Vec<StreamAdapter>,
        /// `loki` or `otlp`; informational.
        #[prost(string, tag = "2")]
        pub format: String,
    }

    /// `logproto.StreamAdapter`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct StreamAdapter {
        /// Labels in Prometheus syntax: `{job="api", level="error"}`.
        #[prost(string, tag = "1")]
        pub labels: String,
        /// The lines.
        #[prost(message, repeated, tag = "2")]
        pub entries: Vec<EntryAdapter>,
        /// Unused on push.
        #[prost(uint64, tag = "3")]
        pub hash: u64,
    }

    /// `logproto.EntryAdapter`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct EntryAdapter {
        /// When the line was written.
        #[prost(message, optional, tag = "1")]
        pub timestamp: Option<Timestamp>,
        /// The line.
        #[prost(string, tag = "2")]
        pub line: String,
        /// Structured metadata.
        #[prost(message, repeated, tag = "3")]
        pub structured_metadata: Vec<LabelPair>,
    }

    /// `logproto.LabelPairAdapter`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LabelPair {
        /// Name.
        #[prost(string, tag = "1")]
        pub name: String,
        /// Value.
        #[prost(string, tag = "2")]
        pub value: String,
    }

    /// `google.protobuf.Timestamp`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Timestamp {
        /// Seconds since the epoch.
        #[prost(int64, tag = "1")]
        pub seconds: i64,
        /// Nanoseconds within the second.
        #[prost(int32, tag = "2")]
        pub nanos: i32,
    }
}

/// A stream's labels (or why they are unreadable) and its entries, before validation.
type Stream = (Result<Labels, String>, Vec<Entry>);

/// One entry before validation.
struct Entry {
    ts: Result<i64, String>,
    line: String,
    metadata: Vec<(String, String)>,
}

/// Decodes and validates a push body (already decompressed from any `Content-Encoding`).
pub fn decode_loki_push(
    body: &[u8],
    format: LokiFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<LogsWrite, ReceiveError> {
    let streams: Vec<Stream> = match format {
        LokiFormat::Json => json_streams(body)?,
        LokiFormat::Protobuf => protobuf_streams(body, limits)?,
    };
    let total: usize = streams.iter().map(|(_, entries)| entries.len()).sum();
    if total > limits.max_items {
        return Err(ReceiveError::TooManyItems {
            count: total,
            limit: limits.max_items,
        });
    }
    let mut batch = LogsWrite::new(tenant);
    let mut errors = Vec::new();
    let mut index = 0;
    for (labels, entries) in streams {
        // The stream as Loki 3 keeps it: the pushed labels, with `service_name` added when the
        // push named none. Serialised once for all of the stream's lines.
        let stream_json = labels.as_ref().ok().and_then(|labels| {
            let mut stream = labels.clone();
            stream
                .entry(SERVICE_NAME_LABEL.to_string())
                .or_insert_with(|| service_of(labels));
            serde_json::to_string(&stream).ok()
        });
        for entry in entries {
            let fail = |errors: &mut Vec<ItemError>, field: &str, message: String| {
                errors.push(ItemError {
                    index,
                    field: Some(field.to_string()),
                    message,
                })
            };
            let labels = match &labels {
                Ok(labels) => labels,
                Err(message) => {
                    fail(&mut errors, "stream", message.clone());
                    index += 1;
                    continue;
                }
            };
            let service = service_of(labels);
            if let Err(message) = validate::check_name(&service, limits) {
                fail(&mut errors, "stream", format!("service {message}"));
            }
            let level_text = ["level", "detected_level", "severity"]
                .iter()
                .find_map(|name| {
                    labels.get(*name).cloned().or_else(|| {
                        entry
                            .metadata
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, v)| v.clone())
                    })
                });
            let level = level_text
                .as_deref()
                .and_then(|text| Level::normalise(text).ok())
                .unwrap_or(Level::Info);
            let ts_ns = match entry
                .ts
                .and_then(|ts| validate::check_window(ts, now_ns, limits))
            {
                Ok(ts) => Some(ts),
                Err(message) => {
                    fail(&mut errors, "ts", format!("timestamp {message}"));
                    None
                }
            };
            if let Err(message) =
                validate::check_free_text(&entry.line, limits.max_message_len, "line")
            {
                fail(&mut errors, "line", message);
            }
            let mut context = Map::new();
            for (name, value) in labels {
                context.insert(name.clone(), Value::String(value.clone()));
            }
            for (name, value) in &entry.metadata {
                context.insert(name.clone(), Value::String(value.clone()));
            }
            if let Some(ts_ns) = ts_ns {
                batch.records.push(LogRecord {
                    tenant: tenant.to_string(),
                    service,
                    level,
                    message: entry.line,
                    ts_ns,
                    context: (!context.is_empty()).then(|| Value::Object(context).to_string()),
                    trace_id: None,
                    span_id: None,
                    pattern_id: None,
                    stream_labels: stream_json.clone(),
                });
            }
            index += 1;
        }
    }
    if !errors.is_empty() {
        return Err(ReceiveError::InvalidItems(errors));
    }
    if batch.records.is_empty() {
        return Err(ReceiveError::Malformed("the push holds no entries".into()));
    }
    Ok(batch)
}

fn json_streams(body: &[u8]) -> Result<Vec<Stream>, ReceiveError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ReceiveError::Malformed(format!(
            "body is not valid UTF-8 (first invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let parsed: Value = serde_json::from_str(text)
        .map_err(|e| ReceiveError::Malformed(format!("invalid JSON: {e}")))?;
    let streams = parsed
        .get("streams")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ReceiveError::Malformed("the body must be an object with a \"streams\" array".into())
        })?;
    let mut out = Vec::new();
    for stream in streams {
        let labels: Result<Labels, String> = match stream.get("stream") {
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| (k.clone(), v.to_string()))
                        .ok_or_else(|| format!("stream label {k:?} must be a string"))
                })
                .collect(),
            None => Ok(Labels::new()),
            Some(_) => Err("\"stream\" must be an object of labels".into()),
        };
        let values = stream
            .get("values")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ReceiveError::Malformed("every stream needs a \"values\" array".into())
            })?;
        let mut entries = Vec::new();
        for value in values {
            let Some(items) = value.as_array() else {
                return Err(ReceiveError::Malformed(
                    "each value must be [\"<unix ns>\", \"<line>\", {metadata}?]".into(),
                ));
            };
            let ts = match items.first() {
                Some(Value::String(s)) => s
                    .parse::<i64>()
                    .map_err(|_| format!("{s:?} is not a Unix time in nanoseconds")),
                _ => Err("must be a string of Unix nanoseconds".into()),
            };
            let line = items
                .get(1)
                .and_then(Value::as_str)
                .ok_or_else(|| ReceiveError::Malformed("each value needs a line string".into()))?;
            let metadata = match items.get(2) {
                Some(Value::Object(map)) => map
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect(),
                _ => Vec::new(),
            };
            entries.push(Entry {
                ts,
                line: line.to_string(),
                metadata,
            });
        }
        out.push((labels, entries));
    }
    Ok(out)
}

fn protobuf_streams(body: &[u8], limits: &Limits) -> Result<Vec<Stream>, ReceiveError> {
    let length = snap::raw::decompress_len(body)
        .map_err(|e| ReceiveError::Malformed(format!("invalid snappy body: {e}")))?;
    if length > limits.max_body_bytes {
        return Err(ReceiveError::BodyTooLarge {
            limit: limits.max_body_bytes,
        });
    }
    let raw = snap::raw::Decoder::new()
        .decompress_vec(body)
        .map_err(|e| ReceiveError::Malformed(format!("invalid snappy body: {e}")))?;
    let request = <proto::PushRequest as prost::Message>::decode(raw.as_slice())
        .map_err(|e| ReceiveError::Malformed(format!("invalid protobuf PushRequest: {e}")))?;
    Ok(request
        .streams
        .into_iter()
        .map(|stream| {
            let labels = parse_label_set(&stream.labels);
            let entries = stream
                .entries
                .into_iter()
                .map(|entry| Entry {
                    ts: entry
                        .timestamp
                        .map(|t| {
                            t.seconds
                                .saturating_mul(1_000_000_000)
                                .saturating_add(i64::from(t.nanos))
                        })
                        .ok_or_else(|| "is required".to_string()),
                    line: entry.line,
                    metadata: entry
                        .structured_metadata
                        .into_iter()
                        .map(|p| (p.name, p.value))
                        .collect(),
                })
                .collect();
            (labels, entries)
        })
        .collect())
}

/// Parses a label set in Prometheus syntax: `{job="api", msg="say \"hi\""}`.
pub fn parse_label_set(text: &str) -> Result<Labels, String> {
    let bad = |why: &str| format!("invalid label set {text:?}: {why}");
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .ok_or_else(|| bad("expected {name=\"value\", ...}"))?;
    let mut labels = Labels::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(labels);
        }
        let mut name = String::new();
        while let Some(c) = chars
            .peek()
            .copied()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        {
            name.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if name.is_empty() || chars.next() != Some('=') {
            return Err(bad("expected a label name and ="));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('"') {
            return Err(bad("expected a quoted value"));
        }
        let mut value = String::new();
        loop {
            match chars.next() {
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(other) => value.push(other),
                    None => return Err(bad("unfinished escape")),
                },
                Some(c) => value.push(c),
                None => return Err(bad("unterminated value")),
            }
        }
        labels.insert(name, value);
    }
}

/// A stream's service: the first of the labels `service_name`, `service`, `job`, `app`.
fn service_of(labels: &Labels) -> String {
    ["service_name", "service", "job", "app"]
        .iter()
        .find_map(|name| labels.get(*name))
        .cloned()
        .unwrap_or_else(|| UNKNOWN_SERVICE.to_string())
}

#[cfg(test)]
mod tests;
