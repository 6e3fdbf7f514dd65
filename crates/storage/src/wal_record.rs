//! The payload of one WAL record: one acknowledged write.
//!
//! `[version: u8][table: u8][header length: u32 LE][header: JSON][rows: Arrow IPC stream]`.
//! The header carries what replay needs besides the rows: the idempotency key and the item ids,
//! so that a resend after a crash is still recognised.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use serde::{Deserialize, Serialize};

use crate::schema::Table;
use crate::{IdempotencyKey, Result, StorageError};

const VERSION: u8 = 1;

/// What a write stored besides its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub(crate) struct WriteHeader {
    pub tenant: String,
    pub idempotency: Option<IdempotencyKey>,
    pub accepted: u64,
    pub item_ids: Vec<String>,
    /// Log patterns created or changed by this write, so replay restores them with the lines.
    #[serde(default)]
    pub patterns: Vec<telemetryhub_model::PatternTemplate>,
}

/// One decoded WAL record.
#[derive(Debug)]
pub(crate) struct WalWrite {
    pub table: Table,
    pub header: WriteHeader,
    pub rows: RecordBatch,
}

pub(crate) fn encode(table: Table, header: &WriteHeader, rows: &RecordBatch) -> Result<Vec<u8>> {
    let header_json =
        serde_json::to_vec(header).map_err(|e| StorageError::Encoding(e.to_string()))?;
    let mut out = Vec::with_capacity(64 + header_json.len() + rows.get_array_memory_size());
    out.push(VERSION);
    out.push(match table {
        Table::Metrics => 1,
        Table::Logs => 2,
        Table::Spans => 3,
        Table::Exemplars => 4,
    });
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    let mut writer = StreamWriter::try_new(&mut out, rows.schema_ref())?;
    writer.write(rows)?;
    writer.finish()?;
    drop(writer);
    Ok(out)
}

