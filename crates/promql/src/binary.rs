//! Binary operators: arithmetic, comparison (filtering, or `bool`) and set operators between
//! scalars and instant vectors, with vector matching (`on`, `ignoring`, `group_left`,
//! `group_right`) and Prometheus' rules for the result's labels and its errors.

use std::collections::HashMap;

use promql_parser::parser::token::{
    T_ADD, T_ATAN2, T_DIV, T_EQLC, T_GTE, T_GTR, T_LAND, T_LOR, T_LSS, T_LTE, T_LUNLESS, T_MOD,
    T_MUL, T_NEQ, T_POW, T_SUB,
};
use promql_parser::parser::{BinModifier, BinaryExpr, LabelModifier, VectorMatchCardinality};
use telemetryhub_model::Labels;

use crate::PromqlError;
use crate::grid::Grid;
use crate::series::{Evaluate, StepSeries, Val, merge_same_labels, unfilled_like};

const METRIC_NAME: &str = "__name__";

/// Evaluates a binary expression over `grid`.
pub(crate) fn eval(ev: &dyn Evaluate, expr: &BinaryExpr, grid: Grid) -> Result<Val, PromqlError> {
    let op = expr.op.id();
    let return_bool = expr.modifier.as_ref().is_some_and(|m| m.return_bool);
    let lhs = ev.eval(&expr.lhs, grid)?;
    let rhs = ev.eval(&expr.rhs, grid)?;
    match (lhs, rhs) {
        (Val::Scalar(l), Val::Scalar(r)) => Ok(Val::Scalar(
            l.iter()
                .zip(&r)
                .map(|(&a, &b)| scalar_binop(op, a, b))
                .collect(),
        )),
        (Val::Vector(l), Val::Scalar(r)) => {
            vector_scalar(op, l, &r, false, return_bool).map(Val::Vector)
        }
        (Val::Scalar(l), Val::Vector(r)) => {
            vector_scalar(op, r, &l, true, return_bool).map(Val::Vector)
        }
        (Val::Vector(l), Val::Vector(r)) => {
            let matching = Matching::of(expr.modifier.as_ref());
            if is_set_operator(op) {
                Ok(Val::Vector(set_operation(op, l, r, &matching, grid.len())))
            } else {
                vector_vector(op, l, r, &matching, return_bool, grid.len()).map(Val::Vector)
            }
        }
        _ => Err(PromqlError::BadData(
            "binary expressions are only allowed between scalars and instant vectors".into(),
        )),
    }
}

fn is_set_operator(op: u16) -> bool {
    matches!(op, T_LAND | T_LOR | T_LUNLESS)
}

fn is_comparison(op: u16) -> bool {
    matches!(op, T_EQLC | T_NEQ | T_GTR | T_LSS | T_GTE | T_LTE)
}

/// Whether the operator's result drops the metric name (arithmetic does, comparison does not).
fn drops_metric_name(op: u16) -> bool {
    matches!(op, T_ADD | T_SUB | T_MUL | T_DIV | T_MOD | T_POW | T_ATAN2)
}

/// `lhs op rhs` between two samples: the value and whether a comparison holds (arithmetic
/// always keeps its value).
fn elem_binop(op: u16, lhs: f64, rhs: f64) -> (f64, bool) {
    match op {
        T_ADD => (lhs + rhs, true),
        T_SUB => (lhs - rhs, true),
        T_MUL => (lhs * rhs, true),
        T_DIV => (lhs / rhs, true),
        T_POW => (lhs.powf(rhs), true),
        T_MOD => (lhs % rhs, true),
        T_ATAN2 => (lhs.atan2(rhs), true),
        T_EQLC => (lhs, lhs == rhs),
        T_NEQ => (lhs, lhs != rhs),
        T_GTR => (lhs, lhs > rhs),
        T_LSS => (lhs, lhs < rhs),
        T_GTE => (lhs, lhs >= rhs),
        T_LTE => (lhs, lhs <= rhs),
        _ => (f64::NAN, false),
    }
}

