//! The samples of selected metrics series, read straight from the buffer's series rows and the
//! parts' series ranges — the read path of PromQL's selectors, with no query plan.
//!
//! A scan of the metrics table that filters only on its series columns and time
//! ([`answers`]) needs no row filter: which series it wants is decided once per series (the
//! parts' series indexes, the buffer's series keys), and a part's rows of one series are one
//! run in time order. So each part is read with the `parquet` crate alone — only `ts` and the
//! value columns, only the wanted series' row ranges (trimmed to the time range by the index's
//! marks; the part's page index skips pages outside them) — and each series' samples are
//! sliced out of the decoded columns, where the general path ([`crate::scan::frame`]) plans a
//! DataFusion query, reads the key columns too and groups rows by key.
//!
//! What it answers is what the general path answers: every acknowledged sample in the range,
//! each series once, and of samples with one series and timestamp the last written (later
//! parts over earlier ones, the buffer over parts, later buffered rows over earlier ones) —
//! the data conformance suite runs PromQL's selectors through both (`telemetryhub-query`'s
//! `conformance`), and `direct_reads_equal_the_general_scan` in `embedded/tests.rs` compares
//! them on overwritten, flushed and buffered samples. A store with parts written before the
//! series index answers through the general path instead.

use std::collections::HashMap;
use std::fs::File;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Float64Type, Int8Type, Int64Type, TimestampNanosecondType};
use datafusion::parquet::arrow::ProjectionMask;
use datafusion::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
};

use datafusion::parquet::file::metadata::PageIndexPolicy;

use crate::fetched_pages::FetchedPages;
use crate::sample_cache::{SampleCache, Segment, SegmentKey};
use crate::scan::{MetricSeries, Scan, TenantScope};
use crate::schema::Table;
use crate::series_index::MARK_ROWS;
use crate::series_rows::SeriesSnapshot;
use crate::value_codec;
use crate::{Result, StorageError};

/// The samples of one stored metrics series in a time range.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSamples {
    /// The series.
    pub series: MetricSeries,
    /// Sample times, ns since the Unix epoch, strictly increasing.
    pub ts_ns: Vec<i64>,
    /// Sample values as stored (staleness markers and NaN included), parallel to `ts_ns`.
    pub values: Vec<f64>,
}

/// What a reader makes of each series' samples (times and values, in place) as soon as they are
/// read and merged — a function's values at its evaluation times, say. A read shaped this way is
/// never held whole: each series is shaped while its samples are still in the core's cache, and
/// only the shaped form is kept.
pub type SamplesShape = Arc<dyn Fn(&mut Vec<i64>, &mut Vec<f64>) + Send + Sync>;

/// How [`crate::DataStore::metric_samples`] reads: each series shaped as it is read, or the most
/// samples the read may hold.
#[derive(Clone, Default)]
pub struct SamplesRead {
    /// What each series' samples become as soon as they are read and merged.
    pub shape: Option<SamplesShape>,
    /// The most samples an unshaped read may hold: a read whose parts hold more rows in its
    /// range (counted from their series indexes, less the rows the indexes' marks leave
    /// uncertain) is refused with [`StorageError::TooManySamples`] before anything is decoded.
    /// A shaped read holds one series at a time and is not limited.
    pub max_samples: Option<u64>,
}

impl std::fmt::Debug for SamplesRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SamplesRead")
            .field("shaped", &self.shape.is_some())
            .field("max_samples", &self.max_samples)
            .finish()
    }
}

/// Whether [`crate::DataStore::metric_samples`] reads `scan` this way: one tenant's metrics,
/// filtered only on the series columns and time ([`Scan::filters_only_series_and_time`]).
pub(crate) fn answers(scan: &Scan) -> bool {
    scan.table == Table::Metrics
        && matches!(scan.tenants, TenantScope::One(_))
        && scan.filters_only_series_and_time()
}

/// Parts' reader metadata (schema, row groups, page index), loaded once per part and kept:
/// parts never change.
pub(crate) fn load_metadata(path: &std::path::Path) -> Result<ArrowReaderMetadata> {
    let file = File::open(path).map_err(StorageError::io(path.display()))?;
    Ok(ArrowReaderMetadata::load(
        &file,
        ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Optional),
    )?)
}

