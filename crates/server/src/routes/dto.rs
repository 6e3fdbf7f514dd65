//! The JSON shapes of requests and responses, with their OpenAPI schemas.

use serde::Serialize;
use serde_json::Value;
use telemetryhub_model::{
    AggregatedSeries, Anomaly, Exemplar, Labels, LogRecord, MetricPoint, Span, format_rfc3339,
};
use utoipa::ToSchema;

/// `GET /` answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct Heartbeat {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// The configured application name.
    #[schema(example = "TelemetryHub")]
    pub service: String,
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

/// `POST /ingest/*` answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct IngestResponse {
    /// Items stored (on a replayed idempotent request: the number stored the first time).
    #[schema(example = 1)]
    pub accepted: u64,
}

/// A metric point as sent to `POST /ingest/metrics` (one object, an array, or NDJSON lines).
#[derive(ToSchema)]
#[schema(example = json!({"service":"payments","metric":"latency_ms","value":183,"ts":"2025-09-20T10:00:00Z","labels":{"env":"dev"}}))]
#[allow(dead_code)]
pub(crate) struct MetricIn {
    /// Service name: `[A-Za-z0-9_.:/-]`, starting with a letter, digit or `_`.
    service: String,
    /// Metric name, same charset as `service`.
    metric: String,
    /// A finite number (NaN and infinities are rejected).
    value: f64,
    /// RFC 3339 or Unix seconds/milliseconds/nanoseconds; absent means now.
    #[schema(value_type = Option<String>)]
    ts: Option<Value>,
    /// String labels (numbers and booleans are stored as their text).
    labels: Option<Labels>,
    /// Optional per-item idempotency id: an item whose id was stored before is skipped.
    id: Option<String>,
}

/// A log line as sent to `POST /ingest/logs` (one object, an array, or NDJSON lines).
#[derive(ToSchema)]
#[schema(example = json!({"service":"payments","level":"ERROR","message":"db timeout acquiring connection","ts":"2025-09-20T10:01:00Z","context":{"pool":"write"}}))]
#[allow(dead_code)]
pub(crate) struct LogIn {
    /// Service name.
    service: String,
    /// TRACE, DEBUG, INFO, WARN, ERROR or FATAL (aliases such as `warning` are normalised);
    /// absent means INFO.
    level: Option<String>,
    /// The message.
    message: String,
    /// RFC 3339 or Unix seconds/milliseconds/nanoseconds; absent means now.
    #[schema(value_type = Option<String>)]
    ts: Option<Value>,
    /// Structured context (a JSON object).
    #[schema(value_type = Option<Object>)]
    context: Option<Value>,
    /// W3C trace id, 32 hex digits.
    trace_id: Option<String>,
    /// W3C span id, 16 hex digits.
    span_id: Option<String>,
    /// Optional per-item idempotency id.
    id: Option<String>,
}

/// A stored metric point.
#[derive(Serialize, ToSchema)]
pub(crate) struct MetricEvent {
    #[schema(example = "payments")]
    pub service: String,
    #[schema(example = "latency_ms")]
    pub metric: String,
    #[schema(example = 183.0)]
    pub value: f64,
    /// RFC 3339, UTC.
    #[schema(example = "2025-09-20T10:00:00Z")]
    pub ts: String,
    pub labels: Labels,
}

impl From<MetricPoint> for MetricEvent {
    fn from(point: MetricPoint) -> Self {
        MetricEvent {
            service: point.service,
            metric: point.metric,
            value: point.value,
            ts: format_rfc3339(point.ts_ns),
            labels: point.labels,
        }
    }
}

/// One bucket of an aggregated series.
#[derive(Serialize, ToSchema)]
pub(crate) struct BucketPoint {
    /// Bucket start, RFC 3339.
    pub ts: String,
    /// The aggregate of the bucket's points.
    pub value: f64,
    /// Points in the bucket.
    pub count: u64,
}

