//! Functions over range vectors: `rate`, `increase`, `delta` (extrapolated to the window's
//! edges as Prometheus does), `irate`, `idelta`, `deriv`, `predict_linear`,
//! `double_exponential_smoothing` (`holt_winters`), `changes`, `resets`, the `*_over_time`
//! family and `absent_over_time`. Each slides a window over a series' samples once.
//!
//! Those of a range vector alone ([`SeriesFunction`]) give each series' values from its own
//! samples only, so they are also evaluated series by series while the series are read
//! ([`series_shape`]), without the series being held whole.

use std::borrow::Cow;

use crate::PromqlError;
use crate::grid::Grid;
use crate::parallel::{map_in_order, threads_for};
use crate::series::{
    Evaluate, RangeInput, RangeSeries, StepSeries, Val, Windows, absent_labels, drop_names,
    quantile, vector_if_any,
};
use crate::source::SamplesShape;
use promql_parser::parser::Expr;

/// A function of a range vector and no other argument: each series' value at each step
/// depends only on that series' samples in the step's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeriesFunction {
    Rate,
    Increase,
    Delta,
    Irate,
    Idelta,
    Deriv,
    Changes,
    Resets,
    AvgOverTime,
    MinOverTime,
    MaxOverTime,
    SumOverTime,
    CountOverTime,
    StddevOverTime,
    StdvarOverTime,
    MadOverTime,
    PresentOverTime,
    LastOverTime,
}

/// A function's value over one window: of its times, values and end.
type WindowValue<'a> = dyn FnMut(&[i64], &[f64], i64) -> Option<f64> + 'a;

impl SeriesFunction {
    /// The function called `name`, if it is one.
    pub fn named(name: &str) -> Option<SeriesFunction> {
        Some(match name {
            "rate" => SeriesFunction::Rate,
            "increase" => SeriesFunction::Increase,
            "delta" => SeriesFunction::Delta,
            "irate" => SeriesFunction::Irate,
            "idelta" => SeriesFunction::Idelta,
            "deriv" => SeriesFunction::Deriv,
            "changes" => SeriesFunction::Changes,
            "resets" => SeriesFunction::Resets,
            "avg_over_time" => SeriesFunction::AvgOverTime,
            "min_over_time" => SeriesFunction::MinOverTime,
            "max_over_time" => SeriesFunction::MaxOverTime,
            "sum_over_time" => SeriesFunction::SumOverTime,
            "count_over_time" => SeriesFunction::CountOverTime,
            "stddev_over_time" => SeriesFunction::StddevOverTime,
            "stdvar_over_time" => SeriesFunction::StdvarOverTime,
            "mad_over_time" => SeriesFunction::MadOverTime,
            "present_over_time" => SeriesFunction::PresentOverTime,
            "last_over_time" => SeriesFunction::LastOverTime,
            _ => return None,
        })
    }

    /// Whether its series keep their metric name (only `last_over_time`'s do).
    pub fn keeps_metric_name(self) -> bool {
        self == SeriesFunction::LastOverTime
    }

