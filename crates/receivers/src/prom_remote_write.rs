//! Prometheus remote_write 1.0 (`POST /api/v1/write`): a `prometheus.WriteRequest` protobuf,
//! snappy-compressed (decompressed before this decoder, from `Content-Encoding: snappy`).
//!
//! Each series becomes a [`SeriesKey`] and its samples the batch's samples: `__name__` is the
//! metric; the service is the first of the labels `service_name`, `service`, `job` (else
//! `unknown_service`); every other label is kept. The body is decoded without a string or label
//! map per label: names and values are slices of the body, and a series' labels are written in
//! their stored form once.
//! Every sample value is kept bit for bit, non-finite ones too: Prometheus' staleness markers
//! (a NaN with the bits [`telemetryhub_model::STALE_NAN_BITS`]) end a series in PromQL, and NaN
//! and ±Inf are values PromQL computes with; they are counted in
//! [`RemoteWriteExtras::non_finite_samples`]. Exemplars are returned beside the points (with the
//! trace id of a `trace_id`, `traceID` or `traceId` label), metadata as metric metadata; invalid
//! exemplars (a non-finite value, a timestamp outside the window) are skipped and counted.

use prost::Message;
use telemetryhub_model::{
    Exemplar, Labels, LabelsJson, MetricMetadata, PROMETHEUS_SERVICE_LABELS, SeriesBatch,
    SeriesKey, UNKNOWN_SERVICE,
};

use crate::validate;

mod series_cache;
mod wire;
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

    impl Label {
        /// A label.
        pub fn new(name: &str, value: &str) -> Label {
            Label {
                name: name.to_string(),
                value: value.to_string(),
            }
        }
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
    /// Non-finite samples (staleness markers among them), stored as they are.
    pub non_finite_samples: usize,
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

fn malformed(error: impl std::fmt::Display) -> ReceiveError {
    ReceiveError::Malformed(format!("invalid protobuf WriteRequest: {error}"))
}

fn utf8(bytes: &[u8]) -> Result<&str, ReceiveError> {
    std::str::from_utf8(bytes).map_err(|_| malformed("a label is not UTF-8"))
}

/// Adds the samples of each series to a batch, or the reasons they were refused.
struct Samples<'a> {
    batch: &'a mut SeriesBatch,
    errors: Vec<ItemError>,
    /// Non-finite samples (stored as they are).
    non_finite: usize,
    /// The next sample's index in the request.
    index: usize,
    now_ns: i64,
    limits: &'a Limits,
}

impl Samples<'_> {
    /// Adds one series' samples, or refuses them all for the series' `problem`. The series is
    /// added with its first stored sample, so one whose samples are all refused leaves nothing
    /// behind.
    fn add(&mut self, samples: &[wire::SampleView], series: Result<&SeriesKey, &(&str, String)>) {
        let mut added = None;
        for sample in samples {
            match series {
                Err((field, message)) => self.errors.push(ItemError {
                    index: self.index,
                    field: Some(field.to_string()),
                    message: message.clone(),
                }),
                Ok(key) => {
                    let ts = validate::check_window(
                        sample.timestamp.saturating_mul(1_000_000),
                        self.now_ns,
                        self.limits,
                    );
                    match ts {
                        Err(message) => self.errors.push(ItemError {
                            index: self.index,
                            field: Some("timestamp".into()),
                            message: format!("timestamp {message}"),
                        }),
                        Ok(ts_ns) => {
                            if !sample.value.is_finite() {
                                self.non_finite += 1;
                            }
                            let id =
                                *added.get_or_insert_with(|| self.batch.push_series(key.clone()));
                            self.batch.push_sample(id, ts_ns, sample.value);
                        }
                    }
                }
            }
            self.index += 1;
        }
    }
}

