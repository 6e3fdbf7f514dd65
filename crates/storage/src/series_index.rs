//! The series index of a metrics part: for each series (tenant, service, metric, labels) the
//! range of rows it holds and the times of every [`MARK_ROWS`]-th of them, so a scan decides
//! which series it wants once per series — not once per row — and reads only their rows, and of
//! those only about the time range asked (Parquet row selection, `scan.rs`).
//!
//! A part's rows are sorted by series, then time, so each series is one run of rows, in time
//! order. The index is built while the part is written ([`IndexBuilder`], fed every batch in
//! order) and stored beside it as `<part>.series` (a small Parquet file: its strings
//! dictionary-encoded, its numbers delta-encoded) — not in the part's footer, which every reader
//! of the part would parse, nor in the catalog, whose commit a flush makes under the buffer lock.
//! It is written before the part is renamed into place and before the catalog lists the part
//! (which records that it has one, `PartMeta::series_index`), and deleted with the part.
//!
//! Parts written before the index existed, or whose index cannot be read, are read whole: the
//! index only ever narrows what is read, and the scan's filters still run on every row read.

use std::collections::HashMap;
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    ArrayRef, AsArray, Int64Array, Int64Builder, ListArray, ListBuilder, RecordBatch, StringArray,
    TimestampNanosecondArray, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema, SchemaRef};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;

use crate::schema::{StrColumn, column, str_column};
use crate::series_rows::KEY_COLUMNS;
use crate::{Result, StorageError};

/// Every this many rows of a series, the index records the row's time: a scan of part of a
/// series' time reads at most this many rows too many at each end. 256 rows are about an hour
/// of a series scraped every 15 s; the marks cost 8 bytes per 256 rows before compression.
pub(crate) const MARK_ROWS: u64 = 256;

/// The index file's path for a part's (relative or absolute) path.
pub(crate) fn index_path(part: &str) -> String {
    match part.strip_suffix(".parquet") {
        Some(stem) => format!("{stem}.series"),
        None => format!("{part}.series"),
    }
}

/// One series of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexedSeries {
    /// The series' key, as the part stores it.
    pub tenant: String,
    pub service: String,
    pub metric: String,
    /// The labels' JSON text.
    pub labels: String,
    /// The part's row where the series' rows start.
    pub first_row: u64,
    /// How many rows it has (at least one).
    pub rows: u64,
    /// The times of its rows 0, [`MARK_ROWS`], 2·[`MARK_ROWS`], … (so `marks[0]` is its first).
    pub marks: Vec<i64>,
    /// The time of its last row.
    pub max_ts: i64,
}

impl IndexedSeries {
    /// The series' first time.
    pub(crate) fn min_ts(&self) -> i64 {
        self.marks.first().copied().unwrap_or(i64::MIN)
    }

    /// The part's rows of this series that may lie in `since..until` (rows are in time order
    /// within a series): a superset, trimmed to mark granularity; empty when none can.
    pub(crate) fn rows_in(&self, since: i64, until: i64) -> Range<u64> {
        if self.max_ts < since || self.min_ts() >= until {
            return self.first_row..self.first_row;
        }
        // Rows before mark `lo` are no later than `marks[lo] < since`; rows from mark `hi` on
        // are no earlier than `marks[hi] >= until`.
        let lo = self
            .marks
            .partition_point(|ts| *ts < since)
            .saturating_sub(1) as u64;
        let hi = self.marks.partition_point(|ts| *ts < until) as u64;
        let start = (lo * MARK_ROWS).min(self.rows);
        let end = (hi * MARK_ROWS).min(self.rows);
        self.first_row + start..self.first_row + end
    }
}

/// The series index of one part.
#[derive(Debug, Default)]
pub(crate) struct PartIndex {
    /// The series in row order.
    pub series: Vec<IndexedSeries>,
    /// Positions in `series` by metric name: scans name their metric almost always.
    by_metric: HashMap<String, Vec<u32>>,
}

