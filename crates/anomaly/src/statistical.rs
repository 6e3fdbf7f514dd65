//! The statistical model: several views of each new point, each a robust z-score against the
//! recent past (median and MAD, so a single outlier does not move the baseline), combined with
//! an isolation forest over the same views.
//!
//! The views:
//! - *level*: the value against the window's median;
//! - *change*: the step from the previous point against the usual steps (spikes);
//! - *shift*: the median of the last few points against the window's (level shifts, which the
//!   single-point views see only at their first step);
//! - *trend*: the least-squares slope of the last `trend_span` points against the usual slopes
//!   (a series that starts climbing or falling at an unusual rate: trend changes);
//! - *spread*: the robust spread of the steps over the last `trend_span` points, on a log
//!   scale, against the spreads of past spans of as many points (a series that turns noisier:
//!   variance changes; quieter is no anomaly). Past the warm-up the detector lets it join the
//!   contextual model's score from [`SPREAD_JOIN_Z`], as it does dips, records and stuck runs
//!   (model version 17);
//! - *season*: the value against its [`SeasonalProfile`] (hour of day, day of week). Where the
//!   profile explains the series far better than the window does (half its running error), it is
//!   the only view: a value as
//!   usual for its time as ever is not an anomaly whatever its jump from the previous point
//!   (daily ramps, business hours), and a value unusual for its time is one even when it is
//!   common elsewhere in the day (a missing daily peak). A departure no larger than this half
//!   hour of the day showed the day before (a nightly job's spike, which the profile's clipped
//!   mean and spread never learn; a daily ramp an hour late after a clock change) is not one:
//!   the view counts only what goes well beyond it;
//! - *repeats*: a run of values equal to the last one, more than twice as long as any before,
//!   against the chance of so long a run at the series' rate of repeats ([`Repeats`]): a
//!   series stuck, or an outage reported as zeros;
//! - *drift*: the seasonal view's z averaged over the last 12 points (an hour at 5-minute
//!   intervals), against its own usual size ([`SeasonalDrift`]): hours of values each only a
//!   little off their time's usual (a day that lost its cycle, a weekday that looks like a
//!   Sunday). It scores with the seasonal view, once the profile knows this day of the week, and
//!   while it is large, the anomaly it sees cannot make the profile look worse than the window
//!   (it holds that choice, for 288 points at most).
//!
//! The largest z, raised by the isolation forest where that finds the combination of views
//! rare, becomes a score in `[0, 1]` through a logistic, scaled down when this series has often
//! been that far out before. After a confident alarm, scores are damped for a while: the same
//! incident firing again adds nothing but false positives.

use std::collections::VecDeque;

use crate::config::{DetectorConfig, MAX_SCORE, MEAN_ABSOLUTE_TO_SD};
use crate::iforest::{FEATURES, IsolationForest, Point};
use crate::profile::{Expectation, SeasonalProfile};

const Z_BINS: usize = 32;
/// Per-point decay of the z history: a half-life of about 350 points.
const Z_DECAY: f64 = 0.998;
/// A z reached this rarely (or never) keeps its full score.
const RARE_SHARE: f64 = 0.02;
/// Slopes of consecutive, non-overlapping spans kept for the trend view: overlapping spans would
/// share most of their points and understate how much slopes vary.
const TREND_BLOCKS: usize = 32;
/// Spans seen before the trend view scores, and spans kept before the spread view does.
const TREND_MIN_BLOCKS: usize = 8;
/// The least spread of the past spans' log spreads the spread view divides by, and the
/// resolution it measures that spread with: a series whose spans all spread alike (a noise that
/// never changes) turning 10 % noisier is one z, not infinitely many.
const SPREAD_FLOOR: f64 = 0.1;
/// The spread view's z from which the detector lets the statistical score join the contextual
/// one (it is the larger of the two that counts): the contextual model, which sees values and not
/// how far they scatter, misses a series turning noisier within its usual range. Chosen with each
/// of the development figures left out in turn among 6, 7, 8, 10 and 12, checked on the held-out
/// `cycles` corpus, then made independent of the series' unit ([`robust_with_resolution`]) and measured
/// again (docs/benchmarks.md, "Session 23").
pub(crate) const SPREAD_JOIN_Z: f64 = 7.0;
/// The seasonal view alone scores where the profile's running error is below this share of the
/// window's.
const SEASON_BETTER: f64 = 0.5;
/// Weight of a new point in the running errors of the profile and of the window.
const ERROR_WEIGHT: f64 = 0.01;
/// Points the seasonal drift averages the seasonal view's z over (an exponential mean, each new
/// point weighing one over this): an hour at 5-minute intervals.
const DRIFT_SPAN: f64 = 12.0;
/// Points of seasonal drift seen before it scores: its usual size is learnt first.
const DRIFT_CALIBRATION: usize = 288;
/// Weight of a new point in the drift's usual size, and the most a point may count for in it
/// (this many usual sizes): an incident moves the usual size only a little.
const DRIFT_SIZE_WEIGHT: f64 = 0.002;
const DRIFT_SIZE_CLIP: f64 = 1.5;
/// The smallest usual size of the drift, in seasonal z: on a series the profile fits almost
/// exactly, a tiny drift is no anomaly.
const DRIFT_SIZE_FLOOR: f64 = 0.1;
/// A drift at least this many usual sizes out holds the choice between the profile and the
/// window as it is (their running errors stop learning)...
const GATE_HOLD_Z: f64 = 3.0;
/// ...for at most this many points: a series that changed for good is judged again.
const GATE_HOLD_MAX: usize = 288;
/// Per-point decay of the counts of steps and repeats: a memory of about 1,000 points...
const REPEAT_DECAY: f64 = 0.999;
/// ...which also caps the run length the chance of a run is computed for (else a series
/// constant for ever would, at its saturated rate of repeats, end up alarming).
const REPEAT_MEMORY: f64 = 1_000.0;
/// Points seen before a run of repeats scores: the series' usual runs are learnt first (scoring
/// from the statistical warm-up cost the short NAB cuts 0.42 points, docs/benchmarks.md).
const RUNS_LEARNT: usize = 750;
/// The seasonal z of a value as far from its time's usual as that time of day went the day
/// before (the profile's `recurring`): below the logistic's midpoint, so that a departure seen
/// at the same time the day before alarms only when it goes well beyond it (1.5 times as far
/// scores 0.5, twice as far 0.88). Chosen with each development corpus left out in turn for the
/// first version of the rule (a decayed maximum of days) and kept for this one, not chosen again
/// (docs/benchmarks.md).
const RECURRING_Z: f64 = 4.0;
/// Feature vectors the forest is grown from (the most recent ones).
const FOREST_HISTORY: usize = 256;
/// Points between two fits of the forest.
const FOREST_REFIT: usize = 128;
/// Trees in the forest, and the subsample each is grown on.
const FOREST_TREES: usize = 16;
const FOREST_SAMPLE: usize = 32;
/// Forest scores above this raise z, by one per `FOREST_SPREAD` (0.84 is as anomalous as the
/// logistic's midpoint, z = 6). The spread was 0.02 until model version 16: each development
/// corpus left out in turn, 0.03, 0.04 and 0.06 (which score alike) were chosen on the others
/// over 0.02 and 0.01 (docs/benchmarks.md, "Every default and how it was chosen"). At 0.04 the
/// forest raises no score on NAB or on any synthetic corpus (a spread of 1,000 scores the same).
const FOREST_MID: f64 = 0.6;
const FOREST_SPREAD: f64 = 0.04;

