//! The engine: options and limits, log queries (each entry through the pipeline, lines grouped
//! by their resulting labels, the first `limit` lines in the query's direction, read a time
//! chunk at a time from that end) and metric queries (every node evaluated for all steps at
//! once; range aggregations in `range.rs`, operators in `ops.rs`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use telemetryhub_model::Labels;

use crate::ast::{
    Expr, Grouping, LineFilterOp, LineFilterValue, MetricExpr, RangeOp, Stage, VectorOp,
};
use crate::options::EngineOptions;
use crate::pipeline::{EntryLabels, Pipeline, selection_hints};
use crate::source::{Direction, LogSelection, LogSource};
use crate::value::{
    Evaluated, InstantValue, Matrix, Sample, Series, StepSeries, Stream, StreamEntry, Streams,
};
use crate::{LogqlError, ops, range};

/// Whether the pipeline drops only lines its hints drop (then the source may apply the limit):
/// no label filter, no line filter that is not a hint, nothing that changes the line.
fn drops_only_hinted(stages: &[Stage]) -> bool {
    stages.iter().all(|stage| match stage {
        Stage::LabelFilter(_) | Stage::LineFormat(_) | Stage::Decolorize | Stage::Unpack => false,
        Stage::LineFilter(filter) => {
            filter
                .values
                .iter()
                .all(|v| matches!(v, LineFilterValue::Text(_)))
                && (filter.op == LineFilterOp::NotContains
                    || (filter.op == LineFilterOp::Contains && filter.values.len() == 1))
        }
        _ => true,
    })
}

/// Evaluates LogQL queries.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    options: EngineOptions,
}

type EvalFuture<'a> = Pin<Box<dyn Future<Output = Result<Evaluated, LogqlError>> + Send + 'a>>;

impl Engine {
    /// An engine with these options.
    pub fn new(options: EngineOptions) -> Engine {
        Engine { options }
    }

    /// The engine's options.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Parses a query (the same as [`crate::parse`]).
    pub fn parse(&self, query: &str) -> Result<Expr, LogqlError> {
        crate::parse(query)
    }

