//! The parsers that turn a line into labels: `json` (every field, nested names joined with `_`,
//! or the fields named by JSON paths), `logfmt` (go-logfmt's syntax, `--strict`,
//! `--keep-empty`), `regexp` (named groups), `pattern` (`<name>` captures between literals, as
//! Loki's pattern parser matches them) and `unpack` (Promtail's packed JSON).

use regex::Regex;
use serde_json::Value;
use winnow::combinator::{alt, repeat};
use winnow::prelude::*;
use winnow::token::{take_till, take_while};

use super::EntryLabels;
use crate::LogqlError;
use crate::ast::Extraction;

/// A label name as Loki derives it from a field name: every character but `[A-Za-z0-9_]`
/// becomes `_`, and a leading digit gets a `_` before it.
pub(crate) fn sanitize(key: &str) -> String {
    let key = key.trim();
    let mut out = String::with_capacity(key.len() + 1);
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        out.push('_');
    }
    out.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    out
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// One step of a JSON path: a field or an array index.
#[derive(Debug, Clone, PartialEq)]
enum PathStep {
    Field(String),
    Index(usize),
}

fn json_path(text: &str) -> Result<Vec<PathStep>, LogqlError> {
    let field = |input: &mut &str| -> winnow::ModalResult<PathStep> {
        take_while(1.., |c: char| c != '.' && c != '[' && c != ']')
            .map(|name: &str| PathStep::Field(name.to_string()))
            .parse_next(input)
    };
    let bracket = |input: &mut &str| -> winnow::ModalResult<PathStep> {
        let quoted = (
            '"',
            take_till(0.., '"').map(|s: &str| PathStep::Field(s.to_string())),
            '"',
        )
            .map(|(_, step, _)| step);
        let index = take_while(1.., |c: char| c.is_ascii_digit())
            .try_map(|digits: &str| digits.parse::<usize>().map(PathStep::Index));
        ('[', alt((quoted, index)), ']')
            .map(|(_, step, _)| step)
            .parse_next(input)
    };
    let step = alt((('.', field).map(|(_, step)| step), bracket, field));
    let steps: Result<Vec<PathStep>, _> = repeat(1.., step).parse(text.trim());
    steps.map_err(|_| LogqlError::Invalid(format!("invalid json expression: {text}")))
}

/// `| json` or `| json a="path", b`.
pub(crate) struct JsonFields {
    fields: Vec<(String, Vec<PathStep>)>,
}

impl JsonFields {
    pub(crate) fn compile(extractions: &[Extraction]) -> Result<JsonFields, LogqlError> {
        let mut fields = Vec::new();
        for extraction in extractions {
            let path = extraction.expression.as_deref().unwrap_or(&extraction.name);
            fields.push((extraction.name.clone(), json_path(path)?));
        }
        Ok(JsonFields { fields })
    }

    pub(crate) fn process(&self, line: &str, labels: &mut EntryLabels<'_>) {
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(error) => {
                labels.set_error("JSONParserErr", error.to_string());
                return;
            }
        };
        if self.fields.is_empty() {
            let Value::Object(object) = value else {
                labels.set_error(
                    "JSONParserErr",
                    "Value looks like object, but can't find closing '}' symbol",
                );
                return;
            };
            let mut out = Vec::new();
            flatten(&mut out, "", &object);
            for (name, value) in out {
                labels.set_parsed(name, value);
            }
            return;
        }
        for (name, path) in &self.fields {
            let mut current = Some(&value);
            for step in path {
                current = match (current, step) {
                    (Some(Value::Object(object)), PathStep::Field(field)) => object.get(field),
                    (Some(Value::Array(items)), PathStep::Index(index)) => items.get(*index),
                    _ => None,
                };
            }
            let text = match current {
                Some(Value::Object(_) | Value::Array(_)) => current.map(Value::to_string),
                Some(other) => scalar_text(other),
                None => None,
            };
            labels.set_parsed(name.clone(), text.unwrap_or_default());
        }
    }
}

fn flatten(out: &mut Vec<(String, String)>, prefix: &str, object: &serde_json::Map<String, Value>) {
    for (key, value) in object {
        let sanitized = sanitize(key);
        if sanitized.is_empty() {
            continue;
        }
        let name = if prefix.is_empty() {
            sanitized
        } else {
            format!("{prefix}_{sanitized}")
        };
        match value {
            Value::Object(inner) => flatten(out, &name, inner),
            other => {
                if let Some(text) = scalar_text(other) {
                    out.push((name, text));
                }
            }
        }
    }
}

/// `| unpack`: the object's string fields become labels and `_entry` the line.
pub(crate) fn unpack(line: &str, labels: &mut EntryLabels<'_>) -> Option<String> {
    let object = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            labels.set_error("JSONParserErr", "expecting json object");
            return None;
        }
        Err(error) => {
            labels.set_error("JSONParserErr", error.to_string());
            return None;
        }
    };
    let mut entry = None;
    for (key, value) in object {
        let Value::String(text) = value else { continue };
        if key == "_entry" {
            entry = Some(text);
        } else {
            labels.set_parsed(sanitize(&key), text);
        }
    }
    entry
}

