//! The metrics buffer: each buffered sample is a (series id, time, value) row, and each series'
//! identity — tenant, service, metric and labels — is stored once per buffer generation.
//!
//! Under remote_write load a sample is 20 bytes here where a row of strings was about 170: the
//! labels were copied into the buffer, the WAL and the flush's sorted copy once per sample, and
//! the kernel zeroing that fresh memory was the largest single cost of ingest. This is the series
//! index of Prometheus' head block and InfluxDB 3's dictionary-encoded tag columns, in small: a
//! label set is resolved to a dense id once per write by hashing, and from then on rows carry the
//! id. Queries read the rows as Arrow dictionary arrays whose keys are the ids (no string is
//! copied per row); a flush sorts (series rank, time) integers and hands the Parquet writer
//! dictionary arrays, which it writes as dictionary pages — the on-disk format is unchanged.
//!
//! A buffer generation ends when the buffer is frozen for a flush, so ids never outlive the rows
//! that use them and the index is bounded by the series of one flush interval.

use std::hash::BuildHasher;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayBuilder, ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch,
    StringArray, StringBuilder, TimestampNanosecondArray,
};
use datafusion::arrow::compute::concat;
use datafusion::arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};
use telemetryhub_model::{SeriesBatch, SeriesKey};

use crate::schema::{Table, column};
use crate::{Result, StorageError};

/// The four columns that identify a series, in the metrics table's order.
pub(crate) const KEY_COLUMNS: [&str; 4] = ["tenant", "service", "metric", "labels"];

/// Series per sealed key block: keys are appended to builders and sealed into immutable Arrow
/// arrays this many at a time, so a query's snapshot shares them instead of copying.
const KEY_BLOCK: usize = 4096;
/// Rows per sealed row block, for the same reason.
const ROW_BLOCK: usize = 64 * 1024;
/// Marks the end of a hash chain.
const NO_SERIES: u32 = u32::MAX;

/// Seeded per process: label values come from clients, and a fixed seed would let a client
/// craft colliding label sets that turn every lookup into a walk of one long chain.
static KEY_HASHER: LazyLock<foldhash::fast::RandomState> =
    LazyLock::new(foldhash::fast::RandomState::default);

/// The metrics table as buffered rows are read: the series columns dictionary-encoded with the
/// series id as key. Queries cast them to the table's plain strings to union them with parts.
pub(crate) static BUFFERED_METRICS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let fields: Vec<Field> = Table::Metrics
        .schema()
        .fields()
        .iter()
        .map(|field| {
            if KEY_COLUMNS.contains(&field.name().as_str()) {
                Field::new(field.name(), dictionary_type(), false)
            } else {
                field.as_ref().clone()
            }
        })
        .collect();
    Arc::new(Schema::new(fields))
});

/// The type of a dictionary-encoded series column.
pub(crate) fn dictionary_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

fn key_hash(key: [&[u8]; 4]) -> u64 {
    KEY_HASHER.hash_one(key)
}

/// Immutable columns of sealed series or rows.
pub(crate) struct KeyBlock {
    pub(crate) columns: [StringArray; 4],
}

pub(crate) struct RowBlock {
    pub(crate) ids: Int32Array,
    pub(crate) ts: TimestampNanosecondArray,
    pub(crate) values: Float64Array,
}

