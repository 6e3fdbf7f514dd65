//! Live tail (`/loki/api/v1/tail`): a WebSocket on which the lines a log query matches are sent
//! as they arrive, as Loki sends them: first up to `limit` lines since `start`, then, every
//! second, the lines stored since the last message (`delay_for` seconds behind now, so late
//! writes are not missed), each message `{"streams":[…],"dropped_entries":null}`. A tail ends
//! when the client closes it, the server shuts down, or after an hour (Loki's longest tail).

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use telemetryhub_logql::{Direction, Expr, Streams};
use telemetryhub_model::now_ns;

use super::params::{LokiParams, tenant};
use super::query::push_streams;
use crate::{AppState, LokiError};

const NS_PER_SECOND: i64 = 1_000_000_000;
/// How often the store is read for new lines.
const POLL: Duration = Duration::from_secs(1);
/// The longest a tail runs (Loki's `tail_max_duration` default).
const MAX_TAIL: Duration = Duration::from_secs(3600);
/// Loki's largest `delay_for`, seconds.
const MAX_DELAY_S: i64 = 5;

/// A live tail of a log query over a WebSocket.
#[utoipa::path(
    get, path = "/loki/api/v1/tail", tag = "loki",
    params(
        ("query" = String, Query, description = "LogQL log query, e.g. {service_name=\"api\"} |= \"error\""),
        ("start" = Option<String>, Query, description = "Send lines from this time first [default: an hour ago]"),
        ("limit" = Option<usize>, Query, description = "At most this many of those first lines [default: 100]"),
        ("delay_for" = Option<u32>, Query, description = "Stay this many seconds (at most 5) behind now [default: 0]"),
    ),
    responses((status = 101, description = "WebSocket; each message {\"streams\":[{\"stream\":{...},\"values\":[[\"<ns>\",\"<line>\"]]}],\"dropped_entries\":null}"), (status = 400, description = "The reason, as plain text"))
)]
pub(crate) async fn tail(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
    params: LokiParams,
) -> Result<Response, LokiError> {
    let expr = state.logql().parse(params.query()?)?;
    if !matches!(expr, Expr::Log(_)) {
        return Err(LokiError::bad_request(
            "tail requires a log query, not a metric query",
        ));
    }
    let now = now_ns();
    let start = params.time("start", now.saturating_sub(3600 * NS_PER_SECOND))?;
    let limit = params.limit(state.logql().options().max_entries_limit)?;
    let delay_s: i64 = match params.get("delay_for") {
        "" => 0,
        text => text
            .parse()
            .ok()
            .filter(|d| (0..=MAX_DELAY_S).contains(d))
            .ok_or_else(|| {
                LokiError::bad_request(format!(
                    "delay_for must be an integer from 0 to {MAX_DELAY_S}, got {text:?}"
                ))
            })?,
    };
    let tenant = tenant(&headers)?;
    Ok(upgrade.on_upgrade(move |socket| async move {
        let tail = Tail {
            state,
            tenant,
            expr,
            delay_ns: delay_s * NS_PER_SECOND,
        };
        if let Err(error) = tail.run(socket, start, limit).await {
            tracing::debug!(error = %error, "tail ended");
        }
    }))
}

/// One running tail.
struct Tail {
    state: AppState,
    tenant: String,
    expr: Expr,
    delay_ns: i64,
}

impl Tail {
    /// Lines of `[from_ns, until_ns)`, oldest first, at most `limit`.
    async fn lines(&self, from_ns: i64, until_ns: i64, limit: usize) -> Result<Streams, LokiError> {
        let source = super::log_source(&self.state, &self.tenant);
        Ok(self
            .state
            .logql()
            .query_logs(
                &source,
                &self.expr,
                from_ns,
                until_ns,
                limit,
                Direction::Forward,
            )
            .await?)
    }

    /// Sends lines until the client leaves, the server stops or the tail is an hour old.
    async fn run(self, mut socket: WebSocket, start_ns: i64, limit: usize) -> Result<(), String> {
        let began = tokio::time::Instant::now();
        let max_lines = self.state.logql().options().max_entries_limit;
        // Lines of the last message's newest time, so the next read (which starts at that time:
        // lines may still arrive with it) sends none twice.
        let mut seen_at_cursor: HashSet<(String, String)> = HashSet::new();
        let mut cursor = start_ns;
        let mut first = true;
        loop {
            let until = now_ns().saturating_sub(self.delay_ns).saturating_add(1);
            let wanted = if first { limit } else { max_lines };
            let mut streams = self
                .lines(cursor, until, wanted)
                .await
                .map_err(|e| e.message().to_string())?;
            first = false;
            let newest = streams
                .iter()
                .flat_map(|s| s.entries.iter().map(|e| e.ts_ns))
                .max();
            let mut fresh: HashSet<(String, String)> = HashSet::new();
            for stream in &mut streams {
                let key = serde_json::to_string(&stream.labels).unwrap_or_default();
                stream.entries.retain(|entry| {
                    let id = (key.clone(), format!("{}\u{1}{}", entry.ts_ns, entry.line));
                    if entry.ts_ns == cursor && seen_at_cursor.contains(&id) {
                        return false;
                    }
                    if Some(entry.ts_ns) == newest {
                        fresh.insert(id);
                    }
                    true
                });
            }
            streams.retain(|s| !s.entries.is_empty());
            if let Some(newest) = newest {
                if newest == cursor {
                    seen_at_cursor.extend(fresh);
                } else {
                    seen_at_cursor = fresh;
                }
                cursor = newest;
            }
            if !streams.is_empty() {
                let mut message = String::from(r#"{"streams":"#);
                push_streams(&mut message, &streams);
                message.push_str(r#","dropped_entries":null}"#);
                socket
                    .send(Message::Text(message.into()))
                    .await
                    .map_err(|e| e.to_string())?;
            }
            if began.elapsed() >= MAX_TAIL || self.state.is_shutting_down() {
                let _ = socket.send(Message::Close(None)).await;
                return Ok(());
            }
            // Wait for the next poll, ending early when the client closes.
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                incoming = socket.recv() => match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                    Some(Ok(_)) => {}
                },
            }
        }
    }
}
