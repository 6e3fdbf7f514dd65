//! The Prometheus API's parameters, read as Prometheus reads them: from the query string and,
//! for a POST, an `application/x-www-form-urlencoded` body (body values first, as Go's
//! `Request.Form`); times as Unix seconds (a float, rounded to the millisecond) or RFC 3339;
//! durations as seconds (a float) or Prometheus durations (`1m30s`); errors worded as
//! Prometheus words them.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::PrometheusError;

/// The earliest and latest times Prometheus' clients send for "unbounded" (Prometheus'
/// `minTimeFormatted` and `maxTimeFormatted`), which Go's RFC 3339 parser cannot read.
const MIN_TIME_TEXT: &str = "-292273086-05-16T16:47:06Z";
const MAX_TIME_TEXT: &str = "292277025-08-18T07:12:54.999999999Z";

/// The earliest and latest times, ms since the Unix epoch (Prometheus' `MinTime`, `MaxTime`).
pub(crate) const MIN_TIME_MS: i64 = i64::MIN / 1000;
pub(crate) const MAX_TIME_MS: i64 = i64::MAX / 1000;

/// The parameters of one request, in Go's `Request.Form` order (names may repeat).
pub(crate) struct PromParams(Vec<(String, String)>);

/// A handler's Prometheus parameters, read from its request (see [`PromParams::read`]). A body
/// that cannot be read is refused as the body extractor refuses it.
impl<S: Send + Sync> FromRequest<S> for PromParams {
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
        PromParams::read(&method, &headers, &uri, &body).map_err(IntoResponse::into_response)
    }
}

impl PromParams {
    /// The parameters of a request: a form body (POST), then the query string.
    pub(crate) fn read(
        method: &Method,
        headers: &HeaderMap,
        uri: &Uri,
        body: &Bytes,
    ) -> Result<PromParams, PrometheusError> {
        let bad_form = |e: serde_urlencoded::de::Error| {
            PrometheusError::bad_data(format!("error parsing form values: {e}"))
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let is_form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if (method == Method::POST || method == Method::PUT) && is_form {
            pairs.extend(
                serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).map_err(bad_form)?,
            );
        }
        if let Some(query) = uri.query() {
            pairs.extend(
                serde_urlencoded::from_str::<Vec<(String, String)>>(query).map_err(bad_form)?,
            );
        }
        Ok(PromParams(pairs))
    }

    /// The first value of `name`, or `""` (Go's `FormValue`).
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// A required time (`start`, `end` of a range query): Prometheus' `parseTime`.
    pub(crate) fn time(&self, name: &str) -> Result<i64, PrometheusError> {
        parse_time(self.get(name)).map_err(|e| PrometheusError::invalid_param(name, e))
    }

    /// An optional time with a default (`parseTimeParam`).
    pub(crate) fn time_or(&self, name: &str, default_ms: i64) -> Result<i64, PrometheusError> {
        let text = self.get(name);
        if text.is_empty() {
            return Ok(default_ms);
        }
        parse_time(text).map_err(|e| {
            PrometheusError::invalid_param(name, format!("invalid time value for '{name}': {e}"))
        })
    }

    /// A duration, ns: Prometheus' `parseDuration`.
    pub(crate) fn duration_ns(&self, name: &str) -> Result<i64, PrometheusError> {
        parse_duration_ns(self.get(name)).map_err(|e| PrometheusError::invalid_param(name, e))
    }

    /// `limit`: none when absent or 0 (Prometheus' `parseLimitParam`).
    pub(crate) fn limit(&self) -> Result<Option<usize>, PrometheusError> {
        let text = self.get("limit");
        if text.is_empty() {
            return Ok(None);
        }
        let limit: i64 = text.parse().map_err(|_| {
            PrometheusError::invalid_param(
                "limit",
                format!("strconv.Atoi: parsing {text:?}: invalid syntax"),
            )
        })?;
        match limit {
            ..0 => Err(PrometheusError::invalid_param(
                "limit",
                "limit must be non-negative",
            )),
            0 => Ok(None),
            n => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        }
    }
}

