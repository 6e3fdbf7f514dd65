//! Scraping Prometheus targets as a Prometheus server does: `scrape_configs` (TelemetryHub's
//! config file or a `prometheus.yml` as it is), target discovery (static, file and HTTP),
//! relabeling, and the scrape loop that writes each scrape — samples, `up` and the scrape
//! series, staleness markers — through the same durable ingest path as remote_write.

pub mod relabel;
