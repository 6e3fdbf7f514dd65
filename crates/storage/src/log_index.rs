//! The skip index of a logs part: for each block of [`BLOCK_ROWS`] consecutive rows, their time
//! range, the streams they belong to and a bloom filter of the byte trigrams of their lines — so
//! a needle search (`|= "text"`, a case-sensitive substring) reads only the blocks that may hold
//! the needle, a short time range only the blocks that overlap it, and a listing of the range's
//! streams needs no rows at all where blocks lie wholly inside the range.
//!
//! Trigrams rather than tokens: `|=` matches any substring, so a token bloom can only skip when
//! the needle holds a token bounded by non-alphanumerics on both sides *within the needle* (a
//! needle `abc-123` may match inside `xabc-1234`, where neither `abc` nor `123` is a token). A
//! line holds every trigram of any substring of it, so a block none of whose lines holds some
//! trigram of the needle cannot match: any needle of three bytes or more can skip. Blooms are
//! sized for [`GRAM_FPP`] false positives per trigram: a needle is looked up as all its
//! trigrams, so a block that truly lacks k of them is read by mistake with probability
//! `GRAM_FPP^k` — a high per-trigram rate costs little (measured in `docs/benchmarks.md`).
//!
//! Stored beside the part as `<part>.lines` (Parquet: one row per block; the part's streams in
//! the footer's key-value metadata), written before the part is renamed into place and before
//! the catalog lists it (`PartMeta::line_index`), deleted with it — as the series index is. Parts
//! without one, or whose index cannot be read, are read whole: the index only ever narrows what
//! is read, and the scan's filters still run on every row read, so answers never depend on it.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, BinaryArray, Int64Array, ListArray, ListBuilder, RecordBatch, StringArray,
    TimestampNanosecondArray, UInt32Array, UInt32Builder, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::bloom_filter::Sbbf;
use datafusion::parquet::file::metadata::KeyValue;
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::parquet::schema::types::ColumnPath;
use serde::{Deserialize, Serialize};

use crate::schema::column;
use crate::{Result, StorageError};

/// Rows per block: the unit a needle search skips or reads. Smaller blocks skip more finely but
/// hold more trigrams per line in all (a block's distinct trigrams grow slower than its lines);
/// 8,192 rows are about one data page of the `message` column, the unit the Parquet reader
/// skips anyway.
pub(crate) const BLOCK_ROWS: u64 = 8192;

/// The false-positive rate each block's bloom is sized for, per trigram (see the module
/// comment: a needle's missing trigrams multiply it).
pub(crate) const GRAM_FPP: f64 = 0.05;

/// The key-value metadata entry holding the part's streams (JSON).
const STREAMS_KEY: &str = "telemetryhub.streams";

/// The index file's path for a part's (relative or absolute) path.
pub(crate) fn index_path(part: &str) -> String {
    match part.strip_suffix(".parquet") {
        Some(stem) => format!("{stem}.lines"),
        None => format!("{part}.lines"),
    }
}

/// A log stream as stored: the tenant, the `labels` column (null for lines stored without stream
/// labels, whose stream is derived from their service and level) and the `service` and `level`
/// columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoredLogStream {
    /// The `tenant` column.
    pub tenant: String,
    /// The `labels` column (JSON, sorted keys), or `None` where it is null.
    pub labels: Option<String>,
    /// The `service` column.
    pub service: String,
    /// The `level` column.
    pub level: String,
}

/// One block of a part's rows.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The part's row where the block starts.
    pub first_row: u64,
    /// How many rows it has.
    pub rows: u64,
    /// The earliest and latest time of its rows.
    pub min_ts: i64,
    pub max_ts: i64,
    /// Its rows' streams, as positions in [`LineIndex::streams`], ascending.
    pub streams: Vec<u32>,
    /// Every trigram of its lines (a bloom filter).
    pub grams: Sbbf,
}