    /// Fills `values` (one slot per step of `windows`, all none to start) with the function
    /// of `series`' window at each step.
    pub fn fill(self, windows: &Windows, series: &RangeSeries, values: &mut [Option<f64>]) {
        let range = windows.range;
        let each = |values: &mut [Option<f64>], f: &mut WindowValue| {
            windows.for_each_window(series, |step, t, v| {
                if !t.is_empty() {
                    values[step] = f(t, v, windows.refs[step]);
                }
            });
        };
        match self {
            SeriesFunction::Rate => counter_rates(windows, series, values, true),
            SeriesFunction::Increase => counter_rates(windows, series, values, false),
            SeriesFunction::Delta => {
                let mut extrapolation = Extrapolation::new(range, false, false);
                each(values, &mut |t, v, end| {
                    extrapolation.of_window(t, v, end, false)
                })
            }
            SeriesFunction::Irate => each(values, &mut |t, v, _| instant_value(t, v, true)),
            SeriesFunction::Idelta => each(values, &mut |t, v, _| instant_value(t, v, false)),
            SeriesFunction::Deriv => each(values, &mut |t, v, _| {
                (t.len() >= 2).then(|| linear_regression(t, v, t[0]).0)
            }),
            SeriesFunction::Changes => each(values, &mut |_, v, _| {
                Some(
                    v.windows(2)
                        .filter(|w| w[0] != w[1] && !(w[0].is_nan() && w[1].is_nan()))
                        .count() as f64,
                )
            }),
            SeriesFunction::Resets => each(values, &mut |_, v, _| {
                Some(v.windows(2).filter(|w| w[1] < w[0]).count() as f64)
            }),
            SeriesFunction::AvgOverTime => each(values, &mut |_, v, _| Some(mean(v))),
            SeriesFunction::SumOverTime => each(values, &mut |_, v, _| Some(kahan_sum(v))),
            SeriesFunction::CountOverTime => each(values, &mut |_, v, _| Some(v.len() as f64)),
            SeriesFunction::MinOverTime => each(values, &mut |_, v, _| {
                let mut iter = v.iter().copied();
                let first = iter.next()?;
                Some(iter.fold(
                    first,
                    |min, x| if x < min || min.is_nan() { x } else { min },
                ))
            }),
            SeriesFunction::MaxOverTime => each(values, &mut |_, v, _| {
                let mut iter = v.iter().copied();
                let first = iter.next()?;
                Some(iter.fold(
                    first,
                    |max, x| if x > max || max.is_nan() { x } else { max },
                ))
            }),
            SeriesFunction::StddevOverTime => each(values, &mut |_, v, _| Some(variance(v).sqrt())),
            SeriesFunction::StdvarOverTime => each(values, &mut |_, v, _| Some(variance(v))),
            SeriesFunction::MadOverTime => each(values, &mut |_, v, _| {
                let mut values = v.to_vec();
                let median = quantile(0.5, &mut values);
                let mut deviations: Vec<f64> = v.iter().map(|x| (x - median).abs()).collect();
                Some(quantile(0.5, &mut deviations))
            }),
            SeriesFunction::PresentOverTime => each(values, &mut |_, _, _| Some(1.0)),
            SeriesFunction::LastOverTime => each(values, &mut |_, v, _| v.last().copied()),
        }
    }
}

/// `function` evaluated over `grid` (with each grid time's reference time in `refs`) as a
/// shape of each series' samples (ms times, values) read for a range selector of `range` ms:
/// the samples become the function's values at the grid's times where it has one. `read`
/// counts the samples shaped.
pub(crate) fn series_shape(
    function: SeriesFunction,
    range: i64,
    refs: Vec<i64>,
    grid: Grid,
    read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> SamplesShape {
    let windows = Windows { range, refs };
    std::sync::Arc::new(move |t: &mut Vec<i64>, v: &mut Vec<f64>| {
        read.fetch_add(t.len(), std::sync::atomic::Ordering::Relaxed);
        let mut values = vec![None; windows.refs.len()];
        {
            let series = RangeSeries::without_stale_markers(Cow::Owned(Default::default()), t, v);
            function.fill(&windows, &series, &mut values);
        }
        let present = values.iter().flatten().count();
        let (mut times, mut kept) = (Vec::with_capacity(present), Vec::with_capacity(present));
        for (step, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                times.push(grid.time(step));
                kept.push(value);
            }
        }
        // The read's samples are let go here, while the next series is read.
        *t = times;
        *v = kept;
    })
}

