//! Heartbeat, health, readiness and the Prometheus exporter.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus::{Encoder, TextEncoder};
use telemetryhub_model::ErrorCode;

use super::{Health, Heartbeat, ProcessHealth, StorageHealth};
use crate::metrics::UPTIME;
use crate::{ApiError, AppState};

pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Service heartbeat.
#[utoipa::path(get, path = "/", tag = "health", responses((status = 200, body = Heartbeat)))]
pub(crate) async fn heartbeat(State(state): State<AppState>) -> Json<Heartbeat> {
    Json(Heartbeat {
        status: "ok",
        service: state.config().app_name.clone(),
        version: VERSION,
    })
}

/// Health: version, uptime, process CPU and memory, storage counters.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> Json<Health> {
    let (cpu_seconds, rss_bytes) = crate::process::usage();
    let stats = state.backend().data.stats();
    Json(Health {
        status: "ok",
        version: VERSION,
        uptime_seconds: state.inner.started.elapsed().as_secs_f64(),
        process: ProcessHealth {
            cpu_seconds,
            rss_bytes,
        },
        storage: StorageHealth {
            rows_buffered: stats.rows_buffered,
            buffer_bytes: stats.buffer_bytes,
            parts: stats.parts,
            bytes_on_disk: stats.part_bytes + stats.wal_bytes,
            wal_bytes: stats.wal_bytes,
        },
    })
}

/// Readiness: 200 while serving, 503 once shutdown has begun.
#[utoipa::path(get, path = "/ready", tag = "health", responses((status = 200), (status = 503, body = crate::error::ErrorBody)))]
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    if state.inner.shutting_down.load(Ordering::Relaxed) {
        return ApiError::new(ErrorCode::Unavailable, "shutting down").into_response();
    }
    (StatusCode::OK, Json(serde_json::json!({"status": "ready"}))).into_response()
}

/// Prometheus text exposition of the server's own metrics.
#[utoipa::path(get, path = "/metrics", tag = "health", responses((status = 200, content_type = "text/plain", body = String)))]
pub(crate) async fn prometheus_metrics(State(state): State<AppState>) -> Response {
    UPTIME.set(state.inner.started.elapsed().as_secs() as i64);
    let families = prometheus::gather();
    let mut body = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&families, &mut body) {
        return ApiError::new(ErrorCode::Internal, format!("cannot encode metrics: {e}"))
            .into_response();
    }
    // A labelled family without samples yet (no anomaly or pattern so far) is left out by the
    // encoder; announce it anyway so dashboards and alert rules see it exists.
    for (name, help) in crate::metrics::ANNOUNCED_FAMILIES {
        if !families.iter().any(|f| f.name() == *name) {
            body.extend_from_slice(
                format!("# HELP {name} {help}\n# TYPE {name} counter\n").as_bytes(),
            );
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Flushes buffered data to long-term storage now (like Loki's `POST /flush`); answers when done.
#[utoipa::path(post, path = "/flush", tag = "health", responses((status = 204), (status = 503, body = crate::error::ErrorBody)))]
pub(crate) async fn flush(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state.backend().data.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}
