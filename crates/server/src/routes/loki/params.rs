//! The Loki API's parameters, read as Loki reads them: the query string and, for a POST, a form
//! body; times as Unix nanoseconds, Unix seconds (ten digits or fewer, or with a fraction) or
//! RFC 3339; `since` and `step` as Prometheus durations or seconds; `limit` and `direction` with
//! Loki's defaults and messages.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use telemetryhub_logql::Direction;

use crate::LokiError;
use crate::routes::prometheus::params::{PromParams, parse_duration_ns};

/// Loki's default query range: the hour before `end`.
const DEFAULT_SINCE_NS: i64 = 3_600_000_000_000;
/// Loki's default number of lines of a log query.
pub(crate) const DEFAULT_LIMIT: usize = 100;
/// Loki's cap on points per series of a range query.
const MAX_POINTS: i64 = 11_000;
const NS_PER_SECOND: i64 = 1_000_000_000;

/// The parameters of one Loki API request.
pub(crate) struct LokiParams(PromParams);

impl<S: Send + Sync> FromRequest<S> for LokiParams {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (method, headers, uri) = (
            request.method().clone(),
            request.headers().clone(),
            request.uri().clone(),
        );
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        PromParams::read(&method, &headers, &uri, &body)
            .map(LokiParams)
            .map_err(|e| LokiError::bad_request(e.message().to_string()).into_response())
    }
}

impl LokiParams {
    /// The first value of `name`, or `""`.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0.get(name)
    }

    /// Every value of `name`.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0.all(name)
    }

    /// The required `query`.
    pub(crate) fn query(&self) -> Result<&str, LokiError> {
        match self.get("query") {
            "" => Err(LokiError::bad_request("query parameter is required")),
            query => Ok(query),
        }
    }

    /// A time parameter, or `default_ns` when absent.
    pub(crate) fn time(&self, name: &str, default_ns: i64) -> Result<i64, LokiError> {
        parse_time(self.get(name), default_ns)
            .map_err(|e| LokiError::bad_request(format!("invalid {name}: {e}")))
    }

    /// `start` and `end` of a range: `end` defaults to now, `start` to `end` minus `since`
    /// (a duration, default one hour). `end` before `start` is refused.
    pub(crate) fn range(&self, now_ns: i64) -> Result<(i64, i64), LokiError> {
        let end = self.time("end", now_ns)?;
        let since = match self.get("since") {
            "" => DEFAULT_SINCE_NS,
            text => parse_duration_ns(text)
                .map_err(|e| LokiError::bad_request(format!("invalid since: {e}")))?,
        };
        let start = self.time("start", end.saturating_sub(since))?;
        if end < start {
            return Err(LokiError::bad_request(
                "end timestamp must not be before or equal to start time",
            ));
        }
        Ok((start, end))
    }

    /// `limit`: [`DEFAULT_LIMIT`] when absent; it must be positive and at most `max`.
    pub(crate) fn limit(&self, max: usize) -> Result<usize, LokiError> {
        let text = self.get("limit");
        if text.is_empty() {
            return Ok(DEFAULT_LIMIT.min(max));
        }
        let limit: i64 = text.parse().map_err(|_| {
            LokiError::bad_request(format!("invalid limit: {text:?} is not an integer"))
        })?;
        if limit <= 0 {
            return Err(LokiError::bad_request("limit must be a positive value"));
        }
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if limit > max {
            return Err(LokiError::bad_request(format!(
                "max entries limit per query exceeded, limit > max_entries_limit ({limit} > {max})"
            )));
        }
        Ok(limit)
    }

    /// `direction`: `backward` (the default) or `forward`, in any case.
    pub(crate) fn direction(&self) -> Result<Direction, LokiError> {
        match self.get("direction").to_ascii_lowercase().as_str() {
            "" | "backward" => Ok(Direction::Backward),
            "forward" => Ok(Direction::Forward),
            other => Err(LokiError::bad_request(format!(
                "invalid direction {other:?}: must be forward or backward"
            ))),
        }
    }

    /// A duration parameter (`step`, `interval`): seconds (a float) or a Prometheus duration;
    /// `None` when absent.
    pub(crate) fn duration(&self, name: &str) -> Result<Option<i64>, LokiError> {
        match self.get(name) {
            "" => Ok(None),
            text => parse_duration_ns(text)
                .map(Some)
                .map_err(|e| LokiError::bad_request(format!("invalid {name}: {e}"))),
        }
    }

    /// The step of a range query: the `step` parameter, or Loki's default (the range in 250
    /// steps, whole seconds, at least one); refused when not positive or when it would give
    /// more than 11,000 points.
    pub(crate) fn step(&self, start_ns: i64, end_ns: i64) -> Result<i64, LokiError> {
        let step = match self.duration("step")? {
            Some(step) => step,
            None => (end_ns.saturating_sub(start_ns) / NS_PER_SECOND / 250).max(1) * NS_PER_SECOND,
        };
        if step <= 0 {
            return Err(LokiError::bad_request(
                "zero or negative query resolution step widths are not accepted. Try a positive integer",
            ));
        }
        if end_ns.saturating_sub(start_ns) / step > MAX_POINTS {
            return Err(LokiError::bad_request(
                "exceeded maximum resolution of 11,000 points per timeseries. Try increasing the value of the step parameter",
            ));
        }
        Ok(step)
    }
}

/// A Loki time: nanoseconds (more than ten digits), seconds (ten digits or fewer), seconds with
/// a fraction, or RFC 3339; `default_ns` when empty.
pub(crate) fn parse_time(text: &str, default_ns: i64) -> Result<i64, String> {
    if text.is_empty() {
        return Ok(default_ns);
    }
    if text.contains('.')
        && let Ok(seconds) = text.parse::<f64>()
        && seconds.is_finite()
    {
        let whole = seconds.trunc();
        // Loki keeps the fraction to the millisecond.
        let fraction_ms = ((seconds - whole) * 1000.0).round();
        let ns = whole * 1e9 + fraction_ms * 1e6;
        if ns.abs() < 9.2e18 {
            return Ok(ns as i64);
        }
    }
    if let Ok(number) = text.parse::<i64>() {
        let digits = text.trim_start_matches('-').len();
        return Ok(if digits <= 10 {
            number.saturating_mul(NS_PER_SECOND)
        } else {
            number
        });
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .and_then(|time| time.timestamp_nanos_opt())
        .ok_or_else(|| format!("cannot parse {text:?} as a Unix time or RFC 3339"))
}

/// The tenant of a request (`X-Scope-OrgID`), refused as Loki refuses a bad one.
pub(crate) fn tenant(headers: &HeaderMap) -> Result<String, LokiError> {
    Ok(crate::params::tenant(headers)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_loki_reads_them() {
        assert_eq!(parse_time("", 7), Ok(7));
        assert_eq!(parse_time("1700000000", 0), Ok(1_700_000_000_000_000_000));
        assert_eq!(
            parse_time("1700000000000000000", 0),
            Ok(1_700_000_000_000_000_000)
        );
        assert_eq!(parse_time("1700000000.5", 0), Ok(1_700_000_000_500_000_000));
        assert_eq!(
            parse_time("2023-11-14T22:13:20.25Z", 0),
            Ok(1_700_000_000_250_000_000)
        );
        assert!(parse_time("yesterday", 0).is_err());
    }
}
