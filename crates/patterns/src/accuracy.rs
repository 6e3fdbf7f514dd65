//! Grouping accuracy (GA) and parsing accuracy (PA) of a parse against ground truth, as defined
//! by Zhu et al. (ICSE 2019) and used by the Loghub benchmarks.

use std::collections::HashMap;

/// GA: the fraction of messages whose predicted group holds exactly the messages of their true
/// group.
pub fn grouping_accuracy<P: Eq + std::hash::Hash, T: Eq + std::hash::Hash>(
    predicted: &[P],
    truth: &[T],
) -> f64 {
    assert_eq!(predicted.len(), truth.len(), "one prediction per message");
    if truth.is_empty() {
        return 1.0;
    }
    // A predicted group is correct when it maps to one true group and that true group maps back
    // to it alone, with equal sizes.
    let mut predicted_sizes: HashMap<&P, usize> = HashMap::new();
    let mut truth_sizes: HashMap<&T, usize> = HashMap::new();
    let mut pair_sizes: HashMap<(&P, &T), usize> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *predicted_sizes.entry(p).or_default() += 1;
        *truth_sizes.entry(t).or_default() += 1;
        *pair_sizes.entry((p, t)).or_default() += 1;
    }
    let correct: usize = pair_sizes
        .iter()
        .filter(|((p, t), n)| predicted_sizes[p] == **n && truth_sizes[t] == **n)
        .map(|(_, n)| n)
        .sum();
    correct as f64 / truth.len() as f64
}

/// PA: the fraction of messages whose predicted template equals the true one exactly (after
/// collapsing runs of whitespace).
pub fn parsing_accuracy(predicted: &[String], truth: &[String]) -> f64 {
    assert_eq!(predicted.len(), truth.len(), "one prediction per message");
    if truth.is_empty() {
        return 1.0;
    }
    let normal = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let correct = predicted
        .iter()
        .zip(truth)
        .filter(|(p, t)| normal(p) == normal(t))
        .count();
    correct as f64 / truth.len() as f64
}

/// One labelled message of a Loghub `*_structured*.csv` file.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The message (the `Content` column).
    pub content: String,
    /// The true group (the `EventId` column).
    pub event_id: String,
    /// The true template (the `EventTemplate` column).
    pub template: String,
}

/// Reads a Loghub structured CSV (`Content`, `EventId`, `EventTemplate` columns).
pub fn read_structured(path: &std::path::Path) -> Result<Vec<Labelled>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no {name} column", path.display()))
    };
    let (content, event, template) = (
        column("Content")?,
        column("EventId")?,
        column("EventTemplate")?,
    );
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(Labelled {
            content: record.get(content).unwrap_or("").to_string(),
            event_id: record.get(event).unwrap_or("").to_string(),
            template: record.get(template).unwrap_or("").to_string(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_accuracy_counts_exact_groups_only() {
        // Truth: {0,1} {2} {3}; prediction merges 2 and 3, keeps {0,1}.
        assert_eq!(grouping_accuracy(&[1, 1, 2, 2], &["a", "a", "b", "c"]), 0.5);
        assert_eq!(grouping_accuracy(&[7, 7, 8], &["a", "a", "b"]), 1.0);
        // Splitting a true group makes all its messages wrong.
        assert_eq!(grouping_accuracy(&[1, 2, 3], &["a", "a", "b"]), 1.0 / 3.0);
    }

    #[test]
    fn parsing_accuracy_compares_templates() {
        let p = vec!["a <*>  b".to_string(), "c".to_string()];
        let t = vec!["a <*> b".to_string(), "d".to_string()];
        assert_eq!(parsing_accuracy(&p, &t), 0.5);
    }
}
