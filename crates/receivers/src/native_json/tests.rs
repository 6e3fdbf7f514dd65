use super::*;

const NOW: i64 = 1_758_362_400_000_000_000;

fn metrics(body: &str) -> Result<MetricsWrite, ReceiveError> {
    decode_metrics(
        body.as_bytes(),
        BodyFormat::Json,
        "t1",
        NOW,
        &Limits::default(),
    )
}

fn logs(body: &str, format: BodyFormat) -> Result<LogsWrite, ReceiveError> {
    decode_logs(body.as_bytes(), format, "t1", NOW, &Limits::default())
}

fn item_errors(result: Result<MetricsWrite, ReceiveError>) -> Vec<ItemError> {
    match result {
        Err(ReceiveError::InvalidItems(items)) => items,
        other => panic!("expected item errors, got {other:?}"),
    }
}

#[test]
fn accepts_the_documented_example() {
    let batch = metrics(
        r#"{"service":"payments","metric":"latency_ms","value":183,"ts":"2025-09-20T10:00:00Z","labels":{"env":"dev"}}"#,
    )
    .unwrap();
    let points = batch.series.to_points();
    let point = &points[0];
    assert_eq!(point.service, "payments");
    assert_eq!(point.tenant, "t1");
    assert_eq!(point.value, 183.0);
    assert_eq!(point.ts_ns, NOW);
    assert_eq!(point.labels.get("env").map(String::as_str), Some("dev"));
}

#[test]
fn absent_ts_means_now() {
    let batch = metrics(r#"[{"service":"a","metric":"m","value":1}]"#).unwrap();
    assert_eq!(batch.series.to_points()[0].ts_ns, NOW);
}

#[test]
fn points_group_by_series_and_ids_are_kept_only_when_sent() {
    let batch = metrics(
        r#"[{"service":"a","metric":"m","value":1,"labels":{"b":"2","a":"1"}},
            {"service":"a","metric":"m","value":2,"labels":{"a":"1","b":"2"}},
            {"service":"a","metric":"m","value":3}]"#,
    )
    .unwrap();
    assert_eq!(
        batch.series.series.len(),
        2,
        "one series per distinct label set"
    );
    assert_eq!(batch.series.series[0].labels_json, r#"{"a":"1","b":"2"}"#);
    assert_eq!(batch.series.series_of, vec![0, 0, 1]);
    assert_eq!(batch.series.values, vec![1.0, 2.0, 3.0]);
    assert!(batch.item_ids.is_empty(), "no point carried an id");
    let with_id = metrics(
        r#"[{"service":"a","metric":"m","value":1,"id":"x"},{"service":"a","metric":"m","value":2}]"#,
    )
    .unwrap();
    assert_eq!(with_id.item_ids, vec![Some("x".to_string()), None]);
    assert!(with_id.check().is_ok());
}

#[test]
fn lists_every_bad_item_with_index_and_field() {
    let errors = item_errors(metrics(
        r#"[{"service":"a","metric":"m","value":1},
            {"service":"a","metric":"m","value":"NaN"},
            {"metric":"m","value":1},
            {"service":"a","metric":"m","value":1,"ts":"yesterday"},
            {"service":"a","metric":"m","value":true}]"#,
    ));
    let summary: Vec<(usize, Option<&str>)> = errors
        .iter()
        .map(|e| (e.index, e.field.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, Some("value")),
            (2, Some("service")),
            (3, Some("ts")),
            (4, Some("value"))
        ]
    );
}

