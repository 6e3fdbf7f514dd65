//! Canonical LogQL text of a syntax tree: what the parser reads back to the same tree (a
//! property test checks it). Binary operands that are themselves binary are parenthesised, and
//! so are `and`/`or` label filters nested where precedence needs it. One tree has no text of
//! its own, in Loki's grammar as here: `| drop a` followed by the line filter `!= "x"` prints as
//! `| drop a != "x"`, which reads as a `drop` with a matcher.

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::{
    BinModifier, BinOp, Cardinality, CmpOp, Conversion, Expr, Extraction, Grouping, LabelFilter,
    LabelFormat, LineFilter, LineFilterOp, LineFilterValue, LogExpr, LogRange, MatchOp, Matcher,
    MetricExpr, NamedMatcher, Stage, Unwrap,
};
use crate::units::format_duration;

/// `text` as a Go double-quoted string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let code = c as u32;
                if code <= 0xffff {
                    let _ = write!(out, "\\u{code:04x}");
                } else {
                    let _ = write!(out, "\\U{code:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Log(log) => log.fmt(f),
            Expr::Metric(metric) => metric.fmt(f),
        }
    }
}

impl Display for MatchOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        })
    }
}

impl Display for Matcher {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.name, self.op, quote(&self.value))
    }
}

impl Display for LogExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, matcher) in self.matchers.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            matcher.fmt(f)?;
        }
        f.write_str("}")?;
        for stage in &self.pipeline {
            write!(f, " {stage}")?;
        }
        Ok(())
    }
}

impl Display for LineFilterValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            LineFilterValue::Text(text) => f.write_str(&quote(text)),
            LineFilterValue::Ip(pattern) => write!(f, "ip({})", quote(pattern)),
        }
    }
}

impl Display for LineFilter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self.op {
            LineFilterOp::Contains => "|=",
            LineFilterOp::NotContains => "!=",
            LineFilterOp::Regex => "|~",
            LineFilterOp::NotRegex => "!~",
            LineFilterOp::Pattern => "|>",
            LineFilterOp::NotPattern => "!>",
        })?;
        for (i, value) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(" or")?;
            }
            write!(f, " {value}")?;
        }
        Ok(())
    }
}

fn write_extractions(f: &mut Formatter<'_>, extractions: &[Extraction]) -> fmt::Result {
    for (i, extraction) in extractions.iter().enumerate() {
        f.write_str(if i == 0 { " " } else { ", " })?;
        f.write_str(&extraction.name)?;
        if let Some(expression) = &extraction.expression {
            write!(f, "={}", quote(expression))?;
        }
    }
    Ok(())
}

fn write_named(f: &mut Formatter<'_>, matchers: &[NamedMatcher]) -> fmt::Result {
    for (i, matcher) in matchers.iter().enumerate() {
        f.write_str(if i == 0 { " " } else { ", " })?;
        match matcher {
            NamedMatcher::Name(name) => f.write_str(name)?,
            NamedMatcher::Matcher(matcher) => matcher.fmt(f)?,
        }
    }
    Ok(())
}

impl Display for Stage {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Stage::LineFilter(filter) => filter.fmt(f),
            Stage::Json(extractions) => {
                f.write_str("| json")?;
                write_extractions(f, extractions)
            }
            Stage::Logfmt {
                strict,
                keep_empty,
                extractions,
            } => {
                f.write_str("| logfmt")?;
                if *strict {
                    f.write_str(" --strict")?;
                }
                if *keep_empty {
                    f.write_str(" --keep-empty")?;
                }
                write_extractions(f, extractions)
            }
            Stage::Regexp(regex) => write!(f, "| regexp {}", quote(regex)),
            Stage::Pattern(pattern) => write!(f, "| pattern {}", quote(pattern)),
            Stage::Unpack => f.write_str("| unpack"),
            Stage::LabelFilter(filter) => write!(f, "| {filter}"),
            Stage::LineFormat(template) => write!(f, "| line_format {}", quote(template)),
            Stage::Decolorize => f.write_str("| decolorize"),
            Stage::LabelFormat(formats) => {
                f.write_str("| label_format")?;
                for (i, format) in formats.iter().enumerate() {
                    f.write_str(if i == 0 { " " } else { ", " })?;
                    match format {
                        LabelFormat::Rename { dst, src } => write!(f, "{dst}={src}")?,
                        LabelFormat::Template { dst, template } => {
                            write!(f, "{dst}={}", quote(template))?
                        }
                    }
                }
                Ok(())
            }
            Stage::Drop(matchers) => {
                f.write_str("| drop")?;
                write_named(f, matchers)
            }
            Stage::Keep(matchers) => {
                f.write_str("| keep")?;
                write_named(f, matchers)
            }
        }
    }
}

impl Display for CmpOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Equal => "==",
            CmpOp::NotEqual => "!=",
            CmpOp::Greater => ">",
            CmpOp::GreaterEqual => ">=",
            CmpOp::Less => "<",
            CmpOp::LessEqual => "<=",
        })
    }
}

