//! Parquet parts: sorted, ZSTD-compressed, one directory per table and day.
//!
//! Layout: `<data>/parts/<table>/date=<YYYY-MM-DD>/<name>.parquet` — Hive-style, so any Parquet
//! tool can read a day directly. Files are written to a temporary name, fsynced and renamed, so a
//! part is either complete or absent.

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::{BuildHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Int8Array, Int64Array, RecordBatch, TimestampNanosecondArray};
use datafusion::arrow::compute::interleave_record_batch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::{Compression, Encoding, ZstdLevel};
use datafusion::parquet::file::metadata::SortingColumn;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::schema::types::ColumnPath;

use crate::catalog::{ENCODED_VALUES_FORMAT, PartMeta};
use crate::flush_order::{SORTED_CHUNK_ROWS, sort_for_parts};
use crate::log_index::{self, LineIndexBuilder};
use crate::rollups::FlushRollup;
use crate::schema::{Table, column, day_of};
use crate::series_index::{IndexBuilder, index_path};
use crate::series_rows::{SeriesRows, dictionary_batch};
use crate::value_codec;
use crate::{Result, StorageError};

fn day_name(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("day{day}"))
}

/// Relative directory of a table's day partition.
pub(crate) fn partition_dir(table: Table, day: i64) -> String {
    format!("parts/{}/date={}", table.name(), day_name(day))
}

fn writer_properties(table: Table, rows: usize) -> WriterProperties {
    let sort = table
        .sort_columns()
        .iter()
        .filter_map(|name| table.schema().index_of(name).ok())
        .map(|column_idx| SortingColumn {
            column_idx: column_idx as i32,
            descending: false,
            nulls_first: false,
        })
        .collect();
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
        .set_dictionary_enabled(true)
        // Page statistics also write the column and offset indexes: with them a scan given row
        // ranges by a part's series index skips the pages it does not need (default pages of
        // at most 20,000 rows; smaller ones made the benchmark's parts 20–80 % larger).
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_sorting_columns(Some(sort))
        // Timestamps of a sorted series are near-regular: delta encoding shrinks them to a few
        // bits each, where a dictionary would not help.
        .set_column_dictionary_enabled(ColumnPath::from(table.time_column()), false)
        .set_column_encoding(
            ColumnPath::from(table.time_column()),
            Encoding::DELTA_BINARY_PACKED,
        );
    if matches!(
        table,
        Table::Metrics | Table::Exemplars | Table::MetricsHourly
    ) {
        // Labels are matched with `LIKE '%"k":"v"%'`, which min/max statistics can never prune;
        // computing them compared every row's labels twice.
        builder = builder
            .set_column_statistics_enabled(ColumnPath::from("labels"), EnabledStatistics::None);
    }
    if table == Table::Metrics {
        // Values are decimal mantissas (`value_codec`): a series' consecutive mantissas differ
        // by small integers, which delta encoding packs into a few bits each.
        let mantissa = ColumnPath::from(value_codec::MANTISSA);
        builder = builder
            .set_column_dictionary_enabled(mantissa.clone(), false)
            .set_column_encoding(mantissa, Encoding::DELTA_BINARY_PACKED);
        // The columns PromQL's reads decode (`series_samples`) are compressed with LZ4: they are
        // bit-packed already, and the `parquet` crate makes a zstd codec (a compression and a
        // decompression context) for every column chunk it reads, which cost a one-series
        // read more than decoding its pages.
        for name in [
            table.time_column(),
            value_codec::MANTISSA,
            value_codec::SCALE,
        ] {
            builder = builder.set_column_compression(ColumnPath::from(name), Compression::LZ4_RAW);
        }
    }
    if table == Table::Spans {
        // Trace ids are random, so min/max statistics cannot skip anything when a trace is
        // looked up by id; a bloom filter (sized for this part, 1% false positives) can.
        let trace_id = ColumnPath::from("trace_id");
        builder = builder
            .set_column_dictionary_enabled(trace_id.clone(), false)
            .set_column_bloom_filter_enabled(trace_id.clone(), true)
            .set_column_bloom_filter_fpp(trace_id.clone(), 0.01)
            .set_column_bloom_filter_max_ndv(trace_id, rows.max(1) as u64);
    }
    builder.build()
}

/// Where one row is: (batch, row in batch), as `interleave_record_batch` takes it.
type RowAt = (usize, usize);

/// The parts of a row's sort key, hashed as one value.
struct KeyParts<I>(I);

