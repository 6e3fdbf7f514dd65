//! OTLP/HTTP (`POST /v1/logs`, `/v1/metrics`, `/v1/traces`) and the export step both OTLP
//! transports share: OTLP/gRPC (`crate::grpc`) hands over the same decoded requests, so the two
//! map, validate, store and answer identically.

use std::future::Future;
use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsPartialSuccess, ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsPartialSuccess, ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use telemetryhub_model::{IdempotencyKey, MetricsWrite, SpansWrite, now_ns};
use telemetryhub_receivers::{
    OtlpFormat, decode_otlp_request, otlp_logs, otlp_metrics, otlp_traces,
};

use super::ingest::IngestHeaders;
use super::ingest::{count_stored, open_envelope, store_logs};
use crate::metrics::{INGEST_LATENCY, INGEST_REQUESTS};
use crate::{ApiError, AppState};

/// An OTLP export request of one signal: how it is stored and what it answers.
pub(crate) trait OtlpExport:
    prost::Message + Default + serde::de::DeserializeOwned + Send + 'static
{
    /// The export answer.
    type Response: prost::Message + serde::Serialize + Send + 'static;

    /// The `type` label of the ingest metrics (`metric`, `log`, `trace`).
    const SIGNAL: &'static str;

    /// Maps, validates and stores the request; records that fail validation are left out and
    /// reported as partial success.
    fn export(
        self,
        state: &AppState,
        tenant: &str,
        idempotency: Option<IdempotencyKey>,
    ) -> impl Future<Output = Result<Self::Response, ApiError>> + Send;
}

impl OtlpExport for ExportLogsServiceRequest {
    type Response = ExportLogsServiceResponse;
    const SIGNAL: &'static str = "log";

    async fn export(
        self,
        state: &AppState,
        tenant: &str,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Self::Response, ApiError> {
        let decoded = otlp_logs(self, tenant, now_ns(), &state.config().limits)?;
        if !decoded.batch.records.is_empty() {
            let outcome = store_logs(state, decoded.batch, idempotency).await?;
            count_stored(Self::SIGNAL, &outcome);
        }
        Ok(ExportLogsServiceResponse {
            partial_success: (decoded.rejected > 0).then(|| ExportLogsPartialSuccess {
                rejected_log_records: decoded.rejected as i64,
                error_message: decoded.first_error.unwrap_or_default(),
            }),
        })
    }
}

impl OtlpExport for ExportMetricsServiceRequest {
    type Response = ExportMetricsServiceResponse;
    const SIGNAL: &'static str = "metric";

    async fn export(
        self,
        state: &AppState,
        tenant: &str,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Self::Response, ApiError> {
        let decoded = otlp_metrics(self, tenant, now_ns(), &state.config().limits)?;
        if !decoded.write.series.is_empty() || !decoded.write.exemplars.is_empty() {
            let write = MetricsWrite {
                idempotency,
                ..decoded.write
            };
            let outcome = state.backend().data.write_metrics(write).await?;
            count_stored(Self::SIGNAL, &outcome);
        }
        Ok(ExportMetricsServiceResponse {
            partial_success: (decoded.rejected > 0).then(|| ExportMetricsPartialSuccess {
                rejected_data_points: decoded.rejected as i64,
                error_message: decoded.first_error.unwrap_or_default(),
            }),
        })
    }
}

impl OtlpExport for ExportTraceServiceRequest {
    type Response = ExportTraceServiceResponse;
    const SIGNAL: &'static str = "trace";

