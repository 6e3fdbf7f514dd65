//! The `promqltest` script format, parsed into [`Command`]s as Prometheus v2.53's
//! `promql/promqltest/test.go` reads it (its `getLines`, `parseLoad`, `parseEval` and the series
//! description grammar of `promql/parser/generated_parser.y`).

use std::collections::BTreeMap;

use telemetryhub_promql::stale_marker;

/// A label set with `__name__`, as the engine uses it.
pub type Labels = BTreeMap<String, String>;

/// One value of a series description: what sits at one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeqValue {
    /// `_`: no sample at this step.
    Omitted,
    /// A float sample (`stale` is Prometheus' staleness NaN).
    Float(f64),
    /// A native histogram (`{{...}}`); not supported, only recognised so that cases using one
    /// can be skipped.
    Histogram,
}

/// `metric{labels} values`: a series description of a `load` block or an expected result.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDesc {
    /// The labels, `__name__` included when the line names a metric.
    pub labels: Labels,
    /// The values, one per step.
    pub values: Vec<SeqValue>,
}

/// `load <interval>` and its series: sample `i` of a series at `i × interval` ms.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// The 1-based line of the `load` command.
    pub line: usize,
    /// The step between samples, ms.
    pub interval_ms: i64,
    /// The series in file order; a series given twice keeps only its last line's values, as
    /// in Prometheus (its samples are keyed by the label set).
    pub series: Vec<SeriesDesc>,
}

impl Load {
    /// The samples the load adds, as `(labels, t_ms, value)`, the last definition of a series
    /// winning; `None` values are native histograms.
    pub fn samples(&self) -> Vec<(Labels, i64, Option<f64>)> {
        let mut by_labels: BTreeMap<&Labels, &[SeqValue]> = BTreeMap::new();
        for series in &self.series {
            by_labels.insert(&series.labels, &series.values);
        }
        let mut out = Vec::new();
        for (labels, values) in by_labels {
            for (i, value) in values.iter().enumerate() {
                let t_ms = i as i64 * self.interval_ms;
                match value {
                    SeqValue::Omitted => {}
                    SeqValue::Float(v) => out.push((labels.clone(), t_ms, Some(*v))),
                    SeqValue::Histogram => out.push((labels.clone(), t_ms, None)),
                }
            }
        }
        out
    }

    /// Whether any series holds a native histogram.
    pub fn has_histograms(&self) -> bool {
        self.series
            .iter()
            .any(|s| s.values.contains(&SeqValue::Histogram))
    }
}

/// When an `eval` runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EvalKind {
    /// `eval instant at <t>`: ms since 0.
    Instant {
        /// The evaluation time, ms.
        at_ms: i64,
    },
    /// `eval range from <t> to <t> step <d>`.
    Range {
        /// First step, ms.
        start_ms: i64,
        /// Last step, ms (inclusive).
        end_ms: i64,
        /// Step, ms.
        step_ms: i64,
    },
}

/// What an `eval` expects, as Prometheus keeps it: series by label set (a label set given twice
/// keeps its last line), and a scalar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// A bare number line: the expected scalar, with its position.
    pub scalar: Option<(usize, f64)>,
    /// Expected series: label set → (1-based position among the expected lines, values).
    pub series: BTreeMap<Labels, (usize, Vec<SeqValue>)>,
}

impl Expected {
    /// How many expectations there are (Prometheus' `len(ev.expected)`).
    pub fn len(&self) -> usize {
        self.series.len() + usize::from(self.scalar.is_some())
    }

    /// Whether an expected value is a native histogram.
    pub fn has_histograms(&self) -> bool {
        self.series
            .values()
            .any(|(_, v)| v.contains(&SeqValue::Histogram))
    }
}

/// `eval[_fail|_ordered] instant at <t> <expr>` or `eval[_fail] range from … <expr>` with the
/// expected result lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Eval {
    /// The 1-based line of the command.
    pub line: usize,
    /// The query.
    pub expr: String,
    /// Instant or range.
    pub kind: EvalKind,
    /// `eval_fail`: the query must fail.
    pub fail: bool,
    /// `eval_ordered`: the vector must come in the expected lines' order.
    pub ordered: bool,
    /// The expected result.
    pub expected: Expected,
}

