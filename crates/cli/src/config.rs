//! `serve` settings from flags, `TELEMETRYHUB_*` environment variables and an optional TOML file,
//! with the same names in all three (`--data-dir`, `TELEMETRYHUB_DATA_DIR`, `data_dir`).
//!
//! Precedence: flag, then environment, then file, then default. Clap reads flags and
//! environment; the file fills what both left unset, so clap's own defaults are not used
//! (they would hide the file) and the defaults are stated in the help text instead.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use serde::Deserialize;
use telemetryhub_intelligence::llm::LlmConfig;
use telemetryhub_model::parse_duration;
use telemetryhub_promql::EngineOptions;
use telemetryhub_records::RecordsConfig;
use telemetryhub_scrape::ScrapeSettings;
use telemetryhub_server::SqlLimits;

/// Options of `telemetryhub serve`.
#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// TOML file with any of the options below (keys use underscores: data_dir = "/var/lib/th").
    #[arg(long, env = "TELEMETRYHUB_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address for the HTTP API [default: 0.0.0.0:8000].
    #[arg(long, env = "TELEMETRYHUB_LISTEN")]
    pub listen: Option<String>,
    /// Address for OTLP/HTTP (the same routes as --listen, on OTLP's standard port), or "off"
    /// [default: 0.0.0.0:4318].
    #[arg(long, env = "TELEMETRYHUB_OTLP_HTTP_LISTEN")]
    pub otlp_http_listen: Option<String>,
    /// Address for OTLP/gRPC (logs, metrics and traces services), or "off"
    /// [default: 0.0.0.0:4317].
    #[arg(long, env = "TELEMETRYHUB_OTLP_GRPC_LISTEN")]
    pub otlp_grpc_listen: Option<String>,
    /// Directory for the WAL, catalog and Parquet parts [default: ./data].
    #[arg(long, env = "TELEMETRYHUB_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep data this long; older day partitions are dropped whole [default: 30d].
    #[arg(long, env = "TELEMETRYHUB_RETENTION")]
    pub retention: Option<String>,
    /// Keep the hourly metric rollups (`metrics_hourly`) this long, whatever `--retention`
    /// drops of raw samples [default: 400d].
    #[arg(long, env = "TELEMETRYHUB_ROLLUP_RETENTION")]
    pub rollup_retention: Option<String>,
    /// Roll metric samples up per series and hour at flush (true or false) [default: true].
    #[arg(long, env = "TELEMETRYHUB_ROLLUPS")]
    pub rollups: Option<bool>,
    /// Name shown by `GET /` and in the API docs [default: TelemetryHub; APP_NAME is honoured too].
    #[arg(long, env = "TELEMETRYHUB_APP_NAME")]
    pub app_name: Option<String>,
    /// Log filter: error, warn, info, debug, trace, or a tracing directive [default: info].
    #[arg(long, env = "TELEMETRYHUB_LOG_LEVEL")]
    pub log_level: Option<String>,
    /// Log format: pretty or json [default: pretty].
    #[arg(long, env = "TELEMETRYHUB_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Flush the write buffer to Parquet once its oldest row is this old [default: 5m].
    #[arg(long, env = "TELEMETRYHUB_FLUSH_INTERVAL")]
    pub flush_interval: Option<String>,
    /// Flush the write buffer once it holds this much [default: 64MiB].
    #[arg(long, env = "TELEMETRYHUB_FLUSH_SIZE")]
    pub flush_size: Option<String>,
    /// Answer ingest with 503 + Retry-After while the buffer holds more than this [default: 512MiB].
    #[arg(long, env = "TELEMETRYHUB_MAX_BUFFER_SIZE")]
    pub max_buffer_size: Option<String>,
    /// Largest request body, compressed or not [default: 16MiB].
    #[arg(long, env = "TELEMETRYHUB_MAX_BODY_SIZE")]
    pub max_body_size: Option<String>,
    /// Most items in one ingest request [default: 100000].
    #[arg(long, env = "TELEMETRYHUB_MAX_ITEMS")]
    pub max_items: Option<usize>,
    /// Most labels on one metric point [default: 64].
    #[arg(long, env = "TELEMETRYHUB_MAX_LABELS")]
    pub max_labels: Option<usize>,
    /// Longest log message in bytes [default: 65536].
    #[arg(long, env = "TELEMETRYHUB_MAX_MESSAGE_BYTES")]
    pub max_message_bytes: Option<usize>,
    /// Tag every ingested log line with its pattern (true or false) [default: true].
    #[arg(long, env = "TELEMETRYHUB_LOG_PATTERNS")]
    pub log_patterns: Option<bool>,
    /// Log patterns matched against per tenant; past it the least recently seen is evicted [default: 20000].
    #[arg(long, env = "TELEMETRYHUB_MAX_LOG_PATTERNS")]
    pub max_log_patterns: Option<usize>,
    /// An extra variable shape for log patterns: a token matching this regular expression in full
    /// becomes <*> (repeat the flag for several; the environment variable holds one).
    #[arg(long, env = "TELEMETRYHUB_LOG_PATTERN_MASK")]
    pub log_pattern_mask: Vec<String>,
    /// How often new metric points are scored for anomalies [default: 60s].
    #[arg(long, env = "TELEMETRYHUB_ANOMALY_INTERVAL")]
    pub anomaly_interval: Option<String>,
    /// Anomaly detector: contextual (best accuracy; about 53 KB per series, at most about 100 KB)
    /// or statistical (about 26 KB per series) [default: contextual].
    #[arg(long, env = "TELEMETRYHUB_ANOMALY_MODEL", value_enum)]
    pub anomaly_model: Option<AnomalyModel>,
    /// Most series scored for anomalies; points of further series are counted in
    /// telemetryhub_anomaly_unscored_points_total, not scored [default: 10000].
    #[arg(long, env = "TELEMETRYHUB_ANOMALY_MAX_SERIES")]
    pub anomaly_max_series: Option<usize>,
    /// How often pattern summaries are written for new or grown patterns [default: 60s].
    #[arg(long, env = "TELEMETRYHUB_SUMMARY_INTERVAL")]
    pub summary_interval: Option<String>,
    /// OpenAI-compatible endpoint for pattern summaries, e.g. https://api.openai.com/v1 or
    /// http://localhost:11434/v1 (Ollama); unset means rule-based summaries only.
    #[arg(long, env = "TELEMETRYHUB_LLM_URL")]
    pub llm_url: Option<String>,
    /// API key sent as a bearer token to the LLM endpoint.
    #[arg(long, env = "TELEMETRYHUB_LLM_API_KEY", hide_env_values = true)]
    pub llm_api_key: Option<String>,
    /// Model name for the LLM endpoint [default: gpt-4o-mini].
    #[arg(long, env = "TELEMETRYHUB_LLM_MODEL")]
    pub llm_model: Option<String>,
    /// Timeout of one LLM request [default: 20s].
    #[arg(long, env = "TELEMETRYHUB_LLM_TIMEOUT")]
    pub llm_timeout: Option<String>,
    /// At most this many LLM requests per minute [default: 20].
    #[arg(long, env = "TELEMETRYHUB_LLM_REQUESTS_PER_MINUTE")]
    pub llm_requests_per_minute: Option<u32>,
    /// Cost cap: at most this many LLM tokens per UTC day, then rule-based summaries [default: 500000].
    #[arg(long, env = "TELEMETRYHUB_LLM_DAILY_TOKEN_BUDGET")]
    pub llm_daily_token_budget: Option<u64>,
    /// Patterns per LLM request [default: 20].
    #[arg(long, env = "TELEMETRYHUB_LLM_BATCH_SIZE")]
    pub llm_batch_size: Option<usize>,
    /// PromQL: how far back an instant selector looks for a sample [default: 5m].
    #[arg(long, env = "TELEMETRYHUB_QUERY_LOOKBACK_DELTA")]
    pub query_lookback_delta: Option<String>,
    /// PromQL and LogQL: the longest a query may run; a PromQL request's `timeout` may only shorten it
    /// [default: 2m].
    #[arg(long, env = "TELEMETRYHUB_QUERY_TIMEOUT")]
    pub query_timeout: Option<String>,
    /// PromQL: the most samples a query may hold in memory at once [default: 50000000].
    #[arg(long, env = "TELEMETRYHUB_QUERY_MAX_SAMPLES")]
    pub query_max_samples: Option<usize>,
    /// LogQL: the largest `limit` of lines a log query may ask for (Loki's
    /// max_entries_limit_per_query) [default: 5000].
    #[arg(long, env = "TELEMETRYHUB_QUERY_MAX_ENTRIES")]
    pub query_max_entries: Option<usize>,
    /// LogQL: the most series a metric query may hold (Loki's max_query_series) [default: 500].
    #[arg(long, env = "TELEMETRYHUB_QUERY_MAX_SERIES")]
    pub query_max_series: Option<usize>,
    /// SQL (`/query/sql`): the largest `limit` (rows answered) a request may ask for
    /// [default: 100000].
    #[arg(long, env = "TELEMETRYHUB_SQL_MAX_ROWS")]
    pub sql_max_rows: Option<usize>,
    /// SQL: the longest a query may run; a request's `timeout` may only shorten it
    /// [default: 30s].
    #[arg(long, env = "TELEMETRYHUB_SQL_TIMEOUT")]
    pub sql_timeout: Option<String>,
    /// SQL: the most memory one query's sorts, joins and aggregations may hold (past it the
    /// query fails), and the largest answer (past it the answer is cut) [default: 256MiB].
    #[arg(long, env = "TELEMETRYHUB_SQL_MAX_MEMORY")]
    pub sql_max_memory: Option<String>,
    /// A prometheus.yml whose scrape_configs (and global scrape settings) are scraped as
    /// Prometheus would; other sections are ignored with a note in the log. Re-read on SIGHUP
    /// and `POST /-/reload`. Jobs may also be given in the config file (`[[scrape_configs]]`).
    #[arg(long, env = "TELEMETRYHUB_SCRAPE_CONFIG")]
    pub scrape_config: Option<PathBuf>,
    /// A TOML file of execution-record sources and their analytics, in the form of
    /// deploy/records/kafka-observability.toml (`[sources.<name>]`, `[analytics]`); the config
    /// file may hold the same under `[records]` instead (not both).
    #[arg(long, env = "TELEMETRYHUB_RECORDS_CONFIG")]
    pub records_config: Option<PathBuf>,
    /// Largest file `POST /ingest/file` takes; it is streamed, never held whole [default: 1GiB].
    #[arg(long, env = "TELEMETRYHUB_MAX_FILE_SIZE")]
    pub max_file_size: Option<String>,
    /// Most dead letters (execution records set aside) kept per tenant; past it the oldest are
    /// evicted and counted in telemetryhub_dead_letters_evicted_total [default: 100000].
    #[arg(long, env = "TELEMETRYHUB_MAX_DEAD_LETTERS")]
    pub max_dead_letters: Option<u64>,
    /// Memory for decoded metric samples kept between PromQL reads, so dashboards that repeat
    /// their queries do not decode the same data each time; 0 turns it off. Counted in
    /// telemetryhub_sample_cache_bytes and telemetryhub_sample_cache_segments_total
    /// [default: 256MiB].
    #[arg(long, env = "TELEMETRYHUB_SAMPLE_CACHE_SIZE")]
    pub sample_cache_size: Option<String>,
    /// Exit gracefully when standard input closes (used by tests so servers never outlive them).
    #[arg(long, hide = true)]
    pub exit_on_stdin_eof: bool,
}

