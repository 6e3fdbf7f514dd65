//! The Kafka source's self-metrics, per Kafka source (`source`, its name in the config) and
//! topic: both come from the configuration, so the label sets are bounded.

use std::sync::LazyLock;

use prometheus::{
    HistogramVec, IntCounterVec, IntGaugeVec, register_histogram_vec, register_int_counter_vec,
    register_int_gauge_vec,
};

/// Messages consumed and written, by outcome: `stored` (a record, stored now or before) or
/// `dead_letter`. Its rate is the source's throughput.
pub(crate) static MESSAGES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_kafka_messages_total",
        "Kafka messages consumed and durably written, by Kafka source, topic and outcome (stored: a record; dead_letter: kept with its reason)",
        &["source", "topic", "outcome"]
    )
    .expect("metric registers once")
});

/// Bytes of message values consumed and written.
pub(crate) static BYTES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_kafka_bytes_total",
        "Bytes of Kafka message values consumed and durably written, by Kafka source and topic",
        &["source", "topic"]
    )
    .expect("metric registers once")
});

/// Errors by kind: `client` (the connection or a broker) and `consume` (topic empty: the
/// client does not say which), `store` and `commit` (per topic).
pub(crate) static ERRORS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    register_int_counter_vec!(
        "telemetryhub_kafka_errors_total",
        "Kafka source errors, by Kafka source, topic and kind: client (connection, broker) and consume, with an empty topic; store (the write failed and is retried) and commit, per topic",
        &["source", "topic", "kind"]
    )
    .expect("metric registers once")
});

/// Messages behind: per topic, the sum over the partitions this consumer reads of the high
/// watermark minus the committed offset, as the client's statistics report it.
pub(crate) static LAG: LazyLock<IntGaugeVec> = LazyLock::new(|| {
    register_int_gauge_vec!(
        "telemetryhub_kafka_consumer_lag",
        "Kafka messages not yet committed by this consumer: per topic, the sum over its assigned partitions of the high watermark minus the committed offset",
        &["source", "topic"]
    )
    .expect("metric registers once")
});

/// Partitions assigned to this consumer, per topic.
pub(crate) static ASSIGNED: LazyLock<IntGaugeVec> = LazyLock::new(|| {
    register_int_gauge_vec!(
        "telemetryhub_kafka_assigned_partitions",
        "Kafka partitions assigned to this consumer by its group, per Kafka source and topic",
        &["source", "topic"]
    )
    .expect("metric registers once")
});

/// Seconds per batch write, standardisation to fsync.
pub(crate) static BATCH_SECONDS: LazyLock<HistogramVec> = LazyLock::new(|| {
    register_histogram_vec!(
        "telemetryhub_kafka_batch_duration_seconds",
        "Time to store one batch of Kafka messages (standardisation, the durable write, rule anomalies, dead letters), by Kafka source",
        &["source"],
        vec![0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0]
    )
    .expect("metric registers once")
});

/// Forces registration, and creates every configured topic's series at zero, so `/metrics`
/// shows them before the first message.
pub fn register_metrics(sources: &[crate::KafkaSource]) {
    LazyLock::force(&BATCH_SECONDS);
    for source in sources {
        for topic in &source.topics {
            let labels = [source.name.as_str(), topic.as_str()];
            for outcome in ["stored", "dead_letter"] {
                MESSAGES.with_label_values(&[labels[0], labels[1], outcome]);
            }
            BYTES.with_label_values(&labels);
            LAG.with_label_values(&labels);
            ASSIGNED.with_label_values(&labels);
            for kind in ["store", "commit"] {
                ERRORS.with_label_values(&[labels[0], labels[1], kind]);
            }
        }
        for kind in ["client", "consume"] {
            ERRORS.with_label_values(&[source.name.as_str(), "", kind]);
        }
    }
}
