//! TelemetryHub's own JSON ingest format (the original design's `/ingest/metrics` and
//! `/ingest/logs` bodies): one object, an array of objects, or NDJSON.

use serde_json::{Map, Value};
use telemetryhub_model::{
    Labels, Level, LogRecord, LogsWrite, MetricsWrite, SeriesBatchBuilder, SeriesKey,
};

use crate::validate;
use crate::{ItemError, Limits, ReceiveError};

mod fast;

/// How the items of a body are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// One JSON object, or a JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
}

impl BodyFormat {
    /// Picks the format from a `Content-Type` header. A missing header is read as JSON, since
    /// that is what every documented example sends.
    pub fn from_content_type(value: Option<&str>) -> Result<Self, ReceiveError> {
        let Some(raw) = value else {
            return Ok(BodyFormat::Json);
        };
        let essence = validate::media_type(raw);
        match essence.as_str() {
            "application/json" | "text/json" => Ok(BodyFormat::Json),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines" => Ok(BodyFormat::Ndjson),
            _ => Err(ReceiveError::UnsupportedContentType(raw.to_string())),
        }
    }
}

/// Decodes and validates an `/ingest/metrics` body into a write request: the points grouped by
/// series (each series' labels in their stored form, each distinct series once), with their
/// `id`s when any point carries one. Plainly typed bodies take a fast path (`fast.rs`) that gives
/// the same answer.
pub fn decode_metrics(
    body: &[u8],
    format: BodyFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<MetricsWrite, ReceiveError> {
    if body.len() <= limits.max_body_bytes
        && let Ok(text) = std::str::from_utf8(body)
        && let Some(write) = fast::decode(text, format, tenant, now_ns, limits)
    {
        return Ok(write);
    }
    decode_metrics_generally(body, format, tenant, now_ns, limits)
}

/// [`decode_metrics`] for any body: every item through `serde_json::Value`, every bad field named.
fn decode_metrics_generally(
    body: &[u8],
    format: BodyFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<MetricsWrite, ReceiveError> {
    let mut series = SeriesBatchBuilder::new(tenant);
    let mut item_ids = Vec::new();
    decode_items(body, format, limits, |index, item, errors| {
        let mut fields = Fields {
            index,
            item,
            errors,
        };
        let service = fields.required("service", |v| validate::name(v, limits));
        let metric = fields.required("metric", |v| validate::name(v, limits));
        let value = fields.required("value", validate::finite_value);
        let ts = fields.optional_with("ts", |v| validate::timestamp(v, now_ns, limits));
        let labels = fields.optional_with("labels", |v| labels(v, limits));
        let id = fields.optional_with("id", item_id);
        if let (Some(service), Some(metric), Some(value), Some(ts_ns), Some(labels), Some(id)) =
            (service, metric, value, ts, labels, id)
        {
            let key = SeriesKey {
                service,
                metric,
                // Serialising a string map cannot fail.
                labels_json: serde_json::to_string(&labels).unwrap_or_default(),
            };
            series.push(key, ts_ns, value);
            item_ids.push(id);
        }
    })?;
    if item_ids.iter().all(Option::is_none) {
        // No point carries an id: nothing to look up at write time.
        item_ids.clear();
    }
    Ok(MetricsWrite {
        item_ids,
        ..MetricsWrite::of(series.finish())
    })
}

/// Decodes and validates an `/ingest/logs` body.
pub fn decode_logs(
    body: &[u8],
    format: BodyFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<LogsWrite, ReceiveError> {
    let mut batch = LogsWrite::new(tenant);
    decode_items(body, format, limits, |index, item, errors| {
        let mut fields = Fields {
            index,
            item,
            errors,
        };
        let service = fields.required("service", |v| validate::name(v, limits));
        let level = fields.optional_with("level", level);
        let message = fields.required("message", |v| {
            let text = v
                .as_str()
                .ok_or_else(|| validate::expected("a string", v))?;
            validate::check_free_text(text, limits.max_message_len, "message")?;
            Ok(text.to_string())
        });
        let ts = fields.optional_with("ts", |v| validate::timestamp(v, now_ns, limits));
        let context = fields.optional_with("context", context);
        let trace_id = fields.optional_with("trace_id", |v| optional_hex(v, 32));
        let span_id = fields.optional_with("span_id", |v| optional_hex(v, 16));
        let id = fields.optional_with("id", item_id);
        if let (
            Some(service),
            Some(level),
            Some(message),
            Some(ts_ns),
            Some(context),
            Some(trace_id),
            Some(span_id),
            Some(id),
        ) = (service, level, message, ts, context, trace_id, span_id, id)
        {
            batch.records.push(LogRecord {
                tenant: tenant.to_string(),
                service,
                level,
                message,
                ts_ns,
                context,
                trace_id,
                span_id,
                pattern_id: None,
                stream_labels: None,
            });
            batch.item_ids.push(id);
        }
    })?;
    if batch.item_ids.iter().all(Option::is_none) {
        batch.item_ids.clear();
    }
    Ok(batch)
}

/// Splits a body into items and calls `visit` on each object; collects every error.
fn decode_items(
    body: &[u8],
    format: BodyFormat,
    limits: &Limits,
    mut visit: impl FnMut(usize, &Map<String, Value>, &mut Vec<ItemError>),
) -> Result<(), ReceiveError> {
    if body.len() > limits.max_body_bytes {
        return Err(ReceiveError::BodyTooLarge {
            limit: limits.max_body_bytes,
        });
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ReceiveError::Malformed(format!(
            "body is not valid UTF-8 (first invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let mut errors = Vec::new();
    let too_many = |count| ReceiveError::TooManyItems {
        count,
        limit: limits.max_items,
    };
    match format {
        BodyFormat::Json => {
            let parsed: Value = serde_json::from_str(text)
                .map_err(|e| ReceiveError::Malformed(format!("invalid JSON: {e}")))?;
            match parsed {
                Value::Object(item) => visit(0, &item, &mut errors),
                Value::Array(items) => {
                    if items.is_empty() {
                        return Err(ReceiveError::Malformed("the array holds no items".into()));
                    }
                    if items.len() > limits.max_items {
                        return Err(too_many(items.len()));
                    }
                    for (index, item) in items.iter().enumerate() {
                        match item {
                            Value::Object(object) => visit(index, object, &mut errors),
                            other => errors.push(ItemError {
                                index,
                                field: None,
                                message: validate::expected("an object", other),
                            }),
                        }
                    }
                }
                other => {
                    return Err(ReceiveError::Malformed(format!(
                        "body {}",
                        validate::expected("a JSON object or an array of objects", &other)
                    )));
                }
            }
        }
        BodyFormat::Ndjson => {
            let mut count = 0;
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                count += 1;
                if count > limits.max_items {
                    return Err(too_many(count));
                }
                match serde_json::from_str::<Value>(line) {
                    Ok(Value::Object(object)) => visit(index, &object, &mut errors),
                    Ok(other) => errors.push(ItemError {
                        index,
                        field: None,
                        message: validate::expected("an object", &other),
                    }),
                    Err(e) => errors.push(ItemError {
                        index,
                        field: None,
                        message: format!("invalid JSON: {e}"),
                    }),
                }
            }
            if count == 0 {
                return Err(ReceiveError::Malformed("the body holds no items".into()));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ReceiveError::InvalidItems(errors))
    }
}

/// Reads fields of one item, recording an error per bad field so that all are reported at once.
struct Fields<'a> {
    index: usize,
    item: &'a Map<String, Value>,
    errors: &'a mut Vec<ItemError>,
}

impl Fields<'_> {
    fn required<T>(
        &mut self,
        field: &str,
        check: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<T> {
        match self.item.get(field) {
            None | Some(Value::Null) => {
                self.fail(field, "is required".into());
                None
            }
            Some(value) => self.record(field, check(value)),
        }
    }

    /// `check` receives `None` when the field is absent and decides the default.
    fn optional_with<T>(
        &mut self,
        field: &str,
        check: impl FnOnce(Option<&Value>) -> Result<T, String>,
    ) -> Option<T> {
        let result = check(self.item.get(field));
        self.record(field, result)
    }

    fn record<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(field, message);
                None
            }
        }
    }

    fn fail(&mut self, field: &str, message: String) {
        self.errors.push(ItemError {
            index: self.index,
            field: Some(field.to_string()),
            message: format!("{field} {message}"),
        });
    }
}

fn labels(value: Option<&Value>, limits: &Limits) -> Result<Labels, String> {
    let object = match value {
        None | Some(Value::Null) => return Ok(Labels::new()),
        Some(Value::Object(object)) => object,
        Some(other) => return Err(validate::expected("an object of string values", other)),
    };
    if object.len() > limits.max_labels {
        return Err(format!(
            "has {} labels; the limit is {}",
            object.len(),
            limits.max_labels
        ));
    }
    let mut labels = Labels::new();
    for (name, raw) in object {
        validate::check_label_name(name, limits)?;
        // Numbers and booleans are accepted as their JSON text: agents often send `"code": 500`.
        let text = match raw {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(format!(
                    "label {name:?} {}",
                    validate::expected("a string", other)
                ));
            }
        };
        validate::check_free_text(
            &text,
            limits.max_label_value_len,
            &format!("label {name:?}"),
        )?;
        labels.insert(name.clone(), text);
    }
    Ok(labels)
}

fn level(value: Option<&Value>) -> Result<Level, String> {
    match value {
        None | Some(Value::Null) => Ok(Level::Info),
        Some(Value::String(s)) => Level::normalise(s).map_err(|e| e.to_string()),
        Some(other) => Err(validate::expected("a string", other)),
    }
}

fn context(value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(object @ Value::Object(_)) => Ok(Some(object.to_string())),
        Some(other) => Err(validate::expected("an object", other)),
    }
}

fn optional_hex(value: Option<&Value>, len: usize) -> Result<Option<String>, String> {
    value.map_or(Ok(None), |v| validate::hex_id(v, len))
}

fn item_id(value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 256 => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err("must be 1 to 256 bytes long".into()),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(validate::expected("a string", other)),
    }
}

#[cfg(test)]
mod tests;
