use std::sync::Arc;
use std::time::Duration;

use datafusion::arrow::array::{Array, Float64Array, RecordBatch};
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::logical_expr::{col, lit};
use serde_json::Value;
use telemetryhub_model::{
    Anomaly, Exemplar, Labels, Level, LogRecord, LogsWrite, MetricPoint, MetricsWrite,
    PatternFeedback, PatternSummary, PatternTemplate, SeriesBatch, Span, SpanKind, SpanStatus,
    SpansWrite,
};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage, ts_lit};

use super::tables::time_bounds;
use super::*;
use crate::Backend;

/// 2025-09-20T10:00:00Z.
const BASE_NS: i64 = 1_758_362_400_000_000_000;
const SECOND: i64 = 1_000_000_000;
const DAY: i64 = 86_400 * SECOND;

fn embedded() -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    (dir, Backend::of(storage))
}

fn request(tenant: &str, query: &str) -> SqlRequest {
    SqlRequest {
        tenant: tenant.into(),
        query: query.into(),
        format: SqlFormat::Json,
        limit: 10_000,
        timeout: Duration::from_secs(30),
        max_memory_bytes: 256 << 20,
    }
}

/// The JSON answer to `query` as `tenant`.
async fn json(backend: &Backend, tenant: &str, query: &str) -> Value {
    let answer = backend
        .sql(&request(tenant, query))
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    serde_json::from_slice(&answer.body).unwrap()
}

/// The rows of the JSON answer to `query`.
async fn rows(backend: &Backend, tenant: &str, query: &str) -> Vec<Vec<Value>> {
    let answer = json(backend, tenant, query).await;
    serde_json::from_value(answer["rows"].clone()).unwrap()
}

/// The error `query` is refused with.
async fn refused(backend: &Backend, tenant: &str, query: &str) -> QueryError {
    match backend.sql(&request(tenant, query)).await {
        Ok(answer) => panic!(
            "{query} was answered: {}",
            String::from_utf8_lossy(&answer.body)
        ),
        Err(error) => error,
    }
}

fn point(tenant: &str, offset_s: i64, value: f64) -> MetricPoint {
    MetricPoint {
        tenant: tenant.into(),
        service: format!("{tenant}-svc"),
        metric: "requests".into(),
        labels: [("host".to_string(), format!("{tenant}-host"))]
            .into_iter()
            .collect::<Labels>(),
        ts_ns: BASE_NS + offset_s * SECOND,
        value,
    }
}

fn log(tenant: &str, offset_s: i64, message: &str, pattern_id: u64) -> LogRecord {
    LogRecord {
        tenant: tenant.into(),
        service: format!("{tenant}-svc"),
        level: Level::Info,
        message: message.into(),
        ts_ns: BASE_NS + offset_s * SECOND,
        context: None,
        trace_id: None,
        span_id: None,
        pattern_id: Some(pattern_id),
        stream_labels: None,
    }
}

fn span(tenant: &str, id: u8) -> Span {
    Span {
        tenant: tenant.into(),
        trace_id: format!("{id:032x}"),
        span_id: format!("{id:016x}"),
        parent_span_id: None,
        service: format!("{tenant}-svc"),
        name: "GET /".into(),
        kind: SpanKind::Server,
        start_ns: BASE_NS + i64::from(id) * SECOND,
        duration_ns: 1_000,
        status: SpanStatus::Ok,
        status_message: None,
        attributes: None,
        events: None,
        links: None,
    }
}

fn pattern(tenant: &str, id: u64, template: &str) -> PatternTemplate {
    PatternTemplate {
        tenant: tenant.into(),
        id,
        template: template.into(),
        merged_into: None,
        samples: vec![template.replace("<*>", "1")],
        first_seen_ns: BASE_NS,
        lines: 1,
        last_seen_ns: BASE_NS,
        version: 1,
    }
}

