//! The cost of scoring: one new point into a detector that already holds a full history (three
//! days at one point a minute), which is the steady state of the anomaly job for every active
//! series. Two series: a short repeating cycle, which the contextual model learns in a few
//! contexts, and uniform noise, which keeps it learning new ones up to its cap (the expensive
//! case, and a common one).

use criterion::{Criterion, criterion_group, criterion_main};
use telemetryhub_anomaly::{Detector, DetectorConfig};

const MINUTE: i64 = 60_000_000_000;

/// xorshift: reproducible noise in [0, 10).
fn noise(state: &mut u64) -> f64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state % 10_000) as f64 / 1_000.0
}

fn warmed(value: &mut impl FnMut(u64) -> f64) -> (Detector, i64) {
    let mut detector = Detector::new(DetectorConfig::default());
    let mut ts = 1_700_000_000_000_000_000;
    for i in 0..3 * 1440 {
        ts += MINUTE;
        detector.score_at(ts, value(i));
    }
    (detector, ts)
}

fn score_one_point(c: &mut Criterion) {
    let mut cycle = |i: u64| 100.0 + ((i * 7919) % 13) as f64;
    let (mut detector, mut ts) = warmed(&mut cycle);
    let mut i = 0u64;
    c.bench_function("detector_score_one_point_warmed", |b| {
        b.iter(|| {
            ts += MINUTE;
            i += 1;
            std::hint::black_box(detector.score_at(ts, 100.0 + (i % 13) as f64))
        })
    });
    let mut state = 7u64;
    let mut noisy = |_: u64| 100.0 + noise(&mut state);
    let (mut detector, mut ts) = warmed(&mut noisy);
    c.bench_function("detector_score_one_point_warmed_noise", |b| {
        b.iter(|| {
            ts += MINUTE;
            std::hint::black_box(detector.score_at(ts, 100.0 + noise(&mut state)))
        })
    });
}

criterion_group!(benches, score_one_point);
criterion_main!(benches);
