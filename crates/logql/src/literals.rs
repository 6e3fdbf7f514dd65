//! The literal text every match of a line-filter regex contains, so a store can skip what cannot
//! match (the logs parts' line index skips blocks missing a needle's trigrams): a regex's
//! prefix or suffix when every match starts or ends with the same text of at least 3 bytes.

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// The shortest text a needle must have for the line index to use it.
const MIN_NEEDLE_BYTES: usize = 3;

/// Texts every match of `pattern` (Rust regex syntax, as `|~` reads it) contains: its common
/// prefix and its common suffix, where it has one of at least 3 bytes. Empty when the pattern
/// does not parse or has none (alternatives, case-insensitive text, a leading `.*`, …).
pub fn required_literals(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::parse(pattern) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let mut extractor = Extractor::new();
        extractor.kind(kind);
        let seq = extractor.extract(&hir);
        // One literal: every match holds it (exact or not, it is a prefix or suffix of the match).
        if let Some([only]) = seq.literals()
            && only.as_bytes().len() >= MIN_NEEDLE_BYTES
            && let Ok(text) = std::str::from_utf8(only.as_bytes())
            && !out.iter().any(|seen| seen == text)
        {
            out.push(text.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_suffixes_every_match_holds() {
        assert_eq!(
            required_literals(r"status=5\d\d .*duration=\d{4}ms"),
            vec!["status=5".to_string()]
        );
        assert_eq!(
            required_literals(r".*timeout after \d+ ms"),
            vec![" ms".to_string()]
        );
        assert_eq!(
            required_literals("connection refused"),
            vec!["connection refused".to_string()]
        );
        for none in ["(?i)error", "error|warn", ".*", r"\d+", "ab", "(unclosed"] {
            assert!(required_literals(none).is_empty(), "{none}");
        }
    }

    /// Every line a regex matches contains every literal given for it.
    #[test]
    fn matching_lines_hold_the_literals() {
        let cases = [
            (
                r"status=5\d\d .*duration=\d{4}ms",
                "GET / status=503 took duration=1234ms",
            ),
            (r"user (ann|bob) logged in", "x user bob logged in y"),
            (r"db timeout after \d+ ms", "db timeout after 120 ms"),
        ];
        for (pattern, line) in cases {
            assert!(regex::Regex::new(pattern).unwrap().is_match(line));
            for literal in required_literals(pattern) {
                assert!(
                    line.contains(&literal),
                    "{pattern}: {literal:?} not in {line:?}"
                );
            }
        }
    }
}
