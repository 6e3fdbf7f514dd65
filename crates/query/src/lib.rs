//! TelemetryHub's query layer: plans and runs queries with Apache DataFusion over the scans of a
//! [`DataStore`].
//!
//! The store answers *what rows* (a [`Scan`]: table, tenant, time range, equality and label
//! filters, pushed down to its readers); this crate decides *what to do with them*: the filters
//! a scan cannot express, ordering, aggregation, limits, and the conversion to model types.
//! It serves the native REST queries, the background jobs and PromQL (its own crate on top of
//! this one); `sql` runs SQL over a tenant's tables. It knows no HTTP; of query languages'
//! syntax only SQL's, through DataFusion's own planner.
//!
//! [`Scan`]: telemetryhub_storage::Scan

#![deny(missing_docs)]

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod error;
mod log_streams;
mod metrics;
mod plans;
mod series_rollups;
mod series_select;
mod sql;
mod traces;

use std::sync::Arc;
use std::time::Instant;

use datafusion::prelude::{SessionConfig, SessionContext};
use telemetryhub_model::{
    AggregatedSeries, Exemplar, Labels, LogQuery, LogRecord, MetricPoint, MetricQuery,
    PatternCount, PatternCountsQuery, SeriesQuery, Span, SpanOperation, SpanQuery,
};
use telemetryhub_storage::{DataStore, StateStore};

pub use error::QueryError;
pub use log_streams::{LogStream, LogStreamSelect, StreamEntry, StreamVolume, structured_metadata};
pub use series_rollups::ROLLUP_MIN_RANGE_NS;
pub use series_select::{
    SelectedSeries, SeriesSelect, label_names, label_values, prometheus_labels,
};
pub use sql::{
    SqlAnswer, SqlColumnDoc, SqlFormat, SqlRequest, SqlTableDoc, TABLE_NAMES as SQL_TABLE_NAMES,
    table_docs as sql_table_docs,
};
pub use telemetryhub_model::{METRIC_NAME_LABEL, SeriesMatchOp, SeriesMatcher};
pub use telemetryhub_storage::{SamplesRead, SamplesShape};
pub use traces::TraceSearch;

use crate::metrics::QUERY_SECONDS;

/// Result alias of this crate.
pub type Result<T, E = QueryError> = std::result::Result<T, E>;

/// A backend as the layers above storage use it: its data path, its state, and a query engine
/// over the data. Cheap to clone.
#[derive(Clone)]
pub struct Backend {
    /// Durable writes and scans of telemetry.
    pub data: Arc<dyn DataStore>,
    /// The application's small mutable records.
    pub state: Arc<dyn StateStore>,
    /// Queries over `data`.
    pub query: QueryEngine,
}

impl Backend {
    /// A backend of a data store and a state store (the embedded engine is both).
    pub fn new(data: Arc<dyn DataStore>, state: Arc<dyn StateStore>) -> Backend {
        Backend {
            query: QueryEngine::new(data.clone()),
            data,
            state,
        }
    }

    /// A backend whose data and state are one object (the embedded engine).
    pub fn of<S: DataStore + StateStore + 'static>(store: Arc<S>) -> Backend {
        Backend::new(store.clone(), store)
    }

    /// Runs a read-only SQL query over the request's tenant's tables (telemetry from `data`,
    /// anomalies and patterns from `state`) within its limits; see [`SqlRequest`].
    pub async fn sql(&self, request: &SqlRequest) -> Result<SqlAnswer> {
        sql::run(self.data.clone(), self.state.clone(), request).await
    }
}

/// Runs queries over a data store. Cheap to clone.
#[derive(Clone)]
pub struct QueryEngine {
    data: Arc<dyn DataStore>,
}

/// The DataFusion session of one query: two partitions (the machines this targets have few
/// cores, and a query's inputs are a buffer and a handful of parts), Parquet filter push-down on.
fn context() -> SessionContext {
    let mut config = SessionConfig::new().with_target_partitions(2);
    let options = config.options_mut();
    options.execution.parquet.pushdown_filters = true;
    options.execution.parquet.reorder_filters = true;
    SessionContext::new_with_config(config)
}

impl QueryEngine {
    /// An engine reading from `data`.
    pub fn new(data: Arc<dyn DataStore>) -> QueryEngine {
        QueryEngine { data }
    }

    /// Times one query under `kind` in `telemetryhub_query_duration_seconds`.
    async fn timed<T>(
        &self,
        kind: &str,
        run: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let started = Instant::now();
        let result = run.await;
        QUERY_SECONDS
            .with_label_values(&[kind])
            .observe(started.elapsed().as_secs_f64());
        result
    }

    /// The series `select` matches with their samples in its time range (PromQL's read path).
    pub async fn select_series(&self, select: &SeriesSelect) -> Result<Vec<SelectedSeries>> {
        self.select_series_read(select, &SamplesRead::default())
            .await
    }

