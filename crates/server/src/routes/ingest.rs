//! `POST /ingest/metrics`, `POST /ingest/logs`, Loki push and Prometheus remote_write. OTLP is
//! in `otlp`.

use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use telemetryhub_model::{ErrorCode, IdempotencyKey, LogsWrite, MetricsWrite, now_ns};
use telemetryhub_pipeline::TagOutcome;
use telemetryhub_receivers::{
    BodyFormat, ContentEncoding, LokiFormat, decode_logs, decode_loki_push, decode_metrics,
    decode_remote_write, decompress,
};

use super::IngestResponse;
use crate::metrics::{
    INGEST_ITEMS, INGEST_LATENCY, INGEST_REQUESTS, LOG_CLUSTERS, REMOTE_WRITE_EXTRAS,
};
use crate::params::tenant;
use crate::{ApiError, AppState};

/// A decoded request: tenant, framing, body bytes (decompressed) and idempotency key.
pub(super) struct Envelope {
    pub tenant: String,
    /// The `Content-Type`, for the decoder to pick its framing.
    pub content_type: Option<String>,
    /// The body, decompressed (an uncompressed body as received, not copied).
    pub bytes: axum::body::Bytes,
    pub idempotency: Option<IdempotencyKey>,
}

pub(super) async fn open_envelope(
    state: &AppState,
    kind: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Envelope, ApiError> {
    let tenant = tenant(headers)?;
    let header_text = |name: header::HeaderName| -> Result<Option<&str>, ApiError> {
        headers
            .get(&name)
            .map(|v| {
                v.to_str().map_err(|_| {
                    ApiError::invalid(name.as_str(), format!("{name} is not visible ASCII"))
                })
            })
            .transpose()
    };
    let content_type = header_text(header::CONTENT_TYPE)?.map(str::to_string);
    let encoding = ContentEncoding::from_header(header_text(header::CONTENT_ENCODING)?)?;
    let limit = state.config().limits.max_body_bytes;
    let raw = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("request body exceeds the limit of {limit} bytes"),
        )
    })?;
    let bytes = match encoding {
        // `to_bytes` enforced the limit already.
        ContentEncoding::Identity => raw,
        _ => decompress(&raw, encoding, limit)?.into(),
    };
    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 256)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "Idempotency-Key",
                        "Idempotency-Key must be 1 to 256 visible ASCII characters",
                    )
                })?;
            Some(IdempotencyKey {
                key: format!("{kind}:{key}"),
                fingerprint: fingerprint(&bytes),
            })
        }
    };
    Ok(Envelope {
        tenant,
        content_type,
        bytes,
        idempotency,
    })
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`, whose output may change between Rust
/// releases), enough to tell a resend from a different body under the same key.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The answers of both ingest endpoints, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum IngestResponses {
    /// Stored (or, for a replayed idempotent request, stored before).
    #[response(status = 200)]
    Accepted(IngestResponse),
    /// Invalid items, all listed with index and field; nothing stored.
    #[response(status = 400)]
    Invalid(crate::error::ErrorBody),
    /// The Idempotency-Key was used with another body, or is in flight.
    #[response(status = 409)]
    Conflict(crate::error::ErrorBody),
    /// The body or the item count is over the limit.
    #[response(status = 413)]
    TooLarge(crate::error::ErrorBody),
    /// Unsupported Content-Type or Content-Encoding.
    #[response(status = 415)]
    Unsupported(crate::error::ErrorBody),
    /// The buffer is full; retry after `Retry-After` seconds.
    #[response(status = 503)]
    Unavailable(crate::error::ErrorBody),
}

/// The headers both ingest endpoints read, for the OpenAPI document.
#[derive(utoipa::IntoParams, serde::Deserialize)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub(crate) struct IngestHeaders {
    /// A resend with the same key and body stores nothing and answers the same.
    #[serde(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
    /// Tenant; default `default`.
    #[serde(rename = "X-Scope-OrgID")]
    scope_org_id: Option<String>,
    /// `application/json` (an object or an array) or `application/x-ndjson`.
    #[serde(rename = "Content-Type")]
    content_type: Option<String>,
    /// `gzip`, `zstd` or absent.
    #[serde(rename = "Content-Encoding")]
    content_encoding: Option<String>,
}

/// What an ingest request carries.
#[derive(Clone, Copy)]
enum Signal {
    Metric,
    Log,
    /// Log lines in Loki's push format.
    LokiPush,
    /// Metric samples in Prometheus' remote_write format.
    RemoteWrite,
}

impl Signal {
    /// The `type` label of `telemetry_ingest_requests_total`.
    fn label(self) -> &'static str {
        match self {
            Signal::Metric | Signal::RemoteWrite => "metric",
            Signal::Log | Signal::LokiPush => "log",
        }
    }
}

async fn ingest(
    state: AppState,
    signal: Signal,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestResponse>, ApiError> {
    let started = Instant::now();
    INGEST_REQUESTS.with_label_values(&[signal.label()]).inc();
    let envelope = open_envelope(&state, signal.label(), &headers, body).await?;
    let (limits, backend, tenant) = (&state.config().limits, state.backend(), &envelope.tenant);
    let outcome = match signal {
        Signal::RemoteWrite => {
            let (batch, extras) = decode_remote_write(&envelope.bytes, tenant, now_ns(), limits)?;
            for (kind, count) in [
                ("non_finite_sample", extras.non_finite_samples),
                ("exemplar", extras.exemplars.len()),
                ("skipped_exemplar", extras.skipped_exemplars),
                ("metadata", extras.metadata.len()),
            ] {
                REMOTE_WRITE_EXTRAS
                    .with_label_values(&[kind])
                    .inc_by(count as u64);
            }
            let write = MetricsWrite {
                exemplars: extras.exemplars,
                metadata: extras.metadata,
                idempotency: envelope.idempotency,
                ..MetricsWrite::of(batch)
            };
            backend.data.write_metrics(write).await?
        }
        Signal::Metric => {
            let format = BodyFormat::from_content_type(envelope.content_type.as_deref())?;
            let write = MetricsWrite {
                idempotency: envelope.idempotency,
                ..decode_metrics(&envelope.bytes, format, tenant, now_ns(), limits)?
            };
            backend.data.write_metrics(write).await?
        }
        Signal::Log | Signal::LokiPush => {
            let batch = match signal {
                Signal::LokiPush => {
                    let format = LokiFormat::from_content_type(envelope.content_type.as_deref())?;
                    decode_loki_push(&envelope.bytes, format, tenant, now_ns(), limits)?
                }
                _ => {
                    let format = BodyFormat::from_content_type(envelope.content_type.as_deref())?;
                    decode_logs(&envelope.bytes, format, tenant, now_ns(), limits)?
                }
            };
            store_logs(&state, batch, envelope.idempotency).await?
        }
    };
    count_stored(signal.label(), &outcome);
    INGEST_LATENCY.observe(started.elapsed().as_secs_f64());
    Ok(Json(IngestResponse {
        accepted: outcome.accepted,
    }))
}

/// Ingest metric points: one object, a JSON array, or NDJSON; optionally gzip/zstd-compressed.
/// All-or-nothing: any invalid item rejects the whole request and lists every bad item.
#[utoipa::path(
    post, path = "/ingest/metrics", tag = "ingest",
    request_body(content = Vec<super::MetricIn>, content_type = "application/json"),
    params(IngestHeaders),
    responses(IngestResponses)
)]
pub(crate) async fn ingest_metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestResponse>, ApiError> {
    ingest(state, Signal::Metric, headers, body).await
}

/// Ingest log lines: one object, a JSON array, or NDJSON; optionally gzip/zstd-compressed.
/// Levels are normalised (`warning` → `WARN`). All-or-nothing, like metrics.
#[utoipa::path(
    post, path = "/ingest/logs", tag = "ingest",
    request_body(content = Vec<super::LogIn>, content_type = "application/json"),
    params(IngestHeaders),
    responses(IngestResponses)
)]
pub(crate) async fn ingest_logs(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestResponse>, ApiError> {
    ingest(state, Signal::Log, headers, body).await
}

/// Counts what a write stored (`telemetryhub_ingest_items_total`); a replayed idempotent request
/// stored nothing new.
pub(super) fn count_stored(signal: &str, outcome: &telemetryhub_storage::WriteOutcome) {
    if !outcome.replayed {
        INGEST_ITEMS
            .with_label_values(&[signal])
            .inc_by(outcome.accepted);
    }
}

/// Tags log lines with their patterns (unless switched off) and stores them with the pattern
/// states they changed.
pub(super) async fn store_logs(
    state: &AppState,
    mut batch: LogsWrite,
    idempotency: Option<IdempotencyKey>,
) -> Result<telemetryhub_storage::WriteOutcome, ApiError> {
    let tagged = if state.config().mine_patterns {
        state.patterns().tag(&batch.tenant, &mut batch.records)
    } else {
        TagOutcome::default()
    };
    batch.patterns = tagged.updates;
    batch.idempotency = idempotency;
    let outcome = state.backend().data.write_logs(batch).await?;
    for (_, service) in &tagged.created {
        LOG_CLUSTERS.with_label_values(&[service.as_str()]).inc();
    }
    Ok(outcome)
}

/// Loki's push API: what Promtail, Grafana Alloy and Vector send. JSON, or protobuf in a snappy
/// block (`Content-Type: application/x-protobuf`); `X-Scope-OrgID` selects the tenant. Lines are
/// tagged with patterns like any other; answers 204 as Loki does.
#[utoipa::path(
    post, path = "/loki/api/v1/push", tag = "ingest",
    request_body(content = Object, content_type = "application/json", description = "{\"streams\":[{\"stream\":{labels},\"values\":[[\"<unix ns>\",\"<line>\",{metadata}?]]}]}"),
    params(IngestHeaders),
    responses((status = 204, description = "Stored"), (status = 400, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody))
)]
pub(crate) async fn loki_push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<axum::http::StatusCode, ApiError> {
    // Loki answers a successful push with an empty 204, which clients expect.
    let Json(_accepted) = ingest(state, Signal::LokiPush, headers, body).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Prometheus remote_write 1.0: a snappy-compressed `WriteRequest` (`Content-Encoding: snappy`).
/// Configure Prometheus or Grafana Alloy with `url: http://HOST:8000/api/v1/write`.
#[utoipa::path(
    post, path = "/api/v1/write", tag = "ingest",
    request_body(content = Vec<u8>, content_type = "application/x-protobuf", description = "snappy-compressed prometheus.WriteRequest"),
    params(IngestHeaders),
    responses((status = 204, description = "Stored"), (status = 400, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody))
)]
pub(crate) async fn remote_write(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<axum::http::StatusCode, ApiError> {
    let Json(_accepted) = ingest(state, Signal::RemoteWrite, headers, body).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
