//! Each stage on hand-written lines, with Loki's behaviour: parsed names, `_extracted`,
//! `__error__`, filters on error lines, `pattern_id`.

use telemetryhub_model::Labels;

use super::{EntryLabels, Pipeline};
use crate::Expr;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs the pipeline of `query` on `line` of a stream `{app="a"}`: the line and labels it
/// leaves, or `None` when dropped.
fn run_with(
    query: &str,
    line: &str,
    metadata: &[(String, String)],
    pattern_id: Option<u64>,
) -> Option<(String, Labels)> {
    let Ok(Expr::Log(log)) = crate::parse(query) else {
        panic!("{query} is not a log query")
    };
    let pipeline = Pipeline::compile(&log.pipeline).unwrap();
    let stream = labels(&[("app", "a")]);
    let mut entry = EntryLabels::new(&stream, metadata, pattern_id);
    let out = pipeline.process(1_000, line, &mut entry)?;
    Some((out.into_owned(), entry.labels))
}

fn run(query: &str, line: &str) -> Option<(String, Labels)> {
    run_with(query, line, &[], None)
}

#[test]
fn line_filters() {
    let q = |filters: &str| format!(r#"{{app="a"}} {filters}"#);
    assert!(run(&q(r#"|= "err""#), "an error").is_some());
    assert!(run(&q(r#"|= "err""#), "fine").is_none());
    assert!(run(&q(r#"!= "err""#), "an error").is_none());
    assert!(run(&q(r#"|~ "(?i)ERR""#), "an error").is_some());
    assert!(run(&q(r#"!~ "e.r""#), "an error").is_none());
    assert!(run(&q(r#"|= "x" or "err""#), "an error").is_some());
    assert!(run(&q(r#"!= "x" or "err""#), "an error").is_none());
    assert!(run(&q(r#"!= "x" or "y""#), "an error").is_some());
    assert!(run(&q(r#"|> "<_> error""#), "an error").is_some());
    assert!(run(&q(r#"|> "<_> err""#), "an error").is_none());
    assert!(run(&q(r#"!> "an <_>""#), "an error").is_none());
    assert!(run(&q(r#"|= ip("10.0.0.0/8")"#), "from 10.1.2.3:80 ok").is_some());
    assert!(run(&q(r#"|= ip("10.0.0.0/8")"#), "from 11.1.2.3 ok").is_none());
    assert!(run(&q(r#"|= ip("192.168.1.1-192.168.1.9")"#), "ip=192.168.1.5").is_some());
    assert!(run(&q(r#"|= ip("::1")"#), "addr ::1 here").is_some());
}

#[test]
fn json_flattens_nested_objects_and_marks_duplicates() {
    let (_, out) = run(
        r#"{app="a"} | json"#,
        r#"{"app":"x","level":"info","req":{"method":"GET","path.x":"/a"},"n":1.5,"ok":true,"list":[1],"nil":null,"2x":"y"}"#,
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[
            ("_2x", "y"),
            ("app", "a"),
            ("app_extracted", "x"),
            ("level", "info"),
            ("n", "1.5"),
            ("ok", "true"),
            ("req_method", "GET"),
            ("req_path_x", "/a"),
        ])
    );
    let (_, out) = run(
        r#"{app="a"} | json first="list[0]", m="req.method", obj="req", missing="x.y""#,
        r#"{"list":["p","q"],"req":{"method":"GET"}}"#,
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[
            ("app", "a"),
            ("first", "p"),
            ("m", "GET"),
            ("missing", ""),
            ("obj", r#"{"method":"GET"}"#)
        ])
    );
    let (line, out) = run(r#"{app="a"} | json"#, "not json").unwrap();
    assert_eq!(line, "not json");
    assert_eq!(
        out.get("__error__").map(String::as_str),
        Some("JSONParserErr")
    );
    assert!(out.contains_key("__error_details__"));
    assert!(run(r#"{app="a"} | json | __error__="""#, "not json").is_none());
    assert!(
        run(
            r#"{app="a"} | json | __error__!="JSONParserErr""#,
            "not json"
        )
        .is_none()
    );
}

#[test]
fn logfmt_strict_and_keep_empty() {
    let line = r#"level=info msg="hello \"world\"" empty= standalone app=x duration=1.5s"#;
    let (_, out) = run(r#"{app="a"} | logfmt"#, line).unwrap();
    assert_eq!(
        out,
        labels(&[
            ("app", "a"),
            ("app_extracted", "x"),
            ("duration", "1.5s"),
            ("level", "info"),
            ("msg", "hello \"world\"")
        ])
    );
    let (_, out) = run(r#"{app="a"} | logfmt --keep-empty"#, line).unwrap();
    assert_eq!(out.get("empty").map(String::as_str), Some(""));
    assert_eq!(out.get("standalone").map(String::as_str), Some(""));
    let (_, out) = run(r#"{app="a"} | logfmt lvl="level", msg"#, line).unwrap();
    assert_eq!(
        out,
        labels(&[("app", "a"), ("lvl", "info"), ("msg", "hello \"world\"")])
    );
    let bad = r#"a=1 b="unterminated"#;
    let (_, out) = run(r#"{app="a"} | logfmt"#, bad).unwrap();
    assert_eq!(out.get("a").map(String::as_str), Some("1"));
    assert!(!out.contains_key("__error__"));
    let (_, out) = run(r#"{app="a"} | logfmt --strict"#, bad).unwrap();
    assert_eq!(
        out.get("__error__").map(String::as_str),
        Some("LogfmtParserErr")
    );
}

#[test]
fn regexp_pattern_and_unpack() {
    let (_, out) = run(
        r#"{app="a"} | regexp "(?P<method>\\w+) (?P<path>\\S+)""#,
        "GET /x 200",
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[("app", "a"), ("method", "GET"), ("path", "/x")])
    );
    let line = r#"10.0.0.1 - - [23/Mar/2023] "GET /index.html HTTP/1.1" 200 512"#;
    let (_, out) = run(
        r#"{app="a"} | pattern "<ip> - - [<_>] \"<method> <uri> <_>\" <status> <size>""#,
        line,
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[
            ("app", "a"),
            ("ip", "10.0.0.1"),
            ("method", "GET"),
            ("size", "512"),
            ("status", "200"),
            ("uri", "/index.html")
        ])
    );
    let (line, out) = run(
        r#"{app="a"} | unpack"#,
        r#"{"_entry":"the line","pod":"p1","n":3}"#,
    )
    .unwrap();
    assert_eq!(line, "the line");
    assert_eq!(out, labels(&[("app", "a"), ("pod", "p1")]));
}

#[test]
fn label_filters_with_types_and_errors() {
    let q = |f: &str| format!(r#"{{app="a"}} | logfmt | {f}"#);
    let line = "status=503 took=250ms size=2KB addr=10.0.0.7 level=warn";
    assert!(run(&q("status >= 500"), line).is_some());
    assert!(run(&q("status < 500"), line).is_none());
    assert!(run(&q("status == 503 and level=\"warn\""), line).is_some());
    assert!(run(&q("status == 200 or level=~\"w.*\""), line).is_some());
    assert!(run(&q("(status == 200 or level=\"x\") , took > 1ms"), line).is_none());
    assert!(run(&q("took > 200ms"), line).is_some());
    assert!(run(&q("took > 1s"), line).is_none());
    assert!(run(&q("size > 1KB"), line).is_some());
    assert!(run(&q("size <= 1KiB"), line).is_none());
    assert!(run(&q("addr = ip(\"10.0.0.0/24\")"), line).is_some());
    assert!(run(&q("addr != ip(\"10.0.0.0/24\")"), line).is_none());
    assert!(run(&q("missing > 1"), line).is_none());
    // A value that is not a number keeps the line, marked.
    let (_, out) = run(&q("level > 1"), line).unwrap();
    assert_eq!(
        out.get("__error__").map(String::as_str),
        Some("LabelFilterErr")
    );
    assert!(run(&q("level > 1 | __error__=\"\""), line).is_none());
}

#[test]
fn pattern_id_filters_read_the_entry_pattern() {
    let query = r#"{app="a"} | pattern_id = "42""#;
    assert!(run_with(query, "x", &[], Some(42)).is_some());
    assert!(run_with(query, "x", &[], Some(7)).is_none());
    assert!(run_with(query, "x", &[], None).is_none());
    assert!(run_with(r#"{app="a"} | pattern_id != "42""#, "x", &[], None).is_none());
    assert!(run_with(r#"{app="a"} | pattern_id > 40"#, "x", &[], Some(42)).is_some());
    let (_, out) = run_with(query, "x", &[], Some(42)).unwrap();
    assert!(!out.contains_key("pattern_id"));
}

#[test]
fn formatting_and_label_changes() {
    let line = "level=info user=bob msg=hi";
    let (out_line, out) = run(
        r#"{app="a"} | logfmt | line_format "{{.user}}: {{.msg | ToUpper}}""#,
        line,
    )
    .unwrap();
    assert_eq!(out_line, "bob: HI");
    assert_eq!(out.get("user").map(String::as_str), Some("bob"));
    let (_, out) = run(
        r#"{app="a"} | logfmt | label_format who=user, lvl="{{.level}}-{{.app}}""#,
        line,
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[
            ("app", "a"),
            ("level", "info"),
            ("lvl", "info-a"),
            ("msg", "hi"),
            ("who", "bob")
        ])
    );
    let (_, out) = run(
        r#"{app="a"} | logfmt | drop level, msg="hi", user="alice""#,
        line,
    )
    .unwrap();
    assert_eq!(out, labels(&[("app", "a"), ("user", "bob")]));
    let (_, out) = run(r#"{app="a"} | logfmt | keep user, level="warn""#, line).unwrap();
    assert_eq!(out, labels(&[("user", "bob")]));
    let (out_line, _) = run(r#"{app="a"} | decolorize"#, "\u{1b}[31mred\u{1b}[0m text").unwrap();
    assert_eq!(out_line, "red text");
    let (out_line, out) = run(r#"{app="a"} | line_format "{{ nosuch }}""#, line).unwrap();
    assert_eq!(out_line, line);
    assert_eq!(
        out.get("__error__").map(String::as_str),
        Some("TemplateFormatErr")
    );
}

#[test]
fn structured_metadata_is_a_label_and_blocks_parsed_names() {
    let metadata = vec![("trace_id".to_string(), "abc".to_string())];
    let (_, out) = run_with(
        r#"{app="a"} | logfmt | trace_id="abc""#,
        "trace_id=zzz",
        &metadata,
        None,
    )
    .unwrap();
    assert_eq!(
        out,
        labels(&[
            ("app", "a"),
            ("trace_id", "abc"),
            ("trace_id_extracted", "zzz")
        ])
    );
}