/// A time-bucketed series (`/query/metrics` with `step`).
#[derive(Serialize, ToSchema)]
pub(crate) struct SeriesResponse {
    pub service: String,
    pub metric: String,
    pub labels: Labels,
    /// The aggregation applied.
    #[schema(example = "p95")]
    pub agg: String,
    /// Bucket width in seconds.
    #[schema(example = 60.0)]
    pub step_seconds: f64,
    /// Buckets, oldest first; empty buckets are omitted.
    pub points: Vec<BucketPoint>,
}

impl SeriesResponse {
    pub(crate) fn new(series: AggregatedSeries, agg: &str, step_ns: i64) -> Self {
        SeriesResponse {
            service: series.service,
            metric: series.metric,
            labels: series.labels,
            agg: agg.to_string(),
            step_seconds: step_ns as f64 / 1e9,
            points: series
                .buckets
                .into_iter()
                .map(|(ts, value, count)| BucketPoint {
                    ts: format_rfc3339(ts),
                    value,
                    count,
                })
                .collect(),
        }
    }
}

/// A stored log line.
#[derive(Serialize, ToSchema)]
pub(crate) struct LogEvent {
    #[schema(example = "payments")]
    pub service: String,
    #[schema(example = "ERROR")]
    pub level: &'static str,
    #[schema(example = "db timeout acquiring connection")]
    pub message: String,
    #[schema(example = "2025-09-20T10:01:00Z")]
    pub ts: String,
    #[schema(value_type = Option<Object>)]
    pub context: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
    /// The log pattern of the message (see `/patterns`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern_id: Option<u64>,
    /// Where the line's trace is, when it was written inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "/traces/4bf92f3577b34da6a3ce929d0e0e4736")]
    pub trace_url: Option<String>,
}

impl From<LogRecord> for LogEvent {
    fn from(record: LogRecord) -> Self {
        LogEvent {
            service: record.service,
            level: record.level.as_str(),
            message: record.message,
            ts: format_rfc3339(record.ts_ns),
            context: record.context.and_then(|c| serde_json::from_str(&c).ok()),
            trace_url: record.trace_id.as_ref().map(|id| format!("/traces/{id}")),
            trace_id: record.trace_id,
            span_id: record.span_id,
            pattern_id: record.pattern_id,
        }
    }
}

/// A detected anomaly.
#[derive(Serialize, ToSchema)]
pub(crate) struct AnomalyEvent {
    pub id: String,
    pub service: String,
    pub metric: String,
    pub labels: Labels,
    /// Window start, RFC 3339.
    pub window_start: String,
    /// Window end, RFC 3339.
    pub window_end: String,
    /// Score in [0, 1].
    pub score: f64,
    pub threshold: f64,
    pub value: f64,
    /// Expected band `[low, high]`.
    pub expected: [f64; 2],
    pub detector: String,
    pub model_version: String,
    pub ts: String,
}

impl From<Anomaly> for AnomalyEvent {
    fn from(a: Anomaly) -> Self {
        AnomalyEvent {
            id: a.id,
            service: a.service,
            metric: a.metric,
            labels: a.labels,
            window_start: format_rfc3339(a.window_start_ns),
            window_end: format_rfc3339(a.window_end_ns),
            score: a.score,
            threshold: a.threshold,
            value: a.value,
            expected: [a.expected_low, a.expected_high],
            detector: a.detector,
            model_version: a.model_version,
            ts: format_rfc3339(a.ts_ns),
        }
    }
}

/// Process figures in `/health`.
#[derive(Serialize, ToSchema)]
pub(crate) struct ProcessHealth {
    /// User + system CPU seconds consumed.
    pub cpu_seconds: Option<f64>,
    /// Resident set size in bytes.
    pub rss_bytes: Option<u64>,
}

/// Storage figures in `/health`.
#[derive(Serialize, ToSchema)]
pub(crate) struct StorageHealth {
    pub rows_buffered: u64,
    pub buffer_bytes: u64,
    pub parts: u64,
    pub bytes_on_disk: u64,
    pub wal_bytes: u64,
}

