//! Execution records: `POST /ingest/file` (a JSON array, NDJSON or CSV file, in the body or as
//! a multipart upload, streamed through the records reader in chunks), the dead letters
//! (`GET /records/dead-letters`, `POST /records/dead-letters/replay`) and the original
//! pipeline's analytics (`GET /analytics/summary`, `/sources`, `/recent`, `/anomalies`).
//!
//! The body is never held whole: its bytes go through a bounded channel to a blocking thread
//! that reads records (`telemetryhub_records::read_records` wants a `std::io::Read`), which
//! hands chunks of [`CHUNK_RECORDS`] rows through another bounded channel to a task that
//! stores each with `intelligence::records::ingest_records` — one durable write per chunk.
//! Either channel being full slows the one before it, so memory stays at a few chunks.

use std::collections::BTreeMap;
use std::io::Read;
use std::ops::ControlFlow;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, header};
use futures::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use telemetryhub_intelligence::records::{
    AnalyticsQuery, RecordAnalytics, RecordsPipeline, ReplayOutcome, ingest_records,
    record_analytics, replay_dead_letters,
};
use telemetryhub_model::{
    DeadLetter, DeadLetterQuery, ErrorCode, IdempotencyKey, format_rfc3339, now_ns,
};
use telemetryhub_records::analytics::{Analytics, GroupSummary, Summary};
use telemetryhub_records::{InputFormat, ProcessedRecord, ReadError, Row, read_records};
use utoipa::ToSchema;

use crate::metrics::INGEST_REQUESTS;
use crate::params::{Params, tenant};
use crate::{ApiError, AppState};

/// Rows per durable write: large enough that a write's fsync is shared by many records, small
/// enough that a chunk in flight costs a few MB.
pub(crate) const CHUNK_RECORDS: usize = 10_000;

/// Most record errors an ingest answer lists (the counts cover all).
const MAX_LISTED_ERRORS: usize = 100;

/// Bytes read before guessing the format of a body that names none.
const SNIFF_BYTES: usize = 512;

/// The records pipeline, or the error saying none is configured.
fn pipeline(state: &AppState) -> Result<Arc<RecordsPipeline>, ApiError> {
    state.config().records.clone().ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "no execution-record sources are configured: add a [records.sources.<name>] mapping \
             to the config file (or --records-config FILE); see the README, \
             \"Execution records (files)\"",
        )
    })
}

/// One bad field of a rejected record.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordErrorOut {
    /// The record's 0-based position in the file.
    pub index: u64,
    /// The input field at fault; absent when the record as a whole is bad.
    pub field: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// What a file ingest did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub(crate) struct FileIngestResponse {
    /// Records standardised and stored (or stored before: a record whose key was stored is not
    /// stored twice).
    pub accepted: u64,
    /// Records set aside as dead letters.
    pub rejected: u64,
    /// The first 100 problems, with the record's index and field.
    pub errors: Vec<RecordErrorOut>,
}

