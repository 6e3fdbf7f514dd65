//! `GET /patterns`, `GET /patterns/{id}` and `POST /patterns/{id}/feedback`: the HTTP face of
//! `telemetryhub_intelligence::pattern_catalog`, which gathers counts, templates, summaries and
//! feedback.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use telemetryhub_intelligence::pattern_catalog::{
    FeedbackChange, LineFilter, PatternCatalog, PatternDetailQuery, PatternListQuery, PatternOrder,
    PatternOverview,
};
use telemetryhub_model::{Level, format_rfc3339, now_ns, parse_duration};
use utoipa::ToSchema;

use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// A log pattern with its counts in the asked time range.
#[derive(Serialize, ToSchema)]
pub(crate) struct PatternView {
    /// Pattern id (use with `/query/logs?pattern_id=`).
    pub id: u64,
    /// The template, variables written `<*>`.
    #[schema(example = "db timeout after <*>")]
    pub template: String,
    /// A human name given by feedback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A note given by feedback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// One-line summary: from the LLM when configured, else levels, services, count, template
    /// and frequent variable values.
    pub summary: String,
    /// `llm` or `rule`.
    pub summary_source: String,
    /// Lines of the pattern in the range.
    pub support_count: u64,
    /// Lines at ERROR or FATAL in the range.
    pub error_count: u64,
    /// Lines per service.
    pub services: BTreeMap<String, u64>,
    /// Levels seen.
    pub levels: Vec<String>,
    /// First line in the range, RFC 3339.
    pub first_seen: String,
    /// Last line in the range, RFC 3339.
    pub last_seen: String,
    /// Up to five example messages.
    pub samples: Vec<String>,
    /// Hidden from default lists.
    pub muted: bool,
    /// Flagged as important (listed first).
    pub important: bool,
}

/// One bucket of a pattern's count over time.
#[derive(Serialize, ToSchema)]
pub(crate) struct PatternBucket {
    /// Bucket start, RFC 3339.
    pub ts: String,
    /// Lines in the bucket.
    pub count: u64,
}

/// A pattern with its count over time and links to its lines.
#[derive(Serialize, ToSchema)]
pub(crate) struct PatternDetail {
    #[serde(flatten)]
    pub pattern: PatternView,
    /// Bucket width in seconds.
    pub step_seconds: f64,
    /// Lines per bucket, oldest first; empty buckets omitted.
    pub histogram: Vec<PatternBucket>,
    /// Where to read the pattern's lines.
    pub links: BTreeMap<String, String>,
}

/// Body of `POST /patterns/{id}/feedback`; absent fields keep their previous value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedbackRequest {
    /// Rename the pattern (empty string clears the name).
    name: Option<String>,
    /// Annotate it (empty string clears the note).
    note: Option<String>,
    /// Hide it from default lists, or show it again.
    mute: Option<bool>,
    /// Flag it as important, or not.
    important: Option<bool>,
    /// Merge it into this pattern: its lines count there, and future lines of its shape go there.
    merge_into: Option<u64>,
}

impl From<PatternOverview> for PatternView {
    fn from(overview: PatternOverview) -> Self {
        let totals = overview.totals;
        PatternView {
            id: overview.id,
            template: overview.template,
            name: overview.feedback.name,
            note: overview.feedback.note,
            summary: overview.summary,
            summary_source: overview.summary_source,
            support_count: totals.count,
            error_count: totals.errors,
            levels: totals.level_names().iter().map(|l| l.to_string()).collect(),
            first_seen: format_rfc3339(totals.first_ns.max(0)),
            last_seen: format_rfc3339(totals.last_ns.max(0)),
            services: totals.services,
            samples: overview.samples,
            muted: overview.feedback.muted,
            important: overview.feedback.important,
        }
    }
}

/// The `level` parameter, if given.
fn level(params: &Params) -> Result<Option<Level>, ApiError> {
    params
        .get("level")
        .map(|text| Level::normalise(text).map_err(|e| ApiError::invalid("level", e.to_string())))
        .transpose()
}

