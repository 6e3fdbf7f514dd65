//! A second test of the detector, written held out (see [`MINIMUM_STANDARD_SCORE`] for what it
//! has been used for since): a synthetic corpus *unlike* the `daily` one
//! (`tests/synthetic/daily.rs`) in the ways real monitoring data differs from it — other
//! cadences and lengths, series that start on any weekday at any time of day in their own time
//! zone, irregular timestamps and missing stretches, nine other shapes and nine kinds of anomaly,
//! some series with two anomalies. It is generated here from fixed seeds (no data file, no new
//! dependency), run through the default `Detector` strictly online (`score_at` with each point's
//! timestamp) and scored by this crate's NAB scorer as the `daily` corpus is.
//!
//! **Written without tuning.** The shapes, kinds, parameter ranges, series plan and seeds were
//! all decided before the scoring test first ran, and not changed in response to its scores;
//! the detector was not tuned on this corpus either. [`MINIMUM_STANDARD_SCORE`] is the first
//! measurement rounded down, less a margin: a floor against regressions, not a target.
//!
//! **Series.** 43 series, each from its index as seed: 13 at 1-minute intervals (4,000–10,000
//! points: 3–7 days), 4 at 5 minutes (3,000–10,000: 10–35 days), 13 at 10 minutes
//! (2,000–8,000: 2–8 weeks), 8 at 30 minutes (1,500–6,000: 1–4 months) and 5 hourly
//! (1,500–4,000: 2–5½ months). Each starts on a weekday and at a time of day drawn from its
//! seed (in the week from Monday 2026-09-21, UTC), and lives in a time zone drawn from UTC−7 to
//! UTC+9 (its daily pattern follows local time). Eight series report with jitter (each timestamp
//! up to 30 % of a step early or late) and five miss stretches (2–5 gaps of 3–30 points). The
//! shapes, with their parameters drawn from the seed:
//!
//! - *business hours*: a floor of 2–100 plus a working-day load 1.5–10× the floor, ramping up
//!   from 07:00 to 09:00 and down from 17:00 to 19:00 local time with a lunch dip of up to 25 %,
//!   weekends at 3–25 % of weekdays, Gaussian noise of 2–8 % of the load (less at night);
//! - *Poisson counts*: events per point (0.03–0.6 a minute: mostly zeros at 1-minute cadence)
//!   with a daily swing of up to ±80 % and, at 0.1–0.4 % of the points, a cluster of 1–5 points
//!   at 3–8× the rate — errors per minute;
//! - *heavy tailed*: a count of 20–2,000 a point (log-uniform) with a daily swing of ±30–80 %
//!   peaking between noon and 22:00, weekends at 70–130 %, log-normal noise (σ 0.25–0.6) and at
//!   0.3–1 % of the points a Pareto burst (α 1.2–2) — request or social-media volume;
//! - *batch*: a job every 1–8 hours (never daily: 1, 1½, 2, 3, 4, 6 or 8 h, at least 8 points
//!   a period) as square pulses (busy 10–40 % of the period) or a sawtooth (a queue that fills
//!   and drains), height 20–500 over a base of 0–40, noise of 1–6 % of the height;
//! - *steps*: replica counts of an autoscaler — a minimum of 2–6 plus 1–4 following a daily load
//!   (weekends at 30–100 %), scaling up at once and down one replica after 30 minutes, and a
//!   replica lost for 1–3 points at 0.05–0.3 % of the points;
//! - *memory*: a floor of 100–4,000 climbing by 30–150 % of it (concave) until a reset every
//!   1/6–1/20 of the series (±30 % each time) — garbage collection or restarts;
//! - *latency*: a floor of 1–50 ms plus a log-normal (σ 0.3–0.8) around 5–300 ms that rises by
//!   up to 60 % with the daily load, and slow outliers (Pareto, α 1.5–3) at 0.1–0.5 % of points;
//! - *temperature*: 18–45 °C with a smooth daily cycle of 1–8 °C (lowest at 03:00, highest at
//!   15:00 local), a slow drift (Ornstein–Uhlenbeck over 2–10 days, 20–100 % of the cycle),
//!   noise of 2–10 % of the cycle, read to 0.1 °C;
//! - *near constant*: an integer 1–40 that moves by one for 1–3 points at 0.2–1 % of the points
//!   — nodes in a cluster, connections in a pool.
//!
//! **Anomalies.** 42 in 37 series; 6 series have none (false positives only). Each starts at a
//! point drawn uniformly between the later of point 1,000 and the window's left edge after NAB's
//! probation, and the last point that leaves the anomaly and its window inside the series; a
//! series with two draws the first in the first third of that range and the second in the last.
//! Sizes are relative to the series' own *span* before the anomaly (its 0.1 to 99.9 percentile
//! range, at least one unit for counts):
//!
//! - *spike*: 1–3 points at 0.25–2 spans above the highest normal value;
//! - *dip*: 4–24 points of outage (0) on counts, load and replicas; on latency, 4–24 points at
//!   20–60 % of the lowest normal value (requests failing fast);
//! - *level shift*: ±0.2–0.8 span from the start to the end (at least one unit on integers); on
//!   Poisson counts the rate ×2–6, on heavy-tailed counts ×1.5–3 or ×0.35–0.65, on latency the
//!   median ×1.5–3 or ×0.4–0.7;
//! - *trend change*: an added slope of 0.2–1 span a day (upwards on memory, a leak; either way
//!   elsewhere) for 1–4 days, then held to the end; on Poisson counts the rate growing by
//!   100–300 % a day, on latency the median by 50–200 % a day, for 1–4 days likewise;
//! - *variance change*: Gaussian noise ×2–4, or log-normal σ ×1.4–2.2, from the start to the end;
//! - *lost seasonality*: a weekday whose working day looks like a weekend (business hours), or an
//!   overcast day with the daily cycle at 10–35 % (temperature), for one day;
//! - *shifted seasonality*: the daily cycle moved by ±3–9 hours from the start to the end (a
//!   rescheduled job, a scaling schedule in the wrong time zone);
//! - *stuck*: the series flat-lines at its last value for 2–12 hours (at least 6 points);
//! - *frequency change*: the batch period ×½, ×⅔, ×1½ or ×2, or memory resets 2–4× as often,
//!   from the start to the end.
//!
//! For the kinds whose change cannot show at once (lost and shifted seasonality, frequency
//! change), the change takes effect at its drawn point (lost seasonality: at 07:00 or 03:00 local
//! of the next weekday, or day) and the anomaly's first point — the one labelled — is the first
//! point where the series without noise differs from what it would have been by at least 10 % of
//! its noise-free span.
//!
//! | shape (cadences) | spike | dip | level | trend | variance | lost | shifted | stuck | frequency | none |
//! |---|---|---|---|---|---|---|---|---|---|---|
//! | business hours (1m 5m 10m 30m 1h) | 3 | 3 | 5 | | 4 | 0 1 | 2 | | | 6 |
//! | Poisson counts (1m 10m) | 7 | | 8 | 9 | | | | | | 10 |
//! | heavy tailed (1m 5m 10m 30m 1h) | 15 | 11 | 12 | | 14 | | 13 | 15 | | 16 |
//! | batch (1m 10m 30m) | 20 | | | | | | | 20 | 17 18 19 | 21 |
//! | steps (1m 5m 10m 1h) | | 22 | | | | | 23 | 24 | | 25 |
//! | memory (1m 10m 30m) | | | 28 | 26 | | | | 29 | 27 | |
//! | latency (1m 5m 30m) | 30 | 33 | 33 | 32 | 31 | | | | | 34 |
//! | temperature (10m 30m 1h) | 37 | | 37 | 36 | 38 | 39 | | 35 | | |
//! | near constant (1m 10m 1h) | 40 | 41 | 42 | | | | | | | |
//!
//! (Series indices; [`CORPUS`] lists each with its cadence and timing. Series 3, 15, 20, 33 and
//! 37 hold two anomalies.)
//!
//! **Windows.** As NAB labels its corpus: a window of 10 % of the series length divided by the
//! number of its anomalies, centred on each anomaly's first point, i.e. rows
//! `start − half ..= start + half` with `half = n / 10 / k / 2`.
//!
//! **Scoring.** NAB's three profiles with one threshold for the whole corpus chosen on NAB's
//! grid, as the `daily` corpus does (in sample for the threshold), and the score at the anomaly
//! job's default threshold (0.661, chosen on NAB, until session 16; since, 0.732, chosen on NAB,
//! `daily` and this corpus, so no longer held out). Per kind, at the
//! standard profile's corpus threshold: the normalised score of the series holding that kind
//! with only that kind's windows (the rows of a series' other window masked to 0, so they count
//! neither way; a series with two kinds counts its false positives under both), the windows
//! caught, the false positives and the delay of the first detection; per series: the raw score
//! and the highest score inside each window.

