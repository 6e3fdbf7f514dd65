//! The online detector. Two models per series:
//!
//! - a *statistical* one ([`crate::statistical`]): robust views of each point (level, change,
//!   shift, trend, the spread of the steps, the hour-of-day and day-of-week profile and the drift
//!   from it sustained over many points) and an isolation forest over them,
//!   scored per point; it gives the expected band, the scores while the series is young, and
//!   keeps learning afterwards;
//! - from `context_start` points until the warm-up ends, an early contextual model over the
//!   range seen so far, whose score is averaged with the statistical one;
//! - once `context_warmup` points have been seen, the *contextual* one ([`ContextDetector`]),
//!   which learns the series' recurring patterns: its value range is the range of those first
//!   points widened by `context_margin` on each side, it learns them (replayed, scores dropped),
//!   and from then on it gives the scores (once it has rested, blind, on `context_rerange`
//!   values beyond that range, it is rebuilt over the range of everything seen and relearns the
//!   recent window) — joined by the statistical model's where the seasonal profile explains the
//!   series far better than its recent window (the contextual model has no notion of time of
//!   day), where a value falls `dip_scales` robust scales below the lowest of the recent window
//!   (a dip inside the contextual model's bins), where a value is a record by a wide margin
//!   (`record_margin`), where a run of repeated values is more than twice as long as any
//!   before (a series stuck), and where the steps' spread is far above past spans' (a series
//!   turning noisier within its range: model version 17); the record and the stuck run are not
//!   damped after an alarm, as
//!   the statistical model's other scores are for `refractory` points. On the NAB corpus this
//!   scores far better than either model alone (docs/benchmarks.md).
//!
//! The state stays within 64 KB per series, in memory and as CBOR: the statistical model's is
//! bounded by its settings, the contextual model's by its byte budgets.

use crate::config::{DetectorConfig, MAX_SCORE};
use crate::context::ContextDetector;
use crate::statistical::{SPREAD_JOIN_Z, Statistical};

/// Version of the detector's models, recorded with every anomaly: 2 added the contextual model, 3
/// the seasonal profile, trend view and isolation forest (and the profile's part past the warm-up),
/// 4 the cross-validated defaults (a 750-point warm-up, 72 points of refractory damping), 5 the
/// contextual model's range following the series when it is blind beyond it (`context_rerange`),
/// 6 the state within 64 KB by construction (the contextual model's byte budgets, a compact
/// layout and encoding of contexts and profile slots; the same scores until a budget is reached)
/// and the statistical score joined on dips far below the recent window (`dip_scales`), 7 an
/// early contextual model averaged with the statistical one from the 450th point until the
/// warm-up ends (`context_start`), and the statistical views' scale floored by the series' own
/// smallest step rather than a share of its level, 8 the seasonal drift (hours of values each a
/// little off the profile) and the profile's place held while it is large, 9 the statistical
/// score joined on records by a wide margin (`record_margin`), 10 runs of repeated values (a
/// series stuck) scored and joined, 11 the seasonal profile's slots weighted by period (a day's
/// values share a day's weight, so a slot spans several days and its spread how much they differ),
/// 12 that share divided among as many values as a period has lately brought, not as many as over
/// the slot's life (a series whose cadence slows no longer freezes its profile), 13 records by a
/// wide margin and stuck runs not damped after an alarm once a contextual model scores, 14 each
/// half hour of the day's distance from the profile on its previous day (a departure seen at
/// that time the day before, such as a nightly job's spike, counts only by how far it goes
/// beyond it), 15 the statistical model's damping started by a score of 0.75 rather than 0.8
/// (`alarm`: near the anomaly job's threshold; a detector restored from a saved state keeps the
/// settings it was saved with), 16 the isolation forest raising z by one per 0.04 of its score
/// above 0.6, not per 0.02 (chosen with each development corpus left out in turn), 17 the
/// statistical model's spread view (the steps' spread over the last span against past spans')
/// joining the contextual score from z 7: a series turning noisier within its usual range.
pub const MODEL_VERSION: &str = "17";

/// Per-series state: the statistical model (at most 23.6 KB of heap, 31.1 KB as CBOR: its
/// windows, profile, feature history and forest), the warm-up values, then the contextual model
/// (bounded by `context.max_bytes` and `context.max_encoded_bytes`, so that the whole stays
/// within 64 KB, 64,000 bytes, in memory and as CBOR). Serialisable, so that the anomaly job can
/// keep it across restarts; states saved by earlier versions still load.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Detector {
    #[serde(flatten)]
    statistical: Statistical,
    /// Values seen before the contextual model exists.
    #[serde(default)]
    warmup: Vec<f64>,
    #[serde(default)]
    context: Option<ContextDetector>,
    /// The lowest and highest values the contextual model's range was built over (before its
    /// margin): a rebuild widens the range to everything seen, never narrows it.
    #[serde(default)]
    context_span: Option<(f64, f64)>,
    /// Values outside the contextual model's range on which it rested, since it last gave a
    /// score of its own (or was built).
    #[serde(default)]
    context_outside: usize,

    /// The lowest and highest values seen (see [`Detector::range_seen`] for states saved before
    /// model version 9).
    #[serde(default)]
    seen_range: Option<(f64, f64)>,

    /// The model whose score the last point got.
    #[serde(skip)]
    last_model: Option<&'static str>,
}

/// At most this many warm-up values are reserved for at once (a larger warm-up grows as usual).
const MAX_WARMUP_RESERVE: usize = 4_096;

