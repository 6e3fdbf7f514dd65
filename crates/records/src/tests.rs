//! Tests over the whole crate: the shipped mapping of the original pipeline, its sample records
//! (`deploy/records/kafka-observability-sample.json`, written by hand from the design) read as
//! JSON and as CSV, their analytics against hand-computed values, the dead-letter replay, and
//! property tests that no input panics.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use proptest::prelude::*;
use telemetryhub_model::Level;

use super::*;

const SAMPLE: &str = include_str!("../../../deploy/records/kafka-observability-sample.json");

/// 2025-09-05 16:45:26 UTC, in seconds.
const T_16_45_26: i64 = 1_757_090_726;
const INGEST: i64 = 1_800_000_000_000_000_000;

fn example() -> (Mapping, AnalyticsConfig) {
    let config = RecordsConfig::from_toml(KAFKA_OBSERVABILITY_EXAMPLE).expect("the example parses");
    let mut mappings = compile_sources(&config).expect("the example compiles");
    assert_eq!(mappings.keys().collect::<Vec<_>>(), ["kafka-observability"]);
    let mapping = mappings.remove("kafka-observability").unwrap();
    (mapping, config.analytics)
}

fn read(format: InputFormat, text: &str, options: &ReadOptions) -> Vec<Row> {
    let mut rows = Vec::new();
    read_records(format, text.as_bytes(), options, |row| {
        rows.push(row);
        ControlFlow::Continue(())
    })
    .expect("the input reads");
    rows
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[track_caller]
fn assert_close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!(close(a, b), "{a} != {b}");
}

