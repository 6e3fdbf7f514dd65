//! The subset of Go's `text/template` that `line_format` and `label_format` use, parsed with
//! winnow: text and `{{ }}` actions with `{{-`/`-}}` trimming and `/* comments */`; pipelines
//! of commands joined by `|` (the value piped in is the last argument); `.label` fields,
//! `.` (the labels, for `index . "name"`), strings, raw strings, numbers, `true`/`false`,
//! parenthesised pipelines; `if`/`else if`/`else`/`end` and `with`. No `range`, variables or
//! `define` — Loki's documentation uses none of them. Functions are in `funcs.rs`.
//!
//! Why not a crate: the Go-template crate available (`gtmpl`, passively maintained) spawns a
//! thread per parse and takes only plain function pointers, which cannot see the current line
//! and timestamp that `__line__`/`__timestamp__` return.

mod funcs;
mod printf;

use std::collections::BTreeMap;

use winnow::combinator::{alt, delimited, opt, preceded, repeat};
use winnow::prelude::*;
use winnow::token::{literal, take_until, take_while};

use crate::LogqlError;
use funcs::{Value, call};

/// One argument of a command.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// `.a.b` (only the first field means anything on a label map); `.` when empty.
    Field(Vec<String>),
    /// A function name, or `true`/`false`/`nil`.
    Ident(String),
    /// A string literal.
    Str(String),
    /// A number literal.
    Number(f64, bool),
    /// `( pipeline )`.
    Pipeline(Pipeline),
}

type Command = Vec<Operand>;
type Pipeline = Vec<Command>;

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Pipeline(Pipeline),
    If(Pipeline),
    ElseIf(Pipeline),
    With(Pipeline),
    Else,
    End,
    Comment,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Print(Pipeline),
    /// `if`/`with` (`with` sets nothing here: its pipeline is only tested), with branches.
    If {
        branches: Vec<(Pipeline, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
}

type PResult<T> = winnow::ModalResult<T>;

fn ws(input: &mut &str) -> PResult<()> {
    take_while(0.., char::is_whitespace)
        .void()
        .parse_next(input)
}

fn ident<'a>(input: &mut &'a str) -> PResult<&'a str> {
    (
        take_while(1, |c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .take()
        .parse_next(input)
}

fn string_literal(input: &mut &str) -> PResult<String> {
    let raw = delimited('`', take_until(0.., "`"), '`').map(str::to_string);
    let quoted = |input: &mut &str| -> PResult<String> {
        '"'.parse_next(input)?;
        let mut out = String::new();
        loop {
            let c = winnow::token::any.parse_next(input)?;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = winnow::token::any.parse_next(input)?;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                }
                c => out.push(c),
            }
        }
    };
    alt((raw, quoted)).parse_next(input)
}

fn number(input: &mut &str) -> PResult<(f64, bool)> {
    let text: &str = (
        opt('-'),
        take_while(1.., |c: char| c.is_ascii_digit()),
        opt(('.', take_while(0.., |c: char| c.is_ascii_digit()))),
    )
        .take()
        .parse_next(input)?;
    let is_int = !text.contains('.');
    text.parse::<f64>()
        .map(|value| (value, is_int))
        .map_err(|_| winnow::error::ErrMode::Backtrack(winnow::error::ContextError::new()))
}

fn operand(input: &mut &str) -> PResult<Operand> {
    ws(input)?;
    let field = repeat(1.., preceded('.', opt(ident))).map(|parts: Vec<Option<&str>>| {
        Operand::Field(parts.into_iter().flatten().map(str::to_string).collect())
    });
    let paren = delimited('(', pipeline, (ws, ')')).map(Operand::Pipeline);
    alt((
        field,
        string_literal.map(Operand::Str),
        number.map(|(value, is_int)| Operand::Number(value, is_int)),
        ident.map(|name: &str| Operand::Ident(name.to_string())),
        paren,
    ))
    .parse_next(input)
}

fn command(input: &mut &str) -> PResult<Command> {
    repeat(1.., operand).parse_next(input)
}

fn pipeline(input: &mut &str) -> PResult<Pipeline> {
    let first = command.parse_next(input)?;
    let rest: Vec<Command> = repeat(0.., preceded((ws, '|'), command)).parse_next(input)?;
    let mut out = vec![first];
    out.extend(rest);
    Ok(out)
}