impl Block {
    /// The block's rows.
    pub(crate) fn range(&self) -> Range<u64> {
        self.first_row..self.first_row + self.rows
    }

    /// Whether some line of the block may contain every needle: false only when one of them
    /// has a trigram no line of the block holds. Needles shorter than three bytes pass.
    pub(crate) fn may_contain_all(&self, needles: &[String]) -> bool {
        needles.iter().all(|needle| {
            needle
                .as_bytes()
                .windows(3)
                .all(|gram| self.grams.check(gram))
        })
    }
}

/// The skip index of one logs part.
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    /// The part's distinct streams.
    pub streams: Vec<StoredLogStream>,
    /// Its blocks in row order; together they cover every row once.
    pub blocks: Vec<Block>,
}

impl LineIndex {
    /// Bytes the index takes in memory (its blooms, mostly).
    pub(crate) fn memory_bytes(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| b.grams.num_blocks() * 32 + b.streams.len() * 4 + 48)
            .sum::<usize>()
            + self
                .streams
                .iter()
                .map(|s| {
                    s.tenant.len()
                        + s.service.len()
                        + s.level.len()
                        + s.labels.as_ref().map_or(0, String::len)
                        + 96
                })
                .sum::<usize>()
    }

    /// Reads the index of the part at `part` (an absolute path), checking it against the part's
    /// row count.
    pub(crate) fn read(part: &Path, part_rows: u64) -> Result<LineIndex> {
        let path = PathBuf::from(index_path(&part.to_string_lossy()));
        let bad =
            |what: &str| StorageError::Encoding(format!("line index {}: {what}", path.display()));
        let file = File::open(&path).map_err(StorageError::io(path.display()))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
        let streams_json = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kvs| kvs.iter().find(|kv| kv.key == STREAMS_KEY))
            .and_then(|kv| kv.value.clone())
            .ok_or_else(|| bad("no streams"))?;
        let streams: Vec<StoredLogStream> =
            serde_json::from_str(&streams_json).map_err(|e| bad(&e.to_string()))?;
        let mut blocks = Vec::new();
        let mut next_row = 0u64;
        for batch in builder.build()? {
            let batch = batch?;
            let first_row = column::<UInt64Array>(&batch, "first_row")?;
            let rows = column::<UInt64Array>(&batch, "rows")?;
            let min_ts = column::<Int64Array>(&batch, "min_ts")?;
            let max_ts = column::<Int64Array>(&batch, "max_ts")?;
            let block_streams = column::<ListArray>(&batch, "streams")?;
            let grams = column::<BinaryArray>(&batch, "grams")?;
            for row in 0..batch.num_rows() {
                let ids = block_streams.value(row);
                let ids = ids
                    .as_any()
                    .downcast_ref::<UInt32Array>()
                    .ok_or_else(|| bad("streams are not u32"))?;
                let block = Block {
                    first_row: first_row.value(row),
                    rows: rows.value(row),
                    min_ts: min_ts.value(row),
                    max_ts: max_ts.value(row),
                    streams: ids.values().to_vec(),
                    grams: Sbbf::from_bytes(grams.value(row))?,
                };
                if block.first_row != next_row
                    || block.rows == 0
                    || block.streams.iter().any(|s| *s as usize >= streams.len())
                {
                    return Err(bad("blocks do not fit the part"));
                }
                next_row += block.rows;
                blocks.push(block);
            }
        }
        if next_row != part_rows {
            return Err(bad("blocks do not cover the part"));
        }
        Ok(LineIndex { streams, blocks })
    }
}

/// The index file's schema.
static INDEX_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("first_row", DataType::UInt64, false),
        Field::new("rows", DataType::UInt64, false),
        Field::new("min_ts", DataType::Int64, false),
        Field::new("max_ts", DataType::Int64, false),
        Field::new(
            "streams",
            DataType::List(Arc::new(Field::new_list_field(DataType::UInt32, true))),
            false,
        ),
        Field::new("grams", DataType::Binary, false),
    ]))
});