/// What to read of one part: the wanted series with their row ranges.
pub(crate) struct PartPlan {
    /// The part file.
    pub path: PathBuf,
    /// Its reader metadata ([`load_metadata`]).
    pub metadata: ArrowReaderMetadata,
    /// Its number in the sample cache ([`SampleCache::part_number`]).
    pub part: u64,
    /// Its rows.
    pub rows: u64,
    /// Wanted series and the part's rows that may hold their samples in the range, in any
    /// order; the ranges do not overlap (a part's series are disjoint runs).
    pub series: Vec<(MetricSeries, Range<u64>)>,
}

impl PartPlan {
    /// Whether `cache` holds every segment the plan reads: reading it is then a few copies.
    pub fn cached_in(&self, cache: &SampleCache) -> bool {
        !cache.off()
            && self.series.iter().all(|(_, rows)| {
                segments(rows).all(|segment| {
                    cache.holds(SegmentKey {
                        part: self.part,
                        first_row: segment.start,
                    })
                })
            })
    }

    /// The rows the plan reads that surely lie in the time range: each series' rows less the
    /// two mark intervals at its ends, which may hold rows outside it.
    pub fn rows_in_range(&self) -> u64 {
        self.series
            .iter()
            .map(|(_, rows)| (rows.end - rows.start).saturating_sub(2 * MARK_ROWS))
            .sum()
    }

    /// The rows the plan reads.
    pub fn selected_rows(&self) -> u64 {
        self.series
            .iter()
            .map(|(_, rows)| rows.end - rows.start)
            .sum()
    }
}

/// One of the reads [`cut_by_series`] makes: parts' plans in write order and buffered chunks,
/// all of the same series.
pub(crate) struct SeriesRead {
    plans: Vec<PartPlan>,
    buffered: Vec<Chunk>,
}

impl SeriesRead {
    /// One read of all of `plans` (in write order) and `buffered`.
    pub(crate) fn new(plans: Vec<PartPlan>, buffered: Vec<Chunk>) -> SeriesRead {
        SeriesRead { plans, buffered }
    }

    /// Reads the plans' parts (through `cache`) and merges their chunks and the buffered ones:
    /// the read's series' samples where `since <= ts < until`, each shaped by `shape` as soon
    /// as it is merged.
    pub(crate) fn run(
        self,
        since: i64,
        until: i64,
        cache: &SampleCache,
        shape: Option<&SamplesShape>,
    ) -> Result<Vec<SeriesSamples>> {
        let mut chunks = if cache.off() {
            read_uncached(self.plans, since, until)?
        } else {
            let mut chunks = Vec::new();
            for plan in self.plans {
                chunks.extend(read_through(plan, since, until, cache)?);
            }
            chunks
        };
        chunks.extend(self.buffered);
        Ok(merge(chunks, shape))
    }
}

