//! PromQL functions over instant vectors and scalars (math, clamping, rounding, time and date,
//! labels, sorting, `absent`, `scalar`, `vector`, `histogram_quantile`); the ones over range
//! vectors are in `range_functions.rs`. Each keeps or drops the metric name as Prometheus does.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Timelike};
use promql_parser::parser::{Call, Expr};
use regex::Regex;
use telemetryhub_model::Labels;

use crate::PromqlError;
use crate::grid::Grid;
use crate::range_functions;
use crate::series::{
    Evaluate, StepSeries, Val, absent_labels, cmp_nan_last, drop_names, is_label_name,
    merge_same_labels, unwrap_parens, vector_if_any,
};

/// Evaluates a function call over `grid`.
pub(crate) fn eval(ev: &dyn Evaluate, call: &Call, grid: Grid) -> Result<Val, PromqlError> {
    let name = call.func.name;
    let args: Vec<&Expr> = call.args.args.iter().map(|a| a.as_ref()).collect();
    if let Some(value) = range_functions::eval(ev, name, &args, grid)? {
        return Ok(value);
    }
    let steps = grid.len();
    let value = match name {
        "time" => Val::Scalar((0..steps).map(|i| grid.time(i) as f64 / 1000.0).collect()),
        "pi" => Val::Scalar(vec![std::f64::consts::PI; steps]),
        "vector" => {
            let values = ev.eval_scalar(arg(&args, 0)?, grid)?;
            Val::Vector(vec![StepSeries {
                labels: Labels::new(),
                values: values.into_iter().map(Some).collect(),
            }])
        }
        "scalar" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            Val::Scalar(
                (0..steps)
                    .map(|step| {
                        let mut present = input.iter().filter_map(|s| s.values[step]);
                        match (present.next(), present.next()) {
                            (Some(value), None) => value,
                            _ => f64::NAN,
                        }
                    })
                    .collect(),
            )
        }
        "timestamp" => {
            let input = match unwrap_parens(arg(&args, 0)?) {
                Expr::VectorSelector(selector) => ev.vector_selector_timestamps(selector, grid),
                other => {
                    let mut input = ev.eval_vector(other, grid)?;
                    for series in input.iter_mut() {
                        for (step, value) in series.values.iter_mut().enumerate() {
                            if value.is_some() {
                                *value = Some(grid.time(step) as f64 / 1000.0);
                            }
                        }
                    }
                    input
                }
            };
            Val::Vector(drop_names(input)?)
        }
        "absent" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let labels = absent_labels(arg(&args, 0)?);
            let values: Vec<Option<f64>> = (0..steps)
                .map(|step| {
                    if input.iter().any(|s| s.values[step].is_some()) {
                        None
                    } else {
                        Some(1.0)
                    }
                })
                .collect();
            vector_if_any(labels, values)
        }
        "sort" | "sort_desc" => {
            let mut input = ev.eval_vector(arg(&args, 0)?, grid)?;
            if steps == 1 {
                let descending = name == "sort_desc";
                input.sort_by(|a, b| {
                    cmp_nan_last(
                        a.values[0].unwrap_or(f64::NAN),
                        b.values[0].unwrap_or(f64::NAN),
                        descending,
                    )
                });
            }
            Val::Vector(input)
        }
        "sort_by_label" | "sort_by_label_desc" => {
            let mut input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let names: Vec<String> = args[1..]
                .iter()
                .map(|a| string_arg(a))
                .collect::<Result<_, _>>()?;
            input.sort_by(|a, b| {
                let mut order = Ordering::Equal;
                for name in &names {
                    let x = a.labels.get(name).map(String::as_str).unwrap_or("");
                    let y = b.labels.get(name).map(String::as_str).unwrap_or("");
                    order = natural_cmp(x, y);
                    if order != Ordering::Equal {
                        break;
                    }
                }
                if order == Ordering::Equal {
                    order = a.labels.cmp(&b.labels);
                }
                if name == "sort_by_label_desc" {
                    order.reverse()
                } else {
                    order
                }
            });
            Val::Vector(input)
        }
        "label_replace" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let destination = string_arg(arg(&args, 1)?)?;
            let replacement = string_arg(arg(&args, 2)?)?;
            let source = string_arg(arg(&args, 3)?)?;
            let pattern = string_arg(arg(&args, 4)?)?;
            let regex = Regex::new(&format!("^(?s:{pattern})$")).map_err(|error| {
                PromqlError::Execution(format!(
                    "invalid regular expression in label_replace(): {pattern}: {error}"
                ))
            })?;
            if !is_label_name(&destination) {
                return Err(PromqlError::Execution(format!(
                    "invalid destination label name in label_replace(): {destination}"
                )));
            }
            let mut out = Vec::with_capacity(input.len());
            for mut series in input {
                let value = series.labels.get(&source).cloned().unwrap_or_default();
                if let Some(captures) = regex.captures(&value) {
                    let mut result = String::new();
                    captures.expand(&replacement, &mut result);
                    if result.is_empty() {
                        series.labels.remove(&destination);
                    } else {
                        series.labels.insert(destination.clone(), result);
                    }
                }
                out.push(series);
            }
            Val::Vector(merge_same_labels(out)?)
        }
        "label_join" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let destination = string_arg(arg(&args, 1)?)?;
            let separator = string_arg(arg(&args, 2)?)?;
            let sources: Vec<String> = args[3..]
                .iter()
                .map(|a| string_arg(a))
                .collect::<Result<_, _>>()?;
            if !is_label_name(&destination) {
                return Err(PromqlError::Execution(format!(
                    "invalid destination label name in label_join(): {destination}"
                )));
            }
            for source in &sources {
                if !is_label_name(source) {
                    return Err(PromqlError::Execution(format!(
                        "invalid source label name in label_join(): {source}"
                    )));
                }
            }
            let mut out = Vec::with_capacity(input.len());
            for mut series in input {
                let joined = sources
                    .iter()
                    .map(|s| series.labels.get(s).cloned().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(&separator);
                if joined.is_empty() {
                    series.labels.remove(&destination);
                } else {
                    series.labels.insert(destination.clone(), joined);
                }
                out.push(series);
            }
            Val::Vector(merge_same_labels(out)?)
        }
        "histogram_quantile" => {
            let phi = ev.eval_scalar(arg(&args, 0)?, grid)?;
            let input = ev.eval_vector(arg(&args, 1)?, grid)?;
            Val::Vector(histogram_quantile(&phi, &input, steps)?)
        }
        "histogram_count" | "histogram_sum" | "histogram_avg" | "histogram_fraction"
        | "histogram_stddev" | "histogram_stdvar" => {
            // Native histograms only; float samples give nothing.
            for a in &args {
                ev.eval(a, grid)?;
            }
            Val::Vector(Vec::new())
        }
        "round" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let to_nearest = match args.get(1) {
                Some(a) => ev.eval_scalar(a, grid)?,
                None => vec![1.0; steps],
            };
            Val::Vector(map_values(input, |step, x| {
                let inverse = 1.0 / to_nearest[step];
                (x * inverse + 0.5).floor() / inverse
            })?)
        }
        "clamp" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let min = ev.eval_scalar(arg(&args, 1)?, grid)?;
            let max = ev.eval_scalar(arg(&args, 2)?, grid)?;
            let mut out = map_values(input, |step, x| go_max(min[step], go_min(max[step], x)))?;
            // Nothing where the bounds are inverted.
            for series in out.iter_mut() {
                for (step, value) in series.values.iter_mut().enumerate() {
                    if max[step] < min[step] {
                        *value = None;
                    }
                }
            }
            out.retain(|s| s.values.iter().any(Option::is_some));
            Val::Vector(out)
        }
        "clamp_min" | "clamp_max" => {
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            let bound = ev.eval_scalar(arg(&args, 1)?, grid)?;
            let lower = name == "clamp_min";
            Val::Vector(map_values(input, |step, x| {
                if lower {
                    go_max(bound[step], x)
                } else {
                    go_min(bound[step], x)
                }
            })?)
        }
        "day_of_month" | "day_of_week" | "day_of_year" | "days_in_month" | "hour" | "minute"
        | "month" | "year" => {
            let input = match args.first() {
                Some(a) => ev.eval_vector(a, grid)?,
                None => vec![StepSeries {
                    labels: Labels::new(),
                    values: (0..steps)
                        .map(|i| Some(grid.time(i) as f64 / 1000.0))
                        .collect(),
                }],
            };
            Val::Vector(map_values(input, |_, x| date_part(name, x))?)
        }
        _ => {
            let Some(f) = math_function(name) else {
                return Err(PromqlError::BadData(format!(
                    "function {name:?} is not supported"
                )));
            };
            let input = ev.eval_vector(arg(&args, 0)?, grid)?;
            Val::Vector(map_values(input, |_, x| f(x))?)
        }
    };
    Ok(value)
}

