//! The embedded engine: WAL + Arrow buffer + Parquet parts + redb catalog, in one data directory.
//!
//! ```text
//! <data>/wal/<segment>.wal                      write-ahead log
//! <data>/catalog.redb                           parts, idempotency keys, anomalies
//! <data>/parts/<table>/date=<day>/<name>.parquet
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::prelude::{DataFrame, SessionContext};
use telemetryhub_model::{
    Anomaly, AnomalyQuery, LogsWrite, MetricMetadata, MetricsWrite, PatternFeedback,
    PatternSummary, PatternTemplate, SpansWrite, now_ns,
};
use telemetryhub_wal::{Wal, WalConfig, replay};

use crate::buffer::{Buffer, Buffered};
use crate::catalog::{Catalog, PartMeta, StoredKey};
use crate::metrics::{
    BACKPRESSURE, COMPACTIONS, FLUSHES, JOB_SECONDS, PART_BYTES, PARTS, RETENTION_DROPS,
};
use crate::parts::{delete_part, orphans, read_part, write_parts, write_series_parts};
use crate::scan::{Scan, Sources};
use crate::schema::{Table, day_start, exemplars_batch, logs_batch, spans_batch};
use crate::series_rows::SeriesRows;
use crate::wal_record::{self, WriteHeader};
use crate::{
    DataStore, IdempotencyKey, Result, StateStore, StorageError, StorageStats, WriteOutcome,
};

/// Settings of the embedded engine. See the README's configuration table for the user-facing
/// names.
#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    /// Directory holding the WAL, the catalog and the parts.
    pub data_dir: PathBuf,
    /// Day partitions entirely older than this are dropped, ns.
    pub retention_ns: i64,
    /// Flush once the unflushed buffer holds this many bytes.
    pub flush_bytes: usize,
    /// Flush once the oldest unflushed row has waited this long.
    pub flush_interval: Duration,
    /// Refuse writes (503) while the buffer holds more than this many bytes.
    pub max_buffer_bytes: usize,
    /// Size at which a WAL segment is sealed.
    pub wal_segment_bytes: u64,
    /// Compact a day partition once it has this many parts.
    pub compaction_min_parts: usize,
    /// How long idempotency keys and item ids are remembered.
    pub idempotency_ttl: Duration,
    /// How often compaction, retention and key pruning run.
    pub maintenance_interval: Duration,
}

impl EmbeddedConfig {
    /// Defaults for a data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EmbeddedConfig {
            data_dir: data_dir.into(),
            retention_ns: 30 * 86_400 * 1_000_000_000,
            flush_bytes: 64 * 1024 * 1024,
            flush_interval: Duration::from_secs(300),
            max_buffer_bytes: 512 * 1024 * 1024,
            wal_segment_bytes: 64 * 1024 * 1024,
            compaction_min_parts: 4,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            maintenance_interval: Duration::from_secs(60),
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

fn lock(buffer: &Mutex<Buffer>) -> MutexGuard<'_, Buffer> {
    // A panic while holding the lock cannot leave the buffer half-updated in a way that matters
    // more than losing the process, so recover the guard rather than cascade the panic.
    buffer
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
            restore_keys(&catalog, write.table, &write.header)?;
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
        let inner = Inner {
            config,
            wal,
            catalog,
            buffer: Mutex::new(buffer),
            gate: tokio::sync::RwLock::new(()),
            flush_lock: tokio::sync::Mutex::new(()),
            in_flight_keys: Mutex::new(HashSet::new()),
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

fn restore_keys(catalog: &Catalog, table: Table, header: &WriteHeader) -> Result<()> {
    let key = header.idempotency.as_ref().map(|k| {
        (
            k.key.as_str(),
            StoredKey {
                fingerprint: k.fingerprint,
                accepted: header.accepted,
                created_ns: now_ns(),
            },
        )
    });
    catalog.record_write(&header.tenant, table.name(), key, &header.item_ids)?;
    // Like the keys: not fsynced here; the WAL record carries the same states.
    catalog.put_patterns(&header.patterns, false)?;
    catalog.put_metric_metadata(&header.metadata, false)
}

/// The items whose `keep` flag (one per item, in order) is set.
fn keep_only<T>(items: Vec<T>, keep: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(item, _)| item)
        .collect()
}

/// What a write carries besides its rows.
struct WriteExtras {
    item_ids: Vec<Option<String>>,
    idempotency: Option<IdempotencyKey>,
    patterns: Vec<PatternTemplate>,
}

/// Removes an in-flight idempotency key when the request finishes, however it finishes.
struct InFlight<'a> {
    keys: &'a Mutex<HashSet<String>>,
    key: Option<String>,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let (Some(key), Ok(mut keys)) = (self.key.take(), self.keys.lock()) {
            keys.remove(&key);
        }
    }
}

