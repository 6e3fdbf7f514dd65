//! What is scraped and why a target is down: `/api/v1/targets` and `/api/v1/targets/metadata`
//! in Prometheus' shapes, and `/-/reload` (Prometheus' lifecycle endpoint) to re-read the
//! scrape configuration. A caller sees the targets whose data goes to its tenant.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use telemetryhub_model::format_rfc3339;
use telemetryhub_promql::series_selector;
use telemetryhub_scrape::{ActiveTarget, TargetsSnapshot};

use super::params::PromParams;
use super::render;
use crate::params::tenant;
use crate::{AppState, PrometheusError};

/// Go's zero time, which Prometheus shows as the last scrape of a target never scraped.
const NEVER: &str = "0001-01-01T00:00:00Z";

/// The targets of the caller's tenant, active (with their last scrape) and dropped.
#[utoipa::path(
    get, path = "/api/v1/targets", tag = "prometheus",
    params(
        ("state" = Option<String>, Query, description = "active, dropped or any [default: any]"),
        ("scrapePool" = Option<String>, Query, description = "Only this job's targets"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":{\"activeTargets\":[{\"discoveredLabels\",\"labels\",\"scrapePool\",\"scrapeUrl\",\"globalUrl\",\"lastError\",\"lastScrape\",\"lastScrapeDuration\",\"health\",\"scrapeInterval\",\"scrapeTimeout\"}],\"droppedTargets\":[{\"discoveredLabels\"}]}}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn targets(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let tenant = tenant(&headers)?;
    let wanted = params.get("state").to_ascii_lowercase();
    let pool = Some(params.get("scrapePool")).filter(|p| !p.is_empty());
    let snapshot = tenant_targets(&state, &tenant).await;
    let in_pool = |name: &str| pool.is_none_or(|p| p == name);
    let active: Vec<Value> = if wanted == "dropped" {
        Vec::new()
    } else {
        snapshot
            .active
            .iter()
            .filter(|t| in_pool(&t.pool))
            .map(active_json)
            .collect()
    };
    let dropped: Vec<Value> = if wanted == "active" {
        Vec::new()
    } else {
        snapshot
            .dropped
            .iter()
            .filter(|t| in_pool(&t.pool))
            .map(|t| json!({"discoveredLabels": t.discovered_labels}))
            .collect()
    };
    let data = match wanted.as_str() {
        "active" => json!({"activeTargets": active}),
        "dropped" => json!({"droppedTargets": dropped}),
        _ => json!({"activeTargets": active, "droppedTargets": dropped}),
    };
    Ok(render::success(&data, &[]))
}

/// One active target in Prometheus' fields.
fn active_json(target: &ActiveTarget) -> Value {
    let status = &target.status;
    let last_scrape = if status.last_scrape_ns == 0 {
        NEVER.to_string()
    } else {
        format_rfc3339(status.last_scrape_ns)
    };
    json!({
        "discoveredLabels": target.target.discovered_labels,
        "labels": target.target.labels,
        "scrapePool": target.pool,
        "scrapeUrl": target.target.url,
        "globalUrl": target.target.url,
        "lastError": status.last_error,
        "lastScrape": last_scrape,
        "lastScrapeDuration": status.last_duration.as_secs_f64(),
        "health": status.health.as_str(),
        "scrapeInterval": telemetryhub_scrape::target::format_duration(target.target.interval),
        "scrapeTimeout": telemetryhub_scrape::target::format_duration(target.target.timeout),
    })
}

/// The metric families targets exposed in their last scrape.
#[utoipa::path(
    get, path = "/api/v1/targets/metadata", tag = "prometheus",
    params(
        ("match_target" = Option<String>, Query, description = "Label selector of targets, e.g. {job=\"node\"} [default: all]"),
        ("metric" = Option<String>, Query, description = "Only this metric family"),
        ("limit" = Option<usize>, Query, description = "At most this many entries"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":[{\"target\":{labels},\"metric\",\"type\",\"help\",\"unit\"}]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn targets_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let tenant = tenant(&headers)?;
    let limit = match params.get("limit") {
        "" => usize::MAX,
        text => text
            .parse::<i64>()
            .map_err(|_| PrometheusError::bad_data("limit must be a number"))
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))?,
    };
    let selector = match Some(params.get("match_target")).filter(|m| !m.is_empty()) {
        Some(text) => Some(series_selector(text).map_err(PrometheusError::from)?),
        None => None,
    };
    let metric = Some(params.get("metric")).filter(|m| !m.is_empty());
    let snapshot = tenant_targets(&state, &tenant).await;
    let mut data = Vec::new();
    for target in &snapshot.active {
        let matches = selector.as_ref().is_none_or(|sets| {
            sets.iter()
                .any(|set| set.iter().all(|m| m.matches_labels(&target.target.labels)))
        });
        if !matches {
            continue;
        }
        for (family, meta) in target.status.metadata.iter() {
            if metric.is_some_and(|m| m != family) {
                continue;
            }
            let mut entry = json!({
                "target": target.target.labels,
                "type": meta.kind,
                "help": meta.help,
                "unit": meta.unit,
            });
            if metric.is_none() {
                entry["metric"] = json!(family);
            }
            data.push(entry);
        }
    }
    data.truncate(limit);
    if selector.is_some() && data.is_empty() {
        return Err(PrometheusError::not_found("specified metadata not found"));
    }
    Ok(render::success(&data, &[]))
}

/// The names of the scrape pools (jobs) whose data goes to the caller's tenant (Prometheus
/// 2.42's `/api/v1/scrape_pools`).
#[utoipa::path(
    get, path = "/api/v1/scrape_pools", tag = "prometheus",
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"scrapePools\":[\"job\",...]}}"))
)]
pub(crate) async fn scrape_pools(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PrometheusError> {
    let tenant = tenant(&headers)?;
    let pools = match state.scraper() {
        Some(scraper) => scraper.pools(&tenant).await,
        None => Vec::new(),
    };
    Ok(render::success(&json!({ "scrapePools": pools }), &[]))
}

/// The targets whose data goes to `tenant`.
async fn tenant_targets(state: &AppState, tenant: &str) -> TargetsSnapshot {
    let Some(scraper) = state.scraper() else {
        return TargetsSnapshot::default();
    };
    let mut snapshot = scraper.targets().await;
    snapshot.active.retain(|t| t.tenant == tenant);
    snapshot.dropped.retain(|t| t.tenant == tenant);
    snapshot
}

/// Re-reads the scrape configuration (Prometheus' `POST /-/reload`): 200 when it applied, 500
/// with the reason when it was refused (the running configuration stays).
#[utoipa::path(
    post, path = "/-/reload", tag = "prometheus",
    responses(
        (status = 200, description = "The configuration was reloaded"),
        (status = 500, description = "The configuration was refused; the reason in plain text"),
    )
)]
pub(crate) async fn reload(State(state): State<AppState>) -> Response {
    let Some(scraper) = state.scraper() else {
        return StatusCode::OK.into_response();
    };
    match scraper.reload().await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("failed to reload config: {error}\n"),
        )
            .into_response(),
    }
}
