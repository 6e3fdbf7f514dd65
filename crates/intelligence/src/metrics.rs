//! The background jobs' self-metrics (names as the original design and the dashboards use them).

use std::sync::LazyLock;

use prometheus::{HistogramVec, IntCounterVec, register_histogram_vec, register_int_counter_vec};

/// Anomalies detected by service and metric, as named by the original design.
pub(crate) static ANOMALIES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetry_anomalies_total",
        "Anomalies detected by service and metric",
        &["service", "metric"]
    )
    .expect("metric registers once")
});

/// Points the anomaly job read but did not score: their series came past `max_series`.
pub(crate) static UNSCORED_POINTS: LazyLock<prometheus::IntCounter> = LazyLock::new(|| {
    prometheus::register_int_counter!(
        "telemetryhub_anomaly_unscored_points_total",
        "Points the anomaly job did not score because their series came past --anomaly-max-series"
    )
    .expect("metric registers once")
});

/// Pattern summaries written, by source.
pub(crate) static SUMMARIES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_pattern_summaries_total",
        "Pattern summaries written, by source (llm or rule)",
        &["source"]
    )
    .expect("metric registers once")
});

/// LLM requests that fell back to the rule, by reason.
pub(crate) static LLM_FAILURES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_llm_failures_total",
        "LLM summary requests that fell back to the rule, by reason",
        &["reason"]
    )
    .expect("metric registers once")
});

/// How long each run of an analysis job took, by job.
pub(crate) static RUN_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_analysis_job_duration_seconds",
        "Durations of analysis job runs (anomalies, summaries)",
        &["job"],
        vec![0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0]
    )
    .expect("metric registers once")
});
