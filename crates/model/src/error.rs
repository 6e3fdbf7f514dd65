//! Transport-neutral error codes.

use serde::Serialize;

/// The class of an error, independent of the transport that reports it.
///
/// Only the server crate maps these to HTTP statuses; every other crate classifies its errors with
/// this enum so the mapping lives in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed or a value is out of range.
    InvalidArgument,
    /// The named resource does not exist.
    NotFound,
    /// The HTTP method is not supported on this path.
    MethodNotAllowed,
    /// The body, or an item count, exceeds a configured limit.
    PayloadTooLarge,
    /// The body's content type or encoding is not supported.
    UnsupportedMediaType,
    /// An idempotency key was reused for a different request body.
    Conflict,
    /// The server is overloaded or shutting down; retry later.
    Unavailable,
    /// The request ran longer than its time limit (a query's `timeout`) and was stopped.
    Timeout,
    /// An unexpected failure inside the server.
    Internal,
}

impl ErrorCode {
    /// The stable wire name of the code, e.g. `invalid_argument`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        }
    }
}
