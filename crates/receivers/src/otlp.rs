//! OTLP logs, metrics and traces: OTLP/HTTP bodies (`POST /v1/logs`, `/v1/metrics`,
//! `/v1/traces`, protobuf or JSON) and the export requests OTLP/gRPC hands over already decoded.
//! Traces are in [`traces`]. Logs are mapped as the OpenTelemetry specification describes: `service.name` (resource) → service, severity text (else severity
//! number) → level, body → message, trace and span ids kept, and the log record's, resource's and
//! scope's attributes kept in context under `attributes`, `resource` and `scope`; a line's stream
//! labels are the resource attributes Loki's OTLP endpoint makes labels by default
//! (`service.name` as `service_name`, `k8s.namespace.name` as `k8s_namespace_name`, …).
//!
//! OTLP asks for partial success rather than all-or-nothing: records that fail validation (a
//! timestamp outside retention, say) are left out and counted, the rest stored.
//!
//! Metrics are stored under the names and labels Prometheus' own OTLP receiver gives them
//! ([`prometheus_names`], [`otlp_metrics`]), so PromQL finds them as in Prometheus.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, InstrumentationScope, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{Exemplar as OtlpExemplar, exemplar};
use serde_json::{Map, Value};
use telemetryhub_model::{
    Exemplar, Labels, Level, LogRecord, LogsWrite, MetricMetadata, MetricsWrite,
    SERVICE_NAME_LABEL, STALE_NAN_BITS, SeriesBatchBuilder, SeriesKey, UNKNOWN_SERVICE,
};

use crate::validate;
use crate::{Limits, ReceiveError};

pub mod traces;

use telemetryhub_model::prometheus_names::{self, MetricKind};

/// How an OTLP/HTTP body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpFormat {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json` (OTLP/JSON).
    Json,
}

impl OtlpFormat {
    /// Picks the encoding from `Content-Type`; OTLP/HTTP has no default.
    pub fn from_content_type(value: Option<&str>) -> Result<Self, ReceiveError> {
        let raw = value.unwrap_or("");
        match crate::validate::media_type(raw).as_str() {
            "application/x-protobuf" | "application/protobuf" => Ok(OtlpFormat::Protobuf),
            "application/json" => Ok(OtlpFormat::Json),
            _ => Err(ReceiveError::UnsupportedContentType(raw.to_string())),
        }
    }
}

/// Valid records, and how many were rejected with the first reason.
#[derive(Debug, Default)]
pub struct OtlpLogs {
    /// The records to store.
    pub batch: LogsWrite,
    /// Records left out.
    pub rejected: usize,
    /// Why the first one was left out.
    pub first_error: Option<String>,
}

/// Decodes an OTLP/HTTP body (already decompressed from any `Content-Encoding`) into an export
/// request of any signal.
pub fn decode_otlp_request<R>(
    body: &[u8],
    format: OtlpFormat,
    limits: &Limits,
) -> Result<R, ReceiveError>
where
    R: prost::Message + Default + serde::de::DeserializeOwned,
{
    if body.len() > limits.max_body_bytes {
        return Err(ReceiveError::BodyTooLarge {
            limit: limits.max_body_bytes,
        });
    }
    match format {
        OtlpFormat::Protobuf => R::decode(body)
            .map_err(|e| ReceiveError::Malformed(format!("invalid OTLP protobuf: {e}"))),
        OtlpFormat::Json => serde_json::from_slice(body)
            .map_err(|e| ReceiveError::Malformed(format!("invalid OTLP JSON: {e}"))),
    }
}

