//! Log lines seen as Loki sees them: streams, each a label set with its entries — LogQL's and the
//! Loki API's read path.
//!
//! A line's stream is its stored labels or, for lines stored without (the native API's, and
//! lines written before streams were kept), `service_name` and `level`
//! ([`telemetryhub_model::stream_labels`]). A selection first lists the distinct streams of the
//! range (`DataStore::log_streams`: from the parts' line indexes where they have one, else one
//! grouping over the stream columns), matches them against the selector's matchers here, then
//! reads only the matching streams' lines, with the plain line filters and regexes in the scan
//! (parts' line indexes skip blocks without a needle), and order and limit pushed into the plan.
//! A line's structured metadata is taken from its context (see [`structured_metadata`]).

use std::collections::HashMap;

use datafusion::arrow::array::{
    Array, Int64Array, RecordBatch, StringArray, TimestampNanosecondArray, UInt64Array,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::functions::string::expr_fn::{concat, octet_length};
use datafusion::functions_aggregate::expr_fn::{count, sum};
use datafusion::logical_expr::{Expr, cast, col, lit};
use datafusion::prelude::{DataFrame, SessionContext};
use serde_json::Value;
use telemetryhub_model::{Labels, Level, SeriesMatcher, stream_labels};
use telemetryhub_storage::schema::{Table, column};
use telemetryhub_storage::{DataStore, Scan, StoredLogStream, TenantScope};

use crate::Result;

/// What to read: one tenant's streams matching every matcher, lines in `since_ns..until_ns`.
#[derive(Debug, Clone)]
pub struct LogStreamSelect {
    /// Whose lines.
    pub tenant: String,
    /// Matchers on stream labels (all must match; anchored regexes, as Loki's).
    pub matchers: Vec<SeriesMatcher>,
    /// Lines with `since_ns <= ts`.
    pub since_ns: i64,
    /// Lines with `ts < until_ns`.
    pub until_ns: i64,
    /// Substrings every line must contain (case-sensitive): the plain `|=` filters of a query,
    /// applied while reading.
    pub contains: Vec<String>,
    /// Regexes every line must match somewhere (the `regex` crate's syntax, unanchored): the
    /// `|~` filters of a query, applied while reading.
    pub matches: Vec<String>,
    /// At most this many lines in all, the first ones in `direction`; every line when `None`.
    pub limit: Option<usize>,
    /// Newest lines first (Loki's `backward`, its default) when true.
    pub backward: bool,
}

/// One line of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEntry {
    /// Time, ns since the Unix epoch.
    pub ts_ns: i64,
    /// The line.
    pub line: String,
    /// Structured metadata: name and value pairs, sorted by name.
    pub metadata: Vec<(String, String)>,
    /// The pattern the line belongs to, as stored at ingest.
    pub pattern_id: Option<u64>,
}

/// A stream and its lines of a selection, in time order (ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct LogStream {
    /// The stream's labels.
    pub labels: Labels,
    /// Its lines, oldest first.
    pub entries: Vec<StreamEntry>,
}

/// A stream as stored: the labels column, or the service and level it is derived from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum StoredStream {
    Labelled(String),
    Derived { service: String, level: String },
}

impl StoredStream {
    fn of(stored: StoredLogStream) -> StoredStream {
        match stored.labels {
            Some(json) => StoredStream::Labelled(json),
            None => StoredStream::Derived {
                service: stored.service,
                level: stored.level,
            },
        }
    }

    fn labels(&self) -> Labels {
        match self {
            StoredStream::Labelled(json) => stream_labels(Some(json), "", Level::Info),
            StoredStream::Derived { service, level } => stream_labels(
                None,
                service,
                Level::normalise(level).unwrap_or(Level::Info),
            ),
        }
    }
}

fn scan_of(tenant: &str, since_ns: i64, until_ns: i64, matchers: &[SeriesMatcher]) -> Scan {
    // Every stream carries `service_name`, equal to the line's service: an equality on it is an
    // equality on the stored column, which Parquet statistics can use.
    let service = matchers.iter().find_map(|m| match &m.op {
        telemetryhub_model::SeriesMatchOp::Equal(value)
            if m.name == telemetryhub_model::SERVICE_NAME_LABEL =>
        {
            Some(value.clone())
        }
        _ => None,
    });
    Scan::new(
        Table::Logs,
        TenantScope::One(tenant.to_string()),
        since_ns,
        until_ns,
    )
    .equal("service", service)
}

