//! Prometheus' JSON, written as Prometheus writes it: the success envelope
//! `{"status":"success","data":...,"warnings":[...]}` (warnings only when there are some), and
//! query values — `{"resultType","result"}` with samples as `[<unix seconds>, "<value>"]`,
//! the time a JSON number with at most three decimals (Prometheus' `MarshalTimestamp`), the
//! value a string (`NaN`, `+Inf`, shortest float: `push_value`).

use std::fmt::Write as _;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use telemetryhub_model::Labels;
use telemetryhub_promql::{Value, push_value};

/// A success answer: `data` (already JSON) in the envelope, with `warnings` when there are any.
pub(crate) fn success_raw(data: &str, warnings: &[String]) -> Response {
    let mut body = String::with_capacity(data.len() + 64);
    body.push_str(r#"{"status":"success","data":"#);
    body.push_str(data);
    if !warnings.is_empty() {
        body.push_str(r#","warnings":"#);
        push_json(&mut body, &warnings);
    }
    body.push('}');
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A success answer whose data is any serialisable value.
pub(crate) fn success<T: Serialize + ?Sized>(data: &T, warnings: &[String]) -> Response {
    let mut text = String::new();
    push_json(&mut text, data);
    success_raw(&text, warnings)
}

/// Appends `value` as JSON (our values always serialise; `null` if one ever did not).
pub(crate) fn push_json<T: Serialize + ?Sized>(out: &mut String, value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => out.push_str(&text),
        Err(_) => out.push_str("null"),
    }
}

/// A time in ms as Prometheus writes it: Unix seconds, with the milliseconds as three
/// decimals when there are any (`1435781451.781`, `1.500`, `-0.005`, `12`).
pub(crate) fn push_timestamp(out: &mut String, t_ms: i64) {
    let magnitude = t_ms.unsigned_abs();
    if t_ms < 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", magnitude / 1000);
    let fraction = magnitude % 1000;
    if fraction != 0 {
        let _ = write!(out, ".{fraction:03}");
    }
}

/// `[<time>, "<value>"]`.
pub(crate) fn push_sample(out: &mut String, t_ms: i64, value: f64) {
    out.push('[');
    push_timestamp(out, t_ms);
    out.push_str(",\"");
    push_value(out, value);
    out.push_str("\"]");
}

/// A query's value as Prometheus' `data`: `{"resultType": ..., "result": ...}`.
pub(crate) fn query_data(value: &Value) -> String {
    let mut out = String::new();
    out.push_str(r#"{"resultType":""#);
    out.push_str(value.type_name());
    out.push_str(r#"","result":"#);
    match value {
        Value::Scalar { t_ms, value } => push_sample(&mut out, *t_ms, *value),
        Value::String { t_ms, value } => {
            out.push('[');
            push_timestamp(&mut out, *t_ms);
            out.push(',');
            push_json(&mut out, value);
            out.push(']');
        }
        Value::Vector(samples) => {
            out.push('[');
            for (i, sample) in samples.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_metric(&mut out, &sample.labels);
                out.push_str(r#","value":"#);
                push_sample(&mut out, sample.t_ms, sample.value);
                out.push('}');
            }
            out.push(']');
        }
        Value::Matrix(series) => {
            out.push('[');
            for (i, one) in series.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_metric(&mut out, &one.labels);
                out.push_str(r#","values":["#);
                for (j, &(t_ms, value)) in one.points.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    push_sample(&mut out, t_ms, value);
                }
                out.push_str("]}");
            }
            out.push(']');
        }
    }
    out.push('}');
    out
}

/// `{"metric":{...}` (left open for the samples).
fn push_metric(out: &mut String, labels: &Labels) {
    out.push_str(r#"{"metric":"#);
    push_json(out, labels);
}

/// Exemplars as `query_exemplars` answers them: per series,
/// `{"seriesLabels", "exemplars": [{"labels", "value", "timestamp"}]}`.
pub(crate) fn exemplars_data(series: &[(Labels, Vec<telemetryhub_model::Exemplar>)]) -> String {
    let mut out = String::from("[");
    for (i, (labels, exemplars)) in series.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"seriesLabels":"#);
        push_json(&mut out, labels);
        out.push_str(r#","exemplars":["#);
        for (j, exemplar) in exemplars.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(r#"{"labels":"#);
            push_json(&mut out, &exemplar.exemplar_labels);
            out.push_str(r#","value":""#);
            push_value(&mut out, exemplar.value);
            out.push_str(r#"","timestamp":"#);
            push_timestamp(&mut out, exemplar.ts_ns.div_euclid(1_000_000));
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use telemetryhub_promql::{Sample, Series};

    use super::*;

    fn timestamp(t_ms: i64) -> String {
        let mut out = String::new();
        push_timestamp(&mut out, t_ms);
        out
    }

    #[test]
    fn timestamps_are_seconds_with_millisecond_decimals() {
        assert_eq!(timestamp(1_435_781_451_781), "1435781451.781");
        assert_eq!(timestamp(1_500), "1.500");
        assert_eq!(timestamp(12_000), "12");
        assert_eq!(timestamp(5), "0.005");
        assert_eq!(timestamp(-5), "-0.005");
        assert_eq!(timestamp(-1_250), "-1.250");
    }

    #[test]
    fn values_render_in_prometheus_shapes() {
        let labels: Labels = [("__name__".to_string(), "up".to_string())].into();
        let vector = Value::Vector(vec![Sample {
            labels: labels.clone(),
            t_ms: 1_000,
            value: f64::NAN,
        }]);
        assert_eq!(
            query_data(&vector),
            r#"{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1,"NaN"]}]}"#
        );
        let matrix = Value::Matrix(vec![Series {
            labels,
            points: vec![(1_000, 1.0), (16_500, f64::INFINITY)],
        }]);
        assert_eq!(
            query_data(&matrix),
            r#"{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1,"1"],[16.500,"+Inf"]]}]}"#
        );
        assert_eq!(
            query_data(&Value::Scalar {
                t_ms: 2_001,
                value: 0.5
            }),
            r#"{"resultType":"scalar","result":[2.001,"0.5"]}"#
        );
        assert_eq!(
            query_data(&Value::String {
                t_ms: 0,
                value: "a\"b".into()
            }),
            r#"{"resultType":"string","result":[0,"a\"b"]}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&query_data(&matrix)).unwrap();
        assert_eq!(parsed["result"][0]["values"][1][0], 16.5);
    }

    #[test]
    fn the_envelope_carries_warnings_only_when_there_are_some() {
        let body = |r: Response| async move {
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            assert_eq!(
                body(success(&["a"], &[])).await,
                r#"{"status":"success","data":["a"]}"#
            );
            assert_eq!(
                body(success(&["a"], &["w".to_string()])).await,
                r#"{"status":"success","data":["a"],"warnings":["w"]}"#
            );
        });
    }
}
