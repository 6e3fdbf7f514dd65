//! Aggregation operators (`sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`,
//! `topk`, `bottomk`, `quantile`, `count_values`, `limitk`, `limit_ratio`) with `by` and
//! `without`, computed time by time over the groups of an instant vector.

use std::collections::HashMap;
use std::ops::Range;

use promql_parser::parser::token::{
    T_AVG, T_BOTTOMK, T_COUNT, T_COUNT_VALUES, T_GROUP, T_LIMIT_RATIO, T_LIMITK, T_MAX, T_MIN,
    T_QUANTILE, T_STDDEV, T_STDVAR, T_SUM, T_TOPK,
};
use promql_parser::parser::{AggregateExpr, Expr, LabelModifier};
use telemetryhub_model::Labels;

use crate::PromqlError;
use crate::grid::Grid;
use crate::parallel::{map_in_order, threads_for};
use crate::series::{
    Evaluate, StepSeries, Val, cmp_nan_last, is_label_name, quantile, unfilled_like,
};
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
            let threads = threads_for(input.len().saturating_mul(steps));
            reduce(op, &input, phi, without, &grouping, steps, threads)
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
#[derive(Clone, Copy, Default)]
struct Acc {
    count: usize,
    value: f64,
    mean: f64,
}

impl Acc {
    /// Adds the group's next series' value `x` at this time (`op`'s running update).
    fn add(&mut self, op: u16, x: f64) {
        if self.count == 0 {
            self.count = 1;
            self.value = match op {
                T_STDDEV | T_STDVAR => 0.0,
                T_GROUP => 1.0,
                _ => x,
            };
            self.mean = x;
            return;
        }
        self.count += 1;
        let n = self.count as f64;
        match op {
            T_SUM => self.value += x,
            T_AVG => {
                if self.mean.is_infinite() {
                    if x.is_infinite() && (self.mean > 0.0) == (x > 0.0) {
                        return;
                    }
                    if !x.is_infinite() && !x.is_nan() {
                        return;
                    }
                }
                // Each side divided by the count first, so large values cannot overflow.
                self.mean += x / n - self.mean / n;
            }
            T_MAX if self.value < x || self.value.is_nan() => self.value = x,
            T_MIN if self.value > x || self.value.is_nan() => self.value = x,
            T_STDDEV | T_STDVAR => {
                let delta = x - self.mean;
                self.mean += delta / n;
                self.value += delta * (x - self.mean);
            }
            _ => {}
        }
    }

    /// The group's value at this time, if any of its series had one.
    fn result(&self, op: u16) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        Some(match op {
            T_AVG => self.mean,
            T_COUNT => n,
            T_STDVAR => self.value / n,
            T_STDDEV => (self.value / n).sqrt(),
            _ => self.value,
        })
    }
}

