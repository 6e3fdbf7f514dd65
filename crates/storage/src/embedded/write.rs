//! The write path: idempotency keys (in flight and stored), capacity, item-id deduplication,
//! the WAL record and its fsync, the buffer insert, and the catalog facts a write leaves (keys,
//! item ids, pattern states, metric metadata) — all before the write answers.

use super::*;

pub(super) fn restore_keys(catalog: &Catalog, table: Table, header: &WriteHeader) -> Result<()> {
    let key = header.idempotency.as_ref().map(|k| {
        (
            k.key.as_str(),
            StoredKey {
                fingerprint: k.fingerprint,
                accepted: header.accepted,
                created_ns: now_ns(),
            },
        )
    });
    catalog.record_write(&header.tenant, table.name(), key, &header.item_ids)?;
    // Like the keys: not fsynced here; the WAL record carries the same states.
    catalog.put_patterns(&header.patterns, false)?;
    catalog.put_metric_metadata(&header.metadata, false)
}

/// The items whose `keep` flag (one per item, in order) is set.
fn keep_only<T>(items: Vec<T>, keep: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(item, _)| item)
        .collect()
}

/// What a write carries besides its rows.
struct WriteExtras {
    item_ids: Vec<Option<String>>,
    idempotency: Option<IdempotencyKey>,
    patterns: Vec<PatternTemplate>,
}

/// Removes an in-flight idempotency key when the request finishes, however it finishes.
struct InFlight<'a> {
    keys: &'a Mutex<HashSet<String>>,
    key: Option<String>,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let (Some(key), Ok(mut keys)) = (self.key.take(), self.keys.lock()) {
            keys.remove(&key);
        }
    }
}

impl Inner {
    /// Releases a writer's hold on the flush gate. Tests park the write right here — after the
    /// release, before anything else — to run a flush at the moment the gate opens: whatever a
    /// write still did after this point would race that flush.
    async fn leave_gate(&self, shared: tokio::sync::RwLockReadGuard<'_, ()>) {
        drop(shared);
        #[cfg(test)]
        {
            let pause = self.write_pause.lock().ok().and_then(|p| p.clone());
            if let Some(pause) = pause {
                pause.reached.notify_one();
                pause.resume.notified().await;
            }
        }
    }

