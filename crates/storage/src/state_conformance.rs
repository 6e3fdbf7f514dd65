//! The state store conformance suite: behaviour every [`StateStore`] backend must show.
//!
//! Each check takes a store, writes through the trait and asserts what it reads back, on keys of
//! its own tenant, so one store serves them all. A backend's tests call [`run_all`]. Checks panic
//! with a message on failure, like assertions in any test. Compiled for this crate's tests and,
//! behind the `conformance` feature, for other backends' tests.

use telemetryhub_model::{
    Anomaly, AnomalyQuery, DeadLetter, DeadLetterError, DeadLetterQuery, Labels, MetricMetadata,
    PatternFeedback, PatternSummary, PatternTemplate,
};

use crate::StateStore;

/// A fixed base time: 2025-09-20T10:00:00Z.
pub const BASE_NS: i64 = 1_758_362_400_000_000_000;
const SECOND: i64 = 1_000_000_000;

/// Runs every check.
pub async fn run_all(storage: &dyn StateStore) {
    anomalies_round_trip(storage).await;
    pattern_feedback_and_summaries(storage).await;
    saved_patterns_keep_the_higher_version(storage).await;
    metric_metadata(storage).await;
    dead_letters_round_trip(storage).await;
}

/// Dead letters are stored per tenant, replaced by id, listed newest first (by source when
/// asked, up to the limit) and removed by id.
pub async fn dead_letters_round_trip(storage: &dyn StateStore) {
    let t = "conformance-dead-letters";
    let make = |id: &str, source: &str, index: u64, offset: i64| DeadLetter {
        id: id.into(),
        tenant: t.into(),
        source: source.into(),
        index,
        errors: vec![DeadLetterError {
            field: Some("Objet_Id".into()),
            reason: format!("expected an integer ({id})"),
        }],
        raw: format!(r#"{{"Objet_Id":"{id}"}}"#),
        received_ns: BASE_NS + offset * SECOND,
    };
    storage
        .put_dead_letters(vec![
            make("d1", "jobs", 5, 0),
            make("d2", "jobs", 7, 10),
            make("d3", "other", 1, 5),
        ])
        .await
        .expect("put");
    let mut elsewhere = make("d1", "jobs", 0, 0);
    elsewhere.tenant = "conformance-dead-letters-elsewhere".into();
    storage
        .put_dead_letters(vec![elsewhere])
        .await
        .expect("put");
    let list = |source: Option<&str>, limit: usize| DeadLetterQuery {
        tenant: t.into(),
        source: source.map(Into::into),
        limit,
    };
    let ids = |letters: Vec<DeadLetter>| letters.into_iter().map(|l| l.id).collect::<Vec<_>>();
    let all = storage.dead_letters(&list(None, 10)).await.expect("list");
    assert_eq!(ids(all.clone()), ["d2", "d3", "d1"], "newest first");
    assert_eq!(all[2], make("d1", "jobs", 5, 0), "read back as written");
    let jobs = storage
        .dead_letters(&list(Some("jobs"), 10))
        .await
        .expect("list");
    assert_eq!(ids(jobs), ["d2", "d1"]);
    let first = storage.dead_letters(&list(None, 1)).await.expect("list");
    assert_eq!(ids(first), ["d2"], "the limit keeps the newest");
    // The same id again replaces the entry.
    storage
        .put_dead_letters(vec![make("d1", "jobs", 5, 20)])
        .await
        .expect("put");
    let all = storage.dead_letters(&list(None, 10)).await.expect("list");
    assert_eq!(ids(all), ["d1", "d2", "d3"]);
    storage
        .remove_dead_letters(t, &["d1".into(), "d3".into(), "unknown".into()])
        .await
        .expect("remove");
    let all = storage.dead_letters(&list(None, 10)).await.expect("list");
    assert_eq!(ids(all), ["d2"]);
    let other = storage
        .dead_letters(&DeadLetterQuery {
            tenant: "conformance-dead-letters-elsewhere".into(),
            source: None,
            limit: 10,
        })
        .await
        .expect("list");
    assert_eq!(ids(other), ["d1"], "another tenant's letter is its own");
}

/// Anomalies are stored, filtered and returned newest first.
pub async fn anomalies_round_trip(storage: &dyn StateStore) {
    let t = "conformance-anomalies";
    let make = |id: &str, metric: &str, offset: i64, score: f64| Anomaly {
        id: id.into(),
        tenant: t.into(),
        service: "api".into(),
        metric: metric.into(),
        labels: Labels::new(),
        window_start_ns: BASE_NS + offset * SECOND,
        window_end_ns: BASE_NS + (offset + 60) * SECOND,
        score,
        threshold: 0.8,
        value: 10.0,
        expected_low: 1.0,
        expected_high: 2.0,
        detector: "test".into(),
        model_version: "1".into(),
        ts_ns: BASE_NS,
        feedback: None,
    };
    storage
        .put_anomalies(vec![
            make("a1", "latency", 0, 0.9),
            make("a2", "latency", 120, 0.95),
            make("a3", "errors", 60, 0.85),
        ])
        .await
        .expect("put");
    let query = AnomalyQuery {
        tenant: t.into(),
        service: Some("api".into()),
        metric: Some("latency".into()),
        since_ns: BASE_NS - 3600 * SECOND,
        until_ns: BASE_NS + 3600 * SECOND,
        min_score: 0.0,
        limit: 10,
    };
    let ids: Vec<String> = storage
        .query_anomalies(&query)
        .await
        .expect("query")
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, vec!["a2".to_string(), "a1".to_string()]);
    let strict = AnomalyQuery {
        min_score: 0.92,
        ..query
    };
    assert_eq!(
        storage.query_anomalies(&strict).await.expect("query").len(),
        1
    );
    let one = storage
        .anomaly(t, "a3")
        .await
        .expect("get")
        .expect("a3 exists");
    assert_eq!(one.metric, "errors");
    assert!(
        storage
            .anomaly("conformance-other", "a3")
            .await
            .expect("get")
            .is_none(),
        "tenants are isolated"
    );
    assert!(storage.anomaly(t, "nope").await.expect("get").is_none());

    let key = crate::series_key(t, "api", "latency", &Labels::new());
    storage
        .put_series_threshold(&key, 0.9)
        .await
        .expect("threshold");
    storage
        .put_series_threshold(&key, 0.95)
        .await
        .expect("threshold");
    assert!(
        storage
            .series_thresholds()
            .await
            .expect("thresholds")
            .contains(&(key, 0.95))
    );

    assert_eq!(
        storage.job_state("conformance-job").await.expect("state"),
        None
    );
    storage
        .put_job_state("conformance-job", b"one".to_vec())
        .await
        .expect("state");
    storage
        .put_job_state("conformance-job", b"two".to_vec())
        .await
        .expect("state");
    assert_eq!(
        storage.job_state("conformance-job").await.expect("state"),
        Some(b"two".to_vec())
    );
}

