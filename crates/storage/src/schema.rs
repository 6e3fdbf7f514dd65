//! Arrow schemas of the stored tables and conversions between rows and record batches.
//!
//! Labels are stored as the compact JSON of their sorted map: one string column that Parquet
//! dictionary-encodes per series, readable by any Parquet tool.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, StringBuilder,
    TimestampNanosecondArray, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use telemetryhub_model::{
    Exemplar, Labels, Level, LogRecord, MetricPoint, Span, SpanKind, SpanStatus,
};

use crate::{Result, StorageError};

/// The tables of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// Metric points: tenant, service, metric, labels (JSON), ts, value.
    Metrics,
    /// Log records.
    Logs,
    /// Trace spans.
    Spans,
    /// Exemplars: samples of a series annotated with a trace.
    Exemplars,
    /// Hourly rollups of metric series (`rollups.rs`): tenant, service, metric, labels, hour,
    /// count, sum, min, max, p50, p95, p99 and the mergeable sketch. Written at flush; a scan
    /// answers one row per series and hour (rows of one hour from several flushes merged).
    MetricsHourly,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 5] = [
        Table::Metrics,
        Table::Logs,
        Table::Spans,
        Table::Exemplars,
        Table::MetricsHourly,
    ];

    /// The table's name (its folder under `parts/`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Metrics => "metrics",
            Table::Logs => "logs",
            Table::Spans => "spans",
            Table::Exemplars => "exemplars",
            Table::MetricsHourly => "metrics_hourly",
        }
    }

    /// The table of a name.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The Arrow schema every scan of the table returns.
    pub fn schema(self) -> SchemaRef {
        match self {
            Table::Metrics => METRICS_SCHEMA.clone(),
            Table::Logs => LOGS_SCHEMA.clone(),
            Table::Spans => SPANS_SCHEMA.clone(),
            Table::Exemplars => EXEMPLARS_SCHEMA.clone(),
            Table::MetricsHourly => METRICS_HOURLY_SCHEMA.clone(),
        }
    }

    /// The column a scan's time range, day partitions and part time bounds use: `ts`, or
    /// `hour` (the hour's start) for the rollups.
    pub fn time_column(self) -> &'static str {
        match self {
            Table::MetricsHourly => "hour",
            _ => "ts",
        }
    }

    /// The sort order of parts: rows of one series (or one service and level, or one service's
    /// operation) are contiguous and in time order, which is what makes delta encoding and
    /// compression effective.
    pub(crate) fn sort_columns(self) -> &'static [&'static str] {
        match self {
            Table::Metrics => &["tenant", "service", "metric", "labels", "ts"],
            Table::Logs => &["tenant", "service", "level", "ts"],
            Table::Spans => &["tenant", "service", "name", "ts"],
            Table::Exemplars => &["tenant", "service", "metric", "labels", "ts"],
            Table::MetricsHourly => &["tenant", "service", "metric", "labels", "hour"],
        }
    }
}

fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

static METRICS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("tenant", DataType::Utf8, false),
        Field::new("service", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("labels", DataType::Utf8, false),
        Field::new("ts", ts_type(), false),
        Field::new("value", DataType::Float64, false),
    ]))
});

static LOGS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("tenant", DataType::Utf8, false),
        Field::new("service", DataType::Utf8, false),
        Field::new("level", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
        Field::new("ts", ts_type(), false),
        Field::new("context", DataType::Utf8, true),
        Field::new("trace_id", DataType::Utf8, true),
        Field::new("span_id", DataType::Utf8, true),
        Field::new("pattern_id", DataType::UInt64, true),
        // The stream's labels (JSON, sorted keys); null where the stream is derived from the
        // service and level (see `LogRecord::stream`). Added after the first release: older
        // parts and WAL records lack it and read it as null (`with_missing_columns`).
        Field::new("labels", DataType::Utf8, true),
    ]))
});

/// A span's start time is its `ts`, so time ranges, day partitions and part pruning work as for
/// the other tables.
static SPANS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("tenant", DataType::Utf8, false),
        Field::new("trace_id", DataType::Utf8, false),
        Field::new("span_id", DataType::Utf8, false),
        Field::new("parent_span_id", DataType::Utf8, true),
        Field::new("service", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("ts", ts_type(), false),
        Field::new("duration_ns", DataType::Int64, false),
        Field::new("status", DataType::Utf8, false),
        Field::new("status_message", DataType::Utf8, true),
        Field::new("attributes", DataType::Utf8, true),
        Field::new("events", DataType::Utf8, true),
        Field::new("links", DataType::Utf8, true),
    ]))
});

