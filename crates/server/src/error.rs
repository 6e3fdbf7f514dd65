//! The one JSON error shape: `{"error":{"code","message","field?","details?"}}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use telemetryhub_intelligence::JobError;
use telemetryhub_model::ErrorCode;
use telemetryhub_query::QueryError;
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

    /// The human-readable explanation.
    pub fn message(&self) -> &str {
        &self.message
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
            // The usual answer to a deadline that passed. Not 503: that invites a retry, and the
            // same query will likely run out of time again.
            ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The gRPC status code (numbers of `google.rpc.Code`). Per the OTLP specification,
    /// clients retry UNAVAILABLE, and RESOURCE_EXHAUSTED only when told how long to wait: an
    /// oversized request is answered RESOURCE_EXHAUSTED without that, so it is not retried.
    pub fn grpc_code(&self) -> tonic::Code {
        match self.code {
            ErrorCode::InvalidArgument | ErrorCode::UnsupportedMediaType => {
                tonic::Code::InvalidArgument
            }
            ErrorCode::NotFound => tonic::Code::NotFound,
            ErrorCode::MethodNotAllowed => tonic::Code::Unimplemented,
            ErrorCode::PayloadTooLarge => tonic::Code::ResourceExhausted,
            ErrorCode::Conflict => tonic::Code::AlreadyExists,
            ErrorCode::Unavailable => tonic::Code::Unavailable,
            ErrorCode::Timeout => tonic::Code::DeadlineExceeded,
            ErrorCode::Internal => tonic::Code::Internal,
        }
    }

    /// The error as a gRPC status (for OTLP/gRPC).
    pub fn into_grpc_status(self) -> tonic::Status {
        self.log_if_server_error();
        tonic::Status::new(self.grpc_code(), self.message)
    }

    /// The error as OTLP/HTTP requires: the same HTTP status with a `google.rpc.Status` body,
    /// protobuf-encoded for protobuf requests; for JSON requests the JSON form of that status
    /// (`code`, `message`) carrying the server's usual `error` object too, so one body serves
    /// OTLP clients and people alike.
    pub(crate) fn into_otlp_response(self, protobuf: bool) -> Response {
        self.log_if_server_error();
        let status = self.status();
        let retry_after = self.retry_after_secs;
        let rpc = RpcStatus {
            code: self.grpc_code() as i32,
            message: self.message.clone(),
        };
        let mut response = if protobuf {
            use prost::Message;
            (
                status,
                [(axum::http::header::CONTENT_TYPE, "application/x-protobuf")],
                rpc.encode_to_vec(),
            )
                .into_response()
        } else {
            let body = serde_json::json!({
                "code": rpc.code,
                "message": rpc.message,
                "error": self.into_body().error,
            });
            (status, axum::Json(body)).into_response()
        };
        set_retry_after(&mut response, retry_after);
        response
    }

    fn log_if_server_error(&self) {
        if self.status().is_server_error() {
            tracing::error!(code = self.code.as_str(), message = %self.message, "request failed");
        }
    }

    fn into_body(self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str(),
                message: self.message,
                field: self.field,
                details: self.details,
            },
        }
    }
}

/// `google.rpc.Status` without `details`, with the field numbers of the official
/// `google/rpc/status.proto`.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

fn set_retry_after(response: &mut Response, seconds: Option<u64>) {
    if let Some(seconds) = seconds
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log_if_server_error();
        let status = self.status();
        let retry_after = self.retry_after_secs;
        let mut response = (status, axum::Json(self.into_body())).into_response();
        set_retry_after(&mut response, retry_after);
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

impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> Self {
        ApiError {
            retry_after_secs: error.retry_after_secs(),
            ..ApiError::new(error.code(), error.to_string())
        }
    }
}

impl From<JobError> for ApiError {
    fn from(error: JobError) -> Self {
        ApiError {
            field: error.field().map(str::to_string),
            retry_after_secs: error.retry_after_secs(),
            ..ApiError::new(error.code(), error.to_string())
        }
    }
}

/// An error of the Prometheus HTTP API (`/api/v1/*` but remote_write), in the envelope its
/// clients parse: `{"status":"error","errorType","error"}` with Prometheus' status for the type.
/// Built from the same errors as [`ApiError`] (so a bad tenant header or a store asking to retry
/// is answered alike), and from PromQL's errors, which carry Prometheus' types.
#[derive(Debug, Clone)]
pub struct PrometheusError {
    error_type: &'static str,
    message: String,
    retry_after_secs: Option<u64>,
}

/// The JSON body of a Prometheus API error.
#[derive(Serialize, ToSchema)]
pub(crate) struct PrometheusErrorBody {
    /// Always `error`.
    #[schema(example = "error")]
    status: &'static str,
    /// `bad_data`, `execution`, `timeout`, `canceled`, `internal`, `unavailable` or `not_found`.
    #[serde(rename = "errorType")]
    #[schema(example = "bad_data")]
    error_type: &'static str,
    /// Human-readable explanation.
    #[schema(example = "end timestamp must not be before start time")]
    error: String,
}

