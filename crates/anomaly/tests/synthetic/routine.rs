//! An eighth test of the detector, written held out: a synthetic corpus of operational series
//! dominated by *schedules and routines*, which the `daily`, `varied`, `field`, `ops`, `mixed`,
//! `signals` and `brief` corpora have only in other forms (a weekly job, a nightly backup, a
//! batch job's runs) — a CI system's build queue with its nightly build matrix, a mail relay's
//! outbound queue with its daily digest and weekly newsletter, a hospital ward's occupied beds
//! under elective admissions and a daily discharge round, a school's uplink under its timetable,
//! term and nightly backup, a parking garage's free spaces under commuters and shoppers, a transit
//! station's ticket validations under its timetable, a cold store compressor's duty cycle under
//! its defrosts and deliveries and an irrigation main's flow under its programme — with anomalies
//! of the ways routines fail: a scheduled run that did not happen, one at the wrong time, one
//! lasting far longer, and level shifts, spikes, dips, stuck readings, variance changes and slow
//! leaks, among benign changes left unlabelled. It is generated here from fixed seeds (no data
//! file, no new dependency), run through the default `Detector` strictly online and scored by
//! this crate's NAB scorer as the other corpora are.
//!
//! **Written without tuning.** The shapes, kinds, benign changes, parameter ranges, series plan
//! and seeds were decided before the scoring test ever ran, and the detector was not run on these
//! series in any other way: the generator was checked only by its own test and the series it
//! prints (which changed the generator where it could not place a change, looped at a clock
//! change or carried work queued before a series into it, never in view of a score).
//! [`MINIMUM_STANDARD_SCORE`] was set from the first measurement (model versions 13 and 14, each
//! once, after version 14 was chosen): a floor against regressions, not a target.
//!
//! **Series.** 52, each from its index as seed; [`CORPUS`] lists them. 5 *short* of 1,500–3,000
//! points, 25 *medium* of 3,000–7,000 and 22 *long* of 7,000–12,000 (344,480 points in all); at
//! 1, 5, 10, 15, 30 or 60 minutes (from 1.8 days, a short 1-minute mail queue, to 10 months, a
//! long hourly ward). Each starts on a weekday and at a time of day drawn from its seed (in the
//! week from Monday 2029-09-03, UTC) and lives in a time zone drawn from UTC−8 to UTC+10; its
//! daily and weekly patterns and its job's runs follow local time. Eight report with jitter (each
//! timestamp up to 20 % of a step early or late); six miss points (0.3–1.5 % scattered and 1–3
//! stretches of 3–20; the process is simulated through a gap). Every shape but the garage is
//! simulated in steps of a minute (of 2 or 4 minutes at 30 or 60); queues, wards and garages read
//! their state at the point, traffic, duty and flow their mean over the interval, validations
//! their sum. Shapes, their parameters drawn from the seed:
//!
//! - *CI queue* (builds queued or running, whole): 4–40 build agents (log-uniform); developers'
//!   builds, Poisson, at 50–90 % of the agents' capacity at the busiest time (10:00–16:00; nights
//!   2–10 %, weekends 5–25 %, a log-scale wander σ 0.1–0.25 over 2–8 hours), each an exponential
//!   time of 5–25 minutes on average; every night at 00:00–03:55 local a build matrix queues 1–3
//!   times the agents' number of builds (±15 % a night), each 1–2 developer builds long, run on the
//!   agents the developers leave free;
//! - *mail queue* (messages queued, whole): a relay sending up to 200–3,000 a minute
//!   (log-uniform); transactional mail at 3–20 % of that at the busiest time (10:00–20:00; nights
//!   5–20 %, weekends 50–100 %, a wander σ 0.1–0.2 over 2–8 hours), sent the minute after it
//!   arrives; a daily digest at 05:00–09:00 local queueing 30–120 minutes of sending (±3 %) and a
//!   weekly newsletter on a weekday at 09:00–15:00 of 2–4 digests, both sent after the
//!   transactional mail; 1–4 % of what is sent deferred and retried 20–60 minutes later (a
//!   log-normal of σ 0.05–0.15 on what waits);
//! - *ward beds* (occupied beds, whole): 16–40 beds planned for 80–95 % occupancy; patients ready
//!   to leave after a log-normal stay (σ 0.5–0.8) around 2–7 days (at least 4 hours); 20–50 % of
//!   admissions elective, on weekdays from 07:00 to 09:00, the rest emergencies busiest at
//!   14:00–20:00 (nights 20–40 %, weekends 80–100 %, a wander σ 0.1–0.25 over 1–3 days); a full
//!   ward turns admissions away. Ready patients leave in the daily discharge round (from
//!   09:30–11:30 for 3–6 hours) at a hazard of 0.4–0.8 an hour, at weekends 30–60 % of that, and
//!   otherwise at 0.005–0.02 an hour;
//! - *school uplink* (Mbit/s, to 0.1, at most the uplink's 100, 200, 500 or 1,000): on school days
//!   5–7 lessons of 45, 50 or 60 minutes from 08:00–09:00, each using 15–50 % of the uplink times
//!   a log-normal (σ 0.2–0.4) of its own, changeovers of 5 or 10 minutes at half a lesson's use, a
//!   morning break of 15 or 20 minutes after the second lesson and lunch of 30–60 after the fourth
//!   at 40–80 %, staff before the first lesson (5–15 %), clubs after the last (5–20 %, fading over
//!   1½ hours); a floor of 1–4 % always (cameras, updates); a wander σ 0.05–0.15 over 30 minutes
//!   to 2 hours and a log-normal of σ 0.1–0.25 a minute; a nightly backup at 00:30–03:30 taking
//!   30–70 % of the uplink for 40–120 minutes (±20 %);
//! - *garage* (free spaces, whole): 150–1,200 spaces; commuters taking 40–70 % on weekdays,
//!   arriving around 07:30–08:45 (a normal spread of 30–60 minutes) and leaving around
//!   16:30–18:00 (45–90 minutes); shoppers 10–30 % at their busiest (11:00–15:00, a bell of 2½
//!   hours), Saturdays ×1.5–2.5, Sundays ×0.3–1; residents 2–8 %; a wander σ 0.03–0.08 over 2–8
//!   hours and noise of 0.3–0.7 square roots of the cars expected; full at times;
//! - *transit* (validations at a station in an interval, whole): 2–60 a minute at the morning peak
//!   (log-uniform, 07:30–08:15), an evening peak of 60–90 % of it at 17:00–17:45 and 30–50 %
//!   between; trains from 05:00–05:45 to 00:00–01:00 on weekdays (1½ hours later at weekends),
//!   every 4–10 minutes in the peaks, 10–20 by day and 15–30 in the evening and at weekends;
//!   30–70 % of passengers arrive in the three minutes before a departure (a comb at one minute);
//!   Saturdays 40–70 % and Sundays 25–50 % of a weekday's demand; a wander σ 0.05–0.12 over 1–4
//!   hours; negative binomial (gamma shape 10–50);
//! - *cold store* (the compressor's duty, the share of the interval it runs, to 0.001): 35–60 %
//!   at the day's mean outside temperature, ±5–15 % over the day (warmest at 15:00), +10–25 %
//!   while deliveries come in (from 05:00–07:00 for 2–4 hours, Monday to Saturday) and +5–20 % at
//!   dispatch (from 13:00–15:00 for 1–3 hours, weekdays), ice on the evaporator adding 0.5–1.5 %
//!   an hour since the last defrost, a wander σ 0.02–0.05 over 2–12 hours and noise σ 0.02–0.05
//!   a minute; defrosts every 6, 8 or 12 hours at fixed local times, off for 20–40 minutes while
//!   heaters add 30–60 % of its capacity's heat; after any stop it runs at full power until it
//!   has caught up (a pull-down);
//! - *irrigation* (L/min, to 0.1): a programme at 03:00–06:00 local, every day or (in half the
//!   series) every other day, watering 4–10 zones in turn for 8–25 minutes each at 20–150 L/min
//!   (log-uniform); hoses on weekdays from 08:00 to 17:00, 0–3 a day, 5–30 minutes each at 8–27
//!   L/min; flows times a wander σ 0.02–0.05 over 6–24 hours (pressure) and a noise σ of 1–3 % a
//!   minute. Mostly 0.
//!
//! **Benign changes**, not labelled (normal; what a good detector tolerates), all after probation,
//! at least a day before the end, a window's width clear of every anomaly's window (reach
//! included) and apart from each other:
//!
//! - *daylight saving* (16 series): the local clock one hour on or back from a Sunday 02:00, once;
//!   the daily patterns and the jobs' runs move with it (in UTC);
//! - *holiday* (16 series): a weekday from local midnight, for a day, as a Sunday (no developers
//!   or transactional peak, no electives and a weekend round, a Sunday timetable, no deliveries;
//!   12 series), or a school's half-term break, Monday to Friday (4 series);
//! - *rescheduled* (10 series): the job (a nightly build, a digest and newsletter, a backup, the
//!   defrosts, a programme) moved an hour later or earlier for good;
//! - *migration* (13 series): a permanent step: agents ×1.3–2 (a new build pool), sending ×1.5–3
//!   (a new relay), 2–6 beds more (a bay opened), school traffic ×1.15–1.4 (a new uplink and
//!   filter), spaces ×1.1–1.25 (a level reopened), demand ×1.15–1.4 (a new line), capacity
//!   ×1.2–1.5 (a new compressor), flows ×0.6–0.85 (low-flow nozzles).
//!
//! **Anomalies.** 70 in 44 series (5 with three, 16 with two); 8 series have none. Sizes said in
//! *spans* are of the series with its benign changes before the anomaly (0.1 to 99.9 percentile):
//!
//! - *missed*: the job's first run at or after the draw does not happen (a nightly build, a
//!   digest, a discharge round, a backup, a defrost, a programme; never a newsletter);
//! - *mistimed*: the job's first run starting 9 hours after the draw or later starts 3–9 hours
//!   late or early (a defrost 25–45 % of its period);
//! - *overrun*: the job's first run at or after the draw takes 3–6 times as long: matrix builds
//!   hanging, a digest throttled by its receivers, a backup, a defrost's heaters not terminating
//!   (and a longer pull-down), a programme's valves;
//! - *level shift*, to the end: agents lost (×0.4–0.7), a large provider deferring (deferred mail
//!   ×2.5–6), beds closed (×0.6–0.8), a garage's level closed (spaces ×0.7–0.85), a cold store's
//!   door seal broken (+10–25 % load), otherwise the level ×0.4–0.65 or ×1.5–2.2 (school traffic,
//!   transit demand);
//! - *spike*, for 1–3 points: builds re-triggered (0.8–2.5 spans arriving), spam from a
//!   compromised account (0.5–1.5 spans of messages), a major incident's 4–10 admissions (over 1–2
//!   hours, into escalation beds if the ward is full), +0.8–2 spans of traffic or flow, a garage
//!   counter's glitch (−0.5–1 span), an event's crowd at a station from 21:00 or 22:00 (demand
//!   ×4–10);
//! - *dip*, for half an hour to four hours (2–60 points): webhooks lost (builds ×0–0.1) from
//!   10:00–14:00 on a weekday, a school's uplink degraded (×0.05–0.3) from 09:00–13:00 on a
//!   weekday, a transit disruption (×0.05–0.3) from 07:00–18:00, an event filling a garage
//!   (+40–80 % of its spaces, coming and going over half an hour) from 18:00 or 19:00, a cold
//!   store's power cut (then its pull-down);
//! - *flatline*: repeating its last reading other than 0 for two hours to a day (6–150 points);
//! - *variance change*, to the end: the noise ×3–6 (deferred mail, school traffic, a garage's
//!   count, a station's over-dispersion, a compressor's duty; a flow's ×4–8);
//! - *leak*: a drift growing linearly over 1–4 days, then held: builds stuck or messages for a dead
//!   domain (+0.1–0.4 spans), school traffic (+0.1–0.3 spans: a host syncing), an exit loop
//!   missing cars (free spaces −0.15–0.4 spans), a pipe leaking (+0.03–0.1 spans of flow); a cold
//!   store's refrigerant leaking, its capacity ×0.6–0.8 over 2–6 days.
//!
//! Each anomaly is labelled where it shows: the first point at or after where it was drawn at
//! which the series with that anomaly alone (and its benign changes) reads differently from the
//! one without (every point draws its noise from its own seed, so the two differ only where the
//! anomaly acts and while the state it leaves differs).
//!
//! | shape (cadences) | missed | mistimed | overrun | shift | spike | dip | flatline | variance | leak | none |
//! |---|---|---|---|---|---|---|---|---|---|---|
//! | CI queue (5m 10m 15m) | 0 5 | 1 | 2 | 4 5 | 3 | 3 | 3 | | 1 2 | 6 |
//! | mail queue (1m 5m 10m) | 10 | 7 | 9 12 | 10 | 8 | | 11 | 9 | 10 | 13 |
//! | ward beds (15m 30m 1h) | 14 | 16 | | 15 | 15 | | 17 | | | 18 |
//! | school uplink (5m 10m 15m) | 19 | 20 | 21 | 23 | 22 | 19 24 | | 23 | 21 | 25 |
//! | garage (5m 10m 15m) | | | | 28 | 29 | 27 30 | 26 29 | 29 | 27 | 31 |
//! | transit (1m 5m 15m) | | | | 33 | 34 35 | 32 | 35 | 33 36 | | 37 |
//! | cold store (5m 10m 15m) | 38 41 | 39 43 | 40 | 43 | | 41 | 42 | 41 | 39 | 44 |
//! | irrigation (5m 10m 15m) | 45 50 | 46 49 | 45 48 | | 47 | | 48 | 49 | 47 49 | 51 |
//!
//! (Series indices, once per anomaly.)
//!
//! **Placement.** Each anomaly is drawn at a point, then shows there or later and is over within
//! its *reach* ([`Kind::reach`]: its longest duration, the wait for what it acts on — the job's
//! next run and the run moved or stretched, the busy hours a dip or a crowd is moved to, or the
//! quiet hours a change may not show in — and the time the series' state takes to settle). The
//! room runs from the later of the length class' first point (300, 600 or 1,000) and the first
//! point whose window clears NAB's probation (15 % of the series, at most 750 points) to the last
//! that leaves the reach and the window inside the series, cut into equal parts as the other
//! corpora cut it ([`place`]), so that windows never overlap and an anomaly's reach ends before
//! the next one's window.
//!
//! **Windows.** As NAB labels its corpus: a window of 10 % of the series length divided by the
//! number of its anomalies, centred on each anomaly's first point, i.e. rows
//! `start − half ..= start + half` with `half = n / 10 / k / 2`.
//!
//! **Scoring.** As the `varied`, `field`, `ops`, `mixed`, `signals` and `brief` corpora: NAB's
//! three profiles with one threshold for the whole corpus chosen on NAB's grid and the score at
//! the anomaly job's default threshold; per kind at the standard profile's corpus threshold the
//! score of the series holding it with only its windows, the windows caught, the false positives
//! and the delay of the first detection; per series the raw score and the highest score in each
//! window. The benign changes of each series are printed first.