static EXEMPLARS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("tenant", DataType::Utf8, false),
        Field::new("service", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("labels", DataType::Utf8, false),
        Field::new("exemplar_labels", DataType::Utf8, false),
        Field::new("ts", ts_type(), false),
        Field::new("value", DataType::Float64, false),
        Field::new("trace_id", DataType::Utf8, true),
    ]))
});

/// One row per series and hour: the figures exactly, the quantiles from the sketch
/// (`telemetryhub_model::rollup`), and the sketch's stored form so rollups merge.
static METRICS_HOURLY_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("tenant", DataType::Utf8, false),
        Field::new("service", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("labels", DataType::Utf8, false),
        Field::new("hour", ts_type(), false),
        Field::new("count", DataType::UInt64, false),
        Field::new("sum", DataType::Float64, false),
        Field::new("min", DataType::Float64, false),
        Field::new("max", DataType::Float64, false),
        Field::new("p50", DataType::Float64, false),
        Field::new("p95", DataType::Float64, false),
        Field::new("p99", DataType::Float64, false),
        Field::new("sketch", DataType::Binary, false),
    ]))
});

/// Nanoseconds in a day: parts are partitioned by UTC day.
const NANOS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// Days since the epoch of a nanosecond timestamp.
pub(crate) fn day_of(ts_ns: i64) -> i64 {
    ts_ns.div_euclid(NANOS_PER_DAY)
}

/// The first nanosecond of a day.
pub(crate) fn day_start(day: i64) -> i64 {
    day.saturating_mul(NANOS_PER_DAY)
}

/// Serialises labels to the stored form.
#[cfg(test)]
pub(crate) fn labels_json(labels: &Labels) -> String {
    serde_json::to_string(labels).unwrap_or_else(|_| "{}".to_string())
}

/// Appends labels in their stored form — the compact JSON of the sorted map, which label
/// matchers rely on — through one reused buffer: a string allocated and freed per point was a
/// measurable share of ingest.
fn append_labels(builder: &mut StringBuilder, scratch: &mut Vec<u8>, labels: &Labels) {
    scratch.clear();
    if serde_json::to_writer(&mut *scratch, labels).is_err() {
        scratch.clear();
        scratch.extend_from_slice(b"{}");
    }
    // serde_json writes UTF-8 only; the fallback keeps this total anyway.
    builder.append_value(std::str::from_utf8(scratch).unwrap_or("{}"));
}

/// Builds a metrics batch: metric rows in the table's schema, as WAL records of kind 1 (written
/// before metrics were logged as series batches) hold them; tests write such records.
#[cfg(test)]
pub(crate) fn metrics_batch(points: &[MetricPoint]) -> Result<RecordBatch> {
    let mut tenant = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut metric = StringBuilder::new();
    let mut labels = StringBuilder::new();
    let mut scratch = Vec::with_capacity(256);
    let mut ts = Vec::with_capacity(points.len());
    let mut value = Vec::with_capacity(points.len());
    for point in points {
        tenant.append_value(&point.tenant);
        service.append_value(&point.service);
        metric.append_value(&point.metric);
        append_labels(&mut labels, &mut scratch, &point.labels);
        ts.push(point.ts_ns);
        value.push(point.value);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(tenant.finish()),
        Arc::new(service.finish()),
        Arc::new(metric.finish()),
        Arc::new(labels.finish()),
        Arc::new(TimestampNanosecondArray::from(ts).with_timezone("UTC")),
        Arc::new(Float64Array::from(value)),
    ];
    Ok(RecordBatch::try_new(Table::Metrics.schema(), columns)?)
}

/// Builds a logs batch.
pub(crate) fn logs_batch(records: &[LogRecord]) -> Result<RecordBatch> {
    let mut tenant = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut level = StringBuilder::new();
    let mut message = StringBuilder::new();
    let mut ts = Vec::with_capacity(records.len());
    let mut context = StringBuilder::new();
    let mut trace_id = StringBuilder::new();
    let mut span_id = StringBuilder::new();
    let mut pattern_id = Vec::with_capacity(records.len());
    let mut labels = StringBuilder::new();
    for record in records {
        tenant.append_value(&record.tenant);
        service.append_value(&record.service);
        level.append_value(record.level.as_str());
        message.append_value(&record.message);
        ts.push(record.ts_ns);
        context.append_option(record.context.as_deref());
        trace_id.append_option(record.trace_id.as_deref());
        span_id.append_option(record.span_id.as_deref());
        pattern_id.push(record.pattern_id);
        labels.append_option(record.stream_labels.as_deref());
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(tenant.finish()),
        Arc::new(service.finish()),
        Arc::new(level.finish()),
        Arc::new(message.finish()),
        Arc::new(TimestampNanosecondArray::from(ts).with_timezone("UTC")),
        Arc::new(context.finish()),
        Arc::new(trace_id.finish()),
        Arc::new(span_id.finish()),
        Arc::new(UInt64Array::from(pattern_id)),
        Arc::new(labels.finish()),
    ];
    Ok(RecordBatch::try_new(Table::Logs.schema(), columns)?)
}

