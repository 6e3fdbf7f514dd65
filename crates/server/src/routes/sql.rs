//! `GET /query/sql?q=` and `POST /query/sql`: read-only SQL over the caller's tables
//! (`telemetryhub_query::Backend::sql`). This module reads the query, its limits and the
//! answer's format from the request, and sets the answer's media type and truncation header.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use telemetryhub_model::{ErrorCode, parse_duration};
use telemetryhub_query::{SqlFormat, SqlRequest, sql_table_docs};
use utoipa::ToSchema;

use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// Rows answered when the request names no `limit` (or the server's maximum, if smaller).
const DEFAULT_LIMIT: usize = 10_000;

/// The header saying whether rows were left out (CSV and Arrow bodies cannot carry it).
pub(crate) const TRUNCATED_HEADER: &str = "x-truncated";

/// The JSON body of `POST /query/sql` (a `text/plain` body is the query alone).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SqlBody {
    /// One SQL query.
    #[schema(
        example = "SELECT level, count(*) FROM logs WHERE ts >= now() - INTERVAL '1 hour' GROUP BY level"
    )]
    query: String,
    /// The most rows answered (default 10000); more are cut off and the answer flagged as
    /// truncated.
    limit: Option<usize>,
    /// Time limit, e.g. `10s` or `500ms`, or seconds; at most the server's (default 30s).
    #[schema(value_type = Option<String>, example = "10s")]
    timeout: Option<serde_json::Value>,
    /// `json`, `csv` or `arrow`; overrides `Accept`.
    #[schema(example = "json")]
    format: Option<String>,
}

/// The JSON answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct SqlJsonAnswer {
    /// The answer's columns: name and Arrow type (`Utf8`, `Float64`, `Timestamp(ns, "UTC")`, …).
    #[schema(value_type = Vec<Object>, example = json!([{"name": "level", "type": "Utf8"}, {"name": "count(*)", "type": "Int64"}]))]
    columns: Vec<serde_json::Value>,
    /// One array per row, values in column order: timestamps as RFC 3339 text, NaN and ±Inf
    /// as null.
    #[schema(value_type = Vec<Vec<Object>>, example = json!([["ERROR", 12], ["INFO", 3400]]))]
    rows: Vec<Vec<serde_json::Value>>,
    /// Whether rows were left out: the row limit, or the answer's size limit, was reached.
    truncated: bool,
}

/// Runs a read-only SQL query (DataFusion's dialect) over the caller's tables.
#[utoipa::path(
    get, path = "/query/sql", tag = "sql",
    params(
        ("q" = String, Query, description = "One SQL query"),
        ("limit" = Option<usize>, Query, description = "The most rows answered (default 10000, at most the server's sql_max_rows); more are cut off and flagged"),
        ("timeout" = Option<String>, Query, description = "Time limit (e.g. 10s), at most the server's sql_timeout (default 30s)"),
        ("format" = Option<String>, Query, description = "json, csv or arrow; overrides Accept"),
        ("X-Scope-OrgID" = Option<String>, Header, description = "Tenant (default: `default`)"),
    ),
    responses(
        (status = 200, description = "The rows. `X-Truncated: true` when rows were left out", body = SqlJsonAnswer,
            content(
                (SqlJsonAnswer = "application/json"),
                (String = "text/csv"),
                (Vec<u8> = "application/vnd.apache.arrow.stream"),
            )),
        (status = 400, description = "Invalid SQL (DataFusion's message), an unknown table (the tables are named), a statement other than a query, or the memory limit", body = crate::error::ErrorBody),
        (status = 504, description = "The query ran past its time limit (code `timeout`)", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn sql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = Params::from_query(query)?;
    let sql = params
        .string("q")
        .ok_or_else(|| ApiError::invalid("q", "q (the SQL query) is required"))?;
    let options = Options {
        limit: params.get("limit").map(str::to_string),
        timeout: params.get("timeout").map(str::to_string),
        format: params.get("format").map(str::to_string),
    };
    run(&state, &headers, sql, options).await
}

/// Runs a read-only SQL query given in the body: JSON (`{"query", "limit", "timeout",
/// "format"}`) or the query as `text/plain` (then `limit`, `timeout` and `format` come from
/// the query string).
#[utoipa::path(
    post, path = "/query/sql", tag = "sql",
    request_body(
        content(
            (SqlBody = "application/json"),
            (String = "text/plain"),
        ),
        description = "The query: a JSON object, or the SQL text itself",
    ),
    params(
        ("limit" = Option<usize>, Query, description = "With a text/plain body: the most rows answered"),
        ("timeout" = Option<String>, Query, description = "With a text/plain body: the time limit"),
        ("format" = Option<String>, Query, description = "With a text/plain body: json, csv or arrow"),
        ("X-Scope-OrgID" = Option<String>, Header, description = "Tenant (default: `default`)"),
    ),
    responses(
        (status = 200, description = "As for GET", body = SqlJsonAnswer,
            content(
                (SqlJsonAnswer = "application/json"),
                (String = "text/csv"),
                (Vec<u8> = "application/vnd.apache.arrow.stream"),
            )),
        (status = 400, body = crate::error::ErrorBody),
        (status = 415, description = "A body neither JSON nor text", body = crate::error::ErrorBody),
        (status = 504, body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn sql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let params = Params::from_query(query)?;
    let limit = state.config().limits.max_body_bytes;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("request body exceeds the limit of {limit} bytes"),
        )
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let from_params = Options {
        limit: params.get("limit").map(str::to_string),
        timeout: params.get("timeout").map(str::to_string),
        format: params.get("format").map(str::to_string),
    };
    let (sql, options) = match media_type.as_deref() {
        Some("application/json") => {
            let body: SqlBody = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::invalid("body", format!("invalid JSON body: {e}")))?;
            let timeout = match body.timeout {
                None => None,
                Some(serde_json::Value::String(text)) => Some(text),
                Some(serde_json::Value::Number(seconds)) => Some(seconds.to_string()),
                Some(_) => {
                    return Err(ApiError::invalid(
                        "timeout",
                        "timeout must be a duration such as \"10s\" or a number of seconds",
                    ));
                }
            };
            let options = Options {
                limit: body.limit.map(|l| l.to_string()).or(from_params.limit),
                timeout: timeout.or(from_params.timeout),
                format: body.format.or(from_params.format),
            };
            (body.query, options)
        }
        None | Some("text/plain") | Some("application/sql") => {
            let sql = String::from_utf8(bytes.to_vec())
                .map_err(|_| ApiError::invalid("body", "the SQL text must be UTF-8"))?;
            (sql, from_params)
        }
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                format!(
                    "unsupported Content-Type {other:?}: send the query as application/json ({{\"query\": \"…\"}}) or text/plain"
                ),
            ));
        }
    };
    if sql.trim().is_empty() {
        return Err(ApiError::invalid("query", "the SQL query is empty"));
    }
    run(&state, &headers, sql, options).await
}