use std::time::Instant;

use crate::common::{
    self, Anomaly, Benign, BenignRows, Clock, DAY_S, Envelope, HOUR_S, Hold, Labelled, Length,
    Reported, Rhythm, Rng, Timing, Wander, active, added, bump, check_benign, check_kinds,
    check_series, duration_text, factor, first_shown, first_time, half_width, hour_of, hours,
    is_weekend, local_text, mark_shown, missing_points, next_local, normal_cdf, place, plan,
    print_benign, print_summary, rows, score_and_report, series_name, smoothstep, span_before,
    stamped, view, wave, weekday, windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold. The corpus was
/// written without running the detector on it; first measured 2026-12-07: model version 13
/// 28.44, version 14 28.21 (docs/benchmarks.md).
const MINIMUM_STANDARD_SCORE: f64 = 28.0;

/// Monday 2029-09-03 00:00 UTC, in seconds since the epoch: the week the series start in.
const BASE_S: i64 = 1_883_088_000;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0x726f_0000_0000;
/// Time zones the series live in, in seconds ahead of UTC.
const TIME_ZONES: [i64; 9] = [
    -28_800, -18_000, -10_800, 0, 3_600, 7_200, 19_800, 32_400, 36_000,
];

/// Benign change: the local clock moves by an hour once.
const DST: u8 = 1;
/// Benign change: a public holiday (a weekday as a Sunday), or a school's half-term break.
const HOLIDAY: u8 = 2;
/// Benign change: the routine job moved by an hour once, for good.
const RESCHEDULE: u8 = 4;
/// Benign change: a permanent step after a planned migration.
const MIGRATION: u8 = 8;

/// The fewest and most points of a short, a medium and a long series.
const POINTS: [(usize, usize); 3] = [(1_500, 3_000), (3_000, 7_000), (7_000, 12_000)];

/// The most an overrun stretches a run.
const MAX_STRETCH: f64 = 6.0;
/// The most a mistimed run moves (cold stores' defrosts less), and how long after its draw the
/// run it moves starts at the earliest.
const MAX_MOVE_S: i64 = 9 * HOUR_S;
/// The longest a run can last, stretched: how far back a render looks for runs still on.
const RUN_SPAN_S: i64 = 2 * DAY_S;

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A CI system's builds queued or running.
    Ci,
    /// A mail relay's outbound queue, messages.
    Mail,
    /// A hospital ward's occupied beds.
    Beds,
    /// A school's uplink traffic, Mbit/s.
    School,
    /// A parking garage's free spaces.
    Parking,
    /// Ticket validations at a transit station in an interval.
    Transit,
    /// A cold store compressor's duty cycle, the share of the interval it runs.
    Cold,
    /// An irrigation main's flow, L/min over the interval.
    Irrigation,
}

impl Shape {
    /// The benign changes the shape can have.
    fn benign(self) -> u8 {
        match self {
            Shape::Ci | Shape::Mail | Shape::School | Shape::Cold => {
                DST | HOLIDAY | RESCHEDULE | MIGRATION
            }
            Shape::Beds | Shape::Parking | Shape::Transit => DST | HOLIDAY | MIGRATION,
            Shape::Irrigation => DST | RESCHEDULE | MIGRATION,
        }
    }

    /// The kinds of anomaly the shape can have.
    fn kinds(self) -> &'static [Kind] {
        use Kind::{
            Dip, Flatline, Leak, LevelShift, Missed, Mistimed, Overrun, Spike, VarianceChange,
        };
        match self {
            Shape::Ci => &[
                Missed, Mistimed, Overrun, LevelShift, Spike, Dip, Flatline, Leak,
            ],
            Shape::Mail | Shape::Irrigation => &[
                Missed,
                Mistimed,
                Overrun,
                LevelShift,
                Spike,
                Flatline,
                VarianceChange,
                Leak,
            ],
            Shape::Beds => &[Missed, Mistimed, LevelShift, Spike, Flatline],
            Shape::School => &[
                Missed,
                Mistimed,
                Overrun,
                LevelShift,
                Spike,
                Dip,
                Flatline,
                VarianceChange,
                Leak,
            ],
            Shape::Parking => &[LevelShift, Spike, Dip, Flatline, VarianceChange, Leak],
            Shape::Transit => &[LevelShift, Spike, Dip, Flatline, VarianceChange],
            Shape::Cold => &[
                Missed,
                Mistimed,
                Overrun,
                LevelShift,
                Dip,
                Flatline,
                VarianceChange,
                Leak,
            ],
        }
    }

    /// Whether it reads whole numbers.
    fn whole(self) -> bool {
        matches!(
            self,
            Shape::Ci | Shape::Mail | Shape::Beds | Shape::Parking | Shape::Transit
        )
    }

    /// A value as the series reports it, to its resolution.
    fn read(self, v: f64) -> f64 {
        let unit = match self {
            Shape::School | Shape::Irrigation => 0.1,
            Shape::Cold => 0.001,
            _ => 1.0,
        };
        // Adding 0 makes a rounded −0 read 0.
        (v / unit).round() * unit + 0.0
    }

    /// Its routine job, for the report; `None` without one.
    fn job(self) -> Option<&'static str> {
        match self {
            Shape::Ci => Some("nightly build"),
            Shape::Mail => Some("digest"),
            Shape::Beds => Some("discharge round"),
            Shape::School => Some("nightly backup"),
            Shape::Cold => Some("defrost"),
            Shape::Irrigation => Some("irrigation programme"),
            Shape::Parking | Shape::Transit => None,
        }
    }

    /// The longest time between two runs of its job, seconds (0 without one).
    fn period(self) -> i64 {
        match self {
            Shape::Ci | Shape::Mail | Shape::Beds | Shape::School => DAY_S,
            Shape::Cold => 12 * HOUR_S,
            Shape::Irrigation => 2 * DAY_S,
            Shape::Parking | Shape::Transit => 0,
        }
    }

    /// The longest time it can read the same whether or not a change acts (nights without
    /// builds or trains, a ward between admissions and rounds, a main between programmes),
    /// seconds: how long a change may take to show.
    fn quiet(self) -> i64 {
        match self {
            Shape::Ci => DAY_S,
            Shape::Beds => 2 * DAY_S,
            Shape::Irrigation => 2 * DAY_S + 12 * HOUR_S,
            Shape::Transit => 7 * HOUR_S,
            Shape::Mail | Shape::School | Shape::Parking | Shape::Cold => 2 * HOUR_S,
        }
    }

    /// How long its state takes to settle after a change is over (a queue draining, patients
    /// admitted in a surge staying, a cold store pulling down), seconds.
    fn settle(self) -> i64 {
        match self {
            Shape::Ci | Shape::Mail | Shape::Cold => 6 * HOUR_S,
            Shape::Beds => 4 * DAY_S,
            Shape::School | Shape::Parking | Shape::Transit | Shape::Irrigation => 0,
        }
    }

    /// How many steps a point is simulated in: one a minute, at most 15 (one for a garage,
    /// read at its point).
    fn subs(self, step: i64) -> i64 {
        if self == Shape::Parking {
            1
        } else {
            (step / 60).clamp(1, 15)
        }
    }

    /// How a point reads its steps.
    fn reading(self) -> Reading {
        match self {
            Shape::Ci | Shape::Mail | Shape::Beds | Shape::Parking => Reading::Last,
            Shape::School | Shape::Cold | Shape::Irrigation => Reading::Mean,
            Shape::Transit => Reading::Sum,
        }
    }
}