/// Builds a spans batch.
pub(crate) fn spans_batch(spans: &[Span]) -> Result<RecordBatch> {
    let mut tenant = StringBuilder::new();
    let mut trace_id = StringBuilder::new();
    let mut span_id = StringBuilder::new();
    let mut parent_span_id = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut name = StringBuilder::new();
    let mut kind = StringBuilder::new();
    let mut ts = Vec::with_capacity(spans.len());
    let mut duration = Vec::with_capacity(spans.len());
    let mut status = StringBuilder::new();
    let mut status_message = StringBuilder::new();
    let mut attributes = StringBuilder::new();
    let mut events = StringBuilder::new();
    let mut links = StringBuilder::new();
    for span in spans {
        tenant.append_value(&span.tenant);
        trace_id.append_value(&span.trace_id);
        span_id.append_value(&span.span_id);
        parent_span_id.append_option(span.parent_span_id.as_deref());
        service.append_value(&span.service);
        name.append_value(&span.name);
        kind.append_value(span.kind.as_str());
        ts.push(span.start_ns);
        duration.push(span.duration_ns);
        status.append_value(span.status.as_str());
        status_message.append_option(span.status_message.as_deref());
        attributes.append_option(span.attributes.as_deref());
        events.append_option(span.events.as_deref());
        links.append_option(span.links.as_deref());
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(tenant.finish()),
        Arc::new(trace_id.finish()),
        Arc::new(span_id.finish()),
        Arc::new(parent_span_id.finish()),
        Arc::new(service.finish()),
        Arc::new(name.finish()),
        Arc::new(kind.finish()),
        Arc::new(TimestampNanosecondArray::from(ts).with_timezone("UTC")),
        Arc::new(Int64Array::from(duration)),
        Arc::new(status.finish()),
        Arc::new(status_message.finish()),
        Arc::new(attributes.finish()),
        Arc::new(events.finish()),
        Arc::new(links.finish()),
    ];
    Ok(RecordBatch::try_new(Table::Spans.schema(), columns)?)
}

/// Builds an exemplars batch.
pub(crate) fn exemplars_batch(exemplars: &[Exemplar]) -> Result<RecordBatch> {
    let mut tenant = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut metric = StringBuilder::new();
    let mut labels = StringBuilder::new();
    let mut exemplar_labels = StringBuilder::new();
    let mut scratch = Vec::with_capacity(256);
    let mut ts = Vec::with_capacity(exemplars.len());
    let mut value = Vec::with_capacity(exemplars.len());
    let mut trace_id = StringBuilder::new();
    for exemplar in exemplars {
        tenant.append_value(&exemplar.tenant);
        service.append_value(&exemplar.service);
        metric.append_value(&exemplar.metric);
        append_labels(&mut labels, &mut scratch, &exemplar.labels);
        append_labels(
            &mut exemplar_labels,
            &mut scratch,
            &exemplar.exemplar_labels,
        );
        ts.push(exemplar.ts_ns);
        value.push(exemplar.value);
        trace_id.append_option(exemplar.trace_id.as_deref());
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(tenant.finish()),
        Arc::new(service.finish()),
        Arc::new(metric.finish()),
        Arc::new(labels.finish()),
        Arc::new(exemplar_labels.finish()),
        Arc::new(TimestampNanosecondArray::from(ts).with_timezone("UTC")),
        Arc::new(Float64Array::from(value)),
        Arc::new(trace_id.finish()),
    ];
    Ok(RecordBatch::try_new(Table::Exemplars.schema(), columns)?)
}

/// `batch`'s column named like `field`, cast to `field`'s type if it differs (dictionary-encoded
/// series columns of the buffer or of parts back to plain strings).
pub(crate) fn column_as(batch: &RecordBatch, field: &Field) -> Result<ArrayRef> {
    let array = batch
        .column_by_name(field.name())
        .ok_or_else(|| StorageError::Encoding(format!("column {} is missing", field.name())))?;
    Ok(if array.data_type() == field.data_type() {
        array.clone()
    } else {
        datafusion::arrow::compute::cast(array, field.data_type())?
    })
}

