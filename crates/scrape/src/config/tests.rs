use super::*;

fn only_job(yaml: &str) -> ScrapeConfig {
    let mut settings = ScrapeSettings::from_yaml(yaml).unwrap();
    assert_eq!(settings.scrape_configs.len(), 1);
    settings.scrape_configs.remove(0)
}

fn invalid(yaml: &str) -> String {
    ScrapeSettings::from_yaml(yaml).unwrap_err().to_string()
}

#[test]
fn fills_prometheus_defaults() {
    let job = only_job("scrape_configs:\n  - job_name: node\n");
    assert_eq!(job.scrape_interval, Duration::from_secs(60));
    assert_eq!(job.scrape_timeout, Duration::from_secs(10));
    assert_eq!(job.metrics_path, "/metrics");
    assert_eq!(job.scheme, "http");
    assert!(!job.honor_labels);
    assert!(job.honor_timestamps);
    assert_eq!(job.sample_limit, 0);
    assert_eq!(job.body_size_limit, 0);
    assert_eq!(job.tenant, DEFAULT_TENANT);
}

#[test]
fn the_timeout_defaults_to_the_interval_when_that_is_shorter() {
    let global_short =
        only_job("global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n");
    assert_eq!(global_short.scrape_interval, Duration::from_secs(5));
    assert_eq!(global_short.scrape_timeout, Duration::from_secs(5));
    let job_short = only_job("scrape_configs:\n  - job_name: a\n    scrape_interval: 2s\n");
    assert_eq!(job_short.scrape_timeout, Duration::from_secs(2));
    let explicit = only_job(
        "global:\n  scrape_interval: 30s\n  scrape_timeout: 20s\nscrape_configs:\n  - job_name: a\n    scrape_interval: 15s\n",
    );
    assert_eq!(explicit.scrape_timeout, Duration::from_secs(15));
    assert!(
        invalid(
            "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 6s\n"
        )
        .contains(
            "scrape timeout greater than scrape interval for scrape config with job name \"a\""
        )
    );
    assert!(
        invalid("global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n")
            .contains("global scrape timeout greater than scrape interval")
    );
}

#[test]
fn reads_every_supported_option() {
    let job = only_job(concat!(
        "global:\n  external_labels: {cluster: eu1}\n",
        "scrape_configs:\n",
        "  - job_name: api\n",
        "    scrape_interval: 15s\n    scrape_timeout: 5s\n",
        "    metrics_path: /custom\n    scheme: https\n",
        "    params: {format: [prometheus]}\n",
        "    honor_labels: true\n    honor_timestamps: false\n",
        "    basic_auth: {username: u, password: p}\n",
        "    tls_config: {insecure_skip_verify: true}\n",
        "    sample_limit: 1000\n    label_limit: 30\n",
        "    label_name_length_limit: 100\n    label_value_length_limit: 200\n",
        "    body_size_limit: 10MB\n    target_limit: 5\n",
        "    tenant: team-a\n",
        "    static_configs:\n      - targets: ['a:1', 'b:2']\n        labels: {env: prod}\n",
        "    file_sd_configs:\n      - files: ['/etc/targets/*.json']\n        refresh_interval: 1m\n",
        "    http_sd_configs:\n      - url: http://sd.example/targets\n",
    ));
    assert_eq!(job.scrape_interval, Duration::from_secs(15));
    assert_eq!(job.scrape_timeout, Duration::from_secs(5));
    assert_eq!(job.metrics_path, "/custom");
    assert_eq!(job.scheme, "https");
    assert_eq!(job.params["format"], vec!["prometheus"]);
    assert!(job.honor_labels && !job.honor_timestamps);
    assert_eq!(job.basic_auth.as_ref().unwrap().username, "u");
    assert!(job.tls_config.insecure_skip_verify);
    assert_eq!(
        (job.sample_limit, job.label_limit, job.target_limit),
        (1000, 30, 5)
    );
    assert_eq!(
        (job.label_name_length_limit, job.label_value_length_limit),
        (100, 200)
    );
    assert_eq!(job.body_size_limit, 10 << 20);
    assert_eq!(job.tenant, "team-a");
    assert_eq!(job.static_configs[0].targets, vec!["a:1", "b:2"]);
    assert_eq!(job.static_configs[0].labels["env"], "prod");
    assert_eq!(
        job.file_sd_configs[0].refresh_interval.0,
        Duration::from_secs(60)
    );
    assert_eq!(
        job.http_sd_configs[0].refresh_interval.0,
        Duration::from_secs(60)
    );
    assert_eq!(job.external_labels["cluster"], "eu1");
}

