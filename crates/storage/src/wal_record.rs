//! The payload of one WAL record: one acknowledged write.
//!
//! `[version: u8][kind: u8][header length: u32 LE][header: JSON][rows]`. The header carries what
//! replay needs besides the rows: the idempotency key and the item ids, so that a resend after a
//! crash is still recognised. Rows are an Arrow IPC stream for kinds 1–4 (a table's rows); kind 6
//! is metric samples as series ids of a buffer generation, defining only the ids no earlier record
//! of that generation defined (see [`encode_identified`]; kind 5 was a development format that
//! never shipped); kind 7 is kind 6 followed by the exemplars of the same request as an Arrow IPC
//! stream (both sections length-prefixed), so a metrics request is one record, one fsync. Under remote_write load a kind 6
//! record holds about 20 bytes per sample where Arrow IPC held about 170: every series' strings
//! were logged with every sample.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use serde::{Deserialize, Serialize};
use telemetryhub_model::{IdempotencyKey, SeriesBatch, SeriesKey};

use crate::buffer::Buffered;
use crate::schema::Table;
use crate::series_rows::{IdentifiedSamples, Resolution};
use crate::{Result, StorageError};

const VERSION: u8 = 1;
/// The record kind of identified samples (kinds 1–4 are tables).
const IDENTIFIED_KIND: u8 = 6;
/// Identified samples, then the request's exemplars.
const IDENTIFIED_WITH_EXEMPLARS_KIND: u8 = 7;

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
    /// Metric metadata that arrived with this write's samples, restored on replay like patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<telemetryhub_model::MetricMetadata>,
}

/// One decoded WAL record.
pub(crate) struct WalWrite {
    /// The table of the record's item ids.
    pub table: Table,
    pub header: WriteHeader,
    /// The rows, one entry per table written (metrics and exemplars share a record).
    pub rows: Vec<Buffered>,
}

impl WalWrite {
    /// Rows held, of every table.
    pub(crate) fn rows(&self) -> usize {
        self.rows.iter().map(Buffered::rows).sum()
    }
}

fn table_kind(table: Table) -> u8 {
    match table {
        Table::Metrics => 1,
        Table::Logs => 2,
        Table::Spans => 3,
        Table::Exemplars => 4,
        // Rollups are derived at flush, never logged; no record carries this kind.
        Table::MetricsHourly => 5,
    }
}

/// The record's first bytes: version, kind and header.
fn start(header: &WriteHeader, kind: u8, size: usize) -> Result<Vec<u8>> {
    let header_json =
        serde_json::to_vec(header).map_err(|e| StorageError::Encoding(e.to_string()))?;
    let mut out = Vec::with_capacity(6 + header_json.len() + size);
    out.push(VERSION);
    out.push(kind);
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    Ok(out)
}

pub(crate) fn encode(header: &WriteHeader, rows: &Buffered) -> Result<Vec<u8>> {
    match rows {
        Buffered::Rows(table, batch) => {
            let mut out = start(header, table_kind(*table), batch.get_array_memory_size())?;
            write_ipc(&mut out, batch)?;
            Ok(out)
        }
        Buffered::Identified(samples) => {
            let mut out = start(header, IDENTIFIED_KIND, 64 + samples.len() * 20)?;
            let defined: Vec<(u32, &SeriesKey)> = samples
                .definitions
                .iter()
                .map(|(id, key)| (*id, key))
                .collect();
            write_identified(
                &mut out,
                samples.generation,
                &defined,
                samples.ids.iter().copied(),
                &samples.ts_ns,
                &samples.values,
            );
            Ok(out)
        }
    }
}