impl PartIndex {
    fn new(series: Vec<IndexedSeries>) -> PartIndex {
        let mut by_metric: HashMap<String, Vec<u32>> = HashMap::new();
        for (at, s) in series.iter().enumerate() {
            by_metric
                .entry(s.metric.clone())
                .or_default()
                .push(at as u32);
        }
        PartIndex { series, by_metric }
    }

    /// The series that may have metric `metric`, or every series for `None`.
    pub(crate) fn candidates<'a>(
        &'a self,
        metrics: Option<&'a [String]>,
    ) -> Box<dyn Iterator<Item = &'a IndexedSeries> + 'a> {
        match metrics {
            None => Box::new(self.series.iter()),
            Some(names) => Box::new(
                names
                    .iter()
                    .filter_map(|name| self.by_metric.get(name))
                    .flatten()
                    .map(|at| &self.series[*at as usize]),
            ),
        }
    }

    /// Reads the index of the part at `part` (an absolute path), checking it against the part's
    /// row count.
    pub(crate) fn read(part: &Path, part_rows: u64) -> Result<PartIndex> {
        let path = PathBuf::from(index_path(&part.to_string_lossy()));
        let file = File::open(&path).map_err(StorageError::io(path.display()))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)?.build()?;
        let mut series = Vec::new();
        for batch in reader {
            let batch = batch?;
            let text = |name: &str| -> Result<&StringArray> { column::<StringArray>(&batch, name) };
            let (tenant, service, metric, labels) = (
                text("tenant")?,
                text("service")?,
                text("metric")?,
                text("labels")?,
            );
            let first_row = column::<UInt64Array>(&batch, "first_row")?;
            let rows = column::<UInt64Array>(&batch, "rows")?;
            let max_ts = column::<Int64Array>(&batch, "max_ts")?;
            let marks = column::<ListArray>(&batch, "marks")?;
            for row in 0..batch.num_rows() {
                let row_marks = marks.value(row);
                let row_marks: &Int64Array = row_marks.as_primitive::<Int64Type>();
                let entry = IndexedSeries {
                    tenant: tenant.value(row).to_string(),
                    service: service.value(row).to_string(),
                    metric: metric.value(row).to_string(),
                    labels: labels.value(row).to_string(),
                    first_row: first_row.value(row),
                    rows: rows.value(row),
                    marks: row_marks.values().to_vec(),
                    max_ts: max_ts.value(row),
                };
                let expected_marks = entry.rows.div_ceil(MARK_ROWS);
                if entry.rows == 0
                    || entry.marks.len() as u64 != expected_marks
                    || entry.first_row.saturating_add(entry.rows) > part_rows
                {
                    return Err(StorageError::Encoding(format!(
                        "series index {} does not fit its part",
                        path.display()
                    )));
                }
                series.push(entry);
            }
        }
        Ok(PartIndex::new(series))
    }
}

/// The index file's schema.
static INDEX_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut fields: Vec<Field> = KEY_COLUMNS
        .iter()
        .map(|name| Field::new(*name, DataType::Utf8, false))
        .collect();
    fields.push(Field::new("first_row", DataType::UInt64, false));
    fields.push(Field::new("rows", DataType::UInt64, false));
    fields.push(Field::new("max_ts", DataType::Int64, false));
    fields.push(Field::new(
        "marks",
        DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true))),
        false,
    ));
    Arc::new(Schema::new(fields))
});

/// Builds a part's index from its rows, fed in the order they are written.
#[derive(Debug, Default)]
pub(crate) struct IndexBuilder {
    series: Vec<IndexedSeries>,
    rows: u64,
    /// False once a series' rows were seen out of time order (not a sorted part): such a part
    /// gets no index.
    ordered: bool,
}

impl IndexBuilder {
    /// A builder for an empty part.
    pub(crate) fn new() -> IndexBuilder {
        IndexBuilder {
            ordered: true,
            ..IndexBuilder::default()
        }
    }

