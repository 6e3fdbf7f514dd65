//! OTLP/HTTP logs (`POST /v1/logs`), protobuf or JSON, mapped as the OpenTelemetry
//! specification describes: `service.name` (resource) → service, severity text (else severity
//! number) → level, body → message, trace and span ids kept, and the log record's, resource's and
//! scope's attributes kept in context under `attributes`, `resource` and `scope`.
//!
//! OTLP asks for partial success rather than all-or-nothing: records that fail validation (a
//! timestamp outside retention, say) are left out and counted, the rest stored.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use serde_json::{Map, Value};
use telemetryhub_model::{Level, LogRecord};

use crate::native_json::LogBatch;
use crate::validate;
use crate::{Limits, ReceiveError};

/// How an OTLP/HTTP body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpFormat {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json` (OTLP/JSON).
    Json,
}

impl OtlpFormat {
    /// Picks the encoding from `Content-Type`; OTLP/HTTP has no default.
    pub fn from_content_type(value: Option<&str>) -> Result<Self, ReceiveError> {
        let raw = value.unwrap_or("");
        match crate::validate::media_type(raw).as_str() {
            "application/x-protobuf" | "application/protobuf" => Ok(OtlpFormat::Protobuf),
            "application/json" => Ok(OtlpFormat::Json),
            _ => Err(ReceiveError::UnsupportedContentType(raw.to_string())),
        }
    }
}

/// Valid records, and how many were rejected with the first reason.
#[derive(Debug, Default)]
pub struct OtlpLogs {
    /// The records to store.
    pub batch: LogBatch,
    /// Records left out.
    pub rejected: usize,
    /// Why the first one was left out.
    pub first_error: Option<String>,
}

