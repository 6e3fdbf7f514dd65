//! Tests of the logs parts' line indexes in the engine: written at flush and compaction, used by
//! scans with needles and time ranges (which then read few blocks, with the same answer as
//! without the index), stream listings answered from them, and parts without a usable index
//! read whole.

use telemetryhub_model::{Level, LogRecord, LogsWrite};

use super::*;
use crate::log_index::{self, BLOCK_ROWS};
use crate::scan::PartSelection;
use crate::schema::logs_from_batches;
use crate::state_conformance::BASE_NS;
use crate::{StoredLogStream, TenantScope};

const SECOND: i64 = 1_000_000_000;

fn config(dir: &std::path::Path) -> EmbeddedConfig {
    EmbeddedConfig {
        retention_ns: i64::MAX,
        compaction_min_parts: 2,
        ..EmbeddedConfig::new(dir)
    }
}

/// `count` lines from `first` on, one per 100 ms: services api and db (Loki-labelled) and a
/// native one, two tenants; every 20,000th line carries a rare token.
fn lines(first: i64, count: i64) -> Vec<LogRecord> {
    (first..first + count)
        .map(|i| {
            let service = ["api", "db", "native"][(i % 3) as usize];
            let message = if i % 20_000 == 1_234 {
                format!("payment failed for order ORD-{i} token=Zq9xW2kPq")
            } else {
                format!(
                    "GET /api/v1/users/{} 200 in {}ms from 10.0.{}.{}",
                    i * 7919 % 100_000,
                    i % 997,
                    i % 256,
                    i % 251
                )
            };
            LogRecord {
                tenant: if i % 11 == 0 { "u" } else { "t" }.into(),
                service: service.into(),
                level: if i % 13 == 0 {
                    Level::Error
                } else {
                    Level::Info
                },
                message,
                ts_ns: BASE_NS + i * SECOND / 10,
                context: None,
                trace_id: None,
                span_id: None,
                pattern_id: None,
                stream_labels: (service != "native")
                    .then(|| format!(r#"{{"app":"{service}","zone":"z{}"}}"#, i % 2)),
            }
        })
        .collect()
}

async fn write(storage: &EmbeddedStorage, records: &[LogRecord]) {
    for tenant in ["t", "u"] {
        let records: Vec<LogRecord> = records
            .iter()
            .filter(|r| r.tenant == tenant)
            .cloned()
            .collect();
        storage
            .write_logs(LogsWrite {
                records,
                ..LogsWrite::new(tenant)
            })
            .await
            .unwrap();
    }
}

fn key(r: &LogRecord) -> (i64, String) {
    (r.ts_ns, r.message.clone())
}

async fn read(storage: &EmbeddedStorage, scan: &Scan) -> Vec<LogRecord> {
    let ctx = SessionContext::new();
    let Some(frame) = storage.scan(&ctx, scan).await.unwrap() else {
        return Vec::new();
    };
    let mut records = logs_from_batches(&frame.collect().await.unwrap()).unwrap();
    records.sort_by_key(key);
    records
}

/// Seconds from `BASE_NS` to ns.
fn at(seconds: i64) -> i64 {
    BASE_NS + seconds * SECOND
}

/// The scans the tests compare, each with the lines it must return out of those stored.
#[allow(clippy::type_complexity)]
fn scans() -> Vec<(Scan, Box<dyn Fn(&LogRecord) -> bool>)> {
    let base = |since: i64, until: i64| {
        Scan::new(
            Table::Logs,
            TenantScope::One("t".into()),
            at(since),
            at(until),
        )
    };
    let tenant = |r: &LogRecord| r.tenant == "t";
    vec![
        (
            base(0, 100_000).contains("Zq9xW2kPq"),
            Box::new(move |r| tenant(r) && r.message.contains("Zq9xW2kPq")),
        ),
        (
            base(0, 100_000).contains("ORD-").contains("failed for"),
            Box::new(move |r| tenant(r) && r.message.contains("ORD-")),
        ),
        (
            base(0, 100_000).contains("never-written"),
            Box::new(|_| false),
        ),
        (
            base(0, 100_000).contains(" 2"),
            Box::new(move |r| tenant(r) && r.message.contains(" 2")),
        ),
        (
            base(600, 700).equal("service", Some("db")).contains("in 9"),
            Box::new(move |r| {
                tenant(r)
                    && (at(600)..at(700)).contains(&r.ts_ns)
                    && r.service == "db"
                    && r.message.contains("in 9")
            }),
        ),
        (
            // A regex is applied while reading (no block is skipped for it).
            base(0, 100_000).matches(r"failed for order ORD-[0-9]+ token"),
            Box::new(move |r| tenant(r) && r.message.contains("ORD-")),
        ),
        (
            base(1000, 1001),
            Box::new(move |r| tenant(r) && (at(1000)..at(1001)).contains(&r.ts_ns)),
        ),
    ]
}

async fn check_scans(storage: &EmbeddedStorage, stored: &[LogRecord]) {
    for (number, (scan, wanted)) in scans().into_iter().enumerate() {
        let mut expected: Vec<LogRecord> = stored.iter().filter(|r| wanted(r)).cloned().collect();
        expected.sort_by_key(key);
        let found = read(storage, &scan).await;
        assert_eq!(found.len(), expected.len(), "scan {number}: {scan:?}");
        assert!(found == expected, "scan {number}: {scan:?}");
    }
}

fn logs_parts(storage: &EmbeddedStorage) -> Vec<PartMeta> {
    let mut parts: Vec<PartMeta> = storage
        .inner
        .catalog
        .parts()
        .into_iter()
        .filter(|p| p.table == "logs")
        .collect();
    parts.sort_by_key(PartMeta::write_seq);
    parts
}

/// The rows `scan` reads of `part` through its line index (`None`: it has no usable one).
fn rows_read(storage: &EmbeddedStorage, part: &PartMeta, scan: &Scan) -> Option<u64> {
    match storage.inner.skip_index(part)? {
        SkipIndex::Lines(index) => Some(match scan.line_part_rows(&index, part.rows) {
            PartSelection::Nothing => 0,
            PartSelection::Everything => part.rows,
            PartSelection::Rows(ranges) => ranges.iter().map(|r| r.end - r.start).sum(),
        }),
        SkipIndex::Series(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flushes_and_compactions_write_line_indexes_that_needle_scans_use() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let mut stored = lines(0, 30_000);
    write(&storage, &stored).await;
    // Buffered lines are found too.
    check_scans(&storage, &stored).await;
    storage.flush().await.unwrap();
    let later = lines(30_000, 20_000);
    write(&storage, &later).await;
    storage.flush().await.unwrap();
    stored.extend(later);
    let parts = logs_parts(&storage);
    assert_eq!(parts.len(), 2);
    for part in &parts {
        assert!(part.line_index, "{part:?}");
        assert!(dir.path().join(log_index::index_path(&part.path)).exists());
    }
    check_scans(&storage, &stored).await;
    // The rare token is in 3 lines (all of tenant t), two in the first part: only their
    // blocks are read, where each part has several.
    let needle = &scans()[0].0;
    for (part, lines) in parts.iter().zip([2, 1]) {
        let read = rows_read(&storage, part, needle).unwrap();
        assert!(
            read <= lines * BLOCK_ROWS && read < part.rows,
            "{read} of {part:?}"
        );
    }
    let absent = &scans()[2].0;
    assert_eq!(rows_read(&storage, &parts[0], absent), Some(0));
    storage.run_maintenance().await;
    let compacted = logs_parts(&storage);
    assert_eq!(compacted.len(), 1);
    assert!(compacted[0].line_index);
    assert_eq!(rows_read(&storage, &compacted[0], absent), Some(0));
    check_scans(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_parts_without_a_usable_line_index_are_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut stored = lines(0, 20_000);
    {
        let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
        write(&storage, &stored).await;
        storage.flush().await.unwrap();
        // A part recorded as an older version recorded it: without the field.
        let mut old = logs_parts(&storage).remove(0);
        let mut json: serde_json::Value = serde_json::to_value(&old).unwrap();
        json.as_object_mut().unwrap().remove("line_index");
        old = serde_json::from_value(json).unwrap();
        assert!(!old.line_index);
        storage
            .inner
            .catalog
            .commit_parts(&[old], &[], None)
            .unwrap();
        let later = lines(20_000, 20_000);
        write(&storage, &later).await;
        storage.flush().await.unwrap();
        stored.extend(later);
        storage.shutdown().await.unwrap();
    }
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let parts = logs_parts(&storage);
    assert_eq!(
        parts.iter().map(|p| p.line_index).collect::<Vec<_>>(),
        [false, true]
    );
    assert!(
        dir.path()
            .join(log_index::index_path(&parts[0].path))
            .exists(),
        "a listed part's index file is no orphan"
    );
    assert!(storage.inner.skip_index(&parts[0]).is_none());
    check_scans(&storage, &stored).await;
    // An index file lost (or unreadable) reads the part whole too.
    std::fs::remove_file(dir.path().join(log_index::index_path(&parts[1].path))).unwrap();
    drop(storage);
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    assert!(storage.inner.skip_index(&parts[1]).is_none());
    check_scans(&storage, &stored).await;
    check_listings(&storage, &stored).await;
    // Compacting the two writes an index for the merged part.
    storage.run_maintenance().await;
    let compacted = logs_parts(&storage);
    assert_eq!(compacted.len(), 1);
    assert!(compacted[0].line_index);
    check_scans(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}

/// The streams of tenant `t` (and service, when given) with a line in `since..until` seconds.
fn streams_of(
    stored: &[LogRecord],
    (since, until): (i64, i64),
    service: Option<&str>,
) -> Vec<StoredLogStream> {
    let mut streams: Vec<StoredLogStream> = stored
        .iter()
        .filter(|r| r.tenant == "t" && (at(since)..at(until)).contains(&r.ts_ns))
        .filter(|r| service.is_none_or(|s| r.service == s))
        .map(|r| StoredLogStream {
            tenant: r.tenant.clone(),
            labels: r.stream_labels.clone(),
            service: r.service.clone(),
            level: r.level.as_str().to_string(),
        })
        .collect();
    streams.sort();
    streams.dedup();
    streams
}

/// Exact listings equal the streams of the lines; inexact ones hold them (and only streams of
/// the scan's tenant and service).
async fn check_listings(storage: &EmbeddedStorage, stored: &[LogRecord]) {
    let ctx = SessionContext::new();
    for (range, service) in [
        ((0, 100_000), None),
        ((0, 100_000), Some("db")),
        ((1000, 1001), None),
        ((1, 2), Some("native")),
        ((3999, 4001), Some("api")),
        ((90_000, 90_001), None),
    ] {
        let scan = Scan::new(
            Table::Logs,
            TenantScope::One("t".into()),
            at(range.0),
            at(range.1),
        )
        .equal("service", service);
        let expected = streams_of(stored, range, service);
        let mut exact = storage.log_streams(&ctx, &scan, true).await.unwrap();
        exact.sort();
        assert_eq!(exact, expected, "{range:?} {service:?}");
        let loose = storage.log_streams(&ctx, &scan, false).await.unwrap();
        assert!(expected.iter().all(|s| loose.contains(s)));
        assert!(
            loose
                .iter()
                .all(|s| s.tenant == "t" && service.is_none_or(|w| s.service == w))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_are_listed_from_line_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let storage = EmbeddedStorage::open(config(dir.path())).unwrap();
    let mut stored = lines(0, 20_000);
    write(&storage, &stored).await;
    storage.flush().await.unwrap();
    check_listings(&storage, &stored).await;
    // With more lines buffered, beside the part.
    let later = lines(20_000, 1_000);
    write(&storage, &later).await;
    stored.extend(later);
    check_listings(&storage, &stored).await;
    storage.shutdown().await.unwrap();
}
