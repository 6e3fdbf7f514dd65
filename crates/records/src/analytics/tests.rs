//! Tests of `analytics` and of the rules it applies: the formulas at their edges, groups and
//! their bound, the recent lists, configurable rules.

use std::collections::BTreeMap;

use telemetryhub_model::Level;

use super::*;
use crate::rules::{Comparison, RuleValue, Severity};
use crate::value::Value;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

/// A record of the shipped mapping's shape.
fn record(
    source: &str,
    company: &str,
    status: &str,
    duration: f64,
    cpu: f64,
    memory: i64,
    ts_s: i64,
) -> StandardRecord {
    StandardRecord {
        source: "kafka-observability".to_string(),
        timestamp_ns: ts_s * 1_000_000_000,
        key: Some(format!("{company}:{ts_s}")),
        labels: BTreeMap::from([
            ("source".to_string(), source.to_string()),
            ("company".to_string(), company.to_string()),
        ]),
        fields: BTreeMap::from([
            ("source".to_string(), Value::String(source.to_string())),
            ("company".to_string(), Value::String(company.to_string())),
            ("status".to_string(), Value::String(status.to_string())),
            ("duration_seconds".to_string(), Value::Float(duration)),
            ("cpu_time_seconds".to_string(), Value::Float(cpu)),
            ("memory_used_bytes".to_string(), Value::Integer(memory)),
        ]),
        level: if status == "FAILED" {
            Level::Error
        } else {
            Level::Info
        },
        message: String::new(),
        error: None,
    }
}

#[test]
fn the_efficiency_score_is_the_original_formula_kept_within_0_and_100() {
    let base = EfficiencyConfig::default();
    // 10 s and 10 MB lose half of each half: (50 + 50) / 2.
    assert!(close(efficiency_score(10.0, 1e7, &base), 50.0));
    assert!(close(efficiency_score(0.0, 0.0, &base), 100.0));
    // (100 - 5 * 2.5 + 100 - 5e-6 * 8e6) / 2 = (87.5 + 60) / 2
    assert!(close(efficiency_score(2.5, 8e6, &base), 73.75));
    // Each half floors at 0 …
    assert!(close(efficiency_score(4000.0, 1.5e8, &base), 0.0));
    assert!(close(efficiency_score(30.0, 0.0, &base), 50.0));
    // … and, unlike the original, caps at 100 for negative (bad) data.
    assert!(close(efficiency_score(12.0, -1024.0, &base), 70.0));
    assert!(close(efficiency_score(-5.0, -5.0, &base), 100.0));
    let custom = EfficiencyConfig {
        base_duration_seconds: 1.0,
        base_memory_bytes: 1.0,
    };
    assert!(close(efficiency_score(1.0, 1.0, &custom), 50.0));
}

#[test]
fn throughput_and_utilisation_follow_the_original_and_handle_zero_durations() {
    assert!(close(throughput_per_minute(2.5), 24.0));
    assert_eq!(throughput_per_minute(0.0), 0.0);
    assert_eq!(throughput_per_minute(-1.0), 0.0);
    assert!(close(resource_utilisation(0.5, 2.5), 20.0));
    assert_eq!(resource_utilisation(10.0, 2.0), 100.0, "capped at 100");
    assert_eq!(resource_utilisation(-1.0, 2.0), 0.0, "floored at 0");
    assert_eq!(resource_utilisation(1.0, 0.0), 0.0);
}

#[test]
fn figures_need_their_fields() {
    let analytics = Analytics::new(AnalyticsConfig::default()).unwrap();
    let mut r = record("zoho", "a", "SUCCESS", 2.5, 0.5, 8_000_000, 0);
    r.fields.remove("memory_used_bytes");
    let p = analytics.process(&r);
    assert_eq!(p.figures.efficiency_score, None);
    assert!(close(p.figures.throughput_per_minute.unwrap(), 24.0));
    assert!(close(p.figures.resource_utilisation.unwrap(), 20.0));
    r.fields.remove("duration_seconds");
    let p = analytics.process(&r);
    assert_eq!(p.figures.throughput_per_minute, None);
    assert_eq!(p.figures.resource_utilisation, None);
    assert!(p.hits.is_empty(), "no field, no rule hit: {:?}", p.hits);
    // Integers are numbers too.
    r.fields
        .insert("duration_seconds".into(), Value::Integer(5));
    assert!(close(
        analytics.process(&r).figures.throughput_per_minute.unwrap(),
        12.0
    ));
}

