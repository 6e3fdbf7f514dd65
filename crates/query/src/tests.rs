use std::sync::Arc;

use telemetryhub_model::{Level, LogQuery, LogRecord, LogsWrite, SeriesQuery};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage, StorageError};

use crate::conformance::{self, all_metrics};
use crate::{Backend, QueryError};

fn embedded() -> (tempfile::TempDir, Arc<EmbeddedStorage>) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    (dir, storage)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_store_passes_the_data_conformance_suite() {
    let (_dir, storage) = embedded();
    let backend = Backend::of(storage.clone());
    conformance::run_all(&backend).await;
    telemetryhub_storage::DataStore::shutdown(storage.as_ref())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_step_is_an_invalid_argument() {
    let (_dir, storage) = embedded();
    let engine = crate::QueryEngine::new(storage);
    let query = SeriesQuery {
        select: all_metrics("t"),
        step_ns: 0,
        aggregation: telemetryhub_model::Aggregation::Avg,
    };
    let refused = engine.series(&query).await;
    assert!(
        matches!(refused, Err(QueryError::InvalidArgument(_))),
        "{refused:?}"
    );
    assert_eq!(
        refused.unwrap_err().code(),
        telemetryhub_model::ErrorCode::InvalidArgument
    );
    let histogram = engine.pattern_histogram("t", &[1], 0, 10, -1).await;
    assert!(matches!(histogram, Err(QueryError::InvalidArgument(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_search_matches_literally() {
    let (_dir, storage) = embedded();
    let backend = Backend::of(storage);
    let line = |message: &str| LogRecord {
        message: message.to_string(),
        ..conformance_log()
    };
    let lines = LogsWrite {
        records: vec![line("50%_off today"), line("500 off"), line("50 % off")],
        ..LogsWrite::new("t")
    };
    backend.data.write_logs(lines).await.unwrap();
    let found = backend
        .query
        .logs(&LogQuery {
            contains: Some("50%_off".into()),
            ..conformance::all_logs("t")
        })
        .await
        .unwrap();
    let messages: Vec<&str> = found.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(messages, vec!["50%_off today"], "% and _ are not wildcards");
    // Storage errors keep their class through the query layer.
    let wrapped = QueryError::from(StorageError::ShuttingDown);
    assert_eq!(wrapped.retry_after_secs(), Some(5));
}

fn conformance_log() -> LogRecord {
    LogRecord {
        tenant: "t".into(),
        service: "api".into(),
        level: Level::Info,
        message: String::new(),
        ts_ns: conformance::BASE_NS,
        context: None,
        trace_id: None,
        span_id: None,
        pattern_id: None,
    }
}
