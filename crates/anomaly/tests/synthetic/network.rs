//! A tenth test of the detector, written held out: a synthetic corpus of *network and edge
//! telemetry as a Prometheus-style scraper sees it*, which the `daily`, `varied`, `field`, `ops`,
//! `mixed`, `signals`, `brief`, `routine` and `sessions` corpora do not have — rates computed
//! from cumulative counters scraped every 15 seconds to an hour, restarts resetting them and
//! scrapes missed, and gauges: an interface's traffic under a demand's rhythm and its link's
//! capacity, a path's packet loss from a prober's counters, a host's TCP retransmits, a recursive
//! resolver's queries sent upstream, a BGP session's received prefixes, a disciplined clock's
//! offset, a credential's validity left between renewals, a connection-tracking table's entries
//! and a VPN hub's tunnels up — with anomalies of the ways networks fail: links flapping,
//! congestion, loss bursts, floods, routes leaked and withdrawn, clocks and tables drifting,
//! jitter, exporters stuck and renewals missed, among benign changes left unlabelled. It is
//! generated here from fixed seeds (no data file, no new dependency), run through the default
//! `Detector` strictly online and scored by this crate's NAB scorer as the other corpora are.
//!
//! **Written without tuning.** The shapes, kinds, benign changes, parameter ranges, series plan
//! and seeds were decided before the scoring test ever ran, and the detector was not run on these
//! series in any other way: the generator was checked only by its own tests and the series it
//! prints (which changed it where a tunnel hub's flapping uplink read like its benign reboot, a
//! jittered gauge read one substep twice, a loss micro-burst was not small, a full table read
//! below its maximum, a clock polled too rarely for its corrections to show and a clock's restart
//! left no room, never in view of a score). [`MINIMUM_STANDARD_SCORE`] was set from the first
//! measurement: a floor against regressions, not a target.
//!
//! **Series.** 54, each from its index as seed; [`CORPUS`] lists them. 6 *short* of 1,500–3,000
//! points, 26 *medium* of 3,000–7,000 and 22 *long* of 7,000–13,000 (360,354 points in all); a
//! scrape every 15 seconds or 1, 5, 10, 15, 30 or 60 minutes (from 6 hours, a short 15-second
//! tunnel hub, to 13 months, a long hourly certificate). Each starts on a weekday and at a time
//! of day drawn from its seed (in the week from Monday 2030-03-04, UTC) and lives in a time zone
//! drawn from UTC−7 to UTC+10 (Denver, New York, São Paulo, London, Frankfurt, Istanbul, Mumbai,
//! Singapore, Sydney); its demand's rhythm follows local time. Nine are scraped with jitter (each
//! scrape up to 20 % of a step early or late, read at its own time); nine miss scrapes (0.3–1.5 %
//! scattered and 1–3 stretches of 3–20; the process and its counters run on through a gap). Every
//! shape is simulated in substeps of a minute (of 2 or 4 minutes at 30 or 60, of 15 seconds at
//! 15; a clock's loop at each of its polls within). A *counted* shape (traffic, loss,
//! retransmits, queries) reads the rate of its counters between a scrape and the last one: each
//! counter at the scrape's time (its substep's increase spread evenly over it), less its value at
//! the last scrape — or, if smaller, taken as counting from zero since a reset, as PromQL's
//! `rate()` takes it (without its extrapolation to a window's edges) — over the seconds between
//! them, so that a missed scrape makes the next rate one over a longer interval and a reset one
//! over what was counted after it. A gauge reads what the substep ending nearest its scrape
//! left; a credential its expiry less the scrape's time. Shapes, their parameters drawn from the
//! seed:
//!
//! - *throughput* (bits/s, whole: an interface's octet counter's rate ×8): a link of 1, 10, 25,
//!   40, 100 or 400 Gbit/s carrying 35–80 % of it at the busiest time, under a demand's rhythm,
//!   either residential (busiest at 20:00–22:30 local, nights 15–35 %, weekends ×1–1.25) or a
//!   business's (busiest at 10:30–15:00, nights 5–20 %, weekends ×0.2–0.5); a wander σ 0.04–0.1
//!   over 1–6 hours and a log-normal of σ 0.01–0.05 a substep; the link carrying all that is
//!   offered up to 90 % of its capacity, then less and less of the excess, never quite all;
//! - *loss* (the share of a prober's probes lost, to 10⁻⁶, from its counters of probes sent and
//!   lost): 2–50 probes a second (log-uniform), each lost with a probability of 10⁻⁵–3·10⁻⁴
//!   (log-uniform) at the busiest time (×0.3–1 with the square of the path's load under a
//!   demand's rhythm, a wander σ 0.1–0.3 over 2–12 hours) and in micro-bursts, in 0.2–3 % of
//!   minutes, of 20–100 times that times a Pareto draw (shape 1.2–1.8), at most 3 %; mostly 0;
//! - *retransmits* (TCP segments retransmitted a second, to 0.001): 2,000–2,000,000 segments a
//!   second at the busiest time (log-uniform) under a demand's rhythm, 0.05–0.5 % of them
//!   retransmitted (log-uniform), a log-normal of σ 0.2–0.5 a substep and bursts, in 1–5 % of
//!   minutes, of 1 + 2 Pareto draws (shape 1.5) times as many; a wander σ 0.05–0.15 over 1–4
//!   hours; Poisson;
//! - *DNS* (a recursive resolver's queries sent upstream a second — its cache misses — to 0.001):
//!   its clients' 200–200,000 queries a second at the busiest time (log-uniform) under a demand's
//!   rhythm, 8–30 % of them missing its cache; a wander σ 0.05–0.12 over 1–6 hours and a
//!   log-normal of σ 0.02–0.08 a substep; Poisson;
//! - *prefixes* (a BGP session's received prefixes, whole): an IPv4 transit's full table of
//!   950,000–1,100,000 growing by 40–120 a day, an IPv6 transit's of 190,000–260,000 growing by
//!   50–150, or an exchange's route server's of 2,000–200,000 (log-uniform) growing by 0–5;
//!   0.01–0.1 % of a transit's prefixes (0.02–0.2 % of a route server's) withdrawn for a while at
//!   any time, each back after 2–30 minutes on average; a session coming up learning 3,000–30,000
//!   prefixes a second;
//! - *clock* (a clock's offset from its time source, µs, to 0.001): a time daemon's loop polling
//!   every 64, 128, 256, 512 or 1,024 seconds (NTP; every second at 15-second scrapes, PTP),
//!   taking 20–50 % of each measured offset off the clock and a quarter of that share's square,
//!   over the poll, off its frequency; measurements' noise of 5–300 µs (log-uniform; PTP
//!   0.02–0.3); an oscillator off by 1–30 ppm, its frequency in a random walk of 2–20·10⁻⁵ ppm a
//!   √second (PTP 2–20·10⁻⁶) and swinging 0.05–0.5 ppm (PTP 0.01–0.1) over the day with the
//!   room's temperature, which the loop follows some µs behind; read with a fifth of the
//!   measurements' noise: a random walk between polls, a correction at each;
//! - *expiry* (a credential's validity left, seconds, whole, as `probe_ssl_earliest_cert_expiry −
//!   time()` reads it): a lifetime of 15 or 30 minutes (access tokens), 1 hour to 2 days
//!   (workload certificates) or 4 to 90 days (TLS certificates), drawn among those renewed every
//!   20 points or more, 6 times or more in the series, whose missed renewals fit it; renewed after
//!   50, 60, 67 or 75 % of it on the controller's next pass (up to 2 % of the lifetime later): a
//!   sawtooth;
//! - *conntrack* (a connection-tracking table's entries, whole): 5,000–600,000 at the busiest
//!   time (log-uniform) under a demand's rhythm, the table's maximum the power of two (at least
//!   65,536) at or above 1.8–6.7 times that; a connection's entry lasting 1–10 minutes on
//!   average; a wander σ 0.05–0.12 over 1–6 hours and noise of 0.5–2 % and half a square root; a
//!   full table reads its maximum;
//! - *tunnels* (VPN tunnels up at a hub, whole): 4–40 sites (log-uniform), each tunnel dropping
//!   0.1–1 times a day for 1–20 minutes (log-uniform); after the hub's uplink or the hub itself is
//!   back, each tunnel 10 seconds to 3 minutes later.
//!
//! **Benign changes**, not labelled (normal; what a good detector tolerates), all after probation,
//! at least a day before the end, a window's width clear of every anomaly's window (reach
//! included) and apart from each other:
//!
//! - *daylight saving* (10 series): the local clock one hour on or back from a Sunday 02:00, once;
//!   the demand's rhythm moves with it (in UTC);
//! - *holiday* (8 series): a weekday from local midnight, for a day, as a Sunday;
//! - *restart* (15 series, 33 restarts, 1–3 each), between two scrapes: an interface's counters
//!   cleared, a prober, an exporter or a resolver restarted, counting from zero (the scrape after
//!   reading the rate of what was counted since; a resolver's cache cold, its misses ×2–4 decaying
//!   over 2–10 minutes); a time daemon restarted, its frequency 0.05–1 ppm off (PTP 0.01–0.2), its
//!   loop converging again;
//! - *planned maintenance* (14 series), from 01:00, 02:00 or 03:00 local: a link drained to 2–10 %
//!   (over 10 minutes), a resolver withdrawn from anycast (to 1–5 %, over 2 minutes) or a node
//!   drained from its load balancer (to 2–5 %, over 5 minutes) for half an hour to 3 hours, then
//!   restored (with a time constant of 5 minutes); a BGP session shut for 10–60 minutes (then
//!   re-learnt), a VPN concentrator rebooted for 5–15 minutes (every tunnel down, then back); and
//!   a credential rotated early by hand, on a weekday at 10:00–16:00;
//! - *capacity upgrade* (2 series): a link's capacity ×2.5 or ×4 at night, the link drained for
//!   15–45 minutes for the swap, its demand ×1.03–1.1 after (pent up);
//! - *retune* (20 series), to a new steady level for good, over 5–30 minutes: traffic engineering
//!   (traffic, retransmits, connections ×0.7–0.85 or ×1.15–1.35), a path re-routed (losing
//!   ×0.4–0.7 or ×1.5–2.5 as much), anycast re-weighted (clients ×0.75–0.9 or ×1.1–1.3), an import
//!   filter changed (prefixes ×0.985–0.997 or ×1.003–1.015), a new time source with a path
//!   asymmetry of 2–5 measurement σ (the loop steering the offset to it), a renewal policy changed
//!   (renewing after another of the four shares), 1–3 sites commissioned;
//! - *missed scrapes* (the nine series that miss points): the rate after a gap one over it.
//!
//! Inherent to the shapes and not labelled either: weekends, micro-bursts, churn, a clock's daily
//! swing and corrections, a credential's renewals, tunnels dropping and coming back.
//!
//! **Anomalies.** 81 in 45 series (4 with three, 28 with two); 9 series have none:
//!
//! - *link flap* (9), for 1–4 points: a link up 2–30 % of the time (traffic, a resolver's queries),
//!   30–95 % of a prober's probes lost, a BGP session reset (down, then re-learnt), a hub's uplink
//!   bouncing (down 5–30 seconds, up 20–90, again; the quickest tunnels back in between);
//! - *congestion* (7), for 2–8 hours (3–200 points): a failover's traffic offering 1–1.5 times the
//!   link's capacity on top of its own (building over 10 minutes, fading over 15; the link at its
//!   ceiling), a queue overflowing (+0.3–3 % lost), retransmits ×2–4 (both building and fading over
//!   half an hour);
//! - *loss burst* (8), for 5–45 minutes (2–60 points): +1–10 % of probes lost, or retransmits ×5–20;
//! - *flood* (7), for 10 minutes to 2 hours (2–120 points), building in a minute or two: a DDoS of
//!   +0.5–3 times the peak traffic (at the ceiling, mostly), a SYN flood's handshakes retransmitted
//!   +3–30 times the peak's retransmits, a random-subdomain attack's +2–20 times the peak's queries
//!   upstream, a SYN flood's entries arriving at 0.5–3 times the table's maximum (each expiring
//!   after 30–120 seconds; the table full, mostly);
//! - *route leak* (7), for 20 minutes to 6 hours (2–150 points), then fixed at once: prefixes
//!   ×1.05–1.5 (at least 10 more), traffic attracted ×1.5–2.5, an anycast catchment ×1.5–3;
//! - *withdrawal* (9), to the end: traffic, retransmits or connections ×0.3–0.6, a resolver's
//!   clients ×0.2–0.6, prefixes ×0.6–0.92, 15–40 % of the tunnels (at least 2) down for good;
//! - *drift* (8): a clock's source unreachable for 6–48 hours (12–240 points), the clock
//!   free-running ±0.05–0.5 ppm off (PTP ±0.01–0.1), then the loop converging again; an optic
//!   degrading, loss +0.05–0.5 % growing linearly over 1–4 days, then held; connection-tracking
//!   entries leaking, 30–100 % of the peak's more growing linearly over 1–4 days, then held;
//! - *jitter increase* (9), to the end: the noise ×3–6, a clock's measurements' ×3–8, a table's
//!   churn in batches of 5–20 prefixes (as many in flux on average), tunnels dropping ×5–15 as
//!   often;
//! - *stuck exporter* (9), for 1–12 hours (6–150 points): serving its last scrape again — a
//!   counter's rate reading 0, catching up at once after; a gauge flat;
//! - *missed renewal* (8): the renewal due after the draw failing, succeeding later by 40–130 % of
//!   the validity left when it was due (past 100 % the credential has expired and reads negative).
//!
//! Each anomaly is labelled where it shows: the first point at or after where it was drawn at
//! which the series with that anomaly alone (and its benign changes) reads differently from the
//! one without (every row draws its noise from its own seed, so the two differ only where the
//! anomaly acts and while the state it leaves differs).
//!
//! | shape (cadences) | flap | congestion | burst | flood | leak | withdrawal | drift | jitter | stuck | missed | none |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | throughput (15s 1m 5m 10m 15m 1h) | 0 2 | 0 3 4 | | 1 | 4 | 1 | | 3 | 3 | | 5 |
//! | loss (15s 1m 5m 10m 15m) | 7 | 8 9 | 6 7 8 9 10 | | | | 6 10 | | | | 11 |
//! | retransmits (15s 1m 5m 10m 15m) | | 13 16 | 12 15 16 | 12 15 | | 13 | | 15 | 14 | | 17 |
//! | DNS (15s 1m 5m 10m 30m) | 20 | | | 18 21 | 19 21 | 18 22 | | 21 | 19 | | 23 |
//! | prefixes (15s 1m 5m 10m 1h) | 25 28 | | | | 24 25 26 27 | 24 28 | | 26 | 27 | | 29 |
//! | clock (15s 1m 5m 10m 15m) | | | | | | | 30 31 32 34 | 30 33 | 32 34 | | 35 |
//! | expiry (15s 1m 5m 10m 15m 1h) | | | | | | | | | 37 40 | 36 36 36 37 38 38 39 40 | 41 |
//! | conntrack (1m 5m 10m 15m) | | | | 42 45 | | 43 | 42 46 | 44 | 44 | | 47 |
//! | tunnels (15s 1m 5m 10m 30m) | 48 50 52 | | | | | 48 51 | | 49 51 | | | 53 |
//!
//! (Series indices, once per anomaly.)
//!
//! **Placement.** Each anomaly is drawn at a point, then shows there or later and is over within
//! its *reach* ([`Kind::reach`]: its longest duration, its envelope's ramps, the time the series'
//! state takes to settle — a table re-learnt, tunnels back, a clock's loop converged, a flood's
//! entries expired — for a missed renewal the wait for the next renewal and the longest delay,
//! for more noise in a sparse process the wait for it to show, and a margin of half an hour or 12
//! points), counted in points. The room runs from the later of the length class' first point
//! (300, 600 or 1,000) and the first point whose window clears NAB's probation (15 % of the
//! series, at most 750 points) to the last that leaves the reach and the window inside the
//! series, cut into equal parts as the other corpora cut it ([`place`]), so that windows never
//! overlap and an anomaly's reach ends before the next one's window.
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

