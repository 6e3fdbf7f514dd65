//! The Prometheus text format 0.0.4, as Prometheus 2.42's `promparse.go` and its lexer
//! (`promlex.l`) read it.
//!
//! The lexer of Prometheus is a state machine whose states are the positions in a line
//! (metric name, labels, label value, value, timestamp, HELP/TYPE text); here each state is a
//! piece of straight-line code, and the tokens it would produce only show in error messages.
//! Prometheus appends a newline to the body, so a missing final newline is fine: the end of
//! the body counts as one wherever a line may end.

use super::common::{
    Escapes, Fail, LabelBuf, Tok, is_lname_start, is_name_start, label_value_span, parse_float,
    parse_int_timestamp, scan_lname, scan_name, scan_quoted, skip_nul, unescape,
};
use super::{Body, Entry, MetricKind, Sample};

/// Whitespace between tokens: `[ \t]`, and nothing else (not `\r`).
#[inline]
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Bytes of a value token: `[^{ \t\n]`, NUL excepted (the lexer never matches NUL there).
#[inline]
fn is_value_byte(c: u8) -> bool {
    !matches!(c, 0 | b' ' | b'\t' | b'\n' | b'{')
}

struct Parser<'a> {
    body: Body<'a>,
    b: &'a [u8],
    buf: LabelBuf<'a>,
}

pub(super) fn parse(body: Body<'_>, mut on_entry: impl FnMut(Entry<'_>)) -> Result<(), Fail> {
    let mut p = Parser {
        body,
        b: body.bytes,
        buf: LabelBuf::default(),
    };
    let mut pos = 0;
    loop {
        let line_start = pos;
        pos = p.skip_blanks(pos);
        let Some(&c) = p.b.get(pos) else {
            return Ok(());
        };
        pos = match c {
            b'\n' => pos + 1,
            // Prometheus' lexer reads a NUL at the start of a line as the end of the body.
            0 => return Ok(()),
            b'#' => match p.comment(pos, &mut on_entry)? {
                Some(next) => next,
                None => return Ok(()),
            },
            c if is_name_start(c) => p.sample(line_start, pos, &mut on_entry)?,
            _ => return Err(Fail::new(pos, "\"INVALID\" is not a valid start token")),
        };
    }
}

impl<'a> Parser<'a> {
    /// The byte at `pos`; the end of the body reads as the newline Prometheus appends.
    #[inline]
    fn at(&self, pos: usize) -> u8 {
        self.b.get(pos).copied().unwrap_or(b'\n')
    }

    /// Whether a line may end at `pos`: a newline, or the end of the body.
    #[inline]
    fn line_ends(&self, pos: usize) -> bool {
        pos >= self.b.len() || self.b[pos] == b'\n'
    }

    #[inline]
    fn skip_blanks(&self, mut pos: usize) -> usize {
        while pos < self.b.len() && is_blank(self.b[pos]) {
            pos += 1;
        }
        pos
    }

    /// The end of the line holding `pos`: the position of its newline, or the body's end.
    fn line_end(&self, pos: usize) -> usize {
        self.b[pos.min(self.b.len())..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| pos + i)
    }