/// The request's limits and format, as text, wherever they came from.
struct Options {
    limit: Option<String>,
    timeout: Option<String>,
    format: Option<String>,
}

async fn run(
    state: &AppState,
    headers: &HeaderMap,
    sql: String,
    options: Options,
) -> Result<Response, ApiError> {
    let config = &state.config().sql;
    let limit = match options.limit.as_deref() {
        None => DEFAULT_LIMIT.min(config.max_rows),
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=config.max_rows).contains(&limit) => limit,
            _ => {
                return Err(ApiError::invalid(
                    "limit",
                    format!(
                        "limit must be an integer from 1 to {}, got {text:?}",
                        config.max_rows
                    ),
                ));
            }
        },
    };
    // A request may shorten the server's time limit, never lengthen it (as PromQL's timeout).
    let timeout = match options.timeout.as_deref() {
        None => config.timeout,
        Some(text) => parse_timeout(text)?.min(config.timeout),
    };
    let format = match options.format.as_deref() {
        Some(name) => format_named(name)?,
        None => format_accepted(headers),
    };
    let request = SqlRequest {
        tenant: tenant(headers)?,
        query: sql,
        format,
        limit,
        timeout,
        max_memory_bytes: config.max_memory_bytes,
    };
    let answer = state.backend().sql(&request).await?;
    let mut response = answer.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.format.content_type()),
    );
    headers.insert(
        TRUNCATED_HEADER,
        HeaderValue::from_static(if answer.truncated { "true" } else { "false" }),
    );
    Ok(response)
}

/// A duration such as `10s` or `500ms`, or a number of seconds; positive.
fn parse_timeout(text: &str) -> Result<std::time::Duration, ApiError> {
    let nanos = match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() => (seconds * 1e9) as i64,
        _ => parse_duration(text).map_err(|e| ApiError::invalid("timeout", e.to_string()))?,
    };
    if nanos <= 0 {
        return Err(ApiError::invalid("timeout", "timeout must be positive"));
    }
    Ok(std::time::Duration::from_nanos(nanos as u64))
}

fn format_named(name: &str) -> Result<SqlFormat, ApiError> {
    match name.to_ascii_lowercase().as_str() {
        "json" => Ok(SqlFormat::Json),
        "csv" => Ok(SqlFormat::Csv),
        "arrow" => Ok(SqlFormat::Arrow),
        _ => Err(ApiError::invalid(
            "format",
            format!("format must be json, csv or arrow, got {name:?}"),
        )),
    }
}

/// The format `Accept` asks for: CSV or Arrow when named, JSON otherwise.
fn format_accepted(headers: &HeaderMap) -> SqlFormat {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase();
    let first = accept
        .split(',')
        .map(|media| media.split(';').next().unwrap_or_default().trim())
        .find_map(|media| match media {
            "application/vnd.apache.arrow.stream" => Some(SqlFormat::Arrow),
            "text/csv" => Some(SqlFormat::Csv),
            "application/json" => Some(SqlFormat::Json),
            _ => None,
        });
    first.unwrap_or(SqlFormat::Json)
}

/// The tables and their columns in Markdown, for the API docs.
pub(crate) fn tables_markdown() -> String {
    let mut text = String::from(
        "Read-only SQL (DataFusion's dialect) over the caller's tables (`X-Scope-OrgID`): \
         every table holds that tenant's rows only and has no `tenant` column. One query per \
         request; `CREATE`, `INSERT`, `COPY`, `SET` and the like are refused. Filters on `ts` \
         narrow what is read. `information_schema` lists the tables. Answers: JSON (default), \
         CSV (`Accept: text/csv` or `format=csv`) or an Arrow IPC stream \
         (`Accept: application/vnd.apache.arrow.stream` or `format=arrow`). At most `limit` \
         rows (or the server's answer-size limit) are answered; past it the answer is cut and \
         flagged (`truncated`, header `X-Truncated`). A query past its time limit is stopped \
         (504, code `timeout`); one needing more memory than the server allows fails (400).\n\n",
    );
    for table in sql_table_docs() {
        text.push_str(&format!(
            "**`{}`** — {}\n\n| column | type | |\n|---|---|---|\n",
            table.name, table.description
        ));
        for column in table.columns {
            text.push_str(&format!(
                "| `{}` | {} | {} |\n",
                column.name, column.sql_type, column.description
            ));
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests;
