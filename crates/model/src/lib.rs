//! The core data model of TelemetryHub, shared by every layer.
//!
//! This crate knows nothing about HTTP, files or DataFusion: it defines what a metric point, a log
//! record, a span and a query are, how timestamps and durations are written by users, and the
//! transport-neutral [`ErrorCode`] that the server later turns into an HTTP status.

#![deny(missing_docs)]

mod error;
mod level;
pub mod prometheus_names;
mod query;
mod record;
pub mod rollup;
mod series;
mod series_match;
mod span_tags;
mod span_tree;
mod time;
mod trace;
mod write;

pub use error::ErrorCode;
pub use level::{Level, ParseLevelError};
pub use query::{
    Aggregation, AnomalyQuery, LabelMatcher, LogQuery, MatchOp, MetricQuery, PatternCount,
    PatternCountsQuery, SeriesQuery,
};
pub use record::{
    AggregatedSeries, Anomaly, DEFAULT_TENANT, DeadLetter, DeadLetterError, DeadLetterQuery,
    EXEMPLAR_TRACE_LABELS, Exemplar, Labels, LogRecord, MetricMetadata, MetricPoint,
    PatternFeedback, PatternSummary, PatternTemplate, SERVICE_NAME_LABEL, stream_labels,
};
pub use series::{
    LabelsJson, PROMETHEUS_SERVICE_LABELS, STALE_NAN_BITS, SeriesBatch, SeriesBatchBuilder,
    SeriesKey, UNKNOWN_SERVICE, is_stale_marker, sort_labels, write_sorted_labels,
};
pub use series_match::{InvalidRegex, METRIC_NAME_LABEL, SeriesMatchOp, SeriesMatcher};
pub use span_tags::{SpanTag, object_tags};
pub use span_tree::{SpanNode, Trace, span_tree};
pub use time::{
    NANOS_PER_SECOND, TimeError, format_rfc3339, now_ns, parse_duration, parse_time_param,
    parse_timestamp_str, timestamp_from_integer, timestamp_from_number,
};
pub use trace::{Span, SpanKind, SpanOperation, SpanQuery, SpanStatus, normalise_trace_id};
pub use write::{IdempotencyKey, LogsWrite, MetricsWrite, SpansWrite};
