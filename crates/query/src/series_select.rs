//! Series by label matchers: the read path of PromQL (and of the Prometheus API's `series`,
//! `labels` and `label values`). A stored series is seen with the label set of Prometheus: its
//! stored labels, `__name__` (the metric), and — for series written without any of the labels
//! a service is derived from (`service_name`, `service`, `job`; the native JSON API's points) —
//! `service` (the stored service), unless that is the placeholder `unknown_service`. So a
//! series written through remote_write reads back with exactly the labels it was written with.
//!
//! Names that are not valid Prometheus names — OTLP names stored as sent by versions before
//! OTLP metrics were translated at ingest (`http.server.duration_bucket`, label `http.route`) —
//! are seen translated as Prometheus' OTLP receiver translates them without suffixes
//! ([`prometheus_names::legacy_metric_name`], [`prometheus_names::legacy_label_name`]:
//! `http_server_duration_bucket`, `http_route`); stored series that come out with one label set
//! read as one series.
//!
//! Matchers on `__name__` and non-empty equalities are pushed down into the scan (an equality on
//! `__name__` as a `LIKE` pattern that also finds the stored names it is the translation of);
//! every matcher is then checked on the full label set, once per series.
//!
//! A series has at most one sample per timestamp: of samples written with one series and
//! timestamp, the one written last wins (the scan's write order: later parts over earlier ones,
//! the buffer over parts, later buffered rows over earlier ones), as flush and compaction
//! choose when they merge them.

use std::collections::HashMap;

use datafusion::arrow::array::{
    Array, AsArray, Float64Array, RecordBatch, StringArray, TimestampNanosecondArray, UInt64Array,
};
use datafusion::prelude::SessionContext;
use telemetryhub_model::{
    LabelMatcher, Labels, METRIC_NAME_LABEL, MatchOp, SeriesMatchOp, SeriesMatcher,
    prometheus_names,
};
use telemetryhub_storage::schema::Table;
use telemetryhub_storage::{DataStore, Scan, TenantScope};

use crate::{QueryError, Result};

/// The labels a stored service is derived from, in the order receivers look for them.
const SERVICE_LABELS: [&str; 3] = ["service_name", "service", "job"];

/// The service receivers store when a series names none.
const UNKNOWN_SERVICE: &str = "unknown_service";

/// Which series to read, and over which time.
#[derive(Debug, Clone)]
pub struct SeriesSelect {
    /// The tenant whose series are read.
    pub tenant: String,
    /// Every matcher must hold.
    pub matchers: Vec<SeriesMatcher>,
    /// Samples with `since_ns <= ts`.
    pub since_ns: i64,
    /// Samples with `ts <= until_ns` (inclusive, as PromQL's ranges are).
    pub until_ns: i64,
}

/// One selected series: its Prometheus label set and its samples in time order, one per
/// timestamp.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedSeries {
    /// The labels, with `__name__`.
    pub labels: Labels,
    /// Sample times, ns since the Unix epoch, strictly increasing.
    pub ts_ns: Vec<i64>,
    /// Sample values (staleness markers and NaN as stored), parallel to `ts_ns`.
    pub values: Vec<f64>,
}

/// The Prometheus label set of a stored series. Valid names are kept as stored; others are
/// translated (see the module's documentation), the values of labels whose translated names
/// collide joined with `;` in the order of the stored names, as Prometheus' OTLP receiver does.
pub fn prometheus_labels(service: &str, metric: &str, labels_json: &str) -> Result<Labels> {
    let labels: Labels = serde_json::from_str(labels_json)
        .map_err(|error| QueryError::Execution(format!("stored labels are not JSON: {error}")))?;
    Ok(prometheus_label_set(service, metric, labels))
}

/// The Prometheus label set of a stored series whose labels are already a map (see
/// [`prometheus_labels`]).
pub(crate) fn prometheus_label_set(service: &str, metric: &str, stored: Labels) -> Labels {
    let names_service = SERVICE_LABELS.iter().any(|name| stored.contains_key(*name));
    let mut labels = Labels::new();
    for (name, value) in stored {
        // A valid name stays as it is; of names that come out the same, the values are joined
        // in the order of the stored names.
        labels
            .entry(prometheus_names::legacy_label_name(&name))
            .and_modify(|existing| {
                existing.push(';');
                existing.push_str(&value);
            })
            .or_insert(value);
    }
    if !names_service && service != UNKNOWN_SERVICE && !service.is_empty() {
        labels.insert("service".to_string(), service.to_string());
    }
    labels.insert(
        METRIC_NAME_LABEL.to_string(),
        prometheus_names::legacy_metric_name(metric),
    );
    labels
}

