//! PromQL for TelemetryHub: queries parsed with `promql-parser` and evaluated with Prometheus'
//! semantics (lookback, staleness, extrapolated rates, vector matching, the metric-name rules)
//! over a [`SeriesSource`] — the query layer's series selection in the server, memory in tests.
//!
//! A query is evaluated in two steps: every selector's time span is worked out from the syntax
//! tree and its series fetched once (`plan.rs`), then the tree is evaluated over all steps at
//! once, each node producing every step's values in one pass over its input (`eval.rs`), so a
//! range query costs one pass over each series' samples, not one query per step.

mod aggregate;
mod binary;
mod engine;
mod error;
mod eval;
mod functions;
mod grid;
mod metrics;
mod parallel;
mod plan;
mod range_functions;
mod selector;
mod series;
mod source;
mod value;

pub use engine::{Engine, EngineOptions, QueryResult, format_query, parse};
pub use error::PromqlError;
pub use metrics::register_metrics;
pub use selector::{query_selectors, series_selector};
#[cfg(feature = "store")]
pub use source::TenantSource;
pub use source::{MemorySource, RawSeries, SamplesShape, SeriesSource};
pub use value::{Sample, Series, Value, format_value, is_stale_marker, push_value, stale_marker};
