//! Line counts of patterns, folded over merges: what `/patterns` and the summary job show.

use std::collections::{BTreeMap, BTreeSet};

use telemetryhub_model::{Level, PatternCount};

/// A pattern's lines in a time range.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternTotals {
    /// Lines.
    pub count: u64,
    /// Lines at ERROR or FATAL.
    pub errors: u64,
    /// Lines per service.
    pub services: BTreeMap<String, u64>,
    /// Levels seen.
    pub levels: BTreeSet<Level>,
    /// Time of the first line, ns.
    pub first_ns: i64,
    /// Time of the last line, ns.
    pub last_ns: i64,
}

impl PatternTotals {
    /// Totals of a pattern with no line in the range, first seen at `seen_ns`.
    pub fn empty(seen_ns: i64) -> Self {
        PatternTotals {
            count: 0,
            errors: 0,
            services: BTreeMap::new(),
            levels: BTreeSet::new(),
            first_ns: seen_ns,
            last_ns: seen_ns,
        }
    }

    /// Levels, most severe first, as written in the API.
    pub fn level_names(&self) -> Vec<&'static str> {
        self.levels.iter().rev().map(|l| l.as_str()).collect()
    }

    /// Services in name order.
    pub fn service_names(&self) -> Vec<&str> {
        self.services.keys().map(String::as_str).collect()
    }
}

/// Folds per-stored-id counts into per-pattern totals; `resolve` maps a stored id to the pattern
/// it belongs to now.
pub fn fold_counts(
    counts: Vec<PatternCount>,
    resolve: impl Fn(u64) -> u64,
) -> BTreeMap<u64, PatternTotals> {
    let mut totals: BTreeMap<u64, PatternTotals> = BTreeMap::new();
    for row in counts {
        let entry = totals
            .entry(resolve(row.pattern_id))
            .or_insert_with(|| PatternTotals {
                first_ns: i64::MAX,
                last_ns: i64::MIN,
                ..PatternTotals::empty(0)
            });
        entry.count += row.count;
        if row.level >= Level::Error {
            entry.errors += row.count;
        }
        *entry.services.entry(row.service).or_default() += row.count;
        entry.levels.insert(row.level);
        entry.first_ns = entry.first_ns.min(row.first_ns);
        entry.last_ns = entry.last_ns.max(row.last_ns);
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        pattern_id: u64,
        service: &str,
        level: Level,
        count: u64,
        first_ns: i64,
        last_ns: i64,
    ) -> PatternCount {
        PatternCount {
            pattern_id,
            service: service.into(),
            level,
            count,
            first_ns,
            last_ns,
        }
    }

    #[test]
    fn folds_merged_ids_into_their_pattern() {
        let counts = vec![
            row(1, "api", Level::Error, 2, 10, 20),
            row(2, "web", Level::Info, 3, 5, 30),
            row(3, "api", Level::Info, 1, 1, 1),
        ];
        let totals = fold_counts(counts, |id| if id == 2 { 1 } else { id });
        let one = &totals[&1];
        assert_eq!(
            (one.count, one.errors, one.first_ns, one.last_ns),
            (5, 2, 5, 30)
        );
        assert_eq!(one.level_names(), vec!["ERROR", "INFO"]);
        assert_eq!(one.service_names(), vec!["api", "web"]);
        assert_eq!(totals[&3].count, 1);
    }
}
