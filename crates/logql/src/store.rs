//! One tenant's log streams in the store, read through the query layer
//! ([`QueryEngine::log_streams`]): the [`LogSource`] the server evaluates LogQL over.
//!
//! Each line's pattern id is also given as structured metadata `pattern_id` — the id the
//! pattern has now, through merges, when a resolver is given — so metric queries can group by
//! it (`sum by (pattern_id) (count_over_time(…))`) and a filter `| pattern_id="7"` finds the
//! lines of the pattern `/patterns` shows as 7, including those of patterns merged into it.

use async_trait::async_trait;
use telemetryhub_query::{LogStreamSelect, QueryEngine};

use crate::{
    Direction, LogEntry, LogSelection, LogSource, LogStream, LogqlError, PATTERN_ID_LABEL,
};

/// Maps a stored pattern id to the id of the pattern it belongs to now (through merges).
pub type PatternResolver = std::sync::Arc<dyn Fn(u64) -> u64 + Send + Sync>;

/// One tenant's log streams, through the query layer.
pub struct TenantLogSource<'a> {
    /// The query layer.
    pub engine: &'a QueryEngine,
    /// Whose lines.
    pub tenant: &'a str,
    /// Resolves stored pattern ids; ids are given as stored when `None`.
    pub resolve_pattern: Option<PatternResolver>,
}

#[async_trait]
impl LogSource for TenantLogSource<'_> {
    async fn select(&self, selection: &LogSelection) -> Result<Vec<LogStream>, LogqlError> {
        let select = LogStreamSelect {
            tenant: self.tenant.to_string(),
            matchers: selection.matchers.clone(),
            since_ns: selection.start_ns,
            until_ns: selection.end_ns,
            // Only inclusions are pushed into the scan; the pipeline applies every filter again.
            // A regex's required literals too: they let the line index skip blocks.
            contains: selection
                .line_filters
                .iter()
                .filter(|hint| !hint.negated)
                .flat_map(|hint| match hint.regex {
                    false => vec![hint.text.clone()],
                    true => crate::required_literals(&hint.text),
                })
                .collect(),
            matches: selection
                .line_filters
                .iter()
                .filter(|hint| !hint.negated && hint.regex)
                .map(|hint| hint.text.clone())
                .collect(),
            limit: selection.limit,
            backward: selection.direction == Direction::Backward,
        };
        let streams =
            self.engine
                .log_streams(&select)
                .await
                .map_err(|error| LogqlError::Storage {
                    message: error.to_string(),
                    retry_after_secs: error.retry_after_secs(),
                })?;
        Ok(streams
            .into_iter()
            .map(|stream| LogStream {
                labels: stream.labels,
                entries: stream
                    .entries
                    .into_iter()
                    .map(|entry| {
                        let pattern_id = entry.pattern_id.map(|id| {
                            self.resolve_pattern
                                .as_ref()
                                .map_or(id, |resolve| resolve(id))
                        });
                        let mut structured_metadata = entry.metadata;
                        if let Some(id) = pattern_id {
                            structured_metadata.retain(|(name, _)| name != PATTERN_ID_LABEL);
                            structured_metadata
                                .push((PATTERN_ID_LABEL.to_string(), id.to_string()));
                            structured_metadata.sort();
                        }
                        LogEntry {
                            ts_ns: entry.ts_ns,
                            line: entry.line,
                            structured_metadata,
                            pattern_id,
                        }
                    })
                    .collect(),
            })
            .collect())
    }
}
