//! LogQL's syntax tree, as the parser builds it and `Display` prints it back (canonical LogQL
//! that parses to the same tree). Regexes and templates are kept as text here; they are
//! compiled when a query is planned, so the tree stays comparable and printable.

/// A whole query: a log query (streams) or a metric query (samples).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A stream selector with its pipeline: answers with log lines.
    Log(LogExpr),
    /// An expression over samples: answers with a vector, a matrix or a scalar.
    Metric(MetricExpr),
}

/// A stream selector and the pipeline its lines go through.
#[derive(Debug, Clone, PartialEq)]
pub struct LogExpr {
    /// The stream selector's matchers (`{app="api", env=~"prod|dev"}`), possibly empty.
    pub matchers: Vec<Matcher>,
    /// The stages, in order.
    pub pipeline: Vec<Stage>,
}

/// How a [`Matcher`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`, anchored at both ends.
    Regex,
    /// `!~`, anchored at both ends.
    NotRegex,
}

/// A label matcher, as in a stream selector or a string label filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    /// The label name.
    pub name: String,
    /// The comparison.
    pub op: MatchOp,
    /// The value or regex.
    pub value: String,
}

/// One pipeline stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// `|= "x"`, `!~ "re"`, `|> "<_> pattern"`, … with `or` alternatives.
    LineFilter(LineFilter),
    /// `| json` (every field) or `| json a="path.to", b` (the fields named).
    Json(Vec<Extraction>),
    /// `| logfmt [--strict] [--keep-empty] [extractions]`.
    Logfmt {
        /// `--strict`: a malformed line is an error instead of being parsed as far as it goes.
        strict: bool,
        /// `--keep-empty`: standalone keys are kept with an empty value.
        keep_empty: bool,
        /// The fields named, or every field when empty.
        extractions: Vec<Extraction>,
    },
    /// `| regexp "(?P<name>…)"`.
    Regexp(String),
    /// `| pattern "<ip> - <_> <status>"`.
    Pattern(String),
    /// `| unpack`: a JSON object's fields become labels, `_entry` becomes the line.
    Unpack,
    /// `| <label filter>`.
    LabelFilter(LabelFilter),
    /// `| line_format "{{.a}}"`.
    LineFormat(String),
    /// `| decolorize`: ANSI colour sequences removed from the line.
    Decolorize,
    /// `| label_format a=b, c="{{.x}}"`.
    LabelFormat(Vec<LabelFormat>),
    /// `| drop a, b="c"`.
    Drop(Vec<NamedMatcher>),
    /// `| keep a, b="c"`.
    Keep(Vec<NamedMatcher>),
}

/// The comparison of a line filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFilterOp {
    /// `|=`: the line contains the text.
    Contains,
    /// `!=`: the line does not contain the text.
    NotContains,
    /// `|~`: the regex matches somewhere in the line.
    Regex,
    /// `!~`: the regex matches nowhere in the line.
    NotRegex,
    /// `|>`: the line matches the pattern.
    Pattern,
    /// `!>`: the line does not match the pattern.
    NotPattern,
}

/// The operand of a line filter.
#[derive(Debug, Clone, PartialEq)]
pub enum LineFilterValue {
    /// A string (text, regex or pattern, by the operator).
    Text(String),
    /// `ip("192.168.0.0/16")`: the line holds an address in the range.
    Ip(String),
}

/// A line filter: an operator and one or more operands joined by `or`.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFilter {
    /// The operator; the `or` alternatives share it.
    pub op: LineFilterOp,
    /// The operands: a positive filter passes a line any of them matches, a negative filter
    /// one none of them matches (Loki's reading of `!= "a" or "b"`).
    pub values: Vec<LineFilterValue>,
}

/// A field a parser extracts: `name="expression"`, or `name` for the field of that name.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The label it becomes.
    pub name: String,
    /// The JSON path (`a.b[0]`) or logfmt key; `None` when written as a bare identifier.
    pub expression: Option<String>,
}

/// Comparison of numeric, duration and bytes label filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==` or `=`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterEqual,
    /// `<`.
    Less,
    /// `<=`.
    LessEqual,
}

