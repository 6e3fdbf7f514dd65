//! A third test of the detector, written held out: a synthetic corpus of the ways real
//! production and public monitoring data differ from the `daily` and `varied` corpora (both used
//! in development since) — short series whose detector is young when NAB's probation ends and
//! long ones of two months, several anomalies a series, benign changes a good detector must
//! tolerate (deploys, weekly jobs, a daylight-saving change, a sensor's recalibration), eight
//! kinds of anomaly neither corpus has or has in this form, heavy-tailed and whole-number noise
//! read at limited precision, missing points and jittered timestamps. It is generated here from
//! fixed seeds (no data file, no new dependency), run through the default `Detector` strictly
//! online and scored by this crate's NAB scorer as the other corpora are.
//!
//! **Written without tuning.** The shapes, kinds, benign changes, parameter ranges, series plan
//! and seeds were all decided before the scoring test first ran, without running the detector on
//! these series in any other way; the generator was checked only by its own test and by looking
//! at the series. [`MINIMUM_STANDARD_SCORE`] is the first measurement rounded down, less a
//! margin: a floor against regressions, not a target.
//!
//! **Series.** 44, each from its index as seed; [`CORPUS`] lists them. 15 *short*: 1,000–2,500
//! points at 30 minutes or an hour (3 weeks to 3½ months; probation ends after 150–375 points),
//! 16 *medium*: 3,000–9,000 points at 5, 10, 15 or 30 minutes, 13 *long*: 12,000–22,000 points
//! at 5 minutes (6 weeks to 2½ months). Each starts on a weekday and at a time of day drawn from
//! its seed (in the week from Monday 2027-01-04, UTC) and lives in a time zone drawn from UTC−8
//! to UTC+10; its daily and weekly patterns follow local time. Seven report with jitter (each
//! timestamp up to 20 % of a step early or late); nine miss points: 0.3–1.5 % scattered and
//! 1–3 stretches of 3–20, or, on a cost-per-click series, every point without a click. Shapes,
//! their parameters drawn from the seed:
//!
//! - *CPU* (%): 8–30 at the quietest time plus 15–45 at the busiest of a weekday (a daily wave
//!   to the power 1–3, peaking at 12:00–17:00; weekends at 30–90 %), an AR(1) wander (σ 1.5–5,
//!   10–60 minutes) and white noise (σ 0.3–1.5), both smaller when idle, within 0–100, read to
//!   0.1 or 1 %;
//! - *latency* (ms): a floor of 2–40 plus a median of 10–400 that rises by 10–60 % at the busiest
//!   time (half as much at weekends), log-normal noise (σ 0.15–0.5), and at 0.2–1 % of points a
//!   slow response adding a Pareto multiple (α 1.5–2.5, at most 30) of the median; read to 1 ms
//!   (0.1 ms if the typical value is under 50);
//! - *social* (posts mentioning a name, per point): 5–200 per 5 minutes, a daily swing of
//!   ±30–70 % peaking at 12:00–21:00, weekends at 70–110 %, negative binomial (gamma shape 2–10),
//!   and at 0.2–1 % of points a burst of 1–3 points times a Pareto (α 1.3–2, at most 20);
//! - *taxi* (passengers per point, taxi-like demand): 1,000–12,000 per 30 minutes at a weekday's
//!   evening peak; weekdays with a morning rush (0.4–0.7 of the peak), a broad midday and late
//!   evenings (Fridays later); weekends later and flatter, with nights out (0.2–0.5) in the early
//!   hours of Saturday and Sunday; weather as a log-scale wander (σ 0.03–0.08, 1–4 days);
//!   negative binomial (gamma shape 200–2,000);
//! - *cost per click* ($): clicks a point Poisson with 3–40 an hour at the busiest time
//!   (11:00–20:00), 5–25 % of that at the quietest, weekends at 60–110 %; a price of $0.05–3 with
//!   a daily swing of up to ±20 % and a log-scale wander (σ 0.05–0.25, 1–7 days); the ratio cost /
//!   clicks is the price times a log-normal of σ 0.5–1.2 / √clicks, plus at 0.3–1 % of points
//!   one expensive click (2 prices times a Pareto of α 1.5, at most 20, over the clicks); read to
//!   $0.001; a point without clicks reads 0, or is missing;
//! - *temperature* (°C, a machine): ambient 15–35 plus 20–60 when running, ±1–4 following the
//!   daily load (hottest at 14:00–18:00), reached through a thermal lag of 0.5–2 hours, a wander
//!   (σ 0.5–3, 6 hours to 3 days) and sensor noise (σ 0.1–0.6), read to 0.1 or 0.5 °C;
//! - *counter rate* (per second): 5–500 at the busiest time of a weekday (10:00–16:00; a daily
//!   wave to the power 1–2.5), 15–40 % of that at the quietest, weekends at 30–80 %, a log-scale
//!   wander of traffic (σ 0.03–0.1, 30 minutes to 4 hours), Poisson events counted over each
//!   step and divided by it.
//!
//! **Benign changes**, not labelled (normal; what a good detector tolerates). A deploy, a clock
//! change and a recalibration happen once, after probation, at least a day before the end and
//! at least half a window's width clear of every anomaly's window; a weekly job recurs from the
//! start:
//!
//! - *deploy* (CPU, latency, counter rate; 10 series): ±0.04–0.1 span added from a point on;
//! - *weekly job* (11 series), at a local weekday and time drawn from the seed, every week from
//!   the start with 15-minute ramps: CPU +15–35 points for 1–3 hours (a backup), the latency
//!   median +30–100 % for 1–3 hours (an index rebuild), the counter rate +30–100 % of its peak for
//!   1–3 hours (an export), a machine's planned stop of 2–8 hours (it cools toward ambient and
//!   warms back);
//! - *daylight saving* (12 series, not cost per click): the local clock one hour on or back from
//!   a Sunday 02:00, once; daily and weekly patterns and weekly jobs move with it;
//! - *recalibration* (temperature; 4 series): ±0.03–0.08 span added from a point on.
//!
//! **Anomalies.** 68 in 37 series, 23 with two to four; 7 series have none. Sizes are relative
//! to the *span* of the series with its benign changes before the anomaly (0.1 to 99.9
//! percentile). *P* below is a precursor's length: 0.3–0.8 of the window's half-width in time
//! (the half-width counted as at most 60 hours).
//!
//! - *plateau* (2–12 hours, at least 4 points): CPU pinned at 100 % (read 99.x–100) or hung and
//!   idle at 0.3–0.7 of its lowest value (with noise of σ 0.2); latency at the first usual timeout (100 ms to 60 s) of
//!   at least twice the highest value; a counter rate at a rate limit 0.3–1 span above the
//!   highest or throttled to 0.2–0.6 of the lowest (exactly flat but for the CPU);
//! - *precursor, then failure* (temperature): over *P* the machine warms by 0.1–0.3 span and
//!   swings by ±0.05–0.15 span with a period of 1–4 hours (at least 4 points), both growing from
//!   nothing; then it stops for 4–24 hours (falls toward ambient through its lag, then warms
//!   back). Labelled at the start of the precursor;
//! - *surge*: the level ×3–10 (social), ×1.5–3 (taxi: an event), ×2–5 (counter rate), built up
//!   smoothly over 1–6 hours, held 0–2 hours, then fading exponentially (2–12 hours). Labelled at
//!   the start of the build-up;
//! - *holiday*: the next weekday from local midnight for a day is a day off (taxi) or like a
//!   weekend day (counter rate);
//! - *ratio jump* (cost per click): the price ×1.6–3 or ×0.35–0.6 from the start to the end (two
//!   in a series compound);
//! - *latency degradation*: slow responses becoming 5–20× as frequent over *P*, then the median
//!   ×1.5–3, reached in 0.5–2 hours and held 6–48 hours, then both fading (20–60 minutes).
//!   Labelled where the slow responses start to become more frequent;
//! - *flat high* (CPU, an autoscaler misconfigured): within 30 minutes the CPU flat at its 99th
//!   normal noise-free percentile plus 0–0.15 span (at most 95 %) with a fifth of the noise, for
//!   18–30 hours, then back within about an hour;
//! - *drop to zero* (a rate or count): 0 for 10 minutes to 2 hours (at least one point).
//!
//! A holiday and a flat high are labelled where they show: the first point where the noise-free
//! series with that change alone differs from the one without by a tenth of its noise-free span.
//!
//! | shape (cadences) | plateau | failure | surge | holiday | jump | degradation | flat | zero | none |
//! |---|---|---|---|---|---|---|---|---|---|
//! | CPU (5m 10m 15m 30m 1h) | 0 1 1 3 6 | | | | | | 0 1 2 3 4 | | 5 |
//! | latency (5m 10m 15m 30m 1h) | 7 9 11 | | | | | 7 8 9 10 11 13 13 | | | 12 |
//! | social (5m 10m) | | | 14 14 15 16 17 17 17 19 | | | | | 14 15 17 19 | 18 |
//! | taxi (30m 1h) | | | 20 23 | 20 20 21 22 23 25 25 | | | | 22 | 24 |
//! | cost per click (30m 1h) | | | | | 26 27 27 28 29 29 31 | | | | 30 |
//! | temperature (5m 10m 30m 1h) | | 32 32 33 34 35 37 37 | | | | | | | 36 |
//! | counter rate (5m 10m 15m 30m 1h) | 38 42 | | 39 42 | 40 42 | | | | 38 38 39 40 41 42 | 43 |
//!
//! (Series indices, once per anomaly.)
//!
//! **Placement.** Each anomaly is drawn at a point, and then shows there or later (a holiday
//! waits for the next weekday, so up to four days) and lasts; its *reach* is the most rows that
//! can take. The room runs from the later of a minimum start (point 300 on short series, 600 on
//! medium, 1,000 on long) and the first point whose window clears NAB's probation, to the last
//! that leaves the reach and the window inside the series; it is cut into as many equal parts as
//! the series has anomalies and one is drawn in each, far enough from the next part that windows
//! never overlap and an anomaly is over before the next one's window.
//!
//! **Windows.** As NAB labels its corpus and as the `varied` corpus does: a window of 10 % of the
//! series length divided by the number of its anomalies, centred on each anomaly's first point,
//! i.e. rows `start − half ..= start + half` with `half = n / 10 / k / 2`.
//!
//! **Scoring.** As the `varied` corpus: NAB's three profiles with one threshold for the whole
//! corpus chosen on NAB's grid (in sample for the threshold) and the score at the anomaly job's
//! default threshold (0.732 since session 16, chosen on NAB, `daily` and `varied`, so held out
//! here; 0.661, chosen on NAB, before); per kind at the standard
//! profile's corpus threshold the score of the series holding it with only its windows (the rows
//! of a series' other windows masked), the windows caught, the false positives and the delay of
//! the first detection; per series the raw score and the highest score in each window. The
//! benign changes of each series are printed first.

