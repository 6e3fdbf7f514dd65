//! What the synthetic corpora share: the seeded generator, the NAB conventions of the corpora,
//! the online run of the default detector, local-time helpers and the report of the `varied`,
//! `field` and `ops` corpora; and what the `field` and `ops` generators share (the `ops` one was
//! written after the `field` one and draws the same way): local clocks, weekly jobs, wanders,
//! envelopes, edits, missing points and jitter, the placement of anomalies and of benign
//! changes, series names and the checks of their generator tests. Moving any of it changes what
//! a corpus draws unless every draw stays in order: each corpus' generator test and its series
//! are the check.

use std::fmt::Debug;
use std::time::Instant;

use telemetryhub_anomaly::nab::{PROFILES, RawScores, ScoredSeries, raw_score, threshold_grid};
use telemetryhub_anomaly::{Detector, DetectorConfig};

/// The anomaly job's default threshold (`crates/intelligence`): the one with the best mean
/// standard score over NAB, `daily` and `varied` (`scripts/job_threshold.py`).
pub const JOB_THRESHOLD: f64 = telemetryhub_anomaly::DEFAULT_THRESHOLD;

/// Prints the normalised score of `corpus` at every threshold of the grid when
/// `ANOMALY_THRESHOLD_CURVE` is set: what `scripts/job_threshold.py` chooses the anomaly job's
/// threshold from.
pub fn print_curve(corpus: &str, profile: &str, thresholds: &[f64], whole: &RawScores) {
    if std::env::var_os("ANOMALY_THRESHOLD_CURVE").is_none() {
        return;
    }
    for (threshold, raw) in thresholds.iter().zip(&whole.raw) {
        println!(
            "curve\t{corpus}\t{profile}\t{threshold:.3}\t{:.3}",
            whole.normalise(*raw)
        );
    }
}

/// Seconds in an hour.
pub const HOUR_S: i64 = 3_600;
/// Seconds in a day.
pub const DAY_S: i64 = 86_400;

/// splitmix64: a small, seeded, deterministic generator.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Log-uniform in `[low, high)`.
    pub fn log_range(&mut self, low: f64, high: f64) -> f64 {
        self.range(low.ln(), high.ln()).exp()
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// −1 or 1, evenly.
    pub fn sign(&mut self) -> f64 {
        if self.unit() < 0.5 { -1.0 } else { 1.0 }
    }

    /// One of `items`, evenly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Log-normal with mean 1 and log-scale `sigma`.
    pub fn log_normal(&mut self, sigma: f64) -> f64 {
        (sigma * self.normal() - sigma * sigma / 2.0).exp()
    }

    /// Pareto with scale 1 and shape `alpha`: at least 1, heavy tailed.
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }

    /// Gamma with scale 1 and shape `shape` > 0 (Marsaglia and Tsang; for a shape below 1,
    /// boosted by a uniform's power): mean `shape`.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.unit().max(1e-300).powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.unit().max(1e-300).ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// Poisson with mean `lambda` (Knuth's product of uniforms; a rounded normal above 30).
    pub fn poisson(&mut self, lambda: f64) -> f64 {
        if lambda <= 0.0 {
            return 0.0;
        }
        if lambda > 30.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0);
        }
        let limit = (-lambda).exp();
        let mut count = 0.0;
        let mut product = self.unit();
        while product > limit {
            count += 1.0;
            product *= self.unit();
        }
        count
    }
}

/// A generated series as the detector and the scorer see it: its name, its `(timestamp ns,
/// value)` points and its NAB-style windows (inclusive row ranges).
pub type Labelled<'a> = (&'a str, &'a [(i64, f64)], &'a [(usize, usize)]);

/// A fresh default detector's scores of a series, fed strictly online.
fn run((name, points, windows): &Labelled) -> ScoredSeries {
    let mut detector = Detector::new(DetectorConfig::default());
    ScoredSeries {
        name: name.to_string(),
        scores: points
            .iter()
            .map(|(ts, v)| detector.score_at(*ts, *v))
            .collect(),
        windows: windows.to_vec(),
    }
}

/// The series scored, on two threads.
pub fn score_all(series: &[Labelled]) -> Vec<ScoredSeries> {
    let (first, second) = series.split_at(series.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| second.iter().map(run).collect::<Vec<_>>());
        let mut scored: Vec<ScoredSeries> = first.iter().map(run).collect();
        scored.extend(other.join().expect("worker"));
        scored
    })
}

/// The index of `threshold` in `thresholds`.
pub fn index_of(thresholds: &[f64], threshold: f64) -> usize {
    thresholds
        .iter()
        .position(|t| (*t - threshold).abs() < 1e-12)
        .expect("on the grid")
}

/// The `q` quantile of `values` (nearest rank).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// How a generated series' timestamps are spaced, for [`check_series`].
pub enum Spacing {
    /// Exactly every step.
    Regular,
    /// Some timestamps off the step.
    Jitter,
    /// Points missing: some gap of at least this many steps.
    Gaps(i64),
}

