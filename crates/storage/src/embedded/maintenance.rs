//! Maintenance: compaction of a day's parts, retention (whole day partitions past the retention
//! window are dropped), and the delayed deletion of replaced part files.
//!
//! Compaction is tiered: a day's parts, in write order, are merged a newest run of similar size
//! at a time (see [`select_compaction`]), so each sample is rewritten about log₄ of the day's size
//! times rather than at every flush, and one compaction's memory is bounded by
//! `compaction_max_input_bytes` — a day of a million scraped series cannot be read into memory
//! at once.

use super::*;

impl Inner {
    pub(super) async fn maintain(&self) {
        let started = Instant::now();
        if let Err(e) = self.compact().await {
            tracing::error!(error = %e, "compaction failed");
        }
        JOB_SECONDS
            .with_label_values(&["compaction"])
            .observe(started.elapsed().as_secs_f64());
        let started = Instant::now();
        if let Err(e) = self.apply_retention() {
            tracing::error!(error = %e, "retention failed");
        }
        JOB_SECONDS
            .with_label_values(&["retention"])
            .observe(started.elapsed().as_secs_f64());
        let before = now_ns() - self.config.idempotency_ttl.as_nanos() as i64;
        match self.catalog.prune_keys(before) {
            Ok(0) => {}
            Ok(pruned) => tracing::debug!(pruned, "forgot expired idempotency keys"),
            Err(e) => tracing::error!(error = %e, "pruning idempotency keys failed"),
        }
    }

    /// Merges, in each day partition, the newest run of parts that [`select_compaction`]
    /// picks. Runs beside flushes: a flush only adds parts, compaction replaces only the parts it
    /// read, and each catalog commit is atomic. Only maintenance calls it, so retention never
    /// races it.
    async fn compact(&self) -> Result<()> {
        let mut groups: BTreeMap<(String, i64), Vec<PartMeta>> = BTreeMap::new();
        for part in self.catalog.parts() {
            groups
                .entry((part.table.clone(), part.day))
                .or_default()
                .push(part);
        }
        for ((table_name, day), mut parts) in groups {
            let Some(table) = Table::from_name(&table_name) else {
                continue;
            };
            // Write order: of metric rows with one series and timestamp, the merge keeps the
            // last, the newest part's.
            parts.sort_by(|a, b| (a.write_seq(), &a.path).cmp(&(b.write_seq(), &b.path)));
            let Some(run) = select_compaction(
                &parts,
                self.config.compaction_min_parts.max(2),
                self.config.compaction_max_input_bytes,
            ) else {
                continue;
            };
            let inputs = &parts[run];
            let seq = inputs.iter().map(PartMeta::write_seq).max().unwrap_or(0);
            // A merged metrics part is in the rollups only if every input was.
            let rollups = inputs.iter().all(|p| p.rollups);
            let paths: Vec<PathBuf> = inputs.iter().map(|p| self.part_path(p)).collect();
            let data_dir = self.config.data_dir.clone();
            let name = format!("{}-compacted-{}", table.name(), now_ns());
            let outputs = tokio::task::spawn_blocking(move || -> Result<Vec<PartMeta>> {
                let mut batches = Vec::new();
                for path in &paths {
                    batches.extend(read_part_for_compaction(path, table)?);
                }
                if table == Table::MetricsHourly {
                    // One row per series and hour on disk too, so reads merge less.
                    batches = crate::rollups::merge_hours(&batches)?.into_iter().collect();
                }
                write_parts(&data_dir, table, &batches, &name)
            })
            .await
            .map_err(|e| StorageError::Encoding(format!("compaction task failed: {e}")))??;
            let outputs: Vec<PartMeta> = outputs
                .into_iter()
                .map(|part| PartMeta {
                    seq,
                    rollups,
                    ..part
                })
                .collect();
            let removed: Vec<String> = inputs.iter().map(|p| p.path.clone()).collect();
            self.catalog.commit_parts(&outputs, &removed, None)?;
            COMPACTIONS.inc();
            tracing::info!(
                table = table.name(),
                day,
                inputs = inputs.len(),
                "compacted a day partition"
            );
            self.delete_later(removed);
        }
        self.publish_part_metrics();
        Ok(())
    }