use crate::common::{
    Anomaly, Clock, DAY_S, HOUR_S, Labelled, Reported, Rng, Spacing, check_kinds, check_series,
    duration_text, first_time, half_width, hour_of, is_weekend, mark_shown, next_local, probation,
    quantile, score_and_report, smoothstep, span_before, timestamp_ns, view, wave, windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold: the first
/// measurement rounded down to one decimal, less 0.1. Measured 2026-12-07 (model version 7, the
/// first run of this test): 39.92 at threshold 0.777, 38.07 at the job's 0.661. The corpus and
/// the detector are deterministic: a change of the score is a change of the detector. Then, the
/// same day, 44.30 at 0.723 (41.75 at the job's) with the seasonal drift (model version 8, whose
/// settings were chosen on the `daily` corpus, not on this one), and 50.40 at 0.723 (45.50)
/// with records by a wide margin joining the statistical score (model version 9; this corpus'
/// report of spikes scored 0.30–0.68 prompted the look, the margin was chosen on NAB and a
/// series of my own, not here), and 59.16 at 0.723 (54.69) with runs of repeated values scored
/// (model version 10; this corpus' stuck series prompted it, its two settings were chosen on
/// NAB's short cuts and a series of my own). A review then found the drift's usual size
/// starting from 0 (its z more than twice what it is for the first few hundred points after
/// calibration, which had caught two of this corpus' shifted cycles by that inflation): with an
/// unbiased start and the gate's threshold chosen again on the `daily` corpus, 57.20 at 0.732
/// (52.37 at the job's). This corpus has been measured after each change and prompted two of
/// them (models 9 and 10): it is a check against regressions now, no longer held out.
const MINIMUM_STANDARD_SCORE: f64 = 57.1;

/// Monday 2026-09-21 00:00 UTC, in seconds since the epoch: the week the series start in.
const BASE_S: i64 = 1_789_948_800;
/// No anomaly starts before this point (the detector's warm-up is 750).
const MIN_START: usize = 1_000;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0x0A21_ED00_0000;
/// Time zones the series live in, in seconds ahead of UTC.
const TIME_ZONES: [i64; 8] = [
    -7 * HOUR_S,
    -5 * HOUR_S,
    0,
    HOUR_S,
    2 * HOUR_S,
    11 * HOUR_S / 2,
    8 * HOUR_S,
    9 * HOUR_S,
];

/// The interval between a series' points.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cadence {
    /// One minute.
    Minute,
    /// Five minutes.
    FiveMinutes,
    /// Ten minutes.
    TenMinutes,
    /// Half an hour.
    HalfHour,
    /// One hour.
    Hour,
}

impl Cadence {
    /// Seconds between points.
    fn seconds(self) -> i64 {
        match self {
            Cadence::Minute => 60,
            Cadence::FiveMinutes => 300,
            Cadence::TenMinutes => 600,
            Cadence::HalfHour => 1_800,
            Cadence::Hour => HOUR_S,
        }
    }

    /// Short name, for reports.
    fn label(self) -> &'static str {
        match self {
            Cadence::Minute => "1m",
            Cadence::FiveMinutes => "5m",
            Cadence::TenMinutes => "10m",
            Cadence::HalfHour => "30m",
            Cadence::Hour => "1h",
        }
    }

    /// The fewest and most points a series of this cadence has.
    fn lengths(self) -> (usize, usize) {
        match self {
            Cadence::Minute => (4_000, 10_000),
            Cadence::FiveMinutes => (3_000, 10_000),
            Cadence::TenMinutes => (2_000, 8_000),
            Cadence::HalfHour => (1_500, 6_000),
            Cadence::Hour => (1_500, 4_000),
        }
    }
}