/// `batch` in `table`'s schema when it was written before some of the table's nullable columns
/// existed (an older WAL record or part): the missing columns are added as nulls. Any other
/// difference is an error.
pub(crate) fn with_missing_columns(batch: RecordBatch, table: Table) -> Result<RecordBatch> {
    let schema = table.schema();
    if batch.schema().fields() == schema.fields() {
        return Ok(batch);
    }
    let mut columns = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        match batch.column_by_name(field.name()) {
            Some(column) => columns.push(column.clone()),
            None if field.is_nullable() => columns.push(datafusion::arrow::array::new_null_array(
                field.data_type(),
                batch.num_rows(),
            )),
            None => {
                return Err(StorageError::Encoding(format!(
                    "column {} is missing",
                    field.name()
                )));
            }
        }
    }
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// `batch` with each column cast to `schema`'s type, matched by name (see [`column_as`]).
#[cfg(test)]
pub(crate) fn cast_to(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    let columns = schema
        .fields()
        .iter()
        .map(|field| column_as(batch, field))
        .collect::<Result<Vec<_>>>()?;
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

/// A column of `batch` by name, as the array type `T`, or an encoding error.
pub fn column<'a, T: 'static>(batch: &'a RecordBatch, name: &str) -> Result<&'a T> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or_else(|| {
            StorageError::Encoding(format!(
                "column {name} is missing or has an unexpected type"
            ))
        })
}

/// A string column read row by row whether it is stored plainly or as a dictionary (compaction
/// keeps metric series columns as dictionaries: as plain strings, a part of a million series
/// decodes to gigabytes).
pub(crate) enum StrColumn<'a> {
    /// One string per row.
    Plain(&'a StringArray),
    /// Keys into distinct values.
    Dictionary(&'a datafusion::arrow::array::Int32Array, &'a StringArray),
}

impl<'a> StrColumn<'a> {
    /// Row `row`'s string.
    pub(crate) fn value(&self, row: usize) -> &'a str {
        match self {
            StrColumn::Plain(array) => array.value(row),
            StrColumn::Dictionary(keys, values) => values.value(keys.value(row) as usize),
        }
    }

    /// Whether rows `a` and `b` hold the same string (by key first, for a dictionary).
    pub(crate) fn same(&self, a: usize, b: usize) -> bool {
        match self {
            StrColumn::Dictionary(keys, _) if keys.value(a) == keys.value(b) => true,
            _ => self.value(a) == self.value(b),
        }
    }
}

/// Column `name` of `batch` as a [`StrColumn`]: a `Utf8` column or an `Int32`-keyed dictionary
/// of `Utf8`.
pub(crate) fn str_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<StrColumn<'a>> {
    let array = batch
        .column_by_name(name)
        .ok_or_else(|| StorageError::Encoding(format!("column {name} is missing")))?;
    str_array(array.as_ref()).map_err(|_| {
        StorageError::Encoding(format!("column {name} is neither strings nor a dictionary"))
    })
}

/// An array as a [`StrColumn`]: `Utf8`, or an `Int32`-keyed dictionary of `Utf8`.
pub(crate) fn str_array(array: &dyn Array) -> Result<StrColumn<'_>> {
    use datafusion::arrow::array::DictionaryArray;
    use datafusion::arrow::datatypes::Int32Type;
    if let Some(plain) = array.as_any().downcast_ref::<StringArray>() {
        return Ok(StrColumn::Plain(plain));
    }
    array
        .as_any()
        .downcast_ref::<DictionaryArray<Int32Type>>()
        .and_then(|dictionary| {
            let values = dictionary.values().as_any().downcast_ref::<StringArray>()?;
            Some(StrColumn::Dictionary(dictionary.keys(), values))
        })
        .ok_or_else(|| StorageError::Encoding("neither strings nor a dictionary".into()))
}

fn optional(array: &StringArray, row: usize) -> Option<String> {
    (!array.is_null(row)).then(|| array.value(row).to_string())
}

/// Reads metric points back out of query results.
pub fn metrics_from_batches(batches: &[RecordBatch]) -> Result<Vec<MetricPoint>> {
    let mut points = Vec::new();
    for batch in batches {
        let tenant = column::<StringArray>(batch, "tenant")?;
        let service = column::<StringArray>(batch, "service")?;
        let metric = column::<StringArray>(batch, "metric")?;
        let labels = column::<StringArray>(batch, "labels")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let value = column::<Float64Array>(batch, "value")?;
        for row in 0..batch.num_rows() {
            points.push(MetricPoint {
                tenant: tenant.value(row).to_string(),
                service: service.value(row).to_string(),
                metric: metric.value(row).to_string(),
                labels: serde_json::from_str(labels.value(row)).unwrap_or_default(),
                ts_ns: ts.value(row),
                value: value.value(row),
            });
        }
    }
    Ok(points)
}

