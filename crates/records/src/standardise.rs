//! Standardisation: a mapping configuration checked and compiled once (`Mapping::new`), then
//! applied to raw records — typing, defaults, derived fields, timestamp, key, level, error
//! message, labels and message — giving a `StandardRecord` or a `RecordError` that lists every
//! bad field at once, with the raw input kept.
//!
//! A batch (`Mapping::standardise_rows`) keeps the good records and the bad ones side by side;
//! none is dropped.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{FixedOffset, Offset, Utc};
use regex::Regex;
use telemetryhub_model::Level;

use crate::config::{
    DerivedConfig, DerivedOp, FieldConfig, FieldType, MappingConfig, MissingTimestamp,
    RecordsConfig, Unmapped,
};
use crate::error::{ConfigError, FieldError, RecordError};
use crate::input::{RawRecord, ReadOptions, Row, json_type};
use crate::record::StandardRecord;
use crate::value::{
    NumberFormat, THOUSANDS_SEPARATORS, TimeFormat, Value, finite, integer_from_f64, parse_bool,
    parse_float, parse_integer, parse_offset,
};

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

/// Whether a name is a standardised field name (an identifier, so it can be a label name, a
/// template placeholder and an SQL column alike).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The single character of a one-character setting.
fn one_char(text: &str, at: &str) -> Result<char, ConfigError> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(ConfigError::invalid(
            at,
            format!("expected one character, found {text:?}"),
        )),
    }
}

fn level_setting(text: &str, at: &str) -> Result<Level, ConfigError> {
    Level::normalise(text).map_err(|e| ConfigError::invalid(at, e.to_string()))
}

