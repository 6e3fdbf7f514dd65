//! Target discovery: `static_configs` once, `file_sd_configs` re-read when a file changes (and
//! every `refresh_interval`), `http_sd_configs` asked every `refresh_interval`. Each provider
//! sends its whole current list of target groups; a provider that fails keeps its last good
//! list, as Prometheus does, so a half-written file or a flapping endpoint does not stop
//! scrapes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

use crate::config::{FileSdConfig, HttpSdConfig};
use crate::http::{HttpClient, HttpSettings};
use crate::metrics::DISCOVERY_FAILURES;
use crate::target::TargetGroup;

/// One provider's current target groups: its index in the pool and the groups.
pub(crate) type Update = (usize, Vec<TargetGroup>);

/// How often files are checked for a change between full re-reads. Prometheus watches with
/// inotify; a once-a-second look at modification times costs a few `stat`s and needs no
/// platform code.
const FILE_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// Reads the files of `config` whenever they change, sending every change.
pub(crate) async fn watch_files(
    provider: usize,
    config: FileSdConfig,
    updates: mpsc::Sender<Update>,
) {
    let mut last_seen: Option<Vec<(PathBuf, Option<SystemTime>)>> = None;
    let mut groups_by_file: BTreeMap<PathBuf, Vec<TargetGroup>> = BTreeMap::new();
    let mut last_full_read = tokio::time::Instant::now();
    loop {
        let files = matching_files(&config.files);
        let stamps: Vec<(PathBuf, Option<SystemTime>)> = files
            .iter()
            .map(|path| {
                let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                (path.clone(), modified)
            })
            .collect();
        let refresh_due = last_full_read.elapsed() >= config.refresh_interval.0;
        if last_seen.as_ref() != Some(&stamps) || refresh_due {
            last_full_read = tokio::time::Instant::now();
            groups_by_file.retain(|path, _| files.contains(path));
            for path in &files {
                match read_groups_file(path) {
                    Ok(groups) => {
                        groups_by_file.insert(path.clone(), groups);
                    }
                    Err(message) => {
                        DISCOVERY_FAILURES.with_label_values(&["file"]).inc();
                        tracing::warn!(file = %path.display(), error = %message, "cannot read a file_sd file; keeping its last targets");
                    }
                }
            }
            last_seen = Some(stamps);
            let all = groups_by_file.values().flatten().cloned().collect();
            if updates.send((provider, all)).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(FILE_CHECK_INTERVAL).await;
    }
}

/// The files `patterns` name now: each pattern is a path whose last element may hold `*` and
/// `?` wildcards, as Prometheus allows.
fn matching_files(patterns: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for pattern in patterns {
        let path = Path::new(pattern);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.contains(['*', '?', '[']) {
            files.push(path.to_path_buf());
            continue;
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut matched: Vec<PathBuf> = entries
            .flatten()
            .filter(|entry| wildcard_match(&name, &entry.file_name().to_string_lossy()))
            .map(|entry| entry.path())
            .collect();
        matched.sort();
        files.extend(matched);
    }
    files.dedup();
    files
}

/// Shell-style matching of one path element: `*` any run, `?` one character.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    let (mut p, mut n) = (0, 0);
    let (mut star, mut star_name) = (None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            star_name = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            star_name += 1;
            n = star_name;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Reads one file_sd file (JSON, or YAML by its extension); each group gets the file's path as
/// `__meta_filepath`.
pub(crate) fn read_groups_file(path: &Path) -> Result<Vec<TargetGroup>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    let mut groups: Vec<TargetGroup> = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())?
    } else if text.trim().is_empty() {
        Vec::new()
    } else {
        serde_saphyr::from_str(&text).map_err(|e| e.to_string())?
    };
    let source = path.display().to_string();
    for (index, group) in groups.iter_mut().enumerate() {
        group
            .labels
            .insert("__meta_filepath".to_string(), source.clone());
        group.source = format!("{source}:{index}");
    }
    Ok(groups)
}

/// Asks `config.url` for target groups every refresh interval, sending each good answer.
pub(crate) async fn poll_http(
    provider: usize,
    config: HttpSdConfig,
    updates: mpsc::Sender<Update>,
) {
    let settings = HttpSettings {
        basic_auth: config.basic_auth.clone(),
        authorization: config.authorization.clone(),
        tls_config: config.tls_config.clone(),
    };
    let client = match HttpClient::new(&settings, Duration::from_secs(30)) {
        Ok(client) => client,
        Err(message) => {
            DISCOVERY_FAILURES.with_label_values(&["http"]).inc();
            tracing::error!(url = %config.url, error = %message, "cannot set up http_sd");
            return;
        }
    };
    let refresh = config.refresh_interval.0.max(Duration::from_millis(100));
    loop {
        match fetch_groups(&client, &config.url, refresh).await {
            Ok(groups) => {
                if updates.send((provider, groups)).await.is_err() {
                    return;
                }
            }
            Err(message) => {
                DISCOVERY_FAILURES.with_label_values(&["http"]).inc();
                tracing::warn!(url = %config.url, error = %message, "http_sd request failed; keeping its last targets");
            }
        }
        tokio::time::sleep(refresh).await;
    }
}

/// One HTTP SD request: a JSON list of groups, each labelled with `__meta_url`.
async fn fetch_groups(
    client: &HttpClient,
    url: &str,
    refresh: Duration,
) -> Result<Vec<TargetGroup>, String> {
    let headers = [(
        "X-Prometheus-Refresh-Interval-Seconds",
        refresh.as_secs().to_string(),
    )];
    let response = client
        .get(url, &headers, "application/json", 64 << 20, None)
        .await
        .map_err(|e| e.to_string())?;
    let content_type = response.content_type.unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Err(format!("unsupported content type {content_type:?}"));
    }
    let mut groups: Vec<TargetGroup> =
        serde_json::from_slice(&response.body).map_err(|e| e.to_string())?;
    for (index, group) in groups.iter_mut().enumerate() {
        group
            .labels
            .insert("__meta_url".to_string(), url.to_string());
        group.source = format!("{url}:{index}");
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_path_element() {
        assert!(wildcard_match("*.json", "targets.json"));
        assert!(wildcard_match("t?.yml", "t1.yml"));
        assert!(!wildcard_match("*.json", "targets.yml"));
        assert!(wildcard_match("a*b*c", "aXbYc"));
        assert!(!wildcard_match("a*b*c", "aXbY"));
    }

    #[test]
    fn reads_json_and_yaml_target_files() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("a.json");
        std::fs::write(
            &json,
            r#"[{"targets": ["h1:9100", "h2:9100"], "labels": {"env": "prod"}}]"#,
        )
        .unwrap();
        let yaml = dir.path().join("b.yml");
        std::fs::write(&yaml, "- targets: ['h3:9100']\n").unwrap();
        let files = matching_files(&[format!("{}/*", dir.path().display())]);
        assert_eq!(files, vec![json.clone(), yaml.clone()]);
        let groups = read_groups_file(&json).unwrap();
        assert_eq!(groups[0].targets, vec!["h1:9100", "h2:9100"]);
        assert_eq!(groups[0].labels.get("env").unwrap(), "prod");
        assert_eq!(
            groups[0].labels.get("__meta_filepath").unwrap(),
            &json.display().to_string()
        );
        assert_eq!(read_groups_file(&yaml).unwrap()[0].targets, vec!["h3:9100"]);
        std::fs::write(&json, "[{").unwrap();
        assert!(read_groups_file(&json).is_err());
    }
}
