//! Fuzzes PromQL: any query text, evaluated as an instant and as a range query over a few
//! in-memory series (counters, a histogram, NaN and a staleness marker), must answer or fail
//! with an error, never panic, within the engine's sample limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_model::Labels;
use telemetryhub_promql::{Engine, EngineOptions, MemorySource, stale_marker};

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn source() -> MemorySource {
    let mut source = MemorySource::new();
    for i in 0..40i64 {
        let t = i * 15_000;
        source.add(&labels(&[("__name__", "a_total"), ("job", "x")]), t, (i % 13) as f64);
        source.add(&labels(&[("__name__", "a_total"), ("job", "y")]), t, i as f64 * 1.5);
        for (le, share) in [("0.1", 0.2), ("1", 0.7), ("+Inf", 1.0)] {
            source.add(
                &labels(&[("__name__", "h_bucket"), ("le", le)]),
                t,
                (i as f64 * 10.0 * share).floor(),
            );
        }
        let special = match i % 7 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 if i > 30 => stale_marker(),
            _ => -(i as f64),
        };
        source.add(&labels(&[("__name__", "g"), ("job", "x")]), t, special);
    }
    source
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if query.len() > 512 {
        return;
    }
    let engine = Engine::new(EngineOptions {
        max_samples: 200_000,
        ..EngineOptions::default()
    });
    let source = source();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let _ = engine.instant_query(&source, query, 300_000).await;
        let _ = engine
            .range_query(&source, query, 0, 600_000, 30_000)
            .await;
    });
});
