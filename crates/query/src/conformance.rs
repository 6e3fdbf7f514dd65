//! The data conformance suite: behaviour every `DataStore` backend must show, written through
//! the store and read back through the `QueryEngine` (its scans are what the engine reads).
//!
//! Each check writes data of its own tenant and asserts what queries return, so one store serves
//! them all. A backend's tests call [`run_all`] (or single checks) on a fresh instance. Checks
//! panic with a message on failure, like assertions in any test. Compiled for this crate's tests
//! and, behind the `conformance` feature, for other backends' tests. The state half of a backend
//! has its own suite (`telemetryhub_storage::state_conformance`).

use telemetryhub_model::{
    Aggregation, Exemplar, LabelMatcher, Labels, LabelsJson, Level, LogQuery, LogRecord, LogsWrite,
    MatchOp, MetricPoint, MetricQuery, MetricsWrite, PatternCountsQuery, PatternTemplate,
    SeriesBatch, SeriesKey, SeriesQuery, Span, SpanKind, SpanOperation, SpanQuery, SpanStatus,
    SpansWrite,
};

use telemetryhub_storage::{IdempotencyKey, StorageError};

use crate::{Backend, SeriesMatchOp, SeriesMatcher, SeriesSelect};

/// A fixed base time: 2025-09-20T10:00:00Z.
pub const BASE_NS: i64 = 1_758_362_400_000_000_000;
const SECOND: i64 = 1_000_000_000;

/// A metrics request of `points` (all of `tenant`) with per-point item ids.
fn metrics_request(
    tenant: &str,
    points: Vec<MetricPoint>,
    item_ids: Vec<Option<String>>,
    idempotency: Option<IdempotencyKey>,
) -> MetricsWrite {
    MetricsWrite {
        item_ids,
        idempotency,
        ..MetricsWrite::of(SeriesBatch::from_points(tenant, &points))
    }
}

/// A logs request.
fn logs_request(
    tenant: &str,
    records: Vec<LogRecord>,
    item_ids: Vec<Option<String>>,
    idempotency: Option<IdempotencyKey>,
    patterns: Vec<PatternTemplate>,
) -> LogsWrite {
    LogsWrite {
        tenant: tenant.to_string(),
        records,
        item_ids,
        patterns,
        idempotency,
    }
}

/// A spans request.
fn spans_request(
    tenant: &str,
    spans: Vec<Span>,
    idempotency: Option<IdempotencyKey>,
) -> SpansWrite {
    SpansWrite {
        tenant: tenant.to_string(),
        spans,
        idempotency,
    }
}

/// Runs every check, each on data of its own tenant, so one store serves them all.
pub async fn run_all(backend: &Backend) {
    metrics_round_trip_and_filters(backend).await;
    series_aggregations(backend).await;
    logs_round_trip_and_filters(backend).await;
    idempotency_keys(backend).await;
    item_ids_deduplicate(backend).await;
    flush_keeps_everything_exactly_once(backend).await;
    log_patterns(backend).await;
    scan_across_tenants(backend).await;
    spans_round_trip_and_filters(backend).await;
    exemplars_round_trip(backend).await;
    series_batches_store_what_points_store(backend).await;
    malformed_series_batches_are_refused(backend).await;
    non_finite_values_are_kept_for_promql_and_left_out_of_json_answers(backend).await;
    the_last_write_of_a_series_and_timestamp_wins(backend).await;
    series_selected_by_matchers(backend).await;
}

/// A series has one sample per timestamp in series selection (PromQL's read path): of samples
/// written with one series and timestamp, the last written, wherever each is (both in the
/// buffer, one flushed and one buffered, both flushed in different parts). Raw points
/// (`/query/metrics`) return the stored rows: duplicates until a flush (or compaction) merges
/// them, then the last write only.
pub async fn the_last_write_of_a_series_and_timestamp_wins(backend: &Backend) {
    let t = "conformance-duplicates";
    let base = 4 * 86_400;
    let write = |offset: i64, value: f64| {
        write_points(
            backend,
            t,
            vec![point(t, "api", "up", &[], base + offset, value)],
        )
    };
    let since = BASE_NS + base * SECOND;
    let select = crate::SeriesSelect {
        tenant: t.into(),
        matchers: Vec::new(),
        since_ns: since,
        until_ns: since + 60 * SECOND,
    };
    let selected = async || -> Vec<(i64, f64)> {
        let series = backend
            .query
            .select_series(&select)
            .await
            .expect("select series");
        assert_eq!(series.len(), 1);
        let times = series[0].ts_ns.iter().map(|ts| (ts - since) / SECOND);
        times.zip(series[0].values.iter().copied()).collect()
    };
    let raw = async || -> Vec<(i64, f64)> {
        let query = MetricQuery {
            since_ns: since,
            until_ns: since + 60 * SECOND,
            ..all_metrics(t)
        };
        let mut points: Vec<(i64, f64)> = backend
            .query
            .metrics(&query)
            .await
            .expect("metrics")
            .iter()
            .map(|p| ((p.ts_ns - since) / SECOND, p.value))
            .collect();
        points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        points
    };
    // Both in the buffer.
    write(0, 1.0).await;
    write(0, 2.0).await;
    assert_eq!(selected().await, vec![(0, 2.0)]);
    assert_eq!(
        raw().await,
        vec![(0, 1.0), (0, 2.0)],
        "raw points: both rows"
    );
    // One flushed (the flush keeps the later of the two), one buffered.
    write(1, 3.0).await;
    backend.data.flush().await.expect("flush");
    assert_eq!(raw().await, vec![(0, 2.0), (1, 3.0)], "a flush merges");
    write(1, 4.0).await;
    write(1, 5.0).await;
    assert_eq!(selected().await, vec![(0, 2.0), (1, 5.0)]);
    // Both flushed, in different parts.
    backend.data.flush().await.expect("flush");
    assert_eq!(selected().await, vec![(0, 2.0), (1, 5.0)]);
    assert_eq!(
        raw().await,
        vec![(0, 2.0), (1, 3.0), (1, 5.0)],
        "raw points: one row per part until compaction"
    );
    // An older timestamp written late is a later write all the same.
    write(0, 6.0).await;
    assert_eq!(selected().await, vec![(0, 6.0), (1, 5.0)]);
}

