//! From a discovered target to the one that is scraped: the labels Prometheus adds before
//! relabeling (`job`, `__scheme__`, `__metrics_path__`, `__param_*`, the interval and timeout),
//! target relabeling, the default port, `instance`, and the scrape URL.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;

use telemetryhub_model::{Labels, parse_duration};
use telemetryhub_receivers::prom_text::is_valid_label_name;

use crate::config::ScrapeConfig;
use crate::relabel::relabel;

/// `__address__`: the target's `host:port`.
pub const ADDRESS_LABEL: &str = "__address__";
/// `__scheme__`.
pub const SCHEME_LABEL: &str = "__scheme__";
/// `__metrics_path__`.
pub const METRICS_PATH_LABEL: &str = "__metrics_path__";
/// `__scrape_interval__`.
pub const SCRAPE_INTERVAL_LABEL: &str = "__scrape_interval__";
/// `__scrape_timeout__`.
pub const SCRAPE_TIMEOUT_LABEL: &str = "__scrape_timeout__";
/// The prefix of labels that become URL parameters.
pub const PARAM_LABEL_PREFIX: &str = "__param_";
/// The prefix of labels discovery attaches for relabeling only.
pub const META_LABEL_PREFIX: &str = "__meta_";

/// A group of targets sharing labels, as `static_configs`, file and HTTP discovery give them.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct TargetGroup {
    /// `host:port` of each target.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Labels of every target of the group.
    #[serde(default)]
    pub labels: Labels,
    /// Where the group came from (a file, a URL), shown by the targets API; not a label.
    #[serde(skip)]
    pub source: String,
}

/// A target after relabeling: what the scrape loop needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Its labels without the `__`-prefixed ones: what every scraped series gets.
    pub labels: Labels,
    /// Every label before relabeling (`discoveredLabels` of the targets API).
    pub discovered_labels: Labels,
    /// The URL scraped.
    pub url: String,
    /// How often.
    pub interval: Duration,
    /// How long a scrape may take.
    pub timeout: Duration,
    /// Identifies the target within its pool, stable across reloads: a hash of every label
    /// after relabeling (the `__` ones too, which decide the URL and timing).
    pub key: u64,
}

/// What relabeling made of a discovered target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It is scraped.
    Active(Target),
    /// Relabeling dropped it (`droppedTargets` of the targets API).
    Dropped {
        /// Its labels before relabeling.
        discovered_labels: Labels,
    },
}

/// Why a discovered target cannot be scraped at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TargetError(pub String);

