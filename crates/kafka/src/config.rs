//! The Kafka sources of a records configuration, checked: every setting of
//! [`KafkaSourceConfig`] read, defaulted and refused with the setting named, before anything
//! connects — and the librdkafka properties a checked source runs with.

use std::collections::BTreeMap;
use std::time::Duration;

use telemetryhub_model::{DEFAULT_TENANT, parse_duration};
use telemetryhub_records::{KafkaSourceConfig, RecordsConfig, StartFrom};

use crate::KafkaError;

/// Most messages in one batch when `batch_records` is absent.
pub const DEFAULT_BATCH_RECORDS: usize = 5_000;

/// The largest `batch_records`: a batch is held in memory whole, then written as one WAL record.
pub const MAX_BATCH_RECORDS: usize = 100_000;

/// How long a batch waits to fill when `max_wait` is absent.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_millis(500);

/// The client id when `client_id` is absent.
pub const DEFAULT_CLIENT_ID: &str = "telemetryhub";

/// librdkafka properties this crate sets itself: they decide when offsets are committed (only
/// after the records are durable) and where the group reads, so `options` may not change them.
const RESERVED_OPTIONS: &[&str] = &[
    "bootstrap.servers",
    "metadata.broker.list",
    "group.id",
    "client.id",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "auto.offset.reset",
    "enable.partition.eof",
    "statistics.interval.ms",
];

/// One Kafka source, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaSource {
    /// The Kafka source's name (`[kafka.<name>]`), the `source` label of its metrics.
    pub name: String,
    /// Bootstrap brokers.
    pub brokers: Vec<String>,
    /// Topics consumed.
    pub topics: Vec<String>,
    /// The consumer group.
    pub group_id: String,
    /// The client id sent to the brokers.
    pub client_id: String,
    /// The records mapping the messages are standardised with.
    pub mapping: String,
    /// The tenant the records are stored under.
    pub tenant: String,
    /// Most messages in one durable write.
    pub batch_records: usize,
    /// How long a batch waits to fill.
    pub max_wait: Duration,
    /// Where a group without committed offsets starts.
    pub start_from: StartFrom,
    /// Further librdkafka properties.
    pub options: BTreeMap<String, String>,
}