fn arg<'a>(args: &[&'a Expr], index: usize) -> Result<&'a Expr, PromqlError> {
    args.get(index)
        .copied()
        .ok_or_else(|| PromqlError::BadData("missing function argument".into()))
}

fn string_arg(expr: &Expr) -> Result<String, PromqlError> {
    match unwrap_parens(expr) {
        Expr::StringLiteral(text) => Ok(text.val.clone()),
        _ => Err(PromqlError::BadData("expected a string argument".into())),
    }
}

fn math_function(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "abs" => f64::abs,
        "ceil" => f64::ceil,
        "floor" => f64::floor,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log2" => f64::log2,
        "log10" => f64::log10,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "asin" => f64::asin,
        "acos" => f64::acos,
        "atan" => f64::atan,
        "sinh" => f64::sinh,
        "cosh" => f64::cosh,
        "tanh" => f64::tanh,
        "asinh" => f64::asinh,
        "acosh" => f64::acosh,
        "atanh" => f64::atanh,
        "deg" => |x: f64| x * 180.0 / std::f64::consts::PI,
        "rad" => |x: f64| x * std::f64::consts::PI / 180.0,
        "sgn" => |x: f64| {
            if x < 0.0 {
                -1.0
            } else if x > 0.0 {
                1.0
            } else {
                x
            }
        },
        _ => return None,
    })
}

