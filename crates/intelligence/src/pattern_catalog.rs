//! The log pattern catalogue as people browse it: every pattern of a time range with its
//! counts, summary and feedback, ranked; one pattern with its count over time; and feedback
//! (names, notes, mute, importance, merges).
//!
//! Counts come from the stored lines (per stored pattern id, service and level, in the asked
//! time range); templates, samples and merges from the tagger; names, notes, mute and importance
//! from feedback; summaries from the summary job, else the rule applied now. Ids merged into
//! another pattern are counted with it.

use std::collections::{BTreeMap, HashMap};

use telemetryhub_model::{Level, PatternCountsQuery, PatternFeedback, PatternSummary};
use telemetryhub_pipeline::{PatternTagger, PatternTotals, fold_counts, summarize};
use telemetryhub_query::Backend;

use crate::JobError;

/// Longest name or note feedback may give, in bytes.
pub const MAX_FEEDBACK_TEXT_BYTES: usize = 1000;
/// A pattern's histogram covers at least the last hour by default.
const DEFAULT_DETAIL_LOOKBACK_NS: i64 = 3_600_000_000_000;
/// Default histogram: the range in this many buckets...
const DEFAULT_BUCKETS: i64 = 60;
/// ...each at least a minute wide.
const MIN_DEFAULT_STEP_NS: i64 = 60_000_000_000;
/// Narrowest histogram bucket asked for.
const MIN_STEP_NS: i64 = 1_000_000_000;

/// How a pattern list is ranked (after important patterns, which always come first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PatternOrder {
    /// Most lines first.
    #[default]
    Count,
    /// Newest first line first.
    New,
    /// Most error lines first, then most lines.
    Errors,
}

/// Which lines are counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineFilter {
    /// Only lines of this service.
    pub service: Option<String>,
    /// Only lines of this level.
    pub level: Option<Level>,
}

/// A tenant's patterns with lines in a time range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternListQuery {
    /// Whose patterns.
    pub tenant: String,
    /// Which lines count.
    pub lines: LineFilter,
    /// Lines at or after this time, ns.
    pub since_ns: i64,
    /// Lines before this time, ns.
    pub until_ns: i64,
    /// The ranking.
    pub order: PatternOrder,
    /// Whether muted patterns are listed too.
    pub include_muted: bool,
    /// Most patterns returned.
    pub limit: usize,
}

/// One pattern of a tenant with its count over time. Absent bounds take defaults that depend
/// on the pattern: see [`PatternCatalog::detail`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternDetailQuery {
    /// Whose pattern.
    pub tenant: String,
    /// The pattern id (a merged id stands for the pattern it was merged into).
    pub id: u64,
    /// Which lines count.
    pub lines: LineFilter,
    /// Lines at or after this time, ns.
    pub since_ns: Option<i64>,
    /// Lines before this time, ns.
    pub until_ns: Option<i64>,
    /// Histogram bucket width, ns.
    pub step_ns: Option<i64>,
    /// The time the defaults are relative to, ns.
    pub now_ns: i64,
}

/// A pattern with its counts in a time range and what people and the summary job added.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternOverview {
    /// The pattern id.
    pub id: u64,
    /// The template, variables written `<*>`.
    pub template: String,
    /// Up to five example messages.
    pub samples: Vec<String>,
    /// Its lines in the range (merged patterns' lines included).
    pub totals: PatternTotals,
    /// Name, note, mute and importance (defaults when none was given).
    pub feedback: PatternFeedback,
    /// One-line summary: the summary job's when it wrote one, else the rule's.
    pub summary: String,
    /// `llm` or `rule`.
    pub summary_source: String,
}

/// A pattern with its count over time.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternDetail {
    /// The pattern and its counts in the range.
    pub overview: PatternOverview,
    /// Histogram bucket width, ns.
    pub step_ns: i64,
    /// `(bucket start ns, lines)`, oldest first; empty buckets omitted.
    pub histogram: Vec<(i64, u64)>,
}

