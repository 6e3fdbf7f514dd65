//! Time-bucketed aggregates of long ranges from the hourly rollups (`metrics_hourly`), in the
//! shape the raw plan (`plans::series`) answers.
//!
//! Used when the range is longer than [`ROLLUP_MIN_RANGE_NS`], the bucket a whole number of
//! hours, and the store's rollups hold every sample from the range's start on
//! (`DataStore::rollups_complete_since`). The whole hours inside the range come from the
//! rollups; the partial hours at its edges from raw samples, rolled up here — so every bucket
//! holds the same samples as the raw plan's. Count, sum, min, max and avg are exact (sums up to
//! the order of floating-point additions); p50, p95 and p99 are the DDSketch's estimate, within
//! 1 % of the value of rank `floor(q * (n - 1))` — the lower of the two values the raw plan's
//! interpolated percentile lies between.
//!
//! Not for PromQL or LogQL: their functions need samples or windows that rollups do not keep
//! (see the README's "Hourly rollups").

use std::collections::BTreeMap;

use datafusion::arrow::array::{
    BinaryArray, Float64Array, RecordBatch, StringArray, TimestampNanosecondArray, UInt64Array,
};
use datafusion::prelude::SessionContext;
use telemetryhub_model::rollup::{HOUR_NS, HourlyRollup, hour_start_ns};
use telemetryhub_model::{AggregatedSeries, Aggregation, SeriesQuery};
use telemetryhub_storage::DataStore;
use telemetryhub_storage::schema::{Table, column};

use crate::plans::{finite_values, series_scan};
use crate::{QueryError, Result};

/// Ranges longer than this (7 days), bucketed by whole hours, are answered from rollups.
pub const ROLLUP_MIN_RANGE_NS: i64 = 7 * 24 * HOUR_NS;

/// Whether `query` is answered from the rollups of `data`.
pub(crate) fn uses_rollups(data: &dyn DataStore, query: &SeriesQuery) -> bool {
    let select = &query.select;
    query.step_ns > 0
        && query.step_ns % HOUR_NS == 0
        && select.until_ns.saturating_sub(select.since_ns) > ROLLUP_MIN_RANGE_NS
        && data
            .rollups_complete_since()
            .is_some_and(|since| select.since_ns >= since)
}

/// What a bucket of one series holds: the exact figures, and the merged sketch when a
/// percentile is asked for.
struct Bucket {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    sketch: Option<HourlyRollup>,
}

impl Bucket {
    fn new(percentile: bool) -> Bucket {
        Bucket {
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sketch: percentile.then(HourlyRollup::new),
        }
    }

    fn value(&self, aggregation: Aggregation) -> Option<f64> {
        Some(match aggregation {
            Aggregation::Avg => self.sum / self.count as f64,
            Aggregation::Min => self.min,
            Aggregation::Max => self.max,
            Aggregation::Sum => self.sum,
            Aggregation::Count => self.count as f64,
            percentile => self
                .sketch
                .as_ref()?
                .quantile(percentile.percentile().unwrap_or(0.5))?,
        })
    }
}

/// (service, metric, labels JSON, bucket start).
type Key = (String, String, String, i64);

/// A series' `(bucket start, value, samples)`, as `AggregatedSeries` holds them.
type Buckets = Vec<(i64, f64, u64)>;

/// The raw plan's bucket of a time: `(ts / step) * step` (truncating, as DataFusion divides).
fn bucket_of(ts_ns: i64, step_ns: i64) -> i64 {
    (ts_ns / step_ns) * step_ns
}

