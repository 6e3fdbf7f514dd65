//! The Kafka source end to end, against a real Kafka-protocol broker: tansu (from crates.io,
//! pinned and built once into the test cache by `scripts/test`, which names the binary in
//! `TELEMETRYHUB_TANSU`), on a loopback port with SQLite storage in a temporary directory (its
//! in-memory engine, in 0.6.0, skips the rest of a producer's batch when a consumer resumes
//! inside it, which a real Kafka broker does not). Topics are created and
//! filled with rdkafka's admin client and producer; the real server consumes them as a
//! consumer group. Checked: the shipped sample comes out as its hand-computed analytics, bad
//! messages become dead letters with their reasons, and a server killed with SIGKILL in the
//! middle of consumption and restarted stores every record exactly once — keyed records by
//! their keys, records without a key (all alike) by their topic, partition and offset.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use serde_json::{Value, json};

use crate::records::{assert_sample_figures, dead_letters, deploy, get, sample, summary};
use crate::support::Server;

/// The tansu binary `scripts/test` built.
fn tansu_binary() -> PathBuf {
    std::env::var_os("TELEMETRYHUB_TANSU")
        .map(PathBuf::from)
        .expect(
            "TELEMETRYHUB_TANSU: the tansu Kafka broker (run scripts/test, which builds the pinned \
             version from crates.io once into the test cache and sets this variable)",
        )
}

/// A tansu broker on a loopback port of its own, storing in a temporary SQLite file; killed on
/// drop.
struct Broker {
    child: Child,
    /// `127.0.0.1:PORT`.
    address: String,
    _dir: tempfile::TempDir,
}

