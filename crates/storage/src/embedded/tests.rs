use super::*;
use telemetryhub_model::{LogRecord, MetricPoint, SeriesBatch};

use datafusion::arrow::array::{Float64Array, UInt64Array};

use crate::schema::{metrics_batch, metrics_from_batches};
use crate::state_conformance::{self, BASE_NS};
use crate::{TenantScope, scan::Scan};

fn config(dir: &std::path::Path) -> EmbeddedConfig {
    EmbeddedConfig::new(dir)
}

/// Settings for tests of compaction: two parts of a day are merged, and no retention drops
/// the fixed old timestamps the tests write.
fn compacting_config(dir: &std::path::Path) -> EmbeddedConfig {
    EmbeddedConfig {
        retention_ns: i64::MAX,
        compaction_min_parts: 2,
        ..config(dir)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passes_the_state_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    state_conformance::run_all(&storage).await;
    storage.shutdown().await.unwrap();
}

fn points(tenant: &str, range: std::ops::Range<i64>) -> Vec<MetricPoint> {
    range
        .map(|i| MetricPoint {
            tenant: tenant.into(),
            service: "api".into(),
            metric: "m".into(),
            labels: Default::default(),
            ts_ns: BASE_NS + i * 1_000_000_000,
            value: i as f64,
        })
        .collect()
}

/// Every point of `tenant`, newest first, as a scan returns them. (The query layer's data
/// conformance suite checks queries; these tests check what the engine keeps.)
async fn points_of(storage: &EmbeddedStorage, tenant: &str) -> Vec<MetricPoint> {
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One(tenant.into()),
        i64::MIN,
        i64::MAX,
    );
    let ctx = SessionContext::new();
    let Some(frame) = storage.scan(&ctx, &scan).await.unwrap() else {
        return Vec::new();
    };
    let mut points = metrics_from_batches(&frame.collect().await.unwrap()).unwrap();
    points.sort_by_key(|p| std::cmp::Reverse(p.ts_ns));
    points
}

/// A request of `points` (all of `tenant`) under `key`.
fn metrics_write(
    tenant: &str,
    points: Vec<MetricPoint>,
    key: Option<IdempotencyKey>,
) -> MetricsWrite {
    MetricsWrite {
        idempotency: key,
        ..MetricsWrite::of(SeriesBatch::from_points(tenant, &points))
    }
}

/// The catalog's metrics parts (flushes also write `metrics_hourly` parts beside them).
fn metrics_parts(storage: &EmbeddedStorage) -> Vec<PartMeta> {
    storage
        .inner
        .catalog
        .parts()
        .into_iter()
        .filter(|p| p.table() == Some(Table::Metrics))
        .collect()
}

/// How many of the catalog's parts are `metrics_hourly` parts.
fn hourly_parts(storage: &EmbeddedStorage) -> u64 {
    let parts = storage.inner.catalog.parts();
    parts
        .iter()
        .filter(|p| p.table() == Some(Table::MetricsHourly))
        .count() as u64
}

async fn count(storage: &EmbeddedStorage, tenant: &str) -> usize {
    points_of(storage, tenant).await.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flushed_and_wal_only_data_survive_a_clean_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        storage
            .write_metrics(metrics_write("t", points("t", 0..100), None))
            .await
            .unwrap();
        storage.flush().await.unwrap();
        storage
            .write_metrics(metrics_write("t", points("t", 100..150), None))
            .await
            .unwrap();
        assert_eq!(storage.stats().rows_buffered, 50);
        storage.shutdown().await.unwrap();
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 150);
    assert_eq!(
        storage.stats().rows_buffered,
        0,
        "shutdown flushed everything"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unflushed_writes_are_replayed_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        storage
            .write_metrics(metrics_write("t", points("t", 0..10), None))
            .await
            .unwrap();
        storage.flush().await.unwrap();
        storage
            .write_metrics(metrics_write("t", points("t", 10..30), None))
            .await
            .unwrap();
        let key = Some(IdempotencyKey {
            key: "k".into(),
            fingerprint: 1,
        });
        storage
            .write_metrics(metrics_write("t", points("t", 30..31), key))
            .await
            .unwrap();
        // Dropped without shutdown: nothing is flushed, as after kill -9.
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 31);
    assert_eq!(storage.stats().rows_buffered, 21);
    // The idempotency key came back with the replayed record.
    let key = Some(IdempotencyKey {
        key: "k".into(),
        fingerprint: 1,
    });
    let again = storage
        .write_metrics(metrics_write("t", points("t", 30..31), key))
        .await
        .unwrap();
    assert!(again.replayed);
    // A second crash-restart must not duplicate the replayed rows.
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 31);
    storage.flush().await.unwrap();
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 31);
}

