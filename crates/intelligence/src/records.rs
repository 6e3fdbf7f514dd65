//! Execution records through TelemetryHub: the write path every record source shares (the file
//! route and the Kafka consumer), the dead-letter replay, and the original pipeline's
//! analytics over what was stored.
//!
//! ```text
//! rows ─▶ Mapping::standardise ─▶ good: one log line each ─▶ DataStore::write_logs (one WAL
//!                                  │      record per chunk; record keys as item ids)
//!                                  │      rule hits ─▶ StateStore::put_anomalies (stable ids)
//!                                  └▶ bad: StateStore::put_dead_letters (reason + raw input)
//! GET /analytics/* ─▶ record_analytics: the newest lines of the configured sources in a range
//!                     (QueryEngine::logs) ─▶ StandardRecord again ─▶ Analytics
//! ```
//!
//! A standardised record is stored as a log line: service = the mapping's name, level and
//! message from the mapping, time = the record's, stream labels = its labels plus
//! `service_name`, context = its non-label fields (typed JSON) plus [`KEY_FIELD`] and
//! [`ERROR_FIELD`]. So the records are queryable by LogQL, the Loki API, the native log query
//! and SQL at once, and the analytics is computed from the same rows — no second copy to keep
//! in step, at the price of reading the range back per request (bounded by a row cap).
//!
//! Nothing here knows HTTP, files or Kafka: callers hand over rows already read.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use telemetryhub_model::{
    Anomaly, DeadLetter, DeadLetterError, DeadLetterQuery, IdempotencyKey, Labels, LogQuery,
    LogRecord, LogsWrite, SERVICE_NAME_LABEL, format_rfc3339, now_ns,
};
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_query::Backend;
use telemetryhub_records::analytics::AnalyticsConfig;
use telemetryhub_records::rules::RuleValue;
use telemetryhub_records::{
    Analytics, Batch, ConfigError, FieldError, Mapping, RawRecord, RecordError, RecordsConfig, Row,
    RuleHit, Severity, StandardRecord, Value, compile_sources,
};

use crate::JobError;
use crate::metrics::{RECORD_ERRORS, RECORDS_BY_SOURCE, bounded_source_label};

/// The context key holding a stored record's key (the mapping's key fields joined with `:`).
pub const KEY_FIELD: &str = "_record_key";

/// The context key holding a stored record's error message.
pub const ERROR_FIELD: &str = "_record_error";

/// The item-id prefix of stored records: a record whose source and key were stored before is
/// not stored again (a replayed file, a Kafka partition read twice).
const ITEM_ID_PREFIX: &str = "record";

/// The item-id prefix of stored records without a key, named by their origin instead (a Kafka
/// message's topic, partition, offset and time): apart from keys, which could look alike.
const ORIGIN_ID_PREFIX: &str = "record-origin";

/// The configured record sources, compiled, and the analytics over them.
#[derive(Debug)]
pub struct RecordsPipeline {
    mappings: BTreeMap<String, Mapping>,
    /// An accumulator with nothing counted, kept for its checked rules (`Analytics::process`).
    rules: Analytics,
    /// Records older than this at ingest are set aside: retention would drop them unseen.
    max_age_ns: i64,
}

impl RecordsPipeline {
    /// Compiles every mapping and checks the analytics configuration; `None` when no source is
    /// configured (the record routes then say so).
    pub fn new(config: &RecordsConfig) -> Result<Option<Arc<RecordsPipeline>>, ConfigError> {
        RecordsPipeline::with_retention(config, i64::MAX)
    }

    /// As [`RecordsPipeline::new`], for a store that keeps data `max_age_ns`: older records are
    /// set aside as dead letters saying so, as the other ingest routes refuse them, instead of
    /// being stored for retention to drop unseen.
    pub fn with_retention(
        config: &RecordsConfig,
        max_age_ns: i64,
    ) -> Result<Option<Arc<RecordsPipeline>>, ConfigError> {
        let mappings = compile_sources(config)?;
        let rules = Analytics::new(config.analytics.clone())?;
        if mappings.is_empty() {
            return Ok(None);
        }
        Ok(Some(Arc::new(RecordsPipeline {
            mappings,
            rules,
            max_age_ns,
        })))
    }

