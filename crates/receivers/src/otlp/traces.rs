//! OTLP traces: export requests to [`Span`]s.
//!
//! Mapping (OpenTelemetry specification): `service.name` (resource) → service; trace, span and
//! parent ids as lower-case hex; kind and status code by their OTLP numbers; duration = end −
//! start; span, resource and scope attributes kept as a JSON object under `attributes`,
//! `resource` and `scope`; events and links kept as JSON arrays. A span without a valid trace or
//! span id, with an end before its start, or outside the accepted time window is left out and
//! reported as partial success.

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::trace::v1::Span as OtlpSpan;
use serde_json::{Map, Value};
use telemetryhub_model::{Span, SpanKind, SpanStatus};

use super::{
    OtlpFormat, attributes_json, check_item_count, decode_otlp_request, hex_id, resource_of,
};
use crate::validate;
use crate::{Limits, ReceiveError};

/// Valid spans, and how many were rejected with the first reason.
#[derive(Debug, Default)]
pub struct OtlpSpans {
    /// The spans to store.
    pub spans: Vec<Span>,
    /// Spans left out.
    pub rejected: usize,
    /// Why the first one was left out.
    pub first_error: Option<String>,
}

/// Decodes an OTLP traces export body; see [`otlp_traces`].
pub fn decode_otlp_traces(
    body: &[u8],
    format: OtlpFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpSpans, ReceiveError> {
    otlp_traces(
        decode_otlp_request(body, format, limits)?,
        tenant,
        now_ns,
        limits,
    )
}

/// Maps a decoded OTLP traces export request (from OTLP/HTTP or OTLP/gRPC) to spans.
pub fn otlp_traces(
    request: ExportTraceServiceRequest,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpSpans, ReceiveError> {
    let total: usize = request
        .resource_spans
        .iter()
        .flat_map(|r| &r.scope_spans)
        .map(|s| s.spans.len())
        .sum();
    check_item_count(total, limits)?;
    let mut out = OtlpSpans::default();
    for resource_spans in request.resource_spans {
        let (service, resource) = resource_of(resource_spans.resource);
        for scope_spans in resource_spans.scope_spans {
            let scope = scope_spans.scope.map(super::scope_json);
            for span in scope_spans.spans {
                let context = Context {
                    tenant,
                    service: &service,
                    resource: &resource,
                    scope: scope.as_ref(),
                };
                match context.span(span, now_ns, limits) {
                    Ok(span) => out.spans.push(span),
                    Err(reason) => {
                        out.rejected += 1;
                        out.first_error.get_or_insert(reason);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What the spans of one scope share.
struct Context<'a> {
    tenant: &'a str,
    service: &'a str,
    resource: &'a Map<String, Value>,
    scope: Option<&'a Map<String, Value>>,
}

impl Context<'_> {
    fn span(&self, span: OtlpSpan, now_ns: i64, limits: &Limits) -> Result<Span, String> {
        validate::check_name(self.service, limits).map_err(|m| format!("service.name {m}"))?;
        let trace_id = hex_id(&span.trace_id, 16)
            .ok_or("trace_id must be 16 bytes and not all zero".to_string())?;
        let span_id = hex_id(&span.span_id, 8)
            .ok_or("span_id must be 8 bytes and not all zero".to_string())?;
        if span.name.is_empty() {
            return Err("span name is empty".into());
        }
        validate::check_free_text(&span.name, limits.max_message_len, "name")?;
        let start_ns = i64::try_from(span.start_time_unix_nano)
            .map_err(|_| "start time out of range".to_string())
            .and_then(|t| validate::check_window(t, now_ns, limits))
            .map_err(|m| format!("start time {m}"))?;
        let end_ns = i64::try_from(span.end_time_unix_nano)
            .map_err(|_| "end time out of range".to_string())?;
        if end_ns < start_ns {
            return Err("end time is before start time".into());
        }
        let mut attributes = Map::new();
        let own = attributes_json(&span.attributes);
        if !own.is_empty() {
            attributes.insert("attributes".into(), Value::Object(own));
        }
        if !self.resource.is_empty() {
            attributes.insert("resource".into(), Value::Object(self.resource.clone()));
        }
        if let Some(scope) = self.scope.filter(|s| !s.is_empty()) {
            attributes.insert("scope".into(), Value::Object(scope.clone()));
        }
        let events: Vec<Value> = span
            .events
            .iter()
            .map(|event| {
                serde_json::json!({
                    "time_ns": event.time_unix_nano,
                    "name": event.name,
                    "attributes": attributes_json(&event.attributes),
                })
            })
            .collect();
        let links: Vec<Value> = span
            .links
            .iter()
            .filter_map(|link| {
                Some(serde_json::json!({
                    "trace_id": hex_id(&link.trace_id, 16)?,
                    "span_id": hex_id(&link.span_id, 8)?,
                    "attributes": attributes_json(&link.attributes),
                }))
            })
            .collect();
        let status = span.status.unwrap_or_default();
        Ok(Span {
            tenant: self.tenant.to_string(),
            trace_id,
            span_id,
            parent_span_id: hex_id(&span.parent_span_id, 8),
            service: self.service.to_string(),
            name: span.name,
            kind: SpanKind::from_otlp(span.kind),
            start_ns,
            duration_ns: end_ns - start_ns,
            status: SpanStatus::from_otlp(status.code),
            status_message: (!status.message.is_empty()).then_some(status.message),
            attributes: (!attributes.is_empty()).then(|| Value::Object(attributes).to_string()),
            events: (!events.is_empty()).then(|| Value::Array(events).to_string()),
            links: (!links.is_empty()).then(|| Value::Array(links).to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use opentelemetry_proto::tonic::trace::v1::span::{Event, Link};
    use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Status};
    use prost::Message;

    use super::*;
    use crate::otlp::tests::{NOW, string};

    /// A request with one resource (`checkout`) holding `spans`.
    pub(crate) fn request(spans: Vec<OtlpSpan>) -> ExportTraceServiceRequest {
        ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                resource: Some(Resource {
                    attributes: vec![string("service.name", "checkout")],
                    ..Default::default()
                }),
                scope_spans: vec![ScopeSpans {
                    spans,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    fn otlp_span(span_id: u8, parent: Option<u8>, start: u64, end: u64) -> OtlpSpan {
        OtlpSpan {
            trace_id: vec![0x4b; 16],
            span_id: vec![span_id; 8],
            parent_span_id: parent.map(|p| vec![p; 8]).unwrap_or_default(),
            name: "GET /cart".into(),
            kind: 2,
            start_time_unix_nano: start,
            end_time_unix_nano: end,
            attributes: vec![string("http.route", "/cart")],
            ..Default::default()
        }
    }

    #[test]
    fn maps_spans_per_the_specification() {
        let start = NOW as u64 - 1_000_000_000;
        let mut child = otlp_span(2, Some(1), start + 10, start + 5_000_010);
        child.kind = 3;
        child.status = Some(Status {
            message: "card declined".into(),
            code: 2,
        });
        child.events = vec![Event {
            time_unix_nano: start + 20,
            name: "exception".into(),
            attributes: vec![string("exception.type", "Declined")],
            ..Default::default()
        }];
        child.links = vec![Link {
            trace_id: vec![7; 16],
            span_id: vec![8; 8],
            ..Default::default()
        }];
        let body =
            request(vec![otlp_span(1, None, start, start + 9_000_000), child]).encode_to_vec();
        let out =
            decode_otlp_traces(&body, OtlpFormat::Protobuf, "t", NOW, &Limits::default()).unwrap();
        assert_eq!(out.rejected, 0);
        let [root, child] = out.spans.as_slice() else {
            panic!("two spans expected, got {:?}", out.spans);
        };
        assert_eq!(root.trace_id, "4b".repeat(16));
        assert_eq!(root.span_id, "01".repeat(8));
        assert_eq!(root.parent_span_id, None);
        assert_eq!(root.service, "checkout");
        assert_eq!(root.kind, SpanKind::Server);
        assert_eq!(root.duration_ns, 9_000_000);
        assert_eq!(root.status, SpanStatus::Unset);
        let attributes: Value = serde_json::from_str(root.attributes.as_deref().unwrap()).unwrap();
        assert_eq!(attributes["attributes"]["http.route"], "/cart");
        assert_eq!(attributes["resource"]["service.name"], "checkout");
        assert_eq!(child.parent_span_id.as_deref(), Some("0101010101010101"));
        assert_eq!(child.kind, SpanKind::Client);
        assert_eq!(child.status, SpanStatus::Error);
        assert_eq!(child.status_message.as_deref(), Some("card declined"));
        let events: Value = serde_json::from_str(child.events.as_deref().unwrap()).unwrap();
        assert_eq!(events[0]["name"], "exception");
        assert_eq!(events[0]["attributes"]["exception.type"], "Declined");
        let links: Value = serde_json::from_str(child.links.as_deref().unwrap()).unwrap();
        assert_eq!(links[0]["trace_id"], "07".repeat(16));
    }

    #[test]
    fn decodes_otlp_json_and_reports_partial_success() {
        let start = NOW as u64 - 1_000_000_000;
        let good = otlp_span(1, None, start, start + 10);
        let mut no_trace = otlp_span(2, None, start, start + 10);
        no_trace.trace_id = vec![0; 16];
        let backwards = otlp_span(3, None, start + 10, start);
        let ancient = otlp_span(4, None, 1_000, 2_000);
        let body = serde_json::to_vec(&request(vec![good, no_trace, backwards, ancient])).unwrap();
        // OTLP/JSON writes ids as hex strings, not base64.
        assert!(String::from_utf8_lossy(&body).contains(&"4b".repeat(16)));
        let limits = Limits {
            max_age_ns: 30 * 86_400 * 1_000_000_000,
            ..Limits::default()
        };
        let out = decode_otlp_traces(&body, OtlpFormat::Json, "t", NOW, &limits).unwrap();
        assert_eq!(out.spans.len(), 1);
        assert_eq!(out.rejected, 3);
        assert!(out.first_error.unwrap().contains("trace_id"));
    }

    #[test]
    fn refuses_malformed_and_oversized_requests() {
        let limits = Limits::default();
        assert!(matches!(
            decode_otlp_traces(b"\xff\xff", OtlpFormat::Protobuf, "t", NOW, &limits),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(matches!(
            decode_otlp_traces(b"{", OtlpFormat::Json, "t", NOW, &limits),
            Err(ReceiveError::Malformed(_))
        ));
        let small = Limits {
            max_items: 1,
            ..Limits::default()
        };
        let start = NOW as u64;
        let body = request(vec![
            otlp_span(1, None, start, start),
            otlp_span(2, None, start, start),
        ])
        .encode_to_vec();
        assert!(matches!(
            decode_otlp_traces(&body, OtlpFormat::Protobuf, "t", NOW, &small),
            Err(ReceiveError::TooManyItems { .. })
        ));
    }
}
