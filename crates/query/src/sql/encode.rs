//! A SQL answer's body, written batch by batch as the rows arrive: JSON, CSV or an Arrow IPC
//! stream, with the encoders of the `arrow` crate.
//!
//! JSON is `{"columns":[{"name","type"}],"rows":[[…]],"truncated":bool}`: rows as arrays (the
//! column names once, not per row), each value as `arrow-json` writes it — timestamps as RFC
//! 3339 text, NaN and ±Inf as `null` (JSON has no such numbers; CSV and Arrow keep them).

use std::io::Write;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::csv::WriterBuilder as CsvWriterBuilder;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::json::writer::{EncoderOptions, make_encoder};

/// The formats an answer can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlFormat {
    /// `application/json`: column names and types, rows as arrays, and the truncation flag.
    Json,
    /// `text/csv`: a header line, then one line per row.
    Csv,
    /// `application/vnd.apache.arrow.stream`: an Arrow IPC stream.
    Arrow,
}

impl SqlFormat {
    /// The media type of answers in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            SqlFormat::Json => "application/json",
            SqlFormat::Csv => "text/csv; charset=utf-8",
            SqlFormat::Arrow => "application/vnd.apache.arrow.stream",
        }
    }
}

/// A body being written.
pub(crate) enum BodyWriter {
    Json {
        body: Vec<u8>,
        first_row: bool,
        options: EncoderOptions,
    },
    Csv {
        body: Vec<u8>,
    },
    Arrow(Box<StreamWriter<Vec<u8>>>),
}

impl BodyWriter {
    /// Starts a body of answers with `schema`.
    pub(crate) fn new(format: SqlFormat, schema: &SchemaRef) -> Result<BodyWriter, ArrowError> {
        Ok(match format {
            SqlFormat::Json => {
                let mut body = Vec::with_capacity(4096);
                body.extend_from_slice(b"{\"columns\":[");
                for (i, field) in schema.fields().iter().enumerate() {
                    if i > 0 {
                        body.push(b',');
                    }
                    body.extend_from_slice(b"{\"name\":");
                    json_string(&mut body, field.name());
                    body.extend_from_slice(b",\"type\":");
                    json_string(&mut body, &field.data_type().to_string());
                    body.push(b'}');
                }
                body.extend_from_slice(b"],\"rows\":[");
                BodyWriter::Json {
                    body,
                    first_row: true,
                    options: EncoderOptions::default(),
                }
            }
            SqlFormat::Csv => {
                // The header line, even when no row follows.
                let mut writer = CsvWriterBuilder::new().with_header(true).build(Vec::new());
                writer.write(&RecordBatch::new_empty(schema.clone()))?;
                BodyWriter::Csv {
                    body: writer.into_inner(),
                }
            }
            SqlFormat::Arrow => {
                BodyWriter::Arrow(Box::new(StreamWriter::try_new(Vec::new(), schema)?))
            }
        })
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> usize {
        match self {
            BodyWriter::Json { body, .. } | BodyWriter::Csv { body } => body.len(),
            BodyWriter::Arrow(writer) => writer.get_ref().len(),
        }
    }

    /// Appends the rows of `batch`.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), ArrowError> {
        match self {
            BodyWriter::Json {
                body,
                first_row,
                options,
            } => {
                let schema = batch.schema();
                let mut encoders = schema
                    .fields()
                    .iter()
                    .zip(batch.columns())
                    .map(|(field, array)| make_encoder(field, array.as_ref(), options))
                    .collect::<Result<Vec<_>, _>>()?;
                for row in 0..batch.num_rows() {
                    if !*first_row {
                        body.push(b',');
                    }
                    *first_row = false;
                    body.push(b'[');
                    for (i, encoder) in encoders.iter_mut().enumerate() {
                        if i > 0 {
                            body.push(b',');
                        }
                        if encoder.is_null(row) {
                            body.extend_from_slice(b"null");
                        } else {
                            encoder.encode(row, body);
                        }
                    }
                    body.push(b']');
                }
                Ok(())
            }
            BodyWriter::Csv { body } => {
                let mut writer = CsvWriterBuilder::new()
                    .with_header(false)
                    .build(std::mem::take(body));
                writer.write(batch)?;
                *body = writer.into_inner();
                Ok(())
            }
            BodyWriter::Arrow(writer) => writer.write(batch),
        }
    }

    /// The complete body; `truncated` says whether rows were left out (JSON carries it).
    pub(crate) fn finish(self, truncated: bool) -> Result<Vec<u8>, ArrowError> {
        match self {
            BodyWriter::Json { mut body, .. } => {
                write!(body, "],\"truncated\":{truncated}}}")?;
                Ok(body)
            }
            BodyWriter::Csv { body } => Ok(body),
            BodyWriter::Arrow(mut writer) => {
                writer.finish()?;
                writer.into_inner()
            }
        }
    }
}

/// Appends `text` as a JSON string.
fn json_string(out: &mut Vec<u8>, text: &str) {
    // Serialising a string into a Vec cannot fail; the fallback keeps this total anyway.
    if serde_json::to_writer(&mut *out, text).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}