#[test]
fn success_is_the_status_or_else_the_level() {
    let analytics = Analytics::new(AnalyticsConfig::default()).unwrap();
    let mut r = record("zoho", "a", "SUCCESS", 1.0, 0.1, 1, 0);
    assert!(analytics.process(&r).figures.success);
    r.fields
        .insert("status".into(), Value::String("PARTIAL".into()));
    assert!(
        !analytics.process(&r).figures.success,
        "anything else is a failure"
    );
    r.fields.remove("status");
    r.level = Level::Warn;
    assert!(analytics.process(&r).figures.success);
    r.level = Level::Error;
    assert!(!analytics.process(&r).figures.success);
}

#[test]
fn the_default_rules_are_the_original_five() {
    let analytics = Analytics::new(AnalyticsConfig::default()).unwrap();
    let hits = |r: &StandardRecord| -> Vec<String> {
        analytics
            .process(r)
            .hits
            .into_iter()
            .map(|h| h.rule)
            .collect()
    };
    assert!(hits(&record("zoho", "a", "SUCCESS", 0.9, 0.09, 5_517_312, 0)).is_empty());
    assert_eq!(
        hits(&record("zoho", "a", "FAILED", 0.9, 0.09, 5_517_312, 0)),
        ["execution_failure"]
    );
    // Thresholds are strict, as in the original: exactly an hour is not long.
    assert!(hits(&record("zoho", "a", "SUCCESS", 3600.0, 0.0, 0, 0)).is_empty());
    // (0 + 100) / 2 = 50: long, but not inefficient.
    assert_eq!(
        hits(&record("zoho", "a", "SUCCESS", 3600.5, 0.0, 0, 0)),
        ["long_execution_time"]
    );
    assert!(hits(&record("zoho", "a", "SUCCESS", 0.0, 0.0, 100_000_000, 0)).is_empty());
    assert_eq!(
        hits(&record("zoho", "a", "SUCCESS", 0.0, 0.0, 100_000_001, 0)),
        ["high_memory_usage"]
    );
    assert_eq!(
        hits(&record("zoho", "a", "SUCCESS", 0.0, 0.0, -1, 0)),
        ["negative_memory_usage"]
    );
    // Efficiency just under 20: (100 - 5 * 16.1 + 0) / 2 = 9.75.
    assert_eq!(
        hits(&record("zoho", "a", "SUCCESS", 16.1, 0.0, 20_000_000, 0)),
        ["low_efficiency"]
    );
    let hit = &analytics
        .process(&record("zoho", "a", "FAILED", 1.0, 0.0, 0, 7))
        .hits[0];
    assert_eq!(hit.severity, Severity::High);
    assert_eq!(hit.value, RuleValue::Text("FAILED".into()));
    assert_eq!(hit.threshold, RuleValue::Text("FAILED".into()));
    assert_eq!(hit.op, Comparison::Eq);
    assert_eq!(hit.record.key.as_deref(), Some("a:7"));
    assert_eq!(hit.record.timestamp_ns, 7_000_000_000);
    let hit = &analytics
        .process(&record("zoho", "a", "SUCCESS", 0.0, 0.0, -1, 0))
        .hits[0];
    assert_eq!(
        (hit.value.clone(), hit.severity),
        (RuleValue::Number(-1.0), Severity::Medium)
    );
}