/// Feedback and summaries are kept per pattern, replaced by newer ones, and per tenant.
pub async fn pattern_feedback_and_summaries(storage: &dyn StateStore) {
    let t = "conformance-pattern-feedback";
    let feedback = PatternFeedback {
        name: Some("DB timeouts".into()),
        note: None,
        muted: false,
        important: true,
    };
    storage
        .put_pattern_feedback(t, 0, feedback.clone())
        .await
        .expect("feedback");
    assert_eq!(
        storage.pattern_feedback(t).await.expect("feedback"),
        vec![(0, feedback)]
    );
    assert!(
        storage
            .pattern_feedback("conformance-other")
            .await
            .expect("feedback")
            .is_empty()
    );

    let summary = PatternSummary {
        tenant: t.into(),
        pattern_id: 0,
        text: "Database timeouts in api and web".into(),
        source: "llm".into(),
        support_count: 3,
        updated_ns: BASE_NS,
    };
    storage
        .put_pattern_summaries(vec![summary.clone()])
        .await
        .expect("summaries");
    let newer = PatternSummary {
        text: "Database timeouts, growing".into(),
        support_count: 9,
        ..summary
    };
    storage
        .put_pattern_summaries(vec![newer.clone()])
        .await
        .expect("summaries");
    assert_eq!(
        storage.pattern_summaries(t).await.expect("summaries"),
        vec![newer]
    );
    assert!(
        storage
            .pattern_summaries("conformance-other")
            .await
            .expect("summaries")
            .is_empty()
    );
}

/// Saved pattern states are loaded back; of two states of one pattern the higher version wins,
/// whatever order they were saved in.
pub async fn saved_patterns_keep_the_higher_version(storage: &dyn StateStore) {
    let t = "conformance-saved-patterns";
    let state = |version: u64, template: &str| PatternTemplate {
        tenant: t.into(),
        id: 3,
        template: template.into(),
        merged_into: None,
        samples: vec![template.replace("<*>", "1")],
        first_seen_ns: BASE_NS,
        lines: 1,
        last_seen_ns: BASE_NS,
        version,
    };
    storage
        .save_patterns(vec![state(5, "disk <*> full")])
        .await
        .expect("save");
    storage
        .save_patterns(vec![state(4, "disk sda full")])
        .await
        .expect("save");
    let loaded: Vec<PatternTemplate> = storage
        .load_patterns()
        .await
        .expect("load")
        .into_iter()
        .filter(|p| p.tenant == t)
        .collect();
    assert_eq!(loaded, vec![state(5, "disk <*> full")]);
}

/// Metadata is replaced per metric and kept per tenant.
pub async fn metric_metadata(storage: &dyn StateStore) {
    let tenant = "conformance-metadata";
    let metadata = |metric: &str, help: &str| MetricMetadata {
        tenant: tenant.into(),
        metric: metric.into(),
        kind: "counter".into(),
        help: help.into(),
        unit: String::new(),
    };
    storage
        .put_metric_metadata(vec![metadata("b_total", "old"), metadata("a_total", "A")])
        .await
        .expect("put metadata");
    storage
        .put_metric_metadata(vec![metadata("b_total", "new")])
        .await
        .expect("replace metadata");
    assert_eq!(
        storage.metric_metadata(tenant, None).await.expect("all"),
        vec![metadata("a_total", "A"), metadata("b_total", "new")]
    );
    assert_eq!(
        storage
            .metric_metadata(tenant, Some("b_total"))
            .await
            .expect("one"),
        vec![metadata("b_total", "new")]
    );
    assert!(
        storage
            .metric_metadata(tenant, Some("b"))
            .await
            .expect("a prefix is not a metric")
            .is_empty()
    );
    assert!(
        storage
            .metric_metadata("conformance-metadata-other", None)
            .await
            .expect("other tenant")
            .is_empty()
    );
}
