//! The evaluator: every node of the syntax tree is evaluated for all times of a [`Grid`] at
//! once. An instant vector is a list of series with one optional value per time
//! ([`StepSeries`]); a range vector (the argument of `rate` and the like) is a list of sample
//! runs, read through a window that slides over the grid ([`RangeInput`]); both are in
//! `series.rs`, with the [`Evaluate`] interface operators and functions call back through. Aggregations are in
//! `aggregate.rs`, binary operators in `binary.rs`, functions in `functions.rs` and
//! `range_functions.rs`.

use std::borrow::Cow;
use std::time::Instant;

use promql_parser::parser::{Call, Expr, SubqueryExpr, VectorSelector};
use telemetryhub_model::Labels;

use crate::grid::Grid;
use crate::parallel::{map_in_order, threads_for};
use crate::plan::{
    Fetched, PlanSettings, at_ms, millis, offset_ms, reference_times, selector_reference_times,
    subquery_base, subquery_span,
};
use crate::range_functions::SeriesFunction;
use crate::series::{
    Evaluate, RangeInput, RangeSeries, StepSeries, Val, Windows, drop_names, merge_same_labels,
};
use crate::source::RawSeries;
use crate::value::is_stale_marker;
use crate::{PromqlError, aggregate, binary, functions};

/// The state of one query's evaluation.
pub(crate) struct Evaluator {
    pub fetched: Fetched,
    pub settings: PlanSettings,
    pub deadline: Instant,
    pub max_samples: usize,
}

impl Evaluator {
    /// Fails once the query has run past its deadline.
    pub fn check_deadline(&self) -> Result<(), PromqlError> {
        if Instant::now() > self.deadline {
            return Err(PromqlError::Timeout("query execution"));
        }
        Ok(())
    }

    /// Fails when a value holds more samples than the query may.
    fn check_samples(&self, value: &Val) -> Result<(), PromqlError> {
        let samples: usize = match value {
            Val::Scalar(_) | Val::Str(_) => 0,
            // Every step's slot is held in memory, present or not.
            Val::Vector(series) => series.iter().map(|s| s.values.len()).sum(),
            Val::Matrix(series) => series.iter().map(|s| s.t.len()).sum(),
        };
        if samples > self.max_samples {
            return Err(PromqlError::TooManySamples("query execution"));
        }
        Ok(())
    }

    /// Evaluates `expr` at every time of `grid`.
    fn eval_node(&self, expr: &Expr, grid: Grid) -> Result<Val, PromqlError> {
        self.check_deadline()?;
        self.check_slots(grid.len())?;
        let value = match expr {
            Expr::NumberLiteral(number) => Val::Scalar(vec![number.val; grid.len()]),
            Expr::StringLiteral(text) => Val::Str(text.val.clone()),
            Expr::Paren(paren) => self.eval(&paren.expr, grid)?,
            Expr::VectorSelector(selector) => {
                let count = self.fetched.of(selector).len();
                self.check_slots(count.saturating_mul(grid.len()))?;
                Val::Vector(self.vector_selector(selector, grid))
            }
            Expr::MatrixSelector(_) | Expr::Subquery(_) => {
                // Only an instant query returns a range vector; read it at the grid's one time.
                let input = self.range_input(expr, grid)?;
                let mut out = Vec::new();
                for series in &input.series {
                    let mut window = RangeSeries {
                        labels: Cow::Owned(series.labels.as_ref().clone()),
                        t: Cow::Owned(Vec::new()),
                        v: Cow::Owned(Vec::new()),
                    };
                    input.windows.for_each_window(series, |step, t, v| {
                        if step == 0 {
                            window.t = Cow::Owned(t.to_vec());
                            window.v = Cow::Owned(v.to_vec());
                        }
                    });
                    if !window.t.is_empty() {
                        out.push(window);
                    }
                }
                Val::Matrix(out)
            }
            Expr::Unary(unary) => match self.eval(&unary.expr, grid)? {
                Val::Scalar(values) => Val::Scalar(values.into_iter().map(|v| -v).collect()),
                Val::Vector(series) => Val::Vector(merge_same_labels(
                    series
                        .into_iter()
                        .map(|mut s| {
                            s.labels.remove("__name__");
                            for value in s.values.iter_mut().flatten() {
                                *value = -*value;
                            }
                            s
                        })
                        .collect(),
                )?),
                _ => {
                    return Err(PromqlError::BadData(
                        "unary expression only allowed on expressions of type scalar or instant vector".into(),
                    ));
                }
            },
            Expr::Binary(binary) => binary::eval(self, binary, grid)?,
            Expr::Aggregate(aggregate) => aggregate::eval(self, aggregate, grid)?,
            Expr::Call(call) => match self.fetched.evaluated(call) {
                Some((evaluated_over, series)) => {
                    self.evaluated_call(call, series, evaluated_over, grid)?
                }
                None => functions::eval(self, call, grid)?,
            },
            Expr::Extension(_) => {
                return Err(PromqlError::BadData("unsupported expression".into()));
            }
        };
        self.check_samples(&value)?;
        Ok(value)
    }

