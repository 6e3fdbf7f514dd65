//! A twelfth test of the detector, written held out: a synthetic corpus of utility networks and
//! environmental sensors, which the `daily`, `varied`, `field`, `ops`, `mixed`, `signals`,
//! `brief`, `routine`, `sessions`, `network` and `cycles` corpora do not have — series driven by
//! the weather, whose benign swings (storms, floods, heat waves, cold snaps) are larger than many
//! of their faults: a water distribution zone's inflow (a daily demand curve whose night minimum
//! reveals leaks, subtle by day), a district-heating network's supply temperature (weather
//! compensated, following the outdoor temperature), a river gauge's level (rain rising fast and
//! receding slowly), an urban air-quality station's PM2.5 (traffic, weather episodes, holiday
//! fireworks), a wastewater pumping station's wet-well level (a fill and pump sawtooth whose
//! cycle shortens in storms), an anemometer's wind speed (gusty, heavy tailed, icing), a bridge's
//! strain gauge (a daily thermal cycle and traffic) and a soil moisture probe under rain and
//! irrigation (jumps, then dry-down curves) — with leaks, pumps failing, sensors no longer
//! responding, a bearing's swing, trends, drifts, shifts, spikes and dropouts, stuck sensors and
//! noise among benign changes left unlabelled. It is generated here from fixed seeds (no data
//! file, no new dependency), run through the default `Detector` strictly online and scored by
//! this crate's NAB scorer as the other corpora are.
//!
//! **Written without tuning.** The shapes, kinds, benign changes, parameter ranges, series plan
//! and seeds were decided before the scoring test ever ran, and the detector was not run on these
//! series in any other way: the generator was checked only by its own tests and the series it
//! prints (which changed it where a construction site's dust was sized by a span holding a
//! fireworks night, a soil probe out of contact read 0 for months, a blocked river gauge and an
//! iced anemometer stayed so to the end of the series, never in view of a score).
//! [`MINIMUM_STANDARD_SCORE`] was set from the first measurement: a floor against regressions, not
//! a target.
//!
//! **Series.** 40, each from its index as seed; [`CORPUS`] lists them. 6 *short* of 1,500–3,000
//! points, 16 *medium* of 3,000–7,000 and 18 *long* of 7,000–13,000 (278,059 points in all); a
//! point every 1, 2, 5, 10, 15, 30 or 60 minutes (from two days, a short 1-minute anemometer, to
//! 16 months, a long hourly river gauge). Each starts on a weekday and at a time of day drawn from
//! its seed (in the week from Monday 2030-10-07, UTC) and lives in a northern time zone drawn from
//! UTC−8 to UTC+9 (Vancouver, Denver, Toronto, Reykjavík, Copenhagen, Helsinki, Ankara, Sapporo):
//! demand, traffic, sewage, a heating network's boost and setback, irrigation and the sun follow
//! local time. Seven report with jitter (each timestamp up to 20 % of a step early or late, the
//! value the step's); seven miss points (0.3–1.5 % scattered and 1–3 stretches of 3–20; the
//! process runs on through a gap). Every shape is simulated in substeps of a minute (of 2 or 4
//! minutes at 30 or 60) from half a day before its first point to half a day after its last;
//! an inflow, a concentration and a wind speed are read as their mean over the interval, the rest
//! at the point. Each series has its own weather, drawn from its own stream: an annual mean of
//! 4–14 °C, a season of ±8–14 °C warmest in mid-July, a daily swing of ±2–6 °C warmest at 15:00
//! local and a wander σ 2–3.5 °C over 2–5 days; rain events 0.15–0.5 a day, lasting 1–10 hours at
//! 0.3–6 mm/h (both log-uniform). Shapes, their parameters drawn from the seed:
//!
//! - *water* (a zone's inflow, L/s, to 0.1): 20–400 at the morning peak (log-uniform); a night
//!   minimum of 20–40 % of it (night use and background leakage), a morning peak at 07:30 (1–2.5
//!   hours later on weekends and holidays), a midday plateau and an evening peak at 19:30, the
//!   daytime ×0.8–0.95 on weekends and 1–3 % more per °C above 18 (gardens); a wander σ 0.03–0.06
//!   over 6–24 hours, 3 % of scatter a substep and the meter's noise of 0.3–1 %;
//! - *heating* (a network's supply, °C, to 0.1): a heating curve of 1.2–2.2 °C per °C colder than
//!   15–18 °C, between 65–75 °C (hot water in summer) and 105–120 °C, on the outdoor temperature
//!   filtered over 3–8 hours; a morning boost of 2–5 °C at 06:30 and a night setback of 2–4 °C at
//!   02:30; the supply following with a time constant of 20–60 minutes, the loop's ripple σ
//!   0.3–1 °C over 1–3 hours and the transmitter's noise 0.1–0.3 °C;
//! - *river* (a gauge's level, m, to the millimetre): 15–45 % of the rain running off through a
//!   quick store of 4–24 hours routed through one of 1–4, 10–30 % reaching a slow store of 5–20
//!   days, a base flow, read on a rating curve of 0.5–1.5 m per (mm/h)^0.6 above a datum of
//!   0.2–1.5 m: rising over a storm, receding over days; a wander of 2–6 mm over 1–6 hours and the
//!   gauge's noise 2–6 mm;
//! - *air* (PM2.5, µg/m³, to 0.1): a background of 5–20 (log-uniform) under weather episodes (a
//!   log wander σ 0.35–0.6 over 1–3 days), commuter traffic at 08:00 and 18:00 local (+30–80 %,
//!   ×0.35 on weekends and holidays), domestic heating at 20:30 on cold evenings (+20–60 %), washed
//!   out by rain; the counter's scatter of 10–25 % a substep and noise of 0.5–1.5;
//! - *well* (a wet well's level, %, to 0.1): sewage flowing in at 0.5–2 % a minute at its peak
//!   (08:30 and 20:00 local, nights 30–45 %) and infiltration after rain (30–80 % of it per mm/h,
//!   over 1–6 hours); two pumps taking turns, each 2.5–4 times the peak inflow, starting at 55–75 %
//!   and stopping at 15–30 %, the standby starting 8–12 points above the duty and both running
//!   5 points above that in a storm (overflowing at 100 %); a wander σ 0.05–0.12 over 6–24 hours
//!   and the sensor's noise 0.2–0.5 %;
//! - *wind* (m/s, to 0.01): a mean of 4–9 under weather systems (a log wander σ 0.35–0.55 over
//!   1–3 days), a daily cycle of ±15–30 % strongest at 14:00 local, turbulence of 12–20 % a substep
//!   and gusts (3 % of substeps, Pareto of shape 2–3); the sensor's noise 0.02–0.08;
//! - *strain* (a bridge's strain gauge, µε, to 0.1): an offset of ±200, ±5–15 µε per °C of the
//!   deck, which follows the air over 1–3 hours and the sun at 14:00 (+3–10 °C, clouded out by
//!   rain); vehicles on the span 0.05–0.3 at a busy moment (Poisson, busiest at 12:00–16:00,
//!   weekends and holidays ×0.5–0.7), each 20–80 µε (a gamma of shape 2); a wander σ 2–6 over 2–7
//!   days and the gauge's noise 1–3;
//! - *soil* (volumetric water content, %, to 0.1): a residual of 5–10 %, a field capacity of
//!   25–35 % and saturation 10–15 points above, a root zone of 100–300 mm; rain and irrigation
//!   wetting it, drainage above field capacity over 6–24 hours, evaporation of 2–6 mm a day by day
//!   (faster when warm, slower as it dries); irrigated plots (those with an irrigation change, and
//!   40 % of the others) on a programme every 1–3 days at 04:00–07:00 or 19:00–22:00 local for
//!   20–90 minutes at 8–20 mm/h; a wander σ 0.1–0.4 over 1–4 days and the probe's noise 0.1–0.3.
//!
//! **Benign changes**, not labelled (normal; what a good detector tolerates), all after probation,
//! at least a day before the end, a window's width clear of every anomaly's window (reach
//! included) and apart from each other:
//!
//! - *daylight saving* (9 series): the local clock one hour on or back from a Sunday 02:00, once;
//!   demand, sewage, traffic and a network's boost and setback move with it (in UTC);
//! - *public holiday* (6 series): a Monday to a Friday on a weekend's rhythm; over an air-quality
//!   station, fireworks at 21:30 (+80–300 µg/m³, clearing over 2–4 hours);
//! - *storm* (8 series): 30–90 mm over 6–24 hours: a river in flood, a wet well filling fast (both
//!   pumps, overflowing perhaps), a soil saturated;
//! - *heat wave or cold snap* (13 series): the outdoor temperature +5–10 °C or −6–12 °C, building
//!   over a day, held 2–6 days, easing over a day (more garden watering, a hotter or colder supply,
//!   a deck's thermal strain); for an anemometer a gale (×1.8–2.5 for 6–24 hours);
//! - *planned maintenance* (9 series): valve works feeding a water zone partly from its neighbour
//!   (×0.3–0.6 for 3–8 hours from 09:00 on a weekday), works holding a heating network's supply
//!   at 70–80 °C for 4–10 hours from 08:00, a wet well pumped down to 5 % for cleaning for 1–3
//!   hours from 10:00, an anemometer replaced (reading 0 for 1–3 hours), a bridge closed for
//!   inspection from 22:00 for 4–8 hours;
//! - *recalibration* (10 series), on a weekday at 09:00–14:00, for good: a transmitter ±0.5–1.5
//!   °C, a river gauge re-levelled ±1–3 cm, an air monitor against a reference ×0.85–0.95 or
//!   ×1.05–1.15, a strain logger re-zeroed ±10–40 µε, a soil probe ±1–3 %;
//! - *irrigation schedule changed* (3 series), for good: another programme drawn as above.
//!
//! Inherent to the shapes and not labelled either: rain events and their rises, seasons,
//! weather's wander and episodes, weekends, pump cycles, gusts and traffic.
//!
//! **Anomalies.** 60 in 32 series (3 with three, 22 with two); 8 series have none. Sizes said in
//! *spans* are of the series with its benign changes before the anomaly (0.1 to 99.9 percentile):
//!
//! - *leak* (4): a water zone's main burst (+25–100 % of the night minimum at once, 40 %) or a
//!   joint leaking (the same, growing linearly over 1–5 days), to the end;
//! - *pump failure* (5): a heating network's circulation pump tripped for 2–8 hours (the supply
//!   line cooling to 35–50 °C over 1–3 hours, then recovering); a wet well's duty pump failing to
//!   start for 3–12 hours (the level rising to the standby's start on its turn: its cycle missing);
//! - *no response* (6): a heating controller's outdoor sensor failed, the curve held at the
//!   temperature then, to the end; a river gauge's intake blocked (its well following the river
//!   over 1–3 days, the noise ×0.2) or a soil probe out of contact (seeing the soil dry, never wet),
//!   for 2–5 days, a storm of 3–8 mm/h for 3–8 hours falling 1–12 hours in;
//! - *amplitude change* (4): a bridge's bearing seized, the thermal strain ×2–3.5 over 2–12 hours,
//!   for good;
//! - *trend* (4), for 14–28 days, then held: a construction site's dust (+0.01–0.03 times the
//!   background a day), a cracked member creeping (±0.05–0.15 spans a day), a buried pipe leaking
//!   into the soil (0.1–0.3 mm/h at once, 0.05–0.15 mm/h more a day);
//! - *drift* (7), growing linearly, then held: an air monitor's optical chamber fouling (×1.3–1.8
//!   over 2–7 days), an anemometer's cups icing up (×0.4–0.7 over 3–12 hours, shed 12–48 hours
//!   later), a heating transmitter or a well's sensor (±0.15–0.4 spans over 1–4 days), a river
//!   gauge's or a soil probe's (the same over 2–7 days);
//! - *level shift* (8), to the end: a wrong calibration factor for a water meter or an anemometer
//!   (×0.8–0.92 or ×1.08–1.2); a heating transmitter's offset error, a river gauge knocked, a crack
//!   opening in a bridge, a soil probe disturbed (±0.2–0.45 spans);
//! - *spike* (9): 1–3 points off by 0.8–2 spans either way (a meter's, an air monitor's or an
//!   anemometer's half of the time dropping out to 0 instead; a reading below 0 reads 0);
//! - *stuck* (7): repeating its last reading other than 0 for an hour to 12 hours (6–150 points);
//! - *variance change* (6), to the end: the noise ×3–8 (a meter's electrodes fouled, a supply loop
//!   hunting, a stilling well broken, a sampling pump failing, a sensor's cable damaged, a worn
//!   bearing).
//!
//! Each anomaly is labelled where it shows: the first point at or after where it was drawn at
//! which the series with that anomaly alone (and its benign changes) reads differently from the
//! one without (every row simulated draws its noise from its own seed, so the two differ only where
//! the anomaly acts and while the state it leaves differs).
//!
//! | shape (cadences) | leak | pump | no response | amplitude | trend | drift | shift | spike | stuck | variance | none |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | water (5m 15m) | 0 1 2 3 | | | | | | 1 | 0 | 3 | 3 | 4 |
//! | heating (5m 10m 15m) | | 5 7 | 5 8 | | | 7 | 7 | 6 | | 8 | 9 |
//! | river (15m 30m 1h) | | | 10 12 | | | 11 | 11 | 10 | 12 | 13 | 14 |
//! | air (10m 15m 1h) | | | | | 15 | 16 | 17 | 15 18 | 18 | 16 | 19 |
//! | well (2m 5m) | | 20 21 22 | | | | 23 | | 20 | 22 | 23 | 24 |
//! | wind (1m 5m 10m) | | | | | | 25 28 | 28 | 26 | 25 27 | 27 | 29 |
//! | strain (10m 15m 30m) | | | | 30 31 32 33 | 31 | | 30 32 | 32 | 33 | | 34 |
//! | soil (15m 30m 1h) | | | 35 36 | | 35 37 | 37 | 38 | 36 | | | 39 |
//!
//! (Series indices, once per anomaly.)
//!
//! **Placement.** Each anomaly is drawn at a point, then shows there or later and is over within
//! its *reach* ([`Kind::reach`]: its longest duration; a pump's longest failure and the recovery;
//! for a sensor that no longer responds the storm it misses and, for a river gauge or a soil
//! probe, the days until it is cleared; an icing's hold; a day for a bearing's swing; and a margin
//! of two hours or 12 points), counted in points. The room runs from the later of the length
//! class' first point (300, 600 or 1,000) and the first point whose window clears NAB's probation
//! (15 % of the series, at most 750 points) to the last that leaves the reach and the window
//! inside the series, cut into equal parts as the other corpora cut it ([`place`]), so that
//! windows never overlap and an anomaly's reach ends before the next one's window.
//!
//! **Windows.** As NAB labels its corpus: a window of 10 % of the series length divided by the
//! number of its anomalies, centred on each anomaly's first point, i.e. rows
//! `start − half ..= start + half` with `half = n / 10 / k / 2`.
//!
//! **Scoring.** As the corpora since `varied`: NAB's three profiles with one threshold for the
//! whole corpus chosen on NAB's grid and the score at the anomaly job's default threshold; per
//! kind at the standard profile's corpus threshold the score of the series holding it with only
//! its windows, the windows caught, the false positives and the delay of the first detection; per
//! series the raw score and the highest score in each window. The benign changes of each series
//! are printed first.

