//! Prometheus' HTTP API, as far as TelemetryHub answers it: `GET /api/v1/metadata` (what
//! remote_write senders said about their metric families). Answers use Prometheus' envelope
//! `{"status": "success", "data": ...}`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// Metric metadata by metric family: `{"data": {"<metric>": [{"type", "help", "unit"}]}}`.
#[utoipa::path(
    get, path = "/api/v1/metadata", tag = "prometheus",
    params(
        ("metric" = Option<String>, Query, description = "Only this metric family"),
        ("limit" = Option<usize>, Query, description = "At most this many metrics"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{metric: [{type, help, unit}]}}"), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_query(query)?;
    let limit = params.limit(usize::MAX, usize::MAX)?;
    let entries = state
        .backend()
        .state
        .metric_metadata(&tenant(&headers)?, params.get("metric"))
        .await?;
    let data: BTreeMap<String, Value> = entries
        .into_iter()
        .take(limit)
        .map(|m| {
            (
                m.metric,
                json!([{"type": m.kind, "help": m.help, "unit": m.unit}]),
            )
        })
        .collect();
    Ok(Json(json!({"status": "success", "data": data})))
}
