//! Accuracy of the miner on the Loghub-2k benchmark in `shared/bench-data` (read its README),
//! measured two ways: in sample (the default settings on all eight systems, the per-system table
//! that docs/benchmarks.md records) and cross-validated (issue 15: the tuned settings chosen on
//! seven systems, scored on the eighth, for each system in turn; the defaults are the setting most
//! of those choices agree on). Fails if either average grouping accuracy drops below the level
//! reached, or if the defaults are not the cross-validation's choice.

use std::path::PathBuf;

use telemetryhub_patterns::accuracy::{
    Labelled, grouping_accuracy, parsing_accuracy, read_structured,
};
use telemetryhub_patterns::{Miner, MinerConfig, tokenize};

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
/// 2026-12-06: 0.972 before issue 15's item 2, 0.9745 after it; a change that lowers it must be a
/// conscious one.
const MINIMUM_AVERAGE_GA: f64 = 0.97;

/// The floor of the default settings' average GA on all eight systems (in sample). Measured
/// 2026-12-06: 0.972 before issue 15's item 2, 0.9872 after it.
const MINIMUM_IN_SAMPLE_GA: f64 = 0.98;

/// The settings tuned on this data, and the values cross-validation chooses among: a few around
/// each, the value that keeps the miner's behaviour from before item 2 first (a rule off, the old
/// threshold), so that it wins ties — a rule is taken up only where it scores better.
const SIMILARITY_THRESHOLDS: [f64; 2] = [0.5, 0.6];
/// See [`SIMILARITY_THRESHOLDS`].
const MIN_WORD_VARIANTS: [usize; 2] = [4, 3];
/// See [`SIMILARITY_THRESHOLDS`].
const WORD_DIVERSITIES: [f64; 3] = [0.0, 0.2, 0.4];
/// See [`SIMILARITY_THRESHOLDS`]; `usize::MAX` is off.
const LONG_TEMPLATE_CONSTANTS: [usize; 2] = [usize::MAX, 12];
/// See [`SIMILARITY_THRESHOLDS`]; `usize::MAX` is off.
const LEADING_VARIABLE_CONSTANTS: [usize; 3] = [usize::MAX, 3, 6];

/// One point of the grid of tuned settings.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Setting {
    similarity: f64,
    variants: usize,
    diversity: f64,
    long: usize,
    leading: usize,
}

impl Setting {
    fn of(config: &MinerConfig) -> Setting {
        Setting {
            similarity: config.similarity_threshold,
            variants: config.min_word_variants,
            diversity: config.word_diversity,
            long: config.long_template_constants,
            leading: config.leading_variable_constants,
        }
    }

    fn config(&self) -> MinerConfig {
        MinerConfig {
            similarity_threshold: self.similarity,
            min_word_variants: self.variants,
            word_diversity: self.diversity,
            long_template_constants: self.long,
            leading_variable_constants: self.leading,
            ..MinerConfig::default()
        }
    }

    fn label(&self) -> String {
        let count = |n: usize| match n {
            usize::MAX => "off".to_string(),
            n => n.to_string(),
        };
        format!(
            "{:.1} / {} / {:.1} / {:>3} / {:>3}",
            self.similarity,
            self.variants,
            self.diversity,
            count(self.long),
            count(self.leading)
        )
    }
}

/// Every combination of the tuned values, in the order listed (the first varying slowest).
fn grid() -> Vec<Setting> {
    let mut grid = Vec::new();
    for similarity in SIMILARITY_THRESHOLDS {
        for variants in MIN_WORD_VARIANTS {
            for diversity in WORD_DIVERSITIES {
                for long in LONG_TEMPLATE_CONSTANTS {
                    for leading in LEADING_VARIABLE_CONSTANTS {
                        grid.push(Setting {
                            similarity,
                            variants,
                            diversity,
                            long,
                            leading,
                        });
                    }
                }
            }
        }
    }
    grid
}

fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../../shared/bench-data/loghub2k")
}

/// One system's labelled messages, tokenised once (the grid mines them many times).
struct System {
    rows: Vec<Labelled>,
    tokens: Vec<Vec<String>>,
}

/// The labelled messages of every system, in [`SYSTEMS`] order.
fn systems() -> Vec<System> {
    let dir = data_dir();
    assert!(dir.is_dir(), "benchmark data missing at {}", dir.display());
    SYSTEMS
        .iter()
        .map(|system| {
            let rows =
                read_structured(&dir.join(format!("{system}_2k.log_structured_corrected.csv")))
                    .unwrap();
            let tokens = rows
                .iter()
                .map(|r| {
                    tokenize(&r.content)
                        .into_iter()
                        .map(|t| t.into_owned())
                        .collect()
                })
                .collect();
            System { rows, tokens }
        })
        .collect()
}

