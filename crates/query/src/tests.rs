use std::sync::Arc;

use telemetryhub_model::{LogQuery, SeriesQuery};
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
async fn an_empty_store_answers_empty_results() {
    let (_dir, storage) = embedded();
    let engine = crate::QueryEngine::new(storage);
    let logs = engine
        .logs(&LogQuery {
            contains: Some("50%_off".into()),
            ..conformance::all_logs("t")
        })
        .await
        .unwrap();
    assert!(logs.is_empty());
    // Storage errors keep their class through the query layer.
    let wrapped = QueryError::from(StorageError::ShuttingDown);
    assert_eq!(wrapped.retry_after_secs(), Some(5));
}
