//! Reading the log back after a restart.

use std::path::Path;

use crate::segment::{HEADER_BYTES, MAGIC, list_segments, segment_path, sync_dir};
use crate::{MAX_RECORD_BYTES, Result, SegmentId, WalError, io_error};

/// One record read back from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayedRecord {
    /// The segment that holds it.
    pub segment: SegmentId,
    /// The bytes that were appended.
    pub payload: Vec<u8>,
}

/// What a replay found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Replay {
    /// Records in append order.
    pub records: Vec<ReplayedRecord>,
    /// The newest segment present, if any.
    pub last_segment: Option<SegmentId>,
    /// Bytes of a torn final record that were dropped (0 after a clean shutdown).
    pub torn_bytes_dropped: u64,
}

/// Reads every record of the segments in `dir` whose id is above `skip_through`.
///
/// A torn tail of the newest segment is truncated away (and reported in
/// [`Replay::torn_bytes_dropped`]); any other bad record is [`WalError::Corrupt`].
pub fn replay(dir: &Path, skip_through: Option<SegmentId>) -> Result<Replay> {
    let segments = list_segments(dir)?;
    let mut result = Replay {
        last_segment: segments.last().copied(),
        ..Replay::default()
    };
    for (position, &id) in segments.iter().enumerate() {
        if skip_through.is_some_and(|skip| id <= skip) {
            continue;
        }
        let is_newest = position + 1 == segments.len();
        let path = segment_path(dir, id);
        let bytes = std::fs::read(&path).map_err(io_error(&path))?;
        let outcome =
            parse_segment(&bytes, is_newest).map_err(|(offset, reason)| WalError::Corrupt {
                path: path.clone(),
                offset,
                reason,
            })?;
        for payload in outcome.payloads {
            result.records.push(ReplayedRecord {
                segment: id,
                payload: payload.to_vec(),
            });
        }
        if let Some(valid_len) = outcome.torn_at {
            let dropped = bytes.len() as u64 - valid_len;
            tracing::warn!(
                segment = %path.display(),
                offset = valid_len,
                dropped_bytes = dropped,
                "dropping a torn record at the end of the write-ahead log (the previous run stopped mid-write; the record was never acknowledged)"
            );
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(io_error(&path))?;
            file.set_len(valid_len).map_err(io_error(&path))?;
            file.sync_all().map_err(io_error(&path))?;
            result.torn_bytes_dropped += dropped;
        }
    }
    if result.torn_bytes_dropped > 0 {
        sync_dir(dir)?;
    }
    Ok(result)
}

/// Records of one segment, and where a torn tail begins.
pub(crate) struct ParsedSegment<'a> {
    pub payloads: Vec<&'a [u8]>,
    pub torn_at: Option<u64>,
}

/// Splits a segment into records. `Err((offset, reason))` is corruption.
///
/// A bad record counts as torn (not corrupt) only in the newest segment and only when no valid
/// record starts anywhere after it: a crash mid-write leaves a bad tail and nothing good behind it,
/// while a damaged record in the middle is followed by intact ones. Older segments were fsynced
/// before the next one was created, so they cannot be torn.
pub(crate) fn parse_segment(
    bytes: &[u8],
    is_newest: bool,
) -> Result<ParsedSegment<'_>, (u64, String)> {
    let mut parsed = ParsedSegment {
        payloads: Vec::new(),
        torn_at: None,
    };
    if bytes.len() < MAGIC.len() {
        if is_newest && MAGIC.starts_with(bytes) {
            // Crashed while writing the header of a fresh segment.
            parsed.torn_at = Some(0);
            return Ok(parsed);
        }
        return Err((0, "segment is shorter than its header".into()));
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err((0, "not a TelemetryHub WAL segment (bad magic)".into()));
    }
    let mut offset = MAGIC.len();
    while offset < bytes.len() {
        let problem = match record_at(bytes, offset) {
            Ok(payload) => {
                parsed.payloads.push(payload);
                offset += HEADER_BYTES + payload.len();
                continue;
            }
            Err(reason) => reason,
        };
        // Space zeroed ahead of the records (see the writer) ends a segment cleanly: no record
        // starts with a zero length.
        if bytes[offset..].iter().all(|b| *b == 0) {
            return Ok(parsed);
        }
        if is_newest && !valid_record_after(bytes, offset + 1) {
            parsed.torn_at = Some(offset as u64);
            return Ok(parsed);
        }
        return Err((offset as u64, problem));
    }
    Ok(parsed)
}

/// The payload of the record whose header starts at `offset`, or why there is none.
fn record_at(bytes: &[u8], offset: usize) -> Result<&[u8], String> {
    let rest = &bytes[offset..];
    if rest.len() < HEADER_BYTES {
        return Err("truncated record header".into());
    }
    let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
    if len == 0 || len > MAX_RECORD_BYTES {
        return Err(format!("invalid record length {len}"));
    }
    if rest.len() < HEADER_BYTES + len {
        return Err(format!(
            "record of {len} bytes runs past the end of the file"
        ));
    }
    let payload = &rest[HEADER_BYTES..HEADER_BYTES + len];
    if crc32fast::hash(payload) != crc {
        return Err("checksum mismatch".into());
    }
    Ok(payload)
}

/// Whether any offset from `start` on holds a complete record with a matching checksum.
fn valid_record_after(bytes: &[u8], start: usize) -> bool {
    (start..bytes.len().saturating_sub(HEADER_BYTES)).any(|offset| record_at(bytes, offset).is_ok())
}
