//! The default detector on the NAB series in `shared/bench-data/nab` (read its README), scored by
//! this crate's NAB scorer. Fails if the standard-profile score drops below the level reached;
//! prints all three profiles for docs/benchmarks.md.

use std::collections::HashMap;
use std::path::PathBuf;

use telemetryhub_anomaly::nab::{PROFILES, ScoredSeries, score_corpus, threshold_grid};
use telemetryhub_anomaly::{Detector, DetectorConfig};

/// The standard-profile score reached with the default settings (see docs/benchmarks.md).
const MINIMUM_STANDARD_SCORE: f64 = 69.1;

/// The default configuration; `NAB_<FIELD>` environment variables override fields when exploring
/// by hand (the suite sets none).
fn config() -> DetectorConfig {
    let mut config = DetectorConfig::default();
    let get = |name: &str| {
        std::env::var(format!("NAB_{name}"))
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
    };
    if let Some(v) = get("WINDOW") {
        config.window = v as usize;
    }
    if let Some(v) = get("REFRACTORY") {
        config.refractory = v as usize;
    }
    if let Some(v) = get("Z_MID") {
        config.z_mid = v;
    }
    if let Some(v) = get("Z_SPREAD") {
        config.z_spread = v;
    }
    if let Some(v) = get("SHIFT_SPAN") {
        config.shift_span = v as usize;
    }
    if let Some(v) = get("TREND_SPAN") {
        config.trend_span = v as usize;
    }
    if let Some(v) = get("CONTEXT_WARMUP") {
        config.context_warmup = v as usize;
    }
    if let Some(v) = get("MARGIN") {
        config.context_margin = v;
    }
    if let Some(v) = get("REST") {
        config.context.rest_period = v as usize;
    }
    if let Some(v) = get("MAX_CONTEXTS") {
        config.context.max_contexts = v as usize;
    }
    if let Some(v) = get("MAX_ACTIVE") {
        config.context.max_active = v as usize;
    }
    if let Some(v) = get("MAX_LEFT") {
        config.context.max_left_len = v as usize;
    }
    config
}

fn corpus() -> Vec<ScoredSeries> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../../shared/bench-data/nab");
    let labels: HashMap<String, Vec<(String, String)>> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("labels/combined_windows.json")).expect("labels"),
    )
    .expect("labels JSON");
    let mut names: Vec<&String> = labels.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join("data").join(name)).expect("series");
            let rows: Vec<(String, f64)> = text
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let (ts, value) = line.split_once(',')?;
                    Some((ts.to_string(), value.trim().parse().ok()?))
                })
                .collect();
            let index_of = |ts: &str| {
                let ts = ts.trim_end_matches(".000000");
                rows.iter()
                    .position(|(t, _)| t == ts)
                    .expect("window edge is a row")
            };
            let windows = labels[name]
                .iter()
                .map(|(a, b)| (index_of(a), index_of(b)))
                .collect();
            let mut detector = Detector::new(config());
            let scores = rows
                .iter()
                .map(|(ts, v)| {
                    detector.score_at(
                        telemetryhub_model::parse_timestamp_str(ts).expect("timestamp"),
                        *v,
                    )
                })
                .collect();
            if std::env::var_os("NAB_VERBOSE").is_some() {
                let mut cbor = Vec::new();
                ciborium::into_writer(&detector, &mut cbor).expect("CBOR");
                let started = std::time::Instant::now();
                let json = serde_json::to_vec(&detector).map_or(0, |j| j.len());
                let json_time = started.elapsed();
                let started = std::time::Instant::now();
                let mut again = Vec::new();
                ciborium::into_writer(&detector, &mut again).expect("CBOR");
                let cbor_time = started.elapsed();
                println!(
                    "  {name:<55} points {:>6}  state {:>8} bytes  json {:>8} bytes  cbor {:>8} bytes  json {:>6} us cbor {:>6} us",
                    rows.len(),
                    detector.heap_bytes(),
                    json,
                    cbor.len(),
                    json_time.as_micros(),
                    cbor_time.as_micros(),
                );
            }
            ScoredSeries {
                name: name.clone(),
                scores,
                windows,
            }
        })
        .collect()
}

#[test]
fn nab_score_with_default_settings() {
    let corpus = corpus();
    assert_eq!(corpus.len(), 35);
    let mut standard = f64::NAN;
    for profile in &PROFILES {
        let result = score_corpus(&corpus, profile, &threshold_grid());
        println!(
            "{:<20} score {:6.2}  threshold {:.3}",
            result.profile, result.score, result.threshold
        );
        if profile.name == "standard" {
            standard = result.score;
            if std::env::var_os("NAB_VERBOSE").is_some() {
                for series in &corpus {
                    let raw =
                        telemetryhub_anomaly::nab::raw_score(series, profile, result.threshold);
                    let detections = series
                        .scores
                        .iter()
                        .filter(|s| **s >= result.threshold)
                        .count();
                    println!(
                        "  {:<55} raw {raw:7.3}  windows {}  detections {detections}",
                        series.name,
                        series.windows.len()
                    );
                }
            }
        }
    }
    assert!(
        standard >= MINIMUM_STANDARD_SCORE,
        "standard NAB score {standard:.2} fell below {MINIMUM_STANDARD_SCORE}"
    );
}