use std::time::Instant;

use crate::common::{
    Anomaly, Benign, BenignRows, Clock, DAY_S, Envelope, FOREVER, HOUR_S, Hold, Labelled, Length,
    Reported, Rhythm, Rng, Timing, Wander, active, check_benign, check_kinds, check_series,
    check_values, duration_text, first_shown, first_time, half_width, hour_of, hours, local_text,
    mark_shown, missing_points, place, print_benign, print_summary, probation, rows,
    score_and_report, timestamp_ns, view, wave, windows_of,
};

/// The floor of the standard-profile score with the corpus-wide threshold. The corpus was
/// written without running the detector on it; first measured 2026-12-08 with model version 16:
/// 49.78 (47.95 at the job's threshold), less a margin. It then checked one change chosen on the
/// other corpora, `TREND_MIN_BLOCKS` 16, which scored 49.71 and was not taken (docs/benchmarks.md).
const MINIMUM_STANDARD_SCORE: f64 = 49.2;

/// Monday 2030-03-04 00:00 UTC, in seconds since the epoch: the week the series start in.
const BASE_S: i64 = 1_898_812_800;
/// The seeds' common part: series `i` draws from `SEED + 256 i + stream`.
const SEED: u64 = 0x6e65_0000_0000;
/// Time zones the series live in, in seconds ahead of UTC: Denver, New York, São Paulo, London,
/// Frankfurt, Istanbul, Mumbai, Singapore and Sydney in winter.
const TIME_ZONES: [i64; 9] = [
    -25_200, -18_000, -10_800, 0, 3_600, 10_800, 19_800, 28_800, 36_000,
];

/// Benign change: the local clock moves by an hour once.
const DST: u8 = 1;
/// Benign change: a public holiday, a weekday as a Sunday.
const HOLIDAY: u8 = 2;
/// Benign change: the process owning a counter restarts, its counters from zero (1–3 times).
const RESTART: u8 = 4;
/// Benign change: planned maintenance, drained and restored.
const MAINTENANCE: u8 = 8;
/// Benign change: a link's capacity upgraded.
const UPGRADE: u8 = 16;
/// Benign change: traffic engineering or a configuration change to a new steady level.
const RETUNE: u8 = 32;

/// The fewest and most points of a short, a medium and a long series.
const POINTS: [(usize, usize); 3] = [(1_500, 3_000), (3_000, 7_000), (7_000, 13_000)];

/// Lifetimes a credential may have, seconds: access tokens of 15 and 30 minutes, workload
/// certificates of an hour to two days, TLS certificates of four days to 90.
const LIFETIMES: [i64; 14] = [
    900,
    1_800,
    HOUR_S,
    2 * HOUR_S,
    4 * HOUR_S,
    8 * HOUR_S,
    12 * HOUR_S,
    DAY_S,
    2 * DAY_S,
    4 * DAY_S,
    7 * DAY_S,
    14 * DAY_S,
    30 * DAY_S,
    90 * DAY_S,
];

/// The shares of its lifetime after which a credential is renewed.
const POLICIES: [f64; 4] = [0.5, 0.6, 0.67, 0.75];

/// The most drop probability a path's micro-burst adds, over a substep.
const MICRO_BURST_MOST: f64 = 0.03;

/// How late a missed renewal succeeds at the most, as a share of the validity left when it was
/// due: past 1 the credential has expired by then.
const MISSED_MOST: f64 = 1.3;

/// The most a renewal waits after it is due for the controller's next pass, as a share of the
/// lifetime.
const RENEWAL_JITTER: f64 = 0.02;

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// An interface's traffic, bits/s, the rate of its octet counter.
    Throughput,
    /// A path's packet loss, the share of a prober's probes lost, from two counters.
    Loss,
    /// A host's TCP segments retransmitted a second, the rate of its counter.
    Retransmits,
    /// A recursive resolver's queries sent upstream (its cache misses) a second, the rate of its
    /// counter.
    Dns,
    /// A BGP session's received prefixes, a gauge.
    Prefixes,
    /// A clock's offset from its time source, µs, a gauge.
    Clock,
    /// A credential's validity left, seconds, a gauge.
    Expiry,
    /// A connection-tracking (NAT) table's entries, a gauge.
    Conntrack,
    /// VPN tunnels up, a gauge.
    Tunnels,
}

impl Shape {
    /// The benign changes the shape can have.
    fn benign(self) -> u8 {
        match self {
            Shape::Throughput => DST | HOLIDAY | RESTART | MAINTENANCE | UPGRADE | RETUNE,
            Shape::Loss | Shape::Retransmits => DST | HOLIDAY | RESTART | RETUNE,
            Shape::Dns => DST | HOLIDAY | RESTART | MAINTENANCE | RETUNE,
            Shape::Prefixes | Shape::Expiry | Shape::Tunnels => MAINTENANCE | RETUNE,
            Shape::Clock => RESTART | RETUNE,
            Shape::Conntrack => DST | HOLIDAY | MAINTENANCE | RETUNE,
        }
    }

    /// The kinds of anomaly the shape can have.
    fn kinds(self) -> &'static [Kind] {
        use Kind::{
            Congestion, Drift, Flood, JitterIncrease, LinkFlap, LossBurst, MissedRenewal,
            RouteLeak, StuckExporter, Withdrawal,
        };
        match self {
            Shape::Throughput => &[
                LinkFlap,
                Congestion,
                Flood,
                RouteLeak,
                Withdrawal,
                JitterIncrease,
                StuckExporter,
            ],
            Shape::Loss => &[LinkFlap, Congestion, LossBurst, Drift],
            Shape::Retransmits => &[
                Congestion,
                LossBurst,
                Flood,
                Withdrawal,
                JitterIncrease,
                StuckExporter,
            ],
            Shape::Dns => &[
                LinkFlap,
                Flood,
                RouteLeak,
                Withdrawal,
                JitterIncrease,
                StuckExporter,
            ],
            Shape::Prefixes => &[
                LinkFlap,
                RouteLeak,
                Withdrawal,
                JitterIncrease,
                StuckExporter,
            ],
            Shape::Clock => &[Drift, JitterIncrease, StuckExporter],
            Shape::Expiry => &[MissedRenewal, StuckExporter],
            Shape::Conntrack => &[Flood, Withdrawal, Drift, JitterIncrease, StuckExporter],
            Shape::Tunnels => &[LinkFlap, Withdrawal, JitterIncrease],
        }
    }

    /// Whether it is read as a rate of counters (rather than as a gauge).
    fn counted(self) -> bool {
        matches!(
            self,
            Shape::Throughput | Shape::Loss | Shape::Retransmits | Shape::Dns
        )
    }

    /// Whether it reads whole numbers.
    fn whole(self) -> bool {
        matches!(
            self,
            Shape::Throughput | Shape::Prefixes | Shape::Expiry | Shape::Conntrack | Shape::Tunnels
        )
    }

    /// A value as the series reports it, to its resolution: bits/s, prefixes, seconds, entries
    /// and tunnels whole, a loss ratio to 10⁻⁶, rates and µs to 0.001.
    fn read(self, v: f64) -> f64 {
        let unit = match self {
            Shape::Loss => 1e-6,
            Shape::Retransmits | Shape::Dns | Shape::Clock => 1e-3,
            _ => 1.0,
        };
        // Adding 0 makes a rounded −0 read 0.
        (v / unit).round() * unit + 0.0
    }

    /// The value of a counted shape from its counters' increases over `seconds`: lost over sent
    /// for a loss ratio, otherwise the first counter's rate.
    fn rate(self, increases: [f64; 2], seconds: f64) -> f64 {
        match self {
            Shape::Loss if increases[0] > 0.0 => increases[1] / increases[0],
            Shape::Loss => 0.0,
            _ => increases[0] / seconds,
        }
    }
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A link or a session going down and up for one to four points.
    LinkFlap,
    /// A link saturated, a queue overflowing or retransmissions growing, for hours.
    Congestion,
    /// Packets lost in a burst of minutes.
    LossBurst,
    /// An attack's traffic, queries, retransmitted handshakes or connections, for minutes to
    /// hours.
    Flood,
    /// Routes leaked: prefixes, traffic or an anycast catchment growing for hours, then fixed.
    RouteLeak,
    /// Routes withdrawn: the level shifting down, for good.
    Withdrawal,
    /// A trend where none was: a clock free-running, loss or connection-tracking entries creeping
    /// up.
    Drift,
    /// The noise growing, for good: a jittery path, burstier retransmits, a flapping upstream.
    JitterIncrease,
    /// The exporter serving a stale value for hours: a counter's rate reading 0 (then catching
    /// up), a gauge flat.
    StuckExporter,
    /// A credential's renewal failing, the countdown running on below its usual floor.
    MissedRenewal,
    /// No anomaly: false positives only.
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 11] = [
    Kind::LinkFlap,
    Kind::Congestion,
    Kind::LossBurst,
    Kind::Flood,
    Kind::RouteLeak,
    Kind::Withdrawal,
    Kind::Drift,
    Kind::JitterIncrease,
    Kind::StuckExporter,
    Kind::MissedRenewal,
    Kind::None,
];