    /// Adds the next rows of the part (series columns as strings or dictionaries, and `ts`).
    pub(crate) fn add(&mut self, batch: &RecordBatch) -> Result<()> {
        let keys = KEY_COLUMNS
            .iter()
            .map(|name| str_column(batch, name))
            .collect::<Result<Vec<StrColumn<'_>>>>()?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?.values();
        for row in 0..batch.num_rows() {
            let continues = match self.series.last() {
                None => false,
                Some(_) if row > 0 => keys.iter().all(|k| k.same(row - 1, row)),
                Some(last) => {
                    let key = [&last.tenant, &last.service, &last.metric, &last.labels];
                    keys.iter()
                        .zip(key)
                        .all(|(k, v)| k.value(row) == v.as_str())
                }
            };
            let at = self.rows + row as u64;
            match self.series.last_mut() {
                Some(series) if continues => {
                    if ts[row] < series.max_ts {
                        self.ordered = false;
                    }
                    if series.rows % MARK_ROWS == 0 {
                        series.marks.push(ts[row]);
                    }
                    series.rows += 1;
                    series.max_ts = ts[row];
                }
                _ => self.series.push(IndexedSeries {
                    tenant: keys[0].value(row).to_string(),
                    service: keys[1].value(row).to_string(),
                    metric: keys[2].value(row).to_string(),
                    labels: keys[3].value(row).to_string(),
                    first_row: at,
                    rows: 1,
                    marks: vec![ts[row]],
                    max_ts: ts[row],
                }),
            }
        }
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    /// Writes the index for the part at `part` (absolute path, not yet renamed into place):
    /// to a temporary file, fsynced, then renamed. Returns whether an index was written (none
    /// for a part whose series' rows are not in time order).
    pub(crate) fn write(self, part: &Path) -> Result<bool> {
        if !self.ordered {
            return Ok(false);
        }
        let path = PathBuf::from(index_path(&part.to_string_lossy()));
        let temporary = path.with_extension("series.tmp");
        let strings = |get: fn(&IndexedSeries) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(self.series.iter().map(get)))
        };
        let mut marks = ListBuilder::new(Int64Builder::new());
        for series in &self.series {
            marks.values().append_slice(&series.marks);
            marks.append(true);
        }
        let columns: Vec<ArrayRef> = vec![
            strings(|s| &s.tenant),
            strings(|s| &s.service),
            strings(|s| &s.metric),
            strings(|s| &s.labels),
            Arc::new(UInt64Array::from_iter_values(
                self.series.iter().map(|s| s.first_row),
            )),
            Arc::new(UInt64Array::from_iter_values(
                self.series.iter().map(|s| s.rows),
            )),
            Arc::new(Int64Array::from_iter_values(
                self.series.iter().map(|s| s.max_ts),
            )),
            Arc::new(marks.finish()),
        ];
        let batch = RecordBatch::try_new(INDEX_SCHEMA.clone(), columns)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
            .build();
        let file = File::create(&temporary).map_err(StorageError::io(temporary.display()))?;
        let mut writer = ArrowWriter::try_new(file, INDEX_SCHEMA.clone(), Some(properties))?;
        writer.write(&batch)?;
        let file = writer.into_inner()?;
        file.sync_all()
            .map_err(StorageError::io(temporary.display()))?;
        std::fs::rename(&temporary, &path).map_err(StorageError::io(path.display()))?;
        Ok(true)
    }
}

/// Row ranges (sorted, disjoint) of a part: which rows a scan reads.
pub(crate) type RowRanges = Vec<Range<u64>>;

/// `ranges` sorted, without empty ones, and those that overlap or touch merged.
pub(crate) fn merge_ranges(mut ranges: RowRanges) -> RowRanges {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_unstable_by_key(|r| r.start);
    let mut merged: RowRanges = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests;
