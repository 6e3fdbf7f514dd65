//! What both exposition formats share: byte classes, Go's number syntax and error wording, label
//! value escapes, the label buffer and its duplicate check, and the internal error.
//!
//! Prometheus reads values with Go's `strconv`, and the scrape error a user sees is Go's error
//! text; the helpers here reproduce both, so a target Prometheus accepts is accepted here and
//! a refusal reads the same.

use std::borrow::Cow;

use super::{Label, NORMAL_NAN_BITS};

/// Where parsing stopped and why, before the position is turned into a line number (counting
/// lines only when something failed keeps the successful path free of it).
#[derive(Debug)]
pub(super) struct Fail {
    /// Byte offset into the body.
    pub pos: usize,
    /// The message, in Prometheus' wording.
    pub message: String,
}

impl Fail {
    pub(super) fn new(pos: usize, message: impl Into<String>) -> Fail {
        Fail {
            pos,
            message: message.into(),
        }
    }

    /// Prometheus' `parseError`: what was expected and the token found instead.
    pub(super) fn expected(pos: usize, what: &str, got: Tok) -> Fail {
        Fail::new(pos, format!("{what}, got \"{}\"", got.name()))
    }
}

/// The lexer tokens of Prometheus' `textparse`, only for the wording of errors ("expected label
/// name, got \"COMMA\"").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    Invalid,
    Eof,
    Linebreak,
    Timestamp,
    Value,
    BraceOpen,
    BraceClose,
    LName,
    LValue,
    Comma,
    Equal,
    /// OpenMetrics' ` # {` that opens an exemplar.
    Comment,
}

impl Tok {
    pub(super) fn name(self) -> &'static str {
        match self {
            Tok::Invalid => "INVALID",
            Tok::Eof => "EOF",
            Tok::Linebreak => "LINEBREAK",
            Tok::Timestamp => "TIMESTAMP",
            Tok::Value => "VALUE",
            Tok::BraceOpen => "BOPEN",
            Tok::BraceClose => "BCLOSE",
            Tok::LName => "LNAME",
            Tok::LValue => "LVALUE",
            Tok::Comma => "COMMA",
            Tok::Equal => "EQUAL",
            Tok::Comment => "COMMENT",
        }
    }
}

/// Bytes of a metric name after the first: `[a-zA-Z0-9_:]`.
const NAME_CHAR: u8 = 1;
/// First byte of a metric name: `[a-zA-Z_:]`.
const NAME_START: u8 = 2;
/// Bytes of a label name after the first: `[a-zA-Z0-9_]`.
const LNAME_CHAR: u8 = 4;
/// First byte of a label name: `[a-zA-Z_]`.
const LNAME_START: u8 = 8;

/// One table lookup per byte instead of a chain of range tests in the name loops, the hottest
/// loops of a scrape.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let alpha = b.is_ascii_alphabetic() || b == b'_';
        let digit = b.is_ascii_digit();
        let mut v = 0;
        if alpha || digit || b == b':' {
            v |= NAME_CHAR;
        }
        if alpha || b == b':' {
            v |= NAME_START;
        }
        if alpha || digit {
            v |= LNAME_CHAR;
        }
        if alpha {
            v |= LNAME_START;
        }
        t[c] = v;
        c += 1;
    }
    t
};

#[inline]
pub(super) fn is_name_start(c: u8) -> bool {
    CLASS[c as usize] & NAME_START != 0
}

#[inline]
pub(super) fn is_lname_start(c: u8) -> bool {
    CLASS[c as usize] & LNAME_START != 0
}

/// The end of the metric name starting at `pos` (whose first byte was checked).
#[inline]
pub(super) fn scan_name(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && CLASS[b[pos] as usize] & NAME_CHAR != 0 {
        pos += 1;
    }
    pos
}

/// The end of the label name starting at `pos` (whose first byte was checked).
#[inline]
pub(super) fn scan_lname(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && CLASS[b[pos] as usize] & LNAME_CHAR != 0 {
        pos += 1;
    }
    pos
}

/// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`), as Prometheus'
/// `model.IsValidMetricName` decides.
pub fn is_valid_metric_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && scan_name(b, 1) == b.len()
}

/// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`), as Prometheus'
/// `model.LabelName.IsValid` decides.
pub fn is_valid_label_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty() && is_lname_start(b[0]) && scan_lname(b, 1) == b.len()
}

/// The end of a quoted label value whose opening `"` is at `open`: the position just past the
/// closing quote, or `None` when the lexer of Prometheus would not recognise one.
///
/// A backslash takes the next byte with it (a newline excepted); `raw_newline` says whether a
/// newline may stand in the value unescaped (the Prometheus text lexer allows it, OpenMetrics'
/// does not), `nul` whether NUL bytes may (Prometheus skips them in sample label values, and
/// refuses them in OpenMetrics exemplar labels).
#[inline]
pub(super) fn scan_quoted(b: &[u8], open: usize, raw_newline: bool, nul: bool) -> Option<usize> {
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some(i + 1),
            b'\\' => {
                // Where NULs may stand, the lexer steps over them after a backslash too: the
                // escaped byte is the next one that is not NUL.
                let escaped = if nul { skip_nul(b, i + 1) } else { i + 1 };
                match b.get(escaped) {
                    None | Some(b'\n') | Some(0) => return None,
                    Some(_) => i = escaped + 1,
                }
            }
            b'\n' if !raw_newline => return None,
            0 if !nul => return None,
            _ => i += 1,
        }
    }
    None
}

/// The position of the first byte at or after `pos` that is not NUL. Prometheus' lexers step
/// over NUL bytes while they are inside a comment, HELP/TYPE/UNIT text or a sample label
/// value — including the byte just after the token that ends such a state — so NULs there
/// vanish between tokens or become part of the token.
#[inline]
pub(super) fn skip_nul(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && b[pos] == 0 {
        pos += 1;
    }
    pos
}

/// The content of a sample label value whose opening quote is at `open` and which ends just
/// before `close`, and where lexing goes on. Prometheus' lexer steps over NUL bytes after the
/// closing quote while still in its label value state and takes them into the token, of
/// which it then drops the first and last byte: `"x"` followed by two NULs reads as `x"` and
/// one NUL.
#[inline]
pub(super) fn label_value_span(b: &[u8], open: usize, close: usize) -> (usize, usize, usize) {
    let after = skip_nul(b, close);
    if after == close {
        (open + 1, close - 1, close)
    } else {
        (open + 1, after - 1, after)
    }
}

/// Which escapes a text undoes.
#[derive(Clone, Copy)]
pub(super) enum Escapes {
    /// `\\`, `\"` and `\n`: label values of both formats and OpenMetrics HELP text.
    LabelValue,
    /// `\\` and `\n` only: HELP text of the Prometheus text format (a `\"` stays as it is).
    TextHelp,
}

