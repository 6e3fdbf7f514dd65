//! The Jaeger query API (`/api/services`, `/api/services/{service}/operations`,
//! `/api/operations`, `/api/traces`, `/api/traces/{trace_id}`): what Grafana's Jaeger data
//! source and the Jaeger UI call. Answers use Jaeger's JSON envelope
//! `{"data", "total", "limit", "offset", "errors"}`; times are microseconds, as in Jaeger.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use telemetryhub_model::{ErrorCode, Span, SpanKind, SpanOperation, SpanTag, now_ns, object_tags};
use telemetryhub_query::{QueryError, TraceSearch};

use super::traces::normalise_trace_id;
use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// Jaeger's default search window and result count.
const DEFAULT_LOOKBACK_NS: i64 = 3_600 * 1_000_000_000;
const DEFAULT_TRACES: usize = 20;

/// Jaeger's envelope around a list.
fn envelope<T: serde::Serialize>(items: Vec<T>) -> Response {
    let total = items.len();
    Json(json!({"data": items, "total": total, "limit": 0, "offset": 0, "errors": null}))
        .into_response()
}

/// Errors in Jaeger's envelope, so the Jaeger UI and Grafana show the message.
fn jaeger_error(error: ApiError) -> Response {
    let status = error.status();
    let body = json!({
        "data": null, "total": 0, "limit": 0, "offset": 0,
        "errors": [{"code": status.as_u16(), "msg": error.message()}],
    });
    (status, Json(body)).into_response()
}

fn answer(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(jaeger_error)
}

/// The search window: `start`/`end` in Unix microseconds (Jaeger's form), else `lookback`
/// (e.g. `2h`) before now; default the last hour.
fn window(params: &Params) -> Result<(i64, i64), ApiError> {
    let micros = |name: &str| -> Result<Option<i64>, ApiError> {
        params
            .get(name)
            .map(|text| {
                text.parse::<i64>()
                    .map(|us| us.saturating_mul(1_000))
                    .map_err(|_| {
                        ApiError::invalid(
                            name,
                            format!("{name} must be Unix microseconds, got {text:?}"),
                        )
                    })
            })
            .transpose()
    };
    let now = now_ns();
    let until = micros("end")?.unwrap_or(now);
    let since = match micros("start")? {
        Some(start) => start,
        None => {
            let lookback = params
                .get("lookback")
                .filter(|text| *text != "custom")
                .map(|text| {
                    telemetryhub_model::parse_duration(text)
                        .map_err(|e| ApiError::invalid("lookback", e.to_string()))
                })
                .transpose()?
                .unwrap_or(DEFAULT_LOOKBACK_NS);
            until.saturating_sub(lookback)
        }
    };
    if since >= until {
        return Err(ApiError::invalid("start", "start must be earlier than end"));
    }
    // `end` is inclusive in Jaeger.
    Ok((since, until.saturating_add(1)))
}

/// Names of the services that recorded spans (all stored data).
#[utoipa::path(
    get, path = "/api/services", tag = "jaeger",
    responses((status = 200, description = "{\"data\": [service names]}"))
)]
pub(crate) async fn services(State(state): State<AppState>, headers: HeaderMap) -> Response {
    distinct_names(&state, &headers, None, |o| o.service).await
}

/// One field of the stored operations (all, or one service's), without repeats, in Jaeger's
/// envelope. Operations come sorted by service, then name.
async fn distinct_names(
    state: &AppState,
    headers: &HeaderMap,
    service: Option<&str>,
    pick: fn(SpanOperation) -> String,
) -> Response {
    answer(
        async {
            let operations = state
                .backend()
                .query
                .span_operations(&tenant(headers)?, service, 0, i64::MAX)
                .await?;
            let mut names: Vec<String> = operations.into_iter().map(pick).collect();
            names.dedup();
            Ok(envelope(names))
        }
        .await,
    )
}

/// Operation names of a service.
#[utoipa::path(
    get, path = "/api/services/{service}/operations", tag = "jaeger",
    params(("service" = String, Path, description = "Service name")),
    responses((status = 200, description = "{\"data\": [operation names]}"))
)]
pub(crate) async fn service_operations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(service): Path<String>,
) -> Response {
    distinct_names(&state, &headers, Some(&service), |o| o.name).await
}

