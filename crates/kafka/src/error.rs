//! Errors of the Kafka source: a configuration that cannot run, and what goes wrong while it
//! runs (the client, the write path).

use telemetryhub_intelligence::JobError;
use telemetryhub_model::ErrorCode;

/// Why a Kafka source cannot start or a step of it failed.
#[derive(Debug, thiserror::Error)]
pub enum KafkaError {
    /// A setting of `[kafka.<name>]` is wrong.
    #[error("invalid Kafka source {source_name:?}: {setting}: {message}")]
    Config {
        /// The Kafka source's name.
        source_name: String,
        /// The setting to blame.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The Kafka client refused or failed an operation.
    #[error("Kafka client: {0}")]
    Client(#[from] rdkafka::error::KafkaError),
    /// Storing a batch failed.
    #[error("storing records: {0}")]
    Store(#[from] JobError),
}

impl KafkaError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            KafkaError::Config { .. } => ErrorCode::InvalidArgument,
            KafkaError::Client(_) => ErrorCode::Unavailable,
            KafkaError::Store(error) => error.code(),
        }
    }
}
