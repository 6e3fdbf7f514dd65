//! Per-request cross-cutting work: a tracing span carrying the request id, HTTP metrics, and
//! the error shape for responses axum produces itself (unknown method).

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use telemetryhub_model::ErrorCode;
use tracing::Instrument;

use crate::ApiError;
use crate::metrics::{HTTP_LATENCY, HTTP_REQUESTS};

/// Wraps a request in a span with its id and records its outcome.
pub(crate) async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // Bounded label values: the route template, never the raw path.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, path = %path);
    let mut response = next.run(request).instrument(span.clone()).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        let allow = response.headers().get(header::ALLOW).cloned();
        response = ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("method {method} is not allowed on {path}"),
        )
        .into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let status = response.status();
    let elapsed = started.elapsed();
    HTTP_REQUESTS
        .with_label_values(&[route.as_str(), method.as_str(), status.as_str()])
        .inc();
    HTTP_LATENCY
        .with_label_values(&[route.as_str()])
        .observe(elapsed.as_secs_f64());
    span.in_scope(|| {
        let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
        // Successful requests log at debug so that access logs cost nothing at ingest rates
        // unless asked for (TELEMETRYHUB_LOG_LEVEL=debug).
        if status.is_client_error() || status.is_server_error() {
            tracing::info!(status = status.as_u16(), elapsed_ms, "request finished");
        } else {
            tracing::debug!(status = status.as_u16(), elapsed_ms, "request finished");
        }
    });
    response
}