/// How a point reads the steps it is simulated in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    /// The state at the point: a queue, a ward, a garage.
    Last,
    /// The mean over the interval: traffic, a duty cycle, a flow.
    Mean,
    /// The sum over the interval: validations.
    Sum,
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A scheduled run of the routine job that did not happen.
    Missed,
    /// A scheduled run of the routine job at the wrong time.
    Mistimed,
    /// A run of the routine job lasting far longer.
    Overrun,
    /// The level, a capacity or a load moving, for good.
    LevelShift,
    /// One to three points far off (a burst of arrivals on a queue or a ward).
    Spike,
    /// The level collapsing for half an hour to four hours, then back.
    Dip,
    /// Repeating its last reading other than 0 for a while.
    Flatline,
    /// The noise growing, for good.
    VarianceChange,
    /// A slow leak: a drift growing linearly for days, then held.
    Leak,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 10] = [
    Kind::Missed,
    Kind::Mistimed,
    Kind::Overrun,
    Kind::LevelShift,
    Kind::Spike,
    Kind::Dip,
    Kind::Flatline,
    Kind::VarianceChange,
    Kind::Leak,
    Kind::None,
];

impl Kind {
    /// Short name, for series names.
    fn label(self) -> &'static str {
        match self {
            Kind::Missed => "missed",
            Kind::Mistimed => "mistimed",
            Kind::Overrun => "overrun",
            Kind::LevelShift => "shift",
            Kind::Spike => "spike",
            Kind::Dip => "dip",
            Kind::Flatline => "flatline",
            Kind::VarianceChange => "variance",
            Kind::Leak => "leak",
            Kind::None => "none",
        }
    }

    /// Whether it acts on the routine job's runs.
    fn job(self) -> bool {
        matches!(self, Kind::Missed | Kind::Mistimed | Kind::Overrun)
    }

    /// The fewest and most points it lasts on a series of `step`-second points (0 for a change
    /// of a run or to the end): a spike 1–3, a dip half an hour to four hours (2–60 points), a
    /// flatline two hours to a day (6–150 points).
    fn duration(self, step: i64) -> (usize, usize) {
        match self {
            Kind::Spike => (1, 3),
            Kind::Dip => {
                let low = rows(HOUR_S / 2, step).max(2);
                (low, rows(4 * HOUR_S, step).clamp(low, 60))
            }
            Kind::Flatline => {
                let low = rows(2 * HOUR_S, step).clamp(6, 150);
                (low, rows(DAY_S, step).clamp(low, 150))
            }
            _ => (0, 0),
        }
    }

    /// The most points an anomaly of this kind is allowed after its drawn point, on a series of
    /// `shape` and `step`-second points whose job's runs last at most `longest` seconds, to show
    /// and be over: for a job's run, the wait for the run after the draw (one the mistimed
    /// kind moves starts 9 hours after the draw at the earliest) and the run moved or stretched;
    /// for a dip or spike moved to the busy hours it strikes in, the wait for them; otherwise
    /// its duration and the time the shape may read the same either way; then the time its
    /// state takes to settle.
    fn reach(self, shape: Shape, step: i64, longest: i64) -> usize {
        let wait = if self.job() {
            shape.period() + 2 * MAX_MOVE_S + (MAX_STRETCH * longest as f64) as i64
        } else {
            match (shape, self) {
                (Shape::Ci | Shape::School, Kind::Dip) => 3 * DAY_S + 4 * HOUR_S,
                (Shape::Transit, Kind::Spike | Kind::Dip) | (Shape::Parking, Kind::Dip) => {
                    DAY_S + 4 * HOUR_S
                }
                _ => shape.quiet(),
            }
        };
        self.duration(step).1 + rows(wait + shape.settle(), step).max(4)
    }
}

/// One series of the corpus as planned.
type Plan = common::Plan<Shape, Kind>;

/// The corpus; the seed is the series' index.
#[rustfmt::skip]
const CORPUS: [Plan; 52] = {
    use Kind::{
        Dip, Flatline, Leak, LevelShift as Shift, Missed, Mistimed, Overrun, Spike,
        VarianceChange as Variance,
    };
    use Length::{Long, Medium, Short};
    use Shape::{Beds, Ci, Cold, Irrigation as Irrig, Mail, Parking, School, Transit};
    use Timing::{Jitter, Missing, Regular};
    [
        //   shape    min  length  timing   benign changes              anomalies
        plan(Ci,      5,   Medium, Regular, DST | RESCHEDULE,           &[Missed]),
        plan(Ci,      10,  Long,   Regular, HOLIDAY,                    &[Mistimed, Leak]),
        plan(Ci,      15,  Medium, Jitter,  MIGRATION,                  &[Overrun, Leak]),
        plan(Ci,      5,   Long,   Regular, DST | HOLIDAY,              &[Spike, Dip, Flatline]),
        plan(Ci,      10,  Short,  Regular, 0,                          &[Shift]),
        plan(Ci,      15,  Medium, Missing, RESCHEDULE | MIGRATION,     &[Missed, Shift]),
        plan(Ci,      5,   Medium, Regular, DST,                        &[]),
        plan(Mail,    5,   Long,   Regular, DST,                        &[Mistimed]),
        plan(Mail,    1,   Medium, Regular, 0,                          &[Spike]),
        plan(Mail,    10,  Long,   Regular, RESCHEDULE | HOLIDAY,       &[Overrun, Variance]),
        plan(Mail,    5,   Long,   Jitter,  MIGRATION,                  &[Missed, Leak, Shift]),
        plan(Mail,    1,   Short,  Regular, 0,                          &[Flatline]),
        plan(Mail,    10,  Medium, Missing, DST | RESCHEDULE,           &[Overrun]),
        plan(Mail,    5,   Medium, Regular, HOLIDAY,                    &[]),
        plan(Beds,    30,  Medium, Regular, HOLIDAY,                    &[Missed]),
        plan(Beds,    60,  Long,   Regular, DST | MIGRATION,            &[Spike, Shift]),
        plan(Beds,    15,  Medium, Jitter,  0,                          &[Mistimed]),
        plan(Beds,    60,  Medium, Regular, HOLIDAY,                    &[Flatline]),
        plan(Beds,    30,  Long,   Regular, MIGRATION,                  &[]),
        plan(School,  5,   Long,   Regular, HOLIDAY,                    &[Missed, Dip]),
        plan(School,  10,  Medium, Regular, DST,                        &[Mistimed]),
        plan(School,  15,  Long,   Regular, HOLIDAY | RESCHEDULE,       &[Overrun, Leak]),
        plan(School,  5,   Medium, Jitter,  0,                          &[Spike]),
        plan(School,  10,  Long,   Missing, HOLIDAY | MIGRATION,        &[Variance, Shift]),
        plan(School,  15,  Medium, Regular, 0,                          &[Dip]),
        plan(School,  10,  Medium, Regular, DST | HOLIDAY,              &[]),
        plan(Parking, 5,   Medium, Regular, HOLIDAY,                    &[Flatline]),
        plan(Parking, 10,  Long,   Regular, DST | MIGRATION,            &[Leak, Dip]),
        plan(Parking, 15,  Short,  Regular, 0,                          &[Shift]),
        plan(Parking, 5,   Long,   Jitter,  HOLIDAY,                    &[Variance, Spike, Flatline]),
        plan(Parking, 10,  Medium, Regular, DST,                        &[Dip]),
        plan(Parking, 15,  Medium, Missing, MIGRATION,                  &[]),
        plan(Transit, 1,   Medium, Regular, 0,                          &[Dip]),
        plan(Transit, 5,   Long,   Regular, DST | HOLIDAY,              &[Shift, Variance]),
        plan(Transit, 15,  Medium, Regular, MIGRATION,                  &[Spike]),
        plan(Transit, 1,   Long,   Jitter,  0,                          &[Flatline, Spike]),
        plan(Transit, 5,   Short,  Regular, HOLIDAY,                    &[Variance]),
        plan(Transit, 15,  Long,   Regular, DST,                        &[]),
        plan(Cold,    5,   Medium, Regular, RESCHEDULE,                 &[Missed]),
        plan(Cold,    10,  Long,   Regular, HOLIDAY | MIGRATION,        &[Leak, Mistimed]),
        plan(Cold,    15,  Medium, Regular, DST,                        &[Overrun]),
        plan(Cold,    5,   Long,   Jitter,  RESCHEDULE | HOLIDAY,       &[Dip, Variance, Missed]),
        plan(Cold,    10,  Short,  Regular, 0,                          &[Flatline]),
        plan(Cold,    15,  Long,   Missing, MIGRATION,                  &[Mistimed, Shift]),
        plan(Cold,    10,  Medium, Regular, DST | RESCHEDULE,           &[]),
        plan(Irrig,   5,   Long,   Regular, DST | RESCHEDULE,           &[Missed, Overrun]),
        plan(Irrig,   10,  Medium, Regular, 0,                          &[Mistimed]),
        plan(Irrig,   15,  Long,   Regular, MIGRATION,                  &[Leak, Spike]),
        plan(Irrig,   5,   Long,   Jitter,  RESCHEDULE,                 &[Overrun, Flatline]),
        plan(Irrig,   10,  Long,   Regular, DST,                        &[Variance, Leak, Mistimed]),
        plan(Irrig,   15,  Medium, Missing, 0,                          &[Missed]),
        plan(Irrig,   10,  Medium, Regular, MIGRATION,                  &[]),
    ]
};

/// What an effect acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    /// A factor on the level: arrivals, deferrals, traffic, demand, flows.
    Level,
    /// A factor on a capacity: build agents, a relay's send rate, beds, spaces, a compressor.
    Capacity,
    /// A factor on the noise.
    Noise,
    /// Added to the reading.
    Extra,
    /// Added arrivals: builds, messages or patients a second; cars parked in a garage.
    Inflow,
    /// Added to a cold store's load, as a share of its compressor's capacity.
    Load,
    /// A compressor without power.
    Off,
    /// The last reading other than 0 repeated.
    Hold,
    /// The day as a Sunday (a school's days as weekend days).
    Holiday,
}

/// A change rendered into a series.
type Effect = common::Effect<Channel>;

/// The effects on at a moment, read.
#[derive(Debug, Clone, Copy)]
struct Fx {
    /// The level's factor.
    level: f64,
    /// The capacity's factor.
    capacity: f64,
    /// The noise's factor.
    noise: f64,
    /// Load added.
    load: f64,
    /// Arrivals added.
    inflow: f64,
    /// Whether the power is off.
    off: bool,
    /// Whether it is a holiday.
    holiday: bool,
}

