//! Log patterns end to end: every line tagged at ingest, the pattern API, feedback, restarts.

use serde_json::{Value, json};

use crate::support::{Server, error_code, recent};

async fn ingest(server: &Server, lines: &[(&str, &str, &str)]) {
    let body: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (service, level, message))| json!({"service": service, "level": level, "message": message, "ts": recent(100 - i as i64)}))
        .collect();
    let (status, answer) = server.post_json("/ingest/logs", &json!(body)).await;
    assert_eq!(status, 200, "{answer}");
}

fn sample_lines() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "payments",
            "ERROR",
            "db timeout acquiring connection after 3000 ms",
        ),
        (
            "payments",
            "ERROR",
            "db timeout acquiring connection after 2500 ms",
        ),
        (
            "checkout",
            "WARN",
            "db timeout acquiring connection after 900 ms",
        ),
        ("checkout", "INFO", "order 1234 placed by user 77"),
        ("checkout", "INFO", "order 1235 placed by user 78"),
        ("payments", "INFO", "card authorised"),
    ]
}

async fn pattern_of(server: &Server, message: &str) -> u64 {
    let lines = server
        .get_json(&format!(
            "/query/logs?contains={}",
            message.replace(' ', "%20")
        ))
        .await;
    lines[0]["pattern_id"]
        .as_u64()
        .unwrap_or_else(|| panic!("no pattern_id on {lines}"))
}

