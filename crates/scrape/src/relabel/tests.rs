//! Relabeling's tests: Prometheus' documented behaviour and the cases of its `relabel_test.go`
//! (encoded here as `prometheus.yml` snippets), validation, loading from YAML and TOML, and the
//! places where Go's regexes, templates and case mapping differ from Rust's.

use super::*;
use crate::testing::labels;

/// `relabel_configs` as written in `prometheus.yml`; panics with the error when they do not load.
fn configs(yaml: &str) -> Vec<RelabelConfig> {
    match serde_saphyr::from_str::<Vec<RelabelConfig>>(yaml) {
        Ok(configs) => configs,
        Err(error) => panic!("configs do not load: {error}\n{yaml}"),
    }
}

/// One relabel config from YAML, or the error message that refuses it.
fn load(yaml: &str) -> Result<RelabelConfig, String> {
    serde_saphyr::from_str::<RelabelConfig>(yaml).map_err(|error| error.to_string())
}

/// The error that refuses a config, asserting that it is refused.
fn refused(yaml: &str) -> String {
    match load(yaml) {
        Ok(config) => panic!("loaded, but Prometheus refuses it: {config:?}\n{yaml}"),
        Err(message) => message,
    }
}

/// Relabels `input` with the YAML configs: the result, or `None` when dropped.
fn run(input: &[(&str, &str)], yaml: &str) -> Option<Labels> {
    let mut set = labels(input);
    relabel(&mut set, &configs(yaml)).then_some(set)
}

/// `template` expanded with the groups of `regex` matching `text` (which it must match).
fn expanded(regex: &str, text: &str, template: &str) -> String {
    let regex = Regex::new(regex).expect("test regex compiles");
    let captures = regex.as_regex().captures(text).expect("test regex matches");
    let mut out = String::new();
    expand(template, &captures, &mut out);
    out
}

/// A relabeling case: its name, the input labels, the configs (YAML) and the output labels
/// (`None`: dropped).
type Case<'a> = (&'a str, Pairs<'a>, &'a str, Option<Vec<(&'a str, &'a str)>>);

/// Label pairs.
type Pairs<'a> = &'a [(&'a str, &'a str)];

