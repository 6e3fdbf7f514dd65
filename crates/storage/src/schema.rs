//! Arrow schemas of the stored tables and conversions between rows and record batches.
//!
//! Labels are stored as the compact JSON of their sorted map: one string column that Parquet
//! dictionary-encodes per series, readable by any Parquet tool.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, Float64Array, RecordBatch, StringArray, StringBuilder,
    TimestampNanosecondArray, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use telemetryhub_model::{Labels, Level, LogRecord, MetricPoint};

use crate::{Result, StorageError};

/// The tables of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Table {
    Metrics,
    Logs,
}

impl Table {
    pub(crate) const ALL: [Table; 2] = [Table::Metrics, Table::Logs];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Table::Metrics => "metrics",
            Table::Logs => "logs",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    pub(crate) fn schema(self) -> SchemaRef {
        match self {
            Table::Metrics => METRICS_SCHEMA.clone(),
            Table::Logs => LOGS_SCHEMA.clone(),
        }
    }

    /// The sort order of parts: rows of one series (or one service and level) are contiguous
    /// and in time order, which is what makes delta encoding and compression effective.
    pub(crate) fn sort_columns(self) -> &'static [&'static str] {
        match self {
            Table::Metrics => &["tenant", "service", "metric", "labels", "ts"],
            Table::Logs => &["tenant", "service", "level", "ts"],
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
    ]))
});

/// Serialises labels to the stored form.
pub(crate) fn labels_json(labels: &Labels) -> String {
    serde_json::to_string(labels).unwrap_or_else(|_| "{}".to_string())
}

/// Builds a metrics batch.
pub(crate) fn metrics_batch(points: &[MetricPoint]) -> Result<RecordBatch> {
    let mut tenant = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut metric = StringBuilder::new();
    let mut labels = StringBuilder::new();
    let mut ts = Vec::with_capacity(points.len());
    let mut value = Vec::with_capacity(points.len());
    for point in points {
        tenant.append_value(&point.tenant);
        service.append_value(&point.service);
        metric.append_value(&point.metric);
        labels.append_value(labels_json(&point.labels));
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
    ];
    Ok(RecordBatch::try_new(Table::Logs.schema(), columns)?)
}

/// A typed view of one column.
pub(crate) fn column<'a, T: 'static>(batch: &'a RecordBatch, name: &str) -> Result<&'a T> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or_else(|| {
            StorageError::Encoding(format!(
                "column {name} is missing or has an unexpected type"
            ))
        })
}

fn optional(array: &StringArray, row: usize) -> Option<String> {
    (!array.is_null(row)).then(|| array.value(row).to_string())
}

/// Reads metric points back out of query results.
pub(crate) fn metrics_from_batches(batches: &[RecordBatch]) -> Result<Vec<MetricPoint>> {
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
pub(crate) fn logs_from_batches(batches: &[RecordBatch]) -> Result<Vec<LogRecord>> {
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
            });
        }
    }
    Ok(records)
}