/// Decodes an OTLP logs export body; see [`otlp_logs`].
pub fn decode_otlp_logs(
    body: &[u8],
    format: OtlpFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpLogs, ReceiveError> {
    otlp_logs(
        decode_otlp_request(body, format, limits)?,
        tenant,
        now_ns,
        limits,
    )
}

/// Maps a decoded OTLP logs export request (from OTLP/HTTP or OTLP/gRPC) to log records.
pub fn otlp_logs(
    request: ExportLogsServiceRequest,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpLogs, ReceiveError> {
    let total: usize = request
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .map(|s| s.log_records.len())
        .sum();
    check_item_count(total, limits)?;
    let mut out = OtlpLogs {
        batch: LogsWrite::new(tenant),
        ..OtlpLogs::default()
    };
    for resource_logs in request.resource_logs {
        let (service, resource) = resource_of(resource_logs.resource);
        let stream_json = serde_json::to_string(&loki_stream_labels(&service, &resource)).ok();
        for scope_logs in resource_logs.scope_logs {
            let scope = scope_logs.scope.map(scope_json);
            for record in scope_logs.log_records {
                let mut reject = |reason: String| {
                    out.rejected += 1;
                    out.first_error.get_or_insert(reason);
                };
                if let Err(message) = validate::check_name(&service, limits) {
                    reject(format!("service.name {message}"));
                    continue;
                }
                let time = if record.time_unix_nano > 0 {
                    record.time_unix_nano
                } else {
                    record.observed_time_unix_nano
                };
                let ts = if time == 0 {
                    Ok(now_ns)
                } else {
                    i64::try_from(time)
                        .map_err(|_| "time out of range".to_string())
                        .and_then(|t| validate::check_window(t, now_ns, limits))
                };
                let ts_ns = match ts {
                    Ok(ts) => ts,
                    Err(message) => {
                        reject(format!("timestamp {message}"));
                        continue;
                    }
                };
                let message = record.body.as_ref().map(text_of).unwrap_or_default();
                if let Err(reason) =
                    validate::check_free_text(&message, limits.max_message_len, "body")
                {
                    reject(reason);
                    continue;
                }
                let mut context = Map::new();
                let attributes = attributes_json(&record.attributes);
                if !attributes.is_empty() {
                    context.insert("attributes".into(), Value::Object(attributes));
                }
                if !resource.is_empty() {
                    context.insert("resource".into(), Value::Object(resource.clone()));
                }
                if let Some(scope) = scope.as_ref().filter(|s| !s.is_empty()) {
                    context.insert("scope".into(), Value::Object(scope.clone()));
                }
                out.batch.records.push(LogRecord {
                    tenant: tenant.to_string(),
                    service: service.clone(),
                    level: level(&record.severity_text, record.severity_number),
                    message,
                    ts_ns,
                    context: (!context.is_empty()).then(|| Value::Object(context).to_string()),
                    trace_id: hex_id(&record.trace_id, 16),
                    span_id: hex_id(&record.span_id, 8),
                    pattern_id: None,
                    stream_labels: stream_json.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Valid metric points, and how many data points were rejected with the first reason.
#[derive(Debug, Default)]
pub struct OtlpMetrics {
    /// What to store: the points grouped by series, and their exemplars (of gauges, sums and
    /// explicit-bucket histograms, whose bucket series `<name>_bucket{le}` they are attached
    /// to; invalid ones are left out silently).
    pub write: MetricsWrite,
    /// Data points left out.
    pub rejected: usize,
    /// Why the first one was left out.
    pub first_error: Option<String>,
}

/// Decodes an OTLP metrics export body; see [`otlp_metrics`].
pub fn decode_otlp_metrics(
    body: &[u8],
    format: OtlpFormat,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpMetrics, ReceiveError> {
    otlp_metrics(
        decode_otlp_request(body, format, limits)?,
        tenant,
        now_ns,
        limits,
    )
}

/// Maps a decoded OTLP metrics export request to points, named as Prometheus' OTLP receiver
/// names them ([`prometheus_names`]: `http.server.duration` of unit `ms` is
/// `http_server_duration_milliseconds`, a monotonic sum gets `_total`, a gauge of unit `1`
/// `_ratio`). Gauges and sums become one point per data point
/// (sums as sent: cumulative stay cumulative, deltas stay deltas); histograms become
/// Prometheus-style `<name>_bucket{le}` (cumulative), `<name>_sum` and `<name>_count`;
/// exponential histograms the same with bucket bounds `base^(index+1)` of their positive
/// buckets (the zero and negative buckets lie below every positive bound, so every `le` counts
/// them); summaries `<name>{quantile}`, `_sum` and `_count`. Data point attributes become
/// labels (names sanitised: `http.method` → `http_method`); the resource's `service.name` the
/// service, and as Prometheus does, `job` (`service.namespace/service.name`, or
/// `service.name`) and `instance` (`service.instance.id`) labels; a resource with other
/// attributes gets a `target_info` series (value 1, those attributes as labels with `job` and
/// `instance`) from its first to its last point, every 150 s. Exemplars (OTLP summaries have none) are
/// kept with their series — for histograms the bucket series their value falls in. Values are
/// kept as sent, NaN and ±Inf too; a data point flagged "no recorded value" gives each of its
/// series Prometheus' staleness marker ([`STALE_NAN_BITS`]), as Prometheus' OTLP receiver does.
pub fn otlp_metrics(
    request: ExportMetricsServiceRequest,
    tenant: &str,
    now_ns: i64,
    limits: &Limits,
) -> Result<OtlpMetrics, ReceiveError> {
    use opentelemetry_proto::tonic::metrics::v1::{Gauge, Sum, metric, number_data_point};

    let mut out = OtlpMetrics::default();
    let mut series = SeriesBatchBuilder::new(tenant);
    for resource_metrics in request.resource_metrics {
        let attributes = resource_metrics
            .resource
            .map(|r| r.attributes)
            .unwrap_or_default();
        let service = service_of(&attributes);
        let resource = ResourceLabels::of(&attributes);
        // The first and last time of the resource's stored points, for `target_info`.
        let mut span: Option<(i64, i64)> = None;
        for scope_metrics in resource_metrics.scope_metrics {
            for metric in scope_metrics.metrics {
                let mut sink = PointSink {
                    out: &mut out,
                    series: &mut series,
                    tenant,
                    service: &service,
                    resource: &resource,
                    span: &mut span,
                    now_ns,
                    limits,
                    stale: false,
                };
                let kind = match &metric.data {
                    Some(metric::Data::Gauge(_)) => MetricKind::Gauge,
                    Some(metric::Data::Sum(sum)) if sum.is_monotonic => MetricKind::Counter,
                    _ => MetricKind::Other,
                };
                let name = prometheus_names::metric_name(&metric.name, &metric.unit, kind);
                let name = name.as_str();
                // The family's type, help and unit, as Prometheus' metadata API gives them.
                let family_kind = match &metric.data {
                    Some(metric::Data::Gauge(_)) => "gauge",
                    Some(metric::Data::Sum(sum)) if sum.is_monotonic => "counter",
                    Some(metric::Data::Sum(_)) => "gauge",
                    Some(metric::Data::Histogram(_))
                    | Some(metric::Data::ExponentialHistogram(_)) => "histogram",
                    Some(metric::Data::Summary(_)) => "summary",
                    None => "unknown",
                };
                if metric.data.is_some()
                    && !sink.out.write.metadata.iter().any(|m| m.metric == name)
                {
                    sink.out.write.metadata.push(MetricMetadata {
                        tenant: tenant.to_string(),
                        metric: name.to_string(),
                        kind: family_kind.to_string(),
                        help: metric.description.clone(),
                        unit: metric.unit.clone(),
                    });
                }
                match metric.data {
                    None => {}
                    // A gauge and a sum carry the same number data points; only their
                    // metadata (temporality, monotonicity) differs, and points keep it as sent.
                    Some(metric::Data::Gauge(Gauge { data_points, .. }))
                    | Some(metric::Data::Sum(Sum { data_points, .. })) => {
                        for point in data_points {
                            sink.exemplars(name, &point.attributes, None, &point.exemplars);
                            sink.stale = no_recorded_value(point.flags);
                            let value = match point.value {
                                Some(number_data_point::Value::AsDouble(v)) => v,
                                Some(number_data_point::Value::AsInt(v)) => v as f64,
                                None if sink.stale => f64::from_bits(STALE_NAN_BITS),
                                None => continue,
                            };
                            sink.push(name, &point.attributes, &[], point.time_unix_nano, value);
                        }
                    }
                    Some(metric::Data::Histogram(histogram)) => {
                        let bucket = format!("{name}_bucket");
                        for point in histogram.data_points {
                            sink.exemplars(
                                &bucket,
                                &point.attributes,
                                Some(&point.explicit_bounds),
                                &point.exemplars,
                            );
                            sink.stale = no_recorded_value(point.flags);
                            let mut cumulative = 0u64;
                            for (index, count) in point.bucket_counts.iter().enumerate() {
                                cumulative += count;
                                let le = point
                                    .explicit_bounds
                                    .get(index)
                                    .map_or("+Inf".to_string(), |b| format_bound(*b));
                                sink.push(
                                    &bucket,
                                    &point.attributes,
                                    &[("le", le)],
                                    point.time_unix_nano,
                                    cumulative as f64,
                                );
                            }
                            if point.bucket_counts.is_empty() {
                                sink.push(
                                    &bucket,
                                    &point.attributes,
                                    &[("le", "+Inf".into())],
                                    point.time_unix_nano,
                                    point.count as f64,
                                );
                            }
                            sink.push_sum_and_count(
                                name,
                                &point.attributes,
                                point.time_unix_nano,
                                point.sum,
                                point.count,
                            );
                        }
                    }
                    Some(metric::Data::ExponentialHistogram(histogram)) => {
                        let bucket = format!("{name}_bucket");
                        for point in histogram.data_points {
                            sink.stale = no_recorded_value(point.flags);
                            let base = 2f64.powf(2f64.powi(-point.scale));
                            // Positive bucket i holds (base^i, base^(i+1)]: its upper bounds are
                            // the `le` values, which exemplars are attached by too.
                            let (offset, counts) = point
                                .positive
                                .as_ref()
                                .map_or((0, &[][..]), |p| (p.offset, &p.bucket_counts[..]));
                            let bounds: Vec<f64> = (0..counts.len())
                                .map(|index| base.powi(offset + index as i32 + 1))
                                .collect();
                            sink.exemplars(
                                &bucket,
                                &point.attributes,
                                Some(&bounds),
                                &point.exemplars,
                            );
                            let mut cumulative = point.zero_count
                                + point
                                    .negative
                                    .as_ref()
                                    .map_or(0, |n| n.bucket_counts.iter().sum());
                            for (count, upper) in counts.iter().zip(&bounds) {
                                cumulative += count;
                                sink.push(
                                    &bucket,
                                    &point.attributes,
                                    &[("le", format_bound(*upper))],
                                    point.time_unix_nano,
                                    cumulative as f64,
                                );
                            }
                            sink.push(
                                &bucket,
                                &point.attributes,
                                &[("le", "+Inf".into())],
                                point.time_unix_nano,
                                point.count as f64,
                            );
                            sink.push_sum_and_count(
                                name,
                                &point.attributes,
                                point.time_unix_nano,
                                point.sum,
                                point.count,
                            );
                        }
                    }
                    Some(metric::Data::Summary(summary)) => {
                        for point in summary.data_points {
                            sink.stale = no_recorded_value(point.flags);
                            for quantile in &point.quantile_values {
                                sink.push(
                                    name,
                                    &point.attributes,
                                    &[("quantile", format_bound(quantile.quantile))],
                                    point.time_unix_nano,
                                    quantile.value,
                                );
                            }
                            sink.push_sum_and_count(
                                name,
                                &point.attributes,
                                point.time_unix_nano,
                                Some(point.sum),
                                point.count,
                            );
                        }
                    }
                }
            }
        }
        if let (Some(info), Some((first, last))) = (&resource.target_info, span) {
            let mut sink = PointSink {
                out: &mut out,
                series: &mut series,
                tenant,
                service: &service,
                resource: &resource,
                span: &mut None,
                now_ns,
                limits,
                stale: false,
            };
            let mut ts = first;
            while ts < last {
                sink.push_labels("target_info", info.clone(), ts as u64, 1.0);
                ts = ts.saturating_add(TARGET_INFO_INTERVAL_NS);
            }
            sink.push_labels("target_info", info.clone(), last as u64, 1.0);
        }
    }
    check_item_count(series.len(), limits)?;
    out.write.series = series.finish();
    Ok(out)
}

/// How often `target_info` gets a sample between a resource's first and last point: half of
/// PromQL's default lookback (5 minutes), as Prometheus' OTLP receiver writes it, so a join on
/// it finds a sample wherever the resource's series have one.
const TARGET_INFO_INTERVAL_NS: i64 = 150_000_000_000;

/// The resource attributes Prometheus' OTLP translation turns into labels of a series of its own:
/// they are `job` and `instance` (or, with `target_info`, left out of it).
const IDENTIFYING_ATTRIBUTES: [&str; 3] =
    ["service.name", "service.namespace", "service.instance.id"];

/// What a resource adds to its series' labels, as Prometheus' OTLP receiver maps it: `job`
/// (`service.namespace/service.name`, or `service.name`), `instance` (`service.instance.id`),
/// and the labels of its `target_info` series (every other resource attribute, with `job` and
/// `instance`) when it has other attributes and a `job` or `instance`.
#[derive(Debug, Default)]
struct ResourceLabels {
    job: Option<String>,
    instance: Option<String>,
    target_info: Option<Labels>,
}

impl ResourceLabels {
    fn of(attributes: &[KeyValue]) -> ResourceLabels {
        let get = |key: &str| {
            attributes
                .iter()
                .find(|kv| kv.key == key)
                .map(|kv| kv.value.as_ref().map(text_of).unwrap_or_default())
        };
        let job = get("service.name").map(|name| match get("service.namespace") {
            Some(namespace) => format!("{namespace}/{name}"),
            None => name,
        });
        let instance = get("service.instance.id");
        let others: Vec<KeyValue> = attributes
            .iter()
            .filter(|kv| !IDENTIFYING_ATTRIBUTES.contains(&kv.key.as_str()))
            .cloned()
            .collect();
        let mut resource = ResourceLabels {
            job,
            instance,
            target_info: None,
        };
        if !others.is_empty() && (resource.job.is_some() || resource.instance.is_some()) {
            resource.target_info = Some(resource.labels(&others));
        }
        resource
    }

    /// The Prometheus labels of a series with these attributes: attribute names sanitised
    /// ([`prometheus_names::label_name`]; the values of attributes whose names collide joined
    /// with `;`, in the order of the original names), then `job` and `instance`.
    fn labels(&self, attributes: &[KeyValue]) -> Labels {
        let mut sorted: Vec<&KeyValue> = attributes.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        let mut labels = Labels::new();
        for kv in sorted {
            let value = kv.value.as_ref().map(text_of).unwrap_or_default();
            labels
                .entry(prometheus_names::label_name(&kv.key))
                .and_modify(|existing: &mut String| {
                    existing.push(';');
                    existing.push_str(&value);
                })
                .or_insert(value);
        }
        if let Some(job) = &self.job {
            labels.insert("job".into(), job.clone());
        }
        if let Some(instance) = &self.instance {
            labels.insert("instance".into(), instance.clone());
        }
        labels
    }
}

/// OTLP's `DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK`: the point marks the end of its series.
const NO_RECORDED_VALUE: u32 = 1;

/// Whether a data point's flags say it has no recorded value.
fn no_recorded_value(flags: u32) -> bool {
    flags & NO_RECORDED_VALUE != 0
}

/// A bucket bound or quantile as Prometheus writes it (`0.5`, `100`, `+Inf`).
fn format_bound(bound: f64) -> String {
    if bound == f64::INFINITY {
        "+Inf".into()
    } else {
        format!("{bound}")
    }
}

/// Attributes as labels: each value as text (strings as they are, anything else as JSON).
fn labels_of(attributes: &[KeyValue]) -> Labels {
    attributes
        .iter()
        .map(|kv| {
            (
                kv.key.clone(),
                kv.value.as_ref().map(text_of).unwrap_or_default(),
            )
        })
        .collect()
}

/// An instrumentation scope's name, version and attributes as one JSON object.
fn scope_json(scope: InstrumentationScope) -> Map<String, Value> {
    let mut object = attributes_json(&scope.attributes);
    if !scope.name.is_empty() {
        object.insert("name".into(), Value::String(scope.name));
    }
    if !scope.version.is_empty() {
        object.insert("version".into(), Value::String(scope.version));
    }
    object
}

/// Refuses a request with more items than the limit.
fn check_item_count(count: usize, limits: &Limits) -> Result<(), ReceiveError> {
    if count > limits.max_items {
        return Err(ReceiveError::TooManyItems {
            count,
            limit: limits.max_items,
        });
    }
    Ok(())
}

/// A resource's service (`service.name`) and its attributes as JSON.
fn resource_of(
    resource: Option<opentelemetry_proto::tonic::resource::v1::Resource>,
) -> (String, Map<String, Value>) {
    let attributes = resource.map(|r| r.attributes).unwrap_or_default();
    (service_of(&attributes), attributes_json(&attributes))
}

/// The resource attributes Loki's OTLP endpoint makes stream labels (its defaults; the rest are
/// structured metadata), with dots turned into underscores.
const LOKI_STREAM_ATTRIBUTES: [&str; 18] = [
    "cloud.availability_zone",
    "cloud.region",
    "container.name",
    "deployment.environment",
    "deployment.environment.name",
    "k8s.cluster.name",
    "k8s.container.name",
    "k8s.cronjob.name",
    "k8s.daemonset.name",
    "k8s.deployment.name",
    "k8s.job.name",
    "k8s.namespace.name",
    "k8s.pod.name",
    "k8s.replicaset.name",
    "k8s.statefulset.name",
    "service.instance.id",
    "service.name",
    "service.namespace",
];

/// The stream labels Loki gives the logs of a resource: its default label attributes, named with
/// underscores, and always `service_name`.
fn loki_stream_labels(service: &str, resource: &Map<String, Value>) -> Labels {
    let mut labels = Labels::new();
    for name in LOKI_STREAM_ATTRIBUTES {
        let value = match resource.get(name) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Null) | None => continue,
            Some(other) => other.to_string(),
        };
        labels.insert(name.replace('.', "_"), value);
    }
    labels.insert(SERVICE_NAME_LABEL.to_string(), service.to_string());
    labels
}

fn service_of(resource_attributes: &[KeyValue]) -> String {
    resource_attributes
        .iter()
        .find(|kv| kv.key == "service.name")
        .and_then(|kv| kv.value.as_ref())
        .map(text_of)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| UNKNOWN_SERVICE.to_string())
}

/// Validates and collects the points of one metric.
struct PointSink<'a> {
    out: &'a mut OtlpMetrics,
    series: &'a mut SeriesBatchBuilder,
    tenant: &'a str,
    service: &'a str,
    /// The labels the resource adds.
    resource: &'a ResourceLabels,
    /// The first and last time of the points stored so far.
    span: &'a mut Option<(i64, i64)>,
    now_ns: i64,
    limits: &'a Limits,
    /// The current data point has no recorded value: each of its series gets Prometheus'
    /// staleness marker instead of a value, as Prometheus' OTLP receiver writes it.
    stale: bool,
}

impl PointSink<'_> {
    /// Collects the valid exemplars of one data point. With `bounds` (an explicit-bucket
    /// histogram) an exemplar belongs to the bucket series its value falls in, as Prometheus
    /// attaches them.
    fn exemplars(
        &mut self,
        metric: &str,
        attributes: &[KeyValue],
        bounds: Option<&[f64]>,
        exemplars: &[OtlpExemplar],
    ) {
        for exemplar in exemplars {
            let value = match exemplar.value {
                Some(exemplar::Value::AsDouble(v)) => v,
                Some(exemplar::Value::AsInt(v)) => v as f64,
                None => continue,
            };
            let ts = i64::try_from(exemplar.time_unix_nano)
                .map_err(|_| String::new())
                .and_then(|t| validate::check_window(t, self.now_ns, self.limits));
            let (Ok(ts_ns), true) = (ts, value.is_finite()) else {
                continue;
            };
            let mut labels = self.resource.labels(attributes);
            if let Some(bounds) = bounds {
                let le = bounds
                    .iter()
                    .find(|bound| value <= **bound)
                    .map_or("+Inf".to_string(), |b| format_bound(*b));
                labels.insert("le".into(), le);
            }
            let trace_id = hex_id(&exemplar.trace_id, 16);
            let mut exemplar_labels = labels_of(&exemplar.filtered_attributes);
            if let Some(id) = &trace_id {
                exemplar_labels.insert("trace_id".into(), id.clone());
            }
            if let Some(id) = hex_id(&exemplar.span_id, 8) {
                exemplar_labels.insert("span_id".into(), id);
            }
            self.out.write.exemplars.push(Exemplar {
                tenant: self.tenant.to_string(),
                service: self.service.to_string(),
                metric: metric.to_string(),
                labels,
                exemplar_labels,
                ts_ns,
                value,
                trace_id,
            });
        }
    }

    /// The `<name>_sum` (when the point has one) and `<name>_count` series of a histogram or
    /// summary data point.
    fn push_sum_and_count(
        &mut self,
        name: &str,
        attributes: &[KeyValue],
        time_unix_nano: u64,
        sum: Option<f64>,
        count: u64,
    ) {
        if let Some(total) = sum {
            self.push(
                &format!("{name}_sum"),
                attributes,
                &[],
                time_unix_nano,
                total,
            );
        }
        self.push(
            &format!("{name}_count"),
            attributes,
            &[],
            time_unix_nano,
            count as f64,
        );
    }

    fn push(
        &mut self,
        metric: &str,
        attributes: &[KeyValue],
        extra: &[(&str, String)],
        time_unix_nano: u64,
        value: f64,
    ) {
        let mut labels = self.resource.labels(attributes);
        for (name, label_value) in extra {
            labels.insert((*name).to_string(), label_value.clone());
        }
        self.push_labels(metric, labels, time_unix_nano, value);
    }

    /// Adds a sample of the series `metric{labels}` (Prometheus names already), or counts it
    /// rejected.
    fn push_labels(&mut self, metric: &str, labels: Labels, time_unix_nano: u64, value: f64) {
        let checked = validate::check_name(self.service, self.limits)
            .map_err(|m| format!("service.name {m}"))
            .and_then(|()| {
                validate::check_name(metric, self.limits).map_err(|m| format!("metric name {m}"))
            })
            .and_then(|()| {
                if labels.len() > self.limits.max_labels {
                    return Err(format!(
                        "{} labels; the limit is {}",
                        labels.len(),
                        self.limits.max_labels
                    ));
                }
                labels
                    .keys()
                    .try_for_each(|k| validate::check_label_name(k, self.limits))
            })
            .and_then(|()| {
                if time_unix_nano == 0 {
                    return Ok(self.now_ns);
                }
                i64::try_from(time_unix_nano)
                    .map_err(|_| "time out of range".to_string())
                    .and_then(|t| validate::check_window(t, self.now_ns, self.limits))
                    .map_err(|m| format!("timestamp {m}"))
            });
        // NaN and ±Inf are stored as sent; a point without a recorded value ends its series.
        let value = if self.stale {
            f64::from_bits(STALE_NAN_BITS)
        } else {
            value
        };
        match checked {
            Ok(ts_ns) => {
                *self.span = Some(match *self.span {
                    Some((first, last)) => (first.min(ts_ns), last.max(ts_ns)),
                    None => (ts_ns, ts_ns),
                });
                let key = SeriesKey {
                    service: self.service.to_string(),
                    metric: metric.to_string(),
                    // Serialising a string map cannot fail.
                    labels_json: serde_json::to_string(&labels).unwrap_or_default(),
                };
                self.series.push(key, ts_ns, value);
            }
            Err(reason) => {
                self.out.rejected += 1;
                self.out.first_error.get_or_insert(reason);
            }
        }
    }
}

/// Severity text when it names a level, else the severity number's range (OTLP data model:
/// 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL), else INFO.
fn level(text: &str, number: i32) -> Level {
    if let Ok(level) = Level::normalise(text) {
        return level;
    }
    match number {
        1..=4 => Level::Trace,
        5..=8 => Level::Debug,
        13..=16 => Level::Warn,
        17..=20 => Level::Error,
        21..=24 => Level::Fatal,
        _ => Level::Info,
    }
}

fn hex_id(bytes: &[u8], len: usize) -> Option<String> {
    (bytes.len() == len && bytes.iter().any(|b| *b != 0))
        .then(|| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn attributes_json(attributes: &[KeyValue]) -> Map<String, Value> {
    attributes
        .iter()
        .map(|kv| {
            (
                kv.key.clone(),
                kv.value.as_ref().map_or(Value::Null, json_of),
            )
        })
        .collect()
}

fn json_of(value: &AnyValue) -> Value {
    match &value.value {
        None => Value::Null,
        Some(any_value::Value::StringValue(s)) => Value::String(s.clone()),
        Some(any_value::Value::BoolValue(b)) => Value::Bool(*b),
        Some(any_value::Value::IntValue(i)) => Value::from(*i),
        Some(any_value::Value::DoubleValue(d)) => {
            serde_json::Number::from_f64(*d).map_or(Value::Null, Value::Number)
        }
        Some(any_value::Value::ArrayValue(array)) => {
            Value::Array(array.values.iter().map(json_of).collect())
        }
        Some(any_value::Value::KvlistValue(list)) => Value::Object(attributes_json(&list.values)),
        Some(any_value::Value::BytesValue(bytes)) => {
            Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect())
        }
        // Any other (newer) kind: kept as its debug text rather than dropped.
        Some(other) => Value::String(format!("{other:?}")),
    }
}

/// A value as text: strings as they are, everything else as JSON.
fn text_of(value: &AnyValue) -> String {
    match &value.value {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        _ => json_of(value).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry_proto::tonic::common::v1::InstrumentationScope;
    use opentelemetry_proto::tonic::logs::v1::{LogRecord as OtlpRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use prost::Message;

    use super::*;

    /// The "now" of OTLP decoding tests: 2025-09-20T10:00:00Z.
    pub(crate) const NOW: i64 = 1_758_362_400_000_000_000;

    /// A string attribute.
    pub(crate) fn string(key: &str, value: &str) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: Some(AnyValue {
                value: Some(any_value::Value::StringValue(value.into())),
            }),
            ..Default::default()
        }
    }

    pub(crate) fn request(records: Vec<OtlpRecord>) -> ExportLogsServiceRequest {
        ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                resource: Some(Resource {
                    attributes: vec![
                        string("service.name", "checkout"),
                        string("host.name", "h1"),
                        string("k8s.namespace.name", "shop"),
                    ],
                    ..Default::default()
                }),
                scope_logs: vec![ScopeLogs {
                    scope: Some(InstrumentationScope {
                        name: "app.logger".into(),
                        version: "1.2".into(),
                        ..Default::default()
                    }),
                    log_records: records,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    fn record(time: u64, severity_text: &str, severity_number: i32, body: &str) -> OtlpRecord {
        OtlpRecord {
            time_unix_nano: time,
            severity_text: severity_text.into(),
            severity_number,
            body: Some(AnyValue {
                value: Some(any_value::Value::StringValue(body.into())),
            }),
            attributes: vec![string("http.route", "/pay")],
            trace_id: (1..=16).collect(),
            span_id: (1..=8).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn maps_protobuf_logs_per_the_specification() {
        let body = request(vec![
            record(NOW as u64, "", 17, "payment failed"),
            record(0, "warning", 0, "slow"),
        ])
        .encode_to_vec();
        let out = decode_otlp_logs(
            &body,
            OtlpFormat::Protobuf,
            "t",
            NOW + 5,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(out.rejected, 0);
        let first = &out.batch.records[0];
        assert_eq!(
            (first.service.as_str(), first.level, first.ts_ns),
            ("checkout", Level::Error, NOW)
        );
        assert_eq!(first.message, "payment failed");
        assert_eq!(
            first.trace_id.as_deref(),
            Some("0102030405060708090a0b0c0d0e0f10")
        );
        assert_eq!(first.span_id.as_deref(), Some("0102030405060708"));
        let context: Value = serde_json::from_str(first.context.as_deref().unwrap()).unwrap();
        assert_eq!(context["attributes"]["http.route"], "/pay");
        assert_eq!(context["resource"]["host.name"], "h1");
        assert_eq!(context["scope"]["name"], "app.logger");
        // Loki's default label attributes make the stream; other attributes do not.
        assert_eq!(
            first.stream_labels.as_deref(),
            Some(r#"{"k8s_namespace_name":"shop","service_name":"checkout"}"#)
        );
        let second = &out.batch.records[1];
        assert_eq!(
            (second.level, second.ts_ns),
            (Level::Warn, NOW + 5),
            "no time: now"
        );
    }

    #[test]
    fn decodes_otlp_json_and_reports_partial_success() {
        let json = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
            "scopeLogs":[{"logRecords":[
                {"timeUnixNano":"1758362400000000000","severityText":"INFO","body":{"stringValue":"hello"},
                 "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},
                {"timeUnixNano":"1000000000","body":{"stringValue":"ancient"}}]}]}]}"#;
        let limits = Limits {
            max_age_ns: 86_400_000_000_000,
            ..Limits::default()
        };
        let out = decode_otlp_logs(json.as_bytes(), OtlpFormat::Json, "t", NOW, &limits).unwrap();
        assert_eq!(out.batch.records.len(), 1);
        assert_eq!(
            out.batch.records[0].trace_id.as_deref(),
            Some("5b8efff798038103d269b633813fc60c")
        );
        assert_eq!(out.rejected, 1);
        assert!(out.first_error.unwrap().contains("retention"));
    }

    /// A metrics export from service `api` with one scope holding `metrics`.
    fn metrics_request(
        metrics: Vec<opentelemetry_proto::tonic::metrics::v1::Metric>,
    ) -> opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest {
        use opentelemetry_proto::tonic::metrics::v1::{ResourceMetrics, ScopeMetrics};
        opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest {
            resource_metrics: vec![ResourceMetrics {
                resource: Some(Resource {
                    attributes: vec![string("service.name", "api")],
                    ..Default::default()
                }),
                scope_metrics: vec![ScopeMetrics {
                    metrics,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    #[test]
    fn maps_exponential_histograms_and_their_exemplars() {
        use opentelemetry_proto::tonic::metrics::v1::{
            ExponentialHistogram, ExponentialHistogramDataPoint, Metric,
            exponential_histogram_data_point::Buckets, metric,
        };
        let exemplar = |value: f64| OtlpExemplar {
            time_unix_nano: NOW as u64,
            value: Some(exemplar::Value::AsDouble(value)),
            trace_id: vec![0xcd; 16],
            ..Default::default()
        };
        // Scale 0: base 2. Positive buckets from offset 1: (2, 4], (4, 8], (8, 16].
        let point = ExponentialHistogramDataPoint {
            time_unix_nano: NOW as u64,
            count: 10,
            sum: Some(60.0),
            scale: 0,
            zero_count: 1,
            positive: Some(Buckets {
                offset: 1,
                bucket_counts: vec![2, 3, 3],
            }),
            negative: Some(Buckets {
                offset: 0,
                bucket_counts: vec![1],
            }),
            exemplars: vec![exemplar(5.0), exemplar(100.0), exemplar(-1.0)],
            ..Default::default()
        };
        let request = metrics_request(vec![Metric {
            name: "size".into(),
            data: Some(metric::Data::ExponentialHistogram(ExponentialHistogram {
                data_points: vec![point],
                aggregation_temporality: 2,
            })),
            ..Default::default()
        }]);
        let out = otlp_metrics(request, "t", NOW, &Limits::default()).unwrap();
        let buckets: Vec<(String, f64)> = out
            .write
            .series
            .to_points()
            .iter()
            .filter_map(|p| Some((p.labels.get("le")?.clone(), p.value)))
            .collect();
        let expected = [("4", 4.0), ("8", 7.0), ("16", 10.0), ("+Inf", 10.0)];
        assert_eq!(
            buckets,
            expected.map(|(le, v)| (le.to_string(), v)).to_vec(),
            "zero and negative counts lie below every bound"
        );
        let exemplar_buckets: Vec<(&str, f64)> = out
            .write
            .exemplars
            .iter()
            .map(|e| (e.labels.get("le").map_or("", String::as_str), e.value))
            .collect();
        assert_eq!(
            exemplar_buckets,
            vec![("8", 5.0), ("+Inf", 100.0), ("4", -1.0)]
        );
        assert!(
            out.write
                .exemplars
                .iter()
                .all(|e| e.metric == "size_bucket")
        );
        assert_eq!(
            out.write.exemplars[0].trace_id.as_deref(),
            Some("cd".repeat(16).as_str())
        );
    }

    #[test]
    fn keeps_non_finite_values_and_marks_points_without_a_value_stale() {
        use opentelemetry_proto::tonic::metrics::v1::{
            Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, metric,
            number_data_point,
        };
        let number = |value: Option<f64>, flags: u32| NumberDataPoint {
            time_unix_nano: NOW as u64,
            value: value.map(number_data_point::Value::AsDouble),
            flags,
            ..Default::default()
        };
        let request = metrics_request(vec![
            Metric {
                name: "g".into(),
                data: Some(metric::Data::Gauge(Gauge {
                    data_points: vec![
                        number(Some(f64::NAN), 0),
                        number(Some(f64::NEG_INFINITY), 0),
                        number(Some(2.0), NO_RECORDED_VALUE),
                        number(None, NO_RECORDED_VALUE),
                        number(None, 0),
                    ],
                })),
                ..Default::default()
            },
            Metric {
                name: "h".into(),
                data: Some(metric::Data::Histogram(Histogram {
                    data_points: vec![HistogramDataPoint {
                        time_unix_nano: NOW as u64,
                        count: 1,
                        sum: Some(1.0),
                        bucket_counts: vec![1, 0],
                        explicit_bounds: vec![1.0],
                        flags: NO_RECORDED_VALUE,
                        ..Default::default()
                    }],
                    aggregation_temporality: 2,
                })),
                ..Default::default()
            },
        ]);
        let out = otlp_metrics(request, "t", NOW, &Limits::default()).unwrap();
        assert_eq!(out.rejected, 0, "{:?}", out.first_error);
        let batch = &out.write.series;
        let bits: Vec<u64> = batch.values.iter().map(|v| v.to_bits()).collect();
        assert_eq!(
            &bits[..4],
            &[
                f64::NAN.to_bits(),
                f64::NEG_INFINITY.to_bits(),
                STALE_NAN_BITS,
                STALE_NAN_BITS
            ],
            "NaN and -Inf as sent; flagged points are staleness markers; a point without a \
             value or flag is left out"
        );
        // The histogram's two buckets, sum and count all end.
        assert_eq!(bits.len(), 8);
        assert!(bits[4..].iter().all(|b| *b == STALE_NAN_BITS), "{bits:x?}");
    }

    /// Prometheus' OTLP translation: names with unit and type suffixes, sanitised label names
    /// (colliding ones joined with `;`), `job` and `instance` from the resource, and a
    /// `target_info` series with the other resource attributes from the first to the last point.
    #[test]
    fn names_series_as_prometheus_otlp_receiver_does() {
        use opentelemetry_proto::tonic::metrics::v1::{
            Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics,
            ScopeMetrics, Sum, metric, number_data_point,
        };
        let at = |offset_s: i64, value: f64| NumberDataPoint {
            attributes: vec![string("http.method", "GET"), string("http_method", "get")],
            time_unix_nano: (NOW + offset_s * 1_000_000_000) as u64,
            value: Some(number_data_point::Value::AsDouble(value)),
            ..Default::default()
        };
        let request = ExportMetricsServiceRequest {
            resource_metrics: vec![ResourceMetrics {
                resource: Some(Resource {
                    attributes: vec![
                        string("service.name", "api"),
                        string("service.namespace", "shop"),
                        string("service.instance.id", "pod-1"),
                        string("host.name", "node-7"),
                    ],
                    ..Default::default()
                }),
                scope_metrics: vec![ScopeMetrics {
                    metrics: vec![
                        Metric {
                            name: "http.server.requests".into(),
                            unit: "{request}".into(),
                            data: Some(metric::Data::Sum(Sum {
                                data_points: vec![at(-400, 1.0), at(0, 2.0)],
                                aggregation_temporality: 2,
                                is_monotonic: true,
                            })),
                            ..Default::default()
                        },
                        Metric {
                            name: "cpu.utilization".into(),
                            unit: "1".into(),
                            data: Some(metric::Data::Gauge(Gauge {
                                data_points: vec![at(0, 0.5)],
                            })),
                            ..Default::default()
                        },
                        Metric {
                            name: "http.server.duration".into(),
                            unit: "s".into(),
                            data: Some(metric::Data::Histogram(Histogram {
                                data_points: vec![HistogramDataPoint {
                                    time_unix_nano: NOW as u64,
                                    count: 1,
                                    sum: Some(0.2),
                                    bucket_counts: vec![1, 0],
                                    explicit_bounds: vec![0.25],
                                    ..Default::default()
                                }],
                                aggregation_temporality: 2,
                            })),
                            ..Default::default()
                        },
                    ],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let out = otlp_metrics(request, "t", NOW, &Limits::default()).unwrap();
        assert_eq!(out.rejected, 0, "{:?}", out.first_error);
        let points = out.write.series.to_points();
        let names: std::collections::BTreeSet<&str> =
            points.iter().map(|p| p.metric.as_str()).collect();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            [
                "cpu_utilization_ratio",
                "http_server_duration_seconds_bucket",
                "http_server_duration_seconds_count",
                "http_server_duration_seconds_sum",
                "http_server_requests_total",
                "target_info",
            ]
        );
        let counter = &points[0];
        assert_eq!(counter.service, "api");
        let labels: Vec<(&str, &str)> = counter
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("http_method", "GET;get"),
                ("instance", "pod-1"),
                ("job", "shop/api"),
            ]
        );
        let info: Vec<&telemetryhub_model::MetricPoint> = points
            .iter()
            .filter(|p| p.metric == "target_info")
            .collect();
        let times: Vec<i64> = info
            .iter()
            .map(|p| (p.ts_ns - NOW) / 1_000_000_000)
            .collect();
        assert_eq!(
            times,
            [-400, -250, -100, 0],
            "every 150 s, and at the last point"
        );
        assert!(info.iter().all(|p| p.value == 1.0));
        let labels: Vec<(&str, &str)> = info[0]
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("host_name", "node-7"),
                ("instance", "pod-1"),
                ("job", "shop/api")
            ]
        );
    }

    #[test]
    fn maps_metrics_to_points() {
        use opentelemetry_proto::tonic::metrics::v1::{
            Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, Sum, Summary,
            SummaryDataPoint, metric, number_data_point, summary_data_point::ValueAtQuantile,
        };
        let number = |value: f64| NumberDataPoint {
            attributes: vec![string("route", "/pay")],
            time_unix_nano: NOW as u64,
            value: Some(number_data_point::Value::AsDouble(value)),
            ..Default::default()
        };
        let metric = |name: &str, data: metric::Data| Metric {
            name: name.into(),
            data: Some(data),
            ..Default::default()
        };
        let request = metrics_request(vec![
            metric(
                "queue.depth",
                metric::Data::Gauge(Gauge {
                    data_points: vec![number(3.0)],
                }),
            ),
            metric(
                "http.requests",
                metric::Data::Sum(Sum {
                    data_points: vec![number(10.0)],
                    aggregation_temporality: 2,
                    is_monotonic: true,
                }),
            ),
            metric(
                "latency",
                metric::Data::Histogram(Histogram {
                    data_points: vec![HistogramDataPoint {
                        time_unix_nano: NOW as u64,
                        count: 6,
                        sum: Some(2.5),
                        bucket_counts: vec![1, 2, 3],
                        explicit_bounds: vec![0.1, 0.5],
                        exemplars: vec![OtlpExemplar {
                            time_unix_nano: NOW as u64,
                            value: Some(exemplar::Value::AsDouble(0.3)),
                            trace_id: vec![0xab; 16],
                            span_id: vec![0xcd; 8],
                            filtered_attributes: vec![string("user", "7")],
                        }],
                        ..Default::default()
                    }],
                    aggregation_temporality: 2,
                }),
            ),
            metric(
                "rpc",
                metric::Data::Summary(Summary {
                    data_points: vec![SummaryDataPoint {
                        time_unix_nano: NOW as u64,
                        count: 4,
                        sum: 8.0,
                        quantile_values: vec![ValueAtQuantile {
                            quantile: 0.5,
                            value: 1.5,
                        }],
                        ..Default::default()
                    }],
                }),
            ),
            metric(
                "broken",
                metric::Data::Gauge(Gauge {
                    data_points: vec![NumberDataPoint {
                        time_unix_nano: 5,
                        ..number(1.0)
                    }],
                }),
            ),
        ]);
        let limits = Limits {
            max_age_ns: 86_400_000_000_000,
            ..Limits::default()
        };
        let out = decode_otlp_metrics(
            &request.encode_to_vec(),
            OtlpFormat::Protobuf,
            "t",
            NOW,
            &limits,
        )
        .unwrap();
        let seen: Vec<(String, Option<String>, f64)> = out
            .write
            .series
            .to_points()
            .iter()
            .map(|p| {
                (
                    p.metric.clone(),
                    p.labels.get("le").or(p.labels.get("quantile")).cloned(),
                    p.value,
                )
            })
            .collect();
        // Each family's type goes to the metadata store, under its Prometheus name.
        let families: Vec<(&str, &str)> = out
            .write
            .metadata
            .iter()
            .map(|m| (m.metric.as_str(), m.kind.as_str()))
            .collect();
        assert!(families.contains(&("queue_depth", "gauge")), "{families:?}");
        assert!(
            families.contains(&("http_requests_total", "counter")),
            "{families:?}"
        );
        assert!(
            families.iter().any(|(_, kind)| *kind == "histogram")
                && families.iter().any(|(_, kind)| *kind == "summary"),
            "{families:?}"
        );
        // Named as Prometheus' OTLP receiver names them: sanitised, `_total` for the monotonic sum.
        let expected: Vec<(String, Option<String>, f64)> = vec![
            ("queue_depth".into(), None, 3.0),
            ("http_requests_total".into(), None, 10.0),
            ("latency_bucket".into(), Some("0.1".into()), 1.0),
            ("latency_bucket".into(), Some("0.5".into()), 3.0),
            ("latency_bucket".into(), Some("+Inf".into()), 6.0),
            ("latency_sum".into(), None, 2.5),
            ("latency_count".into(), None, 6.0),
            ("rpc".into(), Some("0.5".into()), 1.5),
            ("rpc_sum".into(), None, 8.0),
            ("rpc_count".into(), None, 4.0),
        ];
        assert_eq!(seen, expected);
        let points = out.write.series.to_points();
        assert_eq!(points[0].service, "api");
        assert_eq!(
            points[0].labels.get("route").map(String::as_str),
            Some("/pay")
        );
        assert_eq!(
            points[0].labels.get("job").map(String::as_str),
            Some("api"),
            "service.name is the job"
        );
        assert_eq!(out.rejected, 1, "the point from 1970 is out of range");
        let [exemplar] = out.write.exemplars.as_slice() else {
            panic!("one exemplar expected: {:?}", out.write.exemplars);
        };
        assert_eq!(exemplar.metric, "latency_bucket");
        assert_eq!(
            exemplar.labels.get("le").map(String::as_str),
            Some("0.5"),
            "0.3 falls in the bucket up to 0.5"
        );
        assert_eq!(exemplar.trace_id.as_deref(), Some("ab".repeat(16).as_str()));
        assert_eq!(
            exemplar.exemplar_labels.get("span_id").map(String::as_str),
            Some("cdcdcdcdcdcdcdcd")
        );
        assert_eq!(
            exemplar.exemplar_labels.get("user").map(String::as_str),
            Some("7")
        );
    }

    #[test]
    fn refuses_malformed_bodies() {
        assert!(matches!(
            decode_otlp_logs(
                b"\xff\xff\xff",
                OtlpFormat::Protobuf,
                "t",
                NOW,
                &Limits::default()
            ),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(matches!(
            decode_otlp_logs(b"{", OtlpFormat::Json, "t", NOW, &Limits::default()),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(OtlpFormat::from_content_type(Some("text/plain")).is_err());
    }
}