/// Builds the target of one address of `group` for `config`, as Prometheus' `PopulateLabels`.
pub fn populate(
    config: &ScrapeConfig,
    group: &TargetGroup,
    address: &str,
) -> Result<Outcome, TargetError> {
    let mut labels = group.labels.clone();
    labels.insert(ADDRESS_LABEL.to_string(), address.to_string());
    let defaults = [
        ("job", config.job_name.clone()),
        (
            SCRAPE_INTERVAL_LABEL,
            format_duration(config.scrape_interval),
        ),
        (SCRAPE_TIMEOUT_LABEL, format_duration(config.scrape_timeout)),
        (METRICS_PATH_LABEL, config.metrics_path.clone()),
        (SCHEME_LABEL, config.scheme.clone()),
    ];
    for (name, value) in defaults {
        labels.entry(name.to_string()).or_insert(value);
    }
    for (name, values) in &config.params {
        if let Some(first) = values.first() {
            labels
                .entry(format!("{PARAM_LABEL_PREFIX}{name}"))
                .or_insert_with(|| first.clone());
        }
    }
    let discovered_labels = labels.clone();
    if !relabel(&mut labels, &config.relabel_configs) {
        return Ok(Outcome::Dropped { discovered_labels });
    }
    let Some(address) = labels.get(ADDRESS_LABEL).filter(|a| !a.is_empty()).cloned() else {
        return Err(TargetError("no address".into()));
    };
    let scheme = labels.get(SCHEME_LABEL).cloned().unwrap_or_default();
    let address = if has_port(&address) {
        address
    } else {
        let with_port = match scheme.as_str() {
            "http" | "" => format!("{address}:80"),
            "https" => format!("{address}:443"),
            other => return Err(TargetError(format!("invalid scheme: {other:?}"))),
        };
        labels.insert(ADDRESS_LABEL.to_string(), with_port.clone());
        with_port
    };
    if address.contains('/') || address.contains(char::is_whitespace) {
        return Err(TargetError(format!("{address:?} is not a valid hostname")));
    }
    let interval = label_duration(&labels, SCRAPE_INTERVAL_LABEL)?;
    let timeout = label_duration(&labels, SCRAPE_TIMEOUT_LABEL)?;
    if interval.is_zero() {
        return Err(TargetError("scrape interval cannot be 0".into()));
    }
    if timeout.is_zero() {
        return Err(TargetError("scrape timeout cannot be 0".into()));
    }
    if timeout > interval {
        return Err(TargetError(format!(
            "scrape timeout cannot be greater than scrape interval ({} > {})",
            format_duration(timeout),
            format_duration(interval)
        )));
    }
    labels.retain(|name, _| !name.starts_with(META_LABEL_PREFIX));
    if labels.get("instance").is_none_or(|v| v.is_empty()) {
        labels.insert("instance".to_string(), address.clone());
    }
    if let Some(name) = labels.keys().find(|name| !is_valid_label_name(name)) {
        return Err(TargetError(format!("invalid label name {name:?}")));
    }
    let url = scrape_url(config, &labels, &scheme, &address);
    let mut hasher = DefaultHasher::new();
    labels.hash(&mut hasher);
    let key = hasher.finish();
    let public: Labels = labels
        .into_iter()
        .filter(|(name, value)| !name.starts_with("__") && !value.is_empty())
        .collect();
    Ok(Outcome::Active(Target {
        labels: public,
        discovered_labels,
        url,
        interval,
        timeout,
        key,
    }))
}