impl Display for LabelFilter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            LabelFilter::Matcher(matcher) => matcher.fmt(f),
            LabelFilter::Ip {
                name,
                negated,
                pattern,
            } => write!(
                f,
                "{name}{}ip({})",
                if *negated { "!=" } else { "=" },
                quote(pattern)
            ),
            LabelFilter::Duration { name, op, value_ns } => {
                write!(f, "{name}{op}{}", format_duration(*value_ns))
            }
            LabelFilter::Bytes { name, op, value } => write!(f, "{name}{op}{value}B"),
            LabelFilter::Number { name, op, value } => write!(f, "{name}{op}{value}"),
            LabelFilter::And(left, right) => {
                // `or` binds looser than `and`; both associate to the left.
                let left_paren = matches!(**left, LabelFilter::Or(..));
                let right_paren = matches!(**right, LabelFilter::Or(..) | LabelFilter::And(..));
                write_operand(f, left, left_paren)?;
                f.write_str(" and ")?;
                write_operand(f, right, right_paren)
            }
            LabelFilter::Or(left, right) => {
                let right_paren = matches!(**right, LabelFilter::Or(..));
                write_operand(f, left, false)?;
                f.write_str(" or ")?;
                write_operand(f, right, right_paren)
            }
        }
    }
}

fn write_operand(f: &mut Formatter<'_>, filter: &LabelFilter, paren: bool) -> fmt::Result {
    if paren {
        write!(f, "({filter})")
    } else {
        filter.fmt(f)
    }
}

impl Display for Unwrap {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("| unwrap ")?;
        match self.conversion {
            None => f.write_str(&self.label)?,
            Some(conversion) => {
                let name = match conversion {
                    Conversion::Bytes => "bytes",
                    Conversion::Duration => "duration",
                    Conversion::DurationSeconds => "duration_seconds",
                };
                write!(f, "{name}({})", self.label)?;
            }
        }
        for filter in &self.post_filters {
            write!(f, " | {filter}")?;
        }
        Ok(())
    }
}

impl Display for LogRange {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.log.fmt(f)?;
        if let Some(unwrap) = &self.unwrap {
            write!(f, " {unwrap}")?;
        }
        write!(f, " [{}]", format_duration(self.range_ns))?;
        if self.offset_ns != 0 {
            write!(f, " offset {}", format_duration(self.offset_ns))?;
        }
        Ok(())
    }
}

impl Display for Grouping {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({})",
            if self.without { "without" } else { "by" },
            self.labels.join(", ")
        )
    }
}

impl Display for BinOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Unless => "unless",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
        })
    }
}

impl Display for BinModifier {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.return_bool {
            f.write_str(" bool")?;
        }
        if let Some((on, labels)) = &self.matching {
            write!(
                f,
                " {}({})",
                if *on { "on" } else { "ignoring" },
                labels.join(", ")
            )?;
            match self.card {
                Cardinality::OneToOne => {}
                Cardinality::ManyToOne => write!(f, " group_left({})", self.include.join(", "))?,
                Cardinality::OneToMany => write!(f, " group_right({})", self.include.join(", "))?,
            }
        }
        Ok(())
    }
}

fn write_binary_operand(f: &mut Formatter<'_>, expr: &MetricExpr) -> fmt::Result {
    match expr {
        MetricExpr::Binary { .. } => write!(f, "({expr})"),
        // `-1 ^ 2` would read as `-(1 ^ 2)` in PromQL; Loki reads a signed literal as one
        // token, but parentheses make the text unambiguous to any reader.
        MetricExpr::Literal(value) if value.is_sign_negative() => write!(f, "({expr})"),
        _ => expr.fmt(f),
    }
}

impl Display for MetricExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            MetricExpr::RangeAggregation {
                op,
                param,
                range,
                grouping,
            } => {
                write!(f, "{}(", op.name())?;
                if let Some(param) = param {
                    write!(f, "{param}, ")?;
                }
                write!(f, "{range})")?;
                if let Some(grouping) = grouping {
                    write!(f, " {grouping}")?;
                }
                Ok(())
            }
            MetricExpr::VectorAggregation {
                op,
                param,
                inner,
                grouping,
            } => {
                f.write_str(op.name())?;
                if let Some(grouping) = grouping {
                    write!(f, " {grouping} ")?;
                }
                f.write_str("(")?;
                if let Some(param) = param {
                    write!(f, "{param}, ")?;
                }
                write!(f, "{inner})")
            }
            MetricExpr::Binary {
                op,
                modifier,
                left,
                right,
            } => {
                write_binary_operand(f, left)?;
                write!(f, " {op}{modifier} ")?;
                write_binary_operand(f, right)
            }
            MetricExpr::Literal(value) => write!(f, "{value}"),
            MetricExpr::Vector(value) => write!(f, "vector({value})"),
            MetricExpr::LabelReplace {
                inner,
                dst,
                replacement,
                src,
                regex,
            } => write!(
                f,
                "label_replace({inner}, {}, {}, {}, {})",
                quote(dst),
                quote(replacement),
                quote(src),
                quote(regex)
            ),
        }
    }
}
