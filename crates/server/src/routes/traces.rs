//! `GET /query/traces` (span search) and `GET /traces/{trace_id}` (one trace as a span tree,
//! with the log lines written inside it).

use std::collections::{BTreeSet, HashMap, HashSet};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::Serialize;
use telemetryhub_model::{ErrorCode, LogQuery, Span, SpanQuery, SpanStatus, format_rfc3339};
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
    let limit = state.config().max_query_limit;
    let (spans, truncated) =
        trace_spans(&state, &tenant, std::slice::from_ref(&trace_id), limit).await?;
    if spans.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no trace with id {trace_id}"),
        ));
    }
    let mut logs = state
        .backend()
        .query
        .logs(&LogQuery {
            tenant,
            service: None,
            level: None,
            since_ns: 0,
            until_ns: i64::MAX,
            contains: None,
            pattern_ids: None,
            trace_id: Some(trace_id.clone()),
            limit: TRACE_LOG_LIMIT,
        })
        .await?;
    logs.reverse();
    let start_ns = spans.iter().map(|s| s.start_ns).min().unwrap_or(0);
    let end_ns = spans
        .iter()
        .map(|s| s.start_ns.saturating_add(s.duration_ns))
        .max()
        .unwrap_or(start_ns);
    Ok(Json(TraceResponse {
        trace_id,
        span_count: spans.len(),
        services: spans
            .iter()
            .map(|s| s.service.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        start: format_rfc3339(start_ns),
        duration_ms: (end_ns - start_ns) as f64 / 1e6,
        error_count: spans
            .iter()
            .filter(|s| s.status == SpanStatus::Error)
            .count(),
        truncated,
        roots: span_tree(spans),
        logs: logs.into_iter().map(LogEvent::from).collect(),
    }))
}

/// All stored spans of some traces (any time), earliest first, and whether there may be more
/// than `limit`. A span stored twice (an exporter retried a batch that had in fact arrived) is
/// returned once.
pub(crate) async fn trace_spans(
    state: &AppState,
    tenant: &str,
    trace_ids: &[String],
    limit: usize,
) -> Result<(Vec<Span>, bool), ApiError> {
    let mut spans = state
        .backend()
        .query
        .spans(&SpanQuery {
            tenant: tenant.to_string(),
            trace_ids: Some(trace_ids.to_vec()),
            since_ns: 0,
            until_ns: i64::MAX,
            limit,
            ..SpanQuery::default()
        })
        .await?;
    // Judged on what the store returned, before duplicates are dropped.
    let truncated = spans.len() >= limit;
    spans.reverse();
    let mut seen = HashSet::new();
    spans.retain(|s| seen.insert((s.trace_id.clone(), s.span_id.clone())));
    Ok((spans, truncated))
}

/// Arranges spans (earliest first) into trees. A span whose parent is not among them is a root,
/// so a trace whose parent spans were lost still shows every span.
fn span_tree(spans: Vec<Span>) -> Vec<SpanNode> {
    let ids: HashSet<String> = spans.iter().map(|s| s.span_id.clone()).collect();
    let mut children: HashMap<String, Vec<Span>> = HashMap::new();
    let mut roots = Vec::new();
    for span in spans {
        match span
            .parent_span_id
            .clone()
            .filter(|p| ids.contains(p) && *p != span.span_id)
        {
            Some(parent) => children.entry(parent).or_default().push(span),
            None => roots.push(span),
        }
    }
    fn build(span: Span, children: &mut HashMap<String, Vec<Span>>) -> SpanNode {
        let kids = children.remove(&span.span_id).unwrap_or_default();
        SpanNode {
            children: kids.into_iter().map(|kid| build(kid, children)).collect(),
            span: SpanEvent::from(span),
        }
    }
    let mut nodes: Vec<SpanNode> = roots.into_iter().map(|r| build(r, &mut children)).collect();
    // Spans in a parent cycle (malformed input) are reachable from no root; keep them visible.
    let mut rest: Vec<Span> = children.into_values().flatten().collect();
    rest.sort_by_key(|s| s.start_ns);
    nodes.extend(rest.into_iter().map(|span| SpanNode {
        span: SpanEvent::from(span),
        children: Vec::new(),
    }));
    nodes
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::SpanKind;

    use super::*;

    fn span(id: &str, parent: Option<&str>, start_ns: i64) -> Span {
        Span {
            tenant: "t".into(),
            trace_id: "ab".repeat(16),
            span_id: id.into(),
            parent_span_id: parent.map(str::to_string),
            service: "s".into(),
            name: "op".into(),
            kind: SpanKind::Internal,
            start_ns,
            duration_ns: 1,
            status: SpanStatus::Unset,
            status_message: None,
            attributes: None,
            events: None,
            links: None,
        }
    }

    fn shape(nodes: &[SpanNode]) -> Vec<(String, Vec<String>)> {
        nodes
            .iter()
            .map(|n| {
                (
                    n.span.span_id.clone(),
                    n.children.iter().map(|c| c.span.span_id.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn builds_the_tree_and_keeps_orphans_and_cycles() {
        let tree = span_tree(vec![
            span("a", None, 0),
            span("b", Some("a"), 1),
            span("c", Some("a"), 2),
            span("d", Some("lost"), 3),
            span("x", Some("y"), 4),
            span("y", Some("x"), 5),
        ]);
        let roots = shape(&tree);
        assert_eq!(roots[0], ("a".to_string(), vec!["b".into(), "c".into()]));
        assert_eq!(roots[1], ("d".to_string(), vec![]));
        let cyclic: Vec<&str> = roots[2..].iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(cyclic, vec!["x", "y"]);
    }

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