/// How a series' timestamps deviate from its cadence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Timing {
    /// Exactly every step.
    Regular,
    /// Each timestamp up to 30 % of a step early or late.
    Jitter,
    /// 2–5 stretches of 3–30 points missing.
    Gaps,
}

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Working-day load with a weekly pattern.
    BusinessHours,
    /// Low Poisson event counts.
    Poisson,
    /// Heavy-tailed counts with a daily cycle.
    HeavyTail,
    /// Periodic batch-job pulses or sawtooth.
    Batch,
    /// Discrete replica counts.
    Steps,
    /// Slow climb with periodic resets.
    Memory,
    /// Positive skewed noise around a level.
    Latency,
    /// Smooth daily cycle with slow drift.
    Temperature,
    /// A constant with rare single-unit wobbles.
    NearConstant,
}

impl Shape {
    /// The smallest meaningful change: one for counts, the 0.1 °C a thermometer reads; 0 for the
    /// rest.
    fn unit(self) -> f64 {
        match self {
            Shape::Poisson | Shape::HeavyTail | Shape::Steps | Shape::NearConstant => 1.0,
            Shape::Temperature => 0.1,
            _ => 0.0,
        }
    }

    /// Whether a dip on this shape is an outage to 0 (counts, load, replicas).
    fn drops_to_zero(self) -> bool {
        !matches!(self, Shape::Latency | Shape::Temperature | Shape::Memory)
    }
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// 1–3 points far above normal.
    Spike,
    /// An outage to 0, or a drop below normal, for 4–24 points.
    Dip,
    /// A lasting step.
    LevelShift,
    /// A lasting added slope.
    TrendChange,
    /// Lasting larger noise.
    VarianceChange,
    /// A day without its daily cycle.
    LostSeasonality,
    /// The daily cycle moved by hours.
    ShiftedSeasonality,
    /// The series flat-lines for hours.
    Stuck,
    /// The period of a periodic pattern changes.
    FrequencyChange,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 10] = [
    Kind::Spike,
    Kind::Dip,
    Kind::LevelShift,
    Kind::TrendChange,
    Kind::VarianceChange,
    Kind::LostSeasonality,
    Kind::ShiftedSeasonality,
    Kind::Stuck,
    Kind::FrequencyChange,
    Kind::None,
];

/// One series of the corpus as planned: everything else is drawn from its seed.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// The shape.
    shape: Shape,
    /// The cadence.
    cadence: Cadence,
    /// Regular, jittered or gapped timestamps.
    timing: Timing,
    /// The anomalies, in time order (empty: none).
    kinds: &'static [Kind],
}

/// A [`Plan`], briefly.
const fn plan(shape: Shape, cadence: Cadence, timing: Timing, kinds: &'static [Kind]) -> Plan {
    Plan {
        shape,
        cadence,
        timing,
        kinds,
    }
}

/// The corpus; the seed is the series' index.
const CORPUS: [Plan; 43] = [
    plan(
        Shape::BusinessHours,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::LostSeasonality],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::HalfHour,
        Timing::Jitter,
        &[Kind::LostSeasonality],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::Hour,
        Timing::Regular,
        &[Kind::ShiftedSeasonality],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::Spike, Kind::Dip],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::TenMinutes,
        Timing::Gaps,
        &[Kind::VarianceChange],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::FiveMinutes,
        Timing::Regular,
        &[Kind::LevelShift],
    ),
    plan(
        Shape::BusinessHours,
        Cadence::HalfHour,
        Timing::Regular,
        &[],
    ),
    plan(
        Shape::Poisson,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::Spike],
    ),
    plan(
        Shape::Poisson,
        Cadence::Minute,
        Timing::Jitter,
        &[Kind::LevelShift],
    ),
    plan(
        Shape::Poisson,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::TrendChange],
    ),
    plan(Shape::Poisson, Cadence::Minute, Timing::Gaps, &[]),
    plan(
        Shape::HeavyTail,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::Dip],
    ),
    plan(
        Shape::HeavyTail,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::LevelShift],
    ),
    plan(
        Shape::HeavyTail,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::ShiftedSeasonality],
    ),
    plan(
        Shape::HeavyTail,
        Cadence::FiveMinutes,
        Timing::Jitter,
        &[Kind::VarianceChange],
    ),
    plan(
        Shape::HeavyTail,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::Spike, Kind::Stuck],
    ),
    plan(Shape::HeavyTail, Cadence::Hour, Timing::Regular, &[]),
    plan(
        Shape::Batch,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::FrequencyChange],
    ),
    plan(
        Shape::Batch,
        Cadence::TenMinutes,
        Timing::Gaps,
        &[Kind::FrequencyChange],
    ),
    plan(
        Shape::Batch,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::FrequencyChange],
    ),
    plan(
        Shape::Batch,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::Stuck, Kind::Spike],
    ),
    plan(Shape::Batch, Cadence::TenMinutes, Timing::Jitter, &[]),
    plan(Shape::Steps, Cadence::Minute, Timing::Regular, &[Kind::Dip]),
    plan(
        Shape::Steps,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::ShiftedSeasonality],
    ),
    plan(Shape::Steps, Cadence::Hour, Timing::Regular, &[Kind::Stuck]),
    plan(Shape::Steps, Cadence::FiveMinutes, Timing::Gaps, &[]),
    plan(
        Shape::Memory,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::TrendChange],
    ),
    plan(
        Shape::Memory,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::FrequencyChange],
    ),
    plan(
        Shape::Memory,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::LevelShift],
    ),
    plan(
        Shape::Memory,
        Cadence::TenMinutes,
        Timing::Jitter,
        &[Kind::Stuck],
    ),
    plan(
        Shape::Latency,
        Cadence::Minute,
        Timing::Jitter,
        &[Kind::Spike],
    ),
    plan(
        Shape::Latency,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::VarianceChange],
    ),
    plan(
        Shape::Latency,
        Cadence::FiveMinutes,
        Timing::Gaps,
        &[Kind::TrendChange],
    ),
    plan(
        Shape::Latency,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::Dip, Kind::LevelShift],
    ),
    plan(Shape::Latency, Cadence::Minute, Timing::Regular, &[]),
    plan(
        Shape::Temperature,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::Stuck],
    ),
    plan(
        Shape::Temperature,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::TrendChange],
    ),
    plan(
        Shape::Temperature,
        Cadence::Hour,
        Timing::Regular,
        &[Kind::Spike, Kind::LevelShift],
    ),
    plan(
        Shape::Temperature,
        Cadence::TenMinutes,
        Timing::Jitter,
        &[Kind::VarianceChange],
    ),
    plan(
        Shape::Temperature,
        Cadence::HalfHour,
        Timing::Regular,
        &[Kind::LostSeasonality],
    ),
    plan(
        Shape::NearConstant,
        Cadence::Minute,
        Timing::Regular,
        &[Kind::Spike],
    ),
    plan(
        Shape::NearConstant,
        Cadence::TenMinutes,
        Timing::Regular,
        &[Kind::Dip],
    ),
    plan(
        Shape::NearConstant,
        Cadence::Hour,
        Timing::Jitter,
        &[Kind::LevelShift],
    ),
];

