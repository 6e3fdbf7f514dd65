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

/// Execution records stored, by the source system they came from (their `source` label, as the
/// original pipeline's `log_entries_by_source_total` counted them).
pub(crate) static RECORDS_BY_SOURCE: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "log_entries_by_source_total",
        "Execution records stored, by source system",
        &["source"]
    )
    .expect("metric registers once")
});

/// Execution records that could not be processed, by type (as the original pipeline's
/// `processing_errors_total`): `standardisation` for records set aside as dead letters.
pub(crate) static RECORD_ERRORS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "processing_errors_total",
        "Execution records that could not be processed, by type",
        &["type"]
    )
    .expect("metric registers once")
});

/// Distinct source label values counted apart; later ones share [`OTHER_SOURCE`], so data
/// cannot grow the label set without bound.
const MAX_SOURCE_LABELS: usize = 1_000;

/// The label value of sources past [`MAX_SOURCE_LABELS`].
const OTHER_SOURCE: &str = "__other__";

/// The `source` label value a record is counted under.
pub(crate) fn bounded_source_label(source: &str) -> String {
    static SEEN: LazyLock<std::sync::Mutex<std::collections::HashSet<String>>> =
        LazyLock::new(Default::default);
    let mut seen = SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if seen.contains(source) || seen.len() < MAX_SOURCE_LABELS {
        seen.insert(source.to_string());
        source.to_string()
    } else {
        OTHER_SOURCE.to_string()
    }
}