/// The trigrams of the block being built: a bit per possible trigram (2^24 bits, 2 MiB) and
/// the list of those set, so each trigram costs one bit test however often it recurs — hashing
/// every trigram of every line into a set was most of the index's cost.
struct GramSet {
    seen: Vec<u64>,
    fresh: Vec<u32>,
}

impl GramSet {
    fn new() -> GramSet {
        GramSet {
            seen: vec![0; (1 << 24) / 64],
            fresh: Vec::new(),
        }
    }

    fn add_line(&mut self, line: &[u8]) {
        for gram in line.windows(3) {
            let key = (u32::from(gram[0]) << 16) | (u32::from(gram[1]) << 8) | u32::from(gram[2]);
            let (word, bit) = ((key >> 6) as usize, key & 63);
            if self.seen[word] & (1 << bit) == 0 {
                self.seen[word] |= 1 << bit;
                self.fresh.push(key);
            }
        }
    }

    /// The bloom of the trigrams added since the last call; the set is empty again after.
    fn take_bloom(&mut self) -> Result<Sbbf> {
        let mut bloom = Sbbf::new_with_ndv_fpp(self.fresh.len().max(1) as u64, GRAM_FPP)?;
        for key in self.fresh.drain(..) {
            self.seen[(key >> 6) as usize] = 0;
            let gram = [(key >> 16) as u8, (key >> 8) as u8, key as u8];
            bloom.insert(&gram[..]);
        }
        Ok(bloom)
    }
}

/// Builds a part's index from its rows, fed in the order they are written.
pub(crate) struct LineIndexBuilder {
    /// Rows per block ([`BLOCK_ROWS`] but in tests).
    block_rows: u64,
    streams: Vec<StoredLogStream>,
    stream_ids: HashMap<StoredLogStream, u32>,
    blocks: Vec<Block>,
    /// The block being built: its first row, rows, times and streams.
    first_row: u64,
    rows: u64,
    min_ts: i64,
    max_ts: i64,
    block_streams: BTreeSet<u32>,
    grams: GramSet,
}

impl LineIndexBuilder {
    /// A builder for an empty part, sealing a block every `block_rows` rows.
    pub(crate) fn new(block_rows: u64) -> LineIndexBuilder {
        LineIndexBuilder {
            block_rows: block_rows.max(1),
            streams: Vec::new(),
            stream_ids: HashMap::new(),
            blocks: Vec::new(),
            first_row: 0,
            rows: 0,
            min_ts: i64::MAX,
            max_ts: i64::MIN,
            block_streams: BTreeSet::new(),
            grams: GramSet::new(),
        }
    }

    /// Adds the next rows of the part (the logs table's columns).
    pub(crate) fn add(&mut self, batch: &RecordBatch) -> Result<()> {
        let tenant = column::<StringArray>(batch, "tenant")?;
        let service = column::<StringArray>(batch, "service")?;
        let level = column::<StringArray>(batch, "level")?;
        let labels = column::<StringArray>(batch, "labels")?;
        let message = column::<StringArray>(batch, "message")?;
        let ts = column::<TimestampNanosecondArray>(batch, "ts")?.values();
        let mut stream = None;
        for row in 0..batch.num_rows() {
            // Rows come sorted by tenant, service and level: most rows repeat their
            // predecessor's stream, which an equality test finds without hashing.
            let same = row > 0
                && tenant.value(row) == tenant.value(row - 1)
                && service.value(row) == service.value(row - 1)
                && level.value(row) == level.value(row - 1)
                && labels.is_null(row) == labels.is_null(row - 1)
                && (labels.is_null(row) || labels.value(row) == labels.value(row - 1));
            let id = match stream {
                Some(id) if same => id,
                _ => self.stream_id(StoredLogStream {
                    tenant: tenant.value(row).to_string(),
                    labels: (!labels.is_null(row)).then(|| labels.value(row).to_string()),
                    service: service.value(row).to_string(),
                    level: level.value(row).to_string(),
                }),
            };
            stream = Some(id);
            self.block_streams.insert(id);
            self.grams.add_line(message.value(row).as_bytes());
            self.min_ts = self.min_ts.min(ts[row]);
            self.max_ts = self.max_ts.max(ts[row]);
            self.rows += 1;
            if self.rows == self.block_rows {
                self.seal()?;
            }
        }
        Ok(())
    }

