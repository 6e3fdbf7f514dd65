//! Every endpoint of the original API, on good input.

use std::io::Write;

use serde_json::{Value, json};

use crate::support::{Server, error_code, recent, values_of};

#[tokio::test]
async fn heartbeat_health_ready_and_request_ids() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--app-name", "payments-observability"]);
    let heartbeat = server.get_json("/").await;
    assert_eq!(heartbeat["status"], "ok");
    assert_eq!(heartbeat["service"], "payments-observability");
    assert!(heartbeat["version"].as_str().is_some());

    let health = server.get_json("/health").await;
    for key in ["rows_buffered", "parts", "bytes_on_disk", "wal_bytes"] {
        assert!(health["storage"][key].is_u64(), "{key} in {health}");
    }
    assert!(health["uptime_seconds"].as_f64().is_some());
    assert!(health["process"]["rss_bytes"].as_u64().unwrap() > 0);
    assert_eq!(server.get_json("/ready").await["status"], "ready");

    let generated = server.client.get(server.url("/")).send().await.unwrap();
    assert!(!generated.headers()["x-request-id"].is_empty());
    let honoured = server
        .client
        .get(server.url("/"))
        .header("x-request-id", "req-123")
        .send()
        .await
        .unwrap();
    assert_eq!(honoured.headers()["x-request-id"], "req-123");
    let missing = server
        .client
        .get(server.url("/nope"))
        .header("x-request-id", "req-404")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["x-request-id"], "req-404");
    assert_eq!(error_code(&missing.json().await.unwrap()), "not_found");
    let wrong_method = server
        .client
        .delete(server.url("/query/logs"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        error_code(&wrong_method.json().await.unwrap()),
        "method_not_allowed"
    );
}