use std::time::Instant;

use crate::common::{
    self, Anomaly, BenignRows, Clock, DAY_NAMES, DAY_S, Edit, Envelope, HOUR_S, Labelled, Length,
    Reported, Rng, Timing, Wander, WeeklyJob, apply_edits, benign_text, bump, check_benign,
    check_kinds, check_series, duration_text, first_shown, first_time, half_width, hour_of, hours,
    is_weekend, job_at, mark_shown, missing_points, next_local, place, placed_text, plan,
    print_benign, quantile, retain_kept, rows, score_and_report, series_name, span_before, stamped,
    view, wave, weekday, windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold: the first
/// measurement rounded down to one decimal, less 0.1. Measured 2026-12-07, once, with the
/// detector as committed at c14164a (model version 10) and before any change made for this
/// corpus: 63.08 at threshold 0.769, 59.09 at the job's 0.661 (low FP 52.09 at 0.812, low FN
/// 70.00 at 0.577). The corpus and the detector are deterministic: a change of the score is a
/// change of the detector.
const MINIMUM_STANDARD_SCORE: f64 = 62.9;

/// Monday 2027-01-04 00:00 UTC, in seconds since the epoch: the week the series start in.
const BASE_S: i64 = 1_799_020_800;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0xF1E1_D000_0000;
/// Time zones the series live in, in seconds ahead of UTC.
const TIME_ZONES: [i64; 9] = [
    -28_800, -18_000, -10_800, 0, 3_600, 10_800, 19_800, 28_800, 36_000,
];
/// Latency timeouts a plateau of timed-out requests sits at, in ms.
const TIMEOUTS_MS: [f64; 10] = [
    100.0, 250.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 15_000.0, 30_000.0, 60_000.0,
];

/// Benign change: a deploy moves the level by 0.04–0.1 span, for good.
const DEPLOY: u8 = 1;
/// Benign change: a job at a fixed local weekday and time, every week.
const WEEKLY_JOB: u8 = 2;
/// Benign change: the local clock moves by an hour once (daylight saving).
const DST: u8 = 4;
/// Benign change: a sensor recalibrated, its readings offset by 0.03–0.08 span.
const RECALIBRATION: u8 = 8;

/// The fewest and most points of a short series (at 30 minutes or an hour), a medium one and a
/// long one (at 5 minutes).
const POINTS: [(usize, usize); 3] = [(1_000, 2_500), (3_000, 9_000), (12_000, 22_000)];

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A host's CPU utilisation, %.
    Cpu,
    /// A service's response time, ms.
    Latency,
    /// Posts mentioning a name, per point.
    Social,
    /// Taxi passengers, per point.
    Taxi,
    /// Cost per click, $.
    Cpc,
    /// A machine's temperature, °C.
    Temperature,
    /// A counter's rate, per second.
    Counter,
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A value held unusually high or low for hours.
    Plateau,
    /// A machine running hotter and swinging more, then stopping.
    PrecursorFailure,
    /// Volume building up over hours, then decaying.
    Surge,
    /// A weekday like a holiday.
    Holiday,
    /// A price jumping, for good.
    RatioJump,
    /// Slow responses ever more often, then slower throughout.
    LatencyDegradation,
    /// CPU flat and high for a day.
    FlatHigh,
    /// A rate at 0 briefly.
    DropToZero,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 9] = [
    Kind::Plateau,
    Kind::PrecursorFailure,
    Kind::Surge,
    Kind::Holiday,
    Kind::RatioJump,
    Kind::LatencyDegradation,
    Kind::FlatHigh,
    Kind::DropToZero,
    Kind::None,
];

