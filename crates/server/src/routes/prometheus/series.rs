//! Series metadata: `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/{name}/values`, each
//! GET or POST (form body), with repeated `match[]` selectors (a union), `start`, `end` and
//! `limit` (Prometheus 2.5x: at most that many, with the warning "results truncated due to
//! limit").

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use telemetryhub_query::{SeriesMatcher, SeriesSelect, label_names, label_values};

use super::params::{MAX_TIME_MS, MIN_TIME_MS, PromParams};
use super::{render, select_range};
use crate::params::tenant;
use crate::{AppState, PrometheusError};

const TRUNCATED: &str = "results truncated due to limit";

/// The label sets of the series the `match[]` selectors match.
#[utoipa::path(
    method(get, post), path = "/api/v1/series", tag = "prometheus",
    params(
        ("match[]" = Vec<String>, Query, description = "Series selector, e.g. up{job=\"api\"}; repeat for several (a union). At least one."),
        ("start" = Option<String>, Query, description = "Start: Unix seconds or RFC 3339 [default: all time]"),
        ("end" = Option<String>, Query, description = "End: Unix seconds or RFC 3339 [default: all time]"),
        ("limit" = Option<usize>, Query, description = "At most this many series (0: all)"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",...}]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn series(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    if params.all("match[]").is_empty() {
        return Err(PrometheusError::bad_data("no match[] parameter provided"));
    }
    let (selects, limit) = selection(&params, &headers, None)?;
    let mut series = state.backend().query.series_labels_of_any(&selects).await?;
    let warnings = truncate(&mut series, limit);
    Ok(render::success(&series, &warnings))
}

/// The label names of the series the `match[]` selectors match (of every series without one).
#[utoipa::path(
    method(get, post), path = "/api/v1/labels", tag = "prometheus",
    params(
        ("match[]" = Option<Vec<String>>, Query, description = "Series selector; repeat for several (a union) [default: every series]"),
        ("start" = Option<String>, Query, description = "Start: Unix seconds or RFC 3339 [default: all time]"),
        ("end" = Option<String>, Query, description = "End: Unix seconds or RFC 3339 [default: all time]"),
        ("limit" = Option<usize>, Query, description = "At most this many names (0: all)"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":[\"__name__\",\"job\",...]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn labels(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: PromParams,
) -> Result<Response, PrometheusError> {
    let (selects, limit) = selection(&params, &headers, None)?;
    let series = state.backend().query.series_labels_of_any(&selects).await?;
    let mut names = label_names(&series);
    let warnings = truncate(&mut names, limit);
    Ok(render::success(&names, &warnings))
}

/// The values a label takes in the series the `match[]` selectors match.
#[utoipa::path(
    get, path = "/api/v1/label/{name}/values", tag = "prometheus",
    params(
        ("name" = String, Path, description = "Label name (__name__ for metric names)"),
        ("match[]" = Option<Vec<String>>, Query, description = "Series selector; repeat for several (a union) [default: every series]"),
        ("start" = Option<String>, Query, description = "Start: Unix seconds or RFC 3339 [default: all time]"),
        ("end" = Option<String>, Query, description = "End: Unix seconds or RFC 3339 [default: all time]"),
        ("limit" = Option<usize>, Query, description = "At most this many values (0: all)"),
    ),
    responses(
        (status = 200, description = "{\"status\":\"success\",\"data\":[\"value\",...]}"),
        (status = 400, body = crate::error::PrometheusErrorBody),
    )
)]
pub(crate) async fn label_values_of(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, PrometheusError> {
    if !is_label_name(&name) {
        return Err(PrometheusError::bad_data(format!(
            "invalid label name: {name:?}"
        )));
    }
    // Read after the name is checked, so an invalid name is the error reported first.
    let params = PromParams::read(&method, &headers, &uri, &body)?;
    let (selects, limit) = selection(&params, &headers, Some(&name))?;
    let series = state.backend().query.series_labels_of_any(&selects).await?;
    let mut values = label_values(&series, &name);
    let warnings = truncate(&mut values, limit);
    Ok(render::success(&values, &warnings))
}

/// The selections of `match[]` (one matching every series when there is none; with `label`,
/// only series that have it) over `start`..`end`, and `limit`.
fn selection(
    params: &PromParams,
    headers: &HeaderMap,
    label: Option<&str>,
) -> Result<(Vec<SeriesSelect>, Option<usize>), PrometheusError> {
    let limit = params.limit()?;
    let start_ms = params.time_or("start", MIN_TIME_MS)?;
    let end_ms = params.time_or("end", MAX_TIME_MS)?;
    let mut sets = Vec::new();
    for text in params.all("match[]") {
        sets.extend(
            telemetryhub_promql::series_selector(text)
                .map_err(|e| PrometheusError::invalid_param("match[]", e))?,
        );
    }
    if sets.is_empty() {
        sets.push(Vec::new());
    }
    if let Some(label) = label {
        let present = SeriesMatcher::regex(label, ".+", false)
            .map_err(telemetryhub_query::QueryError::from)?;
        for set in &mut sets {
            set.push(present.clone());
        }
    }
    let tenant = tenant(headers)?;
    let selects = sets
        .into_iter()
        .map(|matchers| select_range(&tenant, matchers, start_ms, end_ms))
        .collect();
    Ok((selects, limit))
}

/// Keeps at most `limit` items; the warning when some were dropped.
fn truncate<T>(items: &mut Vec<T>, limit: Option<usize>) -> Vec<String> {
    match limit {
        Some(limit) if items.len() > limit => {
            items.truncate(limit);
            vec![TRUNCATED.to_string()]
        }
        _ => Vec::new(),
    }
}

/// Whether `name` is a valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