/// The `LIKE` pattern of the stored metric names that read as `name`: `name` itself, and any
/// name that translates to it — each `_` of it may stand for a run of invalid characters, and
/// invalid characters before or after it were dropped. A superset; the exact check follows.
fn stored_names_like(name: &str) -> String {
    format!("%{}%", name.replace('_', "%"))
}

/// The scan of a selection: the time range, the metric name and the non-empty equalities on
/// stored labels pushed down.
fn scan_of(select: &SeriesSelect, columns: &[&'static str]) -> Scan {
    let mut labels = Vec::new();
    let mut metric = None;
    for matcher in &select.matchers {
        let SeriesMatchOp::Equal(value) = &matcher.op else {
            continue;
        };
        if matcher.name == METRIC_NAME_LABEL {
            metric = Some(value.clone());
        } else if !value.is_empty() && matcher.name != "service" && !matcher.name.contains('_') {
            // Checked after the scan instead: `service`, which may be derived rather than
            // stored, and names with `_`, which a stored label of another name may read as
            // (`http.route` as `http_route`).
            labels.push(LabelMatcher {
                name: matcher.name.clone(),
                op: MatchOp::Equal,
                value: value.clone(),
            });
        }
    }
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One(select.tenant.clone()),
        select.since_ns,
        select.until_ns.saturating_add(1),
    )
    .labels(&labels)
    .columns(columns);
    match metric {
        // Only a valid name can be the translation of another stored name.
        Some(name) if prometheus_names::is_metric_name(&name) => {
            scan.like("metric", stored_names_like(&name))
        }
        name => scan.equal("metric", name),
    }
}

fn strings(batch: &RecordBatch, index: usize) -> Result<&StringArray> {
    batch
        .column(index)
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| QueryError::Execution(format!("column {index} is not text")))
}

/// The series a selection matches with their samples, ordered by label set.
pub(crate) async fn select_series(
    ctx: &SessionContext,
    data: &dyn DataStore,
    select: &SeriesSelect,
) -> Result<Vec<SelectedSeries>> {
    let scan = scan_of(select, &["service", "metric", "labels", "ts", "value"]).with_write_order();
    let Some(frame) = data.scan(ctx, &scan).await? else {
        return Ok(Vec::new());
    };
    let batches = frame.collect().await?;
    // Rows grouped by stored series; `None` for a series the matchers refuse.
    let mut index: HashMap<(String, String, String), Option<usize>> = HashMap::new();
    // Each selected series' slot by its Prometheus labels.
    let mut by_labels: HashMap<Labels, usize> = HashMap::new();
    let mut series: Vec<(SelectedSeries, Vec<usize>)> = Vec::new();
    // (ts, value, write order) of each selected row.
    let mut rows: Vec<(i64, f64, u64)> = Vec::new();
    let mut row_series: Vec<usize> = Vec::new();
    for batch in &batches {
        let (services, metrics, labels) =
            (strings(batch, 0)?, strings(batch, 1)?, strings(batch, 2)?);
        let ts = batch
            .column(3)
            .as_any()
            .downcast_ref::<TimestampNanosecondArray>()
            .ok_or_else(|| QueryError::Execution("ts is not a timestamp".into()))?;
        let values: &Float64Array = batch.column(4).as_primitive();
        let orders: &UInt64Array = batch.column(5).as_primitive();
        // Rows of one series mostly come together (parts are written series by series), so
        // the previous row's series is tried before the map.
        let mut previous: Option<(usize, Option<usize>)> = None;
        for row in 0..batch.num_rows() {
            let key = (services.value(row), metrics.value(row), labels.value(row));
            let same_as_previous = previous.filter(|&(at, _)| {
                (services.value(at), metrics.value(at), labels.value(at)) == key
            });
            let owned_key = || (key.0.to_string(), key.1.to_string(), key.2.to_string());
            let slot = match same_as_previous
                .map(|(_, slot)| slot)
                .or_else(|| index.get(&owned_key()).copied())
            {
                Some(slot) => slot,
                None => {
                    let labels = prometheus_labels(key.0, key.1, key.2)?;
                    let slot = if !select.matchers.iter().all(|m| m.matches_labels(&labels)) {
                        None
                    } else if let Some(slot) = by_labels.get(&labels) {
                        // Another stored series reads with these labels: one series.
                        Some(*slot)
                    } else {
                        by_labels.insert(labels.clone(), series.len());
                        series.push((
                            SelectedSeries {
                                labels,
                                ts_ns: Vec::new(),
                                values: Vec::new(),
                            },
                            Vec::new(),
                        ));
                        Some(series.len() - 1)
                    };
                    index.insert(owned_key(), slot);
                    slot
                }
            };
            previous = Some((row, slot));
            if let Some(slot) = slot {
                if ts.is_null(row) || values.is_null(row) {
                    continue;
                }
                series[slot].1.push(rows.len());
                rows.push((ts.value(row), values.value(row), orders.value(row)));
                row_series.push(slot);
            }
        }
    }
    let mut out: Vec<SelectedSeries> = Vec::with_capacity(series.len());
    for (mut selected, row_ids) in series {
        let mut samples: Vec<(i64, f64, u64)> = row_ids.iter().map(|&id| rows[id]).collect();
        // Of samples with one timestamp, the last written is kept (stable, so of rows of one old
        // part written before parts held one row per timestamp, the later in scan order).
        samples.sort_by_key(|&(ts, _, order)| (ts, order));
        for (ts, value, _) in samples {
            if selected.ts_ns.last() == Some(&ts) {
                if let Some(last) = selected.values.last_mut() {
                    *last = value;
                }
                continue;
            }
            selected.ts_ns.push(ts);
            selected.values.push(value);
        }
        out.push(selected);
    }
    out.sort_by(|a, b| a.labels.cmp(&b.labels));
    Ok(out)
}