/// A time as Prometheus reads it, ms since the Unix epoch: Unix seconds (fraction rounded to
/// the millisecond) or RFC 3339 (sub-millisecond digits dropped).
pub(crate) fn parse_time(text: &str) -> Result<i64, String> {
    if let Ok(seconds) = text.parse::<f64>()
        && seconds.is_finite()
    {
        let whole = seconds.trunc();
        let millis = ((seconds - whole) * 1000.0).round();
        let ms = whole * 1000.0 + millis;
        if ms.abs() < 9.2e18 {
            return Ok(ms as i64);
        }
    }
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(time.timestamp_millis());
    }
    match text {
        MIN_TIME_TEXT => Ok(MIN_TIME_MS),
        MAX_TIME_TEXT => Ok(MAX_TIME_MS),
        _ => Err(format!("cannot parse {text:?} to a valid timestamp")),
    }
}

/// A duration as Prometheus reads it, ns: seconds (a float) or a Prometheus duration such as
/// `1m30s` (units `y`, `w`, `d`, `h`, `m`, `s`, `ms`, each at most once, largest first).
pub(crate) fn parse_duration_ns(text: &str) -> Result<i64, String> {
    if let Ok(seconds) = text.parse::<f64>()
        && !seconds.is_nan()
    {
        let ns = seconds * 1e9;
        if !(-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&ns) {
            return Err(format!(
                "cannot parse {text:?} to a valid duration. It overflows int64"
            ));
        }
        return Ok(ns as i64);
    }
    prometheus_duration_ms(text)
        .and_then(|ms| ms.checked_mul(1_000_000))
        .ok_or_else(|| format!("cannot parse {text:?} to a valid duration"))
}

/// A Prometheus duration (`model.ParseDuration`) in ms; `None` when invalid.
fn prometheus_duration_ms(text: &str) -> Option<i64> {
    if text == "0" {
        return Some(0);
    }
    const UNITS: [(&str, i64); 7] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ];
    if text.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut next_unit = 0;
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let at = UNITS[next_unit..]
            .iter()
            .position(|(name, _)| *name == unit)?
            + next_unit;
        total = total.checked_add(number.checked_mul(UNITS[at].1)?)?;
        next_unit = at + 1;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_prometheus_reads_them() {
        assert_eq!(parse_time("1435781451.781"), Ok(1_435_781_451_781));
        assert_eq!(parse_time("1435781451"), Ok(1_435_781_451_000));
        assert_eq!(parse_time("1.0004"), Ok(1000));
        assert_eq!(
            parse_time("2015-07-01T20:10:51.781Z"),
            Ok(1_435_781_451_781)
        );
        assert_eq!(
            parse_time("2015-07-01T22:10:51+02:00"),
            Ok(1_435_781_451_000)
        );
        assert_eq!(parse_time(MAX_TIME_TEXT), Ok(MAX_TIME_MS));
        assert_eq!(
            parse_time("yesterday"),
            Err("cannot parse \"yesterday\" to a valid timestamp".to_string())
        );
        assert!(parse_time("").is_err());
    }

    #[test]
    fn durations_are_read_as_prometheus_reads_them() {
        assert_eq!(parse_duration_ns("15"), Ok(15_000_000_000));
        assert_eq!(parse_duration_ns("0.5"), Ok(500_000_000));
        assert_eq!(parse_duration_ns("15s"), Ok(15_000_000_000));
        assert_eq!(parse_duration_ns("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration_ns("1h5ms"), Ok(3_600_005_000_000));
        assert_eq!(parse_duration_ns("2w1d"), Ok(15 * 86_400_000_000_000));
        assert_eq!(parse_duration_ns("-10"), Ok(-10_000_000_000));
        assert!(parse_duration_ns("30s1m").is_err(), "units largest first");
        assert!(parse_duration_ns("1.5m").is_err());
        assert!(parse_duration_ns("").is_err());
        assert!(
            parse_duration_ns("1e300")
                .unwrap_err()
                .contains("overflows")
        );
    }
}
