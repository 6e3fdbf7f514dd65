//! Cheap rules about the source tree, enforced as a test (after rust-analyzer's `tidy`).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every module opens with a `//!` comment saying what it is for; test modules in a `tests.rs`
/// beside their parent are exempt, since the parent says it.
#[test]
fn every_module_has_a_doc_comment() {
    let crates = package_dir().join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(
        files.len() > 20,
        "found only {} files under {}",
        files.len(),
        crates.display()
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|path| path.file_name().is_some_and(|n| n != "tests.rs"))
        .filter(|path| {
            !std::fs::read_to_string(path)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! doc comment: {missing:#?}"
    );
}

/// The package's directory, read when the test runs (cargo sets it) rather than when it was
/// compiled: a build cache shared by checkouts at other paths may hold a binary built elsewhere.
fn package_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(
        || env!("CARGO_MANIFEST_DIR").into(),
        std::path::PathBuf::from,
    )
}

fn workspace_root() -> std::path::PathBuf {
    package_dir().join("../..")
}

/// The names in backticks in a table cell.
fn names(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The rows of the tables of ARCHITECTURE.md's "Crate dependencies" section, as cells of names:
/// the first table has three cells a row, the second two.
fn dependency_tables() -> Vec<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("\n## Crate dependencies\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a '## Crate dependencies' section");
    section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| line.starts_with("| `"))
        .map(|line| line.trim_matches('|').split('|').map(names).collect())
        .collect()
}

