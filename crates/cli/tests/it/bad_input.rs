//! Every kind of bad input gets a 4xx in the one error shape, and nothing is stored.

use serde_json::json;

use crate::support::{Server, error_code, recent};

struct Case {
    name: &'static str,
    path: &'static str,
    content_type: &'static str,
    encoding: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
}

fn case(
    name: &'static str,
    path: &'static str,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        name,
        path,
        content_type: "application/json",
        encoding: None,
        body: body.into(),
        status,
        code,
    }
}

fn cases() -> Vec<Case> {
    let metric = |extra: serde_json::Value| {
        let mut point = json!({"service":"api","metric":"m","value":1});
        if let (Some(point), Some(extra)) = (point.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                point.insert(k.clone(), v.clone());
            }
        }
        point.to_string()
    };
    let many_labels: serde_json::Map<String, serde_json::Value> =
        (0..9).map(|i| (format!("l{i}"), json!("v"))).collect();
    let many_items: Vec<serde_json::Value> = (0..101)
        .map(|_| json!({"service":"api","metric":"m","value":1}))
        .collect();
    vec![
        case(
            "malformed JSON",
            "/ingest/metrics",
            "{\"service\":",
            400,
            "invalid_argument",
        ),
        case("empty body", "/ingest/logs", "", 400, "invalid_argument"),
        case(
            "top-level scalar",
            "/ingest/metrics",
            "42",
            400,
            "invalid_argument",
        ),
        case(
            "value of the wrong type",
            "/ingest/metrics",
            metric(json!({"value": true})),
            400,
            "invalid_argument",
        ),
        case(
            "service of the wrong type",
            "/ingest/metrics",
            metric(json!({"service": 5})),
            400,
            "invalid_argument",
        ),
        case(
            "missing metric",
            "/ingest/metrics",
            json!({"service":"api","value":1}).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "missing message",
            "/ingest/logs",
            json!({"service":"api"}).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "invalid timestamp",
            "/ingest/metrics",
            metric(json!({"ts": "yesterday"})),
            400,
            "invalid_argument",
        ),
        case(
            "negative timestamp",
            "/ingest/metrics",
            metric(json!({"ts": -5})),
            400,
            "invalid_argument",
        ),
        case(
            "timestamp before retention",
            "/ingest/metrics",
            metric(json!({"ts": "2001-01-01T00:00:00Z"})),
            400,
            "invalid_argument",
        ),
        case(
            "timestamp far in the future",
            "/ingest/metrics",
            metric(json!({"ts": "2200-01-01T00:00:00Z"})),
            400,
            "invalid_argument",
        ),
        case(
            "NaN value",
            "/ingest/metrics",
            metric(json!({"value": "NaN"})),
            400,
            "invalid_argument",
        ),
        case(
            "infinite value",
            "/ingest/metrics",
            metric(json!({"value": "-Infinity"})),
            400,
            "invalid_argument",
        ),
        case(
            "bare NaN literal",
            "/ingest/metrics",
            r#"{"service":"api","metric":"m","value":NaN}"#,
            400,
            "invalid_argument",
        ),
        case(
            "number out of range",
            "/ingest/metrics",
            r#"{"service":"api","metric":"m","value":1e999}"#,
            400,
            "invalid_argument",
        ),
        case(
            "too many labels",
            "/ingest/metrics",
            metric(json!({"labels": many_labels})),
            400,
            "invalid_argument",
        ),
        case(
            "bad label name",
            "/ingest/metrics",
            metric(json!({"labels": {"bad-key!": "v"}})),
            400,
            "invalid_argument",
        ),
        case(
            "bad service charset",
            "/ingest/metrics",
            metric(json!({"service": "my service"})),
            400,
            "invalid_argument",
        ),
        case(
            "unknown level",
            "/ingest/logs",
            json!({"service":"api","message":"x","level":"loud"}).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "context not an object",
            "/ingest/logs",
            json!({"service":"api","message":"x","context":"text"}).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "bad trace id",
            "/ingest/logs",
            json!({"service":"api","message":"x","trace_id":"zz"}).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "one bad item spoils the batch",
            "/ingest/logs",
            json!([{"service":"api","message":"ok"},{"service":"api"}]).to_string(),
            400,
            "invalid_argument",
        ),
        case(
            "bad UTF-8",
            "/ingest/logs",
            b"{\"service\":\"api\",\"message\":\"\xff\xfe\"}".to_vec(),
            400,
            "invalid_argument",
        ),
        case(
            "oversized body",
            "/ingest/logs",
            json!({"service":"api","message":"x".repeat(70_000)}).to_string(),
            413,
            "payload_too_large",
        ),
        case(
            "too many items",
            "/ingest/metrics",
            serde_json::Value::Array(many_items).to_string(),
            413,
            "payload_too_large",
        ),
        Case {
            content_type: "text/html",
            ..case(
                "wrong content type",
                "/ingest/metrics",
                metric(json!({})),
                415,
                "unsupported_media_type",
            )
        },
        Case {
            encoding: Some("br"),
            ..case(
                "unknown compression",
                "/ingest/metrics",
                metric(json!({})),
                415,
                "unsupported_media_type",
            )
        },
        Case {
            encoding: Some("gzip"),
            ..case(
                "corrupt gzip",
                "/ingest/metrics",
                metric(json!({})),
                400,
                "invalid_argument",
            )
        },
        Case {
            content_type: "application/x-ndjson",
            ..case(
                "bad NDJSON line",
                "/ingest/logs",
                format!("{}\nnot json\n", json!({"service":"api","message":"ok"})),
                400,
                "invalid_argument",
            )
        },
    ]
}

