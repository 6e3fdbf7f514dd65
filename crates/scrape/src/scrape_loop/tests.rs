use std::sync::atomic::{AtomicUsize, Ordering};

use telemetryhub_model::{SeriesMatchOp, SeriesMatcher, is_stale_marker};
use telemetryhub_query::{QueryEngine, SelectedSeries, SeriesSelect};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::config::ScrapeSettings;
use crate::http::HttpSettings;
use crate::target::{Outcome, TargetGroup, populate};
use crate::testing::labels;

#[test]
fn target_labels_win_unless_honored_and_clashes_are_exported() {
    let target = labels(&[("job", "node"), ("instance", "h:1")]);
    let mut scraped = labels(&[("__name__", "m"), ("job", "batch"), ("exported_job", "old")]);
    merge_target_labels(&mut scraped, &target, false);
    assert_eq!(
        scraped,
        labels(&[
            ("__name__", "m"),
            ("exported_exported_job", "batch"),
            ("exported_job", "old"),
            ("instance", "h:1"),
            ("job", "node"),
        ])
    );
    let mut honored = labels(&[("__name__", "m"), ("job", "batch")]);
    merge_target_labels(&mut honored, &target, true);
    assert_eq!(
        honored,
        labels(&[("__name__", "m"), ("instance", "h:1"), ("job", "batch")])
    );
}

#[test]
fn first_scrapes_are_spread_over_the_interval_by_target() {
    let interval = Duration::from_secs(15);
    let now = 1_700_000_000_123_000_000;
    let delays: Vec<Duration> = (0..50u64)
        .map(|key| first_delay(key.wrapping_mul(0x9e37_79b9_7f4a_7c15), interval, now))
        .collect();
    assert!(delays.iter().all(|d| *d <= interval));
    let distinct: std::collections::BTreeSet<_> = delays.iter().collect();
    assert!(distinct.len() > 40, "{delays:?}");
    // The same target scrapes at the same phase whenever it starts.
    let key = 12_345_678_901;
    let phase =
        |now: i64| (now as u128 + first_delay(key, interval, now).as_nanos()) % interval.as_nanos();
    assert_eq!(phase(now), phase(now + 4_321_000_000));
}

#[test]
fn series_keys_match_remote_writes_identity() {
    let key = series_key(&labels(&[
        ("__name__", "up"),
        ("job", "node"),
        ("instance", "h:9100"),
    ]));
    assert_eq!(key.metric, "up");
    assert_eq!(key.service, "node");
    assert_eq!(key.labels_json, r#"{"instance":"h:9100","job":"node"}"#);
    let unnamed = series_key(&labels(&[("__name__", "x")]));
    assert_eq!(unnamed.service, UNKNOWN_SERVICE);
}

/// Serves each connection the next of `bodies` (the last one again once they run out) as a
/// Prometheus text exposition.
async fn serve(bodies: Vec<&'static str>) -> (String, Arc<AtomicUsize>) {
    serve_as("text/plain; version=0.0.4", bodies).await
}

/// [`serve`] with another content type.
async fn serve_as(
    content_type: &'static str,
    bodies: Vec<&'static str>,
) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let body = bodies[index.min(bodies.len() - 1)];
            let mut request = vec![0u8; 4096];
            let _ = socket.read(&mut request).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (address, served)
}

struct Fixture {
    _dir: tempfile::TempDir,
    storage: Arc<EmbeddedStorage>,
    scrape_loop: ScrapeLoop,
    status: Arc<Mutex<TargetStatus>>,
}

async fn fixture(address: &str, job_yaml: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    let settings = ScrapeSettings::from_yaml(&format!(
        "scrape_configs:\n  - job_name: t\n    scrape_interval: 1s\n{job_yaml}"
    ))
    .unwrap();
    let config = Arc::new(settings.scrape_configs[0].clone());
    let target = match populate(&config, &TargetGroup::default(), address).unwrap() {
        Outcome::Active(target) => Arc::new(target),
        Outcome::Dropped { .. } => panic!("dropped"),
    };
    let client = HttpClient::new(&HttpSettings::default(), config.scrape_timeout).unwrap();
    let status = Arc::new(Mutex::new(TargetStatus::default()));
    let scrape_loop = ScrapeLoop::new(
        target,
        config,
        client,
        storage.clone(),
        status.clone(),
        Arc::default(),
    );
    Fixture {
        _dir: dir,
        storage,
        scrape_loop,
        status,
    }
}

