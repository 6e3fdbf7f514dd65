//! `telemetryhub patterns`: runs the server's template miner, with its default settings, over a
//! file and writes `LineId,EventId,EventTemplate` — the format Loghub evaluations read.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use telemetryhub_patterns::{Miner, MinerConfig, PatternId};

/// Options of `telemetryhub patterns`.
#[derive(Args, Debug)]
pub struct PatternsArgs {
    /// Input: one message per line, or a CSV file with --csv-column.
    #[arg(long)]
    input: PathBuf,
    /// Output CSV: LineId,EventId,EventTemplate (patterns and templates as they are after the last
    /// line: a line whose pattern was merged into another gets the survivor's id).
    #[arg(long)]
    output: PathBuf,
    /// Read messages from this column of a CSV file with a header row (e.g. Content).
    #[arg(long)]
    csv_column: Option<String>,
}

pub fn run(args: PatternsArgs) -> anyhow::Result<()> {
    // Messages are mined as they are read and only their pattern ids kept (8 bytes a line): a
    // whole Loghub system runs to tens of gigabytes, which would not fit as strings.
    let mut miner = Miner::new(MinerConfig::default());
    let mut ids: Vec<PatternId> = Vec::new();
    let invalid = for_each_message(&args, |message| ids.push(miner.add(message).id))?;
    if invalid > 0 {
        eprintln!(
            "{invalid} messages were not valid UTF-8: each invalid sequence was read as U+FFFD"
        );
    }
    let mut writer = csv::Writer::from_path(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writer.write_record(["LineId", "EventId", "EventTemplate"])?;
    // Each pattern's final id and template, worked out once for all its lines.
    let mut resolved: HashMap<PatternId, (String, String)> = HashMap::new();
    for (line, id) in ids.iter().enumerate() {
        let (event, template) = resolved.entry(*id).or_insert_with(|| {
            // A pattern may have been merged into another after this line joined it: the line
            // belongs to the pattern its id resolves to now, as its template does. Writing the
            // id it was first given would split one event into as many groups as patterns
            // merged into it.
            let survivor = miner.resolve(*id);
            let template = miner.template(survivor).unwrap_or_default();
            (format!("E{}", survivor + 1), template)
        });
        writer.write_record([(line + 1).to_string().as_str(), event, template])?;
    }
    writer.flush()?;
    if miner.evicted() > 0 {
        eprintln!(
            "{} patterns were evicted to stay within the server's limit of {} patterns: later \
             lines of an evicted pattern's shape started a new pattern, as they would in the server",
            miner.evicted(),
            MinerConfig::default().max_patterns
        );
    }
    eprintln!(
        "{} messages, {} patterns -> {}",
        ids.len(),
        miner.len(),
        args.output.display()
    );
    Ok(())
}

/// UTF-8's byte-order mark, which some tools write at the start of a file.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// Calls `mine` with each message of the input, one per line or CSV row, in order, as it is
/// read (a progress bar on a terminal); returns how many were not valid UTF-8. Log files are not
/// always (a Latin-1 name, a truncated multi-byte character): an invalid sequence becomes U+FFFD
/// rather than failing the whole file, a CSV row shorter than the header gives an empty message,
/// so that line numbers stay those of the input, and a byte-order mark is no part of the first
/// message or column name.
fn for_each_message(args: &PatternsArgs, mut mine: impl FnMut(&str)) -> anyhow::Result<usize> {
    let file = std::fs::File::open(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let bar = crate::ingest::bytes_bar(file.metadata().map(|m| m.len()).unwrap_or(0), &args.input);
    let input = BufReader::new(bar.wrap_read(file));
    let mut invalid = 0usize;
    let mut take = |bytes: &[u8]| {
        let message = String::from_utf8_lossy(bytes);
        if let Cow::Owned(_) = message {
            invalid += 1;
        }
        mine(&message);
    };
    match &args.csv_column {
        Some(column) => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let headers = reader.byte_headers()?.clone();
            let name = |header: &[u8]| {
                String::from_utf8_lossy(header.strip_prefix(BYTE_ORDER_MARK).unwrap_or(header))
                    .to_string()
            };
            let Some(index) = headers.iter().position(|h| name(h) == *column) else {
                bail!(
                    "{} has no column {column:?} (columns: {})",
                    args.input.display(),
                    headers.iter().map(name).collect::<Vec<_>>().join(", ")
                );
            };
            let mut record = csv::ByteRecord::new();
            let mut row = 0usize;
            while reader.read_byte_record(&mut record).with_context(|| {
                format!("cannot read {} at record {}", args.input.display(), row + 1)
            })? {
                row += 1;
                take(record.get(index).unwrap_or_default());
            }
        }
        None => {
            let mut input = input;
            let mut line = Vec::new();
            let mut first = true;
            while input.read_until(b'\n', &mut line)? > 0 {
                let mut text = line.strip_suffix(b"\n").unwrap_or(&line);
                text = text.strip_suffix(b"\r").unwrap_or(text);
                if std::mem::take(&mut first) {
                    text = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
                }
                take(text);
                line.clear();
            }
        }
    }
    bar.finish_and_clear();
    Ok(invalid)
}
