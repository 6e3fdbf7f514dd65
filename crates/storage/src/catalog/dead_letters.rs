//! The dead letters of execution records: kept per tenant and id, listed newest first, and
//! capped per tenant — past the cap the oldest leave, so a topic of garbage cannot fill the
//! disk, while the newest letters, the ones a user fixes a mapping for and replays, stay.
//!
//! Three tables keep the cap cheap at any size: the letters (`tenant\0id` → JSON), their age
//! order (`tenant\0<received><index>\0id` → nothing, oldest first) and a count per tenant.
//! Storing a batch costs its letters and the ones it evicts, and a listing the letters it
//! answers with (read from the newest end of the age order) — never a pass over the tenant's
//! letters. Catalogs written before the cap existed get the order and the counts built once,
//! at open. Age order is the time a letter was set aside, then its index in its input (a later
//! row of one batch is the newer), then its id.

use std::collections::BTreeMap;

use redb::{ReadableDatabase, ReadableTable, Table, TableDefinition, WriteTransaction};
use telemetryhub_model::{DeadLetter, DeadLetterQuery};

use super::{Catalog, META, key2};
use crate::{Result, StorageError};

/// Execution records set aside, keyed by tenant and id.
const DEAD_LETTERS: TableDefinition<&str, &[u8]> = TableDefinition::new("record_dead_letters");

/// Every dead letter's key in age order: `tenant\0<received ns, sign flipped, 16 hex
/// digits><index, 16 hex digits>\0id`.
const AGES: TableDefinition<&str, ()> = TableDefinition::new("record_dead_letter_ages");

/// How many dead letters each tenant has.
const COUNTS: TableDefinition<&str, u64> = TableDefinition::new("record_dead_letter_counts");

/// Set in `meta` once `AGES` and `COUNTS` describe every letter (built at open for catalogs
/// from before the cap).
const AGES_BUILT: &str = "dead_letter_ages_built";

/// Evictions are found this many age keys at a time, so a large eviction (a lowered cap) never
/// holds every key in memory at once.
const EVICTION_PAGE: usize = 4096;

/// Dead letters a store evicted from one tenant to stay within the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evicted {
    /// Whose letters.
    pub tenant: String,
    /// How many left.
    pub letters: u64,
}

/// Opens the dead-letter tables, building the age order and the counts of a catalog written
/// before they existed.
pub(super) fn open_tables(write: &WriteTransaction) -> Result<()> {
    let letters = write.open_table(DEAD_LETTERS)?;
    let mut ages = write.open_table(AGES)?;
    let mut counts = write.open_table(COUNTS)?;
    let mut meta = write.open_table(META)?;
    if meta.get(AGES_BUILT)?.is_some() {
        return Ok(());
    }
    let mut per_tenant: BTreeMap<String, u64> = BTreeMap::new();
    for entry in letters.iter()? {
        let (key, value) = entry?;
        let Some((tenant, id)) = key.value().split_once('\0') else {
            continue;
        };
        // A letter that cannot be read sorts oldest, so it is the first to go.
        let age = match parse(value.value()) {
            Some(letter) => age_key(&letter),
            None => age_key_of(tenant, i64::MIN, 0, id),
        };
        ages.insert(age.as_str(), ())?;
        *per_tenant.entry(tenant.to_string()).or_default() += 1;
    }
    for (tenant, count) in per_tenant {
        counts.insert(tenant.as_str(), count)?;
    }
    meta.insert(AGES_BUILT, 1)?;
    Ok(())
}

fn parse(json: &[u8]) -> Option<DeadLetter> {
    serde_json::from_slice(json).ok()
}

fn age_key(letter: &DeadLetter) -> String {
    age_key_of(&letter.tenant, letter.received_ns, letter.index, &letter.id)
}

fn age_key_of(tenant: &str, received_ns: i64, index: u64, id: &str) -> String {
    // The sign bit flipped, so negative times sort before positive ones as hex text.
    let received = (received_ns as u64) ^ (1 << 63);
    format!("{tenant}\0{received:016x}{index:016x}\0{id}")
}

impl Catalog {
    /// Stores dead letters, replacing those of the same tenant and id, then evicts each
    /// tenant's oldest past `max_per_tenant`; durably. Returns what was evicted, per tenant.
    pub(crate) fn put_dead_letters(
        &self,
        letters: &[DeadLetter],
        max_per_tenant: u64,
    ) -> Result<Vec<Evicted>> {
        if letters.is_empty() {
            return Ok(Vec::new());
        }
        let write = self.db.begin_write()?;
        let mut evicted = Vec::new();
        {
            let mut table = write.open_table(DEAD_LETTERS)?;
            let mut ages = write.open_table(AGES)?;
            let mut counts = write.open_table(COUNTS)?;
            let mut added: BTreeMap<&str, u64> = BTreeMap::new();
            for letter in letters {
                let json =
                    serde_json::to_vec(letter).map_err(|e| StorageError::Catalog(e.to_string()))?;
                let key = key2(&letter.tenant, &letter.id);
                let replaced = table
                    .insert(key.as_str(), json.as_slice())?
                    .map(|old| parse(old.value()));
                match replaced {
                    None => *added.entry(letter.tenant.as_str()).or_default() += 1,
                    Some(Some(old)) => {
                        ages.remove(age_key(&old).as_str())?;
                    }
                    // An unreadable letter replaced: its age key, if any, is stale, and
                    // eviction passes over stale keys.
                    Some(None) => {}
                }
                ages.insert(age_key(letter).as_str(), ())?;
            }
            for (tenant, added) in added {
                let count = counts.get(tenant)?.map_or(0, |c| c.value()) + added;
                counts.insert(tenant, count)?;
            }
            let mut tenants: Vec<&str> = letters.iter().map(|l| l.tenant.as_str()).collect();
            tenants.sort_unstable();
            tenants.dedup();
            for tenant in tenants {
                let gone = evict(&mut table, &mut ages, &mut counts, tenant, max_per_tenant)?;
                if gone > 0 {
                    evicted.push(Evicted {
                        tenant: tenant.to_string(),
                        letters: gone,
                    });
                }
            }
        }
        write.commit()?;
        Ok(evicted)
    }

