//! The engine: options (lookback, limits, timeout), and instant and range queries.

use std::time::Duration;

use promql_parser::parser::Expr;

use crate::{PromqlError, SeriesSource, Value};

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
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            lookback_delta_ms: 5 * 60 * 1000,
            max_samples: 50_000_000,
            timeout: Duration::from_secs(120),
            default_subquery_step_ms: 60 * 1000,
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
    promql_parser::parser::parse(query).map_err(PromqlError::BadData)
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
        let _ = (source, query, time_ms);
        Err(PromqlError::Execution(
            "PromQL evaluation is not built yet".into(),
        ))
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
        let _ = (source, query, start_ms, end_ms, step_ms);
        Err(PromqlError::Execution(
            "PromQL evaluation is not built yet".into(),
        ))
    }
}
