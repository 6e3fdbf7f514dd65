//! What the synthetic corpora share: the seeded generator, the NAB conventions of the corpora,
//! the online run of the default detector, local-time helpers and the report of the `varied`
//! and `field` corpora.

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
    let half = n / 10 / starts.len().max(1) / 2;
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