/// Our crates a manifest lists in one dependency table (`dependencies` or `dev-dependencies`).
fn our_dependencies(manifest: &toml::Table, table: &str) -> Vec<String> {
    manifest
        .get(table)
        .and_then(|t| t.as_table())
        .map(|deps| {
            deps.keys()
                .filter_map(|name| name.strip_prefix("telemetryhub-"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Issue 13: dependencies point the way ARCHITECTURE.md says. Every crate is in its dependency
/// table, no crate lists one of ours that the table does not allow (normal dependencies against
/// the second column; dev-dependencies against both), and the third-party crates that carry a
/// boundary (HTTP, DataFusion, the catalog's database, `anyhow`) are normal dependencies only of
/// the crates the second table names.
#[test]
fn crate_dependencies_follow_the_architecture() {
    let tables = dependency_tables();
    let allowed: Vec<(String, Vec<String>, Vec<String>)> = tables
        .iter()
        .filter(|row| row.len() == 3)
        .map(|row| (row[0].concat(), row[1].clone(), row[2].clone()))
        .collect();
    let boundaries: Vec<(Vec<String>, Vec<String>)> = tables
        .iter()
        .filter(|row| row.len() == 2)
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    assert!(allowed.len() >= 10, "the table has {} rows", allowed.len());
    assert!(
        boundaries.len() >= 3,
        "the boundaries table has {} rows",
        boundaries.len()
    );
    let mut problems = Vec::new();
    let mut crates = Vec::new();
    for entry in std::fs::read_dir(workspace_root().join("crates"))
        .unwrap()
        .flatten()
    {
        let manifest_path = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest_path) else {
            continue;
        };
        let manifest: toml::Table = text.parse().unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        crates.push(name.clone());
        let Some((_, normal, dev)) = allowed.iter().find(|(krate, _, _)| *krate == name) else {
            problems.push(format!("crate `{name}` is missing from the table"));
            continue;
        };
        for dependency in our_dependencies(&manifest, "dependencies") {
            if !normal.contains(&dependency) {
                problems.push(format!("`{name}` depends on `{dependency}`"));
            }
        }
        let third_party = manifest
            .get("dependencies")
            .and_then(|t| t.as_table())
            .map(|deps| deps.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        for (guarded, only_in) in &boundaries {
            for dependency in third_party.iter().filter(|d| guarded.contains(d)) {
                if !only_in.contains(&name) {
                    problems.push(format!("`{name}` depends on `{dependency}`"));
                }
            }
        }
        for dependency in our_dependencies(&manifest, "dev-dependencies") {
            if !normal.contains(&dependency) && !dev.contains(&dependency) {
                problems.push(format!("`{name}` uses `{dependency}` in tests"));
            }
        }
    }
    for (krate, _, _) in &allowed {
        if !crates.contains(krate) {
            problems.push(format!("the table names `{krate}`, which does not exist"));
        }
    }
    assert!(
        problems.is_empty(),
        "dependencies ARCHITECTURE.md does not allow: {problems:#?}"
    );
}

/// The names of every test under `crates/` (a function after a `#[test]` or `#[tokio::test]`
/// attribute, proptest's included) and of the conformance suites' checks, which the backends'
/// tests run.
fn test_names() -> std::collections::HashSet<String> {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(workspace_root().join("crates"))
        .unwrap()
        .flatten()
    {
        for dir in ["src", "tests", "benches"] {
            let path = krate.path().join(dir);
            if path.is_dir() {
                rust_files(&path, &mut files);
            }
        }
    }
    let fn_name = |line: &str| -> Option<String> {
        let rest = line.split("fn ").nth(1)?;
        Some(
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect(),
        )
    };
    let mut names = std::collections::HashSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let conformance = file
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("conformance.rs"));
        let mut after_test_attribute = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
                after_test_attribute = true;
            } else if line.contains("fn ") {
                let is_check = conformance && line.starts_with("pub async fn ");
                if let Some(name) = fn_name(line).filter(|_| after_test_attribute || is_check) {
                    names.insert(name);
                }
                after_test_attribute = false;
            }
        }
    }
    names
}

/// Issue 13: every architecture invariant names the tests that hold it, and they exist. An
/// invariant is a paragraph opening with `**Architecture invariant:**` or an item of the list
/// after `**Architecture invariants:**`; it names its tests as `(tests: `a`, `b`)`.
#[test]
fn every_architecture_invariant_names_existing_tests() {
    let text = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    let mut invariants: Vec<String> = Vec::new();
    let mut in_list = false;
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph.trim();
        if let Some(rest) = paragraph.strip_prefix("**Architecture invariant:**") {
            invariants.push(rest.to_string());
            in_list = false;
        } else if let Some(rest) = paragraph.strip_prefix("**Architecture invariants:**") {
            for item in rest.split("\n- ").skip(1) {
                invariants.push(item.to_string());
            }
            in_list = true;
        } else if in_list && paragraph.starts_with("- ") {
            for item in paragraph.split("\n- ") {
                invariants.push(item.to_string());
            }
        } else {
            in_list = false;
        }
    }
    assert!(
        invariants.len() >= 10,
        "found {} invariants",
        invariants.len()
    );
    let known_tests = test_names();
    let mut problems = Vec::new();
    for invariant in &invariants {
        // Wrapped lines read as one.
        let invariant = invariant.split_whitespace().collect::<Vec<_>>().join(" ");
        let summary: String = invariant.chars().take(70).collect();
        let Some(named) = invariant.split("(tests: ").nth(1) else {
            problems.push(format!("names no test: {summary}…"));
            continue;
        };
        let named = named.split(')').next().unwrap_or_default();
        let tests: Vec<&str> = named.split('`').skip(1).step_by(2).collect();
        if tests.is_empty() {
            problems.push(format!("names no test: {summary}…"));
        }
        for test in tests {
            let name = test.rsplit("::").next().unwrap_or(test);
            if !known_tests.contains(name) {
                problems.push(format!("names `{test}`, which is not a test: {summary}…"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "architecture invariants without tests: {problems:#?}"
    );
}

/// The top-level modules of a crate's `src` a file refers to as `crate::<module>`, outside
/// comments and test code.
fn module_references(text: &str, modules: &[String]) -> std::collections::BTreeSet<String> {
    // Test code: a `#[cfg(test)]` module named `tests` (private or `pub(crate)`).
    let code = text
        .match_indices("\n#[cfg(test)]\n")
        .find(|(at, marker)| {
            text[at + marker.len()..]
                .lines()
                .next()
                .is_some_and(|line| line.ends_with("mod tests {") || line.ends_with("mod tests;"))
        })
        .map_or(text, |(at, _)| &text[..at]);
    let code: String = code
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = std::collections::BTreeSet::new();
    for rest in code.split("crate::").skip(1) {
        let mut names = Vec::new();
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::X, c::{..}}`: the first segment of each top-level entry.
            let mut depth = 0;
            let mut entry_start = true;
            for (at, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => entry_start = true,
                    c if entry_start && !c.is_whitespace() => {
                        names.push(ident(&group[at..]));
                        entry_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(rest));
        }
        found.extend(names.into_iter().filter(|name| modules.contains(name)));
    }
    found
}

/// Issue 13: no file circles. Within each crate, the top-level modules (a file in `src`, with
/// the folder of the same name) refer to each other without a cycle, so each can be read after
/// the ones it uses. `lib.rs` and test code are left out: they may use everything.
#[test]
fn modules_refer_to_each_other_without_cycles() {
    let mut problems = Vec::new();
    let mut crates_checked = 0;
    for krate in std::fs::read_dir(workspace_root().join("crates"))
        .unwrap()
        .flatten()
    {
        let src = krate.path().join("src");
        if !src.is_dir() {
            continue;
        }
        crates_checked += 1;
        let modules: Vec<String> = std::fs::read_dir(&src)
            .unwrap()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".rs").map(str::to_string)
            })
            .filter(|name| !["lib", "main", "tests", "testing"].contains(&name.as_str()))
            .collect();
        let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            std::collections::BTreeMap::new();
        for module in &modules {
            let mut files = vec![src.join(format!("{module}.rs"))];
            let folder = src.join(module);
            if folder.is_dir() {
                rust_files(&folder, &mut files);
            }
            let uses = edges.entry(module.clone()).or_default();
            for file in files.iter().filter(|f| {
                f.file_name()
                    .is_some_and(|n| n != "tests.rs" && n != "testing.rs")
            }) {
                let text = std::fs::read_to_string(file).unwrap();
                uses.extend(module_references(&text, &modules));
            }
            uses.remove(module);
        }
        // Depth-first search for a back edge; the path names the circle.
        fn visit(
            module: &str,
            edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
            path: &mut Vec<String>,
            done: &mut std::collections::BTreeSet<String>,
            circles: &mut Vec<String>,
        ) {
            if let Some(start) = path.iter().position(|m| m == module) {
                circles.push(format!("{} -> {module}", path[start..].join(" -> ")));
                return;
            }
            if !done.insert(module.to_string()) {
                return;
            }
            path.push(module.to_string());
            for next in edges.get(module).into_iter().flatten() {
                visit(next, edges, path, done, circles);
            }
            path.pop();
        }
        let mut done = std::collections::BTreeSet::new();
        let mut circles = Vec::new();
        for module in edges.keys() {
            visit(module, &edges, &mut Vec::new(), &mut done, &mut circles);
        }
        let name = krate.file_name().to_string_lossy().into_owned();
        problems.extend(circles.into_iter().map(|c| format!("{name}: {c}")));
    }
    assert!(crates_checked >= 10, "checked {crates_checked} crates");
    assert!(problems.is_empty(), "module circles: {problems:#?}");
}
