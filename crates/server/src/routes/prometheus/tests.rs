//! Router tests of the Prometheus API: parameters in, Prometheus' statuses, envelopes and
//! shapes out, over a real embedded store (`routes::tests::test_app`). Tests named
//! `*_evaluates_*` need the PromQL evaluator.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use serde_json::{Value, json};
use telemetryhub_model::{format_rfc3339, now_ns};
use tower::ServiceExt;

use crate::AppState;
use crate::routes::tests::{post, test_app};

const SECOND: i64 = 1_000_000_000;

/// One request: GET `uri`, or POST `form` as `application/x-www-form-urlencoded`; optionally as
/// `tenant`. Returns the status, headers and JSON body.
async fn prom(
    state: &AppState,
    uri: &str,
    form: Option<&str>,
    tenant: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::builder().uri(uri);
    if let Some(tenant) = tenant {
        request = request.header("X-Scope-OrgID", tenant);
    }
    let body = match form {
        Some(form) => {
            request = request
                .method(Method::POST)
                .header("content-type", "application/x-www-form-urlencoded");
            Body::from(form.to_string())
        }
        None => Body::empty(),
    };
    let response = crate::app(state.clone())
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap())
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = prom(state, uri, None, None).await;
    assert!(headers.contains_key("x-request-id"), "{uri}");
    (status, body)
}

/// Asserts Prometheus' error envelope with `status`, `error_type` and a message starting with
/// `message`.
fn assert_prom_error(
    answer: &(StatusCode, Value),
    status: StatusCode,
    error_type: &str,
    message: &str,
) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["status"], "error", "{body}");
    assert_eq!(body["errorType"], error_type, "{body}");
    let text = body["error"].as_str().unwrap_or_default();
    assert!(
        text.starts_with(message),
        "{text:?} should start with {message:?}"
    );
    assert!(body.get("data").is_none(), "{body}");
}