/// `| logfmt`.
pub(crate) struct Logfmt {
    strict: bool,
    keep_empty: bool,
    fields: Vec<(String, String)>,
}

/// One `key=value` of a logfmt line, or why the text there is not one.
fn logfmt_pairs(line: &str) -> Vec<Result<(String, Option<String>), String>> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(|c: char| c <= ' ');
        if rest.is_empty() {
            return out;
        }
        let key_len = rest
            .find(|c: char| c <= ' ' || c == '=' || c == '"')
            .unwrap_or(rest.len());
        if key_len == 0 {
            let skip = rest.find(|c: char| c <= ' ').unwrap_or(rest.len());
            out.push(Err(format!(
                "logfmt syntax error: unexpected '{}'",
                &rest[..1]
            )));
            rest = &rest[skip.max(1)..];
            continue;
        }
        let key = rest[..key_len].to_string();
        rest = &rest[key_len..];
        if !rest.starts_with('=') {
            if rest.starts_with('"') {
                out.push(Err("logfmt syntax error: unexpected '\"'".to_string()));
                let skip = rest.find(|c: char| c <= ' ').unwrap_or(rest.len());
                rest = &rest[skip..];
                continue;
            }
            out.push(Ok((key, None)));
            continue;
        }
        rest = &rest[1..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    '\\' => match chars.next() {
                        Some((_, 'n')) => value.push('\n'),
                        Some((_, 't')) => value.push('\t'),
                        Some((_, 'r')) => value.push('\r'),
                        Some((_, other)) => value.push(other),
                        None => break,
                    },
                    c => value.push(c),
                }
            }
            match end {
                Some(end) => {
                    rest = &quoted[end..];
                    out.push(Ok((key, Some(value))));
                }
                None => {
                    out.push(Err(
                        "logfmt syntax error: unterminated quoted value".to_string()
                    ));
                    return out;
                }
            }
        } else {
            let value_len = rest.find(|c: char| c <= ' ').unwrap_or(rest.len());
            let value = &rest[..value_len];
            rest = &rest[value_len..];
            if value.contains(['"', '=']) {
                out.push(Err(format!("logfmt syntax error: invalid value {value}")));
            } else {
                out.push(Ok((key, Some(value.to_string()))));
            }
        }
    }
}

impl Logfmt {
    pub(crate) fn new(strict: bool, keep_empty: bool, extractions: &[Extraction]) -> Logfmt {
        Logfmt {
            strict,
            keep_empty,
            fields: extractions
                .iter()
                .map(|e| {
                    (
                        e.name.clone(),
                        e.expression.clone().unwrap_or_else(|| e.name.clone()),
                    )
                })
                .collect(),
        }
    }

    pub(crate) fn process(&self, line: &str, labels: &mut EntryLabels<'_>) {
        for pair in logfmt_pairs(line) {
            let (key, value) = match pair {
                Ok(pair) => pair,
                Err(error) if self.strict => {
                    labels.set_error("LogfmtParserErr", error);
                    return;
                }
                Err(_) => continue,
            };
            let value = match value {
                Some(value) => value,
                None if self.keep_empty => String::new(),
                None => continue,
            };
            if self.fields.is_empty() {
                let name = sanitize(&key);
                if name.is_empty() || (value.is_empty() && !self.keep_empty) {
                    continue;
                }
                labels.set_parsed(name, value);
            } else {
                for (name, field) in &self.fields {
                    if *field == key {
                        labels.set_parsed(name.clone(), value.clone());
                    }
                }
            }
        }
    }
}

/// `| regexp "…"`: every named group becomes a label.
pub(crate) struct RegexpParser {
    regex: Regex,
}

impl RegexpParser {
    pub(crate) fn compile(text: &str) -> Result<RegexpParser, LogqlError> {
        let regex = Regex::new(text)
            .map_err(|e| LogqlError::Invalid(format!("invalid regex {text}: {e}")))?;
        if regex.capture_names().flatten().next().is_none() {
            return Err(LogqlError::Invalid(
                "at least one named capture must be supplied".to_string(),
            ));
        }
        for name in regex.capture_names().flatten() {
            if !crate::ast::is_label_name(name) {
                return Err(LogqlError::Invalid(format!(
                    "invalid extracted label name '{name}'"
                )));
            }
        }
        Ok(RegexpParser { regex })
    }

