//! A log pipeline compiled from its stages and run on one entry at a time: the line filters,
//! the parsers that add labels, label filters, formatting, `drop`/`keep`. An entry's labels are
//! its stream's, then its structured metadata, then what parsers extract (a parsed name that a
//! stream label or structured metadata already has gets the suffix `_extracted`, as in Loki);
//! a stage that fails sets `__error__` (and `__error_details__`) instead of dropping the line.
//!
//! `pattern_id` in a label filter compares the entry's log pattern id (TelemetryHub's
//! addition: from a pattern to its lines in one query), not a label: an entry without a pattern
//! id matches no such filter.

mod filters;
mod parsers;

use std::borrow::Cow;
use std::collections::BTreeMap;

use regex::Regex;
use telemetryhub_model::Labels;

use crate::LogqlError;
use crate::ast::{LabelFormat, LineFilterOp, LineFilterValue, NamedMatcher, Stage};
use crate::source::LineFilterHint;
use crate::template::Template;
use filters::LineFilterFn;
pub(crate) use filters::{LabelFilterFn, compile_label_filter};
use parsers::{JsonFields, Logfmt, PatternParser, RegexpParser};

/// The label a failing stage sets.
pub const ERROR_LABEL: &str = "__error__";
/// The label with the failing stage's message.
pub const ERROR_DETAILS_LABEL: &str = "__error_details__";
/// The label filters read as the entry's pattern id.
pub const PATTERN_ID_LABEL: &str = "pattern_id";

/// The labels of one entry as its pipeline runs.
#[derive(Debug, Clone)]
pub struct EntryLabels<'a> {
    stream: &'a Labels,
    metadata: &'a [(String, String)],
    /// Every label: stream, structured metadata, parsed, and the error labels.
    pub labels: BTreeMap<String, String>,
    /// The entry's log pattern id.
    pub pattern_id: Option<u64>,
}

impl<'a> EntryLabels<'a> {
    /// The labels of an entry of `stream` with its structured metadata.
    pub fn new(
        stream: &'a Labels,
        metadata: &'a [(String, String)],
        pattern_id: Option<u64>,
    ) -> EntryLabels<'a> {
        let mut labels = stream.clone();
        for (name, value) in metadata {
            labels.insert(name.clone(), value.clone());
        }
        EntryLabels {
            stream,
            metadata,
            labels,
            pattern_id,
        }
    }

    /// A label's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }

    /// Sets a label a parser extracted, renamed `<name>_extracted` when the stream or the
    /// structured metadata has that name.
    pub(crate) fn set_parsed(&mut self, name: String, value: String) {
        let taken =
            self.stream.contains_key(&name) || self.metadata.iter().any(|(n, _)| *n == name);
        let name = if taken {
            format!("{name}_extracted")
        } else {
            name
        };
        self.labels.insert(name, value);
    }

    /// Whether a stage has failed on this entry.
    pub fn has_error(&self) -> bool {
        self.labels.contains_key(ERROR_LABEL)
    }

    /// Records a failure.
    pub(crate) fn set_error(&mut self, error: &str, details: impl Into<String>) {
        self.labels
            .insert(ERROR_LABEL.to_string(), error.to_string());
        let details = details.into();
        if !details.is_empty() {
            self.labels.insert(ERROR_DETAILS_LABEL.to_string(), details);
        }
    }
}

enum CompiledStage {
    LineFilter(LineFilterFn),
    Json(JsonFields),
    Logfmt(Logfmt),
    Regexp(RegexpParser),
    Pattern(PatternParser),
    Unpack,
    LabelFilter(LabelFilterFn),
    LineFormat(Template),
    Decolorize(Regex),
    LabelFormat(Vec<CompiledLabelFormat>),
    Drop(Vec<CompiledNamed>),
    Keep(Vec<CompiledNamed>),
}

enum CompiledLabelFormat {
    Rename { dst: String, src: String },
    Template { dst: String, template: Template },
}

