//! Errors of decoding and validating a request body.

use serde::Serialize;
use telemetryhub_model::ErrorCode;

/// What is wrong with one item of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemError {
    /// Zero-based position of the item in the request (the line number minus one for NDJSON).
    pub index: usize,
    /// The offending field, when one field is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// Why a request body was refused. Nothing of a refused body is stored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReceiveError {
    /// One or more items are invalid; every one of them is listed.
    #[error("{} invalid item(s); first: item {}: {}", .0.len(), .0[0].index, .0[0].message)]
    InvalidItems(Vec<ItemError>),
    /// The body as a whole is not what the format requires.
    #[error("{0}")]
    Malformed(String),
    /// The body, after decompression, exceeds the configured size limit.
    #[error("request body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// The request holds more items than allowed.
    #[error("request holds {count} items; the limit is {limit} per request")]
    TooManyItems {
        /// Items found (counting stops just past the limit).
        count: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The `Content-Encoding` is not one TelemetryHub decodes.
    #[error("unsupported Content-Encoding {0:?}: supported are identity, gzip, zstd, snappy")]
    UnsupportedEncoding(String),
    /// The `Content-Type` is not one the endpoint accepts.
    #[error("unsupported Content-Type {0:?}: send application/json or application/x-ndjson")]
    UnsupportedContentType(String),
}

impl ReceiveError {
    /// The transport-neutral class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ReceiveError::InvalidItems(_) | ReceiveError::Malformed(_) => {
                ErrorCode::InvalidArgument
            }
            ReceiveError::BodyTooLarge { .. } | ReceiveError::TooManyItems { .. } => {
                ErrorCode::PayloadTooLarge
            }
            ReceiveError::UnsupportedEncoding(_) | ReceiveError::UnsupportedContentType(_) => {
                ErrorCode::UnsupportedMediaType
            }
        }
    }

    /// The field to blame when exactly one item with one field is at fault.
    pub fn field(&self) -> Option<&str> {
        match self {
            ReceiveError::InvalidItems(items) if items.len() == 1 => items[0].field.as_deref(),
            _ => None,
        }
    }
}
