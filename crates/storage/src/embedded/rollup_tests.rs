//! Tests of the hourly rollups in the engine: merged across flushes and with the buffer,
//! durable and counted once through crashes and replay, their own retention, compaction, and
//! data directories written without them.

use super::*;
use telemetryhub_model::rollup::{HOUR_NS, HourlyRollup, RELATIVE_ACCURACY};
use telemetryhub_model::{MetricPoint, SeriesBatch};

use datafusion::arrow::array::{BinaryArray, Float64Array, TimestampNanosecondArray, UInt64Array};

use crate::schema::column;
use crate::state_conformance::BASE_NS;
use crate::{TenantScope, scan::Scan};

const SECOND: i64 = 1_000_000_000;

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

async fn write(storage: &EmbeddedStorage, points: &[MetricPoint]) {
    storage
        .write_metrics(MetricsWrite::of(SeriesBatch::from_points("t", points)))
        .await
        .unwrap();
}

/// One hour of one series as a scan of `metrics_hourly` answers it.
#[derive(Debug, PartialEq)]
struct Hour {
    labels: String,
    hour: i64,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    quantiles: [f64; 3],
    /// The stored sketch's own figures, read back.
    sketch_count: u64,
}

async fn hours(storage: &EmbeddedStorage, tenant: &str) -> Vec<Hour> {
    let scan = Scan::new(
        Table::MetricsHourly,
        TenantScope::One(tenant.into()),
        i64::MIN,
        i64::MAX,
    );
    let ctx = SessionContext::new();
    let Some(frame) = storage.scan(&ctx, &scan).await.unwrap() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for batch in frame.collect().await.unwrap() {
        let labels = crate::schema::str_column(&batch, "labels").unwrap();
        let hour = column::<TimestampNanosecondArray>(&batch, "hour").unwrap();
        let count = column::<UInt64Array>(&batch, "count").unwrap();
        let f = |name| column::<Float64Array>(&batch, name).unwrap();
        let sketch = column::<BinaryArray>(&batch, "sketch").unwrap();
        for row in 0..batch.num_rows() {
            out.push(Hour {
                labels: labels.value(row).to_string(),
                hour: hour.value(row),
                count: count.value(row),
                sum: f("sum").value(row),
                min: f("min").value(row),
                max: f("max").value(row),
                quantiles: [
                    f("p50").value(row),
                    f("p95").value(row),
                    f("p99").value(row),
                ],
                sketch_count: HourlyRollup::from_bytes(sketch.value(row)).unwrap().count(),
            });
        }
    }
    out.sort_by(|a, b| (&a.labels, a.hour).cmp(&(&b.labels, b.hour)));
    out
}

/// Checks `hour` against the samples it rolls up: figures exact, quantiles within the
/// sketch's guarantee of the value of rank `floor(q * (n - 1))`.
fn check(hour: &Hour, values: &[f64]) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(hour.count, sorted.len() as u64);
    assert_eq!(hour.sketch_count, hour.count);
    assert_eq!(hour.sum, sorted.iter().sum::<f64>());
    assert_eq!((hour.min, hour.max), (sorted[0], sorted[sorted.len() - 1]));
    for (q, estimate) in [0.5, 0.95, 0.99].into_iter().zip(hour.quantiles) {
        let exact = sorted[(q * (sorted.len() as f64 - 1.0)) as usize];
        assert!(
            (estimate - exact).abs() <= RELATIVE_ACCURACY * exact.abs() * (1.0 + 1e-12),
            "q {q}: {estimate} for {exact}"
        );
    }
}

