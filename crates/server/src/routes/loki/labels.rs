//! What Grafana's Loki data source and Logs Drilldown ask besides queries: label names and
//! values, series, index statistics and volume, detected labels, and patterns — each over the
//! streams a selector matches in a time range.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use telemetryhub_intelligence::pattern_catalog::PatternCatalog;
use telemetryhub_model::{Labels, now_ns};
use telemetryhub_query::SeriesMatcher;

use super::params::{LokiParams, tenant};
use crate::routes::prometheus::render;
use crate::{AppState, LokiError};

/// The matchers of the `query` parameter's stream selector, none when absent.
fn selector_of(params: &LokiParams) -> Result<Vec<SeriesMatcher>, LokiError> {
    match params.get("query") {
        "" => Ok(Vec::new()),
        query => first_selector(query),
    }
}

/// The matchers of a query's first stream selector (the label and index APIs take a selector,
/// and Grafana sends the whole query).
fn first_selector(query: &str) -> Result<Vec<SeriesMatcher>, LokiError> {
    let selectors = telemetryhub_logql::query_selectors(query)?;
    Ok(selectors.into_iter().next().unwrap_or_default())
}

/// The label sets of the streams the selector in `query` matches in the request's range.
async fn streams_of(
    state: &AppState,
    headers: &HeaderMap,
    params: &LokiParams,
) -> Result<Vec<Labels>, LokiError> {
    let matchers = selector_of(params)?;
    let (start, end) = params.range(now_ns())?;
    Ok(state
        .backend()
        .query
        .log_stream_labels(&tenant(headers)?, &matchers, start, end.saturating_add(1))
        .await?)
}