/// A series batch of `hosts` series with one sample each at second `at`.
fn series_batch(hosts: std::ops::Range<u32>, at: i64) -> SeriesBatch {
    let mut batch = SeriesBatch::new("t");
    for host in hosts {
        let series = batch.push_series(telemetryhub_model::SeriesKey {
            service: "api".into(),
            metric: "up".into(),
            labels_json: format!(r#"{{"host":"h{host}"}}"#),
        });
        batch.push_sample(series, BASE_NS + at * 1_000_000_000, f64::from(host));
    }
    batch
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_logged_by_id_survive_crashes_across_generations() {
    // Series batches are logged as ids defined once per buffer generation. Crash after a flush
    // (a new generation whose records use ids defined in that generation only), after a restart
    // (replayed series defined again under a newer generation), and with a frozen generation
    // whose flush never ran.
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        storage
            .write_metrics(MetricsWrite::of(series_batch(0..3, 0)))
            .await
            .unwrap();
        storage.flush().await.unwrap();
        // A batch of series without samples: its record defines them all the same, and the
        // next record uses those ids.
        let mut defining = series_batch(0..2, 1);
        defining.series_of.clear();
        defining.ts_ns.clear();
        defining.values.clear();
        storage
            .write_metrics(MetricsWrite::of(defining))
            .await
            .unwrap();
        storage
            .write_metrics(MetricsWrite::of(series_batch(0..5, 1)))
            .await
            .unwrap();
        storage
            .write_metrics(MetricsWrite::of(series_batch(2..6, 2)))
            .await
            .unwrap();
        // Dropped without shutdown: as after kill -9.
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 3 + 5 + 4);
    assert_eq!(storage.stats().rows_buffered, 9);
    storage
        .write_metrics(MetricsWrite::of(series_batch(0..8, 3)))
        .await
        .unwrap();
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 3 + 5 + 4 + 8);
    // Every sample came back with its own series.
    let points = points_of(&storage, "t").await;
    assert!(
        points
            .iter()
            .all(|p| p.labels["host"] == format!("h{}", p.value))
    );
    storage.flush().await.unwrap();
    storage
        .write_metrics(MetricsWrite::of(series_batch(6..9, 4)))
        .await
        .unwrap();
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 3 + 5 + 4 + 8 + 3);
    assert_eq!(storage.stats().rows_buffered, 3);
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_series_batches_are_refused_before_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        let mut dangling = series_batch(0..2, 0);
        dangling.series_of[1] = 7;
        assert!(matches!(
            storage.write_metrics(MetricsWrite::of(dangling)).await,
            Err(StorageError::InvalidArgument(_))
        ));
        let mut ragged = series_batch(0..2, 0);
        ragged.values.pop();
        assert!(matches!(
            storage.write_metrics(MetricsWrite::of(ragged)).await,
            Err(StorageError::InvalidArgument(_))
        ));
        storage
            .write_metrics(MetricsWrite::of(series_batch(0..2, 1)))
            .await
            .unwrap();
    }
    // Nothing of the refused batches reached the log: the store reopens with the good one.
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_series_writers_replay_every_sample() {
    // Writers racing to define the same new series: whichever record defines an id must reach
    // the log before every record using it, or replay could not place their samples.
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = Arc::new(EmbeddedStorage::open(config(dir.path())).unwrap());
        let mut writers = Vec::new();
        for writer in 0..8u32 {
            let storage = storage.clone();
            writers.push(tokio::spawn(async move {
                for round in 0..20u32 {
                    let first = (writer + round) % 13;
                    let at = i64::from(writer * 100 + round);
                    storage
                        .write_metrics(MetricsWrite::of(series_batch(first..first + 7, at)))
                        .await
                        .unwrap();
                }
            }));
        }
        for writer in writers {
            writer.await.unwrap();
        }
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let points = points_of(&storage, "t").await;
    assert_eq!(points.len(), 8 * 20 * 7);
    assert!(
        points
            .iter()
            .all(|p| p.labels["host"] == format!("h{}", p.value))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_merges_parts_without_changing_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = config(dir.path());
    // The test data is from 2025; keep retention from dropping it.
    settings.retention_ns = i64::MAX;
    let storage = EmbeddedStorage::open(settings).unwrap();
    for round in 0..5 {
        storage
            .write_metrics(metrics_write(
                "t",
                points("t", round * 10..round * 10 + 10),
                None,
            ))
            .await
            .unwrap();
        storage.flush().await.unwrap();
    }
    assert_eq!(metrics_parts(&storage).len(), 5);
    storage.run_maintenance().await;
    assert_eq!(metrics_parts(&storage).len(), 1);
    let values: Vec<f64> = points_of(&storage, "t")
        .await
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(values, (0..50).rev().map(f64::from).collect::<Vec<_>>());
}

/// NaN (with payloads and either sign), ±Inf and Prometheus' staleness marker keep their bits
/// through the WAL and its replay after a crash, the buffer, a flush to parts and compaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_finite_values_keep_their_bits_through_replay_flush_and_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let settings = compacting_config(dir.path());
    let special = [
        telemetryhub_model::STALE_NAN_BITS,
        f64::NAN.to_bits(),
        0x7ff8_dead_beef_0001,
        0xfff0_0000_0000_0003,
        f64::INFINITY.to_bits(),
        f64::NEG_INFINITY.to_bits(),
        1.5f64.to_bits(),
    ];
    let written = |from: i64| -> Vec<MetricPoint> {
        let mut points = points("t", from..from + special.len() as i64);
        for (point, bits) in points.iter_mut().zip(special) {
            point.value = f64::from_bits(bits);
        }
        points
    };
    let bits = |points: Vec<MetricPoint>| -> Vec<u64> {
        // Oldest first, as written.
        points.iter().rev().map(|p| p.value.to_bits()).collect()
    };
    let twice: Vec<u64> = special.iter().chain(&special).copied().collect();
    {
        let storage = EmbeddedStorage::open(settings.clone()).unwrap();
        storage
            .write_metrics(metrics_write("t", written(0), None))
            .await
            .unwrap();
        assert_eq!(bits(points_of(&storage, "t").await), special, "buffer");
        // Dropped without shutdown: the rows come back from the WAL.
    }
    let storage = EmbeddedStorage::open(settings.clone()).unwrap();
    assert_eq!(storage.stats().rows_buffered, 7);
    assert_eq!(bits(points_of(&storage, "t").await), special, "replay");
    storage.flush().await.unwrap();
    assert_eq!(bits(points_of(&storage, "t").await), special, "flushed");
    storage
        .write_metrics(metrics_write("t", written(100), None))
        .await
        .unwrap();
    storage.flush().await.unwrap();
    assert_eq!(metrics_parts(&storage).len(), 2);
    storage.run_maintenance().await;
    assert_eq!(metrics_parts(&storage).len(), 1);
    assert_eq!(bits(points_of(&storage, "t").await), twice, "compacted");
    storage.shutdown().await.unwrap();
}

