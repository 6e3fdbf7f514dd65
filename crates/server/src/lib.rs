//! TelemetryHub's HTTP server: routes, the one JSON error shape, request ids, self-metrics and
//! the OpenAPI document.
//!
//! This is the only crate that knows HTTP (and gRPC, for OTLP/gRPC). Handlers only translate:
//! they parse the request, call one domain function — decoding in `telemetryhub-receivers`, the
//! data and state stores and the query layer (a [`Backend`]), drill-downs, feedback and the
//! pattern catalogue in `telemetryhub-intelligence` — and shape its answer, turning every error
//! into [`ApiError`].

#![deny(missing_docs)]

mod error;
mod grpc;
mod metrics;
mod middleware;
mod openapi;
mod params;
mod process;
mod routes;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use axum::Router;
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_promql::{Engine, EngineOptions};
use telemetryhub_query::Backend;
use telemetryhub_receivers::Limits;
use telemetryhub_scrape::ScrapeManager;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use utoipa_swagger_ui::SwaggerUi;

pub use error::{ApiError, LokiError, PrometheusError};
pub use grpc::{otlp_grpc_router, serve_otlp_grpc};
pub use openapi::openapi_document;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Name shown in the heartbeat and the API docs.
    pub app_name: String,
    /// Limits on ingest requests.
    pub limits: Limits,
    /// Largest `limit` a query may ask for.
    pub max_query_limit: usize,
    /// Whether ingested log lines are tagged with their pattern.
    pub mine_patterns: bool,
    /// How PromQL queries of the Prometheus API are evaluated (lookback, timeout, samples).
    /// Its timeout bounds LogQL queries too.
    pub promql: EngineOptions,
    /// How LogQL queries of the Loki API are evaluated (lines, series and samples limits).
    pub logql: telemetryhub_logql::EngineOptions,
    /// The execution-record sources (`[records]`), compiled; `None` when none is configured
    /// (the record routes then answer 404 saying so).
    pub records: Option<Arc<telemetryhub_intelligence::records::RecordsPipeline>>,
    /// Largest file `POST /ingest/file` takes (it is streamed, never held whole).
    pub max_file_bytes: usize,
    /// Limits of SQL queries (`/query/sql`).
    pub sql: SqlLimits,
}

/// The server's limits on SQL queries; a request may ask for less.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlLimits {
    /// The largest `limit` (rows answered) a request may ask for.
    pub max_rows: usize,
    /// The longest a query may run, answer included; a request's `timeout` may only shorten it.
    pub timeout: std::time::Duration,
    /// The most memory one query's sorts, joins and aggregations may hold (past it the query
    /// fails), and the largest answer body (past it the answer is truncated), in bytes.
    pub max_memory_bytes: usize,
}

impl Default for SqlLimits {
    fn default() -> Self {
        SqlLimits {
            max_rows: 100_000,
            timeout: std::time::Duration::from_secs(30),
            max_memory_bytes: 256 << 20,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            app_name: "TelemetryHub".into(),
            limits: Limits::default(),
            max_query_limit: 10_000,
            mine_patterns: true,
            promql: EngineOptions::default(),
            logql: telemetryhub_logql::EngineOptions::default(),
            records: None,
            max_file_bytes: 1 << 30,
            sql: SqlLimits::default(),
        }
    }
}

/// Everything a handler needs, shared by all requests.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<StateInner>,
}

struct StateInner {
    backend: Backend,
    patterns: Arc<PatternTagger>,
    promql: Engine,
    logql: telemetryhub_logql::Engine,
    config: ServerConfig,
    started: Instant,
    started_at: chrono::DateTime<chrono::Utc>,
    shutting_down: AtomicBool,
    /// The scraper whose targets the targets API shows and `/-/reload` reloads, once set.
    scraper: std::sync::OnceLock<Arc<ScrapeManager>>,
}

impl AppState {
    /// Wraps a backend, the pattern tagger (restored from its state) and settings.
    pub fn new(backend: Backend, patterns: Arc<PatternTagger>, config: ServerConfig) -> AppState {
        AppState {
            inner: Arc::new(StateInner {
                backend,
                patterns,
                promql: Engine::new(config.promql.clone()),
                logql: telemetryhub_logql::Engine::new(config.logql.clone()),
                config,
                started: Instant::now(),
                started_at: chrono::Utc::now(),
                shutting_down: AtomicBool::new(false),
                scraper: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Gives the targets API and `/-/reload` their scraper (once; a second is refused).
    pub fn set_scraper(&self, scraper: Arc<ScrapeManager>) {
        if self.inner.scraper.set(scraper).is_err() {
            tracing::error!("the server state has a scraper already; the second is ignored");
        }
    }

    /// The scraper, when scraping is configured.
    pub(crate) fn scraper(&self) -> Option<&ScrapeManager> {
        self.inner.scraper.get().map(Arc::as_ref)
    }

    /// Marks the server as shutting down: `/ready` answers 503 from now on.
    pub fn begin_shutdown(&self) {
        self.inner
            .shutting_down
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the server is shutting down (long-lived answers such as live tails end).
    pub(crate) fn is_shutting_down(&self) -> bool {
        self.inner
            .shutting_down
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.inner.backend
    }

    pub(crate) fn patterns(&self) -> &PatternTagger {
        self.inner.patterns.as_ref()
    }

    /// The PromQL engine of the Prometheus API.
    pub(crate) fn promql(&self) -> &Engine {
        &self.inner.promql
    }

    /// The LogQL engine of the Loki API.
    pub(crate) fn logql(&self) -> &telemetryhub_logql::Engine {
        &self.inner.logql
    }

    /// When the server started (wall clock).
    pub(crate) fn started_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.started_at
    }

    pub(crate) fn config(&self) -> &ServerConfig {
        &self.inner.config
    }
}

/// The complete application router: every route, the API docs (`/docs`, `/openapi.json`), the
/// one error shape for unknown paths, request ids and HTTP metrics.
pub fn app(state: AppState) -> Router {
    metrics::register_all();
    let mut document = openapi::openapi_document();
    document.info.title = state.config().app_name.clone();
    routes::router()
        .merge(SwaggerUi::new("/docs").url("/openapi.json", document))
        .fallback(routes::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(middleware::observe))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
