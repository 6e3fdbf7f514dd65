use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;
use telemetryhub_model::{
    ErrorCode, Level, LogRecord, LogsWrite, Span, SpanKind, SpanStatus, SpansWrite,
};
use telemetryhub_storage::{EmbeddedConfig, EmbeddedStorage};

use crate::conformance::BASE_NS;
use crate::{Backend, QueryError, TraceSearch};

const MS: i64 = 1_000_000;
const TENANT: &str = "t";

fn trace_id(n: u8) -> String {
    format!("{n:032x}")
}

fn span(trace: u8, id: u8, parent: Option<u8>, service: &str, start_ms: i64) -> Span {
    Span {
        tenant: TENANT.into(),
        trace_id: trace_id(trace),
        span_id: format!("{id:016x}"),
        parent_span_id: parent.map(|p| format!("{p:016x}")),
        service: service.into(),
        name: format!("op {id}"),
        kind: SpanKind::Server,
        start_ns: BASE_NS + start_ms * MS,
        duration_ns: 10 * MS,
        status: SpanStatus::Unset,
        status_message: None,
        attributes: None,
        events: None,
        links: None,
    }
}

fn line(trace: Option<u8>, message: &str, at_ms: i64) -> LogRecord {
    LogRecord {
        tenant: TENANT.into(),
        service: "payments".into(),
        level: Level::Info,
        message: message.into(),
        ts_ns: BASE_NS + at_ms * MS,
        context: None,
        trace_id: trace.map(trace_id),
        span_id: None,
        pattern_id: None,
        stream_labels: None,
    }
}

async fn backend_with(spans: Vec<Span>, logs: Vec<LogRecord>) -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(EmbeddedStorage::open(EmbeddedConfig::new(dir.path())).unwrap());
    let backend = Backend::of(storage);
    backend
        .data
        .write_spans(SpansWrite {
            tenant: TENANT.into(),
            spans,
            idempotency: None,
        })
        .await
        .unwrap();
    let ids = vec![None; logs.len()];
    backend
        .data
        .write_logs(LogsWrite {
            tenant: TENANT.into(),
            records: logs,
            item_ids: ids,
            idempotency: None,
            patterns: Vec::new(),
        })
        .await
        .unwrap();
    (dir, backend)
}

