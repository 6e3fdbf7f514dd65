//! The detector on the NAB series in `shared/bench-data/nab` (read its README), scored by this
//! crate's NAB scorer, two ways: in sample (the default settings, the threshold chosen on all 35
//! series) and cross-validated (issue 15: the tuned settings and the threshold chosen on three of
//! the four categories, scored on the fourth, for each category in turn). Fails if either
//! standard-profile score drops below the level reached; prints all three profiles for
//! docs/benchmarks.md.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use telemetryhub_anomaly::nab::{PROFILES, RawScores, ScoredSeries, score_corpus, threshold_grid};
use telemetryhub_anomaly::{DEFAULT_THRESHOLD, Detector, DetectorConfig};

/// The floor of the cross-validated standard-profile score (the held-out categories' detections
/// scored together, see [`nab_score_cross_validated`]). Measured 2026-12-06: 72.11 with
/// `context_rerange` (69.84 before); 2026-12-07: 72.22 with the early contextual model.
const MINIMUM_STANDARD_SCORE: f64 = 72.1;

/// The floor of the default settings' standard-profile score in sample (threshold chosen on all
/// 35 series). Measured 2026-12-06: 73.97 with `context_rerange` (73.04 before it, with the
/// defaults the cross-validation chose; 69.13 with the earlier ones; docs/benchmarks.md);
/// 2026-12-07: 74.54 with the early contextual model, 74.60 by model version 16; 2026-12-08:
/// 74.27 with model version 17 (the spread view joining: one false positive more on two series),
/// a change chosen with every development corpus left out in turn and checked on a held-out
/// corpus before it was made unit-free, the cross-validated score 72.55 → 72.22
/// (docs/benchmarks.md, "Session 23").
const MINIMUM_IN_SAMPLE_STANDARD_SCORE: f64 = 74.2;

/// The settings tuned on this data that move the score most (one at a time around today's
/// defaults, standard profile: `context_warmup` 300…900 → 62.4…69.2, `context_margin`
/// 0.25…1.0 → 62.8…69.1, `refractory` 0…216 → 69.1…72.9; `z_mid` 4…8 only 68.3…69.1), and the
/// values cross-validation chooses among (the defaults since 2026-12-06 are 750 and 72, as every
/// fold chose). Today's defaults come first, so they win ties.
const CONTEXT_WARMUPS: [usize; 3] = [750, 450, 600];
/// See [`CONTEXT_WARMUPS`].
const CONTEXT_MARGINS: [f64; 3] = [0.5, 0.4, 0.6];
/// See [`CONTEXT_WARMUPS`]. (216, below 72 for every warm-up and margin and never chosen, left
/// the grid to keep its size when `context_rerange` joined it.)
const REFRACTORIES: [usize; 2] = [72, 144];
/// See [`CONTEXT_WARMUPS`]: `context_rerange` (0 keeps the warm-up's range; 20 / 120 scored as
/// 60 / less, docs/benchmarks.md).
const RERANGES: [usize; 2] = [60, 0];
/// See [`CONTEXT_WARMUPS`]: `context_start` (at the warm-up: no early model; every fold of
/// every profile chooses 450 here; 350 and 400 in its place let one fold choose refractory 144
/// and scored 69.99, docs/benchmarks.md).
const CONTEXT_STARTS: [usize; 2] = [450, 750];