async fn read(storage: &Arc<EmbeddedStorage>, metric: &str) -> Vec<SelectedSeries> {
    let engine = QueryEngine::new(storage.clone());
    engine
        .select_series(&SeriesSelect {
            tenant: "default".into(),
            matchers: vec![SeriesMatcher {
                name: "__name__".into(),
                op: SeriesMatchOp::Equal(metric.into()),
            }],
            since_ns: 0,
            until_ns: i64::MAX,
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_vanished_series_and_a_gone_target_end_with_staleness_markers() {
    // Timestamps of the exposition's own, recent enough for the store's retention.
    let own_ms = now_ns() / 1_000_000 - 60_000;
    let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
    let (address, _) = serve(vec![
        leak(format!("a 1\nb{{x=\"1\"}} 2\nexplicit 5 {own_ms}\n")),
        leak(format!("a 1.5\nexplicit 6 {}\n", own_ms + 1000)),
    ])
    .await;
    let mut fixture = fixture(&address, "").await;
    fixture.scrape_loop.scrape_once().await;
    fixture.scrape_loop.scrape_once().await;
    {
        let status = fixture.status.lock().unwrap();
        assert_eq!(status.health, Health::Up, "{}", status.last_error);
    }
    let b = read(&fixture.storage, "b").await;
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].values.len(), 2);
    assert_eq!(b[0].values[0], 2.0);
    assert!(is_stale_marker(b[0].values[1]), "{:?}", b[0].values);
    assert_eq!(b[0].labels["job"], "t");
    assert_eq!(b[0].labels["instance"], address);
    assert_eq!(b[0].labels["x"], "1");
    let explicit = read(&fixture.storage, "explicit").await;
    assert_eq!(
        explicit[0].ts_ns,
        vec![own_ms * 1_000_000, (own_ms + 1000) * 1_000_000]
    );
    let added = read(&fixture.storage, "scrape_series_added").await;
    assert_eq!(added[0].values, vec![3.0, 0.0]);

    fixture.scrape_loop.end_series().await;
    let a = read(&fixture.storage, "a").await;
    assert_eq!(a[0].values.len(), 3);
    assert!(is_stale_marker(a[0].values[2]));
    let up = read(&fixture.storage, "up").await;
    assert_eq!(&up[0].values[..2], &[1.0, 1.0]);
    assert!(is_stale_marker(up[0].values[2]));
    let explicit = read(&fixture.storage, "explicit").await;
    assert_eq!(
        explicit[0].values,
        vec![5.0, 6.0],
        "timestamped series get no markers"
    );
}

#[tokio::test]
async fn a_scrape_over_the_sample_limit_stores_only_up_zero() {
    let (address, _) = serve(vec!["a 1\nb 2\nc 3\n"]).await;
    let mut fixture = fixture(&address, "    sample_limit: 2\n").await;
    fixture.scrape_loop.scrape_once().await;
    let status = fixture.status.lock().unwrap().clone();
    assert_eq!(status.health, Health::Down);
    assert!(
        status.last_error.contains("sample limit exceeded"),
        "{}",
        status.last_error
    );
    assert!(read(&fixture.storage, "a").await.is_empty());
    assert_eq!(read(&fixture.storage, "up").await[0].values, vec![0.0]);
}

#[tokio::test]
async fn a_failed_scrape_ends_the_previous_scrapes_series_even_those_it_read() {
    // The second scrape reads `a` again, then fails on the sample limit: nothing of it is
    // stored, so `a` ends with a staleness marker like every series of the previous scrape.
    let (address, _) = serve(vec!["a 1\n", "a 2\nb 2\nc 3\n", "a 4\n"]).await;
    let mut fixture = fixture(&address, "    sample_limit: 2\n").await;
    fixture.scrape_loop.scrape_once().await;
    fixture.scrape_loop.scrape_once().await;
    assert_eq!(fixture.status.lock().unwrap().health, Health::Down);
    let a = read(&fixture.storage, "a").await;
    assert_eq!(a[0].values.len(), 2, "{:?}", a[0].values);
    assert_eq!(a[0].values[0], 1.0);
    assert!(is_stale_marker(a[0].values[1]));
    assert!(read(&fixture.storage, "b").await.is_empty());
    // The next good scrape stores `a` again, as a series added anew.
    fixture.scrape_loop.scrape_once().await;
    assert_eq!(read(&fixture.storage, "a").await[0].values[2], 4.0);
    let added = read(&fixture.storage, "scrape_series_added").await;
    assert_eq!(added[0].values, vec![1.0, 0.0, 1.0]);
}

#[tokio::test]
async fn label_limits_fail_the_scrape_with_prometheus_messages() {
    let (address, _) = serve(vec!["m{a=\"1\",b=\"2\",c=\"3\"} 1\n"]).await;
    let mut fixture = fixture(&address, "    label_limit: 3\n").await;
    fixture.scrape_loop.scrape_once().await;
    let status = fixture.status.lock().unwrap().clone();
    assert!(
        status
            .last_error
            .starts_with("label_limit exceeded (metric: m, number of labels: 6, limit: 3)"),
        "{}",
        status.last_error
    );
}

#[tokio::test]
async fn openmetrics_exemplars_units_and_help_are_stored() {
    let (address, _) = serve_as(
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
        vec![concat!(
            "# TYPE http_requests counter\n",
            "# HELP http_requests Requests handled.\n",
            "http_requests_total{code=\"200\"} 10 # {trace_id=\"0123456789abcdef0123456789abcdef\"} 1.5\n",
            "# TYPE latency_seconds gauge\n",
            "# UNIT latency_seconds seconds\n",
            "latency_seconds 0.2\n",
            "# EOF\n",
        )],
    )
    .await;
    let mut fixture = fixture(&address, "").await;
    fixture.scrape_loop.scrape_once().await;
    let status = fixture.status.lock().unwrap().clone();
    assert_eq!(status.health, Health::Up, "{}", status.last_error);
    let requests = &status.metadata["http_requests"];
    assert_eq!(
        (requests.kind.as_str(), requests.help.as_str()),
        ("counter", "Requests handled.")
    );
    assert_eq!(status.metadata["latency_seconds"].unit, "seconds");
    let engine = QueryEngine::new(fixture.storage.clone());
    let exemplars = engine
        .exemplars(&telemetryhub_model::MetricQuery {
            tenant: "default".into(),
            service: None,
            metric: Some("http_requests_total".into()),
            since_ns: 0,
            until_ns: i64::MAX,
            labels: Vec::new(),
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(exemplars.len(), 1, "{exemplars:?}");
    assert_eq!(exemplars[0].value, 1.5);
    assert_eq!(
        exemplars[0].trace_id.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    assert_eq!(exemplars[0].labels["code"], "200");
    assert_eq!(
        read(&fixture.storage, "latency_seconds").await[0].values,
        vec![0.2]
    );
}