use std::f64::consts::TAU;
use std::time::Instant;

use crate::common::{
    Anomaly, Benign, BenignRows, Clock, DAY_S, Envelope, FOREVER, HOUR_S, Hold, Labelled, Length,
    Reported, Rhythm, Rng, Timing, Wander, active, added, bump, check_benign, check_kinds,
    check_series, check_values, duration_text, factor, first_shown, first_time, half_width,
    hour_of, hours, is_weekend, local_text, mark_shown, missing_points, place, print_benign,
    print_summary, probation, rows, score_and_report, smoothstep, span_before, stamped, view, wave,
    windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold. The corpus was
/// written without running the detector on it; first measured 2026-12-08 with model version 17:
/// 37.79 (34.02 at the job's threshold), less a margin. Held out for the next detector change.
const MINIMUM_STANDARD_SCORE: f64 = 37.3;

/// Monday 2030-10-07 00:00 UTC, in seconds since the epoch: the week the series start in, early
/// in a northern heating season.
const BASE_S: i64 = 1_917_561_600;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0x656E_0000_0000;
/// Time zones the series live in, in seconds ahead of UTC, all northern so that the seasons
/// agree: Vancouver, Denver, Toronto, Reykjavík, Copenhagen, Helsinki, Ankara and Sapporo
/// (standard time).
const TIME_ZONES: [i64; 8] = [-28_800, -25_200, -18_000, 0, 3_600, 7_200, 10_800, 32_400];

/// Benign change: the local clock moves by an hour once.
const DST: u8 = 1;
/// Benign change: a public holiday (a fireworks night over an air-quality station).
const HOLIDAY: u8 = 2;
/// Benign change: a storm beyond the usual rain, a river in flood.
const FLOOD: u8 = 4;
/// Benign change: a heat wave or a cold snap (a gale for an anemometer).
const WEATHER: u8 = 8;
/// Benign change: planned maintenance (valve works, a fixed supply, a wet well pumped down, an
/// anemometer replaced, a bridge closed for inspection).
const MAINTENANCE: u8 = 16;
/// Benign change: a sensor recalibrated, for good.
const RECAL: u8 = 32;
/// Benign change: an irrigation schedule changed, for good.
const IRRIGATION: u8 = 64;

/// The fewest and most points of a short, a medium and a long series.
const POINTS: [(usize, usize); 3] = [(1_500, 3_000), (3_000, 7_000), (7_000, 13_000)];

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A water distribution zone's inflow, L/s.
    Water,
    /// A district-heating network's supply temperature, °C.
    Heating,
    /// A river gauge's level, m.
    River,
    /// An urban air-quality station's PM2.5, µg/m³.
    Air,
    /// A wastewater pumping station's wet-well level, %.
    Well,
    /// An anemometer's wind speed, m/s.
    Wind,
    /// A bridge's strain gauge, µε.
    Strain,
    /// A soil moisture probe's volumetric water content, %.
    Soil,
}

impl Shape {
    /// The benign changes the shape can have.
    fn benign(self) -> u8 {
        match self {
            Shape::Water => DST | HOLIDAY | WEATHER | MAINTENANCE,
            Shape::Heating => DST | WEATHER | MAINTENANCE | RECAL,
            Shape::River => FLOOD | RECAL,
            Shape::Air => DST | HOLIDAY | WEATHER | RECAL,
            Shape::Well => DST | FLOOD | MAINTENANCE,
            Shape::Wind => WEATHER | MAINTENANCE,
            Shape::Strain => DST | HOLIDAY | WEATHER | MAINTENANCE | RECAL,
            Shape::Soil => FLOOD | IRRIGATION | RECAL,
        }
    }

    /// The kinds of anomaly the shape can have.
    fn kinds(self) -> &'static [Kind] {
        use Kind::{
            Amplitude, Drift, Leak, NoResponse, PumpFailure, Shift, Spike, Stuck, Trend, Variance,
        };
        match self {
            Shape::Water => &[Leak, Spike, Shift, Stuck, Variance],
            Shape::Heating => &[PumpFailure, NoResponse, Drift, Shift, Variance, Spike],
            Shape::River => &[NoResponse, Spike, Stuck, Drift, Shift, Variance],
            Shape::Air => &[Spike, Drift, Trend, Shift, Variance, Stuck],
            Shape::Well => &[PumpFailure, Stuck, Spike, Drift, Variance],
            Shape::Wind => &[Stuck, Drift, Spike, Variance, Shift],
            Shape::Strain => &[Amplitude, Shift, Drift, Trend, Spike, Stuck, Variance],
            Shape::Soil => &[NoResponse, Trend, Spike, Stuck, Drift, Shift],
        }
    }

    /// Whether a point reads the mean of its interval (a flow meter's, an optical particle
    /// counter's, an anemometer's average) rather than the state at its time.
    fn mean(self) -> bool {
        matches!(self, Shape::Water | Shape::Air | Shape::Wind)
    }

    /// A value as the series reports it, to its resolution: a river's level to the millimetre,
    /// a wind speed to 0.01 m/s, everything else to 0.1 of its unit.
    fn read(self, v: f64) -> f64 {
        let unit = match self {
            Shape::River => 0.001,
            Shape::Wind => 0.01,
            _ => 0.1,
        };
        // Adding 0 makes a rounded −0 read 0.
        (v / unit).round() * unit + 0.0
    }

    /// The lowest and highest values it reads (a sensor's range).
    fn bounds(self) -> (f64, f64) {
        match self {
            Shape::Water => (0.0, 5_000.0),
            Shape::Heating => (0.0, 150.0),
            Shape::River => (0.0, 30.0),
            Shape::Air => (0.0, 1_000.0),
            Shape::Well => (0.0, 100.0),
            Shape::Wind => (0.0, 75.0),
            Shape::Strain => (-3_000.0, 3_000.0),
            Shape::Soil => (0.0, 60.0),
        }
    }

    /// Whether a spike may be a dropout (the reading 0 for a point or three): a meter, a
    /// particle counter or an anemometer losing its signal.
    fn drops_out(self) -> bool {
        matches!(self, Shape::Water | Shape::Air | Shape::Wind)
    }

    /// What a spike is, a stuck sensor's cause and a variance change's, for the report.
    fn causes(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Shape::Water => (
                "a meter glitch",
                "the logger repeating its reading",
                "the meter's electrodes fouled",
            ),
            Shape::Heating => (
                "an electrical glitch",
                "the transmitter stuck",
                "the supply loop hunting (a sticking valve)",
            ),
            Shape::River => (
                "a spurious radar echo",
                "the float stuck in its well",
                "the stilling well broken, waves in it",
            ),
            Shape::Air => (
                "an insect in the inlet",
                "the analyser's buffer repeating",
                "the sampling pump failing",
            ),
            Shape::Well => (
                "a splash on the ultrasonic sensor",
                "the float stuck on grease",
                "the sensor's cable damaged",
            ),
            Shape::Wind => (
                "a telemetry glitch",
                "the cups frozen in ice",
                "a worn bearing rattling",
            ),
            Shape::Strain => (
                "an electrical glitch",
                "the logger hung",
                "the gauge's bond loosening",
            ),
            Shape::Soil => (
                "a telemetry glitch",
                "the logger repeating its reading",
                "the probe's electronics failing",
            ),
        }
    }
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A water zone's leak: the night minimum flow rising, suddenly or slowly.
    Leak,
    /// A pump failing: a heating network's circulation pump tripped, a wet well's duty pump
    /// not starting (its cycle missing, the level rising to the standby's start).
    PumpFailure,
    /// The sensor no longer following the process: a heating controller's outdoor sensor
    /// failed, a river gauge's intake blocked, a soil probe out of contact, with rain it misses.
    NoResponse,
    /// The daily cycle's swing changing for good: a bridge's bearing seized.
    Amplitude,
    /// A trend in the process where none was, for weeks: a construction site's dust, a cracked
    /// member's creep, a buried pipe leaking into the soil.
    Trend,
    /// A sensor drifting, linearly for hours to days, then held (an anemometer icing up).
    Drift,
    /// The level moving for good: a calibration error, a datum knocked, a crack opening.
    Shift,
    /// One to three points far off, or dropping out to 0.
    Spike,
    /// Repeating its last reading other than 0 for a while.
    Stuck,
    /// The noise growing, for good.
    Variance,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 11] = [
    Kind::Leak,
    Kind::PumpFailure,
    Kind::NoResponse,
    Kind::Amplitude,
    Kind::Trend,
    Kind::Drift,
    Kind::Shift,
    Kind::Spike,
    Kind::Stuck,
    Kind::Variance,
    Kind::None,
];

