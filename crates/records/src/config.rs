//! The declarative mapping from a source's raw records to standardised ones, as the TOML config
//! file writes it. Plain serde types, checked and compiled by `standardise::Mapping::new`; the
//! full example is on [`RecordsConfig`].
//!
//! Names: `fields` are keyed by the *standardised* name and read the input field `from` names;
//! everything after them (derived fields, timestamp, key, level, error, message, labels) refers
//! to standardised names, so renaming an input column touches one line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analytics::AnalyticsConfig;
use crate::error::ConfigError;

/// The records section of the config file: one mapping per named source, and the analytics
/// (with its rule set) computed over what they standardise.
///
/// The original Kafka pipeline's records, shipped as `deploy/records/kafka-observability.toml`:
///
/// ```toml
/// [sources.kafka-observability]
/// # The record's time: its start. (The original pipeline used the minute of its sequence
/// # number; the start is the same instant, to the microsecond.)
/// timestamp = "start_time"
/// # What makes a record unique, for idempotent replays: company, sequence, object.
/// key = ["company", "sequence_id", "object_id"]
/// # The standardised record has only the fields below.
/// unmapped = "drop"
/// message = "{description}"
///
/// [sources.kafka-observability.fields]
/// sequence_id = { from = "No_Sequence", required = true }
/// company = { from = "Entreprise", label = true, required = true }
/// zone = { from = "Zone", label = true }
/// source = { from = "Source", label = true, required = true }
/// object_id = { from = "Objet_Id", type = "integer", required = true }
/// object_type = { from = "Objet", label = true }
/// transformation = { from = "Transformation" }
/// status = { from = "Etat", required = true }
/// start_time = { from = "Debut", type = "timestamp", required = true, formats = ["%d-%m-%Y %H:%M:%S%.f"] }
/// end_time = { from = "Fin", type = "timestamp", formats = ["%d-%m-%Y %H:%M:%S%.f"] }
/// duration_seconds = { from = "Duree secondes", type = "float" }
/// description = { from = "Description" }
/// cpu_time_seconds = { from = "cpu_time (sec)", type = "float" }
/// memory_used_bytes = { from = "memory_used (bytes)", type = "integer" }
///
/// # When the input has no duration, it is the end minus the start.
/// [[sources.kafka-observability.derived]]
/// name = "duration_seconds"
/// op = "difference"
/// args = ["end_time", "start_time"]
/// if_missing = true
///
/// [sources.kafka-observability.level]
/// field = "status"
/// map = { SUCCESS = "INFO", FAILED = "ERROR" }
/// default = "INFO"
///
/// # A failed run's error is its description, unless that is the all-is-well sentence.
/// [sources.kafka-observability.error]
/// field = "description"
/// min_level = "ERROR"
/// ignore = ["Tout roule, pas de stress!"]
/// fallback = "Unknown error"
///
/// [analytics]
/// source_label = "source"
/// company_label = "company"
/// # `rules` left out: the original pipeline's five rules (see `rules::default_rules`).
/// ```
///
/// Other settings, with their defaults: `on_missing_timestamp = "error"` (or `"ingest_time"`),
/// `static_labels = {}`, `utc_offset = "+00:00"` (for timestamps written without an offset),
/// `numbers = { decimal = ".", thousands = "" }`, `csv_delimiter = ","`; per field `type =
/// "string"` (`integer`, `float`, `bool`, `timestamp`), `label = false`, `required = false`,
/// `default` (a value typed like the input), `formats = ["rfc3339"]` (strftime formats, and
/// `rfc3339`, `unix`, `unix_s`, `unix_ms`, `unix_us`, `unix_ns`), `utc_offset`; per derived
/// field `op` = `difference` (timestamps give seconds), `ratio` (absent when dividing by zero),
/// `copy`, with `required = false`; on the error: `regex` (its `message` group, else group 1,
/// else the whole match).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsConfig {
    /// The mappings, by source name (the name records are stored under).
    #[serde(default)]
    pub sources: BTreeMap<String, MappingConfig>,
    /// The analytics and its rule anomalies.
    #[serde(default)]
    pub analytics: AnalyticsConfig,
    /// Kafka sources, by name: topics consumed as a consumer group, each message one JSON
    /// record standardised by one of the mappings above (`[kafka.<name>]`, or
    /// `[records.kafka.<name>]` in the server's config file). Checked and run by the `kafka`
    /// crate; see [`KafkaSourceConfig`].
    #[serde(default)]
    pub kafka: BTreeMap<String, KafkaSourceConfig>,
}

