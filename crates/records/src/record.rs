//! The standardised record: what every source's mapping produces, and what analytics, rules,
//! storage and the dead-letter replay all work on.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use telemetryhub_model::Level;

use crate::value::Value;

/// One standardised record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardRecord {
    /// The mapping (source) it came through, e.g. `kafka-observability` — the service it is
    /// stored under. (A `source` *label*, if the mapping has one, is the record's own.)
    pub source: String,
    /// The record's time, nanoseconds since the Unix epoch (never negative).
    pub timestamp_ns: i64,
    /// The record's identity within its source (the key fields' values joined with `:`), when
    /// the mapping names key fields.
    pub key: Option<String>,
    /// The stream identity: the label fields as text, and the mapping's static labels.
    pub labels: BTreeMap<String, String>,
    /// Every standardised field, typed — label fields too (their typed form).
    pub fields: BTreeMap<String, Value>,
    /// The level the status maps to.
    #[serde(serialize_with = "level_name")]
    pub level: Level,
    /// The record's log line.
    pub message: String,
    /// The error message, for records that carry one.
    pub error: Option<String>,
}

fn level_name<S: Serializer>(level: &Level, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(level.as_str())
}

impl StandardRecord {
    /// A field as a number (integers and floats).
    pub fn number(&self, name: &str) -> Option<f64> {
        self.fields.get(name).and_then(Value::as_f64)
    }

    /// A field (or, failing that, a label) as text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.fields
            .get(name)
            .map(ToString::to_string)
            .or_else(|| self.labels.get(name).cloned())
    }

    /// The fields that are not labels: what a log line stores as its structured context.
    pub fn attributes(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.fields
            .iter()
            .filter(|(name, _)| !self.labels.contains_key(*name))
    }

    /// What names this record in a rule hit or an alert.
    pub fn identity(&self) -> RecordIdentity {
        RecordIdentity {
            source: self.source.clone(),
            key: self.key.clone(),
            timestamp_ns: self.timestamp_ns,
        }
    }
}

/// What names a record outside its batch: its source, its key when it has one, its time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RecordIdentity {
    /// The record's source (mapping).
    pub source: String,
    /// The record's key, when its mapping names key fields.
    pub key: Option<String>,
    /// The record's time, ns.
    pub timestamp_ns: i64,
}
