//! Property: the canonical text of any valid syntax tree parses back to the same tree.

use proptest::prelude::*;
use telemetryhub_logql::ast::{
    BinModifier, BinOp, Cardinality, CmpOp, Conversion, Expr, Extraction, Grouping, LabelFilter,
    LabelFormat, LineFilter, LineFilterOp, LineFilterValue, LogExpr, LogRange, MatchOp, Matcher,
    MetricExpr, NamedMatcher, RangeOp, Stage, Unwrap, VectorOp,
};
use telemetryhub_logql::parse;

fn name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("not a keyword", |n| {
        !matches!(
            n.as_str(),
            "or" | "and"
                | "unless"
                | "by"
                | "without"
                | "bool"
                | "on"
                | "ignoring"
                | "offset"
                | "unwrap"
                | "json"
                | "logfmt"
                | "regexp"
                | "pattern"
                | "unpack"
                | "line_format"
                | "label_format"
                | "decolorize"
                | "drop"
                | "keep"
                | "ip"
                | "group_left"
                | "group_right"
        )
    })
}

/// Any text, quotes, backslashes and control characters included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._-]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
        Just("a\"b\\c\n\t\u{1}".to_string()),
    ]
}

fn regex() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a.*".to_string()),
        Just("(?i)x|y".to_string()),
        "[a-z]{1,4}"
    ]
}

fn matcher() -> impl Strategy<Value = Matcher> {
    (name(), 0..4u8, text(), regex()).prop_map(|(name, op, text, regex)| match op {
        0 => Matcher {
            name,
            op: MatchOp::Equal,
            value: text,
        },
        1 => Matcher {
            name,
            op: MatchOp::NotEqual,
            value: text,
        },
        2 => Matcher {
            name,
            op: MatchOp::Regex,
            value: regex,
        },
        _ => Matcher {
            name,
            op: MatchOp::NotRegex,
            value: regex,
        },
    })
}

fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Equal),
        Just(CmpOp::NotEqual),
        Just(CmpOp::Greater),
        Just(CmpOp::GreaterEqual),
        Just(CmpOp::Less),
        Just(CmpOp::LessEqual),
    ]
}

fn label_filter() -> impl Strategy<Value = LabelFilter> {
    let leaf =
        prop_oneof![
            matcher().prop_map(LabelFilter::Matcher),
            (name(), cmp_op(), -1e12..1e12f64).prop_map(|(name, op, value)| LabelFilter::Number {
                name,
                op,
                value
            }),
            (name(), cmp_op(), any::<i64>())
                .prop_map(|(name, op, value_ns)| LabelFilter::Duration { name, op, value_ns }),
            (name(), cmp_op(), 0..u64::MAX / 2).prop_map(|(name, op, value)| LabelFilter::Bytes {
                name,
                op,
                value
            }),
            (name(), any::<bool>()).prop_map(|(name, negated)| LabelFilter::Ip {
                name,
                negated,
                pattern: "10.0.0.0/8".to_string()
            }),
        ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| LabelFilter::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| LabelFilter::Or(Box::new(a), Box::new(b))),
        ]
    })
}

fn extractions() -> impl Strategy<Value = Vec<Extraction>> {
    prop::collection::vec(
        (
            name(),
            prop::option::of("[a-z]{1,3}(\\.[a-z]{1,3}|\\[[0-9]\\]){0,2}"),
        )
            .prop_map(|(name, expression)| Extraction { name, expression }),
        0..3,
    )
}

