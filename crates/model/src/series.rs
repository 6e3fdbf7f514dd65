//! Metric samples grouped by series, each series' identity given once: the shape in which
//! high-volume receivers (Prometheus remote_write) hand samples to storage. Compared with one
//! [`MetricPoint`] per sample it saves, per sample, the tenant, service, metric and label
//! strings and the label map, and lets storage serialise a series' labels once per request.

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::{Labels, MetricPoint};

/// The labels a Prometheus series' service is taken from, the first present winning
/// (remote_write); the query layer shows a stored service as a `service` label only on series
/// with none of them.
pub const PROMETHEUS_SERVICE_LABELS: [&str; 3] = ["service_name", "service", "job"];

/// The service stored for a series or record that names none.
pub const UNKNOWN_SERVICE: &str = "unknown_service";

/// The bits of Prometheus' staleness marker (`value.StaleNaN` in Prometheus'
/// `model/value/value.go`): a NaN that says a series ended (a target vanished, or an OTLP data
/// point flagged "no recorded value"). Stored as is, so PromQL can end the series there.
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;

/// Whether `value` is the staleness marker (compared by bits: other NaNs are ordinary values).
pub fn is_stale_marker(value: f64) -> bool {
    value.to_bits() == STALE_NAN_BITS
}

/// One series of a [`SeriesBatch`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeriesKey {
    /// The service that emitted the series.
    pub service: String,
    /// The metric name.
    pub metric: String,
    /// The labels in their stored form: the compact JSON object of the labels sorted by name,
    /// exactly as `serde_json` writes a [`Labels`] map (see [`LabelsJson`]).
    pub labels_json: String,
}

/// Samples of one tenant, grouped by series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesBatch {
    /// The tenant that owns every sample.
    pub tenant: String,
    /// The series, each once.
    pub series: Vec<SeriesKey>,
    /// For each sample, its series' index in `series`.
    pub series_of: Vec<u32>,
    /// Sample times, ns since the Unix epoch, parallel to `series_of`.
    pub ts_ns: Vec<i64>,
    /// Sample values, parallel to `series_of`. Any `f64`, stored bit for bit: besides finite
    /// values, Prometheus' staleness marker ([`STALE_NAN_BITS`]), other NaNs and ±Inf, as
    /// remote_write and OTLP carry them. Receivers of formats that cannot express them (the
    /// native JSON API) refuse non-finite values; readers that answer in JSON skip them.
    pub values: Vec<f64>,
}

impl SeriesBatch {
    /// An empty batch for `tenant`.
    pub fn new(tenant: &str) -> SeriesBatch {
        SeriesBatch {
            tenant: tenant.to_string(),
            ..SeriesBatch::default()
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.series_of.len()
    }

    /// Whether the batch holds no sample.
    pub fn is_empty(&self) -> bool {
        self.series_of.is_empty()
    }

    /// Adds a series; its samples are added with [`SeriesBatch::push_sample`] and the returned
    /// index.
    pub fn push_series(&mut self, key: SeriesKey) -> u32 {
        self.series.push(key);
        // Never more series than samples, and a request holds far fewer than 2^32 samples.
        (self.series.len() - 1) as u32
    }

    /// Adds a sample of series `series`.
    pub fn push_sample(&mut self, series: u32, ts_ns: i64, value: f64) {
        self.series_of.push(series);
        self.ts_ns.push(ts_ns);
        self.values.push(value);
    }

    /// Whether the batch is well formed: one time and one value per sample, and every sample
    /// of a series in the batch. Receivers build batches that are; storage refuses others
    /// before logging anything.
    pub fn check(&self) -> Result<(), String> {
        if self.ts_ns.len() != self.len() || self.values.len() != self.len() {
            return Err("a series batch needs one time and one value per sample".into());
        }
        match self
            .series_of
            .iter()
            .find(|s| **s as usize >= self.series.len())
        {
            Some(series) => Err(format!(
                "a sample of series {series}, which is not in the batch"
            )),
            None => Ok(()),
        }
    }

    /// The samples whose `keep` flag (one per sample, in order) is set, with only the series they
    /// belong to. The batch must pass [`SeriesBatch::check`].
    pub fn keep_only(&self, keep: &[bool]) -> SeriesBatch {
        let mut builder = SeriesBatchBuilder::new(&self.tenant);
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            let (Some(series), Some(ts_ns), Some(value)) =
                (self.series_of.get(i), self.ts_ns.get(i), self.values.get(i))
            else {
                continue;
            };
            if let Some(key) = self.series.get(*series as usize) {
                builder.push(key.clone(), *ts_ns, *value);
            }
        }
        builder.finish()
    }

