//! `GET /anomalies`, `GET /anomalies/{id}` (drill-down) and `POST /anomalies/{id}/feedback`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use telemetryhub_intelligence::anomaly_feedback::{Verdict, record_verdict};
use telemetryhub_intelligence::drill_down::{AnomalyDrillDown, drill_down};
use telemetryhub_model::{AnomalyQuery, format_rfc3339};
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

impl From<AnomalyDrillDown> for AnomalyDetail {
    fn from(drill_down: AnomalyDrillDown) -> Self {
        AnomalyDetail {
            feedback: drill_down.anomaly.feedback.clone(),
            anomaly: AnomalyEvent::from(drill_down.anomaly),
            points: drill_down
                .points
                .into_iter()
                .map(|p| DrillPoint {
                    ts: format_rfc3339(p.ts_ns),
                    value: p.value,
                })
                .collect(),
            log_patterns: drill_down
                .log_patterns
                .into_iter()
                .map(|change| PatternChange {
                    pattern_id: change.pattern_id,
                    template: change.template,
                    count_before: change.count_before,
                    count_during: change.count_during,
                })
                .collect(),
            exemplars: drill_down
                .exemplars
                .into_iter()
                .map(super::ExemplarEvent::from)
                .collect(),
            spans: SpanSummary {
                count: drill_down.spans.count,
                errors: drill_down.spans.errors,
                slowest: drill_down
                    .spans
                    .slowest
                    .into_iter()
                    .map(super::SpanEvent::from)
                    .collect(),
            },
        }
    }
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
    let drill_down = drill_down(
        state.backend(),
        state.patterns(),
        &tenant,
        &id,
        state.config().max_query_limit,
    )
    .await?;
    Ok(Json(AnomalyDetail::from(drill_down)))
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
    let id = anomaly_id(id)?;
    let Json(request) = body.map_err(|e| ApiError::invalid("body", e.body_text()))?;
    let verdict = Verdict::from_label(&request.label).ok_or_else(|| {
        ApiError::invalid(
            "label",
            format!(
                "label must be true_positive or false_positive, got {:?}",
                request.label
            ),
        )
    })?;
    record_verdict(state.backend(), &tenant(&headers)?, &id, verdict).await?;
    // The answer is the anomaly as `GET /anomalies/{id}` shows it now.
    get_anomaly(State(state), headers, Ok(Path(id))).await
}