/// `GET /health` answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: f64,
    pub process: ProcessHealth,
    pub storage: StorageHealth,
}

/// Parameters every query endpoint takes, for the OpenAPI document (parsed by `Params`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct CommonQuery {
    /// Only this service.
    service: Option<String>,
    /// Inclusive start: RFC 3339, Unix time, or relative (`15m`, `2h`, `7d`); default: all time.
    since: Option<String>,
    /// Exclusive end, same forms; default: no end.
    until: Option<String>,
    /// Maximum rows returned (buckets with `step`); default 100, at most 10 000.
    limit: Option<usize>,
}

/// A stored span.
#[derive(Serialize, ToSchema)]
pub(crate) struct SpanEvent {
    #[schema(example = "4bf92f3577b34da6a3ce929d0e0e4736")]
    pub trace_id: String,
    #[schema(example = "00f067aa0ba902b7")]
    pub span_id: String,
    /// Absent for a root span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_span_id: Option<String>,
    #[schema(example = "checkout")]
    pub service: String,
    /// The operation.
    #[schema(example = "GET /cart")]
    pub name: String,
    /// `unspecified`, `internal`, `server`, `client`, `producer` or `consumer`.
    #[schema(example = "server")]
    pub kind: &'static str,
    #[schema(example = "2025-09-20T10:01:00.000250Z")]
    pub start: String,
    #[schema(example = 12.5)]
    pub duration_ms: f64,
    pub duration_ns: i64,
    /// `unset`, `ok` or `error`.
    #[schema(example = "error")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// `{"attributes": {...}, "resource": {...}, "scope": {...}}`.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
    /// `[{"time_ns", "name", "attributes"}]`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub events: Option<Value>,
    /// Links to other spans: `[{"trace_id", "span_id", "attributes"}]`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub links: Option<Value>,
    /// The whole trace.
    #[schema(example = "/traces/4bf92f3577b34da6a3ce929d0e0e4736")]
    pub trace_url: String,
}

impl From<Span> for SpanEvent {
    fn from(span: Span) -> Self {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        SpanEvent {
            trace_url: format!("/traces/{}", span.trace_id),
            trace_id: span.trace_id,
            span_id: span.span_id,
            parent_span_id: span.parent_span_id,
            service: span.service,
            name: span.name,
            kind: span.kind.as_str(),
            start: format_rfc3339(span.start_ns),
            duration_ms: span.duration_ns as f64 / 1e6,
            duration_ns: span.duration_ns,
            status: span.status.as_str(),
            status_message: span.status_message,
            attributes: json(span.attributes),
            events: json(span.events),
            links: json(span.links),
        }
    }
}

/// A stored exemplar: a sample of a series annotated with labels of its own, usually a trace.
#[derive(Serialize, ToSchema)]
pub(crate) struct ExemplarEvent {
    #[schema(example = "api")]
    pub service: String,
    #[schema(example = "http_request_duration_seconds_bucket")]
    pub metric: String,
    #[schema(value_type = Object)]
    pub labels: Labels,
    /// The exemplar's own labels, e.g. `{"trace_id": "..."}`.
    #[schema(value_type = Object)]
    pub exemplar_labels: Labels,
    #[schema(example = "2025-09-20T10:01:00Z")]
    pub ts: String,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// The trace, when the exemplar names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_url: Option<String>,
}

impl From<Exemplar> for ExemplarEvent {
    fn from(exemplar: Exemplar) -> Self {
        ExemplarEvent {
            service: exemplar.service,
            metric: exemplar.metric,
            labels: exemplar.labels,
            exemplar_labels: exemplar.exemplar_labels,
            ts: format_rfc3339(exemplar.ts_ns),
            value: exemplar.value,
            trace_url: exemplar.trace_id.as_ref().map(|id| format!("/traces/{id}")),
            trace_id: exemplar.trace_id,
        }
    }
}