#[test]
fn the_shipped_file_is_the_documented_example() {
    let on_disk = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/records/kafka-observability.toml"
    ))
    .unwrap();
    assert_eq!(on_disk, KAFKA_OBSERVABILITY_EXAMPLE);
    let (mapping, analytics) = example();
    assert_eq!(mapping.name(), "kafka-observability");
    assert_eq!(
        analytics,
        AnalyticsConfig::default(),
        "the example spells out the defaults"
    );
    // The example in the doc comment on `RecordsConfig` parses to the same mapping.
    let doc = include_str!("config.rs");
    let start = doc.find("/// ```toml\n").unwrap() + "/// ```toml\n".len();
    let end = start + doc[start..].find("/// ```\n").unwrap();
    let doc_example: String = doc[start..end]
        .lines()
        .map(|l| {
            l.trim_start()
                .strip_prefix("///")
                .unwrap_or(l)
                .strip_prefix(' ')
                .unwrap_or("")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let from_doc = RecordsConfig::from_toml(&doc_example).unwrap();
    let shipped = RecordsConfig::from_toml(KAFKA_OBSERVABILITY_EXAMPLE).unwrap();
    assert_eq!(from_doc.sources, shipped.sources);
}

#[test]
fn standardises_the_original_record_as_the_original_pipeline_did() {
    let (mapping, _) = example();
    let rows = read(InputFormat::Json, SAMPLE, &mapping.read_options());
    let batch = mapping.standardise_rows(rows, INGEST);
    assert_eq!((batch.records.len(), batch.rejected.len()), (5, 1));
    let r = &batch.records[0];
    let start = T_16_45_26 * 1_000_000_000 + 191_702_000;
    assert_eq!(r.source, "kafka-observability");
    assert_eq!(r.timestamp_ns, start);
    assert_eq!(r.key.as_deref(), Some("akonovia:2025-09-05-16-45:1995"));
    assert_eq!(r.level, Level::Info);
    assert_eq!(r.error, None);
    assert_eq!(r.message, "Tout roule, pas de stress!");
    let text = |s: &str| Value::String(s.to_string());
    assert_eq!(
        r.fields,
        BTreeMap::from([
            ("sequence_id".to_string(), text("2025-09-05-16-45")),
            ("company".to_string(), text("akonovia")),
            ("zone".to_string(), text("1-Raw")),
            ("source".to_string(), text("zohoprojects")),
            ("object_id".to_string(), Value::Integer(1995)),
            ("object_type".to_string(), text("projects")),
            ("transformation".to_string(), text("Zoho_API_get_data")),
            ("status".to_string(), text("SUCCESS")),
            ("start_time".to_string(), Value::Timestamp(start)),
            (
                "end_time".to_string(),
                Value::Timestamp(T_16_45_26 * 1_000_000_000 + 1_089_917_000)
            ),
            ("duration_seconds".to_string(), Value::Float(0.898215)),
            (
                "description".to_string(),
                text("Tout roule, pas de stress!")
            ),
            ("cpu_time_seconds".to_string(), Value::Float(0.09)),
            ("memory_used_bytes".to_string(), Value::Integer(5_517_312)),
        ])
    );
    assert_eq!(
        r.labels,
        BTreeMap::from([
            ("company".to_string(), "akonovia".to_string()),
            ("zone".to_string(), "1-Raw".to_string()),
            ("source".to_string(), "zohoprojects".to_string()),
            ("object_type".to_string(), "projects".to_string()),
        ])
    );
    // A failure's error is its description; the all-is-well sentence is no error.
    assert_eq!(
        (batch.records[1].level, batch.records[1].error.as_deref()),
        (Level::Error, Some("HTTP 429 Too Many Requests"))
    );
    assert_eq!(batch.records[4].error.as_deref(), Some("Unknown error"));
    // The fifth has no "Duree secondes": end minus start.
    assert_eq!(
        batch.records[4].fields["duration_seconds"],
        Value::Float(5.5)
    );
    // The sixth is set aside with every bad field, its index and its raw record.
    let bad = &batch.rejected[0];
    assert_eq!(bad.index, 5);
    let fields: Vec<&str> = bad
        .errors
        .iter()
        .filter_map(|e| e.field.as_deref())
        .collect();
    assert_eq!(fields, ["memory_used (bytes)", "Objet_Id", "Debut"]);
    let raw: serde_json::Value = serde_json::from_str(&bad.raw).unwrap();
    let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    assert_eq!(raw, original[5]);
}

#[test]
fn a_dead_letter_replays_to_the_same_verdict_and_once_fixed_goes_in() {
    let (mapping, _) = example();
    let batch = mapping.standardise_rows(
        read(InputFormat::Json, SAMPLE, &ReadOptions::default()),
        INGEST,
    );
    let bad = &batch.rejected[0];
    let again = mapping.standardise_rows(
        read(InputFormat::Ndjson, &bad.raw, &ReadOptions::default()),
        INGEST,
    );
    assert_eq!(again.rejected[0].errors, bad.errors);
    let mut fixed: serde_json::Value = serde_json::from_str(&bad.raw).unwrap();
    fixed["Objet_Id"] = 3003.into();
    fixed["Debut"] = "05-09-2025 17:10:00.000000".into();
    fixed["memory_used (bytes)"] = 12.into();
    let replay = mapping.standardise_rows(
        read(
            InputFormat::Ndjson,
            &fixed.to_string(),
            &ReadOptions::default(),
        ),
        INGEST,
    );
    assert_eq!((replay.records.len(), replay.rejected.len()), (1, 0));
}

/// The sample written as CSV: the same records, every value as text.
fn sample_as_csv() -> String {
    let records: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(SAMPLE).unwrap();
    let mut header: Vec<String> = Vec::new();
    for record in &records {
        for key in record.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for record in &records {
        let row: Vec<String> = header
            .iter()
            .map(|key| match record.get(key) {
                None => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        writer.write_record(&row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn the_sample_as_csv_standardises_to_the_same_records() {
    let (mapping, _) = example();
    let from_json = mapping.standardise_rows(
        read(InputFormat::Json, SAMPLE, &ReadOptions::default()),
        INGEST,
    );
    let csv = sample_as_csv();
    assert_eq!(InputFormat::sniff(csv.as_bytes()), InputFormat::Csv);
    let from_csv = mapping.standardise_rows(
        read(InputFormat::Csv, &csv, &mapping.read_options()),
        INGEST,
    );
    assert_eq!(from_csv.records, from_json.records);
    assert_eq!(from_csv.rejected.len(), 1);
    assert_eq!(from_csv.rejected[0].index, 5);
    assert_eq!(
        from_csv.rejected[0]
            .errors
            .iter()
            .map(|e| e.field.clone())
            .collect::<Vec<_>>(),
        from_json.rejected[0]
            .errors
            .iter()
            .map(|e| e.field.clone())
            .collect::<Vec<_>>()
    );
}

/// The analytics of the sample, against values worked out by hand from the original formulas:
///
/// | record | source | status | duration s | cpu s | memory B | efficiency | rules |
/// |---|---|---|---|---|---|---|---|
/// | 0 | zohoprojects | SUCCESS | 0.898215 | 0.09 | 5 517 312 | (95.508925 + 72.41344) / 2 = 83.9611825 | — |
/// | 1 | zohoprojects | FAILED | 2.5 | 0.5 | 8 000 000 | (87.5 + 60) / 2 = 73.75 | execution_failure |
/// | 2 | powerbi | SUCCESS | 4000 | 120 | 150 000 000 | (0 + 0) / 2 = 0 | long, high memory, low efficiency |
/// | 3 | sharepoint | SUCCESS | 12 | 3 | −1 024 | (40 + 100) / 2 = 70 | negative memory |
/// | 4 | sharepoint | FAILED | 5.5 (derived) | 1.1 | 2 000 000 | (72.5 + 90) / 2 = 81.25 | execution_failure |
#[test]
fn the_samples_analytics_match_the_hand_computed_values() {
    let (mapping, config) = example();
    let batch = mapping.standardise_rows(
        read(InputFormat::Json, SAMPLE, &ReadOptions::default()),
        INGEST,
    );
    let mut analytics = Analytics::new(config).unwrap();
    let processed: Vec<ProcessedRecord> = batch.records.iter().map(|r| analytics.add(r)).collect();

    let efficiencies: Vec<f64> = processed
        .iter()
        .map(|p| p.figures.efficiency_score.unwrap())
        .collect();
    for (got, want) in efficiencies
        .iter()
        .zip([83.9611825, 73.75, 0.0, 70.0, 81.25])
    {
        assert!(close(*got, want), "{efficiencies:?}");
    }
    let throughputs: Vec<f64> = processed
        .iter()
        .map(|p| p.figures.throughput_per_minute.unwrap())
        .collect();
    for (got, want) in throughputs
        .iter()
        .zip([60.0 / 0.898215, 24.0, 0.015, 5.0, 60.0 / 5.5])
    {
        assert!(close(*got, want), "{throughputs:?}");
    }
    let utilisations: Vec<f64> = processed
        .iter()
        .map(|p| p.figures.resource_utilisation.unwrap())
        .collect();
    for (got, want) in utilisations
        .iter()
        .zip([9.0 / 0.898215, 20.0, 3.0, 25.0, 20.0])
    {
        assert!(close(*got, want), "{utilisations:?}");
    }
    let rules: Vec<Vec<&str>> = processed
        .iter()
        .map(|p| p.hits.iter().map(|h| h.rule.as_str()).collect())
        .collect();
    assert_eq!(
        rules,
        [
            vec![],
            vec!["execution_failure"],
            vec!["long_execution_time", "high_memory_usage", "low_efficiency"],
            vec!["negative_memory_usage"],
            vec!["execution_failure"],
        ]
    );
    assert_eq!(
        processed[1].hits[0].record.key.as_deref(),
        Some("akonovia:2025-09-05-16-50:1996")
    );

    let summary = analytics.summary();
    let t = &summary.totals;
    assert_eq!((t.total_count, t.success_count, t.failed_count), (5, 3, 2));
    assert!(close(t.success_rate, 60.0));
    assert_eq!((t.anomaly_count, t.rule_hit_count), (4, 6));
    assert!(close(t.anomaly_rate, 80.0));
    assert_close(t.avg_efficiency_score, 308.9611825 / 5.0);
    assert_close(t.avg_duration_seconds, 4020.898215 / 5.0);
    assert_close(t.avg_cpu_time_seconds, 124.69 / 5.0);
    assert_close(t.avg_memory_bytes, 165_516_288.0 / 5.0);
    // From 16:00:00 (the PowerBI run's start) to 17:00:00: five records in sixty minutes.
    assert_close(t.records_per_minute, 5.0 / 60.0);
    assert_eq!((summary.total_sources, summary.total_companies), (3, 2));

    let sources = analytics.sources();
    assert_eq!(
        sources.keys().collect::<Vec<_>>(),
        ["powerbi", "sharepoint", "zohoprojects"]
    );
    let zoho = &sources["zohoprojects"];
    assert_eq!(
        (
            zoho.total_count,
            zoho.success_count,
            zoho.failed_count,
            zoho.anomaly_count
        ),
        (2, 1, 1, 1)
    );
    assert_close(zoho.avg_duration_seconds, 3.398215 / 2.0);
    assert_close(zoho.avg_cpu_time_seconds, 0.295);
    assert_close(zoho.avg_memory_bytes, 6_758_656.0);
    assert_close(zoho.avg_efficiency_score, 157.7111825 / 2.0);
    let powerbi = &sources["powerbi"];
    assert_eq!(
        (
            powerbi.total_count,
            powerbi.anomaly_count,
            powerbi.rule_hit_count
        ),
        (1, 1, 3)
    );
    assert_close(powerbi.avg_efficiency_score, 0.0);
    let sharepoint = &sources["sharepoint"];
    assert_eq!(
        (
            sharepoint.total_count,
            sharepoint.success_count,
            sharepoint.anomaly_count
        ),
        (2, 1, 2)
    );
    assert_close(sharepoint.avg_memory_bytes, 999_488.0);
    assert_close(sharepoint.avg_efficiency_score, 75.625);
    assert_close(sharepoint.avg_duration_seconds, 8.75);
    let companies = analytics.companies();
    assert_eq!(
        (
            companies["akonovia"].total_count,
            companies["akonovia"].success_count
        ),
        (3, 2)
    );
    assert_eq!(
        (
            companies["brightcorp"].total_count,
            companies["brightcorp"].success_count
        ),
        (2, 1)
    );

    assert_eq!(analytics.recent(2).len(), 2);
    assert_eq!(
        analytics.recent(2)[1].record.key.as_deref(),
        Some("brightcorp:2025-09-05-17-00:3002")
    );
    assert_eq!(analytics.recent_anomalies(100).len(), 4);
}

/// Input field names of the example mapping, so generated records hit its fields often.
const NAMES: [&str; 12] = [
    "No_Sequence",
    "Entreprise",
    "Source",
    "Objet_Id",
    "Etat",
    "Debut",
    "Fin",
    "Duree secondes",
    "cpu_time (sec)",
    "memory_used (bytes)",
    "Description",
    "Zone",
];

fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
        "[-+]?[0-9 ,._]{0,12}([eE][-+]?[0-9]{0,3})?".prop_map(serde_json::Value::from),
        "[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,9})?"
            .prop_map(serde_json::Value::from),
        prop_oneof![Just("SUCCESS"), Just("FAILED"), Just("error")]
            .prop_map(serde_json::Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    json_leaf().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
            prop::collection::btree_map(".{0,4}", inner, 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
    let name = prop_oneof![4 => prop::sample::select(NAMES.to_vec()).prop_map(String::from), 1 => ".{0,6}"];
    prop::collection::btree_map(name, json_value(), 0..14).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any JSON object standardises to a record or to a bad record that names at least one
    /// problem and keeps the object; analytics over any good record stays in range.
    #[test]
    fn arbitrary_json_objects_never_panic(object in json_object()) {
        let (mapping, config) = example();
        let raw = RawRecord { index: 3, fields: object.clone() };
        let mut analytics = Analytics::new(config).unwrap();
        match mapping.standardise(&raw, INGEST) {
            Ok(record) => {
                let processed = analytics.add(&record);
                if let Some(score) = processed.figures.efficiency_score {
                    prop_assert!((0.0..=100.0).contains(&score));
                }
                if let Some(u) = processed.figures.resource_utilisation {
                    prop_assert!((0.0..=100.0).contains(&u));
                }
                prop_assert!(record.timestamp_ns >= 0);
                let _ = serde_json::to_string(&processed).unwrap();
            }
            Err(bad) => {
                prop_assert_eq!(bad.index, 3);
                prop_assert!(!bad.errors.is_empty());
                // The raw record is the object's JSON text. (Compared as text: serde_json
                // without its float_roundtrip feature may read a float back 1 ulp off.)
                prop_assert_eq!(bad.raw, serde_json::Value::Object(object).to_string());
            }
        }
    }

    /// Any CSV rows (with the mapping's columns) read and standardise without a panic, and every
    /// row comes out exactly once, good or bad.
    #[test]
    fn arbitrary_csv_rows_never_panic(
        columns in prop::collection::vec(prop::sample::select(NAMES.to_vec()), 1..8),
        rows in prop::collection::vec(prop::collection::vec(".{0,10}", 0..9), 0..6),
    ) {
        let (mapping, _) = example();
        let mut header: Vec<&str> = Vec::new();
        for c in columns {
            if !header.contains(&c) {
                header.push(c);
            }
        }
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        let mut written = 0;
        for row in &rows {
            // A row of no fields is written as an empty line, which CSV skips.
            if row.is_empty() {
                continue;
            }
            writer.write_record(row).unwrap();
            written += 1;
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let read_rows = read(InputFormat::Csv, &text, &ReadOptions::default());
        prop_assert_eq!(read_rows.len(), written);
        let batch = mapping.standardise_rows(read_rows, INGEST);
        prop_assert_eq!(batch.records.len() + batch.rejected.len(), written);
    }

    /// Any bytes, in any format: an error or rows, never a panic; rows come out once each.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let (mapping, _) = example();
        for format in [InputFormat::Json, InputFormat::Ndjson, InputFormat::Csv] {
            let mut rows = Vec::new();
            let result = read_records(format, &bytes[..], &ReadOptions::default(), |row| {
                rows.push(row);
                ControlFlow::Continue(())
            });
            if let Ok(count) = result {
                prop_assert_eq!(count, rows.len() as u64);
            }
            let n = rows.len();
            let batch = mapping.standardise_rows(rows, INGEST);
            prop_assert_eq!(batch.records.len() + batch.rejected.len(), n);
        }
    }
}