/// The label sets of the series a selection matches that have a sample in its time range,
/// ordered, each once.
pub(crate) async fn series_labels(
    ctx: &SessionContext,
    data: &dyn DataStore,
    select: &SeriesSelect,
) -> Result<Vec<Labels>> {
    let scan = scan_of(select, &["service", "metric", "labels"]);
    let Some(frame) = data.scan(ctx, &scan).await? else {
        return Ok(Vec::new());
    };
    let batches = frame.distinct()?.collect().await?;
    let mut out = Vec::new();
    for batch in &batches {
        let (services, metrics, labels) =
            (strings(batch, 0)?, strings(batch, 1)?, strings(batch, 2)?);
        for row in 0..batch.num_rows() {
            let labels =
                prometheus_labels(services.value(row), metrics.value(row), labels.value(row))?;
            if select.matchers.iter().all(|m| m.matches_labels(&labels)) {
                out.push(labels);
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The label sets of the series any of `selects` matches (a union: Prometheus' repeated
/// `match[]`), ordered, each once.
pub(crate) async fn series_labels_of_any(
    ctx: &SessionContext,
    data: &dyn DataStore,
    selects: &[SeriesSelect],
) -> Result<Vec<Labels>> {
    let mut out = Vec::new();
    for select in selects {
        out.extend(series_labels(ctx, data, select).await?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The label names of `series`, ordered, each once.
pub fn label_names(series: &[Labels]) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = series.iter().flat_map(|l| l.keys()).collect();
    names.into_iter().cloned().collect()
}

/// The values label `name` takes in `series`, ordered, each once (series without it add none).
pub fn label_values(series: &[Labels], name: &str) -> Vec<String> {
    let values: std::collections::BTreeSet<&String> =
        series.iter().filter_map(|l| l.get(name)).collect();
    values.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_written_labels_read_back_as_written() {
        let labels = prometheus_labels("api", "up", r#"{"instance":"h:1","job":"api"}"#).unwrap();
        let names: Vec<&str> = labels.keys().map(String::as_str).collect();
        assert_eq!(names, ["__name__", "instance", "job"]);
        let unnamed = prometheus_labels("unknown_service", "up", r#"{"instance":"h:1"}"#).unwrap();
        assert_eq!(
            unnamed.len(),
            2,
            "no service label is invented: {unnamed:?}"
        );
    }

    #[test]
    fn names_stored_untranslated_read_translated() {
        let labels = prometheus_labels(
            "bar",
            "bar.otlp.latency_bucket",
            r#"{"0code":"1","http.route":"/x","http_route":"/y","le":"0.5"}"#,
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("__name__", "bar_otlp_latency_bucket"),
                ("http_route", "/x;/y"),
                ("key_0code", "1"),
                ("le", "0.5"),
                ("service", "bar"),
            ]
        );
        assert_eq!(stored_names_like("bar_otlp"), "%bar%otlp%");
    }

    #[test]
    fn native_points_show_their_service() {
        let labels = prometheus_labels("checkout", "cpu", r#"{"host":"a"}"#).unwrap();
        assert_eq!(labels.get("service").map(String::as_str), Some("checkout"));
    }

    #[test]
    fn label_names_and_values_are_ordered_and_distinct() {
        let a = prometheus_labels("unknown_service", "up", r#"{"job":"b"}"#).unwrap();
        let b = prometheus_labels("unknown_service", "up", r#"{"job":"a","zone":"z"}"#).unwrap();
        let series = [a, b];
        assert_eq!(label_names(&series), ["__name__", "job", "zone"]);
        assert_eq!(label_values(&series, "job"), ["a", "b"]);
        assert_eq!(label_values(&series, "zone"), ["z"]);
        assert!(label_values(&series, "none").is_empty());
    }
}