impl<'a, I: Iterator<Item = &'a str> + Clone> Hash for KeyParts<I> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for part in self.0.clone() {
            part.hash(state);
        }
    }
}

/// The rows of `batches` in the table's sort order (key columns, then `ts`), grouped by day.
/// With `one_per_timestamp`, of rows with equal key columns and `ts` only the last is kept —
/// the one of the last batch, and of its rows the last — so batches given oldest first keep the
/// newest write.
fn sorted_rows_by_day(
    table: Table,
    batches: &[RecordBatch],
    one_per_timestamp: bool,
) -> Result<BTreeMap<i64, Vec<RowAt>>> {
    // A part's rows come from few groups (series, or service and level) that recur thousands of
    // times each. So the groups are numbered by hashing, only the distinct groups are compared
    // as strings, and rows are sorted by (group rank, ts): integer comparisons. Comparing the
    // strings of every row pair (even as one memcmp in Arrow's row format) was most of a
    // flush's time.
    let (ts_name, key_names) = table
        .sort_columns()
        .split_last()
        .ok_or_else(|| StorageError::Encoding("a table without sort columns".into()))?;
    let mut keys = Vec::with_capacity(batches.len());
    let mut times = Vec::with_capacity(batches.len());
    for batch in batches {
        keys.push(
            key_names
                .iter()
                .map(|name| crate::schema::str_column(batch, name))
                .collect::<Result<Vec<_>>>()?,
        );
        times.push(column::<TimestampNanosecondArray>(batch, ts_name)?);
    }
    let key_of = |(b, r): RowAt| keys[b].iter().map(move |k| k.value(r));
    // The first row of each group, and each row's (group, ts, position). foldhash rather than
    // SipHash: grouping needs no protection against crafted collisions (equal hashes are
    // compared as strings), and hashing every row's key was a share of each flush.
    let hashing = foldhash::fast::FixedState::default();
    let mut firsts: Vec<RowAt> = Vec::new();
    let mut by_hash: foldhash::HashMap<u64, Vec<u32>> = foldhash::HashMap::default();
    // Sized up front: growing vectors of a flush's millions of rows was a tenth of its time
    // (copies, and the kernel zeroing every larger buffer).
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    // (group, then the sort key), ts, batch, row: positions fit in 32 bits (a batch is one
    // request, a flush far fewer than 2^32 batches).
    let mut rows: Vec<(u64, i64, u32, u32)> = Vec::with_capacity(total);
    let mut first_day = i64::MAX;
    for (b, batch) in batches.iter().enumerate() {
        for r in 0..batch.num_rows() {
            let hash = hashing.hash_one(KeyParts(key_of((b, r))));
            let candidates = by_hash.entry(hash).or_default();
            let found = candidates
                .iter()
                .find(|g| key_of(firsts[**g as usize]).eq(key_of((b, r))));
            let group = match found {
                Some(group) => *group,
                None => {
                    let group = firsts.len() as u32;
                    firsts.push((b, r));
                    candidates.push(group);
                    group
                }
            };
            let ts = times[b].value(r);
            first_day = first_day.min(day_of(ts));
            rows.push((u64::from(group), ts, b as u32, r as u32));
        }
    }
    let mut groups: Vec<u32> = (0..firsts.len() as u32).collect();
    groups.sort_unstable_by(|a, b| key_of(firsts[*a as usize]).cmp(key_of(firsts[*b as usize])));
    let mut rank = vec![0u32; groups.len()];
    for (position, group) in groups.iter().enumerate() {
        rank[*group as usize] = position as u32;
    }
    // One integer per row for (day, group rank), so the sort compares plain tuples instead of
    // dividing timestamps into days and looking ranks up at every comparison. Days of one flush
    // lie within the accepted time window, far fewer than 2^32 apart.
    for row in &mut rows {
        let day = (day_of(row.1) - first_day) as u64;
        row.0 = (day << 32) | u64::from(rank[row.0 as usize]);
    }
    rows.sort_unstable();
    if one_per_timestamp {
        // Equal (day and group, ts) are adjacent, ordered by (batch, row): keep the last.
        rows.dedup_by(|later, kept| {
            let same = (later.0, later.1) == (kept.0, kept.1);
            if same {
                *kept = *later;
            }
            same
        });
    }
    let mut by_day: BTreeMap<i64, Vec<RowAt>> = BTreeMap::new();
    for day_rows in rows.chunk_by(|a, b| a.0 >> 32 == b.0 >> 32) {
        by_day.insert(
            first_day + (day_rows[0].0 >> 32) as i64,
            day_rows
                .iter()
                .map(|(_, _, b, r)| (*b as usize, *r as usize))
                .collect(),
        );
    }
    Ok(by_day)
}

