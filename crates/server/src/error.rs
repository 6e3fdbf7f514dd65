//! The one JSON error shape: `{"error":{"code","message","field?","details?"}}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use telemetryhub_model::ErrorCode;
use telemetryhub_receivers::{ItemError, ReceiveError};
use telemetryhub_storage::StorageError;
use utoipa::ToSchema;

/// An error answered to a client. Every error response of the server has this body.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    details: Vec<ItemError>,
    retry_after_secs: Option<u64>,
}

/// The JSON body of every error response.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_argument`.
    #[schema(example = "invalid_argument")]
    code: &'static str,
    /// Human-readable explanation.
    #[schema(example = "ts invalid time \"yesterday\": expected RFC 3339 ...")]
    message: String,
    /// The offending field, when one field is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "ts")]
    field: Option<String>,
    /// Every invalid item of a batch, with its index and field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    details: Vec<ItemError>,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            field: None,
            details: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// A 400 blaming one field (a query parameter or body field).
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(ErrorCode::InvalidArgument, message)
        }
    }

    /// The HTTP status for the error's code.
    pub fn status(&self) -> StatusCode {
        match self.code {
            ErrorCode::InvalidArgument => StatusCode::BAD_REQUEST,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code.as_str(), message = %self.message, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str(),
                message: self.message,
                field: self.field,
                details: self.details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_secs
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<ReceiveError> for ApiError {
    fn from(error: ReceiveError) -> Self {
        let field = error.field().map(str::to_string);
        let message = error.to_string();
        let code = error.code();
        let details = match error {
            ReceiveError::InvalidItems(items) => items,
            _ => Vec::new(),
        };
        ApiError {
            field,
            details,
            ..ApiError::new(code, message)
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        ApiError {
            retry_after_secs: error.retry_after_secs(),
            ..ApiError::new(error.code(), error.to_string())
        }
    }
}
