//! One Kafka source's consumer: a consumer group member that reads batches of messages, stores
//! each partition's part of a batch through the records write path
//! ([`telemetryhub_intelligence::records::ingest_chunk`]) and commits the partitions' offsets
//! only once that write has returned — that is, once its WAL record is fsynced.
//!
//! ```text
//! recv ─▶ batch (≤ batch_records messages, ≤ max_wait after the first)
//!      ─▶ per (topic, partition): rows (index = offset) ─▶ ingest_chunk (durable) ─▶ retry until Ok
//!      ─▶ commit next offsets (async; sync at shutdown)
//! ```
//!
//! Exactly once: a crash after a write and before its commit makes the group read those
//! messages again; their records are stored under their keys (or, without a key, under their
//! topic, partition, offset and timestamp) as item ids, which the store refuses a second time,
//! their rule anomalies keep their ids and their dead letters are named by their content — so
//! the replay stores nothing new. Nothing is lost: an offset is committed only past messages
//! whose write returned, and a failed write is retried (never skipped) until it succeeds or
//! the server stops.
//!
//! The client (librdkafka) reconnects to brokers by itself, backing off; a consumer that
//! cannot be created or subscribed, or fails fatally, is rebuilt after a backoff of 1 s
//! doubling to 30 s.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::client::ClientContext;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::{KafkaError as ClientError, KafkaResult};
use rdkafka::message::Message as _;
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use telemetryhub_intelligence::records::{RecordChunk, RecordsPipeline, ingest_chunk};
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_query::Backend;
use telemetryhub_records::Row;
use tokio::sync::watch;

use crate::message::Message;
use crate::metrics::{ASSIGNED, BATCH_SECONDS, BYTES, ERRORS, LAG, MESSAGES};
use crate::{KafkaError, KafkaSource};

/// How often the client reports statistics (the lag gauge's refresh).
const STATS_INTERVAL: Duration = Duration::from_secs(2);

/// The first wait before rebuilding a failed consumer or retrying a failed write.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How long a consumption error pauses reading, so a persistent one does not spin.
const ERROR_PAUSE: Duration = Duration::from_millis(200);

/// A Kafka source, ready to run.
pub struct KafkaConsumer {
    source: KafkaSource,
    backend: Backend,
    tagger: Option<Arc<PatternTagger>>,
    pipeline: Arc<RecordsPipeline>,
}

impl KafkaConsumer {
    /// A consumer of `source` storing through `backend`; `tagger` tags the records' lines with
    /// their log patterns when given.
    pub fn new(
        source: KafkaSource,
        backend: Backend,
        tagger: Option<Arc<PatternTagger>>,
        pipeline: Arc<RecordsPipeline>,
    ) -> Result<KafkaConsumer, KafkaError> {
        pipeline.mapping(&source.mapping)?;
        Ok(KafkaConsumer {
            source,
            backend,
            tagger,
            pipeline,
        })
    }

