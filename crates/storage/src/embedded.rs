//! The embedded engine: WAL + Arrow buffer + Parquet parts + redb catalog, in one data directory.
//!
//! ```text
//! <data>/wal/<segment>.wal                      write-ahead log
//! <data>/catalog.redb                           parts, idempotency keys, anomalies
//! <data>/parts/<table>/date=<day>/<name>.parquet
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::parquet::arrow::arrow_reader::ArrowReaderMetadata;
use datafusion::prelude::{DataFrame, SessionContext};
use telemetryhub_model::{
    Anomaly, AnomalyQuery, DeadLetter, DeadLetterQuery, LogsWrite, MetricMetadata, MetricsWrite,
    PatternFeedback, PatternSummary, PatternTemplate, SpansWrite, now_ns,
};
use telemetryhub_wal::{Wal, WalConfig, replay};

use crate::buffer::Snapshot;
use crate::buffer::{Buffer, Buffered};
use crate::catalog::{Catalog, PartMeta, StoredKey};
use crate::log_index::{LineIndex, StoredLogStream};
use crate::metrics::{
    BACKPRESSURE, COMPACTIONS, DEAD_LETTERS_EVICTED, FLUSHES, JOB_SECONDS, PART_BYTES, PARTS,
    RETENTION_DROPS, ROLLUP_ROWS, ROLLUP_SAMPLES,
};
use crate::parts::{
    delete_part, orphans, read_part_for_compaction, write_parts, write_series_parts,
};
use crate::rollups::FlushRollup;
use crate::sample_cache::{DEFAULT_SAMPLE_CACHE_BYTES, SampleCache};
use crate::scan::{MetricSeries, Scan, SkipIndex, Sources};
use crate::schema::{Table, day_start, exemplars_batch, logs_batch, spans_batch};
use crate::series_index::PartIndex;
use crate::series_rows::SeriesRows;
use crate::series_rows::SeriesSnapshot;
use crate::series_samples::{self, SamplesRead, SeriesSamples};
use crate::wal_record::{self, WriteHeader};
use crate::{
    DataStore, IdempotencyKey, Result, StateStore, StorageError, StorageStats, WriteOutcome,
};
use telemetryhub_model::rollup::HOUR_NS;

/// Rows per core above which [`DataStore::metric_samples`] cuts its read by series over the
/// cores: a millisecond or more of decoding and merging, against tens of microseconds a thread
/// costs. The rows selected understate the work: a series' run starts inside a page of up to
/// 20,000 rows, and the page's rows before it are decoded to be skipped.
#[cfg(not(test))]
const SPLIT_READ_ROWS: u64 = 1 << 14;
/// In tests, a few rows: every direct read of the unit tests (compared with the general
/// scan) goes through the cut.
#[cfg(test)]
const SPLIT_READ_ROWS: u64 = 4;

/// Most rows of one piece of a read cut by series: what a core decodes before it merges (and
/// shapes) the piece's series, about 16 MB of decoded samples — so that a large read shaped as it
/// is read holds one piece per core at a time, not the whole read.
#[cfg(not(test))]
const PIECE_ROWS: u64 = 1 << 20;
/// In tests, a few rows: the unit tests' larger reads are cut into more pieces than cores.
#[cfg(test)]
const PIECE_ROWS: u64 = 16;

/// Rows of a read up to which [`DataStore::metric_samples`] reads it on the calling task: tens
/// of microseconds, about what a blocking thread's hand-off costs.
#[cfg(not(test))]
const INLINE_READ_ROWS: u64 = 4096;
/// In tests, a few rows: the unit tests' reads go both ways, mixed in one read.
#[cfg(test)]
const INLINE_READ_ROWS: u64 = 8;

/// Rows of a read whose segments are all in the sample cache up to which
/// [`DataStore::metric_samples`] reads it on the calling task: copies of tens of microseconds.
#[cfg(not(test))]
const INLINE_CACHED_ROWS: u64 = 1 << 16;
/// In tests, as [`INLINE_READ_ROWS`].
#[cfg(test)]
const INLINE_CACHED_ROWS: u64 = 8;

