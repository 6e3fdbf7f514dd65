//! SQL end to end: data ingested through the native API and OTLP/HTTP, part of it flushed to
//! Parquet, queried through `/query/sql` — POST with JSON and text bodies, GET with `q=`, JSON,
//! CSV and Arrow IPC answers — errors in the one error shape, and tenants kept apart.

use datafusion::arrow::array::{Array, Float64Array, RecordBatch, StringArray};
use datafusion::arrow::ipc::reader::StreamReader;
use serde_json::{Value, json};

use crate::support::{Server, error_code, with_query};

const TENANT: &str = "acme";

/// Sends `body` to `path` as `tenant`; asserts success.
async fn ingest(server: &Server, tenant: &str, path: &str, body: &Value) {
    let response = server
        .client
        .post(server.url(path))
        .header("x-scope-orgid", tenant)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

/// POSTs a JSON SQL request as `tenant`; returns the status, `X-Truncated` and the body.
async fn post_sql(server: &Server, tenant: &str, body: &Value) -> (u16, String, Value) {
    let response = server
        .client
        .post(server.url("/query/sql"))
        .header("x-scope-orgid", tenant)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let truncated = response
        .headers()
        .get("x-truncated")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, truncated, response.json().await.unwrap())
}

/// The rows of the JSON answer to `query` as `tenant`.
async fn rows(server: &Server, tenant: &str, query: &str) -> Value {
    let (status, _, body) = post_sql(server, tenant, &json!({"query": query})).await;
    assert_eq!(status, 200, "{query}: {body}");
    body["rows"].clone()
}

/// A span of `service` in OTLP/JSON, started at `start` (ns).
fn otlp_span(
    service: &str,
    trace: &str,
    span: &str,
    name: &str,
    start: i64,
    duration_ms: i64,
) -> Value {
    json!({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeSpans": [{"spans": [{
            "traceId": trace, "spanId": span, "name": name, "kind": 2,
            "startTimeUnixNano": start.to_string(),
            "endTimeUnixNano": (start + duration_ms * 1_000_000).to_string(),
        }]}],
    }]})
}

