//! The first synthetic test of the detector (issue 15, item 4): a corpus of metric series with
//! known injected anomalies, generated here from fixed seeds (no data file, no new dependency),
//! run through the default `Detector` strictly online and scored by this crate's NAB scorer the
//! way `tests/nab.rs` scores the NAB corpus. It was held out until model version 7; the seasonal
//! drift's settings (model version 8) were chosen on it, NAB being unable to tell them apart, and
//! the `varied` corpus is the held-out check since. The test prints the score overall and per
//! kind of anomaly and fails if the standard score drops below [`MINIMUM_STANDARD_SCORE`].
//!
//! **Series.** 28 series of 4,032 points: 14 days at 5-minute intervals from Monday
//! 2026-09-21 00:00 UTC. Each has one of four shapes, its parameters drawn from its seed:
//!
//! - *seasonal*: a level of 50–250 plus a daily cycle of amplitude 20–100 % of the level (low at
//!   night, high from late morning to evening, 70 % as high at weekends) and Gaussian noise of
//!   5–15 % of the amplitude — request rates, CPU;
//! - *spiky*: a positive counter rate of 20–500 with a daily cycle of ±25–50 %, multiplied by
//!   log-normal noise (σ 0.2–0.4) and, at 0.5 % of the points, by a burst of 1.5–3× — heavy
//!   tailed, ordinary bursts included;
//! - *walk*: a slow random walk (Ornstein–Uhlenbeck around 50–200, mean reversion over 1,000
//!   points, steps of σ 0.3–0.8) plus measurement noise of σ 0.3–1 — queue depth, memory;
//! - *trend*: a level of 100–1,000 growing by 30–100 % over the two weeks, a small daily cycle
//!   and noise of 1–3 % of the level — disk usage.
//!
//! **Anomalies.** One per series (none in 4), starting at a point drawn uniformly from
//! 1,500–3,399 (days 5–11, after the detector's 750-point warm-up and NAB's probation of
//! 604 points). Sizes are relative to the *span* of the series before the anomaly (its 0.1 to 99.9
//! percentile range):
//!
//! | kind | what is injected | series |
//! |---|---|---|
//! | spike | 1–3 points at 0.25–0.8 spans above the highest normal value | one of each shape |
//! | dip | 6–24 points 0.5–1 span lower (at least 0); on the counter rate, 12–36 points at 2 % (an outage) | 2 seasonal, spiky, walk |
//! | level shift | ±0.3–0.6 span from the start to the end | seasonal, spiky (×1.5–2.5), walk, trend |
//! | trend change | an added slope reaching 0.3–0.6 span after a day, to the end | seasonal, walk, 2 trend |
//! | variance change | noise 3–5× as large from the start to the end | 2 seasonal, walk, trend |
//! | lost seasonality | the daily cycle replaced by its daily mean for one day (noise kept) | 3 seasonal, spiky |
//! | none | nothing: false positives only | one of each shape |
//!
//! **Windows.** As NAB labels its corpus: a window of 10 % of the series length divided by the
//! number of anomalies (403 points here) centred on the anomaly's first point, i.e. rows
//! `start − 201 ..= start + 201`. An online detector cannot fire before the start, so its best
//! reward is about 0.86 of a perfect detector's (NAB's sigmoid at the window's middle): a score
//! near 86 would mean every anomaly caught at once without a false positive.
//!
//! **Scoring.** NAB's standard profile with one threshold for the whole corpus chosen on NAB's
//! grid, as `tests/nab.rs` does (in sample for the threshold, held out for the settings). Also
//! printed: the score at the anomaly job's default threshold (0.661, chosen on NAB, until session
//! 16; since, 0.732, chosen on NAB, this corpus and `varied`), the threshold chosen leaving one kind out at a time, and per kind the normalised
//! score at the corpus threshold, the windows caught, the false positives and the delay of the
//! first detection.

use telemetryhub_anomaly::nab::{PROFILES, Profile, RawScores, ScoredSeries, threshold_grid};

