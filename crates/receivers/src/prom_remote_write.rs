//! Prometheus remote_write 1.0 (`POST /api/v1/write`): a `prometheus.WriteRequest` protobuf,
//! snappy-compressed (decompressed before this decoder, from `Content-Encoding: snappy`).
//!
//! Each sample becomes a metric point: `__name__` is the metric; the service is the first of the
//! labels `service_name`, `service`, `job` (else `unknown_service`); every other label is kept.
//! Non-finite samples (Prometheus' staleness markers are NaN) are skipped, since the store keeps
//! finite values only. Exemplars are returned beside the points (with the trace id of a
//! `trace_id`, `traceID` or `traceId` label), metadata as metric metadata; invalid exemplars (a
//! non-finite value, a timestamp outside the window) are skipped and counted.

use telemetryhub_model::{Exemplar, Labels, MetricMetadata, MetricPoint, normalise_trace_id};

use crate::native_json::MetricBatch;
use crate::validate;
use crate::{ItemError, Limits, ReceiveError};

/// Prometheus' wire types (`prompb/remote.proto`, `prompb/types.proto`), with prost derives.
pub mod proto {
    /// `prometheus.WriteRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct WriteRequest {
        /// The series.
        #[prost(message, repeated, tag = "1")]
        pub timeseries: Vec<TimeSeries>,
        /// Metric metadata (type, help, unit).
        #[prost(message, repeated, tag = "3")]
        pub metadata: Vec<MetricMetadata>,
    }

    /// `prometheus.TimeSeries`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct TimeSeries {
        /// Labels, `__name__` among them.
        #[prost(message, repeated, tag = "1")]
        pub labels: Vec<Label>,
        /// Samples.
        #[prost(message, repeated, tag = "2")]
        pub samples: Vec<Sample>,
        /// Exemplars.
        #[prost(message, repeated, tag = "3")]
        pub exemplars: Vec<Exemplar>,
    }

    /// `prometheus.Label`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Label {
        /// Name.
        #[prost(string, tag = "1")]
        pub name: String,
        /// Value.
        #[prost(string, tag = "2")]
        pub value: String,
    }

    /// `prometheus.Sample`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Sample {
        /// Value.
        #[prost(double, tag = "1")]
        pub value: f64,
        /// Unix milliseconds.
        #[prost(int64, tag = "2")]
        pub timestamp: i64,
    }

    /// `prometheus.Exemplar`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Exemplar {
        /// Labels (e.g. `trace_id`).
        #[prost(message, repeated, tag = "1")]
        pub labels: Vec<Label>,
        /// Value.
        #[prost(double, tag = "2")]
        pub value: f64,
        /// Unix milliseconds.
        #[prost(int64, tag = "3")]
        pub timestamp: i64,
    }

    /// `prometheus.MetricMetadata`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MetricMetadata {
        /// Metric type (counter, gauge...), as Prometheus' enum.
        #[prost(int32, tag = "1")]
        pub r#type: i32,
        /// Metric family name.
        #[prost(string, tag = "2")]
        pub metric_family_name: String,
        /// Help text.
        #[prost(string, tag = "4")]
        pub help: String,
        /// Unit.
        #[prost(string, tag = "5")]
        pub unit: String,
    }
}

/// What a write carried besides points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoteWriteExtras {
    /// Non-finite samples skipped (staleness markers among them).
    pub skipped_samples: usize,
    /// Exemplars to store.
    pub exemplars: Vec<Exemplar>,
    /// Exemplars skipped as invalid.
    pub skipped_exemplars: usize,
    /// Metric metadata to store.
    pub metadata: Vec<MetricMetadata>,
}

/// Prometheus' `MetricMetadata.MetricType` names, by number.
const METRIC_TYPES: [&str; 8] = [
    "unknown",
    "counter",
    "gauge",
    "histogram",
    "gaugehistogram",
    "summary",
    "info",
    "stateset",
];

/// The value itself for the last user, a copy for the others.
fn take_last<T: Clone>(slot: &mut Option<T>, last: bool) -> Option<T> {
    if last { slot.take() } else { slot.clone() }
}

