//! The in-memory write buffer: acknowledged rows, queryable at once — metrics as series-indexed
//! rows (`series_rows`), the other tables as Arrow record batches.
//!
//! New rows go to the *active* set. A flush *freezes* the active set (tagged with the WAL segment
//! that was sealed at that moment), writes the frozen rows to Parquet, and releases them only
//! after the catalog has recorded the parts; until then queries still read them from here.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;

use telemetryhub_model::SeriesBatch;

use crate::metrics::{BUFFERED_BYTES, BUFFERED_ROWS, BUFFERED_SERIES};
use crate::schema::Table;
use crate::series_rows::{IdentifiedSamples, Resolution, SeriesRows, SeriesSnapshot};
use crate::{Result, StorageError};

/// Small batches are merged once this many pile up, so a query does not pay per-request overhead
/// for thousands of tiny batches (single points, small JSON posts).
const MERGE_AFTER_SMALL_BATCHES: usize = 128;
/// Batches from bulk senders (remote_write, OTLP exporters: hundreds to thousands of rows) are
/// kept as they came: merging them copied every row under the buffer lock, 6 % of the server's
/// CPU under remote_write load, for no query benefit.
const SMALL_BATCH_ROWS: usize = 512;

/// Rows of one write, as the buffer takes them.
pub(crate) enum Buffered {
    /// Rows of a table in its schema (for metrics: single points, old WAL records).
    Rows(Table, RecordBatch),
    /// Metric samples as series ids of a generation (replayed WAL records of kind 6).
    Identified(IdentifiedSamples),
}

impl Buffered {
    /// Rows held.
    pub(crate) fn rows(&self) -> usize {
        match self {
            Buffered::Rows(_, batch) => batch.num_rows(),
            Buffered::Identified(samples) => samples.len(),
        }
    }
}

#[derive(Default)]
pub(crate) struct Rows {
    /// Rows of every table but metrics.
    pub tables: BTreeMap<Table, Vec<RecordBatch>>,
    /// Metric rows.
    pub series: SeriesRows,
    /// Rows in `tables`.
    rows: usize,
    /// Bytes in `tables`.
    bytes: usize,
}

impl Rows {
    fn rows(&self) -> usize {
        self.rows + self.series.rows()
    }

    fn bytes(&self) -> usize {
        self.bytes + self.series.bytes()
    }

    fn push(&mut self, buffered: Buffered, replayed: &mut ReplayedIds) -> Result<()> {
        let (table, batch) = match buffered {
            Buffered::Identified(samples) => {
                replayed.newest_generation = replayed.newest_generation.max(samples.generation);
                return self.series.replay_identified(&samples, &mut replayed.ids);
            }
            Buffered::Rows(Table::Metrics, batch) => return self.series.insert_batch(&batch),
            Buffered::Rows(table, batch) => (table, batch),
        };
        self.rows += batch.num_rows();
        self.bytes += batch.get_array_memory_size();
        let batches = self.tables.entry(table).or_default();
        batches.push(batch);
        let small = batches
            .iter()
            .rev()
            .take_while(|b| b.num_rows() < SMALL_BATCH_ROWS)
            .count();
        if small >= MERGE_AFTER_SMALL_BATCHES {
            let tail = batches.split_off(batches.len() - small);
            let merged = concat_batches(&table.schema(), &tail)?;
            self.bytes = self.bytes
                - tail
                    .iter()
                    .map(RecordBatch::get_array_memory_size)
                    .sum::<usize>()
                + merged.get_array_memory_size();
            batches.push(merged);
        }
        Ok(())
    }
}

/// Rows frozen for one flush.
pub(crate) struct Frozen {
    pub rows: Rows,
    /// Every WAL record holding these rows is in a segment with an id at most this.
    pub sealed_through: u64,
}

/// What replaying identified samples needs: which id each logged (generation, id) became.
#[derive(Default)]
pub(crate) struct ReplayedIds {
    ids: foldhash::HashMap<(u64, u32), i32>,
    newest_generation: u64,
}

#[derive(Default)]
pub(crate) struct Buffer {
    active: Rows,
    active_since: Option<Instant>,
    frozen: Vec<Arc<Frozen>>,
    replayed: ReplayedIds,
}

impl Buffer {
    pub(crate) fn insert(&mut self, buffered: Buffered) -> Result<()> {
        // A replayed record without samples may still define series that later records use.
        if buffered.rows() == 0 && !matches!(buffered, Buffered::Identified(_)) {
            return Ok(());
        }
        self.active.push(buffered, &mut self.replayed)?;
        self.active_since.get_or_insert_with(Instant::now);
        self.publish();
        Ok(())
    }

    /// Ends a WAL replay: later writes log their samples under a generation newer than every
    /// replayed one, so their ids cannot be mistaken for the replayed records' ids.
    pub(crate) fn finish_replay(&mut self) {
        let replayed = std::mem::take(&mut self.replayed);
        let mut series = std::mem::take(&mut self.active.series);
        series.rename(replayed.newest_generation + 1);
        self.active.series = series;
    }