    async fn export(
        self,
        state: &AppState,
        tenant: &str,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Self::Response, ApiError> {
        let decoded = otlp_traces(self, tenant, now_ns(), &state.config().limits)?;
        if !decoded.spans.is_empty() {
            let write = SpansWrite {
                tenant: tenant.to_string(),
                spans: decoded.spans,
                idempotency,
            };
            let outcome = state.backend().data.write_spans(write).await?;
            count_stored(Self::SIGNAL, &outcome);
        }
        Ok(ExportTraceServiceResponse {
            partial_success: (decoded.rejected > 0).then(|| ExportTracePartialSuccess {
                rejected_spans: decoded.rejected as i64,
                error_message: decoded.first_error.unwrap_or_default(),
            }),
        })
    }
}

/// One OTLP/HTTP request: envelope (tenant, compression, idempotency key), encoding from
/// `Content-Type`, export, and the answer — or the error — in the request's encoding.
async fn otlp_http<R: OtlpExport>(state: AppState, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    INGEST_REQUESTS.with_label_values(&[R::SIGNAL]).inc();
    // Until the body says otherwise, errors are answered in protobuf (OTLP/HTTP's default).
    let mut protobuf = true;
    let result = async {
        let envelope =
            open_envelope(&state, &format!("otlp-{}", R::SIGNAL), &headers, body).await?;
        let format = OtlpFormat::from_content_type(envelope.content_type.as_deref())?;
        protobuf = format == OtlpFormat::Protobuf;
        let request: R = decode_otlp_request(&envelope.bytes, format, &state.config().limits)?;
        let answer = request
            .export(&state, &envelope.tenant, envelope.idempotency)
            .await?;
        Ok::<_, ApiError>(otlp_answer(format, &answer))
    }
    .await;
    INGEST_LATENCY.observe(started.elapsed().as_secs_f64());
    result.unwrap_or_else(|error| error.into_otlp_response(protobuf))
}

/// An OTLP export answer in the request's encoding.
fn otlp_answer<T: prost::Message + serde::Serialize>(format: OtlpFormat, answer: &T) -> Response {
    match format {
        OtlpFormat::Protobuf => (
            [(header::CONTENT_TYPE, "application/x-protobuf")],
            answer.encode_to_vec(),
        )
            .into_response(),
        OtlpFormat::Json => Json(answer).into_response(),
    }
}

/// OTLP/HTTP logs: protobuf or JSON (`Content-Type`), optionally gzip. Records that fail
/// validation are left out and reported as OTLP partial success; the rest are stored. Errors
/// answer a `google.rpc.Status` in the request's encoding.
#[utoipa::path(
    post, path = "/v1/logs", tag = "ingest",
    request_body(content = Vec<u8>, content_type = "application/x-protobuf", description = "ExportLogsServiceRequest (protobuf or OTLP/JSON)"),
    params(IngestHeaders),
    responses((status = 200, description = "ExportLogsServiceResponse, with partialSuccess when records were rejected"), (status = 400, description = "google.rpc.Status"), (status = 413, description = "google.rpc.Status"), (status = 415, description = "google.rpc.Status"), (status = 503, description = "google.rpc.Status; retry after Retry-After"))
)]
pub(crate) async fn otlp_logs_http(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    otlp_http::<ExportLogsServiceRequest>(state, headers, body).await
}

/// OTLP/HTTP metrics: protobuf or JSON, optionally gzip. Gauges and sums become points;
/// histograms `_bucket{le}`/`_sum`/`_count` (exponential ones too); summaries `{quantile}`,
/// `_sum`, `_count`. Rejected data points are reported as OTLP partial success.
#[utoipa::path(
    post, path = "/v1/metrics", tag = "ingest",
    request_body(content = Vec<u8>, content_type = "application/x-protobuf", description = "ExportMetricsServiceRequest (protobuf or OTLP/JSON)"),
    params(IngestHeaders),
    responses((status = 200, description = "ExportMetricsServiceResponse, with partialSuccess when data points were rejected"), (status = 400, description = "google.rpc.Status"), (status = 413, description = "google.rpc.Status"), (status = 415, description = "google.rpc.Status"), (status = 503, description = "google.rpc.Status; retry after Retry-After"))
)]
pub(crate) async fn otlp_metrics_http(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    otlp_http::<ExportMetricsServiceRequest>(state, headers, body).await
}

/// OTLP/HTTP traces: protobuf or JSON, optionally gzip. Spans go to the spans table (see
/// `/query/traces`, `/traces/{trace_id}` and the Jaeger API); spans without valid ids or with an
/// end before their start are reported as OTLP partial success.
#[utoipa::path(
    post, path = "/v1/traces", tag = "ingest",
    request_body(content = Vec<u8>, content_type = "application/x-protobuf", description = "ExportTraceServiceRequest (protobuf or OTLP/JSON)"),
    params(IngestHeaders),
    responses((status = 200, description = "ExportTraceServiceResponse, with partialSuccess when spans were rejected"), (status = 400, description = "google.rpc.Status"), (status = 413, description = "google.rpc.Status"), (status = 415, description = "google.rpc.Status"), (status = 503, description = "google.rpc.Status; retry after Retry-After"))
)]
pub(crate) async fn otlp_traces_http(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    otlp_http::<ExportTraceServiceRequest>(state, headers, body).await
}
