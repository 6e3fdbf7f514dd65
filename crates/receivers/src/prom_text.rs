//! The Prometheus exposition formats a scrape answers with: the Prometheus text format 0.0.4
//! and OpenMetrics 1.0 text. Bytes in, entries out, no I/O.
//!
//! [`parse_exposition`] hands each entry — sample, HELP, TYPE, UNIT — to a callback in body
//! order, duplicates and all, and stops at the first error, because Prometheus fails the whole
//! scrape on one. Nothing is collected: names and label values without escapes are slices of
//! the body, and the labels of a sample live in one buffer reused from line to line, so a
//! scrape allocates next to nothing (an escaped label value or HELP text is unescaped into a
//! string of its own).
//!
//! What is accepted and refused, and the error wording, follow Prometheus 2.42's
//! `model/textparse` (`promparse.go`, `openmetricsparse.go` and their lexers) plus the checks its
//! scrape loop and TSDB make before storing a sample — so a target scrapes here exactly as it
//! does in Prometheus. Some of that is surprising and deliberately kept:
//!
//! - Text format: blanks (spaces, tabs) may stand between any two tokens, but blanks before
//!   a sample's metric name fail the scrape (Prometheus' parser hands the name over with them
//!   and its scrape loop refuses it; before `#` they are fine); commas between labels are
//!   optional and one trailing comma is allowed; a label value may hold a raw newline; only
//!   `\\`, `\"` and `\n` are unescaped (`\t` stays two characters); timestamps are unsigned
//!   integer milliseconds; `\r` is no whitespace (a CRLF body fails on its first sample); HELP
//!   text loses the one character after the metric name whatever it is (`# TYPE foo-counter`
//!   types `foo` a counter); TYPE takes only `counter`, `gauge`, `histogram`, `summary` and
//!   `untyped`; neither the order of TYPE and samples nor repeated TYPE lines are checked.
//! - OpenMetrics: `# EOF` must end the body, optionally followed by one newline; single spaces
//!   only, no blank lines, no comments other than HELP, TYPE, UNIT and EOF; no trailing comma
//!   in label sets; timestamps are float seconds, converted to milliseconds as
//!   `int64(seconds * 1000)` (truncated, so `1.0009` is 1000 ms); exemplars only on metric
//!   names ending in `_total` or `_bucket`, whatever the family's type, and their label values
//!   are given as written, escapes and all (Prometheus keeps them so); `_created` samples are
//!   ordinary samples; family grouping, TYPE order and unique label sets are not checked.
//! - Both: every NaN becomes Prometheus' normal NaN ([`NORMAL_NAN_BITS`]), so a body cannot
//!   forge a staleness marker; a `__name__` label, or two labels of one name with non-empty
//!   values, fail the scrape (Prometheus' TSDB refuses such a series — after the scraper has
//!   added the target's labels, which with `honor_labels: false` replace scraped labels of the
//!   same name, so a duplicated `job` or `instance` passes Prometheus and not this parser);
//!   labels with an empty value are kept here, and mean no label to Prometheus.
//! - NUL bytes are read as Prometheus' lexers read them, quirks included: data inside label
//!   values, HELP text and comments; in the text format a NUL at the start of a line ends the
//!   body as its end would; NULs after a sample label value's closing quote or a HELP line's
//!   newline (OpenMetrics) join the token; elsewhere they are a syntax error.
//!
//! A differential run against Prometheus 2.42's own parser (several million generated and
//! fuzzed bodies, both formats) found no body accepted by one and refused by the other, nor a
//! different entry or error message, but for Go's spelling of rare unassigned characters in
//! quoted error text and the cut of very long tokens in messages here.

use std::borrow::Cow;
use std::fmt;

mod common;
mod media_type;
mod openmetrics;
#[cfg(test)]
mod proptests;
mod text;

pub use common::{is_valid_label_name, is_valid_metric_name};

/// The bits of the NaN Prometheus stores for every NaN a scrape reads (its `value.NormalNaN`),
/// which is not the staleness marker ([`telemetryhub_model::STALE_NAN_BITS`]).
pub const NORMAL_NAN_BITS: u64 = 0x7ff8_0000_0000_0001;

/// Which of the two text formats a body is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExpositionFormat {
    /// The Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    PrometheusText,
    /// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`).
    OpenMetrics,
}

impl ExpositionFormat {
    /// The format of a scrape answer from its `Content-Type`, as Prometheus 2.42 chooses its
    /// parser: `application/openmetrics-text` (any parameters, any case) is OpenMetrics;
    /// anything else — `text/plain`, no header, an unknown type, a header Go's
    /// `mime.ParseMediaType` cannot parse, and the protobuf format, which is only sent to
    /// those who ask for it — falls back to the Prometheus text format.
    pub fn from_content_type(content_type: Option<&str>) -> ExpositionFormat {
        match content_type.and_then(media_type::media_type) {
            Some(t) if t == "application/openmetrics-text" => ExpositionFormat::OpenMetrics,
            _ => ExpositionFormat::PrometheusText,
        }
    }
}

