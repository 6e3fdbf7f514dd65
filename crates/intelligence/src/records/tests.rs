//! The records write path, dead-letter replay and analytics over a real embedded store.

use std::ops::ControlFlow;

use telemetryhub_model::{AnomalyQuery, DeadLetterQuery, IdempotencyKey};
use telemetryhub_records::{InputFormat, KAFKA_OBSERVABILITY_EXAMPLE, ReadOptions, read_records};

use super::*;
use crate::testing::temp_backend;

const SAMPLE: &str = include_str!("../../../../deploy/records/kafka-observability-sample.json");
const SOURCE: &str = "kafka-observability";
/// 2025-09-05 00:00 UTC and a day later, ns.
const DAY_START: i64 = 1_757_030_400_000_000_000;
const DAY_END: i64 = DAY_START + 86_400_000_000_000;

fn pipeline() -> Arc<RecordsPipeline> {
    let config = RecordsConfig::from_toml(KAFKA_OBSERVABILITY_EXAMPLE).expect("the example parses");
    RecordsPipeline::new(&config)
        .expect("the example compiles")
        .expect("it has a source")
}

fn rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    read_records(
        InputFormat::Json,
        text.as_bytes(),
        &ReadOptions::default(),
        |row| {
            rows.push(row);
            ControlFlow::Continue(())
        },
    )
    .expect("the sample reads");
    rows
}

fn close(got: Option<f64>, want: f64) -> bool {
    got.is_some_and(|g| (g - want).abs() < 1e-6 * want.abs().max(1.0))
}

#[test]
fn no_sources_means_no_pipeline() {
    assert!(
        RecordsPipeline::new(&RecordsConfig::default())
            .expect("an empty configuration is valid")
            .is_none()
    );
    let error = pipeline().mapping("nope").expect_err("unknown source");
    assert!(error.to_string().contains("kafka-observability"), "{error}");
}

#[test]
fn a_stored_line_reads_back_as_its_record() {
    let pipeline = pipeline();
    let mapping = pipeline.mapping(SOURCE).unwrap();
    let batch = mapping.standardise_rows(rows(SAMPLE), 0);
    for record in &batch.records {
        let line = log_line("t", record);
        assert_eq!(line.service, SOURCE);
        let back = record_from_line(&line);
        assert_eq!(back.labels, record.labels);
        assert_eq!(back.key, record.key);
        assert_eq!(back.error, record.error);
        assert_eq!(
            (back.level, back.timestamp_ns),
            (record.level, record.timestamp_ns)
        );
        for field in ["duration_seconds", "cpu_time_seconds", "memory_used_bytes"] {
            assert_eq!(back.number(field), record.number(field), "{field}");
        }
        assert_eq!(back.text("status"), record.text("status"));
    }
}

#[tokio::test]
async fn ingest_stores_good_records_raises_rule_hits_and_keeps_bad_ones() {
    let (_dir, backend) = temp_backend();
    let pipeline = pipeline();
    let outcome = ingest_records(&backend, None, &pipeline, "t", SOURCE, rows(SAMPLE), None)
        .await
        .expect("ingest");
    assert_eq!(outcome.accepted, 5);
    assert_eq!(outcome.rejected.len(), 1);
    assert_eq!(outcome.rejected[0].index, 5);

    let letters = backend
        .state
        .dead_letters(&DeadLetterQuery {
            tenant: "t".into(),
            source: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].index, 5);
    let fields: Vec<_> = letters[0]
        .errors
        .iter()
        .filter_map(|e| e.field.as_deref())
        .collect();
    assert!(fields.contains(&"Objet_Id"), "{fields:?}");

    // Six rule hits over four records (the records crate's hand-computed list).
    let anomalies = backend
        .state
        .query_anomalies(&AnomalyQuery {
            tenant: "t".into(),
            service: Some(SOURCE.into()),
            metric: None,
            since_ns: DAY_START,
            until_ns: DAY_END,
            min_score: 0.0,
            limit: 100,
        })
        .await
        .unwrap();
    assert_eq!(anomalies.len(), 6);

    // The same records again: the record keys make it a no-op for storage and anomalies.
    let again = ingest_records(&backend, None, &pipeline, "t", SOURCE, rows(SAMPLE), None)
        .await
        .expect("ingest again");
    assert_eq!((again.accepted, again.rejected.len()), (5, 1));
    let analytics = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .expect("analytics");
    assert_eq!(analytics.records, 5, "stored once");
    assert_eq!(
        backend
            .state
            .dead_letters(&DeadLetterQuery {
                tenant: "t".into(),
                source: None,
                limit: 10
            })
            .await
            .unwrap()
            .len(),
        1,
        "one dead letter per bad record"
    );
}

fn day(tenant: &str) -> AnalyticsQuery {
    AnalyticsQuery {
        tenant: tenant.into(),
        since_ns: DAY_START,
        until_ns: DAY_END,
        max_records: 1000,
    }
}

