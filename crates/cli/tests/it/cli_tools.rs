//! The evaluation commands, run as a user would: `telemetryhub patterns`, `telemetryhub detect`
//! and `telemetryhub bench ingest` in every protocol.

use std::process::Command;

fn run(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_telemetryhub"))
        .args(args)
        .output()
        .expect("run telemetryhub");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `telemetryhub patterns` on `input` (written to a file first; a CSV file read by its
/// `Content` column when `csv`) and returns the CSV it writes.
fn mine(input: &[u8], csv: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(if csv { "structured.csv" } else { "app.log" });
    std::fs::write(&path, input).unwrap();
    let output = dir.path().join("parsed.csv");
    let mut args = vec!["patterns", "--input", path.to_str().unwrap()];
    if csv {
        args.extend(["--csv-column", "Content"]);
    }
    args.extend(["--output", output.to_str().unwrap()]);
    run(&args);
    std::fs::read_to_string(&output).unwrap()
}

#[test]
fn patterns_writes_loghub_style_csv() {
    let text = mine(
        b"db timeout after 3000 ms\r\ndb timeout after 20 ms\nuser 7 logged in\n",
        false,
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "LineId,EventId,EventTemplate");
    assert_eq!(lines[1], "1,E1,db timeout after <*>");
    assert_eq!(lines[2], "2,E1,db timeout after <*>");
    assert_eq!(lines[3], "3,E2,user <*> logged in");

    let text = mine(
        b"LineId,Content\n1,\"queue 17 full, retrying\"\n2,\"queue 230 full, retrying\"\n",
        true,
    );
    assert!(text.contains("2,E1,\"queue <*> full, retrying\""), "{text}");

    // A word variable: the first names each start a pattern of their own, which merge into one
    // once the place has shown enough values. Every line, the early ones too, gets the id of the
    // pattern it belongs to at the end, as it gets its template (GA is scored by the ids).
    let names = ["alice", "bob", "carol", "dave", "erin", "frank"];
    let log: String = names
        .iter()
        .map(|name| format!("session closed for user {name} after idle timeout\n"))
        .collect();
    let text = mine(log.as_bytes(), false);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), names.len(), "{text}");
    let event = |row: &str| row.split(',').nth(1).unwrap_or_default().to_string();
    assert!(
        rows.iter()
            .all(|row| row.ends_with(",session closed for user <*> after idle timeout")),
        "{text}"
    );
    assert!(
        rows.iter().all(|row| event(row) == event(rows[0])),
        "one event, one id: {text}"
    );

    // Bytes that are not UTF-8 (a Latin-1 name) and a CSV row shorter than its header: read, not
    // fatal, and every line keeps its number.
    let text = mine(
        b"cache miss for caf\xe9 menu\r\ncache miss for tea menu\n",
        false,
    );
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("1,E1,cache miss for caf\u{fffd} menu"),
        "{text}"
    );
    let text = mine(
        "\u{feff}LineId,Content,EventId\n1,queue 17 full,E1\n2\n3,queue 230 full,E1\n".as_bytes(),
        true,
    );
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("3,E1,queue <*> full"), "{text}");
    // A byte-order mark is no part of the first column's name, nor of the first line.
    let text = mine(
        "\u{feff}Content\nqueue 17 full\nqueue 230 full\n".as_bytes(),
        true,
    );
    assert!(text.contains("1,E1,queue <*> full"), "{text}");
    let text = mine("\u{feff}disk full\ndisk full\n".as_bytes(), false);
    assert!(text.contains("1,E1,disk full\n2,E1,disk full"), "{text}");
}

#[test]
fn detect_scores_every_row_online() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("series.csv");
    let mut csv = String::from("timestamp,value\n");
    for i in 0..400 {
        let value = if i == 300 {
            90.0
        } else {
            10.0 + (i % 7) as f64 * 0.5
        };
        csv.push_str(&format!(
            "2024-01-01 {:02}:{:02}:00,{value}\n",
            i / 60,
            i % 60
        ));
    }
    std::fs::write(&input, csv).unwrap();
    let output = dir.path().join("scores.csv");
    run(&[
        "detect",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&output).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(text.lines().next(), Some("timestamp,value,anomaly_score"));
    assert_eq!(rows.len(), 400);
    let scores: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    let top = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert_eq!(top, 300, "the spike scores highest");
    // Online: the rows before the spike score the same when the spike is cut off.
    let prefix: String = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .take(301)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&input, prefix).unwrap();
    run(&[
        "detect",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    let again: Vec<f64> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(again[..], scores[..300]);

    std::fs::write(&input, "when,how_much\n1,2\n").unwrap();
    let bad = Command::new(env!("CARGO_BIN_EXE_telemetryhub"))
        .args([
            "detect",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("timestamp and value"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_ingest_speaks_every_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::Server::start(dir.path(), &[]);
    let runs = [
        ("json", "metrics", server.url.clone()),
        ("json", "logs", server.url.clone()),
        ("remote-write", "metrics", server.url.clone()),
        ("loki", "logs", server.url.clone()),
        ("otlp-http", "metrics", server.otlp_url.clone()),
        ("otlp-http", "logs", server.otlp_url.clone()),
        ("otlp-http", "traces", server.otlp_url.clone()),
        ("otlp-grpc", "metrics", server.otlp_grpc_url.clone()),
        ("otlp-grpc", "logs", server.otlp_grpc_url.clone()),
        ("otlp-grpc", "traces", server.otlp_grpc_url.clone()),
    ];
    for (protocol, kind, target) in runs {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_telemetryhub"))
            .args([
                "bench",
                "ingest",
                "--target",
                &target,
                "--protocol",
                protocol,
            ])
            .args(["--kind", kind, "--requests", "4", "--batch", "50"])
            .args(["--connections", "2", "--series", "20", "--duration", "60s"])
            .output()
            .await
            .expect("run bench");
        assert!(
            output.status.success(),
            "bench {protocol} {kind}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let summary: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("summary of {protocol} {kind}: {e}"));
        assert_eq!(summary["items"], 200, "{protocol} {kind}: {summary}");
        assert_eq!(summary["errors"], 0, "{protocol} {kind}: {summary}");
    }
    let spans = server.get_json("/query/traces?limit=10000").await;
    assert_eq!(spans.as_array().unwrap().len(), 400);
    let one = &spans[0]["trace_id"];
    let trace = server
        .get_json(&format!("/traces/{}", one.as_str().unwrap()))
        .await;
    assert_eq!(trace["span_count"], 5, "{trace}");
    let logs = server.get_json("/query/logs?limit=10000").await;
    assert_eq!(logs.as_array().unwrap().len(), 4 * 200);
    let points = server.get_json("/query/metrics?limit=10000").await;
    assert_eq!(points.as_array().unwrap().len(), 4 * 200);
}
