use telemetryhub_model::PatternSummary;
use telemetryhub_patterns::MinerConfig;

use super::*;
use crate::testing::{temp_backend, write_tagged_lines};

/// 2025-09-20T10:00:00Z: "now" for these tests.
const T: i64 = 1_758_362_400_000_000_000;
const MINUTE: i64 = 60_000_000_000;

/// Patterns `(cache, timeout, login)` of tenant `t`: three INFO lines of payments' cache from
/// 10 minutes ago, two ERROR lines of payments' database from 5 minutes ago, one WARN line of
/// checkout a minute ago.
async fn three_patterns(backend: &Backend, tagger: &PatternTagger) -> (u64, u64, u64) {
    let ids = write_tagged_lines(
        backend,
        tagger,
        &[
            (
                "payments",
                Level::Info,
                "cache warmed in 5 ms",
                T - 10 * MINUTE,
            ),
            (
                "payments",
                Level::Info,
                "cache warmed in 6 ms",
                T - 9 * MINUTE,
            ),
            (
                "payments",
                Level::Info,
                "cache warmed in 7 ms",
                T - 8 * MINUTE,
            ),
            (
                "payments",
                Level::Error,
                "db timeout after 900 ms",
                T - 5 * MINUTE,
            ),
            (
                "payments",
                Level::Error,
                "db timeout after 901 ms",
                T - 4 * MINUTE,
            ),
            (
                "checkout",
                Level::Warn,
                "session expired for user",
                T - MINUTE,
            ),
        ],
    )
    .await;
    (ids[0], ids[3], ids[5])
}

fn list_query(order: PatternOrder) -> PatternListQuery {
    PatternListQuery {
        tenant: "t".into(),
        lines: LineFilter::default(),
        since_ns: T - 60 * MINUTE,
        until_ns: T,
        order,
        include_muted: false,
        limit: 50,
    }
}

fn detail_query(id: u64) -> PatternDetailQuery {
    PatternDetailQuery {
        tenant: "t".into(),
        id,
        lines: LineFilter::default(),
        since_ns: None,
        until_ns: None,
        step_ns: None,
        now_ns: T,
    }
}

fn ids(overviews: &[PatternOverview]) -> Vec<u64> {
    overviews.iter().map(|o| o.id).collect()
}

