//! The order a flush writes metric rows in: by day, then series (tenant, service, metric,
//! labels), then time — the parts' sort order, which delta encoding and compression rely on.
//!
//! Rows of the frozen generations are counting-sorted into (day, series) buckets and placed in
//! order one chunk of buckets at a time by scattering (one sequential pass per chunk); a backfill
//! over so many days and series that buckets would outnumber rows sorts row positions instead.
//! Kept apart from `series_rows` (the buffer's index) so that `parts` reads the order without
//! the index and the index knows nothing of parts.
//!
//! A part holds at most one sample per series and timestamp: rows keep their arrival order
//! within a series' time order, and of rows with one series and timestamp only the last to
//! arrive is written (the later write wins, as the read path chooses between parts and buffer).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int32Array, StringArray};

use crate::schema::day_of;
use crate::series_rows::{RowBlock, SeriesRows, SeriesSnapshot, concat_keys};
use crate::{Result, StorageError};

/// Rows a flush places in part order at a time: bounds the memory of the sorted copy (24 bytes
/// a row) whatever the buffer holds.
pub(crate) const SORTED_CHUNK_ROWS: usize = 1 << 20;

/// How a flush orders its rows.
enum Order {
    /// Each row's (day, series) bucket, and where each bucket's rows start in part order
    /// (counting sort).
    Buckets {
        bucket: Vec<u32>,
        starts: Vec<usize>,
    },
    /// Row positions, `(block << 16) | row`, in part order (a backfill over many days and
    /// series, where buckets would outnumber rows).
    Positions(Vec<u32>),
}

/// The frozen rows of a flush, to be read in part order: by day, then series (tenant, service,
/// metric, labels), then time.
pub(crate) struct SortedSeries {
    /// Each series column's values; [`SortedSlice::ids`] index them.
    pub keys: [ArrayRef; 4],
    /// The row blocks of every generation, with the offset of that generation's ids in `keys`.
    blocks: Vec<(Arc<RowBlock>, i32)>,
    /// Per series id: its place in the series order, equal for equal keys.
    rank: Vec<u32>,
    order: Order,
    /// Each day and the range of rows (in part order) it holds.
    days: Vec<(i64, std::ops::Range<usize>)>,
}

/// Columns of consecutive sorted rows, ready for a part.
pub(crate) struct SortedSlice {
    /// Series ids, indexing [`SortedSeries::keys`].
    pub ids: Int32Array,
    pub ts: Vec<i64>,
    pub values: Vec<f64>,
    /// Row ranges of one series each.
    pub runs: Vec<(usize, usize)>,
}

/// One row placed in part order.
#[derive(Clone, Copy, Default)]
struct Placed {
    ts: i64,
    value: f64,
    id: i32,
}