/// NaN, ±Inf and Prometheus' staleness marker are stored bit for bit: series selection (PromQL's
/// read path) returns them as written, before and after a flush. The native queries, which
/// answer in JSON, leave them out before their limits and aggregates, and so does the scan of
/// the anomaly job.
pub async fn non_finite_values_are_kept_for_promql_and_left_out_of_json_answers(backend: &Backend) {
    let t = "conformance-non-finite";
    // Far from the other checks' data, so the all-tenant scan sees only these points.
    let base = 3 * 86_400;
    let values = [
        1.0,
        f64::from_bits(telemetryhub_model::STALE_NAN_BITS),
        f64::NAN,
        f64::from_bits(0xfff8_0000_0000_0001),
        f64::INFINITY,
        f64::NEG_INFINITY,
        2.0,
    ];
    let mut batch = SeriesBatch::new(t);
    let series = batch.push_series(SeriesKey {
        service: "api".into(),
        metric: "up".into(),
        labels_json: "{}".into(),
    });
    for (i, value) in values.iter().enumerate() {
        batch.push_sample(series, BASE_NS + (base + i as i64) * SECOND, *value);
    }
    backend
        .data
        .write_metrics(MetricsWrite::of(batch))
        .await
        .expect("write metrics");
    let since = BASE_NS + base * SECOND;
    let query = |limit| MetricQuery {
        since_ns: since,
        until_ns: since + 60 * SECOND,
        limit,
        ..all_metrics(t)
    };
    let select = crate::SeriesSelect {
        tenant: t.into(),
        matchers: Vec::new(),
        since_ns: since,
        until_ns: since + 60 * SECOND,
    };
    let expected: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    for flushed in [false, true] {
        let selected = backend
            .query
            .select_series(&select)
            .await
            .expect("select series");
        assert_eq!(selected.len(), 1, "flushed: {flushed}");
        let bits: Vec<u64> = selected[0].values.iter().map(|v| v.to_bits()).collect();
        assert_eq!(bits, expected, "flushed: {flushed}");

        let points = backend.query.metrics(&query(10)).await.expect("metrics");
        let seen: Vec<f64> = points.iter().map(|p| p.value).collect();
        assert_eq!(seen, vec![2.0, 1.0], "flushed: {flushed}");
        let newest = backend.query.metrics(&query(1)).await.expect("metrics");
        assert_eq!(newest.len(), 1, "the limit counts finite points only");
        assert_eq!(newest[0].value, 2.0);

        let series = backend
            .query
            .series(&SeriesQuery {
                select: query(10),
                step_ns: 3600 * SECOND,
                aggregation: Aggregation::Sum,
            })
            .await
            .expect("series query");
        let buckets: Vec<(f64, u64)> = series[0].buckets.iter().map(|b| (b.1, b.2)).collect();
        assert_eq!(buckets, vec![(3.0, 2)], "flushed: {flushed}");

        let scanned = backend
            .query
            .scan_metrics_of_all_tenants(since, since + 60 * SECOND, 100)
            .await
            .expect("scan");
        let seen: Vec<f64> = scanned.iter().map(|p| p.value).collect();
        assert_eq!(seen, vec![1.0, 2.0], "flushed: {flushed}");
        backend.data.flush().await.expect("flush");
    }
}

/// A series batch whose samples name a series it lacks, or whose columns differ in length, is
/// refused as an invalid argument, and stores nothing.
pub async fn malformed_series_batches_are_refused(backend: &Backend) {
    let tenant = "conformance-malformed-series";
    let good = || {
        let mut batch = SeriesBatch::new(tenant);
        let series = batch.push_series(SeriesKey {
            service: "api".into(),
            metric: "up".into(),
            labels_json: "{}".into(),
        });
        batch.push_sample(series, BASE_NS, 1.0);
        batch
    };
    let mut dangling = good();
    dangling.series_of[0] = 3;
    let mut ragged = good();
    ragged.values.clear();
    for batch in [dangling, ragged] {
        let refused = backend.data.write_metrics(MetricsWrite::of(batch)).await;
        assert!(
            matches!(refused, Err(StorageError::InvalidArgument(_))),
            "a malformed series batch was not refused: {refused:?}"
        );
    }
    let stored = backend.query.metrics(&all_metrics(tenant)).await.unwrap();
    assert!(stored.is_empty(), "a refused batch stored {stored:?}");
}