/// Ingest a file of execution records for a configured source: a JSON array, NDJSON or CSV, as
/// the body or as the `file` part of a `multipart/form-data` upload. The format comes from
/// `format`, else the Content-Type (or the part's, or its file name), else the first bytes.
/// Good records are stored as log lines (one durable write per 10 000 records), bad ones kept
/// as dead letters and listed here with their index and field.
#[utoipa::path(
    post, path = "/ingest/file", tag = "records",
    params(
        ("source" = String, Query, description = "The configured source (mapping) the records are read with"),
        ("format" = Option<String>, Query, description = "`json`, `ndjson` or `csv`; default: from the Content-Type, the file name, or the first bytes"),
        super::ingest::IngestHeaders,
    ),
    request_body(content = String, content_type = "application/json", description = "A JSON array of records, NDJSON (`application/x-ndjson`), CSV with a header (`text/csv`), or `multipart/form-data` with a `file` part"),
    responses(
        (status = 200, body = FileIngestResponse),
        (status = 400, description = "Unknown source, bad format, or a file that cannot be read on (records before the fault were stored)", body = crate::error::ErrorBody),
        (status = 404, description = "No record sources are configured", body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody),
        (status = 503, body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn ingest_file(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    request: Request,
) -> Result<Json<FileIngestResponse>, ApiError> {
    INGEST_REQUESTS.with_label_values(&["record"]).inc();
    let pipeline = pipeline(&state)?;
    let params = Params::from_query(query)?;
    let source = params.string("source").ok_or_else(|| {
        ApiError::invalid(
            "source",
            "source is required: the name of a configured [records.sources] mapping",
        )
    })?;
    pipeline.mapping(&source)?;
    let format = params.get("format").map(parse_format).transpose()?;
    let headers = request.headers().clone();
    let tenant = tenant(&headers)?;
    let idempotency = idempotency_key(&headers)?;
    if let Some(encoding) = headers.get(header::CONTENT_ENCODING)
        && encoding.as_bytes() != b"identity"
    {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "/ingest/file takes uncompressed bodies (Content-Encoding is not supported here)",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let job = FileJob {
        state: state.clone(),
        pipeline,
        tenant,
        source,
        idempotency,
    };
    let outcome = if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        let mut multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError::invalid("body", format!("invalid multipart body: {e}")))?;
        loop {
            let field = multipart
                .next_field()
                .await
                .map_err(|e| ApiError::invalid("body", format!("invalid multipart body: {e}")))?;
            let Some(field) = field else {
                return Err(ApiError::invalid(
                    "file",
                    "the multipart body has no part named \"file\"",
                ));
            };
            if field.name() != Some("file") {
                continue;
            }
            let format = format
                .or_else(|| field.content_type().and_then(InputFormat::from_media_type))
                .or_else(|| field.file_name().and_then(InputFormat::from_file_name));
            break job.run(format, ByteSource::Part(Box::new(field))).await?;
        }
    } else {
        let format = format.or_else(|| InputFormat::from_media_type(&content_type));
        let body = request.into_body().into_data_stream();
        job.run(format, ByteSource::Body(body)).await?
    };
    Ok(Json(outcome))
}

fn parse_format(text: &str) -> Result<InputFormat, ApiError> {
    match text.to_ascii_lowercase().as_str() {
        "json" => Ok(InputFormat::Json),
        "ndjson" | "jsonl" => Ok(InputFormat::Ndjson),
        "csv" => Ok(InputFormat::Csv),
        _ => Err(ApiError::invalid(
            "format",
            format!("format must be json, ndjson or csv, got {text:?}"),
        )),
    }
}

/// The request's Idempotency-Key, checked as the other ingest routes check it.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    headers
        .get("idempotency-key")
        .map(|value| {
            value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 256)
                .map(str::to_string)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "Idempotency-Key",
                        "Idempotency-Key must be 1 to 256 visible ASCII characters",
                    )
                })
        })
        .transpose()
}

/// Where a file's bytes come from.
enum ByteSource<'a> {
    Body(axum::body::BodyDataStream),
    /// Boxed: a multipart field is far larger than a body stream.
    Part(Box<axum::extract::multipart::Field<'a>>),
}

impl ByteSource<'_> {
    async fn next(&mut self) -> Result<Option<Bytes>, ApiError> {
        let failed = |e: String| ApiError::invalid("body", format!("reading the body failed: {e}"));
        match self {
            ByteSource::Body(stream) => stream
                .next()
                .await
                .transpose()
                .map_err(|e| failed(e.to_string())),
            ByteSource::Part(field) => field.chunk().await.map_err(|e| failed(e.to_string())),
        }
    }
}

/// One file being ingested.
struct FileJob {
    state: AppState,
    pipeline: Arc<RecordsPipeline>,
    tenant: String,
    source: String,
    idempotency: Option<String>,
}