impl Kind {
    /// Short name, for series names.
    fn label(self) -> &'static str {
        match self {
            Kind::LinkFlap => "flap",
            Kind::Congestion => "congestion",
            Kind::LossBurst => "burst",
            Kind::Flood => "flood",
            Kind::RouteLeak => "leak",
            Kind::Withdrawal => "withdrawal",
            Kind::Drift => "drift",
            Kind::JitterIncrease => "jitter",
            Kind::StuckExporter => "stuck",
            Kind::MissedRenewal => "missed",
            Kind::None => "none",
        }
    }

    /// The fewest and most points it lasts on a series of `shape` and `step`-second points (0
    /// for a change to the end or to a renewal): a flap 1–4, a loss burst 5–45 minutes (2–60
    /// points), a flood 10 minutes to 2 hours (2–120), a leak 20 minutes to 6 hours (2–150),
    /// congestion 2–8 hours (3–200), a stuck exporter 1–12 hours (6–150) and a clock's
    /// free-running 6–48 hours (12–240).
    fn duration(self, shape: Shape, step: i64) -> (usize, usize) {
        let span = |low: i64, high: i64, fewest: usize, most: usize| {
            let low = rows(low, step).clamp(fewest, most);
            (low, rows(high, step).clamp(low, most))
        };
        match self {
            Kind::LinkFlap => (1, 4),
            Kind::LossBurst => span(300, 45 * 60, 2, 60),
            Kind::Flood => span(600, 2 * HOUR_S, 2, 120),
            Kind::RouteLeak => span(1_200, 6 * HOUR_S, 2, 150),
            Kind::Congestion => span(2 * HOUR_S, 8 * HOUR_S, 3, 200),
            Kind::StuckExporter => span(HOUR_S, 12 * HOUR_S, 6, 150),
            Kind::Drift if shape == Shape::Clock => span(6 * HOUR_S, 2 * DAY_S, 12, 240),
            _ => (0, 0),
        }
    }

    /// How many seconds after its drawn point an anomaly of this kind may act on a series of
    /// `shape`, `model` and `step`-second points, to show and be over: its longest duration, the
    /// ramps of its envelope and the time the series' state takes to settle (a table re-learnt,
    /// tunnels back up, a clock's loop converged, a flood's entries expired); for a missed
    /// renewal the wait for the next renewal and the longest delay; for a change in noise the
    /// wait for it to show in a sparse process; and a margin of half an hour or 12 points for a
    /// change to show through rounding and counting noise.
    fn reach(self, shape: Shape, model: &Model, step: i64) -> i64 {
        let lasting = self.duration(shape, step).1 as i64 * step;
        let margin = (HOUR_S / 2).max(12 * step);
        let settle = model.settle();
        margin
            + match self {
                Kind::LinkFlap | Kind::RouteLeak | Kind::StuckExporter => lasting + settle,
                Kind::LossBurst => lasting + 600,
                Kind::Flood => lasting + 1_800 + settle,
                Kind::Congestion => lasting + 4 * HOUR_S,
                Kind::Drift if shape == Shape::Clock => lasting + settle,
                Kind::Drift => 12 * HOUR_S,
                Kind::MissedRenewal => model.renewal_reach(),
                Kind::JitterIncrease => match shape {
                    Shape::Tunnels => 3 * DAY_S,
                    Shape::Prefixes => 6 * HOUR_S,
                    _ => 0,
                },
                Kind::Withdrawal | Kind::None => 0,
            }
    }
}

/// One series of the corpus as planned: everything else is drawn from its seed. (The corpora
/// before this one plan in minutes; a scraper's cadence may be 15 seconds.)
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// The shape.
    shape: Shape,
    /// Seconds between scrapes.
    step: i64,
    /// The length class.
    length: Length,
    /// Regular, jittered or with scrapes missed.
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
const CORPUS: [Plan; 54] = {
    use Kind::{
        Congestion, Drift, Flood, JitterIncrease as Jitter, LinkFlap as Flap, LossBurst as Burst,
        MissedRenewal as Missed, RouteLeak as Leak, StuckExporter as Stuck, Withdrawal,
    };
    use Length::{Long, Medium, Short};
    use Shape::{
        Clock, Conntrack as Ct, Dns, Expiry as Exp, Loss, Prefixes as Pfx, Retransmits as Retr,
        Throughput as Thru, Tunnels as Tun,
    };
    use Timing::{Jitter as Jittered, Missing, Regular};
    [
        //   shape  step   length  timing    benign changes                     anomalies
        plan(Thru,  60,    Long,   Regular,  RESTART | UPGRADE,                 &[Flap, Congestion]),
        plan(Thru,  300,   Long,   Regular,  DST | RESTART | MAINTENANCE,       &[Flood, Withdrawal]),
        plan(Thru,  15,    Short,  Jittered, 0,                                 &[Flap]),
        plan(Thru,  900,   Long,   Missing,  HOLIDAY | RETUNE,                  &[Congestion, Stuck, Jitter]),
        plan(Thru,  600,   Medium, Regular,  RESTART | UPGRADE,                 &[Leak, Congestion]),
        plan(Thru,  3_600, Medium, Regular,  DST | HOLIDAY | RETUNE,            &[]),
        plan(Loss,  300,   Long,   Regular,  DST | RESTART,                     &[Burst, Drift]),
        plan(Loss,  15,    Short,  Jittered, 0,                                 &[Flap, Burst]),
        plan(Loss,  60,    Long,   Missing,  RESTART,                           &[Congestion, Burst]),
        plan(Loss,  600,   Medium, Regular,  HOLIDAY,                           &[Burst, Congestion]),
        plan(Loss,  900,   Medium, Regular,  RETUNE,                            &[Burst, Drift]),
        plan(Loss,  300,   Medium, Regular,  DST | RESTART,                     &[]),
        plan(Retr,  60,    Long,   Regular,  RESTART,                           &[Flood, Burst]),
        plan(Retr,  300,   Medium, Regular,  HOLIDAY | RETUNE,                  &[Congestion, Withdrawal]),
        plan(Retr,  15,    Short,  Regular,  0,                                 &[Stuck]),
        plan(Retr,  600,   Long,   Jittered, DST | RESTART,                     &[Flood, Burst, Jitter]),
        plan(Retr,  900,   Medium, Missing,  HOLIDAY,                           &[Burst, Congestion]),
        plan(Retr,  300,   Medium, Regular,  DST | RESTART | RETUNE,            &[]),
        plan(Dns,   60,    Medium, Regular,  RESTART,                           &[Flood, Withdrawal]),
        plan(Dns,   300,   Long,   Regular,  DST | RESTART,                     &[Leak, Stuck]),
        plan(Dns,   15,    Short,  Regular,  0,                                 &[Flap]),
        plan(Dns,   600,   Long,   Jittered, HOLIDAY | RETUNE,                  &[Flood, Leak, Jitter]),
        plan(Dns,   1_800, Medium, Regular,  DST | MAINTENANCE,                 &[Withdrawal]),
        plan(Dns,   60,    Medium, Missing,  RESTART | MAINTENANCE,             &[]),
        plan(Pfx,   60,    Long,   Regular,  MAINTENANCE,                       &[Leak, Withdrawal]),
        plan(Pfx,   15,    Long,   Regular,  0,                                 &[Flap, Leak]),
        plan(Pfx,   300,   Medium, Jittered, RETUNE,                            &[Leak, Jitter]),
        plan(Pfx,   600,   Long,   Regular,  MAINTENANCE | RETUNE,              &[Stuck, Leak]),
        plan(Pfx,   60,    Medium, Missing,  RETUNE,                            &[Flap, Withdrawal]),
        plan(Pfx,   3_600, Medium, Regular,  RETUNE,                            &[]),
        plan(Clock, 60,    Long,   Regular,  RESTART,                           &[Drift, Jitter]),
        plan(Clock, 15,    Long,   Jittered, 0,                                 &[Drift]),
        plan(Clock, 300,   Medium, Regular,  RETUNE,                            &[Stuck, Drift]),
        plan(Clock, 900,   Long,   Missing,  RESTART | RETUNE,                  &[Jitter]),
        plan(Clock, 600,   Long,   Regular,  RESTART,                           &[Drift, Stuck]),
        plan(Clock, 60,    Medium, Regular,  RETUNE,                            &[]),
        plan(Exp,   300,   Long,   Regular,  RETUNE,                            &[Missed, Missed, Missed]),
        plan(Exp,   60,    Medium, Regular,  MAINTENANCE,                       &[Missed, Stuck]),
        plan(Exp,   3_600, Long,   Regular,  MAINTENANCE | RETUNE,              &[Missed, Missed]),
        plan(Exp,   15,    Short,  Jittered, 0,                                 &[Missed]),
        plan(Exp,   900,   Medium, Missing,  RETUNE,                            &[Stuck, Missed]),
        plan(Exp,   600,   Medium, Regular,  MAINTENANCE,                       &[]),
        plan(Ct,    60,    Long,   Regular,  MAINTENANCE,                       &[Flood, Drift]),
        plan(Ct,    300,   Medium, Regular,  HOLIDAY | RETUNE,                  &[Withdrawal]),
        plan(Ct,    60,    Medium, Jittered, 0,                                 &[Stuck, Jitter]),
        plan(Ct,    600,   Long,   Missing,  DST | RETUNE,                      &[Flood]),
        plan(Ct,    900,   Medium, Regular,  MAINTENANCE,                       &[Drift]),
        plan(Ct,    300,   Medium, Regular,  DST | HOLIDAY | MAINTENANCE,       &[]),
        plan(Tun,   60,    Long,   Regular,  MAINTENANCE,                       &[Flap, Withdrawal]),
        plan(Tun,   300,   Medium, Regular,  RETUNE,                            &[Jitter]),
        plan(Tun,   15,    Short,  Regular,  0,                                 &[Flap]),
        plan(Tun,   600,   Long,   Jittered, MAINTENANCE | RETUNE,              &[Withdrawal, Jitter]),
        plan(Tun,   60,    Medium, Missing,  0,                                 &[Flap]),
        plan(Tun,   1_800, Medium, Regular,  MAINTENANCE,                       &[]),
    ]
};

/// What an effect acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    /// A factor on the demand: traffic, segments, clients, connections, a table's prefixes, a
    /// path's base loss.
    Level,
    /// Added demand, in multiples of the shape's peak: an attack's, or a failover's.
    Surge,
    /// A factor on a link's capacity.
    Capacity,
    /// A factor on the noise (a clock's measurements, a table's churn batches, tunnels' drops).
    Noise,
    /// Added to a path's drop probability.
    Loss,
    /// A factor on the share of segments retransmitted.
    Ratio,
    /// A session or a hub's uplink down.
    Down,
    /// The day as a Sunday.
    Holiday,
    /// A resolver's cache cold: its misses ×(1 + this).
    Cold,
    /// Connection-tracking entries that never expire, added.
    Leak,
    /// A clock left free-running, its frequency off by this many ppm.
    FreeRun,
    /// Added to a clock's measurements, µs: a source's path asymmetry.
    Bias,
    /// A credential's renewal failing: so many seconds late.
    Miss,
    /// A credential renewed at once.
    Rotate,
    /// The share of a credential's lifetime after which it is renewed, from the next issue.
    Policy,
    /// Tunnels configured, added.
    Sites,
    /// Tunnels down for good.
    Lost,
    /// The exporter's last value served again.
    Hold,
}

