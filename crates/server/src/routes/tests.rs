//! Router-level tests: each request goes through `crate::app` in-process (`oneshot`), over a
//! real embedded store in a temporary directory, and the answer's status and JSON shape are
//! checked. The domain rules behind these endpoints are tested in their own crates; these tests
//! are about the translation: parameters in, status codes and bodies out.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use telemetryhub_model::{
    Anomaly, Labels, Level, LogRecord, LogsWrite, Span, SpanKind, SpanStatus, SpansWrite,
    format_rfc3339, now_ns,
};
use telemetryhub_patterns::MinerConfig;
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_query::Backend;
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};
use tower::ServiceExt;

use crate::{AppState, ServerConfig};

const SECOND: i64 = 1_000_000_000;
const MINUTE: i64 = 60 * SECOND;

/// The application over an embedded store in a temporary directory (kept while the first
/// value lives).
pub(super) fn test_app() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    let state = AppState::new(
        Backend::of(storage),
        Arc::new(PatternTagger::new(MinerConfig::default())),
        ServerConfig::default(),
    );
    (dir, state)
}

/// Sends one request through the router; returns the status and the JSON body (`Null` when
/// the body is empty).
async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |json| Body::from(json.to_string()));
    let response = crate::app(state.clone())
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, json)
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, Value) {
    call(state, Method::GET, uri, None).await
}

pub(super) async fn post(state: &AppState, uri: &str, body: Value) -> (StatusCode, Value) {
    call(state, Method::POST, uri, Some(body)).await
}

/// Asserts the one error shape: the status, `error.code`, and `error.field` when one is blamed.
fn assert_error(answer: &(StatusCode, Value), status: StatusCode, field: Option<&str>) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    let code = if status == StatusCode::NOT_FOUND {
        "not_found"
    } else {
        "invalid_argument"
    };
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    assert_eq!(body["error"]["field"].as_str(), field, "{body}");
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

