//! Prometheus' HTTP API end to end: samples written through remote_write, read back with the
//! real `promtool query` (Debian's `prometheus` package, installed by `scripts/test`) and with
//! plain HTTP requests checking each endpoint's JSON and Prometheus' errors. Tests named
//! `*_queries` need the PromQL evaluator.

use std::process::Command;

use serde_json::{Value, json};
use telemetryhub_receivers::prom_remote_write::proto::{
    Exemplar, Label, Sample, TimeSeries, WriteRequest,
};

use crate::support::Server;

const PROMTOOL: &str = "/usr/bin/promtool";

/// `requests_total{job="api"}` for `code` 200 and 500 and `up{job="api"}`, at 60 s and 30 s
/// ago and now (ms since the epoch, returned), with an exemplar on the 500s.
async fn write_samples(server: &Server) -> i64 {
    let now_ms = telemetryhub_model::now_ns() / 1_000_000;
    let series = |name: &str, code: Option<&str>, values: [f64; 3]| TimeSeries {
        labels: [("__name__", name), ("job", "api")]
            .into_iter()
            .chain(code.map(|code| ("code", code)))
            .map(|(k, v)| Label::new(k, v))
            .collect(),
        samples: values
            .iter()
            .zip([60_000, 30_000, 0])
            .map(|(&value, ago)| Sample {
                value,
                timestamp: now_ms - ago,
            })
            .collect(),
        exemplars: Vec::new(),
    };
    let mut errors = series("requests_total", Some("500"), [1.0, 2.0, 3.0]);
    errors.exemplars.push(Exemplar {
        labels: vec![Label::new("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")],
        value: 2.0,
        timestamp: now_ms - 30_000,
    });
    let request = WriteRequest {
        timeseries: vec![
            series("requests_total", Some("200"), [10.0, 20.0, 30.0]),
            errors,
            series("up", None, [1.0, 1.0, 1.0]),
        ],
        metadata: Vec::new(),
    };
    assert_eq!(server.post_remote_write(&request).await.status(), 204);
    now_ms
}

/// Runs `promtool query <args>`; its standard output, or a panic with its error output.
fn promtool(args: &[&str]) -> String {
    let output = Command::new(PROMTOOL)
        .arg("query")
        .args(args)
        .output()
        .expect("run promtool");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "promtool query {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Whether promtool is installed; if not, says why the test is skipped.
fn have_promtool() -> bool {
    let present = std::path::Path::new(PROMTOOL).is_file();
    if !present {
        eprintln!(
            "SKIPPED: {PROMTOOL} is missing (Debian's prometheus package; scripts/test installs it)"
        );
    }
    present
}

/// The lines of promtool's output, sorted.
fn lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    lines.sort_unstable();
    lines
}

#[tokio::test]
async fn promtool_lists_series_and_label_values() {
    if !have_promtool() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    write_samples(&server).await;
    let series = promtool(&["series", &server.url, "--match=requests_total"]);
    assert_eq!(
        lines(&series),
        [
            r#"{__name__="requests_total", code="200", job="api"}"#,
            r#"{__name__="requests_total", code="500", job="api"}"#,
        ],
        "{series}"
    );
    let names = promtool(&["labels", &server.url, "__name__"]);
    assert_eq!(lines(&names), ["requests_total", "up"], "{names}");
    let codes = promtool(&["labels", &server.url, "code"]);
    assert_eq!(lines(&codes), ["200", "500"], "{codes}");
}

