//! `/query/sql` through the router: how the request is read and the answer shaped. What SQL
//! answers is tested in `telemetryhub-query`; the real server's answers in `tests/it/sql.rs`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use super::super::tests::test_app;
use crate::AppState;

/// Sends a request; returns the status, the headers and the body.
async fn send(
    state: &AppState,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = crate::app(state.clone())
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, bytes.to_vec())
}

fn error_of(body: &[u8]) -> (String, Option<String>) {
    let json: Value = serde_json::from_slice(body).unwrap();
    (
        json["error"]["code"].as_str().unwrap().to_string(),
        json["error"]["field"].as_str().map(str::to_string),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_query_limits_and_format_come_from_the_request() {
    let (_dir, state) = test_app();
    let select = "/query/sql?q=SELECT%201%20AS%20one";
    let (status, headers, body) = send(&state, Method::GET, select, &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["x-truncated"], "false");
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["rows"], serde_json::json!([[1]]));
    // Accept picks CSV or Arrow; `format` wins over Accept.
    let csv = send(&state, Method::GET, select, &[("accept", "text/csv")], "").await;
    assert_eq!(csv.1["content-type"], "text/csv; charset=utf-8");
    assert_eq!(String::from_utf8(csv.2).unwrap(), "one\n1\n");
    let arrow = send(
        &state,
        Method::GET,
        &format!("{select}&format=arrow"),
        &[("accept", "text/csv")],
        "",
    )
    .await;
    assert_eq!(
        arrow.1["content-type"],
        "application/vnd.apache.arrow.stream"
    );
    // POST: JSON or the SQL text itself.
    let json_post = send(
        &state,
        Method::POST,
        "/query/sql",
        &[("content-type", "application/json")],
        r#"{"query": "SELECT * FROM generate_series(1, 5)", "limit": 2, "timeout": "5s"}"#,
    )
    .await;
    assert_eq!(json_post.0, StatusCode::OK);
    assert_eq!(json_post.1["x-truncated"], "true");
    let answer: Value = serde_json::from_slice(&json_post.2).unwrap();
    assert_eq!(answer["rows"], serde_json::json!([[1], [2]]));
    assert_eq!(answer["truncated"], Value::Bool(true));
    let text_post = send(
        &state,
        Method::POST,
        "/query/sql?format=csv",
        &[("content-type", "text/plain")],
        "SELECT 2 AS two",
    )
    .await;
    assert_eq!(String::from_utf8(text_post.2).unwrap(), "two\n2\n");
}

/// Method, URI, headers, body; then the status, error code and field expected.
type Case = (
    Method,
    String,
    Vec<(&'static str, &'static str)>,
    &'static str,
    StatusCode,
    &'static str,
    Option<&'static str>,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_in_the_one_error_shape() {
    let (_dir, state) = test_app();
    let max = state.config().sql.max_rows;
    let cases: Vec<Case> = vec![
        (
            Method::GET,
            "/query/sql".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("q"),
        ),
        (
            Method::GET,
            "/query/sql?q=SELECT%201&limit=0".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("limit"),
        ),
        (
            Method::GET,
            format!("/query/sql?q=SELECT%201&limit={}", max + 1),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("limit"),
        ),
        (
            Method::GET,
            "/query/sql?q=SELECT%201&timeout=soon".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("timeout"),
        ),
        (
            Method::GET,
            "/query/sql?q=SELECT%201&format=xml".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("format"),
        ),
        (
            Method::GET,
            "/query/sql?q=DROP%20TABLE%20logs".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            None,
        ),
        (
            Method::GET,
            "/query/sql?q=SELECT%20*%20FROM%20nope".into(),
            vec![],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            None,
        ),
        (
            Method::POST,
            "/query/sql".into(),
            vec![("content-type", "application/xml")],
            "<q/>",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
        ),
        (
            Method::POST,
            "/query/sql".into(),
            vec![("content-type", "application/json")],
            r#"{"sql": "SELECT 1"}"#,
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("body"),
        ),
        (
            Method::POST,
            "/query/sql".into(),
            vec![("content-type", "text/plain")],
            "  ",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("query"),
        ),
        (
            Method::GET,
            "/query/sql?q=SELECT%201".into(),
            vec![("x-scope-orgid", "no/slash")],
            "",
            StatusCode::BAD_REQUEST,
            "invalid_argument",
            Some("X-Scope-OrgID"),
        ),
    ];
    for (method, uri, headers, body, status, code, field) in cases {
        let (got, response_headers, bytes) = send(&state, method, &uri, &headers, body).await;
        assert_eq!(got, status, "{uri}: {}", String::from_utf8_lossy(&bytes));
        assert!(response_headers.contains_key("x-request-id"));
        let (got_code, got_field) = error_of(&bytes);
        assert_eq!(got_code, code, "{uri}");
        assert_eq!(got_field.as_deref(), field, "{uri}");
    }
    // A query past its time limit: 504 with the code `timeout`.
    let (status, _, bytes) = send(
        &state,
        Method::GET,
        "/query/sql?q=SELECT%20count(DISTINCT%20value%20%25%201000003)%20FROM%20generate_series(1,%2010000000000)&timeout=100ms",
        &[],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(error_of(&bytes).0, "timeout");
}

#[test]
fn the_docs_describe_every_table_and_column() {
    let document = crate::openapi_document();
    let item = &document.paths.paths["/query/sql"];
    for operation in [&item.get, &item.post] {
        let description = operation
            .as_ref()
            .and_then(|o| o.description.clone())
            .unwrap_or_default();
        for table in telemetryhub_query::sql_table_docs() {
            assert!(description.contains(&format!("**`{}`**", table.name)));
            for column in table.columns {
                assert!(
                    description.contains(&format!("| `{}` |", column.name)),
                    "{}.{}",
                    table.name,
                    column.name
                );
            }
        }
    }
}