impl Fx {
    /// The effects of `effects` at UTC second `t`.
    fn at(effects: &[Effect], t: i64) -> Fx {
        Fx {
            level: factor(effects, Channel::Level, t),
            capacity: factor(effects, Channel::Capacity, t),
            noise: factor(effects, Channel::Noise, t),
            load: added(effects, Channel::Load, t),
            inflow: added(effects, Channel::Inflow, t),
            off: active(effects, Channel::Off, t).is_some(),
            holiday: active(effects, Channel::Holiday, t).is_some(),
        }
    }
}

/// A school's day: lessons, changeovers, a morning break and lunch.
#[derive(Debug, Clone, Copy)]
struct Timetable {
    /// Local hour the first lesson starts.
    start: f64,
    /// Hours a lesson lasts.
    lesson: f64,
    /// Hours between two lessons.
    change: f64,
    /// Lessons a day.
    periods: usize,
    /// Hours of the morning break, after the second lesson.
    pause: f64,
    /// Hours of lunch, after the fourth lesson.
    lunch: f64,
}

/// Where a local hour falls in a school day.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    /// Before the first lesson.
    Before,
    /// In a lesson, of this index.
    Lesson(usize),
    /// Between two lessons.
    Change,
    /// In the morning break or at lunch.
    Break,
    /// After the last lesson, by so many hours.
    After(f64),
}

impl Timetable {
    /// Where local hour `hour` falls.
    fn part(&self, hour: f64) -> Part {
        if hour < self.start {
            return Part::Before;
        }
        let mut t = self.start;
        for p in 0..self.periods {
            t += self.lesson;
            if hour < t {
                return Part::Lesson(p);
            }
            if p + 1 == self.periods {
                break;
            }
            let (gap, part) = match p + 1 {
                2 => (self.pause, Part::Break),
                4 => (self.lunch, Part::Break),
                _ => (self.change, Part::Change),
            };
            t += gap;
            if hour < t {
                return part;
            }
        }
        Part::After(hour - t)
    }
}

/// A recurring run of a series' job, at a local time on some weekdays.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Local minute of the day it starts.
    minute: i64,
    /// The weekdays it runs on, Monday 0, inclusive.
    days: (i64, i64),
    /// Every other day only: the parity of the local day it runs on.
    parity: Option<i64>,
    /// What a run brings: builds or messages queued, a share of a round's hazard or of an
    /// uplink, a flow's factor.
    size: f64,
    /// Seconds a run lasts (0 for queued work, which lasts as long as it takes).
    length: i64,
    /// How much a run's size (queued work) or length varies, ±.
    vary: f64,
    /// Whether an anomaly may act on its runs (not a mail relay's weekly newsletter).
    target: bool,
}

/// One run of a series' job.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run {
    /// UTC second it starts.
    start: i64,
    /// Seconds it lasts, unstretched (0 for queued work).
    length: i64,
    /// As its slot's size, varied.
    size: f64,
    /// How many times as long it takes (1; more in an overrun).
    stretch: f64,
    /// Whether it runs (not where one was missed).
    on: bool,
    /// Its slot's index.
    slot: usize,
}

impl Run {
    /// Seconds it lasts, stretched.
    fn span(&self) -> i64 {
        (self.length as f64 * self.stretch) as i64
    }
}

/// What an anomaly does to a run.
#[derive(Debug, Clone, Copy)]
enum RunEdit {
    /// It does not run.
    Skip,
    /// It starts so many seconds later (earlier if negative).
    Move(i64),
    /// It takes so many times as long.
    Stretch(f64),
}

impl RunEdit {
    /// `run` edited.
    fn apply(self, run: &mut Run) {
        match self {
            RunEdit::Skip => run.on = false,
            RunEdit::Move(seconds) => run.start += seconds,
            RunEdit::Stretch(times) => run.stretch = times,
        }
    }
}

/// The runs of `slots` from UTC second `from` to `to` under `clock`, sorted, each varied by a
/// draw from `rng`.
fn routine(slots: &[Slot], clock: &Clock, from: i64, to: i64, rng: &mut Rng) -> Vec<Run> {
    let mut runs = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let (hour, minute) = (slot.minute / 60, slot.minute % 60);
        let mut t = from;
        loop {
            let days = slot.days.0..=slot.days.1;
            let start = next_local(t - minute * 60, clock, hour, days) + minute * 60;
            if start > to {
                break;
            }
            if start < t {
                // A local time the clock skipped, mapped back before `t`: on to the next.
                t += HOUR_S;
                continue;
            }
            let day = clock.local(start).div_euclid(DAY_S);
            if slot.parity.is_none_or(|p| day.rem_euclid(2) == p) {
                let vary = 1.0 + slot.vary * rng.range(-1.0, 1.0);
                let (size, length) = if slot.length == 0 {
                    (slot.size * vary, 0)
                } else {
                    (slot.size, (slot.length as f64 * vary) as i64)
                };
                runs.push(Run {
                    start,
                    length,
                    size,
                    stretch: 1.0,
                    on: true,
                    slot: index,
                });
            }
            t = start + 60;
        }
    }
    runs.sort_by_key(|r| r.start);
    runs
}

/// A series' process, its parameters drawn from its seed.
#[derive(Debug, Clone)]
enum Model {
    /// A CI system's builds queued or running.
    Ci {
        /// Build agents.
        agents: f64,
        /// Mean seconds a developer's build takes.
        build: f64,
        /// The developers' rhythm.
        rhythm: Rhythm,
        /// Builds a second at the busiest time.
        rate: f64,
        /// Seconds a nightly matrix build takes.
        matrix: f64,
    },
    /// A mail relay's outbound queue.
    Mail {
        /// Messages a second it sends at most.
        send: f64,
        /// The senders' rhythm.
        rhythm: Rhythm,
        /// Transactional messages a second at the busiest time.
        rate: f64,
        /// The share of messages sent that are deferred.
        defer: f64,
        /// Seconds a deferred message waits for its retry.
        retry: f64,
        /// Log-scale noise of the deferred messages.
        sigma: f64,
    },
    /// A hospital ward.
    Beds {
        /// Beds.
        beds: f64,
        /// The share of beds occupied it is planned for (and starts at).
        occupancy: f64,
        /// Mean seconds a patient stays until ready to leave.
        stay: f64,
        /// Log-scale spread of the stays.
        spread: f64,
        /// Elective admissions a weekday, from 07:00 to 09:00.
        electives: f64,
        /// Emergency admissions a second at the busiest time.
        emergency: f64,
        /// The emergencies' rhythm.
        rhythm: Rhythm,
        /// Hazard a second of a ready patient leaving in a round.
        within: f64,
        /// Hazard a second of a ready patient leaving outside the rounds.
        outside: f64,
        /// A weekend round's share of the hazard.
        weekend: f64,
    },
    /// A school's uplink.
    School {
        /// Its capacity, Mbit/s.
        uplink: f64,
        /// The school day.
        table: Timetable,
        /// The uplink's typical share used in a lesson.
        lesson: f64,
        /// Log-scale spread of the lessons' use.
        spread: f64,
        /// A break's share of a lesson's use.
        pause: f64,
        /// The share used before the first lesson.
        early: f64,
        /// The share used just after the last one.
        evening: f64,
        /// The share always used (cameras, updates).
        floor: f64,
        /// Log-scale noise a minute.
        sigma: f64,
        /// Seeds each lesson's use.
        salt: u64,
    },
    /// A parking garage.
    Parking {
        /// Spaces.
        spaces: f64,
        /// The share of spaces commuters take on a weekday.
        commuters: f64,
        /// Commuters' arrival: mean local hour and its spread, hours.
        arrive: (f64, f64),
        /// Commuters' departure: mean local hour and its spread, hours.
        leave: (f64, f64),
        /// The share shoppers take at the busiest time of a weekday.
        shoppers: f64,
        /// Their busiest local hour.
        busiest: f64,
        /// Saturday's shoppers against a weekday's.
        saturday: f64,
        /// Sunday's shoppers against a weekday's.
        sunday: f64,
        /// The share residents take.
        residents: f64,
        /// Noise, in square roots of the cars expected.
        noise: f64,
    },
    /// A transit station's ticket validations.
    Transit {
        /// Validations a minute at the morning peak.
        rate: f64,
        /// Local hour of the morning peak.
        am: f64,
        /// Local hour and size of the evening peak.
        pm: (f64, f64),
        /// The share of the day's demand between the peaks.
        midday: f64,
        /// Local hour of the first train on weekdays.
        open: f64,
        /// Local hour of the last (after midnight: 24 and more).
        close: f64,
        /// Minutes between trains: in the peaks, by day, in the evening and at weekends.
        headways: [f64; 4],
        /// The share of passengers timing their arrival to a train.
        timed: f64,
        /// Saturday's demand against a weekday's.
        saturday: f64,
        /// Sunday's demand against a weekday's.
        sunday: f64,
        /// Gamma shape of the over-dispersion.
        shape: f64,
    },
    /// A cold store's compressor.
    Cold {
        /// Duty at the day's mean outside temperature.
        base: f64,
        /// Its swing over the day.
        swing: f64,
        /// Deliveries: local start, hours, duty added (Monday to Saturday).
        deliveries: (f64, f64, f64),
        /// Dispatch: local start, hours, duty added (Monday to Friday).
        dispatch: (f64, f64, f64),
        /// The evaporator's ice: load added an hour since the last defrost.
        ice: f64,
        /// Heat a defrost's heaters add, as a share of the compressor's capacity.
        heater: f64,
        /// Noise of the duty a minute.
        sigma: f64,
    },
    /// An irrigation main.
    Irrigation {
        /// The programme's zones in order: flow (L/min) and minutes.
        zones: Vec<(f64, f64)>,
        /// Hoses used a weekday, 08:00–17:00.
        hoses: f64,
        /// A hose's flow, lowest and highest, L/min.
        hose: (f64, f64),
        /// Relative noise of a flow a minute.
        sigma: f64,
    },
}

/// A moment a series is simulated at.
#[derive(Debug, Clone, Copy)]
struct Moment {
    /// UTC second.
    tau: i64,
    /// Local second.
    local: i64,
    /// Seconds since the last.
    dt: f64,
    /// The wander.
    w: f64,
    /// The job's run on, if any (not queued work).
    on: Option<Run>,
}

/// What a simulated series carries from one moment to the next.
#[derive(Debug, Clone)]
struct State {
    /// Builds in the system, or messages waiting.
    count: f64,
    /// Queued work of runs not finished: builds or messages left and the pace.
    work: Vec<(f64, f64)>,
    /// The UTC seconds each patient is ready to leave.
    patients: Vec<i64>,
    /// Messages sent a second, lately.
    recent: f64,
    /// Seconds a compressor must run at full power to catch up.
    debt: f64,
    /// When a compressor last defrosted.
    since: i64,
    /// A hose running until a UTC second, and its flow.
    hose: (i64, f64),
}

impl State {
    /// The state of a series starting at `t0` (a ward's patients drawn from `rng`).
    fn new(model: &Model, t0: i64, rng: &mut Rng) -> State {
        let patients = match model {
            Model::Beds {
                beds,
                occupancy,
                stay,
                ..
            } => (0..(beds * occupancy).round() as usize)
                .map(|_| t0 + (1.5 * stay * rng.unit()) as i64)
                .collect(),
            _ => Vec::new(),
        };
        State {
            count: 0.0,
            work: Vec::new(),
            patients,
            recent: 0.0,
            debt: 0.0,
            since: t0,
            hose: (t0, 0.0),
        }
    }

