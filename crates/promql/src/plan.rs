//! Before evaluation: which series each selector needs over which time. The syntax tree is walked
//! with the time span every node is evaluated over (a subquery widens it by its range and moves
//! it by its offset; `@` pins it), each selector's matchers and sample span are collected, and
//! every selector's series are fetched once.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::{AtModifier, Expr, Offset, VectorSelector};
use telemetryhub_model::{METRIC_NAME_LABEL, SeriesMatchOp, SeriesMatcher};

use crate::PromqlError;
use crate::source::{RawSeries, SeriesSource};

/// The times a node is evaluated at: `start..=end` every `step` ms (one time when equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grid {
    pub start: i64,
    pub end: i64,
    pub step: i64,
}

impl Grid {
    /// The number of evaluation times.
    pub fn len(&self) -> usize {
        if self.step <= 0 || self.end <= self.start {
            1
        } else {
            usize::try_from(self.end.saturating_sub(self.start) / self.step)
                .unwrap_or(usize::MAX)
                .saturating_add(1)
        }
    }

    /// The `index`th evaluation time.
    pub fn time(&self, index: usize) -> i64 {
        self.start
            .saturating_add(self.step.max(0).saturating_mul(index as i64))
    }
}

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

/// The first time of a subquery's own grid: the first multiple of `step` at or after `from`.
pub(crate) fn subquery_start(from: i64, step: i64) -> i64 {
    // Integer division truncating toward zero, then moved forward, as Prometheus aligns it.
    let mut start = step.saturating_mul(from / step);
    if start < from {
        start = start.saturating_add(step);
    }
    start
}

/// The series of every selector, by the selector's address in the syntax tree.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    by_selector: HashMap<usize, Vec<RawSeries>>,
}

impl Fetched {
    /// The series fetched for `selector`.
    pub fn of(&self, selector: &VectorSelector) -> &[RawSeries] {
        self.by_selector
            .get(&key(selector))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Series fetched in all.
    pub fn series_count(&self) -> usize {
        self.by_selector.values().map(Vec::len).sum()
    }

    /// Samples fetched in all.
    pub fn sample_count(&self) -> usize {
        self.by_selector
            .values()
            .flat_map(|series| series.iter().map(|s| s.t_ms.len()))
            .sum()
    }
}

fn key(selector: &VectorSelector) -> usize {
    selector as *const VectorSelector as usize
}

/// One selector's needs: its matcher sets (any may match) and the sample span.
struct Need<'a> {
    selector: &'a VectorSelector,
    from: i64,
    to: i64,
}

/// Settings the walk needs.
pub(crate) struct PlanSettings {
    pub lookback: i64,
    pub default_subquery_step: i64,
    pub query_start: i64,
    pub query_end: i64,
}

/// Fetches the series of every selector of `expr` evaluated over `grid`.
pub(crate) async fn fetch(
    expr: &Expr,
    grid: Grid,
    settings: &PlanSettings,
    source: &dyn SeriesSource,
) -> Result<Fetched, PromqlError> {
    let mut needs = Vec::new();
    walk(expr, grid.start, grid.end, settings, &mut needs);
    let mut fetched = Fetched::default();
    for need in needs {
        let sets = matcher_sets(need.selector)?;
        let mut series: Vec<RawSeries> = Vec::new();
        if let [only] = sets.as_slice() {
            series = source.select(only, need.from, need.to).await?;
        } else {
            // `or` alternatives: a series matching several is read once.
            let mut seen = std::collections::HashSet::new();
            for matchers in &sets {
                for found in source.select(matchers, need.from, need.to).await? {
                    if seen.insert(found.labels.clone()) {
                        series.push(found);
                    }
                }
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        fetched.by_selector.insert(key(need.selector), series);
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
    };
    let mut needs = Vec::new();
    walk(expr, 0, 0, &settings, &mut needs);
    needs.into_iter().map(|need| need.selector).collect()
}

/// Collects the needs of every selector under `expr`, evaluated at times `from..=to`.
fn walk<'a>(
    expr: &'a Expr,
    from: i64,
    to: i64,
    settings: &PlanSettings,
    needs: &mut Vec<Need<'a>>,
) {
    match expr {
        Expr::VectorSelector(selector) => {
            let (lo, hi) = reference_span(selector, from, to, settings);
            needs.push(Need {
                selector,
                from: lo.saturating_sub(settings.lookback),
                to: hi,
            });
        }
        Expr::MatrixSelector(matrix) => {
            let (lo, hi) = reference_span(&matrix.vs, from, to, settings);
            needs.push(Need {
                selector: &matrix.vs,
                from: lo.saturating_sub(millis(&matrix.range)),
                to: hi,
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
            walk(&subquery.expr, inner_from, inner_to, settings, needs);
        }
        Expr::Aggregate(aggregate) => {
            walk(&aggregate.expr, from, to, settings, needs);
            if let Some(param) = &aggregate.param {
                walk(param, from, to, settings, needs);
            }
        }
        Expr::Unary(unary) => walk(&unary.expr, from, to, settings, needs),
        Expr::Binary(binary) => {
            walk(&binary.lhs, from, to, settings, needs);
            walk(&binary.rhs, from, to, settings, needs);
        }
        Expr::Paren(paren) => walk(&paren.expr, from, to, settings, needs),
        Expr::Call(call) => {
            for arg in &call.args.args {
                walk(arg, from, to, settings, needs);
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

    #[test]
    fn grids_count_their_times() {
        let grid = Grid {
            start: 0,
            end: 100,
            step: 10,
        };
        assert_eq!(grid.len(), 11);
        assert_eq!(grid.time(10), 100);
        let instant = Grid {
            start: 5,
            end: 5,
            step: 0,
        };
        assert_eq!((instant.len(), instant.time(0)), (1, 5));
    }
}