impl SortedSeries {
    /// Each day that has rows, with its row count.
    pub(crate) fn days(&self) -> impl Iterator<Item = (i64, usize)> + '_ {
        self.days.iter().map(|(day, range)| (*day, range.len()))
    }

    fn row(&self, position: u32) -> Placed {
        let (block, base) = &self.blocks[(position >> 16) as usize];
        let row = (position & 0xffff) as usize;
        Placed {
            ts: block.ts.value(row),
            value: block.values.value(row),
            id: block.ids.value(row) + base,
        }
    }

    /// Calls `write` with the rows of `day` in order, `slice_rows` at most at a time.
    ///
    /// Rows are copied into order a chunk of whole buckets (about `chunk_rows` rows, or one
    /// bigger bucket) at a time by scattering them, each chunk one sequential pass over the rows'
    /// buckets: gathering rows by sorted position instead read memory at random, which was most
    /// of a flush's time.
    pub(crate) fn write_day(
        &self,
        day: i64,
        chunk_rows: usize,
        slice_rows: usize,
        mut write: impl FnMut(SortedSlice) -> Result<()>,
    ) -> Result<()> {
        let Some((_, range)) = self.days.iter().find(|(d, _)| *d == day) else {
            return Ok(());
        };
        match &self.order {
            Order::Positions(order) => {
                let mut rows: Vec<Placed> =
                    order[range.clone()].iter().map(|p| self.row(*p)).collect();
                self.keep_last_per_timestamp(&mut rows);
                for piece in rows.chunks(slice_rows.max(1)) {
                    write(self.slice(piece))?;
                }
            }
            Order::Buckets { bucket, starts } => {
                let first_bucket = starts.partition_point(|start| *start <= range.start) - 1;
                let end_bucket = starts.partition_point(|start| *start < range.end);
                let mut chunk_start = first_bucket;
                let mut placed: Vec<Placed> = Vec::new();
                while chunk_start < end_bucket {
                    let mut chunk_end = chunk_start + 1;
                    while chunk_end < end_bucket
                        && starts[chunk_end + 1] - starts[chunk_start] <= chunk_rows
                    {
                        chunk_end += 1;
                    }
                    self.place(bucket, starts, chunk_start..chunk_end, &mut placed);
                    for piece in placed.chunks(slice_rows.max(1)) {
                        write(self.slice(piece))?;
                    }
                    chunk_start = chunk_end;
                }
            }
        }
        Ok(())
    }

    /// Copies the rows of `buckets` into `placed`, in part order: one sequential pass over every
    /// row's bucket, scattering the rows of these buckets to their places.
    fn place(
        &self,
        bucket: &[u32],
        starts: &[usize],
        buckets: std::ops::Range<usize>,
        placed: &mut Vec<Placed>,
    ) {
        let base = starts[buckets.start];
        placed.clear();
        placed.resize(starts[buckets.end] - base, Placed::default());
        let mut next: Vec<usize> = starts[buckets.clone()].iter().map(|s| s - base).collect();
        let mut row_index = 0usize;
        for (block, id_base) in &self.blocks {
            let (ids, ts, values) = (block.ids.values(), block.ts.values(), block.values.values());
            for row in 0..block.len() {
                let b = bucket[row_index + row] as usize;
                if buckets.contains(&b) {
                    let slot = &mut next[b - buckets.start];
                    placed[*slot] = Placed {
                        ts: ts[row],
                        value: values[row],
                        id: ids[row] + id_base,
                    };
                    *slot += 1;
                }
            }
            row_index += block.len();
        }
        // Rows of a series keep their arrival order: time order, unless a client sent older
        // samples late.
        for b in buckets {
            let rows = &mut placed[starts[b] - base..starts[b + 1] - base];
            if !rows.is_sorted_by_key(|r| r.ts) {
                rows.sort_by_key(|r| r.ts);
            }
        }
        self.keep_last_per_timestamp(placed);
    }

    /// Of consecutive rows with one series and timestamp (in part order, so in arrival order
    /// among themselves), keeps only the last to arrive, in the place of the first.
    fn keep_last_per_timestamp(&self, rows: &mut Vec<Placed>) {
        rows.dedup_by(|later, kept| {
            let same =
                later.ts == kept.ts && self.rank[later.id as usize] == self.rank[kept.id as usize];
            if same {
                *kept = *later;
            }
            same
        });
    }

    fn slice(&self, rows: &[Placed]) -> SortedSlice {
        let mut runs = Vec::new();
        let mut run_start = 0;
        for i in 1..rows.len() {
            if self.rank[rows[i].id as usize] != self.rank[rows[i - 1].id as usize] {
                runs.push((run_start, i));
                run_start = i;
            }
        }
        if !rows.is_empty() {
            runs.push((run_start, rows.len()));
        }
        SortedSlice {
            ids: rows.iter().map(|r| r.id).collect(),
            ts: rows.iter().map(|r| r.ts).collect(),
            values: rows.iter().map(|r| r.value).collect(),
            runs,
        }
    }
}