    /// A call evaluated as its series were read (see `plan::evaluated_as_read`): each series'
    /// values at the grid's times, the metric name dropped unless the function keeps it.
    fn evaluated_call(
        &self,
        call: &Call,
        series: &[RawSeries],
        evaluated_over: Grid,
        grid: Grid,
    ) -> Result<Val, PromqlError> {
        if evaluated_over != grid {
            // Calls are evaluated as read only outside subqueries, on the query's own grid.
            return Err(PromqlError::Execution(format!(
                "{} was evaluated over another grid than asked",
                call.func.name
            )));
        }
        self.check_slots(series.len().saturating_mul(grid.len()))?;
        let steps = grid.len();
        let spread = |s: &RawSeries| -> Option<StepSeries> {
            if s.t_ms.is_empty() {
                return None;
            }
            let values = if s.values.len() == steps {
                // A value at every time (most series).
                s.values.iter().map(|&value| Some(value)).collect()
            } else {
                let mut values = vec![None; steps];
                // Values come at grid times in order: each one's step is found walking forward.
                let mut step = 0;
                for (&t, &value) in s.t_ms.iter().zip(&s.values) {
                    while step < steps && grid.time(step) < t {
                        step += 1;
                    }
                    if let Some(slot) = values.get_mut(step) {
                        *slot = Some(value);
                    }
                }
                values
            };
            Some(StepSeries {
                labels: s.labels.clone(),
                values,
            })
        };
        let threads = threads_for(series.len().saturating_mul(steps));
        let out: Vec<StepSeries> = map_in_order(series.iter().collect(), threads, spread)
            .into_iter()
            .flatten()
            .collect();
        let keeps_name =
            SeriesFunction::named(call.func.name).is_some_and(SeriesFunction::keeps_metric_name);
        Ok(Val::Vector(if keeps_name { out } else { drop_names(out)? }))
    }

    /// An instant selector: at each time, a series' latest sample no older than the lookback,
    /// unless that sample is a staleness marker.
    fn vector_selector(&self, selector: &VectorSelector, grid: Grid) -> Vec<StepSeries> {
        self.latest_samples(selector, grid, |_, value| value)
    }

    /// The samples a selector's series have at each grid time (for `timestamp()`): the
    /// sample's own time in seconds instead of its value.
    fn timestamps_of(&self, selector: &VectorSelector, grid: Grid) -> Vec<StepSeries> {
        self.latest_samples(selector, grid, |t_ms, _| t_ms as f64 / 1000.0)
    }

    /// For each series of `selector` and each grid time, `pick(time, value)` of its latest
    /// sample within the lookback (none where that sample is a staleness marker); one pass over
    /// each series' samples while the reference times go forward.
    fn latest_samples(
        &self,
        selector: &VectorSelector,
        grid: Grid,
        pick: impl Fn(i64, f64) -> f64,
    ) -> Vec<StepSeries> {
        let refs = selector_reference_times(selector, grid, &self.settings);
        let lookback = self.settings.lookback;
        let mut out = Vec::new();
        for series in self.fetched.of(selector) {
            let mut values = vec![None; refs.len()];
            let mut next = 0usize;
            let mut any = false;
            for (step, &reference) in refs.iter().enumerate() {
                if step > 0 && reference < refs[step - 1] {
                    next = 0;
                }
                while next < series.t_ms.len() && series.t_ms[next] <= reference {
                    next += 1;
                }
                if next == 0 {
                    continue;
                }
                let (t, v) = (series.t_ms[next - 1], series.values[next - 1]);
                if t < reference.saturating_sub(lookback) || is_stale_marker(v) {
                    continue;
                }
                values[step] = Some(pick(t, v));
                any = true;
            }
            if any {
                out.push(StepSeries {
                    labels: series.labels.clone(),
                    values,
                });
            }
        }
        out
    }