/// The default configuration; `NAB_<FIELD>` environment variables override fields when exploring
/// by hand (the suite sets none).
fn config() -> DetectorConfig {
    let mut config = DetectorConfig::default();
    let get = |name: &str| {
        std::env::var(format!("NAB_{name}"))
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
    };
    if let Some(v) = get("WINDOW") {
        config.window = v as usize;
    }
    if let Some(v) = get("REFRACTORY") {
        config.refractory = v as usize;
    }
    if let Some(v) = get("Z_MID") {
        config.z_mid = v;
    }
    if let Some(v) = get("Z_SPREAD") {
        config.z_spread = v;
    }
    if let Some(v) = get("SHIFT_SPAN") {
        config.shift_span = v as usize;
    }
    if let Some(v) = get("TREND_SPAN") {
        config.trend_span = v as usize;
    }
    if let Some(v) = get("CONTEXT_WARMUP") {
        config.context_warmup = v as usize;
    }
    if let Some(v) = get("CONTEXT_START") {
        config.context_start = v as usize;
    }
    if let Some(v) = get("MARGIN") {
        config.context_margin = v;
    }
    if let Some(v) = get("REST") {
        config.context.rest_period = v as usize;
    }
    if let Some(v) = get("MAX_CONTEXTS") {
        config.context.max_contexts = v as usize;
    }
    if let Some(v) = get("DIP_SCALES") {
        config.dip_scales = v;
    }
    if let Some(v) = get("MAX_BYTES") {
        config.context.max_bytes = v as usize;
        config.context.max_encoded_bytes = v as usize;
    }
    if let Some(v) = get("MAX_ACTIVE") {
        config.context.max_active = v as usize;
    }
    if let Some(v) = get("RERANGE") {
        config.context_rerange = v as usize;
    }
    if let Some(v) = get("VALUE_BITS") {
        config.context.value_bits = v as u32;
    }
    if let Some(v) = get("MAX_LEFT") {
        config.context.max_left_len = v as usize;
    }
    config
}

/// One labelled NAB series.
struct Series {
    /// Path under `data/`, e.g. `realTraffic/speed_6005.csv`.
    name: String,
    /// The folder: NAB's category.
    category: String,
    /// `(timestamp ns, value)` in row order.
    points: Vec<(i64, f64)>,
    /// Labelled windows as inclusive row ranges.
    windows: Vec<(usize, usize)>,
}

fn load() -> Vec<Series> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../../shared/bench-data/nab");
    let labels: HashMap<String, Vec<(String, String)>> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("labels/combined_windows.json")).expect("labels"),
    )
    .expect("labels JSON");
    let mut names: Vec<&String> = labels.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join("data").join(name)).expect("series");
            let rows: Vec<(String, f64)> = text
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let (ts, value) = line.split_once(',')?;
                    Some((ts.to_string(), value.trim().parse().ok()?))
                })
                .collect();
            let index_of = |ts: &str| {
                let ts = ts.trim_end_matches(".000000");
                rows.iter()
                    .position(|(t, _)| t == ts)
                    .expect("window edge is a row")
            };
            let windows = labels[name]
                .iter()
                .map(|(a, b)| (index_of(a), index_of(b)))
                .collect();
            let points = rows
                .iter()
                .map(|(ts, v)| {
                    (
                        telemetryhub_model::parse_timestamp_str(ts).expect("timestamp"),
                        *v,
                    )
                })
                .collect();
            Series {
                name: name.clone(),
                category: name.split('/').next().unwrap_or_default().to_string(),
                points,
                windows,
            }
        })
        .collect()
}

/// A fresh detector's scores of `series`, and the detector.
fn run(series: &Series, config: &DetectorConfig) -> (ScoredSeries, Detector) {
    let mut detector = Detector::new(config.clone());
    let scores = series
        .points
        .iter()
        .map(|(ts, v)| detector.score_at(*ts, *v))
        .collect();
    let scored = ScoredSeries {
        name: series.name.clone(),
        scores,
        windows: series.windows.clone(),
    };
    (scored, detector)
}

/// The state per series the issue allows: 64 KB (64,000 bytes), in memory and as the CBOR the
/// anomaly job saves.
const STATE_LIMIT: usize = 64_000;