/// GA, PA and pattern count of one fresh miner fed a system's messages in order.
fn measure(system: &System, config: MinerConfig) -> (f64, f64, usize) {
    assert!(
        config.extra_masks.is_empty(),
        "tokens are masked without extras"
    );
    let mut miner = Miner::new(config);
    let added: Vec<u64> = system
        .rows
        .iter()
        .zip(&system.tokens)
        .map(|(r, tokens)| miner.add_tokens(&r.content, tokens).id)
        .collect();
    // Patterns may merge later; a message belongs to the pattern its id resolves to.
    let ids: Vec<u64> = added.iter().map(|id| miner.resolve(*id)).collect();
    // PA uses each message's final template, as offline evaluations do.
    let templates: Vec<String> = ids
        .iter()
        .map(|id| miner.template(*id).unwrap_or_default())
        .collect();
    let truth_ids: Vec<&str> = system.rows.iter().map(|r| r.event_id.as_str()).collect();
    let truth_templates: Vec<String> = system.rows.iter().map(|r| r.template.clone()).collect();
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

/// The candidate chosen most often in `choices`; the first in candidate order on ties.
fn most_chosen(choices: &[usize]) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for choice in choices {
        match counts.iter_mut().find(|(c, _)| c == choice) {
            Some((_, n)) => *n += 1,
            None => counts.push((*choice, 1)),
        }
    }
    counts.sort_by_key(|(candidate, n)| (std::cmp::Reverse(*n), *candidate));
    counts.first().map_or(0, |(candidate, _)| *candidate)
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
    assert_eq!(most_chosen(&[2, 1, 2, 1, 0]), 1);
    assert_eq!(most_chosen(&[3, 3, 0]), 3);
}

#[test]
fn loghub_2k_accuracy_with_default_settings() {
    let (mut ga_sum, mut pa_sum) = (0.0, 0.0);
    for (system, data) in SYSTEMS.iter().zip(systems()) {
        let (ga, pa, patterns) = measure(&data, MinerConfig::default());
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
/// is scored on it; the figure is the mean of those eight held-out scores. The defaults are the
/// setting the most of those eight choices agree on (a setting that wins whichever system is
/// held out, not the best on all eight at once), which the test checks.
#[test]
fn loghub_2k_accuracy_cross_validated() {
    let systems = systems();
    let grid = grid();
    // (GA, PA) per setting and system; settings are mined in parallel (each by fresh miners, so
    // the figures do not depend on it).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = grid.len().div_ceil(threads);
    let measured: Vec<Vec<(f64, f64)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = grid
            .chunks(chunk)
            .map(|settings| {
                let systems = &systems;
                scope.spawn(move || {
                    settings
                        .iter()
                        .map(|setting| {
                            systems
                                .iter()
                                .map(|system| {
                                    let (ga, pa, _) = measure(system, setting.config());
                                    (ga, pa)
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a grid worker panicked"))
            .collect()
    });
    let ga: Vec<Vec<f64>> = measured
        .iter()
        .map(|row| row.iter().map(|(ga, _)| *ga).collect())
        .collect();
    let mean = |row: &[f64]| row.iter().sum::<f64>() / row.len() as f64;
    println!(
        "in sample, GA per system and means (similarity / variants / diversity / long / leading):"
    );
    println!(
        "                              {}",
        SYSTEMS.map(|s| format!("{s:>10}")).join("")
    );
    for (setting, row) in grid.iter().zip(&measured) {
        let pa: Vec<f64> = row.iter().map(|(_, pa)| *pa).collect();
        let ga: Vec<f64> = row.iter().map(|(ga, _)| *ga).collect();
        let cells: String = ga.iter().map(|v| format!("{v:>10.4}")).collect();
        println!(
            "  {}  {cells}   GA {:.4}  PA {:.4}",
            setting.label(),
            mean(&ga),
            mean(&pa)
        );
    }
    println!("held out     chosen on the others             their GA   held-out GA  PA");
    let (mut ga_sum, mut pa_sum) = (0.0, 0.0);
    let mut choices = Vec::new();
    for (held_out, system) in SYSTEMS.iter().enumerate() {
        let chosen = best(&ga, Some(held_out));
        choices.push(chosen);
        let training =
            (ga[chosen].iter().sum::<f64>() - ga[chosen][held_out]) / (SYSTEMS.len() - 1) as f64;
        let (held_ga, held_pa) = measured[chosen][held_out];
        println!(
            "{system:<12} {}   {training:.4}     {held_ga:.4}       {held_pa:.4}",
            grid[chosen].label()
        );
        ga_sum += held_ga;
        pa_sum += held_pa;
    }
    let (cv_ga, cv_pa) = (ga_sum / SYSTEMS.len() as f64, pa_sum / SYSTEMS.len() as f64);
    println!("cross-validated  GA {cv_ga:.4}  PA {cv_pa:.4}");
    let agreed = most_chosen(&choices);
    let overall = best(&ga, None);
    println!(
        "chosen by most held-out folds: {} (in sample GA {:.4}); best on all 8 systems: {} (GA {:.4}); the behaviour before item 2: {} (GA {:.4})",
        grid[agreed].label(),
        mean(&ga[agreed]),
        grid[overall].label(),
        mean(&ga[overall]),
        grid[0].label(),
        mean(&ga[0])
    );
    assert_eq!(
        Setting::of(&MinerConfig::default()),
        grid[agreed],
        "the defaults are the setting most held-out folds choose"
    );
    assert!(
        cv_ga >= MINIMUM_AVERAGE_GA,
        "cross-validated average GA {cv_ga:.3} fell below {MINIMUM_AVERAGE_GA}"
    );
}