/// An anomaly of `payments/latency_ms` two minutes from `window_start_ns`, stored directly
/// (the detector's job is tested in intelligence).
async fn store_anomaly(state: &AppState, id: &str, window_start_ns: i64) {
    let anomaly = Anomaly {
        id: id.into(),
        tenant: "default".into(),
        service: "payments".into(),
        metric: "latency_ms".into(),
        labels: Labels::from([("env".to_string(), "prod".to_string())]),
        window_start_ns,
        window_end_ns: window_start_ns + 2 * MINUTE,
        score: 0.9,
        threshold: 0.7,
        value: 950.0,
        expected_low: 90.0,
        expected_high: 110.0,
        detector: "robust-seasonal".into(),
        model_version: "test".into(),
        ts_ns: window_start_ns,
        feedback: None,
    };
    state
        .backend()
        .state
        .put_anomalies(vec![anomaly])
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anomaly_drill_down_and_feedback() {
    let (_dir, state) = test_app();
    let start = now_ns() - 30 * MINUTE;
    store_anomaly(&state, "a1", start).await;
    let points: Vec<Value> = (-5..5)
        .map(|minute| {
            json!({"service": "payments", "metric": "latency_ms", "labels": {"env": "prod"},
                   "value": if minute == 0 { 950 } else { 100 },
                   "ts": format_rfc3339(start + minute * MINUTE)})
        })
        .collect();
    assert_eq!(
        post(&state, "/ingest/metrics", json!(points)).await.0,
        StatusCode::OK
    );
    let lines = json!([
        {"service": "payments", "level": "ERROR", "message": "db timeout after 900 ms", "ts": format_rfc3339(start + SECOND)},
        {"service": "payments", "level": "ERROR", "message": "db timeout after 901 ms", "ts": format_rfc3339(start + 2 * SECOND)},
    ]);
    assert_eq!(post(&state, "/ingest/logs", lines).await.0, StatusCode::OK);

    let (status, detail) = get(&state, "/anomalies/a1").await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(
        keys(&detail),
        vec![
            "detector",
            "exemplars",
            "expected",
            "id",
            "labels",
            "log_patterns",
            "metric",
            "model_version",
            "points",
            "score",
            "service",
            "spans",
            "threshold",
            "ts",
            "value",
            "window_end",
            "window_start",
        ],
        "no feedback before any is given"
    );
    assert_eq!(detail["id"], "a1");
    assert_eq!(detail["expected"], json!([90.0, 110.0]));
    assert_eq!(detail["window_start"], format_rfc3339(start));
    assert_eq!(detail["points"].as_array().unwrap().len(), 10);
    assert_eq!(keys(&detail["points"][0]), vec!["ts", "value"]);
    assert_eq!(detail["points"][5]["value"], 950.0);
    assert_eq!(
        keys(&detail["log_patterns"][0]),
        vec!["count_before", "count_during", "pattern_id", "template"]
    );
    assert_eq!(detail["log_patterns"][0]["count_during"], 2);
    assert_eq!(detail["exemplars"], json!([]));
    assert_eq!(
        detail["spans"],
        json!({"count": 0, "errors": 0, "slowest": []})
    );

    let (status, judged) = post(
        &state,
        "/anomalies/a1/feedback",
        json!({"label": "false_positive"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{judged}");
    assert_eq!(judged["feedback"], "false_positive");
    assert_eq!(
        judged["points"], detail["points"],
        "answered as GET shows it"
    );
    assert_eq!(
        get(&state, "/anomalies/a1").await.1["feedback"],
        "false_positive"
    );

    let unknown = get(&state, "/anomalies/0000000000000000").await;
    assert_error(&unknown, StatusCode::NOT_FOUND, None);
    assert_eq!(unknown.1["error"]["message"], "no anomaly 0000000000000000");
    assert_error(
        &get(&state, "/anomalies/not_an_id").await,
        StatusCode::BAD_REQUEST,
        Some("id"),
    );
    let too_long = format!("/anomalies/{}", "a".repeat(65));
    assert_error(
        &get(&state, &too_long).await,
        StatusCode::BAD_REQUEST,
        Some("id"),
    );
    let cases = [
        (
            "/anomalies/a1/feedback",
            json!({"label": "maybe"}),
            StatusCode::BAD_REQUEST,
            Some("label"),
        ),
        (
            "/anomalies/a1/feedback",
            json!({"label": "true_positive", "x": 1}),
            StatusCode::BAD_REQUEST,
            Some("body"),
        ),
        (
            "/anomalies/bad_id/feedback",
            json!({"label": "true_positive"}),
            StatusCode::BAD_REQUEST,
            Some("id"),
        ),
        (
            "/anomalies/a2/feedback",
            json!({"label": "true_positive"}),
            StatusCode::NOT_FOUND,
            None,
        ),
    ];
    for (uri, body, status, field) in cases {
        assert_error(&post(&state, uri, body).await, status, field);
    }
    // Another tenant does not see the anomaly.
    let request = Request::get("/anomalies/a1")
        .header("x-scope-orgid", "other")
        .body(Body::empty())
        .unwrap();
    let response = crate::app(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pattern_list_detail_and_feedback() {
    let (_dir, state) = test_app();
    let at = |minutes_ago: i64| format_rfc3339(now_ns() - minutes_ago * MINUTE);
    let lines = json!([
        {"service": "payments", "level": "INFO", "message": "cache warmed in 5 ms", "ts": at(20)},
        {"service": "payments", "level": "INFO", "message": "cache warmed in 6 ms", "ts": at(19)},
        {"service": "payments", "level": "ERROR", "message": "db timeout after 900 ms", "ts": at(10)},
    ]);
    assert_eq!(post(&state, "/ingest/logs", lines).await.0, StatusCode::OK);

    let (status, listed) = get(&state, "/patterns").await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed.as_array().unwrap().clone();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        keys(&listed[0]),
        vec![
            "error_count",
            "first_seen",
            "id",
            "important",
            "last_seen",
            "levels",
            "muted",
            "samples",
            "services",
            "summary",
            "summary_source",
            "support_count",
            "template",
        ],
        "no name or note before any is given"
    );
    assert_eq!(listed[0]["support_count"], 2);
    assert_eq!(listed[0]["services"], json!({"payments": 2}));
    assert_eq!(listed[0]["levels"], json!(["INFO"]));
    assert_eq!(listed[0]["summary_source"], "rule");
    let (cache, timeout) = (
        listed[0]["id"].as_u64().unwrap(),
        listed[1]["id"].as_u64().unwrap(),
    );
    let (_, by_errors) = get(&state, "/patterns?sort=errors&limit=1").await;
    assert_eq!(by_errors[0]["id"], timeout);

    let (status, detail) = get(&state, &format!("/patterns/{cache}?since=1h&step=1m")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["step_seconds"], 60.0);
    assert_eq!(
        detail["links"],
        json!({"logs": format!("/query/logs?pattern_id={cache}")})
    );
    let buckets = detail["histogram"].as_array().unwrap();
    assert_eq!(buckets.len(), 2);
    assert_eq!(keys(&buckets[0]), vec!["count", "ts"]);

    let (status, named) = post(
        &state,
        &format!("/patterns/{cache}/feedback"),
        json!({"name": "Cache", "important": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{named}");
    assert_eq!(
        (named["name"].as_str(), named["important"].as_bool()),
        (Some("Cache"), Some(true))
    );
    let (status, merged) = post(
        &state,
        &format!("/patterns/{cache}/feedback"),
        json!({"merge_into": timeout}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(
        (merged["id"].as_u64(), merged["support_count"].as_u64()),
        (Some(timeout), Some(3)),
        "answered as the target"
    );

    let missing = get(&state, "/patterns/424242").await;
    assert_error(&missing, StatusCode::NOT_FOUND, None);
    assert_eq!(missing.1["error"]["message"], "no log pattern 424242");
    let bad = [
        ("/patterns/abc".to_string(), "id"),
        ("/patterns?sort=loudest".to_string(), "sort"),
        ("/patterns?include_muted=yes".to_string(), "include_muted"),
        ("/patterns?level=loud".to_string(), "level"),
        (format!("/patterns/{timeout}?step=1ms"), "step"),
        (format!("/patterns/{timeout}?since=1h&until=2h"), "since"),
        (format!("/patterns/{timeout}?until=soon"), "until"),
    ];
    for (uri, field) in bad {
        assert_error(
            &get(&state, &uri).await,
            StatusCode::BAD_REQUEST,
            Some(field),
        );
    }
    let feedback = format!("/patterns/{timeout}/feedback");
    let refused = [
        (json!({"name": "x".repeat(1001)}), "name"),
        (json!({"merge_into": timeout}), "merge_into"),
        (json!({"colour": "red"}), "body"),
    ];
    for (body, field) in refused {
        assert_error(
            &post(&state, &feedback, body).await,
            StatusCode::BAD_REQUEST,
            Some(field),
        );
    }
    assert_error(
        &post(&state, "/patterns/424242/feedback", json!({"mute": true})).await,
        StatusCode::NOT_FOUND,
        None,
    );
}

/// Tenant `default`'s trace: a frontend root and a failed payments child, 10 minutes ago, and
/// a log line written inside it.
async fn store_trace(state: &AppState, trace_id: &str) {
    let start = now_ns() - 10 * MINUTE;
    let span =
        |id: &str, parent: Option<&str>, service: &str, name: &str, offset_ms: i64, status| Span {
            tenant: "default".into(),
            trace_id: trace_id.into(),
            span_id: id.into(),
            parent_span_id: parent.map(str::to_string),
            service: service.into(),
            name: name.into(),
            kind: SpanKind::Server,
            start_ns: start + offset_ms * 1_000_000,
            duration_ns: 80_000_000,
            status,
            status_message: None,
            attributes: Some(
                json!({"attributes": {"http.route": name}, "resource": {"service.name": service}})
                    .to_string(),
            ),
            events: None,
            links: None,
        };
    let spans = vec![
        span(
            "00000000000000a1",
            None,
            "frontend",
            "GET /checkout",
            0,
            SpanStatus::Unset,
        ),
        span(
            "00000000000000a2",
            Some("00000000000000a1"),
            "payments",
            "charge",
            40,
            SpanStatus::Error,
        ),
    ];
    let backend = state.backend();
    backend
        .data
        .write_spans(SpansWrite {
            tenant: "default".into(),
            spans,
            idempotency: None,
        })
        .await
        .unwrap();
    let line = LogRecord {
        tenant: "default".into(),
        service: "payments".into(),
        level: Level::Error,
        message: "card declined".into(),
        ts_ns: start + 50_000_000,
        context: None,
        trace_id: Some(trace_id.into()),
        span_id: Some("00000000000000a2".into()),
        pattern_id: None,
        stream_labels: None,
    };
    backend
        .data
        .write_logs(LogsWrite {
            tenant: "default".into(),
            records: vec![line],
            item_ids: vec![None],
            idempotency: None,
            patterns: Vec::new(),
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_as_a_tree_and_through_the_jaeger_api() {
    let (_dir, state) = test_app();
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    store_trace(&state, trace_id).await;

    let (status, trace) = get(&state, &format!("/traces/{}", trace_id.to_uppercase())).await;
    assert_eq!(status, StatusCode::OK, "{trace}");
    assert_eq!(
        keys(&trace),
        vec![
            "duration_ms",
            "error_count",
            "logs",
            "roots",
            "services",
            "span_count",
            "start",
            "trace_id",
            "truncated"
        ]
    );
    assert_eq!(trace["trace_id"], trace_id);
    assert_eq!(
        (trace["span_count"].as_u64(), trace["error_count"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(trace["services"], json!(["frontend", "payments"]));
    assert_eq!(trace["duration_ms"], 120.0);
    assert_eq!(trace["truncated"], false);
    assert_eq!(trace["roots"][0]["name"], "GET /checkout");
    assert_eq!(trace["roots"][0]["children"][0]["name"], "charge");
    assert_eq!(trace["roots"][0]["children"][0]["children"], json!([]));
    assert_eq!(trace["logs"][0]["message"], "card declined");
    let unknown = get(&state, &format!("/traces/{}", "f".repeat(32))).await;
    assert_error(&unknown, StatusCode::NOT_FOUND, None);
    assert_eq!(
        unknown.1["error"]["message"],
        format!("no trace with id {}", "f".repeat(32))
    );
    assert_error(
        &get(&state, "/traces/not-hex").await,
        StatusCode::BAD_REQUEST,
        Some("trace_id"),
    );

    let (status, found) = get(&state, "/api/traces?service=payments&lookback=1h").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        keys(&found),
        vec!["data", "errors", "limit", "offset", "total"]
    );
    assert_eq!(
        (found["total"].as_u64(), found["errors"].is_null()),
        (Some(1), true)
    );
    let jaeger = &found["data"][0];
    assert_eq!(
        keys(jaeger),
        vec!["processes", "spans", "traceID", "warnings"]
    );
    assert_eq!(jaeger["traceID"], trace_id);
    assert_eq!(jaeger["processes"].as_object().unwrap().len(), 2);
    let charge = jaeger["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["operationName"] == "charge")
        .unwrap();
    assert_eq!(
        charge["references"][0],
        json!({"refType": "CHILD_OF", "traceID": trace_id, "spanID": "00000000000000a1"})
    );
    assert_eq!(charge["duration"], 80_000);
    let tags = charge["tags"].as_array().unwrap();
    assert!(
        tags.contains(&json!({"key": "error", "type": "bool", "value": true})),
        "{tags:?}"
    );
    assert!(
        tags.contains(&json!({"key": "http.route", "type": "string", "value": "charge"})),
        "{tags:?}"
    );

    let tagged = |tags: &str| format!("/api/traces?tags={tags}");
    assert_eq!(get(&state, &tagged("error%3Dtrue")).await.1["total"], 1);
    assert_eq!(
        get(&state, &tagged("%7B%22http.route%22%3A%22refund%22%7D"))
            .await
            .1["data"],
        json!([])
    );
    let (status, envelope) = get(&state, &tagged("broken")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (
            envelope["data"].is_null(),
            envelope["errors"][0]["code"].as_u64()
        ),
        (true, Some(400))
    );

    let (status, by_id) = get(&state, &format!("/api/traces/{trace_id}")).await;
    assert_eq!(status, StatusCode::OK, "{by_id}");
    assert_eq!(by_id["data"][0]["spans"].as_array().unwrap().len(), 2);
    let (status, missing) = get(&state, &format!("/api/traces/{}", "e".repeat(32))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing["errors"][0],
        json!({"code": 404, "msg": format!("trace {} not found", "e".repeat(32))})
    );
}
