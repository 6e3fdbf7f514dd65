//! Configurable limits on what one ingest request may carry.

/// Limits applied while decoding; exceeding one is a 413 (size, count) or 400 (shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body in bytes, after decompression.
    pub max_body_bytes: usize,
    /// Most items (points or log lines) in one request.
    pub max_items: usize,
    /// Most labels on one metric point.
    pub max_labels: usize,
    /// Longest service, metric or label name, in bytes.
    pub max_name_len: usize,
    /// Longest label value, in bytes.
    pub max_label_value_len: usize,
    /// Longest log message, in bytes.
    pub max_message_len: usize,
    /// Oldest accepted timestamp, as an age before now in ns. Set to the retention period:
    /// data older than that would be deleted at once, so it is refused instead of silently lost.
    pub max_age_ns: i64,
    /// How far past now a timestamp may be, ns (clock skew allowance).
    pub max_future_ns: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_items: 100_000,
            max_labels: 64,
            max_name_len: 256,
            max_label_value_len: 2048,
            max_message_len: 64 * 1024,
            max_age_ns: i64::MAX,
            max_future_ns: 86_400 * 1_000_000_000,
        }
    }
}