/// One command of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `load`.
    Load(Load),
    /// `clear`: drop all data.
    Clear {
        /// The 1-based line.
        line: usize,
    },
    /// `eval…`.
    Eval(Eval),
}

/// A line the parser could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

/// A parsed script: its commands, and the errors of the lines it could not read (the parser
/// skips to the next blank line after an error, so one bad block does not hide the rest).
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// The commands in order.
    pub commands: Vec<Command>,
    /// The parse errors.
    pub errors: Vec<ParseError>,
    /// Non-blank lines (comments are blank).
    pub lines: usize,
    /// Non-blank lines read into commands: equal to `lines` when nothing was left out.
    pub lines_read: usize,
}

/// Parses a script as Prometheus' runner does: lines trimmed, `#` lines blank; a command's
/// block ends at the next blank line.
pub fn parse_script(input: &str) -> Script {
    let lines: Vec<&str> = input
        .split('\n')
        .map(|l| {
            let l = l.trim();
            if l.starts_with('#') { "" } else { l }
        })
        .collect();
    let mut script = Script {
        lines: lines.iter().filter(|l| !l.is_empty()).count(),
        ..Script::default()
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.is_empty() {
            i += 1;
            continue;
        }
        let word = line
            .split([' ', '\t'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let parsed = if word == "clear" {
            Ok((i, Command::Clear { line: i + 1 }))
        } else if word == "load" {
            parse_load(&lines, i).map(|(end, load)| (end, Command::Load(load)))
        } else if word.starts_with("eval") {
            parse_eval(&lines, i).map(|(end, eval)| (end, Command::Eval(eval)))
        } else {
            Err(ParseError {
                line: i + 1,
                message: format!("invalid command {line:?}"),
            })
        };
        match parsed {
            Ok((end, command)) => {
                script.commands.push(command);
                script.lines_read += end + 1 - i;
                i = end + 1;
            }
            Err(error) => {
                script.errors.push(error);
                // Skip the rest of the block.
                while i < lines.len() && !lines[i].is_empty() {
                    i += 1;
                }
            }
        }
    }
    script
}

/// `load <interval>` at `lines[i]` and its series lines; returns the index of the block's last
/// line.
fn parse_load(lines: &[&str], mut i: usize) -> Result<(usize, Load), ParseError> {
    let line = i + 1;
    let err = |message: String| ParseError { line, message };
    let interval = lines[i]
        .strip_prefix("load")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err("invalid load command. (load <step:duration>)".into()))?;
    let interval_ms = parse_duration_ms(interval)
        .map_err(|e| err(format!("invalid step definition {interval:?}: {e}")))?;
    let mut load = Load {
        line,
        interval_ms,
        series: Vec::new(),
    };
    while i + 1 < lines.len() && !lines[i + 1].is_empty() {
        i += 1;
        let desc = parse_series_desc(lines[i]).map_err(|message| ParseError {
            line: i + 1,
            message,
        })?;
        load.series.push(desc);
    }
    Ok((i, load))
}

/// An `eval` command at `lines[i]` and its expected lines; returns the index of the block's last
/// line.
fn parse_eval(lines: &[&str], mut i: usize) -> Result<(usize, Eval), ParseError> {
    let line = i + 1;
    let err = |message: String| ParseError { line, message };
    let text = lines[i];
    let (head, rest) = split_word(text);
    let (fail, ordered) = match head {
        "eval" => (false, false),
        "eval_fail" => (true, false),
        "eval_ordered" => (false, true),
        // Later Prometheus versions: annotations are not checked here.
        "eval_warn" | "eval_info" => (false, false),
        _ => {
            return Err(err(format!(
                "invalid evaluation command {head:?}: must be eval, eval_fail or eval_ordered"
            )));
        }
    };
    let (mode, rest) = split_word(rest);
    let (kind, expr) = match mode {
        "instant" => {
            let (at, rest) = split_word(rest);
            if at != "at" {
                return Err(err("expected `instant at <time> <expr>`".into()));
            }
            let (time, expr) = split_word(rest);
            let at_ms = parse_duration_ms(time)
                .map_err(|e| err(format!("invalid timestamp definition {time:?}: {e}")))?;
            (EvalKind::Instant { at_ms }, expr)
        }
        "range" => {
            if ordered {
                return Err(err("eval_ordered is not allowed with range".into()));
            }
            let mut words = Vec::new();
            let mut rest = rest;
            for _ in 0..6 {
                let (w, r) = split_word(rest);
                words.push(w);
                rest = r;
            }
            if words[0] != "from" || words[2] != "to" || words[4] != "step" {
                return Err(err(
                    "expected `range from <time> to <time> step <duration> <expr>`".into(),
                ));
            }
            let parse = |s: &str, what: &str| {
                parse_duration_ms(s).map_err(|e| err(format!("invalid {what} {s:?}: {e}")))
            };
            let start_ms = parse(words[1], "start")?;
            let end_ms = parse(words[3], "end")?;
            let step_ms = parse(words[5], "step")?;
            if end_ms < start_ms {
                return Err(err("end timestamp is before start timestamp".into()));
            }
            (
                EvalKind::Range {
                    start_ms,
                    end_ms,
                    step_ms,
                },
                rest,
            )
        }
        _ => return Err(err(format!("expected `instant` or `range`, got {mode:?}"))),
    };
    if expr.is_empty() {
        return Err(err("missing expression".into()));
    }
    let mut eval = Eval {
        line,
        expr: expr.to_string(),
        kind,
        fail,
        ordered,
        expected: Expected::default(),
    };
    let mut position = 1;
    while i + 1 < lines.len() && !lines[i + 1].is_empty() {
        i += 1;
        if let Some(value) = parse_go_number(lines[i]) {
            // A scalar ends the block in Prometheus' runner.
            eval.expected.scalar = Some((position, value));
            break;
        }
        let desc = parse_series_desc(lines[i]).map_err(|message| ParseError {
            line: i + 1,
            message,
        })?;
        if desc.values.len() > 1 && matches!(kind, EvalKind::Instant { .. }) {
            return Err(ParseError {
                line: i + 1,
                message: "expecting multiple values in instant evaluation not allowed".into(),
            });
        }
        eval.expected
            .series
            .insert(desc.labels, (position, desc.values));
        position += 1;
    }
    Ok((i, eval))
}

/// The first whitespace-separated word of `s` and the rest, trimmed.
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find([' ', '\t']) {
        Some(at) => (&s[..at], s[at..].trim_start()),
        None => (s, ""),
    }
}

