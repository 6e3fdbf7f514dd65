//! The original pipeline's analytics over standardised records: per-record figures (efficiency
//! score, throughput, resource utilisation, success), and streaming totals overall, per source
//! and per company, with the most recent records and anomalies — what `/analytics/summary`,
//! `/analytics/sources`, `/analytics/recent` and `/analytics/anomalies` answer.
//!
//! The formulas are the original pipeline's (its log processor), stated on each function. The
//! accumulator (`Analytics`) is bounded: a fixed number of recent records, and of groups (the
//! rest share one `OTHER_GROUP`).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use telemetryhub_model::format_rfc3339;

use crate::error::ConfigError;
use crate::record::StandardRecord;
use crate::rules::{RuleConfig, RuleHit, check_rules, default_rules, evaluate};

/// The group records fall in once `max_groups` groups exist.
pub const OTHER_GROUP: &str = "__other__";

/// The group of records that have no source (or company) value.
pub const UNKNOWN_GROUP: &str = "unknown";

/// Which standardised fields the analytics reads, and its bounds. The defaults match the
/// shipped mapping of the original pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyticsConfig {
    /// The label (or field) records are grouped by as "sources".
    pub source_label: String,
    /// The label (or field) records are grouped by as "companies".
    pub company_label: String,
    /// The status field; a record is successful when its status is one of `success_values`.
    /// Records without one are successful when their level is below ERROR.
    pub status_field: String,
    /// The statuses that mean success.
    pub success_values: Vec<String>,
    /// The duration field, in seconds.
    pub duration_field: String,
    /// The CPU time field, in seconds.
    pub cpu_field: String,
    /// The memory field, in bytes.
    pub memory_field: String,
    /// The efficiency score's reference values.
    pub efficiency: EfficiencyConfig,
    /// How many recent records (and recent anomalies) are kept.
    pub recent_capacity: usize,
    /// How many sources (and companies) are counted apart.
    pub max_groups: usize,
    /// The anomaly rules; the original pipeline's five when absent.
    pub rules: Vec<RuleConfig>,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            source_label: "source".to_string(),
            company_label: "company".to_string(),
            status_field: "status".to_string(),
            success_values: vec!["SUCCESS".to_string()],
            duration_field: "duration_seconds".to_string(),
            cpu_field: "cpu_time_seconds".to_string(),
            memory_field: "memory_used_bytes".to_string(),
            efficiency: EfficiencyConfig::default(),
            recent_capacity: 10_000,
            max_groups: 10_000,
            rules: default_rules(),
        }
    }
}

/// The reference values of the efficiency score: a run of this duration, or using this much
/// memory, loses half of that half of the score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EfficiencyConfig {
    /// 10 s in the original pipeline.
    pub base_duration_seconds: f64,
    /// 10^7 bytes (10 MB) in the original pipeline.
    pub base_memory_bytes: f64,
}

impl Default for EfficiencyConfig {
    fn default() -> Self {
        EfficiencyConfig {
            base_duration_seconds: 10.0,
            base_memory_bytes: 10_000_000.0,
        }
    }
}

/// The efficiency score, 0 to 100, of a run of `duration_s` seconds using `memory_bytes`:
/// the original pipeline's formula, the mean of a duration score and a memory score,
///
/// ```text
/// duration_score = clamp(100 - 50 * duration / base_duration, 0, 100)
/// memory_score   = clamp(100 - 50 * memory / base_memory, 0, 100)
/// score          = (duration_score + memory_score) / 2
/// ```
///
/// The original clamped at 0 only, so a negative duration or memory (bad data) scored over
/// 100; clamping at 100 too keeps the score in its stated range and changes nothing else.
pub fn efficiency_score(duration_s: f64, memory_bytes: f64, config: &EfficiencyConfig) -> f64 {
    let part = |value: f64, base: f64| (100.0 - 50.0 * value / base).clamp(0.0, 100.0);
    (part(duration_s, config.base_duration_seconds) + part(memory_bytes, config.base_memory_bytes))
        / 2.0
}