/// Operations of a service with their span kinds (Jaeger's newer form).
#[utoipa::path(
    get, path = "/api/operations", tag = "jaeger",
    params(
        ("service" = String, Query, description = "Service name"),
        ("spanKind" = Option<String>, Query, description = "Only this kind (server, client, ...)"),
    ),
    responses((status = 200, description = "{\"data\": [{\"name\", \"spanKind\"}]}"))
)]
pub(crate) async fn operations(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(
        async {
            let params = Params::from_query(query)?;
            let service = params
                .get("service")
                .ok_or_else(|| ApiError::invalid("service", "service is required"))?;
            let kind = params
                .get("spanKind")
                .map(|k| {
                    k.parse::<SpanKind>()
                        .map_err(|e| ApiError::invalid("spanKind", e))
                })
                .transpose()?;
            let operations = state
                .backend()
                .query
                .span_operations(&tenant(&headers)?, Some(service), 0, i64::MAX)
                .await?;
            let data: Vec<Value> = operations
                .into_iter()
                .filter(|o| kind.is_none_or(|k| k == o.kind))
                .map(|o| json!({"name": o.name, "spanKind": jaeger_kind(o.kind)}))
                .collect();
            Ok(envelope(data))
        }
        .await,
    )
}

/// Traces matching a search: `service` (required by Jaeger's UI, optional here), `operation`,
/// `tags` (a JSON object of attribute values, or `key=value` pairs separated by spaces),
/// `minDuration`/`maxDuration` (`100ms`, `1.5s`), `start`/`end` (µs) or `lookback`, `limit`
/// (traces, default 20).
#[utoipa::path(
    get, path = "/api/traces", tag = "jaeger",
    params(
        ("service" = Option<String>, Query, description = "Service name"),
        ("operation" = Option<String>, Query, description = "Operation (span name)"),
        ("tags" = Option<String>, Query, description = "JSON object of attribute values, e.g. {\"http.status_code\":\"500\"}"),
        ("minDuration" = Option<String>, Query, description = "e.g. 100ms"),
        ("maxDuration" = Option<String>, Query, description = "e.g. 2s"),
        ("start" = Option<i64>, Query, description = "Unix microseconds"),
        ("end" = Option<i64>, Query, description = "Unix microseconds"),
        ("lookback" = Option<String>, Query, description = "e.g. 2h (when start is absent); default 1h"),
        ("limit" = Option<usize>, Query, description = "Traces; default 20"),
    ),
    responses((status = 200, description = "{\"data\": [Jaeger traces]}"))
)]
pub(crate) async fn find_traces(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(
        async {
            let params = Params::from_query(query)?;
            let tenant = tenant(&headers)?;
            let (since_ns, until_ns) = window(&params)?;
            let max_spans = state.config().max_query_limit;
            let limit = params.limit(DEFAULT_TRACES, max_spans)?;
            let tags = parse_tags(params.get("tags"))?;
            let search = TraceSearch {
                tenant,
                service: params.string("service"),
                operation: params.string("operation"),
                min_duration_ns: params.duration("minDuration")?,
                max_duration_ns: params.duration("maxDuration")?,
                tags,
                since_ns,
                until_ns,
                limit,
                max_spans,
            };
            let traces = state.backend().query.find_traces(&search).await?;
            Ok(envelope(traces.into_iter().map(jaeger_trace).collect()))
        }
        .await,
    )
}

/// One trace in Jaeger's form.
#[utoipa::path(
    get, path = "/api/traces/{trace_id}", tag = "jaeger",
    params(("trace_id" = String, Path, description = "Hex trace id")),
    responses((status = 200, description = "{\"data\": [one Jaeger trace]}"), (status = 404, description = "Jaeger error envelope"))
)]
pub(crate) async fn get_trace(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(trace_id): Path<String>,
) -> Response {
    answer(
        async {
            let trace_id = normalise_trace_id(&trace_id)?;
            let spans = state
                .backend()
                .query
                .trace_spans(
                    &tenant(&headers)?,
                    &trace_id,
                    state.config().max_query_limit,
                )
                .await
                .map_err(|error| match error {
                    // Jaeger's own wording of a missing trace.
                    QueryError::TraceNotFound(id) => {
                        ApiError::new(ErrorCode::NotFound, format!("trace {id} not found"))
                    }
                    other => ApiError::from(other),
                })?;
            Ok(envelope(vec![jaeger_trace(spans)]))
        }
        .await,
    )
}