/// A change rendered into a series.
type Effect = crate::common::Effect<Channel>;

/// The effects on during a substep, read in one pass.
#[derive(Debug, Clone, Copy)]
struct Fx {
    /// The product of the demand's factors.
    level: f64,
    /// Added demand, in multiples of the peak.
    surge: f64,
    /// The capacity's factor.
    capacity: f64,
    /// The noise's factor.
    noise: f64,
    /// Added drop probability.
    loss: f64,
    /// The retransmitted share's factor.
    ratio: f64,
    /// When a session or an uplink down at any time in the substep is up again (UTC s): the
    /// latest end of those down.
    down: Option<f64>,
    /// Whether it is a holiday.
    holiday: bool,
    /// A cold cache's extra misses.
    cold: f64,
    /// Leaked entries.
    leak: f64,
    /// A free-running clock's frequency error, ppm.
    free_run: Option<f64>,
    /// A source's asymmetry, µs.
    bias: f64,
    /// Whether a credential is rotated in this substep.
    rotate: bool,
    /// The renewal policy now, if changed.
    policy: Option<f64>,
    /// Tunnels added.
    sites: f64,
    /// Tunnels lost.
    lost: f64,
}

impl Fx {
    /// The effects of `effects` in the substep of `dt` seconds ending at UTC second `t`, each as
    /// [`crate::common::factor`], [`crate::common::added`] and [`active`] read it.
    fn at(effects: &[Effect], t: i64, dt: i64) -> Fx {
        let mut fx = Fx {
            level: 1.0,
            surge: 0.0,
            capacity: 1.0,
            noise: 1.0,
            loss: 0.0,
            ratio: 1.0,
            down: None,
            holiday: false,
            cold: 0.0,
            leak: 0.0,
            free_run: None,
            bias: 0.0,
            rotate: false,
            policy: None,
            sites: 0.0,
            lost: 0.0,
        };
        for e in effects {
            let from = e.envelope.from;
            if e.channel == Channel::Rotate {
                fx.rotate |= from > t - dt && from <= t;
                continue;
            }
            if e.channel == Channel::Down {
                // Down for any part of the substep, however briefly: a bounce between two
                // substeps' ends counts.
                let until = from + e.envelope.build + e.envelope.hold;
                if from <= t && until > t - dt {
                    fx.down = Some(fx.down.map_or(until as f64, |u| u.max(until as f64)));
                }
                continue;
            }
            let s = e.envelope.at(t);
            if s == 0.0 {
                continue;
            }
            let times = |x: &mut f64| *x *= 1.0 + (e.size - 1.0) * s;
            match e.channel {
                Channel::Level => times(&mut fx.level),
                Channel::Capacity => times(&mut fx.capacity),
                Channel::Noise => times(&mut fx.noise),
                Channel::Ratio => times(&mut fx.ratio),
                Channel::Surge => fx.surge += e.size * s,
                Channel::Loss => fx.loss += e.size * s,
                Channel::Cold => fx.cold += e.size * s,
                Channel::Leak => fx.leak += e.size * s,
                Channel::Bias => fx.bias += e.size * s,
                Channel::Sites => fx.sites += e.size * s,
                Channel::Lost => fx.lost += e.size * s,
                Channel::Holiday => fx.holiday = true,
                Channel::FreeRun => fx.free_run = Some(e.size),
                Channel::Policy => fx.policy = Some(e.size),
                Channel::Miss | Channel::Rotate | Channel::Down | Channel::Hold => {}
            }
        }
        fx
    }
}

/// What a link of `capacity` carries of `offered` bits/s: all of it up to 90 % of its capacity,
/// then less and less of the excess (queues full, packets dropped), never quite all of it.
fn saturate(offered: f64, capacity: f64) -> f64 {
    let knee = 0.9 * capacity;
    if offered <= knee {
        offered
    } else {
        knee + 0.1 * capacity * (1.0 - (-(offered - knee) / (0.1 * capacity)).exp())
    }
}

/// A demand's daily and weekly rhythm, half the time residential (busiest in the evening, weekends
/// as busy) and half the time a business's (busiest by day, quiet at night and at weekends),
/// and which it is.
fn demand_rhythm(rng: &mut Rng) -> (Rhythm, &'static str) {
    if rng.unit() < 0.5 {
        let rhythm = Rhythm::draw(rng, (20.0, 22.5), (0.15, 0.35), (1.0, 1.25));
        (rhythm, "residential")
    } else {
        let rhythm = Rhythm::draw(rng, (10.5, 15.0), (0.05, 0.2), (0.2, 0.5));
        (rhythm, "business")
    }
}

/// A series' process, its parameters drawn from its seed.
#[derive(Debug, Clone)]
enum Model {
    /// An interface's octet counter.
    Throughput {
        /// The link's capacity, bits/s.
        capacity: f64,
        /// The demand at the busiest time, bits/s.
        peak: f64,
        /// The demand's rhythm.
        rhythm: Rhythm,
        /// Log-scale noise a substep.
        sigma: f64,
        /// The counter when the series starts, bits.
        initial: f64,
    },
    /// A prober's counters of probes sent and lost along a path.
    Loss {
        /// Probes a second.
        probes: f64,
        /// The drop probability at the busiest time.
        base: f64,
        /// The path's load over the day.
        rhythm: Rhythm,
        /// Chance of a micro-burst a minute.
        bursts: f64,
        /// A micro-burst's drop probability in multiples of the base, times a Pareto draw.
        burst: f64,
        /// The Pareto's shape.
        alpha: f64,
        /// The counters when the series starts: sent, lost.
        initial: [f64; 2],
    },
    /// A host's counter of retransmitted segments.
    Retransmits {
        /// Segments sent a second at the busiest time.
        peak: f64,
        /// The share retransmitted.
        ratio: f64,
        /// The demand's rhythm.
        rhythm: Rhythm,
        /// Log-scale noise a substep.
        sigma: f64,
        /// Chance of a burst a minute.
        bursts: f64,
        /// The counter when the series starts.
        initial: f64,
    },
    /// A recursive resolver's counter of queries sent upstream.
    Dns {
        /// Clients' queries a second at the busiest time.
        peak: f64,
        /// The share of queries its cache misses.
        miss: f64,
        /// The clients' rhythm.
        rhythm: Rhythm,
        /// Log-scale noise a substep.
        sigma: f64,
        /// The counter when the series starts.
        initial: f64,
    },
    /// A BGP session's table.
    Prefixes {
        /// Prefixes when the series starts.
        table: f64,
        /// Net prefixes added a second.
        growth: f64,
        /// Prefixes withdrawn for a while at any time, on average.
        flux: f64,
        /// The rate a withdrawn prefix comes back at, a second.
        churn: f64,
        /// Prefixes learnt a second after a session comes up.
        learn: f64,
        /// What the session carries.
        what: &'static str,
    },
    /// A clock disciplined by a time daemon's loop.
    Clock {
        /// Seconds between the loop's polls.
        poll: f64,
        /// The loop's gain on the phase (its gain on the frequency is a quarter of its square).
        gain: f64,
        /// A measurement's noise, µs.
        sigma: f64,
        /// The oscillator's frequency's random walk, ppm a √second.
        wander: f64,
        /// The oscillator's frequency error, ppm.
        base: f64,
        /// The frequency's daily swing with the room's temperature, ppm.
        swing: f64,
        /// The first poll after the series starts, seconds.
        phase: f64,
        /// PTP (or NTP).
        ptp: bool,
    },
    /// A credential renewed by a controller.
    Expiry {
        /// Seconds it is valid.
        lifetime: f64,
        /// The share of its lifetime after which it is renewed.
        renew: f64,
        /// The share of its renewal interval gone when the series starts.
        issued: f64,
    },
    /// A connection-tracking table.
    Conntrack {
        /// Its maximum, entries.
        max: f64,
        /// Entries at the busiest time.
        peak: f64,
        /// An entry's mean lifetime, s.
        lifetime: f64,
        /// A flood's entries' lifetime, s.
        flood_lifetime: f64,
        /// The connections' rhythm.
        rhythm: Rhythm,
        /// Relative noise.
        sigma: f64,
    },
    /// A VPN hub's tunnels.
    Tunnels {
        /// Tunnels configured.
        tunnels: usize,
        /// A tunnel's chance of dropping, a second.
        hazard: f64,
        /// The shortest and longest a dropped tunnel stays down, s.
        outage: (f64, f64),
        /// Seconds each tunnel takes to come back after the hub's uplink does.
        stagger: Vec<f64>,
    },
}

/// The most tunnels a series can add to those it has.
const MORE_SITES: usize = 3;

/// Roughly the longest reach, in points, with which [`place`] fits `k` anomalies and their
/// windows into a series of `n` points: what is left after probation (15 %) and the windows, cut
/// into `k` parts, each holding a window and a reach.
fn reach_room(n: usize, k: usize) -> f64 {
    let k = k.max(1) as f64;
    n as f64 * (0.85 - (k + 1.0) / (10.0 * k)) / (k + 1.0)
}

