//! Data survives restarts: flushed parts, WAL-only data after kill -9, and a clean SIGTERM.

use serde_json::json;

use crate::support::Server;

async fn ingest(server: &Server, from: usize, to: usize) {
    let batch: Vec<_> = (from..to)
        .map(|i| json!({"service":"api","message":format!("line {i}")}))
        .collect();
    let (status, body) = server.post_json("/ingest/logs", &json!(batch)).await;
    assert_eq!(status, 200, "{body}");
}

async fn messages(server: &Server) -> Vec<String> {
    let mut found: Vec<String> = server
        .get_json("/query/logs?limit=10000")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap().to_string())
        .collect();
    found.sort();
    found
}

fn expected(to: usize) -> Vec<String> {
    let mut lines: Vec<String> = (0..to).map(|i| format!("line {i}")).collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn flushed_and_wal_only_data_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    ingest(&server, 0, 50).await;
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
    ingest(&server, 50, 80).await;
    let health = server.get_json("/health").await;
    assert_eq!(health["storage"]["parts"], 1);
    assert_eq!(
        health["storage"]["rows_buffered"], 30,
        "the last 30 lines are only in the WAL and buffer"
    );
    server.kill9();

    let server = Server::start(dir.path(), &[]);
    assert_eq!(
        messages(&server).await,
        expected(80),
        "after kill -9: parts plus WAL replay, no duplicates"
    );
    ingest(&server, 80, 100).await;
    let status = server.stop();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    let server = Server::start(dir.path(), &[]);
    assert_eq!(
        messages(&server).await,
        expected(100),
        "after a clean restart"
    );
    let health = server.get_json("/health").await;
    assert_eq!(
        health["storage"]["rows_buffered"], 0,
        "shutdown flushed the buffer"
    );
}