/// The URL of a target: scheme, address and path from its labels, the config's parameters
/// with `__param_*` labels replacing their first value.
fn scrape_url(config: &ScrapeConfig, labels: &Labels, scheme: &str, address: &str) -> String {
    let path = labels
        .get(METRICS_PATH_LABEL)
        .map(String::as_str)
        .unwrap_or("/metrics");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    // Go's `url.Values`: keys sorted, a `__param_` label replacing its first value.
    let mut params: BTreeMap<String, Vec<String>> = config.params.clone();
    for (name, value) in labels {
        if let Some(param) = name.strip_prefix(PARAM_LABEL_PREFIX) {
            let values = params.entry(param.to_string()).or_default();
            match values.first_mut() {
                Some(first) => *first = value.clone(),
                None => values.push(value.clone()),
            }
        }
    }
    let query: Vec<String> = params
        .iter()
        .flat_map(|(name, values)| {
            values
                .iter()
                .map(move |value| format!("{}={}", encode(name), encode(value)))
        })
        .collect();
    let scheme = if scheme.is_empty() { "http" } else { scheme };
    if query.is_empty() {
        format!("{scheme}://{address}{path}")
    } else {
        format!("{scheme}://{address}{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a query component as Go's `url.QueryEscape` does (a space is `+`).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Whether `address` ends in a port (`host:9100`, `[::1]:9100`).
fn has_port(address: &str) -> bool {
    match address.rsplit_once(':') {
        Some((host, port)) => {
            !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!host.contains(':') || host.ends_with(']'))
        }
        None => false,
    }
}

fn label_duration(labels: &Labels, name: &str) -> Result<Duration, TargetError> {
    let text = labels.get(name).map(String::as_str).unwrap_or_default();
    let nanos =
        parse_duration(text).map_err(|_| TargetError(format!("error parsing {name} {text:?}")))?;
    Ok(Duration::from_nanos(nanos.max(0) as u64))
}

/// Writes a duration as Prometheus does (`15s`, `1m30s`, `500ms`).
pub fn format_duration(duration: Duration) -> String {
    let mut millis = duration.as_millis();
    if millis == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("y", 365 * 86_400_000u128),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
        if millis >= size {
            out.push_str(&format!("{}{unit}", millis / size));
            millis %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScrapeSettings;
    use crate::testing::labels;

    fn job(yaml: &str) -> ScrapeConfig {
        let settings = ScrapeSettings::from_yaml(yaml).unwrap();
        settings.scrape_configs.into_iter().next().unwrap()
    }

    fn active(outcome: Outcome) -> Target {
        match outcome {
            Outcome::Active(target) => target,
            Outcome::Dropped { .. } => panic!("dropped"),
        }
    }

    #[test]
    fn a_static_target_gets_job_instance_and_its_url() {
        let config = job(
            "scrape_configs:\n- job_name: node\n  scrape_interval: 15s\n  static_configs:\n  - targets: ['localhost:9100']\n    labels: {env: prod}\n",
        );
        let group = &config.static_configs[0];
        let target = active(
            populate(
                &config,
                &TargetGroup {
                    targets: group.targets.clone(),
                    labels: group.labels.clone(),
                    source: String::new(),
                },
                "localhost:9100",
            )
            .unwrap(),
        );
        assert_eq!(
            target.labels,
            labels(&[
                ("env", "prod"),
                ("instance", "localhost:9100"),
                ("job", "node")
            ])
        );
        assert_eq!(target.url, "http://localhost:9100/metrics");
        assert_eq!(target.interval, Duration::from_secs(15));
        assert_eq!(target.timeout, Duration::from_secs(10));
        assert_eq!(
            target.discovered_labels.get("__scrape_interval__").unwrap(),
            "15s"
        );
        assert_eq!(target.discovered_labels.get("__scheme__").unwrap(), "http");
    }

    #[test]
    fn relabeling_sets_the_url_and_the_default_port_follows_the_scheme() {
        let config = job(concat!(
            "scrape_configs:\n- job_name: blackbox\n  metrics_path: /probe\n",
            "  params: {module: [http_2xx], extra: [a, b]}\n",
            "  relabel_configs:\n",
            "  - source_labels: [__address__]\n    target_label: __param_target\n",
            "  - source_labels: [__param_target]\n    target_label: instance\n",
            "  - target_label: __address__\n    replacement: exporter.example\n",
            "  - target_label: __scheme__\n    replacement: https\n",
        ));
        let target =
            active(populate(&config, &TargetGroup::default(), "https://site.example").unwrap());
        assert_eq!(
            target.url,
            "https://exporter.example:443/probe?extra=a&extra=b&module=http_2xx&target=https%3A%2F%2Fsite.example"
        );
        assert_eq!(
            target.labels,
            labels(&[("instance", "https://site.example"), ("job", "blackbox")])
        );
    }

    #[test]
    fn dropped_targets_keep_their_discovered_labels_and_bad_ones_say_why() {
        let config = job(concat!(
            "scrape_configs:\n- job_name: j\n  relabel_configs:\n",
            "  - source_labels: [__address__]\n    regex: 'skip.*'\n    action: drop\n",
        ));
        match populate(&config, &TargetGroup::default(), "skip:1").unwrap() {
            Outcome::Dropped { discovered_labels } => {
                assert_eq!(discovered_labels.get("__address__").unwrap(), "skip:1")
            }
            Outcome::Active(_) => panic!("not dropped"),
        }
        let plain = job("scrape_configs:\n- job_name: j\n");
        let error = populate(&plain, &TargetGroup::default(), "host:1/path").unwrap_err();
        assert!(error.0.contains("not a valid hostname"), "{error}");
        let target = active(populate(&plain, &TargetGroup::default(), "[::1]").unwrap());
        assert_eq!(target.url, "http://[::1]:80/metrics");
    }

    #[test]
    fn formats_durations_as_prometheus() {
        assert_eq!(format_duration(Duration::from_secs(15)), "15s");
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(format_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(format_duration(Duration::from_secs(3600)), "1h");
    }
}