/// The shipped mapping adjusted to accept the sample's bad record: a textual object id, the
/// ISO start time, memory as text.
fn adjusted_mapping() -> String {
    KAFKA_OBSERVABILITY_EXAMPLE
        .replace(
            r#"object_id = { from = "Objet_Id", type = "integer", required = true }"#,
            r#"object_id = { from = "Objet_Id", required = true }"#,
        )
        .replace(
            r#"start_time = { from = "Debut", type = "timestamp", required = true, formats = ["%d-%m-%Y %H:%M:%S%.f"] }"#,
            r#"start_time = { from = "Debut", type = "timestamp", required = true, formats = ["%d-%m-%Y %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"] }"#,
        )
        .replace(
            r#"memory_used_bytes = { from = "memory_used (bytes)", type = "integer" }"#,
            r#"memory_used_bytes = { from = "memory_used (bytes)" }"#,
        )
}

#[tokio::test]
async fn analytics_of_stored_records_match_the_hand_computed_values() {
    let (_dir, backend) = temp_backend();
    let pipeline = pipeline();
    ingest_records(&backend, None, &pipeline, "t", SOURCE, rows(SAMPLE), None)
        .await
        .expect("ingest");
    let result = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .expect("analytics");
    assert!(!result.truncated);
    let summary = result.analytics.summary();
    let t = &summary.totals;
    assert_eq!((t.total_count, t.success_count, t.failed_count), (5, 3, 2));
    assert_eq!((t.anomaly_count, t.rule_hit_count), (4, 6));
    assert!(close(t.avg_efficiency_score, 308.9611825 / 5.0), "{t:?}");
    assert!(close(t.avg_duration_seconds, 4020.898215 / 5.0), "{t:?}");
    assert!(close(t.avg_memory_bytes, 165_516_288.0 / 5.0), "{t:?}");
    assert!(close(t.records_per_minute, 5.0 / 60.0), "{t:?}");
    assert_eq!((summary.total_sources, summary.total_companies), (3, 2));
    let recent = result.analytics.recent(2);
    assert_eq!(recent.len(), 2);
    assert_eq!(
        recent[1].record.key.as_deref(),
        Some("brightcorp:2025-09-05-17-00:3002"),
        "the newest record last"
    );
    assert_eq!(result.analytics.recent_anomalies(10).len(), 4);

    // Another tenant sees nothing; a bounded read says it was cut.
    let other = record_analytics(&backend, &pipeline, &day("u"))
        .await
        .unwrap();
    assert_eq!(other.records, 0);
    let capped = record_analytics(
        &backend,
        &pipeline,
        &AnalyticsQuery {
            max_records: 2,
            ..day("t")
        },
    )
    .await
    .unwrap();
    assert!(capped.truncated);
    assert_eq!(capped.analytics.summary().totals.total_count, 2);
}

