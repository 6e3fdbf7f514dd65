//! Queries over stored metrics and logs, independent of any storage backend.

use std::fmt;
use std::str::FromStr;

use crate::Level;

/// How a label matcher compares a label's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    /// `k=v`: the label equals the value.
    Equal,
    /// `k!=v`: the label is absent or differs from the value.
    NotEqual,
}

/// One `k=v` or `k!=v` condition on a series' labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatcher {
    /// The label name.
    pub name: String,
    /// The comparison.
    pub op: MatchOp,
    /// The value compared against.
    pub value: String,
}

impl LabelMatcher {
    /// Parses a comma-separated list of matchers: `env=prod,region!=eu`.
    pub fn parse_list(text: &str) -> Result<Vec<LabelMatcher>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::parse)
            .collect()
    }

    /// Whether a label set satisfies this matcher (an absent label counts as the empty string,
    /// as in PromQL).
    pub fn matches(&self, labels: &crate::Labels) -> bool {
        let actual = labels.get(&self.name).map(String::as_str).unwrap_or("");
        match self.op {
            MatchOp::Equal => actual == self.value,
            MatchOp::NotEqual => actual != self.value,
        }
    }
}

impl FromStr for LabelMatcher {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, op, value) = if let Some((name, value)) = text.split_once("!=") {
            (name, MatchOp::NotEqual, value)
        } else if let Some((name, value)) = text.split_once('=') {
            (name, MatchOp::Equal, value)
        } else {
            return Err(format!(
                "invalid label matcher {text:?}: expected k=v or k!=v"
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("invalid label matcher {text:?}: empty label name"));
        }
        Ok(LabelMatcher {
            name: name.to_string(),
            op,
            value: value.trim().to_string(),
        })
    }
}

/// An aggregation applied to the points of one time bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Arithmetic mean.
    Avg,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// Sum of values.
    Sum,
    /// Number of points.
    Count,
    /// Median (exact, interpolated).
    P50,
    /// 95th percentile (exact, interpolated).
    P95,
    /// 99th percentile (exact, interpolated).
    P99,
}

impl Aggregation {
    /// The percentile in `[0, 1]` for percentile aggregations.
    pub fn percentile(self) -> Option<f64> {
        match self {
            Aggregation::P50 => Some(0.5),
            Aggregation::P95 => Some(0.95),
            Aggregation::P99 => Some(0.99),
            _ => None,
        }
    }

    /// The name used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Avg => "avg",
            Aggregation::Min => "min",
            Aggregation::Max => "max",
            Aggregation::Sum => "sum",
            Aggregation::Count => "count",
            Aggregation::P50 => "p50",
            Aggregation::P95 => "p95",
            Aggregation::P99 => "p99",
        }
    }
}

impl fmt::Display for Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Aggregation {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "avg" | "mean" => Aggregation::Avg,
            "min" => Aggregation::Min,
            "max" => Aggregation::Max,
            "sum" => Aggregation::Sum,
            "count" => Aggregation::Count,
            "p50" | "median" => Aggregation::P50,
            "p95" => Aggregation::P95,
            "p99" => Aggregation::P99,
            _ => {
                return Err(format!(
                    "unknown aggregation {text:?}: expected one of avg, min, max, sum, count, p50, p95, p99"
                ));
            }
        })
    }
}

/// Raw metric points, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    /// Only this tenant's data is visible.
    pub tenant: String,
    /// Restrict to one service.
    pub service: Option<String>,
    /// Restrict to one metric.
    pub metric: Option<String>,
    /// Inclusive lower bound, ns.
    pub since_ns: i64,
    /// Exclusive upper bound, ns.
    pub until_ns: i64,
    /// Conditions on labels, all of which must hold.
    pub labels: Vec<LabelMatcher>,
    /// Maximum number of points returned.
    pub limit: usize,
}

/// Time-bucketed aggregates of metric series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesQuery {
    /// Which points enter the buckets; its `limit` caps the number of buckets returned.
    pub select: MetricQuery,
    /// Bucket width, ns; buckets are aligned to multiples of it since the epoch.
    pub step_ns: i64,
    /// What each bucket reports.
    pub aggregation: Aggregation,
}

/// Log records, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LogQuery {
    /// Only this tenant's data is visible.
    pub tenant: String,
    /// Restrict to one service.
    pub service: Option<String>,
    /// Restrict to one level.
    pub level: Option<Level>,
    /// Inclusive lower bound, ns.
    pub since_ns: i64,
    /// Exclusive upper bound, ns.
    pub until_ns: i64,
    /// Case-sensitive substring the message must contain.
    pub contains: Option<String>,
    /// Only messages stored with one of these pattern ids (a pattern and those merged into it).
    pub pattern_ids: Option<Vec<u64>>,
    /// Only lines written inside this trace (32 hex digits).
    pub trace_id: Option<String>,
    /// Maximum number of records returned.
    pub limit: usize,
}

/// Line counts per stored pattern id, service and level, over a time range.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternCountsQuery {
    /// Only this tenant's lines.
    pub tenant: String,
    /// Only this service.
    pub service: Option<String>,
    /// Only this level.
    pub level: Option<Level>,
    /// Inclusive lower bound, ns.
    pub since_ns: i64,
    /// Exclusive upper bound, ns.
    pub until_ns: i64,
}

/// One row of a [`PatternCountsQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatternCount {
    /// The pattern id the lines were stored with.
    pub pattern_id: u64,
    /// Their service.
    pub service: String,
    /// Their level.
    pub level: Level,
    /// How many lines.
    pub count: u64,
    /// Time of the first, ns.
    pub first_ns: i64,
    /// Time of the last, ns.
    pub last_ns: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_matchers() {
        let parsed = LabelMatcher::parse_list("env=prod, region!=eu").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].op, MatchOp::NotEqual);
        assert_eq!(parsed[1].value, "eu");
        assert!(LabelMatcher::parse_list("env").is_err());
        assert!(LabelMatcher::parse_list("=x").is_err());
    }

    #[test]
    fn absent_label_is_empty() {
        let labels = crate::Labels::new();
        assert!(
            "env!=prod"
                .parse::<LabelMatcher>()
                .unwrap()
                .matches(&labels)
        );
        assert!(!"env=prod".parse::<LabelMatcher>().unwrap().matches(&labels));
    }
}

/// Stored anomalies, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalyQuery {
    /// Only this tenant's anomalies are visible.
    pub tenant: String,
    /// Restrict to one service.
    pub service: Option<String>,
    /// Restrict to one metric.
    pub metric: Option<String>,
    /// Anomalies whose window ends at or after this time, ns.
    pub since_ns: i64,
    /// Anomalies whose window starts before this time, ns.
    pub until_ns: i64,
    /// Minimum score.
    pub min_score: f64,
    /// Maximum number returned.
    pub limit: usize,
}