/// Scalar with scalar: comparisons give 1 or 0 (the parser demands `bool`).
fn scalar_binop(op: u16, lhs: f64, rhs: f64) -> f64 {
    let (value, keep) = elem_binop(op, lhs, rhs);
    if is_comparison(op) {
        if keep { 1.0 } else { 0.0 }
    } else {
        value
    }
}

/// A vector with a scalar (`swapped` when the scalar is on the left).
fn vector_scalar(
    op: u16,
    vector: Vec<StepSeries>,
    scalar: &[f64],
    swapped: bool,
    return_bool: bool,
) -> Result<Vec<StepSeries>, PromqlError> {
    let drop_name = drops_metric_name(op) || return_bool;
    let mut out = Vec::with_capacity(vector.len());
    for mut series in vector {
        let mut any = false;
        for (step, slot) in series.values.iter_mut().enumerate() {
            let Some(sample) = *slot else { continue };
            let (l, r) = if swapped {
                (scalar[step], sample)
            } else {
                (sample, scalar[step])
            };
            let (mut value, mut keep) = elem_binop(op, l, r);
            // A comparison keeps the vector's value, whichever side it is on.
            if is_comparison(op) && swapped {
                value = sample;
            }
            if return_bool {
                value = if keep { 1.0 } else { 0.0 };
                keep = true;
            }
            *slot = keep.then_some(value);
            any |= keep;
        }
        if any {
            if drop_name {
                series.labels.remove(METRIC_NAME);
            }
            out.push(series);
        }
    }
    if drop_name {
        merge_same_labels(out)
    } else {
        Ok(out)
    }
}

/// How the two sides of a vector operation are matched.
struct Matching {
    /// `on(...)` (true) or `ignoring(...)` (false, also the default with no labels).
    on: bool,
    labels: Vec<String>,
    card: VectorMatchCardinality,
}

impl Matching {
    fn of(modifier: Option<&BinModifier>) -> Matching {
        let Some(modifier) = modifier else {
            return Matching {
                on: false,
                labels: Vec::new(),
                card: VectorMatchCardinality::OneToOne,
            };
        };
        let (on, labels) = match &modifier.matching {
            Some(LabelModifier::Include(labels)) => (true, labels.labels.clone()),
            Some(LabelModifier::Exclude(labels)) => (false, labels.labels.clone()),
            None => (false, Vec::new()),
        };
        Matching {
            on,
            labels,
            card: modifier.card.clone(),
        }
    }

    /// The labels that must agree for two series to match.
    fn signature(&self, labels: &Labels) -> Vec<(String, String)> {
        if self.on {
            labels
                .iter()
                .filter(|(name, _)| self.labels.iter().any(|l| l == *name))
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect()
        } else {
            labels
                .iter()
                .filter(|(name, _)| {
                    name.as_str() != METRIC_NAME && !self.labels.iter().any(|l| l == *name)
                })
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect()
        }
    }

    /// The matching labels of a series, as Prometheus writes them in errors.
    fn match_labels(&self, labels: &Labels) -> String {
        format_labels(&self.signature(labels).into_iter().collect())
    }
}