/// Objects per minute at this run's pace: `60 / duration`, 0 for a run of no duration (the
/// original pipeline's throughput).
pub fn throughput_per_minute(duration_s: f64) -> f64 {
    if duration_s > 0.0 {
        60.0 / duration_s
    } else {
        0.0
    }
}

/// CPU time as a percentage of the run's duration, `100 * cpu / duration` capped at 100, 0 for
/// a run of no duration (the original pipeline's resource utilisation; also floored at 0 here,
/// for a negative CPU time).
pub fn resource_utilisation(cpu_s: f64, duration_s: f64) -> f64 {
    if duration_s > 0.0 {
        (100.0 * cpu_s / duration_s).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// One record's figures. Each is absent when the fields it needs are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecordFigures {
    /// Whether the run succeeded.
    pub success: bool,
    /// [`efficiency_score`], from duration and memory.
    pub efficiency_score: Option<f64>,
    /// [`throughput_per_minute`], from duration.
    pub throughput_per_minute: Option<f64>,
    /// [`resource_utilisation`], from CPU time and duration.
    pub resource_utilisation: Option<f64>,
}

/// A record with its figures and the rules it hit: an entry of the recent list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessedRecord {
    /// The record.
    pub record: StandardRecord,
    /// Its figures.
    pub figures: RecordFigures,
    /// The rules it hit (an anomaly when not empty).
    pub hits: Vec<RuleHit>,
}

impl ProcessedRecord {
    /// Whether the record hit any rule.
    pub fn is_anomaly(&self) -> bool {
        !self.hits.is_empty()
    }
}

/// A running mean that knows how many values it has.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, value: Option<f64>) {
        if let Some(v) = value {
            self.sum += v;
            self.n += 1;
        }
    }

    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Totals of a group of records.
#[derive(Debug, Clone, Default, PartialEq)]
struct Group {
    total: u64,
    success: u64,
    anomalies: u64,
    rule_hits: u64,
    duration: Mean,
    cpu: Mean,
    memory: Mean,
    efficiency: Mean,
    throughput: Mean,
    utilisation: Mean,
    first_ns: Option<i64>,
    last_ns: Option<i64>,
}

impl Group {
    fn add(&mut self, processed: &ProcessedRecord, config: &AnalyticsConfig) {
        let record = &processed.record;
        let figures = &processed.figures;
        self.total += 1;
        self.success += u64::from(figures.success);
        self.anomalies += u64::from(processed.is_anomaly());
        self.rule_hits += processed.hits.len() as u64;
        self.duration.add(record.number(&config.duration_field));
        self.cpu.add(record.number(&config.cpu_field));
        self.memory.add(record.number(&config.memory_field));
        self.efficiency.add(figures.efficiency_score);
        self.throughput.add(figures.throughput_per_minute);
        self.utilisation.add(figures.resource_utilisation);
        let ts = record.timestamp_ns;
        self.first_ns = Some(self.first_ns.map_or(ts, |f| f.min(ts)));
        self.last_ns = Some(self.last_ns.map_or(ts, |l| l.max(ts)));
    }

    fn summary(&self) -> GroupSummary {
        let percent = |part: u64| {
            if self.total == 0 {
                0.0
            } else {
                100.0 * part as f64 / self.total as f64
            }
        };
        let records_per_minute = match (self.first_ns, self.last_ns) {
            (Some(first), Some(last)) if last > first => {
                Some(self.total as f64 * 60e9 / (last - first) as f64)
            }
            _ => None,
        };
        GroupSummary {
            total_count: self.total,
            success_count: self.success,
            failed_count: self.total - self.success,
            success_rate: percent(self.success),
            anomaly_count: self.anomalies,
            anomaly_rate: percent(self.anomalies),
            rule_hit_count: self.rule_hits,
            avg_duration_seconds: self.duration.get(),
            avg_cpu_time_seconds: self.cpu.get(),
            avg_memory_bytes: self.memory.get(),
            avg_efficiency_score: self.efficiency.get(),
            avg_throughput_per_minute: self.throughput.get(),
            avg_resource_utilisation: self.utilisation.get(),
            records_per_minute,
            first_timestamp_ns: self.first_ns,
            last_timestamp_ns: self.last_ns,
        }
    }
}