/// A shape's parameters, drawn from the series' seed.
#[derive(Debug, Clone, Copy)]
enum Model {
    /// See [`Shape::BusinessHours`].
    BusinessHours {
        /// Load outside working hours.
        floor: f64,
        /// Load added at the height of a working day.
        peak: f64,
        /// Weekend load as a share of a weekday's.
        weekend: f64,
        /// Depth of the lunch dip, as a share of the peak.
        lunch: f64,
        /// Noise at the peak (60 % less at night).
        sigma: f64,
    },
    /// See [`Shape::Poisson`].
    Poisson {
        /// Mean events a point.
        lambda: f64,
        /// Daily swing of the rate, ± this share.
        swing: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Chance a cluster of errors starts at a point.
        cluster: f64,
    },
    /// See [`Shape::HeavyTail`].
    HeavyTail {
        /// Median count a point.
        rate: f64,
        /// Daily swing, ± this share.
        swing: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend rate as a share of a weekday's.
        weekend: f64,
        /// Log-normal noise's log-scale.
        sigma: f64,
        /// Chance of a Pareto burst at a point.
        burst: f64,
        /// The bursts' Pareto shape.
        alpha: f64,
    },
    /// See [`Shape::Batch`].
    Batch {
        /// Value between jobs.
        base: f64,
        /// Height of a pulse, or of the sawtooth.
        height: f64,
        /// Seconds between jobs.
        period: f64,
        /// Share of the period a square pulse is busy.
        duty: f64,
        /// A sawtooth rather than square pulses.
        sawtooth: bool,
        /// Phase at the first point, in periods.
        phase: f64,
        /// Gaussian noise.
        sigma: f64,
    },
    /// See [`Shape::Steps`].
    Steps {
        /// Fewest replicas.
        min: f64,
        /// Replicas added at the busiest time.
        extra: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend load as a share of a weekday's.
        weekend: f64,
        /// Chance a replica is lost for 1–3 points at a point.
        blip: f64,
    },
    /// See [`Shape::Memory`].
    Memory {
        /// Value just after a reset.
        floor: f64,
        /// Growth over an average cycle.
        growth: f64,
        /// Average seconds between resets.
        cycle: f64,
        /// Concavity of the climb.
        curve: f64,
        /// Gaussian noise.
        sigma: f64,
    },
    /// See [`Shape::Latency`].
    Latency {
        /// The fastest possible response.
        floor: f64,
        /// Median response above the floor at the quietest time.
        scale: f64,
        /// Rise of the median at the busiest time, as a share.
        load: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Log-normal noise's log-scale.
        sigma: f64,
        /// Chance of a slow outlier at a point.
        slow: f64,
        /// The outliers' Pareto shape.
        alpha: f64,
    },
    /// See [`Shape::Temperature`].
    Temperature {
        /// Mean temperature.
        mean: f64,
        /// Peak-to-trough daily cycle.
        amplitude: f64,
        /// Drift's time constant, in seconds.
        tau: f64,
        /// Drift's standard deviation.
        drift: f64,
        /// Measurement noise.
        sigma: f64,
    },
    /// See [`Shape::NearConstant`].
    NearConstant {
        /// The constant.
        value: f64,
        /// Chance of a wobble starting at a point.
        wobble: f64,
    },
}

impl Model {
    /// Draws the parameters of `shape` for a series of `step`-second points lasting
    /// `duration` seconds.
    fn draw(shape: Shape, rng: &mut Rng, step: i64, duration: i64) -> Model {
        match shape {
            Shape::BusinessHours => {
                let floor = rng.range(2.0, 100.0);
                let peak = floor * rng.range(1.5, 10.0);
                Model::BusinessHours {
                    floor,
                    peak,
                    weekend: rng.range(0.03, 0.25),
                    lunch: rng.range(0.0, 0.25),
                    sigma: peak * rng.range(0.02, 0.08),
                }
            }
            Shape::Poisson => Model::Poisson {
                lambda: rng.range(0.03, 0.6) * step as f64 / 60.0,
                swing: rng.range(0.0, 0.8),
                peak_hour: rng.range(10.0, 20.0),
                cluster: rng.range(0.001, 0.004),
            },
            Shape::HeavyTail => Model::HeavyTail {
                rate: rng.log_range(20.0, 2_000.0),
                swing: rng.range(0.3, 0.8),
                peak_hour: rng.range(12.0, 22.0),
                weekend: rng.range(0.7, 1.3),
                sigma: rng.range(0.25, 0.6),
                burst: rng.range(0.003, 0.01),
                alpha: rng.range(1.2, 2.0),
            },
            Shape::Batch => {
                let periods: Vec<f64> = [1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]
                    .iter()
                    .map(|h| h * HOUR_S as f64)
                    .filter(|p| *p >= 8.0 * step as f64)
                    .collect();
                let period = rng.pick(&periods);
                let height = rng.range(20.0, 500.0);
                Model::Batch {
                    base: rng.range(0.0, 40.0),
                    height,
                    period,
                    duty: rng.range(0.1, 0.4).max(2.0 * step as f64 / period),
                    sawtooth: rng.unit() < 0.5,
                    phase: rng.unit(),
                    sigma: height * rng.range(0.01, 0.06),
                }
            }
            Shape::Steps => Model::Steps {
                min: (2 + rng.below(5)) as f64,
                extra: rng.range(1.0, 4.0),
                peak_hour: rng.range(10.0, 16.0),
                weekend: rng.range(0.3, 1.0),
                blip: rng.range(0.0005, 0.003),
            },
            Shape::Memory => {
                let floor = rng.log_range(100.0, 4_000.0);
                let growth = floor * rng.range(0.3, 1.5);
                Model::Memory {
                    floor,
                    growth,
                    cycle: duration as f64 / rng.range(6.0, 20.0),
                    curve: rng.range(0.3, 2.5),
                    sigma: growth * rng.range(0.005, 0.03),
                }
            }
            Shape::Latency => Model::Latency {
                floor: rng.range(1.0, 50.0),
                scale: rng.log_range(5.0, 300.0),
                load: rng.range(0.0, 0.6),
                peak_hour: rng.range(10.0, 20.0),
                sigma: rng.range(0.3, 0.8),
                slow: rng.range(0.001, 0.005),
                alpha: rng.range(1.5, 3.0),
            },
            Shape::Temperature => {
                let amplitude = rng.range(1.0, 8.0);
                Model::Temperature {
                    mean: rng.range(18.0, 45.0),
                    amplitude,
                    tau: rng.range(2.0, 10.0) * DAY_S as f64,
                    drift: amplitude * rng.range(0.2, 1.0),
                    sigma: amplitude * rng.range(0.02, 0.1),
                }
            }
            Shape::NearConstant => Model::NearConstant {
                value: (1 + rng.below(40)) as f64,
                wobble: rng.range(0.002, 0.01),
            },
        }
    }

