//! Loki's detected fields (`/loki/api/v1/detected_fields`): the fields of a query's most recent
//! lines that are not stream labels — their structured metadata and what the `json` and `logfmt`
//! parsers find in them — each with its type guessed from its values and its number of distinct
//! values, as Grafana's Logs Drilldown lists them.

use std::collections::{BTreeMap, BTreeSet};

use crate::units::{DurationUnits, parse_bytes, parse_duration};
use crate::{Direction, Engine, Expr, LogSource, LogqlError};
use crate::{ERROR_DETAILS_LABEL, ERROR_LABEL};

/// A detected field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedField {
    /// Its name.
    pub label: String,
    /// `int`, `float`, `boolean`, `duration`, `bytes` or `string`: the narrowest type every
    /// value seen has.
    pub field_type: &'static str,
    /// Distinct values seen.
    pub cardinality: usize,
    /// The parsers that found it (`json`, `logfmt`); empty for structured metadata.
    pub parsers: Vec<&'static str>,
}

/// The narrowest type of one value.
fn type_of(value: &str) -> &'static str {
    if value.parse::<i64>().is_ok() {
        "int"
    } else if value.parse::<f64>().is_ok() {
        "float"
    } else if value == "true" || value == "false" {
        "boolean"
    } else if parse_duration(value, DurationUnits::Go).is_some() {
        "duration"
    } else if parse_bytes(value).is_some() && value.chars().any(|c| c.is_ascii_alphabetic()) {
        "bytes"
    } else {
        "string"
    }
}

/// The type covering two: equal ones stay, `int` widens to `float`, anything else is `string`.
fn widen(a: &'static str, b: &'static str) -> &'static str {
    match (a, b) {
        _ if a == b => a,
        ("int", "float") | ("float", "int") => "float",
        _ => "string",
    }
}

#[derive(Default)]
struct Seen {
    field_type: Option<&'static str>,
    values: BTreeSet<String>,
    parsers: BTreeSet<&'static str>,
}

impl Seen {
    fn add(&mut self, value: &str, parser: Option<&'static str>) {
        let kind = type_of(value);
        self.field_type = Some(self.field_type.map_or(kind, |seen| widen(seen, kind)));
        self.values.insert(value.to_string());
        if let Some(parser) = parser {
            self.parsers.insert(parser);
        }
    }
}

/// The fields of the newest `line_limit` lines `query` (a log query) selects in
/// `[start_ns, end_ns)`, at most `field_limit` of them, by name.
pub async fn detected_fields(
    engine: &Engine,
    source: &dyn LogSource,
    query: &str,
    start_ns: i64,
    end_ns: i64,
    line_limit: usize,
    field_limit: usize,
) -> Result<Vec<DetectedField>, LogqlError> {
    let Expr::Log(log) = engine.parse(query)? else {
        return Err(LogqlError::BadRequest(
            "detected fields need a log query, not a metric query".to_string(),
        ));
    };
    let stream_labels: BTreeSet<String> = log.matchers.iter().map(|m| m.name.clone()).collect();
    let run = |text: String| async move {
        let expr = engine.parse(&text)?;
        engine
            .query_logs(
                source,
                &expr,
                start_ns,
                end_ns,
                line_limit,
                Direction::Backward,
            )
            .await
    };
    // The stored lines of the selected streams (the newest `line_limit`): their streams' labels
    // are not fields; their structured metadata are.
    let mut fields: BTreeMap<String, Seen> = BTreeMap::new();
    let mut known: BTreeSet<String> = stream_labels;
    let stored = source
        .select(&crate::LogSelection {
            matchers: log
                .matchers
                .iter()
                .map(crate::ast::series_matcher)
                .collect::<Result<Vec<_>, _>>()?,
            start_ns,
            end_ns,
            line_filters: Vec::new(),
            limit: Some(line_limit),
            direction: Direction::Backward,
        })
        .await?;
    for stream in &stored {
        known.extend(stream.labels.keys().cloned());
    }
    for stream in &stored {
        for entry in &stream.entries {
            for (name, value) in &entry.structured_metadata {
                if !known.contains(name) {
                    fields.entry(name.clone()).or_default().add(value, None);
                }
            }
        }
    }
    let before_parsers: BTreeSet<String> = fields.keys().cloned().collect();
    for parser in ["json", "logfmt"] {
        let parsed = run(format!("{query} | {parser} | {ERROR_LABEL}=\"\"")).await?;
        for stream in &parsed {
            for (name, value) in &stream.labels {
                if known.contains(name)
                    || before_parsers.contains(name)
                    || name == ERROR_LABEL
                    || name == ERROR_DETAILS_LABEL
                {
                    continue;
                }
                // A stream groups lines with equal labels: each value counts once per stream.
                fields
                    .entry(name.clone())
                    .or_default()
                    .add(value, Some(parser));
            }
        }
    }
    Ok(fields
        .into_iter()
        .take(field_limit)
        .map(|(label, seen)| DetectedField {
            label,
            field_type: seen.field_type.unwrap_or("string"),
            cardinality: seen.values.len(),
            parsers: seen.parsers.into_iter().collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EngineOptions, LogEntry, MemorySource};
    use telemetryhub_model::Labels;

    #[tokio::test]
    async fn finds_metadata_json_and_logfmt_fields_with_their_types() {
        let mut source = MemorySource::new();
        let stream = Labels::from([("service_name".to_string(), "api".to_string())]);
        source.push(
            &stream,
            LogEntry {
                ts_ns: 1,
                line: r#"{"status":200,"took":"15ms","user":"ann"}"#.to_string(),
                structured_metadata: vec![("trace_id".to_string(), "abc".to_string())],
                pattern_id: None,
            },
        );
        source.add(&stream, 2, r#"{"status":500,"took":"2s","user":"bob"}"#);
        source.add(&stream, 3, "level=warn size=10KB ratio=0.5");
        let engine = Engine::new(EngineOptions::default());
        let fields = detected_fields(&engine, &source, r#"{service_name="api"}"#, 0, 10, 100, 100)
            .await
            .unwrap();
        let shape: Vec<(&str, &str, usize, Vec<&str>)> = fields
            .iter()
            .map(|f| {
                (
                    f.label.as_str(),
                    f.field_type,
                    f.cardinality,
                    f.parsers.clone(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("level", "string", 1, vec!["logfmt"]),
                ("ratio", "float", 1, vec!["logfmt"]),
                ("size", "bytes", 1, vec!["logfmt"]),
                ("status", "int", 2, vec!["json"]),
                ("took", "duration", 2, vec!["json"]),
                ("trace_id", "string", 1, vec![]),
                ("user", "string", 2, vec!["json"]),
            ]
        );
    }
}
