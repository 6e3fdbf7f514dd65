//! The catalog and small mutable state, in an embedded ACID store (redb).
//!
//! The catalog is the only truth about which Parquet parts exist: a part file that the catalog
//! does not list is an orphan from an interrupted flush or compaction and is never read.

use std::collections::HashSet;
use std::path::Path;
use std::sync::RwLock;

use redb::{
    Database, Durability, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition,
};
use serde::{Deserialize, Serialize};
use telemetryhub_model::{
    Anomaly, AnomalyQuery, MetricMetadata, PatternFeedback, PatternSummary, PatternTemplate,
};

use crate::schema::Table;
use crate::{Result, StorageError};

mod dead_letters;

const PARTS: TableDefinition<&str, &[u8]> = TableDefinition::new("parts");
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency_keys");
const ITEM_IDS: TableDefinition<&str, i64> = TableDefinition::new("item_ids");
const ANOMALIES: TableDefinition<&str, &[u8]> = TableDefinition::new("anomalies");
const PATTERNS: TableDefinition<&str, &[u8]> = TableDefinition::new("log_patterns");
const PATTERN_FEEDBACK: TableDefinition<&str, &[u8]> = TableDefinition::new("log_pattern_feedback");
const PATTERN_SUMMARIES: TableDefinition<&str, &[u8]> =
    TableDefinition::new("log_pattern_summaries");
const SERIES_THRESHOLDS: TableDefinition<&str, f64> = TableDefinition::new("series_thresholds");
const JOB_STATE: TableDefinition<&str, &[u8]> = TableDefinition::new("job_state");
const METRIC_METADATA: TableDefinition<&str, &[u8]> = TableDefinition::new("metric_metadata");

const FLUSHED_THROUGH: &str = "wal_flushed_through_segment";

/// One Parquet part as recorded in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PartMeta {
    pub table: String,
    /// Days since the Unix epoch (UTC) of every row in the part.
    pub day: i64,
    /// Path relative to the data directory.
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    pub min_ts: i64,
    pub max_ts: i64,
    /// How the file stores its rows: 1 in the table's schema; 2 for metrics with values as
    /// decimal mantissa and scale (`value_codec`). Parts written before formats existed are 1.
    #[serde(default = "first_format")]
    pub format: u32,
    /// How recent the part's rows are, for choosing among samples of one series and timestamp
    /// (the later write wins): a flushed part's is the WAL segment it was flushed through, a
    /// compacted part's the largest of its inputs'. Every part added later holds later writes,
    /// so it has a larger one. 0 when not recorded; see [`PartMeta::write_seq`].
    #[serde(default)]
    pub seq: u64,
    /// Whether a series index (`series_index.rs`: each series' rows and times) was written
    /// beside the part. Parts recorded before the index existed have none and are read whole.
    #[serde(default)]
    pub series_index: bool,
    /// Whether a line index (`log_index.rs`: each block of rows' times, streams and trigram
    /// bloom) was written beside the part (logs). Parts recorded before it existed have none and
    /// are read whole.
    #[serde(default)]
    pub line_index: bool,
    /// Whether this metrics part's samples are in the hourly rollups (`rollups.rs`): parts
    /// flushed with rollups on, and parts compacted only of such parts. Parts recorded before
    /// rollups existed have none.
    #[serde(default)]
    pub rollups: bool,
}

/// The format of parts written before the field existed.
fn first_format() -> u32 {
    1
}

/// The format new metrics parts are written in.
pub(crate) const ENCODED_VALUES_FORMAT: u32 = 2;

impl PartMeta {
    pub(crate) fn table(&self) -> Option<Table> {
        Table::from_name(&self.table)
    }

    /// Whether this is a part of `table` that may hold rows with `since <= ts < until`.
    pub(crate) fn may_hold(&self, table: Table, since: i64, until: i64) -> bool {
        self.table() == Some(table) && self.max_ts >= since && self.min_ts < until
    }