#[tokio::test]
async fn sql_over_every_table_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    // Whole seconds ten minutes ago (within retention, not in the future).
    let base = (telemetryhub_model::now_ns() / 1_000_000_000 - 600) * 1_000_000_000;
    let ts = |s: u32| telemetryhub_model::format_rfc3339(base + i64::from(s) * 1_000_000_000);
    // Half flushed to Parquet, half buffered, for each signal; another tenant alongside.
    for (flush, values) in [(true, [1.5, 2.25]), (false, [4.0, 8.125])] {
        let points: Vec<Value> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                json!({"service": "api", "metric": "latency", "value": v, "ts": ts(i as u32 + if flush { 0 } else { 2 }), "labels": {"env": "prod"}})
            })
            .collect();
        ingest(&server, TENANT, "/ingest/metrics", &json!(points)).await;
        let logs = json!([
            {"service": "api", "level": "ERROR", "message": format!("db timeout after {}s", values[0]), "ts": ts(if flush { 0 } else { 2 })},
            {"service": "api", "level": "INFO", "message": "user logged in", "ts": ts(if flush { 1 } else { 3 })},
        ]);
        ingest(&server, TENANT, "/ingest/logs", &logs).await;
        ingest(
            &server,
            "other",
            "/ingest/logs",
            &json!([{"service": "secret", "level": "INFO", "message": "other tenant's line"}]),
        )
        .await;
        if flush {
            let flushed = server.post("/flush", "application/json", "{}").await;
            assert!(flushed.status().is_success());
        }
    }
    ingest(
        &server,
        TENANT,
        "/v1/traces",
        &otlp_span(
            "api",
            &"ab".repeat(16),
            &"cd".repeat(8),
            "GET /users",
            base,
            12,
        ),
    )
    .await;

    // POST, JSON body: metrics with their plain values, in order.
    let (status, truncated, body) = post_sql(
        &server,
        TENANT,
        &json!({"query": "SELECT service, labels, ts, value FROM metrics ORDER BY ts"}),
    )
    .await;
    assert_eq!((status, truncated.as_str()), (200, "false"), "{body}");
    assert_eq!(
        body["columns"],
        json!([
            {"name": "service", "type": "Utf8"},
            {"name": "labels", "type": "Utf8"},
            {"name": "ts", "type": "Timestamp(ns, \"UTC\")"},
            {"name": "value", "type": "Float64"},
        ])
    );
    let values: Vec<f64> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[3].as_f64().unwrap())
        .collect();
    assert_eq!(values, vec![1.5, 2.25, 4.0, 8.125]);
    assert_eq!(body["rows"][0][1], "{\"env\":\"prod\"}");
    assert_eq!(body["rows"][0][2], json!(ts(0)));
    assert_eq!(body["truncated"], false);

    // GET with q=: logs by level; the other tenant's line is not there.
    let url = with_query(
        &server.url("/query/sql"),
        &[(
            "q",
            "SELECT level, count(*) AS n FROM logs GROUP BY level ORDER BY level".into(),
        )],
    );
    let response = server
        .client
        .get(url)
        .header("x-scope-orgid", TENANT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["rows"], json!([["ERROR", 2], ["INFO", 2]]));

    // Spans from OTLP; logs joined to their patterns (mined at ingest).
    assert_eq!(
        rows(
            &server,
            TENANT,
            "SELECT service, name, duration_ns FROM spans"
        )
        .await,
        json!([["api", "GET /users", 12_000_000]])
    );
    let joined = rows(
        &server,
        TENANT,
        "SELECT p.template, count(*) FROM logs l JOIN patterns p ON l.pattern_id = p.pattern_id \
         GROUP BY p.template ORDER BY p.template",
    )
    .await;
    assert_eq!(joined.as_array().unwrap().len(), 2, "{joined}");
    assert_eq!(joined[1], json!(["user logged in", 2]), "{joined}");
    // No anomalies yet: the table answers its columns and no rows.
    let (status, _, body) = post_sql(
        &server,
        TENANT,
        &json!({"query": "SELECT id, score FROM anomalies"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["rows"], json!([]));
    assert_eq!(body["columns"][1]["name"], "score");

    // CSV by Accept, with a text/plain body and the limit in the query string.
    let csv = server
        .client
        .post(server.url("/query/sql?limit=1"))
        .header("x-scope-orgid", TENANT)
        .header("content-type", "text/plain")
        .header("accept", "text/csv")
        .body("SELECT metric, value FROM metrics ORDER BY value DESC")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.headers()["x-truncated"], "true");
    assert_eq!(csv.text().await.unwrap(), "metric,value\nlatency,8.125\n");

    // Arrow IPC by format=arrow.
    let arrow = server
        .client
        .get(with_query(
            &server.url("/query/sql"),
            &[
                ("q", "SELECT service, value FROM metrics ORDER BY ts".into()),
                ("format", "arrow".into()),
            ],
        ))
        .header("x-scope-orgid", TENANT)
        .send()
        .await
        .unwrap();
    assert_eq!(
        arrow.headers()["content-type"],
        "application/vnd.apache.arrow.stream"
    );
    let bytes = arrow.bytes().await.unwrap();
    let batches: Vec<RecordBatch> = StreamReader::try_new(std::io::Cursor::new(bytes), None)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut decoded = Vec::new();
    for batch in &batches {
        let services = batch
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        let values = batch
            .column(1)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        for row in 0..batch.num_rows() {
            decoded.push((services.value(row).to_string(), values.value(row)));
        }
    }
    assert_eq!(
        decoded,
        vec![
            ("api".to_string(), 1.5),
            ("api".to_string(), 2.25),
            ("api".to_string(), 4.0),
            ("api".to_string(), 8.125),
        ]
    );

    // Errors: the one shape, DataFusion's message, the tables named for an unknown one.
    let (status, _, body) = post_sql(&server, TENANT, &json!({"query": "SELEKT 1"})).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "invalid_argument");
    let (status, _, body) =
        post_sql(&server, TENANT, &json!({"query": "SELECT * FROM traces"})).await;
    assert_eq!(status, 400);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("metrics, logs, spans, exemplars, anomalies, patterns"),
        "{message}"
    );
    let (status, _, body) = post_sql(
        &server,
        TENANT,
        &json!({"query": "INSERT INTO logs SELECT * FROM logs"}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (400, "invalid_argument")
    );

    // Another tenant sees its own rows only; a tenant without data sees none.
    assert_eq!(
        rows(&server, "other", "SELECT service, message FROM logs").await,
        json!([
            ["secret", "other tenant's line"],
            ["secret", "other tenant's line"]
        ])
    );
    for table in ["metrics", "logs", "spans", "patterns"] {
        assert_eq!(
            rows(&server, "nobody", &format!("SELECT count(*) FROM {table}")).await,
            json!([[0]]),
            "{table}"
        );
    }
    assert_eq!(
        rows(&server, "other", "SELECT count(*) FROM metrics").await,
        json!([[0]])
    );
    // The query is counted in the self-metrics.
    let metrics = server.exposition().await;
    assert!(
        metrics.contains("telemetryhub_sql_query_duration_seconds_count{outcome=\"invalid\"}"),
        "no SQL metrics"
    );
}
