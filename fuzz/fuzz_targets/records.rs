//! Fuzzes the execution-record path: any bytes, read as JSON, NDJSON and CSV and standardised
//! with the shipped mapping of the original Kafka pipeline, yield records or bad records (each
//! naming at least one problem, every row once), never a panic; the analytics over what is
//! accepted stays in range; and rollup bytes from anywhere are refused or read.
#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use telemetryhub_records::{
    Analytics, HourlyRollup, InputFormat, KAFKA_OBSERVABILITY_EXAMPLE, ReadOptions, RecordsConfig,
    compile_sources, read_records,
};

fuzz_target!(|data: &[u8]| {
    let config = RecordsConfig::from_toml(KAFKA_OBSERVABILITY_EXAMPLE).expect("the example parses");
    let mappings = compile_sources(&config).expect("the example compiles");
    let mapping = &mappings["kafka-observability"];
    let mut analytics = Analytics::new(config.analytics.clone()).expect("the default rules");
    let options = ReadOptions {
        max_records: 1_000,
        max_record_bytes: 64 * 1024,
        ..mapping.read_options()
    };
    for format in [InputFormat::Json, InputFormat::Ndjson, InputFormat::Csv] {
        let mut rows = Vec::new();
        let read = read_records(format, data, &options, |row| {
            rows.push(row);
            ControlFlow::Continue(())
        });
        if let Ok(count) = read {
            assert_eq!(count, rows.len() as u64);
        }
        let n = rows.len();
        let batch = mapping.standardise_rows(rows, 1_758_362_400_000_000_000);
        assert_eq!(batch.records.len() + batch.rejected.len(), n, "every row comes out once");
        assert!(batch.rejected.iter().all(|bad| !bad.errors.is_empty()));
        for record in &batch.records {
            assert!(record.timestamp_ns >= 0);
            let processed = analytics.add(record);
            if let Some(score) = processed.figures.efficiency_score {
                assert!((0.0..=100.0).contains(&score));
            }
        }
    }
    let _ = HourlyRollup::from_bytes(data);
});
