//! What the evaluator's nodes exchange — instant vectors over a grid ([`StepSeries`]), range
//! vectors read through a sliding window ([`RangeInput`]), node values ([`Val`]) — the
//! [`Evaluate`] interface through which operators and functions evaluate their operands, and
//! the helpers they share (dropping the metric name, merging series that became equal,
//! quantiles, `absent`'s labels).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use promql_parser::label::MatchOp;
use promql_parser::parser::{Expr, VectorSelector};
use telemetryhub_model::Labels;

use crate::PromqlError;
use crate::grid::Grid;
use crate::value::{any_stale_marker, is_stale_marker};

const METRIC_NAME: &str = "__name__";

/// Evaluation of operands, as operators and functions need it (implemented by the evaluator).
pub(crate) trait Evaluate {
    /// Evaluates `expr` at every time of `grid`.
    fn eval(&self, expr: &Expr, grid: Grid) -> Result<Val, PromqlError>;

    /// A range vector argument (a range selector or a subquery) over `grid`.
    fn range_input(&self, expr: &Expr, grid: Grid) -> Result<RangeInput<'_>, PromqlError>;

    /// A selector's samples' own times (seconds) at each grid time, for `timestamp()`.
    fn vector_selector_timestamps(&self, selector: &VectorSelector, grid: Grid) -> Vec<StepSeries>;

    /// Fails when a value of `slots` step slots (series × steps) would exceed the query's
    /// sample limit — checked before such a value is allocated.
    fn check_slots(&self, slots: usize) -> Result<(), PromqlError>;

    /// Evaluates `expr`, which must be a scalar.
    fn eval_scalar(&self, expr: &Expr, grid: Grid) -> Result<Vec<f64>, PromqlError> {
        match self.eval(expr, grid)? {
            Val::Scalar(values) => Ok(values),
            _ => Err(PromqlError::BadData(
                "expected a scalar argument".to_string(),
            )),
        }
    }

    /// Evaluates `expr`, which must be an instant vector.
    fn eval_vector(&self, expr: &Expr, grid: Grid) -> Result<Vec<StepSeries>, PromqlError> {
        match self.eval(expr, grid)? {
            Val::Vector(series) => Ok(series),
            _ => Err(PromqlError::BadData(
                "expected an instant vector argument".to_string(),
            )),
        }
    }
}

/// One series of an instant vector over a grid: a value (or none) per time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepSeries {
    pub labels: Labels,
    pub values: Vec<Option<f64>>,
}

/// A series' samples over a range, staleness markers left out: borrowed from the fetched
/// series where nothing had to be left out (most series), owned otherwise.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RangeSeries<'a> {
    pub labels: Cow<'a, Labels>,
    pub t: Cow<'a, [i64]>,
    pub v: Cow<'a, [f64]>,
}

impl<'a> RangeSeries<'a> {
    /// A series' samples `t`, `v` with staleness markers left out: borrowed where it has none
    /// (most series), copied otherwise.
    pub fn without_stale_markers(
        labels: Cow<'a, Labels>,
        t: &'a [i64],
        v: &'a [f64],
    ) -> RangeSeries<'a> {
        if !any_stale_marker(v) {
            return RangeSeries {
                labels,
                t: Cow::Borrowed(t),
                v: Cow::Borrowed(v),
            };
        }
        let (mut kept_t, mut kept_v) = (Vec::with_capacity(t.len()), Vec::with_capacity(v.len()));
        for (&time, &value) in t.iter().zip(v) {
            if !is_stale_marker(value) {
                kept_t.push(time);
                kept_v.push(value);
            }
        }
        RangeSeries {
            labels,
            t: Cow::Owned(kept_t),
            v: Cow::Owned(kept_v),
        }
    }
}

/// The value of a node over a grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// A scalar per time.
    Scalar(Vec<f64>),
    /// A string (the same at every time).
    Str(String),
    /// An instant vector.
    Vector(Vec<StepSeries>),
    /// A range vector at a single time (an instant query of a range selector or subquery).
    Matrix(Vec<RangeSeries<'static>>),
}

/// A range vector as a function reads it: sample runs, and the window of each grid time.
pub(crate) struct RangeInput<'a> {
    pub series: Vec<RangeSeries<'a>>,
    pub windows: Windows,
}

/// The window a range function reads at each grid time: `[ref - range, ref]`.
pub(crate) struct Windows {
    /// The window's length, ms.
    pub range: i64,
    /// Each grid time's reference time (the window's end): the time, or the `@` time, minus
    /// the offset.
    pub refs: Vec<i64>,
}

impl Windows {
    /// Calls `f(step, times, values)` with each grid time's samples in
    /// `[ref - range, ref]`, one pass over the series.
    pub fn for_each_window(&self, series: &RangeSeries, mut f: impl FnMut(usize, &[i64], &[f64])) {
        self.for_each_window_at(series, |step, window| {
            f(step, &series.t[window.clone()], &series.v[window]);
        });
    }

