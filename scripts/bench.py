#!/usr/bin/env python3
"""Measures the numbers in docs/benchmarks.md on this machine.

Starts the release binary on loopback with a fresh data directory for each scenario, drives it
with `telemetryhub bench ingest` (bounded in requests and time), and reads sizes and latencies
back over HTTP. Build first: cargo build --release -p telemetryhub

Usage: scripts/bench.py [--bin PATH] [--client PATH] [--scale 1.0] [--only NAME,...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

PORT = 18123
# The load generator: the --bin binary's own `bench ingest`, or --client's (to drive an older
# server with the current load generator).
CLIENT = None


class Server:
    def __init__(self, binary, data_dir, *extra):
        self.url = f"http://127.0.0.1:{PORT}"
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{PORT}", "--otlp-http-listen", "off", "--otlp-grpc-listen", "off",
             "--data-dir", data_dir,
             "--log-level", "warn", "--exit-on-stdin-eof", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        assert "listening" in line, line

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=300) as r:
            return r.read()

    def post(self, path):
        req = urllib.request.Request(self.url + path, method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status

    def health(self):
        return json.loads(self.get("/health"))

    def peak_rss(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=600)


def load(binary, kind, requests, extra=()):
    out = subprocess.run(
        [CLIENT or binary, "bench", "ingest", "--target", f"http://127.0.0.1:{PORT}", "--kind", kind,
         "--requests", str(requests), "--duration", "600s", *extra],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_bytes(data_dir):
    total = 0
    for root, _, files in os.walk(os.path.join(data_dir, "parts")):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files if f.endswith(".parquet"))
    return total


def timed(server, path, runs):
    server.get(path)  # warm the page cache and the plan path once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        body = server.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
            "rows": len(json.loads(body))}


def throughput(binary, scale):
    results = {}
    for kind, requests in (("metrics", int(3000 * scale)), ("logs", int(2000 * scale))):
        with tempfile.TemporaryDirectory() as d:
            server = Server(binary, d)
            results[kind] = load(binary, kind, requests, ("--connections", "4", "--batch", "1000"))
            results[kind]["peak_rss_bytes"] = server.peak_rss()
            server.stop()
    return results


def bytes_per_item(binary, scale):
    results = {}
    scenarios = (("counter", "metrics", ("--shape", "counter")),
                 ("gauge", "metrics", ("--shape", "gauge")),
                 ("logs", "logs", ()))
    for name, kind, extra in scenarios:
        with tempfile.TemporaryDirectory() as d:
            server = Server(binary, d, "--flush-size", "1GiB", "--max-buffer-size", "4GiB")
            r = load(binary, kind, int(1000 * scale), ("--series", "1000", *extra))
            server.post("/flush")
            size = part_bytes(d)
            results[name] = {"items": r["items"], "part_bytes": size,
                             "bytes_per_item": round(size / r["items"], 3)}
            server.stop()
    return results


def query_latency(binary, scale):
    points = int(10_000_000 * scale)
    with tempfile.TemporaryDirectory() as d:
        server = Server(binary, d)
        r = load(binary, "metrics", points // 1000, ("--series", "1000"))
        server.post("/flush")
        health = server.health()
        out = {"points": r["items"], "parts": health["storage"]["parts"],
               "part_bytes": part_bytes(d)}
        out["raw_last_hour"] = timed(server, "/query/metrics?service=svc-2&metric=requests_total&since=1h&limit=10000", 20)
        out["p95_1m_last_hour"] = timed(server, "/query/metrics?service=svc-2&metric=requests_total&since=1h&step=1m&agg=p95&limit=10000", 20)
        out["newest_100_any"] = timed(server, "/query/metrics?limit=100", 10)
        server.stop()
        return out


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


PEERS = {
    "victoria-metrics": (["victoria-metrics", "-httpListenAddr=127.0.0.1:{port}", "-storageDataPath={dir}",
                          "-retentionPeriod=100y", "-loggerLevel=ERROR"], "/internal/force_flush"),
    "prometheus": (["prometheus", "--config.file={dir}/empty.yml", "--storage.tsdb.path={dir}/tsdb",
                    "--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver",
                    "--log.level=error"], None),
}


def telemetryhub_run(binary, requests, load_args):
    """One bounded load into a fresh TelemetryHub, with bytes on disk after a graceful stop."""
    with tempfile.TemporaryDirectory() as d:
        server = Server(binary, d)
        r = load(binary, "metrics", requests, load_args)
        # Like the peers: the whole data directory after a graceful stop (which flushes), catalog
        # included, not only the Parquet parts.
        server.stop()
        r["part_bytes"] = part_bytes(d)
        r["disk_bytes"] = dir_bytes(d)
        r["bytes_per_sample"] = round(r["disk_bytes"] / max(r["items"], 1), 3)
        return r


def peer_run(binary, name, requests, load_args):
    """The same bounded load into a fresh peer (VictoriaMetrics or Prometheus)."""
    command, flush = PEERS[name]
    port = PORT + 7
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "empty.yml"), "w").write("global: {}\n")
        args = [a.format(port=port, dir=d) for a in command]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/-/ready" if name == "prometheus" else url + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        out = subprocess.run([CLIENT or binary, "bench", "ingest", "--target", url, "--kind", "metrics",
                              "--requests", str(requests), "--duration", "600s", *load_args],
                             capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {"error": out.stderr[-300:]}
        if flush:
            urllib.request.urlopen(url + flush, timeout=60)
            time.sleep(2)
        # Measured after a graceful stop: both write what they buffer in memory when they
        # stop (Prometheus keeps its head block as WAL until it compacts, hours later).
        proc.terminate()
        proc.wait(timeout=120)
        r["disk_bytes"] = dir_bytes(d)
        r["bytes_per_sample"] = round(r["disk_bytes"] / max(r.get("items", 0), 1), 3)
        return r


def remote_write_compare(binary, scale):
    """Samples/s of remote_write into TelemetryHub, VictoriaMetrics and Prometheus (same load, same
    machine, one after the other), and bytes on disk per sample after each has persisted."""
    requests = int(2000 * scale)
    load_args = ("--protocol", "remote-write", "--connections", "4", "--batch", "1000", "--series", "1000")
    results = {"telemetryhub": telemetryhub_run(binary, requests, load_args)}
    for name in PEERS:
        results[name] = peer_run(binary, name, requests, load_args)
    return results


def json_compare(binary, scale):
    """Points/s of TelemetryHub's JSON ingest (arrays of 1,000 points of 10,000 series with five
    labels, 4 connections) beside VictoriaMetrics importing the same points as Prometheus text,
    one after the other on the same machine."""
    requests = int(2000 * scale)
    shape = ("--connections", "4", "--batch", "1000", "--series", "10000", "--labels", "5")
    return {
        "telemetryhub": telemetryhub_run(binary, requests, ("--protocol", "json-array", *shape)),
        "victoria-metrics": peer_run(binary, "victoria-metrics", requests,
                                     ("--protocol", "prometheus-text", *shape)),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/telemetryhub")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--client", help="load generator binary (default: --bin)")
    parser.add_argument("--only", default="throughput,bytes,query", help="also: remote_write, json")
    args = parser.parse_args()
    global CLIENT
    CLIENT = args.client
    only = args.only.split(",")
    report = {}
    if "throughput" in only:
        report["throughput"] = throughput(args.bin, args.scale)
        print(json.dumps(report["throughput"]), file=sys.stderr)
    if "bytes" in only:
        report["bytes_on_disk"] = bytes_per_item(args.bin, args.scale)
        print(json.dumps(report["bytes_on_disk"]), file=sys.stderr)
    if "query" in only:
        report["query"] = query_latency(args.bin, args.scale)
    if "remote_write" in only:
        report["remote_write"] = remote_write_compare(args.bin, args.scale)
    if "json" in only:
        report["json"] = json_compare(args.bin, args.scale)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
