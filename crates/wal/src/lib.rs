//! A segmented, CRC-checked write-ahead log with group commit.
//!
//! Records are opaque byte strings; the WAL knows nothing of metrics or logs. Each record is
//! framed as `[len: u32 LE][crc32(payload): u32 LE][payload]` inside segment files named by a
//! monotonically increasing id. One writer thread owns the open segment: concurrent appends that
//! arrive while an `fdatasync` is running are written together and share the next one (group
//! commit), and an append resolves only after its record is on disk.
//!
//! Replay reads every segment in order. A torn record at the very end of the newest segment (a
//! crash mid-write) is dropped with a warning and the file is truncated; a bad record anywhere
//! else is corruption and replay fails with its segment and offset — it is never skipped.

#![deny(missing_docs)]

mod metrics;
mod replay;
mod segment;
mod writer;

pub use replay::{Replay, ReplayedRecord, replay};
pub use segment::{SegmentId, list_segments, segment_path};
pub use writer::{Pending, Wal, WalConfig};

use std::path::PathBuf;

/// Largest record accepted; a length field above it can only be corruption.
pub const MAX_RECORD_BYTES: usize = 512 * 1024 * 1024;

/// Errors of the write-ahead log.
#[derive(Debug, thiserror::Error)]
pub enum WalError {
    /// An I/O operation on a WAL file failed.
    #[error("WAL I/O error on {path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A record in the middle of the log fails its checks. The log is not replayed past it.
    #[error(
        "corrupt WAL record in {path} at byte offset {offset}: {reason}. Data after this point cannot be trusted; move the segment aside to start without it"
    )]
    Corrupt {
        /// The segment file.
        path: PathBuf,
        /// Byte offset of the record's header.
        offset: u64,
        /// What check failed.
        reason: String,
    },
    /// A previous write or fsync failed; the WAL accepts nothing more until restarted, because
    /// after a failed fsync the kernel may have dropped dirty pages silently.
    #[error("the WAL is unavailable after an earlier I/O failure: {0}")]
    Failed(String),
    /// The WAL was shut down.
    #[error("the WAL is closed")]
    Closed,
    /// The record is empty or larger than [`MAX_RECORD_BYTES`].
    #[error("WAL record of {0} bytes is empty or too large")]
    BadRecordSize(usize),
}

/// Result alias of this crate.
pub type Result<T, E = WalError> = std::result::Result<T, E>;

pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> WalError {
    let path = path.into();
    move |source| WalError::Io { path, source }
}
