//! Decoded samples of the parts, kept in memory up to a byte budget, so that the queries a
//! dashboard repeats every few seconds do not decode the same Parquet pages each time.
//!
//! The unit is a *segment*: one series' rows of one part between two marks of its series index
//! ([`MARK_ROWS`](crate::series_index::MARK_ROWS) rows, the last one of a series shorter). The
//! direct read ([`crate::series_samples`]) asks for whole segments only (the index trims a
//! range to its marks), so a segment decoded for one query serves every later query that
//! touches it, whatever its time range; a query of a sliding window decodes only the segments
//! it has not met yet. Segments hold every row, untrimmed, with the values decoded to floats.
//!
//! Parts never change, and a part gets a new number each time its reader metadata is loaded
//! (which happens again only after the catalog dropped it), so a segment can never be served
//! for another part's rows; the segments of parts the catalog dropped (compacted, past
//! retention) are removed at once. Eviction is quick_cache's (CLOCK-Pro by weight): a scan of a long
//! range once does not push out what is read all the time.

use std::sync::Arc;

use crate::metrics::{SAMPLE_CACHE_BYTES, SAMPLE_CACHE_SEGMENTS};

/// The default budget: a day of samples every 15 s of about 2,900 series (16 bytes a sample),
/// a small share of a server's memory.
pub const DEFAULT_SAMPLE_CACHE_BYTES: u64 = 256 << 20;

/// Which segment: the part's number ([`SampleCache::part_number`]) and the part's row where
/// the segment starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SegmentKey {
    pub part: u64,
    pub first_row: u64,
}

/// One segment's samples: times (ns) and values, every row of it in row order.
#[derive(Debug, Default)]
pub(crate) struct Segment {
    pub ts_ns: Vec<i64>,
    pub values: Vec<f64>,
    /// Whether `ts_ns` strictly increases (noted once when decoded: a read of the segment then
    /// touches its samples only to copy them).
    pub increasing: bool,
}

/// Bytes a segment is counted for beside its samples: what the cache keeps with it.
const SEGMENT_OVERHEAD_BYTES: u64 = 96;

/// Bytes a segment of `rows` samples is counted for against the budget.
pub(crate) fn segment_bytes(rows: usize) -> u64 {
    (rows * (size_of::<i64>() + size_of::<f64>())) as u64 + SEGMENT_OVERHEAD_BYTES
}

#[derive(Clone)]
struct SegmentBytes;

impl quick_cache::Weighter<SegmentKey, Arc<Segment>> for SegmentBytes {
    fn weight(&self, _key: &SegmentKey, segment: &Arc<Segment>) -> u64 {
        segment_bytes(segment.ts_ns.len())
    }
}

/// The segments kept, by key.
type Segments =
    quick_cache::sync::Cache<SegmentKey, Arc<Segment>, SegmentBytes, foldhash::fast::RandomState>;

/// The cache of decoded segments ([`Self::off`] when its budget is 0).
pub(crate) struct SampleCache {
    segments: Option<Segments>,
    next_part: std::sync::atomic::AtomicU64,
}

impl SampleCache {
    /// A cache holding at most about `bytes` of decoded samples; none when `bytes` is 0.
    pub(crate) fn new(bytes: u64) -> SampleCache {
        // quick_cache sizes its tables by an estimate of the entries: full segments.
        let full_segment = segment_bytes(crate::series_index::MARK_ROWS as usize);
        let segments = (bytes > 0).then(|| {
            let estimated = (bytes / full_segment).clamp(16, 1 << 22) as usize;
            Segments::with(
                estimated,
                bytes,
                SegmentBytes,
                foldhash::fast::RandomState::default(),
                Default::default(),
            )
        });
        SampleCache {
            segments,
            next_part: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Whether reads should go around the cache (its budget is 0).
    pub(crate) fn off(&self) -> bool {
        self.segments.is_none()
    }

    /// A number for a part whose metadata was just loaded, never given before.
    pub(crate) fn part_number(&self) -> u64 {
        self.next_part
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// The segment at `key`, if kept (the caller counts hits and misses: [`Self::count`]).
    pub(crate) fn get(&self, key: SegmentKey) -> Option<Arc<Segment>> {
        self.segments.as_ref()?.get(&key)
    }

    /// Whether the segment at `key` is kept (not counted, and not marked as used).
    pub(crate) fn holds(&self, key: SegmentKey) -> bool {
        self.segments
            .as_ref()
            .is_some_and(|cache| cache.contains_key(&key))
    }

    /// Counts one read's segments found and not found.
    pub(crate) fn count(&self, hits: usize, misses: usize) {
        SAMPLE_CACHE_SEGMENTS
            .with_label_values(&["hit"])
            .inc_by(hits as u64);
        SAMPLE_CACHE_SEGMENTS
            .with_label_values(&["miss"])
            .inc_by(misses as u64);
    }

    /// Keeps `segments` (evicting others past the budget).
    pub(crate) fn insert(&self, segments: impl IntoIterator<Item = (SegmentKey, Arc<Segment>)>) {
        let Some(cache) = &self.segments else {
            return;
        };
        for (key, segment) in segments {
            cache.insert(key, segment);
        }
        SAMPLE_CACHE_BYTES.set(self.bytes() as i64);
    }

    /// Bytes the kept segments are counted for.
    pub(crate) fn bytes(&self) -> u64 {
        self.segments.as_ref().map_or(0, |cache| cache.weight())
    }

    /// Removes the segments of every part whose number is not in `live`.
    pub(crate) fn keep_parts(&self, live: &std::collections::HashSet<u64>) {
        let Some(cache) = &self.segments else {
            return;
        };
        cache.retain(|key, _| live.contains(&key.part));
        SAMPLE_CACHE_BYTES.set(self.bytes() as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(rows: usize) -> Arc<Segment> {
        Arc::new(Segment {
            ts_ns: (0..rows as i64).collect(),
            values: vec![1.0; rows],
            increasing: true,
        })
    }

    #[test]
    fn the_cache_keeps_within_its_budget_and_a_zero_budget_keeps_nothing() {
        let cache = SampleCache::new(10 * segment_bytes(256));
        let part = cache.part_number();
        cache.insert((0..100).map(|at| {
            (
                SegmentKey {
                    part,
                    first_row: at * 256,
                },
                segment(256),
            )
        }));
        let kept = (0..100)
            .filter(|at| {
                cache
                    .get(SegmentKey {
                        part,
                        first_row: at * 256,
                    })
                    .is_some()
            })
            .count();
        assert!((1..=10).contains(&kept), "{kept} segments kept");
        assert_ne!(cache.part_number(), part, "part numbers are not reused");

        let off = SampleCache::new(0);
        assert!(off.off());
        off.insert([(
            SegmentKey {
                part: 0,
                first_row: 0,
            },
            segment(4),
        )]);
        let key = SegmentKey {
            part: 0,
            first_row: 0,
        };
        assert!(off.get(key).is_none());
    }
}