/// Settings of the embedded engine. See the README's configuration table for the user-facing
/// names.
#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    /// Directory holding the WAL, the catalog and the parts.
    pub data_dir: PathBuf,
    /// Day partitions entirely older than this are dropped, ns (every table but the rollups).
    pub retention_ns: i64,
    /// Whether flushes write hourly rollups of the metrics they flush (`metrics_hourly`).
    pub rollups: bool,
    /// Day partitions of the hourly rollups entirely older than this are dropped, ns: rollups
    /// outlive the raw samples they summarise.
    pub rollup_retention_ns: i64,
    /// Flush once the unflushed buffer holds this many bytes.
    pub flush_bytes: usize,
    /// Flush once the oldest unflushed row has waited this long.
    pub flush_interval: Duration,
    /// Refuse writes (503) while the buffer holds more than this many bytes.
    pub max_buffer_bytes: usize,
    /// Size at which a WAL segment is sealed.
    pub wal_segment_bytes: u64,
    /// Merge this many parts of a day (of similar size, newest first) into one.
    pub compaction_min_parts: usize,
    /// The most bytes (on disk) one compaction reads: it decodes its inputs in memory, so this
    /// bounds its memory; bigger parts are never merged again.
    pub compaction_max_input_bytes: u64,
    /// How long idempotency keys and item ids are remembered.
    pub idempotency_ttl: Duration,
    /// How often compaction, retention and key pruning run.
    pub maintenance_interval: Duration,
    /// The most dead letters (execution records set aside) kept per tenant: past it, storing
    /// letters evicts the tenant's oldest, so a stream of garbage cannot fill the disk.
    pub max_dead_letters: u64,
    /// The most bytes of decoded samples kept in memory for metric reads (`sample_cache`); 0
    /// turns the cache off.
    pub sample_cache_bytes: u64,
}

impl EmbeddedConfig {
    /// Defaults for a data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EmbeddedConfig {
            data_dir: data_dir.into(),
            retention_ns: 30 * 86_400 * 1_000_000_000,
            rollups: true,
            rollup_retention_ns: 400 * 86_400 * 1_000_000_000,
            flush_bytes: 64 * 1024 * 1024,
            flush_interval: Duration::from_secs(300),
            max_buffer_bytes: 512 * 1024 * 1024,
            wal_segment_bytes: 64 * 1024 * 1024,
            compaction_min_parts: 4,
            compaction_max_input_bytes: 128 * 1024 * 1024,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            maintenance_interval: Duration::from_secs(60),
            max_dead_letters: 100_000,
            sample_cache_bytes: DEFAULT_SAMPLE_CACHE_BYTES,
        }
    }
}