/// The parts' `plans` (in write order) and the `buffered` chunks cut into at most `pieces`
/// reads, each of whole series — a series' rows of every part and the buffer in one read, so
/// that each read merges on its own core. The reads are runs of series in key order of about
/// equal rows: parts are sorted by series key, so each read's rows of a part are one run, and
/// no page of a part is decoded by two reads except where two runs meet.
pub(crate) fn cut_by_series(
    plans: Vec<PartPlan>,
    buffered: Vec<Chunk>,
    pieces: usize,
) -> Vec<SeriesRead> {
    if pieces < 2 {
        return vec![SeriesRead::new(plans, buffered)];
    }
    let mut rows: std::collections::BTreeMap<&MetricSeries, u64> = Default::default();
    for plan in &plans {
        for (series, range) in &plan.series {
            *rows.entry(series).or_default() += range.end - range.start;
        }
    }
    let total: u64 = rows.values().sum();
    let per_piece = total.div_ceil(pieces as u64).max(1);
    // The first series of every read but the first.
    let mut starts: Vec<MetricSeries> = Vec::with_capacity(pieces - 1);
    let mut taken = 0;
    for (series, series_rows) in rows {
        if taken >= per_piece * (starts.len() as u64 + 1) && starts.len() + 1 < pieces {
            starts.push(series.clone());
        }
        taken += series_rows;
    }
    let place = |series: &MetricSeries| starts.partition_point(|start| start <= series);
    let mut reads: Vec<SeriesRead> = (0..pieces)
        .map(|_| SeriesRead::new(Vec::new(), Vec::new()))
        .collect();
    for plan in plans {
        let mut cut: Vec<Vec<(MetricSeries, Range<u64>)>> = vec![Vec::new(); pieces];
        for (series, range) in plan.series {
            cut[place(&series)].push((series, range));
        }
        for (read, series) in reads.iter_mut().zip(cut) {
            if !series.is_empty() {
                read.plans.push(PartPlan {
                    path: plan.path.clone(),
                    metadata: plan.metadata.clone(),
                    part: plan.part,
                    rows: plan.rows,
                    series,
                });
            }
        }
    }
    for chunk in buffered {
        reads[place(&chunk.series)].buffered.push(chunk);
    }
    reads.retain(|read| !read.plans.is_empty() || !read.buffered.is_empty());
    reads
}

/// One series' samples from one source, in that source's order: its own samples, then slices
/// of cached segments (read through the sample cache, they are copied once, by the merge).
pub(crate) struct Chunk {
    pub series: MetricSeries,
    pub ts_ns: Vec<i64>,
    pub values: Vec<f64>,
    /// Cached segments and the positions of their samples this chunk holds.
    cached: Vec<(Arc<Segment>, Range<usize>)>,
    /// Whether the samples' times strictly increase (noted while the chunk is filled, so the
    /// merge need not pass over them again).
    pub increasing: bool,
}

impl Chunk {
    /// An empty chunk of `series` with room for `capacity` samples.
    fn new(series: MetricSeries, capacity: usize) -> Chunk {
        Chunk {
            series,
            ts_ns: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
            cached: Vec::new(),
            increasing: true,
        }
    }

    /// How many samples it holds.
    fn len(&self) -> usize {
        self.ts_ns.len() + self.cached.iter().map(|(_, at)| at.len()).sum::<usize>()
    }

    /// Its first sample's time.
    fn first_ts(&self) -> Option<i64> {
        match self.ts_ns.first() {
            Some(&t) => Some(t),
            None => self.cached.first().map(|(s, at)| s.ts_ns[at.start]),
        }
    }

    /// Its last sample's time.
    fn last_ts(&self) -> Option<i64> {
        match self.cached.last() {
            Some((s, at)) => Some(s.ts_ns[at.end - 1]),
            None => self.ts_ns.last().copied(),
        }
    }

    /// Appends its samples to `ts_ns` and `values`.
    fn append_to(self, ts_ns: &mut Vec<i64>, values: &mut Vec<f64>) {
        ts_ns.extend_from_slice(&self.ts_ns);
        values.extend_from_slice(&self.values);
        for (segment, at) in self.cached {
            ts_ns.extend_from_slice(&segment.ts_ns[at.clone()]);
            values.extend_from_slice(&segment.values[at]);
        }
    }

    /// Appends rows `rows` of a part's decoded columns.
    fn extend(&mut self, columns: &SampleColumns, rows: Range<usize>) {
        let ts = &columns.ts[rows.clone()];
        if ts.is_empty() {
            return;
        }
        self.increasing &= still_increasing(self.ts_ns.last().copied(), ts);
        self.ts_ns.extend_from_slice(ts);
        columns.values.decode(rows, &mut self.values);
    }

    /// Appends a cached segment's samples where `since <= ts < until` (by reference).
    fn extend_from_segment(&mut self, segment: &Arc<Segment>, since: i64, until: i64) {
        let kept = within(&segment.ts_ns, since, until);
        let Some(&kept_first) = segment.ts_ns[kept.clone()].first() else {
            return;
        };
        self.increasing &=
            segment.increasing && self.last_ts().is_none_or(|last| last < kept_first);
        self.cached.push((segment.clone(), kept));
    }

