//! Feedback on anomalies: someone says whether an anomaly was real, and the series' threshold
//! moves so the detector fires less (a false positive) or more readily (a true positive).

use telemetryhub_model::Anomaly;
use telemetryhub_query::Backend;
use telemetryhub_storage::series_key;

use crate::JobError;

/// What someone said about an anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A real problem: the series becomes more sensitive.
    TruePositive,
    /// Not a problem: the series stops firing at that score.
    FalsePositive,
}

impl Verdict {
    /// The verdict a label names (`true_positive` or `false_positive`), if it names one.
    pub fn from_label(label: &str) -> Option<Verdict> {
        match label {
            "true_positive" => Some(Verdict::TruePositive),
            "false_positive" => Some(Verdict::FalsePositive),
            _ => None,
        }
    }

    /// The label stored with the anomaly ([`Anomaly::feedback`]).
    pub fn label(self) -> &'static str {
        match self {
            Verdict::TruePositive => "true_positive",
            Verdict::FalsePositive => "false_positive",
        }
    }
}

/// The feedback rule for a series' threshold `current`, given an anomaly scored `score`:
///
/// - false positive: halfway from the larger of `current` and `score` to 1, so the same score
///   (or anything up to that point) no longer fires, while a clearly larger deviation still can;
/// - true positive: a quarter of the way from `current` down to 0.5, never below 0.5.
pub fn threshold_after(verdict: Verdict, current: f64, score: f64) -> f64 {
    match verdict {
        Verdict::FalsePositive => (current.max(score) + 1.0) / 2.0,
        Verdict::TruePositive => (current - (current - 0.5) / 4.0).max(0.5),
    }
}

/// Records a verdict on a tenant's anomaly `id`: the anomaly keeps it as its feedback, and its
/// series' threshold moves by [`threshold_after`], from the series' own threshold (or, for a
/// series that has none yet, the one the anomaly was scored against). Returns the anomaly as
/// stored now; [`JobError::AnomalyNotFound`] when the tenant has no such anomaly.
pub async fn record_verdict(
    backend: &Backend,
    tenant: &str,
    id: &str,
    verdict: Verdict,
) -> Result<Anomaly, JobError> {
    let mut anomaly = backend
        .state
        .anomaly(tenant, id)
        .await?
        .ok_or_else(|| JobError::AnomalyNotFound(id.to_string()))?;
    let key = series_key(tenant, &anomaly.service, &anomaly.metric, &anomaly.labels);
    let current = backend
        .state
        .series_thresholds()
        .await?
        .into_iter()
        .find(|(series, _)| *series == key)
        .map_or(anomaly.threshold, |(_, threshold)| threshold);
    backend
        .state
        .put_series_threshold(&key, threshold_after(verdict, current, anomaly.score))
        .await?;
    anomaly.feedback = Some(verdict.label().to_string());
    backend.state.put_anomalies(vec![anomaly.clone()]).await?;
    Ok(anomaly)
}

#[cfg(test)]
mod tests {
    use telemetryhub_model::Labels;

    use super::*;
    use crate::testing::{stored_anomaly, temp_backend};

    #[test]
    fn feedback_moves_thresholds_as_documented() {
        assert_eq!(threshold_after(Verdict::FalsePositive, 0.8, 0.9), 0.95);
        assert_eq!(threshold_after(Verdict::FalsePositive, 0.96, 0.9), 0.98);
        let nearly_one = telemetryhub_anomaly::MAX_SCORE;
        assert!(threshold_after(Verdict::FalsePositive, 0.81, nearly_one) > nearly_one);
        assert_eq!(threshold_after(Verdict::TruePositive, 0.9, 0.95), 0.8);
        assert_eq!(threshold_after(Verdict::TruePositive, 0.5, 0.95), 0.5);
    }

    #[test]
    fn labels_name_verdicts_both_ways() {
        for verdict in [Verdict::TruePositive, Verdict::FalsePositive] {
            assert_eq!(Verdict::from_label(verdict.label()), Some(verdict));
        }
        assert_eq!(Verdict::from_label("maybe"), None);
        assert_eq!(Verdict::from_label("TRUE_POSITIVE"), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_verdict_is_kept_and_moves_the_series_threshold_from_where_it_is() {
        let (_dir, backend) = temp_backend();
        let anomaly = stored_anomaly(&backend, "a1", 0).await;
        let key = series_key("t", "payments", "latency_ms", &Labels::new());
        let threshold_of = |backend: Backend, key: String| async move {
            backend
                .state
                .series_thresholds()
                .await
                .unwrap()
                .into_iter()
                .find(|(series, _)| *series == key)
                .map(|(_, threshold)| threshold)
        };

        let judged = record_verdict(&backend, "t", "a1", Verdict::FalsePositive)
            .await
            .unwrap();
        assert_eq!(judged.feedback.as_deref(), Some("false_positive"));
        let stored = backend.state.anomaly("t", "a1").await.unwrap().unwrap();
        assert_eq!(stored, judged, "persisted");
        let raised = threshold_after(Verdict::FalsePositive, anomaly.threshold, anomaly.score);
        assert_eq!(
            threshold_of(backend.clone(), key.clone()).await,
            Some(raised)
        );

        // A second verdict starts from the series' threshold, not the anomaly's.
        record_verdict(&backend, "t", "a1", Verdict::TruePositive)
            .await
            .unwrap();
        assert_eq!(
            threshold_of(backend.clone(), key.clone()).await,
            Some(threshold_after(
                Verdict::TruePositive,
                raised,
                anomaly.score
            ))
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_verdict_on_an_unknown_anomaly_is_not_found_and_changes_nothing() {
        let (_dir, backend) = temp_backend();
        stored_anomaly(&backend, "a1", 0).await;
        for (tenant, id) in [("t", "nope"), ("other", "a1")] {
            let refused = record_verdict(&backend, tenant, id, Verdict::FalsePositive).await;
            assert!(
                matches!(&refused, Err(JobError::AnomalyNotFound(missing)) if missing == id),
                "{refused:?}"
            );
            assert_eq!(
                refused.unwrap_err().code(),
                telemetryhub_model::ErrorCode::NotFound
            );
        }
        assert!(backend.state.series_thresholds().await.unwrap().is_empty());
        let untouched = backend.state.anomaly("t", "a1").await.unwrap().unwrap();
        assert_eq!(untouched.feedback, None);
    }
}
