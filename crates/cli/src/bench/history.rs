//! `telemetryhub bench history`: a fixed, deterministic history of Prometheus-style series sent
//! over remote_write in time order, for comparing PromQL engines on the same data.
//!
//! The data: `--counters` series of the counter `x_total{job, instance}` (`job-0`… over `--jobs`
//! jobs, `instance` `i-<n>`; series n grows by 4·(n+1) plus 0–3 per step, so the rates are
//! distinct and `topk` picks the same series everywhere), and a classic histogram `h` — for each
//! of `--histogram-instances` instances (`h-<n>`, job `job-<n mod jobs>`) the cumulative
//! `h_bucket` of ten `le` bounds (+Inf included), `h_sum` and `h_count`, 50–99 observations per
//! step. Samples are `--interval` apart over `--span`, the last at `--end-ms`.
//!
//! Series are sharded over `--connections` as Prometheus' remote_write shards them: each
//! connection sends its series' samples in time order, one request after the other, and every
//! request holds `--slices-per-request` consecutive time slices of its shard; the producer
//! generates slices in time order and runs at most two requests per shard ahead, so a receiver
//! that refuses samples out of order or far behind its newest (Prometheus' TSDB: about an hour)
//! accepts all of them. The same arguments give the same samples byte for byte.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use prost::Message;
use telemetryhub_model::{now_ns, parse_duration};
use telemetryhub_receivers::prom_remote_write::proto::{Label, Sample, TimeSeries, WriteRequest};

use super::next_random;

/// The histogram's upper bounds, as Prometheus writes them in `le`.
const BOUNDS: [(&str, f64); 10] = [
    ("0.005", 0.005),
    ("0.01", 0.01),
    ("0.025", 0.025),
    ("0.05", 0.05),
    ("0.1", 0.1),
    ("0.25", 0.25),
    ("0.5", 0.5),
    ("1", 1.0),
    ("2.5", 2.5),
    ("+Inf", f64::INFINITY),
];

/// Options of `bench history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Base URL of the receiver; samples go to `<target>/api/v1/write`.
    #[arg(long)]
    target: String,
    /// Series of the counter `x_total`.
    #[arg(long, default_value_t = 1000)]
    counters: usize,
    /// Distinct `job` values.
    #[arg(long, default_value_t = 10)]
    jobs: usize,
    /// Instances of the histogram `h` (each: ten buckets, sum and count).
    #[arg(long, default_value_t = 10)]
    histogram_instances: usize,
    /// How much history (e.g. 24h).
    #[arg(long, default_value = "24h")]
    span: String,
    /// Time between two samples of a series.
    #[arg(long, default_value = "15s")]
    interval: String,
    /// Time of the last sample, ms since the epoch (default: a minute ago, rounded down to a
    /// minute). Pass the same value to every system compared.
    #[arg(long)]
    end_ms: Option<i64>,
    /// Time slices per request (each request carries one connection's share of the series).
    #[arg(long, default_value_t = 4)]
    slices_per_request: usize,
    /// Connections, each sending its own shard of the series in time order.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Stop after this long, whatever has been sent.
    #[arg(long, default_value = "600s")]
    duration: String,
}

/// The state of every series, advanced one time slice at a time.
struct History {
    jobs: usize,
    counters: Vec<f64>,
    /// Per histogram instance: cumulative bucket counts, sum, count.
    buckets: Vec<[f64; 10]>,
    sums: Vec<f64>,
    counts: Vec<f64>,
    rng: u64,
}

impl History {
    fn new(counters: usize, jobs: usize, histogram_instances: usize) -> History {
        History {
            jobs,
            counters: (0..counters).map(|n| (n * 1000) as f64).collect(),
            buckets: vec![[0.0; 10]; histogram_instances],
            sums: vec![0.0; histogram_instances],
            counts: vec![0.0; histogram_instances],
            rng: 0x5eed_1234_abcd_ef01,
        }
    }

    fn series(&self) -> usize {
        self.counters.len() + self.buckets.len() * (BOUNDS.len() + 2)
    }