/// The type of a metric family, from a TYPE line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricKind {
    /// `counter`.
    Counter,
    /// `gauge`.
    Gauge,
    /// `histogram`.
    Histogram,
    /// `gaugehistogram` (OpenMetrics only).
    GaugeHistogram,
    /// `summary`.
    Summary,
    /// `info` (OpenMetrics only).
    Info,
    /// `stateset` (OpenMetrics only).
    StateSet,
    /// `unknown` in OpenMetrics, `untyped` in the text format, as Prometheus maps both.
    Unknown,
}

impl MetricKind {
    /// The OpenMetrics spelling, which is also Prometheus' metadata type.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::GaugeHistogram => "gaugehistogram",
            MetricKind::Summary => "summary",
            MetricKind::Info => "info",
            MetricKind::StateSet => "stateset",
            MetricKind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for MetricKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A label: name and value. The name is a slice of the body; the value is one too unless it
/// had escapes to undo.
pub type Label<'a> = (&'a str, Cow<'a, str>);

/// One entry of an exposition, in body order.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<'a> {
    /// A sample line.
    Sample(Sample<'a>),
    /// `# HELP family text`.
    Help {
        /// The metric family name as written (not checked against any sample).
        family: &'a str,
        /// The text, escapes undone (text format: `\\`, `\n`; OpenMetrics: also `\"`).
        text: Cow<'a, str>,
    },
    /// `# TYPE family kind`.
    Type {
        /// The metric family name as written.
        family: &'a str,
        /// The type.
        kind: MetricKind,
    },
    /// `# UNIT family unit` (OpenMetrics only). The unit is empty or a suffix of the family
    /// name after an underscore, which the parser checks as Prometheus does.
    Unit {
        /// The metric family name as written.
        family: &'a str,
        /// The unit, possibly empty.
        unit: &'a str,
    },
}

/// A sample line: one series and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample<'a> {
    /// The metric name (`__name__`), as written, suffixes such as `_total`, `_bucket` or
    /// `_created` included.
    pub name: &'a str,
    /// The labels in the order written, values unescaped; never `__name__`, never two of one
    /// name with non-empty values. Labels with an empty value are kept (Prometheus drops
    /// them: `{a=""}` is the same series as `{}`).
    pub labels: &'a [Label<'a>],
    /// The value. Any NaN has the bits [`NORMAL_NAN_BITS`].
    pub value: f64,
    /// The sample's own timestamp in milliseconds since the epoch, if it has one (a scraper
    /// uses the scrape time otherwise, unless `honor_timestamps` is off).
    pub timestamp_ms: Option<i64>,
    /// The OpenMetrics exemplar after the sample, if any.
    pub exemplar: Option<ParsedExemplar<'a>>,
}

/// An OpenMetrics exemplar: `# {trace_id="…"} value [timestamp]` after a `_total` or
/// `_bucket` sample.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedExemplar<'a> {
    /// The labels in the order written. Values are given as written, escapes and all, which
    /// is what Prometheus stores; they are not checked for duplicates or length (Prometheus
    /// drops an exemplar it cannot store without failing the scrape).
    pub labels: &'a [Label<'a>],
    /// The value. Any NaN has the bits [`NORMAL_NAN_BITS`].
    pub value: f64,
    /// The exemplar's timestamp in milliseconds, if it has one (Prometheus gives it the
    /// sample's timestamp otherwise).
    pub timestamp_ms: Option<i64>,
}

/// Why a body was refused: the first error, as Prometheus would fail the scrape on it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ExpositionError {
    /// The 1-based line the error was found on.
    pub line: usize,
    /// The byte offset into the body where it was found, for showing the spot.
    pub offset: usize,
    /// What is wrong, in Prometheus 2.42's words where it has them (`expected value after
    /// metric, got "INVALID"`, `strconv.ParseFloat: parsing "x": invalid syntax`).
    pub message: String,
}

