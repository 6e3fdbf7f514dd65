//! Query results as plain Rust (the server renders Loki's JSON): streams of log lines, instant
//! vectors, matrices and scalars.

use telemetryhub_model::Labels;

/// One line of a log query's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEntry {
    /// Nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    /// The line, as the pipeline left it.
    pub line: String,
}

/// A stream of a log query's answer: lines that share their resulting labels (stream labels,
/// structured metadata and parsed labels, as Loki 3 answers without categorised labels).
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// The labels.
    pub labels: Labels,
    /// The lines, in the query's direction (newest first for `backward`).
    pub entries: Vec<StreamEntry>,
}

/// A log query's answer.
pub type Streams = Vec<Stream>;

/// One sample of an instant vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The series' labels.
    pub labels: Labels,
    /// The value.
    pub value: f64,
}

/// One series of a range query's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The labels.
    pub labels: Labels,
    /// `(time ns, value)` at the steps where the series has a value, in time order.
    pub points: Vec<(i64, f64)>,
}

/// A range query's answer.
pub type Matrix = Vec<Series>;

/// An instant query's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum InstantValue {
    /// A vector, in Loki's order: by labels, or by value for `sort`, `sort_desc`, `topk`,
    /// `bottomk`.
    Vector(Vec<Sample>),
    /// A scalar (a query of numbers only).
    Scalar(f64),
}

/// Prometheus' text of a label set, `{a="b", c="d"}`, as errors quote series.
pub fn format_labels(labels: &Labels) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(name, value)| format!("{name}={}", crate::display::quote(value)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// One series of an intermediate result: a value or none at every step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepSeries {
    pub(crate) labels: Labels,
    pub(crate) values: Vec<Option<f64>>,
}

/// A node's value at every step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Evaluated {
    Scalar(Vec<f64>),
    Vector(Vec<StepSeries>),
}