/// A label filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelFilter {
    /// A string comparison `a="b"`, `a=~"re"`.
    Matcher(Matcher),
    /// `a = ip("10.0.0.0/8")` (or `!=`).
    Ip {
        /// The label.
        name: String,
        /// `!=` instead of `=`.
        negated: bool,
        /// The address, range or CIDR.
        pattern: String,
    },
    /// A duration comparison `a > 250ms` (the label's value parsed as a Go duration).
    Duration {
        /// The label.
        name: String,
        /// The comparison.
        op: CmpOp,
        /// Nanoseconds.
        value_ns: i64,
    },
    /// A bytes comparison `a > 20MB` (the label's value parsed as a size).
    Bytes {
        /// The label.
        name: String,
        /// The comparison.
        op: CmpOp,
        /// Bytes.
        value: u64,
    },
    /// A numeric comparison `a >= 1.5`.
    Number {
        /// The label.
        name: String,
        /// The comparison.
        op: CmpOp,
        /// The number.
        value: f64,
    },
    /// Both (`and`, `,` or juxtaposition).
    And(Box<LabelFilter>, Box<LabelFilter>),
    /// Either (`or`).
    Or(Box<LabelFilter>, Box<LabelFilter>),
}

/// One assignment of `label_format`.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelFormat {
    /// `dst=src`: renames `src` to `dst`.
    Rename {
        /// The new name.
        dst: String,
        /// The label renamed.
        src: String,
    },
    /// `dst="{{…}}"`: sets `dst` to the rendered template.
    Template {
        /// The label set.
        dst: String,
        /// The template text.
        template: String,
    },
}

/// An operand of `drop`/`keep`: a label name, or a matcher that must also match its value.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedMatcher {
    /// Every label of this name.
    Name(String),
    /// The label when the matcher matches its value.
    Matcher(Matcher),
}

/// A conversion of `unwrap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `bytes(label)`: sizes such as `5 MB`.
    Bytes,
    /// `duration(label)`: Go durations, in seconds.
    Duration,
    /// `duration_seconds(label)`: the same as `duration`.
    DurationSeconds,
}

/// `| unwrap [conversion(]label[)]` and the label filters after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap {
    /// The label whose value becomes the sample.
    pub label: String,
    /// How the value is read (a float when `None`).
    pub conversion: Option<Conversion>,
    /// Label filters applied after the value is read (`| __error__=""`).
    pub post_filters: Vec<LabelFilter>,
}

/// A log range: a selector with its pipeline over a time window.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRange {
    /// The selector and pipeline.
    pub log: LogExpr,
    /// The window, nanoseconds.
    pub range_ns: i64,
    /// The offset, nanoseconds (0 without `offset`).
    pub offset_ns: i64,
    /// The unwrapped label, for aggregations over values.
    pub unwrap: Option<Unwrap>,
}

/// Range aggregations: what a window of lines (or unwrapped values) becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeOp {
    /// `count_over_time`
    CountOverTime,
    /// `rate`
    Rate,
    /// `rate_counter`
    RateCounter,
    /// `bytes_over_time`
    BytesOverTime,
    /// `bytes_rate`
    BytesRate,
    /// `avg_over_time`
    AvgOverTime,
    /// `sum_over_time`
    SumOverTime,
    /// `min_over_time`
    MinOverTime,
    /// `max_over_time`
    MaxOverTime,
    /// `stdvar_over_time`
    StdvarOverTime,
    /// `stddev_over_time`
    StddevOverTime,
    /// `quantile_over_time`
    QuantileOverTime,
    /// `first_over_time`
    FirstOverTime,
    /// `last_over_time`
    LastOverTime,
    /// `absent_over_time`
    AbsentOverTime,
}

/// Vector aggregations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorOp {
    /// `sum`
    Sum,
    /// `avg`
    Avg,
    /// `count`
    Count,
    /// `max`
    Max,
    /// `min`
    Min,
    /// `stddev`
    Stddev,
    /// `stdvar`
    Stdvar,
    /// `bottomk`
    Bottomk,
    /// `topk`
    Topk,
    /// `sort`
    Sort,
    /// `sort_desc`
    SortDesc,
}

