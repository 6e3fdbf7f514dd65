//! `telemetryhub bench ingest`: a bounded load generator for every ingest protocol (TelemetryHub's
//! JSON, OTLP over HTTP and gRPC, Prometheus remote_write, Loki push).
//!
//! Connections send batches concurrently until the request count or the duration is reached,
//! printing progress every second, then a summary with throughput and latency percentiles.
//! Metric series are counters (monotonic, 0 to 19 per step), random-walk gauges, or both (`--shape`),
//! both at 15 s intervals ending now, which is what the bytes-per-point figures are measured on.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;
use telemetryhub_model::{now_ns, parse_duration};

mod exporter;
mod history;
mod kafka;

/// Benchmarks.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Send batched ingest requests to a running server.
    Ingest(IngestArgs),
    /// Send a fixed history (counters and a classic histogram) over remote_write, in time
    /// order, for comparing PromQL engines on the same data.
    History(history::HistoryArgs),
    /// Serve many Prometheus targets from one port, for comparing scrapers.
    Exporter(exporter::ExporterArgs),
    /// Create a Kafka topic, produce a file's lines to it, or consume it as a plain consumer
    /// (the Kafka benchmark's reference).
    Kafka(kafka::KafkaArgs),
}

/// What to send.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Kind {
    Metrics,
    Logs,
    /// Spans, in traces of five (OTLP only).
    Traces,
}

/// The wire protocol the load is sent in.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Protocol {
    /// TelemetryHub's NDJSON (`/ingest/metrics`, `/ingest/logs`).
    Json,
    /// OTLP/HTTP protobuf (`/v1/metrics`, `/v1/logs`, `/v1/traces`).
    OtlpHttp,
    /// OTLP/gRPC (`--target` is the gRPC listener, e.g. http://127.0.0.1:4317).
    OtlpGrpc,
    /// Prometheus remote_write, snappy + protobuf (`/api/v1/write`; metrics only).
    RemoteWrite,
    /// Loki push, JSON (`/loki/api/v1/push`; logs only).
    Loki,
    /// TelemetryHub's JSON, each request one array of objects (`/ingest/metrics`,
    /// `/ingest/logs`).
    JsonArray,
    /// Prometheus text exposition lines with millisecond timestamps, as VictoriaMetrics imports
    /// them (`/api/v1/import/prometheus`; metrics only; for comparing with VictoriaMetrics).
    PrometheusText,
}

/// The value shape of generated metric series.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Shape {
    /// Monotonic counters with integer increments of 10 to 19.
    Counter,
    /// Random walks with three decimals.
    Gauge,
    /// Even series counters, odd series gauges.
    Mixed,
}

/// Options of `bench ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Base URL of the server, e.g. http://127.0.0.1:8000 (the OTLP/gRPC listener for otlp-grpc).
    #[arg(long)]
    target: String,
    /// Send metric points or log lines.
    #[arg(long, value_enum, default_value = "metrics")]
    kind: Kind,
    /// Items per request.
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Concurrent connections.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Stop after this many requests in total.
    #[arg(long, default_value_t = 1000)]
    requests: u64,
    /// Stop after this long, whatever the count (e.g. 30s).
    #[arg(long, default_value = "60s")]
    duration: String,
    /// Distinct metric series (or log services x templates).
    #[arg(long, default_value_t = 1000)]
    series: usize,
    /// Value shape of metric series.
    #[arg(long, value_enum, default_value = "mixed")]
    shape: Shape,
    /// Labels per metric point besides the service, for the json, json-array and
    /// prometheus-text protocols: `instance` and `env`, then `l2`, `l3`, … (at least 2).
    #[arg(long, default_value_t = 2)]
    labels: usize,
    /// Wire protocol.
    #[arg(long, value_enum, default_value = "json")]
    protocol: Protocol,
}

pub fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Ingest(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(ingest(args))
        }
        BenchCommand::History(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(history::run(args))
        }
        BenchCommand::Exporter(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()?;
            runtime.block_on(exporter::run(args))
        }
        BenchCommand::Kafka(args) => kafka::run(args),
    }
}

