//! Line filters (substring, regex, pattern, `ip()`, with `or`) and label filters (string
//! matchers, `ip()`, durations, sizes and numbers, joined by `and`/`or`), compiled.

use std::net::IpAddr;

use regex::Regex;
use telemetryhub_model::SeriesMatcher;

use super::parsers::PatternExpr;
use super::{EntryLabels, PATTERN_ID_LABEL};
use crate::LogqlError;
use crate::ast::{CmpOp, LabelFilter, LineFilter, LineFilterOp, LineFilterValue};
use crate::units::{DurationUnits, parse_bytes, parse_duration};

/// An address range of `ip("…")`: one address, `a-b`, or a CIDR block.
#[derive(Debug, Clone)]
pub(crate) enum IpRange {
    Single(IpAddr),
    Range(IpAddr, IpAddr),
    Cidr(IpAddr, u8),
}

fn to_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(v4) => (true, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => (false, u128::from(v6)),
    }
}

impl IpRange {
    pub(crate) fn parse(pattern: &str) -> Result<IpRange, LogqlError> {
        let invalid = || LogqlError::Invalid(format!("invalid ip pattern: {pattern}"));
        let pattern = pattern.trim();
        if let Some((address, bits)) = pattern.split_once('/') {
            let address: IpAddr = address.parse().map_err(|_| invalid())?;
            let bits: u8 = bits.parse().map_err(|_| invalid())?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            if bits > max {
                return Err(invalid());
            }
            return Ok(IpRange::Cidr(address, bits));
        }
        if let Some((from, to)) = pattern.split_once('-') {
            let from: IpAddr = from.trim().parse().map_err(|_| invalid())?;
            let to: IpAddr = to.trim().parse().map_err(|_| invalid())?;
            if from.is_ipv4() != to.is_ipv4() {
                return Err(invalid());
            }
            return Ok(IpRange::Range(from, to));
        }
        Ok(IpRange::Single(pattern.parse().map_err(|_| invalid())?))
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let (v4, value) = to_bits(ip);
        match *self {
            IpRange::Single(single) => single == ip,
            IpRange::Range(from, to) => {
                let ((from_v4, low), (_, high)) = (to_bits(from), to_bits(to));
                from_v4 == v4 && low <= value && value <= high
            }
            IpRange::Cidr(network, bits) => {
                let (net_v4, net) = to_bits(network);
                if net_v4 != v4 {
                    return false;
                }
                let width = if v4 { 32 } else { 128 };
                let shift = width - u32::from(bits);
                shift >= 128 || (net >> shift) == (value >> shift)
            }
        }
    }

    /// Whether some address written in `line` is in the range (an IPv4 address with a port,
    /// `10.0.0.1:80`, counts as its address).
    fn in_line(&self, line: &str) -> bool {
        let parses = |token: &str| {
            [token, token.trim_matches(|c| c == ':' || c == '.')]
                .into_iter()
                .any(|t| t.parse::<IpAddr>().is_ok_and(|ip| self.contains(ip)))
        };
        line.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
            .filter(|token| token.len() >= 2)
            .any(|token| parses(token) || (token.contains('.') && token.split(':').any(parses)))
    }
}

enum LineTest {
    Contains(String),
    Regex(Regex),
    Pattern(PatternExpr),
    Ip(IpRange),
}

impl LineTest {
    fn matches(&self, line: &str) -> bool {
        match self {
            LineTest::Contains(text) => line.contains(text.as_str()),
            LineTest::Regex(regex) => regex.is_match(line),
            LineTest::Pattern(pattern) => pattern.test(line),
            LineTest::Ip(range) => range.in_line(line),
        }
    }
}

/// A compiled line filter.
pub(crate) struct LineFilterFn {
    negated: bool,
    tests: Vec<LineTest>,
}

impl LineFilterFn {
    pub(crate) fn compile(filter: &LineFilter) -> Result<LineFilterFn, LogqlError> {
        let negated = matches!(
            filter.op,
            LineFilterOp::NotContains | LineFilterOp::NotRegex | LineFilterOp::NotPattern
        );
        let mut tests = Vec::new();
        for value in &filter.values {
            tests.push(match (value, filter.op) {
                (LineFilterValue::Ip(pattern), _) => LineTest::Ip(IpRange::parse(pattern)?),
                (
                    LineFilterValue::Text(text),
                    LineFilterOp::Contains | LineFilterOp::NotContains,
                ) => LineTest::Contains(text.clone()),
                (LineFilterValue::Text(text), LineFilterOp::Regex | LineFilterOp::NotRegex) => {
                    LineTest::Regex(
                        Regex::new(text).map_err(|e| {
                            LogqlError::Invalid(format!("invalid regex {text}: {e}"))
                        })?,
                    )
                }
                (LineFilterValue::Text(text), LineFilterOp::Pattern | LineFilterOp::NotPattern) => {
                    LineTest::Pattern(PatternExpr::parse_line_filter(text)?)
                }
            });
        }
        Ok(LineFilterFn { negated, tests })
    }

    /// Whether the line passes: a positive filter when any operand matches, a negative one when
    /// none does.
    pub(crate) fn matches(&self, line: &str) -> bool {
        self.tests.iter().any(|test| test.matches(line)) != self.negated
    }
}