impl FileJob {
    /// Streams the bytes through the reader and the writer; the answer once all are stored.
    async fn run(
        self,
        format: Option<InputFormat>,
        mut bytes: ByteSource<'_>,
    ) -> Result<FileIngestResponse, ApiError> {
        let limit = self.state.config().max_file_bytes;
        let mut first = Vec::new();
        let mut seen = 0usize;
        if format.is_none() {
            while seen < SNIFF_BYTES {
                match bytes.next().await? {
                    Some(chunk) => {
                        seen += chunk.len();
                        first.push(chunk);
                    }
                    None => break,
                }
            }
        }
        let format = format.unwrap_or_else(|| InputFormat::sniff(&first.concat()));
        let options = self.pipeline.mapping(&self.source)?.read_options();

        let (byte_tx, byte_rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(16);
        let (chunk_tx, mut chunk_rx) = tokio::sync::mpsc::channel::<Vec<Row>>(2);
        let reader = tokio::task::spawn_blocking(move || {
            let mut rows = Vec::with_capacity(CHUNK_RECORDS);
            let result = read_records(
                format,
                ChannelReader {
                    rx: byte_rx,
                    current: Bytes::new(),
                },
                &options,
                |row| {
                    rows.push(row);
                    if rows.len() >= CHUNK_RECORDS {
                        let full = std::mem::replace(&mut rows, Vec::with_capacity(CHUNK_RECORDS));
                        if chunk_tx.blocking_send(full).is_err() {
                            return ControlFlow::Break(());
                        }
                    }
                    ControlFlow::Continue(())
                },
            );
            // The rows read before an error are stored too: they were good input.
            if !rows.is_empty() {
                let _ = chunk_tx.blocking_send(rows);
            }
            result
        });
        let writer = tokio::spawn(async move {
            let tagger = self
                .state
                .config()
                .mine_patterns
                .then(|| self.state.patterns());
            let mut answer = FileIngestResponse::default();
            let mut chunk_index = 0u64;
            while let Some(rows) = chunk_rx.recv().await {
                let key = chunk_key(
                    &self.source,
                    self.idempotency.as_deref(),
                    chunk_index,
                    &rows,
                );
                let outcome = ingest_records(
                    self.state.backend(),
                    tagger,
                    &self.pipeline,
                    &self.tenant,
                    &self.source,
                    rows,
                    Some(key),
                )
                .await?;
                answer.accepted += outcome.accepted;
                answer.rejected += outcome.rejected.len() as u64;
                for bad in outcome.rejected {
                    for error in bad.errors {
                        if answer.errors.len() < MAX_LISTED_ERRORS {
                            answer.errors.push(RecordErrorOut {
                                index: bad.index,
                                field: error.field,
                                reason: error.reason,
                            });
                        }
                    }
                }
                chunk_index += 1;
            }
            Ok::<_, ApiError>(answer)
        });

        // Pump the bytes; a failure is passed on, so the reader never takes a cut body for a
        // complete one.
        let mut pumped: Result<(), ApiError> = Ok(());
        let mut total = 0usize;
        let mut pending = first.into_iter();
        loop {
            let next = match pending.next() {
                Some(chunk) => Ok(Some(chunk)),
                None => bytes.next().await,
            };
            let chunk = match next {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(error) => {
                    pumped = Err(error);
                    let _ = byte_tx
                        .send(Err(std::io::Error::other("body failed")))
                        .await;
                    break;
                }
            };
            total += chunk.len();
            if total > limit {
                pumped = Err(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    format!(
                        "the file exceeds the limit of {limit} bytes (records before the limit \
                         were stored)"
                    ),
                ));
                let _ = byte_tx.send(Err(std::io::Error::other("too large"))).await;
                break;
            }
            if byte_tx.send(Ok(chunk)).await.is_err() {
                // The reader stopped: a read error or a failed write says why, below.
                break;
            }
        }
        drop(byte_tx);
        let read = reader
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the reader failed: {e}")))?;
        let written = writer
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the writer failed: {e}")))?;
        pumped?;
        let answer = written?;
        match read {
            Ok(_) => Ok(answer),
            Err(error) => Err(read_error(error, &answer)),
        }
    }
}

/// A reader's error, saying what was stored before it.
fn read_error(error: ReadError, stored: &FileIngestResponse) -> ApiError {
    ApiError::new(
        error.code(),
        format!(
            "{error} (before it: {} records accepted, {} rejected)",
            stored.accepted, stored.rejected
        ),
    )
}