/// Evaluates `name(args)` if it is a function of a range vector; `None` otherwise.
pub(crate) fn eval(
    ev: &dyn Evaluate,
    name: &str,
    args: &[&Expr],
    grid: Grid,
) -> Result<Option<Val>, PromqlError> {
    let function = SeriesFunction::named(name);
    let range_arg = match name {
        "quantile_over_time" => 1,
        "predict_linear" | "double_exponential_smoothing" | "holt_winters" | "absent_over_time" => {
            0
        }
        _ if function.is_some() => 0,
        _ => return Ok(None),
    };
    let Some(range_expr) = args.get(range_arg) else {
        return Err(PromqlError::BadData(format!(
            "missing range vector argument of {name}"
        )));
    };
    let input = ev.range_input(range_expr, grid)?;
    let steps = grid.len();
    ev.check_slots(input.series.len().saturating_mul(steps))?;
    if let Some(function) = function {
        let out = apply_series(&input, steps, |series, values| {
            function.fill(&input.windows, series, values)
        });
        return Ok(Some(Val::Vector(if function.keeps_metric_name() {
            out
        } else {
            drop_names(out)?
        })));
    }
    let scalar_arg = |index: usize| -> Result<Vec<f64>, PromqlError> {
        match args.get(index) {
            Some(expr) => ev.eval_scalar(expr, grid),
            None => Err(PromqlError::BadData(format!("missing argument of {name}"))),
        }
    };
    if name == "absent_over_time" {
        let values: Vec<Option<f64>> = absent_steps(&input, steps);
        return Ok(Some(vector_if_any(absent_labels(range_expr), values)));
    }
    let out = match name {
        "predict_linear" => {
            let seconds = scalar_arg(1)?;
            // The intercept is at the evaluation time itself, not the window's end: with `@`
            // or `offset` the prediction still starts from now.
            apply(&input, steps, |step, t, v, _| {
                (t.len() >= 2).then(|| {
                    let (slope, intercept) = linear_regression(t, v, grid.time(step));
                    slope * seconds[step] + intercept
                })
            })
        }
        "double_exponential_smoothing" | "holt_winters" => {
            let smoothing = scalar_arg(1)?;
            let trend = scalar_arg(2)?;
            for step in 0..steps {
                let (sf, tf) = (smoothing[step], trend[step]);
                if !(sf > 0.0 && sf < 1.0) {
                    return Err(PromqlError::Execution(format!(
                        "invalid smoothing factor. Expected: 0 < sf < 1, got: {sf:.6}"
                    )));
                }
                if !(tf > 0.0 && tf < 1.0) {
                    return Err(PromqlError::Execution(format!(
                        "invalid trend factor. Expected: 0 < tf < 1, got: {tf:.6}"
                    )));
                }
            }
            apply(&input, steps, |step, _, v, _| {
                smoothed(v, smoothing[step], trend[step])
            })
        }
        "quantile_over_time" => {
            let phi = scalar_arg(0)?;
            apply(&input, steps, |step, _, v, _| {
                (!v.is_empty()).then(|| quantile(phi[step], &mut v.to_vec()))
            })
        }
        _ => return Ok(None),
    };
    Ok(Some(Val::Vector(drop_names(out)?)))
}

/// Applies `f(step, times, values, window end)` to each window of each series; series with no
/// value at any time are left out.
fn apply(
    input: &RangeInput,
    steps: usize,
    f: impl Fn(usize, &[i64], &[f64], i64) -> Option<f64> + Sync,
) -> Vec<StepSeries> {
    apply_series(input, steps, |series, values| {
        input.windows.for_each_window(series, |step, t, v| {
            if !t.is_empty() {
                values[step] = f(step, t, v, input.windows.refs[step]);
            }
        });
    })
}

/// `rate` (or `increase`) of one series at each step into `values`: a running count of
/// counter resets tells each window whether it has one, so a window without resets (nearly
/// all) costs its two ends instead of a pass over its samples.
fn counter_rates(
    windows: &Windows,
    series: &RangeSeries,
    values: &mut [Option<f64>],
    is_rate: bool,
) {
    // resets[i]: resets among the samples up to i (a reset at i: v[i] < v[i - 1]).
    let mut resets: Vec<u32> = Vec::with_capacity(series.v.len());
    let mut count = 0u32;
    resets.push(0);
    for pair in series.v.windows(2) {
        count += u32::from(pair[1] < pair[0]);
        resets.push(count);
    }
    let mut extrapolation = Extrapolation::new(windows.range, true, is_rate);
    windows.for_each_window_at(series, |step, window| {
        if window.len() < 2 {
            return;
        }
        let has_resets = resets[window.end - 1] != resets[window.start];
        values[step] = extrapolation.of_window(
            &series.t[window.clone()],
            &series.v[window],
            windows.refs[step],
            has_resets,
        );
    });
}

