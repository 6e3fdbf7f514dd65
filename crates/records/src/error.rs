//! The crate's errors: a mapping or rule set that cannot be used (`ConfigError`), an input that
//! cannot be read on (`ReadError`), and the bad records a batch sets aside (`RecordError`, each
//! listing its bad fields as `FieldError`s and carrying its raw input for the dead-letter table).
//!
//! A `RecordError` is not a failure of the batch: it is data, reported beside the good records.

use serde::Serialize;
use telemetryhub_model::ErrorCode;

/// A mapping, rule or analytics configuration that cannot be used, found when it is loaded
/// (never while records flow).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The TOML text does not parse or has keys the configuration does not know.
    #[error("invalid records configuration: {0}")]
    Toml(String),
    /// A setting is invalid; `at` names where (`sources.kafka.fields.start_time.formats[0]`).
    #[error("invalid records configuration at {at}: {reason}")]
    Invalid {
        /// The path of the offending setting.
        at: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl ConfigError {
    /// Shorthand for [`ConfigError::Invalid`].
    pub(crate) fn invalid(at: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError::Invalid {
            at: at.into(),
            reason: reason.into(),
        }
    }

    /// The transport-neutral class of the error.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidArgument
    }
}

/// Why reading an input stopped before its end. Problems of single records are not read errors:
/// they become [`RecordError`]s and reading goes on.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The underlying reader failed.
    #[error("reading the records failed: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV header is unusable (unreadable, empty, or naming a column twice).
    #[error("invalid CSV header: {0}")]
    Header(String),
    /// A JSON array is malformed at a place reading cannot resume from (unlike NDJSON, whose
    /// lines are independent); the records before it were handed over.
    #[error("invalid JSON after {records} records: {reason}")]
    Json {
        /// How many records (good or bad) were handed over before the error.
        records: u64,
        /// serde_json's message, with line and column.
        reason: String,
    },
    /// The input has more records than the limit allows.
    #[error("the input has more than {limit} records")]
    TooManyRecords {
        /// The limit.
        limit: u64,
    },
}

impl ReadError {
    /// The transport-neutral class of the error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ReadError::Io(_) => ErrorCode::Internal,
            ReadError::Header(_) | ReadError::Json { .. } => ErrorCode::InvalidArgument,
            ReadError::TooManyRecords { .. } => ErrorCode::PayloadTooLarge,
        }
    }
}

/// One reason a record was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}{reason}", field.as_deref().map(|f| format!("field {f:?}: ")).unwrap_or_default())]
pub struct FieldError {
    /// The field at fault: the input's name for a field read from the input, the standardised
    /// name for a derived one; `None` when the record as a whole is bad (not an object, a line
    /// that is not JSON).
    pub field: Option<String>,
    /// What is wrong, e.g. `"expected an integer, found \"12x\""`.
    pub reason: String,
}

impl FieldError {
    /// An error about one field.
    pub(crate) fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        FieldError {
            field: Some(field.into()),
            reason: reason.into(),
        }
    }

    /// An error about the record as a whole.
    pub(crate) fn record(reason: impl Into<String>) -> Self {
        FieldError {
            field: None,
            reason: reason.into(),
        }
    }
}

/// A record set aside: where it was, everything wrong with it, and its raw input so that the
/// dead-letter table can show it and a replay can feed it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("record {index}: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct RecordError {
    /// The record's 0-based position in its input (the JSON array element, the NDJSON line not
    /// counting blank ones, the CSV row not counting the header).
    pub index: u64,
    /// Every problem found, never empty.
    pub errors: Vec<FieldError>,
    /// The raw record: a JSON object's text for JSON input and for CSV rows (the header names
    /// as keys, every value a string — what the row means), or the verbatim text of a line or
    /// row that could not be read as a record. Feeding it back through the JSON reader replays
    /// it.
    pub raw: String,
}

impl RecordError {
    /// The transport-neutral class of the error.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidArgument
    }
}