    pub(crate) fn process(&self, line: &str, labels: &mut EntryLabels<'_>) {
        let Some(captures) = self.regex.captures(line) else {
            return;
        };
        for name in self.regex.capture_names().flatten() {
            if let Some(value) = captures.name(name) {
                labels.set_parsed(name.to_string(), value.as_str().to_string());
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum PatternNode {
    Literal(String),
    /// A capture; `None` for `<_>`.
    Capture(Option<String>),
}

/// A pattern expression: literals and `<name>` captures.
#[derive(Debug, Clone)]
pub(crate) struct PatternExpr {
    nodes: Vec<PatternNode>,
}

impl PatternExpr {
    fn parse(text: &str) -> Result<PatternExpr, LogqlError> {
        fn capture(input: &mut &str) -> winnow::ModalResult<PatternNode> {
            (
                '<',
                take_while(1.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
                '>',
            )
                .verify(|(_, name, _): &(char, &str, char)| {
                    !name.starts_with(|c: char| c.is_ascii_digit())
                })
                .map(|(_, name, _): (char, &str, char)| {
                    PatternNode::Capture((name != "_").then(|| name.to_string()))
                })
                .parse_next(input)
        }
        fn literal(input: &mut &str) -> winnow::ModalResult<PatternNode> {
            winnow::token::any
                .map(|c: char| PatternNode::Literal(c.to_string()))
                .parse_next(input)
        }
        let nodes: Vec<PatternNode> = repeat(0.., alt((capture, literal)))
            .parse(text)
            .map_err(|_| LogqlError::Invalid(format!("invalid pattern: {text}")))?;
        let mut merged: Vec<PatternNode> = Vec::new();
        for node in nodes {
            match (merged.last_mut(), node) {
                (Some(PatternNode::Literal(text)), PatternNode::Literal(more)) => {
                    text.push_str(&more)
                }
                (Some(PatternNode::Capture(_)), PatternNode::Capture(_)) => {
                    return Err(LogqlError::Invalid(format!(
                        "found consecutive capture: invalid expression: {text}"
                    )));
                }
                (_, node) => merged.push(node),
            }
        }
        Ok(PatternExpr { nodes: merged })
    }

    /// A pattern of a line filter (`|> "<_> error <_>"`): unnamed captures only.
    pub(crate) fn parse_line_filter(text: &str) -> Result<PatternExpr, LogqlError> {
        let expr = PatternExpr::parse(text)?;
        if expr
            .nodes
            .iter()
            .any(|n| matches!(n, PatternNode::Capture(Some(_))))
        {
            return Err(LogqlError::Invalid(format!(
                "named captures are not allowed: found in '{text}'"
            )));
        }
        Ok(expr)
    }

    /// Whether the whole line matches (Loki's `Test`: literals in order, captures non-empty).
    pub(crate) fn test(&self, line: &str) -> bool {
        if self.nodes.is_empty() || line.is_empty() {
            return self.nodes.is_empty() && line.is_empty();
        }
        let mut offset = 0;
        for (i, node) in self.nodes.iter().enumerate() {
            let PatternNode::Literal(literal) = node else {
                continue;
            };
            let Some(found) = line[offset..].find(literal.as_str()) else {
                return false;
            };
            if i == 0 && found != 0 {
                return false;
            }
            if i != 0 && found == 0 {
                return false;
            }
            offset += found + literal.len();
        }
        let ends_in_capture = matches!(self.nodes.last(), Some(PatternNode::Capture(_)));
        ends_in_capture == (offset != line.len())
    }

    /// The captures of a line, as Loki's `Matches` finds them: each capture runs to the next
    /// occurrence of the literal after it; a missing literal ends the match with the rest.
    fn captures<'l>(&self, line: &'l str) -> Vec<(&str, &'l str)> {
        let mut out = Vec::new();
        let mut nodes = self.nodes.as_slice();
        let mut rest = line;
        if line.is_empty() {
            return out;
        }
        if let Some(PatternNode::Literal(first)) = nodes.first() {
            if !rest.starts_with(first.as_str()) {
                return out;
            }
            rest = &rest[first.len()..];
            nodes = &nodes[1..];
        }
        while let Some(PatternNode::Capture(name)) = nodes.first() {
            let Some(PatternNode::Literal(literal)) = nodes.get(1) else {
                if let Some(name) = name {
                    out.push((name.as_str(), rest));
                }
                return out;
            };
            match rest.find(literal.as_str()) {
                None => {
                    if let Some(name) = name {
                        out.push((name.as_str(), rest));
                    }
                    return out;
                }
                Some(at) => {
                    if let Some(name) = name {
                        out.push((name.as_str(), &rest[..at]));
                    }
                    rest = &rest[at + literal.len()..];
                    nodes = &nodes[2..];
                }
            }
        }
        out
    }
}

/// `| pattern "…"`.
pub(crate) struct PatternParser {
    expr: PatternExpr,
}

impl PatternParser {
    pub(crate) fn compile(text: &str) -> Result<PatternParser, LogqlError> {
        let expr = PatternExpr::parse(text)?;
        let names: Vec<&String> = expr
            .nodes
            .iter()
            .filter_map(|n| match n {
                PatternNode::Capture(Some(name)) => Some(name),
                _ => None,
            })
            .collect();
        if names.is_empty() {
            return Err(LogqlError::Invalid(
                "at least one capture is required".to_string(),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(LogqlError::Invalid(format!(
                    "duplicate capture name ({name}): invalid expression"
                )));
            }
        }
        Ok(PatternParser { expr })
    }

    pub(crate) fn process(&self, line: &str, labels: &mut EntryLabels<'_>) {
        for (name, value) in self.expr.captures(line) {
            labels.set_parsed(name.to_string(), value.to_string());
        }
    }
}
