//! The checks Loki makes after parsing (its AST constructors' errors): selectors that select
//! something, regexes and patterns that compile, aggregations with the parameters, unwrap and
//! grouping they allow, `bool` only on comparisons, no set operations on scalars.

use crate::LogqlError;
use crate::ast::{Expr, LogExpr, MatchOp, Matcher, MetricExpr, RangeOp, VectorOp};

/// Checks a parsed query.
pub fn validate(expr: &Expr) -> Result<(), LogqlError> {
    match expr {
        Expr::Log(log) => validate_log(log),
        Expr::Metric(metric) => validate_metric(metric),
    }
}

fn invalid(message: impl Into<String>) -> LogqlError {
    LogqlError::Invalid(message.into())
}

/// Whether the matcher matches the empty value (and so every stream without the label).
fn matches_empty(matcher: &Matcher) -> Result<bool, LogqlError> {
    Ok(match matcher.op {
        MatchOp::Equal => matcher.value.is_empty(),
        MatchOp::NotEqual => !matcher.value.is_empty(),
        MatchOp::Regex | MatchOp::NotRegex => {
            let compiled = telemetryhub_model::SeriesMatcher::regex(
                &matcher.name,
                &matcher.value,
                matcher.op == MatchOp::NotRegex,
            )?;
            compiled.matches_empty()
        }
    })
}

fn validate_log(log: &LogExpr) -> Result<(), LogqlError> {
    let mut selects = false;
    for matcher in &log.matchers {
        if !matches_empty(matcher)? && matches!(matcher.op, MatchOp::Equal | MatchOp::Regex) {
            selects = true;
        }
    }
    if !selects {
        return Err(invalid(
            "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will",
        ));
    }
    crate::pipeline::Pipeline::compile(&log.pipeline)?;
    Ok(())
}

fn validate_metric(expr: &MetricExpr) -> Result<(), LogqlError> {
    match expr {
        MetricExpr::RangeAggregation {
            op,
            param,
            range,
            grouping,
        } => {
            validate_log(&range.log)?;
            if range.range_ns <= 0 {
                return Err(invalid("invalid range: it must be greater than 0"));
            }
            if grouping.is_some()
                && !matches!(
                    op,
                    RangeOp::AvgOverTime
                        | RangeOp::StddevOverTime
                        | RangeOp::StdvarOverTime
                        | RangeOp::QuantileOverTime
                        | RangeOp::MaxOverTime
                        | RangeOp::MinOverTime
                        | RangeOp::FirstOverTime
                        | RangeOp::LastOverTime
                )
            {
                return Err(invalid(format!(
                    "grouping not allowed for {} aggregation",
                    op.name()
                )));
            }
            let with_unwrap = matches!(
                op,
                RangeOp::AvgOverTime
                    | RangeOp::SumOverTime
                    | RangeOp::MaxOverTime
                    | RangeOp::MinOverTime
                    | RangeOp::StddevOverTime
                    | RangeOp::StdvarOverTime
                    | RangeOp::QuantileOverTime
                    | RangeOp::Rate
                    | RangeOp::RateCounter
                    | RangeOp::AbsentOverTime
                    | RangeOp::FirstOverTime
                    | RangeOp::LastOverTime
            );
            let without_unwrap = matches!(
                op,
                RangeOp::BytesOverTime
                    | RangeOp::BytesRate
                    | RangeOp::CountOverTime
                    | RangeOp::Rate
                    | RangeOp::AbsentOverTime
            );
            match &range.unwrap {
                Some(unwrap) => {
                    if !with_unwrap {
                        return Err(invalid(format!(
                            "invalid aggregation {} with unwrap",
                            op.name()
                        )));
                    }
                    for filter in &unwrap.post_filters {
                        crate::pipeline::compile_label_filter(filter)?;
                    }
                }
                None if !without_unwrap => {
                    return Err(invalid(format!(
                        "invalid aggregation {} without unwrap",
                        op.name()
                    )));
                }
                None => {}
            }
            match (op, param) {
                (RangeOp::QuantileOverTime, None) => Err(invalid(
                    "parameter required for operation quantile_over_time",
                )),
                (RangeOp::QuantileOverTime, Some(_)) | (_, None) => Ok(()),
                (op, Some(param)) => Err(invalid(format!(
                    "unsupported parameter for operation {}({param},",
                    op.name()
                ))),
            }
        }
        MetricExpr::VectorAggregation {
            op, param, inner, ..
        } => {
            match (op, param) {
                (VectorOp::Topk | VectorOp::Bottomk, None) => {
                    return Err(invalid(format!(
                        "parameter required for operation {}",
                        op.name()
                    )));
                }
                (VectorOp::Topk | VectorOp::Bottomk, Some(k)) if *k <= 0 => {
                    return Err(invalid(format!(
                        "invalid parameter (must be greater than 0) {}({k}",
                        op.name()
                    )));
                }
                (VectorOp::Topk | VectorOp::Bottomk, Some(_)) | (_, None) => {}
                (op, Some(param)) => {
                    return Err(invalid(format!(
                        "unsupported parameter for operation {}({param},",
                        op.name()
                    )));
                }
            }
            validate_metric(inner)
        }
        MetricExpr::Binary {
            op,
            modifier,
            left,
            right,
        } => {
            if modifier.return_bool && !op.is_comparison() {
                return Err(invalid(
                    "bool modifier can only be used on comparison operators",
                ));
            }
            let left_scalar = matches!(**left, MetricExpr::Literal(_));
            let right_scalar = matches!(**right, MetricExpr::Literal(_));
            if op.is_set() {
                if left_scalar {
                    return Err(invalid(format!(
                        "unexpected literal for left leg of logical/set binary operation ({op}): {left}"
                    )));
                }
                if right_scalar {
                    return Err(invalid(format!(
                        "unexpected literal for right leg of logical/set binary operation ({op}): {right}"
                    )));
                }
            }
            if op.is_comparison() && left_scalar && right_scalar && !modifier.return_bool {
                return Err(invalid(
                    "comparisons between scalars must use BOOL modifier",
                ));
            }
            if modifier.matching.is_some() && (left_scalar || right_scalar) {
                return Err(invalid("vector matching only allowed between vectors"));
            }
            validate_metric(left)?;
            validate_metric(right)
        }
        MetricExpr::Literal(_) | MetricExpr::Vector(_) => Ok(()),
        MetricExpr::LabelReplace {
            inner, dst, regex, ..
        } => {
            telemetryhub_model::SeriesMatcher::regex("", regex, false)?;
            if !crate::ast::is_label_name(dst) {
                return Err(invalid(format!(
                    "invalid destination label name in label_replace(): {dst}"
                )));
            }
            validate_metric(inner)
        }
    }
}
