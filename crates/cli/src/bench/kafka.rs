//! `telemetryhub bench kafka`: the Kafka benchmark's producer and plain consumer, with the same
//! client (rdkafka) the Kafka source uses — creates a topic, produces a file's lines as messages,
//! or consumes messages doing nothing with them, timing each from the first message to the last.
//! The plain consumer is the broker's own throughput, beside which TelemetryHub's Kafka source
//! (`scripts/bench_kafka.py`) is measured.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message as _;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

/// Options of `telemetryhub bench kafka`.
#[derive(Args, Debug)]
pub struct KafkaArgs {
    /// Bootstrap brokers, host:port[,host:port].
    #[arg(long)]
    brokers: String,
    /// The topic.
    #[arg(long)]
    topic: String,
    /// Create the topic first, with this many partitions.
    #[arg(long)]
    create_partitions: Option<i32>,
    /// Produce every line of this file as one message.
    #[arg(long)]
    produce: Option<PathBuf>,
    /// Consume this many messages as a plain consumer (no processing), from the earliest offset.
    #[arg(long)]
    consume: Option<u64>,
    /// The plain consumer's group.
    #[arg(long, default_value = "bench-plain")]
    group: String,
    /// Give up after this long [default: 600s].
    #[arg(long, default_value = "600s")]
    timeout: String,
}

/// Runs the steps asked for, in order: create, produce, consume; prints one JSON line per step.
pub fn run(args: KafkaArgs) -> anyhow::Result<()> {
    let timeout = Duration::from_nanos(
        u64::try_from(telemetryhub_model::parse_duration(&args.timeout)?).unwrap_or(0),
    );
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &args.brokers)
        .set("client.id", "telemetryhub-bench");
    if let Some(partitions) = args.create_partitions {
        let admin: AdminClient<DefaultClientContext> = config.create()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let results = runtime.block_on(admin.create_topics(
            &[NewTopic::new(
                &args.topic,
                partitions,
                TopicReplication::Fixed(1),
            )],
            &AdminOptions::new().operation_timeout(Some(Duration::from_secs(30))),
        ))?;
        for result in results {
            if let Err((topic, error)) = result {
                bail!("cannot create topic {topic}: {error}");
            }
        }
    }
    if let Some(path) = &args.produce {
        produce(&config, &args.topic, path, timeout)?;
    }
    if let Some(count) = args.consume {
        consume(&config, &args.topic, &args.group, count, timeout)?;
    }
    Ok(())
}

fn produce(
    config: &ClientConfig,
    topic: &str,
    path: &PathBuf,
    timeout: Duration,
) -> anyhow::Result<()> {
    let producer: BaseProducer = config
        .clone()
        .set("linger.ms", "5")
        .set("acks", "all")
        .create()?;
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {path:?}"))?;
    let started = Instant::now();
    let (mut messages, mut bytes) = (0u64, 0u64);
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        loop {
            match producer.send(BaseRecord::<(), str>::to(topic).payload(line.as_str())) {
                Ok(()) => break,
                Err((error, _))
                    if error.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) =>
                {
                    producer.poll(Duration::from_millis(10));
                }
                Err((error, _)) => bail!("cannot produce to {topic}: {error}"),
            }
            if started.elapsed() > timeout {
                bail!("producing took longer than {timeout:?}");
            }
        }
        messages += 1;
        bytes += line.len() as u64;
    }
    producer.flush(timeout)?;
    report("produce", messages, bytes, started.elapsed());
    Ok(())
}

fn consume(
    config: &ClientConfig,
    topic: &str,
    group: &str,
    count: u64,
    timeout: Duration,
) -> anyhow::Result<()> {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .create()?;
    consumer.subscribe(&[topic])?;
    let deadline = Instant::now() + timeout;
    let (mut messages, mut bytes) = (0u64, 0u64);
    let mut first: Option<Instant> = None;
    while messages < count {
        if Instant::now() > deadline {
            bail!("consumed {messages} of {count} messages within {timeout:?}");
        }
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(message)) => {
                first.get_or_insert_with(Instant::now);
                messages += 1;
                bytes += message.payload().map_or(0, <[u8]>::len) as u64;
            }
            Some(Err(error)) => eprintln!("consume: {error}"),
            None => {}
        }
    }
    let elapsed = first.map_or(Duration::ZERO, |first| first.elapsed());
    report("consume", messages, bytes, elapsed);
    Ok(())
}

fn report(step: &str, messages: u64, bytes: u64, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "step": step,
            "messages": messages,
            "bytes": bytes,
            "seconds": seconds,
            "messages_per_second": if seconds > 0.0 { messages as f64 / seconds } else { 0.0 },
        })
    );
}