/// Jaeger's `tags` parameter: a JSON object (`{"error":"true"}`), or logfmt-ish `k=v k2=v2`.
fn parse_tags(text: Option<&str>) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(BTreeMap::new());
    };
    if text.starts_with('{') {
        let object: Map<String, Value> = serde_json::from_str(text)
            .map_err(|e| ApiError::invalid("tags", format!("tags must be a JSON object: {e}")))?;
        return Ok(object
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect());
    }
    text.split_whitespace()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
                .ok_or_else(|| {
                    ApiError::invalid("tags", format!("expected key=value, got {pair:?}"))
                })
        })
        .collect()
}

fn jaeger_kind(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Unspecified => "",
        other => other.as_str(),
    }
}

/// A tag as a Jaeger key-value, typed `bool`, `int64`, `float64` or `string`.
fn key_value(tag: SpanTag) -> Value {
    let kind = match &tag.value {
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        _ => "string",
    };
    json!({"key": tag.key, "type": kind, "value": tag.value})
}

/// The members of a JSON object (a resource's or an event's attributes) as Jaeger key-values.
fn jaeger_tags(object: Option<&Value>) -> Vec<Value> {
    object_tags(object).into_iter().map(key_value).collect()
}

/// Spans of one trace in Jaeger's trace form, one process per service and resource.
fn jaeger_trace(spans: Vec<Span>) -> Value {
    let trace_id = spans
        .first()
        .map(|s| s.trace_id.clone())
        .unwrap_or_default();
    let mut processes: Map<String, Value> = Map::new();
    let mut process_ids: HashMap<(String, String), String> = HashMap::new();
    let mut out = Vec::with_capacity(spans.len());
    for span in &spans {
        let attributes = span.attributes_json();
        let resource = attributes.get("resource").cloned().unwrap_or(Value::Null);
        let key = (span.service.clone(), resource.to_string());
        let next = format!("p{}", process_ids.len() + 1);
        let process_id = process_ids
            .entry(key)
            .or_insert_with(|| {
                processes.insert(
                    next.clone(),
                    json!({"serviceName": span.service, "tags": jaeger_tags(Some(&resource))}),
                );
                next
            })
            .clone();
        let references: Vec<Value> = span
            .parent_span_id
            .iter()
            .map(|parent| json!({"refType": "CHILD_OF", "traceID": span.trace_id, "spanID": parent}))
            .chain(
                json_array(span.links.as_deref())
                    .iter()
                    .map(|link| json!({"refType": "FOLLOWS_FROM", "traceID": link["trace_id"], "spanID": link["span_id"]})),
            )
            .collect();
        let logs: Vec<Value> = json_array(span.events.as_deref())
            .iter()
            .map(|event| {
                let mut fields = vec![key_value(SpanTag::new("event", &event["name"]))];
                fields.extend(jaeger_tags(event.get("attributes")));
                json!({"timestamp": event["time_ns"].as_u64().unwrap_or(0) / 1_000, "fields": fields})
            })
            .collect();
        out.push(json!({
            "traceID": span.trace_id,
            "spanID": span.span_id,
            "operationName": span.name,
            "references": references,
            "flags": 1,
            "startTime": span.start_ns / 1_000,
            "duration": span.duration_ns / 1_000,
            "tags": span.tags_with(&attributes).into_iter().map(key_value).collect::<Vec<_>>(),
            "logs": logs,
            "processID": process_id,
            "warnings": null,
        }));
    }
    json!({"traceID": trace_id, "spans": out, "processes": processes, "warnings": null})
}

fn json_array(text: Option<&str>) -> Vec<Value> {
    text.and_then(|t| serde_json::from_str::<Vec<Value>>(t).ok())
        .unwrap_or_default()
}
