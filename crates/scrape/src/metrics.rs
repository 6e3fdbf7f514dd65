//! The scraper's self-metrics: scrapes by outcome, their duration, samples stored, targets per
//! pool, discovery failures and reloads. Pool labels are job names from the config: bounded.

use std::sync::LazyLock;

use prometheus::{
    Histogram, IntCounter, IntCounterVec, IntGaugeVec, register_histogram, register_int_counter,
    register_int_counter_vec, register_int_gauge_vec,
};

/// Scrapes by outcome: `ok`, or why they failed (`http`, `parse`, `limit`, `store`).
pub(crate) static SCRAPES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_scrapes_total",
        "Scrapes by outcome: ok, http (unreachable, status, timeout, body too large), parse, limit (sample or label limits), store",
        &["outcome"]
    )
    .expect("metric registers once")
});

/// Seconds per scrape, request to stored.
pub(crate) static SCRAPE_SECONDS: LazyLock<Histogram> = LazyLock::new(|| {
    register_histogram!(
        "telemetryhub_scrape_duration_seconds",
        "Time per scrape: request, parse, relabel and the durable write",
        vec![
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0
        ]
    )
    .expect("metric registers once")
});

/// Samples written by scrapes (the scrape series and staleness markers included).
pub(crate) static SAMPLES_STORED: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_scrape_samples_stored_total",
        "Samples stored by scrapes, with up, the scrape series and staleness markers"
    )
    .expect("metric registers once")
});

/// Targets per pool and state (`active`, `dropped`).
pub(crate) static TARGETS: LazyLock<IntGaugeVec> = LazyLock::new(|| {
    register_int_gauge_vec!(
        "telemetryhub_scrape_targets",
        "Targets per scrape pool (job) and state: active (scraped) or dropped by relabeling",
        &["pool", "state"]
    )
    .expect("metric registers once")
});

/// Failed discovery reads by mechanism (`file`, `http`).
pub(crate) static DISCOVERY_FAILURES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_scrape_discovery_failures_total",
        "Failed target discovery reads by mechanism (file, http); the last good targets stay",
        &["mechanism"]
    )
    .expect("metric registers once")
});

/// Configuration reloads by outcome (`ok`, `error`).
pub(crate) static RELOADS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_scrape_config_reloads_total",
        "Scrape configuration reloads by outcome (ok, error)",
        &["outcome"]
    )
    .expect("metric registers once")
});

/// Forces registration, so the families exist from the first scrape of `/metrics`.
pub fn register_metrics() {
    LazyLock::force(&SCRAPES);
    LazyLock::force(&SCRAPE_SECONDS);
    LazyLock::force(&SAMPLES_STORED);
    LazyLock::force(&TARGETS);
    LazyLock::force(&DISCOVERY_FAILURES);
    LazyLock::force(&RELOADS);
}
