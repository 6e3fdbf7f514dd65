//! Metric points and log records as stored.

use std::collections::BTreeMap;

use crate::Level;

/// The tenant used when a request names none (no `X-Scope-OrgID` header).
pub const DEFAULT_TENANT: &str = "default";

/// Metric or resource labels. Ordered so that equal label sets always serialise identically, which
/// makes the serialised form usable as a series key.
pub type Labels = BTreeMap<String, String>;

/// One sample of one metric series.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricPoint {
    /// The tenant that owns the point.
    pub tenant: String,
    /// The service that emitted the point.
    pub service: String,
    /// The metric name, e.g. `latency_ms`.
    pub metric: String,
    /// Extra dimensions of the series.
    pub labels: Labels,
    /// Sample time in nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    /// Sample value. Any `f64` in storage (NaN, ±Inf and the staleness marker are kept bit for
    /// bit, see [`crate::SeriesBatch::values`]); the native queries return finite values only.
    pub value: f64,
}

/// One log line.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    /// The tenant that owns the record.
    pub tenant: String,
    /// The service that emitted the record.
    pub service: String,
    /// Normalised severity.
    pub level: Level,
    /// The log message.
    pub message: String,
    /// Event time in nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    /// Structured context as a JSON object, serialised; `None` when absent.
    pub context: Option<String>,
    /// W3C trace id (hex), when the line was written inside a trace.
    pub trace_id: Option<String>,
    /// W3C span id (hex), when the line was written inside a span.
    pub span_id: Option<String>,
    /// The log pattern the message belongs to, assigned at ingest (`None` before mining).
    pub pattern_id: Option<u64>,
    /// The labels of the stream the line was written to, as a JSON object with sorted keys
    /// (Loki push labels; the OTLP resource attributes Loki makes labels). `None` for lines of
    /// the native API and lines stored before streams were kept: their stream is
    /// [`LogRecord::stream`]'s derived one.
    pub stream_labels: Option<String>,
}

/// The stream label naming a line's service, as Loki 3 adds it to every stream.
pub const SERVICE_NAME_LABEL: &str = "service_name";

impl LogRecord {
    /// The labels of the line's stream: the stored ones, or for lines stored without (the native
    /// API's, and every line written before streams were kept) `service_name` and `level` (the
    /// level in lower case, as Loki writes levels).
    pub fn stream(&self) -> Labels {
        stream_labels(self.stream_labels.as_deref(), &self.service, self.level)
    }
}

/// The labels of a stream as [`LogRecord::stream`] gives them, from the stored JSON (if any), the
/// service and the level.
pub fn stream_labels(stored: Option<&str>, service: &str, level: Level) -> Labels {
    if let Some(labels) = stored.and_then(|json| serde_json::from_str::<Labels>(json).ok()) {
        return labels;
    }
    Labels::from([
        (SERVICE_NAME_LABEL.to_string(), service.to_string()),
        ("level".to_string(), level.as_str().to_ascii_lowercase()),
    ])
}

/// A log pattern (template) as the miner keeps it: the template and a few example messages.
/// Patterns belong to a tenant; ids are unique within it and stay valid (a merged pattern points
/// to the one it was merged into).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PatternTemplate {
    /// The tenant whose messages formed the pattern.
    pub tenant: String,
    /// The pattern id.
    pub id: u64,
    /// Tokens separated by single spaces, variables written `<*>`.
    pub template: String,
    /// Set when the pattern was merged into another.
    pub merged_into: Option<u64>,
    /// Up to five distinct messages of the pattern, first seen first.
    pub samples: Vec<String>,
    /// When the first message of the pattern arrived, ns.
    pub first_seen_ns: i64,
    /// Lines the miner had assigned to the pattern when this state was saved (saved again when
    /// the pattern changes, and when its second line arrives, so that a pattern of one line is
    /// told from one of many after a restart); 0 in states saved before it was kept. Not a
    /// count of stored lines: those are counted where they are stored.
    #[serde(default)]
    pub lines: u64,
    /// When the tagger last saw a line of the pattern (its clock, ns), as of this save: every
    /// save carries it, and the first line of each later day saves the pattern for it alone, so
    /// that a restart evicts the patterns seen least recently (not the oldest, which are often
    /// the busiest); 0 in states saved before it was kept.
    #[serde(default)]
    pub last_seen_ns: i64,
    /// Grows with every change; of two states of one pattern the higher version wins, whatever
    /// order concurrent writes reached the log in.
    pub version: u64,
}

/// One time-bucketed series returned by a [`crate::SeriesQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct AggregatedSeries {
    /// The series' service.
    pub service: String,
    /// The series' metric.
    pub metric: String,
    /// The series' labels.
    pub labels: Labels,
    /// `(bucket start ns, aggregated value, points in bucket)`, oldest first.
    pub buckets: Vec<(i64, f64, u64)>,
}

