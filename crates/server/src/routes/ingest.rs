//! `POST /ingest/metrics` and `POST /ingest/logs`.

use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use telemetryhub_model::{ErrorCode, now_ns};
use telemetryhub_receivers::{
    BodyFormat, ContentEncoding, decode_logs, decode_metrics, decompress,
};
use telemetryhub_storage::IdempotencyKey;

use super::IngestResponse;
use crate::metrics::{INGEST_ITEMS, INGEST_LATENCY, INGEST_REQUESTS};
use crate::params::tenant;
use crate::{ApiError, AppState};

/// A decoded request: tenant, framing, body bytes (decompressed) and idempotency key.
struct Envelope {
    tenant: String,
    format: BodyFormat,
    bytes: Vec<u8>,
    idempotency: Option<IdempotencyKey>,
}

async fn open_envelope(
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
    let format = BodyFormat::from_content_type(header_text(header::CONTENT_TYPE)?)?;
    let encoding = ContentEncoding::from_header(header_text(header::CONTENT_ENCODING)?)?;
    let limit = state.config().limits.max_body_bytes;
    let raw = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("request body exceeds the limit of {limit} bytes"),
        )
    })?;
    let bytes = decompress(&raw, encoding, limit)?;
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
        format,
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

/// Ingest metric points: one object, a JSON array, or NDJSON; optionally gzip/zstd-compressed.
/// All-or-nothing: any invalid item rejects the whole request and lists every bad item.
#[utoipa::path(
    post, path = "/ingest/metrics", tag = "ingest",
    request_body(content = Vec<super::MetricIn>, content_type = "application/json"),
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "A resend with the same key and body stores nothing and answers the same"),
        ("X-Scope-OrgID" = Option<String>, Header, description = "Tenant; default `default`"),
    ),
    responses(
        (status = 200, body = IngestResponse),
        (status = 400, description = "Invalid items, all listed", body = crate::error::ErrorBody),
        (status = 409, description = "Idempotency key reused with another body", body = crate::error::ErrorBody),
        (status = 413, description = "Body or item count over the limit", body = crate::error::ErrorBody),
        (status = 415, description = "Unsupported Content-Type or Content-Encoding", body = crate::error::ErrorBody),
        (status = 503, description = "Buffer full; retry after Retry-After seconds", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn ingest_metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestResponse>, ApiError> {
    let started = Instant::now();
    INGEST_REQUESTS.with_label_values(&["metric"]).inc();
    let envelope = open_envelope(&state, "metrics", &headers, body).await?;
    let batch = decode_metrics(
        &envelope.bytes,
        envelope.format,
        &envelope.tenant,
        now_ns(),
        &state.config().limits,
    )?;
    let outcome = state
        .storage()
        .write_metrics(
            &envelope.tenant,
            batch.points,
            batch.item_ids,
            envelope.idempotency,
        )
        .await?;
    if !outcome.replayed {
        INGEST_ITEMS
            .with_label_values(&["metric"])
            .inc_by(outcome.accepted);
    }
    INGEST_LATENCY.observe(started.elapsed().as_secs_f64());
    Ok(Json(IngestResponse {
        accepted: outcome.accepted,
    }))
}

/// Ingest log lines: one object, a JSON array, or NDJSON; optionally gzip/zstd-compressed.
/// Levels are normalised (`warning` → `WARN`). All-or-nothing, like metrics.
#[utoipa::path(
    post, path = "/ingest/logs", tag = "ingest",
    request_body(content = Vec<super::LogIn>, content_type = "application/json"),
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "A resend with the same key and body stores nothing and answers the same"),
        ("X-Scope-OrgID" = Option<String>, Header, description = "Tenant; default `default`"),
    ),
    responses(
        (status = 200, body = IngestResponse),
        (status = 400, description = "Invalid items, all listed", body = crate::error::ErrorBody),
        (status = 409, description = "Idempotency key reused with another body", body = crate::error::ErrorBody),
        (status = 413, description = "Body or item count over the limit", body = crate::error::ErrorBody),
        (status = 415, description = "Unsupported Content-Type or Content-Encoding", body = crate::error::ErrorBody),
        (status = 503, description = "Buffer full; retry after Retry-After seconds", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn ingest_logs(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestResponse>, ApiError> {
    let started = Instant::now();
    INGEST_REQUESTS.with_label_values(&["log"]).inc();
    let envelope = open_envelope(&state, "logs", &headers, body).await?;
    let batch = decode_logs(
        &envelope.bytes,
        envelope.format,
        &envelope.tenant,
        now_ns(),
        &state.config().limits,
    )?;
    let outcome = state
        .storage()
        .write_logs(
            &envelope.tenant,
            batch.records,
            batch.item_ids,
            envelope.idempotency,
        )
        .await?;
    if !outcome.replayed {
        INGEST_ITEMS
            .with_label_values(&["log"])
            .inc_by(outcome.accepted);
    }
    INGEST_LATENCY.observe(started.elapsed().as_secs_f64());
    Ok(Json(IngestResponse {
        accepted: outcome.accepted,
    }))
}
