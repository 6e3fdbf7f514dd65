//! Accuracy of the miner on the Loghub-2k benchmark in `shared/bench-data` (read its README),
//! measured two ways: in sample (the default settings on all eight systems, the per-system table
//! that docs/benchmarks.md records) and cross-validated (issue 15: the tuned settings chosen on
//! seven systems, scored on the eighth, for each system in turn). Fails if either average grouping
//! accuracy drops below the level reached.

use std::path::PathBuf;

use telemetryhub_patterns::accuracy::{
    Labelled, grouping_accuracy, parsing_accuracy, read_structured,
};
use telemetryhub_patterns::{Miner, MinerConfig};

const SYSTEMS: [&str; 8] = [
    "HDFS",
    "Hadoop",
    "Spark",
    "Zookeeper",
    "BGL",
    "HPC",
    "Mac",
    "Proxifier",
];

/// The floor of the cross-validated average GA (the mean of the held-out systems' GA). Measured
/// 2026-12-06: 0.972; a change that lowers it must be a conscious one.
const MINIMUM_AVERAGE_GA: f64 = 0.97;

/// The floor of the default settings' average GA on all eight systems (in sample). Measured
/// 2026-12-06: 0.972.
const MINIMUM_IN_SAMPLE_GA: f64 = 0.97;

/// The settings tuned on this data, and the values cross-validation chooses among: a few around
/// today's defaults. Today's defaults come first, so they win ties.
const SIMILARITY_THRESHOLDS: [f64; 3] = [0.5, 0.4, 0.6];
/// See [`SIMILARITY_THRESHOLDS`].
const WORD_VARIANTS_TO_MERGE: [usize; 3] = [4, 3, 6];

fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../../shared/bench-data/loghub2k")
}

/// The labelled messages of every system, in [`SYSTEMS`] order.
fn systems() -> Vec<Vec<Labelled>> {
    let dir = data_dir();
    assert!(dir.is_dir(), "benchmark data missing at {}", dir.display());
    SYSTEMS
        .iter()
        .map(|system| {
            read_structured(&dir.join(format!("{system}_2k.log_structured_corrected.csv"))).unwrap()
        })
        .collect()
}

/// GA, PA and pattern count of one fresh miner fed `rows` in order.
fn measure(rows: &[Labelled], config: MinerConfig) -> (f64, f64, usize) {
    let mut miner = Miner::new(config);
    let added: Vec<u64> = rows.iter().map(|r| miner.add(&r.content).id).collect();
    // Patterns may merge later; a message belongs to the pattern its id resolves to.
    let ids: Vec<u64> = added.iter().map(|id| miner.resolve(*id)).collect();
    // PA uses each message's final template, as offline evaluations do.
    let templates: Vec<String> = ids
        .iter()
        .map(|id| miner.template(*id).unwrap_or_default())
        .collect();
    let truth_ids: Vec<&str> = rows.iter().map(|r| r.event_id.as_str()).collect();
    let truth_templates: Vec<String> = rows.iter().map(|r| r.template.clone()).collect();
    let ga = grouping_accuracy(&ids, &truth_ids);
    let pa = parsing_accuracy(&templates, &truth_templates);
    (ga, pa, miner.len())
}

/// The candidate (row of `values`, one column per group) with the highest total over the groups
/// other than `held_out` (all groups when `None`); the first such candidate on ties.
fn best(values: &[Vec<f64>], held_out: Option<usize>) -> usize {
    let total = |row: &Vec<f64>| -> f64 {
        row.iter()
            .enumerate()
            .filter(|(group, _)| Some(*group) != held_out)
            .map(|(_, v)| v)
            .sum()
    };
    let mut chosen = 0;
    for (candidate, row) in values.iter().enumerate() {
        if total(row) > total(&values[chosen]) {
            chosen = candidate;
        }
    }
    chosen
}

#[test]
fn the_selection_ignores_the_held_out_group_and_prefers_the_first_on_ties() {
    let values = vec![
        vec![1.0, 1.0, 0.0],
        vec![0.0, 1.0, 5.0],
        vec![1.0, 1.0, 0.0],
    ];
    assert_eq!(best(&values, None), 1);
    assert_eq!(best(&values, Some(2)), 0);
    assert_eq!(best(&values, Some(0)), 1);
}