#[tokio::test]
async fn promtool_runs_instant_and_range_queries() {
    if !have_promtool() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now_ms = write_samples(&server).await;
    let at = format!("{}", now_ms as f64 / 1000.0);
    let instant = promtool(&["instant", "--time", &at, &server.url, "requests_total"]);
    let instant_lines = lines(&instant);
    assert_eq!(instant_lines.len(), 2, "{instant}");
    assert!(
        instant_lines[0].starts_with(r#"requests_total{code="200", job="api"} => 30 @["#),
        "{instant}"
    );
    assert!(
        instant_lines[1].starts_with(r#"requests_total{code="500", job="api"} => 3 @["#),
        "{instant}"
    );
    let sum = promtool(&["instant", "--time", &at, &server.url, "sum(requests_total)"]);
    assert!(sum.starts_with("{} => 33 @["), "{sum}");

    let start = format!("{}", (now_ms - 60_000) as f64 / 1000.0);
    let range = promtool(&[
        "range",
        "--start",
        &start,
        "--end",
        &at,
        "--step",
        "30s",
        &server.url,
        r#"up{job="api"}"#,
    ]);
    let range_lines: Vec<&str> = range.lines().collect();
    assert_eq!(range_lines[0], r#"up{job="api"} =>"#, "{range}");
    assert_eq!(range_lines.len(), 4, "three steps: {range}");
    assert!(
        range_lines[1..].iter().all(|l| l.starts_with("1 @[")),
        "{range}"
    );
}

async fn get(server: &Server, path: &str) -> (u16, Value) {
    let response = server.client.get(server.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    assert!(response.headers().contains_key("x-request-id"), "{path}");
    (status, response.json().await.unwrap())
}

/// Asserts Prometheus' error envelope.
fn assert_error(answer: (u16, Value), status: u16, error_type: &str, message: &str) {
    let (got, body) = answer;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["status"], "error", "{body}");
    assert_eq!(body["errorType"], error_type, "{body}");
    assert_eq!(body["error"], message, "{body}");
}

#[tokio::test]
async fn prometheus_api_answers_series_labels_exemplars_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        dir.path(),
        &["--query-lookback-delta", "2m"],
        &[("TELEMETRYHUB_QUERY_TIMEOUT", "45s")],
    );
    let now_ms = write_samples(&server).await;

    let (status, body) = get(&server, "/api/v1/series?match[]=up").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"status": "success", "data": [{"__name__": "up", "job": "api"}]})
    );
    // POST with a form body, as promtool and Grafana send it.
    let response = server
        .client
        .post(server.url("/api/v1/labels"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("match%5B%5D=requests_total%7Bcode%3D~%225..%22%7D")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"], json!(["__name__", "code", "job"]));
    let (_, body) = get(&server, "/api/v1/label/job/values").await;
    assert_eq!(body["data"], json!(["api"]));

    let (status, body) = get(
        &server,
        "/api/v1/query_exemplars?query=rate(requests_total%5B5m%5D)",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let ts = (now_ms - 30_000) as f64 / 1000.0;
    assert_eq!(
        body["data"],
        json!([{
            "seriesLabels": {"__name__": "requests_total", "code": "500", "job": "api"},
            "exemplars": [{"labels": {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, "value": "2", "timestamp": ts}],
        }])
    );

    let (_, body) = get(&server, "/api/v1/status/flags").await;
    assert_eq!(
        body["data"],
        json!({"query.lookback-delta": "2m0s", "query.max-samples": "50000000", "query.timeout": "45s"})
    );
    let (_, body) = get(&server, "/api/v1/status/buildinfo").await;
    assert_eq!(body["status"], "success");
    let (_, body) = get(&server, "/api/v1/format_query?query=sum(up)by(job)").await;
    assert_eq!(body["data"], "sum by (job) (up)");

    assert_error(
        get(
            &server,
            "/api/v1/query_range?query=up&start=100&end=50&step=15s",
        )
        .await,
        400,
        "bad_data",
        "end timestamp must not be before start time",
    );
    assert_error(
        get(
            &server,
            "/api/v1/query_range?query=up&start=0&end=50&step=0",
        )
        .await,
        400,
        "bad_data",
        "zero or negative query resolution step widths are not accepted. Try a positive integer",
    );
    assert_error(
        get(
            &server,
            "/api/v1/query_range?query=up&start=0&end=86400&step=1",
        )
        .await,
        400,
        "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
    assert_error(
        get(&server, "/api/v1/series").await,
        400,
        "bad_data",
        "no match[] parameter provided",
    );
    let (status, body) = get(&server, "/api/v1/query?query=sum(").await;
    assert_eq!(
        (status, &body["errorType"]),
        (400, &json!("bad_data")),
        "{body}"
    );
}

#[tokio::test]
async fn prometheus_api_answers_instant_and_range_queries() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now_ms = write_samples(&server).await;
    let at = now_ms as f64 / 1000.0;

    let (status, body) = get(
        &server,
        &format!("/api/v1/query?query=requests_total%7Bcode%3D%22500%22%7D&time={at}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"status": "success", "data": {"resultType": "vector", "result": [
            {"metric": {"__name__": "requests_total", "code": "500", "job": "api"}, "value": [at, "3"]}
        ]}})
    );
    let start = (now_ms - 60_000) as f64 / 1000.0;
    let (status, body) = get(
        &server,
        &format!("/api/v1/query_range?query=sum(requests_total)&start={start}&end={at}&step=30"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"resultType": "matrix", "result": [{"metric": {}, "values": [
            [start, "11"], [start + 30.0, "22"], [at, "33"]
        ]}]})
    );
}
