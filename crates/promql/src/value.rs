//! What a PromQL query returns — scalar, string, instant vector or range vector (matrix) — and
//! how Prometheus writes sample values and recognises its staleness marker.

use telemetryhub_model::Labels;

/// The bits of Prometheus' staleness marker: a NaN that ends a series.
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;

/// Whether `value` is Prometheus' staleness marker (not any NaN: only this bit pattern).
pub fn is_stale_marker(value: f64) -> bool {
    value.to_bits() == STALE_NAN_BITS
}

/// Whether any of `values` is the staleness marker: a branch-free pass over blocks of values
/// (the compiler vectorises it), as it runs over every sample a range selector reads.
pub fn any_stale_marker(values: &[f64]) -> bool {
    values.chunks(16).any(|block| {
        block
            .iter()
            .fold(false, |any, v| any | (v.to_bits() == STALE_NAN_BITS))
    })
}

/// The staleness marker as a float.
pub fn stale_marker() -> f64 {
    f64::from_bits(STALE_NAN_BITS)
}

/// A sample value as the Prometheus HTTP API writes it: `NaN`, `+Inf`, `-Inf`, or the shortest
/// decimal that reads back to the same float, never in exponent form (Go's
/// `strconv.FormatFloat(v, 'f', -1, 64)`).
pub fn format_value(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value == f64::INFINITY {
        "+Inf".to_string()
    } else if value == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        // Rust's `Display` for floats is the shortest round-trip form without an exponent.
        format!("{value}")
    }
}

/// One sample of an instant vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The series' labels (with `__name__` unless an operation dropped it).
    pub labels: Labels,
    /// The evaluation time, ms since the Unix epoch.
    pub t_ms: i64,
    /// The value.
    pub value: f64,
}

/// One series of a range vector: its points in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series' labels.
    pub labels: Labels,
    /// `(time in ms, value)` in increasing time.
    pub points: Vec<(i64, f64)>,
}

/// The result of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar at a time.
    Scalar {
        /// Evaluation time, ms.
        t_ms: i64,
        /// The value.
        value: f64,
    },
    /// A string at a time.
    String {
        /// Evaluation time, ms.
        t_ms: i64,
        /// The string.
        value: String,
    },
    /// An instant vector (instant queries).
    Vector(Vec<Sample>),
    /// A range vector: range queries, and instant queries of a range selector.
    Matrix(Vec<Series>),
}

impl Value {
    /// The Prometheus API's name of the value's type (`resultType`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Scalar { .. } => "scalar",
            Value::String { .. } => "string",
            Value::Vector(_) => "vector",
            Value::Matrix(_) => "matrix",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_prometheus_writes_them() {
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(stale_marker()), "NaN");
        assert_eq!(format_value(f64::INFINITY), "+Inf");
        assert_eq!(format_value(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_value(1.0), "1");
        assert_eq!(format_value(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_value(1e21), "1000000000000000000000");
        assert_eq!(format_value(-2.5e-7), "-0.00000025");
    }

    #[test]
    fn only_the_marker_bits_are_stale() {
        assert!(is_stale_marker(stale_marker()));
        assert!(!is_stale_marker(f64::NAN));
        // Found at every place of a block and past the last whole block, never in NaNs alone.
        for len in [1, 15, 16, 17, 40] {
            let mut values = vec![f64::NAN; len];
            assert!(!any_stale_marker(&values));
            for at in 0..len {
                values[at] = stale_marker();
                assert!(any_stale_marker(&values), "{len} {at}");
                values[at] = f64::NAN;
            }
        }
        assert!(!any_stale_marker(&[]));
    }
}
