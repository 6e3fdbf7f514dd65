//! TelemetryHub's storage layer: the two traits every backend implements — [`DataStore`] (the
//! telemetry: durable writes and scans) and [`StateStore`] (the application's small mutable
//! records) — and the embedded engine that is the default and implements both.
//!
//! The embedded engine ([`EmbeddedStorage`]) writes every batch to the WAL, waits for the group
//! commit's fsync, then appends it to an in-memory Arrow buffer that queries read at once. The
//! buffer is flushed to Parquet parts partitioned by table and day; the catalog (in redb) is the
//! only truth about which parts exist; WAL segments are deleted only after the catalog records
//! that their data is in parts. A [`Scan`] reads buffer and parts together as one DataFusion
//! frame; planning queries over it is the query layer's job (`telemetryhub-query`).

#![deny(missing_docs)]

mod buffer;
mod catalog;
mod embedded;
mod error;
mod fetched_pages;
mod flush_order;
mod log_index;
mod metrics;
mod parts;
mod parts_table;
mod rollups;
mod sample_cache;
mod scan;
pub mod schema;
mod series_index;
mod series_rows;
mod series_samples;
#[cfg(any(test, feature = "conformance"))]
pub mod state_conformance;
mod value_codec;
mod wal_record;

use async_trait::async_trait;
use datafusion::prelude::{DataFrame, SessionContext};
use telemetryhub_model::{
    Anomaly, AnomalyQuery, DeadLetter, DeadLetterQuery, LogsWrite, MetricMetadata, MetricsWrite,
    PatternFeedback, PatternSummary, PatternTemplate, SpansWrite,
};

pub use embedded::{EmbeddedConfig, EmbeddedStorage};
pub use error::StorageError;
pub use log_index::StoredLogStream;
pub use sample_cache::DEFAULT_SAMPLE_CACHE_BYTES;
pub use scan::{
    BUFFER_WRITE_ORDER, MetricSeries, Scan, SeriesFilter, StoredSeries, TenantScope, WRITE_ORDER,
    contains_text, ts_lit,
};
pub use schema::Table;
pub use series_samples::{SamplesRead, SamplesShape, SeriesSamples};
pub use telemetryhub_model::IdempotencyKey;

/// Result alias of this crate.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// The key that names one metric series in per-series state: tenant, service, metric and labels.
pub fn series_key(
    tenant: &str,
    service: &str,
    metric: &str,
    labels: &telemetryhub_model::Labels,
) -> String {
    let labels = serde_json::to_string(labels).unwrap_or_default();
    format!("{tenant}\u{0}{service}\u{0}{metric}\u{0}{labels}")
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WriteOutcome {
    /// Items the request carried and that are now stored (the same number on a replayed
    /// idempotent request, which stores nothing new).
    pub accepted: u64,
    /// Whether this answer was replayed from an earlier request with the same idempotency key.
    pub replayed: bool,
}

/// Counters describing the store, for `/health`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct StorageStats {
    /// Rows held in memory, not yet in Parquet parts.
    pub rows_buffered: u64,
    /// Approximate bytes held by the buffer.
    pub buffer_bytes: u64,
    /// Parquet parts in the catalog.
    pub parts: u64,
    /// Bytes of all parts on disk.
    pub part_bytes: u64,
    /// Bytes of live WAL segments.
    pub wal_bytes: u64,
}

/// The data path of a backend: durable writes of telemetry and scans of it. Every backend passes
/// the data conformance suite of `telemetryhub-query` (its `conformance` feature), which writes
/// through this trait and reads through the query layer.
#[async_trait]
pub trait DataStore: Send + Sync {
    /// Stores one request's metrics — its samples, exemplars and metadata — atomically: all or
    /// none, durable when this returns `Ok`, under the request's idempotency key (a resend with
    /// the same key and body stores nothing and answers the first outcome; another body is
    /// [`StorageError::IdempotencyConflict`]). Samples whose item id was stored before are
    /// skipped. A request that fails [`MetricsWrite::check`] is refused with
    /// [`StorageError::InvalidArgument`] before anything is logged. `accepted` counts samples.
    async fn write_metrics(&self, write: MetricsWrite) -> Result<WriteOutcome>;

    /// Stores one request's log records; same guarantees as [`DataStore::write_metrics`]. The
    /// log patterns the records created or changed are stored with them, atomically (they are
    /// then what [`StateStore::load_patterns`] returns).
    async fn write_logs(&self, write: LogsWrite) -> Result<WriteOutcome>;

    /// Stores one request's spans; same guarantees as [`DataStore::write_metrics`].
    async fn write_spans(&self, write: SpansWrite) -> Result<WriteOutcome>;

    /// The rows `scan` selects — every acknowledged write, buffered or persisted, each once —
    /// as a frame of `ctx` in the table's schema ([`Table::schema`], or the scan's columns), or
    /// `None` when there is nothing to read. The frame is lazy: the caller adds its own filters,
    /// ordering and aggregation before running it.
    async fn scan(&self, ctx: &SessionContext, scan: &Scan) -> Result<Option<DataFrame>>;

    /// The distinct metrics series with a row that `scan` (of the metrics table) selects, in
    /// no particular order — what a listing of series, label names or values needs, without
    /// the samples. This default reads the rows; a store that keeps a list of its series
    /// answers from it where it can.
    async fn metric_series(&self, ctx: &SessionContext, scan: &Scan) -> Result<Vec<MetricSeries>> {
        let scan = scan::series_columns(scan);
        let mut found = std::collections::HashSet::new();
        if let Some(frame) = self.scan(ctx, &scan).await? {
            scan::distinct_series(frame, &mut found).await?;
        }
        Ok(found.into_iter().collect())
    }