    /// The longest a change that takes effect later than its drawn point, or lasts, may need
    /// after it, in seconds: what keeps it and its window inside the series.
    fn reach(&self, kind: Kind, step: i64) -> i64 {
        match kind {
            Kind::Spike => 3 * step,
            Kind::Dip => 24 * step,
            Kind::Stuck => (12 * HOUR_S).max(6 * step),
            // To 07:00 of the next weekday (at most three days on), then a day.
            Kind::LostSeasonality => 4 * DAY_S,
            // A shifted cycle shows within a day, a weekend's faint one by the next weekday.
            Kind::ShiftedSeasonality => 3 * DAY_S,
            Kind::FrequencyChange => match *self {
                Model::Batch { period, .. } => (4.0 * 2.0 * period) as i64,
                Model::Memory { cycle, .. } => (1.3 * cycle) as i64 + step,
                _ => 0,
            },
            _ => 0,
        }
    }
}

/// A change the generator makes while it renders a series (one a series at most): from `from`
/// (seconds) until `until`.
#[derive(Debug, Clone, Copy)]
struct Mods {
    /// When the change starts; `i64::MAX`: never.
    from: i64,
    /// When it ends.
    until: i64,
    /// Rate factor (Poisson, heavy tailed, latency).
    level: f64,
    /// Rate growth a day (Poisson, latency)...
    growth: f64,
    /// ...for this many seconds, then held.
    grow_for: i64,
    /// Noise factor.
    noise: f64,
    /// Seconds the daily cycle runs late (negative: early).
    shift: i64,
    /// Weekdays as weekends (business hours).
    weekend: bool,
    /// Daily-cycle factor (temperature).
    amplitude: f64,
    /// Period factor (batch, memory resets).
    period: f64,
}

impl Mods {
    /// No change.
    const NONE: Mods = Mods {
        from: i64::MAX,
        until: i64::MAX,
        level: 1.0,
        growth: 0.0,
        grow_for: 0,
        noise: 1.0,
        shift: 0,
        weekend: false,
        amplitude: 1.0,
        period: 1.0,
    };

    /// Whether the change is on at `t`.
    fn on(&self, t: i64) -> bool {
        t >= self.from && t < self.until
    }

    /// The rate factor at `t` (level and growth).
    fn rate_at(&self, t: i64) -> f64 {
        if self.on(t) {
            let days = (t - self.from).min(self.grow_for) as f64 / DAY_S as f64;
            self.level * (1.0 + self.growth * days)
        } else {
            1.0
        }
    }

    /// The noise factor at `t`.
    fn noise_at(&self, t: i64) -> f64 {
        if self.on(t) { self.noise } else { 1.0 }
    }
}

/// The local hour of day in `[0, 24)` at `t`, `tz` seconds ahead of UTC, with the daily cycle
/// shifted where `mods` shift it, and whether the day is a weekend.
fn clock(t: i64, tz: i64, mods: &Mods) -> (f64, bool) {
    let local = t + tz - if mods.on(t) { mods.shift } else { 0 };
    (hour_of(local), is_weekend(local))
}

/// The working day in `[0, 1]` at local `hour`: up from 07:00 to 09:00, down from 17:00 to
/// 19:00, with a dip of `lunch` at 12:45.
fn office(hour: f64, lunch: f64) -> f64 {
    let open = smoothstep(7.0, 9.0, hour) - smoothstep(17.0, 19.0, hour);
    let noon = (1.0 - ((hour - 12.75) / 0.75).abs()).max(0.0);
    (open - lunch * noon).max(0.0)
}

