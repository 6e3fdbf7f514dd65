//! PromQL's self-metrics: queries by type and outcome, time spent fetching series and
//! evaluating, and samples fetched.

use std::sync::LazyLock;

use prometheus::{
    HistogramVec, IntCounter, IntCounterVec, register_histogram_vec, register_int_counter,
    register_int_counter_vec,
};

/// Queries by type (`instant`, `range`) and outcome (`ok`, or the error type).
pub(crate) static QUERIES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_promql_queries_total",
        "PromQL queries by type and outcome (ok or Prometheus' error type)",
        &["type", "outcome"]
    )
    .expect("metric registers once")
});

/// Seconds per stage (`fetch`: reading the selectors' series; `eval`: evaluating).
pub(crate) static STAGE_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_promql_stage_duration_seconds",
        "PromQL time per stage: fetch (series read for the selectors) and eval",
        &["stage"],
        vec![
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0
        ]
    )
    .expect("metric registers once")
});

/// Samples fetched for queries' selectors.
pub(crate) static SAMPLES_FETCHED: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_promql_samples_fetched_total",
        "Samples read for PromQL selectors"
    )
    .expect("metric registers once")
});

/// Forces registration, so the families exist from the first scrape.
pub fn register_metrics() {
    LazyLock::force(&QUERIES);
    LazyLock::force(&STAGE_SECONDS);
    LazyLock::force(&SAMPLES_FETCHED);
}
