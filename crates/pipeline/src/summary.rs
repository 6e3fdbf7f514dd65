//! Deterministic pattern summaries: built from the template, the levels and services it was
//! seen with, and the most frequent values of its variables among the samples.

use std::collections::BTreeMap;

/// A one-line summary such as
/// `ERROR in api, web (1,204 lines): db timeout after <*>; values: 3s (2), 4s`.
pub fn summarize(
    template: &str,
    levels: &[&str],
    services: &[&str],
    lines: u64,
    samples: &[String],
) -> String {
    let mut summary = String::new();
    if !levels.is_empty() {
        summary.push_str(&levels.join("/"));
        summary.push(' ');
    }
    if !services.is_empty() {
        let shown: Vec<&str> = services.iter().take(3).copied().collect();
        summary.push_str("in ");
        summary.push_str(&shown.join(", "));
        if services.len() > 3 {
            summary.push_str(&format!(" and {} more", services.len() - 3));
        }
        summary.push(' ');
    }
    summary.push_str(&format!(
        "({} line{}): {template}",
        group_thousands(lines),
        if lines == 1 { "" } else { "s" }
    ));
    let values = variable_values(template, samples);
    let described: Vec<String> = values
        .iter()
        .take(3)
        .filter(|counts| !counts.is_empty())
        .map(|counts| {
            let mut ranked: Vec<(&String, &usize)> = counts.iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            ranked
                .iter()
                .take(3)
                .map(|(value, n)| {
                    if **n > 1 {
                        format!("{value} ({n})")
                    } else {
                        (*value).clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    if !described.is_empty() {
        summary.push_str("; values: ");
        summary.push_str(&described.join(" | "));
    }
    summary
}

/// For each variable token of the template, how often each value appears in the samples. A
/// sample contributes when it has as many whitespace-separated tokens as the template.
fn variable_values(template: &str, samples: &[String]) -> Vec<BTreeMap<String, usize>> {
    let tokens: Vec<&str> = template.split(' ').collect();
    let variables: Vec<usize> = (0..tokens.len())
        .filter(|i| tokens[*i].contains("<*>"))
        .collect();
    let mut values = vec![BTreeMap::new(); variables.len()];
    for sample in samples {
        let words: Vec<&str> = sample.split_whitespace().collect();
        if words.len() != tokens.len() {
            continue;
        }
        for (slot, &position) in variables.iter().enumerate() {
            let (prefix, suffix) = tokens[position].split_once("<*>").unwrap_or(("", ""));
            let suffix = suffix.rsplit("<*>").next().unwrap_or(suffix);
            let word = words[position];
            let value = word
                .strip_prefix(prefix)
                .and_then(|w| w.strip_suffix(suffix))
                .unwrap_or(word);
            *values[slot].entry(value.to_string()).or_insert(0) += 1;
        }
    }
    values
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_template_levels_services_and_values() {
        let samples = vec![
            "db timeout after 3s".to_string(),
            "db timeout after 4s".into(),
            "db timeout after 3s".into(),
        ];
        assert_eq!(
            summarize(
                "db timeout after <*>",
                &["ERROR"],
                &["api", "web"],
                1204,
                &samples
            ),
            "ERROR in api, web (1,204 lines): db timeout after <*>; values: 3s (2), 4s"
        );
        assert_eq!(
            summarize("user logged in", &["INFO"], &["api"], 1, &[]),
            "INFO in api (1 line): user logged in"
        );
    }

    #[test]
    fn strips_constant_parts_of_a_variable_token() {
        let samples = vec!["node node-12 up".to_string(), "node node-7 up".into()];
        assert_eq!(
            variable_values("node node-<*> up", &samples)[0]
                .keys()
                .cloned()
                .collect::<Vec<_>>(),
            vec!["12", "7"]
        );
    }
}
