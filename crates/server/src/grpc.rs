//! OTLP/gRPC: the OpenTelemetry collector's `LogsService`, `MetricsService` and `TraceService`
//! (4317 by default). Requests arrive decoded by tonic and go through the same export step as
//! OTLP/HTTP (`routes::otlp`), so both transports store the same rows and answer the same partial
//! success. `x-scope-orgid` metadata selects the tenant; gzip requests are accepted.

use std::time::Instant;

use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::{
    LogsService, LogsServiceServer,
};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{
    MetricsService, MetricsServiceServer,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tonic::codec::CompressionEncoding;
use tonic::{Request, Response, Status};

use crate::AppState;
use crate::metrics::{INGEST_LATENCY, INGEST_REQUESTS};
use crate::params::tenant;
use crate::routes::otlp::OtlpExport;

#[derive(Clone)]
struct OtlpGrpc {
    state: AppState,
}

impl OtlpGrpc {
    async fn handle<R: OtlpExport>(
        &self,
        request: Request<R>,
    ) -> Result<Response<R::Response>, Status> {
        let started = Instant::now();
        INGEST_REQUESTS.with_label_values(&[R::SIGNAL]).inc();
        let headers = request.metadata().clone().into_headers();
        let result = async {
            let tenant = tenant(&headers)?;
            request
                .into_inner()
                .export(&self.state, &tenant, None)
                .await
        }
        .await;
        INGEST_LATENCY.observe(started.elapsed().as_secs_f64());
        result
            .map(Response::new)
            .map_err(crate::ApiError::into_grpc_status)
    }
}

#[tonic::async_trait]
impl LogsService for OtlpGrpc {
    async fn export(
        &self,
        request: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        self.handle(request).await
    }
}

#[tonic::async_trait]
impl MetricsService for OtlpGrpc {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        self.handle(request).await
    }
}

#[tonic::async_trait]
impl TraceService for OtlpGrpc {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        self.handle(request).await
    }
}

/// The OTLP/gRPC services as a router; serve it over HTTP/2 (`axum::serve` speaks h2c).
/// Messages are capped at the ingest body limit after decompression.
pub fn otlp_grpc_router(state: AppState) -> axum::Router {
    crate::metrics::register_all();
    let limit = state.config().limits.max_body_bytes;
    let service = OtlpGrpc { state };
    tonic::service::Routes::new(
        LogsServiceServer::new(service.clone())
            .accept_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Gzip)
            .max_decoding_message_size(limit),
    )
    .add_service(
        MetricsServiceServer::new(service.clone())
            .accept_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Gzip)
            .max_decoding_message_size(limit),
    )
    .add_service(
        TraceServiceServer::new(service)
            .accept_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Gzip)
            .max_decoding_message_size(limit),
    )
    .into_axum_router()
}
