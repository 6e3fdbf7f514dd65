//! `telemetryhub ingest FILE… --source NAME`: streams each file of execution records to a
//! server's `POST /ingest/file` (never reading it whole), with a progress bar of the bytes sent
//! on stderr, and prints what the server accepted and rejected.
//!
//! The format is left to the server (Content-Type from the file name, else its first bytes)
//! unless `--format` names it. A file the server refuses stops nothing: the others are sent,
//! and the command fails at the end.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use tokio::io::AsyncReadExt;

/// Options of `telemetryhub ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files of records: a JSON array, NDJSON (.ndjson, .jsonl) or CSV with a header.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The configured source (mapping) the records are read with.
    #[arg(long)]
    pub source: String,
    /// The server's base URL.
    #[arg(
        long,
        env = "TELEMETRYHUB_URL",
        default_value = "http://127.0.0.1:8000"
    )]
    pub url: String,
    /// The tenant (sent as X-Scope-OrgID) [default: the server's default tenant].
    #[arg(long)]
    pub tenant: Option<String>,
    /// The format of every file: json, ndjson or csv [default: from the file name, else the
    /// server sniffs it].
    #[arg(long)]
    pub format: Option<String>,
}

/// The server's answer.
#[derive(Debug, Deserialize)]
struct Answer {
    accepted: u64,
    rejected: u64,
    #[serde(default)]
    errors: Vec<AnswerError>,
}

#[derive(Debug, Deserialize)]
struct AnswerError {
    index: u64,
    field: Option<String>,
    reason: String,
}

/// Bytes read from a file per piece of the request body.
const PIECE_BYTES: usize = 256 * 1024;

/// Runs the command.
pub fn run(args: IngestArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(send_all(args))
}

async fn send_all(args: IngestArgs) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let (mut accepted, mut rejected, mut failed) = (0u64, 0u64, 0usize);
    for path in &args.files {
        match send(&client, &args, path).await {
            Ok(answer) => {
                println!(
                    "{}: accepted {}, rejected {}",
                    path.display(),
                    answer.accepted,
                    answer.rejected
                );
                for error in &answer.errors {
                    println!(
                        "  record {}: {}{}",
                        error.index,
                        error
                            .field
                            .as_deref()
                            .map(|f| format!("field {f:?}: "))
                            .unwrap_or_default(),
                        error.reason
                    );
                }
                accepted += answer.accepted;
                rejected += answer.rejected;
            }
            Err(error) => {
                eprintln!("{}: {error:#}", path.display());
                failed += 1;
            }
        }
    }
    println!("total: accepted {accepted}, rejected {rejected}");
    if failed > 0 {
        bail!("{failed} of {} files were not ingested", args.files.len());
    }
    Ok(())
}

/// The Content-Type a file name suggests.
fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => "application/json",
        Some("ndjson" | "jsonl") => "application/x-ndjson",
        Some("csv") => "text/csv",
        _ => "application/octet-stream",
    }
}

/// A progress bar of `size` bytes read from `path` (drawn only on a terminal).
pub(crate) fn bytes_bar(size: u64, path: &Path) -> ProgressBar {
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(path.display().to_string());
    bar
}

/// Streams one file and reads the answer.
async fn send(client: &reqwest::Client, args: &IngestArgs, path: &Path) -> anyhow::Result<Answer> {
    let file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let bar = bytes_bar(size, path);
    let progress = bar.clone();
    let body = futures::stream::unfold(file, move |mut file| {
        let progress = progress.clone();
        async move {
            let mut piece = vec![0u8; PIECE_BYTES];
            match file.read(&mut piece).await {
                Ok(0) => None,
                Ok(n) => {
                    piece.truncate(n);
                    progress.inc(n as u64);
                    Some((Ok::<_, std::io::Error>(piece), file))
                }
                Err(error) => Some((Err(error), file)),
            }
        }
    });
    let mut url = reqwest::Url::parse(&format!("{}/ingest/file", args.url.trim_end_matches('/')))
        .with_context(|| format!("invalid --url {:?}", args.url))?;
    url.query_pairs_mut().append_pair("source", &args.source);
    if let Some(format) = &args.format {
        url.query_pairs_mut().append_pair("format", format);
    }
    let mut request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, content_type(path))
        .header(reqwest::header::CONTENT_LENGTH, size)
        .body(reqwest::Body::wrap_stream(body));
    if let Some(tenant) = &args.tenant {
        request = request.header("X-Scope-OrgID", tenant);
    }
    let response = request.send().await;
    bar.finish_and_clear();
    let response = response.with_context(|| format!("cannot reach {}", args.url))?;
    let status = response.status();
    let text = response.text().await.context("cannot read the answer")?;
    if !status.is_success() {
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or(text);
        bail!("the server answered {status}: {message}");
    }
    serde_json::from_str(&text).with_context(|| format!("unexpected answer {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_file_name() {
        assert_eq!(content_type(Path::new("a.JSON")), "application/json");
        assert_eq!(content_type(Path::new("a.jsonl")), "application/x-ndjson");
        assert_eq!(content_type(Path::new("dir/a.csv")), "text/csv");
        assert_eq!(content_type(Path::new("a")), "application/octet-stream");
    }
}