    fn stream_id(&mut self, stream: StoredLogStream) -> u32 {
        if let Some(id) = self.stream_ids.get(&stream) {
            return *id;
        }
        let id = self.streams.len() as u32;
        self.streams.push(stream.clone());
        self.stream_ids.insert(stream, id);
        id
    }

    /// Ends the block being built.
    fn seal(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        self.blocks.push(Block {
            first_row: self.first_row,
            rows: self.rows,
            min_ts: self.min_ts,
            max_ts: self.max_ts,
            streams: std::mem::take(&mut self.block_streams)
                .into_iter()
                .collect(),
            grams: self.grams.take_bloom()?,
        });
        self.first_row += self.rows;
        self.rows = 0;
        self.min_ts = i64::MAX;
        self.max_ts = i64::MIN;
        Ok(())
    }

    /// The index built so far, sealed (tests look at it without a file).
    #[cfg(test)]
    pub(crate) fn finish(mut self) -> Result<LineIndex> {
        self.seal()?;
        Ok(LineIndex {
            streams: self.streams,
            blocks: self.blocks,
        })
    }

    /// Writes the index for the part at `part` (absolute path, not yet renamed into place): to
    /// a temporary file, fsynced, then renamed.
    pub(crate) fn write(mut self, part: &Path) -> Result<()> {
        self.seal()?;
        let path = PathBuf::from(index_path(&part.to_string_lossy()));
        let temporary = path.with_extension("lines.tmp");
        let mut streams = ListBuilder::new(UInt32Builder::new());
        let mut grams = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            streams.values().append_slice(&block.streams);
            streams.append(true);
            let mut bytes = Vec::new();
            block.grams.write(&mut bytes)?;
            grams.push(bytes);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from_iter_values(
                self.blocks.iter().map(|b| b.first_row),
            )),
            Arc::new(UInt64Array::from_iter_values(
                self.blocks.iter().map(|b| b.rows),
            )),
            Arc::new(Int64Array::from_iter_values(
                self.blocks.iter().map(|b| b.min_ts),
            )),
            Arc::new(Int64Array::from_iter_values(
                self.blocks.iter().map(|b| b.max_ts),
            )),
            Arc::new(streams.finish()),
            Arc::new(BinaryArray::from_iter_values(grams.iter())),
        ];
        let batch = RecordBatch::try_new(INDEX_SCHEMA.clone(), columns)?;
        let streams_json = serde_json::to_string(&self.streams)
            .map_err(|e| StorageError::Encoding(e.to_string()))?;
        // Blooms are near-random bits: compressing them costs time and saves nothing.
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
            .set_column_compression(ColumnPath::from("grams"), Compression::UNCOMPRESSED)
            .set_column_dictionary_enabled(ColumnPath::from("grams"), false)
            .set_key_value_metadata(Some(vec![KeyValue::new(
                STREAMS_KEY.to_string(),
                streams_json,
            )]))
            .build();
        let file = File::create(&temporary).map_err(StorageError::io(temporary.display()))?;
        let mut writer = ArrowWriter::try_new(file, INDEX_SCHEMA.clone(), Some(properties))?;
        writer.write(&batch)?;
        let file = writer.into_inner()?;
        file.sync_all()
            .map_err(StorageError::io(temporary.display()))?;
        std::fs::rename(&temporary, &path).map_err(StorageError::io(path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