/// A Prometheus duration (`model.ParseDuration`): `0`, or units `y w d h m s ms` in that order,
/// each at most once, e.g. `1h30m`, `50m`, `5m30s`.
pub fn parse_duration_ms(s: &str) -> Result<i64, String> {
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err("empty duration string".into());
    }
    const UNITS: [(&str, i64); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];
    let bytes = s.as_bytes();
    let mut pos = 0;
    let mut next_unit = 0;
    let mut total: i64 = 0;
    while pos < bytes.len() {
        let start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if start == pos {
            return Err(format!("not a valid duration string: {s:?}"));
        }
        let n: i64 = s[start..pos]
            .parse()
            .map_err(|e| format!("bad number in {s:?}: {e}"))?;
        let unit_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_alphabetic() {
            pos += 1;
        }
        let unit = &s[unit_start..pos];
        let Some(index) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!("not a valid duration string: {s:?}"));
        };
        if index < next_unit {
            return Err(format!("units out of order in {s:?}"));
        }
        next_unit = index + 1;
        total = n
            .checked_mul(UNITS[index].1)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration out of range: {s:?}"))?;
    }
    Ok(total)
}

/// A whole line as Go's `strconv.ParseInt(s, 0, 64)`, then `strconv.ParseFloat(s, 64)`: how
/// Prometheus' runner tells a scalar expectation from a series line.
pub fn parse_go_number(s: &str) -> Option<f64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let int = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        i64::from_str_radix(bin, 2).ok()
    } else if let Some(oct) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        i64::from_str_radix(oct, 8).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(n) = int {
        let n = n as f64;
        return Some(if negative { -n } else { n });
    }
    parse_float(s)
}