/// Feedback on a pattern; absent fields keep their previous value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedbackChange {
    /// A new name; blank clears it.
    pub name: Option<String>,
    /// A new note; blank clears it.
    pub note: Option<String>,
    /// Hide the pattern from default lists, or show it again.
    pub mute: Option<bool>,
    /// Flag it as important, or not.
    pub important: Option<bool>,
    /// Merge it into this pattern: its lines count there, and future lines of its shape go
    /// there.
    pub merge_into: Option<u64>,
}

/// The catalogue over a backend's lines and state and a tagger's patterns.
pub struct PatternCatalog<'a> {
    backend: &'a Backend,
    tagger: &'a PatternTagger,
}

/// What people and the summary job added to a tenant's patterns.
struct Annotations {
    feedback: HashMap<u64, PatternFeedback>,
    summaries: HashMap<u64, PatternSummary>,
}

/// A pattern's line counts over time among the lines of some streams (Loki's patterns API).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamPattern {
    /// The pattern id (merged patterns counted with the one they resolve to).
    pub id: u64,
    /// The template, variables as `<*>`.
    pub template: String,
    /// `(bucket start ns, lines)`, in time order, buckets without lines left out.
    pub samples: Vec<(i64, u64)>,
}

impl<'a> PatternCatalog<'a> {
    /// The catalogue of `backend`'s lines and `tagger`'s patterns.
    pub fn new(backend: &'a Backend, tagger: &'a PatternTagger) -> PatternCatalog<'a> {
        PatternCatalog { backend, tagger }
    }

    /// The patterns with lines in the range, ranked by [`rank`]; muted ones only when asked.
    pub async fn list(&self, query: &PatternListQuery) -> Result<Vec<PatternOverview>, JobError> {
        let totals = self
            .totals(&query.tenant, &query.lines, query.since_ns, query.until_ns)
            .await?;
        let annotations = self.annotations(&query.tenant).await?;
        let mut overviews: Vec<PatternOverview> = totals
            .into_iter()
            .filter_map(|(id, totals)| self.overview(&query.tenant, id, totals, &annotations))
            .filter(|o| query.include_muted || !o.feedback.muted)
            .collect();
        rank(&mut overviews, query.order);
        overviews.truncate(query.limit);
        Ok(overviews)
    }

    /// One pattern (through merges) with its count over time. The range defaults to the
    /// pattern's whole life, at least the last hour, up to now; the step to the range in 60
    /// buckets, at least a minute each. [`JobError::PatternNotFound`] for an unknown id;
    /// [`JobError::InvalidArgument`] for an empty range or a step under a second.
    pub async fn detail(&self, query: &PatternDetailQuery) -> Result<PatternDetail, JobError> {
        let tenant = query.tenant.as_str();
        let not_found = || JobError::PatternNotFound(query.id);
        let pattern = self
            .tagger
            .pattern(tenant, query.id)
            .ok_or_else(not_found)?;
        let id = pattern.id;
        let now = query.now_ns;
        let since_ns = query.since_ns.unwrap_or(
            pattern
                .first_seen_ns
                .min(now.saturating_sub(DEFAULT_DETAIL_LOOKBACK_NS)),
        );
        let until_ns = query.until_ns.unwrap_or(now.saturating_add(1));
        if since_ns >= until_ns {
            return Err(JobError::InvalidArgument {
                field: "since",
                message: "since must be earlier than until".into(),
            });
        }
        let step_ns = query.step_ns.unwrap_or_else(|| {
            (until_ns.saturating_sub(since_ns) / DEFAULT_BUCKETS).max(MIN_DEFAULT_STEP_NS)
        });
        if step_ns < MIN_STEP_NS {
            return Err(JobError::InvalidArgument {
                field: "step",
                message: "step must be at least 1s".into(),
            });
        }
        let mut totals = self
            .totals(tenant, &query.lines, since_ns, until_ns)
            .await?;
        let annotations = self.annotations(tenant).await?;
        let totals = totals
            .remove(&id)
            .unwrap_or_else(|| PatternTotals::empty(pattern.first_seen_ns));
        let overview = self
            .overview(tenant, id, totals, &annotations)
            .ok_or_else(not_found)?;
        let members = self.tagger.members(tenant, id);
        let histogram = self
            .backend
            .query
            .pattern_histogram(tenant, &members, since_ns, until_ns, step_ns)
            .await?;
        Ok(PatternDetail {
            overview,
            step_ns,
            histogram,
        })
    }

    /// The patterns of the lines of `tenant`'s streams matching every matcher in
    /// `since_ns..until_ns`, each with its line count per `step_ns` bucket; most lines first.
    /// Lines of patterns merged into another count with it; lines whose pattern the tagger no
    /// longer knows are left out.
    pub async fn stream_patterns(
        &self,
        tenant: &str,
        matchers: &[telemetryhub_query::SeriesMatcher],
        since_ns: i64,
        until_ns: i64,
        step_ns: i64,
    ) -> Result<Vec<StreamPattern>, JobError> {
        if step_ns < MIN_STEP_NS {
            return Err(JobError::InvalidArgument {
                field: "step",
                message: "step must be at least 1s".into(),
            });
        }
        let buckets = self
            .backend
            .query
            .log_pattern_buckets(tenant, matchers, since_ns, until_ns, step_ns)
            .await?;
        let mut by_pattern: HashMap<u64, BTreeMap<i64, u64>> = HashMap::new();
        for (stored, bucket, lines) in buckets {
            let id = self.tagger.resolve(tenant, stored);
            *by_pattern.entry(id).or_default().entry(bucket).or_default() += lines;
        }
        let mut patterns: Vec<StreamPattern> = by_pattern
            .into_iter()
            .filter_map(|(id, samples)| {
                let template = self.tagger.pattern(tenant, id)?.template;
                Some(StreamPattern {
                    id,
                    template,
                    samples: samples.into_iter().collect(),
                })
            })
            .collect();
        let total = |p: &StreamPattern| p.samples.iter().map(|(_, n)| n).sum::<u64>();
        patterns.sort_by(|a, b| total(b).cmp(&total(a)).then(a.id.cmp(&b.id)));
        Ok(patterns)
    }

    /// Applies feedback to a pattern (through merges) and persists it; a merge also applies to
    /// future lines. Returns the id the pattern resolves to now (the merge target, after a
    /// merge). [`JobError::PatternNotFound`] for an unknown id; [`JobError::InvalidArgument`]
    /// for a merge into an unknown pattern, itself or a cycle, or a name or note over
    /// [`MAX_FEEDBACK_TEXT_BYTES`].
    pub async fn give_feedback(
        &self,
        tenant: &str,
        id: u64,
        change: FeedbackChange,
    ) -> Result<u64, JobError> {
        let pattern = self
            .tagger
            .pattern(tenant, id)
            .ok_or(JobError::PatternNotFound(id))?;
        let id = pattern.id;
        if let Some(into) = change.merge_into {
            let changed = self.tagger.merge(tenant, id, into).ok_or_else(|| {
                JobError::InvalidArgument {
                    field: "merge_into",
                    message: format!(
                        "cannot merge pattern {id} into {into}: unknown pattern, the same pattern, or a cycle"
                    ),
                }
            })?;
            self.backend.state.save_patterns(changed).await?;
        }
        let mut feedback = self
            .backend
            .state
            .pattern_feedback(tenant)
            .await?
            .into_iter()
            .find(|(stored, _)| *stored == id)
            .map(|(_, f)| f)
            .unwrap_or_default();
        if let Some(name) = feedback_text(change.name, "name")? {
            feedback.name = name;
        }
        if let Some(note) = feedback_text(change.note, "note")? {
            feedback.note = note;
        }
        if let Some(mute) = change.mute {
            feedback.muted = mute;
        }
        if let Some(important) = change.important {
            feedback.important = important;
        }
        self.backend
            .state
            .put_pattern_feedback(tenant, id, feedback)
            .await?;
        Ok(self.tagger.resolve(tenant, id))
    }

    /// Lines per pattern (merged ids folded into their target) in `[since, until)`.
    async fn totals(
        &self,
        tenant: &str,
        lines: &LineFilter,
        since_ns: i64,
        until_ns: i64,
    ) -> Result<BTreeMap<u64, PatternTotals>, JobError> {
        let query = PatternCountsQuery {
            tenant: tenant.to_string(),
            service: lines.service.clone(),
            level: lines.level,
            since_ns,
            until_ns,
        };
        let counts = self.backend.query.pattern_counts(&query).await?;
        Ok(fold_counts(counts, |id| self.tagger.resolve(tenant, id)))
    }

    async fn annotations(&self, tenant: &str) -> Result<Annotations, JobError> {
        let state = &self.backend.state;
        Ok(Annotations {
            feedback: state.pattern_feedback(tenant).await?.into_iter().collect(),
            summaries: state
                .pattern_summaries(tenant)
                .await?
                .into_iter()
                .map(|s| (s.pattern_id, s))
                .collect(),
        })
    }

    /// The overview of pattern `id`, or `None` when the tagger no longer knows it.
    fn overview(
        &self,
        tenant: &str,
        id: u64,
        totals: PatternTotals,
        annotations: &Annotations,
    ) -> Option<PatternOverview> {
        let pattern = self.tagger.pattern(tenant, id)?;
        let (summary, summary_source) = match annotations.summaries.get(&id) {
            Some(stored) => (stored.text.clone(), stored.source.clone()),
            None => (
                summarize(
                    &pattern.template,
                    &totals.level_names(),
                    &totals.service_names(),
                    totals.count,
                    &pattern.samples,
                ),
                "rule".to_string(),
            ),
        };
        Some(PatternOverview {
            id,
            template: pattern.template,
            samples: pattern.samples,
            feedback: annotations.feedback.get(&id).cloned().unwrap_or_default(),
            summary,
            summary_source,
            totals,
        })
    }
}