/// The embedded storage engine. Create with [`EmbeddedStorage::open`], then call
/// [`EmbeddedStorage::start_background`] to run flushing, compaction and retention.
pub struct EmbeddedStorage {
    inner: Arc<Inner>,
    background: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

struct Inner {
    config: EmbeddedConfig,
    wal: Wal,
    catalog: Catalog,
    buffer: Mutex<Buffer>,
    /// Writers hold it shared from WAL append until the rows are in the buffer; a flush holds it
    /// exclusively while it seals the WAL segment and freezes the buffer, so no row can be in a
    /// sealed segment but outside the frozen rows.
    gate: tokio::sync::RwLock<()>,
    flush_lock: tokio::sync::Mutex<()>,
    in_flight_keys: Mutex<HashSet<String>>,
    /// Indexes of parts read so far (series indexes, and line indexes up to
    /// [`LINE_INDEX_CACHE_BYTES`]), by part path (parts never change; `None`: the part has none,
    /// or it could not be read). Entries of parts the catalog dropped are pruned.
    indexes: Mutex<HashMap<String, Option<SkipIndex>>>,
    /// Reader metadata (with page indexes) of the metrics parts read by
    /// [`DataStore::metric_samples`], by part path; pruned with `indexes`.
    part_metadata: Mutex<HashMap<String, (ArrowReaderMetadata, u64)>>,
    /// Decoded samples of the parts' series, read by [`DataStore::metric_samples`].
    sample_cache: Arc<SampleCache>,
    shutting_down: AtomicBool,
    stop: tokio::sync::Notify,
    /// Tests park a write here, after it left the gate, to run a flush at that moment.
    #[cfg(test)]
    write_pause: Mutex<Option<WritePause>>,
}

/// Where a test holds a write: `reached` is notified once the write has left the gate, and the
/// write waits for `resume`.
#[cfg(test)]
#[derive(Clone, Default)]
struct WritePause {
    reached: Arc<tokio::sync::Notify>,
    resume: Arc<tokio::sync::Notify>,
}

fn lock<T>(held: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the buffer (or a read's queue of pieces)
    // half-updated in a way that matters more than losing the process, so recover the guard
    // rather than cascade the panic.
    held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl EmbeddedStorage {
    /// Opens (or creates) the store: replays the WAL into the buffer and removes orphan files.
    pub fn open(config: EmbeddedConfig) -> Result<EmbeddedStorage> {
        let data_dir = config.data_dir.clone();
        std::fs::create_dir_all(&data_dir).map_err(StorageError::io(data_dir.display()))?;
        let catalog = Catalog::open(&data_dir.join("catalog.redb"))?;
        for orphan in orphans(&data_dir, &catalog.parts()) {
            tracing::info!(path = %orphan, "removing a part file the catalog does not list (left by an interrupted flush or compaction)");
            delete_part(&data_dir, &orphan);
        }
        let wal_dir = data_dir.join("wal");
        std::fs::create_dir_all(&wal_dir).map_err(StorageError::io(wal_dir.display()))?;
        let flushed_through = catalog.flushed_through()?;
        let started = Instant::now();
        let replayed = replay(&wal_dir, flushed_through)?;
        let mut buffer = Buffer::default();
        let mut rows = 0;
        for record in &replayed.records {
            let write = wal_record::decode(&record.payload)?;
            rows += write.rows();
            write::restore_keys(&catalog, write.table, &write.header)?;
            for table_rows in write.rows {
                buffer.insert(table_rows)?;
            }
        }
        buffer.finish_replay();
        if !replayed.records.is_empty() || replayed.torn_bytes_dropped > 0 {
            tracing::info!(
                records = replayed.records.len(),
                rows,
                torn_bytes_dropped = replayed.torn_bytes_dropped,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "replayed the write-ahead log"
            );
        }
        let wal = Wal::open(WalConfig {
            dir: wal_dir,
            segment_max_bytes: config.wal_segment_bytes,
        })?;
        if let Some(through) = flushed_through {
            wal.remove_through(through)?;
        }
        let sample_cache = Arc::new(SampleCache::new(config.sample_cache_bytes));
        let inner = Inner {
            config,
            wal,
            catalog,
            buffer: Mutex::new(buffer),
            gate: tokio::sync::RwLock::new(()),
            flush_lock: tokio::sync::Mutex::new(()),
            in_flight_keys: Mutex::new(HashSet::new()),
            indexes: Mutex::new(HashMap::new()),
            part_metadata: Mutex::new(HashMap::new()),
            sample_cache,
            shutting_down: AtomicBool::new(false),
            stop: tokio::sync::Notify::new(),
            #[cfg(test)]
            write_pause: Mutex::new(None),
        };
        inner.publish_part_metrics();
        Ok(EmbeddedStorage {
            inner: Arc::new(inner),
            background: Mutex::new(None),
        })
    }

    /// Starts the background loop: flush by size and age, then compaction, retention and
    /// idempotency-key pruning every maintenance interval.
    pub fn start_background(&self) {
        let inner = self.inner.clone();
        let handle = tokio::spawn(async move {
            let mut last_maintenance = Instant::now();
            loop {
                tokio::select! {
                    _ = inner.stop.notified() => break,
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                }
                if inner.shutting_down.load(Ordering::Relaxed) {
                    break;
                }
                if inner.flush_due()
                    && let Err(e) = inner.flush().await
                {
                    tracing::error!(error = %e, "flush failed; will retry");
                }
                if last_maintenance.elapsed() >= inner.config.maintenance_interval {
                    last_maintenance = Instant::now();
                    inner.maintain().await;
                }
            }
        });
        if let Ok(mut slot) = self.background.lock() {
            *slot = Some(handle);
        }
    }

    /// Runs compaction, retention and key pruning once, now.
    pub async fn run_maintenance(&self) {
        self.inner.maintain().await;
    }
}

impl Inner {
    /// A scan of `metrics_hourly`: the rollup parts and the buffered samples rolled up now,
    /// taken at one moment (as [`Inner::sources`] takes them), then one row per series and hour
    /// (`rollups::merge_hours`). Eager: the merge needs every row of an hour.
    async fn scan_hourly(&self, ctx: &SessionContext, scan: &Scan) -> Result<Option<DataFrame>> {
        let (buffered, parts) = {
            let buffer = lock(&self.buffer);
            (buffer.snapshot(Table::Metrics), self.catalog.parts())
        };
        // The buffered samples of the hours in range: `since <= hour < until` holds exactly for
        // samples from the first hour start at or after `since` to the one at or after `until`.
        let ceil =
            |ns: i64| telemetryhub_model::rollup::hour_start_ns(ns.saturating_add(HOUR_NS - 1));
        let mut raw = Scan::new(
            Table::Metrics,
            scan.tenants.clone(),
            ceil(scan.since_ns),
            ceil(scan.until_ns),
        )
        .labels(&scan.labels)
        .with_write_order();
        let series_column = |c: &str| crate::series_rows::KEY_COLUMNS.contains(&c);
        raw.equal = scan
            .equal
            .iter()
            .filter(|(c, _)| series_column(c))
            .cloned()
            .collect();
        raw.one_of = scan
            .one_of
            .iter()
            .filter(|(c, _)| series_column(c))
            .cloned()
            .collect();
        raw.series_filter = scan.series_filter.clone();
        let raw_sources = Sources::new(
            Table::Metrics,
            buffered.batches()?,
            &[],
            &self.config.data_dir,
            (raw.since_ns, raw.until_ns),
            |_| None,
        );
        // With rollups off, buffered samples are not rolled up either: they would vanish from
        // the answer at the next flush.
        let buffered_rollups = match crate::scan::frame(ctx, &raw, raw_sources).await? {
            Some(frame) if self.config.rollups => {
                crate::rollups::roll_up_rows(&frame.collect().await?)?
            }
            _ => None,
        };
        let mut whole = scan.clone();
        whole.columns = None;
        whole.write_order = false;
        let sources = Sources::new(
            Table::MetricsHourly,
            buffered_rollups.into_iter().collect(),
            &parts,
            &self.config.data_dir,
            (scan.since_ns, scan.until_ns),
            |_| None,
        );
        let Some(frame) = crate::scan::frame(ctx, &whole, sources).await? else {
            return Ok(None);
        };
        let Some(merged) = crate::rollups::merge_hours(&frame.collect().await?)? else {
            return Ok(None);
        };
        let mut frame = ctx.read_batch(merged)?;
        if let Some(columns) = &scan.columns {
            frame = frame.select_columns(columns)?;
        }
        Ok(Some(frame))
    }

    fn part_path(&self, part: &PartMeta) -> PathBuf {
        self.config.data_dir.join(&part.path)
    }

    /// Publishes the parts' gauges after the catalog changed, and forgets the series indexes of
    /// parts it no longer lists.
    fn publish_part_metrics(&self) {
        let parts = self.catalog.parts();
        PARTS.set(parts.len() as i64);
        PART_BYTES.set(parts.iter().map(|p| p.bytes).sum::<u64>() as i64);
        let listed: HashSet<&str> = parts.iter().map(|p| p.path.as_str()).collect();
        if let Ok(mut indexes) = self.indexes.lock() {
            indexes.retain(|path, _| listed.contains(path.as_str()));
        }
        if let Ok(mut metadata) = self.part_metadata.lock() {
            let before = metadata.len();
            metadata.retain(|path, _| listed.contains(path.as_str()));
            if metadata.len() < before {
                let live: HashSet<u64> = metadata.values().map(|(_, number)| *number).collect();
                self.sample_cache.keep_parts(&live);
            }
        }
    }

    /// The series index of `part`, read once and kept. A part recorded with one whose index
    /// cannot be read is read whole (and the reason logged once).
    #[cfg(test)]
    fn part_index(&self, part: &PartMeta) -> Option<Arc<PartIndex>> {
        match self.skip_index(part)? {
            SkipIndex::Series(index) => Some(index),
            SkipIndex::Lines(_) => None,
        }
    }

    /// The index of `part` (a metrics part's series index, a logs part's line index), read once
    /// and kept — line indexes only while those kept take at most [`LINE_INDEX_CACHE_BYTES`]
    /// (their blooms grow with the lines stored; beyond it they are read for each scan). A part
    /// recorded with an index that cannot be read is read whole (and the reason logged once).
    fn skip_index(&self, part: &PartMeta) -> Option<SkipIndex> {
        if !part.series_index && !part.line_index {
            return None;
        }
        let mut indexes = self.indexes.lock().ok()?;
        if let Some(known) = indexes.get(&part.path) {
            return known.clone();
        }
        let path = self.part_path(part);
        let (index, cache) = if part.series_index {
            let index = PartIndex::read(&path, part.rows).map(|i| SkipIndex::Series(Arc::new(i)));
            (index, true)
        } else {
            match LineIndex::read(&path, part.rows) {
                Ok(index) => {
                    let kept: usize = indexes
                        .values()
                        .filter_map(|i| match i {
                            Some(SkipIndex::Lines(l)) => Some(l.memory_bytes()),
                            _ => None,
                        })
                        .sum();
                    let fits = kept + index.memory_bytes() <= LINE_INDEX_CACHE_BYTES;
                    (Ok(SkipIndex::Lines(Arc::new(index))), fits)
                }
                Err(e) => (Err(e), true),
            }
        };
        let index = match index {
            Ok(index) => Some(index),
            Err(e) => {
                tracing::warn!(path = %part.path, error = %e, "cannot read a part's index; the part is read whole");
                None
            }
        };
        if cache {
            indexes.insert(part.path.clone(), index.clone());
        }
        index
    }

    /// What a query reads. Buffer snapshot and part list are taken under the buffer lock, which
    /// a flush also holds while it swaps frozen rows for parts: no row is read twice or missed.
    fn sources(&self, table: Table, since: i64, until: i64) -> Result<Sources> {
        let (buffered, parts) = {
            let buffer = lock(&self.buffer);
            (buffer.snapshot(table), self.catalog.parts())
        };
        Ok(Sources::new(
            table,
            buffered.batches()?,
            &parts,
            &self.config.data_dir,
            (since, until),
            |part| self.skip_index(part),
        ))
    }

    /// The reader metadata of metrics part `part`, loaded once and kept, with the part's
    /// number in the sample cache (new each time the metadata is loaded).
    fn part_metadata(&self, part: &PartMeta) -> Result<(ArrowReaderMetadata, u64)> {
        if let Some(known) = self
            .part_metadata
            .lock()
            .ok()
            .and_then(|m| m.get(&part.path).cloned())
        {
            return Ok(known);
        }
        let metadata = series_samples::load_metadata(&self.part_path(part))?;
        let loaded = (metadata, self.sample_cache.part_number());
        if let Ok(mut kept) = self.part_metadata.lock() {
            return Ok(kept.entry(part.path.clone()).or_insert(loaded).clone());
        }
        Ok(loaded)
    }

    /// What [`DataStore::metric_samples`] reads, taken at one moment (as [`Inner::sources`]):
    /// the buffer's generations and, per part in write order, its wanted series' row ranges;
    /// `None` when a part in the range has no series index.
    fn sample_sources(
        &self,
        scan: &Scan,
    ) -> Result<Option<(Vec<SeriesSnapshot>, Vec<series_samples::PartPlan>)>> {
        let (buffered, mut parts) = {
            let buffer = lock(&self.buffer);
            (buffer.snapshot(Table::Metrics), self.catalog.parts())
        };
        let Snapshot::Series(generations) = buffered else {
            return Ok(None);
        };
        parts.retain(|p| p.may_hold(Table::Metrics, scan.since_ns, scan.until_ns));
        parts.sort_by_key(PartMeta::write_seq);
        let test = scan.series_test();
        let mut plans = Vec::with_capacity(parts.len());
        for part in &parts {
            let Some(SkipIndex::Series(index)) = self.skip_index(part) else {
                return Ok(None);
            };
            let series: Vec<_> = index
                .candidates(scan.metric_names())
                .filter(|series| test.wants(series))
                .map(|series| (series, series.rows_in(scan.since_ns, scan.until_ns)))
                .filter(|(_, rows)| !rows.is_empty())
                .map(|(series, rows)| {
                    let key = MetricSeries {
                        service: series.service.clone(),
                        metric: series.metric.clone(),
                        labels: series.labels.clone(),
                    };
                    (key, rows)
                })
                .collect();
            if series.is_empty() {
                continue;
            }
            let (metadata, number) = self.part_metadata(part)?;
            plans.push(series_samples::PartPlan {
                path: self.part_path(part),
                metadata,
                part: number,
                rows: part.rows,
                series,
            });
        }
        Ok(Some((generations, plans)))
    }
}

#[async_trait]
impl DataStore for EmbeddedStorage {
    async fn write_metrics(&self, write: MetricsWrite) -> Result<WriteOutcome> {
        self.inner.write_metrics(write).await
    }

    async fn write_logs(&self, write: LogsWrite) -> Result<WriteOutcome> {
        self.inner.write_logs(write).await
    }

    async fn write_spans(&self, write: SpansWrite) -> Result<WriteOutcome> {
        self.inner.write_spans(write).await
    }

    async fn flush(&self) -> Result<()> {
        self.inner.flush().await
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shutting_down.store(true, Ordering::Relaxed);
        self.inner.stop.notify_waiters();
        let background = self.background.lock().ok().and_then(|mut slot| slot.take());
        if let Some(handle) = background {
            let _ = handle.await;
        }
        // Writers already past the capacity check finish before the flush seals the WAL.
        let result = self.inner.flush().await;
        self.inner.wal.close();
        result
    }

    fn stats(&self) -> StorageStats {
        let (rows, bytes) = {
            let buffer = lock(&self.inner.buffer);
            (buffer.rows() as u64, buffer.bytes() as u64)
        };
        let parts = self.inner.catalog.parts();
        StorageStats {
            rows_buffered: rows,
            buffer_bytes: bytes,
            parts: parts.len() as u64,
            part_bytes: parts.iter().map(|p| p.bytes).sum(),
            wal_bytes: self.inner.wal.size_bytes(),
        }
    }

    async fn scan(&self, ctx: &SessionContext, scan: &Scan) -> Result<Option<DataFrame>> {
        if scan.table == Table::MetricsHourly {
            return self.inner.scan_hourly(ctx, scan).await;
        }
        let sources = self
            .inner
            .sources(scan.table, scan.since_ns, scan.until_ns)?;
        crate::scan::frame(ctx, scan, sources).await
    }

    /// Reads parts by their series indexes' row ranges and the buffer's series rows, cut by
    /// series over the cores (each piece reading and merging its series on a blocking thread,
    /// decoding is the work) unless the read is small; see `series_samples`. Each series is
    /// shaped on the thread that merged it.
    async fn metric_samples(
        &self,
        scan: &Scan,
        read: &SamplesRead,
    ) -> Result<Option<Vec<SeriesSamples>>> {
        let shape = read.shape.as_ref();
        if !series_samples::answers(scan) {
            return Ok(None);
        }
        let Some((generations, plans)) = self.inner.sample_sources(scan)? else {
            return Ok(None);
        };
        let (since, until) = (scan.since_ns, scan.until_ns);
        let buffered = series_samples::read_buffer(scan, &generations);
        let rows: u64 = plans
            .iter()
            .map(series_samples::PartPlan::selected_rows)
            .sum();
        if shape.is_none()
            && let Some(limit) = read.max_samples
        {
            let in_range: u64 = plans
                .iter()
                .map(series_samples::PartPlan::rows_in_range)
                .sum();
            if in_range > limit {
                return Err(StorageError::TooManySamples {
                    rows: in_range,
                    limit,
                });
            }
        }
        let cache = self.inner.sample_cache.clone();
        let cached = rows <= INLINE_CACHED_ROWS && plans.iter().all(|p| p.cached_in(&cache));
        if rows <= INLINE_READ_ROWS || cached {
            // Less than handing it to another thread and back.
            let read = series_samples::SeriesRead::new(plans, buffered);
            return read.run(since, until, &cache, shape).map(Some);
        }
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let pieces = ((rows / SPLIT_READ_ROWS) as usize)
            .clamp(1, cores)
            .max(usize::try_from(rows.div_ceil(PIECE_ROWS)).unwrap_or(usize::MAX));
        let reads = series_samples::cut_by_series(plans, buffered, pieces);
        // One worker per core takes the pieces in turn.
        let workers = reads.len().min(cores);
        let queue = Arc::new(Mutex::new(reads.into_iter()));
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                let (queue, cache, shape) = (queue.clone(), cache.clone(), shape.cloned());
                tokio::task::spawn_blocking(move || -> Result<Vec<SeriesSamples>> {
                    let mut samples = Vec::new();
                    loop {
                        let next = lock(&queue).next();
                        let Some(read) = next else {
                            return Ok(samples);
                        };
                        samples.extend(read.run(since, until, &cache, shape.as_ref())?);
                    }
                })
            })
            .collect();
        let mut samples = Vec::new();
        for worker in workers {
            let read = worker
                .await
                .map_err(|e| StorageError::Query(format!("a part read failed: {e}")))?;
            samples.extend(read?);
        }
        Ok(Some(samples))
    }

    fn rollups_complete_since(&self) -> Option<i64> {
        // Metrics parts without rollups (written before rollups existed, or with them off)
        // hold samples the rollups lack: rollups answer only after the last day of them.
        let parts = self.inner.catalog.parts();
        Some(
            parts
                .iter()
                .filter(|p| p.table() == Some(Table::Metrics) && !p.rollups)
                .map(|p| day_start(p.day + 1))
                .max()
                .unwrap_or(i64::MIN),
        )
    }

    /// Parts with a series index answer from it (unless the time range falls between two
    /// marks of a wanted series); the buffer and other parts by their rows.
    async fn metric_series(
        &self,
        ctx: &SessionContext,
        scan: &Scan,
    ) -> Result<Vec<crate::MetricSeries>> {
        let scan = crate::scan::series_columns(scan);
        let mut sources = self
            .inner
            .sources(scan.table, scan.since_ns, scan.until_ns)?;
        let mut found = HashSet::new();
        sources.encoded_parts.retain(|part| {
            part.index
                .as_ref()
                .and_then(SkipIndex::series)
                .is_none_or(|index| !scan.series_from_index(index, &mut found))
        });
        if let Some(frame) = crate::scan::frame(ctx, &scan, sources).await? {
            crate::scan::distinct_series(frame, &mut found).await?;
        }
        Ok(found.into_iter().collect())
    }

    /// Parts with a line index answer from it: blocks wholly inside the range give their
    /// streams, and — when `exact` — rows are read only of the blocks partly inside it that
    /// could add a stream not found yet. The buffer and other parts are read by their rows.
    async fn log_streams(
        &self,
        ctx: &SessionContext,
        scan: &Scan,
        exact: bool,
    ) -> Result<Vec<StoredLogStream>> {
        let scan = crate::scan::stream_columns(scan);
        let mut sources = self
            .inner
            .sources(scan.table, scan.since_ns, scan.until_ns)?;
        let mut found = HashSet::new();
        let inside = |block: &crate::log_index::Block| {
            !exact || (block.min_ts >= scan.since_ns && block.max_ts < scan.until_ns)
        };
        for part in &sources.parts {
            if let Some(SkipIndex::Lines(index)) = &part.index {
                for block in scan.wanted_blocks(index).filter(|b| inside(b)) {
                    for stream in &block.streams {
                        let stream = &index.streams[*stream as usize];
                        if scan.may_want_stream(stream) {
                            found.insert(stream.clone());
                        }
                    }
                }
            }
        }
        for part in &mut sources.parts {
            if let Some(SkipIndex::Lines(index)) = &part.index {
                let partial = scan
                    .wanted_blocks(index)
                    .filter(|b| !inside(b))
                    .filter(|b| {
                        b.streams.iter().any(|s| {
                            let stream = &index.streams[*s as usize];
                            scan.may_want_stream(stream) && !found.contains(stream)
                        })
                    })
                    .map(|b| b.range())
                    .collect();
                part.only = Some(crate::series_index::merge_ranges(partial));
            }
        }
        if let Some(frame) = crate::scan::frame(ctx, &scan, sources).await? {
            crate::scan::distinct_streams(frame, &mut found).await?;
        }
        Ok(found.into_iter().collect())
    }
}

/// The most memory the line indexes kept between scans may take (see
/// [`Inner::skip_index`]); about 8 bytes per stored line, so some 30 million lines' worth.
const LINE_INDEX_CACHE_BYTES: usize = 256 << 20;

#[async_trait]
impl StateStore for EmbeddedStorage {
    async fn put_metric_metadata(&self, metadata: Vec<MetricMetadata>) -> Result<()> {
        self.inner.catalog.put_metric_metadata(&metadata, true)
    }