    /// The earliest time data may be read from, by `max_look_back_ns`.
    fn min_start_ns(&self) -> i64 {
        match self.options.max_look_back_ns {
            Some(look_back) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
                now.saturating_sub(look_back)
            }
            None => i64::MIN,
        }
    }

    /// A log query: the first `limit` lines in `direction` of `[start_ns, end_ns)`, grouped by
    /// their labels after the pipeline (stream labels, structured metadata, parsed labels).
    pub async fn query_logs(
        &self,
        source: &dyn LogSource,
        expr: &Expr,
        start_ns: i64,
        end_ns: i64,
        limit: usize,
        direction: Direction,
    ) -> Result<Streams, LogqlError> {
        let Expr::Log(log) = expr else {
            return Err(LogqlError::BadRequest(
                "a metric query answers with samples, not log lines: evaluate it as an instant or range query".to_string(),
            ));
        };
        if limit > self.options.max_entries_limit {
            return Err(LogqlError::Limit(format!(
                "max entries limit per query exceeded, limit > max_entries_limit_per_query ({limit} > {})",
                self.options.max_entries_limit
            )));
        }
        let pipeline = Pipeline::compile(&log.pipeline)?;
        let matchers = log
            .matchers
            .iter()
            .map(crate::ast::series_matcher)
            .collect::<Result<Vec<_>, _>>()?;
        let hints = selection_hints(&log.pipeline);
        let source_may_limit = drops_only_hinted(&log.pipeline);
        let start_ns = start_ns.max(self.min_start_ns());
        let chunk_ns = self.options.chunk_ns.max(1);
        let mut keys: Vec<Labels> = Vec::new();
        let mut key_index: HashMap<Labels, usize> = HashMap::new();
        let mut lines: Vec<(i64, usize, String)> = Vec::new();
        let (mut low, mut high) = match direction {
            Direction::Forward => (start_ns, start_ns.saturating_add(chunk_ns).min(end_ns)),
            Direction::Backward => (end_ns.saturating_sub(chunk_ns).max(start_ns), end_ns),
        };
        while low < high && lines.len() < limit {
            let remaining = limit - lines.len();
            let selection = LogSelection {
                matchers: matchers.clone(),
                start_ns: low,
                end_ns: high,
                line_filters: hints.clone(),
                limit: source_may_limit.then_some(remaining),
                direction,
            };
            let mut chunk: Vec<(i64, usize, String)> = Vec::new();
            for stream in source.select(&selection).await? {
                for entry in &stream.entries {
                    if entry.ts_ns < low || entry.ts_ns >= high {
                        continue;
                    }
                    let mut labels = EntryLabels::new(
                        &stream.labels,
                        &entry.structured_metadata,
                        entry.pattern_id,
                    );
                    let Some(line) = pipeline.process(entry.ts_ns, &entry.line, &mut labels) else {
                        continue;
                    };
                    let key = match key_index.get(&labels.labels) {
                        Some(&key) => key,
                        None => {
                            keys.push(labels.labels.clone());
                            key_index.insert(labels.labels, keys.len() - 1);
                            keys.len() - 1
                        }
                    };
                    chunk.push((entry.ts_ns, key, line.into_owned()));
                }
            }
            match direction {
                Direction::Forward => chunk.sort_by_key(|(ts, _, _)| *ts),
                Direction::Backward => chunk.sort_by_key(|(ts, _, _)| std::cmp::Reverse(*ts)),
            }
            chunk.truncate(remaining);
            lines.extend(chunk);
            (low, high) = match direction {
                Direction::Forward => (high, high.saturating_add(chunk_ns).min(end_ns)),
                Direction::Backward => (low.saturating_sub(chunk_ns).max(start_ns), low),
            };
        }
        let mut streams: Vec<Stream> = keys
            .into_iter()
            .map(|labels| Stream {
                labels,
                entries: Vec::new(),
            })
            .collect();
        for (ts_ns, key, line) in lines {
            streams[key].entries.push(StreamEntry { ts_ns, line });
        }
        streams.retain(|s| !s.entries.is_empty());
        streams.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(streams)
    }

    /// A metric query at one time.
    pub async fn instant_query(
        &self,
        source: &dyn LogSource,
        expr: &Expr,
        time_ns: i64,
    ) -> Result<InstantValue, LogqlError> {
        let Expr::Metric(metric) = expr else {
            return Err(LogqlError::BadRequest(
                "log queries are not supported as an instant query type, please change your query to a range query type".to_string(),
            ));
        };
        let steps = [time_ns];
        Ok(
            match self
                .eval(source, metric, &steps, self.min_start_ns())
                .await?
            {
                Evaluated::Scalar(values) => {
                    InstantValue::Scalar(values.first().copied().unwrap_or(f64::NAN))
                }
                Evaluated::Vector(series) => {
                    let mut samples: Vec<Sample> = series
                        .into_iter()
                        .filter_map(|s| {
                            s.values.first().copied().flatten().map(|value| Sample {
                                labels: s.labels,
                                value,
                            })
                        })
                        .collect();
                    samples.sort_by(|a, b| a.labels.cmp(&b.labels));
                    if let MetricExpr::VectorAggregation { op, .. } = metric {
                        match op {
                            VectorOp::SortDesc | VectorOp::Topk => {
                                samples.sort_by(|a, b| b.value.total_cmp(&a.value))
                            }
                            VectorOp::Sort | VectorOp::Bottomk => {
                                samples.sort_by(|a, b| a.value.total_cmp(&b.value))
                            }
                            _ => {}
                        }
                    }
                    InstantValue::Vector(samples)
                }
            },
        )
    }

    /// A metric query at every step `start_ns, start_ns + step_ns, …` up to `end_ns`.
    pub async fn range_query(
        &self,
        source: &dyn LogSource,
        expr: &Expr,
        start_ns: i64,
        end_ns: i64,
        step_ns: i64,
    ) -> Result<Matrix, LogqlError> {
        let Expr::Metric(metric) = expr else {
            return Err(LogqlError::BadRequest(
                "a log query answers with streams: use query_logs".to_string(),
            ));
        };
        if step_ns <= 0 {
            return Err(LogqlError::BadRequest(
                "zero or negative query resolution step widths are not accepted. Try a positive integer".to_string(),
            ));
        }
        if end_ns < start_ns {
            return Err(LogqlError::BadRequest(
                "end timestamp must not be before start time".to_string(),
            ));
        }
        let count = (end_ns - start_ns) / step_ns + 1;
        if count as u128 > self.options.max_steps as u128 {
            return Err(LogqlError::BadRequest(format!(
                "exceeded maximum resolution of {} points per timeseries. Try decreasing the query resolution (?step=XX)",
                self.options.max_steps
            )));
        }
        let steps: Vec<i64> = (0..count).map(|i| start_ns + i * step_ns).collect();
        let series = match self
            .eval(source, metric, &steps, self.min_start_ns())
            .await?
        {
            Evaluated::Scalar(values) => vec![StepSeries {
                labels: Labels::new(),
                values: values.into_iter().map(Some).collect(),
            }],
            Evaluated::Vector(series) => series,
        };
        let mut matrix: Matrix = series
            .into_iter()
            .map(|s| Series {
                labels: s.labels,
                points: steps
                    .iter()
                    .zip(s.values)
                    .filter_map(|(t, v)| v.map(|v| (*t, v)))
                    .collect(),
            })
            .filter(|s| !s.points.is_empty())
            .collect();
        matrix.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(matrix)
    }

    /// The operand of a vector aggregation. A `sum` of a range aggregation whose values add up
    /// across series (`count_over_time`, `rate`, `bytes_over_time`, `bytes_rate`,
    /// `sum_over_time`) is read grouped by the sum's labels at once — the same answer, without
    /// a series per stream (and per parsed label) in between, so `sum by (level)` over many
    /// streams stays within the series limit.
    #[allow(clippy::too_many_arguments)]
    async fn eval_summed(
        &self,
        source: &dyn LogSource,
        op: VectorOp,
        param: &Option<i64>,
        inner: &MetricExpr,
        grouping: &Option<Grouping>,
        steps: &[i64],
        min_start_ns: i64,
    ) -> Result<Evaluated, LogqlError> {
        if let (
            VectorOp::Sum,
            None,
            MetricExpr::RangeAggregation {
                op: range_op,
                param: None,
                range,
                grouping: None,
            },
        ) = (op, param, inner)
            && matches!(
                range_op,
                RangeOp::CountOverTime
                    | RangeOp::Rate
                    | RangeOp::BytesOverTime
                    | RangeOp::BytesRate
                    | RangeOp::SumOverTime
            )
        {
            let pushed = Some(grouping.clone().unwrap_or(Grouping {
                without: false,
                labels: Vec::new(),
            }));
            let series = range::evaluate(
                source,
                &self.options,
                *range_op,
                None,
                range,
                &pushed,
                steps,
                min_start_ns,
            )
            .await?;
            return self.check_series(Evaluated::Vector(series));
        }
        self.eval(source, inner, steps, min_start_ns).await
    }

    fn check_series(&self, evaluated: Evaluated) -> Result<Evaluated, LogqlError> {
        if let Evaluated::Vector(series) = &evaluated
            && series.len() > self.options.max_series
        {
            return Err(LogqlError::Limit(format!(
                "maximum of series ({}) reached for a single query",
                self.options.max_series
            )));
        }
        Ok(evaluated)
    }

    fn eval<'a>(
        &'a self,
        source: &'a dyn LogSource,
        expr: &'a MetricExpr,
        steps: &'a [i64],
        min_start_ns: i64,
    ) -> EvalFuture<'a> {
        Box::pin(async move {
            let evaluated = match expr {
                MetricExpr::Literal(value) => Evaluated::Scalar(vec![*value; steps.len()]),
                MetricExpr::Vector(value) => Evaluated::Vector(vec![StepSeries {
                    labels: Labels::new(),
                    values: vec![Some(*value); steps.len()],
                }]),
                MetricExpr::RangeAggregation {
                    op,
                    param,
                    range,
                    grouping,
                } => Evaluated::Vector(
                    range::evaluate(
                        source,
                        &self.options,
                        *op,
                        *param,
                        range,
                        grouping,
                        steps,
                        min_start_ns,
                    )
                    .await?,
                ),
                MetricExpr::VectorAggregation {
                    op,
                    param,
                    inner,
                    grouping,
                } => match self
                    .eval_summed(source, *op, param, inner, grouping, steps, min_start_ns)
                    .await?
                {
                    Evaluated::Vector(series) => Evaluated::Vector(ops::aggregate(
                        *op,
                        *param,
                        grouping,
                        series,
                        steps.len(),
                    )),
                    Evaluated::Scalar(_) => {
                        return Err(LogqlError::Invalid(format!(
                            "expected type instant vector in aggregation expression, got scalar ({})",
                            op.name()
                        )));
                    }
                },
                MetricExpr::Binary {
                    op,
                    modifier,
                    left,
                    right,
                } => {
                    let left = self.eval(source, left, steps, min_start_ns).await?;
                    let right = self.eval(source, right, steps, min_start_ns).await?;
                    match (left, right) {
                        (Evaluated::Scalar(l), Evaluated::Scalar(r)) => {
                            Evaluated::Scalar(ops::scalar_scalar(*op, modifier.return_bool, &l, &r))
                        }
                        (Evaluated::Vector(l), Evaluated::Scalar(r)) => Evaluated::Vector(
                            ops::vector_scalar(*op, modifier.return_bool, l, &r, false),
                        ),
                        (Evaluated::Scalar(l), Evaluated::Vector(r)) => Evaluated::Vector(
                            ops::vector_scalar(*op, modifier.return_bool, r, &l, true),
                        ),
                        (Evaluated::Vector(l), Evaluated::Vector(r)) => {
                            Evaluated::Vector(ops::vector_vector(*op, modifier, l, r, steps.len())?)
                        }
                    }
                }
                MetricExpr::LabelReplace {
                    inner,
                    dst,
                    replacement,
                    src,
                    regex,
                } => {
                    let inner = self.eval(source, inner, steps, min_start_ns).await?;
                    ops::label_replace(inner, dst, replacement, src, regex)?
                }
            };
            self.check_series(evaluated)
        })
    }
}