    /// Deletes replaced part files after a grace period, so queries that listed them before the
    /// catalog changed can finish reading. A crash before then leaves orphans that the next
    /// start removes.
    fn delete_later(&self, paths: Vec<String>) {
        let data_dir = self.config.data_dir.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            for path in paths {
                delete_part(&data_dir, &path);
            }
        });
    }

    fn apply_retention(&self) -> Result<()> {
        let now = now_ns();
        // Rollups have their own retention: raw samples expiring leaves their rollups.
        let cutoff = |part: &PartMeta| match part.table() {
            Some(Table::MetricsHourly) => now.saturating_sub(self.config.rollup_retention_ns),
            _ => now.saturating_sub(self.config.retention_ns),
        };
        let expired: Vec<PartMeta> = self
            .catalog
            .parts()
            .into_iter()
            .filter(|p| day_start(p.day + 1) <= cutoff(p))
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        let removed: Vec<String> = expired.iter().map(|p| p.path.clone()).collect();
        self.catalog.commit_parts(&[], &removed, None)?;
        let days: HashSet<(String, i64)> =
            expired.iter().map(|p| (p.table.clone(), p.day)).collect();
        RETENTION_DROPS.inc_by(days.len() as u64);
        tracing::info!(
            partitions = days.len(),
            parts = removed.len(),
            "dropped day partitions past retention"
        );
        self.delete_later(removed);
        self.publish_part_metrics();
        Ok(())
    }
}

/// Parts below this size share the lowest tier; each tier above holds parts four times larger.
const TIER_BASE_BYTES: u64 = 1 << 20;

/// A part's size tier: 0 below [`TIER_BASE_BYTES`], then one more per factor of four.
fn tier(bytes: u64) -> u32 {
    (bytes / TIER_BASE_BYTES)
        .checked_ilog(4)
        .map_or(0, |t| t + 1)
}

