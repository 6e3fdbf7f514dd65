//! Flushing: the buffer's frozen rows become Parquet parts, the catalog records them with the
//! WAL segment they were flushed through, and only then are the sealed segments deleted.

use super::*;

/// Writes a flush's rollup rows as `metrics_hourly` parts, counting them and the time spent.
fn write_rollup_parts(
    data_dir: &std::path::Path,
    rollup: FlushRollup,
    sealed: u64,
) -> Result<Vec<PartMeta>> {
    let started = Instant::now();
    let (samples, spent) = (rollup.samples, rollup.spent);
    let Some(batch) = rollup.finish()? else {
        return Ok(Vec::new());
    };
    let name = format!("{}-{sealed:020}", Table::MetricsHourly.name());
    let parts = write_parts(
        data_dir,
        Table::MetricsHourly,
        std::slice::from_ref(&batch),
        &name,
    )?;
    ROLLUP_SAMPLES.inc_by(samples);
    ROLLUP_ROWS.inc_by(batch.num_rows() as u64);
    JOB_SECONDS
        .with_label_values(&["rollup"])
        .observe((spent + started.elapsed()).as_secs_f64());
    Ok(parts)
}

impl Inner {
    pub(super) fn flush_due(&self) -> bool {
        let buffer = lock(&self.buffer);
        buffer.active_rows() > 0
            && (buffer.active_bytes() >= self.config.flush_bytes
                || buffer
                    .active_age()
                    .is_some_and(|age| age >= self.config.flush_interval)
                || buffer.bytes() >= self.config.max_buffer_bytes / 2)
    }

    pub(super) async fn flush(&self) -> Result<()> {
        let _one_at_a_time = self.flush_lock.lock().await;
        let started = Instant::now();
        let sealed = {
            let _exclusive = self.gate.write().await;
            let sealed = self.wal.rotate().await?;
            lock(&self.buffer).freeze(sealed);
            sealed
        };
        let frozen = lock(&self.buffer).frozen();
        let result = async {
            let mut by_table: BTreeMap<Table, Vec<RecordBatch>> = BTreeMap::new();
            for chunk in &frozen {
                for (table, batches) in &chunk.rows.tables {
                    by_table
                        .entry(*table)
                        .or_default()
                        .extend(batches.iter().cloned());
                }
            }
            let data_dir = self.config.data_dir.clone();
            let generations = frozen.clone();
            let rollups = self.config.rollups;
            let parts = tokio::task::spawn_blocking(move || -> Result<Vec<PartMeta>> {
                let mut parts = Vec::new();
                let series: Vec<&SeriesRows> = generations
                    .iter()
                    .map(|g| &g.rows.series)
                    .filter(|s| s.rows() > 0)
                    .collect();
                if !series.is_empty() {
                    let name = format!("{}-{sealed:020}", Table::Metrics.name());
                    let mut rollup = rollups.then(FlushRollup::new);
                    parts.extend(write_series_parts(
                        &data_dir,
                        &series,
                        &name,
                        rollup.as_mut(),
                    )?);
                    if let Some(rollup) = rollup {
                        // In the same commit as the metrics parts and the flush point: a
                        // sample is rolled up exactly when it is in a flushed part.
                        parts.extend(write_rollup_parts(&data_dir, rollup, sealed)?);
                    }
                }
                for (table, batches) in by_table {
                    let name = format!("{}-{sealed:020}", table.name());
                    parts.extend(write_parts(&data_dir, table, &batches, &name)?);
                }
                Ok(parts)
            })
            .await
            .map_err(|e| StorageError::Encoding(format!("flush task failed: {e}")))??;
            // Every part of this flush holds writes logged through segment `sealed`, later than
            // every part flushed before.
            let parts: Vec<PartMeta> = parts
                .into_iter()
                .map(|part| PartMeta {
                    seq: sealed,
                    ..part
                })
                .collect();
            {
                // Under the buffer lock, so a query sees the frozen rows or the parts holding
                // them, never both (see `sources`). The commit's fsync briefly delays inserts,
                // once per flush.
                let mut buffer = lock(&self.buffer);
                self.catalog.commit_parts(&parts, &[], Some(sealed))?;
                buffer.release(sealed);
            }
            self.wal.remove_through(sealed)?;
            self.publish_part_metrics();
            Ok::<_, StorageError>(parts)
        }
        .await;
        JOB_SECONDS
            .with_label_values(&["flush"])
            .observe(started.elapsed().as_secs_f64());
        match &result {
            Ok(parts) => {
                FLUSHES.with_label_values(&["ok"]).inc();
                if !parts.is_empty() {
                    tracing::info!(
                        parts = parts.len(),
                        rows = parts.iter().map(|p| p.rows).sum::<u64>(),
                        bytes = parts.iter().map(|p| p.bytes).sum::<u64>(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "flushed the buffer to Parquet"
                    );
                }
            }
            Err(_) => FLUSHES.with_label_values(&["error"]).inc(),
        }
        result.map(|_| ())
    }
}
