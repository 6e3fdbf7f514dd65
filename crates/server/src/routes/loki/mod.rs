//! Loki's HTTP API, so Grafana's Loki data source, Logs Drilldown and `logcli` read the
//! server's logs as they read Loki: LogQL queries (`query.rs`), live tail over a WebSocket
//! (`tail.rs`), labels, series, index statistics and volume, detected labels and fields, and patterns
//! (`labels.rs`), and the build information. Parameters are read as Loki reads them
//! (`params.rs`); errors are a [`LokiError`]: the message as plain text with its status.
//!
//! [`LokiError`]: crate::LokiError

pub(crate) mod labels;
mod params;
pub(crate) mod query;
pub(crate) mod tail;

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use serde_json::json;
use telemetryhub_logql::TenantLogSource;

use crate::AppState;

/// The version of Loki's API this server answers as, in Loki's build information fields (clients
/// such as Logs Drilldown enable features by it); TelemetryHub's own version is under
/// `telemetryhub`.
const LOKI_API_VERSION: &str = "3.4.0";

/// Build information in Loki's fields.
#[utoipa::path(
    get, path = "/loki/api/v1/status/buildinfo", tag = "loki",
    responses((status = 200, description = "{\"version\",\"revision\",\"branch\",\"buildUser\",\"buildDate\",\"goVersion\",\"telemetryhub\"}"))
)]
pub(crate) async fn buildinfo() -> Response {
    axum::Json(json!({
        "version": LOKI_API_VERSION,
        "revision": "",
        "branch": "",
        "buildUser": "",
        "buildDate": "",
        "goVersion": "",
        "telemetryhub": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

/// `tenant`'s log streams as LogQL reads them, pattern ids resolved through merges as the
/// pattern catalogue shows them.
pub(crate) fn log_source<'a>(state: &'a AppState, tenant: &'a str) -> TenantLogSource<'a> {
    let patterns = state.clone();
    let owner = tenant.to_string();
    TenantLogSource {
        engine: &state.backend().query,
        tenant,
        resolve_pattern: Some(Arc::new(move |id| patterns.patterns().resolve(&owner, id))),
    }
}