/// Names of the models, as anomalies record them.
const STATISTICAL: &str = "robust-seasonal";
const CONTEXTUAL: &str = "contextual";

impl Detector {
    /// A detector with no history.
    pub fn new(config: DetectorConfig) -> Detector {
        Detector {
            statistical: Statistical::new(config),
            warmup: Vec::new(),
            context: None,
            context_span: None,
            context_outside: 0,
            seen_range: None,

            last_model: None,
        }
    }

    /// Scores a point with its time (ns since the epoch); see [`Detector::score`]. The time lets
    /// the statistical model learn the series' hour-of-day and day-of-week profile.
    pub fn score_at(&mut self, ts_ns: i64, value: f64) -> f64 {
        self.score_with(Some(ts_ns), value)
    }

    /// Scores `value` against the history, then adds it to the history.
    pub fn score(&mut self, value: f64) -> f64 {
        self.score_with(None, value)
    }

    fn score_with(&mut self, ts_ns: Option<i64>, value: f64) -> f64 {
        if !value.is_finite() {
            return 0.0;
        }
        // An early contextual model scores while the warm-up goes on (`context_start`), and the
        // value joins the warm-up once scored. Both models are young then and each alone is
        // misled in its own way (a range from few points, windows of few points): their mean is
        // the score. The larger of the two, or the early model alone, scored worse on NAB, on
        // short series and on the synthetic corpus (docs/benchmarks.md).
        let early = self.context.is_some() && !self.warmup.is_empty();
        // The range before this value: what a record is judged against, then widened by it.
        let range_seen = self.range_seen();
        let record = self.is_record(value, range_seen);
        // Once a contextual model scores (the early one too), a record is not damped after an
        // alarm.
        let (statistical, by_season) =
            self.statistical
                .score(ts_ns, value, self.context.is_some().then_some(record));
        let score = self.combine(value, statistical, by_season, record);
        let (low, high) = range_seen.unwrap_or((value, value));
        self.seen_range = Some((low.min(value), high.max(value)));
        if early {
            self.warm_up(value);
            return (score + statistical) / 2.0;
        }
        score
    }

    /// The lowest and highest values seen; for a state saved before model version 9, which did
    /// not keep them, what it still holds of them (the contextual model's span, the warm-up, the
    /// statistical window).
    fn range_seen(&self) -> Option<(f64, f64)> {
        if self.seen_range.is_some() {
            return self.seen_range;
        }
        self.context_span
            .into_iter()
            .flat_map(|(low, high)| [low, high])
            .chain(self.warmup.iter().copied())
            .chain(self.statistical.values.iter().copied())
            .fold(None, |range, v| {
                Some(match range {
                    None => (v, v),
                    Some((low, high)) => (f64::min(low, v), f64::max(high, v)),
                })
            })
    }

    /// Whether `value` is a record by a wide margin: beyond the lowest or highest value seen
    /// before it (`range_seen`) by `record_margin` of their difference.
    fn is_record(&self, value: f64, range_seen: Option<(f64, f64)>) -> bool {
        let margin = self.statistical.config.record_margin;
        margin >= 0.0
            && range_seen.is_some_and(|(low, high)| {
                let beyond = margin * (high - low);
                value > high + beyond || value < low - beyond
            })
    }

    /// The score of `value` from the contextual model, joined by the statistical model's
    /// (`statistical`, and whether the seasonal view alone gave it) where it explains more
    /// (`record`: see [`Detector::is_record`]); the statistical score alone while the warm-up
    /// collects.
    fn combine(&mut self, value: f64, statistical: f64, by_season: bool, record: bool) -> f64 {
        match self.context.as_mut() {
            Some(context) => {
                let contextual = context.score(value).min(MAX_SCORE);
                let (low, high) = context.range();
                let rerange = self.statistical.config.context_rerange;
                // Blind: resting (output held at 0) on value after value outside the range, each
                // new to the model. Counted only then, so that a model coping with values beyond
                // its range (a slow trend, the odd burst) keeps what it learnt.
                if rerange > 0 {
                    if !context.rested() {
                        self.context_outside = 0;
                    } else if !(low..=high).contains(&value) {
                        self.context_outside += 1;
                        if self.context_outside >= rerange {
                            self.rebuild();
                        }
                    }
                }
                // Where the contextual model cannot see what the statistical one does, the
                // statistical score joins (the larger of the two counts):
                // - the contextual model knows no time of day: where the seasonal profile explains
                //   the series far better than the recent window does, a value unusual for its
                //   time is an anomaly too (a missing daily peak). The other statistical views
                //   add only false positives to the contextual model's (docs/benchmarks.md);
                // - a value far below everything in the recent window may still share a bin with
                //   the series' ordinary low values (a dip inside the contextual model's range);
                // - a record by a wide margin (beyond the lowest or highest value seen by
                //   `record_margin` of their difference) shares most of its bits with the values
                //   the contextual model knows, and scores as low as 0.3 there;
                // - a series stuck at its last value repeats a value the contextual model knows
                //   well: a run of repeats more than twice the longest before;
                // - a series turning noisier within its usual range brings values the contextual
                //   model knows one by one: the steps' spread far above past spans' (model
                //   version 17).
                let config = &self.statistical.config;
                let dip = config.dip_scales > 0.0 && self.statistical.below >= config.dip_scales;
                let stuck = self.statistical.stuck > 0.0;
                let noisier = self.statistical.spread_z >= SPREAD_JOIN_Z;
                if statistical > contextual && (by_season || dip || record || stuck || noisier) {
                    self.last_model = Some(STATISTICAL);
                    statistical
                } else {
                    self.last_model = Some(CONTEXTUAL);
                    contextual
                }
            }
            None => {
                self.warm_up(value);
                self.last_model = Some(STATISTICAL);
                statistical
            }
        }
    }