    /// The points as a batch, each distinct series once (labels written in their stored form).
    pub fn from_points(tenant: &str, points: &[MetricPoint]) -> SeriesBatch {
        let mut builder = SeriesBatchBuilder::new(tenant);
        for point in points {
            let key = SeriesKey {
                service: point.service.clone(),
                metric: point.metric.clone(),
                // Serialising a string map cannot fail.
                labels_json: serde_json::to_string(&point.labels).unwrap_or_default(),
            };
            builder.push(key, point.ts_ns, point.value);
        }
        builder.finish()
    }

    /// The samples as metric points (labels parsed back from their JSON), for code paths that
    /// need one value per sample. The batch must pass [`SeriesBatch::check`].
    pub fn to_points(&self) -> Vec<MetricPoint> {
        let labels: Vec<Labels> = self
            .series
            .iter()
            .map(|key| serde_json::from_str(&key.labels_json).unwrap_or_default())
            .collect();
        (0..self.len())
            .map(|i| {
                let series = self.series_of[i] as usize;
                let key = &self.series[series];
                MetricPoint {
                    tenant: self.tenant.clone(),
                    service: key.service.clone(),
                    metric: key.metric.clone(),
                    labels: labels[series].clone(),
                    ts_ns: self.ts_ns[i],
                    value: self.values[i],
                }
            })
            .collect()
    }
}

/// Marks the end of a chain of series with the same key hash.
const NO_SERIES: u32 = u32::MAX;

/// Builds a [`SeriesBatch`] from samples given one at a time with their series' identity,
/// adding each distinct series once. A series seen before in the batch is found by hashing its
/// key's parts, without allocating.
#[derive(Debug, Default)]
pub struct SeriesBatchBuilder {
    batch: SeriesBatch,
    /// Seeded per builder: label values come from clients, and a fixed seed would let one craft
    /// colliding keys.
    hasher: foldhash::fast::RandomState,
    /// The newest series with each key hash; older ones follow `next_with_same_hash`.
    newest_with_hash: HashMap<u64, u32, foldhash::fast::RandomState>,
    next_with_same_hash: Vec<u32>,
}

impl SeriesBatchBuilder {
    /// An empty batch for `tenant`.
    pub fn new(tenant: &str) -> SeriesBatchBuilder {
        SeriesBatchBuilder {
            batch: SeriesBatch::new(tenant),
            ..SeriesBatchBuilder::default()
        }
    }

    /// Adds a sample of the series `key` (kept, not copied, when the series is new).
    pub fn push(&mut self, key: SeriesKey, ts_ns: i64, value: f64) {
        let series = match self.find(&key.service, &key.metric, &key.labels_json) {
            Ok(series) => series,
            Err(slot) => self.add(slot, key),
        };
        self.batch.push_sample(series, ts_ns, value);
    }

    /// Adds a sample of the series with these parts (`labels_json` in the stored form, see
    /// [`SeriesKey::labels_json`]); copies them only when the series is new to the batch.
    pub fn push_parts(
        &mut self,
        service: &str,
        metric: &str,
        labels_json: &str,
        ts_ns: i64,
        value: f64,
    ) {
        let series = match self.find(service, metric, labels_json) {
            Ok(series) => series,
            Err(slot) => self.add(
                slot,
                SeriesKey {
                    service: service.to_string(),
                    metric: metric.to_string(),
                    labels_json: labels_json.to_string(),
                },
            ),
        };
        self.batch.push_sample(series, ts_ns, value);
    }