/// The distinct streams with a line in the range, each with its labels — and, unless `exact`,
/// maybe streams without one (see `DataStore::log_streams`).
async fn stored_streams(
    ctx: &SessionContext,
    data: &dyn DataStore,
    scan: &Scan,
    exact: bool,
) -> Result<Vec<(StoredStream, Labels)>> {
    let mut stored: Vec<StoredStream> = data
        .log_streams(ctx, scan, exact)
        .await?
        .into_iter()
        .map(StoredStream::of)
        .collect();
    // Lines of one labelled stream may differ in service or level: one entry each.
    stored.sort_unstable();
    stored.dedup();
    Ok(stored
        .into_iter()
        .map(|stored| {
            let labels = stored.labels();
            (stored, labels)
        })
        .collect())
}

/// The label sets of the streams matching every matcher with a line in `since_ns..until_ns`,
/// sorted, each once (Loki's `series`, `labels` and label values).
pub(crate) async fn stream_labels_of(
    ctx: &SessionContext,
    data: &dyn DataStore,
    tenant: &str,
    matchers: &[SeriesMatcher],
    since_ns: i64,
    until_ns: i64,
) -> Result<Vec<Labels>> {
    let scan = scan_of(tenant, since_ns, until_ns, matchers);
    let mut labels: Vec<Labels> = stored_streams(ctx, data, &scan, true)
        .await?
        .into_iter()
        .map(|(_, labels)| labels)
        .filter(|labels| matchers.iter().all(|m| m.matches_labels(labels)))
        .collect();
    labels.sort();
    labels.dedup();
    Ok(labels)
}

/// The predicate keeping the rows of `streams`.
fn rows_of(streams: &[&StoredStream]) -> Expr {
    let mut labelled = Vec::new();
    let mut derived = Vec::new();
    for stream in streams {
        match stream {
            StoredStream::Labelled(json) => labelled.push(lit(json.clone())),
            StoredStream::Derived { service, level } => {
                derived.push(lit(format!("{service}\u{1}{level}")))
            }
        }
    }
    let labelled = col("labels").in_list(labelled, false);
    let derived = col("labels")
        .is_null()
        .and(concat(vec![col("service"), lit("\u{1}"), col("level")]).in_list(derived, false));
    labelled.or(derived)
}

/// The rows of the streams matching every matcher whose line contains every `contains` text
/// and matches every `matches` regex, with the labels of each matching stream; `None` when no
/// stream matches.
async fn matching_rows(
    ctx: &SessionContext,
    data: &dyn DataStore,
    (tenant, matchers): (&str, &[SeriesMatcher]),
    since_ns: i64,
    until_ns: i64,
    (contains, matches): (&[String], &[String]),
) -> Result<Option<(DataFrame, HashMap<StoredStream, Labels>)>> {
    let mut scan = scan_of(tenant, since_ns, until_ns, matchers);
    for needle in contains {
        scan = scan.contains(needle.clone());
    }
    for regex in matches {
        scan = scan.matches(regex.clone());
    }
    let streams = stored_streams(ctx, data, &scan, false).await?;
    let total = streams.len();
    let matching: Vec<(StoredStream, Labels)> = streams
        .into_iter()
        .filter(|(_, labels)| matchers.iter().all(|m| m.matches_labels(labels)))
        .collect();
    if matching.is_empty() {
        return Ok(None);
    }
    let Some(mut frame) = data.scan(ctx, &scan).await? else {
        return Ok(None);
    };
    if matching.len() < total {
        let stored: Vec<&StoredStream> = matching.iter().map(|(stored, _)| stored).collect();
        frame = frame.filter(rows_of(&stored))?;
    }
    Ok(Some((frame, matching.into_iter().collect())))
}

