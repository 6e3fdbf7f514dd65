//! Hourly rollups end to end: ten days of samples through the native API, a long-range
//! `/query/metrics` answered from the rollups (exact counts, sums, extremes; quantiles within
//! 1 %) in the original shape, the same after a restart, `metrics_hourly` in `/query/sql`, and
//! the rollup stage's counters in `/metrics`.

use serde_json::{Value, json};

use crate::support::{Server, with_query};

const HOUR: i64 = 3_600_000_000_000;
const DAY: i64 = 24 * HOUR;

/// One sample every 30 minutes for ten days of series `host` (integer values).
fn samples(start: i64, host: &str, scale: i64) -> Vec<(i64, f64)> {
    (0..10 * 48)
        .map(|i: i64| {
            (
                start + i * HOUR / 2 + 60_000_000_000,
                ((i * 37 % 97) * scale + 1) as f64,
            )
        })
        .map(|(ts, v)| (ts, v + if host == "b" { 1000.0 } else { 0.0 }))
        .collect()
}

async fn ingest(server: &Server, host: &str, points: &[(i64, f64)]) {
    for chunk in points.chunks(200) {
        let body: Vec<Value> = chunk
            .iter()
            .map(|(ts, v)| {
                json!({"service": "api", "metric": "latency", "value": v,
                       "ts": telemetryhub_model::format_rfc3339(*ts), "labels": {"host": host}})
            })
            .collect();
        let (status, answer) = server.post_json("/ingest/metrics", &json!(body)).await;
        assert_eq!(status, 200, "{answer}");
    }
}

/// `/query/metrics` by `step` with `agg` over `since..until`.
async fn series(server: &Server, since: i64, until: i64, step: &str, agg: &str) -> Value {
    let path = with_query(
        "/query/metrics",
        &[
            ("service", "api".into()),
            ("metric", "latency".into()),
            ("since", telemetryhub_model::format_rfc3339(since)),
            ("until", telemetryhub_model::format_rfc3339(until)),
            ("step", step.into()),
            ("agg", agg.into()),
            ("limit", "10000".into()),
        ],
    );
    server.get_json(&path).await
}

/// Checks a day-bucketed answer against the samples: figures exact, p95 within 1 % of the
/// sample of rank floor(0.95 * (n - 1)).
fn check(answer: &Value, agg: &str, data: &[(&str, Vec<(i64, f64)>)], since: i64, until: i64) {
    let answer = answer.as_array().unwrap();
    assert_eq!(answer.len(), 2, "{answer:?}");
    for series in answer {
        assert_eq!(series["agg"], agg);
        assert_eq!(series["step_seconds"], 86_400.0);
        let host = series["labels"]["host"].as_str().unwrap();
        let samples = &data.iter().find(|(h, _)| *h == host).unwrap().1;
        let points = series["points"].as_array().unwrap();
        let mut buckets = 0;
        for day in (since / DAY)..=(until / DAY) {
            let mut values: Vec<f64> = samples
                .iter()
                .filter(|(ts, _)| (since..until).contains(ts) && ts / DAY == day)
                .map(|(_, v)| *v)
                .collect();
            if values.is_empty() {
                continue;
            }
            values.sort_by(f64::total_cmp);
            let point = &points[buckets];
            buckets += 1;
            assert_eq!(
                point["ts"],
                telemetryhub_model::format_rfc3339(day * DAY),
                "{host}"
            );
            assert_eq!(point["count"], values.len());
            let value = point["value"].as_f64().unwrap();
            match agg {
                "count" => assert_eq!(value, values.len() as f64),
                "sum" => assert_eq!(value, values.iter().sum::<f64>()),
                "max" => assert_eq!(value, values[values.len() - 1]),
                "p95" => {
                    let exact = values[(0.95 * (values.len() as f64 - 1.0)) as usize];
                    assert!(
                        (value - exact).abs() <= 0.01 * exact * (1.0 + 1e-12),
                        "{value} for {exact}"
                    );
                }
                _ => unreachable!(),
            }
        }
        assert_eq!(buckets, points.len(), "{host}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_range_metric_queries_read_the_hourly_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let now = telemetryhub_model::now_ns();
    let start = (now - 12 * DAY) / DAY * DAY;
    let data = [
        ("a", samples(start, "a", 3)),
        ("b", samples(start, "b", 50)),
    ];
    let server = Server::start(dir.path(), &[]);
    for (host, points) in &data {
        ingest(&server, host, points).await;
    }
    // A range not on hour boundaries: its partial hours come from raw samples.
    let (since, until) = (start + 20 * 60_000_000_000, start + 9 * DAY + 5 * HOUR + 1);
    let aggs = ["count", "sum", "max", "p95"];
    for agg in aggs {
        check(
            &series(&server, since, until, "1d", agg).await,
            agg,
            &data,
            since,
            until,
        );
    }
    // After a restart everything is in parts and their rollups: the same answers.
    assert!(server.stop().success());
    let server = Server::start(dir.path(), &[]);
    for agg in aggs {
        check(
            &series(&server, since, until, "1d", agg).await,
            agg,
            &data,
            since,
            until,
        );
    }

    let (status, body) = server
        .post_json(
            "/query/sql",
            &json!({"query": "SELECT labels, sum(count) AS n, sum(sum) AS total, max(max) AS top, \
                     count(*) AS hours FROM metrics_hourly GROUP BY labels ORDER BY labels"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{body}");
    for (row, (_, samples)) in rows.iter().zip(&data) {
        let total: f64 = samples.iter().map(|(_, v)| v).sum();
        let top = samples.iter().map(|(_, v)| *v).fold(f64::MIN, f64::max);
        assert_eq!(row[1], samples.len());
        assert_eq!(row[2].as_f64().unwrap(), total);
        assert_eq!(row[3].as_f64().unwrap(), top);
        assert_eq!(row[4], 240, "ten days of hours, one row each");
    }

    // The rollup stage's counters, once this process has flushed a sample.
    assert!(server.stop().success());
    let server = Server::start(dir.path(), &["--flush-interval", "1s"]);
    ingest(&server, "c", &[(now - HOUR, 1.0)]).await;
    let mut exported = String::new();
    for _ in 0..100 {
        exported = server.exposition().await;
        if exported.contains("telemetryhub_rollup_samples_total 1") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        exported.contains("telemetryhub_rollup_samples_total 1")
            && exported.contains("telemetryhub_rollup_rows_total 1")
            && exported.contains("job=\"rollup\""),
        "the rollup stage's metrics are exported"
    );
}
