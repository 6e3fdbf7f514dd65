//! The online detector: robust statistics over a sliding window, scored per point.
//!
//! Three views of each new point, each a robust z-score against the recent past (median and
//! MAD, so a single outlier does not move the baseline): its level, its change from the previous
//! point (spikes), and the median of the last few points (level shifts, which single-point views
//! see only at their first step). The largest becomes a score in `[0, 1]` through a logistic.
//! After a confident alarm, scores are damped for a while: the same incident firing again adds
//! nothing but false positives.

use std::collections::VecDeque;

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
        }
    }
}

/// Per-series state; a few kilobytes (the window of recent values and differences).
/// Serialisable, so that the anomaly job can keep it across restarts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Detector {
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

impl Detector {
    /// A detector with no history.
    pub fn new(config: DetectorConfig) -> Detector {
        Detector {
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
    pub fn score_at(&mut self, ts_ns: i64, value: f64) -> f64 {
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
    pub fn score(&mut self, value: f64) -> f64 {
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

    /// The band recent values fall in: median ± 3 robust standard deviations of the window, or
    /// `None` before there is history.
    pub fn expected(&self) -> Option<(f64, f64)> {
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