    /// Appends a sample.
    fn push(&mut self, t: i64, value: f64) {
        if let Some(&last) = self.ts_ns.last() {
            self.increasing &= last < t;
        }
        self.ts_ns.push(t);
        self.values.push(value);
    }
}

/// Reads `plans`' series from their parts (in write order) with no cache: only the time and
/// value columns of their row ranges, each series' samples kept where `since <= ts < until`.
/// Every part's rows of a series go straight to one chunk of that series, in write order, so
/// the merge has nothing to copy (a series whose parts overlap in time is put in time order
/// there).
fn read_uncached(mut plans: Vec<PartPlan>, since: i64, until: i64) -> Result<Vec<Chunk>> {
    let mut slots: HashMap<MetricSeries, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut rows_of: Vec<usize> = Vec::new();
    // Each plan's series (in row order) as the chunk its rows go to.
    let chunk_of: Vec<Vec<usize>> = plans
        .iter_mut()
        .map(|plan| {
            plan.series.sort_by_key(|(_, rows)| rows.start);
            plan.series
                .iter()
                .map(|(series, rows)| {
                    let slot = *slots.entry(series.clone()).or_insert_with_key(|series| {
                        chunks.push(Chunk::new(series.clone(), 0));
                        rows_of.push(0);
                        chunks.len() - 1
                    });
                    rows_of[slot] += (rows.end - rows.start) as usize;
                    slot
                })
                .collect()
        })
        .collect();
    for (chunk, rows) in chunks.iter_mut().zip(rows_of) {
        chunk.ts_ns.reserve_exact(rows);
        chunk.values.reserve_exact(rows);
    }
    for (plan, at) in plans.iter().zip(&chunk_of) {
        let runs: Vec<Range<u64>> = plan.series.iter().map(|(_, rows)| rows.clone()).collect();
        decode_runs(plan, &runs, |run, columns, rows| {
            // The index's marks trim a range only to within one mark of the time range; a
            // series' rows are in time order (a part whose are not has no series index).
            let kept = within(&columns.ts[rows.clone()], since, until);
            chunks[at[run]].extend(columns, rows.start + kept.start..rows.start + kept.end);
        })?;
    }
    chunks.retain(|c| !c.ts_ns.is_empty());
    Ok(chunks)
}

/// Reads `plan`'s series from its part through `cache`: only the time and value columns of
/// their row ranges, each series' samples kept where `since <= ts < until`. The series'
/// segments the cache holds are copied from it, the others decoded (in one read of the part),
/// kept, and copied.
fn read_through(
    mut plan: PartPlan,
    since: i64,
    until: i64,
    cache: &SampleCache,
) -> Result<Vec<Chunk>> {
    plan.series.sort_by_key(|(_, rows)| rows.start);
    // Every segment of every series in row order, with the series' positions among them.
    let mut segments: Vec<(Range<u64>, Option<Arc<Segment>>)> = Vec::new();
    let mut of_series: Vec<Range<usize>> = Vec::with_capacity(plan.series.len());
    for (_, rows) in &plan.series {
        let first = segments.len();
        for segment in self::segments(rows) {
            let key = SegmentKey {
                part: plan.part,
                first_row: segment.start,
            };
            segments.push((segment, cache.get(key)));
        }
        of_series.push(first..segments.len());
    }
    let missing: Vec<usize> = (0..segments.len())
        .filter(|&at| segments[at].1.is_none())
        .collect();
    cache.count(segments.len() - missing.len(), missing.len());
    if !missing.is_empty() {
        let runs: Vec<Range<u64>> = missing.iter().map(|&at| segments[at].0.clone()).collect();
        let mut decoded: Vec<Segment> = runs
            .iter()
            .map(|rows| Segment::with_capacity((rows.end - rows.start) as usize))
            .collect();
        decode_runs(&plan, &runs, |run, columns, rows| {
            decoded[run].extend(columns, rows);
        })?;
        let mut kept = Vec::with_capacity(missing.len());
        for (at, segment) in missing.into_iter().zip(decoded) {
            let segment = Arc::new(segment);
            let key = SegmentKey {
                part: plan.part,
                first_row: segments[at].0.start,
            };
            kept.push((key, segment.clone()));
            segments[at].1 = Some(segment);
        }
        cache.insert(kept);
    }
    let mut chunks = Vec::with_capacity(plan.series.len());
    for ((series, _), at) in plan.series.into_iter().zip(of_series) {
        let mut chunk = Chunk::new(series, 0);
        chunk.cached.reserve_exact(at.len());
        for segment in segments[at]
            .iter()
            .filter_map(|(_, segment)| segment.as_ref())
        {
            chunk.extend_from_segment(segment, since, until);
        }
        if !chunk.cached.is_empty() {
            chunks.push(chunk);
        }
    }
    Ok(chunks)
}

