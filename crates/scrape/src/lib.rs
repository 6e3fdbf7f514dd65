//! Scraping Prometheus targets as a Prometheus server does: `scrape_configs` (TelemetryHub's
//! config file or a `prometheus.yml` as it is), target discovery (static, file and HTTP),
//! relabeling, and the scrape loop that writes each scrape — samples, `up` and the scrape
//! series, staleness markers — through the same durable ingest path as remote_write.
//!
//! Flow: [`ScrapeManager::reload`] reads the configuration ([`config`]) and runs one pool per
//! job; a pool's discovery tasks ([`discovery`]) send target groups, its sync task turns them
//! into targets ([`target`]: labels, relabeling, URL) and keeps one scrape loop
//! ([`scrape_loop`]) per target, which fetches ([`http`]), parses (the `receivers` crate's
//! exposition parser) and writes into the [`telemetryhub_storage::DataStore`].

pub mod config;
pub mod discovery;
pub mod http;
pub mod manager;
pub mod metrics;
pub mod relabel;
pub mod scrape_loop;
pub mod target;

pub use config::{ConfigError, ScrapeConfig, ScrapeSettings};
pub use manager::{ActiveTarget, ConfigLoader, DroppedTarget, ScrapeManager, TargetsSnapshot};
pub use metrics::register_metrics;
pub use scrape_loop::{FamilyMetadata, Health, TargetStatus};
pub use target::{Target, TargetGroup};

/// Helpers the crate's unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    use telemetryhub_model::Labels;

    /// A label set from name and value pairs.
    pub(crate) fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }
}