fn action_body(input: &mut &str) -> PResult<Action> {
    ws(input)?;
    if input.starts_with("/*") {
        take_until(0.., "*/").parse_next(input)?;
        literal("*/").parse_next(input)?;
        return Ok(Action::Comment);
    }
    let mut probe = *input;
    let word = ident(&mut probe).ok();
    let after_word = |input: &mut &str, len: usize| *input = &input[len..];
    match word {
        Some("if") => {
            after_word(input, 2);
            pipeline.map(Action::If).parse_next(input)
        }
        Some("with") => {
            after_word(input, 4);
            pipeline.map(Action::With).parse_next(input)
        }
        Some("end") => {
            after_word(input, 3);
            Ok(Action::End)
        }
        Some("else") => {
            after_word(input, 4);
            ws(input)?;
            if input.starts_with("if")
                && !input[2..].starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                *input = &input[2..];
                return pipeline.map(Action::ElseIf).parse_next(input);
            }
            Ok(Action::Else)
        }
        Some("range" | "define" | "template" | "block") => {
            winnow::combinator::fail.parse_next(input)
        }
        _ => pipeline.map(Action::Pipeline).parse_next(input),
    }
}

/// Text and actions, flat, with trimming applied.
fn tokens(text: &str) -> Result<Vec<Result<String, Action>>, String> {
    let mut out: Vec<Result<String, Action>> = Vec::new();
    let mut rest = text;
    let mut trim_next = false;
    while !rest.is_empty() {
        let (chunk, after) = match rest.find("{{") {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        let mut chunk = if trim_next { chunk.trim_start() } else { chunk };
        trim_next = false;
        rest = after;
        if rest.is_empty() {
            if !chunk.is_empty() {
                out.push(Ok(chunk.to_string()));
            }
            break;
        }
        rest = &rest[2..];
        if let Some(after_dash) = rest.strip_prefix("- ") {
            chunk = chunk.trim_end();
            rest = after_dash;
        }
        if !chunk.is_empty() {
            out.push(Ok(chunk.to_string()));
        }
        let mut input = rest;
        let action = action_body
            .parse_next(&mut input)
            .map_err(|_| format!("template: unexpected text in action: {}", truncate(rest)))?;
        let _ = ws(&mut input);
        if let Some(after) = input.strip_prefix("-}}") {
            trim_next = true;
            input = after;
        } else if let Some(after) = input.strip_prefix("}}") {
            input = after;
        } else {
            return Err(format!(
                "template: unexpected \"{}\" in command",
                truncate(input)
            ));
        }
        rest = input;
        out.push(Err(action));
    }
    Ok(out)
}

fn truncate(text: &str) -> String {
    text.chars().take(20).collect()
}

/// Builds the node tree; stops at `else`/`end`, which the caller handles.
fn nest(
    tokens: &mut std::iter::Peekable<std::vec::IntoIter<Result<String, Action>>>,
) -> Result<(Vec<Node>, Option<Action>), String> {
    let mut nodes = Vec::new();
    while let Some(token) = tokens.next() {
        match token {
            Ok(text) => nodes.push(Node::Text(text)),
            Err(Action::Comment) => {}
            Err(Action::Pipeline(pipeline)) => nodes.push(Node::Print(pipeline)),
            Err(Action::If(condition) | Action::With(condition)) => {
                let mut branches = Vec::new();
                let mut condition = condition;
                let mut otherwise = Vec::new();
                loop {
                    let (body, end) = nest(tokens)?;
                    match end {
                        Some(Action::ElseIf(next)) => {
                            branches.push((condition, body));
                            condition = next;
                        }
                        Some(Action::Else) => {
                            branches.push((condition, body));
                            let (body, end) = nest(tokens)?;
                            if end != Some(Action::End) {
                                return Err("template: unexpected EOF".to_string());
                            }
                            otherwise = body;
                            break;
                        }
                        Some(Action::End) => {
                            branches.push((condition, body));
                            break;
                        }
                        _ => return Err("template: unexpected EOF".to_string()),
                    }
                }
                nodes.push(Node::If {
                    branches,
                    otherwise,
                });
            }
            Err(end @ (Action::Else | Action::ElseIf(_) | Action::End)) => {
                return Ok((nodes, Some(end)));
            }
        }
    }
    Ok((nodes, None))
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<Node>,
}

/// What a template sees while it renders.
struct Scope<'a> {
    labels: &'a BTreeMap<String, String>,
    line: &'a str,
    ts_ns: i64,
}