/// Checks what every generated corpus promises of a series: finite values, timestamps that run
/// on spaced as planned, and one window per anomaly (`starts`, each at `min_start` or later) of
/// NAB's width centred on its start, after the probation, inside the series and apart from the
/// others.
pub fn check_series(
    name: &str,
    points: &[(i64, f64)],
    windows: &[(usize, usize)],
    starts: &[usize],
    min_start: usize,
    step_ns: i64,
    spacing: Spacing,
) {
    let n = points.len();
    assert!(
        points.iter().all(|(_, v)| v.is_finite()),
        "{name}: not finite"
    );
    let deltas: Vec<i64> = points.windows(2).map(|p| p[1].0 - p[0].0).collect();
    assert!(deltas.iter().all(|d| *d > 0), "{name}: time runs on");
    match spacing {
        Spacing::Regular => assert!(deltas.iter().all(|d| *d == step_ns), "{name}"),
        Spacing::Jitter => assert!(deltas.iter().any(|d| *d != step_ns), "{name}"),
        Spacing::Gaps(steps) => assert!(deltas.iter().any(|d| *d >= steps * step_ns), "{name}"),
    }
    assert_eq!(windows.len(), starts.len(), "{name}");
    let half = half_width(n, starts.len());
    for (start, window) in starts.iter().zip(windows) {
        assert!(*start >= min_start, "{name}");
        assert_eq!(*window, (start - half, start + half), "{name}");
        assert!(window.0 > probation(n), "{name}: window in probation");
        assert!(window.1 < n, "{name}: window past the end");
    }
    for pair in windows.windows(2) {
        assert!(pair[0].1 < pair[1].0, "{name}: windows overlap");
    }
}

/// Probation as the scorer applies it: NAB's 15 % of the series, at most 750 points.
pub fn probation(len: usize) -> usize {
    ((0.15 * len as f64).floor() as usize).min(750)
}

/// Monday 0 … Sunday 6 of a local time in seconds.
pub fn weekday(local: i64) -> i64 {
    // 1970-01-01 was a Thursday.
    (local.div_euclid(DAY_S) + 3).rem_euclid(7)
}

/// A smooth daily wave in `[0, 1]`, highest at `peak` o'clock and lowest twelve hours away.
pub fn wave(hour: f64, peak: f64) -> f64 {
    0.5 + 0.5 * (std::f64::consts::TAU * (hour - peak) / 24.0).cos()
}

/// 0 below `from`, 1 above `to`, smooth between.
pub fn smoothstep(from: f64, to: f64, x: f64) -> f64 {
    let u = ((x - from) / (to - from)).clamp(0.0, 1.0);
    u * u * (3.0 - 2.0 * u)
}

/// Readable seconds: minutes, hours or days.
pub fn duration_text(seconds: i64) -> String {
    let s = seconds as f64;
    if seconds.abs() < 2 * HOUR_S {
        format!("{:.0}min", s / 60.0)
    } else if seconds.abs() < 2 * DAY_S {
        format!("{:.1}h", s / HOUR_S as f64)
    } else {
        format!("{:.1}d", s / DAY_S as f64)
    }
}

/// A duration longer than any series: "to the end".
pub const FOREVER: i64 = 1 << 50;

/// Day names, Monday first.
pub const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The local hour of day in `[0, 24)` of a local time in seconds.
pub fn hour_of(local: i64) -> f64 {
    local.rem_euclid(DAY_S) as f64 / HOUR_S as f64
}

/// Whether a local time falls on a Saturday or Sunday.
pub fn is_weekend(local: i64) -> bool {
    weekday(local) >= 5
}

/// A bump in `(0, 1]` at `centre` o'clock, `width` hours its standard deviation, across
/// midnight.
pub fn bump(hour: f64, centre: f64, width: f64) -> f64 {
    let d = (hour - centre + 36.0).rem_euclid(24.0) - 12.0;
    (-0.5 * (d / width).powi(2)).exp()
}

/// Seconds drawn uniformly between `low` and `high` hours, truncated.
pub fn hours(rng: &mut Rng, low: f64, high: f64) -> i64 {
    (rng.range(low, high) * HOUR_S as f64) as i64
}

/// A UTC second as its local weekday and time on `clock` (`Mon 09:30`).
pub fn local_text(clock: &Clock, t: i64) -> String {
    let local = clock.local(t);
    let minute = local.rem_euclid(DAY_S) / 60;
    format!(
        "{} {:02}:{:02}",
        DAY_NAMES[weekday(local) as usize],
        minute / 60,
        minute % 60
    )
}

/// A series' clock: its time zone, and at most one daylight-saving change.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Seconds ahead of UTC.
    pub tz: i64,
    /// When the clock changes (UTC seconds; [`FOREVER`]: never).
    pub dst_at: i64,
    /// By how much it changes, in seconds.
    pub dst_shift: i64,
}

impl Clock {
    /// A clock `tz` seconds ahead of UTC that never changes.
    pub fn fixed(tz: i64) -> Clock {
        Clock {
            tz,
            dst_at: FOREVER,
            dst_shift: 0,
        }
    }

    /// Local time, in seconds, at `t`.
    pub fn local(&self, t: i64) -> i64 {
        t + self.tz + if t >= self.dst_at { self.dst_shift } else { 0 }
    }
}

/// The first UTC second at or after `t` that is `hour` o'clock local time on a weekday in
/// `days` (Monday 0). The UTC second is found from the clock's offset at a first guess, so that
/// a local time is hit across a daylight-saving change too.
pub fn next_local(t: i64, clock: &Clock, hour: i64, days: std::ops::RangeInclusive<i64>) -> i64 {
    let local = clock.local(t);
    let mut at = local.div_euclid(DAY_S) * DAY_S + hour * HOUR_S;
    while at < local || !days.contains(&weekday(at)) {
        at += DAY_S;
    }
    let guess = at - (local - t);
    at - (clock.local(guess) - guess)
}

/// A job at a fixed local weekday and time, every week (benign).
#[derive(Debug, Clone, Copy)]
pub struct WeeklyJob {
    /// Monday 0 … Sunday 6.
    pub weekday: i64,
    /// Local hour it starts.
    pub hour: f64,
    /// Hours it lasts.
    pub hours: f64,
    /// What it adds or multiplies by at full strength (each shape says which).
    pub height: f64,
}

