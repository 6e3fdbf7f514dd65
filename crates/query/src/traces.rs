//! Traces from stored spans: one trace with the log lines written inside it, the spans of one
//! trace, and trace search (spans matching filters and tags, grouped into their traces).
//!
//! A trace has no time range of its own, so a trace's spans are read from all stored data.

use std::collections::{BTreeMap, HashMap, HashSet};

use telemetryhub_model::{LogQuery, Span, SpanQuery, Trace};

use crate::{QueryEngine, QueryError, Result};

/// Spans read per wanted trace while searching: a search matches spans, then keeps the newest
/// distinct traces among them, so it reads more spans than it returns traces.
const SPANS_PER_TRACE_SCANNED: usize = 50;

/// A trace search, as Jaeger's `find traces` asks it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceSearch {
    /// Only this tenant's traces are visible.
    pub tenant: String,
    /// Only traces with a matching span of this service.
    pub service: Option<String>,
    /// Only traces with a matching span of this operation (span name).
    pub operation: Option<String>,
    /// Only traces with a matching span at least this long, ns.
    pub min_duration_ns: Option<i64>,
    /// Only traces with a matching span at most this long, ns.
    pub max_duration_ns: Option<i64>,
    /// Only traces with a matching span that has all these tags (see
    /// [`Span::has_tags`](telemetryhub_model::Span::has_tags)).
    pub tags: BTreeMap<String, String>,
    /// Matching spans start at or after this time, ns.
    pub since_ns: i64,
    /// Matching spans start before this time, ns.
    pub until_ns: i64,
    /// Most traces returned.
    pub limit: usize,
    /// Most spans one read returns (the largest query the caller allows).
    pub max_spans: usize,
}

/// Spans of some traces, and whether there may have been more than were read.
struct TraceSpans {
    spans: Vec<Span>,
    truncated: bool,
}

impl QueryEngine {
    /// One trace: its spans (at most `span_limit`, the trace marked truncated when there may be
    /// more) as trees, and the log lines written inside it (the newest `log_limit`, oldest
    /// first). [`QueryError::TraceNotFound`] when no span of the trace is stored.
    pub async fn trace(
        &self,
        tenant: &str,
        trace_id: &str,
        span_limit: usize,
        log_limit: usize,
    ) -> Result<Trace> {
        let found = self
            .spans_of_traces(tenant, &[trace_id], span_limit)
            .await?;
        if found.spans.is_empty() {
            return Err(QueryError::TraceNotFound(trace_id.to_string()));
        }
        let mut logs = self
            .logs(&LogQuery {
                tenant: tenant.to_string(),
                service: None,
                level: None,
                since_ns: 0,
                until_ns: i64::MAX,
                contains: None,
                pattern_ids: None,
                trace_id: Some(trace_id.to_string()),
                limit: log_limit,
            })
            .await?;
        logs.reverse();
        Ok(Trace::assemble(
            trace_id.to_string(),
            found.spans,
            found.truncated,
            logs,
        ))
    }

    /// The spans of one trace (at most `limit`), earliest first, each once.
    /// [`QueryError::TraceNotFound`] when none is stored.
    pub async fn trace_spans(
        &self,
        tenant: &str,
        trace_id: &str,
        limit: usize,
    ) -> Result<Vec<Span>> {
        let found = self.spans_of_traces(tenant, &[trace_id], limit).await?;
        if found.spans.is_empty() {
            return Err(QueryError::TraceNotFound(trace_id.to_string()));
        }
        Ok(found.spans)
    }

    /// Traces with a span that matches `search`: the newest `search.limit` distinct traces
    /// among the matching spans, newest first, each with all its spans (earliest first).
    pub async fn find_traces(&self, search: &TraceSearch) -> Result<Vec<Vec<Span>>> {
        let matching = self
            .spans(&SpanQuery {
                tenant: search.tenant.clone(),
                service: search.service.clone(),
                name: search.operation.clone(),
                min_duration_ns: search.min_duration_ns,
                max_duration_ns: search.max_duration_ns,
                since_ns: search.since_ns,
                until_ns: search.until_ns,
                limit: search
                    .limit
                    .saturating_mul(SPANS_PER_TRACE_SCANNED)
                    .min(search.max_spans),
                ..SpanQuery::default()
            })
            .await?;
        let trace_ids = newest_traces(&matching, &search.tags, search.limit);
        if trace_ids.is_empty() {
            return Ok(Vec::new());
        }
        let found = self
            .spans_of_traces(&search.tenant, &trace_ids, search.max_spans)
            .await?;
        Ok(group_by_trace(found.spans, &trace_ids))
    }

    /// All stored spans of some traces (any time), earliest first, and whether there may be
    /// more than `limit`. A span stored twice (an exporter retried a batch that had in fact
    /// arrived) is returned once.
    async fn spans_of_traces(
        &self,
        tenant: &str,
        trace_ids: &[&str],
        limit: usize,
    ) -> Result<TraceSpans> {
        let mut spans = self
            .spans(&SpanQuery {
                tenant: tenant.to_string(),
                trace_ids: Some(trace_ids.iter().map(|id| id.to_string()).collect()),
                since_ns: 0,
                until_ns: i64::MAX,
                limit,
                ..SpanQuery::default()
            })
            .await?;
        // Judged on what the store returned, before duplicates are dropped.
        let truncated = spans.len() >= limit;
        spans.reverse();
        let mut seen = HashSet::new();
        spans.retain(|s| seen.insert((s.trace_id.clone(), s.span_id.clone())));
        Ok(TraceSpans { spans, truncated })
    }
}

/// The first `limit` distinct traces of `spans` (newest first) among spans with the wanted tags.
fn newest_traces<'a>(
    spans: &'a [Span],
    tags: &BTreeMap<String, String>,
    limit: usize,
) -> Vec<&'a str> {
    let mut trace_ids: Vec<&str> = Vec::new();
    for span in spans {
        if trace_ids.len() == limit {
            break;
        }
        if !trace_ids.contains(&span.trace_id.as_str()) && span.has_tags(tags) {
            trace_ids.push(&span.trace_id);
        }
    }
    trace_ids
}

/// Spans grouped by trace, in the order of `trace_ids`; a trace without spans is left out.
fn group_by_trace(spans: Vec<Span>, trace_ids: &[&str]) -> Vec<Vec<Span>> {
    let mut by_trace: HashMap<String, Vec<Span>> = HashMap::new();
    for span in spans {
        by_trace
            .entry(span.trace_id.clone())
            .or_default()
            .push(span);
    }
    trace_ids
        .iter()
        .filter_map(|id| by_trace.remove(*id))
        .collect()
}

#[cfg(test)]
mod tests;