/// The larger of two floats, NaN if either is (Go's `math.Max`, which Prometheus uses).
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// The smaller of two floats, NaN if either is (Go's `math.Min`).
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// Applies `f(step, value)` to every value and drops the metric name.
fn map_values(
    input: Vec<StepSeries>,
    f: impl Fn(usize, f64) -> f64,
) -> Result<Vec<StepSeries>, PromqlError> {
    let mut out = input;
    for series in out.iter_mut() {
        for (step, value) in series.values.iter_mut().enumerate() {
            if let Some(x) = value {
                *value = Some(f(step, *x));
            }
        }
    }
    drop_names(out)
}

fn date_part(name: &str, seconds: f64) -> f64 {
    let Some(time) = DateTime::from_timestamp(seconds.floor() as i64, 0) else {
        return f64::NAN;
    };
    match name {
        "day_of_month" => f64::from(time.day()),
        "day_of_week" => f64::from(time.weekday().num_days_from_sunday()),
        "day_of_year" => f64::from(time.ordinal()),
        "days_in_month" => {
            let (year, month) = (time.year(), time.month());
            let next = if month == 12 {
                chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
            };
            let first = chrono::NaiveDate::from_ymd_opt(year, month, 1);
            match (first, next) {
                (Some(first), Some(next)) => (next - first).num_days() as f64,
                _ => f64::NAN,
            }
        }
        "hour" => f64::from(time.hour()),
        "minute" => f64::from(time.minute()),
        "month" => f64::from(time.month()),
        "year" => f64::from(time.year()),
        _ => f64::NAN,
    }
}

/// Compares strings with runs of digits compared as numbers (`a2` before `a10`).
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while !x.is_empty() && !y.is_empty() {
        if x[0].is_ascii_digit() && y[0].is_ascii_digit() {
            let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
            let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
            let (dx, dy) = (&x[..nx], &y[..ny]);
            let tx = dx.iter().skip_while(|&&c| c == b'0').count();
            let ty = dy.iter().skip_while(|&&c| c == b'0').count();
            let order = tx.cmp(&ty).then_with(|| dx[nx - tx..].cmp(&dy[ny - ty..]));
            if order != Ordering::Equal {
                return order;
            }
            x = &x[nx..];
            y = &y[ny..];
        } else {
            if x[0] != y[0] {
                return x[0].cmp(&y[0]);
            }
            x = &x[1..];
            y = &y[1..];
        }
    }
    x.len().cmp(&y.len())
}

