//! Errors of the query layer.

use telemetryhub_model::ErrorCode;
use telemetryhub_storage::StorageError;

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query asked for something invalid (e.g. a zero step).
    #[error("{0}")]
    InvalidArgument(String),
    /// Reading from the store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// DataFusion could not plan or run the query.
    #[error("query failed: {0}")]
    Execution(String),
    /// No span of the trace (this id) is stored.
    #[error("no trace with id {0}")]
    TraceNotFound(String),
}

impl QueryError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            QueryError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            QueryError::Storage(error) => error.code(),
            QueryError::Execution(_) => ErrorCode::Internal,
            QueryError::TraceNotFound(_) => ErrorCode::NotFound,
        }
    }

    /// Seconds a client should wait before retrying, for errors where retrying helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            QueryError::Storage(error) => error.retry_after_secs(),
            _ => None,
        }
    }
}

impl From<datafusion::error::DataFusionError> for QueryError {
    fn from(error: datafusion::error::DataFusionError) -> Self {
        QueryError::Execution(error.to_string())
    }
}

impl From<telemetryhub_model::InvalidRegex> for QueryError {
    fn from(error: telemetryhub_model::InvalidRegex) -> Self {
        QueryError::InvalidArgument(error.to_string())
    }
}