/// Samples written grouped by series read back exactly as the same samples written as points,
/// label matchers included, and count as accepted items.
pub async fn series_batches_store_what_points_store(backend: &Backend) {
    let (as_points, as_series) = ("conformance-as-points", "conformance-as-series");
    let samples = [
        (
            "api",
            "up",
            &[("instance", "h:1"), ("zone", "a\"b")][..],
            0,
            1.0,
        ),
        (
            "api",
            "up",
            &[("instance", "h:1"), ("zone", "a\"b")][..],
            15,
            0.0,
        ),
        ("web", "requests_total", &[][..], 5, 42.5),
    ];
    let points: Vec<MetricPoint> = samples
        .iter()
        .map(|(service, metric, labels, at, value)| {
            point(as_points, service, metric, labels, *at, *value)
        })
        .collect();
    write_points(backend, as_points, points.clone()).await;
    let mut batch = SeriesBatch::new(as_series);
    let mut writer = LabelsJson::default();
    let mut index = std::collections::HashMap::new();
    for point in &points {
        let key_labels = serde_json::to_string(&point.labels).expect("labels");
        let series = *index
            .entry((point.service.clone(), point.metric.clone(), key_labels))
            .or_insert_with(|| {
                writer.clear();
                for (name, value) in &point.labels {
                    writer.push(name, value);
                }
                batch.push_series(SeriesKey {
                    service: point.service.clone(),
                    metric: point.metric.clone(),
                    labels_json: writer.json(),
                })
            });
        batch.push_sample(series, point.ts_ns, point.value);
    }
    assert_eq!(batch.series.len(), 2);
    let outcome = backend
        .data
        .write_metrics(MetricsWrite::of(batch))
        .await
        .expect("write series");
    assert_eq!(outcome.accepted, 3);
    let read = |tenant: &'static str, labels: Vec<LabelMatcher>| async move {
        let mut query = all_metrics(tenant);
        query.labels = labels;
        let mut points = backend.query.metrics(&query).await.expect("query");
        for point in &mut points {
            point.tenant = String::new();
        }
        points
    };
    assert_eq!(read(as_series, vec![]).await, read(as_points, vec![]).await);
    assert_eq!(read(as_series, vec![]).await.len(), 3);
    let zone = || {
        vec![LabelMatcher {
            name: "zone".into(),
            op: MatchOp::Equal,
            value: "a\"b".into(),
        }]
    };
    assert_eq!(read(as_series, zone()).await.len(), 2);
    assert_eq!(read(as_series, zone()).await, read(as_points, zone()).await);
}

/// A scan returns every tenant's points in the range, oldest first, up to the limit.
pub async fn scan_across_tenants(backend: &Backend) {
    let (a, b) = ("conformance-scan-a", "conformance-scan-b");
    // Far from the other checks' data, so their points do not fall in the range.
    let base = 2 * 86_400;
    write_points(
        backend,
        a,
        vec![
            point(a, "api", "m", &[], base + 2, 2.0),
            point(a, "api", "m", &[], base, 0.0),
        ],
    )
    .await;
    write_points(backend, b, vec![point(b, "web", "m", &[], base + 1, 1.0)]).await;
    let since = BASE_NS + base * SECOND;
    let all = backend
        .query
        .scan_metrics_of_all_tenants(since, since + 10 * SECOND, 100)
        .await
        .expect("scan");
    let seen: Vec<(&str, f64)> = all.iter().map(|p| (p.tenant.as_str(), p.value)).collect();
    assert_eq!(seen, vec![(a, 0.0), (b, 1.0), (a, 2.0)]);
    assert_eq!(
        backend
            .query
            .scan_metrics_of_all_tenants(since, since + 10 * SECOND, 2)
            .await
            .expect("scan")
            .len(),
        2
    );
}

fn point(
    tenant: &str,
    service: &str,
    metric: &str,
    labels: &[(&str, &str)],
    offset_s: i64,
    value: f64,
) -> MetricPoint {
    MetricPoint {
        tenant: tenant.into(),
        service: service.into(),
        metric: metric.into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Labels>(),
        ts_ns: BASE_NS + offset_s * SECOND,
        value,
    }
}

