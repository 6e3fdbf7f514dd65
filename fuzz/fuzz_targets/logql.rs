//! Fuzzes LogQL: any query text is parsed; what parses is printed and parsed again (the same
//! tree), then evaluated as a log query, an instant and a range query over a few in-memory
//! streams (logfmt, JSON and plain lines, structured metadata, pattern ids). It must answer or
//! fail with an error, never panic, within the engine's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telemetryhub_logql::{Direction, Engine, EngineOptions, LogEntry, MemorySource, parse};
use telemetryhub_model::Labels;

const S: i64 = 1_000_000_000;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn source() -> MemorySource {
    let mut source = MemorySource::new();
    let api = labels(&[("app", "api"), ("env", "prod")]);
    let web = labels(&[("app", "web"), ("env", "dev")]);
    for i in 0..40i64 {
        source.push(
            &api,
            LogEntry {
                ts_ns: i * 15 * S,
                line: format!(
                    "level={} status={} took={}ms size={}KB ip=10.0.0.{i}",
                    ["info", "error"][(i % 2) as usize],
                    200 + (i % 4) * 100,
                    i * 7,
                    i
                ),
                structured_metadata: vec![("trace_id".to_string(), format!("t{}", i % 3))],
                pattern_id: (i % 3 != 0).then_some((i % 5) as u64),
            },
        );
        source.add(
            &web,
            i * 15 * S + 3,
            &format!(
                r#"{{"msg":"hit {i}","n":{i},"req":{{"path":"/p{}"}},"_entry":"packed"}}"#,
                i % 4
            ),
        );
        source.add(
            &web,
            i * 15 * S + 7,
            "\u{1b}[31mplain\u{1b}[0m text with 192.168.1.7",
        );
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
    let Ok(expr) = parse(query) else {
        return;
    };
    let printed = expr.to_string();
    assert_eq!(parse(&printed).ok().as_ref(), Some(&expr), "{printed}");
    let engine = Engine::new(EngineOptions {
        max_samples: 100_000,
        max_series: 1_000,
        chunk_ns: 120 * S,
        ..EngineOptions::default()
    });
    let source = source();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let _ = engine
            .query_logs(&source, &expr, 0, 600 * S, 100, Direction::Backward)
            .await;
        let _ = engine.instant_query(&source, &expr, 300 * S).await;
        let _ = engine.range_query(&source, &expr, 0, 600 * S, 30 * S).await;
    });
});
