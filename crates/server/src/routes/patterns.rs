//! `GET /patterns`, `GET /patterns/{id}` and `POST /patterns/{id}/feedback`.
//!
//! Counts come from the stored lines (per stored pattern id, service and level, in the asked
//! time range); templates, samples and merges from the tagger; names, notes, mute and importance
//! from feedback. Ids merged into another pattern are counted with it.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use telemetryhub_model::{
    ErrorCode, Level, PatternCountsQuery, PatternFeedback, PatternSummary, format_rfc3339, now_ns,
    parse_duration,
};
use telemetryhub_pipeline::{PatternTotals, fold_counts, summarize};
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

async fn gather(
    state: &AppState,
    tenant: &str,
    params: &Params,
    since_ns: i64,
    until_ns: i64,
) -> Result<BTreeMap<u64, PatternTotals>, ApiError> {
    let level = params
        .get("level")
        .map(|text| Level::normalise(text).map_err(|e| ApiError::invalid("level", e.to_string())))
        .transpose()?;
    let query = PatternCountsQuery {
        tenant: tenant.to_string(),
        service: params.string("service"),
        level,
        since_ns,
        until_ns,
    };
    let counts = state.backend().query.pattern_counts(&query).await?;
    let totals = fold_counts(counts, |id| state.patterns().resolve(tenant, id));
    Ok(totals)
}

/// What people and the summary job added to a tenant's patterns.
async fn annotations(
    state: &AppState,
    tenant: &str,
) -> Result<(HashMap<u64, PatternFeedback>, HashMap<u64, PatternSummary>), ApiError> {
    let feedback = state
        .backend()
        .state
        .pattern_feedback(tenant)
        .await?
        .into_iter()
        .collect();
    let summaries = state
        .backend()
        .state
        .pattern_summaries(tenant)
        .await?
        .into_iter()
        .map(|s| (s.pattern_id, s))
        .collect();
    Ok((feedback, summaries))
}

