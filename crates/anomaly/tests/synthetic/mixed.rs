//! A fifth test of the detector, written held out: a synthetic corpus of product, service and
//! plant metrics that none of the `daily`, `varied`, `field` and `ops` corpora has — error rates
//! as ratios of small counts, 99th-percentile latencies, active users, orders, a pump's vibration
//! under an on/off duty cycle, a room's temperature under an on/off thermostat, API requests with
//! bots polling on a timer and database replication lag — with anomalies of the ways these fail:
//! error bursts, spikes and dips, level shifts and trend changes, variance changes, a day that
//! loses its daily pattern, a duty cycle or a poller that stops, a periodic signal changing its
//! frequency and a slow drift, among benign changes left unlabelled. It is generated here from
//! fixed seeds (no data file, no new dependency), run through the default `Detector` strictly
//! online and scored by this crate's NAB scorer as the other corpora are.
//!
//! **Written without tuning.** The shapes, kinds, benign changes, parameter ranges, series plan
//! and seeds were all decided before the scoring test first ran, without running the detector on
//! these series in any other way; the generator was checked only by its own test and by looking
//! at the series it prints. Measured first on the detector of model version 10 (standard 30.16),
//! then once on version 11, chosen without it (34.00); [`MINIMUM_STANDARD_SCORE`] is the latter
//! rounded down, less a margin: a floor against regressions, not a target.
//!
//! **Series.** 48, each from its index as seed; [`CORPUS`] lists them. 9 *short*: 1,000–3,000
//! points, 22 *medium*: 4,000–9,000, 17 *long*: 12,000–20,000; at 1, 5, 10, 15, 30 or 60
//! minutes (from 17 hours, a short 1-minute series, to 7 months, a long 15-minute one; tanks,
//! rooms and replicas are simulated every 10 seconds between points).
//! Each starts on a weekday and at a time of day drawn from its seed (in the week from Monday
//! 2027-10-18, UTC) and lives in a time zone drawn from UTC−8 to UTC+11; daily and weekly patterns
//! follow local time. Eight report with jitter (each timestamp up to 20 % of a step early or
//! late); eight miss points: 0.3–1.5 % scattered and 1–3 stretches of 3–20 (a simulated process
//! runs on through a gap). Several shapes follow a *traffic*: at the busiest time of a weekday 1,
//! at the quietest 0.1–0.4 (a daily wave to the power 1–2.5 peaking at 10:00–20:00), weekends at
//! 40–100 % of that; users and orders follow an *audience*: *consumer* (night at 5–15 % of the
//! peak, a morning rise at 08:30, a lunch bump at 12:45 and an evening peak at 20:00–22:00;
//! weekends a fuller afternoon and the evening, ×1.05–1.3) or *business* (open from a ramp at
//! 07:00–09:30 to one at 16:30–19:00 with a lunch dip, night at 3–10 %, weekends at 15–40 %), in
//! half the series each. Shapes, their parameters drawn from the seed:
//!
//! - *error rate* (the share of an interval's requests failing, read to 10⁻⁶): requests Poisson
//!   at 0.05–20 a second at the busiest time (log-uniform), following the traffic and a log-scale
//!   wander (σ 0.03–0.1, 30 minutes to 4 hours); each fails with a probability of 0.0003–0.01
//!   (log-uniform) times a log-normal of σ 0.2–0.6 a point (failures come in clusters), plus
//!   1–6 flakes a day: a dependency timing out for 30 seconds to 3 minutes and failing 1–10 % of
//!   the requests meanwhile (diluted over the interval); errors Poisson, at most the requests; 0
//!   when there are no requests. Mostly 0 where requests are few;
//! - *p99 latency* (ms, the nearest-rank 99th percentile of an interval's requests, read to 0.1
//!   ms under 100 ms, else to 1 ms): requests Poisson at 1–50 a second at the busiest time
//!   following the traffic; each takes a log-normal time (σ 0.3–0.7) around a median of 5–200 ms
//!   (log-uniform) that rises by up to 50 % with the traffic and follows a log-scale wander (σ
//!   0.05–0.15, 1–6 hours), or, for 0.1–1.5 % of them, a slow path of 5–30 medians times a
//!   Pareto (α 1.2–2.5, at most 100). The percentile is drawn exactly (its order statistic as a
//!   Beta in probability, then the mixture's quantile): heavy tailed and jumpy where requests are
//!   few;
//! - *active users* (concurrent sessions, whole, Poisson): 300–200,000 at the busiest time
//!   (log-uniform), following the audience, growing by 0–0.3 % a day, with a log-scale wander (σ
//!   0.02–0.06, 2–8 hours): smooth and strongly daily;
//! - *orders* (a shop's orders an interval, whole): 0.2–20 a minute at the busiest time
//!   (log-uniform), following the audience and a log-scale wander (weather, mood: σ 0.05–0.15,
//!   1–3 days), negative binomial (gamma shape 3–30);
//! - *pump* (a booster pump's vibration RMS over the interval, mm/s, read to 0.01): a tank drained
//!   by water use (a morning peak at 07:00, 08:30 at weekends, a broad midday, an evening peak at
//!   19:30, night at 10–30 % of the peak, times a log-scale wander of σ 0.03–0.08 over 1–6 hours)
//!   is refilled by the pump at 1.5–3× the peak use: it starts at the low switch and stops at the
//!   high one, the band between them sized for a cycle of 20–90 minutes at the peak (at night the
//!   pump rests for hours); running it vibrates at 1.5–7 mm/s (log-uniform) times a log-normal of
//!   σ 0.03–0.08, idle at 0.05–0.3 times a log-normal of σ 0.15, and each start kicks at 1.5–2.5×
//!   the running level for 5–15 seconds; the interval's RMS weighs the three by their time;
//! - *room temperature* (°C, read to 0.1): a room heated under an on/off thermostat, switching on
//!   below its setpoint less 0.2–0.5 °C and off above it plus as much; the heater can hold the
//!   room 40–70 °C above outside, which it loses heat to with a time constant of 4–12 hours;
//!   occupants add 0.2–0.8 °C an hour; a safety cut-out stops the heater above 32 °C. The setpoint
//!   is a comfort one of 20–22.5 °C when occupied and a setback one of 15–18 °C otherwise; offices
//!   (half the series) are occupied on weekdays from 06:00–08:00 to 17:00–20:00, homes on
//!   weekdays from waking (05:30–07:00) to leaving (07:30–09:00) and from coming back
//!   (16:00–18:00) to bedtime (21:30–23:00), at weekends from 1½ hours after waking to half an
//!   hour after bedtime. Outside: a mean of −5–8 °C, ±2–5 °C a day (warmest at 15:00) and weather
//!   as a wander (σ 1.5–3.5 °C, 1–4 days); the sensor's noise σ 0.02–0.08 °C. It oscillates around
//!   the setpoint in cycles of minutes to an hour;
//! - *API requests* (an interval's requests, whole): people's requests Poisson at 2–200 a minute
//!   at the busiest time (log-uniform), following the traffic and a log-scale wander (σ
//!   0.05–0.15, 30 minutes to 4 hours), and one or two bots polling on a timer in UTC: every 5,
//!   10, 15 or 30 minutes on a 1-minute series, 15, 30 or 60 on a 5-minute one, at a phase drawn,
//!   each poll a Poisson of 0.3–3× the people's requests in a busy interval, 0.5–2 % of polls
//!   skipped: a comb on a daily wave;
//! - *replication lag* (seconds a replica is behind): writes at 0.1–0.5 of the replica's apply
//!   capacity at the busiest time, following the traffic and a log-scale wander (σ 0.05–0.15, 30
//!   minutes to 4 hours); 1–8 bulk writes a day taking 1 second up to 10–120 seconds to apply
//!   (log-uniform); a nightly batch from a local hour of 0–4 for 20–90 minutes adding writes of
//!   0.9–1.5 capacities (each night's length and height times log-normals of σ 0.1). The replica
//!   applies the writes in the order they committed, at its capacity; its lag is how long ago the
//!   oldest write it has not applied committed (simulated every 10 seconds): 0 while it keeps up,
//!   growing a second a second while it applies a bulk write, then draining as fast as it works
//!   through what waited: mostly near 0, with catch-ups. It reads the lag
//!   plus a floor of 1–50 ms (log-uniform) times a log-normal of σ 0.3, to 1 ms, or in half the
//!   series in whole seconds, truncated (as MySQL's `Seconds_Behind_Master`): mostly 0.
//!
//! **Benign changes**, not labelled (normal; what a good detector tolerates). A deploy, a
//! configuration change, a setpoint change and a daylight-saving change happen once, holidays
//! and promotions once or a few times, all after probation, at least a day before the end and at
//! least half a window's width clear of every anomaly's window (a holiday or promotion over all
//! its duration); a weekly job recurs from the start, at a local weekday and time drawn from the
//! seed (15-minute ramps):
//!
//! - *deploy* (12 series): on an error rate a rolling restart, the failure probability ×3–8 for
//!   2–10 minutes (at least a point), then ×0.7–1.4 for good; on a p99 latency the median
//!   ×0.85–1.15; on API requests people's requests ×0.8–1.25 (a new client); on replication lag
//!   the apply capacity ×1.2–1.6 (a faster replica);
//! - *weekly job* (15 series): a load test adding 1–3× the busiest request rate for 1–3 hours
//!   (error rate: failing as the rest), a backup making the median 30–100 % slower for 1–3 hours
//!   (p99), a newsletter bringing 10–30 % of the peak's users for 1–2 hours, a maintenance stop of
//!   1–3 hours (pump: off, a bypass feeding the tank's users), an export adding 1–3× the people's
//!   busiest rate for 1–3 hours (API requests), maintenance writing 1.2–2 capacities for 20–60
//!   minutes (replication lag);
//! - *configuration change* (p99; 2 series): the slow path's latency ×0.8–1.25 (a timeout or a
//!   retry setting);
//! - *setpoint change* (6 series): a pump's switches moved, the band ×0.75–1.33; a room's comfort
//!   setpoint ±0.5–1.5 °C;
//! - *daylight saving* (8 series; users, rooms, API requests): the local clock one hour on or
//!   back from a Sunday 02:00, once; daily and weekly patterns, schedules and weekly jobs move
//!   with it, the bots (on UTC) do not;
//! - *holiday* (10 series; users, orders, rooms): a weekday (two on series spanning more than
//!   four weeks), from local midnight for a day, like a weekend day (an office at its setback all
//!   day, a home on its weekend schedule);
//! - *promotion* (orders; 4 series): 2–4 emails sent at 08:00–11:00 local: orders ×1.5–3 built
//!   over 15 minutes, fading with a time constant of 1–4 hours.
//!
//! **Anomalies.** 71 in 40 series, 24 with two or three (7 with three); 8 series have none.
//! Sizes are relative to the *span* of the series with its benign changes before the anomaly
//! (0.1 to 99.9 percentile) where a size is said in spans:
//!
//! - *burst* (error rate): the failure probability ×20–200 (log-uniform; capped at 0.6) for 5–90
//!   minutes, at least two points: a bad canary, a failing dependency;
//! - *spike*: p99 latency at a timeout 0.5–2 spans above the highest value before, for 1–3 points
//!   (a lock, a failover); orders ×4–12 for 30 minutes to 2 hours, at least two points (a pricing
//!   error shared); a crawler adding 3–15× the people's busiest rate of requests for 10–90 minutes,
//!   at least two points; a transaction on the primary that takes the replica as long to apply as
//!   the highest lag before plus 0.5–2 spans (its lag climbs a second a second, then drains);
//! - *dip*: active users ×0.05–0.5 for 15 minutes to 3 hours (at least a point; an outage), then
//!   back with a reconnect overshoot of +10–30 % fading with a time constant of 15–45 minutes;
//!   orders ×0–0.2 for 20 minutes to 4 hours (at least two points; checkout broken), then back with
//!   +10–40 % (orders retried) fading over 30–90 minutes;
//! - *level shift*, from the start to the end: an error rate's failure probability ×3–10 (a
//!   broken endpoint), a p99 latency's median ×1.4–2.5 or ×0.5–0.75 (a failover to a far region,
//!   a cache added), orders ×0.55–0.8 or ×1.25–1.6 (a payment method lost, a new market), the lag
//!   read +1–10 seconds (log-uniform; the replica's clock stepped: the skew reads as lag);
//! - *trend change*: a p99 latency's median growing linearly by 20–100 % a day for 1–3 days, then
//!   held (a table outgrowing its index); active users growing by 5–20 % or shrinking by 5–15 % of
//!   the level a day for 2–5 days, then held; a replica whose apply capacity falls to 0.6–0.85 of
//!   the busiest noise-free write rate of the next 12–36 hours, for those hours, then recovers:
//!   its lag climbs through the busy hours, then drains;
//! - *variance change*, from the start to the end: a pump's running vibration's σ ×2.5–5
//!   (cavitation); a room's thermostat band ×2.5–4 (a valve hunting: wider, slower swings);
//! - *lost seasonality*: one local day from midnight without its daily pattern: active users at
//!   least 60–95 % of the day's usual peak (bots' sessions filling the night), a room's
//!   thermostat held at its comfort setpoint (a schedule lost);
//! - *stuck*: a duty cycle that stops: the pump's or heater's first stop after the draw does not
//!   happen, on for 2–6 hours (pump) or 1½–4 hours (heater) from then, or (as often) its first
//!   start does not, off for 1–3 hours (pump; the tank runs dry) or 3–12 hours (heater); a bot
//!   that stops polling, for good; replication stopped for 10 minutes to 4 hours (at least three
//!   points): the lag climbs a second a second, then drains;
//! - *frequency change*, from the start to the end: a pump's switches' band ×0.2–0.5 (a
//!   waterlogged pressure tank: short cycling), a bot's period ×½, ×⅓ or ×2 (a new client);
//! - *drift*: a pump's running vibration growing linearly to ×1.3–2.5 over 1–4 days, then held
//!   (a bearing wearing); a room's sensor reading ±0.8–2.5 °C off, growing linearly over 2–5 days,
//!   then held (the sensor degrading).
//!
//! A lost seasonality, a stuck pump or heater, a frequency change, a bot that stops and a
//! replica's trend change are labelled where they show: the first point where the noise-free
//! series with that change alone differs from the one without it. The other kinds are labelled
//! where drawn.
//!
//! | shape (cadences) | burst | spike | dip | shift | trend | variance | lost | stuck | frequency | drift | none |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | error rate (1m 5m 10m) | 0 0 1 2 2 4 | | | 0 3 | | | | | | | 5 |
//! | p99 latency (1m 5m 15m) | | 6 8 8 10 | | 6 9 | 7 8 | | | | | | 11 |
//! | active users (5m 15m 1h) | | | 12 14 16 | | 13 15 16 | | 12 14 16 | | | | 17 |
//! | orders (5m 15m 30m 1h) | | 18 21 22 | 18 21 22 | 19 20 22 | | | | | | | 23 |
//! | pump (1m 5m) | | | | | | 25 26 | | 24 26 28 | 25 26 | 24 27 | 29 |
//! | room temperature (1m 5m 10m) | | | | | | 31 32 34 | 30 32 | 31 33 34 | | 30 33 34 | 35 |
//! | API requests (1m 5m) | | 36 38 40 | | | | | | 37 39 | 36 38 39 | | 41 |
//! | replication lag (1m 5m 10m) | | 44 46 | | 43 46 | 42 45 | | | 42 44 46 | | | 47 |
//!
//! (Series indices, once per anomaly.)
//!
//! **Placement.** As in the `field` and `ops` corpora. Each anomaly is drawn at a point, and
//! then shows there or later and lasts; its *reach* is the most time allowed for that
//! ([`Kind::reach`]). The room runs from the later of a minimum start (point 300 on short
//! series, 600 on medium, 1,000 on long) and the first point whose window clears NAB's
//! probation, to the last that leaves the reach and the window inside the series; it is cut into
//! as many equal parts as the series has anomalies and one is drawn in each, far enough from the
//! next part that windows never overlap and an anomaly's reach ends before the next one's
//! window.
//!
//! **Windows.** As NAB labels its corpus: a window of 10 % of the series length divided by the
//! number of its anomalies, centred on each anomaly's first point, i.e. rows
//! `start − half ..= start + half` with `half = n / 10 / k / 2`.
//!
//! **Scoring.** As the `varied`, `field` and `ops` corpora: NAB's three profiles with one
//! threshold for the whole corpus chosen on NAB's grid (in sample for the threshold) and the
//! score at the anomaly job's default threshold (held out here); per kind at the standard
//! profile's corpus threshold the score of the series holding it with only its windows, the
//! windows caught, the false positives and the delay of the first detection; per series the raw
//! score and the highest score in each window. The benign changes of each series are printed
//! first.

