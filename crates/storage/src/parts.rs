//! Parquet parts: sorted, ZSTD-compressed, one directory per table and day.
//!
//! Layout: `<data>/parts/<table>/date=<YYYY-MM-DD>/<name>.parquet` — Hive-style, so any Parquet
//! tool can read a day directly. Files are written to a temporary name, fsynced and renamed, so a
//! part is either complete or absent.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use datafusion::arrow::array::{RecordBatch, TimestampNanosecondArray, UInt32Array};
use datafusion::arrow::compute::{concat_batches, take_record_batch};
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::{Compression, Encoding, ZstdLevel};
use datafusion::parquet::file::metadata::SortingColumn;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::schema::types::ColumnPath;

use crate::catalog::{ENCODED_VALUES_FORMAT, PartMeta};
use crate::schema::{Table, column};
use crate::value_codec;
use crate::{Result, StorageError};

const NANOS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// Days since the epoch of a nanosecond timestamp.
pub(crate) fn day_of(ts_ns: i64) -> i64 {
    ts_ns.div_euclid(NANOS_PER_DAY)
}

/// The first nanosecond of a day.
pub(crate) fn day_start(day: i64) -> i64 {
    day.saturating_mul(NANOS_PER_DAY)
}

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
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_sorting_columns(Some(sort))
        // Timestamps of a sorted series are near-regular: delta encoding shrinks them to a few
        // bits each, where a dictionary would not help.
        .set_column_dictionary_enabled(ColumnPath::from("ts"), false)
        .set_column_encoding(ColumnPath::from("ts"), Encoding::DELTA_BINARY_PACKED);
    if table == Table::Metrics {
        // Values are decimal mantissas (`value_codec`): a series' consecutive mantissas differ
        // by small integers, which delta encoding packs into a few bits each.
        let mantissa = ColumnPath::from(value_codec::MANTISSA);
        builder = builder
            .set_column_dictionary_enabled(mantissa.clone(), false)
            .set_column_encoding(mantissa, Encoding::DELTA_BINARY_PACKED);
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

/// Sorts `batch` by the table's sort order.
pub(crate) fn sort_batch(table: Table, batch: &RecordBatch) -> Result<RecordBatch> {
    // The row format turns the sort key into one byte string per row, so each comparison is a
    // single memcmp instead of a walk over four string columns (lexsort_to_indices spent most
    // of a flush there).
    let columns: Vec<_> = table
        .sort_columns()
        .iter()
        .filter_map(|name| batch.column_by_name(name).cloned())
        .collect();
    let fields = columns
        .iter()
        .map(|c| SortField::new(c.data_type().clone()))
        .collect();
    let converter = RowConverter::new(fields)?;
    let rows = converter.convert_columns(&columns)?;
    let mut order: Vec<u32> = (0..batch.num_rows() as u32).collect();
    order.sort_unstable_by(|a, b| {
        rows.row(*a as usize)
            .cmp(&rows.row(*b as usize))
            .then(a.cmp(b))
    });
    Ok(take_record_batch(batch, &UInt32Array::from(order))?)
}

/// Writes `batches` as one part per day they touch, named `<name>.parquet` in each day's
/// directory. Returns the catalog entries (not yet committed).
pub(crate) fn write_parts(
    data_dir: &Path,
    table: Table,
    batches: &[RecordBatch],
    name: &str,
) -> Result<Vec<PartMeta>> {
    let all = concat_batches(&table.schema(), batches)?;
    if all.num_rows() == 0 {
        return Ok(Vec::new());
    }
    let ts = column::<TimestampNanosecondArray>(&all, "ts")?;
    let mut rows_by_day: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
    for (row, value) in ts.values().iter().enumerate() {
        rows_by_day
            .entry(day_of(*value))
            .or_default()
            .push(row as u32);
    }
    let mut written = Vec::new();
    for (day, rows) in rows_by_day {
        let day_rows = take_record_batch(&all, &UInt32Array::from(rows))?;
        let sorted = sort_batch(table, &day_rows)?;
        let (on_disk, format) = match table {
            Table::Metrics => (value_codec::encode_metrics(&sorted)?, ENCODED_VALUES_FORMAT),
            _ => (sorted.clone(), 1),
        };
        let relative = format!("{}/{name}.parquet", partition_dir(table, day));
        let bytes = write_file(&data_dir.join(&relative), table, &on_disk)?;
        let day_ts = column::<TimestampNanosecondArray>(&sorted, "ts")?;
        written.push(PartMeta {
            table: table.name().to_string(),
            day,
            path: relative,
            rows: sorted.num_rows() as u64,
            bytes,
            min_ts: day_ts.values().iter().copied().min().unwrap_or(0),
            max_ts: day_ts.values().iter().copied().max().unwrap_or(0),
            format,
        });
    }
    Ok(written)
}

pub(crate) fn write_file(path: &Path, table: Table, batch: &RecordBatch) -> Result<u64> {
    let dir = path
        .parent()
        .ok_or_else(|| StorageError::Encoding("part path has no parent".into()))?;
    std::fs::create_dir_all(dir).map_err(StorageError::io(dir.display()))?;
    let temporary = path.with_extension("parquet.tmp");
    let file = File::create(&temporary).map_err(StorageError::io(temporary.display()))?;
    let mut writer = ArrowWriter::try_new(
        file,
        batch.schema(),
        Some(writer_properties(table, batch.num_rows())),
    )?;
    writer.write(batch)?;
    let file = writer.into_inner()?;
    file.sync_all()
        .map_err(StorageError::io(temporary.display()))?;
    let bytes = file
        .metadata()
        .map_err(StorageError::io(temporary.display()))?
        .len();
    std::fs::rename(&temporary, path).map_err(StorageError::io(path.display()))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StorageError::io(dir.display()))?;
    Ok(bytes)
}

/// Reads a whole part back in its table's schema (for compaction), whatever its format.
pub(crate) fn read_part(path: &Path) -> Result<Vec<RecordBatch>> {
    let file = File::open(path).map_err(StorageError::io(path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?
        .with_batch_size(64 * 1024)
        .build()?;
    let mut batches = Vec::new();
    for batch in reader {
        let batch = batch?;
        batches.push(if value_codec::is_encoded(&batch) {
            value_codec::decode_metrics(&batch)?
        } else {
            batch
        });
    }
    Ok(batches)
}

/// Deletes a part file and, if it was the last one, its day directory.
pub(crate) fn delete_part(data_dir: &Path, relative: &str) {
    let path = data_dir.join(relative);
    if let Err(e) = std::fs::remove_file(&path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %path.display(), error = %e, "cannot delete part file");
    }
    if let Some(dir) = path.parent() {
        // Fails harmlessly while the directory still holds other parts.
        let _ = std::fs::remove_dir(dir);
    }
}

/// Part files on disk that the catalog does not list: leftovers of an interrupted flush or
/// compaction (including `.tmp` files).
pub(crate) fn orphans(data_dir: &Path, known: &[PartMeta]) -> Vec<String> {
    let known: std::collections::HashSet<&str> = known.iter().map(|p| p.path.as_str()).collect();
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
}
