use telemetryhub_model::{Labels, Level, MetricsWrite, SeriesBatch, SpanKind, SpansWrite};
use telemetryhub_patterns::MinerConfig;

use super::*;
use crate::testing::{stored_anomaly, temp_backend, write_tagged_lines};

/// 2025-09-20T10:00:00Z: the anomaly window of these tests starts here and lasts two minutes.
const T: i64 = 1_758_362_400_000_000_000;
const SECOND: i64 = 1_000_000_000;
const MS: i64 = 1_000_000;

fn point(labels: Labels, ts_ns: i64, value: f64) -> MetricPoint {
    MetricPoint {
        tenant: "t".into(),
        service: "payments".into(),
        metric: "latency_ms".into(),
        labels,
        ts_ns,
        value,
    }
}

fn exemplar(ts_ns: i64, trace: &str) -> Exemplar {
    Exemplar {
        tenant: "t".into(),
        service: "payments".into(),
        metric: "latency_ms".into(),
        labels: Labels::new(),
        exemplar_labels: Labels::from([("trace_id".to_string(), trace.to_string())]),
        ts_ns,
        value: 950.0,
        trace_id: Some(trace.to_string()),
    }
}

fn span(service: &str, name: &str, start_ns: i64, duration_ns: i64, status: SpanStatus) -> Span {
    Span {
        tenant: "t".into(),
        trace_id: "ab".repeat(16),
        span_id: format!("{:016x}", start_ns % 1_000_000_007),
        parent_span_id: None,
        service: service.into(),
        name: name.into(),
        kind: SpanKind::Server,
        start_ns,
        duration_ns,
        status,
        status_message: None,
        attributes: None,
        events: None,
        links: None,
    }
}