/// The corpus scored with [`config`], and each detector's state at the end of its series: heap
/// bytes and CBOR bytes.
fn corpus() -> (Vec<ScoredSeries>, Vec<(usize, usize)>) {
    load()
        .iter()
        .map(|series| {
            let (scored, detector) = run(series, &config());
            let mut cbor = Vec::new();
            ciborium::into_writer(&detector, &mut cbor).expect("CBOR");
            if std::env::var_os("NAB_VERBOSE").is_some() {
                let started = std::time::Instant::now();
                let json = serde_json::to_vec(&detector).map_or(0, |j| j.len());
                let json_time = started.elapsed();
                let started = std::time::Instant::now();
                let mut again = Vec::new();
                ciborium::into_writer(&detector, &mut again).expect("CBOR");
                let cbor_time = started.elapsed();
                println!(
                    "  {:<55} points {:>6}  state {:>8} bytes  json {:>8} bytes  cbor {:>8} bytes  json {:>6} us cbor {:>6} us",
                    series.name,
                    series.points.len(),
                    detector.heap_bytes(),
                    json,
                    cbor.len(),
                    json_time.as_micros(),
                    cbor_time.as_micros(),
                );
            }
            (scored, (detector.heap_bytes(), cbor.len()))
        })
        .unzip()
}

/// Mean, median and largest of `sizes`.
fn summary(mut sizes: Vec<usize>) -> (f64, usize, usize) {
    sizes.sort_unstable();
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    (
        mean,
        sizes.get(sizes.len() / 2).copied().unwrap_or(0),
        sizes.last().copied().unwrap_or(0),
    )
}

#[test]
fn nab_score_with_default_settings() {
    let (corpus, states) = corpus();
    assert_eq!(corpus.len(), 35);
    let (heap, cbor): (Vec<usize>, Vec<usize>) = states.iter().copied().unzip();
    for (name, sizes) in [("heap", heap), ("CBOR", cbor)] {
        let (mean, median, largest) = summary(sizes);
        println!(
            "state ({name}) after each series: mean {mean:.0} bytes, median {median}, largest {largest}"
        );
        assert!(
            largest <= STATE_LIMIT,
            "a series ended with {largest} bytes of state ({name}), above {STATE_LIMIT}"
        );
    }
    let mut standard = f64::NAN;
    for profile in &PROFILES {
        let result = score_corpus(&corpus, profile, &threshold_grid());
        if std::env::var_os("ANOMALY_THRESHOLD_CURVE").is_some() {
            // The curve `scripts/job_threshold.py` chooses the anomaly job's threshold from.
            let thresholds = threshold_grid();
            let whole = RawScores::new(&corpus, profile, &thresholds);
            for (threshold, raw) in thresholds.iter().zip(&whole.raw) {
                println!(
                    "curve\tnab\t{}\t{threshold:.3}\t{:.3}",
                    profile.name,
                    whole.normalise(*raw)
                );
            }
        }
        println!(
            "{:<20} score {:6.2}  threshold {:.3}",
            result.profile, result.score, result.threshold
        );
        if profile.name == "standard" {
            standard = result.score;
            if std::env::var_os("NAB_VERBOSE").is_some() {
                for series in &corpus {
                    let raw =
                        telemetryhub_anomaly::nab::raw_score(series, profile, result.threshold);
                    let detections = series
                        .scores
                        .iter()
                        .filter(|s| **s >= result.threshold)
                        .count();
                    println!(
                        "  {:<55} raw {raw:7.3}  windows {}  detections {detections}",
                        series.name,
                        series.windows.len()
                    );
                }
            }
        }
    }
    assert!(
        standard >= MINIMUM_IN_SAMPLE_STANDARD_SCORE,
        "standard NAB score {standard:.2} fell below {MINIMUM_IN_SAMPLE_STANDARD_SCORE}"
    );
}

/// `f` of each item, computed on as many threads as the machine has cores.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The candidate (row of `values`, one column per group) with the highest total over the groups
/// other than `held_out` (all groups when `None`); the first such candidate on ties.
fn best(values: &[Vec<f64>], held_out: Option<usize>) -> usize {
    let total = |row: &Vec<f64>| -> f64 {
        row.iter()
            .enumerate()
            .filter(|(group, _)| Some(*group) != held_out)
            .map(|(_, v)| v)
            .sum()
    };
    let mut chosen = 0;
    for (candidate, row) in values.iter().enumerate() {
        if total(row) > total(&values[chosen]) {
            chosen = candidate;
        }
    }
    chosen
}