/// The same options as read from a config file.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    otlp_http_listen: Option<String>,
    otlp_grpc_listen: Option<String>,
    data_dir: Option<PathBuf>,
    retention: Option<String>,
    rollup_retention: Option<String>,
    rollups: Option<bool>,
    app_name: Option<String>,
    log_level: Option<String>,
    log_format: Option<String>,
    flush_interval: Option<String>,
    flush_size: Option<String>,
    max_buffer_size: Option<String>,
    max_body_size: Option<String>,
    max_items: Option<usize>,
    max_labels: Option<usize>,
    max_message_bytes: Option<usize>,
    log_patterns: Option<bool>,
    max_log_patterns: Option<usize>,
    log_pattern_mask: Option<Vec<String>>,
    anomaly_interval: Option<String>,
    anomaly_model: Option<AnomalyModel>,
    anomaly_max_series: Option<usize>,
    summary_interval: Option<String>,
    llm_url: Option<String>,
    llm_api_key: Option<String>,
    llm_model: Option<String>,
    llm_timeout: Option<String>,
    llm_requests_per_minute: Option<u32>,
    llm_daily_token_budget: Option<u64>,
    llm_batch_size: Option<usize>,
    query_lookback_delta: Option<String>,
    query_timeout: Option<String>,
    query_max_samples: Option<usize>,
    query_max_entries: Option<usize>,
    query_max_series: Option<usize>,
    sql_max_rows: Option<usize>,
    sql_timeout: Option<String>,
    sql_max_memory: Option<String>,
    scrape_config: Option<PathBuf>,
    records_config: Option<PathBuf>,
    max_file_size: Option<String>,
    max_dead_letters: Option<u64>,
    sample_cache_size: Option<String>,
    /// Execution-record sources and their analytics (`[records.sources.<name>]`,
    /// `[records.analytics]`).
    records: Option<RecordsConfig>,
    /// `global` of Prometheus' scrape settings: read by `ScrapeSources::load` (at every
    /// reload), named here so `deny_unknown_fields` accepts it.
    #[allow(dead_code)]
    scrape_global: Option<toml::Value>,
    /// `scrape_configs`, as in a prometheus.yml: read like `scrape_global`.
    #[allow(dead_code)]
    scrape_configs: Option<toml::Value>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Validated settings.
