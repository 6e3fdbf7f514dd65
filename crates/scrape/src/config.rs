//! `scrape_configs` with Prometheus' format and defaults, read from a `prometheus.yml` as it is
//! (other sections ignored, each named in a note) or from TelemetryHub's TOML config file
//! (`[scrape_global]` and `[[scrape_configs]]`, the same keys).
//!
//! Both formats are first read into a generic value, then into these types while every key
//! the types do not know is collected: a `prometheus.yml` written for Prometheus may use what
//! TelemetryHub does not support (e.g. `kubernetes_sd_configs`), and a user must learn that from
//! the log rather than from an empty targets page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use telemetryhub_model::{DEFAULT_TENANT, Labels, parse_duration};

use crate::relabel::RelabelConfig;

/// Why a scrape configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The text is not YAML or TOML of the expected shape.
    #[error("{0}")]
    Syntax(String),
    /// A value breaks one of Prometheus' rules.
    #[error("{0}")]
    Invalid(String),
}

/// A duration written as Prometheus writes them (`15s`, `1m30s`, `500ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigDuration(pub Duration);

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let nanos = parse_duration(&text).map_err(serde::de::Error::custom)?;
        if nanos < 0 {
            return Err(serde::de::Error::custom(format!(
                "{text:?} is negative; durations are positive"
            )));
        }
        Ok(ConfigDuration(Duration::from_nanos(nanos as u64)))
    }
}

/// A size written as Prometheus writes `body_size_limit` (`10MB`, `512KiB`, bytes), base 2 as
/// Prometheus reads it: `1KB` is 1,024 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ConfigSize(pub u64);

impl<'de> Deserialize<'de> for ConfigSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Number(bytes) => return Ok(ConfigSize(bytes)),
            Raw::Text(text) => text,
        };
        parse_size(&text)
            .map(ConfigSize)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid size {text:?}")))
    }
}

/// Reads `10MB`, `512KiB`, `1GB` or a plain number as bytes, base 2.
fn parse_size(text: &str) -> Option<u64> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: u64 = number.parse().ok()?;
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return None,
    };
    number.checked_mul(1u64 << shift)
}

/// The `global` section: defaults for every scrape config.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalConfig {
    /// How often to scrape by default (Prometheus: 1m).
    pub scrape_interval: ConfigDuration,
    /// How long a scrape may take by default (Prometheus: 10s).
    pub scrape_timeout: ConfigDuration,
    /// Labels added to every scraped series that does not have them (as vmagent does: here the
    /// scraper and the long-term store are one, so the labels a Prometheus would add when
    /// sending data on are added when storing).
    pub external_labels: Labels,
    /// The tenant scraped data goes to unless a scrape config names one (TelemetryHub's own).
    pub tenant: Option<String>,
}

/// The `global` section as written: the timeout's default depends on the interval.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawGlobal {
    scrape_interval: Option<ConfigDuration>,
    scrape_timeout: Option<ConfigDuration>,
    external_labels: Labels,
    tenant: Option<String>,
}

impl RawGlobal {
    /// Prometheus' defaults: a 1m interval, a 10s timeout or the interval if that is shorter.
    fn resolve(self) -> Result<GlobalConfig, ConfigError> {
        let defaults = GlobalConfig::default();
        let scrape_interval = self.scrape_interval.unwrap_or(defaults.scrape_interval);
        let scrape_timeout = match self.scrape_timeout {
            Some(timeout) => timeout,
            None => defaults.scrape_timeout.min(scrape_interval),
        };
        if scrape_timeout > scrape_interval {
            return Err(ConfigError::Invalid(
                "global scrape timeout greater than scrape interval".into(),
            ));
        }
        Ok(GlobalConfig {
            scrape_interval,
            scrape_timeout,
            external_labels: self.external_labels,
            tenant: self.tenant,
        })
    }
}

impl Default for GlobalConfig {
    fn default() -> Self {
        GlobalConfig {
            scrape_interval: ConfigDuration(Duration::from_secs(60)),
            scrape_timeout: ConfigDuration(Duration::from_secs(10)),
            external_labels: Labels::new(),
            tenant: None,
        }
    }
}

/// `basic_auth`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct BasicAuth {
    /// The user name.
    pub username: String,
    /// The password, or
    #[serde(default)]
    pub password: Option<String>,
    /// a file holding it (read at every scrape, so a rotated secret is picked up).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