use std::collections::VecDeque;
use std::ops::RangeInclusive;
use std::time::Instant;

use crate::common::{
    self, Anomaly, BenignRows, Clock, DAY_NAMES, DAY_S, Edit, Envelope, FOREVER, HOUR_S, Labelled,
    Length, Reported, Rng, Timing, Wander, WeeklyJob, active, added, apply_edits, bump,
    check_benign, check_kinds, check_series, duration_text, factor, first_shown, first_time,
    half_width, hour_of, hours, is_weekend, job_at, mark_shown, missing_points, next_local,
    normal_cdf, place, plan, print_benign, print_summary, quantile, retain_kept, rows,
    score_and_report, series_name, smoothstep, span_before, stamped, view, wave, weekday,
    windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold: the measurement of
/// the detector it was first committed with (model version 11: 34.00) rounded down to one
/// decimal, less 0.1, as the other corpora's floors. The corpus was written without running the
/// detector on it; version 10 scored 30.16 on it (docs/benchmarks.md).
const MINIMUM_STANDARD_SCORE: f64 = 33.9;

/// Monday 2027-10-18 00:00 UTC, in seconds since the epoch: the week the series start in.
const BASE_S: i64 = 1_823_817_600;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0x313D_0000_0000;
/// Time zones the series live in, in seconds ahead of UTC.
const TIME_ZONES: [i64; 9] = [
    -28_800, -21_600, -14_400, 0, 3_600, 7_200, 19_800, 28_800, 39_600,
];
/// Seconds a simulated process (a tank, a room, a replica) advances at a time.
const TICK_S: i64 = 10;
/// The slow path's longest latency, in multiples of its shortest.
const SLOW_CAP: f64 = 100.0;
/// Bots' polling periods on a 1-minute series, minutes.
const PERIODS_1M: [i64; 4] = [5, 10, 15, 30];
/// Bots' polling periods on a 5-minute series, minutes.
const PERIODS_5M: [i64; 3] = [15, 30, 60];
/// A bot's period after a frequency change, relative: halved, a third, doubled.
const PERIOD_CHANGES: [(i64, i64); 3] = [(1, 2), (1, 3), (2, 1)];

/// Benign change: a deploy moves the level a little, for good.
const DEPLOY: u8 = 1;
/// Benign change: a job at a fixed local weekday and time, every week.
const WEEKLY_JOB: u8 = 2;
/// Benign change: a configuration change moves the slow path a little, for good.
const CONFIG: u8 = 4;
/// Benign change: the local clock moves by an hour once.
const DST: u8 = 8;
/// Benign change: a weekday (or two) like a weekend day.
const HOLIDAY: u8 = 16;
/// Benign change: promotional emails sent.
const PROMO: u8 = 32;
/// Benign change: a controller's setpoint moved, for good.
const SETPOINT: u8 = 64;

/// The fewest and most points of a short, a medium and a long series.
const POINTS: [(usize, usize); 3] = [(1_000, 3_000), (4_000, 9_000), (12_000, 20_000)];

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// The share of requests failing.
    Errors,
    /// The 99th-percentile latency, ms.
    P99,
    /// Concurrent sessions.
    Users,
    /// Orders an interval.
    Orders,
    /// A pump's vibration RMS, mm/s.
    Pump,
    /// A heated room's temperature, °C.
    Hvac,
    /// API requests an interval, bots' polls among them.
    Polling,
    /// A replica's lag, s.
    Lag,
}

impl Shape {
    /// The benign changes the shape can have.
    fn benign(self) -> u8 {
        match self {
            Shape::Errors | Shape::Lag => DEPLOY | WEEKLY_JOB,
            Shape::P99 => DEPLOY | WEEKLY_JOB | CONFIG,
            Shape::Users => HOLIDAY | DST | WEEKLY_JOB,
            Shape::Orders => PROMO | HOLIDAY,
            Shape::Pump => SETPOINT | WEEKLY_JOB,
            Shape::Hvac => SETPOINT | DST | HOLIDAY,
            Shape::Polling => DEPLOY | WEEKLY_JOB | DST,
        }
    }
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// An error rate jumping for minutes: a burst of failures.
    Burst,
    /// A short excursion far above the usual.
    Spike,
    /// A level collapsing for minutes to hours, then back.
    Dip,
    /// The level moving, for good.
    LevelShift,
    /// A slope where there was none, for hours or days.
    TrendChange,
    /// The noise or the swing growing, for good.
    VarianceChange,
    /// A day without its daily pattern.
    LostSeasonality,
    /// A duty cycle or a poller that stops.
    Stuck,
    /// A periodic signal changing its period, for good.
    FrequencyChange,
    /// A slow drift: wear, a degrading sensor.
    Drift,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 11] = [
    Kind::Burst,
    Kind::Spike,
    Kind::Dip,
    Kind::LevelShift,
    Kind::TrendChange,
    Kind::VarianceChange,
    Kind::LostSeasonality,
    Kind::Stuck,
    Kind::FrequencyChange,
    Kind::Drift,
    Kind::None,
];