    /// The series `select` matches with their samples in its time range, read as `read` asks:
    /// each series' samples shaped as soon as they are read (a function's values at its
    /// evaluation times, say), on the core that read them, so that a large selection is never
    /// held whole; or an unshaped read refused before decoding when it would hold more samples
    /// than `read` allows ([`QueryError::exceeds_sample_limit`]).
    pub async fn select_series_read(
        &self,
        select: &SeriesSelect,
        read: &SamplesRead,
    ) -> Result<Vec<SelectedSeries>> {
        // The query context is made only if the store's direct read cannot answer: making one
        // costs more than a small selection's whole read.
        self.timed(
            "select_series",
            series_select::select_series(context, self.data.as_ref(), select, read),
        )
        .await
    }

    /// The label sets of the series `select` matches with a sample in its time range.
    pub async fn series_labels(&self, select: &SeriesSelect) -> Result<Vec<Labels>> {
        let ctx = context();
        self.timed(
            "series_labels",
            series_select::series_labels(&ctx, self.data.as_ref(), select),
        )
        .await
    }

    /// The label sets of the series any of `selects` matches with a sample in its time range
    /// (the union of Prometheus' repeated `match[]`), ordered, each once. Label names and
    /// values of them: [`label_names`], [`label_values`].
    pub async fn series_labels_of_any(&self, selects: &[SeriesSelect]) -> Result<Vec<Labels>> {
        let ctx = context();
        self.timed(
            "series_labels",
            series_select::series_labels_of_any(&ctx, self.data.as_ref(), selects),
        )
        .await
    }

    /// The log streams `select` matches with their lines (LogQL's read path).
    pub async fn log_streams(&self, select: &LogStreamSelect) -> Result<Vec<LogStream>> {
        let ctx = context();
        self.timed(
            "log_streams",
            log_streams::log_streams(&ctx, self.data.as_ref(), select),
        )
        .await
    }

    /// The label sets of one tenant's log streams matching every matcher with a line in
    /// `since_ns..until_ns`, sorted, each once (Loki's series, labels and label values).
    pub async fn log_stream_labels(
        &self,
        tenant: &str,
        matchers: &[SeriesMatcher],
        since_ns: i64,
        until_ns: i64,
    ) -> Result<Vec<Labels>> {
        let ctx = context();
        self.timed(
            "log_stream_labels",
            log_streams::stream_labels_of(
                &ctx,
                self.data.as_ref(),
                tenant,
                matchers,
                since_ns,
                until_ns,
            ),
        )
        .await
    }

    /// The lines and bytes of each of one tenant's log streams matching every matcher in
    /// `since_ns..until_ns` (Loki's index statistics and volume).
    pub async fn log_stream_volumes(
        &self,
        tenant: &str,
        matchers: &[SeriesMatcher],
        since_ns: i64,
        until_ns: i64,
    ) -> Result<Vec<StreamVolume>> {
        let ctx = context();
        self.timed(
            "log_stream_volumes",
            log_streams::stream_volumes(
                &ctx,
                self.data.as_ref(),
                tenant,
                matchers,
                since_ns,
                until_ns,
            ),
        )
        .await
    }

    /// Line counts per stored pattern id and time bucket (`(id, bucket start, count)`, sorted)
    /// of one tenant's log streams matching every matcher in `since_ns..until_ns`.
    pub async fn log_pattern_buckets(
        &self,
        tenant: &str,
        matchers: &[SeriesMatcher],
        since_ns: i64,
        until_ns: i64,
        step_ns: i64,
    ) -> Result<Vec<(u64, i64, u64)>> {
        let ctx = context();
        self.timed(
            "log_pattern_buckets",
            log_streams::pattern_buckets(
                &ctx,
                self.data.as_ref(),
                tenant,
                matchers,
                since_ns,
                until_ns,
                step_ns,
            ),
        )
        .await
    }

    /// Raw points of the series `query` selects, newest first.
    pub async fn metrics(&self, query: &MetricQuery) -> Result<Vec<MetricPoint>> {
        let ctx = context();
        self.timed("metrics", plans::metrics(&ctx, self.data.as_ref(), query))
            .await
    }

    /// Points of every tenant with `since <= ts < until`, oldest first, at most `limit` (for
    /// background jobs that follow all series, such as anomaly scoring).
    pub async fn scan_metrics_of_all_tenants(
        &self,
        since_ns: i64,
        until_ns: i64,
        limit: usize,
    ) -> Result<Vec<MetricPoint>> {
        let ctx = context();
        self.timed(
            "scan",
            plans::scan_metrics(&ctx, self.data.as_ref(), since_ns, until_ns, limit),
        )
        .await
    }

