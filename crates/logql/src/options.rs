//! The engine's limits and settings.

/// Limits and settings of query evaluation.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// The largest `limit` a log query may ask for (Loki's `max_entries_limit_per_query`).
    pub max_entries_limit: usize,
    /// The most series a metric query may hold at any point (Loki's `max_query_series`).
    pub max_series: usize,
    /// The most samples a range aggregation may hold in memory at once.
    pub max_samples: usize,
    /// The most steps of a range query (Loki answers 11,000 points per series at most).
    pub max_steps: usize,
    /// How far back from now data may be read (Loki's `max_query_lookback`); `None`: no limit.
    pub max_look_back_ns: Option<i64>,
    /// How much time one read from the source covers: long queries are read in chunks of it.
    pub chunk_ns: i64,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_entries_limit: 5_000,
            max_series: 500,
            max_samples: 5_000_000,
            max_steps: 11_000,
            max_look_back_ns: None,
            chunk_ns: 3_600 * 1_000_000_000,
        }
    }
}
