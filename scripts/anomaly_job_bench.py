#!/usr/bin/env python3
"""The anomaly job's cost in the server, with detectors past their warm-up.

Starts the release binary on loopback with a fresh data directory and `--anomaly-interval 10s`,
ingests 10,000 series of uniform noise with 660 points of history each (30 s apart, ending a
minute ago), waits until the job has caught up on that history, then sends one new point per
series every 10 s for nine rounds and reports the job's run durations from
`telemetryhub_analysis_job_duration_seconds` and the server's resident memory.

Usage: scripts/anomaly_job_bench.py [--bin target/release/telemetryhub] [--series 10000]
"""

import argparse
import json
import random
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

PORT = 18300
URL = f"http://127.0.0.1:{PORT}"


def post(lines):
    request = urllib.request.Request(URL + "/ingest/metrics", data="\n".join(lines).encode(),
                                     method="POST", headers={"Content-Type": "application/x-ndjson"})
    urllib.request.urlopen(request, timeout=120).read()


def job_totals():
    """Seconds spent in anomaly job runs, and runs, so far."""
    text = urllib.request.urlopen(URL + "/metrics", timeout=30).read().decode()
    total = runs = 0.0
    for line in text.splitlines():
        if 'job="anomalies"' not in line:
            continue
        if line.startswith("telemetryhub_analysis_job_duration_seconds_sum"):
            total = float(line.split()[-1])
        elif line.startswith("telemetryhub_analysis_job_duration_seconds_count"):
            runs = float(line.split()[-1])
    return total, runs


def rss_mib(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1)) // 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/telemetryhub")
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=660, help="points per series")
    args = parser.parse_args()
    data = tempfile.mkdtemp()
    server = subprocess.Popen(
        [args.bin, "serve", "--listen", f"127.0.0.1:{PORT}", "--otlp-http-listen", "off",
         "--otlp-grpc-listen", "off", "--data-dir", data, "--log-level", "warn",
         "--anomaly-interval", "10s", "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert "listening" in server.stdout.readline().decode()
        rng = random.Random(1)

        def points(ts_ns):
            return [json.dumps({"service": f"svc-{i % 50}", "metric": "latency_ms",
                                "labels": {"series": str(i)}, "ts": ts_ns,
                                "value": round(100 + rng.random() * 10, 2)})
                    for i in range(args.series)]

        start = time.time() - 60 - args.history * 30
        began = time.time()
        for p in range(args.history):
            post(points(int((start + p * 30) * 1e9)))
        print(f"history: {args.series * args.history} points in {time.time() - began:.1f} s", flush=True)
        last = job_totals()
        while True:  # caught up once a run takes under two seconds
            time.sleep(10)
            now = job_totals()
            if now[1] > last[1]:
                mean = (now[0] - last[0]) / (now[1] - last[1])
                print(f"  catching up: {now[1] - last[1]:.0f} run(s), {mean:.2f} s each", flush=True)
                if mean < 2.0:
                    break
            last = now
        print(f"resident memory after catching up: {rss_mib(server.pid)} MiB", flush=True)
        base = job_totals()
        for _ in range(9):
            post(points(int(time.time() * 1e9)))
            time.sleep(10)
        end = job_totals()
        runs = end[1] - base[1]
        print(f"steady state: {runs:.0f} runs, {end[0] - base[0]:.3f} s in all, "
              f"{(end[0] - base[0]) / max(runs, 1) * 1000:.1f} ms per run; "
              f"resident memory {rss_mib(server.pid)} MiB", flush=True)
    finally:
        server.stdin.close()
        server.wait(timeout=300)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