fn overview(id: u64, count: u64, errors: u64, first_ns: i64) -> PatternOverview {
    PatternOverview {
        id,
        template: format!("p{id}"),
        samples: Vec::new(),
        totals: PatternTotals {
            count,
            errors,
            first_ns,
            ..PatternTotals::empty(first_ns)
        },
        feedback: PatternFeedback::default(),
        summary: String::new(),
        summary_source: "rule".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_rank_filter_and_carry_counts_and_rule_summaries() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    let (cache, timeout, login) = three_patterns(&backend, &tagger).await;
    let catalog = PatternCatalog::new(&backend, &tagger);

    let by_count = catalog
        .list(&list_query(PatternOrder::Count))
        .await
        .unwrap();
    assert_eq!(ids(&by_count), vec![cache, timeout, login]);
    let timeouts = &by_count[1];
    assert_eq!((timeouts.totals.count, timeouts.totals.errors), (2, 2));
    assert_eq!(timeouts.totals.first_ns, T - 5 * MINUTE);
    assert_eq!(timeouts.summary_source, "rule");
    assert!(
        timeouts.summary.contains("payments"),
        "{}",
        timeouts.summary
    );
    let by_errors = catalog
        .list(&list_query(PatternOrder::Errors))
        .await
        .unwrap();
    assert_eq!(ids(&by_errors), vec![timeout, cache, login]);
    let newest = catalog.list(&list_query(PatternOrder::New)).await.unwrap();
    assert_eq!(ids(&newest), vec![login, timeout, cache]);

    let only = |lines: LineFilter| PatternListQuery {
        lines,
        ..list_query(PatternOrder::Count)
    };
    let checkout = LineFilter {
        service: Some("checkout".into()),
        level: None,
    };
    assert_eq!(
        ids(&catalog.list(&only(checkout)).await.unwrap()),
        vec![login]
    );
    let errors = LineFilter {
        service: None,
        level: Some(Level::Error),
    };
    assert_eq!(
        ids(&catalog.list(&only(errors)).await.unwrap()),
        vec![timeout]
    );
    let first = PatternListQuery {
        limit: 1,
        ..list_query(PatternOrder::Count)
    };
    assert_eq!(ids(&catalog.list(&first).await.unwrap()), vec![cache]);
    let before_any = PatternListQuery {
        until_ns: T - 30 * MINUTE,
        ..list_query(PatternOrder::Count)
    };
    assert!(catalog.list(&before_any).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_names_mutes_flags_and_stored_summaries_show_in_lists() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    let (cache, timeout, login) = three_patterns(&backend, &tagger).await;
    let catalog = PatternCatalog::new(&backend, &tagger);
    let feedback = |change: FeedbackChange, id: u64| {
        let catalog = PatternCatalog::new(&backend, &tagger);
        async move { catalog.give_feedback("t", id, change).await }
    };

    let flagged = FeedbackChange {
        important: Some(true),
        name: Some("Logins".into()),
        ..FeedbackChange::default()
    };
    assert_eq!(feedback(flagged, login).await.unwrap(), login);
    let muted = FeedbackChange {
        mute: Some(true),
        ..FeedbackChange::default()
    };
    feedback(muted, cache).await.unwrap();
    backend
        .state
        .put_pattern_summaries(vec![PatternSummary {
            tenant: "t".into(),
            pattern_id: timeout,
            text: "The database times out.".into(),
            source: "llm".into(),
            support_count: 2,
            updated_ns: T,
        }])
        .await
        .unwrap();

    let listed = catalog
        .list(&list_query(PatternOrder::Count))
        .await
        .unwrap();
    assert_eq!(
        ids(&listed),
        vec![login, timeout],
        "important first, muted hidden"
    );
    assert_eq!(listed[0].feedback.name.as_deref(), Some("Logins"));
    assert_eq!(
        (
            listed[1].summary.as_str(),
            listed[1].summary_source.as_str()
        ),
        ("The database times out.", "llm")
    );
    let everything = PatternListQuery {
        include_muted: true,
        ..list_query(PatternOrder::Count)
    };
    assert_eq!(
        ids(&catalog.list(&everything).await.unwrap()),
        vec![login, cache, timeout]
    );

    // Blank text clears; absent fields keep what they had.
    let cleared = FeedbackChange {
        name: Some("  ".into()),
        ..FeedbackChange::default()
    };
    feedback(cleared, login).await.unwrap();
    let login_now = catalog.detail(&detail_query(login)).await.unwrap().overview;
    assert_eq!(login_now.feedback.name, None);
    assert!(login_now.feedback.important);

    let too_long = FeedbackChange {
        note: Some("x".repeat(MAX_FEEDBACK_TEXT_BYTES + 1)),
        ..FeedbackChange::default()
    };
    let refused = feedback(too_long, login).await.unwrap_err();
    assert_eq!(refused.field(), Some("note"));
    assert_eq!(refused.to_string(), "note must be at most 1000 bytes");
    let unknown = feedback(FeedbackChange::default(), 424_242).await;
    assert!(matches!(unknown, Err(JobError::PatternNotFound(424_242))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_counts_the_merged_lines_with_the_target() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    let (cache, timeout, _) = three_patterns(&backend, &tagger).await;
    let catalog = PatternCatalog::new(&backend, &tagger);
    let merge = |into| FeedbackChange {
        merge_into: Some(into),
        ..FeedbackChange::default()
    };

    let refused = catalog
        .give_feedback("t", cache, merge(cache))
        .await
        .unwrap_err();
    assert_eq!(refused.field(), Some("merge_into"));
    assert_eq!(
        refused.code(),
        telemetryhub_model::ErrorCode::InvalidArgument
    );
    assert_eq!(
        catalog
            .give_feedback("t", cache, merge(timeout))
            .await
            .unwrap(),
        timeout
    );
    let listed = catalog
        .list(&list_query(PatternOrder::Count))
        .await
        .unwrap();
    assert_eq!(ids(&listed)[0], timeout);
    assert_eq!(listed[0].totals.count, 5);
    assert!(!ids(&listed).contains(&cache));
    // The merged id stands for its target, and the merge was saved for restarts.
    let through_merge = catalog.detail(&detail_query(cache)).await.unwrap();
    assert_eq!(through_merge.overview.id, timeout);
    assert_eq!(
        through_merge.histogram.iter().map(|(_, n)| n).sum::<u64>(),
        5
    );
    let saved = backend.state.load_patterns().await.unwrap();
    assert!(
        saved
            .iter()
            .any(|p| p.id == cache && p.merged_into == Some(timeout))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detail_defaults_its_range_and_step_and_checks_them() {
    let (_dir, backend) = temp_backend();
    let tagger = PatternTagger::new(MinerConfig::default());
    let (cache, _, _) = three_patterns(&backend, &tagger).await;
    let catalog = PatternCatalog::new(&backend, &tagger);

    // Default: from an hour ago (the pattern is younger) to now, in 60 buckets of a minute.
    let detail = catalog.detail(&detail_query(cache)).await.unwrap();
    assert_eq!(detail.step_ns, MINUTE);
    assert_eq!(detail.overview.totals.count, 3);
    assert_eq!(
        detail.histogram,
        vec![
            (T - 10 * MINUTE, 1),
            (T - 9 * MINUTE, 1),
            (T - 8 * MINUTE, 1)
        ]
    );
    let wide = PatternDetailQuery {
        since_ns: Some(T - 600 * MINUTE),
        ..detail_query(cache)
    };
    assert_eq!(catalog.detail(&wide).await.unwrap().step_ns, 10 * MINUTE);
    let stepped = PatternDetailQuery {
        step_ns: Some(5 * MINUTE),
        ..detail_query(cache)
    };
    assert_eq!(
        catalog.detail(&stepped).await.unwrap().histogram,
        vec![(T - 10 * MINUTE, 3)]
    );
    // A range without lines still shows the pattern, with no lines.
    let quiet = PatternDetailQuery {
        until_ns: Some(T - 30 * MINUTE),
        ..detail_query(cache)
    };
    let quiet = catalog.detail(&quiet).await.unwrap();
    assert_eq!(quiet.overview.totals.count, 0);
    assert_eq!(quiet.overview.totals.first_ns, T - 10 * MINUTE);

    let reversed = PatternDetailQuery {
        since_ns: Some(T),
        until_ns: Some(T - MINUTE),
        ..detail_query(cache)
    };
    let refused = catalog.detail(&reversed).await.unwrap_err();
    assert_eq!(
        (refused.field(), refused.to_string().as_str()),
        (Some("since"), "since must be earlier than until")
    );
    let tiny = PatternDetailQuery {
        step_ns: Some(1_000_000),
        ..detail_query(cache)
    };
    let refused = catalog.detail(&tiny).await.unwrap_err();
    assert_eq!(
        (refused.field(), refused.to_string().as_str()),
        (Some("step"), "step must be at least 1s")
    );
    let missing = catalog.detail(&detail_query(424_242)).await.unwrap_err();
    assert_eq!(missing.to_string(), "no log pattern 424242");
    assert_eq!(missing.code(), telemetryhub_model::ErrorCode::NotFound);
}

#[test]
fn ranking_puts_important_first_then_the_order_then_ids() {
    let mut overviews = vec![
        overview(1, 5, 0, 10),
        overview(2, 5, 3, 30),
        overview(3, 9, 1, 20),
        overview(4, 1, 0, 0),
    ];
    overviews[3].feedback.important = true;
    rank(&mut overviews, PatternOrder::Count);
    assert_eq!(ids(&overviews), vec![4, 3, 1, 2]);
    rank(&mut overviews, PatternOrder::Errors);
    assert_eq!(ids(&overviews), vec![4, 2, 3, 1]);
    rank(&mut overviews, PatternOrder::New);
    assert_eq!(ids(&overviews), vec![4, 2, 3, 1]);
}

#[test]
fn newest_first_compares_times_not_their_text() {
    // 10:00:00.5 is newer than 10:00:00, though its RFC 3339 text sorts before it.
    let mut overviews = vec![overview(1, 1, 0, T), overview(2, 1, 0, T + 500_000_000)];
    rank(&mut overviews, PatternOrder::New);
    assert_eq!(ids(&overviews), vec![2, 1]);
}
