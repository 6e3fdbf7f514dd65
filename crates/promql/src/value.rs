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
    let mut out = String::new();
    push_value(&mut out, value);
    out
}

/// Appends `value` to `out` as [`format_value`] writes it, without a string of its own: an
/// answer writes one per point.
pub fn push_value(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    // Below 2^53 every integer is a float exactly, and its shortest form is the integer's
    // digits; -0 is not (it is written "-0").
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;
    if value.is_nan() {
        out.push_str("NaN");
    } else if value == f64::INFINITY {
        out.push_str("+Inf");
    } else if value == f64::NEG_INFINITY {
        out.push_str("-Inf");
    } else if value.fract() == 0.0
        && value.abs() < EXACT_INTEGERS
        && !(value == 0.0 && value.is_sign_negative())
    {
        // Counters and gauges of counts: an integer's digits cost far less than the float
        // algorithm.
        let _ = write!(out, "{}", value as i64);
    } else {
        // Rust's `Display` for floats is the shortest round-trip form without an exponent.
        let _ = write!(out, "{value}");
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
    fn integers_written_by_their_digits_equal_the_float_form() {
        let mut values = vec![0.0, -0.0, 1.0, -1.0, 12_345.0, 1e15, -1e15, 4.5e15];
        for exact in [9_007_199_254_740_991.0_f64, 9_007_199_254_740_992.0] {
            values.extend([exact, -exact, exact + 2.0, exact * 3.0]);
        }
        // Floats from arbitrary bits, and integers of every size below and above 2^53.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            values.push(f64::from_bits(z));
            values.push(((z >> (z % 64)) as i64 as f64).copysign(if z & 1 == 0 {
                1.0
            } else {
                -1.0
            }));
        }
        for value in values.into_iter().filter(|v| v.is_finite()) {
            assert_eq!(format_value(value), format!("{value}"), "{value:e}");
        }
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
