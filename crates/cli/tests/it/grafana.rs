//! The Grafana dashboards of `deploy/grafana/dashboards` work against TelemetryHub: a real
//! Prometheus scrapes the server's own `/metrics` every second and remote-writes the samples
//! back into it (the set-up the dashboards assume, `job="telemetryhub"`), the server gets some
//! traffic (metrics, log lines at several levels, a trace, a spike the anomaly job finds), then
//! every panel's every query — with Grafana's variables substituted as Grafana computes them —
//! runs through the API of its datasource (Prometheus', Loki's or Jaeger's) as Grafana sends it,
//! and must answer without error and with data.

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

/// One query of a dashboard panel.
struct PanelQuery {
    dashboard: String,
    panel: String,
    /// The datasource's uid: `telemetryhub` (Prometheus), `telemetryhub-logs` (Loki) or
    /// `telemetryhub-traces` (Jaeger).
    datasource: String,
    /// The target as Grafana stores it.
    target: Value,
}

/// The datasources the provisioning file declares.
const DATASOURCES: [&str; 3] = ["telemetryhub", "telemetryhub-logs", "telemetryhub-traces"];

/// Every query of every panel of the shipped dashboards.
fn panel_queries() -> Vec<PanelQuery> {
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
        files.len() >= 5,
        "the dashboards are missing from {}",
        dir.display()
    );
    let provisioned = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../deploy/grafana/provisioning/datasources/telemetryhub.yaml"),
    )
    .expect("datasource provisioning");
    for uid in DATASOURCES {
        assert!(
            provisioned.contains(&format!("uid: {uid}\n")),
            "datasource {uid} is not provisioned"
        );
    }
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
            let datasource = panel["datasource"]["uid"]
                .as_str()
                .unwrap_or("")
                .to_string();
            assert!(
                DATASOURCES.contains(&datasource.as_str()),
                "{name}: panel {} uses another datasource",
                panel["title"]
            );
            let targets = panel["targets"].as_array().cloned().unwrap_or_default();
            assert!(
                !targets.is_empty(),
                "{name}: panel {} has no query",
                panel["title"]
            );
            for target in targets {
                let has_query = target["expr"].as_str().is_some_and(|e| !e.is_empty())
                    || target["queryType"] == "search";
                assert!(
                    has_query,
                    "{name}: panel {} has an empty target",
                    panel["title"]
                );
                out.push(PanelQuery {
                    dashboard: name.clone(),
                    panel: panel["title"].as_str().unwrap_or("").to_string(),
                    datasource: datasource.clone(),
                    target,
                });
            }
        }
    }
    out
}

/// The series or streams of a successful Prometheus or Loki answer (both write
/// `{"status":"success","data":{"result":[…]}}`); 0 for anything else.
fn result_count(answer: &Value) -> usize {
    if answer["status"] != "success" {
        return 0;
    }
    answer["data"]["result"].as_array().map_or(0, Vec::len)
}

/// Runs one panel query over the dashboard's range ending at `end` (Unix seconds) as Grafana's
/// datasource would send it; the answer's data, or why it failed or came back empty.
async fn run_panel_query(
    client: &reqwest::Client,
    server: &Server,
    query: &PanelQuery,
    end: i64,
) -> Result<(), String> {
    let start = end - RANGE_S;
    const NS: i64 = 1_000_000_000;
    let (url, count): (String, fn(&Value) -> usize) = match query.datasource.as_str() {
        "telemetryhub" => {
            let expr = substitute(query.target["expr"].as_str().unwrap_or_default());
            let url = if query.target["instant"] == true {
                with_query(
                    &server.url("/api/v1/query"),
                    &[("query", expr), ("time", end.to_string())],
                )
            } else {
                with_query(
                    &server.url("/api/v1/query_range"),
                    &[
                        ("query", expr),
                        ("start", start.to_string()),
                        ("end", end.to_string()),
                        ("step", interval_s().to_string()),
                    ],
                )
            };
            (url, result_count)
        }
        "telemetryhub-logs" => {
            let expr = substitute(query.target["expr"].as_str().unwrap_or_default());
            let url = if query.target["queryType"] == "instant" {
                with_query(
                    &server.url("/loki/api/v1/query"),
                    &[("query", expr), ("time", (end * NS).to_string())],
                )
            } else {
                with_query(
                    &server.url("/loki/api/v1/query_range"),
                    &[
                        ("query", expr),
                        ("start", (start * NS).to_string()),
                        ("end", (end * NS).to_string()),
                        ("step", format!("{}s", interval_s())),
                        ("limit", "100".to_string()),
                    ],
                )
            };
            (url, result_count)
        }
        _ => {
            let service = query.target["service"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let limit = query.target["limit"].as_i64().unwrap_or(20).to_string();
            // Jaeger's API takes microseconds.
            let url = with_query(
                &server.url("/api/traces"),
                &[
                    ("service", service),
                    ("start", (start * 1_000_000).to_string()),
                    ("end", (end * 1_000_000).to_string()),
                    ("limit", limit),
                ],
            );
            (url, |answer| answer["data"].as_array().map_or(0, Vec::len))
        }
    };
    let response = client.get(&url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if !status.is_success() || count(&answer) == 0 {
        return Err(format!("{url} → {status} {answer}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_panel_answers_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("th"), &["--anomaly-interval", "200ms"]);
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
    // Errors for the log panels, a trace with a line written inside it for the traces
    // dashboard, and a quiet series ending in a spike for the anomaly job (its points 20 ms
    // apart, all newer than the job's watermark: it scores points as their time passes).
    let (status, _) = server
        .post_json(
            "/ingest/logs",
            &json!([
                {"service": "api", "level": "error", "message": "db timeout after 3000 ms", "ts": crate::support::recent(3)},
                {"service": "checkout", "level": "error", "message": "card declined", "ts": crate::support::recent(2),
                 "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"},
            ]),
        )
        .await;
    assert!(status < 300, "ingest: {status}");
    let now_ns = telemetryhub_model::now_ns();
    let trace = json!({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
        "scopeSpans": [{"spans": [{"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "spanId": "00f067aa0ba902b7",
            "name": "POST /checkout", "kind": 2,
            "startTimeUnixNano": (now_ns - 3_000_000_000).to_string(), "endTimeUnixNano": (now_ns - 2_900_000_000).to_string()}]}]}]});
    let (status, _) = server.post_json("/v1/traces", &trace).await;
    assert_eq!(status, 200, "traces");
    let spike: Vec<Value> = (0..180)
        .map(|i: i64| {
            let back = 179 - i;
            let value = if back == 3 { 950.0 } else { 100.0 + (i % 5) as f64 };
            json!({"service": "payments", "metric": "latency_ms", "value": value, "ts": now_ns - back * 20_000_000})
        })
        .collect();
    assert_eq!(
        server.post_json("/ingest/metrics", &json!(spike)).await.0,
        200
    );
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
                    "count_over_time(telemetryhub_uptime_seconds{job=\"telemetryhub\"}[1m]) and on() count(telemetry_anomalies_total{job=\"telemetryhub\"} > 0)"
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
            "fewer than 8 scrapes of the server, or none with an anomaly, arrived within 60 s: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let mut failures = Vec::new();
    let queries = panel_queries();
    for query in &queries {
        if let Err(why) = run_panel_query(&client, &server, query, end).await {
            failures.push(format!("{} / {}: {why}", query.dashboard, query.panel));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} panel queries failed or came back empty:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );
}
