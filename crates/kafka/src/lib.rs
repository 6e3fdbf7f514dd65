//! The Kafka source of execution records: configured topics consumed as a consumer group (with
//! `rdkafka`, librdkafka built from the crate's bundled sources), each message value one JSON
//! record, stored through the records write path that the file route uses, offsets committed
//! only after the records are durable.
//!
//! ```text
//! [kafka.<name>] (records config) ─▶ config::kafka_sources (checked) ─▶ KafkaConsumer::spawn
//!     recv ─▶ batch ─▶ per partition: message::Message::to_row ─▶ ingest_chunk ─▶ commit
//! ```
//!
//! Layering: this crate knows Kafka and the records write path (`intelligence`), nothing of HTTP;
//! `telemetryhub serve` starts one consumer per configured source and stops them at shutdown.

pub mod config;
pub mod consumer;
mod error;
pub mod message;
pub mod metrics;

pub use config::{KafkaSource, kafka_sources};
pub use consumer::KafkaConsumer;
pub use error::KafkaError;
pub use metrics::register_metrics;
