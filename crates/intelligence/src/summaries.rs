//! The pattern summary job: every interval, patterns that are new or have doubled since their
//! last summary get a new one — from the LLM when one is configured and answers, from the rule
//! (`telemetryhub_pipeline::summarize`) otherwise.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use telemetryhub_model::{PatternCountsQuery, PatternSummary, now_ns};
use telemetryhub_pipeline::{PatternTagger, PatternTotals, fold_counts, summarize};
use telemetryhub_query::Backend;

use crate::JobError;

use crate::llm::{LlmClient, LlmError, SummaryRequest};
use crate::metrics::{LLM_FAILURES, SUMMARIES};

/// Patterns summarised per run at most, so one run stays short.
const MAX_PER_RUN: usize = 200;

/// Writes pattern summaries; see the module documentation.
pub struct SummaryJob {
    backend: Backend,
    tagger: Arc<PatternTagger>,
    llm: Option<LlmClient>,
    /// Counts (and growth) are judged over this window.
    window: Duration,
}

impl SummaryJob {
    /// A job over `backend`'s lines and `tagger`'s patterns; `llm` is optional.
    pub fn new(backend: Backend, tagger: Arc<PatternTagger>, llm: Option<LlmClient>) -> SummaryJob {
        SummaryJob {
            backend,
            tagger,
            llm,
            window: Duration::from_secs(24 * 3600),
        }
    }

    /// One pass over every tenant; returns how many summaries were written.
    pub async fn run_once(&self) -> Result<usize, JobError> {
        let mut written = 0;
        for tenant in self.tagger.tenants() {
            written += self.run_tenant(&tenant).await?;
        }
        Ok(written)
    }

    async fn run_tenant(&self, tenant: &str) -> Result<usize, JobError> {
        let now = now_ns();
        let query = PatternCountsQuery {
            tenant: tenant.to_string(),
            service: None,
            level: None,
            since_ns: now.saturating_sub(self.window.as_nanos() as i64),
            until_ns: now.saturating_add(86_400_000_000_000),
        };
        let counts = self.backend.query.pattern_counts(&query).await?;
        let totals = fold_counts(counts, |id| self.tagger.resolve(tenant, id));
        let existing: HashMap<u64, PatternSummary> = self
            .backend
            .state
            .pattern_summaries(tenant)
            .await?
            .into_iter()
            .map(|s| (s.pattern_id, s))
            .collect();
        let due: Vec<(u64, &PatternTotals)> = totals
            .iter()
            .filter(|(id, t)| {
                existing
                    .get(id)
                    .is_none_or(|s| t.count >= s.support_count.saturating_mul(2).max(1))
            })
            .map(|(id, t)| (*id, t))
            .take(MAX_PER_RUN)
            .collect();
        let requests: Vec<SummaryRequest> = due
            .iter()
            .filter_map(|(id, totals)| {
                let pattern = self.tagger.pattern(tenant, *id)?;
                Some(SummaryRequest {
                    id: *id,
                    template: pattern.template,
                    levels: totals.level_names().iter().map(|l| l.to_string()).collect(),
                    services: totals
                        .service_names()
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    count: totals.count,
                    samples: pattern.samples,
                })
            })
            .collect();
        let mut summaries = Vec::new();
        let batch_size = self
            .llm
            .as_ref()
            .map_or(requests.len().max(1), LlmClient::batch_size);
        for batch in requests.chunks(batch_size) {
            let from_llm = match &self.llm {
                None => HashMap::new(),
                Some(llm) => match llm.summarize(batch).await {
                    Ok(answers) => answers,
                    Err(error) => {
                        let reason = match error {
                            LlmError::BudgetSpent(_) => "budget",
                            LlmError::Status { .. } => "status",
                            LlmError::BadAnswer(_) => "bad_answer",
                            _ => "request",
                        };
                        LLM_FAILURES.with_label_values(&[reason]).inc();
                        tracing::warn!(%error, "LLM summary failed; using the rule-based summary");
                        HashMap::new()
                    }
                },
            };
            for request in batch {
                let (text, source) = match from_llm.get(&request.id) {
                    Some(text) => (text.clone(), "llm"),
                    None => {
                        let levels: Vec<&str> = request.levels.iter().map(String::as_str).collect();
                        let services: Vec<&str> =
                            request.services.iter().map(String::as_str).collect();
                        (
                            summarize(
                                &request.template,
                                &levels,
                                &services,
                                request.count,
                                &request.samples,
                            ),
                            "rule",
                        )
                    }
                };
                SUMMARIES.with_label_values(&[source]).inc();
                summaries.push(PatternSummary {
                    tenant: tenant.to_string(),
                    pattern_id: request.id,
                    text,
                    source: source.to_string(),
                    support_count: request.count,
                    updated_ns: now,
                });
            }
        }
        let written = summaries.len();
        self.backend.state.put_pattern_summaries(summaries).await?;
        Ok(written)
    }

    /// Runs the job every `interval` until `stop` is notified.
    pub fn spawn(
        self: Arc<Self>,
        interval: Duration,
        stop: Arc<tokio::sync::Notify>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            while crate::next_tick(interval, &stop).await {
                crate::timed_run(
                    "summaries",
                    self.run_once(),
                    "wrote log pattern summaries",
                    "pattern summary job failed",
                )
                .await;
            }
        })
    }
}

#[cfg(test)]
mod tests;