    /// A run of queued work starting.
    fn start(&mut self, run: &Run) {
        if run.length == 0 {
            self.work.push((run.size, 1.0 / run.stretch));
        }
    }
}

impl Model {
    /// A model of `shape` with its parameters drawn, its job's slots and its wander's time
    /// constant (s) and standard deviation (log-scale).
    fn draw(shape: Shape, rng: &mut Rng) -> (Model, Vec<Slot>, (f64, f64)) {
        let h = HOUR_S as f64;
        let day = DAY_S as f64;
        match shape {
            Shape::Ci => {
                let agents = rng.log_range(4.0, 40.0).round();
                let build = rng.range(5.0, 25.0) * 60.0;
                let model = Model::Ci {
                    agents,
                    build,
                    rhythm: Rhythm::draw(rng, (10.0, 16.0), (0.02, 0.1), (0.05, 0.25)),
                    rate: rng.range(0.5, 0.9) * agents / build,
                    matrix: build * rng.range(1.0, 2.0),
                };
                let slot = Slot {
                    minute: rng.below(48) as i64 * 5,
                    days: (0, 6),
                    parity: None,
                    size: (agents * rng.range(1.0, 3.0)).round(),
                    length: 0,
                    vary: 0.15,
                    target: true,
                };
                let wander = (rng.range(2.0, 8.0) * h, rng.range(0.1, 0.25));
                (model, vec![slot], wander)
            }
            Shape::Mail => {
                let send = rng.log_range(200.0, 3_000.0) / 60.0;
                let model = Model::Mail {
                    send,
                    rhythm: Rhythm::draw(rng, (10.0, 20.0), (0.05, 0.2), (0.5, 1.0)),
                    rate: send * rng.range(0.03, 0.2),
                    defer: rng.range(0.01, 0.04),
                    retry: rng.range(20.0, 60.0) * 60.0,
                    sigma: rng.range(0.05, 0.15),
                };
                let digest = (send * rng.range(30.0, 120.0) * 60.0).round();
                let daily = Slot {
                    minute: 300 + rng.below(49) as i64 * 5,
                    days: (0, 6),
                    parity: None,
                    size: digest,
                    length: 0,
                    vary: 0.03,
                    target: true,
                };
                let on = rng.below(7) as i64;
                let weekly = Slot {
                    minute: 540 + rng.below(73) as i64 * 5,
                    days: (on, on),
                    parity: None,
                    size: (digest * rng.range(2.0, 4.0)).round(),
                    length: 0,
                    vary: 0.05,
                    target: false,
                };
                let wander = (rng.range(2.0, 8.0) * h, rng.range(0.1, 0.2));
                (model, vec![daily, weekly], wander)
            }
            Shape::Beds => {
                let beds = (16 + rng.below(25)) as f64;
                let occupancy = rng.range(0.8, 0.95);
                let stay = rng.range(2.0, 7.0) * day;
                let spread = rng.range(0.5, 0.8);
                // Admissions a day that keep the ward at its occupancy.
                let daily = beds * occupancy * day / stay;
                let electives = daily * rng.range(0.2, 0.5) * 7.0 / 5.0;
                let rhythm = Rhythm::draw(rng, (14.0, 20.0), (0.2, 0.4), (0.8, 1.0));
                // The rhythm's mean over a day, roughly.
                let mean = rhythm.night + (1.0 - rhythm.night) * 0.4;
                let emergency = (daily - electives * 5.0 / 7.0).max(0.5) / (day * mean);
                let within = rng.range(0.4, 0.8) / h;
                let outside = rng.range(0.005, 0.02) / h;
                let weekend = rng.range(0.3, 0.6);
                let minute = 570 + rng.below(25) as i64 * 5;
                let length = hours(rng, 3.0, 6.0);
                let round = |days, size| Slot {
                    minute,
                    days,
                    parity: None,
                    size,
                    length,
                    vary: 0.0,
                    target: true,
                };
                let slots = vec![round((0, 4), 1.0), round((5, 6), weekend)];
                let model = Model::Beds {
                    beds,
                    occupancy,
                    stay,
                    spread,
                    electives,
                    emergency,
                    rhythm,
                    within,
                    outside,
                    weekend,
                };
                let wander = (rng.range(1.0, 3.0) * day, rng.range(0.1, 0.25));
                (model, slots, wander)
            }
            Shape::School => {
                let model = Model::School {
                    uplink: rng.pick(&[100.0, 200.0, 500.0, 1_000.0]),
                    table: Timetable {
                        start: 8.0 + rng.below(5) as f64 * 0.25,
                        lesson: rng.pick(&[45.0, 50.0, 60.0]) / 60.0,
                        change: rng.pick(&[5.0, 10.0]) / 60.0,
                        periods: 5 + rng.below(3),
                        pause: rng.pick(&[15.0, 20.0]) / 60.0,
                        lunch: rng.pick(&[30.0, 45.0, 60.0]) / 60.0,
                    },
                    lesson: rng.range(0.15, 0.5),
                    spread: rng.range(0.2, 0.4),
                    pause: rng.range(0.4, 0.8),
                    early: rng.range(0.05, 0.15),
                    evening: rng.range(0.05, 0.2),
                    floor: rng.range(0.01, 0.04),
                    sigma: rng.range(0.1, 0.25),
                    salt: rng.next_u64(),
                };
                let slot = Slot {
                    minute: 30 + rng.below(37) as i64 * 5,
                    days: (0, 6),
                    parity: None,
                    size: rng.range(0.3, 0.7),
                    length: hours(rng, 2.0 / 3.0, 2.0),
                    vary: 0.2,
                    target: true,
                };
                let wander = (rng.range(0.5, 2.0) * h, rng.range(0.05, 0.15));
                (model, vec![slot], wander)
            }
            Shape::Parking => {
                let model = Model::Parking {
                    spaces: rng.range(15.0, 120.0).round() * 10.0,
                    commuters: rng.range(0.4, 0.7),
                    arrive: (rng.range(7.5, 8.75), rng.range(0.5, 1.0)),
                    leave: (rng.range(16.5, 18.0), rng.range(0.75, 1.5)),
                    shoppers: rng.range(0.1, 0.3),
                    busiest: rng.range(11.0, 15.0),
                    saturday: rng.range(1.5, 2.5),
                    sunday: rng.range(0.3, 1.0),
                    residents: rng.range(0.02, 0.08),
                    noise: rng.range(0.3, 0.7),
                };
                let wander = (rng.range(2.0, 8.0) * h, rng.range(0.03, 0.08));
                (model, Vec::new(), wander)
            }
            Shape::Transit => {
                let model = Model::Transit {
                    rate: rng.log_range(2.0, 60.0),
                    am: rng.range(7.5, 8.25),
                    pm: (rng.range(17.0, 17.75), rng.range(0.6, 0.9)),
                    midday: rng.range(0.3, 0.5),
                    open: rng.range(5.0, 5.75),
                    close: rng.range(24.0, 25.0),
                    headways: [
                        rng.pick(&[4.0, 5.0, 6.0, 8.0, 10.0]),
                        rng.pick(&[10.0, 12.0, 15.0, 20.0]),
                        rng.pick(&[15.0, 20.0, 30.0]),
                        rng.pick(&[15.0, 20.0, 30.0]),
                    ],
                    timed: rng.range(0.3, 0.7),
                    saturday: rng.range(0.4, 0.7),
                    sunday: rng.range(0.25, 0.5),
                    shape: rng.range(10.0, 50.0),
                };
                let wander = (rng.range(1.0, 4.0) * h, rng.range(0.05, 0.12));
                (model, Vec::new(), wander)
            }
            Shape::Cold => {
                let model = Model::Cold {
                    base: rng.range(0.35, 0.6),
                    swing: rng.range(0.05, 0.15),
                    deliveries: (
                        rng.range(5.0, 7.0),
                        rng.range(2.0, 4.0),
                        rng.range(0.1, 0.25),
                    ),
                    dispatch: (
                        rng.range(13.0, 15.0),
                        rng.range(1.0, 3.0),
                        rng.range(0.05, 0.2),
                    ),
                    ice: rng.range(0.005, 0.015),
                    heater: rng.range(0.3, 0.6),
                    sigma: rng.range(0.02, 0.05),
                };
                let period = rng.pick(&[6, 8, 12]);
                let first = rng.below(period * 12) as i64 * 5;
                let length = (rng.range(20.0, 40.0) * 60.0) as i64;
                let slots = (0..24 / period as i64)
                    .map(|k| Slot {
                        minute: (first + k * period as i64 * 60) % 1_440,
                        days: (0, 6),
                        parity: None,
                        size: 1.0,
                        length,
                        vary: 0.0,
                        target: true,
                    })
                    .collect();
                let wander = (rng.range(2.0, 12.0) * h, rng.range(0.02, 0.05));
                (model, slots, wander)
            }
            Shape::Irrigation => {
                let count = 4 + rng.below(7);
                let zones: Vec<(f64, f64)> = (0..count)
                    .map(|_| (rng.log_range(20.0, 150.0), rng.range(8.0, 25.0).round()))
                    .collect();
                let minutes: f64 = zones.iter().map(|(_, m)| m).sum();
                let low = rng.range(8.0, 12.0);
                let model = Model::Irrigation {
                    zones,
                    hoses: rng.range(0.0, 3.0),
                    hose: (low, low + rng.range(5.0, 15.0)),
                    sigma: rng.range(0.01, 0.03),
                };
                let slot = Slot {
                    minute: 180 + rng.below(37) as i64 * 5,
                    days: (0, 6),
                    parity: (rng.unit() < 0.5).then(|| rng.below(2) as i64),
                    size: 1.0,
                    length: (minutes * 60.0) as i64,
                    vary: 0.0,
                    target: true,
                };
                let wander = (rng.range(6.0, 24.0) * h, rng.range(0.02, 0.05));
                (model, vec![slot], wander)
            }
        }
    }

    /// The longest a run of its job that an anomaly may act on lasts, seconds, unstretched (a
    /// queue of work as long as it takes to drain).
    fn longest(&self, slots: &[Slot]) -> i64 {
        let target = slots.iter().filter(|s| s.target);
        match self {
            Model::Ci { agents, matrix, .. } => target
                .map(|s| (s.size * (1.0 + s.vary) / agents * matrix) as i64)
                .max()
                .unwrap_or(0),
            Model::Mail { send, rate, .. } => target
                .map(|s| (s.size * (1.0 + s.vary) / (send - rate)) as i64)
                .max()
                .unwrap_or(0),
            _ => target
                .map(|s| (s.length as f64 * (1.0 + s.vary)) as i64)
                .max()
                .unwrap_or(0),
        }
    }

    /// The highest value it can read: a school's uplink, a compressor always on.
    fn ceiling(&self) -> f64 {
        match self {
            Model::School { uplink, .. } => *uplink,
            Model::Cold { .. } => 1.0,
            _ => f64::INFINITY,
        }
    }

