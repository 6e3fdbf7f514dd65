//! Why a PromQL query failed, classed as the Prometheus HTTP API classes errors.

/// Why a PromQL query failed.
#[derive(Debug, thiserror::Error)]
pub enum PromqlError {
    /// The query text or a parameter is invalid (Prometheus' `bad_data`, HTTP 400).
    #[error("{0}")]
    BadData(String),
    /// The query is valid but cannot be evaluated (`execution`, HTTP 422): a many-to-many
    /// match, a duplicate series in a result, an invalid function argument.
    #[error("{0}")]
    Execution(String),
    /// The query would hold more samples than `--query-max-samples` (`execution`, HTTP 422).
    #[error("query processing would load too many samples into memory in {0}")]
    TooManySamples(&'static str),
    /// The query ran longer than its timeout (`timeout`, HTTP 503).
    #[error("query timed out in {0}")]
    Timeout(&'static str),
    /// Reading the data failed (`internal`, HTTP 500, or 503 when the store asks to retry).
    #[error("{message}")]
    Storage {
        /// What failed.
        message: String,
        /// Seconds to wait before retrying, when retrying helps.
        retry_after_secs: Option<u64>,
    },
}

impl PromqlError {
    /// Prometheus' `errorType` for this error.
    pub fn error_type(&self) -> &'static str {
        match self {
            PromqlError::BadData(_) => "bad_data",
            PromqlError::Execution(_) | PromqlError::TooManySamples(_) => "execution",
            PromqlError::Timeout(_) => "timeout",
            PromqlError::Storage { .. } => "internal",
        }
    }
}

#[cfg(feature = "store")]
impl From<telemetryhub_query::QueryError> for PromqlError {
    fn from(error: telemetryhub_query::QueryError) -> Self {
        match error {
            telemetryhub_query::QueryError::InvalidArgument(message) => {
                PromqlError::BadData(message)
            }
            refused if refused.exceeds_sample_limit() => {
                PromqlError::TooManySamples("series fetching")
            }
            other => PromqlError::Storage {
                retry_after_secs: other.retry_after_secs(),
                message: other.to_string(),
            },
        }
    }
}

impl From<telemetryhub_model::InvalidRegex> for PromqlError {
    fn from(error: telemetryhub_model::InvalidRegex) -> Self {
        PromqlError::BadData(error.to_string())
    }
}
