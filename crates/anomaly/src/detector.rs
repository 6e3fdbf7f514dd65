//! The online detector. Two models per series:
//!
//! - a *statistical* one: robust statistics over a sliding window, scored per point; it gives
//!   the expected band, and the scores while the series is young;
//! - once `context_warmup` points have been seen, the *contextual* one ([`ContextDetector`]),
//!   which learns the series' recurring patterns: its value range is the range of those first
//!   points widened by `context_margin` on each side, it learns them (replayed, scores dropped),
//!   and from then on it gives the scores. On the NAB corpus it scores far better than the
//!   statistical model alone (docs/benchmarks.md).
//!
//! The statistical model: three views of each new point, each a robust z-score against the recent past (median and
//! MAD, so a single outlier does not move the baseline): its level, its change from the previous
//! point (spikes), and the median of the last few points (level shifts, which single-point views
//! see only at their first step). The largest becomes a score in `[0, 1]` through a logistic.
//! After a confident alarm, scores are damped for a while: the same incident firing again adds
//! nothing but false positives.

use std::collections::VecDeque;

use crate::context::{ContextConfig, ContextDetector};

/// Version of the detector's models, recorded with every anomaly: 2 added the contextual model.
pub const MODEL_VERSION: &str = "2";

/// Settings of the detector.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DetectorConfig {
    /// Points of history the baseline is computed over.
    pub window: usize,
    /// Points before the first score (scores are 0 until then).
    pub warmup: usize,
    /// Points in the short median that detects level shifts.
    pub shift_span: usize,
    /// Robust z at which the score is 0.5.
    pub z_mid: f64,
    /// Spread of the logistic around `z_mid`.
    pub z_spread: f64,
    /// Points during which scores are damped after an alarm.
    pub refractory: usize,
    /// Score above which a point counts as an alarm.
    pub alarm: f64,
    /// Points seen before the contextual model takes over (its value range comes from them);
    /// `usize::MAX` keeps the statistical model alone (see [`DetectorConfig::statistical`]).
    #[serde(default = "default_context_warmup")]
    pub context_warmup: usize,
    /// The contextual model's range: the warm-up's range widened by this share of it on each
    /// side (later, larger values still get their own, anomalous bins).
    #[serde(default = "default_context_margin")]
    pub context_margin: f64,
    /// The contextual model's settings.
    #[serde(default = "default_context")]
    pub context: ContextConfig,
}

impl DetectorConfig {
    /// The statistical model alone: a few kilobytes per series instead of up to a few hundred,
    /// for a lower NAB score (docs/benchmarks.md).
    pub fn statistical() -> DetectorConfig {
        DetectorConfig {
            context_warmup: usize::MAX,
            ..DetectorConfig::default()
        }
    }
}

fn default_context_warmup() -> usize {
    600
}

fn default_context_margin() -> f64 {
    0.5
}

fn default_context() -> ContextConfig {
    // Two active contexts fed back instead of the original 15, and at most 2,000 contexts: a
    // quarter of the state for an equal or better NAB score (docs/benchmarks.md has the sweep).
    ContextConfig {
        rest_period: 60,
        max_active: 2,
        max_contexts: 2_000,
        ..ContextConfig::default()
    }
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            window: 288,
            warmup: 48,
            shift_span: 6,
            z_mid: 6.0,
            z_spread: 1.0,
            refractory: 144,
            alarm: 0.8,
            context_warmup: default_context_warmup(),
            context_margin: default_context_margin(),
            context: default_context(),
        }
    }
}

/// Per-series state: the statistical model (about 18 KB at one point a minute while it scores,
/// its 288-value window afterwards), the warm-up values, then the contextual model (bounded by
/// `context.max_contexts`). Serialisable, so that the anomaly job
/// can keep it across restarts; states saved before the contextual model existed still load.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Detector {
    #[serde(flatten)]
    statistical: Statistical,
    /// Values seen before the contextual model exists.
    #[serde(default)]
    warmup: Vec<f64>,
    #[serde(default)]
    context: Option<ContextDetector>,
}

impl Detector {
    /// A detector with no history.
    pub fn new(config: DetectorConfig) -> Detector {
        Detector {
            statistical: Statistical::new(config),
            warmup: Vec::new(),
            context: None,
        }
    }

    /// Scores a point with its time (ns since the epoch); see [`Detector::score`]. The time lets
    /// the statistical model learn the sampling interval and use its daily seasonal view.
    pub fn score_at(&mut self, ts_ns: i64, value: f64) -> f64 {
        if self.context.is_some() {
            return self.score_contextual(value);
        }
        let statistical = self.statistical.score_at(ts_ns, value);
        self.warm_up(value);
        statistical
    }