#[tokio::test]
async fn every_line_gets_a_pattern_and_the_api_lists_them() {
    // Without an LLM every summary is the rule-based one (checked below via summary_source).

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    ingest(&server, &sample_lines()).await;

    let timeout = pattern_of(&server, "after 900 ms").await;
    assert_eq!(
        pattern_of(&server, "after 3000 ms").await,
        timeout,
        "similar errors across services group together"
    );
    let orders = pattern_of(&server, "order 1234").await;
    assert_ne!(orders, timeout);

    let patterns = server.get_json("/patterns").await;
    let patterns = patterns.as_array().unwrap();
    assert_eq!(patterns.len(), 3);
    let first = &patterns[0];
    assert_eq!(first["id"], timeout, "most frequent first");
    assert_eq!(
        first["template"], "db timeout acquiring connection after <*>",
        "units join their values"
    );
    assert_eq!(first["support_count"], 3);
    assert_eq!(first["error_count"], 2);
    assert_eq!(first["services"], json!({"checkout": 1, "payments": 2}));
    assert_eq!(first["levels"], json!(["ERROR", "WARN"]));
    assert_eq!(first["samples"].as_array().unwrap().len(), 3);
    let summary = first["summary"].as_str().unwrap();
    assert!(
        summary.contains("ERROR/WARN")
            && summary.contains("checkout, payments")
            && summary.contains("3 lines"),
        "{summary}"
    );
    assert!(first["first_seen"].as_str().unwrap() <= first["last_seen"].as_str().unwrap());
    assert_eq!(first["summary_source"], "rule");

    let errors = server.get_json("/patterns?level=error").await;
    assert_eq!(errors.as_array().unwrap().len(), 1);
    let checkout = server.get_json("/patterns?service=checkout&sort=new").await;
    assert_eq!(checkout.as_array().unwrap().len(), 2);
    let by_errors = server.get_json("/patterns?sort=errors&limit=1").await;
    assert_eq!(by_errors[0]["id"], timeout);

    let detail = server
        .get_json(&format!("/patterns/{timeout}?since=1h&step=1m"))
        .await;
    assert_eq!(detail["support_count"], 3);
    assert_eq!(detail["step_seconds"], 60.0);
    let total: u64 = detail["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 3);
    let link = detail["links"]["logs"].as_str().unwrap();
    assert_eq!(server.get_json(link).await.as_array().unwrap().len(), 3);

    let exposition = server.exposition().await;
    assert!(
        exposition.contains("telemetry_log_clusters_total{service=\"payments\"} 2"),
        "{exposition}"
    );
    assert!(exposition.contains("telemetry_log_clusters_total{service=\"checkout\"} 1"));
}

#[tokio::test]
async fn feedback_renames_mutes_flags_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    ingest(&server, &sample_lines()).await;
    let timeout = pattern_of(&server, "after 900 ms").await;
    let orders = pattern_of(&server, "order 1234").await;
    let card = pattern_of(&server, "card authorised").await;

    let (status, renamed) = server
        .post_json(
            &format!("/patterns/{card}/feedback"),
            &json!({"name": "Card auth OK", "note": "expected", "important": true}),
        )
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Card auth OK");
    let listed = server.get_json("/patterns").await;
    assert_eq!(listed[0]["id"], card, "important patterns come first");
    assert_eq!(listed[0]["note"], "expected");

    assert_eq!(
        server
            .post_json(
                &format!("/patterns/{orders}/feedback"),
                &json!({"mute": true})
            )
            .await
            .0,
        200
    );
    let listed = server.get_json("/patterns").await;
    assert!(
        listed.as_array().unwrap().iter().all(|p| p["id"] != orders),
        "muted patterns are hidden by default"
    );
    let all = server.get_json("/patterns?include_muted=true").await;
    assert_eq!(all.as_array().unwrap().len(), 3);

    let (status, merged) = server
        .post_json(
            &format!("/patterns/{card}/feedback"),
            &json!({"merge_into": timeout}),
        )
        .await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["id"], timeout);
    assert_eq!(
        merged["support_count"], 4,
        "the merged pattern's lines count with the target"
    );
    ingest(&server, &[("payments", "INFO", "card authorised")]).await;
    assert_eq!(
        pattern_of(&server, "card authorised").await,
        card,
        "lines keep the id they were stored with"
    );
    let lines = server
        .get_json(&format!("/query/logs?pattern_id={timeout}"))
        .await;
    assert_eq!(
        lines.as_array().unwrap().len(),
        5,
        "and are found through the target"
    );

    for (path, body, status, code) in [
        (
            "/patterns/999/feedback",
            json!({"mute": true}),
            404,
            "not_found",
        ),
        (
            "/patterns/abc/feedback",
            json!({"mute": true}),
            400,
            "invalid_argument",
        ),
        (
            &*format!("/patterns/{orders}/feedback"),
            json!({"colour": "red"}),
            400,
            "invalid_argument",
        ),
        (
            &*format!("/patterns/{orders}/feedback"),
            json!({"merge_into": orders}),
            400,
            "invalid_argument",
        ),
    ] {
        let (got, answer) = server.post_json(path, &body).await;
        assert_eq!(got, status, "{path}: {answer}");
        assert_eq!(error_code(&answer), code);
    }
    let missing = server
        .client
        .get(server.url("/patterns/424242"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let bad_sort = server
        .client
        .get(server.url("/patterns?sort=loudest"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_sort.status(), 400);
}

#[tokio::test]
async fn patterns_and_feedback_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    ingest(&server, &sample_lines()).await;
    let timeout = pattern_of(&server, "after 900 ms").await;
    let card = pattern_of(&server, "card authorised").await;
    assert_eq!(
        server
            .post_json(
                &format!("/patterns/{timeout}/feedback"),
                &json!({"name": "DB timeouts"})
            )
            .await
            .0,
        200
    );
    assert_eq!(
        server
            .post_json(
                &format!("/patterns/{card}/feedback"),
                &json!({"merge_into": timeout})
            )
            .await
            .0,
        200
    );
    server.kill9();

    let server = Server::start(dir.path(), &[]);
    ingest(
        &server,
        &[(
            "billing",
            "ERROR",
            "db timeout acquiring connection after 42 ms",
        )],
    )
    .await;
    assert_eq!(
        pattern_of(&server, "after 42 ms").await,
        timeout,
        "the miner came back with its patterns"
    );
    let detail = server.get_json(&format!("/patterns/{timeout}")).await;
    assert_eq!(detail["name"], "DB timeouts");
    assert_eq!(
        detail["support_count"], 5,
        "3 timeouts + 1 merged card line + 1 new"
    );
    let status = server.stop();
    assert!(status.success());

    let server = Server::start(dir.path(), &[]);
    ingest(&server, &[("payments", "INFO", "card authorised")]).await;
    let lines = server
        .get_json(&format!("/query/logs?pattern_id={timeout}"))
        .await;
    assert_eq!(lines.as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn mining_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--log-patterns", "false"]);
    ingest(&server, &sample_lines()).await;
    let lines = server.get_json("/query/logs").await;
    assert!(
        lines
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l.get("pattern_id").is_none())
    );
    assert_eq!(server.get_json("/patterns").await, json!([]));
}

/// A local server speaking the chat-completions protocol, recording what it receives.
async fn fake_chat_completions() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(Option<String>, Value)>>>,
) {
    use axum::http::HeaderMap;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
            let record = record.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
                record.lock().unwrap().push((auth, body.clone()));
                let patterns: Vec<Value> = serde_json::from_str(body["messages"][1]["content"].as_str().unwrap_or("[]")).unwrap_or_default();
                let answer: serde_json::Map<String, Value> =
                    patterns.iter().filter_map(|p| Some((p["id"].as_str()?.to_string(), json!("Summarised by the model")))).collect();
                axum::Json(json!({
                    "choices": [{"message": {"role": "assistant", "content": Value::Object(answer).to_string()}}],
                    "usage": {"total_tokens": 12}
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_come_from_an_openai_compatible_llm_when_configured() {
    let (llm_url, seen) = fake_chat_completions().await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        dir.path(),
        &["--summary-interval", "200ms", "--llm-model", "tiny-model"],
        &[
            ("TELEMETRYHUB_LLM_URL", llm_url.as_str()),
            ("TELEMETRYHUB_LLM_API_KEY", "sk-test"),
        ],
    );
    ingest(&server, &sample_lines()).await;
    let mut patterns = Value::Null;
    // Bounded wait for the background job (it runs every 200 ms).
    for _ in 0..100 {
        patterns = server.get_json("/patterns").await;
        if patterns
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["summary_source"] == "llm")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for pattern in patterns.as_array().unwrap() {
        assert_eq!(pattern["summary_source"], "llm", "{pattern}");
        assert_eq!(pattern["summary"], "Summarised by the model");
    }
    let requests = seen.lock().unwrap().clone();
    assert!(!requests.is_empty());
    let (auth, body) = &requests[0];
    assert_eq!(auth.as_deref(), Some("Bearer sk-test"));
    assert_eq!(body["model"], "tiny-model");
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("db timeout acquiring connection after <*>")
    );
}

#[tokio::test]
async fn extra_masks_are_configurable() {
    let lines = [
        ("deploy", "INFO", "deployed to useast"),
        ("deploy", "INFO", "deployed to uswest"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let plain = Server::start(dir.path(), &[]);
    ingest(&plain, &lines).await;
    assert_eq!(
        plain.get_json("/patterns").await.as_array().unwrap().len(),
        2,
        "two words: two events by default"
    );
    drop(plain);
    let dir = tempfile::tempdir().unwrap();
    let masked = Server::start(dir.path(), &["--log-pattern-mask", "us(east|west)"]);
    ingest(&masked, &lines).await;
    let patterns = masked.get_json("/patterns").await;
    assert_eq!(patterns.as_array().unwrap().len(), 1);
    assert_eq!(patterns[0]["template"], "deployed to <*>");
}

#[tokio::test]
async fn loki_push_json_and_protobuf() {
    use prost::Message;
    use telemetryhub_receivers::loki_push::proto::{
        EntryAdapter, LabelPair, PushRequest, StreamAdapter, Timestamp,
    };

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns();
    let json_push = json!({"streams": [{"stream": {"service_name": "checkout", "level": "error"},
        "values": [[(now - 2_000_000_000).to_string(), "db timeout after 3000 ms"], [(now - 1_000_000_000).to_string(), "db timeout after 120 ms", {"trace": "t1"}]]}]});
    let response = server
        .client
        .post(server.url("/loki/api/v1/push"))
        .header("x-scope-orgid", "team-a")
        .json(&json_push)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let request = PushRequest {
        streams: vec![StreamAdapter {
            labels: r#"{job="payments", level="warn"}"#.into(),
            entries: vec![EntryAdapter {
                timestamp: Some(Timestamp {
                    seconds: now / 1_000_000_000,
                    nanos: 0,
                }),
                line: "db timeout after 77 ms".into(),
                structured_metadata: vec![LabelPair {
                    name: "pod".into(),
                    value: "p-1".into(),
                }],
            }],
            hash: 0,
        }],
        format: String::new(),
    };
    let body = snap::raw::Encoder::new()
        .compress_vec(&request.encode_to_vec())
        .unwrap();
    let response = server
        .client
        .post(server.url("/loki/api/v1/push"))
        .header("content-type", "application/x-protobuf")
        .header("x-scope-orgid", "team-a")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let lines: Value = server
        .client
        .get(server.url("/query/logs"))
        .header("x-scope-orgid", "team-a")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (lines[0]["service"].as_str(), lines[0]["level"].as_str()),
        (Some("payments"), Some("WARN"))
    );
    assert_eq!(lines[0]["context"]["pod"], "p-1");
    assert_eq!(lines[1]["context"]["trace"], "t1");
    assert!(
        lines
            .iter()
            .all(|l| l["pattern_id"] == lines[0]["pattern_id"]),
        "all three share one pattern"
    );

    let bad = server
        .post(
            "/loki/api/v1/push",
            "application/x-protobuf",
            b"garbage".to_vec(),
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(error_code(&bad.json().await.unwrap()), "invalid_argument");
    assert_eq!(
        server.get_json("/query/logs").await,
        json!([]),
        "nothing in the default tenant"
    );
}

#[tokio::test]
async fn otlp_http_logs_protobuf_and_json() {
    use opentelemetry_proto::tonic::collector::logs::v1::{
        ExportLogsServiceRequest, ExportLogsServiceResponse,
    };
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
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
    let request = ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(Resource {
                attributes: vec![KeyValue {
                    key: "service.name".into(),
                    value: text("payments"),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            scope_logs: vec![ScopeLogs {
                log_records: vec![
                    LogRecord {
                        time_unix_nano: now,
                        severity_number: 17,
                        body: text("card declined by issuer 42"),
                        ..Default::default()
                    },
                    // Far older than the retention: left out, reported as partial success.
                    LogRecord {
                        time_unix_nano: 1_000_000_000,
                        body: text("ancient"),
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
        // OTLP's own port serves the same routes.
        .post(format!("{}/v1/logs", server.otlp_url))
        .header("content-type", "application/x-protobuf")
        .body(request.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-protobuf");
    let answer = ExportLogsServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    let partial = answer.partial_success.expect("one record was rejected");
    assert_eq!(partial.rejected_log_records, 1);
    assert!(partial.error_message.contains("retention"));

    let json = json!({"resourceLogs": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "payments"}}]},
        "scopeLogs": [{"logRecords": [{"timeUnixNano": now.to_string(), "severityText": "WARN", "body": {"stringValue": "card declined by issuer 7"}}]}]}]});
    let (status, answer) = server.post_json("/v1/logs", &json).await;
    assert_eq!(status, 200);
    assert!(
        answer.get("partialSuccess").is_none() || answer["partialSuccess"].is_null(),
        "{answer}"
    );

    let lines = server.get_json("/query/logs?service=payments").await;
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["level"], "ERROR", "severity number 17 is ERROR");
    assert_eq!(lines[0]["level"], "WARN");
    assert_eq!(
        lines[0]["pattern_id"], lines[1]["pattern_id"],
        "mined like any other line"
    );

    let bad = server.post("/v1/logs", "text/plain", "hello").await;
    assert_eq!(bad.status(), 415);
}