/// A chunk's idempotency key: the request's Idempotency-Key and the chunk's number when given,
/// else the SHA-256 of the chunk's records and first index — so a resent file stores nothing
/// twice even when its records have no key.
fn chunk_key(source: &str, header: Option<&str>, chunk: u64, rows: &[Row]) -> IdempotencyKey {
    let mut hash = Sha256::new();
    for row in rows {
        match row {
            Ok(raw) => {
                hash.update(raw.index.to_le_bytes());
                hash.update(raw.to_json().as_bytes());
            }
            Err(bad) => {
                hash.update(bad.index.to_le_bytes());
                hash.update(bad.raw.as_bytes());
            }
        }
        hash.update(b"\n");
    }
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let fingerprint = u64::from_le_bytes(first);
    let key = match header {
        Some(header) => format!("record:{source}:{header}:{chunk}"),
        None => {
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("record:{source}:sha256:{hex}")
        }
    };
    IdempotencyKey { key, fingerprint }
}

/// A `std::io::Read` over the body's chunks as the pump hands them over.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(chunk) => self.current = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// A dead letter as listed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeadLetterOut {
    /// Stable id (the same bad row of a file sent again, or a Kafka message read again, is the
    /// same dead letter; two alike Kafka messages at two offsets are two).
    pub id: String,
    /// The source it was sent to.
    pub source: String,
    /// Its 0-based position in the file it came in.
    pub index: u64,
    /// Every problem, with the input field at fault.
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<telemetryhub_model::DeadLetterError>,
    /// The raw record as received.
    pub raw: String,
    /// When it was set aside (or last replayed without success), RFC 3339.
    pub received_at: String,
}

impl From<DeadLetter> for DeadLetterOut {
    fn from(letter: DeadLetter) -> Self {
        DeadLetterOut {
            id: letter.id,
            source: letter.source,
            index: letter.index,
            errors: letter.errors,
            raw: letter.raw,
            received_at: format_rfc3339(letter.received_ns),
        }
    }
}

/// The listed dead letters.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeadLettersResponse {
    /// Newest first.
    pub dead_letters: Vec<DeadLetterOut>,
}