#[test]
fn the_selection_ignores_the_held_out_group_and_prefers_the_first_on_ties() {
    let values = vec![
        vec![1.0, 1.0, 0.0],
        vec![0.0, 1.0, 5.0],
        vec![1.0, 1.0, 0.0],
    ];
    assert_eq!(best(&values, None), 1);
    assert_eq!(best(&values, Some(2)), 0);
    assert_eq!(best(&values, Some(0)), 1);
    assert_eq!(
        parallel_map(&[1, 2, 3, 4, 5], |x| x * 10),
        vec![10, 20, 30, 40, 50]
    );
}

/// The sum of `tables` (of disjoint corpora).
fn sum<'a>(mut tables: impl Iterator<Item = &'a RawScores>) -> RawScores {
    let mut total = tables.next().expect("a table").clone();
    for table in tables {
        total.add(table);
    }
    total
}

fn describe(config: &DetectorConfig) -> String {
    format!(
        "warmup {:>3} margin {:.1} refractory {:>3} rerange {:>3} start {:>3}",
        config.context_warmup,
        config.context_margin,
        config.refractory,
        config.context_rerange,
        config.context_start
    )
}

/// Leave one category out: for each of NAB's four categories, the setting and threshold that
/// score best on the other three are scored on it. The figure is NAB's score of those held-out
/// detections together (their raw scores summed and normalised against the whole corpus's null
/// and perfect detectors), i.e. the mean of the held-out scores weighted as NAB weighs
/// categories. An unweighted mean is not defined: artificialNoAnomaly has no windows, so no
/// normalised score of its own (its false positives still count in the sum).
#[test]
fn nab_score_cross_validated() {
    let series = load();
    let mut categories: Vec<String> = series.iter().map(|s| s.category.clone()).collect();
    categories.dedup();
    assert_eq!(categories.len(), 4);
    let base = config();
    let mut grid: Vec<DetectorConfig> = Vec::new();
    for context_warmup in CONTEXT_WARMUPS {
        for context_margin in CONTEXT_MARGINS {
            for refractory in REFRACTORIES {
                for context_rerange in RERANGES {
                    for context_start in CONTEXT_STARTS {
                        grid.push(DetectorConfig {
                            context_warmup,
                            context_margin,
                            refractory,
                            context_rerange,
                            context_start,
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    assert_eq!(grid[0], base, "the grid starts with today's defaults");
    let thresholds = threshold_grid();
    // tables[setting][profile][category]
    let tables: Vec<Vec<Vec<RawScores>>> = parallel_map(&grid, |config| {
        let scored: Vec<(String, ScoredSeries)> = series
            .iter()
            .map(|s| (s.category.clone(), run(s, config).0))
            .collect();
        PROFILES
            .iter()
            .map(|profile| {
                categories
                    .iter()
                    .map(|category| {
                        let part: Vec<ScoredSeries> = scored
                            .iter()
                            .filter(|(c, _)| c == category)
                            .map(|(_, s)| s.clone())
                            .collect();
                        RawScores::new(&part, profile, &thresholds)
                    })
                    .collect()
            })
            .collect()
    });
    let mut standard = f64::NAN;
    let mut standard_choice = usize::MAX;
    for (p, profile) in PROFILES.iter().enumerate() {
        // One candidate per (setting, threshold), setting-major; a column per category.
        let values: Vec<Vec<f64>> = tables
            .iter()
            .flat_map(|by_profile| {
                let by_category = &by_profile[p];
                (0..thresholds.len())
                    .map(move |t| by_category.iter().map(|table| table.raw[t]).collect())
            })
            .collect();
        let all_categories = |setting: usize| sum(tables[setting][p].iter());
        let whole = all_categories(0);
        println!("{}:", profile.name);
        if profile.name == "standard" {
            println!(
                "  setting                                in sample (threshold)  threshold cross-validated"
            );
            for (setting, config) in grid.iter().enumerate() {
                let table = all_categories(setting);
                let t = table.best().expect("thresholds");
                // The setting fixed, only the threshold chosen on the other categories.
                let held: f64 = (0..categories.len())
                    .map(|h| {
                        let training = sum(tables[setting][p]
                            .iter()
                            .enumerate()
                            .filter(|(c, _)| *c != h)
                            .map(|(_, t)| t));
                        let t = training.best().expect("thresholds");
                        tables[setting][p][h].raw[t]
                    })
                    .sum();
                println!(
                    "  {}   {:6.2} ({:.3})         {:6.2}",
                    describe(config),
                    table.normalise(table.raw[t]),
                    thresholds[t],
                    whole.normalise(held)
                );
            }
        }
        let mut held_sum = 0.0;
        let mut normalisable = Vec::new();
        for (h, category) in categories.iter().enumerate() {
            let chosen = best(&values, Some(h));
            let (setting, t) = (chosen / thresholds.len(), chosen % thresholds.len());
            let training = sum(tables[setting][p]
                .iter()
                .enumerate()
                .filter(|(c, _)| *c != h)
                .map(|(_, t)| t));
            let own = &tables[setting][p][h];
            let raw = own.raw[t];
            held_sum += raw;
            let held = if own.perfect == own.null {
                format!("raw {raw:7.2} (no windows)")
            } else {
                normalisable.push(own.normalise(raw));
                format!("{:6.2} (raw {raw:7.2})", own.normalise(raw))
            };
            println!(
                "  held out {category:<22} chosen {} threshold {:.3}  others {:6.2}  held out {held}",
                describe(&grid[setting]),
                thresholds[t],
                training.normalise(training.raw[t]),
            );
        }
        let cross = whole.normalise(held_sum);
        let in_sample = {
            let t = whole.best().expect("thresholds");
            (whole.normalise(whole.raw[t]), thresholds[t])
        };
        let overall = best(&values, None);
        let (setting, t) = (overall / thresholds.len(), overall % thresholds.len());
        let chosen = all_categories(setting);
        println!(
            "  cross-validated {cross:6.2} (unweighted mean of the {} categories with windows {:.2})",
            normalisable.len(),
            normalisable.iter().sum::<f64>() / normalisable.len() as f64,
        );
        println!(
            "  today's defaults in sample {:6.2} (threshold {:.3})",
            in_sample.0, in_sample.1
        );
        println!(
            "  chosen on all categories: {} threshold {:.3}, in sample {:6.2}",
            describe(&grid[setting]),
            thresholds[t],
            chosen.normalise(chosen.raw[t]),
        );
        if profile.name == "standard" {
            standard = cross;
            standard_choice = setting;
        }
    }
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "cross-validated standard NAB score {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
    // The defaults are the grid's choice on the standard profile (ties go to the defaults, the
    // grid's first row). The folds themselves split on `context_margin` (two of the four take
    // 0.4), so the choice on all categories, not a majority of folds, is what is checked.
    assert_eq!(
        standard_choice,
        0,
        "the grid prefers {} to today's defaults",
        describe(&grid[standard_choice])
    );
}

/// Points in a short series: a quarter to a third of most NAB series, as long as hourly series
/// of two months.
const SHORT_LENGTH: usize = 1_600;

/// Every labelled anomaly of the series of at least [`SHORT_LENGTH`] points (33 of the 35; the two
/// shorter ones, `speed_7578` and `iio_us-east-1_i-a2eb1cd9_NetworkIn`, are young series already
/// and score in the other tests), again in a series of [`SHORT_LENGTH`] points cut around
/// it (its centre at 60 % of the cut, or as near as the series allows), with the windows NAB
/// would label in a file of that length: centred where the originals were, 10 % of the length
/// shared among the anomalies inside; series without anomalies give their first points.
fn short_series(corpus: &[Series]) -> Vec<Series> {
    let mut cuts = Vec::new();
    for series in corpus {
        let n = series.points.len();
        if n < SHORT_LENGTH {
            continue;
        }
        let centres: Vec<usize> = series.windows.iter().map(|(a, b)| (a + b) / 2).collect();
        let starts: Vec<usize> = match centres.is_empty() {
            true => vec![0],
            false => centres
                .iter()
                .map(|c| {
                    c.saturating_sub(SHORT_LENGTH * 6 / 10)
                        .min(n - SHORT_LENGTH)
                })
                .collect(),
        };
        for (k, start) in starts.into_iter().enumerate() {
            let end = start + SHORT_LENGTH;
            let inside: Vec<usize> = centres
                .iter()
                .copied()
                .filter(|c| (start..end).contains(c))
                .collect();
            let width = SHORT_LENGTH / 10 / inside.len().max(1);
            let windows = inside
                .iter()
                .map(|c| {
                    let a = (c - start).saturating_sub(width / 2);
                    (a, (a + width - 1).min(SHORT_LENGTH - 1))
                })
                .collect();
            cuts.push(Series {
                name: format!("{} cut {k}", series.name),
                category: series.category.clone(),
                points: series.points[start..end].to_vec(),
                windows,
            });
        }
    }
    cuts
}

/// The floor of the default settings' standard-profile score on the short series (threshold
/// chosen on them). Measured 2026-12-07: 60.97 before the early contextual model, 63.46 with it
/// (docs/benchmarks.md).
const MINIMUM_SHORT_STANDARD_SCORE: f64 = 63.0;

/// Young series: each anomaly of the corpus in a series of [`SHORT_LENGTH`] points, where NAB's
/// probation ends at 240 and most of the scored points come before a 750-point warm-up ends.
#[test]
fn nab_score_on_short_series() {
    let cuts = short_series(&load());
    let config = config();
    let scored: Vec<ScoredSeries> = parallel_map(&cuts, |s| run(s, &config).0);
    let standard = &PROFILES[0];
    let tuned = score_corpus(&scored, standard, &threshold_grid());
    let at_job = RawScores::new(&scored, standard, &[DEFAULT_THRESHOLD]);
    if std::env::var_os("NAB_VERBOSE").is_some() {
        for series in &scored {
            let raw = telemetryhub_anomaly::nab::raw_score(series, standard, tuned.threshold);
            println!("  {:<60} raw {raw:7.3}", series.name);
        }
    }
    println!(
        "short series ({} cuts of {SHORT_LENGTH} points): standard {:.2} at threshold {:.3}, {:.2} at the job's {DEFAULT_THRESHOLD}",
        cuts.len(),
        tuned.score,
        tuned.threshold,
        at_job.normalise(at_job.raw[0])
    );
    assert!(
        tuned.score >= MINIMUM_SHORT_STANDARD_SCORE,
        "standard NAB score on short series {:.2} fell below {MINIMUM_SHORT_STANDARD_SCORE}",
        tuned.score
    );
}

/// The detector knows nothing of units: the corpus scaled by 1,000 or by 1/1,000, or moved up by
/// 10⁶ (a large baseline with the same variation: bytes, kelvins), scores as it is.
#[test]
fn nab_score_is_the_same_in_any_unit_and_from_any_baseline() {
    let series = load();
    let score = |scale: f64, offset: f64| {
        let moved: Vec<Series> = series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                category: s.category.clone(),
                points: s
                    .points
                    .iter()
                    .map(|(t, v)| (*t, v * scale + offset))
                    .collect(),
                windows: s.windows.clone(),
            })
            .collect();
        let scored: Vec<ScoredSeries> = parallel_map(&moved, |s| run(s, &config()).0);
        score_corpus(&scored, &PROFILES[0], &threshold_grid()).score
    };
    let original = score(1.0, 0.0);
    for (scale, offset) in [(1000.0, 0.0), (0.001, 0.0), (1.0, 1e6)] {
        let moved = score(scale, offset);
        println!("scale {scale} offset {offset}: standard {moved:.2} (as it is: {original:.2})");
        assert!(
            (moved - original).abs() < 0.01,
            "scaled by {scale} and moved by {offset}: {moved:.2} against {original:.2}"
        );
    }
}