    /// Runs the consumer until `stop` turns true: the batch being written is finished and
    /// committed first, a batch still filling is left for the next run to read again.
    pub fn spawn(self, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run(stop))
    }

    async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut backoff = FIRST_BACKOFF;
        loop {
            if *stop.borrow() {
                return;
            }
            match self.session(&mut stop, &mut backoff).await {
                Ok(()) => return,
                Err(error) => {
                    ERRORS
                        .with_label_values(&[self.source.name.as_str(), "", "client"])
                        .inc();
                    tracing::warn!(
                        source = %self.source.name,
                        %error,
                        retry_in = ?backoff,
                        "Kafka consumer failed; rebuilding it"
                    );
                    if sleep_or_stop(backoff, &mut stop).await {
                        return;
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// One consumer's life: create, subscribe, read and store batches until stopped (`Ok`) or
    /// the client fails fatally (`Err`).
    async fn session(
        &self,
        stop: &mut watch::Receiver<bool>,
        backoff: &mut Duration,
    ) -> Result<(), KafkaError> {
        let mut config = ClientConfig::new();
        for (key, value) in self.source.client_properties(STATS_INTERVAL) {
            config.set(key, value);
        }
        let context = SourceContext {
            source: self.source.name.clone(),
            topics: self.source.topics.clone(),
        };
        let consumer: Arc<StreamConsumer<SourceContext>> =
            Arc::new(config.create_with_context(context)?);
        let topics: Vec<&str> = self.source.topics.iter().map(String::as_str).collect();
        consumer.subscribe(&topics)?;
        tracing::info!(
            source = %self.source.name,
            topics = ?self.source.topics,
            group = %self.source.group_id,
            "consuming Kafka topics"
        );
        let mapping = self.pipeline.mapping(&self.source.mapping)?;
        let max_fields = mapping.read_options().max_fields;
        let mut result = Ok(());
        // The next offset of every partition written in this session, for the last commit.
        let mut committed: BTreeMap<(String, i32), Offset> = BTreeMap::new();
        loop {
            let batch = match self.next_batch(&consumer, stop).await {
                Ok(Some(batch)) => batch,
                Ok(None) => break,
                Err(error) => {
                    result = Err(error);
                    break;
                }
            };
            let (done, stopped) = self.store(batch, max_fields, stop).await;
            if done.count() > 0 {
                if let Err(error) = consumer.commit(&done, CommitMode::Async) {
                    count_commit_error(&self.source.name, &done);
                    tracing::warn!(source = %self.source.name, %error, "cannot commit Kafka offsets");
                }
                for element in done.elements() {
                    committed.insert(
                        (element.topic().to_string(), element.partition()),
                        element.offset(),
                    );
                }
                *backoff = FIRST_BACKOFF;
            }
            if stopped {
                break;
            }
        }
        // The offsets of stored batches, committed once more and waited for, so a clean stop
        // re-reads nothing; then the group is left (librdkafka's close blocks).
        tokio::task::spawn_blocking(move || {
            let mut offsets = TopicPartitionList::new();
            for ((topic, partition), offset) in committed {
                let _ = offsets.add_partition_offset(&topic, partition, offset);
            }
            if offsets.count() > 0
                && let Err(error) = consumer.commit(&offsets, CommitMode::Sync)
            {
                tracing::warn!(%error, "cannot commit Kafka offsets at shutdown; they will be read again");
            }
            drop(consumer);
        })
        .await
        .ok();
        result
    }

    /// The next batch: waits for a first message (or `stop`: `None`), then takes more until the
    /// batch is full or `max_wait` has passed.
    async fn next_batch(
        &self,
        consumer: &StreamConsumer<SourceContext>,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<Option<Vec<Message>>, KafkaError> {
        let mut batch = Vec::new();
        let mut deadline: Option<tokio::time::Instant> = None;
        while batch.len() < self.source.batch_records {
            let received = tokio::select! {
                biased;
                _ = stop.wait_for(|stop| *stop) => return Ok(None),
                received = until(deadline, consumer.recv()) => match received {
                    Some(received) => received,
                    None => break,
                },
            };
            match received {
                Ok(message) => {
                    batch.push(Message {
                        topic: message.topic().to_string(),
                        partition: message.partition(),
                        offset: message.offset(),
                        timestamp_ms: message.timestamp().to_millis(),
                        value: message.payload().map(<[u8]>::to_vec),
                    });
                    deadline
                        .get_or_insert_with(|| tokio::time::Instant::now() + self.source.max_wait);
                }
                Err(error @ ClientError::MessageConsumptionFatal(_)) => {
                    return Err(error.into());
                }
                Err(error) => {
                    // librdkafka's consumption errors do not name their partition here.
                    ERRORS
                        .with_label_values(&[self.source.name.as_str(), "", "consume"])
                        .inc();
                    tracing::warn!(source = %self.source.name, %error, "Kafka consumption error");
                    if !batch.is_empty() {
                        break;
                    }
                    if sleep_or_stop(ERROR_PAUSE, stop).await {
                        return Ok(None);
                    }
                }
            }
        }
        Ok(Some(batch))
    }

    /// Stores a batch, one write per partition in order, each retried until it succeeds; the
    /// offsets to commit (next to read, per partition written) and whether `stop` came while a
    /// write was being retried (that partition and later ones are left unstored).
    async fn store(
        &self,
        batch: Vec<Message>,
        max_fields: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> (TopicPartitionList, bool) {
        let mut partitions: BTreeMap<(String, i32), Vec<Message>> = BTreeMap::new();
        for message in batch {
            partitions
                .entry((message.topic.clone(), message.partition))
                .or_default()
                .push(message);
        }
        let mut done = TopicPartitionList::new();
        for ((topic, partition), messages) in partitions {
            let Some(next) = messages.iter().map(|m| m.offset).max().map(|o| o + 1) else {
                continue;
            };
            if !self
                .store_partition(&topic, &messages, max_fields, stop)
                .await
            {
                return (done, true);
            }
            let _ = done.add_partition_offset(&topic, partition, Offset::Offset(next));
        }
        (done, false)
    }

    /// Writes one partition's messages; `false` when stopped before the write succeeded.
    async fn store_partition(
        &self,
        topic: &str,
        messages: &[Message],
        max_fields: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> bool {
        let rows: Vec<Row> = messages.iter().map(|m| m.to_row(max_fields)).collect();
        let origins: BTreeMap<u64, String> =
            messages.iter().map(|m| (m.index(), m.origin())).collect();
        let bytes: usize = messages
            .iter()
            .map(|m| m.value.as_ref().map_or(0, Vec::len))
            .sum();
        let mut backoff = FIRST_BACKOFF;
        loop {
            let started = Instant::now();
            let written = ingest_chunk(
                &self.backend,
                self.tagger.as_deref(),
                &self.pipeline,
                RecordChunk {
                    tenant: &self.source.tenant,
                    source: &self.source.mapping,
                    rows: rows.clone(),
                    origins: origins.clone(),
                    idempotency: None,
                },
            )
            .await;
            match written {
                Ok(outcome) => {
                    BATCH_SECONDS
                        .with_label_values(&[self.source.name.as_str()])
                        .observe(started.elapsed().as_secs_f64());
                    let labels = [self.source.name.as_str(), topic];
                    let rejected = outcome.rejected.len() as u64;
                    MESSAGES
                        .with_label_values(&[labels[0], labels[1], "stored"])
                        .inc_by(messages.len() as u64 - rejected.min(messages.len() as u64));
                    MESSAGES
                        .with_label_values(&[labels[0], labels[1], "dead_letter"])
                        .inc_by(rejected);
                    BYTES.with_label_values(&labels).inc_by(bytes as u64);
                    return true;
                }
                Err(error) => {
                    ERRORS
                        .with_label_values(&[self.source.name.as_str(), topic, "store"])
                        .inc();
                    tracing::warn!(
                        source = %self.source.name,
                        topic,
                        %error,
                        retry_in = ?backoff,
                        "cannot store Kafka records; retrying (offsets stay uncommitted)"
                    );
                    if sleep_or_stop(backoff, stop).await {
                        return false;
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// `future`, or `None` once `deadline` (if any) has passed.
async fn until<F: Future>(deadline: Option<tokio::time::Instant>, future: F) -> Option<F::Output> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.ok(),
        None => Some(future.await),
    }
}

/// Sleeps `wait`; `true` when `stop` turned true first.
async fn sleep_or_stop(wait: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = stop.wait_for(|stop| *stop) => true,
        () = tokio::time::sleep(wait) => false,
    }
}

fn count_commit_error(source: &str, offsets: &TopicPartitionList) {
    let mut topics: Vec<String> = offsets
        .elements()
        .iter()
        .map(|e| e.topic().to_string())
        .collect();
    topics.dedup();
    for topic in topics {
        ERRORS.with_label_values(&[source, &topic, "commit"]).inc();
    }
}

/// The client's callbacks: errors counted and logged, statistics turned into the lag gauge,
/// assignments into the partitions gauge, failed commits counted.
struct SourceContext {
    source: String,
    topics: Vec<String>,
}

impl ClientContext for SourceContext {
    fn stats(&self, statistics: Statistics) {
        for topic in &self.topics {
            let lag: i64 = statistics
                .topics
                .get(topic)
                .map(|t| {
                    t.partitions
                        .values()
                        .filter(|p| p.partition >= 0 && p.desired && p.consumer_lag >= 0)
                        .map(|p| p.consumer_lag)
                        .sum()
                })
                .unwrap_or(0);
            LAG.with_label_values(&[self.source.as_str(), topic.as_str()])
                .set(lag);
        }
    }

    fn error(&self, error: ClientError, reason: &str) {
        ERRORS
            .with_label_values(&[self.source.as_str(), "", "client"])
            .inc();
        tracing::warn!(source = %self.source, %error, reason, "Kafka client error");
    }
}

impl ConsumerContext for SourceContext {
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let assigned = match rebalance {
            Rebalance::Assign(partitions) => Some(partitions),
            Rebalance::Revoke(_) => None,
            Rebalance::Error(error) => {
                tracing::warn!(source = %self.source, %error, "Kafka rebalance error");
                return;
            }
        };
        for topic in &self.topics {
            let count = assigned.map_or(0, |list| list.elements_for_topic(topic).len());
            ASSIGNED
                .with_label_values(&[self.source.as_str(), topic.as_str()])
                .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
        tracing::info!(source = %self.source, ?rebalance, "Kafka partitions rebalanced");
    }

    fn commit_callback(&self, result: KafkaResult<()>, offsets: &TopicPartitionList) {
        if let Err(error) = result {
            count_commit_error(&self.source, offsets);
            tracing::warn!(
                source = %self.source,
                %error,
                "Kafka offsets not committed; the messages will be read again (and stored nothing new)"
            );
        }
    }
}