/// Sorts `batch` as parts are written: by day, then the table's sort order.
#[cfg(test)]
pub(crate) fn sort_batch(table: Table, batch: &RecordBatch) -> Result<RecordBatch> {
    let order: Vec<RowAt> = sorted_rows_by_day(table, std::slice::from_ref(batch), false)?
        .into_values()
        .flatten()
        .collect();
    Ok(interleave_record_batch(&[batch], &order)?)
}

/// Writes `batches` as one part per day they touch, named `<name>.parquet` in each day's
/// directory. Returns the catalog entries (not yet committed). Metrics keep one row per series
/// and timestamp: the last, so batches must come oldest first (compaction reads its inputs in
/// write order).
pub(crate) fn write_parts(
    data_dir: &Path,
    table: Table,
    batches: &[RecordBatch],
    name: &str,
) -> Result<Vec<PartMeta>> {
    let sources: Vec<&RecordBatch> = batches.iter().collect();
    let mut written = Vec::new();
    for (day, rows) in sorted_rows_by_day(table, batches, table == Table::Metrics)? {
        let format = match table {
            Table::Metrics => ENCODED_VALUES_FORMAT,
            _ => 1,
        };
        let mut part = PartFile::create(data_dir, table, day, name, rows.len(), format)?;
        // Sorted rows are copied out of the buffered batches a slice at a time: one day's
        // worth at once was hundreds of megabytes of fresh memory per flush, and the kernel's
        // zeroing of it a fifth of the server's time under load.
        for slice in rows.chunks(FLUSH_SLICE_ROWS) {
            let sorted = interleave_record_batch(&sources, slice)?;
            match table {
                Table::Metrics => part.write(&value_codec::encode_metrics(&sorted)?)?,
                _ => part.write(&sorted)?,
            }
        }
        written.push(part.finish()?);
    }
    Ok(written)
}

/// Writes frozen metric rows as one part per day they touch. The series columns reach the
/// Parquet writer as dictionaries over the flush's series, so no series string is copied per
/// row; the writer stores them as it stores plain strings (dictionary pages). With `rollup`,
/// every row written is also rolled up, in the order written (one sample per series and
/// timestamp), and the parts are marked as rolled up.
pub(crate) fn write_series_parts(
    data_dir: &Path,
    generations: &[&SeriesRows],
    name: &str,
    mut rollup: Option<&mut FlushRollup>,
) -> Result<Vec<PartMeta>> {
    let sorted = sort_for_parts(generations)?;
    let table = Table::Metrics;
    let mut written = Vec::new();
    for (day, rows) in sorted.days() {
        let mut part = PartFile::create(data_dir, table, day, name, rows, ENCODED_VALUES_FORMAT)?;
        sorted.write_day(day, SORTED_CHUNK_ROWS, FLUSH_SLICE_ROWS, |slice| {
            if let Some(rollup) = rollup.as_deref_mut() {
                let started = std::time::Instant::now();
                rollup.add(&sorted.keys, &slice)?;
                rollup.spent += started.elapsed();
            }
            let (mantissas, scales) = value_codec::encode(&slice.values, &slice.runs);
            let batch = dictionary_batch(
                &value_codec::ENCODED_DICTIONARY_SCHEMA,
                &sorted.keys,
                slice.ids,
                vec![
                    Arc::new(TimestampNanosecondArray::from(slice.ts).with_timezone("UTC")),
                    Arc::new(Int64Array::from(mantissas)),
                    Arc::new(Int8Array::from(scales)),
                ],
            )?;
            part.write(&batch)
        })?;
        written.push(PartMeta {
            rollups: rollup.is_some(),
            ..part.finish()?
        });
    }
    Ok(written)
}

/// Rows copied into sorted order at a time while writing a part.
const FLUSH_SLICE_ROWS: usize = 64 * 1024;

/// A part being written: a temporary file renamed into place, durably, by [`PartFile::finish`],
/// which returns its catalog entry.
pub(crate) struct PartFile {
    writer: Option<ArrowWriter<File>>,
    temporary: std::path::PathBuf,
    path: std::path::PathBuf,
    table: Table,
    /// The catalog entry so far: rows and time range grow with each write.
    meta: PartMeta,
    /// Rows expected, for sizing the part's bloom filters.
    expected_rows: usize,
    /// The series index being built (metrics parts).
    index: Option<IndexBuilder>,
    /// The line index being built (logs parts).
    line_index: Option<LineIndexBuilder>,
}