/// The record of a series batch resolved to ids of a generation (the tenant is in the header):
/// `[generation: u64][definitions: u32]` then per definition `[id: u32]` and the key
/// `[len: u32][service][len][metric][len][labels JSON]`, then `[samples: u32]` and the columns
/// `id: u32 × n`, `ts: i64 × n`, `value: f64 × n`, all little-endian. With exemplars (kind 7),
/// that section is preceded by its length (`u64`) and followed by the length of the exemplars'
/// rows (`u64`) and the rows as an Arrow IPC stream.
pub(crate) fn encode_identified(
    header: &WriteHeader,
    batch: &SeriesBatch,
    resolution: &Resolution,
    exemplars: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let defined: Vec<(u32, &SeriesKey)> = resolution
        .defined_here
        .iter()
        .filter_map(|index| {
            let id = *resolution.ids.get(*index as usize)?;
            Some((id as u32, batch.series.get(*index as usize)?))
        })
        .collect();
    let key_bytes: usize = defined
        .iter()
        .map(|(_, k)| 16 + k.service.len() + k.metric.len() + k.labels_json.len())
        .sum();
    let kind = match exemplars {
        Some(_) => IDENTIFIED_WITH_EXEMPLARS_KIND,
        None => IDENTIFIED_KIND,
    };
    let exemplar_bytes = exemplars.map_or(0, <[u8]>::len);
    let mut out = start(
        header,
        kind,
        24 + key_bytes + batch.len() * 20 + exemplar_bytes,
    )?;
    // The section's length is filled in once it is written.
    let length_at = out.len();
    if exemplars.is_some() {
        out.extend_from_slice(&0u64.to_le_bytes());
    }
    let ids = batch.series_of.iter().map(|series| {
        resolution
            .ids
            .get(*series as usize)
            .map_or(u32::MAX, |id| *id as u32)
    });
    write_identified(
        &mut out,
        resolution.generation,
        &defined,
        ids,
        &batch.ts_ns,
        &batch.values,
    );
    if let Some(section) = exemplars {
        let series = (out.len() - length_at - 8) as u64;
        out[length_at..length_at + 8].copy_from_slice(&series.to_le_bytes());
        out.extend_from_slice(section);
    }
    Ok(out)
}

/// The exemplar section of a kind 7 record: the rows as an Arrow IPC stream, after its length
/// (an IPC stream cut at a message boundary would still read; a length does not).
pub(crate) fn exemplar_section(rows: &RecordBatch) -> Result<Vec<u8>> {
    let mut out = vec![0; 8];
    write_ipc(&mut out, rows)?;
    let length = (out.len() - 8) as u64;
    out[..8].copy_from_slice(&length.to_le_bytes());
    Ok(out)
}

/// Appends `rows` as an Arrow IPC stream.
fn write_ipc(out: &mut Vec<u8>, rows: &RecordBatch) -> Result<()> {
    let mut writer = StreamWriter::try_new(out, rows.schema_ref())?;
    writer.write(rows)?;
    writer.finish()?;
    Ok(())
}

/// Reads the rows of `table` from an Arrow IPC stream.
fn read_ipc(bytes: &[u8], table: Table) -> Result<RecordBatch> {
    let reader = StreamReader::try_new(bytes, None)?;
    let written_schema = reader.schema();
    let mut batches = Vec::new();
    for batch in reader {
        batches.push(batch?);
    }
    let rows = match batches.len() {
        1 => batches.pop().ok_or_else(|| bad("no rows"))?,
        _ => datafusion::arrow::compute::concat_batches(&written_schema, &batches)?,
    };
    // Records written before a nullable column was added read with that column null.
    let rows = crate::schema::with_missing_columns(rows, table)?;
    if rows.schema() != table.schema() {
        return Err(bad("schema does not match the table"));
    }
    Ok(rows)
}

fn write_identified(
    out: &mut Vec<u8>,
    generation: u64,
    defined: &[(u32, &SeriesKey)],
    ids: impl Iterator<Item = u32>,
    ts_ns: &[i64],
    values: &[f64],
) {
    out.extend_from_slice(&generation.to_le_bytes());
    out.extend_from_slice(&(defined.len() as u32).to_le_bytes());
    for (id, key) in defined {
        out.extend_from_slice(&id.to_le_bytes());
        put_str(out, &key.service);
        put_str(out, &key.metric);
        put_str(out, &key.labels_json);
    }
    out.extend_from_slice(&(ts_ns.len() as u32).to_le_bytes());
    for id in ids {
        out.extend_from_slice(&id.to_le_bytes());
    }
    for ts in ts_ns {
        out.extend_from_slice(&ts.to_le_bytes());
    }
    for value in values {
        out.extend_from_slice(&value.to_le_bytes());
    }
}

