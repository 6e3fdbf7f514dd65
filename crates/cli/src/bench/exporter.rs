//! `telemetryhub bench exporter`: many Prometheus targets served from one port, for comparing
//! scrapers on the same targets. Target `t` is `/metrics?t=<t>` (0 ≤ t < `--targets`); each
//! exposes `--series` series in the Prometheus text format: counters `bench_requests_total`
//! and gauges `bench_queue_depth` over label sets `{shard, code}`, with `# HELP`/`# TYPE`. The
//! counters grow at every request (values change as real targets' do); the text is rendered per
//! request from a template kept per target, so serving costs little beside the scrapers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use clap::Args;

/// Options of `bench exporter`.
#[derive(Args, Debug)]
pub struct ExporterArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:9109")]
    listen: String,
    /// Targets served (`/metrics?t=0` … `/metrics?t=<targets-1>`).
    #[arg(long, default_value_t = 1000)]
    targets: usize,
    /// Series per target (half counters, half gauges).
    #[arg(long, default_value_t = 1000)]
    series: usize,
}

/// Per target: the series' text before the value, and a scrape counter.
struct Exporter {
    series_text: Vec<String>,
    scrapes: Vec<AtomicU64>,
    served: AtomicU64,
}

#[derive(serde::Deserialize)]
struct TargetParam {
    t: usize,
}

pub async fn run(args: ExporterArgs) -> anyhow::Result<()> {
    let counters = args.series / 2;
    let gauges = args.series - counters;
    let mut series_text = Vec::with_capacity(args.targets);
    for _ in 0..args.targets {
        let mut text = String::new();
        text.push_str(
            "# HELP bench_requests_total Requests handled.\n# TYPE bench_requests_total counter\n",
        );
        for i in 0..counters {
            text.push_str(&format!(
                "bench_requests_total{{shard=\"{}\",code=\"{}\"}} \n",
                i / 5,
                [200, 201, 404, 500, 503][i % 5]
            ));
        }
        text.push_str("# HELP bench_queue_depth Items waiting.\n# TYPE bench_queue_depth gauge\n");
        for i in 0..gauges {
            text.push_str(&format!("bench_queue_depth{{shard=\"{i}\"}} \n"));
        }
        series_text.push(text);
    }
    let exporter = Arc::new(Exporter {
        scrapes: (0..args.targets).map(|_| AtomicU64::new(0)).collect(),
        series_text,
        served: AtomicU64::new(0),
    });
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .route("/served", axum::routing::get(served))
        .with_state(exporter);
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!("exporter listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// One target's exposition: each series' template line with a value that grows per scrape.
async fn metrics(
    State(exporter): State<Arc<Exporter>>,
    Query(param): Query<TargetParam>,
) -> Response {
    let (Some(template), Some(scrapes)) = (
        exporter.series_text.get(param.t),
        exporter.scrapes.get(param.t),
    ) else {
        return (StatusCode::NOT_FOUND, "no such target\n").into_response();
    };
    let scrape = scrapes.fetch_add(1, Ordering::Relaxed);
    exporter.served.fetch_add(1, Ordering::Relaxed);
    let mut body = String::with_capacity(template.len() + template.len() / 4);
    for (i, line) in template.split_inclusive('\n').enumerate() {
        match line.strip_suffix(" \n") {
            Some(series) => {
                body.push_str(series);
                body.push(' ');
                body.push_str(&(scrape * (i as u64 % 7 + 1)).to_string());
                body.push('\n');
            }
            None => body.push_str(line),
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Scrapes served so far (for the benchmark script's bookkeeping).
async fn served(State(exporter): State<Arc<Exporter>>) -> String {
    exporter.served.load(Ordering::Relaxed).to_string()
}