/// Decodes an OTLP logs export request (already decompressed from any `Content-Encoding`).
pub fn decode_otlp_logs(
    body: &[u8],
    format: OtlpFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpLogs, ReceiveError> {
    if body.len() > limits.max_body_bytes {
        return Err(ReceiveError::BodyTooLarge {
            limit: limits.max_body_bytes,
        });
    }
    let request: ExportLogsServiceRequest = match format {
        OtlpFormat::Protobuf => <ExportLogsServiceRequest as prost::Message>::decode(body)
            .map_err(|e| ReceiveError::Malformed(format!("invalid OTLP protobuf: {e}")))?,
        OtlpFormat::Json => serde_json::from_slice(body)
            .map_err(|e| ReceiveError::Malformed(format!("invalid OTLP JSON: {e}")))?,
    };
    let total: usize = request
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .map(|s| s.log_records.len())
        .sum();
    if total > limits.max_items {
        return Err(ReceiveError::TooManyItems {
            count: total,
            limit: limits.max_items,
        });
    }
    let mut out = OtlpLogs::default();
    for resource_logs in request.resource_logs {
        let resource_attributes = resource_logs
            .resource
            .map(|r| r.attributes)
            .unwrap_or_default();
        let service = resource_attributes
            .iter()
            .find(|kv| kv.key == "service.name")
            .and_then(|kv| kv.value.as_ref())
            .map(text_of)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown_service".to_string());
        let resource = attributes_json(&resource_attributes);
        for scope_logs in resource_logs.scope_logs {
            let scope = scope_logs.scope.map(|scope| {
                let mut object = attributes_json(&scope.attributes);
                if !scope.name.is_empty() {
                    object.insert("name".into(), Value::String(scope.name));
                }
                if !scope.version.is_empty() {
                    object.insert("version".into(), Value::String(scope.version));
                }
                object
            });
            for record in scope_logs.log_records {
                let mut reject = |reason: String| {
                    out.rejected += 1;
                    out.first_error.get_or_insert(reason);
                };
                if let Err(message) = validate::check_name(&service, limits) {
                    reject(format!("service.name {message}"));
                    continue;
                }
                let time = if record.time_unix_nano > 0 {
                    record.time_unix_nano
                } else {
                    record.observed_time_unix_nano
                };
                let ts = if time == 0 {
                    Ok(now_ns)
                } else {
                    i64::try_from(time)
                        .map_err(|_| "time out of range".to_string())
                        .and_then(|t| validate::timestamp(Some(&Value::from(t)), now_ns, limits))
                };
                let ts_ns = match ts {
                    Ok(ts) => ts,
                    Err(message) => {
                        reject(format!("timestamp {message}"));
                        continue;
                    }
                };
                let message = record.body.as_ref().map(text_of).unwrap_or_default();
                if let Err(reason) =
                    validate::check_free_text(&message, limits.max_message_len, "body")
                {
                    reject(reason);
                    continue;
                }
                let mut context = Map::new();
                let attributes = attributes_json(&record.attributes);
                if !attributes.is_empty() {
                    context.insert("attributes".into(), Value::Object(attributes));
                }
                if !resource.is_empty() {
                    context.insert("resource".into(), Value::Object(resource.clone()));
                }
                if let Some(scope) = scope.as_ref().filter(|s| !s.is_empty()) {
                    context.insert("scope".into(), Value::Object(scope.clone()));
                }
                out.batch.records.push(LogRecord {
                    tenant: tenant.to_string(),
                    service: service.clone(),
                    level: level(&record.severity_text, record.severity_number),
                    message,
                    ts_ns,
                    context: (!context.is_empty()).then(|| Value::Object(context).to_string()),
                    trace_id: hex_id(&record.trace_id, 16),
                    span_id: hex_id(&record.span_id, 8),
                    pattern_id: None,
                });
                out.batch.item_ids.push(None);
            }
        }
    }
    Ok(out)
}

/// Severity text when it names a level, else the severity number's range (OTLP data model:
/// 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL), else INFO.
fn level(text: &str, number: i32) -> Level {
    if let Ok(level) = Level::normalise(text) {
        return level;
    }
    match number {
        1..=4 => Level::Trace,
        5..=8 => Level::Debug,
        13..=16 => Level::Warn,
        17..=20 => Level::Error,
        21..=24 => Level::Fatal,
        _ => Level::Info,
    }
}

fn hex_id(bytes: &[u8], len: usize) -> Option<String> {
    (bytes.len() == len && bytes.iter().any(|b| *b != 0))
        .then(|| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn attributes_json(attributes: &[KeyValue]) -> Map<String, Value> {
    attributes
        .iter()
        .map(|kv| {
            (
                kv.key.clone(),
                kv.value.as_ref().map_or(Value::Null, json_of),
            )
        })
        .collect()
}

fn json_of(value: &AnyValue) -> Value {
    match &value.value {
        None => Value::Null,
        Some(any_value::Value::StringValue(s)) => Value::String(s.clone()),
        Some(any_value::Value::BoolValue(b)) => Value::Bool(*b),
        Some(any_value::Value::IntValue(i)) => Value::from(*i),
        Some(any_value::Value::DoubleValue(d)) => {
            serde_json::Number::from_f64(*d).map_or(Value::Null, Value::Number)
        }
        Some(any_value::Value::ArrayValue(array)) => {
            Value::Array(array.values.iter().map(json_of).collect())
        }
        Some(any_value::Value::KvlistValue(list)) => Value::Object(attributes_json(&list.values)),
        Some(any_value::Value::BytesValue(bytes)) => {
            Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect())
        }
        // Any other (newer) kind: kept as its debug text rather than dropped.
        Some(other) => Value::String(format!("{other:?}")),
    }
}

/// A value as text: strings as they are, everything else as JSON.
fn text_of(value: &AnyValue) -> String {
    match &value.value {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        _ => json_of(value).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry_proto::tonic::common::v1::InstrumentationScope;
    use opentelemetry_proto::tonic::logs::v1::{LogRecord as OtlpRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use prost::Message;

    use super::*;

    const NOW: i64 = 1_758_362_400_000_000_000;

    fn string(key: &str, value: &str) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: Some(AnyValue {
                value: Some(any_value::Value::StringValue(value.into())),
            }),
            ..Default::default()
        }
    }

    pub(crate) fn request(records: Vec<OtlpRecord>) -> ExportLogsServiceRequest {
        ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                resource: Some(Resource {
                    attributes: vec![
                        string("service.name", "checkout"),
                        string("host.name", "h1"),
                    ],
                    ..Default::default()
                }),
                scope_logs: vec![ScopeLogs {
                    scope: Some(InstrumentationScope {
                        name: "app.logger".into(),
                        version: "1.2".into(),
                        ..Default::default()
                    }),
                    log_records: records,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    fn record(time: u64, severity_text: &str, severity_number: i32, body: &str) -> OtlpRecord {
        OtlpRecord {
            time_unix_nano: time,
            severity_text: severity_text.into(),
            severity_number,
            body: Some(AnyValue {
                value: Some(any_value::Value::StringValue(body.into())),
            }),
            attributes: vec![string("http.route", "/pay")],
            trace_id: (1..=16).collect(),
            span_id: (1..=8).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn maps_protobuf_logs_per_the_specification() {
        let body = request(vec![
            record(NOW as u64, "", 17, "payment failed"),
            record(0, "warning", 0, "slow"),
        ])
        .encode_to_vec();
        let out = decode_otlp_logs(
            &body,
            OtlpFormat::Protobuf,
            "t",
            NOW + 5,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(out.rejected, 0);
        let first = &out.batch.records[0];
        assert_eq!(
            (first.service.as_str(), first.level, first.ts_ns),
            ("checkout", Level::Error, NOW)
        );
        assert_eq!(first.message, "payment failed");
        assert_eq!(
            first.trace_id.as_deref(),
            Some("0102030405060708090a0b0c0d0e0f10")
        );
        assert_eq!(first.span_id.as_deref(), Some("0102030405060708"));
        let context: Value = serde_json::from_str(first.context.as_deref().unwrap()).unwrap();
        assert_eq!(context["attributes"]["http.route"], "/pay");
        assert_eq!(context["resource"]["host.name"], "h1");
        assert_eq!(context["scope"]["name"], "app.logger");
        let second = &out.batch.records[1];
        assert_eq!(
            (second.level, second.ts_ns),
            (Level::Warn, NOW + 5),
            "no time: now"
        );
    }

    #[test]
    fn decodes_otlp_json_and_reports_partial_success() {
        let json = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
            "scopeLogs":[{"logRecords":[
                {"timeUnixNano":"1758362400000000000","severityText":"INFO","body":{"stringValue":"hello"},
                 "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},
                {"timeUnixNano":"1000000000","body":{"stringValue":"ancient"}}]}]}]}"#;
        let limits = Limits {
            max_age_ns: 86_400_000_000_000,
            ..Limits::default()
        };
        let out = decode_otlp_logs(json.as_bytes(), OtlpFormat::Json, "t", NOW, &limits).unwrap();
        assert_eq!(out.batch.records.len(), 1);
        assert_eq!(
            out.batch.records[0].trace_id.as_deref(),
            Some("5b8efff798038103d269b633813fc60c")
        );
        assert_eq!(out.rejected, 1);
        assert!(out.first_error.unwrap().contains("retention"));
    }

    #[test]
    fn refuses_malformed_bodies() {
        assert!(matches!(
            decode_otlp_logs(
                b"\xff\xff\xff",
                OtlpFormat::Protobuf,
                "t",
                NOW,
                &Limits::default()
            ),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(matches!(
            decode_otlp_logs(b"{", OtlpFormat::Json, "t", NOW, &Limits::default()),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(OtlpFormat::from_content_type(Some("text/plain")).is_err());
    }
}
