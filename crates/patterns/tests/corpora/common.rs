//! What the corpora share: their seeded generator, and mining a labelled corpus with the default
//! settings and reporting where it splits or merges statements.

use telemetryhub_patterns::accuracy::{grouping_accuracy, parsing_accuracy};
use telemetryhub_patterns::{Miner, MinerConfig};

/// SplitMix64: small, seeded, and the same everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub(crate) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    /// A uniform draw in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An item of `items`, uniformly.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// An index in `0..n` with probability proportional to 1 / (index + 1): Zipf's law, the
    /// way names, tables and states are spread in real logs.
    pub(crate) fn zipf_index(&mut self, n: usize) -> usize {
        let total: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        let mut target = self.unit() * total;
        for k in 1..=n {
            target -= 1.0 / k as f64;
            if target < 0.0 {
                return k - 1;
            }
        }
        n - 1
    }

    /// An item of `items`, Zipf-distributed over their order ([`Rng::zipf_index`]).
    pub(crate) fn zipf<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.zipf_index(items.len())]
    }

    /// `digits` lowercase hex digits.
    pub(crate) fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from(b"0123456789abcdef"[self.range(0, 15) as usize]))
            .collect()
    }

    /// `length` letters and digits.
    pub(crate) fn alphanumeric(&mut self, length: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..length)
            .map(|_| char::from(CHARS[self.range(0, CHARS.len() as u64 - 1) as usize]))
            .collect()
    }
}

/// A port above the well-known ones.
pub(crate) fn port(rng: &mut Rng) -> u64 {
    rng.range(1024, 65535)
}

/// A random UUID: 8-4-4-4-12 hex digits.
pub(crate) fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    )
}

/// A decimal number in `[low, high)` with `places` digits after the point.
pub(crate) fn fixed(rng: &mut Rng, low: u64, high: u64, places: usize) -> String {
    format!(
        "{}.{:0places$}",
        rng.range(low, high),
        rng.range(0, 10u64.pow(places as u32) - 1)
    )
}

/// An IPv4 address.
pub(crate) fn ip(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        rng.range(1, 223),
        rng.range(0, 255),
        rng.range(0, 255),
        rng.range(1, 254)
    )
}

/// A hex group of an IPv6 address, leading zeros dropped.
fn group(rng: &mut Rng) -> String {
    format!("{:x}", rng.range(0, 0xffff))
}

/// An IPv6 address: documentation, link-local or global, written with `::` where it has one.
pub(crate) fn ipv6(rng: &mut Rng) -> String {
    match rng.range(0, 3) {
        0 => format!("2001:db8:{}:{}::{}", group(rng), group(rng), group(rng)),
        1 => format!(
            "fe80::{}:{}ff:fe{:02x}:{}",
            group(rng),
            rng.range(0, 0xff),
            rng.range(0, 0xff),
            group(rng)
        ),
        _ => format!(
            "2a02:{}:{}:{}:{}:{}:{}:{}",
            group(rng),
            group(rng),
            group(rng),
            group(rng),
            group(rng),
            group(rng),
            group(rng)
        ),
    }
}

/// A MAC address, lowercase hex pairs joined by colons.
pub(crate) fn mac(rng: &mut Rng) -> String {
    (0..6).map(|_| rng.hex(2)).collect::<Vec<_>>().join(":")
}

/// A time of day, `hh:mm:ss`.
pub(crate) fn time(rng: &mut Rng) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59)
    )
}

/// Weekday and month names, short and long, as dates in messages write them.
pub(crate) const WEEKDAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// See [`WEEKDAYS`].
pub(crate) const LONG_WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// See [`WEEKDAYS`].
pub(crate) const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// See [`WEEKDAYS`].
pub(crate) const LONG_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A statement: a format string with `{}` for each variable, and the kind of each variable's
/// values (each corpus has its own kinds).
pub(crate) type Statement<K> = (&'static str, &'static [K]);

/// `format` with each `{}` replaced by a value of its kind.
pub(crate) fn render<K: Copy>(
    (format, kinds): Statement<K>,
    rng: &mut Rng,
    value: impl Fn(K, &mut Rng) -> String,
) -> String {
    let mut pieces = format.split("{}");
    let mut line = pieces.next().unwrap_or_default().to_string();
    for (kind, piece) in kinds.iter().zip(pieces) {
        line.push_str(&value(*kind, rng));
        line.push_str(piece);
    }
    line
}

/// The true template of a statement: its format with `<*>` for each variable.
pub(crate) fn template_of<K>((format, _): Statement<K>) -> String {
    format.replace("{}", "<*>")
}