/// Decodes and validates a remote_write body (protobuf, already snappy-decompressed).
pub fn decode_remote_write(
    body: &[u8],
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<(MetricBatch, RemoteWriteExtras), ReceiveError> {
    let request = <proto::WriteRequest as prost::Message>::decode(body)
        .map_err(|e| ReceiveError::Malformed(format!("invalid protobuf WriteRequest: {e}")))?;
    let samples: usize = request.timeseries.iter().map(|s| s.samples.len()).sum();
    if samples > limits.max_items {
        return Err(ReceiveError::TooManyItems {
            count: samples,
            limit: limits.max_items,
        });
    }
    let mut extras = RemoteWriteExtras {
        metadata: request
            .metadata
            .into_iter()
            .filter(|m| validate::check_name(&m.metric_family_name, limits).is_ok())
            .map(|m| MetricMetadata {
                tenant: tenant.to_string(),
                metric: m.metric_family_name,
                kind: usize::try_from(m.r#type)
                    .ok()
                    .and_then(|t| METRIC_TYPES.get(t))
                    .unwrap_or(&"unknown")
                    .to_string(),
                help: m.help,
                unit: m.unit,
            })
            .collect(),
        ..RemoteWriteExtras::default()
    };
    let mut batch = MetricBatch::default();
    let mut errors = Vec::new();
    let mut index = 0;
    for series in request.timeseries {
        let mut metric = None;
        let mut labels = Labels::new();
        let mut problem = None;
        for label in series.labels {
            if label.name == "__name__" {
                metric = Some(label.value);
            } else if let Err(message) = validate::check_label_name(&label.name, limits) {
                problem = Some(("labels", message));
            } else {
                labels.insert(label.name, label.value);
            }
        }
        if labels.len() > limits.max_labels {
            problem = Some((
                "labels",
                format!(
                    "has {} labels; the limit is {}",
                    labels.len(),
                    limits.max_labels
                ),
            ));
        }
        let metric = match metric {
            Some(name) => match validate::check_name(&name, limits) {
                Ok(()) => Some(name),
                Err(message) => {
                    problem = Some(("__name__", format!("metric name {message}")));
                    None
                }
            },
            None => {
                problem = Some(("__name__", "the series has no __name__ label".into()));
                None
            }
        };
        let service = ["service_name", "service", "job"]
            .iter()
            .find_map(|name| labels.get(*name))
            .cloned()
            .unwrap_or_else(|| "unknown_service".into());
        if let Err(message) = validate::check_name(&service, limits) {
            problem = Some(("job", format!("service {message}")));
        }
        if problem.is_none() {
            for exemplar in series.exemplars {
                let ts = validate::check_window(
                    exemplar.timestamp.saturating_mul(1_000_000),
                    now_ns,
                    limits,
                );
                match ts {
                    Ok(ts_ns) if exemplar.value.is_finite() => {
                        let exemplar_labels: Labels = exemplar
                            .labels
                            .into_iter()
                            .map(|l| (l.name, l.value))
                            .collect();
                        let trace_id = ["trace_id", "traceID", "traceId"]
                            .iter()
                            .find_map(|name| exemplar_labels.get(*name))
                            .and_then(|id| normalise_trace_id(id));
                        extras.exemplars.push(Exemplar {
                            tenant: tenant.to_string(),
                            service: service.clone(),
                            metric: metric.clone().unwrap_or_default(),
                            labels: labels.clone(),
                            exemplar_labels,
                            ts_ns,
                            value: exemplar.value,
                            trace_id,
                        });
                    }
                    _ => extras.skipped_exemplars += 1,
                }
            }
        }
        let samples = series.samples.len();
        let (mut service, mut metric, mut labels) = (Some(service), metric, Some(labels));
        for (position, sample) in series.samples.into_iter().enumerate() {
            if let Some((field, message)) = &problem {
                errors.push(ItemError {
                    index,
                    field: Some(field.to_string()),
                    message: message.clone(),
                });
            } else if !sample.value.is_finite() {
                extras.skipped_samples += 1;
            } else {
                match validate::check_window(
                    sample.timestamp.saturating_mul(1_000_000),
                    now_ns,
                    limits,
                ) {
                    Err(message) => errors.push(ItemError {
                        index,
                        field: Some("timestamp".into()),
                        message: format!("timestamp {message}"),
                    }),
                    Ok(ts_ns) => {
                        // Most series carry one sample per write: the last one takes the
                        // series' strings and labels instead of copies.
                        let last = position + 1 == samples;
                        batch.points.push(MetricPoint {
                            tenant: tenant.to_string(),
                            service: take_last(&mut service, last).unwrap_or_default(),
                            metric: take_last(&mut metric, last).unwrap_or_default(),
                            labels: take_last(&mut labels, last).unwrap_or_default(),
                            ts_ns,
                            value: sample.value,
                        });
                        batch.item_ids.push(None);
                    }
                }
            }
            index += 1;
        }
    }
    if !errors.is_empty() {
        return Err(ReceiveError::InvalidItems(errors));
    }
    Ok((batch, extras))
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::proto::{Exemplar, Label, MetricMetadata, Sample, TimeSeries, WriteRequest};
    use super::*;

    const NOW: i64 = 1_758_362_400_000_000_000;

    fn label(name: &str, value: &str) -> Label {
        Label {
            name: name.into(),
            value: value.into(),
        }
    }

    /// A write encoded with the wire types of Prometheus' remote.proto, as Prometheus sends it
    /// (before snappy).
    pub(crate) fn golden() -> Vec<u8> {
        WriteRequest {
            timeseries: vec![
                TimeSeries {
                    labels: vec![
                        label("__name__", "http_requests_total"),
                        label("job", "api"),
                        label("code", "200"),
                    ],
                    samples: vec![
                        Sample {
                            value: 10.0,
                            timestamp: NOW / 1_000_000 - 15_000,
                        },
                        Sample {
                            value: 12.0,
                            timestamp: NOW / 1_000_000,
                        },
                    ],
                    exemplars: vec![
                        Exemplar {
                            labels: vec![label("trace_id", "4BF92F3577B34DA6A3CE929D0E0E4736")],
                            value: 1.0,
                            timestamp: NOW / 1_000_000,
                        },
                        Exemplar {
                            labels: vec![label("trace_id", "abc")],
                            value: f64::NAN,
                            timestamp: NOW / 1_000_000,
                        },
                    ],
                },
                TimeSeries {
                    labels: vec![label("__name__", "up"), label("instance", "h:9100")],
                    // A staleness marker (Prometheus' special NaN) is skipped, not an error.
                    samples: vec![
                        Sample {
                            value: 1.0,
                            timestamp: NOW / 1_000_000,
                        },
                        Sample {
                            value: f64::from_bits(0x7ff0000000000002),
                            timestamp: NOW / 1_000_000,
                        },
                    ],
                    exemplars: vec![],
                },
            ],
            metadata: vec![MetricMetadata {
                r#type: 1,
                metric_family_name: "http_requests_total".into(),
                help: "Requests".into(),
                unit: String::new(),
            }],
        }
        .encode_to_vec()
    }

    #[test]
    fn decodes_a_golden_write() {
        let (batch, extras) = decode_remote_write(&golden(), "t", NOW, &Limits::default()).unwrap();
        assert_eq!(batch.points.len(), 3);
        let first = &batch.points[0];
        assert_eq!(
            (first.service.as_str(), first.metric.as_str(), first.value),
            ("api", "http_requests_total", 10.0)
        );
        assert_eq!(first.ts_ns, NOW - 15_000_000_000);
        assert_eq!(first.labels.get("code").map(String::as_str), Some("200"));
        assert_eq!(
            first.labels.get("job").map(String::as_str),
            Some("api"),
            "identity labels are kept"
        );
        assert_eq!(batch.points[2].service, "unknown_service");
        assert_eq!(extras.skipped_samples, 1);
        assert_eq!(extras.skipped_exemplars, 1, "a NaN exemplar is skipped");
        let [exemplar] = extras.exemplars.as_slice() else {
            panic!("one exemplar expected: {:?}", extras.exemplars);
        };
        assert_eq!(exemplar.metric, "http_requests_total");
        assert_eq!(exemplar.service, "api");
        assert_eq!(exemplar.labels, first.labels);
        assert_eq!(
            exemplar.trace_id.as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(exemplar.ts_ns, NOW);
        assert_eq!(
            extras.metadata,
            vec![telemetryhub_model::MetricMetadata {
                tenant: "t".into(),
                metric: "http_requests_total".into(),
                kind: "counter".into(),
                help: "Requests".into(),
                unit: String::new(),
            }]
        );
    }

    #[test]
    fn refuses_bad_writes() {
        assert!(matches!(
            decode_remote_write(b"\xff\xff", "t", NOW, &Limits::default()),
            Err(ReceiveError::Malformed(_))
        ));
        let nameless = WriteRequest {
            timeseries: vec![TimeSeries {
                labels: vec![label("job", "x")],
                samples: vec![Sample {
                    value: 1.0,
                    timestamp: NOW / 1_000_000,
                }],
                exemplars: vec![],
            }],
            metadata: vec![],
        };
        match decode_remote_write(&nameless.encode_to_vec(), "t", NOW, &Limits::default()) {
            Err(ReceiveError::InvalidItems(items)) => {
                assert_eq!(items[0].field.as_deref(), Some("__name__"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bodies_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = decode_remote_write(&bytes, "t", NOW, &Limits::default());
        }
    }
}
