//! Range aggregations: a log range read in time chunks, each entry turned into a sample (1, its
//! size or an unwrapped value) and every step's window `(t - offset - range, t - offset]`
//! aggregated per series as soon as the chunks cover it; samples no later window needs are
//! dropped, so memory holds about one window of samples, not the whole query range.

use std::collections::HashMap;

use telemetryhub_model::Labels;

use crate::ast::{Conversion, Grouping, MatchOp, RangeOp, Unwrap};
use crate::options::EngineOptions;
use crate::pipeline::{
    ERROR_DETAILS_LABEL, ERROR_LABEL, EntryLabels, LabelFilterFn, Pipeline, compile_label_filter,
    selection_hints,
};
use crate::source::{Direction, LogSelection, LogSource};
use crate::units::{DurationUnits, parse_bytes, parse_duration};
use crate::value::StepSeries;
use crate::value::format_labels;
use crate::{LogqlError, ast::LogRange};

/// One series' samples not yet out of every remaining window.
struct Buffered {
    labels: Labels,
    samples: Vec<(i64, f64)>,
    values: Vec<Option<f64>>,
}

/// How an entry becomes a sample.
struct Extractor {
    pipeline: Pipeline,
    unwrap: Option<(String, Option<Conversion>, Vec<LabelFilterFn>)>,
    grouping: Option<Grouping>,
    bytes: bool,
}

impl Extractor {
    fn new(
        op: RangeOp,
        range: &LogRange,
        grouping: &Option<Grouping>,
    ) -> Result<Extractor, LogqlError> {
        let unwrap = match &range.unwrap {
            Some(Unwrap {
                label,
                conversion,
                post_filters,
            }) => Some((
                label.clone(),
                *conversion,
                post_filters
                    .iter()
                    .map(compile_label_filter)
                    .collect::<Result<Vec<_>, _>>()?,
            )),
            None => None,
        };
        Ok(Extractor {
            pipeline: Pipeline::compile(&range.log.pipeline)?,
            unwrap,
            grouping: grouping.clone(),
            bytes: matches!(op, RangeOp::BytesOverTime | RangeOp::BytesRate),
        })
    }

    /// The entry's series and value, or `None` when the pipeline drops it or the unwrapped
    /// label is empty.
    fn extract(
        &self,
        ts_ns: i64,
        line: &str,
        mut labels: EntryLabels<'_>,
    ) -> Option<(Labels, f64)> {
        let line = self.pipeline.process(ts_ns, line, &mut labels)?;
        let Some((name, conversion, post_filters)) = &self.unwrap else {
            let value = if self.bytes { line.len() as f64 } else { 1.0 };
            let mut out = labels.labels;
            // Only reached for a grouping the engine pushed down from a `sum` above (counts and
            // bytes add up across the series a group merges); error labels stay so that
            // pipeline errors are still seen.
            match &self.grouping {
                Some(Grouping {
                    without: false,
                    labels: by,
                }) => {
                    out.retain(|n, _| {
                        by.contains(n) || n == ERROR_LABEL || n == ERROR_DETAILS_LABEL
                    });
                }
                Some(Grouping {
                    without: true,
                    labels: without,
                }) => {
                    out.retain(|n, _| !without.contains(n));
                }
                None => {}
            }
            return Some((out, value));
        };
        let text = labels.get(name).unwrap_or("").to_string();
        if text.is_empty() {
            return None;
        }
        let converted = match conversion {
            None => text
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("strconv.ParseFloat: parsing \"{text}\": invalid syntax")),
            Some(Conversion::Bytes) => parse_bytes(&text)
                .map(|b| b as f64)
                .ok_or_else(|| format!("invalid size \"{text}\"")),
            Some(Conversion::Duration | Conversion::DurationSeconds) => {
                parse_duration(text.trim(), DurationUnits::Go)
                    .map(|ns| ns as f64 / 1e9)
                    .ok_or_else(|| format!("time: invalid duration \"{text}\""))
            }
        };
        let value = converted.unwrap_or_else(|details| {
            labels.set_error("SampleExtractionErr", details);
            0.0
        });
        if !post_filters
            .iter()
            .all(|filter| filter.matches(&mut labels))
        {
            return None;
        }
        let mut out = labels.labels;
        let keep_error = |name: &str| name == ERROR_LABEL || name == ERROR_DETAILS_LABEL;
        match &self.grouping {
            Some(Grouping {
                without: false,
                labels: by,
            }) => {
                out.retain(|n, _| by.contains(n) || keep_error(n));
            }
            Some(Grouping {
                without: true,
                labels: without,
            }) => {
                out.retain(|n, _| !without.contains(n) && n != name);
            }
            None => {
                out.remove(name);
            }
        }
        Some((out, value))
    }
}