#[test]
fn rules_are_configurable() {
    let config: AnalyticsConfig = toml::from_str(
        r#"
        [[rules]]
        name = "slow"
        field = "duration_seconds"
        op = ">="
        value = 2
        severity = "critical"

        [[rules]]
        name = "zoho_only"
        field = "source"
        op = "ne"
        value = "zoho"
        severity = "low"
        message = "not from Zoho"

        [[rules]]
        name = "busy"
        field = "resource_utilisation"
        op = "gt"
        value = 50
        "#,
    )
    .unwrap();
    assert_eq!(
        config.duration_field, "duration_seconds",
        "the other settings keep their defaults"
    );
    let analytics = Analytics::new(config).unwrap();
    let p = analytics.process(&record("powerbi", "a", "SUCCESS", 2.0, 1.5, 0, 0));
    let rules: Vec<&str> = p.hits.iter().map(|h| h.rule.as_str()).collect();
    assert_eq!(rules, ["slow", "zoho_only", "busy"]);
    assert_eq!(
        p.hits[0].message, "duration_seconds >= 2",
        "the default message"
    );
    assert_eq!(p.hits[0].severity, Severity::Critical);
    assert_eq!(p.hits[1].message, "not from Zoho");
    assert_eq!(p.hits[2].value, RuleValue::Number(75.0));
    assert_eq!(p.hits[2].severity, Severity::Medium, "the default severity");
    // A number threshold never matches a text, nor the reverse.
    let mut r = record("zoho", "a", "SUCCESS", 1.0, 0.0, 0, 0);
    r.fields
        .insert("duration_seconds".into(), Value::String("9".into()));
    assert!(analytics.process(&r).hits.is_empty());
    // No rules at all.
    let none = Analytics::new(toml::from_str("rules = []").unwrap()).unwrap();
    assert!(
        none.process(&record("x", "a", "FAILED", 1e6, 0.0, -1, 0))
            .hits
            .is_empty()
    );
}

#[test]
fn refuses_rule_sets_that_cannot_work() {
    for (text, at) in [
        (
            "[[rules]]\nname = \"a\"\nfield = \"f\"\nop = \"gt\"\nvalue = \"x\"",
            "analytics.rules[0]",
        ),
        (
            "[[rules]]\nname = \"a\"\nfield = \"f\"\nop = \"eq\"\nvalue = 1\n[[rules]]\nname = \"a\"\nfield = \"g\"\nop = \"eq\"\nvalue = 1",
            "analytics.rules[1]",
        ),
        (
            "[[rules]]\nname = \"\"\nfield = \"f\"\nop = \"eq\"\nvalue = 1",
            "analytics.rules[0]",
        ),
        (
            "[[rules]]\nname = \"a\"\nfield = \"f\"\nop = \"eq\"\nvalue = nan",
            "analytics.rules[0]",
        ),
        ("max_groups = 0", "analytics.max_groups"),
    ] {
        let config: AnalyticsConfig =
            toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        match Analytics::new(config) {
            Err(ConfigError::Invalid { at: found, .. }) => assert_eq!(found, at, "{text}"),
            other => panic!("{text}: expected an error, got {other:?}"),
        }
    }
    assert!(
        toml::from_str::<AnalyticsConfig>(
            "[[rules]]\nname = \"a\"\nfield = \"f\"\nop = \"~\"\nvalue = 1"
        )
        .is_err()
    );
    assert!(toml::from_str::<AnalyticsConfig>("colour = 1").is_err());
}