/// Two series of `requests_total` (payments: prod and dev) and one of `up` in the default
/// tenant, a minute ago.
async fn write_series(state: &AppState) -> i64 {
    let ts = now_ns() - 60 * SECOND;
    let points = json!([
        {"service": "payments", "metric": "requests_total", "labels": {"env": "prod"}, "value": 5, "ts": format_rfc3339(ts)},
        {"service": "payments", "metric": "requests_total", "labels": {"env": "dev"}, "value": 7, "ts": format_rfc3339(ts)},
        {"service": "payments", "metric": "up", "labels": {"env": "prod"}, "value": 1, "ts": format_rfc3339(ts)},
    ]);
    assert_eq!(
        post(state, "/ingest/metrics", points).await.0,
        StatusCode::OK
    );
    ts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_api_refuses_bad_parameters_in_its_envelope() {
    let (_dir, state) = test_app();
    let bad = StatusCode::BAD_REQUEST;
    assert_prom_error(
        &get(
            &state,
            "/api/v1/query_range?query=up&start=100&end=50&step=15",
        )
        .await,
        bad,
        "bad_data",
        "end timestamp must not be before start time",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query_range?query=up&start=0&end=50&step=0").await,
        bad,
        "bad_data",
        "zero or negative query resolution step widths are not accepted. Try a positive integer",
    );
    assert_prom_error(
        &get(
            &state,
            "/api/v1/query_range?query=up&start=0&end=50&step=-1m",
        )
        .await,
        bad,
        "bad_data",
        "invalid parameter \"step\": cannot parse \"-1m\" to a valid duration",
    );
    assert_prom_error(
        &get(
            &state,
            "/api/v1/query_range?query=up&start=0&end=11001&step=1",
        )
        .await,
        bad,
        "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
    assert_prom_error(
        &get(
            &state,
            "/api/v1/query_range?query=up&start=yesterday&end=50&step=1",
        )
        .await,
        bad,
        "bad_data",
        "invalid parameter \"start\": cannot parse \"yesterday\" to a valid timestamp",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query_range?query=up&start=1").await,
        bad,
        "bad_data",
        "invalid parameter \"end\": cannot parse \"\" to a valid timestamp",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query?query=up&time=soon").await,
        bad,
        "bad_data",
        "invalid parameter \"time\": invalid time value for 'time': cannot parse \"soon\"",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query?query=sum(up").await,
        bad,
        "bad_data",
        "invalid parameter \"query\": ",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query?query=up&timeout=later").await,
        bad,
        "bad_data",
        "invalid parameter \"timeout\": cannot parse \"later\" to a valid duration",
    );
    assert_prom_error(
        &get(&state, "/api/v1/series").await,
        bad,
        "bad_data",
        "no match[] parameter provided",
    );
    assert_prom_error(
        &get(&state, "/api/v1/series?match[]=sum(up)").await,
        bad,
        "bad_data",
        "invalid parameter \"match[]\": ",
    );
    assert_prom_error(
        &get(&state, "/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D").await,
        bad,
        "bad_data",
        "invalid parameter \"match[]\": vector selector must contain at least one non-empty matcher",
    );
    assert_prom_error(
        &get(&state, "/api/v1/labels?limit=-1").await,
        bad,
        "bad_data",
        "invalid parameter \"limit\": limit must be non-negative",
    );
    assert_prom_error(
        &get(&state, "/api/v1/label/not-a-name/values").await,
        bad,
        "bad_data",
        "invalid label name: \"not-a-name\"",
    );
    assert_prom_error(
        &get(&state, "/api/v1/query_exemplars?query=up&start=10&end=5").await,
        bad,
        "bad_data",
        "end timestamp must not be before start timestamp",
    );
    assert_prom_error(
        &get(&state, "/api/v1/format_query?query=1%2B").await,
        bad,
        "bad_data",
        "invalid parameter \"query\": ",
    );
    // A bad tenant header is refused in the same envelope.
    let answer = prom(&state, "/api/v1/labels", None, Some("no spaces")).await;
    assert_prom_error(&(answer.0, answer.2), bad, "bad_data", "X-Scope-OrgID");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_labels_and_label_values_by_get_and_post() {
    let (_dir, state) = test_app();
    write_series(&state).await;
    let (status, body) = get(&state, "/api/v1/series?match[]=requests_total").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"status": "success", "data": [
            {"__name__": "requests_total", "env": "dev", "service": "payments"},
            {"__name__": "requests_total", "env": "prod", "service": "payments"},
        ]})
    );
    // A form body, two selectors (a union), one with a regex; start and end as RFC 3339.
    let (status, _, body) = prom(
        &state,
        "/api/v1/series",
        Some("match%5B%5D=up&match%5B%5D=requests_total%7Benv%3D~%22pr.*%22%7D&start=2000-01-01T00:00:00Z"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["__name__"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["requests_total", "up"]);
    // A time range before the samples holds no series.
    let (_, body) = get(&state, "/api/v1/series?match[]=up&start=0&end=1000").await;
    assert_eq!(body["data"], json!([]));

    let (status, body) = get(&state, "/api/v1/labels").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"], json!(["__name__", "env", "service"]));
    let (_, body) = get(&state, "/api/v1/label/__name__/values").await;
    assert_eq!(body["data"], json!(["requests_total", "up"]));
    let (_, body) = get(&state, "/api/v1/label/env/values?match[]=up").await;
    assert_eq!(body["data"], json!(["prod"]));
    let (_, body) = get(&state, "/api/v1/label/absent/values").await;
    assert_eq!(body["data"], json!([]));

    // limit: at most that many, with Prometheus' warning; 0 means all.
    let (_, body) = get(&state, "/api/v1/label/__name__/values?limit=1").await;
    assert_eq!(
        body,
        json!({"status": "success", "data": ["requests_total"], "warnings": ["results truncated due to limit"]})
    );
    let (_, body) = get(&state, "/api/v1/series?match[]=requests_total&limit=0").await;
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    assert!(body.get("warnings").is_none());

    // Another tenant sees none of it.
    let (_, _, body) = prom(&state, "/api/v1/label/__name__/values", None, Some("other")).await;
    assert_eq!(body["data"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn format_query_exemplars_metadata_and_status() {
    let (_dir, state) = test_app();
    let (status, body) = get(
        &state,
        "/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "success");
    let formatted = body["data"].as_str().unwrap();
    assert!(formatted.contains("rate(x[5m])"), "{formatted}");
    let (status, _, post_body) = prom(
        &state,
        "/api/v1/format_query",
        Some("query=sum(rate(x%5B5m%5D))by(job)"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(post_body, body);

    // No selectors: no data; selectors without exemplars: an empty list.
    let (status, body) = get(&state, "/api/v1/query_exemplars?query=1%2B1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"status": "success", "data": null}));
    let (_, body) = get(&state, "/api/v1/query_exemplars?query=rate(x%5B5m%5D)").await;
    assert_eq!(body, json!({"status": "success", "data": []}));

    let (_, body) = get(&state, "/api/v1/metadata").await;
    assert_eq!(body, json!({"status": "success", "data": {}}));

    let (status, body) = get(&state, "/api/v1/status/buildinfo").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["version"], env!("CARGO_PKG_VERSION"));
    let (_, body) = get(&state, "/api/v1/status/runtimeinfo").await;
    assert!(
        body["data"]["startTime"].as_str().unwrap().ends_with('Z'),
        "{body}"
    );
    let (_, body) = get(&state, "/api/v1/status/flags").await;
    assert_eq!(
        body["data"],
        json!({"query.lookback-delta": "5m0s", "query.max-samples": "50000000", "query.timeout": "2m0s"})
    );
}

#[test]
fn the_openapi_document_lists_the_prometheus_api() {
    let document = serde_json::to_value(crate::openapi_document()).unwrap();
    let paths = &document["paths"];
    for path in [
        "/api/v1/query",
        "/api/v1/query_range",
        "/api/v1/format_query",
        "/api/v1/query_exemplars",
        "/api/v1/series",
        "/api/v1/labels",
    ] {
        assert!(paths[path]["get"].is_object(), "GET {path}");
        assert!(paths[path]["post"].is_object(), "POST {path}");
    }
    for path in [
        "/api/v1/label/{name}/values",
        "/api/v1/metadata",
        "/api/v1/status/buildinfo",
        "/api/v1/status/runtimeinfo",
        "/api/v1/status/flags",
    ] {
        assert!(paths[path]["get"].is_object(), "GET {path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_evaluates_instant_and_range_queries_in_prometheus_shapes() {
    let (_dir, state) = test_app();
    let ts = write_series(&state).await;
    let at = (ts / 1_000_000 + 1_500) as f64 / 1000.0;

    let (status, body) = get(
        &state,
        &format!("/api/v1/query?query=requests_total&time={at}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["resultType"], "vector");
    let result = body["data"]["result"].as_array().unwrap();
    assert_eq!(result.len(), 2, "{body}");
    assert_eq!(result[0]["metric"]["env"], "dev");
    assert_eq!(result[0]["value"], json!([at, "7"]));

    // POST form, the sum over both series.
    let (status, _, body) = prom(
        &state,
        "/api/v1/query",
        Some(&format!("query=sum(requests_total)&time={at}")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["result"],
        json!([{"metric": {}, "value": [at, "12"]}])
    );

    let (_, body) = get(&state, "/api/v1/query?query=1%2B1&time=1.5").await;
    assert_eq!(
        body["data"],
        json!({"resultType": "scalar", "result": [1.5, "2"]})
    );
    let (_, body) = get(&state, "/api/v1/query?query=%22hi%22&time=2").await;
    assert_eq!(
        body["data"],
        json!({"resultType": "string", "result": [2, "hi"]})
    );

    let start = (ts / SECOND) as f64;
    let (status, body) = get(
        &state,
        &format!(
            "/api/v1/query_range?query=up&start={start}&end={}&step=15s",
            start + 30.0
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["resultType"], "matrix");
    let values = body["data"]["result"][0]["values"].as_array().unwrap();
    assert_eq!(
        values.len(),
        2,
        "the sample counts from its own time on: {body}"
    );
    assert_eq!(values[0][1], "1");

    // A timeout too short for any evaluation is Prometheus' timeout error.
    let (status, body) = get(&state, "/api/v1/query?query=up&timeout=0").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["errorType"], "timeout");
}
