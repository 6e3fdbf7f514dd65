//! `telemetryhub patterns`: runs the server's template miner, with its default settings, over a
//! file and writes `LineId,EventId,EventTemplate` — the format Loghub evaluations read.

use std::borrow::Cow;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use telemetryhub_patterns::{Miner, MinerConfig};

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
    let messages = read_messages(&args)?;
    let mut miner = Miner::new(MinerConfig::default());
    let ids: Vec<u64> = messages.iter().map(|m| miner.add(m).id).collect();
    let mut writer = csv::Writer::from_path(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writer.write_record(["LineId", "EventId", "EventTemplate"])?;
    for (line, id) in ids.iter().enumerate() {
        // A pattern may have been merged into another after this line joined it: the line
        // belongs to the pattern its id resolves to now, as its template does. Writing the id it
        // was first given would split one event into as many groups as patterns merged into it.
        let id = miner.resolve(*id);
        let template = miner.template(id).unwrap_or_default();
        writer.write_record([(line + 1).to_string(), format!("E{}", id + 1), template])?;
    }
    writer.flush()?;
    eprintln!(
        "{} messages, {} patterns -> {}",
        messages.len(),
        miner.len(),
        args.output.display()
    );
    Ok(())
}

/// The messages of the input, one per line or CSV row, in order. Log files are not always valid
/// UTF-8 (a Latin-1 name, a truncated multi-byte character): an invalid byte becomes U+FFFD
/// rather than failing the whole file, and a CSV row shorter than the header gives an empty
/// message, so that line numbers stay those of the input.
fn read_messages(args: &PatternsArgs) -> anyhow::Result<Vec<String>> {
    let open = || {
        std::fs::File::open(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))
    };
    let mut messages = Vec::new();
    let mut invalid = 0usize;
    let mut push = |bytes: &[u8]| {
        let message = String::from_utf8_lossy(bytes);
        if let Cow::Owned(_) = message {
            invalid += 1;
        }
        messages.push(message.into_owned());
    };
    match &args.csv_column {
        Some(column) => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(open()?);
            let headers = reader.byte_headers()?.clone();
            let name = |header: &[u8]| {
                String::from_utf8_lossy(header)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            };
            let Some(index) = headers.iter().position(|h| name(h) == *column) else {
                bail!(
                    "{} has no column {column:?} (columns: {})",
                    args.input.display(),
                    headers.iter().map(name).collect::<Vec<_>>().join(", ")
                );
            };
            for (row, record) in reader.byte_records().enumerate() {
                let record = record.with_context(|| {
                    format!(
                        "{}: record {} is not valid CSV",
                        args.input.display(),
                        row + 1
                    )
                })?;
                push(record.get(index).unwrap_or_default());
            }
        }
        None => {
            for line in BufReader::new(open()?).split(b'\n') {
                let line = line?;
                push(line.strip_suffix(b"\r").unwrap_or(&line));
            }
        }
    }
    if invalid > 0 {
        eprintln!("{invalid} messages were not valid UTF-8: each invalid byte was read as U+FFFD");
    }
    Ok(messages)
}