fn log(tenant: &str, service: &str, level: Level, message: &str, offset_s: i64) -> LogRecord {
    LogRecord {
        tenant: tenant.into(),
        service: service.into(),
        level,
        message: message.into(),
        ts_ns: BASE_NS + offset_s * SECOND,
        context: Some(r#"{"pool":"write"}"#.into()),
        trace_id: None,
        span_id: None,
        pattern_id: None,
        stream_labels: None,
    }
}

/// A query over all of `tenant`'s metrics in the test window.
pub fn all_metrics(tenant: &str) -> MetricQuery {
    MetricQuery {
        tenant: tenant.into(),
        service: None,
        metric: None,
        since_ns: BASE_NS - 86_400 * SECOND,
        until_ns: BASE_NS + 86_400 * SECOND,
        labels: Vec::new(),
        limit: 10_000,
    }
}

/// A query over all of `tenant`'s logs in the test window.
pub fn all_logs(tenant: &str) -> LogQuery {
    LogQuery {
        tenant: tenant.into(),
        service: None,
        level: None,
        since_ns: BASE_NS - 86_400 * SECOND,
        until_ns: BASE_NS + 86_400 * SECOND,
        contains: None,
        pattern_ids: None,
        trace_id: None,
        limit: 10_000,
    }
}

async fn write_points(backend: &Backend, tenant: &str, points: Vec<MetricPoint>) {
    let ids = vec![None; points.len()];
    let outcome = backend
        .data
        .write_metrics(metrics_request(tenant, points.clone(), ids, None))
        .await
        .expect("write metrics");
    assert_eq!(outcome.accepted, points.len() as u64);
}

/// Points come back newest first, with every filter applied, and never across tenants.
pub async fn metrics_round_trip_and_filters(backend: &Backend) {
    let t = "conformance-metrics";
    write_points(
        backend,
        t,
        vec![
            point(t, "payments", "latency_ms", &[("env", "prod")], 0, 10.0),
            point(t, "payments", "latency_ms", &[("env", "dev")], 1, 20.0),
            point(t, "payments", "errors", &[], 2, 1.0),
            point(
                t,
                "checkout",
                "latency_ms",
                &[("env", "prod"), ("region", "eu")],
                3,
                30.0,
            ),
        ],
    )
    .await;
    write_points(
        backend,
        "conformance-other",
        vec![point(
            "conformance-other",
            "payments",
            "latency_ms",
            &[],
            0,
            99.0,
        )],
    )
    .await;

    let all = backend.query.metrics(&all_metrics(t)).await.expect("query");
    let values: Vec<f64> = all.iter().map(|p| p.value).collect();
    assert_eq!(
        values,
        vec![30.0, 1.0, 20.0, 10.0],
        "newest first, one tenant only"
    );
    assert_eq!(all[0].labels.get("region").map(String::as_str), Some("eu"));

    let mut query = all_metrics(t);
    query.service = Some("payments".into());
    query.metric = Some("latency_ms".into());
    let values: Vec<f64> = backend
        .query
        .metrics(&query)
        .await
        .expect("query")
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(values, vec![20.0, 10.0]);

    query.labels = LabelMatcher::parse_list("env=prod").expect("matchers");
    let values: Vec<f64> = backend
        .query
        .metrics(&query)
        .await
        .expect("query")
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(values, vec![10.0]);

    let mut query = all_metrics(t);
    query.labels = LabelMatcher::parse_list("env!=prod").expect("matchers");
    let values: Vec<f64> = backend
        .query
        .metrics(&query)
        .await
        .expect("query")
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(values, vec![1.0, 20.0], "!= matches absent labels too");

    let mut query = all_metrics(t);
    query.labels = LabelMatcher::parse_list("region=").expect("matchers");
    assert_eq!(
        backend.query.metrics(&query).await.expect("query").len(),
        3,
        "empty value matches absent label"
    );

    let mut query = all_metrics(t);
    query.since_ns = BASE_NS + SECOND;
    query.until_ns = BASE_NS + 3 * SECOND;
    let values: Vec<f64> = backend
        .query
        .metrics(&query)
        .await
        .expect("query")
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(values, vec![1.0, 20.0], "since inclusive, until exclusive");

    let mut query = all_metrics(t);
    query.limit = 2;
    assert_eq!(backend.query.metrics(&query).await.expect("query").len(), 2);
}

/// Buckets align to multiples of the step and every aggregation is computed exactly.
pub async fn series_aggregations(backend: &Backend) {
    let t = "conformance-series";
    let points: Vec<MetricPoint> = (0..120)
        .map(|i| point(t, "api", "rps", &[("host", "a")], i, i as f64))
        .collect();
    write_points(backend, t, points).await;
    let expectations = [
        (Aggregation::Avg, 29.5, 89.5),
        (Aggregation::Min, 0.0, 60.0),
        (Aggregation::Max, 59.0, 119.0),
        (Aggregation::Sum, 1770.0, 5370.0),
        (Aggregation::Count, 60.0, 60.0),
        (Aggregation::P50, 29.5, 89.5),
    ];
    for (aggregation, first, second) in expectations {
        let query = SeriesQuery {
            select: all_metrics(t),
            step_ns: 60 * SECOND,
            aggregation,
        };
        let series = backend.query.series(&query).await.expect("series query");
        assert_eq!(series.len(), 1, "{aggregation}");
        let buckets: Vec<(i64, f64, u64)> = series[0].buckets.clone();
        // BASE_NS is a multiple of 60 s, so the points fill exactly two buckets.
        assert_eq!(
            buckets,
            vec![(BASE_NS, first, 60), (BASE_NS + 60 * SECOND, second, 60)],
            "{aggregation}"
        );
    }
}

/// Logs come back newest first and every filter applies; `contains` matches literally.
pub async fn logs_round_trip_and_filters(backend: &Backend) {
    let t = "conformance-logs";
    let records = vec![
        log(
            t,
            "payments",
            Level::Error,
            "db timeout acquiring connection",
            0,
        ),
        log(t, "payments", Level::Info, "request ok", 1),
        log(t, "checkout", Level::Error, "100% of retries_failed", 2),
    ];
    let outcome = backend
        .data
        .write_logs(logs_request(t, records, vec![None; 3], None, Vec::new()))
        .await
        .expect("write logs");
    assert_eq!(outcome.accepted, 3);
    let all = backend.query.logs(&all_logs(t)).await.expect("query");
    let messages: Vec<&str> = all.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "100% of retries_failed",
            "request ok",
            "db timeout acquiring connection"
        ]
    );
    assert_eq!(all[2].context.as_deref(), Some(r#"{"pool":"write"}"#));

    let mut query = all_logs(t);
    query.level = Some(Level::Error);
    query.service = Some("payments".into());
    assert_eq!(backend.query.logs(&query).await.expect("query").len(), 1);

    let mut query = all_logs(t);
    query.contains = Some("% of retries_".into());
    assert_eq!(backend.query.logs(&query).await.expect("query").len(), 1);
    query.contains = Some("%_".into());
    assert_eq!(
        backend.query.logs(&query).await.expect("query").len(),
        0,
        "wildcards match literally"
    );
}

/// A resend with the same key stores nothing and answers the same; another body conflicts.
pub async fn idempotency_keys(backend: &Backend) {
    let t = "conformance-idempotency";
    let points = vec![
        point(t, "api", "m", &[], 0, 1.0),
        point(t, "api", "m", &[], 1, 2.0),
    ];
    let key = IdempotencyKey {
        key: "batch-1".into(),
        fingerprint: 42,
    };
    let first = backend
        .data
        .write_metrics(metrics_request(
            t,
            points.clone(),
            vec![None, None],
            Some(key.clone()),
        ))
        .await
        .expect("first");
    assert!(!first.replayed);
    let second = backend
        .data
        .write_metrics(metrics_request(
            t,
            points.clone(),
            vec![None, None],
            Some(key.clone()),
        ))
        .await
        .expect("resend");
    assert_eq!(second.accepted, 2);
    assert!(second.replayed);
    assert_eq!(
        backend
            .query
            .metrics(&all_metrics(t))
            .await
            .expect("query")
            .len(),
        2
    );
    let other = IdempotencyKey {
        fingerprint: 43,
        ..key
    };
    let conflict = backend
        .data
        .write_metrics(metrics_request(t, points, vec![None, None], Some(other)))
        .await;
    assert!(
        matches!(conflict, Err(StorageError::IdempotencyConflict(_))),
        "{conflict:?}"
    );
}

/// Items whose id was stored before are skipped, within one batch and across batches.
pub async fn item_ids_deduplicate(backend: &Backend) {
    let t = "conformance-item-ids";
    let ids = vec![
        Some("a".to_string()),
        Some("b".to_string()),
        Some("a".to_string()),
    ];
    let records = vec![
        log(t, "api", Level::Info, "one", 0),
        log(t, "api", Level::Info, "two", 1),
        log(t, "api", Level::Info, "one again", 2),
    ];
    backend
        .data
        .write_logs(logs_request(
            t,
            records.clone(),
            ids.clone(),
            None,
            Vec::new(),
        ))
        .await
        .expect("write");
    backend
        .data
        .write_logs(logs_request(t, records, ids, None, Vec::new()))
        .await
        .expect("resend");
    let messages: Vec<String> = backend
        .query
        .logs(&all_logs(t))
        .await
        .expect("query")
        .into_iter()
        .map(|r| r.message)
        .collect();
    assert_eq!(messages, vec!["two".to_string(), "one".to_string()]);

    // Metric points too: a repeat within the batch, a resend, and a resend after a flush.
    let points = vec![
        point(t, "api", "m", &[("host", "a")], 0, 1.0),
        point(t, "api", "m", &[("host", "b")], 1, 2.0),
        point(t, "api", "m", &[("host", "a")], 2, 3.0),
    ];
    let ids = vec![
        Some("a".to_string()),
        Some("b".to_string()),
        Some("a".to_string()),
    ];
    let first = backend
        .data
        .write_metrics(metrics_request(t, points.clone(), ids.clone(), None))
        .await
        .expect("write");
    assert_eq!(first.accepted, 3, "accepted counts the items sent");
    backend
        .data
        .write_metrics(metrics_request(t, points.clone(), ids.clone(), None))
        .await
        .expect("resend");
    backend.data.flush().await.expect("flush");
    backend
        .data
        .write_metrics(metrics_request(t, points, ids, None))
        .await
        .expect("resend after a flush");
    let values: Vec<f64> = backend
        .query
        .metrics(&all_metrics(t))
        .await
        .expect("query")
        .into_iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(
        values,
        vec![2.0, 1.0],
        "each id stored once, the first time"
    );
}

/// After a flush, data from long-term storage and new buffered data are each seen exactly once.
pub async fn flush_keeps_everything_exactly_once(backend: &Backend) {
    let t = "conformance-flush";
    write_points(
        backend,
        t,
        (0..50)
            .map(|i| point(t, "api", "m", &[], i, i as f64))
            .collect(),
    )
    .await;
    // One point on the next day, so a backend partitioning by day splits the batch.
    write_points(
        backend,
        t,
        vec![point(t, "api", "m", &[], 86_400 - 1, -1.0)],
    )
    .await;
    backend.data.flush().await.expect("flush");
    write_points(
        backend,
        t,
        (50..60)
            .map(|i| point(t, "api", "m", &[], i, i as f64))
            .collect(),
    )
    .await;
    let mut values: Vec<f64> = backend
        .query
        .metrics(&all_metrics(t))
        .await
        .expect("query")
        .iter()
        .map(|p| p.value)
        .collect();
    values.sort_by(f64::total_cmp);
    let mut expected: Vec<f64> = (0..60).map(f64::from).collect();
    expected.insert(0, -1.0);
    assert_eq!(values, expected);
    backend.data.flush().await.expect("second flush");
    assert_eq!(
        backend
            .query
            .metrics(&all_metrics(t))
            .await
            .expect("query")
            .len(),
        61
    );
    assert_eq!(
        backend.data.stats().rows_buffered,
        0,
        "a flush empties the buffer"
    );
}

fn pattern(tenant: &str, id: u64, template: &str, version: u64) -> PatternTemplate {
    PatternTemplate {
        tenant: tenant.into(),
        id,
        template: template.into(),
        merged_into: None,
        samples: vec![template.replace("<*>", "1")],
        first_seen_ns: BASE_NS,
        lines: 1,
        last_seen_ns: BASE_NS,
        version,
    }
}

/// Pattern states arrive with the lines, the higher version wins, counts and histograms are
/// computed per stored id, lines filter by pattern, and feedback is kept.
pub async fn log_patterns(backend: &Backend) {
    let t = "conformance-patterns";
    let mut records = [
        log(t, "api", Level::Error, "db timeout after 3s", 0),
        log(t, "api", Level::Error, "db timeout after 4s", 70),
        log(t, "web", Level::Warn, "db timeout after 5s", 130),
        log(t, "api", Level::Info, "user logged in", 10),
    ];
    for (record, id) in records.iter_mut().zip([0, 0, 0, 1]) {
        record.pattern_id = Some(id);
    }
    // The newer state of pattern 0 is written first: the older one must not replace it.
    let wider = pattern(t, 0, "db timeout after <*>", 2);
    backend
        .data
        .write_logs(logs_request(
            t,
            records[..2].to_vec(),
            vec![None; 2],
            None,
            vec![wider.clone()],
        ))
        .await
        .expect("write");
    backend
        .data
        .write_logs(logs_request(
            t,
            records[2..].to_vec(),
            vec![None; 2],
            None,
            vec![
                pattern(t, 0, "db timeout after 3s", 1),
                pattern(t, 1, "user logged in", 1),
            ],
        ))
        .await
        .expect("write");
    let stored: Vec<PatternTemplate> = backend
        .state
        .load_patterns()
        .await
        .expect("load")
        .into_iter()
        .filter(|p| p.tenant == t)
        .collect();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0], wider, "the higher version wins");

    let query = PatternCountsQuery {
        tenant: t.into(),
        service: None,
        level: None,
        since_ns: BASE_NS - SECOND,
        until_ns: BASE_NS + 3600 * SECOND,
    };
    let counts = backend.query.pattern_counts(&query).await.expect("counts");
    let summary: Vec<(u64, &str, Level, u64)> = counts
        .iter()
        .map(|c| (c.pattern_id, c.service.as_str(), c.level, c.count))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, "api", Level::Error, 2),
            (0, "web", Level::Warn, 1),
            (1, "api", Level::Info, 1)
        ]
    );
    assert_eq!(counts[0].first_ns, BASE_NS);
    assert_eq!(counts[0].last_ns, BASE_NS + 70 * SECOND);
    let errors_only = PatternCountsQuery {
        level: Some(Level::Error),
        ..query
    };
    assert_eq!(
        backend
            .query
            .pattern_counts(&errors_only)
            .await
            .expect("counts")
            .len(),
        1
    );

    let histogram = backend
        .query
        .pattern_histogram(
            t,
            &[0],
            BASE_NS - SECOND,
            BASE_NS + 3600 * SECOND,
            60 * SECOND,
        )
        .await
        .expect("histogram");
    assert_eq!(
        histogram,
        vec![
            (BASE_NS, 1),
            (BASE_NS + 60 * SECOND, 1),
            (BASE_NS + 120 * SECOND, 1)
        ]
    );

    let mut by_pattern = all_logs(t);
    by_pattern.pattern_ids = Some(vec![1]);
    let lines = backend.query.logs(&by_pattern).await.expect("query");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].pattern_id, Some(1));
}

