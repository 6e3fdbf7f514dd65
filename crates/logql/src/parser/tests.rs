//! Golden tests of the grammar: each construct parses to the tree its canonical text shows,
//! and bad queries fail with Loki's kind of message.

use crate::ast::{
    CmpOp, Expr, LabelFilter, LineFilterOp, LineFilterValue, MatchOp, MetricExpr, RangeOp, Stage,
};
use crate::{LogqlError, parse};

/// Parses `query` and checks its canonical text, then that the text parses to the same tree.
fn check(query: &str, canonical: &str) {
    let expr = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    assert_eq!(expr.to_string(), canonical, "canonical text of {query}");
    let again = parse(canonical).unwrap_or_else(|e| panic!("{canonical}: {e}"));
    assert_eq!(again, expr, "{canonical} parses back to the same tree");
}

fn error(query: &str) -> String {
    match parse(query) {
        Ok(expr) => panic!("{query} parsed as {expr:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn selectors() {
    check(r#"{app="foo"}"#, r#"{app="foo"}"#);
    check(
        r#"{ app = "foo" , env!="dev",  ns=~"a|b", pod!~`x.*` }"#,
        r#"{app="foo", env!="dev", ns=~"a|b", pod!~"x.*"}"#,
    );
    check(r#"({app="foo"})"#, r#"{app="foo"}"#);
    check("{app=\"a\\\"b\\n\\u00e9\"}", "{app=\"a\\\"b\\né\"}");
    check("# a comment\n{app=\"foo\"} # another\n", r#"{app="foo"}"#);
}

#[test]
fn line_filters() {
    check(
        r#"{app="foo"} |= "a" != "b" |~ "c.*" !~ "d" |> "<_> e <_>" !> "f <_>""#,
        r#"{app="foo"} |= "a" != "b" |~ "c.*" !~ "d" |> "<_> e <_>" !> "f <_>""#,
    );
    check(
        r#"{app="foo"} |= "a" or "b" or ip("10.0.0.0/8")"#,
        r#"{app="foo"} |= "a" or "b" or ip("10.0.0.0/8")"#,
    );
    check(
        r#"{app="foo"} != ip("1.2.3.4")"#,
        r#"{app="foo"} != ip("1.2.3.4")"#,
    );
    let Expr::Log(log) = parse(r#"{app="foo"} |~ `(?i)err`"#).unwrap() else {
        panic!("a log query")
    };
    let Stage::LineFilter(filter) = &log.pipeline[0] else {
        panic!("a line filter")
    };
    assert_eq!(filter.op, LineFilterOp::Regex);
    assert_eq!(
        filter.values,
        vec![LineFilterValue::Text("(?i)err".to_string())]
    );
}

#[test]
fn parsers_and_formatting() {
    check(
        r#"{app="foo"} | json | logfmt | regexp "(?P<a>\\w+)" | pattern "<ip> <_>" | unpack"#,
        r#"{app="foo"} | json | logfmt | regexp "(?P<a>\\w+)" | pattern "<ip> <_>" | unpack"#,
    );
    check(
        r#"{app="foo"} | json first="servers[0]", ua="request.headers[\"User-Agent\"]", status"#,
        r#"{app="foo"} | json first="servers[0]", ua="request.headers[\"User-Agent\"]", status"#,
    );
    check(
        r#"{app="foo"} | logfmt --strict --keep-empty a, b="c""#,
        r#"{app="foo"} | logfmt --strict --keep-empty a, b="c""#,
    );
    check(
        r#"{app="foo"} | line_format "{{.a}}" | label_format x=y, z="{{.a | ToUpper}}" | decolorize"#,
        r#"{app="foo"} | line_format "{{.a}}" | label_format x=y, z="{{.a | ToUpper}}" | decolorize"#,
    );
    check(
        r#"{app="foo"} | drop a, b="c", d=~"e.*" | keep f, g!="h""#,
        r#"{app="foo"} | drop a, b="c", d=~"e.*" | keep f, g!="h""#,
    );
}

#[test]
fn label_filters() {
    check(
        r#"{app="foo"} | status >= 400 | latency > 250ms | size < 20MB | name =~ "a.*" | status == 200"#,
        r#"{app="foo"} | status>=400 | latency>250ms | size<20000000B | name=~"a.*" | status==200"#,
    );
    check(
        r#"{app="foo"} | a="1" b="2" , c="3" and d="4" or e="5""#,
        r#"{app="foo"} | a="1" and b="2" and c="3" and d="4" or e="5""#,
    );
    check(
        r#"{app="foo"} | a="1" and (b="2" or c="3")"#,
        r#"{app="foo"} | a="1" and (b="2" or c="3")"#,
    );
    check(
        r#"{app="foo"} | addr = ip("192.168.0.0/16")"#,
        r#"{app="foo"} | addr=ip("192.168.0.0/16")"#,
    );
    check(
        r#"{app="foo"} | x > -1.5 | y != 1h30m"#,
        r#"{app="foo"} | x>-1.5 | y!=1h30m"#,
    );
    check(
        r#"{app="foo"} | __error__="""#,
        r#"{app="foo"} | __error__="""#,
    );
    let Expr::Log(log) = parse(r#"{app="foo"} | pattern_id = "42""#).unwrap() else {
        panic!("a log query")
    };
    assert_eq!(
        log.pipeline[0],
        Stage::LabelFilter(LabelFilter::Matcher(crate::ast::Matcher {
            name: "pattern_id".to_string(),
            op: MatchOp::Equal,
            value: "42".to_string()
        }))
    );
    let Expr::Log(log) = parse(r#"{app="foo"} | status = 500"#).unwrap() else {
        panic!("a log query")
    };
    assert_eq!(
        log.pipeline[0],
        Stage::LabelFilter(LabelFilter::Number {
            name: "status".to_string(),
            op: CmpOp::Equal,
            value: 500.0
        })
    );
}

#[test]
fn range_aggregations_in_every_order() {
    let canonical = r#"count_over_time({app="foo"} |= "x" [5m] offset 1h)"#;
    check(
        r#"count_over_time({app="foo"} |= "x" [5m] offset 1h)"#,
        canonical,
    );
    check(
        r#"count_over_time({app="foo"}[5m] offset 1h |= "x")"#,
        canonical,
    );
    check(
        r#"count_over_time(({app="foo"} |= "x")[5m] offset 1h)"#,
        canonical,
    );
    check(
        r#"count_over_time(({app="foo"} |= "x" [5m] offset 1h))"#,
        canonical,
    );
    check(r#"rate({app="foo"}[1m])"#, r#"rate({app="foo"} [1m])"#);
    check(
        r#"sum_over_time({app="foo"} | logfmt | unwrap bytes(size) | __error__="" [1m])"#,
        r#"sum_over_time({app="foo"} | logfmt | unwrap bytes(size) | __error__="" [1m])"#,
    );
    check(
        r#"quantile_over_time(0.99, {app="foo"}[1h] | json | unwrap duration_seconds(latency)) by (path)"#,
        r#"quantile_over_time(0.99, {app="foo"} | json | unwrap duration_seconds(latency) [1h]) by (path)"#,
    );
    check(
        r#"avg_over_time({app="foo"} | unwrap latency [5m]) without (pod)"#,
        r#"avg_over_time({app="foo"} | unwrap latency [5m]) without (pod)"#,
    );
    for op in RangeOp::ALL {
        let unwrap = match op {
            RangeOp::CountOverTime | RangeOp::BytesOverTime | RangeOp::BytesRate => "",
            _ => " | unwrap x",
        };
        let param = if op == RangeOp::QuantileOverTime {
            "0.5, "
        } else {
            ""
        };
        let query = format!(r#"{}({param}{{a="b"}}{unwrap} [1m])"#, op.name());
        check(&query, &query);
    }
    check(r#"rate({app="foo"}[1d])"#, r#"rate({app="foo"} [24h])"#);
}

#[test]
fn vector_aggregations_and_operators() {
    check(
        r#"sum by (a,b) (rate({app="foo"}[1m]))"#,
        r#"sum by (a, b) (rate({app="foo"} [1m]))"#,
    );
    check(
        r#"sum(rate({app="foo"}[1m])) by (a)"#,
        r#"sum by (a) (rate({app="foo"} [1m]))"#,
    );
    check(
        r#"topk(3, sum without () (count_over_time({app="foo"}[1m])))"#,
        r#"topk(3, sum without () (count_over_time({app="foo"} [1m])))"#,
    );
    check(
        r#"sort_desc(count_over_time({app="foo"}[1m]))"#,
        r#"sort_desc(count_over_time({app="foo"} [1m]))"#,
    );
    check(
        r#"rate({a="b"}[1m]) + rate({a="c"}[1m]) * 2 ^ 3 ^ 2"#,
        r#"rate({a="b"} [1m]) + (rate({a="c"} [1m]) * (2 ^ (3 ^ 2)))"#,
    );
    check(
        r#"(rate({a="b"}[1m]) + rate({a="c"}[1m])) / 2 - -1"#,
        r#"((rate({a="b"} [1m]) + rate({a="c"} [1m])) / 2) - (-1)"#,
    );
    check(
        r#"rate({a="b"}[1m]) > bool on (x) group_left (y) rate({a="c"}[1m])"#,
        r#"rate({a="b"} [1m]) > bool on(x) group_left(y) rate({a="c"} [1m])"#,
    );
    check(
        r#"rate({a="b"}[1m]) and ignoring(x) rate({a="c"}[1m]) or vector(0) unless rate({a="d"}[1m])"#,
        r#"(rate({a="b"} [1m]) and ignoring(x) rate({a="c"} [1m])) or (vector(0) unless rate({a="d"} [1m]))"#,
    );
    check("1 + 2 * 3", "1 + (2 * 3)");
    check("1 > bool 2", "1 > bool 2");
    check(
        r#"label_replace(rate({a="b"}[1m]), "dst", "$1", "src", "(.*)")"#,
        r#"label_replace(rate({a="b"} [1m]), "dst", "$1", "src", "(.*)")"#,
    );
    let Expr::Metric(MetricExpr::VectorAggregation { grouping, .. }) =
        parse(r#"sum(rate({a="b"}[1m]))"#).unwrap()
    else {
        panic!("a vector aggregation")
    };
    assert_eq!(grouping, None);
}

#[test]
fn queries_of_the_design_documents() {
    for (query, canonical) in [
        (
            r#"{service="backend-api", level="ERROR"}"#,
            r#"{service="backend-api", level="ERROR"}"#,
        ),
        (
            r#"{tenant_id="tenant_001"} | json"#,
            r#"{tenant_id="tenant_001"} | json"#,
        ),
        (
            r#"{endpoint="/api/v1/recommendations"} | latency_ms > 1000"#,
            r#"{endpoint="/api/v1/recommendations"} | latency_ms>1000"#,
        ),
        (r#"{service="backend-api"}"#, r#"{service="backend-api"}"#),
    ] {
        check(query, canonical);
    }
}

#[test]
fn syntax_errors_name_the_place() {
    assert_eq!(
        error(r#"{app="foo""#),
        "parse error at line 1, col 11: syntax error: unexpected $end"
    );
    assert_eq!(
        error(r#"{app="foo"} |= 5"#),
        "parse error at line 1, col 16: syntax error: unexpected NUMBER, expecting STRING"
    );
    assert_eq!(
        error("{app=\"foo\"}\n | foo bar"),
        "parse error at line 2, col 4: syntax error: unexpected IDENTIFIER foo"
    );
    assert_eq!(
        error(r#"rate({app="foo"})"#),
        "parse error at line 1, col 17: syntax error: unexpected ), expecting RANGE"
    );
    assert_eq!(
        error(r#"rat({app="foo"}[1m])"#),
        "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER rat"
    );
    assert!(error(r#"{app="foo"} |= "unterminated"#).contains("literal not terminated"));
    assert!(error(r#"rate({app="foo"}[5x])"#).contains("not a valid duration string"));
    assert!(error(r#"{app="foo"} extra"#).contains("unexpected IDENTIFIER extra"));
}

#[test]
fn invalid_queries_fail_after_parsing() {
    for (query, message) in [
        (
            "{}",
            "queries require at least one regexp or equality matcher",
        ),
        (
            r#"{app=~".*"}"#,
            "queries require at least one regexp or equality matcher",
        ),
        (
            r#"{app!="foo"}"#,
            "queries require at least one regexp or equality matcher",
        ),
        (r#"{app=~"("}"#, "invalid regex"),
        (r#"{a="b"} |~ "(""#, "invalid regex"),
        (r#"{a="b"} | regexp "(a)""#, "at least one named capture"),
        (r#"{a="b"} | pattern "<a><b>""#, "consecutive capture"),
        (r#"{a="b"} | pattern "abc""#, "at least one capture"),
        (r#"{a="b"} |> "<a> x""#, "named captures are not allowed"),
        (r#"{a="b"} | line_format "{{.a""#, "invalid template"),
        (
            r#"{a="b"} | label_format x=y, x="z""#,
            "multiple label name 'x'",
        ),
        (r#"{a="b"} | x = ip("not an ip")"#, "invalid ip pattern"),
        (
            r#"count_over_time({a="b"}[1m]) by (x)"#,
            "grouping not allowed for count_over_time",
        ),
        (
            r#"sum_over_time({a="b"}[1m])"#,
            "invalid aggregation sum_over_time without unwrap",
        ),
        (
            r#"count_over_time({a="b"} | unwrap x [1m])"#,
            "invalid aggregation count_over_time with unwrap",
        ),
        (
            r#"quantile_over_time({a="b"} | unwrap x [1m])"#,
            "parameter required for operation quantile_over_time",
        ),
        (
            r#"topk(rate({a="b"}[1m]))"#,
            "parameter required for operation topk",
        ),
        (r#"topk(0, rate({a="b"}[1m]))"#, "must be greater than 0"),
        (
            r#"sum(2, rate({a="b"}[1m]))"#,
            "unsupported parameter for operation sum",
        ),
        (
            r#"rate({a="b"}[1m]) + bool rate({a="b"}[1m])"#,
            "bool modifier can only be used on comparison",
        ),
        (
            "1 > 2",
            "comparisons between scalars must use BOOL modifier",
        ),
        (
            r#"rate({a="b"}[1m]) and 1"#,
            "unexpected literal for right leg",
        ),
        (
            r#"label_replace(rate({a="b"}[1m]), "1x", "", "a", "(")"#,
            "invalid regex",
        ),
        (r#"rate({a="b"}[0s])"#, "invalid range"),
    ] {
        let result = parse(query);
        let Err(LogqlError::Invalid(text)) = &result else {
            panic!("{query}: {result:?}")
        };
        assert!(text.contains(message), "{query}: {text}");
    }
}

#[test]
fn log_queries_are_not_operands() {
    assert!(parse(r#"{a="b"} + 1"#).is_err());
    assert!(parse(r#"sum({a="b"})"#).is_err());
}

#[test]
fn drop_and_keep_matchers_are_not_line_filters() {
    check(r#"{a="b"} | drop a!~"x.*""#, r#"{a="b"} | drop a!~"x.*""#);
    check(
        r#"{a="b"} | keep a != "x", b"#,
        r#"{a="b"} | keep a!="x", b"#,
    );
}

#[test]
fn queries_in_the_style_of_lokis_documentation() {
    for query in [
        r#"{container="query-frontend",namespace="loki-dev"} |= "metrics.go" | logfmt | duration > 10s and throughput_mb < 500"#,
        r#"sum by (org_id) (sum_over_time({cluster="ops-tools1",container="loki-dev"} |= "metrics.go" | logfmt | unwrap bytes_processed [1m]))"#,
        r#"quantile_over_time(0.99, {cluster="ops-tools1",container="ingress-nginx"} | json | __error__ = "" | unwrap request_time [1m]) by (path)"#,
        r#"{cluster="ops-tools1", name="querier"} |= "metrics.go" != "loki-canary" | logfmt | query != "" | label_format query="{{ Replace .query \"\\n\" \"\" -1 }}" | line_format "{{ .ts}}\t{{.duration}}\ttraceID = {{.traceID}}\t{{ printf \"%-100.100s\" .query }} ""#,
        r#"topk(10,sum(rate({region="us-east1"}[5m])) by (name))"#,
        r#"{app="cassandra"} |~ "(?i)error""#,
        r#"{job="loki-ops/consul"} | json | status_code != 200 or duration > 1s"#,
        r#"{job="cortex-ops/query-frontend"} |= "logging.go" | logfmt | line_format "{{.msg}}" | json | __error__="""#,
        r#"sum by (host) (rate({job="mysql"} |= "error" != "timeout" | json | duration > 10s [1m]))"#,
        r#"{job="nginx"} | pattern "<ip> - - <_> \"<method> <uri> <_>\" <status> <size> <_> \"<agent>\" <_>""#,
        r#"{app="foo"} | logfmt | keep level, method="GET""#,
        r#"{job="varlogs"} | decolorize"#,
        r#"avg_over_time({cluster="ops-tools1"} | json | unwrap duration(response_latency) [1m]) by (pod)"#,
        r#"label_replace(rate({job="api-server",service="a:c"} |= "err" [1m]), "foo", "$1", "service", "(.*):.*")"#,
        r#"{job="x"} | json | line_format `{{ if eq .level "error" }}{{ .msg | upper }}{{ end }}`"#,
        r#"sum(count_over_time({job="mysql"}[5m])) by (level) / ignoring(level) group_left sum(count_over_time({job="mysql"}[5m]))"#,
        r#"{app="foo"} | unpack | line_format "{{ __line__ }} {{ __timestamp__ | date \"15:04\" }}""#,
    ] {
        let expr = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
        let printed = expr.to_string();
        assert_eq!(
            parse(&printed).unwrap_or_else(|e| panic!("{printed}: {e}")),
            expr,
            "{printed}"
        );
    }
}