/// Fills each series' values with `fill(series, values)` (one slot per step, all none to
/// start); series left with no value at any time are left out.
fn apply_series(
    input: &RangeInput,
    steps: usize,
    fill: impl Fn(&RangeSeries, &mut [Option<f64>]) + Sync,
) -> Vec<StepSeries> {
    let one = |series: &RangeSeries| -> Option<StepSeries> {
        let mut values = vec![None; steps];
        fill(series, &mut values);
        values.iter().any(Option::is_some).then(|| StepSeries {
            labels: series.labels.as_ref().clone(),
            values,
        })
    };
    // Series are independent: large inputs are split over the cores, in order.
    let samples: usize = input.series.iter().map(|s| s.t.len()).sum();
    let threads = threads_for(samples + input.series.len() * steps);
    map_in_order(input.series.iter().collect(), threads, one)
        .into_iter()
        .flatten()
        .collect()
}

/// 1 where no series has a sample in the window.
fn absent_steps(input: &RangeInput, steps: usize) -> Vec<Option<f64>> {
    let mut present = vec![false; steps];
    for series in &input.series {
        input.windows.for_each_window(series, |step, t, _| {
            if !t.is_empty() {
                present[step] = true;
            }
        });
    }
    present.into_iter().map(|p| (!p).then_some(1.0)).collect()
}

/// `rate`, `increase` (counters: resets corrected) or `delta` over windows of one length,
/// extrapolated towards each window's edges as Prometheus does.
///
/// What a window's sample times give (the durations to its edges, the average interval, the
/// extrapolation factor: most of the divisions) is kept for the next window: under regular
/// sampling successive windows hold their samples at the same distances from their edges, and
/// the same divisions give the same results — bit for bit, so nothing is approximated.
pub(crate) struct Extrapolation {
    range: i64,
    range_seconds: f64,
    is_counter: bool,
    is_rate: bool,
    /// The last window's (first sample − start, end − last sample, last − first sample, samples)
    /// in ms, and what they gave.
    last: Option<((i64, i64, i64, usize), WindowTimes)>,
}

/// What a window's sample times give, in seconds.
#[derive(Debug, Clone, Copy)]
struct WindowTimes {
    /// From the window's start to the first sample, or half the average interval when farther
    /// than 1.1 intervals.
    to_start: f64,
    /// From the last sample to the window's end, likewise.
    to_end: f64,
    /// From the first sample to the last.
    sampled: f64,
    /// The factor to extrapolate by when a counter's zero does not cut the extrapolation short.
    factor: f64,
}

impl Extrapolation {
    /// `rate` (`is_counter` and `is_rate`), `increase` (`is_counter`) or `delta` (neither) over
    /// windows of `range` ms.
    pub fn new(range: i64, is_counter: bool, is_rate: bool) -> Extrapolation {
        Extrapolation {
            range,
            range_seconds: range as f64 / 1000.0,
            is_counter,
            is_rate,
            last: None,
        }
    }