    async fn metric_metadata(
        &self,
        tenant: &str,
        metric: Option<&str>,
    ) -> Result<Vec<MetricMetadata>> {
        self.inner.catalog.metric_metadata(tenant, metric)
    }

    async fn load_patterns(&self) -> Result<Vec<PatternTemplate>> {
        self.inner.catalog.patterns()
    }

    async fn save_patterns(&self, patterns: Vec<PatternTemplate>) -> Result<()> {
        self.inner.catalog.put_patterns(&patterns, true)
    }

    async fn put_pattern_feedback(
        &self,
        tenant: &str,
        pattern_id: u64,
        feedback: PatternFeedback,
    ) -> Result<()> {
        self.inner
            .catalog
            .put_pattern_feedback(tenant, pattern_id, &feedback)
    }

    async fn pattern_feedback(&self, tenant: &str) -> Result<Vec<(u64, PatternFeedback)>> {
        self.inner.catalog.pattern_feedback(tenant)
    }

    async fn put_pattern_summaries(&self, summaries: Vec<PatternSummary>) -> Result<()> {
        self.inner.catalog.put_pattern_summaries(&summaries)
    }

    async fn pattern_summaries(&self, tenant: &str) -> Result<Vec<PatternSummary>> {
        self.inner.catalog.pattern_summaries(tenant)
    }

