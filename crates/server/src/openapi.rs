//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TelemetryHub",
        description = "Ingest, store and query metrics, logs and traces; anomalies and log patterns. Every error has the body `{\"error\":{\"code\",\"message\",\"field?\",\"details?\"}}` (Prometheus' API: its own envelope); every response carries `X-Request-Id`."
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
        routes::otlp::otlp_logs_http,
        routes::otlp::otlp_metrics_http,
        routes::otlp::otlp_traces_http,
        routes::query::query_metrics,
        routes::query::query_logs,
        routes::query::query_exemplars,
        routes::sql::sql_get,
        routes::sql::sql_post,
        routes::prometheus::metadata,
        routes::loki::query::query,
        routes::loki::query::query_range,
        routes::loki::tail::tail,
        routes::loki::labels::labels,
        routes::loki::labels::label_values,
        routes::loki::labels::series,
        routes::loki::labels::index_stats,
        routes::loki::labels::index_volume,
        routes::loki::labels::detected_labels,
        routes::loki::labels::detected_fields,
        routes::loki::labels::patterns,
        routes::loki::buildinfo,
        routes::prometheus::query::query,
        routes::prometheus::query::query_range,
        routes::prometheus::query::format_query,
        routes::prometheus::query::query_exemplars,
        routes::prometheus::series::series,
        routes::prometheus::series::labels,
        routes::prometheus::series::label_values_of,
        routes::prometheus::status::buildinfo,
        routes::prometheus::status::runtimeinfo,
        routes::prometheus::status::flags,
        routes::prometheus::targets::targets,
        routes::prometheus::targets::scrape_pools,
        routes::prometheus::targets::targets_metadata,
        routes::prometheus::targets::reload,
        routes::traces::query_traces,
        routes::traces::get_trace,
        routes::jaeger::services,
        routes::jaeger::service_operations,
        routes::jaeger::operations,
        routes::jaeger::find_traces,
        routes::jaeger::get_trace,
                routes::anomalies::list_anomalies,
        routes::anomalies::get_anomaly,
        routes::anomalies::anomaly_feedback,
        routes::patterns::list_patterns,
        routes::patterns::get_pattern,
        routes::patterns::pattern_feedback,
        routes::records::ingest_file,
        routes::records::dead_letters,
        routes::records::replay,
        routes::records::summary,
        routes::records::sources,
        routes::records::recent,
        routes::records::anomalies,
    ),
    modifiers(&SqlTables),
    tags(
        (name = "health", description = "Liveness, health and self-metrics"),
        (name = "ingest", description = "The original JSON ingest API"),
        (name = "query", description = "The original query API"),
        (name = "sql", description = "Read-only SQL over the caller's metrics, logs, spans, exemplars, anomalies and patterns; the tables and their columns are described at `/query/sql`"),
        (name = "traces", description = "Traces: span search and span trees"),
        (name = "loki", description = "Loki's HTTP API (LogQL queries, live tail, labels, series, index statistics and volume, detected labels, patterns), for Grafana's Loki data source. Errors here are plain text, as Loki answers them"),
        (name = "prometheus", description = "Prometheus' HTTP API (PromQL queries, series, labels, exemplars, metadata, status), for Grafana's Prometheus data source and promtool. Errors here have Prometheus' envelope `{\"status\":\"error\",\"errorType\",\"error\"}`"),
        (name = "jaeger", description = "Jaeger's query API, for Grafana's Jaeger data source"),
        (name = "anomalies", description = "Detected anomalies"),
        (name = "patterns", description = "Log patterns: a template for every log line"),
        (name = "records", description = "Execution records (job runs) from files: standardised by the configured mappings, stored as log lines; dead letters; the original pipeline's analytics"),
    )
)]
struct ApiDoc;

/// Writes the SQL tables and their columns into the description of `/query/sql`, from the
/// schemas the SQL session uses, so the docs cannot drift from them.
struct SqlTables;

impl Modify for SqlTables {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(item) = openapi.paths.paths.get_mut("/query/sql") else {
            return;
        };
        let tables = routes::sql::tables_markdown();
        for operation in [item.get.as_mut(), item.post.as_mut()]
            .into_iter()
            .flatten()
        {
            let own = operation.description.take().unwrap_or_default();
            operation.description = Some(format!("{own}\n\n{tables}"));
        }
    }
}

/// The OpenAPI document of the whole API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
