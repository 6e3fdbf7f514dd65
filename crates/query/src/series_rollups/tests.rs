//! Tests of `series_rollups`: long ranges answered from rollups equal the raw answer (count,
//! sum, min, max, avg exactly; quantiles within the stated error), and still answer once raw
//! samples expired.

use std::sync::Arc;

use telemetryhub_model::rollup::RELATIVE_ACCURACY;
use telemetryhub_model::{MetricPoint, MetricQuery, MetricsWrite, SeriesBatch};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};

use super::*;
use crate::QueryEngine;

const MINUTE: i64 = 60_000_000_000;
const DAY: i64 = 24 * HOUR_NS;

fn point(host: &str, ts_ns: i64, value: f64) -> MetricPoint {
    MetricPoint {
        tenant: "t".into(),
        service: "api".into(),
        metric: "latency".into(),
        labels: [("host".to_string(), host.to_string())].into(),
        ts_ns,
        value,
    }
}

/// Ten days of two series every 10 minutes (integer values, so sums are exact in any
/// order), written in three flushes and the buffer.
async fn ten_days(storage: &EmbeddedStorage, start: i64) -> Vec<MetricPoint> {
    let points: Vec<MetricPoint> = (0..10 * 24 * 6)
        .flat_map(|i: i64| {
            let ts = start + i * 10 * MINUTE + 7 * MINUTE;
            [
                point("a", ts, ((i * 37) % 1000) as f64 + 1.0),
                point("b", ts, ((i * 11) % 50) as f64 * 100.0 + 5.0),
            ]
        })
        .collect();
    for (n, chunk) in points.chunks(points.len() / 4 + 1).enumerate() {
        storage
            .write_metrics(MetricsWrite::of(SeriesBatch::from_points("t", chunk)))
            .await
            .unwrap();
        if n < 3 {
            storage.flush().await.unwrap();
        }
    }
    points
}

fn query(since_ns: i64, until_ns: i64, step_ns: i64, aggregation: Aggregation) -> SeriesQuery {
    SeriesQuery {
        select: MetricQuery {
            tenant: "t".into(),
            service: Some("api".into()),
            metric: Some("latency".into()),
            since_ns,
            until_ns,
            labels: Vec::new(),
            limit: 10_000,
        },
        step_ns,
        aggregation,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_ranges_from_rollups_equal_the_raw_answer() {
    let dir = tempfile::tempdir().unwrap();
    let config = EmbeddedConfig {
        retention_ns: i64::MAX,
        rollup_retention_ns: i64::MAX,
        ..EmbeddedConfig::new(dir.path())
    };
    let storage = Arc::new(EmbeddedStorage::open(config).unwrap());
    let start = 1_758_326_400_000_000_000; // a midnight, UTC
    let points = ten_days(&storage, start).await;
    let engine = QueryEngine::new(storage.clone());
    let ctx = SessionContext::new();
    // Edges inside hours: their partial hours come from raw samples.
    let (since, until) = (
        start + 25 * MINUTE,
        start + 9 * DAY + 13 * HOUR_NS + 45 * MINUTE,
    );
    for step in [HOUR_NS, 6 * HOUR_NS, DAY] {
        for aggregation in [
            Aggregation::Count,
            Aggregation::Sum,
            Aggregation::Min,
            Aggregation::Max,
            Aggregation::Avg,
        ] {
            let q = query(since, until, step, aggregation);
            assert!(uses_rollups(storage.as_ref(), &q));
            let from_rollups = engine.series(&q).await.unwrap();
            let raw = crate::plans::series(&ctx, storage.as_ref(), &q)
                .await
                .unwrap();
            assert_eq!(from_rollups.len(), 2);
            assert_eq!(from_rollups, raw, "{aggregation} by {step}");
        }
        for aggregation in [Aggregation::P50, Aggregation::P95, Aggregation::P99] {
            let q = query(since, until, step, aggregation);
            let from_rollups = engine.series(&q).await.unwrap();
            let q_value = aggregation.percentile().unwrap();
            for series in &from_rollups {
                let host = &series.labels["host"];
                for (bucket, estimate, n) in &series.buckets {
                    let mut values: Vec<f64> = points
                        .iter()
                        .filter(|p| &p.labels["host"] == host)
                        .filter(|p| (since..until).contains(&p.ts_ns))
                        .filter(|p| (p.ts_ns / step) * step == *bucket)
                        .map(|p| p.value)
                        .collect();
                    values.sort_by(f64::total_cmp);
                    assert_eq!(*n, values.len() as u64);
                    let exact = values[(q_value * (values.len() as f64 - 1.0)) as usize];
                    assert!(
                        (estimate - exact).abs() <= RELATIVE_ACCURACY * exact.abs() * (1.0 + 1e-12),
                        "{aggregation} of {host} at {bucket}: {estimate} for {exact}"
                    );
                }
            }
        }
    }
    // A limit keeps the newest buckets, as the raw plan's does.
    let mut q = query(since, until, 6 * HOUR_NS, Aggregation::Max);
    q.select.limit = 5;
    let raw = crate::plans::series(&ctx, storage.as_ref(), &q)
        .await
        .unwrap();
    assert_eq!(engine.series(&q).await.unwrap(), raw);
    // Short ranges and buckets that are not whole hours read raw samples.
    assert!(!uses_rollups(
        storage.as_ref(),
        &query(since, since + DAY, HOUR_NS, Aggregation::Sum)
    ));
    assert!(!uses_rollups(
        storage.as_ref(),
        &query(since, until, 90 * MINUTE, Aggregation::Sum)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollups_answer_after_raw_samples_expired() {
    let dir = tempfile::tempdir().unwrap();
    let config = EmbeddedConfig {
        retention_ns: 3 * DAY,
        ..EmbeddedConfig::new(dir.path())
    };
    let storage = Arc::new(EmbeddedStorage::open(config).unwrap());
    let now = telemetryhub_model::now_ns();
    let start = (now - 30 * DAY) / DAY * DAY;
    let points = ten_days(&storage, start).await;
    storage.flush().await.unwrap();
    storage.run_maintenance().await;
    let engine = QueryEngine::new(storage.clone());
    let q = query(start, start + 10 * DAY, DAY, Aggregation::Count);
    let raw = crate::plans::series(&SessionContext::new(), storage.as_ref(), &q)
        .await
        .unwrap();
    assert!(raw.is_empty(), "the raw samples expired");
    let from_rollups = engine.series(&q).await.unwrap();
    let total: u64 = from_rollups
        .iter()
        .flat_map(|s| s.buckets.iter().map(|b| b.2))
        .sum();
    assert_eq!(total, points.len() as u64);
}
