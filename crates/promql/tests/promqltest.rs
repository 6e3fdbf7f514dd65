//! Prometheus' own PromQL test scripts run against the engine.
//!
//! The scripts are the `.test` files of Prometheus v2.53.5 (`promql/promqltest/testdata/`),
//! read at test time from `<workspace root>/../shared/promql-testdata` (never copied into this
//! repository); the test fails when that folder is missing.
//!
//! # The format (Prometheus' `promqltest`)
//!
//! One command per line; a command's block runs to the next blank line; lines are trimmed and
//! `#` lines are blank (so a comment also ends a block).
//! - `load <interval>` then series lines `metric{label="value"} <values>`: values are
//!   space-separated numbers (`Inf`, `-Inf`, `NaN` too), `_` (no sample), `_xN` (N missing),
//!   `stale` (the staleness marker), `vxN` (N+1 copies of v), `v+dxN` / `v-dxN` (N+1 values
//!   from v stepping by d); value i sits at i × interval ms from time 0. A series given twice
//!   in one load keeps its last line.
//! - `clear` drops all data.
//! - `eval instant at <duration> <expr>`, `eval_ordered …` (vector order checked) and
//!   `eval_fail …` (the query must fail), then the expected lines: `{labels} value`,
//!   `metric{labels} value`, or a bare number for a scalar (which ends the block). No lines
//!   expects an empty result.
//! - `eval[_fail] range from <t> to <t> step <d> <expr>` with expected series in the series
//!   notation (only `native_histograms.test` uses it in 2.53).
//!
//! # What is checked (as Prometheus v2.53's runner does)
//!
//! - Values match within Prometheus' `almost.Equal` with relative epsilon 1e-6 (NaN equals NaN,
//!   equal infinities are equal); labels match exactly; a vector's order only for
//!   `eval_ordered`; expected and actual series sets must be equal.
//! - An instant `eval` also runs as a range query from t−1m to t+1m step 1m, whose point at t
//!   must give the same result (not for `eval_ordered`; the matrix must be sorted by labels).
//! - An instant `eval` also runs its `@` variants: every selector and subquery (outside a
//!   subquery with `@`) gets `@ t` and the query runs at −10t, 0, t/5, t and 10t (−1 s, 0, 1 s
//!   when t = 0), each also in range mode; not for queries calling `time`, `timestamp`,
//!   `predict_linear` or the date functions. `PROMQLTEST_AT_VARIANTS=0` turns them off.
//! - `eval_fail`: every query must fail (then range mode is not run).
//!
//! # Skips
//!
//! [`SKIPS`] lists what is not run, each with its reason: native histograms
//! (`native_histograms.test`), which the engine does not support, and two `sort_by_label` cases
//! whose expected order of ties is an accident of Prometheus 2.53's unstable sort. A case reading native-histogram data that is not on that list fails.
//!
//! # Running
//!
//! `cargo test -p telemetryhub-promql --test promqltest`; `PROMQLTEST_FILTER=functions.test`
//! (comma-separated substrings of file names) runs a subset. Every failing case is printed
//! (file:line, query, expected and actual), then a table per file, then the test fails if any
//! case failed or a line could not be parsed.

#[path = "promqltest/run.rs"]
mod run;
#[path = "promqltest/script.rs"]
mod script;

use std::path::{Path, PathBuf};

use telemetryhub_promql::{MemorySource, parse};

use run::{Outcome, RunOptions};
use script::{Command, parse_script};

/// What is not run: (file, line of the `eval` or `None` for the whole file, reason).
const SKIPS: &[(&str, Option<usize>, &str)] = &[
    (
        "native_histograms.test",
        None,
        "native histograms ({{…}} values) are not supported",
    ),
    (
        "functions.test",
        Some(514),
        "the order of series equal on the sort labels: Prometheus 2.53 leaves it to an unstable \
         sort (these expectations record one run of it); TelemetryHub breaks ties by the full \
         label set, as Prometheus 3 does",
    ),
    (
        "functions.test",
        Some(574),
        "the order of series equal on the sort labels (as functions.test:514)",
    ),
];

