//! `GET /anomalies`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use telemetryhub_model::AnomalyQuery;

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
    let anomalies = state.storage().query_anomalies(&query).await?;
    Ok(Json(
        anomalies.into_iter().map(AnomalyEvent::from).collect(),
    ))
}
