//! End-to-end tests: each starts the real `telemetryhub` binary on an ephemeral loopback port
//! with a fresh data directory and talks HTTP to it. One test binary, one module per area.

mod api;
mod bad_input;
mod cli_tools;
mod crash;
mod grafana;
mod kafka;
mod loki_api;
mod otel_sdk;
mod patterns;
mod prometheus;
mod promql_api;
mod promql_differential;
mod records;
mod restart;
mod rollups;
mod scrape;
mod sql;
mod support;
mod tidy;
mod traces;