    /// Scores `value` against the history, then adds it to the history.
    pub fn score(&mut self, value: f64) -> f64 {
        if self.context.is_some() {
            return self.score_contextual(value);
        }
        let statistical = self.statistical.score(value);
        self.warm_up(value);
        statistical
    }

    /// The band recent values fall in: median ± 3 robust standard deviations of the window, or
    /// `None` before there is history.
    pub fn expected(&self) -> Option<(f64, f64)> {
        self.statistical.expected()
    }

    /// The model that scores the next point: `robust-seasonal` (the statistical model) or
    /// `contextual`.
    pub fn model(&self) -> &'static str {
        if self.context.is_some() {
            "contextual"
        } else {
            "robust-seasonal"
        }
    }

    /// Heap bytes of the state, computed from the collections' capacities.
    pub fn heap_bytes(&self) -> usize {
        let statistical = &self.statistical;
        8 * (statistical.values.capacity()
            + statistical.season.capacity()
            + statistical.seasonal_diffs.capacity()
            + statistical.diffs.capacity()
            + statistical.intervals.capacity()
            + self.warmup.capacity())
            + self.context.as_ref().map_or(0, ContextDetector::heap_bytes)
    }

    /// Once the contextual model scores, the statistical one only keeps its window of recent
    /// values, for the expected band.
    fn score_contextual(&mut self, value: f64) -> f64 {
        if !value.is_finite() {
            return 0.0;
        }
        self.statistical.observe(value);
        self.context
            .as_mut()
            .map_or(0.0, |context| context.score(value).min(MAX_SCORE))
    }

    /// Collects the warm-up; at its end, builds the contextual model from it.
    fn warm_up(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.warmup.push(value);
        let config = &self.statistical.config;
        if self.warmup.len() < config.context_warmup {
            return;
        }
        let min = self.warmup.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self
            .warmup
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let margin = config.context_margin * (max - min);
        let mut context = ContextDetector::new(config.context.clone(), min - margin, max + margin);
        for value in std::mem::take(&mut self.warmup) {
            context.score(value);
        }
        self.context = Some(context);
        self.statistical.stop_scoring();
    }
}

/// The statistical model.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Statistical {
    config: DetectorConfig,
    values: VecDeque<f64>,
    /// The last day of values (when the sampling interval is known), for the seasonal view.
    season: VecDeque<f64>,
    /// Differences to the same time one day earlier.
    seasonal_diffs: VecDeque<f64>,
    /// Points per day, once the sampling interval is known.
    period: Option<usize>,
    /// The first sampling intervals, ns, from which the period is inferred.
    intervals: Vec<i64>,
    last_ts: Option<i64>,
    /// Decayed counts of past z values in log-spaced bins: how often this series has been this
    /// far out before.
    z_history: [f64; Z_BINS],
    diffs: VecDeque<f64>,
    since_alarm: usize,
    seen: usize,
}

/// The largest score the detector gives.
pub const MAX_SCORE: f64 = 1.0 - 1e-9;

const Z_BINS: usize = 32;
/// Per-point decay of the z history: a half-life of about 350 points.
const Z_DECAY: f64 = 0.998;
/// A z reached this rarely (or never) keeps its full score.
const RARE_SHARE: f64 = 0.02;

fn z_bin(z: f64) -> usize {
    (((1.0 + z.max(0.0)).log2() * 4.0) as usize).min(Z_BINS - 1)
}