impl WeeklyJob {
    /// A job lasting `hours` and of `height` drawn from those ranges, starting on a weekday and
    /// at a time drawn so that it ends before 23:30; `None` unless `on`. It is drawn either way,
    /// so that what the series draws after it does not depend on whether it has one.
    pub fn draw(rng: &mut Rng, hours: (f64, f64), height: (f64, f64), on: bool) -> Option<Self> {
        let hours = rng.range(hours.0, hours.1);
        let job = WeeklyJob {
            weekday: rng.below(7) as i64,
            hour: rng.range(0.0, 23.5 - hours),
            hours,
            height: rng.range(height.0, height.1),
        };
        on.then_some(job)
    }

    /// How strongly the job runs at local time `local`, in `[0, 1]` (15-minute ramps).
    pub fn at(&self, local: i64) -> f64 {
        if weekday(local) != self.weekday {
            return 0.0;
        }
        let hour = hour_of(local);
        let end = self.hour + self.hours;
        smoothstep(self.hour, self.hour + 0.25, hour) - smoothstep(end - 0.25, end, hour)
    }

    /// The job as a benign change is listed: `weekly {what}`, its day, time, length and height.
    pub fn describe(&self, what: &str) -> String {
        let start = (self.hour * 60.0).round() as i64;
        format!(
            "weekly {what} {} {:02}:{:02} for {:.1}h, height {:.2}",
            DAY_NAMES[self.weekday as usize],
            start / 60,
            start % 60,
            self.hours,
            self.height
        )
    }
}

/// The strength of an optional weekly job at `local`, times its height.
pub fn job_at(job: Option<WeeklyJob>, local: i64) -> f64 {
    job.map_or(0.0, |j| j.height * j.at(local))
}

/// A stationary Ornstein–Uhlenbeck process read every step: an AR(1) wander.
pub struct Wander {
    /// Share kept from one point to the next.
    keep: f64,
    /// Standard deviation.
    sigma: f64,
    /// The current value.
    value: f64,
}

impl Wander {
    /// A wander of standard deviation `sigma` and time constant `tau` seconds, read every
    /// `step` seconds, started from its stationary law.
    pub fn new(rng: &mut Rng, step: i64, tau: f64, sigma: f64) -> Wander {
        Wander {
            keep: (-(step as f64) / tau).exp(),
            sigma,
            value: sigma * rng.normal(),
        }
    }

    /// The next value.
    pub fn next(&mut self, rng: &mut Rng) -> f64 {
        self.value = self.value * self.keep
            + self.sigma * (1.0 - self.keep * self.keep).sqrt() * rng.normal();
        self.value
    }
}

/// How strongly a change is on over time: 0 before `from`, rising to 1 over `build` seconds
/// (smoothly, or linearly for a leak), held for `hold`, then falling back exponentially with
/// time constant `fall` (at once if 0).
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// Start, UTC seconds.
    pub from: i64,
    /// Seconds to full strength.
    pub build: i64,
    /// Seconds at full strength.
    pub hold: i64,
    /// Time constant of the fall, seconds.
    pub fall: i64,
    /// Whether it builds linearly rather than smoothly.
    pub linear: bool,
}

impl Envelope {
    /// Starting at `from`, built smoothly over `build`, held for `hold`, falling with time
    /// constant `fall` (seconds).
    pub fn new(from: i64, build: i64, hold: i64, fall: i64) -> Envelope {
        Envelope {
            from,
            build,
            hold,
            fall,
            linear: false,
        }
    }

    /// Starting at `from`, built linearly over `build`, held for `hold`, then off at once.
    pub fn linear(from: i64, build: i64, hold: i64) -> Envelope {
        Envelope {
            linear: true,
            ..Envelope::new(from, build, hold, 0)
        }
    }

    /// From `from` to the end, at once.
    pub fn forever(from: i64) -> Envelope {
        Envelope::new(from, 0, FOREVER, 0)
    }

    /// The strength at `t`, in `[0, 1]`.
    pub fn at(&self, t: i64) -> f64 {
        let since = t - self.from;
        if since < 0 {
            0.0
        } else if since < self.build {
            let x = since as f64 / self.build as f64;
            if self.linear {
                x
            } else {
                smoothstep(0.0, 1.0, x)
            }
        } else if since < self.build + self.hold {
            1.0
        } else if self.fall == 0 {
            0.0
        } else {
            (-((since - self.build - self.hold) as f64) / self.fall as f64).exp()
        }
    }
}

/// Rows `start..end` of a rendered series set to `value`, with Gaussian noise `sigma`.
#[derive(Debug, Clone, Copy)]
pub struct Edit {
    /// First row.
    pub start: usize,
    /// Row after the last.
    pub end: usize,
    /// The value.
    pub value: f64,
    /// Noise around it.
    pub sigma: f64,
}

/// Makes `edits` to a rendered series' `values` and noise-free parts `clean`. Each edit draws
/// its noise from `seed` and its own start, so that it does not shift the noise of the render
/// or of another edit.
pub fn apply_edits(seed: u64, edits: &[Edit], values: &mut [f64], clean: &mut [f64]) {
    for edit in edits {
        let mut rng = Rng(seed ^ ((edit.start as u64) << 24));
        for i in edit.start..edit.end.min(values.len()) {
            clean[i] = edit.value;
            values[i] = edit.value + edit.sigma * rng.normal();
        }
    }
}

/// How long a series of a planned corpus (`field`, `ops`, `mixed`) is; each corpus gives the
/// classes their ranges of points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// The shortest series: young detectors when probation ends.
    Short,
    /// Series of some weeks.
    Medium,
    /// The longest series.
    Long,
}