/// Execution records that could not be standardised, with their reasons and raw input, newest
/// first.
#[utoipa::path(
    get, path = "/records/dead-letters", tag = "records",
    params(
        ("source" = Option<String>, Query, description = "Only this source's"),
        ("limit" = Option<usize>, Query, description = "At most this many; default 100"),
    ),
    responses((status = 200, body = DeadLettersResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn dead_letters(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<DeadLettersResponse>, ApiError> {
    pipeline(&state)?;
    let params = Params::from_query(query)?;
    let query = DeadLetterQuery {
        tenant: tenant(&headers)?,
        source: params.string("source"),
        limit: params.limit(100, state.config().max_query_limit)?,
    };
    let letters = state.backend().state.dead_letters(&query).await?;
    Ok(Json(DeadLettersResponse {
        dead_letters: letters.into_iter().map(DeadLetterOut::from).collect(),
    }))
}

/// What a replay did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReplayResponse {
    /// Dead letters looked at.
    pub examined: u64,
    /// Stored this time, and removed from the dead letters.
    pub stored: u64,
    /// Still bad: kept, with their new reasons.
    pub still_rejected: u64,
    /// Of sources no longer configured: kept as they are.
    pub unknown_source: u64,
}

impl From<ReplayOutcome> for ReplayResponse {
    fn from(outcome: ReplayOutcome) -> Self {
        ReplayResponse {
            examined: outcome.examined,
            stored: outcome.stored,
            still_rejected: outcome.still_rejected,
            unknown_source: outcome.unknown_source,
        }
    }
}

/// Re-standardises dead letters with the current mappings (after fixing a mapping and
/// restarting): the good ones are stored and leave the dead letters.
#[utoipa::path(
    post, path = "/records/dead-letters/replay", tag = "records",
    params(
        ("source" = Option<String>, Query, description = "Only this source's"),
        ("limit" = Option<usize>, Query, description = "At most this many, newest first; default 10 000"),
    ),
    responses((status = 200, body = ReplayResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn replay(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ReplayResponse>, ApiError> {
    let pipeline = pipeline(&state)?;
    let params = Params::from_query(query)?;
    let tenant = tenant(&headers)?;
    let limit = params.limit(10_000, 10_000)?;
    let tagger = state.config().mine_patterns.then(|| state.patterns());
    let outcome = replay_dead_letters(
        state.backend(),
        tagger,
        &pipeline,
        &tenant,
        params.get("source"),
        limit,
    )
    .await?;
    Ok(Json(outcome.into()))
}

/// What the figures were computed over.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnalyticsScope {
    /// RFC 3339.
    pub since: String,
    /// RFC 3339.
    pub until: String,
    /// Records read.
    pub records: u64,
    /// Whether the range held more than `max_records` (only the newest were counted).
    pub truncated: bool,
}

/// `GET /analytics/summary`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SummaryResponse {
    #[serde(flatten)]
    pub summary: Summary,
    pub scope: AnalyticsScope,
}

/// `GET /analytics/sources`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourcesResponse {
    /// Figures per source.
    pub sources: BTreeMap<String, GroupSummary>,
    /// Figures per company.
    pub companies: BTreeMap<String, GroupSummary>,
    pub scope: AnalyticsScope,
}

/// A rule a record hit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RuleHitOut {
    pub rule: String,
    pub field: String,
    /// The value found (number or text).
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// `>`, `>=`, `<`, `<=`, `==`, `!=`.
    pub op: String,
    #[schema(value_type = Object)]
    pub threshold: serde_json::Value,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    pub message: String,
}

/// A stored record with its figures.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordOut {
    /// The source (mapping) it came through.
    pub source: String,
    /// RFC 3339.
    pub timestamp: String,
    pub key: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// Its standardised fields.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    pub level: String,
    pub message: String,
    pub error: Option<String>,
    pub success: bool,
    pub efficiency_score: Option<f64>,
    pub throughput_per_minute: Option<f64>,
    pub resource_utilisation: Option<f64>,
    /// The rules it hit (an anomaly when not empty).
    pub rule_hits: Vec<RuleHitOut>,
}

impl From<&ProcessedRecord> for RecordOut {
    fn from(p: &ProcessedRecord) -> Self {
        let r = &p.record;
        RecordOut {
            source: r.source.clone(),
            timestamp: format_rfc3339(r.timestamp_ns),
            key: r.key.clone(),
            labels: r.labels.clone(),
            fields: serde_json::to_value(&r.fields).unwrap_or_default(),
            level: r.level.as_str().to_string(),
            message: r.message.clone(),
            error: r.error.clone(),
            success: p.figures.success,
            efficiency_score: p.figures.efficiency_score,
            throughput_per_minute: p.figures.throughput_per_minute,
            resource_utilisation: p.figures.resource_utilisation,
            rule_hits: p
                .hits
                .iter()
                .map(|h| RuleHitOut {
                    rule: h.rule.clone(),
                    field: h.field.clone(),
                    value: json(&h.value),
                    op: h.op.symbol().to_string(),
                    threshold: json(&h.threshold),
                    severity: json(&h.severity).as_str().unwrap_or("").to_string(),
                    message: h.message.clone(),
                })
                .collect(),
        }
    }
}

/// A value of the records crate as JSON (its own serialisation).
fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// `GET /analytics/recent` and `GET /analytics/anomalies`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordsResponse {
    /// Newest first.
    pub records: Vec<RecordOut>,
    pub scope: AnalyticsScope,
}