/// The folder of the scripts: `<workspace root>/../shared/promql-testdata`.
fn testdata_dir() -> PathBuf {
    // CARGO_MANIFEST_DIR is <workspace root>/crates/promql.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/promql-testdata")
        .components()
        .collect()
}

/// The reason a case is skipped, if it is.
fn skip_reason(file: &str, line: usize) -> Option<&'static str> {
    SKIPS
        .iter()
        .find(|(f, l, _)| *f == file && l.is_none_or(|l| l == line))
        .map(|(_, _, reason)| *reason)
}

/// One file's tally.
#[derive(Debug, Default)]
struct FileTally {
    name: String,
    lines: usize,
    lines_read: usize,
    commands: usize,
    cases: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    parse_errors: usize,
    loads: usize,
    samples: usize,
}

#[tokio::test]
async fn prometheus_promqltest_scripts() {
    let dir = testdata_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the PromQL test scripts are missing: cannot read {} ({e}). They are Prometheus \
             v2.53.5's promql/promqltest/testdata/*.test, expected in `shared/promql-testdata` \
             beside the repository checkout.",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| {
            e.unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no .test files in {}: the PromQL test scripts are missing",
        dir.display()
    );
    let filter: Vec<String> = std::env::var("PROMQLTEST_FILTER")
        .ok()
        .map(|f| {
            f.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let options = RunOptions {
        at_variants: std::env::var("PROMQLTEST_AT_VARIANTS").map_or(true, |v| v != "0"),
    };
    let engine = run::test_engine();

    let mut tallies = Vec::new();
    let mut failures = Vec::new();
    let mut parse_errors = Vec::new();
    let mut parser_rejects = Vec::new();
    let mut notes = Vec::new();
    let mut skipped_cases = Vec::new();

    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let script = parse_script(&text);
        let mut tally = FileTally {
            name: name.clone(),
            lines: script.lines,
            lines_read: script.lines_read,
            commands: script.commands.len(),
            parse_errors: script.errors.len(),
            ..FileTally::default()
        };
        for error in &script.errors {
            parse_errors.push(format!("{name}:{}: {}", error.line, error.message));
        }
        if script.errors.is_empty() && script.lines_read != script.lines {
            parse_errors.push(format!(
                "{name}: {} of {} non-blank lines were read into commands",
                script.lines_read, script.lines
            ));
        }

        let mut source = MemorySource::new();
        let mut expected_samples = 0;
        let mut histogram_data = false;
        for command in &script.commands {
            match command {
                Command::Clear { .. } => {
                    source.clear();
                    expected_samples = 0;
                    histogram_data = false;
                }
                Command::Load(load) => {
                    let added = run::load(&mut source, load);
                    tally.loads += 1;
                    tally.samples += added;
                    // Loads in these scripts never overlap earlier samples of a series, so the
                    // source must hold exactly what the loads since the last clear added.
                    expected_samples += added;
                    let held = run::count_samples(&source).await;
                    if held != expected_samples {
                        parse_errors.push(format!(
                            "{name}:{}: the memory source holds {held} samples after this load, \
                             but the loads since the last clear added {expected_samples} (a load \
                             overlapping earlier samples, which Prometheus' storage rejects)",
                            load.line
                        ));
                        expected_samples = held;
                    }
                    histogram_data |= load.has_histograms();
                }
                Command::Eval(eval) => {
                    tally.cases += 1;
                    if let Err(e) = parse(&eval.expr) {
                        parser_rejects.push(format!(
                            "{name}:{}: `{}`: {e}{}",
                            eval.line,
                            eval.expr,
                            if eval.fail {
                                " (an eval_fail case)"
                            } else {
                                ""
                            }
                        ));
                    }
                    if let Some(reason) = skip_reason(&name, eval.line) {
                        tally.skipped += 1;
                        skipped_cases.push(format!("{name}:{}: {reason}", eval.line));
                        continue;
                    }
                    let outcome = if histogram_data || eval.expected.has_histograms() {
                        Outcome::Failed(
                            "reads native-histogram data, which is not supported, and is not \
                             on the skip list"
                                .into(),
                        )
                    } else {
                        let mut case_notes = Vec::new();
                        let outcome =
                            run::run_eval(&engine, &source, eval, options, &mut case_notes).await;
                        notes.extend(case_notes.into_iter().map(|n| format!("{name}: {n}")));
                        outcome
                    };
                    match outcome {
                        Outcome::Passed => tally.passed += 1,
                        Outcome::Failed(message) => {
                            tally.failed += 1;
                            let kind = match (eval.fail, eval.ordered) {
                                (true, _) => "eval_fail",
                                (_, true) => "eval_ordered",
                                _ => "eval",
                            };
                            failures.push(format!(
                                "{name}:{}: {kind} `{}`\n    {message}",
                                eval.line, eval.expr
                            ));
                        }
                    }
                }
            }
        }
        tallies.push(tally);
    }

    if !failures.is_empty() {
        println!("\n=== failing cases ({}) ===", failures.len());
        for failure in &failures {
            println!("{failure}");
        }
    }
    if !notes.is_empty() {
        println!("\n=== runner notes ({}) ===", notes.len());
        for note in &notes {
            println!("{note}");
        }
    }
    if !parser_rejects.is_empty() {
        println!(
            "\n=== queries promql-parser rejects ({}) ===",
            parser_rejects.len()
        );
        for reject in &parser_rejects {
            println!("{reject}");
        }
    }
    if !parse_errors.is_empty() {
        println!(
            "\n=== script lines the runner could not parse ({}) ===",
            parse_errors.len()
        );
        for error in &parse_errors {
            println!("{error}");
        }
    }
    if !skipped_cases.is_empty() {
        println!("\n=== skipped: {} cases ===", skipped_cases.len());
        for (file, _, reason) in SKIPS {
            let n = skipped_cases
                .iter()
                .filter(|s| s.starts_with(&format!("{file}:")))
                .count();
            println!("{file}: {n} cases: {reason}");
        }
    }

    println!(
        "\n{:<24} {:>11} {:>8} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>8}",
        "file",
        "lines read",
        "commands",
        "cases",
        "passed",
        "failed",
        "skipped",
        "parserr",
        "loads",
        "samples"
    );
    let total = total_of(&tallies);
    for t in tallies.iter().chain(std::iter::once(&total)) {
        println!(
            "{:<24} {:>11} {:>8} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>8}",
            t.name,
            format!("{}/{}", t.lines_read, t.lines),
            t.commands,
            t.cases,
            t.passed,
            t.failed,
            t.skipped,
            t.parse_errors,
            t.loads,
            t.samples
        );
    }
    println!(
        "\npromqltest: {} passed, {} failed, {} skipped, {} script parse errors",
        total.passed, total.failed, total.skipped, total.parse_errors
    );
    assert!(
        !tallies.is_empty(),
        "PROMQLTEST_FILTER={filter:?} matches none of the scripts in {}",
        dir.display()
    );
    assert!(
        failures.is_empty() && parse_errors.is_empty(),
        "{} PromQL test cases failed and {} script lines could not be parsed (see above)",
        failures.len(),
        parse_errors.len()
    );
}

/// The sum of `tallies`.
fn total_of(tallies: &[FileTally]) -> FileTally {
    let mut total = FileTally {
        name: "total".into(),
        ..FileTally::default()
    };
    for t in tallies {
        total.lines += t.lines;
        total.lines_read += t.lines_read;
        total.commands += t.commands;
        total.cases += t.cases;
        total.passed += t.passed;
        total.failed += t.failed;
        total.skipped += t.skipped;
        total.parse_errors += t.parse_errors;
        total.loads += t.loads;
        total.samples += t.samples;
    }
    total
}
