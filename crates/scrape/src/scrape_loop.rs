//! One target's scrape loop: every interval (offset by a hash of the target, so many targets do
//! not fire at once) it fetches the target, parses the exposition, gives every sample the
//! target's labels (Prometheus' `honor_labels` rules), applies `metric_relabel_configs` and the
//! limits, and writes the samples, `up` and the scrape series, and staleness markers for
//! series that disappeared — one durable write per scrape.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use telemetryhub_model::{
    Exemplar, Labels, LabelsJson, MetricMetadata, MetricsWrite, PROMETHEUS_SERVICE_LABELS,
    STALE_NAN_BITS, SeriesBatchBuilder, SeriesKey, UNKNOWN_SERVICE, now_ns,
};
use telemetryhub_receivers::prom_text::{
    Entry, ExpositionFormat, is_valid_label_name, is_valid_metric_name, parse_exposition_bytes,
};
use telemetryhub_storage::DataStore;
use tokio::sync::oneshot;

use crate::config::ScrapeConfig;
use crate::http::HttpClient;
use crate::metrics::{SAMPLES_STORED, SCRAPE_SECONDS, SCRAPES};
use crate::relabel::relabel;
use crate::target::Target;

/// The `Accept` header Prometheus 2.42 sends: OpenMetrics preferred, the text format next.
pub const ACCEPT_HEADER: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// How a target's last scrape went, for the targets API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Not scraped yet.
    Unknown,
    /// The last scrape succeeded.
    Up,
    /// The last scrape failed.
    Down,
}

impl Health {
    /// As the targets API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Unknown => "unknown",
            Health::Up => "up",
            Health::Down => "down",
        }
    }
}

/// What a metric family is, as the target's last scrape said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FamilyMetadata {
    /// `counter`, `gauge`, … or `unknown`.
    pub kind: String,
    /// The help text.
    pub help: String,
    /// The unit (OpenMetrics).
    pub unit: String,
}

/// A target's state as the targets API shows it.
#[derive(Debug, Clone)]
pub struct TargetStatus {
    /// Up, down or not yet scraped.
    pub health: Health,
    /// Why the last scrape failed; empty when it did not.
    pub last_error: String,
    /// When the last scrape started, ns since the epoch (0: never).
    pub last_scrape_ns: i64,
    /// How long it took.
    pub last_duration: Duration,
    /// The metric families of the last good scrape.
    pub metadata: Arc<BTreeMap<String, FamilyMetadata>>,
}

impl Default for TargetStatus {
    fn default() -> Self {
        TargetStatus {
            health: Health::Unknown,
            last_error: String::new(),
            last_scrape_ns: 0,
            last_duration: Duration::ZERO,
            metadata: Arc::default(),
        }
    }
}

/// How a loop is told to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The target is gone: its series end with staleness markers.
    Gone,
    /// The server shuts down: its series stay as they are (Prometheus leaves them to go stale
    /// by the lookback delta when it stops).
    Shutdown,
}

/// A series a sample's text (name and labels as scraped) became, kept between scrapes so a
/// series seen before costs one lookup.
struct CacheEntry {
    /// None: metric relabeling dropped it.
    series: Option<Arc<SeriesKey>>,
    /// The scrape it was last seen in.
    last_seen: u64,
    /// Whether it came with its own timestamp (such series get no staleness markers, as in
    /// Prometheus: their time is not the scrape's).
    explicit_timestamp: bool,
    /// `last_seen` and `explicit_timestamp` as they were before the scrape under way touched
    /// the entry (None: the entry is new), restored when that scrape fails and stores nothing.
    before_this_scrape: Option<(u64, bool)>,
}

/// A `last_seen` that matches no scrape: the series was never stored.
const NEVER_STORED: u64 = u64::MAX;