    /// Advances every series by one step and appends its sample at `t_ms` to `out`, whose
    /// series are in the order of [`History::labels`].
    fn step(&mut self, t_ms: i64, out: &mut [TimeSeries]) {
        let mut i = 0;
        let mut push = |out: &mut [TimeSeries], value: f64| {
            out[i].samples.push(Sample {
                value,
                timestamp: t_ms,
            });
            i += 1;
        };
        for n in 0..self.counters.len() {
            self.counters[n] += (4 * (n + 1)) as f64 + (next_random(&mut self.rng) % 4) as f64;
            push(out, self.counters[n]);
        }
        for h in 0..self.buckets.len() {
            let observations = 50 + next_random(&mut self.rng) % 50;
            // Latencies of about 50 ms · (1 + h/10), exponentially distributed.
            let mean = 0.05 * (1.0 + h as f64 / 10.0);
            for _ in 0..observations {
                let u = ((next_random(&mut self.rng) >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
                let v = -u.ln() * mean;
                self.sums[h] += v;
                for (b, (_, bound)) in BOUNDS.iter().enumerate() {
                    if v <= *bound {
                        self.buckets[h][b] += 1.0;
                    }
                }
            }
            self.counts[h] += observations as f64;
            for b in 0..BOUNDS.len() {
                push(out, self.buckets[h][b]);
            }
            push(out, self.sums[h]);
            push(out, self.counts[h]);
        }
    }

    /// Every series' labels, sorted by name, without samples.
    fn labels(&self) -> Vec<TimeSeries> {
        let label = |name: &str, value: String| Label {
            name: name.into(),
            value,
        };
        let series = |labels: Vec<Label>| TimeSeries {
            labels,
            samples: Vec::new(),
            exemplars: Vec::new(),
        };
        let mut all = Vec::with_capacity(self.series());
        for n in 0..self.counters.len() {
            all.push(series(vec![
                label("__name__", "x_total".into()),
                label("instance", format!("i-{n}")),
                label("job", format!("job-{}", n % self.jobs)),
            ]));
        }
        for h in 0..self.buckets.len() {
            let base = |name: &str| {
                vec![
                    label("__name__", name.into()),
                    label("instance", format!("h-{h}")),
                    label("job", format!("job-{}", h % self.jobs)),
                ]
            };
            for (le, _) in BOUNDS {
                let mut labels = base("h_bucket");
                labels.push(label("le", le.into()));
                all.push(series(labels));
            }
            all.push(series(base("h_sum")));
            all.push(series(base("h_count")));
        }
        all
    }
}

pub async fn run(args: HistoryArgs) -> anyhow::Result<()> {
    if args.jobs == 0 || args.connections == 0 || args.slices_per_request == 0 {
        bail!("--jobs, --connections and --slices-per-request must be at least 1");
    }
    let interval_ms = parse_duration(&args.interval).context("invalid --interval")? / 1_000_000;
    let span_ms = parse_duration(&args.span).context("invalid --span")? / 1_000_000;
    if interval_ms <= 0 || span_ms < interval_ms {
        bail!("--interval must be at least 1ms and --span at least one interval");
    }
    let limit = Duration::from_nanos(parse_duration(&args.duration)?.max(1) as u64);
    let end_ms = args
        .end_ms
        .unwrap_or_else(|| (now_ns() / 1_000_000 - 60_000).div_euclid(60_000) * 60_000);
    let slices = span_ms / interval_ms;
    let start_ms = end_ms - (slices - 1) * interval_ms;
    let url = format!("{}/api/v1/write", args.target.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .build()?;
    let mut history = History::new(args.counters, args.jobs, args.histogram_instances);
    let series = history.series();
    let template = history.labels();

    let samples = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let progress = {
        let samples = samples.clone();
        let errors = errors.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let done = samples.load(Ordering::Relaxed);
                eprintln!(
                    "[{:>5.1}s] {done} of {} samples ({:.0}%), {} errors",
                    started.elapsed().as_secs_f64(),
                    slices as u64 * series as u64,
                    100.0 * done as f64 / (slices as u64 * series as u64) as f64,
                    errors.load(Ordering::Relaxed)
                );
            }
        })
    };
    // As Prometheus' own remote_write does, each connection sends its shard of the series
    // (series i % connections) one request after the other, so every series arrives in time
    // order; the producer is at most two requests per shard ahead of the slowest connection.
    let shards = args.connections;
    let mut senders = Vec::with_capacity(shards);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..shards {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<(Vec<u8>, u64)>(2);
        senders.push(sender);
        let (client, url, samples, errors) =
            (client.clone(), url.clone(), samples.clone(), errors.clone());
        tasks.spawn(async move {
            while let Some((body, in_request)) = receiver.recv().await {
                match post(&client, &url, body).await {
                    None => {
                        samples.fetch_add(in_request, Ordering::Relaxed);
                    }
                    Some(message) => {
                        if errors.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("request failed: {message}");
                        }
                    }
                }
            }
        });
    }
    let mut requests = 0u64;
    let mut slice = 0i64;
    let mut timed_out = false;
    'send: while slice < slices {
        if started.elapsed() >= limit {
            timed_out = true;
            break;
        }
        let mut request = template.clone();
        let mut slices_in_request = 0u64;
        for _ in 0..args.slices_per_request {
            if slice == slices {
                break;
            }
            history.step(start_ms + slice * interval_ms, &mut request);
            slice += 1;
            slices_in_request += 1;
        }
        let mut shard_series: Vec<Vec<TimeSeries>> = (0..shards).map(|_| Vec::new()).collect();
        for (i, series) in request.into_iter().enumerate() {
            shard_series[i % shards].push(series);
        }
        for (shard, timeseries) in shard_series.into_iter().enumerate() {
            if timeseries.is_empty() {
                continue;
            }
            let in_request = timeseries.len() as u64 * slices_in_request;
            let body = snap::raw::Encoder::new().compress_vec(
                &WriteRequest {
                    timeseries,
                    metadata: vec![],
                }
                .encode_to_vec(),
            )?;
            requests += 1;
            if senders[shard].send((body, in_request)).await.is_err() {
                break 'send;
            }
        }
    }
    drop(senders);
    while let Some(outcome) = tasks.join_next().await {
        outcome?;
    }
    progress.abort();
    let elapsed = started.elapsed().as_secs_f64();
    let done = samples.load(Ordering::Relaxed);
    let failed = errors.load(Ordering::Relaxed);
    println!(
        "{{\"series\":{series},\"slices\":{slice},\"requests\":{requests},\"samples\":{done},\"errors\":{failed},\"seconds\":{elapsed:.3},\"samples_per_second\":{:.0},\"start_ms\":{start_ms},\"end_ms\":{end_ms},\"interval_ms\":{interval_ms},\"complete\":{}}}",
        done as f64 / elapsed,
        !timed_out && failed == 0
    );
    if failed > 0 {
        bail!("{failed} requests failed");
    }
    if timed_out {
        bail!("stopped at --duration after {slice} of {slices} time slices");
    }
    Ok(())
}

