//! Before evaluation: which series each selector needs over which time. The syntax tree is walked
//! with the time span every node is evaluated over (a subquery widens it by its range and moves
//! it by its offset; `@` pins it), each selector's matchers and sample span are collected, and
//! every selector's series are fetched once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::{AtModifier, Call, Expr, MatrixSelector, Offset, VectorSelector};
use telemetryhub_model::{METRIC_NAME_LABEL, SeriesMatchOp, SeriesMatcher};

use crate::PromqlError;
use crate::grid::Grid;
use crate::range_functions::{SeriesFunction, series_shape};
use crate::source::{RawSeries, SeriesSource};

/// Milliseconds of a duration.
pub(crate) fn millis(duration: &Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// An offset in ms (negative for `offset -5m`).
pub(crate) fn offset_ms(offset: &Option<Offset>) -> i64 {
    match offset {
        None => 0,
        Some(Offset::Pos(duration)) => millis(duration),
        Some(Offset::Neg(duration)) => -millis(duration),
    }
}

/// A time as ms since the Unix epoch (negative before it).
pub(crate) fn system_time_ms(time: &SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => millis(&after),
        Err(before) => -millis(&before.duration()),
    }
}

/// The time an `@` modifier pins a node to, given the query's start and end.
pub(crate) fn at_ms(at: &Option<AtModifier>, query_start: i64, query_end: i64) -> Option<i64> {
    match at {
        None => None,
        Some(AtModifier::Start) => Some(query_start),
        Some(AtModifier::End) => Some(query_end),
        Some(AtModifier::At(time)) => Some(system_time_ms(time)),
    }
}

/// The reference time of each time of `grid` for a node with `at` (its `@` time, if pinned)
/// and `offset` (ms): the time, or the `@` time, less the offset.
pub(crate) fn reference_times(at: Option<i64>, offset: i64, grid: Grid) -> Vec<i64> {
    (0..grid.len())
        .map(|i| at.unwrap_or_else(|| grid.time(i)).saturating_sub(offset))
        .collect()
}

/// The reference time of each time of `grid` for `selector` (see [`reference_times`]).
pub(crate) fn selector_reference_times(
    selector: &VectorSelector,
    grid: Grid,
    settings: &PlanSettings,
) -> Vec<i64> {
    let at = at_ms(&selector.at, settings.query_start, settings.query_end);
    reference_times(at, offset_ms(&selector.offset), grid)
}

/// The first time of a subquery's own grid: the first multiple of `step` at or after `from`.
pub(crate) fn subquery_start(from: i64, step: i64) -> i64 {
    // Integer division truncating toward zero, then moved forward, as Prometheus aligns it.
    let mut start = step.saturating_mul(from / step);
    if start < from {
        start = start.saturating_add(step);
    }
    start
}

/// The series of every selector, by the selector's address in the syntax tree; and the values
/// of the calls evaluated as their series were read, by the call's address.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    by_selector: HashMap<usize, Vec<RawSeries>>,
    /// Each evaluated call's series: the function's values at the query's times
    /// (`t_ms`, only where it has one), every series read kept.
    by_call: HashMap<usize, (Grid, Vec<RawSeries>)>,
    /// Samples read for the evaluated calls.
    call_samples: usize,
}

