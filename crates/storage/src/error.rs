//! Errors of the storage layer.

use telemetryhub_model::ErrorCode;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The write-ahead log failed.
    #[error(transparent)]
    Wal(#[from] telemetryhub_wal::WalError),
    /// A file operation failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The embedded catalog failed.
    #[error("catalog error: {0}")]
    Catalog(String),
    /// Query planning or execution failed.
    #[error("query failed: {0}")]
    Query(String),
    /// Arrow or Parquet encoding failed.
    #[error("encoding error: {0}")]
    Encoding(String),
    /// The buffer is full because flushing cannot keep up; retry after the given seconds.
    #[error(
        "the write buffer is full ({buffered_bytes} bytes buffered, limit {limit_bytes}); retry shortly"
    )]
    Backpressure {
        /// Bytes currently buffered.
        buffered_bytes: u64,
        /// The configured limit.
        limit_bytes: u64,
        /// Suggested wait.
        retry_after_secs: u64,
    },
    /// The same idempotency key was used with a different request body, or is in flight.
    #[error("{0}")]
    IdempotencyConflict(String),
    /// The store is shutting down.
    #[error("the store is shutting down")]
    ShuttingDown,
    /// The caller asked for something invalid (e.g. a malformed write request).
    #[error("{0}")]
    InvalidArgument(String),
    /// A read would hold more samples than its caller allows ([`crate::SamplesRead`]); refused
    /// before anything is decoded.
    #[error("the read would hold at least {rows} samples, more than the {limit} allowed")]
    TooManySamples {
        /// Samples the read would hold at least.
        rows: u64,
        /// The most allowed.
        limit: u64,
    },
}

impl StorageError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            StorageError::Backpressure { .. } | StorageError::ShuttingDown => {
                ErrorCode::Unavailable
            }
            StorageError::IdempotencyConflict(_) => ErrorCode::Conflict,
            StorageError::InvalidArgument(_) | StorageError::TooManySamples { .. } => {
                ErrorCode::InvalidArgument
            }
            StorageError::Wal(telemetryhub_wal::WalError::Failed(_)) => ErrorCode::Unavailable,
            _ => ErrorCode::Internal,
        }
    }

    /// Seconds a client should wait before retrying, for errors where retrying helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            StorageError::Backpressure {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            StorageError::ShuttingDown => Some(5),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> StorageError {
        let path = path.to_string();
        move |source| StorageError::Io { path, source }
    }
}

impl From<datafusion::error::DataFusionError> for StorageError {
    fn from(error: datafusion::error::DataFusionError) -> Self {
        StorageError::Query(error.to_string())
    }
}

impl From<datafusion::arrow::error::ArrowError> for StorageError {
    fn from(error: datafusion::arrow::error::ArrowError) -> Self {
        StorageError::Encoding(error.to_string())
    }
}

impl From<datafusion::parquet::errors::ParquetError> for StorageError {
    fn from(error: datafusion::parquet::errors::ParquetError) -> Self {
        StorageError::Encoding(error.to_string())
    }
}

macro_rules! catalog_error {
    ($($source:ty),*) => {$(
        impl From<$source> for StorageError {
            fn from(error: $source) -> Self {
                StorageError::Catalog(error.to_string())
            }
        }
    )*};
}
catalog_error!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);
