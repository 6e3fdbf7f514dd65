//! What the synthetic corpora share: the seeded generator, the NAB conventions of the corpora
//! and the online run of the default detector.

use telemetryhub_anomaly::nab::ScoredSeries;
use telemetryhub_anomaly::{Detector, DetectorConfig};

/// The anomaly job's default threshold (`crates/intelligence`), chosen on the NAB corpus.
pub const JOB_THRESHOLD: f64 = 0.661;

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

/// Probation as the scorer applies it: NAB's 15 % of the series, at most 750 points.
pub fn probation(len: usize) -> usize {
    ((0.15 * len as f64).floor() as usize).min(750)
}
