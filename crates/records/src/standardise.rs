//! Standardisation: a mapping configuration checked and compiled once (`Mapping::new`), then
//! applied to raw records — typing, defaults, derived fields, timestamp, key, level, error
//! message, labels and message — giving a `StandardRecord` or a `RecordError` that lists every
//! bad field at once, with the raw input kept.
//!
//! A batch (`Mapping::standardise_rows`) keeps the good records and the bad ones side by side;
//! none is dropped. `compile.rs` checks and compiles a configuration; `typing.rs` converts
//! values.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::FixedOffset;
use regex::Regex;
use telemetryhub_model::Level;

use crate::config::{DerivedConfig, FieldType, MissingTimestamp, RecordsConfig, Unmapped};
use crate::error::{ConfigError, FieldError, RecordError};
use crate::input::{RawRecord, ReadOptions, Row};
use crate::record::StandardRecord;
use crate::value::{NumberFormat, TimeFormat, Value};

mod compile;
mod typing;

/// The longest label value accepted, in bytes (Loki's default limit is 2048 too).
pub const MAX_LABEL_VALUE_BYTES: usize = 2048;

/// A source's mapping, checked and ready to apply.
#[derive(Debug, Clone)]
pub struct Mapping {
    name: String,
    fields: Vec<Field>,
    /// The input names the fields read.
    read_names: HashSet<String>,
    /// The standardised names (read and derived): an unmapped input field never takes one.
    declared: HashSet<String>,
    derived: Vec<DerivedConfig>,
    timestamp: Option<String>,
    on_missing_timestamp: MissingTimestamp,
    key: Vec<String>,
    level: Option<LevelRule>,
    error: Option<ErrorRule>,
    message: Option<Vec<Part>>,
    static_labels: BTreeMap<String, String>,
    numbers: NumberFormat,
    unmapped: Unmapped,
    csv_delimiter: u8,
}

/// A field to read, compiled.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    from: String,
    kind: FieldType,
    label: bool,
    required: bool,
    default: Option<Value>,
    formats: Vec<TimeFormat>,
    offset: FixedOffset,
}

#[derive(Debug, Clone)]
struct LevelRule {
    field: String,
    /// Keys in lower case.
    map: HashMap<String, Level>,
    default: Level,
}

#[derive(Debug, Clone)]
struct ErrorRule {
    field: String,
    regex: Option<Regex>,
    min_level: Option<Level>,
    ignore: Vec<String>,
    fallback: Option<String>,
}

/// A piece of a message template.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Field(String),
}

/// The good and the bad records of a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// The standardised records, in input order.
    pub records: Vec<StandardRecord>,
    /// The records set aside, in input order, each with its index, reasons and raw input.
    pub rejected: Vec<RecordError>,
}

/// Compiles every source of a records configuration, by name.
pub fn compile_sources(config: &RecordsConfig) -> Result<BTreeMap<String, Mapping>, ConfigError> {
    config
        .sources
        .iter()
        .map(|(name, mapping)| Ok((name.clone(), Mapping::new(name, mapping)?)))
        .collect()
}

