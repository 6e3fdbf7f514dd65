//! An anomaly's drill-down: what someone needs to judge it, from every signal. The series'
//! points around the window, the log patterns of the same service whose line counts changed
//! most, the series' exemplars in the window (links to traces), and the service's spans there.

use std::collections::{BTreeMap, BTreeSet};

use telemetryhub_model::{
    Anomaly, Exemplar, LabelMatcher, MatchOp, MetricPoint, MetricQuery, PatternCountsQuery, Span,
    SpanQuery, SpanStatus,
};
use telemetryhub_pipeline::{PatternTagger, PatternTotals, fold_counts};
use telemetryhub_query::Backend;

use crate::JobError;

const MINUTE_NS: i64 = 60_000_000_000;
/// Context shown on each side of the window: three window lengths, at least this.
const MIN_CONTEXT_NS: i64 = 30 * MINUTE_NS;
/// Log patterns listed, those whose counts changed most.
const PATTERN_CHANGES: usize = 5;
/// Exemplars listed, the newest.
const EXEMPLARS: usize = 10;
/// Spans counted in the window, at most.
const SPANS_COUNTED: usize = 10_000;
/// Slowest spans listed.
const SLOWEST_SPANS: usize = 5;

/// An anomaly with what is needed to understand it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalyDrillDown {
    /// The anomaly, with its feedback if given.
    pub anomaly: Anomaly,
    /// The series' points around the window, oldest first.
    pub points: Vec<MetricPoint>,
    /// The log patterns of the same service whose line counts changed most, most changed first.
    pub log_patterns: Vec<PatternChange>,
    /// Exemplars of the series in the window, newest first.
    pub exemplars: Vec<Exemplar>,
    /// The same service's spans in the window.
    pub spans: SpanSummary,
}

/// A log pattern's line counts in an anomaly's window and in the window just before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternChange {
    /// The pattern (merged ids counted with the pattern they were merged into).
    pub pattern_id: u64,
    /// Its template.
    pub template: String,
    /// Lines in the window of the same length just before the anomaly.
    pub count_before: u64,
    /// Lines during the anomaly window.
    pub count_during: u64,
}

impl PatternChange {
    /// How much the count moved, either way.
    pub fn change(&self) -> u64 {
        self.count_during.abs_diff(self.count_before)
    }
}

/// A service's spans during an anomaly window.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanSummary {
    /// Spans that started in the window (counted up to 10,000).
    pub count: usize,
    /// Of those, spans with `status = error`.
    pub errors: usize,
    /// The slowest five, slowest first.
    pub slowest: Vec<Span>,
}

impl SpanSummary {
    /// The summary of a window's spans.
    pub fn of(mut spans: Vec<Span>) -> SpanSummary {
        let count = spans.len();
        let errors = spans
            .iter()
            .filter(|s| s.status == SpanStatus::Error)
            .count();
        spans.sort_by_key(|s| std::cmp::Reverse(s.duration_ns));
        spans.truncate(SLOWEST_SPANS);
        SpanSummary {
            count,
            errors,
            slowest: spans,
        }
    }
}

