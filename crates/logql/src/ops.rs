//! Vector aggregations, binary operators (with vector matching: `on`/`ignoring`,
//! `group_left`/`group_right`, `bool`, the set operators) and `label_replace`, over series that
//! hold one optional value per step.

use std::collections::HashMap;

use telemetryhub_model::Labels;

use crate::LogqlError;
use crate::ast::{BinModifier, BinOp, Cardinality, Grouping, VectorOp};
use crate::value::{Evaluated, StepSeries};

/// The labels a grouping keeps.
fn group_labels(labels: &Labels, grouping: &Option<Grouping>) -> Labels {
    match grouping {
        None => Labels::new(),
        Some(Grouping {
            without: false,
            labels: by,
        }) => labels
            .iter()
            .filter(|(name, _)| by.contains(name))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        Some(Grouping {
            without: true,
            labels: without,
        }) => labels
            .iter()
            .filter(|(name, _)| !without.contains(name))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
    }
}

/// A vector aggregation at every step.
pub(crate) fn aggregate(
    op: VectorOp,
    param: Option<i64>,
    grouping: &Option<Grouping>,
    input: Vec<StepSeries>,
    steps: usize,
) -> Vec<StepSeries> {
    if matches!(op, VectorOp::Sort | VectorOp::SortDesc) {
        return input;
    }
    let mut groups: Vec<(Labels, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Labels, usize> = HashMap::new();
    for (i, series) in input.iter().enumerate() {
        let key = group_labels(&series.labels, grouping);
        let at = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(i);
    }
    if let VectorOp::Topk | VectorOp::Bottomk = op {
        let k = usize::try_from(param.unwrap_or(1)).unwrap_or(usize::MAX);
        let mut out: Vec<StepSeries> = input
            .iter()
            .map(|s| StepSeries {
                labels: s.labels.clone(),
                values: vec![None; steps],
            })
            .collect();
        for (_, members) in &groups {
            for step in 0..steps {
                let mut present: Vec<(usize, f64)> = members
                    .iter()
                    .filter_map(|&i| input[i].values[step].map(|v| (i, v)))
                    .collect();
                present.sort_by(|a, b| {
                    let order = a.1.total_cmp(&b.1);
                    if op == VectorOp::Topk {
                        order.reverse()
                    } else {
                        order
                    }
                });
                for (i, v) in present.into_iter().take(k) {
                    out[i].values[step] = Some(v);
                }
            }
        }
        out.retain(|s| s.values.iter().any(Option::is_some));
        return out;
    }
    groups
        .into_iter()
        .map(|(labels, members)| {
            let values = (0..steps)
                .map(|step| {
                    let present: Vec<f64> = members
                        .iter()
                        .filter_map(|&i| input[i].values[step])
                        .collect();
                    if present.is_empty() {
                        return None;
                    }
                    let n = present.len() as f64;
                    Some(match op {
                        VectorOp::Sum => present.iter().sum(),
                        VectorOp::Avg => present.iter().sum::<f64>() / n,
                        VectorOp::Count => n,
                        VectorOp::Max => present
                            .iter()
                            .copied()
                            .fold(f64::NAN, |m, v| if v > m || m.is_nan() { v } else { m }),
                        VectorOp::Min => present
                            .iter()
                            .copied()
                            .fold(f64::NAN, |m, v| if v < m || m.is_nan() { v } else { m }),
                        VectorOp::Stddev | VectorOp::Stdvar => {
                            let mean = present.iter().sum::<f64>() / n;
                            let variance =
                                present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                            if op == VectorOp::Stddev {
                                variance.sqrt()
                            } else {
                                variance
                            }
                        }
                        VectorOp::Topk
                        | VectorOp::Bottomk
                        | VectorOp::Sort
                        | VectorOp::SortDesc => 0.0,
                    })
                })
                .collect();
            StepSeries { labels, values }
        })
        .collect()
}

fn arithmetic(op: BinOp, left: f64, right: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => left + right,
        BinOp::Sub => left - right,
        BinOp::Mul => left * right,
        BinOp::Div => left / right,
        BinOp::Mod => left % right,
        BinOp::Pow => left.powf(right),
        BinOp::Eq => f64::from(u8::from(left == right)),
        BinOp::Ne => f64::from(u8::from(left != right)),
        BinOp::Gt => f64::from(u8::from(left > right)),
        BinOp::Ge => f64::from(u8::from(left >= right)),
        BinOp::Lt => f64::from(u8::from(left < right)),
        BinOp::Le => f64::from(u8::from(left <= right)),
        BinOp::Or | BinOp::And | BinOp::Unless => return None,
    })
}