    /// Standardises rows with a source's mapping, setting aside records older than the
    /// retention.
    fn standardise(&self, mapping: &Mapping, rows: Vec<Row>, ingest_ns: i64) -> Batch {
        self.standardise_indexed(mapping, rows, ingest_ns).0
    }

    /// As [`RecordsPipeline::standardise`], with the row index of each standardised record.
    fn standardise_indexed(
        &self,
        mapping: &Mapping,
        rows: Vec<Row>,
        ingest_ns: i64,
    ) -> (Batch, Vec<u64>) {
        let oldest = ingest_ns.saturating_sub(self.max_age_ns);
        let mut batch = Batch::default();
        let mut indices = Vec::with_capacity(rows.len());
        for row in rows {
            let index = match &row {
                Ok(raw) => raw.index,
                Err(bad) => bad.index,
            };
            let result = row.and_then(|raw| {
                let record = mapping.standardise(&raw, ingest_ns)?;
                if record.timestamp_ns >= oldest {
                    return Ok(record);
                }
                Err(RecordError {
                    index: raw.index,
                    errors: vec![FieldError {
                        field: None,
                        reason: format!(
                            "the record's time {} is older than the retention ({} days): it \
                             would be dropped; raise --retention to keep it",
                            format_rfc3339(record.timestamp_ns),
                            self.max_age_ns / 86_400_000_000_000
                        ),
                    }],
                    raw: raw.to_json(),
                })
            });
            match result {
                Ok(record) => {
                    batch.records.push(record);
                    indices.push(index);
                }
                Err(bad) => batch.rejected.push(bad),
            }
        }
        (batch, indices)
    }

    /// A source's mapping, or the error naming the sources there are.
    pub fn mapping(&self, source: &str) -> Result<&Mapping, JobError> {
        self.mappings
            .get(source)
            .ok_or_else(|| JobError::InvalidArgument {
                field: "source",
                message: format!(
                    "no records source {source:?} is configured (configured: {})",
                    self.mappings.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            })
    }

    /// The configured source names, sorted.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.mappings.keys().map(String::as_str)
    }

    /// The analytics configuration.
    pub fn analytics_config(&self) -> &AnalyticsConfig {
        self.rules.config()
    }
}

/// What one chunk of records did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkOutcome {
    /// Records standardised and stored (or stored before, for a replay).
    pub accepted: u64,
    /// Records set aside as dead letters, in input order.
    pub rejected: Vec<RecordError>,
}

/// Standardises one chunk of a source's rows and stores it: the good records as log lines in
/// one durable write (under `idempotency`, each record's key as its item id), their rule hits
/// as anomalies, the bad ones as dead letters. The one write path of every record source.
pub async fn ingest_records(
    backend: &Backend,
    tagger: Option<&PatternTagger>,
    pipeline: &RecordsPipeline,
    tenant: &str,
    source: &str,
    rows: Vec<Row>,
    idempotency: Option<IdempotencyKey>,
) -> Result<ChunkOutcome, JobError> {
    ingest_chunk(
        backend,
        tagger,
        pipeline,
        RecordChunk {
            tenant,
            source,
            rows,
            origins: BTreeMap::new(),
            idempotency,
        },
    )
    .await
}

/// A chunk of a source's rows and what names it for replays.
#[derive(Debug, Clone)]
pub struct RecordChunk<'a> {
    /// The tenant the records are stored under.
    pub tenant: &'a str,
    /// The configured source whose mapping standardises them.
    pub source: &'a str,
    /// The rows, each with its index.
    pub rows: Vec<Row>,
    /// Where rows came from, by row index, for sources that can name each row for good (a
    /// Kafka message's topic, partition and offset): a record without a key is stored under
    /// this as its item id, so reading the row again stores nothing. A keyed record is stored
    /// under its key whatever its origin, so the same record arriving by file and by Kafka is
    /// stored once.
    pub origins: BTreeMap<u64, String>,
    /// The chunk's idempotency key.
    pub idempotency: Option<IdempotencyKey>,
}

