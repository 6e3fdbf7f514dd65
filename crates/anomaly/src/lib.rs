//! Online anomaly detection for metric series, and the Numenta Anomaly Benchmark scorer used to
//! evaluate it.
//!
//! [`Detector`] is strictly online: the score of a point uses only that point and earlier ones.
//! [`nab`] scores a detector's output the way NAB v1.1 does (windows, probation, sigmoid-scaled
//! rewards, one threshold per profile for the whole corpus, normalisation against the null and
//! perfect detectors).

#![deny(missing_docs)]

mod config;
mod context;
mod detector;
pub mod iforest;
pub mod nab;
pub mod profile;
mod statistical;

pub use config::{DEFAULT_THRESHOLD, DetectorConfig, MAX_SCORE};
pub use context::{ContextConfig, ContextDetector};
pub use detector::{Detector, MODEL_VERSION};
