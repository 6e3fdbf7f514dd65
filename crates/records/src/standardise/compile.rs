//! Checking and compiling a mapping configuration into a `Mapping`: names, types, formats,
//! regexes, defaults, templates, and every reference between settings, each error naming the
//! setting at fault.

use std::collections::{HashMap, HashSet};

use chrono::{FixedOffset, Offset, Utc};
use regex::Regex;
use telemetryhub_model::Level;

use super::typing::type_value;
use super::{ErrorRule, Field, LevelRule, MAX_LABEL_VALUE_BYTES, Mapping, Part};
use crate::config::{DerivedOp, FieldConfig, FieldType, MappingConfig};
use crate::error::ConfigError;
use crate::value::{NumberFormat, THOUSANDS_SEPARATORS, TimeFormat, parse_offset};

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
        if let Some(sep) = thousands
            && (!THOUSANDS_SEPARATORS.contains(&sep) || sep == decimal)
        {
            return Err(ConfigError::invalid(
                at("numbers.thousands"),
                format!(
                    "{sep:?} cannot separate thousands here (one of , . _ ' or a space, and not the decimal mark)"
                ),
            ));
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