fn z_bin(z: f64) -> usize {
    (((1.0 + z.max(0.0)).log2() * 4.0) as usize).min(Z_BINS - 1)
}

/// The median of `values`, which it reorders: a selection, not a sort (sorting the windows was
/// half of a point's cost). The same value a sort would give.
fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let (lower, middle, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *middle;
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half is the other middle element.
        let below = lower
            .iter()
            .copied()
            .max_by(f64::total_cmp)
            .unwrap_or(upper);
        (below + upper) / 2.0
    }
}

/// Median and a robust scale of `values`: the MAD, or — when more than half the values are equal
/// and the MAD is 0 — the mean absolute deviation, so that two-valued series (0, 1, 0, 1...) do
/// not get a zero scale.
pub(crate) fn robust(values: impl Iterator<Item = f64>) -> (f64, f64) {
    robust_with_resolution(values, 0.0)
}

/// The median and robust spread of `values`, as [`robust`] gives them, except that the spread
/// falls back to the mean absolute deviation where the MAD is below `resolution`, not only where
/// it is zero: for values nearly all alike (steps of a series read at a coarse resolution, or
/// spans that spread alike) whether the MAD is zero or a rounding error's size depends on float
/// rounding alone, and a spread, or its log, is then far off — the same NAB series in another
/// unit scored 0.8 points apart. Not floored: a floor in absolute terms (the scale's 10⁻⁹) would
/// make log spreads depend on the series' unit. A spread of zero means equal values.
fn robust_with_resolution(values: impl Iterator<Item = f64>, resolution: f64) -> (f64, f64) {
    let mut scratch: Vec<f64> = values.collect();
    let center = median(&mut scratch);
    for value in &mut scratch {
        *value = (*value - center).abs();
    }
    // 1.4826 (MAD) and `MEAN_ABSOLUTE_TO_SD` (mean absolute deviation) estimate the standard
    // deviation of normal data.
    let mad = 1.4826 * median(&mut scratch);
    let scale = if (mad > 0.0 && mad >= resolution) || scratch.is_empty() {
        mad
    } else {
        // Summed smallest first, as it always was: float sums depend on the order.
        scratch.sort_unstable_by(f64::total_cmp);
        MEAN_ABSOLUTE_TO_SD * scratch.iter().sum::<f64>() / scratch.len() as f64
    };
    (center, scale)
}

/// Least-squares slope of `values` against their index (0 for fewer than two values).
fn slope(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut count, mut sum_y, mut sum_xy) = (0usize, 0.0, 0.0);
    for (x, y) in values.into_iter().enumerate() {
        count += 1;
        sum_y += y;
        sum_xy += x as f64 * y;
    }
    let n = count as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean_x = (n - 1.0) / 2.0;
    let sum_xx = n * (n * n - 1.0) / 12.0;
    (sum_xy - mean_x * sum_y) / sum_xx
}

/// Appends `value`, dropping the oldest element beyond `bound`; the queue never holds more
/// room than `bound` elements (doubling growth would leave up to twice that, per series).
fn push_bounded<T>(queue: &mut VecDeque<T>, value: T, bound: usize) {
    if queue.len() >= bound {
        queue.pop_front();
    } else if queue.len() == queue.capacity() {
        queue.reserve_exact(bound - queue.len());
    }
    queue.push_back(value);
}