use crate::common::{
    JOB_THRESHOLD, Labelled, Rng, index_of, print_curve, probation, quantile, score_all,
};

/// The floor of the standard-profile score with the corpus-wide threshold. Measured 2026-12-06:
/// 47.36 at threshold 0.782 with the statistical score joined on dips (`dip_scales`), 43.48
/// with the state bounded by byte budgets (model version 6: one series' contextual model started
/// over earlier), 43.25 with `context_rerange`, 42.99 at 0.781 before (docs/benchmarks.md,
/// "Synthetic held-out corpus"). The corpus and the detector are deterministic: a change of the
/// score is a change of the detector. 2026-12-07: 48.50 with the early contextual model (model
/// version 7); 58.56 with the seasonal drift (model version 8, chosen on this corpus); 59.01 with
/// the drift's usual size started unbiased and its gate threshold chosen again here (3, not 4).
const MINIMUM_STANDARD_SCORE: f64 = 58.9;

/// Points per day at 5-minute intervals.
const DAY: usize = 288;
/// Points per series: two weeks.
const LEN: usize = 14 * DAY;
/// Nanoseconds between points.
const STEP_NS: i64 = 300_000_000_000;
/// Monday 2026-09-21 00:00 UTC, in ns.
const START_NS: i64 = 1_789_948_800_000_000_000;
/// The first and last possible anomaly starts.
const FIRST_START: usize = 1_500;
/// See [`FIRST_START`].
const LAST_START: usize = 3_399;

/// The shape of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Seasonal,
    Spiky,
    Walk,
    Trend,
}

/// The kind of anomaly injected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Spike,
    Dip,
    LevelShift,
    TrendChange,
    VarianceChange,
    LostSeasonality,
    None,
}

/// Every kind, in report order.
const KINDS: [Kind; 7] = [
    Kind::Spike,
    Kind::Dip,
    Kind::LevelShift,
    Kind::TrendChange,
    Kind::VarianceChange,
    Kind::LostSeasonality,
    Kind::None,
];

/// The corpus: (shape, kind) per series; the seed is the series' index.
const CORPUS: [(Shape, Kind); 28] = [
    (Shape::Seasonal, Kind::Spike),
    (Shape::Spiky, Kind::Spike),
    (Shape::Walk, Kind::Spike),
    (Shape::Trend, Kind::Spike),
    (Shape::Seasonal, Kind::Dip),
    (Shape::Seasonal, Kind::Dip),
    (Shape::Spiky, Kind::Dip),
    (Shape::Walk, Kind::Dip),
    (Shape::Seasonal, Kind::LevelShift),
    (Shape::Spiky, Kind::LevelShift),
    (Shape::Walk, Kind::LevelShift),
    (Shape::Trend, Kind::LevelShift),
    (Shape::Seasonal, Kind::TrendChange),
    (Shape::Walk, Kind::TrendChange),
    (Shape::Trend, Kind::TrendChange),
    (Shape::Trend, Kind::TrendChange),
    (Shape::Seasonal, Kind::VarianceChange),
    (Shape::Seasonal, Kind::VarianceChange),
    (Shape::Walk, Kind::VarianceChange),
    (Shape::Trend, Kind::VarianceChange),
    (Shape::Seasonal, Kind::LostSeasonality),
    (Shape::Seasonal, Kind::LostSeasonality),
    (Shape::Seasonal, Kind::LostSeasonality),
    (Shape::Spiky, Kind::LostSeasonality),
    (Shape::Seasonal, Kind::None),
    (Shape::Spiky, Kind::None),
    (Shape::Walk, Kind::None),
    (Shape::Trend, Kind::None),
];

/// One point before any anomaly, in parts: `value = base + season + noise` (for the spiky
/// shape, `noise` is what its multiplicative noise adds).
#[derive(Debug, Clone, Copy)]
struct Parts {
    base: f64,
    season: f64,
    noise: f64,
}

