use std::sync::Arc;

use telemetryhub_model::{Level, LogQuery, LogRecord, LogsWrite, SeriesQuery};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage, StorageError};

use crate::conformance::{self, all_metrics};
use crate::{Backend, QueryError};

fn embedded() -> (tempfile::TempDir, Arc<EmbeddedStorage>) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    (dir, storage)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_store_passes_the_data_conformance_suite() {
    let (_dir, storage) = embedded();
    let backend = Backend::of(storage.clone());
    conformance::run_all(&backend).await;
    telemetryhub_storage::DataStore::shutdown(storage.as_ref())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_step_is_an_invalid_argument() {
    let (_dir, storage) = embedded();
    let engine = crate::QueryEngine::new(storage);
    let query = SeriesQuery {
        select: all_metrics("t"),
        step_ns: 0,
        aggregation: telemetryhub_model::Aggregation::Avg,
    };
    let refused = engine.series(&query).await;
    assert!(
        matches!(refused, Err(QueryError::InvalidArgument(_))),
        "{refused:?}"
    );
    assert_eq!(
        refused.unwrap_err().code(),
        telemetryhub_model::ErrorCode::InvalidArgument
    );
    let histogram = engine.pattern_histogram("t", &[1], 0, 10, -1).await;
    assert!(matches!(histogram, Err(QueryError::InvalidArgument(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_search_matches_literally() {
    let (_dir, storage) = embedded();
    let backend = Backend::of(storage);
    let line = |message: &str| LogRecord {
        message: message.to_string(),
        ..conformance_log()
    };
    let lines = LogsWrite {
        records: vec![line("50%_off today"), line("500 off"), line("50 % off")],
        ..LogsWrite::new("t")
    };
    backend.data.write_logs(lines).await.unwrap();
    let found = backend
        .query
        .logs(&LogQuery {
            contains: Some("50%_off".into()),
            ..conformance::all_logs("t")
        })
        .await
        .unwrap();
    let messages: Vec<&str> = found.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(messages, vec!["50%_off today"], "% and _ are not wildcards");
    // Storage errors keep their class through the query layer.
    let wrapped = QueryError::from(StorageError::ShuttingDown);
    assert_eq!(wrapped.retry_after_secs(), Some(5));
}

fn conformance_log() -> LogRecord {
    LogRecord {
        tenant: "t".into(),
        service: "api".into(),
        level: Level::Info,
        message: String::new(),
        ts_ns: conformance::BASE_NS,
        context: None,
        trace_id: None,
        span_id: None,
        pattern_id: None,
        stream_labels: None,
    }
}

/// A data directory written before OTLP metrics were translated at ingest holds OTLP names as
/// sent (`bar.otlp.latency_bucket`, label `http.route`). After a restart, PromQL's read path
/// finds it under the Prometheus names and merges it with the same series written translated
/// (the later write wins at a shared timestamp); the original API reads it as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_otlp_names_read_under_their_prometheus_names() {
    use telemetryhub_model::{MetricQuery, MetricsWrite, SeriesBatch, SeriesKey};

    use crate::{SeriesMatcher, SeriesSelect};

    const BASE: i64 = conformance::BASE_NS;
    const SECOND: i64 = 1_000_000_000;
    let write = async |storage: &EmbeddedStorage, metric: &str, labels: &str, at: i64, value| {
        let mut batch = SeriesBatch::new("t");
        let series = batch.push_series(SeriesKey {
            service: "bar".into(),
            metric: metric.into(),
            labels_json: labels.into(),
        });
        batch.push_sample(series, BASE + at * SECOND, value);
        telemetryhub_storage::DataStore::write_metrics(storage, MetricsWrite::of(batch))
            .await
            .unwrap();
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = EmbeddedConfig::new(dir.path());
    config.retention_ns = i64::MAX;
    {
        let old = EmbeddedStorage::open(config.clone()).unwrap();
        let labels = r#"{"http.route":"/pay","le":"0.5"}"#;
        write(&old, "bar.otlp.latency_bucket", labels, 0, 1.0).await;
        write(&old, "bar.otlp.latency_bucket", labels, 10, 2.0).await;
        telemetryhub_storage::DataStore::shutdown(&old)
            .await
            .unwrap();
    }
    let storage = Arc::new(EmbeddedStorage::open(config).unwrap());
    // Written by this version: translated at ingest (no unit, so the same name).
    let labels = r#"{"http_route":"/pay","le":"0.5"}"#;
    write(&storage, "bar_otlp_latency_bucket", labels, 10, 3.0).await;
    write(&storage, "bar_otlp_latency_bucket", labels, 20, 4.0).await;
    let backend = Backend::of(storage.clone());

    let equal = |name: &str, value: &str| SeriesMatcher {
        name: name.into(),
        op: crate::SeriesMatchOp::Equal(value.into()),
    };
    let select = SeriesSelect {
        tenant: "t".into(),
        matchers: vec![
            equal("__name__", "bar_otlp_latency_bucket"),
            equal("http_route", "/pay"),
        ],
        since_ns: BASE - 60 * SECOND,
        until_ns: BASE + 60 * SECOND,
    };
    let selected = backend.query.select_series(&select).await.unwrap();
    assert_eq!(selected.len(), 1, "{selected:?}");
    let names: Vec<(&str, &str)> = selected[0]
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("__name__", "bar_otlp_latency_bucket"),
            ("http_route", "/pay"),
            ("le", "0.5"),
            ("service", "bar"),
        ]
    );
    assert_eq!(selected[0].values, [1.0, 3.0, 4.0]);
    // Read through the general scan (two stored series read as one), a selection past its
    // sample limit is refused too: four rows kept, of which one is overwritten.
    let limited = |max_samples: u64| crate::SamplesRead {
        shape: None,
        max_samples: Some(max_samples),
    };
    let refused = backend.query.select_series_read(&select, &limited(3)).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(QueryError::exceeds_sample_limit),
        "{refused:?}"
    );
    let within = backend.query.select_series_read(&select, &limited(4)).await;
    assert_eq!(within.unwrap(), selected);
    let labels = backend.query.series_labels(&select).await.unwrap();
    assert_eq!(labels, vec![selected[0].labels.clone()]);
    // A regex on the name finds it too.
    let regex = SeriesSelect {
        matchers: vec![SeriesMatcher::regex("__name__", "bar_.*_bucket", false).unwrap()],
        ..select.clone()
    };
    assert_eq!(backend.query.select_series(&regex).await.unwrap(), selected);

    // The original API answers by stored name, as before.
    let old = backend
        .query
        .metrics(&MetricQuery {
            metric: Some("bar.otlp.latency_bucket".into()),
            ..all_metrics("t")
        })
        .await
        .unwrap();
    let values: Vec<f64> = old.iter().map(|p| p.value).collect();
    assert_eq!(values, [2.0, 1.0]);
    assert_eq!(
        old[0].labels.get("http.route").map(String::as_str),
        Some("/pay")
    );
    telemetryhub_storage::DataStore::shutdown(storage.as_ref())
        .await
        .unwrap();
}

/// Lines read as Loki streams: stored labels where a line has them, `service_name` and `level`
/// where it has not; matchers choose streams, a needle and a limit narrow the lines, and the
/// answer is the same from the buffer and from parts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_streams_are_selected_by_their_labels_from_buffer_and_parts() {
    use telemetryhub_model::SeriesMatcher;
    let (_dir, storage) = embedded();
    let backend = Backend::of(storage.clone());
    let line = |message: &str, ts: i64, stream: Option<&str>, context: Option<&str>| LogRecord {
        message: message.to_string(),
        ts_ns: conformance::BASE_NS + ts,
        stream_labels: stream.map(str::to_string),
        context: context.map(str::to_string),
        ..conformance_log()
    };
    let web = r#"{"pod":"web-1","service_name":"api"}"#;
    let worker = r#"{"pod":"worker-1","service_name":"api"}"#;
    let lines = LogsWrite {
        records: vec![
            line(
                "GET /a 200",
                1,
                Some(web),
                Some(r#"{"pod":"web-1","service_name":"api","user":"u1"}"#),
            ),
            line("job done", 2, Some(worker), None),
            line("GET /b 500", 3, Some(web), None),
            line("native line", 4, None, Some(r#"{"request":{"id":7}}"#)),
        ],
        ..LogsWrite::new("t")
    };
    let mut lines = lines;
    lines.records[0].pattern_id = Some(5);
    lines.records[2].pattern_id = Some(5);
    lines.records[1].pattern_id = Some(6);
    backend.data.write_logs(lines).await.unwrap();
    let select = |matchers: Vec<SeriesMatcher>, contains: Vec<&str>, limit, backward| {
        crate::LogStreamSelect {
            tenant: "t".into(),
            matchers,
            since_ns: conformance::BASE_NS,
            until_ns: conformance::BASE_NS + 10,
            contains: contains.into_iter().map(str::to_string).collect(),
            matches: Vec::new(),
            limit,
            backward,
        }
    };
    let eq = |name: &str, value: &str| SeriesMatcher::equal(name, value);
    for flushed in [false, true] {
        if flushed {
            telemetryhub_storage::DataStore::flush(storage.as_ref())
                .await
                .unwrap();
        }
        let all = backend
            .query
            .log_streams(&select(
                vec![eq("service_name", "api")],
                vec![],
                None,
                false,
            ))
            .await
            .unwrap();
        let shape: Vec<(String, Vec<&str>)> = all
            .iter()
            .map(|s| {
                (
                    serde_json::to_string(&s.labels).unwrap(),
                    s.entries.iter().map(|e| e.line.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    r#"{"level":"info","service_name":"api"}"#.to_string(),
                    vec!["native line"]
                ),
                (web.to_string(), vec!["GET /a 200", "GET /b 500"]),
                (worker.to_string(), vec!["job done"]),
            ],
            "flushed: {flushed}"
        );
        // Structured metadata: context values that are not stream labels.
        assert_eq!(
            all[1].entries[0].metadata,
            vec![("user".to_string(), "u1".to_string())]
        );
        assert_eq!(
            all[0].entries[0].metadata,
            vec![("request".to_string(), r#"{"id":7}"#.to_string())]
        );

        let web_only = backend
            .query
            .log_streams(&select(
                vec![SeriesMatcher::regex("pod", "web-.*", false).unwrap()],
                vec!["GET"],
                Some(1),
                true,
            ))
            .await
            .unwrap();
        assert_eq!(web_only.len(), 1);
        assert_eq!(web_only[0].entries.len(), 1, "the limit counts lines");
        assert_eq!(
            web_only[0].entries[0].line, "GET /b 500",
            "backward: newest first"
        );

        // A regex is applied while reading, as LogQL's `|~` applies it.
        let mut regex = select(vec![eq("service_name", "api")], vec![], None, false);
        regex.matches = vec![r"^GET /\w 5\d\d$".to_string()];
        let errors = backend.query.log_streams(&regex).await.unwrap();
        let lines: Vec<&str> = errors
            .iter()
            .flat_map(|s| s.entries.iter().map(|e| e.line.as_str()))
            .collect();
        assert_eq!(lines, ["GET /b 500"], "flushed: {flushed}");

        let levels = backend
            .query
            .log_stream_labels(
                "t",
                &[eq("level", "info")],
                conformance::BASE_NS,
                conformance::BASE_NS + 10,
            )
            .await
            .unwrap();
        assert_eq!(levels.len(), 1, "only the derived stream has a level label");
        let none = backend
            .query
            .log_stream_labels(
                "other",
                &[],
                conformance::BASE_NS,
                conformance::BASE_NS + 10,
            )
            .await
            .unwrap();
        assert!(none.is_empty(), "tenants are isolated");

        let web_matchers = [eq("pod", "web-1")];
        let volumes = backend
            .query
            .log_stream_volumes(
                "t",
                &web_matchers,
                conformance::BASE_NS,
                conformance::BASE_NS + 10,
            )
            .await
            .unwrap();
        assert_eq!(volumes.len(), 1);
        assert_eq!((volumes[0].entries, volumes[0].bytes), (2, 20));
        let buckets = backend
            .query
            .log_pattern_buckets(
                "t",
                &web_matchers,
                conformance::BASE_NS,
                conformance::BASE_NS + 10,
                2,
            )
            .await
            .unwrap();
        // BASE_NS is even: lines at +1 and +3 fall into the buckets starting at +0 and +2.
        assert_eq!(
            buckets,
            vec![
                (5, conformance::BASE_NS, 1),
                (5, conformance::BASE_NS + 2, 1)
            ]
        );
    }
}

/// Series selection and listing answer the same whether the parts have series indexes (which
/// decide the matchers once per series and read only those series' rows in the range) or not
/// (older parts, read whole), and as the matchers say: regexes, negations, empty equalities, a
/// series spread over two parts and the buffer, and a time range inside the data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selections_answer_alike_with_and_without_series_indexes() {
    use telemetryhub_model::{
        Labels, MetricPoint, MetricsWrite, SeriesBatch, SeriesMatchOp, SeriesMatcher,
    };
    use telemetryhub_storage::DataStore;

    use crate::series_select::SeriesSelect;

    const SECOND: i64 = 1_000_000_000;
    let base = conformance::BASE_NS;
    let labels_of = |metric: &str, job: &str, instance: usize| {
        Labels::from([
            ("__name__".to_string(), metric.to_string()),
            ("instance".to_string(), format!("i-{instance}")),
            ("job".to_string(), job.to_string()),
        ])
    };
    let mut all: Vec<(Labels, i64, f64)> = Vec::new();
    let points = |seconds: std::ops::Range<i64>, all: &mut Vec<(Labels, i64, f64)>| {
        let mut points = Vec::new();
        for metric in ["up", "down"] {
            for job in ["a", "b", "bc"] {
                for instance in 0..3 {
                    for s in seconds.clone() {
                        let value = (s * 7 + instance as i64) as f64;
                        all.push((labels_of(metric, job, instance), base + s * SECOND, value));
                        points.push(MetricPoint {
                            tenant: "t".into(),
                            service: "unknown_service".into(),
                            metric: metric.into(),
                            labels: Labels::from([
                                ("instance".to_string(), format!("i-{instance}")),
                                ("job".to_string(), job.to_string()),
                            ]),
                            ts_ns: base + s * SECOND,
                            value,
                        });
                    }
                }
            }
        }
        MetricsWrite::of(SeriesBatch::from_points("t", &points))
    };
    let dir = tempfile::tempdir().unwrap();
    let open = || Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    let storage = open();
    storage
        .write_metrics(points(0..400, &mut all))
        .await
        .unwrap();
    storage.flush().await.unwrap();
    storage
        .write_metrics(points(400..700, &mut all))
        .await
        .unwrap();
    storage.flush().await.unwrap();
    storage
        .write_metrics(points(700..800, &mut all))
        .await
        .unwrap();

    let regex = |name: &str, pattern: &str, negated: bool| {
        SeriesMatcher::regex(name, pattern, negated).unwrap()
    };
    let equal = |name: &str, value: &str| SeriesMatcher {
        name: name.into(),
        op: SeriesMatchOp::Equal(value.into()),
    };
    let not_equal = |name: &str, value: &str| SeriesMatcher {
        name: name.into(),
        op: SeriesMatchOp::NotEqual(value.into()),
    };
    let selections: Vec<Vec<SeriesMatcher>> = vec![
        vec![
            equal("__name__", "up"),
            equal("job", "b"),
            equal("instance", "i-1"),
        ],
        vec![equal("__name__", "up"), regex("job", "b.*", false)],
        vec![equal("__name__", "down"), regex("job", "b.*", true)],
        vec![
            regex("__name__", "up|down", false),
            not_equal("job", "a"),
            regex("instance", "i-[02]", false),
        ],
        vec![equal("__name__", "up"), equal("zone", "")],
        vec![equal("__name__", "up"), equal("job", "nope")],
    ];
    let ranges = [(0, 800), (350, 450), (790, 900)];
    let answers = |engine: crate::QueryEngine| {
        let selections = selections.clone();
        async move {
            let mut out = Vec::new();
            for matchers in &selections {
                for (since, until) in ranges {
                    let select = SeriesSelect {
                        tenant: "t".into(),
                        matchers: matchers.clone(),
                        since_ns: base + since * SECOND,
                        until_ns: base + until * SECOND,
                    };
                    let selected = engine.select_series(&select).await.unwrap();
                    let listed = engine.series_labels(&select).await.unwrap();
                    out.push((selected, listed));
                }
            }
            out
        }
    };
    let indexed = answers(crate::QueryEngine::new(storage.clone())).await;
    // What the matchers say, from the samples written.
    let mut at = 0;
    for matchers in &selections {
        for (since, until) in ranges {
            let (since, until) = (base + since * SECOND, base + until * SECOND);
            let mut expected: std::collections::BTreeMap<Labels, (Vec<i64>, Vec<f64>)> =
                Default::default();
            for (labels, ts, value) in &all {
                if (since..=until).contains(ts) && matchers.iter().all(|m| m.matches_labels(labels))
                {
                    let series = expected.entry(labels.clone()).or_default();
                    series.0.push(*ts);
                    series.1.push(*value);
                }
            }
            let (selected, listed) = &indexed[at];
            let found: Vec<(&Labels, &Vec<i64>, &Vec<f64>)> = selected
                .iter()
                .map(|s| (&s.labels, &s.ts_ns, &s.values))
                .collect();
            let wanted: Vec<(&Labels, &Vec<i64>, &Vec<f64>)> =
                expected.iter().map(|(l, (t, v))| (l, t, v)).collect();
            assert!(found == wanted, "selection {at}: {matchers:?}");
            let labels: Vec<&Labels> = expected.keys().collect();
            assert_eq!(listed.iter().collect::<Vec<_>>(), labels, "listing {at}");
            at += 1;
        }
    }
    assert!(indexed.iter().any(|(selected, _)| !selected.is_empty()));
    // The same parts without their indexes (as parts written before them): the same answers.
    storage.shutdown().await.unwrap();
    drop(storage);
    let mut removed = 0;
    for day in std::fs::read_dir(dir.path().join("parts/metrics")).unwrap() {
        for file in std::fs::read_dir(day.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "series") {
                std::fs::remove_file(path).unwrap();
                removed += 1;
            }
        }
    }
    assert!(removed >= 3, "{removed} index files");
    let unindexed = answers(crate::QueryEngine::new(open())).await;
    assert!(indexed == unindexed);
}
