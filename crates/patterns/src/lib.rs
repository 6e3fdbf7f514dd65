//! A streaming log template miner: every message gets a pattern (template) as it arrives.
//!
//! The method follows the Drain family (He et al., "Drain: An Online Log Parsing Approach with
//! Fixed Depth Tree", ICWS 2017): messages are tokenised, grouped by token count and a leading
//! token, and joined to the most similar existing template if the similarity clears a threshold;
//! positions that differ become `<*>`. What differs from Drain: variable shapes (numbers, hex,
//! addresses, ids, paths, key=value values...) are masked inside tokens before matching, so most
//! variables never reach the similarity step, and similarity ignores positions that are already
//! variables, so templates with many variables still attract their messages.
//!
//! Everything is deterministic: the same messages in the same order give the same templates and
//! ids.

#![deny(missing_docs)]

pub mod accuracy;
mod mask;
mod miner;

pub use mask::{mask_token, tokenize, tokenize_into, tokenize_with};
pub use miner::{MAX_SAMPLES, Miner, MinerConfig, PatternId, PatternMatch, PatternState};

/// The placeholder for a variable part of a template.
pub const WILDCARD: &str = "<*>";