impl PartFile {
    /// Starts part `<name>.parquet` of `table`'s partition for `day`, of about `rows` rows,
    /// stored in `format`.
    pub(crate) fn create(
        data_dir: &Path,
        table: Table,
        day: i64,
        name: &str,
        rows: usize,
        format: u32,
    ) -> Result<PartFile> {
        let relative = format!("{}/{name}.parquet", partition_dir(table, day));
        let path = data_dir.join(&relative);
        let dir = path
            .parent()
            .ok_or_else(|| StorageError::Encoding("part path has no parent".into()))?;
        std::fs::create_dir_all(dir).map_err(StorageError::io(dir.display()))?;
        Ok(PartFile {
            writer: None,
            temporary: path.with_extension("parquet.tmp"),
            path,
            table,
            meta: PartMeta {
                table: table.name().to_string(),
                day,
                path: relative,
                rows: 0,
                bytes: 0,
                min_ts: i64::MAX,
                max_ts: i64::MIN,
                format,
                seq: 0,
                series_index: false,
                line_index: false,
                rollups: false,
            },
            expected_rows: rows,
            index: (table == Table::Metrics).then(IndexBuilder::new),
            line_index: (table == Table::Logs)
                .then(|| LineIndexBuilder::new(log_index::BLOCK_ROWS)),
        })
    }

    /// Appends rows (in the part's on-disk schema, with its `ts` column).
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        for ts in column::<TimestampNanosecondArray>(batch, self.table.time_column())?
            .values()
            .iter()
        {
            self.meta.min_ts = self.meta.min_ts.min(*ts);
            self.meta.max_ts = self.meta.max_ts.max(*ts);
        }
        self.meta.rows += batch.num_rows() as u64;
        if let Some(index) = &mut self.index {
            index.add(batch)?;
        }
        if let Some(index) = &mut self.line_index {
            index.add(batch)?;
        }
        if self.writer.is_none() {
            let file = File::create(&self.temporary)
                .map_err(StorageError::io(self.temporary.display()))?;
            self.writer = Some(ArrowWriter::try_new(
                file,
                batch.schema(),
                Some(writer_properties(self.table, self.expected_rows)),
            )?);
        }
        if let Some(writer) = &mut self.writer {
            writer.write(batch)?;
        }
        Ok(())
    }

    /// Closes, fsyncs and renames the file into place; returns its catalog entry (not yet
    /// committed).
    pub(crate) fn finish(self) -> Result<PartMeta> {
        let writer = self
            .writer
            .ok_or_else(|| StorageError::Encoding("a part without rows".into()))?;
        let file = writer.into_inner()?;
        file.sync_all()
            .map_err(StorageError::io(self.temporary.display()))?;
        let bytes = file
            .metadata()
            .map_err(StorageError::io(self.temporary.display()))?
            .len();
        // The index is in place before the part: a part renamed into place has its index (the
        // catalog lists neither until the caller commits).
        let series_index = match self.index {
            Some(index) => index.write(&self.path)?,
            None => false,
        };
        let line_index = match self.line_index {
            Some(index) => {
                index.write(&self.path)?;
                true
            }
            None => false,
        };
        std::fs::rename(&self.temporary, &self.path)
            .map_err(StorageError::io(self.path.display()))?;
        let dir = self
            .path
            .parent()
            .ok_or_else(|| StorageError::Encoding("part path has no parent".into()))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(StorageError::io(dir.display()))?;
        Ok(PartMeta {
            bytes,
            series_index,
            line_index,
            ..self.meta
        })
    }
}

/// Writes one batch as part `<name>.parquet` of `day` in `format` (tests write old-format parts
/// with it).
#[cfg(test)]
pub(crate) fn write_file(
    data_dir: &Path,
    table: Table,
    day: i64,
    name: &str,
    batch: &RecordBatch,
    format: u32,
) -> Result<PartMeta> {
    let mut part = PartFile::create(data_dir, table, day, name, batch.num_rows(), format)?;
    part.write(batch)?;
    part.finish()
}