impl Model {
    /// A model of `shape` on `step`-second points with its parameters drawn, and its wander's
    /// time constant (s) and standard deviation (log-scale); a credential's lifetime is drawn
    /// among those whose renewals fit a series of about `n` points with `k` anomalies.
    fn draw(shape: Shape, rng: &mut Rng, step: i64, (n, k): (usize, usize)) -> (Model, (f64, f64)) {
        let h = HOUR_S as f64;
        let day = DAY_S as f64;
        let uptime = rng.range(30.0, 400.0) * day;
        match shape {
            Shape::Throughput => {
                let capacity = rng.pick(&[1e9, 1e10, 1e10, 2.5e10, 4e10, 1e11, 1e11, 4e11]);
                let peak = capacity * rng.range(0.35, 0.8);
                let (rhythm, _) = demand_rhythm(rng);
                let model = Model::Throughput {
                    capacity,
                    peak,
                    rhythm,
                    sigma: rng.range(0.01, 0.05),
                    initial: 0.4 * peak * uptime,
                };
                (model, (rng.range(1.0, 6.0) * h, rng.range(0.04, 0.1)))
            }
            Shape::Loss => {
                let probes = rng.log_range(2.0, 50.0);
                let base = rng.log_range(1e-5, 3e-4);
                let (rhythm, _) = demand_rhythm(rng);
                let sent = probes * uptime;
                let model = Model::Loss {
                    probes,
                    base,
                    rhythm,
                    bursts: rng.range(0.002, 0.03),
                    burst: rng.range(20.0, 100.0),
                    alpha: rng.range(1.2, 1.8),
                    initial: [sent, sent * base],
                };
                (model, (rng.range(2.0, 12.0) * h, rng.range(0.1, 0.3)))
            }
            Shape::Retransmits => {
                let peak = rng.log_range(2e3, 2e6);
                let ratio = rng.log_range(5e-4, 5e-3);
                let (rhythm, _) = demand_rhythm(rng);
                let model = Model::Retransmits {
                    peak,
                    ratio,
                    rhythm,
                    sigma: rng.range(0.2, 0.5),
                    bursts: rng.range(0.01, 0.05),
                    initial: 0.4 * peak * ratio * uptime,
                };
                (model, (rng.range(1.0, 4.0) * h, rng.range(0.05, 0.15)))
            }
            Shape::Dns => {
                let peak = rng.log_range(200.0, 200_000.0);
                let miss = rng.range(0.08, 0.3);
                let (rhythm, _) = demand_rhythm(rng);
                let model = Model::Dns {
                    peak,
                    miss,
                    rhythm,
                    sigma: rng.range(0.02, 0.08),
                    initial: 0.4 * peak * miss * uptime,
                };
                (model, (rng.range(1.0, 6.0) * h, rng.range(0.05, 0.12)))
            }
            Shape::Prefixes => {
                let (table, growth, flux, what) = match rng.below(3) {
                    0 => (
                        rng.range(950_000.0, 1_100_000.0),
                        rng.range(40.0, 120.0),
                        rng.range(1e-4, 1e-3),
                        "an IPv4 transit's full table",
                    ),
                    1 => (
                        rng.range(190_000.0, 260_000.0),
                        rng.range(50.0, 150.0),
                        rng.range(1e-4, 1e-3),
                        "an IPv6 transit's full table",
                    ),
                    _ => (
                        rng.log_range(2_000.0, 200_000.0),
                        rng.range(0.0, 5.0),
                        rng.range(2e-4, 2e-3),
                        "an exchange's route server",
                    ),
                };
                let model = Model::Prefixes {
                    table: table.round(),
                    growth: growth / day,
                    flux: table * flux,
                    churn: 1.0 / (rng.range(2.0, 30.0) * 60.0),
                    learn: rng.range(3_000.0, 30_000.0),
                    what,
                };
                (model, (h, 0.0))
            }
            Shape::Clock => {
                let ptp = step < 60;
                let model = if ptp {
                    Model::Clock {
                        poll: 1.0,
                        gain: rng.range(0.2, 0.5),
                        sigma: rng.log_range(0.02, 0.3),
                        wander: rng.range(2e-6, 2e-5),
                        base: rng.sign() * rng.range(1.0, 30.0),
                        swing: rng.range(0.01, 0.1),
                        phase: 0.0,
                        ptp,
                    }
                } else {
                    let poll = rng.pick(&[64.0, 128.0, 256.0, 512.0, 1_024.0]);
                    Model::Clock {
                        poll,
                        gain: rng.range(0.2, 0.5),
                        sigma: rng.log_range(5.0, 300.0),
                        wander: rng.range(2e-5, 2e-4),
                        base: rng.sign() * rng.range(1.0, 30.0),
                        swing: rng.range(0.05, 0.5),
                        phase: rng.range(0.0, poll).floor(),
                        ptp,
                    }
                };
                (model, (h, 0.0))
            }
            Shape::Expiry => {
                let renew = rng.pick(&POLICIES);
                let margin = (HOUR_S / 2).max(12 * step);
                let room = 0.8 * reach_room(n, k);
                let fits: Vec<i64> = LIFETIMES
                    .iter()
                    .copied()
                    .filter(|l| {
                        let period = renew * *l as f64 / step as f64;
                        let reach = rows(Model::renewal_reach_of(*l as f64) + margin, step);
                        period >= 20.0 && n as f64 >= 6.0 * period && reach as f64 <= room
                    })
                    .collect();
                assert!(!fits.is_empty(), "no lifetime fits {n} points of {step} s");
                let model = Model::Expiry {
                    lifetime: rng.pick(&fits) as f64,
                    renew,
                    issued: rng.unit(),
                };
                (model, (h, 0.0))
            }
            Shape::Conntrack => {
                let peak = rng.log_range(5_000.0, 600_000.0);
                let fill = rng.range(0.15, 0.55);
                let max = (peak / fill).log2().ceil().exp2().max(65_536.0);
                let (rhythm, _) = demand_rhythm(rng);
                let model = Model::Conntrack {
                    max,
                    peak,
                    lifetime: rng.range(60.0, 600.0),
                    flood_lifetime: rng.range(30.0, 120.0),
                    rhythm,
                    sigma: rng.range(0.005, 0.02),
                };
                (model, (rng.range(1.0, 6.0) * h, rng.range(0.05, 0.12)))
            }
            Shape::Tunnels => {
                let tunnels = rng.log_range(4.0, 40.0).round() as usize;
                let model = Model::Tunnels {
                    tunnels,
                    hazard: rng.range(0.1, 1.0) / day,
                    outage: (60.0, 1_200.0),
                    stagger: (0..tunnels + MORE_SITES)
                        .map(|_| rng.range(10.0, 180.0))
                        .collect(),
                };
                (model, (h, 0.0))
            }
        }
    }

    /// Seconds its state takes to settle after a change: a table re-learnt, a clock's loop
    /// converged over 40 polls, a table's entries expired, tunnels back up.
    fn settle(&self) -> i64 {
        match self {
            Model::Prefixes { table, learn, .. } => (1.5 * 1.5 * table / learn) as i64 + 60,
            Model::Clock { poll, .. } => (40.0 * poll) as i64,
            Model::Conntrack {
                lifetime,
                flood_lifetime,
                ..
            } => (6.0 * lifetime.max(*flood_lifetime)) as i64,
            Model::Tunnels { outage, .. } => 180 + outage.1 as i64,
            _ => 0,
        }
    }

    /// The longest a missed renewal of a credential of `lifetime` seconds acts after its draw:
    /// to the next renewal (at most the latest policy's share of the lifetime and the
    /// controller's delay), then the longest delay (of the validity left under the earliest
    /// policy).
    fn renewal_reach_of(lifetime: f64) -> i64 {
        let latest = POLICIES[POLICIES.len() - 1];
        let left = 1.0 - POLICIES[0];
        ((latest + RENEWAL_JITTER + MISSED_MOST * left) * lifetime) as i64
    }

    /// [`Model::renewal_reach_of`] its credential's lifetime (0 for other models).
    fn renewal_reach(&self) -> i64 {
        match self {
            Model::Expiry { lifetime, .. } => Model::renewal_reach_of(*lifetime),
            _ => 0,
        }
    }

    /// The lowest value it can read: a credential expired for as long as a missed renewal may
    /// leave it, a clock's offset any; 0 otherwise.
    fn floor(&self) -> f64 {
        match self {
            Model::Expiry { lifetime, .. } => -lifetime,
            Model::Clock { .. } => f64::NEG_INFINITY,
            _ => 0.0,
        }
    }

    /// The highest value it can read: a loss ratio 1, a table's maximum, the tunnels there can
    /// be.
    fn ceiling(&self) -> f64 {
        match self {
            Model::Loss { .. } => 1.0,
            Model::Conntrack { max, .. } => *max,
            Model::Tunnels { tunnels, .. } => (tunnels + MORE_SITES) as f64,
            _ => f64::INFINITY,
        }
    }

    /// Its counters when the series starts (0 for a gauge).
    fn counters(&self) -> [f64; 2] {
        match self {
            Model::Throughput { initial, .. }
            | Model::Retransmits { initial, .. }
            | Model::Dns { initial, .. } => [*initial, 0.0],
            Model::Loss { initial, .. } => *initial,
            _ => [0.0; 2],
        }
    }

    /// Its state at UTC second `t`, when the series' simulation starts.
    fn state(&self, t: i64) -> State {
        match self {
            Model::Prefixes { table, flux, .. } => State::Prefixes {
                table: *table,
                flux: flux.round(),
                learnt: (table - flux).round(),
            },
            Model::Clock { base, phase, .. } => State::Clock {
                offset: 0.0,
                correction: *base,
                wander: 0.0,
                next_poll: t as f64 + phase + 1.0,
            },
            Model::Expiry {
                lifetime,
                renew,
                issued,
            } => {
                let at = t as f64 - issued * renew * lifetime;
                State::Expiry {
                    not_after: at + lifetime,
                    due: at + renew * lifetime,
                    failing_until: None,
                    misses_used: 0,
                }
            }
            Model::Conntrack { peak, .. } => State::Conntrack {
                entries: 0.3 * peak,
                flood: 0.0,
            },
            Model::Tunnels { stagger, .. } => State::Tunnels {
                up_at: vec![f64::NEG_INFINITY; stagger.len()],
            },
            _ => State::Rates,
        }
    }

    /// The counters' increases over the substep of moment `m` under the effects `fx`, or the
    /// gauge at its end, carrying `st` on and drawing from `rng` (the point's own). Draws are
    /// made whether or not they are used where a state could differ between two renders, so
    /// that the renders differ only where their effects act.
    fn substep(&self, st: &mut State, m: &Moment, fx: &Fx, rng: &mut Rng) -> Tick {
        let dt = m.dt;
        match (self, st) {
            (
                Model::Throughput {
                    capacity,
                    peak,
                    rhythm,
                    sigma,
                    ..
                },
                State::Rates,
            ) => {
                let demand =
                    peak * rhythm.at(m.local, fx.holiday) * m.w.exp() * fx.level + fx.surge * peak;
                let offered = demand * (sigma * fx.noise * rng.normal()).exp();
                let carried = saturate(offered, capacity * fx.capacity);
                Tick::counted(carried * dt, 0.0)
            }
            (
                Model::Loss {
                    probes,
                    base,
                    rhythm,
                    bursts,
                    burst,
                    alpha,
                    ..
                },
                State::Rates,
            ) => {
                let sent = probes * dt;
                let busy = rhythm.at(m.local, fx.holiday);
                let mut p = base * fx.level * m.w.exp() * (0.3 + 0.7 * busy * busy);
                let (u, tail) = (rng.unit(), rng.pareto(*alpha));
                if u < bursts * dt / 60.0 {
                    // Small bursts: a queue overflowing for moments, at most 3 % of a minute's.
                    p += (base * burst * tail).min(MICRO_BURST_MOST);
                }
                let p = (p + fx.loss).min(1.0);
                Tick::counted(sent, rng.poisson(sent * p).min(sent))
            }
            (
                Model::Retransmits {
                    peak,
                    ratio,
                    rhythm,
                    sigma,
                    bursts,
                    ..
                },
                State::Rates,
            ) => {
                let segments = peak * rhythm.at(m.local, fx.holiday) * m.w.exp() * fx.level;
                let s = sigma * fx.noise;
                let (u, tail) = (rng.unit(), rng.pareto(1.5));
                let spike = if u < bursts * dt / 60.0 {
                    1.0 + 2.0 * tail
                } else {
                    1.0
                };
                let burst = (s * rng.normal() - s * s / 2.0).exp() * spike;
                let rate = segments * ratio * fx.ratio * burst + fx.surge * peak * ratio;
                Tick::counted(rng.poisson(rate * dt), 0.0)
            }
            (
                Model::Dns {
                    peak,
                    miss,
                    rhythm,
                    sigma,
                    ..
                },
                State::Rates,
            ) => {
                let clients = peak * rhythm.at(m.local, fx.holiday) * m.w.exp() * fx.level;
                let upstream = clients * miss * (1.0 + fx.cold) + fx.surge * peak * miss;
                let rate = upstream * (sigma * fx.noise * rng.normal()).exp();
                Tick::counted(rng.poisson(rate * dt), 0.0)
            }
            (
                Model::Prefixes {
                    growth,
                    flux: mean,
                    churn,
                    learn,
                    ..
                },
                State::Prefixes {
                    table,
                    flux,
                    learnt,
                },
            ) => {
                *table += rng.poisson(1.5 * growth * dt) - rng.poisson(0.5 * growth * dt);
                // Churn in batches: a flapping upstream withdraws and re-announces prefixes
                // many at a time, as many on average.
                let batch = fx.noise;
                let arrivals = batch * rng.poisson(mean * churn * dt / batch);
                let leaving = (batch * rng.poisson(*flux / batch * churn * dt)).min(*flux);
                *flux += arrivals - leaving;
                let target = (*table * fx.level - *flux).max(0.0).round();
                *learnt = if fx.down.is_some() {
                    0.0
                } else if *learnt < target {
                    (*learnt + learn * dt).min(target)
                } else {
                    target
                };
                Tick::gauge(*learnt)
            }
            (
                Model::Clock {
                    poll,
                    gain,
                    sigma,
                    wander: walk,
                    base,
                    swing,
                    ..
                },
                State::Clock {
                    offset,
                    correction,
                    wander,
                    next_poll,
                },
            ) => {
                if let Some(kick) = m.kick {
                    *correction += kick;
                }
                let end = m.tau as f64;
                let error = base
                    + swing * (wave(hour_of(m.local), 15.0) - 0.5)
                    + fx.free_run.unwrap_or(0.0);
                let noise = sigma * fx.noise;
                let mut t = end - dt;
                loop {
                    let until = next_poll.min(end);
                    let span = until - t;
                    *offset += (error + *wander - *correction) * span;
                    *wander += walk * span.sqrt() * rng.normal();
                    t = until;
                    if *next_poll > end {
                        break;
                    }
                    let measured = *offset + fx.bias + noise * rng.normal();
                    if fx.free_run.is_none() {
                        *offset -= gain * measured;
                        *correction += gain * gain / 4.0 * measured / poll;
                    }
                    *next_poll += poll;
                }
                Tick::gauge(*offset + 0.2 * noise * rng.normal())
            }
            (
                Model::Expiry {
                    lifetime, renew, ..
                },
                State::Expiry {
                    not_after,
                    due,
                    failing_until,
                    misses_used,
                },
            ) => {
                let now = m.tau as f64;
                let delay = rng.unit() * RENEWAL_JITTER * lifetime;
                let mut renewing = fx.rotate;
                if now >= *due {
                    let next_miss = m.misses.get(*misses_used);
                    if let (None, Some((from, late))) = (*failing_until, next_miss)
                        && *from as f64 <= now
                    {
                        *failing_until = Some(*due + late);
                        *misses_used += 1;
                    }
                    renewing |= failing_until.is_none_or(|until| now >= until);
                }
                if renewing {
                    *not_after = now + lifetime;
                    *due = now + fx.policy.unwrap_or(*renew) * lifetime + delay;
                    *failing_until = None;
                }
                Tick::gauge(*not_after)
            }
            (
                Model::Conntrack {
                    max,
                    peak,
                    lifetime,
                    flood_lifetime,
                    rhythm,
                    sigma,
                },
                State::Conntrack { entries, flood },
            ) => {
                let target = peak * rhythm.at(m.local, fx.holiday) * m.w.exp() * fx.level;
                *entries = target + (*entries - target) * (-dt / lifetime).exp();
                let flooded = fx.surge * peak / lifetime * flood_lifetime;
                *flood = flooded + (*flood - flooded) * (-dt / flood_lifetime).exp();
                // A full table takes no new entries: it reads its maximum, exactly.
                let leak = fx.leak.min(*max);
                *entries = entries.min(max - leak);
                *flood = flood.min(*max);
                let (a, b) = (rng.normal(), rng.normal());
                let noise = sigma * fx.noise;
                let counted = *entries * (1.0 + noise * a) + 0.5 * fx.noise * entries.sqrt() * b;
                Tick::gauge((counted.max(0.0) + *flood + leak).min(*max))
            }
            (
                Model::Tunnels {
                    tunnels,
                    hazard,
                    outage,
                    stagger,
                },
                State::Tunnels { up_at },
            ) => {
                let now = m.tau as f64;
                let configured = (tunnels + fx.sites.round() as usize).min(up_at.len());
                let lost = (fx.lost.round() as usize).min(configured);
                if let Some(until) = fx.down {
                    for (up, wait) in up_at.iter_mut().zip(stagger) {
                        *up = up.max(until + wait);
                    }
                }
                let up: Vec<usize> = (lost..configured).filter(|i| up_at[*i] <= now).collect();
                let drops = rng.poisson(up.len() as f64 * hazard * fx.noise * dt) as usize;
                for _ in 0..drops.min(up.len()) {
                    let i = up[rng.below(up.len())];
                    up_at[i] = up_at[i].max(now + rng.log_range(outage.0, outage.1));
                }
                let count = (lost..configured).filter(|i| up_at[*i] <= now).count();
                Tick::gauge(count as f64)
            }
            _ => unreachable!("a model's own state"),
        }
    }
}