impl Mapping {
    /// Checks and compiles a mapping: names, types, formats, regexes, defaults and every
    /// reference between settings. `name` is the source's name.
    pub fn new(name: &str, config: &MappingConfig) -> Result<Mapping, ConfigError> {
        let at = |rest: &str| format!("sources.{name}.{rest}");
        if name.is_empty() {
            return Err(ConfigError::invalid(
                "sources",
                "a source has an empty name",
            ));
        }
        let decimal = match &config.numbers.decimal {
            Some(text) => one_char(text, &at("numbers.decimal"))?,
            None => '.',
        };
        if decimal != '.' && decimal != ',' {
            return Err(ConfigError::invalid(
                at("numbers.decimal"),
                "the decimal mark is \".\" or \",\"",
            ));
        }
        let thousands = match config.numbers.thousands.as_deref() {
            None | Some("") => None,
            Some(text) => Some(one_char(text, &at("numbers.thousands"))?),
        };
        if let Some(sep) = thousands {
            if !THOUSANDS_SEPARATORS.contains(&sep) || sep == decimal {
                return Err(ConfigError::invalid(
                    at("numbers.thousands"),
                    format!(
                        "{sep:?} cannot separate thousands here (one of , . _ ' or a space, and not the decimal mark)"
                    ),
                ));
            }
        }
        let numbers = NumberFormat { decimal, thousands };
        let offset = match &config.utc_offset {
            Some(text) => {
                parse_offset(text).map_err(|e| ConfigError::invalid(at("utc_offset"), e))?
            }
            None => Utc.fix(),
        };
        let csv_delimiter = match &config.csv_delimiter {
            None => b',',
            Some(text) => {
                let c = one_char(text, &at("csv_delimiter"))?;
                u8::try_from(c)
                    .ok()
                    .filter(|b| b.is_ascii() && *b != b'"' && *b != b'\n' && *b != b'\r')
                    .ok_or_else(|| {
                        ConfigError::invalid(
                            at("csv_delimiter"),
                            "an ASCII character other than a quote or line end",
                        )
                    })?
            }
        };

        let mut fields = Vec::new();
        let mut read_names = HashSet::new();
        let mut types: HashMap<String, FieldType> = HashMap::new();
        for (field_name, field) in &config.fields {
            let compiled = compile_field(field_name, field, numbers, offset, &at)?;
            read_names.insert(compiled.from.clone());
            types.insert(field_name.clone(), field.kind);
            fields.push(compiled);
        }
        for (i, derived) in config.derived.iter().enumerate() {
            let here = at(&format!("derived[{i}]"));
            if !is_identifier(&derived.name) {
                return Err(ConfigError::invalid(
                    here,
                    format!(
                        "{:?} is not a field name (letters, digits and _)",
                        derived.name
                    ),
                ));
            }
            let arity = match derived.op {
                DerivedOp::Difference | DerivedOp::Ratio => 2,
                DerivedOp::Copy => 1,
            };
            if derived.args.len() != arity {
                return Err(ConfigError::invalid(
                    here,
                    format!("{:?} takes {arity} argument(s)", derived.op),
                ));
            }
            for arg in &derived.args {
                if !types.contains_key(arg) {
                    return Err(ConfigError::invalid(
                        &here,
                        format!("argument {arg:?} is no field defined before it"),
                    ));
                }
            }
            let arg_types: Vec<FieldType> = derived.args.iter().map(|a| types[a]).collect();
            let numeric = |t: &FieldType| matches!(t, FieldType::Integer | FieldType::Float);
            let result = match derived.op {
                DerivedOp::Copy => arg_types[0],
                DerivedOp::Difference => {
                    let both_times = arg_types.iter().all(|t| *t == FieldType::Timestamp);
                    if !both_times && !arg_types.iter().all(numeric) {
                        return Err(ConfigError::invalid(
                            here,
                            "difference takes two timestamps or two numbers",
                        ));
                    }
                    FieldType::Float
                }
                DerivedOp::Ratio => {
                    if !arg_types.iter().all(numeric) {
                        return Err(ConfigError::invalid(here, "ratio takes two numbers"));
                    }
                    FieldType::Float
                }
            };
            match types.get(&derived.name) {
                Some(_) if !derived.if_missing => {
                    return Err(ConfigError::invalid(
                        here,
                        format!(
                            "{:?} is already a field (set if_missing = true to compute it only when the input lacks it)",
                            derived.name
                        ),
                    ));
                }
                Some(existing)
                    if *existing != result && !(numeric(existing) && numeric(&result)) =>
                {
                    return Err(ConfigError::invalid(
                        here,
                        format!(
                            "{:?} would be computed with another type than it is read with",
                            derived.name
                        ),
                    ));
                }
                _ => {}
            }
            if fields.iter().any(|f| f.name == derived.name && f.label) {
                return Err(ConfigError::invalid(here, "a label cannot be derived"));
            }
            types.entry(derived.name.clone()).or_insert(result);
        }
        let known = |field: &str, setting: &str| -> Result<(), ConfigError> {
            if types.contains_key(field) {
                Ok(())
            } else {
                Err(ConfigError::invalid(
                    at(setting),
                    format!("{field:?} is not a field of the mapping"),
                ))
            }
        };
        if let Some(ts) = &config.timestamp {
            known(ts, "timestamp")?;
            if types[ts] != FieldType::Timestamp {
                return Err(ConfigError::invalid(
                    at("timestamp"),
                    format!("{ts:?} is not of type timestamp"),
                ));
            }
        }
        for key in &config.key {
            known(key, "key")?;
        }
        let level = match &config.level {
            None => None,
            Some(level) => {
                known(&level.field, "level.field")?;
                let mut map = HashMap::new();
                for (status, name) in &level.map {
                    let parsed = level_setting(name, &at(&format!("level.map.{status}")))?;
                    map.insert(status.trim().to_lowercase(), parsed);
                }
                let default = match &level.default {
                    Some(name) => level_setting(name, &at("level.default"))?,
                    None => Level::Info,
                };
                Some(LevelRule {
                    field: level.field.clone(),
                    map,
                    default,
                })
            }
        };
        let error = match &config.error {
            None => None,
            Some(error) => {
                known(&error.field, "error.field")?;
                let regex = match &error.regex {
                    Some(pattern) => Some(
                        Regex::new(pattern)
                            .map_err(|e| ConfigError::invalid(at("error.regex"), e.to_string()))?,
                    ),
                    None => None,
                };
                let min_level = match &error.min_level {
                    Some(name) => Some(level_setting(name, &at("error.min_level"))?),
                    None => None,
                };
                Some(ErrorRule {
                    field: error.field.clone(),
                    regex,
                    min_level,
                    ignore: error.ignore.clone(),
                    fallback: error.fallback.clone(),
                })
            }
        };
        let message = match &config.message {
            Some(template) => {
                let parts =
                    parse_template(template).map_err(|e| ConfigError::invalid(at("message"), e))?;
                for part in &parts {
                    if let Part::Field(field) = part {
                        known(field, "message")?;
                    }
                }
                Some(parts)
            }
            None => None,
        };
        for (label, value) in &config.static_labels {
            check_label_name(label).map_err(|e| ConfigError::invalid(at("static_labels"), e))?;
            if value.len() > MAX_LABEL_VALUE_BYTES {
                return Err(ConfigError::invalid(
                    at("static_labels"),
                    format!("the value of {label:?} is longer than {MAX_LABEL_VALUE_BYTES} bytes"),
                ));
            }
            if fields.iter().any(|f| f.label && f.name == *label) {
                return Err(ConfigError::invalid(
                    at("static_labels"),
                    format!("{label:?} is also a label field"),
                ));
            }
        }
        Ok(Mapping {
            name: name.to_string(),
            fields,
            read_names,
            declared: types.keys().cloned().collect(),
            derived: config.derived.clone(),
            timestamp: config.timestamp.clone(),
            on_missing_timestamp: config.on_missing_timestamp,
            key: config.key.clone(),
            level,
            error,
            message,
            static_labels: config.static_labels.clone(),
            numbers,
            unmapped: config.unmapped,
            csv_delimiter,
        })
    }

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
            match derive(derived.op, &args) {
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
                if let Some(value) = untyped(input) {
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
        type_value(
            field.kind,
            input,
            self.numbers,
            &field.formats,
            field.offset,
        )
    }
}

/// Checks and compiles one field to read.
fn compile_field(
    name: &str,
    field: &FieldConfig,
    numbers: NumberFormat,
    mapping_offset: FixedOffset,
    at: &dyn Fn(&str) -> String,
) -> Result<Field, ConfigError> {
    let here = at(&format!("fields.{name}"));
    if !is_identifier(name) {
        return Err(ConfigError::invalid(
            here,
            format!(
                "{name:?} is not a field name (letters, digits and _, not starting with a digit)"
            ),
        ));
    }
    let from = field.from.clone().unwrap_or_else(|| name.to_string());
    if from.is_empty() {
        return Err(ConfigError::invalid(
            format!("{here}.from"),
            "empty input field name",
        ));
    }
    if field.label {
        if matches!(field.kind, FieldType::Float | FieldType::Timestamp) {
            return Err(ConfigError::invalid(
                format!("{here}.label"),
                "a label must have few distinct values: strings, integers or booleans, not floats or timestamps",
            ));
        }
        check_label_name(name).map_err(|e| ConfigError::invalid(format!("{here}.label"), e))?;
    }
    if field.kind != FieldType::Timestamp
        && (!field.formats.is_empty() || field.utc_offset.is_some())
    {
        return Err(ConfigError::invalid(
            here,
            "formats and utc_offset apply to timestamps only",
        ));
    }
    let formats = if field.formats.is_empty() && field.kind == FieldType::Timestamp {
        vec![TimeFormat::Rfc3339]
    } else {
        field
            .formats
            .iter()
            .enumerate()
            .map(|(i, f)| {
                TimeFormat::parse(f)
                    .map_err(|e| ConfigError::invalid(format!("{here}.formats[{i}]"), e))
            })
            .collect::<Result<_, _>>()?
    };
    let offset = match &field.utc_offset {
        Some(text) => {
            parse_offset(text).map_err(|e| ConfigError::invalid(format!("{here}.utc_offset"), e))?
        }
        None => mapping_offset,
    };
    let default = match &field.default {
        None => None,
        Some(input) => Some(
            type_value(field.kind, input, numbers, &formats, offset)
                .map_err(|e| ConfigError::invalid(format!("{here}.default"), e))?
                .ok_or_else(|| {
                    ConfigError::invalid(format!("{here}.default"), "the default is empty")
                })?,
        ),
    };
    Ok(Field {
        name: name.to_string(),
        from,
        kind: field.kind,
        label: field.label,
        required: field.required,
        default,
        formats,
        offset,
    })
}

/// Loki's and Prometheus' label-name rule, less the names they reserve (`__…`).
fn check_label_name(name: &str) -> Result<(), String> {
    if !is_identifier(name) || name.starts_with("__") {
        return Err(format!(
            "{name:?} is not a label name (letters, digits and _, not starting with a digit or __)"
        ));
    }
    Ok(())
}

/// Types one input value; `None` when it counts as absent.
fn type_value(
    kind: FieldType,
    input: &serde_json::Value,
    numbers: NumberFormat,
    formats: &[TimeFormat],
    offset: FixedOffset,
) -> Result<Option<Value>, String> {
    use serde_json::Value as J;
    if input.is_null() {
        return Ok(None);
    }
    if let J::String(text) = input {
        if kind != FieldType::String && text.trim().is_empty() {
            return Ok(None);
        }
    }
    let wrong = || {
        format!(
            "expected {}, found {}",
            match kind {
                FieldType::String => "a string",
                FieldType::Integer => "an integer",
                FieldType::Float => "a number",
                FieldType::Bool => "a boolean",
                FieldType::Timestamp => "a timestamp",
            },
            json_type(input)
        )
    };
    let value = match (kind, input) {
        (_, J::Array(_) | J::Object(_)) => return Err(wrong()),
        (FieldType::String, J::String(s)) => Value::String(s.clone()),
        (FieldType::String, J::Number(n)) => Value::String(n.to_string()),
        (FieldType::String, J::Bool(b)) => Value::String(b.to_string()),
        (FieldType::Integer, J::Number(n)) => Value::Integer(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i,
            (None, Some(f)) if n.is_f64() => integer_from_f64(f)?,
            _ => return Err(format!("the integer {n} is out of range")),
        }),
        (FieldType::Integer, J::String(s)) => Value::Integer(parse_integer(s, numbers)?),
        (FieldType::Float, J::Number(n)) => Value::Float(finite(n.as_f64().ok_or_else(wrong)?)?),
        (FieldType::Float, J::String(s)) => Value::Float(parse_float(s, numbers)?),
        (FieldType::Bool, J::Bool(b)) => Value::Bool(*b),
        (FieldType::Bool, J::Number(n)) => match n.as_i64() {
            Some(0) => Value::Bool(false),
            Some(1) => Value::Bool(true),
            _ => return Err(format!("expected a boolean, found the number {n}")),
        },
        (FieldType::Bool, J::String(s)) => Value::Bool(parse_bool(s)?),
        (FieldType::Timestamp, J::String(s)) => {
            let mut first_error = None;
            for format in formats {
                match format.parse_text(s, offset) {
                    Ok(ns) => return Ok(Some(Value::Timestamp(ns))),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            return Err(match (formats.len(), first_error) {
                (1, Some(e)) => e,
                (_, Some(e)) => format!(
                    "{s:?} matches none of the field's {} formats (first: {e})",
                    formats.len()
                ),
                (_, None) => "the field has no timestamp format".to_string(),
            });
        }
        (FieldType::Timestamp, J::Number(n)) => {
            let format = formats
                .iter()
                .find(|f| f.is_unix())
                .ok_or_else(|| format!("found the number {n}; the field's formats read text (add unix_s, unix_ms, … to read numbers)"))?;
            let ns = match n.as_i64() {
                Some(i) => format.from_integer(i)?,
                None => format.from_float(n.as_f64().ok_or_else(wrong)?)?,
            };
            Value::Timestamp(ns)
        }
        _ => return Err(wrong()),
    };
    Ok(Some(value))
}

/// An unmapped input value as JSON types it; `None` for null.
fn untyped(input: &serde_json::Value) -> Option<Value> {
    use serde_json::Value as J;
    Some(match input {
        J::Null => return None,
        J::Bool(b) => Value::Bool(*b),
        J::String(s) => Value::String(s.clone()),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            // serde_json numbers are finite; a u64 beyond i64 becomes a float.
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        J::Array(_) | J::Object(_) => Value::String(input.to_string()),
    })
}

/// Computes a derived field; `Ok(None)` when it is undefined (a ratio over zero).
fn derive(op: DerivedOp, args: &[&Value]) -> Result<Option<Value>, String> {
    let number = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| format!("expected a number, found a {}", v.type_name()))
    };
    match op {
        DerivedOp::Copy => Ok(args.first().map(|v| (*v).clone())),
        DerivedOp::Difference => match (args[0], args[1]) {
            (Value::Timestamp(a), Value::Timestamp(b)) => {
                let ns = i128::from(*a) - i128::from(*b);
                Ok(Some(Value::Float(ns as f64 / 1e9)))
            }
            (a, b) => Ok(Some(Value::Float(finite(number(a)? - number(b)?)?))),
        },
        DerivedOp::Ratio => {
            let (a, b) = (number(args[0])?, number(args[1])?);
            if b == 0.0 {
                Ok(None)
            } else {
                Ok(Some(Value::Float(finite(a / b)?)))
            }
        }
    }
}

/// Splits a message template into text and `{field}` placeholders.
fn parse_template(template: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("unclosed {{ in {template:?}")),
                    }
                }
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Field(name.trim().to_string()));
            }
            '}' => {
                return Err(format!(
                    "unmatched }} in {template:?} (write }}}} for a brace)"
                ));
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests;
