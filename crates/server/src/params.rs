//! Query-string parameters, parsed with errors that name the parameter.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::HeaderMap;
use telemetryhub_model::{DEFAULT_TENANT, now_ns, parse_time_param};

use crate::ApiError;

/// The parameters of one request, in order (names may repeat).
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn from_query(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Params, ApiError> {
        let Query(pairs) =
            query.map_err(|e| ApiError::invalid("query", format!("invalid query string: {e}")))?;
        Ok(Params(pairs))
    }

    /// The last non-empty value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every non-empty value of `name`.
    pub(crate) fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A time bound: RFC 3339, Unix time, or relative (`15m`), defaulting to `default`.
    pub(crate) fn time(&self, name: &str, now: i64, default: i64) -> Result<i64, ApiError> {
        Ok(self.optional_time(name, now)?.unwrap_or(default))
    }

    /// A time bound as [`Params::time`] reads it, if given.
    pub(crate) fn optional_time(&self, name: &str, now: i64) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|text| {
                parse_time_param(text, now).map_err(|e| ApiError::invalid(name, e.to_string()))
            })
            .transpose()
    }

    /// `since` and `until`, defaulting to all time; `since` must be before `until`.
    pub(crate) fn range(&self) -> Result<(i64, i64), ApiError> {
        let now = now_ns();
        let since = self.time("since", now, 0)?;
        let until = self.time("until", now, i64::MAX)?;
        if since >= until {
            return Err(ApiError::invalid(
                "since",
                "since must be earlier than until",
            ));
        }
        Ok((since, until))
    }

    pub(crate) fn limit(&self, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(default),
            Some(text) => match text.parse::<usize>() {
                Ok(limit) if (1..=max).contains(&limit) => Ok(limit),
                _ => Err(ApiError::invalid(
                    "limit",
                    format!("limit must be an integer from 1 to {max}, got {text:?}"),
                )),
            },
        }
    }

    pub(crate) fn u64(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|text| {
                text.parse::<u64>().map_err(|_| {
                    ApiError::invalid(
                        name,
                        format!("{name} must be a non-negative integer, got {text:?}"),
                    )
                })
            })
            .transpose()
    }

    /// A duration such as `250ms` or `1.5s` (Go's and Jaeger's forms), in ns.
    pub(crate) fn duration(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|text| {
                telemetryhub_model::parse_duration(text)
                    .map_err(|e| ApiError::invalid(name, e.to_string()))
            })
            .transpose()
    }

    pub(crate) fn f64(&self, name: &str, default: f64) -> Result<f64, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    ApiError::invalid(
                        name,
                        format!("{name} must be a finite number, got {text:?}"),
                    )
                }),
        }
    }
}

/// The tenant named by `X-Scope-OrgID` (Loki and Mimir's header), or the default tenant.
pub(crate) fn tenant(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get("x-scope-orgid") else {
        return Ok(DEFAULT_TENANT.to_string());
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::invalid("X-Scope-OrgID", "X-Scope-OrgID must be visible ASCII"))?
        .trim();
    let valid = !text.is_empty()
        && text.len() <= 128
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if !valid {
        return Err(ApiError::invalid(
            "X-Scope-OrgID",
            "X-Scope-OrgID must be 1 to 128 characters of [A-Za-z0-9_.-]",
        ));
    }
    Ok(text.to_string())
}
