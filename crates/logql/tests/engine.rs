//! Evaluation over in-memory streams, each case checked by hand against Loki's semantics:
//! log queries (direction, limit, regrouping by parsed labels), range aggregations over
//! `(t - range, t]`, unwrap and its errors, vector aggregations, operators, limits, chunked
//! reads.

use std::sync::Mutex;

use async_trait::async_trait;
use telemetryhub_logql::{
    Direction, Engine, EngineOptions, InstantValue, LogEntry, LogSelection, LogSource, LogStream,
    LogqlError, MemorySource, Sample, parse,
};
use telemetryhub_model::Labels;

const S: i64 = 1_000_000_000;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `{app="api"}` with logfmt lines every 10 s from 0 s to 120 s, alternating levels and
/// paths; `{app="web"}` with one JSON line a minute.
fn source() -> MemorySource {
    let mut source = MemorySource::new();
    let api = labels(&[("app", "api"), ("env", "prod")]);
    for i in 0..=12i64 {
        let level = if i % 3 == 0 { "error" } else { "info" };
        let path = if i % 2 == 0 { "/a" } else { "/b" };
        source.add(
            &api,
            i * 10 * S,
            &format!("level={level} path={path} latency={}ms size={}", i * 10, i),
        );
    }
    let web = labels(&[("app", "web"), ("env", "prod")]);
    for i in 0..=2i64 {
        source.add(
            &web,
            i * 60 * S + 5 * S,
            &format!(r#"{{"status":{},"msg":"hit {i}"}}"#, 200 + i * 100),
        );
    }
    source
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn instant(
    engine: &Engine,
    source: &dyn LogSource,
    query: &str,
    t: i64,
) -> Result<InstantValue, LogqlError> {
    let expr = parse(query)?;
    block_on(engine.instant_query(source, &expr, t))
}

fn vector(query: &str, t: i64) -> Vec<(Labels, f64)> {
    match instant(&Engine::default(), &source(), query, t) {
        Ok(InstantValue::Vector(samples)) => samples
            .into_iter()
            .map(|Sample { labels, value }| (labels, value))
            .collect(),
        other => panic!("{query}: {other:?}"),
    }
}

fn one(query: &str, t: i64) -> f64 {
    let v = vector(query, t);
    assert_eq!(v.len(), 1, "{query}: {v:?}");
    v[0].1
}

#[test]
fn log_queries_take_the_newest_lines_first_by_default() {
    let engine = Engine::default();
    let expr = parse(r#"{env="prod"}"#).unwrap();
    let streams =
        block_on(engine.query_logs(&source(), &expr, 0, 200 * S, 3, Direction::Backward)).unwrap();
    // Newest three: api 120 s, web 125 s, api 110 s.
    assert_eq!(streams.len(), 2);
    assert_eq!(
        streams[0].labels,
        labels(&[("app", "api"), ("env", "prod")])
    );
    let api: Vec<i64> = streams[0].entries.iter().map(|e| e.ts_ns / S).collect();
    assert_eq!(api, vec![120, 110]);
    assert_eq!(streams[1].entries[0].ts_ns, 125 * S);

    let streams =
        block_on(engine.query_logs(&source(), &expr, 0, 200 * S, 2, Direction::Forward)).unwrap();
    let all: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns / S))
        .collect();
    assert_eq!(all, vec![0, 5]);
    // The end is exclusive.
    let streams =
        block_on(engine.query_logs(&source(), &expr, 0, 10 * S, 100, Direction::Forward)).unwrap();
    let all: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns / S))
        .collect();
    assert_eq!(all, vec![0, 5]);
}