impl Kind {
    /// Short name, for series names.
    fn label(self) -> &'static str {
        match self {
            Kind::Burst => "burst",
            Kind::Spike => "spike",
            Kind::Dip => "dip",
            Kind::LevelShift => "shift",
            Kind::TrendChange => "trend",
            Kind::VarianceChange => "variance",
            Kind::LostSeasonality => "lost",
            Kind::Stuck => "stuck",
            Kind::FrequencyChange => "frequency",
            Kind::Drift => "drift",
            Kind::None => "none",
        }
    }

    /// The most seconds an anomaly of this kind is allowed after its drawn point, on a series of
    /// `shape` and `step`-second points, to show and to be over (or, for the changes for good,
    /// to show): what keeps it, and the next one's window, clear.
    fn reach(self, shape: Shape, step: i64) -> i64 {
        match (self, shape) {
            // Up to 90 minutes, at least two points.
            (Kind::Burst, _) => (90 * 60).max(2 * step),
            // A timeout of up to three points.
            (Kind::Spike, Shape::P99) => 3 * step,
            // A transaction as long as the highest lag and two spans more, then the drain.
            (Kind::Spike, Shape::Lag) => 12 * HOUR_S,
            // A pricing error of up to 2 hours, a crawler of up to 90 minutes.
            (Kind::Spike, _) => (2 * HOUR_S).max(2 * step),
            // An outage of up to 4 hours, then the overshoot fading (up to 90 minutes' time
            // constant).
            (Kind::Dip, _) => 10 * HOUR_S,
            (Kind::LevelShift | Kind::VarianceChange, _) => step,
            // Up to 3 days of slowing (p99), 5 of growth (users), 36 hours of a slow replica
            // and its drain.
            (Kind::TrendChange, Shape::P99) => 3 * DAY_S,
            (Kind::TrendChange, Shape::Users) => 5 * DAY_S,
            (Kind::TrendChange, _) => 48 * HOUR_S,
            // To the next local midnight (a day, and an hour across a clock change), then the
            // day.
            (Kind::LostSeasonality, _) => 50 * HOUR_S,
            // The next stop or start (a pump rests up to 8 hours at night, a heater longer in
            // mild weather), the spell, the refill or warm-up after it; a bot's next poll;
            // replication stopped up to 4 hours, then the drain.
            (Kind::Stuck, Shape::Pump) => 16 * HOUR_S,
            (Kind::Stuck, Shape::Hvac) => 40 * HOUR_S,
            (Kind::Stuck, Shape::Polling) => 2 * HOUR_S,
            (Kind::Stuck, _) => 12 * HOUR_S,
            // The pump's next switch (a night's rest), a bot's next poll.
            (Kind::FrequencyChange, Shape::Pump) => 12 * HOUR_S,
            (Kind::FrequencyChange, _) => 2 * HOUR_S,
            // Wear over up to 4 days, a sensor's drift over up to 5.
            (Kind::Drift, Shape::Pump) => 4 * DAY_S,
            (Kind::Drift, _) => 5 * DAY_S,
            (Kind::None, _) => 0,
        }
    }
}

/// One series of the corpus as planned.
type Plan = common::Plan<Shape, Kind>;

/// The corpus; the seed is the series' index.
#[rustfmt::skip]
const CORPUS: [Plan; 48] = {
    use Kind::{
        Burst, Dip, Drift, FrequencyChange as Frequency, LevelShift as Shift,
        LostSeasonality as Lost, Spike, Stuck, TrendChange as Trend, VarianceChange as Variance,
    };
    use Length::{Long, Medium, Short};
    use Shape::{Errors, Hvac, Lag, Orders, P99, Polling, Pump, Users};
    use Timing::{Jitter, Missing, Regular};
    [
        //   shape    min  length  timing   benign changes          anomalies
        plan(Errors,  1,   Long,   Regular, DEPLOY | WEEKLY_JOB,    &[Burst, Shift, Burst]),
        plan(Errors,  1,   Medium, Jitter,  0,                      &[Burst]),
        plan(Errors,  5,   Long,   Regular, DEPLOY,                 &[Burst, Burst]),
        plan(Errors,  5,   Medium, Missing, WEEKLY_JOB,             &[Shift]),
        plan(Errors,  10,  Short,  Regular, DEPLOY,                 &[Burst]),
        plan(Errors,  1,   Medium, Regular, DEPLOY | WEEKLY_JOB,    &[]),
        plan(P99,     1,   Long,   Regular, DEPLOY | WEEKLY_JOB,    &[Spike, Shift]),
        plan(P99,     5,   Medium, Jitter,  CONFIG,                 &[Trend]),
        plan(P99,     5,   Long,   Missing, DEPLOY,                 &[Spike, Trend, Spike]),
        plan(P99,     15,  Medium, Regular, WEEKLY_JOB,             &[Shift]),
        plan(P99,     1,   Short,  Regular, 0,                      &[Spike]),
        plan(P99,     5,   Medium, Regular, DEPLOY | CONFIG,        &[]),
        plan(Users,   5,   Long,   Regular, HOLIDAY | DST,          &[Dip, Lost]),
        plan(Users,   15,  Medium, Regular, HOLIDAY,                &[Trend]),
        plan(Users,   5,   Medium, Jitter,  WEEKLY_JOB,             &[Lost, Dip]),
        plan(Users,   60,  Short,  Regular, HOLIDAY | DST,          &[Trend]),
        plan(Users,   5,   Long,   Missing, DST | WEEKLY_JOB,       &[Dip, Trend, Lost]),
        plan(Users,   15,  Medium, Regular, HOLIDAY | DST,          &[]),
        plan(Orders,  5,   Long,   Regular, PROMO,                  &[Dip, Spike]),
        plan(Orders,  15,  Medium, Regular, PROMO | HOLIDAY,        &[Shift]),
        plan(Orders,  60,  Short,  Jitter,  0,                      &[Shift]),
        plan(Orders,  5,   Medium, Missing, HOLIDAY,                &[Spike, Dip]),
        plan(Orders,  30,  Medium, Regular, PROMO,                  &[Dip, Shift, Spike]),
        plan(Orders,  15,  Long,   Regular, PROMO | HOLIDAY,        &[]),
        plan(Pump,    5,   Long,   Regular, WEEKLY_JOB,             &[Stuck, Drift]),
        plan(Pump,    1,   Medium, Regular, SETPOINT,               &[Variance, Frequency]),
        plan(Pump,    5,   Long,   Jitter,  SETPOINT | WEEKLY_JOB,  &[Variance, Stuck, Frequency]),
        plan(Pump,    5,   Medium, Regular, 0,                      &[Drift]),
        plan(Pump,    5,   Short,  Missing, 0,                      &[Stuck]),
        plan(Pump,    1,   Medium, Regular, SETPOINT | WEEKLY_JOB,  &[]),
        plan(Hvac,    5,   Long,   Regular, DST | HOLIDAY,          &[Lost, Drift]),
        plan(Hvac,    1,   Long,   Regular, SETPOINT,               &[Variance, Stuck]),
        plan(Hvac,    10,  Medium, Jitter,  HOLIDAY,                &[Variance, Lost]),
        plan(Hvac,    10,  Medium, Missing, SETPOINT,               &[Drift, Stuck]),
        plan(Hvac,    5,   Long,   Regular, DST,                    &[Stuck, Drift, Variance]),
        plan(Hvac,    10,  Short,  Regular, SETPOINT | HOLIDAY,     &[]),
        plan(Polling, 1,   Long,   Regular, DST,                    &[Frequency, Spike]),
        plan(Polling, 1,   Medium, Jitter,  0,                      &[Stuck]),
        plan(Polling, 5,   Long,   Regular, DEPLOY | WEEKLY_JOB,    &[Spike, Frequency]),
        plan(Polling, 1,   Medium, Missing, WEEKLY_JOB,             &[Frequency, Stuck]),
        plan(Polling, 5,   Short,  Regular, DEPLOY,                 &[Spike]),
        plan(Polling, 1,   Medium, Regular, DEPLOY | DST,           &[]),
        plan(Lag,     1,   Long,   Regular, WEEKLY_JOB,             &[Stuck, Trend]),
        plan(Lag,     5,   Medium, Regular, DEPLOY,                 &[Shift]),
        plan(Lag,     1,   Medium, Jitter,  0,                      &[Spike, Stuck]),
        plan(Lag,     10,  Short,  Regular, WEEKLY_JOB,             &[Trend]),
        plan(Lag,     5,   Long,   Missing, DEPLOY | WEEKLY_JOB,    &[Spike, Shift, Stuck]),
        plan(Lag,     1,   Short,  Regular, 0,                      &[]),
    ]
};

/// A Beta(`a`, `b`) draw, from two gammas.
fn beta(rng: &mut Rng, a: f64, b: f64) -> f64 {
    let x = rng.gamma(a);
    let y = rng.gamma(b);
    x / (x + y)
}

/// The moments `phase + k period` (seconds) in `(after, until]`.
fn instants(after: i64, until: i64, phase: i64, period: i64) -> impl Iterator<Item = i64> {
    let first = (after - phase).div_euclid(period) + 1;
    (first..)
        .map(move |k| phase + k * period)
        .take_while(move |x| *x <= until)
}

/// How busy a service is, relative to the busiest time of a weekday: what the error rates,
/// latencies, API requests and a primary's writes follow.
#[derive(Debug, Clone, Copy)]
struct Traffic {
    /// The quietest time's share of the busiest.
    night: f64,
    /// Power of the daily wave (higher: a narrower busy time).
    sharpness: f64,
    /// Local hour of the busiest time.
    peak_hour: f64,
    /// Weekends' share of a weekday.
    weekend: f64,
}

impl Traffic {
    /// Drawn from `rng`.
    fn draw(rng: &mut Rng) -> Traffic {
        Traffic {
            night: rng.range(0.1, 0.4),
            sharpness: rng.range(1.0, 2.5),
            peak_hour: rng.range(10.0, 20.0),
            weekend: rng.range(0.4, 1.0),
        }
    }

    /// The traffic at local time `local`, in `(0, 1]`.
    fn at(&self, local: i64) -> f64 {
        let day = if is_weekend(local) { self.weekend } else { 1.0 };
        let busy = wave(hour_of(local), self.peak_hour).powf(self.sharpness);
        day * (self.night + (1.0 - self.night) * busy)
    }
}

/// Whom a product serves, and so when its users are active and its orders come.
#[derive(Debug, Clone, Copy)]
struct Audience {
    /// Consumers (evenings, busier weekends), or businesses (office hours).
    consumer: bool,
    /// The quietest time's share of the busiest.
    night: f64,
    /// Local hour of consumers' evening peak.
    evening: f64,
    /// Weekends relative to weekdays.
    weekend: f64,
}

impl Audience {
    /// Drawn from `rng`: consumers or businesses, evenly.
    fn draw(rng: &mut Rng) -> Audience {
        let consumer = rng.unit() < 0.5;
        let (night, weekend) = if consumer {
            (rng.range(0.05, 0.15), rng.range(1.05, 1.3))
        } else {
            (rng.range(0.03, 0.1), rng.range(0.15, 0.4))
        };
        Audience {
            consumer,
            night,
            evening: rng.range(20.0, 22.0),
            weekend,
        }
    }

    /// Whether local time `local` falls on a day off: a weekend day or a `holiday`.
    fn day_off(local: i64, holiday: bool) -> bool {
        holiday || is_weekend(local)
    }

