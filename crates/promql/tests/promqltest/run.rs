//! Running parsed scripts against the engine: loading into a [`MemorySource`], evaluating each
//! `eval` the way Prometheus v2.53's runner does, and comparing with its rules.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use promql_parser::parser::{AtModifier, Expr};
use telemetryhub_promql::{
    Engine, EngineOptions, MemorySource, Sample, SeriesSource, Value, format_value,
};

use super::script::{Eval, EvalKind, Expected, Labels, Load, SeqValue};

/// Prometheus' relative tolerance for sample values (`defaultEpsilon`).
pub const EPSILON: f64 = 1e-6;

/// Functions whose result depends on the evaluation time even with step-invariant arguments:
/// Prometheus' runner makes no `@` variants of queries calling them
/// (`promql.AtModifierUnsafeFunctions`).
const AT_MODIFIER_UNSAFE_FUNCTIONS: [&str; 11] = [
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "hour",
    "minute",
    "month",
    "year",
    "predict_linear",
    "time",
    "timestamp",
];

/// Prometheus' `almost.Equal`: both NaN, equal (so both +Inf or both -Inf), or a difference
/// below `epsilon` times the sum of magnitudes (times the smallest normal float near zero).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    if a.is_nan() && b.is_nan() {
        return true;
    }
    if a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

/// Adds a load's samples to `source`; returns how many.
pub fn load(source: &mut MemorySource, load: &Load) -> usize {
    let samples = load.samples();
    let mut added = 0;
    for (labels, t_ms, value) in &samples {
        // Native histograms are not supported: their samples are left out (cases using them
        // are on the skip list).
        if let Some(value) = value {
            source.add(labels, *t_ms, *value);
            added += 1;
        }
    }
    added
}

/// How many samples `source` holds.
pub async fn count_samples(source: &MemorySource) -> usize {
    match source.select(&[], i64::MIN, i64::MAX, usize::MAX).await {
        Ok(series) => series.iter().map(|s| s.t_ms.len()).sum(),
        Err(e) => panic!("selecting every series of the memory source failed: {e}"),
    }
}

/// How one `eval` went.
#[derive(Debug)]
pub enum Outcome {
    /// As expected.
    Passed,
    /// Not as expected: what went wrong, with expected and actual values.
    Failed(String),
}

/// Options of the executor.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Also run the `@`-modifier variants of instant queries (Prometheus does).
    pub at_variants: bool,
}

/// A note about the runner itself (not the engine), e.g. an `@` variant that could not be
/// built; printed, not counted as a failure.
pub type Notes = Vec<String>;

/// Evaluates `eval` against `source` as Prometheus' runner does.
pub async fn run_eval(
    engine: &Engine,
    source: &MemorySource,
    eval: &Eval,
    options: RunOptions,
    notes: &mut Notes,
) -> Outcome {
    let result = match eval.kind {
        EvalKind::Instant { at_ms } => {
            run_instant(engine, source, eval, at_ms, options, notes).await
        }
        EvalKind::Range {
            start_ms,
            end_ms,
            step_ms,
        } => run_range(engine, source, eval, start_ms, end_ms, step_ms).await,
    };
    match result {
        Ok(()) => Outcome::Passed,
        // Comparison failures carry both values; errors get the expectation here.
        Err(message) if message.contains("\n      expected: ") => Outcome::Failed(message),
        Err(message) if eval.fail => Outcome::Failed(message),
        Err(message) => Outcome::Failed(format!(
            "{message}\n      expected: {}",
            fmt_expected(&eval.expected)
        )),
    }
}

/// `eval range`: one range query, compared as a matrix.
async fn run_range(
    engine: &Engine,
    source: &MemorySource,
    eval: &Eval,
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
) -> Result<(), String> {
    let result = engine
        .range_query(source, &eval.expr, start_ms, end_ms, step_ms)
        .await;
    match result {
        Err(_) if eval.fail => Ok(()),
        Err(e) => Err(format!("range query failed: {e}")),
        Ok(_) if eval.fail => Err("expected the range query to fail, but it succeeded".into()),
        Ok(result) => compare(eval, &result.value, start_ms, Some((end_ms, step_ms)))
            .map_err(|e| with_values(e, &eval.expected, &result.value)),
    }
}

