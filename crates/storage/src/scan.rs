//! Reading a table: the rows a [`Scan`] selects, from the buffer and the parts together, as one
//! DataFusion frame, with the scan's filters pushed down to the Parquet reader.
//!
//! A scan knows the stored layout (labels as JSON text, encoded metric values); it knows nothing
//! of query languages. Ordering, aggregation and any filter a scan cannot express are the query
//! layer's (`telemetryhub-query`).
//!
//! A scan may also return each row's [`WRITE_ORDER`], for readers that must choose among rows
//! of one series and timestamp (the later write wins): a part's rows share its sequence number
//! (`PartMeta::seq`), and buffered rows, newer than every part, count up from
//! [`BUFFER_WRITE_ORDER`] in the order they were inserted.

use std::ops::Not;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{Expr, cast, col, lit};
use datafusion::prelude::{DataFrame, ParquetReadOptions, SessionContext};
use telemetryhub_model::{LabelMatcher, MatchOp};

use crate::Result;
use crate::catalog::{ENCODED_VALUES_FORMAT, PartMeta};
use crate::schema::Table;
use crate::value_codec;

/// The column of a row's write order (`UInt64`), returned by scans with
/// [`Scan::with_write_order`]: of two rows of one series and timestamp, the one with the larger
/// write order was written later. Rows of one part share it (a part holds one row per series and
/// timestamp, except parts written before that held).
pub const WRITE_ORDER: &str = "write_order";

/// The write order of the oldest buffered row; parts' are below it.
pub const BUFFER_WRITE_ORDER: u64 = 1 << 63;

/// Whose rows a scan reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantScope {
    /// One tenant's rows: what every request on behalf of a client reads.
    One(String),
    /// Every tenant's rows: only for background jobs that follow all data (anomaly scoring).
    All,
}