    /// The samples of each stored metrics series `scan` (of the metrics table) selects, in time
    /// order, one per timestamp (of samples written with one series and time, the last written),
    /// series in no particular order — or `None` when this store cannot read `scan` that way,
    /// and the caller reads [`DataStore::scan`]'s rows instead (this default). A store that
    /// knows its series apart from its rows answers without planning a query. `read` shapes
    /// each series as soon as it is read, or limits the samples the read may hold.
    async fn metric_samples(
        &self,
        scan: &Scan,
        read: &SamplesRead,
    ) -> Result<Option<Vec<SeriesSamples>>> {
        let _ = (scan, read);
        Ok(None)
    }

    /// The distinct log streams with a row that `scan` (of the logs table) selects, in no
    /// particular order. With `exact` false the answer may also hold streams that `scan`'s
    /// tenant and stream filters want but that have no row in its time range — enough for a
    /// reader that reads the streams' rows next, and cheaper: a store with an index of its
    /// streams answers from it without reading rows. This default reads the rows.
    async fn log_streams(
        &self,
        ctx: &SessionContext,
        scan: &Scan,
        exact: bool,
    ) -> Result<Vec<StoredLogStream>> {
        let _ = exact;
        let scan = scan::stream_columns(scan);
        let mut found = std::collections::HashSet::new();
        if let Some(frame) = self.scan(ctx, &scan).await? {
            scan::distinct_streams(frame, &mut found).await?;
        }
        Ok(found.into_iter().collect())
    }

    /// From when on the hourly rollups (`metrics_hourly`) hold every stored metric sample:
    /// hours at or after this time are answered alike from rollups and from raw samples, as
    /// long as both are kept. `None` when the store keeps no rollups (the default). Rollups of
    /// samples stored before rollups existed are absent; this time lies after them.
    fn rollups_complete_since(&self) -> Option<i64> {
        None
    }

    /// Makes everything acknowledged so far part of the long-term store (Parquet parts for the
    /// embedded engine).
    async fn flush(&self) -> Result<()>;

    /// Flushes and releases resources; later writes fail with [`StorageError::ShuttingDown`].
    async fn shutdown(&self) -> Result<()>;

    /// Current counters.
    fn stats(&self) -> StorageStats;
}

/// The application state of a backend: small, mutable records (patterns, feedback, summaries,
/// anomalies, thresholds, metric metadata, job states), each write durable when it returns.
/// Every backend passes [`state_conformance`].
#[async_trait]
pub trait StateStore: Send + Sync {
    /// Records what metric families are (type, help, unit), replacing earlier entries of the
    /// same tenant and metric, durably.
    async fn put_metric_metadata(&self, metadata: Vec<MetricMetadata>) -> Result<()>;

    /// A tenant's metric metadata (of one metric when given), sorted by metric.
    async fn metric_metadata(
        &self,
        tenant: &str,
        metric: Option<&str>,
    ) -> Result<Vec<MetricMetadata>>;

    /// Every stored log pattern of every tenant (to rebuild the miner at start-up).
    async fn load_patterns(&self) -> Result<Vec<PatternTemplate>>;

    /// Stores pattern states outside a write (a person's merge), durably.
    async fn save_patterns(&self, patterns: Vec<PatternTemplate>) -> Result<()>;

    /// Records what people said about a pattern, durably (replacing earlier feedback).
    async fn put_pattern_feedback(
        &self,
        tenant: &str,
        pattern_id: u64,
        feedback: PatternFeedback,
    ) -> Result<()>;

    /// All feedback of a tenant's patterns.
    async fn pattern_feedback(&self, tenant: &str) -> Result<Vec<(u64, PatternFeedback)>>;

    /// Stores pattern summaries (replacing earlier ones of the same patterns), durably.
    async fn put_pattern_summaries(&self, summaries: Vec<PatternSummary>) -> Result<()>;

    /// All stored summaries of a tenant's patterns.
    async fn pattern_summaries(&self, tenant: &str) -> Result<Vec<PatternSummary>>;

    /// Records anomalies (replacing any with the same id).
    async fn put_anomalies(&self, anomalies: Vec<Anomaly>) -> Result<()>;

    /// One stored anomaly of a tenant.
    async fn anomaly(&self, tenant: &str, id: &str) -> Result<Option<Anomaly>>;

    /// Stored anomalies, newest first.
    async fn query_anomalies(&self, query: &AnomalyQuery) -> Result<Vec<Anomaly>>;

    /// Sets a series' anomaly threshold (key: see [`series_key`]), durably.
    async fn put_series_threshold(&self, series: &str, threshold: f64) -> Result<()>;

    /// Every series threshold set so far.
    async fn series_thresholds(&self) -> Result<Vec<(String, f64)>>;

    /// Keeps execution records that could not be standardised (replacing those of the same
    /// tenant and id), durably. A store keeps a bounded number per tenant: past it, the
    /// tenant's oldest letters (by the time they were set aside, then their index) are evicted.
    async fn put_dead_letters(&self, letters: Vec<DeadLetter>) -> Result<()>;

    /// A tenant's dead letters, of one source when asked, newest first; at most `limit`.
    async fn dead_letters(&self, query: &DeadLetterQuery) -> Result<Vec<DeadLetter>>;

    /// Forgets a tenant's dead letters by id (once a replay stored them), durably.
    async fn remove_dead_letters(&self, tenant: &str, ids: &[String]) -> Result<()>;

    /// Stores a background job's state (opaque bytes), durably, replacing the previous one.
    async fn put_job_state(&self, job: &str, state: Vec<u8>) -> Result<()>;

    /// A background job's stored state.
    async fn job_state(&self, job: &str) -> Result<Option<Vec<u8>>>;
}