#[test]
fn legacy_bearer_tokens_become_authorization() {
    let job = only_job("scrape_configs:\n  - job_name: a\n    bearer_token: secret\n");
    let auth = job.authorization.unwrap();
    assert_eq!(
        (auth.kind.as_str(), auth.credentials.as_deref()),
        ("Bearer", Some("secret"))
    );
    assert!(
        invalid(
            "scrape_configs:\n  - job_name: a\n    bearer_token: s\n    basic_auth: {username: u}\n"
        )
        .contains("at most one of basic_auth")
    );
    assert!(
        invalid(
            "scrape_configs:\n  - job_name: a\n    authorization: {type: Basic, credentials: x}\n"
        )
        .contains("use \"basic_auth\" instead")
    ); // Discovery requests' credentials are checked at load too.
    assert!(
        invalid(concat!(
            "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n",
            "      - url: http://sd.example/\n",
            "        basic_auth: {username: u, password: p, password_file: f}\n",
        ))
        .contains("at most one of basic_auth password & password_file")
    );
}

#[test]
fn refuses_what_prometheus_refuses() {
    assert!(
        invalid("scrape_configs:\n  - job_name: a\n  - job_name: a\n")
            .contains("found multiple scrape configs with job name \"a\"")
    );
    assert!(invalid("scrape_configs:\n  - job_name: a\n    scheme: ftp\n").contains("scheme"));
    assert!(
        invalid("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [t.txt]\n")
            .contains("must end in .json, .yml or .yaml")
    );
    assert!(
        invalid("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['h:1/metrics']\n")
            .contains("not a valid hostname")
    );
    assert!(
        invalid("scrape_configs:\n  - job_name: a\n    scrape_interval: soon\n").contains("soon")
    );
    assert!(matches!(
        ScrapeSettings::from_yaml("scrape_configs: ["),
        Err(ConfigError::Syntax(_))
    ));
}

#[test]
fn notes_what_it_ignores_instead_of_refusing_it() {
    let settings = ScrapeSettings::from_yaml(concat!(
        "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\n",
        "rule_files: ['/etc/prometheus/rules/*.yml']\n",
        "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['am:9093']\n",
        "scrape_configs:\n  - job_name: k8s\n    kubernetes_sd_configs:\n      - role: pod\n",
        "    tls_config: {server_name: other.example}\n",
    ))
    .unwrap();
    assert_eq!(settings.scrape_configs.len(), 1);
    let ignored: Vec<String> = settings.ignored.iter().map(ToString::to_string).collect();
    let ignored = ignored.join("\n");
    assert!(
        ignored.contains("global.evaluation_interval (not a scrape setting)"),
        "{ignored}"
    );
    assert!(
        ignored.contains("rule_files (not a scrape setting)"),
        "{ignored}"
    );
    assert!(
        ignored.contains("alerting (not a scrape setting)"),
        "{ignored}"
    );
    assert!(
        ignored.contains("scrape_configs.0.kubernetes_sd_configs (not supported)"),
        "{ignored}"
    );
    assert!(
        ignored.contains("scrape_configs.0.tls_config.server_name (not supported)"),
        "{ignored}"
    );
}

#[test]
fn reads_the_toml_form_and_merges_it_with_a_prometheus_yml() {
    let table: toml::Table = toml::from_str(concat!(
        "[scrape_global]\nscrape_interval = \"10s\"\n",
        "[[scrape_configs]]\njob_name = \"node\"\n",
        "[[scrape_configs.static_configs]]\ntargets = [\"localhost:9100\"]\n",
    ))
    .unwrap();
    let json = |key: &str| table.get(key).map(|v| serde_json::to_value(v).unwrap());
    let from_toml =
        ScrapeSettings::from_toml_parts(json("scrape_global"), json("scrape_configs")).unwrap();
    let job = &from_toml.scrape_configs[0];
    assert_eq!(job.scrape_interval, Duration::from_secs(10));
    assert_eq!(job.static_configs[0].targets, vec!["localhost:9100"]);
    let from_yaml = ScrapeSettings::from_yaml("scrape_configs:\n  - job_name: api\n").unwrap();
    let merged = from_yaml.merge(from_toml.clone()).unwrap();
    assert_eq!(merged.scrape_configs.len(), 2);
    let clash = ScrapeSettings::from_yaml("scrape_configs:\n  - job_name: node\n").unwrap();
    assert!(clash.merge(from_toml).is_err());
}

#[test]
fn an_empty_file_has_no_jobs() {
    let settings = ScrapeSettings::from_yaml("").unwrap();
    assert!(settings.scrape_configs.is_empty());
    assert_eq!(parse_size("512KiB"), Some(512 << 10));
    assert_eq!(parse_size("1GB"), Some(1 << 30));
    assert_eq!(parse_size("12"), Some(12));
    assert_eq!(parse_size("12 parsecs"), None);
}