/// The segments of a series' row range (which starts at a mark of its series index): runs of
/// [`MARK_ROWS`] rows from its start, the last one to its end.
fn segments(rows: &Range<u64>) -> impl Iterator<Item = Range<u64>> + '_ {
    (rows.start..rows.end)
        .step_by(MARK_ROWS as usize)
        .map(|start| start..(start + MARK_ROWS).min(rows.end))
}

/// Decodes the time and value columns of `plan`'s part at `runs` (ascending, disjoint row
/// ranges), handing each decoded slice of rows to `place` with the index of its run: a run's
/// rows come in order, possibly over several calls.
fn decode_runs(
    plan: &PartPlan,
    runs: &[Range<u64>],
    mut place: impl FnMut(usize, &SampleColumns, Range<usize>),
) -> Result<()> {
    let file = File::open(&plan.path).map_err(StorageError::io(plan.path.display()))?;
    let schema = plan.metadata.schema().clone();
    let position = |name: &str| schema.fields().iter().position(|f| f.name() == name);
    // Parts of the first format hold the values as floats; later ones as mantissa and scale.
    let values_at = match position("value") {
        Some(value) => vec![value],
        None => vec![
            position(value_codec::MANTISSA).ok_or_else(|| missing(plan, "value_mantissa"))?,
            position(value_codec::SCALE).ok_or_else(|| missing(plan, "value_scale"))?,
        ],
    };
    let ts_at = position("ts").ok_or_else(|| missing(plan, "ts"))?;
    let mut roots = vec![ts_at];
    roots.extend(&values_at);
    let parquet_schema = plan.metadata.metadata().file_metadata().schema_descr();
    let leaves: Vec<usize> = (0..parquet_schema.num_columns())
        .filter(|&leaf| roots.contains(&parquet_schema.get_column_root_idx(leaf)))
        .collect();
    let mask = ProjectionMask::roots(parquet_schema, roots);
    let selection = RowSelection::from_consecutive_ranges(
        runs.iter()
            .map(|rows| rows.start as usize..rows.end as usize),
        plan.rows as usize,
    );
    let lengths: Vec<usize> = runs.iter().map(|r| (r.end - r.start) as usize).collect();
    let selected: usize = lengths.iter().sum();
    let pages = FetchedPages::fetch(file, plan.metadata.metadata(), &leaves, runs)
        .map_err(StorageError::io(plan.path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(pages, plan.metadata.clone())
        .with_projection(mask)
        .with_row_selection(selection)
        .with_batch_size(selected.clamp(1, 1 << 16))
        .build()?;
    // The rows come in the order of the runs, so a cursor over the runs (and the rows the
    // current one has left) places them.
    let (mut current, mut left) = (0, lengths.first().copied().unwrap_or(0));
    let mut read = 0;
    for batch in reader {
        let batch = batch?;
        let columns = SampleColumns::of(&batch, values_at.len() == 1)?;
        let rows = batch.num_rows();
        read += rows;
        let mut at = 0;
        while at < rows {
            while left == 0 {
                current += 1;
                left = *lengths
                    .get(current)
                    .ok_or_else(|| too_many(&plan.path, read))?;
            }
            let take = left.min(rows - at);
            place(current, &columns, at..at + take);
            left -= take;
            at += take;
        }
    }
    if read != selected {
        return Err(StorageError::Encoding(format!(
            "part {} gave {read} rows for {selected} selected",
            plan.path.display(),
        )));
    }
    Ok(())
}

fn too_many(path: &std::path::Path, read: usize) -> StorageError {
    StorageError::Encoding(format!(
        "part {} gave more rows ({read}) than selected",
        path.display()
    ))
}

fn missing(plan: &PartPlan, column: &str) -> StorageError {
    StorageError::Encoding(format!(
        "metrics part {} has no column {column}",
        plan.path.display()
    ))
}

/// A batch's time and value columns: (ts, value) or (ts, mantissa, scale).
struct SampleColumns<'a> {
    ts: &'a [i64],
    values: Values<'a>,
}

/// Values as floats, or as decimal mantissas and scales (`value_codec`).
enum Values<'a> {
    Floats(&'a [f64]),
    Decimals(&'a [i64], &'a [i8]),
}

impl Values<'_> {
    /// Appends the values of rows `rows` to `out` as floats, slice by slice: the copies and the
    /// decoding of one series' values (one scale per run) are loops the compiler vectorises.
    fn decode(&self, rows: Range<usize>, out: &mut Vec<f64>) {
        match *self {
            Values::Floats(values) => out.extend_from_slice(&values[rows]),
            Values::Decimals(mantissas, scales) => {
                let (mantissas, scales) = (&mantissas[rows.clone()], &scales[rows]);
                let Some(&scale) = scales.first() else {
                    return;
                };
                if scales.iter().all(|&s| s == scale) {
                    value_codec::decode_run(mantissas, scale, out);
                } else {
                    out.extend(
                        mantissas
                            .iter()
                            .zip(scales)
                            .map(|(&mantissa, &scale)| value_codec::decode(mantissa, scale)),
                    );
                }
            }
        }
    }
}