/// A compiled label filter.
pub(crate) enum LabelFilterFn {
    Matcher(SeriesMatcher),
    Ip {
        name: String,
        negated: bool,
        range: IpRange,
    },
    Duration {
        name: String,
        op: CmpOp,
        value_ns: i64,
    },
    Bytes {
        name: String,
        op: CmpOp,
        value: u64,
    },
    Number {
        name: String,
        op: CmpOp,
        value: f64,
    },
    And(Box<LabelFilterFn>, Box<LabelFilterFn>),
    Or(Box<LabelFilterFn>, Box<LabelFilterFn>),
}

/// Compiles a label filter.
pub(crate) fn compile_label_filter(filter: &LabelFilter) -> Result<LabelFilterFn, LogqlError> {
    Ok(match filter {
        LabelFilter::Matcher(matcher) => {
            LabelFilterFn::Matcher(crate::ast::series_matcher(matcher)?)
        }
        LabelFilter::Ip {
            name,
            negated,
            pattern,
        } => LabelFilterFn::Ip {
            name: name.clone(),
            negated: *negated,
            range: IpRange::parse(pattern)?,
        },
        LabelFilter::Duration { name, op, value_ns } => LabelFilterFn::Duration {
            name: name.clone(),
            op: *op,
            value_ns: *value_ns,
        },
        LabelFilter::Bytes { name, op, value } => LabelFilterFn::Bytes {
            name: name.clone(),
            op: *op,
            value: *value,
        },
        LabelFilter::Number { name, op, value } => LabelFilterFn::Number {
            name: name.clone(),
            op: *op,
            value: *value,
        },
        LabelFilter::And(left, right) => LabelFilterFn::And(
            Box::new(compile_label_filter(left)?),
            Box::new(compile_label_filter(right)?),
        ),
        LabelFilter::Or(left, right) => LabelFilterFn::Or(
            Box::new(compile_label_filter(left)?),
            Box::new(compile_label_filter(right)?),
        ),
    })
}

fn compare<T: PartialOrd>(op: CmpOp, left: T, right: T) -> bool {
    match op {
        CmpOp::Equal => left == right,
        CmpOp::NotEqual => left != right,
        CmpOp::Greater => left > right,
        CmpOp::GreaterEqual => left >= right,
        CmpOp::Less => left < right,
        CmpOp::LessEqual => left <= right,
    }
}

/// The value a filter on `name` reads: the label, or for `pattern_id` the entry's pattern id
/// (`None` when the entry has none: no filter on it matches).
fn value_of(labels: &EntryLabels<'_>, name: &str) -> Option<Option<String>> {
    if name == PATTERN_ID_LABEL {
        return labels.pattern_id.map(|id| Some(id.to_string()));
    }
    Some(labels.get(name).map(str::to_string))
}

/// A typed comparison of a label's text: its outcome, or why the text does not convert.
type Comparison<'a> = dyn Fn(&str) -> Result<bool, String> + 'a;

impl LabelFilterFn {
    /// Whether the entry passes. A value that does not convert (a number filter on `abc`)
    /// keeps the entry and marks it with `LabelFilterErr`, as Loki does.
    pub(crate) fn matches(&self, labels: &mut EntryLabels<'_>) -> bool {
        let (name, numeric): (&str, &Comparison<'_>) = match self {
            LabelFilterFn::And(left, right) => {
                return left.matches(labels) && right.matches(labels);
            }
            LabelFilterFn::Or(left, right) => return left.matches(labels) || right.matches(labels),
            LabelFilterFn::Matcher(matcher) => {
                return match value_of(labels, &matcher.name) {
                    None => false,
                    Some(value) => matcher.matches(value.as_deref().unwrap_or("")),
                };
            }
            LabelFilterFn::Ip {
                name,
                negated,
                range,
            } => {
                return match value_of(labels, name) {
                    Some(Some(value)) => {
                        value
                            .trim()
                            .parse::<IpAddr>()
                            .is_ok_and(|ip| range.contains(ip))
                            != *negated
                    }
                    _ => false,
                };
            }
            LabelFilterFn::Duration { name, op, value_ns } => (name, &move |v: &str| {
                parse_duration(v, DurationUnits::Go)
                    .map(|ns| compare(*op, ns, *value_ns))
                    .ok_or_else(|| format!("time: invalid duration \"{v}\""))
            }),
            LabelFilterFn::Bytes { name, op, value } => (name, &move |v: &str| {
                parse_bytes(v)
                    .map(|b| compare(*op, b, *value))
                    .ok_or_else(|| format!("strconv.ParseFloat: parsing \"{v}\": invalid syntax"))
            }),
            LabelFilterFn::Number { name, op, value } => (name, &move |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .map(|n| compare(*op, n, *value))
                    .map_err(|_| format!("strconv.ParseFloat: parsing \"{v}\": invalid syntax"))
            }),
        };
        let Some(Some(value)) = value_of(labels, name) else {
            return false;
        };
        match numeric(&value) {
            Ok(result) => result,
            Err(details) => {
                if !labels.has_error() {
                    labels.set_error("LabelFilterErr", details);
                }
                true
            }
        }
    }
}