/// Reads log records back out of query results.
pub fn logs_from_batches(batches: &[RecordBatch]) -> Result<Vec<LogRecord>> {
    let mut records = Vec::new();
    for batch in batches {
        let tenant = column::<StringArray>(batch, "tenant")?;
        let service = column::<StringArray>(batch, "service")?;
        let level = column::<StringArray>(batch, "level")?;
        let message = column::<StringArray>(batch, "message")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let context = column::<StringArray>(batch, "context")?;
        let trace_id = column::<StringArray>(batch, "trace_id")?;
        let span_id = column::<StringArray>(batch, "span_id")?;
        let pattern_id = column::<UInt64Array>(batch, "pattern_id")?;
        // Absent from scans that project it away and from rows written before it existed.
        let stream_labels = batch
            .column_by_name("labels")
            .and_then(|c| c.as_any().downcast_ref::<StringArray>());
        for row in 0..batch.num_rows() {
            records.push(LogRecord {
                tenant: tenant.value(row).to_string(),
                service: service.value(row).to_string(),
                level: Level::normalise(level.value(row)).unwrap_or(Level::Info),
                message: message.value(row).to_string(),
                ts_ns: ts.value(row),
                context: optional(context, row),
                trace_id: optional(trace_id, row),
                span_id: optional(span_id, row),
                pattern_id: (!pattern_id.is_null(row)).then(|| pattern_id.value(row)),
                stream_labels: stream_labels.and_then(|labels| optional(labels, row)),
            });
        }
    }
    Ok(records)
}

/// Reads spans back out of query results.
pub fn spans_from_batches(batches: &[RecordBatch]) -> Result<Vec<Span>> {
    let mut spans = Vec::new();
    for batch in batches {
        let tenant = column::<StringArray>(batch, "tenant")?;
        let trace_id = column::<StringArray>(batch, "trace_id")?;
        let span_id = column::<StringArray>(batch, "span_id")?;
        let parent_span_id = column::<StringArray>(batch, "parent_span_id")?;
        let service = column::<StringArray>(batch, "service")?;
        let name = column::<StringArray>(batch, "name")?;
        let kind = column::<StringArray>(batch, "kind")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let duration = column::<Int64Array>(batch, "duration_ns")?;
        let status = column::<StringArray>(batch, "status")?;
        let status_message = column::<StringArray>(batch, "status_message")?;
        let attributes = column::<StringArray>(batch, "attributes")?;
        let events = column::<StringArray>(batch, "events")?;
        let links = column::<StringArray>(batch, "links")?;
        for row in 0..batch.num_rows() {
            spans.push(Span {
                tenant: tenant.value(row).to_string(),
                trace_id: trace_id.value(row).to_string(),
                span_id: span_id.value(row).to_string(),
                parent_span_id: optional(parent_span_id, row),
                service: service.value(row).to_string(),
                name: name.value(row).to_string(),
                kind: kind.value(row).parse().unwrap_or(SpanKind::Unspecified),
                start_ns: ts.value(row),
                duration_ns: duration.value(row),
                status: status.value(row).parse().unwrap_or(SpanStatus::Unset),
                status_message: optional(status_message, row),
                attributes: optional(attributes, row),
                events: optional(events, row),
                links: optional(links, row),
            });
        }
    }
    Ok(spans)
}

/// Reads exemplars back out of query results.
pub fn exemplars_from_batches(batches: &[RecordBatch]) -> Result<Vec<Exemplar>> {
    let mut exemplars = Vec::new();
    for batch in batches {
        let tenant = column::<StringArray>(batch, "tenant")?;
        let service = column::<StringArray>(batch, "service")?;
        let metric = column::<StringArray>(batch, "metric")?;
        let labels = column::<StringArray>(batch, "labels")?;
        let exemplar_labels = column::<StringArray>(batch, "exemplar_labels")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let value = column::<Float64Array>(batch, "value")?;
        let trace_id = column::<StringArray>(batch, "trace_id")?;
        for row in 0..batch.num_rows() {
            exemplars.push(Exemplar {
                tenant: tenant.value(row).to_string(),
                service: service.value(row).to_string(),
                metric: metric.value(row).to_string(),
                labels: serde_json::from_str(labels.value(row)).unwrap_or_default(),
                exemplar_labels: serde_json::from_str(exemplar_labels.value(row))
                    .unwrap_or_default(),
                ts_ns: ts.value(row),
                value: value.value(row),
                trace_id: optional(trace_id, row),
            });
        }
    }
    Ok(exemplars)
}