impl RecordsConfig {
    /// Reads the records section from TOML text. Unknown keys are errors (a misspelt setting
    /// silently ignored is worse than a refused file). Mappings are checked when compiled.
    pub fn from_toml(text: &str) -> Result<RecordsConfig, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Toml(e.to_string()))
    }
}

/// One Kafka source: which brokers, topics and consumer group, and which mapping its messages
/// (one JSON record per message value) are standardised with.
///
/// ```toml
/// [kafka.observability]
/// brokers = ["kafka-1:9092", "kafka-2:9092"]
/// topics = ["kafka-observability"]
/// group_id = "telemetryhub"
/// # The mapping under [sources.<name>]; the Kafka source's own name when absent.
/// source = "kafka-observability"
/// ```
///
/// Other settings, with their defaults: `client_id = "telemetryhub"`, `tenant = "default"`,
/// `batch_records = 5000` (most messages per durable write, at most 100 000), `max_wait =
/// "500ms"` (how long a batch waits to fill), `start_from = "earliest"` (or `"latest"`: where a
/// group without committed offsets starts), `options = {}` (further librdkafka properties such
/// as `"session.timeout.ms"`, passed as they are; the ones that decide when offsets are
/// committed are refused).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaSourceConfig {
    /// Bootstrap brokers, `host:port` each.
    #[serde(default)]
    pub brokers: Vec<String>,
    /// The topics consumed (names, not patterns).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The consumer group: partitions are shared among its members and its offsets are
    /// committed under it. One per source: two sources in one group that share a broker
    /// address are refused.
    #[serde(default)]
    pub group_id: String,
    /// The client id sent to the brokers; `telemetryhub` when absent.
    pub client_id: Option<String>,
    /// The records source (a mapping under `sources`) the messages are standardised with; the
    /// Kafka source's name when absent.
    pub source: Option<String>,
    /// The tenant the records are stored under; `default` when absent.
    pub tenant: Option<String>,
    /// Most messages in one durable write; 5000 when absent.
    pub batch_records: Option<usize>,
    /// How long a batch waits to fill once its first message is in (`500ms`, `2s`); 500 ms when
    /// absent.
    pub max_wait: Option<String>,
    /// Where a consumer group without committed offsets starts.
    #[serde(default)]
    pub start_from: StartFrom,
    /// Further librdkafka properties, passed as they are.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// Where a consumer group without committed offsets starts reading a partition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartFrom {
    /// The oldest message the broker keeps: nothing already in the topic is missed.
    #[default]
    Earliest,
    /// Messages produced from now on.
    Latest,
}

/// How one source's raw records become standardised ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingConfig {
    /// The fields read from the input, by standardised name.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldConfig>,
    /// Fields computed from others, in order (a derived field may use an earlier one).
    #[serde(default)]
    pub derived: Vec<DerivedConfig>,
    /// The standardised field (of type `timestamp`) that is the record's time. Without one,
    /// every record takes the ingest time.
    pub timestamp: Option<String>,
    /// What a record without its timestamp gets.
    #[serde(default)]
    pub on_missing_timestamp: MissingTimestamp,
    /// The fields whose values, joined with `:`, identify a record (so a replay can be
    /// recognised); every one must be present. Empty: records have no key.
    #[serde(default)]
    pub key: Vec<String>,
    /// How the record's log level is found.
    pub level: Option<LevelConfig>,
    /// How the record's error message is found.
    pub error: Option<ErrorConfig>,
    /// The record's message: a template of `{field}` placeholders (`{{` and `}}` for braces).
    /// Without one, the message is the error message, if any, else empty.
    pub message: Option<String>,
    /// Labels every record of the source gets.
    #[serde(default)]
    pub static_labels: BTreeMap<String, String>,
    /// How numbers written as text are read.
    #[serde(default)]
    pub numbers: NumbersConfig,
    /// The UTC offset of timestamps written without one (`+02:00`); UTC when absent.
    pub utc_offset: Option<String>,
    /// What happens to input fields no `fields` entry reads.
    #[serde(default)]
    pub unmapped: Unmapped,
    /// The CSV field delimiter (one ASCII character); `,` when absent.
    pub csv_delimiter: Option<String>,
}

