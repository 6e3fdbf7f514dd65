//! Background intelligence over stored telemetry.
//!
//! Today: [`summaries`] — a job that writes a concise summary for new or grown log patterns,
//! rule-based by default or by any OpenAI-compatible chat-completions endpoint ([`llm`]), always
//! falling back to the rule on error. Anomaly scoring and alerting will live here too.

#![deny(missing_docs)]

pub mod llm;
pub mod summaries;
