//! OTLP metric and attribute names as Prometheus names, the way Prometheus' own OTLP receiver
//! translates them (Prometheus 2.5x `otlptranslator` with metric suffixes enabled, UTF-8 names
//! off), so PromQL written against Prometheus finds OTLP metrics under the same names.
//!
//! Metric names: the name is cut into words at every character other than an ASCII letter, digit
//! or `:` (so runs of `.`, `-`, `/`, `_` … become one `_`, and leading or trailing ones vanish);
//! the unit adds a suffix word unless the name already has it (`s` → `seconds`, `By` → `bytes`,
//! `ms` → `milliseconds`, … any other unit cleaned up as it is; units in braces, such as
//! `{request}`, add nothing; `1` adds nothing); a unit `a/b` adds `per_<b>` (`s` → `second`,
//! `m` → `minute`, `h` → `hour`, `d` → `day`, `w` → `week`, `mo` → `month`, `y` → `year`);
//! monotonic sums end in `total`, gauges of unit `1` in `ratio` (each moved to the end if the
//! name had it); the words are joined with `_` and a name starting with a digit gets a leading
//! `_`. Histograms and summaries then take `_bucket`, `_sum` and `_count` as before.
//!
//! Label names: every character other than an ASCII letter, digit or `_` becomes `_`; a name
//! starting with a digit gets the prefix `key_`, one starting with a single `_` the prefix `key`.
//!
//! [`legacy_metric_name`] and [`legacy_label_name`] are the read-time half: names stored by
//! versions that kept OTLP names as sent (`http.server.duration_bucket`) read as Prometheus
//! names without unit or type suffixes, which those versions did not record.

/// What kind of OTLP metric a name belongs to: the suffixes depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// A gauge (`_ratio` for unit `1`).
    Gauge,
    /// A monotonic sum: a Prometheus counter (`_total`).
    Counter,
    /// A sum that is not monotonic, a histogram, an exponential histogram or a summary.
    Other,
}

/// OTLP units and their Prometheus unit words.
const UNITS: [(&str, &str); 26] = [
    ("d", "days"),
    ("h", "hours"),
    ("min", "minutes"),
    ("s", "seconds"),
    ("ms", "milliseconds"),
    ("us", "microseconds"),
    ("ns", "nanoseconds"),
    ("By", "bytes"),
    ("KiBy", "kibibytes"),
    ("MiBy", "mebibytes"),
    ("GiBy", "gibibytes"),
    ("TiBy", "tibibytes"),
    ("KBy", "kilobytes"),
    ("MBy", "megabytes"),
    ("GBy", "gigabytes"),
    ("TBy", "terabytes"),
    ("m", "meters"),
    ("V", "volts"),
    ("A", "amperes"),
    ("J", "joules"),
    ("W", "watts"),
    ("g", "grams"),
    ("Cel", "celsius"),
    ("Hz", "hertz"),
    ("1", ""),
    ("%", "percent"),
];

/// The "per" units of `a/b` units and their words.
const PER_UNITS: [(&str, &str); 7] = [
    ("s", "second"),
    ("m", "minute"),
    ("h", "hour"),
    ("d", "day"),
    ("w", "week"),
    ("mo", "month"),
    ("y", "year"),
];

fn lookup<'a>(table: &[(&'a str, &'a str)], unit: &'a str) -> &'a str {
    table
        .iter()
        .find(|(otlp, _)| *otlp == unit)
        .map_or(unit, |(_, prometheus)| prometheus)
}

/// Whether `c` may appear in a metric name word (letters, digits, `:`).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ':'
}