/// `eval instant`: the instant query at the time, then its `@` variants at other times, each
/// also as a range query from t−1m to t+1m step 1m whose step at t must give the same result.
async fn run_instant(
    engine: &Engine,
    source: &MemorySource,
    eval: &Eval,
    at_ms: i64,
    options: RunOptions,
    notes: &mut Notes,
) -> Result<(), String> {
    let mut queries = vec![(eval.expr.clone(), at_ms)];
    if options.at_variants {
        match at_modifier_variants(&eval.expr, at_ms) {
            Ok(variants) => queries.extend(variants),
            Err(note) => notes.push(format!("line {}: {note}", eval.line)),
        }
    }
    for (index, (query, t_ms)) in queries.iter().enumerate() {
        let what = if index == 0 {
            format!("instant query at {t_ms} ms")
        } else {
            format!("@ variant `{query}` at {t_ms} ms")
        };
        let result = match engine.instant_query(source, query, *t_ms).await {
            Err(_) if eval.fail => continue,
            Err(e) => return Err(format!("{what} failed: {e}")),
            Ok(_) if eval.fail => {
                return Err(format!("{what}: expected an error, but it succeeded"));
            }
            Ok(result) => result,
        };
        compare(eval, &result.value, *t_ms, None)
            .map_err(|e| format!("{what}: {}", with_values(e, &eval.expected, &result.value)))?;

        // The same query in range mode, checked at its middle step.
        let ranged = engine
            .range_query(source, query, t_ms - 60_000, t_ms + 60_000, 60_000)
            .await
            .map_err(|e| format!("{what} in range mode failed: {e}"))?;
        if eval.ordered {
            // Range results are sorted by labels: an ordered expectation cannot hold.
            continue;
        }
        let Value::Matrix(matrix) = &ranged.value else {
            return Err(format!(
                "{what} in range mode returned a {}, not a matrix",
                ranged.value.type_name()
            ));
        };
        assert_sorted(matrix).map_err(|e| format!("{what} in range mode: {e}"))?;
        let vector: Vec<Sample> = matrix
            .iter()
            .filter_map(|series| {
                series
                    .points
                    .iter()
                    .find(|(t, _)| t == t_ms)
                    .map(|&(t, v)| Sample {
                        labels: series.labels.clone(),
                        t_ms: t,
                        value: v,
                    })
            })
            .collect();
        let at_step = if let Value::Scalar { .. } = result.value {
            let Some(first) = vector.first() else {
                return Err(format!(
                    "{what} in range mode: the instant query gave a scalar but the range \
                     query has no point at {t_ms} ms"
                ));
            };
            Value::Scalar {
                t_ms: *t_ms,
                value: first.value,
            }
        } else {
            Value::Vector(vector)
        };
        compare(eval, &at_step, *t_ms, None).map_err(|e| {
            format!(
                "{what} in range mode: {}",
                with_values(e, &eval.expected, &at_step)
            )
        })?;
    }
    Ok(())
}

/// The `@` variants Prometheus' runner adds to an instant query at `t_ms`: every selector and
/// subquery outside a subquery that has an `@` gets `@ t` (replacing `@ start()`/`@ end()`),
/// evaluated at −10t, 0, t/5, t and 10t (−1 s, 0, 1 s when t is 0); none when the query calls
/// a function unsafe with `@`. The rewritten query is printed with promql-parser's `Display`,
/// which must read back to a query printing the same, else no variants are made and a note
/// says why.
pub fn at_modifier_variants(expr: &str, t_ms: i64) -> Result<Vec<(String, i64)>, String> {
    let mut tree = match promql_parser::parser::parse(expr) {
        Ok(tree) => tree,
        // The main query reports the parse error.
        Err(_) => return Ok(Vec::new()),
    };
    let at = AtModifier::At(if t_ms >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_millis(t_ms.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_millis(t_ms.unsigned_abs())
    });
    let mut unsafe_call = false;
    set_at(&mut tree, &at, &mut unsafe_call);
    if unsafe_call {
        return Ok(Vec::new());
    }
    let text = tree.to_string();
    // promql-parser prints matchers sorted and drops empty `by ()` / `ignoring ()` and unary
    // `+`, all without changing the meaning; what must hold is that the printed query reads
    // back to a tree that prints the same.
    match promql_parser::parser::parse(&text) {
        Ok(back) if back.to_string() == text => {}
        Ok(back) => {
            return Err(format!(
                "@ variant of `{expr}` not run: promql-parser prints it as `{text}`, which \
                 reads back as `{back}`"
            ));
        }
        Err(e) => {
            return Err(format!(
                "@ variant of `{expr}` not run: promql-parser prints it as `{text}`, which it \
                 cannot parse: {e}"
            ));
        }
    }
    let times = if t_ms == 0 {
        vec![-1000, 0, 1000]
    } else {
        vec![-10 * t_ms, 0, t_ms / 5, t_ms, 10 * t_ms]
    };
    Ok(times.into_iter().map(|t| (text.clone(), t)).collect())
}

