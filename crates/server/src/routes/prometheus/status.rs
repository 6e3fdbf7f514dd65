//! Prometheus' status endpoints, answered with what is true of this server:
//! `/api/v1/status/buildinfo` (TelemetryHub's version), `/api/v1/status/runtimeinfo` (start time,
//! working directory, threads) and `/api/v1/status/flags` (the PromQL engine's settings, under
//! Prometheus' flag names).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::render;
use crate::AppState;

/// The server's version, in the fields of Prometheus' build information.
#[utoipa::path(
    get, path = "/api/v1/status/buildinfo", tag = "prometheus",
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"version\",\"revision\",\"branch\",\"buildUser\",\"buildDate\",\"goVersion\",\"application\"}}"))
)]
pub(crate) async fn buildinfo(State(state): State<AppState>) -> Response {
    let data = json!({
        "application": state.config().app_name,
        "version": env!("CARGO_PKG_VERSION"),
        "revision": "",
        "branch": "",
        "buildUser": "",
        "buildDate": "",
        "goVersion": "",
    });
    render::success(&data, &[])
}

/// Runtime information in the fields of Prometheus' (those that mean something here).
#[utoipa::path(
    get, path = "/api/v1/status/runtimeinfo", tag = "prometheus",
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"startTime\",\"CWD\",\"reloadConfigSuccess\",\"lastConfigTime\",\"corruptionCount\",\"goroutineCount\",\"GOMAXPROCS\",\"GOGC\",\"GODEBUG\",\"storageRetention\"}}"))
)]
pub(crate) async fn runtimeinfo(State(state): State<AppState>) -> Response {
    let started = state
        .started_at()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let data = json!({
        "startTime": started,
        "CWD": cwd,
        "reloadConfigSuccess": true,
        "lastConfigTime": started,
        "corruptionCount": 0,
        "goroutineCount": 0,
        "GOMAXPROCS": threads,
        "GOGC": "",
        "GODEBUG": "",
        "storageRetention": "",
    });
    render::success(&data, &[])
}

/// The PromQL engine's settings, named as Prometheus' flags.
#[utoipa::path(
    get, path = "/api/v1/status/flags", tag = "prometheus",
    responses((status = 200, description = "{\"status\":\"success\",\"data\":{\"query.lookback-delta\":\"5m0s\",\"query.max-samples\":\"50000000\",\"query.timeout\":\"2m0s\"}}"))
)]
pub(crate) async fn flags(State(state): State<AppState>) -> Response {
    let options = state.promql().options();
    let flags: BTreeMap<&str, String> = [
        (
            "query.lookback-delta",
            go_duration(options.lookback_delta_ms),
        ),
        ("query.max-samples", options.max_samples.to_string()),
        (
            "query.timeout",
            go_duration(i64::try_from(options.timeout.as_millis()).unwrap_or(i64::MAX)),
        ),
    ]
    .into();
    render::success(&flags, &[])
}

/// A duration as Go prints one (`5m0s`, `1h0m0s`, `1.5s`, `250ms`).
fn go_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms.abs() < 1000 {
        return format!("{ms}ms");
    }
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (hours, minutes) = (ms / 3_600_000, ms / 60_000 % 60);
    let seconds = match ms % 60_000 {
        s if s % 1000 == 0 => format!("{}s", s / 1000),
        s => format!("{}s", s as f64 / 1000.0),
    };
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}"),
        (0, m) => format!("{sign}{m}m{seconds}"),
        (h, m) => format!("{sign}{h}h{m}m{seconds}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_print_as_go_prints_them() {
        assert_eq!(super::go_duration(300_000), "5m0s");
        assert_eq!(super::go_duration(120_000), "2m0s");
        assert_eq!(super::go_duration(3_600_000), "1h0m0s");
        assert_eq!(super::go_duration(1_500), "1.5s");
        assert_eq!(super::go_duration(250), "250ms");
    }
}