impl Length {
    /// The fewest and most points drawn, from a corpus' ranges for short, medium and long
    /// series.
    pub fn points(self, ranges: &[(usize, usize); 3]) -> (usize, usize) {
        ranges[self as usize]
    }

    /// No anomaly starts before this point.
    pub fn min_start(self) -> usize {
        match self {
            Length::Short => 300,
            Length::Medium => 600,
            Length::Long => 1_000,
        }
    }
}

/// One series of a planned corpus as planned, its shapes `S` and anomaly kinds `K` the
/// corpus' own: everything else is drawn from its seed.
#[derive(Debug, Clone, Copy)]
pub struct Plan<S: 'static, K: 'static> {
    /// The shape.
    pub shape: S,
    /// Minutes between points (for a batch job, between its runs).
    pub minutes: i64,
    /// The length class.
    pub length: Length,
    /// Regular, jittered or missing points.
    pub timing: Timing,
    /// The benign changes, as the corpus' flags.
    pub benign: u8,
    /// The anomalies, in time order (empty: none).
    pub kinds: &'static [K],
}

/// A [`Plan`], briefly.
pub const fn plan<S, K>(
    shape: S,
    minutes: i64,
    length: Length,
    timing: Timing,
    benign: u8,
    kinds: &'static [K],
) -> Plan<S, K> {
    Plan {
        shape,
        minutes,
        length,
        timing,
        benign,
        kinds,
    }
}

/// How a series of the corpora written since `field` reports its timestamps against its
/// cadence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Timing {
    /// Exactly every step.
    Regular,
    /// Timestamps off their step: by how much, and which way, each corpus says.
    Jitter,
    /// Points missing: scattered and in short stretches ([`missing_points`]), or as the corpus
    /// says (a `field` cost-per-click series misses its points without clicks).
    Missing,
}

impl Timing {
    /// What the series' name ends with.
    pub fn suffix(self) -> &'static str {
        match self {
            Timing::Regular => "",
            Timing::Jitter => "-jitter",
            Timing::Missing => "-missing",
        }
    }

    /// What [`check_series`] expects of the timestamps.
    pub fn spacing(self) -> Spacing {
        match self {
            Timing::Regular => Spacing::Regular,
            Timing::Jitter => Spacing::Jitter,
            Timing::Missing => Spacing::Gaps(2),
        }
    }
}

/// The first timestamp of a series: a weekday and a time of day on its cadence of `step`
/// seconds, drawn in the week from `base_s` (UTC seconds).
pub fn first_time(rng: &mut Rng, base_s: i64, step: i64) -> i64 {
    base_s + rng.below(7) as i64 * DAY_S + rng.below((DAY_S / step) as usize) as i64 * step
}

/// Which of `drawn` points are kept: 0.3–1.5 % missing at random and 1–3 stretches of 3–20.
pub fn missing_points(rng: &mut Rng, drawn: usize) -> Vec<bool> {
    let share = rng.range(0.003, 0.015);
    let mut keep: Vec<bool> = (0..drawn).map(|_| rng.unit() >= share).collect();
    for _ in 0..1 + rng.below(3) {
        let at = 10 + rng.below(drawn - 40);
        let missing = 3 + rng.below(18);
        keep[at..at + missing].iter_mut().for_each(|k| *k = false);
    }
    keep
}

/// `items` without those whose flag in `keep` is false.
pub fn retain_kept<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut kept = keep.iter();
    items.retain(|_| *kept.next().expect("a flag a point"));
}

/// NAB's half-width of each window on a series of `n` points with `k` anomalies: a window of
/// 10 % of the series divided among them.
pub fn half_width(n: usize, k: usize) -> usize {
    n / 10 / k.max(1) / 2
}

/// Rows of `step` seconds needed to cover `seconds`, rounded up.
pub fn rows(seconds: i64, step: i64) -> usize {
    ((seconds + step - 1) / step) as usize
}

/// Where the `k` anomalies of series `index` (of `n` points, windows of half-width `half`,
/// each needing `reach` rows to show and be over) are drawn: from the later of `min_start` and
/// the first row whose window clears the probation, to the last that leaves the reach and the
/// window inside the series, cut into `k` equal parts with one drawn in each, far enough from
/// the next part that windows never overlap and each anomaly is over before the next window.
pub fn place(
    rng: &mut Rng,
    index: usize,
    n: usize,
    k: usize,
    half: usize,
    reach: usize,
    min_start: usize,
) -> Vec<usize> {
    let lo = min_start.max(probation(n) + half + 1);
    let hi = n - 1 - half - reach;
    assert!(hi > lo, "series {index}: no room for its anomalies");
    let gap = 2 * half + reach + 1;
    let segment = (hi - lo + 1) / k.max(1);
    assert!(
        k < 2 || segment >= gap,
        "series {index}: no room between its anomalies"
    );
    (0..k)
        .map(|j| {
            let room = if j + 1 == k {
                segment
            } else {
                segment - gap + 1
            };
            lo + j * segment + rng.below(room)
        })
        .collect()
}

/// Where a series' benign changes may happen: after probation, a day before the end, and clear
/// of every anomaly's window (and reach) by a window on either side, so that none is scored as
/// a detection or mistaken for the anomaly.
pub struct BenignRows {
    /// Points in the series.
    n: usize,
    /// Points in a day.
    day_rows: usize,
    /// Rows kept clear, inclusive.
    zones: Vec<(usize, usize)>,
}