#[derive(Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub otlp_http_listen: Option<SocketAddr>,
    pub otlp_grpc_listen: Option<SocketAddr>,
    pub data_dir: PathBuf,
    pub retention: Duration,
    pub rollup_retention: Duration,
    pub rollups: bool,
    pub app_name: String,
    pub log_level: String,
    pub log_format: LogFormat,
    pub flush_interval: Duration,
    pub flush_bytes: usize,
    pub max_buffer_bytes: usize,
    pub max_body_bytes: usize,
    pub max_items: usize,
    pub max_labels: usize,
    pub max_message_bytes: usize,
    pub log_patterns: bool,
    pub max_log_patterns: usize,
    pub log_pattern_masks: Vec<regex::Regex>,
    pub anomaly_interval: Duration,
    pub anomaly_model: AnomalyModel,
    pub anomaly_max_series: usize,
    pub summary_interval: Duration,
    pub llm: Option<LlmConfig>,
    pub promql: EngineOptions,
    /// The execution-record sources (`--records-config` or `[records]`); empty when none.
    pub records: RecordsConfig,
    /// The Kafka sources of the records configuration (`[kafka.<name>]`), checked.
    pub kafka: Vec<telemetryhub_kafka::KafkaSource>,
    /// Largest file `POST /ingest/file` takes.
    pub max_file_bytes: usize,
    /// Most dead letters kept per tenant (the oldest are evicted past it).
    pub max_dead_letters: u64,
    /// Bytes of decoded samples kept for metric reads (0: none).
    pub sample_cache_bytes: u64,
    /// LogQL's limits (the timeout is PromQL's).
    pub logql: telemetryhub_logql::EngineOptions,
    pub sql: SqlLimits,
    /// Where the scrape configuration comes from (checked once at start-up).
    pub scrape: ScrapeSources,
    pub exit_on_stdin_eof: bool,
}

