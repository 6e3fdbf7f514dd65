//! Traces end to end: OTLP/HTTP and OTLP/gRPC in, `/query/traces`, `/traces/{id}` (span tree and
//! the trace's log lines), the Jaeger query API, OTLP error bodies, and survival of a restart.

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::span::Event;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
use prost::Message;
use serde_json::{Value, json};

use crate::support::{Server, error_code};

const TRACE_A: [u8; 16] = [0xa1; 16];
const TRACE_B: [u8; 16] = [0xb2; 16];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn text(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.into())),
        }),
        ..Default::default()
    }
}

fn resource(service: &str, spans: Vec<Span>) -> ResourceSpans {
    ResourceSpans {
        resource: Some(Resource {
            attributes: vec![text("service.name", service), text("host.name", "h1")],
            ..Default::default()
        }),
        scope_spans: vec![ScopeSpans {
            spans,
            ..Default::default()
        }],
        ..Default::default()
    }
}

struct SpanSpec<'a> {
    trace: [u8; 16],
    id: u8,
    parent: Option<u8>,
    name: &'a str,
    kind: i32,
    offset_ms: u64,
    duration_ms: u64,
}

fn span(spec: SpanSpec<'_>, start_ns: u64) -> Span {
    let start = start_ns + spec.offset_ms * 1_000_000;
    Span {
        trace_id: spec.trace.to_vec(),
        span_id: vec![spec.id; 8],
        parent_span_id: spec.parent.map(|p| vec![p; 8]).unwrap_or_default(),
        name: spec.name.into(),
        kind: spec.kind,
        start_time_unix_nano: start,
        end_time_unix_nano: start + spec.duration_ms * 1_000_000,
        attributes: vec![text("http.route", spec.name)],
        ..Default::default()
    }
}

/// Trace A: `frontend` GET /checkout (120 ms) → `payments` charge (80 ms, failed, one event).
/// Trace B: `frontend` GET /health (2 ms).
fn checkout_request(start_ns: u64) -> ExportTraceServiceRequest {
    let root = span(
        SpanSpec {
            trace: TRACE_A,
            id: 1,
            parent: None,
            name: "GET /checkout",
            kind: 2,
            offset_ms: 0,
            duration_ms: 120,
        },
        start_ns,
    );
    let mut charge = span(
        SpanSpec {
            trace: TRACE_A,
            id: 2,
            parent: Some(1),
            name: "charge",
            kind: 3,
            offset_ms: 10,
            duration_ms: 80,
        },
        start_ns,
    );
    charge.status = Some(Status {
        message: "card declined".into(),
        code: 2,
    });
    charge.events = vec![Event {
        time_unix_nano: start_ns + 50_000_000,
        name: "retry".into(),
        attributes: vec![text("attempt", "2")],
        ..Default::default()
    }];
    let health = span(
        SpanSpec {
            trace: TRACE_B,
            id: 3,
            parent: None,
            name: "GET /health",
            kind: 2,
            offset_ms: 500,
            duration_ms: 2,
        },
        start_ns,
    );
    ExportTraceServiceRequest {
        resource_spans: vec![
            resource("frontend", vec![root, health]),
            resource("payments", vec![charge]),
        ],
    }
}