/// Log patterns of the range, most frequent first (or newest, or most errors).
#[utoipa::path(
    get, path = "/patterns", tag = "patterns",
    params(
        super::CommonQuery,
        ("level" = Option<String>, Query, description = "Only lines of this level"),
        ("sort" = Option<String>, Query, description = "count (default), new, or errors; important patterns come first"),
        ("include_muted" = Option<bool>, Query, description = "Also list muted patterns"),
    ),
    responses((status = 200, body = Vec<PatternView>), (status = 400, body = crate::error::ErrorBody))
)]
pub(crate) async fn list_patterns(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<PatternView>>, ApiError> {
    let params = Params::from_query(query)?;
    let tenant = tenant(&headers)?;
    let (since_ns, until_ns) = params.range()?;
    let limit = params.limit(50, state.config().max_query_limit)?;
    let order = match params.get("sort").unwrap_or("count") {
        "count" => PatternOrder::Count,
        "new" => PatternOrder::New,
        "errors" => PatternOrder::Errors,
        other => {
            return Err(ApiError::invalid(
                "sort",
                format!("sort must be count, new or errors, got {other:?}"),
            ));
        }
    };
    let include_muted = match params.get("include_muted") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "include_muted",
                format!("include_muted must be true or false, got {other:?}"),
            ));
        }
    };
    let query = PatternListQuery {
        tenant,
        lines: LineFilter {
            service: params.string("service"),
            level: level(&params)?,
        },
        since_ns,
        until_ns,
        order,
        include_muted,
        limit,
    };
    let overviews = PatternCatalog::new(state.backend(), state.patterns())
        .list(&query)
        .await?;
    Ok(Json(overviews.into_iter().map(PatternView::from).collect()))
}

/// One pattern: counts, its count over time, and a link to its lines.
#[utoipa::path(
    get, path = "/patterns/{id}", tag = "patterns",
    params(
        ("id" = u64, Path, description = "Pattern id"),
        super::CommonQuery,
        ("step" = Option<String>, Query, description = "Histogram bucket width (e.g. 5m); default: the range in 60 buckets"),
    ),
    responses((status = 200, body = PatternDetail), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn get_pattern(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<u64>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<PatternDetail>, ApiError> {
    let id = pattern_id(id)?;
    let params = Params::from_query(query)?;
    let tenant = tenant(&headers)?;
    let now = now_ns();
    let query = PatternDetailQuery {
        tenant,
        id,
        since_ns: params.optional_time("since", now)?,
        until_ns: params.optional_time("until", now)?,
        step_ns: params
            .get("step")
            .map(|text| parse_duration(text).map_err(|e| ApiError::invalid("step", e.to_string())))
            .transpose()?,
        lines: LineFilter {
            service: params.string("service"),
            level: level(&params)?,
        },
        now_ns: now,
    };
    let detail = PatternCatalog::new(state.backend(), state.patterns())
        .detail(&query)
        .await?;
    let id = detail.overview.id;
    let links = BTreeMap::from([("logs".to_string(), format!("/query/logs?pattern_id={id}"))]);
    Ok(Json(PatternDetail {
        pattern: PatternView::from(detail.overview),
        step_seconds: detail.step_ns as f64 / 1e9,
        histogram: detail
            .histogram
            .into_iter()
            .map(|(ts, count)| PatternBucket {
                ts: format_rfc3339(ts),
                count,
            })
            .collect(),
        links,
    }))
}

/// Rename, annotate, mute, mark important, or merge a pattern into another. Persisted; a merge
/// also applies to future lines.
#[utoipa::path(
    post, path = "/patterns/{id}/feedback", tag = "patterns",
    params(("id" = u64, Path, description = "Pattern id")),
    request_body = FeedbackRequest,
    responses((status = 200, body = PatternDetail), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn pattern_feedback(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<FeedbackRequest>, JsonRejection>,
) -> Result<Json<PatternDetail>, ApiError> {
    let id = pattern_id(id)?;
    let Json(request) = body.map_err(|e| ApiError::invalid("body", e.body_text()))?;
    let change = FeedbackChange {
        name: request.name,
        note: request.note,
        mute: request.mute,
        important: request.important,
        merge_into: request.merge_into,
    };
    let target = PatternCatalog::new(state.backend(), state.patterns())
        .give_feedback(&tenant(&headers)?, id, change)
        .await?;
    // The answer is the pattern (the merge target, after a merge) as `GET /patterns/{id}`
    // shows it by default.
    get_pattern(
        State(state),
        headers,
        Ok(Path(target)),
        Ok(Query(Vec::new())),
    )
    .await
}

fn pattern_id(id: Result<Path<u64>, PathRejection>) -> Result<u64, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::invalid("id", "the pattern id must be a non-negative integer"))
}