    /// The value over the window of samples `t`, `v` ending at `end`. `has_resets`: whether a
    /// counter's window may hold a reset (when not, the pass that adds them back is skipped).
    pub fn of_window(&mut self, t: &[i64], v: &[f64], end: i64, has_resets: bool) -> Option<f64> {
        if t.len() < 2 {
            return None;
        }
        let start = end.saturating_sub(self.range);
        let (first_t, last_t) = (t[0], t[t.len() - 1]);
        let key = (first_t - start, end - last_t, last_t - first_t, t.len());
        let times = match self.last {
            Some((last_key, times)) if last_key == key => times,
            _ => {
                let times = self.window_times(key);
                self.last = Some((key, times));
                times
            }
        };
        let (first, last) = (v[0], v[v.len() - 1]);
        let mut result = last - first;
        if self.is_counter && has_resets {
            for pair in v.windows(2) {
                if pair[1] < pair[0] {
                    result += pair[0];
                }
            }
        }
        if self.is_counter && result > 0.0 && first >= 0.0 {
            // A counter cannot go below zero: extrapolate no further back than where it would be.
            let duration_to_zero = times.sampled * (first / result);
            if duration_to_zero < times.to_start {
                let extrapolate_to = times.sampled + duration_to_zero + times.to_end;
                return Some(result * self.factor(extrapolate_to, times.sampled));
            }
        }
        Some(result * times.factor)
    }

    /// What a window's sample times (see [`Extrapolation::last`]) give.
    fn window_times(
        &self,
        (to_start, to_end, sampled, samples): (i64, i64, i64, usize),
    ) -> WindowTimes {
        let mut to_start = to_start as f64 / 1000.0;
        let mut to_end = to_end as f64 / 1000.0;
        let sampled = sampled as f64 / 1000.0;
        let average_between_samples = sampled / (samples - 1) as f64;
        let threshold = average_between_samples * 1.1;
        if to_start >= threshold {
            to_start = average_between_samples / 2.0;
        }
        if to_end >= threshold {
            to_end = average_between_samples / 2.0;
        }
        WindowTimes {
            to_start,
            to_end,
            sampled,
            factor: self.factor(sampled + to_start + to_end, sampled),
        }
    }

    /// The factor extrapolating over `sampled` seconds to `extrapolate_to` gives, per second of
    /// the range for a rate.
    fn factor(&self, extrapolate_to: f64, sampled: f64) -> f64 {
        let factor = extrapolate_to / sampled;
        if self.is_rate {
            factor / self.range_seconds
        } else {
            factor
        }
    }
}

/// `rate`, `increase` or `delta` (see [`Extrapolation`]) of one window, nothing kept.
#[cfg(test)]
fn extrapolated_rate(
    t: &[i64],
    v: &[f64],
    end: i64,
    range: i64,
    is_counter: bool,
    is_rate: bool,
    has_resets: bool,
) -> Option<f64> {
    Extrapolation::new(range, is_counter, is_rate).of_window(t, v, end, has_resets)
}

/// `irate` and `idelta`: from the last two samples.
fn instant_value(t: &[i64], v: &[f64], is_rate: bool) -> Option<f64> {
    if t.len() < 2 {
        return None;
    }
    let (last, previous) = (v[v.len() - 1], v[v.len() - 2]);
    let interval = t[t.len() - 1] - t[t.len() - 2];
    if interval == 0 {
        return None;
    }
    let mut result = if is_rate && last < previous {
        // A counter reset.
        last
    } else {
        last - previous
    };
    if is_rate {
        result /= interval as f64 / 1000.0;
    }
    Some(result)
}

/// Neumaier's compensated addition: the new sum and compensation.
pub(crate) fn kahan_add(increment: f64, sum: f64, compensation: f64) -> (f64, f64) {
    let total = sum + increment;
    let compensation = if total.is_infinite() {
        0.0
    } else if sum.abs() >= increment.abs() {
        compensation + ((sum - total) + increment)
    } else {
        compensation + ((increment - total) + sum)
    };
    (total, compensation)
}

fn kahan_sum(values: &[f64]) -> f64 {
    let (mut sum, mut c) = (0.0, 0.0);
    for &x in values {
        (sum, c) = kahan_add(x, sum, c);
    }
    if sum.is_infinite() { sum } else { sum + c }
}

/// The mean, computed incrementally (no overflow of a large sum), infinities kept.
fn mean(values: &[f64]) -> f64 {
    let (mut mean, mut c, mut count) = (0.0f64, 0.0f64, 0.0f64);
    for &x in values {
        count += 1.0;
        if mean.is_infinite() {
            if x.is_infinite() && (mean > 0.0) == (x > 0.0) {
                continue;
            }
            if !x.is_infinite() && !x.is_nan() {
                continue;
            }
        }
        (mean, c) = kahan_add(x / count - mean / count, mean, c);
    }
    if mean.is_infinite() { mean } else { mean + c }
}

