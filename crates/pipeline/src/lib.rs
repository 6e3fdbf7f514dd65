//! Pipeline steps between decoding and storage.
//!
//! Today one step: [`PatternTagger`] gives every log line a pattern id before the batch is
//! written, so the id is in the WAL record and therefore durable with the line. What the tagger
//! leaves out: storage (the caller persists the pattern states it returns) and HTTP.

#![deny(missing_docs)]

mod summary;
mod tagger;
mod totals;

pub use summary::summarize;
pub use tagger::{PatternTagger, TagOutcome};
pub use totals::{PatternTotals, fold_counts};
