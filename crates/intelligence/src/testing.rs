//! Helpers of this crate's tests: a backend over a real embedded store in a temporary
//! directory, and anomalies and log lines stored in it.

use std::sync::Arc;

use telemetryhub_model::{Anomaly, Labels, Level, LogRecord, LogsWrite};
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_query::Backend;
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};

/// An embedded store in a temporary directory (kept while the first value lives).
pub(crate) fn temp_backend() -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let storage =
        Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).expect("open the store"));
    (dir, Backend::of(storage))
}

/// An anomaly of tenant `t`'s series `payments/latency_ms` (no labels), two minutes from
/// `window_start_ns`, stored in `backend`.
pub(crate) async fn stored_anomaly(backend: &Backend, id: &str, window_start_ns: i64) -> Anomaly {
    let anomaly = Anomaly {
        id: id.into(),
        tenant: "t".into(),
        service: "payments".into(),
        metric: "latency_ms".into(),
        labels: Labels::new(),
        window_start_ns,
        window_end_ns: window_start_ns + 120_000_000_000,
        score: 0.9,
        threshold: 0.7,
        value: 950.0,
        expected_low: 90.0,
        expected_high: 110.0,
        detector: "robust-seasonal".into(),
        model_version: "test".into(),
        ts_ns: window_start_ns,
        feedback: None,
    };
    backend
        .state
        .put_anomalies(vec![anomaly.clone()])
        .await
        .expect("store the anomaly");
    anomaly
}

/// Stores tenant `t`'s lines `(service, level, message, ts_ns)` tagged with their patterns, as
/// ingest does; returns each line's pattern id.
pub(crate) async fn write_tagged_lines(
    backend: &Backend,
    tagger: &PatternTagger,
    lines: &[(&str, Level, &str, i64)],
) -> Vec<u64> {
    let mut records: Vec<LogRecord> = lines
        .iter()
        .map(|(service, level, message, ts_ns)| LogRecord {
            tenant: "t".into(),
            service: service.to_string(),
            level: *level,
            message: message.to_string(),
            ts_ns: *ts_ns,
            context: None,
            trace_id: None,
            span_id: None,
            pattern_id: None,
            stream_labels: None,
        })
        .collect();
    let outcome = tagger.tag("t", &mut records);
    let ids = records.iter().filter_map(|r| r.pattern_id).collect();
    let item_ids = vec![None; records.len()];
    backend
        .data
        .write_logs(LogsWrite {
            tenant: "t".into(),
            records,
            item_ids,
            idempotency: None,
            patterns: outcome.updates,
        })
        .await
        .expect("write the lines");
    ids
}