/// The seasonal drift: a departure from the seasonal profile sustained over many points, each of
/// them only a little out (a day that lost its daily cycle, a flat stretch where the profile
/// expects a peak). The seasonal view's z averaged over about [`DRIFT_SPAN`] points, measured
/// against its own usual size, so that a profile that fits some hours worse than others does not
/// raise it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct SeasonalDrift {
    /// Exponentially weighted mean of the seasonal z.
    mean: f64,
    /// Its usual absolute size: a running mean of `|mean|`, clipped.
    size: f64,
    /// Points seen.
    seen: usize,
    /// Points the gate has been held for, less the points of small drift since (see
    /// [`SeasonalDrift::holds_gate`]).
    held: usize,
}

impl SeasonalDrift {
    /// Adds the seasonal z of a point; returns the drift's z (0 while it calibrates).
    fn update(&mut self, season: f64) -> f64 {
        self.mean += (season - self.mean) / DRIFT_SPAN;
        let calibrated = self.seen >= DRIFT_CALIBRATION;
        let z = if calibrated && self.size > 0.0 {
            self.mean / (MEAN_ABSOLUTE_TO_SD * self.size.max(DRIFT_SIZE_FLOOR))
        } else {
            0.0
        };
        let magnitude = if calibrated {
            self.mean.abs().min(DRIFT_SIZE_CLIP * self.size)
        } else {
            self.mean.abs()
        };
        // An unbiased mean while few points are in (a running mean from 0 at the slow weight
        // would still be at 44 % of the size when calibration ends, and the drift's z more than
        // twice what it is), the slow weight after.
        let weight = (1.0 / (self.seen + 1) as f64).max(DRIFT_SIZE_WEIGHT);
        self.size += weight * (magnitude - self.size);
        self.seen += 1;
        z
    }

    /// Whether a drift of `z` holds the gate: the running errors that choose between the profile
    /// and the window do not learn from the point. Without this, the anomaly itself (a day
    /// unlike the profile) soon makes the profile look no better than the window, and the
    /// seasonal view that sees it stops scoring. At most [`GATE_HOLD_MAX`] points held, counted
    /// down again one per point the drift is small: a series that changed for good is judged
    /// again, also when its drift hovers around the threshold.
    fn holds_gate(&mut self, z: f64) -> bool {
        if z.abs() < GATE_HOLD_Z {
            self.held = self.held.saturating_sub(1);
            return false;
        }
        if self.held >= GATE_HOLD_MAX {
            return false;
        }
        self.held += 1;
        true
    }
}

/// Runs of repeated values: a series stuck at its last value (a frozen exporter, a sensor that
/// stopped, an outage reported as zeros) where it seldom repeats itself. No other view sees it:
/// a repeat is no step, no level, and to the contextual model a value it knows well.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Repeats {
    /// Decayed counts of steps, and of steps that repeated the previous value exactly.
    steps: f64,
    repeats: f64,
    /// The current run of repeats, and the longest run that has ended.
    run: usize,
    longest: usize,
    /// Whether the current run has alarmed already: one run, one alarm.
    reported: bool,
    /// Steps seen by this view (a state saved before it existed starts it at 0, and learns the
    /// series' usual runs before it scores, as a new series does).
    points: usize,
}

impl Repeats {
    /// Adds a step (`repeat`: its value equals the previous one); returns the z of the current
    /// run: the normal z of the chance of so long a run at the series' rate of repeats, where
    /// the run is more than twice the longest that has ended (and the usual runs are learnt),
    /// else 0.
    fn update(&mut self, repeat: bool) -> f64 {
        let run = if repeat { self.run + 1 } else { 0 };
        if !repeat {
            self.reported = false;
            self.longest = self.longest.max(self.run);
        }
        // The chance of a repeat, from the counts before this step (one of each added: a series
        // that never repeated is not certain never to).
        let chance = (self.repeats + 1.0) / (self.steps + 2.0);
        // `run` counts the repeats, one less than the equal values: more than twice as many
        // equal values as the longest run had.
        let z = if !self.reported
            && run > self.longest.saturating_mul(2).saturating_add(1)
            && self.points >= RUNS_LEARNT
        {
            // −ln P(run) = run · −ln chance; a normal tail as small has z ≈ √(2 · that).
            (2.0 * (run as f64).min(REPEAT_MEMORY) * -chance.ln()).sqrt()
        } else {
            0.0
        };
        self.steps = self.steps * REPEAT_DECAY + 1.0;
        self.repeats = self.repeats * REPEAT_DECAY + if repeat { 1.0 } else { 0.0 };
        self.run = run;
        self.points = self.points.saturating_add(1);
        z
    }
}