fn stage() -> impl Strategy<Value = Stage> {
    let line_op = prop_oneof![
        Just(LineFilterOp::Contains),
        Just(LineFilterOp::NotContains),
        Just(LineFilterOp::Regex),
        Just(LineFilterOp::NotRegex),
    ];
    prop_oneof![
        (line_op, prop::collection::vec(regex(), 1..3)).prop_map(|(op, values)| Stage::LineFilter(
            LineFilter {
                op,
                values: values.into_iter().map(LineFilterValue::Text).collect()
            }
        )),
        Just(Stage::LineFilter(LineFilter {
            op: LineFilterOp::Pattern,
            values: vec![
                LineFilterValue::Text("<_> x <_>".to_string()),
                LineFilterValue::Ip("1.2.3.4".to_string())
            ]
        })),
        extractions().prop_map(Stage::Json),
        (any::<bool>(), any::<bool>(), extractions()).prop_map(
            |(strict, keep_empty, extractions)| Stage::Logfmt {
                strict,
                keep_empty,
                extractions
            }
        ),
        Just(Stage::Regexp("(?P<x>\\d+)".to_string())),
        Just(Stage::Pattern("<a> - <_> \"<b>\"".to_string())),
        Just(Stage::Unpack),
        Just(Stage::Decolorize),
        label_filter().prop_map(Stage::LabelFilter),
        prop_oneof![
            Just("{{.a}} {{ .b | ToUpper }}".to_string()),
            Just("{{ if eq .a \"x\" }}y{{ else }}{{ __line__ }}{{ end }}".to_string()),
        ]
        .prop_map(Stage::LineFormat),
        (name(), name(), name())
            .prop_filter("distinct", |(a, _, c)| a != c)
            .prop_map(|(dst, src, other)| {
                Stage::LabelFormat(vec![
                    LabelFormat::Rename { dst, src },
                    LabelFormat::Template {
                        dst: other,
                        template: "{{.x}}".to_string(),
                    },
                ])
            }),
        prop::collection::vec(
            prop_oneof![
                name().prop_map(NamedMatcher::Name),
                matcher().prop_map(NamedMatcher::Matcher)
            ],
            1..3
        )
        .prop_map(Stage::Drop),
        prop::collection::vec(name().prop_map(NamedMatcher::Name), 1..3).prop_map(Stage::Keep),
    ]
}

/// Whether the text of the stages is ambiguous: `| drop a != "x"` reads as a `drop` with a
/// matcher in Loki's grammar too, so `| drop a` followed by `!= "x"` does not print back.
fn ambiguous(stages: &[Stage]) -> bool {
    stages.windows(2).any(|pair| {
        let ends_in_name = match &pair[0] {
            Stage::Drop(names) | Stage::Keep(names) => {
                matches!(names.last(), Some(NamedMatcher::Name(_)))
            }
            _ => false,
        };
        let negative = matches!(
            &pair[1],
            Stage::LineFilter(LineFilter {
                op: LineFilterOp::NotContains | LineFilterOp::NotRegex,
                ..
            })
        );
        ends_in_name && negative
    })
}

fn log_expr() -> impl Strategy<Value = LogExpr> {
    (
        name(),
        "[a-z]{1,5}",
        prop::collection::vec(matcher(), 0..3),
        prop::collection::vec(stage(), 0..4).prop_filter("unambiguous", |s| !ambiguous(s)),
    )
        .prop_map(|(first, value, mut matchers, pipeline)| {
            matchers.insert(
                0,
                Matcher {
                    name: first,
                    op: MatchOp::Equal,
                    value,
                },
            );
            LogExpr { matchers, pipeline }
        })
}

