//! `telemetryhub serve`: open storage, serve HTTP, shut down gracefully on SIGTERM/SIGINT.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use telemetryhub_intelligence::anomalies::{AnomalyJob, AnomalyJobConfig};
use telemetryhub_intelligence::llm::LlmClient;
use telemetryhub_intelligence::summaries::SummaryJob;
use telemetryhub_patterns::MinerConfig;
use telemetryhub_pipeline::PatternTagger;
use telemetryhub_query::Backend;
use telemetryhub_receivers::Limits;
use telemetryhub_scrape::ScrapeManager;
use telemetryhub_server::{AppState, ServerConfig, app, serve_otlp_grpc};
use telemetryhub_storage::{DataStore, EmbeddedConfig, EmbeddedStorage};
use tracing_subscriber::EnvFilter;

use crate::config::{AnomalyModel, LogFormat, ServeArgs, Settings};

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = args.resolve()?;
    init_logging(&settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("telemetryhub")
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(serve(settings));
    // The stdin watcher (--exit-on-stdin-eof) sits in a blocking read that never returns while
    // the pipe stays open; dropping the runtime would wait for it forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

fn init_logging(settings: &Settings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.log_level)
        .with_context(|| format!("invalid --log-level {:?}", settings.log_level))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match settings.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Pretty => builder.init(),
    }
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let mut storage_config = EmbeddedConfig::new(&settings.data_dir);
    storage_config.retention_ns = i64::try_from(settings.retention.as_nanos()).unwrap_or(i64::MAX);
    storage_config.rollup_retention_ns =
        i64::try_from(settings.rollup_retention.as_nanos()).unwrap_or(i64::MAX);
    storage_config.rollups = settings.rollups;
    storage_config.flush_interval = settings.flush_interval;
    storage_config.flush_bytes = settings.flush_bytes;
    storage_config.max_buffer_bytes = settings.max_buffer_bytes;
    storage_config.max_dead_letters = settings.max_dead_letters;
    storage_config.sample_cache_bytes = settings.sample_cache_bytes;
    let data_dir = settings.data_dir.display().to_string();
    let storage = tokio::task::spawn_blocking(move || EmbeddedStorage::open(storage_config))
        .await
        .context("storage start-up task failed")?
        .with_context(|| format!("cannot open the data directory {data_dir}"))?;
    storage.start_background();
    let storage = Arc::new(storage);
    let backend = Backend::of(storage.clone());
    let limits = Limits {
        max_body_bytes: settings.max_body_bytes,
        max_items: settings.max_items,
        max_labels: settings.max_labels,
        max_message_len: settings.max_message_bytes,
        max_age_ns: i64::try_from(settings.retention.as_nanos()).unwrap_or(i64::MAX),
        ..Limits::default()
    };
    let stored_patterns = backend
        .state
        .load_patterns()
        .await
        .context("cannot load log patterns")?;
    let patterns = Arc::new(PatternTagger::restore(
        MinerConfig {
            max_patterns: settings.max_log_patterns,
            extra_masks: settings.log_pattern_masks.clone(),
            ..MinerConfig::default()
        },
        stored_patterns,
    ));
    let records = telemetryhub_intelligence::records::RecordsPipeline::with_retention(
        &settings.records,
        i64::try_from(settings.retention.as_nanos()).unwrap_or(i64::MAX),
    )
    .context("invalid records configuration")?;
    let state = AppState::new(
        backend.clone(),
        patterns.clone(),
        ServerConfig {
            app_name: settings.app_name.clone(),
            limits,
            mine_patterns: settings.log_patterns,
            promql: settings.promql.clone(),
            records: records.clone(),
            max_file_bytes: settings.max_file_bytes,
            logql: settings.logql.clone(),
            sql: settings.sql.clone(),
            ..ServerConfig::default()
        },
    );
    let llm = settings
        .llm
        .clone()
        .map(LlmClient::new)
        .transpose()
        .context("cannot set up the LLM client")?;
    if let Some(config) = &settings.llm {
        tracing::info!(url = %config.url, model = %config.model, "pattern summaries by LLM, with rule-based fallback");
    }
    let summary_job = Arc::new(SummaryJob::new(backend.clone(), patterns.clone(), llm));
    let stop_jobs = Arc::new(tokio::sync::Notify::new());
    let summary_task = summary_job.spawn(settings.summary_interval, stop_jobs.clone());
    let anomaly_job = Arc::new(
        AnomalyJob::restore(
            backend.clone(),
            AnomalyJobConfig {
                max_series: settings.anomaly_max_series,
                ..match settings.anomaly_model {
                    AnomalyModel::Contextual => AnomalyJobConfig::default(),
                    AnomalyModel::Statistical => AnomalyJobConfig::statistical(),
                }
            },
        )
        .await
        .context("cannot load the anomaly job's state")?,
    );
    let stop_anomalies = Arc::new(tokio::sync::Notify::new());
    let anomaly_task = anomaly_job.spawn(settings.anomaly_interval, stop_anomalies.clone());
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener
        .local_addr()
        .context("cannot read the bound address")?;
    // Scraping, once the port is ours (a server that cannot listen scrapes nothing): the same
    // durable write path as remote_write; the targets API and `/-/reload`
    // reach it through the server state, SIGHUP through the task below.
    let scrape_sources = settings.scrape.clone();
    let scraper = Arc::new(ScrapeManager::new(
        storage.clone(),
        Arc::new(move || scrape_sources.load()),
    ));
    scraper.reload().await.context("cannot start scraping")?;
    state.set_scraper(scraper.clone());
    let reload_on_hangup = tokio::spawn(reload_on_sighup(scraper.clone()));
    // Kafka sources: records through the same write path as POST /ingest/file.
    let (stop_kafka, _) = tokio::sync::watch::channel(false);
    let kafka_tasks = start_kafka(
        &settings,
        &backend,
        &patterns,
        records.as_ref(),
        &stop_kafka,
    )?;
    tracing::info!(%address, data_dir = %settings.data_dir.display(), "TelemetryHub is serving");
    // A plain line on stdout that scripts and tests can wait for (the port may be ephemeral).
    println!("telemetryhub listening on http://{address}");
    let _ = std::io::stdout().flush();
    // OTLP/HTTP's own port (4318 by default) serves the same routes, so exporters configured
    // with the standard endpoint work unchanged.
    let otlp_http_listener =
        bind_optional(settings.otlp_http_listen, "otlp-http-listen", "otlp-http").await?;
    let otlp_grpc_listener =
        bind_optional(settings.otlp_grpc_listen, "otlp-grpc-listen", "otlp-grpc").await?;
    let shutdown_state = state.clone();
    let exit_on_stdin_eof = settings.exit_on_stdin_eof;
    let (stop_http, _) = tokio::sync::watch::channel(false);
    let stopped = |mut receiver: tokio::sync::watch::Receiver<bool>| async move {
        let _ = receiver.wait_for(|stop| *stop).await;
    };
    let otlp_http_server = otlp_http_listener.map(|listener| {
        tokio::spawn(
            axum::serve(listener, app(state.clone()).into_make_service())
                .with_graceful_shutdown(stopped(stop_http.subscribe()))
                .into_future(),
        )
    });
    let otlp_grpc_server = otlp_grpc_listener.map(|listener| {
        tokio::spawn(serve_otlp_grpc(
            listener,
            state.clone(),
            stopped(stop_http.subscribe()),
        ))
    });
    // Routes are made ready once here; served as a bare router, axum would rebuild them for
    // every connection (a tenth of a one-series query's time when each query connects anew).
    let main_server = axum::serve(listener, app(state).into_make_service())
        .with_graceful_shutdown(stopped(stop_http.subscribe()));
    let signal = async {
        wait_for_stop(exit_on_stdin_eof).await;
        shutdown_state.begin_shutdown();
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_http.send(true);
    };
    let (served, ()) = tokio::join!(main_server, signal);
    served.context("the HTTP server failed")?;
    for (name, server) in [
        ("OTLP/HTTP", otlp_http_server),
        ("OTLP/gRPC", otlp_grpc_server),
    ] {
        if let Some(server) = server {
            server
                .await
                .with_context(|| format!("the {name} server task failed"))?
                .with_context(|| format!("the {name} server failed"))?;
        }
    }
    reload_on_hangup.abort();
    scraper.shutdown().await;
    // A consumer finishes the batch it is writing and commits it; one whose write keeps
    // failing is given up on (its offsets stay uncommitted, so the batch is read again).
    let _ = stop_kafka.send(true);
    let consumers = futures::future::join_all(kafka_tasks);
    if tokio::time::timeout(std::time::Duration::from_secs(30), consumers)
        .await
        .is_err()
    {
        tracing::warn!(
            "Kafka consumers did not stop within 30 s; their last batch will be read again"
        );
    }
    // A stored permit: a job that is mid-run sees it when it next waits.
    stop_jobs.notify_one();
    stop_anomalies.notify_one();
    // A job may be waiting on an LLM answer; do not let it hold up the shutdown for long.
    let jobs = async {
        let _ = summary_task.await;
        let _ = anomaly_task.await;
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), jobs).await;
    tracing::info!("flushing buffered data");
    storage
        .as_ref()
        .shutdown()
        .await
        .context("flush at shutdown failed")?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Starts one consumer per configured Kafka source (none without any).