struct CompiledNamed {
    name: String,
    matcher: Option<telemetryhub_model::SeriesMatcher>,
}

impl CompiledNamed {
    fn matches(&self, name: &str, value: &str) -> bool {
        self.name == name && self.matcher.as_ref().is_none_or(|m| m.matches(value))
    }
}

/// A compiled pipeline.
pub struct Pipeline {
    stages: Vec<CompiledStage>,
}

fn compile_named(matchers: &[NamedMatcher]) -> Result<Vec<CompiledNamed>, LogqlError> {
    matchers
        .iter()
        .map(|named| {
            Ok(match named {
                NamedMatcher::Name(name) => CompiledNamed {
                    name: name.clone(),
                    matcher: None,
                },
                NamedMatcher::Matcher(matcher) => CompiledNamed {
                    name: matcher.name.clone(),
                    matcher: Some(crate::ast::series_matcher(matcher)?),
                },
            })
        })
        .collect()
}

impl Pipeline {
    /// Compiles the stages: regexes, patterns and templates are checked here.
    pub fn compile(stages: &[Stage]) -> Result<Pipeline, LogqlError> {
        let mut compiled = Vec::with_capacity(stages.len());
        let decolorize = Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]")
            .map_err(|e| LogqlError::Invalid(e.to_string()))?;
        for stage in stages {
            compiled.push(match stage {
                Stage::LineFilter(filter) => CompiledStage::LineFilter(LineFilterFn::compile(filter)?),
                Stage::Json(extractions) => CompiledStage::Json(JsonFields::compile(extractions)?),
                Stage::Logfmt {
                    strict,
                    keep_empty,
                    extractions,
                } => CompiledStage::Logfmt(Logfmt::new(*strict, *keep_empty, extractions)),
                Stage::Regexp(regex) => CompiledStage::Regexp(RegexpParser::compile(regex)?),
                Stage::Pattern(pattern) => CompiledStage::Pattern(PatternParser::compile(pattern)?),
                Stage::Unpack => CompiledStage::Unpack,
                Stage::LabelFilter(filter) => CompiledStage::LabelFilter(compile_label_filter(filter)?),
                Stage::LineFormat(template) => CompiledStage::LineFormat(Template::parse(template)?),
                Stage::Decolorize => CompiledStage::Decolorize(decolorize.clone()),
                Stage::LabelFormat(formats) => {
                    let mut out = Vec::new();
                    for format in formats {
                        let dst = match format {
                            LabelFormat::Rename { dst, .. } | LabelFormat::Template { dst, .. } => dst,
                        };
                        if out.iter().any(|f| match f {
                            CompiledLabelFormat::Rename { dst: d, .. }
                            | CompiledLabelFormat::Template { dst: d, .. } => d == dst,
                        }) {
                            return Err(LogqlError::Invalid(format!(
                                "multiple label name '{dst}' not allowed in a single format operation"
                            )));
                        }
                        out.push(match format {
                            LabelFormat::Rename { dst, src } => CompiledLabelFormat::Rename {
                                dst: dst.clone(),
                                src: src.clone(),
                            },
                            LabelFormat::Template { dst, template } => CompiledLabelFormat::Template {
                                dst: dst.clone(),
                                template: Template::parse(template)?,
                            },
                        });
                    }
                    CompiledStage::LabelFormat(out)
                }
                Stage::Drop(matchers) => CompiledStage::Drop(compile_named(matchers)?),
                Stage::Keep(matchers) => CompiledStage::Keep(compile_named(matchers)?),
            });
        }
        Ok(Pipeline { stages: compiled })
    }

    /// Runs the pipeline on one entry: its line as the stages leave it, or `None` when a
    /// filter drops it. `labels` holds the entry's labels as the stages leave them.
    pub fn process<'l>(
        &self,
        ts_ns: i64,
        line: &'l str,
        labels: &mut EntryLabels<'_>,
    ) -> Option<Cow<'l, str>> {
        let mut line = Cow::Borrowed(line);
        for stage in &self.stages {
            match stage {
                CompiledStage::LineFilter(filter) => {
                    if !filter.matches(&line) {
                        return None;
                    }
                }
                CompiledStage::Json(json) => json.process(&line, labels),
                CompiledStage::Logfmt(logfmt) => logfmt.process(&line, labels),
                CompiledStage::Regexp(regexp) => regexp.process(&line, labels),
                CompiledStage::Pattern(pattern) => pattern.process(&line, labels),
                CompiledStage::Unpack => {
                    if let Some(entry) = parsers::unpack(&line, labels) {
                        line = Cow::Owned(entry);
                    }
                }
                CompiledStage::LabelFilter(filter) => {
                    if !filter.matches(labels) {
                        return None;
                    }
                }
                CompiledStage::LineFormat(template) => {
                    match template.render(&labels.labels, &line, ts_ns) {
                        Ok(text) => line = Cow::Owned(text),
                        Err(error) => labels.set_error("TemplateFormatErr", error),
                    }
                }
                CompiledStage::Decolorize(regex) => {
                    if let Cow::Owned(text) = regex.replace_all(&line, "") {
                        line = Cow::Owned(text);
                    }
                }
                CompiledStage::LabelFormat(formats) => {
                    // Templates see the labels as they were before this stage's first
                    // template, as in Loki.
                    let mut snapshot: Option<BTreeMap<String, String>> = None;
                    for format in formats {
                        match format {
                            CompiledLabelFormat::Rename { dst, src } => {
                                if let Some(value) = labels.labels.remove(src) {
                                    labels.labels.insert(dst.clone(), value);
                                }
                            }
                            CompiledLabelFormat::Template { dst, template } => {
                                let data = snapshot.get_or_insert_with(|| labels.labels.clone());
                                match template.render(data, &line, ts_ns) {
                                    Ok(value) => {
                                        labels.labels.insert(dst.clone(), value);
                                    }
                                    Err(error) => labels.set_error("TemplateFormatErr", error),
                                }
                            }
                        }
                    }
                }
                CompiledStage::Drop(matchers) => {
                    labels
                        .labels
                        .retain(|name, value| !matchers.iter().any(|m| m.matches(name, value)));
                }
                CompiledStage::Keep(matchers) => {
                    labels.labels.retain(|name, value| {
                        name == ERROR_LABEL
                            || name == ERROR_DETAILS_LABEL
                            || matchers.iter().any(|m| m.matches(name, value))
                    });
                }
            }
        }
        Some(line)
    }
}