/// Decodes and validates a remote_write body (protobuf, already snappy-decompressed).
pub fn decode_remote_write(
    body: &[u8],
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<(SeriesBatch, RemoteWriteExtras), ReceiveError> {
    let write = wire::write_request(body).map_err(malformed)?;
    let samples = write.samples.len();
    if samples > limits.max_items {
        return Err(ReceiveError::TooManyItems {
            count: samples,
            limit: limits.max_items,
        });
    }
    let mut extras = RemoteWriteExtras::default();
    for message in &write.metadata {
        let m = proto::MetricMetadata::decode(*message).map_err(malformed)?;
        if validate::check_name(&m.metric_family_name, limits).is_err() {
            continue;
        }
        extras.metadata.push(MetricMetadata {
            tenant: tenant.to_string(),
            metric: m.metric_family_name,
            kind: usize::try_from(m.r#type)
                .ok()
                .and_then(|t| METRIC_TYPES.get(t))
                .unwrap_or(&"unknown")
                .to_string(),
            help: m.help,
            unit: m.unit,
        });
    }
    let mut batch = SeriesBatch::new(tenant);
    batch.series.reserve(write.series.len());
    batch.series_of.reserve(samples);
    batch.ts_ns.reserve(samples);
    batch.values.reserve(samples);
    let mut samples_out = Samples {
        batch: &mut batch,
        errors: Vec::new(),
        non_finite: 0,
        index: 0,
        now_ns,
        limits,
    };
    let mut labels = LabelsJson::default();
    series_cache::with_cache(|cache| -> Result<(), ReceiveError> {
        for series in &write.series {
            let pairs = &write.labels[series.labels.clone()];
            let exemplars = &write.exemplars[series.exemplars.clone()];
            let samples = &write.samples[series.samples.clone()];
            // A label set decoded before (and valid then) decodes the same way now; exemplars
            // need the label map, so series carrying them take the full path.
            if exemplars.is_empty()
                && let Some(key) = cache.get(pairs, limits)
            {
                samples_out.add(samples, Ok(key));
                continue;
            }
            labels.clear();
            let mut metric = None;
            let mut problem = None;
            for (name, value) in pairs {
                let (name, value) = (utf8(name)?, utf8(value)?);
                if name == "__name__" {
                    metric = Some(value);
                } else if let Err(message) = validate::check_label_name(name, limits) {
                    problem = Some(("labels", message));
                } else {
                    labels.push(name, value);
                }
            }
            let count = labels.len();
            if count > limits.max_labels {
                problem = Some((
                    "labels",
                    format!("has {count} labels; the limit is {}", limits.max_labels),
                ));
            }
            let metric = match metric {
                Some(name) => match validate::check_name(name, limits) {
                    Ok(()) => name,
                    Err(message) => {
                        problem = Some(("__name__", format!("metric name {message}")));
                        ""
                    }
                },
                None => {
                    problem = Some(("__name__", "the series has no __name__ label".into()));
                    ""
                }
            };
            let service = PROMETHEUS_SERVICE_LABELS
                .iter()
                .find_map(|name| labels.get(name))
                .unwrap_or(UNKNOWN_SERVICE);
            if let Err(message) = validate::check_name(service, limits) {
                problem = Some(("job", format!("service {message}")));
            }
            if problem.is_none() && !exemplars.is_empty() {
                let series_labels = labels.to_labels();
                for message in exemplars {
                    let exemplar = proto::Exemplar::decode(*message).map_err(malformed)?;
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
                            let trace_id = Exemplar::trace_id_of(&exemplar_labels);
                            extras.exemplars.push(Exemplar {
                                tenant: tenant.to_string(),
                                service: service.to_string(),
                                metric: metric.to_string(),
                                labels: series_labels.clone(),
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
            if let Some(problem) = &problem {
                samples_out.add(samples, Err(problem));
                continue;
            }
            let key = SeriesKey {
                service: service.to_string(),
                metric: metric.to_string(),
                labels_json: labels.json(),
            };
            cache.insert(pairs, limits, &key);
            samples_out.add(samples, Ok(&key));
        }
        Ok(())
    })?;
    extras.non_finite_samples = samples_out.non_finite;
    let errors = samples_out.errors;
    if !errors.is_empty() {
        return Err(ReceiveError::InvalidItems(errors));
    }
    Ok((batch, extras))
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use telemetryhub_model::MetricPoint;

    use super::proto::{Exemplar, Label, MetricMetadata, Sample, TimeSeries, WriteRequest};
    use super::*;

    const NOW: i64 = 1_758_362_400_000_000_000;

    /// A write encoded with the wire types of Prometheus' remote.proto, as Prometheus sends it
    /// (before snappy).
    pub(crate) fn golden() -> Vec<u8> {
        WriteRequest {
            timeseries: vec![
                TimeSeries {
                    labels: vec![
                        Label::new("__name__", "http_requests_total"),
                        Label::new("job", "api"),
                        Label::new("code", "200"),
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
                            labels: vec![Label::new(
                                "trace_id",
                                "4BF92F3577B34DA6A3CE929D0E0E4736",
                            )],
                            value: 1.0,
                            timestamp: NOW / 1_000_000,
                        },
                        Exemplar {
                            labels: vec![Label::new("trace_id", "abc")],
                            value: f64::NAN,
                            timestamp: NOW / 1_000_000,
                        },
                    ],
                },
                TimeSeries {
                    labels: vec![
                        Label::new("__name__", "up"),
                        Label::new("instance", "h:9100"),
                    ],
                    // A staleness marker (Prometheus' special NaN) is stored as it is.
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
        assert_eq!(
            batch.len(),
            4,
            "the staleness marker is a sample like any other"
        );
        assert_eq!(batch.series.len(), 2, "a series' identity is kept once");
        assert_eq!(
            batch.values[3].to_bits(),
            telemetryhub_model::STALE_NAN_BITS,
            "the staleness marker keeps its bits"
        );
        let points = batch.to_points();
        let first = &points[0];
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
        assert_eq!(points[2].service, "unknown_service");
        assert_eq!(batch.series[1].labels_json, r#"{"instance":"h:9100"}"#);
        assert_eq!(extras.non_finite_samples, 1);
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
    fn cached_label_sets_are_checked_against_the_limits_of_each_write() {
        let body = golden();
        let (first, _) = decode_remote_write(&body, "t", NOW, &Limits::default()).unwrap();
        let (again, _) = decode_remote_write(&body, "t", NOW, &Limits::default()).unwrap();
        // Compared by bits: the golden write holds a staleness marker, and NaN != NaN.
        let bits = |b: &SeriesBatch| b.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            (&first.series, &first.series_of, &first.ts_ns, bits(&first)),
            (&again.series, &again.series_of, &again.ts_ns, bits(&again))
        );
        let strict = Limits {
            max_labels: 1,
            ..Limits::default()
        };
        assert!(matches!(
            decode_remote_write(&body, "t", NOW, &strict),
            Err(ReceiveError::InvalidItems(_))
        ));
    }

    #[test]
    fn refuses_bad_writes() {
        assert!(matches!(
            decode_remote_write(b"\xff\xff", "t", NOW, &Limits::default()),
            Err(ReceiveError::Malformed(_))
        ));
        let nameless = WriteRequest {
            timeseries: vec![TimeSeries {
                labels: vec![Label::new("job", "x")],
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

    /// A point with its value as bits, so NaNs compare equal to themselves.
    type Comparable = (String, String, Labels, i64, u64);

    fn comparable(points: Vec<MetricPoint>) -> Vec<Comparable> {
        points
            .into_iter()
            .map(|p| (p.service, p.metric, p.labels, p.ts_ns, p.value.to_bits()))
            .collect()
    }

    /// The points a write holds, decoded the straightforward way — prost messages, a label map
    /// per sample — to check the in-place reader against; `None` for a refused write.
    fn reference(body: &[u8]) -> Option<(Vec<Comparable>, usize)> {
        let limits = Limits::default();
        let request = WriteRequest::decode(body).ok()?;
        let (mut points, mut non_finite) = (Vec::new(), 0);
        for series in request.timeseries {
            let mut labels = Labels::new();
            let mut metric = None;
            let mut names_valid = true;
            for label in series.labels {
                if label.name == "__name__" {
                    metric = Some(label.value);
                } else if validate::check_label_name(&label.name, &limits).is_err() {
                    names_valid = false;
                } else {
                    labels.insert(label.name, label.value);
                }
            }
            let service = ["service_name", "service", "job"]
                .iter()
                .find_map(|name| labels.get(*name))
                .cloned()
                .unwrap_or_else(|| "unknown_service".into());
            let valid = names_valid
                && labels.len() <= limits.max_labels
                && metric
                    .as_deref()
                    .is_some_and(|m| validate::check_name(m, &limits).is_ok())
                && validate::check_name(&service, &limits).is_ok();
            for sample in series.samples {
                if !valid {
                    return None;
                }
                if !sample.value.is_finite() {
                    non_finite += 1;
                }
                let ts_ns = validate::check_window(
                    sample.timestamp.saturating_mul(1_000_000),
                    NOW,
                    &limits,
                )
                .ok()?;
                points.push(MetricPoint {
                    tenant: "t".into(),
                    service: service.clone(),
                    metric: metric.clone().unwrap_or_default(),
                    labels: labels.clone(),
                    ts_ns,
                    value: sample.value,
                });
            }
        }
        Some((comparable(points), non_finite))
    }

    fn write_request() -> impl proptest::strategy::Strategy<Value = WriteRequest> {
        use proptest::prelude::*;
        // Mostly valid series (a metric name and ordinary labels), some not: an invalid name, a
        // missing or repeated `__name__`.
        let names = prop_oneof![
            30 => prop::sample::select(vec!["job", "service", "service_name", "instance", "le"]),
            1 => prop::sample::select(vec!["__name__", "a\"b", "é", "0bad", ""]),
        ];
        let values = prop_oneof![
            20 => prop::sample::select(vec!["up", "api", "h:1", "9"]),
            1 => prop::sample::select(vec!["", "x\ny", "✓", "a\"b"]),
        ];
        let label = (names, values).prop_map(|(n, v)| Label::new(n, v));
        let metric = prop_oneof![
            40 => prop::sample::select(vec!["up", "http_requests_total"]).prop_map(Some),
            1 => Just(Some("0bad")),
            1 => Just(None),
        ];
        let value = prop_oneof![
            2 => -1e6f64..1e6,
            1 => any::<f64>(),
            1 => Just(f64::NAN),
            1 => Just(f64::from_bits(telemetryhub_model::STALE_NAN_BITS)),
        ];
        let timestamp = prop_oneof![
            40 => (NOW / 1_000_000 - 3_600_000)..(NOW / 1_000_000 + 60_000),
            1 => any::<i64>(),
        ];
        let sample = (value, timestamp).prop_map(|(value, timestamp)| Sample { value, timestamp });
        let series = (
            metric,
            prop::collection::vec(label, 0..6),
            prop::collection::vec(sample, 0..4),
        )
            .prop_map(|(metric, mut labels, samples)| {
                if let Some(metric) = metric {
                    labels.insert(labels.len() / 2, Label::new("__name__", metric));
                }
                TimeSeries {
                    labels,
                    samples,
                    exemplars: vec![],
                }
            });
        prop::collection::vec(series, 0..6).prop_map(|timeseries| WriteRequest {
            timeseries,
            metadata: vec![],
        })
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bodies_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = decode_remote_write(&bytes, "t", NOW, &Limits::default());
        }

        /// Twice: the second decoding finds every valid label set in this thread's series
        /// cache, and must agree all the same.
        #[test]
        fn the_in_place_reader_agrees_with_prost(request in write_request()) {
            let body = request.encode_to_vec();
            for _ in 0..2 {
                let decoded = decode_remote_write(&body, "t", NOW, &Limits::default())
                    .ok()
                    .map(|(batch, extras)| (comparable(batch.to_points()), extras.non_finite_samples));
                proptest::prop_assert_eq!(decoded, reference(&body));
            }
        }

        #[test]
        fn truncated_writes_are_refused_or_agree_with_prost(request in write_request(), cut in 0usize..64) {
            let body = request.encode_to_vec();
            let body = &body[..body.len().saturating_sub(cut)];
            let decoded = decode_remote_write(body, "t", NOW, &Limits::default())
                .ok()
                .map(|(batch, extras)| (comparable(batch.to_points()), extras.non_finite_samples));
            if let Some(decoded) = decoded {
                proptest::prop_assert_eq!(Some(decoded), reference(body));
            }
        }
    }
}
