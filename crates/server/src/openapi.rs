//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TelemetryHub",
        description = "Ingest, store and query metrics and logs; anomalies and log patterns. Every error has the body `{\"error\":{\"code\",\"message\",\"field?\",\"details?\"}}`; every response carries `X-Request-Id`."
    ),
    paths(
        routes::health::heartbeat,
        routes::health::health,
        routes::health::ready,
        routes::health::prometheus_metrics,
        routes::health::flush,
        routes::ingest::ingest_metrics,
                routes::ingest::ingest_logs,
                routes::ingest::loki_push,
                routes::ingest::remote_write,
                routes::ingest::otlp_logs,
        routes::ingest::otlp_metrics,
        routes::query::query_metrics,
        routes::query::query_logs,
                routes::anomalies::list_anomalies,
        routes::anomalies::get_anomaly,
        routes::anomalies::anomaly_feedback,
        routes::patterns::list_patterns,
        routes::patterns::get_pattern,
        routes::patterns::pattern_feedback,
    ),
    tags(
        (name = "health", description = "Liveness, health and self-metrics"),
        (name = "ingest", description = "The original JSON ingest API"),
        (name = "query", description = "The original query API"),
        (name = "anomalies", description = "Detected anomalies"),
        (name = "patterns", description = "Log patterns: a template for every log line"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of the whole API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