impl Kind {
    /// Short name, for series names.
    fn label(self) -> &'static str {
        match self {
            Kind::Plateau => "plateau",
            Kind::PrecursorFailure => "failure",
            Kind::Surge => "surge",
            Kind::Holiday => "holiday",
            Kind::RatioJump => "jump",
            Kind::LatencyDegradation => "degrade",
            Kind::FlatHigh => "flat",
            Kind::DropToZero => "zero",
            Kind::None => "none",
        }
    }

    /// The most seconds an anomaly of this kind needs after its drawn point (to show, and to
    /// last or fade), on a series of `step`-second points whose precursors last at most
    /// `precursor` seconds: what keeps it and its window inside the series.
    fn reach(self, step: i64, precursor: i64) -> i64 {
        match self {
            Kind::Plateau => (12 * HOUR_S).max(4 * step),
            Kind::PrecursorFailure => precursor + 30 * HOUR_S,
            Kind::Surge => 44 * HOUR_S,
            // To midnight of the next weekday (at most three days on), then a day.
            Kind::Holiday => 4 * DAY_S,
            Kind::RatioJump => step,
            Kind::LatencyDegradation => precursor + 53 * HOUR_S,
            Kind::FlatHigh => 32 * HOUR_S,
            Kind::DropToZero => (2 * HOUR_S).max(step),
            Kind::None => 0,
        }
    }
}

/// One series of the corpus as planned.
type Plan = common::Plan<Shape, Kind>;

/// The corpus; the seed is the series' index.
#[rustfmt::skip]
const CORPUS: [Plan; 44] = {
    use Kind::{
        DropToZero, FlatHigh, Holiday, LatencyDegradation as Degradation, Plateau,
        PrecursorFailure as Failure, RatioJump, Surge,
    };
    use Length::{Long, Medium, Short};
    use Shape::{Counter, Cpc, Cpu, Latency, Social, Taxi, Temperature};
    use Timing::{Jitter, Missing, Regular};
    [
        //   shape      min  length  timing   benign changes              anomalies
        plan(Cpu,         5,  Long,   Regular, DEPLOY | WEEKLY_JOB,        &[FlatHigh, Plateau]),
        plan(Cpu,         5,  Long,   Jitter,  DST,                        &[Plateau, FlatHigh, Plateau]),
        plan(Cpu,         10, Medium, Regular, WEEKLY_JOB,                 &[FlatHigh]),
        plan(Cpu,         60, Short,  Regular, DEPLOY,                     &[Plateau, FlatHigh]),
        plan(Cpu,         30, Short,  Missing, 0,                          &[FlatHigh]),
        plan(Cpu,         5,  Long,   Regular, DEPLOY | WEEKLY_JOB | DST,  &[]),
        plan(Cpu,         15, Medium, Missing, 0,                          &[Plateau]),
        plan(Latency,     5,  Long,   Regular, DEPLOY | WEEKLY_JOB,        &[Degradation, Plateau]),
        plan(Latency,     5,  Long,   Missing, 0,                          &[Degradation]),
        plan(Latency,     10, Medium, Jitter,  DEPLOY,                     &[Plateau, Degradation]),
        plan(Latency,     60, Short,  Regular, 0,                          &[Degradation]),
        plan(Latency,     30, Short,  Regular, WEEKLY_JOB,                 &[Degradation, Plateau]),
        plan(Latency,     5,  Medium, Regular, DEPLOY | DST,               &[]),
        plan(Latency,     15, Medium, Regular, WEEKLY_JOB,                 &[Degradation, Degradation]),
        plan(Social,      5,  Long,   Regular, DST,                        &[Surge, Surge, DropToZero]),
        plan(Social,      5,  Long,   Missing, 0,                          &[Surge, DropToZero]),
        plan(Social,      5,  Medium, Regular, 0,                          &[Surge]),
        plan(Social,      5,  Long,   Jitter,  0,                          &[Surge, Surge, Surge, DropToZero]),
        plan(Social,      5,  Medium, Regular, 0,                          &[]),
        plan(Social,      10, Medium, Regular, DST,                        &[DropToZero, Surge]),
        plan(Taxi,        30, Medium, Regular, DST,                        &[Holiday, Surge, Holiday]),
        plan(Taxi,        30, Short,  Regular, 0,                          &[Holiday]),
        plan(Taxi,        30, Medium, Missing, DST,                        &[Holiday, DropToZero]),
        plan(Taxi,        30, Medium, Regular, DST,                        &[Surge, Holiday]),
        plan(Taxi,        30, Medium, Regular, DST,                        &[]),
        plan(Taxi,        60, Short,  Jitter,  0,                          &[Holiday, Holiday]),
        plan(Cpc,         60, Short,  Regular, 0,                          &[RatioJump]),
        plan(Cpc,         60, Short,  Missing, 0,                          &[RatioJump, RatioJump]),
        plan(Cpc,         60, Short,  Jitter,  0,                          &[RatioJump]),
        plan(Cpc,         30, Short,  Missing, 0,                          &[RatioJump, RatioJump]),
        plan(Cpc,         60, Short,  Regular, 0,                          &[]),
        plan(Cpc,         30, Medium, Regular, 0,                          &[RatioJump]),
        plan(Temperature, 5,  Long,   Regular, WEEKLY_JOB,                 &[Failure, Failure]),
        plan(Temperature, 5,  Long,   Regular, RECALIBRATION,              &[Failure]),
        plan(Temperature, 10, Medium, Jitter,  RECALIBRATION | DST,        &[Failure]),
        plan(Temperature, 60, Short,  Regular, 0,                          &[Failure]),
        plan(Temperature, 5,  Long,   Missing, WEEKLY_JOB | RECALIBRATION, &[]),
        plan(Temperature, 30, Short,  Regular, RECALIBRATION,              &[Failure, Failure]),
        plan(Counter,     5,  Long,   Regular, DEPLOY | WEEKLY_JOB | DST,  &[DropToZero, Plateau, DropToZero]),
        plan(Counter,     5,  Long,   Jitter,  DEPLOY,                     &[Surge, DropToZero]),
        plan(Counter,     10, Medium, Regular, WEEKLY_JOB,                 &[Holiday, DropToZero]),
        plan(Counter,     30, Short,  Missing, DST,                        &[DropToZero]),
        plan(Counter,     15, Medium, Regular, DEPLOY,                     &[Plateau, Holiday, Surge, DropToZero]),
        plan(Counter,     60, Short,  Regular, WEEKLY_JOB | DEPLOY,        &[]),
    ]
};

