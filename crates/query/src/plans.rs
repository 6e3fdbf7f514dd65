//! The plans of the native queries: each asks the store for a [`Scan`], then filters what the
//! scan cannot express, orders, aggregates and limits with DataFusion, and converts the rows.

use std::collections::BTreeMap;

use datafusion::arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::functions_aggregate::expr_fn::{avg, count, max, min, percentile_cont, sum};
use datafusion::logical_expr::{cast, col, lit};
use datafusion::prelude::{DataFrame, SessionContext};
use telemetryhub_model::{
    AggregatedSeries, Aggregation, Exemplar, Labels, Level, LogQuery, LogRecord, MetricPoint,
    MetricQuery, PatternCount, PatternCountsQuery, SeriesQuery, Span, SpanKind, SpanOperation,
    SpanQuery,
};
use telemetryhub_storage::schema::{
    Table, column, exemplars_from_batches, logs_from_batches, metrics_from_batches,
    spans_from_batches,
};
use telemetryhub_storage::{DataStore, Scan, TenantScope};

use crate::{QueryError, Result};

/// The scan of the series a metric query selects, in `table` (metrics or exemplars).
pub(crate) fn series_scan(table: Table, query: &MetricQuery) -> Scan {
    Scan::new(
        table,
        TenantScope::One(query.tenant.clone()),
        query.since_ns,
        query.until_ns,
    )
    .equal("service", query.service.clone())
    .equal("metric", query.metric.clone())
    .labels(&query.labels)
}

/// Keeps rows whose `value` is finite. The store keeps NaN, ±Inf and staleness markers as
/// written (for PromQL); the native queries answer in JSON, which cannot carry them, and
/// answered finite values only before the store kept them, so they leave them out — before any
/// limit or aggregate, which therefore count finite values only.
///
/// Arrow compares floats by IEEE 754's total order, in which every NaN lies beyond ±Inf, so the
/// two comparisons also drop NaNs of either sign.
pub(crate) fn finite_values(frame: DataFrame) -> Result<DataFrame> {
    Ok(frame.filter(
        col("value")
            .gt(lit(f64::NEG_INFINITY))
            .and(col("value").lt(lit(f64::INFINITY))),
    )?)
}

/// Runs `scan`, or `None` when the store has nothing to read.
async fn read(
    ctx: &SessionContext,
    data: &dyn DataStore,
    scan: &Scan,
) -> Result<Option<DataFrame>> {
    Ok(data.scan(ctx, scan).await?)
}

/// Rows of `table` (metrics or exemplars) of the series `query` selects, newest first.
async fn newest_of_series(
    ctx: &SessionContext,
    data: &dyn DataStore,
    table: Table,
    query: &MetricQuery,
) -> Result<Vec<RecordBatch>> {
    let Some(mut frame) = read(ctx, data, &series_scan(table, query)).await? else {
        return Ok(Vec::new());
    };
    if table == Table::Metrics {
        frame = finite_values(frame)?;
    }
    Ok(frame
        .sort(vec![
            col("ts").sort(false, false),
            col("service").sort(true, false),
            col("metric").sort(true, false),
            col("labels").sort(true, false),
        ])?
        .limit(0, Some(query.limit))?
        .collect()
        .await?)
}

pub(crate) async fn metrics(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &MetricQuery,
) -> Result<Vec<MetricPoint>> {
    let batches = newest_of_series(ctx, data, Table::Metrics, query).await?;
    Ok(metrics_from_batches(&batches)?)
}

/// Exemplars of the series `query` selects (the same filter as raw points), newest first.
pub(crate) async fn exemplars(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &MetricQuery,
) -> Result<Vec<Exemplar>> {
    let batches = newest_of_series(ctx, data, Table::Exemplars, query).await?;
    Ok(exemplars_from_batches(&batches)?)
}

