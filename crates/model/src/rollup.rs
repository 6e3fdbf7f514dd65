//! Hourly rollups: count, sum, min and max exactly, and quantiles from a DDSketch
//! (`sketches-ddsketch`, a port of Datadog's reference implementation), which merges without
//! losing accuracy — so rollups of rollups (hours into days, partitions into one) answer p50,
//! p95 and p99 as well as a rollup of the raw values would.
//!
//! **Guarantee.** With relative accuracy α = 1 % ([`RELATIVE_ACCURACY`]): for every q, the
//! quantile returned is within 1 % of the exact one, `|estimate - x| <= 0.01 * |x|`, where x is
//! the value of rank `floor(q * (count - 1))` in the sorted values — for values of magnitude at
//! least 10⁻⁹ (smaller ones count as 0) whose magnitudes span less than a factor of about 10¹⁷
//! in each sign (the sketch's 2048 buckets; beyond that the smallest buckets merge, and low
//! quantiles lose accuracy, never high ones). q = 0 and q = 1 give the exact min and max.
//! Tested by `merged_rollups_keep_the_relative_error_guarantee`.
//!
//! DDSketch over t-digest: t-digest's error is relative to rank, small at the tails but with no
//! bound on a value's relative error, and its merges depend on order; DDSketch's bound holds
//! after any merges, which is what rollups of rollups need.

use crate::ErrorCode;
use sketches_ddsketch::{Config, DDSketch};

/// The sketch's relative accuracy.
pub const RELATIVE_ACCURACY: f64 = 0.01;

/// The sketch's bucket limit per sign (the crate's default).
const MAX_BINS: u32 = 2048;

/// Magnitudes below this count as 0 (the crate's default).
const MIN_VALUE: f64 = 1e-9;

/// The first byte of the stored form; a change of layout gets a new one.
const FORMAT_VERSION: u8 = 1;

/// Nanoseconds per hour.
pub const HOUR_NS: i64 = 3_600_000_000_000;

/// The start of the hour a time falls in (times before 1970 round down too).
pub fn hour_start_ns(ts_ns: i64) -> i64 {
    ts_ns.div_euclid(HOUR_NS) * HOUR_NS
}

/// Why stored rollup bytes cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RollupError {
    /// The bytes are not a rollup this version wrote (wrong version, length or checksum, or a
    /// sketch of another accuracy).
    #[error("corrupt rollup: {0}")]
    Corrupt(String),
}

impl RollupError {
    /// The transport-neutral class of the error: stored bytes are ours, so this is internal.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::Internal
    }
}

/// The rollup of one series over one hour (or any span: rollups merge).
#[derive(Clone)]
pub struct HourlyRollup {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    sketch: DDSketch,
}

impl std::fmt::Debug for HourlyRollup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HourlyRollup")
            .field("count", &self.count)
            .field("sum", &self.sum)
            .field("min", &self.min)
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

impl Default for HourlyRollup {
    fn default() -> Self {
        HourlyRollup::new()
    }
}

fn sketch_config() -> Config {
    Config::new(RELATIVE_ACCURACY, MAX_BINS, MIN_VALUE)
}

impl HourlyRollup {
    /// An empty rollup.
    pub fn new() -> HourlyRollup {
        HourlyRollup {
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sketch: DDSketch::new(sketch_config()),
        }
    }

    /// Adds a value. NaN and infinities are not values a quantile can be taken of (a NaN may be
    /// Prometheus' staleness marker): they are left out, and `false` says so.
    pub fn add(&mut self, value: f64) -> bool {
        if !value.is_finite() {
            return false;
        }
        self.count += 1;
        self.sum += value;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.sketch.add(value);
        true
    }

    /// Adds everything another rollup counted.
    pub fn merge(&mut self, other: &HourlyRollup) {
        if other.count == 0 {
            return;
        }
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        // Both sketches come from `sketch_config()` (decoding checks it), so they always merge.
        if self.sketch.merge(&other.sketch).is_err() {
            debug_assert!(false, "rollup sketches share one configuration");
        }
    }

    /// How many values were added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Their sum.
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// The smallest value, if any.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// The largest value, if any.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Their mean, if any.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    /// The q-quantile (0 ≤ q ≤ 1) within the relative error stated on the module; `None` when
    /// empty or q is out of range. The estimate is kept within [min, max].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        let estimate = self.sketch.quantile(q).ok().flatten()?;
        Some(estimate.clamp(self.min, self.max))
    }

    /// The stored form: a version byte, count, sum, min, max (little-endian), the sketch in
    /// the DDSketch binary format Datadog's Java library reads, and a CRC-32 of all before it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let sketch = self.sketch.to_java_bytes();
        let mut out = Vec::with_capacity(1 + 32 + sketch.len() + 4);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.count.to_le_bytes());
        out.extend_from_slice(&self.sum.to_le_bytes());
        out.extend_from_slice(&self.min.to_le_bytes());
        out.extend_from_slice(&self.max.to_le_bytes());
        out.extend_from_slice(&sketch);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Reads the stored form back. The checksum is checked before the sketch is decoded, so
    /// damaged bytes are refused rather than decoded into nonsense.
    pub fn from_bytes(bytes: &[u8]) -> Result<HourlyRollup, RollupError> {
        let corrupt = |why: &str| RollupError::Corrupt(why.to_string());
        if bytes.len() < 1 + 32 + 4 {
            return Err(corrupt("too short"));
        }
        let (body, crc) = bytes.split_at(bytes.len() - 4);
        let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        if crc32fast::hash(body) != crc {
            return Err(corrupt("checksum mismatch"));
        }
        if body[0] != FORMAT_VERSION {
            return Err(RollupError::Corrupt(format!("unknown version {}", body[0])));
        }
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&body[at..at + 8]);
            b
        };
        let count = u64::from_le_bytes(word(1));
        let sum = f64::from_le_bytes(word(9));
        let min = f64::from_le_bytes(word(17));
        let max = f64::from_le_bytes(word(25));
        let sketch = DDSketch::from_java_bytes(&body[33..])
            .map_err(|e| RollupError::Corrupt(format!("sketch: {e}")))?;
        // A sketch of another accuracy would not merge with ours.
        let mut check = DDSketch::new(sketch_config());
        if check.merge(&sketch).is_err() {
            return Err(corrupt("the sketch has another relative accuracy"));
        }
        if check.count() as u64 != count {
            return Err(corrupt("the sketch's count differs from the rollup's"));
        }
        Ok(HourlyRollup {
            count,
            sum,
            min: if count == 0 { f64::INFINITY } else { min },
            max: if count == 0 { f64::NEG_INFINITY } else { max },
            sketch: check,
        })
    }
}

#[cfg(test)]
mod tests;