fn ids_of(spans: &[Span]) -> Vec<String> {
    spans.iter().map(|s| s.span_id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_is_its_spans_as_trees_with_the_lines_written_inside_it() {
    let mut charge = span(1, 2, Some(1), "payments", 20);
    charge.status = SpanStatus::Error;
    let trace_one = vec![span(1, 1, None, "frontend", 0), charge];
    let (_dir, backend) = backend_with(
        trace_one.clone(),
        vec![
            line(Some(1), "card declined", 25),
            line(Some(1), "retrying", 26),
            line(Some(2), "another trace", 27),
            line(None, "no trace", 28),
        ],
    )
    .await;
    // An exporter retried the batch that had in fact arrived: every span is stored twice.
    backend
        .data
        .write_spans(SpansWrite {
            tenant: TENANT.into(),
            spans: trace_one,
            idempotency: None,
        })
        .await
        .unwrap();

    let trace = backend
        .query
        .trace(TENANT, &trace_id(1), 100, 10)
        .await
        .unwrap();
    assert_eq!(trace.span_count, 2, "each span once");
    assert_eq!(trace.services, vec!["frontend", "payments"]);
    assert_eq!(trace.error_count, 1);
    assert!(!trace.truncated);
    assert_eq!(trace.roots.len(), 1);
    assert_eq!(trace.roots[0].children[0].span.name, "op 2");
    let messages: Vec<&str> = trace.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages, vec!["card declined", "retrying"], "oldest first");

    let newest_line = backend
        .query
        .trace(TENANT, &trace_id(1), 100, 1)
        .await
        .unwrap();
    assert_eq!(newest_line.logs[0].message, "retrying");
    let cut = backend
        .query
        .trace(TENANT, &trace_id(1), 3, 10)
        .await
        .unwrap();
    assert!(cut.truncated, "four stored rows, three read");

    let spans = backend
        .query
        .trace_spans(TENANT, &trace_id(1), 100)
        .await
        .unwrap();
    assert_eq!(
        ids_of(&spans),
        vec![format!("{:016x}", 1), format!("{:016x}", 2)],
        "earliest first, each once"
    );

    for (tenant, trace) in [(TENANT, 9), ("other", 1)] {
        let error = backend
            .query
            .trace(tenant, &trace_id(trace), 100, 10)
            .await
            .unwrap_err();
        assert!(
            matches!(&error, QueryError::TraceNotFound(id) if *id == trace_id(trace)),
            "{error:?}"
        );
        assert_eq!(error.code(), ErrorCode::NotFound);
    }
    let missing = backend.query.trace_spans(TENANT, &trace_id(9), 100).await;
    assert_eq!(
        missing.unwrap_err().to_string(),
        format!("no trace with id {}", trace_id(9))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_search_keeps_the_newest_traces_with_a_matching_span() {
    // Three traces a second apart, each a frontend root and a payments child; the second's
    // root is tagged with its route and is slow.
    let mut spans = Vec::new();
    for trace in 1..=3u8 {
        let start = i64::from(trace) * 1_000;
        let mut root = span(trace, trace * 10, None, "frontend", start);
        if trace == 2 {
            root.attributes = Some(json!({"attributes": {"http.route": "/checkout"}}).to_string());
            root.duration_ns = 500 * MS;
        }
        spans.push(root);
        spans.push(span(
            trace,
            trace * 10 + 1,
            Some(trace * 10),
            "payments",
            start + 1,
        ));
    }
    let (_dir, backend) = backend_with(spans, Vec::new()).await;
    let search = TraceSearch {
        tenant: TENANT.into(),
        service: Some("frontend".into()),
        since_ns: BASE_NS,
        until_ns: BASE_NS + 10_000 * MS,
        limit: 20,
        max_spans: 10_000,
        ..TraceSearch::default()
    };
    let traces_of = |found: Vec<Vec<Span>>| -> Vec<(String, usize)> {
        found
            .into_iter()
            .map(|spans| (spans[0].trace_id.clone(), spans.len()))
            .collect()
    };

    let all = backend.query.find_traces(&search).await.unwrap();
    assert_eq!(
        traces_of(all),
        vec![(trace_id(3), 2), (trace_id(2), 2), (trace_id(1), 2)],
        "newest first, each with every span (the other service's too)"
    );
    let newest = TraceSearch {
        limit: 1,
        ..search.clone()
    };
    assert_eq!(
        traces_of(backend.query.find_traces(&newest).await.unwrap()),
        vec![(trace_id(3), 2)]
    );
    let tagged = TraceSearch {
        tags: BTreeMap::from([("http.route".to_string(), "/checkout".to_string())]),
        ..search.clone()
    };
    assert_eq!(
        traces_of(backend.query.find_traces(&tagged).await.unwrap()),
        vec![(trace_id(2), 2)]
    );
    let slow = TraceSearch {
        min_duration_ns: Some(100 * MS),
        ..search.clone()
    };
    assert_eq!(
        traces_of(backend.query.find_traces(&slow).await.unwrap()),
        vec![(trace_id(2), 2)]
    );
    let operation = TraceSearch {
        service: None,
        operation: Some("op 11".into()),
        ..search.clone()
    };
    assert_eq!(
        traces_of(backend.query.find_traces(&operation).await.unwrap()),
        vec![(trace_id(1), 2)]
    );
    let before_any = TraceSearch {
        until_ns: BASE_NS,
        since_ns: BASE_NS - 1,
        ..search
    };
    assert!(
        backend
            .query
            .find_traces(&before_any)
            .await
            .unwrap()
            .is_empty()
    );
}