/// Undoes escapes as Prometheus' `strings.Replacer`s do: left to right, a backslash followed
/// by one of the known characters becomes that character; any other backslash stays, with
/// the byte after it read afresh. Borrowed when there is no backslash, the common case.
pub(super) fn unescape(s: &str, escapes: Escapes) -> Cow<'_, str> {
    let Some(first) = s.find('\\') else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = rest.as_bytes().get(i + 1).copied();
        let replaced = match (after, escapes) {
            (Some(b'\\'), _) => Some('\\'),
            (Some(b'n'), _) => Some('\n'),
            (Some(b'"'), Escapes::LabelValue) => Some('"'),
            _ => None,
        };
        match replaced {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 2..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A value as Prometheus reads it: its `parseFloat` (Go's `strconv.ParseFloat`, refusing the
/// hexadecimal and underscore forms Go 1.13 added), and every NaN as Prometheus' normal NaN.
pub(super) fn parse_float(s: &[u8]) -> Result<f64, String> {
    if let Some(v) = fast_decimal(s) {
        return Ok(v);
    }
    if s.iter().any(|&c| matches!(c, b'p' | b'P' | b'_')) {
        return Err("unsupported character in float".into());
    }
    let syntax = || {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            go_quote(s)
        )
    };
    let text = std::str::from_utf8(s).map_err(|_| syntax())?;
    // Rust's grammar is Go's without the hexadecimal and underscore forms refused above, but
    // for one thing: Rust takes a sign before NaN, Go does not.
    let unsigned = text.strip_prefix(['+', '-']);
    if unsigned.is_some_and(|u| u.eq_ignore_ascii_case("nan")) {
        return Err(syntax());
    }
    let v: f64 = text.parse().map_err(|_| syntax())?;
    if v.is_nan() {
        return Ok(f64::from_bits(NORMAL_NAN_BITS));
    }
    if v.is_infinite() {
        let word = unsigned.unwrap_or(text);
        if !(word.eq_ignore_ascii_case("inf") || word.eq_ignore_ascii_case("infinity")) {
            // Go answers a finite number too large for a float64 with an error, Rust with
            // infinity.
            return Err(format!(
                "strconv.ParseFloat: parsing {}: value out of range",
                go_quote(s)
            ));
        }
    }
    Ok(v)
}

/// Integers and plain decimals of at most 15 significant digits, the bulk of real scrapes,
/// without the general parser: both the digits and the power of ten are exact in a float64,
/// so one division is correctly rounded (Clinger's fast path) and equals what Go computes.
#[inline]
fn fast_decimal(s: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut fraction: Option<usize> = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if fraction.is_none() => fraction = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let mut v = mantissa as f64;
    if let Some(places) = fraction {
        v /= POW10[places];
    }
    Some(if negative { -v } else { v })
}

/// A text timestamp: decimal digits only (the lexer saw to that), read as Go's
/// `strconv.ParseInt` reads them.
pub(super) fn parse_int_timestamp(s: &[u8]) -> Result<i64, String> {
    let mut v: i64 = 0;
    for &c in s {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(c.wrapping_sub(b'0'))))
            .ok_or_else(|| {
                format!(
                    "strconv.ParseInt: parsing {}: value out of range",
                    go_quote(s)
                )
            })?;
    }
    Ok(v)
}

/// An OpenMetrics timestamp (finite float seconds) in milliseconds, as Prometheus converts it:
/// `int64(ts * 1000)`, truncating toward zero. Go leaves an out-of-range conversion to the
/// processor; on x86-64, where Prometheus mostly runs, it yields the smallest int64, and so
/// does this.
pub(super) fn seconds_to_ms(seconds: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    let ms = seconds * 1000.0;
    if (-LIMIT..LIMIT).contains(&ms) {
        ms as i64
    } else {
        i64::MIN
    }
}

/// How long a quoted piece of the body may get in an error message: Go quotes the whole token,
/// which for a hostile body could be megabytes.
const QUOTE_LIMIT: usize = 120;

/// Go's `%q` (`strconv.Quote`) of some bytes, for error messages: printable characters as they
/// are, the usual backslash escapes, `\x..` for other control bytes and invalid UTF-8. Cut
/// after [`QUOTE_LIMIT`] bytes of input, marked with `...`.
pub(super) fn go_quote(s: &[u8]) -> String {
    let (s, cut) = if s.len() > QUOTE_LIMIT {
        (&s[..QUOTE_LIMIT], true)
    } else {
        (s, false)
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_go_char(&mut out, c);
        }
        for &byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    if cut {
        out.push_str("...");
    }
    out.push('"');
    out
}

/// Go's `%q` of one character (`string(byte)` in Go makes a byte a character).
pub(super) fn go_quote_char(c: char) -> String {
    let mut out = String::from('"');
    push_go_char(&mut out, c);
    out.push('"');
    out
}

fn push_go_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        // What Go's `IsPrint` refuses beyond controls and spaces, as far as it can be told
        // without Unicode tables: private use areas and the planes with nothing assigned.
        c if c.is_control()
            || (c.is_whitespace() && c != ' ')
            || matches!(c as u32, 0xe000..=0xf8ff | 0x40000..=0xdffff | 0xf0000..) =>
        {
            if (c as u32) < 0x10000 {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        c => out.push(c),
    }
}

