//! The anomaly job: every interval, the new points of every series are scored by that series'
//! online detector; points at or above the threshold open an anomaly window, and detections
//! close together extend it rather than open another.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use prometheus::{IntCounterVec, register_int_counter_vec};
use telemetryhub_anomaly::{Detector, DetectorConfig};
use telemetryhub_model::{Anomaly, MetricPoint, now_ns};
use telemetryhub_storage::{Storage, StorageError};

/// Anomalies detected by service and metric, as named by the original design.
pub static ANOMALIES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetry_anomalies_total",
        "Anomalies detected by service and metric",
        &["service", "metric"]
    )
    .expect("metric registers once")
});

/// Settings of the anomaly job.
#[derive(Debug, Clone)]
pub struct AnomalyJobConfig {
    /// Score at which a point is anomalous (the NAB-optimal threshold of the default detector).
    pub threshold: f64,
    /// Detections at most this far apart belong to one anomaly window, ns.
    pub merge_gap_ns: i64,
    /// Points younger than this are left for the next run, so late writes are still in order.
    pub lag_ns: i64,
    /// On start, this much history is scored first (detectors need history to judge).
    pub warmup_ns: i64,
    /// Most points read per run; the rest is read by the next run.
    pub max_points_per_run: usize,
}

impl Default for AnomalyJobConfig {
    fn default() -> Self {
        AnomalyJobConfig {
            threshold: 0.81,
            merge_gap_ns: 5 * 60 * 1_000_000_000,
            lag_ns: 5 * 1_000_000_000,
            warmup_ns: 6 * 3600 * 1_000_000_000,
            max_points_per_run: 1_000_000,
        }
    }
}

/// (tenant, service, metric, labels as JSON)
type SeriesKey = (String, String, String, String);

struct SeriesState {
    detector: Detector,
    last_ts: i64,
    open: Option<Anomaly>,
}

/// Scores every series; see the module documentation.
pub struct AnomalyJob {
    storage: Arc<dyn Storage>,
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
    /// A job over `storage`'s metrics.
    pub fn new(storage: Arc<dyn Storage>, config: AnomalyJobConfig) -> AnomalyJob {
        AnomalyJob {
            storage,
            config,
            series: Mutex::new(HashMap::new()),
            watermark: Mutex::new(None),
        }
    }

    /// One run: scores the points that arrived since the last run; returns the anomalies
    /// written (new or extended).
    pub async fn run_once(&self) -> Result<usize, StorageError> {
        let now = now_ns();
        let since = self
            .watermark
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .unwrap_or(now - self.config.warmup_ns);
        let until = now - self.config.lag_ns;
        if until <= since {
            return Ok(0);
        }
        let points = self
            .storage
            .scan_metrics(since, until, self.config.max_points_per_run)
            .await?;
        let complete = points.len() < self.config.max_points_per_run;
        let next = match points.last() {
            Some(last) if !complete => last.ts_ns + 1,
            _ => until,
        };
        let updated = self.score(points);
        let written = updated.len();
        self.storage.put_anomalies(updated).await?;
        *self.watermark.lock().unwrap_or_else(|p| p.into_inner()) = Some(next);
        Ok(written)
    }

    fn score(&self, points: Vec<MetricPoint>) -> Vec<Anomaly> {
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let mut updated: HashMap<String, Anomaly> = HashMap::new();
        for point in points {
            let labels = serde_json::to_string(&point.labels).unwrap_or_default();
            let key = (
                point.tenant.clone(),
                point.service.clone(),
                point.metric.clone(),
                labels,
            );
            let state = series.entry(key.clone()).or_insert_with(|| SeriesState {
                detector: Detector::new(DetectorConfig::default()),
                last_ts: i64::MIN,
                open: None,
            });
            // Out of order or repeated: an online detector only moves forward.
            if point.ts_ns <= state.last_ts {
                continue;
            }
            state.last_ts = point.ts_ns;
            let band = state.detector.expected();
            let score = state.detector.score_at(point.ts_ns, point.value);
            if score < self.config.threshold {
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
                        threshold: self.config.threshold,
                        value: point.value,
                        expected_low: low,
                        expected_high: high,
                        detector: "robust-seasonal".into(),
                        model_version: "1".into(),
                        ts_ns: now_ns(),
                    }
                }
            };
            updated.insert(anomaly.id.clone(), anomaly.clone());
            state.open = Some(anomaly);
        }
        let mut updated: Vec<Anomaly> = updated.into_values().collect();
        updated.sort_by(|a, b| a.id.cmp(&b.id));
        updated
    }

    /// Runs the job every `interval` until `stop` is notified.
    pub fn spawn(
        self: Arc<Self>,
        interval: Duration,
        stop: Arc<tokio::sync::Notify>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stop.notified() => break,
                    _ = tokio::time::sleep(interval) => {}
                }
                match self.run_once().await {
                    Ok(0) => {}
                    Ok(written) => tracing::info!(written, "recorded anomalies"),
                    Err(error) => tracing::error!(%error, "anomaly job failed"),
                }
            }
        })
    }
}
