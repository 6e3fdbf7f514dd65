//! A client for OpenAI-compatible chat-completions endpoints (OpenAI, vLLM, llama.cpp server,
//! Ollama), with a timeout, a request rate limit and a daily token budget.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How to reach the LLM and how much it may be used.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// Base URL (`https://api.openai.com/v1`, `http://localhost:11434/v1`) or the full
    /// `.../chat/completions` URL.
    pub url: String,
    /// Sent as `Authorization: Bearer <key>` when set.
    pub api_key: Option<String>,
    /// The model name.
    pub model: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// At most this many requests per minute.
    pub requests_per_minute: u32,
    /// At most this many tokens (as the endpoint reports them) per UTC day; past it, summaries
    /// fall back to the rule until the next day.
    pub daily_token_budget: u64,
    /// Patterns summarised per request.
    pub batch_size: usize,
}

/// Why the LLM gave no usable answer. Every case falls back to the rule-based summary.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The request failed or timed out.
    #[error("LLM request failed: {0}")]
    Request(String),
    /// The endpoint answered with an error status.
    #[error("LLM endpoint answered {status}: {body}")]
    Status {
        /// HTTP status.
        status: u16,
        /// Start of the body.
        body: String,
    },
    /// The answer was not the JSON object asked for.
    #[error("LLM answer not understood: {0}")]
    BadAnswer(String),
    /// Today's token budget is spent.
    #[error("LLM daily token budget of {0} spent")]
    BudgetSpent(u64),
}

/// A pattern to summarise.
#[derive(Debug, Clone)]
pub struct SummaryRequest {
    /// The pattern id, echoed back as the answer's key.
    pub id: u64,
    /// The template.
    pub template: String,
    /// Levels seen.
    pub levels: Vec<String>,
    /// Services seen.
    pub services: Vec<String>,
    /// Lines in the window.
    pub count: u64,
    /// Example messages.
    pub samples: Vec<String>,
}

struct Usage {
    last_request: Option<Instant>,
    day: i64,
    tokens_today: u64,
}

/// The chat-completions client.
pub struct LlmClient {
    http: reqwest::Client,
    config: LlmConfig,
    endpoint: String,
    usage: Mutex<Usage>,
}

const SYSTEM_PROMPT: &str = "You summarise log patterns for on-call engineers. For each pattern you get its template \
(variables written <*>), levels, services, line count and example lines. Answer with one JSON object mapping each \
pattern id (as a string) to one sentence of at most 25 words: what happened and why it matters. No other text.";

impl LlmClient {
    /// A client for `config`.
    pub fn new(config: LlmConfig) -> Result<LlmClient, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| LlmError::Request(e.to_string()))?;
        let base = config.url.trim_end_matches('/');
        let endpoint = if base.ends_with("/chat/completions") {
            base.to_string()
        } else {
            format!("{base}/chat/completions")
        };
        Ok(LlmClient {
            http,
            config,
            endpoint,
            usage: Mutex::new(Usage {
                last_request: None,
                day: 0,
                tokens_today: 0,
            }),
        })
    }

    /// The configured batch size.
    pub fn batch_size(&self) -> usize {
        self.config.batch_size.max(1)
    }

    /// Waits for the next request slot of the rate limit; fails when today's budget is spent.
    async fn admit(&self) -> Result<(), LlmError> {
        let wait = {
            let mut usage = self.usage.lock().unwrap_or_else(|p| p.into_inner());
            let today = telemetryhub_model::now_ns().div_euclid(86_400_000_000_000);
            if usage.day != today {
                usage.day = today;
                usage.tokens_today = 0;
            }
            if usage.tokens_today >= self.config.daily_token_budget {
                return Err(LlmError::BudgetSpent(self.config.daily_token_budget));
            }
            let spacing = Duration::from_secs(60) / self.config.requests_per_minute.max(1);
            let now = Instant::now();
            // Reserve the slot now, so concurrent callers queue behind each other.
            let slot = usage
                .last_request
                .map_or(now, |last| (last + spacing).max(now));
            usage.last_request = Some(slot);
            slot - now
        };
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Summarises a batch; the answer maps pattern ids to summaries (patterns the model left out
    /// are absent).
    pub async fn summarize(
        &self,
        batch: &[SummaryRequest],
    ) -> Result<HashMap<u64, String>, LlmError> {
        self.admit().await?;
        let patterns: Vec<Value> = batch
            .iter()
            .map(|p| {
                json!({"id": p.id.to_string(), "template": p.template, "levels": p.levels, "services": p.services,
                       "lines": p.count, "examples": p.samples})
            })
            .collect();
        let body = json!({
            "model": self.config.model,
            "temperature": 0,
            "max_tokens": 80 * batch.len() + 50,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": Value::Array(patterns).to_string()},
            ],
        });
        let mut request = self.http.post(&self.endpoint).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| LlmError::Request(e.to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| LlmError::Request(e.to_string()))?;
        if !status.is_success() {
            return Err(LlmError::Status {
                status: status.as_u16(),
                body: text.chars().take(200).collect(),
            });
        }
        let answer: Value =
            serde_json::from_str(&text).map_err(|e| LlmError::BadAnswer(e.to_string()))?;
        if let Some(tokens) = answer
            .pointer("/usage/total_tokens")
            .and_then(Value::as_u64)
        {
            let mut usage = self.usage.lock().unwrap_or_else(|p| p.into_inner());
            usage.tokens_today += tokens;
        }
        let content = answer
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| LlmError::BadAnswer("no choices[0].message.content".into()))?;
        parse_summaries(content)
    }
}

/// Reads `{"<id>": "<summary>", ...}`, tolerating a Markdown code fence around it.
fn parse_summaries(content: &str) -> Result<HashMap<u64, String>, LlmError> {
    let trimmed = content.trim();
    let unfenced = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|rest| rest.strip_suffix("```"))
        .unwrap_or(trimmed);
    let object: serde_json::Map<String, Value> = serde_json::from_str(unfenced.trim())
        .map_err(|e| LlmError::BadAnswer(format!("not a JSON object: {e}")))?;
    let mut summaries = HashMap::new();
    for (key, value) in object {
        let (Ok(id), Some(text)) = (key.parse::<u64>(), value.as_str()) else {
            continue;
        };
        let text = text.trim();
        if !text.is_empty() {
            // One line, bounded: a model that rambles does not flood the API.
            summaries.insert(
                id,
                text.lines()
                    .next()
                    .unwrap_or(text)
                    .chars()
                    .take(300)
                    .collect(),
            );
        }
    }
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_fenced_answers() {
        let plain = parse_summaries(r#"{"3": "DB timeouts", "x": "ignored", "4": 5}"#).unwrap();
        assert_eq!(plain, HashMap::from([(3, "DB timeouts".to_string())]));
        let fenced = parse_summaries("```json\n{\"7\": \"Disk full\"}\n```").unwrap();
        assert_eq!(fenced[&7], "Disk full");
        assert!(parse_summaries("Sure! Here are your summaries").is_err());
    }
}