/// A comparison or arithmetic between two values: the value to keep, or `None` when a
/// filtering comparison fails. `keep` is the value a passing filter keeps.
fn combine(op: BinOp, return_bool: bool, left: f64, right: f64, keep: f64) -> Option<f64> {
    let result = arithmetic(op, left, right)?;
    if op.is_comparison() && !return_bool {
        return (result == 1.0).then_some(keep);
    }
    Some(result)
}

/// `scalar op scalar`.
pub(crate) fn scalar_scalar(op: BinOp, return_bool: bool, left: &[f64], right: &[f64]) -> Vec<f64> {
    left.iter()
        .zip(right)
        .map(|(l, r)| combine(op, return_bool, *l, *r, *l).unwrap_or(f64::NAN))
        .collect()
}

/// `vector op scalar` (or `scalar op vector` when `scalar_left`).
pub(crate) fn vector_scalar(
    op: BinOp,
    return_bool: bool,
    vector: Vec<StepSeries>,
    scalar: &[f64],
    scalar_left: bool,
) -> Vec<StepSeries> {
    vector
        .into_iter()
        .map(|series| {
            let values = series
                .values
                .iter()
                .zip(scalar)
                .map(|(value, s)| {
                    let v = (*value)?;
                    let (l, r) = if scalar_left { (*s, v) } else { (v, *s) };
                    combine(op, return_bool, l, r, v)
                })
                .collect();
            StepSeries {
                labels: series.labels,
                values,
            }
        })
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect()
}

fn signature(labels: &Labels, modifier: &BinModifier) -> Labels {
    match &modifier.matching {
        Some((true, on)) => labels
            .iter()
            .filter(|(n, _)| on.contains(n))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        Some((false, ignoring)) => labels
            .iter()
            .filter(|(n, _)| !ignoring.contains(n))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        None => labels.clone(),
    }
}

/// The labels of a result of `many op one`: as Prometheus builds them.
fn result_labels(
    many: &Labels,
    one: &Labels,
    modifier: &BinModifier,
    comparison_filter: bool,
) -> Labels {
    let mut labels = many.clone();
    if modifier.card == Cardinality::OneToOne && !comparison_filter {
        match &modifier.matching {
            Some((true, on)) => labels.retain(|n, _| on.contains(n)),
            Some((false, ignoring)) => labels.retain(|n, _| !ignoring.contains(n)),
            None => {}
        }
    }
    for name in &modifier.include {
        match one.get(name) {
            Some(value) => {
                labels.insert(name.clone(), value.clone());
            }
            None => {
                labels.remove(name);
            }
        }
    }
    labels
}

/// `vector op vector` with vector matching.
pub(crate) fn vector_vector(
    op: BinOp,
    modifier: &BinModifier,
    left: Vec<StepSeries>,
    right: Vec<StepSeries>,
    steps: usize,
) -> Result<Vec<StepSeries>, LogqlError> {
    let left_sigs: Vec<Labels> = left
        .iter()
        .map(|s| signature(&s.labels, modifier))
        .collect();
    let right_sigs: Vec<Labels> = right
        .iter()
        .map(|s| signature(&s.labels, modifier))
        .collect();
    if op.is_set() {
        return Ok(set_operation(
            op,
            left,
            right,
            &left_sigs,
            &right_sigs,
            steps,
        ));
    }
    // The "one" side of the match, and the "many" side whose series the result follows.
    let swap = modifier.card == Cardinality::OneToMany;
    let (many, many_sigs, one, one_sigs) = if swap {
        (&right, &right_sigs, &left, &left_sigs)
    } else {
        (&left, &left_sigs, &right, &right_sigs)
    };
    let comparison_filter = op.is_comparison() && !modifier.return_bool;
    let mut out: Vec<StepSeries> = Vec::new();
    let mut out_index: HashMap<Labels, usize> = HashMap::new();
    for step in 0..steps {
        let mut one_by_sig: HashMap<&Labels, usize> = HashMap::new();
        for (i, series) in one.iter().enumerate() {
            if series.values[step].is_some() && one_by_sig.insert(&one_sigs[i], i).is_some() {
                return Err(LogqlError::Execution(format!(
                    "found duplicate series for the match group {} on the {} hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side",
                    crate::value::format_labels(&one_sigs[i]),
                    if swap { "left" } else { "right" }
                )));
            }
        }
        let mut seen_one_to_one: HashMap<&Labels, usize> = HashMap::new();
        for (i, series) in many.iter().enumerate() {
            let Some(many_value) = series.values[step] else {
                continue;
            };
            let Some(&j) = one_by_sig.get(&many_sigs[i]) else {
                continue;
            };
            if modifier.card == Cardinality::OneToOne
                && seen_one_to_one.insert(&many_sigs[i], i).is_some()
            {
                return Err(LogqlError::Execution(
                    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)".to_string(),
                ));
            }
            let Some(one_value) = one[j].values[step] else {
                continue;
            };
            let (l, r) = if swap {
                (one_value, many_value)
            } else {
                (many_value, one_value)
            };
            let keep = if swap && comparison_filter { r } else { l };
            let Some(value) = combine(op, modifier.return_bool, l, r, keep) else {
                continue;
            };
            let labels = result_labels(&series.labels, &one[j].labels, modifier, comparison_filter);
            let at = match out_index.get(&labels) {
                Some(&at) => at,
                None => {
                    out_index.insert(labels.clone(), out.len());
                    out.push(StepSeries {
                        labels,
                        values: vec![None; steps],
                    });
                    out.len() - 1
                }
            };
            if out[at].values[step].is_some() {
                return Err(LogqlError::Execution(
                    "multiple matches for labels: grouping labels must ensure unique matches"
                        .to_string(),
                ));
            }
            out[at].values[step] = Some(value);
        }
    }
    Ok(out)
}