/// Renders `model` at `times` (seconds, `step` apart but for gaps) in time zone `tz` with
/// `mods`, drawing noise from `seed`: each point's value and its noise-free part (the pattern
/// without noise, random wander or bursts). Before `mods.from` the draws, and so the values,
/// are those without the change.
fn render(
    model: &Model,
    times: &[i64],
    step: i64,
    tz: i64,
    mods: &Mods,
    seed: u64,
) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng(seed);
    let mut values = Vec::with_capacity(times.len());
    let mut clean = Vec::with_capacity(times.len());
    let step = step as f64;
    match *model {
        Model::BusinessHours {
            floor,
            peak,
            weekend,
            lunch,
            sigma,
        } => {
            for &t in times {
                let (hour, rest) = clock(t, tz, mods);
                let rest = rest || (mods.weekend && mods.on(t));
                let cycle = office(hour, lunch) * if rest { weekend } else { 1.0 };
                let c = floor + peak * cycle;
                let noise = sigma * (0.4 + 0.6 * cycle) * mods.noise_at(t) * rng.normal();
                clean.push(c);
                values.push(c + noise);
            }
        }
        Model::Poisson {
            lambda,
            swing,
            peak_hour,
            cluster,
        } => {
            let mut left = 0;
            let mut factor = 1.0;
            for &t in times {
                let (hour, _) = clock(t, tz, mods);
                let mut rate =
                    lambda * (1.0 - swing + 2.0 * swing * wave(hour, peak_hour)) * mods.rate_at(t);
                clean.push(rate);
                if left == 0 && rng.unit() < cluster {
                    left = 1 + rng.below(5);
                    factor = rng.range(3.0, 8.0);
                }
                if left > 0 {
                    left -= 1;
                    rate *= factor;
                }
                values.push(rng.poisson(rate));
            }
        }
        Model::HeavyTail {
            rate,
            swing,
            peak_hour,
            weekend,
            sigma,
            burst,
            alpha,
        } => {
            for &t in times {
                let (hour, rest) = clock(t, tz, mods);
                let r = rate
                    * (1.0 + swing * (2.0 * wave(hour, peak_hour) - 1.0))
                    * if rest { weekend } else { 1.0 }
                    * mods.rate_at(t);
                clean.push(r);
                let mut x = r * rng.log_normal(sigma * mods.noise_at(t));
                if rng.unit() < burst {
                    x *= rng.pareto(alpha).min(50.0);
                }
                values.push(x);
            }
        }
        Model::Batch {
            base,
            height,
            period,
            duty,
            sawtooth,
            phase,
            sigma,
        } => {
            let t0 = times[0];
            for &t in times {
                let before = (t.min(mods.from) - t0) as f64 / period;
                let after = (t - mods.from).max(0) as f64 / (period * mods.period);
                let cycle = (phase + before + after).fract();
                let shape = if sawtooth {
                    cycle
                } else if cycle < duty {
                    1.0
                } else {
                    0.0
                };
                let c = base + height * shape;
                clean.push(c);
                values.push(c + sigma * mods.noise_at(t) * rng.normal());
            }
        }
        Model::Steps {
            min,
            extra,
            peak_hour,
            weekend,
            blip,
        } => {
            let keep = (-step / HOUR_S as f64).exp();
            let mut wander = 0.0;
            let mut current = min;
            let mut lower_for = 0.0;
            let mut lost = 0;
            for &t in times {
                let (hour, rest) = clock(t, tz, mods);
                let load = wave(hour, peak_hour) * if rest { weekend } else { 1.0 };
                wander = wander * keep + 0.08 * (1.0 - keep * keep).sqrt() * rng.normal();
                let target = min + (extra * (load + wander).max(0.0)).round();
                clean.push(min + (extra * load).round());
                if target > current {
                    current = target;
                    lower_for = 0.0;
                } else if target < current {
                    lower_for += step;
                    if lower_for >= 1_800.0 {
                        current -= 1.0;
                        lower_for = 0.0;
                    }
                } else {
                    lower_for = 0.0;
                }
                if lost == 0 && rng.unit() < blip {
                    lost = 1 + rng.below(3);
                }
                if lost > 0 {
                    lost -= 1;
                    values.push(current - 1.0);
                } else {
                    values.push(current);
                }
            }
        }
        Model::Memory {
            floor,
            growth,
            cycle,
            curve,
            sigma,
        } => {
            let mut last = times[0] - (cycle * rng.unit()) as i64;
            let mut next = last + (cycle * rng.range(0.7, 1.3)) as i64;
            let mut changed = false;
            for &t in times {
                if t >= mods.from && !changed {
                    changed = true;
                    next = t.max(last + ((next - last) as f64 * mods.period) as i64);
                }
                while t >= next {
                    last = next;
                    let factor = if t >= mods.from { mods.period } else { 1.0 };
                    next = last + (cycle * rng.range(0.7, 1.3) * factor).max(step) as i64;
                }
                let x = (t - last) as f64 / cycle;
                let c = floor + growth * (1.0 - (-curve * x).exp()) / (1.0 - (-curve).exp());
                clean.push(c);
                values.push(c + sigma * mods.noise_at(t) * rng.normal());
            }
        }
        Model::Latency {
            floor,
            scale,
            load,
            peak_hour,
            sigma,
            slow,
            alpha,
        } => {
            for &t in times {
                let (hour, _) = clock(t, tz, mods);
                let s = scale * (1.0 + load * wave(hour, peak_hour)) * mods.rate_at(t);
                clean.push(floor + s);
                let mut x = floor + s * rng.log_normal(sigma * mods.noise_at(t));
                if rng.unit() < slow {
                    x += s * rng.pareto(alpha).min(50.0);
                }
                values.push(x);
            }
        }
        Model::Temperature {
            mean,
            amplitude,
            tau,
            drift,
            sigma,
        } => {
            let keep = (-step / tau).exp();
            let mut wander = drift * rng.normal();
            for &t in times {
                let (hour, _) = clock(t, tz, mods);
                wander = wander * keep + drift * (1.0 - keep * keep).sqrt() * rng.normal();
                let cycle = if mods.on(t) { mods.amplitude } else { 1.0 } * amplitude;
                let c = mean - amplitude / 2.0 + cycle * wave(hour, 15.0);
                clean.push(c);
                values.push(c + wander + sigma * mods.noise_at(t) * rng.normal());
            }
        }
        Model::NearConstant { value, wobble } => {
            let mut left = 0;
            let mut by = 0.0;
            for _ in times {
                if left == 0 && rng.unit() < wobble {
                    left = 1 + rng.below(3);
                    by = rng.sign();
                }
                clean.push(value);
                if left > 0 {
                    left -= 1;
                    values.push(value + by);
                } else {
                    values.push(value);
                }
            }
        }
    }
    (values, clean)
}

/// A change the generator makes to a rendered series.
#[derive(Debug, Clone, Copy)]
enum Edit {
    /// Rows `start..end` set to `value`.
    Set {
        /// First row.
        start: usize,
        /// Row after the last.
        end: usize,
        /// The value.
        value: f64,
    },
    /// Rows `start..end` held at the value of the row before.
    Hold {
        /// First row.
        start: usize,
        /// Row after the last.
        end: usize,
    },
    /// `delta` added from row `start` to the end.
    Add {
        /// First row.
        start: usize,
        /// The step.
        delta: f64,
    },
    /// `slope` per second since row `start` added from it for `lasts` seconds, then held to the
    /// end.
    Ramp {
        /// First row.
        start: usize,
        /// Added value a second.
        slope: f64,
        /// Seconds the slope lasts.
        lasts: i64,
    },
}

/// One generated series.
#[derive(Debug, Clone)]
struct Series {
    /// Index, shape, cadence, kinds and timing.
    name: String,
    /// Its shape.
    shape: Shape,
    /// Its cadence.
    cadence: Cadence,
    /// Its timing.
    timing: Timing,
    /// Its anomalies, in time order.
    anomalies: Vec<Anomaly<Kind>>,
    /// `(timestamp ns, value)`.
    points: Vec<(i64, f64)>,
    /// NAB-style windows, inclusive row ranges, one per anomaly in the same order.
    windows: Vec<(usize, usize)>,
}

