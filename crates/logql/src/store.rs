//! One tenant's log streams in the store, read through the query layer
//! ([`QueryEngine::log_streams`]): the [`LogSource`] the server evaluates LogQL over.

use async_trait::async_trait;
use telemetryhub_query::{LogStreamSelect, QueryEngine};

use crate::{Direction, LogEntry, LogSelection, LogSource, LogStream, LogqlError};

/// One tenant's log streams, through the query layer.
pub struct TenantLogSource<'a> {
    /// The query layer.
    pub engine: &'a QueryEngine,
    /// Whose lines.
    pub tenant: &'a str,
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
            contains: selection
                .line_filters
                .iter()
                .filter(|hint| !hint.negated)
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
                    .map(|entry| LogEntry {
                        ts_ns: entry.ts_ns,
                        line: entry.line,
                        structured_metadata: entry.metadata,
                        pattern_id: entry.pattern_id,
                    })
                    .collect(),
            })
            .collect())
    }
}