/// Values of one hour: integers, so sums add up exactly in any order.
fn values(n: i64, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|i| ((i * 37) % 101) as f64 * scale + 1.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollups_merge_an_hour_across_flushes_and_the_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap();
    let a = values(300, 3.0);
    let b = values(50, 7.0);
    // Series a's first hour arrives over three flushes and the buffer; its second hour and
    // series b in one write each.
    for (chunk, part) in a.chunks(100).enumerate() {
        let points: Vec<MetricPoint> = part
            .iter()
            .enumerate()
            .map(|(i, v)| point("a", BASE_NS + (chunk as i64 * 100 + i as i64) * SECOND, *v))
            .collect();
        write(&storage, &points).await;
        if chunk < 2 {
            storage.flush().await.unwrap();
        }
    }
    let second: Vec<MetricPoint> = b
        .iter()
        .enumerate()
        .map(|(i, v)| point("a", BASE_NS + HOUR_NS + i as i64 * SECOND, *v))
        .collect();
    let other: Vec<MetricPoint> = b
        .iter()
        .enumerate()
        .map(|(i, v)| point("b", BASE_NS + i as i64 * SECOND, *v))
        .collect();
    write(&storage, &second).await;
    write(&storage, &other).await;
    // A resent sample of one timestamp counts once, the last written, as in a flushed part.
    write(&storage, &[point("b", BASE_NS, b[0])]).await;
    // Non-finite values are left out, as the native queries leave them out.
    write(&storage, &[point("b", BASE_NS + 3_599 * SECOND, f64::NAN)]).await;

    for round in 0..2 {
        let found = hours(&storage, "t").await;
        assert_eq!(found.len(), 3, "round {round}: {found:?}");
        assert_eq!(found[0].hour, BASE_NS);
        check(&found[0], &a);
        assert_eq!(found[1].hour, BASE_NS + HOUR_NS);
        check(&found[1], &b);
        check(&found[2], &b);
        // Everything flushed: the same answer from parts alone.
        storage.flush().await.unwrap();
    }
    assert!(hours(&storage, "other").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollups_count_each_sample_once_through_crashes_and_replay() {
    let dir = tempfile::tempdir().unwrap();
    let a = values(200, 1.0);
    let at = |i: usize| point("a", BASE_NS + i as i64 * SECOND, a[i]);
    {
        let storage = EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap();
        write(&storage, &(0..100).map(at).collect::<Vec<_>>()).await;
        storage.flush().await.unwrap();
        write(&storage, &(100..200).map(at).collect::<Vec<_>>()).await;
        // Dropped without shutdown: the second write is only in the WAL, as after kill -9.
    }
    for _ in 0..2 {
        let storage = EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap();
        let found = hours(&storage, "t").await;
        assert_eq!(found.len(), 1);
        check(&found[0], &a);
        // The replayed rows are rolled up by this flush, once; the next open replays nothing.
        storage.flush().await.unwrap();
    }
    let storage = EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap();
    assert_eq!(storage.stats().rows_buffered, 0);
    check(&hours(&storage, "t").await[0], &a);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollups_outlive_raw_retention_and_expire_by_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let day = 86_400 * SECOND;
    let settings = EmbeddedConfig {
        retention_ns: 2 * day,
        rollup_retention_ns: 10 * day,
        ..EmbeddedConfig::new(dir.path())
    };
    let storage = EmbeddedStorage::open(settings).unwrap();
    let now = now_ns();
    let hour = |ts| telemetryhub_model::rollup::hour_start_ns(ts);
    let old = now - 5 * day;
    let ancient = now - 20 * day;
    write(
        &storage,
        &[
            point("a", old, 1.0),
            point("a", ancient, 2.0),
            point("a", now, 3.0),
        ],
    )
    .await;
    storage.flush().await.unwrap();
    storage.run_maintenance().await;
    let found = hours(&storage, "t").await;
    let kept: Vec<i64> = found.iter().map(|h| h.hour).collect();
    assert_eq!(
        kept,
        vec![hour(old), hour(now)],
        "the 20-day-old rollup expired"
    );
    let raw = Scan::new(
        Table::Metrics,
        TenantScope::One("t".into()),
        i64::MIN,
        i64::MAX,
    );
    let ctx = SessionContext::new();
    let rows: usize = match storage.scan(&ctx, &raw).await.unwrap() {
        Some(frame) => frame.count().await.unwrap(),
        None => 0,
    };
    assert_eq!(rows, 1, "only today's raw sample is kept");
    assert_eq!(found[0].count, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_merges_rollup_rows_of_an_hour() {
    let dir = tempfile::tempdir().unwrap();
    let settings = EmbeddedConfig {
        retention_ns: i64::MAX,
        rollup_retention_ns: i64::MAX,
        compaction_min_parts: 2,
        ..EmbeddedConfig::new(dir.path())
    };
    let storage = EmbeddedStorage::open(settings).unwrap();
    let a = values(120, 2.0);
    for (chunk, part) in a.chunks(30).enumerate() {
        let points: Vec<MetricPoint> = part
            .iter()
            .enumerate()
            .map(|(i, v)| point("a", BASE_NS + (chunk as i64 * 30 + i as i64) * SECOND, *v))
            .collect();
        write(&storage, &points).await;
        storage.flush().await.unwrap();
    }
    let hourly_parts = |storage: &EmbeddedStorage| {
        storage
            .inner
            .catalog
            .parts()
            .iter()
            .filter(|p| p.table() == Some(Table::MetricsHourly))
            .map(|p| p.rows)
            .collect::<Vec<_>>()
    };
    assert_eq!(hourly_parts(&storage), vec![1, 1, 1, 1]);
    let before = hours(&storage, "t").await;
    check(&before[0], &a);
    storage.run_maintenance().await;
    assert_eq!(
        hourly_parts(&storage),
        vec![1],
        "one row for the hour on disk"
    );
    assert_eq!(hours(&storage, "t").await, before);
    // The merged metrics part is still marked as rolled up.
    assert_eq!(storage.rollups_complete_since(), Some(i64::MIN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_written_without_rollups_opens_and_bounds_what_rollups_answer() {
    let dir = tempfile::tempdir().unwrap();
    let without = EmbeddedConfig {
        rollups: false,
        ..EmbeddedConfig::new(dir.path())
    };
    {
        let storage = EmbeddedStorage::open(without).unwrap();
        write(&storage, &[point("a", BASE_NS, 1.0)]).await;
        assert!(hours(&storage, "t").await.is_empty(), "rollups are off");
        storage.shutdown().await.unwrap();
    }
    let storage = EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap();
    // The old part's samples have no rollup; rollups are complete from the next day on.
    assert!(hours(&storage, "t").await.is_empty());
    let next_day = crate::schema::day_start(crate::schema::day_of(BASE_NS) + 1);
    assert_eq!(storage.rollups_complete_since(), Some(next_day));
    write(&storage, &[point("a", BASE_NS + 2 * day_ns(), 5.0)]).await;
    storage.flush().await.unwrap();
    assert_eq!(hours(&storage, "t").await.len(), 1);
    assert_eq!(storage.rollups_complete_since(), Some(next_day));
}

fn day_ns() -> i64 {
    86_400 * SECOND
}
