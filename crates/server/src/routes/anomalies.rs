//! `GET /anomalies`, `GET /anomalies/{id}` (drill-down) and `POST /anomalies/{id}/feedback`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use telemetryhub_intelligence::anomalies::{Verdict, threshold_after};
use telemetryhub_model::{
    Anomaly, AnomalyQuery, ErrorCode, LabelMatcher, MatchOp, MetricQuery, PatternCountsQuery,
    SpanQuery, SpanStatus, format_rfc3339,
};
use telemetryhub_pipeline::fold_counts;
use telemetryhub_storage::series_key;
use utoipa::ToSchema;

use super::AnomalyEvent;
use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// Detected anomalies, newest first. Empty until the anomaly detector runs.
#[utoipa::path(
    get, path = "/anomalies", tag = "anomalies",
    params(
        super::CommonQuery,
        ("metric" = Option<String>, Query, description = "Only this metric"),
        ("min_score" = Option<f64>, Query, description = "Minimum score in [0, 1]"),
    ),
    responses((status = 200, body = Vec<AnomalyEvent>), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn list_anomalies(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<AnomalyEvent>>, ApiError> {
    let params = Params::from_query(query)?;
    let (since_ns, until_ns) = params.range()?;
    let min_score = params.f64("min_score", 0.0)?;
    if !(0.0..=1.0).contains(&min_score) {
        return Err(ApiError::invalid(
            "min_score",
            "min_score must be between 0 and 1",
        ));
    }
    let query = AnomalyQuery {
        tenant: tenant(&headers)?,
        service: params.string("service"),
        metric: params.string("metric"),
        since_ns,
        until_ns,
        min_score,
        limit: params.limit(100, state.config().max_query_limit)?,
    };
    let anomalies = state.backend().state.query_anomalies(&query).await?;
    Ok(Json(
        anomalies.into_iter().map(AnomalyEvent::from).collect(),
    ))
}

/// A metric point of the drill-down.
#[derive(Serialize, ToSchema)]
pub(crate) struct DrillPoint {
    /// RFC 3339.
    pub ts: String,
    pub value: f64,
}

/// A log pattern whose rate changed in the anomaly's window.
#[derive(Serialize, ToSchema)]
pub(crate) struct PatternChange {
    pub pattern_id: u64,
    pub template: String,
    /// Lines in the window of the same length just before the anomaly.
    pub count_before: u64,
    /// Lines during the anomaly window.
    pub count_during: u64,
}

/// An anomaly with what is needed to understand it.
#[derive(Serialize, ToSchema)]
pub(crate) struct AnomalyDetail {
    #[serde(flatten)]
    pub anomaly: AnomalyEvent,
    /// `true_positive` or `false_positive`, once given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// The series' points around the window, oldest first.
    pub points: Vec<DrillPoint>,
    /// The log patterns of the same service whose line counts changed most (top 5).
    pub log_patterns: Vec<PatternChange>,
    /// Exemplars of the series in the window (newest 10), with links to their traces.
    pub exemplars: Vec<super::ExemplarEvent>,
    /// The same service's spans in the window: how many, how many failed, the 5 slowest.
    pub spans: SpanSummary,
}

/// A service's spans during an anomaly window.
#[derive(Serialize, ToSchema)]
pub(crate) struct SpanSummary {
    /// Spans that started in the window (counted up to 10,000).
    pub count: usize,
    /// Of those, spans with `status = error`.
    pub errors: usize,
    /// The slowest five, slowest first, each with a link to its trace.
    pub slowest: Vec<super::SpanEvent>,
}

/// Body of `POST /anomalies/{id}/feedback`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnomalyFeedbackRequest {
    /// `true_positive` or `false_positive`.
    label: String,
}

fn anomaly_id(id: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::invalid("id", "invalid anomaly id"))?;
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ApiError::invalid("id", "invalid anomaly id"));
    }
    Ok(id)
}

