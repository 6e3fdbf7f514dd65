//! The route table. One module per area of the API.

pub(crate) mod anomalies;
mod dto;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod patterns;
pub(crate) mod query;

use axum::Router;
use axum::routing::{get, post};
use telemetryhub_model::ErrorCode;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use utoipa_swagger_ui::SwaggerUi;

pub(crate) use dto::*;

use crate::{ApiError, AppState};

pub(crate) fn router(state: AppState) -> Router {
    crate::metrics::register_all();
    let mut document = crate::openapi::openapi_document();
    document.info.title = state.config().app_name.clone();
    Router::new()
        .route("/", get(health::heartbeat))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(health::prometheus_metrics))
        .route("/ingest/metrics", post(ingest::ingest_metrics))
        .route("/ingest/logs", post(ingest::ingest_logs))
        .route("/loki/api/v1/push", post(ingest::loki_push))
        .route("/api/v1/write", post(ingest::remote_write))
        .route("/v1/logs", post(ingest::otlp_logs))
        .route("/v1/metrics", post(ingest::otlp_metrics))
        .route("/query/metrics", get(query::query_metrics))
        .route("/query/logs", get(query::query_logs))
        .route("/anomalies", get(anomalies::list_anomalies))
        .route("/anomalies/{id}", get(anomalies::get_anomaly))
        .route(
            "/anomalies/{id}/feedback",
            post(anomalies::anomaly_feedback),
        )
        .route("/flush", post(health::flush))
        .route("/patterns", get(patterns::list_patterns))
        .route("/patterns/{id}", get(patterns::get_pattern))
        .route("/patterns/{id}/feedback", post(patterns::pattern_feedback))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", document))
        .fallback(not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(crate::middleware::observe))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no route for {}", uri.path()))
}