/// A unit word cleaned up: runs of other characters become one `_`, a leading `_` is dropped.
fn clean_unit(unit: &str) -> String {
    let mut out = String::with_capacity(unit.len());
    for c in unit.chars() {
        if word_char(c) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// The main and "per" suffixes of an OTLP unit (either may be empty).
fn unit_suffixes(unit: &str) -> (String, String) {
    let (main, per) = match unit.split_once('/') {
        Some((main, per)) => (main.trim(), Some(per.trim())),
        None => (unit.trim(), None),
    };
    let braces = |text: &str| text.contains(['{', '}']);
    let mut main_suffix = if main.is_empty() || braces(main) {
        String::new()
    } else {
        clean_unit(lookup(&UNITS, main))
    };
    let per_suffix = match per {
        Some(per) if !per.is_empty() && !braces(per) => format!("per_{}", lookup(&PER_UNITS, per)),
        _ => String::new(),
    };
    if !per_suffix.is_empty() {
        while main_suffix.ends_with('_') {
            main_suffix.pop();
        }
    }
    (main_suffix, per_suffix)
}

/// The Prometheus name of an OTLP metric (before any `_bucket`, `_sum` or `_count`).
pub fn metric_name(name: &str, unit: &str, kind: MetricKind) -> String {
    let mut words: Vec<&str> = name
        .split(|c| !word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    let (main, per) = unit_suffixes(unit);
    if !main.is_empty() && !words.contains(&main.as_str()) {
        words.push(&main);
    }
    if !per.is_empty() && !words.contains(&per.as_str()) {
        words.push(&per);
    }
    let last = match kind {
        MetricKind::Counter => Some("total"),
        MetricKind::Gauge if unit == "1" => Some("ratio"),
        _ => None,
    };
    if let Some(last) = last {
        words.retain(|w| *w != last);
        words.push(last);
    }
    let joined = words.join("_");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    }
}

/// The Prometheus label name of an OTLP attribute name.
pub fn label_name(name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    let sanitised: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if sanitised.starts_with(|c: char| c.is_ascii_digit()) {
        format!("key_{sanitised}")
    } else if sanitised.starts_with('_') && !sanitised.starts_with("__") {
        format!("key{sanitised}")
    } else {
        sanitised
    }
}

/// Whether `name` is a valid Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
pub fn is_metric_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && name.chars().all(|c| word_char(c) || c == '_')
}

/// Whether `name` is a valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
pub fn is_label_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A stored metric name as Prometheus sees it: a valid name as it is; any other (an OTLP name
/// stored as sent by earlier versions, say) with every run of characters other than letters,
/// digits, `:` and `_` turned into one `_` (leading and trailing ones dropped), and a leading `_`
/// before a digit — Prometheus' translation without suffixes.
pub fn legacy_metric_name(name: &str) -> String {
    if is_metric_name(name) {
        return name.to_string();
    }
    let words: Vec<&str> = name
        .split(|c: char| !(word_char(c) || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join("_");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    }
}

/// A stored label name as Prometheus sees it: a valid name as it is, any other as
/// [`label_name`] translates it.
pub fn legacy_label_name(name: &str) -> String {
    if is_label_name(name) {
        name.to_string()
    } else {
        label_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::MetricKind::{Counter, Gauge, Other};
    use super::*;

    /// Cases from Prometheus' translator tests and the OpenTelemetry compatibility
    /// specification.
    #[test]
    fn metric_names_follow_prometheus_otlp_translation() {
        let cases = [
            (
                "system.cpu.time",
                "s",
                Counter,
                "system_cpu_time_seconds_total",
            ),
            (
                "http.server.duration",
                "ms",
                Other,
                "http_server_duration_milliseconds",
            ),
            ("queue.depth", "", Gauge, "queue_depth"),
            ("queue.depth", "{item}", Gauge, "queue_depth"),
            ("cpu.utilization", "1", Gauge, "cpu_utilization_ratio"),
            ("cpu.utilization", "1", Other, "cpu_utilization"),
            ("requests", "1", Counter, "requests_total"),
            ("requests.total", "", Counter, "requests_total"),
            ("total.requests", "", Counter, "requests_total"),
            ("ratio.of.x", "1", Gauge, "of_x_ratio"),
            ("memory.usage", "By", Gauge, "memory_usage_bytes"),
            ("usage_bytes", "By", Gauge, "usage_bytes"),
            ("throughput", "By/s", Gauge, "throughput_bytes_per_second"),
            ("rate", "1/s", Gauge, "rate_per_second"),
            ("odd", "foo/bar", Gauge, "odd_foo_per_bar"),
            ("temp", "Cel", Gauge, "temp_celsius"),
            ("weird", "a.b", Gauge, "weird_a_b"),
            ("__a..b__", "", Gauge, "a_b"),
            ("2xx.count", "", Gauge, "_2xx_count"),
            ("ns:name", "", Gauge, "ns:name"),
            ("höhe", "m", Gauge, "h_he_meters"),
        ];
        for (name, unit, kind, expected) in cases {
            assert_eq!(
                metric_name(name, unit, kind),
                expected,
                "{name} {unit} {kind:?}"
            );
        }
    }

    #[test]
    fn label_names_are_sanitised() {
        for (name, expected) in [
            ("http.method", "http_method"),
            ("route", "route"),
            ("0abc", "key_0abc"),
            ("_private", "key_private"),
            ("__reserved", "__reserved"),
            ("a-b/c", "a_b_c"),
            ("é", "key_"),
        ] {
            assert_eq!(label_name(name), expected, "{name}");
        }
    }

    proptest::proptest! {
        /// Whatever the OTLP names, the translations are valid Prometheus names (or empty, for
        /// a name without letters or digits), and the read-time translation of a valid name is
        /// the name.
        #[test]
        fn translations_are_valid_names(name in "\\PC{0,12}", unit in "\\PC{0,6}") {
            for kind in [Gauge, Counter, Other] {
                let translated = metric_name(&name, &unit, kind);
                // A "per" unit is taken as sent, as Prometheus takes it.
                if !unit.contains('/') {
                    proptest::prop_assert!(
                        translated.is_empty() || is_metric_name(&translated),
                        "{name:?} {unit:?} → {translated:?}"
                    );
                }
            }
            let label = label_name(&name);
            proptest::prop_assert!(name.is_empty() || is_label_name(&label), "{label:?}");
            let legacy = legacy_metric_name(&name);
            proptest::prop_assert!(legacy.is_empty() || is_metric_name(&legacy));
            proptest::prop_assert_eq!(legacy_metric_name(&legacy), legacy.clone());
            proptest::prop_assert_eq!(legacy_label_name(&label), label);
        }
    }

    #[test]
    fn legacy_names_keep_valid_names_and_translate_the_rest() {
        assert_eq!(
            legacy_metric_name("http_requests_total"),
            "http_requests_total"
        );
        assert_eq!(
            legacy_metric_name("bar.otlp.latency_bucket"),
            "bar_otlp_latency_bucket"
        );
        assert_eq!(legacy_metric_name("a..b"), "a_b");
        assert_eq!(legacy_metric_name("5xx.rate"), "_5xx_rate");
        assert_eq!(legacy_label_name("_ok"), "_ok", "valid names stay");
        assert_eq!(legacy_label_name("http.route"), "http_route");
    }
}