/// Of samples of one series and timestamp, the last written survives a flush (within it) and
/// compaction (across parts, whatever the parts' names), and a scan's write order ranks later
/// writes higher.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_and_compaction_keep_the_last_write_of_a_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let settings = compacting_config(dir.path());
    let storage = EmbeddedStorage::open(settings).unwrap();
    let write = async |value: f64| {
        let mut point = points("t", 0..1);
        point[0].value = value;
        storage
            .write_metrics(metrics_write("t", point, None))
            .await
            .unwrap();
    };
    let values = async || -> Vec<f64> {
        let mut values: Vec<f64> = points_of(&storage, "t")
            .await
            .iter()
            .map(|p| p.value)
            .collect();
        values.sort_by(f64::total_cmp);
        values
    };
    write(1.0).await;
    write(2.0).await;
    assert_eq!(values().await, vec![1.0, 2.0], "the buffer keeps both");
    storage.flush().await.unwrap();
    assert_eq!(values().await, vec![2.0], "a flush keeps the later");
    write(3.0).await;
    storage.flush().await.unwrap();
    storage.run_maintenance().await;
    assert_eq!(
        values().await,
        vec![3.0],
        "compaction keeps the newer part's"
    );
    // A flushed part's name sorts before a compacted one's; its rows are newer all the same.
    write(4.0).await;
    storage.flush().await.unwrap();
    let mut parts = metrics_parts(&storage);
    parts.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(parts.len(), 2);
    assert!(parts[0].path.contains("metrics-0") && parts[1].path.contains("compacted"));
    assert!(parts[0].seq > parts[1].seq, "{parts:?}");
    write(5.0).await;
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One("t".into()),
        i64::MIN,
        i64::MAX,
    )
    .columns(&["value"])
    .with_write_order();
    let ctx = SessionContext::new();
    let batches = storage
        .scan(&ctx, &scan)
        .await
        .unwrap()
        .unwrap()
        .collect()
        .await
        .unwrap();
    let mut ranked: Vec<(u64, f64)> = Vec::new();
    for batch in &batches {
        let values = crate::schema::column::<Float64Array>(batch, "value").unwrap();
        let orders = crate::schema::column::<UInt64Array>(batch, crate::WRITE_ORDER).unwrap();
        ranked.extend(
            orders
                .values()
                .iter()
                .copied()
                .zip(values.values().iter().copied()),
        );
    }
    ranked.sort_by_key(|(order, _)| *order);
    let by_order: Vec<f64> = ranked.iter().map(|(_, value)| *value).collect();
    assert_eq!(
        by_order,
        vec![3.0, 4.0, 5.0],
        "write order follows the writes"
    );
    storage.flush().await.unwrap();
    storage.run_maintenance().await;
    assert_eq!(values().await, vec![5.0]);
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_drops_whole_old_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = config(dir.path());
    settings.retention_ns = 2 * 86_400 * 1_000_000_000;
    let storage = EmbeddedStorage::open(settings).unwrap();
    let now = now_ns();
    let old = MetricPoint {
        ts_ns: now - 5 * 86_400 * 1_000_000_000,
        ..points("t", 0..1)[0].clone()
    };
    let recent = MetricPoint {
        ts_ns: now - 1_000_000_000,
        ..points("t", 0..1)[0].clone()
    };
    storage
        .write_metrics(metrics_write("t", vec![old, recent], None))
        .await
        .unwrap();
    storage.flush().await.unwrap();
    assert_eq!(metrics_parts(&storage).len(), 2);
    storage.run_maintenance().await;
    assert_eq!(metrics_parts(&storage).len(), 1);
    assert_eq!(count(&storage, "t").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_writes_when_the_buffer_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = config(dir.path());
    settings.max_buffer_bytes = 1;
    let storage = EmbeddedStorage::open(settings).unwrap();
    storage
        .write_metrics(metrics_write("t", points("t", 0..1), None))
        .await
        .unwrap();
    let refused = storage
        .write_metrics(metrics_write("t", points("t", 1..2), None))
        .await;
    assert!(
        matches!(refused, Err(StorageError::Backpressure { .. })),
        "{refused:?}"
    );
    storage.flush().await.unwrap();
    storage
        .write_metrics(metrics_write("t", points("t", 1..2), None))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orphan_parts_are_ignored_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        storage
            .write_metrics(metrics_write("t", points("t", 0..10), None))
            .await
            .unwrap();
        storage.shutdown().await.unwrap();
    }
    let part = std::fs::read_dir(dir.path().join("parts/metrics"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = std::fs::read_dir(&part)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let orphan = part.join("metrics-orphan.parquet");
    std::fs::copy(&file, &orphan).unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert!(!orphan.exists());
    assert_eq!(count(&storage, "t").await, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patterns_written_with_lines_survive_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let template = telemetryhub_model::PatternTemplate {
        tenant: "t".into(),
        id: 4,
        template: "disk <*> full".into(),
        merged_into: None,
        samples: vec!["disk sda full".into()],
        first_seen_ns: BASE_NS,
        lines: 1,
        last_seen_ns: BASE_NS,
        version: 3,
    };
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        let mut line = conformance_line();
        line.pattern_id = Some(4);
        storage
            .write_logs(LogsWrite {
                records: vec![line],
                patterns: vec![template.clone()],
                ..LogsWrite::new("t")
            })
            .await
            .unwrap();
        // Dropped without shutdown or flush, as after kill -9.
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(storage.load_patterns().await.unwrap(), vec![template]);
}

fn conformance_line() -> LogRecord {
    LogRecord {
        tenant: "t".into(),
        service: "api".into(),
        level: telemetryhub_model::Level::Error,
        message: "disk sda full".into(),
        ts_ns: BASE_NS,
        context: None,
        trace_id: None,
        span_id: None,
        pattern_id: None,
        stream_labels: None,
    }
}

/// Metrics parts written before values were encoded (format 1, a plain `value` column) stay
/// readable beside encoded ones, and compaction rewrites them encoded, values unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_and_encoded_metrics_parts_read_and_compact_together() {
    let dir = tempfile::tempdir().unwrap();
    let settings = compacting_config(dir.path());
    let storage = EmbeddedStorage::open(settings).unwrap();
    let mut encoded = points("t", 0..10);
    // A value that stays raw (17 significant digits) beside decimal ones.
    encoded[3].value = 0.1 + 0.2;
    storage
        .write_metrics(metrics_write("t", encoded.clone(), None))
        .await
        .unwrap();
    storage.flush().await.unwrap();
    let mut plain = points("t", 10..20);
    plain[0].value = 12.345;
    let batch = crate::parts::sort_batch(Table::Metrics, &metrics_batch(&plain).unwrap()).unwrap();
    let day = crate::schema::day_of(BASE_NS);
    let old_part =
        crate::parts::write_file(dir.path(), Table::Metrics, day, "plain", &batch, 1).unwrap();
    assert_eq!(
        (old_part.rows, old_part.min_ts, old_part.max_ts),
        (10, plain[0].ts_ns, plain[9].ts_ns)
    );
    storage
        .inner
        .catalog
        .commit_parts(&[old_part], &[], None)
        .unwrap();
    let formats: Vec<u32> = metrics_parts(&storage).iter().map(|p| p.format).collect();
    assert_eq!(formats, vec![2, 1]);

    let expected: Vec<f64> = encoded
        .iter()
        .chain(&plain)
        .rev()
        .map(|p| p.value)
        .collect();
    let values = |points: Vec<MetricPoint>| -> Vec<u64> {
        points.iter().map(|p| p.value.to_bits()).collect()
    };
    let bits: Vec<u64> = expected.iter().map(|v| v.to_bits()).collect();
    assert_eq!(values(points_of(&storage, "t").await), bits);
    storage.run_maintenance().await;
    let parts = storage.inner.catalog.parts();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].format, 2);
    assert_eq!(values(points_of(&storage, "t").await), bits);
    storage.shutdown().await.unwrap();
}