/// Loki's aggregation of one window's samples.
fn aggregate(
    op: RangeOp,
    param: Option<f64>,
    samples: &[(i64, f64)],
    range_ns: i64,
    window_end: i64,
    unwrapped: bool,
) -> f64 {
    let seconds = range_ns as f64 / 1e9;
    let values = samples.iter().map(|(_, v)| *v);
    match op {
        RangeOp::CountOverTime => samples.len() as f64,
        RangeOp::Rate if !unwrapped => samples.len() as f64 / seconds,
        RangeOp::Rate | RangeOp::BytesRate => values.sum::<f64>() / seconds,
        RangeOp::BytesOverTime | RangeOp::SumOverTime => values.sum(),
        RangeOp::RateCounter => counter_rate(samples, range_ns, window_end),
        RangeOp::AvgOverTime => {
            let (mut mean, mut count) = (0.0f64, 0.0f64);
            for v in values {
                count += 1.0;
                if mean.is_infinite()
                    && (v.is_infinite() && (mean > 0.0) == (v > 0.0) || v.is_finite())
                {
                    continue;
                }
                mean += v / count - mean / count;
            }
            mean
        }
        RangeOp::MaxOverTime => {
            values.fold(f64::NAN, |m, v| if v > m || m.is_nan() { v } else { m })
        }
        RangeOp::MinOverTime => {
            values.fold(f64::NAN, |m, v| if v < m || m.is_nan() { v } else { m })
        }
        RangeOp::StdvarOverTime | RangeOp::StddevOverTime => {
            let (mut aux, mut count, mut mean) = (0.0, 0.0, 0.0);
            for v in values {
                count += 1.0;
                let delta = v - mean;
                mean += delta / count;
                aux += delta * (v - mean);
            }
            let variance = aux / count;
            if op == RangeOp::StddevOverTime {
                variance.sqrt()
            } else {
                variance
            }
        }
        RangeOp::QuantileOverTime => {
            let mut sorted: Vec<f64> = values.collect();
            sorted.sort_by(f64::total_cmp);
            quantile(param.unwrap_or(0.0), &sorted)
        }
        RangeOp::FirstOverTime => samples.first().map_or(f64::NAN, |(_, v)| *v),
        RangeOp::LastOverTime => samples.last().map_or(f64::NAN, |(_, v)| *v),
        RangeOp::AbsentOverTime => 1.0,
    }
}

/// The φ-quantile of sorted values, interpolated between the two nearest ranks.
pub(crate) fn quantile(q: f64, sorted: &[f64]) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    let n = sorted.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - rank.floor();
    sorted[lower as usize] * (1.0 - weight) + sorted[upper as usize] * weight
}

/// Prometheus' extrapolated counter rate over the window `(end - range, end]` (Loki's
/// `rate_counter`).
fn counter_rate(samples: &[(i64, f64)], range_ns: i64, window_end: i64) -> f64 {
    if samples.len() < 2 {
        return 0.0;
    }
    let (first, last) = (samples[0], samples[samples.len() - 1]);
    let mut result = last.1 - first.1;
    let mut previous = 0.0;
    for (_, v) in samples {
        if *v < previous {
            result += previous;
        }
        previous = *v;
    }
    let range_start = window_end - range_ns;
    let mut to_start = (first.0 - range_start) as f64 / 1e9;
    let mut to_end = (window_end - last.0) as f64 / 1e9;
    let sampled = (last.0 - first.0) as f64 / 1e9;
    let average = sampled / (samples.len() - 1) as f64;
    let threshold = average * 1.1;
    if to_start >= threshold {
        to_start = average / 2.0;
    }
    if result > 0.0 && first.1 >= 0.0 {
        to_start = to_start.min(sampled * (first.1 / result));
    }
    if to_end >= threshold {
        to_end = average / 2.0;
    }
    result * ((sampled + to_start + to_end) / sampled) / (range_ns as f64 / 1e9)
}

/// The labels of `absent_over_time`'s series: the selector's equality matchers.
fn absent_labels(range: &LogRange) -> Labels {
    let mut labels = Labels::new();
    for matcher in &range.log.matchers {
        if matcher.op == MatchOp::Equal {
            labels.insert(matcher.name.clone(), matcher.value.clone());
        }
    }
    labels
}