fn range_aggregation() -> impl Strategy<Value = MetricExpr> {
    let conversion = prop::option::of(prop_oneof![
        Just(Conversion::Bytes),
        Just(Conversion::Duration),
        Just(Conversion::DurationSeconds)
    ]);
    (
        prop::sample::select(RangeOp::ALL.to_vec()),
        log_expr(),
        1..1_000_000i64,
        prop_oneof![Just(0i64), 1..100_000i64],
        name(),
        conversion,
        prop::collection::vec(label_filter(), 0..2),
        prop::option::of((any::<bool>(), prop::collection::vec(name(), 0..3))),
        0.0..1.0f64,
    )
        .prop_map(
            |(op, log, range_s, offset_ms, label, conversion, post_filters, grouping, phi)| {
                let needs_unwrap = !matches!(
                    op,
                    RangeOp::CountOverTime | RangeOp::BytesOverTime | RangeOp::BytesRate
                );
                let grouping_allowed = matches!(
                    op,
                    RangeOp::AvgOverTime
                        | RangeOp::StddevOverTime
                        | RangeOp::StdvarOverTime
                        | RangeOp::QuantileOverTime
                        | RangeOp::MaxOverTime
                        | RangeOp::MinOverTime
                        | RangeOp::FirstOverTime
                        | RangeOp::LastOverTime
                );
                MetricExpr::RangeAggregation {
                    op,
                    param: (op == RangeOp::QuantileOverTime).then_some(phi),
                    range: LogRange {
                        log,
                        range_ns: range_s * 1_000_000_000,
                        offset_ns: offset_ms * 1_000_000,
                        unwrap: needs_unwrap.then_some(Unwrap {
                            label,
                            conversion,
                            post_filters,
                        }),
                    },
                    grouping: grouping
                        .filter(|_| grouping_allowed)
                        .map(|(without, labels)| Grouping { without, labels }),
                }
            },
        )
}

fn metric_expr() -> impl Strategy<Value = MetricExpr> {
    let leaf = prop_oneof![
        4 => range_aggregation(),
        1 => (0.0..1e6f64).prop_map(MetricExpr::Vector),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        let bin_op = prop::sample::select(vec![
            BinOp::Or,
            BinOp::And,
            BinOp::Unless,
            BinOp::Eq,
            BinOp::Ne,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::Lt,
            BinOp::Le,
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Mod,
            BinOp::Pow,
        ]);
        prop_oneof![
            (
                prop::sample::select(VectorOp::ALL.to_vec()),
                inner.clone(),
                prop::option::of((any::<bool>(), prop::collection::vec(name(), 0..3))),
                1..20i64
            )
                .prop_map(|(op, inner, grouping, k)| MetricExpr::VectorAggregation {
                    op,
                    param: matches!(op, VectorOp::Topk | VectorOp::Bottomk).then_some(k),
                    inner: Box::new(inner),
                    grouping: grouping.map(|(without, labels)| Grouping { without, labels }),
                }),
            (
                bin_op,
                inner.clone(),
                inner.clone(),
                any::<bool>(),
                prop::option::of((any::<bool>(), prop::collection::vec(name(), 0..2))),
                0..3u8,
                prop::collection::vec(name(), 0..2)
            )
                .prop_map(|(op, left, right, return_bool, matching, card, include)| {
                    let card = match (card, &matching) {
                        (1, Some(_)) => Cardinality::ManyToOne,
                        (2, Some(_)) => Cardinality::OneToMany,
                        _ => Cardinality::OneToOne,
                    };
                    MetricExpr::Binary {
                        op,
                        modifier: BinModifier {
                            return_bool: return_bool && op.is_comparison(),
                            matching,
                            include: if card == Cardinality::OneToOne {
                                Vec::new()
                            } else {
                                include
                            },
                            card,
                        },
                        left: Box::new(left),
                        right: Box::new(right),
                    }
                }),
            (
                inner.clone(),
                -1e6..1e6f64,
                prop::sample::select(vec![BinOp::Add, BinOp::Mul, BinOp::Pow])
            )
                .prop_map(|(left, value, op)| MetricExpr::Binary {
                    op,
                    modifier: BinModifier::default(),
                    left: Box::new(left),
                    right: Box::new(MetricExpr::Literal(value)),
                }),
            (inner, name(), text(), name()).prop_map(|(inner, dst, replacement, src)| {
                MetricExpr::LabelReplace {
                    inner: Box::new(inner),
                    dst,
                    replacement,
                    src,
                    regex: "(.*)".to_string(),
                }
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_log_queries_parse_back(log in log_expr()) {
        let expr = Expr::Log(log);
        let text = expr.to_string();
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(parsed, expr, "{}", text);
    }

    #[test]
    fn printed_metric_queries_parse_back(metric in metric_expr()) {
        let expr = Expr::Metric(metric);
        let text = expr.to_string();
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(parsed, expr, "{}", text);
    }
}
