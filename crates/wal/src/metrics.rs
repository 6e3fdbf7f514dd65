//! The WAL's self-metrics.

use std::sync::LazyLock;

use prometheus::{
    Histogram, IntCounter, IntGauge, register_histogram, register_int_counter, register_int_gauge,
};

/// Bytes in all live segment files.
pub(crate) static WAL_BYTES: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_wal_bytes",
        "Bytes in live write-ahead log segments"
    )
    .expect("metric registers once")
});

/// Duration of each group-commit fdatasync.
pub(crate) static FSYNC_SECONDS: LazyLock<Histogram> = LazyLock::new(|| {
    register_histogram!(
        "telemetryhub_wal_fsync_duration_seconds",
        "Duration of write-ahead log fsyncs (one per group commit)",
        vec![
            0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0
        ]
    )
    .expect("metric registers once")
});

/// Records appended.
pub(crate) static RECORDS: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_wal_records_total",
        "Records appended to the write-ahead log"
    )
    .expect("metric registers once")
});

/// Group commits (fsyncs) performed.
pub(crate) static COMMITS: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_wal_commits_total",
        "Group commits (fsyncs) of the write-ahead log"
    )
    .expect("metric registers once")
});
