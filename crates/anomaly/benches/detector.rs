//! The cost of scoring: one new point into a detector that already holds a full history (a day
//! at one point a minute), which is the steady state of the anomaly job for every active series.

use criterion::{Criterion, criterion_group, criterion_main};
use telemetryhub_anomaly::{Detector, DetectorConfig};

const MINUTE: i64 = 60_000_000_000;

fn warmed() -> (Detector, i64) {
    let mut detector = Detector::new(DetectorConfig::default());
    let mut ts = 1_700_000_000_000_000_000;
    for i in 0..3 * 1440 {
        ts += MINUTE;
        detector.score_at(ts, 100.0 + ((i * 7919) % 13) as f64);
    }
    (detector, ts)
}

fn score_one_point(c: &mut Criterion) {
    let (mut detector, mut ts) = warmed();
    let mut i = 0u64;
    c.bench_function("detector_score_one_point_warmed", |b| {
        b.iter(|| {
            ts += MINUTE;
            i += 1;
            std::hint::black_box(detector.score_at(ts, 100.0 + (i % 13) as f64))
        })
    });
}

criterion_group!(benches, score_one_point);
criterion_main!(benches);
