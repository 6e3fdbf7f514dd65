//! Errors of the background jobs and of the requests this crate answers.

use telemetryhub_model::ErrorCode;
use telemetryhub_query::QueryError;
use telemetryhub_storage::StorageError;

/// Why a run of a job, or a request answered by this crate (a drill-down, feedback, the
/// pattern catalogue), failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Reading or writing state failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A query over stored telemetry failed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A job's state could not be encoded.
    #[error("encoding error: {0}")]
    Encoding(String),
    /// No anomaly of the tenant has this id.
    #[error("no anomaly {0}")]
    AnomalyNotFound(String),
    /// No log pattern of the tenant has this id.
    #[error("no log pattern {0}")]
    PatternNotFound(u64),
    /// The request asked for something invalid.
    #[error("{message}")]
    InvalidArgument {
        /// The argument to blame, as the request named it.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl JobError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            JobError::Storage(error) => error.code(),
            JobError::Query(error) => error.code(),
            JobError::Encoding(_) => ErrorCode::Internal,
            JobError::AnomalyNotFound(_) | JobError::PatternNotFound(_) => ErrorCode::NotFound,
            JobError::InvalidArgument { .. } => ErrorCode::InvalidArgument,
        }
    }

    /// The argument to blame, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            JobError::InvalidArgument { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Seconds a client should wait before retrying, for errors where retrying helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            JobError::Storage(error) => error.retry_after_secs(),
            JobError::Query(error) => error.retry_after_secs(),
            _ => None,
        }
    }
}
