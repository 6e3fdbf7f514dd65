//! A real Prometheus (Debian's `prometheus` package, installed by `scripts/test`) scrapes the
//! server's `/metrics` and remote-writes the samples back into it.

use std::time::{Duration, Instant};

use crate::support::{Prometheus, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_and_remote_writes_into_telemetryhub() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("th"), &[]);
    let address = server.url.trim_start_matches("http://").to_string();
    let config = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
         scrape_configs:\n  - job_name: telemetryhub\n    static_configs:\n      - targets: ['{address}']\n\
         remote_write:\n  - url: http://{address}/api/v1/write\n    queue_config:\n      batch_send_deadline: 1s\n      min_backoff: 100ms\n      max_backoff: 1s\n"
    );
    let _prometheus = Prometheus::start(dir.path(), &config, &[]).await;
    // Bounded wait: scrapes every second, remote write flushes at least every second.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut up = serde_json::Value::Null;
    while Instant::now() < deadline {
        up = server
            .get_json("/query/metrics?service=telemetryhub&metric=up&since=10m")
            .await;
        if !up.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let up = up.as_array().unwrap();
    assert!(
        !up.is_empty(),
        "no `up` sample arrived from Prometheus within 60 s"
    );
    assert_eq!(up[0]["value"], 1.0);
    assert_eq!(up[0]["labels"]["job"], "telemetryhub");
    assert_eq!(up[0]["labels"]["instance"], address.as_str());
    // The server's own metrics made the round trip too.
    let own = server
        .get_json(
            "/query/metrics?service=telemetryhub&metric=telemetryhub_uptime_seconds&since=10m",
        )
        .await;
    assert!(
        !own.as_array().unwrap().is_empty(),
        "the scraped self-metrics were written back"
    );
}