impl Kind {
    /// Short name, for series names.
    fn label(self) -> &'static str {
        match self {
            Kind::Leak => "leak",
            Kind::PumpFailure => "pump",
            Kind::NoResponse => "noresponse",
            Kind::Amplitude => "amplitude",
            Kind::Trend => "trend",
            Kind::Drift => "drift",
            Kind::Shift => "shift",
            Kind::Spike => "spike",
            Kind::Stuck => "stuck",
            Kind::Variance => "variance",
            Kind::None => "none",
        }
    }

    /// The fewest and most points it lasts on a series of `step`-second points (0 for a change
    /// whose length is drawn in time or that lasts to the end): a spike 1–3, a stuck sensor an
    /// hour to 12 hours (6–150 points).
    fn duration(self, step: i64) -> (usize, usize) {
        match self {
            Kind::Spike => (1, 3),
            Kind::Stuck => {
                let low = rows(HOUR_S, step).clamp(6, 150);
                (low, rows(12 * HOUR_S, step).clamp(low, 150))
            }
            _ => (0, 0),
        }
    }

    /// How many seconds after its drawn point an anomaly of this kind may act on a series of
    /// `shape` and `step`-second points, to show and be over: its longest duration; a pump's
    /// longest failure and the network's or the well's recovery; for a sensor that no longer
    /// responds, the rain it misses (up to 12 hours later) and the response that rain would
    /// have had; a day for a bearing's swing to show; and a margin of two hours or 12 points.
    fn reach(self, shape: Shape, step: i64) -> i64 {
        let lasting = self.duration(step).1 as i64 * step;
        let margin = (2 * HOUR_S).max(12 * step);
        margin
            + match (self, shape) {
                (Kind::Spike | Kind::Stuck, _) => lasting,
                (Kind::PumpFailure, Shape::Heating) => 14 * HOUR_S,
                (Kind::PumpFailure, _) => 15 * HOUR_S,
                (Kind::NoResponse, Shape::River | Shape::Soil) => 5 * DAY_S + 12 * HOUR_S,
                (Kind::NoResponse, _) | (Kind::Amplitude, _) => DAY_S,
                (Kind::Drift, Shape::Wind) => 60 * HOUR_S,
                (Kind::Leak | Kind::Drift | Kind::Trend, _) => 12 * HOUR_S,
                (Kind::Shift | Kind::Variance | Kind::None, _) => 0,
            }
    }
}

/// One series of the corpus as planned: everything else is drawn from its seed.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// The shape.
    shape: Shape,
    /// Seconds between points.
    step: i64,
    /// The length class.
    length: Length,
    /// Regular, jittered or with points missing.
    timing: Timing,
    /// The benign changes, as flags.
    benign: u8,
    /// The anomalies, in time order (empty: none).
    kinds: &'static [Kind],
}

/// A [`Plan`], briefly.
const fn plan(
    shape: Shape,
    step: i64,
    length: Length,
    timing: Timing,
    benign: u8,
    kinds: &'static [Kind],
) -> Plan {
    Plan {
        shape,
        step,
        length,
        timing,
        benign,
        kinds,
    }
}

/// The corpus; the seed is the series' index.
#[rustfmt::skip]
const CORPUS: [Plan; 40] = {
    use Kind::{
        Amplitude, Drift, Leak, NoResponse as Blind, PumpFailure as Pump, Shift, Spike, Stuck,
        Trend, Variance,
    };
    use Length::{Long, Medium, Short};
    use Shape::{Air, Heating as Heat, River, Soil, Strain, Water, Well, Wind};
    use Timing::{Jitter, Missing, Regular};
    [
        //   shape   step   length  timing   benign changes                      anomalies
        plan(Water,  900,   Long,   Regular, DST | HOLIDAY,                      &[Leak, Spike]),
        plan(Water,  300,   Long,   Regular, WEATHER | MAINTENANCE,              &[Shift, Leak]),
        plan(Water,  300,   Medium, Jitter,  DST,                                &[Leak]),
        plan(Water,  900,   Long,   Missing, HOLIDAY | WEATHER,                  &[Stuck, Leak, Variance]),
        plan(Water,  900,   Medium, Regular, DST | MAINTENANCE,                  &[]),
        plan(Heat,   600,   Long,   Regular, WEATHER | DST,                      &[Pump, Blind]),
        plan(Heat,   300,   Short,  Regular, 0,                                  &[Spike]),
        plan(Heat,   900,   Long,   Missing, RECAL | MAINTENANCE,                &[Drift, Pump, Shift]),
        plan(Heat,   600,   Medium, Jitter,  WEATHER,                            &[Variance, Blind]),
        plan(Heat,   900,   Medium, Regular, WEATHER | RECAL,                    &[]),
        plan(River,  900,   Long,   Regular, FLOOD,                              &[Blind, Spike]),
        plan(River,  3_600, Long,   Regular, FLOOD | RECAL,                      &[Drift, Shift]),
        plan(River,  1_800, Medium, Missing, RECAL,                              &[Stuck, Blind]),
        plan(River,  900,   Short,  Jitter,  0,                                  &[Variance]),
        plan(River,  1_800, Medium, Regular, FLOOD,                              &[]),
        plan(Air,    600,   Long,   Regular, HOLIDAY | DST,                      &[Trend, Spike]),
        plan(Air,    3_600, Long,   Regular, WEATHER | RECAL,                    &[Drift, Variance]),
        plan(Air,    900,   Medium, Jitter,  HOLIDAY,                            &[Shift]),
        plan(Air,    600,   Short,  Regular, 0,                                  &[Spike, Stuck]),
        plan(Air,    900,   Medium, Regular, HOLIDAY | WEATHER | DST,            &[]),
        plan(Well,   120,   Long,   Regular, FLOOD | MAINTENANCE,                &[Pump, Spike]),
        plan(Well,   120,   Short,  Regular, 0,                                  &[Pump]),
        plan(Well,   300,   Long,   Missing, FLOOD | DST,                        &[Stuck, Pump]),
        plan(Well,   120,   Medium, Jitter,  MAINTENANCE,                        &[Variance, Drift]),
        plan(Well,   300,   Medium, Regular, FLOOD | DST,                        &[]),
        plan(Wind,   600,   Long,   Regular, WEATHER,                            &[Stuck, Drift]),
        plan(Wind,   60,    Short,  Jitter,  0,                                  &[Spike]),
        plan(Wind,   300,   Long,   Regular, WEATHER | MAINTENANCE,              &[Variance, Stuck]),
        plan(Wind,   600,   Medium, Missing, MAINTENANCE,                        &[Drift, Shift]),
        plan(Wind,   300,   Medium, Regular, WEATHER,                            &[]),
        plan(Strain, 900,   Long,   Regular, WEATHER | DST,                      &[Amplitude, Shift]),
        plan(Strain, 600,   Long,   Regular, MAINTENANCE | RECAL,                &[Trend, Amplitude]),
        plan(Strain, 1_800, Long,   Missing, WEATHER | HOLIDAY,                  &[Shift, Amplitude, Spike]),
        plan(Strain, 600,   Medium, Jitter,  RECAL,                              &[Amplitude, Stuck]),
        plan(Strain, 900,   Medium, Regular, WEATHER | MAINTENANCE | RECAL,      &[]),
        plan(Soil,   1_800, Long,   Regular, IRRIGATION | RECAL,                 &[Blind, Trend]),
        plan(Soil,   900,   Long,   Regular, FLOOD,                              &[Spike, Blind]),
        plan(Soil,   3_600, Medium, Missing, IRRIGATION,                         &[Trend, Drift]),
        plan(Soil,   900,   Short,  Regular, 0,                                  &[Shift]),
        plan(Soil,   1_800, Medium, Regular, IRRIGATION | FLOOD | RECAL,         &[]),
    ]
};

/// What an effect acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    /// A factor on the process' main quantity: a zone's demand, a concentration, a wind speed.
    Level,
    /// A factor on the reading: a meter's or a sensor's calibration, an anemometer iced.
    Gain,
    /// Added to the reading.
    Extra,
    /// A factor on the measurement noise.
    Noise,
    /// The last reading other than 0 repeated.
    Hold,
    /// The reading dropping out to 0.
    Drop,
    /// Added to a zone's inflow, L/s: a leak.
    Leak,
    /// Added to the outdoor temperature, °C: a heat wave or a cold snap.
    Heat,
    /// Added to the rain, mm/h.
    Rain,
    /// Added to a concentration, µg/m³: fireworks' smoke.
    Smoke,
    /// A heating network's circulation pump stopped.
    Stop,
    /// A heating network's supply held at this temperature, °C.
    Fixed,
    /// The sensor no longer following the process: a controller's outdoor temperature frozen at
    /// this value (°C), a river gauge's well following the river with this time constant (s), a
    /// soil probe out of contact.
    Blind,
    /// A wet well's duty pump failed.
    Pump,
    /// A wet well pumped down for cleaning.
    PumpDown,
    /// A factor on a bridge's thermal strain.
    Thermal,
    /// A factor on a bridge's traffic.
    Traffic,
    /// A public holiday: the local day on a weekend's rhythm.
    Holiday,
    /// A soil plot's irrigation on its changed schedule.
    Schedule,
    /// Added to a soil's water, mm/h: a buried pipe leaking.
    Wet,
}