impl BenignRows {
    /// The rows of a series of `n` points of `step` seconds whose anomalies are drawn at
    /// `nominal`, with windows of half-width `half` and a reach of `reach` rows.
    pub fn new(n: usize, step: i64, nominal: &[usize], half: usize, reach: usize) -> BenignRows {
        BenignRows {
            n,
            day_rows: (DAY_S / step) as usize,
            zones: nominal
                .iter()
                .map(|s| (s.saturating_sub(2 * half), s + reach + 2 * half))
                .collect(),
        }
    }

    /// Whether a benign change may happen at `row`.
    pub fn free(&self, row: usize) -> bool {
        row < self.n - self.day_rows && self.zones.iter().all(|(a, b)| row < *a || row > *b)
    }

    /// A free row drawn after probation.
    pub fn draw(&self, rng: &mut Rng) -> usize {
        let n = self.n;
        (0..10_000)
            .map(|_| probation(n) + 1 + rng.below(n - self.day_rows - probation(n) - 1))
            .find(|row| self.free(*row))
            .expect("room for a benign change")
    }
}

/// The span of `values` before `row`: 0.1 to 99.9 percentile, what anomalies are sized by.
pub fn span_before(values: &[f64], row: usize) -> f64 {
    quantile(&values[..row], 0.999) - quantile(&values[..row], 0.001)
}

/// Where an anomaly drawn at point `drawn_at` of series `index` (of `n` points) shows: the
/// first point from there at which `differs` holds. A generator whose change never shows, or
/// shows more than `reach` points after it was drawn, is wrong: both fail, naming the series.
pub fn first_shown(
    index: usize,
    drawn_at: usize,
    n: usize,
    reach: usize,
    differs: impl Fn(usize) -> bool,
) -> usize {
    let shows = (drawn_at..n)
        .find(|i| differs(*i))
        .unwrap_or_else(|| panic!("series {index}: a change drawn at {drawn_at} never shows"));
    assert!(
        shows <= drawn_at + reach,
        "series {index}: a change drawn at {drawn_at} shows too late, at {shows}"
    );
    shows
}

/// Moves an anomaly drawn at its start to `shows`, where it shows, and says how much later
/// that is (`times` the series' seconds).
pub fn mark_shown<K>(anomaly: &mut Anomaly<K>, shows: usize, times: &[i64]) {
    let delay = duration_text(times[shows] - times[anomaly.start]);
    anomaly.start = shows;
    anomaly.detail += &format!(", shows {delay} after the draw");
}

/// A point's timestamp in ns at `t` seconds, `off` of a `step` late if jittered.
pub fn timestamp_ns(t: i64, step: i64, off: Option<f64>) -> i64 {
    let mut ns = t * 1_000_000_000;
    if let Some(off) = off {
        ns += (off * step as f64 * 1e9) as i64;
    }
    ns
}

/// A series' points: each value at its time `times[i]` (seconds) in ns, read by `read` (a
/// sensor's or a counter's resolution), up to a fifth of a `step` early or late when `timing`
/// jitters (drawn from `rng`, one draw a point, before the reading).
pub fn stamped(
    times: &[i64],
    values: &[f64],
    step: i64,
    timing: Timing,
    rng: &mut Rng,
    read: impl Fn(f64) -> f64,
) -> Vec<(i64, f64)> {
    times
        .iter()
        .zip(values)
        .map(|(t, v)| {
            let off = (timing == Timing::Jitter).then(|| rng.range(-0.2, 0.2));
            (timestamp_ns(*t, step, off), read(*v))
        })
        .collect()
}

/// The windows of `anomalies`, of half-width `half` centred on each one's start.
pub fn windows_of<K>(anomalies: &[Anomaly<K>], half: usize) -> Vec<(usize, usize)> {
    anomalies
        .iter()
        .map(|a| (a.start - half, a.start + half))
        .collect()
}

/// The name of a series of the `field` and `ops` corpora: index, shape, cadence of `minutes`,
/// its kinds' `labels` (`none` without) and its timing.
pub fn series_name(
    index: usize,
    shape: impl Debug,
    minutes: i64,
    labels: &[&str],
    timing: Timing,
) -> String {
    let kinds = if labels.is_empty() {
        "none".to_string()
    } else {
        labels.join("+")
    };
    let cadence = if minutes == 60 {
        "1h".to_string()
    } else {
        format!("{minutes}m")
    };
    format!("{index:02}-{shape:?}-{cadence}-{kinds}{}", timing.suffix())
}

/// Checks that every benign change of a series of `n` points happens from the start (row 0) or
/// after probation and outside every window.
pub fn check_benign(name: &str, n: usize, benign: &[(usize, String)], windows: &[(usize, usize)]) {
    for (row, what) in benign {
        let clear = windows.iter().all(|(a, b)| row < a || row > b);
        assert!(
            *row == 0 || (*row > probation(n) && clear),
            "{name}: {what}"
        );
    }
}

/// The benign changes of a series as a list, each as `fmt` writes it from its row and text.
pub fn benign_text(benign: &[(usize, String)], fmt: impl Fn(usize, &str) -> String) -> String {
    let texts: Vec<String> = benign.iter().map(|(r, w)| fmt(*r, w)).collect();
    texts.join("; ")
}

/// The anomalies of a series with their windows, for the generator tests' listing.
pub fn placed_text<K: Debug>(anomalies: &[Anomaly<K>], windows: &[(usize, usize)]) -> String {
    let placed: Vec<String> = anomalies
        .iter()
        .zip(windows)
        .map(|(a, w)| format!("{:?}@{} [{}..{}] {}", a.kind, a.start, w.0, w.1, a.detail))
        .collect();
    placed.join("; ")
}

