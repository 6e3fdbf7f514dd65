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
//! `__name__` as exact stored names, including those it is the translation of), and every
//! matcher as a [`SeriesFilter`] on the full label set, which the store decides once per series
//! of its parts' series indexes; every matcher is then checked again on the full label set, once
//! per series read.
//!
//! A series has at most one sample per timestamp: of samples written with one series and
//! timestamp, the one written last wins (the scan's write order: later parts over earlier ones,
//! the buffer over parts, later buffered rows over earlier ones), as flush and compaction
//! choose when they merge them.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, AsArray, DictionaryArray, Float64Array, RecordBatch, StringArray,
    TimestampNanosecondArray, UInt64Array,
};
use datafusion::arrow::datatypes::Int32Type;
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use telemetryhub_model::{
    LabelMatcher, Labels, METRIC_NAME_LABEL, MatchOp, PROMETHEUS_SERVICE_LABELS, SeriesMatchOp,
    SeriesMatcher, UNKNOWN_SERVICE, prometheus_names,
};
use telemetryhub_storage::schema::Table;
use telemetryhub_storage::{
    DataStore, MetricSeries, SamplesRead, Scan, SeriesFilter, SeriesSamples, StorageError,
    TenantScope,
};

use crate::{QueryError, Result};

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
    let names_service = PROMETHEUS_SERVICE_LABELS
        .iter()
        .any(|name| stored.contains_key(*name));
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

/// Most alternatives a name equality is widened to.
const MAX_STORED_NAMES: usize = 64;

/// The stored metric names a valid Prometheus name `name` is read from: itself, and the names
/// OTLP metrics were stored under before they were translated at ingest — each `_` may have
/// been a `.` (`bar.otlp.latency_bucket` reads as `bar_otlp_latency_bucket`). Only dots are
/// tried, and only for the first six underscores (at most 64 names): exact equalities keep the
/// scan prunable by the parts' statistics, where a pattern would test every row. Other stored
/// forms (dashes, repeated separators) are still found by a regex matcher on `__name__`.
fn stored_names(name: &str) -> Vec<String> {
    let underscores: Vec<usize> = name
        .char_indices()
        .filter(|&(_, c)| c == '_')
        .map(|(at, _)| at)
        .take(MAX_STORED_NAMES.trailing_zeros() as usize)
        .collect();
    let mut names = Vec::with_capacity(1 << underscores.len());
    for mask in 0..(1usize << underscores.len()) {
        let mut candidate = name.as_bytes().to_vec();
        for (bit, &at) in underscores.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                candidate[at] = b'.';
            }
        }
        if let Ok(candidate) = String::from_utf8(candidate) {
            // A leading `_` never came from a dot.
            if !candidate.starts_with('.') {
                names.push(candidate);
            }
        }
    }
    names
}

/// The Prometheus label sets of the stored series a selection's filter met, by stored series
/// (`None`: refused by its matchers): each part's series index meets a series again, and the
/// read of its samples needs its labels, but its stored labels are parsed once per selection.
#[derive(Default)]
struct LabelsMet(std::sync::Mutex<FoldMap<String, Option<Labels>>>);