#[test]
fn enforces_label_limits_and_charset() {
    let many: Vec<String> = (0..65).map(|i| format!("\"l{i}\":\"v\"")).collect();
    let body = format!(
        r#"{{"service":"a","metric":"m","value":1,"labels":{{{}}}}}"#,
        many.join(",")
    );
    assert_eq!(
        item_errors(metrics(&body))[0].field.as_deref(),
        Some("labels")
    );
    let errors = item_errors(metrics(
        r#"{"service":"a","metric":"m","value":1,"labels":{"bad key":"v"}}"#,
    ));
    assert!(errors[0].message.contains("label name"));
    let errors = item_errors(metrics(r#"{"service":"a b","metric":"m","value":1}"#));
    assert_eq!(errors[0].field.as_deref(), Some("service"));
}

#[test]
fn rejects_malformed_bodies() {
    assert!(matches!(metrics("{"), Err(ReceiveError::Malformed(_))));
    assert!(matches!(metrics("42"), Err(ReceiveError::Malformed(_))));
    assert!(matches!(metrics("[]"), Err(ReceiveError::Malformed(_))));
    let bad_utf8 = decode_metrics(
        b"{\"service\":\"\xff\"}",
        BodyFormat::Json,
        "t",
        NOW,
        &Limits::default(),
    );
    assert!(matches!(bad_utf8, Err(ReceiveError::Malformed(m)) if m.contains("UTF-8")));
}

#[test]
fn refuses_timestamps_outside_the_window() {
    let limits = Limits {
        max_age_ns: 3_600_000_000_000,
        ..Limits::default()
    };
    let old = r#"{"service":"a","metric":"m","value":1,"ts":"2025-09-20T08:59:59Z"}"#;
    match decode_metrics(old.as_bytes(), BodyFormat::Json, "t", NOW, &limits) {
        Err(ReceiveError::InvalidItems(items)) => assert!(items[0].message.contains("retention")),
        other => panic!("unexpected {other:?}"),
    }
    let fine = r#"{"service":"a","metric":"m","value":1,"ts":"2025-09-20T09:00:01Z"}"#;
    assert!(decode_metrics(fine.as_bytes(), BodyFormat::Json, "t", NOW, &limits).is_ok());
    let future = r#"{"service":"a","metric":"m","value":1,"ts":"2025-09-22T10:00:00Z"}"#;
    assert!(matches!(
        metrics(future),
        Err(ReceiveError::InvalidItems(_))
    ));
}

#[test]
fn enforces_item_count() {
    let limits = Limits {
        max_items: 2,
        ..Limits::default()
    };
    let body = r#"[{"service":"a","metric":"m","value":1},{"service":"a","metric":"m","value":1},{"service":"a","metric":"m","value":1}]"#;
    assert!(matches!(
        decode_metrics(body.as_bytes(), BodyFormat::Json, "t", NOW, &limits),
        Err(ReceiveError::TooManyItems { count: 3, limit: 2 })
    ));
}

#[test]
fn decodes_ndjson_logs_and_normalises_levels() {
    let body = "{\"service\":\"api\",\"level\":\"warning\",\"message\":\"slow\",\"ts\":1758362400}\n\n\
                {\"service\":\"api\",\"level\":\"err\",\"message\":\"boom\",\"context\":{\"k\":1},\"trace_id\":\"0123456789ABCDEF0123456789abcdef\"}\n";
    let batch = logs(body, BodyFormat::Ndjson).unwrap();
    assert_eq!(batch.records.len(), 2);
    assert_eq!(batch.records[0].level, Level::Warn);
    assert_eq!(batch.records[0].ts_ns, NOW);
    assert_eq!(batch.records[1].level, Level::Error);
    assert_eq!(batch.records[1].context.as_deref(), Some(r#"{"k":1}"#));
    assert_eq!(
        batch.records[1].trace_id.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
}

#[test]
fn ndjson_reports_bad_lines_by_line_index() {
    let body = "{\"service\":\"api\",\"message\":\"ok\"}\nnot json\n{\"service\":\"api\",\"message\":\"x\",\"level\":\"loud\"}";
    match logs(body, BodyFormat::Ndjson) {
        Err(ReceiveError::InvalidItems(items)) => {
            assert_eq!(items.len(), 2);
            assert_eq!((items[0].index, items[0].field.as_deref()), (1, None));
            assert_eq!(
                (items[1].index, items[1].field.as_deref()),
                (2, Some("level"))
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn rejects_bad_log_fields() {
    let body = r#"{"service":"api","message":"a\u0000b","context":[1],"span_id":"xyz"}"#;
    match logs(body, BodyFormat::Json) {
        Err(ReceiveError::InvalidItems(items)) => {
            let fields: Vec<_> = items.iter().filter_map(|e| e.field.clone()).collect();
            assert_eq!(fields, vec!["message", "context", "span_id"]);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn content_types() {
    assert_eq!(BodyFormat::from_content_type(None), Ok(BodyFormat::Json));
    assert_eq!(
        BodyFormat::from_content_type(Some("application/json; charset=utf-8")),
        Ok(BodyFormat::Json)
    );
    assert_eq!(
        BodyFormat::from_content_type(Some("application/x-ndjson")),
        Ok(BodyFormat::Ndjson)
    );
    assert!(BodyFormat::from_content_type(Some("text/html")).is_err());
}

proptest::proptest! {
    #[test]
    fn arbitrary_bodies_never_panic(body in ".{0,200}") {
        let _ = decode_metrics(body.as_bytes(), BodyFormat::Json, "t", NOW, &Limits::default());
        let _ = decode_logs(body.as_bytes(), BodyFormat::Ndjson, "t", NOW, &Limits::default());
    }
}

/// A plainly typed body takes the fast path.
#[test]
fn plain_bodies_take_the_fast_path() {
    let body = r#"[{"service":"a","metric":"m","value":1,"ts":1758362400,"labels":{"b":"2","a":"1"}},
                   {"service":"a","metric":"m","value":2.5,"labels":{"a":"1","b":"2"},"id":"x"}]"#;
    let fast = fast::decode(body, BodyFormat::Json, "t1", NOW, &Limits::default())
        .expect("the fast path answers");
    assert_eq!(fast.series.series.len(), 1);
    assert_eq!(fast.series.series[0].labels_json, r#"{"a":"1","b":"2"}"#);
    assert_eq!(
        Ok(fast),
        decode_metrics_generally(
            body.as_bytes(),
            BodyFormat::Json,
            "t1",
            NOW,
            &Limits::default()
        )
    );
    // A label value sent as a number is accepted, by the general path.
    let number = r#"{"service":"a","metric":"m","value":1,"labels":{"code":500}}"#;
    assert!(fast::decode(number, BodyFormat::Json, "t1", NOW, &Limits::default()).is_none());
    assert_eq!(
        metrics(number).unwrap().series.series[0].labels_json,
        r#"{"code":"500"}"#
    );
}

/// Hand-written bodies the generated ones never contain: escapes, repeated keys and labels,
/// framing, limits, and unknown fields only a full parse refuses. Both paths must agree on each
/// (the fast path may leave any of them to the general path).
#[test]
fn the_fast_path_agrees_on_odd_bodies() {
    let item = |rest: &str| format!(r#"{{"service":"a","metric":"m","value":1{rest}}}"#);
    let nested = format!(r#","x":{}{}"#, "[".repeat(200), "]".repeat(200));
    let long_id = format!(r#","id":"{}""#, "i".repeat(256));
    let too_long_id = format!(r#","id":"{}""#, "i".repeat(257));
    let many_labels: Vec<String> = (0..65).map(|i| format!(r#""l{i}":"v""#)).collect();
    let bodies: Vec<(String, BodyFormat)> = vec![
        (
            r#"{"serv\u0069ce":"a","metric":"m","value":1}"#.into(),
            BodyFormat::Json,
        ),
        (
            item(r#","labels":{"a":"1","\u0061":"2"}"#),
            BodyFormat::Json,
        ),
        (item(r#","labels":{"a":"\u00e9\/x"}"#), BodyFormat::Json),
        (item(r#","service":"b""#), BodyFormat::Json),
        (item(r#","x":"\ud800""#), BodyFormat::Json),
        (item(r#","x":1e400"#), BodyFormat::Json),
        (item(&nested), BodyFormat::Json),
        (item(r#","ts":1e5"#), BodyFormat::Json),
        (item(r#","ts":-0"#), BodyFormat::Json),
        (item(r#","ts":"1758362400""#), BodyFormat::Json),
        (item(r#","labels":{"c":"\u0085"}"#), BodyFormat::Json),
        (item(r#","labels":{"c":"\u007f"}"#), BodyFormat::Json),
        (item(&long_id), BodyFormat::Json),
        (item(&too_long_id), BodyFormat::Json),
        (
            item(&format!(r#","labels":{{{}}}"#, many_labels[..64].join(","))),
            BodyFormat::Json,
        ),
        (
            item(&format!(r#","labels":{{{}}}"#, many_labels.join(","))),
            BodyFormat::Json,
        ),
        (format!("\u{feff}{}", item("")), BodyFormat::Json),
        (
            format!("{}\r\n\r\n  \n{}\r\n", item(""), item(r#","value":2"#)),
            BodyFormat::Ndjson,
        ),
        (
            format!("[{}, {} ]  \n", item(""), item("")),
            BodyFormat::Json,
        ),
    ];
    let limits = Limits::default();
    let mut fast_answers = 0;
    for (body, format) in bodies {
        let general = decode_metrics_generally(body.as_bytes(), format, "t1", NOW, &limits).ok();
        if let Some(fast) = fast::decode(&body, format, "t1", NOW, &limits) {
            fast_answers += 1;
            assert_eq!(general.as_ref(), Some(&fast), "body: {body}");
        }
        assert_eq!(
            decode_metrics(body.as_bytes(), format, "t1", NOW, &limits).ok(),
            general,
            "body: {body}"
        );
    }
    assert!(
        fast_answers >= 8,
        "only {fast_answers} odd bodies took the fast path"
    );
}

/// Field values for the equivalence check: plain valid ones first (most draws), then every
/// shape the general path treats specially.
fn field_variants(field: &str) -> Vec<Option<serde_json::Value>> {
    use serde_json::json;
    let plain: Vec<serde_json::Value> = match field {
        "service" | "metric" => vec![json!("api"), json!("svc.name-1"), json!("m_total")],
        "value" => vec![json!(12), json!(-3), json!(2.5), json!(1e300)],
        "ts" => vec![
            json!(1_758_362_400),
            json!(1_758_362_400_000_000_000_u64),
            json!("2025-09-20T10:00:00Z"),
            json!(1_758_362_400.5),
        ],
        "labels" => vec![
            json!({"a": "1"}),
            json!({"b": "x", "a": "y"}),
            json!({}),
            json!({"q": "with \"quote\" and \\ and \u{e9}"}),
        ],
        _ => vec![json!("id-1"), json!("id-2")],
    };
    let odd = vec![
        json!(null),
        json!(""),
        json!("bad name"),
        json!("12.5"),
        json!(true),
        json!(500),
        json!(u64::MAX),
        json!(-1),
        json!({"code": 500}),
        json!({"bad name": "v"}),
        json!({"a": {"nested": 1}}),
        json!([1, 2]),
        json!("x".repeat(300)),
    ];
    let mut variants: Vec<Option<serde_json::Value>> = Vec::new();
    for _ in 0..12 {
        variants.extend(plain.iter().cloned().map(Some));
    }
    variants.push(None);
    variants.extend(odd.into_iter().map(Some));
    variants
}

/// Whenever the fast path answers, the general path accepts the same body with the same
/// request: the fast path changes speed, never answers. Bodies are drawn from plain and odd
/// field values (a fixed seed, so a failure reproduces); the check fails if too few bodies took
/// the fast path for it to mean anything.
#[test]
fn the_fast_path_answers_as_the_general_path_does() {
    let fields = ["service", "metric", "value", "ts", "labels", "id"];
    let variants: Vec<Vec<Option<serde_json::Value>>> =
        fields.iter().map(|f| field_variants(f)).collect();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let limits = Limits::default();
    let (mut bodies, mut fast_answers) = (0, 0);
    for _ in 0..4_000 {
        let objects: Vec<serde_json::Value> = (0..1 + next(4))
            .map(|_| {
                let mut object = serde_json::Map::new();
                for (name, options) in fields.iter().zip(&variants) {
                    // Absent optional fields half the time; required ones are drawn like any.
                    if !matches!(*name, "service" | "metric" | "value") && next(2) == 0 {
                        continue;
                    }
                    if let Some(value) = &options[next(options.len())] {
                        object.insert(name.to_string(), value.clone());
                    }
                }
                if next(10) == 0 {
                    object.insert("unknown".into(), serde_json::json!([1]));
                }
                serde_json::Value::Object(object)
            })
            .collect();
        let (body, format) = if next(2) == 0 {
            let lines: Vec<String> = objects.iter().map(|o| o.to_string()).collect();
            (lines.join("\n"), BodyFormat::Ndjson)
        } else {
            (
                serde_json::Value::Array(objects).to_string(),
                BodyFormat::Json,
            )
        };
        bodies += 1;
        if let Some(fast) = fast::decode(&body, format, "t1", NOW, &limits) {
            fast_answers += 1;
            let general = decode_metrics_generally(body.as_bytes(), format, "t1", NOW, &limits);
            assert_eq!(general.ok(), Some(fast), "body: {body}");
        }
    }
    assert!(
        fast_answers * 20 >= bodies,
        "only {fast_answers} of {bodies} bodies took the fast path"
    );
    assert!(fast_answers < bodies, "no body left the fast path");
}
