//! Execution records end to end: the shipped mapping of the original Kafka pipeline and its
//! shipped sample, ingested as a JSON body, NDJSON, CSV, a multipart upload and by
//! `telemetryhub ingest`; the counts, the dead letter and its replay under an adjusted mapping,
//! the analytics against the hand-computed values (the records crate's
//! `the_samples_analytics_match_the_hand_computed_values`), the records seen through the Loki
//! API and `/query/logs`, rule hits in `/anomalies`, the counters in `/metrics`, tenants kept
//! apart, and refusals.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{Server, error_code, with_query};

const SOURCE: &str = "kafka-observability";
/// The day of the sample's records.
const SINCE: &str = "2025-09-05T00:00:00Z";
const UNTIL: &str = "2025-09-06T00:00:00Z";

pub(crate) fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/records")
        .join(file)
}

pub(crate) fn sample() -> Vec<Value> {
    let text = std::fs::read_to_string(deploy("kafka-observability-sample.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A config file naming a records mapping; retention long enough for the sample's 2025 day.
fn config_file(dir: &Path, mapping: &Path) -> PathBuf {
    let path = dir.join("telemetryhub.toml");
    std::fs::write(
        &path,
        format!(
            "retention = \"3650d\"\nrecords_config = {:?}\n",
            mapping.to_str().unwrap()
        ),
    )
    .unwrap();
    path
}

fn start(data: &Path, config: &Path) -> Server {
    Server::start(data, &["--config", config.to_str().unwrap()])
}

/// The sample as CSV: every column any record has, cells as text, absent fields empty.
fn sample_csv() -> String {
    let records = sample();
    let mut columns: Vec<String> = Vec::new();
    for record in &records {
        for key in record.as_object().unwrap().keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns).unwrap();
    for record in &records {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match &record[c] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

async fn post_file(
    server: &Server,
    tenant: &str,
    query: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let response = server
        .client
        .post(server.url(&format!("/ingest/file?{query}")))
        .header("X-Scope-OrgID", tenant)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST /ingest/file");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn get(server: &Server, tenant: &str, path: &str) -> (u16, Value) {
    let response = server
        .client
        .get(server.url(path))
        .header("X-Scope-OrgID", tenant)
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) fn close(value: &Value, want: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|got| (got - want).abs() < 1e-6 * want.abs().max(1.0))
}

/// The ingest answer of the sample: five stored, the sixth (index 5) refused for its object id.
fn assert_sample_answer(status: u16, body: &Value) {
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["accepted"].as_u64(), body["rejected"].as_u64()),
        (Some(5), Some(1)),
        "{body}"
    );
    let errors = body["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["index"] == 5), "{body}");
    assert!(errors.iter().any(|e| e["field"] == "Objet_Id"), "{body}");
}

pub(crate) async fn summary(server: &Server, tenant: &str) -> Value {
    let (status, body) = get(
        server,
        tenant,
        &format!("/analytics/summary?since={SINCE}&until={UNTIL}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The summary of the shipped sample's five good records: the hand-computed figures (the
/// records crate's `the_samples_analytics_match_the_hand_computed_values`). `tenant` names the
/// way they came in.
pub(crate) fn assert_sample_figures(s: &Value, tenant: &str) {
    let counts = [
        "total_count",
        "success_count",
        "failed_count",
        "anomaly_count",
        "rule_hit_count",
    ]
    .map(|name| s[name].as_u64().unwrap_or(u64::MAX));
    assert_eq!(counts, [5, 3, 2, 4, 6], "{tenant}: {s}");
    assert!(close(&s["success_rate"], 60.0), "{tenant}: {s}");
    assert!(
        close(&s["avg_efficiency_score"], 308.9611825 / 5.0),
        "{tenant}: {s}"
    );
    assert!(
        close(&s["avg_duration_seconds"], 4020.898215 / 5.0),
        "{tenant}: {s}"
    );
    assert!(
        close(&s["avg_cpu_time_seconds"], 124.69 / 5.0),
        "{tenant}: {s}"
    );
    assert!(
        close(&s["avg_memory_bytes"], 165_516_288.0 / 5.0),
        "{tenant}: {s}"
    );
    assert!(close(&s["records_per_minute"], 5.0 / 60.0), "{tenant}: {s}");
    assert_eq!(
        (s["total_sources"].as_u64(), s["total_companies"].as_u64()),
        (Some(3), Some(2))
    );
}

#[tokio::test]
async fn the_shipped_sample_goes_in_every_way_and_comes_out_as_its_analytics() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &deploy("kafka-observability.toml"));
    let server = start(&dir.path().join("data"), &config);
    let query = format!("source={SOURCE}");
    let json_text = serde_json::to_string(&sample()).unwrap();

    // A JSON array body.
    let (status, body) = post_file(
        &server,
        "json",
        &query,
        "application/json",
        json_text.clone(),
    )
    .await;
    assert_sample_answer(status, &body);
    // NDJSON.
    let ndjson: String = sample().iter().map(|r| format!("{r}\n")).collect();
    let (status, body) = post_file(&server, "ndjson", &query, "application/x-ndjson", ndjson).await;
    assert_sample_answer(status, &body);
    // CSV, its format sniffed from a Content-Type that names none.
    let (status, body) = post_file(&server, "csv", &query, "text/plain", sample_csv()).await;
    assert_sample_answer(status, &body);
    // A multipart upload, the format from the part's file name.
    let boundary = "th-records-boundary";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"runs.json\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{json_text}\r\n--{boundary}--\r\n"
    );
    let (status, body) = post_file(
        &server,
        "multipart",
        &query,
        &format!("multipart/form-data; boundary={boundary}"),
        multipart,
    )
    .await;
    assert_sample_answer(status, &body);
    // The CLI command.
    let file = dir.path().join("runs.ndjson");
    std::fs::write(
        &file,
        sample()
            .iter()
            .map(|r| format!("{r}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_telemetryhub"))
        .args([
            "ingest",
            file.to_str().unwrap(),
            "--source",
            SOURCE,
            "--tenant",
            "cli",
        ])
        .args(["--url", &server.url])
        .output()
        .expect("run telemetryhub ingest");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("accepted 5, rejected 1"), "{stdout}");
    assert!(stdout.contains("record 5: field \"Objet_Id\""), "{stdout}");

    // Every way gives the same records, and so the hand-computed figures.
    for tenant in ["json", "ndjson", "csv", "multipart", "cli"] {
        assert_sample_figures(&summary(&server, tenant).await, tenant);
    }
    let (status, sources) = get(
        &server,
        "json",
        &format!("/analytics/sources?since={SINCE}&until={UNTIL}"),
    )
    .await;
    assert_eq!(status, 200, "{sources}");
    let zoho = &sources["sources"]["zohoprojects"];
    assert_eq!(
        [
            "total_count",
            "success_count",
            "failed_count",
            "anomaly_count"
        ]
        .map(|name| zoho[name].as_u64().unwrap_or(u64::MAX)),
        [2, 1, 1, 1],
        "{sources}"
    );
    assert!(
        close(&zoho["avg_efficiency_score"], 157.7111825 / 2.0),
        "{zoho}"
    );
    assert!(close(
        &sources["sources"]["sharepoint"]["avg_efficiency_score"],
        75.625
    ));
    assert!(close(
        &sources["sources"]["powerbi"]["avg_efficiency_score"],
        0.0
    ));
    assert_eq!(sources["companies"]["akonovia"]["total_count"], 3);
    // Each group's first and last record times, in RFC 3339.
    assert_eq!(
        [&zoho["first_timestamp"], &zoho["last_timestamp"]],
        ["2025-09-05T16:45:26.191702Z", "2025-09-05T16:50:00Z"],
        "{zoho}"
    );
    assert!(zoho.get("first_timestamp_ns").is_none(), "{zoho}");
    let s = summary(&server, "json").await;
    assert_eq!(
        [&s["first_timestamp"], &s["last_timestamp"]],
        ["2025-09-05T16:00:00Z", "2025-09-05T17:00:00Z"],
        "{s}"
    );
    let (_, recent) = get(
        &server,
        "json",
        &format!("/analytics/recent?limit=2&since={SINCE}&until={UNTIL}"),
    )
    .await;
    let keys: Vec<&str> = recent["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "brightcorp:2025-09-05-17-00:3002",
            "brightcorp:2025-09-05-16-55:3001"
        ],
        "newest first: {recent}"
    );
    let (_, anomalies) = get(
        &server,
        "json",
        &format!("/analytics/anomalies?since={SINCE}&until={UNTIL}"),
    )
    .await;
    let hits: Vec<Vec<&str>> = anomalies["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["rule_hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["rule"].as_str().unwrap_or(""))
                .collect()
        })
        .collect();
    assert_eq!(
        hits,
        [
            vec!["execution_failure"],
            vec!["negative_memory_usage"],
            vec!["execution_failure"],
            vec!["long_execution_time", "high_memory_usage", "low_efficiency"],
        ],
        "newest first: {anomalies}"
    );

    // The rule hits are TelemetryHub anomalies too.
    let (status, raised) = get(
        &server,
        "json",
        &format!("/anomalies?service={SOURCE}&since={SINCE}&until={UNTIL}"),
    )
    .await;
    assert_eq!(status, 200, "{raised}");
    assert_eq!(raised.as_array().map(Vec::len), Some(6), "{raised}");

    // The records are log lines: by LogQL on their labels, and by the native log query.
    let loki = with_query(
        "/loki/api/v1/query_range",
        &[
            (
                "query",
                r#"{source="zohoprojects", company="akonovia"}"#.to_string(),
            ),
            ("start", SINCE.to_string()),
            ("end", UNTIL.to_string()),
        ],
    );
    let (status, found) = get(&server, "json", &loki).await;
    assert_eq!(status, 200, "{found}");
    let lines: Vec<&str> = found["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|stream| stream["values"].as_array().unwrap())
        .map(|value| value[1].as_str().unwrap_or(""))
        .collect();
    assert_eq!(lines.len(), 2, "{found}");
    assert!(lines.contains(&"HTTP 429 Too Many Requests"), "{found}");
    let (status, logs) = get(
        &server,
        "json",
        &format!("/query/logs?service={SOURCE}&since={SINCE}&until={UNTIL}"),
    )
    .await;
    assert_eq!(status, 200, "{logs}");
    assert_eq!(logs.as_array().map(Vec::len), Some(5), "{logs}");

    // The dead letter, with its index, field and raw input.
    let (status, letters) = get(&server, "json", "/records/dead-letters").await;
    assert_eq!(status, 200, "{letters}");
    let letters = letters["dead_letters"].as_array().unwrap().clone();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["index"], 5);
    assert_eq!(letters[0]["source"], SOURCE);
    assert!(letters[0]["raw"].as_str().unwrap().contains("\"abc\""));
    assert!(
        letters[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "Objet_Id")
    );

    // Tenants are apart.
    let other = summary(&server, "nobody").await;
    assert_eq!(other["total_count"], 0, "{other}");
    let (_, none) = get(&server, "nobody", "/records/dead-letters").await;
    assert_eq!(none["dead_letters"], json!([]));

    // Sending the same file again stores nothing twice (the records' keys).
    let (status, body) = post_file(&server, "json", &query, "application/json", json_text).await;
    assert_sample_answer(status, &body);
    assert_eq!(summary(&server, "json").await["total_count"], 5);

    // The design's per-source counters.
    let metrics = server.exposition().await;
    assert!(
        metrics.contains("log_entries_by_source_total{source=\"zohoprojects\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("processing_errors_total{type=\"standardisation\"}"));

    // After adjusting the mapping (and restarting), a replay stores the dead letter.
    server.stop();
    let adjusted = dir.path().join("adjusted.toml");
    let shipped = std::fs::read_to_string(deploy("kafka-observability.toml")).unwrap();
    let fixed = shipped
        .replace(
            r#"object_id = { from = "Objet_Id", type = "integer", required = true }"#,
            r#"object_id = { from = "Objet_Id", required = true }"#,
        )
        .replace(
            r#"start_time = { from = "Debut", type = "timestamp", required = true, formats = ["%d-%m-%Y %H:%M:%S%.f"] }"#,
            r#"start_time = { from = "Debut", type = "timestamp", required = true, formats = ["%d-%m-%Y %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"] }"#,
        )
        .replace(
            r#"memory_used_bytes = { from = "memory_used (bytes)", type = "integer" }"#,
            r#"memory_used_bytes = { from = "memory_used (bytes)" }"#,
        );
    assert_ne!(fixed, shipped);
    std::fs::write(&adjusted, fixed).unwrap();
    let config = config_file(dir.path(), &adjusted);
    let server = start(&dir.path().join("data"), &config);
    let response = server
        .client
        .post(server.url(&format!("/records/dead-letters/replay?source={SOURCE}")))
        .header("X-Scope-OrgID", "json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let replay: Value = response.json().await.unwrap();
    assert_eq!(
        (replay["examined"].as_u64(), replay["stored"].as_u64()),
        (Some(1), Some(1)),
        "{replay}"
    );
    let (_, letters) = get(&server, "json", "/records/dead-letters").await;
    assert_eq!(letters["dead_letters"], json!([]));
    assert_eq!(summary(&server, "json").await["total_count"], 6);
    // The other tenants' dead letters are theirs still.
    let (_, letters) = get(&server, "csv", "/records/dead-letters").await;
    assert_eq!(letters["dead_letters"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn bad_requests_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &deploy("kafka-observability.toml"));
    let server = start(&dir.path().join("data"), &config);
    let json_text = serde_json::to_string(&sample()).unwrap();
    let cases = [
        (
            "source=kafka-observability&format=xml",
            "application/json",
            json_text.clone(),
            "format",
        ),
        (
            "source=nope",
            "application/json",
            json_text.clone(),
            "source",
        ),
        ("", "application/json", json_text.clone(), "source"),
    ];
    for (query, content_type, body, field) in cases {
        let (status, answer) = post_file(&server, "t", query, content_type, body).await;
        assert_eq!(status, 400, "{query}: {answer}");
        assert_eq!(error_code(&answer), "invalid_argument");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    // A JSON array cut short: what came before is stored, and the answer says where it broke.
    let cut = &json_text[..json_text.len() / 2];
    let (status, answer) = post_file(
        &server,
        "t",
        "source=kafka-observability",
        "application/json",
        cut.to_string(),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid JSON"),
        "{answer}"
    );
    // A multipart upload without a file part.
    let (status, answer) = post_file(
        &server,
        "t",
        "source=kafka-observability",
        "multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["field"], "file", "{answer}");

    // Over --max-file-size: 413, naming the limit.
    let small = Server::start(
        &dir.path().join("small"),
        &[
            "--config",
            config.to_str().unwrap(),
            "--max-file-size",
            "1KiB",
        ],
    );
    let (status, answer) = post_file(
        &small,
        "t",
        "source=kafka-observability",
        "application/json",
        json_text,
    )
    .await;
    assert_eq!(status, 413, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1024 bytes"),
        "{answer}"
    );

    // Without record sources, the record routes say what is missing.
    let bare = Server::start(&dir.path().join("bare"), &[]);
    for path in ["/analytics/summary", "/records/dead-letters"] {
        let (status, answer) = get(&bare, "t", path).await;
        assert_eq!(status, 404, "{path}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("[records"),
            "{answer}"
        );
    }
    let (status, _) = post_file(&bare, "t", "source=x", "application/json", "[]").await;
    assert_eq!(status, 404);
}

/// A file of several chunks (10 000 records each) is stored whole, one write per chunk.
#[tokio::test]
async fn a_file_of_many_chunks_is_stored_whole() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &deploy("kafka-observability.toml"));
    let server = start(&dir.path().join("data"), &config);
    const RECORDS: usize = 23_456;
    let template = sample()[0].clone();
    let mut body = String::new();
    for id in 0..RECORDS {
        let mut record = template.clone();
        record["Objet_Id"] = json!(id);
        body.push_str(&record.to_string());
        body.push('\n');
    }
    // One bad line in the third chunk keeps its index.
    body.push_str("not json\n");
    let (status, answer) = post_file(
        &server,
        "big",
        "source=kafka-observability&format=ndjson",
        "application/octet-stream",
        body,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["accepted"], RECORDS, "{answer}");
    assert_eq!(answer["rejected"], 1, "{answer}");
    assert_eq!(answer["errors"][0]["index"], RECORDS, "{answer}");
    let s = summary(&server, "big").await;
    assert_eq!(s["total_count"], RECORDS, "{s}");
    assert_eq!(s["scope"]["truncated"], false, "{s}");
}

/// A tenant's dead letters, newest first.
pub(crate) async fn dead_letters(server: &Server, tenant: &str) -> Vec<Value> {
    let (status, letters) = get(server, tenant, "/records/dead-letters?limit=1000").await;
    assert_eq!(status, 200, "{letters}");
    letters["dead_letters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Sends one bad NDJSON line per name (`not json <n>`) to `tenant` and checks that the answer
/// reports every one; returns the raw inputs of the letters the tenant then keeps, newest
/// first, and the evictions counted so far.
async fn send_garbage(
    server: &Server,
    tenant: &str,
    names: std::ops::Range<u32>,
) -> (Vec<String>, f64) {
    let lines: String = names.clone().map(|n| format!("not json {n}\n")).collect();
    let query = "source=kafka-observability&format=ndjson";
    let (status, answer) = post_file(server, tenant, query, "text/plain", lines).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["rejected"], names.len(), "{answer}");
    assert_eq!(
        answer["errors"].as_array().map(Vec::len),
        Some(names.len()),
        "{answer}"
    );
    let kept = dead_letters(server, tenant)
        .await
        .iter()
        .map(|l| l["raw"].as_str().unwrap_or_default().to_string())
        .collect();
    let evicted = server
        .metric("telemetryhub_dead_letters_evicted_total", &[])
        .await;
    (kept, evicted)
}

/// Past `--max-dead-letters`, a tenant's oldest dead letters are evicted and counted; the
/// ingest answer still lists every bad record of the batch, other tenants keep theirs, and the
/// cap holds across a restart.
#[tokio::test]
async fn dead_letters_past_the_cap_evict_the_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &deploy("kafka-observability.toml"));
    let data = dir.path().join("data");
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--max-dead-letters",
        "3",
    ];
    let server = Server::start(&data, &args);
    let (kept, evicted) = send_garbage(&server, "capped", 0..5).await;
    assert_eq!(
        kept,
        ["not json 2", "not json 3", "not json 4"],
        "the batch's last three are kept"
    );
    assert_eq!(evicted, 2.0);
    let (kept, evicted) = send_garbage(&server, "other", 0..2).await;
    assert_eq!((kept.len(), evicted), (2, 2.0), "a cap of its own");
    let (kept, evicted) = send_garbage(&server, "capped", 10..12).await;
    assert_eq!(
        kept,
        ["not json 10", "not json 11", "not json 4"],
        "newest first: the new batch, then the newest of the old"
    );
    assert_eq!(evicted, 4.0);
    assert!(server.stop().success());

    // The count is kept with the letters: after a restart the cap still holds.
    let server = Server::start(&data, &args);
    let (kept, evicted) = send_garbage(&server, "capped", 20..21).await;
    assert_eq!(kept, ["not json 20", "not json 10", "not json 11"]);
    assert_eq!(evicted, 1.0, "counted since this start");
    assert_eq!(dead_letters(&server, "other").await.len(), 2);
    assert!(server.stop().success());
}