impl Mapping {
    /// The source's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Default read options with this mapping's CSV delimiter.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            csv_delimiter: self.csv_delimiter,
            ..ReadOptions::default()
        }
    }

    /// Standardises every row, keeping the good records and the bad ones (rows that could not
    /// be read as records included), each in input order. `ingest_ns` is the time records
    /// without a timestamp get when the mapping says so.
    pub fn standardise_rows(&self, rows: impl IntoIterator<Item = Row>, ingest_ns: i64) -> Batch {
        let mut batch = Batch::default();
        for row in rows {
            match row.and_then(|raw| self.standardise(&raw, ingest_ns)) {
                Ok(record) => batch.records.push(record),
                Err(bad) => batch.rejected.push(bad),
            }
        }
        batch
    }

    /// Standardises one raw record, or lists everything wrong with it.
    pub fn standardise(
        &self,
        raw: &RawRecord,
        ingest_ns: i64,
    ) -> Result<StandardRecord, RecordError> {
        let mut errors = Vec::new();
        let mut values: BTreeMap<String, Value> = BTreeMap::new();
        for field in &self.fields {
            let typed = match raw.fields.get(&field.from) {
                Some(input) => self.type_value(field, input),
                None => Ok(None),
            };
            match typed {
                Ok(Some(value)) => {
                    values.insert(field.name.clone(), value);
                }
                Ok(None) => {
                    if let Some(default) = &field.default {
                        values.insert(field.name.clone(), default.clone());
                    } else if field.required {
                        errors.push(FieldError::field(
                            &field.from,
                            "the field is required but missing",
                        ));
                    }
                }
                Err(reason) => errors.push(FieldError::field(&field.from, reason)),
            }
        }
        // A derived field whose argument was bad stays quiet: the argument's error says it.
        let bad_inputs: HashSet<String> = self
            .fields
            .iter()
            .filter(|f| {
                errors
                    .iter()
                    .any(|e| e.field.as_deref() == Some(f.from.as_str()))
            })
            .map(|f| f.name.clone())
            .collect();
        for derived in &self.derived {
            if derived.if_missing && values.contains_key(&derived.name) {
                continue;
            }
            let args: Option<Vec<&Value>> = derived.args.iter().map(|a| values.get(a)).collect();
            let Some(args) = args else {
                let missing: Vec<&String> = derived
                    .args
                    .iter()
                    .filter(|a| !values.contains_key(*a))
                    .collect();
                if derived.required && !missing.iter().any(|m| bad_inputs.contains(*m)) {
                    errors.push(FieldError::field(
                        &derived.name,
                        format!("cannot be derived: {missing:?} missing"),
                    ));
                }
                continue;
            };
            match typing::derive(derived.op, &args) {
                Ok(Some(value)) => {
                    values.insert(derived.name.clone(), value);
                }
                Ok(None) => {}
                Err(reason) => errors.push(FieldError::field(&derived.name, reason)),
            }
        }
        if self.unmapped == Unmapped::Keep {
            for (name, input) in &raw.fields {
                if self.read_names.contains(name) || self.declared.contains(name) {
                    continue;
                }
                if let Some(value) = typing::untyped(input) {
                    values.insert(name.clone(), value);
                }
            }
        }

        let timestamp_ns = match &self.timestamp {
            None => ingest_ns,
            Some(name) => match values.get(name) {
                Some(Value::Timestamp(ns)) if *ns >= 0 => *ns,
                Some(Value::Timestamp(_)) => {
                    errors.push(FieldError::field(
                        self.input_name(name),
                        "the record's time is before 1970, which cannot be stored",
                    ));
                    0
                }
                Some(other) => {
                    errors.push(FieldError::field(
                        self.input_name(name),
                        format!(
                            "the record's time is a {}, not a timestamp",
                            other.type_name()
                        ),
                    ));
                    0
                }
                None => match self.on_missing_timestamp {
                    MissingTimestamp::IngestTime => ingest_ns,
                    MissingTimestamp::Error => {
                        // A required timestamp field already reported itself.
                        if !self.is_required_or_bad(name, &bad_inputs) {
                            errors.push(FieldError::field(
                                self.input_name(name),
                                "the record has no timestamp",
                            ));
                        }
                        0
                    }
                },
            },
        };

        let key = if self.key.is_empty() {
            None
        } else {
            let mut parts = Vec::with_capacity(self.key.len());
            for name in &self.key {
                match values.get(name) {
                    Some(value) => parts.push(value.to_string()),
                    None if self.is_required_or_bad(name, &bad_inputs) => {}
                    None => errors.push(FieldError::field(
                        self.input_name(name),
                        "the field is part of the record's key but missing",
                    )),
                }
            }
            Some(parts.join(":"))
        };

        let mut labels = self.static_labels.clone();
        for field in self.fields.iter().filter(|f| f.label) {
            if let Some(value) = values.get(&field.name) {
                let text = value.to_string();
                if text.len() > MAX_LABEL_VALUE_BYTES {
                    errors.push(FieldError::field(
                        &field.from,
                        format!(
                            "a label value is at most {MAX_LABEL_VALUE_BYTES} bytes, this is {}",
                            text.len()
                        ),
                    ));
                } else if !text.is_empty() {
                    // An empty label is no label, as in Prometheus and Loki.
                    labels.insert(field.name.clone(), text);
                }
            }
        }

        let level = match &self.level {
            None => Level::Info,
            Some(rule) => match values.get(&rule.field) {
                None => rule.default,
                Some(value) => {
                    let text = value.to_string();
                    let lower = text.trim().to_lowercase();
                    rule.map
                        .get(&lower)
                        .copied()
                        .or_else(|| Level::normalise(&lower).ok())
                        .unwrap_or(rule.default)
                }
            },
        };

        let error = self.error.as_ref().and_then(|rule| {
            if rule.min_level.is_some_and(|min| level < min) {
                return None;
            }
            let found = values.get(&rule.field).and_then(|value| {
                let text = value.to_string();
                let message = match &rule.regex {
                    None => Some(text),
                    Some(regex) => regex.captures(&text).map(|caps| {
                        caps.name("message")
                            .or_else(|| caps.get(1))
                            .or_else(|| caps.get(0))
                            .map_or(String::new(), |m| m.as_str().to_string())
                    }),
                }?;
                let message = message.trim();
                (!message.is_empty() && !rule.ignore.iter().any(|i| i.trim() == message))
                    .then(|| message.to_string())
            });
            found.or_else(|| rule.fallback.clone())
        });

        let message = match &self.message {
            Some(parts) => parts
                .iter()
                .map(|part| match part {
                    Part::Text(text) => text.clone(),
                    Part::Field(name) => values
                        .get(name)
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                })
                .collect(),
            None => error.clone().unwrap_or_default(),
        };

        if !errors.is_empty() {
            return Err(RecordError {
                index: raw.index,
                errors,
                raw: raw.to_json(),
            });
        }
        Ok(StandardRecord {
            source: self.name.clone(),
            timestamp_ns,
            key,
            labels,
            fields: values,
            level,
            message,
            error,
        })
    }

    /// The input's name of a standardised field (itself for derived ones).
    fn input_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or(name, |f| f.from.as_str())
    }

    /// Whether a field's absence was already reported (it is required, or its value was bad).
    fn is_required_or_bad(&self, name: &str, bad: &HashSet<String>) -> bool {
        bad.contains(name)
            || self
                .fields
                .iter()
                .any(|f| f.name == name && f.required && f.default.is_none())
    }

    /// Types one input value; `None` when the value counts as absent (null, or blank text for
    /// a type other than string).
    fn type_value(
        &self,
        field: &Field,
        input: &serde_json::Value,
    ) -> Result<Option<Value>, String> {
        typing::type_value(
            field.kind,
            input,
            self.numbers,
            &field.formats,
            field.offset,
        )
    }
}

#[cfg(test)]
mod tests;