fn names(spans: &Value) -> Vec<String> {
    spans
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {spans}"))
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `google.rpc.Status` as OTLP/HTTP error bodies carry it (field numbers of status.proto).
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

#[tokio::test]
async fn otlp_http_traces_query_tree_logs_and_jaeger_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let start_ns = telemetryhub_model::now_ns() as u64 - 60_000_000_000;
    let response = server
        .post(
            "/v1/traces",
            "application/x-protobuf",
            checkout_request(start_ns).encode_to_vec(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let answer = ExportTraceServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    assert!(answer.partial_success.is_none(), "{answer:?}");
    let (a, b) = (hex(&TRACE_A), hex(&TRACE_B));
    let (status, _) = server
        .post_json(
            "/ingest/logs",
            &json!([
                {"service": "payments", "level": "error", "message": "card declined for order 7", "trace_id": a},
                {"service": "payments", "level": "info", "message": "unrelated"},
            ]),
        )
        .await;
    assert_eq!(status, 200);

    // Span search.
    let all = server.get_json("/query/traces").await;
    assert_eq!(names(&all), vec!["GET /health", "charge", "GET /checkout"]);
    let slow = server.get_json("/query/traces?min_duration=50ms").await;
    assert_eq!(names(&slow), vec!["charge", "GET /checkout"]);
    let fast = server
        .get_json("/query/traces?service=frontend&max_duration=0.1s")
        .await;
    assert_eq!(names(&fast), vec!["GET /health"]);
    let failed = server.get_json("/query/traces?status=error").await;
    assert_eq!(names(&failed), vec!["charge"]);
    let charge = &failed[0];
    assert_eq!(charge["service"], "payments");
    assert_eq!(charge["kind"], "client");
    assert_eq!(charge["status_message"], "card declined");
    assert_eq!(charge["duration_ms"], 80.0);
    assert_eq!(charge["parent_span_id"], hex(&[1; 8]));
    assert_eq!(charge["events"][0]["name"], "retry");
    assert_eq!(charge["attributes"]["resource"]["host.name"], "h1");
    assert_eq!(charge["trace_url"], format!("/traces/{a}"));
    let named = server
        .get_json("/query/traces?name=GET%20/checkout&limit=5")
        .await;
    assert_eq!(names(&named), vec!["GET /checkout"]);
    let bad = server
        .client
        .get(server.url("/query/traces?status=sideways"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(error_code(&bad.json().await.unwrap()), "invalid_argument");

    // One trace as a tree, with its logs; logs link back to it.
    let trace = server.get_json(&format!("/traces/{a}")).await;
    assert_eq!(trace["span_count"], 2);
    assert_eq!(trace["services"], json!(["frontend", "payments"]));
    assert_eq!(trace["error_count"], 1);
    assert_eq!(trace["duration_ms"], 120.0);
    assert_eq!(trace["roots"].as_array().unwrap().len(), 1);
    assert_eq!(trace["roots"][0]["name"], "GET /checkout");
    assert_eq!(trace["roots"][0]["children"][0]["name"], "charge");
    assert_eq!(trace["logs"][0]["message"], "card declined for order 7");
    let lines = server
        .get_json(&format!("/query/logs?trace_id={}", a.to_uppercase()))
        .await;
    assert_eq!(lines.as_array().unwrap().len(), 1);
    assert_eq!(lines[0]["trace_url"], format!("/traces/{a}"));
    let missing = server
        .client
        .get(server.url(&format!("/traces/{}", "f".repeat(32))))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(error_code(&missing.json().await.unwrap()), "not_found");
    let invalid = server
        .client
        .get(server.url("/traces/not-hex"))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 400);

    // The Jaeger query API, as Grafana's Jaeger data source calls it.
    let services = server.get_json("/api/services").await;
    assert_eq!(services["data"], json!(["frontend", "payments"]));
    let operations = server.get_json("/api/services/frontend/operations").await;
    assert_eq!(operations["data"], json!(["GET /checkout", "GET /health"]));
    let typed = server
        .get_json("/api/operations?service=payments&spanKind=client")
        .await;
    assert_eq!(
        typed["data"],
        json!([{"name": "charge", "spanKind": "client"}])
    );
    let found = server
        .get_json("/api/traces?service=payments&lookback=1h&limit=20")
        .await;
    let traces = found["data"].as_array().unwrap();
    assert_eq!(traces.len(), 1);
    let jaeger = &traces[0];
    assert_eq!(jaeger["traceID"], a);
    assert_eq!(jaeger["spans"].as_array().unwrap().len(), 2);
    assert_eq!(jaeger["processes"].as_object().unwrap().len(), 2);
    let jaeger_charge = jaeger["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["operationName"] == "charge")
        .unwrap();
    assert_eq!(jaeger_charge["references"][0]["refType"], "CHILD_OF");
    assert_eq!(jaeger_charge["duration"], 80_000);
    assert!(
        jaeger_charge["tags"]
            .as_array()
            .unwrap()
            .contains(&json!({"key": "error", "type": "bool", "value": true}))
    );
    assert_eq!(jaeger_charge["logs"][0]["fields"][0]["value"], "retry");
    let newest = server
        .get_json("/api/traces?service=frontend&limit=1")
        .await;
    assert_eq!(newest["data"][0]["traceID"], b);
    let tagged = server
        .get_json(
            "/api/traces?service=frontend&tags=%7B%22http.route%22%3A%22GET%20%2Fcheckout%22%7D",
        )
        .await;
    assert_eq!(tagged["data"].as_array().unwrap().len(), 1);
    assert_eq!(tagged["data"][0]["traceID"], a);
    let slow_only = server
        .get_json("/api/traces?service=frontend&minDuration=100ms")
        .await;
    assert_eq!(slow_only["data"].as_array().unwrap().len(), 1);
    let by_id = server.get_json(&format!("/api/traces/{b}")).await;
    assert_eq!(by_id["data"][0]["spans"][0]["operationName"], "GET /health");
    let unknown = server
        .client
        .get(server.url(&format!("/api/traces/{}", "e".repeat(32))))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let unknown: Value = unknown.json().await.unwrap();
    assert_eq!(unknown["errors"][0]["code"], 404);

    // Partial success and OTLP error bodies.
    let mut partial = checkout_request(start_ns);
    partial.resource_spans[0].scope_spans[0].spans[0].trace_id = vec![0; 16];
    let response = server
        .post(
            "/v1/traces",
            "application/json",
            serde_json::to_vec(&partial).unwrap(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["partialSuccess"]["rejectedSpans"], 1, "{answer}");
    // That resend stored trace A's charge span a second time; a trace shows it once.
    let resent = server.get_json(&format!("/traces/{a}")).await;
    assert_eq!(resent["span_count"], 2);
    let garbage = server
        .post(
            "/v1/traces",
            "application/x-protobuf",
            b"\xff\xff\xff".to_vec(),
        )
        .await;
    assert_eq!(garbage.status(), 400);
    let status = RpcStatus::decode(garbage.bytes().await.unwrap()).unwrap();
    assert_eq!(status.code, 3, "INVALID_ARGUMENT");
    assert!(status.message.contains("protobuf"), "{}", status.message);
    let garbage = server.post("/v1/traces", "application/json", "{").await;
    assert_eq!(garbage.status(), 400);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["code"], 3);
    assert_eq!(error_code(&body), "invalid_argument");

    // Spans are durable like every other write.
    let exit = server.stop();
    assert!(exit.success());
    let server = Server::start(dir.path(), &[]);
    let again = server.get_json(&format!("/traces/{a}")).await;
    assert_eq!(again["span_count"], 2);
}

#[tokio::test]
async fn otlp_grpc_logs_metrics_and_traces() {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient;
    use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
    use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::metrics::v1::{
        Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, metric, number_data_point,
    };

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns() as u64;
    let service = Some(Resource {
        attributes: vec![text("service.name", "grpc-svc")],
        ..Default::default()
    });

    let mut traces = TraceServiceClient::connect(server.otlp_grpc_url.clone())
        .await
        .expect("connect to OTLP/gRPC")
        .send_compressed(tonic::codec::CompressionEncoding::Gzip);
    let mut request = tonic::Request::new(checkout_request(now - 5_000_000_000));
    request
        .metadata_mut()
        .insert("x-scope-orgid", "team-grpc".parse().unwrap());
    let answer = traces.export(request).await.expect("export traces");
    assert!(answer.into_inner().partial_success.is_none());

    let mut with_bad_span = checkout_request(now - 5_000_000_000);
    with_bad_span.resource_spans[1].scope_spans[0].spans[0].span_id = vec![];
    let answer = traces
        .export(with_bad_span)
        .await
        .expect("export with a bad span")
        .into_inner();
    assert_eq!(
        answer.partial_success.map(|p| p.rejected_spans),
        Some(1),
        "a span without an id is rejected, the rest stored"
    );

    let mut logs = LogsServiceClient::connect(server.otlp_grpc_url.clone())
        .await
        .unwrap();
    logs.export(ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: service.clone(),
            scope_logs: vec![ScopeLogs {
                log_records: vec![LogRecord {
                    time_unix_nano: now,
                    severity_text: "WARN".into(),
                    body: Some(AnyValue {
                        value: Some(any_value::Value::StringValue("disk almost full".into())),
                    }),
                    trace_id: TRACE_A.to_vec(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    })
    .await
    .expect("export logs");

    let mut metrics = MetricsServiceClient::connect(server.otlp_grpc_url.clone())
        .await
        .unwrap();
    metrics
        .export(ExportMetricsServiceRequest {
            resource_metrics: vec![ResourceMetrics {
                resource: service,
                scope_metrics: vec![ScopeMetrics {
                    metrics: vec![Metric {
                        name: "queue.depth".into(),
                        data: Some(metric::Data::Gauge(Gauge {
                            data_points: vec![NumberDataPoint {
                                time_unix_nano: now,
                                value: Some(number_data_point::Value::AsDouble(12.5)),
                                ..Default::default()
                            }],
                        })),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        })
        .await
        .expect("export metrics");

    // The tenant came from the metadata; the default tenant sees only the second export.
    let tenant_trace = server
        .client
        .get(server.url(&format!("/traces/{}", hex(&TRACE_A))))
        .header("x-scope-orgid", "team-grpc")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(tenant_trace["span_count"], 2);
    let default_trace = server.get_json(&format!("/traces/{}", hex(&TRACE_A))).await;
    assert_eq!(default_trace["span_count"], 1);
    let lines = server.get_json("/query/logs?service=grpc-svc").await;
    assert_eq!(lines[0]["message"], "disk almost full");
    assert_eq!(lines[0]["level"], "WARN");
    assert_eq!(lines[0]["trace_id"], hex(&TRACE_A));
    let points = server
        .get_json("/query/metrics?service=grpc-svc&metric=queue_depth")
        .await;
    assert_eq!(points[0]["value"], 12.5);
}
