//! Issue 16: scraping as Prometheus does, with real parts — a real node-exporter (Debian's
//! `prometheus-node-exporter`, installed by `scripts/test`), the server's own `/metrics`, a
//! file_sd target added and removed while running, and a small exporter of the test's own that
//! answers well, slowly, with garbage, with a 500 and with too large a body.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::Value;

use crate::support::{Server, which, with_query};

/// An exporter of the test's own on a loopback port.
struct TestExporter {
    address: String,
    /// Whether `/metrics` still shows the series `temporary_gauge`.
    show_temporary: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestExporter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What `/metrics` of the test exporter serves: a counter, a gauge whose `job` label clashes
/// with the target's, a histogram, and (while shown) a series that will disappear.
fn exposition(show_temporary: bool) -> String {
    let mut text = String::from(concat!(
        "# HELP demo_requests_total Requests handled.\n",
        "# TYPE demo_requests_total counter\n",
        "demo_requests_total{code=\"200\"} 1027\n",
        "demo_requests_total{code=\"500\"} 3\n",
        "# HELP demo_queue_depth Items waiting.\n",
        "# TYPE demo_queue_depth gauge\n",
        "demo_queue_depth{job=\"batch\"} 7\n",
        "# TYPE demo_latency_seconds histogram\n",
        "demo_latency_seconds_bucket{le=\"0.1\"} 5\n",
        "demo_latency_seconds_bucket{le=\"+Inf\"} 9\n",
        "demo_latency_seconds_sum 1.5\n",
        "demo_latency_seconds_count 9\n",
        "# TYPE demo_dropped gauge\n",
        "demo_dropped 1\n",
    ));
    if show_temporary {
        text.push_str("temporary_gauge 42\n");
    }
    text
}

impl TestExporter {
    async fn start() -> TestExporter {
        let show_temporary = Arc::new(AtomicBool::new(true));
        let shown = show_temporary.clone();
        // HTTP service discovery: this exporter itself, as one target group (filled in below,
        // once the address is known).
        let sd_answer: Arc<std::sync::OnceLock<String>> = Arc::default();
        let sd = sd_answer.clone();
        let app = Router::new()
            .route(
                "/sd",
                get(move || {
                    let sd = sd.clone();
                    async move {
                        (
                            [("content-type", "application/json")],
                            sd.get().cloned().unwrap_or_else(|| "[]".into()),
                        )
                    }
                }),
            )
            .route(
                "/metrics",
                get(move || {
                    let shown = shown.clone();
                    async move { exposition(shown.load(Ordering::SeqCst)) }
                }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "slow_metric 1\n"
                }),
            )
            .route(
                "/garbage",
                get(|| async { "this is { not an exposition\n" }),
            )
            .route(
                "/error",
                get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }),
            )
            .route(
                "/big",
                get(|| async {
                    (0..500)
                        .map(|i| format!("big_metric{{index=\"{i}\"}} {i}\n"))
                        .collect::<String>()
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test exporter");
        let address = listener.local_addr().expect("address").to_string();
        let _ = sd_answer.set(format!(
            r#"[{{"targets": ["{address}"], "labels": {{"discovered": "by-http"}}}}]"#
        ));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestExporter {
            address,
            show_temporary,
            task,
        }
    }
}

/// A real node-exporter on a free loopback port with `extra` flags; killed on drop.
struct NodeExporter {
    child: std::process::Child,
    port: u16,
}

impl NodeExporter {
    fn start(extra: &[String]) -> NodeExporter {
        let binary = which("prometheus-node-exporter")
            .expect("prometheus-node-exporter (Debian package; scripts/test installs it)");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = std::process::Command::new(binary)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start node-exporter");
        NodeExporter { child, port }
    }
}

impl Drop for NodeExporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs an instant query; the result array.
async fn query(server: &Server, expr: &str) -> Vec<Value> {
    let url = with_query(&server.url("/api/v1/query"), &[("query", expr.to_string())]);
    let body: Value = server
        .client
        .get(&url)
        .send()
        .await
        .expect("query")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["status"], "success", "{expr}: {body}");
    body["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The value of a one-sample vector result.
fn value(result: &[Value]) -> f64 {
    result[0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Polls `check` every 250 ms until it holds (at most `seconds`).
async fn eventually<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if check().await {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not within {seconds} s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The active targets of the targets API.
async fn active_targets(server: &Server) -> Vec<Value> {
    let body = server.get_json("/api/v1/targets").await;
    body["data"]["activeTargets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn target_of<'a>(targets: &'a [Value], job: &str) -> Option<&'a Value> {
    targets.iter().find(|t| t["labels"]["job"] == job)
}

/// A real node-exporter and the server itself (through file_sd, added while running and then
/// removed) are scraped every second: `up`, the scrape series and the exporters' samples are
/// stored with `job` and `instance`, the targets API shows them healthy with their metadata,
/// and the removed target's series go stale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrapes_node_exporter_and_itself_and_a_removed_target_goes_stale() {
    let dir = tempfile::tempdir().unwrap();
    let exporter = NodeExporter::start(&[]);
    let port = exporter.port;
    let targets_file = dir.path().join("self.json");
    std::fs::write(&targets_file, "[]").unwrap();
    let config = format!(
        concat!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 15s\n",
            "rule_files: ['/etc/prometheus/rules/*.yml']\n",
            "scrape_configs:\n",
            "  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n",
            "  - job_name: telemetryhub\n    file_sd_configs:\n      - files: ['{file}']\n",
        ),
        port = port,
        file = targets_file.display()
    );
    let config_path = dir.path().join("prometheus.yml");
    std::fs::write(&config_path, config).unwrap();
    let server = Server::start(
        &dir.path().join("data"),
        &["--scrape-config", config_path.to_str().unwrap()],
    );
    let own_address = server.url.trim_start_matches("http://").to_string();
    std::fs::write(
        &targets_file,
        format!(r#"[{{"targets": ["{own_address}"], "labels": {{"env": "test"}}}}]"#),
    )
    .unwrap();

    eventually(30, "node and telemetryhub up", || async {
        let up = query(&server, "up").await;
        up.len() == 2 && up.iter().all(|s| s["value"][1] == "1")
    })
    .await;
    let memory = query(&server, "node_memory_MemTotal_bytes").await;
    assert_eq!(memory.len(), 1, "{memory:?}");
    assert_eq!(memory[0]["metric"]["job"], "node");
    assert_eq!(memory[0]["metric"]["instance"], format!("127.0.0.1:{port}"));
    assert!(value(&memory) > 0.0);
    let own = query(
        &server,
        r#"telemetry_ingest_requests_total{job="telemetryhub"}"#,
    )
    .await;
    assert!(!own.is_empty(), "the server's own metrics are scraped");
    assert_eq!(own[0]["metric"]["env"], "test");
    assert_eq!(own[0]["metric"]["instance"], own_address);
    for series in [
        "scrape_duration_seconds",
        "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ] {
        let result = query(&server, &format!(r#"{series}{{job="node"}}"#)).await;
        assert_eq!(result.len(), 1, "{series}: {result:?}");
    }
    let scraped = value(&query(&server, r#"scrape_samples_scraped{job="node"}"#).await);
    assert!(
        scraped > 100.0,
        "node-exporter exposes hundreds of samples, got {scraped}"
    );

    let targets = active_targets(&server).await;
    let pools = server.get_json("/api/v1/scrape_pools").await;
    assert_eq!(
        pools["data"]["scrapePools"],
        serde_json::json!(["node", "telemetryhub"])
    );
    let node = target_of(&targets, "node").expect("the node target");
    assert_eq!(node["health"], "up");
    assert_eq!(node["lastError"], "");
    assert_eq!(node["scrapePool"], "node");
    assert_eq!(
        node["scrapeUrl"],
        format!("http://127.0.0.1:{port}/metrics")
    );
    assert_eq!(node["scrapeInterval"], "1s");
    assert_eq!(
        node["discoveredLabels"]["__address__"],
        format!("127.0.0.1:{port}")
    );
    let metadata = server
        .get_json("/api/v1/targets/metadata?match_target=%7Bjob%3D%22node%22%7D&metric=node_memory_MemTotal_bytes")
        .await;
    assert_eq!(metadata["data"][0]["type"], "gauge", "{metadata}");
    assert_eq!(metadata["data"][0]["target"]["job"], "node");
    let families = server
        .get_json("/api/v1/metadata?metric=node_memory_MemTotal_bytes")
        .await;
    assert_eq!(
        families["data"]["node_memory_MemTotal_bytes"][0]["type"], "gauge",
        "scraped TYPE lines reach the metadata store: {families}"
    );

    // The file_sd target is removed: its loop stops and its series end with staleness markers,
    // so an instant query no longer finds them (well inside the 5-minute lookback).
    std::fs::write(&targets_file, "[]").unwrap();
    eventually(15, "the removed target's up goes stale", || async {
        query(&server, r#"up{job="telemetryhub"}"#).await.is_empty()
    })
    .await;
    assert!(target_of(&active_targets(&server).await, "telemetryhub").is_none());
    assert!(
        query(
            &server,
            r#"telemetry_ingest_requests_total{job="telemetryhub"}"#
        )
        .await
        .is_empty()
    );
    assert_eq!(query(&server, r#"up{job="node"}"#).await.len(), 1);
}

/// Targets that answer slowly, with garbage, with a 500 or with a body over the limit are down
/// with a clear last error and store nothing but `up` 0 and the scrape series; a healthy one
/// gets Prometheus' label rules (a clashing `job` kept as `exported_job`), metric relabeling,
/// staleness for a series that disappears, and a reload adds a job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_targets_are_down_with_a_clear_error_and_store_nothing() {
    let exporter = TestExporter::start().await;
    let dir = tempfile::tempdir().unwrap();
    let address = &exporter.address;
    let job = |name: &str, path: &str, extra: &str| {
        format!(
            "  - job_name: {name}\n    metrics_path: {path}\n{extra}    static_configs:\n      - targets: ['{address}']\n"
        )
    };
    let mut config = String::from(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n  external_labels: {cluster: test}\nscrape_configs:\n",
    );
    config += &job("slow", "/slow", "");
    config += &job("garbage", "/garbage", "");
    config += &job("error", "/error", "");
    config += &job("big", "/big", "    body_size_limit: 1KB\n");
    config += &job(
        "good",
        "/metrics",
        concat!(
            "    metric_relabel_configs:\n",
            "      - source_labels: [__name__]\n        regex: demo_dropped\n        action: drop\n",
        ),
    );
    config += &format!(
        concat!(
            "  - job_name: http-sd\n    http_sd_configs:\n      - url: http://{address}/sd\n",
            "    relabel_configs:\n",
            "      - source_labels: [__meta_url]\n        target_label: sd_url\n",
        ),
        address = address
    );
    // Two targets where one is allowed: both stay listed, both fail with the reason.
    config += &format!(
        concat!(
            "  - job_name: limited\n    target_limit: 1\n",
            "    static_configs:\n      - targets: ['{address}', '127.0.0.1:1']\n",
        ),
        address = address
    );
    let config_path = dir.path().join("prometheus.yml");
    std::fs::write(&config_path, &config).unwrap();
    let server = Server::start(
        &dir.path().join("data"),
        &["--scrape-config", config_path.to_str().unwrap()],
    );
    eventually(30, "every target scraped at least once", || async {
        let targets = active_targets(&server).await;
        targets.len() == 8 && targets.iter().all(|t| t["health"] != "unknown")
    })
    .await;
    let targets = active_targets(&server).await;
    for (name, expected) in [
        ("slow", "context deadline exceeded"),
        ("garbage", "line 1"),
        (
            "error",
            "server returned HTTP status 500 Internal Server Error",
        ),
        ("big", "body size limit exceeded"),
    ] {
        let target = target_of(&targets, name).expect(name);
        assert_eq!(target["health"], "down", "{name}: {target}");
        let error = target["lastError"].as_str().unwrap_or_default();
        assert!(
            error.contains(expected),
            "{name}: {error:?} lacks {expected:?}"
        );
        let up = query(&server, &format!(r#"up{{job="{name}"}}"#)).await;
        assert_eq!(value(&up), 0.0, "{name}");
        let names = query(
            &server,
            &format!(r#"count by (__name__) ({{job="{name}"}})"#),
        )
        .await;
        let mut names: Vec<String> = names
            .iter()
            .map(|s| {
                s["metric"]["__name__"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "scrape_duration_seconds",
                "scrape_samples_post_metric_relabeling",
                "scrape_samples_scraped",
                "scrape_series_added",
                "up"
            ],
            "{name} stores nothing but the scrape series"
        );
    }

    let limited: Vec<&Value> = targets
        .iter()
        .filter(|t| t["labels"]["job"] == "limited")
        .collect();
    assert_eq!(limited.len(), 2);
    for target in limited {
        assert_eq!(target["health"], "down");
        assert_eq!(
            target["lastError"],
            "target_limit exceeded (number of targets: 2, limit: 1)"
        );
    }
    let good = target_of(&targets, "good").expect("good");
    assert_eq!(good["health"], "up", "{good}");
    let depth = query(&server, r#"demo_queue_depth{job="good"}"#).await;
    assert_eq!(depth.len(), 1);
    let labels = &depth[0]["metric"];
    assert_eq!(labels["job"], "good", "the target's job wins");
    assert_eq!(
        labels["exported_job"], "batch",
        "the scraped job is kept aside"
    );
    assert_eq!(labels["cluster"], "test", "external labels are added");
    assert_eq!(value(&depth), 7.0);
    assert!(
        query(&server, r#"demo_dropped{job="good"}"#)
            .await
            .is_empty(),
        "metric relabeling drops it"
    );
    let post = value(
        &query(
            &server,
            r#"scrape_samples_post_metric_relabeling{job="good"}"#,
        )
        .await,
    );
    let scraped = value(&query(&server, r#"scrape_samples_scraped{job="good"}"#).await);
    assert_eq!((scraped, post), (9.0, 8.0));
    let discovered = query(&server, r#"demo_queue_depth{job="http-sd"}"#).await;
    assert_eq!(discovered.len(), 1, "the http_sd target is scraped");
    assert_eq!(discovered[0]["metric"]["discovered"], "by-http");
    assert_eq!(
        discovered[0]["metric"]["sd_url"],
        format!("http://{address}/sd"),
        "__meta_url is there for relabeling"
    );
    let quantile = query(
        &server,
        r#"histogram_quantile(0.5, demo_latency_seconds_bucket{job="good"})"#,
    )
    .await;
    assert_eq!(quantile.len(), 1);

    // A series that disappears from the exposition ends with a staleness marker.
    assert_eq!(
        query(&server, r#"temporary_gauge{job="good"}"#).await.len(),
        1
    );
    exporter.show_temporary.store(false, Ordering::SeqCst);
    eventually(10, "temporary_gauge goes stale", || async {
        query(&server, "temporary_gauge").await.is_empty()
    })
    .await;
    assert_eq!(
        query(&server, r#"demo_queue_depth{job="good"}"#)
            .await
            .len(),
        1
    );

    // A reload adds a job and keeps the others; a bad configuration is refused and changes
    // nothing.
    config += &job("added", "/metrics", "");
    std::fs::write(&config_path, &config).unwrap();
    let reload = server
        .client
        .post(server.url("/-/reload"))
        .send()
        .await
        .unwrap();
    assert_eq!(reload.status(), 200);
    eventually(15, "the added job is scraped", || async {
        query(&server, r#"up{job="added"}"#).await.len() == 1
    })
    .await;
    std::fs::write(
        &config_path,
        "scrape_configs:\n  - job_name: good\n  - job_name: good\n",
    )
    .unwrap();
    let refused = server
        .client
        .post(server.url("/-/reload"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 500);
    let reason = refused.text().await.unwrap();
    assert!(reason.contains("multiple scrape configs"), "{reason}");
    assert_eq!(active_targets(&server).await.len(), 9);
}

/// A CA and a certificate for 127.0.0.1 signed by it, written as PEM files into `dir`:
/// (`ca.pem`, `server.pem`, `server-key.pem`).
fn certificates(dir: &std::path::Path) -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let paths = ["ca.pem", "server.pem", "server-key.pem"].map(|name| dir.join(name));
    std::fs::write(&paths[0], ca.pem()).unwrap();
    std::fs::write(&paths[1], server.pem()).unwrap();
    std::fs::write(&paths[2], server_key.serialize_pem()).unwrap();
    let [ca, server, key] = paths.map(|p| p.display().to_string());
    (ca, server, key)
}

/// `https` targets: a real node-exporter serving TLS (its `--web.config.file`) is scraped with
/// the CA of `tls_config.ca_file`, or with `insecure_skip_verify`, and is down with a
/// certificate error without either; `basic_auth` and `authorization` reach the target.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_credentials_reach_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let web_config = dir.path().join("web.yml");
    std::fs::write(
        &web_config,
        format!("tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n"),
    )
    .unwrap();
    let exporter = NodeExporter::start(&[
        format!("--web.config.file={}", web_config.display()),
        "--collector.disable-defaults".into(),
        "--collector.meminfo".into(),
    ]);
    let port = exporter.port;

    // The test's own exporter checks credentials: 401 unless they are right.
    let app = Router::new().route(
        "/secured",
        get(|headers: axum::http::HeaderMap| async move {
            let authorization = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            // "u:p" in base64, and the bearer token.
            if authorization == "Basic dTpw" || authorization == "Bearer s3cret" {
                (StatusCode::OK, "secured_metric 1\n")
            } else {
                (StatusCode::UNAUTHORIZED, "who are you?\n")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let secured = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret\n").unwrap();

    let target = format!("'127.0.0.1:{port}'");
    let config = format!(
        concat!(
            "global:\n  scrape_interval: 1s\n",
            "scrape_configs:\n",
            "  - job_name: tls-ca\n    scheme: https\n    tls_config: {{ca_file: {ca}}}\n",
            "    static_configs: [{{targets: [{target}]}}]\n",
            "  - job_name: tls-insecure\n    scheme: https\n    tls_config: {{insecure_skip_verify: true}}\n",
            "    static_configs: [{{targets: [{target}]}}]\n",
            "  - job_name: tls-unknown-ca\n    scheme: https\n",
            "    static_configs: [{{targets: [{target}]}}]\n",
            "  - job_name: basic\n    metrics_path: /secured\n    basic_auth: {{username: u, password: p}}\n",
            "    static_configs: [{{targets: ['{secured}']}}]\n",
            "  - job_name: bearer\n    metrics_path: /secured\n    authorization: {{credentials_file: {token}}}\n",
            "    static_configs: [{{targets: ['{secured}']}}]\n",
            "  - job_name: anonymous\n    metrics_path: /secured\n",
            "    static_configs: [{{targets: ['{secured}']}}]\n",
        ),
        ca = ca,
        target = target,
        secured = secured,
        token = token_file.display(),
    );
    let config_path = dir.path().join("prometheus.yml");
    std::fs::write(&config_path, config).unwrap();
    let server = Server::start(
        &dir.path().join("data"),
        &["--scrape-config", config_path.to_str().unwrap()],
    );
    eventually(30, "every target scraped", || async {
        let targets = active_targets(&server).await;
        targets.len() == 6 && targets.iter().all(|t| t["health"] != "unknown")
    })
    .await;
    let targets = active_targets(&server).await;
    for (job, health, error) in [
        ("tls-ca", "up", ""),
        ("tls-insecure", "up", ""),
        ("tls-unknown-ca", "down", "certificate"),
        ("basic", "up", ""),
        ("bearer", "up", ""),
        ("anonymous", "down", "401 Unauthorized"),
    ] {
        let target = target_of(&targets, job).expect(job);
        assert_eq!(target["health"], health, "{job}: {target}");
        let last_error = target["lastError"].as_str().unwrap_or_default();
        assert!(
            last_error.contains(error),
            "{job}: {last_error:?} lacks {error:?}"
        );
    }
    assert_eq!(
        query(&server, r#"node_memory_MemTotal_bytes{job="tls-ca"}"#)
            .await
            .len(),
        1
    );
    assert_eq!(
        query(&server, r#"secured_metric{job="bearer"}"#)
            .await
            .len(),
        1
    );
    task.abort();
}
