//! Aggregation operators (`sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`,
//! `topk`, `bottomk`, `quantile`, `count_values`, `limitk`, `limit_ratio`) with `by` and
//! `without`, computed time by time over the groups of an instant vector.

use std::collections::HashMap;

use promql_parser::parser::token::{
    T_AVG, T_BOTTOMK, T_COUNT, T_COUNT_VALUES, T_GROUP, T_LIMIT_RATIO, T_LIMITK, T_MAX, T_MIN,
    T_QUANTILE, T_STDDEV, T_STDVAR, T_SUM, T_TOPK,
};
use promql_parser::parser::{AggregateExpr, Expr, LabelModifier};
use telemetryhub_model::Labels;

use crate::PromqlError;
use crate::plan::Grid;
use crate::series::{Evaluate, StepSeries, Val, cmp_nan_last, is_label_name, quantile};
use crate::value::format_value;

const METRIC_NAME: &str = "__name__";

/// Evaluates an aggregation over `grid`.
pub(crate) fn eval(
    ev: &dyn Evaluate,
    expr: &AggregateExpr,
    grid: Grid,
) -> Result<Val, PromqlError> {
    let op = expr.op.id();
    let input = ev.eval_vector(&expr.expr, grid)?;
    let steps = grid.len();
    let (without, grouping): (bool, Vec<String>) = match &expr.modifier {
        Some(LabelModifier::Include(labels)) => (false, labels.labels.clone()),
        Some(LabelModifier::Exclude(labels)) => (true, labels.labels.clone()),
        None => (false, Vec::new()),
    };
    let param = match (&expr.param, op) {
        (Some(param), T_COUNT_VALUES) => Param::Label(string_param(param)?),
        (Some(param), _) => Param::Scalar(ev.eval_scalar(param, grid)?),
        (None, _) => Param::None,
    };
    match op {
        T_TOPK | T_BOTTOMK | T_LIMITK | T_LIMIT_RATIO => {
            let Param::Scalar(k) = &param else {
                return Err(PromqlError::BadData("missing parameter".into()));
            };
            selection(op, &input, k, without, &grouping, steps)
        }
        T_COUNT_VALUES => {
            let Param::Label(label) = &param else {
                return Err(PromqlError::BadData("missing parameter".into()));
            };
            count_values(&input, label, without, &grouping, steps)
        }
        _ => {
            let phi = match &param {
                Param::Scalar(values) => Some(values.as_slice()),
                _ => None,
            };
            reduce(op, &input, phi, without, &grouping, steps)
        }
    }
}

enum Param {
    None,
    Scalar(Vec<f64>),
    Label(String),
}

fn string_param(expr: &Expr) -> Result<String, PromqlError> {
    match expr {
        Expr::StringLiteral(text) => Ok(text.val.clone()),
        Expr::Paren(paren) => string_param(&paren.expr),
        _ => Err(PromqlError::BadData(
            "count_values' parameter must be a string".into(),
        )),
    }
}

/// The labels of a series' group.
fn group_labels(labels: &Labels, without: bool, grouping: &[String]) -> Labels {
    if without {
        labels
            .iter()
            .filter(|(name, _)| {
                name.as_str() != METRIC_NAME && !grouping.iter().any(|g| g == *name)
            })
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect()
    } else {
        labels
            .iter()
            .filter(|(name, _)| grouping.iter().any(|g| g == *name))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect()
    }
}

/// Each input series' group index, and each group's labels, in order of first appearance.
fn groups(input: &[StepSeries], without: bool, grouping: &[String]) -> (Vec<usize>, Vec<Labels>) {
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut labels = Vec::new();
    let of = input
        .iter()
        .map(|s| {
            let key = group_labels(&s.labels, without, grouping);
            *index.entry(key.clone()).or_insert_with(|| {
                labels.push(key);
                labels.len() - 1
            })
        })
        .collect();
    (of, labels)
}

/// Running state of one group at one time.
#[derive(Clone, Default)]
struct Acc {
    count: usize,
    value: f64,
    mean: f64,
    values: Vec<f64>,
}

/// The aggregations that reduce a group to one value.
fn reduce(
    op: u16,
    input: &[StepSeries],
    phi: Option<&[f64]>,
    without: bool,
    grouping: &[String],
    steps: usize,
) -> Result<Val, PromqlError> {
    let (group_of, group_labels) = groups(input, without, grouping);
    let mut out: Vec<StepSeries> = group_labels
        .into_iter()
        .map(|labels| StepSeries {
            labels,
            values: vec![None; steps],
        })
        .collect();
    let mut accs: Vec<Acc> = vec![Acc::default(); out.len()];
    // Groups in the order their first sample at this time came (Prometheus' result order).
    for step in 0..steps {
        for acc in accs.iter_mut() {
            acc.count = 0;
            acc.values.clear();
        }
        for (i, series) in input.iter().enumerate() {
            let Some(x) = series.values[step] else {
                continue;
            };
            let acc = &mut accs[group_of[i]];
            if acc.count == 0 {
                acc.count = 1;
                acc.value = x;
                acc.mean = x;
                match op {
                    T_STDDEV | T_STDVAR => acc.value = 0.0,
                    T_GROUP => acc.value = 1.0,
                    T_QUANTILE => acc.values.push(x),
                    _ => {}
                }
                continue;
            }
            acc.count += 1;
            let n = acc.count as f64;
            match op {
                T_SUM => acc.value += x,
                T_AVG => {
                    if acc.mean.is_infinite() {
                        if x.is_infinite() && (acc.mean > 0.0) == (x > 0.0) {
                            continue;
                        }
                        if !x.is_infinite() && !x.is_nan() {
                            continue;
                        }
                    }
                    // Each side divided by the count first, so large values cannot overflow.
                    acc.mean += x / n - acc.mean / n;
                }
                T_MAX if acc.value < x || acc.value.is_nan() => acc.value = x,
                T_MIN if acc.value > x || acc.value.is_nan() => acc.value = x,
                T_STDDEV | T_STDVAR => {
                    let delta = x - acc.mean;
                    acc.mean += delta / n;
                    acc.value += delta * (x - acc.mean);
                }
                T_QUANTILE => acc.values.push(x),
                _ => {}
            }
        }
        for (g, acc) in accs.iter_mut().enumerate() {
            if acc.count == 0 {
                continue;
            }
            let n = acc.count as f64;
            let value = match op {
                T_AVG => acc.mean,
                T_COUNT => n,
                T_STDVAR => acc.value / n,
                T_STDDEV => (acc.value / n).sqrt(),
                T_QUANTILE => {
                    let q = phi.map(|p| p[step]).unwrap_or(f64::NAN);
                    quantile(q, &mut acc.values)
                }
                _ => acc.value,
            };
            out[g].values[step] = Some(value);
        }
    }
    out.retain(|s| s.values.iter().any(Option::is_some));
    Ok(Val::Vector(out))
}