#[test]
fn log_query_results_are_regrouped_by_parsed_labels() {
    let engine = Engine::default();
    let expr = parse(r#"{app="api"} | logfmt | latency > 90ms | line_format "{{.path}} {{.latency}}" | drop size, latency"#).unwrap();
    let streams =
        block_on(engine.query_logs(&source(), &expr, 0, 200 * S, 100, Direction::Forward)).unwrap();
    let shape: Vec<(Labels, Vec<String>)> = streams
        .into_iter()
        .map(|s| (s.labels, s.entries.into_iter().map(|e| e.line).collect()))
        .collect();
    let stream = |level: &str, path: &str| {
        labels(&[
            ("app", "api"),
            ("env", "prod"),
            ("level", level),
            ("path", path),
        ])
    };
    assert_eq!(
        shape,
        vec![
            (stream("error", "/a"), vec!["/a 120ms".to_string()]),
            (stream("info", "/a"), vec!["/a 100ms".to_string()]),
            (stream("info", "/b"), vec!["/b 110ms".to_string()]),
        ]
    );
}

#[test]
fn log_query_limits_and_wrong_kinds_are_errors() {
    let engine = Engine::new(EngineOptions {
        max_entries_limit: 10,
        ..EngineOptions::default()
    });
    let expr = parse(r#"{app="api"}"#).unwrap();
    let error =
        block_on(engine.query_logs(&source(), &expr, 0, S, 11, Direction::Backward)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("max entries limit per query exceeded"),
        "{error}"
    );
    let metric = parse(r#"rate({app="api"}[1m])"#).unwrap();
    assert!(block_on(engine.query_logs(&source(), &metric, 0, S, 5, Direction::Backward)).is_err());
    assert!(block_on(engine.instant_query(&source(), &expr, S)).is_err());
}

/// What a source was asked: start, end, line filter hints (`!` when negated), limit.
type Asked = (i64, i64, Vec<String>, Option<usize>);

/// A source that records what it was asked.
struct Recording {
    inner: MemorySource,
    asked: Mutex<Vec<Asked>>,
}

#[async_trait]
impl LogSource for Recording {
    async fn select(&self, selection: &LogSelection) -> Result<Vec<LogStream>, LogqlError> {
        self.asked.lock().unwrap().push((
            selection.start_ns,
            selection.end_ns,
            selection
                .line_filters
                .iter()
                .map(|h| format!("{}{}", if h.negated { "!" } else { "" }, h.text))
                .collect(),
            selection.limit,
        ));
        self.inner.select(selection).await
    }
}

#[test]
fn long_ranges_are_read_in_chunks_with_pushed_down_filters() {
    let recording = Recording {
        inner: source(),
        asked: Mutex::new(Vec::new()),
    };
    let engine = Engine::new(EngineOptions {
        chunk_ns: 30 * S,
        ..EngineOptions::default()
    });
    let expr = parse(r#"{app="api"} |= "error" != "/b""#).unwrap();
    let streams =
        block_on(engine.query_logs(&recording, &expr, 0, 130 * S, 2, Direction::Backward)).unwrap();
    let times: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns / S))
        .collect();
    assert_eq!(times, vec![120, 60]);
    let asked = recording.asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        vec![
            (
                100 * S,
                130 * S,
                vec!["error".to_string(), "!/b".to_string()],
                Some(2)
            ),
            (
                70 * S,
                100 * S,
                vec!["error".to_string(), "!/b".to_string()],
                Some(1)
            ),
            (
                40 * S,
                70 * S,
                vec!["error".to_string(), "!/b".to_string()],
                Some(1)
            ),
        ]
    );

    // A range query reads its windows chunk by chunk and answers as one read would.
    recording.asked.lock().unwrap().clear();
    let metric = parse(r#"count_over_time({app="api"}[20s])"#).unwrap();
    let chunked =
        block_on(engine.range_query(&recording, &metric, 20 * S, 120 * S, 50 * S)).unwrap();
    let whole =
        block_on(Engine::default().range_query(&source(), &metric, 20 * S, 120 * S, 50 * S))
            .unwrap();
    assert_eq!(chunked, whole);
    assert_eq!(
        whole[0].points,
        vec![(20 * S, 2.0), (70 * S, 2.0), (120 * S, 2.0)]
    );
    // Only the windows are read: (0, 20], (50, 70], (100, 120].
    let spans: Vec<(i64, i64)> = recording
        .asked
        .lock()
        .unwrap()
        .iter()
        .map(|a| (a.0 / S, a.1 / S))
        .collect();
    assert_eq!(
        spans.iter().map(|(a, b)| b - a).sum::<i64>(),
        60,
        "{spans:?}"
    );
}

#[test]
fn range_aggregations_use_left_open_windows() {
    // Lines at 10..=60 s are in (0, 60]; the one at 0 s is not.
    assert_eq!(one(r#"count_over_time({app="api"}[1m])"#, 60 * S), 6.0);
    assert_eq!(one(r#"rate({app="api"}[1m])"#, 60 * S), 0.1);
    // Sizes of the lines at 10..=60 s: each "level=… path=/x latency=Nms size=NB".
    let expected: f64 = (1..=6i64)
        .map(|i| {
            let level = if i % 3 == 0 { "error" } else { "info" };
            format!("level={level} path=/a latency={}ms size={}", i * 10, i).len() as f64
        })
        .sum();
    assert_eq!(one(r#"bytes_over_time({app="api"}[1m])"#, 60 * S), expected);
    assert_eq!(
        one(r#"bytes_rate({app="api"}[1m])"#, 60 * S),
        expected / 60.0
    );
    assert_eq!(
        one(r#"count_over_time({app="api"}[1m] offset 30s)"#, 90 * S),
        6.0
    );
    assert_eq!(
        one(r#"count_over_time({app="api"} |= "error" [1m])"#, 60 * S),
        2.0
    );
}

#[test]
fn unwrapped_values_and_their_errors() {
    // latency of the lines at 70..=120 s: 70..120 ms; duration() reads seconds.
    assert!(
        (one(
            r#"sum(sum_over_time({app="api"} | logfmt | unwrap duration(latency) [1m]))"#,
            120 * S
        ) - 0.57)
            .abs()
            < 1e-9
    );
    let avg = vector(
        r#"avg_over_time({app="api"} | logfmt | unwrap size [1m]) by (path)"#,
        120 * S,
    );
    assert_eq!(
        avg,
        vec![
            (labels(&[("path", "/a")]), 10.0),
            (labels(&[("path", "/b")]), 9.0)
        ]
    );
    assert_eq!(
        one(
            r#"max(max_over_time({app="api"} | logfmt | unwrap bytes(size) [1m]))"#,
            120 * S
        ),
        12.0
    );
    assert_eq!(
        one(
            r#"min_over_time({app="api"} | logfmt | unwrap size [1m]) without (level, path, latency)"#,
            120 * S
        ),
        7.0
    );
    assert_eq!(
        one(
            r#"first_over_time({app="api"} | logfmt | unwrap size [1m]) by (app)"#,
            120 * S
        ),
        7.0
    );
    assert_eq!(
        one(
            r#"last_over_time({app="api"} | logfmt | unwrap size [1m]) by (app)"#,
            120 * S
        ),
        12.0
    );
    assert_eq!(
        one(
            r#"quantile_over_time(0.5, {app="api"} | logfmt | unwrap size [1m]) by (app)"#,
            120 * S
        ),
        9.5
    );
    // 7..=12: mean 9.5, population variance 35/12.
    assert!(
        (one(
            r#"stdvar_over_time({app="api"} | logfmt | unwrap size [1m]) by (app)"#,
            120 * S
        ) - 35.0 / 12.0)
            .abs()
            < 1e-9
    );
    assert!(
        (one(
            r#"stddev_over_time({app="api"} | logfmt | unwrap size [1m]) by (app)"#,
            120 * S
        ) - (35.0f64 / 12.0).sqrt())
        .abs()
            < 1e-9
    );
    // Without grouping the series keep their labels but the unwrapped one.
    assert!(
        instant(
            &Engine::default(),
            &source(),
            r#"rate_counter({app="api"} | unwrap size [1m]) by (app)"#,
            0
        )
        .is_err()
    );
    let series = vector(
        r#"sum_over_time({app="api"} | logfmt | unwrap size [1m])"#,
        120 * S,
    );
    assert_eq!(series.len(), 6);
    assert!(
        series
            .iter()
            .all(|(l, _)| !l.contains_key("size") && l.contains_key("latency"))
    );
    // `level` is no number: the pipeline error stops the query unless filtered out.
    let error = instant(
        &Engine::default(),
        &source(),
        r#"sum_over_time({app="api"} | logfmt | unwrap level [1m])"#,
        120 * S,
    )
    .unwrap_err();
    assert!(
        matches!(&error, LogqlError::Pipeline { error, .. } if error == "SampleExtractionErr"),
        "{error}"
    );
    let filtered = vector(
        r#"sum_over_time({app="api"} | logfmt | unwrap level | __error__="" [1m])"#,
        120 * S,
    );
    assert!(filtered.is_empty());
    let error = instant(
        &Engine::default(),
        &source(),
        r#"count_over_time({app="api"} | json [1m])"#,
        120 * S,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("pipeline error: 'JSONParserErr'"),
        "{error}"
    );
    // Keeping the failed lines still fails; dropping the error labels counts them.
    assert!(
        instant(
            &Engine::default(),
            &source(),
            r#"sum(count_over_time({app="api"} | json | __error__!="" [1m]))"#,
            120 * S
        )
        .is_err()
    );
    assert_eq!(
        one(
            r#"sum(count_over_time({app="api"} | json | __error__!="" | drop __error__, __error_details__ [1m]))"#,
            120 * S
        ),
        6.0
    );
}

#[test]
fn rate_counter_extrapolates_like_prometheus() {
    // size counts 7..=12 at 70..=120 s in the window (60, 120]: increase 5 over 50 s,
    // extrapolated to the window's start (10 s before the first sample, within 1.1 × the
    // 10 s spacing, so fully) and end (0 s): 6 over 60 s.
    let rate = one(
        r#"rate_counter({app="api"} | logfmt | drop level, path, latency | unwrap size [1m])"#,
        120 * S,
    );
    assert!((rate - 0.1).abs() < 1e-9, "{rate}");
}

#[test]
fn absent_over_time_answers_for_missing_streams() {
    assert_eq!(
        vector(r#"absent_over_time({app="nope", env=~"p.*"}[1m])"#, 60 * S),
        vec![(labels(&[("app", "nope")]), 1.0)]
    );
    assert!(vector(r#"absent_over_time({app="api"}[1m])"#, 60 * S).is_empty());
}

#[test]
fn vector_aggregations() {
    let q = |agg: &str| format!(r#"{agg} (count_over_time({{app="api"}} | logfmt [1m]))"#);
    // In (60, 120]: 70 info /b, 80 info /a, 90 error /b, 100 info /a, 110 info /b, 120 error /a.
    assert_eq!(
        vector(&q("sum by (level)"), 120 * S),
        vec![
            (labels(&[("level", "error")]), 2.0),
            (labels(&[("level", "info")]), 4.0)
        ]
    );
    assert_eq!(one(&q("count"), 120 * S), 6.0);
    assert_eq!(
        vector(&q("sum without (latency, size, path, level)"), 120 * S),
        vec![(labels(&[("app", "api"), ("env", "prod")]), 6.0)]
    );
    let by_level = r#"sum by (level) (count_over_time({app="api"} | logfmt [1m]))"#;
    assert_eq!(one(&format!("max({by_level})"), 120 * S), 4.0);
    assert_eq!(one(&format!("min({by_level})"), 120 * S), 2.0);
    assert_eq!(one(&format!("avg({by_level})"), 120 * S), 3.0);
    assert_eq!(one(&format!("stddev({by_level})"), 120 * S), 1.0);
    assert_eq!(one(&format!("stdvar({by_level})"), 120 * S), 1.0);
    let top = vector(&format!("topk(1, {by_level})"), 120 * S);
    assert_eq!(top, vec![(labels(&[("level", "info")]), 4.0)]);
    let bottom = vector(&format!("bottomk(1, {by_level})"), 120 * S);
    assert_eq!(bottom, vec![(labels(&[("level", "error")]), 2.0)]);
    let sorted: Vec<f64> = vector(&format!("sort_desc({by_level})"), 120 * S)
        .into_iter()
        .map(|s| s.1)
        .collect();
    assert_eq!(sorted, vec![4.0, 2.0]);
    let sorted: Vec<f64> = vector(&format!("sort({by_level})"), 120 * S)
        .into_iter()
        .map(|s| s.1)
        .collect();
    assert_eq!(sorted, vec![2.0, 4.0]);
}

#[test]
fn binary_operators_and_functions() {
    let errors = r#"sum by (app) (count_over_time({app="api"} |= "error" [1m]))"#;
    let all = r#"sum by (app) (count_over_time({app="api"}[1m]))"#;
    assert_eq!(one(&format!("{errors} / {all}"), 120 * S), 2.0 / 6.0);
    assert_eq!(one(&format!("{all} * 2 + 1"), 120 * S), 13.0);
    assert_eq!(one(&format!("2 ^ {errors}"), 120 * S), 4.0);
    assert!(vector(&format!("{all} > 10"), 120 * S).is_empty());
    assert_eq!(one(&format!("{all} > bool 10"), 120 * S), 0.0);
    assert_eq!(one(&format!("{all} > {errors}"), 120 * S), 6.0);
    assert_eq!(one(&format!("{all} and {errors}"), 120 * S), 6.0);
    assert!(vector(&format!("{all} unless {errors}"), 120 * S).is_empty());
    let either = vector(
        &format!(r#"{all} or sum by (app) (count_over_time({{app="web"}}[1m]))"#),
        120 * S,
    );
    assert_eq!(
        either,
        vec![
            (labels(&[("app", "api")]), 6.0),
            (labels(&[("app", "web")]), 1.0)
        ]
    );
    assert_eq!(
        vector(
            r#"sum by (app) (count_over_time({app="nope"}[1m])) or vector(0)"#,
            120 * S
        ),
        vec![(Labels::new(), 0.0)]
    );
    let on = vector(
        &format!(
            r#"sum by (app, level) (count_over_time({{app="api"}} | logfmt [1m])) / on(app) group_left {all}"#
        ),
        120 * S,
    );
    assert_eq!(
        on,
        vec![
            (labels(&[("app", "api"), ("level", "error")]), 2.0 / 6.0),
            (labels(&[("app", "api"), ("level", "info")]), 4.0 / 6.0)
        ]
    );
    let error = instant(
        &Engine::default(),
        &source(),
        &format!(
            r#"sum by (app, level) (count_over_time({{app="api"}} | logfmt [1m])) / on(app) {all}"#
        ),
        120 * S,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("many-to-one matching must be explicit"),
        "{error}"
    );
    assert_eq!(
        vector(
            &format!(r#"label_replace({all}, "svc", "$1-x", "app", "(a.)i")"#),
            120 * S
        ),
        vec![(labels(&[("app", "api"), ("svc", "ap-x")]), 6.0)]
    );
    assert_eq!(
        instant(&Engine::default(), &source(), "1 + 2 * 3", 0).unwrap(),
        InstantValue::Scalar(7.0)
    );
}

#[test]
fn range_queries_step_through_time() {
    let engine = Engine::default();
    let expr = parse(r#"sum by (app) (count_over_time({env="prod"}[1m]))"#).unwrap();
    let matrix = block_on(engine.range_query(&source(), &expr, 0, 180 * S, 60 * S)).unwrap();
    assert_eq!(matrix.len(), 2);
    assert_eq!(matrix[0].labels, labels(&[("app", "api")]));
    assert_eq!(
        matrix[0].points,
        vec![(0, 1.0), (60 * S, 6.0), (120 * S, 6.0)]
    );
    assert_eq!(
        matrix[1].points,
        vec![(60 * S, 1.0), (120 * S, 1.0), (180 * S, 1.0)]
    );
    let scalar =
        block_on(engine.range_query(&source(), &parse("2 * 3").unwrap(), 0, 60 * S, 30 * S))
            .unwrap();
    assert_eq!(
        scalar[0].points,
        vec![(0, 6.0), (30 * S, 6.0), (60 * S, 6.0)]
    );
    assert!(block_on(engine.range_query(&source(), &expr, 0, 60 * S, 0)).is_err());
    assert!(block_on(engine.range_query(&source(), &expr, 60 * S, 0, S)).is_err());
    let too_many = block_on(engine.range_query(&source(), &expr, 0, 20_000 * S, S)).unwrap_err();
    assert!(
        too_many.to_string().contains("maximum resolution"),
        "{too_many}"
    );
}

#[test]
fn limits_stop_queries_with_clear_errors() {
    let engine = Engine::new(EngineOptions {
        max_series: 3,
        ..EngineOptions::default()
    });
    let error = instant(
        &engine,
        &source(),
        r#"count_over_time({app="api"} | logfmt [10m])"#,
        120 * S,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("maximum of series (3)"),
        "{error}"
    );
    let engine = Engine::new(EngineOptions {
        max_samples: 5,
        ..EngineOptions::default()
    });
    let error = instant(
        &engine,
        &source(),
        r#"count_over_time({app="api"}[10m])"#,
        120 * S,
    )
    .unwrap_err();
    assert!(error.to_string().contains("too many samples"), "{error}");
    // A window of fewer samples is fine.
    assert!(
        instant(
            &engine,
            &source(),
            r#"count_over_time({app="api"}[30s])"#,
            120 * S
        )
        .is_ok()
    );
}

#[test]
fn pattern_ids_select_lines_of_a_pattern() {
    let mut source = MemorySource::new();
    let stream = labels(&[("app", "api")]);
    for (i, pattern) in [Some(7u64), Some(9), None, Some(7)].into_iter().enumerate() {
        source.push(
            &stream,
            LogEntry {
                ts_ns: (i as i64 + 1) * S,
                line: format!("line {i}"),
                structured_metadata: vec![("trace_id".to_string(), format!("t{i}"))],
                pattern_id: pattern,
            },
        );
    }
    let engine = Engine::default();
    let expr = parse(r#"{app="api"} | pattern_id="7""#).unwrap();
    let streams =
        block_on(engine.query_logs(&source, &expr, 0, 10 * S, 10, Direction::Forward)).unwrap();
    let lines: Vec<&str> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.line.as_str()))
        .collect();
    assert_eq!(lines, vec!["line 0", "line 3"]);
    // Structured metadata is part of each result stream's labels.
    assert_eq!(
        streams[0].labels,
        labels(&[("app", "api"), ("trace_id", "t0")])
    );
    let count = instant(
        &engine,
        &source,
        r#"sum(count_over_time({app="api"} | pattern_id="7" [1m]))"#,
        10 * S,
    )
    .unwrap();
    assert_eq!(
        count,
        InstantValue::Vector(vec![Sample {
            labels: Labels::new(),
            value: 2.0
        }])
    );
}

#[test]
fn queries_of_the_design_documents_evaluate() {
    let mut source = MemorySource::new();
    let backend = labels(&[("service", "backend-api"), ("level", "ERROR")]);
    source.add(&backend, S, "boom");
    let tenant = labels(&[("tenant_id", "tenant_001")]);
    source.add(
        &tenant,
        2 * S,
        r#"{"latency_ms": 1500, "endpoint": "/api/v1/recommendations"}"#,
    );
    let endpoint = labels(&[("endpoint", "/api/v1/recommendations")]);
    source.add(&endpoint, 3 * S, "slow");
    let endpoint_parsed = labels(&[
        ("endpoint", "/api/v1/recommendations"),
        ("latency_ms", "1500"),
    ]);
    source.add(&endpoint_parsed, 4 * S, "slow too");
    let engine = Engine::default();
    let count = |query: &str| {
        let expr = parse(query).unwrap();
        block_on(engine.query_logs(&source, &expr, 0, 10 * S, 100, Direction::Backward))
            .unwrap()
            .iter()
            .map(|s| s.entries.len())
            .sum::<usize>()
    };
    assert_eq!(count(r#"{service="backend-api", level="ERROR"}"#), 1);
    assert_eq!(count(r#"{service="backend-api"}"#), 1);
    let expr = parse(r#"{tenant_id="tenant_001"} | json"#).unwrap();
    let streams =
        block_on(engine.query_logs(&source, &expr, 0, 10 * S, 100, Direction::Backward)).unwrap();
    assert_eq!(
        streams[0].labels.get("latency_ms").map(String::as_str),
        Some("1500")
    );
    // Without a parser only the stream with a `latency_ms` stream label passes.
    assert_eq!(
        count(r#"{endpoint="/api/v1/recommendations"} | latency_ms > 1000"#),
        1
    );
}

/// A `sum` over a range aggregation whose values add up is read grouped by the sum's labels:
/// the answer equals the unfused evaluation's (checked through `* 1`, which keeps the range
/// aggregation's own series), and many streams stay within the series limit.
#[test]
fn sums_of_counts_are_read_grouped_by_the_sums_labels() {
    for query in [
        r#"sum by (level) (count_over_time({env="prod"} | logfmt [10m])){}"#,
        r#"sum without (path, latency, size, app) (rate({env="prod"} | logfmt [2m])){}"#,
        r#"sum(bytes_over_time({env="prod"}[10m])){}"#,
        r#"sum by (path) (sum_over_time({app="api"} | logfmt | unwrap size [10m])){}"#,
    ] {
        let fused = vector(&query.replace("{}", ""), 120 * S);
        let unfused = vector(&query.replace("{}", " * 1"), 120 * S);
        assert!(!fused.is_empty(), "{query}");
        assert_eq!(fused, unfused, "{query}");
    }
    // 600 streams, three levels: the counts per stream would be 600 series, over the limit of
    // 500; their sum by level is three.
    let mut many = MemorySource::new();
    for pod in 0..600 {
        let stream = labels(&[("app", "api"), ("pod", &pod.to_string())]);
        many.add(
            &stream,
            S,
            &format!("level={} x", ["info", "warn", "error"][pod % 3]),
        );
    }
    let engine = Engine::default();
    let by_level = instant(
        &engine,
        &many,
        r#"sum by (level) (count_over_time({app="api"} | logfmt [1m]))"#,
        10 * S,
    )
    .unwrap();
    let InstantValue::Vector(samples) = by_level else {
        panic!("a vector");
    };
    let counts: Vec<(String, f64)> = samples
        .iter()
        .map(|s| (s.labels["level"].clone(), s.value))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("error".into(), 200.0),
            ("info".into(), 200.0),
            ("warn".into(), 200.0)
        ]
    );
    let per_stream = instant(
        &engine,
        &many,
        r#"count_over_time({app="api"}[1m])"#,
        10 * S,
    );
    assert!(per_stream.is_err(), "600 series are over the limit");
}