/// The stream of each row of `batch`.
fn stored_of_rows(batch: &RecordBatch) -> Result<Vec<StoredStream>> {
    let labels = column::<StringArray>(batch, "labels")?;
    let service = column::<StringArray>(batch, "service")?;
    let level = column::<StringArray>(batch, "level")?;
    Ok((0..batch.num_rows())
        .map(|row| {
            if labels.is_null(row) {
                StoredStream::Derived {
                    service: service.value(row).to_string(),
                    level: level.value(row).to_string(),
                }
            } else {
                StoredStream::Labelled(labels.value(row).to_string())
            }
        })
        .collect())
}

/// Lines, entries and bytes of one stream over a range (Loki's index statistics and volume).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamVolume {
    /// The stream's labels.
    pub labels: Labels,
    /// Its lines in the range.
    pub entries: u64,
    /// The bytes of those lines (UTF-8).
    pub bytes: u64,
}

/// The lines and bytes of each stream matching every matcher in `since_ns..until_ns`.
pub(crate) async fn stream_volumes(
    ctx: &SessionContext,
    data: &dyn DataStore,
    tenant: &str,
    matchers: &[SeriesMatcher],
    since_ns: i64,
    until_ns: i64,
) -> Result<Vec<StreamVolume>> {
    let Some((frame, labels_of)) = matching_rows(
        ctx,
        data,
        (tenant, matchers),
        since_ns,
        until_ns,
        (&[], &[]),
    )
    .await?
    else {
        return Ok(Vec::new());
    };
    let batches = frame
        .aggregate(
            vec![col("labels"), col("service"), col("level")],
            vec![
                count(col("ts")).alias("entries"),
                cast(sum(octet_length(col("message"))), DataType::Int64).alias("bytes"),
            ],
        )?
        .collect()
        .await?;
    let mut volumes: HashMap<&StoredStream, StreamVolume> = HashMap::new();
    for batch in &batches {
        let entries = column::<Int64Array>(batch, "entries")?;
        let bytes = column::<Int64Array>(batch, "bytes")?;
        for (row, stored) in stored_of_rows(batch)?.into_iter().enumerate() {
            let Some((stored, labels)) = labels_of.get_key_value(&stored) else {
                continue;
            };
            let volume = volumes.entry(stored).or_insert_with(|| StreamVolume {
                labels: labels.clone(),
                entries: 0,
                bytes: 0,
            });
            volume.entries += entries.value(row).max(0) as u64;
            volume.bytes += bytes.value(row).max(0) as u64;
        }
    }
    let mut volumes: Vec<StreamVolume> = volumes.into_values().collect();
    volumes.sort_by(|a, b| a.labels.cmp(&b.labels));
    Ok(volumes)
}

/// Line counts per stored pattern id and time bucket (`bucket` is the bucket's start: a
/// multiple of `step_ns`) of the streams matching every matcher in `since_ns..until_ns`.
pub(crate) async fn pattern_buckets(
    ctx: &SessionContext,
    data: &dyn DataStore,
    tenant: &str,
    matchers: &[SeriesMatcher],
    since_ns: i64,
    until_ns: i64,
    step_ns: i64,
) -> Result<Vec<(u64, i64, u64)>> {
    if step_ns <= 0 {
        return Err(crate::QueryError::InvalidArgument(
            "step must be positive".into(),
        ));
    }
    let Some((frame, _)) = matching_rows(
        ctx,
        data,
        (tenant, matchers),
        since_ns,
        until_ns,
        (&[], &[]),
    )
    .await?
    else {
        return Ok(Vec::new());
    };
    let ts = cast(col("ts"), DataType::Int64);
    let bucket = (ts.clone() - (ts % lit(step_ns))).alias("bucket");
    let batches = frame
        .filter(col("pattern_id").is_not_null())?
        .aggregate(
            vec![col("pattern_id"), bucket],
            vec![count(col("pattern_id")).alias("n")],
        )?
        .collect()
        .await?;
    let mut counts = Vec::new();
    for batch in &batches {
        let id = column::<UInt64Array>(batch, "pattern_id")?;
        let bucket = column::<Int64Array>(batch, "bucket")?;
        let n = column::<Int64Array>(batch, "n")?;
        for row in 0..batch.num_rows() {
            counts.push((id.value(row), bucket.value(row), n.value(row).max(0) as u64));
        }
    }
    counts.sort_unstable();
    Ok(counts)
}