/// Why a scrape failed.
#[derive(Debug, thiserror::Error)]
enum ScrapeFailure {
    #[error("{0}")]
    Http(#[from] crate::http::HttpError),
    #[error("{0}")]
    Parse(String),
    #[error("{0}")]
    Limit(String),
}

impl ScrapeFailure {
    fn outcome(&self) -> &'static str {
        match self {
            ScrapeFailure::Http(_) => "http",
            ScrapeFailure::Parse(_) => "parse",
            ScrapeFailure::Limit(_) => "limit",
        }
    }
}

/// The series of one scrape, before it is written.
#[derive(Default)]
struct Scraped {
    samples: Vec<(Arc<SeriesKey>, i64, f64)>,
    exemplars: Vec<Exemplar>,
    metadata: BTreeMap<String, FamilyMetadata>,
    /// Samples in the exposition.
    scraped: usize,
    /// Series new since the previous scrape.
    added: usize,
}

/// A target's scrape loop.
pub(crate) struct ScrapeLoop {
    target: Arc<Target>,
    config: Arc<ScrapeConfig>,
    client: HttpClient,
    store: Arc<dyn DataStore>,
    status: Arc<Mutex<TargetStatus>>,
    cache: HashMap<Box<str>, CacheEntry>,
    /// `up` and the other scrape series of this target.
    report_series: [Arc<SeriesKey>; 5],
    /// The number of the scrape under way.
    scrape: u64,
    /// The identity text of the sample being read (reused).
    identity: String,
    /// Set while the pool is over its `target_limit`: every scrape fails with it, as in
    /// Prometheus, instead of fetching.
    forced_error: Arc<Mutex<Option<String>>>,
}

/// The names of the series every scrape reports, in `report_series` order.
const REPORT_SERIES: [&str; 5] = [
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
];

impl ScrapeLoop {
    /// A loop for `target`, reporting into `status`.
    pub(crate) fn new(
        target: Arc<Target>,
        config: Arc<ScrapeConfig>,
        client: HttpClient,
        store: Arc<dyn DataStore>,
        status: Arc<Mutex<TargetStatus>>,
        forced_error: Arc<Mutex<Option<String>>>,
    ) -> ScrapeLoop {
        let report_series = REPORT_SERIES.map(|name| {
            let mut labels = target.labels.clone();
            add_external_labels(&mut labels, &config.external_labels);
            labels.insert("__name__".to_string(), name.to_string());
            Arc::new(series_key(&labels))
        });
        ScrapeLoop {
            target,
            config,
            client,
            store,
            status,
            cache: HashMap::new(),
            report_series,
            scrape: 0,
            identity: String::new(),
            forced_error,
        }
    }