/// [`ingest_records`] for a chunk whose rows may name their origins: the write path of sources
/// that read the same rows again after a crash (Kafka).
pub async fn ingest_chunk(
    backend: &Backend,
    tagger: Option<&PatternTagger>,
    pipeline: &RecordsPipeline,
    chunk: RecordChunk<'_>,
) -> Result<ChunkOutcome, JobError> {
    let RecordChunk {
        tenant,
        source,
        rows,
        mut origins,
        idempotency,
    } = chunk;
    let mapping = pipeline.mapping(source)?;
    let ingest_ns = now_ns();
    let (batch, indices) = pipeline.standardise_indexed(mapping, rows, ingest_ns);
    let good_origins: Vec<Option<String>> =
        indices.iter().map(|index| origins.remove(index)).collect();
    let accepted = store_records(
        backend,
        tagger,
        pipeline,
        tenant,
        batch.records,
        &good_origins,
        idempotency,
        ingest_ns,
    )
    .await?;
    // What is left of `origins` names the bad rows: a letter of a named row is that row's.
    let letters: Vec<DeadLetter> = batch
        .rejected
        .iter()
        .map(|bad| {
            let origin = origins.get(&bad.index).map(String::as_str);
            dead_letter(tenant, source, bad, origin, ingest_ns)
        })
        .collect();
    backend.state.put_dead_letters(letters).await?;
    RECORD_ERRORS
        .with_label_values(&["standardisation"])
        .inc_by(batch.rejected.len() as u64);
    Ok(ChunkOutcome {
        accepted,
        rejected: batch.rejected,
    })
}

/// Stores standardised records as log lines, then raises their rule hits as anomalies. A record
/// is stored under its key as item id, else under its origin (`origins`, parallel to `records`
/// or shorter), else under none.
#[allow(clippy::too_many_arguments)]
async fn store_records(
    backend: &Backend,
    tagger: Option<&PatternTagger>,
    pipeline: &RecordsPipeline,
    tenant: &str,
    records: Vec<StandardRecord>,
    origins: &[Option<String>],
    idempotency: Option<IdempotencyKey>,
    ingest_ns: i64,
) -> Result<u64, JobError> {
    if records.is_empty() {
        return Ok(0);
    }
    let mut lines: Vec<LogRecord> = records.iter().map(|r| log_line(tenant, r)).collect();
    let item_ids: Vec<Option<String>> = records
        .iter()
        .enumerate()
        .map(
            |(at, r)| match (&r.key, origins.get(at).and_then(Option::as_ref)) {
                (Some(key), _) => Some(format!("{ITEM_ID_PREFIX}:{}:{key}", r.source)),
                (None, Some(origin)) => Some(format!("{ORIGIN_ID_PREFIX}:{}:{origin}", r.source)),
                (None, None) => None,
            },
        )
        .collect();
    let patterns = tagger
        .map(|tagger| tagger.tag(tenant, &mut lines).updates)
        .unwrap_or_default();
    let write = LogsWrite {
        tenant: tenant.to_string(),
        records: lines,
        item_ids: if item_ids.iter().any(Option::is_some) {
            item_ids
        } else {
            Vec::new()
        },
        patterns,
        idempotency,
    };
    let outcome = backend.data.write_logs(write).await?;
    let mut anomalies = Vec::new();
    for record in &records {
        let processed = pipeline.rules.process(record);
        for hit in &processed.hits {
            anomalies.push(rule_anomaly(tenant, record, hit, ingest_ns));
        }
        if !outcome.replayed {
            let group = record
                .labels
                .get(&pipeline.analytics_config().source_label)
                .cloned()
                .or_else(|| record.text(&pipeline.analytics_config().source_label))
                .unwrap_or_else(|| record.source.clone());
            RECORDS_BY_SOURCE
                .with_label_values(&[bounded_source_label(&group).as_str()])
                .inc();
        }
    }
    backend.state.put_anomalies(anomalies).await?;
    Ok(outcome.accepted)
}