fn view(
    state: &AppState,
    tenant: &str,
    id: u64,
    totals: &PatternTotals,
    feedback: Option<&PatternFeedback>,
    summary: Option<&PatternSummary>,
) -> Option<PatternView> {
    let pattern = state.patterns().pattern(tenant, id)?;
    let levels = totals.level_names();
    let services = totals.service_names();
    let feedback = feedback.cloned().unwrap_or_default();
    // The summary job's text when it has written one, else the rule applied now.
    let (summary, summary_source) = match summary {
        Some(stored) => (stored.text.clone(), stored.source.clone()),
        None => (
            summarize(
                &pattern.template,
                &levels,
                &services,
                totals.count,
                &pattern.samples,
            ),
            "rule".to_string(),
        ),
    };
    Some(PatternView {
        id,
        summary,
        summary_source,
        template: pattern.template,
        name: feedback.name,
        note: feedback.note,
        support_count: totals.count,
        error_count: totals.errors,
        services: totals.services.clone(),
        levels: levels.iter().map(|l| l.to_string()).collect(),
        first_seen: format_rfc3339(totals.first_ns.max(0)),
        last_seen: format_rfc3339(totals.last_ns.max(0)),
        samples: pattern.samples,
        muted: feedback.muted,
        important: feedback.important,
    })
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
    let sort = params.get("sort").unwrap_or("count");
    if !["count", "new", "errors"].contains(&sort) {
        return Err(ApiError::invalid(
            "sort",
            format!("sort must be count, new or errors, got {sort:?}"),
        ));
    }
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
    let totals = gather(&state, &tenant, &params, since_ns, until_ns).await?;
    let (feedback, summaries) = annotations(&state, &tenant).await?;
    let mut views: Vec<PatternView> = totals
        .iter()
        .filter_map(|(id, totals)| {
            view(
                &state,
                &tenant,
                *id,
                totals,
                feedback.get(id),
                summaries.get(id),
            )
        })
        .filter(|v| include_muted || !v.muted)
        .collect();
    views.sort_by(|a, b| {
        b.important
            .cmp(&a.important)
            .then_with(|| match sort {
                "new" => b.first_seen.cmp(&a.first_seen),
                "errors" => b
                    .error_count
                    .cmp(&a.error_count)
                    .then(b.support_count.cmp(&a.support_count)),
                _ => b.support_count.cmp(&a.support_count),
            })
            .then(a.id.cmp(&b.id))
    });
    views.truncate(limit);
    Ok(Json(views))
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
    let not_found = || ApiError::new(ErrorCode::NotFound, format!("no log pattern {id}"));
    let pattern = state
        .patterns()
        .pattern(&tenant, id)
        .ok_or_else(not_found)?;
    let id = pattern.id;
    let now = now_ns();
    let since_ns = params.time(
        "since",
        now,
        pattern.first_seen_ns.min(now - 3_600_000_000_000),
    )?;
    let until_ns = params.time("until", now, now + 1)?;
    if since_ns >= until_ns {
        return Err(ApiError::invalid(
            "since",
            "since must be earlier than until",
        ));
    }
    let step_ns = match params.get("step") {
        Some(text) => parse_duration(text).map_err(|e| ApiError::invalid("step", e.to_string()))?,
        None => ((until_ns - since_ns) / 60).max(60_000_000_000),
    };
    if step_ns < 1_000_000_000 {
        return Err(ApiError::invalid("step", "step must be at least 1s"));
    }
    let totals = gather(&state, &tenant, &params, since_ns, until_ns).await?;
    let (feedback, summaries) = annotations(&state, &tenant).await?;
    let empty = PatternTotals::empty(pattern.first_seen_ns);
    let view = view(
        &state,
        &tenant,
        id,
        totals.get(&id).unwrap_or(&empty),
        feedback.get(&id),
        summaries.get(&id),
    )
    .ok_or_else(not_found)?;
    let members = state.patterns().members(&tenant, id);
    let histogram = state
        .backend()
        .query
        .pattern_histogram(&tenant, &members, since_ns, until_ns, step_ns)
        .await?
        .into_iter()
        .map(|(ts, count)| PatternBucket {
            ts: format_rfc3339(ts),
            count,
        })
        .collect();
    let links = BTreeMap::from([("logs".to_string(), format!("/query/logs?pattern_id={id}"))]);
    Ok(Json(PatternDetail {
        pattern: view,
        step_seconds: step_ns as f64 / 1e9,
        histogram,
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
    let tenant = tenant(&headers)?;
    let pattern = state
        .patterns()
        .pattern(&tenant, id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no log pattern {id}")))?;
    let id = pattern.id;
    if let Some(into) = request.merge_into {
        let changed = state.patterns().merge(&tenant, id, into).ok_or_else(|| {
            ApiError::invalid("merge_into", format!("cannot merge pattern {id} into {into}: unknown pattern, the same pattern, or a cycle"))
        })?;
        state.backend().state.save_patterns(changed).await?;
    }
    let mut feedback: PatternFeedback = state
        .backend()
        .state
        .pattern_feedback(&tenant)
        .await?
        .into_iter()
        .find(|(stored, _)| *stored == id)
        .map(|(_, f)| f)
        .unwrap_or_default();
    let text = |value: Option<String>, field: &str| -> Result<Option<Option<String>>, ApiError> {
        match value {
            None => Ok(None),
            Some(v) if v.len() > 1000 => Err(ApiError::invalid(
                field,
                format!("{field} must be at most 1000 bytes"),
            )),
            Some(v) if v.trim().is_empty() => Ok(Some(None)),
            Some(v) => Ok(Some(Some(v))),
        }
    };
    if let Some(name) = text(request.name, "name")? {
        feedback.name = name;
    }
    if let Some(note) = text(request.note, "note")? {
        feedback.note = note;
    }
    if let Some(mute) = request.mute {
        feedback.muted = mute;
    }
    if let Some(important) = request.important {
        feedback.important = important;
    }
    state
        .backend()
        .state
        .put_pattern_feedback(&tenant, id, feedback)
        .await?;
    let target = state.patterns().resolve(&tenant, id);
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
