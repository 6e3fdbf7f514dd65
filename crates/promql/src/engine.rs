//! The engine: options (lookback, limits, timeout), and instant and range queries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use promql_parser::parser::Expr;
use promql_parser::parser::value::ValueType;

use crate::eval::Evaluator;
use crate::grid::Grid;
use crate::metrics::{QUERIES, SAMPLES_FETCHED, STAGE_SECONDS};
use crate::plan::{self, PlanSettings};
use crate::series::{Evaluate, Val};
use crate::{PromqlError, Sample, Series, SeriesSource, Value};

/// Work (samples fetched, plus series × steps) up to which an evaluation runs on the calling
/// task: a fraction of a millisecond, about what a blocking thread's hand-off and wake-up cost.
const INLINE_EVAL_WORK: usize = 1 << 16;

/// How queries are evaluated; Prometheus' defaults.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// How far back an instant selector looks for a sample (`--query.lookback-delta`, 5 m).
    pub lookback_delta_ms: i64,
    /// The most samples a query may hold at once (`--query.max-samples`, 50 M).
    pub max_samples: usize,
    /// The longest a query may run (`--query.timeout`, 2 min).
    pub timeout: Duration,
    /// The step of subqueries that give none (Prometheus' default evaluation interval, 1 m).
    pub default_subquery_step_ms: i64,
    /// Whether a range function called on a range selector (`rate(x[5m])`, outside subqueries)
    /// is evaluated series by series as the store reads the series (the default), so that
    /// the selected samples are never held whole. Off, every selected series is read whole
    /// first: the same answers with more memory, kept to compare the two.
    pub evaluate_calls_as_read: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            lookback_delta_ms: 5 * 60 * 1000,
            max_samples: 50_000_000,
            timeout: Duration::from_secs(120),
            default_subquery_step_ms: 60 * 1000,
            evaluate_calls_as_read: true,
        }
    }
}

/// A query's value and the warnings met while evaluating it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// The value.
    pub value: Value,
    /// Warnings, as the Prometheus API returns them beside the data.
    pub warnings: Vec<String>,
}

/// Evaluates PromQL queries.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    options: EngineOptions,
}

/// Parses a query, with Prometheus' error message on failure.
pub fn parse(query: &str) -> Result<Expr, PromqlError> {
    promql_parser::parser::parse(&with_current_names(query)).map_err(PromqlError::BadData)
}

