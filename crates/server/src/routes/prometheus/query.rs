//! PromQL over HTTP: `/api/v1/query`, `/api/v1/query_range`, `/api/v1/format_query` and
//! `/api/v1/query_exemplars`, each GET or POST (form body), with Prometheus' parameters,
//! checks and messages. `limit` and `stats` are ignored, as Prometheus 2.5x ignores them here.

use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use telemetryhub_promql::{PromqlError, QueryResult, TenantSource};
use telemetryhub_query::SeriesSelect;

use super::params::{MAX_TIME_MS, MIN_TIME_MS, PromParams};
use super::{render, select_range};
use crate::params::tenant;
use crate::{AppState, PrometheusError};

/// The most points a range query may return per series (Prometheus' limit).
const MAX_POINTS: i128 = 11_000;

/// The most exemplars read per selector of a `query_exemplars` query (the newest); Prometheus
/// keeps 100,000 in all by default.
const MAX_EXEMPLARS: usize = 100_000;

/// An instant query.
#[utoipa::path(
    method(get, post), path = "/api/v1/query", tag = "prometheus",
    params(
        ("query" = String, Query, description = "PromQL expression"),
        ("time" = Option<String>, Query, description = "Evaluation time: Unix seconds or RFC 3339 [default: now]"),
        ("timeout" = Option<String>, Query, description = "Evaluation timeout (seconds or a duration such as 30s); at most --query-timeout"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"|\"matrix\"|\"scalar\"|\"string\",\"result\":...},\"warnings\"?:[...]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
        (status = 422, body = crate::error::PrometheusErrorBody),
        (status = 503, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn query(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let time_ms = params.time_or("time", now_ms())?;
    let timeout = timeout(&state, &params)?;
    let text = params.get("query");
    telemetryhub_promql::parse(text).map_err(|e| PrometheusError::invalid_param("query", e))?;
    let tenant = tenant(&headers)?;
    let source = TenantSource {
        engine: &state.backend().query,
        tenant: &tenant,
    };
    let result = within(
        timeout,
        state.promql().instant_query(&source, text, time_ms),
    )
    .await?;
    Ok(answer(&result))
}

/// A range query: the expression at every step from `start` to `end`.
#[utoipa::path(
    method(get, post), path = "/api/v1/query_range", tag = "prometheus",
    params(
        ("query" = String, Query, description = "PromQL expression"),
        ("start" = String, Query, description = "Start: Unix seconds or RFC 3339"),
        ("end" = String, Query, description = "End: Unix seconds or RFC 3339"),
        ("step" = String, Query, description = "Step: seconds or a duration such as 15s; at most 11,000 points"),
        ("timeout" = Option<String>, Query, description = "Evaluation timeout; at most --query-timeout"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{...},\"values\":[[t,\"v\"],...]}]}}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
        (status = 422, body = crate::error::PrometheusErrorBody),
        (status = 503, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn query_range(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let start_ms = params.time("start")?;
    let end_ms = params.time("end")?;
    if end_ms < start_ms {
        return Err(PrometheusError::bad_data(
            "end timestamp must not be before start time",
        ));
    }
    let step_ns = params.duration_ns("step")?;
    if step_ns <= 0 {
        return Err(PrometheusError::bad_data(
            "zero or negative query resolution step widths are not accepted. Try a positive integer",
        ));
    }
    let span_ns = i128::from(end_ms - start_ms) * 1_000_000;
    if span_ns / i128::from(step_ns) > MAX_POINTS {
        return Err(PrometheusError::bad_data(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
        ));
    }
    let step_ms = step_ns / 1_000_000;
    if step_ms == 0 {
        return Err(PrometheusError::invalid_param(
            "step",
            "query resolution steps below 1ms are not supported",
        ));
    }
    let timeout = timeout(&state, &params)?;
    let text = params.get("query");
    telemetryhub_promql::parse(text).map_err(|e| PrometheusError::invalid_param("query", e))?;
    let tenant = tenant(&headers)?;
    let source = TenantSource {
        engine: &state.backend().query,
        tenant: &tenant,
    };
    let result = within(
        timeout,
        state
            .promql()
            .range_query(&source, text, start_ms, end_ms, step_ms),
    )
    .await?;
    Ok(answer(&result))
}

/// A query reformatted (Prometheus' pretty-printer).
#[utoipa::path(
    method(get, post), path = "/api/v1/format_query", tag = "prometheus",
    params(("query" = String, Query, description = "PromQL expression")),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":\"<formatted query>\"}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn format_query(params: PromParams) -> Result<Response, PrometheusError> {
    let formatted = telemetryhub_promql::format_query(params.get("query"))
        .map_err(|e| PrometheusError::invalid_param("query", e))?;
    Ok(render::success(&formatted, &[]))
}

/// Exemplars of the series a query's selectors match, by series, oldest first.
#[utoipa::path(
    method(get, post), path = "/api/v1/query_exemplars", tag = "prometheus",
    params(
        ("query" = String, Query, description = "PromQL expression; exemplars of every series its selectors match"),
        ("start" = Option<String>, Query, description = "Start: Unix seconds or RFC 3339 [default: all time]"),
        ("end" = Option<String>, Query, description = "End: Unix seconds or RFC 3339 [default: all time]"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":[{\"seriesLabels\":{...},\"exemplars\":[{\"labels\":{...},\"value\":\"v\",\"timestamp\":t}]}]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn query_exemplars(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let start_ms = params.time_or("start", MIN_TIME_MS)?;
    let end_ms = params.time_or("end", MAX_TIME_MS)?;
    if end_ms < start_ms {
        return Err(PrometheusError::bad_data(
            "end timestamp must not be before start timestamp",
        ));
    }
    let sets = telemetryhub_promql::query_selectors(params.get("query"))?;
    if sets.is_empty() {
        return Ok(render::success_raw("null", &[]));
    }
    let tenant = tenant(&headers)?;
    let selects: Vec<SeriesSelect> = sets
        .into_iter()
        .map(|matchers| select_range(&tenant, matchers, start_ms, end_ms))
        .collect();
    let series = state
        .backend()
        .query
        .exemplars_of_series(&selects, MAX_EXEMPLARS)
        .await?;
    Ok(render::success_raw(&render::exemplars_data(&series), &[]))
}

/// A query's answer: its value and warnings in the envelope.
fn answer(result: &QueryResult) -> Response {
    render::success_raw(&render::query_data(&result.value), &result.warnings)
}

/// The time the query may take: the request's `timeout`, at most the engine's.
fn timeout(state: &AppState, params: &PromParams) -> Result<Duration, PrometheusError> {
    let longest = state.promql().options().timeout;
    if params.get("timeout").is_empty() {
        return Ok(longest);
    }
    let asked = params.duration_ns("timeout")?;
    Ok(Duration::from_nanos(u64::try_from(asked).unwrap_or(0)).min(longest))
}

/// Runs an evaluation, failing with Prometheus' timeout error once `timeout` has passed (at
/// once when it is zero, as a deadline already past fails a Prometheus query before it runs).
async fn within(
    timeout: Duration,
    evaluation: impl Future<Output = Result<QueryResult, PromqlError>>,
) -> Result<QueryResult, PrometheusError> {
    if timeout.is_zero() {
        return Err(PromqlError::Timeout("query queue").into());
    }
    match tokio::time::timeout(timeout, evaluation).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(PromqlError::Timeout("expression evaluation").into()),
    }
}

/// Now, ms since the Unix epoch.
fn now_ms() -> i64 {
    telemetryhub_model::now_ns().div_euclid(1_000_000)
}