/// `authorization`: an `Authorization: <type> <credentials>` header.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct Authorization {
    /// The scheme, `Bearer` by default.
    #[serde(default = "bearer", rename = "type")]
    pub kind: String,
    /// The credentials, or
    #[serde(default)]
    pub credentials: Option<String>,
    /// a file holding them (read at every scrape).
    #[serde(default)]
    pub credentials_file: Option<PathBuf>,
}

fn bearer() -> String {
    "Bearer".to_string()
}

/// `tls_config`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(default)]
pub struct TlsConfig {
    /// A PEM file of CA certificates to verify the target with.
    pub ca_file: Option<PathBuf>,
    /// A client certificate (PEM), with
    pub cert_file: Option<PathBuf>,
    /// its key (PEM).
    pub key_file: Option<PathBuf>,
    /// Prometheus' name to verify the target's certificate against instead of the host: read so
    /// a prometheus.yml loads, but not used (the host is verified; the log says so).
    pub server_name: Option<String>,
    /// Accept any certificate (for tests and self-signed targets; not recommended).
    pub insecure_skip_verify: bool,
}

/// One `static_configs` entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(default)]
pub struct StaticConfig {
    /// `host:port` of each target.
    pub targets: Vec<String>,
    /// Labels of all these targets.
    pub labels: Labels,
}

/// One `file_sd_configs` entry: JSON or YAML files of target groups, re-read when they change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct FileSdConfig {
    /// File paths; the last path element may hold a glob (`targets/*.json`).
    pub files: Vec<String>,
    /// Re-read everything this often even without a change seen (Prometheus: 5m).
    #[serde(default = "five_minutes")]
    pub refresh_interval: ConfigDuration,
}

fn five_minutes() -> ConfigDuration {
    ConfigDuration(Duration::from_secs(300))
}

/// One `http_sd_configs` entry: a URL answering a JSON list of target groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct HttpSdConfig {
    /// The URL.
    pub url: String,
    /// How often to ask (Prometheus: 60s).
    #[serde(default = "one_minute")]
    pub refresh_interval: ConfigDuration,
    /// `basic_auth` for the discovery request.
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    /// `authorization` for the discovery request.
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// `tls_config` for the discovery request.
    #[serde(default)]
    pub tls_config: TlsConfig,
}

fn one_minute() -> ConfigDuration {
    ConfigDuration(Duration::from_secs(60))
}

/// One `scrape_configs` entry as written; see [`ScrapeConfig`] for the resolved form.
#[derive(Debug, Clone, Deserialize)]
struct RawScrapeConfig {
    job_name: String,
    #[serde(default)]
    scrape_interval: Option<ConfigDuration>,
    #[serde(default)]
    scrape_timeout: Option<ConfigDuration>,
    #[serde(default)]
    metrics_path: Option<String>,
    #[serde(default)]
    scheme: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    honor_labels: bool,
    #[serde(default = "yes")]
    honor_timestamps: bool,
    #[serde(default)]
    basic_auth: Option<BasicAuth>,
    #[serde(default)]
    authorization: Option<Authorization>,
    #[serde(default)]
    bearer_token: Option<String>,
    #[serde(default)]
    bearer_token_file: Option<PathBuf>,
    #[serde(default)]
    tls_config: TlsConfig,
    #[serde(default)]
    static_configs: Vec<StaticConfig>,
    #[serde(default)]
    file_sd_configs: Vec<FileSdConfig>,
    #[serde(default)]
    http_sd_configs: Vec<HttpSdConfig>,
    #[serde(default)]
    relabel_configs: Vec<RelabelConfig>,
    #[serde(default)]
    metric_relabel_configs: Vec<RelabelConfig>,
    #[serde(default)]
    sample_limit: usize,
    #[serde(default)]
    target_limit: usize,
    #[serde(default)]
    label_limit: usize,
    #[serde(default)]
    label_name_length_limit: usize,
    #[serde(default)]
    label_value_length_limit: usize,
    #[serde(default)]
    body_size_limit: ConfigSize,
    #[serde(default)]
    tenant: Option<String>,
}

fn yes() -> bool {
    true
}