    /// The index of the series with these parts, or where a new one goes: its key hash and the
    /// newest series with that hash.
    fn find(&self, service: &str, metric: &str, labels_json: &str) -> Result<u32, (u64, u32)> {
        let hash = self.hasher.hash_one((service, metric, labels_json));
        let newest = self
            .newest_with_hash
            .get(&hash)
            .copied()
            .unwrap_or(NO_SERIES);
        let mut candidate = newest;
        while candidate != NO_SERIES {
            let key = &self.batch.series[candidate as usize];
            if key.labels_json == labels_json && key.metric == metric && key.service == service {
                return Ok(candidate);
            }
            candidate = self.next_with_same_hash[candidate as usize];
        }
        Err((hash, newest))
    }

    /// Adds a new series where [`SeriesBatchBuilder::find`] said it goes.
    fn add(&mut self, (hash, newest): (u64, u32), key: SeriesKey) -> u32 {
        let series = self.batch.push_series(key);
        self.next_with_same_hash.push(newest);
        self.newest_with_hash.insert(hash, series);
        series
    }

    /// Samples added so far.
    pub fn len(&self) -> usize {
        self.batch.len()
    }

    /// Whether no sample was added.
    pub fn is_empty(&self) -> bool {
        self.batch.is_empty()
    }

    /// The batch.
    pub fn finish(self) -> SeriesBatch {
        self.batch
    }
}

/// Writes label sets in their stored form without building a [`Labels`] map: pairs are sorted by
/// name, a repeated name keeps its last value (as inserting into the map would), and names and
/// values are escaped by `serde_json`. One writer is reused for many series.
#[derive(Debug, Default)]
pub struct LabelsJson<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    /// Whether `pairs` is sorted and free of repeated names.
    sorted: bool,
    out: String,
}

