//! The storage engine's self-metrics.

use std::sync::LazyLock;

use prometheus::{
    HistogramVec, IntCounter, IntCounterVec, IntGauge, register_histogram_vec,
    register_int_counter, register_int_counter_vec, register_int_gauge,
};

/// Rows in the in-memory buffer.
pub(crate) static BUFFERED_ROWS: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_buffer_rows",
        "Rows held in the in-memory write buffer"
    )
    .expect("metric registers once")
});

/// Bytes in the in-memory buffer.
pub(crate) static BUFFERED_BYTES: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_buffer_bytes",
        "Approximate bytes held by the in-memory write buffer"
    )
    .expect("metric registers once")
});

/// Metric series known to the buffer (every generation: active and frozen).
pub(crate) static BUFFERED_SERIES: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_buffer_series",
        "Metric series in the in-memory write buffer's series index (cardinality since the last flush)"
    )
    .expect("metric registers once")
});

/// Flushes by outcome.
pub(crate) static FLUSHES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_flushes_total",
        "Buffer flushes to Parquet, by outcome",
        &["outcome"]
    )
    .expect("metric registers once")
});

/// Live parts.
pub(crate) static PARTS: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!("telemetryhub_parts", "Parquet parts in the catalog")
        .expect("metric registers once")
});

/// Bytes of live parts.
pub(crate) static PART_BYTES: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!("telemetryhub_part_bytes", "Bytes of Parquet parts on disk")
        .expect("metric registers once")
});

/// Compactions performed.
pub(crate) static COMPACTIONS: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_compactions_total",
        "Compactions of small Parquet parts into one"
    )
    .expect("metric registers once")
});

/// Day partitions dropped by retention.
pub(crate) static RETENTION_DROPS: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_retention_dropped_partitions_total",
        "Day partitions dropped by retention"
    )
    .expect("metric registers once")
});

/// Metric samples rolled up into `metrics_hourly` by flushes.
pub(crate) static ROLLUP_SAMPLES: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_rollup_samples_total",
        "Metric samples rolled up into the hourly rollups at flush"
    )
    .expect("metric registers once")
});

/// Rows (series and hour) written to `metrics_hourly` by flushes.
pub(crate) static ROLLUP_ROWS: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_rollup_rows_total",
        "Hourly rollup rows (one series' hour) written at flush, before merging"
    )
    .expect("metric registers once")
});

/// Dead letters evicted to keep each tenant within `max_dead_letters`. No tenant label: tenants
/// are named by clients, so their number is unbounded; the warning logged names the tenant.
pub(crate) static DEAD_LETTERS_EVICTED: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_dead_letters_evicted_total",
        "Dead letters (execution records set aside) evicted, oldest first, to keep each tenant within --max-dead-letters"
    )
    .expect("metric registers once")
});

/// Writes refused because the buffer is full.
pub(crate) static BACKPRESSURE: LazyLock<IntCounter> = LazyLock::new(|| {
    register_int_counter!(
        "telemetryhub_backpressure_rejections_total",
        "Writes refused with 503 because the buffer was full"
    )
    .expect("metric registers once")
});

/// Durations of background jobs by job.
pub(crate) static JOB_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_background_job_duration_seconds",
        "Durations of storage background jobs (flush, compaction, retention; rollup: the part of each flush spent rolling up)",
        &["job"],
        vec![0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0]
    )
    .expect("metric registers once")
});

/// Segments of decoded samples asked of the sample cache, by whether it held them.
pub(crate) static SAMPLE_CACHE_SEGMENTS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_sample_cache_segments_total",
        "Segments (one series' rows of a part between two index marks) that metric reads asked of the decoded-sample cache, by result (hit, miss)",
        &["result"]
    )
    .expect("metric registers once")
});

/// Bytes held by the sample cache.
pub(crate) static SAMPLE_CACHE_BYTES: LazyLock<IntGauge> = LazyLock::new(|| {
    register_int_gauge!(
        "telemetryhub_sample_cache_bytes",
        "Bytes of decoded samples held by the sample cache (--sample-cache-bytes)"
    )
    .expect("metric registers once")
});
