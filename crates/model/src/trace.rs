//! Spans (the parts of a distributed trace) and queries over them.

use std::fmt;
use std::str::FromStr;

/// What role a span plays in a call, as OpenTelemetry's `SpanKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpanKind {
    /// The sender gave no kind.
    Unspecified,
    /// An operation inside one service.
    Internal,
    /// The server side of a synchronous call.
    Server,
    /// The client side of a synchronous call.
    Client,
    /// The sender of an asynchronous message.
    Producer,
    /// The receiver of an asynchronous message.
    Consumer,
}

impl SpanKind {
    /// Every kind, in OpenTelemetry's numbering order.
    pub const ALL: [SpanKind; 6] = [
        SpanKind::Unspecified,
        SpanKind::Internal,
        SpanKind::Server,
        SpanKind::Client,
        SpanKind::Producer,
        SpanKind::Consumer,
    ];

    /// The lower-case name stored and returned by the API (Jaeger's `span.kind` values).
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Unspecified => "unspecified",
            SpanKind::Internal => "internal",
            SpanKind::Server => "server",
            SpanKind::Client => "client",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
        }
    }

    /// The kind of an OTLP `SpanKind` number; unknown numbers are `Unspecified`.
    pub fn from_otlp(number: i32) -> SpanKind {
        usize::try_from(number)
            .ok()
            .and_then(|n| SpanKind::ALL.get(n).copied())
            .unwrap_or(SpanKind::Unspecified)
    }
}

impl FromStr for SpanKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let lower = text.trim().to_ascii_lowercase();
        let name = lower.strip_prefix("span_kind_").unwrap_or(&lower);
        SpanKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown span kind {text:?}: expected one of unspecified, internal, server, client, producer, consumer"
                )
            })
    }
}

impl fmt::Display for SpanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a span ended, as OpenTelemetry's status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanStatus {
    /// No status was set (the default: neither a success nor a failure was recorded).
    Unset,
    /// The operation was marked as successful.
    Ok,
    /// The operation failed.
    Error,
}

impl SpanStatus {
    /// Every status, in OpenTelemetry's numbering order.
    pub const ALL: [SpanStatus; 3] = [SpanStatus::Unset, SpanStatus::Ok, SpanStatus::Error];

    /// The lower-case name stored and returned by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            SpanStatus::Unset => "unset",
            SpanStatus::Ok => "ok",
            SpanStatus::Error => "error",
        }
    }

    /// The status of an OTLP `StatusCode` number; unknown numbers are `Unset`.
    pub fn from_otlp(number: i32) -> SpanStatus {
        match number {
            1 => SpanStatus::Ok,
            2 => SpanStatus::Error,
            _ => SpanStatus::Unset,
        }
    }
}

impl FromStr for SpanStatus {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let lower = text.trim().to_ascii_lowercase();
        let name = lower.strip_prefix("status_code_").unwrap_or(&lower);
        SpanStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .ok_or_else(|| format!("unknown span status {text:?}: expected unset, ok or error"))
    }
}

impl fmt::Display for SpanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A trace id as stored — 32 lower-case hex digits — if `text` is one: 1 to 32 hex digits,
/// shorter ids (64-bit ids of older Jaeger and Zipkin clients) zero-padded on the left, as the
/// W3C and OTLP formats do.
pub fn normalise_trace_id(text: &str) -> Option<String> {
    (!text.is_empty() && text.len() <= 32 && text.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("{:0>32}", text.to_ascii_lowercase()))
}

/// One span of a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The tenant that owns the span.
    pub tenant: String,
    /// W3C trace id: 32 lower-case hex digits.
    pub trace_id: String,
    /// W3C span id: 16 lower-case hex digits.
    pub span_id: String,
    /// The parent span's id; `None` for a trace's root span.
    pub parent_span_id: Option<String>,
    /// The service that recorded the span.
    pub service: String,
    /// The operation name, e.g. `GET /users/{id}`.
    pub name: String,
    /// The span's role in the call.
    pub kind: SpanKind,
    /// Start time in nanoseconds since the Unix epoch.
    pub start_ns: i64,
    /// How long the operation took, ns (never negative).
    pub duration_ns: i64,
    /// How the operation ended.
    pub status: SpanStatus,
    /// The status description (set by senders mostly for errors); `None` when empty.
    pub status_message: Option<String>,
    /// Span, resource and scope attributes as a JSON object (`attributes`, `resource`, `scope`),
    /// serialised; `None` when there are none.
    pub attributes: Option<String>,
    /// Timestamped events (`[{"time_ns", "name", "attributes"}]`), serialised JSON; `None` when
    /// there are none.
    pub events: Option<String>,
    /// Links to other spans (`[{"trace_id", "span_id", "attributes"}]`), serialised JSON; `None`
    /// when there are none.
    pub links: Option<String>,
}

/// Spans, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanQuery {
    /// Only this tenant's spans are visible.
    pub tenant: String,
    /// Only spans of these traces.
    pub trace_ids: Option<Vec<String>>,
    /// Only this service.
    pub service: Option<String>,
    /// Only spans with this operation name.
    pub name: Option<String>,
    /// Only spans that took at least this long, ns.
    pub min_duration_ns: Option<i64>,
    /// Only spans that took at most this long, ns.
    pub max_duration_ns: Option<i64>,
    /// Only spans with this status.
    pub status: Option<SpanStatus>,
    /// Spans starting at or after this time, ns.
    pub since_ns: i64,
    /// Spans starting before this time, ns.
    pub until_ns: i64,
    /// Maximum number of spans returned.
    pub limit: usize,
}

/// One operation (span name and kind) a service recorded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpanOperation {
    /// The service that recorded it.
    pub service: String,
    /// The operation (span) name.
    pub name: String,
    /// The span kind it was recorded with.
    pub kind: SpanKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip_and_accept_otlp_names() {
        for kind in SpanKind::ALL {
            assert_eq!(kind.as_str().parse::<SpanKind>(), Ok(kind));
        }
        assert_eq!("SPAN_KIND_SERVER".parse::<SpanKind>(), Ok(SpanKind::Server));
        assert_eq!(SpanKind::from_otlp(3), SpanKind::Client);
        assert_eq!(SpanKind::from_otlp(99), SpanKind::Unspecified);
        assert!("sideways".parse::<SpanKind>().is_err());
        for status in SpanStatus::ALL {
            assert_eq!(status.as_str().parse::<SpanStatus>(), Ok(status));
        }
        assert_eq!(
            "STATUS_CODE_ERROR".parse::<SpanStatus>(),
            Ok(SpanStatus::Error)
        );
        assert_eq!(SpanStatus::from_otlp(2), SpanStatus::Error);
        assert_eq!(SpanStatus::from_otlp(-1), SpanStatus::Unset);
    }
}