    /// [`PartMeta::seq`], or for a part recorded before the field existed the WAL segment in a
    /// flushed part's name (`<table>-<segment>.parquet`); 0 for an older compacted part, whose
    /// rows are older than those of every flushed part of its day that it did not merge.
    pub(crate) fn write_seq(&self) -> u64 {
        if self.seq != 0 {
            return self.seq;
        }
        let file = self.path.rsplit('/').next().unwrap_or("");
        file.strip_suffix(".parquet")
            .and_then(|stem| stem.strip_prefix(&format!("{}-", self.table)))
            .and_then(|segment| segment.parse().ok())
            .unwrap_or(0)
    }
}

/// A stored idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredKey {
    pub fingerprint: u64,
    pub accepted: u64,
    pub created_ns: i64,
}

pub(crate) struct Catalog {
    db: Database,
    /// The parts, cached so that queries do not open a transaction.
    parts: RwLock<Vec<PartMeta>>,
}

fn key2(a: &str, b: &str) -> String {
    format!("{a}\u{0}{b}")
}

impl Catalog {
    pub(crate) fn open(path: &Path) -> Result<Catalog> {
        let db = Database::create(path)?;
        let write = db.begin_write()?;
        {
            write.open_table(PARTS)?;
            write.open_table(META)?;
            write.open_table(IDEMPOTENCY)?;
            write.open_table(ITEM_IDS)?;
            write.open_table(ANOMALIES)?;
            write.open_table(PATTERNS)?;
            write.open_table(PATTERN_FEEDBACK)?;
            write.open_table(PATTERN_SUMMARIES)?;
            write.open_table(SERIES_THRESHOLDS)?;
            write.open_table(JOB_STATE)?;
            write.open_table(METRIC_METADATA)?;
        }
        dead_letters::open_tables(&write)?;
        write.commit()?;
        let mut parts = Vec::new();
        {
            let read = db.begin_read()?;
            let table = read.open_table(PARTS)?;
            for entry in table.iter()? {
                let (_, value) = entry?;
                let meta: PartMeta = serde_json::from_slice(value.value())
                    .map_err(|e| StorageError::Catalog(format!("bad part entry: {e}")))?;
                parts.push(meta);
            }
        }
        Ok(Catalog {
            db,
            parts: RwLock::new(parts),
        })
    }

    pub(crate) fn parts(&self) -> Vec<PartMeta> {
        self.parts.read().map(|p| p.clone()).unwrap_or_default()
    }

    pub(crate) fn flushed_through(&self) -> Result<Option<u64>> {
        let read = self.db.begin_read()?;
        let meta = read.open_table(META)?;
        Ok(meta.get(FLUSHED_THROUGH)?.map(|v| v.value()))
    }

    /// Atomically adds `added`, removes `removed`, and (if given) records that WAL segments up to
    /// `flushed_through` are in parts. Durable when it returns.
    pub(crate) fn commit_parts(
        &self,
        added: &[PartMeta],
        removed: &[String],
        flushed_through: Option<u64>,
    ) -> Result<()> {
        let write = self.db.begin_write()?;
        {
            let mut parts = write.open_table(PARTS)?;
            for part in added {
                let json =
                    serde_json::to_vec(part).map_err(|e| StorageError::Catalog(e.to_string()))?;
                parts.insert(part.path.as_str(), json.as_slice())?;
            }
            for path in removed {
                parts.remove(path.as_str())?;
            }
            if let Some(segment) = flushed_through {
                write.open_table(META)?.insert(FLUSHED_THROUGH, segment)?;
            }
        }
        write.commit()?;
        if let Ok(mut cached) = self.parts.write() {
            cached.retain(|p| !removed.contains(&p.path));
            cached.extend(added.iter().cloned());
        }
        Ok(())
    }

