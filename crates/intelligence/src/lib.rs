//! Background intelligence over stored telemetry.
//!
//! [`summaries`]: a job that writes a concise summary for new or grown log patterns, rule-based
//! by default or by any OpenAI-compatible chat-completions endpoint ([`llm`]), always falling
//! back to the rule on error. [`anomalies`]: a job that scores every metric series online and
//! records anomaly windows. Alerting will live here too.

#![deny(missing_docs)]

pub mod anomalies;
pub mod llm;
pub mod summaries;
