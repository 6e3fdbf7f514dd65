//! The route table. One module per area of the API.

pub(crate) mod anomalies;
mod dto;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod jaeger;
pub(crate) mod loki;
pub(crate) mod otlp;
pub(crate) mod patterns;
pub(crate) mod prometheus;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod sql;
#[cfg(test)]
mod tests;
pub(crate) mod traces;

use axum::Router;
use axum::routing::{get, post};
use telemetryhub_model::ErrorCode;

pub(crate) use dto::*;

use crate::{ApiError, AppState};

/// Every API route. The server (`crate::app`) adds the API docs, the fallback and the layers.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(health::heartbeat))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(health::prometheus_metrics))
        .route("/ingest/metrics", post(ingest::ingest_metrics))
        .route("/ingest/logs", post(ingest::ingest_logs))
        .route(
            "/ingest/file",
            // The route streams the body and counts its bytes against its own limit
            // (`max_file_bytes`); axum's default (2 MB for multipart) would cut files short.
            post(records::ingest_file).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/records/dead-letters", get(records::dead_letters))
        .route("/records/dead-letters/replay", post(records::replay))
        .route("/analytics/summary", get(records::summary))
        .route("/analytics/sources", get(records::sources))
        .route("/analytics/recent", get(records::recent))
        .route("/analytics/anomalies", get(records::anomalies))
        .route("/loki/api/v1/push", post(ingest::loki_push))
        .route(
            "/loki/api/v1/query",
            get(loki::query::query).post(loki::query::query),
        )
        .route(
            "/loki/api/v1/query_range",
            get(loki::query::query_range).post(loki::query::query_range),
        )
        .route("/loki/api/v1/tail", get(loki::tail::tail))
        .route("/loki/api/v1/labels", get(loki::labels::labels))
        .route(
            "/loki/api/v1/label/{name}/values",
            get(loki::labels::label_values),
        )
        .route(
            "/loki/api/v1/series",
            get(loki::labels::series).post(loki::labels::series),
        )
        .route("/loki/api/v1/index/stats", get(loki::labels::index_stats))
        .route("/loki/api/v1/index/volume", get(loki::labels::index_volume))
        .route(
            "/loki/api/v1/detected_labels",
            get(loki::labels::detected_labels),
        )
        .route(
            "/loki/api/v1/detected_fields",
            get(loki::labels::detected_fields),
        )
        .route("/loki/api/v1/patterns", get(loki::labels::patterns))
        .route("/loki/api/v1/status/buildinfo", get(loki::buildinfo))
        .route("/api/v1/write", post(ingest::remote_write))
        .route("/v1/logs", post(otlp::otlp_logs_http))
        .route("/v1/metrics", post(otlp::otlp_metrics_http))
        .route("/v1/traces", post(otlp::otlp_traces_http))
        .route("/query/metrics", get(query::query_metrics))
        .route("/query/logs", get(query::query_logs))
        .route("/query/exemplars", get(query::query_exemplars))
        .route("/query/sql", get(sql::sql_get).post(sql::sql_post))
        .route("/api/v1/metadata", get(prometheus::metadata))
        .route(
            "/api/v1/query",
            get(prometheus::query::query).post(prometheus::query::query),
        )
        .route(
            "/api/v1/query_range",
            get(prometheus::query::query_range).post(prometheus::query::query_range),
        )
        .route(
            "/api/v1/format_query",
            get(prometheus::query::format_query).post(prometheus::query::format_query),
        )
        .route(
            "/api/v1/query_exemplars",
            get(prometheus::query::query_exemplars).post(prometheus::query::query_exemplars),
        )
        .route(
            "/api/v1/series",
            get(prometheus::series::series).post(prometheus::series::series),
        )
        .route(
            "/api/v1/labels",
            get(prometheus::series::labels).post(prometheus::series::labels),
        )
        .route(
            "/api/v1/label/{name}/values",
            get(prometheus::series::label_values_of),
        )
        .route(
            "/api/v1/status/buildinfo",
            get(prometheus::status::buildinfo),
        )
        .route(
            "/api/v1/status/runtimeinfo",
            get(prometheus::status::runtimeinfo),
        )
        .route("/api/v1/status/flags", get(prometheus::status::flags))
        .route("/api/v1/targets", get(prometheus::targets::targets))
        .route(
            "/api/v1/scrape_pools",
            get(prometheus::targets::scrape_pools),
        )
        .route(
            "/api/v1/targets/metadata",
            get(prometheus::targets::targets_metadata),
        )
        .route(
            "/-/reload",
            post(prometheus::targets::reload).put(prometheus::targets::reload),
        )
        .route("/query/traces", get(traces::query_traces))
        .route("/traces/{trace_id}", get(traces::get_trace))
        .route("/api/services", get(jaeger::services))
        .route(
            "/api/services/{service}/operations",
            get(jaeger::service_operations),
        )
        .route("/api/operations", get(jaeger::operations))
        .route("/api/traces", get(jaeger::find_traces))
        .route("/api/traces/{trace_id}", get(jaeger::get_trace))
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
}

/// The answer to a path no route serves, in the one error shape.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no route for {}", uri.path()))
}