/// The files the scrape configuration is read from, again at every reload: a prometheus.yml
/// and the TOML config file's `scrape_global` and `scrape_configs`.
#[derive(Debug, Clone, Default)]
pub struct ScrapeSources {
    /// `--scrape-config`.
    pub prometheus_yml: Option<PathBuf>,
    /// `--config`, for its scrape part.
    pub config_file: Option<PathBuf>,
}

impl ScrapeSources {
    /// Reads both sources into one configuration (job names unique across them).
    pub fn load(&self) -> Result<ScrapeSettings, telemetryhub_scrape::ConfigError> {
        let from_yaml = match &self.prometheus_yml {
            Some(path) => ScrapeSettings::from_yaml_file(path)?,
            None => ScrapeSettings::default(),
        };
        let Some(path) = &self.config_file else {
            return Ok(from_yaml);
        };
        let text = std::fs::read_to_string(path).map_err(|source| {
            telemetryhub_scrape::ConfigError::Read {
                path: path.clone(),
                source,
            }
        })?;
        let mut table: toml::Table = toml::from_str(&text)
            .map_err(|e| telemetryhub_scrape::ConfigError::Syntax(e.to_string()))?;
        let as_json = |value: Option<toml::Value>| {
            value
                .map(serde_json::to_value)
                .transpose()
                .map_err(|e| telemetryhub_scrape::ConfigError::Syntax(e.to_string()))
        };
        let global = as_json(table.remove("scrape_global"))?;
        let configs = as_json(table.remove("scrape_configs"))?;
        if global.is_none() && configs.is_none() {
            return Ok(from_yaml);
        }
        let from_toml = ScrapeSettings::from_toml_parts(global, configs)?;
        if self.prometheus_yml.is_some() && from_toml.global != ScrapeSettings::default().global {
            return Err(telemetryhub_scrape::ConfigError::Invalid(
                "scrape_global in the config file and --scrape-config both set global scrape settings; keep one".into(),
            ));
        }
        from_yaml.merge(from_toml)
    }
}

/// Parses a size such as `64MiB`, `512MB`, `1GiB` or a plain number of bytes.
pub fn parse_size(text: &str) -> anyhow::Result<usize> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: f64 = number
        .parse()
        .with_context(|| format!("invalid size {text:?}: expected e.g. 64MiB"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => bail!(
            "invalid size {text:?}: unknown unit {other:?} (use B, KB, KiB, MB, MiB, GB, GiB)"
        ),
    };
    let bytes = number * factor;
    if !(1.0..9e18).contains(&bytes) {
        bail!("invalid size {text:?}: must be at least 1 byte");
    }
    Ok(bytes as usize)
}

fn duration(name: &str, text: &str) -> anyhow::Result<Duration> {
    let nanos = parse_duration(text).with_context(|| format!("invalid --{name}"))?;
    if nanos <= 0 {
        bail!("invalid --{name} {text:?}: must be positive");
    }
    Ok(Duration::from_nanos(nanos as u64))
}

/// A duration in whole milliseconds (at least one).
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis())
        .unwrap_or(i64::MAX)
        .max(1)
}

