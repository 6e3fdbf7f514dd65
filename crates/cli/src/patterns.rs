//! `telemetryhub patterns`: runs the server's template miner, with its default settings, over a
//! file and writes `LineId,EventId,EventTemplate` — the format Loghub evaluations read.

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
    /// Output CSV: LineId,EventId,EventTemplate (templates as they are after the last line).
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
        let template = miner.template(*id).unwrap_or_default();
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

fn read_messages(args: &PatternsArgs) -> anyhow::Result<Vec<String>> {
    let open = || {
        std::fs::File::open(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))
    };
    match &args.csv_column {
        Some(column) => {
            let mut reader = csv::Reader::from_reader(open()?);
            let headers = reader.headers()?.clone();
            let Some(index) = headers.iter().position(|h| h == column) else {
                bail!(
                    "{} has no column {column:?} (columns: {})",
                    args.input.display(),
                    headers.iter().collect::<Vec<_>>().join(", ")
                );
            };
            let mut messages = Vec::new();
            for record in reader.records() {
                messages.push(record?.get(index).unwrap_or("").to_string());
            }
            Ok(messages)
        }
        None => {
            let mut messages = Vec::new();
            for line in BufReader::new(open()?).lines() {
                messages.push(line?.trim_end_matches('\r').to_string());
            }
            Ok(messages)
        }
    }
}