#[test]
fn counts_per_source_and_company_and_overall() {
    let mut analytics = Analytics::new(AnalyticsConfig::default()).unwrap();
    analytics.add(&record(
        "zoho", "akonovia", "SUCCESS", 2.0, 1.0, 10_000_000, 0,
    ));
    analytics.add(&record("zoho", "akonovia", "FAILED", 4.0, 1.0, 0, 60));
    let p = analytics.add(&record(
        "powerbi", "bright", "SUCCESS", 10.0, 2.0, 20_000_000, 120,
    ));
    assert!(p.hits.is_empty());
    let summary = analytics.summary();
    assert_eq!(summary.totals.total_count, 3);
    assert_eq!(
        (summary.totals.success_count, summary.totals.failed_count),
        (2, 1)
    );
    assert!(close(summary.totals.success_rate, 200.0 / 3.0));
    assert_eq!(
        (summary.totals.anomaly_count, summary.totals.rule_hit_count),
        (1, 1)
    );
    assert_eq!((summary.total_sources, summary.total_companies), (2, 2));
    // Efficiencies: (90 + 50) / 2 = 70, (80 + 100) / 2 = 90, (50 + 0) / 2 = 25.
    assert!(close(
        summary.totals.avg_efficiency_score.unwrap(),
        (70.0 + 90.0 + 25.0) / 3.0
    ));
    assert!(close(
        summary.totals.avg_duration_seconds.unwrap(),
        16.0 / 3.0
    ));
    // Three records over two minutes.
    assert!(close(summary.totals.records_per_minute.unwrap(), 1.5));
    let sources = analytics.sources();
    let zoho = &sources["zoho"];
    assert_eq!(
        (zoho.total_count, zoho.success_count, zoho.failed_count),
        (2, 1, 1)
    );
    assert!(close(zoho.success_rate, 50.0));
    assert!(close(zoho.avg_memory_bytes.unwrap(), 5_000_000.0));
    assert!(close(zoho.avg_cpu_time_seconds.unwrap(), 1.0));
    // Per-record throughputs 30 and 15.
    assert!(close(zoho.avg_throughput_per_minute.unwrap(), 22.5));
    // Utilisations 50 % and 25 %.
    assert!(close(zoho.avg_resource_utilisation.unwrap(), 37.5));
    assert_eq!(zoho.anomaly_count, 1);
    assert_eq!(
        sources["powerbi"].records_per_minute, None,
        "one instant: no rate"
    );
    let companies = analytics.companies();
    assert_eq!(companies.keys().collect::<Vec<_>>(), ["akonovia", "bright"]);
    assert_eq!(companies["bright"].total_count, 1);
    let json = serde_json::to_value(analytics.summary()).unwrap();
    assert_eq!(
        json["total_count"], 3,
        "the totals are flattened into the summary: {json}"
    );
}

#[test]
fn groups_are_bounded_and_records_without_a_group_are_unknown() {
    let config = AnalyticsConfig {
        max_groups: 2,
        ..AnalyticsConfig::default()
    };
    let mut analytics = Analytics::new(config).unwrap();
    for source in ["a", "b", "c", "d", "a"] {
        analytics.add(&record(source, "x", "SUCCESS", 1.0, 0.0, 0, 0));
    }
    let sources = analytics.sources();
    assert_eq!(sources.keys().collect::<Vec<_>>(), [OTHER_GROUP, "a", "b"]);
    assert_eq!(sources["a"].total_count, 2);
    assert_eq!(sources[OTHER_GROUP].total_count, 2);
    let mut r = record("", "x", "SUCCESS", 1.0, 0.0, 0, 0);
    r.labels.remove("source");
    r.fields.remove("source");
    let mut analytics = Analytics::new(AnalyticsConfig::default()).unwrap();
    analytics.add(&r);
    assert!(analytics.sources().contains_key(UNKNOWN_GROUP));
}

#[test]
fn keeps_the_most_recent_records_and_anomalies() {
    let config = AnalyticsConfig {
        recent_capacity: 3,
        ..AnalyticsConfig::default()
    };
    let mut analytics = Analytics::new(config).unwrap();
    for i in 0..5 {
        let status = if i % 2 == 0 { "FAILED" } else { "SUCCESS" };
        analytics.add(&record("zoho", "a", status, 1.0, 0.0, 0, i));
    }
    let times = |list: Vec<&ProcessedRecord>| -> Vec<i64> {
        list.iter()
            .map(|p| p.record.timestamp_ns / 1_000_000_000)
            .collect()
    };
    assert_eq!(
        times(analytics.recent(10)),
        [2, 3, 4],
        "oldest first, bounded"
    );
    assert_eq!(times(analytics.recent(2)), [3, 4]);
    assert_eq!(times(analytics.recent(0)), Vec::<i64>::new());
    assert_eq!(times(analytics.recent_anomalies(10)), [0, 2, 4]);
    assert_eq!(
        analytics.summary().totals.anomaly_count,
        3,
        "counts are not bounded by the list"
    );
    let none = Analytics::new(AnalyticsConfig {
        recent_capacity: 0,
        ..AnalyticsConfig::default()
    });
    let mut none = none.unwrap();
    none.add(&record("zoho", "a", "FAILED", 1.0, 0.0, 0, 0));
    assert!(none.recent(5).is_empty());
}