    /// Resolves a series batch in the active generation (see `SeriesRows::resolve_series`).
    pub(crate) fn resolve_series(&mut self, batch: &SeriesBatch) -> Resolution {
        self.active.series.resolve_series(batch)
    }

    /// Takes back definitions whose record was not submitted.
    pub(crate) fn forget_definitions(&mut self, resolution: &Resolution) {
        if resolution.generation == self.active.series.generation() {
            self.active.series.forget_definitions(resolution);
        }
    }

    /// Appends a batch resolved by [`Buffer::resolve_series`]. The caller holds the flush gate
    /// from resolution to here, so the generation is still the active one.
    pub(crate) fn insert_resolved(
        &mut self,
        batch: &SeriesBatch,
        resolution: &Resolution,
    ) -> Result<()> {
        if resolution.generation != self.active.series.generation() {
            return Err(StorageError::Encoding(
                "series ids of a generation that is no longer active".into(),
            ));
        }
        if batch.is_empty() {
            return Ok(());
        }
        self.active.series.insert_resolved(batch, &resolution.ids)?;
        self.active_since.get_or_insert_with(Instant::now);
        self.publish();
        Ok(())
    }

    /// Every buffered row of `table`, frozen and active, in the order they were inserted (the
    /// oldest frozen generation first; see [`crate::scan::WRITE_ORDER`]). Cheap enough to take
    /// under the lock: record batches and sealed metric blocks are shared, not copied.
    pub(crate) fn snapshot(&self, table: Table) -> Snapshot {
        let generations = self
            .frozen
            .iter()
            .map(|f| &f.rows)
            .chain(std::iter::once(&self.active));
        if table == Table::Metrics {
            return Snapshot::Series(
                generations
                    .filter(|g| g.series.rows() > 0)
                    .map(|g| g.series.snapshot())
                    .collect(),
            );
        }
        Snapshot::Batches(
            generations
                .filter_map(|g| g.tables.get(&table))
                .flat_map(|batches| batches.iter().cloned())
                .collect(),
        )
    }

    /// Moves the active rows into a frozen chunk (if there are any) and starts a new series
    /// generation either way: the sealed segments, which the flush deletes, may hold the only
    /// definitions of the old generation's ids.
    pub(crate) fn freeze(&mut self, sealed_through: u64) {
        let next = Rows {
            series: SeriesRows::new(self.active.series.generation() + 1),
            ..Rows::default()
        };
        let rows = std::mem::replace(&mut self.active, next);
        if rows.rows() > 0 {
            self.frozen.push(Arc::new(Frozen {
                rows,
                sealed_through,
            }));
        }
        self.active_since = None;
    }

    pub(crate) fn frozen(&self) -> Vec<Arc<Frozen>> {
        self.frozen.clone()
    }

    /// Drops frozen chunks sealed at or before `through`, now durable in parts.
    pub(crate) fn release(&mut self, through: u64) {
        self.frozen.retain(|f| f.sealed_through > through);
        self.publish();
    }

    pub(crate) fn rows(&self) -> usize {
        self.active.rows() + self.frozen.iter().map(|f| f.rows.rows()).sum::<usize>()
    }

    pub(crate) fn bytes(&self) -> usize {
        self.active.bytes() + self.frozen.iter().map(|f| f.rows.bytes()).sum::<usize>()
    }

    pub(crate) fn active_bytes(&self) -> usize {
        self.active.bytes()
    }

    pub(crate) fn active_rows(&self) -> usize {
        self.active.rows()
    }

    pub(crate) fn active_age(&self) -> Option<std::time::Duration> {
        self.active_since.map(|since| since.elapsed())
    }

    fn publish(&self) {
        BUFFERED_ROWS.set(self.rows() as i64);
        BUFFERED_SERIES.set(
            (self.active.series.series()
                + self
                    .frozen
                    .iter()
                    .map(|f| f.rows.series.series())
                    .sum::<usize>()) as i64,
        );
        BUFFERED_BYTES.set(self.bytes() as i64);
    }
}

/// A table's buffered rows as of one moment.
pub(crate) enum Snapshot {
    /// Record batches in the table's schema.
    Batches(Vec<RecordBatch>),
    /// Metric rows of each buffer generation.
    Series(Vec<SeriesSnapshot>),
}

impl Snapshot {
    /// The rows as record batches: in the table's schema, or for metrics in
    /// `series_rows::BUFFERED_METRICS_SCHEMA`.
    pub(crate) fn batches(self) -> Result<Vec<RecordBatch>> {
        match self {
            Snapshot::Batches(batches) => Ok(batches),
            Snapshot::Series(generations) => {
                let mut batches = Vec::new();
                for generation in generations {
                    batches.extend(generation.batches()?);
                }
                Ok(batches)
            }
        }
    }
}