    async fn put_anomalies(&self, anomalies: Vec<Anomaly>) -> Result<()> {
        self.inner.catalog.put_anomalies(&anomalies)
    }

    async fn anomaly(&self, tenant: &str, id: &str) -> Result<Option<Anomaly>> {
        self.inner.catalog.anomaly(tenant, id)
    }

    async fn put_series_threshold(&self, series: &str, threshold: f64) -> Result<()> {
        self.inner.catalog.put_series_threshold(series, threshold)
    }

    async fn series_thresholds(&self) -> Result<Vec<(String, f64)>> {
        self.inner.catalog.series_thresholds()
    }

    async fn put_dead_letters(&self, letters: Vec<DeadLetter>) -> Result<()> {
        let limit = self.inner.config.max_dead_letters;
        for evicted in self.inner.catalog.put_dead_letters(&letters, limit)? {
            DEAD_LETTERS_EVICTED.inc_by(evicted.letters);
            tracing::warn!(
                tenant = %evicted.tenant,
                evicted = evicted.letters,
                limit,
                "dead letters over the per-tenant limit (--max-dead-letters): the oldest were evicted"
            );
        }
        Ok(())
    }

    async fn dead_letters(&self, query: &DeadLetterQuery) -> Result<Vec<DeadLetter>> {
        self.inner.catalog.dead_letters(query)
    }

    async fn remove_dead_letters(&self, tenant: &str, ids: &[String]) -> Result<()> {
        self.inner.catalog.remove_dead_letters(tenant, ids)
    }

    async fn put_job_state(&self, job: &str, state: Vec<u8>) -> Result<()> {
        self.inner.catalog.put_job_state(job, &state)
    }

    async fn job_state(&self, job: &str) -> Result<Option<Vec<u8>>> {
        self.inner.catalog.job_state(job)
    }

    async fn query_anomalies(&self, query: &AnomalyQuery) -> Result<Vec<Anomaly>> {
        self.inner.catalog.query_anomalies(query)
    }
}

mod flush;
#[cfg(test)]
mod index_tests;
#[cfg(test)]
mod line_index_tests;
mod maintenance;
#[cfg(test)]
mod rollup_tests;
#[cfg(test)]
mod tests;
mod write;
