//! Why a LogQL query failed, classed as Loki's HTTP API classes errors (a bad query is a
//! client error, HTTP 400; limits and pipeline errors too, as Loki answers them).

use telemetryhub_model::ErrorCode;

/// Why a LogQL query failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogqlError {
    /// The query does not parse, at a known place (`parse error at line 1, col 5: …`).
    #[error("parse error at line {line}, col {col}: {message}")]
    Parse {
        /// 1-based line of the offending token.
        line: usize,
        /// 1-based column (in characters) of the offending token.
        col: usize,
        /// What is wrong (`syntax error: unexpected …`).
        message: String,
    },
    /// The query parses but is not valid LogQL (`parse error : …`, as Loki words the checks
    /// it makes after parsing), or a parameter is out of range.
    #[error("parse error : {0}")]
    Invalid(String),
    /// A request parameter is invalid (a step of 0, an end before the start).
    #[error("{0}")]
    BadRequest(String),
    /// A metric query met a line the pipeline failed on and did not filter the error out.
    #[error(
        "pipeline error: '{error}' for series: '{series}'.\nUse a label filter to intentionally skip this error. (e.g | __error__!=\"{error}\").\nTo skip all potential errors you can match empty errors.(e.g __error__=\"\")\nThe label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n"
    )]
    Pipeline {
        /// The `__error__` value.
        error: String,
        /// The series, as Prometheus prints labels.
        series: String,
    },
    /// The query would exceed a configured limit (series, samples, lines, look-back).
    #[error("{0}")]
    Limit(String),
    /// The query is valid but cannot be evaluated (many-to-many matching, duplicate series).
    #[error("{0}")]
    Execution(String),
    /// Reading the log streams failed.
    #[error("{message}")]
    Storage {
        /// What failed.
        message: String,
        /// Seconds to wait before retrying, when retrying helps.
        retry_after_secs: Option<u64>,
    },
}

impl LogqlError {
    /// The transport-neutral class of the error.
    pub fn code(&self) -> ErrorCode {
        match self {
            LogqlError::Parse { .. }
            | LogqlError::Invalid(_)
            | LogqlError::BadRequest(_)
            | LogqlError::Pipeline { .. }
            | LogqlError::Limit(_)
            | LogqlError::Execution(_) => ErrorCode::InvalidArgument,
            LogqlError::Storage {
                retry_after_secs: Some(_),
                ..
            } => ErrorCode::Unavailable,
            LogqlError::Storage { .. } => ErrorCode::Internal,
        }
    }

    /// Whether the query text itself is at fault (a parse or validation error).
    pub fn is_parse_error(&self) -> bool {
        matches!(self, LogqlError::Parse { .. } | LogqlError::Invalid(_))
    }
}

impl From<telemetryhub_model::InvalidRegex> for LogqlError {
    fn from(error: telemetryhub_model::InvalidRegex) -> Self {
        LogqlError::Invalid(error.to_string())
    }
}