/// A change rendered into a series.
type Effect = crate::common::Effect<Channel>;

/// An irrigation programme: every `every` days from day `phase`, at a local hour, for some
/// minutes at a drip's rate.
#[derive(Debug, Clone, Copy)]
struct Irrigation {
    /// Local hour it starts.
    hour: f64,
    /// Days between runs.
    every: i64,
    /// The local day (mod `every`) it runs on.
    phase: i64,
    /// Minutes it lasts.
    minutes: f64,
    /// Its rate, mm/h.
    rate: f64,
}

impl Irrigation {
    /// A programme drawn: at 04:00–07:00 or 19:00–22:00, every 1–3 days, for 20–90 minutes at
    /// 8–20 mm/h.
    fn draw(rng: &mut Rng) -> Irrigation {
        let every = 1 + rng.below(3) as i64;
        Irrigation {
            hour: if rng.unit() < 0.6 {
                rng.range(4.0, 7.0)
            } else {
                rng.range(19.0, 22.0)
            },
            every,
            phase: rng.below(every as usize) as i64,
            minutes: rng.range(20.0, 90.0),
            rate: rng.range(8.0, 20.0),
        }
    }

    /// Its rate at local time `local`, mm/h.
    fn at(&self, local: i64) -> f64 {
        let day = local.div_euclid(DAY_S);
        let hour = hour_of(local);
        let on = (day - self.phase).rem_euclid(self.every) == 0
            && hour >= self.hour
            && hour < self.hour + self.minutes / 60.0;
        if on { self.rate } else { 0.0 }
    }

    /// The programme, for the report.
    fn describe(&self) -> String {
        let start = (self.hour * 60.0).round() as i64;
        format!(
            "every {} at {:02}:{:02} for {:.0} min at {:.0} mm/h",
            if self.every == 1 {
                "day".to_string()
            } else {
                format!("{} days", self.every)
            },
            start / 60,
            start % 60,
            self.minutes,
            self.rate
        )
    }
}

/// The process behind a series, its parameters drawn from the seed.
#[derive(Debug, Clone, Copy)]
enum Model {
    /// A zone's inflow: demand over the day on a profile, its night minimum the legitimate
    /// night use and background leakage.
    Water {
        /// The morning peak's demand, L/s.
        demand: f64,
        /// The night minimum's share of it.
        night: f64,
        /// The morning peak (07:30), the midday plateau (13:00) and the evening peak (19:30), as
        /// shares.
        peaks: (f64, f64, f64),
        /// Hours the morning peak comes later on a weekend or holiday.
        late: f64,
        /// The daytime's factor on a weekend or holiday.
        weekend: f64,
        /// Share more daytime demand per °C above 18 (gardens).
        garden: f64,
        /// The meter's noise, L/s.
        noise: f64,
    },
    /// A supply temperature under weather compensation.
    Heating {
        /// The outdoor temperature the curve pivots on, °C.
        pivot: f64,
        /// The supply at the pivot, °C.
        base: f64,
        /// °C of supply per °C colder.
        slope: f64,
        /// The lowest (hot water in summer) and highest supply, °C.
        range: (f64, f64),
        /// The morning boost (06:30), °C.
        boost: f64,
        /// The night setback (02:30), °C.
        setback: f64,
        /// The supply's time constant, s.
        lag: f64,
        /// The controller's outdoor-temperature filter, s.
        filter: f64,
        /// Where the supply line cools to with its pump stopped, °C, and how fast (s).
        cool: (f64, f64),
        /// The transmitter's noise, °C.
        noise: f64,
    },
    /// A river's level: rain through a quick store routed once and a slow store, read on a
    /// rating curve.
    River {
        /// The level at no flow, m.
        datum: f64,
        /// Metres per (mm/h)^0.6 of flow.
        scale: f64,
        /// Rain's share running off quickly and its share reaching the slow store.
        shares: (f64, f64),
        /// Time constants of the quick store, its routing and the slow store, hours.
        stores: (f64, f64, f64),
        /// Flow from deep groundwater, mm/h.
        base_flow: f64,
        /// The rain's long-run mean, mm/h, for the stores' start.
        mean_rain: f64,
        /// The gauge's noise, m.
        noise: f64,
    },
    /// PM2.5 at an urban station.
    Air {
        /// The background, µg/m³.
        background: f64,
        /// Traffic's share at the commute's peaks.
        rush: f64,
        /// Domestic heating's share at 20:30 on a cold evening.
        domestic: f64,
        /// How strongly rain washes particles out, per mm/h.
        washout: f64,
        /// The counter's relative noise a substep.
        chop: f64,
        /// The measurement noise, µg/m³.
        noise: f64,
    },
    /// A wet well's level between two alternating pumps.
    Well {
        /// Dry-weather inflow at its peak, % of the well a minute.
        dry: f64,
        /// The night's share of it.
        night: f64,
        /// Inflow per mm/h of infiltrating rain, % a minute.
        wet: f64,
        /// The infiltration's time constant, s.
        soak: f64,
        /// One pump's rate, % a minute.
        rate: f64,
        /// Start, stop and standby-start levels, %.
        levels: (f64, f64, f64),
        /// The sensor's noise, %.
        noise: f64,
    },
    /// A wind speed: weather systems, a daily cycle, turbulence and heavy-tailed gusts.
    Wind {
        /// The mean speed, m/s.
        mean: f64,
        /// The wander's standard deviation (in logs): weather systems.
        spread: f64,
        /// The daily cycle's swing as a share, strongest at 14:00.
        diurnal: f64,
        /// Turbulence intensity.
        turbulence: f64,
        /// The gusts' Pareto shape.
        alpha: f64,
        /// The sensor's noise, m/s.
        noise: f64,
    },
    /// A bridge's strain: a thermal cycle through the deck's temperature, and traffic.
    Strain {
        /// The offset, µε.
        offset: f64,
        /// µε per °C of the deck.
        coefficient: f64,
        /// The deck's temperature of no thermal strain, °C.
        reference: f64,
        /// The deck's thermal time constant, s.
        deck_lag: f64,
        /// The sun's heating of the deck at 14:00, °C.
        solar: f64,
        /// Vehicles on the span at a busy moment (a Poisson mean).
        vehicles: f64,
        /// A vehicle's mean strain, µε.
        truck: f64,
        /// The traffic's rhythm over the day and week.
        rhythm: Rhythm,
        /// The gauge's noise, µε.
        noise: f64,
    },
    /// A soil's volumetric water content under rain, irrigation, drainage and evaporation.
    Soil {
        /// Residual, field capacity and saturation, %.
        contents: (f64, f64, f64),
        /// The root zone's depth, mm.
        depth: f64,
        /// The drainage's time constant above field capacity, s.
        drainage: f64,
        /// Evapotranspiration at 20 °C, mm a day.
        et: f64,
        /// The irrigation programme, if the plot is irrigated.
        irrigation: Option<Irrigation>,
        /// The programme after a change.
        changed: Irrigation,
        /// The probe's noise, %.
        noise: f64,
    },
}

/// A series' process state between substeps (each shape uses the fields it names).
#[derive(Debug, Clone, Default)]
struct State {
    /// The process' level: a supply temperature, a wet well's level, a deck's temperature, a
    /// soil's water content.
    level: f64,
    /// A filtered input: a controller's outdoor temperature, a river's quick store, a wet
    /// well's infiltration.
    inner: f64,
    /// A river's routing store.
    route: f64,
    /// A river's slow store.
    slow: f64,
    /// What a sensor that no longer responds reads: a blocked well's level, a soil probe's.
    probe: f64,
    /// Wet-well pumps running.
    on: u8,
    /// The wet-well pump whose turn it is.
    duty: u8,
}

/// A substep a series is simulated over.
#[derive(Clone, Copy)]
struct Moment<'a> {
    /// UTC second it ends at.
    tau: i64,
    /// Local second it ends at.
    local: i64,
    /// Seconds it lasts.
    dt: f64,
    /// The process' wander.
    w: f64,
    /// The outdoor temperature, °C, with its heat waves and cold snaps.
    temp: f64,
    /// The rain, mm/h, with its storms.
    rain: f64,
    /// The effects.
    effects: &'a [Effect],
}

impl Moment<'_> {
    /// The product of `channel`'s factors now.
    fn factor(&self, channel: Channel) -> f64 {
        factor(self.effects, channel, self.tau)
    }

    /// The sum of `channel`'s additions now.
    fn added(&self, channel: Channel) -> f64 {
        added(self.effects, channel, self.tau)
    }

    /// The size of `channel`'s last effect on now, if any is.
    fn active(&self, channel: Channel) -> Option<f64> {
        active(self.effects, channel, self.tau)
    }
}

/// A series' weather: its outdoor temperature and its rain, drawn from its own stream so that
/// the process' draws do not move it.
#[derive(Debug, Clone)]
struct Weather {
    /// The annual mean, °C.
    mean: f64,
    /// The outdoor temperature at each row simulated, °C.
    temps: Vec<f64>,
    /// The rain at each row simulated, mm/h.
    rains: Vec<f64>,
}

impl Weather {
    /// The weather of `rows` rows of `step` seconds from `origin` in time zone `tz`: an annual
    /// mean of 4–14 °C, a season of ±8–14 °C warmest in mid-July, a daily swing of ±2–6 °C
    /// warmest at 15:00 local, a wander σ 2–3.5 °C over 2–5 days; rain events 0.15–0.5 a day,
    /// lasting 1–10 hours (log-uniform) at 0.3–6 mm/h (log-uniform).
    fn draw(rng: &mut Rng, origin: i64, step: i64, rows: usize, tz: i64) -> Weather {
        let mean = rng.range(4.0, 14.0);
        let season = rng.range(8.0, 14.0);
        let swing = rng.range(2.0, 6.0);
        let tau = rng.range(2.0, 5.0) * DAY_S as f64;
        let sigma = rng.range(2.0, 3.5);
        let mut walk = Wander::new(rng, step, tau, sigma);
        let temps: Vec<f64> = (0..rows)
            .map(|row| {
                let t = origin + row as i64 * step;
                let days = t as f64 / DAY_S as f64;
                let annual = season * (TAU * (days - 196.0) / 365.25).cos();
                let daily = swing * (2.0 * wave(hour_of(t + tz), 15.0) - 1.0);
                mean + annual + daily + walk.next(rng)
            })
            .collect();
        let per_day = rng.range(0.15, 0.5);
        let mut rains = vec![0.0; rows];
        let end = origin + rows as i64 * step;
        let mut at = origin as f64;
        loop {
            at += -(1.0 - rng.unit()).ln() / per_day * DAY_S as f64;
            if at >= end as f64 {
                break;
            }
            let lasting = rng.log_range(1.0, 10.0) * HOUR_S as f64;
            let rate = rng.log_range(0.3, 6.0);
            let from = ((at - origin as f64) / step as f64).ceil() as usize;
            let to = ((at + lasting - origin as f64) / step as f64).ceil() as usize;
            rains[from.min(rows)..to.min(rows)]
                .iter_mut()
                .for_each(|r| *r += rate);
        }
        Weather { mean, temps, rains }
    }
}