/// A standardised record as the log line it is stored as.
pub fn log_line(tenant: &str, record: &StandardRecord) -> LogRecord {
    let mut context = serde_json::Map::new();
    for (name, value) in record.attributes() {
        if let Ok(json) = serde_json::to_value(value) {
            context.insert(name.clone(), json);
        }
    }
    if let Some(key) = &record.key {
        context.insert(KEY_FIELD.into(), key.clone().into());
    }
    if let Some(error) = &record.error {
        context.insert(ERROR_FIELD.into(), error.clone().into());
    }
    let mut labels = record.labels.clone();
    labels
        .entry(SERVICE_NAME_LABEL.to_string())
        .or_insert_with(|| record.source.clone());
    LogRecord {
        tenant: tenant.to_string(),
        service: record.source.clone(),
        level: record.level,
        message: record.message.clone(),
        ts_ns: record.timestamp_ns,
        context: (!context.is_empty()).then(|| serde_json::Value::Object(context).to_string()),
        trace_id: None,
        span_id: None,
        pattern_id: None,
        stream_labels: serde_json::to_string(&labels).ok(),
    }
}

/// A stored log line of a record source read back as the standardised record it was: labels
/// from its stream (without the `service_name` the store added), fields from its context
/// (numbers as integers or floats, text as text; label fields are in the labels).
pub fn record_from_line(line: &LogRecord) -> StandardRecord {
    let mut labels: BTreeMap<String, String> = line
        .stream_labels
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    if labels.get(SERVICE_NAME_LABEL) == Some(&line.service) {
        labels.remove(SERVICE_NAME_LABEL);
    }
    let mut fields = BTreeMap::new();
    let (mut key, mut error) = (None, None);
    if let Some(serde_json::Value::Object(context)) = line
        .context
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
    {
        for (name, json) in context {
            match name.as_str() {
                KEY_FIELD => key = json.as_str().map(str::to_string),
                ERROR_FIELD => error = json.as_str().map(str::to_string),
                _ => {
                    fields.insert(name, typed(json));
                }
            }
        }
    }
    for (name, value) in &labels {
        fields
            .entry(name.clone())
            .or_insert_with(|| Value::String(value.clone()));
    }
    StandardRecord {
        source: line.service.clone(),
        timestamp_ns: line.ts_ns,
        key,
        labels,
        fields,
        level: line.level,
        message: line.message.clone(),
        error,
    }
}

fn typed(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::String(s),
        other => Value::String(other.to_string()),
    }
}

/// A bad record as the dead letter it is kept as. Its id is a hash of the source, the raw input
/// and, for a row that names its origin (a Kafka message: topic, partition, offset, time), that
/// origin: so two alike messages at two offsets are two letters, and a message read again (a
/// crash before the commit) is the same letter. A row without an origin (a file's, an HTTP
/// body's) is named by its content alone, so sending a file again — under another
/// Idempotency-Key, cut into other chunks, or its rows in another order — adds no letter;
/// alike bad rows of such input are one letter, which one replay fixes.
fn dead_letter(
    tenant: &str,
    source: &str,
    bad: &RecordError,
    origin: Option<&str>,
    now: i64,
) -> DeadLetter {
    let id = match origin {
        Some(origin) => fnv1a(&[source.as_bytes(), bad.raw.as_bytes(), origin.as_bytes()]),
        None => fnv1a(&[source.as_bytes(), bad.raw.as_bytes()]),
    };
    DeadLetter {
        id: format!("{id:016x}"),
        tenant: tenant.to_string(),
        source: source.to_string(),
        index: bad.index,
        errors: bad
            .errors
            .iter()
            .map(|e| DeadLetterError {
                field: e.field.clone(),
                reason: e.reason.clone(),
            })
            .collect(),
        raw: bad.raw.clone(),
        received_ns: now,
    }
}