#[tokio::test]
async fn metrics_ingest_in_every_framing_and_query() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let one = json!({"service":"payments","metric":"latency_ms","value":183,"ts":recent(300),"labels":{"env":"dev"}});
    assert_eq!(
        server.post_json("/ingest/metrics", &one).await,
        (200, json!({"accepted": 1}))
    );
    let array = json!([
        {"service":"payments","metric":"latency_ms","value":120.5,"ts":recent(200),"labels":{"env":"prod"}},
        {"service":"payments","metric":"latency_ms","value":99,"ts":recent(100),"labels":{"env":"prod","region":"eu"}},
    ]);
    assert_eq!(
        server.post_json("/ingest/metrics", &array).await,
        (200, json!({"accepted": 2}))
    );
    let ndjson = format!(
        "{}\n{}\n",
        json!({"service":"checkout","metric":"latency_ms","value":1,"ts":recent(50)}),
        json!({"service":"checkout","metric":"errors","value":2})
    );
    let response = server
        .post("/ingest/metrics", "application/x-ndjson", ndjson)
        .await;
    assert_eq!(response.status(), 200);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(
        json!({"service":"gz","metric":"m","value":3})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let response = server
        .client
        .post(server.url("/ingest/metrics"))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gzip.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let zstd_body = zstd::encode_all(
        json!({"service":"zs","metric":"m","value":4})
            .to_string()
            .as_bytes(),
        3,
    )
    .unwrap();
    let response = server
        .client
        .post(server.url("/ingest/metrics"))
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .body(zstd_body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let points = server
        .get_json("/query/metrics?service=payments&metric=latency_ms&limit=50")
        .await;
    let values: Vec<f64> = values_of(&points);
    assert_eq!(values, vec![99.0, 120.5, 183.0], "newest first");
    assert_eq!(points[0]["labels"], json!({"env":"prod","region":"eu"}));
    let prod = server
        .get_json("/query/metrics?service=payments&labels=env=prod")
        .await;
    assert_eq!(prod.as_array().unwrap().len(), 2);
    let eu = server
        .get_json("/query/metrics?labels=env%3Dprod,region%3Deu")
        .await;
    assert_eq!(eu.as_array().unwrap().len(), 1);
    let limited = server.get_json("/query/metrics?limit=2").await;
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let windowed = server
        .get_json("/query/metrics?service=payments&since=250s&until=150s")
        .await;
    assert_eq!(windowed.as_array().unwrap().len(), 1);
    let everything = server.get_json("/query/metrics?limit=100").await;
    assert_eq!(everything.as_array().unwrap().len(), 7);

    let series = server
        .get_json("/query/metrics?service=payments&metric=latency_ms&step=1h&agg=max")
        .await;
    let series = series.as_array().unwrap();
    assert_eq!(series.len(), 3, "one series per label set: {series:?}");
    for s in series {
        assert_eq!(s["agg"], "max");
        assert_eq!(s["step_seconds"], 3600.0);
        let total: u64 = s["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["count"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 1);
    }
    let counted = server
        .get_json("/query/metrics?metric=latency_ms&step=1d&agg=count")
        .await;
    let total: f64 = counted
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["points"].as_array().unwrap().clone())
        .map(|p| p["value"].as_f64().unwrap())
        .sum();
    assert_eq!(total, 4.0);
}

#[tokio::test]
async fn logs_ingest_and_query() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let logs = json!([
        {"service":"payments","level":"ERROR","message":"db timeout acquiring connection","ts":recent(30),"context":{"pool":"write"}},
        {"service":"payments","level":"warning","message":"slow query 1200ms","ts":recent(20),"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"},
        {"service":"checkout","level":"info","message":"order placed","ts":recent(10)},
    ]);
    assert_eq!(
        server.post_json("/ingest/logs", &logs).await,
        (200, json!({"accepted": 3}))
    );
    let all = server.get_json("/query/logs").await;
    let messages: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        vec![
            "order placed",
            "slow query 1200ms",
            "db timeout acquiring connection"
        ]
    );
    assert_eq!(all[1]["level"], "WARN", "levels are normalised");
    assert_eq!(all[1]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(all[2]["context"], json!({"pool":"write"}));
    let errors = server
        .get_json("/query/logs?service=payments&level=ERROR&since=1h&limit=50")
        .await;
    assert_eq!(errors.as_array().unwrap().len(), 1);
    let warn_alias = server.get_json("/query/logs?level=warning").await;
    assert_eq!(warn_alias.as_array().unwrap().len(), 1);
    let contains = server.get_json("/query/logs?contains=timeout").await;
    assert_eq!(contains[0]["message"], "db timeout acquiring connection");
    assert_eq!(
        server
            .get_json("/query/logs?limit=1")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn idempotency_keys_and_item_ids() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let body =
        json!([{"service":"api","metric":"m","value":1},{"service":"api","metric":"m","value":2}])
            .to_string();
    let send = |body: String| {
        server
            .client
            .post(server.url("/ingest/metrics"))
            .header("content-type", "application/json")
            .header("idempotency-key", "batch-7")
            .body(body)
            .send()
    };
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.json::<Value>().await.unwrap(), json!({"accepted": 2}));
    let again = send(body).await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), json!({"accepted": 2}));
    assert_eq!(
        server
            .get_json("/query/metrics")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let conflict = send(json!({"service":"api","metric":"m","value":3}).to_string())
        .await
        .unwrap();
    assert_eq!(conflict.status(), 409);
    assert_eq!(error_code(&conflict.json().await.unwrap()), "conflict");

    let with_ids = json!([
        {"id":"evt-1","service":"api","message":"first"},
        {"id":"evt-2","service":"api","message":"second"},
    ]);
    assert_eq!(server.post_json("/ingest/logs", &with_ids).await.0, 200);
    assert_eq!(server.post_json("/ingest/logs", &with_ids).await.0, 200);
    assert_eq!(
        server
            .get_json("/query/logs")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn tenants_are_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let response = server
        .client
        .post(server.url("/ingest/logs"))
        .header("x-scope-orgid", "team-a")
        .json(&json!({"service":"api","message":"secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.get_json("/query/logs").await, json!([]));
    let team_a: Value = server
        .client
        .get(server.url("/query/logs"))
        .header("x-scope-orgid", "team-a")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(team_a[0]["message"], "secret");
}

#[tokio::test]
async fn anomalies_metrics_flush_and_docs() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    assert_eq!(
        server
            .get_json("/anomalies?service=payments&metric=latency_ms&since=1h")
            .await,
        json!([])
    );
    assert_eq!(
        server
            .post_json("/ingest/logs", &json!({"service":"api","message":"x"}))
            .await
            .0,
        200
    );
    let flushed = server
        .client
        .post(server.url("/flush"))
        .send()
        .await
        .unwrap();
    assert_eq!(flushed.status(), 204);
    let health = server.get_json("/health").await;
    assert_eq!(health["storage"]["rows_buffered"], 0);
    assert_eq!(health["storage"]["parts"], 1);

    let exposition = server.exposition().await;
    for name in [
        "telemetry_ingest_requests_total{type=\"log\"} 1",
        "telemetry_ingest_latency_seconds_bucket",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "telemetryhub_wal_fsync_duration_seconds_bucket",
        "telemetryhub_buffer_rows",
        "telemetryhub_buffer_series 0",
        "telemetryhub_flushes_total",
        "telemetryhub_parts 1",
        "telemetryhub_uptime_seconds",
        "# TYPE telemetry_anomalies_total counter",
        "# TYPE telemetry_log_clusters_total counter",
    ] {
        assert!(exposition.contains(name), "{name} missing from /metrics");
    }

    let document = server.get_json("/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/ingest/metrics",
        "/ingest/logs",
        "/query/metrics",
        "/query/logs",
        "/anomalies",
        "/metrics",
        "/health",
    ] {
        assert!(
            document["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let docs = server
        .client
        .get(server.url("/docs/"))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), 200);
    let page = docs.text().await.unwrap();
    assert!(page.contains("swagger-ui"));
    assert!(
        !page.contains("https://"),
        "the docs page must not load assets from the network"
    );
    let bundle = server
        .client
        .get(server.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), 200, "Swagger UI assets are embedded");
}

#[tokio::test]
async fn app_name_from_the_original_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(dir.path(), &[], &[("APP_NAME", "legacy-name")]);
    assert_eq!(server.get_json("/").await["service"], "legacy-name");
    let document = server.get_json("/openapi.json").await;
    assert_eq!(document["info"]["title"], "legacy-name");
}

#[tokio::test]
async fn a_full_buffer_answers_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    // A one-byte buffer limit: any accepted write fills it, and the next write is refused until
    // the background flush empties it (it runs every 250 ms), so rapid writes soon meet a 503.
    let server = Server::start(dir.path(), &["--max-buffer-size", "1"]);
    let line = json!({"service":"api","message":"x"});
    let mut accepted = 0;
    let mut refused = None;
    for _ in 0..200 {
        let response = server
            .post("/ingest/logs", "application/json", line.to_string())
            .await;
        match response.status().as_u16() {
            200 => accepted += 1,
            503 => {
                refused = Some(response);
                break;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    let refused = refused.expect("no write was refused with a one-byte buffer");
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(error_code(&refused.json().await.unwrap()), "unavailable");
    assert_eq!(
        server
            .client
            .post(server.url("/flush"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        server.post_json("/ingest/logs", &line).await.0,
        200,
        "accepted again after the flush"
    );
    accepted += 1;
    assert_eq!(
        server
            .get_json("/query/logs")
            .await
            .as_array()
            .unwrap()
            .len(),
        accepted,
        "refused writes stored nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_anomaly_job_records_a_spike() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--anomaly-interval", "200ms"]);
    // Three hours of a quiet series at one point a minute, then a spike two minutes ago.
    let points: Vec<Value> = (0..180)
        .map(|i| {
            let minutes_ago = 181 - i;
            let value = if minutes_ago == 2 { 950.0 } else { 100.0 + (i % 5) as f64 };
            json!({"service":"payments","metric":"latency_ms","value":value,"ts":recent(minutes_ago * 60),"labels":{"env":"prod"}})
        })
        .collect();
    assert_eq!(
        server.post_json("/ingest/metrics", &json!(points)).await.0,
        200
    );
    let mut anomalies = json!([]);
    // Bounded wait for the job (it runs every 200 ms).
    for _ in 0..100 {
        anomalies = server
            .get_json("/anomalies?service=payments&metric=latency_ms&since=1d")
            .await;
        if !anomalies.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let anomalies = anomalies.as_array().unwrap();
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    let anomaly = &anomalies[0];
    assert_eq!(anomaly["value"], 950.0);
    assert_eq!(anomaly["labels"], json!({"env":"prod"}));
    assert!(anomaly["score"].as_f64().unwrap() >= anomaly["threshold"].as_f64().unwrap());
    let expected = anomaly["expected"].as_array().unwrap();
    assert!(
        expected[0].as_f64().unwrap() < 100.0 && expected[1].as_f64().unwrap() < 950.0,
        "{anomaly}"
    );
    assert_eq!(anomaly["detector"], "robust-seasonal");
    let exposition = server.exposition().await;
    assert!(
        exposition
            .contains("telemetry_anomalies_total{metric=\"latency_ms\",service=\"payments\"} 1"),
        "{exposition}"
    );
    assert_eq!(
        server.get_json("/anomalies?until=5h").await,
        json!([]),
        "windows after until are excluded"
    );

    // Drill-down: the points around the window and the log patterns whose rate changed.
    let logs = json!([
        {"service":"payments","level":"INFO","message":"cache warmed in 12 ms","ts":recent(150)},
        {"service":"payments","level":"ERROR","message":"db timeout after 3000 ms","ts":recent(110)},
        {"service":"payments","level":"ERROR","message":"db timeout after 2900 ms","ts":recent(105)},
        {"service":"payments","level":"ERROR","message":"db timeout after 3100 ms","ts":recent(100)},
        {"service":"checkout","level":"ERROR","message":"db timeout after 10 ms","ts":recent(100)},
    ]);
    assert_eq!(server.post_json("/ingest/logs", &logs).await.0, 200);
    let id = anomaly["id"].as_str().unwrap();
    let detail = server.get_json(&format!("/anomalies/{id}")).await;
    let values: Vec<f64> = values_of(&detail["points"]);
    assert!(
        values.contains(&950.0) && values.len() >= 30,
        "half an hour either side: {values:?}"
    );
    let times: Vec<&str> = detail["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ts"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let top = &detail["log_patterns"][0];
    assert_eq!(top["template"], "db timeout after <*>");
    assert_eq!(
        (top["count_before"].as_u64(), top["count_during"].as_u64()),
        (Some(0), Some(3)),
        "same service only"
    );
    assert!(detail.get("feedback").is_none());
    assert_eq!(detail["spans"]["count"], 0);
    assert_eq!(detail["exemplars"], json!([]));

    // Cross-signal drill-down: a failed slow span of the service and an exemplar of the series,
    // both inside the window, appear with links to their trace.
    let window_start =
        telemetryhub_model::parse_timestamp_str(anomaly["window_start"].as_str().unwrap()).unwrap();
    let trace_hex = "5a".repeat(16);
    post_span_and_exemplar(&server, window_start + 10_000_000_000, &trace_hex).await;
    let detail = server.get_json(&format!("/anomalies/{id}")).await;
    assert_eq!(detail["spans"]["count"], 1, "{detail}");
    assert_eq!(detail["spans"]["errors"], 1);
    assert_eq!(detail["spans"]["slowest"][0]["name"], "POST /pay");
    assert_eq!(
        detail["spans"]["slowest"][0]["trace_url"],
        format!("/traces/{trace_hex}")
    );
    assert_eq!(
        detail["exemplars"][0]["trace_url"],
        format!("/traces/{trace_hex}")
    );

    let (status, answered) = server
        .post_json(
            &format!("/anomalies/{id}/feedback"),
            &json!({"label": "false_positive"}),
        )
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["feedback"], "false_positive");
    assert_eq!(
        server.get_json(&format!("/anomalies/{id}")).await["feedback"],
        "false_positive",
        "persisted"
    );
    let (status, error) = server
        .post_json(
            &format!("/anomalies/{id}/feedback"),
            &json!({"label": "maybe"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&error).as_str()),
        (400, "invalid_argument")
    );
    let (status, error) = server
        .post_json(
            "/anomalies/0000000000000000/feedback",
            &json!({"label": "true_positive"}),
        )
        .await;
    assert_eq!((status, error_code(&error).as_str()), (404, "not_found"));
}

#[tokio::test]
async fn prometheus_remote_write() {
    use telemetryhub_receivers::prom_remote_write::proto::{
        Exemplar, Label, MetricMetadata, Sample, TimeSeries, WriteRequest,
    };

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now_ms = telemetryhub_model::now_ns() / 1_000_000;
    let request = WriteRequest {
        timeseries: vec![TimeSeries {
            labels: vec![
                Label::new("__name__", "http_requests_total"),
                Label::new("job", "api"),
                Label::new("code", "500"),
            ],
            samples: vec![
                Sample {
                    value: 7.0,
                    timestamp: now_ms - 30_000,
                },
                Sample {
                    value: 9.0,
                    timestamp: now_ms - 15_000,
                },
                Sample {
                    value: f64::from_bits(0x7ff0000000000002),
                    timestamp: now_ms,
                },
            ],
            exemplars: vec![Exemplar {
                labels: vec![Label::new("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")],
                value: 1.0,
                timestamp: now_ms - 15_000,
            }],
        }],
        metadata: vec![MetricMetadata {
            r#type: 1,
            metric_family_name: "http_requests_total".into(),
            help: "Requests served.".into(),
            unit: String::new(),
        }],
    };
    let response = server.post_remote_write(&request).await;
    assert_eq!(response.status(), 204);
    let points = server
        .get_json("/query/metrics?service=api&metric=http_requests_total")
        .await;
    let values: Vec<f64> = values_of(&points);
    assert_eq!(
        values,
        vec![9.0, 7.0],
        "the staleness marker is stored, but JSON answers leave non-finite values out"
    );
    assert_eq!(points[0]["labels"], json!({"code": "500", "job": "api"}));
    let exemplars = server
        .get_json("/query/exemplars?metric=http_requests_total&labels=code=500")
        .await;
    assert_eq!(exemplars.as_array().unwrap().len(), 1, "{exemplars}");
    assert_eq!(
        exemplars[0]["trace_url"],
        "/traces/4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(exemplars[0]["labels"], json!({"code": "500", "job": "api"}));
    let metadata = server.get_json("/api/v1/metadata").await;
    assert_eq!(
        metadata,
        json!({"status": "success", "data": {"http_requests_total": [{"type": "counter", "help": "Requests served.", "unit": ""}]}})
    );
    let exposition = server.exposition().await;
    assert!(
        exposition
            .contains("telemetryhub_remote_write_received_total{kind=\"non_finite_sample\"} 1")
    );

    let garbage = server
        .client
        .post(server.url("/api/v1/write"))
        .header("content-encoding", "snappy")
        .body(b"not snappy".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    assert_eq!(
        error_code(&garbage.json().await.unwrap()),
        "invalid_argument"
    );
}

#[tokio::test]
async fn otlp_http_metrics() {
    use opentelemetry_proto::tonic::collector::metrics::v1::{
        ExportMetricsServiceRequest, ExportMetricsServiceResponse,
    };
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::metrics::v1::{
        Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics,
        ScopeMetrics, metric, number_data_point,
    };
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use prost::Message;

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns() as u64;
    let text = |s: &str| {
        Some(AnyValue {
            value: Some(any_value::Value::StringValue(s.into())),
        })
    };
    let request = ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: Some(Resource {
                attributes: vec![KeyValue {
                    key: "service.name".into(),
                    value: text("checkout"),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            scope_metrics: vec![ScopeMetrics {
                metrics: vec![
                    Metric {
                        name: "cart.size".into(),
                        data: Some(metric::Data::Gauge(Gauge {
                            data_points: vec![NumberDataPoint {
                                time_unix_nano: now,
                                value: Some(number_data_point::Value::AsInt(3)),
                                ..Default::default()
                            }],
                        })),
                        ..Default::default()
                    },
                    Metric {
                        name: "http.server.duration".into(),
                        data: Some(metric::Data::Histogram(Histogram {
                            data_points: vec![HistogramDataPoint {
                                time_unix_nano: now,
                                count: 3,
                                sum: Some(0.9),
                                bucket_counts: vec![1, 2],
                                explicit_bounds: vec![0.25],
                                ..Default::default()
                            }],
                            aggregation_temporality: 2,
                        })),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let response = server
        .client
        .post(server.url("/v1/metrics"))
        .header("content-type", "application/x-protobuf")
        .body(request.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer = ExportMetricsServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    assert!(answer.partial_success.is_none());
    assert_eq!(
        values_of(
            &server
                .get_json("/query/metrics?service=checkout&metric=cart_size")
                .await
        ),
        vec![3.0]
    );
    let buckets = server
        .get_json("/query/metrics?service=checkout&metric=http_server_duration_bucket")
        .await;
    // Stored under Prometheus' names for OTLP metrics, with `job` from `service.name`.
    assert_eq!(buckets[0]["labels"]["job"], "checkout");
    // Each family's type is in Prometheus' metadata API, under its Prometheus name.
    let metadata = server.get_json("/api/v1/metadata").await;
    assert_eq!(
        metadata["data"]["http_server_duration"][0]["type"], "histogram",
        "{metadata}"
    );
    assert_eq!(
        metadata["data"]["cart_size"][0]["type"], "gauge",
        "{metadata}"
    );
    let mut by_le: Vec<(String, f64)> = buckets
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["labels"]["le"].as_str().unwrap().to_string(),
                p["value"].as_f64().unwrap(),
            )
        })
        .collect();
    by_le.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        by_le,
        vec![("+Inf".to_string(), 3.0), ("0.25".to_string(), 1.0)]
    );
    assert_eq!(
        values_of(
            &server
                .get_json("/query/metrics?service=checkout&metric=http_server_duration_count")
                .await
        ),
        vec![3.0]
    );
}

/// Sends one failed 900 ms span of `payments` (OTLP/HTTP) and one exemplar of
/// `latency_ms{env="prod"}` (remote_write), both at `ts_ns` and in trace `trace_hex`.
async fn post_span_and_exemplar(server: &Server, ts_ns: i64, trace_hex: &str) {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
    use prost::Message;
    use telemetryhub_receivers::prom_remote_write::proto::{
        Exemplar, Label, TimeSeries, WriteRequest,
    };

    let trace_id: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&trace_hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let spans = ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: vec![KeyValue {
                    key: "service.name".into(),
                    value: Some(AnyValue {
                        value: Some(any_value::Value::StringValue("payments".into())),
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans: vec![Span {
                    trace_id,
                    span_id: vec![7; 8],
                    name: "POST /pay".into(),
                    kind: 2,
                    start_time_unix_nano: ts_ns as u64,
                    end_time_unix_nano: ts_ns as u64 + 900_000_000,
                    status: Some(Status {
                        message: "db timeout".into(),
                        code: 2,
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let response = server
        .post(
            "/v1/traces",
            "application/x-protobuf",
            spans.encode_to_vec(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let write = WriteRequest {
        timeseries: vec![TimeSeries {
            labels: vec![
                Label::new("__name__", "latency_ms"),
                Label::new("env", "prod"),
                Label::new("service", "payments"),
            ],
            samples: vec![],
            exemplars: vec![Exemplar {
                labels: vec![Label::new("trace_id", trace_hex)],
                value: 950.0,
                timestamp: ts_ns / 1_000_000,
            }],
        }],
        metadata: vec![],
    };
    let response = server.post_remote_write(&write).await;
    assert_eq!(response.status(), 204);
}