impl Model {
    /// A model of `shape` with its parameters drawn (`irrigated`: a soil plot under a
    /// programme), in a climate of annual mean `mean` °C with rain of long-run mean `rain`
    /// mm/h, and its wander's time constant (s) and standard deviation.
    fn draw(
        shape: Shape,
        rng: &mut Rng,
        irrigated: bool,
        mean: f64,
        rain: f64,
    ) -> (Model, (f64, f64)) {
        let h = HOUR_S as f64;
        match shape {
            Shape::Water => {
                let demand = rng.log_range(20.0, 400.0);
                let model = Model::Water {
                    demand,
                    night: rng.range(0.2, 0.4),
                    peaks: (
                        rng.range(0.55, 0.75),
                        rng.range(0.3, 0.45),
                        rng.range(0.4, 0.6),
                    ),
                    late: rng.range(1.0, 2.5),
                    weekend: rng.range(0.8, 0.95),
                    garden: rng.range(0.01, 0.03),
                    noise: demand * rng.range(0.003, 0.01),
                };
                (model, (rng.range(6.0, 24.0) * h, rng.range(0.03, 0.06)))
            }
            Shape::Heating => {
                let low = rng.range(65.0, 75.0);
                let model = Model::Heating {
                    pivot: rng.range(15.0, 18.0),
                    base: low + rng.range(0.0, 5.0),
                    slope: rng.range(1.2, 2.2),
                    range: (low, rng.range(105.0, 120.0)),
                    boost: rng.range(2.0, 5.0),
                    setback: rng.range(2.0, 4.0),
                    lag: rng.range(20.0, 60.0) * 60.0,
                    filter: rng.range(3.0, 8.0) * h,
                    cool: (rng.range(35.0, 50.0), rng.range(1.0, 3.0) * h),
                    noise: rng.range(0.1, 0.3),
                };
                (model, (rng.range(1.0, 3.0) * h, rng.range(0.3, 1.0)))
            }
            Shape::River => {
                let model = Model::River {
                    datum: rng.range(0.2, 1.5),
                    scale: rng.range(0.5, 1.5),
                    shares: (rng.range(0.15, 0.45), rng.range(0.1, 0.3)),
                    stores: (
                        rng.range(4.0, 24.0),
                        rng.range(1.0, 4.0),
                        rng.range(5.0, 20.0) * 24.0,
                    ),
                    base_flow: rng.range(0.01, 0.05),
                    mean_rain: rain,
                    noise: rng.range(0.002, 0.006),
                };
                (model, (rng.range(1.0, 6.0) * h, rng.range(0.002, 0.006)))
            }
            Shape::Air => {
                let model = Model::Air {
                    background: rng.log_range(5.0, 20.0),
                    rush: rng.range(0.3, 0.8),
                    domestic: rng.range(0.2, 0.6),
                    washout: rng.range(0.2, 0.5),
                    chop: rng.range(0.1, 0.25),
                    noise: rng.range(0.5, 1.5),
                };
                (
                    model,
                    (rng.range(1.0, 3.0) * DAY_S as f64, rng.range(0.35, 0.6)),
                )
            }
            Shape::Well => {
                let dry = rng.range(0.5, 2.0);
                let start = rng.range(55.0, 75.0);
                let model = Model::Well {
                    dry,
                    night: rng.range(0.3, 0.45),
                    wet: dry * rng.range(0.3, 0.8),
                    soak: rng.range(1.0, 6.0) * h,
                    rate: dry * rng.range(2.5, 4.0),
                    levels: (start, rng.range(15.0, 30.0), start + rng.range(8.0, 12.0)),
                    noise: rng.range(0.2, 0.5),
                };
                (model, (rng.range(6.0, 24.0) * h, rng.range(0.05, 0.12)))
            }
            Shape::Wind => {
                let spread = rng.range(0.35, 0.55);
                let model = Model::Wind {
                    mean: rng.range(4.0, 9.0),
                    spread,
                    diurnal: rng.range(0.15, 0.3),
                    turbulence: rng.range(0.12, 0.2),
                    alpha: rng.range(2.0, 3.0),
                    noise: rng.range(0.02, 0.08),
                };
                (model, (rng.range(1.0, 3.0) * DAY_S as f64, spread))
            }
            Shape::Strain => {
                let model = Model::Strain {
                    offset: rng.range(-200.0, 200.0),
                    coefficient: rng.sign() * rng.range(5.0, 15.0),
                    reference: mean,
                    deck_lag: rng.range(1.0, 3.0) * h,
                    solar: rng.range(3.0, 10.0),
                    vehicles: rng.range(0.05, 0.3),
                    truck: rng.range(20.0, 80.0),
                    rhythm: Rhythm::draw(rng, (12.0, 16.0), (0.05, 0.15), (0.5, 0.7)),
                    noise: rng.range(1.0, 3.0),
                };
                (
                    model,
                    (rng.range(2.0, 7.0) * DAY_S as f64, rng.range(2.0, 6.0)),
                )
            }
            Shape::Soil => {
                let residual = rng.range(5.0, 10.0);
                let capacity = rng.range(25.0, 35.0);
                let irrigation = Irrigation::draw(rng);
                let model = Model::Soil {
                    contents: (residual, capacity, capacity + rng.range(10.0, 15.0)),
                    depth: rng.range(100.0, 300.0),
                    drainage: rng.range(6.0, 24.0) * h,
                    et: rng.range(2.0, 6.0),
                    irrigation: (irrigated || rng.unit() < 0.4).then_some(irrigation),
                    changed: Irrigation::draw(rng),
                    noise: rng.range(0.1, 0.3),
                };
                (
                    model,
                    (rng.range(1.0, 4.0) * DAY_S as f64, rng.range(0.1, 0.4)),
                )
            }
        }
    }

    /// The measurement noise's standard deviation.
    fn sigma(&self) -> f64 {
        match *self {
            Model::Water { noise, .. }
            | Model::Heating { noise, .. }
            | Model::River { noise, .. }
            | Model::Air { noise, .. }
            | Model::Well { noise, .. }
            | Model::Wind { noise, .. }
            | Model::Strain { noise, .. }
            | Model::Soil { noise, .. } => noise,
        }
    }

    /// The state at the start of the simulation, `temp` the outdoor temperature then: settled
    /// where it has a steady state (a river's stores under the mean rain).
    fn state(&self, temp: f64) -> State {
        let mut state = State::default();
        match *self {
            Model::Heating { .. } => {
                state.inner = temp;
                state.level = 75.0;
            }
            Model::River {
                datum,
                scale,
                shares,
                stores,
                base_flow,
                mean_rain,
                ..
            } => {
                state.inner = shares.0 * mean_rain * stores.0;
                state.route = shares.0 * mean_rain * stores.1;
                state.slow = shares.1 * mean_rain * stores.2;
                let flow = (shares.0 + shares.1) * mean_rain + base_flow;
                state.probe = datum + scale * flow.powf(0.6);
            }
            Model::Well { levels, .. } => state.level = levels.1 + 5.0,
            Model::Strain { .. } => state.level = temp,
            Model::Soil { contents, .. } => {
                state.level = contents.1 - 3.0;
                state.probe = state.level;
            }
            _ => {}
        }
        state
    }