    /// Checks an idempotency key: `Ok(Some(outcome))` when the request was already done.
    fn check_key<'a>(
        &'a self,
        tenant: &str,
        key: &Option<IdempotencyKey>,
    ) -> Result<(InFlight<'a>, Option<WriteOutcome>)> {
        let mut guard = InFlight {
            keys: &self.in_flight_keys,
            key: None,
        };
        let Some(key) = key else {
            return Ok((guard, None));
        };
        let slot = format!("{tenant}\u{0}{}", key.key);
        {
            let mut keys = self
                .in_flight_keys
                .lock()
                .map_err(|_| StorageError::Catalog("poisoned lock".into()))?;
            if !keys.insert(slot.clone()) {
                return Err(StorageError::IdempotencyConflict(format!(
                    "a request with Idempotency-Key {:?} is still in progress",
                    key.key
                )));
            }
        }
        guard.key = Some(slot);
        match self.catalog.idempotency_key(tenant, &key.key)? {
            Some(stored) if stored.fingerprint == key.fingerprint => Ok((
                guard,
                Some(WriteOutcome {
                    accepted: stored.accepted,
                    replayed: true,
                }),
            )),
            Some(_) => Err(StorageError::IdempotencyConflict(format!(
                "Idempotency-Key {:?} was already used with a different request body",
                key.key
            ))),
            None => Ok((guard, None)),
        }
    }

    fn check_capacity(&self) -> Result<()> {
        if self.shutting_down.load(Ordering::Relaxed) {
            return Err(StorageError::ShuttingDown);
        }
        let buffered = lock(&self.buffer).bytes();
        if buffered >= self.config.max_buffer_bytes {
            BACKPRESSURE.inc();
            return Err(StorageError::Backpressure {
                buffered_bytes: buffered as u64,
                limit_bytes: self.config.max_buffer_bytes as u64,
                retry_after_secs: 1,
            });
        }
        Ok(())
    }

    /// Which items to keep: drops items whose id was stored before or repeats within the batch.
    fn new_items(
        &self,
        tenant: &str,
        table: Table,
        item_ids: &[Option<String>],
    ) -> Result<(Vec<bool>, Vec<String>)> {
        let ids: Vec<&str> = item_ids.iter().flatten().map(String::as_str).collect();
        let mut seen = self.catalog.seen_item_ids(tenant, table.name(), &ids)?;
        let mut keep = Vec::with_capacity(item_ids.len());
        let mut fresh = Vec::new();
        for id in item_ids {
            match id {
                None => keep.push(true),
                Some(id) => {
                    let is_new = seen.insert(id.clone());
                    keep.push(is_new);
                    if is_new {
                        fresh.push(id.clone());
                    }
                }
            }
        }
        Ok((keep, fresh))
    }

    /// The write path of logs and spans: idempotency, capacity, item-id deduplication, WAL
    /// append with fsync, then the buffer. `to_rows` turns the kept items into buffer rows.
    async fn write<T>(
        &self,
        table: Table,
        tenant: &str,
        items: Vec<T>,
        extras: WriteExtras,
        to_rows: impl FnOnce(Vec<T>) -> Result<Buffered>,
    ) -> Result<WriteOutcome> {
        let WriteExtras {
            item_ids,
            idempotency,
            patterns,
        } = extras;
        let (_in_flight, done) = self.check_key(tenant, &idempotency)?;
        if let Some(outcome) = done {
            return Ok(outcome);
        }
        self.check_capacity()?;
        let accepted = items.len() as u64;
        let (keep, fresh) = self.new_items(tenant, table, &item_ids)?;
        let items = if keep.iter().all(|k| *k) {
            items
        } else {
            keep_only(items, &keep)
        };
        let rows = to_rows(items)?;
        let header = WriteHeader {
            tenant: tenant.to_string(),
            idempotency,
            accepted,
            item_ids: fresh,
            patterns,
            metadata: Vec::new(),
        };
        let payload = wal_record::encode(&header, &rows)?;
        let shared = self.gate.read().await;
        self.wal.append(payload).await?;
        lock(&self.buffer).insert(rows)?;
        // Under the gate: a flush that seals this record's segment commits the catalog
        // (durably) after this, so the key outlives the segment's deletion.
        restore_keys(&self.catalog, table, &header)?;
        self.leave_gate(shared).await;
        Ok(WriteOutcome {
            accepted,
            replayed: false,
        })
    }

    pub(super) async fn write_logs(&self, write: LogsWrite) -> Result<WriteOutcome> {
        write.check().map_err(StorageError::InvalidArgument)?;
        let LogsWrite {
            tenant,
            records,
            item_ids,
            patterns,
            idempotency,
        } = write;
        let extras = WriteExtras {
            item_ids,
            idempotency,
            patterns,
        };
        self.write(Table::Logs, &tenant, records, extras, |items| {
            Ok(Buffered::Rows(Table::Logs, logs_batch(&items)?))
        })
        .await
    }

    pub(super) async fn write_spans(&self, write: SpansWrite) -> Result<WriteOutcome> {
        let extras = WriteExtras {
            item_ids: Vec::new(),
            idempotency: write.idempotency,
            patterns: Vec::new(),
        };
        self.write(Table::Spans, &write.tenant, write.spans, extras, |items| {
            Ok(Buffered::Rows(Table::Spans, spans_batch(&items)?))
        })
        .await
    }

    /// The write path of metrics: like [`Inner::write`], but the samples are logged as series
    /// ids of the active buffer generation, each id defined once per generation, with the
    /// request's exemplars and metadata in the same record. So that no record can reach the log
    /// before the record defining its ids, ids are handed out and the record submitted under
    /// the buffer lock; the flush gate, held until the rows are in the buffer, keeps the
    /// generation active meanwhile.
    pub(super) async fn write_metrics(&self, write: MetricsWrite) -> Result<WriteOutcome> {
        // Checked before anything is logged: a record must never name a series it lacks.
        write.check().map_err(StorageError::InvalidArgument)?;
        let MetricsWrite {
            series,
            item_ids,
            exemplars,
            metadata,
            idempotency,
        } = write;
        let tenant = series.tenant.clone();
        let (_in_flight, done) = self.check_key(&tenant, &idempotency)?;
        if let Some(outcome) = done {
            return Ok(outcome);
        }
        self.check_capacity()?;
        let accepted = series.len() as u64;
        let (keep, fresh) = self.new_items(&tenant, Table::Metrics, &item_ids)?;
        let series = if keep.iter().all(|k| *k) {
            series
        } else {
            series.keep_only(&keep)
        };
        let exemplars = match exemplars.is_empty() {
            true => None,
            false => Some(exemplars_batch(&exemplars)?),
        };
        // Encoded before the buffer lock is taken: it does not depend on the series' ids.
        let exemplar_section = exemplars
            .as_ref()
            .map(wal_record::exemplar_section)
            .transpose()?;
        let header = WriteHeader {
            tenant,
            idempotency,
            accepted,
            item_ids: fresh,
            patterns: Vec::new(),
            metadata,
        };
        let shared = self.gate.read().await;
        let (resolution, pending) = {
            let mut buffer = lock(&self.buffer);
            let resolution = buffer.resolve_series(&series);
            let submitted = wal_record::encode_identified(
                &header,
                &series,
                &resolution,
                exemplar_section.as_deref(),
            )
            .and_then(|payload| Ok(self.wal.submit(payload)?));
            match submitted {
                Ok(pending) => (resolution, pending),
                Err(e) => {
                    buffer.forget_definitions(&resolution);
                    return Err(e);
                }
            }
        };
        pending.durable().await?;
        {
            let mut buffer = lock(&self.buffer);
            buffer.insert_resolved(&series, &resolution)?;
            if let Some(exemplars) = exemplars {
                buffer.insert(Buffered::Rows(Table::Exemplars, exemplars))?;
            }
        }
        // Under the gate, as in `write`.
        restore_keys(&self.catalog, Table::Metrics, &header)?;
        self.leave_gate(shared).await;
        Ok(WriteOutcome {
            accepted,
            replayed: false,
        })
    }
}