/// Parses `body` in `format`, calling `on_entry` for each entry in order; stops at the first
/// error, as Prometheus fails the whole scrape on one. Entries before the error have been
/// handed over by then: a caller that stores all or nothing collects first.
pub fn parse_exposition(
    body: &str,
    format: ExpositionFormat,
    on_entry: impl FnMut(Entry<'_>),
) -> Result<(), ExpositionError> {
    run(Body::from_str(body), format, on_entry)
}

/// [`parse_exposition`] over bytes as they came off the wire: UTF-8 is only required where
/// Prometheus requires it (label values, HELP text), so invalid UTF-8 in a comment does not
/// fail a scrape; elsewhere it fails the line's syntax.
pub fn parse_exposition_bytes(
    body: &[u8],
    format: ExpositionFormat,
    on_entry: impl FnMut(Entry<'_>),
) -> Result<(), ExpositionError> {
    run(Body::from_bytes(body), format, on_entry)
}

fn run(
    body: Body<'_>,
    format: ExpositionFormat,
    on_entry: impl FnMut(Entry<'_>),
) -> Result<(), ExpositionError> {
    let result = match format {
        ExpositionFormat::PrometheusText => text::parse(body, on_entry),
        ExpositionFormat::OpenMetrics => openmetrics::parse(body, on_entry),
    };
    result.map_err(|fail| {
        let offset = fail.pos.min(body.bytes.len());
        ExpositionError {
            line: 1 + body.bytes[..offset].iter().filter(|&&c| c == b'\n').count(),
            offset,
            message: fail.message,
        }
    })
}

/// The body, with the string it came as when it came as one: slices of it need no UTF-8
/// check then.
#[derive(Clone, Copy)]
struct Body<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Body<'a> {
    fn from_str(text: &'a str) -> Body<'a> {
        Body {
            bytes: text.as_bytes(),
            text: Some(text),
        }
    }

    fn from_bytes(bytes: &'a [u8]) -> Body<'a> {
        Body { bytes, text: None }
    }

    /// `bytes[start..end]` as text, or `None` if it is not UTF-8.
    #[inline]
    fn str(&self, start: usize, end: usize) -> Option<&'a str> {
        match self.text {
            Some(text) => text.get(start..end),
            None => std::str::from_utf8(self.bytes.get(start..end)?).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_choose_the_parser_prometheus_chooses() {
        use ExpositionFormat::*;
        for (content_type, format) in [
            (None, PrometheusText),
            (Some(""), PrometheusText),
            (
                Some("text/plain; version=0.0.4; charset=utf-8"),
                PrometheusText,
            ),
            (Some("text/plain"), PrometheusText),
            (Some("application/openmetrics-text"), OpenMetrics),
            (
                Some("application/openmetrics-text; version=1.0.0; charset=utf-8"),
                OpenMetrics,
            ),
            (
                Some("Application/OpenMetrics-Text;version=0.0.1"),
                OpenMetrics,
            ),
            (
                Some("  application/openmetrics-text ;version=1.0.0;"),
                OpenMetrics,
            ),
            (
                Some("application/openmetrics-text; version=\"1.0.0\""),
                OpenMetrics,
            ),
            (
                Some("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily"),
                PrometheusText,
            ),
            (Some("application/json"), PrometheusText),
            // What Go's mime.ParseMediaType refuses sends Prometheus to the text parser.
            (
                Some("application/openmetrics-text; version"),
                PrometheusText,
            ),
            (
                Some("application/openmetrics-text; version=1; version=2"),
                PrometheusText,
            ),
            (Some("application/openmetrics-text/x"), PrometheusText),
            (
                Some("application/openmetrics-text; a=\"unterminated"),
                PrometheusText,
            ),
        ] {
            assert_eq!(
                ExpositionFormat::from_content_type(content_type),
                format,
                "{content_type:?}"
            );
        }
    }

    #[test]
    fn errors_name_the_line_and_offset() {
        let err = parse_exposition("a 1\nb 2\nc\n", ExpositionFormat::PrometheusText, |_| {})
            .unwrap_err();
        assert_eq!(
            err,
            ExpositionError {
                line: 3,
                offset: 9,
                message: "expected value after metric, got \"INVALID\"".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "line 3: expected value after metric, got \"INVALID\""
        );
    }

    #[test]
    fn bytes_need_utf8_only_where_prometheus_needs_it() {
        let body = b"# a comment \xff\xfe\nm{a=\"x\"} 1\n";
        let mut samples = 0;
        parse_exposition_bytes(body, ExpositionFormat::PrometheusText, |e| {
            samples += matches!(e, Entry::Sample(_)) as usize
        })
        .unwrap();
        assert_eq!(samples, 1);
        for (body, message) in [
            (&b"m{a=\"\xff\"} 1\n"[..], "invalid UTF-8 label value"),
            (b"# HELP m \xff\n", "help text is not a valid utf8 string"),
            (
                b"m \xff\n",
                "strconv.ParseFloat: parsing \"\\xff\": invalid syntax",
            ),
        ] {
            let err =
                parse_exposition_bytes(body, ExpositionFormat::PrometheusText, |_| {}).unwrap_err();
            assert_eq!(err.message, message);
            let err = parse_exposition_bytes(
                &[body, b"# EOF\n"].concat(),
                ExpositionFormat::OpenMetrics,
                |_| {},
            )
            .unwrap_err();
            assert_eq!(err.message, message);
        }
    }

    #[test]
    fn metric_kinds_spell_as_openmetrics() {
        assert_eq!(MetricKind::StateSet.to_string(), "stateset");
        assert_eq!(MetricKind::Unknown.as_str(), "unknown");
    }
}