    /// The value at moment `m` under the effects `fx`, carrying `st` on and drawing from `rng`
    /// (the point's own).
    fn substep(&self, st: &mut State, m: &Moment, fx: &Fx, rng: &mut Rng) -> f64 {
        let hour = hour_of(m.local);
        let dt = m.dt;
        match self {
            Model::Ci {
                agents,
                build,
                rhythm,
                rate,
                matrix,
            } => {
                let agents = (agents * fx.capacity).round().max(1.0);
                let lambda = rate * rhythm.at(m.local, fx.holiday) * m.w.exp() * fx.level;
                st.count += rng.poisson((lambda + fx.inflow) * dt);
                let running = st.count.min(agents);
                st.count -= rng.poisson(running * dt / build).min(running);
                // The matrix's builds take the agents the developers' leave.
                let mut free = agents - running;
                for (left, pace) in st.work.iter_mut() {
                    let busy = left.min(free);
                    free -= busy;
                    *left -= busy * dt / matrix * *pace;
                }
                st.work.retain(|(left, _)| *left > 1e-6);
                st.count + st.work.iter().map(|(left, _)| left).sum::<f64>()
            }
            Model::Mail {
                send,
                rhythm,
                rate,
                defer,
                retry,
                sigma,
            } => {
                let capacity = send * fx.capacity * dt;
                let sent = st.count.min(capacity);
                st.count -= sent;
                let lambda = rate * rhythm.at(m.local, fx.holiday) * m.w.exp();
                st.count += rng.poisson((lambda + fx.inflow) * dt);
                // Queued work is sent after the transactional messages, at its pace.
                let mut left = capacity - sent;
                let mut total = sent;
                for (work, pace) in st.work.iter_mut() {
                    let take = work.min(left * *pace);
                    *work -= take;
                    left -= take;
                    total += take;
                }
                st.work.retain(|(work, _)| *work > 0.5);
                let keep = (-dt / retry).exp();
                st.recent = st.recent * keep + total / dt * (1.0 - keep);
                let deferred =
                    defer * st.recent * retry * fx.level * (sigma * fx.noise * rng.normal()).exp();
                st.count + st.work.iter().map(|(work, _)| work).sum::<f64>() + deferred
            }
            Model::Beds {
                beds,
                stay,
                spread,
                electives,
                emergency,
                rhythm,
                within,
                outside,
                weekend,
                ..
            } => {
                let cap = (beds * fx.capacity).round();
                let planned = !fx.holiday && !is_weekend(m.local) && (7.0..9.0).contains(&hour);
                let elective = if planned {
                    electives / (2.0 * HOUR_S as f64)
                } else {
                    0.0
                };
                let urgent = emergency * rhythm.at(m.local, fx.holiday) * m.w.exp();
                let stays = |rng: &mut Rng| {
                    m.tau + (stay * rng.log_normal(*spread)).max(4.0 * HOUR_S as f64) as i64
                };
                for _ in 0..rng.poisson((elective + urgent) * fx.level * dt) as usize {
                    // A full ward turns admissions away.
                    if (st.patients.len() as f64) < cap {
                        let ready = stays(rng);
                        st.patients.push(ready);
                    }
                }
                // A surge is admitted into escalation beds, full or not.
                for _ in 0..rng.poisson(fx.inflow * dt) as usize {
                    let ready = stays(rng);
                    st.patients.push(ready);
                }
                let round =
                    m.on.map_or(0.0, |r| within * if fx.holiday { *weekend } else { r.size });
                let p = 1.0 - (-(outside + round) * dt).exp();
                st.patients
                    .retain(|ready| *ready > m.tau || rng.unit() >= p);
                st.patients.len() as f64
            }
            Model::School {
                uplink,
                table,
                lesson,
                spread,
                pause,
                early,
                evening,
                floor,
                sigma,
                salt,
            } => {
                let day = if fx.holiday || is_weekend(m.local) {
                    0.0
                } else {
                    match table.part(hour) {
                        Part::Before => early * smoothstep(table.start - 1.5, table.start, hour),
                        Part::Lesson(p) => {
                            let date = m.local.div_euclid(DAY_S) as u64;
                            let mut lessons = Rng(salt ^ (date << 8) ^ p as u64);
                            lesson * (spread * lessons.normal()).exp()
                        }
                        Part::Change => lesson * 0.5,
                        Part::Break => lesson * pause,
                        Part::After(since) => evening * (-since / 1.5).exp(),
                    }
                };
                let used =
                    (day + floor) * fx.level * m.w.exp() * (sigma * fx.noise * rng.normal()).exp();
                let backup = m.on.map_or(0.0, |r| r.size);
                (uplink * (used + backup)).min(*uplink)
            }
            Model::Parking {
                spaces,
                commuters,
                arrive,
                leave,
                shoppers,
                busiest,
                saturday,
                sunday,
                residents,
                noise,
            } => {
                let day = weekday(m.local);
                let commute = if !fx.holiday && day < 5 {
                    let arrived = normal_cdf((hour - arrive.0) / arrive.1);
                    let left = normal_cdf((hour - leave.0) / leave.1);
                    commuters * (arrived - left).max(0.0)
                } else {
                    0.0
                };
                let days = if fx.holiday || day == 6 {
                    *sunday
                } else if day == 5 {
                    *saturday
                } else {
                    1.0
                };
                let shop = shoppers * bump(hour, *busiest, 2.5) * days;
                let expected =
                    spaces * (commute + shop + residents) * m.w.exp() * fx.level + fx.inflow;
                let cap = (spaces * fx.capacity).round();
                let spread = noise * fx.noise * expected.max(1.0).sqrt();
                let occupied = (expected + spread * rng.normal()).clamp(0.0, cap);
                cap - occupied
            }
            Model::Transit {
                rate,
                am,
                pm,
                midday,
                open,
                close,
                headways,
                timed,
                saturday,
                sunday,
                shape,
            } => {
                let day = weekday(m.local);
                let weekend = fx.holiday || day >= 5;
                let late = if hour < 3.0 { hour + 24.0 } else { hour };
                let first = if weekend { open + 1.5 } else { *open };
                if late < first || late >= *close {
                    return 0.0;
                }
                let demand = if weekend {
                    let share = if day == 5 && !fx.holiday {
                        saturday
                    } else {
                        sunday
                    };
                    share * (0.08 + 0.9 * bump(hour, 14.0, 4.0))
                } else {
                    0.08 + midday
                        * smoothstep(6.0, 9.0, late)
                        * (1.0 - smoothstep(20.0, 23.0, late))
                        + (1.0 - midday) * bump(hour, *am, 0.7)
                        + pm.1 * bump(hour, pm.0, 1.2)
                };
                let headway = if weekend {
                    headways[3]
                } else if (7.0..9.5).contains(&hour) || (16.0..19.0).contains(&hour) {
                    headways[0]
                } else if (9.5..16.0).contains(&hour) {
                    headways[1]
                } else {
                    headways[2]
                };
                // Those timing their trip arrive in the three minutes before a departure.
                let minute = (m.local - dt as i64 / 2).div_euclid(60) as f64;
                let before = minute.rem_euclid(headway) >= headway - 3.0;
                let timing = 1.0 - timed + if before { timed * headway / 3.0 } else { 0.0 };
                let s = shape / (fx.noise * fx.noise);
                let lambda = rate * demand * timing * m.w.exp() * fx.level * dt / 60.0;
                let dispersed = lambda * rng.gamma(s) / s;
                rng.poisson(dispersed)
            }
            Model::Cold {
                base,
                swing,
                deliveries,
                dispatch,
                ice,
                heater,
                sigma,
            } => {
                let day = weekday(m.local);
                let window = |(from, long, add): (f64, f64, f64)| {
                    add * (smoothstep(from, from + 0.25, hour)
                        - smoothstep(from + long - 0.25, from + long, hour))
                };
                let mut load = base * (1.0 + swing * (2.0 * wave(hour, 15.0) - 1.0));
                if !fx.holiday && day < 6 {
                    load += window(*deliveries);
                }
                if !fx.holiday && day < 5 {
                    load += window(*dispatch);
                }
                let iced = 1.0 + ice * ((m.tau - st.since) as f64 / HOUR_S as f64).min(48.0);
                let demand = (load + fx.load) * m.w.exp() * iced / fx.capacity;
                let most = 6.0 * HOUR_S as f64;
                if m.on.is_some() || fx.off {
                    // Off: the heat it should have taken away (and a defrost's heaters') waits.
                    if m.on.is_some() {
                        st.since = m.tau;
                        st.debt += dt * heater;
                    }
                    st.debt = (st.debt + dt * demand).min(most);
                    0.0
                } else if st.debt > 0.0 {
                    // Pulling down at full power.
                    st.debt = (st.debt - dt * (1.0 - demand)).min(most);
                    1.0
                } else {
                    (demand + sigma * fx.noise * rng.normal()).clamp(0.0, 1.0)
                }
            }
            Model::Irrigation {
                zones,
                hoses,
                hose,
                sigma,
            } => {
                let mut flow = 0.0;
                if let Some(run) = m.on {
                    let minutes = (m.tau - run.start) as f64 / 60.0 / run.stretch;
                    let mut end = 0.0;
                    for (q, long) in zones {
                        end += long;
                        if minutes < end {
                            flow = q * run.size;
                            break;
                        }
                    }
                }
                let daytime = !is_weekend(m.local) && (8.0..17.0).contains(&hour);
                if m.tau >= st.hose.0 && daytime && rng.unit() < hoses * dt / (9.0 * 3_600.0) {
                    let until = m.tau + (rng.range(5.0, 30.0) * 60.0) as i64;
                    st.hose = (until, rng.range(hose.0, hose.1));
                }
                if m.tau < st.hose.0 {
                    flow += st.hose.1;
                }
                flow * fx.level * m.w.exp() * (1.0 + sigma * fx.noise * rng.normal()).max(0.0)
            }
        }
    }
}

/// Everything a render of a series needs besides its effects and runs.
struct Canvas<'a> {
    /// The shape, for reading.
    shape: Shape,
    /// The process.
    model: &'a Model,
    /// UTC seconds of every point drawn, the missing ones too (a process runs on through a
    /// gap).
    grid: &'a [i64],
    /// Seconds between points.
    step: i64,
    /// The local clock, with its daylight-saving change if any.
    clock: Clock,
    /// The wander at each point.
    wanders: &'a [f64],
    /// The seed each point's noise is drawn from, with its row.
    seed: u64,
}