/// The query with functions renamed since Prometheus 2 under their current names
/// (`holt_winters` is `double_exponential_smoothing` since 3.0), outside string literals.
fn with_current_names(query: &str) -> std::borrow::Cow<'_, str> {
    const RENAMED: [(&str, &str); 1] = [("holt_winters", "double_exponential_smoothing")];
    if !RENAMED.iter().any(|(old, _)| query.contains(old)) {
        return std::borrow::Cow::Borrowed(query);
    }
    let mut out = String::with_capacity(query.len() + 16);
    let mut chars = query.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if matches!(c, '"' | '\'' | '`') {
            quote = Some(c);
            out.push(c);
            continue;
        }
        let previous_is_word = out
            .chars()
            .last()
            .is_some_and(|p| p.is_alphanumeric() || p == '_' || p == ':');
        let renamed = RENAMED.iter().find(|(old, _)| {
            query[at..].starts_with(old)
                && !query[at + old.len()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_alphanumeric() || n == '_' || n == ':')
        });
        match renamed {
            Some((old, new)) if !previous_is_word => {
                out.push_str(new);
                for _ in 1..old.chars().count() {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A query reformatted as Prometheus' `/api/v1/format_query` does.
pub fn format_query(query: &str) -> Result<String, PromqlError> {
    Ok(parse(query)?.prettify())
}

impl Engine {
    /// An engine with `options`.
    pub fn new(options: EngineOptions) -> Engine {
        Engine { options }
    }

    /// The engine's options.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Evaluates `query` at `time_ms`: a vector, scalar, string, or — for a range selector or
    /// subquery — a matrix.
    pub async fn instant_query(
        &self,
        source: &dyn SeriesSource,
        query: &str,
        time_ms: i64,
    ) -> Result<QueryResult, PromqlError> {
        let result = self.instant(source, query, time_ms).await;
        count("instant", &result);
        result
    }

    async fn instant(
        &self,
        source: &dyn SeriesSource,
        query: &str,
        time_ms: i64,
    ) -> Result<QueryResult, PromqlError> {
        let expr = Arc::new(parse(query)?);
        let grid = Grid {
            start: time_ms,
            end: time_ms,
            step: 0,
        };
        let value = self.evaluate(source, expr, grid).await?;
        let value = match value {
            Val::Scalar(values) => Value::Scalar {
                t_ms: time_ms,
                value: values.first().copied().unwrap_or(f64::NAN),
            },
            Val::Str(text) => Value::String {
                t_ms: time_ms,
                value: text,
            },
            Val::Vector(series) => Value::Vector(
                series
                    .into_iter()
                    .filter_map(|s| {
                        s.values.first().copied().flatten().map(|value| Sample {
                            labels: s.labels,
                            t_ms: time_ms,
                            value,
                        })
                    })
                    .collect(),
            ),
            Val::Matrix(series) => Value::Matrix(
                series
                    .into_iter()
                    .map(|s| Series {
                        labels: s.labels.into_owned(),
                        points: s.t.iter().copied().zip(s.v.iter().copied()).collect(),
                    })
                    .collect(),
            ),
        };
        Ok(QueryResult {
            value,
            warnings: Vec::new(),
        })
    }

    /// Evaluates `query` at every step from `start_ms` to `end_ms`: a matrix. Fails when the
    /// query is a range vector or a string, as Prometheus does.
    pub async fn range_query(
        &self,
        source: &dyn SeriesSource,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
    ) -> Result<QueryResult, PromqlError> {
        let result = self.range(source, query, start_ms, end_ms, step_ms).await;
        count("range", &result);
        result
    }

    async fn range(
        &self,
        source: &dyn SeriesSource,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
    ) -> Result<QueryResult, PromqlError> {
        if step_ms <= 0 {
            return Err(PromqlError::BadData(
                "zero or negative query resolution step widths are not accepted. Try a positive integer".into(),
            ));
        }
        if end_ms < start_ms {
            return Err(PromqlError::BadData(
                "end timestamp must not be before start time".into(),
            ));
        }
        let expr = Arc::new(parse(query)?);
        match expr.value_type() {
            ValueType::Matrix => {
                return Err(PromqlError::BadData(
                    "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector".into(),
                ));
            }
            ValueType::String => {
                return Err(PromqlError::BadData(
                    "invalid expression type \"string\" for range query, must be Scalar or instant Vector".into(),
                ));
            }
            _ => {}
        }
        let grid = Grid {
            start: start_ms,
            end: end_ms,
            step: step_ms,
        };
        let value = self.evaluate(source, expr, grid).await?;
        let mut matrix: Vec<Series> = match value {
            Val::Scalar(values) => vec![Series {
                labels: Default::default(),
                points: values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (grid.time(i), v))
                    .collect(),
            }],
            Val::Vector(series) => series
                .into_iter()
                .map(|s| Series {
                    labels: s.labels,
                    points: s
                        .values
                        .into_iter()
                        .enumerate()
                        .filter_map(|(i, v)| v.map(|v| (grid.time(i), v)))
                        .collect(),
                })
                .filter(|s| !s.points.is_empty())
                .collect(),
            Val::Str(_) | Val::Matrix(_) => {
                return Err(PromqlError::BadData(
                    "range queries need a scalar or an instant vector".into(),
                ));
            }
        };
        matrix.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(QueryResult {
            value: Value::Matrix(matrix),
            warnings: Vec::new(),
        })
    }

    /// Fetches the series `expr` needs over `grid` and evaluates it, within the timeout. The
    /// evaluation runs on a blocking thread, so a heavy query does not hold up the async
    /// runtime; `expr` is shared, not copied, because fetched series are keyed by the addresses
    /// of its selectors.
    async fn evaluate(
        &self,
        source: &dyn SeriesSource,
        expr: Arc<Expr>,
        grid: Grid,
    ) -> Result<Val, PromqlError> {
        let deadline = Instant::now() + self.options.timeout;
        let settings = PlanSettings {
            lookback: self.options.lookback_delta_ms,
            default_subquery_step: self.options.default_subquery_step_ms,
            query_start: grid.start,
            query_end: grid.end,
            calls_as_read: self.options.evaluate_calls_as_read,
            max_samples: self.options.max_samples,
        };
        let fetch_started = Instant::now();
        let fetched = tokio::time::timeout(
            self.options.timeout,
            plan::fetch(&expr, grid, &settings, source),
        )
        .await
        .map_err(|_| PromqlError::Timeout("series fetching"))??;
        STAGE_SECONDS
            .with_label_values(&["fetch"])
            .observe(fetch_started.elapsed().as_secs_f64());
        let fetched_samples = fetched.sample_count();
        let fetched_series = fetched.series_count();
        SAMPLES_FETCHED.inc_by(fetched_samples as u64);
        // As Prometheus counts the samples a query holds at once, not those it passes over:
        // the samples of a call evaluated as read are never held together.
        if fetched.held_sample_count() > self.options.max_samples {
            return Err(PromqlError::TooManySamples("series fetching"));
        }
        let evaluator = Evaluator {
            fetched,
            settings,
            deadline,
            max_samples: self.options.max_samples,
        };
        let work = fetched_samples.saturating_add(fetched_series.saturating_mul(grid.len()));
        let light = work <= INLINE_EVAL_WORK && !plan::has_subquery(&expr);
        let run = move || {
            let started = Instant::now();
            let value = evaluator.eval(&expr, grid);
            STAGE_SECONDS
                .with_label_values(&["eval"])
                .observe(started.elapsed().as_secs_f64());
            value
        };
        // A light evaluation (without subqueries, whose grids can multiply the work) runs here:
        // it takes less than handing it to a blocking thread and back.
        if light {
            return run();
        }
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|error| PromqlError::Execution(format!("query evaluation failed: {error}")))?
    }
}

/// Counts a query by type and outcome.
fn count(kind: &str, result: &Result<QueryResult, PromqlError>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(error) => error.error_type(),
    };
    QUERIES.with_label_values(&[kind, outcome]).inc();
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::Labels;

    use super::*;
    use crate::MemorySource;

    fn source() -> MemorySource {
        let mut source = MemorySource::new();
        let mut labels = Labels::new();
        labels.insert("__name__".into(), "up".into());
        labels.insert("job".into(), "api".into());
        for i in 0..100 {
            source.add(&labels, i * 15_000, 1.0);
        }
        source
    }

    #[tokio::test]
    async fn limits_refuse_instead_of_allocating() {
        let engine = Engine::new(EngineOptions {
            max_samples: 1000,
            ..EngineOptions::default()
        });
        let refused = engine
            .instant_query(&source(), "max_over_time(up[100y:1ms])", 1_500_000)
            .await;
        assert!(
            matches!(refused, Err(PromqlError::TooManySamples(_))),
            "{refused:?}"
        );
        let refused = engine.range_query(&source(), "up", 0, 1_500_000, 1).await;
        assert!(
            matches!(refused, Err(PromqlError::TooManySamples(_))),
            "{refused:?}"
        );
        // 2,000 samples passed over, one value held: a call evaluated as its series are read
        // never holds them; the same call over the whole series does.
        let mut long = MemorySource::new();
        let labels = Labels::from([("__name__".to_string(), "up".to_string())]);
        for i in 0..2000 {
            long.add(&labels, i * 15_000, i as f64);
        }
        let answered = engine
            .instant_query(&long, "rate(up[1d])", 30_000_000)
            .await;
        assert!(answered.is_ok(), "{answered:?}");
        let whole = Engine::new(EngineOptions {
            max_samples: 1000,
            evaluate_calls_as_read: false,
            ..EngineOptions::default()
        });
        let refused = whole.instant_query(&long, "rate(up[1d])", 30_000_000).await;
        assert!(
            matches!(refused, Err(PromqlError::TooManySamples(_))),
            "{refused:?}"
        );
    }

    #[tokio::test]
    async fn extreme_times_do_not_overflow() {
        let engine = Engine::default();
        for query in [
            "up offset 290000y",
            "up offset -290000y",
            "rate(up[290000y])",
            "up @ 9223372036854775",
            "max_over_time(up[1m:1m] offset -290000y)",
        ] {
            let answer = engine.instant_query(&source(), query, 1_500_000).await;
            assert!(
                answer.is_ok() || matches!(answer, Err(PromqlError::BadData(_))),
                "{query}: {answer:?}"
            );
        }
    }

    #[tokio::test]
    async fn calls_evaluated_as_read_answer_as_calls_on_whole_series() {
        // Counters with resets, gauges with NaN, ±Inf and staleness markers, irregular
        // times, gaps longer than the windows, and two metrics whose series share labels once
        // the name is dropped (an error either way).
        let mut source = MemorySource::new();
        for (name, instance) in [("c", "a"), ("c", "b"), ("g", "a"), ("g2", "a")] {
            let labels = Labels::from([
                ("__name__".to_string(), name.to_string()),
                ("instance".to_string(), instance.to_string()),
            ]);
            let mut counter = 0.0;
            for i in 0..400i64 {
                if (120..160).contains(&i) && instance == "b" {
                    continue;
                }
                let t = i * 15_000 + (i * 7 % 5) * 900;
                counter = if i % 97 == 50 {
                    3.0
                } else {
                    counter + (i % 6) as f64
                };
                let value = match (name, i % 41) {
                    ("c", _) => counter,
                    (_, 7) => f64::NAN,
                    (_, 13) => f64::INFINITY,
                    (_, 29) => crate::stale_marker(),
                    _ => ((i * 37) % 23) as f64 - 11.0,
                };
                source.add(&labels, t, value);
            }
        }
        let functions = [
            "rate",
            "increase",
            "delta",
            "irate",
            "idelta",
            "deriv",
            "changes",
            "resets",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "mad_over_time",
            "present_over_time",
            "last_over_time",
        ];
        let mut queries = Vec::new();
        for function in functions {
            for selector in ["c", "g", "{__name__=~\"g.*\"}"] {
                queries.push(format!("{function}({selector}[1m])"));
                queries.push(format!("{function}({selector}[5m] offset 2m)"));
                queries.push(format!("{function}({selector}[3m] offset -1m)"));
                queries.push(format!("{function}({selector}[2m] @ start())"));
            }
            queries.push(format!(
                "sum by (instance) ({function}(c[4m])) / {function}(c[4m])"
            ));
            queries.push(format!("max_over_time({function}(c[2m])[10m:1m])"));
        }
        let whole = Engine::new(EngineOptions {
            evaluate_calls_as_read: false,
            ..EngineOptions::default()
        });
        let as_read = Engine::default();
        let answers = |result: Result<QueryResult, PromqlError>| format!("{result:?}");
        let mut failures = 0;
        for query in &queries {
            for (start, end, step) in [(0, 6_000_000, 15_000), (100_000, 5_000_000, 7_000)] {
                let expected = whole.range_query(&source, query, start, end, step).await;
                let found = as_read.range_query(&source, query, start, end, step).await;
                failures += usize::from(expected.is_err());
                assert_eq!(
                    answers(found),
                    answers(expected),
                    "{query} over {start}..{end}"
                );
            }
            for time in [0, 1_234_567, 6_000_000] {
                let expected = whole.instant_query(&source, query, time).await;
                let found = as_read.instant_query(&source, query, time).await;
                assert_eq!(answers(found), answers(expected), "{query} at {time}");
            }
        }
        // The `g.*` selectors meet the same labels once the name is dropped.
        assert!(failures > 0 && failures < queries.len());
    }

    #[tokio::test]
    async fn holt_winters_is_the_current_function() {
        let engine = Engine::default();
        let answer = engine
            .instant_query(&source(), "holt_winters(up[5m], 0.5, 0.5)", 1_500_000)
            .await
            .unwrap();
        let Value::Vector(samples) = answer.value else {
            panic!("a vector expected");
        };
        assert_eq!(samples.len(), 1);
        assert_eq!(
            with_current_names("label_replace(up, \"holt_winters\", \"\", \"\", \"\")"),
            "label_replace(up, \"holt_winters\", \"\", \"\", \"\")"
        );
    }
}