    /// The band recent values fall in: median ± 3 robust standard deviations of the window, or
    /// `None` before there is history.
    pub fn expected(&self) -> Option<(f64, f64)> {
        self.statistical.expected()
    }

    /// The band a value at `ts_ns` is expected in: where the seasonal profile explains the series
    /// far better than the recent window (and so scores it), the profile's usual value for that
    /// time ± 3 spreads; otherwise [`Detector::expected`]. A missing daily peak is outside the
    /// first band although inside the second.
    pub fn expected_at(&self, ts_ns: i64) -> Option<(f64, f64)> {
        self.statistical.expected_at(ts_ns)
    }

    /// The model whose score the last point got — `robust-seasonal` (the statistical model) or
    /// `contextual` — or, before any point, the model that will score the next one.
    pub fn model(&self) -> &'static str {
        self.last_model.unwrap_or(if self.context.is_some() {
            CONTEXTUAL
        } else {
            STATISTICAL
        })
    }

    /// Heap bytes of the state, computed from the collections' capacities.
    pub fn heap_bytes(&self) -> usize {
        self.statistical.heap_bytes()
            + 8 * self.warmup.capacity()
            + self.context.as_ref().map_or(0, ContextDetector::heap_bytes)
    }

    /// Collects the warm-up; at its end, builds the contextual model from it.
    fn warm_up(&mut self, value: f64) {
        let config = &self.statistical.config;
        // The statistical model alone never ends its warm-up: nothing to collect (collecting
        // kept every value of the series).
        if !value.is_finite() || config.context_warmup == usize::MAX {
            return;
        }
        // Room for exactly the warm-up, also after a restore (a deserialised vector holds its
        // length or a power of two): an early model's budget leaves room for it (`build`).
        let room = config.context_warmup.min(MAX_WARMUP_RESERVE);
        if self.warmup.capacity() < room {
            self.warmup.reserve_exact(room - self.warmup.len());
        }
        self.warmup.push(value);
        let seen = self.warmup.len();
        let early = seen == config.context_start && seen < config.context_warmup;
        if seen < config.context_warmup && !early {
            return;
        }
        let min = self.warmup.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self
            .warmup
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        // The early model learns what the warm-up has seen so far, which stays collected for
        // the model that replaces it.
        let values = match early {
            true => self.warmup.clone(),
            false => std::mem::take(&mut self.warmup),
        };
        self.build(&values, min, max);
    }

    /// The contextual model has been blind beyond its range for `context_rerange` values: a new
    /// model over the range of everything seen, relearning from the statistical model's window (the recent values, this
    /// one included), so that a drift or a new regime gets bins of its own and is learnt rather
    /// than alarmed on for as long as it lasts.
    fn rebuild(&mut self) {
        let recent: Vec<f64> = self.statistical.values.iter().copied().collect();
        let margin = self.statistical.config.context_margin;
        // States saved before `context_span` existed: the range before its margin, from the model's.
        let seen = self.context_span.or_else(|| {
            let (low, high) = self.context.as_ref()?.range();
            let span = (high - low) / (1.0 + 2.0 * margin);
            Some((low + margin * span, high - margin * span))
        });
        let (mut min, mut max) = seen.unwrap_or((f64::INFINITY, f64::NEG_INFINITY));
        for value in &recent {
            min = min.min(*value);
            max = max.max(*value);
        }
        self.build(&recent, min, max);
    }

    /// A contextual model for values in `[min, max]` widened by the margin, taught `values`
    /// (their scores dropped).
    fn build(&mut self, values: &[f64], min: f64, max: f64) {
        let config = &self.statistical.config;
        let margin = config.context_margin * (max - min);
        let mut budget = config.context.clone();
        if !self.warmup.is_empty() {
            // An early model shares the state with the warm-up's values (8 bytes each in memory,
            // 9 as CBOR), so its budgets leave room for them and the whole stays within 64 KB.
            let room = config.context_warmup.min(MAX_WARMUP_RESERVE);
            budget.max_bytes = budget
                .max_bytes
                .saturating_sub(8 * room.max(self.warmup.capacity()));
            budget.max_encoded_bytes = budget
                .max_encoded_bytes
                .saturating_sub(9 * config.context_warmup.max(self.warmup.len()));
        }
        let mut context = ContextDetector::new(budget, min - margin, max + margin);
        for value in values {
            context.score(*value);
        }
        self.context = Some(context);
        self.context_span = Some((min, max));
        self.context_outside = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_on_noise_loud_on_a_spike_and_online() {
        let mut detector = Detector::new(DetectorConfig::default());
        let mut next = xorshift(7);
        let mut noise = || (next() % 1000) as f64 / 1000.0;
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
    fn a_record_after_an_alarm_is_not_damped_once_a_contextual_model_scores() {
        // A series whose statistical model alarms on an ordinary spike (the contextual model,
        // having seen such spikes, reports it low), then a value far beyond everything seen, or
        // a run of one value: in the early contextual model's phase and after the warm-up.
        let config = DetectorConfig::default();
        for warm in [config.context_start + 100, config.context_warmup + 300] {
            let mut next = xorshift(5);
            let mut detector = Detector::new(config.clone());
            let value = |i: usize, noise: f64| {
                let spike = if i.is_multiple_of(97) { 6.0 } else { 0.0 };
                10.0 + noise + spike
            };
            for i in 0..warm {
                detector.score(value(i, (next() % 1000) as f64 / 1000.0));
            }
            let mut i = warm;
            loop {
                detector.score(value(i, 0.0) + 6.0);
                if detector.statistical.since_alarm == 0 {
                    break;
                }
                i += 1;
                assert!(i < warm + 200, "the statistical model never alarmed");
            }
            for _ in 0..10 {
                detector.score(value(1, (next() % 1000) as f64 / 1000.0));
            }
            let early = !detector.warmup.is_empty();
            assert_eq!(early, warm < config.context_warmup, "the phase");
            assert!(detector.context.is_some());
            assert!(detector.statistical.since_alarm < config.refractory);
            let mut stuck = detector.clone();
            let record = detector.score(100.0);
            assert!(
                record >= config.alarm,
                "early {early}: a record far beyond the range scored {record} after an alarm"
            );
            // The same for a series stuck at one value: the run's score is not damped either.
            // (In the early phase, the mean with the early contextual model keeps a run of 40
            // below the alarm, damped or not.)
            let mut highest: f64 = 0.0;
            for _ in 0..40 {
                highest = highest.max(stuck.score(10.5));
            }
            assert!(stuck.statistical.since_alarm < config.refractory);
            assert!(
                early || highest >= config.alarm,
                "a run of 40 repeats scored at most {highest} after an alarm"
            );
        }
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
        // The anomaly job saves CBOR.
        let mut cbor = Vec::new();
        ciborium::into_writer(&detector, &mut cbor).unwrap();
        let mut from_cbor: Detector = ciborium::from_reader(cbor.as_slice()).unwrap();
        for i in 100..600 {
            let ts = i as i64 * 60_000_000_000;
            let score = detector.score_at(ts, value(i)).to_bits();
            assert_eq!(score, restored.score_at(ts, value(i)).to_bits());
            assert_eq!(score, from_cbor.score_at(ts, value(i)).to_bits());
        }
        assert!(
            detector.statistical.forest.is_some(),
            "the forest was grown"
        );
        assert!(detector.expected().is_some());
    }

    #[test]
    fn an_early_contextual_model_joins_until_the_warm_up_ends_then_leaves_no_trace() {
        const MINUTE: i64 = 60_000_000_000;
        let mut next = xorshift(11);
        let points: Vec<(i64, f64)> = (0..2_000)
            .map(|i| {
                let spike = if i == 600 || i == 1_500 { 40.0 } else { 0.0 };
                (
                    i * MINUTE,
                    10.0 + (i % 12) as f64 + (next() % 100) as f64 / 100.0 + spike,
                )
            })
            .collect();
        let start = DetectorConfig::default().context_start;
        assert!(start < DetectorConfig::default().context_warmup);
        // The spikes are records by a wide margin, which the statistical score would take
        // alone: without that join, the early model's part in the score shows.
        let config = DetectorConfig {
            record_margin: -1.0,
            ..DetectorConfig::default()
        };
        let mut early = Detector::new(config.clone());
        let mut late = Detector::new(DetectorConfig {
            context_start: usize::MAX,
            ..config.clone()
        });
        let mut saved: Option<Vec<u8>> = None;
        for (i, (ts, value)) in points.iter().enumerate() {
            let (a, b) = (early.score_at(*ts, *value), late.score_at(*ts, *value));
            if i == start {
                assert!(early.context.is_some() && !early.warmup.is_empty());
                assert!(late.context.is_none());
            }
            if i == 600 {
                // Both models see the spike; the score is their mean.
                assert!(
                    a > 0.9 && a != b,
                    "the early model joins on a spike: {a} against {b}"
                );
                // A state saved while the early model scores resumes bit for bit.
                let mut cbor = Vec::new();
                ciborium::into_writer(&early, &mut cbor).unwrap();
                saved = Some(cbor);
            }
            if i >= DetectorConfig::default().context_warmup {
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "point {i}: the same model after the warm-up"
                );
            }
        }
        let mut restored: Detector = ciborium::from_reader(saved.unwrap().as_slice()).unwrap();
        let mut again = Detector::new(config);
        for (i, (ts, value)) in points.iter().enumerate() {
            let score = again.score_at(*ts, *value);
            if i > 600 {
                assert_eq!(score.to_bits(), restored.score_at(*ts, *value).to_bits());
            }
        }
    }

    #[test]
    fn a_state_restored_during_the_warm_up_stays_within_64_kb() {
        const MINUTE: i64 = 60_000_000_000;
        for restore_at in [300, 500] {
            for json in [false, true] {
                let mut next = xorshift(5);
                let mut detector = Detector::new(DetectorConfig::default());
                for i in 0..800 {
                    if i == restore_at {
                        detector = match json {
                            true => {
                                serde_json::from_str(&serde_json::to_string(&detector).unwrap())
                                    .unwrap()
                            }
                            false => {
                                let mut cbor = Vec::new();
                                ciborium::into_writer(&detector, &mut cbor).unwrap();
                                ciborium::from_reader(cbor.as_slice()).unwrap()
                            }
                        };
                    }
                    detector.score_at(i * MINUTE, (next() % 1_000_000) as f64);
                    let (heap, cbor) = (detector.heap_bytes(), cbor_len(&detector));
                    assert!(
                        heap <= STATE_LIMIT && cbor <= STATE_LIMIT,
                        "restored at {restore_at} (JSON {json}), point {i}: {heap} / {cbor} bytes"
                    );
                    if i >= restore_at && i < DetectorConfig::default().context_warmup as i64 {
                        assert!(
                            detector.warmup.capacity() <= DetectorConfig::default().context_warmup,
                            "the warm-up does not grow past its room after a restore"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_detector_restored_from_json_or_cbor_scores_bit_for_bit() {
        const MINUTE: i64 = 60_000_000_000;
        let mut next = xorshift(3);
        let mut value = |i: i64| {
            let random = next();
            let hour = (i / 60) % 24;
            let base = if (9..17).contains(&hour) { 80.0 } else { 20.0 };
            base + (random % 1000) as f64 / 100.0
        };
        let mut detector = Detector::new(DetectorConfig::default());
        // Three days: the contextual model, the forest and the daily profile are all in use.
        for i in 0..3 * 1440 {
            detector.score_at(i * MINUTE, value(i));
        }
        assert!(detector.statistical.profile.expect(0).is_some());
        let mut from_json: Detector =
            serde_json::from_slice(&serde_json::to_vec(&detector).unwrap()).unwrap();
        let mut cbor = Vec::new();
        ciborium::into_writer(&detector, &mut cbor).unwrap();
        let mut from_cbor: Detector = ciborium::from_reader(cbor.as_slice()).unwrap();
        for i in 3 * 1440..4 * 1440 {
            let v = value(i);
            let score = detector.score_at(i * MINUTE, v).to_bits();
            assert_eq!(
                score,
                from_json.score_at(i * MINUTE, v).to_bits(),
                "point {i}"
            );
            assert_eq!(
                score,
                from_cbor.score_at(i * MINUTE, v).to_bits(),
                "point {i}"
            );
        }
    }

    #[test]
    fn a_state_saved_before_the_contextual_model_still_loads() {
        let mut detector = Detector::new(DetectorConfig::default());
        for i in 0..10 {
            detector.score(i as f64);
        }
        // What the first version saved: the statistical fields only, without the settings and
        // views added since, and with the day-before seasonal view it had then.
        let mut old = serde_json::to_value(&detector.statistical).unwrap();
        for field in [
            "context_warmup",
            "context_margin",
            "context",
            "trend_span",
            "context_rerange",
        ] {
            old["config"].as_object_mut().unwrap().remove(field);
        }
        let fields = old.as_object_mut().unwrap();
        for field in [
            "slopes",
            "profile",
            "profile_error",
            "window_error",
            "compared",
            "features",
            "forest",
        ] {
            fields.remove(field);
        }
        fields.insert("season".into(), serde_json::json!([1.0, 2.0]));
        fields.insert("period".into(), serde_json::json!(288));
        let mut loaded: Detector = serde_json::from_value(old).unwrap();
        assert_eq!(loaded.statistical.config, DetectorConfig::default());
        assert!(loaded.context.is_none());
        assert!(loaded.score_at(0, 3.0).is_finite());
    }

    #[test]
    fn the_statistical_model_alone_keeps_a_bounded_state() {
        let mut detector = Detector::new(DetectorConfig::statistical());
        let mut sizes = Vec::new();
        for i in 0..20_000 {
            detector.score_at(i * 60_000_000_000, (i % 17) as f64);
            if i % 5_000 == 4_999 {
                sizes.push(detector.heap_bytes());
            }
        }
        assert_eq!(detector.model(), "robust-seasonal");
        assert!(detector.warmup.is_empty());
        assert!(sizes.windows(2).all(|w| w[1] <= w[0]), "{sizes:?}");
    }

    #[test]
    fn a_missing_daily_peak_is_flagged_after_the_warm_up() {
        const FIVE_MINUTES: i64 = 300_000_000_000;
        const DAY: i64 = 288;
        // Quiet at night, a plateau from 10:00 to 16:00 — except on day 12.
        let value = |i: i64, rng: &mut u64| {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            let noise = (*rng % 100) as f64 / 100.0;
            let slot = i % DAY;
            let peak = (120..192).contains(&slot) && i / DAY != 12;
            if peak { 80.0 + noise } else { 20.0 + noise }
        };
        let mut detector = Detector::new(DetectorConfig::default());
        let mut rng = 5u64;
        let mut scores = Vec::new();
        for i in 0..14 * DAY {
            scores.push(detector.score_at(i * FIVE_MINUTES, value(i, &mut rng)));
        }
        assert_eq!(detector.model(), "contextual");
        let missing_peak = (12 * DAY + 120) as usize..(12 * DAY + 192) as usize;
        let during = scores[missing_peak.clone()]
            .iter()
            .copied()
            .fold(0.0, f64::max);
        assert!(during >= 0.9, "the missing peak scored {during}");
        // Replayed on a copy up to the peak's first alarm: the statistical model scored it, and
        // the band it gives for that time excludes the value, unlike the window's.
        let first_alarm = missing_peak.start
            + scores[missing_peak]
                .iter()
                .position(|s| *s >= 0.9)
                .unwrap_or(0);
        let mut replay = Detector::new(DetectorConfig::default());
        let mut rng = 5u64;
        for i in 0..first_alarm as i64 {
            replay.score_at(i * FIVE_MINUTES, value(i, &mut rng));
        }
        let at = first_alarm as i64 * FIVE_MINUTES;
        let (low, _) = replay.expected_at(at).expect("a band");
        let v = value(first_alarm as i64, &mut rng);
        assert!(v < low, "{v} is below the profile's band from {low}");
        let (window_low, window_high) = replay.expected().expect("a band");
        assert!((window_low..=window_high).contains(&v));
        replay.score_at(at, v);
        assert_eq!(replay.model(), "robust-seasonal");
        // The ordinary days after the warm-up are not flagged by the seasonal view.
        let ordinary = scores[(4 * DAY) as usize..(12 * DAY) as usize]
            .iter()
            .filter(|score| **score >= 0.9)
            .count();
        assert!(ordinary <= 1, "{ordinary} alarms on ordinary days");
    }

    #[test]
    fn a_regime_beyond_the_warm_up_range_is_relearnt_not_blinding() {
        let mut next = xorshift(9);
        let mut noise = || (next() % 1000) as f64 / 1000.0;
        // After point 1,500, a higher level with noise ten times as wide: in the warm-up's bins,
        // dozens of bins visited at random, new to the model at every step. A spike at 3,500.
        let series: Vec<f64> = (0..4_000)
            .map(|i| match i {
                0..1_500 => 10.0 + 2.0 * noise(),
                3_500 => 200.0,
                _ => 30.0 + 20.0 * noise(),
            })
            .collect();
        let run = |rerange: usize, record_margin: f64| {
            let mut detector = Detector::new(DetectorConfig {
                context_rerange: rerange,
                record_margin,
                ..DetectorConfig::default()
            });
            let scores: Vec<f64> = series.iter().map(|v| detector.score(*v)).collect();
            (scores, detector)
        };
        let (scores, detector) = run(60, DetectorConfig::default().record_margin);
        let shift = scores[1_500..1_510].iter().copied().fold(0.0, f64::max);
        assert!(shift >= 0.9, "the shift is flagged: {shift}");
        let after = scores[1_700..3_500].iter().filter(|s| **s >= 0.666).count();
        assert_eq!(after, 0, "the new regime is learnt");
        assert!(scores[3_500] >= 0.9, "the spike: {}", scores[3_500]);
        let (low, high) = detector.context_span.expect("a contextual model");
        assert!(
            low < 10.5 && high > 49.0,
            "the range covers both: {low}..{high}"
        );
        // With the warm-up's range the model finds something new at every step and rests for
        // ever: blind to the spike (which, a record by a wide margin, the statistical score
        // still catches; without that join, nothing does).
        let (fixed, _) = run(0, -1.0);
        assert_eq!(fixed[3_500], 0.0);
        let (joined, _) = run(0, DetectorConfig::default().record_margin);
        assert!(joined[3_500] >= 0.9, "the record join: {}", joined[3_500]);
    }

    /// The state per series the issue allows: 64 KB.
    const STATE_LIMIT: usize = 64_000;

    fn cbor_len<T: serde::Serialize>(value: &T) -> usize {
        let mut bytes = Vec::new();
        ciborium::into_writer(value, &mut bytes).unwrap();
        bytes.len()
    }

    #[test]
    fn the_state_stays_within_64_kb_on_adversarial_series() {
        const MINUTE: i64 = 60_000_000_000;
        let mut next = xorshift(11);
        let mut unit = move || (next() % 1_000_000) as f64 / 1_000_000.0;
        let mut walk = 0.0;
        // Uniform noise (a new context at almost every step), a random walk (the range widened
        // again and again), and values spread over twelve orders of magnitude (the longest fact
        // lists: bins far beyond the range).
        type Series = Box<dyn FnMut() -> f64>;
        let series: [(&str, Series); 3] = [
            ("noise", Box::new(move || 100.0 * unit())),
            (
                "walk",
                Box::new(move || {
                    walk += unit() - 0.5;
                    walk
                }),
            ),
            ("magnitudes", Box::new(move || 10f64.powf(12.0 * unit()))),
        ];
        // The default settings, and the same without the count of contexts capped and with the
        // original 15 active contexts fed back (many more left semi-contexts): the byte budgets
        // alone bound the state.
        let unbounded = DetectorConfig {
            context: crate::ContextConfig {
                max_contexts: usize::MAX,
                max_active: 15,
                ..DetectorConfig::default().context
            },
            ..DetectorConfig::default()
        };
        for (name, mut value) in series {
            for config in [DetectorConfig::default(), unbounded.clone()] {
                let mut detector = Detector::new(config.clone());
                let (mut largest, mut restarts, mut last_contexts) = (0, 0, 0);
                for i in 0..20_000 {
                    detector.score_at(i * MINUTE, value());
                    let contexts = detector
                        .context
                        .as_ref()
                        .map_or(0, ContextDetector::contexts);
                    if contexts < last_contexts {
                        restarts += 1;
                    }
                    last_contexts = contexts;
                    // Every point while an early model and the warm-up's values share the state.
                    let early =
                        (config.context_start..=config.context_warmup).contains(&(i as usize));
                    if early || i % 250 == 0 || i == 19_999 {
                        let (heap, cbor) = (detector.heap_bytes(), cbor_len(&detector));
                        assert!(
                            heap <= STATE_LIMIT && cbor <= STATE_LIMIT,
                            "{name}, point {i}: {heap} bytes of heap, {cbor} of CBOR"
                        );
                        largest = largest.max(heap).max(cbor);
                        if let Some(context) = &detector.context {
                            let (heap_bound, cbor_bound) = context.bytes_bound();
                            assert!(context.heap_bytes() <= heap_bound, "{name}, point {i}");
                            assert!(cbor_len(context) <= cbor_bound, "{name}, point {i}");
                        }
                    }
                }
                println!("{name}: {restarts} restarts, at most {largest} bytes");
                if config == unbounded {
                    // The budget was reached, not just never approached.
                    assert!(
                        restarts > 0,
                        "{name}: the contextual model never started over"
                    );
                    assert!(largest > 55_000, "{name}: at most {largest} bytes");
                }
            }
        }
    }

    #[test]
    fn a_state_saved_by_model_version_5_loads_and_scores_as_it_did() {
        // Saved by version 5 after 1,200 points of a day-shaped noisy series (the contextual
        // model built), with the scores version 5 then gave the next 300 points (a spike at
        // point 1,400), and those version 16 gives from the same state: versions 11 and 12 weigh
        // the seasonal slots by period, so the slots the spike fell in learn it differently and
        // the scores after it move by less than 0.004. Loaded from CBOR or from JSON, and saved
        // again in today's layout, the state scores bit for bit as version 16 did when the
        // scores were recorded (a profile lost or altered on loading moves them). Versions 12 to
        // 15 gave the same as one another (no record or stuck run follows one of its alarms
        // here, version 14's distances of the day before stay under 4 spreads where they come
        // round again, and the state keeps the alarm it was saved with, 0.8); version 16's
        // forest, raising z half as steeply, moves 36 of the 300 scores by at most 0.00005.
        const STEP: i64 = 300_000_000_000;
        let saved: &[u8] = include_bytes!("../tests/data/detector-v5.cbor");
        // Parsed by the standard library: serde_json's float parsing is not exact to the bit.
        let parse = |json: &str| -> Vec<f64> {
            json.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(|s| s.parse().unwrap())
                .collect()
        };
        let by_version_5 = parse(include_str!("../tests/data/detector-v5-scores.json"));
        let by_version_16 = parse(include_str!("../tests/data/detector-v5-scores-v16.json"));
        assert_eq!(by_version_5.len(), 300);
        assert_eq!(by_version_16.len(), 300);
        let value = |i: i64| {
            let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555;
            x ^= x >> 29;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x ^= x >> 32;
            let noise = (x % 1000) as f64 / 100.0;
            let hour = (i / 12) % 24;
            let base = if (9..17).contains(&hour) { 60.0 } else { 20.0 };
            base + noise + if i == 1_400 { 80.0 } else { 0.0 }
        };
        let from_cbor: Detector = ciborium::from_reader(saved).unwrap();
        // The same state as JSON, as versions before 3 saved it.
        let as_json: serde_json::Value = ciborium::from_reader(saved).unwrap();
        let from_json: Detector = serde_json::from_value(as_json).unwrap();
        assert!(from_cbor.context.as_ref().is_some_and(|c| c.contexts() > 0));
        for mut detector in [from_cbor, from_json] {
            let mut again: Detector =
                ciborium::from_reader(cbor_to_vec(&detector).as_slice()).unwrap();
            for ((i, old), new) in (1_200..1_500).zip(&by_version_5).zip(&by_version_16) {
                let score = detector.score_at(i * STEP, value(i));
                assert_eq!(score.to_bits(), new.to_bits(), "point {i}");
                assert_eq!(again.score_at(i * STEP, value(i)).to_bits(), new.to_bits());
                let moved = if i <= 1_400 { 0.0 } else { 0.004 };
                assert!(
                    (score - old).abs() <= moved,
                    "point {i}: {score} against {old}"
                );
            }
            assert!(by_version_16.iter().any(|s| *s > 0.9), "the spike");
        }
    }

    /// A seeded xorshift64 generator: the tests' noise, the same on every run. A copy goes on
    /// from the same state (each series of a test can take the same sequence).
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 + Copy {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    fn cbor_to_vec<T: serde::Serialize>(value: &T) -> Vec<u8> {
        let mut bytes = Vec::new();
        ciborium::into_writer(value, &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_dip_inside_the_contextual_range_is_flagged_by_the_statistical_model() {
        let mut next = xorshift(13);
        let mut noise = move || (next() % 1000) as f64 / 1000.0;
        // A warm-up that spans 0..200 (the contextual model's bins are about 57 wide), then a
        // quiet level of 100 ± 0.5 and, at point 3,000, twelve points at 80: far below anything
        // in the recent window, but in the bin of the ordinary values.
        let series: Vec<f64> = (0..3_200)
            .map(|i| match i {
                0..750 => 200.0 * noise(),
                3_000..3_012 => 80.0 + noise(),
                _ => 99.5 + noise(),
            })
            .collect();
        let run = |dip_scales: f64| {
            let mut detector = Detector::new(DetectorConfig {
                dip_scales,
                ..DetectorConfig::default()
            });
            series
                .iter()
                .map(|v| detector.score(*v))
                .collect::<Vec<f64>>()
        };
        let scores = run(DetectorConfig::default().dip_scales);
        let dip = scores[3_000..3_012].iter().copied().fold(0.0, f64::max);
        assert!(dip >= 0.9, "the dip scored {dip}");
        let quiet = scores[2_000..3_000].iter().filter(|s| **s >= 0.666).count();
        assert_eq!(quiet, 0, "the quiet level before it");
        // The contextual model alone does not see it.
        let alone = run(0.0);
        let dip = alone[3_000..3_012].iter().copied().fold(0.0, f64::max);
        assert!(dip < 0.5, "without the join the dip scored {dip}");
    }

    #[test]
    fn a_record_by_a_wide_margin_is_flagged_on_a_heavy_tailed_series() {
        let mut next = xorshift(17);
        let mut uniform = move || (next() % 1_000_000) as f64 / 1_000_000.0;
        // Log-normal counts around 100 (σ 0.5 in logs: the odd value five times the median),
        // then, at point 5,000, one value 1.6 times the highest before it.
        let mut series: Vec<f64> = (0..5_100)
            .map(|_| {
                let normal = (0..12).map(|_| uniform()).sum::<f64>() - 6.0;
                (100.0 * (0.5 * normal).exp()).round()
            })
            .collect();
        let highest = series[..5_000].iter().copied().fold(0.0, f64::max);
        series[5_000] = 1.6 * highest;
        let run = |record_margin: f64| {
            let mut detector = Detector::new(DetectorConfig {
                record_margin,
                ..DetectorConfig::default()
            });
            series
                .iter()
                .map(|v| detector.score(*v))
                .collect::<Vec<f64>>()
        };
        let scores = run(DetectorConfig::default().record_margin);
        assert!(scores[5_000] >= 0.9, "the record scored {}", scores[5_000]);
        // The contextual model alone scores it like any other value.
        let alone = run(-1.0);
        assert!(
            alone[5_000] < 0.5,
            "without the join it scored {}",
            alone[5_000]
        );
    }

    #[test]
    fn a_series_stuck_at_its_last_value_is_flagged_once_and_a_constant_one_never() {
        let mut next = xorshift(23);
        let mut noise = move || (next() % 1000) as f64 / 100.0;
        // Noise that never repeats a value, then, from point 3,000, the last value for 500
        // points (a frozen exporter), then noise again.
        let mut last = 0.0;
        let series: Vec<f64> = (0..4_000)
            .map(|i| {
                if !(3_000..3_500).contains(&i) {
                    last = 20.0 + noise() + i as f64 * 1e-6;
                }
                last
            })
            .collect();
        let mut detector = Detector::new(DetectorConfig::default());
        let scores: Vec<f64> = series.iter().map(|v| detector.score(*v)).collect();
        let flagged = crate::config::DEFAULT_THRESHOLD;
        let alarms: Vec<usize> = (3_000..3_500).filter(|i| scores[*i] >= flagged).collect();
        assert!(
            alarms.first().is_some_and(|first| *first < 3_010),
            "the run is flagged early: {alarms:?}"
        );
        assert_eq!(alarms.len(), 1, "one run, one alarm: {alarms:?}");
        // With and without timestamps (the profile and the drift see a constant too).
        let mut constant = Detector::new(DetectorConfig::default());
        let mut timed = Detector::new(DetectorConfig::default());
        let loud = (0..20_000_i64)
            .map(|i| {
                constant
                    .score(5.0)
                    .max(timed.score_at(i * 60_000_000_000, 5.0))
            })
            .filter(|score| *score >= 0.5)
            .count();
        assert_eq!(loud, 0, "a constant series is not stuck");
    }

    #[test]
    fn a_state_saved_before_runs_of_repeats_were_scored_learns_them_before_it_scores_them() {
        let mut next = xorshift(29);
        let mut noise = move || (next() % 1000) as f64 / 100.0;
        // Noise that never repeats itself but for a run of twelve equal values every 400 points.
        let mut last = 0.0;
        let series: Vec<f64> = (0..5_000)
            .map(|i| {
                if i % 400 >= 12 {
                    last = 20.0 + noise() + i as f64 * 1e-6;
                }
                last
            })
            .collect();
        let mut detector = Detector::new(DetectorConfig::default());
        for value in &series[..3_000] {
            detector.score(*value);
        }
        // As model version 9 saved it: no `repeats`.
        let mut saved = serde_json::to_value(&detector).unwrap();
        saved.as_object_mut().unwrap().remove("repeats").unwrap();
        let mut restored: Detector = serde_json::from_value(saved).unwrap();
        let alarms = |detector: &mut Detector| {
            series[3_000..]
                .iter()
                .filter(|v| detector.score(**v) >= crate::config::DEFAULT_THRESHOLD)
                .count()
        };
        let (kept, after_restore) = (alarms(&mut detector), alarms(&mut restored));
        assert_eq!(kept, 0, "the usual runs are no anomaly");
        assert_eq!(after_restore, 0, "nor after a restore that lost them");
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
        let flagged = crate::config::DEFAULT_THRESHOLD;
        let alarms = scores.iter().filter(|s| **s >= flagged).count();
        assert_eq!(alarms, 1, "damped after the first alarm: {scores:?}");
    }

    #[test]
    fn a_series_turning_noisier_within_its_range_is_flagged_once_the_contextual_model_scores() {
        // A wave far wider than its noise; then six times the noise, still well inside the
        // wave's range: values the contextual model knows one by one (model version 17).
        let mut next = xorshift(41);
        let mut noise = move || (next() % 1000) as f64 / 1000.0 - 0.5;
        let wave = |i: usize| 50.0 + 10.0 * (i as f64 * std::f64::consts::TAU / 1_000.0).sin();
        let series: Vec<f64> = (0..3_300)
            .map(|i| wave(i) + if i < 3_000 { 0.6 } else { 3.6 } * noise())
            .collect();
        let mut detector = Detector::new(DetectorConfig::default());
        let scores: Vec<f64> = series.iter().map(|v| detector.score(*v)).collect();
        let flagged = crate::config::DEFAULT_THRESHOLD;
        let before = scores[1_500..3_000]
            .iter()
            .filter(|s| **s >= flagged)
            .count();
        assert_eq!(before, 0, "the steady wave is not flagged");
        let first = scores[3_000..].iter().position(|s| *s >= flagged);
        assert!(
            first.is_some_and(|first| first < 150),
            "flagged within three spans of turning noisier: {first:?}"
        );
    }
}