/// Label names of the streams with lines in the range (of those `query` selects, if given).
#[utoipa::path(
    get, path = "/loki/api/v1/labels", tag = "loki",
    params(
        ("start" = Option<String>, Query, description = "Start: Unix ns or s, or RFC 3339 [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("since" = Option<String>, Query, description = "Range before end when start is absent [default: 1h]"),
        ("query" = Option<String>, Query, description = "Only streams this selector matches"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":[\"level\",\"service_name\",...]}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn labels(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let streams = streams_of(&state, &headers, &params).await?;
    let names: BTreeSet<&String> = streams.iter().flat_map(|labels| labels.keys()).collect();
    Ok(render::success(&names, &[]))
}

/// The values of one label among the streams with lines in the range.
#[utoipa::path(
    get, path = "/loki/api/v1/label/{name}/values", tag = "loki",
    params(
        ("name" = String, Path, description = "Label name"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("since" = Option<String>, Query, description = "Range before end [default: 1h]"),
        ("query" = Option<String>, Query, description = "Only streams this selector matches"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":[\"api\",\"web\"]}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn label_values(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let streams = streams_of(&state, &headers, &params).await?;
    let values: BTreeSet<&String> = streams
        .iter()
        .filter_map(|labels| labels.get(&name))
        .collect();
    Ok(render::success(&values, &[]))
}

/// The streams any `match[]` selector matches (every stream without one), as label sets.
#[utoipa::path(
    method(get, post), path = "/loki/api/v1/series", tag = "loki",
    params(
        ("match[]" = Option<Vec<String>>, Query, description = "Stream selector, e.g. {service_name=\"api\"}; repeat for a union"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("since" = Option<String>, Query, description = "Range before end [default: 1h]"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":[{\"service_name\":\"api\",...}]}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn series(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let (start, end) = params.range(now_ns())?;
    let tenant = tenant(&headers)?;
    let mut selectors = Vec::new();
    for text in params.all("match[]").into_iter().chain(params.all("match")) {
        selectors.push(telemetryhub_logql::stream_selector(text)?);
    }
    if selectors.is_empty() {
        selectors.push(Vec::new());
    }
    let mut series: BTreeSet<Labels> = BTreeSet::new();
    for matchers in &selectors {
        series.extend(
            state
                .backend()
                .query
                .log_stream_labels(&tenant, matchers, start, end.saturating_add(1))
                .await?,
        );
    }
    Ok(render::success(&series, &[]))
}

/// How many streams, lines and bytes the selector in `query` covers in the range. `chunks` is
/// always 0: TelemetryHub stores lines in columnar parts, not chunks.
#[utoipa::path(
    get, path = "/loki/api/v1/index/stats", tag = "loki",
    params(
        ("query" = String, Query, description = "Stream selector"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
    ),
    responses((status = 200, description = "{\"streams\":2,\"chunks\":0,\"entries\":120,\"bytes\":8000}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn index_stats(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let matchers = first_selector(params.query()?)?;
    let (start, end) = params.range(now_ns())?;
    let volumes = state
        .backend()
        .query
        .log_stream_volumes(&tenant(&headers)?, &matchers, start, end.saturating_add(1))
        .await?;
    let body = json!({
        "streams": volumes.len(),
        "chunks": 0,
        "entries": volumes.iter().map(|v| v.entries).sum::<u64>(),
        "bytes": volumes.iter().map(|v| v.bytes).sum::<u64>(),
    });
    Ok(axum::Json(body).into_response())
}

/// Bytes of the lines the selector in `query` covers in the range, grouped by the labels of
/// `targetLabels` (comma-separated), else by the labels the selector names (`aggregateBy=series`,
/// the default) or per label name (`aggregateBy=labels`); the `limit` largest (default 100), as a
/// vector at `end`.
#[utoipa::path(
    get, path = "/loki/api/v1/index/volume", tag = "loki",
    params(
        ("query" = String, Query, description = "Stream selector"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("limit" = Option<usize>, Query, description = "At most this many groups [default: 100]"),
        ("targetLabels" = Option<String>, Query, description = "Group by these labels (comma-separated)"),
        ("aggregateBy" = Option<String>, Query, description = "series (default) or labels"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{...},\"value\":[t,\"bytes\"]}]}}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn index_volume(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let matchers = first_selector(params.query()?)?;
    let (start, end) = params.range(now_ns())?;
    let limit = params.limit(usize::MAX)?;
    let by_labels = match params.get("aggregateBy") {
        "" | "series" => false,
        "labels" => true,
        other => {
            return Err(LokiError::bad_request(format!(
                "invalid aggregateBy {other:?}: must be series or labels"
            )));
        }
    };
    let targets: Vec<String> = match params.get("targetLabels") {
        "" => matchers.iter().map(|m| m.name.clone()).collect(),
        text => text
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    };
    let volumes = state
        .backend()
        .query
        .log_stream_volumes(&tenant(&headers)?, &matchers, start, end.saturating_add(1))
        .await?;
    let mut groups: BTreeMap<Labels, u64> = BTreeMap::new();
    for volume in &volumes {
        if by_labels {
            for name in volume
                .labels
                .keys()
                .filter(|n| targets.is_empty() || targets.contains(n))
            {
                *groups
                    .entry(Labels::from([(name.clone(), String::new())]))
                    .or_default() += volume.bytes;
            }
        } else {
            let group: Labels = volume
                .labels
                .iter()
                .filter(|(name, _)| targets.is_empty() || targets.contains(name))
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect();
            *groups.entry(group).or_default() += volume.bytes;
        }
    }
    let mut groups: Vec<(Labels, u64)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups.truncate(limit);
    let at = end as f64 / 1e9;
    let result: Vec<Value> = groups
        .into_iter()
        .map(|(metric, bytes)| json!({"metric": metric, "value": [at, bytes.to_string()]}))
        .collect();
    Ok(render::success(
        &json!({"resultType": "vector", "result": result}),
        &[],
    ))
}

/// The stream labels of the selected streams with their number of distinct values.
#[utoipa::path(
    get, path = "/loki/api/v1/detected_labels", tag = "loki",
    params(
        ("query" = Option<String>, Query, description = "Stream selector [default: every stream]"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
    ),
    responses((status = 200, description = "{\"detectedLabels\":[{\"label\":\"pod\",\"cardinality\":3}]}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn detected_labels(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let streams = streams_of(&state, &headers, &params).await?;
    let mut values: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
    for labels in &streams {
        for (name, value) in labels {
            values.entry(name).or_default().insert(value);
        }
    }
    let detected: Vec<Value> = values
        .into_iter()
        .map(|(label, values)| json!({"label": label, "cardinality": values.len()}))
        .collect();
    Ok(axum::Json(json!({ "detectedLabels": detected })).into_response())
}

/// The log patterns of the selected streams' lines with their counts per step, most lines
/// first; variables written `<_>` as Loki writes them.
#[utoipa::path(
    get, path = "/loki/api/v1/patterns", tag = "loki",
    params(
        ("query" = String, Query, description = "Stream selector"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("step" = Option<String>, Query, description = "Bucket width [default: the range in 250 steps, at least 10s]"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":[{\"pattern\":\"GET <_> <_>\",\"samples\":[[1700000000,12],...]}]}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn patterns(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    const MIN_STEP_NS: i64 = 10_000_000_000;
    let matchers = first_selector(params.query()?)?;
    let (start, end) = params.range(now_ns())?;
    let step = match params.duration("step")? {
        Some(step) => step,
        None => params.step(start, end)?.max(MIN_STEP_NS),
    };
    let patterns = PatternCatalog::new(state.backend(), state.patterns())
        .stream_patterns(
            &tenant(&headers)?,
            &matchers,
            start,
            end.saturating_add(1),
            step,
        )
        .await?;
    let data: Vec<Value> = patterns
        .into_iter()
        .map(|pattern| {
            let samples: Vec<Value> = pattern
                .samples
                .iter()
                .map(|(bucket, lines)| json!([bucket.div_euclid(1_000_000_000), lines]))
                .collect();
            json!({"pattern": pattern.template.replace("<*>", "<_>"), "samples": samples})
        })
        .collect();
    Ok(render::success(&data, &[]))
}

/// The fields of the selected streams' newest lines that are not stream labels: structured
/// metadata and what the `json` and `logfmt` parsers find, with their types and cardinality.
#[utoipa::path(
    get, path = "/loki/api/v1/detected_fields", tag = "loki",
    params(
        ("query" = String, Query, description = "LogQL log query"),
        ("start" = Option<String>, Query, description = "Start [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("line_limit" = Option<usize>, Query, description = "Newest lines looked at [default: 1000]"),
        ("limit" = Option<usize>, Query, description = "At most this many fields [default: 1000]"),
    ),
    responses((status = 200, description = "{\"fields\":[{\"label\":\"status\",\"type\":\"int\",\"cardinality\":3,\"parsers\":[\"json\"]}],\"limit\":1000}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn detected_fields(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    const DEFAULT_LIMIT: usize = 1000;
    let query = params.query()?;
    let (start, end) = params.range(now_ns())?;
    let count = |name: &str| -> Result<usize, LokiError> {
        match params.get(name) {
            "" => Ok(DEFAULT_LIMIT),
            text => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    LokiError::bad_request(format!("{name} must be a positive integer"))
                }),
        }
    };
    let (line_limit, field_limit) = (count("line_limit")?, count("limit")?);
    let line_limit = line_limit.min(state.logql().options().max_entries_limit);
    let tenant = tenant(&headers)?;
    let source = super::log_source(&state, &tenant);
    let fields = telemetryhub_logql::detected_fields(
        state.logql(),
        &source,
        query,
        start,
        end.saturating_add(1),
        line_limit,
        field_limit,
    )
    .await?;
    let fields: Vec<Value> = fields
        .into_iter()
        .map(|f| {
            let parsers = if f.parsers.is_empty() {
                Value::Null
            } else {
                json!(f.parsers)
            };
            json!({"label": f.label, "type": f.field_type, "cardinality": f.cardinality, "parsers": parsers})
        })
        .collect();
    Ok(axum::Json(json!({"fields": fields, "limit": field_limit})).into_response())
}