/// Labels as Prometheus prints them: `{a="1", b="2"}`.
pub(crate) fn format_labels(labels: &Labels) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(name, value)| format!("{name}={value:?}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Dense ids for the signatures of the series of both sides.
fn signature_ids(
    matching: &Matching,
    lhs: &[StepSeries],
    rhs: &[StepSeries],
) -> (Vec<usize>, Vec<usize>, usize) {
    let mut ids: HashMap<Vec<(String, String)>, usize> = HashMap::new();
    let mut id_of = |labels: &Labels| {
        let next = ids.len();
        *ids.entry(matching.signature(labels)).or_insert(next)
    };
    let l: Vec<usize> = lhs.iter().map(|s| id_of(&s.labels)).collect();
    let r: Vec<usize> = rhs.iter().map(|s| id_of(&s.labels)).collect();
    (l, r, ids.len())
}

/// `and`, `or`, `unless`, time by time.
fn set_operation(
    op: u16,
    lhs: Vec<StepSeries>,
    rhs: Vec<StepSeries>,
    matching: &Matching,
    steps: usize,
) -> Vec<StepSeries> {
    let (lsig, rsig, count) = signature_ids(matching, &lhs, &rhs);
    let mut out_lhs: Vec<StepSeries> = unfilled_like(&lhs, steps);
    let mut out_rhs: Vec<StepSeries> = unfilled_like(&rhs, steps);
    let mut seen = vec![false; count];
    for step in 0..steps {
        seen.iter_mut().for_each(|s| *s = false);
        match op {
            T_LAND | T_LUNLESS => {
                for (i, series) in rhs.iter().enumerate() {
                    if series.values[step].is_some() {
                        seen[rsig[i]] = true;
                    }
                }
                for (i, series) in lhs.iter().enumerate() {
                    if let Some(value) = series.values[step] {
                        let keep = if op == T_LAND {
                            seen[lsig[i]]
                        } else {
                            !seen[lsig[i]]
                        };
                        if keep {
                            out_lhs[i].values[step] = Some(value);
                        }
                    }
                }
            }
            _ => {
                for (i, series) in lhs.iter().enumerate() {
                    if let Some(value) = series.values[step] {
                        seen[lsig[i]] = true;
                        out_lhs[i].values[step] = Some(value);
                    }
                }
                for (i, series) in rhs.iter().enumerate() {
                    if let Some(value) = series.values[step]
                        && !seen[rsig[i]]
                    {
                        out_rhs[i].values[step] = Some(value);
                    }
                }
            }
        }
    }
    let mut out: Vec<StepSeries> = out_lhs
        .into_iter()
        .chain(out_rhs)
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect();
    // The same series on both sides of `or` is one series.
    if op == T_LOR {
        let mut index: HashMap<Labels, usize> = HashMap::new();
        let mut merged: Vec<StepSeries> = Vec::with_capacity(out.len());
        for s in out.drain(..) {
            match index.get(&s.labels) {
                Some(&at) => {
                    for (mine, theirs) in merged[at].values.iter_mut().zip(s.values) {
                        if mine.is_none() {
                            *mine = theirs;
                        }
                    }
                }
                None => {
                    index.insert(s.labels.clone(), merged.len());
                    merged.push(s);
                }
            }
        }
        out = merged;
    }
    out
}

/// The labels of a result of matching `lhs` (the "many" side) with `rhs` (the "one" side).
fn result_labels(
    op: u16,
    return_bool: bool,
    lhs: &Labels,
    rhs: &Labels,
    matching: &Matching,
) -> Labels {
    let mut labels = lhs.clone();
    if drops_metric_name(op) || return_bool {
        labels.remove(METRIC_NAME);
    }
    match &matching.card {
        VectorMatchCardinality::OneToOne => {
            if matching.on {
                labels.retain(|name, _| matching.labels.iter().any(|l| l == name));
            } else {
                labels.retain(|name, _| !matching.labels.iter().any(|l| l == name));
            }
        }
        VectorMatchCardinality::ManyToOne(include) | VectorMatchCardinality::OneToMany(include) => {
            for name in &include.labels {
                match rhs.get(name) {
                    Some(value) if !value.is_empty() => {
                        labels.insert(name.clone(), value.clone());
                    }
                    _ => {
                        labels.remove(name);
                    }
                }
            }
        }
        VectorMatchCardinality::ManyToMany => {}
    }
    labels
}

/// Arithmetic and comparison between two vectors, matched one-to-one or many-to-one.
fn vector_vector(
    op: u16,
    lhs: Vec<StepSeries>,
    rhs: Vec<StepSeries>,
    matching: &Matching,
    return_bool: bool,
    steps: usize,
) -> Result<Vec<StepSeries>, PromqlError> {
    // For one-to-many, the sides swap: the left is then the "one" side.
    let one_to_many = matches!(matching.card, VectorMatchCardinality::OneToMany(_));
    let (many, one) = if one_to_many { (rhs, lhs) } else { (lhs, rhs) };
    let (many_sig, one_sig, count) = signature_ids(matching, &many, &one);
    let mut one_at: Vec<Option<usize>> = vec![None; count];
    // For one-to-one: which many-side series matched each signature at this time; for
    // many-to-one: the result labels produced for each signature at this time.
    let mut matched: Vec<Option<usize>> = vec![None; count];
    let mut produced: HashMap<(usize, usize), usize> = HashMap::new();
    let mut out: Vec<StepSeries> = Vec::new();
    let mut out_index: HashMap<Labels, usize> = HashMap::new();
    let mut written_at: Vec<usize> = Vec::new();
    for step in 0..steps {
        one_at.iter_mut().for_each(|s| *s = None);
        matched.iter_mut().for_each(|s| *s = None);
        for (i, series) in one.iter().enumerate() {
            if series.values[step].is_none() {
                continue;
            }
            let sig = one_sig[i];
            if let Some(previous) = one_at[sig] {
                let side = if one_to_many { "left" } else { "right" };
                return Err(PromqlError::Execution(format!(
                    "found duplicate series for the match group {} on the {side} hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
                    matching.match_labels(&series.labels),
                    format_labels(&series.labels),
                    format_labels(&one[previous].labels),
                )));
            }
            one_at[sig] = Some(i);
        }
        let mut produced_now: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, series) in many.iter().enumerate() {
            let Some(many_value) = series.values[step] else {
                continue;
            };
            let sig = many_sig[i];
            let Some(j) = one_at[sig] else { continue };
            let Some(one_value) = one[j].values[step] else {
                continue;
            };
            let (l, r) = if one_to_many {
                (one_value, many_value)
            } else {
                (many_value, one_value)
            };
            let (mut value, keep) = elem_binop(op, l, r);
            if return_bool {
                value = if keep { 1.0 } else { 0.0 };
            } else if !keep {
                continue;
            }
            let out_at = match produced.get(&(i, j)) {
                Some(&at) => at,
                None => {
                    let labels =
                        result_labels(op, return_bool, &series.labels, &one[j].labels, matching);
                    let at = match out_index.get(&labels) {
                        Some(&at) => at,
                        None => {
                            out_index.insert(labels.clone(), out.len());
                            out.push(StepSeries {
                                labels,
                                values: vec![None; steps],
                            });
                            written_at.push(usize::MAX);
                            out.len() - 1
                        }
                    };
                    produced.insert((i, j), at);
                    at
                }
            };
            if matches!(matching.card, VectorMatchCardinality::OneToOne) {
                if matched[sig].is_some() {
                    return Err(PromqlError::Execution(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)".into(),
                    ));
                }
                matched[sig] = Some(i);
            } else {
                let outputs = produced_now.entry(sig).or_default();
                if outputs.contains(&out_at) {
                    return Err(PromqlError::Execution(
                        "multiple matches for labels: grouping labels must ensure unique matches"
                            .into(),
                    ));
                }
                outputs.push(out_at);
            }
            if written_at[out_at] == step {
                // Two matches gave one result series at one time.
                return Err(PromqlError::Execution(
                    "vector cannot contain metrics with the same labelset".into(),
                ));
            }
            written_at[out_at] = step;
            out[out_at].values[step] = Some(value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_keep_the_left_value_and_arithmetic_follows_ieee() {
        assert_eq!(elem_binop(T_GTR, 3.0, 1.0), (3.0, true));
        assert!(!elem_binop(T_EQLC, f64::NAN, f64::NAN).1);
        assert_eq!(elem_binop(T_MOD, -7.0, 3.0).0, -1.0);
        assert!(elem_binop(T_DIV, 0.0, 0.0).0.is_nan());
        assert_eq!(scalar_binop(T_LTE, 1.0, 2.0), 1.0);
    }
}
