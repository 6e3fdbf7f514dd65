//! A real OpenTelemetry SDK (the Python SDK and its OTLP exporters, pinned in
//! `scripts/otel-peer/requirements.txt`; `scripts/test` installs them in a venv and names its
//! interpreter in `TELEMETRYHUB_OTEL_PYTHON`) sends traces, metrics and logs over OTLP/HTTP and
//! OTLP/gRPC; the test asserts all three arrive, linked, and are queryable.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::support::Server;

fn peer_python() -> PathBuf {
    std::env::var_os("TELEMETRYHUB_OTEL_PYTHON")
        .map(PathBuf::from)
        .expect(
            "TELEMETRYHUB_OTEL_PYTHON: a Python with the OpenTelemetry SDK (run scripts/test, which \
             installs it from scripts/otel-peer/requirements.txt and sets this variable)",
        )
}

/// Runs `send.py` for one transport and returns the trace id it printed.
async fn send(transport: &str, endpoint: &str, service: &str) -> String {
    let script = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../scripts/otel-peer/send.py");
    let child = tokio::process::Command::new(peer_python())
        .arg(script)
        .args([transport, endpoint, service])
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), child)
        .await
        .expect("the SDK peer finished within 120 s")
        .expect("run the SDK peer");
    assert!(
        output.status.success(),
        "the SDK peer ({transport}) failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

async fn assert_arrived(server: &Server, service: &str, trace_id: &str) {
    assert_eq!(
        trace_id.len(),
        32,
        "trace id printed by the peer: {trace_id:?}"
    );
    let trace = server.get_json(&format!("/traces/{trace_id}")).await;
    assert_eq!(trace["span_count"], 2, "{trace}");
    let root = &trace["roots"][0];
    assert_eq!(root["name"], "GET /orders");
    assert_eq!(root["kind"], "server");
    assert_eq!(root["service"], service);
    assert_eq!(root["attributes"]["attributes"]["http.route"], "/orders");
    assert_eq!(
        root["attributes"]["resource"]["telemetry.sdk.name"],
        "opentelemetry"
    );
    let child = &root["children"][0];
    assert_eq!(child["name"], "SELECT orders");
    assert_eq!(child["status"], "error");
    assert_eq!(child["status_message"], "deadlock");
    assert_eq!(child["events"][0]["name"], "retry");
    // The log lines were written inside the child span: they carry its ids and show with the trace.
    let logs = trace["logs"].as_array().expect("logs");
    let levels: Vec<&str> = logs.iter().filter_map(|l| l["level"].as_str()).collect();
    assert_eq!(levels, vec!["WARN", "ERROR"], "{trace}");
    assert!(logs.iter().all(|l| l["span_id"] == child["span_id"]));
    assert_eq!(logs[1]["message"], "query failed: deadlock detected");

    let latest = |points: Value| points[0]["value"].as_f64();
    let requests = server
        .get_json(&format!(
            "/query/metrics?service={service}&metric=peer_requests_total&labels=route=/orders"
        ))
        .await;
    assert_eq!(latest(requests), Some(3.0));
    let count = server
        .get_json(&format!(
            "/query/metrics?service={service}&metric=peer_latency_milliseconds_count"
        ))
        .await;
    assert_eq!(latest(count), Some(2.0));
    let sum = server
        .get_json(&format!(
            "/query/metrics?service={service}&metric=peer_latency_milliseconds_sum"
        ))
        .await;
    assert_eq!(latest(sum), Some(92.5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opentelemetry_sdk_over_http_and_grpc() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http_trace = send("http", &server.otlp_url, "sdk-http").await;
    let grpc_trace = send("grpc", &server.otlp_grpc_url, "sdk-grpc").await;
    assert_arrived(&server, "sdk-http", &http_trace).await;
    assert_arrived(&server, "sdk-grpc", &grpc_trace).await;
    let services = server.get_json("/api/services").await;
    assert_eq!(
        services["data"],
        serde_json::json!(["sdk-grpc", "sdk-http"])
    );
}
