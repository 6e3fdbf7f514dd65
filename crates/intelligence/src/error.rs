//! Errors of the background jobs.

use telemetryhub_query::QueryError;
use telemetryhub_storage::StorageError;

/// Why a run of a job failed.
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
}