impl PrometheusError {
    /// A `bad_data` error (HTTP 400).
    pub fn bad_data(message: impl Into<String>) -> PrometheusError {
        PrometheusError {
            error_type: "bad_data",
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// A `not_found` error (HTTP 404).
    pub fn not_found(message: impl Into<String>) -> PrometheusError {
        PrometheusError {
            error_type: "not_found",
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// A `bad_data` error blaming one parameter, worded as Prometheus words it.
    pub fn invalid_param(name: &str, message: impl std::fmt::Display) -> PrometheusError {
        PrometheusError::bad_data(format!("invalid parameter {name:?}: {message}"))
    }

    /// Prometheus' `errorType`.
    pub fn error_type(&self) -> &'static str {
        self.error_type
    }

    /// The human-readable explanation.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prometheus' HTTP status for the error's type.
    pub fn status(&self) -> StatusCode {
        match self.error_type {
            "bad_data" => StatusCode::BAD_REQUEST,
            "execution" => StatusCode::UNPROCESSABLE_ENTITY,
            // Prometheus' "client closed connection".
            "canceled" => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
            "timeout" | "unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            "not_found" => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for PrometheusError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error_type = self.error_type, message = %self.message, "request failed");
        }
        let retry_after = self.retry_after_secs;
        let body = PrometheusErrorBody {
            status: "error",
            error_type: self.error_type,
            error: self.message,
        };
        let mut response = (status, axum::Json(body)).into_response();
        set_retry_after(&mut response, retry_after);
        response
    }
}

impl From<ApiError> for PrometheusError {
    fn from(error: ApiError) -> Self {
        let error_type = match error.code {
            ErrorCode::InvalidArgument
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::Conflict
            | ErrorCode::MethodNotAllowed => "bad_data",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        };
        PrometheusError {
            error_type,
            message: error.message,
            retry_after_secs: error.retry_after_secs,
        }
    }
}

impl From<QueryError> for PrometheusError {
    fn from(error: QueryError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<telemetryhub_promql::PromqlError> for PrometheusError {
    fn from(error: telemetryhub_promql::PromqlError) -> Self {
        use telemetryhub_promql::PromqlError;
        let retry_after_secs = match &error {
            PromqlError::Storage {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        };
        // A store that asks to be retried is unavailable, not broken.
        let error_type = match retry_after_secs {
            Some(_) => "unavailable",
            None => error.error_type(),
        };
        PrometheusError {
            error_type,
            message: error.to_string(),
            retry_after_secs,
        }
    }
}

/// An error of the Loki HTTP API (`/loki/api/v1/*`), as Loki answers errors and Grafana's Loki
/// data source shows them: the message as plain text with the status of its class (400 for a
/// bad query or parameter, 404, 503 with `Retry-After` when the store asks to be retried, 504
/// for a query past `--query-timeout`, 500).
/// Built from the same errors as [`ApiError`], so a bad tenant header is answered alike.
#[derive(Debug, Clone)]
pub struct LokiError(ApiError);

impl LokiError {
    /// A bad request (HTTP 400).
    pub fn bad_request(message: impl Into<String>) -> LokiError {
        LokiError(ApiError::new(ErrorCode::InvalidArgument, message))
    }

    /// A query that ran out of time (`--query-timeout`): 504, as Loki answers it.
    pub fn timeout(message: impl Into<String>) -> LokiError {
        LokiError(ApiError::new(ErrorCode::Timeout, message))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status()
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl IntoResponse for LokiError {
    fn into_response(self) -> Response {
        self.0.log_if_server_error();
        let status = self.0.status();
        let retry_after = self.0.retry_after_secs;
        let mut response = (
            status,
            [(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            format!("{}\n", self.0.message),
        )
            .into_response();
        set_retry_after(&mut response, retry_after);
        response
    }
}

impl From<ApiError> for LokiError {
    fn from(error: ApiError) -> Self {
        LokiError(error)
    }
}

impl From<QueryError> for LokiError {
    fn from(error: QueryError) -> Self {
        LokiError(error.into())
    }
}

impl From<JobError> for LokiError {
    fn from(error: JobError) -> Self {
        LokiError(error.into())
    }
}

impl From<telemetryhub_logql::LogqlError> for LokiError {
    fn from(error: telemetryhub_logql::LogqlError) -> Self {
        let retry_after_secs = match &error {
            telemetryhub_logql::LogqlError::Storage {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        };
        LokiError(ApiError {
            retry_after_secs,
            ..ApiError::new(error.code(), error.to_string())
        })
    }
}

impl From<StorageError> for LokiError {
    fn from(error: StorageError) -> Self {
        LokiError(error.into())
    }
}
