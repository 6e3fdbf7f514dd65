//! A part's pages of a read fetched up front, in a few positioned reads.
//!
//! The `parquet` crate reads a part page by page through its [`ChunkReader`]; for a plain
//! [`File`] each page costs a duplicated descriptor, a seek, a read into a fresh zeroed buffer
//! and a close — more than decoding a small page. A read that knows its rows knows its pages
//! (the part's offset index gives each page's bytes and first row), so [`FetchedPages`] reads
//! the byte ranges of every page the read decodes, near ranges joined, with one positioned read
//! each, and hands the reader slices of them. Anything it did not fetch (a part without an
//! offset index, say) it reads from the file on demand, as a `File` would.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::ops::Range;
use std::os::unix::fs::FileExt;

use bytes::Bytes;
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::metadata::ParquetMetaData;
use datafusion::parquet::file::reader::{ChunkReader, Length};

/// Ranges closer than this are fetched as one: a read of the bytes between costs less than
/// another system call.
const JOIN_GAP: u64 = 64 << 10;

/// A part file with the byte ranges a read will ask for already in memory.
pub(crate) struct FetchedPages {
    file: File,
    len: u64,
    /// Fetched ranges: (first byte, the bytes), by first byte, disjoint.
    fetched: Vec<(u64, Bytes)>,
}

impl FetchedPages {
    /// Fetches from `file` (described by `metadata`) the pages of leaf columns `columns` that
    /// hold any of `rows` (ascending, disjoint row ranges of the whole file), with their
    /// dictionary pages. Without an offset index nothing is fetched up front.
    pub(crate) fn fetch(
        file: File,
        metadata: &ParquetMetaData,
        columns: &[usize],
        rows: &[Range<u64>],
    ) -> std::io::Result<FetchedPages> {
        let len = file.metadata()?.len();
        let mut wanted = pages_holding(metadata, columns, rows);
        wanted.sort_unstable_by_key(|range| range.start);
        let mut joined: Vec<Range<u64>> = Vec::with_capacity(wanted.len());
        for range in wanted {
            match joined.last_mut() {
                Some(last) if range.start <= last.end.saturating_add(JOIN_GAP) => {
                    last.end = last.end.max(range.end);
                }
                _ => joined.push(range),
            }
        }
        let mut fetched = Vec::with_capacity(joined.len());
        for range in joined {
            let end = range.end.min(len);
            if end <= range.start {
                continue;
            }
            let mut buffer = vec![0; (end - range.start) as usize];
            file.read_exact_at(&mut buffer, range.start)?;
            fetched.push((range.start, Bytes::from(buffer)));
        }
        Ok(FetchedPages { file, len, fetched })
    }

    /// The fetched bytes `start..start + length`, if one fetched range holds them all.
    fn fetched(&self, start: u64, length: usize) -> Option<Bytes> {
        let at = self.fetched.partition_point(|(first, _)| *first <= start);
        let (first, bytes) = self.fetched.get(at.checked_sub(1)?)?;
        let from = usize::try_from(start - first).ok()?;
        let to = from.checked_add(length)?;
        (to <= bytes.len()).then(|| bytes.slice(from..to))
    }
}

/// The byte ranges of the pages of `columns` that hold any of `rows`, and of their column
/// chunks' dictionary pages; none where the part has no offset index.
fn pages_holding(
    metadata: &ParquetMetaData,
    columns: &[usize],
    rows: &[Range<u64>],
) -> Vec<Range<u64>> {
    let Some(offset_index) = metadata.offset_index() else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut group_start = 0u64;
    for (group, group_meta) in metadata.row_groups().iter().enumerate() {
        let group_rows = u64::try_from(group_meta.num_rows()).unwrap_or(0);
        let group_end = group_start + group_rows;
        // The wanted rows of this row group, relative to its first row.
        let first = rows.partition_point(|r| r.end <= group_start);
        let in_group: Vec<Range<u64>> = rows[first..]
            .iter()
            .take_while(|r| r.start < group_end)
            .map(|r| r.start.max(group_start) - group_start..r.end.min(group_end) - group_start)
            .collect();
        group_start = group_end;
        if in_group.is_empty() {
            continue;
        }
        for &column in columns {
            let Some(pages) = offset_index.get(group).and_then(|g| g.get(column)) else {
                continue;
            };
            let locations = pages.page_locations();
            let mut any = false;
            // Pages and runs both ascend, so one pass over each finds which pages hold rows:
            // `run` is the first run not ending before the current page.
            let mut run = 0;
            for (at, page) in locations.iter().enumerate() {
                let page_first = u64::try_from(page.first_row_index).unwrap_or(0);
                let page_end = locations.get(at + 1).map_or(group_rows, |next| {
                    u64::try_from(next.first_row_index).unwrap_or(0)
                });
                while in_group.get(run).is_some_and(|r| r.end <= page_first) {
                    run += 1;
                }
                if in_group.get(run).is_some_and(|r| r.start < page_end) {
                    let offset = u64::try_from(page.offset).unwrap_or(0);
                    let size = u64::try_from(page.compressed_page_size).unwrap_or(0);
                    ranges.push(offset..offset + size);
                    any = true;
                }
            }
            let chunk = group_meta.column(column);
            if let Some(dictionary) = chunk.dictionary_page_offset()
                && any
            {
                let dictionary = u64::try_from(dictionary).unwrap_or(0);
                let data = u64::try_from(chunk.data_page_offset()).unwrap_or(0);
                if dictionary < data {
                    ranges.push(dictionary..data);
                }
            }
        }
    }
    ranges
}

impl Length for FetchedPages {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for FetchedPages {
    type T = BufReader<File>;