impl RowBlock {
    fn new(ids: Vec<i32>, ts: Vec<i64>, values: Vec<f64>) -> RowBlock {
        RowBlock {
            ids: Int32Array::from(ids),
            ts: TimestampNanosecondArray::from(ts).with_timezone("UTC"),
            values: Float64Array::from(values),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Metric rows of one buffer generation.
pub(crate) struct SeriesRows {
    /// Names this generation in WAL records (see [`Resolution`]).
    generation: u64,
    /// Per series: whether a WAL record of this generation has defined its id.
    in_wal: Vec<bool>,
    /// The newest series with each key hash; older ones follow `next_with_same_hash`.
    newest_with_hash: foldhash::HashMap<u64, u32>,
    next_with_same_hash: Vec<u32>,
    sealed_keys: Vec<Arc<KeyBlock>>,
    open_keys: [StringBuilder; 4],
    key_bytes: usize,
    sealed_rows: Vec<Arc<RowBlock>>,
    open_ids: Vec<i32>,
    open_ts: Vec<i64>,
    open_values: Vec<f64>,
    rows: usize,
}

impl Default for SeriesRows {
    fn default() -> Self {
        SeriesRows::new(0)
    }
}

impl SeriesRows {
    /// An empty generation named `generation`, which must differ from every generation whose
    /// records are still in the WAL.
    pub(crate) fn new(generation: u64) -> Self {
        SeriesRows {
            generation,
            in_wal: Vec::new(),
            newest_with_hash: foldhash::HashMap::default(),
            next_with_same_hash: Vec::new(),
            sealed_keys: Vec::new(),
            open_keys: std::array::from_fn(|_| StringBuilder::new()),
            key_bytes: 0,
            sealed_rows: Vec::new(),
            open_ids: Vec::new(),
            open_ts: Vec::new(),
            open_values: Vec::new(),
            rows: 0,
        }
    }

    /// The generation's name in WAL records.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Renames the generation; its series count as not yet defined in the WAL under the new
    /// name (replay ends with this).
    pub(crate) fn rename(&mut self, generation: u64) {
        self.generation = generation;
        self.in_wal.iter_mut().for_each(|logged| *logged = false);
    }

    /// Rows buffered.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Series known.
    pub(crate) fn series(&self) -> usize {
        self.next_with_same_hash.len()
    }

    /// Memory held, approximately: 20 bytes per row, each key's bytes, and the index.
    pub(crate) fn bytes(&self) -> usize {
        self.rows * 20 + self.key_bytes + self.series() * 32
    }

    /// The key of series `id` as bytes, column by column.
    fn key(&self, id: u32) -> [&[u8]; 4] {
        let (block, slot) = (id as usize / KEY_BLOCK, id as usize % KEY_BLOCK);
        match self.sealed_keys.get(block) {
            Some(sealed) => std::array::from_fn(|c| sealed.columns[c].value(slot).as_bytes()),
            None => std::array::from_fn(|c| {
                let builder = &self.open_keys[c];
                let offsets = builder.offsets_slice();
                &builder.values_slice()[offsets[slot] as usize..offsets[slot + 1] as usize]
            }),
        }
    }

    /// The id of a series, added if new.
    fn resolve(&mut self, key: [&str; 4]) -> i32 {
        let bytes = key.map(str::as_bytes);
        let hash = key_hash(bytes);
        let mut candidate = self
            .newest_with_hash
            .get(&hash)
            .copied()
            .unwrap_or(NO_SERIES);
        while candidate != NO_SERIES {
            if self.key(candidate) == bytes {
                return candidate as i32;
            }
            candidate = self.next_with_same_hash[candidate as usize];
        }
        let id = self.next_with_same_hash.len() as u32;
        let previous = self.newest_with_hash.insert(hash, id);
        self.next_with_same_hash.push(previous.unwrap_or(NO_SERIES));
        self.in_wal.push(false);
        for (builder, part) in self.open_keys.iter_mut().zip(key) {
            builder.append_value(part);
            self.key_bytes += part.len();
        }
        if self.open_keys[0].len() == KEY_BLOCK {
            let columns = std::array::from_fn(|c| self.open_keys[c].finish());
            self.sealed_keys.push(Arc::new(KeyBlock { columns }));
        }
        id as i32
    }

    fn push_row(&mut self, id: i32, ts: i64, value: f64) {
        if self.open_ids.capacity() == 0 {
            // A block's vectors are allocated once: growing them by doubling copied every row
            // several times into fresh memory.
            self.open_ids.reserve_exact(ROW_BLOCK);
            self.open_ts.reserve_exact(ROW_BLOCK);
            self.open_values.reserve_exact(ROW_BLOCK);
        }
        self.open_ids.push(id);
        self.open_ts.push(ts);
        self.open_values.push(value);
        self.rows += 1;
        if self.open_ids.len() == ROW_BLOCK {
            let block = RowBlock::new(
                std::mem::take(&mut self.open_ids),
                std::mem::take(&mut self.open_ts),
                std::mem::take(&mut self.open_values),
            );
            self.sealed_rows.push(Arc::new(block));
        }
    }

    /// Resolves a batch's series to ids of this generation and marks the ones no WAL record of
    /// it has defined yet: the caller's record must define those (see
    /// `wal_record::encode_identified`) and be submitted before the buffer lock is released, so
    /// that records are in the log in the order their definitions were handed out.
    pub(crate) fn resolve_series(&mut self, batch: &SeriesBatch) -> Resolution {
        let mut ids = Vec::with_capacity(batch.series.len());
        let mut defined_here = Vec::new();
        for (index, key) in batch.series.iter().enumerate() {
            let id = self.resolve([&batch.tenant, &key.service, &key.metric, &key.labels_json]);
            let in_wal = &mut self.in_wal[id as usize];
            if !*in_wal {
                *in_wal = true;
                defined_here.push(index as u32);
            }
            ids.push(id);
        }
        Resolution {
            generation: self.generation,
            ids,
            defined_here,
        }
    }

    /// Takes back the definitions of a resolution whose record never reached the log.
    pub(crate) fn forget_definitions(&mut self, resolution: &Resolution) {
        for index in &resolution.defined_here {
            if let Some(id) = resolution.ids.get(*index as usize) {
                self.in_wal[*id as usize] = false;
            }
        }
    }

    /// Appends the samples of a batch resolved by [`SeriesRows::resolve_series`] on this
    /// generation.
    pub(crate) fn insert_resolved(&mut self, batch: &SeriesBatch, ids: &[i32]) -> Result<()> {
        for ((series, ts), value) in batch.series_of.iter().zip(&batch.ts_ns).zip(&batch.values) {
            let id = ids.get(*series as usize).copied().ok_or_else(|| {
                StorageError::Encoding(format!(
                    "sample of series {series}, which is not in the batch"
                ))
            })?;
            self.push_row(id, *ts, *value);
        }
        Ok(())
    }

    /// Replays a WAL record of identified samples. `known` maps (generation, id) in the log to
    /// ids here, across every record replayed so far.
    pub(crate) fn replay_identified(
        &mut self,
        record: &IdentifiedSamples,
        known: &mut foldhash::HashMap<(u64, u32), i32>,
    ) -> Result<()> {
        for (logged, key) in &record.definitions {
            let id = self.resolve([&record.tenant, &key.service, &key.metric, &key.labels_json]);
            known.insert((record.generation, *logged), id);
        }
        for ((logged, ts), value) in record.ids.iter().zip(&record.ts_ns).zip(&record.values) {
            let id = known
                .get(&(record.generation, *logged))
                .copied()
                .ok_or_else(|| {
                    StorageError::Encoding(format!(
                        "WAL record uses series {logged} of generation {}, which no earlier record defines",
                        record.generation
                    ))
                })?;
            self.push_row(id, *ts, *value);
        }
        Ok(())
    }

    /// Appends rows in the metrics table's schema (single points, old WAL records).
    pub(crate) fn insert_batch(&mut self, batch: &RecordBatch) -> Result<()> {
        let keys: Vec<&StringArray> = KEY_COLUMNS
            .iter()
            .map(|name| column::<StringArray>(batch, name))
            .collect::<Result<_>>()?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let values = column::<Float64Array>(batch, "value")?;
        for row in 0..batch.num_rows() {
            let id = self.resolve(std::array::from_fn(|c| keys[c].value(row)));
            self.push_row(id, ts.value(row), values.value(row));
        }
        Ok(())
    }

    /// What a query reads: shares the sealed blocks and copies only the open ones.
    pub(crate) fn snapshot(&self) -> SeriesSnapshot {
        let mut keys = self.sealed_keys.clone();
        if !self.open_keys[0].is_empty() {
            let columns = std::array::from_fn(|c| self.open_keys[c].finish_cloned());
            keys.push(Arc::new(KeyBlock { columns }));
        }
        let mut rows = self.sealed_rows.clone();
        if !self.open_ids.is_empty() {
            rows.push(Arc::new(RowBlock::new(
                self.open_ids.clone(),
                self.open_ts.clone(),
                self.open_values.clone(),
            )));
        }
        SeriesSnapshot { keys, rows }
    }
}

/// A series batch's series as ids of one generation.
pub(crate) struct Resolution {
    /// The generation the ids belong to.
    pub generation: u64,
    /// Per series of the batch, its id.
    pub ids: Vec<i32>,
    /// Indexes (in the batch) of the series whose definition the batch's WAL record carries.
    pub defined_here: Vec<u32>,
}

/// Samples as a WAL record holds them: ids of a generation, with the definitions of the ids
/// that no earlier record of the generation defined.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IdentifiedSamples {
    pub generation: u64,
    pub tenant: String,
    /// (id, series) for each series first used here.
    pub definitions: Vec<(u32, SeriesKey)>,
    pub ids: Vec<u32>,
    pub ts_ns: Vec<i64>,
    pub values: Vec<f64>,
}

impl IdentifiedSamples {
    /// Samples held.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Buffered metric rows as of one moment, independent of later writes.
pub(crate) struct SeriesSnapshot {
    /// Sealed series key blocks; a series' id counts across them.
    pub(crate) keys: Vec<Arc<KeyBlock>>,
    /// Sealed row blocks.
    pub(crate) rows: Vec<Arc<RowBlock>>,
}

/// Each series column's values over `blocks` in order: a series' id (counted across the blocks)
/// indexes them.
pub(crate) fn concat_keys<'a>(
    blocks: impl Iterator<Item = &'a KeyBlock> + Clone,
) -> Result<[ArrayRef; 4]> {
    let mut columns = Vec::with_capacity(4);
    for c in 0..4 {
        let parts: Vec<&dyn Array> = blocks.clone().map(|b| &b.columns[c] as _).collect();
        columns.push(match parts.as_slice() {
            [] => Arc::new(StringArray::from(Vec::<&str>::new())) as ArrayRef,
            parts => concat(parts)?,
        });
    }
    columns
        .try_into()
        .map_err(|_| StorageError::Encoding("four key columns expected".into()))
}

impl SeriesSnapshot {
    /// Each series column's values, indexed by series id.
    fn key_columns(&self) -> Result<[ArrayRef; 4]> {
        concat_keys(self.keys.iter().map(Arc::as_ref))
    }

    /// Series in the snapshot.
    pub(crate) fn series(&self) -> usize {
        self.keys.iter().map(|b| b.columns[0].len()).sum()
    }

    /// The rows as batches of [`BUFFERED_METRICS_SCHEMA`], in arrival order.
    pub(crate) fn batches(&self) -> Result<Vec<RecordBatch>> {
        if self.rows.is_empty() {
            return Ok(Vec::new());
        }
        let keys = self.key_columns()?;
        let mut batches = Vec::with_capacity(self.rows.len());
        for block in &self.rows {
            batches.push(dictionary_batch(
                &BUFFERED_METRICS_SCHEMA,
                &keys,
                block.ids.clone(),
                vec![Arc::new(block.ts.clone()), Arc::new(block.values.clone())],
            )?);
        }
        Ok(batches)
    }
}

/// A batch whose four series columns are `ids` looked up in `keys`, followed by `rest`.
pub(crate) fn dictionary_batch(
    schema: &SchemaRef,
    keys: &[ArrayRef; 4],
    ids: Int32Array,
    rest: Vec<ArrayRef>,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(4 + rest.len());
    for values in keys {
        columns.push(Arc::new(DictionaryArray::<Int32Type>::try_new(
            ids.clone(),
            values.clone(),
        )?));
    }
    columns.extend(rest);
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

#[cfg(test)]
pub(crate) mod tests {
    use telemetryhub_model::{Labels, MetricPoint};

    use super::*;
    use crate::schema::{metrics_batch, metrics_from_batches};

    /// A point of series `cpu{host}` of `service` (also used by `flush_order`'s tests).
    pub(crate) fn point(service: &str, host: &str, ts_ns: i64, value: f64) -> MetricPoint {
        MetricPoint {
            tenant: "t".into(),
            service: service.into(),
            metric: "cpu".into(),
            labels: Labels::from([("host".to_string(), host.to_string())]),
            ts_ns,
            value,
        }
    }

    /// Reads buffered batches back as points, casting the dictionaries as queries do.
    fn points_of(batches: &[RecordBatch]) -> Vec<MetricPoint> {
        let plain: Vec<RecordBatch> = batches
            .iter()
            .map(|b| crate::schema::cast_to(b, &Table::Metrics.schema()).unwrap())
            .collect();
        metrics_from_batches(&plain).unwrap()
    }

    #[test]
    fn a_series_is_stored_once_and_rows_read_back_in_order() {
        let points: Vec<MetricPoint> = (0..10)
            .map(|i| point("api", if i % 2 == 0 { "a" } else { "b" }, i, i as f64))
            .collect();
        let mut rows = SeriesRows::default();
        rows.insert_batch(&metrics_batch(&points).unwrap()).unwrap();
        assert_eq!(rows.series(), 2);
        assert_eq!(rows.rows(), 10);
        assert_eq!(points_of(&rows.snapshot().batches().unwrap()), points);
    }

    #[test]
    fn series_batches_resolve_to_the_ids_of_points() {
        let mut rows = SeriesRows::default();
        rows.insert_batch(&metrics_batch(&[point("api", "a", 1, 1.0)]).unwrap())
            .unwrap();
        let mut batch = SeriesBatch::new("t");
        let s = batch.push_series(SeriesKey {
            service: "api".into(),
            metric: "cpu".into(),
            labels_json: r#"{"host":"a"}"#.into(),
        });
        batch.push_sample(s, 2, 2.0);
        let resolution = rows.resolve_series(&batch);
        rows.insert_resolved(&batch, &resolution.ids).unwrap();
        assert_eq!(rows.series(), 1);
        assert_eq!(
            points_of(&rows.snapshot().batches().unwrap()),
            vec![point("api", "a", 1, 1.0), point("api", "a", 2, 2.0)]
        );
    }

    #[test]
    fn blocks_seal_and_snapshots_do_not_see_later_rows() {
        let mut rows = SeriesRows::default();
        let n = ROW_BLOCK + 10;
        let series = KEY_BLOCK + 3;
        let points: Vec<MetricPoint> = (0..n)
            .map(|i| point("api", &format!("h{}", i % series), i as i64, i as f64))
            .collect();
        rows.insert_batch(&metrics_batch(&points).unwrap()).unwrap();
        assert_eq!(rows.series(), series);
        let snapshot = rows.snapshot();
        rows.insert_batch(&metrics_batch(&[point("api", "new", 0, 0.0)]).unwrap())
            .unwrap();
        assert_eq!(points_of(&snapshot.batches().unwrap()), points);
    }
}