impl Inner {
    fn part_path(&self, part: &PartMeta) -> PathBuf {
        self.config.data_dir.join(&part.path)
    }

    fn publish_part_metrics(&self) {
        let parts = self.catalog.parts();
        PARTS.set(parts.len() as i64);
        PART_BYTES.set(parts.iter().map(|p| p.bytes).sum::<u64>() as i64);
    }

    /// A write's last step before it answers; a test may hold it there.
    async fn after_write(&self) {
        #[cfg(test)]
        {
            let pause = self.write_pause.lock().ok().and_then(|p| p.clone());
            if let Some(pause) = pause {
                pause.reached.notify_one();
                pause.resume.notified().await;
            }
        }
    }

    fn flush_due(&self) -> bool {
        let buffer = lock(&self.buffer);
        buffer.active_rows() > 0
            && (buffer.active_bytes() >= self.config.flush_bytes
                || buffer
                    .active_age()
                    .is_some_and(|age| age >= self.config.flush_interval)
                || buffer.bytes() >= self.config.max_buffer_bytes / 2)
    }

    /// Checks an idempotency key: `Ok(Some(outcome))` when the request was already done.
    fn check_key<'a>(
        &'a self,
        tenant: &str,
        key: &Option<IdempotencyKey>,
    ) -> Result<(InFlight<'a>, Option<WriteOutcome>)> {
        let mut guard = InFlight {
            keys: &self.in_flight_keys,
            key: None,
        };
        let Some(key) = key else {
            return Ok((guard, None));
        };
        let slot = format!("{tenant}\u{0}{}", key.key);
        {
            let mut keys = self
                .in_flight_keys
                .lock()
                .map_err(|_| StorageError::Catalog("poisoned lock".into()))?;
            if !keys.insert(slot.clone()) {
                return Err(StorageError::IdempotencyConflict(format!(
                    "a request with Idempotency-Key {:?} is still in progress",
                    key.key
                )));
            }
        }
        guard.key = Some(slot);
        match self.catalog.idempotency_key(tenant, &key.key)? {
            Some(stored) if stored.fingerprint == key.fingerprint => Ok((
                guard,
                Some(WriteOutcome {
                    accepted: stored.accepted,
                    replayed: true,
                }),
            )),
            Some(_) => Err(StorageError::IdempotencyConflict(format!(
                "Idempotency-Key {:?} was already used with a different request body",
                key.key
            ))),
            None => Ok((guard, None)),
        }
    }

    fn check_capacity(&self) -> Result<()> {
        if self.shutting_down.load(Ordering::Relaxed) {
            return Err(StorageError::ShuttingDown);
        }
        let buffered = lock(&self.buffer).bytes();
        if buffered >= self.config.max_buffer_bytes {
            BACKPRESSURE.inc();
            return Err(StorageError::Backpressure {
                buffered_bytes: buffered as u64,
                limit_bytes: self.config.max_buffer_bytes as u64,
                retry_after_secs: 1,
            });
        }
        Ok(())
    }

    /// Which items to keep: drops items whose id was stored before or repeats within the batch.
    fn new_items(
        &self,
        tenant: &str,
        table: Table,
        item_ids: &[Option<String>],
    ) -> Result<(Vec<bool>, Vec<String>)> {
        let ids: Vec<&str> = item_ids.iter().flatten().map(String::as_str).collect();
        let mut seen = self.catalog.seen_item_ids(tenant, table.name(), &ids)?;
        let mut keep = Vec::with_capacity(item_ids.len());
        let mut fresh = Vec::new();
        for id in item_ids {
            match id {
                None => keep.push(true),
                Some(id) => {
                    let is_new = seen.insert(id.clone());
                    keep.push(is_new);
                    if is_new {
                        fresh.push(id.clone());
                    }
                }
            }
        }
        Ok((keep, fresh))
    }

    /// The write path of logs and spans: idempotency, capacity, item-id deduplication, WAL
    /// append with fsync, then the buffer. `to_rows` turns the kept items into buffer rows.
    async fn write<T>(
        &self,
        table: Table,
        tenant: &str,
        items: Vec<T>,
        extras: WriteExtras,
        to_rows: impl FnOnce(Vec<T>) -> Result<Buffered>,
    ) -> Result<WriteOutcome> {
        let WriteExtras {
            item_ids,
            idempotency,
            patterns,
        } = extras;
        let (_in_flight, done) = self.check_key(tenant, &idempotency)?;
        if let Some(outcome) = done {
            return Ok(outcome);
        }
        self.check_capacity()?;
        let accepted = items.len() as u64;
        let (keep, fresh) = self.new_items(tenant, table, &item_ids)?;
        let items = if keep.iter().all(|k| *k) {
            items
        } else {
            keep_only(items, &keep)
        };
        let rows = to_rows(items)?;
        let header = WriteHeader {
            tenant: tenant.to_string(),
            idempotency,
            accepted,
            item_ids: fresh,
            patterns,
            metadata: Vec::new(),
        };
        let payload = wal_record::encode(&header, &rows)?;
        {
            let _shared = self.gate.read().await;
            self.wal.append(payload).await?;
            lock(&self.buffer).insert(rows)?;
            // Under the gate: a flush that seals this record's segment commits the catalog
            // (durably) after this, so the key outlives the segment's deletion.
            restore_keys(&self.catalog, table, &header)?;
        }
        self.after_write().await;
        Ok(WriteOutcome {
            accepted,
            replayed: false,
        })
    }

    async fn write_logs(&self, write: LogsWrite) -> Result<WriteOutcome> {
        write.check().map_err(StorageError::InvalidArgument)?;
        let LogsWrite {
            tenant,
            records,
            item_ids,
            patterns,
            idempotency,
        } = write;
        let extras = WriteExtras {
            item_ids,
            idempotency,
            patterns,
        };
        self.write(Table::Logs, &tenant, records, extras, |items| {
            Ok(Buffered::Rows(Table::Logs, logs_batch(&items)?))
        })
        .await
    }

    async fn write_spans(&self, write: SpansWrite) -> Result<WriteOutcome> {
        let extras = WriteExtras {
            item_ids: Vec::new(),
            idempotency: write.idempotency,
            patterns: Vec::new(),
        };
        self.write(Table::Spans, &write.tenant, write.spans, extras, |items| {
            Ok(Buffered::Rows(Table::Spans, spans_batch(&items)?))
        })
        .await
    }

    /// The write path of metrics: like [`Inner::write`], but the samples are logged as series
    /// ids of the active buffer generation, each id defined once per generation, with the
    /// request's exemplars and metadata in the same record. So that no record can reach the log
    /// before the record defining its ids, ids are handed out and the record submitted under
    /// the buffer lock; the flush gate, held until the rows are in the buffer, keeps the
    /// generation active meanwhile.
    async fn write_metrics(&self, write: MetricsWrite) -> Result<WriteOutcome> {
        // Checked before anything is logged: a record must never name a series it lacks.
        write.check().map_err(StorageError::InvalidArgument)?;
        let MetricsWrite {
            series,
            item_ids,
            exemplars,
            metadata,
            idempotency,
        } = write;
        let tenant = series.tenant.clone();
        let (_in_flight, done) = self.check_key(&tenant, &idempotency)?;
        if let Some(outcome) = done {
            return Ok(outcome);
        }
        self.check_capacity()?;
        let accepted = series.len() as u64;
        let (keep, fresh) = self.new_items(&tenant, Table::Metrics, &item_ids)?;
        let series = if keep.iter().all(|k| *k) {
            series
        } else {
            series.keep_only(&keep)
        };
        let exemplars = match exemplars.is_empty() {
            true => None,
            false => Some(exemplars_batch(&exemplars)?),
        };
        let header = WriteHeader {
            tenant,
            idempotency,
            accepted,
            item_ids: fresh,
            patterns: Vec::new(),
            metadata,
        };
        {
            let _shared = self.gate.read().await;
            let (resolution, pending) = {
                let mut buffer = lock(&self.buffer);
                let resolution = buffer.resolve_series(&series);
                let submitted = wal_record::encode_identified(
                    &header,
                    &series,
                    &resolution,
                    exemplars.as_ref(),
                )
                .and_then(|payload| Ok(self.wal.submit(payload)?));
                match submitted {
                    Ok(pending) => (resolution, pending),
                    Err(e) => {
                        buffer.forget_definitions(&resolution);
                        return Err(e);
                    }
                }
            };
            pending.durable().await?;
            {
                let mut buffer = lock(&self.buffer);
                buffer.insert_resolved(&series, &resolution)?;
                if let Some(exemplars) = exemplars {
                    buffer.insert(Buffered::Rows(Table::Exemplars, exemplars))?;
                }
            }
            // Under the gate, as in `write`.
            restore_keys(&self.catalog, Table::Metrics, &header)?;
        }
        self.after_write().await;
        Ok(WriteOutcome {
            accepted,
            replayed: false,
        })
    }

    async fn flush(&self) -> Result<()> {
        let _one_at_a_time = self.flush_lock.lock().await;
        let started = Instant::now();
        let sealed = {
            let _exclusive = self.gate.write().await;
            let sealed = self.wal.rotate().await?;
            lock(&self.buffer).freeze(sealed);
            sealed
        };
        let frozen = lock(&self.buffer).frozen();
        let result = async {
            let mut by_table: BTreeMap<Table, Vec<RecordBatch>> = BTreeMap::new();
            for chunk in &frozen {
                for (table, batches) in &chunk.rows.tables {
                    by_table
                        .entry(*table)
                        .or_default()
                        .extend(batches.iter().cloned());
                }
            }
            let data_dir = self.config.data_dir.clone();
            let generations = frozen.clone();
            let parts = tokio::task::spawn_blocking(move || -> Result<Vec<PartMeta>> {
                let mut parts = Vec::new();
                let series: Vec<&SeriesRows> = generations
                    .iter()
                    .map(|g| &g.rows.series)
                    .filter(|s| s.rows() > 0)
                    .collect();
                if !series.is_empty() {
                    let name = format!("{}-{sealed:020}", Table::Metrics.name());
                    parts.extend(write_series_parts(&data_dir, &series, &name)?);
                }
                for (table, batches) in by_table {
                    let name = format!("{}-{sealed:020}", table.name());
                    parts.extend(write_parts(&data_dir, table, &batches, &name)?);
                }
                Ok(parts)
            })
            .await
            .map_err(|e| StorageError::Encoding(format!("flush task failed: {e}")))??;
            {
                // Under the buffer lock, so a query sees the frozen rows or the parts holding
                // them, never both (see `sources`). The commit's fsync briefly delays inserts,
                // once per flush.
                let mut buffer = lock(&self.buffer);
                self.catalog.commit_parts(&parts, &[], Some(sealed))?;
                buffer.release(sealed);
            }
            self.wal.remove_through(sealed)?;
            self.publish_part_metrics();
            Ok::<_, StorageError>(parts)
        }
        .await;
        JOB_SECONDS
            .with_label_values(&["flush"])
            .observe(started.elapsed().as_secs_f64());
        match &result {
            Ok(parts) => {
                FLUSHES.with_label_values(&["ok"]).inc();
                if !parts.is_empty() {
                    tracing::info!(
                        parts = parts.len(),
                        rows = parts.iter().map(|p| p.rows).sum::<u64>(),
                        bytes = parts.iter().map(|p| p.bytes).sum::<u64>(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "flushed the buffer to Parquet"
                    );
                }
            }
            Err(_) => FLUSHES.with_label_values(&["error"]).inc(),
        }
        result.map(|_| ())
    }

    async fn maintain(&self) {
        let started = Instant::now();
        if let Err(e) = self.compact().await {
            tracing::error!(error = %e, "compaction failed");
        }
        JOB_SECONDS
            .with_label_values(&["compaction"])
            .observe(started.elapsed().as_secs_f64());
        let started = Instant::now();
        if let Err(e) = self.apply_retention() {
            tracing::error!(error = %e, "retention failed");
        }
        JOB_SECONDS
            .with_label_values(&["retention"])
            .observe(started.elapsed().as_secs_f64());
        let before = now_ns() - self.config.idempotency_ttl.as_nanos() as i64;
        match self.catalog.prune_keys(before) {
            Ok(0) => {}
            Ok(pruned) => tracing::debug!(pruned, "forgot expired idempotency keys"),
            Err(e) => tracing::error!(error = %e, "pruning idempotency keys failed"),
        }
    }

    /// Merges the parts of each day partition that has at least `compaction_min_parts` of them.
    /// Runs beside flushes: a flush only adds parts, compaction replaces only the parts it read,
    /// and each catalog commit is atomic. Only maintenance calls it, so retention never races it.
    async fn compact(&self) -> Result<()> {
        let mut groups: BTreeMap<(String, i64), Vec<PartMeta>> = BTreeMap::new();
        for part in self.catalog.parts() {
            groups
                .entry((part.table.clone(), part.day))
                .or_default()
                .push(part);
        }
        for ((table_name, day), inputs) in groups {
            if inputs.len() < self.config.compaction_min_parts.max(2) {
                continue;
            }
            let Some(table) = Table::from_name(&table_name) else {
                continue;
            };
            let paths: Vec<PathBuf> = inputs.iter().map(|p| self.part_path(p)).collect();
            let data_dir = self.config.data_dir.clone();
            let name = format!("{}-compacted-{}", table.name(), now_ns());
            let outputs = tokio::task::spawn_blocking(move || -> Result<Vec<PartMeta>> {
                let mut batches = Vec::new();
                for path in &paths {
                    batches.extend(read_part(path)?);
                }
                write_parts(&data_dir, table, &batches, &name)
            })
            .await
            .map_err(|e| StorageError::Encoding(format!("compaction task failed: {e}")))??;
            let removed: Vec<String> = inputs.iter().map(|p| p.path.clone()).collect();
            self.catalog.commit_parts(&outputs, &removed, None)?;
            COMPACTIONS.inc();
            tracing::info!(
                table = table.name(),
                day,
                inputs = inputs.len(),
                "compacted a day partition"
            );
            self.delete_later(removed);
        }
        self.publish_part_metrics();
        Ok(())
    }

    /// Deletes replaced part files after a grace period, so queries that listed them before the
    /// catalog changed can finish reading. A crash before then leaves orphans that the next
    /// start removes.
    fn delete_later(&self, paths: Vec<String>) {
        let data_dir = self.config.data_dir.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            for path in paths {
                delete_part(&data_dir, &path);
            }
        });
    }

    fn apply_retention(&self) -> Result<()> {
        let cutoff = now_ns().saturating_sub(self.config.retention_ns);
        let expired: Vec<PartMeta> = self
            .catalog
            .parts()
            .into_iter()
            .filter(|p| day_start(p.day + 1) <= cutoff)
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        let removed: Vec<String> = expired.iter().map(|p| p.path.clone()).collect();
        self.catalog.commit_parts(&[], &removed, None)?;
        let days: HashSet<(String, i64)> =
            expired.iter().map(|p| (p.table.clone(), p.day)).collect();
        RETENTION_DROPS.inc_by(days.len() as u64);
        tracing::info!(
            partitions = days.len(),
            parts = removed.len(),
            "dropped day partitions past retention"
        );
        self.delete_later(removed);
        self.publish_part_metrics();
        Ok(())
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
            since,
            until,
        ))
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
        let sources = self
            .inner
            .sources(scan.table, scan.since_ns, scan.until_ns)?;
        crate::scan::frame(ctx, scan, sources).await
    }
}

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

#[cfg(test)]
mod tests;
