//! Property tests: random metric families rendered in both formats — names, label values that
//! need escapes, special values, timestamps, HELP/TYPE/UNIT, the whitespace the text format
//! allows — parse back to exactly what was rendered; and no input panics the parser.

use proptest::prelude::*;
use proptest::sample::select;

use super::{
    Entry, ExpositionFormat, MetricKind, NORMAL_NAN_BITS, is_valid_label_name,
    is_valid_metric_name, parse_exposition, parse_exposition_bytes,
};

type Labels = Vec<(String, String)>;

/// An entry as owned data: what the renderer expects and what the parser gave.
#[derive(Clone, Debug, PartialEq)]
enum Owned {
    Sample {
        name: String,
        labels: Labels,
        value_bits: u64,
        timestamp_ms: Option<i64>,
        exemplar: Option<(Labels, u64, Option<i64>)>,
    },
    Help(String, String),
    Type(String, MetricKind),
    Unit(String, String),
}

fn owned(entry: Entry<'_>) -> Owned {
    let labels = |l: &[super::Label<'_>]| -> Labels {
        l.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    match entry {
        Entry::Sample(s) => Owned::Sample {
            name: s.name.into(),
            labels: labels(s.labels),
            value_bits: s.value.to_bits(),
            timestamp_ms: s.timestamp_ms,
            exemplar: s
                .exemplar
                .map(|x| (labels(x.labels), x.value.to_bits(), x.timestamp_ms)),
        },
        Entry::Help { family, text } => Owned::Help(family.into(), text.into_owned()),
        Entry::Type { family, kind } => Owned::Type(family.into(), kind),
        Entry::Unit { family, unit } => Owned::Unit(family.into(), unit.into()),
    }
}

/// A value and one way of spelling it.
#[derive(Clone, Debug)]
struct Value {
    bits: u64,
    text: String,
}

fn value() -> impl Strategy<Value = Value> {
    let finite = (
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
        0..3u8,
    )
        .prop_map(|(v, how)| Value {
            bits: v.to_bits(),
            text: match how {
                0 => format!("{v:?}"),
                1 => format!("{v:e}"),
                _ => format!("{v}"),
            },
        });
    let special = select(vec![
        ("NaN", f64::from_bits(NORMAL_NAN_BITS)),
        ("nan", f64::from_bits(NORMAL_NAN_BITS)),
        ("NAN", f64::from_bits(NORMAL_NAN_BITS)),
        ("+Inf", f64::INFINITY),
        ("Inf", f64::INFINITY),
        ("inf", f64::INFINITY),
        ("+infinity", f64::INFINITY),
        ("INFINITY", f64::INFINITY),
        ("-Inf", f64::NEG_INFINITY),
        ("-inf", f64::NEG_INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
        ("0", 0.0),
        ("-0", -0.0),
        ("1e-400", 0.0),
        ("17", 17.0),
        ("1027.5", 1027.5),
    ])
    .prop_map(|(text, v)| Value {
        bits: v.to_bits(),
        text: text.into(),
    });
    prop_oneof![3 => finite, 2 => special, 2 => (0u64..1_000_000).prop_map(|n| Value {
        bits: (n as f64).to_bits(),
        text: n.to_string(),
    })]
}

/// Text with the characters that need escapes or trip lexers.
fn text(chars: Vec<char>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(chars), 0..max).prop_map(|c| c.into_iter().collect())
}

const LABEL_CHARS: [char; 18] = [
    'a', 'Z', '0', ' ', '"', '\\', '\n', '\t', 'é', '日', '\0', '{', '}', '=', ',', '#', 'n', '\r',
];

fn label_value() -> impl Strategy<Value = String> {
    text(LABEL_CHARS.to_vec(), 8)
}

fn label_set() -> impl Strategy<Value = Labels> {
    prop::collection::vec(("[a-zA-Z_][a-zA-Z0-9_]{0,5}", label_value()), 0..5).prop_map(|l| {
        let mut seen = std::collections::HashSet::new();
        l.into_iter()
            .filter(|(n, _)| n != "__name__" && seen.insert(n.clone()))
            .collect()
    })
}

fn escape_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[derive(Clone, Debug)]
struct GenSample {
    suffix: &'static str,
    labels: Labels,
    value: Value,
    /// Milliseconds; a multiple of 125 for OpenMetrics, so seconds are exact in binary.
    ts_ms: Option<i64>,
    exemplar: Option<(Labels, Value, Option<i64>)>,
}

#[derive(Clone, Debug)]
struct Family {
    name: String,
    kind: Option<usize>,
    help: Option<String>,
    unit: Option<String>,
    samples: Vec<GenSample>,
}

fn om_ts() -> impl Strategy<Value = i64> {
    (-(1i64 << 37)..(1i64 << 37)).prop_map(|n| n * 125)
}

fn family(openmetrics: bool) -> impl Strategy<Value = Family> {
    let sample = (
        select(vec![
            "", "_total", "_bucket", "_count", "_sum", "_created", "_info",
        ]),
        label_set(),
        value(),
        prop::option::of(if openmetrics {
            om_ts().boxed()
        } else {
            (0..=i64::MAX).boxed()
        }),
        prop::option::of((
            prop::collection::vec(
                (
                    "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
                    // Exemplar label values may not hold NUL bytes or raw newlines.
                    text(vec!['a', ' ', '"', '\\', '\n', 'é', '}', '#'], 6),
                ),
                0..3,
            ),
            value(),
            prop::option::of(om_ts()),
        )),
    )
        .prop_map(move |(suffix, labels, value, ts_ms, exemplar)| GenSample {
            suffix,
            labels,
            value,
            ts_ms,
            exemplar: exemplar
                .filter(|_| openmetrics && (suffix == "_total" || suffix == "_bucket")),
        });
    (
        "[a-zA-Z_:][a-zA-Z0-9_:]{0,8}",
        prop::option::of(0..8usize),
        prop::option::of(text(
            vec!['x', ' ', '\t', '\\', '\n', '"', 'é', 'n', '#'],
            10,
        )),
        prop::option::of(prop::option::of("[a-z]{1,5}")),
        prop::collection::vec(sample, 0..5),
    )
        .prop_map(move |(base, kind, help, unit, samples)| {
            // A unit must end the family name after an underscore.
            let name = match &unit {
                Some(Some(u)) if openmetrics => format!("{base}_{u}"),
                _ => base,
            };
            Family {
                name,
                kind,
                help,
                unit: unit.filter(|_| openmetrics).map(|u| u.unwrap_or_default()),
                samples,
            }
        })
}

const TEXT_KINDS: [(&str, MetricKind); 5] = [
    ("counter", MetricKind::Counter),
    ("gauge", MetricKind::Gauge),
    ("histogram", MetricKind::Histogram),
    ("summary", MetricKind::Summary),
    ("untyped", MetricKind::Unknown),
];

const OM_KINDS: [(&str, MetricKind); 8] = [
    ("counter", MetricKind::Counter),
    ("gauge", MetricKind::Gauge),
    ("histogram", MetricKind::Histogram),
    ("gaugehistogram", MetricKind::GaugeHistogram),
    ("summary", MetricKind::Summary),
    ("info", MetricKind::Info),
    ("stateset", MetricKind::StateSet),
    ("unknown", MetricKind::Unknown),
];

/// The blanks the text format allows between tokens, picked by `seed` so one generated body
/// tries many spacings.
struct Blanks(u64);

impl Blanks {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Zero or more blanks.
    fn any(&mut self) -> &'static str {
        ["", "", "", " ", "\t", "  ", " \t "][(self.next() % 7) as usize]
    }

    /// At least one blank.
    fn some(&mut self) -> &'static str {
        [" ", " ", " ", "\t", "  ", " \t"][(self.next() % 6) as usize]
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

fn om_seconds(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

/// Renders `families` as a Prometheus text body with random spacing, comments and blank lines;
/// returns it with the entries it must parse to.
fn render_text(families: &[Family], seed: u64) -> (String, Vec<Owned>) {
    let mut b = Blanks(seed);
    let mut body = String::new();
    let mut expect = Vec::new();
    for f in families {
        if b.one_in(4) {
            body.push_str(
                ["\n", "# a comment\n", "#\n", "  \n", "# HELPless\n"][(b.next() % 5) as usize],
            );
        }
        if let Some(help) = &f.help {
            let escaped = help.replace('\\', "\\\\").replace('\n', "\\n");
            let sep = if b.one_in(2) { " " } else { "\t" };
            body.push_str(&format!(
                "{}#{}HELP{}{}{sep}{escaped}\n",
                b.any(),
                b.some(),
                b.some(),
                f.name
            ));
            // Prometheus reads a HELP of blanks only as no HELP text.
            let read = if help.chars().all(|c| c == ' ' || c == '\t') {
                String::new()
            } else {
                help.clone()
            };
            expect.push(Owned::Help(f.name.clone(), read));
        }
        if let Some(kind) = f.kind {
            let (word, kind) = TEXT_KINDS[kind % TEXT_KINDS.len()];
            body.push_str(&format!("#{}TYPE{}{} {word}\n", b.some(), b.some(), f.name));
            expect.push(Owned::Type(f.name.clone(), kind));
        }
        for s in &f.samples {
            let name = format!("{}{}", f.name, s.suffix);
            // No blanks before the name: Prometheus refuses those (a test says so).
            body.push_str(&name);
            if !s.labels.is_empty() || b.one_in(3) {
                body.push_str(b.any());
                body.push('{');
                for (i, (n, v)) in s.labels.iter().enumerate() {
                    if i > 0 && !b.one_in(5) {
                        body.push(',');
                    }
                    body.push_str(&format!(
                        "{}{n}{}={}\"{}\"{}",
                        b.any(),
                        b.any(),
                        b.any(),
                        escape_value(v),
                        b.any()
                    ));
                }
                if !s.labels.is_empty() && b.one_in(3) {
                    body.push(',');
                }
                body.push_str(b.any());
                body.push('}');
                body.push_str(b.any());
            } else {
                body.push_str(b.some());
            }
            body.push_str(&s.value.text);
            if let Some(ts) = s.ts_ms {
                body.push_str(b.some());
                body.push_str(&ts.to_string());
            }
            body.push_str(b.any());
            body.push('\n');
            expect.push(Owned::Sample {
                name,
                labels: s.labels.clone(),
                value_bits: s.value.bits,
                timestamp_ms: s.ts_ms,
                exemplar: None,
            });
        }
    }
    if b.one_in(3) && body.ends_with('\n') {
        body.pop();
    }
    (body, expect)
}

/// Renders `families` as an OpenMetrics body; returns it with the entries it must parse to.
fn render_openmetrics(families: &[Family]) -> (String, Vec<Owned>) {
    let mut body = String::new();
    let mut expect = Vec::new();
    for f in families {
        if let Some(kind) = f.kind {
            let (word, kind) = OM_KINDS[kind % OM_KINDS.len()];
            body.push_str(&format!("# TYPE {} {word}\n", f.name));
            expect.push(Owned::Type(f.name.clone(), kind));
        }
        if let Some(unit) = &f.unit {
            body.push_str(&format!("# UNIT {} {unit}\n", f.name));
            expect.push(Owned::Unit(f.name.clone(), unit.clone()));
        }
        if let Some(help) = &f.help {
            body.push_str(&format!("# HELP {} {}\n", f.name, escape_value(help)));
            expect.push(Owned::Help(f.name.clone(), help.clone()));
        }
        for s in &f.samples {
            let name = format!("{}{}", f.name, s.suffix);
            body.push_str(&name);
            if !s.labels.is_empty() {
                let labels: Vec<String> = s
                    .labels
                    .iter()
                    .map(|(n, v)| format!("{n}=\"{}\"", escape_value(v)))
                    .collect();
                body.push_str(&format!("{{{}}}", labels.join(",")));
            }
            body.push(' ');
            body.push_str(&s.value.text);
            if let Some(ts) = s.ts_ms {
                body.push(' ');
                body.push_str(&om_seconds(ts));
            }
            let exemplar = s.exemplar.as_ref().map(|(labels, value, ts)| {
                let escaped: Labels = labels
                    .iter()
                    .map(|(n, v)| (n.clone(), escape_value(v)))
                    .collect();
                let rendered: Vec<String> = escaped
                    .iter()
                    .map(|(n, v)| format!("{n}=\"{v}\""))
                    .collect();
                body.push_str(&format!(" # {{{}}} {}", rendered.join(","), value.text));
                if let Some(ts) = ts {
                    body.push(' ');
                    body.push_str(&om_seconds(*ts));
                }
                // Exemplar label values come back as written, escapes and all.
                (escaped, value.bits, *ts)
            });
            body.push('\n');
            expect.push(Owned::Sample {
                name,
                labels: s.labels.clone(),
                value_bits: s.value.bits,
                timestamp_ms: s.ts_ms,
                exemplar,
            });
        }
    }
    body.push_str("# EOF\n");
    (body, expect)
}

fn parse_owned(body: &str, format: ExpositionFormat) -> Result<Vec<Owned>, String> {
    let mut out = Vec::new();
    parse_exposition(body, format, |e| out.push(owned(e))).map_err(|e| e.to_string())?;
    Ok(out)
}

/// What must hold of anything the parser accepts, whatever the input.
fn check_invariants(entry: &Entry<'_>) {
    match entry {
        Entry::Sample(s) => {
            assert!(is_valid_metric_name(s.name), "{:?}", s.name);
            for (n, _) in s.labels {
                assert!(is_valid_label_name(n) && *n != "__name__", "{n:?}");
            }
            assert!(!s.value.is_nan() || s.value.to_bits() == NORMAL_NAN_BITS);
            if let Some(x) = &s.exemplar {
                assert!(s.name.ends_with("_total") || s.name.ends_with("_bucket"));
                assert!(x.labels.iter().all(|(n, _)| is_valid_label_name(n)));
                assert!(!x.value.is_nan() || x.value.to_bits() == NORMAL_NAN_BITS);
            }
        }
        Entry::Help { family, .. } | Entry::Type { family, .. } => {
            assert!(is_valid_metric_name(family), "{family:?}");
        }
        Entry::Unit { family, unit } => {
            assert!(is_valid_metric_name(family));
            assert!(unit.is_empty() || family.ends_with(&format!("_{unit}")));
        }
    }
}

fn parse_anything(bytes: &[u8]) {
    for format in [
        ExpositionFormat::PrometheusText,
        ExpositionFormat::OpenMetrics,
    ] {
        let from_bytes = parse_exposition_bytes(bytes, format, |e| check_invariants(&e));
        if let Ok(text) = std::str::from_utf8(bytes) {
            let from_str = parse_exposition(text, format, |e| check_invariants(&e));
            assert_eq!(from_str, from_bytes);
        }
        if let Err(e) = from_bytes {
            assert!(e.offset <= bytes.len());
            assert!(e.line >= 1 && e.line <= 1 + bytes.iter().filter(|&&c| c == b'\n').count());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_bodies_parse_back_to_what_was_rendered(
        families in prop::collection::vec(family(false), 0..6),
        seed in any::<u64>(),
    ) {
        let (body, expect) = render_text(&families, seed);
        prop_assert_eq!(parse_owned(&body, ExpositionFormat::PrometheusText), Ok(expect), "{:?}", body);
    }

    #[test]
    fn openmetrics_bodies_parse_back_to_what_was_rendered(
        families in prop::collection::vec(family(true), 0..6),
    ) {
        let (body, expect) = render_openmetrics(&families);
        prop_assert_eq!(parse_owned(&body, ExpositionFormat::OpenMetrics), Ok(expect), "{:?}", body);
    }

    #[test]
    fn openmetrics_without_eof_is_refused(
        families in prop::collection::vec(family(true), 0..4),
    ) {
        let (body, _) = render_openmetrics(&families);
        let body = body.strip_suffix("# EOF\n").unwrap_or(&body);
        let err = parse_owned(body, ExpositionFormat::OpenMetrics).unwrap_err();
        prop_assert!(err.ends_with("data does not end with # EOF"), "{}", err);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_anything(&bytes);
    }

    #[test]
    fn damaged_bodies_never_panic(
        families in prop::collection::vec(family(true), 1..4),
        seed in any::<u64>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6),
    ) {
        for (body, _) in [render_text(&families, seed), render_openmetrics(&families)] {
            let mut bytes = body.into_bytes();
            for (at, byte, how) in &edits {
                if bytes.is_empty() {
                    bytes.push(*byte);
                    continue;
                }
                let i = at.index(bytes.len());
                match how {
                    0 => bytes[i] = *byte,
                    1 => bytes.insert(i, *byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            parse_anything(&bytes);
        }
    }
}
