//! A query's stream selectors as the Loki API needs them without evaluating anything: the
//! matchers of `/loki/api/v1/series` `match[]` and of the label APIs' `query=`.

use telemetryhub_model::SeriesMatcher;

use crate::ast::series_matcher;
use crate::{LogqlError, parse};

/// The matcher sets of every stream selector in a query (one per selector, in order).
pub fn query_selectors(query: &str) -> Result<Vec<Vec<SeriesMatcher>>, LogqlError> {
    let expr = parse(query)?;
    expr.selector_matchers()
        .into_iter()
        .map(|matchers| matchers.iter().map(series_matcher).collect())
        .collect()
}

/// The matchers of a `match[]` parameter: a stream selector alone (`{app="api"}`), as Loki
/// accepts there; anything else is an error.
pub fn stream_selector(text: &str) -> Result<Vec<SeriesMatcher>, LogqlError> {
    match parse(text)? {
        crate::Expr::Log(log) if log.pipeline.is_empty() => {
            log.matchers.iter().map(series_matcher).collect()
        }
        _ => Err(LogqlError::Invalid(
            "only label matchers are supported".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_of_queries_and_match_parameters() {
        let sets = query_selectors(
            r#"sum(rate({app="a", env=~"p.*"} |= "x" [1m])) / sum(rate({app="b"}[1m]))"#,
        )
        .unwrap();
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0].len(), 2);
        assert!(sets[0][1].matches("prod") && !sets[0][1].matches("xprod"));
        assert!(sets[1][0].matches("b"));
        assert_eq!(query_selectors(r#"{app="a"} | json"#).unwrap().len(), 1);
        assert!(query_selectors("vector(1)").unwrap().is_empty());
        assert_eq!(stream_selector(r#"{app="a"}"#).unwrap().len(), 1);
        assert!(stream_selector(r#"{app="a"} |= "x""#).is_err());
        assert!(stream_selector(r#"rate({app="a"}[1m])"#).is_err());
        assert!(stream_selector("{app=").is_err());
    }
}