/// Intervals observed before the period is inferred.
const PERIOD_SAMPLES: usize = 32;
/// Longest day kept, in points (a day at 40 s sampling): bounds the seasonal memory to 16 KiB.
const MAX_PERIOD: usize = 2048;

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Median and a robust scale of `values`: the MAD, or — when more than half the values are equal
/// and the MAD is 0 — the mean absolute deviation, so that two-valued series (0, 1, 0, 1...) do
/// not get a zero scale.
fn robust(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut sorted: Vec<f64> = values.collect();
    sorted.sort_by(f64::total_cmp);
    let center = median(&sorted);
    let mut deviations: Vec<f64> = sorted.iter().map(|v| (v - center).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    // 1.4826 (MAD) and 1.2533 (mean absolute deviation) estimate the standard deviation of
    // normal data.
    let mad = 1.4826 * median(&deviations);
    let scale = if mad > 0.0 || deviations.is_empty() {
        mad
    } else {
        1.2533 * deviations.iter().sum::<f64>() / deviations.len() as f64
    };
    (center, scale)
}

impl Statistical {
    /// Adds a value to the window without scoring it.
    fn observe(&mut self, value: f64) {
        self.values.push_back(value);
        if self.values.len() > self.config.window {
            self.values.pop_front();
        }
        self.seen += 1;
    }

    /// Frees what only scoring needs (differences, the seasonal day): from now on the model
    /// just observes.
    fn stop_scoring(&mut self) {
        self.diffs = VecDeque::new();
        self.season = VecDeque::new();
        self.seasonal_diffs = VecDeque::new();
        self.intervals = Vec::new();
    }

    fn new(config: DetectorConfig) -> Statistical {
        Statistical {
            config,
            values: VecDeque::new(),
            diffs: VecDeque::new(),
            season: VecDeque::new(),
            seasonal_diffs: VecDeque::new(),
            period: None,
            intervals: Vec::new(),
            last_ts: None,
            z_history: [0.0; Z_BINS],
            since_alarm: usize::MAX,
            seen: 0,
        }
    }

    /// Scores a point with its time (ns since the epoch). Once the sampling interval is known
    /// and a day of history exists, a value that is usual for its time of day (compared with
    /// the same time one day earlier) is not scored as an anomaly.
    fn score_at(&mut self, ts_ns: i64, value: f64) -> f64 {
        if let Some(last) = self.last_ts
            && self.period.is_none()
            && ts_ns > last
        {
            self.intervals.push(ts_ns - last);
            if self.intervals.len() >= PERIOD_SAMPLES {
                self.intervals.sort_unstable();
                let interval = self.intervals[self.intervals.len() / 2];
                let per_day = (86_400_000_000_000_f64 / interval as f64).round() as usize;
                self.period = (12..=MAX_PERIOD).contains(&per_day).then_some(per_day);
                self.intervals = Vec::new();
            }
        }
        self.last_ts = Some(ts_ns);
        self.score(value)
    }

    /// Scores `value` against the history, then adds it to the history.
    fn score(&mut self, value: f64) -> f64 {
        let score = if self.seen < self.config.warmup || !value.is_finite() {
            0.0
        } else {
            let z = self.raw_z(value);
            let rarity = self.rarity(z);
            rarity / (1.0 + (-(z - self.config.z_mid) / self.config.z_spread).exp())
        };
        let damped = if self.since_alarm < self.config.refractory {
            score * 0.3
        } else {
            score
        };
        // Never exactly 1: a threshold raised by feedback stays reachable only by a larger
        // score (see the anomaly job's feedback rule).
        let damped = damped.min(MAX_SCORE);
        if damped >= self.config.alarm {
            self.since_alarm = 0;
        } else {
            self.since_alarm = self.since_alarm.saturating_add(1);
        }
        if value.is_finite() {
            if let Some(previous) = self.values.back() {
                self.diffs.push_back(value - previous);
                if self.diffs.len() > self.config.window {
                    self.diffs.pop_front();
                }
            }
            self.values.push_back(value);
            if self.values.len() > self.config.window {
                self.values.pop_front();
            }
            if let Some(period) = self.period {
                if self.season.len() == period
                    && let Some(day_before) = self.season.pop_front()
                {
                    self.seasonal_diffs.push_back(value - day_before);
                    if self.seasonal_diffs.len() > self.config.window {
                        self.seasonal_diffs.pop_front();
                    }
                }
                self.season.push_back(value);
            }
        }
        self.seen += 1;
        damped
    }

    fn expected(&self) -> Option<(f64, f64)> {
        if self.values.is_empty() {
            return None;
        }
        let (center, scale) = robust(self.values.iter().copied());
        Some((center - 3.0 * scale, center + 3.0 * scale))
    }

    /// 1 for a z this series has (almost) never reached, less the more often it has: a series
    /// whose normal state is spiky stops alarming on its usual spikes.
    fn rarity(&mut self, z: f64) -> f64 {
        let bin = z_bin(z);
        let total: f64 = self.z_history.iter().sum();
        let at_least: f64 = self.z_history[bin..].iter().sum();
        let share = (at_least + 1.0) / (total + 1.0);
        for count in &mut self.z_history {
            *count *= Z_DECAY;
        }
        self.z_history[bin] += 1.0;
        (share.ln() / RARE_SHARE.ln()).clamp(0.0, 1.0)
    }

    fn raw_z(&self, value: f64) -> f64 {
        let (center, scale) = robust(self.values.iter().copied());
        // A floor on the scale: a flat series must not turn rounding noise into alarms.
        let floor = (center.abs() * 1e-3).max(1e-9);
        let scale = scale.max(floor);
        let z_level = (value - center).abs() / scale;
        let z_diff = match self.values.back() {
            Some(previous) if self.diffs.len() >= self.config.warmup / 2 => {
                let (dc, ds) = robust(self.diffs.iter().copied());
                ((value - previous) - dc).abs() / ds.max(floor)
            }
            _ => 0.0,
        };
        let span = self.config.shift_span.min(self.values.len());
        let recent: Vec<f64> = self
            .values
            .iter()
            .rev()
            .take(span.saturating_sub(1))
            .copied()
            .chain(std::iter::once(value))
            .collect();
        let (recent_center, _) = robust(recent.into_iter());
        let z_shift = (recent_center - center).abs() / scale;
        let mut z = z_level.max(z_diff).max(z_shift * 1.5);
        // The seasonal view, where it explains the series better than the recent level does:
        // a value as far from yesterday's as usual is not an anomaly, whatever the jump from
        // the previous point (daily ramps, business hours).
        if self.season.len() == self.period.unwrap_or(usize::MAX)
            && self.seasonal_diffs.len() >= self.config.warmup
            && let Some(day_before) = self.season.front()
        {
            let (sc, ss) = robust(self.seasonal_diffs.iter().copied());
            if ss < scale {
                let z_seasonal = ((value - day_before) - sc).abs() / ss.max(floor);
                z = z.min(z_seasonal);
            }
        }
        z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_on_noise_loud_on_a_spike_and_online() {
        let mut detector = Detector::new(DetectorConfig::default());
        let mut rng = 7u64;
        let mut noise = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % 1000) as f64 / 1000.0
        };
        let mut max_noise_score: f64 = 0.0;
        for _ in 0..500 {
            max_noise_score = max_noise_score.max(detector.score(10.0 + noise()));
        }
        assert!(max_noise_score < 0.5, "noise scored {max_noise_score}");
        assert!(
            detector.score(25.0) > 0.9,
            "a spike of 15 on noise of 1 is an anomaly"
        );
    }

    #[test]
    fn the_contextual_model_takes_over_after_the_warm_up_and_round_trips() {
        let config = DetectorConfig {
            context_warmup: 100,
            ..DetectorConfig::default()
        };
        let mut detector = Detector::new(config);
        let value = |i: usize| 10.0 + (i % 7) as f64;
        for i in 0..99 {
            detector.score(value(i));
        }
        assert!(detector.context.is_none());
        detector.score(value(99));
        assert!(detector.context.is_some(), "the warm-up is over");
        assert!(detector.warmup.is_empty());
        let mut restored: Detector =
            serde_json::from_str(&serde_json::to_string(&detector).unwrap()).unwrap();
        for i in 100..200 {
            assert_eq!(
                detector.score(value(i)).to_bits(),
                restored.score(value(i)).to_bits()
            );
        }
        assert!(detector.expected().is_some());
    }

    #[test]
    fn a_state_saved_before_the_contextual_model_still_loads() {
        let mut detector = Detector::new(DetectorConfig::default());
        for i in 0..10 {
            detector.score(i as f64);
        }
        // What the previous version saved: the statistical fields only, without the new
        // settings.
        let mut old = serde_json::to_value(&detector.statistical).unwrap();
        for field in ["context_warmup", "context_margin", "context"] {
            old["config"].as_object_mut().unwrap().remove(field);
        }
        let loaded: Detector = serde_json::from_value(old).unwrap();
        assert_eq!(loaded.statistical.config, DetectorConfig::default());
        assert!(loaded.context.is_none());
    }

    #[test]
    fn a_level_shift_is_flagged_once() {
        let mut detector = Detector::new(DetectorConfig::default());
        for i in 0..300 {
            detector.score(if i % 2 == 0 { 5.0 } else { 5.2 });
        }
        let scores: Vec<f64> = (0..100)
            .map(|i| detector.score(if i % 2 == 0 { 9.0 } else { 9.2 }))
            .collect();
        assert!(scores[0] > 0.8, "{:?}", &scores[..3]);
        let alarms = scores.iter().filter(|s| **s >= 0.8).count();
        assert_eq!(alarms, 1, "damped after the first alarm: {scores:?}");
    }
}