    /// One substep of the process: its value at the substep's end.
    fn substep(&self, st: &mut State, m: &Moment, rng: &mut Rng) -> f64 {
        let hour = hour_of(m.local);
        let holiday = m.active(Channel::Holiday).is_some();
        let rest = holiday || is_weekend(m.local);
        let dt_h = m.dt / HOUR_S as f64;
        let settle = |tc: f64| 1.0 - (-m.dt / tc).exp();
        match *self {
            Model::Water {
                demand,
                night,
                peaks,
                late,
                weekend,
                garden,
                ..
            } => {
                let shift = if rest { late } else { 0.0 };
                let day = peaks.0 * bump(hour, 7.5 + shift, 1.2)
                    + peaks.1 * bump(hour, 13.0, 3.0)
                    + peaks.2 * bump(hour, 19.5, 2.0);
                let day = day
                    * if rest { weekend } else { 1.0 }
                    * (1.0 + garden * (m.temp - 18.0).max(0.0));
                let flow = demand * (night + day) * m.w.exp() * m.factor(Channel::Level);
                // Consumption is many households at once: a few per cent of scatter a substep.
                flow * (1.0 + 0.03 * rng.normal()) + m.added(Channel::Leak)
            }
            Model::Heating {
                pivot,
                base,
                slope,
                range,
                boost,
                setback,
                lag,
                filter,
                cool,
                ..
            } => {
                st.inner += (m.temp - st.inner) * settle(filter);
                let outdoor = m.active(Channel::Blind).unwrap_or(st.inner);
                let curve = (base + slope * (pivot - outdoor)).clamp(range.0, range.1);
                let set = m.active(Channel::Fixed).unwrap_or(
                    curve + boost * bump(hour, 6.5, 0.8) - setback * bump(hour, 2.5, 1.5),
                );
                let (target, tc) = if m.active(Channel::Stop).is_some() {
                    cool
                } else {
                    (set + m.w, lag)
                };
                st.level += (target - st.level) * settle(tc);
                st.level
            }
            Model::River {
                datum,
                scale,
                shares,
                stores,
                base_flow,
                ..
            } => {
                st.inner += (shares.0 * m.rain - st.inner / stores.0) * dt_h;
                st.route += (st.inner / stores.0 - st.route / stores.1) * dt_h;
                st.slow += (shares.1 * m.rain - st.slow / stores.2) * dt_h;
                let flow = st.route / stores.1 + st.slow / stores.2 + base_flow;
                let level = datum + scale * flow.max(0.0).powf(0.6) + m.w;
                match m.active(Channel::Blind) {
                    Some(tc) => st.probe += (level - st.probe) * settle(tc),
                    None => st.probe = level,
                }
                st.probe
            }
            Model::Air {
                background,
                rush,
                domestic,
                washout,
                chop,
                ..
            } => {
                let commute = if rest { 0.35 } else { 1.0 }
                    * rush
                    * (bump(hour, 8.0, 1.0) + 0.8 * bump(hour, 18.0, 1.3));
                let smoke =
                    domestic * bump(hour, 20.5, 2.0) * (1.0 - smoothstep(0.0, 12.0, m.temp));
                let wash = 1.0 / (1.0 + washout * m.rain);
                let c = background
                    * m.w.exp()
                    * wash
                    * (1.0 + commute + smoke)
                    * m.factor(Channel::Level)
                    + m.added(Channel::Smoke);
                c * (1.0 + chop * rng.normal()).max(0.0)
            }
            Model::Well {
                dry,
                night,
                wet,
                soak,
                rate,
                levels: (start, stop, standby),
                ..
            } => {
                st.inner += (m.rain - st.inner) * settle(soak);
                let diurnal = night
                    + (1.0 - night) * (bump(hour, 8.5, 1.8) + 0.6 * bump(hour, 20.0, 2.5)).min(1.0);
                let inflow = dry * diurnal * m.w.exp() + wet * st.inner;
                let failed = m.active(Channel::Pump).is_some();
                if m.active(Channel::PumpDown).is_some() {
                    // Pumped down to 5 % and held there for the cleaning crew.
                    if st.level > 6.0 {
                        st.on = 1;
                    }
                    if st.level <= 5.0 {
                        st.on = 0;
                    }
                } else {
                    let duty_ready = !(failed && st.duty == 0);
                    if st.on == 0 && ((st.level >= start && duty_ready) || st.level >= standby) {
                        st.on = 1;
                        if !duty_ready {
                            // The standby takes over the failed duty pump's cycle.
                            st.duty = 1;
                        }
                    }
                    if st.on == 1 && st.level >= standby + 5.0 && !failed {
                        // A storm: both pumps.
                        st.on = 2;
                    }
                }
                st.level =
                    (st.level + (inflow - rate * st.on as f64) * m.dt / 60.0).clamp(0.0, 100.0);
                if m.active(Channel::PumpDown).is_none() && st.on > 0 && st.level <= stop {
                    st.on = 0;
                    st.duty = 1 - st.duty;
                }
                st.level
            }
            Model::Wind {
                mean,
                spread,
                diurnal,
                turbulence,
                alpha,
                ..
            } => {
                let u = mean
                    * (m.w - 0.5 * spread * spread).exp()
                    * (1.0 + diurnal * (2.0 * wave(hour, 14.0) - 1.0))
                    * m.factor(Channel::Level);
                let gust = if rng.unit() < 0.03 {
                    turbulence * (rng.pareto(alpha) - 1.0)
                } else {
                    0.0
                };
                (u * (1.0 + turbulence * rng.normal() + gust)).max(0.0)
            }
            Model::Strain {
                offset,
                coefficient,
                reference,
                deck_lag,
                solar,
                vehicles,
                truck,
                rhythm,
                ..
            } => {
                // Rain clouds the sun out and cools the deck.
                let sun = solar * bump(hour, 14.0, 2.5) / (1.0 + m.rain);
                st.level += (m.temp + sun - st.level) * settle(deck_lag);
                let thermal = coefficient * m.factor(Channel::Thermal) * (st.level - reference);
                let on_span = rng
                    .poisson(vehicles * rhythm.at(m.local, holiday) * m.factor(Channel::Traffic));
                let load: f64 = (0..on_span as usize)
                    .map(|_| truck * rng.gamma(2.0) / 2.0)
                    .sum();
                offset + thermal + load + m.w
            }
            Model::Soil {
                contents: (residual, capacity, saturation),
                depth,
                drainage,
                et,
                irrigation,
                changed,
                ..
            } => {
                let programme = if m.active(Channel::Schedule).is_some() {
                    Some(changed)
                } else {
                    irrigation
                };
                let water =
                    m.rain + programme.map_or(0.0, |p| p.at(m.local)) + m.added(Channel::Wet);
                let before = st.level;
                st.level = (st.level + water * dt_h / depth * 100.0).min(saturation);
                if st.level > capacity {
                    st.level -= (st.level - capacity) * settle(drainage);
                }
                // Evaporation by day (its mean over a day `et`), faster when warm, slower as the
                // soil dries.
                let rate =
                    et / 24.0 * wave(hour, 13.0).powi(2) / 0.375 * ((m.temp + 5.0) / 25.0).max(0.1);
                let dryness = ((st.level - residual) / (capacity - residual)).clamp(0.0, 1.0);
                st.level -= rate * dryness * dt_h / depth * 100.0;
                match m.active(Channel::Blind) {
                    // Out of contact, the probe sees the soil dry but never wet.
                    Some(_) => st.probe -= (before - st.level).max(0.0),
                    None => st.probe = st.level,
                }
                st.probe + m.w
            }
        }
    }
}

/// Everything a render of a series needs besides its effects.
struct Canvas<'a> {
    /// The shape, for reading.
    shape: Shape,
    /// The process.
    model: &'a Model,
    /// The UTC second the simulation starts at: half a day before the first point, so that a
    /// state settles.
    origin: i64,
    /// Seconds between points.
    step: i64,
    /// The local clock, with its daylight-saving change if any.
    clock: Clock,
    /// The wander at each row simulated (from the origin, half a day past the last point).
    wanders: &'a [f64],
    /// The weather at each row simulated.
    weather: &'a Weather,
    /// UTC seconds of every point of the grid, those missing too (the process runs on through
    /// a gap).
    grid: &'a [i64],
    /// The points kept.
    kept: &'a [usize],
    /// The seed each row's noise is drawn from, with its row.
    seed: u64,
}