/// `by (…)` or `without (…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// `without` instead of `by`.
    pub without: bool,
    /// The labels, as written.
    pub labels: Vec<String>,
}

/// Binary operators, by increasing precedence within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `unless`
    Unless,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

impl BinOp {
    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And | BinOp::Unless => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Gt | BinOp::Ge | BinOp::Lt | BinOp::Le => 3,
            BinOp::Add | BinOp::Sub => 4,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 5,
            BinOp::Pow => 6,
        }
    }

    /// Whether this is a comparison (`==`, `>`, …), which filters unless `bool` is given.
    pub fn is_comparison(self) -> bool {
        self.precedence() == 3
    }

    /// Whether this is a set operator (`and`, `or`, `unless`).
    pub fn is_set(self) -> bool {
        matches!(self, BinOp::Or | BinOp::And | BinOp::Unless)
    }
}

/// Which side of a match may have many series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// One to one.
    OneToOne,
    /// `group_left`: many on the left.
    ManyToOne,
    /// `group_right`: many on the right.
    OneToMany,
}

/// The modifiers of a binary operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinModifier {
    /// `bool`: comparisons give 0/1 instead of filtering.
    pub return_bool: bool,
    /// `on(…)` (`Some((true, labels))`) or `ignoring(…)` (`Some((false, labels))`).
    pub matching: Option<(bool, Vec<String>)>,
    /// `group_left`/`group_right`.
    pub card: Cardinality,
    /// The labels copied from the "one" side by `group_left(…)`/`group_right(…)`.
    pub include: Vec<String>,
}

impl Default for BinModifier {
    fn default() -> Self {
        BinModifier {
            return_bool: false,
            matching: None,
            card: Cardinality::OneToOne,
            include: Vec::new(),
        }
    }
}

/// An expression over samples.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricExpr {
    /// `rate({…}[5m])` and the other range aggregations.
    RangeAggregation {
        /// The aggregation.
        op: RangeOp,
        /// `quantile_over_time`'s φ.
        param: Option<f64>,
        /// The log range.
        range: LogRange,
        /// `by`/`without` (allowed on the value aggregations only).
        grouping: Option<Grouping>,
    },
    /// `sum by (a) (…)` and the other vector aggregations.
    VectorAggregation {
        /// The aggregation.
        op: VectorOp,
        /// `topk`/`bottomk`'s k.
        param: Option<i64>,
        /// The aggregated expression.
        inner: Box<MetricExpr>,
        /// `by`/`without`; none reads as `by ()`.
        grouping: Option<Grouping>,
    },
    /// `a + b`, `a > bool 1`, `a and on(x) b`.
    Binary {
        /// The operator.
        op: BinOp,
        /// Its modifiers.
        modifier: BinModifier,
        /// Left operand.
        left: Box<MetricExpr>,
        /// Right operand.
        right: Box<MetricExpr>,
    },
    /// A number: a scalar.
    Literal(f64),
    /// `vector(1)`: a one-sample vector without labels.
    Vector(f64),
    /// `label_replace(expr, "dst", "replacement", "src", "regex")`.
    LabelReplace {
        /// The expression.
        inner: Box<MetricExpr>,
        /// The label set.
        dst: String,
        /// The replacement, with `$1` references.
        replacement: String,
        /// The label read.
        src: String,
        /// The regex, anchored.
        regex: String,
    },
}

