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
    /// A SQL query this server does not run: bad syntax, an unknown table or column, a
    /// statement that is not a query, or an error in what it computes (a cast, a division by
    /// zero). The message is DataFusion's.
    #[error("invalid SQL: {0}")]
    InvalidSql(String),
    /// A SQL query needed more memory for its sorts, joins or aggregations than one query may
    /// hold (`sql_max_memory`).
    #[error(
        "the query needs more memory than one query may use; narrow its time range or filters, or add a LIMIT: {0}"
    )]
    MemoryExhausted(String),
    /// A query ran longer than its time limit and was stopped.
    #[error("the query did not finish within its time limit of {0:?}")]
    Timeout(std::time::Duration),
}

impl QueryError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            QueryError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            QueryError::Storage(error) => error.code(),
            QueryError::Execution(_) => ErrorCode::Internal,
            QueryError::TraceNotFound(_) => ErrorCode::NotFound,
            QueryError::InvalidSql(_) | QueryError::MemoryExhausted(_) => {
                ErrorCode::InvalidArgument
            }
            QueryError::Timeout(_) => ErrorCode::Timeout,
        }
    }

    /// Whether a read was refused for holding more samples than its caller allows.
    pub fn exceeds_sample_limit(&self) -> bool {
        matches!(
            self,
            QueryError::Storage(StorageError::TooManySamples { .. })
        )
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