    /// Time-bucketed aggregates per series. Ranges longer than [`ROLLUP_MIN_RANGE_NS`]
    /// bucketed by whole hours are answered from the hourly rollups where the store has them
    /// (same shape; quantiles within the rollups' stated error), others from raw samples.
    pub async fn series(&self, query: &SeriesQuery) -> Result<Vec<AggregatedSeries>> {
        let ctx = context();
        if series_rollups::uses_rollups(self.data.as_ref(), query) {
            return self
                .timed(
                    "series_rollups",
                    series_rollups::series(&ctx, self.data.as_ref(), query),
                )
                .await;
        }
        self.timed("series", plans::series(&ctx, self.data.as_ref(), query))
            .await
    }

    /// Log records, newest first.
    pub async fn logs(&self, query: &LogQuery) -> Result<Vec<LogRecord>> {
        let ctx = context();
        self.timed("logs", plans::logs(&ctx, self.data.as_ref(), query))
            .await
    }

    /// Line counts per stored pattern id, service and level.
    pub async fn pattern_counts(&self, query: &PatternCountsQuery) -> Result<Vec<PatternCount>> {
        let ctx = context();
        self.timed(
            "patterns",
            plans::pattern_counts(&ctx, self.data.as_ref(), query),
        )
        .await
    }

    /// Lines stored with any of `pattern_ids`, counted per `step_ns` bucket (oldest first).
    pub async fn pattern_histogram(
        &self,
        tenant: &str,
        pattern_ids: &[u64],
        since_ns: i64,
        until_ns: i64,
        step_ns: i64,
    ) -> Result<Vec<(i64, u64)>> {
        let ctx = context();
        let window = plans::Window {
            since_ns,
            until_ns,
            step_ns,
        };
        self.timed(
            "pattern_histogram",
            plans::pattern_histogram(&ctx, self.data.as_ref(), tenant, pattern_ids, window),
        )
        .await
    }

    /// Exemplars of the series a metric query selects, newest first (its `limit` applies).
    pub async fn exemplars(&self, query: &MetricQuery) -> Result<Vec<Exemplar>> {
        let ctx = context();
        self.timed(
            "exemplars",
            plans::exemplars(&ctx, self.data.as_ref(), query),
        )
        .await
    }

    /// Exemplars of the series any of `selects` matches (Prometheus' `query_exemplars`), by
    /// series: each series' Prometheus label set with its exemplars oldest first, series
    /// ordered by label set. At most `limit` exemplars per selection, the newest.
    pub async fn exemplars_of_series(
        &self,
        selects: &[SeriesSelect],
        limit: usize,
    ) -> Result<Vec<(Labels, Vec<Exemplar>)>> {
        let mut by_series: std::collections::BTreeMap<Labels, Vec<Exemplar>> =
            std::collections::BTreeMap::new();
        for select in selects {
            let metric = select.matchers.iter().find_map(|m| match &m.op {
                SeriesMatchOp::Equal(name) if m.name == METRIC_NAME_LABEL => Some(name.clone()),
                _ => None,
            });
            let query = MetricQuery {
                tenant: select.tenant.clone(),
                service: None,
                metric,
                since_ns: select.since_ns,
                until_ns: select.until_ns.saturating_add(1),
                labels: Vec::new(),
                limit,
            };
            for exemplar in self.exemplars(&query).await? {
                let labels = series_select::prometheus_label_set(
                    &exemplar.service,
                    &exemplar.metric,
                    exemplar.labels.clone(),
                );
                if select.matchers.iter().all(|m| m.matches_labels(&labels)) {
                    by_series.entry(labels).or_default().push(exemplar);
                }
            }
        }
        Ok(by_series
            .into_iter()
            .map(|(labels, mut exemplars)| {
                exemplars.sort_by_key(|e| e.ts_ns);
                exemplars
                    .dedup_by(|a, b| a.ts_ns == b.ts_ns && a.exemplar_labels == b.exemplar_labels);
                (labels, exemplars)
            })
            .collect())
    }

    /// Spans, newest first.
    pub async fn spans(&self, query: &SpanQuery) -> Result<Vec<Span>> {
        let ctx = context();
        self.timed("spans", plans::spans(&ctx, self.data.as_ref(), query))
            .await
    }

    /// The distinct operations (service, span name, kind) of spans starting in
    /// `since <= ts < until`, optionally of one service, sorted.
    pub async fn span_operations(
        &self,
        tenant: &str,
        service: Option<&str>,
        since_ns: i64,
        until_ns: i64,
    ) -> Result<Vec<SpanOperation>> {
        let ctx = context();
        self.timed(
            "span_operations",
            plans::span_operations(
                &ctx,
                self.data.as_ref(),
                tenant,
                service,
                since_ns,
                until_ns,
            ),
        )
        .await
    }
}

#[cfg(test)]
mod tests;
