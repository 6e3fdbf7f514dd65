//! The `telemetryhub` binary: `serve` runs the server, `ingest` sends record files to it,
//! `bench ingest` generates load.

mod allocator;
mod bench;
mod config;
mod detect;
mod ingest;
mod patterns;
mod serve;

use clap::{Parser, Subcommand};

/// One binary observability backend: metrics, logs, anomalies, log patterns.
#[derive(Parser)]
#[command(name = "telemetryhub", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (zero-config: embedded storage under ./data, HTTP on 0.0.0.0:8000).
    Serve(Box<config::ServeArgs>),
    /// Score a timestamp,value CSV with the anomaly detector (writes timestamp,value,anomaly_score).
    Detect(detect::DetectArgs),
    /// Mine log templates from a file with the server's miner (writes LineId,EventId,EventTemplate).
    Patterns(patterns::PatternsArgs),
    /// Send files of execution records (JSON array, NDJSON, CSV) to a server's POST /ingest/file,
    /// with a progress bar; prints what was accepted and rejected.
    Ingest(ingest::IngestArgs),
    /// Load generators and benchmarks.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Bench(command) => bench::run(command),
        Command::Patterns(args) => patterns::run(args),
        Command::Detect(args) => detect::run(args),
        Command::Ingest(args) => ingest::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
