//! The Grafana dashboards of `deploy/grafana/dashboards` work against TelemetryHub: a real
//! Prometheus scrapes the server's own `/metrics` every second and remote-writes the samples
//! back into it (the set-up the dashboards assume, `job="telemetryhub"`), the server gets some
//! traffic, then every panel's every expression — with Grafana's variables substituted as
//! Grafana computes them — runs as a range query through the Prometheus HTTP API, and must
//! answer without error and with data.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::support::{Prometheus, Server, with_query};

/// The scrape interval of this test, which the datasource's `timeInterval` would carry.
const SCRAPE_INTERVAL_S: i64 = 1;
/// The dashboard's time range.
const RANGE_S: i64 = 120;
/// Grafana's default number of points a panel asks for (about its width in pixels).
const MAX_DATA_POINTS: i64 = 1000;

/// Grafana's `$__interval`: the range over the panel's points, never below the datasource's
/// minimum interval (its scrape interval), in whole seconds here.
fn interval_s() -> i64 {
    (RANGE_S / MAX_DATA_POINTS).max(SCRAPE_INTERVAL_S)
}

/// `expr` with Grafana's variables replaced as Grafana does for a Prometheus datasource:
/// `$__rate_interval` = max(`$__interval` + scrape interval, 4 × scrape interval), `$__range`
/// the dashboard's range.
fn substitute(expr: &str) -> String {
    let rate_interval = (interval_s() + SCRAPE_INTERVAL_S).max(4 * SCRAPE_INTERVAL_S);
    expr.replace("$__rate_interval", &format!("{rate_interval}s"))
        .replace("$__interval", &format!("{}s", interval_s()))
        .replace("$__range", &format!("{RANGE_S}s"))
}

/// Every (dashboard file, panel title, expression) of the shipped dashboards.
fn panel_expressions() -> Vec<(String, String, String)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/grafana/dashboards");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "the dashboards are missing from {}",
        dir.display()
    );
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read dashboard");
        let dashboard: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: not JSON: {error}", file.display()));
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let panels = dashboard["panels"].as_array().cloned().unwrap_or_default();
        assert!(!panels.is_empty(), "{name} has no panels");
        for panel in panels {
            assert_eq!(
                panel["datasource"]["uid"], "telemetryhub",
                "{name}: panel {} uses another datasource",
                panel["title"]
            );
            for target in panel["targets"].as_array().cloned().unwrap_or_default() {
                let expr = target["expr"].as_str().unwrap_or_default().to_string();
                assert!(
                    !expr.is_empty(),
                    "{name}: panel {} has an empty target",
                    panel["title"]
                );
                out.push((
                    name.clone(),
                    panel["title"].as_str().unwrap_or("").to_string(),
                    expr,
                ));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_panel_answers_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("th"), &[]);
    let address = server.url.trim_start_matches("http://").to_string();
    let config = format!(
        "global:\n  scrape_interval: {SCRAPE_INTERVAL_S}s\n\
         scrape_configs:\n  - job_name: telemetryhub\n    static_configs:\n      - targets: ['{address}']\n\
         remote_write:\n  - url: http://{address}/api/v1/write\n    queue_config:\n      batch_send_deadline: 1s\n      min_backoff: 100ms\n      max_backoff: 1s\n"
    );
    let _prometheus = Prometheus::start(dir.path(), &config, &[]).await;
    // Traffic for every panel: metric and log ingest, a client error, queries and a flush.
    for i in 0..20 {
        let (status, _) = server
            .post_json(
                "/ingest/metrics",
                &json!({"service": "api", "metric": "latency_ms", "value": i, "ts": crate::support::recent(i)}),
            )
            .await;
        assert!(status < 300, "ingest: {status}");
        let (status, _) = server
            .post_json(
                "/ingest/logs",
                &json!({"service": "api", "level": "info", "message": format!("request {i} served"), "ts": crate::support::recent(i)}),
            )
            .await;
        assert!(status < 300, "ingest: {status}");
    }
    let missing = server
        .client
        .get(server.url("/no-such-route"))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status().as_u16(), 404);
    let flushed = server.post("/flush", "application/json", "{}").await;
    assert!(flushed.status().is_success(), "flush: {}", flushed.status());
    // Let Prometheus scrape and write back for a while (bounded).
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    loop {
        let answer: Value = client
            .get(with_query(
                &server.url("/api/v1/query"),
                &[(
                    "query",
                    "count_over_time(telemetryhub_uptime_seconds{job=\"telemetryhub\"}[1m])"
                        .to_string(),
                )],
            ))
            .send()
            .await
            .expect("query")
            .json()
            .await
            .unwrap_or(Value::Null);
        let scrapes = answer["data"]["result"][0]["value"][1]
            .as_str()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        if scrapes >= 8.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "fewer than 8 scrapes of the server arrived within 60 s: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let mut failures = Vec::new();
    let expressions = panel_expressions();
    for (dashboard, panel, expr) in &expressions {
        let query = substitute(expr);
        let answer: Value = client
            .get(with_query(
                &server.url("/api/v1/query_range"),
                &[
                    ("query", query.clone()),
                    ("start", (end - RANGE_S).to_string()),
                    ("end", end.to_string()),
                    ("step", interval_s().to_string()),
                ],
            ))
            .send()
            .await
            .expect("query_range")
            .json()
            .await
            .unwrap_or(Value::Null);
        let series = answer["data"]["result"].as_array().map_or(0, Vec::len);
        if answer["status"] != "success" || series == 0 {
            failures.push(format!("{dashboard} / {panel}: `{query}` → {answer}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} panel expressions failed or came back empty:\n{}",
        failures.len(),
        expressions.len(),
        failures.join("\n")
    );
}
