//! The anomaly job: every interval, the new points of every series are scored by that series'
//! online detector; points at or above the threshold open an anomaly window, and detections
//! close together extend it rather than open another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use telemetryhub_anomaly::{Detector, DetectorConfig, MODEL_VERSION};
use telemetryhub_model::{Anomaly, MetricPoint, now_ns};
use telemetryhub_query::Backend;
use telemetryhub_storage::series_key;

use crate::JobError;
use crate::metrics::{ANOMALIES, UNSCORED_POINTS};

/// Settings of the anomaly job.
#[derive(Debug, Clone)]
pub struct AnomalyJobConfig {
    /// The detector each new series gets.
    pub detector: DetectorConfig,
    /// Score at which a point is anomalous ([`telemetryhub_anomaly::DEFAULT_THRESHOLD`], chosen
    /// across the NAB and synthetic corpora).
    pub threshold: f64,
    /// Detections at most this far apart belong to one anomaly window, ns.
    pub merge_gap_ns: i64,
    /// Points younger than this are left for the next run, so late writes are still in order.
    pub lag_ns: i64,
    /// On start, this much history is scored first (detectors need history to judge).
    pub warmup_ns: i64,
    /// Most points read per run; the rest is read by the next run.
    pub max_points_per_run: usize,
    /// Most series given a detector (at most 64 KB each, 33 KB mean on NAB): points of
    /// further series are counted, not scored, so a million scraped series cannot take the
    /// detectors' memory past what was planned for.
    pub max_series: usize,
}

impl Default for AnomalyJobConfig {
    fn default() -> Self {
        AnomalyJobConfig {
            detector: DetectorConfig::default(),
            threshold: telemetryhub_anomaly::DEFAULT_THRESHOLD,
            merge_gap_ns: 5 * 60 * 1_000_000_000,
            lag_ns: 5 * 1_000_000_000,
            warmup_ns: 6 * 3600 * 1_000_000_000,
            max_points_per_run: 1_000_000,
            max_series: 10_000,
        }
    }
}

impl AnomalyJobConfig {
    /// With the statistical model alone (about 26 KB per series instead of about 33 KB), at its
    /// own NAB-optimal threshold.
    pub fn statistical() -> AnomalyJobConfig {
        AnomalyJobConfig {
            detector: DetectorConfig::statistical(),
            threshold: 0.816,
            ..AnomalyJobConfig::default()
        }
    }
}

/// (tenant, service, metric, labels as JSON)
type SeriesKey = (String, String, String, String);

#[derive(serde::Serialize, serde::Deserialize)]
struct SeriesState {
    detector: Detector,
    last_ts: i64,
    open: Option<Anomaly>,
}

/// [`SavedState`] borrowed, to save without cloning every detector.
#[derive(serde::Serialize)]
struct SavedStateRef<'a> {
    watermark: Option<i64>,
    series: Vec<(&'a SeriesKey, &'a SeriesState)>,
}

/// What the job keeps across restarts.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedState {
    watermark: Option<i64>,
    series: Vec<(SeriesKey, SeriesState)>,
}

/// Reads a saved state: CBOR, or the JSON that versions before 3 of the detector saved (a
/// JSON object starts with `{`; a CBOR map never does).
fn decode_state(bytes: &[u8]) -> Result<SavedState, String> {
    if bytes.first() == Some(&b'{') {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    } else {
        ciborium::from_reader(bytes).map_err(|e| e.to_string())
    }
}

/// The job's name in the store's job state.
const STATE_KEY: &str = "anomaly_job";

/// Runs between saves of the detectors' state (and one more at shutdown).
const SAVE_EVERY_RUNS: u64 = 10;

/// Scores every series; see the module documentation.
pub struct AnomalyJob {
    backend: Backend,
    config: AnomalyJobConfig,
    series: Mutex<HashMap<SeriesKey, SeriesState>>,
    watermark: Mutex<Option<i64>>,
}