/// Issue 13: a flush that commits and deletes the WAL segment of a write between the write's
/// buffer insert and its answer, followed by a crash, must not forget the write's idempotency
/// key (the data is in a part by then; a retry would store it twice). `write` starts the write
/// (under the key `racing`, fingerprint 7), `retry` resends it and `stored` counts what is stored.
async fn idempotency_key_outlives_a_flush_racing(
    write: impl FnOnce(Arc<Inner>) -> tokio::task::JoinHandle<Result<WriteOutcome>>,
    retry: impl AsyncFnOnce(&EmbeddedStorage) -> WriteOutcome,
    stored: impl AsyncFn(&EmbeddedStorage) -> usize,
) {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        let pause = WritePause::default();
        *storage.inner.write_pause.lock().unwrap() = Some(pause.clone());
        let writer = write(storage.inner.clone());
        pause.reached.notified().await;
        // The write left the gate; this flush seals, commits and deletes its WAL segment.
        storage.flush().await.unwrap();
        let stats = storage.stats();
        assert_eq!(stats.rows_buffered, 0, "the rows are in a part");
        assert_eq!(stats.parts - hourly_parts(&storage), 1);
        // Crash before the write answers.
        writer.abort();
        let _ = writer.await;
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let before = stored(&storage).await;
    assert_eq!(before, 5);
    let again = retry(&storage).await;
    assert!(again.replayed, "the retry is recognised");
    assert_eq!(stored(&storage).await, before, "nothing stored twice");
}

