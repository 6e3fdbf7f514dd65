//! Where PromQL reads series from: [`SeriesSource`], implemented over the query layer for one
//! tenant ([`TenantSource`]) and in memory ([`MemorySource`], for tests and the promqltest
//! runner).

use std::sync::Arc;

use async_trait::async_trait;
use telemetryhub_model::Labels;
use telemetryhub_model::SeriesMatcher;
#[cfg(feature = "store")]
use telemetryhub_query::{QueryEngine, SamplesRead, SeriesSelect};

use crate::PromqlError;

/// One series as read: labels with `__name__`, samples in increasing time, one per ms.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSeries {
    /// The labels.
    pub labels: Labels,
    /// Sample times, ms since the Unix epoch, strictly increasing.
    pub t_ms: Vec<i64>,
    /// Values (staleness markers included), parallel to `t_ms`.
    pub values: Vec<f64>,
}

/// What a reader makes of each series' samples (ms times and values, in place) as soon as it
/// reads them: a function's values at its evaluation times, say, so that a large selection is
/// never held whole.
pub type SamplesShape = Arc<dyn Fn(&mut Vec<i64>, &mut Vec<f64>) + Send + Sync>;

/// Selects series by matchers over a time range.
#[async_trait]
pub trait SeriesSource: Send + Sync {
    /// Every series matching all `matchers` with its samples in `start_ms..=end_ms`; series
    /// without a sample there may be left out. A selection of more than `max_samples` samples
    /// may be refused ([`PromqlError::TooManySamples`]) before it is read.
    async fn select(
        &self,
        matchers: &[SeriesMatcher],
        start_ms: i64,
        end_ms: i64,
        max_samples: usize,
    ) -> Result<Vec<RawSeries>, PromqlError>;

    /// As [`SeriesSource::select`], with each series' samples replaced by what `shape` makes
    /// of them. This default shapes the selected series; a source that reads series one by
    /// one shapes each as it reads it.
    async fn select_shaped(
        &self,
        matchers: &[SeriesMatcher],
        start_ms: i64,
        end_ms: i64,
        shape: &SamplesShape,
    ) -> Result<Vec<RawSeries>, PromqlError> {
        let mut series = self.select(matchers, start_ms, end_ms, usize::MAX).await?;
        for one in &mut series {
            shape(&mut one.t_ms, &mut one.values);
        }
        Ok(series)
    }
}

/// One tenant's series in the store, through the query layer.
#[cfg(feature = "store")]
pub struct TenantSource<'a> {
    /// The query layer.
    pub engine: &'a QueryEngine,
    /// Whose series.
    pub tenant: &'a str,
}

#[cfg(feature = "store")]
const NS_PER_MS: i64 = 1_000_000;

#[cfg(feature = "store")]
impl TenantSource<'_> {
    /// The selection of `matchers` over `start_ms..=end_ms` ms.
    fn selection(&self, matchers: &[SeriesMatcher], start_ms: i64, end_ms: i64) -> SeriesSelect {
        SeriesSelect {
            tenant: self.tenant.to_string(),
            matchers: matchers.to_vec(),
            since_ns: start_ms.saturating_mul(NS_PER_MS),
            // Every sample within the last millisecond, which reads as that millisecond.
            until_ns: end_ms
                .saturating_mul(NS_PER_MS)
                .saturating_add(NS_PER_MS - 1),
        }
    }
}

#[cfg(feature = "store")]
#[async_trait]
impl SeriesSource for TenantSource<'_> {
    async fn select(
        &self,
        matchers: &[SeriesMatcher],
        start_ms: i64,
        end_ms: i64,
        max_samples: usize,
    ) -> Result<Vec<RawSeries>, PromqlError> {
        let select = self.selection(matchers, start_ms, end_ms);
        let read = SamplesRead {
            shape: None,
            max_samples: u64::try_from(max_samples).ok(),
        };
        let selected = self.engine.select_series_read(&select, &read).await?;
        // Series are independent: a large read is converted on every core, in order.
        let samples: usize = selected.iter().map(|s| s.ts_ns.len()).sum();
        let threads = crate::parallel::threads_for(samples);
        Ok(crate::parallel::map_in_order(
            selected,
            threads,
            |mut series| {
                to_milliseconds(&mut series.ts_ns, &mut series.values);
                RawSeries {
                    labels: series.labels,
                    t_ms: series.ts_ns,
                    values: series.values,
                }
            },
        ))
    }

    /// Each series is converted to ms and shaped by the store's reader, on the core that read
    /// it, while its samples are still in that core's cache.
    async fn select_shaped(
        &self,
        matchers: &[SeriesMatcher],
        start_ms: i64,
        end_ms: i64,
        shape: &SamplesShape,
    ) -> Result<Vec<RawSeries>, PromqlError> {
        let select = self.selection(matchers, start_ms, end_ms);
        let shape = shape.clone();
        let in_milliseconds: SamplesShape = Arc::new(move |ts, values| {
            to_milliseconds(ts, values);
            shape(ts, values);
        });
        let read = SamplesRead {
            shape: Some(in_milliseconds),
            max_samples: None,
        };
        let selected = self.engine.select_series_read(&select, &read).await?;
        Ok(selected
            .into_iter()
            .map(|series| RawSeries {
                labels: series.labels,
                t_ms: series.ts_ns,
                values: series.values,
            })
            .collect())
    }
}