/// Taxi demand, relative, on local `day` (Monday 0) at `hour`: on weekdays a morning rush of
/// `rush`, a broad midday and the evening peak (later on Fridays); at weekends a later, flatter
/// day with nights out worth `nightlife` in the early hours of Saturday and Sunday; `holiday` of
/// the way to a day off (a Sunday without the night out before it).
fn taxi_profile(day: i64, hour: f64, holiday: f64, rush: f64, nightlife: f64) -> f64 {
    let off = 0.1
        + 0.15 * bump(hour, 9.5, 2.0)
        + 0.55 * bump(hour, 14.5, 3.5)
        + 0.45 * bump(hour, 19.0, 2.5);
    let night_out = nightlife * bump(hour, 1.0, 1.5);
    let friday = if day == 4 { 0.3 } else { 0.0 };
    let usual = match day {
        5 => off + night_out + 0.2 * bump(hour, 19.5, 2.5) + 0.35 * bump(hour, 23.5, 1.5),
        6 => off + night_out,
        _ => {
            0.08 + rush * bump(hour, 8.3, 1.2)
                + 0.45 * bump(hour, 13.5, 3.0)
                + 0.8 * bump(hour, 19.0, 2.0)
                + 0.3 * bump(hour, 22.5, 1.5)
                + friday * bump(hour, 23.5, 1.5)
        }
    };
    usual + holiday * (off - usual)
}

/// What an [`Effect`] acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    /// The shape's level (rate, median, price), times `1 + (size − 1)·envelope`.
    Level,
    /// The chance of a slow response, likewise.
    Spikes,
    /// A weekday's pattern blended toward a day off's (taxi) or a weekend's (counter rate).
    Holiday,
    /// The CPU blended toward a flat `size` %, its noise toward a fifth.
    Flat,
    /// The machine blended toward stopped (temperature falls toward ambient).
    Stopped,
    /// `size·envelope` added.
    Offset,
    /// `size·envelope·sin(2π (t − from)/period)` added.
    Swing,
}

/// A change rendered into a series over time.
#[derive(Debug, Clone, Copy)]
struct Effect {
    /// What it changes.
    channel: Channel,
    /// When, and how strongly.
    envelope: Envelope,
    /// Factor, level or added value (see [`Channel`]).
    size: f64,
    /// Period of a swing, seconds.
    period: f64,
}

impl Effect {
    /// An effect without a period.
    fn new(channel: Channel, envelope: Envelope, size: f64) -> Effect {
        Effect {
            channel,
            envelope,
            size,
            period: 0.0,
        }
    }
}

/// The product of the factors of `channel`'s effects at `t`.
fn factor(effects: &[Effect], channel: Channel, t: i64) -> f64 {
    effects
        .iter()
        .filter(|e| e.channel == channel)
        .map(|e| 1.0 + (e.size - 1.0) * e.envelope.at(t))
        .product()
}

/// The strongest of `channel`'s effects at `t`: its strength and its size.
fn weight(effects: &[Effect], channel: Channel, t: i64) -> (f64, f64) {
    effects
        .iter()
        .filter(|e| e.channel == channel)
        .map(|e| (e.envelope.at(t), e.size))
        .fold((0.0, 0.0), |best, x| if x.0 > best.0 { x } else { best })
}

/// What the additive effects add at `t`.
fn added(effects: &[Effect], t: i64) -> f64 {
    effects
        .iter()
        .map(|e| {
            let on = e.size * e.envelope.at(t);
            match e.channel {
                Channel::Offset => on,
                Channel::Swing => {
                    on * (std::f64::consts::TAU * (t - e.envelope.from) as f64 / e.period).sin()
                }
                _ => 0.0,
            }
        })
        .sum()
}

/// A shape's parameters, drawn from the series' seed.
#[derive(Debug, Clone, Copy)]
enum Model {
    /// See [`Shape::Cpu`].
    Cpu {
        /// Utilisation at the quietest time.
        base: f64,
        /// Added at the busiest time of a weekday.
        amplitude: f64,
        /// Power of the daily wave (higher: a narrower busy time).
        sharpness: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend amplitude as a share of a weekday's.
        weekend: f64,
        /// Wander's time constant, seconds.
        tau: f64,
        /// Wander's standard deviation.
        wander: f64,
        /// White noise.
        sigma: f64,
        /// Resolution of the readings (0.1 or 1 %).
        precision: f64,
        /// A weekly job's added utilisation.
        job: Option<WeeklyJob>,
    },
    /// See [`Shape::Latency`].
    Latency {
        /// The fastest possible response.
        floor: f64,
        /// Median above the floor at the quietest time.
        median: f64,
        /// Rise of the median at the busiest time of a weekday (half at weekends).
        load: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Log-normal noise's log-scale.
        sigma: f64,
        /// Chance of a slow response at a point.
        spike: f64,
        /// The slow responses' Pareto shape.
        alpha: f64,
        /// Resolution of the readings (0.1 or 1 ms).
        precision: f64,
        /// A weekly job's rise of the median, as a share.
        job: Option<WeeklyJob>,
    },
    /// See [`Shape::Social`].
    Social {
        /// Mean posts a point.
        rate: f64,
        /// Daily swing, ± this share.
        swing: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend rate as a share of a weekday's.
        weekend: f64,
        /// Gamma shape of the rate's mixing (negative binomial counts).
        dispersion: f64,
        /// Chance a burst of 1–3 points starts at a point.
        burst: f64,
        /// The bursts' Pareto shape.
        alpha: f64,
    },
    /// See [`Shape::Taxi`].
    Taxi {
        /// Passengers a point at a weekday's evening peak.
        peak: f64,
        /// Morning rush, relative.
        rush: f64,
        /// Weekend nights out, relative.
        nightlife: f64,
        /// Gamma shape of the rate's mixing.
        dispersion: f64,
        /// Weather's log-scale wander.
        weather: f64,
        /// Weather's time constant, seconds.
        tau: f64,
    },
    /// See [`Shape::Cpc`].
    Cpc {
        /// Mean clicks a point at the busiest time.
        clicks: f64,
        /// Clicks at the quietest time as a share of the busiest.
        night: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend clicks as a share of a weekday's.
        weekend: f64,
        /// Median price of a click.
        price: f64,
        /// Daily swing of the price, ± this share.
        swing: f64,
        /// Price's log-scale wander.
        drift: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// Log-scale spread of single clicks' prices.
        spread: f64,
        /// Chance of one very expensive click at a point.
        whale: f64,
    },
    /// See [`Shape::Temperature`].
    Temperature {
        /// Temperature of the stopped machine.
        ambient: f64,
        /// Rise above ambient when running.
        rise: f64,
        /// Load-following daily swing, ± °C.
        cycle: f64,
        /// Local hour of the hottest time.
        peak_hour: f64,
        /// Thermal time constant, seconds.
        lag: f64,
        /// Wander's standard deviation.
        drift: f64,
        /// Wander's time constant, seconds.
        tau: f64,
        /// Sensor noise.
        sigma: f64,
        /// Resolution of the readings (0.1 or 0.5 °C).
        precision: f64,
        /// A weekly planned stop (height 1).
        job: Option<WeeklyJob>,
    },
    /// See [`Shape::Counter`].
    Counter {
        /// Rate at the busiest time of a weekday.
        peak: f64,
        /// Rate at the quietest time as a share of the busiest.
        night: f64,
        /// Power of the daily wave.
        sharpness: f64,
        /// Local hour of the busiest time.
        peak_hour: f64,
        /// Weekend rate as a share of a weekday's.
        weekend: f64,
        /// Traffic's log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// A weekly export's added rate.
        job: Option<WeeklyJob>,
    },
}