/// `histogram_quantile(φ, buckets)` over classic buckets (`le` labels), per time.
fn histogram_quantile(
    phi: &[f64],
    input: &[StepSeries],
    steps: usize,
) -> Result<Vec<StepSeries>, PromqlError> {
    // Bucket series grouped by their labels without `le` and the metric name.
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut groups: Vec<(Labels, Vec<(f64, usize)>)> = Vec::new();
    for (i, series) in input.iter().enumerate() {
        let Some(bound) = series.labels.get("le").and_then(|le| parse_bound(le)) else {
            continue;
        };
        // Grouped with the metric name, which the result then drops: two histograms whose
        // labels differ only in their name collide, as in Prometheus.
        let mut labels = series.labels.clone();
        labels.remove("le");
        let at = *index.entry(labels.clone()).or_insert_with(|| {
            groups.push((labels, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push((bound, i));
    }
    let mut out = Vec::with_capacity(groups.len());
    for (labels, buckets) in groups {
        let mut values = vec![None; steps];
        let mut present: Vec<(f64, f64)> = Vec::with_capacity(buckets.len());
        for (step, slot) in values.iter_mut().enumerate() {
            present.clear();
            for &(bound, i) in &buckets {
                if let Some(count) = input[i].values[step] {
                    present.push((bound, count));
                }
            }
            if !present.is_empty() {
                *slot = Some(bucket_quantile(phi[step], &mut present));
            }
        }
        if values.iter().any(Option::is_some) {
            out.push(StepSeries { labels, values });
        }
    }
    drop_names(out)
}

fn parse_bound(text: &str) -> Option<f64> {
    match text.trim() {
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

/// The quantile of cumulative buckets `(upper bound, count)`, interpolated linearly inside
/// the bucket it falls in.
fn bucket_quantile(q: f64, buckets: &mut Vec<(f64, f64)>) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    buckets.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
    if buckets.last().is_none_or(|b| b.0 != f64::INFINITY) {
        return f64::NAN;
    }
    // Buckets with one bound are one bucket.
    buckets.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1 += later.1;
            true
        } else {
            false
        }
    });
    // Counts only go up: small dips (precision) and real ones are levelled.
    let mut previous = buckets[0].1;
    for bucket in buckets.iter_mut().skip(1) {
        let current = bucket.1;
        if current == previous {
            continue;
        }
        if almost_equal(previous, current, 1e-12) || current < previous {
            bucket.1 = previous;
            continue;
        }
        previous = current;
    }
    if buckets.len() < 2 {
        return f64::NAN;
    }
    let observations = buckets[buckets.len() - 1].1;
    if observations == 0.0 {
        return f64::NAN;
    }
    let mut rank = q * observations;
    let last = buckets.len() - 1;
    let b = buckets[..last].partition_point(|bucket| bucket.1 < rank);
    if b == last {
        return buckets[last - 1].0;
    }
    if b == 0 && buckets[0].0 <= 0.0 {
        return buckets[0].0;
    }
    let (mut start, end, mut count) = (0.0, buckets[b].0, buckets[b].1);
    if b > 0 {
        start = buckets[b - 1].0;
        count -= buckets[b - 1].1;
        rank -= buckets[b - 1].1;
    }
    start + (end - start) * (rank / count)
}

/// Whether two floats are equal within a relative `epsilon`.
fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    if a == b {
        return true;
    }
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || diff < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    diff / (a.abs() + b.abs()) < epsilon
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::quantile;

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(0.5, &mut [1.0, 3.0, 2.0]), 2.0);
        assert_eq!(quantile(0.25, &mut [1.0, 2.0, 3.0]), 1.5);
        assert_eq!(quantile(2.0, &mut [1.0]), f64::INFINITY);
    }

    #[test]
    fn bucket_quantiles_interpolate_inside_a_bucket() {
        let mut buckets = vec![(0.1, 10.0), (0.5, 20.0), (f64::INFINITY, 20.0)];
        assert!((bucket_quantile(0.75, &mut buckets) - 0.3).abs() < 1e-12);
        let mut no_inf = vec![(0.1, 10.0)];
        assert!(bucket_quantile(0.5, &mut no_inf).is_nan());
    }

    #[test]
    fn natural_order_compares_numbers() {
        assert_eq!(natural_cmp("a2", "a10"), Ordering::Less);
        assert_eq!(natural_cmp("b", "a10"), Ordering::Greater);
    }
}