/// A stored series' samples with their times (ns, increasing) in ms, converted in place:
/// samples within one millisecond read as one, the last one standing.
#[cfg(feature = "store")]
fn to_milliseconds(t_ms: &mut Vec<i64>, values: &mut Vec<f64>) {
    // Times strictly increase in ns, so in ms they only can repeat: converted in one pass,
    // then compacted only if two fell in one millisecond.
    if t_ms.first().is_some_and(|&first| first >= 0) {
        // Increasing from a time not before 1970: an unsigned division, a multiply and a
        // shift, where the signed one needs sign fix-ups.
        for t in t_ms.iter_mut() {
            *t = (*t as u64 / NS_PER_MS as u64) as i64;
        }
    } else {
        for t in t_ms.iter_mut() {
            *t = t.div_euclid(NS_PER_MS);
        }
    }
    let repeats = t_ms
        .windows(2)
        .fold(false, |repeat, pair| repeat | (pair[0] == pair[1]));
    if repeats {
        let mut kept = 0;
        for at in 0..t_ms.len() {
            let (t, value) = (t_ms[at], values[at]);
            if kept > 0 && t_ms[kept - 1] == t {
                values[kept - 1] = value;
            } else {
                t_ms[kept] = t;
                values[kept] = value;
                kept += 1;
            }
        }
        t_ms.truncate(kept);
        values.truncate(kept);
    }
}

/// Series held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    series: Vec<RawSeries>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> MemorySource {
        MemorySource::default()
    }

    /// Adds a sample to the series with `labels` (created when new); a sample at a time the
    /// series already has replaces it.
    pub fn add(&mut self, labels: &Labels, t_ms: i64, value: f64) {
        let index = match self.series.iter().position(|s| &s.labels == labels) {
            Some(index) => index,
            None => {
                self.series.push(RawSeries {
                    labels: labels.clone(),
                    t_ms: Vec::new(),
                    values: Vec::new(),
                });
                self.series.len() - 1
            }
        };
        let series = &mut self.series[index];
        match series.t_ms.binary_search(&t_ms) {
            Ok(at) => series.values[at] = value,
            Err(at) => {
                series.t_ms.insert(at, t_ms);
                series.values.insert(at, value);
            }
        }
    }

    /// Drops every series.
    pub fn clear(&mut self) {
        self.series.clear();
    }
}

#[async_trait]
impl SeriesSource for MemorySource {
    async fn select(
        &self,
        matchers: &[SeriesMatcher],
        start_ms: i64,
        end_ms: i64,
        max_samples: usize,
    ) -> Result<Vec<RawSeries>, PromqlError> {
        let mut out = Vec::new();
        let mut samples = 0usize;
        for series in &self.series {
            if !matchers.iter().all(|m| m.matches_labels(&series.labels)) {
                continue;
            }
            let from = series.t_ms.partition_point(|&t| t < start_ms);
            let to = series.t_ms.partition_point(|&t| t <= end_ms);
            samples = samples.saturating_add(to.saturating_sub(from));
            if samples > max_samples {
                return Err(PromqlError::TooManySamples("series fetching"));
            }
            if from < to {
                out.push(RawSeries {
                    labels: series.labels.clone(),
                    t_ms: series.t_ms[from..to].to_vec(),
                    values: series.values[from..to].to_vec(),
                });
            }
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(out)
    }
}

#[cfg(all(test, feature = "store"))]
mod tests {
    use super::*;

    fn converted(ts_ns: &[i64]) -> RawSeries {
        let (mut t_ms, mut values) = (
            ts_ns.to_vec(),
            (1..=ts_ns.len()).map(|v| v as f64).collect(),
        );
        to_milliseconds(&mut t_ms, &mut values);
        RawSeries {
            labels: Labels::default(),
            t_ms,
            values,
        }
    }

    #[test]
    fn samples_within_one_millisecond_read_as_the_last_of_them() {
        let series = converted(&[-1, 999_999, 1_000_000, 1_500_000, 2_000_000, 3_000_001]);
        assert_eq!(series.t_ms, [-1, 0, 1, 2, 3]);
        assert_eq!(series.values, [1.0, 2.0, 4.0, 5.0, 6.0]);
        let distinct = converted(&[1_000_000, 2_000_000, 3_999_999]);
        assert_eq!(distinct.t_ms, [1, 2, 3]);
        assert_eq!(distinct.values, [1.0, 2.0, 3.0]);
    }
}