impl LabelsMet {
    /// The key of a stored series.
    fn key(service: &str, metric: &str, labels: &str) -> String {
        let mut key = String::with_capacity(service.len() + metric.len() + labels.len() + 2);
        for part in [service, "\0", metric, "\0", labels] {
            key.push_str(part);
        }
        key
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FoldMap<String, Option<Labels>>> {
        // A panic while holding it leaves a map of complete entries.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `matchers` all hold on a stored series' labels, parsed the first time it is met
    /// (a series whose stored labels are no JSON is wanted: its read fails with the reason).
    fn wants(&self, matchers: &[SeriesMatcher], service: &str, metric: &str, labels: &str) -> bool {
        let key = LabelsMet::key(service, metric, labels);
        if let Some(met) = self.lock().get(&key) {
            return met.is_some();
        }
        let Ok(labels) = prometheus_labels(service, metric, labels) else {
            return true;
        };
        let wanted = matchers.iter().all(|m| m.matches_labels(&labels));
        self.lock().insert(key, wanted.then_some(labels));
        wanted
    }

    /// The Prometheus labels of a stored series: as its filter met them, or parsed now.
    fn labels_of(&self, series: &MetricSeries) -> Result<Labels> {
        let key = LabelsMet::key(&series.service, &series.metric, &series.labels);
        match self.lock().remove(&key) {
            Some(Some(labels)) => Ok(labels),
            _ => prometheus_labels(&series.service, &series.metric, &series.labels),
        }
    }
}

/// The scan of a selection: the time range, the metric name and the non-empty equalities on
/// stored labels pushed down; the label sets its filter parses are kept in `met`.
fn scan_of(select: &SeriesSelect, columns: &[&'static str], met: &Arc<LabelsMet>) -> Scan {
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
    // Every matcher, decided once per stored series where the store knows series apart from
    // rows (its parts' series indexes): the rest of a metric's series are never read.
    let matchers = select.matchers.clone();
    let met = met.clone();
    let wanted = SeriesFilter::new(move |series| {
        met.wants(&matchers, series.service, series.metric, series.labels)
    });
    let scan = Scan::new(
        Table::Metrics,
        TenantScope::One(select.tenant.clone()),
        select.since_ns,
        select.until_ns.saturating_add(1),
    )
    .labels(&labels)
    .series_filter(wanted)
    .columns(columns);
    match metric {
        // Only a valid name can be the translation of another stored name.
        Some(name) if prometheus_names::is_metric_name(&name) => {
            scan.one_of("metric", stored_names(&name))
        }
        name => scan.equal("metric", name),
    }
}

/// The series a selection matches with their samples, ordered by label set; `context` makes the
/// query context, only for the general scan.
///
/// The scan streams its rows with the series columns dictionary-encoded: each batch's distinct
/// (service, metric, labels) keys are resolved to a series (and its matchers checked) once,
/// rows are then grouped by their keys alone, and only the selected rows' times and values are
/// kept — no string is copied or compared per row.
///
/// With a shape (`read`), each series' samples are replaced by the shape's form of them as soon
/// as they are read (by the store, on the core that read them, where it reads them itself; here
/// otherwise): every selected series is kept, with what the shape made of its samples. An
/// unshaped read over `read`'s sample limit is refused: before it is decoded where the store
/// reads it itself, as soon as its rows pass the limit where the general scan reads it (parts
/// written before series indexes).
pub(crate) async fn select_series(
    context: impl FnOnce() -> SessionContext,
    data: &dyn DataStore,
    select: &SeriesSelect,
    read: &SamplesRead,
) -> Result<Vec<SelectedSeries>> {
    let met = Arc::new(LabelsMet::default());
    let scan = scan_of(
        select,
        &["service", "metric", "labels", "ts", "value"],
        &met,
    );
    if let Some(stored) = data.metric_samples(&scan, read).await?
        && let Some(selected) = selected_of_samples(select, stored, &met)?
    {
        return Ok(selected);
    }
    let mut selected = scanned_series(context, data, select, scan, read.max_samples).await?;
    if let Some(shape) = &read.shape {
        for series in &mut selected {
            shape(&mut series.ts_ns, &mut series.values);
        }
    }
    Ok(selected)
}

/// The series a selection matches with their samples, ordered by label set, read through the
/// general scan (see [`select_series`]).
async fn scanned_series(
    context: impl FnOnce() -> SessionContext,
    data: &dyn DataStore,
    select: &SeriesSelect,
    scan: Scan,
    max_samples: Option<u64>,
) -> Result<Vec<SelectedSeries>> {
    let scan = scan.with_write_order().with_dictionary_series();
    let Some(frame) = data.scan(&context(), &scan).await? else {
        return Ok(Vec::new());
    };
    let mut stream = frame.execute_stream().await?;
    // Stored series (by their three strings) to the selected series they read as; `None` for
    // a series the matchers refuse.
    let mut index: FoldMap<(String, String, String), Option<usize>> = FoldMap::default();
    // Each selected series' slot by its Prometheus labels.
    let mut by_labels: FoldMap<Labels, usize> = FoldMap::default();
    // Each selected series, with its rows as (ts, value, write order).
    let mut series: Vec<(SelectedSeries, Vec<Row>)> = Vec::new();
    // Rows kept so far (of every series; rows of one time in several parts counted each).
    let mut kept: u64 = 0;
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let columns = SeriesColumns::of(&batch)?;
        let ts = batch
            .column(3)
            .as_any()
            .downcast_ref::<TimestampNanosecondArray>()
            .ok_or_else(|| QueryError::Execution("ts is not a timestamp".into()))?;
        let values: &Float64Array = batch.column(4).as_primitive();
        let orders: &UInt64Array = batch.column(5).as_primitive();
        // This batch's keys to slots: one lookup by strings per distinct key triple; rows of
        // one series mostly come together (parts are written series by series), so the
        // previous row's key is tried first.
        let mut slots: FoldMap<(i32, i32, i32), Option<usize>> = FoldMap::default();
        let mut previous: Option<((i32, i32, i32), Option<usize>)> = None;
        let has_nulls = ts.null_count() > 0 || values.null_count() > 0;
        let (ts_values, value_values, order_values) =
            (ts.values(), values.values(), orders.values());
        for row in 0..batch.num_rows() {
            if has_nulls && (ts.is_null(row) || values.is_null(row)) {
                continue;
            }
            let key = columns.key(row);
            let cached = match previous {
                Some((last, slot)) if last == key => Some(slot),
                _ => slots.get(&key).copied(),
            };
            let slot = match cached {
                Some(slot) => slot,
                None => {
                    let text = columns.text(key)?;
                    let owned = (text.0.to_string(), text.1.to_string(), text.2.to_string());
                    let slot = match index.get(&owned) {
                        Some(slot) => *slot,
                        None => {
                            let labels = prometheus_labels(text.0, text.1, text.2)?;
                            let slot = if !select.matchers.iter().all(|m| m.matches_labels(&labels))
                            {
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
                            index.insert(owned, slot);
                            slot
                        }
                    };
                    slots.insert(key, slot);
                    slot
                }
            };
            previous = Some((key, slot));
            if let Some(slot) = slot {
                series[slot]
                    .1
                    .push((ts_values[row], value_values[row], order_values[row]));
                kept += 1;
            }
        }
        // Stopped once the rows kept pass the limit, instead of holding them all.
        if let Some(limit) = max_samples
            && kept > limit
        {
            return Err(QueryError::Storage(StorageError::TooManySamples {
                rows: kept,
                limit,
            }));
        }
    }
    let mut out: Vec<SelectedSeries> = Vec::with_capacity(series.len());
    for (mut selected, mut samples) in series {
        // Of samples with one timestamp, the last written is kept (stable, so of rows of one old
        // part written before parts held one row per timestamp, the later in scan order).
        // Rows of one part come in time order: sorting is then only a check.
        if !samples.is_sorted_by_key(|&(ts, _, order)| (ts, order)) {
            samples.sort_by_key(|&(ts, _, order)| (ts, order));
        }
        selected.ts_ns.reserve(samples.len());
        selected.values.reserve(samples.len());
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

/// The selected series of the stored series' samples the store read itself
/// ([`DataStore::metric_samples`]), ordered by label set — or `None` when two stored series read
/// as one label set (names stored before OTLP translation beside their translations): which of
/// their samples was written last only the general scan's write order tells (and a shape must
/// see their samples merged).
fn selected_of_samples(
    select: &SeriesSelect,
    stored: Vec<SeriesSamples>,
    met: &LabelsMet,
) -> Result<Option<Vec<SelectedSeries>>> {
    let mut out: Vec<SelectedSeries> = Vec::with_capacity(stored.len());
    for samples in stored {
        let labels = met.labels_of(&samples.series)?;
        if select.matchers.iter().all(|m| m.matches_labels(&labels)) {
            out.push(SelectedSeries {
                labels,
                ts_ns: samples.ts_ns,
                values: samples.values,
            });
        }
    }
    out.sort_by(|a, b| a.labels.cmp(&b.labels));
    if out.windows(2).any(|pair| pair[0].labels == pair[1].labels) {
        return Ok(None);
    }
    Ok(Some(out))
}

/// Hash maps of the read path: keys are the store's own dictionary keys and label sets
/// already in the store, hashed fast.
type FoldMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A selected row: time, value and write order.
type Row = (i64, f64, u64);

/// The series columns (service, metric, labels: the first three) of a batch of a scan with
/// dictionary-encoded series.
struct SeriesColumns<'a> {
    keys: [&'a [i32]; 3],
    values: [&'a StringArray; 3],
}

impl<'a> SeriesColumns<'a> {
    fn of(batch: &'a RecordBatch) -> Result<SeriesColumns<'a>> {
        let column = |index: usize| -> Result<(&'a [i32], &'a StringArray)> {
            let dictionary = batch
                .column(index)
                .as_any()
                .downcast_ref::<DictionaryArray<Int32Type>>()
                .ok_or_else(|| {
                    QueryError::Execution(format!("column {index} is not a dictionary"))
                })?;
            let values = dictionary
                .values()
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| QueryError::Execution("a dictionary of non-strings".into()))?;
            Ok((dictionary.keys().values().as_ref(), values))
        };
        let (service, metric, labels) = (column(0)?, column(1)?, column(2)?);
        Ok(SeriesColumns {
            keys: [service.0, metric.0, labels.0],
            values: [service.1, metric.1, labels.1],
        })
    }

    /// A row's (service, metric, labels) dictionary keys.
    fn key(&self, row: usize) -> (i32, i32, i32) {
        (self.keys[0][row], self.keys[1][row], self.keys[2][row])
    }

    /// The (service, metric, labels) strings of a key triple.
    fn text(&self, key: (i32, i32, i32)) -> Result<(&'a str, &'a str, &'a str)> {
        let at = |column: usize, key: i32| -> Result<&'a str> {
            let values = self.values[column];
            usize::try_from(key)
                .ok()
                .filter(|&at| at < values.len())
                .map(|at| values.value(at))
                .ok_or_else(|| QueryError::Execution(format!("dictionary key {key} out of range")))
        };
        Ok((at(0, key.0)?, at(1, key.1)?, at(2, key.2)?))
    }
}

/// The label sets of the series a selection matches that have a sample in its time range,
/// ordered, each once.
pub(crate) async fn series_labels(
    ctx: &SessionContext,
    data: &dyn DataStore,
    select: &SeriesSelect,
) -> Result<Vec<Labels>> {
    // The store's list of series (from its parts' series indexes where it keeps them), not
    // the samples.
    let met = Arc::new(LabelsMet::default());
    let scan = scan_of(select, &["service", "metric", "labels"], &met);
    let mut out = Vec::new();
    for series in data.metric_series(ctx, &scan).await? {
        let labels = met.labels_of(&series)?;
        if select.matchers.iter().all(|m| m.matches_labels(&labels)) {
            out.push(labels);
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
        assert_eq!(stored_names("bar_otlp"), ["bar_otlp", "bar.otlp"]);
        assert_eq!(stored_names("up"), ["up"]);
        assert_eq!(stored_names("a_b_c_d_e_f_g_h").len(), 64);
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
