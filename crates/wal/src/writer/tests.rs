use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::replay;

fn config(dir: &std::path::Path, segment_max_bytes: u64) -> WalConfig {
    WalConfig {
        dir: dir.to_path_buf(),
        segment_max_bytes,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn payloads(replayed: &crate::Replay) -> Vec<Vec<u8>> {
    replayed.records.iter().map(|r| r.payload.clone()).collect()
}

#[test]
fn appends_survive_reopen_in_order() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 20)).unwrap();
        for i in 0..10u8 {
            wal.append(vec![i; 100]).await.unwrap();
        }
        wal.close();
    });
    let replayed = replay(dir.path(), None).unwrap();
    assert_eq!(
        payloads(&replayed),
        (0..10u8).map(|i| vec![i; 100]).collect::<Vec<_>>()
    );
    assert_eq!(replayed.torn_bytes_dropped, 0);
}

#[test]
fn concurrent_appends_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let wal = Arc::new(Wal::open(config(dir.path(), 1 << 30)).unwrap());
        let tasks: Vec<_> = (0..200u32)
            .map(|i| {
                let wal = wal.clone();
                tokio::spawn(async move { wal.append(i.to_le_bytes().to_vec()).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        wal.close();
    });
    let mut seen: Vec<u32> = replay(dir.path(), None)
        .unwrap()
        .records
        .iter()
        .map(|r| u32::from_le_bytes(r.payload[..4].try_into().unwrap()))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..200).collect::<Vec<_>>());
}

#[test]
fn rotation_and_removal() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 20)).unwrap();
        let first = wal.append(b"a".to_vec()).await.unwrap();
        let sealed = wal.rotate().await.unwrap();
        assert_eq!(first, sealed);
        let second = wal.append(b"b".to_vec()).await.unwrap();
        assert!(second > sealed);
        wal.remove_through(sealed).unwrap();
        wal.close();
    });
    assert_eq!(
        payloads(&replay(dir.path(), None).unwrap()),
        vec![b"b".to_vec()]
    );
}

#[test]
fn size_rotation_keeps_every_record() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 256)).unwrap();
        for i in 0..20u8 {
            wal.append(vec![i; 50]).await.unwrap();
        }
        wal.close();
    });
    assert!(list_segments(dir.path()).unwrap().len() > 3);
    assert_eq!(payloads(&replay(dir.path(), None).unwrap()).len(), 20);
}

#[test]
fn skip_through_ignores_flushed_segments() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 20)).unwrap();
        wal.append(b"old".to_vec()).await.unwrap();
        let sealed = wal.rotate().await.unwrap();
        wal.append(b"new".to_vec()).await.unwrap();
        wal.close();
        assert_eq!(
            payloads(&replay(dir.path(), Some(sealed)).unwrap()),
            vec![b"new".to_vec()]
        );
    });
}

#[test]
fn rejects_empty_records() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 20)).unwrap();
        assert!(matches!(
            wal.append(Vec::new()).await,
            Err(WalError::BadRecordSize(0))
        ));
    });
}

/// Writes `records` into one segment and returns its path.
fn write_segment(dir: &std::path::Path, records: &[Vec<u8>]) -> std::path::PathBuf {
    runtime().block_on(async {
        let wal = Wal::open(config(dir, 1 << 30)).unwrap();
        for record in records {
            wal.append(record.clone()).await.unwrap();
        }
        wal.close();
    });
    segment_path(dir, 1)
}

fn records_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 1..64), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Cutting the newest segment anywhere loses only the records the cut touches.
    #[test]
    fn truncation_yields_a_prefix(records in records_strategy(), cut in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = write_segment(dir.path(), &records);
        let len = std::fs::metadata(&path).unwrap().len();
        let cut_at = cut.index(len as usize + 1) as u64;
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(cut_at).unwrap();
        let replayed = replay(dir.path(), None).unwrap();
        let got = payloads(&replayed);
        // Records fully inside the cut survive, nothing else, nothing altered.
        let mut end = MAGIC.len() as u64;
        let mut expected = Vec::new();
        for record in &records {
            end += 8 + record.len() as u64;
            if end <= cut_at {
                expected.push(record.clone());
            }
        }
        prop_assert_eq!(got, expected);
        // The torn tail was truncated, so a second replay finds a clean log.
        prop_assert_eq!(replay(dir.path(), None).unwrap().torn_bytes_dropped, 0);
    }

    /// Flipping a byte never yields an altered record; inside any record but the last it is
    /// reported as corruption rather than skipped.
    #[test]
    fn corruption_is_detected(records in records_strategy(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let dir = tempfile::tempdir().unwrap();
        let path = write_segment(dir.path(), &records);
        let mut bytes = std::fs::read(&path).unwrap();
        let position = MAGIC.len() + at.index(bytes.len() - MAGIC.len());
        bytes[position] ^= flip;
        std::fs::write(&path, &bytes).unwrap();
        let last_record_start = bytes.len() - 8 - records.last().unwrap().len();
        match replay(dir.path(), None) {
            Ok(replayed) => {
                prop_assert!(position >= last_record_start, "damage at {} before the last record at {} was not reported", position, last_record_start);
                prop_assert_eq!(payloads(&replayed), records[..records.len() - 1].to_vec());
            }
            Err(WalError::Corrupt { .. }) => prop_assert!(position < last_record_start),
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}

#[test]
fn damage_in_an_older_segment_is_corruption() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 20)).unwrap();
        wal.append(b"first".to_vec()).await.unwrap();
        wal.rotate().await.unwrap();
        wal.append(b"second".to_vec()).await.unwrap();
        wal.close();
    });
    let path = segment_path(dir.path(), 1);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        replay(dir.path(), None),
        Err(WalError::Corrupt { .. })
    ));
}

#[test]
fn a_crash_leaves_zeros_that_replay_reads_as_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i + 1; 100]).collect();
    runtime().block_on(async {
        let wal = Wal::open(config(dir.path(), 1 << 30)).unwrap();
        for record in &records {
            wal.append(record.clone()).await.unwrap();
        }
        // As after kill -9: no clean stop, so the zeroed space stays behind the records.
        std::mem::forget(wal);
    });
    let path = segment_path(dir.path(), 1);
    let records_end = MAGIC.len() + records.iter().map(|r| 8 + r.len()).sum::<usize>();
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    assert!(len > records_end, "the segment was zeroed ahead");
    let replayed = replay(dir.path(), None).unwrap();
    assert_eq!(payloads(&replayed), records);
    assert_eq!(replayed.torn_bytes_dropped, 0);

    // A record torn mid-write into the zeroed space is dropped, and the zeros with it.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[records_end..records_end + 8].copy_from_slice(&[50, 0, 0, 0, 1, 2, 3, 4]);
    bytes[records_end + 8..records_end + 20].fill(7);
    std::fs::write(&path, &bytes).unwrap();
    let replayed = replay(dir.path(), None).unwrap();
    assert_eq!(payloads(&replayed), records);
    assert_eq!(replayed.torn_bytes_dropped, (len - records_end) as u64);
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as usize,
        records_end
    );
}