/// What a simulated series carries from one substep to the next.
#[derive(Debug, Clone)]
enum State {
    /// Nothing: counters' rates are drawn afresh every substep.
    Rates,
    /// A BGP session's table.
    Prefixes {
        /// Prefixes announced for good.
        table: f64,
        /// Prefixes withdrawn for a while.
        flux: f64,
        /// Prefixes the session has learnt.
        learnt: f64,
    },
    /// A disciplined clock.
    Clock {
        /// The offset, µs.
        offset: f64,
        /// The loop's frequency correction, ppm.
        correction: f64,
        /// The oscillator's frequency's random walk, ppm.
        wander: f64,
        /// The next poll, UTC seconds.
        next_poll: f64,
    },
    /// A credential.
    Expiry {
        /// When it expires, UTC seconds.
        not_after: f64,
        /// When its renewal is due, UTC seconds.
        due: f64,
        /// Until when a failing renewal fails, UTC seconds.
        failing_until: Option<f64>,
        /// The missed renewals (in time order) used up.
        misses_used: usize,
    },
    /// A connection-tracking table.
    Conntrack {
        /// Ordinary connections' entries.
        entries: f64,
        /// A flood's entries.
        flood: f64,
    },
    /// A hub's tunnels.
    Tunnels {
        /// When each tunnel is up again, UTC seconds.
        up_at: Vec<f64>,
    },
}

/// A substep a series is simulated over.
#[derive(Debug, Clone, Copy)]
struct Moment<'a> {
    /// UTC second it ends at.
    tau: i64,
    /// Local second it ends at.
    local: i64,
    /// Seconds it lasts.
    dt: f64,
    /// The wander.
    w: f64,
    /// A time daemon's restart in it: its frequency's error, ppm.
    kick: Option<f64>,
    /// Missed renewals: from when (UTC s), and how many seconds late each succeeds.
    misses: &'a [(i64, f64)],
}

/// What a substep gives: counters' increases, or a gauge at its end.
#[derive(Debug, Clone, Copy)]
struct Tick {
    /// The counters' increases.
    counts: [f64; 2],
    /// The gauge.
    gauge: f64,
}

impl Tick {
    /// Increases of the two counters.
    fn counted(first: f64, second: f64) -> Tick {
        Tick {
            counts: [first, second],
            gauge: 0.0,
        }
    }

    /// A gauge's value.
    fn gauge(gauge: f64) -> Tick {
        Tick {
            counts: [0.0; 2],
            gauge,
        }
    }
}

/// A substep simulated: where the counters stood at its start, what they gained over it, a
/// counter reset in it and the gauge at its end.
#[derive(Debug, Clone, Copy)]
struct Trace {
    /// The counters at its start.
    start: [f64; 2],
    /// Their increases over it.
    inc: [f64; 2],
    /// A reset (UTC s) in it, after which they count from zero.
    reset: Option<f64>,
    /// The gauge at its end.
    gauge: f64,
}

impl Trace {
    /// The counters at UTC second `s`, `frac` of the way through the substep of `dt` seconds:
    /// counting on from the start, or from zero after a reset (the substep's increases spread
    /// evenly over it).
    fn counters(&self, s: f64, frac: f64, dt: f64) -> [f64; 2] {
        match self.reset {
            Some(r) if s >= r => [self.inc[0] * (s - r) / dt, self.inc[1] * (s - r) / dt],
            _ => [
                self.start[0] + self.inc[0] * frac,
                self.start[1] + self.inc[1] * frac,
            ],
        }
    }
}

/// Everything a render of a series needs besides its effects.
struct Canvas<'a> {
    /// The shape, for reading.
    shape: Shape,
    /// The process.
    model: &'a Model,
    /// UTC seconds of every row drawn, the scrapes missed too (a process runs on through a
    /// gap).
    grid: &'a [i64],
    /// The rows scraped.
    kept: &'a [usize],
    /// Each row's scrape, UTC seconds (off the row's time if jittered).
    scrapes: &'a [f64],
    /// Seconds between rows.
    step: i64,
    /// The local clock, with its daylight-saving change if any.
    clock: Clock,
    /// The wander at each row, and one past the last.
    wanders: &'a [f64],
    /// Restarts: when (UTC s, sorted) and, for a clock, its frequency's error then (ppm).
    resets: &'a [(f64, f64)],
    /// The seed each row's noise is drawn from, with its row.
    seed: u64,
}

