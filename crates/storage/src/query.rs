//! Query plans over buffer and parts, executed by DataFusion.
//!
//! Each query reads the buffered batches (a memory table) and the catalog's parts that overlap
//! the time range (a Parquet scan with pruning and filter pushdown), unions them, and lets
//! DataFusion filter, sort, aggregate and limit.

use std::collections::BTreeMap;
use std::ops::Not;
use std::path::Path;

use datafusion::arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn::{avg, count, max, min, percentile_cont, sum};
use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{Expr, cast, col, lit};
use datafusion::prelude::{DataFrame, ParquetReadOptions, SessionConfig, SessionContext};
use telemetryhub_model::{
    AggregatedSeries, Aggregation, LabelMatcher, Labels, Level, LogQuery, MatchOp, MetricQuery,
    PatternCount, PatternCountsQuery, SeriesQuery, SpanKind, SpanOperation, SpanQuery,
};

use crate::catalog::{ENCODED_VALUES_FORMAT, PartMeta};
use crate::schema::{Table, column};
use crate::value_codec;
use crate::{Result, StorageError};

/// What a query reads: buffered rows and part files.
pub(crate) struct Sources {
    pub buffered: Vec<RecordBatch>,
    /// Parts in the table's schema.
    pub parts: Vec<String>,
    /// Metrics parts with encoded values (`value_codec`).
    pub encoded_parts: Vec<String>,
}

impl Sources {
    pub(crate) fn new(
        table: Table,
        buffered: Vec<RecordBatch>,
        parts: &[PartMeta],
        data_dir: &Path,
        since: i64,
        until: i64,
    ) -> Sources {
        let mut sources = Sources {
            buffered,
            parts: Vec::new(),
            encoded_parts: Vec::new(),
        };
        for part in parts
            .iter()
            .filter(|p| p.table() == Some(table) && p.max_ts >= since && p.min_ts < until)
        {
            let path = data_dir.join(&part.path).to_string_lossy().into_owned();
            if part.format == ENCODED_VALUES_FORMAT {
                sources.encoded_parts.push(path);
            } else {
                sources.parts.push(path);
            }
        }
        sources
    }
}

fn context() -> SessionContext {
    let mut config = SessionConfig::new().with_target_partitions(2);
    let options = config.options_mut();
    options.execution.parquet.pushdown_filters = true;
    options.execution.parquet.reorder_filters = true;
    SessionContext::new_with_config(config)
}

/// The union of buffered rows and parts, or `None` when there is nothing to read. Encoded parts
/// are read through `decode_value`, so every input has the table's schema.
async fn frame(ctx: &SessionContext, table: Table, sources: Sources) -> Result<Option<DataFrame>> {
    let schema = table.schema();
    let mut inputs: Vec<DataFrame> = Vec::new();
    if let Some(first) = sources.buffered.first() {
        let needs_cast = first.schema().fields() != schema.fields();
        let buffered = ctx.read_batches(sources.buffered)?;
        inputs.push(if needs_cast {
            // Buffered metrics carry the series columns as dictionaries (`series_rows`); the
            // union with parts needs the table's plain strings.
            let columns: Vec<Expr> = schema
                .fields()
                .iter()
                .map(|field| cast(col(field.name()), field.data_type().clone()).alias(field.name()))
                .collect();
            buffered.select(columns)?
        } else {
            buffered
        });
    }
    if !sources.parts.is_empty() {
        let options = ParquetReadOptions {
            schema: Some(schema.as_ref()),
            ..Default::default()
        };
        inputs.push(ctx.read_parquet(sources.parts, options).await?);
    }
    if !sources.encoded_parts.is_empty() {
        let encoded_schema = value_codec::ENCODED_METRICS_SCHEMA.clone();
        let options = ParquetReadOptions {
            schema: Some(encoded_schema.as_ref()),
            ..Default::default()
        };
        let columns: Vec<Expr> = schema
            .fields()
            .iter()
            .map(|field| match field.name().as_str() {
                "value" => value_codec::DECODE_VALUE
                    .call(vec![col(value_codec::MANTISSA), col(value_codec::SCALE)])
                    .alias("value"),
                name => col(name),
            })
            .collect();
        inputs.push(
            ctx.read_parquet(sources.encoded_parts, options)
                .await?
                .select(columns)?,
        );
    }
    let mut inputs = inputs.into_iter();
    let Some(mut frame) = inputs.next() else {
        return Ok(None);
    };
    for input in inputs {
        frame = frame.union(input)?;
    }
    Ok(Some(frame))
}