/// Prints a generated series' summary for the generator tests' look (never a detector's
/// score): its length and days, quantiles of its values, the share of zeros, its anomalies with
/// their windows and its benign changes, the name padded to `width`.
pub fn print_summary<K: Debug>(
    name: &str,
    width: usize,
    points: &[(i64, f64)],
    anomalies: &[Anomaly<K>],
    windows: &[(usize, usize)],
    benign: &[(usize, String)],
) {
    let n = points.len();
    let values: Vec<f64> = points.iter().map(|(_, v)| *v).collect();
    let days = (points[n - 1].0 - points[0].0) as f64 / (DAY_S as f64 * 1e9);
    let zeros = values.iter().filter(|v| **v == 0.0).count() as f64 / n as f64;
    let placed = placed_text(anomalies, windows);
    let benign = benign_text(benign, |r, w| format!("{w}@{r}"));
    println!(
        "{name:<width$} n {n:>5} {days:6.1}d  min {:9.3} q1 {:9.3} median {:9.3} q99 {:9.3} max {:9.3} zeros {zeros:4.2}  {placed} | {benign}",
        quantile(&values, 0.0),
        quantile(&values, 0.01),
        quantile(&values, 0.5),
        quantile(&values, 0.99),
        quantile(&values, 1.0),
    );
}

/// A generated series as the scorer and the report see it: its name, points and windows, the
/// seconds between its points and its anomalies.
pub fn view<'a, K>(
    name: &'a str,
    points: &'a [(i64, f64)],
    windows: &'a [(usize, usize)],
    step_s: i64,
    anomalies: &'a [Anomaly<K>],
) -> (Labelled<'a>, Reported<'a, K>) {
    ((name, points, windows), Reported { step_s, anomalies })
}

/// Prints a series' benign changes, if any, before a corpus is scored: they are not labelled,
/// so the report should say where they are.
pub fn print_benign(name: &str, width: usize, benign: &[(usize, String)]) {
    if !benign.is_empty() {
        let text = benign_text(benign, |r, w| format!("{w} at row {r}"));
        println!("benign, unlabelled: {name:<width$} {text}");
    }
}

/// Checks that a corpus (each series' anomalies) holds at least `windows` anomalies of every
/// kind of `kinds` but `none`, and at least `clean` series without any.
pub fn check_kinds<K: PartialEq + Debug>(
    series: &[&[Anomaly<K>]],
    kinds: &[K],
    none: K,
    windows: usize,
    clean: usize,
) {
    for kind in kinds {
        let count: usize = series
            .iter()
            .map(|s| s.iter().filter(|x| x.kind == *kind).count())
            .sum();
        let empty = series.iter().filter(|s| s.is_empty()).count();
        assert!(
            count >= windows || (*kind == none && empty >= clean),
            "{kind:?}"
        );
    }
}

/// One injected anomaly of a kind `K`.
#[derive(Debug, Clone)]
pub struct Anomaly<K> {
    /// Its kind.
    pub kind: K,
    /// Its first point, as labelled: the row its window is centred on.
    pub start: usize,
    /// What was drawn, for the report.
    pub detail: String,
}

/// A generated series as [`report`] describes it, beside its scores.
#[derive(Clone, Copy)]
pub struct Reported<'a, K> {
    /// Seconds between its points: delays are shown as rows and as time.
    pub step_s: i64,
    /// Its anomalies, one for each of its windows and in the same order.
    pub anomalies: &'a [Anomaly<K>],
}

impl<K: PartialEq> Reported<'_, K> {
    /// Whether the series holds an anomaly of `kind` (for `none`: none at all).
    fn has(&self, kind: &K, none: &K) -> bool {
        if kind == none {
            self.anomalies.is_empty()
        } else {
            self.anomalies.iter().any(|a| a.kind == *kind)
        }
    }
}

/// The series holding `kind`, with only the windows of `kind` and the rows of their other
/// windows scored 0 (counting neither as detections nor as false positives).
fn part_of<K: PartialEq>(
    series: &[Reported<K>],
    scored: &[ScoredSeries],
    kind: &K,
    none: &K,
) -> Vec<ScoredSeries> {
    series
        .iter()
        .zip(scored)
        .filter(|(s, _)| s.has(kind, none))
        .map(|(s, sc)| {
            let mut scores = sc.scores.clone();
            let mut windows = Vec::new();
            for (a, w) in s.anomalies.iter().zip(&sc.windows) {
                if a.kind == *kind {
                    windows.push(*w);
                } else {
                    scores[w.0..=w.1].iter_mut().for_each(|x| *x = 0.0);
                }
            }
            ScoredSeries {
                name: sc.name.clone(),
                scores,
                windows,
            }
        })
        .collect()
}

/// A delay of `points` rows on a series of `step_s`-second points, as rows and time.
fn delay_text(step_s: i64, points: i64) -> String {
    format!("{points}p/{}", duration_text(points * step_s))
}

/// Scores every series of `corpus` with the default detector, online, and prints its
/// [`report`]; returns the standard profile's score at the corpus threshold.
pub fn score_and_report<K: Copy + PartialEq + Debug>(
    corpus: &str,
    series: &[(Labelled, Reported<K>)],
    kinds: &[K],
    none: K,
    started: Instant,
) -> f64 {
    let labelled: Vec<Labelled> = series.iter().map(|(labelled, _)| *labelled).collect();
    let scored = score_all(&labelled);
    let reported: Vec<Reported<K>> = series.iter().map(|(_, reported)| *reported).collect();
    report(corpus, &reported, &scored, kinds, none, started)
}