struct Shared {
    sent_requests: AtomicU64,
    items: AtomicU64,
    errors: AtomicU64,
}

async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    if args.batch == 0 || args.connections == 0 || args.series == 0 {
        bail!("--batch, --connections and --series must be at least 1");
    }
    if args.labels < 2 {
        bail!("--labels must be at least 2 (instance and env)");
    }
    if args.series < args.connections {
        bail!("--series must be at least --connections: each connection owns its own series");
    }
    let limit = Duration::from_nanos(
        parse_duration(&args.duration)
            .context("invalid --duration")?
            .max(1) as u64,
    );
    let path = match (args.protocol, args.kind) {
        (Protocol::Json | Protocol::JsonArray, Kind::Metrics) => "/ingest/metrics",
        (Protocol::Json | Protocol::JsonArray, Kind::Logs) => "/ingest/logs",
        (Protocol::PrometheusText, Kind::Metrics) => "/api/v1/import/prometheus",
        (Protocol::OtlpHttp, Kind::Metrics) => "/v1/metrics",
        (Protocol::OtlpHttp, Kind::Logs) => "/v1/logs",
        (Protocol::OtlpHttp, Kind::Traces) => "/v1/traces",
        (Protocol::OtlpGrpc, _) => "",
        (Protocol::RemoteWrite, Kind::Metrics) => "/api/v1/write",
        (Protocol::Loki, Kind::Logs) => "/loki/api/v1/push",
        (protocol, kind) => bail!("--protocol {protocol:?} does not carry {kind:?}"),
    };
    let url = format!("{}{path}", args.target.trim_end_matches('/'));
    let protocol = args.protocol;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .build()?;
    let shared = Arc::new(Shared {
        sent_requests: AtomicU64::new(0),
        items: AtomicU64::new(0),
        errors: AtomicU64::new(0),
    });
    // Point i of the run belongs to series i % series at step i / series; steps are 15 s apart
    // and the last one is now, so the data is inside any retention.
    let total_points = args.requests * args.batch as u64;
    let steps = total_points.div_ceil(args.series as u64);
    let start_ns = now_ns() - steps as i64 * 15_000_000_000;
    let started = Instant::now();
    let deadline = started + limit;
    let mut tasks = Vec::new();
    for connection in 0..args.connections {
        let client = client.clone();
        let url = url.clone();
        let shared = shared.clone();
        let (kind, batch, series, requests, shape, connections, labels) = (
            args.kind,
            args.batch,
            args.series,
            args.requests,
            args.shape,
            args.connections,
            args.labels,
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut generator =
                Generator::new(connection, connections, series, start_ns, shape, labels);
            let grpc = match protocol {
                Protocol::OtlpGrpc => Some(
                    tonic::transport::Endpoint::from_shared(url.clone())?
                        .connect()
                        .await
                        .with_context(|| format!("cannot connect to {url}"))?,
                ),
                _ => None,
            };
            loop {
                let request = shared.sent_requests.fetch_add(1, Ordering::Relaxed);
                if request >= requests || Instant::now() >= deadline {
                    break;
                }
                let payload = generator.payload(kind, batch, protocol);
                let sent = Instant::now();
                let outcome = match (payload, &grpc) {
                    (Payload::Bytes(body), _) => post(&client, &url, protocol, body).await,
                    (otlp, Some(channel)) => export_grpc(channel.clone(), otlp).await,
                    (_, None) => Err("an OTLP request needs the otlp-grpc protocol".into()),
                };
                latencies.push(sent.elapsed());
                match outcome {
                    Ok(()) => {
                        shared.items.fetch_add(batch as u64, Ordering::Relaxed);
                    }
                    Err(message) => {
                        if shared.errors.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("request failed: {message}");
                        }
                    }
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let progress = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut last = 0;
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let items = shared.items.load(Ordering::Relaxed);
                eprintln!(
                    "[{:>5.1}s] {} items ({} /s), {} errors",
                    started.elapsed().as_secs_f64(),
                    items,
                    items - last,
                    shared.errors.load(Ordering::Relaxed)
                );
                last = items;
            }
        })
    };
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    progress.abort();
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let items = shared.items.load(Ordering::Relaxed);
    println!(
        "{{\"kind\":\"{:?}\",\"requests\":{},\"items\":{},\"errors\":{},\"seconds\":{:.3},\"items_per_second\":{:.0},\"p50_ms\":{:.2},\"p99_ms\":{:.2}}}",
        args.kind,
        latencies.len(),
        items,
        shared.errors.load(Ordering::Relaxed),
        elapsed,
        items as f64 / elapsed,
        percentile(0.50),
        percentile(0.99)
    );
    if shared.errors.load(Ordering::Relaxed) > 0 {
        bail!("some requests failed");
    }
    Ok(())
}

