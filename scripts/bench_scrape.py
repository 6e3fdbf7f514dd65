#!/usr/bin/env python3
"""Scraping side by side: TelemetryHub and Prometheus 2.42 scraping the same targets (issue 16).

One `telemetryhub bench exporter` serves --targets targets of --series series each (counters and
gauges whose values grow every scrape) from one loopback port (`/metrics?t=N`). Then, for each
system in turn, with a fresh data directory inside one temporary directory (deleted at the end):

1. start it with the same prometheus.yml: one job, every target a static target with its own
   `__param_t` and `instance` labels, scrape_interval --interval;
2. wait until every target has been scraped and is up (both answer /api/v1/targets), then one
   more interval;
3. measure a window of --window seconds: the process' CPU time (utime + stime from
   /proc/PID/stat), the samples it appended (TelemetryHub:
   telemetryhub_scrape_samples_stored_total; Prometheus: prometheus_tsdb_head_samples_appended_total;
   both count the scrape series and staleness markers too), its resident memory at the end, the
   share of targets up and the mean scrape duration (PromQL on each system's own data);
4. stop it.

Reported: samples/s, CPU seconds per million samples, RSS; the exporter's own CPU over each
window is shown so the load it adds is visible. Offered load is targets x series / interval.

Usage: scripts/bench_scrape.py [--bin PATH] [--targets 1000] [--series 1000] [--interval 10s]
                               [--window 60] [--systems telemetryhub,prometheus] [--out FILE.md]
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

EXPORTER_PORT = 18209
SYSTEM_PORT = 18210
LABELS = {"telemetryhub": "TelemetryHub", "prometheus": "Prometheus"}
SAMPLES_METRIC = {"telemetryhub": "telemetryhub_scrape_samples_stored_total",
                  "prometheus": "prometheus_tsdb_head_samples_appended_total"}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def counter_total(base, name):
    """The sum of a counter family's samples on /metrics."""
    total = 0.0
    for line in get(base + "/metrics").decode().splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def instant(base, query):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": query})
    result = json.loads(get(url))["data"]["result"]
    return float(result[0]["value"][1]) if result else float("nan")


def write_config(path, targets, interval):
    lines = [f"global:\n  scrape_interval: {interval}\n  scrape_timeout: {interval}\n",
             "scrape_configs:\n  - job_name: bench\n    static_configs:\n"]
    for t in range(targets):
        lines.append(f"      - targets: ['127.0.0.1:{EXPORTER_PORT}']\n"
                     f"        labels: {{__param_t: '{t}', instance: 'target-{t}'}}\n")
    with open(path, "w") as f:
        f.write("".join(lines))


def start(name, binary, workdir, config):
    base = f"http://127.0.0.1:{SYSTEM_PORT}"
    if name == "telemetryhub":
        command = [binary, "serve", "--listen", f"127.0.0.1:{SYSTEM_PORT}", "--otlp-http-listen", "off",
                   "--otlp-grpc-listen", "off", "--data-dir", os.path.join(workdir, "th"),
                   "--log-level", "warn", "--scrape-config", config, "--exit-on-stdin-eof"]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = proc.stdout.readline().decode()
        assert "listening" in line, line
    else:
        command = ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={workdir}/tsdb",
                   f"--web.listen-address=127.0.0.1:{SYSTEM_PORT}", "--log.level=error"]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while True:
            try:
                get(base + "/-/ready", timeout=2)
                break
            except Exception:
                assert time.time() < deadline, "Prometheus not ready"
                time.sleep(0.2)
    return proc, base


def wait_all_up(base, targets, limit):
    deadline = time.time() + limit
    while True:
        try:
            active = json.loads(get(base + "/api/v1/targets?state=active"))["data"]["activeTargets"]
            up = sum(1 for t in active if t["health"] == "up")
            if len(active) == targets and up == targets:
                return
        except Exception:
            pass
        assert time.time() < deadline, f"not every target up within {limit} s"
        time.sleep(1)


def run_system(name, binary, workdir, config, args, exporter):
    log(f"== {name}")
    proc, base = start(name, binary, workdir, config)
    try:
        wait_all_up(base, args.targets, limit=max(120, 6 * args.interval_s))
        time.sleep(args.interval_s)
        cpu0, exp0 = cpu_seconds(proc.pid), cpu_seconds(exporter.pid)
        samples0 = counter_total(base, SAMPLES_METRIC[name])
        t0 = time.time()
        time.sleep(args.window)
        cpu1, exp1 = cpu_seconds(proc.pid), cpu_seconds(exporter.pid)
        samples1 = counter_total(base, SAMPLES_METRIC[name])
        elapsed = time.time() - t0
        samples = samples1 - samples0
        row = {
            "samples_per_s": samples / elapsed,
            "cpu_s": cpu1 - cpu0,
            "cpu_per_million": (cpu1 - cpu0) / max(samples / 1e6, 1e-9),
            "cpu_share": (cpu1 - cpu0) / elapsed,
            "exporter_cpu_share": (exp1 - exp0) / elapsed,
            "rss": rss_bytes(proc.pid),
            "up": instant(base, 'avg(up{job="bench"})'),
            "scrape_ms": 1000 * instant(base, 'avg(scrape_duration_seconds{job="bench"})'),
        }
        log(json.dumps(row))
        return row
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", "target"), "release", "telemetryhub"))
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--interval", default="10s")
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--systems", default="telemetryhub,prometheus")
    parser.add_argument("--out")
    args = parser.parse_args()
    args.interval_s = int(args.interval.rstrip("s"))
    systems = args.systems.split(",")
    prom_version = subprocess.run(["prometheus", "--version"], capture_output=True, text=True)
    prom_version = (prom_version.stdout or prom_version.stderr).split()[2]
    with tempfile.TemporaryDirectory() as workdir:
        exporter = subprocess.Popen(
            [args.bin, "bench", "exporter", "--listen", f"127.0.0.1:{EXPORTER_PORT}",
             "--targets", str(args.targets), "--series", str(args.series)],
            stdout=subprocess.PIPE)
        assert "listening" in exporter.stdout.readline().decode()
        config = os.path.join(workdir, "prometheus.yml")
        write_config(config, args.targets, args.interval)
        results = {}
        try:
            for name in systems:
                os.makedirs(os.path.join(workdir, name), exist_ok=True)
                results[name] = run_system(name, args.bin, os.path.join(workdir, name), config, args, exporter)
        finally:
            exporter.terminate()
            exporter.wait()
    offered = args.targets * args.series / args.interval_s
    lines = [
        f"Scraping {args.targets} targets x {args.series} series every {args.interval} "
        f"(offered: {offered:,.0f} samples/s plus 5 scrape series per scrape), "
        f"{args.window} s window after every target was up; {platform.node()}, "
        f"{os.cpu_count()} cores, {datetime.date.today()}; Prometheus {prom_version}.",
        "",
        "| system | samples/s | CPU s per million samples | CPU (cores) | RSS | targets up | mean scrape | exporter CPU (cores) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in systems:
        r = results[name]
        lines.append(
            f"| {LABELS[name]} | {r['samples_per_s']:,.0f} | {r['cpu_per_million']:.2f} | "
            f"{r['cpu_share']:.2f} | {r['rss'] / 2**20:,.0f} MiB | {r['up']:.3f} | "
            f"{r['scrape_ms']:.1f} ms | {r['exporter_cpu_share']:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