    /// The relative level at local time `local` (about 1 at a weekday's busiest); a `holiday`
    /// is a weekend day.
    fn at(&self, local: i64, holiday: bool) -> f64 {
        let hour = hour_of(local);
        let off = Audience::day_off(local, holiday);
        let shape = match (self.consumer, off) {
            (true, false) => {
                0.3 * bump(hour, 8.5, 1.2)
                    + 0.45 * bump(hour, 12.75, 1.5)
                    + bump(hour, self.evening, 2.0)
            }
            (true, true) => 0.55 * bump(hour, 14.0, 3.0) + bump(hour, self.evening, 2.5),
            (false, _) => {
                smoothstep(7.0, 9.5, hour)
                    * (1.0 - smoothstep(16.5, 19.0, hour))
                    * (1.0 - 0.12 * bump(hour, 12.5, 0.7))
            }
        };
        let level = self.night + (1.0 - self.night) * shape.min(1.0);
        if off { level * self.weekend } else { level }
    }

    /// The usual busiest level of the day of local time `local`.
    fn peak(&self, local: i64, holiday: bool) -> f64 {
        if Audience::day_off(local, holiday) {
            self.weekend
        } else {
            1.0
        }
    }
}

/// Water use at local time `local`, relative to its daily peak: a morning peak (later at
/// weekends), a broad midday and an evening peak over a night of `night`.
fn water(local: i64, night: f64) -> f64 {
    let hour = hour_of(local);
    let morning = if is_weekend(local) { 8.5 } else { 7.0 };
    let used =
        bump(hour, morning, 1.2) + 0.45 * bump(hour, 13.0, 3.0) + 0.85 * bump(hour, 19.5, 1.8);
    night + (1.0 - night) * used.min(1.0)
}

/// When a heated room is occupied, and so kept at its comfort setpoint.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    /// An office (weekdays), or a home.
    office: bool,
    /// An office's opening hour.
    open: f64,
    /// An office's closing hour.
    close: f64,
    /// A home's waking hour on weekdays.
    wake: f64,
    /// The hour a home empties on weekdays.
    leave: f64,
    /// The hour a home fills again on weekdays.
    back: f64,
    /// A home's bedtime on weekdays.
    sleep: f64,
}

impl Schedule {
    /// Drawn from `rng`: an office or a home, evenly.
    fn draw(rng: &mut Rng) -> Schedule {
        Schedule {
            office: rng.unit() < 0.5,
            open: rng.range(6.0, 8.0),
            close: rng.range(17.0, 20.0),
            wake: rng.range(5.5, 7.0),
            leave: rng.range(7.5, 9.0),
            back: rng.range(16.0, 18.0),
            sleep: rng.range(21.5, 23.0),
        }
    }

    /// Whether the room is occupied at local time `local`; a `holiday` is a weekend day.
    fn occupied(&self, local: i64, holiday: bool) -> bool {
        let hour = hour_of(local);
        match (self.office, holiday || is_weekend(local)) {
            (true, true) => false,
            (true, false) => (self.open..self.close).contains(&hour),
            (false, true) => (self.wake + 1.5..self.sleep + 0.5).contains(&hour),
            (false, false) => {
                (self.wake..self.leave).contains(&hour) || (self.back..self.sleep).contains(&hour)
            }
        }
    }
}

/// The distribution of one request's latency: a log-normal body and a slow path.
#[derive(Debug, Clone, Copy)]
struct Latency {
    /// The body's median, ms.
    median: f64,
    /// The body's log-scale σ.
    sigma: f64,
    /// The slow path's share of requests.
    slow: f64,
    /// The slow path's shortest latency, in medians.
    at: f64,
    /// The slow path's Pareto shape.
    alpha: f64,
}

impl Latency {
    /// The share of requests taking at most `x` ms.
    fn cdf(&self, x: f64) -> f64 {
        let body = normal_cdf((x / self.median).ln() / self.sigma);
        let start = self.at * self.median;
        let tail = if x <= start {
            0.0
        } else {
            ((1.0 - (x / start).powf(-self.alpha)) / (1.0 - SLOW_CAP.powf(-self.alpha))).min(1.0)
        };
        (1.0 - self.slow) * body + self.slow * tail
    }

    /// The latency below which a share `q` of requests falls (bisection on its logarithm).
    fn quantile(&self, q: f64) -> f64 {
        let mut lo = self.median.ln() - 10.0 * self.sigma;
        let mut hi = (self.at * self.median * SLOW_CAP)
            .ln()
            .max(self.median.ln() + 10.0 * self.sigma);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid.exp()) < q {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (0.5 * (lo + hi)).exp()
    }
}

/// A bot polling an API on a timer, in UTC.
#[derive(Debug, Clone, Copy)]
struct Bot {
    /// Seconds between polls.
    period: i64,
    /// Seconds into a period (from the epoch) it polls at.
    phase: i64,
    /// Requests a poll, on average.
    batch: f64,
}

/// What an [`Effect`] acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    /// The shape's level, times `1 + (size − 1)·strength`: the failure probability (error rate),
    /// the median (p99), the sessions (users), the orders' rate, the running vibration (pump),
    /// people's requests (API).
    Level,
    /// `size·strength` added: to the reading (a room's sensor, a replica's lag), to the
    /// requests a minute (a crawler).
    Offset,
    /// The pump's running vibration's σ, times `1 + (size − 1)·strength`.
    Noise,
    /// The band of the switches (pump) or of the thermostat (room), times
    /// `1 + (size − 1)·strength`.
    Band,
    /// The slow path's latency (p99), times `1 + (size − 1)·strength`.
    Tail,
    /// A replica's apply capacity, times `1 + (size − 1)·strength`.
    Capacity,
    /// `size·strength` °C added to a room's comfort setpoint.
    Setpoint,
    /// A room's thermostat held at its comfort setpoint while on.
    Hold,
    /// A holiday while on: a weekend day.
    Holiday,
    /// Sessions at least `size` of the day's usual peak while on.
    Fill,
    /// A relay stuck: on (`size` 1) from the first stop at or after `from`, or off (`size` 0)
    /// from the first start, for the envelope's hold.
    Relay,
    /// The first bot's period times `size` from `from`.
    Period,
    /// The first bot polling no more from `from`.
    Stop,
    /// A transaction of `size` seconds of the replica's work committed at `from`.
    Burst,
}

/// A change rendered into a series over time, on one of this corpus' [`Channel`]s.
type Effect = common::Effect<Channel>;

/// A relay's stuck spell, as a render follows it.
#[derive(Debug, Clone, Copy)]
struct Spell {
    /// Stuck on, or off.
    on: bool,
    /// From when it can catch a switch, UTC seconds.
    from: i64,
    /// Seconds it holds once caught.
    hold: i64,
    /// When it caught its switch.
    since: Option<i64>,
}

/// The stuck spells of `effects`' [`Channel::Relay`] effects.
fn spells(effects: &[Effect]) -> Vec<Spell> {
    effects
        .iter()
        .filter(|e| e.channel == Channel::Relay)
        .map(|e| Spell {
            on: e.size > 0.5,
            from: e.envelope.from,
            hold: e.envelope.hold,
            since: None,
        })
        .collect()
}

/// The relay's state at `s`: what the controller wants (`want`, the relay being `was`) unless a
/// stuck spell catches that switch or holds.
fn relay(spells: &mut [Spell], want: bool, was: bool, s: i64) -> bool {
    for spell in spells.iter_mut() {
        match spell.since {
            Some(since) if s < since + spell.hold => return spell.on,
            Some(_) => {}
            None if s >= spell.from && want != was && want != spell.on => {
                spell.since = Some(s);
                return spell.on;
            }
            None => {}
        }
    }
    want
}

/// Writes committed on a primary over `from..to` (UTC seconds) that a replica has not applied
/// in full.
#[derive(Debug, Clone, Copy)]
struct Writes {
    /// When the first of them committed.
    from: i64,
    /// When the last of them committed.
    to: i64,
    /// Seconds of the replica's work they take.
    work: f64,
    /// Seconds of it left.
    left: f64,
}

impl Writes {
    /// Writes of `work` seconds committed over `from..to`, none applied.
    fn new(from: i64, to: i64, work: f64) -> Writes {
        Writes {
            from,
            to,
            work,
            left: work,
        }
    }

    /// How long before `now` the oldest write not applied yet committed, the writes spread
    /// evenly over their span: the replica's lag.
    fn age(&self, now: i64) -> f64 {
        let applied = if self.work > 0.0 {
            1.0 - self.left / self.work
        } else {
            1.0
        };
        now as f64 - (self.from as f64 + (self.to - self.from) as f64 * applied)
    }
}

