//! Maintenance: compaction of a day's small parts into one, retention (whole day partitions
//! past the retention window are dropped), and the delayed deletion of replaced part files.

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

    /// Merges the parts of each day partition that has at least `compaction_min_parts` of them.
    /// Runs beside flushes: a flush only adds parts, compaction replaces only the parts it read,
    /// and each catalog commit is atomic. Only maintenance calls it, so retention never races it.
    async fn compact(&self) -> Result<()> {
        let mut groups: BTreeMap<(String, i64), Vec<PartMeta>> = BTreeMap::new();
        for part in self.catalog.parts() {
            groups
                .entry((part.table.clone(), part.day))
                .or_default()
                .push(part);
        }
        for ((table_name, day), inputs) in groups {
            if inputs.len() < self.config.compaction_min_parts.max(2) {
                continue;
            }
            let Some(table) = Table::from_name(&table_name) else {
                continue;
            };
            // Oldest first: of metric rows with one series and timestamp, the merge keeps the
            // last, the newest part's.
            let mut inputs = inputs;
            inputs.sort_by(|a, b| (a.write_seq(), &a.path).cmp(&(b.write_seq(), &b.path)));
            let seq = inputs.iter().map(PartMeta::write_seq).max().unwrap_or(0);
            let paths: Vec<PathBuf> = inputs.iter().map(|p| self.part_path(p)).collect();
            let data_dir = self.config.data_dir.clone();
            let name = format!("{}-compacted-{}", table.name(), now_ns());
            let outputs = tokio::task::spawn_blocking(move || -> Result<Vec<PartMeta>> {
                let mut batches = Vec::new();
                for path in &paths {
                    batches.extend(read_part(path)?);
                }
                write_parts(&data_dir, table, &batches, &name)
            })
            .await
            .map_err(|e| StorageError::Encoding(format!("compaction task failed: {e}")))??;
            let outputs: Vec<PartMeta> = outputs
                .into_iter()
                .map(|part| PartMeta { seq, ..part })
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
        let cutoff = now_ns().saturating_sub(self.config.retention_ns);
        let expired: Vec<PartMeta> = self
            .catalog
            .parts()
            .into_iter()
            .filter(|p| day_start(p.day + 1) <= cutoff)
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