/// Which of a day's parts (sorted in write order) to merge now, if any: the newest run of parts
/// in a tier or below that holds at least `min_parts` parts of that tier (the lowest such tier),
/// trimmed from its oldest end to at most `max_input_bytes`. Only a newest run
/// keeps write order: the merged part takes the newest input's place, and no unmerged part of
/// the day is newer than an input. A run never starts beside an unmerged part of the same write
/// sequence (their order would be lost), and parts larger than `max_input_bytes` stay as they
/// are.
pub(super) fn select_compaction(
    parts: &[PartMeta],
    min_parts: usize,
    max_input_bytes: u64,
) -> Option<std::ops::Range<usize>> {
    let top_tier = parts.iter().map(|p| tier(p.bytes)).max()?;
    for level in 0..=top_tier {
        let run_len = parts
            .iter()
            .rev()
            .take_while(|p| tier(p.bytes) <= level && p.bytes <= max_input_bytes)
            .count();
        // The run must hold `min_parts` parts of this very tier: merging one big part with a
        // few small ones at every round would rewrite the big one over and over.
        let of_level = parts[parts.len() - run_len..]
            .iter()
            .filter(|p| tier(p.bytes) == level)
            .count();
        if of_level < min_parts {
            continue;
        }
        let end = parts.len();
        let mut start = end - run_len;
        let mut total: u64 = parts[start..end].iter().map(|p| p.bytes).sum();
        while total > max_input_bytes && end - start > 2 {
            total -= parts[start].bytes;
            start += 1;
        }
        while start > 0 && start < end && parts[start - 1].write_seq() == parts[start].write_seq() {
            start += 1;
        }
        // Trimming to the byte limit must leave a run of this tier, not a few small parts
        // beside one big one (which would be rewritten at every round).
        let of_level = parts[start..end]
            .iter()
            .filter(|p| tier(p.bytes) == level)
            .count();
        if total > max_input_bytes || end - start < 2 || of_level < min_parts {
            continue;
        }
        return Some(start..end);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(seq: u64, bytes: u64) -> PartMeta {
        PartMeta {
            table: "metrics".into(),
            day: 20_000,
            path: format!("metrics/date=20000/metrics-{seq}.parquet"),
            rows: bytes / 2,
            bytes,
            min_ts: 0,
            max_ts: 0,
            format: 2,
            seq,
            series_index: true,
            line_index: false,
            rollups: true,
        }
    }

    const MIB: u64 = 1 << 20;

    #[test]
    fn merges_the_newest_run_of_small_parts() {
        let parts: Vec<PartMeta> = (1..=5).map(|seq| part(seq, MIB / 2)).collect();
        assert_eq!(select_compaction(&parts, 4, 128 * MIB), Some(0..5));
        assert_eq!(select_compaction(&parts[..3], 4, 128 * MIB), None);
    }

    #[test]
    fn big_older_parts_stay_until_enough_of_their_tier_gather() {
        // A 20 MiB part (tier 3), two of 3 MiB (tier 2), then four small ones: only the small
        // ones merge.
        let mut parts = vec![part(1, 20 * MIB), part(2, 3 * MIB), part(3, 3 * MIB)];
        parts.extend((4..=7).map(|seq| part(seq, MIB / 4)));
        assert_eq!(select_compaction(&parts, 4, 128 * MIB), Some(3..7));
        // Once four parts of tier 2 or below end the list, they merge (not the tier-3 one).
        let parts = vec![
            part(1, 20 * MIB),
            part(2, 3 * MIB),
            part(3, 3 * MIB),
            part(4, 2 * MIB),
            part(5, 3 * MIB),
        ];
        assert_eq!(select_compaction(&parts, 4, 128 * MIB), Some(1..5));
    }

    #[test]
    fn one_compaction_reads_at_most_the_byte_limit() {
        let parts: Vec<PartMeta> = (1..=6).map(|seq| part(seq, 30 * MIB)).collect();
        // 6 x 30 MiB is over 128 MiB: the oldest are left out, the newest four merge.
        assert_eq!(select_compaction(&parts, 4, 128 * MIB), Some(2..6));
        // Parts over the limit are never inputs.
        let huge: Vec<PartMeta> = (1..=6).map(|seq| part(seq, 200 * MIB)).collect();
        assert_eq!(select_compaction(&huge, 4, 128 * MIB), None);
    }

    #[test]
    fn a_run_never_splits_parts_of_one_write_sequence() {
        let mut parts: Vec<PartMeta> = (1..=5).map(|seq| part(seq, MIB / 2)).collect();
        parts.insert(0, part(1, 200 * MIB));
        parts[0].path = "metrics/date=20000/metrics-0-big.parquet".into();
        // The big part shares seq 1 with the run's oldest part: that one is left out too.
        assert_eq!(select_compaction(&parts, 4, 128 * MIB), Some(2..6));
        // Without a fifth small part, what is left is too short a run.
        assert_eq!(select_compaction(&parts[..5], 4, 128 * MIB), None);
    }

    #[test]
    fn repeated_compaction_rewrites_each_byte_a_logarithmic_number_of_times() {
        // Simulate a day of equal flushes with compaction after each: the bytes rewritten stay
        // within a small multiple of the bytes flushed, and the parts stay few.
        let mut parts: Vec<PartMeta> = Vec::new();
        let (mut rewritten, flush) = (0u64, MIB / 2);
        for seq in 1..=2_000u64 {
            parts.push(part(seq, flush));
            while let Some(run) = select_compaction(&parts, 4, 128 * MIB) {
                let merged: u64 = parts[run.clone()].iter().map(|p| p.bytes).sum();
                rewritten += merged;
                let newest = parts[run.end - 1].seq;
                parts.splice(run, [part(newest, merged)]);
            }
        }
        let flushed = 2_000 * flush;
        assert!(rewritten < 8 * flushed, "rewrote {rewritten} for {flushed}");
        assert!(parts.len() < 30, "{} parts", parts.len());
    }
}
