//! `GET /query/metrics`, `GET /query/logs` and `GET /query/exemplars`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use telemetryhub_model::{
    Aggregation, LabelMatcher, Level, LogQuery, MetricQuery, SeriesQuery, parse_duration,
};

use super::{ExemplarEvent, LogEvent, MetricEvent, SeriesResponse};
use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: usize = 100;

/// Metric points, newest first; or, with `step`, time-bucketed aggregates per series.
#[utoipa::path(
    get, path = "/query/metrics", tag = "query",
    params(
        super::CommonQuery,
        ("metric" = Option<String>, Query, description = "Only this metric"),
        ("labels" = Option<String>, Query, description = "Label matchers k=v or k!=v, comma-separated or repeated"),
        ("step" = Option<String>, Query, description = "Bucket width (e.g. 1m); switches to aggregated series"),
        ("agg" = Option<String>, Query, description = "avg, min, max, sum, count, p50, p95, p99 (with step; default avg)"),
    ),
    responses(
        (status = 200, description = "Raw points, or series when step is given", body = Vec<MetricEvent>),
        (status = 400, body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn query_metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = Params::from_query(query)?;
    let select = metric_query(&state, &headers, &params)?;
    let aggregation = params
        .get("agg")
        .map(|text| {
            text.parse::<Aggregation>()
                .map_err(|e| ApiError::invalid("agg", e))
        })
        .transpose()?;
    let Some(step_text) = params.get("step") else {
        if aggregation.is_some() {
            return Err(ApiError::invalid(
                "agg",
                "agg needs step (the bucket width, e.g. step=1m)",
            ));
        }
        let points = state.backend().query.metrics(&select).await?;
        let events: Vec<MetricEvent> = points.into_iter().map(MetricEvent::from).collect();
        return Ok(Json(events).into_response());
    };
    let step_ns = parse_step(step_text)?;
    let aggregation = aggregation.unwrap_or(Aggregation::Avg);
    let series = state
        .backend()
        .query
        .series(&SeriesQuery {
            select,
            step_ns,
            aggregation,
        })
        .await?;
    let body: Vec<SeriesResponse> = series
        .into_iter()
        .map(|s| SeriesResponse::new(s, aggregation.as_str(), step_ns))
        .collect();
    Ok(Json(body).into_response())
}

/// The metric query shared by raw points and exemplars: service, metric, labels, range, limit.
fn metric_query(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<MetricQuery, ApiError> {
    let (since_ns, until_ns) = params.range()?;
    let mut labels = Vec::new();
    for text in params.all("labels") {
        labels.extend(LabelMatcher::parse_list(text).map_err(|e| ApiError::invalid("labels", e))?);
    }
    Ok(MetricQuery {
        tenant: tenant(headers)?,
        service: params.string("service"),
        metric: params.string("metric"),
        since_ns,
        until_ns,
        labels,
        limit: params.limit(DEFAULT_LIMIT, state.config().max_query_limit)?,
    })
}

/// Exemplars (samples annotated with a trace, from Prometheus remote_write), newest first.
#[utoipa::path(
    get, path = "/query/exemplars", tag = "query",
    params(
        super::CommonQuery,
        ("metric" = Option<String>, Query, description = "Only this metric (e.g. a histogram's _bucket series)"),
        ("labels" = Option<String>, Query, description = "Label matchers k=v or k!=v on the series' labels"),
    ),
    responses((status = 200, body = Vec<ExemplarEvent>), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn query_exemplars(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<ExemplarEvent>>, ApiError> {
    let params = Params::from_query(query)?;
    let select = metric_query(&state, &headers, &params)?;
    let exemplars = state.backend().query.exemplars(&select).await?;
    Ok(Json(
        exemplars.into_iter().map(ExemplarEvent::from).collect(),
    ))
}

/// A step is a duration (`1m`) or a number of seconds (`60`), at least one millisecond.
fn parse_step(text: &str) -> Result<i64, ApiError> {
    let step = match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() => (seconds * 1e9) as i64,
        _ => parse_duration(text).map_err(|e| ApiError::invalid("step", e.to_string()))?,
    };
    if step < 1_000_000 {
        return Err(ApiError::invalid("step", "step must be at least 1ms"));
    }
    Ok(step)
}

/// Log lines, newest first.
#[utoipa::path(
    get, path = "/query/logs", tag = "query",
    params(
        super::CommonQuery,
        ("level" = Option<String>, Query, description = "Only this level (aliases such as warning accepted)"),
        ("contains" = Option<String>, Query, description = "Case-sensitive substring of the message"),
        ("pattern_id" = Option<u64>, Query, description = "Only lines of this log pattern (see /patterns)"),
        ("trace_id" = Option<String>, Query, description = "Only lines written inside this trace"),
    ),
    responses((status = 200, body = Vec<LogEvent>), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn query_logs(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<LogEvent>>, ApiError> {
    let params = Params::from_query(query)?;
    let (since_ns, until_ns) = params.range()?;
    let level = params
        .get("level")
        .map(|text| Level::normalise(text).map_err(|e| ApiError::invalid("level", e.to_string())))
        .transpose()?;
    let tenant = tenant(&headers)?;
    // A pattern's lines include those stored under patterns merged into it.
    let pattern_ids = params
        .u64("pattern_id")?
        .map(|id| state.patterns().members(&tenant, id));
    let query = LogQuery {
        tenant,
        service: params.string("service"),
        level,
        since_ns,
        until_ns,
        contains: params.string("contains"),
        pattern_ids,
        trace_id: params
            .get("trace_id")
            .map(super::traces::normalise_trace_id)
            .transpose()?,
        limit: params.limit(DEFAULT_LIMIT, state.config().max_query_limit)?,
    };
    let records = state.backend().query.logs(&query).await?;
    Ok(Json(records.into_iter().map(LogEvent::from).collect()))
}
