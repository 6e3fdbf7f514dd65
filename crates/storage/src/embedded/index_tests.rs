//! Tests of the parts' series indexes in the engine: written at flush and compaction, used by
//! scans (which then read only the wanted series' rows in the time range, with the same answer),
//! listings answered from them, and parts without a usable index read whole.

use telemetryhub_model::{LabelMatcher, Labels, MatchOp, MetricPoint, MetricsWrite, SeriesBatch};

use super::*;
use crate::scan::{PartSelection, SeriesFilter};
use crate::schema::metrics_from_batches;
use crate::series_index::{self, index_path};
use crate::state_conformance::BASE_NS;
use crate::{MetricSeries, SamplesShape, TenantScope};

const SECOND: i64 = 1_000_000_000;

fn config(dir: &std::path::Path) -> EmbeddedConfig {
    EmbeddedConfig {
        retention_ns: i64::MAX,
        compaction_min_parts: 2,
        ..EmbeddedConfig::new(dir)
    }
}

/// Samples of metric `metric`, host `host`, at seconds `seconds` (value: the second).
fn samples(metric: &str, host: &str, seconds: std::ops::Range<i64>) -> Vec<MetricPoint> {
    seconds
        .map(|s| MetricPoint {
            tenant: "t".into(),
            service: "api".into(),
            metric: metric.into(),
            labels: Labels::from([("host".to_string(), host.to_string())]),
            ts_ns: BASE_NS + s * SECOND,
            value: s as f64,
        })
        .collect()
}

/// Every series (`m` on hosts a, b, c and `n` on host a) over `seconds`.
fn all_series(seconds: std::ops::Range<i64>) -> Vec<MetricPoint> {
    let mut points = Vec::new();
    for host in ["a", "b", "c"] {
        points.extend(samples("m", host, seconds.clone()));
    }
    points.extend(samples("n", "a", seconds));
    points
}

async fn write(storage: &EmbeddedStorage, points: &[MetricPoint]) {
    storage
        .write_metrics(MetricsWrite::of(SeriesBatch::from_points("t", points)))
        .await
        .unwrap();
}

/// What `scan` returns, sorted by (labels, metric, ts).
async fn read(storage: &EmbeddedStorage, scan: &Scan) -> Vec<MetricPoint> {
    let ctx = SessionContext::new();
    let Some(frame) = storage.scan(&ctx, scan).await.unwrap() else {
        return Vec::new();
    };
    let mut points = metrics_from_batches(&frame.collect().await.unwrap()).unwrap();
    points.sort_by(|a, b| (&a.labels, &a.metric, a.ts_ns).cmp(&(&b.labels, &b.metric, b.ts_ns)));
    points
}

fn host(op: MatchOp, value: &str) -> LabelMatcher {
    LabelMatcher {
        name: "host".into(),
        op,
        value: value.into(),
    }
}