impl Template {
    /// Parses a template; the error is Loki's kind of message.
    pub fn parse(text: &str) -> Result<Template, LogqlError> {
        let invalid =
            |message: String| LogqlError::Invalid(format!("invalid template {text:?}: {message}"));
        let tokens = tokens(text).map_err(invalid)?;
        let mut iter = tokens.into_iter().peekable();
        let (nodes, end) = nest(&mut iter).map_err(invalid)?;
        if let Some(end) = end {
            return Err(invalid(format!("unexpected {end:?}")));
        }
        Ok(Template { nodes })
    }

    /// Renders the template over an entry's labels, line and timestamp.
    pub fn render(
        &self,
        labels: &BTreeMap<String, String>,
        line: &str,
        ts_ns: i64,
    ) -> Result<String, String> {
        let scope = Scope {
            labels,
            line,
            ts_ns,
        };
        let mut out = String::new();
        render_nodes(&self.nodes, &scope, &mut out)?;
        Ok(out)
    }
}

fn render_nodes(nodes: &[Node], scope: &Scope<'_>, out: &mut String) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Print(pipeline) => out.push_str(&eval_pipeline(pipeline, scope)?.to_text()),
            Node::If {
                branches,
                otherwise,
            } => {
                let mut taken = false;
                for (condition, body) in branches {
                    if eval_pipeline(condition, scope)?.truthy() {
                        render_nodes(body, scope, out)?;
                        taken = true;
                        break;
                    }
                }
                if !taken {
                    render_nodes(otherwise, scope, out)?;
                }
            }
        }
    }
    // Bounded output: a template cannot make a line larger than this.
    if out.len() > 1 << 20 {
        return Err("template output exceeds 1 MiB".to_string());
    }
    Ok(())
}

fn eval_operand(operand: &Operand, scope: &Scope<'_>) -> Result<Value, String> {
    Ok(match operand {
        Operand::Field(path) => match path.first() {
            None => Value::Labels,
            Some(name) => Value::Str(scope.labels.get(name).cloned().unwrap_or_default()),
        },
        Operand::Str(text) => Value::Str(text.clone()),
        Operand::Number(value, true) => Value::Int(*value as i64),
        Operand::Number(value, false) => Value::Float(*value),
        Operand::Pipeline(pipeline) => eval_pipeline(pipeline, scope)?,
        Operand::Ident(name) => match name.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "nil" => Value::Nil,
            _ => call_function(name, Vec::new(), scope)?,
        },
    })
}

fn call_function(name: &str, args: Vec<Value>, scope: &Scope<'_>) -> Result<Value, String> {
    match name {
        "__line__" => Ok(Value::Str(scope.line.to_string())),
        "__timestamp__" => Ok(Value::Time(scope.ts_ns)),
        "index" => {
            let [target, key] = <[Value; 2]>::try_from(args)
                .map_err(|_| "wrong number of args for index: want 2".to_string())?;
            match target {
                Value::Labels => Ok(Value::Str(
                    scope
                        .labels
                        .get(&key.to_text())
                        .cloned()
                        .unwrap_or_default(),
                )),
                other => Err(format!("can't index item of type {}", other.kind())),
            }
        }
        _ => call(name, args),
    }
}

fn eval_pipeline(pipeline: &Pipeline, scope: &Scope<'_>) -> Result<Value, String> {
    let mut piped: Option<Value> = None;
    for command in pipeline {
        let Some((head, rest)) = command.split_first() else {
            return Err("empty command".to_string());
        };
        let value = match head {
            Operand::Ident(name) if !matches!(name.as_str(), "true" | "false" | "nil") => {
                let mut args = rest
                    .iter()
                    .map(|operand| eval_operand(operand, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                args.extend(piped.take());
                call_function(name, args, scope)?
            }
            other => {
                if !rest.is_empty() || piped.is_some() {
                    return Err("can't give argument to non-function".to_string());
                }
                eval_operand(other, scope)?
            }
        };
        piped = Some(value);
    }
    Ok(piped.unwrap_or(Value::Nil))
}

#[cfg(test)]
mod tests;