fn span(tenant: &str, trace: u8, id: u8, parent: Option<u8>, service: &str, name: &str) -> Span {
    Span {
        tenant: tenant.into(),
        trace_id: format!("{trace:032x}"),
        span_id: format!("{id:016x}"),
        parent_span_id: parent.map(|p| format!("{p:016x}")),
        service: service.into(),
        name: name.into(),
        kind: if parent.is_none() {
            SpanKind::Server
        } else {
            SpanKind::Client
        },
        start_ns: BASE_NS + i64::from(id) * SECOND,
        duration_ns: i64::from(id) * 1_000_000,
        status: if name.contains("fail") {
            SpanStatus::Error
        } else {
            SpanStatus::Unset
        },
        status_message: name.contains("fail").then(|| "boom".to_string()),
        attributes: Some(r#"{"attributes":{"http.route":"/x"}}"#.into()),
        events: (id == 2).then(|| r#"[{"name":"retry","time_ns":1}]"#.to_string()),
        links: None,
    }
}

/// A query over all of `tenant`'s spans in the test window.
pub fn all_spans(tenant: &str) -> SpanQuery {
    SpanQuery {
        tenant: tenant.into(),
        since_ns: BASE_NS - 86_400 * SECOND,
        until_ns: BASE_NS + 86_400 * SECOND,
        limit: 10_000,
        ..SpanQuery::default()
    }
}

/// Spans round-trip exactly; filters, trace lookup (before and after a flush) and the
/// operation list work, tenants stay apart, and logs can be looked up by trace id.
pub async fn spans_round_trip_and_filters(backend: &Backend) {
    let tenant = "conformance-spans";
    let spans = vec![
        span(tenant, 1, 1, None, "frontend", "GET /checkout"),
        span(tenant, 1, 2, Some(1), "frontend", "call payments"),
        span(tenant, 1, 3, Some(2), "payments", "charge fail"),
        span(tenant, 2, 4, None, "frontend", "GET /checkout"),
    ];
    let outcome = backend
        .data
        .write_spans(spans_request(tenant, spans.clone(), None))
        .await
        .expect("write spans");
    assert_eq!(outcome.accepted, 4);
    backend
        .data
        .write_spans(spans_request(
            "conformance-spans-other",
            vec![span("conformance-spans-other", 1, 1, None, "frontend", "x")],
            None,
        ))
        .await
        .expect("write other tenant");

    let newest_first: Vec<Span> = spans.iter().rev().cloned().collect();
    assert_eq!(
        backend.query.spans(&all_spans(tenant)).await.expect("all"),
        newest_first
    );
    let trace = SpanQuery {
        trace_ids: Some(vec![format!("{:032x}", 1)]),
        ..all_spans(tenant)
    };
    let ids = |found: Vec<Span>| -> Vec<String> { found.into_iter().map(|s| s.span_id).collect() };
    let expected_trace = vec![
        format!("{:016x}", 3),
        format!("{:016x}", 2),
        format!("{:016x}", 1),
    ];
    assert_eq!(
        ids(backend.query.spans(&trace).await.expect("trace")),
        expected_trace
    );
    let filtered = SpanQuery {
        service: Some("frontend".into()),
        min_duration_ns: Some(2_000_000),
        max_duration_ns: Some(4_000_000),
        ..all_spans(tenant)
    };
    assert_eq!(
        ids(backend.query.spans(&filtered).await.expect("filtered")),
        vec![format!("{:016x}", 4), format!("{:016x}", 2)]
    );
    let errors = SpanQuery {
        status: Some(SpanStatus::Error),
        name: Some("charge fail".into()),
        ..all_spans(tenant)
    };
    let failed = backend.query.spans(&errors).await.expect("errors");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].status_message.as_deref(), Some("boom"));
    let limited = SpanQuery {
        limit: 1,
        ..all_spans(tenant)
    };
    assert_eq!(backend.query.spans(&limited).await.expect("limit").len(), 1);

    let operations = backend
        .query
        .span_operations(tenant, None, BASE_NS - SECOND, BASE_NS + 60 * SECOND)
        .await
        .expect("operations");
    let op = |service: &str, name: &str, kind| SpanOperation {
        service: service.into(),
        name: name.into(),
        kind,
    };
    assert_eq!(
        operations,
        vec![
            op("frontend", "GET /checkout", SpanKind::Server),
            op("frontend", "call payments", SpanKind::Client),
            op("payments", "charge fail", SpanKind::Client),
        ]
    );
    assert_eq!(
        backend
            .query
            .span_operations(
                tenant,
                Some("payments"),
                BASE_NS - SECOND,
                BASE_NS + 60 * SECOND
            )
            .await
            .expect("operations of one service")
            .len(),
        1
    );

    let mut in_trace = log(tenant, "payments", Level::Error, "card declined", 3);
    in_trace.trace_id = Some(format!("{:032x}", 1));
    in_trace.span_id = Some(format!("{:016x}", 3));
    let outside = log(tenant, "payments", Level::Info, "tick", 3);
    backend
        .data
        .write_logs(logs_request(
            tenant,
            vec![in_trace.clone(), outside],
            vec![None, None],
            None,
            Vec::new(),
        ))
        .await
        .expect("write logs");
    let logs_of_trace = LogQuery {
        trace_id: Some(format!("{:032x}", 1)),
        ..all_logs(tenant)
    };
    assert_eq!(
        backend
            .query
            .logs(&logs_of_trace)
            .await
            .expect("logs of trace"),
        vec![in_trace]
    );

    backend.data.flush().await.expect("flush");
    assert_eq!(
        backend
            .query
            .spans(&all_spans(tenant))
            .await
            .expect("all after flush"),
        newest_first
    );
    assert_eq!(
        ids(backend
            .query
            .spans(&trace)
            .await
            .expect("trace after flush")),
        expected_trace
    );
}

