//! Tests of the line index: what it records of a part's rows, its file, and the blocks a scan
//! reads — never fewer than those holding a wanted line.

use proptest::prelude::*;
use telemetryhub_model::{Level, LogRecord};

use super::*;
use crate::parts::sort_batch;
use crate::scan::{PartSelection, Scan, TenantScope};
use crate::schema::{Table, logs_batch};

fn line(tenant: &str, service: &str, message: &str, ts_ns: i64) -> LogRecord {
    LogRecord {
        tenant: tenant.into(),
        service: service.into(),
        level: Level::Info,
        message: message.into(),
        ts_ns,
        context: None,
        trace_id: None,
        span_id: None,
        pattern_id: None,
        stream_labels: (service != "native").then(|| format!(r#"{{"app":"{service}"}}"#)),
    }
}

/// The index of `records` written as one part (sorted as parts are), blocks of `block_rows`,
/// and the sorted rows.
fn index_of(records: &[LogRecord], block_rows: u64) -> (LineIndex, Vec<LogRecord>) {
    let batch = sort_batch(Table::Logs, &logs_batch(records).unwrap()).unwrap();
    let mut builder = LineIndexBuilder::new(block_rows);
    // In two batches, as a flush hands them over in slices.
    let half = batch.num_rows() / 2;
    builder.add(&batch.slice(0, half)).unwrap();
    builder
        .add(&batch.slice(half, batch.num_rows() - half))
        .unwrap();
    let sorted = crate::schema::logs_from_batches(&[batch]).unwrap();
    (builder.finish().unwrap(), sorted)
}

fn scan(since: i64, until: i64) -> Scan {
    Scan::new(Table::Logs, TenantScope::One("t".into()), since, until)
}

/// The rows `scan` reads of a part indexed by `index`.
fn rows_read(scan: &Scan, index: &LineIndex, rows: u64) -> Vec<u64> {
    match scan.line_part_rows(index, rows) {
        PartSelection::Nothing => Vec::new(),
        PartSelection::Everything => (0..rows).collect(),
        PartSelection::Rows(ranges) => ranges.into_iter().flatten().collect(),
    }
}

#[test]
fn records_blocks_streams_and_times() {
    let records: Vec<LogRecord> = (0..10)
        .map(|i| line("t", if i < 6 { "api" } else { "db" }, "x", i))
        .chain([line("u", "api", "y", 3), line("t", "native", "z", 1)])
        .collect();
    let (index, sorted) = index_of(&records, 4);
    assert_eq!(sorted.len(), 12);
    let blocks: Vec<(u64, u64, i64, i64)> = index
        .blocks
        .iter()
        .map(|b| (b.first_row, b.rows, b.min_ts, b.max_ts))
        .collect();
    // Sorted: t/api 0..6, t/db 6..10, t/native 1, u/api 3.
    assert_eq!(blocks, [(0, 4, 0, 3), (4, 4, 4, 7), (8, 4, 1, 9)]);
    let streams_of = |block: &Block| -> Vec<(String, String)> {
        block
            .streams
            .iter()
            .map(|s| {
                let s = &index.streams[*s as usize];
                (s.tenant.clone(), s.service.clone())
            })
            .collect()
    };
    assert_eq!(streams_of(&index.blocks[0]), [("t".into(), "api".into())]);
    assert_eq!(
        streams_of(&index.blocks[1]),
        [("t".into(), "api".into()), ("t".into(), "db".into())]
    );
    assert_eq!(index.streams.len(), 4);
    let native = index
        .streams
        .iter()
        .find(|s| s.service == "native")
        .unwrap();
    assert_eq!(
        native.labels, None,
        "a derived stream keeps its null labels"
    );
}

#[test]
fn writes_and_reads_back_the_index_file() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("logs-1.parquet");
    let records: Vec<LogRecord> = (0..50)
        .map(|i| line("t", "api", &format!("request {i} done"), i))
        .collect();
    let batch = sort_batch(Table::Logs, &logs_batch(&records).unwrap()).unwrap();
    let mut builder = LineIndexBuilder::new(16);
    builder.add(&batch).unwrap();
    builder.write(&part).unwrap();
    assert!(dir.path().join("logs-1.lines").exists());
    let read = LineIndex::read(&part, 50).unwrap();
    assert_eq!(read.blocks.len(), 4);
    assert_eq!(read.streams.len(), 1);
    let needle = |text: &str| {
        read.blocks
            .iter()
            .filter(|b| b.may_contain_all(&[text.to_string()]))
            .count()
    };
    assert!(needle("request 7 ") >= 1, "the block holding it");
    assert!(needle("request 49 done") >= 1);
    assert_eq!(needle("zzz"), 0, "a trigram no line holds");
    // An index that does not fit its part is refused (the part is then read whole).
    assert!(LineIndex::read(&part, 51).is_err());
    assert!(LineIndex::read(&dir.path().join("other.parquet"), 50).is_err());
}

#[test]
fn a_rare_needle_reads_only_its_block() {
    let mut records: Vec<LogRecord> = (0..4000)
        .map(|i| {
            line(
                "t",
                "api",
                &format!("GET /api/users/{i} 200 in {}ms", i % 97),
                i,
            )
        })
        .collect();
    records[2500].message = "payment failed token=Zq9xW2kPq".into();
    let (index, sorted) = index_of(&records, 256);
    let rows = sorted.len() as u64;
    let read = rows_read(&scan(0, 10_000).contains("Zq9xW2kPq"), &index, rows);
    assert!(read.len() <= 256, "{} rows read", read.len());
    assert!(read.contains(&2500));
    // A time range reads only the blocks overlapping it.
    let read = rows_read(&scan(1000, 1100), &index, rows);
    assert!(read.len() <= 512, "{} rows read", read.len());
    assert!((1000..1100).all(|row| read.contains(&row)));
    // Another tenant's scan reads nothing; a short needle cannot skip.
    let other = Scan::new(Table::Logs, TenantScope::One("u".into()), 0, 10_000);
    assert!(rows_read(&other, &index, rows).is_empty());
    assert_eq!(
        rows_read(&scan(0, 10_000).contains("Zq"), &index, rows).len() as u64,
        rows
    );
}

proptest! {
    /// Every row whose line contains every needle, in the time range and of a wanted stream, is
    /// among the rows the index selects: skipping never loses a line.
    #[test]
    fn never_skips_a_matching_line(
        lines in proptest::collection::vec(("[ab -]{0,12}", 0i64..100, 0usize..3), 1..120),
        needles in proptest::collection::vec("[ab -]{0,5}", 0..3),
        since in 0i64..100,
        span in 1i64..100,
        block_rows in 1u64..20,
        service in proptest::option::of(0usize..3),
    ) {
        let services = ["api", "db", "native"];
        let records: Vec<LogRecord> = lines
            .iter()
            .map(|(text, ts, s)| line(if *s == 2 && *ts % 3 == 0 { "u" } else { "t" }, services[*s], text, *ts))
            .collect();
        let (index, sorted) = index_of(&records, block_rows);
        let mut scan = scan(since, since + span).equal("service", service.map(|s| services[s]));
        for needle in &needles {
            scan = scan.contains(needle.clone());
        }
        let read = rows_read(&scan, &index, sorted.len() as u64);
        for (row, record) in sorted.iter().enumerate() {
            let wanted = record.tenant == "t"
                && (since..since + span).contains(&record.ts_ns)
                && service.is_none_or(|s| record.service == services[s])
                && needles.iter().all(|n| record.message.contains(n.as_str()));
            if wanted {
                prop_assert!(read.contains(&(row as u64)), "row {row} {record:?} skipped");
            }
        }
    }
}