    fn str(&self, start: usize, end: usize) -> Result<&'a str, Fail> {
        self.body
            .str(start, end)
            .ok_or_else(|| Fail::new(start, "internal error: a name is not UTF-8"))
    }

    /// A line starting with `#` at `pos`: HELP, TYPE, or a comment (skipped). Returns where the
    /// next line starts, or `None` where Prometheus' lexer sees the end of the body (a NUL).
    fn comment(
        &mut self,
        pos: usize,
        on_entry: &mut impl FnMut(Entry<'_>),
    ) -> Result<Option<usize>, Fail> {
        let end = self.line_end(pos);
        if !is_blank(self.at(pos + 1)) {
            // `#` and no blank: a comment, read by a loop that stops at NUL as at the end.
            return Ok((!self.b[pos..end].contains(&0)).then_some(end + 1));
        }
        let word = self.skip_blanks(pos + 1);
        match self.keyword(word) {
            Some((keyword, name)) => self.meta(keyword, name, end, on_entry).map(Some),
            // A comment; a NUL right where the lexer tried the keywords ends the body.
            None if self.b.get(word) == Some(&0) => Ok(None),
            None => Ok(Some(end + 1)),
        }
    }

    /// `HELP` or `TYPE` and blanks at `word`, after `#` and blanks: the keyword and where the
    /// family name starts. Past the keyword's first byte Prometheus' lexer is in its comment
    /// state, where it steps over NUL bytes.
    fn keyword(&self, word: usize) -> Option<(&'static str, usize)> {
        let keyword = match self.b.get(word) {
            Some(b'H') => "HELP",
            Some(b'T') => "TYPE",
            _ => return None,
        };
        let mut i = word + 1;
        for &k in &keyword.as_bytes()[1..] {
            i = skip_nul(self.b, i);
            if self.b.get(i) != Some(&k) {
                return None;
            }
            i += 1;
        }
        i = skip_nul(self.b, i);
        if !is_blank(self.at(i)) {
            return None;
        }
        while i < self.b.len() && (is_blank(self.b[i]) || self.b[i] == 0) {
            i += 1;
        }
        Some((keyword, i))
    }

    /// The rest of a HELP or TYPE line: the family name at `pos`, then the text up to `end`.
    fn meta(
        &mut self,
        keyword: &str,
        pos: usize,
        end: usize,
        on_entry: &mut impl FnMut(Entry<'_>),
    ) -> Result<usize, Fail> {
        if !is_name_start(self.at(pos)) {
            return Err(Fail::expected(
                pos,
                &format!("expected metric name after {keyword}"),
                Tok::Invalid,
            ));
        }
        let name_end = scan_name(self.b, pos);
        let family = self.str(pos, name_end)?;
        if self.b.get(name_end) == Some(&0) {
            // The lexer takes an empty text before the NUL, which no type is, then the NUL as
            // the body's end.
            return Err(if keyword == "TYPE" {
                Fail::new(name_end, "invalid metric type \"\"")
            } else {
                Fail::expected(name_end, "linebreak expected after metadata", Tok::Eof)
            });
        }
        // The text token runs from the name to the line's end and Prometheus drops its first
        // byte, whatever it is; a rest of only blanks is a whitespace token and no text.
        let rest = &self.b[name_end..end];
        let text = if rest.iter().all(|&c| is_blank(c) || c == 0) || rest.len() <= 1 {
            &rest[..0]
        } else {
            &rest[1..]
        };
        let text_start = name_end + 1;
        match keyword {
            "TYPE" => {
                let kind = match text {
                    b"counter" => MetricKind::Counter,
                    b"gauge" => MetricKind::Gauge,
                    b"histogram" => MetricKind::Histogram,
                    b"summary" => MetricKind::Summary,
                    b"untyped" => MetricKind::Unknown,
                    _ => {
                        return Err(Fail::new(
                            name_end,
                            format!("invalid metric type {}", super::common::go_quote(text)),
                        ));
                    }
                };
                on_entry(Entry::Type { family, kind });
            }
            _ => {
                let text = if text.is_empty() {
                    ""
                } else {
                    self.body.str(text_start, end).ok_or_else(|| {
                        Fail::new(text_start, "help text is not a valid utf8 string")
                    })?
                };
                on_entry(Entry::Help {
                    family,
                    text: unescape(text, Escapes::TextHelp),
                });
            }
        }
        Ok(end + 1)
    }

    /// A sample line whose metric name starts at `start`, after blanks from `line_start` on.
    fn sample(
        &mut self,
        line_start: usize,
        start: usize,
        on_entry: &mut impl FnMut(Entry<'_>),
    ) -> Result<usize, Fail> {
        let name_end = scan_name(self.b, start);
        let name = self.str(start, name_end)?;
        self.buf.labels.clear();
        let mut pos = self.skip_blanks(name_end);
        if self.at(pos) == b'{' {
            pos = self.labels(pos + 1)?;
            pos = self.skip_blanks(pos);
        }
        let value_start = pos;
        let c = self.at(pos);
        if !is_value_byte(c) || pos >= self.b.len() {
            let got = if c == b'{' {
                Tok::BraceOpen
            } else {
                Tok::Invalid
            };
            return Err(Fail::expected(pos, "expected value after metric", got));
        }
        while pos < self.b.len() && is_value_byte(self.b[pos]) {
            pos += 1;
        }
        let value =
            parse_float(&self.b[value_start..pos]).map_err(|m| Fail::new(value_start, m))?;
        pos = self.skip_blanks(pos);
        let mut timestamp_ms = None;
        if !self.line_ends(pos) {
            if !self.at(pos).is_ascii_digit() {
                return Err(Fail::expected(
                    pos,
                    "expected timestamp or new record",
                    Tok::Invalid,
                ));
            }
            let ts_start = pos;
            while pos < self.b.len() && self.b[pos].is_ascii_digit() {
                pos += 1;
            }
            timestamp_ms = Some(
                parse_int_timestamp(&self.b[ts_start..pos]).map_err(|m| Fail::new(ts_start, m))?,
            );
            pos = self.skip_blanks(pos);
            if !self.line_ends(pos) {
                let got = if self.at(pos).is_ascii_digit() {
                    Tok::Timestamp
                } else {
                    Tok::Invalid
                };
                return Err(Fail::expected(
                    pos,
                    "expected next entry after timestamp",
                    got,
                ));
            }
        }
        // Prometheus' parser hands the scrape loop a metric name that starts where the line
        // does, blanks included, and the scrape loop refuses that name.
        let seen_name = if line_start == start {
            name
        } else {
            self.str(line_start, name_end)?
        };
        self.buf
            .check_series(seen_name)
            .map_err(|m| Fail::new(start, m))?;
        on_entry(Entry::Sample(Sample {
            name,
            labels: &self.buf.labels,
            value,
            timestamp_ms,
            exemplar: None,
        }));
        Ok(pos + 1)
    }

    /// The token the lexer finds at `pos` in a label set, for error messages.
    fn label_token(&self, pos: usize) -> Tok {
        match self.at(pos) {
            b',' => Tok::Comma,
            b'=' => Tok::Equal,
            b'}' => Tok::BraceClose,
            c if is_lname_start(c) => Tok::LName,
            _ => Tok::Invalid,
        }
    }

    /// A label set after its `{`: pairs `name = "value"`, blanks anywhere between tokens,
    /// commas optional, one trailing comma allowed. Returns the position after the `}`.
    fn labels(&mut self, mut pos: usize) -> Result<usize, Fail> {
        loop {
            pos = self.skip_blanks(pos);
            match self.at(pos) {
                b'}' => return Ok(pos + 1),
                c if is_lname_start(c) => {}
                _ => {
                    return Err(Fail::expected(
                        pos,
                        "expected label name",
                        self.label_token(pos),
                    ));
                }
            }
            let name_start = pos;
            pos = scan_lname(self.b, pos);
            let name = self.str(name_start, pos)?;
            pos = self.skip_blanks(pos);
            if self.at(pos) != b'=' {
                return Err(Fail::expected(pos, "expected equal", self.label_token(pos)));
            }
            pos += 1;
            if is_blank(self.at(pos)) {
                // Blanks before the value are lexed in the label value state, which steps
                // over NUL bytes.
                while pos < self.b.len() && (is_blank(self.b[pos]) || self.b[pos] == 0) {
                    pos += 1;
                }
            }
            let close = (self.at(pos) == b'"')
                .then(|| scan_quoted(self.b, pos, true, true))
                .flatten()
                .ok_or_else(|| Fail::expected(pos, "expected label value", Tok::Invalid))?;
            let (start, end, next) = label_value_span(self.b, pos, close);
            let raw = self
                .body
                .str(start, end)
                .ok_or_else(|| Fail::new(pos, "invalid UTF-8 label value"))?;
            self.buf
                .labels
                .push((name, unescape(raw, Escapes::LabelValue)));
            pos = self.skip_blanks(next);
            if self.at(pos) == b',' {
                pos += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::super::{
        Entry, ExpositionError, ExpositionFormat, MetricKind, NORMAL_NAN_BITS, parse_exposition,
        parse_exposition_bytes,
    };

    /// An entry as owned data, to compare with.
    #[derive(Debug, PartialEq)]
    enum E {
        S(String, Vec<(String, String)>, u64, Option<i64>),
        Help(String, String),
        Type(String, MetricKind),
    }

    fn s(name: &str, labels: &[(&str, &str)], value: f64, ts: Option<i64>) -> E {
        E::S(
            name.into(),
            labels
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            value.to_bits(),
            ts,
        )
    }

    fn parse_bytes(body: &[u8]) -> Result<Vec<E>, ExpositionError> {
        let mut out = Vec::new();
        parse_exposition_bytes(body, ExpositionFormat::PrometheusText, |e| {
            out.push(match e {
                Entry::Sample(s) => {
                    assert!(s.exemplar.is_none());
                    E::S(
                        s.name.into(),
                        s.labels
                            .iter()
                            .map(|(n, v)| (n.to_string(), v.to_string()))
                            .collect(),
                        s.value.to_bits(),
                        s.timestamp_ms,
                    )
                }
                Entry::Help { family, text } => E::Help(family.into(), text.into_owned()),
                Entry::Type { family, kind } => E::Type(family.into(), kind),
                Entry::Unit { .. } => panic!("no UNIT in the text format"),
            })
        })?;
        Ok(out)
    }

    fn parse(body: &str) -> Result<Vec<E>, ExpositionError> {
        let from_bytes = parse_bytes(body.as_bytes());
        let mut count = 0;
        let from_str = parse_exposition(body, ExpositionFormat::PrometheusText, |_| count += 1);
        assert_eq!(
            from_str,
            from_bytes.as_ref().map(|_| ()).map_err(Clone::clone)
        );
        from_bytes
    }

    #[track_caller]
    fn fails(body: &str, line: usize, message: &str) {
        let err = parse(body).expect_err(body);
        assert_eq!(
            (err.line, err.message.as_str()),
            (line, message),
            "{body:?}"
        );
    }

    #[test]
    fn reads_a_typical_exposition() {
        let body = "# HELP http_requests_total The total number of HTTP requests.\n\
                    # TYPE http_requests_total counter\n\
                    http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n\
                    http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n\
                    \n\
                    # A normal comment.\n\
                    msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n\
                    metric_without_timestamp_and_labels 12.47\n\
                    something_weird{problem=\"division by zero\"} +Inf -3982045\n";
        assert!(parse(body).is_err(), "a negative timestamp is refused");
        let body = body.replace(" -3982045", " 3982045");
        assert_eq!(
            parse(&body).unwrap(),
            vec![
                E::Help(
                    "http_requests_total".into(),
                    "The total number of HTTP requests.".into()
                ),
                E::Type("http_requests_total".into(), MetricKind::Counter),
                s(
                    "http_requests_total",
                    &[("method", "post"), ("code", "200")],
                    1027.0,
                    Some(1395066363000)
                ),
                s(
                    "http_requests_total",
                    &[("method", "post"), ("code", "400")],
                    3.0,
                    Some(1395066363000)
                ),
                s(
                    "msdos_file_access_time_seconds",
                    &[
                        ("path", "C:\\DIR\\FILE.TXT"),
                        ("error", "Cannot find file:\n\"FILE.TXT\"")
                    ],
                    1.458255915e9,
                    None
                ),
                s("metric_without_timestamp_and_labels", &[], 12.47, None),
                s(
                    "something_weird",
                    &[("problem", "division by zero")],
                    f64::INFINITY,
                    Some(3982045)
                ),
            ]
        );
    }

    #[test]
    fn whitespace_may_stand_between_any_tokens() {
        for body in [
            "m{a=\"1\",b=\"2\"} 5",
            "m{a=\"1\",b=\"2\",} 5",
            "m { a = \"1\" , b = \"2\" , } 5",
            "m\t{\ta=\"1\"\tb=\"2\"}\t5\t \n",
            "m{a= \"1\", b= \"2\"}5",
            "m{a=\"1\" b=\"2\"} 5",
        ] {
            assert_eq!(
                parse(body).unwrap(),
                vec![s("m", &[("a", "1"), ("b", "2")], 5.0, None)],
                "{body:?}"
            );
        }
        assert_eq!(
            parse("m  33  \t123123 \t\n").unwrap(),
            vec![s("m", &[], 33.0, Some(123123))]
        );
        assert_eq!(parse("m{} 1").unwrap(), vec![s("m", &[], 1.0, None)]);
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse(" \t\n\n  \n").unwrap(), vec![]);
        // The value token stops at blanks and `{` only: a name runs into a value.
        assert_eq!(parse("m-1").unwrap(), vec![s("m", &[], -1.0, None)]);
        assert_eq!(parse("m.5").unwrap(), vec![s("m", &[], 0.5, None)]);
    }

    #[test]
    fn blanks_before_a_sample_fail_the_scrape_as_in_prometheus() {
        // Prometheus' parser hands over the metric name with the blanks before it, which its
        // scrape loop then refuses; blanks before a comment, HELP or TYPE are fine.
        fails(
            "m 1\n  m{b=\"c\"} 1\n",
            2,
            "invalid metric name or label names: {__name__=\"  m\", b=\"c\"}",
        );
        fails(
            "\tm 1",
            1,
            "invalid metric name or label names: {__name__=\"\\tm\"}",
        );
        assert_eq!(
            parse("  # HELP m x\n\t# TYPE m gauge\n  # c\nm 1\n")
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn the_final_newline_is_optional() {
        for body in [
            "a 1\nb 2",
            "a 1\nb 2\n",
            "a 1\nb 2 ",
            "a 1\nb 2 7",
            "a 1\nb 2\n# end",
        ] {
            let got = parse(body).unwrap();
            assert_eq!(got.len(), 2, "{body:?}");
        }
        assert_eq!(
            parse("# HELP m text").unwrap(),
            vec![E::Help("m".into(), "text".into())]
        );
    }

    #[test]
    fn label_values_unescape_three_escapes() {
        let got = parse(r#"m{a="x\\y",b="q\"q",c="l\nl",d="t\tt",e="\\n"} 1"#).unwrap();
        assert_eq!(
            got,
            vec![s(
                "m",
                &[
                    ("a", "x\\y"),
                    ("b", "q\"q"),
                    ("c", "l\nl"),
                    ("d", "t\\tt"),
                    ("e", "\\n")
                ],
                1.0,
                None
            )]
        );
        // A raw newline inside a label value is part of it.
        assert_eq!(
            parse("m{a=\"two\nlines\"} 1\nn 2\n").unwrap(),
            vec![
                s("m", &[("a", "two\nlines")], 1.0, None),
                s("n", &[], 2.0, None)
            ]
        );
        // Unicode and an empty value.
        assert_eq!(
            parse("m{a=\"日本\",b=\"\"} 1").unwrap(),
            vec![s("m", &[("a", "日本"), ("b", "")], 1.0, None)]
        );
    }

    #[test]
    fn unescaped_values_borrow_from_the_body() {
        parse_exposition(
            r#"m{a="plain",b="x\"y"} 1"#,
            ExpositionFormat::PrometheusText,
            |e| {
                let Entry::Sample(s) = e else { panic!() };
                assert!(matches!(s.labels[0].1, Cow::Borrowed("plain")));
                assert!(matches!(&s.labels[1].1, Cow::Owned(v) if v == "x\"y"));
            },
        )
        .unwrap();
    }

    #[test]
    fn values_are_go_floats_and_nan_is_normalised() {
        let values = parse(
            "a NaN\nb nan\nc +Inf\nd -Inf\ne Inf\nf inf\ng -infinity\nh 1e3\ni -0.25E-2\nj .5\nk 1.\nl 0\n",
        )
        .unwrap();
        let bits: Vec<u64> = values
            .iter()
            .map(|e| match e {
                E::S(_, _, v, _) => *v,
                _ => panic!(),
            })
            .collect();
        let expect = [
            f64::from_bits(NORMAL_NAN_BITS),
            f64::from_bits(NORMAL_NAN_BITS),
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1000.0,
            -0.0025,
            0.5,
            1.0,
            0.0,
        ];
        assert_eq!(bits, expect.map(f64::to_bits));
    }

    #[test]
    fn help_and_type_lines() {
        let got = parse(
            "# HELP a Some help.\n\
             #\tHELP\t b \t tabs and spaces \n\
             # HELP c\n\
             # HELP d \n\
             # HELP e   \n\
             # HELP f  two spaces\n\
             # HELP g a\\\\b\\nc \\\" \\t\n\
             # TYPE t1 counter\n\
             # TYPE t2 gauge\n\
             # TYPE t3 histogram\n\
             # TYPE t4 summary\n\
             # TYPE t5 untyped\n\
             # TYPE t6-gauge\n\
             # HELP h|piped\n",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                E::Help("a".into(), "Some help.".into()),
                E::Help("b".into(), "\t tabs and spaces ".into()),
                E::Help("c".into(), "".into()),
                E::Help("d".into(), "".into()),
                E::Help("e".into(), "".into()),
                E::Help("f".into(), " two spaces".into()),
                E::Help("g".into(), "a\\b\nc \\\" \\t".into()),
                E::Type("t1".into(), MetricKind::Counter),
                E::Type("t2".into(), MetricKind::Gauge),
                E::Type("t3".into(), MetricKind::Histogram),
                E::Type("t4".into(), MetricKind::Summary),
                E::Type("t5".into(), MetricKind::Unknown),
                E::Type("t6".into(), MetricKind::Gauge),
                E::Help("h".into(), "piped".into()),
            ]
        );
    }

    #[test]
    fn comments_are_skipped() {
        let got = parse(
            "# Hrandom comment starting with prefix of HELP\n\
             #\n\
             #no blank\n\
             # HELP\n\
             # TYPEX a b\n\
             # comment with escaped \\n newline\n\
             \t# indented comment\n\
             # comment \r\n\
             m 1\n",
        )
        .unwrap();
        assert_eq!(got, vec![s("m", &[], 1.0, None)]);
    }

    #[test]
    fn type_is_neither_ordered_nor_unique() {
        let got = parse("m 1\n# TYPE m counter\n# TYPE m gauge\nm 2\n").unwrap();
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn duplicates_and_order_are_kept() {
        let got = parse("b 1\na 2\nb 3\nb 3\n").unwrap();
        assert_eq!(
            got,
            vec![
                s("b", &[], 1.0, None),
                s("a", &[], 2.0, None),
                s("b", &[], 3.0, None),
                s("b", &[], 3.0, None)
            ]
        );
    }

    #[test]
    fn nul_bytes_are_read_as_prometheus_reads_them() {
        assert_eq!(
            parse("null_byte_metric{a=\"abc\0\"} 1").unwrap(),
            vec![s("null_byte_metric", &[("a", "abc\0")], 1.0, None)]
        );
        assert_eq!(
            parse("a{b=\"\0ss\"} 1\n").unwrap(),
            vec![s("a", &[("b", "\0ss")], 1.0, None)]
        );
        assert_eq!(
            parse("# HELP metric foo\0bar\n").unwrap(),
            vec![E::Help("metric".into(), "foo\0bar".into())]
        );
        // NUL at the start of a line, or where a comment is lexed as the body's end.
        assert_eq!(
            parse("a 1\n\0garbage\n{").unwrap(),
            vec![s("a", &[], 1.0, None)]
        );
        assert_eq!(parse("a 1\n  \0 x").unwrap(), vec![s("a", &[], 1.0, None)]);
        assert_eq!(parse("a 1\n#x\0\n}").unwrap(), vec![s("a", &[], 1.0, None)]);
        assert_eq!(parse("a 1\n# \0\n}").unwrap(), vec![s("a", &[], 1.0, None)]);
        assert_eq!(parse("# x\0y\na 1").unwrap(), vec![s("a", &[], 1.0, None)]);
        fails(
            "a{b=\0\"ssss\"} 1\n",
            1,
            "expected label value, got \"INVALID\"",
        );
        fails("a{b=\"\0", 1, "expected label value, got \"INVALID\"");
        fails("a{b\0=\"hiih\"}\t1", 1, "expected equal, got \"INVALID\"");
        fails(
            "a\0{b=\"ddd\"} 1",
            1,
            "expected value after metric, got \"INVALID\"",
        );
        fails(
            "a 0 1\0",
            1,
            "expected next entry after timestamp, got \"INVALID\"",
        );
        fails(
            "a 0\0",
            1,
            "expected timestamp or new record, got \"INVALID\"",
        );
        fails(
            "# HELP m\0x\n",
            1,
            "linebreak expected after metadata, got \"EOF\"",
        );
        fails("# TYPE m\0counter\n", 1, "invalid metric type \"\"");
        // Past the first byte of HELP or TYPE the lexer steps over NULs, in the keyword and
        // in the blanks after it.
        assert_eq!(
            parse("# H\0E\0LP\0 \0m x\n").unwrap(),
            vec![E::Help("m".into(), "x".into())]
        );
        // NULs after a label value's closing quote join the value, less one.
        assert_eq!(
            parse("a{b=\"c\"\0\0} 1\n").unwrap(),
            vec![s("a", &[("b", "c\"\0")], 1.0, None)]
        );
        assert_eq!(
            parse("a{b=\"c\\\0\"\"} 1\n").unwrap(),
            vec![s("a", &[("b", "c\\\0\"")], 1.0, None)],
            "a backslash escapes the quote after NULs"
        );
        assert_eq!(
            parse("a{b= \0 \"c\"} 1\n").unwrap(),
            vec![s("a", &[("b", "c")], 1.0, None)]
        );
    }

    #[test]
    fn refuses_what_prometheus_refuses() {
        for (body, line, message) in [
            ("a", 1, "expected value after metric, got \"INVALID\""),
            ("a\n", 1, "expected value after metric, got \"INVALID\""),
            ("a{b='c'} 1\n", 1, "expected label value, got \"INVALID\""),
            ("a{b=\n", 1, "expected label value, got \"INVALID\""),
            ("a{b=\"c\"", 1, "expected label name, got \"INVALID\""),
            (
                "a{b=\"c\\\nd\"} 1",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "a{\u{ff}=\"foo\"} 1\n",
                1,
                "expected label name, got \"INVALID\"",
            ),
            (
                "a true\n",
                1,
                "strconv.ParseFloat: parsing \"true\": invalid syntax",
            ),
            (
                "something_weird{problem=\"",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "empty_label_name{=\"\"} 0",
                1,
                "expected label name, got \"EQUAL\"",
            ),
            ("a{,} 1", 1, "expected label name, got \"COMMA\""),
            (
                "a{b=\"c\",,d=\"e\"} 1",
                1,
                "expected label name, got \"COMMA\"",
            ),
            (
                "a{b=\"c\"=\"e\"} 1",
                1,
                "expected label name, got \"EQUAL\"",
            ),
            ("a{b \"c\"} 1", 1, "expected equal, got \"INVALID\""),
            ("a{b,} 1", 1, "expected equal, got \"COMMA\""),
            ("a{b=c} 1", 1, "expected label value, got \"INVALID\""),
            ("a{b:c=\"d\"} 1", 1, "expected equal, got \"INVALID\""),
            (
                "a{b=\"c\"}{d=\"e\"} 1",
                1,
                "expected value after metric, got \"BOPEN\"",
            ),
            (
                "a{b=\"c\"}\n",
                1,
                "expected value after metric, got \"INVALID\"",
            ),
            (
                "a 1{",
                1,
                "expected timestamp or new record, got \"INVALID\"",
            ),
            ("foo 1_2\n", 1, "unsupported character in float"),
            ("foo 0x1p-3\n", 1, "unsupported character in float"),
            ("foo 0x1P-3\n", 1, "unsupported character in float"),
            (
                "foo 1}",
                1,
                "strconv.ParseFloat: parsing \"1}\": invalid syntax",
            ),
            (
                "foo +NaN",
                1,
                "strconv.ParseFloat: parsing \"+NaN\": invalid syntax",
            ),
            (
                "foo 1e999",
                1,
                "strconv.ParseFloat: parsing \"1e999\": value out of range",
            ),
            (
                "foo 0 1_2\n",
                1,
                "expected next entry after timestamp, got \"INVALID\"",
            ),
            (
                "foo 0 1 2\n",
                1,
                "expected next entry after timestamp, got \"TIMESTAMP\"",
            ),
            (
                "foo 0 -1\n",
                1,
                "expected timestamp or new record, got \"INVALID\"",
            ),
            (
                "foo 0 1.5\n",
                1,
                "expected next entry after timestamp, got \"INVALID\"",
            ),
            (
                "foo 0 99999999999999999999\n",
                1,
                "strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
            ),
            ("{a=\"ok\"} 1", 1, "\"INVALID\" is not a valid start token"),
            ("9a 1", 1, "\"INVALID\" is not a valid start token"),
            (
                "a 1\r\n",
                1,
                "strconv.ParseFloat: parsing \"1\\r\": invalid syntax",
            ),
            (
                "a 1 5\r\n",
                1,
                "expected next entry after timestamp, got \"INVALID\"",
            ),
            ("a 1\n\r\n", 2, "\"INVALID\" is not a valid start token"),
            (
                "# TYPE #\n#EOF\n",
                1,
                "expected metric name after TYPE, got \"INVALID\"",
            ),
            (
                "# HELP #\n#EOF\n",
                1,
                "expected metric name after HELP, got \"INVALID\"",
            ),
            (
                "# HELP \n",
                1,
                "expected metric name after HELP, got \"INVALID\"",
            ),
            ("# TYPE m\n", 1, "invalid metric type \"\""),
            ("# TYPE m  counter\n", 1, "invalid metric type \" counter\""),
            ("# TYPE m counter \n", 1, "invalid metric type \"counter \""),
            ("# TYPE m Counter\n", 1, "invalid metric type \"Counter\""),
            ("# TYPE m unknown\n", 1, "invalid metric type \"unknown\""),
            ("# TYPE m info\n", 1, "invalid metric type \"info\""),
            (
                "# TYPE m gaugehistogram\n",
                1,
                "invalid metric type \"gaugehistogram\"",
            ),
            (
                "# TYPE m counter\r\n",
                1,
                "invalid metric type \"counter\\r\"",
            ),
            (
                "m 1\n# EOF\nn 2\n{",
                4,
                "\"INVALID\" is not a valid start token",
            ),
            (
                "a{b=\"x\",b=\"y\"} 1",
                1,
                "label name \"b\" is not unique: invalid sample",
            ),
            (
                "a{__name__=\"b\"} 1",
                1,
                "label name \"__name__\" is not unique: invalid sample",
            ),
            (
                "a 1\nb{x=\"1\",y=\"2\n\",x=\"3\"} 1",
                2,
                "label name \"x\" is not unique: invalid sample",
            ),
        ] {
            fails(body, line, message);
        }
    }

    #[test]
    fn empty_duplicates_are_no_duplicates() {
        assert_eq!(
            parse("a{b=\"\",b=\"y\"} 1").unwrap(),
            vec![s("a", &[("b", ""), ("b", "y")], 1.0, None)]
        );
    }

    #[test]
    fn errors_stop_after_the_entries_before_them() {
        let mut names = Vec::new();
        let err = parse_exposition(
            "a 1\nb 2\nc x\nd 4\n",
            ExpositionFormat::PrometheusText,
            |e| {
                if let Entry::Sample(s) = e {
                    names.push(s.name.to_string());
                }
            },
        )
        .unwrap_err();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(err.line, 3);
        assert_eq!(err.offset, 10);
    }

    #[test]
    fn the_parser_of_prometheus_test_suite_input() {
        let mut body = String::from(
            "# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n\
             # \tTYPE go_gc_duration_seconds summary\n\
             go_gc_duration_seconds{quantile=\"0\"} 4.9351e-05\n\
             go_gc_duration_seconds{ quantile=\"0.9\", a=\"b\"} 8.3835e-05\n\
             # Hrandom comment starting with prefix of HELP\n\
             wind_speed{A=\"2\",c=\"3\"} 12345\n\
             go_gc_duration_seconds { quantile = \"1.0\", a = \"b\" } 8.3835e-05\n\
             some:aggregate:rate5m{a_b=\"c\"}\t1\n\
             go_goroutines 33  \t123123\n\
             _metric_starting_with_underscore 1\n\
             testmetric{_label_starting_with_underscore=\"foo\"} 1\n\
             testmetric{label=\"\\\"bar\\\"\"} 1",
        );
        body.push_str("\n# HELP metric foo\0bar");
        body.push_str("\nnull_byte_metric{a=\"abc\0\"} 1");
        let got = parse(&body).unwrap();
        assert_eq!(got.len(), 13);
        assert_eq!(
            got[1],
            E::Type("go_gc_duration_seconds".into(), MetricKind::Summary),
            "blanks after `#` may be tabs"
        );
        assert_eq!(
            got[3],
            s(
                "go_gc_duration_seconds",
                &[("quantile", "0.9"), ("a", "b")],
                8.3835e-05,
                None
            )
        );
        assert_eq!(got[7], s("go_goroutines", &[], 33.0, Some(123123)));
        assert_eq!(got[10], s("testmetric", &[("label", "\"bar\"")], 1.0, None));
        assert_eq!(got[11], E::Help("metric".into(), "foo\0bar".into()));
        assert_eq!(got[12], s("null_byte_metric", &[("a", "abc\0")], 1.0, None));
    }
}