/// Orders the rows of frozen generations for writing. Ids are renumbered into one space (the
/// generations' key columns concatenated); a series present in several generations gets one rank.
pub(crate) fn sort_for_parts(generations: &[&SeriesRows]) -> Result<SortedSeries> {
    let snapshots: Vec<SeriesSnapshot> = generations.iter().map(|g| g.snapshot()).collect();
    // One id space: each generation's ids follow the previous generations' series.
    let keys = concat_keys(
        snapshots
            .iter()
            .flat_map(|s| s.keys.iter().map(Arc::as_ref)),
    )?;
    let rank = rank_series(&keys)?;
    let ranks = rank.iter().max().map_or(0, |r| *r as usize + 1);

    let mut blocks: Vec<(Arc<RowBlock>, i32)> = Vec::new();
    let mut id_base = 0i32;
    for snapshot in &snapshots {
        blocks.extend(snapshot.rows.iter().map(|b| (b.clone(), id_base)));
        id_base += snapshot.series() as i32;
    }
    if blocks.len() > 1 << 16 {
        return Err(StorageError::Encoding(
            "a flush of more than 2^32 rows".into(),
        ));
    }
    let (mut first_day, mut last_day) = (i64::MAX, i64::MIN);
    for (block, _) in &blocks {
        for ts in block.ts.values().iter() {
            first_day = first_day.min(day_of(*ts));
            last_day = last_day.max(day_of(*ts));
        }
    }
    let total: usize = blocks.iter().map(|(b, _)| b.len()).sum();
    // Each row's bucket: (day, series rank) as one dense number.
    let bucket_of = |block: &RowBlock, base: i32, row: usize| -> usize {
        let day = (day_of(block.ts.value(row)) - first_day) as usize;
        day * ranks + rank[(block.ids.value(row) + base) as usize] as usize
    };
    let days = if total == 0 {
        0
    } else {
        (last_day - first_day) as usize + 1
    };
    let buckets = days.saturating_mul(ranks);
    let (order, bounds) = if buckets <= total.max(1 << 20) && buckets < u32::MAX as usize {
        // Counting sort into (day, series) buckets: count, then place (`write_day`).
        let mut bucket = Vec::with_capacity(total);
        let mut starts = vec![0usize; buckets + 1];
        for (block, base) in &blocks {
            for row in 0..block.len() {
                let b = bucket_of(block, *base, row);
                bucket.push(b as u32);
                starts[b + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let bounds: Vec<usize> = (0..=days).map(|day| starts[day * ranks]).collect();
        (Order::Buckets { bucket, starts }, bounds)
    } else {
        // Many days and many series (a backfill): sort (bucket, ts, position) triples.
        let mut keyed: Vec<(usize, i64, u32)> = Vec::with_capacity(total);
        for (b, (block, base)) in blocks.iter().enumerate() {
            for row in 0..block.len() {
                let position = ((b as u32) << 16) | row as u32;
                keyed.push((bucket_of(block, *base, row), block.ts.value(row), position));
            }
        }
        keyed.sort_unstable();
        let mut bounds = vec![0; days + 1];
        for (bucket, _, _) in &keyed {
            bounds[bucket / ranks.max(1) + 1] += 1;
        }
        for i in 1..bounds.len() {
            bounds[i] += bounds[i - 1];
        }
        let order = keyed.into_iter().map(|(_, _, position)| position).collect();
        (Order::Positions(order), bounds)
    };
    let days = bounds
        .windows(2)
        .enumerate()
        .filter(|(_, range)| range[0] < range[1])
        .map(|(day, range)| (first_day + day as i64, range[0]..range[1]))
        .collect();
    Ok(SortedSeries {
        keys,
        blocks,
        rank,
        order,
        days,
    })
}

/// Each series' place in (tenant, service, metric, labels) order; equal keys share a rank.
fn rank_series(keys: &[ArrayRef; 4]) -> Result<Vec<u32>> {
    let strings: Vec<&StringArray> = keys
        .iter()
        .map(|k| {
            k.as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| StorageError::Encoding("series keys are not strings".into()))
        })
        .collect::<Result<_>>()?;
    let key_of = |id: usize| -> [&str; 4] { std::array::from_fn(|c| strings[c].value(id)) };
    let series = keys[0].len();
    let mut order: Vec<u32> = (0..series as u32).collect();
    order.sort_unstable_by(|a, b| key_of(*a as usize).cmp(&key_of(*b as usize)));
    let mut rank = vec![0u32; series];
    let mut current = 0u32;
    for (position, id) in order.iter().enumerate() {
        if position > 0 && key_of(order[position - 1] as usize) != key_of(*id as usize) {
            current += 1;
        }
        rank[*id as usize] = current;
    }
    Ok(rank)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::StringArray;
    use telemetryhub_model::MetricPoint;

    use super::*;
    use crate::schema::metrics_batch;
    use crate::series_rows::tests::point;

    #[test]
    fn sorting_merges_generations_by_series_then_time() {
        let mut first = SeriesRows::default();
        let mut second = SeriesRows::default();
        let day = 86_400_000_000_000;
        first
            .insert_batch(
                &metrics_batch(&[
                    point("b", "x", 5, 1.0),
                    point("a", "x", day + 1, 2.0),
                    point("a", "x", 3, 3.0),
                ])
                .unwrap(),
            )
            .unwrap();
        second
            .insert_batch(
                &metrics_batch(&[point("a", "x", 1, 4.0), point("b", "x", 2, 5.0)]).unwrap(),
            )
            .unwrap();
        let sorted = sort_for_parts(&[&first, &second]).unwrap();
        let services = sorted.keys[1]
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        let mut summary: Vec<(i64, &str, i64, f64)> = Vec::new();
        let mut runs = Vec::new();
        let days: Vec<(i64, usize)> = sorted.days().collect();
        for (day, _) in days {
            sorted
                .write_day(day, 1000, 1000, |slice| {
                    runs.push(slice.runs.clone());
                    for i in 0..slice.ts.len() {
                        let service = services.value(slice.ids.value(i) as usize);
                        summary.push((day, service, slice.ts[i], slice.values[i]));
                    }
                    Ok(())
                })
                .unwrap();
        }
        assert_eq!(runs, vec![vec![(0, 2), (2, 4)], vec![(0, 1)]]);
        assert_eq!(
            summary,
            vec![
                (0, "a", 1, 4.0),
                (0, "a", 3, 3.0),
                (0, "b", 2, 5.0),
                (0, "b", 5, 1.0),
                (1, "a", day + 1, 2.0),
            ]
        );
    }

    /// Both sorting strategies (buckets for a few days, triples for a wide backfill) agree with
    /// sorting every row by (day, series key, time), and keep of rows with one series and time
    /// only the last to arrive (the test's many such rows have values rising with arrival).
    #[test]
    fn sorting_matches_a_full_comparison() {
        let day = 86_400_000_000_000i64;
        let mut state = 7u64;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        let mut duplicates = 0;
        // Buckets smaller than a chunk; buckets bigger than a chunk; a wide backfill.
        for (series, days, rows) in [
            (50u64, 2u64, 5_000usize),
            (5, 1, 2_000),
            (1_500, 1_000, 3_000),
        ] {
            let points: Vec<MetricPoint> = (0..rows)
                .map(|i| {
                    let ts = next(days) as i64 * day + next(1_000) as i64;
                    point("api", &format!("h{}", next(series)), ts, i as f64)
                })
                .collect();
            let (a, b) = points.split_at(rows / 3);
            let mut first = SeriesRows::default();
            first.insert_batch(&metrics_batch(a).unwrap()).unwrap();
            let mut second = SeriesRows::default();
            second.insert_batch(&metrics_batch(b).unwrap()).unwrap();
            let sorted = sort_for_parts(&[&first, &second]).unwrap();
            let labels = sorted.keys[3]
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap();
            let mut got = Vec::new();
            let days: Vec<(i64, usize)> = sorted.days().collect();
            for (day, rows) in days {
                let before = got.len();
                // Chunks of a few series (some series alone are bigger), and slices smaller
                // than a chunk, to cross both boundaries.
                sorted
                    .write_day(day, 150, 97, |slice| {
                        assert!(slice.ts.len() <= 97);
                        for i in 0..slice.ts.len() {
                            let labels = labels.value(slice.ids.value(i) as usize).to_string();
                            got.push((day_of(slice.ts[i]), labels, slice.ts[i], slice.values[i]));
                        }
                        Ok(())
                    })
                    .unwrap();
                assert!(got.len() - before <= rows);
            }
            let mut expected: Vec<(i64, String, i64, f64)> = points
                .iter()
                .map(|p| {
                    let labels = crate::schema::labels_json(&p.labels);
                    (day_of(p.ts_ns), labels, p.ts_ns, p.value)
                })
                .collect();
            // The order: by day, series, time, one row each.
            assert!(got.is_sorted_by(|x, y| (x.0, &x.1, x.2) < (y.0, &y.1, y.2)));
            // The content: of each (day, series, time), the row that arrived last.
            let by_everything = |x: &(i64, String, i64, f64), y: &(i64, String, i64, f64)| {
                (x.0, &x.1, x.2)
                    .cmp(&(y.0, &y.1, y.2))
                    .then(x.3.total_cmp(&y.3))
            };
            expected.sort_by(by_everything);
            expected.dedup_by(|later, kept| {
                let same = (later.0, &later.1, later.2) == (kept.0, &kept.1, kept.2);
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
            duplicates += points.len() - expected.len();
            assert_eq!(got, expected);
        }
        assert!(duplicates > 0, "the test has duplicates");
    }
}