/// The population variance (Welford, compensated).
fn variance(values: &[f64]) -> f64 {
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &x in values {
        count += 1.0;
        let delta = x - (mean + c_mean);
        (mean, c_mean) = kahan_add(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_add(delta * (x - (mean + c_mean)), aux, c_aux);
    }
    (aux + c_aux) / count
}

/// Least-squares slope and intercept (at `intercept_time`) of the samples, time in seconds.
fn linear_regression(t: &[i64], v: &[f64], intercept_time: i64) -> (f64, f64) {
    let (mut n, mut sum_x, mut c_x, mut sum_y, mut c_y) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut sum_xy, mut c_xy, mut sum_x2, mut c_x2) = (0.0, 0.0, 0.0, 0.0);
    let initial = v[0];
    let mut constant = true;
    for (i, (&time, &y)) in t.iter().zip(v).enumerate() {
        if constant && i > 0 && y != initial {
            constant = false;
        }
        n += 1.0;
        let x = (time - intercept_time) as f64 / 1000.0;
        (sum_x, c_x) = kahan_add(x, sum_x, c_x);
        (sum_y, c_y) = kahan_add(y, sum_y, c_y);
        (sum_xy, c_xy) = kahan_add(x * y, sum_xy, c_xy);
        (sum_x2, c_x2) = kahan_add(x * x, sum_x2, c_x2);
    }
    if constant {
        if initial.is_infinite() {
            return (f64::NAN, f64::NAN);
        }
        return (0.0, initial);
    }
    let (sum_x, sum_y, sum_xy, sum_x2) = (sum_x + c_x, sum_y + c_y, sum_xy + c_xy, sum_x2 + c_x2);
    let covariance = sum_xy - sum_x * sum_y / n;
    let variance = sum_x2 - sum_x * sum_x / n;
    let slope = covariance / variance;
    let intercept = sum_y / n - slope * sum_x / n;
    (slope, intercept)
}