impl Segment {
    /// An empty segment with room for `rows` samples.
    fn with_capacity(rows: usize) -> Segment {
        Segment {
            ts_ns: Vec::with_capacity(rows),
            values: Vec::with_capacity(rows),
            increasing: true,
        }
    }

    /// Appends rows `rows` of a part's decoded columns, untrimmed.
    fn extend(&mut self, columns: &SampleColumns, rows: Range<usize>) {
        let ts = &columns.ts[rows.clone()];
        self.increasing &= still_increasing(self.ts_ns.last().copied(), ts);
        self.ts_ns.extend_from_slice(ts);
        columns.values.decode(rows, &mut self.values);
    }
}

/// Whether times that increased up to `last` still strictly increase with `ts` appended.
fn still_increasing(last: Option<i64>, ts: &[i64]) -> bool {
    ts.first()
        .is_none_or(|&first| last.is_none_or(|last| last < first))
        && ts.windows(2).all(|pair| pair[0] < pair[1])
}

/// The positions of `ts` (in time order) where `since <= t < until`.
fn within(ts: &[i64], since: i64, until: i64) -> Range<usize> {
    match (ts.first(), ts.last()) {
        // Most runs lie wholly inside the range: their two ends tell, without a search.
        (Some(&first), Some(&last)) if since <= first && last < until => 0..ts.len(),
        _ => ts.partition_point(|&t| t < since)..ts.partition_point(|&t| t < until),
    }
}