impl ServeArgs {
    /// Merges flags/environment with the config file and defaults, validating every value.
    pub fn resolve(self) -> anyhow::Result<Settings> {
        let file = match &self.config {
            None => FileConfig::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config file {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("invalid config file {}", path.display()))?
            }
        };
        let listen_text = self
            .listen
            .or(file.listen)
            .unwrap_or_else(|| "0.0.0.0:8000".into());
        let listen: SocketAddr = listen_text.parse().with_context(|| {
            format!("invalid --listen {listen_text:?}: expected IP:PORT, e.g. 0.0.0.0:8000")
        })?;
        let retention = duration(
            "retention",
            &self
                .retention
                .or(file.retention)
                .unwrap_or_else(|| "30d".into()),
        )?;
        let rollup_retention = duration(
            "rollup-retention",
            &self
                .rollup_retention
                .or(file.rollup_retention)
                .unwrap_or_else(|| "400d".into()),
        )?;
        let flush_interval = duration(
            "flush-interval",
            &self
                .flush_interval
                .or(file.flush_interval)
                .unwrap_or_else(|| "5m".into()),
        )?;
        let size = |name: &str, value: Option<String>, default: &str| -> anyhow::Result<usize> {
            let text = value.unwrap_or_else(|| default.to_string());
            parse_size(&text).with_context(|| format!("invalid --{name}"))
        };
        let log_format = match self
            .log_format
            .or(file.log_format)
            .as_deref()
            .unwrap_or("pretty")
        {
            "pretty" | "text" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            other => bail!("invalid --log-format {other:?}: expected pretty or json"),
        };
        let positive =
            |name: &str, value: Option<usize>, default: usize| -> anyhow::Result<usize> {
                match value.unwrap_or(default) {
                    0 => bail!("invalid --{name}: must be at least 1"),
                    v => Ok(v),
                }
            };
        let otlp_http_listen = optional_address(
            "otlp-http-listen",
            self.otlp_http_listen.or(file.otlp_http_listen),
            "0.0.0.0:4318",
        )?;
        let otlp_grpc_listen = optional_address(
            "otlp-grpc-listen",
            self.otlp_grpc_listen.or(file.otlp_grpc_listen),
            "0.0.0.0:4317",
        )?;
        let scrape = ScrapeSources {
            prometheus_yml: self.scrape_config.or(file.scrape_config),
            config_file: self.config.clone(),
        };
        scrape.load().context("invalid scrape configuration")?;
        let records = match (self.records_config.or(file.records_config), file.records) {
            (Some(_), Some(_)) => bail!(
                "records are configured twice: by --records-config (or records_config) and by \
                 [records] in the config file; keep one"
            ),
            (Some(path), None) => {
                let text = std::fs::read_to_string(&path).with_context(|| {
                    format!("cannot read the records config {}", path.display())
                })?;
                RecordsConfig::from_toml(&text)
                    .with_context(|| format!("invalid records config {}", path.display()))?
            }
            (None, records) => records.unwrap_or_default(),
        };
        // Checked now, so a bad mapping stops the start instead of failing requests.
        telemetryhub_intelligence::records::RecordsPipeline::new(&records)
            .context("invalid records configuration")?;
        let kafka = telemetryhub_kafka::kafka_sources(&records)
            .context("invalid Kafka source configuration")?;
        Ok(Settings {
            records,
            kafka,
            max_file_bytes: size(
                "max-file-size",
                self.max_file_size.or(file.max_file_size),
                "1GiB",
            )?,
            sample_cache_bytes: match self.sample_cache_size.or(file.sample_cache_size) {
                Some(off) if off.trim() == "0" => 0,
                given => size("sample-cache-size", given, "256MiB")? as u64,
            },
            max_dead_letters: match self
                .max_dead_letters
                .or(file.max_dead_letters)
                .unwrap_or(100_000)
            {
                0 => bail!("invalid --max-dead-letters: must be at least 1"),
                max => max,
            },
            listen,
            otlp_http_listen,
            otlp_grpc_listen,
            data_dir: self
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("./data")),
            retention,
            rollup_retention,
            rollups: self.rollups.or(file.rollups).unwrap_or(true),
            app_name: self
                .app_name
                .or(file.app_name)
                .or_else(|| std::env::var("APP_NAME").ok().filter(|v| !v.is_empty()))
                .unwrap_or_else(|| "TelemetryHub".into()),
            log_level: self
                .log_level
                .or(file.log_level)
                .unwrap_or_else(|| "info".into()),
            log_format,
            flush_interval,
            flush_bytes: size("flush-size", self.flush_size.or(file.flush_size), "64MiB")?,
            max_buffer_bytes: size(
                "max-buffer-size",
                self.max_buffer_size.or(file.max_buffer_size),
                "512MiB",
            )?,
            max_body_bytes: size(
                "max-body-size",
                self.max_body_size.or(file.max_body_size),
                "16MiB",
            )?,
            max_items: positive("max-items", self.max_items.or(file.max_items), 100_000)?,
            max_labels: positive("max-labels", self.max_labels.or(file.max_labels), 64)?,
            max_message_bytes: positive(
                "max-message-bytes",
                self.max_message_bytes.or(file.max_message_bytes),
                64 * 1024,
            )?,
            log_patterns: self.log_patterns.or(file.log_patterns).unwrap_or(true),
            max_log_patterns: positive(
                "max-log-patterns",
                self.max_log_patterns.or(file.max_log_patterns),
                20_000,
            )?,
            log_pattern_masks: {
                let texts = if self.log_pattern_mask.is_empty() {
                    file.log_pattern_mask.unwrap_or_default()
                } else {
                    self.log_pattern_mask
                };
                texts
                    .iter()
                    .map(|text| {
                        regex::Regex::new(text)
                            .with_context(|| format!("invalid --log-pattern-mask {text:?}"))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?
            },
            anomaly_interval: duration(
                "anomaly-interval",
                &self
                    .anomaly_interval
                    .or(file.anomaly_interval)
                    .unwrap_or_else(|| "60s".into()),
            )?,
            anomaly_model: self
                .anomaly_model
                .or(file.anomaly_model)
                .unwrap_or(AnomalyModel::Contextual),
            anomaly_max_series: positive(
                "anomaly-max-series",
                self.anomaly_max_series.or(file.anomaly_max_series),
                10_000,
            )?,
            summary_interval: duration(
                "summary-interval",
                &self
                    .summary_interval
                    .or(file.summary_interval)
                    .unwrap_or_else(|| "60s".into()),
            )?,
            llm: match self.llm_url.or(file.llm_url) {
                None => None,
                Some(url) => {
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        bail!("invalid --llm-url {url:?}: expected an http:// or https:// URL");
                    }
                    Some(LlmConfig {
                        url,
                        api_key: self
                            .llm_api_key
                            .or(file.llm_api_key)
                            .filter(|k| !k.is_empty()),
                        model: self
                            .llm_model
                            .or(file.llm_model)
                            .unwrap_or_else(|| "gpt-4o-mini".into()),
                        timeout: duration(
                            "llm-timeout",
                            &self
                                .llm_timeout
                                .or(file.llm_timeout)
                                .unwrap_or_else(|| "20s".into()),
                        )?,
                        requests_per_minute: self
                            .llm_requests_per_minute
                            .or(file.llm_requests_per_minute)
                            .unwrap_or(20)
                            .max(1),
                        daily_token_budget: self
                            .llm_daily_token_budget
                            .or(file.llm_daily_token_budget)
                            .unwrap_or(500_000),
                        batch_size: positive(
                            "llm-batch-size",
                            self.llm_batch_size.or(file.llm_batch_size),
                            20,
                        )?,
                    })
                }
            },
            promql: EngineOptions {
                lookback_delta_ms: millis(duration(
                    "query-lookback-delta",
                    &self
                        .query_lookback_delta
                        .or(file.query_lookback_delta)
                        .unwrap_or_else(|| "5m".into()),
                )?),
                timeout: duration(
                    "query-timeout",
                    &self
                        .query_timeout
                        .or(file.query_timeout)
                        .unwrap_or_else(|| "2m".into()),
                )?,
                max_samples: positive(
                    "query-max-samples",
                    self.query_max_samples.or(file.query_max_samples),
                    50_000_000,
                )?,
                ..EngineOptions::default()
            },
            logql: telemetryhub_logql::EngineOptions {
                max_entries_limit: positive(
                    "query-max-entries",
                    self.query_max_entries.or(file.query_max_entries),
                    5_000,
                )?,
                max_series: positive(
                    "query-max-series",
                    self.query_max_series.or(file.query_max_series),
                    500,
                )?,
                ..telemetryhub_logql::EngineOptions::default()
            },
            sql: SqlLimits {
                max_rows: positive(
                    "sql-max-rows",
                    self.sql_max_rows.or(file.sql_max_rows),
                    100_000,
                )?,
                timeout: duration(
                    "sql-timeout",
                    &self
                        .sql_timeout
                        .or(file.sql_timeout)
                        .unwrap_or_else(|| "30s".into()),
                )?,
                max_memory_bytes: size(
                    "sql-max-memory",
                    self.sql_max_memory.or(file.sql_max_memory),
                    "256MiB",
                )?,
            },
            scrape,
            exit_on_stdin_eof: self.exit_on_stdin_eof,
        })
    }
}