impl Fetched {
    /// The series fetched for `selector`.
    pub fn of(&self, selector: &VectorSelector) -> &[RawSeries] {
        self.by_selector
            .get(&address(selector))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The series of `call` if it was evaluated as they were read ([`evaluated_as_read`]), and
    /// the grid it was evaluated over.
    pub fn evaluated(&self, call: &Call) -> Option<(Grid, &[RawSeries])> {
        self.by_call
            .get(&address(call))
            .map(|(grid, series)| (*grid, series.as_slice()))
    }

    /// Series fetched in all.
    pub fn series_count(&self) -> usize {
        let selected: usize = self.by_selector.values().map(Vec::len).sum();
        selected + self.by_call.values().map(|(_, s)| s.len()).sum::<usize>()
    }

    /// Samples fetched in all (those of evaluated calls included).
    pub fn sample_count(&self) -> usize {
        self.held_sample_count() + self.call_samples
    }

    /// Samples held for the evaluation: the selectors' (an evaluated call's samples were let go
    /// as they were read; its values are counted as the evaluation holds them).
    pub fn held_sample_count(&self) -> usize {
        self.by_selector
            .values()
            .flat_map(|series| series.iter().map(|s| s.t_ms.len()))
            .sum()
    }
}

/// A node's address in the syntax tree, which is shared and not copied while a query runs.
fn address<T>(node: &T) -> usize {
    node as *const T as usize
}

/// One selector's needs: its matcher sets (any may match) and the sample span; and the call
/// evaluated as its series are read, if any.
struct Need<'a> {
    selector: &'a VectorSelector,
    from: i64,
    to: i64,
    call: Option<EvaluatedCall<'a>>,
}

/// A call of a [`SeriesFunction`] on a range selector, evaluated over the query's grid as its
/// series are read.
struct EvaluatedCall<'a> {
    call: &'a Call,
    function: SeriesFunction,
    matrix: &'a MatrixSelector,
}

/// The call `expr` is if it can be evaluated series by series as its series are read: a
/// [`SeriesFunction`] of a range selector.
fn evaluated_as_read(expr: &Expr) -> Option<EvaluatedCall<'_>> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let function = SeriesFunction::named(call.func.name)?;
    let [argument] = call.args.args.as_slice() else {
        return None;
    };
    let mut argument = argument.as_ref();
    while let Expr::Paren(paren) = argument {
        argument = &paren.expr;
    }
    let Expr::MatrixSelector(matrix) = argument else {
        return None;
    };
    Some(EvaluatedCall {
        call,
        function,
        matrix,
    })
}

/// Settings the walk needs.
pub(crate) struct PlanSettings {
    pub lookback: i64,
    pub default_subquery_step: i64,
    pub query_start: i64,
    pub query_end: i64,
    /// Whether calls are evaluated as their series are read ([`evaluated_as_read`]).
    pub calls_as_read: bool,
    /// The most samples one selector may fetch (the query's limit).
    pub max_samples: usize,
}