/// The statistical model's state for one series.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Statistical {
    pub(crate) config: DetectorConfig,
    pub(crate) values: VecDeque<f64>,
    pub(crate) diffs: VecDeque<f64>,
    /// Slopes of the last [`TREND_BLOCKS`] consecutive spans of `trend_span` points, for the
    /// trend view.
    #[serde(default)]
    pub(crate) slopes: VecDeque<f64>,
    /// Log spreads of the steps over the spans `slopes` is fitted over, for the spread view: the
    /// spans whose steps are not all equal, from the second on (the first has one step fewer);
    /// empty in a state saved before model version 17, which then fills it.
    #[serde(default)]
    pub(crate) spreads: VecDeque<f64>,
    #[serde(default)]
    pub(crate) profile: SeasonalProfile,
    /// Running mean absolute errors of the profile's and of the window's medians, over the
    /// points where both exist: which explains the series better.
    #[serde(default)]
    profile_error: f64,
    #[serde(default)]
    window_error: f64,
    #[serde(default)]
    compared: usize,
    /// The seasonal drift ([`SeasonalDrift`]).
    #[serde(default)]
    drift: SeasonalDrift,
    /// Recent feature vectors (the views, signed) and the forest grown on them.
    #[serde(default)]
    pub(crate) features: VecDeque<Point>,
    #[serde(default)]
    pub(crate) forest: Option<IsolationForest>,
    /// Decayed counts of past z values in log-spaced bins: how often this series has been this
    /// far out before.
    z_history: [f64; Z_BINS],
    /// Points since this model's last alarm (its score at least `alarm`).
    pub(crate) since_alarm: usize,
    seen: usize,
    /// How far the value just scored fell below the window's lowest value, in robust scales (0
    /// if it did not): computed with every score, read by the detector right after (not saved).
    #[serde(skip)]
    pub(crate) below: f64,
    /// Runs of repeated values ([`Repeats`]).
    #[serde(default)]
    repeats: Repeats,
    /// The z of the run of repeats the value just scored continues ([`Repeats::update`]; 0 for
    /// none): read by the detector right after, like `below` (not saved).
    #[serde(skip)]
    pub(crate) stuck: f64,
    /// The spread view's z of the value just scored (0 before the view scores): read by the
    /// detector right after, like `below` (not saved).
    #[serde(skip)]
    pub(crate) spread_z: f64,
    /// The series' resolution when the value just scored was judged (the window's smallest
    /// step, or float rounding at its level: the scale's floor without its absolute 10⁻⁹), which
    /// the span the value then closes is measured with, as the spread view measures its own
    /// ([`Statistical::step_spread`]; not saved: each point's scoring sets it before the point is
    /// learnt).
    #[serde(skip)]
    resolution: f64,
}

impl Statistical {
    pub(crate) fn new(config: DetectorConfig) -> Statistical {
        Statistical {
            config,
            values: VecDeque::new(),
            diffs: VecDeque::new(),
            slopes: VecDeque::new(),
            spreads: VecDeque::new(),
            profile: SeasonalProfile::default(),
            profile_error: 0.0,
            window_error: 0.0,
            compared: 0,
            drift: SeasonalDrift::default(),
            features: VecDeque::new(),
            forest: None,
            z_history: [0.0; Z_BINS],
            since_alarm: usize::MAX,
            seen: 0,
            below: 0.0,
            repeats: Repeats::default(),
            stuck: 0.0,
            spread_z: 0.0,
            resolution: 0.0,
        }
    }

    /// Heap bytes of the state.
    pub(crate) fn heap_bytes(&self) -> usize {
        8 * (self.values.capacity()
            + self.diffs.capacity()
            + self.slopes.capacity()
            + self.spreads.capacity())
            + self.profile.heap_bytes()
            + self.features.capacity() * std::mem::size_of::<Point>()
            + self.forest.as_ref().map_or(0, IsolationForest::heap_bytes)
    }

    /// Scores `value` (at `ts_ns`, when known: the seasonal view needs it) against the history,
    /// then adds it to the history. Also says whether the seasonal view alone scored it.
    ///
    /// For `refractory` points after an alarm, scores are damped (the alarm's event going on).
    /// Once a contextual model scores (the early one too), `record` says whether the value is a
    /// record by a wide margin (`None` before): such a value, and one that continues a run of
    /// repeats more than twice the longest before (a series stuck), is not damped — a new
    /// height or a new length is news, and these are the scores the detector joins for them (an
    /// alarm the detector never reported had damped a burst, a latency spike 1.7 spans above the
    /// highest and pools saturating: model version 13). While this model scores alone, every
    /// score after an alarm is damped (docs/benchmarks.md).
    pub(crate) fn score(
        &mut self,
        ts_ns: Option<i64>,
        value: f64,
        record: Option<bool>,
    ) -> (f64, bool) {
        if !value.is_finite() {
            return (0.0, false);
        }
        // What the profile expects at this time, read once for the seasonal view and for the
        // profile's own learning (the distance it remembers).
        let expected = ts_ns.and_then(|ts| self.profile.expect(ts));
        let (z, by_season, features) = self.raw_z(value, expected);
        let score = if self.seen < self.config.warmup {
            0.0
        } else {
            let rarity = self.rarity(z);
            rarity / (1.0 + (-(z - self.config.z_mid) / self.config.z_spread).exp())
        };
        let exempt = record.is_some_and(|record| record || self.stuck > 0.0);
        let damped = if self.since_alarm < self.config.refractory && !exempt {
            score * 0.3
        } else {
            score
        };
        // Never exactly 1: a threshold raised by feedback stays reachable only by a larger
        // score (see the anomaly job's feedback rule).
        let damped = damped.min(MAX_SCORE);
        if damped >= self.config.alarm {
            self.since_alarm = 0;
            if self.stuck > 0.0 {
                self.repeats.reported = true;
            }
        } else {
            self.since_alarm = self.since_alarm.saturating_add(1);
        }
        self.learn(ts_ns, value, features, expected);
        (damped, by_season)
    }