/// A detected anomaly: a window in which a series left its expected band.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Anomaly {
    /// Stable identifier.
    pub id: String,
    /// The tenant that owns the series.
    pub tenant: String,
    /// The series' service.
    pub service: String,
    /// The series' metric.
    pub metric: String,
    /// The series' labels.
    pub labels: Labels,
    /// First anomalous point, ns.
    pub window_start_ns: i64,
    /// Last anomalous point, ns.
    pub window_end_ns: i64,
    /// Anomaly score in `[0, 1]`.
    pub score: f64,
    /// The series' threshold when it was scored.
    pub threshold: f64,
    /// The most anomalous observed value.
    pub value: f64,
    /// Lower edge of the expected band.
    pub expected_low: f64,
    /// Upper edge of the expected band.
    pub expected_high: f64,
    /// Which detector flagged it.
    pub detector: String,
    /// Version of the detector's model.
    pub model_version: String,
    /// When it was recorded, ns.
    pub ts_ns: i64,
    /// `true_positive` or `false_positive` once someone said so.
    #[serde(default)]
    pub feedback: Option<String>,
}

/// What people said about a pattern (`POST /patterns/{id}/feedback`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PatternFeedback {
    /// A human name shown instead of the template.
    pub name: Option<String>,
    /// A free-text annotation.
    pub note: Option<String>,
    /// Hidden from default pattern lists.
    pub muted: bool,
    /// Listed first and flagged.
    pub important: bool,
}

/// A written summary of a log pattern, from an LLM or from the deterministic rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PatternSummary {
    /// The pattern's tenant.
    pub tenant: String,
    /// The pattern id.
    pub pattern_id: u64,
    /// The summary text.
    pub text: String,
    /// `llm` or `rule`.
    pub source: String,
    /// Lines the pattern had when summarised (a pattern that grows a lot is summarised again).
    pub support_count: u64,
    /// When it was written, ns.
    pub updated_ns: i64,
}

/// An exemplar: one sample of a metric series annotated with labels of its own, typically the
/// trace it was recorded in (Prometheus remote_write carries them beside samples).
#[derive(Debug, Clone, PartialEq)]
pub struct Exemplar {
    /// The tenant that owns the series.
    pub tenant: String,
    /// The series' service.
    pub service: String,
    /// The series' metric.
    pub metric: String,
    /// The series' labels.
    pub labels: Labels,
    /// The exemplar's own labels (e.g. `trace_id`).
    pub exemplar_labels: Labels,
    /// When it was recorded, ns.
    pub ts_ns: i64,
    /// The sampled value.
    pub value: f64,
    /// The trace it points to (32 hex digits), from a `trace_id`, `traceID` or `traceId` label.
    pub trace_id: Option<String>,
}

/// The exemplar labels that name a trace, in the order they are looked for (Prometheus' and
/// OpenTelemetry's spellings).
pub const EXEMPLAR_TRACE_LABELS: [&str; 3] = ["trace_id", "traceID", "traceId"];

impl Exemplar {
    /// The trace an exemplar's labels point to: the first of [`EXEMPLAR_TRACE_LABELS`] present,
    /// as a stored trace id ([`crate::normalise_trace_id`]), if it is one.
    pub fn trace_id_of(exemplar_labels: &Labels) -> Option<String> {
        EXEMPLAR_TRACE_LABELS
            .iter()
            .find_map(|name| exemplar_labels.get(*name))
            .and_then(|id| crate::normalise_trace_id(id))
    }
}

/// What a metric family is and means (Prometheus metadata: type, help, unit).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MetricMetadata {
    /// The tenant that sent it.
    pub tenant: String,
    /// The metric family name.
    pub metric: String,
    /// `counter`, `gauge`, `histogram`, `gaugehistogram`, `summary`, `info`, `stateset` or
    /// `unknown`.
    pub kind: String,
    /// The help text.
    pub help: String,
    /// The unit, when given.
    pub unit: String,
}

/// An execution record that could not be standardised, kept with its reasons and raw input
/// (`GET /records/dead-letters`) until a replay under a corrected mapping stores it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeadLetter {
    /// Stable identifier: a hash of the source, the raw input and, for a record that names
    /// its origin (a Kafka message's topic, partition, offset and time), that origin. So the
    /// same bad row of a file sent twice is one dead letter, a Kafka message read twice is one,
    /// and two alike Kafka messages at two offsets are two.
    pub id: String,
    /// The tenant that sent it.
    pub tenant: String,
    /// The source (mapping) it was sent to.
    pub source: String,
    /// Its 0-based position in the input it came in.
    pub index: u64,
    /// Everything wrong with it, never empty.
    pub errors: Vec<DeadLetterError>,
    /// The raw record as received (a JSON object's text, or the text of a line or row that
    /// could not be read as a record).
    pub raw: String,
    /// When it was set aside (or last replayed without success), ns.
    pub received_ns: i64,
}

/// One reason a record was set aside.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeadLetterError {
    /// The field at fault (the input's name), `None` when the record as a whole is bad.
    pub field: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// Which dead letters to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterQuery {
    /// Only this tenant's dead letters are visible.
    pub tenant: String,
    /// Only this source's.
    pub source: Option<String>,
    /// At most this many, newest first.
    pub limit: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_saved_before_line_counts_loads_with_an_unknown_count() {
        let saved = r#"{"tenant":"t","id":3,"template":"a <*>","merged_into":null,
            "samples":["a 1"],"first_seen_ns":5,"version":2}"#;
        let pattern: PatternTemplate = serde_json::from_str(saved).unwrap();
        assert_eq!((pattern.id, pattern.lines, pattern.last_seen_ns), (3, 0, 0));
    }
}