#[test]
fn loghub_2k_accuracy_with_default_settings() {
    let (mut ga_sum, mut pa_sum) = (0.0, 0.0);
    for (system, rows) in SYSTEMS.iter().zip(systems()) {
        let (ga, pa, patterns) = measure(&rows, MinerConfig::default());
        println!("{system:<10} GA {ga:.3}  PA {pa:.3}  patterns {patterns}");
        ga_sum += ga;
        pa_sum += pa;
    }
    let (ga, pa) = (ga_sum / SYSTEMS.len() as f64, pa_sum / SYSTEMS.len() as f64);
    println!("{:<10} GA {ga:.3}  PA {pa:.3}", "average");
    assert!(
        ga >= MINIMUM_IN_SAMPLE_GA,
        "average GA {ga:.3} fell below {MINIMUM_IN_SAMPLE_GA}"
    );
}

/// Leave one system out: for each system, the setting with the best mean GA on the other seven
/// is scored on it; the figure is the mean of those eight held-out scores.
#[test]
fn loghub_2k_accuracy_cross_validated() {
    let systems = systems();
    let grid: Vec<(f64, usize)> = SIMILARITY_THRESHOLDS
        .iter()
        .flat_map(|s| WORD_VARIANTS_TO_MERGE.iter().map(move |w| (*s, *w)))
        .collect();
    let default = MinerConfig::default();
    assert_eq!(
        grid[0],
        (default.similarity_threshold, default.min_word_variants),
        "the grid starts with today's defaults"
    );
    // (GA, PA) per setting and system.
    let measured: Vec<Vec<(f64, f64)>> = grid
        .iter()
        .map(|(similarity, variants)| {
            let config = MinerConfig {
                similarity_threshold: *similarity,
                min_word_variants: *variants,
                ..MinerConfig::default()
            };
            systems
                .iter()
                .map(|rows| {
                    let (ga, pa, _) = measure(rows, config.clone());
                    (ga, pa)
                })
                .collect()
        })
        .collect();
    let ga: Vec<Vec<f64>> = measured
        .iter()
        .map(|row| row.iter().map(|(ga, _)| *ga).collect())
        .collect();
    let mean = |row: &[f64]| row.iter().sum::<f64>() / row.len() as f64;
    println!("in sample, GA per system and means (similarity / variants):");
    println!(
        "           {}",
        SYSTEMS.map(|s| format!("{s:>10}")).join("")
    );
    for ((similarity, variants), row) in grid.iter().zip(&measured) {
        let pa: Vec<f64> = row.iter().map(|(_, pa)| *pa).collect();
        let ga: Vec<f64> = row.iter().map(|(ga, _)| *ga).collect();
        let cells: String = ga.iter().map(|v| format!("{v:>10.4}")).collect();
        println!(
            "  {similarity:.1} / {variants}  {cells}   GA {:.4}  PA {:.4}",
            mean(&ga),
            mean(&pa)
        );
    }
    println!("held out     chosen on the others   their GA   held-out GA  PA");
    let (mut ga_sum, mut pa_sum) = (0.0, 0.0);
    for (held_out, system) in SYSTEMS.iter().enumerate() {
        let chosen = best(&ga, Some(held_out));
        let (similarity, variants) = grid[chosen];
        let training =
            (ga[chosen].iter().sum::<f64>() - ga[chosen][held_out]) / (SYSTEMS.len() - 1) as f64;
        let (held_ga, held_pa) = measured[chosen][held_out];
        println!(
            "{system:<12} {similarity:.1} / {variants:<18} {training:.4}     {held_ga:.4}       {held_pa:.4}"
        );
        ga_sum += held_ga;
        pa_sum += held_pa;
    }
    let (cv_ga, cv_pa) = (ga_sum / SYSTEMS.len() as f64, pa_sum / SYSTEMS.len() as f64);
    println!("cross-validated  GA {cv_ga:.4}  PA {cv_pa:.4}");
    let overall = best(&ga, None);
    println!(
        "chosen on all 8 systems: {:.1} / {} (GA {:.4}; today's defaults {:.4})",
        grid[overall].0,
        grid[overall].1,
        mean(&ga[overall]),
        mean(&ga[0])
    );
    assert!(
        cv_ga >= MINIMUM_AVERAGE_GA,
        "cross-validated average GA {cv_ga:.3} fell below {MINIMUM_AVERAGE_GA}"
    );
}