impl Canvas<'_> {
    /// The readings at every row scraped under `effects`. Every row draws its noise from its own
    /// seed, so that two renders differ only where their effects do, and after while the state
    /// they leave differs. The process is simulated in substeps of a minute (of 2 or 4 at 30 or
    /// 60 minutes; of 15 s at 15 s) through one row past the last, so that a late scrape reads
    /// it.
    fn render(&self, effects: &[Effect]) -> Vec<f64> {
        let subs = (self.step / 60).clamp(1, 15);
        let dt = self.step / subs;
        let origin = self.grid[0] - self.step;
        let mut misses: Vec<(i64, f64)> = effects
            .iter()
            .filter(|e| e.channel == Channel::Miss)
            .map(|e| (e.envelope.from, e.size))
            .collect();
        misses.sort_by_key(|(from, _)| *from);
        let mut state = self.model.state(origin);
        let mut counts = self.model.counters();
        let mut trace = Vec::with_capacity(self.wanders.len() * subs as usize);
        let mut next_reset = 0;
        for (row, w) in self.wanders.iter().enumerate() {
            let mut rng = Rng(self.seed ^ (row as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            for j in 0..subs {
                let tau = origin + row as i64 * self.step + (j + 1) * dt;
                let (mut reset, mut kick) = (None, None);
                while next_reset < self.resets.len() && self.resets[next_reset].0 <= tau as f64 {
                    let (at, size) = self.resets[next_reset];
                    if at > (tau - dt) as f64 {
                        reset = Some(at);
                        kick = Some(size);
                    }
                    next_reset += 1;
                }
                let fx = Fx::at(effects, tau, dt);
                let moment = Moment {
                    tau,
                    local: self.clock.local(tau),
                    dt: dt as f64,
                    w: *w,
                    kick,
                    misses: &misses,
                };
                let tick = self.model.substep(&mut state, &moment, &fx, &mut rng);
                trace.push(Trace {
                    start: counts,
                    inc: tick.counts,
                    reset,
                    gauge: tick.gauge,
                });
                counts = match reset {
                    Some(r) => {
                        let after = (tau as f64 - r) / dt as f64;
                        [tick.counts[0] * after, tick.counts[1] * after]
                    }
                    None => [counts[0] + tick.counts[0], counts[1] + tick.counts[1]],
                };
            }
        }
        self.scrape(&trace, effects, origin, dt)
    }

    /// The rows scraped from a simulation's `trace` of `dt`-second substeps from UTC second
    /// `origin`: a counted shape's rate over the interval since the last scrape, a counter
    /// smaller than at the last scrape counting from zero (as PromQL's `rate()` takes a reset);
    /// a gauge as its last substep left it. A stuck exporter serves its last scrape again: a
    /// counter's, so that its rate reads 0 and catches up after; a gauge's last reading other
    /// than 0.
    fn scrape(&self, trace: &[Trace], effects: &[Effect], origin: i64, dt: i64) -> Vec<f64> {
        let dt = dt as f64;
        let mut hold = Hold::default();
        let mut last = (trace[0].start, origin as f64);
        self.kept
            .iter()
            .map(|row| {
                let s = self.scrapes[*row];
                let at = (s - origin as f64) / dt;
                let k = at.floor() as usize;
                let holding = active(effects, Channel::Hold, self.grid[*row]).is_some();
                if self.shape.counted() {
                    let fresh = trace[k].counters(s, at - k as f64, dt);
                    let counters = if holding { last.0 } else { fresh };
                    let increase = |j: usize| {
                        if counters[j] >= last.0[j] {
                            counters[j] - last.0[j]
                        } else {
                            counters[j]
                        }
                    };
                    let v = self.shape.rate([increase(0), increase(1)], s - last.1);
                    last = (counters, s);
                    self.shape.read(v)
                } else {
                    // As the substep ending nearest the scrape left it, so that jittered scrapes
                    // read distinct substeps.
                    let gauge = trace[(at.round() as usize).max(1) - 1].gauge;
                    let v = if self.shape == Shape::Expiry {
                        gauge - s
                    } else {
                        gauge
                    };
                    hold.read(self.shape.read(v), holding)
                }
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
    /// The lowest value it can read.
    floor: f64,
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

/// A cadence as a series' name gives it: `15s`, `5m`, `1h`.
fn cadence_text(step: i64) -> String {
    match step {
        s if s % HOUR_S == 0 => format!("{}h", s / HOUR_S),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
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

/// What a series' benign changes add to it: effects, restarts (UTC s, and a clock's frequency
/// error then) and the list of them (UTC s, text).
#[derive(Default)]
struct Changes {
    /// Effects.
    effects: Vec<Effect>,
    /// Restarts.
    resets: Vec<(f64, f64)>,
    /// What was placed where.
    listed: Vec<(i64, String)>,
}

/// The benign changes of `plan` on a series of `model` under `clock` (its daylight-saving
/// change set here), placed by `room` and drawn from `layout`.
fn benign_changes(
    plan: &Plan,
    model: &Model,
    clock: &mut Clock,
    room: &mut Benign,
    layout: &mut Rng,
) -> Changes {
    let shape = plan.shape;
    let step = plan.step;
    let mut out = Changes::default();
    let night = |layout: &mut Rng| 1 + layout.below(3) as i64;
    if plan.benign & DST != 0 {
        let (_, at) = room.moment(layout, clock, 2, 6..=6, 2 * HOUR_S);
        let shift = layout.sign() as i64 * HOUR_S;
        clock.dst_at = at;
        clock.dst_shift = shift;
        let way = if shift > 0 { "on" } else { "back" };
        out.listed
            .push((at, format!("daylight saving, the clock an hour {way}")));
    }
    if plan.benign & HOLIDAY != 0 {
        let (_, at) = room.moment(layout, clock, 0, 0..=4, DAY_S);
        out.effects.push(Effect::new(
            Channel::Holiday,
            Envelope::new(at, 0, DAY_S, 0),
            1.0,
        ));
        out.listed
            .push((at, "public holiday, as a Sunday".to_string()));
    }
    if plan.benign & RESTART != 0 {
        for _ in 0..1 + layout.below(3) {
            let (cold, decay) = (layout.range(1.0, 3.0), layout.range(120.0, 600.0));
            let lasting = match model {
                // A restarted loop has converged again within 20 polls.
                Model::Clock { poll, .. } => (20.0 * poll) as i64 + HOUR_S,
                _ => 2 * HOUR_S,
            };
            let (_, at) = room.row(layout, lasting);
            // Between two scrapes, so that the scrape before counts on and the one after from
            // zero.
            let when = at as f64 + (layout.range(0.1, 0.9) * step as f64).round();
            let (size, text) = match model {
                Model::Clock { ptp, .. } => {
                    let error = layout.sign()
                        * if *ptp {
                            layout.range(0.01, 0.2)
                        } else {
                            layout.range(0.05, 1.0)
                        };
                    let text = format!("time daemon restarted, its frequency {error:+.2} ppm off");
                    (error, text)
                }
                Model::Dns { .. } => {
                    let from = when as i64;
                    let decay_s = decay as i64;
                    out.effects.push(Effect::new(
                        Channel::Cold,
                        Envelope::new(from, 0, 0, decay_s),
                        cold,
                    ));
                    let text = format!(
                        "resolver restarted, its counter from zero and its cache cold (misses ×{:.1} decaying over {})",
                        1.0 + cold,
                        duration_text(decay_s)
                    );
                    (0.0, text)
                }
                Model::Loss { .. } => (0.0, "prober restarted, its counters from zero".into()),
                Model::Retransmits { .. } => {
                    (0.0, "exporter restarted, its counter from zero".into())
                }
                _ => (0.0, "counters cleared, counting from zero".into()),
            };
            out.resets.push((when, size));
            out.listed.push((at, text));
        }
    }
    if plan.benign & MAINTENANCE != 0 {
        let hour = night(layout);
        match shape {
            Shape::Throughput | Shape::Dns | Shape::Conntrack => {
                let lasting = hours(layout, 0.5, 3.0);
                let (_, at) = room.moment(layout, clock, hour, 0..=6, lasting + HOUR_S);
                let (size, ramp, what) = match shape {
                    Shape::Throughput => (layout.range(0.02, 0.1), 600, "link drained"),
                    Shape::Dns => (layout.range(0.01, 0.05), 120, "withdrawn from anycast"),
                    _ => (layout.range(0.02, 0.05), 300, "node drained"),
                };
                out.effects.push(Effect::new(
                    Channel::Level,
                    Envelope::new(at, ramp, lasting, 300),
                    size,
                ));
                let text = format!(
                    "planned maintenance, {what} to ×{size:.2} for {}",
                    duration_text(lasting)
                );
                out.listed.push((at, text));
            }
            Shape::Prefixes | Shape::Tunnels => {
                let (lasting, what) = if shape == Shape::Prefixes {
                    (hours(layout, 1.0 / 6.0, 1.0), "session shut")
                } else {
                    (hours(layout, 1.0 / 12.0, 0.25), "concentrator rebooted")
                };
                let (_, at) = room.moment(layout, clock, hour, 0..=6, lasting + HOUR_S);
                out.effects.push(Effect::new(
                    Channel::Down,
                    Envelope::new(at, 0, lasting, 0),
                    1.0,
                ));
                let text = format!("planned maintenance, {what} for {}", duration_text(lasting));
                out.listed.push((at, text));
            }
            Shape::Expiry => {
                let hour = 10 + layout.below(7) as i64;
                let (_, at) = room.moment(layout, clock, hour, 0..=4, HOUR_S);
                out.effects.push(Effect::new(
                    Channel::Rotate,
                    Envelope::new(at, 0, 0, 0),
                    1.0,
                ));
                out.listed
                    .push((at, "planned rotation, renewed early by hand".to_string()));
            }
            _ => unreachable!("not planned"),
        }
    }
    if plan.benign & UPGRADE != 0 {
        let swap = hours(layout, 0.25, 0.75);
        let hour = night(layout);
        let (_, at) = room.moment(layout, clock, hour, 0..=6, swap + 2 * HOUR_S);
        let factor = layout.pick(&[2.5, 4.0]);
        let pent_up = layout.range(1.03, 1.1);
        out.effects.push(Effect::new(
            Channel::Level,
            Envelope::new(at, 600, swap, 300),
            0.0,
        ));
        out.effects.push(Effect::new(
            Channel::Capacity,
            Envelope::forever(at + 600),
            factor,
        ));
        out.effects.push(Effect::new(
            Channel::Level,
            Envelope::new(at + 600 + swap, 1_800, FOREVER, 0),
            pent_up,
        ));
        let text = format!(
            "capacity upgrade ×{factor}, the link drained {} for the swap, demand ×{pent_up:.2} after",
            duration_text(swap)
        );
        out.listed.push((at, text));
    }
    if plan.benign & RETUNE != 0 {
        let (_, at) = room.row(layout, 2 * HOUR_S);
        let ramp = hours(layout, 1.0 / 12.0, 0.5);
        let mut push = |channel, size| {
            out.effects.push(Effect::new(
                channel,
                Envelope::new(at, ramp, FOREVER, 0),
                size,
            ));
        };
        let text = match model {
            Model::Throughput { .. } | Model::Retransmits { .. } | Model::Conntrack { .. } => {
                let size = either(layout, (0.7, 0.85), (1.15, 1.35));
                push(Channel::Level, size);
                format!("traffic engineering, a new steady level ×{size:.2}")
            }
            Model::Loss { .. } => {
                let size = either(layout, (0.4, 0.7), (1.5, 2.5));
                push(Channel::Level, size);
                format!("re-routed onto a path losing ×{size:.2} as much")
            }
            Model::Dns { .. } => {
                let size = either(layout, (0.75, 0.9), (1.1, 1.3));
                push(Channel::Level, size);
                format!("anycast re-weighted, clients ×{size:.2}")
            }
            Model::Prefixes { .. } => {
                let size = either(layout, (0.985, 0.997), (1.003, 1.015));
                push(Channel::Level, size);
                format!("import filter changed, prefixes ×{size:.4}")
            }
            Model::Clock { sigma, .. } => {
                let bias = layout.sign() * layout.range(2.0, 5.0) * sigma;
                push(Channel::Bias, bias);
                format!("time source changed, its path's asymmetry {bias:+.3} µs")
            }
            Model::Expiry { renew, .. } => {
                let others: Vec<f64> = POLICIES.iter().copied().filter(|p| p != renew).collect();
                let policy = layout.pick(&others);
                out.effects
                    .push(Effect::new(Channel::Policy, Envelope::forever(at), policy));
                format!(
                    "renewal policy changed, renewing after {policy:.2} of the lifetime, not {renew:.2}"
                )
            }
            Model::Tunnels { .. } => {
                let sites = 1 + layout.below(MORE_SITES);
                out.effects.push(Effect::new(
                    Channel::Sites,
                    Envelope::forever(at),
                    sites as f64,
                ));
                format!("{sites} sites commissioned, their tunnels up")
            }
        };
        out.listed.push((at, text));
    }
    out.listed.sort_by_key(|(at, _)| *at);
    out.resets.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The effects of an anomaly of `kind` drawn at UTC second `at` on a series of `model` lasting
/// `points` points of `step` seconds (0: to the end, or to a renewal), under `clock`, drawn from
/// `rng`; `base` the series' benign effects (a renewal policy changed). Returns its description.
fn inject(
    kind: Kind,
    model: &Model,
    (at, points, step): (i64, usize, i64),
    clock: &Clock,
    base: &[Effect],
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
    let span = Envelope::new(at, 0, lasting, 0);
    let forever = Envelope::new(at, 60, FOREVER, 0);
    match (kind, model) {
        (Kind::LinkFlap, Model::Prefixes { what, .. }) => {
            push(Channel::Down, span, 1.0);
            format!("the session to {what} reset at {when}, down {pts}, then re-learnt")
        }
        (Kind::LinkFlap, Model::Tunnels { .. }) => {
            // The uplink bouncing for the flap's points: down 5–30 s, up 20–90 s, again; the
            // tunnels quickest to come back are up between bounces.
            let (mut from, mut bounces) = (at - (rng.range(0.0, 0.5) * step as f64) as i64, 0);
            while from < at + lasting.max(step) - step / 2 {
                let down = rng.range(5.0, 30.0) as i64;
                push(Channel::Down, Envelope::new(from, 0, down, 0), 1.0);
                from += down + rng.range(20.0, 90.0) as i64;
                bounces += 1;
            }
            format!("the hub's uplink bouncing at {when}, down and up {bounces}× over {pts}")
        }
        (Kind::LinkFlap, Model::Loss { .. }) => {
            let size = rng.range(0.3, 0.95);
            push(Channel::Loss, span, size);
            format!(
                "link flapping at {when}, {:.0} % lost for {pts}",
                size * 100.0
            )
        }
        (Kind::LinkFlap, _) => {
            let size = rng.range(0.02, 0.3);
            push(Channel::Level, span, size);
            format!(
                "link flapping at {when} for {pts}, up {:.0} % of the time",
                size * 100.0
            )
        }
        (Kind::Congestion, Model::Throughput { capacity, peak, .. }) => {
            let fill = rng.range(1.0, 1.5);
            push(
                Channel::Surge,
                Envelope::new(at, 600, lasting, 900),
                fill * capacity / peak,
            );
            format!(
                "a failover's traffic at {when}, offering +{fill:.2}× the capacity for {}",
                duration_text(lasting)
            )
        }
        (Kind::Congestion, Model::Loss { .. }) => {
            let size = rng.range(0.003, 0.03);
            push(
                Channel::Loss,
                Envelope::new(at, 1_800, lasting, 1_800),
                size,
            );
            format!(
                "a queue overflowing at {when}, +{:.2} % lost for {}",
                size * 100.0,
                duration_text(lasting)
            )
        }
        (Kind::Congestion, _) => {
            let size = rng.range(2.0, 4.0);
            push(
                Channel::Ratio,
                Envelope::new(at, 1_800, lasting, 1_800),
                size,
            );
            format!(
                "a congested path at {when}, retransmits ×{size:.1} for {}",
                duration_text(lasting)
            )
        }
        (Kind::LossBurst, Model::Loss { .. }) => {
            let size = rng.range(0.01, 0.1);
            push(Channel::Loss, span, size);
            format!("loss burst at {when}, +{:.1} % for {pts}", size * 100.0)
        }
        (Kind::LossBurst, _) => {
            let size = rng.range(5.0, 20.0);
            push(Channel::Ratio, Envelope::new(at, 60, lasting, 120), size);
            format!("loss burst at {when}, retransmits ×{size:.1} for {pts}")
        }
        (Kind::Flood, Model::Throughput { .. }) => {
            let size = rng.range(0.5, 3.0);
            push(Channel::Surge, Envelope::new(at, 60, lasting, 120), size);
            format!("DDoS at {when}, +{size:.1}× the peak for {pts}")
        }
        (Kind::Flood, Model::Retransmits { .. }) => {
            let size = rng.range(3.0, 30.0);
            push(Channel::Surge, Envelope::new(at, 60, lasting, 120), size);
            format!("SYN flood at {when}, handshakes retransmitted +{size:.1}× the peak for {pts}")
        }
        (Kind::Flood, Model::Dns { .. }) => {
            let size = rng.range(2.0, 20.0);
            push(Channel::Surge, Envelope::new(at, 120, lasting, 300), size);
            format!("random-subdomain attack at {when}, +{size:.1}× the peak for {pts}")
        }
        (
            Kind::Flood,
            Model::Conntrack {
                max,
                peak,
                lifetime,
                flood_lifetime,
                ..
            },
        ) => {
            let fill = rng.range(0.5, 3.0);
            let size = fill * max * lifetime / (flood_lifetime * peak);
            push(Channel::Surge, Envelope::new(at, 60, lasting, 0), size);
            format!("SYN flood at {when}, {fill:.1}× the table's maximum arriving for {pts}")
        }
        (Kind::RouteLeak, Model::Prefixes { table, .. }) => {
            let size = rng.range(1.05, 1.5).max(1.0 + 10.0 / table);
            push(Channel::Level, span, size);
            format!("route leak at {when}, prefixes ×{size:.3} for {pts}")
        }
        (Kind::RouteLeak, Model::Dns { .. }) => {
            let size = rng.range(1.5, 3.0);
            push(Channel::Level, Envelope::new(at, 300, lasting, 0), size);
            format!("route leak at {when}, the anycast catchment ×{size:.2} for {pts}")
        }
        (Kind::RouteLeak, _) => {
            let size = rng.range(1.5, 2.5);
            push(Channel::Level, Envelope::new(at, 300, lasting, 0), size);
            format!("route leak at {when}, traffic ×{size:.2} for {pts}")
        }
        (Kind::Withdrawal, Model::Tunnels { tunnels, .. }) => {
            let lost = ((rng.range(0.15, 0.4) * *tunnels as f64).round() as usize).max(2);
            push(Channel::Lost, Envelope::forever(at), lost as f64);
            format!("routes to {lost} sites withdrawn, their tunnels down for good")
        }
        (Kind::Withdrawal, Model::Prefixes { .. }) => {
            let size = rng.range(0.6, 0.92);
            push(Channel::Level, Envelope::forever(at), size);
            format!("routes withdrawn, prefixes ×{size:.3}")
        }
        (Kind::Withdrawal, Model::Dns { .. }) => {
            let size = rng.range(0.2, 0.6);
            push(Channel::Level, forever, size);
            format!("anycast route withdrawn, clients ×{size:.2}")
        }
        (Kind::Withdrawal, _) => {
            let size = rng.range(0.3, 0.6);
            push(Channel::Level, forever, size);
            format!("routes withdrawn, traffic ×{size:.2}")
        }
        (Kind::Drift, Model::Clock { ptp, .. }) => {
            let size = rng.sign()
                * if *ptp {
                    rng.range(0.01, 0.1)
                } else {
                    rng.range(0.05, 0.5)
                };
            push(Channel::FreeRun, span, size);
            format!("time source unreachable at {when}, free-running {size:+.3} ppm for {pts}")
        }
        (Kind::Drift, Model::Loss { .. }) => {
            let size = rng.range(0.0005, 0.005);
            let build = hours(rng, 24.0, 96.0);
            push(Channel::Loss, Envelope::linear(at, build, FOREVER), size);
            format!(
                "an optic degrading, loss +{:.2} % over {}",
                size * 100.0,
                duration_text(build)
            )
        }
        (Kind::Drift, Model::Conntrack { peak, .. }) => {
            let size = rng.range(0.3, 1.0) * peak;
            let build = hours(rng, 24.0, 96.0);
            push(Channel::Leak, Envelope::linear(at, build, FOREVER), size);
            format!("entries leaking, +{size:.0} over {}", duration_text(build))
        }
        (Kind::JitterIncrease, Model::Clock { .. }) => {
            let size = rng.range(3.0, 8.0);
            push(Channel::Noise, Envelope::forever(at), size);
            format!("a jittery path to the source, measurements' noise ×{size:.1}")
        }
        (Kind::JitterIncrease, Model::Tunnels { .. }) => {
            let size = rng.range(5.0, 15.0);
            push(Channel::Noise, Envelope::forever(at), size);
            format!("an unstable provider, tunnels dropping ×{size:.1} as often")
        }
        (Kind::JitterIncrease, Model::Prefixes { .. }) => {
            let size = rng.range(5.0, 20.0);
            push(Channel::Noise, Envelope::forever(at), size);
            format!("an upstream flapping, churn in batches of {size:.1}")
        }
        (Kind::JitterIncrease, _) => {
            let size = rng.range(3.0, 6.0);
            push(Channel::Noise, Envelope::forever(at), size);
            format!("noise ×{size:.1}")
        }
        (Kind::StuckExporter, _) => {
            push(Channel::Hold, span, 1.0);
            format!("exporter stuck at {when} for {pts}")
        }
        (
            Kind::MissedRenewal,
            Model::Expiry {
                lifetime, renew, ..
            },
        ) => {
            let policy = active(base, Channel::Policy, at).unwrap_or(*renew);
            let share = rng.range(0.4, MISSED_MOST);
            let late = share * (1.0 - policy) * lifetime;
            push(Channel::Miss, Envelope::forever(at), late);
            let outcome = if share > 1.0 {
                format!(
                    "expired for {}",
                    duration_text(((share - 1.0) * (1.0 - policy) * lifetime) as i64)
                )
            } else {
                format!("{:.0} % of its validity left", (1.0 - share) * 100.0)
            };
            format!(
                "the renewal due after {when} failing, renewed {} late ({outcome})",
                duration_text(late as i64)
            )
        }
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
    let mut jrng = Rng(seed + 5);
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

    // The grid: from a drawn start, the drawn number of rows, some scrapes missed (the process
    // simulated all the same); each scrape's time, off its row's if jittered.
    let (fewest, most) = plan.length.points(&POINTS);
    let drawn = fewest + layout.below(most - fewest + 1);
    let t0 = first_time(&mut layout, BASE_S, step);
    let mut clock = Clock::fixed(layout.pick(&TIME_ZONES));
    let k = plan.kinds.len();
    let (model, (tau, sigma)) = Model::draw(shape, &mut prng, step, (drawn, k));
    let grid: Vec<i64> = (0..drawn as i64).map(|i| t0 + i * step).collect();
    let keep = if plan.timing == Timing::Missing {
        missing_points(&mut layout, drawn)
    } else {
        vec![true; drawn]
    };
    let kept: Vec<usize> = (0..drawn).filter(|i| keep[*i]).collect();
    let stamps: Vec<i64> = grid
        .iter()
        .map(|t| {
            let off = (plan.timing == Timing::Jitter).then(|| jrng.range(-0.2, 0.2));
            timestamp_ns(*t, step, off)
        })
        .collect();
    let scrapes: Vec<f64> = stamps.iter().map(|ns| *ns as f64 / 1e9).collect();
    let mut walk = Wander::new(&mut wrng, step, tau, sigma);
    let wanders: Vec<f64> = (0..=drawn).map(|_| walk.next(&mut wrng)).collect();
    let times: Vec<i64> = kept.iter().map(|i| grid[*i]).collect();
    let n = times.len();

    // Where the anomalies are drawn.
    let half = half_width(n, k);
    let reach = plan
        .kinds
        .iter()
        .map(|x| rows(x.reach(shape, &model, step), step))
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
    let changes = benign_changes(plan, &model, &mut clock, &mut room, &mut layout);
    let row_of = |t: i64| times.partition_point(|x| *x < t);
    let benign: Vec<(usize, String)> = changes
        .listed
        .iter()
        .map(|(at, what)| (row_of(*at), what.clone()))
        .collect();

    // The anomalies, drawn on the series with its benign changes.
    let canvas = Canvas {
        shape,
        model: &model,
        grid: &grid,
        kept: &kept,
        scrapes: &scrapes,
        step,
        clock,
        wanders: &wanders,
        resets: &changes.resets,
        seed: seed ^ 0x0B5E_55ED,
    };
    let base_effects = changes.effects;
    let plain = canvas.render(&base_effects);
    let mut effects = base_effects.clone();
    let mut anomalies = Vec::new();
    let mut ranges = Vec::new();
    for (kind, start) in plan.kinds.iter().zip(&nominal) {
        let (kind, start) = (*kind, *start);
        let (low, high) = kind.duration(shape, step);
        let points = if high > 0 {
            low + arng.below(high - low + 1)
        } else {
            0
        };
        let first = effects.len();
        let drawn_at = (times[start], points, step);
        let detail = inject(
            kind,
            &model,
            drawn_at,
            &clock,
            &base_effects,
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

    let points: Vec<(i64, f64)> = kept
        .iter()
        .zip(&values)
        .map(|(i, v)| (stamps[*i], *v))
        .collect();
    let windows = windows_of(&anomalies, half);
    Series {
        name: series_name(index, plan),
        plan: *plan,
        floor: model.floor(),
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

/// The corpus holds exactly the 54 series of its plan.
#[test]
fn the_corpus_holds_fifty_four_series() {
    assert_eq!(CORPUS.len(), 54);
    assert_eq!(load().len(), 54);
}

/// The generator draws the same corpus twice, within its promises: lengths, bounds, whole
/// numbers, timestamps, windows after probation and inside the series, benign changes clear of
/// them, every kind present, and a bounded size; it prints every series' summary for a look
/// (never a detector's score).
#[test]
fn the_generator_is_deterministic_and_places_windows_after_probation_inside_the_series() {
    let a = load();
    let b = load();
    assert_eq!(a.len(), 54, "the series of the plan");
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
        check_values(&x.name, &x.points, x.floor, x.ceiling, plan.shape.whole());
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
        print_summary(&x.name, 44, &x.points, &x.anomalies, &x.windows, &x.benign);
    }
    let anomalies: Vec<&[Anomaly<Kind>]> = a.iter().map(|s| &s.anomalies[..]).collect();
    check_kinds(&anomalies, &KINDS, Kind::None, 7, 6);
    assert!(a.iter().filter(|s| s.anomalies.len() >= 3).count() >= 4);
    for step in [15, 60, 300, 600, 900, 1_800, 3_600] {
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
    assert!((300_000..=400_000).contains(&points), "{points} points");
}

/// The held-out score: the default detector run online over the corpus and scored the NAB way,
/// its report printed, failing below [`MINIMUM_STANDARD_SCORE`].
#[test]
fn network_corpus_score_with_default_settings() {
    let started = Instant::now();
    let series = load();
    for s in &series {
        print_benign(&s.name, 44, &s.benign);
    }
    let views: Vec<(Labelled, Reported<Kind>)> = series
        .iter()
        .map(|s| view(&s.name, &s.points, &s.windows, s.plan.step, &s.anomalies))
        .collect();
    let standard = score_and_report("network", &views, &KINDS, Kind::None, started);
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the network corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