/// Ranks patterns: important ones first, then by `order`, then by id. "Newest" compares first
/// lines, a line before 1970 counting as 1970 (as the API shows it).
pub fn rank(overviews: &mut [PatternOverview], order: PatternOrder) {
    overviews.sort_by(|a, b| {
        b.feedback
            .important
            .cmp(&a.feedback.important)
            .then_with(|| match order {
                PatternOrder::New => b.totals.first_ns.max(0).cmp(&a.totals.first_ns.max(0)),
                PatternOrder::Errors => b
                    .totals
                    .errors
                    .cmp(&a.totals.errors)
                    .then(b.totals.count.cmp(&a.totals.count)),
                PatternOrder::Count => b.totals.count.cmp(&a.totals.count),
            })
            .then(a.id.cmp(&b.id))
    });
}

/// A feedback text as a change: `None` keeps the old value, `Some(None)` clears it (blank
/// text), `Some(Some(text))` sets it.
fn feedback_text(
    value: Option<String>,
    field: &'static str,
) -> Result<Option<Option<String>>, JobError> {
    match value {
        None => Ok(None),
        Some(text) if text.len() > MAX_FEEDBACK_TEXT_BYTES => Err(JobError::InvalidArgument {
            field,
            message: format!("{field} must be at most {MAX_FEEDBACK_TEXT_BYTES} bytes"),
        }),
        Some(text) if text.trim().is_empty() => Ok(Some(None)),
        Some(text) => Ok(Some(Some(text))),
    }
}

#[cfg(test)]
mod tests;