/// One scrape job, with Prometheus' defaults filled in from the global section.
#[derive(Debug, Clone)]
pub struct ScrapeConfig {
    /// The `job` label of its targets, unique in the file.
    pub job_name: String,
    /// How often each target is scraped.
    pub scrape_interval: Duration,
    /// How long a scrape may take; at most the interval.
    pub scrape_timeout: Duration,
    /// The path scraped (`/metrics`).
    pub metrics_path: String,
    /// `http` or `https`.
    pub scheme: String,
    /// URL query parameters of every scrape.
    pub params: BTreeMap<String, Vec<String>>,
    /// On a clash, keep the scraped label and drop the target's (else the scraped one becomes
    /// `exported_<name>`).
    pub honor_labels: bool,
    /// Keep timestamps the target sends (else every sample takes the scrape's time).
    pub honor_timestamps: bool,
    /// HTTP basic authentication.
    pub basic_auth: Option<BasicAuth>,
    /// An `Authorization` header (`bearer_token` and `bearer_token_file` become this).
    pub authorization: Option<Authorization>,
    /// TLS settings for `https` targets.
    pub tls_config: TlsConfig,
    /// Targets listed in the file.
    pub static_configs: Vec<StaticConfig>,
    /// Targets read from files.
    pub file_sd_configs: Vec<FileSdConfig>,
    /// Targets read from HTTP endpoints.
    pub http_sd_configs: Vec<HttpSdConfig>,
    /// Relabeling of discovered targets.
    pub relabel_configs: Vec<RelabelConfig>,
    /// Relabeling of every scraped sample.
    pub metric_relabel_configs: Vec<RelabelConfig>,
    /// A scrape with more samples (after metric relabeling) fails; 0 is no limit.
    pub sample_limit: usize,
    /// More targets after relabeling fail them all; 0 is no limit.
    pub target_limit: usize,
    /// A scrape with a series of more labels fails; 0 is no limit.
    pub label_limit: usize,
    /// A scrape with a longer label name fails; 0 is no limit.
    pub label_name_length_limit: usize,
    /// A scrape with a longer label value fails; 0 is no limit.
    pub label_value_length_limit: usize,
    /// A larger (uncompressed) body fails the scrape; 0 is no limit.
    pub body_size_limit: u64,
    /// The tenant its data goes to.
    pub tenant: String,
    /// The labels of [`GlobalConfig::external_labels`].
    pub external_labels: Labels,
    /// The whole entry as read, to tell an unchanged job at a reload.
    pub fingerprint: String,
}

/// Everything the scraper runs from.
#[derive(Debug, Clone, Default)]
pub struct ScrapeSettings {
    /// The global defaults.
    pub global: GlobalConfig,
    /// The jobs, in file order.
    pub scrape_configs: Vec<ScrapeConfig>,
    /// Keys read but not used, for the log.
    pub ignored: Vec<IgnoredKey>,
}

/// A key of the configuration that is read but not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredKey {
    /// Where it is, e.g. `scrape_configs.0.kubernetes_sd_configs`.
    pub path: String,
    /// Whether it belongs to another part of Prometheus (rules, alerting, remote_write) rather
    /// than being a scrape option TelemetryHub lacks.
    pub other_section: bool,
}

impl std::fmt::Display for IgnoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = if self.other_section {
            "not a scrape setting"
        } else {
            "not supported"
        };
        write!(f, "{} ({why})", self.path)
    }
}

/// The top level of a `prometheus.yml` (or of the TOML config's scrape part).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFile {
    global: Option<RawGlobal>,
    scrape_configs: Vec<RawScrapeConfig>,
}

/// Sections of a `prometheus.yml` that belong to other parts of Prometheus: noted, not refused.
const OTHER_PROMETHEUS_SECTIONS: [&str; 7] = [
    "rule_files",
    "alerting",
    "remote_write",
    "remote_read",
    "storage",
    "tracing",
    "scrape_config_files",
];

/// Keys of a `prometheus.yml`'s `global` section that belong to other parts of Prometheus.
const OTHER_GLOBAL_SETTINGS: [&str; 3] =
    ["evaluation_interval", "query_log_file", "rule_query_offset"];

impl ScrapeSettings {
    /// Reads a `prometheus.yml`.
    pub fn from_yaml(text: &str) -> Result<ScrapeSettings, ConfigError> {
        let value: serde_json::Value = if text.trim().is_empty() {
            serde_json::Value::Object(Default::default())
        } else {
            serde_saphyr::from_str(text).map_err(|e| ConfigError::Syntax(e.to_string()))?
        };
        ScrapeSettings::from_value(value)
    }

