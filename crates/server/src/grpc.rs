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

/// Serves the OTLP/gRPC services on `listener` (cleartext HTTP/2) until `shutdown` resolves,
/// then lets open calls finish.
///
/// Not `axum::serve`: its HTTP/2 keeps the protocol's default 64 KiB flow-control window, so a
/// typical export (hundreds of KiB) waited for several window updates and OTLP/gRPC ingested at
/// a third of OTLP/HTTP's speed; here windows are large and adapt to the connection.
pub async fn serve_otlp_grpc(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let router = otlp_grpc_router(state);
    let mut builder = Builder::new(TokioExecutor::new()).http2_only();
    builder
        .http2()
        .initial_stream_window_size(4 << 20)
        .initial_connection_window_size(16 << 20)
        .adaptive_window(true)
        .max_frame_size(1 << 20);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: pause rather than spin.
                        tracing::warn!(%error, "OTLP/gRPC accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                };
                // Small frames (window updates, responses) must not wait for Nagle's algorithm.
                if let Err(error) = stream.set_nodelay(true) {
                    tracing::debug!(%error, "cannot set TCP_NODELAY");
                }
                let service = TowerToHyperService::new(router.clone());
                let connection = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                    .into_owned();
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(error = %error, "OTLP/gRPC connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    graceful.shutdown().await;
    Ok(())
}

/// The OTLP/gRPC services as a router (served by [`serve_otlp_grpc`]). Messages are capped at
/// the ingest body limit after decompression.
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