/// The substring and regex filters of a pipeline that every line it keeps passes, for the
/// source to apply early: line filters before anything changes the line, with plain text
/// operands (regexes only positive, of one operand).
pub(crate) fn selection_hints(stages: &[Stage]) -> Vec<LineFilterHint> {
    let mut hints = Vec::new();
    for stage in stages {
        match stage {
            Stage::LineFormat(_) | Stage::Decolorize | Stage::Unpack => break,
            Stage::LineFilter(filter) => {
                let texts: Vec<&String> = filter
                    .values
                    .iter()
                    .filter_map(|v| match v {
                        LineFilterValue::Text(text) => Some(text),
                        LineFilterValue::Ip(_) => None,
                    })
                    .collect();
                if texts.len() != filter.values.len() {
                    continue;
                }
                match filter.op {
                    LineFilterOp::Contains if texts.len() == 1 => hints.push(LineFilterHint {
                        text: texts[0].clone(),
                        negated: false,
                        regex: false,
                    }),
                    LineFilterOp::Regex if texts.len() == 1 => hints.push(LineFilterHint {
                        text: texts[0].clone(),
                        negated: false,
                        regex: true,
                    }),
                    LineFilterOp::NotContains => {
                        hints.extend(texts.into_iter().map(|text| LineFilterHint {
                            text: text.clone(),
                            negated: true,
                            regex: false,
                        }))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    hints
}

#[cfg(test)]
mod tests;