    pub(crate) fn idempotency_key(&self, tenant: &str, key: &str) -> Result<Option<StoredKey>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(IDEMPOTENCY)?;
        let found = table.get(key2(tenant, key).as_str())?;
        Ok(found.and_then(|v| serde_json::from_slice(v.value()).ok()))
    }

    /// Records idempotency keys and item ids of an acknowledged write. Not fsynced on its own:
    /// the WAL record carries the same facts and replay restores them, and the next flush's
    /// durable commit persists them before that WAL segment is deleted.
    pub(crate) fn record_write(
        &self,
        tenant: &str,
        table_name: &str,
        key: Option<(&str, StoredKey)>,
        item_ids: &[String],
    ) -> Result<()> {
        if key.is_none() && item_ids.is_empty() {
            return Ok(());
        }
        let mut write = self.db.begin_write()?;
        write.set_durability(Durability::None)?;
        {
            if let Some((key, stored)) = key {
                let json = serde_json::to_vec(&stored)
                    .map_err(|e| StorageError::Catalog(e.to_string()))?;
                write
                    .open_table(IDEMPOTENCY)?
                    .insert(key2(tenant, key).as_str(), json.as_slice())?;
            }
            if !item_ids.is_empty() {
                let mut ids = write.open_table(ITEM_IDS)?;
                let now = telemetryhub_model::now_ns();
                for id in item_ids {
                    ids.insert(key2(&key2(tenant, table_name), id).as_str(), now)?;
                }
            }
        }
        write.commit()?;
        Ok(())
    }

    pub(crate) fn seen_item_ids(
        &self,
        tenant: &str,
        table_name: &str,
        ids: &[&str],
    ) -> Result<HashSet<String>> {
        let mut seen = HashSet::new();
        if ids.is_empty() {
            return Ok(seen);
        }
        let read = self.db.begin_read()?;
        let table = read.open_table(ITEM_IDS)?;
        for id in ids {
            if table
                .get(key2(&key2(tenant, table_name), id).as_str())?
                .is_some()
            {
                seen.insert((*id).to_string());
            }
        }
        Ok(seen)
    }

    /// Forgets idempotency keys and item ids recorded before `before_ns`.
    pub(crate) fn prune_keys(&self, before_ns: i64) -> Result<u64> {
        let write = self.db.begin_write()?;
        let mut pruned = 0;
        {
            let mut keys = write.open_table(IDEMPOTENCY)?;
            let before = keys.len()?;
            keys.retain(|_, v| {
                serde_json::from_slice::<StoredKey>(v).is_ok_and(|k| k.created_ns >= before_ns)
            })?;
            pruned += before - keys.len()?;
            let mut ids = write.open_table(ITEM_IDS)?;
            let before = ids.len()?;
            ids.retain(|_, created| created >= before_ns)?;
            pruned += before - ids.len()?;
        }
        write.commit()?;
        Ok(pruned)
    }

    /// Stores pattern states, keeping for each pattern the one with the higher version.
    /// `durable` decides whether the commit is fsynced on its own (see `record_write`).
    pub(crate) fn put_patterns(&self, patterns: &[PatternTemplate], durable: bool) -> Result<()> {
        if patterns.is_empty() {
            return Ok(());
        }
        let mut write = self.db.begin_write()?;
        if !durable {
            write.set_durability(Durability::None)?;
        }
        {
            let mut table = write.open_table(PATTERNS)?;
            for pattern in patterns {
                let key = format!("{}\u{0}{:020}", pattern.tenant, pattern.id);
                let newer = match table.get(key.as_str())? {
                    Some(stored) => serde_json::from_slice::<PatternTemplate>(stored.value())
                        .map_or(true, |s| s.version < pattern.version),
                    None => true,
                };
                if newer {
                    let json = serde_json::to_vec(pattern)
                        .map_err(|e| StorageError::Catalog(e.to_string()))?;
                    table.insert(key.as_str(), json.as_slice())?;
                }
            }
        }
        write.commit()?;
        Ok(())
    }

    pub(crate) fn patterns(&self) -> Result<Vec<PatternTemplate>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(PATTERNS)?;
        let mut found = Vec::new();
        for entry in table.iter()? {
            let (_, value) = entry?;
            if let Ok(pattern) = serde_json::from_slice::<PatternTemplate>(value.value()) {
                found.push(pattern);
            }
        }
        Ok(found)
    }

    pub(crate) fn put_pattern_feedback(
        &self,
        tenant: &str,
        id: u64,
        feedback: &PatternFeedback,
    ) -> Result<()> {
        let write = self.db.begin_write()?;
        {
            let json =
                serde_json::to_vec(feedback).map_err(|e| StorageError::Catalog(e.to_string()))?;
            write
                .open_table(PATTERN_FEEDBACK)?
                .insert(format!("{tenant}\u{0}{id:020}").as_str(), json.as_slice())?;
        }
        write.commit()?;
        Ok(())
    }

    pub(crate) fn pattern_feedback(&self, tenant: &str) -> Result<Vec<(u64, PatternFeedback)>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(PATTERN_FEEDBACK)?;
        let prefix = format!("{tenant}\u{0}");
        let mut found = Vec::new();
        for entry in table.range(prefix.as_str()..)? {
            let (key, value) = entry?;
            let Some(id) = key
                .value()
                .strip_prefix(prefix.as_str())
                .and_then(|id| id.parse::<u64>().ok())
            else {
                break;
            };
            if let Ok(feedback) = serde_json::from_slice(value.value()) {
                found.push((id, feedback));
            }
        }
        Ok(found)
    }

    pub(crate) fn put_pattern_summaries(&self, summaries: &[PatternSummary]) -> Result<()> {
        let write = self.db.begin_write()?;
        {
            let mut table = write.open_table(PATTERN_SUMMARIES)?;
            for summary in summaries {
                let json = serde_json::to_vec(summary)
                    .map_err(|e| StorageError::Catalog(e.to_string()))?;
                let key = format!("{}\u{0}{:020}", summary.tenant, summary.pattern_id);
                table.insert(key.as_str(), json.as_slice())?;
            }
        }
        write.commit()?;
        Ok(())
    }

    pub(crate) fn pattern_summaries(&self, tenant: &str) -> Result<Vec<PatternSummary>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(PATTERN_SUMMARIES)?;
        let prefix = format!("{tenant}\u{0}");
        let mut found = Vec::new();
        for entry in table.range(prefix.as_str()..)? {
            let (key, value) = entry?;
            if !key.value().starts_with(prefix.as_str()) {
                break;
            }
            if let Ok(summary) = serde_json::from_slice(value.value()) {
                found.push(summary);
            }
        }
        Ok(found)
    }

    pub(crate) fn anomaly(&self, tenant: &str, id: &str) -> Result<Option<Anomaly>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(ANOMALIES)?;
        let found = table.get(id)?;
        Ok(found
            .and_then(|v| serde_json::from_slice::<Anomaly>(v.value()).ok())
            .filter(|a| a.tenant == tenant))
    }

    pub(crate) fn put_series_threshold(&self, series: &str, threshold: f64) -> Result<()> {
        let write = self.db.begin_write()?;
        write
            .open_table(SERIES_THRESHOLDS)?
            .insert(series, threshold)?;
        write.commit()?;
        Ok(())
    }

    pub(crate) fn series_thresholds(&self) -> Result<Vec<(String, f64)>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(SERIES_THRESHOLDS)?;
        let mut found = Vec::new();
        for entry in table.iter()? {
            let (key, value) = entry?;
            found.push((key.value().to_string(), value.value()));
        }
        Ok(found)
    }

    /// Stores metric metadata, replacing earlier entries of the same tenant and metric; entries
    /// equal to the stored ones cost no write (senders repeat metadata every minute). `durable`
    /// as for `put_patterns`.
    pub(crate) fn put_metric_metadata(
        &self,
        entries: &[MetricMetadata],
        durable: bool,
    ) -> Result<()> {
        if entries.is_empty() {
            // Most writes carry none; a read transaction per write is not free.
            return Ok(());
        }
        let key = |m: &MetricMetadata| format!("{}\u{0}{}", m.tenant, m.metric);
        let changed: Vec<&MetricMetadata> = {
            let read = self.db.begin_read()?;
            let table = read.open_table(METRIC_METADATA)?;
            let mut changed = Vec::new();
            for entry in entries {
                let stored = table
                    .get(key(entry).as_str())?
                    .and_then(|v| serde_json::from_slice::<MetricMetadata>(v.value()).ok());
                if stored.as_ref() != Some(entry) {
                    changed.push(entry);
                }
            }
            changed
        };
        if changed.is_empty() {
            return Ok(());
        }
        let mut write = self.db.begin_write()?;
        if !durable {
            write.set_durability(Durability::None)?;
        }
        {
            let mut table = write.open_table(METRIC_METADATA)?;
            for entry in changed {
                let json =
                    serde_json::to_vec(entry).map_err(|e| StorageError::Catalog(e.to_string()))?;
                table.insert(key(entry).as_str(), json.as_slice())?;
            }
        }
        write.commit()?;
        Ok(())
    }

    /// A tenant's metric metadata, by metric name; one metric's only when `metric` is given.
    pub(crate) fn metric_metadata(
        &self,
        tenant: &str,
        metric: Option<&str>,
    ) -> Result<Vec<MetricMetadata>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(METRIC_METADATA)?;
        let prefix = format!("{tenant}\u{0}{}", metric.unwrap_or(""));
        let mut found = Vec::new();
        for entry in table.range(prefix.as_str()..)? {
            let (key, value) = entry?;
            if !key.value().starts_with(prefix.as_str()) {
                break;
            }
            if let Ok(metadata) = serde_json::from_slice::<MetricMetadata>(value.value())
                && metric.is_none_or(|m| m == metadata.metric)
            {
                found.push(metadata);
            }
        }
        Ok(found)
    }

    pub(crate) fn put_job_state(&self, job: &str, state: &[u8]) -> Result<()> {
        let write = self.db.begin_write()?;
        write.open_table(JOB_STATE)?.insert(job, state)?;
        write.commit()?;
        Ok(())
    }

    pub(crate) fn job_state(&self, job: &str) -> Result<Option<Vec<u8>>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(JOB_STATE)?;
        Ok(table.get(job)?.map(|v| v.value().to_vec()))
    }

    pub(crate) fn put_anomalies(&self, anomalies: &[Anomaly]) -> Result<()> {
        let write = self.db.begin_write()?;
        {
            let mut table = write.open_table(ANOMALIES)?;
            for anomaly in anomalies {
                let json = serde_json::to_vec(anomaly)
                    .map_err(|e| StorageError::Catalog(e.to_string()))?;
                table.insert(anomaly.id.as_str(), json.as_slice())?;
            }
        }
        write.commit()?;
        Ok(())
    }

    pub(crate) fn query_anomalies(&self, query: &AnomalyQuery) -> Result<Vec<Anomaly>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(ANOMALIES)?;
        let mut found = Vec::new();
        for entry in table.iter()? {
            let (_, value) = entry?;
            let Ok(anomaly) = serde_json::from_slice::<Anomaly>(value.value()) else {
                continue;
            };
            let matches = anomaly.tenant == query.tenant
                && query.service.as_ref().is_none_or(|s| *s == anomaly.service)
                && query.metric.as_ref().is_none_or(|m| *m == anomaly.metric)
                && anomaly.window_end_ns >= query.since_ns
                && anomaly.window_start_ns < query.until_ns
                && anomaly.score >= query.min_score;
            if matches {
                found.push(anomaly);
            }
        }
        found.sort_by(|a, b| {
            b.window_start_ns
                .cmp(&a.window_start_ns)
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(query.limit);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts recorded before `seq` existed load with 0 and take their write order from a
    /// flushed part's name; an old compacted part ranks below every flushed part.
    #[test]
    fn parts_recorded_without_a_sequence_number_are_ranked_by_name() {
        let old = |path: &str| -> PartMeta {
            let json = format!(
                r#"{{"table":"metrics","day":1,"path":"{path}","rows":1,"bytes":1,"min_ts":0,"max_ts":0,"format":2}}"#
            );
            serde_json::from_str(&json).unwrap()
        };
        let flushed = old("parts/metrics/date=1970-01-02/metrics-00000000000000000042.parquet");
        assert_eq!((flushed.seq, flushed.write_seq()), (0, 42));
        let compacted = old("parts/metrics/date=1970-01-02/metrics-compacted-17.parquet");
        assert_eq!(compacted.write_seq(), 0);
        assert!(!flushed.series_index, "old parts have no series index");
        let recorded = PartMeta { seq: 7, ..flushed };
        assert_eq!(recorded.write_seq(), 7);
    }
}