#[tokio::test]
async fn bad_ingest_requests_are_refused_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &[
            "--max-body-size",
            "64KiB",
            "--max-items",
            "100",
            "--max-labels",
            "8",
            "--retention",
            "30d",
        ],
    );
    for case in cases() {
        let mut request = server
            .client
            .post(server.url(case.path))
            .header("content-type", case.content_type)
            .body(case.body.clone());
        if let Some(encoding) = case.encoding {
            request = request.header("content-encoding", encoding);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        assert!(
            response.headers().contains_key("x-request-id"),
            "{}: no request id",
            case.name
        );
        let body: serde_json::Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", case.name));
        assert_eq!(status, case.status, "{}: {body}", case.name);
        assert_eq!(error_code(&body), case.code, "{}", case.name);
    }
    assert_eq!(
        server.get_json("/query/metrics?limit=10000").await,
        json!([]),
        "nothing stored"
    );
    assert_eq!(
        server.get_json("/query/logs?limit=10000").await,
        json!([]),
        "nothing stored"
    );
    let health = server.get_json("/health").await;
    assert_eq!(health["storage"]["rows_buffered"], 0);
}

#[tokio::test]
async fn invalid_items_are_all_listed_with_index_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let body = json!([
        {"service":"api","metric":"m","value":1,"ts":recent(1)},
        {"service":"api","metric":"m","value":"NaN"},
        {"metric":"m","value":1},
    ]);
    let (status, error) = server.post_json("/ingest/metrics", &body).await;
    assert_eq!(status, 400);
    let details: Vec<(u64, String)> = error["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["index"].as_u64().unwrap(),
                d["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        details,
        vec![(1, "value".to_string()), (2, "service".to_string())]
    );
    let single = server
        .post_json(
            "/ingest/metrics",
            &json!({"service":"api","metric":"m","value":1,"ts":"soon"}),
        )
        .await;
    assert_eq!(
        single.1["error"]["field"], "ts",
        "a single bad field is named at the top level"
    );
}

#[tokio::test]
async fn bad_query_parameters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    for (path, field) in [
        ("/query/metrics?limit=0", "limit"),
        ("/query/metrics?limit=many", "limit"),
        ("/query/metrics?limit=1000000", "limit"),
        ("/query/metrics?since=yesterday", "since"),
        ("/query/metrics?since=1h&until=2h", "since"),
        ("/query/metrics?agg=avg", "agg"),
        ("/query/metrics?step=1m&agg=median-ish", "agg"),
        ("/query/metrics?step=0", "step"),
        ("/query/metrics?labels=noequals", "labels"),
        ("/query/logs?level=loud", "level"),
        ("/anomalies?min_score=2", "min_score"),
    ] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "invalid_argument", "{path}");
        assert_eq!(body["error"]["field"], field, "{path}");
    }
    let bad_tenant = server
        .client
        .get(server.url("/query/logs"))
        .header("x-scope-orgid", "a b")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_tenant.status(), 400);
}