/// The lines `select` asks for, grouped by stream (streams in label order).
pub(crate) async fn log_streams(
    ctx: &SessionContext,
    data: &dyn DataStore,
    select: &LogStreamSelect,
) -> Result<Vec<LogStream>> {
    if select.limit == Some(0) {
        return Ok(Vec::new());
    }
    let Some((mut frame, labels_of)) = matching_rows(
        ctx,
        data,
        (&select.tenant, &select.matchers),
        select.since_ns,
        select.until_ns,
        (&select.contains, &select.matches),
    )
    .await?
    else {
        return Ok(Vec::new());
    };
    frame = frame.sort(vec![col("ts").sort(!select.backward, false)])?;
    if let Some(limit) = select.limit {
        frame = frame.limit(0, Some(limit))?;
    }
    let batches = frame.collect().await?;

    let mut by_stream: HashMap<StoredStream, Vec<StreamEntry>> = HashMap::new();
    for batch in &batches {
        let stored_rows = stored_of_rows(batch)?;
        let message = column::<StringArray>(batch, "message")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let context = column::<StringArray>(batch, "context")?;
        let trace_id = column::<StringArray>(batch, "trace_id")?;
        let span_id = column::<StringArray>(batch, "span_id")?;
        let pattern_id = column::<UInt64Array>(batch, "pattern_id")?;
        for (row, stored) in stored_rows.into_iter().enumerate() {
            let Some(stream_labels) = labels_of.get(&stored) else {
                // A stream that appeared between the listing and the read: its labels were not
                // matched, so it is not part of the answer.
                continue;
            };
            let metadata = structured_metadata(
                stream_labels,
                optional_text(context, row),
                optional_text(trace_id, row),
                optional_text(span_id, row),
            );
            by_stream.entry(stored).or_default().push(StreamEntry {
                ts_ns: ts.value(row),
                line: message.value(row).to_string(),
                metadata,
                pattern_id: (!pattern_id.is_null(row)).then(|| pattern_id.value(row)),
            });
        }
    }
    let mut streams: Vec<LogStream> = by_stream
        .into_iter()
        .map(|(stored, mut entries)| {
            if select.backward {
                entries.reverse();
            }
            LogStream {
                labels: labels_of.get(&stored).cloned().unwrap_or_default(),
                entries,
            }
        })
        .collect();
    streams.sort_by(|a, b| a.labels.cmp(&b.labels));
    Ok(streams)
}

fn optional_text(array: &StringArray, row: usize) -> Option<&str> {
    (!array.is_null(row)).then(|| array.value(row))
}

/// A line's structured metadata, from what the store keeps beside it: the context's top-level
/// values that are not stream labels (Loki push's structured metadata, native API context),
/// the attributes of OTLP records (`attributes` and `resource` flattened, names with dots as
/// underscores, as Loki's OTLP endpoint names them; `scope` as `scope_name`, …), and the trace
/// and span ids. Objects and arrays elsewhere are kept as their JSON text.
pub fn structured_metadata(
    stream: &Labels,
    context: Option<&str>,
    trace_id: Option<&str>,
    span_id: Option<&str>,
) -> Vec<(String, String)> {
    let mut metadata: Vec<(String, String)> = Vec::new();
    let mut add = |name: String, value: &Value| {
        if stream.contains_key(&name) {
            return;
        }
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Null => return,
            other => other.to_string(),
        };
        metadata.push((name, text));
    };
    if let Some(Value::Object(context)) = context.and_then(|c| serde_json::from_str(c).ok()) {
        for (key, value) in &context {
            match (key.as_str(), value) {
                ("attributes" | "resource", Value::Object(inner)) => {
                    for (name, value) in inner {
                        add(name.replace('.', "_"), value);
                    }
                }
                ("scope", Value::Object(inner)) => {
                    for (name, value) in inner {
                        add(format!("scope_{}", name.replace('.', "_")), value);
                    }
                }
                _ => add(key.clone(), value),
            }
        }
    }
    if let Some(trace_id) = trace_id {
        add("trace_id".to_string(), &Value::String(trace_id.to_string()));
    }
    if let Some(span_id) = span_id {
        add("span_id".to_string(), &Value::String(span_id.to_string()));
    }
    metadata.sort();
    metadata.dedup_by(|a, b| a.0 == b.0);
    metadata
}