fn ts_lit(ns: i64) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        Some(ns),
        Some("UTC".into()),
    ))
}

fn time_range(since: i64, until: i64) -> Expr {
    col("ts")
        .gt_eq(ts_lit(since))
        .and(col("ts").lt(ts_lit(until)))
}

/// Escapes LIKE wildcards so `text` matches literally (escape character `\`).
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn like(expr: Expr, pattern: String, negated: bool) -> Expr {
    Expr::Like(Like::new(
        negated,
        Box::new(expr),
        Box::new(lit(pattern)),
        Some('\\'),
        false,
    ))
}

/// A label matcher as a predicate on the labels' JSON text.
///
/// The stored JSON is compact with sorted keys, and keys and values are JSON-escaped, so
/// `"k":"v"` followed by `,` or `}` occurs in the text exactly when the label `k` has value `v`
/// (a quote inside a value is escaped and cannot end a key or value early).
fn label_predicate(matcher: &LabelMatcher) -> Expr {
    let key = serde_json::to_string(&matcher.name).unwrap_or_default();
    let value = serde_json::to_string(&matcher.value).unwrap_or_default();
    let pair = like_literal(&format!("{key}:{value}"));
    let has_pair = like(col("labels"), format!("%{pair},%"), false).or(like(
        col("labels"),
        format!("%{pair}}}"),
        false,
    ));
    // An absent label equals the empty string, as in PromQL.
    let equal = if matcher.value.is_empty() {
        let any_value_for_key = like(col("labels"), format!("%{}:%", like_literal(&key)), false);
        has_pair.or(any_value_for_key.not())
    } else {
        has_pair
    };
    match matcher.op {
        MatchOp::Equal => equal,
        MatchOp::NotEqual => equal.not(),
    }
}

fn metric_filter(query: &MetricQuery) -> Expr {
    let mut filter = col("tenant")
        .eq(lit(query.tenant.clone()))
        .and(time_range(query.since_ns, query.until_ns));
    if let Some(service) = &query.service {
        filter = filter.and(col("service").eq(lit(service.clone())));
    }
    if let Some(metric) = &query.metric {
        filter = filter.and(col("metric").eq(lit(metric.clone())));
    }
    for matcher in &query.labels {
        filter = filter.and(label_predicate(matcher));
    }
    filter
}

pub(crate) async fn metrics(query: &MetricQuery, sources: Sources) -> Result<Vec<RecordBatch>> {
    newest_of_series(Table::Metrics, query, sources).await
}

/// Rows of `table` (metrics or exemplars) of the series `query` selects, newest first.
async fn newest_of_series(
    table: Table,
    query: &MetricQuery,
    sources: Sources,
) -> Result<Vec<RecordBatch>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, table, sources).await? else {
        return Ok(Vec::new());
    };
    Ok(frame
        .filter(metric_filter(query))?
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

/// Every tenant's points with `since <= ts < until`, oldest first, at most `limit`.
pub(crate) async fn scan_metrics(
    since_ns: i64,
    until_ns: i64,
    limit: usize,
    sources: Sources,
) -> Result<Vec<RecordBatch>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Metrics, sources).await? else {
        return Ok(Vec::new());
    };
    Ok(frame
        .filter(time_range(since_ns, until_ns))?
        .sort(vec![
            col("ts").sort(true, false),
            col("tenant").sort(true, false),
            col("service").sort(true, false),
        ])?
        .limit(0, Some(limit))?
        .collect()
        .await?)
}

type SeriesKey = (String, String, String);

pub(crate) async fn series(query: &SeriesQuery, sources: Sources) -> Result<Vec<AggregatedSeries>> {
    if query.step_ns <= 0 {
        return Err(StorageError::InvalidArgument(
            "step must be positive".into(),
        ));
    }
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Metrics, sources).await? else {
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
    let batches = frame
        .filter(metric_filter(&query.select))?
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
    Ok(grouped
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
        .collect())
}

pub(crate) async fn logs(query: &LogQuery, sources: Sources) -> Result<Vec<RecordBatch>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Logs, sources).await? else {
        return Ok(Vec::new());
    };
    let mut filter = col("tenant")
        .eq(lit(query.tenant.clone()))
        .and(time_range(query.since_ns, query.until_ns));
    if let Some(service) = &query.service {
        filter = filter.and(col("service").eq(lit(service.clone())));
    }
    if let Some(level) = query.level {
        filter = filter.and(col("level").eq(lit(level.as_str())));
    }
    if let Some(ids) = &query.pattern_ids {
        filter =
            filter.and(col("pattern_id").in_list(ids.iter().map(|id| lit(*id)).collect(), false));
    }
    if let Some(trace_id) = &query.trace_id {
        filter = filter.and(col("trace_id").eq(lit(trace_id.clone())));
    }
    if let Some(contains) = &query.contains {
        filter = filter.and(like(
            col("message"),
            format!("%{}%", like_literal(contains)),
            false,
        ));
    }
    Ok(frame
        .filter(filter)?
        .sort(vec![
            col("ts").sort(false, false),
            col("service").sort(true, false),
        ])?
        .limit(0, Some(query.limit))?
        .collect()
        .await?)
}

