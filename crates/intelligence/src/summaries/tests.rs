//! The summary job against a real embedded store and a local HTTP server that speaks the
//! chat-completions protocol and checks what it receives.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use telemetryhub_model::{Level, LogRecord, LogsWrite, now_ns};
use telemetryhub_patterns::MinerConfig;
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};

use super::*;
use crate::llm::LlmConfig;

struct FakeLlm {
    url: String,
    requests: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<Value>>>,
}

/// Serves `/v1/chat/completions`: checks the key and model, answers a summary for every pattern
/// id it was sent (or `status` when it is not 200).
async fn fake_llm(status: StatusCode) -> FakeLlm {
    let requests = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (requests.clone(), bodies.clone());
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let (count, seen) = (count.clone(), seen.clone());
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                seen.lock().unwrap().push(body.clone());
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-key") {
                    return (StatusCode::UNAUTHORIZED, Json(json!({"error": "bad key"})));
                }
                if status != StatusCode::OK {
                    return (status, Json(json!({"error": "down"})));
                }
                let patterns: Vec<Value> = serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
                let answer: serde_json::Map<String, Value> = patterns
                    .iter()
                    .map(|p| (p["id"].as_str().unwrap().to_string(), json!(format!("LLM says: {}", p["template"].as_str().unwrap()))))
                    .collect();
                (
                    StatusCode::OK,
                    Json(json!({"choices": [{"message": {"role": "assistant", "content": Value::Object(answer).to_string()}}],
                                "usage": {"total_tokens": 50}})),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    FakeLlm {
        url,
        requests,
        bodies,
    }
}

fn llm(url: &str, budget: u64) -> LlmClient {
    LlmClient::new(LlmConfig {
        url: url.to_string(),
        api_key: Some("test-key".into()),
        model: "test-model".into(),
        timeout: Duration::from_secs(5),
        requests_per_minute: 6000,
        daily_token_budget: budget,
        batch_size: 2,
    })
    .unwrap()
}

async fn store_with_patterns() -> (tempfile::TempDir, Backend, Arc<PatternTagger>) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Backend::of(Arc::new(
        EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap(),
    ));
    let tagger = Arc::new(PatternTagger::new(MinerConfig::default()));
    let messages = [
        "db timeout after 3s",
        "db timeout after 4s",
        "user 1 logged in",
        "cache miss for key k9",
        "disk sda1 full",
    ];
    let mut records: Vec<LogRecord> = messages
        .iter()
        .map(|m| LogRecord {
            tenant: "t".into(),
            service: "api".into(),
            level: Level::Error,
            message: m.to_string(),
            ts_ns: now_ns(),
            context: None,
            trace_id: None,
            span_id: None,
            pattern_id: None,
            stream_labels: None,
        })
        .collect();
    let updates = tagger.tag("t", &mut records).updates;
    storage
        .data
        .write_logs(LogsWrite {
            records,
            patterns: updates,
            ..LogsWrite::new("t")
        })
        .await
        .unwrap();
    (dir, storage, tagger)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_summaries_are_requested_in_batches_and_stored() {
    let (_dir, storage, tagger) = store_with_patterns().await;
    let fake = fake_llm(StatusCode::OK).await;
    let job = SummaryJob::new(storage.clone(), tagger, Some(llm(&fake.url, 1_000_000)));
    assert_eq!(job.run_once().await.unwrap(), 4);
    assert_eq!(
        fake.requests.load(Ordering::SeqCst),
        2,
        "four patterns in batches of two"
    );
    let body = fake.bodies.lock().unwrap()[0].clone();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][0]["role"], "system");
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("db timeout after <*>")
    );
    let summaries = storage.state.pattern_summaries("t").await.unwrap();
    assert_eq!(summaries.len(), 4);
    assert!(
        summaries
            .iter()
            .all(|s| s.source == "llm" && s.text.starts_with("LLM says: "))
    );
    // Nothing grew: a second run writes nothing and asks nothing.
    assert_eq!(job.run_once().await.unwrap(), 0);
    assert_eq!(fake.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_and_a_spent_budget_fall_back_to_the_rule() {
    let (_dir, storage, tagger) = store_with_patterns().await;
    let down = fake_llm(StatusCode::INTERNAL_SERVER_ERROR).await;
    let job = SummaryJob::new(
        storage.clone(),
        tagger.clone(),
        Some(llm(&down.url, 1_000_000)),
    );
    assert_eq!(job.run_once().await.unwrap(), 4);
    let summaries = storage.state.pattern_summaries("t").await.unwrap();
    assert!(
        summaries.iter().all(|s| s.source == "rule"),
        "{summaries:?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.text.contains("db timeout after <*>") && s.text.contains("ERROR in api"))
    );

    let (_dir, storage, tagger) = store_with_patterns().await;
    let fake = fake_llm(StatusCode::OK).await;
    // The first answer reports 50 tokens against a budget of 40: the second batch is not sent.
    let job = SummaryJob::new(storage.clone(), tagger, Some(llm(&fake.url, 40)));
    assert_eq!(job.run_once().await.unwrap(), 4);
    assert_eq!(fake.requests.load(Ordering::SeqCst), 1);
    let sources: Vec<String> = storage
        .state
        .pattern_summaries("t")
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.source)
        .collect();
    assert_eq!(sources.iter().filter(|s| *s == "llm").count(), 2);
    assert_eq!(sources.iter().filter(|s| *s == "rule").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_llm_the_rule_writes_every_summary() {
    let (_dir, storage, tagger) = store_with_patterns().await;
    let job = SummaryJob::new(storage.clone(), tagger, None);
    assert_eq!(job.run_once().await.unwrap(), 4);
    assert!(
        storage
            .state
            .pattern_summaries("t")
            .await
            .unwrap()
            .iter()
            .all(|s| s.source == "rule")
    );
}
