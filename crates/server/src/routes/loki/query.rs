//! LogQL queries: `/loki/api/v1/query` (a metric query at one time) and
//! `/loki/api/v1/query_range` (log lines as streams, or a metric query over steps), GET or POST
//! form, evaluated by the server's [`telemetryhub_logql::Engine`] over the caller's streams and
//! answered in Loki's JSON: `{"status":"success","data":{"resultType","result","stats"}}`.

use std::time::Instant;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;
use telemetryhub_logql::{Expr, InstantValue, Matrix, Streams};
use telemetryhub_model::now_ns;

use super::params::{LokiParams, tenant};
use crate::routes::prometheus::render::{self, push_json};
use crate::{AppState, LokiError};

const NS_PER_MS: i64 = 1_000_000;

/// A metric query's value at one time (`time`, default now).
#[utoipa::path(
    method(get, post), path = "/loki/api/v1/query", tag = "loki",
    params(
        ("query" = String, Query, description = "LogQL metric query, e.g. sum by (level) (count_over_time({service_name=\"api\"}[5m]))"),
        ("time" = Option<String>, Query, description = "Evaluation time: Unix ns or s, or RFC 3339 [default: now]"),
        ("limit" = Option<usize>, Query, description = "Lines of a log query [default: 100]"),
        ("direction" = Option<String>, Query, description = "forward or backward [default: backward]"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{...},\"value\":[t,\"v\"]}],\"stats\":{...}}}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn query(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let started = Instant::now();
    let text = params.query()?;
    let time = params.time("time", now_ns())?;
    let engine = state.logql();
    let expr = engine.parse(text)?;
    let tenant = tenant(&headers)?;
    let source = super::log_source(&state, &tenant);
    let data = match &expr {
        Expr::Log(_) => {
            // Loki answers a log query asked at one time with the lines before it.
            let limit = params.limit(engine.options().max_entries_limit)?;
            let direction = params.direction()?;
            let start = time.saturating_sub(3_600_000_000_000);
            let streams = timed(
                &state,
                engine.query_logs(&source, &expr, start, time, limit, direction),
            )
            .await?;
            streams_data(&streams, started)
        }
        Expr::Metric(_) => {
            let value = timed(&state, engine.instant_query(&source, &expr, time)).await?;
            instant_data(&value, time, started)
        }
    };
    Ok(render::success_raw(&data, &[]))
}

/// Log lines as streams (a log query) or a metric query at every step of a range.
#[utoipa::path(
    method(get, post), path = "/loki/api/v1/query_range", tag = "loki",
    params(
        ("query" = String, Query, description = "LogQL query, e.g. {service_name=\"api\"} |= \"timeout\""),
        ("start" = Option<String>, Query, description = "Start: Unix ns or s, or RFC 3339 [default: end - since]"),
        ("end" = Option<String>, Query, description = "End [default: now]"),
        ("since" = Option<String>, Query, description = "Range before end when start is absent [default: 1h]"),
        ("limit" = Option<usize>, Query, description = "Lines of a log query [default: 100]"),
        ("direction" = Option<String>, Query, description = "forward or backward [default: backward]"),
        ("step" = Option<String>, Query, description = "Step of a metric query: a duration or seconds [default: the range in 250 steps]"),
    ),
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\"|\"matrix\",\"result\":[...],\"stats\":{...}}}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn query_range(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let started = Instant::now();
    let text = params.query()?;
    let (start, end) = params.range(now_ns())?;
    let engine = state.logql();
    let expr = engine.parse(text)?;
    let tenant = tenant(&headers)?;
    let source = super::log_source(&state, &tenant);
    let data = match &expr {
        Expr::Log(_) => {
            let limit = params.limit(engine.options().max_entries_limit)?;
            let direction = params.direction()?;
            let streams = timed(
                &state,
                engine.query_logs(&source, &expr, start, end, limit, direction),
            )
            .await?;
            streams_data(&streams, started)
        }
        Expr::Metric(_) => {
            let step = params.step(start, end)?;
            let matrix =
                timed(&state, engine.range_query(&source, &expr, start, end, step)).await?;
            matrix_data(&matrix, started)
        }
    };
    Ok(render::success_raw(&data, &[]))
}

