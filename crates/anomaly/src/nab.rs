//! Scoring by the rules of the Numenta Anomaly Benchmark (Lavin & Ahmad, "Evaluating Real-time
//! Anomaly Detection Algorithms — the Numenta Anomaly Benchmark", ICMLA 2015; NAB v1.1).
//!
//! Per series: the first `min(⌊0.15·n⌋, 750)` rows are probation and not scored. A row whose
//! score reaches the threshold is a detection. Inside a labelled window a detection earns
//! `A_TP · σ(y)/σ(-1)` where `y` is its relative position (−1 at the window's left edge, 0 at its
//! right edge) and `σ(y) = 2/(1+e^{5y}) − 1`; only the window's best (earliest) detection counts,
//! and a window without one costs `A_FN`. A detection outside every window costs
//! `A_FP · σ(y)` with `y` its distance past the preceding window in window widths (far, or
//! before any window: −1). Scores are summed over the corpus, the threshold is the one that
//! maximises the sum, and the result is normalised so that the null detector (never fires)
//! scores 0 and a perfect one 100.

use std::collections::BTreeMap;

/// Reward and cost weights of a NAB profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// The profile's name in NAB.
    pub name: &'static str,
    /// Weight of a true positive.
    pub tp: f64,
    /// Weight of a false positive.
    pub fp: f64,
    /// Weight of a missed window.
    pub fn_: f64,
}

/// NAB's three profiles.
pub const PROFILES: [Profile; 3] = [
    Profile {
        name: "standard",
        tp: 1.0,
        fp: 0.11,
        fn_: 1.0,
    },
    Profile {
        name: "reward_low_FP_rate",
        tp: 1.0,
        fp: 0.22,
        fn_: 1.0,
    },
    Profile {
        name: "reward_low_FN_rate",
        tp: 1.0,
        fp: 0.11,
        fn_: 2.0,
    },
];

/// One labelled series with a detector's scores.
#[derive(Debug, Clone)]
pub struct ScoredSeries {
    /// Name, for reports.
    pub name: String,
    /// The detector's score per row, in `[0, 1]`.
    pub scores: Vec<f64>,
    /// Labelled windows as inclusive row-index ranges.
    pub windows: Vec<(usize, usize)>,
}

fn sigma(y: f64) -> f64 {
    if y >= 3.0 {
        -1.0
    } else {
        2.0 / (1.0 + (5.0 * y).exp()) - 1.0
    }
}

/// What one row contributes if it is a detection.
#[derive(Debug, Clone, Copy)]
struct Row {
    score: f64,
    /// `Some(window)` inside a window, `None` outside.
    window: Option<usize>,
    /// Unweighted σ value of a detection here (positive inside windows, negative outside).
    value: f64,
}

fn rows(series: &ScoredSeries) -> (Vec<Row>, usize) {
    let n = series.scores.len();
    let probation = ((0.15 * n as f64).floor() as usize).min(750);
    let mut rows = Vec::with_capacity(n);
    let mut scored_windows = std::collections::BTreeSet::new();
    let mut previous: Option<(usize, usize)> = None;
    for i in 0..n {
        let inside = series
            .windows
            .iter()
            .position(|(a, b)| (*a..=*b).contains(&i));
        let value = match inside {
            Some(w) => {
                let (a, b) = series.windows[w];
                let width = (b - a + 1) as f64;
                sigma(-((b as f64 - i as f64 + 1.0) / width)) / sigma(-1.0)
            }
            None => match previous {
                None => -1.0,
                Some((a, b)) => {
                    let width = (b - a + 1) as f64;
                    sigma((i as f64 - b as f64).abs() / (width - 1.0).max(1.0))
                }
            },
        };
        if let Some(w) = inside
            && i == series.windows[w].1
        {
            previous = Some(series.windows[w]);
        }
        if i >= probation {
            if let Some(w) = inside {
                scored_windows.insert(w);
            }
            rows.push(Row {
                score: series.scores[i],
                window: inside,
                value,
            });
        }
    }
    (rows, scored_windows.len())
}

/// The raw (unnormalised) score of one series at `threshold` under `profile`.
pub fn raw_score(series: &ScoredSeries, profile: &Profile, threshold: f64) -> f64 {
    let (rows, windows) = rows(series);
    raw_score_of_rows(&rows, windows, profile, threshold)
}