    fn learn(
        &mut self,
        ts_ns: Option<i64>,
        value: f64,
        features: Point,
        expected: Option<Expectation>,
    ) {
        let window = self.config.window;
        if let Some(previous) = self.values.back() {
            push_bounded(&mut self.diffs, value - previous, window);
        }
        push_bounded(&mut self.values, value, window);
        let span = self.config.trend_span;
        if self.values.len() >= span && (self.seen + 1).is_multiple_of(span) {
            let recent = self.values.range(self.values.len() - span..);
            push_bounded(&mut self.slopes, slope(recent.copied()), TREND_BLOCKS);
            if self.diffs.len() >= span {
                let spread = self.step_spread(self.diffs.range(self.diffs.len() - span..).copied());
                // A step overflowing to infinity would leave the view NaN for 32 spans.
                if spread > 0.0 && spread.is_finite() {
                    push_bounded(&mut self.spreads, spread.ln(), TREND_BLOCKS);
                }
            }
        }
        if let Some(ts_ns) = ts_ns {
            self.profile.learn_expected(ts_ns, value, expected);
        }
        if self.seen >= self.config.warmup {
            push_bounded(&mut self.features, features, FOREST_HISTORY);
            if self.features.len() >= FOREST_HISTORY / 2 && self.seen.is_multiple_of(FOREST_REFIT) {
                let data: Vec<Point> = self.features.iter().copied().collect();
                self.forest = Some(IsolationForest::fit(
                    &data,
                    FOREST_TREES,
                    FOREST_SAMPLE,
                    self.seen as u64,
                ));
            }
        }
        self.seen += 1;
    }

    /// The band recent values fall in: median ± 3 robust standard deviations of the window, or
    /// `None` before there is history.
    pub(crate) fn expected(&self) -> Option<(f64, f64)> {
        if self.values.is_empty() {
            return None;
        }
        let (center, scale) = robust(self.values.iter().copied());
        Some((center - 3.0 * scale, center + 3.0 * scale))
    }

    /// The profile's band for `ts_ns` where the profile is what scores, else the window's.
    pub(crate) fn expected_at(&self, ts_ns: i64) -> Option<(f64, f64)> {
        if self.profile_scores()
            && let Some(expected) = self.profile.expect(ts_ns)
        {
            let spread = 3.0 * expected.spread;
            return Some((expected.mean - spread, expected.mean + spread));
        }
        self.expected()
    }

