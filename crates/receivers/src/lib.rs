//! Decoders and validators for TelemetryHub's ingest formats.
//!
//! Bytes in, validated batches out. This crate does no I/O and never touches storage: a receiver
//! either returns a batch in which every item is valid or an error that names every bad item, so
//! an ingest request is all-or-nothing by construction.

#![deny(missing_docs)]

mod compression;
mod error;
mod limits;
pub mod loki_push;
pub mod native_json;
pub mod otlp;
pub mod prom_remote_write;
pub mod prom_text;
mod validate;

pub use compression::{ContentEncoding, decompress};
pub use error::{ItemError, ReceiveError};
pub use limits::Limits;
pub use loki_push::{LokiFormat, decode_loki_push};
pub use native_json::{BodyFormat, decode_logs, decode_metrics};
pub use otlp::traces::{OtlpSpans, decode_otlp_traces, otlp_traces};
pub use otlp::{
    OtlpFormat, OtlpLogs, OtlpMetrics, decode_otlp_logs, decode_otlp_metrics, decode_otlp_request,
    otlp_logs, otlp_metrics,
};
pub use prom_remote_write::{RemoteWriteExtras, decode_remote_write};
