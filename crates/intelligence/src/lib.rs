//! Background intelligence over stored telemetry, and the answers built on it.
//!
//! [`summaries`]: a job that writes a concise summary for new or grown log patterns, rule-based
//! by default or by any OpenAI-compatible chat-completions endpoint ([`llm`]), always falling
//! back to the rule on error. [`anomalies`]: a job that scores every metric series online and
//! records anomaly windows. Alerting will live here too.
//!
//! What people ask of these results is answered here too, so the server only translates:
//! [`drill_down`] (an anomaly with the signals around it), [`anomaly_feedback`] (verdicts that
//! move a series' threshold) and [`pattern_catalog`] (log patterns with counts, summaries and
//! feedback, and the feedback itself, merges included). [`records`]: execution records — the
//! write path every record source shares, the dead-letter replay and the original pipeline's
//! analytics over the stored records.

#![deny(missing_docs)]

pub mod anomalies;
pub mod anomaly_feedback;
pub mod drill_down;
mod error;
pub mod llm;
mod metrics;
pub mod pattern_catalog;
pub mod records;
pub mod summaries;
#[cfg(test)]
mod testing;

use std::time::Duration;

pub use error::JobError;

/// Waits one `interval`; `false` when `stop` was notified instead (the job should end).
pub(crate) async fn next_tick(interval: Duration, stop: &tokio::sync::Notify) -> bool {
    tokio::select! {
        _ = stop.notified() => false,
        _ = tokio::time::sleep(interval) => true,
    }
}

/// Runs one pass of a job, records its duration and logs how it went: what it wrote (when
/// anything), or why it failed.
pub(crate) async fn timed_run(
    job: &str,
    run: impl std::future::Future<Output = Result<usize, JobError>>,
    wrote: &str,
    failed: &str,
) {
    let started = std::time::Instant::now();
    let outcome = run.await;
    metrics::RUN_SECONDS
        .with_label_values(&[job])
        .observe(started.elapsed().as_secs_f64());
    match outcome {
        Ok(0) => {}
        Ok(written) => tracing::info!(
            written,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "{wrote}"
        ),
        Err(error) => tracing::error!(%error, "{failed}"),
    }
}
