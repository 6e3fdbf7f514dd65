//! PromQL against the real thing: the same data — counters with resets, gauges, a classic
//! histogram, a target that disappears with a staleness marker, a gap longer than the lookback,
//! NaN and ±Inf values, several jobs and instances — is remote-written into a real Prometheus
//! (Debian's `prometheus` 2.42, started here with `--web.enable-remote-write-receiver`) and into
//! TelemetryHub; every query of `promql/queries.txt` is run against both through the Prometheus
//! HTTP API, as instant queries at several times and as range queries with several steps, and
//! any difference in status, result type, labels, timestamps or values (beyond a relative 1e-6,
//! NaN equal to NaN) fails the test. Every difference is listed before it fails.
//!
//! Every counter here starts at zero. Where a counter's first sample in a `rate` window is above
//! zero and the window begins well before it, Prometheus 2.51 changed the extrapolation
//! (prometheus/prometheus#13725, limiting extrapolation to the counter's zero point only where
//! it would otherwise reach below zero); TelemetryHub follows the newer rule, which Prometheus
//! 2.53's own test scripts check (`crates/promql/tests/promqltest.rs`), so that case is left out
//! of a comparison with 2.42.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use telemetryhub_receivers::prom_remote_write::proto::{Label, Sample, TimeSeries, WriteRequest};

use crate::support::{Prometheus, Server, remote_write, with_query};

/// Prometheus' staleness marker.
const STALE_NAN: u64 = 0x7ff0_0000_0000_0002;
const STEP_S: i64 = 15;
const SAMPLES: i64 = 241;

fn series(labels: &[(&str, &str)], samples: Vec<(i64, f64)>) -> TimeSeries {
    TimeSeries {
        labels: labels
            .iter()
            .map(|(name, value)| Label {
                name: name.to_string(),
                value: value.to_string(),
            })
            .collect(),
        samples: samples
            .into_iter()
            .map(|(timestamp, value)| Sample { value, timestamp })
            .collect(),
        exemplars: Vec::new(),
    }
}