    /// Whether the profile explains the series far better than the window: then the seasonal
    /// view alone scores.
    fn profile_scores(&self) -> bool {
        self.compared >= self.config.warmup
            && self.profile_error < SEASON_BETTER * self.window_error
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

    /// The spread of `steps` for the spread view: their robust spread with the series'
    /// resolution ([`robust_with_resolution`]), or 0 where that is a millionth of the resolution
    /// or less — float rounding, as in the steps of a ramp (`1000 + 0.1 i`), which are equal
    /// but for it: their log would be far below any real span's, by an amount that depends on
    /// the series' unit.
    fn step_spread(&self, steps: impl Iterator<Item = f64>) -> f64 {
        let (_, spread) = robust_with_resolution(steps, self.resolution);
        if spread <= self.resolution * 1e-6 {
            0.0
        } else {
            spread
        }
    }

    /// The spread view's z of `value` (0 until [`TREND_MIN_BLOCKS`] spans are kept): the log of
    /// the steps' spread ([`Statistical::step_spread`]) over the last `trend_span` points, this
    /// value's step included, against the log spreads of past spans; only a series turning
    /// noisier scores. A span of equal steps is quieter than any: it scores 0, and is not kept
    /// among the past spans.
    fn spread_z(&self, value: f64) -> f64 {
        let Some(previous) = self.values.back() else {
            return 0.0;
        };
        if self.spreads.len() < TREND_MIN_BLOCKS {
            return 0.0;
        }
        let from = self
            .diffs
            .len()
            .saturating_sub(self.config.trend_span.saturating_sub(1));
        let current = self.step_spread(
            self.diffs
                .range(from..)
                .copied()
                .chain(std::iter::once(value - previous)),
        );
        let (usual, spread) = robust_with_resolution(self.spreads.iter().copied(), SPREAD_FLOOR);
        if current <= 0.0 {
            return 0.0;
        }
        ((current.ln() - usual) / spread.max(SPREAD_FLOOR)).max(0.0)
    }

    /// The combined z of `value`, whether the seasonal view alone gave it, and the feature
    /// vector for the forest; `expected` is what the profile expects at the value's time.
    fn raw_z(&mut self, value: f64, expected: Option<Expectation>) -> (f64, bool, Point) {
        if self.values.is_empty() {
            return (0.0, false, [0.0; FEATURES]);
        }
        let repeat = self.values.back() == Some(&value);
        self.stuck = self.repeats.update(repeat);
        let (center, scale) = robust(self.values.iter().copied());
        // A floor on the scale: the smallest step the window has taken (a series' resolution:
        // a one-step wobble of a nearly flat series is no anomaly), and float rounding at the
        // series' magnitude. Not a share of the level, which made the views blind on a series
        // with a large baseline (bytes, kelvins): the same series moved up by 10⁶ lost 6.5 NAB
        // points (docs/benchmarks.md). The rounding floor is 10⁻¹² of the level, thousands of
        // times f64's rounding yet below real resolutions: at 10⁻⁹, NAB's series with an hour of
        // values ±10⁻⁶ around zero, moved up by 10⁶, had that hour's seasonal spread floored a
        // thousand times over and scored differently.
        let resolution = self
            .diffs
            .iter()
            .map(|d| d.abs())
            .filter(|d| *d > 0.0)
            .reduce(f64::min)
            .unwrap_or(0.0)
            .max(center.abs() * 1e-12);
        let floor = resolution.max(1e-9);
        let scale = scale.max(floor);
        let level = (value - center) / scale;
        let lowest = self.values.iter().copied().fold(f64::INFINITY, f64::min);
        self.below = ((lowest - value) / scale).max(0.0);
        let change = match self.values.back() {
            Some(previous) if self.diffs.len() >= self.config.warmup / 2 => {
                let (usual, spread) = robust(self.diffs.iter().copied());
                ((value - previous) - usual) / spread.max(floor)
            }
            _ => 0.0,
        };
        let span = self.config.shift_span.min(self.values.len());
        let recent = self
            .values
            .iter()
            .rev()
            .take(span.saturating_sub(1))
            .copied()
            .chain(std::iter::once(value));
        let (recent_center, recent_scale) = robust(recent);
        let shift = (recent_center - center) / scale;
        let trend = if self.slopes.len() >= TREND_MIN_BLOCKS {
            let from = self.values.len() + 1 - self.config.trend_span;
            let current = slope(
                self.values
                    .range(from..)
                    .copied()
                    .chain(std::iter::once(value)),
            );
            let (usual, spread) = robust(self.slopes.iter().copied());
            (current - usual) / spread.max(floor / self.config.trend_span as f64)
        } else {
            0.0
        };
        self.resolution = resolution;
        self.spread_z = self.spread_z(value);
        let mut z = level
            .abs()
            .max(change.abs())
            .max(shift.abs() * 1.5)
            .max(trend.abs())
            .max(self.spread_z);
        let mut season = 0.0;
        let mut by_season = false;
        if let Some(expected) = expected {
            let residual = value - expected.mean;
            let spread = expected.spread.max(floor);
            // The forest's feature: the departure from the profile as it is.
            season = residual / spread;
            // What the view and the drift score: a departure as far as this time of day went the
            // day before (a nightly backup, a clock moved by an hour) counts at most
            // `RECURRING_Z`; only what goes well beyond it is news.
            let unusual = residual / spread.max(expected.recurring / RECURRING_Z);
            // A value so far out that its residual overflows would leave the drift NaN for good.
            let drift = if unusual.is_finite() {
                self.drift.update(unusual)
            } else {
                0.0
            };
            if self.profile_scores() {
                z = unusual.abs();
                // A sustained drift counts only against a profile that has seen this day of the
                // week before: a series' first weekend is no anomaly.
                if expected.weekly {
                    z = z.max(drift.abs());
                }
                by_season = true;
            }
            if !self.drift.holds_gate(drift) {
                self.profile_error +=
                    ERROR_WEIGHT * ((value - expected.mean).abs() - self.profile_error);
                self.window_error += ERROR_WEIGHT * ((value - center).abs() - self.window_error);
            }
            self.compared += 1;
        }
        // A run of repeats counts whichever views score: it is no step, level or seasonal
        // departure.
        z = z.max(self.stuck);
        let clamp = |v: f64| v.clamp(-50.0, 50.0) as f32;
        let features = [
            clamp(level),
            clamp(change),
            clamp(shift),
            clamp(trend),
            clamp(season),
            clamp(((recent_scale + floor) / scale).ln()),
        ];
        if let Some(forest) = &self.forest {
            let isolation = forest.score(&features);
            z = z.max(((isolation - FOREST_MID) / FOREST_SPREAD).max(0.0));
        }
        (z, by_season, features)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(state: &mut u64) -> f64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state % 1000) as f64 / 1000.0
    }

    /// The first point of `points` (fed after `history`) the anomaly job flags (a score of at
    /// least its default threshold).
    fn first_alarm(config: DetectorConfig, history: &[f64], points: &[f64]) -> Option<usize> {
        let flagged = crate::config::DEFAULT_THRESHOLD;
        let mut model = Statistical::new(config);
        for value in history {
            model.score(None, *value, None);
        }
        points
            .iter()
            .position(|value| model.score(None, *value, None).0 >= flagged)
    }

    /// The spread view's z of every point of `values`, fed one after the other.
    fn spread_zs(values: &[f64]) -> Vec<f64> {
        let mut model = Statistical::new(DetectorConfig::default());
        values
            .iter()
            .map(|value| {
                model.score(None, *value, None);
                model.spread_z
            })
            .collect()
    }

    #[test]
    fn a_series_turning_noisier_scores_on_the_spread_view_and_a_quieter_one_does_not() {
        let mut rng = 11u64;
        let calm: Vec<f64> = (0..3_000).map(|_| 50.0 + noise(&mut rng)).collect();
        let louder: Vec<f64> = (0..200).map(|_| 50.0 + 4.0 * noise(&mut rng)).collect();
        let quieter: Vec<f64> = (0..200).map(|_| 50.0 + 0.25 * noise(&mut rng)).collect();
        let zs = spread_zs(&[calm.clone(), louder].concat());
        let usual = zs[..3_000].iter().copied().fold(0.0, f64::max);
        assert!(
            usual < SPREAD_JOIN_Z,
            "steady noise stays below the join: {usual}"
        );
        let first = zs[3_000..].iter().position(|z| *z >= SPREAD_JOIN_Z);
        assert!(
            first.is_some_and(|first| first < 48),
            "four times the noise joins within a span: {first:?}"
        );
        let zs = spread_zs(&[calm, quieter].concat());
        assert!(
            zs[3_000..].iter().all(|z| *z == 0.0),
            "quieter is no anomaly"
        );
    }