pub(crate) async fn series(
    ctx: &SessionContext,
    data: &dyn DataStore,
    query: &SeriesQuery,
) -> Result<Vec<AggregatedSeries>> {
    let select = &query.select;
    let step = query.step_ns;
    let percentile = query.aggregation.percentile().is_some();
    let inner_since = hour_start_ns(select.since_ns.saturating_add(HOUR_NS - 1));
    let inner_until = hour_start_ns(select.until_ns).max(inner_since);
    let mut buckets: BTreeMap<Key, Bucket> = BTreeMap::new();

    // The whole hours: one merged row per series and hour.
    let mut hours = select.clone();
    (hours.since_ns, hours.until_ns) = (inner_since, inner_until);
    let scan = series_scan(Table::MetricsHourly, &hours);
    if let Some(frame) = data.scan(ctx, &scan).await? {
        for batch in frame.collect().await? {
            add_hours(&batch, step, percentile, &mut buckets)?;
        }
    }
    // The partial hours at the edges, from raw samples.
    for (since, until) in [
        (select.since_ns, inner_since.min(select.until_ns)),
        (inner_until.max(select.since_ns), select.until_ns),
    ] {
        if since >= until {
            continue;
        }
        let mut edge = select.clone();
        (edge.since_ns, edge.until_ns) = (since, until);
        let Some(frame) = data.scan(ctx, &series_scan(Table::Metrics, &edge)).await? else {
            continue;
        };
        for batch in finite_values(frame)?.collect().await? {
            add_samples(&batch, step, percentile, &mut buckets)?;
        }
    }

    // As the raw plan: buckets newest first, then by series, limited; then per series.
    let mut rows: Vec<(Key, f64, u64)> = buckets
        .into_iter()
        .filter(|(_, b)| b.count > 0)
        .filter_map(|(key, b)| Some((key, b.value(query.aggregation)?, b.count)))
        .collect();
    rows.sort_by(|(a, ..), (b, ..)| {
        b.3.cmp(&a.3)
            .then_with(|| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)))
    });
    rows.truncate(select.limit);
    let mut grouped: BTreeMap<(String, String, String), Buckets> = BTreeMap::new();
    for ((service, metric, labels, bucket), value, n) in rows {
        grouped
            .entry((service, metric, labels))
            .or_default()
            .push((bucket, value, n));
    }
    Ok(crate::plans::aggregated_series(grouped))
}

fn text<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray> {
    Ok(column(batch, name)?)
}

/// The series columns of a batch of `metrics` or `metrics_hourly` rows.
struct SeriesColumns<'a> {
    service: &'a StringArray,
    metric: &'a StringArray,
    labels: &'a StringArray,
}

impl<'a> SeriesColumns<'a> {
    fn of(batch: &'a RecordBatch) -> Result<SeriesColumns<'a>> {
        Ok(SeriesColumns {
            service: text(batch, "service")?,
            metric: text(batch, "metric")?,
            labels: text(batch, "labels")?,
        })
    }

    /// The bucket of row `row`'s series at time `time`, made when new.
    fn bucket<'b>(
        &self,
        row: usize,
        time: i64,
        step: i64,
        percentile: bool,
        buckets: &'b mut BTreeMap<Key, Bucket>,
    ) -> &'b mut Bucket {
        let key = (
            self.service.value(row).to_string(),
            self.metric.value(row).to_string(),
            self.labels.value(row).to_string(),
            bucket_of(time, step),
        );
        buckets
            .entry(key)
            .or_insert_with(|| Bucket::new(percentile))
    }
}

/// Adds merged `metrics_hourly` rows to their buckets.
fn add_hours(
    batch: &RecordBatch,
    step: i64,
    percentile: bool,
    buckets: &mut BTreeMap<Key, Bucket>,
) -> Result<()> {
    let series = SeriesColumns::of(batch)?;
    let hour = column::<TimestampNanosecondArray>(batch, "hour")?;
    let count = column::<UInt64Array>(batch, "count")?;
    let figure = |name| column::<Float64Array>(batch, name);
    let (sum, min, max) = (figure("sum")?, figure("min")?, figure("max")?);
    let sketch = column::<BinaryArray>(batch, "sketch")?;
    for row in 0..batch.num_rows() {
        let bucket = series.bucket(row, hour.value(row), step, percentile, buckets);
        bucket.count += count.value(row);
        bucket.sum += sum.value(row);
        bucket.min = bucket.min.min(min.value(row));
        bucket.max = bucket.max.max(max.value(row));
        if let Some(merged) = &mut bucket.sketch {
            let stored = HourlyRollup::from_bytes(sketch.value(row))
                .map_err(|e| QueryError::Execution(format!("metrics_hourly: {e}")))?;
            merged.merge(&stored);
        }
    }
    Ok(())
}

/// Adds raw samples (finite values) to their buckets.
fn add_samples(
    batch: &RecordBatch,
    step: i64,
    percentile: bool,
    buckets: &mut BTreeMap<Key, Bucket>,
) -> Result<()> {
    let series = SeriesColumns::of(batch)?;
    let ts = column::<TimestampNanosecondArray>(batch, "ts")?;
    let value = column::<Float64Array>(batch, "value")?;
    for row in 0..batch.num_rows() {
        let bucket = series.bucket(row, ts.value(row), step, percentile, buckets);
        let v = value.value(row);
        bucket.count += 1;
        bucket.sum += v;
        bucket.min = bucket.min.min(v);
        bucket.max = bucket.max.max(v);
        if let Some(sketch) = &mut bucket.sketch {
            sketch.add(v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
