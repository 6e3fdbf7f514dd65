//! `telemetryhub bench ingest`: a bounded load generator for the JSON ingest API.
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
use telemetryhub_model::{now_ns, parse_duration};

/// Benchmarks.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Send batched JSON ingest requests to a running server.
    Ingest(IngestArgs),
}

/// What to send.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Kind {
    Metrics,
    Logs,
}

/// The wire protocol the load is sent in.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Protocol {
    /// TelemetryHub's NDJSON (`/ingest/metrics`, `/ingest/logs`).
    Json,
    /// OTLP/HTTP protobuf (`/v1/metrics`, `/v1/logs`).
    OtlpHttp,
    /// Prometheus remote_write, snappy + protobuf (`/api/v1/write`; metrics only).
    RemoteWrite,
    /// Loki push, JSON (`/loki/api/v1/push`; logs only).
    Loki,
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
    /// Base URL of the server, e.g. http://127.0.0.1:8000.
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
    if args.series < args.connections {
        bail!("--series must be at least --connections: each connection owns its own series");
    }
    let limit = Duration::from_nanos(
        parse_duration(&args.duration)
            .context("invalid --duration")?
            .max(1) as u64,
    );
    let path = match (args.protocol, args.kind) {
        (Protocol::Json, Kind::Metrics) => "/ingest/metrics",
        (Protocol::Json, Kind::Logs) => "/ingest/logs",
        (Protocol::OtlpHttp, Kind::Metrics) => "/v1/metrics",
        (Protocol::OtlpHttp, Kind::Logs) => "/v1/logs",
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
        let (kind, batch, series, requests, shape, connections) = (
            args.kind,
            args.batch,
            args.series,
            args.requests,
            args.shape,
            args.connections,
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut generator = Generator::new(connection, connections, series, start_ns, shape);
            loop {
                let request = shared.sent_requests.fetch_add(1, Ordering::Relaxed);
                if request >= requests || Instant::now() >= deadline {
                    break;
                }
                let body = match kind {
                    Kind::Metrics => generator.metrics_body(batch, protocol),
                    Kind::Logs => generator.logs_body(batch, protocol),
                };
                let sent = Instant::now();
                let mut post = client.post(&url);
                post = match protocol {
                    Protocol::Json => post.header("content-type", "application/x-ndjson"),
                    Protocol::OtlpHttp => post.header("content-type", "application/x-protobuf"),
                    Protocol::RemoteWrite => post
                        .header("content-type", "application/x-protobuf")
                        .header("content-encoding", "snappy")
                        .header("x-prometheus-remote-write-version", "0.1.0"),
                    Protocol::Loki => post.header("content-type", "application/json"),
                };
                let response = post.body(body).send().await;
                let ok = matches!(&response, Ok(r) if r.status().is_success());
                latencies.push(sent.elapsed());
                if ok {
                    shared.items.fetch_add(batch as u64, Ordering::Relaxed);
                } else {
                    let failures = shared.errors.fetch_add(1, Ordering::Relaxed);
                    if failures < 5 {
                        match response {
                            Ok(r) => eprintln!(
                                "request failed: {} {}",
                                r.status(),
                                r.text().await.unwrap_or_default()
                            ),
                            Err(e) => eprintln!("request failed: {e}"),
                        }
                    }
                }
            }
            latencies
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
        latencies.extend(task.await?);
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

/// Generates one connection's points. Each connection owns the series `s` with
/// `s % connections == connection` and sends their steps in order, so per-series state (counter
/// totals, random walks) stays consistent however requests interleave across connections.
struct Generator {
    owned: Vec<usize>,
    sent: u64,
    start_ns: i64,
    shape: Shape,
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

    fn metrics_body(&mut self, batch: usize, protocol: Protocol) -> Vec<u8> {
        let points = self.next_points(batch);
        match protocol {
            Protocol::RemoteWrite => encode::remote_write(&points),
            Protocol::OtlpHttp => encode::otlp_metrics(&points),
            _ => {
                use std::fmt::Write;
                let mut body = String::with_capacity(batch * 120);
                for (service, metric, value, ts, s) in points {
                    let _ = writeln!(
                        body,
                        r#"{{"service":"{service}","metric":"{metric}","value":{value},"ts":{ts},"labels":{{"instance":"i-{s}","env":"bench"}}}}"#
                    );
                }
                body.into_bytes()
            }
        }
    }

    fn logs_body(&mut self, batch: usize, protocol: Protocol) -> Vec<u8> {
        let body = self.logs_ndjson(batch);
        match protocol {
            Protocol::Loki => encode::loki(&body),
            Protocol::OtlpHttp => encode::otlp_logs(&body),
            _ => body,
        }
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
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::metrics::v1::{
        Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, metric, number_data_point,
    };
    use opentelemetry_proto::tonic::resource::v1::Resource;
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

    pub(super) fn otlp_metrics(points: &[Point]) -> Vec<u8> {
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
        .encode_to_vec()
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

    pub(super) fn otlp_logs(ndjson: &[u8]) -> Vec<u8> {
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
        .encode_to_vec()
    }
}