/// The analytics of the request's range.
async fn analytics(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(RecordAnalytics, AnalyticsScope), ApiError> {
    let pipeline = pipeline(state)?;
    let now = now_ns();
    let since = params.time("since", now, now.saturating_sub(86_400_000_000_000))?;
    let until = params.time("until", now, i64::MAX)?;
    let max_records = match params.u64("max_records")? {
        None => 100_000,
        Some(n @ 1..=100_000) => n as usize,
        Some(n) => {
            return Err(ApiError::invalid(
                "max_records",
                format!("max_records must be from 1 to 100000, got {n}"),
            ));
        }
    };
    let query = AnalyticsQuery {
        tenant: tenant(headers)?,
        since_ns: since,
        until_ns: until,
        max_records,
    };
    let result = record_analytics(state.backend(), &pipeline, &query).await?;
    let scope = AnalyticsScope {
        since: format_rfc3339(since),
        until: format_rfc3339(until.min(now)),
        records: result.records,
        truncated: result.truncated,
    };
    Ok((result, scope))
}

/// The common parameters of the analytics routes, for the OpenAPI document.
#[derive(utoipa::IntoParams, serde::Deserialize)]
#[allow(dead_code)]
pub(crate) struct AnalyticsParams {
    /// Records at or after: RFC 3339, Unix time, or relative (`7d`); default 24 hours ago.
    since: Option<String>,
    /// Records before; default no end.
    until: Option<String>,
    /// At most this many records, the newest, are read (default and at most 100 000).
    max_records: Option<u64>,
    /// `X-Scope-OrgID` selects the tenant.
    #[serde(rename = "X-Scope-OrgID")]
    #[param(value_type = Option<String>)]
    scope_org_id: Option<String>,
}

/// The original pipeline's overall figures over the stored records of every configured source:
/// counts, success and anomaly rates, mean duration, CPU, memory, efficiency score (0–100:
/// the mean of `clamp(100 − 50·duration/10 s)` and `clamp(100 − 50·memory/10 MB)`),
/// throughput and resource utilisation.
#[utoipa::path(
    get, path = "/analytics/summary", tag = "records",
    params(AnalyticsParams),
    responses((status = 200, body = SummaryResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn summary(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<SummaryResponse>, ApiError> {
    let params = Params::from_query(query)?;
    let (result, scope) = analytics(&state, &headers, &params).await?;
    Ok(Json(SummaryResponse {
        summary: result.analytics.summary(),
        scope,
    }))
}

/// The same figures per source and per company.
#[utoipa::path(
    get, path = "/analytics/sources", tag = "records",
    params(AnalyticsParams),
    responses((status = 200, body = SourcesResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn sources(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<SourcesResponse>, ApiError> {
    let params = Params::from_query(query)?;
    let (result, scope) = analytics(&state, &headers, &params).await?;
    Ok(Json(SourcesResponse {
        sources: result.analytics.sources(),
        companies: result.analytics.companies(),
        scope,
    }))
}

/// The most recent stored records with their figures and rule hits, newest first.
#[utoipa::path(
    get, path = "/analytics/recent", tag = "records",
    params(AnalyticsParams, ("limit" = Option<usize>, Query, description = "Default 100")),
    responses((status = 200, body = RecordsResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn recent(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<RecordsResponse>, ApiError> {
    newest_records(&state, &headers, query, Analytics::recent).await
}

/// The most recent stored records that hit an anomaly rule (status FAILED, over an hour,
/// memory over 100 MB or negative, efficiency under 20 — or the configured rules), newest
/// first. Each hit is also a TelemetryHub anomaly (`GET /anomalies`).
#[utoipa::path(
    get, path = "/analytics/anomalies", tag = "records",
    params(AnalyticsParams, ("limit" = Option<usize>, Query, description = "Default 100")),
    responses((status = 200, body = RecordsResponse), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn anomalies(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<RecordsResponse>, ApiError> {
    newest_records(&state, &headers, query, Analytics::recent_anomalies).await
}

/// The `limit` (default 100) newest records `pick` keeps of the stored records' analytics,
/// newest first.
async fn newest_records(
    state: &AppState,
    headers: &HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    pick: for<'a> fn(&'a Analytics, usize) -> Vec<&'a ProcessedRecord>,
) -> Result<Json<RecordsResponse>, ApiError> {
    let params = Params::from_query(query)?;
    let limit = params.limit(100, state.config().max_query_limit)?;
    let (result, scope) = analytics(state, headers, &params).await?;
    let records = pick(&result.analytics, limit).into_iter().rev();
    Ok(Json(RecordsResponse {
        records: records.map(RecordOut::from).collect(),
        scope,
    }))
}

#[cfg(test)]
mod tests;