impl Canvas<'_> {
    /// The readings at every point kept under `effects`. Every row simulated draws its noise
    /// from its own seed, and every point its measurement's, so that two renders differ only
    /// where their effects do, and after while the state they leave differs. The process is
    /// simulated in substeps of a minute (of 2 or 4 at 30 or 60); a point reads the substep
    /// ending at its time, or the mean of its interval's.
    fn render(&self, effects: &[Effect]) -> Vec<f64> {
        let subs = (self.step / 60).clamp(1, 15);
        let dt = self.step / subs;
        let mut state = self.model.state(self.weather.temps[0]);
        let mut trace = Vec::with_capacity(self.wanders.len() * subs as usize);
        for (row, w) in self.wanders.iter().enumerate() {
            let mut rng = Rng(self.seed ^ (row as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            for j in 0..subs {
                let tau = self.origin + row as i64 * self.step + (j + 1) * dt;
                let moment = Moment {
                    tau,
                    local: self.clock.local(tau),
                    dt: dt as f64,
                    w: *w,
                    temp: self.weather.temps[row] + added(effects, Channel::Heat, tau),
                    rain: self.weather.rains[row] + added(effects, Channel::Rain, tau),
                    effects,
                };
                trace.push(self.model.substep(&mut state, &moment, &mut rng));
            }
        }
        let sigma = self.model.sigma();
        let (floor, ceiling) = self.shape.bounds();
        let subs = subs as usize;
        let mut hold = Hold::default();
        self.kept
            .iter()
            .map(|row| {
                let t = self.grid[*row];
                let k = (((t - self.origin) as f64 / dt as f64).round() as usize)
                    .clamp(subs, trace.len())
                    - 1;
                let v = if self.shape.mean() {
                    trace[k + 1 - subs..=k].iter().sum::<f64>() / subs as f64
                } else {
                    trace[k]
                };
                let mut mrng = Rng(self.seed
                    ^ 0x5EED_0000
                    ^ (*row as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let noise = sigma * factor(effects, Channel::Noise, t) * mrng.normal();
                let v = v * factor(effects, Channel::Gain, t)
                    + noise
                    + added(effects, Channel::Extra, t);
                let v = if active(effects, Channel::Drop, t).is_some() {
                    0.0
                } else {
                    v.clamp(floor, ceiling)
                };
                let holding = active(effects, Channel::Hold, t).is_some();
                hold.read(self.shape.read(v), holding)
            })
            .collect()
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
    /// Its benign changes: the row each takes effect at and what it is.
    benign: Vec<(usize, String)>,
    /// `(timestamp ns, value)`.
    points: Vec<(i64, f64)>,
    /// NAB-style windows, inclusive row ranges, one per anomaly in the same order.
    windows: Vec<(usize, usize)>,
}

/// A cadence as a series' name gives it: `1m`, `30m`, `1h`.
fn cadence_text(step: i64) -> String {
    if step % HOUR_S == 0 {
        format!("{}h", step / HOUR_S)
    } else {
        format!("{}m", step / 60)
    }
}

/// The name of a series, as [`crate::common::series_name`] writes the other corpora's: index,
/// shape, cadence, its kinds' labels (`none` without) and its timing.
fn series_name(index: usize, plan: &Plan) -> String {
    let labels: Vec<&str> = plan.kinds.iter().map(|k| k.label()).collect();
    let kinds = if labels.is_empty() {
        "none".to_string()
    } else {
        labels.join("+")
    };
    format!(
        "{index:02}-{:?}-{}-{kinds}{}",
        plan.shape,
        cadence_text(plan.step),
        plan.timing.suffix()
    )
}

/// A factor below or above 1, evenly: in `down` or in `up`.
fn either(rng: &mut Rng, down: (f64, f64), up: (f64, f64)) -> f64 {
    if rng.unit() < 0.5 {
        rng.range(down.0, down.1)
    } else {
        rng.range(up.0, up.1)
    }
}

/// The benign changes of `plan` on a series of `model` under `clock` (its daylight-saving
/// change set here), placed by `room` and drawn from `layout`: their effects, and what each is
/// from when (UTC s).
fn benign_changes(
    plan: &Plan,
    model: &Model,
    clock: &mut Clock,
    room: &mut Benign,
    layout: &mut Rng,
) -> (Vec<Effect>, Vec<(i64, String)>) {
    let mut effects = Vec::new();
    let mut listed = Vec::new();
    let mut push = |channel, envelope, size| effects.push(Effect::new(channel, envelope, size));
    if plan.benign & DST != 0 {
        let (_, at) = room.moment(layout, clock, 2, 6..=6, 2 * HOUR_S);
        let shift = layout.sign() as i64 * HOUR_S;
        clock.dst_at = at;
        clock.dst_shift = shift;
        let way = if shift > 0 { "on" } else { "back" };
        listed.push((at, format!("daylight saving, the clock an hour {way}")));
    }
    if plan.benign & HOLIDAY != 0 {
        // A Monday to a Friday, its room taken to the next morning (fireworks' smoke settling).
        let (_, at) = room.moment(layout, clock, 0, 0..=4, DAY_S + 12 * HOUR_S);
        push(Channel::Holiday, Envelope::new(at, 0, DAY_S, 0), 1.0);
        let text = if matches!(model, Model::Air { .. }) {
            let size = layout.range(80.0, 300.0);
            let fall = hours(layout, 2.0, 4.0);
            let from = at + 21 * HOUR_S + HOUR_S / 2;
            push(
                Channel::Smoke,
                Envelope::new(from, HOUR_S / 2, HOUR_S / 2, fall),
                size,
            );
            format!(
                "public holiday, no commute, fireworks at 21:30 (+{size:.0} µg/m³, clearing over {})",
                duration_text(fall)
            )
        } else {
            "public holiday, a weekend's rhythm".to_string()
        };
        listed.push((at, text));
    }
    if plan.benign & FLOOD != 0 {
        let lasting = hours(layout, 6.0, 24.0);
        let recession = if matches!(model, Model::Well { .. }) {
            DAY_S
        } else {
            2 * DAY_S
        };
        let (_, at) = room.row(layout, lasting + recession);
        let total = layout.range(30.0, 90.0);
        push(
            Channel::Rain,
            Envelope::new(at, 0, lasting, 0),
            total / (lasting as f64 / HOUR_S as f64),
        );
        let what = match model {
            Model::River { .. } => "the river in flood",
            Model::Well { .. } => "the well filling fast, both pumps",
            _ => "the soil saturated",
        };
        listed.push((
            at,
            format!(
                "a storm of {total:.0} mm over {}, {what}",
                duration_text(lasting)
            ),
        ));
    }
    if plan.benign & WEATHER != 0 {
        if matches!(model, Model::Wind { .. }) {
            let build = hours(layout, 3.0, 6.0);
            let hold = hours(layout, 6.0, 24.0);
            let (_, at) = room.row(layout, build + hold + 12 * HOUR_S);
            let size = layout.range(1.8, 2.5);
            push(
                Channel::Level,
                Envelope::new(at, build, hold, 3 * HOUR_S),
                size,
            );
            listed.push((
                at,
                format!(
                    "a gale, wind ×{size:.1} for {} after {}",
                    duration_text(hold),
                    duration_text(build)
                ),
            ));
        } else {
            let hold = hours(layout, 48.0, 144.0);
            let (_, at) = room.row(layout, DAY_S + hold + 3 * DAY_S);
            let size = either(layout, (-12.0, -6.0), (5.0, 10.0));
            push(Channel::Heat, Envelope::new(at, DAY_S, hold, DAY_S), size);
            let what = if size > 0.0 {
                "a heat wave"
            } else {
                "a cold snap"
            };
            listed.push((
                at,
                format!(
                    "{what}, {size:+.0} °C for {} after a day",
                    duration_text(hold)
                ),
            ));
        }
    }
    if plan.benign & MAINTENANCE != 0 {
        let text = match model {
            Model::Water { .. } => {
                let lasting = hours(layout, 3.0, 8.0);
                let (_, at) = room.moment(layout, clock, 9, 0..=4, lasting + 2 * HOUR_S);
                let size = layout.range(0.3, 0.6);
                push(Channel::Level, Envelope::new(at, 0, lasting, 0), size);
                (
                    at,
                    format!(
                        "valve works, the zone fed partly from its neighbour (×{size:.2}) for {}",
                        duration_text(lasting)
                    ),
                )
            }
            Model::Heating { .. } => {
                let lasting = hours(layout, 4.0, 10.0);
                let (_, at) = room.moment(layout, clock, 8, 0..=4, lasting + 3 * HOUR_S);
                let size = layout.range(70.0, 80.0);
                push(Channel::Fixed, Envelope::new(at, 0, lasting, 0), size);
                (
                    at,
                    format!(
                        "works on the network, the supply held at {size:.0} °C for {}",
                        duration_text(lasting)
                    ),
                )
            }
            Model::Well { .. } => {
                let lasting = hours(layout, 1.0, 3.0);
                let (_, at) = room.moment(layout, clock, 10, 0..=4, lasting + 3 * HOUR_S);
                push(Channel::PumpDown, Envelope::new(at, 0, lasting, 0), 1.0);
                (
                    at,
                    format!(
                        "the well pumped down for cleaning for {}",
                        duration_text(lasting)
                    ),
                )
            }
            Model::Wind { .. } => {
                let lasting = hours(layout, 1.0, 3.0);
                let (_, at) = room.moment(layout, clock, 10, 0..=4, lasting + HOUR_S);
                push(Channel::Drop, Envelope::new(at, 0, lasting, 0), 1.0);
                (
                    at,
                    format!(
                        "the anemometer replaced, reading 0 for {}",
                        duration_text(lasting)
                    ),
                )
            }
            Model::Strain { .. } => {
                let lasting = hours(layout, 4.0, 8.0);
                let (_, at) = room.moment(layout, clock, 22, 0..=3, lasting + HOUR_S);
                push(Channel::Traffic, Envelope::new(at, 0, lasting, 0), 0.0);
                (
                    at,
                    format!(
                        "the bridge closed for inspection for {}",
                        duration_text(lasting)
                    ),
                )
            }
            _ => unreachable!("not planned"),
        };
        listed.push(text);
    }
    if plan.benign & RECAL != 0 {
        let hour = 9 + layout.below(6) as i64;
        let (_, at) = room.moment(layout, clock, hour, 0..=4, 2 * HOUR_S);
        let text = match model {
            Model::Heating { .. } => {
                let size = layout.sign() * layout.range(0.5, 1.5);
                push(Channel::Extra, Envelope::forever(at), size);
                format!("transmitter recalibrated, {size:+.1} °C")
            }
            Model::River { .. } => {
                let size = layout.sign() * layout.range(0.01, 0.03);
                push(Channel::Extra, Envelope::forever(at), size);
                format!(
                    "re-levelled against the benchmark, the datum corrected {:+.0} mm",
                    size * 1_000.0
                )
            }
            Model::Air { .. } => {
                let size = either(layout, (0.85, 0.95), (1.05, 1.15));
                push(Channel::Gain, Envelope::forever(at), size);
                format!("recalibrated against a reference instrument, ×{size:.2}")
            }
            Model::Strain { .. } => {
                let size = layout.sign() * layout.range(10.0, 40.0);
                push(Channel::Extra, Envelope::forever(at), size);
                format!("the logger re-zeroed, {size:+.0} µε")
            }
            Model::Soil { .. } => {
                let size = layout.sign() * layout.range(1.0, 3.0);
                push(Channel::Extra, Envelope::forever(at), size);
                format!("the probe recalibrated for the soil, {size:+.1} %")
            }
            _ => unreachable!("not planned"),
        };
        listed.push((at, text));
    }
    if plan.benign & IRRIGATION != 0 {
        let Model::Soil {
            irrigation,
            changed,
            ..
        } = model
        else {
            unreachable!("a soil's")
        };
        let (_, at) = room.moment(layout, clock, 12, 0..=6, 3 * DAY_S);
        push(Channel::Schedule, Envelope::forever(at), 1.0);
        let from = irrigation.map_or("none".to_string(), |p| p.describe());
        listed.push((
            at,
            format!(
                "irrigation schedule changed from {from} to {}",
                changed.describe()
            ),
        ));
    }
    listed.sort_by_key(|(at, _)| *at);
    (effects, listed)
}

/// The effects of an anomaly of `kind` drawn at UTC second `at` on a series of `model` lasting
/// `points` points of `step` seconds (0: drawn in time, or to the end), sized by `span` (the
/// series' before it), under `clock`, drawn from `rng`; `weather` the series' weather and
/// `origin` where its rows start. Returns its description.
#[allow(clippy::too_many_arguments)]
fn inject(
    kind: Kind,
    model: &Model,
    shape: Shape,
    (at, points, step): (i64, usize, i64),
    span: f64,
    clock: &Clock,
    (weather, origin): (&Weather, i64),
    rng: &mut Rng,
    effects: &mut Vec<Effect>,
) -> String {
    let lasting = points as i64 * step;
    let when = local_text(clock, at);
    let pts = if points == 1 {
        "1 point".to_string()
    } else {
        format!("{points} points")
    };
    let mut push = |channel, envelope, size| effects.push(Effect::new(channel, envelope, size));
    let span_at = Envelope::new(at, 0, lasting, 0);
    let forever = Envelope::forever(at);
    let (spike, stuck, noisy) = shape.causes();
    match (kind, model) {
        (Kind::Spike, _) => {
            if shape.drops_out() && rng.unit() < 0.5 {
                push(Channel::Drop, span_at, 1.0);
                format!("a dropout at {when}, reading 0 for {pts}")
            } else {
                let size = rng.sign() * rng.range(0.8, 2.0);
                push(Channel::Extra, span_at, size * span);
                format!("{spike} at {when}, {size:+.1} spans for {pts}")
            }
        }
        (Kind::Stuck, _) => {
            push(Channel::Hold, span_at, 1.0);
            format!("{stuck} at {when} for {pts}")
        }
        (Kind::Variance, _) => {
            let size = rng.range(3.0, 8.0);
            push(Channel::Noise, forever, size);
            format!("{noisy} from {when}, noise ×{size:.1}")
        }
        (Kind::Leak, Model::Water { demand, night, .. }) => {
            let size = rng.range(0.25, 1.0) * demand * night;
            if rng.unit() < 0.4 {
                push(Channel::Leak, forever, size);
                format!("a main burst underground at {when}, +{size:.1} L/s at once")
            } else {
                let build = hours(rng, 24.0, 120.0);
                push(Channel::Leak, Envelope::linear(at, build, FOREVER), size);
                format!(
                    "a joint leaking from {when}, +{size:.1} L/s over {}",
                    duration_text(build)
                )
            }
        }
        (Kind::PumpFailure, Model::Heating { .. }) => {
            let lasting = hours(rng, 2.0, 8.0);
            push(Channel::Stop, Envelope::new(at, 0, lasting, 0), 1.0);
            format!(
                "the circulation pump tripped at {when}, restarted after {}",
                duration_text(lasting)
            )
        }
        (Kind::PumpFailure, Model::Well { .. }) => {
            let lasting = hours(rng, 3.0, 12.0);
            push(Channel::Pump, Envelope::new(at, 0, lasting, 0), 1.0);
            format!(
                "the duty pump failing to start from {when} for {}, the standby starting late",
                duration_text(lasting)
            )
        }
        (Kind::NoResponse, Model::Heating { .. }) => {
            let row = (((at - origin) / step) as usize).min(weather.temps.len() - 1);
            let frozen = weather.temps[row];
            push(Channel::Blind, forever, frozen);
            format!(
                "the outdoor sensor failed at {when}, the controller holding {frozen:.1} °C: no weather compensation"
            )
        }
        (Kind::NoResponse, Model::River { .. } | Model::Soil { .. }) => {
            let delay = hours(rng, 1.0, 12.0);
            let storm = hours(rng, 3.0, 8.0);
            let rate = rng.range(3.0, 8.0);
            push(Channel::Rain, Envelope::new(at + delay, 0, storm, 0), rate);
            // Until a visit clears the intake, or the soil swells back round the probe.
            let cleared = hours(rng, 48.0, 120.0);
            let until = Envelope::new(at, 0, cleared, 0);
            let what = if matches!(model, Model::River { .. }) {
                let tc = rng.range(1.0, 3.0) * DAY_S as f64;
                push(Channel::Blind, until, tc);
                push(Channel::Noise, until, 0.2);
                format!(
                    "the gauge's intake blocked at {when} (its well following the river over {})",
                    duration_text(tc as i64)
                )
            } else {
                push(Channel::Blind, until, 1.0);
                format!("the probe out of contact with the soil from {when}")
            };
            format!(
                "{what} for {}; {:.0} mm of rain {} later not seen",
                duration_text(cleared),
                rate * storm as f64 / HOUR_S as f64,
                duration_text(delay)
            )
        }
        (Kind::Amplitude, Model::Strain { .. }) => {
            let size = rng.range(2.0, 3.5);
            let build = hours(rng, 2.0, 12.0);
            push(Channel::Thermal, Envelope::new(at, build, FOREVER, 0), size);
            format!(
                "a bearing seized from {when}: the thermal strain ×{size:.1} over {}",
                duration_text(build)
            )
        }
        (Kind::Trend, _) => {
            let build = hours(rng, 14.0 * 24.0, 28.0 * 24.0);
            let per_day = rng.range(0.05, 0.15);
            let days = build as f64 / DAY_S as f64;
            match model {
                Model::Soil { .. } => {
                    let first = rng.range(0.1, 0.3);
                    push(Channel::Wet, forever, first);
                    push(
                        Channel::Wet,
                        Envelope::linear(at, build, FOREVER),
                        per_day * days,
                    );
                    format!(
                        "a buried pipe leaking from {when}, {first:.2} mm/h growing by {per_day:.2} mm/h a day for {}",
                        duration_text(build)
                    )
                }
                Model::Air { background, .. } => {
                    // Sized by the background, not the span: a fireworks night in the span
                    // would make a construction site's dust absurd.
                    let size = per_day * 0.2 * days * background;
                    push(Channel::Extra, Envelope::linear(at, build, FOREVER), size);
                    format!(
                        "a construction site's dust from {when}, +{size:.1} µg/m³ over {}",
                        duration_text(build)
                    )
                }
                _ => {
                    let sign = rng.sign();
                    let size = sign * per_day * days * span;
                    push(Channel::Extra, Envelope::linear(at, build, FOREVER), size);
                    format!(
                        "a cracked member creeping from {when}, {:+.2} spans a day for {}",
                        sign * per_day,
                        duration_text(build)
                    )
                }
            }
        }
        (Kind::Drift, _) => {
            let build = match shape {
                Shape::Wind => hours(rng, 3.0, 12.0),
                Shape::Well | Shape::Heating => hours(rng, 24.0, 96.0),
                _ => hours(rng, 48.0, 168.0),
            };
            let ramp = Envelope::linear(at, build, FOREVER);
            match shape {
                Shape::Wind => {
                    let size = rng.range(0.4, 0.7);
                    let held = hours(rng, 12.0, 48.0);
                    push(Channel::Gain, Envelope::linear(at, build, held), size);
                    format!(
                        "the cups icing up from {when}, reading ×{size:.2} after {}, the ice shed {} later",
                        duration_text(build),
                        duration_text(held)
                    )
                }
                Shape::Air => {
                    let size = rng.range(1.3, 1.8);
                    push(Channel::Gain, ramp, size);
                    format!(
                        "the optical chamber fouling from {when}, reading ×{size:.2} after {}",
                        duration_text(build)
                    )
                }
                _ => {
                    let size = rng.sign() * rng.range(0.15, 0.4);
                    push(Channel::Extra, ramp, size * span);
                    format!(
                        "the sensor drifting from {when}, {size:+.2} spans over {}",
                        duration_text(build)
                    )
                }
            }
        }
        (Kind::Shift, _) => match shape {
            Shape::Water | Shape::Wind => {
                let size = either(rng, (0.8, 0.92), (1.08, 1.2));
                push(Channel::Gain, forever, size);
                format!("a wrong calibration factor loaded at {when}, ×{size:.2}")
            }
            _ => {
                let size = rng.sign() * rng.range(0.2, 0.45);
                push(Channel::Extra, forever, size * span);
                let what = match shape {
                    Shape::Strain => "a crack opening",
                    Shape::River => "the gauge knocked, its datum moved",
                    Shape::Soil => "the probe disturbed",
                    _ => "a calibration offset error",
                };
                format!("{what} at {when}, {size:+.2} spans")
            }
        },
        _ => unreachable!("not planned"),
    }
}

/// The series of index `index` as `plan` says, its parameters drawn from the index.
fn generate(index: usize, plan: &Plan) -> Series {
    let seed = SEED + 256 * index as u64;
    let mut layout = Rng(seed + 1);
    let mut prng = Rng(seed + 2);
    let mut wrng = Rng(seed + 3);
    let mut arng = Rng(seed + 4);
    let mut xrng = Rng(seed + 5);
    let shape = plan.shape;
    let step = plan.step;
    assert_eq!(
        plan.benign & !shape.benign(),
        0,
        "series {index}: a benign change its shape does not have"
    );
    assert!(
        plan.kinds.iter().all(|k| shape.kinds().contains(k)),
        "series {index}: a kind its shape does not have"
    );

    // The grid: from a drawn start, the drawn number of points, some missing (simulated all the
    // same); the simulation half a day longer on either side.
    let (fewest, most) = plan.length.points(&POINTS);
    let drawn = fewest + layout.below(most - fewest + 1);
    let t0 = first_time(&mut layout, BASE_S, step);
    let mut clock = Clock::fixed(layout.pick(&TIME_ZONES));
    let pad = rows(12 * HOUR_S, step) + 1;
    let origin = t0 - (pad as i64 + 1) * step;
    let simulated = drawn + 2 * pad;
    let weather = Weather::draw(&mut xrng, origin, step, simulated, clock.tz);
    let mean_rain = weather.rains.iter().sum::<f64>() / simulated as f64;
    let (model, (tau, sigma)) = Model::draw(
        shape,
        &mut prng,
        plan.benign & IRRIGATION != 0,
        weather.mean,
        mean_rain,
    );
    let grid: Vec<i64> = (0..drawn as i64).map(|i| t0 + i * step).collect();
    let keep = if plan.timing == Timing::Missing {
        missing_points(&mut layout, drawn)
    } else {
        vec![true; drawn]
    };
    let kept: Vec<usize> = (0..drawn).filter(|i| keep[*i]).collect();
    let times: Vec<i64> = kept.iter().map(|i| grid[*i]).collect();
    let n = times.len();
    let mut walk = Wander::new(&mut wrng, step, tau, sigma);
    let wanders: Vec<f64> = (0..simulated).map(|_| walk.next(&mut wrng)).collect();

    // Where the anomalies are drawn.
    let k = plan.kinds.len();
    let half = half_width(n, k);
    let reach = plan
        .kinds
        .iter()
        .map(|x| rows(x.reach(shape, step), step))
        .max()
        .unwrap_or(0);
    let nominal = place(&mut arng, index, n, k, half, reach, plan.length.min_start());

    // Benign changes, after probation and clear of the anomalies, each at a UTC second.
    assert!(
        plan.benign == 0 || n > 2 * (DAY_S / step) as usize + probation(n),
        "series {index}: too short for benign changes"
    );
    let mut room = Benign {
        room: BenignRows::new(n, step, &nominal, half, reach),
        times: &times,
        taken: Vec::new(),
        index,
    };
    let (base_effects, listed) = benign_changes(plan, &model, &mut clock, &mut room, &mut layout);
    let row_of = |t: i64| times.partition_point(|x| *x < t);
    let benign: Vec<(usize, String)> = listed
        .iter()
        .map(|(at, what)| (row_of(*at), what.clone()))
        .collect();

    // The anomalies, drawn and sized on the series with its benign changes.
    let canvas = Canvas {
        shape,
        model: &model,
        origin,
        step,
        clock,
        wanders: &wanders,
        weather: &weather,
        grid: &grid,
        kept: &kept,
        seed: seed ^ 0x0B5E_55ED,
    };
    let plain = canvas.render(&base_effects);
    let mut effects = base_effects.clone();
    let mut anomalies = Vec::new();
    let mut ranges = Vec::new();
    for (kind, start) in plan.kinds.iter().zip(&nominal) {
        let (kind, start) = (*kind, *start);
        let (low, high) = kind.duration(step);
        let points = if high > 0 {
            low + arng.below(high - low + 1)
        } else {
            0
        };
        let span = span_before(&plain, start).max(1e-6);
        let first = effects.len();
        let detail = inject(
            kind,
            &model,
            shape,
            (times[start], points, step),
            span,
            &clock,
            (&weather, origin),
            &mut arng,
            &mut effects,
        );
        ranges.push(first..effects.len());
        anomalies.push(Anomaly {
            kind,
            start,
            detail,
        });
    }

    // The series with its anomalies, each labelled where it shows: the first point where the
    // series with it alone reads differently from the one without.
    let values = canvas.render(&effects);
    for (anomaly, range) in anomalies.iter_mut().zip(ranges) {
        let alone: Vec<Effect> = base_effects
            .iter()
            .chain(&effects[range])
            .copied()
            .collect();
        let changed = canvas.render(&alone);
        let drawn_at = anomaly.start;
        let shows = first_shown(index, drawn_at, n, reach, |i| changed[i] != plain[i]);
        if shows > drawn_at {
            mark_shown(anomaly, shows, &times);
        }
    }

    let points = stamped(&times, &values, step, plan.timing, &mut layout, |v| v);
    let windows = windows_of(&anomalies, half);
    Series {
        name: series_name(index, plan),
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

/// The corpus holds exactly the 40 series of its plan.
#[test]
fn the_corpus_holds_forty_series() {
    assert_eq!(CORPUS.len(), 40);
    assert_eq!(load().len(), 40);
}

/// The generator draws the same corpus twice, within its promises: lengths, bounds,
/// timestamps, windows after probation and inside the series, benign changes clear of them,
/// every kind present, and a bounded size; it prints every series' summary for a look (never a
/// detector's score).
#[test]
fn the_generator_is_deterministic_and_places_windows_after_probation_inside_the_series() {
    let a = load();
    let b = load();
    assert_eq!(a.len(), 40, "the series of the plan");
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
        let (floor, ceiling) = plan.shape.bounds();
        check_values(&x.name, &x.points, floor, ceiling, false);
        let starts: Vec<usize> = x.anomalies.iter().map(|a| a.start).collect();
        check_series(
            &x.name,
            &x.points,
            &x.windows,
            &starts,
            plan.length.min_start(),
            plan.step * 1_000_000_000,
            plan.timing.spacing(),
        );
        check_benign(&x.name, n, &x.benign, &x.windows);
        assert_eq!(x.benign.is_empty(), plan.benign == 0, "{}", x.name);
        print_summary(&x.name, 40, &x.points, &x.anomalies, &x.windows, &x.benign);
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 4, 5);
    assert!(a.iter().filter(|s| s.anomalies.len() >= 3).count() >= 3);
    for step in [60, 120, 300, 600, 900, 1_800, 3_600] {
        assert!(a.iter().any(|s| s.plan.step == step), "{step}");
    }
    let sizes: Vec<usize> = a.iter().map(|s| s.points.len()).collect();
    assert!(sizes.iter().all(|n| (1_200..=13_000).contains(n)));
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
    assert!((200_000..=350_000).contains(&points), "{points} points");
}

/// The held-out score: the default detector run online over the corpus and scored the NAB way,
/// its report printed, failing below [`MINIMUM_STANDARD_SCORE`].
#[test]
fn environment_corpus_score_with_default_settings() {
    let started = Instant::now();
    let series = load();
    for s in &series {
        print_benign(&s.name, 40, &s.benign);
    }
    let views: Vec<(Labelled, Reported<Kind>)> = series
        .iter()
        .map(|s| view(&s.name, &s.points, &s.windows, s.plan.step, &s.anomalies))
        .collect();
    let standard = score_and_report("environment", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the environment corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
