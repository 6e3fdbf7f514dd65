//! Reading raw records from a `std::io::Read`, one at a time, so that a large file is never held
//! in memory: CSV (header → values, with the `csv` crate), NDJSON (one object per line; a bad
//! line is a bad record and reading goes on), and JSON (a top-level array streamed element by
//! element, or objects one after another).
//!
//! Every record handed over gets its 0-based index in the input; a record that cannot be read as
//! a record (a line that is not JSON, an element that is not an object, a CSV row of the wrong
//! width) is handed over as a `RecordError` with its raw text, never dropped. Only a problem that
//! makes the rest unreadable (an I/O error, a bad CSV header, a malformed JSON array) stops
//! reading, as a `ReadError`.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

use serde::de::{SeqAccess, Visitor};

use crate::error::{FieldError, ReadError, RecordError};

/// One raw record: its position in the input and its fields as JSON values (CSV values are
/// strings; an empty CSV cell is no field at all).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// The 0-based position in the input.
    pub index: u64,
    /// The fields, by the input's names.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl RawRecord {
    /// The record as JSON text: what a dead-letter entry keeps, and what replays it through
    /// [`read_json`].
    pub fn to_json(&self) -> String {
        serde_json::Value::Object(self.fields.clone()).to_string()
    }

    /// A record from a JSON value, which must be an object of at most `max_fields` fields.
    pub fn from_json(
        index: u64,
        value: serde_json::Value,
        max_fields: usize,
    ) -> Result<RawRecord, RecordError> {
        match value {
            serde_json::Value::Object(fields) if fields.len() <= max_fields => {
                Ok(RawRecord { index, fields })
            }
            serde_json::Value::Object(fields) => Err(RecordError {
                index,
                errors: vec![FieldError::record(format!(
                    "the record has {} fields, more than the limit of {max_fields}",
                    fields.len()
                ))],
                raw: serde_json::Value::Object(fields).to_string(),
            }),
            other => Err(RecordError {
                index,
                errors: vec![FieldError::record(format!(
                    "expected a JSON object, found {}",
                    json_type(&other)
                ))],
                raw: other.to_string(),
            }),
        }
    }
}

/// A record read, or one that could not be read as a record.
pub type Row = Result<RawRecord, RecordError>;

/// The framing of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A JSON array of objects, or JSON objects one after another (pretty-printed or not).
    Json,
    /// One JSON object per line; a bad line does not stop reading.
    Ndjson,
    /// CSV with a header row.
    Csv,
}

impl InputFormat {
    /// The format a media type names (`application/json`, `application/x-ndjson`,
    /// `text/csv`, with or without parameters), if any.
    pub fn from_media_type(media_type: &str) -> Option<InputFormat> {
        let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => Some(InputFormat::Json),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(InputFormat::Ndjson),
            "text/csv" | "application/csv" => Some(InputFormat::Csv),
            _ => None,
        }
    }

    /// The format a file name's extension names (`.json`, `.ndjson`/`.jsonl`, `.csv`), if any.
    pub fn from_file_name(name: &str) -> Option<InputFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputFormat::Json),
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "csv" => Some(InputFormat::Csv),
            _ => None,
        }
    }

    /// Guesses the format from the first bytes: `[` is a JSON array, `{` NDJSON (which also
    /// reads a single one-line object), anything else CSV.
    pub fn sniff(first_bytes: &[u8]) -> InputFormat {
        let body = first_bytes.strip_prefix(BOM).unwrap_or(first_bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => InputFormat::Json,
            Some(b'{') => InputFormat::Ndjson,
            _ => InputFormat::Csv,
        }
    }
}

/// Limits and options of reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// At most this many records (good and bad) per input; more is a `ReadError`.
    pub max_records: u64,
    /// An NDJSON line or CSV row longer than this is a bad record (its raw text cut to
    /// [`RAW_PREFIX_BYTES`]).
    pub max_record_bytes: usize,
    /// A record with more fields than this is a bad record (a CSV header with more columns
    /// stops reading).
    pub max_fields: usize,
    /// The CSV field delimiter.
    pub csv_delimiter: u8,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_records: 100_000_000,
            max_record_bytes: 1 << 20,
            max_fields: 1_000,
            csv_delimiter: b',',
        }
    }
}

/// How much of an over-long record's text a `RecordError` keeps.
pub const RAW_PREFIX_BYTES: usize = 4096;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads records in the given format, handing each to `on_row` (which may stop reading by
/// returning `Break`). Returns how many rows were handed over.
pub fn read_records<R: Read>(
    format: InputFormat,
    reader: R,
    options: &ReadOptions,
    on_row: impl FnMut(Row) -> ControlFlow<()>,
) -> Result<u64, ReadError> {
    match format {
        InputFormat::Json => read_json(reader, options, on_row),
        InputFormat::Ndjson => read_ndjson(reader, options, on_row),
        InputFormat::Csv => read_csv(reader, options, on_row),
    }
}

/// Counts rows against the record limit and hands them over.
struct Sink<'a, F> {
    on_row: &'a mut F,
    rows: u64,
    max: u64,
}