/// Double exponential smoothing (Holt's linear method) of `values`; `None` below two samples.
fn smoothed(values: &[f64], smoothing: f64, trend_factor: f64) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let (mut s0, mut s1) = (0.0, values[0]);
    let mut trend = values[1] - values[0];
    for (i, &value) in values.iter().enumerate().skip(1) {
        let x = smoothing * value;
        if i > 1 {
            trend = trend_factor * (s1 - s0) + (1.0 - trend_factor) * trend;
        }
        let y = (1.0 - smoothing) * (s1 + trend);
        s0 = s1;
        s1 = x + y;
    }
    Some(s1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parallel::PARALLEL_WORK;

    #[test]
    fn a_counter_rate_extrapolates_to_the_window() {
        // Samples every 15 s over a 60 s window ending at 60 s, counter 0, 15, 30, 45, 60.
        let t = [0, 15_000, 30_000, 45_000, 60_000];
        let v = [0.0, 15.0, 30.0, 45.0, 60.0];
        let rate = extrapolated_rate(&t, &v, 60_000, 60_000, true, true, true).unwrap();
        assert!((rate - 1.0).abs() < 1e-12, "{rate}");
        let reset = [10.0, 20.0, 5.0, 15.0, 25.0];
        let increase = extrapolated_rate(&t, &reset, 60_000, 60_000, true, false, true).unwrap();
        assert!((increase - 35.0).abs() < 1e-9, "{increase}");
    }

    #[test]
    fn counter_rates_with_reset_counts_and_kept_window_times_equal_full_passes() {
        // Counters with resets at scattered places (and NaN), windows of 2-5 samples and of
        // none: the running reset count and the window times kept from the previous window
        // must give each window the value of a full pass computed afresh.
        let series: Vec<RangeSeries> = (0..7u64)
            .map(|n| {
                let mut value = 0.0;
                let v: Vec<f64> = (0..300u64)
                    .map(|i| {
                        value = match (i * 7 + n * 13) % 23 {
                            0 => 1.0 + (i % 3) as f64,
                            1 if n == 3 => f64::NAN,
                            _ => value + ((i * n) % 5) as f64,
                        };
                        value
                    })
                    .collect();
                RangeSeries {
                    labels: Cow::Owned(telemetryhub_model::Labels::from([(
                        "n".to_string(),
                        n.to_string(),
                    )])),
                    // Odd series sampled irregularly, even ones every 15 s exactly (their
                    // windows' times repeat, and the extrapolation reuses them).
                    t: (0..300)
                        .map(|i| i * 15_000 + (n as i64 % 2) * (i % 4) * 1_000)
                        .collect(),
                    v: v.into(),
                }
            })
            .collect();
        for (range, step_ms) in [
            (20_000, 9_000),
            (45_000, 9_000),
            (75_000, 9_000),
            (60_000, 15_000),
        ] {
            let input = RangeInput {
                series: series.clone(),
                windows: Windows {
                    range,
                    refs: (0..500).map(|step| step * step_ms).collect(),
                },
            };
            for is_rate in [true, false] {
                let full = apply(&input, 500, |_, t, v, end| {
                    extrapolated_rate(t, v, end, range, true, is_rate, true)
                });
                let counted = apply_series(&input, 500, |series, values| {
                    counter_rates(&input.windows, series, values, is_rate)
                });
                assert_eq!(full.len(), counted.len());
                for (a, b) in full.iter().zip(&counted) {
                    assert_eq!(a.labels, b.labels);
                    for (x, y) in a.values.iter().zip(&b.values) {
                        // Bit for bit, NaN included.
                        assert_eq!(x.map(f64::to_bits), y.map(f64::to_bits));
                    }
                }
                assert!(full.iter().any(|s| s.values.iter().any(Option::is_some)));
            }
        }
    }

    #[test]
    fn large_inputs_split_over_threads_give_the_series_of_one_thread() {
        // 301 series of 4,000 samples (every 15 s) over 400 steps: above PARALLEL_WORK. Every
        // fifth series has no sample in the range and gives no series.
        let series: Vec<RangeSeries> = (0..301)
            .map(|n| RangeSeries {
                labels: Cow::Owned(telemetryhub_model::Labels::from([(
                    "n".to_string(),
                    n.to_string(),
                )])),
                t: (0..4000)
                    .map(|i| i * 15_000 + if n % 5 == 0 { 1 << 40 } else { 0 })
                    .collect(),
                v: (0..4000).map(|i| (i * (n + 1)) as f64).collect(),
            })
            .collect();
        let refs: Vec<i64> = (0..400).map(|step| step * 150_000).collect();
        let rate = |_: usize, t: &[i64], v: &[f64], end: i64| {
            extrapolated_rate(t, v, end, 300_000, true, true, true)
        };
        let all = RangeInput {
            series: series.clone(),
            windows: Windows {
                range: 300_000,
                refs: refs.clone(),
            },
        };
        const { assert!(4000 * 301 + 301 * 400 >= PARALLEL_WORK) };
        let together = apply(&all, refs.len(), rate);
        let one_by_one: Vec<StepSeries> = series
            .into_iter()
            .flat_map(|one| {
                let input = RangeInput {
                    series: vec![one],
                    windows: Windows {
                        range: 300_000,
                        refs: refs.clone(),
                    },
                };
                apply(&input, refs.len(), rate)
            })
            .collect();
        assert_eq!(together.len(), 240);
        assert!(together == one_by_one);
    }

    #[test]
    fn regression_of_a_line_is_the_line() {
        let t = [0, 1000, 2000];
        let v = [1.0, 3.0, 5.0];
        let (slope, intercept) = linear_regression(&t, &v, 0);
        assert!((slope - 2.0).abs() < 1e-12 && (intercept - 1.0).abs() < 1e-12);
    }
}