/// NDJSON lines as one JSON array.
fn json_array(ndjson: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(ndjson.len() + 2);
    body.push(b'[');
    for (i, line) in ndjson
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .enumerate()
    {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(line);
    }
    body.push(b']');
    body
}

/// One request's content: encoded bytes for HTTP, or an OTLP request for gRPC.
enum Payload {
    Bytes(Vec<u8>),
    Metrics(ExportMetricsServiceRequest),
    Logs(ExportLogsServiceRequest),
    Traces(ExportTraceServiceRequest),
}

/// POSTs one HTTP body with the protocol's headers.
async fn post(
    client: &reqwest::Client,
    url: &str,
    protocol: Protocol,
    body: Vec<u8>,
) -> Result<(), String> {
    let mut post = client.post(url);
    post = match protocol {
        Protocol::Json => post.header("content-type", "application/x-ndjson"),
        Protocol::JsonArray => post.header("content-type", "application/json"),
        Protocol::PrometheusText => post.header("content-type", "text/plain"),
        Protocol::OtlpHttp | Protocol::OtlpGrpc => {
            post.header("content-type", "application/x-protobuf")
        }
        Protocol::RemoteWrite => post
            .header("content-type", "application/x-protobuf")
            .header("content-encoding", "snappy")
            .header("x-prometheus-remote-write-version", "0.1.0"),
        Protocol::Loki => post.header("content-type", "application/json"),
    };
    match post.body(body).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!(
            "{} {}",
            r.status(),
            r.text().await.unwrap_or_default()
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Exports one OTLP request over gRPC; partial success counts as a failure (the load is valid).
async fn export_grpc(channel: tonic::transport::Channel, payload: Payload) -> Result<(), String> {
    use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
    use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient;
    use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;

    let rejected = match payload {
        Payload::Metrics(request) => MetricsServiceClient::new(channel)
            .export(request)
            .await
            .map(|r| r.into_inner().partial_success.map(|p| p.error_message)),
        Payload::Logs(request) => LogsServiceClient::new(channel)
            .export(request)
            .await
            .map(|r| r.into_inner().partial_success.map(|p| p.error_message)),
        Payload::Traces(request) => TraceServiceClient::new(channel)
            .export(request)
            .await
            .map(|r| r.into_inner().partial_success.map(|p| p.error_message)),
        Payload::Bytes(_) => return Err("raw bytes cannot go over gRPC".into()),
    };
    match rejected {
        Ok(None) => Ok(()),
        Ok(Some(message)) => Err(format!("partial success: {message}")),
        Err(status) => Err(status.to_string()),
    }
}

/// Generates one connection's points. Each connection owns the series `s` with
/// `s % connections == connection` and sends their steps in order, so per-series state (counter
/// totals, random walks) stays consistent however requests interleave across connections.
struct Generator {
    owned: Vec<usize>,
    sent: u64,
    start_ns: i64,
    shape: Shape,
    /// Labels per point (`--labels`).
    labels: usize,
    counters: Vec<f64>,
    walks: Vec<f64>,
    rng: u64,
}

impl Generator {
    fn new(
        connection: usize,
        connections: usize,
        series: usize,
        start_ns: i64,
        shape: Shape,
        labels: usize,
    ) -> Generator {
        let owned: Vec<usize> = (connection..series).step_by(connections).collect();
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64 ^ (connection as u64 + 1);
        let counters = owned
            .iter()
            .map(|_| (next_random(&mut rng) % 100_000) as f64)
            .collect();
        let walks = owned
            .iter()
            .map(|_| (next_random(&mut rng) % 1000) as f64)
            .collect();
        Generator {
            owned,
            sent: 0,
            start_ns,
            shape,
            labels,
            counters,
            walks,
            rng,
        }
    }

    /// The next point's (index into `owned`, series id, step).
    fn next_point(&mut self) -> (usize, usize, u64) {
        let n = self.owned.len().max(1) as u64;
        let (slot, step) = ((self.sent % n) as usize, self.sent / n);
        self.sent += 1;
        (slot, self.owned.get(slot).copied().unwrap_or(0), step)
    }

    /// The next `batch` points as (service, metric, value, ts, series).
    fn next_points(&mut self, batch: usize) -> Vec<(String, &'static str, f64, i64, usize)> {
        (0..batch)
            .map(|_| {
                let (slot, s, step) = self.next_point();
                let ts = self.start_ns + step as i64 * 15_000_000_000;
                let counter = match self.shape {
                    Shape::Counter => true,
                    Shape::Gauge => false,
                    Shape::Mixed => s.is_multiple_of(2),
                };
                let (metric, value) = if counter {
                    // A request counter: 0 to 19 requests per 15 s scrape.
                    self.counters[slot] += (next_random(&mut self.rng) % 20) as f64;
                    ("requests_total", self.counters[slot])
                } else {
                    self.walks[slot] +=
                        ((next_random(&mut self.rng) % 2001) as f64 - 1000.0) / 1000.0;
                    ("queue_depth", (self.walks[slot] * 1000.0).round() / 1000.0)
                };
                (format!("svc-{}", s % 10), metric, value, ts, s)
            })
            .collect()
    }

    /// The next request's content for `kind` in `protocol`.
    fn payload(&mut self, kind: Kind, batch: usize, protocol: Protocol) -> Payload {
        match (kind, protocol) {
            (Kind::Metrics, Protocol::RemoteWrite) => {
                Payload::Bytes(encode::remote_write(&self.next_points(batch)))
            }
            (Kind::Metrics, Protocol::OtlpHttp) => {
                Payload::Bytes(encode::otlp_metrics(&self.next_points(batch)).encode_to_vec())
            }
            (Kind::Metrics, Protocol::OtlpGrpc) => {
                Payload::Metrics(encode::otlp_metrics(&self.next_points(batch)))
            }
            (Kind::Metrics, Protocol::PrometheusText) => {
                Payload::Bytes(self.metrics_prometheus_text(batch))
            }
            (Kind::Metrics, Protocol::JsonArray) => Payload::Bytes(self.metrics_json(batch, true)),
            (Kind::Metrics, _) => Payload::Bytes(self.metrics_json(batch, false)),
            (Kind::Logs, Protocol::JsonArray) => {
                Payload::Bytes(json_array(&self.logs_ndjson(batch)))
            }
            (Kind::Logs, Protocol::Loki) => Payload::Bytes(encode::loki(&self.logs_ndjson(batch))),
            (Kind::Logs, Protocol::OtlpHttp) => {
                Payload::Bytes(encode::otlp_logs(&self.logs_ndjson(batch)).encode_to_vec())
            }
            (Kind::Logs, Protocol::OtlpGrpc) => {
                Payload::Logs(encode::otlp_logs(&self.logs_ndjson(batch)))
            }
            (Kind::Logs, _) => Payload::Bytes(self.logs_ndjson(batch)),
            (Kind::Traces, Protocol::OtlpGrpc) => Payload::Traces(self.traces(batch)),
            (Kind::Traces, _) => Payload::Bytes(self.traces(batch).encode_to_vec()),
        }
    }

    /// The labels of series `s` besides the service: `instance`, `env`, then `l2`… up to
    /// `--labels`, each extra label with a cardinality of its own.
    fn labels_of(&self, s: usize) -> Vec<(String, String)> {
        let mut labels = vec![
            ("instance".to_string(), format!("i-{s}")),
            ("env".to_string(), "bench".to_string()),
        ];
        for k in 2..self.labels {
            labels.push((format!("l{k}"), format!("v{}", s % (10 * k + 3))));
        }
        labels
    }

    /// Points as TelemetryHub's JSON objects: one per line, or one array.
    fn metrics_json(&mut self, batch: usize, array: bool) -> Vec<u8> {
        use std::fmt::Write;
        let mut body = String::with_capacity(batch * (100 + 20 * self.labels));
        if array {
            body.push('[');
        }
        for (i, (service, metric, value, ts, s)) in self.next_points(batch).into_iter().enumerate()
        {
            if array && i > 0 {
                body.push(',');
            }
            let labels: Vec<String> = self
                .labels_of(s)
                .iter()
                .map(|(name, value)| format!(r#""{name}":"{value}""#))
                .collect();
            let _ = write!(
                body,
                r#"{{"service":"{service}","metric":"{metric}","value":{value},"ts":{ts},"labels":{{{}}}}}"#,
                labels.join(",")
            );
            if !array {
                body.push('\n');
            }
        }
        if array {
            body.push(']');
        }
        body.into_bytes()
    }

    /// The same points as Prometheus text lines (the service as the `service` label), with
    /// millisecond timestamps.
    fn metrics_prometheus_text(&mut self, batch: usize) -> Vec<u8> {
        use std::fmt::Write;
        let mut body = String::with_capacity(batch * (100 + 20 * self.labels));
        for (service, metric, value, ts, s) in self.next_points(batch) {
            let labels: Vec<String> = self
                .labels_of(s)
                .iter()
                .map(|(name, value)| format!(r#"{name}="{value}""#))
                .collect();
            let _ = writeln!(
                body,
                r#"{metric}{{service="{service}",{}}} {value} {}"#,
                labels.join(","),
                ts / 1_000_000
            );
        }
        body.into_bytes()
    }

    /// `batch` spans in traces of five: a server span and four children (database, cache,
    /// payment call, render), one in a hundred children failed.
    fn traces(&mut self, batch: usize) -> ExportTraceServiceRequest {
        const CHILDREN: [(&str, i32); 4] = [
            ("SELECT orders", 3),
            ("cache get", 3),
            ("POST /charge", 3),
            ("render", 1),
        ];
        let mut spans = Vec::with_capacity(batch);
        while spans.len() < batch {
            let (_, s, step) = self.next_point();
            let start = (self.start_ns + step as i64 * 15_000_000_000 + s as i64) as u64;
            let trace_id: Vec<u8> = [next_random(&mut self.rng), next_random(&mut self.rng)]
                .iter()
                .flat_map(|n| n.to_be_bytes())
                .collect();
            let root_id = next_random(&mut self.rng).to_be_bytes().to_vec();
            let total = 5_000_000 + next_random(&mut self.rng) % 500_000_000;
            spans.push(encode::span(encode::SpanFields {
                service: format!("svc-{}", s % 10),
                trace_id: trace_id.clone(),
                span_id: root_id.clone(),
                parent: Vec::new(),
                name: "GET /api/orders",
                kind: 2,
                start,
                end: start + total,
                failed: false,
            }));
            for (i, (name, kind)) in CHILDREN.iter().enumerate() {
                if spans.len() == batch {
                    break;
                }
                let offset = total / 5 * i as u64;
                spans.push(encode::span(encode::SpanFields {
                    service: format!("svc-{}", s % 10),
                    trace_id: trace_id.clone(),
                    span_id: next_random(&mut self.rng).to_be_bytes().to_vec(),
                    parent: root_id.clone(),
                    name,
                    kind: *kind,
                    start: start + offset,
                    end: start + offset + total / 6,
                    failed: next_random(&mut self.rng).is_multiple_of(100),
                }));
            }
        }
        encode::traces(spans)
    }

    fn logs_ndjson(&mut self, batch: usize) -> Vec<u8> {
        use std::fmt::Write;
        const TEMPLATES: [&str; 4] = [
            "GET /api/orders/{} returned 200 in {}ms",
            "db timeout acquiring connection from pool {} after {}ms",
            "user {} logged in from 10.0.0.{}",
            "cache miss for key order:{} (size {} bytes)",
        ];
        const LEVELS: [&str; 4] = ["INFO", "ERROR", "INFO", "DEBUG"];
        let mut body = String::with_capacity(batch * 160);
        for _ in 0..batch {
            let (_, s, step) = self.next_point();
            let t = (next_random(&mut self.rng) % 4) as usize;
            let ts = self.start_ns + step as i64 * 15_000_000_000 + s as i64;
            let message = TEMPLATES[t]
                .replacen("{}", &(next_random(&mut self.rng) % 100_000).to_string(), 1)
                .replacen("{}", &(next_random(&mut self.rng) % 1000).to_string(), 1);
            let _ = writeln!(
                body,
                r#"{{"service":"svc-{}","level":"{}","message":"{message}","ts":{ts},"context":{{"request":{}}}}}"#,
                s % 10,
                LEVELS[t],
                self.sent
            );
        }
        body.into_bytes()
    }
}

/// xorshift64*: a tiny deterministic generator; the load needs variety, not quality.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// Encoders of the generated load into the other protocols.
mod encode {
    use std::collections::BTreeMap;

    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::metrics::v1::{
        Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, metric, number_data_point,
    };
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
    use prost::Message;
    use serde_json::{Value, json};
    use telemetryhub_receivers::prom_remote_write::proto::{
        Label, Sample, TimeSeries, WriteRequest,
    };

    type Point = (String, &'static str, f64, i64, usize);

    fn text(value: &str) -> Option<AnyValue> {
        Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.to_string())),
        })
    }

    fn attribute(key: &str, value: &str) -> KeyValue {
        KeyValue {
            key: key.to_string(),
            value: text(value),
            ..Default::default()
        }
    }

    pub(super) fn remote_write(points: &[Point]) -> Vec<u8> {
        let label = |name: &str, value: String| Label {
            name: name.into(),
            value,
        };
        let request = WriteRequest {
            timeseries: points
                .iter()
                .map(|(service, metric, value, ts, s)| TimeSeries {
                    labels: vec![
                        label("__name__", metric.to_string()),
                        label("job", service.clone()),
                        label("instance", format!("i-{s}")),
                    ],
                    samples: vec![Sample {
                        value: *value,
                        timestamp: ts / 1_000_000,
                    }],
                    exemplars: vec![],
                })
                .collect(),
            metadata: vec![],
        };
        snap::raw::Encoder::new()
            .compress_vec(&request.encode_to_vec())
            .unwrap_or_default()
    }

    pub(super) fn otlp_metrics(points: &[Point]) -> ExportMetricsServiceRequest {
        let mut by_service: BTreeMap<&str, Vec<Metric>> = BTreeMap::new();
        for (service, metric_name, value, ts, s) in points {
            by_service
                .entry(service.as_str())
                .or_default()
                .push(Metric {
                    name: metric_name.to_string(),
                    data: Some(metric::Data::Gauge(Gauge {
                        data_points: vec![NumberDataPoint {
                            attributes: vec![attribute("instance", &format!("i-{s}"))],
                            time_unix_nano: *ts as u64,
                            value: Some(number_data_point::Value::AsDouble(*value)),
                            ..Default::default()
                        }],
                    })),
                    ..Default::default()
                });
        }
        ExportMetricsServiceRequest {
            resource_metrics: by_service
                .into_iter()
                .map(|(service, metrics)| ResourceMetrics {
                    resource: Some(Resource {
                        attributes: vec![attribute("service.name", service)],
                        ..Default::default()
                    }),
                    scope_metrics: vec![ScopeMetrics {
                        metrics,
                        ..Default::default()
                    }],
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// The NDJSON log lines of the generator, as parsed values.
    fn lines(ndjson: &[u8]) -> Vec<Value> {
        ndjson
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect()
    }

    pub(super) fn loki(ndjson: &[u8]) -> Vec<u8> {
        let mut streams: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        for line in lines(ndjson) {
            let key = (
                line["service"].as_str().unwrap_or("").to_string(),
                line["level"].as_str().unwrap_or("").to_string(),
            );
            let ts = line["ts"].as_i64().unwrap_or(0).to_string();
            streams
                .entry(key)
                .or_default()
                .push(json!([ts, line["message"]]));
        }
        let streams: Vec<Value> = streams
            .into_iter()
            .map(|((service, level), values)| json!({"stream": {"service_name": service, "level": level}, "values": values}))
            .collect();
        json!({ "streams": streams }).to_string().into_bytes()
    }

    pub(super) fn otlp_logs(ndjson: &[u8]) -> ExportLogsServiceRequest {
        let mut by_service: BTreeMap<String, Vec<LogRecord>> = BTreeMap::new();
        for line in lines(ndjson) {
            by_service
                .entry(line["service"].as_str().unwrap_or("").to_string())
                .or_default()
                .push(LogRecord {
                    time_unix_nano: line["ts"].as_i64().unwrap_or(0) as u64,
                    severity_text: line["level"].as_str().unwrap_or("").to_string(),
                    body: text(line["message"].as_str().unwrap_or("")),
                    ..Default::default()
                });
        }
        ExportLogsServiceRequest {
            resource_logs: by_service
                .into_iter()
                .map(|(service, log_records)| ResourceLogs {
                    resource: Some(Resource {
                        attributes: vec![attribute("service.name", &service)],
                        ..Default::default()
                    }),
                    scope_logs: vec![ScopeLogs {
                        log_records,
                        ..Default::default()
                    }],
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// What differs between generated spans.
    pub(super) struct SpanFields {
        pub service: String,
        pub trace_id: Vec<u8>,
        pub span_id: Vec<u8>,
        pub parent: Vec<u8>,
        pub name: &'static str,
        pub kind: i32,
        pub start: u64,
        pub end: u64,
        pub failed: bool,
    }

    /// A span tagged with its service (as a resource attribute, regrouped by [`traces`]).
    pub(super) fn span(fields: SpanFields) -> (String, Span) {
        let span = Span {
            trace_id: fields.trace_id,
            span_id: fields.span_id,
            parent_span_id: fields.parent,
            name: fields.name.to_string(),
            kind: fields.kind,
            start_time_unix_nano: fields.start,
            end_time_unix_nano: fields.end,
            attributes: vec![
                attribute("http.route", "/api/orders"),
                attribute("env", "bench"),
            ],
            status: fields.failed.then(|| Status {
                message: "upstream failed".into(),
                code: 2,
            }),
            ..Default::default()
        };
        (fields.service, span)
    }

    pub(super) fn traces(spans: Vec<(String, Span)>) -> ExportTraceServiceRequest {
        let mut by_service: BTreeMap<String, Vec<Span>> = BTreeMap::new();
        for (service, span) in spans {
            by_service.entry(service).or_default().push(span);
        }
        ExportTraceServiceRequest {
            resource_spans: by_service
                .into_iter()
                .map(|(service, spans)| ResourceSpans {
                    resource: Some(Resource {
                        attributes: vec![attribute("service.name", &service)],
                        ..Default::default()
                    }),
                    scope_spans: vec![ScopeSpans {
                        spans,
                        ..Default::default()
                    }],
                    ..Default::default()
                })
                .collect(),
        }
    }
}
