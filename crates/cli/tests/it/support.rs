//! Starting and stopping the real server.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A running `telemetryhub serve`. Killed on drop; it also exits by itself when the test process
/// dies, because it watches its standard input (`--exit-on-stdin-eof`).
pub struct Server {
    child: Option<Child>,
    pub url: String,
    /// OTLP/HTTP's own listener (the same routes).
    pub otlp_url: String,
    /// OTLP/gRPC's listener.
    pub otlp_grpc_url: String,
    pub client: reqwest::Client,
}

impl Server {
    pub fn start(data_dir: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(data_dir, extra, &[])
    }

    pub fn start_with_env(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_telemetryhub"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--otlp-http-listen",
                "127.0.0.1:0",
                "--otlp-grpc-listen",
                "127.0.0.1:0",
                "--log-level",
                "warn",
                "--exit-on-stdin-eof",
                "--data-dir",
            ])
            .arg(data_dir)
            .args(extra)
            .env_remove("TELEMETRYHUB_CONFIG")
            .env_remove("TELEMETRYHUB_APP_NAME")
            .env_remove("APP_NAME")
            .env_remove("TELEMETRYHUB_LLM_URL")
            .env_remove("TELEMETRYHUB_LLM_API_KEY")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn telemetryhub");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout);
        let mut read_url = |prefix: &str| {
            let mut line = String::new();
            lines.read_line(&mut line).expect("read a listening line");
            line.trim()
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected {prefix:?}, got {line:?}"))
                .to_string()
        };
        let url = read_url("telemetryhub listening on ");
        let otlp_url = read_url("telemetryhub otlp-http listening on ");
        let otlp_grpc_url = read_url("telemetryhub otlp-grpc listening on ");
        Server {
            child: Some(child),
            url,
            otlp_url,
            otlp_grpc_url,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// SIGTERM, then wait: the exit status of a graceful shutdown.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        child.wait().expect("wait")
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill9(mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().expect("kill -9");
        child.wait().expect("wait");
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.client.get(self.url(path)).send().await.expect("GET");
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.expect("JSON")
    }

    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// Sends a remote_write request as Prometheus does (protobuf in a snappy block).
    pub async fn post_remote_write(
        &self,
        request: &telemetryhub_receivers::prom_remote_write::proto::WriteRequest,
    ) -> reqwest::Response {
        remote_write(&self.client, &self.url("/api/v1/write"), request).await
    }

    /// The text of `/metrics`.
    pub async fn exposition(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// The sum of the samples of `name` in `/metrics` (with labels or without) whose labels
    /// contain every one of `labels`; 0 when there are none (a counter not counted yet).
    pub async fn metric(&self, name: &str, labels: &[&str]) -> f64 {
        self.exposition()
            .await
            .lines()
            .filter(|line| {
                line.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
            })
            .filter(|line| labels.iter().all(|label| line.contains(label)))
            .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self.post(path, "application/json", body.to_string()).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Asserts the one error shape and returns its code.
pub fn error_code(body: &Value) -> String {
    let error = body
        .get("error")
        .unwrap_or_else(|| panic!("no error object in {body}"));
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error without message: {body}"
    );
    error["code"]
        .as_str()
        .unwrap_or_else(|| panic!("error without code: {body}"))
        .to_string()
}

/// RFC 3339 text for "now minus `seconds_ago`".
pub fn recent(seconds_ago: i64) -> String {
    telemetryhub_model::format_rfc3339(telemetryhub_model::now_ns() - seconds_ago * 1_000_000_000)
}

/// The `value` of every point of a `/query/metrics` answer, in order.
pub fn values_of(points: &Value) -> Vec<f64> {
    points
        .as_array()
        .expect("an array of points")
        .iter()
        .map(|p| p["value"].as_f64().expect("a numeric value"))
        .collect()
}

/// A real Prometheus (Debian's `prometheus` package, installed by `scripts/test`) on a loopback
/// port of its own, with a temporary TSDB; killed on drop, however the test ends.
pub struct Prometheus {
    child: Child,
    /// Its base URL.
    pub url: String,
}

impl Prometheus {
    /// Starts Prometheus with `config` (YAML) and `extra` flags, and waits (at most 60 s) until
    /// it is ready.
    pub async fn start(dir: &Path, config: &str, extra: &[&str]) -> Prometheus {
        let binary = which("prometheus").expect(
            "the prometheus binary (Debian package `prometheus`; scripts/test installs it)",
        );
        let config_path = dir.join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write prometheus.yml");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free loopback port");
        let child = Command::new(binary)
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("prometheus-tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prometheus");
        let prometheus = Prometheus {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let ready = client
                .get(format!("{}/-/ready", prometheus.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return prometheus;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Prometheus was not ready within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path of `program` on `PATH`.
pub fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .find(|path| path.is_file())
}

/// `base` with `params` as a percent-encoded query string.
pub fn with_query(base: &str, params: &[(&str, String)]) -> String {
    let encode = |text: &str| {
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    };
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    format!("{base}?{}", query.join("&"))
}

/// Sends a remote_write request to `url` as Prometheus does (protobuf in a snappy block).
pub async fn remote_write(
    client: &reqwest::Client,
    url: &str,
    request: &telemetryhub_receivers::prom_remote_write::proto::WriteRequest,
) -> reqwest::Response {
    let body = snap::raw::Encoder::new()
        .compress_vec(&prost::Message::encode_to_vec(request))
        .expect("snappy");
    client
        .post(url)
        .header("content-type", "application/x-protobuf")
        .header("content-encoding", "snappy")
        .header("x-prometheus-remote-write-version", "0.1.0")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|error| panic!("POST {url}: {error}"))
}
