//! The query layer's self-metrics.

use std::sync::LazyLock;

use prometheus::{HistogramVec, register_histogram_vec};

/// Query durations by kind.
pub(crate) static QUERY_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_query_duration_seconds",
        "Storage query durations by kind",
        &["kind"],
        vec![
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0
        ]
    )
    .expect("metric registers once")
});

/// SQL queries by outcome (`ok`, `truncated`, `invalid`, `timeout`, `error`) and duration; the
/// histogram's `_count` counts them.
pub(crate) static SQL_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_sql_query_duration_seconds",
        "SQL query durations by outcome",
        &["outcome"],
        vec![
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0, 60.0
        ]
    )
    .expect("metric registers once")
});