/// A rule hit as a TelemetryHub anomaly, with an id stable across replays of the record (its
/// key when it has one, else its time).
pub fn rule_anomaly(tenant: &str, record: &StandardRecord, hit: &RuleHit, now: i64) -> Anomaly {
    let identity = record
        .key
        .clone()
        .unwrap_or_else(|| record.timestamp_ns.to_string());
    let id = format!(
        "rule-{:016x}",
        fnv1a(&[
            tenant.as_bytes(),
            record.source.as_bytes(),
            hit.rule.as_bytes(),
            identity.as_bytes(),
        ])
    );
    let number = |value: &RuleValue| match value {
        RuleValue::Number(n) if n.is_finite() => *n,
        _ => 0.0,
    };
    let mut labels: Labels = record.labels.clone();
    labels.insert("rule".into(), hit.rule.clone());
    labels.insert("severity".into(), severity_name(hit.severity).into());
    if let Some(key) = &record.key {
        labels.insert("record_key".into(), key.clone());
    }
    let threshold = number(&hit.threshold);
    Anomaly {
        id,
        tenant: tenant.to_string(),
        service: record.source.clone(),
        metric: hit.field.clone(),
        labels,
        window_start_ns: record.timestamp_ns,
        window_end_ns: record.timestamp_ns,
        score: match hit.severity {
            Severity::Low => 0.25,
            Severity::Medium => 0.5,
            Severity::High => 0.75,
            Severity::Critical => 1.0,
        },
        threshold,
        value: number(&hit.value),
        expected_low: threshold,
        expected_high: threshold,
        detector: format!("rule:{}", hit.rule),
        model_version: "records-rules-1".into(),
        ts_ns: now,
        feedback: None,
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

/// FNV-1a over parts separated by a zero byte: stable across Rust releases (unlike
/// `DefaultHasher`), enough to name a record or a dead letter.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for (at, part) in parts.iter().enumerate() {
        if at > 0 {
            // The separator: a zero byte, so ("ab", "c") and ("a", "bc") differ.
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for byte in *part {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// What a dead-letter replay did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ReplayOutcome {
    /// Dead letters looked at.
    pub examined: u64,
    /// Dead letters that standardised this time: stored, and removed from the dead letters.
    pub stored: u64,
    /// Dead letters still bad (kept, with their new reasons).
    pub still_rejected: u64,
    /// Dead letters of sources no longer configured (kept as they are).
    pub unknown_source: u64,
}

/// Re-standardises a tenant's dead letters (of one source, or all) with the current mappings:
/// the good ones are stored as any record is and removed from the dead letters, the bad ones
/// keep their place with their new reasons. At most `limit` letters per call.
pub async fn replay_dead_letters(
    backend: &Backend,
    tagger: Option<&PatternTagger>,
    pipeline: &RecordsPipeline,
    tenant: &str,
    source: Option<&str>,
    limit: usize,
) -> Result<ReplayOutcome, JobError> {
    if let Some(source) = source {
        pipeline.mapping(source)?;
    }
    let letters = backend
        .state
        .dead_letters(&DeadLetterQuery {
            tenant: tenant.to_string(),
            source: source.map(str::to_string),
            limit,
        })
        .await?;
    let mut outcome = ReplayOutcome {
        examined: letters.len() as u64,
        ..ReplayOutcome::default()
    };
    let mut by_source: BTreeMap<String, Vec<DeadLetter>> = BTreeMap::new();
    for letter in letters {
        by_source
            .entry(letter.source.clone())
            .or_default()
            .push(letter);
    }
    let now = now_ns();
    for (source, letters) in by_source {
        let Ok(mapping) = pipeline.mapping(&source) else {
            outcome.unknown_source += letters.len() as u64;
            continue;
        };
        let max_fields = mapping.read_options().max_fields;
        // Rows take their position in this replay as index, so each result finds its letter.
        let rows: Vec<Row> = letters
            .iter()
            .enumerate()
            .map(|(at, letter)| replay_row(at as u64, &letter.raw, max_fields))
            .collect();
        let batch = pipeline.standardise(mapping, rows, now);
        let bad: HashSet<u64> = batch.rejected.iter().map(|r| r.index).collect();
        let still_bad: Vec<DeadLetter> = batch
            .rejected
            .iter()
            .filter_map(|r| {
                let letter = letters.get(usize::try_from(r.index).ok()?)?;
                Some(DeadLetter {
                    errors: dead_letter(tenant, &source, r, None, now).errors,
                    received_ns: now,
                    ..letter.clone()
                })
            })
            .collect();
        let good_ids: Vec<String> = letters
            .iter()
            .enumerate()
            .filter(|(at, _)| !bad.contains(&(*at as u64)))
            .map(|(_, letter)| letter.id.clone())
            .collect();
        store_records(
            backend,
            tagger,
            pipeline,
            tenant,
            batch.records,
            &[],
            None,
            now,
        )
        .await?;
        backend.state.remove_dead_letters(tenant, &good_ids).await?;
        outcome.stored += good_ids.len() as u64;
        outcome.still_rejected += still_bad.len() as u64;
        backend.state.put_dead_letters(still_bad).await?;
    }
    Ok(outcome)
}

/// A dead letter's raw input as a row again: a JSON object is a record; anything else (a line
/// or CSV row that could not be read) stays bad.
fn replay_row(index: u64, raw: &str, max_fields: usize) -> Row {
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(value) => RawRecord::from_json(index, value, max_fields),
        Err(e) => Err(RecordError {
            index,
            errors: vec![FieldError {
                field: None,
                reason: format!("the raw input is not a JSON record: {e}"),
            }],
            raw: raw.to_string(),
        }),
    }
}

/// Which stored records the analytics reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsQuery {
    /// Only this tenant's records.
    pub tenant: String,
    /// Records at or after this time, ns.
    pub since_ns: i64,
    /// Records before this time, ns.
    pub until_ns: i64,
    /// At most this many records, the newest.
    pub max_records: usize,
}

/// The analytics of a range of stored records.
#[derive(Debug, Clone)]
pub struct RecordAnalytics {
    /// The accumulator, fed oldest record first.
    pub analytics: Analytics,
    /// Records read.
    pub records: u64,
    /// Whether the range held more records than `max_records` (only the newest were counted).
    pub truncated: bool,
}

/// The original pipeline's analytics over a tenant's stored records of every configured
/// source in a time range: the newest `max_records` lines read back through the query layer
/// and folded, oldest first, through [`Analytics`].
pub async fn record_analytics(
    backend: &Backend,
    pipeline: &RecordsPipeline,
    query: &AnalyticsQuery,
) -> Result<RecordAnalytics, JobError> {
    if query.since_ns >= query.until_ns {
        return Err(JobError::InvalidArgument {
            field: "since",
            message: "since must be before until".into(),
        });
    }
    let mut lines = Vec::new();
    for source in pipeline.sources() {
        lines.extend(
            backend
                .query
                .logs(&LogQuery {
                    tenant: query.tenant.clone(),
                    service: Some(source.to_string()),
                    level: None,
                    since_ns: query.since_ns,
                    until_ns: query.until_ns,
                    contains: None,
                    pattern_ids: None,
                    trace_id: None,
                    limit: query.max_records.saturating_add(1),
                })
                .await?,
        );
    }
    lines.sort_by_key(|line| std::cmp::Reverse(line.ts_ns));
    let truncated = lines.len() > query.max_records;
    lines.truncate(query.max_records);
    let mut analytics = Analytics::new(pipeline.analytics_config().clone())
        .map_err(|e| JobError::Encoding(e.to_string()))?;
    for line in lines.iter().rev() {
        analytics.add(&record_from_line(line));
    }
    Ok(RecordAnalytics {
        analytics,
        records: lines.len() as u64,
        truncated,
    })
}

#[cfg(test)]
mod tests;