/// The daily cycle at point `i`, in `[0, 1]`: low at night, highest mid-afternoon; 70 % as
/// high at weekends (the series start on a Monday).
fn daily(i: usize) -> f64 {
    let phase = (i % DAY) as f64 / DAY as f64;
    let shape = 0.5 - 0.5 * (std::f64::consts::TAU * (phase - 0.12)).cos();
    let weekend = (i / DAY) % 7 >= 5;
    shape * if weekend { 0.7 } else { 1.0 }
}

/// The series' normal points.
fn normal_parts(shape: Shape, rng: &mut Rng) -> Vec<Parts> {
    match shape {
        Shape::Seasonal => {
            let level = rng.range(50.0, 250.0);
            let amplitude = level * rng.range(0.2, 1.0);
            let sigma = amplitude * rng.range(0.05, 0.15);
            (0..LEN)
                .map(|i| Parts {
                    base: level,
                    season: amplitude * daily(i),
                    noise: sigma * rng.normal(),
                })
                .collect()
        }
        Shape::Spiky => {
            let rate = rng.range(20.0, 500.0);
            let swing = rng.range(0.25, 0.5);
            let s = rng.range(0.2, 0.4);
            (0..LEN)
                .map(|i| {
                    let season = rate * swing * (2.0 * daily(i) - 1.0);
                    let mut factor = (s * rng.normal() - s * s / 2.0).exp();
                    if rng.unit() < 0.005 {
                        factor *= rng.range(1.5, 3.0);
                    }
                    Parts {
                        base: rate,
                        season,
                        noise: (rate + season) * (factor - 1.0),
                    }
                })
                .collect()
        }
        Shape::Walk => {
            let mean = rng.range(50.0, 200.0);
            let step = rng.range(0.3, 0.8);
            let sigma = rng.range(0.3, 1.0);
            let mut x = mean;
            (0..LEN)
                .map(|_| {
                    x += (mean - x) / 1_000.0 + step * rng.normal();
                    Parts {
                        base: x,
                        season: 0.0,
                        noise: sigma * rng.normal(),
                    }
                })
                .collect()
        }
        Shape::Trend => {
            let level = rng.range(100.0, 1_000.0);
            let growth = level * rng.range(0.3, 1.0) / LEN as f64;
            let sigma = level * rng.range(0.01, 0.03);
            let amplitude = sigma * rng.range(0.0, 2.0);
            (0..LEN)
                .map(|i| Parts {
                    base: level + growth * i as f64,
                    season: amplitude * daily(i),
                    noise: sigma * rng.normal(),
                })
                .collect()
        }
    }
}

/// One generated series.
struct Series {
    name: String,
    kind: Kind,
    /// The anomaly's first point (for [`Kind::None`], where it would have been).
    start: usize,
    /// `(timestamp ns, value)`.
    points: Vec<(i64, f64)>,
    /// NAB-style windows, inclusive row ranges.
    windows: Vec<(usize, usize)>,
}

