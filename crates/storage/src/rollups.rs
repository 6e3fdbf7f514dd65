//! Hourly rollups of metric series: the `metrics_hourly` table.
//!
//! A flush rolls up the metric rows it writes — after it kept one sample per series and
//! timestamp, and leaving out NaN and ±Inf as the native queries do — into one row per series
//! and hour ([`HourlyRollup`]: count, sum, min, max exactly, p50/p95/p99 from a DDSketch, and the
//! sketch itself), written as a `metrics_hourly` part committed to the catalog in the same
//! transaction as the metrics parts and the WAL flush point. So a sample is in the rollups
//! exactly when it is in a flushed metrics part: a crash before that commit replays the WAL
//! into the buffer and the next flush rolls the samples up once; a crash after it skips those
//! segments.
//!
//! An hour that spans several flushes has several rows. They are merged when read: a scan of
//! `metrics_hourly` answers one row per series and hour, merging the rows of parts and the
//! buffered samples (rolled up at read time, so what is acknowledged is answered at once), and
//! compaction merges them on disk so reads grow no more expensive. Merging on read rather than
//! only at compaction keeps answers exact whatever compaction has done yet; rewriting the hour's
//! row at each flush instead would read a part back on every flush.
//!
//! Kept apart from `parts` (which writes whatever batches it is given) and `flush_order` (which
//! orders the rows): this module only turns rows into rollups and merges rollups.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BinaryBuilder, Float64Array, Float64Builder, RecordBatch, StringBuilder,
    TimestampNanosecondArray, TimestampNanosecondBuilder, UInt64Array, UInt64Builder,
};
use telemetryhub_model::rollup::{HourlyRollup, hour_start_ns as hour_start};

use crate::flush_order::SortedSlice;
use crate::schema::{StrColumn, Table, column, str_column};
use crate::{Result, StorageError};

/// The quantiles stored beside the sketch.
const QUANTILES: [f64; 3] = [0.5, 0.95, 0.99];

/// Rows of the `metrics_hourly` table being built.
pub(crate) struct HourlyRows {
    keys: [StringBuilder; 4],
    hour: TimestampNanosecondBuilder,
    count: UInt64Builder,
    figures: [Float64Builder; 6],
    sketch: BinaryBuilder,
    rows: usize,
}

impl HourlyRows {
    pub(crate) fn new() -> HourlyRows {
        HourlyRows {
            keys: std::array::from_fn(|_| StringBuilder::new()),
            hour: TimestampNanosecondBuilder::new(),
            count: UInt64Builder::new(),
            figures: std::array::from_fn(|_| Float64Builder::new()),
            sketch: BinaryBuilder::new(),
            rows: 0,
        }
    }

    /// Adds one series' rollup of `hour`; an empty rollup (only non-finite values) adds nothing.
    pub(crate) fn push(&mut self, key: [&str; 4], hour: i64, rollup: &HourlyRollup) {
        if rollup.count() == 0 {
            return;
        }
        let [p50, p95, p99] = QUANTILES.map(|q| rollup.quantile(q).unwrap_or(f64::NAN));
        let figures = [
            rollup.sum(),
            rollup.min().unwrap_or(f64::NAN),
            rollup.max().unwrap_or(f64::NAN),
            p50,
            p95,
            p99,
        ];
        self.push_figures(key, hour, rollup.count(), figures, &rollup.to_bytes());
    }

    fn push_figures(
        &mut self,
        key: [&str; 4],
        hour: i64,
        count: u64,
        figures: [f64; 6],
        sketch: &[u8],
    ) {
        for (builder, value) in self.keys.iter_mut().zip(key) {
            builder.append_value(value);
        }
        self.hour.append_value(hour);
        self.count.append_value(count);
        for (builder, value) in self.figures.iter_mut().zip(figures) {
            builder.append_value(value);
        }
        self.sketch.append_value(sketch);
        self.rows += 1;
    }

    /// The rows as one batch in the table's schema, or `None` when there are none.
    pub(crate) fn finish(mut self) -> Result<Option<RecordBatch>> {
        if self.rows == 0 {
            return Ok(None);
        }
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(13);
        for builder in &mut self.keys {
            columns.push(Arc::new(builder.finish()));
        }
        columns.push(Arc::new(self.hour.finish().with_timezone("UTC")));
        columns.push(Arc::new(self.count.finish()));
        for builder in &mut self.figures {
            columns.push(Arc::new(builder.finish()));
        }
        columns.push(Arc::new(self.sketch.finish()));
        Ok(Some(RecordBatch::try_new(
            Table::MetricsHourly.schema(),
            columns,
        )?))
    }
}

/// The rollup a flush is building: one series' hour at a time, since a flush hands its rows
/// over by day, series and time.
struct Open {
    id: i32,
    key: [String; 4],
    hour: i64,
    rollup: HourlyRollup,
}

/// Rolls up the rows a flush writes, in the order it writes them (`flush_order`).
pub(crate) struct FlushRollup {
    open: Option<Open>,
    rows: HourlyRows,
    /// Samples rolled up (finite ones).
    pub samples: u64,
    /// Time spent rolling up.
    pub spent: std::time::Duration,
}

impl FlushRollup {
    pub(crate) fn new() -> FlushRollup {
        FlushRollup {
            open: None,
            rows: HourlyRows::new(),
            samples: 0,
            spent: std::time::Duration::ZERO,
        }
    }