/// A night's batch on a primary, drawn from the series' seed and the local day: its length and
/// its height, relative (log-normals of σ 0.1). Drawn apart from the render so that every
/// rendering of the series has the same nights.
fn nightly(seed: u64, day: i64) -> (f64, f64) {
    let mut rng = Rng(seed ^ (day as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    (rng.log_normal(0.1), rng.log_normal(0.1))
}

/// A bot's poll at `at`: whether it is skipped (chance `skip`) and, if not, its requests around
/// `batch`. Drawn from the series' seed, the bot and the moment, so that a poll draws the same
/// whatever else changes.
fn poll(seed: u64, bot: usize, at: i64, skip: f64, batch: f64) -> Option<f64> {
    let mut rng =
        Rng(seed ^ (at as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ ((bot as u64) << 60));
    (rng.unit() >= skip).then(|| rng.poisson(batch))
}

/// A shape's parameters, drawn from the series' seed.
#[derive(Debug, Clone, Copy)]
enum Model {
    /// See [`Shape::Errors`].
    Errors {
        /// What the requests follow.
        traffic: Traffic,
        /// Requests a second at the busiest time.
        rate: f64,
        /// A request's usual chance of failing.
        base: f64,
        /// The chance's log-normal σ a point.
        spread: f64,
        /// Flakes a day.
        flakes: f64,
        /// The requests' log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// A weekly load test: its requests, in busiest rates.
        test: Option<WeeklyJob>,
    },
    /// See [`Shape::P99`].
    P99 {
        /// What the requests follow.
        traffic: Traffic,
        /// Requests a second at the busiest time.
        rate: f64,
        /// The body's median when idle, ms.
        median: f64,
        /// Its rise at the busiest time, as a share.
        load: f64,
        /// The body's log-scale σ.
        sigma: f64,
        /// The slow path's share.
        slow: f64,
        /// The slow path's shortest latency, in medians.
        slow_at: f64,
        /// The slow path's Pareto shape.
        alpha: f64,
        /// The median's log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// A weekly backup: how much slower the median, as a share.
        backup: Option<WeeklyJob>,
    },
    /// See [`Shape::Users`].
    Users {
        /// When they are active.
        audience: Audience,
        /// Sessions at the busiest time.
        peak: f64,
        /// Growth a day, as a share.
        growth: f64,
        /// The sessions' log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// A weekly newsletter: the sessions it brings, as a share of the peak.
        newsletter: Option<WeeklyJob>,
    },
    /// See [`Shape::Orders`].
    Orders {
        /// When they come.
        audience: Audience,
        /// Orders a minute at the busiest time.
        rate: f64,
        /// The negative binomial's gamma shape.
        clumping: f64,
        /// The orders' log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
    },
    /// See [`Shape::Pump`].
    Pump {
        /// Water use at night, as a share of the peak.
        night: f64,
        /// The pump's flow, in peak uses.
        flow: f64,
        /// The band between the switches, in hours of the peak use.
        volume: f64,
        /// Vibration when running, mm/s.
        running: f64,
        /// Vibration when idle, mm/s.
        idle: f64,
        /// The running vibration's log-normal σ.
        roughness: f64,
        /// A start's kick, in running levels.
        kick: f64,
        /// A start's kick's length, seconds.
        kick_s: f64,
        /// Water use's log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// A weekly maintenance stop.
        stop: Option<WeeklyJob>,
    },
    /// See [`Shape::Hvac`].
    Hvac {
        /// When it is occupied.
        schedule: Schedule,
        /// The comfort setpoint, °C.
        comfort: f64,
        /// The setback setpoint, °C.
        setback: f64,
        /// Half the thermostat's band, °C.
        delta: f64,
        /// The room's heat-loss time constant, hours.
        tau: f64,
        /// The heater's warming, °C an hour.
        heat: f64,
        /// Occupants' warming, °C an hour.
        gains: f64,
        /// Outside's mean, °C.
        mean: f64,
        /// Outside's daily swing, ± °C.
        swing: f64,
        /// Weather's wander, °C.
        weather: f64,
        /// The wander's time constant, seconds.
        weather_tau: f64,
        /// The sensor's noise, °C.
        sigma: f64,
    },
    /// See [`Shape::Polling`].
    Polling {
        /// What people's requests follow.
        traffic: Traffic,
        /// People's requests a minute at the busiest time.
        rate: f64,
        /// Their log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// The bots.
        bots: [Bot; 2],
        /// How many of them poll (1 or 2).
        count: usize,
        /// A poll's chance of being skipped.
        skip: f64,
        /// A weekly export: its requests a minute, in people's busiest rates.
        export: Option<WeeklyJob>,
    },
    /// See [`Shape::Lag`].
    Lag {
        /// What the writes follow.
        traffic: Traffic,
        /// Writes at the busiest time, in apply capacities.
        writes: f64,
        /// Their log-scale wander.
        mood: f64,
        /// The wander's time constant, seconds.
        tau: f64,
        /// Bulk writes a day.
        bulks: f64,
        /// The longest bulk write, seconds of the replica's work.
        top: f64,
        /// Local hour the nightly batch starts.
        batch_hour: f64,
        /// Minutes it lasts.
        batch_minutes: f64,
        /// Writes it adds, in apply capacities.
        batch: f64,
        /// The reading's floor, seconds.
        floor: f64,
        /// Whether the lag reads in whole seconds.
        whole: bool,
        /// A weekly maintenance: its writes, in apply capacities.
        maintenance: Option<WeeklyJob>,
    },
}

impl Model {
    /// Draws the parameters of `shape` for a series of `step`-second points, with a weekly job
    /// if `weekly` (its parameters are drawn either way, so that the others do not depend on it).
    fn draw(shape: Shape, rng: &mut Rng, step: i64, weekly: bool) -> Model {
        let job = |rng: &mut Rng, hours, height| WeeklyJob::draw(rng, hours, height, weekly);
        let hour = HOUR_S as f64;
        match shape {
            Shape::Errors => Model::Errors {
                traffic: Traffic::draw(rng),
                rate: rng.log_range(0.05, 20.0),
                base: rng.log_range(0.0003, 0.01),
                spread: rng.range(0.2, 0.6),
                flakes: rng.range(1.0, 6.0),
                mood: rng.range(0.03, 0.1),
                tau: rng.range(0.5, 4.0) * hour,
                test: job(rng, (1.0, 3.0), (1.0, 3.0)),
            },
            Shape::P99 => Model::P99 {
                traffic: Traffic::draw(rng),
                rate: rng.log_range(1.0, 50.0),
                median: rng.log_range(5.0, 200.0),
                load: rng.range(0.0, 0.5),
                sigma: rng.range(0.3, 0.7),
                slow: rng.range(0.001, 0.015),
                slow_at: rng.range(5.0, 30.0),
                alpha: rng.range(1.2, 2.5),
                mood: rng.range(0.05, 0.15),
                tau: rng.range(1.0, 6.0) * hour,
                backup: job(rng, (1.0, 3.0), (0.3, 1.0)),
            },
            Shape::Users => Model::Users {
                audience: Audience::draw(rng),
                peak: rng.log_range(300.0, 200_000.0),
                growth: rng.range(0.0, 0.003),
                mood: rng.range(0.02, 0.06),
                tau: rng.range(2.0, 8.0) * hour,
                newsletter: job(rng, (1.0, 2.0), (0.1, 0.3)),
            },
            Shape::Orders => Model::Orders {
                audience: Audience::draw(rng),
                rate: rng.log_range(0.2, 20.0),
                clumping: rng.range(3.0, 30.0),
                mood: rng.range(0.05, 0.15),
                tau: rng.range(1.0, 3.0) * DAY_S as f64,
            },
            Shape::Pump => {
                let night = rng.range(0.1, 0.3);
                let flow = rng.range(1.5, 3.0);
                // A cycle at the peak use: the band drained at 1 and refilled at flow − 1.
                let cycle = rng.range(20.0, 90.0) / 60.0;
                Model::Pump {
                    night,
                    flow,
                    volume: cycle / (1.0 + 1.0 / (flow - 1.0)),
                    running: rng.log_range(1.5, 7.0),
                    idle: rng.range(0.05, 0.3),
                    roughness: rng.range(0.03, 0.08),
                    kick: rng.range(1.5, 2.5),
                    kick_s: rng.range(5.0, 15.0),
                    mood: rng.range(0.03, 0.08),
                    tau: rng.range(1.0, 6.0) * hour,
                    stop: job(rng, (1.0, 3.0), (1.0, 1.0)),
                }
            }
            Shape::Hvac => {
                let schedule = Schedule::draw(rng);
                let tau = rng.range(4.0, 12.0);
                Model::Hvac {
                    schedule,
                    comfort: rng.range(20.0, 22.5),
                    setback: rng.range(15.0, 18.0),
                    delta: rng.range(0.2, 0.5),
                    tau,
                    heat: rng.range(40.0, 70.0) / tau,
                    gains: rng.range(0.2, 0.8),
                    mean: rng.range(-5.0, 8.0),
                    swing: rng.range(2.0, 5.0),
                    weather: rng.range(1.5, 3.5),
                    weather_tau: rng.range(1.0, 4.0) * DAY_S as f64,
                    sigma: rng.range(0.02, 0.08),
                }
            }
            Shape::Polling => {
                let traffic = Traffic::draw(rng);
                let rate = rng.log_range(2.0, 200.0);
                let mood = rng.range(0.05, 0.15);
                let tau = rng.range(0.5, 4.0) * hour;
                let busy = rate * step as f64 / 60.0;
                let bot = |rng: &mut Rng| {
                    let minutes = if step == 60 {
                        rng.pick(&PERIODS_1M)
                    } else {
                        rng.pick(&PERIODS_5M)
                    };
                    let period = minutes * 60;
                    Bot {
                        period,
                        phase: rng.below(period as usize) as i64,
                        batch: rng.range(0.3, 3.0) * busy,
                    }
                };
                let bots = [bot(rng), bot(rng)];
                Model::Polling {
                    traffic,
                    rate,
                    mood,
                    tau,
                    bots,
                    count: 1 + rng.below(2),
                    skip: rng.range(0.005, 0.02),
                    export: job(rng, (1.0, 3.0), (1.0, 3.0)),
                }
            }
            Shape::Lag => Model::Lag {
                traffic: Traffic::draw(rng),
                writes: rng.range(0.1, 0.5),
                mood: rng.range(0.05, 0.15),
                tau: rng.range(0.5, 4.0) * hour,
                bulks: rng.range(1.0, 8.0),
                top: rng.log_range(10.0, 120.0),
                batch_hour: rng.range(0.0, 4.0),
                batch_minutes: rng.range(20.0, 90.0),
                batch: rng.range(0.9, 1.5),
                floor: rng.log_range(0.001, 0.05),
                whole: rng.unit() < 0.5,
                maintenance: job(rng, (1.0 / 3.0, 1.0), (1.2, 2.0)),
            },
        }
    }

    /// The weekly job, if any, and what it is.
    fn job(&self) -> Option<(&'static str, WeeklyJob)> {
        match *self {
            Model::Errors { test, .. } => test.map(|j| ("load test", j)),
            Model::P99 { backup, .. } => backup.map(|j| ("backup", j)),
            Model::Users { newsletter, .. } => newsletter.map(|j| ("newsletter", j)),
            Model::Pump { stop, .. } => stop.map(|j| ("maintenance stop", j)),
            Model::Polling { export, .. } => export.map(|j| ("export", j)),
            Model::Lag { maintenance, .. } => maintenance.map(|j| ("maintenance", j)),
            Model::Orders { .. } | Model::Hvac { .. } => None,
        }
    }

    /// Whether the series reads whole numbers.
    fn whole(&self) -> bool {
        match *self {
            Model::Users { .. } | Model::Orders { .. } | Model::Polling { .. } => true,
            Model::Lag { whole, .. } => whole,
            _ => false,
        }
    }

    /// A value as the series reports it: within its range and read at its resolution.
    fn read(&self, value: f64) -> f64 {
        let at = |v: f64, precision: f64| (v / precision).round() * precision;
        match *self {
            Model::Errors { .. } => at(value.clamp(0.0, 1.0), 1e-6),
            Model::P99 { .. } if value < 100.0 => at(value, 0.1),
            Model::P99 { .. } => at(value, 1.0),
            Model::Users { .. } | Model::Orders { .. } | Model::Polling { .. } => {
                value.round().max(0.0)
            }
            Model::Pump { .. } => at(value.max(0.0), 0.01),
            Model::Hvac { .. } => at(value, 0.1),
            Model::Lag { whole: true, .. } => value.max(0.0).floor(),
            Model::Lag { .. } => at(value.max(0.0), 0.001),
        }
    }

    /// A deploy at `t` on a series of `step`-second points: its effects and what it is.
    fn deploy(&self, rng: &mut Rng, t: i64, step: i64) -> (Vec<Effect>, String) {
        let forever = Envelope::forever(t);
        match *self {
            Model::Errors { .. } => {
                let blip = rng.range(3.0, 8.0);
                let restart = hours(rng, 2.0 / 60.0, 10.0 / 60.0).max(step);
                let after = rng.range(0.7, 1.4);
                let effects = vec![
                    Effect::new(Channel::Level, Envelope::new(t, 0, restart, 0), blip),
                    Effect::new(Channel::Level, forever, after),
                ];
                let what = format!(
                    "deploy: failures x{blip:.1} for {}, then x{after:.2}",
                    duration_text(restart)
                );
                (effects, what)
            }
            Model::P99 { .. } => {
                let times = rng.range(0.85, 1.15);
                let effect = Effect::new(Channel::Level, forever, times);
                (vec![effect], format!("deploy: median x{times:.2}"))
            }
            Model::Polling { .. } => {
                let times = rng.range(0.8, 1.25);
                let effect = Effect::new(Channel::Level, forever, times);
                (
                    vec![effect],
                    format!("deploy: people's requests x{times:.2}"),
                )
            }
            Model::Lag { .. } => {
                let times = rng.range(1.2, 1.6);
                let effect = Effect::new(Channel::Capacity, forever, times);
                (vec![effect], format!("deploy: apply capacity x{times:.2}"))
            }
            _ => panic!("no deploy on {self:?}"),
        }
    }

    /// A setpoint change at `t`: its effect and what it is.
    fn setpoint(&self, rng: &mut Rng, t: i64) -> (Effect, String) {
        let forever = Envelope::forever(t);
        match *self {
            Model::Pump { .. } => {
                let times = rng.range(0.75, 1.33);
                let effect = Effect::new(Channel::Band, forever, times);
                (effect, format!("setpoint: switches' band x{times:.2}"))
            }
            Model::Hvac { .. } => {
                let delta = rng.sign() * rng.range(0.5, 1.5);
                let effect = Effect::new(Channel::Setpoint, forever, delta);
                (effect, format!("setpoint: comfort {delta:+.2} °C"))
            }
            _ => panic!("no setpoint on {self:?}"),
        }
    }
}

/// What a series is rendered on: its shape's parameters, its timestamps (seconds, `step` apart
/// but for missing points), its clock and the noise's seed.
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
    /// The noise's seed.
    seed: u64,
}

impl Canvas<'_> {
    /// The series rendered with `effects`: each point's value and its noise-free part (the
    /// expected ratio, the p99 at its exact quantile, the expected count, the pump's RMS and the
    /// room's and the replica's state without reading noise). Random numbers come from two
    /// streams: the process (wanders, flakes, bulk writes) draws the same numbers at every point
    /// whatever the effects, so that the noise-free parts with and without an effect differ
    /// only where the effect acts; the observation (counts, order statistics, reading noise)
    /// may draw more or fewer once an effect is on.
    fn render(&self, effects: &[Effect]) -> (Vec<f64>, Vec<f64>) {
        let Canvas {
            model,
            times,
            step,
            clock,
            seed,
        } = *self;
        let mut process = Rng(seed);
        let mut noise = Rng(seed ^ 0x0B5E_17A7_1000_0000);
        let mut values = Vec::with_capacity(times.len());
        let mut clean = Vec::with_capacity(times.len());
        let hour = HOUR_S as f64;
        let day = DAY_S as f64;
        let step_f = step as f64;
        match *model {
            Model::Errors {
                traffic,
                rate,
                base,
                spread,
                flakes,
                mood,
                tau,
                test,
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                for &t in times {
                    let local = clock.local(t);
                    let busy = traffic.at(local) * mood.next(&mut process).exp();
                    // A dependency's flake in the interval: its failures diluted over it.
                    let flaked = process.unit() < 1.0 - (-flakes * step_f / day).exp();
                    let lasting = process.range(30.0, 180.0);
                    let failing = process.range(0.01, 0.1);
                    let clustered = process.log_normal(spread);
                    let flake = if flaked {
                        failing * (lasting / step_f).min(1.0)
                    } else {
                        0.0
                    };
                    let usual = base * factor(effects, Channel::Level, t);
                    let chance = (usual.min(0.6) * clustered + flake).min(1.0);
                    let mean = rate * step_f * (busy + job_at(test, local));
                    let requests = noise.poisson(mean);
                    let errors = noise.poisson(requests * chance).min(requests);
                    clean.push(usual.min(0.6));
                    values.push(if requests > 0.0 {
                        errors / requests
                    } else {
                        0.0
                    });
                }
            }
            Model::P99 {
                traffic,
                rate,
                median,
                load,
                sigma,
                slow,
                slow_at,
                alpha,
                mood,
                tau,
                backup,
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                for &t in times {
                    let local = clock.local(t);
                    let busy = traffic.at(local);
                    let usual = Latency {
                        median: median
                            * (1.0 + load * busy)
                            * (1.0 + job_at(backup, local))
                            * factor(effects, Channel::Level, t),
                        sigma,
                        slow,
                        at: slow_at * factor(effects, Channel::Tail, t),
                        alpha,
                    };
                    let now = Latency {
                        median: usual.median * mood.next(&mut process).exp(),
                        ..usual
                    };
                    // The nearest-rank 99th percentile of n requests is their k-th smallest:
                    // the k-th of n uniforms is Beta(k, n + 1 − k) in probability.
                    let n = noise.poisson(rate * busy * step_f).max(1.0);
                    let k = (0.99 * n).ceil();
                    let q = beta(&mut noise, k, n + 1.0 - k);
                    clean.push(usual.quantile(0.99));
                    values.push(now.quantile(q));
                }
            }
            Model::Users {
                audience,
                peak,
                growth,
                mood,
                tau,
                newsletter,
            } => {
                let first = times[0];
                let mut mood = Wander::new(&mut process, step, tau, mood);
                for &t in times {
                    let local = clock.local(t);
                    let holiday = active(effects, Channel::Holiday, t).is_some();
                    let grown = 1.0 + growth * (t - first) as f64 / day;
                    let usual = peak
                        * (audience.at(local, holiday) * grown + job_at(newsletter, local))
                        * factor(effects, Channel::Level, t);
                    let fill = active(effects, Channel::Fill, t)
                        .map_or(0.0, |share| share * peak * audience.peak(local, holiday));
                    let wandered = usual * mood.next(&mut process).exp();
                    clean.push(usual.max(fill));
                    values.push(noise.poisson(wandered.max(fill)));
                }
            }
            Model::Orders {
                audience,
                rate,
                clumping,
                mood,
                tau,
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                for &t in times {
                    let local = clock.local(t);
                    let holiday = active(effects, Channel::Holiday, t).is_some();
                    let mean = rate
                        * step_f
                        * audience.at(local, holiday)
                        * factor(effects, Channel::Level, t)
                        / 60.0;
                    let wandered = mean * mood.next(&mut process).exp();
                    clean.push(mean);
                    let clumped = noise.gamma(clumping) / clumping;
                    values.push(noise.poisson(wandered * clumped));
                }
            }
            Model::Pump {
                night,
                flow,
                volume,
                running,
                idle,
                roughness,
                kick,
                kick_s,
                mood,
                tau,
                stop,
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                let mut spells = spells(effects);
                let mut level = volume * process.unit();
                let mut on = process.unit() < 0.3;
                let mut prev = times[0] - step;
                for &t in times {
                    let used = mood.next(&mut process).exp();
                    let (mut on_s, mut starts) = (0.0, 0.0);
                    let mut s = prev;
                    while s < t {
                        let dt = TICK_S.min(t - s);
                        s += dt;
                        let local = clock.local(s);
                        let demand = water(local, night) * used;
                        let band = volume * factor(effects, Channel::Band, s);
                        let was = on;
                        let inflow = if stop.is_some_and(|j| j.at(local) > 0.5) {
                            // Stopped for maintenance: a bypass feeds the users.
                            on = false;
                            demand
                        } else {
                            let want = if level <= 0.0 {
                                true
                            } else if level >= band {
                                false
                            } else {
                                on
                            };
                            on = relay(&mut spells, want, on, s);
                            if on { flow } else { 0.0 }
                        };
                        // The tank runs dry two bands below the low switch and overflows a
                        // band above the high one.
                        level = (level + (inflow - demand) * dt as f64 / hour)
                            .clamp(-2.0 * volume, band + volume);
                        if s > t - step {
                            if on {
                                on_s += dt as f64;
                            }
                            if on && !was {
                                starts += 1.0;
                            }
                        }
                    }
                    let share = on_s / step_f;
                    let strong = running * factor(effects, Channel::Level, t);
                    let kicks = starts * (kick * kick - 1.0) * strong * strong * kick_s / step_f;
                    let rough = roughness * factor(effects, Channel::Noise, t);
                    let shaking = strong * noise.log_normal(rough);
                    let resting = idle * noise.log_normal(0.15);
                    clean.push(
                        (share * strong * strong + (1.0 - share) * idle * idle + kicks).sqrt(),
                    );
                    values.push(
                        (share * shaking * shaking + (1.0 - share) * resting * resting + kicks)
                            .sqrt(),
                    );
                    prev = t;
                }
            }
            Model::Hvac {
                schedule,
                comfort,
                setback,
                delta,
                tau,
                heat,
                gains,
                mean,
                swing,
                weather,
                weather_tau,
                sigma,
            } => {
                let mut weather = Wander::new(&mut process, step, weather_tau, weather);
                let mut spells = spells(effects);
                let holiday = |s: i64| active(effects, Channel::Holiday, s).is_some();
                let occupied = |s: i64| schedule.occupied(clock.local(s), holiday(s));
                let mut temp = if occupied(times[0]) { comfort } else { setback };
                let mut on = false;
                let mut prev = times[0] - step;
                for &t in times {
                    let outside_now = weather.next(&mut process);
                    let mut s = prev;
                    while s < t {
                        let dt = TICK_S.min(t - s);
                        s += dt;
                        let local = clock.local(s);
                        let people = occupied(s);
                        let target = if people || active(effects, Channel::Hold, s).is_some() {
                            comfort + added(effects, Channel::Setpoint, s)
                        } else {
                            setback
                        };
                        let half = delta * factor(effects, Channel::Band, s);
                        let want = if temp < target - half {
                            true
                        } else if temp > target + half {
                            false
                        } else {
                            on
                        };
                        on = relay(&mut spells, want, on, s) && temp < 32.0;
                        let outside =
                            mean + swing * (2.0 * wave(hour_of(local), 15.0) - 1.0) + outside_now;
                        let warming = (outside - temp) / tau
                            + if on { heat } else { 0.0 }
                            + if people { gains } else { 0.0 };
                        temp += warming * dt as f64 / hour;
                    }
                    let reading = temp + added(effects, Channel::Offset, t);
                    clean.push(reading);
                    values.push(reading + sigma * noise.normal());
                    prev = t;
                }
            }
            Model::Polling {
                traffic,
                rate,
                mood,
                tau,
                bots,
                count,
                skip,
                export,
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                let minutes = step_f / 60.0;
                // The first bot's period from a change on, if any.
                let change = effects
                    .iter()
                    .find(|e| e.channel == Channel::Period)
                    .map(|e| (e.envelope.from, (bots[0].period as f64 * e.size) as i64));
                for &t in times {
                    let local = clock.local(t);
                    let people = rate
                        * minutes
                        * (traffic.at(local) * factor(effects, Channel::Level, t)
                            + job_at(export, local));
                    let crawler = added(effects, Channel::Offset, t) * minutes;
                    let wandered = people * mood.next(&mut process).exp();
                    let (mut polled, mut expected) = (0.0, 0.0);
                    for (i, bot) in bots.iter().enumerate().take(count) {
                        let moments: Vec<i64> = match change {
                            Some((from, period)) if i == 0 => {
                                instants(t - step, t, bot.phase, bot.period)
                                    .filter(|x| *x < from)
                                    .chain(
                                        instants(t - step, t, bot.phase, period)
                                            .filter(|x| *x >= from),
                                    )
                                    .collect()
                            }
                            _ => instants(t - step, t, bot.phase, bot.period).collect(),
                        };
                        for at in moments {
                            if i == 0 && active(effects, Channel::Stop, at).is_some() {
                                continue;
                            }
                            if let Some(requests) = poll(seed, i, at, skip, bot.batch) {
                                polled += requests;
                                expected += bot.batch;
                            }
                        }
                    }
                    clean.push(people + crawler + expected);
                    values.push(noise.poisson(wandered + crawler) + polled);
                }
            }
            Model::Lag {
                traffic,
                writes,
                mood,
                tau,
                bulks,
                top,
                batch_hour,
                batch_minutes,
                batch,
                floor,
                maintenance,
                ..
            } => {
                let mut mood = Wander::new(&mut process, step, tau, mood);
                let mut backlog: VecDeque<Writes> = VecDeque::new();
                let mut prev = times[0] - step;
                // The writes of the nightly batch at local time `local`.
                let nightly_at = |local: i64| {
                    let day = local.div_euclid(DAY_S);
                    let (length, height) = nightly(seed, day);
                    let from = (day * DAY_S) as f64 + batch_hour * hour;
                    let end = from + batch_minutes * 60.0 * length;
                    let x = local as f64;
                    batch
                        * height
                        * (smoothstep(from, from + 300.0, x) - smoothstep(end - 300.0, end, x))
                };
                for &t in times {
                    let wandered = mood.next(&mut process).exp();
                    let bulk = process.unit() < 1.0 - (-bulks * step_f / day).exp();
                    let size = process.log_range(1.0, top);
                    // Bulk writes (and planted transactions) commit at the interval's start.
                    let mut committed = if bulk { size } else { 0.0 };
                    committed += effects
                        .iter()
                        .filter(|e| e.channel == Channel::Burst)
                        .filter(|e| prev < e.envelope.from && e.envelope.from <= t)
                        .map(|e| e.size)
                        .sum::<f64>();
                    if committed > 0.0 {
                        backlog.push_back(Writes::new(prev, prev, committed));
                    }
                    let mut s = prev;
                    while s < t {
                        let dt = TICK_S.min(t - s);
                        let local = clock.local(s + dt);
                        let w = writes * traffic.at(local) * wandered
                            + nightly_at(local)
                            + job_at(maintenance, local);
                        backlog.push_back(Writes::new(s, s + dt, w * dt as f64));
                        s += dt;
                        // The replica applies the oldest writes first.
                        let mut capacity = factor(effects, Channel::Capacity, s) * dt as f64;
                        while let Some(front) = backlog.front_mut() {
                            if front.left > capacity {
                                front.left -= capacity;
                                break;
                            }
                            capacity -= front.left;
                            backlog.pop_front();
                        }
                    }
                    let lag = backlog.front().map_or(0.0, |w| w.age(t));
                    let reading = lag + added(effects, Channel::Offset, t);
                    clean.push(reading);
                    values.push(reading + floor * noise.log_normal(0.3));
                    prev = t;
                }
            }
        }
        (values, clean)
    }

    /// The series [`Canvas::render`]ed with `effects`, then `edits` made (their noise drawn from
    /// the seed and each edit's start): values and noise-free parts.
    fn build(&self, effects: &[Effect], edits: &[Edit]) -> (Vec<f64>, Vec<f64>) {
        let (mut values, mut clean) = self.render(effects);
        apply_edits(self.seed, edits, &mut values, &mut clean);
        (values, clean)
    }
}

/// A moment for a benign change lasting `lasting` seconds: the first at or after a free row
/// drawn that is `hour` o'clock local on a weekday in `days`, whose rows over its duration are
/// all free. Its row and UTC second.
fn free_moment(
    layout: &mut Rng,
    room: &BenignRows,
    times: &[i64],
    clock: &Clock,
    hour: i64,
    days: RangeInclusive<i64>,
    lasting: i64,
) -> (usize, i64) {
    (0..1_000)
        .map(|_| {
            let at = next_local(times[room.draw(layout)], clock, hour, days.clone());
            let from = times.partition_point(|x| *x < at);
            let to = times.partition_point(|x| *x < at + lasting);
            (from, to, at)
        })
        .find(|(from, to, _)| (*from..=*to).all(|row| room.free(row)))
        .map(|(from, _, at)| (from, at))
        .expect("room for a benign change")
}

/// One generated series.
#[derive(Debug, Clone)]
struct Series {
    /// Index, shape, cadence, kinds and timing.
    name: String,
    /// Its plan.
    plan: Plan,
    /// Whether it reads whole numbers.
    whole: bool,
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
    assert_eq!(
        plan.benign & !shape.benign(),
        0,
        "series {index}: a benign change its shape does not have"
    );
    assert!(
        shape != Shape::Polling || step == 60 || step == 300,
        "series {index}: bots poll 1- and 5-minute series"
    );

    // Length, start, clock, model, timestamps (without the missing points).
    let (shortest, longest) = plan.length.points(&POINTS);
    let drawn = shortest + layout.below(longest - shortest + 1);
    let first = first_time(&mut layout, BASE_S, step);
    let mut clock = Clock::fixed(layout.pick(&TIME_ZONES));
    let model = Model::draw(shape, &mut layout, step, plan.benign & WEEKLY_JOB != 0);
    let mut times: Vec<i64> = (0..drawn as i64).map(|i| first + i * step).collect();
    if plan.timing == Timing::Missing {
        let keep = missing_points(&mut layout, drawn);
        retain_kept(&mut times, &keep);
    }
    let n = times.len();

    // Where the anomalies are drawn: one in each k-th of the room, far enough apart that each
    // shows and is over before the next one's window.
    let k = plan.kinds.len();
    let half = half_width(n, k);
    let reach_s = plan
        .kinds
        .iter()
        .map(|kind| kind.reach(shape, step))
        .max()
        .unwrap_or(0);
    let reach = rows(reach_s, step);
    let nominal = place(&mut arng, index, n, k, half, reach, plan.length.min_start());

    // The benign changes: after probation, a day before the end, clear of the anomalies'
    // windows by a window on either side over all their duration.
    let room = BenignRows::new(n, step, &nominal, half, reach);
    let mut base = Vec::new();
    let mut benign = Vec::new();
    if plan.benign & DST != 0 {
        let shift = layout.sign() as i64 * HOUR_S;
        let (row, at) = free_moment(&mut layout, &room, &times, &clock, 2, 6..=6, 0);
        clock.dst_at = at;
        clock.dst_shift = shift;
        benign.push((
            row,
            format!("clock {:+}h on a Sunday 02:00", shift / HOUR_S),
        ));
    }
    if plan.benign & HOLIDAY != 0 {
        let holidays = if times[n - 1] - times[0] > 28 * DAY_S {
            2
        } else {
            1
        };
        let mut days: Vec<i64> = Vec::new();
        while days.len() < holidays {
            let (row, at) = free_moment(&mut layout, &room, &times, &clock, 0, 0..=4, DAY_S);
            if days.contains(&at) {
                continue;
            }
            days.push(at);
            let envelope = Envelope::new(at, 0, DAY_S, 0);
            base.push(Effect::new(Channel::Holiday, envelope, 1.0));
            let name = DAY_NAMES[weekday(clock.local(at)) as usize];
            benign.push((row, format!("holiday on a {name}")));
        }
    }
    if plan.benign & PROMO != 0 {
        for _ in 0..2 + layout.below(3) {
            let hour = 8 + layout.below(3) as i64;
            let fall = hours(&mut layout, 1.0, 4.0);
            let multiple = layout.range(1.5, 3.0);
            let (row, at) = free_moment(&mut layout, &room, &times, &clock, hour, 0..=6, 4 * fall);
            let envelope = Envelope::new(at, 900, 0, fall);
            base.push(Effect::new(Channel::Level, envelope, multiple));
            benign.push((
                row,
                format!(
                    "promotion at {hour:02}:00: orders x{multiple:.2}, fading over {}",
                    duration_text(fall)
                ),
            ));
        }
    }
    if plan.benign & DEPLOY != 0 {
        let row = room.draw(&mut layout);
        let (effects, what) = model.deploy(&mut layout, times[row], step);
        base.extend(effects);
        benign.push((row, what));
    }
    if plan.benign & CONFIG != 0 {
        let row = room.draw(&mut layout);
        let multiple = layout.range(0.8, 1.25);
        let envelope = Envelope::forever(times[row]);
        base.push(Effect::new(Channel::Tail, envelope, multiple));
        benign.push((row, format!("configuration: slow path x{multiple:.2}")));
    }
    if plan.benign & SETPOINT != 0 {
        let row = room.draw(&mut layout);
        let (effect, what) = model.setpoint(&mut layout, times[row]);
        base.push(effect);
        benign.push((row, what));
    }
    if let Some((what, job)) = model.job() {
        benign.push((0, job.describe(what)));
    }
    benign.sort_by_key(|(row, _)| *row);

    // The series with its benign changes, then the anomalies' sizes from it.
    let canvas = Canvas {
        model: &model,
        times: &times,
        step,
        clock,
        seed: seed + 3,
    };
    let (normal, normal_clean) = canvas.build(&base, &[]);
    let mut effects = base.clone();
    let mut edits = Vec::new();
    let mut anomalies = Vec::new();
    // Anomalies labelled where they show: (index in `anomalies`, index in `effects`).
    let mut showing = Vec::new();
    for (&kind, &at) in plan.kinds.iter().zip(&nominal) {
        let highest = quantile(&normal[..at], 1.0);
        let span = span_before(&normal, at);
        assert!(span > 0.0, "series {index}: flat before its anomaly");
        let t = times[at];
        let midnight = next_local(t, &clock, 0, 0..=6);
        let detail = match (kind, model) {
            (Kind::Burst, Model::Errors { .. }) => {
                let multiple = arng.log_range(20.0, 200.0);
                let hold = hours(&mut arng, 5.0 / 60.0, 1.5).max(2 * step);
                let envelope = Envelope::new(t, 0, hold, 0);
                effects.push(Effect::new(Channel::Level, envelope, multiple));
                format!("failures x{multiple:.0} for {}", duration_text(hold))
            }
            (Kind::LevelShift, Model::Errors { .. }) => {
                let multiple = arng.range(3.0, 10.0);
                effects.push(Effect::new(Channel::Level, Envelope::forever(t), multiple));
                format!("failures x{multiple:.2}")
            }
            (Kind::Spike, Model::P99 { .. }) => {
                let above = arng.range(0.5, 2.0);
                let points = 1 + arng.below(3);
                let value = highest + above * span;
                edits.push(Edit {
                    start: at,
                    end: at + points,
                    value,
                    sigma: 0.0,
                });
                format!("{value:.1} ms for {points} pt ({above:.2} span above the highest)")
            }
            (Kind::TrendChange, Model::P99 { .. }) => {
                let daily = arng.range(0.2, 1.0);
                let days = arng.range(1.0, 3.0);
                let multiple = 1.0 + daily * days;
                let envelope = Envelope::linear(t, (days * DAY_S as f64) as i64, FOREVER);
                effects.push(Effect::new(Channel::Level, envelope, multiple));
                format!(
                    "median +{:.0} % a day for {days:.1}d (x{multiple:.2}), held",
                    100.0 * daily
                )
            }
            (Kind::LevelShift, Model::P99 { .. }) => {
                let multiple = if arng.unit() < 0.5 {
                    arng.range(1.4, 2.5)
                } else {
                    arng.range(0.5, 0.75)
                };
                effects.push(Effect::new(Channel::Level, Envelope::forever(t), multiple));
                format!("median x{multiple:.2}")
            }
            (Kind::Dip, Model::Users { .. } | Model::Orders { .. }) => {
                // Sessions lost for a while, or orders all but stopped, then a rebound.
                let (what, multiple, hold, over, fall) = if matches!(model, Model::Users { .. }) {
                    (
                        "sessions",
                        arng.range(0.05, 0.5),
                        hours(&mut arng, 0.25, 3.0).max(step),
                        arng.range(1.1, 1.3),
                        hours(&mut arng, 0.25, 0.75),
                    )
                } else {
                    (
                        "orders",
                        arng.range(0.0, 0.2),
                        hours(&mut arng, 1.0 / 3.0, 4.0).max(2 * step),
                        arng.range(1.1, 1.4),
                        hours(&mut arng, 0.5, 1.5),
                    )
                };
                let outage = Envelope::new(t, 0, hold, 0);
                let after = Envelope::new(t + hold, 0, 0, fall);
                effects.push(Effect::new(Channel::Level, outage, multiple));
                effects.push(Effect::new(Channel::Level, after, over));
                format!(
                    "{what} x{multiple:.2} for {}, then x{over:.2} fading over {}",
                    duration_text(hold),
                    duration_text(fall)
                )
            }
            (Kind::LostSeasonality, Model::Users { .. }) => {
                let share = arng.range(0.6, 0.95);
                let envelope = Envelope::new(midnight, 0, DAY_S, 0);
                effects.push(Effect::new(Channel::Fill, envelope, share));
                showing.push((anomalies.len(), effects.len() - 1));
                format!("sessions at least {share:.2} of the peak for a day")
            }
            (Kind::TrendChange, Model::Users { .. }) => {
                let daily = if arng.unit() < 0.5 {
                    arng.range(0.05, 0.2)
                } else {
                    -arng.range(0.05, 0.15)
                };
                let days = arng.range(2.0, 5.0);
                let multiple = 1.0 + daily * days;
                let envelope = Envelope::linear(t, (days * DAY_S as f64) as i64, FOREVER);
                effects.push(Effect::new(Channel::Level, envelope, multiple));
                format!(
                    "{:+.0} % a day for {days:.1}d (x{multiple:.2}), held",
                    100.0 * daily
                )
            }
            (Kind::Spike, Model::Orders { .. }) => {
                let multiple = arng.range(4.0, 12.0);
                let hold = hours(&mut arng, 0.5, 2.0).max(2 * step);
                let envelope = Envelope::new(t, 0, hold, 0);
                effects.push(Effect::new(Channel::Level, envelope, multiple));
                format!("orders x{multiple:.1} for {}", duration_text(hold))
            }
            (Kind::LevelShift, Model::Orders { .. }) => {
                let multiple = if arng.unit() < 0.5 {
                    arng.range(0.55, 0.8)
                } else {
                    arng.range(1.25, 1.6)
                };
                effects.push(Effect::new(Channel::Level, Envelope::forever(t), multiple));
                format!("orders x{multiple:.2}")
            }
            (Kind::Stuck, Model::Pump { .. } | Model::Hvac { .. }) => {
                let on = arng.unit() < 0.5;
                let hold = match (shape, on) {
                    (Shape::Pump, true) => hours(&mut arng, 2.0, 6.0),
                    (Shape::Pump, false) => hours(&mut arng, 1.0, 3.0),
                    (_, true) => hours(&mut arng, 1.5, 4.0),
                    (_, false) => hours(&mut arng, 3.0, 12.0),
                };
                let size = if on { 1.0 } else { 0.0 };
                effects.push(Effect::new(
                    Channel::Relay,
                    Envelope::new(t, 0, hold, 0),
                    size,
                ));
                showing.push((anomalies.len(), effects.len() - 1));
                let what = if on { "on" } else { "off" };
                format!(
                    "stuck {what} for {} at its next switch",
                    duration_text(hold)
                )
            }
            (Kind::FrequencyChange, Model::Pump { .. }) => {
                let multiple = arng.range(0.2, 0.5);
                effects.push(Effect::new(Channel::Band, Envelope::forever(t), multiple));
                showing.push((anomalies.len(), effects.len() - 1));
                format!("switches' band x{multiple:.2}")
            }
            (Kind::Drift, Model::Pump { .. }) => {
                let multiple = arng.range(1.3, 2.5);
                let over = hours(&mut arng, 24.0, 96.0);
                let envelope = Envelope::linear(t, over, FOREVER);
                effects.push(Effect::new(Channel::Level, envelope, multiple));
                format!(
                    "running vibration to x{multiple:.2} over {}",
                    duration_text(over)
                )
            }
            (Kind::VarianceChange, Model::Pump { .. }) => {
                let multiple = arng.range(2.5, 5.0);
                effects.push(Effect::new(Channel::Noise, Envelope::forever(t), multiple));
                format!("running noise x{multiple:.2}")
            }
            (Kind::LostSeasonality, Model::Hvac { .. }) => {
                let envelope = Envelope::new(midnight, 0, DAY_S, 0);
                effects.push(Effect::new(Channel::Hold, envelope, 1.0));
                showing.push((anomalies.len(), effects.len() - 1));
                "held at comfort for a day".to_string()
            }
            (Kind::Drift, Model::Hvac { .. }) => {
                let delta = arng.sign() * arng.range(0.8, 2.5);
                let over = hours(&mut arng, 48.0, 120.0);
                let envelope = Envelope::linear(t, over, FOREVER);
                effects.push(Effect::new(Channel::Offset, envelope, delta));
                format!("reading {delta:+.2} °C over {}", duration_text(over))
            }
            (Kind::VarianceChange, Model::Hvac { .. }) => {
                let multiple = arng.range(2.5, 4.0);
                effects.push(Effect::new(Channel::Band, Envelope::forever(t), multiple));
                format!("thermostat band x{multiple:.2}")
            }
            (Kind::FrequencyChange, Model::Polling { bots, .. }) => {
                let (multiple, by) = arng.pick(&PERIOD_CHANGES);
                let size = multiple as f64 / by as f64;
                effects.push(Effect::new(Channel::Period, Envelope::forever(t), size));
                showing.push((anomalies.len(), effects.len() - 1));
                let period = bots[0].period * multiple / by;
                format!(
                    "a bot polling every {period} s instead of {} s",
                    bots[0].period
                )
            }
            (Kind::Stuck, Model::Polling { bots, .. }) => {
                effects.push(Effect::new(Channel::Stop, Envelope::forever(t), 0.0));
                showing.push((anomalies.len(), effects.len() - 1));
                format!("a bot polling every {} s stopped", bots[0].period)
            }
            (Kind::Spike, Model::Polling { rate, .. }) => {
                let multiple = arng.range(3.0, 15.0);
                let hold = hours(&mut arng, 1.0 / 6.0, 1.5).max(2 * step);
                let envelope = Envelope::new(t, 0, hold, 0);
                effects.push(Effect::new(Channel::Offset, envelope, multiple * rate));
                format!(
                    "a crawler at {:.0} a minute for {}",
                    multiple * rate,
                    duration_text(hold)
                )
            }
            (Kind::Stuck, Model::Lag { .. }) => {
                let hold = hours(&mut arng, 1.0 / 6.0, 4.0).max(3 * step);
                let envelope = Envelope::new(t, 0, hold, 0);
                effects.push(Effect::new(Channel::Capacity, envelope, 0.0));
                format!("replication stopped for {}", duration_text(hold))
            }
            (
                Kind::TrendChange,
                Model::Lag {
                    traffic, writes, ..
                },
            ) => {
                let hold = hours(&mut arng, 12.0, 36.0);
                let share = arng.range(0.6, 0.85);
                let busiest = (0..=hold / 300)
                    .map(|i| writes * traffic.at(clock.local(t + 300 * i)))
                    .fold(0.0, f64::max);
                let usual = factor(&base, Channel::Capacity, t);
                let envelope = Envelope::new(t, 0, hold, 0);
                let capacity = share * busiest / usual;
                effects.push(Effect::new(Channel::Capacity, envelope, capacity));
                showing.push((anomalies.len(), effects.len() - 1));
                format!(
                    "apply capacity at {share:.2} of the busiest writes ({:.3}) for {}",
                    share * busiest,
                    duration_text(hold)
                )
            }
            (Kind::Spike, Model::Lag { .. }) => {
                let above = arng.range(0.5, 2.0);
                let seconds = highest + above * span;
                let work = seconds * factor(&base, Channel::Capacity, t);
                let envelope = Envelope::new(t, 0, 0, 0);
                effects.push(Effect::new(Channel::Burst, envelope, work));
                format!("a transaction of {seconds:.0} s ({above:.2} span above the highest)")
            }
            (Kind::LevelShift, Model::Lag { .. }) => {
                let skew = arng.log_range(1.0, 10.0);
                effects.push(Effect::new(Channel::Offset, Envelope::forever(t), skew));
                format!("clock skew {skew:+.2} s")
            }
            _ => panic!("series {index}: no {kind:?} on {shape:?}"),
        };
        anomalies.push(Anomaly {
            kind,
            start: at,
            detail,
        });
    }

    // The series with its anomalies, and where those that cannot show at once show: the first
    // point where the noise-free series with that change alone differs from the one without it.
    let (values, _) = canvas.build(&effects, &edits);
    for (a, e) in showing {
        let alone: Vec<Effect> = base.iter().copied().chain([effects[e]]).collect();
        let (_, changed) = canvas.build(&alone, &[]);
        let drawn_at = anomalies[a].start;
        let shows = first_shown(index, drawn_at, n, reach, |i| {
            (changed[i] - normal_clean[i]).abs() > 0.0
        });
        mark_shown(&mut anomalies[a], shows, &times);
    }

    let points = stamped(&times, &values, step, plan.timing, &mut layout, |v| {
        model.read(v)
    });
    let windows = windows_of(&anomalies, half);
    let labels: Vec<&str> = plan.kinds.iter().map(|k| k.label()).collect();
    Series {
        name: series_name(index, shape, plan.minutes, &labels, plan.timing),
        plan: *plan,
        whole: model.whole(),
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
    assert!((40..=50).contains(&a.len()));
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
        let values: Vec<f64> = x.points.iter().map(|(_, v)| *v).collect();
        if plan.shape != Shape::Hvac {
            assert!(values.iter().all(|v| *v >= 0.0), "{}: negative", x.name);
        }
        if x.whole {
            assert!(
                values.iter().all(|v| v.fract() == 0.0),
                "{}: whole numbers",
                x.name
            );
        }
        if plan.shape == Shape::Errors {
            assert!(values.iter().all(|v| *v <= 1.0), "{}: a ratio", x.name);
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
        print_summary(&x.name, 40, &x.points, &x.anomalies, &x.windows, &x.benign);
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 5, 5);
    assert!(a.iter().filter(|s| s.anomalies.len() >= 3).count() >= 4);
    for length in [Length::Short, Length::Medium, Length::Long] {
        assert!(a.iter().filter(|s| s.plan.length == length).count() >= 8);
    }
    let points: usize = a.iter().map(|s| s.points.len()).sum();
    assert!(points <= 450_000, "{points} points");
}

#[test]
fn mixed_corpus_score_with_default_settings() {
    let started = Instant::now();
    let series = load();
    for s in &series {
        print_benign(&s.name, 40, &s.benign);
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
    let standard = score_and_report("mixed", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the mixed corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