/// The test data: `SAMPLES` samples every 15 s from `start_s`.
fn data(start_s: i64) -> WriteRequest {
    let at = |i: i64| (start_s + i * STEP_S) * 1000;
    let mut timeseries = Vec::new();
    let counter = |increment: &dyn Fn(i64) -> f64, reset_at: Option<i64>| {
        let mut value = 0.0;
        // Each counter starts at zero (see the module's note on extrapolation).
        (0..SAMPLES)
            .map(|i| {
                if Some(i) == reset_at {
                    value = (i % 3) as f64;
                } else if i > 0 {
                    value += increment(i);
                }
                (at(i), value)
            })
            .collect::<Vec<_>>()
    };
    timeseries.push(series(
        &[
            ("__name__", "diff_requests_total"),
            ("job", "api"),
            ("instance", "a:1"),
            ("code", "200"),
        ],
        counter(&|i| (5 + i % 7) as f64, Some(120)),
    ));
    timeseries.push(series(
        &[
            ("__name__", "diff_requests_total"),
            ("job", "api"),
            ("instance", "a:1"),
            ("code", "500"),
        ],
        counter(&|i| if i % 4 == 0 { 1.5 } else { 0.0 }, None),
    ));
    timeseries.push(series(
        &[
            ("__name__", "diff_requests_total"),
            ("job", "web"),
            ("instance", "b:1"),
            ("code", "200"),
        ],
        counter(&|i| 2.25 * (1 + i % 3) as f64, Some(200)),
    ));
    let gauge = |f: &dyn Fn(i64) -> f64| (0..SAMPLES).map(|i| (at(i), f(i))).collect::<Vec<_>>();
    timeseries.push(series(
        &[
            ("__name__", "diff_temperature"),
            ("job", "api"),
            ("instance", "a:1"),
        ],
        gauge(&|i| 20.0 + 3.0 * (i as f64 / 10.0).sin() + ((i * 37) % 11) as f64 / 10.0),
    ));
    timeseries.push(series(
        &[
            ("__name__", "diff_temperature"),
            ("job", "web"),
            ("instance", "b:1"),
        ],
        gauge(&|i| 22.0 + 2.0 * (i as f64 / 7.0).cos()),
    ));
    timeseries.push(series(
        &[
            ("__name__", "diff_temperature"),
            ("job", "batch"),
            ("instance", "c:1"),
        ],
        gauge(&|i| 18.0 + (i % 17) as f64 / 4.0),
    ));
    // A classic histogram: cumulative buckets, sum and count.
    let bounds = ["0.1", "0.5", "1", "+Inf"];
    let mut buckets = vec![Vec::new(); bounds.len()];
    let (mut cumulative, mut sum, mut sums, mut counts) = ([0.0; 4], 0.0, Vec::new(), Vec::new());
    for i in 0..SAMPLES {
        // No observation before the second sample: every bucket starts at zero.
        let observed = if i == 0 { 0.0 } else { 1.0 };
        let fast = observed * (i % 3) as f64;
        let medium = observed * (i % 2) as f64;
        let slow = observed;
        let very_slow = if i % 5 == 0 { observed } else { 0.0 };
        cumulative[0] += fast;
        cumulative[1] += fast + medium;
        cumulative[2] += fast + medium + slow;
        cumulative[3] += fast + medium + slow + very_slow;
        sum += 0.05 * fast + 0.3 * medium + 0.7 * slow + 2.5 * very_slow;
        for (b, bucket) in buckets.iter_mut().enumerate() {
            bucket.push((at(i), cumulative[b]));
        }
        sums.push((at(i), sum));
        counts.push((at(i), cumulative[3]));
    }
    for (bound, samples) in bounds.iter().zip(buckets) {
        timeseries.push(series(
            &[
                ("__name__", "diff_latency_seconds_bucket"),
                ("job", "api"),
                ("instance", "a:1"),
                ("le", bound),
            ],
            samples,
        ));
    }
    timeseries.push(series(
        &[
            ("__name__", "diff_latency_seconds_sum"),
            ("job", "api"),
            ("instance", "a:1"),
        ],
        sums,
    ));
    timeseries.push(series(
        &[
            ("__name__", "diff_latency_seconds_count"),
            ("job", "api"),
            ("instance", "a:1"),
        ],
        counts,
    ));
    // A target that disappears: a staleness marker, then nothing.
    let mut vanishing: Vec<(i64, f64)> = (0..120).map(|i| (at(i), i as f64)).collect();
    vanishing.push((at(120), f64::from_bits(STALE_NAN)));
    timeseries.push(series(
        &[
            ("__name__", "diff_vanishing"),
            ("job", "batch"),
            ("instance", "c:1"),
        ],
        vanishing,
    ));
    // A gap of ten minutes, twice the lookback.
    timeseries.push(series(
        &[
            ("__name__", "diff_gappy"),
            ("job", "batch"),
            ("instance", "c:1"),
        ],
        (0..SAMPLES)
            .filter(|i| !(60..100).contains(i))
            .map(|i| (at(i), (i % 9) as f64))
            .collect(),
    ));
    for (kind, special, every, usual) in [
        ("nan", f64::NAN, 10, None),
        ("inf", f64::INFINITY, 13, Some(1.0)),
        ("ninf", f64::NEG_INFINITY, 9, Some(-1.0)),
    ] {
        timeseries.push(series(
            &[("__name__", "diff_special"), ("job", "api"), ("kind", kind)],
            (0..SAMPLES)
                .map(|i| {
                    let value = if i % every == 0 {
                        special
                    } else {
                        usual.unwrap_or(i as f64)
                    };
                    (at(i), value)
                })
                .collect(),
        ));
    }
    timeseries.push(series(
        &[
            ("__name__", "diff_service_info"),
            ("job", "svc"),
            ("service_name", "checkout"),
        ],
        gauge(&|_| 1.0),
    ));
    WriteRequest {
        timeseries,
        metadata: Vec::new(),
    }
}