impl<F: FnMut(Row) -> ControlFlow<()>> Sink<'_, F> {
    /// The index the next row gets, or the limit error.
    fn next_index(&self) -> Result<u64, ReadError> {
        if self.rows >= self.max {
            Err(ReadError::TooManyRecords { limit: self.max })
        } else {
            Ok(self.rows)
        }
    }

    fn push(&mut self, row: Row) -> ControlFlow<()> {
        self.rows += 1;
        (self.on_row)(row)
    }
}

/// Reads CSV with a header row. Rows whose width differs from the header's, that are not
/// UTF-8, or that are longer than the limit are bad records; an empty cell is an absent field.
pub fn read_csv<R: Read>(
    reader: R,
    options: &ReadOptions,
    mut on_row: impl FnMut(Row) -> ControlFlow<()>,
) -> Result<u64, ReadError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(options.csv_delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = csv
        .headers()
        .map_err(|e| ReadError::Header(e.to_string()))?
        .clone();
    if header.is_empty() || header.iter().all(str::is_empty) {
        return Err(ReadError::Header("the input has no header row".to_string()));
    }
    if header.len() > options.max_fields {
        return Err(ReadError::Header(format!(
            "{} columns, more than the limit of {}",
            header.len(),
            options.max_fields
        )));
    }
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    for (at, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(ReadError::Header(format!("column {} has no name", at + 1)));
        }
        if names[..at].contains(name) {
            return Err(ReadError::Header(format!("column {name:?} appears twice")));
        }
    }
    let mut sink = Sink {
        on_row: &mut on_row,
        rows: 0,
        max: options.max_records,
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => {
                    return Err(ReadError::Io(std::io::Error::other(e.to_string())));
                }
                // Other errors concern one row (the reader resumes at the next).
                _ => {
                    let index = sink.next_index()?;
                    let bad = RecordError {
                        index,
                        errors: vec![FieldError::record(format!("unreadable CSV row: {e}"))],
                        raw: String::new(),
                    };
                    if sink.push(Err(bad)).is_break() {
                        break;
                    }
                    continue;
                }
            },
        }
        let index = sink.next_index()?;
        let row = csv_row(index, &names, &record, options);
        if sink.push(row).is_break() {
            break;
        }
    }
    Ok(sink.rows)
}

/// One CSV row as a record, or why it is not one.
fn csv_row(index: u64, names: &[String], record: &csv::ByteRecord, options: &ReadOptions) -> Row {
    let bytes = record.as_slice().len();
    let bad = |reason: String| RecordError {
        index,
        errors: vec![FieldError::record(reason)],
        raw: csv_text(record),
    };
    if bytes > options.max_record_bytes {
        let mut raw = csv_text(record);
        truncate_at_char(&mut raw, RAW_PREFIX_BYTES);
        return Err(RecordError {
            index,
            errors: vec![FieldError::record(format!(
                "the row is longer than the limit of {} bytes",
                options.max_record_bytes
            ))],
            raw,
        });
    }
    if record.len() != names.len() {
        return Err(bad(format!(
            "the row has {} fields, the header {}",
            record.len(),
            names.len()
        )));
    }
    let mut fields = serde_json::Map::new();
    for (name, cell) in names.iter().zip(record.iter()) {
        let text = match std::str::from_utf8(cell) {
            Ok(text) => text,
            Err(_) => return Err(bad(format!("column {name:?} is not valid UTF-8"))),
        };
        if !text.is_empty() {
            fields.insert(name.clone(), serde_json::Value::String(text.to_string()));
        }
    }
    Ok(RawRecord { index, fields })
}

/// A CSV row written back as CSV text (invalid UTF-8 replaced), for a bad record's raw form.
fn csv_text(record: &csv::ByteRecord) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let bytes = match writer.write_byte_record(record) {
        Ok(()) => writer.into_inner().unwrap_or_default(),
        Err(_) => record.as_slice().to_vec(),
    };
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

/// Cuts a string to at most `max` bytes, at a character boundary.
fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut at = max;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
}