/// POSTs one remote_write body; the failure's message, if any.
async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> Option<String> {
    let outcome = client
        .post(url)
        .header("content-type", "application/x-protobuf")
        .header("content-encoding", "snappy")
        .header("x-prometheus-remote-write-version", "0.1.0")
        .body(body)
        .send()
        .await;
    match outcome {
        Ok(r) if r.status().is_success() => None,
        Ok(r) => Some(format!(
            "{} {}",
            r.status(),
            r.text().await.unwrap_or_default()
        )),
        Err(e) => Some(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_counters_grow() {
        let mut history = History::new(20, 10, 2);
        let mut out = history.labels();
        assert_eq!(out.len(), 20 + 2 * 12);
        for step in 0..3 {
            history.step(step * 15_000, &mut out);
        }
        for series in &out {
            assert_eq!(series.samples.len(), 3);
            let values: Vec<f64> = series.samples.iter().map(|s| s.value).collect();
            assert!(values.windows(2).all(|w| w[0] <= w[1]), "{series:?}");
            let names: Vec<&str> = series.labels.iter().map(|l| l.name.as_str()).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            assert_eq!(names, sorted);
        }
        // The +Inf bucket equals the count; buckets never decrease with le.
        let h0 = &out[20..32];
        assert_eq!(h0[9].samples[2].value, h0[11].samples[2].value);
        assert!(
            h0[..10]
                .windows(2)
                .all(|w| w[0].samples[2].value <= w[1].samples[2].value)
        );
    }
}