impl Broker {
    /// Starts tansu and waits (at most 60 s) until it answers a metadata request.
    fn start() -> Broker {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free loopback port");
        let address = format!("127.0.0.1:{port}");
        let url = format!("tcp://{address}");
        let dir = tempfile::tempdir().expect("a directory for the broker");
        let child = Command::new(tansu_binary())
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                // A file in the broker's working directory (the URL's host is the file name).
                "sqlite://tansu.db",
            ])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tansu");
        let broker = Broker {
            child,
            address,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let client: BaseProducer = broker.config().create().expect("a client");
        loop {
            if client
                .client()
                .fetch_metadata(None, Duration::from_secs(2))
                .is_ok()
            {
                return broker;
            }
            assert!(
                Instant::now() < deadline,
                "tansu did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config
            .set("bootstrap.servers", &self.address)
            .set("client.id", "telemetryhub-test");
        config
    }

    async fn create_topic(&self, name: &str, partitions: i32) {
        let admin: AdminClient<DefaultClientContext> = self.config().create().expect("admin");
        let results = admin
            .create_topics(
                &[NewTopic::new(name, partitions, TopicReplication::Fixed(1))],
                &AdminOptions::new().operation_timeout(Some(Duration::from_secs(30))),
            )
            .await
            .expect("create topics");
        for result in results {
            result.unwrap_or_else(|(topic, error)| panic!("create topic {topic}: {error}"));
        }
    }

    /// Produces message values (`None`: a message without one) and waits until all are
    /// acknowledged.
    fn produce(&self, topic: &str, values: &[Option<Vec<u8>>]) {
        let producer: BaseProducer = self
            .config()
            .set("linger.ms", "5")
            .set("acks", "all")
            .create()
            .expect("producer");
        for value in values {
            loop {
                let mut record: BaseRecord<'_, (), [u8]> = BaseRecord::to(topic);
                if let Some(value) = value {
                    record = record.payload(value.as_slice());
                }
                match producer.send(record) {
                    Ok(()) => break,
                    Err((error, _)) => {
                        assert!(
                            error.rdkafka_error_code()
                                == Some(rdkafka::types::RDKafkaErrorCode::QueueFull),
                            "produce to {topic}: {error}"
                        );
                        producer.poll(Duration::from_millis(50));
                    }
                }
            }
        }
        producer
            .flush(Duration::from_secs(120))
            .expect("every message acknowledged within 120 s");
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A config file whose records config is `records` (TOML), with a retention that keeps the
/// sample's 2025 day.
fn config_file(dir: &Path, records: &toml::Table) -> PathBuf {
    let records_path = dir.join("records.toml");
    std::fs::write(&records_path, toml::to_string(records).unwrap()).unwrap();
    let path = dir.join("telemetryhub.toml");
    std::fs::write(
        &path,
        format!(
            "retention = \"3650d\"\nrecords_config = {:?}\n",
            records_path.to_str().unwrap()
        ),
    )
    .unwrap();
    path
}

/// The shipped mapping, as a table to add Kafka sources (and mappings) to.
fn shipped_records() -> toml::Table {
    std::fs::read_to_string(deploy("kafka-observability.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

/// A `[kafka.<name>]` reading `topic` of `broker` into `tenant` with mapping `source`, in a
/// consumer group of its own (`telemetryhub-<topic>`): sources sharing one group on different
/// topics rebalance together, and after a crash one of them was once left without partitions
/// for the whole wait (session 14).
fn kafka_source(broker: &Broker, topic: &str, source: &str, tenant: &str) -> toml::Value {
    toml::Value::Table(
        [
            ("brokers", toml::Value::from(vec![broker.address.clone()])),
            ("topics", toml::Value::from(vec![topic.to_string()])),
            ("group_id", format!("telemetryhub-{topic}").into()),
            ("source", source.into()),
            ("tenant", tenant.into()),
            ("batch_records", 500.into()),
            ("max_wait", "100ms".into()),
            // A killed member's partitions go to the restarted one after 6 s, not 45 s.
            (
                "options",
                toml::Value::Table(
                    [
                        ("session.timeout.ms", "6000"),
                        ("heartbeat.interval.ms", "1000"),
                    ]
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value.into()))
                    .collect(),
                ),
            ),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect(),
    )
}

fn add_kafka(records: &mut toml::Table, name: &str, source: toml::Value) {
    records
        .entry("kafka")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .unwrap()
        .insert(name.to_string(), source);
}

/// Waits (at most `within`) until `tenant`'s analytics counts `want` records.
async fn wait_for_records(server: &Server, tenant: &str, want: u64, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let s = summary(server, tenant).await;
        if s["total_count"].as_u64() == Some(want) {
            return s;
        }
        if Instant::now() > deadline {
            let metrics = server.exposition().await;
            let kafka: Vec<&str> = metrics
                .lines()
                .filter(|line| line.starts_with("telemetryhub_kafka"))
                .collect();
            panic!(
                "{tenant}: {want} records were not stored within {within:?}: {s}\n{}",
                kafka.join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The shipped sample produced to a topic comes out as its hand-computed analytics; a value that
/// is not JSON, one that is not an object and a message without a value are dead letters with
/// their reasons; the same records produced again, or sent as a file, are not stored twice, while
/// a bad message produced again is a dead letter of its own offset.
#[tokio::test]
async fn the_sample_by_kafka_comes_out_as_its_analytics_and_bad_messages_as_dead_letters() {
    let broker = Broker::start();
    broker.create_topic("runs", 1).await;
    let mut values: Vec<Option<Vec<u8>>> = sample()
        .iter()
        .map(|record| Some(record.to_string().into_bytes()))
        .collect();
    values.push(Some(b"not json {".to_vec()));
    values.push(Some(b"[1, 2]".to_vec()));
    values.push(None);
    broker.produce("runs", &values);

    let dir = tempfile::tempdir().unwrap();
    let mut records = shipped_records();
    add_kafka(
        &mut records,
        "runs",
        kafka_source(&broker, "runs", "kafka-observability", "kafka"),
    );
    let config = config_file(dir.path(), &records);
    let server = Server::start(
        &dir.path().join("data"),
        &["--config", config.to_str().unwrap()],
    );
    let s = wait_for_records(&server, "kafka", 5, Duration::from_secs(90)).await;
    assert_sample_figures(&s, "kafka");

    // The sample's bad record and the three bad messages, each with its reason and raw value.
    let deadline = Instant::now() + Duration::from_secs(30);
    let letters = loop {
        let letters = dead_letters(&server, "kafka").await;
        if letters.len() >= 4 || Instant::now() > deadline {
            break letters;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(letters.len(), 4, "{letters:#?}");
    let letter = |offset: u64| {
        letters
            .iter()
            .find(|l| l["index"] == offset)
            .unwrap_or_else(|| panic!("no dead letter at offset {offset}: {letters:#?}"))
    };
    let reason = |l: &Value| l["errors"][0]["reason"].as_str().unwrap_or("").to_string();
    assert!(
        letter(5)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "Objet_Id"),
        "{letters:#?}"
    );
    assert_eq!(letter(6)["raw"], "not json {");
    assert!(reason(letter(6)).contains("not JSON"), "{letters:#?}");
    assert!(
        reason(letter(6)).contains("topic runs, partition 0, offset 6"),
        "{letters:#?}"
    );
    assert!(
        reason(letter(7)).contains("expected a JSON object"),
        "{letters:#?}"
    );
    assert!(reason(letter(8)).contains("no value"), "{letters:#?}");
    assert!(letters.iter().all(|l| l["source"] == "kafka-observability"));

    // Per-topic figures in /metrics.
    let stored = ["source=\"runs\"", "topic=\"runs\"", "outcome=\"stored\""];
    assert_eq!(
        server
            .metric("telemetryhub_kafka_messages_total", &stored)
            .await,
        5.0
    );
    let dead = [
        "source=\"runs\"",
        "topic=\"runs\"",
        "outcome=\"dead_letter\"",
    ];
    assert_eq!(
        server
            .metric("telemetryhub_kafka_messages_total", &dead)
            .await,
        4.0
    );
    let bytes = server
        .metric("telemetryhub_kafka_bytes_total", &["topic=\"runs\""])
        .await;
    let produced: usize = values.iter().flatten().map(Vec::len).sum();
    assert_eq!(bytes, produced as f64);
    let lag_deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let assigned = server
            .metric(
                "telemetryhub_kafka_assigned_partitions",
                &["topic=\"runs\""],
            )
            .await;
        let lag = server
            .metric("telemetryhub_kafka_consumer_lag", &["topic=\"runs\""])
            .await;
        if assigned == 1.0 && lag == 0.0 {
            break;
        }
        assert!(
            Instant::now() < lag_deadline,
            "assigned partitions {assigned}, lag {lag}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // The same records produced again (a producer's resend) and sent as a file: their keys
    // were stored, so nothing is stored twice.
    broker.produce("runs", &values[..6]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while server
        .metric("telemetryhub_kafka_messages_total", &stored)
        .await
        < 10.0
    {
        assert!(
            Instant::now() < deadline,
            "the resent sample was not consumed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let response = server
        .client
        .post(server.url("/ingest/file?source=kafka-observability"))
        .header("X-Scope-OrgID", "kafka")
        .header("content-type", "application/json")
        .body(serde_json::to_string(&sample()).unwrap())
        .send()
        .await
        .expect("POST /ingest/file");
    assert_eq!(response.status().as_u16(), 200);
    assert_sample_figures(&summary(&server, "kafka").await, "kafka, sent again");
    // A bad message is named by its offset: the resent bad record (offset 9 + 5) is a letter of
    // its own, as is the file's (named by its content); the first four are unchanged.
    let letters = dead_letters(&server, "kafka").await;
    let mut indexes: Vec<u64> = letters.iter().filter_map(|l| l["index"].as_u64()).collect();
    indexes.sort_unstable();
    assert_eq!(indexes, [5, 5, 6, 7, 8, 14], "{letters:#?}");
    let resent: Vec<&Value> = letters.iter().filter(|l| l["index"] == 14).collect();
    assert_eq!(resent[0]["raw"], letter(5)["raw"], "{letters:#?}");

    // A graceful stop with a consumer running.
    assert!(server.stop().success());
}

/// A server killed with SIGKILL while it consumes two topics, and restarted on its data
/// directory, stores every record exactly once: keyed records (the shipped mapping) by their
/// keys, and records of a mapping without a key — all with the same content — by their topic,
/// partition, offset and time.
#[tokio::test]
async fn a_crash_mid_consumption_loses_and_duplicates_nothing() {
    const RECORDS: usize = 20_000;
    let broker = Broker::start();
    broker.create_topic("keyed", 3).await;
    broker.create_topic("unkeyed", 2).await;
    let template = sample()[0].clone();
    let keyed: Vec<Option<Vec<u8>>> = (0..RECORDS)
        .map(|id| {
            let mut record = template.clone();
            record["Objet_Id"] = json!(100_000 + id);
            Some(record.to_string().into_bytes())
        })
        .collect();
    let unkeyed = vec![Some(template.to_string().into_bytes()); RECORDS];
    broker.produce("keyed", &keyed);
    broker.produce("unkeyed", &unkeyed);

    let dir = tempfile::tempdir().unwrap();
    let mut records = shipped_records();
    let sources = records["sources"].as_table_mut().unwrap();
    let mut without_key = sources["kafka-observability"].clone();
    without_key.as_table_mut().unwrap().remove("key");
    sources.insert("no-key".into(), without_key);
    add_kafka(
        &mut records,
        "keyed",
        kafka_source(&broker, "keyed", "kafka-observability", "keyed"),
    );
    add_kafka(
        &mut records,
        "unkeyed",
        kafka_source(&broker, "unkeyed", "no-key", "unkeyed"),
    );
    let config = config_file(dir.path(), &records);
    let data = dir.path().join("data");
    let args = ["--config", config.to_str().unwrap()];

    // Killed once a few batches of each topic are stored.
    let server = Server::start(&data, &args);
    let keyed_stored = ["source=\"keyed\"", "outcome=\"stored\""];
    let unkeyed_stored = ["source=\"unkeyed\"", "outcome=\"stored\""];
    let deadline = Instant::now() + Duration::from_secs(120);
    let (keyed_before, unkeyed_before) = loop {
        let keyed = server
            .metric("telemetryhub_kafka_messages_total", &keyed_stored)
            .await;
        let unkeyed = server
            .metric("telemetryhub_kafka_messages_total", &unkeyed_stored)
            .await;
        if keyed >= 1_000.0 && unkeyed >= 1_000.0 {
            break (keyed, unkeyed);
        }
        assert!(
            Instant::now() < deadline,
            "consumption did not start within 120 s ({keyed}, {unkeyed})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    server.kill9();
    assert!(
        keyed_before + unkeyed_before < (2 * RECORDS) as f64,
        "the kill came after consumption ended ({keyed_before} + {unkeyed_before}); produce more"
    );

    // Restarted: the rest is consumed, the uncommitted part again, and stored once.
    let server = Server::start(&data, &args);
    for tenant in ["keyed", "unkeyed"] {
        let s = wait_for_records(&server, tenant, RECORDS as u64, Duration::from_secs(240)).await;
        assert_eq!(s["scope"]["truncated"], false, "{s}");
    }
    // Nothing more arrives later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for tenant in ["keyed", "unkeyed"] {
        let s = summary(&server, tenant).await;
        assert_eq!(s["total_count"], RECORDS, "{tenant}: {s}");
        assert!(dead_letters(&server, tenant).await.is_empty(), "{tenant}");
    }
    // The store agrees with the analytics: every line once, and of the keyed records every
    // key once (SQL over the stored lines).
    for (tenant, distinct) in [("keyed", RECORDS), ("unkeyed", 1)] {
        let (status, rows) = get(
            &server,
            tenant,
            &crate::support::with_query(
                "/query/sql",
                &[(
                    "q",
                    "SELECT count(*), count(DISTINCT context) FROM logs".to_string(),
                )],
            ),
        )
        .await;
        assert_eq!(status, 200, "{rows}");
        assert_eq!(
            rows["rows"],
            json!([[RECORDS, distinct]]),
            "{tenant}: {rows}"
        );
    }
}