fn set_operation(
    op: BinOp,
    left: Vec<StepSeries>,
    right: Vec<StepSeries>,
    left_sigs: &[Labels],
    right_sigs: &[Labels],
    steps: usize,
) -> Vec<StepSeries> {
    let right_present = |step: usize| -> std::collections::HashSet<&Labels> {
        right
            .iter()
            .zip(right_sigs)
            .filter(|(s, _)| s.values[step].is_some())
            .map(|(_, sig)| sig)
            .collect()
    };
    let present: Vec<_> = (0..steps).map(right_present).collect();
    let mut out: Vec<StepSeries> = left
        .iter()
        .zip(left_sigs)
        .map(|(series, sig)| StepSeries {
            labels: series.labels.clone(),
            values: (0..steps)
                .map(|step| {
                    let value = series.values[step]?;
                    let matched = present[step].contains(sig);
                    match op {
                        BinOp::And => matched.then_some(value),
                        BinOp::Unless => (!matched).then_some(value),
                        _ => Some(value),
                    }
                })
                .collect(),
        })
        .collect();
    if op == BinOp::Or {
        let left_present: Vec<std::collections::HashSet<&Labels>> = (0..steps)
            .map(|step| {
                left.iter()
                    .zip(left_sigs)
                    .filter(|(s, _)| s.values[step].is_some())
                    .map(|(_, sig)| sig)
                    .collect()
            })
            .collect();
        for (series, sig) in right.iter().zip(right_sigs) {
            let values: Vec<Option<f64>> = (0..steps)
                .map(|step| series.values[step].filter(|_| !left_present[step].contains(sig)))
                .collect();
            if let Some(existing) = out.iter_mut().find(|s| s.labels == series.labels) {
                for (slot, value) in existing.values.iter_mut().zip(values) {
                    if slot.is_none() {
                        *slot = value;
                    }
                }
            } else {
                out.push(StepSeries {
                    labels: series.labels.clone(),
                    values,
                });
            }
        }
    }
    out.retain(|s| s.values.iter().any(Option::is_some));
    out
}

/// `label_replace(…)`: `dst` set from `src` where the anchored regex matches it.
pub(crate) fn label_replace(
    input: Evaluated,
    dst: &str,
    replacement: &str,
    src: &str,
    regex: &str,
) -> Result<Evaluated, LogqlError> {
    let regex = regex::Regex::new(&format!("^(?s:{regex})$"))
        .map_err(|e| LogqlError::Invalid(format!("invalid regex in label_replace(): {e}")))?;
    let Evaluated::Vector(series) = input else {
        return Ok(input);
    };
    let mut out: Vec<StepSeries> = Vec::with_capacity(series.len());
    for mut s in series {
        let value = s.labels.get(src).cloned().unwrap_or_default();
        if let Some(captures) = regex.captures(&value) {
            let mut expanded = String::new();
            captures.expand(replacement, &mut expanded);
            if expanded.is_empty() {
                s.labels.remove(dst);
            } else {
                s.labels.insert(dst.to_string(), expanded);
            }
        }
        if let Some(existing) = out.iter_mut().find(|o| o.labels == s.labels) {
            for (slot, value) in existing.values.iter_mut().zip(&s.values) {
                if slot.is_some() && value.is_some() {
                    return Err(LogqlError::Execution(
                        "vector cannot contain metrics with the same labelset".to_string(),
                    ));
                }
                *slot = slot.or(*value);
            }
        } else {
            out.push(s);
        }
    }
    Ok(Evaluated::Vector(out))
}