    fn get_read(&self, start: u64) -> datafusion::parquet::errors::Result<Self::T> {
        // Only a part read without its offset index reads this way (page headers one by one).
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(start))?;
        Ok(BufReader::new(file))
    }

    fn get_bytes(&self, start: u64, length: usize) -> datafusion::parquet::errors::Result<Bytes> {
        if let Some(bytes) = self.fetched(start, length) {
            return Ok(bytes);
        }
        let mut buffer = vec![0; length];
        self.file
            .read_exact_at(&mut buffer, start)
            .map_err(|e| ParquetError::External(Box::new(e)))?;
        Ok(Bytes::from(buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use datafusion::arrow::array::{AsArray, Int64Array, RecordBatch};
    use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema};
    use datafusion::parquet::arrow::ArrowWriter;
    use datafusion::parquet::arrow::arrow_reader::{
        ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
    };
    use datafusion::parquet::file::metadata::PageIndexPolicy;
    use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};

    /// A part of 10,000 rows in pages of 1,024, and its reader metadata with the page index.
    fn part(dir: &std::path::Path) -> (std::path::PathBuf, ArrowReaderMetadata) {
        let path = dir.join("part.parquet");
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Int64, false),
        ]));
        let a = Int64Array::from_iter_values(0..10_000);
        let b = Int64Array::from_iter_values((0..10_000).map(|i| i % 7));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(a), Arc::new(b)]).unwrap();
        let properties = WriterProperties::builder()
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_column_dictionary_enabled("a".into(), false)
            .set_data_page_row_count_limit(1024)
            .set_write_batch_size(256)
            .set_max_row_group_row_count(Some(3000))
            .build();
        let mut writer =
            ArrowWriter::try_new(File::create(&path).unwrap(), schema, Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let metadata = ArrowReaderMetadata::load(
            &File::open(&path).unwrap(),
            ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Required),
        )
        .unwrap();
        (path, metadata)
    }

    fn read(
        path: &std::path::Path,
        metadata: &ArrowReaderMetadata,
        rows: &[Range<u64>],
    ) -> Vec<i64> {
        let fetched = FetchedPages::fetch(
            File::open(path).unwrap(),
            metadata.metadata(),
            &[0, 1],
            rows,
        )
        .unwrap();
        let selection = RowSelection::from_consecutive_ranges(
            rows.iter().map(|r| r.start as usize..r.end as usize),
            10_000,
        );
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(fetched, metadata.clone())
            .with_row_selection(selection)
            .build()
            .unwrap();
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.unwrap();
            let a = batch.column(0).as_primitive::<Int64Type>();
            let b = batch.column(1).as_primitive::<Int64Type>();
            for (a, b) in a.values().iter().zip(b.values()) {
                assert_eq!(*b, a % 7);
                out.push(*a);
            }
        }
        out
    }

    #[test]
    fn selected_rows_read_through_fetched_pages_equal_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (path, metadata) = part(dir.path());
        // Runs within a page, across pages and across row groups (3,000 rows each).
        let runs = [5..17, 1000..1100, 2990..3010, 6100..9100, 9990..10_000];
        let got = read(&path, &metadata, &runs);
        let expected: Vec<i64> = runs
            .iter()
            .flat_map(|r| r.start as i64..r.end as i64)
            .collect();
        assert_eq!(got, expected);
        assert_eq!(
            read(&path, &metadata, std::slice::from_ref(&(0..10_000))),
            (0..10_000).collect::<Vec<i64>>()
        );
    }

    #[test]
    fn the_pages_of_each_run_are_exactly_those_it_overlaps() {
        let dir = tempfile::tempdir().unwrap();
        let (_, metadata) = part(dir.path());
        let metadata = metadata.metadata();
        let offset_index = metadata.offset_index().unwrap();
        // Column `a` (no dictionary): row groups of 3,000 rows, pages of 1,024 rows in each.
        let page = |group: usize, at: usize| {
            let location = &offset_index[group][0].page_locations()[at];
            let offset = location.offset as u64;
            offset..offset + location.compressed_page_size as u64
        };
        // 5..17 and 1000..1100 in group 0's pages 0 and 1 (1,024 ends page 0); 2990..3010
        // across groups: group 0's last page and group 1's first; 7000..7001 in group 2's
        // page 0 (its rows 1000..1001).
        let runs = [5..17, 1000..1100, 2990..3010, 7000..7001];
        assert_eq!(
            pages_holding(metadata, &[0], &runs),
            vec![page(0, 0), page(0, 1), page(0, 2), page(1, 0), page(2, 0)]
        );
        // A run ending where a page starts does not take that page.
        assert_eq!(
            pages_holding(metadata, &[0], std::slice::from_ref(&(0..1024))),
            vec![page(0, 0)]
        );
    }

    #[test]
    fn only_the_pages_holding_the_rows_are_fetched() {
        let dir = tempfile::tempdir().unwrap();
        let (path, metadata) = part(dir.path());
        let fetched = FetchedPages::fetch(
            File::open(&path).unwrap(),
            metadata.metadata(),
            &[0],
            std::slice::from_ref(&(5..17)),
        )
        .unwrap();
        let bytes: usize = fetched.fetched.iter().map(|(_, b)| b.len()).sum();
        let file_len = std::fs::metadata(&path).unwrap().len() as usize;
        assert!(bytes > 0, "the first page is fetched");
        assert!(
            bytes < file_len / 4,
            "{bytes} of {file_len} bytes fetched for one page"
        );
        // Bytes outside what was fetched are still read, from the file.
        let all = fetched.get_bytes(0, 4).unwrap();
        assert_eq!(&all[..], b"PAR1");
    }
}