/// Sets `@ at` as Prometheus' runner does (see [`at_modifier_variants`]); flags calls of
/// functions unsafe with `@`.
fn set_at(expr: &mut Expr, at: &AtModifier, unsafe_call: &mut bool) {
    let replace = |slot: &mut Option<AtModifier>| {
        if !matches!(slot, Some(AtModifier::At(_))) {
            *slot = Some(at.clone());
        }
    };
    match expr {
        Expr::Aggregate(e) => {
            set_at(&mut e.expr, at, unsafe_call);
            if let Some(param) = &mut e.param {
                set_at(param, at, unsafe_call);
            }
        }
        Expr::Unary(e) => set_at(&mut e.expr, at, unsafe_call),
        Expr::Binary(e) => {
            set_at(&mut e.lhs, at, unsafe_call);
            set_at(&mut e.rhs, at, unsafe_call);
        }
        Expr::Paren(e) => set_at(&mut e.expr, at, unsafe_call),
        // Nothing inside a subquery with an `@` is touched (nor checked for unsafe calls).
        Expr::Subquery(e) => replace(&mut e.at),
        Expr::VectorSelector(e) => replace(&mut e.at),
        Expr::MatrixSelector(e) => replace(&mut e.vs.at),
        Expr::Call(e) => {
            if AT_MODIFIER_UNSAFE_FUNCTIONS.contains(&e.func.name) {
                *unsafe_call = true;
            }
            for arg in &mut e.args.args {
                set_at(arg, at, unsafe_call);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// Range results must be sorted by labels (Prometheus' `assertMatrixSorted`).
fn assert_sorted(matrix: &[telemetryhub_promql::Series]) -> Result<(), String> {
    for pair in matrix.windows(2) {
        if pair[0].labels > pair[1].labels {
            return Err(format!(
                "matrix not sorted by labels: {} before {}",
                fmt_labels(&pair[0].labels),
                fmt_labels(&pair[1].labels)
            ));
        }
    }
    Ok(())
}

/// Compares a result with the expectation by Prometheus' `compareResult`: labels exact, values
/// within [`EPSILON`], vector order only for `eval_ordered`; a matrix point `i` of an expected
/// series sits at `start + i × step` (`range` is `(end, step)`; instant queries have none, so
/// expected matrix points cannot match there, as in Prometheus).
fn compare(
    eval: &Eval,
    value: &Value,
    start_ms: i64,
    range: Option<(i64, i64)>,
) -> Result<(), String> {
    let expected = &eval.expected;
    match value {
        Value::Matrix(matrix) => {
            if eval.ordered {
                return Err("expected an ordered result, but the query returned a matrix".into());
            }
            assert_sorted(matrix)?;
            let mut seen = BTreeSet::new();
            for series in matrix {
                let Some((_, values)) = expected.series.get(&series.labels) else {
                    return Err(format!(
                        "unexpected series {} in the result",
                        fmt_labels(&series.labels)
                    ));
                };
                seen.insert(&series.labels);
                let mut points = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    let t = match range {
                        Some((end, step)) if start_ms + i as i64 * step <= end => {
                            start_ms + i as i64 * step
                        }
                        _ => {
                            return Err(format!(
                                "expected {} points for {}, but the query's time range cannot \
                                 have that many",
                                values.len(),
                                fmt_labels(&series.labels)
                            ));
                        }
                    };
                    match v {
                        SeqValue::Float(f) => points.push((t, *f)),
                        SeqValue::Omitted => {}
                        SeqValue::Histogram => {
                            return Err("native histogram expectations are not supported".into());
                        }
                    }
                }
                if points.len() != series.points.len() {
                    return Err(format!(
                        "expected {} points for {}, got {}",
                        points.len(),
                        fmt_labels(&series.labels),
                        series.points.len()
                    ));
                }
                for (i, (&(et, ev), &(at, av))) in points.iter().zip(&series.points).enumerate() {
                    if et != at {
                        return Err(format!(
                            "point {i} of {}: expected timestamp {et}, got {at}",
                            fmt_labels(&series.labels)
                        ));
                    }
                    if !almost_equal(av, ev, EPSILON) {
                        return Err(format!(
                            "point {i} (t={at}) of {}: expected {}, got {}",
                            fmt_labels(&series.labels),
                            format_value(ev),
                            format_value(av)
                        ));
                    }
                }
            }
            if expected.scalar.is_some() {
                return Err("expected a scalar, got a matrix".into());
            }
            for labels in expected.series.keys() {
                if !seen.contains(labels) {
                    return Err(format!("expected series {} not found", fmt_labels(labels)));
                }
            }
            Ok(())
        }
        Value::Vector(vector) => {
            let mut seen = BTreeSet::new();
            for (index, sample) in vector.iter().enumerate() {
                let Some((position, values)) = expected.series.get(&sample.labels) else {
                    return Err(format!(
                        "unexpected series {} in the result, with value {}",
                        fmt_labels(&sample.labels),
                        format_value(sample.value)
                    ));
                };
                if eval.ordered && *position != index + 1 {
                    return Err(format!(
                        "expected {} at position {position}, but it was at {}",
                        fmt_labels(&sample.labels),
                        index + 1
                    ));
                }
                match values.first() {
                    Some(SeqValue::Float(f)) => {
                        if !almost_equal(*f, sample.value, EPSILON) {
                            return Err(format!(
                                "expected {} for {}, got {}",
                                format_value(*f),
                                fmt_labels(&sample.labels),
                                format_value(sample.value)
                            ));
                        }
                    }
                    Some(SeqValue::Histogram) => {
                        return Err("native histogram expectations are not supported".into());
                    }
                    Some(SeqValue::Omitted) | None => {
                        return Err(format!(
                            "the expectation for {} has no value",
                            fmt_labels(&sample.labels)
                        ));
                    }
                }
                seen.insert(&sample.labels);
            }
            if expected.scalar.is_some() {
                return Err("expected a scalar, got a vector".into());
            }
            for labels in expected.series.keys() {
                if !seen.contains(labels) {
                    return Err(format!("expected series {} not found", fmt_labels(labels)));
                }
            }
            Ok(())
        }
        Value::Scalar { value, .. } => {
            let Some((_, want)) = expected.scalar.filter(|_| expected.len() == 1) else {
                return Err(format!(
                    "expected a vector, got scalar {}",
                    format_value(*value)
                ));
            };
            if almost_equal(want, *value, EPSILON) {
                Ok(())
            } else {
                Err(format!(
                    "expected scalar {}, got {}",
                    format_value(want),
                    format_value(*value)
                ))
            }
        }
        Value::String { value, .. } => Err(format!(
            "the query returned string {value:?}; the scripts never expect strings"
        )),
    }
}

/// `name{a="b", …}` as Prometheus prints labels (`name` alone without other labels).
pub fn fmt_labels(labels: &Labels) -> String {
    let mut out = String::new();
    if let Some(name) = labels.get("__name__") {
        out.push_str(name);
        if labels.len() == 1 {
            return out;
        }
    }
    out.push('{');
    let mut first = true;
    for (k, v) in labels {
        if k == "__name__" {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        let _ = write!(out, "{k}={v:?}");
    }
    out.push('}');
    out
}

/// `message` with the expected and actual values appended, one per line.
fn with_values(message: String, expected: &Expected, got: &Value) -> String {
    format!(
        "{message}\n      expected: {}\n      got:      {}",
        fmt_expected(expected),
        fmt_value(got)
    )
}

/// The expectation, one `labels value(s)` item per series, `; `-separated.
pub fn fmt_expected(expected: &Expected) -> String {
    let mut parts = Vec::new();
    if let Some((_, v)) = expected.scalar {
        parts.push(format!("scalar {}", format_value(v)));
    }
    for (labels, (_, values)) in &expected.series {
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                SeqValue::Omitted => "_".to_string(),
                SeqValue::Float(f) => format_value(*f),
                SeqValue::Histogram => "{{histogram}}".to_string(),
            })
            .collect();
        parts.push(format!("{} {}", fmt_labels(labels), values.join(" ")));
    }
    if parts.is_empty() {
        "(empty)".into()
    } else {
        parts.join("; ")
    }
}

/// A result value, compactly.
pub fn fmt_value(value: &Value) -> String {
    match value {
        Value::Scalar { value, .. } => format!("scalar {}", format_value(*value)),
        Value::String { value, .. } => format!("string {value:?}"),
        Value::Vector(samples) if samples.is_empty() => "(empty vector)".into(),
        Value::Vector(samples) => samples
            .iter()
            .map(|s| format!("{} {}", fmt_labels(&s.labels), format_value(s.value)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Matrix(series) if series.is_empty() => "(empty matrix)".into(),
        Value::Matrix(series) => series
            .iter()
            .map(|s| {
                let points: Vec<String> = s
                    .points
                    .iter()
                    .map(|(t, v)| format!("{}@{t}", format_value(*v)))
                    .collect();
                format!("{} [{}]", fmt_labels(&s.labels), points.join(" "))
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// An engine with Prometheus' test settings where they matter (5 m lookback, 1 m default
/// subquery step).
pub fn test_engine() -> Engine {
    Engine::new(EngineOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almost_equal_is_prometheus() {
        assert!(almost_equal(f64::NAN, f64::NAN, EPSILON));
        assert!(almost_equal(f64::INFINITY, f64::INFINITY, EPSILON));
        assert!(!almost_equal(f64::INFINITY, f64::NEG_INFINITY, EPSILON));
        assert!(!almost_equal(f64::NAN, 1.0, EPSILON));
        assert!(almost_equal(1.0, 1.0 + 1e-9, EPSILON));
        assert!(!almost_equal(1.0, 1.0001, EPSILON));
        assert!(almost_equal(0.0, -0.0, EPSILON));
        assert!(!almost_equal(0.0, 1e-300, EPSILON));
    }

    fn eval_of(script: &str) -> Eval {
        match crate::script::parse_script(script).commands.pop() {
            Some(crate::script::Command::Eval(eval)) => eval,
            other => panic!("not an eval: {other:?}"),
        }
    }

    fn sample(pairs: &[(&str, &str)], value: f64) -> Sample {
        Sample {
            labels: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            t_ms: 0,
            value,
        }
    }

    #[test]
    fn compares_as_prometheus() {
        let eval = eval_of("eval instant at 0 m\n  m{a=\"1\"} 1\n  m{a=\"2\"} NaN\n");
        let a1 = sample(&[("__name__", "m"), ("a", "1")], 1.0 + 1e-9);
        let a2 = sample(&[("__name__", "m"), ("a", "2")], f64::NAN);
        let both = Value::Vector(vec![a2.clone(), a1.clone()]);
        assert!(compare(&eval, &both, 0, None).is_ok(), "any order");
        let one = Value::Vector(vec![a1.clone()]);
        assert!(compare(&eval, &one, 0, None).is_err(), "a missing series");
        let ordered = eval_of("eval_ordered instant at 0 m\n  m{a=\"1\"} 1\n  m{a=\"2\"} NaN\n");
        assert!(compare(&ordered, &both, 0, None).is_err(), "order checked");
        let in_order = Value::Vector(vec![a1, a2]);
        assert!(compare(&ordered, &in_order, 0, None).is_ok());

        let scalar = eval_of("eval instant at 0 1 + 1\n  2\n");
        let two = Value::Scalar {
            t_ms: 0,
            value: 2.0,
        };
        assert!(compare(&scalar, &two, 0, None).is_ok());
        assert!(compare(&scalar, &Value::Vector(vec![]), 0, None).is_err());

        let range = eval_of("eval range from 0 to 2m step 1m m\n  m 1 _ 3\n");
        let series = |points: Vec<(i64, f64)>| {
            Value::Matrix(vec![telemetryhub_promql::Series {
                labels: [("__name__".to_string(), "m".to_string())].into(),
                points,
            }])
        };
        let good = series(vec![(0, 1.0), (120_000, 3.0)]);
        assert!(compare(&range, &good, 0, Some((120_000, 60_000))).is_ok());
        let extra = series(vec![(0, 1.0), (60_000, 2.0), (120_000, 3.0)]);
        assert!(compare(&range, &extra, 0, Some((120_000, 60_000))).is_err());
    }

    #[test]
    fn at_variants_follow_prometheus() {
        let v = at_modifier_variants("sum(rate(m[5m])) + m offset 1m", 60_000).expect("variants");
        assert_eq!(v.len(), 5);
        assert_eq!(
            v.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
            vec![-600_000, 0, 12_000, 60_000, 600_000]
        );
        let back = promql_parser::parser::parse(&v[0].0).expect("reparses");
        let again = promql_parser::parser::parse("sum(rate(m[5m] @ 60)) + m offset 1m @ 60")
            .expect("parses");
        assert_eq!(back, again);
        // Selectors inside a subquery keep their time; the subquery gets the `@`.
        let v = at_modifier_variants("max_over_time(m[5m:1m]) + m @ start()", 60_000)
            .expect("variants");
        let back = promql_parser::parser::parse(&v[0].0).expect("reparses");
        let again =
            promql_parser::parser::parse("max_over_time(m[5m:1m] @ 60) + m @ 60").expect("parses");
        assert_eq!(back, again);
        assert!(
            at_modifier_variants("time() + m", 60_000)
                .expect("no variants")
                .is_empty()
        );
        assert_eq!(
            at_modifier_variants("m", 0)
                .expect("variants")
                .iter()
                .map(|(_, t)| *t)
                .collect::<Vec<_>>(),
            vec![-1000, 0, 1000]
        );
    }
}