/// `lines` lines of `statements`, chosen with Zipf frequencies in a seeded shuffled order (a few
/// common events, a long tail of rare ones, as in real logs, with frequency not following the
/// listing order), each rendered by `render`.
pub(crate) fn zipf_corpus(
    seed: u64,
    statements: usize,
    lines: usize,
    mut render: impl FnMut(usize, &mut Rng) -> String,
) -> Vec<(usize, String)> {
    let mut rng = Rng(seed);
    let mut order: Vec<usize> = (0..statements).collect();
    for i in (1..order.len()).rev() {
        let j = rng.range(0, i as u64) as usize;
        order.swap(i, j);
    }
    (0..lines)
        .map(|_| {
            let id = order[rng.zipf_index(order.len())];
            (id, render(id, &mut rng))
        })
        .collect()
}

/// Fails unless every statement has one kind for each of its variables.
pub(crate) fn assert_one_kind_per_variable<K>(statements: &[Statement<K>]) {
    for (format, kinds) in statements {
        assert_eq!(format.matches("{}").count(), kinds.len(), "{format}");
    }
}

/// Mines `corpus` (each line with the id of the statement it came from) with the default
/// settings and returns its grouping and parsing accuracy; `template` gives a statement's true
/// template. Prints each statement whose lines went to more than one pattern or shared one with
/// another statement, with its patterns, and a summary line headed `name`.
pub(crate) fn mine(
    name: &str,
    corpus: &[(usize, String)],
    statements: usize,
    template: impl Fn(usize) -> String,
) -> (f64, f64) {
    let mut miner = Miner::new(MinerConfig::default());
    let added: Vec<u64> = corpus.iter().map(|(_, line)| miner.add(line).id).collect();
    let ids: Vec<u64> = added.iter().map(|id| miner.resolve(*id)).collect();
    let truth: Vec<usize> = corpus.iter().map(|(id, _)| *id).collect();
    let ga = grouping_accuracy(&ids, &truth);
    let predicted: Vec<String> = ids
        .iter()
        .map(|id| miner.template(*id).unwrap_or_default())
        .collect();
    let true_templates: Vec<String> = truth.iter().map(|id| template(*id)).collect();
    let pa = parsing_accuracy(&predicted, &true_templates);
    for statement in 0..statements {
        let mut patterns: Vec<u64> = ids
            .iter()
            .zip(&truth)
            .filter(|(_, t)| **t == statement)
            .map(|(id, _)| *id)
            .collect();
        let lines = patterns.len();
        patterns.sort_unstable();
        patterns.dedup();
        let mut shared: Vec<usize> = ids
            .iter()
            .zip(&truth)
            .filter(|(id, t)| patterns.contains(id) && **t != statement)
            .map(|(_, t)| *t)
            .collect();
        shared.sort_unstable();
        shared.dedup();
        if patterns.len() > 1 || !shared.is_empty() {
            println!(
                "statement {statement:>2}: {lines:>4} lines in {:>3} patterns, shared with {shared:?}  {:?}",
                patterns.len(),
                template(statement)
            );
            for pattern in &patterns {
                let count = ids.iter().filter(|id| *id == pattern).count();
                println!(
                    "      {count:>4}  {:?}",
                    miner.template(*pattern).unwrap_or_default()
                );
            }
        }
    }
    println!(
        "{name}: {} lines, {statements} statements, {} patterns, GA {ga:.4}  PA {pa:.4}",
        corpus.len(),
        miner.len()
    );
    (ga, pa)
}

/// The corpus of `statements`: `lines` lines seeded by `seed`, values drawn by `value`.
pub(crate) fn statement_corpus<K: Copy>(
    statements: &[Statement<K>],
    seed: u64,
    lines: usize,
    value: impl Fn(K, &mut Rng) -> String + Copy,
) -> Vec<(usize, String)> {
    zipf_corpus(seed, statements.len(), lines, |id, rng| {
        render(statements[id], rng, value)
    })
}

/// Fails unless the corpus of `statements` is the same on every run (rendered twice from its
/// seed, not mined).
pub(crate) fn assert_the_same_on_every_run<K: Copy>(
    statements: &[Statement<K>],
    seed: u64,
    lines: usize,
    value: impl Fn(K, &mut Rng) -> String + Copy,
) {
    assert_eq!(
        statement_corpus(statements, seed, lines, value),
        statement_corpus(statements, seed, lines, value)
    );
}

/// Generates the corpus of `statements` (`lines` lines, seeded by `seed`, values drawn by
/// `value`), mines it, prints its report and fails if its grouping accuracy falls below
/// `minimum`: the accuracy test of each corpus written as statements.
pub(crate) fn check_statements<K: Copy>(
    name: &str,
    statements: &[Statement<K>],
    seed: u64,
    lines: usize,
    value: impl Fn(K, &mut Rng) -> String + Copy,
    minimum: f64,
) {
    let corpus = statement_corpus(statements, seed, lines, value);
    let (ga, _) = mine(name, &corpus, statements.len(), |id| {
        template_of(statements[id])
    });
    assert!(ga >= minimum, "{name}: GA {ga:.4} fell below {minimum}");
}
