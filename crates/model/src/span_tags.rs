//! A span's attributes, scope, kind and status as flat key-value tags, following
//! OpenTelemetry's mapping to trace formats without OTLP's structure (Jaeger, Zipkin): the tags
//! trace search filters on are the tags Jaeger clients are shown.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{Span, SpanKind, SpanStatus};

/// One tag: a key and a scalar value.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanTag {
    /// The attribute name, e.g. `http.route`.
    pub key: String,
    /// A boolean, number or string: flat formats have no place for arrays and objects, so those
    /// are carried as their JSON text.
    pub value: Value,
}

impl SpanTag {
    /// The tag of an attribute, its value flattened to a scalar.
    pub fn new(key: impl Into<String>, value: &Value) -> SpanTag {
        let value = match value {
            Value::Bool(_) | Value::Number(_) | Value::String(_) => value.clone(),
            other => Value::String(other.to_string()),
        };
        SpanTag {
            key: key.into(),
            value,
        }
    }

    /// Whether the tag's value is `text` as a user writes it in a search: the same text for a
    /// string tag; for a boolean or number tag, `text` read as JSON (`true`, `500`, `1.5`).
    pub fn has_value(&self, text: &str) -> bool {
        match &self.value {
            Value::String(s) => s == text,
            other => serde_json::from_str::<Value>(text).ok().as_ref() == Some(other),
        }
    }
}

/// The members of a JSON object (such as a resource's or an event's attributes) as tags, in the
/// object's order; nothing when `object` is absent or not an object.
pub fn object_tags(object: Option<&Value>) -> Vec<SpanTag> {
    object
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| SpanTag::new(k, v)).collect())
        .unwrap_or_default()
}

impl Span {
    /// The stored attributes object (`attributes`, `resource`, `scope`), parsed; `Null` when the
    /// span has none (or, never expected, when they are not JSON).
    pub fn attributes_json(&self) -> Value {
        self.attributes
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or(Value::Null)
    }

    /// The span's tags; see [`Span::tags_with`].
    pub fn tags(&self) -> Vec<SpanTag> {
        self.tags_with(&self.attributes_json())
    }

    /// The span's tags, given its parsed attributes object ([`Span::attributes_json`], which
    /// callers that also need the resource have at hand): the span's own attributes, then
    /// `otel.scope.name` and `otel.scope.version`, `span.kind` (unless unspecified),
    /// `otel.status_code` with `error = true` for a failed span, and `otel.status_description`.
    pub fn tags_with(&self, attributes: &Value) -> Vec<SpanTag> {
        let mut tags = object_tags(attributes.get("attributes"));
        if let Some(name) = attributes.pointer("/scope/name") {
            tags.push(SpanTag::new("otel.scope.name", name));
        }
        if let Some(version) = attributes.pointer("/scope/version") {
            tags.push(SpanTag::new("otel.scope.version", version));
        }
        if self.kind != SpanKind::Unspecified {
            tags.push(SpanTag::new("span.kind", &json!(self.kind.as_str())));
        }
        match self.status {
            SpanStatus::Unset => {}
            SpanStatus::Ok => tags.push(SpanTag::new("otel.status_code", &json!("OK"))),
            SpanStatus::Error => {
                tags.push(SpanTag::new("otel.status_code", &json!("ERROR")));
                tags.push(SpanTag::new("error", &json!(true)));
            }
        }
        if let Some(message) = &self.status_message {
            tags.push(SpanTag::new("otel.status_description", &json!(message)));
        }
        tags
    }

    /// Whether every wanted tag (key and value as [`SpanTag::has_value`] reads it) is among the
    /// span's tags; true when nothing is wanted.
    pub fn has_tags(&self, wanted: &BTreeMap<String, String>) -> bool {
        if wanted.is_empty() {
            return true;
        }
        let tags = self.tags();
        wanted.iter().all(|(key, value)| {
            tags.iter()
                .any(|tag| tag.key == *key && tag.has_value(value))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(attributes: Value, status: SpanStatus) -> Span {
        Span {
            tenant: "t".into(),
            trace_id: "ab".repeat(16),
            span_id: "cd".repeat(8),
            parent_span_id: None,
            service: "checkout".into(),
            name: "GET /cart".into(),
            kind: SpanKind::Server,
            start_ns: 0,
            duration_ns: 1,
            status,
            status_message: (status == SpanStatus::Error).then(|| "card declined".to_string()),
            attributes: Some(attributes.to_string()),
            events: None,
            links: None,
        }
    }

    fn wanted(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn tags_follow_the_non_otlp_mapping() {
        let failed = span(
            json!({"attributes": {"http.status_code": 500, "retry": [1, 2]}, "scope": {"name": "lib"}}),
            SpanStatus::Error,
        );
        let tags: Vec<(String, Value)> = failed
            .tags()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect();
        assert_eq!(
            tags,
            vec![
                ("http.status_code".to_string(), json!(500)),
                ("retry".to_string(), json!("[1,2]")),
                ("otel.scope.name".to_string(), json!("lib")),
                ("span.kind".to_string(), json!("server")),
                ("otel.status_code".to_string(), json!("ERROR")),
                ("error".to_string(), json!(true)),
                (
                    "otel.status_description".to_string(),
                    json!("card declined")
                ),
            ]
        );
    }

    #[test]
    fn searches_match_typed_and_text_values() {
        let failed = span(
            json!({"attributes": {"http.status_code": 500, "http.route": "/cart"}}),
            SpanStatus::Error,
        );
        assert!(failed.has_tags(&BTreeMap::new()));
        assert!(failed.has_tags(&wanted(&[("http.status_code", "500"), ("error", "true")])));
        assert!(failed.has_tags(&wanted(&[("http.route", "/cart"), ("span.kind", "server")])));
        assert!(!failed.has_tags(&wanted(&[("http.status_code", "404")])));
        assert!(!failed.has_tags(&wanted(&[("http.route", "/cart"), ("missing", "x")])));
        let fine = span(json!({"attributes": {}}), SpanStatus::Ok);
        assert!(!fine.has_tags(&wanted(&[("error", "true")])));
        assert!(fine.has_tags(&wanted(&[("otel.status_code", "OK")])));
    }

    #[test]
    fn a_span_without_attributes_has_only_its_own_tags() {
        let mut bare = span(Value::Null, SpanStatus::Unset);
        bare.attributes = None;
        bare.kind = SpanKind::Unspecified;
        assert_eq!(bare.attributes_json(), Value::Null);
        assert!(bare.tags().is_empty());
    }
}