impl Model {
    /// Draws the parameters of `shape` for a series of `step`-second points, with a weekly job
    /// if `weekly_job`.
    fn draw(shape: Shape, rng: &mut Rng, step: i64, weekly_job: bool) -> Model {
        let scale = step as f64 / HOUR_S as f64;
        let job = |rng: &mut Rng, hours, height| WeeklyJob::draw(rng, hours, height, weekly_job);
        match shape {
            Shape::Cpu => Model::Cpu {
                base: rng.range(8.0, 30.0),
                amplitude: rng.range(15.0, 45.0),
                sharpness: rng.range(1.0, 3.0),
                peak_hour: rng.range(12.0, 17.0),
                weekend: rng.range(0.3, 0.9),
                tau: rng.range(600.0, 3_600.0),
                wander: rng.range(1.5, 5.0),
                sigma: rng.range(0.3, 1.5),
                precision: rng.pick(&[0.1, 1.0]),
                job: job(rng, (1.0, 3.0), (15.0, 35.0)),
            },
            Shape::Latency => {
                let floor = rng.range(2.0, 40.0);
                let median = rng.log_range(10.0, 400.0);
                Model::Latency {
                    floor,
                    median,
                    load: rng.range(0.1, 0.6),
                    peak_hour: rng.range(10.0, 20.0),
                    sigma: rng.range(0.15, 0.5),
                    spike: rng.range(0.002, 0.01),
                    alpha: rng.range(1.5, 2.5),
                    precision: if floor + median > 50.0 { 1.0 } else { 0.1 },
                    job: job(rng, (1.0, 3.0), (0.3, 1.0)),
                }
            }
            Shape::Social => Model::Social {
                rate: rng.log_range(5.0, 200.0) * scale * 12.0,
                swing: rng.range(0.3, 0.7),
                peak_hour: rng.range(12.0, 21.0),
                weekend: rng.range(0.7, 1.1),
                dispersion: rng.range(2.0, 10.0),
                burst: rng.range(0.002, 0.01),
                alpha: rng.range(1.3, 2.0),
            },
            Shape::Taxi => Model::Taxi {
                peak: rng.log_range(1_000.0, 12_000.0) * scale * 2.0,
                rush: rng.range(0.4, 0.7),
                nightlife: rng.range(0.2, 0.5),
                dispersion: rng.range(200.0, 2_000.0),
                weather: rng.range(0.03, 0.08),
                tau: rng.range(1.0, 4.0) * DAY_S as f64,
            },
            Shape::Cpc => Model::Cpc {
                clicks: rng.log_range(3.0, 40.0) * scale,
                night: rng.range(0.05, 0.25),
                peak_hour: rng.range(11.0, 20.0),
                weekend: rng.range(0.6, 1.1),
                price: rng.log_range(0.05, 3.0),
                swing: rng.range(0.0, 0.2),
                drift: rng.range(0.05, 0.25),
                tau: rng.range(1.0, 7.0) * DAY_S as f64,
                spread: rng.range(0.5, 1.2),
                whale: rng.range(0.003, 0.01),
            },
            Shape::Temperature => Model::Temperature {
                ambient: rng.range(15.0, 35.0),
                rise: rng.range(20.0, 60.0),
                cycle: rng.range(1.0, 4.0),
                peak_hour: rng.range(14.0, 18.0),
                lag: rng.range(0.5, 2.0) * HOUR_S as f64,
                drift: rng.range(0.5, 3.0),
                tau: rng.range(0.25, 3.0) * DAY_S as f64,
                sigma: rng.range(0.1, 0.6),
                precision: rng.pick(&[0.1, 0.5]),
                job: job(rng, (2.0, 8.0), (1.0, 1.0)),
            },
            Shape::Counter => {
                let peak = rng.log_range(5.0, 500.0);
                Model::Counter {
                    peak,
                    night: rng.range(0.15, 0.4),
                    sharpness: rng.range(1.0, 2.5),
                    peak_hour: rng.range(10.0, 16.0),
                    weekend: rng.range(0.3, 0.8),
                    mood: rng.range(0.03, 0.1),
                    tau: rng.range(0.5, 4.0) * HOUR_S as f64,
                    job: job(rng, (1.0, 3.0), (0.3 * peak, peak)),
                }
            }
        }
    }

    /// The weekly job, if the shape has one.
    fn job(&self) -> Option<WeeklyJob> {
        match *self {
            Model::Cpu { job, .. }
            | Model::Latency { job, .. }
            | Model::Temperature { job, .. }
            | Model::Counter { job, .. } => job,
            _ => None,
        }
    }

    /// A value as the series reports it: clamped to its range and read at its resolution
    /// (counts whole, a counter's rate in whole events over the `step`).
    fn read(&self, value: f64, step: i64) -> f64 {
        let at = |v: f64, precision: f64| (v / precision).round() * precision;
        match *self {
            Model::Cpu { precision, .. } => at(value.clamp(0.0, 100.0), precision),
            Model::Latency { precision, .. } => at(value.max(0.0), precision),
            Model::Temperature { precision, .. } => at(value, precision),
            Model::Social { .. } | Model::Taxi { .. } => value.round().max(0.0),
            Model::Cpc { .. } => at(value.max(0.0), 0.001),
            Model::Counter { .. } => (value * step as f64).round().max(0.0) / step as f64,
        }
    }

    /// The clicks at `times` (a cost-per-click series' denominator), drawn from `seed`; empty
    /// for the other shapes.
    fn clicks(&self, times: &[i64], clock: &Clock, seed: u64) -> Vec<f64> {
        let Model::Cpc {
            clicks,
            night,
            peak_hour,
            weekend,
            ..
        } = *self
        else {
            return Vec::new();
        };
        let mut rng = Rng(seed);
        times
            .iter()
            .map(|t| {
                let local = clock.local(*t);
                let day = if is_weekend(local) { weekend } else { 1.0 };
                let busy = night + (1.0 - night) * wave(hour_of(local), peak_hour);
                rng.poisson(clicks * busy * day)
            })
            .collect()
    }
}

/// What a series is rendered on: its shape's parameters, its timestamps (seconds, `step` apart
/// but for missing points), its clock, a cost-per-click series' clicks and the noise's seed.
#[derive(Clone, Copy)]
struct Canvas<'a> {
    /// The parameters.
    model: &'a Model,
    /// UTC seconds of the points.
    times: &'a [i64],
    /// Seconds between points.
    step: i64,
    /// The local clock.
    clock: Clock,
    /// Clicks a point (cost per click only).
    clicks: &'a [f64],
    /// The noise's seed.
    seed: u64,
}