/// Runs an evaluation within the server's query timeout (`--query-timeout`).
async fn timed<T>(
    state: &AppState,
    evaluation: impl std::future::Future<Output = Result<T, telemetryhub_logql::LogqlError>>,
) -> Result<T, LokiError> {
    let limit = state.config().promql.timeout;
    match tokio::time::timeout(limit, evaluation).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(LokiError::timeout(format!(
            "query timed out after {}s (--query-timeout)",
            limit.as_secs_f64()
        ))),
    }
}

/// What Loki's `stats` says that this server knows: how long the query took and how many
/// entries it returned.
fn push_stats(out: &mut String, started: Instant, entries: usize) {
    let stats = json!({"summary": {
        "execTime": started.elapsed().as_secs_f64(),
        "queueTime": 0,
        "totalEntriesReturned": entries,
    }});
    out.push_str(r#","stats":"#);
    push_json(out, &stats);
}

/// `{"resultType":"streams","result":[{"stream":{…},"values":[["<ns>","<line>"],…]}],…}`.
pub(crate) fn streams_data(streams: &Streams, started: Instant) -> String {
    let mut out = String::from(r#"{"resultType":"streams","result":"#);
    push_streams(&mut out, streams);
    let entries = streams.iter().map(|s| s.entries.len()).sum();
    push_stats(&mut out, started, entries);
    out.push('}');
    out
}

/// Streams as Loki writes them: `[{"stream":{…},"values":[["<ns>","<line>"],…]},…]`.
pub(crate) fn push_streams(out: &mut String, streams: &Streams) {
    out.push('[');
    for (i, stream) in streams.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"stream":"#);
        push_json(out, &stream.labels);
        out.push_str(r#","values":["#);
        for (j, entry) in stream.entries.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("[\"");
            out.push_str(&entry.ts_ns.to_string());
            out.push_str("\",");
            push_json(out, &entry.line);
            out.push(']');
        }
        out.push_str("]}");
    }
    out.push(']');
}

/// `[<seconds>, "<value>"]` for a time in ns, as Prometheus writes samples (Loki writes them
/// alike).
fn push_sample(out: &mut String, t_ns: i64, value: f64) {
    render::push_sample(out, t_ns.div_euclid(NS_PER_MS), value);
}

/// `{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}],…}`.
fn matrix_data(matrix: &Matrix, started: Instant) -> String {
    let mut out = String::from(r#"{"resultType":"matrix","result":["#);
    for (i, series) in matrix.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"metric":"#);
        push_json(&mut out, &series.labels);
        out.push_str(r#","values":["#);
        for (j, (t_ns, value)) in series.points.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_sample(&mut out, *t_ns, *value);
        }
        out.push_str("]}");
    }
    out.push(']');
    push_stats(&mut out, started, 0);
    out.push('}');
    out
}

/// A vector or scalar at `time_ns` in Loki's shape.
fn instant_data(value: &InstantValue, time_ns: i64, started: Instant) -> String {
    let mut out = String::new();
    match value {
        InstantValue::Vector(samples) => {
            out.push_str(r#"{"resultType":"vector","result":["#);
            for (i, sample) in samples.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(r#"{"metric":"#);
                push_json(&mut out, &sample.labels);
                out.push_str(r#","value":"#);
                push_sample(&mut out, time_ns, sample.value);
                out.push('}');
            }
            out.push(']');
        }
        InstantValue::Scalar(scalar) => {
            out.push_str(r#"{"resultType":"scalar","result":"#);
            push_sample(&mut out, time_ns, *scalar);
        }
    }
    push_stats(&mut out, started, 0);
    out.push('}');
    out
}
