//! Series selectors as the Prometheus API takes them outside queries: `match[]` of `series`,
//! `labels` and `label values` (one selector, which may hold `or` alternatives), and the
//! selectors of a query (what `query_exemplars` reads exemplars of), as the query layer's
//! [`SeriesMatcher`] sets.

use promql_parser::parser::Expr;
use telemetryhub_model::SeriesMatcher;

use crate::PromqlError;
use crate::engine::parse;
use crate::plan::{matcher_sets, selectors};

/// The matcher sets of one series selector such as `up{job="api"}` (Prometheus'
/// `ParseMetricSelector`): one set, or one per `or` alternative. A series matches the selector
/// when it matches every matcher of any set. Fails unless the text is a single selector and
/// every set has a matcher that does not match the empty string, as Prometheus requires.
pub fn series_selector(text: &str) -> Result<Vec<Vec<SeriesMatcher>>, PromqlError> {
    match parse(text)? {
        Expr::VectorSelector(selector) => {
            let sets = matcher_sets(&selector)?;
            if sets
                .iter()
                .any(|set| set.iter().all(SeriesMatcher::matches_empty))
            {
                return Err(PromqlError::BadData(
                    "match[] must contain at least one non-empty matcher".into(),
                ));
            }
            Ok(sets)
        }
        _ => Err(PromqlError::BadData(format!(
            "{text:?} is not a series selector such as up{{job=\"api\"}}"
        ))),
    }
}

/// The matcher sets of every vector and range selector in `query`.
pub fn query_selectors(query: &str) -> Result<Vec<Vec<SeriesMatcher>>, PromqlError> {
    let expr = parse(query)?;
    let mut sets = Vec::new();
    for selector in selectors(&expr) {
        sets.extend(matcher_sets(selector)?);
    }
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_gives_its_matchers_with_the_metric_name() {
        let sets = series_selector(r#"up{job="api",instance=~"a.*"}"#).unwrap();
        assert_eq!(sets.len(), 1);
        let mut labels = telemetryhub_model::Labels::new();
        labels.insert("__name__".into(), "up".into());
        labels.insert("job".into(), "api".into());
        labels.insert("instance".into(), "a:1".into());
        assert!(sets[0].iter().all(|m| m.matches_labels(&labels)));
        labels.insert("instance".into(), "b:1".into());
        assert!(!sets[0].iter().all(|m| m.matches_labels(&labels)));
    }

    #[test]
    fn queries_and_empty_selectors_are_refused() {
        assert!(series_selector("sum(up)").is_err());
        assert!(series_selector(r#"{job=~".*"}"#).is_err());
    }

    #[test]
    fn a_query_gives_every_selector() {
        let sets = query_selectors("rate(a[5m]) / on() group_left sum(b) + 1").unwrap();
        assert_eq!(sets.len(), 2);
    }
}
