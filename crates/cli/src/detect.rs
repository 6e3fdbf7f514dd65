//! `telemetryhub detect`: runs the anomaly detector, with the default settings the server will
//! use, over a `timestamp,value` CSV in row order, and writes `timestamp,value,anomaly_score`
//! (the format NAB evaluations read).

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use telemetryhub_anomaly::{Detector, DetectorConfig};

/// Options of `telemetryhub detect`.
#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Input CSV with a header row and columns timestamp,value.
    #[arg(long)]
    input: PathBuf,
    /// Output CSV: timestamp,value,anomaly_score.
    #[arg(long)]
    output: PathBuf,
}

pub fn run(args: DetectArgs) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_path(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(ts_column), Some(value_column)) = (column("timestamp"), column("value")) else {
        bail!(
            "{} needs the columns timestamp and value (found: {})",
            args.input.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let mut writer = csv::Writer::from_path(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writer.write_record(["timestamp", "value", "anomaly_score"])?;
    let mut detector = Detector::new(DetectorConfig::default());
    let mut rows = 0;
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let timestamp = record.get(ts_column).unwrap_or("");
        let text = record.get(value_column).unwrap_or("").trim();
        let value: f64 = text
            .parse()
            .with_context(|| format!("row {}: value {text:?} is not a number", line + 2))?;
        // With a readable timestamp the detector learns the sampling interval and the daily
        // season; without one it scores the values alone.
        let score = match telemetryhub_model::parse_timestamp_str(timestamp) {
            Ok(ts_ns) => detector.score_at(ts_ns, value),
            Err(_) => detector.score(value),
        };
        writer.write_record([timestamp, text, &format!("{score:.6}")])?;
        rows += 1;
    }
    writer.flush()?;
    eprintln!("{rows} rows scored -> {}", args.output.display());
    Ok(())
}