fn totals(count: u64) -> PatternTotals {
    PatternTotals {
        count,
        ..PatternTotals::empty(0)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_down_gathers_every_signal_around_the_window() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    let anomaly = stored_anomaly(&backend, "a1", T).await;

    // A point a minute for two hours either side, and a series with an extra label.
    let mut points: Vec<MetricPoint> = (-120..=120)
        .map(|minute| point(Labels::new(), T + minute * MINUTE_NS, 100.0 + minute as f64))
        .collect();
    let zoned = Labels::from([("zone".to_string(), "a".to_string())]);
    points.push(point(zoned, T, 1.0));
    let ids = vec![None; points.len()];
    backend
        .data
        .write_metrics(MetricsWrite {
            item_ids: ids,
            idempotency: None,
            ..MetricsWrite::of(SeriesBatch::from_points("t", &points))
        })
        .await
        .unwrap();
    let pattern_ids = write_tagged_lines(
        &backend,
        &tagger,
        &[
            (
                "payments",
                Level::Info,
                "cache warmed in 5 ms",
                T - 90 * SECOND,
            ),
            (
                "payments",
                Level::Info,
                "cache warmed in 6 ms",
                T - 30 * SECOND,
            ),
            (
                "payments",
                Level::Error,
                "db timeout after 900 ms",
                T + SECOND,
            ),
            (
                "payments",
                Level::Error,
                "db timeout after 901 ms",
                T + 2 * SECOND,
            ),
            (
                "payments",
                Level::Error,
                "db timeout after 902 ms",
                T + 3 * SECOND,
            ),
            (
                "payments",
                Level::Info,
                "cache warmed in 7 ms",
                T + 4 * SECOND,
            ),
            (
                "checkout",
                Level::Error,
                "db timeout after 3 ms",
                T + 5 * SECOND,
            ),
        ],
    )
    .await;
    let (cache, timeout) = (pattern_ids[0], pattern_ids[2]);
    backend
        .data
        .write_metrics(MetricsWrite {
            exemplars: vec![
                exemplar(T + 10 * SECOND, "inside"),
                exemplar(T + 10 * MINUTE_NS, "after"),
            ],
            ..MetricsWrite::of(SeriesBatch::new("t"))
        })
        .await
        .unwrap();
    let spans = vec![
        span("payments", "quick", T + 5 * SECOND, 10 * MS, SpanStatus::Ok),
        span(
            "payments",
            "POST /pay",
            T + 6 * SECOND,
            500 * MS,
            SpanStatus::Error,
        ),
        span(
            "payments",
            "middling",
            T + 7 * SECOND,
            50 * MS,
            SpanStatus::Unset,
        ),
        span(
            "checkout",
            "elsewhere",
            T + 5 * SECOND,
            9_000 * MS,
            SpanStatus::Error,
        ),
        span(
            "payments",
            "later",
            T + 5 * MINUTE_NS,
            9_000 * MS,
            SpanStatus::Error,
        ),
    ];
    backend
        .data
        .write_spans(SpansWrite {
            tenant: "t".into(),
            spans,
            idempotency: None,
        })
        .await
        .unwrap();

    let drill = drill_down(&backend, &tagger, "t", "a1", 10_000)
        .await
        .unwrap();
    assert_eq!(drill.anomaly, anomaly);
    // Half an hour either side of the two-minute window (the end exclusive), this series only,
    // oldest first.
    let minutes: Vec<i64> = drill
        .points
        .iter()
        .map(|p| (p.ts_ns - T) / MINUTE_NS)
        .collect();
    assert_eq!(minutes, (-30..32).collect::<Vec<_>>());
    assert!(drill.points.iter().all(|p| p.labels.is_empty()));
    let changes: Vec<(u64, u64, u64)> = drill
        .log_patterns
        .iter()
        .map(|c| (c.pattern_id, c.count_before, c.count_during))
        .collect();
    assert_eq!(
        changes,
        vec![(timeout, 0, 3), (cache, 2, 1)],
        "this service's lines only, most changed first"
    );
    assert_eq!(
        drill.log_patterns[0].template,
        tagger.pattern("t", timeout).unwrap().template
    );
    let traces: Vec<Option<&str>> = drill
        .exemplars
        .iter()
        .map(|e| e.trace_id.as_deref())
        .collect();
    assert_eq!(traces, vec![Some("inside")]);
    assert_eq!((drill.spans.count, drill.spans.errors), (3, 1));
    let slowest: Vec<&str> = drill
        .spans
        .slowest
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(slowest, vec!["POST /pay", "middling", "quick"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_anomaly_is_not_found() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    stored_anomaly(&backend, "a1", T).await;
    for (tenant, id) in [("t", "a2"), ("other", "a1")] {
        let missing = drill_down(&backend, &tagger, tenant, id, 100).await;
        assert!(
            matches!(&missing, Err(JobError::AnomalyNotFound(missing)) if missing == id),
            "{missing:?}"
        );
    }
}

#[test]
fn the_context_is_three_window_lengths_and_at_least_half_an_hour() {
    let mut anomaly = Anomaly {
        id: "a".into(),
        tenant: "t".into(),
        service: "s".into(),
        metric: "m".into(),
        labels: Labels::new(),
        window_start_ns: T,
        window_end_ns: T,
        score: 1.0,
        threshold: 0.5,
        value: 0.0,
        expected_low: 0.0,
        expected_high: 0.0,
        detector: "d".into(),
        model_version: "v".into(),
        ts_ns: T,
        feedback: None,
    };
    assert_eq!(
        context_range(&anomaly),
        (T - 30 * MINUTE_NS, T + 30 * MINUTE_NS)
    );
    assert_eq!(
        judged_window(&anomaly),
        (T, T + MINUTE_NS),
        "a point is judged in a minute"
    );
    anomaly.window_end_ns = T + 20 * MINUTE_NS;
    assert_eq!(
        context_range(&anomaly),
        (T - 60 * MINUTE_NS, T + 80 * MINUTE_NS)
    );
    assert_eq!(judged_window(&anomaly), (T, T + 20 * MINUTE_NS));
}

#[test]
fn pattern_changes_rank_by_size_either_way_then_id() {
    let before = BTreeMap::from([
        (1, totals(10)),
        (2, totals(4)),
        (3, totals(1)),
        (9, totals(7)),
    ]);
    let during = BTreeMap::from([
        (1, totals(2)),
        (2, totals(8)),
        (4, totals(8)),
        (5, totals(3)),
        (6, totals(4)),
        (7, totals(100)),
    ]);
    // Pattern 7 is no longer known (say, its tenant's patterns were reset): left out.
    let ranked = rank_pattern_changes(&before, &during, |id| (id != 7).then(|| format!("p{id}")));
    let order: Vec<(u64, u64)> = ranked.iter().map(|c| (c.pattern_id, c.change())).collect();
    assert_eq!(order, vec![(1, 8), (4, 8), (9, 7), (2, 4), (6, 4)]);
    assert_eq!(ranked[0].template, "p1");
    assert_eq!((ranked[2].count_before, ranked[2].count_during), (7, 0));
}

#[test]
fn a_span_summary_counts_all_and_keeps_the_five_slowest() {
    let spans: Vec<Span> = (1..=7)
        .map(|i| {
            let status = if i % 3 == 0 {
                SpanStatus::Error
            } else {
                SpanStatus::Ok
            };
            span("s", &format!("op{i}"), T + i, i * MS, status)
        })
        .collect();
    let summary = SpanSummary::of(spans);
    assert_eq!((summary.count, summary.errors), (7, 2));
    let slowest: Vec<&str> = summary.slowest.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(slowest, vec!["op7", "op6", "op5", "op4", "op3"]);
}