    /// Calls `f(step, window)` with each grid time's samples in `[ref - range, ref]` as
    /// positions in `series`, one pass over the series.
    pub fn for_each_window_at(
        &self,
        series: &RangeSeries,
        mut f: impl FnMut(usize, std::ops::Range<usize>),
    ) {
        let t = &series.t[..];
        let (mut lo, mut hi) = (0usize, 0usize);
        let mut previous: Option<i64> = None;
        for (step, &end) in self.refs.iter().enumerate() {
            let start = end.saturating_sub(self.range);
            if previous.is_some_and(|p| end < p) {
                // Reference times only go back when pinned; start over for safety.
                lo = 0;
                hi = 0;
            }
            previous = Some(end);
            while lo < t.len() && t[lo] < start {
                lo += 1;
            }
            if hi < lo {
                hi = lo;
            }
            while hi < t.len() && t[hi] <= end {
                hi += 1;
            }
            f(step, lo..hi);
        }
    }
}

/// Series with the labels of each of `series` and no value at any of `steps` times: the output
/// of an operator that keeps its input series and fills some of their values.
pub(crate) fn unfilled_like(series: &[StepSeries], steps: usize) -> Vec<StepSeries> {
    series
        .iter()
        .map(|s| StepSeries {
            labels: s.labels.clone(),
            values: vec![None; steps],
        })
        .collect()
}

/// Series whose labels became equal (after the metric name was dropped, say) become one; two
/// values at one time are an error, as in Prometheus.
pub(crate) fn merge_same_labels(series: Vec<StepSeries>) -> Result<Vec<StepSeries>, PromqlError> {
    let mut index: HashMap<Labels, usize> = HashMap::with_capacity(series.len());
    let mut out: Vec<StepSeries> = Vec::with_capacity(series.len());
    for s in series {
        match index.get(&s.labels) {
            None => {
                index.insert(s.labels.clone(), out.len());
                out.push(s);
            }
            Some(&at) => {
                let target = &mut out[at];
                for (mine, theirs) in target.values.iter_mut().zip(s.values) {
                    if let Some(value) = theirs {
                        if mine.is_some() {
                            return Err(PromqlError::Execution(
                                "vector cannot contain metrics with the same labelset".into(),
                            ));
                        }
                        *mine = Some(value);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Drops the metric name of every series (merging series that become equal).
pub(crate) fn drop_names(mut series: Vec<StepSeries>) -> Result<Vec<StepSeries>, PromqlError> {
    let mut dropped = false;
    for s in series.iter_mut() {
        dropped |= s.labels.remove(METRIC_NAME).is_some();
    }
    if dropped {
        merge_same_labels(series)
    } else {
        Ok(series)
    }
}

/// One series with `labels` when any value is present, else an empty vector.
pub(crate) fn vector_if_any(labels: Labels, values: Vec<Option<f64>>) -> Val {
    if values.iter().any(Option::is_some) {
        Val::Vector(vec![StepSeries { labels, values }])
    } else {
        Val::Vector(Vec::new())
    }
}

/// The labels `absent(…)` gives: the selector's equality matchers (a label matched twice, or
/// by another kind of matcher, is left out).
pub(crate) fn absent_labels(expr: &Expr) -> Labels {
    let selector: &VectorSelector = match unwrap_parens(expr) {
        Expr::VectorSelector(selector) => selector,
        Expr::MatrixSelector(matrix) => &matrix.vs,
        _ => return Labels::new(),
    };
    let mut labels = Labels::new();
    let mut seen: HashMap<&str, bool> = HashMap::new();
    for matcher in &selector.matchers.matchers {
        if matcher.name == METRIC_NAME {
            continue;
        }
        let first = !seen.contains_key(matcher.name.as_str());
        if matches!(matcher.op, MatchOp::Equal) && first {
            if matcher.value.is_empty() {
                labels.remove(&matcher.name);
            } else {
                labels.insert(matcher.name.clone(), matcher.value.clone());
            }
        } else {
            labels.remove(&matcher.name);
        }
        seen.insert(matcher.name.as_str(), true);
    }
    labels
}

/// The `q` quantile of `values` with linear interpolation between neighbours (sorts them).
pub(crate) fn quantile(q: f64, values: &mut [f64]) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    // NaN sorts first, as Prometheus orders it.
    values.sort_by(|a, b| match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => a.partial_cmp(b).unwrap_or(Ordering::Equal),
    });
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - rank.floor();
    values[lower as usize] * (1.0 - weight) + values[upper as usize] * weight
}

/// Orders values ascending, or descending, with NaN last either way (as `sort`, `sort_desc`,
/// `topk` and `bottomk` order them).
pub(crate) fn cmp_nan_last(x: f64, y: f64, descending: bool) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if descending => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// `expr` without the parentheses around it.
pub(crate) fn unwrap_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(paren) => unwrap_parens(&paren.expr),
        other => other,
    }
}

/// Whether `name` is a valid Prometheus label name.
pub(crate) fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}