/// Reads a whole part back for compaction, whatever its format: in its table's schema, except
/// that metrics keep their series columns as dictionaries (see
/// [`value_codec::metrics_with_dictionaries`]).
pub(crate) fn read_part_for_compaction(path: &Path, table: Table) -> Result<Vec<RecordBatch>> {
    let file = File::open(path).map_err(StorageError::io(path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?
        .with_batch_size(64 * 1024)
        .build()?;
    let mut batches = Vec::new();
    for batch in reader {
        let batch = batch?;
        batches.push(match table {
            Table::Metrics => value_codec::metrics_with_dictionaries(&batch)?,
            _ if value_codec::is_encoded(&batch) => value_codec::decode_metrics(&batch)?,
            // Parts written before a nullable column was added.
            _ => crate::schema::with_missing_columns(batch, table)?,
        });
    }
    Ok(batches)
}

/// The index files a part may have beside it (series index, line index).
fn sidecars(relative: &str) -> [String; 2] {
    [index_path(relative), log_index::index_path(relative)]
}

/// Deletes a part file, its index if it has one and, if it was the last part, its day
/// directory.
pub(crate) fn delete_part(data_dir: &Path, relative: &str) {
    let path = data_dir.join(relative);
    let [series, lines] = sidecars(relative);
    for file in [data_dir.join(series), data_dir.join(lines), path.clone()] {
        if let Err(e) = std::fs::remove_file(&file)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %file.display(), error = %e, "cannot delete part file");
        }
    }
    if let Some(dir) = path.parent() {
        // Fails harmlessly while the directory still holds other parts.
        let _ = std::fs::remove_dir(dir);
    }
}

/// Part files on disk that the catalog does not list: leftovers of an interrupted flush or
/// compaction (including `.tmp` files, and series indexes of parts not listed).
pub(crate) fn orphans(data_dir: &Path, known: &[PartMeta]) -> Vec<String> {
    let known: std::collections::HashSet<String> = known
        .iter()
        .flat_map(|p| {
            let [series, lines] = sidecars(&p.path);
            [p.path.clone(), series, lines]
        })
        .collect();
    let mut found = Vec::new();
    for table in Table::ALL {
        let table_dir = data_dir.join("parts").join(table.name());
        let Ok(days) = std::fs::read_dir(&table_dir) else {
            continue;
        };
        for day in days.flatten() {
            let Ok(files) = std::fs::read_dir(day.path()) else {
                continue;
            };
            for file in files.flatten() {
                let relative = format!(
                    "parts/{}/{}/{}",
                    table.name(),
                    day.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                );
                if !known.contains(relative.as_str()) {
                    found.push(relative);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::{Labels, MetricPoint};

    use super::*;
    use crate::schema::{metrics_batch, metrics_from_batches};

    #[test]
    fn sorts_by_series_then_time() {
        let point = |service: &str, metric: &str, env: &str, ts_ns: i64| MetricPoint {
            tenant: "t".into(),
            service: service.into(),
            metric: metric.into(),
            labels: Labels::from([("env".to_string(), env.to_string())]),
            ts_ns,
            value: ts_ns as f64,
        };
        let batch = metrics_batch(&[
            point("b", "m", "x", 1),
            point("a", "n", "x", 5),
            point("a", "m", "y", 4),
            point("a", "m", "x", 3),
            point("a", "m", "x", 2),
        ])
        .unwrap();
        let sorted = metrics_from_batches(&[sort_batch(Table::Metrics, &batch).unwrap()]).unwrap();
        let order: Vec<i64> = sorted.iter().map(|p| p.ts_ns).collect();
        assert_eq!(order, vec![2, 3, 4, 5, 1]);
    }

    proptest::proptest! {
        /// The grouped sort orders rows exactly as comparing the day, every key column and then
        /// the time would (ties keep their input order).
        #[test]
        fn sorts_like_a_full_comparison(
            rows in proptest::collection::vec(
                (0usize..3, 0usize..3, 0usize..4, -5i64..5),
                0..200,
            ),
        ) {
            let names = ["a", "b", "ab"];
            let points: Vec<MetricPoint> = rows
                .iter()
                .enumerate()
                .map(|(i, (service, metric, env, ts))| MetricPoint {
                    tenant: "t".into(),
                    service: names[*service].into(),
                    metric: names[*metric].into(),
                    labels: Labels::from([("env".to_string(), env.to_string())]),
                    ts_ns: *ts,
                    value: i as f64,
                })
                .collect();
            let batch = metrics_batch(&points).unwrap();
            let sorted = metrics_from_batches(&[sort_batch(Table::Metrics, &batch).unwrap()]).unwrap();
            let mut expected = points.clone();
            let key = |p: &MetricPoint| {
                (day_of(p.ts_ns), p.service.clone(), p.metric.clone(), crate::schema::labels_json(&p.labels), p.ts_ns)
            };
            expected.sort_by_key(key);
            proptest::prop_assert_eq!(sorted, expected);
        }
    }
}