fn racing_key() -> Option<IdempotencyKey> {
    Some(IdempotencyKey {
        key: "racing".into(),
        fingerprint: 7,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_outlives_a_flush_racing_the_write() {
    idempotency_key_outlives_a_flush_racing(
        |inner| {
            let write = metrics_write("t", points("t", 0..5), racing_key());
            tokio::spawn(async move { inner.write_metrics(write).await })
        },
        async |storage| {
            storage
                .write_metrics(metrics_write("t", points("t", 0..5), racing_key()))
                .await
                .unwrap()
        },
        async |storage| count(storage, "t").await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_of_logs_outlives_a_flush_racing_the_write() {
    let lines = || LogsWrite {
        records: vec![conformance_line(); 5],
        idempotency: racing_key(),
        ..LogsWrite::new("t")
    };
    idempotency_key_outlives_a_flush_racing(
        move |inner| tokio::spawn(async move { inner.write_logs(lines()).await }),
        async move |storage| storage.write_logs(lines()).await.unwrap(),
        async |storage| {
            let scan = Scan::new(
                Table::Logs,
                TenantScope::One("t".into()),
                i64::MIN,
                i64::MAX,
            );
            let ctx = SessionContext::new();
            match storage.scan(&ctx, &scan).await.unwrap() {
                Some(frame) => frame.count().await.unwrap(),
                None => 0,
            }
        },
    )
    .await;
}

/// Issue 13: a metrics request with exemplars and metadata is one WAL record (one fsync), and a
/// crash replays all of it: samples, exemplars, metadata and the idempotency key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_request_is_one_record_and_replays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let exemplar = telemetryhub_model::Exemplar {
        tenant: "t".into(),
        service: "api".into(),
        metric: "m".into(),
        labels: Default::default(),
        exemplar_labels: Default::default(),
        ts_ns: BASE_NS,
        value: 0.5,
        trace_id: Some("4bf92f3577b34da6a3ce929d0e0e4736".into()),
    };
    let metadata = MetricMetadata {
        tenant: "t".into(),
        metric: "m".into(),
        kind: "gauge".into(),
        help: "what m is".into(),
        unit: String::new(),
    };
    let request = || MetricsWrite {
        exemplars: vec![exemplar.clone()],
        metadata: vec![metadata.clone()],
        ..metrics_write("t", points("t", 0..3), racing_key())
    };
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        storage.write_metrics(request()).await.unwrap();
        // Dropped without shutdown, as after kill -9.
    }
    let logged = telemetryhub_wal::replay(&dir.path().join("wal"), None).unwrap();
    assert_eq!(logged.records.len(), 1, "one record for the whole request");
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert_eq!(count(&storage, "t").await, 3);
    let scan = Scan::new(
        Table::Exemplars,
        TenantScope::One("t".into()),
        i64::MIN,
        i64::MAX,
    );
    let ctx = SessionContext::new();
    let frame = storage.scan(&ctx, &scan).await.unwrap().unwrap();
    let exemplars = crate::schema::exemplars_from_batches(&frame.collect().await.unwrap()).unwrap();
    assert_eq!(exemplars, vec![exemplar.clone()]);
    assert_eq!(
        storage.metric_metadata("t", None).await.unwrap(),
        vec![metadata.clone()]
    );
    assert!(storage.write_metrics(request()).await.unwrap().replayed);
}

/// Log parts and WAL records written before the `labels` column existed read with it null, alone
/// and beside new rows, and compact into parts that have it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_written_before_stream_labels_read_with_null_labels() {
    use datafusion::parquet::arrow::ArrowWriter;
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(compacting_config(dir.path())).unwrap();
    let old = LogRecord {
        message: "written by an older version".into(),
        ..conformance_line()
    };
    storage
        .write_logs(LogsWrite {
            records: vec![old.clone()],
            ..LogsWrite::new("t")
        })
        .await
        .unwrap();
    storage.flush().await.unwrap();
    // Rewrite the part as an older version wrote it: without the `labels` column.
    let part = storage.inner.catalog.parts().pop().unwrap();
    let path = dir.path().join(&part.path);
    let batches: Vec<RecordBatch> =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let keep: Vec<usize> = (0..batches[0].num_columns() - 1).collect();
    assert_eq!(batches[0].schema().field(keep.len()).name(), "labels");
    let mut writer = ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        batches[0].project(&keep).unwrap().schema(),
        None,
    )
    .unwrap();
    for batch in &batches {
        writer.write(&batch.project(&keep).unwrap()).unwrap();
    }
    writer.close().unwrap();
    // The catalog records each part's size, as the older version's catalog would have.
    let rewritten = PartMeta {
        bytes: std::fs::metadata(&path).unwrap().len(),
        ..part.clone()
    };
    let catalog = &storage.inner.catalog;
    catalog
        .commit_parts(&[], std::slice::from_ref(&part.path), None)
        .unwrap();
    catalog.commit_parts(&[rewritten], &[], None).unwrap();

    let new = LogRecord {
        message: "written now".into(),
        stream_labels: Some(r#"{"pod":"p","service_name":"api"}"#.into()),
        ..conformance_line()
    };
    storage
        .write_logs(LogsWrite {
            records: vec![new.clone()],
            ..LogsWrite::new("t")
        })
        .await
        .unwrap();
    let read = || async {
        let scan = Scan::new(
            Table::Logs,
            TenantScope::One("t".into()),
            i64::MIN,
            i64::MAX,
        );
        let frame = storage
            .scan(&SessionContext::new(), &scan)
            .await
            .unwrap()
            .unwrap();
        let mut lines = crate::schema::logs_from_batches(&frame.collect().await.unwrap()).unwrap();
        lines.sort_by(|a, b| a.message.cmp(&b.message));
        lines
    };
    assert_eq!(
        read().await,
        vec![old.clone(), new.clone()],
        "old part beside the buffer"
    );
    storage.flush().await.unwrap();
    storage.run_maintenance().await;
    assert_eq!(storage.stats().parts, 1, "compacted into one part");
    assert_eq!(read().await, vec![old, new], "after compaction");
    let compacted = dir.path().join(&storage.inner.catalog.parts()[0].path);
    let schema = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(compacted).unwrap())
        .unwrap()
        .schema()
        .clone();
    assert!(schema.field_with_name("labels").is_ok());
}