    /// A tenant's dead letters (of one source when asked), newest first, then by index. Read
    /// in age order from the newest, one batch (the letters set aside at one time) at a time,
    /// so a listing reads the letters it answers with and the rest of their last batch, not
    /// every letter the tenant has.
    pub(crate) fn dead_letters(&self, query: &DeadLetterQuery) -> Result<Vec<DeadLetter>> {
        let read = self.db.begin_read()?;
        let table = read.open_table(DEAD_LETTERS)?;
        let ages = read.open_table(AGES)?;
        let prefix = key2(&query.tenant, "");
        // Every age key of the tenant sorts below `tenant\u{1}`.
        let end = format!("{}\u{1}", query.tenant);
        let mut found = Vec::new();
        let mut batch = Vec::new();
        let mut batch_time = None;
        for entry in ages.range(prefix.as_str()..end.as_str())?.rev() {
            let (key, _) = entry?;
            let age = key.value();
            let time = age.get(prefix.len()..prefix.len() + 16).unwrap_or_default();
            if batch_time.as_deref() != Some(time) {
                take_batch(&mut batch, &mut found);
                if found.len() >= query.limit {
                    break;
                }
                batch_time = Some(time.to_string());
            }
            if let Some(letter) = letter_of(&table, &query.tenant, age)?
                && query.source.as_ref().is_none_or(|s| *s == letter.source)
            {
                batch.push(letter);
            }
        }
        take_batch(&mut batch, &mut found);
        found.truncate(query.limit);
        Ok(found)
    }

    /// Removes a tenant's dead letters by id (unknown ids are ignored), durably.
    pub(crate) fn remove_dead_letters(&self, tenant: &str, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let write = self.db.begin_write()?;
        {
            let mut table = write.open_table(DEAD_LETTERS)?;
            let mut ages = write.open_table(AGES)?;
            let mut counts = write.open_table(COUNTS)?;
            let mut removed = 0;
            for id in ids {
                let gone = table
                    .remove(key2(tenant, id).as_str())?
                    .map(|old| parse(old.value()));
                if let Some(old) = gone {
                    if let Some(old) = old {
                        ages.remove(age_key(&old).as_str())?;
                    }
                    removed += 1;
                }
            }
            if removed > 0 {
                let count = counts.get(tenant)?.map_or(0, |c| c.value());
                counts.insert(tenant, count.saturating_sub(removed))?;
            }
        }
        write.commit()?;
        Ok(())
    }

    /// A tenant's dead letters as counted for the cap.
    #[cfg(test)]
    pub(crate) fn dead_letter_count(&self, tenant: &str) -> Result<u64> {
        let read = self.db.begin_read()?;
        let counts = read.open_table(COUNTS)?;
        Ok(counts.get(tenant)?.map_or(0, |c| c.value()))
    }
}

/// Appends a batch's letters (all set aside at one time) to the listing, by index.
fn take_batch(batch: &mut Vec<DeadLetter>, found: &mut Vec<DeadLetter>) {
    batch.sort_by(|a, b| a.index.cmp(&b.index).then_with(|| a.id.cmp(&b.id)));
    found.append(batch);
}

/// The letter an age key names, unless it cannot be read or the key is stale (the letter was
/// replaced after a version of it that could not be read).
fn letter_of(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    tenant: &str,
    age: &str,
) -> Result<Option<DeadLetter>> {
    let Some(id) = age.splitn(3, '\0').nth(2) else {
        return Ok(None);
    };
    let letter = table
        .get(key2(tenant, id).as_str())?
        .and_then(|v| parse(v.value()));
    Ok(letter.filter(|letter| age_key(letter) == age))
}

/// Removes a tenant's oldest letters until at most `max` are left; returns how many left.
fn evict(
    table: &mut Table<&str, &[u8]>,
    ages: &mut Table<&str, ()>,
    counts: &mut Table<&str, u64>,
    tenant: &str,
    max: u64,
) -> Result<u64> {
    let count = counts.get(tenant)?.map_or(0, |c| c.value());
    let mut over = count.saturating_sub(max);
    let prefix = key2(tenant, "");
    let mut evicted = 0;
    while over > 0 {
        let mut page = Vec::new();
        for entry in ages
            .range(prefix.as_str()..)?
            .take(EVICTION_PAGE.min(usize::try_from(over).unwrap_or(usize::MAX)))
        {
            let (key, _) = entry?;
            if !key.value().starts_with(prefix.as_str()) {
                break;
            }
            page.push(key.value().to_string());
        }
        if page.is_empty() {
            // The count is ahead of the letters (it cannot be, but a cap is no reason to loop).
            break;
        }
        for age in page {
            ages.remove(age.as_str())?;
            let Some(id) = age.splitn(3, '\0').nth(2) else {
                continue;
            };
            let key = key2(tenant, id);
            let current = table.get(key.as_str())?.map(|v| parse(v.value()));
            let stale = match &current {
                None => true,
                Some(Some(letter)) => age_key(letter) != age,
                Some(None) => false,
            };
            if stale {
                continue;
            }
            table.remove(key.as_str())?;
            evicted += 1;
            over -= 1;
        }
    }
    counts.insert(tenant, count - evicted)?;
    Ok(evicted)
}

#[cfg(test)]
mod tests;