/// A float as Go's `strconv.ParseFloat` reads the forms the scripts use: decimals, exponents,
/// `Inf`/`+Inf`/`-Inf`/`NaN` in any case.
fn parse_float(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['+', '-']);
    if body.is_empty() || s.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let special = matches!(lower.as_str(), "inf" | "infinity" | "nan");
    let plain = body.bytes().all(|b| {
        b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'+' || b == b'-'
    }) && body.bytes().any(|b| b.is_ascii_digit());
    if special || plain {
        s.parse::<f64>().ok()
    } else {
        None
    }
}

/// `metric{labels} values` or `{labels} values`: Prometheus' series description.
pub fn parse_series_desc(line: &str) -> Result<SeriesDesc, String> {
    let mut cursor = Cursor { s: line, pos: 0 };
    let mut labels = Labels::new();
    let name = cursor.take_while(|c, first| {
        c == '_' || c == ':' || c.is_ascii_alphabetic() || (!first && c.is_ascii_digit())
    });
    if !name.is_empty() {
        labels.insert("__name__".to_string(), name.to_string());
    }
    if cursor.peek() == Some('{') && !cursor.rest().starts_with("{{") {
        cursor.bump();
        loop {
            cursor.skip_ws();
            match cursor.peek() {
                Some('}') => {
                    cursor.bump();
                    break;
                }
                None => return Err(format!("unterminated label set in {line:?}")),
                _ => {}
            }
            let label = cursor.take_while(|c, first| {
                c == '_' || c.is_ascii_alphabetic() || (!first && c.is_ascii_digit())
            });
            if label.is_empty() {
                return Err(format!(
                    "expected a label name at column {} of {line:?}",
                    cursor.pos + 1
                ));
            }
            cursor.skip_ws();
            if cursor.peek() != Some('=') {
                return Err(format!("expected \"=\" after label {label:?} in {line:?}"));
            }
            cursor.bump();
            cursor.skip_ws();
            let value = cursor.string_literal()?;
            labels.insert(label.to_string(), value);
            cursor.skip_ws();
            match cursor.peek() {
                Some(',') => {
                    cursor.bump();
                }
                Some('}') => {}
                _ => {
                    return Err(format!(
                        "expected \",\" or \"}}\" at column {} of {line:?}",
                        cursor.pos + 1
                    ));
                }
            }
        }
    } else if name.is_empty() {
        return Err(format!("expected a metric name or label set in {line:?}"));
    }
    let rest = cursor.rest();
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return Err(format!("expected a space before the values in {line:?}"));
    }
    let mut values = Vec::new();
    for item in split_items(rest)? {
        parse_item(&item, &mut values).map_err(|e| format!("{e} (in {line:?})"))?;
    }
    Ok(SeriesDesc { labels, values })
}