impl Canvas<'_> {
    /// The series rendered with `effects` (but for the additive ones): each point's value and
    /// its noise-free part (the pattern without wander, noise or bursts). Before the first
    /// effect starts the draws, and so the values, are those without it.
    fn render(&self, effects: &[Effect]) -> (Vec<f64>, Vec<f64>) {
        let Canvas {
            model,
            times,
            step,
            clock,
            clicks,
            seed,
        } = *self;
        let mut rng = Rng(seed);
        let mut values = Vec::with_capacity(times.len());
        let mut clean = Vec::with_capacity(times.len());
        match *model {
            Model::Cpu {
                base,
                amplitude,
                sharpness,
                peak_hour,
                weekend,
                tau,
                wander,
                sigma,
                job,
                ..
            } => {
                let mut wander = Wander::new(&mut rng, step, tau, wander);
                for &t in times {
                    let local = clock.local(t);
                    let day = if is_weekend(local) { weekend } else { 1.0 };
                    let usual = base
                        + amplitude * day * wave(hour_of(local), peak_hour).powf(sharpness)
                        + job_at(job, local);
                    let (flat, level) = weight(effects, Channel::Flat, t);
                    let c = usual + flat * (level - usual);
                    let calm = (1.0 - 0.8 * flat) * (0.4 + 0.6 * (c / (base + amplitude)).min(1.5));
                    let noise = (wander.next(&mut rng) + sigma * rng.normal()) * calm;
                    clean.push(c);
                    values.push(c + noise);
                }
            }
            Model::Latency {
                floor,
                median,
                load,
                peak_hour,
                sigma,
                spike,
                alpha,
                job,
                ..
            } => {
                for &t in times {
                    let local = clock.local(t);
                    let busy =
                        wave(hour_of(local), peak_hour) * if is_weekend(local) { 0.5 } else { 1.0 };
                    let s = median
                        * (1.0 + load * busy)
                        * (1.0 + job_at(job, local))
                        * factor(effects, Channel::Level, t);
                    clean.push(floor + s);
                    let mut x = floor + s * rng.log_normal(sigma);
                    if rng.unit() < spike * factor(effects, Channel::Spikes, t) {
                        x += s * rng.pareto(alpha).min(30.0);
                    }
                    values.push(x);
                }
            }
            Model::Social {
                rate,
                swing,
                peak_hour,
                weekend,
                dispersion,
                burst,
                alpha,
            } => {
                let mut left = 0;
                let mut boost = 1.0;
                for &t in times {
                    let local = clock.local(t);
                    let r = rate
                        * (1.0 + swing * (2.0 * wave(hour_of(local), peak_hour) - 1.0))
                        * if is_weekend(local) { weekend } else { 1.0 }
                        * factor(effects, Channel::Level, t);
                    clean.push(r);
                    if left == 0 && rng.unit() < burst {
                        left = 1 + rng.below(3);
                        boost = rng.pareto(alpha).min(20.0);
                    }
                    let mut mean = r * rng.gamma(dispersion) / dispersion;
                    if left > 0 {
                        left -= 1;
                        mean *= boost;
                    }
                    values.push(rng.poisson(mean));
                }
            }
            Model::Taxi {
                peak,
                rush,
                nightlife,
                dispersion,
                weather,
                tau,
            } => {
                let mut weather = Wander::new(&mut rng, step, tau, weather);
                for &t in times {
                    let local = clock.local(t);
                    let holiday = weight(effects, Channel::Holiday, t).0;
                    let c = peak
                        * taxi_profile(weekday(local), hour_of(local), holiday, rush, nightlife)
                        * factor(effects, Channel::Level, t);
                    clean.push(c);
                    let mean =
                        c * weather.next(&mut rng).exp() * rng.gamma(dispersion) / dispersion;
                    values.push(rng.poisson(mean));
                }
            }
            Model::Cpc {
                price,
                swing,
                peak_hour,
                drift,
                tau,
                spread,
                whale,
                ..
            } => {
                let mut drift = Wander::new(&mut rng, step, tau, drift);
                for (&t, &clicks) in times.iter().zip(clicks) {
                    let local = clock.local(t);
                    let p = price
                        * (1.0 + swing * (2.0 * wave(hour_of(local), peak_hour) - 1.0))
                        * factor(effects, Channel::Level, t);
                    clean.push(p);
                    let mut x = p
                        * drift.next(&mut rng).exp()
                        * rng.log_normal(spread / clicks.max(1.0).sqrt());
                    if rng.unit() < whale {
                        x += 2.0 * p * rng.pareto(1.5).min(20.0) / clicks.max(1.0);
                    }
                    values.push(if clicks == 0.0 { 0.0 } else { x });
                }
            }
            Model::Temperature {
                ambient,
                rise,
                cycle,
                peak_hour,
                lag,
                drift,
                tau,
                sigma,
                job,
                ..
            } => {
                let keep = (-(step as f64) / lag).exp();
                let mut drift = Wander::new(&mut rng, step, tau, drift);
                let mut temperature = ambient + rise;
                for &t in times {
                    let local = clock.local(t);
                    let stopped = job_at(job, local).max(weight(effects, Channel::Stopped, t).0);
                    let running = rise + cycle * (2.0 * wave(hour_of(local), peak_hour) - 1.0);
                    let target = ambient + (1.0 - stopped) * running;
                    temperature = target + (temperature - target) * keep;
                    clean.push(temperature);
                    values.push(temperature + drift.next(&mut rng) + sigma * rng.normal());
                }
            }
            Model::Counter {
                peak,
                night,
                sharpness,
                peak_hour,
                weekend,
                mood,
                tau,
                job,
            } => {
                let mut mood = Wander::new(&mut rng, step, tau, mood);
                for &t in times {
                    let local = clock.local(t);
                    let rest = if is_weekend(local) {
                        1.0
                    } else {
                        weight(effects, Channel::Holiday, t).0
                    };
                    let busy =
                        night + (1.0 - night) * wave(hour_of(local), peak_hour).powf(sharpness);
                    let c = peak
                        * busy
                        * (1.0 - rest * (1.0 - weekend))
                        * factor(effects, Channel::Level, t)
                        + job_at(job, local);
                    clean.push(c);
                    let mean = c * mood.next(&mut rng).exp() * step as f64;
                    let events = rng.poisson(mean);
                    values.push(events / step as f64);
                }
            }
        }
        (values, clean)
    }

    /// The series [`Canvas::render`]ed with `effects`, their additive part added, then
    /// `edits` made (their noise drawn from the seed and each edit's start): values and
    /// noise-free parts.
    fn build(&self, effects: &[Effect], edits: &[Edit]) -> (Vec<f64>, Vec<f64>) {
        let (mut values, mut clean) = self.render(effects);
        for (i, t) in self.times.iter().enumerate() {
            let extra = added(effects, *t);
            values[i] += extra;
            clean[i] += extra;
        }
        apply_edits(self.seed, edits, &mut values, &mut clean);
        (values, clean)
    }
}

/// One generated series.
#[derive(Debug, Clone)]
struct Series {
    /// Index, shape, cadence, kinds and timing.
    name: String,
    /// Its plan.
    plan: Plan,
    /// Its anomalies, in time order.
    anomalies: Vec<Anomaly<Kind>>,
    /// Its benign changes: the row each takes effect at (0: from the start) and what it is.
    benign: Vec<(usize, String)>,
    /// `(timestamp ns, value)`.
    points: Vec<(i64, f64)>,
    /// NAB-style windows, inclusive row ranges, one per anomaly in the same order.
    windows: Vec<(usize, usize)>,
}