#[tokio::test]
async fn a_replay_under_an_adjusted_mapping_stores_the_dead_letter() {
    let (_dir, backend) = temp_backend();
    ingest_records(&backend, None, &pipeline(), "t", SOURCE, rows(SAMPLE), None)
        .await
        .expect("ingest");
    // Under the same mapping the letter stays, with its reasons.
    let same = replay_dead_letters(&backend, None, &pipeline(), "t", None, 100)
        .await
        .expect("replay");
    assert_eq!((same.examined, same.stored, same.still_rejected), (1, 0, 1));

    let adjusted = RecordsConfig::from_toml(&adjusted_mapping()).expect("parses");
    let adjusted = RecordsPipeline::new(&adjusted).unwrap().unwrap();
    let replay = replay_dead_letters(&backend, None, &adjusted, "t", Some(SOURCE), 100)
        .await
        .expect("replay");
    assert_eq!(
        (replay.examined, replay.stored, replay.still_rejected),
        (1, 1, 0)
    );
    let letters = backend
        .state
        .dead_letters(&DeadLetterQuery {
            tenant: "t".into(),
            source: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert!(letters.is_empty(), "{letters:?}");
    let analytics = record_analytics(&backend, &adjusted, &day("t"))
        .await
        .unwrap();
    assert_eq!(analytics.records, 6);
}

#[tokio::test]
async fn a_chunk_under_an_idempotency_key_is_stored_once() {
    let (_dir, backend) = temp_backend();
    let pipeline = pipeline();
    let key = || {
        Some(IdempotencyKey {
            key: "records:file:0".into(),
            fingerprint: 7,
        })
    };
    for _ in 0..2 {
        let outcome = ingest_records(&backend, None, &pipeline, "t", SOURCE, rows(SAMPLE), key())
            .await
            .expect("ingest");
        assert_eq!(outcome.accepted, 5);
    }
    let analytics = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .unwrap();
    assert_eq!(analytics.records, 5);
}

#[tokio::test]
async fn records_older_than_the_retention_are_set_aside_not_stored() {
    let (_dir, backend) = temp_backend();
    let config = RecordsConfig::from_toml(KAFKA_OBSERVABILITY_EXAMPLE).unwrap();
    // A 30-day retention: the sample's 2025 runs are far older than that today.
    let pipeline = RecordsPipeline::with_retention(&config, 30 * 86_400_000_000_000)
        .unwrap()
        .unwrap();
    let outcome = ingest_records(&backend, None, &pipeline, "t", SOURCE, rows(SAMPLE), None)
        .await
        .unwrap();
    assert_eq!((outcome.accepted, outcome.rejected.len()), (0, 6));
    assert!(
        outcome.rejected[0].errors[0].reason.contains("retention"),
        "{:?}",
        outcome.rejected[0]
    );
    let letters = backend
        .state
        .dead_letters(&DeadLetterQuery {
            tenant: "t".into(),
            source: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(
        letters.len(),
        6,
        "kept, with their raw input, to replay under a longer one"
    );
    let analytics = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .unwrap();
    assert_eq!(analytics.records, 0);
}

/// A source that can name its rows (Kafka: topic, partition, offset) stores a record without a
/// key once per origin: rows read again, in other chunks, store nothing; rows alike in content
/// but of other origins are all stored.
#[tokio::test]
async fn records_without_a_key_are_stored_once_per_origin() {
    let (_dir, backend) = temp_backend();
    let config = RecordsConfig::from_toml(
        &KAFKA_OBSERVABILITY_EXAMPLE
            .replace(r#"key = ["company", "sequence_id", "object_id"]"#, ""),
    )
    .unwrap();
    let pipeline = RecordsPipeline::new(&config).unwrap().unwrap();
    let first: serde_json::Value = serde_json::from_str::<Vec<serde_json::Value>>(SAMPLE)
        .unwrap()
        .remove(0);
    // Ten messages of one content at offsets 100..110.
    let chunk = |offsets: std::ops::Range<u64>| {
        let rows: Vec<Row> = offsets
            .clone()
            .map(|offset| RawRecord::from_json(offset, first.clone(), 100))
            .collect();
        let origins = offsets
            .map(|offset| (offset, format!("kafka:runs:0:{offset}:1")))
            .collect();
        RecordChunk {
            tenant: "t",
            source: SOURCE,
            rows,
            origins,
            idempotency: None,
        }
    };
    let stored = |chunk| {
        let (backend, pipeline) = (&backend, &pipeline);
        async move { ingest_chunk(backend, None, pipeline, chunk).await.unwrap() }
    };
    assert_eq!(stored(chunk(100..106)).await.accepted, 6);
    // A crash before the commit: 103..110 read again in one chunk.
    assert_eq!(stored(chunk(103..110)).await.accepted, 7);
    let analytics = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .unwrap();
    assert_eq!(analytics.records, 10, "each origin once, none twice");
    // Without origins, records without a key have nothing to be recognised by.
    let mut plain = chunk(0..2);
    plain.origins.clear();
    stored(plain.clone()).await;
    stored(plain).await;
    let analytics = record_analytics(&backend, &pipeline, &day("t"))
        .await
        .unwrap();
    assert_eq!(analytics.records, 14);
}

/// Dead letters of rows that name their origin (Kafka) are one per origin: alike bad messages
/// at two offsets are two letters, a message read again is the same letter. Rows without an
/// origin (files) are named by content: a file sent again adds none, and alike bad rows are one.
#[tokio::test]
async fn alike_bad_messages_at_two_offsets_are_two_dead_letters() {
    let (_dir, backend) = temp_backend();
    let pipeline = pipeline();
    let bad = |index: u64| -> Row {
        Err(RecordError {
            index,
            errors: vec![FieldError {
                field: None,
                reason: "the value is not JSON".into(),
            }],
            raw: "not json {".into(),
        })
    };
    let chunk = |offsets: std::ops::Range<u64>, named: bool| RecordChunk {
        tenant: "t",
        source: SOURCE,
        rows: offsets.clone().map(bad).collect(),
        origins: offsets
            .filter(|_| named)
            .map(|offset| (offset, format!("kafka:runs:0:{offset}:1")))
            .collect(),
        idempotency: None,
    };
    let letters = |tenant: &'static str| {
        let backend = &backend;
        async move {
            let mut letters = backend
                .state
                .dead_letters(&DeadLetterQuery {
                    tenant: tenant.into(),
                    source: None,
                    limit: 100,
                })
                .await
                .unwrap();
            letters.sort_by_key(|l| l.index);
            letters
        }
    };
    let outcome = ingest_chunk(&backend, None, &pipeline, chunk(100..102, true))
        .await
        .unwrap();
    assert_eq!(outcome.rejected.len(), 2);
    // 101 read again after a crash, with 102 new.
    ingest_chunk(&backend, None, &pipeline, chunk(101..103, true))
        .await
        .unwrap();
    let kafka = letters("t").await;
    assert_eq!(
        kafka.iter().map(|l| l.index).collect::<Vec<_>>(),
        [100, 101, 102],
        "one letter per offset: {kafka:#?}"
    );
    assert!(kafka.iter().all(|l| l.raw == "not json {"));

    // The same rows without origins, sent twice: one letter.
    let file = RecordChunk {
        tenant: "file",
        ..chunk(0..2, false)
    };
    for _ in 0..2 {
        let outcome = ingest_chunk(&backend, None, &pipeline, file.clone())
            .await
            .unwrap();
        assert_eq!(
            outcome.rejected.len(),
            2,
            "the answer still names both rows"
        );
    }
    assert_eq!(letters("file").await.len(), 1);
}