fn start_kafka(
    settings: &Settings,
    backend: &Backend,
    patterns: &Arc<PatternTagger>,
    records: Option<&Arc<telemetryhub_intelligence::records::RecordsPipeline>>,
    stop: &tokio::sync::watch::Sender<bool>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    telemetryhub_kafka::register_metrics(&settings.kafka);
    if settings.kafka.is_empty() {
        return Ok(Vec::new());
    }
    let records = records.context("Kafka sources need records mappings ([sources.<name>])")?;
    settings
        .kafka
        .iter()
        .map(|source| {
            let consumer = telemetryhub_kafka::KafkaConsumer::new(
                source.clone(),
                backend.clone(),
                settings.log_patterns.then(|| patterns.clone()),
                records.clone(),
            )
            .with_context(|| format!("cannot start the Kafka source {:?}", source.name))?;
            Ok(consumer.spawn(stop.subscribe()))
        })
        .collect()
}

/// Re-reads the scrape configuration at every SIGHUP, as Prometheus does.
async fn reload_on_sighup(scraper: Arc<ScrapeManager>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
    else {
        tracing::warn!(
            "cannot listen for SIGHUP; reload the scrape configuration with POST /-/reload"
        );
        return;
    };
    while hangups.recv().await.is_some() {
        tracing::info!("SIGHUP: reloading the scrape configuration");
        // A refused configuration is logged by the manager and the running one kept.
        let _ = scraper.reload().await;
    }
}

/// Binds an optional listener and announces it on stdout (`telemetryhub <what> listening on
/// http://ADDRESS`), as the main listener is.
async fn bind_optional(
    address: Option<std::net::SocketAddr>,
    option: &str,
    what: &str,
) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    let Some(address) = address else {
        return Ok(None);
    };
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} (--{option}; \"off\" disables it)"))?;
    let bound = listener
        .local_addr()
        .context("cannot read the bound address")?;
    tracing::info!(address = %bound, "{what} is serving");
    println!("telemetryhub {what} listening on http://{bound}");
    let _ = std::io::stdout().flush();
    Ok(Some(listener))
}

async fn wait_for_stop(exit_on_stdin_eof: bool) {
    let stdin_closed = async {
        if exit_on_stdin_eof {
            let mut stdin = tokio::io::stdin();
            let mut sink = [0u8; 64];
            loop {
                match tokio::io::AsyncReadExt::read(&mut stdin, &mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => continue,
                }
            }
        } else {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("received SIGINT"),
        _ = terminate => tracing::info!("received SIGTERM"),
        _ = stdin_closed => tracing::info!("standard input closed"),
    }
}
