//! Throughput of the miner alone, on one core: the eight Loghub-2k systems' messages (16,000
//! lines) mined by a fresh miner per iteration, so template creation is included.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use telemetryhub_patterns::accuracy::read_structured;
use telemetryhub_patterns::{Miner, MinerConfig};

fn messages() -> Vec<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../../shared/bench-data/loghub2k");
    let mut all = Vec::new();
    for system in [
        "HDFS",
        "Hadoop",
        "Spark",
        "Zookeeper",
        "BGL",
        "HPC",
        "Mac",
        "Proxifier",
    ] {
        let rows = read_structured(&dir.join(format!("{system}_2k.log_structured_corrected.csv")))
            .expect("bench data");
        all.extend(rows.into_iter().map(|r| r.content));
    }
    all
}

fn mine(c: &mut Criterion) {
    let messages = messages();
    let mut group = c.benchmark_group("miner");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("loghub2k_all_systems", |b| {
        b.iter(|| {
            let mut miner = Miner::new(MinerConfig::default());
            for message in &messages {
                std::hint::black_box(miner.add(message));
            }
            miner.len()
        })
    });
    group.finish();
}

criterion_group!(benches, mine);
criterion_main!(benches);