/// The value items of a series description: whitespace-separated, a `{{…}}` histogram (which
/// holds spaces) and what follows it (`+{{…}}x4`) kept in one item.
fn split_items(s: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' && chars.get(i + 1) == Some(&'{') {
            depth += 1;
            current.push_str("{{");
            i += 2;
            continue;
        }
        if c == '}' && chars.get(i + 1) == Some(&'}') && depth > 0 {
            depth -= 1;
            current.push_str("}}");
            i += 2;
            continue;
        }
        if (c == ' ' || c == '\t') && depth == 0 {
            if !current.is_empty() {
                items.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
        i += 1;
    }
    if depth > 0 {
        return Err("unterminated {{ histogram".into());
    }
    if !current.is_empty() {
        items.push(current);
    }
    Ok(items)
}

/// One value item: `_`, `_xN` (N missing), `v`, `vxN` (N+1 copies), `v+dxN` / `v-dxN` (N+1
/// values stepping by d), `stale`, or a histogram.
fn parse_item(item: &str, out: &mut Vec<SeqValue>) -> Result<(), String> {
    if item.starts_with("{{") {
        // A native histogram, possibly `{{…}}xN` or `{{…}}+{{…}}xN`.
        let close = item.rfind("}}").unwrap_or(item.len());
        let tail = &item[close.saturating_add(2).min(item.len())..];
        let count = match tail.rfind('x') {
            Some(at) => {
                tail[at + 1..]
                    .parse::<u64>()
                    .map_err(|e| format!("bad repetition in {item:?}: {e}"))?
                    + 1
            }
            None => 1,
        };
        out.extend(std::iter::repeat_n(SeqValue::Histogram, count as usize));
        return Ok(());
    }
    if item == "_" {
        out.push(SeqValue::Omitted);
        return Ok(());
    }
    if let Some(n) = item.strip_prefix("_x") {
        let n: u64 = n
            .parse()
            .map_err(|e| format!("bad repetition in {item:?}: {e}"))?;
        out.extend(std::iter::repeat_n(SeqValue::Omitted, n as usize));
        return Ok(());
    }
    if item == "stale" {
        out.push(SeqValue::Float(stale_marker()));
        return Ok(());
    }
    let (first, rest) = take_number(item, false)
        .ok_or_else(|| format!("expected a number or \"stale\", got {item:?}"))?;
    if rest.is_empty() {
        out.push(SeqValue::Float(first));
        return Ok(());
    }
    let (delta, rest) = if rest.starts_with(['+', '-']) {
        take_number(rest, true).ok_or_else(|| format!("bad increment in {item:?}"))?
    } else {
        (0.0, rest)
    };
    let times = rest
        .strip_prefix('x')
        .ok_or_else(|| format!("expected \"x<count>\" in {item:?}"))?;
    let times: u64 = times
        .parse()
        .map_err(|e| format!("bad repetition in {item:?}: {e}"))?;
    let mut value = first;
    for _ in 0..=times {
        out.push(SeqValue::Float(value));
        value += delta;
    }
    Ok(())
}

/// A number at the start of `s` (`1`, `-2.5`, `1e3`, `Inf`, `-Inf`, `NaN`); with `signed`, the
/// sign is required. Returns the number and what follows.
fn take_number(s: &str, signed: bool) -> Option<(f64, &str)> {
    let bytes = s.as_bytes();
    let mut pos = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        pos = 1;
    } else if signed {
        return None;
    }
    let lower = s[pos..].to_ascii_lowercase();
    if lower.starts_with("inf") || lower.starts_with("nan") {
        let end = pos + 3;
        return s[..end].parse::<f64>().ok().map(|v| (v, &s[end..]));
    }
    let digits_start = pos;
    while pos < bytes.len() && (bytes[pos].is_ascii_digit() || bytes[pos] == b'.') {
        pos += 1;
    }
    if pos == digits_start {
        return None;
    }
    if pos < bytes.len() && (bytes[pos] == b'e' || bytes[pos] == b'E') {
        let mut p = pos + 1;
        if p < bytes.len() && (bytes[p] == b'+' || bytes[p] == b'-') {
            p += 1;
        }
        let exp_digits = p;
        while p < bytes.len() && bytes[p].is_ascii_digit() {
            p += 1;
        }
        if p > exp_digits {
            pos = p;
        }
    }
    s[..pos].parse::<f64>().ok().map(|v| (v, &s[pos..]))
}