/// The series of index `index` as `plan` says, its parameters drawn from the index.
fn generate(index: usize, plan: &Plan) -> Series {
    let seed = SEED + 256 * index as u64;
    let mut rng = Rng(seed + 1);
    let mut arng = Rng(seed + 2);
    let noise_seed = seed + 3;
    let shape = plan.shape;
    let step = plan.cadence.seconds();

    // Length, start, time zone, timestamps.
    let (shortest, longest) = plan.cadence.lengths();
    let n = shortest + rng.below(longest - shortest + 1);
    let first = first_time(&mut rng, BASE_S, step);
    let tz = rng.pick(&TIME_ZONES);
    let mut gaps: Vec<(usize, i64)> = Vec::new();
    if plan.timing == Timing::Gaps {
        for _ in 0..2 + rng.below(4) {
            gaps.push((10 + rng.below(n - 20), 3 + rng.below(28) as i64));
        }
    }
    let mut times = Vec::with_capacity(n);
    let mut t = first;
    for row in 0..n {
        for (at, missing) in &gaps {
            if *at == row {
                t += missing * step;
            }
        }
        times.push(t);
        t += step;
    }
    let model = Model::draw(shape, &mut rng, step, times[n - 1] - times[0]);

    // Where the anomalies start (before any adjustment to where they show).
    let k = plan.kinds.len();
    let half = half_width(n, k);
    let lo = MIN_START.max(probation(n) + half + 1);
    let reach = plan
        .kinds
        .iter()
        .map(|kind| (model.reach(*kind, step) + step - 1) / step)
        .max()
        .unwrap_or(0) as usize;
    let hi = n - 1 - half - reach;
    assert!(hi > lo, "series {index}: no room for its anomalies");
    let third = (hi - lo) / 3;
    let nominal: Vec<usize> = match k {
        0 => Vec::new(),
        1 => vec![lo + arng.below(hi - lo + 1)],
        _ => vec![lo + arng.below(third + 1), hi - arng.below(third + 1)],
    };

    // The series without anomalies, then the anomalies' sizes from it.
    let (normal, normal_clean) = render(&model, &times, step, tz, &Mods::NONE, noise_seed);
    let mut mods = Mods::NONE;
    let mut edits = Vec::new();
    let mut anomalies = Vec::new();
    // Anomalies whose first point is where the change shows: (index in `anomalies`, nominal).
    let mut showing = Vec::new();
    for (kind, at) in plan.kinds.iter().zip(&nominal) {
        let (kind, at) = (*kind, *at);
        let before = &normal[..at];
        let (low, high) = (quantile(before, 0.001), quantile(before, 0.999));
        let unit = shape.unit();
        let span = (high - low).max(unit);
        let t = times[at];
        let render_change = |mods: &mut Mods, set: &dyn Fn(&mut Mods)| {
            assert_eq!(mods.from, i64::MAX, "one rendered change a series");
            mods.from = t;
            set(mods);
        };
        let detail = match kind {
            Kind::Spike => {
                let width = 1 + arng.below(3);
                let size = (span * arng.range(0.25, 2.0)).max(unit);
                edits.push(Edit::Set {
                    start: at,
                    end: at + width,
                    value: high + size,
                });
                format!("{width} pt at +{:.2} span over the highest", size / span)
            }
            Kind::Dip => {
                let width = 4 + arng.below(21);
                let (value, text) = if shape.drops_to_zero() {
                    (0.0, "to 0".to_string())
                } else {
                    let share = arng.range(0.2, 0.6);
                    (low * share, format!("to {share:.2} of the lowest"))
                };
                edits.push(Edit::Set {
                    start: at,
                    end: at + width,
                    value,
                });
                format!("{width} pt {text}")
            }
            Kind::LevelShift => match shape {
                Shape::Poisson => {
                    let factor = arng.range(2.0, 6.0);
                    render_change(&mut mods, &|m| m.level = factor);
                    format!("rate x{factor:.2}")
                }
                Shape::HeavyTail | Shape::Latency => {
                    let factor = match (shape, arng.unit() < 0.5) {
                        (_, true) => arng.range(1.5, 3.0),
                        (Shape::HeavyTail, false) => arng.range(0.35, 0.65),
                        (_, false) => arng.range(0.4, 0.7),
                    };
                    render_change(&mut mods, &|m| m.level = factor);
                    let what = if shape == Shape::Latency {
                        "median"
                    } else {
                        "rate"
                    };
                    format!("{what} x{factor:.2}")
                }
                _ => {
                    let mut delta = arng.sign() * span * arng.range(0.2, 0.8);
                    if unit == 1.0 {
                        delta = delta.signum() * delta.abs().round().max(1.0);
                    }
                    edits.push(Edit::Add { start: at, delta });
                    format!("{:+.2} span", delta / span)
                }
            },
            Kind::TrendChange => {
                let days = arng.range(1.0, 4.0);
                let lasts = (days * DAY_S as f64) as i64;
                match shape {
                    Shape::Poisson | Shape::Latency => {
                        let growth = if shape == Shape::Poisson {
                            arng.range(1.0, 3.0)
                        } else {
                            arng.range(0.5, 2.0)
                        };
                        render_change(&mut mods, &|m| {
                            m.growth = growth;
                            m.grow_for = lasts;
                        });
                        let what = if shape == Shape::Latency {
                            "median"
                        } else {
                            "rate"
                        };
                        format!("{what} +{:.0} % a day for {days:.1} d", growth * 100.0)
                    }
                    _ => {
                        // Memory only leaks upwards.
                        let sign = if shape == Shape::Memory {
                            1.0
                        } else {
                            arng.sign()
                        };
                        let per_day = sign * arng.range(0.2, 1.0);
                        edits.push(Edit::Ramp {
                            start: at,
                            slope: per_day * span / DAY_S as f64,
                            lasts,
                        });
                        format!("{per_day:+.2} span a day for {days:.1} d")
                    }
                }
            }
            Kind::VarianceChange => {
                let factor = match shape {
                    Shape::HeavyTail | Shape::Latency => arng.range(1.4, 2.2),
                    _ => arng.range(2.0, 4.0),
                };
                render_change(&mut mods, &|m| m.noise = factor);
                format!("noise x{factor:.2}")
            }
            Kind::LostSeasonality => {
                assert_eq!(mods.from, i64::MAX, "one rendered change a series");
                let text = match shape {
                    Shape::BusinessHours => {
                        mods.from = next_local(t, &Clock::fixed(tz), 7, 0..=4);
                        mods.weekend = true;
                        "a weekday like a weekend".to_string()
                    }
                    Shape::Temperature => {
                        let factor = arng.range(0.1, 0.35);
                        mods.from = next_local(t, &Clock::fixed(tz), 3, 0..=6);
                        mods.amplitude = factor;
                        format!("an overcast day, cycle x{factor:.2}")
                    }
                    other => panic!("no lost seasonality planned on {other:?}"),
                };
                mods.until = mods.from + DAY_S;
                showing.push((anomalies.len(), at));
                text
            }
            Kind::ShiftedSeasonality => {
                let shift = (arng.sign() * arng.range(3.0, 9.0) * 60.0).round() as i64 * 60;
                render_change(&mut mods, &|m| m.shift = shift);
                showing.push((anomalies.len(), at));
                format!("cycle {:+.1} h", shift as f64 / HOUR_S as f64)
            }
            Kind::Stuck => {
                let hours = arng.range(2.0, 12.0);
                let until = t + (hours * HOUR_S as f64) as i64;
                let end = times.partition_point(|x| *x < until).max(at + 6);
                edits.push(Edit::Hold { start: at, end });
                format!("{} ({} pt)", duration_text(until - t), end - at)
            }
            Kind::FrequencyChange => {
                let factor = match shape {
                    Shape::Batch => arng.pick(&[0.5, 2.0 / 3.0, 1.5, 2.0]),
                    Shape::Memory => arng.range(0.25, 0.5),
                    other => panic!("no frequency change planned on {other:?}"),
                };
                render_change(&mut mods, &|m| m.period = factor);
                showing.push((anomalies.len(), at));
                match model {
                    Model::Batch { period, .. } => format!(
                        "period {} -> {}",
                        duration_text(period as i64),
                        duration_text((period * factor) as i64)
                    ),
                    _ => format!("resets every x{factor:.2} as long"),
                }
            }
            Kind::None => panic!("None is no anomaly to plan"),
        };
        anomalies.push(Anomaly {
            kind,
            start: at,
            detail,
        });
    }

    // The series with its rendered change, and where that change shows.
    let (mut values, clean) = if mods.from == i64::MAX {
        (normal.clone(), normal_clean.clone())
    } else {
        render(&model, &times, step, tz, &mods, noise_seed)
    };
    for (a, at) in showing {
        let span = span_before(&normal_clean, at);
        let from = times.partition_point(|x| *x < mods.from);
        let shows = (from..n)
            .find(|i| (clean[*i] - normal_clean[*i]).abs() >= 0.1 * span)
            .expect("the change shows inside the series");
        mark_shown(&mut anomalies[a], shows, &times);
    }

    // The edits, then each shape's units.
    for edit in edits {
        match edit {
            Edit::Set { start, end, value } => {
                for v in &mut values[start..end.min(n)] {
                    *v = value;
                }
            }
            Edit::Hold { start, end } => {
                let held = values[start - 1];
                for v in &mut values[start..end.min(n)] {
                    *v = held;
                }
            }
            Edit::Add { start, delta } => {
                for v in &mut values[start..] {
                    *v += delta;
                }
            }
            Edit::Ramp {
                start,
                slope,
                lasts,
            } => {
                for (v, t) in values[start..].iter_mut().zip(&times[start..]) {
                    *v += slope * (t - times[start]).min(lasts) as f64;
                }
            }
        }
    }
    for v in &mut values {
        *v = match shape {
            Shape::Poisson | Shape::HeavyTail | Shape::Steps | Shape::NearConstant => {
                v.round().max(0.0)
            }
            Shape::Temperature => (*v * 10.0).round() / 10.0,
            _ => v.max(0.0),
        };
    }

    // Timestamps, jittered or not.
    let points = times
        .iter()
        .zip(&values)
        .map(|(t, v)| {
            let off = (plan.timing == Timing::Jitter).then(|| rng.range(-0.3, 0.3));
            (timestamp_ns(*t, step, off), *v)
        })
        .collect();
    let windows = windows_of(&anomalies, half);
    let kinds: Vec<String> = plan.kinds.iter().map(|k| format!("{k:?}")).collect();
    let kinds = if kinds.is_empty() {
        "None".to_string()
    } else {
        kinds.join("+")
    };
    let timing = match plan.timing {
        Timing::Regular => "",
        Timing::Jitter => "-jitter",
        Timing::Gaps => "-gaps",
    };
    Series {
        name: format!(
            "{index:02}-{shape:?}-{}-{kinds}{timing}",
            plan.cadence.label()
        ),
        shape,
        cadence: plan.cadence,
        timing: plan.timing,
        anomalies,
        points,
        windows,
    }
}