/// One anomaly, with the raw points around it (and the expected band) and the log patterns
/// whose rate changed most in the same window for the same service.
#[utoipa::path(
    get, path = "/anomalies/{id}", tag = "anomalies",
    params(("id" = String, Path, description = "Anomaly id")),
    responses((status = 200, body = AnomalyDetail), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn get_anomaly(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<AnomalyDetail>, ApiError> {
    let id = anomaly_id(id)?;
    let tenant = tenant(&headers)?;
    let anomaly = state
        .backend()
        .state
        .anomaly(&tenant, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no anomaly {id}")))?;
    // Context on both sides: three window lengths, at least 30 minutes.
    let length = (anomaly.window_end_ns - anomaly.window_start_ns).max(60_000_000_000);
    let margin = (3 * length).max(1_800_000_000_000);
    let query = MetricQuery {
        tenant: tenant.clone(),
        service: Some(anomaly.service.clone()),
        metric: Some(anomaly.metric.clone()),
        since_ns: anomaly.window_start_ns - margin,
        until_ns: anomaly.window_end_ns + margin,
        labels: anomaly
            .labels
            .iter()
            .map(|(name, value)| LabelMatcher {
                name: name.clone(),
                op: MatchOp::Equal,
                value: value.clone(),
            })
            .collect(),
        limit: state.config().max_query_limit,
    };
    let mut points: Vec<DrillPoint> = state
        .backend()
        .query
        .metrics(&query)
        .await?
        .into_iter()
        // Matchers also accept series with extra labels; the drill-down is about this one.
        .filter(|p| p.labels == anomaly.labels)
        .map(|p| DrillPoint {
            ts: format_rfc3339(p.ts_ns),
            value: p.value,
        })
        .collect();
    points.reverse();
    let log_patterns = pattern_changes(&state, &tenant, &anomaly).await?;
    // The window, widened to at least a minute so a one-point anomaly finds its neighbours.
    let (start, end) = (
        anomaly.window_start_ns,
        anomaly
            .window_end_ns
            .max(anomaly.window_start_ns + 60_000_000_000),
    );
    let exemplars = state
        .backend()
        .query
        .exemplars(&MetricQuery {
            since_ns: start,
            until_ns: end,
            limit: 10,
            ..query
        })
        .await?
        .into_iter()
        .map(super::ExemplarEvent::from)
        .collect();
    let spans = span_summary(&state, &tenant, &anomaly.service, start, end).await?;
    let feedback = anomaly.feedback.clone();
    Ok(Json(AnomalyDetail {
        anomaly: AnomalyEvent::from(anomaly),
        feedback,
        points,
        log_patterns,
        exemplars,
        spans,
    }))
}

/// How a service's spans looked in `[start, end)`.
async fn span_summary(
    state: &AppState,
    tenant: &str,
    service: &str,
    start: i64,
    end: i64,
) -> Result<SpanSummary, ApiError> {
    let mut spans = state
        .backend()
        .query
        .spans(&SpanQuery {
            tenant: tenant.to_string(),
            service: Some(service.to_string()),
            since_ns: start,
            until_ns: end,
            limit: 10_000,
            ..SpanQuery::default()
        })
        .await?;
    let count = spans.len();
    let errors = spans
        .iter()
        .filter(|s| s.status == SpanStatus::Error)
        .count();
    spans.sort_by_key(|s| std::cmp::Reverse(s.duration_ns));
    spans.truncate(5);
    Ok(SpanSummary {
        count,
        errors,
        slowest: spans.into_iter().map(super::SpanEvent::from).collect(),
    })
}

async fn pattern_changes(
    state: &AppState,
    tenant: &str,
    anomaly: &Anomaly,
) -> Result<Vec<PatternChange>, ApiError> {
    // The window, widened to at least a minute so a one-point anomaly has lines to compare.
    let start = anomaly.window_start_ns;
    let end = anomaly.window_end_ns.max(start + 60_000_000_000);
    let counts = |since_ns, until_ns| PatternCountsQuery {
        tenant: tenant.to_string(),
        service: Some(anomaly.service.clone()),
        level: None,
        since_ns,
        until_ns,
    };
    let resolve = |id| state.patterns().resolve(tenant, id);
    let during = fold_counts(
        state
            .backend()
            .query
            .pattern_counts(&counts(start, end))
            .await?,
        resolve,
    );
    let before = fold_counts(
        state
            .backend()
            .query
            .pattern_counts(&counts(start - (end - start), start))
            .await?,
        resolve,
    );
    let mut changes: Vec<PatternChange> = during
        .keys()
        .chain(before.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|id| {
            Some(PatternChange {
                pattern_id: *id,
                template: state.patterns().pattern(tenant, *id)?.template,
                count_before: before.get(id).map_or(0, |t| t.count),
                count_during: during.get(id).map_or(0, |t| t.count),
            })
        })
        .collect();
    changes.sort_by(|a, b| {
        let change = |c: &PatternChange| c.count_during.abs_diff(c.count_before);
        change(b)
            .cmp(&change(a))
            .then(a.pattern_id.cmp(&b.pattern_id))
    });
    changes.truncate(5);
    Ok(changes)
}

/// Says whether an anomaly was real. Persisted, and it moves that series' threshold: a false
/// positive raises it halfway from the anomaly's score to 1, so the same score no longer fires;
/// a true positive lowers it a quarter of the way towards 0.5.
#[utoipa::path(
    post, path = "/anomalies/{id}/feedback", tag = "anomalies",
    params(("id" = String, Path, description = "Anomaly id")),
    request_body = AnomalyFeedbackRequest,
    responses((status = 200, body = AnomalyDetail), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn anomaly_feedback(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<AnomalyFeedbackRequest>, JsonRejection>,
) -> Result<Json<AnomalyDetail>, ApiError> {
    let id_text = anomaly_id(id)?;
    let Json(request) = body.map_err(|e| ApiError::invalid("body", e.body_text()))?;
    let verdict = match request.label.as_str() {
        "true_positive" => Verdict::TruePositive,
        "false_positive" => Verdict::FalsePositive,
        other => {
            return Err(ApiError::invalid(
                "label",
                format!("label must be true_positive or false_positive, got {other:?}"),
            ));
        }
    };
    let tenant = tenant(&headers)?;
    let mut anomaly = state
        .backend()
        .state
        .anomaly(&tenant, &id_text)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no anomaly {id_text}")))?;
    let key = series_key(&tenant, &anomaly.service, &anomaly.metric, &anomaly.labels);
    let current = state
        .backend()
        .state
        .series_thresholds()
        .await?
        .into_iter()
        .find(|(series, _)| *series == key)
        .map_or(anomaly.threshold, |(_, threshold)| threshold);
    state
        .backend()
        .state
        .put_series_threshold(&key, threshold_after(verdict, current, anomaly.score))
        .await?;
    anomaly.feedback = Some(request.label);
    state.backend().state.put_anomalies(vec![anomaly]).await?;
    get_anomaly(State(state), headers, Ok(Path(id_text))).await
}
