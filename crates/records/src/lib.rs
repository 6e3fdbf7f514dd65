//! Execution records: the pure core of TelemetryHub's record pipeline.
//!
//! Raw records (job runs such as the original Kafka pipeline's `Entreprise`, `Source`, `Etat`,
//! `Debut`/`Fin` records) arrive as JSON, NDJSON or CSV; a declarative, per-source mapping
//! ([`RecordsConfig`], read from the TOML config file) turns each into a [`StandardRecord`] or a
//! [`RecordError`] naming every bad field and keeping the raw input; [`Analytics`] computes the
//! original pipeline's figures and rule anomalies over them; [`HourlyRollup`] keeps mergeable
//! hourly count, sum, min, max and quantiles.
//!
//! ```text
//! Read ─▶ input::read_records ─▶ Row (RawRecord | RecordError)
//!            ─▶ Mapping::standardise ─▶ StandardRecord | RecordError (dead letter, with raw)
//!                 ─▶ Analytics::add ─▶ figures, RuleHits; summary(), sources(), recent()
//! values ─▶ HourlyRollup::add / merge ─▶ to_bytes (stored), quantile(q)
//! ```
//!
//! Nothing here does I/O beyond reading the `std::io::Read` it is handed, keeps a clock (the
//! ingest time is a parameter), or knows storage, HTTP or Kafka: the server, storage and the
//! Kafka source call these functions.

#![deny(missing_docs)]

pub mod analytics;
pub mod config;
mod error;
pub mod input;
mod record;
/// The hourly rollups, which live in `telemetryhub-model` so that storage can write them.
pub use telemetryhub_model::rollup;
pub mod rules;
pub mod standardise;
pub mod value;

pub use analytics::{Analytics, AnalyticsConfig, GroupSummary, ProcessedRecord, Summary};
pub use config::{KafkaSourceConfig, MappingConfig, RecordsConfig, StartFrom};
pub use error::{ConfigError, FieldError, ReadError, RecordError};
pub use input::{
    InputFormat, RawRecord, ReadOptions, Row, read_csv, read_json, read_ndjson, read_records,
};
pub use record::{RecordIdentity, StandardRecord};
pub use rollup::{HourlyRollup, RollupError};
pub use rules::{RuleConfig, RuleHit, Severity, default_rules};
pub use standardise::{Batch, Mapping, compile_sources};
pub use value::Value;

/// The shipped mapping of the original Kafka observability pipeline
/// (`deploy/records/kafka-observability.toml`).
pub const KAFKA_OBSERVABILITY_EXAMPLE: &str =
    include_str!("../../../deploy/records/kafka-observability.toml");

#[cfg(test)]
mod tests;