impl Canvas<'_> {
    /// The readings at every point of the grid under `effects` and with `runs` of the job.
    /// Every point draws its noise from its own seed, so that two renders differ only where
    /// their effects and runs do, and after while the state they leave differs.
    fn render(&self, effects: &[Effect], runs: &[Run]) -> Vec<f64> {
        let mut runs: Vec<Run> = runs.iter().filter(|r| r.on).copied().collect();
        runs.sort_by_key(|r| r.start);
        let mut state = State::new(self.model, self.grid[0], &mut Rng(self.seed ^ 0x5EED));
        let subs = self.shape.subs(self.step);
        let dt = self.step / subs;
        let ceiling = self.model.ceiling();
        let mut out = Vec::with_capacity(self.grid.len());
        let mut hold = Hold::default();
        let (mut next, mut first) = (0, 0);
        for (row, (t, w)) in self.grid.iter().zip(self.wanders).enumerate() {
            let mut rng = Rng(self.seed ^ (row as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            let mut total = 0.0;
            let mut value = 0.0;
            for j in 0..subs {
                let tau = t - self.step + (j + 1) * dt;
                while next < runs.len() && runs[next].start <= tau {
                    // Work queued before the series is not carried into it.
                    if runs[next].start > self.grid[0] - self.step {
                        state.start(&runs[next]);
                    }
                    next += 1;
                }
                while first < next && runs[first].start + RUN_SPAN_S < tau {
                    first += 1;
                }
                let on = runs[first..next]
                    .iter()
                    .rev()
                    .find(|r| tau < r.start + r.span())
                    .copied();
                let moment = Moment {
                    tau,
                    local: self.clock.local(tau),
                    dt: dt as f64,
                    w: *w,
                    on,
                };
                let fx = Fx::at(effects, tau);
                value = self.model.substep(&mut state, &moment, &fx, &mut rng);
                total += value;
            }
            let v = match self.shape.reading() {
                Reading::Last => value,
                Reading::Mean => total / subs as f64,
                Reading::Sum => total,
            };
            let v = (v + added(effects, Channel::Extra, *t)).clamp(0.0, ceiling);
            let reading = self.shape.read(v);
            out.push(hold.read(reading, active(effects, Channel::Hold, *t).is_some()));
        }
        out
    }
}

/// One generated series.
#[derive(Debug, Clone)]
struct Series {
    /// Index, shape, cadence, kinds and timing.
    name: String,
    /// Its plan.
    plan: Plan,
    /// The highest value it can read.
    ceiling: f64,
    /// Its anomalies, in time order.
    anomalies: Vec<Anomaly<Kind>>,
    /// Its benign changes: the row each takes effect at and what it is.
    benign: Vec<(usize, String)>,
    /// `(timestamp ns, value)`.
    points: Vec<(i64, f64)>,
    /// NAB-style windows, inclusive row ranges, one per anomaly in the same order.
    windows: Vec<(usize, usize)>,
}

/// The index of the first run an anomaly may act on starting `lead` seconds after UTC second
/// `at` or later.
fn target(runs: &[Run], slots: &[Slot], at: i64, lead: i64, index: usize) -> usize {
    runs.iter()
        .position(|r| r.on && slots[r.slot].target && r.start >= at + lead)
        .unwrap_or_else(|| panic!("series {index}: no run after the draw"))
}

/// The series of index `index` as `plan` says, its parameters drawn from the index.
fn generate(index: usize, plan: &Plan) -> Series {
    let seed = SEED + 256 * index as u64;
    let mut layout = Rng(seed + 1);
    let mut prng = Rng(seed + 2);
    let mut wrng = Rng(seed + 3);
    let mut arng = Rng(seed + 4);
    let mut rrng = Rng(seed + 5);
    let shape = plan.shape;
    let step = plan.minutes * 60;
    assert_eq!(
        plan.benign & !shape.benign(),
        0,
        "series {index}: a benign change its shape does not have"
    );
    assert!(
        plan.kinds.iter().all(|k| shape.kinds().contains(k)),
        "series {index}: a kind its shape does not have"
    );

    // Timestamps: a grid from a drawn start, some points missing (simulated all the same).
    let (fewest, most) = plan.length.points(&POINTS);
    let drawn = fewest + layout.below(most - fewest + 1);
    let t0 = first_time(&mut layout, BASE_S, step);
    let grid: Vec<i64> = (0..drawn as i64).map(|i| t0 + i * step).collect();
    let keep = if plan.timing == Timing::Missing {
        missing_points(&mut layout, drawn)
    } else {
        vec![true; drawn]
    };
    let kept: Vec<usize> = (0..drawn).filter(|i| keep[*i]).collect();
    let times: Vec<i64> = kept.iter().map(|i| grid[*i]).collect();
    let n = times.len();
    let mut clock = Clock::fixed(layout.pick(&TIME_ZONES));
    let (model, slots, (tau, sigma)) = Model::draw(shape, &mut prng);
    let mut walk = Wander::new(&mut wrng, step, tau, sigma);
    let wanders: Vec<f64> = grid.iter().map(|_| walk.next(&mut wrng)).collect();

    // Where the anomalies are drawn.
    let k = plan.kinds.len();
    let half = half_width(n, k);
    let longest = model.longest(&slots);
    let reach = plan
        .kinds
        .iter()
        .map(|x| x.reach(shape, step, longest))
        .max()
        .unwrap_or(0);
    let nominal = place(&mut arng, index, n, k, half, reach, plan.length.min_start());

    // Benign changes, after probation and clear of the anomalies; a clock change or a job
    // moved shows at the job's next run.
    let mut room = Benign {
        room: BenignRows::new(n, step, &nominal, half, reach),
        times: &times,
        taken: Vec::new(),
        index,
    };
    let job = shape.job().unwrap_or("job");
    let mut benign: Vec<(usize, String)> = Vec::new();
    let mut effects: Vec<Effect> = Vec::new();
    if plan.benign & DST != 0 {
        let lasting = 2 * HOUR_S + shape.period();
        let (row, at) = room.moment(&mut layout, &clock, 2, 6..=6, lasting);
        let shift = layout.sign() as i64 * HOUR_S;
        clock.dst_at = at;
        clock.dst_shift = shift;
        let way = if shift > 0 { "on" } else { "back" };
        benign.push((row, format!("daylight saving, the clock an hour {way}")));
    }
    if plan.benign & HOLIDAY != 0 {
        let (row, at, lasting, what) = if shape == Shape::School {
            let (row, at) = room.moment(&mut layout, &clock, 0, 0..=0, 5 * DAY_S);
            (row, at, 5 * DAY_S, "half-term break, Monday to Friday")
        } else {
            let (row, at) = room.moment(&mut layout, &clock, 0, 0..=4, DAY_S);
            (row, at, DAY_S, "holiday")
        };
        effects.push(Effect::new(
            Channel::Holiday,
            Envelope::new(at, 0, lasting, 0),
            1.0,
        ));
        benign.push((row, what.to_string()));
    }
    let mut moved = None;
    if plan.benign & RESCHEDULE != 0 {
        let (row, at) = room.row(&mut layout, shape.period() + 2 * HOUR_S);
        let shift = layout.sign() as i64 * HOUR_S;
        moved = Some((at, shift));
        let way = if shift > 0 { "later" } else { "earlier" };
        benign.push((row, format!("{job} moved an hour {way}")));
    }
    if plan.benign & MIGRATION != 0 {
        let (row, at) = room.row(&mut layout, 2 * step);
        let forever = Envelope::forever(at);
        let (channel, size, what) = match (&model, shape) {
            (_, Shape::Ci) => {
                let size = layout.range(1.3, 2.0);
                (
                    Channel::Capacity,
                    size,
                    format!("new build pool, agents ×{size:.2}"),
                )
            }
            (_, Shape::Mail) => {
                let size = layout.range(1.5, 3.0);
                (
                    Channel::Capacity,
                    size,
                    format!("new relay, sending ×{size:.2}"),
                )
            }
            (Model::Beds { beds, .. }, _) => {
                let more = (2 + layout.below(5)) as f64;
                let size = (beds + more) / beds;
                (
                    Channel::Capacity,
                    size,
                    format!("a bay opened, {more} beds more"),
                )
            }
            (_, Shape::School) => {
                let size = layout.range(1.15, 1.4);
                (
                    Channel::Level,
                    size,
                    format!("new uplink and filter, traffic ×{size:.2}"),
                )
            }
            (_, Shape::Parking) => {
                let size = layout.range(1.1, 1.25);
                (
                    Channel::Capacity,
                    size,
                    format!("a level reopened, spaces ×{size:.2}"),
                )
            }
            (_, Shape::Transit) => {
                let size = layout.range(1.15, 1.4);
                (
                    Channel::Level,
                    size,
                    format!("a new line, demand ×{size:.2}"),
                )
            }
            (_, Shape::Cold) => {
                let size = layout.range(1.2, 1.5);
                (
                    Channel::Capacity,
                    size,
                    format!("new compressor, capacity ×{size:.2}"),
                )
            }
            (_, Shape::Irrigation) => {
                let size = layout.range(0.6, 0.85);
                (
                    Channel::Level,
                    size,
                    format!("low-flow nozzles, flows ×{size:.2}"),
                )
            }
            _ => unreachable!("a ward's model is a ward's"),
        };
        effects.push(Effect::new(channel, forever, size));
        benign.push((row, format!("migration: {what}")));
    }
    benign.sort_by_key(|(row, _)| *row);
    let base_effects = effects.clone();

    // The job's runs, under the clock with its change, moved as rescheduled.
    let mut base_runs = routine(&slots, &clock, t0 - 2 * DAY_S, grid[drawn - 1], &mut rrng);
    if let Some((at, shift)) = moved {
        for run in base_runs.iter_mut().filter(|r| r.start >= at + HOUR_S) {
            run.start += shift;
        }
    }

    // The anomalies, sized from the series with its benign changes.
    let canvas = Canvas {
        shape,
        model: &model,
        grid: &grid,
        step,
        clock,
        wanders: &wanders,
        seed: seed ^ 0x0B5E_55ED,
    };
    let pick = |values: Vec<f64>| -> Vec<f64> { kept.iter().map(|i| values[*i]).collect() };
    let plain = pick(canvas.render(&base_effects, &base_runs));
    let mut runs = base_runs.clone();
    let mut anomalies = Vec::new();
    let mut changes = Vec::new();
    for (kind, start) in plan.kinds.iter().zip(&nominal) {
        let (kind, start) = (*kind, *start);
        let at = times[start];
        let span = span_before(&plain, start).max(1e-6);
        let (low, high) = kind.duration(step);
        let points = if high > 0 {
            low + arng.below(high - low + 1)
        } else {
            0
        };
        let lasting = points as i64 * step;
        let first = effects.len();
        let mut edit = None;
        let mut push = |channel, envelope, size| effects.push(Effect::new(channel, envelope, size));
        let detail = match kind {
            Kind::Missed => {
                let i = target(&runs, &slots, at, 0, index);
                edit = Some((i, RunEdit::Skip));
                format!("the {job} of {} skipped", local_text(&clock, runs[i].start))
            }
            Kind::Mistimed => {
                let i = target(&runs, &slots, at, MAX_MOVE_S, index);
                let seconds = if shape == Shape::Cold {
                    (arng.range(0.25, 0.45) * (DAY_S / slots.len() as i64) as f64) as i64
                } else {
                    hours(&mut arng, 3.0, 9.0)
                };
                let seconds = arng.sign() as i64 * seconds;
                edit = Some((i, RunEdit::Move(seconds)));
                let way = if seconds > 0 { "late" } else { "early" };
                format!(
                    "the {job} of {} ran {} {way}",
                    local_text(&clock, runs[i].start),
                    duration_text(seconds.abs())
                )
            }
            Kind::Overrun => {
                let i = target(&runs, &slots, at, 0, index);
                let times = arng.range(3.0, MAX_STRETCH);
                edit = Some((i, RunEdit::Stretch(times)));
                format!(
                    "the {job} of {} ×{times:.1} as long",
                    local_text(&clock, runs[i].start)
                )
            }
            Kind::LevelShift => {
                let forever = Envelope::forever(at);
                match shape {
                    Shape::Ci => {
                        let size = arng.range(0.4, 0.7);
                        push(Channel::Capacity, forever, size);
                        format!("agents lost, ×{size:.2}")
                    }
                    Shape::Mail => {
                        let size = arng.range(2.5, 6.0);
                        push(Channel::Level, forever, size);
                        format!("a provider deferring, deferred ×{size:.1}")
                    }
                    Shape::Beds => {
                        let size = arng.range(0.6, 0.8);
                        push(Channel::Capacity, forever, size);
                        format!("beds closed, ×{size:.2}")
                    }
                    Shape::Parking => {
                        let size = arng.range(0.7, 0.85);
                        push(Channel::Capacity, forever, size);
                        format!("a level closed, spaces ×{size:.2}")
                    }
                    Shape::Cold => {
                        let size = arng.range(0.1, 0.25);
                        push(Channel::Load, forever, size);
                        format!("a door seal broken, load +{size:.2}")
                    }
                    Shape::School | Shape::Transit | Shape::Irrigation => {
                        let size = if arng.unit() < 0.5 {
                            arng.range(0.4, 0.65)
                        } else {
                            arng.range(1.5, 2.2)
                        };
                        push(Channel::Level, forever, size);
                        format!("level shift ×{size:.2}")
                    }
                }
            }
            Kind::Spike => {
                let envelope = Envelope::new(at, 0, lasting, 0);
                match (&model, shape) {
                    (_, Shape::Ci | Shape::Mail) => {
                        let size = if shape == Shape::Ci {
                            arng.range(0.8, 2.5)
                        } else {
                            arng.range(0.5, 1.5)
                        };
                        push(Channel::Inflow, envelope, size * span / lasting as f64);
                        format!("{size:.1} spans arriving over {points} points")
                    }
                    (Model::Beds { .. }, _) => {
                        let patients = (4 + arng.below(7)) as f64;
                        let over = hours(&mut arng, 1.0, 2.0);
                        let envelope = Envelope::new(at, 0, over, 0);
                        push(Channel::Inflow, envelope, patients / over as f64);
                        format!(
                            "a surge of {patients} admissions over {}",
                            duration_text(over)
                        )
                    }
                    (_, Shape::School | Shape::Irrigation) => {
                        let size = arng.range(0.8, 2.0);
                        push(Channel::Extra, envelope, size * span);
                        format!("spike {size:+.1} spans for {points} points")
                    }
                    (_, Shape::Parking) => {
                        let size = -arng.range(0.5, 1.0);
                        push(Channel::Extra, envelope, size * span);
                        format!("counter glitch {size:+.1} spans for {points} points")
                    }
                    (_, Shape::Transit) => {
                        let hour = 21 + arng.below(2) as i64;
                        let from = next_local(at, &clock, hour, 0..=6);
                        let size = arng.range(4.0, 10.0);
                        push(Channel::Level, Envelope::new(from, 0, lasting, 0), size);
                        format!("an event's crowd at {hour}:00, ×{size:.1} for {points} points")
                    }
                    _ => unreachable!("not planned"),
                }
            }
            Kind::Dip => match shape {
                Shape::Ci | Shape::School | Shape::Transit => {
                    let (hour, days, size, what) = match shape {
                        Shape::Ci => (
                            10 + arng.below(5) as i64,
                            0..=4,
                            arng.range(0.0, 0.1),
                            "webhooks lost",
                        ),
                        Shape::School => (
                            9 + arng.below(5) as i64,
                            0..=4,
                            arng.range(0.05, 0.3),
                            "uplink degraded",
                        ),
                        _ => (
                            7 + arng.below(12) as i64,
                            0..=6,
                            arng.range(0.05, 0.3),
                            "service disrupted",
                        ),
                    };
                    let from = next_local(at, &clock, hour, days);
                    push(Channel::Level, Envelope::new(from, 0, lasting, 0), size);
                    format!("{what} from {hour}:00, ×{size:.2} for {points} points")
                }
                Shape::Parking => {
                    let Model::Parking { spaces, .. } = &model else {
                        unreachable!("a garage's model is a garage's")
                    };
                    let hour = 18 + arng.below(2) as i64;
                    let from = next_local(at, &clock, hour, 0..=6);
                    let size = arng.range(0.4, 0.8);
                    let envelope = Envelope::new(from, HOUR_S / 2, lasting, HOUR_S / 2);
                    push(Channel::Inflow, envelope, size * *spaces);
                    format!("an event from {hour}:00, +{size:.2} of the spaces for {points} points")
                }
                Shape::Cold => {
                    push(Channel::Off, Envelope::new(at, 0, lasting, 0), 1.0);
                    format!("power cut for {points} points")
                }
                _ => unreachable!("not planned"),
            },
            Kind::Flatline => {
                push(Channel::Hold, Envelope::new(at, 0, lasting, 0), 1.0);
                format!("flatline for {points} points")
            }
            Kind::VarianceChange => {
                let size = if shape == Shape::Irrigation {
                    arng.range(4.0, 8.0)
                } else {
                    arng.range(3.0, 6.0)
                };
                push(Channel::Noise, Envelope::forever(at), size);
                format!("noise ×{size:.1}")
            }
            Kind::Leak => {
                if shape == Shape::Cold {
                    let build = hours(&mut arng, 48.0, 144.0);
                    let size = arng.range(0.6, 0.8);
                    push(
                        Channel::Capacity,
                        Envelope::linear(at, build, common::FOREVER),
                        size,
                    );
                    format!(
                        "refrigerant leak, capacity ×{size:.2} over {}",
                        duration_text(build)
                    )
                } else {
                    let build = hours(&mut arng, 24.0, 96.0);
                    let (low, high) = match shape {
                        Shape::Ci | Shape::Mail => (0.1, 0.4),
                        Shape::School => (0.1, 0.3),
                        Shape::Parking => (-0.4, -0.15),
                        _ => (0.03, 0.1),
                    };
                    let size = arng.range(low, high);
                    let envelope = Envelope::linear(at, build, common::FOREVER);
                    push(Channel::Extra, envelope, size * span);
                    format!("leak {size:+.2} spans over {}", duration_text(build))
                }
            }
            Kind::None => unreachable!("not planned"),
        };
        if let Some((i, e)) = edit {
            e.apply(&mut runs[i]);
        }
        changes.push((first..effects.len(), edit));
        anomalies.push(Anomaly {
            kind,
            start,
            detail,
        });
    }

    // The series with its anomalies, each labelled where it shows: the first point where the
    // series with it alone reads differently from the one without.
    let values = pick(canvas.render(&effects, &runs));
    for (anomaly, (range, edit)) in anomalies.iter_mut().zip(changes) {
        let alone: Vec<Effect> = base_effects
            .iter()
            .chain(&effects[range])
            .copied()
            .collect();
        let mut alone_runs = base_runs.clone();
        if let Some((i, e)) = edit {
            e.apply(&mut alone_runs[i]);
        }
        let changed = pick(canvas.render(&alone, &alone_runs));
        let drawn_at = anomaly.start;
        let shows = first_shown(index, drawn_at, n, reach, |i| changed[i] != plain[i]);
        if shows > drawn_at {
            mark_shown(anomaly, shows, &times);
        }
    }

    let points = stamped(&times, &values, step, plan.timing, &mut layout, |v| v);
    let windows = windows_of(&anomalies, half);
    let labels: Vec<&str> = plan.kinds.iter().map(|k| k.label()).collect();
    Series {
        name: series_name(index, shape, plan.minutes, &labels, plan.timing),
        plan: *plan,
        ceiling: model.ceiling(),
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

/// The generator draws the same corpus twice, within its promises: lengths, bounds, whole
/// numbers, timestamps, windows after probation and inside the series, benign changes clear of
/// them, every kind present, and a bounded size; it prints every series' summary for a look
/// (never a detector's score).
#[test]
fn the_generator_is_deterministic_and_places_windows_after_probation_inside_the_series() {
    let a = load();
    let b = load();
    assert_eq!(a.len(), 52, "the series of the plan");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.points, y.points, "{}", x.name);
        assert_eq!(x.windows, y.windows, "{}", x.name);
        assert_eq!(x.benign, y.benign, "{}", x.name);
        let plan = x.plan;
        let n = x.points.len();
        let (shortest, longest) = plan.length.points(&POINTS);
        assert!(
            n * 5 >= shortest * 4 && n <= longest,
            "{}: {n} points",
            x.name
        );
        let values: Vec<f64> = x.points.iter().map(|(_, v)| *v).collect();
        assert!(values.iter().all(|v| *v >= 0.0), "{}: negative", x.name);
        assert!(
            values.iter().all(|v| *v <= x.ceiling),
            "{}: above its ceiling",
            x.name
        );
        if plan.shape.whole() {
            assert!(
                values.iter().all(|v| v.fract() == 0.0),
                "{}: whole numbers",
                x.name
            );
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
        assert_eq!(x.benign.is_empty(), plan.benign == 0, "{}", x.name);
        print_summary(&x.name, 42, &x.points, &x.anomalies, &x.windows, &x.benign);
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 7, 6);
    assert!(a.iter().filter(|s| s.anomalies.len() >= 3).count() >= 4);
    for minutes in [1, 5, 10, 15, 30, 60] {
        assert!(a.iter().any(|s| s.plan.minutes == minutes), "{minutes}");
    }
    let sizes: Vec<usize> = a.iter().map(|s| s.points.len()).collect();
    assert!(sizes.iter().all(|n| (1_200..=12_000).contains(n)));
    let counts: Vec<String> = KINDS
        .iter()
        .map(|kind| {
            let count = anomalies
                .iter()
                .map(|s| s.iter().filter(|x| x.kind == *kind).count())
                .sum::<usize>();
            let count = if *kind == Kind::None {
                anomalies.iter().filter(|s| s.is_empty()).count()
            } else {
                count
            };
            format!("{} {count}", kind.label())
        })
        .collect();
    let points: usize = sizes.iter().sum();
    let windows: usize = a.iter().map(|s| s.windows.len()).sum();
    println!("{} series, {points} points, {windows} windows", a.len());
    println!(
        "windows per kind (none: series without): {}",
        counts.join(", ")
    );
    assert!(points <= 400_000, "{points} points");
}

/// The held-out score: the default detector run online over the corpus and scored the NAB way,
/// its report printed, failing below [`MINIMUM_STANDARD_SCORE`].
#[test]
fn routine_corpus_score_with_default_settings() {
    let started = Instant::now();
    let series = load();
    for s in &series {
        print_benign(&s.name, 42, &s.benign);
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
    let standard = score_and_report("routine", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the routine corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