    #[test]
    fn the_spread_view_is_the_same_in_any_unit() {
        // A series read at a coarse resolution, mostly repeating two values (as NAB's
        // ec2_cpu_utilization_24ae8d does, whose steps' MAD was zero in one unit and a rounding
        // error's size in another: NAB's own test caught that case, which this series need not
        // reproduce).
        let mut rng = 3u64;
        let mut value = 0.134;
        let values: Vec<f64> = (0..4_000)
            .map(|i| {
                let draw = noise(&mut rng);
                if draw < 0.1 {
                    value = if value > 0.1 { 0.066 } else { 0.134 };
                } else if draw > 0.995 || (3_000..3_100).contains(&i) {
                    value = 0.066 + 0.002 * (noise(&mut rng) * 400.0).floor();
                }
                value
            })
            .collect();
        // And a ramp, whose steps are equal but for float rounding, then a little noise.
        let ramp: Vec<f64> = (0..2_000)
            .map(|i| 1_000.0 + 0.1 * i as f64)
            .chain((0..1_000).map(|_| 1_200.0 + 0.01 * noise(&mut rng)))
            .collect();
        for series in [&values, &ramp] {
            let original = spread_zs(series);
            for scale in [0.001, 1_000.0, 3.7] {
                let scaled: Vec<f64> = series.iter().map(|v| v * scale).collect();
                let moved = spread_zs(&scaled);
                for (i, (a, b)) in original.iter().zip(&moved).enumerate() {
                    assert!(
                        (a - b).abs() < 1e-6,
                        "scale {scale}, point {i}: {a} against {b}"
                    );
                }
            }
        }
        let original = spread_zs(&values);
        let highest = original[3_000..3_100].iter().copied().fold(0.0, f64::max);
        assert!(
            highest >= SPREAD_JOIN_Z,
            "the noisier stretch joins: {highest}"
        );
    }

    #[test]
    fn a_point_scoring_from_the_alarm_up_starts_the_damping() {
        // Steps of growing size after the same quiet history: the first step whose first point
        // scores from 0.75 (the alarm) to 0.8 (model 14's alarm) — a point the anomaly job
        // flags. With the alarm at 0.8 the step's next point, the same incident, is flagged
        // again; with today's alarm it is damped below the job's threshold.
        use crate::config::DEFAULT_THRESHOLD;
        let mut rng = 5u64;
        let history: Vec<f64> = (0..600).map(|_| 10.0 + noise(&mut rng)).collect();
        let step_scores = |alarm: f64, step: f64| {
            let mut model = Statistical::new(DetectorConfig {
                alarm,
                ..DetectorConfig::default()
            });
            for value in &history {
                model.score(None, *value, None);
            }
            let first = model.score(None, 10.5 + step, None).0;
            (first, model.score(None, 10.5 + step, None).0)
        };
        let alarm = DetectorConfig::default().alarm;
        let step = (1..400)
            .map(|k| f64::from(k) * 0.02)
            .find(|step| (0.75..0.8).contains(&step_scores(alarm, *step).0))
            .expect("a step whose first point scores from 0.75 to 0.8");
        let (first, next) = step_scores(0.8, step);
        assert!(
            first >= DEFAULT_THRESHOLD && next >= DEFAULT_THRESHOLD,
            "with the alarm at 0.8, a step of {step} is flagged twice: {first:.3}, {next:.3}"
        );
        let (first, next) = step_scores(alarm, step);
        assert!(
            first >= DEFAULT_THRESHOLD && next < DEFAULT_THRESHOLD,
            "a step of {step}: {first:.3}, then {next:.3} undamped"
        );
    }

    #[test]
    fn a_trend_change_is_flagged_before_the_level_is_unusual() {
        let mut rng = 11u64;
        let history: Vec<f64> = (0..1_000).map(|_| 10.0 + noise(&mut rng)).collect();
        let climb: Vec<f64> = (0..300)
            .map(|i| 10.0 + 0.01 * i as f64 + noise(&mut rng))
            .collect();
        let with_trend = first_alarm(DetectorConfig::default(), &history, &climb);
        let without_trend = first_alarm(
            DetectorConfig {
                // Longer than the history: the trend view never scores.
                trend_span: 100_000,
                ..DetectorConfig::default()
            },
            &history,
            &climb,
        );
        let with_trend = with_trend.expect("the climb is flagged");
        assert!(
            without_trend.is_none_or(|later| later > with_trend + 20),
            "trend view at {with_trend}, level views at {without_trend:?}"
        );
        let quiet = first_alarm(DetectorConfig::default(), &history[..500], &history[500..]);
        assert_eq!(quiet, None, "noise alone is not a trend");
    }

    /// Scores of a daily cycle of ±30 around 100 at 5-minute points from a Monday, with noise of
    /// standard deviation 6, over `days` days; from point `flat` on, for a day, the cycle is
    /// gone (the series stays at its daily mean).
    fn daily_cycle_scores(days: usize, flat: Option<usize>) -> Vec<f64> {
        daily_cycle_scores_with(days, |i, cycle| match flat {
            Some(start) if (start..start + 288).contains(&i) => 0.0,
            _ => cycle,
        })
    }