/// Prints the report of a corpus scored since `started`: per NAB profile the score with one
/// corpus-wide threshold chosen on NAB's grid and at the job's threshold; for the standard
/// profile, per kind of `kinds` (in that order; `none` stands for the series without anomalies)
/// the score of the series holding it with only its windows, the windows caught, the false
/// positives and the delay of the first detection, and per series the raw score and the highest
/// score inside each window. Returns the standard profile's score.
pub fn report<K: Copy + PartialEq + Debug>(
    corpus: &str,
    series: &[Reported<K>],
    scored: &[ScoredSeries],
    kinds: &[K],
    none: K,
    started: Instant,
) -> f64 {
    let thresholds = threshold_grid();
    let points: usize = scored.iter().map(|s| s.scores.len()).sum();
    let windows: usize = scored.iter().map(|s| s.windows.len()).sum();
    println!(
        "{} series, {points} points, {windows} windows (scored in {:.1} s)",
        series.len(),
        started.elapsed().as_secs_f64()
    );
    let mut standard = f64::NAN;
    for profile in &PROFILES {
        let whole = RawScores::new(scored, profile, &thresholds);
        print_curve(corpus, profile.name, &thresholds, &whole);
        let best = whole.best().expect("thresholds");
        let job = index_of(&thresholds, JOB_THRESHOLD);
        println!(
            "{:<20} score {:6.2}  threshold {:.3}   at the job's {JOB_THRESHOLD}: {:6.2}",
            profile.name,
            whole.normalise(whole.raw[best]),
            thresholds[best],
            whole.normalise(whole.raw[job]),
        );
        if profile.name != "standard" {
            continue;
        }
        standard = whole.normalise(whole.raw[best]);
        let threshold = thresholds[best];
        println!(
            "  kind                score  caught  false positives  first detection in the window, from the start (rows/time; if before the start, the first at or after it in parentheses)"
        );
        for kind in kinds {
            let part = part_of(series, scored, kind, &none);
            let table = RawScores::new(&part, profile, &thresholds);
            let mut caught = 0;
            let mut total = 0;
            let mut false_positives = 0;
            let mut delays = Vec::new();
            for (s, sc) in series
                .iter()
                .zip(scored)
                .filter(|(s, _)| s.has(kind, &none))
            {
                let n = sc.scores.len();
                let alarms: Vec<usize> = (probation(n)..n)
                    .filter(|i| sc.scores[*i] >= threshold)
                    .collect();
                let inside_any = |i: &usize| sc.windows.iter().any(|(a, b)| (*a..=*b).contains(i));
                false_positives += alarms.iter().filter(|i| !inside_any(i)).count();
                for (anomaly, (a, b)) in s.anomalies.iter().zip(&sc.windows) {
                    if anomaly.kind != *kind {
                        continue;
                    }
                    total += 1;
                    let inside = |i: &&usize| (*a..=*b).contains(*i);
                    match alarms.iter().find(inside) {
                        Some(first) => {
                            caught += 1;
                            let delay = *first as i64 - anomaly.start as i64;
                            let after = alarms.iter().filter(inside).find(|i| **i >= anomaly.start);
                            delays.push(match after {
                                Some(x) if delay < 0 => format!(
                                    "{} ({})",
                                    delay_text(s.step_s, delay),
                                    delay_text(s.step_s, (x - anomaly.start) as i64)
                                ),
                                None if delay < 0 => {
                                    format!("{} (none after)", delay_text(s.step_s, delay))
                                }
                                _ => delay_text(s.step_s, delay),
                            });
                        }
                        None => delays.push("missed".to_string()),
                    }
                }
            }
            let count = part.len();
            let score = if *kind == none {
                format!("raw {:5.2}", table.raw[best])
            } else {
                format!("{:9.2}", table.normalise(table.raw[best]))
            };
            let caught = if *kind == none {
                format!("0/{count}")
            } else {
                format!("{caught}/{total}")
            };
            println!(
                "  {:<18} {score}  {caught:>5}   {false_positives:>6}           {}",
                format!("{kind:?}"),
                delays.join(", ")
            );
        }
        for (s, sc) in series.iter().zip(scored) {
            let raw = raw_score(sc, profile, threshold);
            let inside: Vec<String> = sc
                .windows
                .iter()
                .map(|(a, b)| {
                    let max = sc.scores[*a..=*b].iter().copied().fold(0.0, f64::max);
                    format!("{max:.3}")
                })
                .collect();
            let inside = if inside.is_empty() {
                "-".to_string()
            } else {
                inside.join(" ")
            };
            let details: Vec<&str> = s.anomalies.iter().map(|a| a.detail.as_str()).collect();
            println!(
                "    {:<44} n {:>5}  raw {raw:7.3}  highest in the window {inside:<11}  {}",
                sc.name,
                sc.scores.len(),
                details.join("; ")
            );
        }
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    standard
}

/// The complementary error function (Numerical Recipes' `erfcc`: relative error under 1.2e-7).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * (-z * z + poly).exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// The standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// A change rendered into a series over time, on one of a corpus' channels (`C`: what the
/// change acts on, the corpus' own list).
#[derive(Debug, Clone, Copy)]
pub struct Effect<C> {
    /// What it changes.
    pub channel: C,
    /// When, and how strongly.
    pub envelope: Envelope,
    /// Factor, level or added value, as the channel reads it.
    pub size: f64,
}

impl<C> Effect<C> {
    /// An effect.
    pub fn new(channel: C, envelope: Envelope, size: f64) -> Effect<C> {
        Effect {
            channel,
            envelope,
            size,
        }
    }
}

/// The product of the factors of `channel`'s effects at `t`.
pub fn factor<C: PartialEq>(effects: &[Effect<C>], channel: C, t: i64) -> f64 {
    effects
        .iter()
        .filter(|e| e.channel == channel)
        .map(|e| 1.0 + (e.size - 1.0) * e.envelope.at(t))
        .product()
}

/// The sum of `size·strength` of `channel`'s effects at `t`.
pub fn added<C: PartialEq>(effects: &[Effect<C>], channel: C, t: i64) -> f64 {
    effects
        .iter()
        .filter(|e| e.channel == channel)
        .map(|e| e.size * e.envelope.at(t))
        .sum()
}

/// The size of the last of `channel`'s effects on at `t`, if any is.
pub fn active<C: PartialEq>(effects: &[Effect<C>], channel: C, t: i64) -> Option<f64> {
    effects
        .iter()
        .filter(|e| e.channel == channel && e.envelope.at(t) > 0.0)
        .map(|e| e.size)
        .next_back()
}

/// A busy-hours rhythm: a daily wave to a power peaking at a local hour, its quietest time a
/// share of its busiest, weekends (and holidays) a share of weekdays.
#[derive(Debug, Clone, Copy)]
pub struct Rhythm {
    /// Local hour of the busiest time.
    pub peak: f64,
    /// The wave's power: how narrow the busy hours are.
    pub power: f64,
    /// The quietest time's share of the busiest.
    pub night: f64,
    /// A weekend day's share of a weekday.
    pub weekend: f64,
}

impl Rhythm {
    /// A rhythm busiest in `peak` hours, its night share in `night` and its weekends in
    /// `weekend`.
    pub fn draw(rng: &mut Rng, peak: (f64, f64), night: (f64, f64), weekend: (f64, f64)) -> Rhythm {
        Rhythm {
            peak: rng.range(peak.0, peak.1),
            power: rng.range(1.0, 2.5),
            night: rng.range(night.0, night.1),
            weekend: rng.range(weekend.0, weekend.1),
        }
    }

    /// Its strength in `(0, 1]` at a local time, on a holiday or not.
    pub fn at(&self, local: i64, holiday: bool) -> f64 {
        let day =
            self.night + (1.0 - self.night) * wave(hour_of(local), self.peak).powf(self.power);
        if holiday || is_weekend(local) {
            day * self.weekend
        } else {
            day
        }
    }
}

/// Where a series' benign changes may go: the rows clear of its anomalies, and the spans (UTC
/// seconds) of the changes placed already, which a new one does not overlap.
pub struct Benign<'a> {
    /// The rows clear of the anomalies.
    pub room: BenignRows,
    /// The series' UTC seconds.
    pub times: &'a [i64],
    /// Spans taken, inclusive.
    pub taken: Vec<(i64, i64)>,
    /// The series' index, for a failure's message.
    pub index: usize,
}