fn anomaly(tenant: &str, id: &str) -> Anomaly {
    Anomaly {
        id: id.into(),
        tenant: tenant.into(),
        service: format!("{tenant}-svc"),
        metric: "requests".into(),
        labels: Labels::new(),
        window_start_ns: BASE_NS,
        window_end_ns: BASE_NS + 60 * SECOND,
        score: 0.9,
        threshold: 0.5,
        value: 42.0,
        expected_low: 1.0,
        expected_high: 2.0,
        detector: "statistical".into(),
        model_version: "1".into(),
        ts_ns: BASE_NS + 61 * SECOND,
        feedback: None,
    }
}

/// Per tenant, of every table: `n` rows of its own (metrics, logs and spans half in parts,
/// half buffered), each naming the tenant (`<tenant>-svc`, `<tenant>-host`, ids).
async fn write_tenant(backend: &Backend, tenant: &str, n: u8, flush_after: u8) {
    for i in 0..n {
        let points = vec![point(tenant, i64::from(i), f64::from(i))];
        let exemplars = vec![Exemplar {
            tenant: tenant.into(),
            service: format!("{tenant}-svc"),
            metric: "requests".into(),
            labels: Labels::new(),
            exemplar_labels: Labels::new(),
            ts_ns: BASE_NS + i64::from(i) * SECOND,
            value: 1.0,
            trace_id: Some(format!("{i:032x}")),
        }];
        backend
            .data
            .write_metrics(MetricsWrite {
                exemplars,
                ..MetricsWrite::of(SeriesBatch::from_points(tenant, &points))
            })
            .await
            .unwrap();
        let pattern_id = u64::from(i % 2);
        backend
            .data
            .write_logs(LogsWrite {
                records: vec![log(
                    tenant,
                    i64::from(i),
                    &format!("{tenant} line {i}"),
                    pattern_id,
                )],
                patterns: if i < 2 {
                    vec![pattern(
                        tenant,
                        pattern_id,
                        &format!("{tenant} pattern {pattern_id} <*>"),
                    )]
                } else {
                    Vec::new()
                },
                ..LogsWrite::new(tenant)
            })
            .await
            .unwrap();
        backend
            .data
            .write_spans(SpansWrite {
                tenant: tenant.into(),
                spans: vec![span(tenant, i)],
                idempotency: None,
            })
            .await
            .unwrap();
        if i + 1 == flush_after {
            backend.data.flush().await.unwrap();
        }
    }
    backend
        .state
        .put_anomalies(vec![anomaly(tenant, &format!("{tenant}-anomaly"))])
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_holds_only_the_callers_tenant() {
    let (_dir, backend) = embedded();
    write_tenant(&backend, "a", 4, 2).await;
    write_tenant(&backend, "b", 6, 3).await;
    let expected = [
        ("metrics", "service", 4, 6),
        ("logs", "service", 4, 6),
        ("spans", "service", 4, 6),
        ("exemplars", "service", 4, 6),
        // One series per tenant, all in one hour: one row, merged across flushes.
        ("metrics_hourly", "service", 1, 1),
        ("anomalies", "service", 1, 1),
        ("patterns", "template", 2, 2),
    ];
    assert_eq!(expected.len(), TABLE_NAMES.len());
    for (table, column, a_rows, b_rows) in expected {
        for (tenant, count) in [("a", a_rows), ("b", b_rows)] {
            let found = rows(&backend, tenant, &format!("SELECT {column} FROM {table}")).await;
            assert_eq!(found.len(), count, "{table} of {tenant}");
            for row in found {
                let text = row[0].as_str().unwrap();
                assert!(text.starts_with(tenant), "{table} of {tenant} shows {text}");
            }
        }
        // A tenant with nothing sees empty tables, not an error.
        assert!(
            rows(&backend, "nobody", &format!("SELECT * FROM {table}"))
                .await
                .is_empty()
        );
    }
    // No `tenant` column to filter on, and no way around the scope.
    let error = refused(&backend, "a", "SELECT * FROM metrics WHERE tenant = 'b'").await;
    assert!(matches!(error, QueryError::InvalidSql(_)), "{error}");
    let joined = rows(
        &backend,
        "a",
        "SELECT count(*) FROM metrics m1 JOIN metrics m2 ON true",
    )
    .await;
    assert_eq!(joined, vec![vec![Value::from(16)]]);
    let widened = rows(
        &backend,
        "a",
        "SELECT count(*) FROM logs WHERE service LIKE 'b%' OR true",
    )
    .await;
    assert_eq!(widened, vec![vec![Value::from(4)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_cannot_reach_beyond_the_tenants_tables() {
    let (dir, backend) = embedded();
    write_tenant(&backend, "a", 2, 1).await;
    write_tenant(&backend, "b", 2, 1).await;
    // information_schema lists the six tables and its own views, nothing else.
    let tables = rows(
        &backend,
        "a",
        "SELECT table_catalog, table_schema, table_name FROM information_schema.tables \
         WHERE table_schema <> 'information_schema' ORDER BY table_name",
    )
    .await;
    let mut names: Vec<&str> = TABLE_NAMES.to_vec();
    names.sort_unstable();
    let expected: Vec<Vec<Value>> = names
        .iter()
        .map(|n| vec!["telemetryhub".into(), "public".into(), (*n).into()])
        .collect();
    assert_eq!(tables, expected);
    let part = walk_parquet(dir.path()).expect("a flushed part");
    let copy_target = dir.path().join("copied.csv");
    let attempts = [
        "CREATE TABLE x AS SELECT * FROM metrics".to_string(),
        "CREATE VIEW v AS SELECT * FROM metrics".to_string(),
        "INSERT INTO metrics SELECT * FROM metrics".to_string(),
        "DELETE FROM metrics".to_string(),
        "DROP TABLE metrics".to_string(),
        format!(
            "COPY (SELECT * FROM metrics) TO '{}'",
            copy_target.display()
        ),
        format!(
            "CREATE EXTERNAL TABLE raw STORED AS PARQUET LOCATION '{}'",
            part.display()
        ),
        format!("SELECT * FROM '{}'", part.display()),
        format!("SELECT * FROM read_parquet('{}')", part.display()),
        format!("SELECT * FROM parquet_metadata('{}')", part.display()),
        "SET datafusion.execution.batch_size = 1".to_string(),
        "SELECT * FROM datafusion.public.metrics".to_string(),
        "SELECT * FROM other.public.metrics".to_string(),
        "SELECT 1; SELECT 2".to_string(),
        "PREPARE p AS SELECT * FROM metrics".to_string(),
        "EXPLAIN ANALYZE SELECT * FROM metrics".to_string(),
        "EXPLAIN VERBOSE SELECT * FROM metrics".to_string(),
    ];
    for attempt in &attempts {
        let error = refused(&backend, "a", attempt).await;
        assert!(
            matches!(error, QueryError::InvalidSql(_)),
            "{attempt}: {error:?}"
        );
        assert_eq!(error.code(), telemetryhub_model::ErrorCode::InvalidArgument);
    }
    assert!(!copy_target.exists(), "COPY wrote a file");
    // Tables survived the attempts, each still the caller's only.
    assert_eq!(rows(&backend, "a", "SELECT * FROM metrics").await.len(), 2);
}

/// The first Parquet part under `dir`.
fn walk_parquet(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = walk_parquet(&path) {
                return Some(found);
            }
        } else if path.extension().is_some_and(|e| e == "parquet") {
            return Some(path);
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_table_is_named_with_the_tables_there_are() {
    let (_dir, backend) = embedded();
    let error = refused(&backend, "a", "SELECT * FROM metric").await;
    let message = error.to_string();
    assert!(matches!(error, QueryError::InvalidSql(_)), "{error:?}");
    assert!(
        message.contains("table 'telemetryhub.public.metric' not found"),
        "{message}"
    );
    for name in TABLE_NAMES {
        assert!(message.contains(name), "{message} names {name}");
    }
    for (query, needle) in [
        ("SELEC 1", "SELEC"),
        ("SELECT nope FROM logs", "nope"),
        ("SELECT 1 / 0", "Divide by zero"),
        ("SELECT CAST('x' AS INT)", "Cannot cast"),
    ] {
        let error = refused(&backend, "a", query).await;
        assert!(
            matches!(error, QueryError::InvalidSql(_)),
            "{query}: {error:?}"
        );
        assert!(error.to_string().contains(needle), "{query}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_row_limit_cuts_the_answer_and_says_so() {
    let (_dir, backend) = embedded();
    write_tenant(&backend, "a", 25, 10).await;
    let run = |limit: usize, query: &'static str| {
        let backend = backend.clone();
        async move {
            let answer = backend
                .sql(&SqlRequest {
                    limit,
                    ..request("a", query)
                })
                .await
                .unwrap();
            let body: Value = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(body["rows"].as_array().unwrap().len(), answer.rows);
            assert_eq!(body["truncated"], Value::Bool(answer.truncated));
            (answer.rows, answer.truncated, body)
        }
    };
    let (count, truncated, _) = run(10, "SELECT * FROM logs").await;
    assert_eq!((count, truncated), (10, true));
    let (count, truncated, _) = run(25, "SELECT * FROM logs").await;
    assert_eq!((count, truncated), (25, false));
    let (count, truncated, _) = run(26, "SELECT * FROM logs").await;
    assert_eq!((count, truncated), (25, false));
    // The newest rows first: the limit applies after the query's own ordering.
    let (count, truncated, body) = run(3, "SELECT value FROM metrics ORDER BY ts DESC").await;
    assert_eq!((count, truncated), (3, true));
    assert_eq!(body["rows"], serde_json::json!([[24.0], [23.0], [22.0]]));
    // A query's own smaller LIMIT is a complete answer.
    let (count, truncated, _) = run(10, "SELECT * FROM spans LIMIT 5").await;
    assert_eq!((count, truncated), (5, false));
    // A byte budget smaller than the rows cuts the answer too.
    let small = backend
        .sql(&SqlRequest {
            max_memory_bytes: 64 << 10,
            ..request("a", "SELECT repeat(message, 1000) FROM logs")
        })
        .await
        .unwrap();
    assert!(small.truncated && small.rows < 25, "{} rows", small.rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_hourly_answers_one_merged_row_per_series_and_hour() {
    let (_dir, backend) = embedded();
    // Values 0..6, flushed after the third: the hour spans a part and the buffer.
    write_tenant(&backend, "a", 6, 3).await;
    let found = rows(
        &backend,
        "a",
        &format!(
            "SELECT labels, count, sum, min, max, p50, p99, length(encode(sketch, 'hex')) > 40 AS has_sketch \
             FROM metrics_hourly WHERE hour >= to_timestamp_nanos({BASE_NS}) AND metric = 'requests'"
        ),
    )
    .await;
    assert_eq!(
        found,
        vec![vec![
            Value::from(r#"{"host":"a-host"}"#),
            Value::from(6),
            Value::from(15.0),
            Value::from(0.0),
            Value::from(5.0),
            // Values 0..5: rank floor(0.5 * 5) = 2, and floor(0.99 * 5) = 4, within 1 %.
            found[0][5].clone(),
            found[0][6].clone(),
            Value::from(true),
        ]]
    );
    let p50 = found[0][5].as_f64().unwrap();
    let p99 = found[0][6].as_f64().unwrap();
    assert!(
        (p50 - 2.0).abs() <= 0.02 && (p99 - 4.0).abs() <= 0.04,
        "{p50} {p99}"
    );
    // A bound on `hour` past the data reads nothing.
    let later = BASE_NS + 3_600 * SECOND;
    let none = rows(
        &backend,
        "a",
        &format!("SELECT count FROM metrics_hourly WHERE hour >= to_timestamp_nanos({later})"),
    )
    .await;
    assert!(none.is_empty());
}

#[test]
fn time_bounds_come_from_the_filters_on_ts() {
    let t = |ns: i64| ts_lit(ns);
    assert_eq!(time_bounds(&[], "ts"), (i64::MIN, i64::MAX));
    assert_eq!(
        time_bounds(&[col("ts").gt_eq(t(10)), col("ts").lt(t(20))], "ts"),
        (10, 20)
    );
    assert_eq!(
        time_bounds(&[col("ts").gt(t(10)).and(col("ts").lt_eq(t(20)))], "ts"),
        (11, 21)
    );
    // A literal on the left, and an equality.
    assert_eq!(time_bounds(&[t(10).lt(col("ts"))], "ts"), (11, i64::MAX));
    assert_eq!(time_bounds(&[col("ts").eq(t(15))], "ts"), (15, 16));
    // Other units are converted; what is not a plain bound on ts widens nothing.
    let seconds = lit(datafusion::common::ScalarValue::TimestampSecond(
        Some(2),
        None,
    ));
    assert_eq!(
        time_bounds(&[col("ts").gt_eq(seconds)], "ts"),
        (2 * SECOND, i64::MAX)
    );
    assert_eq!(
        time_bounds(
            &[
                col("ts").gt_eq(t(10)).or(col("ts").lt(t(5))),
                col("value").gt(lit(1.0)),
                col("ts").not_eq(t(3)),
            ],
            "ts"
        ),
        (i64::MIN, i64::MAX)
    );
    // The rollups' time column is `hour`; bounds on other columns are not time bounds.
    assert_eq!(
        time_bounds(&[col("hour").gt_eq(t(10)), col("ts").lt(t(20))], "hour"),
        (10, i64::MAX)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_filters_skip_parts_of_other_days_and_answer_exactly() {
    let (_dir, backend) = embedded();
    // Three days, one part each, and a buffered day.
    for day in 0..4 {
        let points: Vec<MetricPoint> = (0..10)
            .map(|i| MetricPoint {
                ts_ns: BASE_NS + day * DAY + i * 60 * SECOND,
                ..point("a", 0, (day * 100 + i) as f64)
            })
            .collect();
        backend
            .data
            .write_metrics(MetricsWrite::of(SeriesBatch::from_points("a", &points)))
            .await
            .unwrap();
        if day < 3 {
            backend.data.flush().await.unwrap();
        }
    }
    let since = "2025-09-22T10:05:00Z"; // day 2, minute 5
    let query = format!("SELECT value FROM metrics WHERE ts >= '{since}' ORDER BY value");
    let values: Vec<f64> = rows(&backend, "a", &query)
        .await
        .into_iter()
        .map(|r| r[0].as_f64().unwrap())
        .collect();
    let expected: Vec<f64> = (205..210).chain(300..310).map(|v| v as f64).collect();
    assert_eq!(values, expected);
    let between = rows(
        &backend,
        "a",
        "SELECT count(*) FROM metrics WHERE ts BETWEEN '2025-09-21T00:00:00Z' AND '2025-09-21T10:03:00Z'",
    )
    .await;
    assert_eq!(between, vec![vec![Value::from(4)]]);
    // The plan reads only the parts of the days the filter allows.
    let plan = rows(&backend, "a", &format!("EXPLAIN {query}")).await;
    let text = serde_json::to_string(&plan).unwrap();
    assert!(text.contains("date=2025-09-22"), "{text}");
    assert!(!text.contains("date=2025-09-20"), "day 0 is read: {text}");
    assert!(!text.contains("date=2025-09-21"), "day 1 is read: {text}");
    let unfiltered = rows(&backend, "a", "EXPLAIN SELECT value FROM metrics").await;
    let text = serde_json::to_string(&unfiltered).unwrap();
    assert!(text.contains("date=2025-09-20"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_values_come_back_bit_exact() {
    let (_dir, backend) = embedded();
    let values = [
        0.1 + 0.2,
        1e-300,
        -123_456.789_012_345_6,
        std::f64::consts::PI,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        -0.0,
        f64::INFINITY,
        f64::NAN,
        1.0 / 3.0,
        2.5,
    ];
    let points: Vec<MetricPoint> = values
        .iter()
        .enumerate()
        .map(|(i, v)| point("a", i as i64, *v))
        .collect();
    // Half in a part (values encoded there), half buffered.
    let (first, second) = points.split_at(6);
    backend
        .data
        .write_metrics(MetricsWrite::of(SeriesBatch::from_points("a", first)))
        .await
        .unwrap();
    backend.data.flush().await.unwrap();
    backend
        .data
        .write_metrics(MetricsWrite::of(SeriesBatch::from_points("a", second)))
        .await
        .unwrap();
    let answer = backend
        .sql(&SqlRequest {
            format: SqlFormat::Arrow,
            ..request("a", "SELECT value FROM metrics ORDER BY ts")
        })
        .await
        .unwrap();
    let batches = read_arrow(&answer.body);
    let read: Vec<u64> = batches
        .iter()
        .flat_map(|b| {
            let column = b.column(0).as_any().downcast_ref::<Float64Array>().unwrap();
            column
                .values()
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        })
        .collect();
    let written: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    assert_eq!(read, written);
    // JSON carries finite values exactly too (non-finite ones as null).
    let json_values = rows(&backend, "a", "SELECT value FROM metrics ORDER BY ts").await;
    for (row, value) in json_values.iter().zip(values) {
        match row[0].as_f64() {
            Some(read) => assert_eq!(read.to_bits(), value.to_bits(), "{value}"),
            None => assert!(!value.is_finite(), "{value} came back as {:?}", row[0]),
        }
    }
}

fn read_arrow(body: &[u8]) -> Vec<RecordBatch> {
    StreamReader::try_new(std::io::Cursor::new(body.to_vec()), None)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_join_their_patterns_and_state_tables_carry_feedback() {
    let (_dir, backend) = embedded();
    write_tenant(&backend, "a", 5, 3).await;
    write_tenant(&backend, "b", 3, 0).await;
    backend
        .state
        .put_pattern_feedback(
            "a",
            1,
            PatternFeedback {
                name: Some("odd lines".into()),
                muted: true,
                ..PatternFeedback::default()
            },
        )
        .await
        .unwrap();
    backend
        .state
        .put_pattern_summaries(vec![PatternSummary {
            tenant: "a".into(),
            pattern_id: 0,
            text: "even lines".into(),
            source: "rule".into(),
            support_count: 3,
            updated_ns: BASE_NS,
        }])
        .await
        .unwrap();
    let joined = rows(
        &backend,
        "a",
        "SELECT p.pattern_id, p.template, p.name, p.muted, p.summary, count(*) AS lines \
         FROM logs l JOIN patterns p ON l.pattern_id = p.pattern_id \
         GROUP BY p.pattern_id, p.template, p.name, p.muted, p.summary ORDER BY p.pattern_id",
    )
    .await;
    assert_eq!(
        joined,
        vec![
            serde_json::from_value::<Vec<Value>>(serde_json::json!([
                0,
                "a pattern 0 <*>",
                null,
                false,
                "even lines",
                3
            ]))
            .unwrap(),
            serde_json::from_value::<Vec<Value>>(serde_json::json!([
                1,
                "a pattern 1 <*>",
                "odd lines",
                true,
                null,
                2
            ]))
            .unwrap(),
        ]
    );
    // Anomalies join their series' samples; timestamps read as RFC 3339.
    let answer = json(
        &backend,
        "a",
        "SELECT a.id, a.window_start, max(m.value) AS peak FROM anomalies a \
         JOIN metrics m ON m.service = a.service AND m.metric = a.metric \
         AND m.ts BETWEEN a.window_start AND a.window_end GROUP BY a.id, a.window_start",
    )
    .await;
    assert_eq!(
        answer["rows"],
        serde_json::json!([["a-anomaly", "2025-09-20T10:00:00Z", 4.0]])
    );
    assert_eq!(
        answer["columns"][1],
        serde_json::json!({"name": "window_start", "type": "Timestamp(ns, \"UTC\")"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_come_as_json_csv_or_arrow() {
    let (_dir, backend) = embedded();
    write_tenant(&backend, "a", 3, 0).await;
    let query = "SELECT service, ts, value FROM metrics ORDER BY ts";
    let body = json(&backend, "a", query).await;
    assert_eq!(
        body,
        serde_json::json!({
            "columns": [
                {"name": "service", "type": "Utf8"},
                {"name": "ts", "type": "Timestamp(ns, \"UTC\")"},
                {"name": "value", "type": "Float64"},
            ],
            "rows": [
                ["a-svc", "2025-09-20T10:00:00Z", 0.0],
                ["a-svc", "2025-09-20T10:00:01Z", 1.0],
                ["a-svc", "2025-09-20T10:00:02Z", 2.0],
            ],
            "truncated": false,
        })
    );
    let csv = backend
        .sql(&SqlRequest {
            format: SqlFormat::Csv,
            ..request("a", query)
        })
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8(csv.body).unwrap(),
        "service,ts,value\n\
         a-svc,2025-09-20T10:00:00Z,0.0\n\
         a-svc,2025-09-20T10:00:01Z,1.0\n\
         a-svc,2025-09-20T10:00:02Z,2.0\n"
    );
    // An empty answer still names its columns.
    let empty = backend
        .sql(&SqlRequest {
            format: SqlFormat::Csv,
            ..request("nobody", query)
        })
        .await
        .unwrap();
    assert_eq!(String::from_utf8(empty.body).unwrap(), "service,ts,value\n");
    let arrow = backend
        .sql(&SqlRequest {
            format: SqlFormat::Arrow,
            ..request("a", query)
        })
        .await
        .unwrap();
    let batches = read_arrow(&arrow.body);
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(total, 3);
    assert_eq!(batches[0].schema().field(0).name(), "service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_past_its_time_or_memory_limit_is_stopped() {
    let (_dir, backend) = embedded();
    let slow = backend
        .sql(&SqlRequest {
            timeout: Duration::from_millis(200),
            ..request(
                "a",
                "SELECT count(DISTINCT value % 1000003) FROM generate_series(1, 10000000000)",
            )
        })
        .await;
    assert!(matches!(slow, Err(QueryError::Timeout(_))), "{slow:?}");
    assert_eq!(
        slow.unwrap_err().code(),
        telemetryhub_model::ErrorCode::Timeout
    );
    let hungry = backend
        .sql(&SqlRequest {
            max_memory_bytes: 1 << 20,
            ..request(
                "a",
                "SELECT value, count(*) FROM generate_series(1, 3000000) GROUP BY value",
            )
        })
        .await;
    assert!(
        matches!(hungry, Err(QueryError::MemoryExhausted(_))),
        "{hungry:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_columns_are_the_columns_sql_sees() {
    let (_dir, backend) = embedded();
    let columns = rows(
        &backend,
        "a",
        "SELECT table_name, column_name FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    )
    .await;
    let mut documented: Vec<Vec<Value>> = Vec::new();
    let mut docs = table_docs();
    docs.sort_by_key(|t| t.name);
    for table in &docs {
        assert!(!table.description.is_empty(), "{}", table.name);
        for column in &table.columns {
            assert!(
                !column.description.is_empty(),
                "{}.{} has no description",
                table.name,
                column.name
            );
            documented.push(vec![table.name.into(), column.name.clone().into()]);
        }
    }
    assert_eq!(columns, documented);
    assert_eq!(docs.len(), TABLE_NAMES.len());
}