impl<'a> SampleColumns<'a> {
    fn of(batch: &'a RecordBatch, float_values: bool) -> Result<SampleColumns<'a>> {
        if batch.columns().iter().any(|c| c.null_count() > 0) {
            return Err(StorageError::Encoding(
                "a metrics part has null times or values".into(),
            ));
        }
        let ts = batch
            .column(0)
            .as_primitive_opt::<TimestampNanosecondType>()
            .ok_or_else(|| StorageError::Encoding("ts is not a timestamp".into()))?;
        let values = if float_values {
            let column = batch
                .column(1)
                .as_primitive_opt::<Float64Type>()
                .ok_or_else(|| StorageError::Encoding("value is not a float".into()))?;
            Values::Floats(column.values())
        } else {
            let mantissas = batch
                .column(1)
                .as_primitive_opt::<Int64Type>()
                .ok_or_else(|| StorageError::Encoding("value_mantissa is not an integer".into()))?;
            let scales = batch
                .column(2)
                .as_primitive_opt::<Int8Type>()
                .ok_or_else(|| StorageError::Encoding("value_scale is not an integer".into()))?;
            Values::Decimals(mantissas.values(), scales.values())
        };
        Ok(SampleColumns {
            ts: ts.values(),
            values,
        })
    }
}

/// The buffered samples of the series `scan` wants, one chunk per series and generation, the
/// generations in the order given (oldest first), rows in arrival order.
pub(crate) fn read_buffer(scan: &Scan, generations: &[SeriesSnapshot]) -> Vec<Chunk> {
    let test = scan.series_test();
    let mut chunks = Vec::new();
    for generation in generations {
        // Each series id of the generation: the chunk its rows go to, if wanted.
        let mut wanted: Vec<Option<usize>> = Vec::with_capacity(generation.series());
        let first_chunk = chunks.len();
        for block in &generation.keys {
            let [tenants, services, metrics, labels] = &block.columns;
            for row in 0..tenants.len() {
                let key = [
                    tenants.value(row),
                    services.value(row),
                    metrics.value(row),
                    labels.value(row),
                ];
                wanted.push(test.wants_key(key).then(|| {
                    let series = MetricSeries {
                        service: key[1].to_string(),
                        metric: key[2].to_string(),
                        labels: key[3].to_string(),
                    };
                    chunks.push(Chunk::new(series, 0));
                    chunks.len() - 1
                }));
            }
        }
        if chunks.len() == first_chunk {
            continue;
        }
        for block in &generation.rows {
            let (ids, ts, values) = (block.ids.values(), block.ts.values(), block.values.values());
            for row in 0..ids.len() {
                let Some(Some(chunk)) =
                    usize::try_from(ids[row]).ok().and_then(|id| wanted.get(id))
                else {
                    continue;
                };
                let t = ts[row];
                if t < scan.since_ns || t >= scan.until_ns {
                    continue;
                }
                chunks[*chunk].push(t, values[row]);
            }
        }
    }
    chunks.retain(|c| !c.ts_ns.is_empty());
    chunks
}

/// Each series' samples from `chunks` given in write order (earlier sources first): in time
/// order, of samples with one timestamp the last written, then shaped by `shape`. Series in no
/// particular order.
pub(crate) fn merge(
    chunks: impl IntoIterator<Item = Chunk>,
    shape: Option<&SamplesShape>,
) -> Vec<SeriesSamples> {
    let mut by_series: HashMap<MetricSeries, usize, foldhash::fast::RandomState> =
        HashMap::default();
    let mut grouped: Vec<(MetricSeries, Vec<Chunk>, bool)> = Vec::new();
    for mut chunk in chunks {
        let series = std::mem::take(&mut chunk.series);
        let slot = *by_series.entry(series).or_insert_with_key(|series| {
            grouped.push((series.clone(), Vec::new(), true));
            grouped.len() - 1
        });
        let (_, chunks, increasing) = &mut grouped[slot];
        *increasing &= chunk.increasing;
        chunks.push(chunk);
    }
    grouped
        .into_iter()
        .filter_map(|(series, chunks, increasing)| {
            let ordered = increasing
                && chunks
                    .windows(2)
                    .all(|pair| pair[0].last_ts() < pair[1].first_ts());
            // The other chunks are appended to the first, grown once to the exact size (a
            // large buffer usually grows in place, so only the others are copied).
            let total: usize = chunks.iter().map(Chunk::len).sum();
            let mut rest = chunks.into_iter();
            let mut first = rest.next()?;
            let (mut ts_ns, mut values) = (
                std::mem::take(&mut first.ts_ns),
                std::mem::take(&mut first.values),
            );
            ts_ns.reserve_exact(total - ts_ns.len());
            values.reserve_exact(total - values.len());
            for chunk in std::iter::once(first).chain(rest) {
                chunk.append_to(&mut ts_ns, &mut values);
            }
            let samples = SeriesSamples {
                series,
                ts_ns,
                values,
            };
            let mut samples = if ordered {
                samples
            } else {
                last_written(samples)
            };
            if let Some(shape) = shape {
                shape(&mut samples.ts_ns, &mut samples.values);
            }
            Some(samples)
        })
        .collect()
}

/// `samples` (in write order) in time order, of samples with one timestamp the last written.
fn last_written(samples: SeriesSamples) -> SeriesSamples {
    let mut order: Vec<usize> = (0..samples.ts_ns.len()).collect();
    // Stable: of equal times, the later written stays later.
    order.sort_by_key(|&at| samples.ts_ns[at]);
    let mut ts_ns: Vec<i64> = Vec::with_capacity(order.len());
    let mut values: Vec<f64> = Vec::with_capacity(order.len());
    for at in order {
        let (t, v) = (samples.ts_ns[at], samples.values[at]);
        if ts_ns.last() == Some(&t) {
            if let Some(last) = values.last_mut() {
                *last = v;
            }
        } else {
            ts_ns.push(t);
            values.push(v);
        }
    }
    SeriesSamples {
        series: samples.series,
        ts_ns,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(labels: &str, ts: &[i64], values: &[f64]) -> Chunk {
        let series = MetricSeries {
            service: "s".into(),
            metric: "m".into(),
            labels: labels.into(),
        };
        let mut chunk = Chunk::new(series, ts.len());
        for (&t, &value) in ts.iter().zip(values) {
            chunk.push(t, value);
        }
        chunk
    }

    #[test]
    fn merged_chunks_keep_the_last_written_sample_of_each_time() {
        let merged = merge(
            [
                chunk("a", &[1, 2, 3], &[1.0, 2.0, 3.0]),
                chunk("b", &[5], &[50.0]),
                chunk("a", &[4, 5], &[4.0, 5.0]),
                // Written later: overwrites 2 and fills 0.
                chunk("a", &[2, 0], &[20.0, 0.5]),
                // A later chunk repeating a time twice: its last one wins.
                chunk("a", &[3, 3], &[30.0, 31.0]),
            ],
            None,
        );
        let a = merged.iter().find(|s| s.series.labels == "a").unwrap();
        assert_eq!(a.ts_ns, [0, 1, 2, 3, 4, 5]);
        assert_eq!(a.values, [0.5, 1.0, 20.0, 31.0, 4.0, 5.0]);
        let b = merged.iter().find(|s| s.series.labels == "b").unwrap();
        assert_eq!(
            (b.ts_ns.as_slice(), b.values.as_slice()),
            (&[5][..], &[50.0][..])
        );
    }

    #[test]
    fn ordered_chunks_are_concatenated() {
        let merged = merge(
            [chunk("a", &[1, 2], &[1.0, 2.0]), chunk("a", &[3], &[3.0])],
            None,
        );
        assert_eq!(merged[0].ts_ns, [1, 2, 3]);
        assert_eq!(merged[0].values, [1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_shape_sees_each_series_merged() {
        // The shape keeps the last time and the sum of the values: of the merged samples, so
        // the overwritten 2.0 is not in it.
        let shape: SamplesShape = Arc::new(|ts, values| {
            let last = ts.last().copied();
            let sum: f64 = values.iter().sum();
            *ts = last.into_iter().collect();
            *values = vec![sum];
        });
        let mut merged = merge(
            [
                chunk("a", &[1, 2], &[1.0, 2.0]),
                chunk("b", &[7], &[70.0]),
                chunk("a", &[2, 3], &[20.0, 3.0]),
            ],
            Some(&shape),
        );
        merged.sort_by(|x, y| x.series.labels.cmp(&y.series.labels));
        let shaped: Vec<(&str, &[i64], &[f64])> = merged
            .iter()
            .map(|s| (s.series.labels.as_str(), &s.ts_ns[..], &s.values[..]))
            .collect();
        assert_eq!(
            shaped,
            [("a", &[3][..], &[24.0][..]), ("b", &[7][..], &[70.0][..])]
        );
    }
}
