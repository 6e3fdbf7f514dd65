//! `GET /query/traces` (span search) and `GET /traces/{trace_id}` (one trace as a span tree,
//! with the log lines written inside it).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::Serialize;
use telemetryhub_model::{SpanQuery, SpanStatus, Trace, format_rfc3339};
use utoipa::ToSchema;

use super::{LogEvent, SpanEvent};
use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: usize = 100;
/// Log lines returned with a trace, at most.
const TRACE_LOG_LIMIT: usize = 1_000;

/// A trace id parameter as stored (see [`telemetryhub_model::normalise_trace_id`]), or a 400.
pub(crate) fn normalise_trace_id(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    telemetryhub_model::normalise_trace_id(text).ok_or_else(|| {
        ApiError::invalid(
            "trace_id",
            format!("trace id must be 1 to 32 hex digits, got {text:?}"),
        )
    })
}

/// Spans matching every filter, newest first.
#[utoipa::path(
    get, path = "/query/traces", tag = "traces",
    params(
        super::CommonQuery,
        ("name" = Option<String>, Query, description = "Only this operation (span name)"),
        ("min_duration" = Option<String>, Query, description = "Only spans at least this long (e.g. 250ms)"),
        ("max_duration" = Option<String>, Query, description = "Only spans at most this long"),
        ("status" = Option<String>, Query, description = "unset, ok or error"),
        ("trace_id" = Option<String>, Query, description = "Only spans of this trace"),
    ),
    responses((status = 200, body = Vec<SpanEvent>), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn query_traces(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<SpanEvent>>, ApiError> {
    let params = Params::from_query(query)?;
    let (since_ns, until_ns) = params.range()?;
    let status = params
        .get("status")
        .map(|text| {
            text.parse::<SpanStatus>()
                .map_err(|e| ApiError::invalid("status", e))
        })
        .transpose()?;
    let trace_ids = params
        .get("trace_id")
        .map(|id| normalise_trace_id(id).map(|id| vec![id]))
        .transpose()?;
    let query = SpanQuery {
        tenant: tenant(&headers)?,
        trace_ids,
        service: params.string("service"),
        name: params.string("name"),
        min_duration_ns: params.duration("min_duration")?,
        max_duration_ns: params.duration("max_duration")?,
        status,
        since_ns,
        until_ns,
        limit: params.limit(DEFAULT_LIMIT, state.config().max_query_limit)?,
    };
    let spans = state.backend().query.spans(&query).await?;
    Ok(Json(spans.into_iter().map(SpanEvent::from).collect()))
}

/// One span of a trace with the spans it started.
#[derive(Serialize, ToSchema)]
pub(crate) struct SpanNode {
    #[serde(flatten)]
    span: SpanEvent,
    /// Child spans, earliest first.
    #[schema(no_recursion)]
    children: Vec<SpanNode>,
}

impl From<telemetryhub_model::SpanNode> for SpanNode {
    fn from(node: telemetryhub_model::SpanNode) -> Self {
        SpanNode {
            span: SpanEvent::from(node.span),
            children: node.children.into_iter().map(SpanNode::from).collect(),
        }
    }
}

/// A whole trace.
#[derive(Serialize, ToSchema)]
pub(crate) struct TraceResponse {
    #[schema(example = "4bf92f3577b34da6a3ce929d0e0e4736")]
    trace_id: String,
    span_count: usize,
    /// Services that recorded spans of the trace, sorted.
    services: Vec<String>,
    /// Start of the earliest span.
    start: String,
    /// From the earliest start to the latest end.
    duration_ms: f64,
    /// Spans with `status = error`.
    error_count: usize,
    /// Whether the trace had more spans than the server returns (`max_query_limit`).
    truncated: bool,
    /// Spans without a parent in the trace (normally one: the root), each with its subtree.
    roots: Vec<SpanNode>,
    /// Log lines written inside the trace, oldest first (at most 1000).
    logs: Vec<LogEvent>,
}

impl From<Trace> for TraceResponse {
    fn from(trace: Trace) -> Self {
        TraceResponse {
            start: format_rfc3339(trace.start_ns),
            duration_ms: trace.duration_ns() as f64 / 1e6,
            trace_id: trace.trace_id,
            span_count: trace.span_count,
            services: trace.services,
            error_count: trace.error_count,
            truncated: trace.truncated,
            roots: trace.roots.into_iter().map(SpanNode::from).collect(),
            logs: trace.logs.into_iter().map(LogEvent::from).collect(),
        }
    }
}

/// Every span of a trace as a tree, and the log lines written inside it.
#[utoipa::path(
    get, path = "/traces/{trace_id}", tag = "traces",
    params(("trace_id" = String, Path, description = "32 hex digits (shorter ids are zero-padded)")),
    responses((status = 200, body = TraceResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn get_trace(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(trace_id): Path<String>,
) -> Result<Json<TraceResponse>, ApiError> {
    let tenant = tenant(&headers)?;
    let trace_id = normalise_trace_id(&trace_id)?;
    let trace = state
        .backend()
        .query
        .trace(
            &tenant,
            &trace_id,
            state.config().max_query_limit,
            TRACE_LOG_LIMIT,
        )
        .await?;
    Ok(Json(TraceResponse::from(trace)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_trace_ids() {
        assert_eq!(
            normalise_trace_id("ABC").unwrap(),
            format!("{}abc", "0".repeat(29))
        );
        assert!(normalise_trace_id("xyz").is_err());
        assert!(normalise_trace_id(&"a".repeat(33)).is_err());
    }
}