    /// Reads the scrape part of TelemetryHub's TOML config: its `scrape_global` table and
    /// `scrape_configs` array (either may be missing).
    pub fn from_toml_parts(
        global: Option<serde_json::Value>,
        scrape_configs: Option<serde_json::Value>,
    ) -> Result<ScrapeSettings, ConfigError> {
        let mut top = serde_json::Map::new();
        if let Some(global) = global {
            top.insert("global".into(), global);
        }
        if let Some(configs) = scrape_configs {
            top.insert("scrape_configs".into(), configs);
        }
        ScrapeSettings::from_value(serde_json::Value::Object(top))
    }

    /// Reads settings from their generic form, collecting keys it does not use.
    pub fn from_value(value: serde_json::Value) -> Result<ScrapeSettings, ConfigError> {
        if !(value.is_object() || value.is_null()) {
            return Err(ConfigError::Syntax(
                "the scrape configuration must be a mapping of sections".into(),
            ));
        }
        let mut ignored = Vec::new();
        let raw: RawFile = serde_ignored::deserialize(value, |path| {
            // `?` marks an optional value in serde_ignored's paths; users never write it.
            let path = path.to_string().replace(".?", "");
            let section = path.split('.').next().unwrap_or_default();
            let other_section = OTHER_PROMETHEUS_SECTIONS.contains(&section)
                || OTHER_GLOBAL_SETTINGS
                    .iter()
                    .any(|key| path == format!("global.{key}"));
            ignored.push(IgnoredKey {
                path,
                other_section,
            });
        })
        .map_err(|e| ConfigError::Syntax(e.to_string()))?;
        ignored.dedup();
        let global = raw.global.unwrap_or_default().resolve()?;
        let mut scrape_configs: Vec<ScrapeConfig> = Vec::new();
        for (index, raw_job) in raw.scrape_configs.into_iter().enumerate() {
            // Read (Prometheus has it) but not used: the client verifies the target's host.
            if raw_job.tls_config.server_name.is_some() {
                ignored.push(IgnoredKey {
                    path: format!("scrape_configs.{index}.tls_config.server_name"),
                    other_section: false,
                });
            }
            let job = resolve(raw_job, &global)?;
            if scrape_configs.iter().any(|j| j.job_name == job.job_name) {
                return Err(ConfigError::Invalid(format!(
                    "found multiple scrape configs with job name {:?}",
                    job.job_name
                )));
            }
            scrape_configs.push(job);
        }
        Ok(ScrapeSettings {
            global,
            scrape_configs,
            ignored,
        })
    }

    /// Reads a `prometheus.yml` from a file.
    pub fn from_yaml_file(path: &Path) -> Result<ScrapeSettings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        ScrapeSettings::from_yaml(&text)
    }

    /// Both sources together: the jobs of `other` after these (job names stay unique).
    pub fn merge(mut self, other: ScrapeSettings) -> Result<ScrapeSettings, ConfigError> {
        for job in other.scrape_configs {
            if self
                .scrape_configs
                .iter()
                .any(|j| j.job_name == job.job_name)
            {
                return Err(ConfigError::Invalid(format!(
                    "found multiple scrape configs with job name {:?}",
                    job.job_name
                )));
            }
            self.scrape_configs.push(job);
        }
        self.ignored.extend(other.ignored);
        Ok(self)
    }
}

