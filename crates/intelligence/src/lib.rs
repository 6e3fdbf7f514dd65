//! Background intelligence over stored telemetry.
//!
//! [`summaries`]: a job that writes a concise summary for new or grown log patterns, rule-based
//! by default or by any OpenAI-compatible chat-completions endpoint ([`llm`]), always falling
//! back to the rule on error. [`anomalies`]: a job that scores every metric series online and
//! records anomaly windows. Alerting will live here too.

#![deny(missing_docs)]

pub mod anomalies;
pub mod llm;
pub mod summaries;

use std::time::Duration;

/// Waits one `interval`; `false` when `stop` was notified instead (the job should end).
pub(crate) async fn next_tick(interval: Duration, stop: &tokio::sync::Notify) -> bool {
    tokio::select! {
        _ = stop.notified() => false,
        _ = tokio::time::sleep(interval) => true,
    }
}

/// Logs how a job's run went: what it wrote (when anything), or why it failed.
pub(crate) fn log_run(
    outcome: Result<usize, telemetryhub_storage::StorageError>,
    wrote: &str,
    failed: &str,
) {
    match outcome {
        Ok(0) => {}
        Ok(written) => tracing::info!(written, "{wrote}"),
        Err(error) => tracing::error!(%error, "{failed}"),
    }
}
