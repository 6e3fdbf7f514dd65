//! The HTTP layer's self-metrics, including the domain metrics named by the original design.

use std::sync::LazyLock;

use prometheus::{
    Histogram, HistogramVec, IntCounterVec, IntGauge, register_histogram, register_histogram_vec,
    register_int_counter_vec, register_int_gauge,
};

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Requests by route template, method and status.
pub(crate) static HTTP_REQUESTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "http_requests_total",
        "HTTP requests by route, method and status",
        &["route", "method", "status"]
    )
    .expect("metric registers once")
});

/// Request latency by route template.
pub(crate) static HTTP_LATENCY: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "http_request_duration_seconds",
        "HTTP request latency by route",
        &["route"],
        LATENCY_BUCKETS.to_vec()
    )
    .expect("metric registers once")
});

/// Ingest requests by type (`metric` or `log`), as named by the original design.
pub(crate) static INGEST_REQUESTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetry_ingest_requests_total",
        "Ingest requests by type",
        &["type"]
    )
    .expect("metric registers once")
});

/// Ingest latency, as named by the original design.
pub(crate) static INGEST_LATENCY: LazyLock<Histogram> = LazyLock::new(|| {
    register_histogram!(
        "telemetry_ingest_latency_seconds",
        "Ingest request latency",
        LATENCY_BUCKETS.to_vec()
    )
    .expect("metric registers once")
});

/// Counter families that `/metrics` lists even before their first sample.
pub(crate) const ANNOUNCED_FAMILIES: &[(&str, &str)] = &[
    (
        "telemetry_anomalies_total",
        "Anomalies detected by service and metric",
    ),
    (
        "telemetry_log_clusters_total",
        "Log patterns (clusters) by service",
    ),
];

/// Log clusters (patterns) by service, as named by the original design.
pub(crate) static LOG_CLUSTERS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetry_log_clusters_total",
        "Log patterns (clusters) by service",
        &["service"]
    )
    .expect("metric registers once")
});

/// What remote_write requests carried besides stored samples, by kind.
pub(crate) static REMOTE_WRITE_EXTRAS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_remote_write_received_total",
        "remote_write content besides points: non-finite samples stored (staleness markers among them), exemplars stored and skipped, metadata entries",
        &["kind"]
    )
    .expect("metric registers once")
});

/// Items (points or lines) accepted, by type.
pub(crate) static INGEST_ITEMS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_ingest_items_total",
        "Items accepted by ingest, by type",
        &["type"]
    )
    .expect("metric registers once")
});

/// Seconds since the process started.
pub(crate) static UPTIME: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_uptime_seconds",
        "Seconds since the server started"
    )
    .expect("metric registers once")
});

/// Forces registration so every family exists from the first scrape.
pub(crate) fn register_all() {
    LazyLock::force(&HTTP_REQUESTS);
    LazyLock::force(&HTTP_LATENCY);
    LazyLock::force(&INGEST_REQUESTS);
    LazyLock::force(&INGEST_LATENCY);
    LazyLock::force(&LOG_CLUSTERS);
    LazyLock::force(&INGEST_ITEMS);
    LazyLock::force(&UPTIME);
    telemetryhub_promql::register_metrics();
    telemetryhub_scrape::register_metrics();
    for kind in ["metric", "log"] {
        INGEST_REQUESTS.with_label_values(&[kind]);
        INGEST_ITEMS.with_label_values(&[kind]);
    }
}