impl Benign<'_> {
    /// Takes the span of a change from UTC second `at` lasting `lasting` seconds, if its rows
    /// are free and it overlaps no other change: its first row.
    pub fn take(&mut self, at: i64, lasting: i64) -> Option<usize> {
        let from = self.times.partition_point(|x| *x < at);
        let to = self.times.partition_point(|x| *x < at + lasting);
        let apart = self.taken.iter().all(|(a, b)| at + lasting < *a || at > *b);
        let free = (from..=to).all(|row| self.room.free(row));
        (apart && free).then(|| {
            self.taken.push((at, at + lasting));
            from
        })
    }

    /// The first moment at or after a free row drawn that is `hour` o'clock local on a weekday
    /// in `days` and whose change of `lasting` seconds [`Benign::take`] takes: its row and UTC
    /// second.
    pub fn moment(
        &mut self,
        layout: &mut Rng,
        clock: &Clock,
        hour: i64,
        days: std::ops::RangeInclusive<i64>,
        lasting: i64,
    ) -> (usize, i64) {
        (0..1_000)
            .find_map(|_| {
                let drawn = self.times[self.room.draw(layout)];
                let at = next_local(drawn, clock, hour, days.clone());
                self.take(at, lasting).map(|row| (row, at))
            })
            .unwrap_or_else(|| panic!("series {}: no room for a benign change", self.index))
    }

    /// A row for a change lasting `lasting` seconds from it, at any time, and its UTC second.
    pub fn row(&mut self, layout: &mut Rng, lasting: i64) -> (usize, i64) {
        (0..1_000)
            .find_map(|_| {
                let at = self.times[self.room.draw(layout)];
                self.take(at, lasting).map(|row| (row, at))
            })
            .unwrap_or_else(|| panic!("series {}: no room for a benign change", self.index))
    }
}

/// A reading stuck while a hold is on (a sensor or exporter that repeats itself): the last
/// non-zero reading before the hold, for as long as it lasts.
#[derive(Debug, Default)]
pub struct Hold {
    /// The last non-zero reading given.
    last: f64,
    /// The reading repeated while the hold is on.
    held: Option<f64>,
}

impl Hold {
    /// The reading given for `reading` at a point where the hold is on (`holding`) or not.
    pub fn read(&mut self, reading: f64, holding: bool) -> f64 {
        let reading = match holding {
            true => *self.held.get_or_insert(self.last),
            false => {
                self.held = None;
                reading
            }
        };
        if reading != 0.0 {
            self.last = reading;
        }
        reading
    }
}

/// Checks a series' values against what its shape promises: within `floor..=ceiling`, and
/// whole numbers where `whole` (a count, a reading kept as an integer).
pub fn check_values(name: &str, points: &[(i64, f64)], floor: f64, ceiling: f64, whole: bool) {
    assert!(
        points.iter().all(|(_, v)| *v >= floor),
        "{name}: below its floor"
    );
    assert!(
        points.iter().all(|(_, v)| *v <= ceiling),
        "{name}: above its ceiling"
    );
    if whole {
        assert!(
            points.iter().all(|(_, v)| v.fract() == 0.0),
            "{name}: whole numbers"
        );
    }
}