/// Every tenant's points with `since <= ts < until`, oldest first, at most `limit`.
pub(crate) async fn scan_metrics(
    ctx: &SessionContext,
    data: &dyn DataStore,
    since_ns: i64,
    until_ns: i64,
    limit: usize,
) -> Result<Vec<MetricPoint>> {
    let scan = Scan::new(Table::Metrics, TenantScope::All, since_ns, until_ns);
    let Some(frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    let batches = finite_values(frame)?
        .sort(vec![
            col("ts").sort(true, false),
            col("tenant").sort(true, false),
            col("service").sort(true, false),
        ])?
        .limit(0, Some(limit))?
        .collect()
        .await?;
    Ok(metrics_from_batches(&batches)?)
}

fn positive_step(step_ns: i64) -> Result<()> {
    if step_ns <= 0 {
        return Err(QueryError::InvalidArgument("step must be positive".into()));
    }
    Ok(())
}

type SeriesKey = (String, String, String);

pub(crate) async fn series(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &SeriesQuery,
) -> Result<Vec<AggregatedSeries>> {
    positive_step(query.step_ns)?;
    let Some(frame) = read(ctx, data, &series_scan(Table::Metrics, &query.select)).await? else {
        return Ok(Vec::new());
    };
    let step = lit(query.step_ns);
    let bucket = (cast(col("ts"), DataType::Int64) / step.clone()) * step;
    let value = col("value");
    let aggregate = match query.aggregation {
        Aggregation::Avg => avg(value),
        Aggregation::Min => min(value),
        Aggregation::Max => max(value),
        Aggregation::Sum => sum(value),
        Aggregation::Count => cast(count(value), DataType::Float64),
        percentile => percentile_cont(
            value.sort(true, false),
            lit(percentile.percentile().unwrap_or(0.5)),
        ),
    };
    let batches = finite_values(frame)?
        .aggregate(
            vec![
                col("service"),
                col("metric"),
                col("labels"),
                bucket.alias("bucket"),
            ],
            vec![
                cast(aggregate, DataType::Float64).alias("agg"),
                count(col("value")).alias("n"),
            ],
        )?
        .sort(vec![
            col("bucket").sort(false, false),
            col("service").sort(true, false),
            col("metric").sort(true, false),
            col("labels").sort(true, false),
        ])?
        .limit(0, Some(query.select.limit))?
        .collect()
        .await?;
    // (service, metric, labels JSON) -> buckets
    let mut grouped: BTreeMap<SeriesKey, Vec<(i64, f64, u64)>> = BTreeMap::new();
    for batch in &batches {
        let service = column::<StringArray>(batch, "service")?;
        let metric = column::<StringArray>(batch, "metric")?;
        let labels = column::<StringArray>(batch, "labels")?;
        let bucket = column::<Int64Array>(batch, "bucket")?;
        let agg = column::<Float64Array>(batch, "agg")?;
        let n = column::<Int64Array>(batch, "n")?;
        for row in 0..batch.num_rows() {
            grouped
                .entry((
                    service.value(row).to_string(),
                    metric.value(row).to_string(),
                    labels.value(row).to_string(),
                ))
                .or_default()
                .push((
                    bucket.value(row),
                    agg.value(row),
                    n.value(row).max(0) as u64,
                ));
        }
    }
    Ok(aggregated_series(grouped))
}

/// Each series' buckets (time, value, samples), sorted by time, as the answer's series.
pub(crate) fn aggregated_series(
    grouped: BTreeMap<SeriesKey, Vec<(i64, f64, u64)>>,
) -> Vec<AggregatedSeries> {
    grouped
        .into_iter()
        .map(|((service, metric, labels), mut buckets)| {
            buckets.sort_by_key(|b| b.0);
            AggregatedSeries {
                service,
                metric,
                labels: serde_json::from_str::<Labels>(&labels).unwrap_or_default(),
                buckets,
            }
        })
        .collect()
}

pub(crate) async fn logs(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &LogQuery,
) -> Result<Vec<LogRecord>> {
    let scan = Scan::new(
        Table::Logs,
        TenantScope::One(query.tenant.clone()),
        query.since_ns,
        query.until_ns,
    )
    .equal("service", query.service.clone())
    .equal("level", query.level.map(|level| level.as_str()))
    .equal("trace_id", query.trace_id.clone());
    // In the scan, so parts' line indexes skip blocks without the text.
    let scan = match &query.contains {
        Some(text) => scan.contains(text.clone()),
        None => scan,
    };
    let Some(mut frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    if let Some(ids) = &query.pattern_ids {
        frame = frame
            .filter(col("pattern_id").in_list(ids.iter().map(|id| lit(*id)).collect(), false))?;
    }
    let batches = frame
        .sort(vec![
            col("ts").sort(false, false),
            col("service").sort(true, false),
        ])?
        .limit(0, Some(query.limit))?
        .collect()
        .await?;
    Ok(logs_from_batches(&batches)?)
}

pub(crate) async fn pattern_counts(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &PatternCountsQuery,
) -> Result<Vec<PatternCount>> {
    let scan = Scan::new(
        Table::Logs,
        TenantScope::One(query.tenant.clone()),
        query.since_ns,
        query.until_ns,
    )
    .equal("service", query.service.clone())
    .equal("level", query.level.map(|level| level.as_str()));
    let Some(frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    let ts = cast(col("ts"), DataType::Int64);
    let batches = frame
        .filter(col("pattern_id").is_not_null())?
        .aggregate(
            vec![col("pattern_id"), col("service"), col("level")],
            vec![
                count(col("ts")).alias("n"),
                min(ts.clone()).alias("first"),
                max(ts).alias("last"),
            ],
        )?
        .collect()
        .await?;
    let mut counts = Vec::new();
    for batch in &batches {
        let pattern_id = column::<UInt64Array>(batch, "pattern_id")?;
        let service = column::<StringArray>(batch, "service")?;
        let level = column::<StringArray>(batch, "level")?;
        let n = column::<Int64Array>(batch, "n")?;
        let first = column::<Int64Array>(batch, "first")?;
        let last = column::<Int64Array>(batch, "last")?;
        for row in 0..batch.num_rows() {
            counts.push(PatternCount {
                pattern_id: pattern_id.value(row),
                service: service.value(row).to_string(),
                level: Level::normalise(level.value(row)).unwrap_or(Level::Info),
                count: n.value(row).max(0) as u64,
                first_ns: first.value(row),
                last_ns: last.value(row),
            });
        }
    }
    counts.sort_by(|a, b| {
        (a.pattern_id, &a.service, a.level).cmp(&(b.pattern_id, &b.service, b.level))
    });
    Ok(counts)
}

/// A time range cut into buckets of `step_ns`.
pub(crate) struct Window {
    pub since_ns: i64,
    pub until_ns: i64,
    pub step_ns: i64,
}

pub(crate) async fn pattern_histogram(
    ctx: &SessionContext,
    data: &dyn DataStore,
    tenant: &str,
    pattern_ids: &[u64],
    window: Window,
) -> Result<Vec<(i64, u64)>> {
    positive_step(window.step_ns)?;
    let scan = Scan::new(
        Table::Logs,
        TenantScope::One(tenant.to_string()),
        window.since_ns,
        window.until_ns,
    )
    .columns(&["ts", "pattern_id"]);
    let Some(frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    let step = lit(window.step_ns);
    let bucket = (cast(col("ts"), DataType::Int64) / step.clone()) * step;
    let batches = frame
        .filter(col("pattern_id").in_list(pattern_ids.iter().map(|id| lit(*id)).collect(), false))?
        .aggregate(
            vec![bucket.alias("bucket")],
            vec![count(col("ts")).alias("n")],
        )?
        .sort(vec![col("bucket").sort(true, false)])?
        .collect()
        .await?;
    let mut buckets = Vec::new();
    for batch in &batches {
        let bucket = column::<Int64Array>(batch, "bucket")?;
        let n = column::<Int64Array>(batch, "n")?;
        for row in 0..batch.num_rows() {
            buckets.push((bucket.value(row), n.value(row).max(0) as u64));
        }
    }
    Ok(buckets)
}

pub(crate) async fn spans(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &SpanQuery,
) -> Result<Vec<Span>> {
    let scan = Scan::new(
        Table::Spans,
        TenantScope::One(query.tenant.clone()),
        query.since_ns,
        query.until_ns,
    )
    .equal("service", query.service.clone())
    .equal("name", query.name.clone())
    .equal("status", query.status.map(|status| status.as_str()));
    let Some(mut frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    if let Some(ids) = &query.trace_ids {
        frame = frame.filter(
            col("trace_id").in_list(ids.iter().map(|id| lit(id.clone())).collect(), false),
        )?;
    }
    if let Some(min) = query.min_duration_ns {
        frame = frame.filter(col("duration_ns").gt_eq(lit(min)))?;
    }
    if let Some(max) = query.max_duration_ns {
        frame = frame.filter(col("duration_ns").lt_eq(lit(max)))?;
    }
    let batches = frame
        .sort(vec![
            col("ts").sort(false, false),
            col("trace_id").sort(true, false),
            col("span_id").sort(true, false),
        ])?
        .limit(0, Some(query.limit))?
        .collect()
        .await?;
    Ok(spans_from_batches(&batches)?)
}

pub(crate) async fn span_operations(
    ctx: &SessionContext,
    data: &dyn DataStore,
    tenant: &str,
    service: Option<&str>,
    since_ns: i64,
    until_ns: i64,
) -> Result<Vec<SpanOperation>> {
    let scan = Scan::new(
        Table::Spans,
        TenantScope::One(tenant.to_string()),
        since_ns,
        until_ns,
    )
    .equal("service", service)
    .columns(&["service", "name", "kind"]);
    let Some(frame) = read(ctx, data, &scan).await? else {
        return Ok(Vec::new());
    };
    let batches = frame
        .aggregate(vec![col("service"), col("name"), col("kind")], vec![])?
        .collect()
        .await?;
    let mut operations = Vec::new();
    for batch in &batches {
        let service = column::<StringArray>(batch, "service")?;
        let name = column::<StringArray>(batch, "name")?;
        let kind = column::<StringArray>(batch, "kind")?;
        for row in 0..batch.num_rows() {
            operations.push(SpanOperation {
                service: service.value(row).to_string(),
                name: name.value(row).to_string(),
                kind: kind.value(row).parse().unwrap_or(SpanKind::Unspecified),
            });
        }
    }
    operations.sort();
    Ok(operations)
}
