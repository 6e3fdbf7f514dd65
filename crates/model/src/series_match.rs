//! Label matchers of series selections, as PromQL and the Prometheus API give them: equality,
//! inequality and regexes anchored at both ends, an absent label reading as `""`.

use regex::Regex;

use crate::Labels;

/// The label a series' metric name is seen under.
pub const METRIC_NAME_LABEL: &str = "__name__";

/// A regex of a matcher that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid regex: {0}")]
pub struct InvalidRegex(pub String);

/// How a [`SeriesMatcher`] compares a label's value (an absent label's value is `""`).
#[derive(Debug, Clone)]
pub enum SeriesMatchOp {
    /// Equal to the value.
    Equal(String),
    /// Not equal to the value.
    NotEqual(String),
    /// The whole value matches the regex (anchored at both ends, as in PromQL).
    Regex(Regex),
    /// The whole value does not match the regex.
    NotRegex(Regex),
}

/// One label matcher of a series selection.
#[derive(Debug, Clone)]
pub struct SeriesMatcher {
    /// The label name (`__name__` for the metric name).
    pub name: String,
    /// The comparison.
    pub op: SeriesMatchOp,
}

impl SeriesMatcher {
    /// A matcher of one exact value.
    pub fn equal(name: &str, value: &str) -> SeriesMatcher {
        SeriesMatcher {
            name: name.to_string(),
            op: SeriesMatchOp::Equal(value.to_string()),
        }
    }

    /// A matcher whose regex `pattern` must match the whole value, as PromQL anchors it.
    pub fn regex(name: &str, pattern: &str, negated: bool) -> Result<SeriesMatcher, InvalidRegex> {
        let anchored = Regex::new(&format!("^(?s:{pattern})$"))
            .map_err(|error| InvalidRegex(error.to_string()))?;
        let op = if negated {
            SeriesMatchOp::NotRegex(anchored)
        } else {
            SeriesMatchOp::Regex(anchored)
        };
        Ok(SeriesMatcher {
            name: name.to_string(),
            op,
        })
    }

    /// Whether `value` (`""` for an absent label) satisfies the matcher.
    pub fn matches(&self, value: &str) -> bool {
        match &self.op {
            SeriesMatchOp::Equal(expected) => value == expected,
            SeriesMatchOp::NotEqual(expected) => value != expected,
            SeriesMatchOp::Regex(regex) => regex.is_match(value),
            SeriesMatchOp::NotRegex(regex) => !regex.is_match(value),
        }
    }

    /// Whether a label set satisfies the matcher.
    pub fn matches_labels(&self, labels: &Labels) -> bool {
        self.matches(labels.get(&self.name).map(String::as_str).unwrap_or(""))
    }

    /// Whether the matcher matches the empty string (and so also series without the label).
    pub fn matches_empty(&self) -> bool {
        self.matches("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_are_anchored() {
        let matcher = SeriesMatcher::regex("job", "api|web", false).unwrap();
        assert!(matcher.matches("api"));
        assert!(!matcher.matches("api2"));
        assert!(!matcher.matches_empty());
        let negated = SeriesMatcher::regex("job", "a.*", true).unwrap();
        assert!(negated.matches_empty());
        assert!(!negated.matches("abc"));
        assert!(SeriesMatcher::regex("job", "(", false).is_err());
    }
}