/// The aggregations that reduce a group to one value, the times split over `threads`.
fn reduce(
    op: u16,
    input: &[StepSeries],
    phi: Option<&[f64]>,
    without: bool,
    grouping: &[String],
    steps: usize,
    threads: usize,
) -> Result<Val, PromqlError> {
    let (group_of, group_labels) = groups(input, without, grouping);
    let groups = group_labels.len();
    // Each time's groups in a span of times: [group][time in the span].
    let span_values = |span: Range<usize>| -> Vec<Option<f64>> {
        let len = span.len();
        if op == T_QUANTILE {
            let mut lists: Vec<Vec<f64>> = vec![Vec::new(); groups * len];
            for (series, &group) in input.iter().zip(&group_of) {
                for (at, x) in series.values[span.clone()].iter().enumerate() {
                    if let Some(x) = *x {
                        lists[group * len + at].push(x);
                    }
                }
            }
            return lists
                .iter_mut()
                .enumerate()
                .map(|(cell, values)| {
                    let q = phi.map_or(f64::NAN, |p| p[span.start + cell % len]);
                    (!values.is_empty()).then(|| quantile(q, values))
                })
                .collect();
        }
        // Series by series, each time's value joins its group's at that time: per time and
        // group the values come in the input's order, as time by time, while each series is
        // read once in memory order.
        let mut accs = vec![Acc::default(); groups * len];
        for (series, &group) in input.iter().zip(&group_of) {
            let cells = &mut accs[group * len..(group + 1) * len];
            for (acc, x) in cells.iter_mut().zip(&series.values[span.clone()]) {
                if let Some(x) = *x {
                    acc.add(op, x);
                }
            }
        }
        accs.iter().map(|acc| acc.result(op)).collect()
    };
    // Times are independent: large inputs are split over the cores by time.
    let threads = threads.min(steps.max(1));
    let per = steps.div_ceil(threads).max(1);
    let spans: Vec<Range<usize>> = (0..steps)
        .step_by(per)
        .map(|at| at..(at + per).min(steps))
        .collect();
    let parts = map_in_order(spans, threads, |span| {
        let values = span_values(span.clone());
        (span, values)
    });
    let mut out: Vec<StepSeries> = group_labels
        .into_iter()
        .map(|labels| StepSeries {
            labels,
            values: Vec::with_capacity(steps),
        })
        .collect();
    for (span, values) in &parts {
        for (group, series) in out.iter_mut().enumerate() {
            series
                .values
                .extend_from_slice(&values[group * span.len()..(group + 1) * span.len()]);
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
    for &param in &k[..steps.min(k.len())] {
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
    }
    let (group_of, group_count) = {
        let (of, labels) = groups(input, without, grouping);
        (of, labels.len())
    };
    // limit_ratio's choice depends on the series' place in [0, 1) and the ratio only.
    let positions: Vec<f64> = if op == T_LIMIT_RATIO {
        input.iter().map(|s| ratio_position(&s.labels)).collect()
    } else {
        Vec::new()
    };
    let mut out: Vec<StepSeries> = unfilled_like(input, steps);
    // For an instant query, the order of the result: by group, then as chosen.
    let mut order: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<(f64, usize)>> = vec![Vec::new(); group_count];
    // Times are read in blocks, each block's values copied time-major once, so that a time's
    // values across the series are contiguous instead of one cache line per series.
    const BLOCK: usize = 64;
    let n = input.len();
    let mut block: Vec<Option<f64>> = vec![None; BLOCK.min(steps) * n];
    for block_start in (0..steps).step_by(BLOCK) {
        let len = BLOCK.min(steps - block_start);
        for (i, series) in input.iter().enumerate() {
            for (at, value) in series.values[block_start..block_start + len]
                .iter()
                .enumerate()
            {
                block[at * n + i] = *value;
            }
        }
        for at in 0..len {
            let step = block_start + at;
            let param = k[step];
            members.iter_mut().for_each(Vec::clear);
            for (i, value) in block[at * n..(at + 1) * n].iter().enumerate() {
                if let Some(value) = value {
                    members[group_of[i]].push((*value, i));
                }
            }
            for group in members.iter_mut() {
                let chosen: &[(f64, usize)] = match op {
                    T_TOPK | T_BOTTOMK => {
                        let k = param as i64;
                        if k < 1 {
                            continue;
                        }
                        let k = usize::try_from(k).unwrap_or(usize::MAX).min(group.len());
                        // The first k of the group ordered by value, ties in input order.
                        let order = |a: &(f64, usize), b: &(f64, usize)| {
                            cmp_nan_last(a.0, b.0, op == T_TOPK).then(a.1.cmp(&b.1))
                        };
                        if k > 0 && k < group.len() {
                            group.select_nth_unstable_by(k - 1, order);
                        }
                        group[..k].sort_unstable_by(order);
                        &group[..k]
                    }
                    T_LIMITK => {
                        let k = param as i64;
                        if k < 1 {
                            continue;
                        }
                        let k = usize::try_from(k).unwrap_or(usize::MAX).min(group.len());
                        &group[..k]
                    }
                    _ => {
                        group.retain(|&(_, i)| ratio_keeps(positions[i], param));
                        group
                    }
                };
                for &(value, i) in chosen {
                    out[i].values[step] = Some(value);
                    if steps == 1 {
                        order.push(i);
                    }
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

/// A series' place in `[0, 1)` for `limit_ratio`: a stable hash of its labels.
fn ratio_position(labels: &Labels) -> f64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    labels.hash(&mut hasher);
    (hasher.finish() as f64) / (u64::MAX as f64)
}

/// Whether `limit_ratio(r, …)` keeps a series at `position` ([`ratio_position`]): below `r`
/// (or, for negative `r`, at or above `1 + r`).
fn ratio_keeps(position: f64, ratio: f64) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Series `n` of `count`, in group `n % 3`, with gaps, ties, NaN and infinities.
    fn input(count: usize, steps: usize) -> Vec<StepSeries> {
        (0..count)
            .map(|n| StepSeries {
                labels: Labels::from([
                    ("g".to_string(), (n % 3).to_string()),
                    ("n".to_string(), n.to_string()),
                ]),
                values: (0..steps)
                    .map(|step| match (n * 31 + step * 7) % 41 {
                        0 => None,
                        1 if n == 5 => Some(f64::NAN),
                        2 if n == 7 => Some(f64::INFINITY),
                        k => Some(((k % 9) as f64) * 0.1 + (n % 4) as f64),
                    })
                    .collect(),
            })
            .collect()
    }

    fn bits(value: &Val) -> Vec<(Labels, Vec<Option<u64>>)> {
        let Val::Vector(series) = value else {
            panic!("not a vector");
        };
        series
            .iter()
            .map(|s| {
                let values = s.values.iter().map(|v| v.map(f64::to_bits)).collect();
                (s.labels.clone(), values)
            })
            .collect()
    }

    #[test]
    fn reductions_split_by_time_equal_one_pass() {
        let steps = 301;
        let series = input(40, steps);
        let phi = vec![0.9; steps];
        let grouping = ["g".to_string()];
        for op in [
            T_SUM, T_AVG, T_COUNT, T_MIN, T_MAX, T_GROUP, T_STDDEV, T_STDVAR, T_QUANTILE,
        ] {
            for without in [false, true] {
                let one = reduce(op, &series, Some(&phi), without, &grouping, steps, 1).unwrap();
                for threads in [2, 3, 7] {
                    let split = reduce(op, &series, Some(&phi), without, &grouping, steps, threads)
                        .unwrap();
                    assert_eq!(bits(&one), bits(&split), "op {op} threads {threads}");
                }
                let Val::Vector(out) = &one else { panic!() };
                assert_eq!(out.len(), if without { 40 } else { 3 }, "op {op}");
            }
        }
    }

    #[test]
    fn topk_and_bottomk_choose_the_first_of_ties_in_input_order() {
        // The reference: the group sorted (stably) by value, NaN last, and cut at k.
        let steps = 130;
        let series = input(25, steps);
        for (op, k) in [
            (T_TOPK, 1.0),
            (T_TOPK, 4.0),
            (T_BOTTOMK, 3.0),
            (T_TOPK, 30.0),
        ] {
            let ks = vec![k; steps];
            let got = selection(op, &series, &ks, false, &["g".to_string()], steps).unwrap();
            let mut want: Vec<StepSeries> = unfilled_like(&series, steps);
            for step in 0..steps {
                for group in 0..3 {
                    let mut members: Vec<usize> = (0..series.len())
                        .filter(|&i| i % 3 == group && series[i].values[step].is_some())
                        .collect();
                    let value = |i: usize| series[i].values[step].unwrap_or(f64::NAN);
                    members.sort_by(|&a, &b| cmp_nan_last(value(a), value(b), op == T_TOPK));
                    for &i in members.iter().take(k as usize) {
                        want[i].values[step] = series[i].values[step];
                    }
                }
            }
            want.retain(|s| s.values.iter().any(Option::is_some));
            assert_eq!(bits(&got), bits(&Val::Vector(want)), "op {op} k {k}");
        }
    }
}