/// The series of seed `seed`: its shape's normal points with `kind` injected.
fn generate(seed: usize, shape: Shape, kind: Kind) -> Series {
    let mut rng = Rng(0x5EED_0000 + seed as u64);
    let parts = normal_parts(shape, &mut rng);
    let start = FIRST_START + (rng.next_u64() % (LAST_START - FIRST_START + 1) as u64) as usize;
    let normal: Vec<f64> = parts.iter().map(|p| p.base + p.season + p.noise).collect();
    let (low, high) = (
        quantile(&normal[..start], 0.001),
        quantile(&normal[..start], 0.999),
    );
    let span = high - low;
    let positive = shape != Shape::Walk;
    let mut values = normal.clone();
    match kind {
        Kind::Spike => {
            let width = 1 + (rng.next_u64() % 3) as usize;
            let height = high + span * rng.range(0.25, 0.8);
            for v in &mut values[start..start + width] {
                *v = height + (*v - normal[start]) * 0.1;
            }
        }
        Kind::Dip if shape == Shape::Spiky => {
            let width = 12 + (rng.next_u64() % 25) as usize;
            for v in &mut values[start..start + width] {
                *v *= 0.02;
            }
        }
        Kind::Dip => {
            let width = 6 + (rng.next_u64() % 19) as usize;
            let depth = span * rng.range(0.5, 1.0);
            for v in &mut values[start..start + width] {
                *v -= depth;
                if positive {
                    *v = v.max(0.0);
                }
            }
        }
        Kind::LevelShift if shape == Shape::Spiky => {
            let factor = rng.range(1.5, 2.5);
            for v in &mut values[start..] {
                *v *= factor;
            }
        }
        Kind::LevelShift => {
            let sign = if rng.unit() < 0.5 { -1.0 } else { 1.0 };
            let shift = sign * span * rng.range(0.3, 0.6);
            for v in &mut values[start..] {
                *v += shift;
                if positive {
                    *v = v.max(0.0);
                }
            }
        }
        Kind::TrendChange => {
            let slope = span * rng.range(0.3, 0.6) / DAY as f64;
            for (k, v) in values[start..].iter_mut().enumerate() {
                *v += slope * k as f64;
            }
        }
        Kind::VarianceChange => {
            let factor = rng.range(3.0, 5.0);
            for (v, p) in values[start..].iter_mut().zip(&parts[start..]) {
                *v += (factor - 1.0) * p.noise;
                if positive {
                    *v = v.max(0.0);
                }
            }
        }
        Kind::LostSeasonality => {
            let day = start..start + DAY;
            let mean = parts[day.clone()].iter().map(|p| p.season).sum::<f64>() / DAY as f64;
            for (v, p) in values[day.clone()].iter_mut().zip(&parts[day]) {
                *v = if shape == Shape::Spiky {
                    // Multiplicative noise: scaled to the flattened rate.
                    (p.base + mean) * (p.base + p.season + p.noise) / (p.base + p.season)
                } else {
                    p.base + mean + p.noise
                };
            }
        }
        Kind::None => {}
    }
    let half = LEN / 10 / 2;
    let windows = if kind == Kind::None {
        Vec::new()
    } else {
        vec![(start - half, start + half)]
    };
    Series {
        name: format!("{seed:02}-{shape:?}-{kind:?}"),
        kind,
        start,
        points: values
            .iter()
            .enumerate()
            .map(|(i, v)| (START_NS + i as i64 * STEP_NS, *v))
            .collect(),
        windows,
    }
}

/// The corpus, generated.
fn load() -> Vec<Series> {
    CORPUS
        .iter()
        .enumerate()
        .map(|(seed, (shape, kind))| generate(seed, *shape, *kind))
        .collect()
}

/// The table of the series of `kind` under `profile`.
fn table_of(
    series: &[Series],
    scored: &[ScoredSeries],
    kind: Kind,
    profile: &Profile,
    thresholds: &[f64],
) -> RawScores {
    let part: Vec<ScoredSeries> = series
        .iter()
        .zip(scored)
        .filter(|(s, _)| s.kind == kind)
        .map(|(_, s)| s.clone())
        .collect();
    RawScores::new(&part, profile, thresholds)
}

#[test]
fn the_generator_is_deterministic_and_places_anomalies_after_the_warm_up() {
    let a = load();
    let b = load();
    assert_eq!(a.len(), 28);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.points, y.points, "{}", x.name);
        assert_eq!(x.points.len(), LEN);
        assert!((FIRST_START..=LAST_START).contains(&x.start));
        assert!(x.points.iter().all(|(_, v)| v.is_finite()));
        if x.kind != Kind::None {
            assert_eq!(x.windows, vec![(x.start - 201, x.start + 201)]);
            assert!(x.windows[0].0 > probation(LEN));
            assert!(x.windows[0].1 < LEN);
        }
    }
    for kind in KINDS {
        assert!(a.iter().filter(|s| s.kind == kind).count() >= 4, "{kind:?}");
    }
}

