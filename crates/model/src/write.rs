//! Write requests: everything one ingest request asks the store to keep, per signal, in the form
//! storage takes it in one step — one WAL record, one idempotency key covering all of it.
//!
//! Receivers build them (without the key), the server adds the request's `Idempotency-Key`, and
//! storage stores each atomically. Carrying the exemplars and metadata that arrive beside
//! metric samples in the same request is what lets storage log them in one record, instead of
//! the handler deciding an order of several writes, each with its own fsync.

use crate::{Exemplar, LogRecord, MetricMetadata, PatternTemplate, SeriesBatch, Span};

/// An `Idempotency-Key` with a fingerprint of the request it was first used with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdempotencyKey {
    /// The key as sent by the client.
    pub key: String,
    /// A hash of the request body; the same key with another body is a conflict.
    pub fingerprint: u64,
}

/// One request's metrics: samples grouped by series, with the exemplars and metric metadata
/// that arrived beside them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricsWrite {
    /// The samples; the batch's tenant is the request's.
    pub series: SeriesBatch,
    /// Per-sample idempotency ids (the native API's `id` field), parallel to the samples, or
    /// empty when no sample carries one.
    pub item_ids: Vec<Option<String>>,
    /// Exemplars (samples annotated with a trace).
    pub exemplars: Vec<Exemplar>,
    /// What metric families are; replaces earlier entries of the same tenant and metric.
    pub metadata: Vec<MetricMetadata>,
    /// The request's idempotency key.
    pub idempotency: Option<IdempotencyKey>,
}

impl MetricsWrite {
    /// A request of these samples and nothing else.
    pub fn of(series: SeriesBatch) -> MetricsWrite {
        MetricsWrite {
            series,
            ..MetricsWrite::default()
        }
    }

    /// Whether the request is well formed: a well-formed batch, item ids absent or one per
    /// sample, and every exemplar and metadata entry of the batch's tenant. Storage refuses
    /// others before logging anything.
    pub fn check(&self) -> Result<(), String> {
        self.series.check()?;
        if !self.item_ids.is_empty() && self.item_ids.len() != self.series.len() {
            return Err("item ids must be absent or one per sample".into());
        }
        let tenant = self.series.tenant.as_str();
        if self.exemplars.iter().any(|e| e.tenant != tenant)
            || self.metadata.iter().any(|m| m.tenant != tenant)
        {
            return Err("exemplars and metadata must be of the request's tenant".into());
        }
        Ok(())
    }
}

/// One request's log records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogsWrite {
    /// The tenant that owns the records.
    pub tenant: String,
    /// The records, in request order.
    pub records: Vec<LogRecord>,
    /// Per-record idempotency ids (the native API's `id` field), parallel to `records`, or
    /// empty when no record carries one.
    pub item_ids: Vec<Option<String>>,
    /// Log patterns the records created or changed (set by the pattern tagger), stored with
    /// them atomically.
    pub patterns: Vec<PatternTemplate>,
    /// The request's idempotency key.
    pub idempotency: Option<IdempotencyKey>,
}

impl LogsWrite {
    /// An empty request of `tenant`.
    pub fn new(tenant: &str) -> LogsWrite {
        LogsWrite {
            tenant: tenant.to_string(),
            ..LogsWrite::default()
        }
    }

    /// Whether the request is well formed: item ids absent or one per record.
    pub fn check(&self) -> Result<(), String> {
        if !self.item_ids.is_empty() && self.item_ids.len() != self.records.len() {
            return Err("item ids must be absent or one per record".into());
        }
        Ok(())
    }
}

/// One request's spans (a span is identified by its trace and span id already, so spans carry
/// no item ids).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpansWrite {
    /// The tenant that owns the spans.
    pub tenant: String,
    /// The spans.
    pub spans: Vec<Span>,
    /// The request's idempotency key.
    pub idempotency: Option<IdempotencyKey>,
}