/// What to read from one table: a tenant scope, a time range and filters the store applies
/// while reading (so Parquet statistics and row filters can skip data).
#[derive(Debug, Clone)]
pub struct Scan {
    /// The table.
    pub table: Table,
    /// Whose rows.
    pub tenants: TenantScope,
    /// Rows with `since_ns <= ts`.
    pub since_ns: i64,
    /// Rows with `ts < until_ns`.
    pub until_ns: i64,
    /// Columns that must equal a value (`service`, `metric`, `level`, …).
    pub equal: Vec<(&'static str, String)>,
    /// Columns that must equal one of several values.
    pub one_of: Vec<(&'static str, Vec<String>)>,
    /// Columns that must match a SQL `LIKE` pattern (`%` any text, `_` any character, `\`
    /// escapes).
    pub like: Vec<(&'static str, String)>,
    /// Label matchers on the `labels` column (metrics and exemplars).
    pub labels: Vec<LabelMatcher>,
    /// The columns to return, in this order; every column of the table when `None`.
    pub columns: Option<Vec<&'static str>>,
    /// Whether to return [`WRITE_ORDER`] after the columns. Reads every part on its own, so
    /// only for readers that need it.
    pub write_order: bool,
    /// Whether the metrics table's series columns (`tenant`, `service`, `metric`, `labels`)
    /// come back dictionary-encoded (`Dictionary(Int32, Utf8)`), as the buffer holds them and
    /// flushes write them: no string is copied per row, and a reader can group rows by
    /// dictionary key.
    pub dictionary_series: bool,
}

impl Scan {
    /// Every row of `table` of `tenants` with `since_ns <= ts < until_ns`.
    pub fn new(table: Table, tenants: TenantScope, since_ns: i64, until_ns: i64) -> Scan {
        Scan {
            table,
            tenants,
            since_ns,
            until_ns,
            equal: Vec::new(),
            one_of: Vec::new(),
            like: Vec::new(),
            labels: Vec::new(),
            columns: None,
            write_order: false,
            dictionary_series: false,
        }
    }

    /// Returns the metrics table's series columns dictionary-encoded (see
    /// [`Scan::dictionary_series`]).
    pub fn with_dictionary_series(mut self) -> Scan {
        self.dictionary_series = self.table == Table::Metrics;
        self
    }

    /// Also returns each row's [`WRITE_ORDER`], after the other columns.
    pub fn with_write_order(mut self) -> Scan {
        self.write_order = true;
        self
    }

    /// Keeps rows whose `column` equals `value` when a value is given.
    pub fn equal(mut self, column: &'static str, value: Option<impl Into<String>>) -> Scan {
        if let Some(value) = value {
            self.equal.push((column, value.into()));
        }
        self
    }

    /// Keeps rows whose `column` equals one of `values` (an equality when there is one).
    pub fn one_of(mut self, column: &'static str, values: Vec<String>) -> Scan {
        match values.as_slice() {
            [only] => self.equal.push((column, only.clone())),
            _ => self.one_of.push((column, values)),
        }
        self
    }

    /// Keeps rows whose `column` matches the `LIKE` pattern `pattern`.
    pub fn like(mut self, column: &'static str, pattern: impl Into<String>) -> Scan {
        self.like.push((column, pattern.into()));
        self
    }

    /// Keeps rows whose labels match every matcher.
    pub fn labels(mut self, matchers: &[LabelMatcher]) -> Scan {
        self.labels.extend_from_slice(matchers);
        self
    }

    /// Returns only these columns.
    pub fn columns(mut self, columns: &[&'static str]) -> Scan {
        self.columns = Some(columns.to_vec());
        self
    }

    /// The scan's filters as one predicate.
    fn predicate(&self) -> Expr {
        let mut filter = time_range(self.since_ns, self.until_ns);
        if let TenantScope::One(tenant) = &self.tenants {
            filter = col("tenant").eq(lit(tenant.clone())).and(filter);
        }
        for (column, value) in &self.equal {
            filter = filter.and(col(*column).eq(lit(value.clone())));
        }
        for (column, values) in &self.one_of {
            let values: Vec<Expr> = values.iter().map(|v| lit(v.clone())).collect();
            filter = filter.and(col(*column).in_list(values, false));
        }
        for (column, pattern) in &self.like {
            filter = filter.and(like(col(*column), pattern.clone(), false));
        }
        for matcher in &self.labels {
            filter = filter.and(label_predicate(matcher));
        }
        filter
    }
}

/// The inputs of one scan, taken at one moment: buffered rows and part files.
pub(crate) struct Sources {
    /// Buffered rows, in the order they were inserted.
    pub buffered: Vec<RecordBatch>,
    /// Parts in the table's schema, with their write order.
    pub parts: Vec<(String, u64)>,
    /// Metrics parts with encoded values (`value_codec`), with their write order.
    pub encoded_parts: Vec<(String, u64)>,
}

impl Sources {
    /// The buffered rows and the parts of `table` that overlap `since..until`.
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
                sources.encoded_parts.push((path, part.write_seq()));
            } else {
                sources.parts.push((path, part.write_seq()));
            }
        }
        sources
    }
}

/// The rows `scan` selects from `sources`, or `None` when there is nothing to read. Encoded parts
/// are read through `decode_value`, so every input has the table's schema (and, when the scan
/// asks for it, [`WRITE_ORDER`]).
pub(crate) async fn frame(
    ctx: &SessionContext,
    scan: &Scan,
    sources: Sources,
) -> Result<Option<DataFrame>> {
    let dictionaries = scan.dictionary_series && scan.table == Table::Metrics;
    let schema = if dictionaries {
        crate::series_rows::BUFFERED_METRICS_SCHEMA.clone()
    } else {
        scan.table.schema()
    };
    let order = scan.write_order;
    let mut inputs: Vec<DataFrame> = Vec::new();
    if let Some(first) = sources.buffered.first() {
        let needs_cast = first.schema().fields() != schema.fields();
        let buffered = if order {
            with_buffer_order(sources.buffered)?
        } else {
            sources.buffered
        };
        let buffered = ctx.read_batches(buffered)?;
        inputs.push(if needs_cast || order {
            // Buffered metrics carry the series columns as dictionaries (`series_rows`); the
            // union with parts needs the table's plain strings, unless the scan asks for
            // dictionaries (then the cast changes nothing).
            let mut columns: Vec<Expr> = schema
                .fields()
                .iter()
                .map(|field| cast(col(field.name()), field.data_type().clone()).alias(field.name()))
                .collect();
            if order {
                columns.push(col(WRITE_ORDER));
            }
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
        let columns: Vec<Expr> = schema.fields().iter().map(|f| col(f.name())).collect();
        inputs.extend(read_parts(ctx, sources.parts, options, columns, order).await?);
    }
    if !sources.encoded_parts.is_empty() {
        let encoded_schema = if dictionaries {
            value_codec::ENCODED_DICTIONARY_SCHEMA.clone()
        } else {
            value_codec::ENCODED_METRICS_SCHEMA.clone()
        };
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
        inputs.extend(read_parts(ctx, sources.encoded_parts, options, columns, order).await?);
    }
    let predicate = scan.predicate();
    let mut inputs = inputs.into_iter();
    let Some(mut frame) = inputs.next() else {
        return Ok(None);
    };
    for input in inputs {
        frame = frame.union(input)?;
    }
    frame = frame.filter(predicate)?;
    if let Some(columns) = &scan.columns {
        let mut columns = columns.clone();
        if order {
            columns.push(WRITE_ORDER);
        }
        frame = frame.select_columns(&columns)?;
    }
    Ok(Some(frame))
}

/// Buffered batches (all of one schema) with their rows' write order appended, counting up from
/// [`BUFFER_WRITE_ORDER`] in the order given.
fn with_buffer_order(batches: Vec<RecordBatch>) -> Result<Vec<RecordBatch>> {
    let Some(first) = batches.first() else {
        return Ok(batches);
    };
    let mut fields: Vec<Field> = first
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new(WRITE_ORDER, DataType::UInt64, false));
    let schema = Arc::new(Schema::new(fields));
    let mut next = BUFFER_WRITE_ORDER;
    let mut out = Vec::with_capacity(batches.len());
    for batch in batches {
        let rows = batch.num_rows() as u64;
        let order: ArrayRef = Arc::new(UInt64Array::from_iter_values(next..next + rows));
        next += rows;
        let mut columns = batch.columns().to_vec();
        columns.push(order);
        out.push(RecordBatch::try_new(schema.clone(), columns)?);
    }
    Ok(out)
}

/// Frames reading `parts` with `options`, as `columns`: one frame over all of them, or — with
/// `order` — one per part, each with its write order as a constant [`WRITE_ORDER`] column.
async fn read_parts(
    ctx: &SessionContext,
    parts: Vec<(String, u64)>,
    options: ParquetReadOptions<'_>,
    columns: Vec<Expr>,
    order: bool,
) -> Result<Vec<DataFrame>> {
    if !order {
        let paths: Vec<String> = parts.into_iter().map(|(path, _)| path).collect();
        return Ok(vec![
            ctx.read_parquet(paths, options).await?.select(columns)?,
        ]);
    }
    let mut frames = Vec::with_capacity(parts.len());
    for (path, seq) in parts {
        let mut columns = columns.clone();
        columns.push(lit(seq).alias(WRITE_ORDER));
        frames.push(
            ctx.read_parquet(path, options.clone())
                .await?
                .select(columns)?,
        );
    }
    Ok(frames)
}

/// A timestamp literal of the tables' `ts` type.
pub fn ts_lit(ns: i64) -> Expr {
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

/// A predicate: `expr` contains `text` literally (case-sensitive).
pub fn contains_text(expr: Expr, text: &str) -> Expr {
    like(expr, format!("%{}%", like_literal(text)), false)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(like_literal(r"50%_a\b"), r"50\%\_a\\b");
    }
}