fn bad(what: &str) -> StorageError {
    StorageError::Encoding(format!("invalid WAL record: {what}"))
}

pub(crate) fn decode(payload: &[u8]) -> Result<WalWrite> {
    if payload.len() < 6 || payload[0] != VERSION {
        return Err(bad("unknown version"));
    }
    let table = match payload[1] {
        1 | IDENTIFIED_KIND | IDENTIFIED_WITH_EXEMPLARS_KIND => Table::Metrics,
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
    let body = &payload[6 + header_len..];
    let rows = match payload[1] {
        IDENTIFIED_KIND => vec![Buffered::Identified(decode_identified(
            body,
            &header.tenant,
        )?)],
        IDENTIFIED_WITH_EXEMPLARS_KIND => {
            let (series, rest) = length_prefixed(body)?;
            let (exemplars, rest) = length_prefixed(rest)?;
            if !rest.is_empty() {
                return Err(bad("trailing bytes after the exemplars"));
            }
            vec![
                Buffered::Identified(decode_identified(series, &header.tenant)?),
                Buffered::Rows(Table::Exemplars, read_ipc(exemplars, Table::Exemplars)?),
            ]
        }
        _ => vec![Buffered::Rows(table, read_ipc(body, table)?)],
    };
    Ok(WalWrite {
        table,
        header,
        rows,
    })
}

/// A section that starts with its length (`u64`), and the bytes after it.
fn length_prefixed(bytes: &[u8]) -> Result<(&[u8], &[u8])> {
    let length = bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| bad("short section length"))?;
    let end = usize::try_from(length)
        .ok()
        .and_then(|length| length.checked_add(8))
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| bad("section past the end"))?;
    Ok((&bytes[8..end], &bytes[end..]))
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// Reads what [`encode_identified`] wrote, checking every length.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(bad("truncated series batch"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.take(N)?
            .try_into()
            .map_err(|_| bad("truncated series batch"))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn string(&mut self) -> Result<String> {
        let len = self.u32()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| bad("series key is not UTF-8"))
    }
}

impl Reader<'_> {
    fn key(&mut self) -> Result<SeriesKey> {
        Ok(SeriesKey {
            service: self.string()?,
            metric: self.string()?,
            labels_json: self.string()?,
        })
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// `samples` ids, times and values, which must end the record.
    fn columns(&mut self, samples: usize) -> Result<(Vec<u32>, Vec<i64>, Vec<f64>)> {
        let ids = self.take(samples.checked_mul(4).ok_or_else(|| bad("sample count"))?)?;
        let ts = self.take(samples * 8)?;
        let values = self.take(samples * 8)?;
        if !self.bytes.is_empty() {
            return Err(bad("trailing bytes after the samples"));
        }
        let ids = ids
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let ts = ts
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        let values = values
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        Ok((ids, ts, values))
    }
}