    /// Scrapes every interval until told to stop; a target that is gone gets its series ended
    /// with staleness markers.
    pub(crate) async fn run(mut self, mut stop: oneshot::Receiver<Stop>) {
        let interval = self.target.interval;
        let first = tokio::time::Instant::now() + first_delay(self.target.key, interval, now_ns());
        let mut ticker = tokio::time::interval_at(first, interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let reason = loop {
            tokio::select! {
                _ = ticker.tick() => self.scrape_once().await,
                reason = &mut stop => break reason.unwrap_or(Stop::Shutdown),
            }
        };
        if reason == Stop::Gone && self.scrape > 0 {
            self.end_series().await;
        }
    }

    /// One scrape: fetch, parse, write. Never fails: a failure is `up` 0 and the target's
    /// last error.
    pub(crate) async fn scrape_once(&mut self) {
        self.scrape += 1;
        let started = Instant::now();
        let start_ns = now_ns();
        let ts_ns = start_ns - start_ns % 1_000_000;
        let forced = self
            .forced_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let fetched = match forced {
            Some(message) => Err(ScrapeFailure::Limit(message)),
            None => self.fetch().await,
        };
        let result = fetched.and_then(|response| {
            let format = ExpositionFormat::from_content_type(response.content_type.as_deref());
            self.read(&response.body, format, ts_ns)
        });
        let (scraped, error) = match result {
            Ok(scraped) => (scraped, None),
            Err(error) => (Scraped::default(), Some(error)),
        };
        self.finish_scrape(started, start_ns, ts_ns, scraped, error)
            .await;
    }

    /// Fetches the target.
    async fn fetch(&self) -> Result<crate::http::HttpResponse, ScrapeFailure> {
        self.client
            .get(
                &self.target.url,
                &[(
                    "X-Prometheus-Scrape-Timeout-Seconds",
                    self.target.timeout.as_secs_f64().to_string(),
                )],
                ACCEPT_HEADER,
                self.config.body_size_limit,
                // A target's own `__scrape_timeout__` (relabeling may set it) bounds its scrape.
                Some(self.target.timeout),
            )
            .await
            .map_err(ScrapeFailure::from)
    }

    /// Writes a scrape's outcome — its samples or nothing, the scrape series, the staleness
    /// markers — and records it in the target's status.
    async fn finish_scrape(
        &mut self,
        started: Instant,
        start_ns: i64,
        ts_ns: i64,
        scraped: Scraped,
        error: Option<ScrapeFailure>,
    ) {
        let mut builder = SeriesBatchBuilder::new(&self.config.tenant);
        for (series, ts, value) in &scraped.samples {
            builder.push(SeriesKey::clone(series), *ts, *value);
        }
        let current = self.scrape;
        if error.is_some() {
            // Nothing this scrape read is stored: the series it touched are as they were before
            // it (a sample limit fails a scrape after every sample was read).
            for entry in self.cache.values_mut() {
                if entry.last_seen == current {
                    (entry.last_seen, entry.explicit_timestamp) = entry
                        .before_this_scrape
                        .unwrap_or((NEVER_STORED, entry.explicit_timestamp));
                }
            }
        }
        // Series of the previous scrape that this one lacks (all of them when it failed) end.
        self.push_staleness_markers(&mut builder, current - 1, ts_ns);
        self.cache.retain(|_, entry| entry.last_seen == current);
        let duration = started.elapsed();
        let up = if error.is_none() { 1.0 } else { 0.0 };
        let post_relabel = scraped.samples.len();
        let report = [
            up,
            duration.as_secs_f64(),
            scraped.scraped as f64,
            post_relabel as f64,
            scraped.added as f64,
        ];
        for (series, value) in self.report_series.iter().zip(report) {
            builder.push(SeriesKey::clone(series), ts_ns, value);
        }
        let metadata_changed = error.is_none()
            && *self
                .status
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .metadata
                != scraped.metadata;
        let metadata = if metadata_changed {
            scraped
                .metadata
                .iter()
                .map(|(family, meta)| MetricMetadata {
                    tenant: self.config.tenant.clone(),
                    metric: family.clone(),
                    kind: meta.kind.clone(),
                    help: meta.help.clone(),
                    unit: meta.unit.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let write = MetricsWrite {
            exemplars: scraped.exemplars,
            metadata,
            ..MetricsWrite::of(builder.finish())
        };
        let samples = write.series.len();
        let stored = self.store.write_metrics(write).await;
        let mut last_error = error.as_ref().map(ToString::to_string);
        let outcome = match (&error, &stored) {
            (Some(error), _) => error.outcome(),
            (None, Err(_)) => "store",
            (None, Ok(_)) => "ok",
        };
        match stored {
            Ok(_) => SAMPLES_STORED.inc_by(samples as u64),
            Err(store_error) => {
                tracing::warn!(url = %self.target.url, error = %store_error, "cannot store a scrape");
                last_error.get_or_insert_with(|| format!("cannot store the scrape: {store_error}"));
            }
        }
        SCRAPES.with_label_values(&[outcome]).inc();
        SCRAPE_SECONDS.observe(started.elapsed().as_secs_f64());
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        status.health = if last_error.is_none() {
            Health::Up
        } else {
            Health::Down
        };
        status.last_error = last_error.unwrap_or_default();
        status.last_scrape_ns = start_ns;
        status.last_duration = duration;
        if metadata_changed {
            status.metadata = Arc::new(scraped.metadata);
        }
    }

    /// Parses a body into this scrape's samples, applying labels, relabeling and limits.
    fn read(
        &mut self,
        body: &[u8],
        format: ExpositionFormat,
        ts_ns: i64,
    ) -> Result<Scraped, ScrapeFailure> {
        let mut scraped = Scraped::default();
        let mut failure = None;
        let honor_timestamps = self.config.honor_timestamps;
        let parsed = parse_exposition_bytes(body, format, |entry| {
            if failure.is_some() {
                return;
            }
            match entry {
                Entry::Sample(sample) => {
                    scraped.scraped += 1;
                    let explicit = honor_timestamps && sample.timestamp_ms.is_some();
                    let ts = match sample.timestamp_ms {
                        Some(ms) if honor_timestamps => ms.saturating_mul(1_000_000),
                        _ => ts_ns,
                    };
                    match self.series_of(sample.name, sample.labels, explicit) {
                        Ok(Some((series, new))) => {
                            if new {
                                scraped.added += 1;
                            }
                            // The store keeps finite exemplars only (as remote_write's).
                            let exemplar = sample.exemplar.as_ref().filter(|e| e.value.is_finite());
                            if let Some(exemplar) = exemplar {
                                scraped.exemplars.push(exemplar_of(
                                    &series,
                                    &self.config.tenant,
                                    exemplar.labels,
                                    exemplar.value,
                                    exemplar
                                        .timestamp_ms
                                        .map(|ms| ms.saturating_mul(1_000_000))
                                        .unwrap_or(ts),
                                ));
                            }
                            scraped.samples.push((series, ts, sample.value));
                        }
                        Ok(None) => {}
                        Err(message) => failure = Some(ScrapeFailure::Limit(message)),
                    }
                }
                Entry::Help { family, text } => {
                    family_entry(&mut scraped.metadata, family).help = text.into_owned();
                }
                Entry::Type { family, kind } => {
                    family_entry(&mut scraped.metadata, family).kind = kind.as_str().to_string();
                }
                Entry::Unit { family, unit } => {
                    family_entry(&mut scraped.metadata, family).unit = unit.to_string();
                }
            }
        });
        parsed.map_err(|e| ScrapeFailure::Parse(e.to_string()))?;
        if let Some(failure) = failure {
            return Err(failure);
        }
        let limit = self.config.sample_limit;
        if limit > 0 && scraped.samples.len() > limit {
            return Err(ScrapeFailure::Limit(format!(
                "sample limit exceeded: {} samples, the limit is {limit}",
                scraped.samples.len()
            )));
        }
        Ok(scraped)
    }

    /// The series a sample belongs to (None when metric relabeling drops it) and whether it is
    /// new since the previous scrape; marks it seen in this scrape.
    fn series_of(
        &mut self,
        name: &str,
        labels: &[(&str, Cow<'_, str>)],
        explicit_timestamp: bool,
    ) -> Result<Option<(Arc<SeriesKey>, bool)>, String> {
        self.identity.clear();
        self.identity.push_str(name);
        for (label, value) in labels {
            self.identity.push('\u{ff}');
            self.identity.push_str(label);
            self.identity.push('\u{fe}');
            self.identity.push_str(value);
        }
        let (scrape, previous) = (self.scrape, self.scrape - 1);
        if let Some(entry) = self.cache.get_mut(self.identity.as_str()) {
            let new = entry.last_seen != previous && entry.last_seen != scrape;
            if entry.last_seen != scrape {
                entry.before_this_scrape = Some((entry.last_seen, entry.explicit_timestamp));
            }
            entry.last_seen = scrape;
            entry.explicit_timestamp = explicit_timestamp;
            return Ok(entry.series.clone().map(|series| (series, new)));
        }
        let series = self.build_series(name, labels)?.map(Arc::new);
        self.cache.insert(
            self.identity.as_str().into(),
            CacheEntry {
                series: series.clone(),
                last_seen: scrape,
                explicit_timestamp,
                before_this_scrape: None,
            },
        );
        Ok(series.map(|series| (series, true)))
    }

    /// Builds a new series' key: the scraped labels with the target's (as `honor_labels`
    /// says), metric relabeling, external labels, then the label limits.
    fn build_series(
        &self,
        name: &str,
        scraped: &[(&str, Cow<'_, str>)],
    ) -> Result<Option<SeriesKey>, String> {
        let mut labels: Labels = scraped
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(label, value)| (label.to_string(), value.to_string()))
            .collect();
        labels.insert("__name__".to_string(), name.to_string());
        merge_target_labels(&mut labels, &self.target.labels, self.config.honor_labels);
        if !self.config.metric_relabel_configs.is_empty()
            && !relabel(&mut labels, &self.config.metric_relabel_configs)
        {
            return Ok(None);
        }
        labels.retain(|_, value| !value.is_empty());
        // Relabeling (`labelmap`, templated target labels) can make names Prometheus refuses;
        // it fails the scrape for them, and so do we.
        let valid_name = labels
            .get("__name__")
            .is_some_and(|n| is_valid_metric_name(n));
        if !valid_name || !labels.keys().all(|label| is_valid_label_name(label)) {
            return Err(format!(
                "invalid metric name or label names: {}",
                labels
                    .iter()
                    .map(|(n, v)| format!("{n}={v:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        add_external_labels(&mut labels, &self.config.external_labels);
        check_label_limits(&self.config, name, &labels)?;
        Ok(Some(series_key(&labels)))
    }

    /// Adds a staleness marker at `ts_ns` for every series last seen in scrape `seen_in` (not
    /// those with timestamps of their own, whose time is not the scrape's).
    fn push_staleness_markers(&self, builder: &mut SeriesBatchBuilder, seen_in: u64, ts_ns: i64) {
        let stale = f64::from_bits(STALE_NAN_BITS);
        let ended = self
            .cache
            .values()
            .filter(|entry| entry.last_seen == seen_in && !entry.explicit_timestamp)
            .filter_map(|entry| entry.series.as_ref());
        for series in ended {
            builder.push(SeriesKey::clone(series), ts_ns, stale);
        }
    }

    /// Ends every series of the last scrape (and the scrape series) with a staleness marker.
    async fn end_series(&mut self) {
        let ts_ns = now_ns() - now_ns() % 1_000_000;
        let mut builder = SeriesBatchBuilder::new(&self.config.tenant);
        self.push_staleness_markers(&mut builder, self.scrape, ts_ns);
        for series in &self.report_series {
            builder.push(
                SeriesKey::clone(series),
                ts_ns,
                f64::from_bits(STALE_NAN_BITS),
            );
        }
        let batch = builder.finish();
        let samples = batch.len();
        match self.store.write_metrics(MetricsWrite::of(batch)).await {
            Ok(_) => SAMPLES_STORED.inc_by(samples as u64),
            Err(error) => {
                tracing::warn!(url = %self.target.url, %error, "cannot store the staleness markers of a target that is gone")
            }
        }
    }
}

/// The delay before a target's first scrape: Prometheus spreads targets over the interval by a
/// hash of each, so the same target scrapes at the same phase after a restart.
pub(crate) fn first_delay(key: u64, interval: Duration, now_ns: i64) -> Duration {
    let interval_ns = interval.as_nanos().max(1) as u64;
    let now = now_ns.max(0) as u64;
    let base = interval_ns - now % interval_ns;
    let offset = key % interval_ns;
    let mut next = base + offset;
    if next > interval_ns {
        next -= interval_ns;
    }
    Duration::from_nanos(next)
}

/// Adds the target's labels to a scraped label set. With `honor_labels` a scraped label wins;
/// without, the target's wins and a clashing scraped label is kept as `exported_<name>`
/// (`exported_exported_<name>` if that is taken too), as Prometheus does.
pub(crate) fn merge_target_labels(labels: &mut Labels, target: &Labels, honor_labels: bool) {
    if honor_labels {
        for (name, value) in target {
            labels.entry(name.clone()).or_insert_with(|| value.clone());
        }
        return;
    }
    let clashes: Vec<(String, String)> = target
        .keys()
        .filter_map(|name| {
            labels
                .get(name)
                .filter(|v| !v.is_empty())
                .map(|v| (name.clone(), v.clone()))
        })
        .collect();
    for (name, value) in target {
        labels.insert(name.clone(), value.clone());
    }
    for (name, value) in clashes {
        let mut exported = format!("exported_{name}");
        while labels.contains_key(&exported) || target.contains_key(&exported) {
            exported.insert_str(0, "exported_");
        }
        labels.insert(exported, value);
    }
}

/// Adds the global external labels a series lacks.
fn add_external_labels(labels: &mut Labels, external: &Labels) {
    for (name, value) in external {
        labels.entry(name.clone()).or_insert_with(|| value.clone());
    }
}

/// `label_limit`, `label_name_length_limit` and `label_value_length_limit`, with Prometheus'
/// messages.
fn check_label_limits(config: &ScrapeConfig, name: &str, labels: &Labels) -> Result<(), String> {
    let metric: String = name.chars().take(50).collect();
    if config.label_limit > 0 && labels.len() > config.label_limit {
        return Err(format!(
            "label_limit exceeded (metric: {metric}, number of labels: {}, limit: {})",
            labels.len(),
            config.label_limit
        ));
    }
    for (label, value) in labels {
        let short: String = label.chars().take(50).collect();
        if config.label_name_length_limit > 0 && label.len() > config.label_name_length_limit {
            return Err(format!(
                "label_name_length_limit exceeded (metric: {metric}, label name: {short}, length: {}, limit: {})",
                label.len(),
                config.label_name_length_limit
            ));
        }
        if config.label_value_length_limit > 0 && value.len() > config.label_value_length_limit {
            let short_value: String = value.chars().take(50).collect();
            return Err(format!(
                "label_value_length_limit exceeded (metric: {metric}, label name: {short}, value: {short_value:?}, length: {}, limit: {})",
                value.len(),
                config.label_value_length_limit
            ));
        }
    }
    Ok(())
}

/// The stored identity of a label set with `__name__`: as remote_write stores the same set.
pub(crate) fn series_key(labels: &Labels) -> SeriesKey {
    let mut json = LabelsJson::default();
    json.clear();
    for (name, value) in labels {
        if name != "__name__" {
            json.push(name, value);
        }
    }
    let service = PROMETHEUS_SERVICE_LABELS
        .iter()
        .find_map(|name| labels.get(*name))
        .map(String::as_str)
        .unwrap_or(UNKNOWN_SERVICE);
    SeriesKey {
        service: service.to_string(),
        metric: labels.get("__name__").cloned().unwrap_or_default(),
        labels_json: json.json(),
    }
}

fn family_entry<'m>(
    metadata: &'m mut BTreeMap<String, FamilyMetadata>,
    family: &str,
) -> &'m mut FamilyMetadata {
    metadata
        .entry(family.to_string())
        .or_insert_with(|| FamilyMetadata {
            kind: "unknown".to_string(),
            ..FamilyMetadata::default()
        })
}

/// An OpenMetrics exemplar as stored: the series' identity, its own labels, the trace it names.
fn exemplar_of(
    series: &SeriesKey,
    tenant: &str,
    exemplar_labels: &[(&str, Cow<'_, str>)],
    value: f64,
    ts_ns: i64,
) -> Exemplar {
    let exemplar_labels: Labels = exemplar_labels
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let trace_id = Exemplar::trace_id_of(&exemplar_labels);
    Exemplar {
        tenant: tenant.to_string(),
        service: series.service.clone(),
        metric: series.metric.clone(),
        labels: serde_json::from_str(&series.labels_json).unwrap_or_default(),
        exemplar_labels,
        ts_ns,
        value,
        trace_id,
    }
}

#[cfg(test)]
mod tests;