/// Exemplars round-trip and are selected like raw points.
pub async fn exemplars_round_trip(backend: &Backend) {
    let tenant = "conformance-exemplars";
    let exemplar = |labels: &[(&str, &str)], offset_s: i64, trace: Option<&str>| Exemplar {
        tenant: tenant.into(),
        service: "api".into(),
        metric: "http_request_duration_seconds_bucket".into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        exemplar_labels: trace
            .map(|t| Labels::from([("trace_id".to_string(), t.to_string())]))
            .unwrap_or_default(),
        ts_ns: BASE_NS + offset_s * SECOND,
        value: 0.25,
        trace_id: trace.map(str::to_string),
    };
    let stored = vec![
        exemplar(
            &[("le", "0.5")],
            1,
            Some("4bf92f3577b34da6a3ce929d0e0e4736"),
        ),
        exemplar(&[("le", "1")], 2, None),
    ];
    backend
        .data
        .write_metrics(MetricsWrite {
            exemplars: stored.clone(),
            ..MetricsWrite::of(SeriesBatch::new(tenant))
        })
        .await
        .expect("write exemplars");
    let everything = backend
        .query
        .exemplars(&all_metrics(tenant))
        .await
        .expect("query exemplars");
    assert_eq!(everything, stored.iter().rev().cloned().collect::<Vec<_>>());
    let one_bucket = MetricQuery {
        labels: vec!["le=0.5".parse().expect("matcher")],
        ..all_metrics(tenant)
    };
    assert_eq!(
        backend
            .query
            .exemplars(&one_bucket)
            .await
            .expect("filtered"),
        vec![stored[0].clone()]
    );
    assert!(
        backend
            .query
            .exemplars(&all_metrics("conformance-exemplars-other"))
            .await
            .expect("other tenant")
            .is_empty()
    );
}