/// Evaluates a range aggregation at every step of `steps` (ascending).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn evaluate(
    source: &dyn LogSource,
    options: &EngineOptions,
    op: RangeOp,
    param: Option<f64>,
    range: &LogRange,
    grouping: &Option<Grouping>,
    steps: &[i64],
    min_start_ns: i64,
) -> Result<Vec<StepSeries>, LogqlError> {
    let (Some(&first), Some(&last)) = (steps.first(), steps.last()) else {
        return Ok(Vec::new());
    };
    let extractor = Extractor::new(op, range, grouping)?;
    let matchers = range
        .log
        .matchers
        .iter()
        .map(crate::ast::series_matcher)
        .collect::<Result<Vec<_>, _>>()?;
    let hints = selection_hints(&range.log.pipeline);
    let shift = range.offset_ns.saturating_add(range.range_ns);
    let data_end = last.saturating_sub(range.offset_ns).saturating_add(1);
    let chunk_ns = options.chunk_ns.max(1);
    let mut series: Vec<Buffered> = Vec::new();
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut buffered = 0usize;
    let mut absent = vec![true; steps.len()];
    let mut next_step = 0usize;
    let mut cursor = first
        .saturating_sub(shift)
        .saturating_add(1)
        .max(min_start_ns);
    let unwrapped = range.unwrap.is_some();

    loop {
        // Skip data no remaining window covers (steps further apart than the range).
        if let Some(&t) = steps.get(next_step) {
            cursor = cursor.max(t.saturating_sub(shift).saturating_add(1));
        }
        let loaded_until = if cursor < data_end {
            let mut chunk_end = cursor.saturating_add(chunk_ns).min(data_end);
            // When windows leave gaps between them, a read stops at the window's end.
            if let (Some(&t), Some(&after)) = (steps.get(next_step), steps.get(next_step + 1)) {
                let window_end = t.saturating_sub(range.offset_ns).saturating_add(1);
                if after.saturating_sub(shift).saturating_add(1) > window_end {
                    chunk_end = chunk_end.min(window_end);
                }
            }
            let selection = LogSelection {
                matchers: matchers.clone(),
                start_ns: cursor,
                end_ns: chunk_end,
                line_filters: hints.clone(),
                limit: None,
                direction: Direction::Forward,
            };
            let streams = source.select(&selection).await?;
            let mut new: Vec<(i64, Labels, f64)> = Vec::new();
            for stream in &streams {
                for entry in &stream.entries {
                    if entry.ts_ns < cursor || entry.ts_ns >= chunk_end {
                        continue;
                    }
                    let labels = EntryLabels::new(
                        &stream.labels,
                        &entry.structured_metadata,
                        entry.pattern_id,
                    );
                    if let Some((labels, value)) =
                        extractor.extract(entry.ts_ns, &entry.line, labels)
                    {
                        new.push((entry.ts_ns, labels, value));
                    }
                }
            }
            new.sort_by_key(|(ts, _, _)| *ts);
            buffered += new.len();
            if buffered > options.max_samples {
                return Err(LogqlError::Limit(format!(
                    "query processing would load too many samples into memory (more than {})",
                    options.max_samples
                )));
            }
            for (ts, labels, value) in new {
                let at = match index.get(&labels) {
                    Some(&at) => at,
                    None => {
                        if series.len() >= options.max_series {
                            return Err(LogqlError::Limit(format!(
                                "maximum of series ({}) reached for a single query",
                                options.max_series
                            )));
                        }
                        index.insert(labels.clone(), series.len());
                        series.push(Buffered {
                            labels,
                            samples: Vec::new(),
                            values: vec![None; steps.len()],
                        });
                        series.len() - 1
                    }
                };
                series[at].samples.push((ts, value));
            }
            cursor = chunk_end;
            chunk_end
        } else {
            i64::MAX
        };
        // Every step whose window the loaded data covers.
        while let Some(&t) = steps.get(next_step) {
            let window_end = t.saturating_sub(range.offset_ns);
            if window_end >= loaded_until {
                break;
            }
            let window_start = window_end.saturating_sub(range.range_ns);
            for buffered_series in &mut series {
                let samples = &buffered_series.samples;
                let from = samples.partition_point(|(ts, _)| *ts <= window_start);
                let to = samples.partition_point(|(ts, _)| *ts <= window_end);
                if from >= to {
                    continue;
                }
                if let Some(error) = buffered_series.labels.get(ERROR_LABEL) {
                    return Err(LogqlError::Pipeline {
                        error: error.clone(),
                        series: format_labels(&buffered_series.labels),
                    });
                }
                absent[next_step] = false;
                buffered_series.values[next_step] = Some(aggregate(
                    op,
                    param,
                    &samples[from..to],
                    range.range_ns,
                    window_end,
                    unwrapped,
                ));
            }
            next_step += 1;
            // Drop what no later window reads.
            if let Some(&next) = steps.get(next_step) {
                let keep_after = next.saturating_sub(shift);
                for buffered_series in &mut series {
                    let stale = buffered_series
                        .samples
                        .partition_point(|(ts, _)| *ts <= keep_after);
                    buffered -= stale;
                    buffered_series.samples.drain(..stale);
                }
            }
        }
        if next_step >= steps.len() {
            break;
        }
    }

    if op == RangeOp::AbsentOverTime {
        return Ok(vec![StepSeries {
            labels: absent_labels(range),
            values: absent.into_iter().map(|a| a.then_some(1.0)).collect(),
        }]);
    }
    Ok(series
        .into_iter()
        .map(|s| StepSeries {
            labels: s.labels,
            values: s.values,
        })
        .collect())
}