fn raw_score_of_rows(rows: &[Row], windows: usize, profile: &Profile, threshold: f64) -> f64 {
    let mut best: BTreeMap<usize, f64> = BTreeMap::new();
    let mut false_positives = 0.0;
    for row in rows.iter().filter(|r| r.score >= threshold) {
        match row.window {
            Some(w) => {
                let entry = best.entry(w).or_insert(f64::MIN);
                *entry = entry.max(row.value * profile.tp);
            }
            None => false_positives += row.value * profile.fp,
        }
    }
    let missed = windows - best.len();
    best.values().sum::<f64>() + false_positives - missed as f64 * profile.fn_
}

/// The corpus result of one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileResult {
    /// The profile.
    pub profile: &'static str,
    /// The threshold that maximised the corpus score.
    pub threshold: f64,
    /// The normalised score (null detector 0, perfect detector 100).
    pub score: f64,
}

/// A corpus's raw score at each candidate threshold under one profile, beside the raw scores of
/// the null detector (never fires) and a perfect one: all that choosing a threshold and
/// normalising need. Raw scores add up over series, so the tables of disjoint corpora can be
/// summed ([`RawScores::add`]): cross-validation scores a union of categories that way without
/// scoring it again.
#[derive(Debug, Clone, PartialEq)]
pub struct RawScores {
    /// The candidate thresholds.
    pub thresholds: Vec<f64>,
    /// The corpus's raw score at each of `thresholds`.
    pub raw: Vec<f64>,
    /// The null detector's raw score: every window missed.
    pub null: f64,
    /// A perfect detector's raw score: every window detected at its first row, no false
    /// positive.
    pub perfect: f64,
}

impl RawScores {
    /// Scores `corpus` under `profile` at each of `thresholds`.
    pub fn new(corpus: &[ScoredSeries], profile: &Profile, thresholds: &[f64]) -> RawScores {
        // Rows with at least some score, per series: only they can be detections.
        let prepared: Vec<(Vec<Row>, usize)> = corpus
            .iter()
            .map(|s| {
                let (rows, windows) = rows(s);
                (
                    rows.into_iter().filter(|r| r.score > 0.0).collect(),
                    windows,
                )
            })
            .collect();
        let total = |threshold: f64| -> f64 {
            prepared
                .iter()
                .map(|(rows, windows)| raw_score_of_rows(rows, *windows, profile, threshold))
                .sum()
        };
        RawScores {
            thresholds: thresholds.to_vec(),
            // A threshold of 0 would count rows scored exactly 0, which were dropped above;
            // NAB's sweep starts above them too.
            raw: thresholds
                .iter()
                .map(|t| total(t.max(f64::MIN_POSITIVE)))
                .collect(),
            null: total(f64::INFINITY),
            perfect: prepared
                .iter()
                .map(|(_, windows)| *windows as f64 * profile.tp)
                .sum(),
        }
    }

    /// Adds the table of a disjoint corpus scored at the same thresholds: the result is the
    /// table of both corpora together.
    pub fn add(&mut self, other: &RawScores) {
        assert_eq!(self.thresholds, other.thresholds, "the same thresholds");
        for (raw, other) in self.raw.iter_mut().zip(&other.raw) {
            *raw += other;
        }
        self.null += other.null;
        self.perfect += other.perfect;
    }

    /// The index of the threshold with the highest raw score (the first, i.e. the lowest for an
    /// ascending grid, on ties); `None` without thresholds.
    pub fn best(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, raw) in self.raw.iter().enumerate() {
            if best.is_none_or(|b| *raw > self.raw[b]) {
                best = Some(i);
            }
        }
        best
    }

    /// `raw` normalised against this corpus: 0 for the null detector, 100 for a perfect one.
    /// A corpus without windows has nothing to normalise against and gives 0 whatever `raw` is
    /// (its false positives show in raw scores only).
    pub fn normalise(&self, raw: f64) -> f64 {
        if self.perfect == self.null {
            0.0
        } else {
            100.0 * (raw - self.null) / (self.perfect - self.null)
        }
    }
}

/// Scores a corpus under `profile`, choosing the best single threshold among `thresholds`.
///
/// # Panics
///
/// If `thresholds` is empty.
pub fn score_corpus(
    corpus: &[ScoredSeries],
    profile: &Profile,
    thresholds: &[f64],
) -> ProfileResult {
    let table = RawScores::new(corpus, profile, thresholds);
    let best = table.best().expect("at least one threshold");
    ProfileResult {
        profile: profile.name,
        threshold: table.thresholds[best],
        score: table.normalise(table.raw[best]),
    }
}