/// A query's answer reduced to what must agree: status and result, values as floats.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Error(String),
    Scalar(f64, f64),
    String(String),
    /// Samples as (labels, value); in order only for sorting queries.
    Vector(Vec<(String, f64)>),
    Matrix(Vec<(String, Vec<(f64, f64)>)>),
}

fn float(value: &Value) -> f64 {
    match value.as_str() {
        Some("NaN") => f64::NAN,
        Some("+Inf") => f64::INFINITY,
        Some("-Inf") => f64::NEG_INFINITY,
        Some(text) => text.parse().unwrap_or(f64::NAN),
        None => value.as_f64().unwrap_or(f64::NAN),
    }
}

fn labels(metric: &Value) -> String {
    let map: BTreeMap<String, String> = serde_json::from_value(metric.clone()).unwrap_or_default();
    format!("{map:?}")
}

fn answer(body: &Value, ordered: bool) -> Answer {
    if body["status"] != "success" {
        return Answer::Error(body["errorType"].as_str().unwrap_or("?").to_string());
    }
    let result = &body["data"]["result"];
    match body["data"]["resultType"].as_str() {
        Some("scalar") => Answer::Scalar(float(&result[0]), float(&result[1])),
        Some("string") => Answer::String(result[1].as_str().unwrap_or("").to_string()),
        Some("vector") => {
            let mut samples: Vec<(String, f64)> = result
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|s| (labels(&s["metric"]), float(&s["value"][1])))
                        .collect()
                })
                .unwrap_or_default();
            if !ordered {
                samples.sort_by(|a, b| a.0.cmp(&b.0));
            }
            Answer::Vector(samples)
        }
        Some("matrix") => {
            let mut series: Vec<(String, Vec<(f64, f64)>)> = result
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|s| {
                            let points = s["values"]
                                .as_array()
                                .map(|points| {
                                    points
                                        .iter()
                                        .map(|p| (float(&p[0]), float(&p[1])))
                                        .collect()
                                })
                                .unwrap_or_default();
                            (labels(&s["metric"]), points)
                        })
                        .collect()
                })
                .unwrap_or_default();
            series.sort_by(|a, b| a.0.cmp(&b.0));
            Answer::Matrix(series)
        }
        other => Answer::Error(format!("unknown result type {other:?}")),
    }
}

/// Prometheus' test tolerance: equal, both NaN, or within a relative 1e-6.
fn close(a: f64, b: f64) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    if a.is_infinite() || b.is_infinite() || a.is_nan() || b.is_nan() {
        return false;
    }
    let scale = a.abs().max(b.abs());
    (a - b).abs() <= 1e-6 * scale || (a - b).abs() < 1e-12
}

/// The first difference between two answers, if any.
fn difference(ours: &Answer, theirs: &Answer) -> Option<String> {
    match (ours, theirs) {
        (Answer::Error(a), Answer::Error(b)) if a == b => None,
        (Answer::Scalar(t1, v1), Answer::Scalar(t2, v2)) if t1 == t2 && close(*v1, *v2) => None,
        (Answer::String(a), Answer::String(b)) if a == b => None,
        (Answer::Vector(a), Answer::Vector(b)) => {
            let ours: Vec<&String> = a.iter().map(|(l, _)| l).collect();
            let theirs: Vec<&String> = b.iter().map(|(l, _)| l).collect();
            if ours != theirs {
                return Some(format!("series {ours:?} vs {theirs:?}"));
            }
            a.iter().zip(b).find_map(|((labels, v1), (_, v2))| {
                (!close(*v1, *v2)).then(|| format!("{labels}: {v1} vs {v2}"))
            })
        }
        (Answer::Matrix(a), Answer::Matrix(b)) => {
            let ours: Vec<&String> = a.iter().map(|(l, _)| l).collect();
            let theirs: Vec<&String> = b.iter().map(|(l, _)| l).collect();
            if ours != theirs {
                return Some(format!("series {ours:?} vs {theirs:?}"));
            }
            a.iter().zip(b).find_map(|((labels, p1), (_, p2))| {
                let t1: Vec<f64> = p1.iter().map(|p| p.0).collect();
                let t2: Vec<f64> = p2.iter().map(|p| p.0).collect();
                if t1 != t2 {
                    let only_ours: Vec<&f64> = t1.iter().filter(|t| !t2.contains(t)).collect();
                    let only_theirs: Vec<&f64> = t2.iter().filter(|t| !t1.contains(t)).collect();
                    return Some(format!(
                        "{labels}: times only in ours {only_ours:?}, only in Prometheus' {only_theirs:?}"
                    ));
                }
                p1.iter().zip(p2).find_map(|((t, v1), (_, v2))| {
                    (!close(*v1, *v2)).then(|| format!("{labels} at {t}: {v1} vs {v2}"))
                })
            })
        }
        _ => Some(format!("{ours:?} vs {theirs:?}")),
    }
}