/// The scans the tests compare, each with the points it must return out of `stored`.
#[allow(clippy::type_complexity)]
fn scans() -> Vec<(Scan, Box<dyn Fn(&MetricPoint) -> bool>)> {
    let base = |since: i64, until: i64| {
        Scan::new(
            Table::Metrics,
            TenantScope::One("t".into()),
            BASE_NS + since * SECOND,
            BASE_NS + until * SECOND,
        )
    };
    let in_time = |p: &MetricPoint, since: i64, until: i64| {
        (since..until).contains(&((p.ts_ns - BASE_NS) / SECOND))
    };
    vec![
        (
            base(0, 10_000)
                .equal("metric", Some("m"))
                .labels(&[host(MatchOp::Equal, "b")]),
            Box::new(|p| p.metric == "m" && p.labels["host"] == "b"),
        ),
        (
            base(0, 10_000).labels(&[host(MatchOp::NotEqual, "b")]),
            Box::new(|p| p.labels["host"] != "b"),
        ),
        (
            // A regex-like test only the reader can express, over part of the time: it spans
            // both parts and the buffer.
            base(300, 950)
                .one_of("metric", vec!["m".into(), "n".into()])
                .series_filter(SeriesFilter::new(|s| {
                    s.labels.contains(r#""host":"a""#) || s.labels.contains(r#""host":"c""#)
                })),
            Box::new(move |p| p.labels["host"] != "b" && in_time(p, 300, 950)),
        ),
        (
            base(0, 10_000).labels(&[LabelMatcher {
                name: "zone".into(),
                op: MatchOp::Equal,
                value: String::new(),
            }]),
            Box::new(|_| true),
        ),
        (
            base(0, 10_000).equal("metric", Some("absent")),
            Box::new(|_| false),
        ),
        (
            base(599, 601).equal("service", Some("api")),
            Box::new(move |p| in_time(p, 599, 601)),
        ),
    ]
}

/// Checks every scan of [`scans`] against `stored`.
async fn check_scans(storage: &EmbeddedStorage, stored: &[MetricPoint]) {
    for (at, (scan, wanted)) in scans().into_iter().enumerate() {
        let mut expected: Vec<MetricPoint> = stored.iter().filter(|p| wanted(p)).cloned().collect();
        expected
            .sort_by(|a, b| (&a.labels, &a.metric, a.ts_ns).cmp(&(&b.labels, &b.metric, b.ts_ns)));
        let mut found = read(storage, &scan).await;
        if scan.series_filter.is_some() {
            // The store may return rows of series the filter refuses where it cannot tell
            // series apart (the buffer, parts without an index); the reader checks each series.
            found.retain(|p| wanted(p));
        }
        assert_eq!(found.len(), expected.len(), "scan {at}: {scan:?}");
        assert!(found == expected, "scan {at}: {scan:?}");
        // The direct read of the series' samples returns the same (where every part has an
        // index; the other tests' stores answer `None` and are read by the scan alone), read
        // again too: then from the segments the first read left in the sample cache.
        for read in ["first", "second"] {
            if let Some(mut direct) = direct_points(storage, &scan).await {
                direct.retain(|p| wanted(p));
                assert!(
                    direct == expected,
                    "{read} direct read of scan {at}: {scan:?}"
                );
            }
        }
        // Shaped, each series is shaped once, after its samples were merged.
        let negated: SamplesShape = Arc::new(|_, values| values.iter_mut().for_each(|v| *v = -*v));
        if let Some(mut shaped) = shaped_points(storage, &scan, Some(&negated)).await {
            shaped.retain(|p| {
                wanted(&MetricPoint {
                    value: -p.value,
                    ..p.clone()
                })
            });
            let negated: Vec<MetricPoint> = expected
                .iter()
                .map(|p| MetricPoint {
                    value: -p.value,
                    ..p.clone()
                })
                .collect();
            assert!(
                shaped == negated,
                "shaped direct read of scan {at}: {scan:?}"
            );
        }
    }
}

/// What [`DataStore::metric_samples`] returns for `scan`, as points sorted like [`read`]'s.
async fn direct_points(storage: &EmbeddedStorage, scan: &Scan) -> Option<Vec<MetricPoint>> {
    shaped_points(storage, scan, None).await
}

/// What [`DataStore::metric_samples`] returns for `scan` shaped by `shape`, as points sorted
/// like [`read`]'s.
async fn shaped_points(
    storage: &EmbeddedStorage,
    scan: &Scan,
    shape: Option<&SamplesShape>,
) -> Option<Vec<MetricPoint>> {
    let read = SamplesRead {
        shape: shape.cloned(),
        max_samples: None,
    };
    let samples = storage.metric_samples(scan, &read).await.unwrap()?;
    let mut points = Vec::new();
    for series in samples {
        assert!(series.ts_ns.is_sorted_by(|a, b| a < b), "{series:?}");
        let labels: Labels = serde_json::from_str(&series.series.labels).unwrap();
        for (ts_ns, value) in series.ts_ns.iter().zip(&series.values) {
            points.push(MetricPoint {
                tenant: "t".into(),
                service: series.series.service.clone(),
                metric: series.series.metric.clone(),
                labels: labels.clone(),
                ts_ns: *ts_ns,
                value: *value,
            });
        }
    }
    points.sort_by(|a, b| (&a.labels, &a.metric, a.ts_ns).cmp(&(&b.labels, &b.metric, b.ts_ns)));
    Some(points)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_reads_keep_the_last_written_sample_of_each_time() {
    // Through the sample cache, and without it: each part's rows of a series then go to one
    // chunk of that series, which the later part overwrites in part.
    for sample_cache_bytes in [crate::sample_cache::DEFAULT_SAMPLE_CACHE_BYTES, 0] {
        keep_the_last_written_sample_of_each_time(sample_cache_bytes).await;
    }
}

async fn keep_the_last_written_sample_of_each_time(sample_cache_bytes: u64) {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(EmbeddedConfig {
        sample_cache_bytes,
        ..config(dir.path())
    })
    .unwrap();
    let with_value = |mut points: Vec<MetricPoint>, value: f64| {
        points.iter_mut().for_each(|p| p.value = value);
        points
    };
    // Seconds 0..100 in a part; 50..60 again in a later part; 55..58 again in the buffer,
    // twice (the later write wins), and 100..110 only in the buffer.
    write(&storage, &samples("m", "a", 0..100)).await;
    storage.flush().await.unwrap();
    write(&storage, &with_value(samples("m", "a", 50..60), -1.0)).await;
    storage.flush().await.unwrap();
    write(&storage, &with_value(samples("m", "a", 55..58), -2.0)).await;
    write(&storage, &with_value(samples("m", "a", 55..58), -3.0)).await;
    write(&storage, &samples("m", "a", 100..110)).await;
    // Only `m` of host a exists: the one series of the answer.
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One("t".into()),
        BASE_NS + 40 * SECOND,
        BASE_NS + 105 * SECOND,
    )
    .equal("metric", Some("m"));
    let direct = direct_points(&storage, &scan)
        .await
        .expect("every part has an index");
    let seconds: Vec<i64> = direct
        .iter()
        .map(|p| (p.ts_ns - BASE_NS) / SECOND)
        .collect();
    assert_eq!(seconds, (40..105).collect::<Vec<_>>());
    for point in &direct {
        let second = (point.ts_ns - BASE_NS) / SECOND;
        let expected = match second {
            55..58 => -3.0,
            50..60 => -1.0,
            _ => second as f64,
        };
        assert_eq!(point.value, expected, "second {second}");
    }
    // Another tenant's and another metric's series are not read.
    let other = Scan::new(
        Table::Metrics,
        TenantScope::One("u".into()),
        i64::MIN,
        i64::MAX,
    );
    assert_eq!(direct_points(&storage, &other).await, Some(Vec::new()));
    // A substring filter is not a series filter: the scan's rows answer it.
    let logs_like = scan.clone().contains("x");
    assert!(
        storage
            .metric_samples(&logs_like, &SamplesRead::default())
            .await
            .unwrap()
            .is_none()
    );
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_over_their_sample_limit_are_refused_before_decoding_unless_shaped() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    // 3,000 samples of one series in one part: all but the two mark intervals at the ends
    // (512 rows) surely in the range.
    write(&storage, &samples("m", "a", 0..3000)).await;
    storage.flush().await.unwrap();
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One("t".into()),
        i64::MIN,
        i64::MAX,
    )
    .equal("metric", Some("m"));
    let limited = |max_samples: u64, shape: Option<SamplesShape>| SamplesRead {
        shape,
        max_samples: Some(max_samples),
    };
    let refused = storage.metric_samples(&scan, &limited(2000, None)).await;
    assert!(
        matches!(
            refused,
            Err(StorageError::TooManySamples {
                rows: 2488,
                limit: 2000
            })
        ),
        "{refused:?}"
    );
    let within = storage
        .metric_samples(&scan, &limited(3000, None))
        .await
        .unwrap()
        .expect("every part has an index");
    assert_eq!(within[0].ts_ns.len(), 3000);
    // Shaped, the read holds one series at a time: not limited.
    let count: SamplesShape = Arc::new(|ts, values| {
        *values = vec![ts.len() as f64];
        *ts = vec![0];
    });
    let shaped = storage
        .metric_samples(&scan, &limited(10, Some(count)))
        .await
        .unwrap()
        .expect("every part has an index");
    assert_eq!(shaped[0].values, [3000.0]);
    storage.shutdown().await.unwrap();
}