/// `topk`, `bottomk`, `limitk`, `limit_ratio`: the chosen input series themselves.
fn selection(
    op: u16,
    input: &[StepSeries],
    k: &[f64],
    without: bool,
    grouping: &[String],
    steps: usize,
) -> Result<Val, PromqlError> {
    let (group_of, group_count) = {
        let (of, labels) = groups(input, without, grouping);
        (of, labels.len())
    };
    let mut out: Vec<StepSeries> = input
        .iter()
        .map(|s| StepSeries {
            labels: s.labels.clone(),
            values: vec![None; steps],
        })
        .collect();
    // For an instant query, the order of the result: by group, then as chosen.
    let mut order: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); group_count];
    for step in 0..steps {
        let param = k[step];
        if matches!(op, T_TOPK | T_BOTTOMK | T_LIMITK) {
            if param.is_nan() || param.abs() >= 9.2e18 {
                return Err(PromqlError::Execution(format!(
                    "Scalar value {} overflows int64",
                    format_value(param)
                )));
            }
        } else if !(-1.0..=1.0).contains(&param) {
            return Err(PromqlError::Execution(format!(
                "limit_ratio param must be between -1 and 1, got {}",
                format_value(param)
            )));
        }
        members.iter_mut().for_each(Vec::clear);
        for (i, series) in input.iter().enumerate() {
            if series.values[step].is_some() {
                members[group_of[i]].push(i);
            }
        }
        for group in &members {
            let chosen: Vec<usize> = match op {
                T_TOPK | T_BOTTOMK => {
                    let k = param as i64;
                    if k < 1 {
                        continue;
                    }
                    let mut sorted = group.clone();
                    let value = |i: usize| input[i].values[step].unwrap_or(f64::NAN);
                    sorted.sort_by(|&a, &b| cmp_nan_last(value(a), value(b), op == T_TOPK));
                    sorted.truncate(usize::try_from(k).unwrap_or(usize::MAX));
                    sorted
                }
                T_LIMITK => {
                    let k = param as i64;
                    if k < 1 {
                        continue;
                    }
                    group
                        .iter()
                        .copied()
                        .take(usize::try_from(k).unwrap_or(usize::MAX))
                        .collect()
                }
                _ => group
                    .iter()
                    .copied()
                    .filter(|&i| ratio_keeps(&input[i].labels, param))
                    .collect(),
            };
            for i in chosen {
                out[i].values[step] = input[i].values[step];
                if steps == 1 {
                    order.push(i);
                }
            }
        }
    }
    if steps == 1 {
        let mut ordered = Vec::with_capacity(order.len());
        for i in order {
            ordered.push(out[i].clone());
        }
        return Ok(Val::Vector(ordered));
    }
    out.retain(|s| s.values.iter().any(Option::is_some));
    Ok(Val::Vector(out))
}

/// Whether `limit_ratio(r, …)` keeps a series: a stable hash of its labels placed in `[0, 1)`
/// below `r` (or, for negative `r`, at or above `1 + r`).
fn ratio_keeps(labels: &Labels, ratio: f64) -> bool {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    labels.hash(&mut hasher);
    let position = (hasher.finish() as f64) / (u64::MAX as f64);
    if ratio >= 0.0 {
        position < ratio
    } else {
        position >= 1.0 + ratio
    }
}

/// `count_values("label", v)`: how many series have each value, the value in `label`.
fn count_values(
    input: &[StepSeries],
    label: &str,
    without: bool,
    grouping: &[String],
    steps: usize,
) -> Result<Val, PromqlError> {
    if !is_label_name(label) {
        return Err(PromqlError::Execution(format!(
            "invalid label name {label:?}"
        )));
    }
    let mut grouping = grouping.to_vec();
    if !without {
        grouping.push(label.to_string());
    }
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut out: Vec<StepSeries> = Vec::new();
    for step in 0..steps {
        for series in input {
            let Some(value) = series.values[step] else {
                continue;
            };
            let mut labels = series.labels.clone();
            labels.insert(label.to_string(), format_value(value));
            let key = group_labels(&labels, without, &grouping);
            let at = *index.entry(key.clone()).or_insert_with(|| {
                out.push(StepSeries {
                    labels: key,
                    values: vec![None; steps],
                });
                out.len() - 1
            });
            let slot = &mut out[at].values[step];
            *slot = Some(slot.unwrap_or(0.0) + 1.0);
        }
    }
    Ok(Val::Vector(out))
}