    /// A range vector argument (a range selector or a subquery, in parentheses or not) over
    /// `grid`.
    fn range_input_of(&self, expr: &Expr, grid: Grid) -> Result<RangeInput<'_>, PromqlError> {
        match expr {
            Expr::Paren(paren) => self.range_input_of(&paren.expr, grid),
            Expr::MatrixSelector(matrix) => {
                let selector = &matrix.vs;
                let refs = selector_reference_times(selector, grid, &self.settings);
                let series = self
                    .fetched
                    .of(selector)
                    .iter()
                    .map(|raw| {
                        RangeSeries::without_stale_markers(
                            Cow::Borrowed(&raw.labels),
                            &raw.t_ms,
                            &raw.values,
                        )
                    })
                    .collect();
                Ok(RangeInput {
                    series,
                    windows: Windows {
                        range: millis(&matrix.range),
                        refs,
                    },
                })
            }
            Expr::Subquery(subquery) => self.subquery(subquery, grid),
            _ => Err(PromqlError::BadData(
                "expected a range vector argument".to_string(),
            )),
        }
    }

    /// A subquery: its expression evaluated on its own step-aligned grid, read as a range.
    fn subquery(
        &self,
        subquery: &SubqueryExpr,
        grid: Grid,
    ) -> Result<RangeInput<'static>, PromqlError> {
        let step = subquery
            .step
            .as_ref()
            .map(millis)
            .unwrap_or(self.settings.default_subquery_step)
            .max(1);
        let offset = offset_ms(&subquery.offset);
        let range = millis(&subquery.range);
        let base = subquery_base(&subquery.at, grid.start, grid.end, &self.settings);
        let (start, end) = subquery_span(base, offset, range, step);
        let mut series = Vec::new();
        if start <= end {
            let inner = Grid { start, end, step };
            let value = self.eval(&subquery.expr, inner)?;
            match value {
                Val::Vector(vector) => {
                    for s in vector {
                        let (mut t, mut v) = (Vec::new(), Vec::new());
                        for (i, value) in s.values.into_iter().enumerate() {
                            if let Some(value) = value {
                                t.push(inner.time(i));
                                v.push(value);
                            }
                        }
                        series.push(RangeSeries {
                            labels: Cow::Owned(s.labels),
                            t: Cow::Owned(t),
                            v: Cow::Owned(v),
                        });
                    }
                }
                Val::Scalar(values) => {
                    series.push(RangeSeries {
                        labels: Cow::Owned(Labels::new()),
                        t: Cow::Owned((0..values.len()).map(|i| inner.time(i)).collect()),
                        v: Cow::Owned(values),
                    });
                }
                _ => {
                    return Err(PromqlError::BadData(
                        "subquery is only allowed on instant vector".into(),
                    ));
                }
            }
        }
        let at = at_ms(
            &subquery.at,
            self.settings.query_start,
            self.settings.query_end,
        );
        Ok(RangeInput {
            series,
            windows: Windows {
                range,
                refs: reference_times(at, offset, grid),
            },
        })
    }
}

impl Evaluate for Evaluator {
    fn eval(&self, expr: &Expr, grid: Grid) -> Result<Val, PromqlError> {
        self.eval_node(expr, grid)
    }

    fn range_input(&self, expr: &Expr, grid: Grid) -> Result<RangeInput<'_>, PromqlError> {
        self.range_input_of(expr, grid)
    }

    fn vector_selector_timestamps(&self, selector: &VectorSelector, grid: Grid) -> Vec<StepSeries> {
        self.timestamps_of(selector, grid)
    }

    fn check_slots(&self, slots: usize) -> Result<(), PromqlError> {
        if slots > self.max_samples {
            return Err(PromqlError::TooManySamples("query execution"));
        }
        Ok(())
    }
}