/// Reads one JSON object per line. Blank lines are skipped (and not counted); a line that is
/// not a JSON object, or is longer than the limit, is a bad record and reading goes on at the
/// next line. `\r\n` line ends and a leading byte-order mark are accepted.
pub fn read_ndjson<R: Read>(
    reader: R,
    options: &ReadOptions,
    mut on_row: impl FnMut(Row) -> ControlFlow<()>,
) -> Result<u64, ReadError> {
    let mut reader = BufReader::new(reader);
    let mut sink = Sink {
        on_row: &mut on_row,
        rows: 0,
        max: options.max_records,
    };
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let limit = options.max_record_bytes as u64 + 1;
        let read = (&mut reader).take(limit).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let too_long = line.len() as u64 >= limit && line.last() != Some(&b'\n');
        if too_long {
            skip_line(&mut reader)?;
        }
        let mut text: &[u8] = &line;
        if first {
            text = text.strip_prefix(BOM).unwrap_or(text);
            first = false;
        }
        let text = text.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let index = sink.next_index()?;
        let row = if too_long {
            let mut raw = String::from_utf8_lossy(text).into_owned();
            truncate_at_char(&mut raw, RAW_PREFIX_BYTES);
            Err(RecordError {
                index,
                errors: vec![FieldError::record(format!(
                    "the line is longer than the limit of {} bytes",
                    options.max_record_bytes
                ))],
                raw,
            })
        } else {
            match serde_json::from_slice::<serde_json::Value>(text) {
                Ok(value) => RawRecord::from_json(index, value, options.max_fields),
                Err(e) => Err(RecordError {
                    index,
                    errors: vec![FieldError::record(format!("invalid JSON: {e}"))],
                    raw: String::from_utf8_lossy(text).into_owned(),
                }),
            }
        };
        if sink.push(row).is_break() {
            break;
        }
    }
    Ok(sink.rows)
}

/// Skips the rest of an over-long line without holding it.
fn skip_line<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = buf.len();
                reader.consume(len);
            }
        }
    }
}

/// Reads a JSON array of objects element by element, or JSON objects one after another (with
/// any whitespace between them). An element that is not an object is a bad record; JSON that
/// does not parse stops reading (a `ReadError` after the records before it were handed over),
/// since nothing marks where the next record would start.
pub fn read_json<R: Read>(
    reader: R,
    options: &ReadOptions,
    mut on_row: impl FnMut(Row) -> ControlFlow<()>,
) -> Result<u64, ReadError> {
    let mut reader = BufReader::new(reader);
    // Skip a byte-order mark and peek at the first token.
    {
        let buf = reader.fill_buf()?;
        if buf.starts_with(BOM) {
            reader.consume(BOM.len());
        }
    }
    let is_array = loop {
        let buf = reader.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => {
                let first = buf[at];
                reader.consume(at);
                break first == b'[';
            }
            None if buf.is_empty() => return Ok(0),
            None => {
                let len = buf.len();
                reader.consume(len);
            }
        }
    };
    let mut sink = Sink {
        on_row: &mut on_row,
        rows: 0,
        max: options.max_records,
    };
    let json_error = |rows: u64, e: serde_json::Error| ReadError::Json {
        records: rows,
        reason: e.to_string(),
    };
    if is_array {
        let mut de = serde_json::Deserializer::from_reader(&mut reader);
        let mut outcome = Outcome::Done;
        let result = serde::Deserializer::deserialize_seq(
            &mut de,
            ArrayVisitor {
                sink: &mut sink,
                max_fields: options.max_fields,
                outcome: &mut outcome,
            },
        );
        match (outcome, result) {
            (Outcome::Stopped, _) => return Ok(sink.rows),
            (Outcome::Limit(e), _) => return Err(e),
            (Outcome::Done, Err(e)) => return Err(json_error(sink.rows, e)),
            (Outcome::Done, Ok(())) => {}
        }
        de.end().map_err(|e| json_error(sink.rows, e))?;
        return Ok(sink.rows);
    }
    let stream =
        serde_json::Deserializer::from_reader(&mut reader).into_iter::<serde_json::Value>();
    for value in stream {
        let value = value.map_err(|e| json_error(sink.rows, e))?;
        let index = sink.next_index()?;
        let row = RawRecord::from_json(index, value, options.max_fields);
        if sink.push(row).is_break() {
            break;
        }
    }
    Ok(sink.rows)
}

/// How reading an array ended, besides what serde reports.
enum Outcome {
    /// At the array's end, or at a JSON error serde reports.
    Done,
    /// The callback asked to stop.
    Stopped,
    /// The record limit was reached.
    Limit(ReadError),
}

/// Hands each element of a top-level array to the sink as it is parsed, so the array is never
/// held whole.
struct ArrayVisitor<'a, 'b, F> {
    sink: &'a mut Sink<'b, F>,
    max_fields: usize,
    outcome: &'a mut Outcome,
}

impl<'de, F: FnMut(Row) -> ControlFlow<()>> Visitor<'de> for ArrayVisitor<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let index = match self.sink.next_index() {
                Ok(index) => index,
                Err(e) => {
                    *self.outcome = Outcome::Limit(e);
                    return Err(A::Error::custom("record limit"));
                }
            };
            let row = RawRecord::from_json(index, value, self.max_fields);
            if self.sink.push(row).is_break() {
                *self.outcome = Outcome::Stopped;
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