/// PromQL's read path: series selected by label matchers (the metric name as `__name__`,
/// anchored regexes, an absent label as ""), each with the label set it was written with —
/// the service a remote-written series was filed under stays a label, a native point's service
/// becomes one — and its samples in time order, from buffer and parts alike; listing the label
/// sets gives the same series.
pub async fn series_selected_by_matchers(backend: &Backend) {
    let tenant = "conformance-series-select";
    let mut batch = SeriesBatch::new(tenant);
    let key = |pairs: &[(&str, &str)]| {
        let mut labels = LabelsJson::default();
        for &(name, value) in pairs {
            labels.push(name, value);
        }
        SeriesKey {
            service: "api".into(),
            metric: "http_requests_total".into(),
            labels_json: labels.json(),
        }
    };
    let ok = batch.push_series(key(&[("code", "200"), ("instance", "h:1"), ("job", "api")]));
    let failed = batch.push_series(key(&[("code", "500"), ("instance", "h:1"), ("job", "api")]));
    for at in [0, 15, 30] {
        batch.push_sample(ok, BASE_NS + at * SECOND, at as f64);
        batch.push_sample(failed, BASE_NS + at * SECOND, 1.0);
    }
    backend
        .data
        .write_metrics(MetricsWrite::of(batch))
        .await
        .expect("write series");
    backend.data.flush().await.expect("flush");
    // Later samples stay in the buffer: the selection reads both.
    let mut later = SeriesBatch::new(tenant);
    let ok_again = later.push_series(key(&[("code", "200"), ("instance", "h:1"), ("job", "api")]));
    later.push_sample(ok_again, BASE_NS + 45 * SECOND, 45.0);
    backend
        .data
        .write_metrics(MetricsWrite::of(later))
        .await
        .expect("write series");
    write_points(
        backend,
        tenant,
        vec![point(tenant, "checkout", "cpu", &[("host", "a")], 0, 0.5)],
    )
    .await;
    let select = |matchers: Vec<SeriesMatcher>| SeriesSelect {
        tenant: tenant.to_string(),
        matchers,
        since_ns: BASE_NS,
        until_ns: BASE_NS + 45 * SECOND,
    };
    let name = |value: &str| SeriesMatcher {
        name: "__name__".into(),
        op: SeriesMatchOp::Equal(value.into()),
    };
    let regex =
        |label: &str, pattern: &str| SeriesMatcher::regex(label, pattern, false).expect("regex");
    let both = backend
        .query
        .select_series(&select(vec![
            name("http_requests_total"),
            regex("code", "[25]00"),
        ]))
        .await
        .expect("select");
    assert_eq!(both.len(), 2, "{both:?}");
    let first = &both[0];
    let names: Vec<&str> = first.labels.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["__name__", "code", "instance", "job"],
        "labels as written"
    );
    assert_eq!(first.labels["code"], "200");
    let seconds: Vec<i64> = first.ts_ns.iter().map(|t| (t - BASE_NS) / SECOND).collect();
    assert_eq!(
        seconds,
        [0, 15, 30, 45],
        "in time order, both ends included"
    );
    assert_eq!(first.values, [0.0, 15.0, 30.0, 45.0]);
    // Shaped as read: each series once, its flushed and buffered samples merged first.
    let summed: crate::SamplesShape = std::sync::Arc::new(|ts, values| {
        *ts = ts.last().copied().into_iter().collect();
        *values = vec![values.iter().sum()];
    });
    let shaped = backend
        .query
        .select_series_read(
            &select(vec![name("http_requests_total"), regex("code", "[25]00")]),
            &crate::SamplesRead {
                shape: Some(summed),
                max_samples: None,
            },
        )
        .await
        .expect("select shaped");
    let shaped: Vec<(&str, Vec<i64>, Vec<f64>)> = shaped
        .iter()
        .map(|s| (s.labels["code"].as_str(), s.ts_ns.clone(), s.values.clone()))
        .collect();
    let last = BASE_NS + 45 * SECOND;
    assert_eq!(
        shaped,
        [
            ("200", vec![last], vec![90.0]),
            ("500", vec![BASE_NS + 30 * SECOND], vec![3.0])
        ]
    );
    let anchored = backend
        .query
        .select_series(&select(vec![regex("code", "2")]))
        .await
        .expect("select");
    assert!(anchored.is_empty(), "regexes are anchored: {anchored:?}");
    let absent_is_empty = backend
        .query
        .select_series(&select(vec![
            name("cpu"),
            SeriesMatcher {
                name: "code".into(),
                op: SeriesMatchOp::Equal(String::new()),
            },
        ]))
        .await
        .expect("select");
    assert_eq!(absent_is_empty.len(), 1);
    assert_eq!(
        absent_is_empty[0].labels.get("service").map(String::as_str),
        Some("checkout"),
        "a native point's service is a label"
    );
    let listed = backend
        .query
        .series_labels(&select(vec![regex("__name__", ".+")]))
        .await
        .expect("series");
    assert_eq!(listed.len(), 3, "{listed:?}");
}