/// Fills a job's defaults from `global` and checks it as Prometheus does on load.
fn resolve(raw: RawScrapeConfig, global: &GlobalConfig) -> Result<ScrapeConfig, ConfigError> {
    let job = raw.job_name.clone();
    let invalid = |message: String| ConfigError::Invalid(format!("job {job:?}: {message}"));
    if job.is_empty() {
        return Err(ConfigError::Invalid("job_name is empty".into()));
    }
    let fingerprint = format!("{raw:?}|{global:?}");
    let scrape_interval = raw
        .scrape_interval
        .unwrap_or(global.scrape_interval)
        .0
        .max(Duration::from_millis(1));
    let scrape_timeout = match raw.scrape_timeout {
        Some(timeout) => timeout.0,
        None => global.scrape_timeout.0.min(scrape_interval),
    };
    if scrape_timeout > scrape_interval {
        return Err(ConfigError::Invalid(format!(
            "scrape timeout greater than scrape interval for scrape config with job name {job:?}"
        )));
    }
    let scheme = raw.scheme.unwrap_or_else(|| "http".into());
    if scheme != "http" && scheme != "https" {
        return Err(invalid(format!(
            "scheme must be http or https, not {scheme:?}"
        )));
    }
    let metrics_path = raw.metrics_path.unwrap_or_else(|| "/metrics".into());
    if let Some(auth) = &raw.basic_auth {
        check_basic_auth(auth).map_err(invalid)?;
    }
    let mut authorization = raw.authorization;
    let legacy_bearer = match (raw.bearer_token, raw.bearer_token_file) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "at most one of bearer_token & bearer_token_file must be configured".into(),
            ));
        }
        (Some(token), None) => Some(Authorization {
            kind: bearer(),
            credentials: Some(token),
            credentials_file: None,
        }),
        (None, Some(file)) => Some(Authorization {
            kind: bearer(),
            credentials: None,
            credentials_file: Some(file),
        }),
        (None, None) => None,
    };
    if let Some(bearer) = legacy_bearer {
        if authorization.is_some() {
            return Err(invalid(
                "authorization is not compatible with bearer_token & bearer_token_file".into(),
            ));
        }
        authorization = Some(bearer);
    }
    if let Some(auth) = &authorization {
        check_authorization(auth).map_err(invalid)?;
        if raw.basic_auth.is_some() {
            return Err(invalid(
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"
                    .into(),
            ));
        }
    }
    for sd in &raw.http_sd_configs {
        if !(sd.url.starts_with("http://") || sd.url.starts_with("https://")) {
            return Err(invalid(format!(
                "http_sd_configs url {:?} must be http or https",
                sd.url
            )));
        }
        if let Some(auth) = &sd.basic_auth {
            check_basic_auth(auth).map_err(invalid)?;
        }
        if let Some(auth) = &sd.authorization {
            check_authorization(auth).map_err(invalid)?;
        }
    }
    for sd in &raw.file_sd_configs {
        for file in &sd.files {
            let name = file.rsplit('/').next().unwrap_or(file);
            let known = [".json", ".yml", ".yaml"]
                .iter()
                .any(|ext| name.ends_with(ext));
            if !known {
                return Err(invalid(format!(
                    "file_sd_configs: file {file:?} must end in .json, .yml or .yaml"
                )));
            }
        }
    }
    for target in raw.static_configs.iter().flat_map(|s| &s.targets) {
        if target.contains('/') {
            return Err(invalid(format!(
                "{target:?} is not a valid hostname (a target is host:port, without a path)"
            )));
        }
    }
    let tenant = raw
        .tenant
        .or_else(|| global.tenant.clone())
        .unwrap_or_else(|| DEFAULT_TENANT.to_string());
    Ok(ScrapeConfig {
        job_name: raw.job_name,
        scrape_interval,
        scrape_timeout,
        metrics_path,
        scheme,
        params: raw.params,
        honor_labels: raw.honor_labels,
        honor_timestamps: raw.honor_timestamps,
        basic_auth: raw.basic_auth,
        authorization,
        tls_config: raw.tls_config,
        static_configs: raw.static_configs,
        file_sd_configs: raw.file_sd_configs,
        http_sd_configs: raw.http_sd_configs,
        relabel_configs: raw.relabel_configs,
        metric_relabel_configs: raw.metric_relabel_configs,
        sample_limit: raw.sample_limit,
        target_limit: raw.target_limit,
        label_limit: raw.label_limit,
        label_name_length_limit: raw.label_name_length_limit,
        label_value_length_limit: raw.label_value_length_limit,
        body_size_limit: raw.body_size_limit.0,
        tenant,
        external_labels: global.external_labels.clone(),
        fingerprint,
    })
}

/// `basic_auth` as Prometheus checks it.
fn check_basic_auth(auth: &BasicAuth) -> Result<(), String> {
    if auth.password.is_some() && auth.password_file.is_some() {
        return Err("at most one of basic_auth password & password_file must be configured".into());
    }
    Ok(())
}

/// `authorization` as Prometheus checks it.
fn check_authorization(auth: &Authorization) -> Result<(), String> {
    if auth.credentials.is_some() && auth.credentials_file.is_some() {
        return Err(
            "at most one of authorization credentials & credentials_file must be configured".into(),
        );
    }
    if auth.kind.eq_ignore_ascii_case("basic") {
        return Err(
            "authorization type cannot be set to \"basic\", use \"basic_auth\" instead".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
