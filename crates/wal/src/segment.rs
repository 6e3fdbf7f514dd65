//! Segment files: naming, listing and record framing.

use std::path::{Path, PathBuf};

use crate::{Result, io_error};

/// Identifies a segment; larger ids hold later records.
pub type SegmentId = u64;

/// Every segment starts with these bytes, so a stray file is never replayed as a log.
pub(crate) const MAGIC: &[u8; 8] = b"THWAL\0\0\x01";
/// Bytes of a record header: length and CRC.
pub(crate) const HEADER_BYTES: usize = 8;

/// The path of segment `id` in `dir`.
pub fn segment_path(dir: &Path, id: SegmentId) -> PathBuf {
    dir.join(format!("{id:020}.wal"))
}

/// The ids of all segments in `dir`, ascending.
pub fn list_segments(dir: &Path) -> Result<Vec<SegmentId>> {
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".wal")) else {
            continue;
        };
        if let Ok(id) = stem.parse::<SegmentId>() {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

/// Appends the framed form of `payload` to `out`.
pub(crate) fn encode_record(payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// Fsyncs a directory so that file creations and deletions in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(dir))
}
