//! LogQL for TelemetryHub: queries parsed with a winnow grammar mirroring Loki's `syntax.y`
//! and evaluated with Loki's semantics over a [`LogSource`] of log streams — the store in the
//! server, memory in tests and fuzzing.
//!
//! A log query runs each selected entry through its pipeline (`pipeline/`) and groups the
//! surviving lines by their resulting labels. A metric query turns each entry into a sample
//! (a count, its size or an unwrapped label value), aggregates the samples of each step's
//! window `(t - range, t]` per series, then evaluates vector aggregations and binary operators
//! over every step at once.

#![deny(missing_docs)]

pub mod ast;
mod detected;
mod display;
mod engine;
mod error;
mod literals;
mod ops;
mod options;
mod parser;
mod pipeline;
mod range;
mod selector;
mod source;
#[cfg(feature = "store")]
mod store;
mod template;
mod units;
mod validate;
mod value;

pub use ast::Expr;
pub use ast::series_matcher;
pub use detected::{DetectedField, detected_fields};
pub use display::quote;
pub use engine::Engine;
pub use error::LogqlError;
pub use literals::required_literals;
pub use options::EngineOptions;
pub use parser::parse;
pub use pipeline::{ERROR_DETAILS_LABEL, ERROR_LABEL, PATTERN_ID_LABEL};
pub use selector::{query_selectors, stream_selector};
pub use source::{
    Direction, LineFilterHint, LogEntry, LogSelection, LogSource, LogStream, MemorySource,
};
#[cfg(feature = "store")]
pub use store::{PatternResolver, TenantLogSource};
pub use value::{
    InstantValue, Matrix, Sample, Series, Stream, StreamEntry, Streams, format_labels,
};