/// Which anomaly detector the job gives new series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum AnomalyModel {
    /// Statistical model for the first 600 points, then the contextual model.
    Contextual,
    /// The statistical model alone.
    Statistical,
}

/// An address option that `off` (or an empty value) switches off.
fn optional_address(
    name: &str,
    value: Option<String>,
    default: &str,
) -> anyhow::Result<Option<SocketAddr>> {
    let text = value.unwrap_or_else(|| default.to_string());
    match text.as_str() {
        "off" | "" => Ok(None),
        text => text.parse::<SocketAddr>().map(Some).with_context(|| {
            format!("invalid --{name} {text:?}: expected IP:PORT (e.g. {default}) or off")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("64MiB").unwrap(), 64 * 1024 * 1024);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("2GB").unwrap(), 2_000_000_000);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5XB").is_err());
    }

    #[test]
    fn file_fills_what_flags_leave_unset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("th.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nretention = \"7d\"\nrollup_retention = \"90d\"\napp_name = \"from-file\"\nanomaly_model = \"statistical\"\n",
        )
        .unwrap();
        let args = ServeArgs {
            config: Some(path),
            app_name: Some("from-flag".into()),
            ..ServeArgs::default()
        };
        let settings = args.resolve().unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(settings.retention, Duration::from_secs(7 * 86_400));
        assert_eq!(settings.rollup_retention, Duration::from_secs(90 * 86_400));
        assert!(settings.rollups);
        let defaults = ServeArgs::default().resolve().unwrap();
        assert_eq!(defaults.rollup_retention, Duration::from_secs(400 * 86_400));
        assert_eq!(settings.app_name, "from-flag");
        assert_eq!(settings.anomaly_model, AnomalyModel::Statistical);
        assert_eq!(
            ServeArgs::default().resolve().unwrap().anomaly_model,
            AnomalyModel::Contextual
        );
    }

    #[test]
    fn scrape_jobs_come_from_the_config_file_and_a_prometheus_yml() {
        let dir = tempfile::tempdir().unwrap();
        let toml_path = dir.path().join("th.toml");
        std::fs::write(
            &toml_path,
            concat!(
                "data_dir = \"/tmp/th\"\n",
                "[scrape_global]\nscrape_interval = \"5s\"\n",
                "[[scrape_configs]]\njob_name = \"node\"\n",
                "[[scrape_configs.static_configs]]\ntargets = [\"localhost:9100\"]\n",
            ),
        )
        .unwrap();
        let yml_path = dir.path().join("prometheus.yml");
        std::fs::write(&yml_path, "scrape_configs:\n  - job_name: api\n").unwrap();
        let settings = ServeArgs {
            config: Some(toml_path.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        let jobs = settings.scrape.load().unwrap().scrape_configs;
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].scrape_interval, Duration::from_secs(5));
        let both = ServeArgs {
            config: Some(toml_path),
            scrape_config: Some(yml_path.clone()),
            ..ServeArgs::default()
        }
        .resolve();
        // Two sources of global scrape settings are one too many.
        assert!(format!("{:#}", both.unwrap_err()).contains("scrape_global"));
        std::fs::write(
            &yml_path,
            "scrape_configs:\n  - job_name: a\n  - job_name: a\n",
        )
        .unwrap();
        let bad = ServeArgs {
            scrape_config: Some(yml_path),
            ..ServeArgs::default()
        }
        .resolve();
        assert!(format!("{:#}", bad.unwrap_err()).contains("invalid scrape configuration"));
    }

    #[test]
    fn logql_limits_come_from_flags_file_or_defaults() {
        let defaults = ServeArgs::default().resolve().unwrap().logql;
        assert_eq!(
            (defaults.max_entries_limit, defaults.max_series),
            (5_000, 500)
        );
        let args = ServeArgs {
            query_max_entries: Some(100),
            query_max_series: Some(7),
            ..ServeArgs::default()
        };
        let logql = args.resolve().unwrap().logql;
        assert_eq!((logql.max_entries_limit, logql.max_series), (100, 7));
        let zero = ServeArgs {
            query_max_series: Some(0),
            ..ServeArgs::default()
        };
        assert!(zero.resolve().is_err(), "limits must be positive");
    }

    #[test]
    fn promql_settings_come_from_flags_file_or_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("th.toml");
        std::fs::write(
            &path,
            "query_lookback_delta = \"1m\"\nquery_max_samples = 1000\n",
        )
        .unwrap();
        let args = ServeArgs {
            config: Some(path),
            query_timeout: Some("30s".into()),
            ..ServeArgs::default()
        };
        let promql = args.resolve().unwrap().promql;
        assert_eq!(promql.lookback_delta_ms, 60_000);
        assert_eq!(promql.max_samples, 1000);
        assert_eq!(promql.timeout, Duration::from_secs(30));
        let defaults = ServeArgs::default().resolve().unwrap().promql;
        assert_eq!(defaults.lookback_delta_ms, 300_000);
        assert_eq!(defaults.timeout, Duration::from_secs(120));
        assert_eq!(defaults.max_samples, 50_000_000);
        let zero = ServeArgs {
            query_max_samples: Some(0),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", zero.resolve().unwrap_err()).contains("--query-max-samples"));
    }

    #[test]
    fn sql_limits_come_from_flags_file_or_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("th.toml");
        std::fs::write(&path, "sql_max_rows = 500\nsql_max_memory = \"1GiB\"\n").unwrap();
        let sql = ServeArgs {
            config: Some(path),
            sql_timeout: Some("5s".into()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap()
        .sql;
        assert_eq!(
            sql,
            SqlLimits {
                max_rows: 500,
                timeout: Duration::from_secs(5),
                max_memory_bytes: 1 << 30,
            }
        );
        assert_eq!(
            ServeArgs::default().resolve().unwrap().sql,
            SqlLimits::default()
        );
        let zero = ServeArgs {
            sql_max_rows: Some(0),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", zero.resolve().unwrap_err()).contains("--sql-max-rows"));
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let bad_listen = ServeArgs {
            listen: Some("nowhere".into()),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_listen.resolve().unwrap_err()).contains("--listen"));
        let off = ServeArgs {
            otlp_http_listen: Some("off".into()),
            ..ServeArgs::default()
        };
        assert_eq!(off.resolve().unwrap().otlp_http_listen, None);
        assert_eq!(
            ServeArgs::default()
                .resolve()
                .unwrap()
                .otlp_http_listen
                .map(|a| a.port()),
            Some(4318)
        );
        let bad_otlp = ServeArgs {
            otlp_http_listen: Some("4318".into()),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_otlp.resolve().unwrap_err()).contains("--otlp-http-listen"));
        let grpc = ServeArgs::default().resolve().unwrap().otlp_grpc_listen;
        assert_eq!(grpc.map(|a| a.port()), Some(4317));
        let grpc_off = ServeArgs {
            otlp_grpc_listen: Some("off".into()),
            ..ServeArgs::default()
        };
        assert_eq!(grpc_off.resolve().unwrap().otlp_grpc_listen, None);
        let bad_grpc = ServeArgs {
            otlp_grpc_listen: Some("localhost".into()),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_grpc.resolve().unwrap_err()).contains("--otlp-grpc-listen"));
        let bad_mask = ServeArgs {
            log_pattern_mask: vec!["(unclosed".into()],
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_mask.resolve().unwrap_err()).contains("--log-pattern-mask"));
        let bad_retention = ServeArgs {
            retention: Some("forever".into()),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_retention.resolve().unwrap_err()).contains("--retention"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("th.toml");
        std::fs::write(&path, "unknown_key = 1\n").unwrap();
        let bad_file = ServeArgs {
            config: Some(path),
            ..ServeArgs::default()
        };
        assert!(format!("{:#}", bad_file.resolve().unwrap_err()).contains("invalid config file"));
    }

    #[test]
    fn records_come_from_the_config_file_or_their_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let mapping = dir.path().join("records.toml");
        std::fs::write(&mapping, telemetryhub_records::KAFKA_OBSERVABILITY_EXAMPLE).unwrap();
        let by_flag = ServeArgs {
            records_config: Some(mapping.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(
            by_flag.records.sources.keys().collect::<Vec<_>>(),
            ["kafka-observability"]
        );
        assert_eq!(by_flag.max_file_bytes, 1 << 30);
        assert_eq!(by_flag.max_dead_letters, 100_000);
        assert_eq!(
            by_flag.sample_cache_bytes,
            telemetryhub_storage::DEFAULT_SAMPLE_CACHE_BYTES
        );
        assert!(
            ServeArgs::default()
                .resolve()
                .unwrap()
                .records
                .sources
                .is_empty()
        );

        let config = dir.path().join("th.toml");
        std::fs::write(
            &config,
            concat!(
                "max_file_size = \"2MiB\"\n",
                "max_dead_letters = 500\n",
                "sample_cache_size = \"0\"\n",
                "[records.sources.jobs]\nkey = [\"id\"]\n",
                "[records.sources.jobs.fields]\nid = { required = true }\n",
            ),
        )
        .unwrap();
        let in_file = ServeArgs {
            config: Some(config.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(in_file.records.sources.keys().collect::<Vec<_>>(), ["jobs"]);
        assert_eq!(in_file.max_file_bytes, 2 << 20);
        assert_eq!(in_file.max_dead_letters, 500);
        assert_eq!(in_file.sample_cache_bytes, 0, "0 turns the cache off");
        let none_kept = ServeArgs {
            max_dead_letters: Some(0),
            ..ServeArgs::default()
        }
        .resolve();
        assert!(format!("{:#}", none_kept.unwrap_err()).contains("--max-dead-letters"));
        let both = ServeArgs {
            config: Some(config.clone()),
            records_config: Some(mapping),
            ..ServeArgs::default()
        }
        .resolve();
        assert!(format!("{:#}", both.unwrap_err()).contains("configured twice"));
        // A Kafka source is checked against the mappings.
        std::fs::write(
            &config,
            concat!(
                "[records.sources.jobs]\nkey = [\"id\"]\n",
                "[records.sources.jobs.fields]\nid = { required = true }\n",
                "[records.kafka.runs]\nbrokers = [\"127.0.0.1:9092\"]\n",
                "topics = [\"runs\"]\ngroup_id = \"th\"\nsource = \"jobs\"\n",
            ),
        )
        .unwrap();
        let kafka = ServeArgs {
            config: Some(config.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap()
        .kafka;
        assert_eq!(
            kafka
                .iter()
                .map(|k| (k.name.as_str(), k.mapping.as_str()))
                .collect::<Vec<_>>(),
            [("runs", "jobs")]
        );
        std::fs::write(
            &config,
            concat!(
                "[records.sources.jobs]\nkey = [\"id\"]\n",
                "[records.sources.jobs.fields]\nid = { required = true }\n",
                "[records.kafka.runs]\nbrokers = [\"127.0.0.1:9092\"]\n",
                "topics = [\"runs\"]\ngroup_id = \"th\"\n",
            ),
        )
        .unwrap();
        let unknown_mapping = ServeArgs {
            config: Some(config.clone()),
            ..ServeArgs::default()
        }
        .resolve();
        let message = format!("{:#}", unknown_mapping.unwrap_err());
        assert!(
            message.contains("Kafka source \"runs\": source: no records mapping \"runs\""),
            "{message}"
        );
        // A mapping naming a field it does not read stops the start.
        std::fs::write(&config, "[records.sources.jobs]\nkey = [\"nope\"]\n").unwrap();
        let bad = ServeArgs {
            config: Some(config),
            ..ServeArgs::default()
        }
        .resolve();
        assert!(format!("{:#}", bad.unwrap_err()).contains("records"));
    }
}