/// The labels of the sample being read, reused from line to line so a scrape allocates them
/// once; and the scratch of the duplicate check.
#[derive(Default)]
pub(super) struct LabelBuf<'a> {
    pub labels: Vec<Label<'a>>,
    pub exemplar: Vec<Label<'a>>,
    order: Vec<u32>,
}

/// Below this many labels the duplicate check compares pairs; above, it sorts indices, so a line
/// of a hundred thousand labels costs n log n, not n².
const PAIRWISE_LIMIT: usize = 12;

impl<'a> LabelBuf<'a> {
    /// The checks Prometheus makes before it stores a scraped series, which fail the scrape:
    /// every `__name__` must be a valid metric name — `name` is the metric name as
    /// Prometheus' parser hands it over, which for a text line with leading blanks includes
    /// them — and no two labels may share a name (a `__name__` among the labels duplicates
    /// the metric name). Labels with an empty value do not count, as Prometheus drops them
    /// before it looks (`{a="",a="x"}` is `{a="x"}`). Names the smallest duplicate, as
    /// Prometheus (which sorts first) does.
    pub(super) fn check_series(&mut self, name: &str) -> Result<(), String> {
        let labels = &self.labels;
        let names = labels.iter().filter(|(n, _)| *n == "__name__");
        if !is_valid_metric_name(name) || names.clone().any(|(_, v)| !is_valid_metric_name(v)) {
            return Err(format!(
                "invalid metric name or label names: {}",
                label_set_string(name, labels)
            ));
        }
        if names.count() > 0 {
            return Err(not_unique("__name__"));
        }
        let mut duplicate: Option<&str> = None;
        if labels.len() <= PAIRWISE_LIMIT {
            for (i, (name, value)) in labels.iter().enumerate() {
                if value.is_empty() {
                    continue;
                }
                for (other, other_value) in &labels[i + 1..] {
                    if other == name
                        && !other_value.is_empty()
                        && duplicate.is_none_or(|d| *name < d)
                    {
                        duplicate = Some(name);
                    }
                }
            }
        } else {
            self.order.clear();
            self.order
                .extend((0..labels.len() as u32).filter(|&i| !labels[i as usize].1.is_empty()));
            self.order.sort_unstable_by_key(|&i| labels[i as usize].0);
            duplicate = self
                .order
                .windows(2)
                .map(|w| (labels[w[0] as usize].0, labels[w[1] as usize].0))
                .find(|(a, b)| a == b)
                .map(|(a, _)| a);
        }
        match duplicate {
            Some(name) => Err(not_unique(name)),
            None => Ok(()),
        }
    }
}