/// The series of index `index` as `plan` says, its parameters drawn from the index.
fn generate(index: usize, plan: &Plan) -> Series {
    let seed = SEED + 256 * index as u64;
    let mut layout = Rng(seed + 1);
    let mut arng = Rng(seed + 2);
    let shape = plan.shape;
    let step = plan.minutes * 60;
    // A cost-per-click series' clicks are drawn before the clock could change.
    assert!(
        shape != Shape::Cpc || plan.benign & DST == 0,
        "series {index}"
    );

    // Length, start, time zone, model, timestamps (without the missing points).
    let (shortest, longest) = plan.length.points(&POINTS);
    let drawn = shortest + layout.below(longest - shortest + 1);
    let first = first_time(&mut layout, BASE_S, step);
    let mut clock = Clock::fixed(layout.pick(&TIME_ZONES));
    let model = Model::draw(shape, &mut layout, step, plan.benign & WEEKLY_JOB != 0);
    let mut times: Vec<i64> = (0..drawn as i64).map(|i| first + i * step).collect();
    let mut clicks = model.clicks(&times, &clock, seed + 4);
    if plan.timing == Timing::Missing {
        let keep: Vec<bool> = if shape == Shape::Cpc {
            clicks.iter().map(|c| *c > 0.0).collect()
        } else {
            missing_points(&mut layout, drawn)
        };
        retain_kept(&mut times, &keep);
        retain_kept(&mut clicks, &keep);
    }
    let n = times.len();

    // Where the anomalies are drawn: one in each k-th of the room, far enough apart that each
    // shows, lasts and has its window before the next one's window.
    let k = plan.kinds.len();
    let half = half_width(n, k);
    let longest_precursor = (half as i64 * step).min(60 * HOUR_S);
    let reach_s = plan
        .kinds
        .iter()
        .map(|kind| kind.reach(step, (0.8 * longest_precursor as f64) as i64))
        .max()
        .unwrap_or(0);
    let reach = rows(reach_s, step);
    let nominal = place(&mut arng, index, n, k, half, reach, plan.length.min_start());

    // The benign changes' rows: after probation, a day before the end, clear of the anomalies'
    // windows by a window on either side.
    let room = BenignRows::new(n, step, &nominal, half, reach);
    let mut benign = Vec::new();
    if plan.benign & DST != 0 {
        let shift = layout.sign() as i64 * HOUR_S;
        let (row, at) = (0..1_000)
            .map(|_| {
                let at = next_local(times[room.draw(&mut layout)], &clock, 2, 6..=6);
                (times.partition_point(|x| *x < at), at)
            })
            .find(|(row, _)| room.free(*row))
            .expect("room for the clock change");
        clock.dst_at = at;
        clock.dst_shift = shift;
        benign.push((
            row,
            format!("clock {:+}h on a Sunday 02:00", shift / HOUR_S),
        ));
    }
    let mut offsets = Vec::new();
    if plan.benign & DEPLOY != 0 {
        offsets.push((
            "deploy",
            room.draw(&mut layout),
            layout.sign() * layout.range(0.04, 0.1),
        ));
    }
    if plan.benign & RECALIBRATION != 0 {
        let share = layout.sign() * layout.range(0.03, 0.08);
        offsets.push(("recalibration", room.draw(&mut layout), share));
    }
    if let Some(job) = model.job() {
        benign.push((0, job.describe("job")));
    }

    // The series with its benign changes, then the anomalies' sizes from it.
    let canvas = Canvas {
        model: &model,
        times: &times,
        step,
        clock,
        clicks: &clicks,
        seed: seed + 3,
    };
    let (unchanged, _) = canvas.render(&[]);
    let mut base = Vec::new();
    for (what, row, share) in offsets {
        let delta = share * span_before(&unchanged, row);
        let envelope = Envelope::forever(times[row]);
        base.push(Effect::new(Channel::Offset, envelope, delta));
        benign.push((row, format!("{what} {delta:+.3} ({share:+.3} span)")));
    }
    benign.sort_by_key(|(row, _)| *row);
    let (normal, normal_clean) = canvas.build(&base, &[]);
    let mut effects = base.clone();
    let mut edits = Vec::new();
    let mut anomalies = Vec::new();
    // Anomalies labelled where they show: (index in `anomalies`, index in `effects`).
    let mut showing = Vec::new();
    for (&kind, &at) in plan.kinds.iter().zip(&nominal) {
        let (low, high) = (
            quantile(&normal[..at], 0.001),
            quantile(&normal[..at], 0.999),
        );
        let span = span_before(&normal, at);
        assert!(span > 0.0, "series {index}: flat before its anomaly");
        let t = times[at];
        let end_of =
            |until: i64, least: usize| times.partition_point(|x| *x < until).max(at + least);
        let precursor = (arng.range(0.3, 0.8) * longest_precursor as f64) as i64;
        let detail = match kind {
            Kind::Plateau => {
                let end = end_of(t + hours(&mut arng, 2.0, 12.0), 4);
                let (value, sigma, what) = match (shape, arng.unit() < 0.5) {
                    (Shape::Cpu, true) => (100.0, 0.3, "pinned"),
                    (Shape::Cpu, false) => (low * arng.range(0.3, 0.7), 0.2, "hung, idle"),
                    (Shape::Latency, _) => {
                        let timeout = TIMEOUTS_MS.iter().copied().find(|x| *x >= 2.0 * high);
                        (timeout.unwrap_or(60_000.0), 0.0, "timing out")
                    }
                    (_, true) => (high + span * arng.range(0.3, 1.0), 0.0, "at a rate limit"),
                    (_, false) => (low * arng.range(0.2, 0.6), 0.0, "throttled"),
                };
                edits.push(Edit {
                    start: at,
                    end,
                    value,
                    sigma,
                });
                format!("{what} at {value:.2} for {} pt", end - at)
            }
            Kind::PrecursorFailure => {
                let drift = span * arng.range(0.1, 0.3);
                let swing = span * arng.range(0.05, 0.15);
                let period = (arng.range(1.0, 4.0) * HOUR_S as f64).max(4.0 * step as f64);
                let repair = hours(&mut arng, 4.0, 24.0);
                let warning = Envelope::new(t, precursor, 0, 0);
                let stop = Envelope::new(t + precursor, 0, repair, 0);
                effects.push(Effect::new(Channel::Offset, warning, drift));
                effects.push(Effect {
                    channel: Channel::Swing,
                    envelope: warning,
                    size: swing,
                    period,
                });
                effects.push(Effect::new(Channel::Stopped, stop, 1.0));
                format!(
                    "{} warming by {drift:.1} swinging {swing:.1} every {}, then stopped {}",
                    duration_text(precursor),
                    duration_text(period as i64),
                    duration_text(repair)
                )
            }
            Kind::Surge => {
                let peak = match shape {
                    Shape::Social => arng.range(3.0, 10.0),
                    Shape::Taxi => arng.range(1.5, 3.0),
                    _ => arng.range(2.0, 5.0),
                };
                let build = hours(&mut arng, 1.0, 6.0);
                let hold = hours(&mut arng, 0.0, 2.0);
                let fall = hours(&mut arng, 2.0, 12.0);
                let envelope = Envelope::new(t, build, hold, fall);
                effects.push(Effect::new(Channel::Level, envelope, peak));
                format!(
                    "x{peak:.1} built over {}, held {}, fading over {}",
                    duration_text(envelope.build),
                    duration_text(envelope.hold),
                    duration_text(envelope.fall)
                )
            }
            Kind::Holiday => {
                let from = next_local(t, &clock, 0, 0..=4);
                let envelope = Envelope::new(from, 0, DAY_S, 0);
                effects.push(Effect::new(Channel::Holiday, envelope, 1.0));
                showing.push((anomalies.len(), effects.len() - 1));
                format!("{} off", DAY_NAMES[weekday(clock.local(from)) as usize])
            }
            Kind::RatioJump => {
                let jump = if arng.unit() < 0.5 {
                    arng.range(1.6, 3.0)
                } else {
                    arng.range(0.35, 0.6)
                };
                let envelope = Envelope::forever(t);
                effects.push(Effect::new(Channel::Level, envelope, jump));
                format!("price x{jump:.2}")
            }
            Kind::LatencyDegradation => {
                let spikes = arng.range(5.0, 20.0);
                let slower = arng.range(1.5, 3.0);
                let ramp = hours(&mut arng, 0.5, 2.0);
                let hold = hours(&mut arng, 6.0, 48.0);
                let fall = hours(&mut arng, 1.0 / 3.0, 1.0);
                let more_often = Envelope::new(t, precursor, ramp + hold, fall);
                let rise = Envelope::new(t + precursor, ramp, hold, fall);
                effects.push(Effect::new(Channel::Spikes, more_often, spikes));
                effects.push(Effect::new(Channel::Level, rise, slower));
                format!(
                    "slow responses x{spikes:.1} over {}, then the median x{slower:.2} for {}",
                    duration_text(precursor),
                    duration_text(hold)
                )
            }
            Kind::FlatHigh => {
                let level =
                    (quantile(&normal_clean[..at], 0.99) + span * arng.range(0.0, 0.15)).min(95.0);
                let envelope = Envelope::new(t, 1_800, hours(&mut arng, 18.0, 30.0), 1_800);
                effects.push(Effect::new(Channel::Flat, envelope, level));
                showing.push((anomalies.len(), effects.len() - 1));
                format!("flat at {level:.1} for {}", duration_text(envelope.hold))
            }
            Kind::DropToZero => {
                let end = end_of(t + (arng.range(10.0, 120.0) * 60.0) as i64, 1);
                edits.push(Edit {
                    start: at,
                    end,
                    value: 0.0,
                    sigma: 0.0,
                });
                format!("0 for {} pt", end - at)
            }
            Kind::None => panic!("None is no anomaly to plan"),
        };
        anomalies.push(Anomaly {
            kind,
            start: at,
            detail,
        });
    }

    // The series with its anomalies, and where those that cannot show at once show: the first
    // point where the noise-free series with that change alone differs from the one without it
    // by a tenth of its noise-free span.
    let (values, _) = canvas.build(&effects, &edits);
    for (a, e) in showing {
        let alone: Vec<Effect> = base.iter().copied().chain([effects[e]]).collect();
        let (_, changed) = canvas.build(&alone, &[]);
        let drawn_at = anomalies[a].start;
        let span = span_before(&normal_clean, drawn_at);
        let shows = first_shown(index, drawn_at, n, reach, |i| {
            (changed[i] - normal_clean[i]).abs() >= 0.1 * span
        });
        mark_shown(&mut anomalies[a], shows, &times);
    }

    let points = stamped(&times, &values, step, plan.timing, &mut layout, |v| {
        model.read(v, step)
    });
    let windows = windows_of(&anomalies, half);
    let labels: Vec<&str> = plan.kinds.iter().map(|k| k.label()).collect();
    Series {
        name: series_name(index, shape, plan.minutes, &labels, plan.timing),
        plan: *plan,
        anomalies,
        benign,
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
    assert!((35..=50).contains(&a.len()));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.points, y.points, "{}", x.name);
        assert_eq!(x.windows, y.windows, "{}", x.name);
        let plan = x.plan;
        let n = x.points.len();
        let (shortest, longest) = plan.length.points(&POINTS);
        assert!(
            n * 5 >= shortest * 4 && n <= longest,
            "{}: {n} points",
            x.name
        );
        match plan.length {
            Length::Short => assert!([30, 60].contains(&plan.minutes), "{}", x.name),
            Length::Long => assert_eq!(plan.minutes, 5, "{}", x.name),
            Length::Medium => {}
        }
        let values: Vec<f64> = x.points.iter().map(|(_, v)| *v).collect();
        if plan.shape != Shape::Temperature {
            assert!(values.iter().all(|v| *v >= 0.0), "{}: negative", x.name);
        }
        if matches!(plan.shape, Shape::Social | Shape::Taxi) {
            assert!(
                values.iter().all(|v| v.fract() == 0.0),
                "{}: counts",
                x.name
            );
        }
        if plan.shape == Shape::Cpu {
            assert!(values.iter().all(|v| *v <= 100.0), "{}: over 100 %", x.name);
        }
        let starts: Vec<usize> = x.anomalies.iter().map(|a| a.start).collect();
        check_series(
            &x.name,
            &x.points,
            &x.windows,
            &starts,
            plan.length.min_start(),
            plan.minutes * 60 * 1_000_000_000,
            plan.timing.spacing(),
        );
        check_benign(&x.name, n, &x.benign, &x.windows);
        let days = (x.points[n - 1].0 - x.points[0].0) as f64 / (DAY_S as f64 * 1e9);
        let placed = placed_text(&x.anomalies, &x.windows);
        let benign = benign_text(&x.benign, |r, w| format!("{w}@{r}"));
        println!(
            "{:<46} n {n:>5} {days:5.1}d  min {:9.3} median {:9.3} max {:9.3}  {} | {}",
            x.name,
            quantile(&values, 0.0),
            quantile(&values, 0.5),
            quantile(&values, 1.0),
            placed,
            benign
        );
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 5, 5);
    assert!(a.iter().filter(|s| s.anomalies.len() >= 3).count() >= 4);
    for length in [Length::Short, Length::Medium, Length::Long] {
        assert!(a.iter().filter(|s| s.plan.length == length).count() >= 10);
    }
}

#[test]
fn field_corpus_score_with_default_settings() {
    let started = Instant::now();
    let series = load();
    for s in &series {
        print_benign(&s.name, 44, &s.benign);
    }
    let views: Vec<(Labelled, Reported<Kind>)> = series
        .iter()
        .map(|s| {
            view(
                &s.name,
                &s.points,
                &s.windows,
                s.plan.minutes * 60,
                &s.anomalies,
            )
        })
        .collect();
    let standard = score_and_report("field", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the field corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