fn metrics_parts(storage: &EmbeddedStorage) -> Vec<PartMeta> {
    let mut parts: Vec<PartMeta> = storage
        .inner
        .catalog
        .parts()
        .into_iter()
        .filter(|p| p.table == "metrics")
        .collect();
    parts.sort_by_key(PartMeta::write_seq);
    parts
}

/// Writes every series over seconds 0..600 and flushes, then over 600..900 and flushes: two
/// parts. Returns what was written.
async fn two_flushed_parts(storage: &EmbeddedStorage) -> Vec<MetricPoint> {
    let mut stored = all_series(0..600);
    write(storage, &stored).await;
    storage.flush().await.unwrap();
    let later = all_series(600..900);
    write(storage, &later).await;
    storage.flush().await.unwrap();
    stored.extend(later);
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flushes_and_compactions_write_series_indexes_that_scans_use() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    // One series' samples in two parts and the buffer.
    let mut stored = two_flushed_parts(&storage).await;
    let buffered = all_series(900..1000);
    write(&storage, &buffered).await;
    stored.extend(buffered);

    let parts = metrics_parts(&storage);
    assert_eq!(parts.len(), 2);
    for part in &parts {
        assert!(part.series_index, "{part:?}");
        assert!(dir.path().join(index_path(&part.path)).exists());
        let index = storage.inner.part_index(part).expect("an index");
        assert_eq!(index.series.len(), 4);
        assert_eq!(index.series.iter().map(|s| s.rows).sum::<u64>(), part.rows);
    }
    // A one-series scan reads only that series' rows of the first part, of a time range only
    // about that range.
    let first = storage.inner.part_index(&parts[0]).unwrap();
    let (one_series, _) = &scans()[0];
    let b = first
        .series
        .iter()
        .find(|s| s.metric == "m" && s.labels.contains("\"b\""))
        .unwrap();
    assert_eq!(
        one_series.part_rows(&first, parts[0].rows),
        PartSelection::Rows(std::iter::once(b.first_row..b.first_row + 600).collect())
    );
    let (edge, _) = &scans()[5];
    match edge.part_rows(&first, parts[0].rows) {
        PartSelection::Rows(ranges) => {
            let read: u64 = ranges.iter().map(|r| r.end - r.start).sum();
            assert!(read <= 4 * 2 * series_index::MARK_ROWS, "{ranges:?}");
        }
        other => panic!("{other:?}"),
    }
    check_scans(&storage, &stored).await;

    storage.run_maintenance().await;
    let compacted = metrics_parts(&storage);
    assert_eq!(compacted.len(), 1, "{compacted:?}");
    assert!(compacted[0].series_index);
    let index = storage.inner.part_index(&compacted[0]).unwrap();
    let rows: Vec<u64> = index.series.iter().map(|s| s.rows).collect();
    assert_eq!(
        rows,
        [900, 900, 900, 900],
        "each series' rows of both parts, in one run"
    );
    check_scans(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_reads_agree_without_the_sample_cache_and_with_one_too_small() {
    let dir = tempfile::tempdir().unwrap();
    let stored = {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        let stored = two_flushed_parts(&storage).await;
        storage.shutdown().await.unwrap();
        stored
    };
    // Off; then room for two full segments, so reads evict what they just kept.
    let full_segment = crate::sample_cache::segment_bytes(series_index::MARK_ROWS as usize);
    for bytes in [0, 2 * full_segment] {
        let storage = EmbeddedStorage::open(EmbeddedConfig {
            sample_cache_bytes: bytes,
            ..config(dir.path())
        })
        .unwrap();
        check_scans(&storage, &stored).await;
        assert!(
            storage.inner.sample_cache.bytes() <= bytes,
            "{} bytes kept of {bytes}",
            storage.inner.sample_cache.bytes()
        );
        storage.shutdown().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_drops_the_merged_parts_cached_samples() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let stored = two_flushed_parts(&storage).await;
    check_scans(&storage, &stored).await;
    assert!(
        storage.inner.sample_cache.bytes() > 0,
        "the reads kept segments"
    );
    storage.run_maintenance().await;
    assert_eq!(metrics_parts(&storage).len(), 1);
    assert_eq!(
        storage.inner.sample_cache.bytes(),
        0,
        "the segments of the two merged parts are gone"
    );
    check_scans(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parts_without_a_usable_series_index_are_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut stored = all_series(0..600);
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        write(&storage, &stored).await;
        storage.flush().await.unwrap();
        // A part recorded as an older version recorded it: without the field.
        let mut old = metrics_parts(&storage).remove(0);
        let mut json: serde_json::Value = serde_json::to_value(&old).unwrap();
        json.as_object_mut().unwrap().remove("series_index");
        old = serde_json::from_value(json).unwrap();
        assert!(!old.series_index);
        storage
            .inner
            .catalog
            .commit_parts(&[old], &[], None)
            .unwrap();
        let later = all_series(600..900);
        write(&storage, &later).await;
        storage.flush().await.unwrap();
        stored.extend(later);
        storage.shutdown().await.unwrap();
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let parts = metrics_parts(&storage);
    assert_eq!(
        parts.iter().map(|p| p.series_index).collect::<Vec<_>>(),
        [false, true]
    );
    assert!(
        dir.path().join(index_path(&parts[0].path)).exists(),
        "a listed part's index file is no orphan"
    );
    assert!(storage.inner.part_index(&parts[0]).is_none());
    assert!(
        storage
            .metric_samples(&scans()[0].0, &SamplesRead::default())
            .await
            .unwrap()
            .is_none(),
        "with a part without an index, the scan's rows answer"
    );
    check_scans(&storage, &stored).await;
    // An index file lost (or unreadable) reads the part whole too.
    std::fs::remove_file(dir.path().join(index_path(&parts[1].path))).unwrap();
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert!(storage.inner.part_index(&parts[1]).is_none());
    check_scans(&storage, &stored).await;
    // Compacting the two writes an index for the merged part.
    storage.run_maintenance().await;
    let compacted = metrics_parts(&storage);
    assert_eq!(compacted.len(), 1);
    assert!(compacted[0].series_index);
    check_scans(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_are_listed_from_indexes_without_reading_rows() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    write(&storage, &all_series(0..600)).await;
    storage.flush().await.unwrap();
    write(&storage, &samples("m", "d", 700..710)).await;
    let part = metrics_parts(&storage).remove(0);
    // With the part's rows gone, only its index can answer.
    let rows = dir.path().join(&part.path);
    let kept = dir.path().join("kept.parquet");
    std::fs::rename(&rows, &kept).unwrap();
    let ctx = SessionContext::new();
    let list = |since: i64, until: i64| {
        Scan::new(
            Table::Metrics,
            TenantScope::One("t".into()),
            BASE_NS + since * SECOND,
            BASE_NS + until * SECOND,
        )
        .equal("metric", Some("m"))
    };
    let mut listed = storage.metric_series(&ctx, &list(0, 1000)).await.unwrap();
    listed.sort();
    let hosts: Vec<&str> = listed.iter().map(|s| &s.labels[9..10]).collect();
    assert_eq!(hosts, ["a", "b", "c", "d"], "{listed:?}");
    assert!(listed.iter().all(|s| s.metric == "m" && s.service == "api"));
    // Another tenant's, or a time without samples, lists nothing.
    let other = Scan {
        tenants: TenantScope::One("u".into()),
        ..list(0, 1000)
    };
    assert!(
        storage
            .metric_series(&ctx, &other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        storage
            .metric_series(&ctx, &list(610, 690))
            .await
            .unwrap()
            .is_empty()
    );
    // A range between two marks of a series needs its rows: the same answer as reading them.
    std::fs::rename(&kept, &rows).unwrap();
    let mut between = storage.metric_series(&ctx, &list(300, 301)).await.unwrap();
    between.sort();
    let expected: Vec<MetricSeries> = ["a", "b", "c"]
        .iter()
        .map(|h| MetricSeries {
            service: "api".into(),
            metric: "m".into(),
            labels: format!(r#"{{"host":"{h}"}}"#),
        })
        .collect();
    assert_eq!(between, expected);
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_files_of_unlisted_parts_are_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let part = {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        write(&storage, &all_series(0..10)).await;
        storage.shutdown().await.unwrap();
        metrics_parts(&storage).remove(0)
    };
    let index = dir.path().join(index_path(&part.path));
    let orphan = index.with_file_name("metrics-00000000000000000999.series");
    std::fs::copy(&index, &orphan).unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert!(!orphan.exists());
    assert!(index.exists());
    // Deleting a part deletes its index.
    crate::parts::delete_part(dir.path(), &part.path);
    assert!(!index.exists());
    drop(storage);
}