/// The figures of a group of records (all, one source, one company). Rates are percentages;
/// averages are over the records that have the field (absent when none has). Serialised as the
/// analytics routes answer (times in RFC 3339), with the OpenAPI schema they document.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupSummary {
    /// Records counted.
    pub total_count: u64,
    /// Successful records.
    pub success_count: u64,
    /// The others.
    pub failed_count: u64,
    /// `100 * success / total`.
    pub success_rate: f64,
    /// Records that hit at least one rule.
    pub anomaly_count: u64,
    /// `100 * anomalies / total`.
    pub anomaly_rate: f64,
    /// Rule hits (a record may hit several rules).
    pub rule_hit_count: u64,
    /// Mean duration, seconds.
    pub avg_duration_seconds: Option<f64>,
    /// Mean CPU time, seconds.
    pub avg_cpu_time_seconds: Option<f64>,
    /// Mean memory, bytes.
    pub avg_memory_bytes: Option<f64>,
    /// Mean efficiency score, 0 to 100 (the mean of `clamp(100 − 50·duration/10 s)` and
    /// `clamp(100 − 50·memory/10 MB)`).
    pub avg_efficiency_score: Option<f64>,
    /// Mean objects per minute of a run (`60 / duration`).
    pub avg_throughput_per_minute: Option<f64>,
    /// Mean resource utilisation, `100 * cpu / duration` percent.
    pub avg_resource_utilisation: Option<f64>,
    /// Records per minute between the first and the last record's time (absent when they are
    /// at one instant).
    pub records_per_minute: Option<f64>,
    /// The earliest record's time: RFC 3339 in JSON (as `first_timestamp`), ns in Rust.
    #[serde(rename = "first_timestamp", serialize_with = "rfc3339")]
    #[schema(value_type = Option<String>)]
    pub first_timestamp_ns: Option<i64>,
    /// The latest record's time: RFC 3339 in JSON (as `last_timestamp`), ns in Rust.
    #[serde(rename = "last_timestamp", serialize_with = "rfc3339")]
    #[schema(value_type = Option<String>)]
    pub last_timestamp_ns: Option<i64>,
}

/// A time in ns as RFC 3339 text.
fn rfc3339<S: serde::Serializer>(ns: &Option<i64>, to: S) -> Result<S::Ok, S::Error> {
    ns.map(format_rfc3339).serialize(to)
}

/// The overall figures.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// The figures over every record.
    #[serde(flatten)]
    pub totals: GroupSummary,
    /// Distinct sources counted (the `source_label` of `[records.analytics]`).
    pub total_sources: usize,
    /// Distinct companies counted (`company_label`).
    pub total_companies: usize,
}

/// The streaming analytics: add records one at a time, read the figures at any moment.
#[derive(Debug, Clone)]
pub struct Analytics {
    config: AnalyticsConfig,
    overall: Group,
    sources: BTreeMap<String, Group>,
    companies: BTreeMap<String, Group>,
    recent: VecDeque<ProcessedRecord>,
    recent_anomalies: VecDeque<ProcessedRecord>,
}

