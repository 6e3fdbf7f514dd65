//! Prometheus' HTTP API, so Grafana's Prometheus data source and Prometheus' own tools
//! (`promtool query`) can use the server as a Prometheus: PromQL queries (`query.rs`), series,
//! label names and values (`series.rs`), exemplars, metadata, and the status endpoints
//! (`status.rs`). Parameters are read as Prometheus reads them (`params.rs`: query string and
//! form bodies, its time and duration forms), answers written as it writes them (`render.rs`:
//! `{"status":"success","data":...,"warnings"?}`), and every error is a [`PrometheusError`]:
//! `{"status":"error","errorType","error"}` with Prometheus' status codes.

pub(crate) mod params;
pub(crate) mod query;
pub(crate) mod render;
pub(crate) mod series;
pub(crate) mod status;
pub(crate) mod targets;

use std::collections::BTreeMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use telemetryhub_query::{SeriesMatcher, SeriesSelect};

use crate::params::{Params, tenant};
use crate::{AppState, PrometheusError};

const NS_PER_MS: i64 = 1_000_000;

/// Metric metadata by metric family: `{"data": {"<metric>": [{"type", "help", "unit"}]}}`.
#[utoipa::path(
    get, path = "/api/v1/metadata", tag = "prometheus",
    params(
        ("metric" = Option<String>, Query, description = "Only this metric family"),
        ("limit" = Option<usize>, Query, description = "At most this many metrics"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{metric: [{type, help, unit}]}}"), (status = 400, body = crate::error::PrometheusErrorBody))
)]
pub(crate) async fn metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, PrometheusError> {
    let params = Params::from_query(query)?;
    let limit = params.limit(usize::MAX, usize::MAX)?;
    let entries = state
        .backend()
        .state
        .metric_metadata(&tenant(&headers)?, params.get("metric"))
        .await
        .map_err(crate::ApiError::from)?;
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
    Ok(render::success(&data, &[]))
}

/// A selection of one tenant's series by `matchers`, with samples from `start_ms` to `end_ms`
/// (both inclusive, as Prometheus' ranges are).
fn select_range(
    tenant: &str,
    matchers: Vec<SeriesMatcher>,
    start_ms: i64,
    end_ms: i64,
) -> SeriesSelect {
    SeriesSelect {
        tenant: tenant.to_string(),
        matchers,
        since_ns: start_ms.saturating_mul(NS_PER_MS),
        until_ns: end_ms
            .saturating_mul(NS_PER_MS)
            .saturating_add(NS_PER_MS - 1),
    }
}

#[cfg(test)]
mod tests;
