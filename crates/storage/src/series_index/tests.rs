//! Tests of the series index: what it records of a part's rows, its file, and the row ranges
//! it gives a time range.

use datafusion::arrow::array::TimestampNanosecondArray;
use telemetryhub_model::{Labels, MetricPoint};

use super::*;
use crate::schema::{Table, metrics_batch};

fn point(host: &str, ts_ns: i64) -> MetricPoint {
    MetricPoint {
        tenant: "t".into(),
        service: "api".into(),
        metric: "m".into(),
        labels: Labels::from([("host".to_string(), host.to_string())]),
        ts_ns,
        value: 1.0,
    }
}

/// A series of `rows` rows at times `times(row)`, as the builder would record it.
fn series(first_row: u64, times: &[i64]) -> IndexedSeries {
    let mut builder = IndexBuilder::new();
    let points: Vec<MetricPoint> = times.iter().map(|ts| point("a", *ts)).collect();
    builder.add(&metrics_batch(&points).unwrap()).unwrap();
    let mut only = builder.series.pop().unwrap();
    only.first_row = first_row;
    only
}

#[test]
fn records_each_series_run_across_batches() {
    // Rows in part order, split into batches mid-series: a (600 rows), b (3 rows).
    let mut rows: Vec<MetricPoint> = (0..600).map(|i| point("a", i * 10)).collect();
    rows.extend((0..3).map(|i| point("b", 5 + i)));
    let mut builder = IndexBuilder::new();
    for chunk in rows.chunks(250) {
        builder.add(&metrics_batch(chunk).unwrap()).unwrap();
    }
    assert!(builder.ordered);
    let index = PartIndex::new(builder.series);
    let found: Vec<(&str, u64, u64, usize, i64)> = index
        .series
        .iter()
        .map(|s| {
            (
                s.labels.as_str(),
                s.first_row,
                s.rows,
                s.marks.len(),
                s.max_ts,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (r#"{"host":"a"}"#, 0, 600, 3, 5990),
            (r#"{"host":"b"}"#, 600, 3, 1, 7),
        ]
    );
    assert_eq!(
        index.series[0].marks,
        [0, 2560, 5120],
        "every 256th row's time"
    );
    assert_eq!(index.candidates(Some(&["m".to_string()])).count(), 2);
    assert_eq!(index.candidates(Some(&["n".to_string()])).count(), 0);
}

#[test]
fn writes_and_reads_back_the_index_file() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("metrics-1.parquet");
    let mut builder = IndexBuilder::new();
    let rows: Vec<MetricPoint> = (0..300)
        .map(|i| point("a", i))
        .chain((0..2).map(|i| point("b", i)))
        .collect();
    builder.add(&metrics_batch(&rows).unwrap()).unwrap();
    let expected = builder.series.clone();
    assert!(builder.write(&part).unwrap());
    assert!(dir.path().join("metrics-1.series").exists());
    let read = PartIndex::read(&part, 302).unwrap();
    assert_eq!(read.series, expected);
    // An index that claims rows its part does not have is refused.
    assert!(PartIndex::read(&part, 301).is_err());
    assert!(PartIndex::read(&dir.path().join("other.parquet"), 302).is_err());
}

#[test]
fn a_part_whose_series_are_out_of_time_order_gets_no_index() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("metrics-1.parquet");
    let mut builder = IndexBuilder::new();
    let batch = metrics_batch(&[point("a", 5), point("a", 3)]).unwrap();
    builder.add(&batch).unwrap();
    assert!(!builder.write(&part).unwrap());
    assert!(!dir.path().join("metrics-1.series").exists());
}

#[test]
fn rows_in_trims_to_marks_and_skips_series_outside() {
    // 1,000 rows at times 0, 10, 20, …, starting at row 40 of the part.
    let times: Vec<i64> = (0..1000).map(|i| i * 10).collect();
    let s = series(40, &times);
    assert_eq!(s.rows_in(-100, 100_000), 40..1040, "all of it");
    assert_eq!(s.rows_in(10_000, 20_000), 40..40, "after it");
    assert_eq!(s.rows_in(-100, 0), 40..40, "before it (until is exclusive)");
    // Rows 300..310 (times 3000..3100) lie between marks 256 and 512.
    assert_eq!(s.rows_in(3000, 3100), 40 + 256..40 + 512);
    // The last row only.
    assert_eq!(s.rows_in(9990, 10_000), 40 + 768..1040);
}

#[test]
fn merges_row_ranges() {
    assert_eq!(
        merge_ranges(vec![5..8, 0..2, 2..3, 7..9, 4..4, 12..13]),
        vec![0..3, 5..9, 12..13]
    );
}

proptest::proptest! {
    /// Whatever the times (sorted, repeats allowed) and the range, `rows_in` holds every row
    /// whose time is in the range.
    #[test]
    fn rows_in_holds_every_row_in_range(
        mut times in proptest::collection::vec(-2_000i64..2_000, 1..1_500),
        since in -2_100i64..2_100,
        length in 0i64..1_000,
    ) {
        times.sort_unstable();
        let s = series(7, &times);
        let range = s.rows_in(since, since + length);
        for (row, ts) in times.iter().enumerate() {
            if (since..since + length).contains(ts) {
                proptest::prop_assert!(range.contains(&(7 + row as u64)), "row {} at {} outside {:?}", row, ts, range);
            }
        }
    }
}

#[test]
fn the_index_of_a_written_part_matches_its_rows() {
    // The index builder sees the batches a part is written from; check it against the rows
    // of a sorted batch.
    let points: Vec<MetricPoint> = (0..700)
        .map(|i| point(["a", "b", "c"][i % 3], i as i64))
        .collect();
    let batch = crate::parts::sort_batch(Table::Metrics, &metrics_batch(&points).unwrap()).unwrap();
    let mut builder = IndexBuilder::new();
    builder.add(&batch).unwrap();
    let ts = column::<TimestampNanosecondArray>(&batch, "ts").unwrap();
    let labels = str_column(&batch, "labels").unwrap();
    for s in &builder.series {
        for row in s.first_row..s.first_row + s.rows {
            assert_eq!(labels.value(row as usize), s.labels);
        }
        let first = s.first_row as usize;
        assert_eq!(ts.value(first), s.min_ts());
        assert_eq!(ts.value(first + s.rows as usize - 1), s.max_ts);
    }
    let total: u64 = builder.series.iter().map(|s| s.rows).sum();
    assert_eq!((builder.series.len(), total), (3, 700));
}
