//! OpenMetrics 1.0 text, as Prometheus 2.42's `openmetricsparse.go` and its lexer
//! (`openmetricslex.l`) read it.
//!
//! Stricter than the text format: single spaces only, no blank lines or free comments, no
//! trailing comma, and `# EOF` last. Each lexer state is a piece of straight-line code here;
//! the tokens it would produce only show in error messages.

use std::borrow::Cow;

use super::common::{
    Escapes, Fail, LabelBuf, Tok, go_quote, go_quote_char, is_lname_start, is_name_start,
    label_value_span, parse_float, scan_lname, scan_name, scan_quoted, seconds_to_ms, skip_nul,
    unescape,
};
use super::{Body, Entry, MetricKind, ParsedExemplar, Sample};

/// Bytes of a value or timestamp token: anything but space, newline and NUL.
#[inline]
fn is_value_byte(c: u8) -> bool {
    !matches!(c, 0 | b' ' | b'\n')
}

struct Parser<'a> {
    body: Body<'a>,
    b: &'a [u8],
    buf: LabelBuf<'a>,
}

/// A token with its extent, for the states where several can follow.
#[derive(Clone, Copy)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

pub(super) fn parse(body: Body<'_>, mut on_entry: impl FnMut(Entry<'_>)) -> Result<(), Fail> {
    let mut p = Parser {
        body,
        b: body.bytes,
        buf: LabelBuf::default(),
    };
    let mut pos = 0;
    loop {
        let Some(&c) = p.b.get(pos) else {
            return Err(Fail::new(pos, "data does not end with # EOF"));
        };
        pos = match c {
            b'#' => match p.descriptor(pos, &mut on_entry)? {
                Some(next) => next,
                None => return Ok(()),
            },
            c if is_name_start(c) => p.sample(pos, &mut on_entry)?,
            _ => return Err(p.invalid_start(pos)),
        };
    }
}

impl<'a> Parser<'a> {
    /// Prometheus' error for a line its lexer cannot start, naming the byte it stuck at (a
    /// space past the end, as its lexer reads there).
    fn invalid_start(&self, pos: usize) -> Fail {
        let c = self.b.get(pos).map_or(' ', |&c| char::from(c));
        Fail::new(
            pos,
            format!(
                "\"INVALID\" {} is not a valid start token",
                go_quote_char(c)
            ),
        )
    }