impl RangeOp {
    /// The function's name in LogQL.
    pub fn name(self) -> &'static str {
        match self {
            RangeOp::CountOverTime => "count_over_time",
            RangeOp::Rate => "rate",
            RangeOp::RateCounter => "rate_counter",
            RangeOp::BytesOverTime => "bytes_over_time",
            RangeOp::BytesRate => "bytes_rate",
            RangeOp::AvgOverTime => "avg_over_time",
            RangeOp::SumOverTime => "sum_over_time",
            RangeOp::MinOverTime => "min_over_time",
            RangeOp::MaxOverTime => "max_over_time",
            RangeOp::StdvarOverTime => "stdvar_over_time",
            RangeOp::StddevOverTime => "stddev_over_time",
            RangeOp::QuantileOverTime => "quantile_over_time",
            RangeOp::FirstOverTime => "first_over_time",
            RangeOp::LastOverTime => "last_over_time",
            RangeOp::AbsentOverTime => "absent_over_time",
        }
    }

    /// Every range aggregation.
    pub const ALL: [RangeOp; 15] = [
        RangeOp::CountOverTime,
        RangeOp::Rate,
        RangeOp::RateCounter,
        RangeOp::BytesOverTime,
        RangeOp::BytesRate,
        RangeOp::AvgOverTime,
        RangeOp::SumOverTime,
        RangeOp::MinOverTime,
        RangeOp::MaxOverTime,
        RangeOp::StdvarOverTime,
        RangeOp::StddevOverTime,
        RangeOp::QuantileOverTime,
        RangeOp::FirstOverTime,
        RangeOp::LastOverTime,
        RangeOp::AbsentOverTime,
    ];
}

impl VectorOp {
    /// The aggregation's name in LogQL.
    pub fn name(self) -> &'static str {
        match self {
            VectorOp::Sum => "sum",
            VectorOp::Avg => "avg",
            VectorOp::Count => "count",
            VectorOp::Max => "max",
            VectorOp::Min => "min",
            VectorOp::Stddev => "stddev",
            VectorOp::Stdvar => "stdvar",
            VectorOp::Bottomk => "bottomk",
            VectorOp::Topk => "topk",
            VectorOp::Sort => "sort",
            VectorOp::SortDesc => "sort_desc",
        }
    }

    /// Every vector aggregation.
    pub const ALL: [VectorOp; 11] = [
        VectorOp::Sum,
        VectorOp::Avg,
        VectorOp::Count,
        VectorOp::Max,
        VectorOp::Min,
        VectorOp::Stddev,
        VectorOp::Stdvar,
        VectorOp::Bottomk,
        VectorOp::Topk,
        VectorOp::Sort,
        VectorOp::SortDesc,
    ];
}

impl Expr {
    /// Every stream selector's matchers in the query, in the order written.
    pub fn selector_matchers(&self) -> Vec<&[Matcher]> {
        match self {
            Expr::Log(log) => vec![&log.matchers],
            Expr::Metric(metric) => {
                let mut out = Vec::new();
                metric.collect_selectors(&mut out);
                out
            }
        }
    }
}

impl MetricExpr {
    fn collect_selectors<'a>(&'a self, out: &mut Vec<&'a [Matcher]>) {
        match self {
            MetricExpr::RangeAggregation { range, .. } => out.push(&range.log.matchers),
            MetricExpr::VectorAggregation { inner, .. }
            | MetricExpr::LabelReplace { inner, .. } => inner.collect_selectors(out),
            MetricExpr::Binary { left, right, .. } => {
                left.collect_selectors(out);
                right.collect_selectors(out);
            }
            MetricExpr::Literal(_) | MetricExpr::Vector(_) => {}
        }
    }
}

/// Whether `name` is a valid Prometheus label name.
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A selector's matcher as the model's [`telemetryhub_model::SeriesMatcher`] (regexes
/// anchored).
pub fn series_matcher(
    matcher: &Matcher,
) -> Result<telemetryhub_model::SeriesMatcher, crate::LogqlError> {
    Ok(match matcher.op {
        MatchOp::Equal => telemetryhub_model::SeriesMatcher {
            name: matcher.name.clone(),
            op: telemetryhub_model::SeriesMatchOp::Equal(matcher.value.clone()),
        },
        MatchOp::NotEqual => telemetryhub_model::SeriesMatcher {
            name: matcher.name.clone(),
            op: telemetryhub_model::SeriesMatchOp::NotEqual(matcher.value.clone()),
        },
        MatchOp::Regex | MatchOp::NotRegex => telemetryhub_model::SeriesMatcher::regex(
            &matcher.name,
            &matcher.value,
            matcher.op == MatchOp::NotRegex,
        )?,
    })
}