/// Thresholds from 0.0 to 1.0 in steps of 0.001, plus 1 − 10⁻ᵏ for k = 4…9, since strong
/// anomalies crowd the scores just below 1.
pub fn threshold_grid() -> Vec<f64> {
    let mut grid: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
    grid.extend((4..=9).map(|k| 1.0 - 10f64.powi(-k)));
    grid.sort_by(f64::total_cmp);
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(scores: Vec<f64>, windows: Vec<(usize, usize)>) -> ScoredSeries {
        ScoredSeries {
            name: "s".into(),
            scores,
            windows,
        }
    }

    const STANDARD: Profile = PROFILES[0];

    #[test]
    fn sigma_matches_the_published_values() {
        assert!((sigma(-1.0) - 0.98661).abs() < 1e-5);
        assert!((sigma(-0.5) - 0.84828).abs() < 1e-5);
        assert!(sigma(0.0).abs() < 1e-12);
        assert!((sigma(1.0) + 0.98661).abs() < 1e-5);
        assert_eq!(sigma(3.0), -1.0);
    }

    #[test]
    fn early_detection_earns_most_and_misses_cost() {
        // 100 rows: probation is rows 0..15; one window 50..=59.
        let mut scores = vec![0.0; 100];
        scores[50] = 1.0;
        let early = raw_score(&series(scores.clone(), vec![(50, 59)]), &STANDARD, 0.5);
        assert!(
            (early - 1.0).abs() < 1e-9,
            "the first row of the window earns the full reward"
        );
        let mut late = vec![0.0; 100];
        late[58] = 1.0;
        let late = raw_score(&series(late, vec![(50, 59)]), &STANDARD, 0.5);
        assert!(late > 0.0 && late < early);
        let none = raw_score(&series(vec![0.0; 100], vec![(50, 59)]), &STANDARD, 0.5);
        assert_eq!(none, -1.0);
        // A second detection in the same window adds nothing.
        scores[55] = 1.0;
        assert!((raw_score(&series(scores, vec![(50, 59)]), &STANDARD, 0.5) - early).abs() < 1e-9);
    }

    #[test]
    fn false_positives_cost_and_probation_is_ignored() {
        let mut scores = vec![0.0; 100];
        scores[5] = 1.0; // probation
        scores[30] = 1.0; // before any window: full cost
        let raw = raw_score(&series(scores, vec![]), &STANDARD, 0.5);
        assert!((raw + 0.11).abs() < 1e-9);
    }

    #[test]
    fn tables_of_disjoint_corpora_add_up_to_the_table_of_both() {
        let grid = threshold_grid();
        let mut hit = vec![0.0; 100];
        hit[52] = 0.9;
        hit[30] = 0.4; // a false positive below 0.9
        let a = series(hit, vec![(50, 59)]);
        let b = series(vec![0.0; 100], vec![(70, 79)]);
        let mut sum = RawScores::new(std::slice::from_ref(&a), &STANDARD, &grid);
        sum.add(&RawScores::new(std::slice::from_ref(&b), &STANDARD, &grid));
        let both = RawScores::new(&[a.clone(), b], &STANDARD, &grid);
        assert_eq!(sum.null, both.null);
        assert_eq!(sum.perfect, both.perfect);
        for (x, y) in sum.raw.iter().zip(&both.raw) {
            assert!((x - y).abs() < 1e-12);
        }
        // The best threshold skips the false positive and keeps the detection: the first above
        // 0.4.
        let best = both.best().unwrap();
        assert_eq!(both.thresholds[best], 0.401);
        let result = score_corpus(&[a], &STANDARD, &grid);
        assert_eq!(result.threshold, 0.401);
        let one = RawScores::new(&[], &STANDARD, &[]);
        assert_eq!(one.best(), None);
    }

    #[test]
    fn a_corpus_without_windows_normalises_to_zero() {
        let mut scores = vec![0.0; 100];
        scores[40] = 1.0;
        let table = RawScores::new(&[series(scores, vec![])], &STANDARD, &[0.5]);
        assert!((table.raw[0] + 0.11).abs() < 1e-9);
        assert_eq!(table.normalise(table.raw[0]), 0.0);
    }

    #[test]
    fn normalises_null_to_zero_and_perfect_to_one_hundred() {
        let windows = vec![(50, 59)];
        let null = series(vec![0.0; 100], windows.clone());
        assert_eq!(
            score_corpus(&[null], &STANDARD, &threshold_grid()).score,
            0.0
        );
        let mut scores = vec![0.0; 100];
        scores[50] = 1.0;
        let perfect = series(scores, windows);
        assert!(
            (score_corpus(&[perfect], &STANDARD, &threshold_grid()).score - 100.0).abs() < 1e-9
        );
    }
}