async fn ask(client: &reqwest::Client, base: &str, path: &str, params: &[(&str, String)]) -> Value {
    let response = client
        .get(with_query(&format!("{base}{path}"), params))
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {base}{path}: {error}"));
    response.json().await.unwrap_or(Value::Null)
}

fn queries(end_s: i64) -> Vec<String> {
    let text = include_str!("promql/queries.txt");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.replace("{end}", &end_s.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promql_answers_as_prometheus_does() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("th"), &[]);
    let peer = Prometheus::start(
        dir.path(),
        "global:\n  scrape_interval: 1h\n",
        &["--web.enable-remote-write-receiver"],
    )
    .await;
    let prometheus = peer.url.clone();
    let client = reqwest::Client::new();

    // The data ends a minute ago, on a 15 s boundary, and spans an hour.
    let now_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let end_s = (now_s / STEP_S) * STEP_S - 60;
    let start_s = end_s - (SAMPLES - 1) * STEP_S;
    let request = data(start_s);
    let ours = server.post_remote_write(&request).await;
    assert!(
        ours.status().is_success(),
        "TelemetryHub: {}",
        ours.status()
    );
    let theirs = remote_write(&client, &format!("{prometheus}/api/v1/write"), &request).await;
    assert!(
        theirs.status().is_success(),
        "Prometheus refused the data: {} {}",
        theirs.status(),
        theirs.text().await.unwrap_or_default()
    );

    let instants = [
        end_s,
        end_s - 17 * 60,
        end_s - 31 * 60 + 7,
        start_s + 5,
        end_s + 240,
        end_s + 600,
    ];
    let ranges = [
        (start_s, end_s + 300, "60"),
        (end_s - 1800, end_s, "15s"),
        (start_s + 7, end_s, "137"),
    ];
    let mut compared = 0;
    let mut differences = Vec::new();
    for query in queries(end_s) {
        let ordered = query.starts_with("sort");
        for time in instants {
            let params = [("query", query.clone()), ("time", time.to_string())];
            let ours = ask(&client, &server.url, "/api/v1/query", &params).await;
            let theirs = ask(&client, &prometheus, "/api/v1/query", &params).await;
            compared += 1;
            let (a, b) = (answer(&ours, ordered), answer(&theirs, ordered));
            if let Some(difference) = difference(&a, &b) {
                differences.push(format!(
                    "instant `{query}` at {time}: {difference} (TelemetryHub vs Prometheus)"
                ));
            }
        }
        for (start, end, step) in ranges {
            let params = [
                ("query", query.clone()),
                ("start", start.to_string()),
                ("end", end.to_string()),
                ("step", step.to_string()),
            ];
            let ours = ask(&client, &server.url, "/api/v1/query_range", &params).await;
            let theirs = ask(&client, &prometheus, "/api/v1/query_range", &params).await;
            compared += 1;
            let (a, b) = (answer(&ours, false), answer(&theirs, false));
            if let Some(difference) = difference(&a, &b) {
                differences.push(format!(
                    "range `{query}` {start}..{end} step {step}: {difference} (TelemetryHub vs Prometheus)"
                ));
            }
        }
    }
    println!(
        "promql differential: {compared} answers compared, {} differ",
        differences.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {compared} answers differ from Prometheus':\n{}",
        differences.len(),
        differences
            .iter()
            .map(|d| d.chars().take(1500).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