impl KafkaSource {
    /// Checks one `[kafka.<name>]` against the configured mappings.
    pub fn new(
        name: &str,
        config: &KafkaSourceConfig,
        records: &RecordsConfig,
    ) -> Result<KafkaSource, KafkaError> {
        let bad = |setting: &'static str, message: String| KafkaError::Config {
            source_name: name.to_string(),
            setting,
            message,
        };
        if config.brokers.is_empty() {
            return Err(bad(
                "brokers",
                "at least one broker (host:port) is needed".into(),
            ));
        }
        for broker in &config.brokers {
            let valid = broker
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
            if !valid || broker.contains(',') || broker.contains(char::is_whitespace) {
                return Err(bad(
                    "brokers",
                    format!("{broker:?} is not host:port (list several brokers as an array)"),
                ));
            }
        }
        if config.topics.is_empty() {
            return Err(bad("topics", "at least one topic is needed".into()));
        }
        for topic in &config.topics {
            check_topic(topic).map_err(|message| bad("topics", message))?;
        }
        if config.group_id.trim().is_empty() {
            return Err(bad("group_id", "a consumer group id is needed".into()));
        }
        let mapping = config.source.clone().unwrap_or_else(|| name.to_string());
        if !records.sources.contains_key(&mapping) {
            let known: Vec<&str> = records.sources.keys().map(String::as_str).collect();
            return Err(bad(
                "source",
                format!(
                    "no records mapping {mapping:?} under [sources] (configured: {}); name one \
                     with source = \"...\"",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        let batch_records = config.batch_records.unwrap_or(DEFAULT_BATCH_RECORDS);
        if batch_records == 0 || batch_records > MAX_BATCH_RECORDS {
            return Err(bad(
                "batch_records",
                format!("{batch_records} is not between 1 and {MAX_BATCH_RECORDS}"),
            ));
        }
        let max_wait = match &config.max_wait {
            None => DEFAULT_MAX_WAIT,
            Some(text) => parse_duration(text)
                .ok()
                .and_then(|ns| u64::try_from(ns).ok())
                .map(Duration::from_nanos)
                .filter(|wait| *wait <= Duration::from_secs(60))
                .ok_or_else(|| {
                    bad(
                        "max_wait",
                        format!("{text:?} is not a duration of at most 60s (e.g. \"500ms\")"),
                    )
                })?,
        };
        for key in config.options.keys() {
            if RESERVED_OPTIONS.contains(&key.as_str()) {
                return Err(bad(
                    "options",
                    format!(
                        "{key:?} is set by TelemetryHub (offsets are committed only after the \
                         records are durable); use the source's own settings"
                    ),
                ));
            }
        }
        let tenant = config
            .tenant
            .clone()
            .unwrap_or_else(|| DEFAULT_TENANT.to_string());
        if tenant.is_empty() {
            return Err(bad("tenant", "the tenant may not be empty".into()));
        }
        Ok(KafkaSource {
            name: name.to_string(),
            brokers: config.brokers.clone(),
            topics: config.topics.clone(),
            group_id: config.group_id.clone(),
            client_id: config
                .client_id
                .clone()
                .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string()),
            mapping,
            tenant,
            batch_records,
            max_wait,
            start_from: config.start_from,
            options: config.options.clone(),
        })
    }

    /// The librdkafka properties the consumer runs with: offsets neither stored nor committed
    /// by the client on its own (the consumer commits a batch's offsets after its write is
    /// durable), reconnects backing off from 100 ms to 10 s, statistics (for the lag) every
    /// `stats_interval`, then `options`.
    pub fn client_properties(&self, stats_interval: Duration) -> BTreeMap<String, String> {
        let mut properties: BTreeMap<String, String> = [
            ("bootstrap.servers", self.brokers.join(",")),
            ("group.id", self.group_id.clone()),
            ("client.id", self.client_id.clone()),
            ("enable.auto.commit", "false".into()),
            ("enable.auto.offset.store", "false".into()),
            (
                "auto.offset.reset",
                match self.start_from {
                    StartFrom::Earliest => "earliest",
                    StartFrom::Latest => "latest",
                }
                .into(),
            ),
            ("enable.partition.eof", "false".into()),
            (
                "statistics.interval.ms",
                stats_interval.as_millis().max(1).to_string(),
            ),
            ("reconnect.backoff.ms", "100".into()),
            ("reconnect.backoff.max.ms", "10000".into()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
        properties.extend(self.options.clone());
        properties
    }
}

/// Every Kafka source of a records configuration, checked, by name. Two sources may not share a
/// consumer group when they share a broker address (the same cluster, as far as the
/// configuration can tell): the group would rebalance one source's partitions onto the other,
/// whose subscription may not even hold those topics, and a source can be left with none.
pub fn kafka_sources(records: &RecordsConfig) -> Result<Vec<KafkaSource>, KafkaError> {
    let sources = records
        .kafka
        .iter()
        .map(|(name, config)| KafkaSource::new(name, config, records))
        .collect::<Result<Vec<_>, _>>()?;
    for (index, source) in sources.iter().enumerate() {
        let shared = sources[..index].iter().find(|earlier| {
            earlier.group_id == source.group_id
                && earlier
                    .brokers
                    .iter()
                    .any(|b| source.brokers.iter().any(|c| c.eq_ignore_ascii_case(b)))
        });
        if let Some(earlier) = shared {
            return Err(KafkaError::Config {
                source_name: source.name.clone(),
                setting: "group_id",
                message: format!(
                    "{:?} is also the group of source {:?} on a broker address it shares; give each \
                     source its own consumer group (sources in one group take each other's \
                     partitions)",
                    source.group_id, earlier.name
                ),
            });
        }
    }
    Ok(sources)
}

/// A topic name as Kafka allows them: 1 to 249 of `[a-zA-Z0-9._-]`, not `.` or `..`.
fn check_topic(topic: &str) -> Result<(), String> {
    let legal = topic
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if topic.is_empty() || topic.len() > 249 || !legal || topic == "." || topic == ".." {
        return Err(format!(
            "{topic:?} is not a topic name (1 to 249 letters, digits, '.', '_', '-'; patterns \
             are not supported)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(kafka: &str) -> RecordsConfig {
        RecordsConfig::from_toml(&format!(
            "[sources.jobs]\nkey = [\"id\"]\n[sources.jobs.fields]\nid = {{ required = true }}\n{kafka}"
        ))
        .unwrap()
    }

    fn error_of(kafka: &str) -> String {
        kafka_sources(&records(kafka)).unwrap_err().to_string()
    }

    #[test]
    fn two_sources_may_not_share_a_consumer_group_on_a_shared_broker_address() {
        let source = |name: &str, broker: &str, group: &str| {
            format!(
                "[kafka.{name}]\nsource = \"jobs\"\nbrokers = [\"{broker}\"]\ntopics = [\"{name}\"]\ngroup_id = \"{group}\"\n"
            )
        };
        let shared = error_of(&format!(
            "{}{}",
            source("a", "k:9092", "th"),
            source("b", "K:9092", "th")
        ));
        assert!(
            shared.contains("\"b\"") && shared.contains("group_id") && shared.contains("\"a\""),
            "{shared}"
        );
        let own_groups = format!(
            "{}{}",
            source("a", "k:9092", "th-a"),
            source("b", "k:9092", "th-b")
        );
        assert_eq!(kafka_sources(&records(&own_groups)).unwrap().len(), 2);
        let other_cluster = format!(
            "{}{}",
            source("a", "k:9092", "th"),
            source("b", "l:9092", "th")
        );
        assert_eq!(kafka_sources(&records(&other_cluster)).unwrap().len(), 2);
    }

    #[test]
    fn defaults_fill_what_is_left_out() {
        let config = records(
            "[kafka.jobs]\nbrokers = [\"127.0.0.1:9092\"]\ntopics = [\"runs\"]\ngroup_id = \"th\"\n",
        );
        let sources = kafka_sources(&config).unwrap();
        assert_eq!(
            sources,
            [KafkaSource {
                name: "jobs".into(),
                brokers: vec!["127.0.0.1:9092".into()],
                topics: vec!["runs".into()],
                group_id: "th".into(),
                client_id: "telemetryhub".into(),
                mapping: "jobs".into(),
                tenant: "default".into(),
                batch_records: 5_000,
                max_wait: Duration::from_millis(500),
                start_from: StartFrom::Earliest,
                options: BTreeMap::new(),
            }]
        );
        let properties = sources[0].client_properties(Duration::from_secs(5));
        assert_eq!(properties["enable.auto.commit"], "false");
        assert_eq!(properties["enable.auto.offset.store"], "false");
        assert_eq!(properties["auto.offset.reset"], "earliest");
        assert_eq!(properties["statistics.interval.ms"], "5000");
    }

    #[test]
    fn every_setting_is_read() {
        let config = records(concat!(
            "[kafka.k]\nbrokers = [\"a:1\", \"b:2\"]\ntopics = [\"t1\", \"t.2\"]\n",
            "group_id = \"g\"\nclient_id = \"c\"\nsource = \"jobs\"\ntenant = \"acme\"\n",
            "batch_records = 10\nmax_wait = \"2s\"\nstart_from = \"latest\"\n",
            "options = { \"session.timeout.ms\" = \"6000\" }\n",
        ));
        let source = &kafka_sources(&config).unwrap()[0];
        assert_eq!(source.mapping, "jobs");
        assert_eq!(source.tenant, "acme");
        assert_eq!(source.batch_records, 10);
        assert_eq!(source.max_wait, Duration::from_secs(2));
        let properties = source.client_properties(Duration::from_secs(1));
        assert_eq!(properties["bootstrap.servers"], "a:1,b:2");
        assert_eq!(properties["client.id"], "c");
        assert_eq!(properties["auto.offset.reset"], "latest");
        assert_eq!(properties["session.timeout.ms"], "6000");
    }

    #[test]
    fn bad_settings_are_named() {
        let base = "[kafka.jobs]\ngroup_id = \"g\"\ntopics = [\"t\"]\n";
        for (extra, setting) in [
            ("", "brokers"),
            ("brokers = [\"nohost\"]\n", "brokers"),
            ("brokers = [\"a:1,b:2\"]\n", "brokers"),
            ("brokers = [\"a:1\"]\nbatch_records = 0\n", "batch_records"),
            ("brokers = [\"a:1\"]\nmax_wait = \"soon\"\n", "max_wait"),
            ("brokers = [\"a:1\"]\nmax_wait = \"2h\"\n", "max_wait"),
            ("brokers = [\"a:1\"]\nsource = \"nope\"\n", "source"),
            (
                "brokers = [\"a:1\"]\noptions = { \"enable.auto.commit\" = \"true\" }\n",
                "options",
            ),
        ] {
            let message = error_of(&format!("{base}{extra}"));
            assert!(
                message.contains(&format!(": {setting}: ")),
                "{extra:?}: {message}"
            );
        }
        let no_topics = error_of("[kafka.jobs]\ngroup_id = \"g\"\nbrokers = [\"a:1\"]\n");
        assert!(no_topics.contains("topics"), "{no_topics}");
        let pattern = error_of(
            "[kafka.jobs]\ngroup_id = \"g\"\nbrokers = [\"a:1\"]\ntopics = [\"^runs.*\"]\n",
        );
        assert!(pattern.contains("not a topic name"), "{pattern}");
        let no_group = error_of("[kafka.jobs]\nbrokers = [\"a:1\"]\ntopics = [\"t\"]\n");
        assert!(no_group.contains("group_id"), "{no_group}");
        // Unknown keys are refused by the records config itself.
        assert!(
            RecordsConfig::from_toml("[kafka.jobs]\nbroker = [\"a:1\"]\n")
                .unwrap_err()
                .to_string()
                .contains("broker")
        );
    }
}