impl Analytics {
    /// Checks the configuration (its rules) and starts with nothing counted.
    pub fn new(config: AnalyticsConfig) -> Result<Analytics, ConfigError> {
        check_rules(&config.rules)?;
        if config.max_groups == 0 {
            return Err(ConfigError::invalid(
                "analytics.max_groups",
                "at least one group",
            ));
        }
        Ok(Analytics {
            config,
            overall: Group::default(),
            sources: BTreeMap::new(),
            companies: BTreeMap::new(),
            recent: VecDeque::new(),
            recent_anomalies: VecDeque::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AnalyticsConfig {
        &self.config
    }

    /// A record's figures and rule hits, without counting it.
    pub fn process(&self, record: &StandardRecord) -> ProcessedRecord {
        let config = &self.config;
        let duration = record.number(&config.duration_field);
        let memory = record.number(&config.memory_field);
        let cpu = record.number(&config.cpu_field);
        let success = match record.text(&config.status_field) {
            Some(status) => config.success_values.contains(&status),
            None => record.level < telemetryhub_model::Level::Error,
        };
        let figures = RecordFigures {
            success,
            efficiency_score: duration
                .zip(memory)
                .map(|(d, m)| efficiency_score(d, m, &config.efficiency)),
            throughput_per_minute: duration.map(throughput_per_minute),
            resource_utilisation: cpu.zip(duration).map(|(c, d)| resource_utilisation(c, d)),
        };
        let figure = |name: &str| match name {
            "efficiency_score" => figures.efficiency_score,
            "throughput_per_minute" => figures.throughput_per_minute,
            "resource_utilisation" => figures.resource_utilisation,
            _ => None,
        };
        let hits = evaluate(&config.rules, record, &figure);
        ProcessedRecord {
            record: record.clone(),
            figures,
            hits,
        }
    }

    /// Counts a record and returns its figures and rule hits (an anomaly to raise when there
    /// are any).
    pub fn add(&mut self, record: &StandardRecord) -> ProcessedRecord {
        let processed = self.process(record);
        self.overall.add(&processed, &self.config);
        let source = group_name(record, &self.config.source_label);
        let company = group_name(record, &self.config.company_label);
        for (groups, name) in [(&mut self.sources, source), (&mut self.companies, company)] {
            let name = if groups.contains_key(&name) || groups.len() < self.config.max_groups {
                name
            } else {
                OTHER_GROUP.to_string()
            };
            groups
                .entry(name)
                .or_default()
                .add(&processed, &self.config);
        }
        let capacity = self.config.recent_capacity;
        if capacity > 0 {
            if processed.is_anomaly() {
                push_bounded(&mut self.recent_anomalies, processed.clone(), capacity);
            }
            push_bounded(&mut self.recent, processed.clone(), capacity);
        }
        processed
    }

    /// The figures over every record counted.
    pub fn summary(&self) -> Summary {
        Summary {
            totals: self.overall.summary(),
            total_sources: self.sources.len(),
            total_companies: self.companies.len(),
        }
    }

    /// The figures per source.
    pub fn sources(&self) -> BTreeMap<String, GroupSummary> {
        self.sources
            .iter()
            .map(|(name, group)| (name.clone(), group.summary()))
            .collect()
    }

    /// The figures per company.
    pub fn companies(&self) -> BTreeMap<String, GroupSummary> {
        self.companies
            .iter()
            .map(|(name, group)| (name.clone(), group.summary()))
            .collect()
    }

    /// The last `limit` records counted, oldest first.
    pub fn recent(&self, limit: usize) -> Vec<&ProcessedRecord> {
        let skip = self.recent.len().saturating_sub(limit);
        self.recent.iter().skip(skip).collect()
    }

    /// The last `limit` records that hit a rule, oldest first.
    pub fn recent_anomalies(&self, limit: usize) -> Vec<&ProcessedRecord> {
        let skip = self.recent_anomalies.len().saturating_sub(limit);
        self.recent_anomalies.iter().skip(skip).collect()
    }
}

/// The group a record falls in by a label (or field).
fn group_name(record: &StandardRecord, label: &str) -> String {
    record
        .labels
        .get(label)
        .cloned()
        .or_else(|| record.text(label))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| UNKNOWN_GROUP.to_string())
}

fn push_bounded(list: &mut VecDeque<ProcessedRecord>, item: ProcessedRecord, capacity: usize) {
    if list.len() >= capacity {
        list.pop_front();
    }
    list.push_back(item);
}

#[cfg(test)]
mod tests;