    /// Adds a slice of sorted rows whose ids index `keys` (tenant, service, metric, labels).
    pub(crate) fn add(&mut self, keys: &[ArrayRef; 4], slice: &SortedSlice) -> Result<()> {
        let columns: Vec<StrColumn<'_>> = keys
            .iter()
            .map(|k| crate::schema::str_array(k.as_ref()))
            .collect::<Result<_>>()?;
        for &(start, end) in &slice.runs {
            let id = slice.ids.value(start);
            let at = usize::try_from(id)
                .map_err(|_| StorageError::Encoding(format!("series id {id} out of range")))?;
            let key: [&str; 4] = std::array::from_fn(|c| columns[c].value(at));
            for row in start..end {
                let hour = hour_start(slice.ts[row]);
                let same = self.open.as_ref().is_some_and(|open| {
                    open.hour == hour
                        && (open.id == id || open.key.iter().map(String::as_str).eq(key))
                });
                if !same {
                    self.close();
                    self.open = Some(Open {
                        id,
                        key: key.map(str::to_string),
                        hour,
                        rollup: HourlyRollup::new(),
                    });
                }
                if let Some(open) = &mut self.open
                    && open.rollup.add(slice.values[row])
                {
                    self.samples += 1;
                }
            }
        }
        Ok(())
    }

    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            let key = [
                open.key[0].as_str(),
                open.key[1].as_str(),
                open.key[2].as_str(),
                open.key[3].as_str(),
            ];
            self.rows.push(key, open.hour, &open.rollup);
        }
    }

    /// The rollup rows, or `None` when no finite sample was added.
    pub(crate) fn finish(mut self) -> Result<Option<RecordBatch>> {
        self.close();
        self.rows.finish()
    }
}

/// Rolls up buffered metric rows (the metrics table's columns and [`crate::WRITE_ORDER`]) as a
/// flush would: of rows with one series and timestamp the last written, finite values only.
pub(crate) fn roll_up_rows(batches: &[RecordBatch]) -> Result<Option<RecordBatch>> {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut last: HashMap<(Key<'_>, i64), (u64, f64)> = HashMap::new();
    for batch in batches {
        let keys: Vec<StrColumn<'_>> = ["tenant", "service", "metric", "labels"]
            .iter()
            .map(|name| str_column(batch, name))
            .collect::<Result<_>>()?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
        let value = column::<Float64Array>(batch, "value")?;
        let order = column::<UInt64Array>(batch, crate::WRITE_ORDER)?;
        for row in 0..batch.num_rows() {
            let key = (
                keys[0].value(row),
                keys[1].value(row),
                keys[2].value(row),
                keys[3].value(row),
            );
            let entry = last
                .entry((key, ts.value(row)))
                .or_insert((order.value(row), value.value(row)));
            if order.value(row) >= entry.0 {
                *entry = (order.value(row), value.value(row));
            }
        }
    }
    let mut hours: BTreeMap<(Key<'_>, i64), HourlyRollup> = BTreeMap::new();
    for ((key, ts), (_, value)) in last {
        hours.entry((key, hour_start(ts))).or_default().add(value);
    }
    let mut rows = HourlyRows::new();
    for ((key, hour), rollup) in &hours {
        rows.push([key.0, key.1, key.2, key.3], *hour, rollup);
    }
    rows.finish()
}

/// `batches` of `metrics_hourly` rows with one row per series and hour, in the table's sort
/// order: rows of one series and hour (from several flushes, or parts and the buffer) merged —
/// counts and sums added, extremes kept, sketches merged.
pub(crate) fn merge_hours(batches: &[RecordBatch]) -> Result<Option<RecordBatch>> {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str, i64);
    struct Columns<'a> {
        keys: Vec<StrColumn<'a>>,
        hour: &'a TimestampNanosecondArray,
        count: &'a UInt64Array,
        figures: Vec<&'a Float64Array>,
        sketch: &'a BinaryArray,
    }
    let mut columns = Vec::with_capacity(batches.len());
    for batch in batches {
        columns.push(Columns {
            keys: ["tenant", "service", "metric", "labels"]
                .iter()
                .map(|name| str_column(batch, name))
                .collect::<Result<_>>()?,
            hour: column(batch, "hour")?,
            count: column(batch, "count")?,
            figures: ["sum", "min", "max", "p50", "p95", "p99"]
                .iter()
                .map(|name| column::<Float64Array>(batch, name))
                .collect::<Result<_>>()?,
            sketch: column(batch, "sketch")?,
        });
    }
    let mut groups: BTreeMap<Key<'_>, Vec<(usize, usize)>> = BTreeMap::new();
    for (b, c) in columns.iter().enumerate() {
        for row in 0..c.hour.len() {
            let key = (
                c.keys[0].value(row),
                c.keys[1].value(row),
                c.keys[2].value(row),
                c.keys[3].value(row),
                c.hour.value(row),
            );
            groups.entry(key).or_default().push((b, row));
        }
    }
    let mut rows = HourlyRows::new();
    for ((tenant, service, metric, labels, hour), at) in groups {
        let key = [tenant, service, metric, labels];
        if let [(b, row)] = at.as_slice() {
            let c = &columns[*b];
            let figures: [f64; 6] = std::array::from_fn(|f| c.figures[f].value(*row));
            rows.push_figures(
                key,
                hour,
                c.count.value(*row),
                figures,
                c.sketch.value(*row),
            );
            continue;
        }
        let mut merged = HourlyRollup::new();
        for (b, row) in at {
            let stored = HourlyRollup::from_bytes(columns[b].sketch.value(row))
                .map_err(|e| StorageError::Encoding(format!("metrics_hourly: {e}")))?;
            merged.merge(&stored);
        }
        rows.push(key, hour, &merged);
    }
    rows.finish()
}

#[cfg(test)]
mod tests;