/// The drill-down of a tenant's anomaly `id`; `point_limit` caps the points read.
/// [`JobError::AnomalyNotFound`] when the tenant has no such anomaly.
pub async fn drill_down(
    backend: &Backend,
    patterns: &PatternTagger,
    tenant: &str,
    id: &str,
    point_limit: usize,
) -> Result<AnomalyDrillDown, JobError> {
    let anomaly = backend
        .state
        .anomaly(tenant, id)
        .await?
        .ok_or_else(|| JobError::AnomalyNotFound(id.to_string()))?;
    let (context_start, context_end) = context_range(&anomaly);
    let series = MetricQuery {
        tenant: tenant.to_string(),
        service: Some(anomaly.service.clone()),
        metric: Some(anomaly.metric.clone()),
        since_ns: context_start,
        until_ns: context_end,
        labels: anomaly
            .labels
            .iter()
            .map(|(name, value)| LabelMatcher {
                name: name.clone(),
                op: MatchOp::Equal,
                value: value.clone(),
            })
            .collect(),
        limit: point_limit,
    };
    let mut points: Vec<MetricPoint> = backend
        .query
        .metrics(&series)
        .await?
        .into_iter()
        // Matchers also accept series with extra labels; the drill-down is about this one.
        .filter(|p| p.labels == anomaly.labels)
        .collect();
    points.reverse();
    let (start, end) = judged_window(&anomaly);
    let log_patterns =
        pattern_changes(backend, patterns, tenant, &anomaly.service, start, end).await?;
    let exemplars = backend
        .query
        .exemplars(&MetricQuery {
            since_ns: start,
            until_ns: end,
            limit: EXEMPLARS,
            ..series
        })
        .await?;
    let spans = backend
        .query
        .spans(&SpanQuery {
            tenant: tenant.to_string(),
            service: Some(anomaly.service.clone()),
            since_ns: start,
            until_ns: end,
            limit: SPANS_COUNTED,
            ..SpanQuery::default()
        })
        .await?;
    Ok(AnomalyDrillDown {
        anomaly,
        points,
        log_patterns,
        exemplars,
        spans: SpanSummary::of(spans),
    })
}

/// The time shown around an anomaly: three window lengths (a window counting as at least a
/// minute) on each side, at least half an hour.
fn context_range(anomaly: &Anomaly) -> (i64, i64) {
    let length = (anomaly.window_end_ns - anomaly.window_start_ns).max(MINUTE_NS);
    let margin = length.saturating_mul(3).max(MIN_CONTEXT_NS);
    (
        anomaly.window_start_ns.saturating_sub(margin),
        anomaly.window_end_ns.saturating_add(margin),
    )
}

/// The window the other signals are judged in, `[start, end)`: the anomaly's, widened to at
/// least a minute so a one-point anomaly finds its neighbours.
fn judged_window(anomaly: &Anomaly) -> (i64, i64) {
    let start = anomaly.window_start_ns;
    (start, anomaly.window_end_ns.max(start + MINUTE_NS))
}

/// The service's log patterns whose counts changed most between the window of the same length
/// just before `[start, end)` and `[start, end)` itself.
async fn pattern_changes(
    backend: &Backend,
    patterns: &PatternTagger,
    tenant: &str,
    service: &str,
    start: i64,
    end: i64,
) -> Result<Vec<PatternChange>, JobError> {
    let counts = |since_ns, until_ns| PatternCountsQuery {
        tenant: tenant.to_string(),
        service: Some(service.to_string()),
        level: None,
        since_ns,
        until_ns,
    };
    let resolve = |id| patterns.resolve(tenant, id);
    let during = fold_counts(
        backend.query.pattern_counts(&counts(start, end)).await?,
        resolve,
    );
    let before = fold_counts(
        backend
            .query
            .pattern_counts(&counts(start.saturating_sub(end - start), start))
            .await?,
        resolve,
    );
    Ok(rank_pattern_changes(&before, &during, |id| {
        patterns.pattern(tenant, id).map(|p| p.template)
    }))
}

/// The five patterns whose counts moved most between `before` and `during` (ties: lower id
/// first). A pattern without a template (`template_of` gives none: no longer known) is left out.
pub fn rank_pattern_changes(
    before: &BTreeMap<u64, PatternTotals>,
    during: &BTreeMap<u64, PatternTotals>,
    template_of: impl Fn(u64) -> Option<String>,
) -> Vec<PatternChange> {
    let ids: BTreeSet<u64> = during.keys().chain(before.keys()).copied().collect();
    let mut changes: Vec<PatternChange> = ids
        .into_iter()
        .filter_map(|id| {
            Some(PatternChange {
                pattern_id: id,
                template: template_of(id)?,
                count_before: before.get(&id).map_or(0, |t| t.count),
                count_during: during.get(&id).map_or(0, |t| t.count),
            })
        })
        .collect();
    changes.sort_by(|a, b| {
        b.change()
            .cmp(&a.change())
            .then(a.pattern_id.cmp(&b.pattern_id))
    });
    changes.truncate(PATTERN_CHANGES);
    changes
}

#[cfg(test)]
mod tests;
