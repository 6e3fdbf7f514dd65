//! Crash safety: concurrent clients, `kill -9` mid-stream, restart; every acknowledged line is
//! there exactly once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::Server;

const CLIENTS: usize = 4;
const BATCH: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_line_survives_kill_9_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // A short flush interval makes flushes (and WAL segment removal) happen during the run, so
    // the crash can land at any stage: mid-append, mid-flush, between flushes.
    let server = Server::start(dir.path(), &["--flush-interval", "300ms"]);
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let url = server.url("/ingest/logs");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut clients = Vec::new();
    for client_id in 0..CLIENTS {
        let acknowledged = acknowledged.clone();
        let url = url.clone();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        clients.push(tokio::spawn(async move {
            // Bounded: stops at the deadline, on the first failure (the server is gone), or
            // after 190 batches (so one query with limit 10 000 sees all of a client's lines).
            // The pause keeps the stream going long enough for flushes to happen.
            for batch in 0..190 {
                tokio::time::sleep(Duration::from_millis(5)).await;
                if Instant::now() > deadline {
                    break;
                }
                let lines: Vec<String> = (0..BATCH)
                    .map(|i| format!("client {client_id} batch {batch} line {i}"))
                    .collect();
                let body: Vec<_> = lines
                    .iter()
                    .map(|m| json!({"service":"crash","message":m}))
                    .collect();
                match client.post(&url).json(&body).send().await {
                    Ok(response) if response.status().is_success() => {
                        acknowledged.lock().unwrap().extend(lines)
                    }
                    _ => break,
                }
            }
        }));
    }
    // Let the clients get going for long enough that several flushes happened, then pull the
    // plug while they are still sending.
    let started = Instant::now();
    while (acknowledged.lock().unwrap().len() < 4_000
        || started.elapsed() < Duration::from_millis(1000))
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill9();
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 4_000,
        "the clients acknowledged only {} lines",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() < CLIENTS * 190 * BATCH,
        "the crash came after the clients had finished"
    );

    let server = Server::start(dir.path(), &[]);
    let mut counts: HashMap<String, usize> = HashMap::new();
    for client_id in 0..CLIENTS {
        let path =
            format!("/query/logs?service=crash&limit=10000&contains=client%20{client_id}%20batch");
        let stored = server.get_json(&path).await;
        let stored = stored.as_array().unwrap();
        assert!(
            stored.len() < 10_000,
            "a query limit cut the check short: {} lines",
            stored.len()
        );
        for line in stored {
            *counts
                .entry(line["message"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let flushes_before_crash =
        std::fs::read_dir(dir.path().join("parts/logs")).map_or(0, |days| days.count());
    assert!(
        flushes_before_crash > 0,
        "no flush happened before the crash; the test would not cover it"
    );
    let duplicated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "duplicated after restart: {:?}",
        &duplicated[..duplicated.len().min(5)]
    );
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|m| !counts.contains_key(*m))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged lines lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
}