fn decode_identified(body: &[u8], tenant: &str) -> Result<IdentifiedSamples> {
    let mut reader = Reader { bytes: body };
    let generation = reader.u64()?;
    let count = reader.u32()? as usize;
    // Bounded by the bytes present, whatever the count claims.
    let mut definitions = Vec::with_capacity(count.min(body.len() / 16));
    for _ in 0..count {
        let id = reader.u32()?;
        definitions.push((id, reader.key()?));
    }
    let samples = reader.u32()? as usize;
    let (ids, ts_ns, values) = reader.columns(samples)?;
    Ok(IdentifiedSamples {
        generation,
        tenant: tenant.to_string(),
        definitions,
        ids,
        ts_ns,
        values,
    })
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::RecordBatch;
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
            metadata: vec![telemetryhub_model::MetricMetadata {
                tenant: "t".into(),
                metric: "m".into(),
                kind: "gauge".into(),
                help: "what m is".into(),
                unit: String::new(),
            }],
            patterns: vec![telemetryhub_model::PatternTemplate {
                tenant: "t".into(),
                id: 3,
                template: "a <*>".into(),
                merged_into: None,
                samples: vec!["a 1".into()],
                first_seen_ns: 5,
                lines: 2,
                last_seen_ns: 7,
                version: 2,
            }],
        };
        let decoded =
            decode(&encode(&header, &Buffered::Rows(Table::Metrics, rows.clone())).unwrap())
                .unwrap();
        assert_eq!(decoded.table, Table::Metrics);
        assert_eq!(decoded.header, header);
        assert_eq!(batch_of(decoded.rows), rows);
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
            decode(&encode(&WriteHeader::default(), &Buffered::Rows(Table::Spans, rows)).unwrap())
                .unwrap();
        assert_eq!(decoded.table, Table::Spans);
        assert_eq!(
            crate::schema::spans_from_batches(&[batch_of(decoded.rows)]).unwrap(),
            spans
        );
    }

    fn batch_of(mut rows: Vec<Buffered>) -> RecordBatch {
        assert_eq!(rows.len(), 1, "one table's rows");
        match rows.pop() {
            Some(Buffered::Rows(_, batch)) => batch,
            _ => panic!("samples where rows were written"),
        }
    }

    /// A logs record written before the `labels` column existed replays with it null; a record
    /// missing a column that was never optional is refused.
    #[test]
    fn logs_records_without_stream_labels_replay_with_them_null() {
        let record = telemetryhub_model::LogRecord {
            tenant: "t".into(),
            service: "api".into(),
            level: telemetryhub_model::Level::Warn,
            message: "old".into(),
            ts_ns: 7,
            context: Some(r#"{"k":"v"}"#.into()),
            trace_id: None,
            span_id: None,
            pattern_id: Some(3),
            stream_labels: None,
        };
        let rows = crate::schema::logs_batch(std::slice::from_ref(&record)).unwrap();
        let header = WriteHeader {
            tenant: "t".into(),
            idempotency: None,
            accepted: 1,
            item_ids: Vec::new(),
            metadata: Vec::new(),
            patterns: Vec::new(),
        };
        let encode_without = |columns: &[usize]| {
            let old_rows = rows.project(columns).unwrap();
            let mut payload = encode(&header, &Buffered::Rows(Table::Logs, rows.clone())).unwrap();
            let header_len = u32::from_le_bytes(payload[2..6].try_into().unwrap()) as usize;
            payload.truncate(6 + header_len);
            write_ipc(&mut payload, &old_rows).unwrap();
            payload
        };
        let all_but_labels: Vec<usize> = (0..rows.num_columns() - 1).collect();
        let decoded = decode(&encode_without(&all_but_labels)).unwrap();
        assert_eq!(
            crate::schema::logs_from_batches(&[batch_of(decoded.rows)]).unwrap(),
            vec![record]
        );
        let without_message: Vec<usize> = (0..rows.num_columns()).filter(|c| *c != 3).collect();
        assert!(decode(&encode_without(&without_message)).is_err());
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

    /// A batch of the generated series, each sample of one of them.
    fn series_batch(
        keys: Vec<(String, String, String)>,
        samples: Vec<(usize, i64, f64)>,
    ) -> SeriesBatch {
        let mut batch = SeriesBatch::new("tenant-a");
        for (service, metric, labels_json) in keys {
            batch.push_series(SeriesKey {
                service,
                metric,
                labels_json,
            });
        }
        for (series, ts, value) in samples {
            batch.push_sample((series % batch.series.len()) as u32, ts, value);
        }
        batch
    }

    proptest::proptest! {
        /// Any identified samples survive the WAL encoding unchanged, whether encoded from a
        /// resolved series batch or as replayed, and every truncation is rejected.
        #[test]
        fn arbitrary_identified_samples_round_trip(
            keys in proptest::collection::vec((text(), text(), text()), 1..8),
            defined in proptest::collection::vec(proptest::bool::ANY, 8),
            samples in proptest::collection::vec((0usize..8, proptest::num::i64::ANY, proptest::num::f64::NORMAL), 0..30),
            generation in proptest::num::u64::ANY,
            cut in 0usize..10_000,
            with_exemplar in proptest::bool::ANY,
        ) {
            let batch = series_batch(keys, samples);
            // Ids as a generation would hand them out: any distinct numbers.
            let ids: Vec<i32> = (0..batch.series.len() as i32).map(|i| i * 3 + 1).collect();
            let defined_here: Vec<u32> = (0..batch.series.len() as u32).filter(|i| defined[*i as usize]).collect();
            let resolution = Resolution { generation, ids: ids.clone(), defined_here: defined_here.clone() };
            let header = WriteHeader { tenant: "tenant-a".into(), accepted: batch.len() as u64, ..WriteHeader::default() };
            let exemplar = telemetryhub_model::Exemplar {
                tenant: "tenant-a".into(),
                service: "s".into(),
                metric: "m_bucket".into(),
                labels: Labels::from([("le".to_string(), "0.5".to_string())]),
                exemplar_labels: Labels::new(),
                ts_ns: generation as i64,
                value: 0.25,
                trace_id: Some("4bf92f3577b34da6a3ce929d0e0e4736".into()),
            };
            let exemplar_rows = crate::schema::exemplars_batch(std::slice::from_ref(&exemplar)).unwrap();
            let section = exemplar_section(&exemplar_rows).unwrap();
            let payload = encode_identified(&header, &batch, &resolution, with_exemplar.then_some(section.as_slice())).unwrap();
            let mut decoded = decode(&payload).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Metrics);
            proptest::prop_assert_eq!(&decoded.header, &header);
            proptest::prop_assert_eq!(decoded.rows.len(), 1 + usize::from(with_exemplar));
            if with_exemplar {
                let exemplars = batch_of(decoded.rows.split_off(1));
                proptest::prop_assert_eq!(crate::schema::exemplars_from_batches(&[exemplars]).unwrap(), vec![exemplar]);
            }
            let Some(Buffered::Identified(samples)) = decoded.rows.pop() else {
                panic!("identified samples expected");
            };
            let expected = IdentifiedSamples {
                generation,
                tenant: "tenant-a".into(),
                definitions: defined_here.iter().map(|i| (ids[*i as usize] as u32, batch.series[*i as usize].clone())).collect(),
                ids: batch.series_of.iter().map(|s| ids[*s as usize] as u32).collect(),
                ts_ns: batch.ts_ns.clone(),
                values: batch.values.clone(),
            };
            proptest::prop_assert_eq!(&samples, &expected);
            if !with_exemplar {
                // Encoding the replayed form gives the same record.
                proptest::prop_assert_eq!(encode(&header, &Buffered::Identified(samples)).unwrap(), payload.clone());
            }
            let cut = cut % payload.len();
            proptest::prop_assert!(decode(&payload[..cut]).is_err());
        }

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
                metadata: Vec::new(),
            };
            let rows = metrics_batch(&points).unwrap();
            let decoded = decode(&encode(&header, &Buffered::Rows(Table::Metrics, rows.clone())).unwrap()).unwrap();
            proptest::prop_assert_eq!(&decoded.header, &header);
            proptest::prop_assert_eq!(crate::schema::metrics_from_batches(&[batch_of(decoded.rows)]).unwrap(), points);

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
                    stream_labels: None,
                })
                .collect();
            let rows = crate::schema::logs_batch(&records).unwrap();
            let decoded = decode(&encode(&header, &Buffered::Rows(Table::Logs, rows)).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Logs);
            proptest::prop_assert_eq!(crate::schema::logs_from_batches(&[batch_of(decoded.rows)]).unwrap(), records);
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
            let decoded = decode(&encode(&header, &Buffered::Rows(Table::Spans, rows)).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Spans);
            proptest::prop_assert_eq!(crate::schema::spans_from_batches(&[batch_of(decoded.rows)]).unwrap(), spans);

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
            let decoded = decode(&encode(&header, &Buffered::Rows(Table::Exemplars, rows)).unwrap()).unwrap();
            proptest::prop_assert_eq!(decoded.table, Table::Exemplars);
            proptest::prop_assert_eq!(crate::schema::exemplars_from_batches(&[batch_of(decoded.rows)]).unwrap(), exemplars);
        }
    }
}