#[test]
fn synthetic_corpus_score_with_default_settings() {
    let started = std::time::Instant::now();
    let series = load();
    let labelled: Vec<Labelled> = series
        .iter()
        .map(|s| (s.name.as_str(), &s.points[..], &s.windows[..]))
        .collect();
    let scored = score_all(&labelled);
    let thresholds = threshold_grid();
    let mut standard = f64::NAN;
    for profile in &PROFILES {
        let whole = RawScores::new(&scored, profile, &thresholds);
        print_curve("daily", profile.name, &thresholds, &whole);
        let best = whole.best().expect("thresholds");
        let job = index_of(&thresholds, JOB_THRESHOLD);
        // The threshold chosen on the other kinds, applied to each kind in turn.
        let tables: Vec<RawScores> = KINDS
            .iter()
            .map(|kind| table_of(&series, &scored, *kind, profile, &thresholds))
            .collect();
        let held: f64 = (0..KINDS.len())
            .map(|h| {
                let mut training = RawScores::new(&[], profile, &thresholds);
                for (k, table) in tables.iter().enumerate() {
                    if k != h {
                        training.add(table);
                    }
                }
                tables[h].raw[training.best().expect("thresholds")]
            })
            .sum();
        println!(
            "{:<20} score {:6.2}  threshold {:.3}   at the job's {JOB_THRESHOLD}: {:6.2}   threshold chosen leaving each kind out: {:6.2}",
            profile.name,
            whole.normalise(whole.raw[best]),
            thresholds[best],
            whole.normalise(whole.raw[job]),
            whole.normalise(held),
        );
        if profile.name != "standard" {
            continue;
        }
        standard = whole.normalise(whole.raw[best]);
        let threshold = thresholds[best];
        println!(
            "  kind              score  caught  false positives  first detection in the window, from the start (points; the first at or after the start in parentheses)"
        );
        for (kind, table) in KINDS.iter().zip(&tables) {
            let mut caught = 0;
            let mut false_positives = 0;
            let mut delays = Vec::new();
            for (s, sc) in series.iter().zip(&scored).filter(|(s, _)| s.kind == *kind) {
                let alarms: Vec<usize> = (probation(LEN)..LEN)
                    .filter(|i| sc.scores[*i] >= threshold)
                    .collect();
                let inside = |i: &usize| s.windows.iter().any(|(a, b)| (*a..=*b).contains(i));
                false_positives += alarms.iter().filter(|i| !inside(i)).count();
                match alarms.iter().find(|i| inside(i)) {
                    Some(first) => {
                        caught += 1;
                        let delay = *first as i64 - s.start as i64;
                        // Before the start only by chance: when, if at all, it fired after.
                        let after = alarms.iter().find(|i| inside(i) && **i >= s.start);
                        delays.push(match after {
                            Some(a) if delay < 0 => format!("{delay} ({})", a - s.start),
                            None if delay < 0 => format!("{delay} (none after)"),
                            _ => delay.to_string(),
                        });
                    }
                    None if *kind != Kind::None => delays.push("missed".to_string()),
                    None => {}
                }
            }
            let total = series.iter().filter(|s| s.kind == *kind).count();
            let score = if *kind == Kind::None {
                format!("raw {:5.2}", table.raw[best])
            } else {
                format!("{:9.2}", table.normalise(table.raw[best]))
            };
            println!(
                "  {:<16} {score}  {caught:>2}/{total:<2}   {false_positives:>6}           {}",
                format!("{kind:?}"),
                delays.join(", ")
            );
        }
        for sc in &scored {
            let raw = telemetryhub_anomaly::nab::raw_score(sc, profile, threshold);
            let max_inside = sc.windows.iter().fold(String::from("-"), |_, (a, b)| {
                let max = sc.scores[*a..=*b].iter().copied().fold(0.0, f64::max);
                format!("{max:.3}")
            });
            println!(
                "    {:<30} raw {raw:7.3}  highest score in the window {max_inside}",
                sc.name
            );
        }
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard score on the synthetic corpus {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