/// A label set as Prometheus prints it (`labels.Labels.String`): sorted by name,
/// `{__name__="m", a="b"}`. (Prometheus' message also holds the target's labels, which the
/// scraper adds; this one has what the body holds.)
fn label_set_string(name: &str, labels: &[Label<'_>]) -> String {
    let mut all: Vec<(&str, &str)> = Vec::with_capacity(labels.len() + 1);
    all.push(("__name__", name));
    all.extend(labels.iter().map(|(n, v)| (*n, v.as_ref())));
    all.sort_by_key(|(n, _)| *n);
    let parts: Vec<String> = all
        .iter()
        .map(|(n, v)| format!("{n}={}", go_quote(v.as_bytes())))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Prometheus' wording: the TSDB's error wrapped around `ErrInvalidSample`.
fn not_unique(name: &str) -> String {
    format!("label name \"{name}\" is not unique: invalid sample")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(s: &str) -> Result<f64, String> {
        parse_float(s.as_bytes())
    }

    #[test]
    fn floats_read_as_go_reads_them() {
        for (text, value) in [
            ("1", 1.0),
            ("-1", -1.0),
            ("+1", 1.0),
            ("1.", 1.0),
            (".5", 0.5),
            ("1e3", 1000.0),
            ("1E3", 1000.0),
            ("1e+3", 1000.0),
            ("2.5e-3", 0.0025),
            ("4.9351e-05", 4.9351e-05),
            ("7.424100000000001e-05", 7.424100000000001e-05),
            ("0.1", 0.1),
            ("123456789012345", 123456789012345.0),
            ("12345678901234567890", 12345678901234567890.0),
            ("1e-400", 0.0),
            ("-0", -0.0),
            ("Inf", f64::INFINITY),
            ("+Inf", f64::INFINITY),
            ("-Inf", f64::NEG_INFINITY),
            ("inf", f64::INFINITY),
            ("INF", f64::INFINITY),
            ("+infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            let got = float(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got.to_bits(), value.to_bits(), "{text}");
        }
        for nan in ["NaN", "nan", "NAN", "nAn"] {
            assert_eq!(float(nan).map(f64::to_bits), Ok(NORMAL_NAN_BITS), "{nan}");
        }
    }

    #[test]
    fn fast_path_agrees_with_the_general_parser() {
        for text in [
            "0",
            "-0",
            "0.0",
            "1.5",
            "-1.25",
            "0.1",
            "0.3",
            "99.99",
            "1.000000000000001",
            "999999999999999",
            ".000000000000001",
            "123456.789012345",
            "5e",
            ".",
            "-.",
            "-",
        ] {
            let general = text.parse::<f64>().ok().map(f64::to_bits);
            if let Some(fast) = fast_decimal(text.as_bytes()) {
                assert_eq!(Some(fast.to_bits()), general, "{text}");
            }
            assert_eq!(float(text).ok().map(f64::to_bits), general, "{text}");
        }
    }

    #[test]
    fn floats_go_refuses_are_refused_with_its_wording() {
        for (text, message) in [
            ("1_000", "unsupported character in float"),
            ("0x1p-3", "unsupported character in float"),
            ("0x1P-3", "unsupported character in float"),
            (
                "true",
                "strconv.ParseFloat: parsing \"true\": invalid syntax",
            ),
            (
                "+NaN",
                "strconv.ParseFloat: parsing \"+NaN\": invalid syntax",
            ),
            (
                "-nan",
                "strconv.ParseFloat: parsing \"-nan\": invalid syntax",
            ),
            (
                "infin",
                "strconv.ParseFloat: parsing \"infin\": invalid syntax",
            ),
            (
                "0x10",
                "strconv.ParseFloat: parsing \"0x10\": invalid syntax",
            ),
            ("1e", "strconv.ParseFloat: parsing \"1e\": invalid syntax"),
            (".", "strconv.ParseFloat: parsing \".\": invalid syntax"),
            (
                "1\t2",
                "strconv.ParseFloat: parsing \"1\\t2\": invalid syntax",
            ),
            (
                "1\r",
                "strconv.ParseFloat: parsing \"1\\r\": invalid syntax",
            ),
            (
                "1e400",
                "strconv.ParseFloat: parsing \"1e400\": value out of range",
            ),
            (
                "-1e400",
                "strconv.ParseFloat: parsing \"-1e400\": value out of range",
            ),
        ] {
            assert_eq!(float(text), Err(message.to_string()), "{text}");
        }
        assert_eq!(
            parse_float(b"\xff1"),
            Err("strconv.ParseFloat: parsing \"\\xff1\": invalid syntax".into())
        );
    }

    #[test]
    fn timestamps_overflow_as_go_says() {
        assert_eq!(parse_int_timestamp(b"9223372036854775807"), Ok(i64::MAX));
        assert_eq!(
            parse_int_timestamp(b"9223372036854775808"),
            Err("strconv.ParseInt: parsing \"9223372036854775808\": value out of range".into())
        );
        assert_eq!(seconds_to_ms(1.5), 1500);
        assert_eq!(seconds_to_ms(-1.5), -1500);
        assert_eq!(seconds_to_ms(0.0009), 0);
        assert_eq!(seconds_to_ms(-0.0009), 0);
        assert_eq!(seconds_to_ms(1e300), i64::MIN);
        assert_eq!(seconds_to_ms(-1e300), i64::MIN);
        assert_eq!(seconds_to_ms(-9_223_372_036_854_775.808), i64::MIN);
    }

    #[test]
    fn unescapes_as_prometheus_replacers_do() {
        let lv = |s| unescape(s, Escapes::LabelValue).into_owned();
        let help = |s| unescape(s, Escapes::TextHelp).into_owned();
        assert!(matches!(
            unescape("plain", Escapes::LabelValue),
            Cow::Borrowed("plain")
        ));
        assert_eq!(lv(r#"a\"b"#), "a\"b");
        assert_eq!(lv(r"a\\b"), "a\\b");
        assert_eq!(lv(r"a\nb"), "a\nb");
        assert_eq!(lv(r"a\\nb"), "a\\nb");
        assert_eq!(lv(r"a\tb"), "a\\tb");
        assert_eq!(lv(r"a\\\n"), "a\\\n");
        assert_eq!(lv("trailing\\"), "trailing\\");
        assert_eq!(lv(r"\x\\"), "\\x\\");
        assert_eq!(help(r#"say \"hi\""#), "say \\\"hi\\\"");
        assert_eq!(help(r"a\\b\nc"), "a\\b\nc");
    }

    #[test]
    fn quotes_as_go_does() {
        assert_eq!(go_quote(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote(b"\x00\x07\x1b\x7f"), r#""\x00\a\x1b\x7f""#);
        assert_eq!(go_quote("é\u{85}".as_bytes()), "\"é\\u0085\"");
        assert_eq!(
            go_quote("\u{f412}\u{532cc}".as_bytes()),
            "\"\\uf412\\U000532cc\""
        );
        assert_eq!(go_quote_char('\n'), r#""\n""#);
        assert_eq!(go_quote_char('ÿ'), "\"ÿ\"");
        let long = go_quote(&[b'x'; 1000]);
        assert!(long.len() < 130 && long.ends_with("...\""), "{long}");
    }

    #[test]
    fn names_are_checked_as_prometheus_checks_them() {
        assert!(is_valid_metric_name("a:b_c9"));
        assert!(is_valid_metric_name(":a"));
        assert!(!is_valid_metric_name("9a"));
        assert!(!is_valid_metric_name(""));
        assert!(!is_valid_metric_name("a-b"));
        assert!(is_valid_label_name("_a9"));
        assert!(!is_valid_label_name("a:b"));
        assert!(!is_valid_label_name("é"));
    }

    fn buf(labels: &[(&'static str, &'static str)]) -> LabelBuf<'static> {
        LabelBuf {
            labels: labels.iter().map(|&(n, v)| (n, Cow::Borrowed(v))).collect(),
            ..LabelBuf::default()
        }
    }

    #[test]
    fn duplicate_labels_are_found_as_the_tsdb_finds_them() {
        assert_eq!(buf(&[("a", "1"), ("b", "2")]).check_series("m"), Ok(()));
        assert_eq!(buf(&[("a", ""), ("a", "x")]).check_series("m"), Ok(()));
        assert_eq!(
            buf(&[("b", "1"), ("a", "1"), ("b", "2"), ("a", "2")]).check_series("m"),
            Err("label name \"a\" is not unique: invalid sample".into())
        );
        assert_eq!(
            buf(&[("__name__", "x")]).check_series("m"),
            Err("label name \"__name__\" is not unique: invalid sample".into())
        );
        assert_eq!(
            buf(&[("b", "x"), ("__name__", "")]).check_series("m"),
            Err(
                "invalid metric name or label names: {__name__=\"m\", __name__=\"\", b=\"x\"}"
                    .into()
            )
        );
        assert_eq!(
            buf(&[("b", "x\n")]).check_series(" m"),
            Err("invalid metric name or label names: {__name__=\" m\", b=\"x\\n\"}".into())
        );
        let names: Vec<&'static str> = (0..100)
            .map(|i| &*Box::leak(format!("l{i}").into_boxed_str()))
            .collect();
        let mut many: Vec<(&str, &str)> = names.iter().map(|n| (*n, "v")).collect();
        assert_eq!(buf(&many).check_series("m"), Ok(()));
        many.push(("l42", "w"));
        many.push(("l7", "w"));
        assert_eq!(
            buf(&many).check_series("m"),
            Err("label name \"l42\" is not unique: invalid sample".into())
        );
    }
}