pub(crate) async fn pattern_counts(
    query: &PatternCountsQuery,
    sources: Sources,
) -> Result<Vec<PatternCount>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Logs, sources).await? else {
        return Ok(Vec::new());
    };
    let mut filter = col("tenant")
        .eq(lit(query.tenant.clone()))
        .and(time_range(query.since_ns, query.until_ns))
        .and(col("pattern_id").is_not_null());
    if let Some(service) = &query.service {
        filter = filter.and(col("service").eq(lit(service.clone())));
    }
    if let Some(level) = query.level {
        filter = filter.and(col("level").eq(lit(level.as_str())));
    }
    let ts = cast(col("ts"), DataType::Int64);
    let batches = frame
        .filter(filter)?
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

pub(crate) async fn pattern_histogram(
    tenant: &str,
    pattern_ids: &[u64],
    since_ns: i64,
    until_ns: i64,
    step_ns: i64,
    sources: Sources,
) -> Result<Vec<(i64, u64)>> {
    if step_ns <= 0 {
        return Err(StorageError::InvalidArgument(
            "step must be positive".into(),
        ));
    }
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Logs, sources).await? else {
        return Ok(Vec::new());
    };
    let step = lit(step_ns);
    let bucket = (cast(col("ts"), DataType::Int64) / step.clone()) * step;
    let batches = frame
        .filter(
            col("tenant")
                .eq(lit(tenant.to_string()))
                .and(time_range(since_ns, until_ns))
                .and(
                    col("pattern_id")
                        .in_list(pattern_ids.iter().map(|id| lit(*id)).collect(), false),
                ),
        )?
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

/// Exemplars of the series `query` selects (the same filter as raw points), newest first.
pub(crate) async fn exemplars(query: &MetricQuery, sources: Sources) -> Result<Vec<RecordBatch>> {
    newest_of_series(Table::Exemplars, query, sources).await
}

pub(crate) async fn spans(query: &SpanQuery, sources: Sources) -> Result<Vec<RecordBatch>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Spans, sources).await? else {
        return Ok(Vec::new());
    };
    let mut filter = col("tenant")
        .eq(lit(query.tenant.clone()))
        .and(time_range(query.since_ns, query.until_ns));
    if let Some(ids) = &query.trace_ids {
        filter = filter
            .and(col("trace_id").in_list(ids.iter().map(|id| lit(id.clone())).collect(), false));
    }
    if let Some(service) = &query.service {
        filter = filter.and(col("service").eq(lit(service.clone())));
    }
    if let Some(name) = &query.name {
        filter = filter.and(col("name").eq(lit(name.clone())));
    }
    if let Some(min) = query.min_duration_ns {
        filter = filter.and(col("duration_ns").gt_eq(lit(min)));
    }
    if let Some(max) = query.max_duration_ns {
        filter = filter.and(col("duration_ns").lt_eq(lit(max)));
    }
    if let Some(status) = query.status {
        filter = filter.and(col("status").eq(lit(status.as_str())));
    }
    Ok(frame
        .filter(filter)?
        .sort(vec![
            col("ts").sort(false, false),
            col("trace_id").sort(true, false),
            col("span_id").sort(true, false),
        ])?
        .limit(0, Some(query.limit))?
        .collect()
        .await?)
}

pub(crate) async fn span_operations(
    tenant: &str,
    service: Option<&str>,
    since_ns: i64,
    until_ns: i64,
    sources: Sources,
) -> Result<Vec<SpanOperation>> {
    let ctx = context();
    let Some(frame) = frame(&ctx, Table::Spans, sources).await? else {
        return Ok(Vec::new());
    };
    let mut filter = col("tenant")
        .eq(lit(tenant))
        .and(time_range(since_ns, until_ns));
    if let Some(service) = service {
        filter = filter.and(col("service").eq(lit(service)));
    }
    let batches = frame
        .filter(filter)?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(like_literal(r"50%_a\b"), r"50\%\_a\\b");
    }
}