/// The cases of Prometheus' `TestRelabel`, each as input, configs and output (`None`: dropped).
#[test]
fn prometheus_relabel_test_cases() {
    let abc = [("a", "foo"), ("b", "bar"), ("c", "baz")];
    let ports = [
        ("__tmp_port", "1234"),
        ("__port1", "1234"),
        ("__port2", "5678"),
    ];
    let lines = [("a", "line1\nline2"), ("b", "bar"), ("c", "baz")];
    let cases: Vec<Case<'_>> = vec![
        (
            "replace with braced group references",
            &abc,
            "- {source_labels: [a], regex: 'f(.*)', target_label: d, separator: ';', replacement: 'ch${1}-ch${1}'}",
            Some(vec![("a", "foo"), ("b", "bar"), ("c", "baz"), ("d", "choo-choo")]),
        ),
        (
            "replaces see the labels earlier steps wrote",
            &abc,
            "
- {source_labels: [a, b], regex: 'f(.*);(.*)r', target_label: a, separator: ';', replacement: 'b${1}${2}m'}
- {source_labels: [c, a], regex: '(b).*b(.*)ba(.*)', target_label: d, separator: ';', replacement: '$1$2$2$3'}",
            Some(vec![("a", "boobam"), ("b", "bar"), ("c", "baz"), ("d", "boooom")]),
        ),
        (
            "a drop ends relabeling",
            &[("a", "foo")],
            "
- {source_labels: [a], regex: '.*o.*', action: drop}
- {source_labels: [a], regex: 'f(.*)', target_label: d, separator: ';', replacement: 'ch$1-ch$1'}",
            None,
        ),
        (
            "drop on a match",
            &[("a", "foo"), ("b", "bar")],
            "- {source_labels: [a], regex: '.*o.*', action: drop}",
            None,
        ),
        (
            "a group inside the match",
            &[("a", "abc")],
            "- {source_labels: [a], regex: '.*(b).*', target_label: d, separator: ';', replacement: '$1'}",
            Some(vec![("a", "abc"), ("d", "b")]),
        ),
        (
            "no drop without a match",
            &[("a", "foo")],
            "- {source_labels: [a], regex: no-match, action: drop}",
            Some(vec![("a", "foo")]),
        ),
        (
            "the regex is anchored at both ends",
            &[("a", "foo")],
            "- {source_labels: [a], regex: 'f|o', action: drop}",
            Some(vec![("a", "foo")]),
        ),
        (
            "keep drops without a match",
            &[("a", "foo")],
            "- {source_labels: [a], regex: no-match, action: keep}",
            None,
        ),
        (
            "keep keeps a match",
            &[("a", "foo")],
            "- {source_labels: [a], regex: 'f.*', action: keep}",
            Some(vec![("a", "foo")]),
        ),
        (
            "no replacement without a match",
            &[("a", "boo")],
            "- {source_labels: [a], regex: f, target_label: b, replacement: bar}",
            Some(vec![("a", "boo")]),
        ),
        (
            "hashmod",
            &abc,
            "- {source_labels: [c], target_label: d, separator: ';', action: hashmod, modulus: 1000}",
            Some(vec![("a", "foo"), ("b", "bar"), ("c", "baz"), ("d", "976")]),
        ),
        (
            "hashmod of a value with a newline",
            &[("a", "foo\nbar")],
            "- {source_labels: [a], target_label: b, separator: ';', action: hashmod, modulus: 1000}",
            Some(vec![("a", "foo\nbar"), ("b", "734")]),
        ),
        (
            "labelmap",
            &[("a", "foo"), ("b1", "bar"), ("b2", "baz")],
            "- {regex: '(b.*)', replacement: 'bar_${1}', action: labelmap}",
            Some(vec![
                ("a", "foo"),
                ("b1", "bar"),
                ("b2", "baz"),
                ("bar_b1", "bar"),
                ("bar_b2", "baz"),
            ]),
        ),
        (
            "labelmap of meta labels",
            &[
                ("a", "foo"),
                ("__meta_my_bar", "aaa"),
                ("__meta_my_baz", "bbb"),
                ("__meta_other", "ccc"),
            ],
            "- {regex: '__meta_(my.*)', replacement: '${1}', action: labelmap}",
            Some(vec![
                ("a", "foo"),
                ("__meta_my_bar", "aaa"),
                ("__meta_my_baz", "bbb"),
                ("__meta_other", "ccc"),
                ("my_bar", "aaa"),
                ("my_baz", "bbb"),
            ]),
        ),
        (
            "target label from a group",
            &[("a", "some-name-value")],
            "- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${2}', target_label: '${1}'}",
            Some(vec![("a", "some-name-value"), ("name", "value")]),
        ),
        (
            "a replacement of a missing group is empty and deletes the target",
            &[("a", "some-name-value")],
            "- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${3}', target_label: '${1}'}",
            Some(vec![("a", "some-name-value")]),
        ),
        (
            "target labels that expand to invalid names change nothing",
            &[("a", "some-name-0")],
            "
- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${1}', target_label: '${3}'}
- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${1}', target_label: '${3}'}
- {source_labels: [a], regex: 'some-([^-]+)(-[^,]+)', action: replace, replacement: '${1}', target_label: '${3}'}",
            Some(vec![("a", "some-name-0")]),
        ),
        (
            "service discovery tags",
            &[("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar")],
            "
- {source_labels: [__meta_sd_tags], regex: '(?:.+,|^)path:(/[^,]+).*', action: replace, replacement: '${1}', target_label: __metrics_path__}
- {source_labels: [__meta_sd_tags], regex: '(?:.+,|^)job:([^,]+).*', action: replace, replacement: '${1}', target_label: job}
- {source_labels: [__meta_sd_tags], regex: '(?:.+,|^)label:([^=]+)=([^,]+).*', action: replace, replacement: '${2}', target_label: '${1}'}",
            Some(vec![
                ("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                ("__metrics_path__", "/secret"),
                ("job", "some-job"),
                ("foo", "bar"),
            ]),
        ),
        (
            "prometheus issue 12283: a label dropped and written again",
            &[
                ("__meta_kubernetes_pod_container_port_name", "foo"),
                ("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
            ],
            "
- {regex: '^__meta_kubernetes_pod_container_port_name$', action: labeldrop}
- {source_labels: [__meta_kubernetes_pod_annotation_XXX_metrics_port], regex: '(.+)', action: replace, replacement: metrics, target_label: __meta_kubernetes_pod_container_port_name}
- {source_labels: [__meta_kubernetes_pod_container_port_name], regex: '^metrics$', action: keep}",
            Some(vec![
                ("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
                ("__meta_kubernetes_pod_container_port_name", "metrics"),
            ]),
        ),
        (
            "labelkeep",
            &[("a", "foo"), ("b1", "bar"), ("b2", "baz")],
            "- {regex: '(b.*)', action: labelkeep}",
            Some(vec![("b1", "bar"), ("b2", "baz")]),
        ),
        (
            "labeldrop",
            &[("a", "foo"), ("b1", "bar"), ("b2", "baz")],
            "- {regex: '(b.*)', action: labeldrop}",
            Some(vec![("a", "foo")]),
        ),
        (
            "uppercase and lowercase",
            &[("foo", "bAr123Foo")],
            "
- {source_labels: [foo], action: uppercase, target_label: foo_uppercase}
- {source_labels: [foo], action: lowercase, target_label: foo_lowercase}",
            Some(vec![
                ("foo", "bAr123Foo"),
                ("foo_lowercase", "bar123foo"),
                ("foo_uppercase", "BAR123FOO"),
            ]),
        ),
        (
            "keepequal keeps equal values",
            &ports,
            "- {source_labels: [__tmp_port], action: keepequal, target_label: __port1}",
            Some(ports.to_vec()),
        ),
        (
            "dropequal drops equal values",
            &ports,
            "- {source_labels: [__tmp_port], action: dropequal, target_label: __port1}",
            None,
        ),
        (
            "dropequal keeps different values",
            &ports,
            "- {source_labels: [__tmp_port], action: dropequal, target_label: __port2}",
            Some(ports.to_vec()),
        ),
        (
            "keepequal drops different values",
            &ports,
            "- {source_labels: [__tmp_port], action: keepequal, target_label: __port2}",
            None,
        ),
        (
            "dot matches a newline",
            &lines,
            "- {source_labels: [a], regex: 'line1.*line2', target_label: d, separator: ';', replacement: 'match${1}'}",
            Some(vec![("a", "line1\nline2"), ("b", "bar"), ("c", "baz"), ("d", "match")]),
        ),
        (
            "numbered and named groups, braced and not",
            &lines,
            "
- {source_labels: [a], regex: '(line1).*(?<second>line2)', target_label: 'label1_${1}', separator: ';', replacement: 'val_${second}'}
- {source_labels: [a], regex: '(line1).*(?<second>line2)', target_label: 'label2_$1', separator: ';', replacement: 'val_$second'}",
            Some(vec![
                ("a", "line1\nline2"),
                ("b", "bar"),
                ("c", "baz"),
                ("label1_line1", "val_line2"),
                ("label2_line1", "val_line2"),
            ]),
        ),
        (
            "type from the metric name",
            &[("__name__", "http_requests_total")],
            "- {source_labels: [__name__], regex: '.*_total$', target_label: __type__, replacement: counter, action: replace}",
            Some(vec![("__name__", "http_requests_total"), ("__type__", "counter")]),
        ),
        (
            "unit from the metric name",
            &[("__name__", "disk_usage_bytes")],
            "- {source_labels: [__name__], regex: '.*_bytes$', target_label: __unit__, replacement: bytes, action: replace}",
            Some(vec![("__name__", "disk_usage_bytes"), ("__unit__", "bytes")]),
        ),
    ];
    for (name, input, yaml, expected) in cases {
        assert_eq!(
            run(input, yaml),
            expected.map(|pairs| labels(&pairs)),
            "case {name:?}"
        );
    }
}

/// Prometheus' benchmark configs (one from its `conf.good.yml`) load and give the results that
/// follow from the documentation.
#[test]
fn prometheus_benchmark_example_config() {
    let yaml = r#"
- source_labels: [job, __meta_dns_name]
  regex: "(.*)some-[regex]"
  target_label: job
  replacement: foo-${1}
  # action defaults to 'replace'
- source_labels: [abc]
  target_label: cde
- replacement: static
  target_label: abc
- regex:
  replacement: static
  target_label: abc
"#;
    let input = [
        ("__meta_dns_name", "example-some-x.com"),
        ("abc", "def"),
        ("job", "foo"),
    ];
    assert_eq!(
        run(&input, yaml),
        Some(labels(&[
            ("__meta_dns_name", "example-some-x.com"),
            ("abc", "static"),
            ("cde", "def"),
            ("job", "foo"),
        ]))
    );
    // The first step does match a value ending in one of `[regex]`'s letters.
    assert_eq!(
        run(&[("__meta_dns_name", "a.some-x"), ("job", "j")], yaml)
            .and_then(|set| set.get("job").cloned()),
        Some("foo-j;a.".to_string())
    );
}

/// Prometheus' Kubernetes pod benchmark: every step behaves as documented; the final hashmod
/// shard (1 of 3 for this address) is not the kept one, so the target is dropped.
#[test]
fn prometheus_benchmark_kubernetes_config() {
    let steps = r#"
- source_labels:
    - __meta_kubernetes_pod_container_port_name
  regex: .*-metrics
  action: keep
- source_labels:
    - __meta_kubernetes_pod_label_name
  action: drop
  regex: ""
- source_labels:
    - __meta_kubernetes_pod_phase
  regex: Succeeded|Failed
  action: drop
- source_labels:
    - __meta_kubernetes_pod_annotation_prometheus_io_scrape
  regex: "false"
  action: drop
- source_labels:
    - __meta_kubernetes_pod_annotation_prometheus_io_scheme
  target_label: __scheme__
  regex: (https?)
  replacement: $1
  action: replace
- source_labels:
    - __meta_kubernetes_pod_annotation_prometheus_io_path
  target_label: __metrics_path__
  regex: (.+)
  replacement: $1
  action: replace
- source_labels:
    - __address__
    - __meta_kubernetes_pod_annotation_prometheus_io_port
  target_label: __address__
  regex: (.+?)(\:\d+)?;(\d+)
  replacement: $1:$3
  action: replace
- regex: __meta_kubernetes_pod_annotation_prometheus_io_param_(.+)
  replacement: __param_$1
  action: labelmap
- regex: __meta_kubernetes_pod_label_prometheus_io_label_(.+)
  action: labelmap
- regex: __meta_kubernetes_pod_annotation_prometheus_io_label_(.+)
  action: labelmap
- source_labels:
    - __meta_kubernetes_namespace
    - __meta_kubernetes_pod_label_name
  separator: /
  target_label: job
  replacement: $1
  action: replace
- source_labels:
  - __meta_kubernetes_namespace
  target_label: namespace
  action: replace
- source_labels:
    - __meta_kubernetes_pod_name
  target_label: pod
  action: replace
- source_labels:
    - __meta_kubernetes_pod_container_name
  target_label: container
  action: replace
- source_labels:
    - __meta_kubernetes_pod_name
    - __meta_kubernetes_pod_container_name
    - __meta_kubernetes_pod_container_port_name
  separator: ':'
  target_label: instance
  action: replace
- target_label: cluster
  replacement: dev-us-central-0
- source_labels:
    - __meta_kubernetes_namespace
  regex: hosted-grafana
  action: drop
- source_labels:
    - __address__
  target_label: __tmp_hash
  modulus: 3
  action: hashmod
"#;
    let shard = "
- source_labels:
    - __tmp_hash
  regex: ^0$
  action: keep
- regex: __tmp_hash
  action: labeldrop
";
    let input = [
        ("__address__", "10.132.183.40:80"),
        ("__meta_kubernetes_namespace", "loki-boltdb-shipper"),
        ("__meta_kubernetes_pod_container_name", "promtail"),
        ("__meta_kubernetes_pod_container_port_name", "http-metrics"),
        (
            "__meta_kubernetes_pod_label_name",
            "promtail-loki-boltdb-shipper",
        ),
        (
            "__meta_kubernetes_pod_name",
            "promtail-loki-boltdb-shipper-jgtr7",
        ),
        ("__meta_kubernetes_pod_phase", "Running"),
        ("__metrics_path__", "/metrics"),
        ("__scheme__", "http"),
        ("job", "kubernetes-pods"),
    ];
    let mut expected = labels(&input);
    for (name, value) in [
        ("job", "loki-boltdb-shipper/promtail-loki-boltdb-shipper"),
        ("namespace", "loki-boltdb-shipper"),
        ("pod", "promtail-loki-boltdb-shipper-jgtr7"),
        ("container", "promtail"),
        (
            "instance",
            "promtail-loki-boltdb-shipper-jgtr7:promtail:http-metrics",
        ),
        ("cluster", "dev-us-central-0"),
        ("__tmp_hash", "1"),
    ] {
        expected.insert(name.to_string(), value.to_string());
    }
    assert_eq!(run(&input, steps), Some(expected));
    assert_eq!(run(&input, &format!("{steps}{shard}")), None);

    // Without a pod name label the second step drops the target (`regex: ""` matches `""`).
    let mut unnamed = input.to_vec();
    unnamed.retain(|(name, _)| *name != "__meta_kubernetes_pod_label_name");
    assert_eq!(run(&unnamed, steps), None);

    // With the annotations the later steps look for, they rewrite scheme, path and address.
    let annotated = [
        ("__address__", "10.0.0.2:80"),
        ("__meta_kubernetes_pod_container_port_name", "http-metrics"),
        ("__meta_kubernetes_pod_label_name", "app"),
        (
            "__meta_kubernetes_pod_annotation_prometheus_io_scheme",
            "https",
        ),
        ("__meta_kubernetes_pod_annotation_prometheus_io_path", "/m"),
        (
            "__meta_kubernetes_pod_annotation_prometheus_io_port",
            "9100",
        ),
        (
            "__meta_kubernetes_pod_annotation_prometheus_io_param_format",
            "x",
        ),
    ];
    let set = run(&annotated, steps).expect("kept");
    assert_eq!(set["__scheme__"], "https");
    assert_eq!(set["__metrics_path__"], "/m");
    assert_eq!(set["__address__"], "10.0.0.2:9100");
    assert_eq!(set["__param_format"], "x");
    // md5("10.0.0.2:9100") ends in a multiple of 3, so this target is shard 0 and kept.
    let kept = run(&annotated, &format!("{steps}{shard}")).expect("shard 0 is kept");
    assert!(!kept.contains_key("__tmp_hash"));
}

/// Prometheus' "static label pair" benchmark: fixed label pairs, and templates of `${0}` that
/// expand to nothing.
#[test]
fn prometheus_benchmark_static_label_pairs() {
    let yaml = r#"
- replacement: wwwwww
  target_label: wwwwww
- replacement: yyyyyyyyyyyy
  target_label: xxxxxxxxx
- replacement: xxxxxxxxx
  target_label: yyyyyyyyyyyy
- source_labels: ["something"]
  target_label: with_source_labels
  replacement: value
- replacement: dropped
  target_label: ${0}
- replacement: ${0}
  target_label: dropped
"#;
    assert_eq!(
        run(&[("job", "foo"), ("dropped", "before")], yaml),
        Some(labels(&[
            ("job", "foo"),
            ("wwwwww", "wwwwww"),
            ("xxxxxxxxx", "yyyyyyyyyyyy"),
            ("yyyyyyyyyyyy", "xxxxxxxxx"),
            ("with_source_labels", "value"),
        ]))
    );
}

/// The defaults of Prometheus' documentation, filled in for fields left out.
#[test]
fn omitted_fields_take_prometheus_defaults() {
    let config = load("target_label: x").expect("loads");
    assert_eq!(
        config,
        RelabelConfig {
            target_label: "x".to_string(),
            ..RelabelConfig::default()
        }
    );
    assert_eq!(config.separator, ";");
    assert_eq!(config.regex.as_str(), "(.*)");
    assert_eq!(config.replacement, "$1");
    assert_eq!(config.action, RelabelAction::Replace);
    assert_eq!(config.modulus, 0);
    assert!(config.source_labels.is_empty());
}

/// The default replace copies the joined source values to the target: `(.*)` → `$1`.
#[test]
fn default_replace_copies_joined_source_values() {
    let yaml = "- {source_labels: [a, b, missing, c], target_label: t}";
    assert_eq!(
        run(&[("a", "1"), ("b", "2"), ("c", "3")], yaml).map(|set| set["t"].clone()),
        Some("1;2;;3".to_string())
    );
}

/// A field given as YAML `null` is Go's zero value, not the default: an empty separator and
/// replacement, and the empty regex (which matches only the empty string).
#[test]
fn null_fields_are_empty_not_default() {
    let config = load(
        "{source_labels: [a, b], separator: null, regex: null, replacement: null, target_label: t}",
    )
    .expect("loads");
    assert_eq!(config.separator, "");
    assert_eq!(config.replacement, "");
    assert_eq!(config.regex.as_str(), "");
    assert!(config.regex.is_match(""));
    assert!(!config.regex.is_match("x"));

    let joined = load("{source_labels: [a, b], separator: '', target_label: t}").expect("loads");
    assert_eq!(
        run(
            &[("a", "x"), ("b", "y")],
            "- {source_labels: [a, b], separator: '', target_label: t}"
        )
        .map(|set| set["t"].clone()),
        Some("xy".to_string())
    );
    assert_eq!(joined.separator, "");

    // `action: null` is an empty action, which Prometheus refuses.
    assert_eq!(
        refused("{action: null, target_label: t}"),
        "relabel action cannot be empty"
    );
}

/// Prometheus lower-cases the action before reading it.
#[test]
fn action_names_ignore_case() {
    for (written, action) in [
        ("Replace", RelabelAction::Replace),
        ("KEEP", RelabelAction::Keep),
        ("labelDrop", RelabelAction::LabelDrop),
        ("HashMod", RelabelAction::HashMod),
    ] {
        assert_eq!(written.parse::<RelabelAction>(), Ok(action));
    }
    for action in RelabelAction::ALL {
        assert_eq!(action.as_str().parse::<RelabelAction>(), Ok(action));
        assert_eq!(action.to_string(), action.as_str());
    }
    assert_eq!(
        "relabel".parse::<RelabelAction>(),
        Err(RelabelError::UnknownAction("relabel".to_string()))
    );
}

/// Prometheus' `TestRelabelValidate` under legacy label names, and its messages.
#[test]
fn prometheus_validation_cases() {
    let cases = [
        ("action: null", Some("relabel action cannot be empty")),
        (
            "action: replace",
            Some("relabel configuration for replace action requires 'target_label' value"),
        ),
        (
            "action: lowercase",
            Some("relabel configuration for lowercase action requires 'target_label' value"),
        ),
        (
            "{action: lowercase, replacement: $1, target_label: '${3}'}",
            Some(r#""${3}" is invalid 'target_label' for lowercase action"#),
        ),
        (
            "{source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${1}', target_label: '${3}'}",
            None,
        ),
        (
            "{source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${1}', target_label: '0${3}'}",
            Some(r#""0${3}" is invalid 'target_label' for replace action"#),
        ),
        (
            "{source_labels: [a], regex: 'some-([^-]+)-([^,]+)', action: replace, replacement: '${1}', target_label: '-${3}'}",
            Some(r#""-${3}" is invalid 'target_label' for replace action"#),
        ),
        (
            "{regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)', action: labelmap, replacement: $1}",
            None,
        ),
        (
            "{regex: '__meta_(.+)', action: labelmap, replacement: '${1}'}",
            None,
        ),
    ];
    for (yaml, expected) in cases {
        match expected {
            None => assert!(load(yaml).is_ok(), "{yaml} should load: {:?}", load(yaml)),
            Some(message) => assert_eq!(refused(yaml), message, "{yaml}"),
        }
    }
}

/// Every other check Prometheus makes on load, each naming the field.
#[test]
fn validation_refuses_what_prometheus_refuses() {
    let cases = [
        (
            "{action: relabel, target_label: t}",
            RelabelError::UnknownAction("relabel".into()),
        ),
        (
            "{action: '', target_label: t}",
            RelabelError::UnknownAction(String::new()),
        ),
        (
            "{action: hashmod, target_label: t}",
            RelabelError::ZeroModulus,
        ),
        (
            "{action: hashmod, modulus: 0, target_label: t}",
            RelabelError::ZeroModulus,
        ),
        (
            "{action: hashmod, modulus: 2}",
            RelabelError::MissingTargetLabel(RelabelAction::HashMod),
        ),
        (
            "{action: hashmod, modulus: 2, target_label: '${1}'}",
            RelabelError::InvalidTargetLabel {
                target_label: "${1}".into(),
                action: RelabelAction::HashMod,
            },
        ),
        (
            "{action: replace, target_label: 'foo-bar'}",
            RelabelError::InvalidTargetLabel {
                target_label: "foo-bar".into(),
                action: RelabelAction::Replace,
            },
        ),
        (
            "{action: replace, target_label: '1abc'}",
            RelabelError::InvalidTargetLabel {
                target_label: "1abc".into(),
                action: RelabelAction::Replace,
            },
        ),
        (
            "{action: uppercase, target_label: t, replacement: x}",
            RelabelError::ReplacementNotAllowed(RelabelAction::Uppercase),
        ),
        (
            "{action: keepequal, target_label: t, replacement: x}",
            RelabelError::ReplacementNotAllowed(RelabelAction::KeepEqual),
        ),
        (
            "{action: dropequal, target_label: 'a.b'}",
            RelabelError::InvalidTargetLabel {
                target_label: "a.b".into(),
                action: RelabelAction::DropEqual,
            },
        ),
        (
            "{action: labelmap, regex: '(.*)', replacement: '-$1'}",
            RelabelError::InvalidReplacement {
                replacement: "-$1".into(),
                action: RelabelAction::LabelMap,
            },
        ),
        (
            "{action: labelmap, replacement: ''}",
            RelabelError::InvalidReplacement {
                replacement: String::new(),
                action: RelabelAction::LabelMap,
            },
        ),
        (
            "{action: keepequal, target_label: t, separator: ','}",
            RelabelError::OnlySourceAndTargetLabels(RelabelAction::KeepEqual),
        ),
        (
            "{action: dropequal, target_label: t, modulus: 3}",
            RelabelError::OnlySourceAndTargetLabels(RelabelAction::DropEqual),
        ),
        // Prometheus compares the regex with its default by identity: writing it out, even as
        // the default text, is refused.
        (
            "{action: keepequal, target_label: t, regex: '(.*)'}",
            RelabelError::OnlySourceAndTargetLabels(RelabelAction::KeepEqual),
        ),
        (
            "{action: labeldrop, regex: a, source_labels: [a]}",
            RelabelError::OnlyRegex(RelabelAction::LabelDrop),
        ),
        // Likewise an empty list of source labels is a list given.
        (
            "{action: labelkeep, regex: a, source_labels: []}",
            RelabelError::OnlyRegex(RelabelAction::LabelKeep),
        ),
        (
            "{action: labelkeep, regex: a, target_label: t}",
            RelabelError::OnlyRegex(RelabelAction::LabelKeep),
        ),
        (
            "{action: labeldrop, regex: a, separator: ','}",
            RelabelError::OnlyRegex(RelabelAction::LabelDrop),
        ),
        (
            "{action: labeldrop, regex: a, replacement: x}",
            RelabelError::OnlyRegex(RelabelAction::LabelDrop),
        ),
        (
            "{action: labeldrop, regex: a, modulus: 2}",
            RelabelError::OnlyRegex(RelabelAction::LabelDrop),
        ),
        (
            "{source_labels: [ok, 'not-ok'], target_label: t}",
            RelabelError::InvalidSourceLabel("not-ok".into()),
        ),
    ];
    for (yaml, error) in cases {
        assert_eq!(refused(yaml), error.to_string(), "{yaml}");
    }
    // Prometheus' wording, where it has one.
    assert_eq!(
        RelabelError::OnlySourceAndTargetLabels(RelabelAction::KeepEqual).to_string(),
        "keepequal action requires only 'source_labels' and `target_label`, and no other fields"
    );
    assert_eq!(
        RelabelError::OnlyRegex(RelabelAction::LabelKeep).to_string(),
        "labelkeep action requires only 'regex', and no other fields"
    );
    assert_eq!(
        RelabelError::ZeroModulus.to_string(),
        "relabel configuration for hashmod requires non-zero modulus"
    );
    assert_eq!(RelabelError::ZeroModulus.code(), ErrorCode::InvalidArgument);
}

/// What Prometheus accepts next to what it refuses: the same actions, written validly.
#[test]
fn validation_accepts_valid_configs() {
    for yaml in [
        "{action: keepequal, target_label: t, source_labels: [a], separator: ';', replacement: $1}",
        "{action: labeldrop, regex: 'a|b'}",
        "{action: labelkeep}",
        "{action: hashmod, modulus: 1, target_label: __tmp_shard}",
        "{action: replace, target_label: '${1}_${name}x$2'}",
        "{action: lowercase, target_label: t, separator: ','}",
        "{action: labelmap, regex: 'x_(.*)', replacement: 'y_${1}'}",
        "{action: keep, source_labels: [__name__], regex: 'up|scrape_.*'}",
        "{action: drop, regex: ''}",
    ] {
        let config = load(yaml).unwrap_or_else(|error| panic!("{yaml} refused: {error}"));
        assert_eq!(config.validate(), Ok(()), "{yaml}");
    }
}

/// Configs built in code are validated by `validate`, with the same checks.
#[test]
fn validate_checks_configs_built_in_code() {
    let keepequal = RelabelConfig {
        action: RelabelAction::KeepEqual,
        source_labels: vec!["a".into()],
        target_label: "b".into(),
        ..RelabelConfig::default()
    };
    assert_eq!(keepequal.validate(), Ok(()));
    let with_regex = RelabelConfig {
        regex: Regex::new("x").expect("compiles"),
        ..keepequal.clone()
    };
    assert_eq!(
        with_regex.validate(),
        Err(RelabelError::OnlySourceAndTargetLabels(
            RelabelAction::KeepEqual
        ))
    );
    assert_eq!(
        RelabelConfig::default().validate(),
        Err(RelabelError::MissingTargetLabel(RelabelAction::Replace))
    );
    let bad_source = RelabelConfig {
        source_labels: vec!["a".into(), "b c".into()],
        ..keepequal
    };
    assert_eq!(
        bad_source.validate(),
        Err(RelabelError::InvalidSourceLabel("b c".into()))
    );
}

/// Prometheus' `TestTargetLabelLegacyValidity`: the shape of a target label template.
#[test]
fn target_label_templates_follow_prometheus_legacy_shape() {
    for (template, valid) in [
        ("-label", false),
        ("label", true),
        ("label${1}", true),
        ("${1}label", true),
        ("${1}", true),
        ("${", false),
        ("$", false),
        ("${}", false),
        ("foo${", false),
        ("$1", true),
        ("asd$2asd", true),
        ("-foo${1}bar-", false),
        ("bar.foo${1}bar", false),
        ("_${1}_", true),
        ("foo${bar}foo", true),
    ] {
        assert_eq!(
            LABEL_NAME_TEMPLATE.is_match(template),
            valid,
            "{template:?} should be valid: {valid}"
        );
    }
}

/// Unknown fields are refused, as Prometheus' strict YAML decoding refuses them.
#[test]
fn unknown_fields_are_refused() {
    let message = refused("{target_label: t, replace: x}");
    assert!(message.contains("replace"), "{message}");
}

/// An invalid regex is refused with its text and the reason.
#[test]
fn invalid_regexes_are_refused() {
    let message = refused("{source_labels: [a], regex: '(unclosed', action: keep}");
    assert!(
        message.starts_with(r#"invalid 'regex' "(unclosed": "#),
        "{message}"
    );
    assert_eq!(message, r#"invalid 'regex' "(unclosed": unclosed group"#);
    let message = refused("{regex: 'a{2,1}', action: labeldrop}");
    assert!(
        message.starts_with(r#"invalid 'regex' "a{2,1}": "#),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
    // Go refuses Perl's look-around, and so does the `regex` crate.
    assert!(Regex::new("a(?=b)").is_err());
}

/// Regexes keep their text for display, and are anchored with `.` matching newlines.
#[test]
fn regexes_keep_their_text_and_are_anchored() {
    let regex = Regex::new("a.c").expect("compiles");
    assert_eq!(regex.as_str(), "a.c");
    assert_eq!(regex.to_string(), "a.c");
    assert_eq!(format!("{regex:?}"), r#"Regex("a.c")"#);
    assert_eq!(regex.as_regex().as_str(), "^(?s:a.c)$");
    assert!(regex.is_match("abc"));
    assert!(regex.is_match("a\nc"));
    assert!(!regex.is_match("xabc"));
    assert!(!regex.is_match("abcx"));
    // Anchoring is by text, as in Prometheus: an alternation stays inside the group.
    let alternation = Regex::new("foo|bar").expect("compiles");
    assert!(alternation.is_match("bar"));
    assert!(!alternation.is_match("foobar"));
    // ... and a regex that closes the group early escapes the anchors, as in Prometheus.
    let escaped = Regex::new("a)|(b").expect("compiles once anchored");
    assert!(escaped.is_match("a, then anything"));
    assert!(escaped.is_match("anything, then b"));
    assert!(!escaped.is_match("neither"));
    assert!(Regex::default().is_default());
    assert!(!Regex::new("(.+)").expect("compiles").is_default());
}

/// Go's RE2 syntax where the `regex` crate reads the same text differently.
#[test]
fn regexes_follow_go_syntax() {
    let matches = |regex: &str, text: &str| {
        Regex::new(regex)
            .unwrap_or_else(|error| panic!("{regex:?}: {error}"))
            .is_match(text)
    };
    // Perl classes are ASCII-only in Go.
    assert!(matches(r"\d+", "0123456789"));
    assert!(!matches(r"\d+", "١٢٣"));
    assert!(!matches(r"\w+", "café"));
    assert!(matches(r"\w+", "Az_09"));
    assert!(matches(r"\W", "é"));
    assert!(matches(r"\s", "\t"));
    assert!(!matches(r"\s", "\u{a0}"));
    assert!(!matches(r"\s", "\u{b}"));
    assert!(matches(r"\S", "\u{a0}"));
    assert!(matches(r"[\d]+", "42"));
    assert!(!matches(r"[\d]", "٤"));
    assert!(matches(r"[^\d]", "٤"));
    assert!(matches(r"[\w-]+", "a-b_c"));
    assert!(matches(r"[\D]", "x"));
    // A word boundary between ASCII word characters and anything else.
    assert!(matches(r".*\bfoo\b.*", "éfooé"));
    assert!(!matches(r".*\Bfoo.*", "éfoo"));
    // `\<` and `\>` are escaped punctuation, not word boundaries.
    assert!(matches(r"\<a\>", "<a>"));
    assert!(matches(r"[\<]", "<"));
    // `\Q…\E` quotes.
    assert!(matches(r"\Q.*+\E", ".*+"));
    assert!(!matches(r"\Q.*\E", "ab"));
    assert!(matches(r"a\Q.b", "a.b"));
    // Braces that are no counted repetition are literals; leading zeros make no count.
    assert!(matches("a{", "a{"));
    assert!(matches("a{,3}", "a{,3}"));
    assert!(matches("{x}", "{x}"));
    assert!(matches("x{01}", "x{01}"));
    assert!(matches("x{2}", "xx"));
    assert!(matches("x{2,}", "xxx"));
    assert!(matches("x{1,2}y", "xxy"));
    assert!(!matches("x{1,2}y", "xxxy"));
    // Classes: a leading `]`, and `[`, `&&`, `~~`, `--` as plain characters.
    assert!(matches("[]a]", "]"));
    assert!(matches("[^]a]", "b"));
    assert!(!matches("[^]a]", "]"));
    assert!(matches("[a&&b]", "&"));
    assert!(matches("[a~~b]", "~"));
    assert!(matches("[[a]+", "[a["));
    assert!(matches("[!--]", ","));
    assert!(matches("[a-z--]+", "a-"));
    assert!(!matches("[a-z--]", "."));
    assert!(matches("[[:alpha:]]+", "abc"));
    assert!(!matches("[[:alpha:]]", "é"));
    assert!(matches("[[:^digit:]x]", "y"));
    // Escapes both dialects share, braces and all.
    assert!(matches(r"\x{1F600}", "😀"));
    assert!(matches(r"\x41", "A"));
    assert!(matches(r"\p{Greek}+", "αβ"));
    assert!(matches(r"\pL+", "é"));
    assert!(matches(r"[\p{Lu}]", "É"));
    assert!(matches(r"\:\d+", ":80"));
    // Octal escapes, which Go reads.
    assert!(matches(r"\101", "A"));
    assert!(matches(r"\0", "\0"));
    // Case folding, flags and named groups pass through.
    assert!(matches("(?i)abc", "ABC"));
    assert!(matches("(?i:k)", "\u{212a}"));
    assert!(matches("(?P<x>a)(?<y>b)", "ab"));
}

/// The rewriting itself, for the constructs that need it.
#[test]
fn go_syntax_rewrites() {
    for (go, rust) in [
        ("plain(.*)|x+", "plain(.*)|x+"),
        (r"\d\D", "[0-9][^0-9]"),
        (r"[\w.]", "[[0-9A-Za-z_].]"),
        (r"\bx\B", r"(?-u:\b)x(?-u:\B)"),
        (r"\Q.\E+", r"\.+"),
        ("a{2}{", r"a{2}\{"),
        ("}", r"\}"),
        ("[]&]", r"[\]\&]"),
        (r"\x{41}{3}", r"\x{41}{3}"),
        ("[a-z--]", r"[a-z-\-]"),
    ] {
        assert_eq!(rust_syntax(go), rust, "{go}");
    }
    assert!(matches!(rust_syntax("(a|b)*"), Cow::Borrowed(_)));
}

/// Templates expand as Go's `Regexp.Expand` expands them.
#[test]
fn templates_expand_as_go_does() {
    let regex = "(?P<name>a)(b)(?P<é>c)(d)?(e)(f)(g)(h)(i)(j)";
    let text = "abcefghij";
    for (template, expected) in [
        ("$1", "a"),
        ("${1}", "a"),
        ("$0", "abcefghij"),
        ("$name", "a"),
        ("${name}", "a"),
        ("$é", "c"),
        ("$$1", "$1"),
        ("$$", "$"),
        ("x$", "x$"),
        ("${", "${"),
        ("${}", "${}"),
        ("${1", "${1"),
        ("$-1", "$-1"),
        ("$ 1", "$ 1"),
        // The longest name wins: `$1x` is the group named `1x`, which does not exist.
        ("$1x", ""),
        ("${1}x", "ax"),
        ("$2_", ""),
        // Leading zeros make a name, not a number.
        ("$01", ""),
        ("${01}", ""),
        ("$10", "j"),
        // A group that did not take part, or does not exist, expands to nothing.
        ("[$4]", "[]"),
        ("[$11]", "[]"),
        ("[$nope]", "[]"),
        ("[$100000000000000000000]", "[]"),
        // `²` is a number but not a decimal digit: not part of the name.
        ("$2²", "b²"),
        // `١` is a decimal digit, though not ASCII: part of the name, which is no number.
        ("$١", ""),
        ("${2}${3}$1", "bca"),
        ("no references", "no references"),
    ] {
        assert_eq!(expanded(regex, text, template), expected, "{template:?}");
    }
}

/// A replaced target label is itself a template; an expansion that is not a label name changes
/// nothing, an empty replacement deletes the target.
#[test]
fn replace_targets_and_empty_values() {
    let input = [("a", "key=value"), ("old", "x")];
    let targets =
        "- {source_labels: [a], regex: '(.*)=(.*)', target_label: 'k_$1', replacement: $2}";
    assert_eq!(
        run(&input, targets).map(|set| set.get("k_key").cloned()),
        Some(Some("value".to_string()))
    );
    let invalid = "- {source_labels: [a], regex: '(.*)=(.*)', target_label: '$2', replacement: x}";
    assert_eq!(run(&[("a", "k=1")], invalid), Some(labels(&[("a", "k=1")])));
    let empty = "- {source_labels: [a], regex: '(.*)', target_label: old, replacement: ''}";
    assert_eq!(run(&input, empty), Some(labels(&[("a", "key=value")])));
    let via_group = "- {source_labels: [missing], target_label: old}";
    assert_eq!(run(&input, via_group), Some(labels(&[("a", "key=value")])));
}

/// `lowercase` and `uppercase` map each character as Go does.
#[test]
fn case_mapping_follows_go() {
    assert_eq!(go_lowercase("ÀÉÎ Straße ΣΑΣ"), "àéî straße σασ");
    assert_eq!(go_uppercase("straße ǆ ﬀ àé"), "STRAßE Ǆ ﬀ ÀÉ");
    assert_eq!(go_lowercase("İ"), "i");
    assert_eq!(go_uppercase("ᾳᾀ ᾈ"), "ᾼᾈ ᾈ");
    assert_eq!(go_uppercase("Mixed123_-"), "MIXED123_-");
    let yaml = "
- {source_labels: [v], action: lowercase, target_label: lower}
- {source_labels: [v], action: uppercase, target_label: upper}";
    let set = run(&[("v", "Grüße")], yaml).expect("kept");
    assert_eq!(set["lower"], "grüße");
    assert_eq!(set["upper"], "GRÜßE");
    // The case of nothing is nothing, which deletes the target.
    let set = run(&[("lower", "x")], yaml).expect("kept");
    assert!(set.is_empty(), "{set:?}");
}

/// `hashmod` takes the last 8 bytes of the MD5 digest as a big-endian number.
#[test]
fn hashmod_uses_the_last_eight_digest_bytes() {
    let hash = |value: &str, modulus: u64| {
        let yaml = format!(
            "- {{source_labels: [v], action: hashmod, modulus: {modulus}, target_label: h}}"
        );
        run(&[("v", value)], &yaml).map(|set| set["h"].clone())
    };
    // md5("") = d41d8cd98f00b204 e9800998ecf8427e: the tail is 0xe9800998ecf8427e.
    assert_eq!(hash("", u64::MAX), Some("16825458760271544958".to_string()));
    assert_eq!(hash("a", u64::MAX), Some("3585878926028121697".to_string()));
    assert_eq!(hash("10.0.0.1:9100", 10), Some("5".to_string()));
    assert_eq!(hash("10.0.0.2:9100", 3), Some("0".to_string()));
    // Source values are joined before hashing.
    let joined = "- {source_labels: [a, b], action: hashmod, modulus: 1000, target_label: h, separator: \"\\n\"}";
    assert_eq!(
        run(&[("a", "foo"), ("b", "bar")], joined).map(|set| set["h"].clone()),
        Some("734".to_string())
    );
}

/// An unvalidated `hashmod` with modulus 0 changes nothing instead of panicking.
#[test]
fn hashmod_with_zero_modulus_does_not_panic() {
    let config = RelabelConfig {
        action: RelabelAction::HashMod,
        source_labels: vec!["a".into()],
        target_label: "h".into(),
        ..RelabelConfig::default()
    };
    let mut set = labels(&[("a", "x")]);
    assert!(relabel(&mut set, &[config]));
    assert_eq!(set, labels(&[("a", "x")]));
}

/// `labelmap` reads the labels before writing: what it writes is not mapped again, names that
/// collide resolve in label-name order, and the labels mapped from stay.
#[test]
fn labelmap_maps_a_snapshot() {
    let again = "- {regex: 'x(.*)', replacement: 'xx${1}', action: labelmap}";
    assert_eq!(
        run(&[("xa", "1")], again),
        Some(labels(&[("xa", "1"), ("xxa", "1")]))
    );
    let collide = "- {regex: '.*_(1)', replacement: 'n${1}', action: labelmap}";
    assert_eq!(
        run(&[("a_1", "x"), ("b_1", "y")], collide).map(|set| set["n1"].clone()),
        Some("y".to_string())
    );
    // The default replacement `$1` with the default regex maps every label onto itself.
    let identity = "- {action: labelmap}";
    assert_eq!(run(&[("a", "1")], identity), Some(labels(&[("a", "1")])));
    // Values come from before the step: `b`'s old value goes to `c` while `a`'s goes to `b`.
    let shift = "
- {regex: 'a', replacement: b, action: labelmap}
- {regex: 'b', replacement: c, action: labelmap}";
    assert_eq!(
        run(&[("a", "1"), ("b", "2")], shift),
        Some(labels(&[("a", "1"), ("b", "1"), ("c", "1")]))
    );
    let one_step = "- {regex: '(a|b)', replacement: 'next_$1', action: labelmap}";
    assert_eq!(
        run(&[("a", "1"), ("b", "2")], one_step),
        Some(labels(&[
            ("a", "1"),
            ("b", "2"),
            ("next_a", "1"),
            ("next_b", "2")
        ]))
    );
}

/// `__`-prefixed labels, `__tmp` ones included, are labels like any other here.
#[test]
fn double_underscore_labels_are_kept() {
    let yaml = "
- {source_labels: [__address__], target_label: __tmp_addr}
- {source_labels: [__tmp_addr], regex: '(.*):.*', target_label: host}";
    assert_eq!(
        run(&[("__address__", "h:80"), ("__meta_x", "y")], yaml),
        Some(labels(&[
            ("__address__", "h:80"),
            ("__meta_x", "y"),
            ("__tmp_addr", "h:80"),
            ("host", "h"),
        ]))
    );
}

/// An empty value is a missing label: such labels go first, and comparisons see `""`.
#[test]
fn empty_values_are_missing_labels() {
    assert_eq!(
        run(&[("a", ""), ("b", "1")], "[]"),
        Some(labels(&[("b", "1")]))
    );
    let keepequal = "- {source_labels: [a], action: keepequal, target_label: missing}";
    assert_eq!(run(&[("a", "")], keepequal), Some(Labels::new()));
    assert_eq!(run(&[("a", "x")], keepequal), None);
    let drop_empty = "- {source_labels: [a], regex: '', action: drop}";
    assert_eq!(run(&[("a", "")], drop_empty), None);
    assert!(run(&[("a", "x")], drop_empty).is_some());
}

/// A dropping step stops relabeling: the steps after it do not run.
#[test]
fn dropping_stops_at_the_dropping_step() {
    let configs = configs(
        "
- {source_labels: [a], target_label: first}
- {source_labels: [a], regex: 'x', action: drop}
- {source_labels: [a], target_label: after}",
    );
    let mut set = labels(&[("a", "x")]);
    assert!(!relabel(&mut set, &configs));
    assert!(set.contains_key("first"));
    assert!(!set.contains_key("after"));
    let mut kept = labels(&[("a", "y")]);
    assert!(relabel(&mut kept, &configs));
    assert!(kept.contains_key("after"));
}

/// One source label is borrowed, not copied: most steps allocate nothing.
#[test]
fn single_source_values_are_borrowed() {
    let set = labels(&[("a", "1"), ("b", "2")]);
    let one = load("{source_labels: [a], regex: '1', action: keep}").expect("loads");
    assert!(matches!(one.joined_source(&set), Cow::Borrowed("1")));
    let none = load("{regex: '', action: keep}").expect("loads");
    assert!(matches!(none.joined_source(&set), Cow::Borrowed("")));
    let two = load("{source_labels: [a, b], separator: '-', action: keep}").expect("loads");
    assert_eq!(two.joined_source(&set), "1-2");
}

/// YAML scalars that are not strings are read as their text, as Go's YAML decoder does.
#[test]
fn yaml_scalars_read_as_text() {
    let config = load("{source_labels: [code], regex: 404, action: drop}").expect("loads");
    assert_eq!(config.regex.as_str(), "404");
    let config = load("{target_label: t, replacement: 1}").expect("loads");
    assert_eq!(config.replacement, "1");
}

/// The same configs in TelemetryHub's TOML and in `prometheus.yml`'s YAML load alike.
#[test]
fn toml_and_yaml_load_alike() {
    #[derive(Debug, Deserialize)]
    struct Scrape {
        relabel_configs: Vec<RelabelConfig>,
    }
    let toml_text = r#"
[[relabel_configs]]
source_labels = ["__meta_kubernetes_pod_label_app"]
regex = "web|api"
action = "keep"

[[relabel_configs]]
source_labels = ["__address__"]
target_label = "__tmp_shard"
modulus = 4
action = "hashmod"

[[relabel_configs]]
regex = '__meta_kubernetes_pod_label_(.+)'
action = "labelmap"

[[relabel_configs]]
source_labels = ["a", "b"]
separator = ""
regex = '(\d+)x'
target_label = "id_${1}"
replacement = "$$${1}"

[[relabel_configs]]
regex = "__tmp_.*"
action = "labeldrop"
"#;
    let yaml_text = r#"
relabel_configs:
  - source_labels: [__meta_kubernetes_pod_label_app]
    regex: web|api
    action: keep
  - source_labels: [__address__]
    target_label: __tmp_shard
    modulus: 4
    action: hashmod
  - regex: __meta_kubernetes_pod_label_(.+)
    action: labelmap
  - source_labels: [a, b]
    separator: ""
    regex: '(\d+)x'
    target_label: "id_${1}"
    replacement: "$$${1}"
  - regex: __tmp_.*
    action: labeldrop
"#;
    let from_toml = toml::from_str::<Scrape>(toml_text).expect("TOML loads");
    let from_yaml = serde_saphyr::from_str::<Scrape>(yaml_text).expect("YAML loads");
    assert_eq!(from_toml.relabel_configs, from_yaml.relabel_configs);
    assert_eq!(from_toml.relabel_configs.len(), 5);
    assert_eq!(from_toml.relabel_configs[3].regex.as_str(), r"(\d+)x");

    let mut set = labels(&[
        ("__meta_kubernetes_pod_label_app", "web"),
        ("__address__", "10.0.0.1:9100"),
        ("a", "1"),
        ("b", "2x"),
    ]);
    assert!(relabel(&mut set, &from_toml.relabel_configs));
    assert_eq!(
        set,
        labels(&[
            ("__meta_kubernetes_pod_label_app", "web"),
            ("__address__", "10.0.0.1:9100"),
            ("app", "web"),
            ("a", "1"),
            ("b", "2x"),
            ("id_12", "$12"),
        ])
    );
}

/// TOML refuses what YAML refuses, with the same message.
#[test]
fn toml_refuses_with_prometheus_messages() {
    let error = toml::from_str::<RelabelConfig>("action = \"hashmod\"\ntarget_label = \"t\"")
        .expect_err("hashmod needs a modulus");
    assert!(
        error
            .to_string()
            .contains("relabel configuration for hashmod requires non-zero modulus"),
        "{error}"
    );
    let error = toml::from_str::<RelabelConfig>("action = \"replace\"\ntarget_label = \"a-b\"")
        .expect_err("invalid target");
    assert!(
        error
            .to_string()
            .contains(r#""a-b" is invalid 'target_label' for replace action"#),
        "{error}"
    );
}