/// Fetches the series of every selector of `expr` evaluated over `grid`.
pub(crate) async fn fetch(
    expr: &Expr,
    grid: Grid,
    settings: &PlanSettings,
    source: &dyn SeriesSource,
) -> Result<Fetched, PromqlError> {
    let mut needs = Vec::new();
    walk(expr, grid.start, grid.end, settings, Some(grid), &mut needs);
    let mut fetched = Fetched::default();
    for need in needs {
        let sets = matcher_sets(need.selector)?;
        let read = Arc::new(AtomicUsize::new(0));
        let shape = need.call.as_ref().map(|evaluated| {
            series_shape(
                evaluated.function,
                millis(&evaluated.matrix.range),
                selector_reference_times(&evaluated.matrix.vs, grid, settings),
                grid,
                read.clone(),
            )
        });
        let select = async |matchers: &[SeriesMatcher]| match &shape {
            Some(shape) => {
                source
                    .select_shaped(matchers, need.from, need.to, shape)
                    .await
            }
            None => {
                source
                    .select(matchers, need.from, need.to, settings.max_samples)
                    .await
            }
        };
        let mut series: Vec<RawSeries> = Vec::new();
        if let [only] = sets.as_slice() {
            series = select(only).await?;
        } else {
            // `or` alternatives: a series matching several is read once.
            let mut seen = std::collections::HashSet::new();
            for matchers in &sets {
                for found in select(matchers).await? {
                    if seen.insert(found.labels.clone()) {
                        series.push(found);
                    }
                }
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        match need.call {
            Some(evaluated) => {
                fetched.call_samples += read.load(Ordering::Relaxed);
                fetched
                    .by_call
                    .insert(address(evaluated.call), (grid, series));
            }
            None => {
                fetched.by_selector.insert(address(need.selector), series);
            }
        }
    }
    Ok(fetched)
}

/// Every vector and range selector of `expr` (a range selector as its vector selector), in
/// the order the plan meets them.
pub(crate) fn selectors(expr: &Expr) -> Vec<&VectorSelector> {
    let settings = PlanSettings {
        lookback: 0,
        default_subquery_step: 1,
        query_start: 0,
        query_end: 0,
        calls_as_read: false,
        max_samples: usize::MAX,
    };
    let mut needs = Vec::new();
    walk(expr, 0, 0, &settings, None, &mut needs);
    needs.into_iter().map(|need| need.selector).collect()
}

/// Collects the needs of every selector under `expr`, evaluated at times `from..=to` — on the
/// query's `grid` when given (not inside a subquery), where calls are evaluated as their series
/// are read ([`evaluated_as_read`]).
fn walk<'a>(
    expr: &'a Expr,
    from: i64,
    to: i64,
    settings: &PlanSettings,
    grid: Option<Grid>,
    needs: &mut Vec<Need<'a>>,
) {
    if grid.is_some()
        && settings.calls_as_read
        && let Some(call) = evaluated_as_read(expr)
    {
        let (lo, hi) = reference_span(&call.matrix.vs, from, to, settings);
        needs.push(Need {
            selector: &call.matrix.vs,
            from: lo.saturating_sub(millis(&call.matrix.range)),
            to: hi,
            call: Some(call),
        });
        return;
    }
    match expr {
        Expr::VectorSelector(selector) => {
            let (lo, hi) = reference_span(selector, from, to, settings);
            needs.push(Need {
                selector,
                from: lo.saturating_sub(settings.lookback),
                to: hi,
                call: None,
            });
        }
        Expr::MatrixSelector(matrix) => {
            let (lo, hi) = reference_span(&matrix.vs, from, to, settings);
            needs.push(Need {
                selector: &matrix.vs,
                from: lo.saturating_sub(millis(&matrix.range)),
                to: hi,
                call: None,
            });
        }
        Expr::Subquery(subquery) => {
            let (inner_from, inner_to) = subquery_span(
                subquery_base(&subquery.at, from, to, settings),
                offset_ms(&subquery.offset),
                millis(&subquery.range),
                subquery
                    .step
                    .as_ref()
                    .map(millis)
                    .unwrap_or(settings.default_subquery_step),
            );
            // Evaluated on the subquery's own grid: its calls as usual.
            walk(&subquery.expr, inner_from, inner_to, settings, None, needs);
        }
        Expr::Aggregate(aggregate) => {
            walk(&aggregate.expr, from, to, settings, grid, needs);
            if let Some(param) = &aggregate.param {
                walk(param, from, to, settings, grid, needs);
            }
        }
        Expr::Unary(unary) => walk(&unary.expr, from, to, settings, grid, needs),
        Expr::Binary(binary) => {
            walk(&binary.lhs, from, to, settings, grid, needs);
            walk(&binary.rhs, from, to, settings, grid, needs);
        }
        Expr::Paren(paren) => walk(&paren.expr, from, to, settings, grid, needs),
        Expr::Call(call) => {
            for arg in &call.args.args {
                walk(arg, from, to, settings, grid, needs);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// Whether `expr` holds a subquery (whose own grid can make the work far larger than the
/// series fetched and the query's steps tell).
pub(crate) fn has_subquery(expr: &Expr) -> bool {
    match expr {
        Expr::Subquery(_) => true,
        Expr::Aggregate(aggregate) => {
            has_subquery(&aggregate.expr) || aggregate.param.as_deref().is_some_and(has_subquery)
        }
        Expr::Unary(unary) => has_subquery(&unary.expr),
        Expr::Binary(binary) => has_subquery(&binary.lhs) || has_subquery(&binary.rhs),
        Expr::Paren(paren) => has_subquery(&paren.expr),
        Expr::Call(call) => call.args.args.iter().any(|arg| has_subquery(arg)),
        Expr::VectorSelector(_)
        | Expr::MatrixSelector(_)
        | Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::Extension(_) => false,
    }
}

/// The span of reference times (evaluation time, pinned by `@`, minus the offset) of a
/// selector evaluated at `from..=to`.
fn reference_span(
    selector: &VectorSelector,
    from: i64,
    to: i64,
    settings: &PlanSettings,
) -> (i64, i64) {
    let offset = offset_ms(&selector.offset);
    match at_ms(&selector.at, settings.query_start, settings.query_end) {
        Some(at) => (at.saturating_sub(offset), at.saturating_sub(offset)),
        None => (from.saturating_sub(offset), to.saturating_sub(offset)),
    }
}

/// The times a subquery's outer evaluation covers: pinned by `@`, or the outer span.
pub(crate) fn subquery_base(
    at: &Option<AtModifier>,
    from: i64,
    to: i64,
    settings: &PlanSettings,
) -> (i64, i64) {
    match at_ms(at, settings.query_start, settings.query_end) {
        Some(at) => (at, at),
        None => (from, to),
    }
}

/// The span of a subquery's own grid: from the first step-aligned time at or after
/// `from - offset - range` to `to - offset`.
pub(crate) fn subquery_span(base: (i64, i64), offset: i64, range: i64, step: i64) -> (i64, i64) {
    let start = subquery_start(
        base.0.saturating_sub(offset).saturating_sub(range),
        step.max(1),
    );
    (start, base.1.saturating_sub(offset))
}

/// A selector's matchers as the query layer takes them, one set per `or` alternative.
pub(crate) fn matcher_sets(
    selector: &VectorSelector,
) -> Result<Vec<Vec<SeriesMatcher>>, PromqlError> {
    let mut base = Vec::new();
    if let Some(name) = &selector.name {
        base.push(SeriesMatcher {
            name: METRIC_NAME_LABEL.to_string(),
            op: SeriesMatchOp::Equal(name.clone()),
        });
    }
    let own: Vec<SeriesMatcher> = selector
        .matchers
        .matchers
        .iter()
        .map(convert)
        .collect::<Result<_, _>>()?;
    if selector.matchers.or_matchers.is_empty() {
        let mut set = base;
        set.extend(own);
        return Ok(vec![set]);
    }
    let mut sets = Vec::new();
    for alternative in &selector.matchers.or_matchers {
        let mut set = base.clone();
        set.extend(own.iter().cloned());
        for matcher in alternative {
            set.push(convert(matcher)?);
        }
        sets.push(set);
    }
    Ok(sets)
}

fn convert(matcher: &Matcher) -> Result<SeriesMatcher, PromqlError> {
    let op = match &matcher.op {
        MatchOp::Equal => SeriesMatchOp::Equal(matcher.value.clone()),
        MatchOp::NotEqual => SeriesMatchOp::NotEqual(matcher.value.clone()),
        MatchOp::Re(_) => return Ok(SeriesMatcher::regex(&matcher.name, &matcher.value, false)?),
        MatchOp::NotRe(_) => return Ok(SeriesMatcher::regex(&matcher.name, &matcher.value, true)?),
    };
    Ok(SeriesMatcher {
        name: matcher.name.clone(),
        op,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subquery_grids_align_to_their_step() {
        assert_eq!(subquery_start(10_000, 60_000), 60_000);
        assert_eq!(subquery_start(60_000, 60_000), 60_000);
        assert_eq!(subquery_start(-10_000, 60_000), 0);
        assert_eq!(subquery_start(-70_000, 60_000), -60_000);
    }

    #[test]
    fn subqueries_are_found_at_any_depth() {
        let holds = |query: &str| has_subquery(&promql_parser::parser::parse(query).unwrap());
        assert!(holds("max_over_time(rate(x[5m])[1h:1m])"));
        assert!(holds("sum by (job) (1 + -(avg_over_time(x[10m:])))"));
        assert!(holds("topk(scalar(max_over_time(y[5m:1m])), x)"));
        assert!(!holds(
            "sum by (job) (rate(x_total[5m])) / on (job) group_left y"
        ));
        assert!(!holds("histogram_quantile(0.9, rate(h_bucket[5m]))"));
    }
}