    fn str(&self, start: usize, end: usize) -> Result<&'a str, Fail> {
        self.body
            .str(start, end)
            .ok_or_else(|| Fail::new(start, "internal error: a name is not UTF-8"))
    }

    /// `keyword` at `pos`, where Prometheus' lexer (in its comment state) steps over NUL bytes
    /// before each byte after the first; or the error naming the first byte that differs.
    fn keyword(&self, pos: usize, keyword: &[u8]) -> Result<usize, Fail> {
        let mut i = pos;
        for (n, &k) in keyword.iter().enumerate() {
            if n > 0 {
                i = skip_nul(self.b, i);
            }
            if self.b.get(i) != Some(&k) {
                return Err(self.invalid_start(i));
            }
            i += 1;
        }
        Ok(i)
    }

    /// A line starting with `#` at `pos`: `# HELP`, `# TYPE`, `# UNIT` or `# EOF`, nothing else.
    /// Returns where the next line starts, or `None` after `# EOF`.
    fn descriptor(
        &mut self,
        pos: usize,
        on_entry: &mut impl FnMut(Entry<'_>),
    ) -> Result<Option<usize>, Fail> {
        if self.b.get(pos + 1) != Some(&b' ') {
            return Err(self.invalid_start(pos + 1));
        }
        let word = pos + 2;
        let (keyword, name) = match self.b.get(word) {
            Some(b'E') => {
                // `EOF`, a newline if one follows, and NUL bytes around that newline.
                let mut end = skip_nul(self.b, self.keyword(word, b"EOF")?);
                if self.b.get(end) == Some(&b'\n') {
                    end = skip_nul(self.b, end + 1);
                }
                if end < self.b.len() {
                    return Err(Fail::new(end, "unexpected data after # EOF"));
                }
                return Ok(None);
            }
            Some(b'H') => ("HELP", self.keyword(word, b"HELP ")?),
            Some(b'T') => ("TYPE", self.keyword(word, b"TYPE ")?),
            Some(b'U') => ("UNIT", self.keyword(word, b"UNIT ")?),
            _ => return Err(self.invalid_start(word)),
        };
        let name = skip_nul(self.b, name);
        let Some(&c) = self.b.get(name) else {
            return Err(Fail::expected(
                name,
                &format!("expected metric name after {keyword}"),
                Tok::Eof,
            ));
        };
        if !is_name_start(c) {
            return Err(Fail::expected(
                name,
                &format!("expected metric name after {keyword}"),
                Tok::Invalid,
            ));
        }
        let name_end = scan_name(self.b, name);
        let family = self.str(name, name_end)?;
        // The text: one space, anything but a newline (NUL too), and the newline.
        let text_end = (self.b.get(name_end) == Some(&b' '))
            .then(|| {
                self.b[name_end + 1..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map(|i| name_end + 1 + i)
            })
            .flatten()
            .ok_or_else(|| Fail::new(name_end, format!("expected text in {keyword}")))?;
        let text_start = name_end + 1;
        // NUL bytes after the newline join the token, and Prometheus then drops only the
        // token's last byte: the text keeps the newline and all but one NUL.
        let next = skip_nul(self.b, text_end + 1);
        let text_end = if next == text_end + 1 {
            text_end
        } else {
            next - 1
        };
        let text = &self.b[text_start..text_end];
        match keyword {
            "TYPE" => {
                let kind = match text {
                    b"counter" => MetricKind::Counter,
                    b"gauge" => MetricKind::Gauge,
                    b"histogram" => MetricKind::Histogram,
                    b"gaugehistogram" => MetricKind::GaugeHistogram,
                    b"summary" => MetricKind::Summary,
                    b"info" => MetricKind::Info,
                    b"stateset" => MetricKind::StateSet,
                    b"unknown" => MetricKind::Unknown,
                    _ => {
                        return Err(Fail::new(
                            text_start,
                            format!("invalid metric type {}", go_quote(text)),
                        ));
                    }
                };
                on_entry(Entry::Type { family, kind });
            }
            "UNIT" => {
                let unit_start = family.len() - text.len().min(family.len());
                if !text.is_empty()
                    && (family.len() <= text.len()
                        || !family.as_bytes().ends_with(text)
                        || family.as_bytes()[unit_start - 1] != b'_')
                {
                    return Err(Fail::new(
                        text_start,
                        format!(
                            "unit not a suffix of metric {}",
                            go_quote(family.as_bytes())
                        ),
                    ));
                }
                // The unit equals the end of the family name, which is a `str` already.
                let unit = family.get(unit_start..).unwrap_or_default();
                on_entry(Entry::Unit { family, unit });
            }
            _ => {
                let text = self
                    .body
                    .str(text_start, text_end)
                    .ok_or_else(|| Fail::new(text_start, "help text is not a valid utf8 string"))?;
                on_entry(Entry::Help {
                    family,
                    text: unescape(text, Escapes::LabelValue),
                });
            }
        }
        Ok(Some(next))
    }

    /// The token in a value state at `pos`: ` value`, or `{` after a sample's labels, or (in
    /// an exemplar, `exemplar`) a quoted string, for error messages.
    fn value_token(&self, pos: usize, exemplar: bool) -> Token {
        let tok = match self.b.get(pos) {
            None => Tok::Eof,
            Some(b' ') if self.b.get(pos + 1).is_some_and(|&c| is_value_byte(c)) => {
                let end = self.scan_value(pos + 1);
                return Token {
                    tok: Tok::Value,
                    start: pos + 1,
                    end,
                };
            }
            Some(b'{') if !exemplar => Tok::BraceOpen,
            Some(b'"') if exemplar && scan_quoted(self.b, pos, false, false).is_some() => {
                Tok::LValue
            }
            Some(_) => Tok::Invalid,
        };
        Token {
            tok,
            start: pos,
            end: pos,
        }
    }

    #[inline]
    fn scan_value(&self, mut pos: usize) -> usize {
        while pos < self.b.len() && is_value_byte(self.b[pos]) {
            pos += 1;
        }
        pos
    }

    /// The token after a sample's value or timestamp: newline, ` # {` (an exemplar), or
    /// ` timestamp`. A lone ` #` is a timestamp to Prometheus' lexer, ` # x` nothing at all.
    fn timestamp_token(&self, pos: usize) -> Token {
        let at = |i: usize| self.b.get(i).copied();
        let simple = |tok| Token {
            tok,
            start: pos,
            end: pos,
        };
        match at(pos) {
            None => simple(Tok::Eof),
            Some(b'\n') => simple(Tok::Linebreak),
            Some(b' ') => match at(pos + 1) {
                Some(b'#') => match at(pos + 2) {
                    Some(b' ') if at(pos + 3) == Some(b'{') => Token {
                        tok: Tok::Comment,
                        start: pos,
                        end: pos + 4,
                    },
                    Some(b' ') => simple(Tok::Invalid),
                    _ => Token {
                        tok: Tok::Timestamp,
                        start: pos + 1,
                        end: self.scan_value(pos + 1),
                    },
                },
                Some(c) if is_value_byte(c) => Token {
                    tok: Tok::Timestamp,
                    start: pos + 1,
                    end: self.scan_value(pos + 1),
                },
                _ => simple(Tok::Invalid),
            },
            Some(_) => simple(Tok::Invalid),
        }
    }

    fn float(&self, token: Token) -> Result<f64, Fail> {
        parse_float(&self.b[token.start..token.end]).map_err(|m| Fail::new(token.start, m))
    }

    /// A timestamp token in milliseconds; `what` names it in the error for NaN and ±Inf.
    fn timestamp(&self, token: Token, what: &str) -> Result<i64, Fail> {
        let seconds = self.float(token)?;
        if !seconds.is_finite() {
            return Err(Fail::new(token.start, format!("invalid {what}")));
        }
        Ok(seconds_to_ms(seconds))
    }

    /// A sample line whose metric name starts at `start`.
    fn sample(
        &mut self,
        start: usize,
        on_entry: &mut impl FnMut(Entry<'_>),
    ) -> Result<usize, Fail> {
        let name_end = scan_name(self.b, start);
        let name = self.str(start, name_end)?;
        self.buf.labels.clear();
        self.buf.exemplar.clear();
        let mut pos = name_end;
        if self.b.get(pos) == Some(&b'{') {
            pos = self.labels(pos + 1, false)?;
        }
        let token = self.value_token(pos, false);
        if token.tok != Tok::Value {
            return Err(Fail::expected(
                pos,
                "expected value after metric",
                token.tok,
            ));
        }
        let value = self.float(token)?;
        let mut timestamp_ms = None;
        let mut exemplar = None;
        let mut after = self.timestamp_token(token.end);
        if after.tok == Tok::Timestamp {
            timestamp_ms = Some(self.timestamp(after, "timestamp")?);
            after = self.timestamp_token(after.end);
            if !matches!(after.tok, Tok::Linebreak | Tok::Comment) {
                return Err(Fail::expected(
                    after.start,
                    "expected next entry after timestamp",
                    after.tok,
                ));
            }
        }
        let next = match after.tok {
            Tok::Eof => return Err(Fail::new(after.start, "data does not end with # EOF")),
            Tok::Linebreak => after.start + 1,
            Tok::Comment => {
                let (parsed, next) = self.exemplar(name, after.end)?;
                exemplar = Some(parsed);
                next
            }
            tok => {
                return Err(Fail::expected(
                    after.start,
                    "expected timestamp or # symbol",
                    tok,
                ));
            }
        };
        self.buf
            .check_series(name)
            .map_err(|m| Fail::new(start, m))?;
        on_entry(Entry::Sample(Sample {
            name,
            labels: &self.buf.labels,
            value,
            timestamp_ms,
            exemplar: exemplar.map(|(value, timestamp_ms)| ParsedExemplar {
                labels: &self.buf.exemplar,
                value,
                timestamp_ms,
            }),
        }));
        Ok(next)
    }

    /// An exemplar after its ` # {` (labels start at `pos`): its value and timestamp (the
    /// labels go to the exemplar buffer), and where the next line starts.
    fn exemplar(&mut self, name: &str, pos: usize) -> Result<((f64, Option<i64>), usize), Fail> {
        if !(name.ends_with("_total") || name.ends_with("_bucket")) {
            return Err(Fail::new(
                pos,
                format!("metric name {name} does not support exemplars"),
            ));
        }
        let pos = self.labels(pos, true)?;
        let token = self.value_token(pos, true);
        if token.tok != Tok::Value {
            return Err(Fail::expected(
                pos,
                "expected value after exemplar labels",
                token.tok,
            ));
        }
        let value = self.float(token)?;
        let pos = token.end;
        let mut timestamp_ms = None;
        let next = match self.b.get(pos) {
            None => return Err(Fail::new(pos, "data does not end with # EOF")),
            Some(b'\n') => pos + 1,
            Some(b' ') if self.b.get(pos + 1).is_some_and(|&c| is_value_byte(c)) => {
                let token = Token {
                    tok: Tok::Timestamp,
                    start: pos + 1,
                    end: self.scan_value(pos + 1),
                };
                timestamp_ms = Some(self.timestamp(token, "exemplar timestamp")?);
                match self.b.get(token.end) {
                    Some(b'\n') => token.end + 1,
                    other => {
                        let tok = match other {
                            None => Tok::Eof,
                            Some(b' ')
                                if self.b.get(token.end + 1).is_some_and(|&c| is_value_byte(c)) =>
                            {
                                Tok::Timestamp
                            }
                            Some(_) => Tok::Invalid,
                        };
                        return Err(Fail::expected(
                            token.end,
                            "expected next entry after exemplar timestamp",
                            tok,
                        ));
                    }
                }
            }
            Some(_) => {
                return Err(Fail::expected(
                    pos,
                    "expected timestamp or comment",
                    Tok::Invalid,
                ));
            }
        };
        Ok(((value, timestamp_ms), next))
    }

    /// The token at `pos` inside a label set.
    fn label_token(&self, pos: usize) -> Tok {
        match self.b.get(pos) {
            None => Tok::Eof,
            Some(b',') => Tok::Comma,
            Some(b'=') => Tok::Equal,
            Some(b'}') => Tok::BraceClose,
            Some(&c) if is_lname_start(c) => Tok::LName,
            Some(_) => Tok::Invalid,
        }
    }

    /// A label set after its `{`: `name="value"` pairs separated by single commas, no blanks,
    /// no trailing comma. Sample labels go to the label buffer unescaped, exemplar labels
    /// (`exemplar`) to the exemplar buffer as written. Returns the position after the `}`.
    fn labels(&mut self, mut pos: usize, exemplar: bool) -> Result<usize, Fail> {
        let mut first = true;
        loop {
            match self.label_token(pos) {
                Tok::BraceClose => return Ok(pos + 1),
                Tok::Comma if first => {
                    return Err(Fail::expected(
                        pos,
                        "expected label name or left brace",
                        Tok::Comma,
                    ));
                }
                Tok::Comma => {
                    pos += 1;
                    let tok = self.label_token(pos);
                    if tok != Tok::LName {
                        return Err(Fail::expected(pos, "expected label name", tok));
                    }
                }
                Tok::LName if !first => {
                    return Err(Fail::expected(pos, "expected comma", Tok::LName));
                }
                Tok::LName => {}
                tok if first => {
                    return Err(Fail::expected(
                        pos,
                        "expected label name or left brace",
                        tok,
                    ));
                }
                tok => return Err(Fail::expected(pos, "expected comma or left brace", tok)),
            }
            first = false;
            let name_start = pos;
            pos = scan_lname(self.b, pos);
            let name = self.str(name_start, pos)?;
            if self.label_token(pos) != Tok::Equal {
                return Err(Fail::expected(pos, "expected equal", self.label_token(pos)));
            }
            pos += 1;
            // Prometheus' lexer lets NUL bytes through in sample label values only.
            let close = match self.b.get(pos) {
                Some(b'"') => scan_quoted(self.b, pos, false, !exemplar),
                _ => None,
            };
            let Some(close) = close else {
                let tok = if exemplar {
                    self.value_token(pos, true).tok
                } else if pos >= self.b.len() {
                    Tok::Eof
                } else {
                    Tok::Invalid
                };
                let tok = if tok == Tok::LValue {
                    Tok::Invalid
                } else {
                    tok
                };
                return Err(Fail::expected(pos, "expected label value", tok));
            };
            // Exemplar label values are lexed in a state that does not step over NULs.
            let (start, end, next) = if exemplar {
                (pos + 1, close - 1, close)
            } else {
                label_value_span(self.b, pos, close)
            };
            let raw = self
                .body
                .str(start, end)
                .ok_or_else(|| Fail::new(pos, "invalid UTF-8 label value"))?;
            if exemplar {
                self.buf.exemplar.push((name, Cow::Borrowed(raw)));
            } else {
                self.buf
                    .labels
                    .push((name, unescape(raw, Escapes::LabelValue)));
            }
            pos = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        Entry, ExpositionError, ExpositionFormat, MetricKind, NORMAL_NAN_BITS, parse_exposition,
        parse_exposition_bytes,
    };

    type Labels = Vec<(String, String)>;

    /// An entry as owned data, to compare with.
    #[derive(Debug, PartialEq)]
    enum E {
        S(
            String,
            Labels,
            u64,
            Option<i64>,
            Option<(Labels, u64, Option<i64>)>,
        ),
        Help(String, String),
        Type(String, MetricKind),
        Unit(String, String),
    }

    fn labels(l: &[(&str, &str)]) -> Labels {
        l.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn s(name: &str, l: &[(&str, &str)], value: f64, ts: Option<i64>) -> E {
        E::S(name.into(), labels(l), value.to_bits(), ts, None)
    }

    fn sx(
        name: &str,
        l: &[(&str, &str)],
        value: f64,
        ts: Option<i64>,
        ex: (&[(&str, &str)], f64, Option<i64>),
    ) -> E {
        E::S(
            name.into(),
            labels(l),
            value.to_bits(),
            ts,
            Some((labels(ex.0), ex.1.to_bits(), ex.2)),
        )
    }

    fn owned(l: &[(&str, std::borrow::Cow<'_, str>)]) -> Labels {
        l.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn parse_bytes(body: &[u8]) -> Result<Vec<E>, ExpositionError> {
        let mut out = Vec::new();
        parse_exposition_bytes(body, ExpositionFormat::OpenMetrics, |e| {
            out.push(match e {
                Entry::Sample(s) => E::S(
                    s.name.into(),
                    owned(s.labels),
                    s.value.to_bits(),
                    s.timestamp_ms,
                    s.exemplar
                        .map(|x| (owned(x.labels), x.value.to_bits(), x.timestamp_ms)),
                ),
                Entry::Help { family, text } => E::Help(family.into(), text.into_owned()),
                Entry::Type { family, kind } => E::Type(family.into(), kind),
                Entry::Unit { family, unit } => E::Unit(family.into(), unit.into()),
            })
        })?;
        Ok(out)
    }

    fn parse(body: &str) -> Result<Vec<E>, ExpositionError> {
        let from_bytes = parse_bytes(body.as_bytes());
        let from_str = parse_exposition(body, ExpositionFormat::OpenMetrics, |_| {});
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
        let body = "# TYPE acme_http_router_request_seconds summary\n\
                    # UNIT acme_http_router_request_seconds seconds\n\
                    # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.\n\
                    acme_http_router_request_seconds_sum{path=\"/api/v1\",method=\"GET\"} 9036.32\n\
                    acme_http_router_request_seconds_count{path=\"/api/v1\",method=\"GET\"} 807283.0\n\
                    acme_http_router_request_seconds_created{path=\"/api/v1\",method=\"GET\"} 1605281325.0\n\
                    # TYPE foo histogram\n\
                    foo_bucket{le=\"0.01\"} 0\n\
                    foo_bucket{le=\"+Inf\"} 17 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n\
                    foo_count 17\n\
                    foo_sum 324789.3\n\
                    foo_created 1520430000.123\n\
                    # TYPE c counter\n\
                    c_total 17.0 1520879607.789 # {xx=\"yy\"} 5 1520879607.5\n\
                    # EOF\n";
        assert_eq!(
            parse(body).unwrap(),
            vec![
                E::Type(
                    "acme_http_router_request_seconds".into(),
                    MetricKind::Summary
                ),
                E::Unit("acme_http_router_request_seconds".into(), "seconds".into()),
                E::Help(
                    "acme_http_router_request_seconds".into(),
                    "Latency though all of ACME's HTTP request router.".into()
                ),
                s(
                    "acme_http_router_request_seconds_sum",
                    &[("path", "/api/v1"), ("method", "GET")],
                    9036.32,
                    None
                ),
                s(
                    "acme_http_router_request_seconds_count",
                    &[("path", "/api/v1"), ("method", "GET")],
                    807283.0,
                    None
                ),
                s(
                    "acme_http_router_request_seconds_created",
                    &[("path", "/api/v1"), ("method", "GET")],
                    1605281325.0,
                    None
                ),
                E::Type("foo".into(), MetricKind::Histogram),
                s("foo_bucket", &[("le", "0.01")], 0.0, None),
                sx(
                    "foo_bucket",
                    &[("le", "+Inf")],
                    17.0,
                    None,
                    (&[("trace_id", "KOO5S4vxi0o")], 0.67, None)
                ),
                s("foo_count", &[], 17.0, None),
                s("foo_sum", &[], 324789.3, None),
                s("foo_created", &[], 1520430000.123, None),
                E::Type("c".into(), MetricKind::Counter),
                sx(
                    "c_total",
                    &[],
                    17.0,
                    Some(1520879607789),
                    (&[("xx", "yy")], 5.0, Some(1520879607500))
                ),
            ]
        );
    }

    #[test]
    fn every_type_and_unit() {
        let got = parse(
            "# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d gaugehistogram\n\
             # TYPE e summary\n# TYPE f info\n# TYPE g stateset\n# TYPE h unknown\n\
             # UNIT nounit \n# UNIT x_bytes bytes\n# UNIT x_y_z y_z\n# EOF",
        )
        .unwrap();
        use MetricKind::*;
        let kinds = [
            Counter,
            Gauge,
            Histogram,
            GaugeHistogram,
            Summary,
            Info,
            StateSet,
            Unknown,
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            assert_eq!(
                got[i],
                E::Type(((b'a' + i as u8) as char).to_string(), kind)
            );
        }
        assert_eq!(got[8], E::Unit("nounit".into(), "".into()));
        assert_eq!(got[9], E::Unit("x_bytes".into(), "bytes".into()));
        assert_eq!(got[10], E::Unit("x_y_z".into(), "y_z".into()));
    }

    #[test]
    fn help_unescapes_like_label_values() {
        let got = parse("# HELP nohelp1 \n# HELP help2 escape \\ \\n \\\\ \\\" \\x chars\n# HELP m foo\0bar\n# EOF\n")
            .unwrap();
        assert_eq!(
            got,
            vec![
                E::Help("nohelp1".into(), "".into()),
                E::Help("help2".into(), "escape \\ \n \\ \" \\x chars".into()),
                E::Help("m".into(), "foo\0bar".into()),
            ]
        );
    }

    #[test]
    fn timestamps_are_seconds_truncated_to_milliseconds() {
        let got = parse(
            "a 1 1\nb 1 1.5\nc 1 -1.5\nd 1 1.0009\ne 1 0.0001\nf 1 1e3\ng 1 123.123\nh 1 1520879607.789\n# EOF\n",
        )
        .unwrap();
        let ts: Vec<Option<i64>> = got
            .iter()
            .map(|e| match e {
                E::S(_, _, _, ts, _) => *ts,
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            ts,
            [
                Some(1000),
                Some(1500),
                Some(-1500),
                Some(1000),
                Some(0),
                Some(1_000_000),
                Some(123123),
                Some(1520879607789)
            ]
        );
    }

    #[test]
    fn exemplars_on_total_and_bucket_only() {
        let got = parse(
            "# TYPE hhh histogram\n\
             hhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4\n\
             # TYPE ggh gaugehistogram\n\
             ggh_bucket{le=\"+Inf\"} 1 # {cc=\"dd\",xx=\"yy\"} 4 123.123\n\
             untyped_total 2 # {} NaN\n\
             esc_total 1 # {a=\"q\\\"q\\\\\"} 1\n\
             # EOF\n",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                E::Type("hhh".into(), MetricKind::Histogram),
                sx(
                    "hhh_bucket",
                    &[("le", "+Inf")],
                    1.0,
                    None,
                    (&[("aa", "bb")], 4.0, None)
                ),
                E::Type("ggh".into(), MetricKind::GaugeHistogram),
                sx(
                    "ggh_bucket",
                    &[("le", "+Inf")],
                    1.0,
                    None,
                    (&[("cc", "dd"), ("xx", "yy")], 4.0, Some(123123))
                ),
                sx(
                    "untyped_total",
                    &[],
                    2.0,
                    None,
                    (&[], f64::from_bits(NORMAL_NAN_BITS), None)
                ),
                // Exemplar label values keep their escapes, as Prometheus stores them.
                sx(
                    "esc_total",
                    &[],
                    1.0,
                    None,
                    (&[("a", "q\\\"q\\\\")], 1.0, None)
                ),
            ]
        );
        fails(
            "custom_metric 1 # {aa=\"bb\"} 1\n# EOF\n",
            1,
            "metric name custom_metric does not support exemplars",
        );
        fails(
            "# TYPE c counter\nc_created 1 # {aa=\"bb\"} 1\n# EOF\n",
            2,
            "metric name c_created does not support exemplars",
        );
    }

    #[test]
    fn the_eof_marker_ends_the_body() {
        assert_eq!(parse("# EOF").unwrap(), vec![]);
        assert_eq!(parse("# EOF\n").unwrap(), vec![]);
        assert_eq!(parse("a 1\n# EOF").unwrap(), vec![s("a", &[], 1.0, None)]);
        for (body, line, message) in [
            ("", 1, "data does not end with # EOF"),
            ("a 1", 1, "data does not end with # EOF"),
            ("a 1\n", 2, "data does not end with # EOF"),
            (
                "a_total 1 # {aa=\"bb\"} 4",
                1,
                "data does not end with # EOF",
            ),
            ("# EOF\na 1", 2, "unexpected data after # EOF"),
            ("# EOF\n\n", 2, "unexpected data after # EOF"),
            ("# EOF \n", 1, "unexpected data after # EOF"),
            ("# EOFa 1", 1, "unexpected data after # EOF"),
            ("#EOF\n", 1, "\"INVALID\" \"E\" is not a valid start token"),
            (
                " # EOF\n",
                1,
                "\"INVALID\" \" \" is not a valid start token",
            ),
            ("# EO", 1, "\"INVALID\" \" \" is not a valid start token"),
        ] {
            fails(body, line, message);
        }
    }

    #[test]
    fn nul_bytes_are_read_as_prometheus_reads_them() {
        for body in [
            "null_byte_metric{a=\"abc\0\"} 1\n# EOF\n",
            "a{b=\"\0ss\"} 1\n# EOF\n",
            "a{b=\"\0\"} 1\n# EOF",
            // The lexer steps over NULs inside `# EOF` and around its newline.
            "# E\0O\0F\0\n\0\0",
        ] {
            assert!(parse(body).is_ok(), "{body:?}");
        }
        // NULs after the newline of a HELP/TYPE/UNIT line join its text, less one.
        assert_eq!(
            parse("# HELP m x\n\0\0# EOF\n").unwrap(),
            vec![E::Help("m".into(), "x\n\0".into())]
        );
        fails(
            "# TYPE m gauge\n\0# EOF\n",
            1,
            "invalid metric type \"gauge\\n\"",
        );
        assert_eq!(
            parse("a{b=\"c\"\0\0} 1\n# EOF\n").unwrap(),
            vec![s("a", &[("b", "c\"\0")], 1.0, None)]
        );
        // Timestamps beyond the int64 range become its smallest value, as Go on x86-64 has it.
        assert_eq!(
            parse("a 1 1e300\n# EOF\n").unwrap(),
            vec![s("a", &[], 1.0, Some(i64::MIN))]
        );
        for (body, message) in [
            (
                "a{b=\0\"ssss\"} 1\n# EOF\n",
                "expected label value, got \"INVALID\"",
            ),
            ("a{b=\"\0", "expected label value, got \"INVALID\""),
            ("a{b\0=\"hiih\"}\t1", "expected equal, got \"INVALID\""),
            (
                "a\0{b=\"ddd\"} 1",
                "expected value after metric, got \"INVALID\"",
            ),
            ("#", "\"INVALID\" \" \" is not a valid start token"),
            ("# H", "\"INVALID\" \" \" is not a valid start token"),
            (
                "custom_metric_total 1 # {b=\0\"ssss\"} 1\n",
                "expected label value, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {b=\"\0ss\"} 1\n",
                "expected label value, got \"INVALID\"",
            ),
            ("\0", "\"INVALID\" \"\\x00\" is not a valid start token"),
        ] {
            fails(body, 1, message);
        }
    }

    #[test]
    fn refuses_what_prometheus_refuses() {
        for (body, line, message) in [
            ("\n", 1, "\"INVALID\" \"\\n\" is not a valid start token"),
            ("metric", 1, "expected value after metric, got \"EOF\""),
            (
                "a\n#EOF\n",
                1,
                "expected value after metric, got \"INVALID\"",
            ),
            (
                "\n\n#EOF\n",
                1,
                "\"INVALID\" \"\\n\" is not a valid start token",
            ),
            (
                "a 1\n\n# EOF\n",
                2,
                "\"INVALID\" \"\\n\" is not a valid start token",
            ),
            (
                " a 1\n#EOF\n",
                1,
                "\"INVALID\" \" \" is not a valid start token",
            ),
            (
                "9\n#EOF\n",
                1,
                "\"INVALID\" \"9\" is not a valid start token",
            ),
            (
                "a 1\n# a comment\n# EOF\n",
                2,
                "\"INVALID\" \"a\" is not a valid start token",
            ),
            (
                "# HELX a b\n",
                1,
                "\"INVALID\" \"X\" is not a valid start token",
            ),
            (
                "# TYPE u untyped\n#EOF\n",
                1,
                "invalid metric type \"untyped\"",
            ),
            (
                "# TYPE c counter \n#EOF\n",
                1,
                "invalid metric type \"counter \"",
            ),
            (
                "#  TYPE c counter\n#EOF\n",
                1,
                "\"INVALID\" \" \" is not a valid start token",
            ),
            (
                "# TYPE \n#EOF\n",
                1,
                "expected metric name after TYPE, got \"INVALID\"",
            ),
            ("# TYPE ", 1, "expected metric name after TYPE, got \"EOF\""),
            ("# TYPE m\n#EOF\n", 1, "expected text in TYPE"),
            ("# HELP m text", 1, "expected text in HELP"),
            (
                "# UNIT metric suffix\n#EOF\n",
                1,
                "unit not a suffix of metric \"metric\"",
            ),
            (
                "# UNIT metricsuffix suffix\n#EOF\n",
                1,
                "unit not a suffix of metric \"metricsuffix\"",
            ),
            (
                "# UNIT m suffix\n#EOF\n",
                1,
                "unit not a suffix of metric \"m\"",
            ),
            (
                "# UNIT _m _m\n#EOF\n",
                1,
                "unit not a suffix of metric \"_m\"",
            ),
            (
                "# UNIT \n#EOF\n",
                1,
                "expected metric name after UNIT, got \"INVALID\"",
            ),
            ("# UNIT m\n#EOF\n", 1, "expected text in UNIT"),
            (
                "# HELP \n#EOF\n",
                1,
                "expected metric name after HELP, got \"INVALID\"",
            ),
            ("# HELP m\n#EOF\n", 1, "expected text in HELP"),
            (
                "a\t1\n#EOF\n",
                1,
                "expected value after metric, got \"INVALID\"",
            ),
            (
                "a  1\n# EOF\n",
                1,
                "expected value after metric, got \"INVALID\"",
            ),
            (
                "a 1\t2\n#EOF\n",
                1,
                "strconv.ParseFloat: parsing \"1\\t2\": invalid syntax",
            ),
            (
                "a 1 2 \n#EOF\n",
                1,
                "expected next entry after timestamp, got \"INVALID\"",
            ),
            (
                "a 1 2 #\n#EOF\n",
                1,
                "expected next entry after timestamp, got \"TIMESTAMP\"",
            ),
            (
                "a 1 2",
                1,
                "expected next entry after timestamp, got \"EOF\"",
            ),
            (
                "a 1 \n# EOF\n",
                1,
                "expected timestamp or # symbol, got \"INVALID\"",
            ),
            (
                "a 1 # x\n# EOF\n",
                1,
                "expected timestamp or # symbol, got \"INVALID\"",
            ),
            (
                "a 1 #\n# EOF\n",
                1,
                "strconv.ParseFloat: parsing \"#\": invalid syntax",
            ),
            (
                "a 1 1z\n#EOF\n",
                1,
                "strconv.ParseFloat: parsing \"1z\": invalid syntax",
            ),
            (
                "a 1\r\n# EOF\n",
                1,
                "strconv.ParseFloat: parsing \"1\\r\": invalid syntax",
            ),
            (
                "a 1 1 1\n# EOF\n",
                1,
                "expected next entry after timestamp, got \"TIMESTAMP\"",
            ),
            (
                "a{b='c'} 1\n# EOF\n",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "a{b=\"c\",} 1\n# EOF\n",
                1,
                "expected label name, got \"BCLOSE\"",
            ),
            (
                "a{,b=\"c\"} 1\n# EOF\n",
                1,
                "expected label name or left brace, got \"COMMA\"",
            ),
            (
                "a{b=\"c\"d=\"e\"} 1\n# EOF\n",
                1,
                "expected comma, got \"LNAME\"",
            ),
            (
                "a{b=\"c\",,d=\"e\"} 1\n# EOF\n",
                1,
                "expected label name, got \"COMMA\"",
            ),
            (
                "a{b=\"c\" } 1\n# EOF\n",
                1,
                "expected comma or left brace, got \"INVALID\"",
            ),
            (
                "a{b =\"c\"} 1\n# EOF\n",
                1,
                "expected equal, got \"INVALID\"",
            ),
            (
                "a{b= \"c\"} 1\n# EOF\n",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "a{b=\"c\nd\"} 1\n# EOF\n",
                1,
                "expected label value, got \"INVALID\"",
            ),
            ("a{b=\n# EOF\n", 1, "expected label value, got \"INVALID\""),
            ("a{b=", 1, "expected label value, got \"EOF\""),
            ("a{b", 1, "expected equal, got \"EOF\""),
            ("a{", 1, "expected label name or left brace, got \"EOF\""),
            ("a{b=\"c\"", 1, "expected comma or left brace, got \"EOF\""),
            (
                "a{\u{ff}=\"foo\"} 1\n# EOF\n",
                1,
                "expected label name or left brace, got \"INVALID\"",
            ),
            (
                "a{b=\"c\"}{d=\"e\"} 1\n# EOF\n",
                1,
                "expected value after metric, got \"BOPEN\"",
            ),
            (
                "a {b=\"c\"} 1\n# EOF\n",
                1,
                "strconv.ParseFloat: parsing \"{b=\\\"c\\\"}\": invalid syntax",
            ),
            (
                "a true\n",
                1,
                "strconv.ParseFloat: parsing \"true\": invalid syntax",
            ),
            (
                "something_weird{problem=\"\n# EOF\n",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "empty_label_name{=\"\"} 0\n# EOF\n",
                1,
                "expected label name or left brace, got \"EQUAL\"",
            ),
            ("foo 1_2\n\n# EOF\n", 1, "unsupported character in float"),
            ("foo 0x1p-3\n\n# EOF\n", 1, "unsupported character in float"),
            ("foo 0x1P-3\n\n# EOF\n", 1, "unsupported character in float"),
            ("foo 0 1_2\n\n# EOF\n", 1, "unsupported character in float"),
            (
                "custom_metric_total 1 # {aa=bb}\n# EOF\n",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {aa= 1}\n# EOF\n",
                1,
                "expected label value, got \"VALUE\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n",
                1,
                "expected value after exemplar labels, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"}",
                1,
                "expected value after exemplar labels, got \"EOF\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"}\"x\" 1\n# EOF\n",
                1,
                "expected value after exemplar labels, got \"LVALUE\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1",
                1,
                "expected label name, got \"COMMA\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 1_2",
                1,
                "unsupported character in float",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 0x1p-3",
                1,
                "unsupported character in float",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} true",
                1,
                "strconv.ParseFloat: parsing \"true\": invalid syntax",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\",cc=}",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {aa=\\\"\u{ff}\\\"} 9.0",
                1,
                "expected label value, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 1 2 3\n# EOF\n",
                1,
                "expected next entry after exemplar timestamp, got \"TIMESTAMP\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 1 2",
                1,
                "expected next entry after exemplar timestamp, got \"EOF\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 1 \n# EOF\n",
                1,
                "expected timestamp or comment, got \"INVALID\"",
            ),
            (
                "custom_metric_total 1 # {aa=\"bb\"} 1\n",
                2,
                "data does not end with # EOF",
            ),
            (
                "{b=\"c\",} 1",
                1,
                "\"INVALID\" \"{\" is not a valid start token",
            ),
            ("a 1 NaN", 1, "invalid timestamp"),
            ("a 1 -Inf", 1, "invalid timestamp"),
            ("a 1 Inf", 1, "invalid timestamp"),
            (
                "# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN",
                2,
                "invalid exemplar timestamp",
            ),
            (
                "# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf",
                2,
                "invalid exemplar timestamp",
            ),
            (
                "# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 Inf",
                2,
                "invalid exemplar timestamp",
            ),
            (
                "a{b=\"1\",b=\"2\"} 1\n# EOF\n",
                1,
                "label name \"b\" is not unique: invalid sample",
            ),
            (
                "a{__name__=\"a\"} 1\n# EOF\n",
                1,
                "label name \"__name__\" is not unique: invalid sample",
            ),
        ] {
            fails(body, line, message);
        }
    }

    #[test]
    fn exemplar_labels_are_not_checked_for_duplicates() {
        assert!(parse("a_total 1 # {t=\"1\",t=\"2\"} 1\n# EOF\n").is_ok());
    }

    #[test]
    fn a_scrape_of_the_openmetrics_test_suite_shape() {
        let mut body = String::from(
            "# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n\
             # TYPE go_gc_duration_seconds summary\n\
             # UNIT go_gc_duration_seconds seconds\n\
             go_gc_duration_seconds{quantile=\"0\"} 4.9351e-05\n\
             go_gc_duration_seconds{quantile=\"0.5\",a=\"b\"} 8.3835e-05\n\
             go_gc_duration_seconds_count 99\n\
             some:aggregate:rate5m{a_b=\"c\"} 1\n\
             go_goroutines 33 123.123\n\
             # TYPE ii info\n\
             ii{foo=\"bar\"} 1\n\
             # TYPE ss stateset\n\
             ss{ss=\"foo\"} 1\n\
             ss{A=\"a\"} 0\n\
             _metric_starting_with_underscore 1\n\
             testmetric{label=\"\\\"bar\\\"\"} 1",
        );
        body.push_str("\n# HELP metric foo\0bar");
        body.push_str("\nnull_byte_metric{a=\"abc\0\"} 1");
        body.push_str("\n# EOF\n");
        let got = parse(&body).unwrap();
        assert_eq!(got.len(), 17);
        assert_eq!(got[7], s("go_goroutines", &[], 33.0, Some(123123)));
        assert_eq!(got[12], s("ss", &[("A", "a")], 0.0, None));
        assert_eq!(got[14], s("testmetric", &[("label", "\"bar\"")], 1.0, None));
        assert_eq!(got[15], E::Help("metric".into(), "foo\0bar".into()));
        assert_eq!(got[16], s("null_byte_metric", &[("a", "abc\0")], 1.0, None));
    }
}