/// Appends `text` as a JSON string, exactly as `serde_json` writes it: most label names and
/// values need no escaping and are copied as they are.
fn write_json_string(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        // Serialising a `&str` cannot fail.
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

impl<'a> LabelsJson<'a> {
    /// Starts a new label set.
    pub fn clear(&mut self) {
        self.pairs.clear();
        self.sorted = true;
    }

    /// Adds a label.
    pub fn push(&mut self, name: &'a str, value: &'a str) {
        self.pairs.push((name, value));
        self.sorted = false;
    }

    /// Labels added since the last [`LabelsJson::clear`], counting a repeated name once.
    pub fn len(&mut self) -> usize {
        self.sort();
        self.pairs.len()
    }

    /// Whether no label was added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The value of label `name`, if added.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The labels as a map.
    pub fn to_labels(&mut self) -> Labels {
        self.sort();
        self.pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// Sorts by name and keeps the last value of a repeated name.
    fn sort(&mut self) {
        if self.sorted {
            return;
        }
        self.sorted = true;
        sort_labels(&mut self.pairs);
    }

    /// The stored form of the labels added since the last [`LabelsJson::clear`].
    pub fn json(&mut self) -> String {
        self.json_str().to_string()
    }

    /// [`LabelsJson::json`] without a copy: valid until the writer's next use.
    pub fn json_str(&mut self) -> &str {
        self.sort();
        self.out.clear();
        write_sorted_labels(&mut self.out, &self.pairs);
        &self.out
    }
}

/// Sorts label pairs by name and keeps the last value of a repeated name (as inserting them into
/// a [`Labels`] map in order would).
pub fn sort_labels<S: AsRef<str>>(pairs: &mut Vec<(S, S)>) {
    // Stable: among equal names the last added stays last.
    pairs.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    let mut kept = 0;
    for i in 0..pairs.len() {
        if i + 1 < pairs.len() && pairs[i].0.as_ref() == pairs[i + 1].0.as_ref() {
            continue;
        }
        pairs.swap(kept, i);
        kept += 1;
    }
    pairs.truncate(kept);
}

/// Appends the stored form of labels already sorted by [`sort_labels`]: the compact JSON object
/// `serde_json` writes for the same [`Labels`] map.
pub fn write_sorted_labels<S: AsRef<str>>(out: &mut String, pairs: &[(S, S)]) {
    out.push('{');
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(out, name.as_ref());
        out.push(':');
        write_json_string(out, value.as_ref());
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_json_matches_the_map_form() {
        let cases: &[&[(&str, &str)]] = &[
            &[],
            &[("b", "2"), ("a", "1")],
            &[("job", "x\"y\\z\n"), ("é", "\u{1}"), ("job", "last")],
        ];
        for pairs in cases {
            let mut writer = LabelsJson::default();
            writer.clear();
            let mut map = Labels::new();
            for (name, value) in pairs.iter() {
                writer.push(name, value);
                map.insert(name.to_string(), value.to_string());
            }
            assert_eq!(writer.json(), serde_json::to_string(&map).unwrap());
            assert_eq!(writer.to_labels(), map);
            assert_eq!(writer.len(), map.len());
        }
    }

    #[test]
    fn points_group_into_series_and_keep_only_keeps_their_series() {
        let point = |host: &str, ts_ns: i64| MetricPoint {
            tenant: "t".into(),
            service: "api".into(),
            metric: "up".into(),
            labels: Labels::from([("host".to_string(), host.to_string())]),
            ts_ns,
            value: ts_ns as f64,
        };
        let points = vec![point("a", 1), point("b", 2), point("a", 3)];
        let batch = SeriesBatch::from_points("t", &points);
        assert_eq!(batch.series.len(), 2, "each distinct series once");
        assert_eq!(batch.series_of, vec![0, 1, 0]);
        assert_eq!(batch.series[0].labels_json, r#"{"host":"a"}"#);
        assert_eq!(batch.to_points(), points);
        let kept = batch.keep_only(&[false, true, true]);
        assert_eq!(kept.to_points(), points[1..].to_vec());
        let only_b = batch.keep_only(&[false, true, false]);
        assert_eq!(
            only_b.series.len(),
            1,
            "a series without samples is left out"
        );
        assert!(only_b.check().is_ok());
    }

    proptest::proptest! {
        #[test]
        fn labels_json_matches_serde_for_any_text(
            pairs in proptest::collection::vec((
                r#"\PC{0,6}|[a-c"\\\x00-\x1f\x7fé]{0,4}"#,
                r#"\PC{0,6}|[a-c"\\\x00-\x1f\x7fé/]{0,4}"#,
            ), 0..6)
        ) {
            let mut writer = LabelsJson::default();
            writer.clear();
            let mut map = Labels::new();
            for (name, value) in &pairs {
                writer.push(name, value);
                map.insert(name.clone(), value.clone());
            }
            proptest::prop_assert_eq!(writer.json(), serde_json::to_string(&map).unwrap());
        }
    }

    #[test]
    fn a_batch_reads_back_as_points() {
        let mut batch = SeriesBatch::new("t");
        let up = batch.push_series(SeriesKey {
            service: "api".into(),
            metric: "up".into(),
            labels_json: r#"{"instance":"h:1"}"#.into(),
        });
        batch.push_sample(up, 1, 1.0);
        batch.push_sample(up, 2, 0.0);
        let points = batch.to_points();
        assert_eq!(points.len(), 2);
        assert_eq!(
            points[1].labels.get("instance").map(String::as_str),
            Some("h:1")
        );
        assert_eq!((points[1].ts_ns, points[1].value), (2, 0.0));
        assert_eq!(points[0].tenant, "t");
    }
}