/// One field read from the input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConfig {
    /// The input's name for the field; the standardised name when absent.
    pub from: Option<String>,
    /// The type the value is converted to.
    #[serde(rename = "type", default)]
    pub kind: FieldType,
    /// Whether the field is a label: part of the stream's identity, so of low cardinality
    /// (strings, integers and booleans only). Other fields are attributes.
    #[serde(default)]
    pub label: bool,
    /// Whether a record without the field (absent, `null`, or an empty CSV cell) is bad.
    #[serde(default)]
    pub required: bool,
    /// The value a record without the field gets, written as the input would write it.
    pub default: Option<serde_json::Value>,
    /// For timestamps: the formats tried in order (`rfc3339` when empty).
    #[serde(default)]
    pub formats: Vec<String>,
    /// For timestamps: this field's UTC offset, if not the mapping's.
    pub utc_offset: Option<String>,
}

/// The type of a standardised field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text; numbers and booleans are written as text.
    #[default]
    String,
    /// A 64-bit integer, from a JSON number or text (`"5 517 312"` with a thousands separator).
    Integer,
    /// A float, from a JSON number or text (`"0.09"`, `"0,09"` with a decimal comma).
    Float,
    /// A boolean, from JSON or text (`true`, `yes`, `1`, …).
    Bool,
    /// An instant, parsed with the field's formats.
    Timestamp,
}

/// A field computed from others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedConfig {
    /// The standardised name of the result.
    pub name: String,
    /// The computation.
    pub op: DerivedOp,
    /// The standardised fields it reads: two for `difference` and `ratio`, one for `copy`.
    pub args: Vec<String>,
    /// Compute only when the record has no field of that name yet (a fallback for an input
    /// field of the same name); otherwise the name must be new.
    #[serde(default)]
    pub if_missing: bool,
    /// Whether a record whose arguments are missing is bad (otherwise the field is left out).
    #[serde(default)]
    pub required: bool,
}

/// What a derived field computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivedOp {
    /// `args[0] - args[1]`: of two timestamps, the seconds between them (a float); of two
    /// numbers, their difference (a float).
    Difference,
    /// `args[0] / args[1]` of two numbers (a float); absent when `args[1]` is zero.
    Ratio,
    /// `args[0]` under another name.
    Copy,
}

/// What a record without its timestamp gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingTimestamp {
    /// The record is bad.
    #[default]
    Error,
    /// The time it was ingested.
    IngestTime,
}

/// What happens to input fields no `fields` entry reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmapped {
    /// Kept as attributes under their input names, typed as JSON types them (objects and
    /// arrays as their JSON text; CSV values as strings). Nothing is lost by default.
    #[default]
    Keep,
    /// Left out of the standardised record.
    Drop,
}

/// How a record's level is found: a status field looked up in a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelConfig {
    /// The standardised field holding the status.
    pub field: String,
    /// Status value → level (`FAILED = "ERROR"`); matched ignoring case. A value not in the
    /// table that is a level name itself (`error`, `warning`) is that level.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// The level of records whose status is absent or unknown; `INFO` when absent.
    pub default: Option<String>,
}

/// How a record's error message is found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorConfig {
    /// The standardised field the message is read from.
    pub field: String,
    /// A regex applied to the field's text: the message is its `message` group, else its first
    /// group, else the whole match; no match, no message.
    pub regex: Option<String>,
    /// Only records at or above this level have an error message (`ERROR`).
    pub min_level: Option<String>,
    /// Texts that are not errors (a success sentence in the same column).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The message of a record that qualifies (by `min_level`) but has none.
    pub fallback: Option<String>,
}

/// How numbers written as text are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumbersConfig {
    /// The decimal mark, `.` (default) or `,`.
    pub decimal: Option<String>,
    /// The thousands separator, if the input uses one: `,` `.` `_` `'`, a space, or a no-break
    /// space. Separators must group digits by three, so a misconfigured decimal mark is caught.
    pub thousands: Option<String>,
}
