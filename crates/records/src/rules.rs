//! Rule anomalies: configurable checks of one record's field against a threshold (status is
//! `FAILED`, duration over an hour, …), each hit naming the rule, the record, the value and the
//! threshold. The original pipeline's five rules are the default set (`default_rules`).
//!
//! A rule reads a standardised field, or one of the per-record figures the analytics computes
//! (`efficiency_score`, `throughput_per_minute`, `resource_utilisation`) when the record has no
//! field of that name. A record without the field does not hit the rule.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::record::{RecordIdentity, StandardRecord};
use crate::value::Value;

/// One rule, as the config file writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// The rule's name, unique in its set (`long_execution_time`).
    pub name: String,
    /// The field (or per-record figure) it reads.
    pub field: String,
    /// How the value is compared with the threshold.
    pub op: Comparison,
    /// The threshold: a number, or a text for `eq`/`ne`.
    pub value: RuleValue,
    /// How serious a hit is.
    #[serde(default)]
    pub severity: Severity,
    /// What a hit says; `"<field> <op> <threshold>"` when absent.
    pub message: Option<String>,
}

/// How a rule compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Equal (numbers, or text exactly).
    #[serde(alias = "==")]
    Eq,
    /// Not equal.
    #[serde(alias = "!=")]
    Ne,
    /// Greater than.
    #[serde(alias = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(alias = ">=")]
    Ge,
    /// Less than.
    #[serde(alias = "<")]
    Lt,
    /// Less than or equal.
    #[serde(alias = "<=")]
    Le,
}

impl Comparison {
    /// The comparison as an operator (`>`), for messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
        }
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Comparison::Eq => ordering == Equal,
            Comparison::Ne => ordering != Equal,
            Comparison::Gt => ordering == Greater,
            Comparison::Ge => ordering != Less,
            Comparison::Lt => ordering == Less,
            Comparison::Le => ordering != Greater,
        }
    }
}

/// A threshold, or the value a rule found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RuleValue {
    /// A number.
    Number(f64),
    /// A text.
    Text(String),
}

impl std::fmt::Display for RuleValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleValue::Number(n) => write!(f, "{n}"),
            RuleValue::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// How serious a rule hit is (the original pipeline's alerts were `high` for failures and
/// `medium` otherwise).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Worth an alert.
    #[default]
    Medium,
    /// A failure.
    High,
    /// An outage.
    Critical,
}

/// One rule that a record hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleHit {
    /// The rule's name.
    pub rule: String,
    /// The record that hit it.
    pub record: RecordIdentity,
    /// The field the rule read.
    pub field: String,
    /// The value found.
    pub value: RuleValue,
    /// The comparison.
    pub op: Comparison,
    /// The rule's threshold.
    pub threshold: RuleValue,
    /// The rule's severity.
    pub severity: Severity,
    /// The rule's message.
    pub message: String,
}

/// The original pipeline's anomaly rules: status `FAILED`, duration over one hour, memory over
/// 100 MB (10^8 bytes, as it counted), negative memory (a data-quality problem), efficiency
/// under 20. Its alerts were `high` for failures and `medium` for the rest.
pub fn default_rules() -> Vec<RuleConfig> {
    let rule = |name: &str, field: &str, op, value, severity, message: &str| RuleConfig {
        name: name.to_string(),
        field: field.to_string(),
        op,
        value,
        severity,
        message: Some(message.to_string()),
    };
    vec![
        rule(
            "execution_failure",
            "status",
            Comparison::Eq,
            RuleValue::Text("FAILED".to_string()),
            Severity::High,
            "the execution failed",
        ),
        rule(
            "long_execution_time",
            "duration_seconds",
            Comparison::Gt,
            RuleValue::Number(3600.0),
            Severity::Medium,
            "the execution took more than an hour",
        ),
        rule(
            "high_memory_usage",
            "memory_used_bytes",
            Comparison::Gt,
            RuleValue::Number(100_000_000.0),
            Severity::Medium,
            "the execution used more than 100 MB of memory",
        ),
        rule(
            "negative_memory_usage",
            "memory_used_bytes",
            Comparison::Lt,
            RuleValue::Number(0.0),
            Severity::Medium,
            "the memory used is negative: a data-quality problem",
        ),
        rule(
            "low_efficiency",
            "efficiency_score",
            Comparison::Lt,
            RuleValue::Number(20.0),
            Severity::Medium,
            "the efficiency score is under 20",
        ),
    ]
}

/// Checks a rule set: names present and unique, thresholds finite, text thresholds only with
/// `eq`/`ne`.
pub fn check_rules(rules: &[RuleConfig]) -> Result<(), ConfigError> {
    let mut names = HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("analytics.rules[{i}]");
        if rule.name.trim().is_empty() || rule.field.trim().is_empty() {
            return Err(ConfigError::invalid(at, "a rule needs a name and a field"));
        }
        if !names.insert(rule.name.as_str()) {
            return Err(ConfigError::invalid(
                at,
                format!("two rules are named {:?}", rule.name),
            ));
        }
        match &rule.value {
            RuleValue::Number(n) if !n.is_finite() => {
                return Err(ConfigError::invalid(at, "the threshold must be finite"));
            }
            RuleValue::Text(_) if !matches!(rule.op, Comparison::Eq | Comparison::Ne) => {
                return Err(ConfigError::invalid(
                    at,
                    "a text threshold compares with eq or ne only",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The rules a record hits. `figure` gives the per-record figures (efficiency score, …) for
/// fields the record does not have.
pub fn evaluate(
    rules: &[RuleConfig],
    record: &StandardRecord,
    figure: &dyn Fn(&str) -> Option<f64>,
) -> Vec<RuleHit> {
    let mut hits = Vec::new();
    for rule in rules {
        let found = match record.fields.get(&rule.field) {
            Some(value) => Some(value_for(value, &rule.value)),
            None => match record.labels.get(&rule.field) {
                Some(text) => Some(RuleValue::Text(text.clone())),
                None => figure(&rule.field).map(RuleValue::Number),
            },
        };
        let Some(found) = found else { continue };
        let ordering = match (&found, &rule.value) {
            (RuleValue::Number(a), RuleValue::Number(b)) => a.partial_cmp(b),
            (RuleValue::Text(a), RuleValue::Text(b)) => Some(a.cmp(b)),
            // A number against a text, or the reverse: the rule does not apply.
            _ => None,
        };
        if ordering.is_some_and(|o| rule.op.holds(o)) {
            hits.push(RuleHit {
                rule: rule.name.clone(),
                record: record.identity(),
                field: rule.field.clone(),
                message: rule.message.clone().unwrap_or_else(|| {
                    format!("{} {} {}", rule.field, rule.op.symbol(), rule.value)
                }),
                value: found,
                op: rule.op,
                threshold: rule.value.clone(),
                severity: rule.severity,
            });
        }
    }
    hits
}

/// A field's value in the form the threshold compares with: numbers as numbers when the
/// threshold is one, text otherwise.
fn value_for(value: &Value, threshold: &RuleValue) -> RuleValue {
    match (value.as_f64(), threshold) {
        (Some(n), RuleValue::Number(_)) => RuleValue::Number(n),
        _ => RuleValue::Text(value.to_string()),
    }
}
