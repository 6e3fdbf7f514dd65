//! Loki's HTTP API on the real server: lines pushed to Loki come back under the streams they
//! were pushed to; labels, series, index statistics and volume, detected labels, patterns and
//! build information answer in Loki's shapes, per tenant; errors are plain text.

use serde_json::{Value, json};

use crate::support::{Server, with_query};

const NS: i64 = 1_000_000_000;

/// Pushes the test's lines for `tenant`: two Loki streams and one line of the native API.
async fn push_lines(server: &Server, tenant: &str, now: i64) {
    let push = json!({"streams": [
        {"stream": {"service_name": "checkout", "level": "error"},
         "values": [[(now - 3 * NS).to_string(), "db timeout after 3000 ms"],
                    [(now - 2 * NS).to_string(), "db timeout after 120 ms", {"trace": "t1"}]]},
        {"stream": {"job": "web", "pod": "web-1"},
         "values": [[(now - 2 * NS).to_string(), "GET /cart 200"],
                    [(now - NS).to_string(), "GET /pay 500"]]},
    ]});
    let response = server
        .client
        .post(server.url("/loki/api/v1/push"))
        .header("x-scope-orgid", tenant)
        .json(&push)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let native = json!({"service": "billing", "level": "WARN", "message": "invoice 7 late",
        "ts": telemetryhub_model::format_rfc3339(now - NS)});
    let response = server
        .client
        .post(server.url("/ingest/logs"))
        .header("x-scope-orgid", tenant)
        .json(&native)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// GETs `path` with `params` for `tenant` and returns the status and the JSON body (or the
/// text of a non-JSON body as a JSON string).
async fn get(server: &Server, tenant: &str, path: &str, params: &[(&str, String)]) -> (u16, Value) {
    let response = server
        .client
        .get(with_query(&server.url(path), params))
        .header("x-scope-orgid", tenant)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body = if is_json {
        response.json().await.unwrap()
    } else {
        Value::String(response.text().await.unwrap())
    };
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_series_index_and_patterns_answer_as_loki() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns();
    push_lines(&server, "team-a", now).await;
    let range = [
        ("start", (now - 60 * NS).to_string()),
        ("end", now.to_string()),
    ];
    let with = |extra: &[(&'static str, String)]| {
        let mut params = range.to_vec();
        params.extend_from_slice(extra);
        params
    };

    let (status, labels) = get(&server, "team-a", "/loki/api/v1/labels", &range).await;
    assert_eq!(status, 200, "{labels}");
    assert_eq!(
        labels,
        json!({"status": "success", "data": ["job", "level", "pod", "service_name"]})
    );
    let (_, services) = get(
        &server,
        "team-a",
        "/loki/api/v1/label/service_name/values",
        &range,
    )
    .await;
    assert_eq!(services["data"], json!(["billing", "checkout", "web"]));
    let (_, pods) = get(
        &server,
        "team-a",
        "/loki/api/v1/label/pod/values",
        &with(&[("query", r#"{service_name="checkout"}"#.to_string())]),
    )
    .await;
    assert_eq!(pods["data"], json!([]), "query= narrows the streams");

    // A stream comes back with the labels it was pushed with, `service_name` added as Loki 3
    // adds it; structured metadata is not a stream label; native lines are service and level.
    let (_, series) = get(
        &server,
        "team-a",
        "/loki/api/v1/series",
        &with(&[
            ("match[]", r#"{job="web"}"#.to_string()),
            ("match[]", r#"{level="warn"}"#.to_string()),
        ]),
    )
    .await;
    assert_eq!(
        series["data"],
        json!([
            {"job": "web", "pod": "web-1", "service_name": "web"},
            {"level": "warn", "service_name": "billing"},
        ])
    );

    let (_, stats) = get(
        &server,
        "team-a",
        "/loki/api/v1/index/stats",
        &with(&[("query", r#"{service_name=~"checkout|web"}"#.to_string())]),
    )
    .await;
    let bytes = [
        "db timeout after 3000 ms",
        "db timeout after 120 ms",
        "GET /cart 200",
        "GET /pay 500",
    ]
    .iter()
    .map(|l| l.len())
    .sum::<usize>();
    assert_eq!(
        stats,
        json!({"streams": 2, "chunks": 0, "entries": 4, "bytes": bytes})
    );

    let (_, volume) = get(
        &server,
        "team-a",
        "/loki/api/v1/index/volume",
        &with(&[("query", r#"{service_name=~".+"}"#.to_string())]),
    )
    .await;
    assert_eq!(volume["data"]["resultType"], "vector");
    let groups: Vec<(String, String)> = volume["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["metric"]["service_name"].as_str().unwrap().to_string(),
                r["value"][1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("checkout".to_string(), 47.to_string()),
            ("web".to_string(), 25.to_string()),
            ("billing".to_string(), 14.to_string()),
        ],
        "largest first, grouped by the selector's labels"
    );

    let (_, detected) = get(&server, "team-a", "/loki/api/v1/detected_labels", &range).await;
    let pod = detected["detectedLabels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "pod")
        .cloned();
    assert_eq!(pod, Some(json!({"label": "pod", "cardinality": 1})));

    let (status, fields) = get(
        &server,
        "team-a",
        "/loki/api/v1/detected_fields",
        &with(&[("query", r#"{service_name="checkout"}"#.to_string())]),
    )
    .await;
    assert_eq!(status, 200, "{fields}");
    let trace = fields["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "trace")
        .cloned();
    assert_eq!(
        trace,
        Some(json!({"label": "trace", "type": "string", "cardinality": 1, "parsers": null})),
        "structured metadata is a detected field: {fields}"
    );

    let (status, patterns) = get(
        &server,
        "team-a",
        "/loki/api/v1/patterns",
        &with(&[
            ("query", r#"{service_name="checkout"}"#.to_string()),
            ("step", "10s".to_string()),
        ]),
    )
    .await;
    assert_eq!(status, 200, "{patterns}");
    let found = patterns["data"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{patterns}");
    assert!(
        found[0]["pattern"].as_str().unwrap().contains("<_>"),
        "{patterns}"
    );
    let lines: i64 = found[0]["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[1].as_i64().unwrap())
        .sum();
    assert_eq!(lines, 2);

    let (_, build) = get(&server, "team-a", "/loki/api/v1/status/buildinfo", &[]).await;
    assert!(
        build["version"].as_str().unwrap().starts_with('3'),
        "{build}"
    );

    // Another tenant sees none of it; errors are plain text with Loki's statuses.
    let (_, other) = get(&server, "team-b", "/loki/api/v1/labels", &range).await;
    assert_eq!(other["data"], json!([]));
    let (status, error) = get(
        &server,
        "team-a",
        "/loki/api/v1/index/stats",
        &with(&[("query", "{service_name=".to_string())]),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        error.as_str().is_some_and(|e| e.contains("parse error")),
        "{error}"
    );
    let (status, error) = get(
        &server,
        "team-a",
        "/loki/api/v1/labels",
        &[("start", now.to_string()), ("end", (now - NS).to_string())],
    )
    .await;
    assert_eq!(status, 400, "{error}");
}

/// The lines of a `streams` answer, stream by stream: (labels, lines), with the `pattern_id`
/// every mined line carries checked to be an id and left out of the labels.
fn stream_lines(data: &Value) -> Vec<(Value, Vec<String>)> {
    assert_eq!(data["resultType"], "streams", "{data}");
    data["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let id = s["stream"]
                .as_object_mut()
                .and_then(|labels| labels.remove("pattern_id"));
            assert!(
                id.as_ref()
                    .and_then(Value::as_str)
                    .is_some_and(|id| id.parse::<u64>().is_ok()),
                "a pattern id on every line: {s}"
            );
            let lines = s["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v[1].as_str().unwrap().to_string())
                .collect();
            (s["stream"].clone(), lines)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logql_queries_answer_as_loki() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns();
    push_lines(&server, "team-a", now).await;
    let range = |query: &str, extra: &[(&'static str, String)]| {
        let mut params = vec![
            ("query", query.to_string()),
            ("start", (now - 60 * NS).to_string()),
            ("end", now.to_string()),
        ];
        params.extend_from_slice(extra);
        params
    };

    // A needle: the line comes back under its stream, its structured metadata as labels.
    let (status, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(r#"{service_name="checkout"} |= "120""#, &[]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "success");
    assert_eq!(
        stream_lines(&body["data"]),
        vec![(
            json!({"level": "error", "service_name": "checkout", "trace": "t1"}),
            vec!["db timeout after 120 ms".to_string()]
        )]
    );
    assert!(body["data"]["stats"]["summary"].is_object(), "{body}");

    // Limit and direction: the oldest line first when asked forward.
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(
            r#"{job="web"}"#,
            &[("limit", "1".into()), ("direction", "forward".into())],
        ),
    )
    .await;
    assert_eq!(
        stream_lines(&body["data"]),
        vec![(
            json!({"job": "web", "pod": "web-1", "service_name": "web"}),
            vec!["GET /cart 200".to_string()]
        )]
    );

    // A regex filter (its required prefix `GET /` is pushed into the scan as a needle).
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(r#"{service_name=~".+"} |~ "GET /p.y 5\\d\\d""#, &[]),
    )
    .await;
    let lines: Vec<String> = stream_lines(&body["data"])
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .collect();
    assert_eq!(lines, vec!["GET /pay 500".to_string()], "{body}");

    // A parser and a numeric label filter.
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(
            r#"{job="web"} | pattern "<method> <path> <status>" | status >= 500"#,
            &[],
        ),
    )
    .await;
    let found = stream_lines(&body["data"]);
    assert_eq!(found.len(), 1, "{body}");
    assert_eq!(found[0].1, vec!["GET /pay 500".to_string()]);
    assert_eq!(
        found[0].0["path"], "/pay",
        "parsed labels are in the stream: {body}"
    );

    // A metric query at one time: lines per service over the last minute.
    let (status, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query",
        &[
            (
                "query",
                r#"sum by (service_name) (count_over_time({service_name=~".+"}[1m]))"#.to_string(),
            ),
            ("time", now.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["resultType"], "vector");
    let counts: Vec<(String, String)> = body["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["metric"]["service_name"].as_str().unwrap().to_string(),
                r["value"][1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("billing".to_string(), "1".to_string()),
            ("checkout".to_string(), "2".to_string()),
            ("web".to_string(), "2".to_string()),
        ]
    );

    // The same over a range: a matrix whose last point counts every line.
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(
            r#"sum(count_over_time({service_name=~".+"}[1m]))"#,
            &[("step", "10s".into())],
        ),
    )
    .await;
    assert_eq!(body["data"]["resultType"], "matrix", "{body}");
    let values = body["data"]["result"][0]["values"].as_array().unwrap();
    assert_eq!(values.last().unwrap()[1], "5", "{body}");

    // From a pattern to its lines in one query, and lines counted per pattern.
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(r#"{service_name="checkout"}"#, &[("limit", "1".into())]),
    )
    .await;
    let id = body["data"]["result"][0]["stream"]["pattern_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(
            &format!(r#"{{service_name=~".+"}} | pattern_id="{id}""#),
            &[],
        ),
    )
    .await;
    let lines: Vec<String> = stream_lines(&body["data"])
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .collect();
    assert_eq!(lines.len(), 2, "both timeout lines share a pattern: {body}");
    let (_, body) = get(
        &server,
        "team-a",
        "/loki/api/v1/query",
        &[
            (
                "query",
                r#"sum by (pattern_id) (count_over_time({service_name="checkout"}[1m]))"#
                    .to_string(),
            ),
            ("time", now.to_string()),
        ],
    )
    .await;
    assert_eq!(
        body["data"]["result"],
        json!([{"metric": {"pattern_id": id}, "value": body["data"]["result"][0]["value"].clone()}])
    );
    assert_eq!(body["data"]["result"][0]["value"][1], "2");

    // Errors: a query that does not parse, a metric query without a range, another tenant.
    let (status, error) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range("{job=", &[]),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        error.as_str().is_some_and(|e| e.starts_with("parse error")),
        "{error}"
    );
    let (status, _) = get(
        &server,
        "team-a",
        "/loki/api/v1/query_range",
        &range(r#"{job="web"}"#, &[("limit", "0".into())]),
    )
    .await;
    assert_eq!(status, 400);
    let (_, body) = get(
        &server,
        "team-b",
        "/loki/api/v1/query_range",
        &range(r#"{job="web"}"#, &[]),
    )
    .await;
    assert_eq!(body["data"]["result"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_tail_sends_history_then_new_lines() {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let now = telemetryhub_model::now_ns();
    push_lines(&server, "team-a", now).await;
    let url = with_query(
        &server
            .url("/loki/api/v1/tail")
            .replacen("http://", "ws://", 1),
        &[
            ("query", r#"{job="web"}"#.to_string()),
            ("start", (now - 60 * NS).to_string()),
        ],
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("x-scope-orgid", "team-a".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut next_lines = async || -> Vec<String> {
        let message = tokio::time::timeout(std::time::Duration::from_secs(20), socket.next())
            .await
            .expect("a tail message within 20 s")
            .expect("the tail is open")
            .expect("a message");
        let Message::Text(text) = message else {
            panic!("text expected, got {message:?}");
        };
        let body: Value = serde_json::from_str(&text).unwrap();
        body["streams"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["values"].as_array().unwrap().iter())
            .map(|v| v[1].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(next_lines().await, vec!["GET /cart 200", "GET /pay 500"]);

    let later = telemetryhub_model::now_ns();
    let push = json!({"streams": [{"stream": {"job": "web", "pod": "web-1"},
        "values": [[later.to_string(), "GET /late 204"]]}]});
    let response = server
        .client
        .post(server.url("/loki/api/v1/push"))
        .header("x-scope-orgid", "team-a")
        .json(&push)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        next_lines().await,
        vec!["GET /late 204"],
        "only the new line"
    );
}