pub(crate) fn decode(payload: &[u8]) -> Result<WalWrite> {
    let bad = |what: &str| StorageError::Encoding(format!("invalid WAL record: {what}"));
    if payload.len() < 6 || payload[0] != VERSION {
        return Err(bad("unknown version"));
    }
    let table = match payload[1] {
        1 => Table::Metrics,
        2 => Table::Logs,
        3 => Table::Spans,
        4 => Table::Exemplars,
        _ => return Err(bad("unknown table")),
    };
    let header_len = u32::from_le_bytes([payload[2], payload[3], payload[4], payload[5]]) as usize;
    let header_bytes = payload
        .get(6..6 + header_len)
        .ok_or_else(|| bad("short header"))?;
    let header: WriteHeader =
        serde_json::from_slice(header_bytes).map_err(|e| bad(&e.to_string()))?;
    let reader = StreamReader::try_new(&payload[6 + header_len..], None)?;
    let mut batches = Vec::new();
    for batch in reader {
        batches.push(batch?);
    }
    let rows = match batches.len() {
        1 => batches.pop().ok_or_else(|| bad("no rows"))?,
        _ => datafusion::arrow::compute::concat_batches(&table.schema(), &batches)?,
    };
    if rows.schema() != table.schema() {
        return Err(bad("schema does not match the table"));
    }
    Ok(WalWrite {
        table,
        header,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::{Labels, MetricPoint};

    use super::*;
    use crate::schema::metrics_batch;

    #[test]
    fn round_trips() {
        let rows = metrics_batch(&[MetricPoint {
            tenant: "t".into(),
            service: "s".into(),
            metric: "m".into(),
            labels: Labels::from([("k".to_string(), "v".to_string())]),
            ts_ns: 42,
            value: 1.5,
        }])
        .unwrap();
        let header = WriteHeader {
            tenant: "t".into(),
            idempotency: Some(IdempotencyKey {
                key: "abc".into(),
                fingerprint: 7,
            }),
            accepted: 1,
            item_ids: vec!["i1".into()],
            patterns: vec![telemetryhub_model::PatternTemplate {
                tenant: "t".into(),
                id: 3,
                template: "a <*>".into(),
                merged_into: None,
                samples: vec!["a 1".into()],
                first_seen_ns: 5,
                version: 2,
            }],
        };
        let decoded = decode(&encode(Table::Metrics, &header, &rows).unwrap()).unwrap();
        assert_eq!(decoded.table, Table::Metrics);
        assert_eq!(decoded.header, header);
        assert_eq!(decoded.rows, rows);
    }

    #[test]
    fn spans_round_trip() {
        let spans = vec![telemetryhub_model::Span {
            tenant: "t".into(),
            trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".into(),
            span_id: "00f067aa0ba902b7".into(),
            parent_span_id: None,
            service: "checkout".into(),
            name: "GET /cart".into(),
            kind: telemetryhub_model::SpanKind::Server,
            start_ns: 42,
            duration_ns: 7,
            status: telemetryhub_model::SpanStatus::Error,
            status_message: Some("boom".into()),
            attributes: Some("{}".into()),
            events: None,
            links: Some("[]".into()),
        }];
        let rows = crate::schema::spans_batch(&spans).unwrap();
        let decoded =
            decode(&encode(Table::Spans, &WriteHeader::default(), &rows).unwrap()).unwrap();
        assert_eq!(decoded.table, Table::Spans);
        assert_eq!(
            crate::schema::spans_from_batches(&[decoded.rows]).unwrap(),
            spans
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode(b"").is_err());
        assert!(decode(&[1, 1, 255, 255, 255, 255]).is_err());
        assert!(decode(&[1, 9, 0, 0, 0, 0]).is_err());
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[a-z0-9_.\\-\"%\u{e9}]{0,12}").expect("regex")
    }

    proptest::proptest! {
        /// Any batch of metric points and log records survives the WAL encoding unchanged.
        #[test]
        fn arbitrary_writes_round_trip(
            points in proptest::collection::vec(
                (text(), text(), proptest::collection::btree_map(text(), text(), 0..4), 0i64..i64::MAX, -1e12f64..1e12),
                1..20,
            ),
            logs in proptest::collection::vec(
                (text(), 0usize..6, text(), 0i64..i64::MAX, proptest::option::of(text())),
                1..20,
            ),
            key in proptest::option::of(text()),
            ids in proptest::collection::vec(text(), 0..5),
        ) {
            let points: Vec<MetricPoint> = points
                .into_iter()
                .map(|(service, metric, labels, ts_ns, value)| MetricPoint {
                    tenant: "t".into(), service, metric, labels, ts_ns, value,
                })
                .collect();
            let header = WriteHeader {
                tenant: "t".into(),
                idempotency: key.map(|key| IdempotencyKey { key, fingerprint: 9 }),
                accepted: points.len() as u64,
                item_ids: ids,
                patterns: Vec::new(),
            };
            let rows = metrics_batch(&points).unwrap();
            let decoded = decode(&encode(Table::Metrics, &header, &rows).unwrap()).unwrap();
            proptest::prop_assert_eq!(&decoded.header, &header);
            proptest::prop_assert_eq!(crate::schema::metrics_from_batches(&[decoded.rows]).unwrap(), points);

            let records: Vec<telemetryhub_model::LogRecord> = logs
                .into_iter()
                .map(|(service, level, message, ts_ns, context)| telemetryhub_model::LogRecord {
                    tenant: "t".into(),
                    service,
                    level: telemetryhub_model::Level::ALL[level],
                    message,
                    ts_ns,
                    context,
                    trace_id: None,
                    span_id: Some("00f067aa0ba902b7".into()),
                    pattern_id: Some(ts_ns as u64 % 7),
                })
                .collect();
            let rows = crate::schema::logs_batch(&records).unwrap();
            let decoded = decode(&encode(Table::Logs, &header, &rows).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Logs);
            proptest::prop_assert_eq!(crate::schema::logs_from_batches(&[decoded.rows]).unwrap(), records);
        }

        /// Any spans and exemplars survive the WAL encoding unchanged too.
        #[test]
        fn arbitrary_spans_and_exemplars_round_trip(
            spans in proptest::collection::vec(
                (text(), text(), 0usize..6, 0usize..3, 0i64..i64::MAX / 2, 0i64..1_000_000_000, proptest::option::of(text()), proptest::option::of(text())),
                1..20,
            ),
            exemplars in proptest::collection::vec(
                (text(), proptest::collection::btree_map(text(), text(), 0..4), proptest::collection::btree_map(text(), text(), 0..3), 0i64..i64::MAX, -1e12f64..1e12, proptest::option::of(text())),
                1..20,
            ),
        ) {
            let header = WriteHeader::default();
            let spans: Vec<telemetryhub_model::Span> = spans
                .into_iter()
                .enumerate()
                .map(|(i, (service, name, kind, status, start_ns, duration_ns, parent, attributes))| telemetryhub_model::Span {
                    tenant: "t".into(),
                    trace_id: format!("{:032x}", i),
                    span_id: format!("{:016x}", i + 1),
                    parent_span_id: parent,
                    service,
                    name,
                    kind: telemetryhub_model::SpanKind::ALL[kind],
                    start_ns,
                    duration_ns,
                    status: telemetryhub_model::SpanStatus::ALL[status],
                    status_message: None,
                    attributes,
                    events: Some("[]".into()),
                    links: None,
                })
                .collect();
            let rows = crate::schema::spans_batch(&spans).unwrap();
            let decoded = decode(&encode(Table::Spans, &header, &rows).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Spans);
            proptest::prop_assert_eq!(crate::schema::spans_from_batches(&[decoded.rows]).unwrap(), spans);

            let exemplars: Vec<telemetryhub_model::Exemplar> = exemplars
                .into_iter()
                .map(|(metric, labels, exemplar_labels, ts_ns, value, trace_id)| telemetryhub_model::Exemplar {
                    tenant: "t".into(),
                    service: "s".into(),
                    metric,
                    labels,
                    exemplar_labels,
                    ts_ns,
                    value,
                    trace_id,
                })
                .collect();
            let rows = crate::schema::exemplars_batch(&exemplars).unwrap();
            let decoded = decode(&encode(Table::Exemplars, &header, &rows).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Exemplars);
            proptest::prop_assert_eq!(crate::schema::exemplars_from_batches(&[decoded.rows]).unwrap(), exemplars);
        }
    }
}
