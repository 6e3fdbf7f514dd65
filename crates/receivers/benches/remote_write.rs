//! The cost of reading a remote_write request: 1,000 series of one sample each, labelled as
//! node_exporter-style series are (name, job, instance and two more), as the load generator and
//! a Prometheus shard send them.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prost::Message;
use telemetryhub_receivers::prom_remote_write::proto::{Label, Sample, TimeSeries, WriteRequest};
use telemetryhub_receivers::{Limits, decode_remote_write};

const NOW_MS: i64 = 1_758_362_400_000;

fn request() -> Vec<u8> {
    WriteRequest {
        timeseries: (0..1_000)
            .map(|i| TimeSeries {
                labels: vec![
                    Label::new("__name__", "node_cpu_seconds_total"),
                    Label::new("cpu", &format!("{}", i % 16)),
                    Label::new("instance", &format!("host-{}:9100", i / 16)),
                    Label::new("job", "node"),
                    Label::new("mode", ["idle", "user", "system", "iowait"][i % 4]),
                ],
                samples: vec![Sample {
                    value: i as f64 * 1.5,
                    timestamp: NOW_MS,
                }],
                exemplars: vec![],
            })
            .collect(),
        metadata: vec![],
    }
    .encode_to_vec()
}

fn decode(c: &mut Criterion) {
    let body = request();
    let limits = Limits::default();
    let mut group = c.benchmark_group("remote_write");
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("decode_1000_series", |b| {
        b.iter(|| {
            let decoded = decode_remote_write(&body, "t", NOW_MS * 1_000_000, &limits);
            std::hint::black_box(decoded.map(|(batch, _)| batch.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