/// The corpus, generated.
fn load() -> Vec<Series> {
    CORPUS
        .iter()
        .enumerate()
        .map(|(index, plan)| generate(index, plan))
        .collect()
}

#[test]
fn the_generator_is_deterministic_and_places_windows_after_probation_inside_the_series() {
    let a = load();
    let b = load();
    assert_eq!(a.len(), 43);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.points, y.points, "{}", x.name);
        assert_eq!(x.windows, y.windows, "{}", x.name);
        let n = x.points.len();
        assert!((1_500..=10_000).contains(&n), "{}: {n} points", x.name);
        if x.shape != Shape::Temperature {
            assert!(
                x.points.iter().all(|(_, v)| *v >= 0.0),
                "{}: negative",
                x.name
            );
        }
        if x.shape.unit() == 1.0 {
            assert!(
                x.points.iter().all(|(_, v)| v.fract() == 0.0),
                "{}: counts are whole",
                x.name
            );
        }
        let starts: Vec<usize> = x.anomalies.iter().map(|a| a.start).collect();
        let spacing = match x.timing {
            Timing::Regular => Spacing::Regular,
            Timing::Jitter => Spacing::Jitter,
            Timing::Gaps => Spacing::Gaps(4),
        };
        check_series(
            &x.name,
            &x.points,
            &x.windows,
            &starts,
            MIN_START,
            x.cadence.seconds() * 1_000_000_000,
            spacing,
        );
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 3, 6);
    // The corpus differs from the `daily` one in cadence and length.
    for cadence in [
        Cadence::Minute,
        Cadence::TenMinutes,
        Cadence::HalfHour,
        Cadence::Hour,
    ] {
        assert!(a.iter().filter(|s| s.cadence == cadence).count() >= 4);
    }
}

#[test]
fn varied_corpus_score_with_default_settings() {
    let started = std::time::Instant::now();
    let series = load();
    let views: Vec<(Labelled, Reported<Kind>)> = series
        .iter()
        .map(|s| {
            view(
                &s.name,
                &s.points,
                &s.windows,
                s.cadence.seconds(),
                &s.anomalies,
            )
        })
        .collect();
    let standard = score_and_report("varied", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the varied corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
