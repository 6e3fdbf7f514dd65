//! Where LogQL reads log lines from: [`LogSource`], implemented by the store in the server and
//! in memory by [`MemorySource`] (tests, fuzzing).

use async_trait::async_trait;
use telemetryhub_model::{Labels, SeriesMatcher};

use crate::LogqlError;

/// One log line as read from storage.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    /// The line.
    pub line: String,
    /// Structured metadata (Loki's per-line labels), as name-value pairs.
    pub structured_metadata: Vec<(String, String)>,
    /// The line's log pattern, when the pattern miner tagged it.
    pub pattern_id: Option<u64>,
}

/// A stream: its labels (its identity) and its entries in ascending time order.
#[derive(Debug, Clone, PartialEq)]
pub struct LogStream {
    /// The stream labels.
    pub labels: Labels,
    /// The entries, oldest first.
    pub entries: Vec<LogEntry>,
}

/// Which end of a time range a log query reads first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Oldest first.
    Forward,
    /// Newest first (Loki's default).
    #[default]
    Backward,
}

/// A substring every returned line must contain (`|= "x"`) or must not contain (`!= "x"`), or a
/// regex every returned line must match somewhere (`|~ "x"`): a pushdown hint the source may
/// ignore, because the pipeline applies it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFilterHint {
    /// The text.
    pub text: String,
    /// Whether lines containing it are excluded instead (substrings only).
    pub negated: bool,
    /// Whether `text` is a regex (the `regex` crate's syntax, unanchored, as the pipeline
    /// compiles `|~`) rather than a substring.
    pub regex: bool,
}

impl LineFilterHint {
    /// Whether `line` passes the hint (a regex that does not compile passes every line: the
    /// pipeline refuses it).
    pub fn passes(&self, line: &str) -> bool {
        if self.regex {
            return regex::Regex::new(&self.text).map_or(true, |re| re.is_match(line))
                != self.negated;
        }
        line.contains(self.text.as_str()) != self.negated
    }
}

/// What a query asks a source for.
#[derive(Debug, Clone)]
pub struct LogSelection {
    /// Streams matching all of these.
    pub matchers: Vec<SeriesMatcher>,
    /// Entries at or after this time, ns.
    pub start_ns: i64,
    /// Entries before this time, ns (exclusive).
    pub end_ns: i64,
    /// Substring filters every returned line must pass (a hint; may be ignored).
    pub line_filters: Vec<LineFilterHint>,
    /// At most this many entries over all streams, the first ones in `direction` (a hint when
    /// line filters beyond the hints follow; a source returning more is correct, only slower).
    pub limit: Option<usize>,
    /// Which end of the range `limit` keeps.
    pub direction: Direction,
}

/// Selects log streams.
#[async_trait]
pub trait LogSource: Send + Sync {
    /// The streams matching the selection, with their entries in it in ascending time order;
    /// streams without an entry there may be left out.
    async fn select(&self, selection: &LogSelection) -> Result<Vec<LogStream>, LogqlError>;
}

/// Log streams held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    streams: Vec<LogStream>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> MemorySource {
        MemorySource::default()
    }

    /// Adds an entry to the stream with `labels` (created when new), keeping time order.
    pub fn push(&mut self, labels: &Labels, entry: LogEntry) {
        let index = match self.streams.iter().position(|s| &s.labels == labels) {
            Some(index) => index,
            None => {
                self.streams.push(LogStream {
                    labels: labels.clone(),
                    entries: Vec::new(),
                });
                self.streams.len() - 1
            }
        };
        let entries = &mut self.streams[index].entries;
        let at = entries.partition_point(|e| e.ts_ns <= entry.ts_ns);
        entries.insert(at, entry);
    }

    /// Adds a plain line (no metadata, no pattern).
    pub fn add(&mut self, labels: &Labels, ts_ns: i64, line: &str) {
        self.push(
            labels,
            LogEntry {
                ts_ns,
                line: line.to_string(),
                structured_metadata: Vec::new(),
                pattern_id: None,
            },
        );
    }
}

#[async_trait]
impl LogSource for MemorySource {
    async fn select(&self, selection: &LogSelection) -> Result<Vec<LogStream>, LogqlError> {
        let mut out = Vec::new();
        for stream in &self.streams {
            if !selection
                .matchers
                .iter()
                .all(|m| m.matches_labels(&stream.labels))
            {
                continue;
            }
            let entries: Vec<LogEntry> = stream
                .entries
                .iter()
                .filter(|e| e.ts_ns >= selection.start_ns && e.ts_ns < selection.end_ns)
                .filter(|e| {
                    selection
                        .line_filters
                        .iter()
                        .all(|hint| hint.passes(&e.line))
                })
                .cloned()
                .collect();
            if !entries.is_empty() {
                out.push(LogStream {
                    labels: stream.labels.clone(),
                    entries,
                });
            }
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(out)
    }
}
