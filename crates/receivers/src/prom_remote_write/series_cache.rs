//! Label sets seen before, with the series key they were decoded into.
//!
//! Prometheus sends the same series in every write, so most of decoding a series — checking
//! UTF-8 and names, sorting the labels, writing their JSON — repeats work done for an identical
//! label set a few seconds earlier. A hit costs one hash and one comparison of the label bytes.
//! Each worker thread keeps its own cache: no lock on the ingest path, and a series keeps
//! hitting on whichever thread decodes it, since a label set's key does not depend on the
//! thread.

use std::cell::RefCell;
use std::hash::{BuildHasher, Hasher};

use telemetryhub_model::SeriesKey;

use crate::Limits;

/// Label sets per thread before the cache starts over: about 20 MB at the typical 300 bytes per
/// entry. More distinct series than this per thread only cost the cache's bookkeeping.
const CAPACITY: usize = 64 * 1024;

thread_local! {
    static CACHE: RefCell<SeriesCache> = RefCell::new(SeriesCache::default());
}

/// Runs `f` with this thread's cache.
pub(super) fn with_cache<T>(f: impl FnOnce(&mut SeriesCache) -> T) -> T {
    CACHE.with(|cache| f(&mut cache.borrow_mut()))
}

struct Entry {
    /// The label pairs as they came, each name and value prefixed by its length.
    pairs: Box<[u8]>,
    key: SeriesKey,
}

/// Series keys of valid label sets, by the label pairs' bytes.
#[derive(Default)]
pub(super) struct SeriesCache {
    /// Seeded per thread: label sets come from clients, and a fixed seed would let one craft
    /// collisions.
    hasher: foldhash::fast::RandomState,
    by_hash: foldhash::HashMap<u64, Vec<Entry>>,
    entries: usize,
    /// The limits the entries were validated under.
    limits: Option<Limits>,
}

fn flatten(pairs: &[(&[u8], &[u8])]) -> Box<[u8]> {
    let len = pairs.iter().map(|(n, v)| 8 + n.len() + v.len()).sum();
    let mut out = Vec::with_capacity(len);
    for (name, value) in pairs {
        for part in [name, value] {
            out.extend_from_slice(&(part.len() as u32).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out.into_boxed_slice()
}

/// Whether `flat` (from [`flatten`]) holds exactly `pairs`.
fn same(flat: &[u8], pairs: &[(&[u8], &[u8])]) -> bool {
    let mut rest = flat;
    for (name, value) in pairs {
        for part in [name, value] {
            let Some((len, tail)) = rest.split_first_chunk::<4>() else {
                return false;
            };
            let len = u32::from_le_bytes(*len) as usize;
            if len != part.len() || tail.get(..len) != Some(*part) {
                return false;
            }
            rest = &tail[len..];
        }
    }
    rest.is_empty()
}

impl SeriesCache {
    fn hash(&self, pairs: &[(&[u8], &[u8])]) -> u64 {
        let mut state = self.hasher.build_hasher();
        for (name, value) in pairs {
            state.write_usize(name.len());
            state.write(name);
            state.write_usize(value.len());
            state.write(value);
        }
        state.finish()
    }

    /// The key decoded earlier from exactly these label pairs under these limits.
    pub(super) fn get(&mut self, pairs: &[(&[u8], &[u8])], limits: &Limits) -> Option<&SeriesKey> {
        if self.limits.as_ref() != Some(limits) {
            return None;
        }
        let hash = self.hash(pairs);
        self.by_hash
            .get(&hash)?
            .iter()
            .find(|entry| same(&entry.pairs, pairs))
            .map(|entry| &entry.key)
    }

    /// Remembers the key of a valid label set.
    pub(super) fn insert(&mut self, pairs: &[(&[u8], &[u8])], limits: &Limits, key: &SeriesKey) {
        if self.limits.as_ref() != Some(limits) || self.entries >= CAPACITY {
            self.by_hash.clear();
            self.entries = 0;
            self.limits = Some(limits.clone());
        }
        let hash = self.hash(pairs);
        self.by_hash.entry(hash).or_default().push(Entry {
            pairs: flatten(pairs),
            key: key.clone(),
        });
        self.entries += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(labels_json: &str) -> SeriesKey {
        SeriesKey {
            service: "api".into(),
            metric: "up".into(),
            labels_json: labels_json.into(),
        }
    }

    #[test]
    fn finds_only_the_same_pairs_under_the_same_limits() {
        let mut cache = SeriesCache::default();
        let limits = Limits::default();
        let pairs: [(&[u8], &[u8]); 2] = [(b"__name__", b"up"), (b"job", b"api")];
        assert!(cache.get(&pairs, &limits).is_none());
        cache.insert(&pairs, &limits, &key("{}"));
        assert_eq!(cache.get(&pairs, &limits), Some(&key("{}")));
        // A boundary moved between name and value is another label set.
        let shifted: [(&[u8], &[u8]); 2] = [(b"__name__", b"up"), (b"jo", b"bapi")];
        assert!(cache.get(&shifted, &limits).is_none());
        assert!(cache.get(&pairs[..1], &limits).is_none());
        let stricter = Limits {
            max_labels: 1,
            ..Limits::default()
        };
        assert!(cache.get(&pairs, &stricter).is_none());
    }

    #[test]
    fn starts_over_when_full() {
        let mut cache = SeriesCache::default();
        let limits = Limits::default();
        let values: Vec<String> = (0..=CAPACITY).map(|i| i.to_string()).collect();
        for value in &values {
            cache.insert(&[(b"host", value.as_bytes())], &limits, &key(value));
        }
        assert_eq!(cache.entries, 1);
        let last = values.last().unwrap();
        assert_eq!(
            cache.get(&[(b"host", last.as_bytes())], &limits),
            Some(&key(last))
        );
        assert!(cache.get(&[(b"host", b"0")], &limits).is_none());
    }
}