/// A cursor over a series description.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    /// Characters while `pred(c, is_first)` holds.
    fn take_while(&mut self, pred: impl Fn(char, bool) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !pred(c, self.pos == start) {
                break;
            }
            self.bump();
        }
        &self.s[start..self.pos]
    }

    /// A Go string literal: `"…"` or `'…'` with escapes, or a raw `` `…` ``.
    fn string_literal(&mut self) -> Result<String, String> {
        let quote = self
            .peek()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
            .ok_or_else(|| format!("expected a quoted label value in {:?}", self.s))?;
        self.bump();
        let mut out = String::new();
        loop {
            let c = self
                .peek()
                .ok_or_else(|| format!("unterminated string in {:?}", self.s))?;
            self.bump();
            if c == quote {
                return Ok(out);
            }
            if c != '\\' || quote == '`' {
                out.push(c);
                continue;
            }
            let e = self
                .peek()
                .ok_or_else(|| format!("unterminated escape in {:?}", self.s))?;
            self.bump();
            match e {
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\u{b}'),
                '\\' | '"' | '\'' => out.push(e),
                'x' | 'u' | 'U' => {
                    let len = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = self.rest().chars().take(len).collect();
                    for _ in 0..len {
                        self.bump();
                    }
                    let code = u32::from_str_radix(&hex, 16)
                        .map_err(|_| format!("bad \\{e} escape in {:?}", self.s))?;
                    out.push(
                        char::from_u32(code)
                            .ok_or_else(|| format!("bad \\{e} escape in {:?}", self.s))?,
                    );
                }
                '0'..='7' => {
                    let mut code = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        let d = self
                            .peek()
                            .and_then(|c| c.to_digit(8))
                            .ok_or_else(|| format!("bad octal escape in {:?}", self.s))?;
                        code = code * 8 + d;
                        self.bump();
                    }
                    out.push(
                        char::from_u32(code)
                            .ok_or_else(|| format!("bad octal escape in {:?}", self.s))?,
                    );
                }
                _ => return Err(format!("unknown escape \\{e} in {:?}", self.s)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(desc: &SeriesDesc) -> Vec<Option<f64>> {
        desc.values
            .iter()
            .map(|v| match v {
                SeqValue::Float(f) => Some(*f),
                _ => None,
            })
            .collect()
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn expands_steps_and_repeats() {
        let d = parse_series_desc("m 1+2x3").expect("parses");
        assert_eq!(floats(&d), vec![Some(1.0), Some(3.0), Some(5.0), Some(7.0)]);
        let d = parse_series_desc("m 10-2x2 1x2").expect("parses");
        assert_eq!(
            floats(&d),
            vec![
                Some(10.0),
                Some(8.0),
                Some(6.0),
                Some(1.0),
                Some(1.0),
                Some(1.0)
            ]
        );
        let d = parse_series_desc("m -1+1x2 0.5+0.25x1 1e3").expect("parses");
        assert_eq!(
            floats(&d),
            vec![
                Some(-1.0),
                Some(0.0),
                Some(1.0),
                Some(0.5),
                Some(0.75),
                Some(1000.0)
            ]
        );
    }

    #[test]
    fn blanks_stale_and_specials() {
        let d = parse_series_desc("m 1 _x2 _ stale Inf -Inf NaN").expect("parses");
        assert_eq!(d.values.len(), 8);
        assert_eq!(d.values[1], SeqValue::Omitted);
        assert_eq!(d.values[2], SeqValue::Omitted);
        assert_eq!(d.values[3], SeqValue::Omitted);
        let SeqValue::Float(stale) = d.values[4] else {
            panic!("stale is a float");
        };
        assert!(telemetryhub_promql::is_stale_marker(stale));
        assert_eq!(d.values[5], SeqValue::Float(f64::INFINITY));
        assert_eq!(d.values[6], SeqValue::Float(f64::NEG_INFINITY));
        let SeqValue::Float(nan) = d.values[7] else {
            panic!("NaN is a float");
        };
        assert!(nan.is_nan() && !telemetryhub_promql::is_stale_marker(nan));
    }

    #[test]
    fn labels_escapes_and_colons() {
        let d = parse_series_desc(r#"job:rate5m:sum{a="x\"y", b='q\n', c=`raw\n`,} 1"#)
            .expect("parses");
        assert_eq!(
            d.labels,
            labels(&[
                ("__name__", "job:rate5m:sum"),
                ("a", "x\"y"),
                ("b", "q\n"),
                ("c", "raw\\n")
            ])
        );
        let d = parse_series_desc(r#"{__name__="m", l="\u00e9\x41"} 2"#).expect("parses");
        assert_eq!(d.labels, labels(&[("__name__", "m"), ("l", "éA")]));
        let d = parse_series_desc("{} 3").expect("parses");
        assert!(d.labels.is_empty());
        assert_eq!(floats(&d), vec![Some(3.0)]);
        let d = parse_series_desc("up").expect("parses");
        assert!(d.values.is_empty());
        assert!(parse_series_desc(r#"m{a="x} 1"#).is_err());
        assert!(parse_series_desc("m 1 foo").is_err());
    }

    #[test]
    fn histograms_are_recognised() {
        let d = parse_series_desc("h {{schema:0 sum:5 count:4 buckets:[1 2 1]}} _ {{count:1}}x2")
            .expect("parses");
        assert_eq!(
            d.values,
            vec![
                SeqValue::Histogram,
                SeqValue::Omitted,
                SeqValue::Histogram,
                SeqValue::Histogram,
                SeqValue::Histogram
            ]
        );
        let d = parse_series_desc("h {{count:1}}+{{count:2}}x3").expect("parses");
        assert_eq!(d.values.len(), 4);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("0"), Ok(0));
        assert_eq!(parse_duration_ms("50m"), Ok(3_000_000));
        assert_eq!(parse_duration_ms("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration_ms("5m30s"), Ok(330_000));
        assert_eq!(parse_duration_ms("10s100ms"), Ok(10_100));
        assert_eq!(parse_duration_ms("1d"), Ok(86_400_000));
        assert!(parse_duration_ms("30s5m").is_err());
        assert!(parse_duration_ms("5").is_err());
        assert!(parse_duration_ms("").is_err());
    }

    #[test]
    fn go_numbers() {
        assert_eq!(parse_go_number("1"), Some(1.0));
        assert_eq!(parse_go_number("-2.5"), Some(-2.5));
        assert_eq!(parse_go_number("0x10"), Some(16.0));
        assert_eq!(parse_go_number("010"), Some(8.0));
        assert_eq!(parse_go_number("12.34e6"), Some(12_340_000.0));
        assert_eq!(parse_go_number("Inf"), Some(f64::INFINITY));
        assert_eq!(parse_go_number("-Inf"), Some(f64::NEG_INFINITY));
        assert!(parse_go_number("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_go_number("{} 1"), None);
        assert_eq!(parse_go_number("m 1"), None);
        assert_eq!(parse_go_number("info"), None);
    }

    #[test]
    fn script_commands() {
        let script = parse_script(
            "# comment\nload 5m\n  a{x=\"1\"} 0+10x2\n  a{x=\"1\"} 1 2\n\nclear\n\
             eval instant at 10m sum(a)\n  {} 20\n\neval_ordered instant at 1h topk(1, a)\n  a{x=\"1\"} 2\n\n\
             eval_fail instant at 0 rate(a)\n\neval instant at 5m 1 + 1\n  2\n\
             eval range from 0 to 10m step 5m a\n  a{x=\"1\"} 1 _ 3\n\nbogus\n",
        );
        assert_eq!(script.errors.len(), 1, "{:?}", script.errors);
        assert_eq!(script.errors[0].line, 20);
        assert_eq!(script.commands.len(), 7);
        assert_eq!(
            script.lines,
            script.lines_read + 1,
            "all but the bad line read"
        );
        let Command::Load(load) = &script.commands[0] else {
            panic!("load first");
        };
        assert_eq!(load.interval_ms, 300_000);
        // The second definition of the series replaces the first.
        assert_eq!(load.samples().len(), 2);
        let Command::Eval(eval) = &script.commands[2] else {
            panic!("eval");
        };
        assert_eq!(eval.kind, EvalKind::Instant { at_ms: 600_000 });
        assert_eq!(eval.expr, "sum(a)");
        assert_eq!(eval.expected.series.len(), 1);
        let Command::Eval(eval) = &script.commands[3] else {
            panic!("eval_ordered");
        };
        assert!(eval.ordered && !eval.fail);
        let Command::Eval(eval) = &script.commands[4] else {
            panic!("eval_fail");
        };
        assert!(eval.fail);
        assert_eq!(eval.kind, EvalKind::Instant { at_ms: 0 });
        let Command::Eval(eval) = &script.commands[5] else {
            panic!("scalar eval");
        };
        assert_eq!(eval.expected.scalar, Some((1, 2.0)));
        let Command::Eval(eval) = &script.commands[6] else {
            panic!("range eval");
        };
        assert_eq!(
            eval.kind,
            EvalKind::Range {
                start_ms: 0,
                end_ms: 600_000,
                step_ms: 300_000
            }
        );
        assert_eq!(
            eval.expected.series.values().next().map(|v| v.1.len()),
            Some(3)
        );
    }
}