    /// [`daily_cycle_scores`] with `edit(point, cycle)` added to the mean in place of the cycle.
    fn daily_cycle_scores_with(days: usize, edit: impl Fn(usize, f64) -> f64) -> Vec<f64> {
        const STEP_NS: i64 = 300_000_000_000;
        // 1970-01-05 was a Monday.
        const MONDAY_NS: i64 = 4 * 86_400_000_000_000;
        let mut model = Statistical::new(DetectorConfig::default());
        let mut rng = 5u64;
        (0..days * 288)
            .map(|i| {
                let noise = (noise(&mut rng) + noise(&mut rng) + noise(&mut rng) - 1.5) * 12.0;
                let cycle = 30.0 * (std::f64::consts::TAU * i as f64 / 288.0).sin();
                let value = 100.0 + noise + edit(i, cycle);
                model
                    .score(Some(MONDAY_NS + i as i64 * STEP_NS), value, None)
                    .0
            })
            .collect()
    }

    #[test]
    fn a_day_without_its_daily_cycle_is_flagged_by_the_seasonal_drift() {
        // Each flattened point is at most 30 from what the profile expects, about 5 noise
        // deviations: a single point is seldom far enough out, the hours of them are. Without
        // the drift the first alarm came 132 points (11 hours) in; with it, 13 (model version 14,
        // scores of 0.8); 5 with today's model, flagged at the job's threshold.
        let start = 17 * 288 + 72;
        let flagged = crate::config::DEFAULT_THRESHOLD;
        let scores = daily_cycle_scores(19, Some(start));
        let first = scores[start..]
            .iter()
            .position(|score| *score >= flagged)
            .expect("the flattened day is flagged");
        assert!(first < 48, "flagged {first} points after the cycle stopped");
        let quiet = daily_cycle_scores(19, None);
        let false_alarms = (14 * 288..19 * 288)
            .filter(|i| quiet[*i] >= flagged)
            .count();
        assert_eq!(false_alarms, 0, "the cycle as usual is no anomaly");
    }

    #[test]
    fn a_spike_that_comes_back_every_night_stops_alarming_and_one_at_a_new_time_does() {
        // From day 8, a nightly job adds 90 (15 noise deviations) at 02:45 (the 34th point of
        // the day); on the last day the same spike comes at 14:10 too. The half hour's spread,
        // clipped against incidents, never learns the nightly spike: before model version 14
        // it alarmed every night.
        const NIGHT: usize = 33;
        const AFTERNOON: usize = 170;
        let days = 17;
        let scores = daily_cycle_scores_with(days, |i, cycle| {
            let (day, at) = (i / 288, i % 288);
            let nightly = day >= 8 && at == NIGHT;
            let afternoon = day == days - 1 && at == AFTERNOON;
            cycle + if nightly || afternoon { 90.0 } else { 0.0 }
        });
        let night = |day: usize| scores[day * 288 + NIGHT];
        assert!(
            night(8) >= 0.8,
            "the first night's spike is news: {}",
            night(8)
        );
        for day in 10..days {
            assert!(
                night(day) < 0.5,
                "night {day}: a spike as on the nights before scored {}",
                night(day)
            );
        }
        let afternoon = scores[(days - 1) * 288 + AFTERNOON];
        assert!(
            afternoon >= 0.8,
            "the same spike at a new time: {afternoon}"
        );
    }

    #[test]
    fn a_single_glitch_excuses_its_half_hour_for_a_day_only() {
        // A glitch of 900 (150 noise deviations) at 05:00 on day 10, then a spike of 90 at the
        // same time on day 12: the glitch came once, so the spike is news. Remembered as the
        // largest distance of recent days, decayed by a day's share (the first version of this
        // rule), the glitch kept the half hour quiet for weeks.
        const AT: usize = 60;
        let scores = daily_cycle_scores_with(14, |i, cycle| {
            let (day, at) = (i / 288, i % 288);
            cycle
                + match (day, at) {
                    (10, AT) => 900.0,
                    (12, AT) => 90.0,
                    _ => 0.0,
                }
        });
        let spike = scores[12 * 288 + AT];
        assert!(spike >= 0.8, "a spike two days after a glitch: {spike}");
    }

    /// `robust` as it was written first, sorting both lists.
    fn robust_by_sorting(values: &[f64]) -> (f64, f64) {
        let sorted_median = |sorted: &[f64]| match sorted.len() {
            0 => 0.0,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let center = sorted_median(&sorted);
        let mut deviations: Vec<f64> = sorted.iter().map(|v| (v - center).abs()).collect();
        deviations.sort_by(f64::total_cmp);
        let mad = 1.4826 * sorted_median(&deviations);
        let scale = if mad > 0.0 || deviations.is_empty() {
            mad
        } else {
            1.2533 * deviations.iter().sum::<f64>() / deviations.len() as f64
        };
        (center, scale)
    }

    proptest::proptest! {
        #[test]
        fn robust_statistics_by_selection_equal_those_by_sorting(
            values in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![0.0, 1.0, 1.0, 2.5, -3.0]),
                    -1e6f64..1e6,
                ],
                0..300,
            )
        ) {
            let (center, scale) = robust(values.iter().copied());
            let (expected_center, expected_scale) = robust_by_sorting(&values);
            proptest::prop_assert_eq!(center.to_bits(), expected_center.to_bits());
            proptest::prop_assert_eq!(scale.to_bits(), expected_scale.to_bits());
        }
    }

    #[test]
    fn slope_of_a_line_and_of_noise() {
        assert!((slope([1.0, 3.0, 5.0, 7.0]) - 2.0).abs() < 1e-12);
        assert_eq!(slope([4.0]), 0.0);
        assert!(slope([1.0, -1.0, 1.0, -1.0, 1.0]).abs() < 1e-12);
    }
}
