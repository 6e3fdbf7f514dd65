//! The HTTP side of scraping and HTTP discovery: a client per scrape config with its
//! authentication and TLS settings, and a GET that stops reading at a body size limit.

use std::time::Duration;

use crate::config::{Authorization, BasicAuth, TlsConfig};

/// The HTTP settings a scrape config or an HTTP discovery shares with its requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpSettings {
    /// `basic_auth`.
    pub basic_auth: Option<BasicAuth>,
    /// `authorization`.
    pub authorization: Option<Authorization>,
    /// `tls_config`.
    pub tls_config: TlsConfig,
}

/// Why a request failed, worded for a target's `lastError`.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The request could not be made or answered (connection refused, timeout, TLS).
    #[error("{0}")]
    Transport(String),
    /// The server answered with another status than 200.
    #[error("server returned HTTP status {0}")]
    Status(String),
    /// The (uncompressed) body is larger than the limit.
    #[error("body size limit exceeded ({0} bytes)")]
    TooLarge(u64),
    /// A credentials file could not be read.
    #[error("{0}")]
    Credentials(String),
}

/// An answered request.
pub struct HttpResponse {
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
}

/// A client with one configuration's credentials and TLS settings.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    settings: HttpSettings,
}

impl HttpClient {
    /// Builds the client; `timeout` bounds every request.
    pub fn new(settings: &HttpSettings, timeout: Duration) -> Result<HttpClient, String> {
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("TelemetryHub/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::limited(10))
            .no_proxy();
        let tls = &settings.tls_config;
        if let Some(path) = &tls.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read ca_file {}: {e}", path.display()))?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| format!("invalid ca_file {}: {e}", path.display()))?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        match (&tls.cert_file, &tls.key_file) {
            (Some(cert), Some(key)) => {
                let mut pem = std::fs::read(cert)
                    .map_err(|e| format!("cannot read cert_file {}: {e}", cert.display()))?;
                pem.push(b'\n');
                pem.extend(
                    std::fs::read(key)
                        .map_err(|e| format!("cannot read key_file {}: {e}", key.display()))?,
                );
                let identity = reqwest::Identity::from_pem(&pem)
                    .map_err(|e| format!("invalid client certificate: {e}"))?;
                builder = builder.identity(identity);
            }
            (None, None) => {}
            _ => {
                return Err(
                    "exactly one of cert_file and key_file is configured; both are needed".into(),
                );
            }
        }
        if tls.insecure_skip_verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(HttpClient {
            client,
            settings: settings.clone(),
        })
    }

    /// GETs `url` with `headers`, asking for `accept`, within `timeout` (the client's own when
    /// none); fails on a status other than 200 or a body over `limit` bytes (0: no limit) after
    /// decompression.
    pub async fn get(
        &self,
        url: &str,
        headers: &[(&str, String)],
        accept: &str,
        limit: u64,
        timeout: Option<Duration>,
    ) -> Result<HttpResponse, HttpError> {
        let mut request = self.client.get(url);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let mut request = request
            .header(reqwest::header::ACCEPT, accept)
            .header(reqwest::header::ACCEPT_ENCODING, "gzip");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        if let Some(auth) = &self.settings.basic_auth {
            let password = match (&auth.password, &auth.password_file) {
                (Some(password), _) => Some(password.clone()),
                (None, Some(file)) => Some(read_secret(file)?),
                (None, None) => None,
            };
            request = request.basic_auth(&auth.username, password);
        }
        if let Some(auth) = &self.settings.authorization {
            let credentials = match (&auth.credentials, &auth.credentials_file) {
                (Some(credentials), _) => credentials.clone(),
                (None, Some(file)) => read_secret(file)?,
                (None, None) => String::new(),
            };
            request = request.header(
                reqwest::header::AUTHORIZATION,
                format!("{} {credentials}", auth.kind),
            );
        }
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            return Err(HttpError::Status(status.to_string()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if limit > 0 && (body.len() + chunk.len()) as u64 > limit {
                return Err(HttpError::TooLarge(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { content_type, body })
    }
}

/// A request error with its causes, as `lastError` shows it (reqwest's own message alone says
/// only "error sending request").
fn transport(error: reqwest::Error) -> HttpError {
    let mut message = if error.is_timeout() {
        "context deadline exceeded".to_string()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    HttpError::Transport(message)
}

/// A password or token file's contents, without surrounding whitespace.
fn read_secret(path: &std::path::Path) -> Result<String, HttpError> {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_string())
        .map_err(|e| HttpError::Credentials(format!("cannot read {}: {e}", path.display())))
}