fn anomaly_id(key: &SeriesKey, window_start_ns: i64) -> String {
    // FNV-1a: stable across releases, so a window rescored after a restart keeps its id.
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for part in [
        key.0.as_bytes(),
        key.1.as_bytes(),
        key.2.as_bytes(),
        key.3.as_bytes(),
        &window_start_ns.to_le_bytes(),
    ] {
        for byte in part.iter().chain(std::iter::once(&0xff)) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

impl AnomalyJob {
    /// A job over `backend`'s metrics.
    pub fn new(backend: Backend, config: AnomalyJobConfig) -> AnomalyJob {
        AnomalyJob {
            backend,
            config,
            series: Mutex::new(HashMap::new()),
            watermark: Mutex::new(None),
        }
    }

    /// A job that continues where a saved one stopped: same detectors, same watermark. A
    /// missing or unreadable saved state starts afresh (with a warning for the latter).
    pub async fn restore(
        backend: Backend,
        config: AnomalyJobConfig,
    ) -> Result<AnomalyJob, JobError> {
        let job = AnomalyJob::new(backend.clone(), config);
        if let Some(bytes) = backend.state.job_state(STATE_KEY).await? {
            match decode_state(&bytes) {
                Ok(saved) => {
                    tracing::info!(series = saved.series.len(), "restored anomaly detectors");
                    *job.watermark.lock().unwrap_or_else(|p| p.into_inner()) = saved.watermark;
                    *job.series.lock().unwrap_or_else(|p| p.into_inner()) =
                        saved.series.into_iter().collect();
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot read the saved anomaly detectors; starting afresh")
                }
            }
        }
        Ok(job)
    }

    /// Saves the detectors and the watermark.
    pub async fn save(&self) -> Result<(), JobError> {
        let bytes = {
            let series = self.series.lock().unwrap_or_else(|p| p.into_inner());
            let watermark = *self.watermark.lock().unwrap_or_else(|p| p.into_inner());
            let saved = SavedStateRef {
                watermark,
                series: series.iter().collect(),
            };
            let mut bytes = Vec::new();
            ciborium::into_writer(&saved, &mut bytes)
                .map_err(|e| JobError::Encoding(e.to_string()))?;
            bytes
        };
        Ok(self.backend.state.put_job_state(STATE_KEY, bytes).await?)
    }

    /// One run: scores the points that arrived since the last run; returns the anomalies
    /// written (new or extended).
    pub async fn run_once(&self) -> Result<usize, JobError> {
        self.run_until(now_ns() - self.config.lag_ns).await
    }

    /// One run over the points before `until_ns` not scored yet (the first run starts
    /// `warmup_ns` before `until_ns`).
    pub async fn run_until(&self, until_ns: i64) -> Result<usize, JobError> {
        let until = until_ns;
        let since = self
            .watermark
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .unwrap_or(until - self.config.warmup_ns);
        if until <= since {
            return Ok(0);
        }
        let points = self
            .backend
            .query
            .scan_metrics_of_all_tenants(since, until, self.config.max_points_per_run)
            .await?;
        let complete = points.len() < self.config.max_points_per_run;
        let next = match points.last() {
            Some(last) if !complete => last.ts_ns + 1,
            _ => until,
        };
        let thresholds: HashMap<String, f64> = self
            .backend
            .state
            .series_thresholds()
            .await?
            .into_iter()
            .collect();
        let updated = self.score(points, &thresholds);
        let written = updated.len();
        self.backend.state.put_anomalies(updated).await?;
        *self.watermark.lock().unwrap_or_else(|p| p.into_inner()) = Some(next);
        Ok(written)
    }

    fn score(&self, points: Vec<MetricPoint>, thresholds: &HashMap<String, f64>) -> Vec<Anomaly> {
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let mut updated: HashMap<String, Anomaly> = HashMap::new();
        let mut unscored: u64 = 0;
        for point in points {
            let labels = serde_json::to_string(&point.labels).unwrap_or_default();
            let key = (
                point.tenant.clone(),
                point.service.clone(),
                point.metric.clone(),
                labels,
            );
            if series.len() >= self.config.max_series && !series.contains_key(&key) {
                unscored += 1;
                continue;
            }
            let state = series.entry(key.clone()).or_insert_with(|| SeriesState {
                detector: Detector::new(self.config.detector.clone()),
                last_ts: i64::MIN,
                open: None,
            });
            // Out of order or repeated: an online detector only moves forward.
            if point.ts_ns <= state.last_ts {
                continue;
            }
            state.last_ts = point.ts_ns;
            let band = state.detector.expected_at(point.ts_ns);
            let score = state.detector.score_at(point.ts_ns, point.value);
            let model = state.detector.model();
            let threshold = thresholds
                .get(&series_key(
                    &point.tenant,
                    &point.service,
                    &point.metric,
                    &point.labels,
                ))
                .copied()
                .unwrap_or(self.config.threshold);
            if score < threshold {
                continue;
            }
            let (low, high) = band.unwrap_or((point.value, point.value));
            let anomaly = match state.open.take() {
                Some(mut open) if point.ts_ns - open.window_end_ns <= self.config.merge_gap_ns => {
                    open.window_end_ns = point.ts_ns;
                    if score > open.score {
                        open.score = score;
                        open.value = point.value;
                        open.expected_low = low;
                        open.expected_high = high;
                    }
                    open
                }
                _ => {
                    ANOMALIES
                        .with_label_values(&[point.service.as_str(), point.metric.as_str()])
                        .inc();
                    Anomaly {
                        id: anomaly_id(&key, point.ts_ns),
                        tenant: point.tenant.clone(),
                        service: point.service.clone(),
                        metric: point.metric.clone(),
                        labels: point.labels.clone(),
                        window_start_ns: point.ts_ns,
                        window_end_ns: point.ts_ns,
                        score,
                        threshold,
                        value: point.value,
                        expected_low: low,
                        expected_high: high,
                        detector: model.into(),
                        model_version: MODEL_VERSION.into(),
                        ts_ns: now_ns(),
                        feedback: None,
                    }
                }
            };
            updated.insert(anomaly.id.clone(), anomaly.clone());
            state.open = Some(anomaly);
        }
        if unscored > 0 {
            UNSCORED_POINTS.inc_by(unscored);
            tracing::warn!(
                unscored,
                max_series = self.config.max_series,
                "anomaly detection covers at most --anomaly-max-series series; points of further series were not scored"
            );
        }
        let mut updated: Vec<Anomaly> = updated.into_values().collect();
        updated.sort_by(|a, b| a.id.cmp(&b.id));
        updated
    }

    /// Runs the job every `interval` until `stop` is notified, saving its state every
    /// few runs and when it stops.
    pub fn spawn(
        self: Arc<Self>,
        interval: Duration,
        stop: Arc<tokio::sync::Notify>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut runs = 0u64;
            while crate::next_tick(interval, &stop).await {
                crate::timed_run(
                    "anomalies",
                    self.run_once(),
                    "recorded anomalies",
                    "anomaly job failed",
                )
                .await;
                runs += 1;
                if runs.is_multiple_of(SAVE_EVERY_RUNS)
                    && let Err(error) = self.save().await
                {
                    tracing::error!(%error, "cannot save the anomaly detectors");
                }
            }
            if let Err(error) = self.save().await {
                tracing::error!(%error, "cannot save the anomaly detectors");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::{AnomalyQuery, Labels, MetricsWrite, SeriesBatch};

    use super::*;
    use crate::anomaly_feedback::{Verdict, threshold_after};

    const MINUTE: i64 = 60_000_000_000;

    fn series(service: &str, start_ns: i64, from: i64, to: i64, spike_at: i64) -> Vec<MetricPoint> {
        (from..to)
            .map(|i| MetricPoint {
                tenant: "t".into(),
                service: service.into(),
                metric: "latency".into(),
                labels: Labels::new(),
                ts_ns: start_ns + i * MINUTE,
                value: if i == spike_at {
                    900.0
                } else {
                    100.0 + (i % 5) as f64
                },
            })
            .collect()
    }

    async fn write(backend: &Backend, points: Vec<MetricPoint>) {
        let write = MetricsWrite::of(SeriesBatch::from_points("t", &points));
        backend.data.write_metrics(write).await.unwrap();
    }

    async fn anomalies_of(backend: &Backend, service: &str) -> Vec<Anomaly> {
        let query = AnomalyQuery {
            tenant: "t".into(),
            service: Some(service.into()),
            metric: None,
            since_ns: 0,
            until_ns: i64::MAX,
            min_score: 0.0,
            limit: 10,
        };
        backend.state.query_anomalies(&query).await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn series_past_the_limit_are_counted_not_scored() {
        let (_dir, backend) = crate::testing::temp_backend();
        let config = AnomalyJobConfig {
            max_series: 1,
            ..AnomalyJobConfig::default()
        };
        let job = AnomalyJob::new(backend.clone(), config);
        let start = now_ns() - 12 * 60 * MINUTE;
        let before = UNSCORED_POINTS.get();
        let mut points = series("first", start, 0, 50, 1_000);
        points.extend(series("second", start, 0, 50, 1_000));
        let scored = job.score(points, &HashMap::new());
        assert!(scored.is_empty());
        assert_eq!(
            job.series.lock().unwrap().len(),
            1,
            "one detector, as configured"
        );
        assert!(
            UNSCORED_POINTS.get() - before >= 50,
            "the second series' points are counted"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_false_positive_stops_that_series_firing_at_that_score() {
        let (_dir, backend) = crate::testing::temp_backend();
        let job = AnomalyJob::new(backend.clone(), AnomalyJobConfig::default());
        let start = now_ns() - 12 * 60 * MINUTE;
        for service in ["a", "b"] {
            write(&backend, series(service, start, 0, 200, 190)).await;
        }
        assert_eq!(
            job.run_until(start + 200 * MINUTE).await.unwrap(),
            2,
            "one spike per series"
        );
        let first = anomalies_of(&backend, "a").await;
        let key = series_key("t", "a", "latency", &Labels::new());
        let raised = threshold_after(Verdict::FalsePositive, first[0].threshold, first[0].score);
        backend
            .state
            .put_series_threshold(&key, raised)
            .await
            .unwrap();
        // The same kind of spike again, well after the detector's post-alarm damping.
        for service in ["a", "b"] {
            write(&backend, series(service, start, 200, 400, 390)).await;
        }
        assert_eq!(
            job.run_until(start + 400 * MINUTE).await.unwrap(),
            1,
            "only the series without feedback fires again"
        );
        assert_eq!(anomalies_of(&backend, "a").await.len(), 1);
        assert_eq!(anomalies_of(&backend, "b").await.len(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_restored_job_continues_with_the_same_detectors() {
        let (_dir, backend) = crate::testing::temp_backend();
        let start = now_ns() - 12 * 60 * MINUTE;
        write(&backend, series("a", start, 0, 200, 190)).await;
        let job = AnomalyJob::new(backend.clone(), AnomalyJobConfig::default());
        assert_eq!(job.run_until(start + 200 * MINUTE).await.unwrap(), 1);
        job.save().await.unwrap();
        drop(job);
        write(&backend, series("a", start, 200, 400, 390)).await;
        let restored = AnomalyJob::restore(backend.clone(), AnomalyJobConfig::default())
            .await
            .unwrap();
        // Continues after the watermark: the first spike is not scored again, the second is,
        // by a detector that already knows the series (no warm-up needed).
        assert_eq!(restored.run_until(start + 400 * MINUTE).await.unwrap(), 1);
        assert_eq!(anomalies_of(&backend, "a").await.len(), 2);
        // A fresh job would have needed the history again: without restore, the late points
        // alone are too few to judge (the detector warms up on 48 points, the spike is at 190).
        let fresh = AnomalyJob::new(
            backend.clone(),
            AnomalyJobConfig {
                warmup_ns: 10 * MINUTE,
                ..AnomalyJobConfig::default()
            },
        );
        assert_eq!(fresh.run_until(start + 400 * MINUTE).await.unwrap(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn states_are_saved_as_cbor_and_json_states_still_restore() {
        let (_dir, backend) = crate::testing::temp_backend();
        let start = now_ns() - 12 * 60 * MINUTE;
        write(&backend, series("a", start, 0, 200, 190)).await;
        let job = AnomalyJob::new(backend.clone(), AnomalyJobConfig::default());
        job.run_until(start + 200 * MINUTE).await.unwrap();
        job.save().await.unwrap();
        let cbor = backend.state.job_state(STATE_KEY).await.unwrap().unwrap();
        let json = {
            let series = job.series.lock().unwrap();
            let saved = SavedStateRef {
                watermark: *job.watermark.lock().unwrap(),
                series: series.iter().collect(),
            };
            serde_json::to_vec(&saved).unwrap()
        };
        assert_ne!(cbor.first(), Some(&b'{'));
        assert!(cbor.len() < json.len(), "{} vs {}", cbor.len(), json.len());
        for bytes in [cbor, json] {
            backend.state.put_job_state(STATE_KEY, bytes).await.unwrap();
            let restored = AnomalyJob::restore(backend.clone(), AnomalyJobConfig::default())
                .await
                .unwrap();
            assert_eq!(restored.series.lock().unwrap().len(), 1);
            assert_eq!(
                *restored.watermark.lock().unwrap(),
                *job.watermark.lock().unwrap()
            );
        }
    }
}
