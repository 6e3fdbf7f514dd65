#!/usr/bin/env python3
"""PromQL range queries side by side: TelemetryHub, VictoriaMetrics and Prometheus (issue 14).

For each system in turn, on loopback, with a fresh data directory inside one temporary
directory (deleted at the end):

1. start it (TelemetryHub: the --bin release binary; VictoriaMetrics and Prometheus: the Debian
   packages' binaries, the command lines of scripts/bench.py's PEERS);
2. send it the same history with `telemetryhub bench history` over remote_write (snappy +
   protobuf, /api/v1/write): 1,000 series of the counter x_total (10 jobs) and a classic
   histogram h (10 instances x 10 buckets, h_sum, h_count), one sample every 15 s over the 24 h
   ending at one fixed time (a minute before the script started), in time order;
3. wait until `count(x_total)` and the newest timestamp are there, make it persist
   (TelemetryHub: POST /flush; VictoriaMetrics: /internal/force_flush; Prometheus: nothing, its
   head block is queried from memory and older data from the blocks it compacts) and wait until
   its CPU is idle (compactions and merges done);
4. time each query over the last 1 h (15 s step, 241 points) and the last 24 h (60 s step, 1,441
   points) on /api/v1/query_range: one warm-up then --runs timed runs, each (warm-up included)
   preceded by a reset of the process' peak RSS (`5` to /proc/PID/clear_refs) and followed by a
   read of VmHWM; reported: the warm-up's growth (peak minus RSS before it, which shows what a
   query needs while allocators keep memory afterwards), the timed runs' median growth, and the
   highest peak;
5. TelemetryHub only: restart it on the same data with `--sample-cache-size 0` and time the
   queries again ("sample cache off"), so every timed run decodes what it reads;
6. stop it.

Answers must be successful and non-empty, and the numbers of series should agree between the
systems (reported, and flagged with "!" when they do not). VictoriaMetrics caches range query
results; its rows are timed with `nocache=1`, and once more with the cache on (its default) as a
separate system.

Usage: scripts/bench_promql.py [--bin PATH] [--systems telemetryhub,victoria-metrics,prometheus]
                               [--runs 5] [--out FILE.md]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import PEERS, PORT, Server, dir_bytes  # noqa: E402

QUERIES = [
    ("sum by (job) (rate(x_total[5m]))", "sum_rate"),
    ("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))", "p99"),
    ("topk(10, rate(x_total[5m]))", "topk"),
    ('x_total{job="job-3",instance="i-3"}', "one_series"),
]
RANGES = [("1h", 3600, 15), ("24h", 86400, 60)]
SYSTEMS = ["telemetryhub", "victoria-metrics", "prometheus"]
LABELS = {"telemetryhub": "TelemetryHub", "telemetryhub-nocache": "TelemetryHub (sample cache off)",
          "victoria-metrics": "VictoriaMetrics",
          "victoria-metrics-cache": "VictoriaMetrics (result cache on)", "prometheus": "Prometheus"}


def log(*args):
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024
    return fields


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid, limit=300, window=3.0, threshold=0.05):
    """Waits until the process uses under `threshold` of a core over `window` seconds."""
    started = time.time()
    while time.time() - started < limit:
        before = cpu_seconds(pid)
        time.sleep(window)
        used = (cpu_seconds(pid) - before) / window
        if used < threshold:
            return round(time.time() - started, 1)
        log(f"  waiting for idle: {used:.0%} of a core")
    log(f"  still busy after {limit} s; measuring anyway")
    return None


class Target:
    """A running system: its base URL, process id and how to stop it."""

    def __init__(self, name, binary, workdir):
        self.name = name
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir)
        self.binary = binary
        if name == "telemetryhub":
            self.server = Server(binary, self.dir)
            self.proc = self.server.proc
            self.url = self.server.url
        else:
            command, self.flush_path = PEERS[name]
            port = PORT + 7
            open(os.path.join(self.dir, "empty.yml"), "w").write("global: {}\n")
            args = [a.format(port=port, dir=self.dir) for a in command]
            self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.url = f"http://127.0.0.1:{port}"
            ready = "/-/ready" if name == "prometheus" else "/health"
            for _ in range(150):
                try:
                    urllib.request.urlopen(self.url + ready, timeout=1)
                    break
                except Exception:
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"{name} did not become ready")
        self.pid = self.proc.pid

    def restart(self, *extra):
        """TelemetryHub again on the same data directory, with `extra` arguments."""
        self.server.stop()
        self.server = Server(self.binary, self.dir, *extra)
        self.proc = self.server.proc
        self.pid = self.proc.pid

    def flush(self):
        if self.name == "telemetryhub":
            self.server.post("/flush")
        elif self.flush_path:
            urllib.request.urlopen(self.url + self.flush_path, timeout=120).read()

    def get_json(self, path, params, timeout=300):
        url = f"{self.url}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return json.loads(r.read())

    def stop(self):
        if self.name == "telemetryhub":
            self.server.stop()
        else:
            self.proc.terminate()
            self.proc.wait(timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)


def versions(binary, target=None):
    out = {}
    try:
        commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse", "--short",
                                 "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        out["telemetryhub"] = f"{commit}{' (modified)' if dirty else ''}"
    except OSError:
        out["telemetryhub"] = "?"
    first = subprocess.run(["prometheus", "--version"], capture_output=True, text=True)
    out["prometheus"] = (first.stdout or first.stderr).split(",")[1].split()[1] if "version" in (
        first.stdout or first.stderr) else "?"
    vm = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "victoria-metrics"], capture_output=True, text=True)
    out["victoria-metrics"] = vm.stdout.split("+")[0] or "?"
    out["victoria-metrics-cache"] = out["victoria-metrics"]
    out["telemetryhub-nocache"] = out["telemetryhub"]
    return out


def ingest(binary, target, end_ms, span):
    log(f"{target.name}: sending {span} of history")
    proc = subprocess.Popen([binary, "bench", "history", "--target", target.url, "--end-ms", str(end_ms),
                             "--span", span, "--duration", "900s"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    errors = []
    for n, line in enumerate(proc.stderr):
        if line.startswith("request failed"):
            errors.append(line.strip())
            log("  " + line.strip())
        elif n % 5 == 0:
            log("  " + line.strip())
    out = proc.stdout.read()
    proc.wait()
    summary = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": "no summary"}
    summary["error_messages"] = errors[:5]
    log(f"  {summary.get('samples')} samples in {summary.get('seconds')} s, {summary.get('errors')} failed requests")
    return summary


def wait_for_data(target, end_ms, counters=1000, limit=180):
    """Until count(x_total) at the last timestamp is `counters` and the newest sample is there."""
    started = time.time()
    last = None
    while time.time() - started < limit:
        try:
            count = target.get_json("/api/v1/query", {"query": "count(x_total)", "time": end_ms / 1000})
            newest = target.get_json("/api/v1/query", {"query": "max(timestamp(x_total))", "time": end_ms / 1000})
            c = count["data"]["result"]
            n = newest["data"]["result"]
            last = (c, n)
            if c and float(c[0]["value"][1]) == counters and n and float(n[0]["value"][1]) * 1000 == end_ms:
                return round(time.time() - started, 1)
        except Exception as e:  # noqa: BLE001 — not ready yet
            last = str(e)
        time.sleep(1)
    raise RuntimeError(f"{target.name}: data not visible after {limit} s: {last}")


def storage_state(target):
    """What the data looks like on disk when the queries start."""
    state = {"data_dir_bytes": dir_bytes(target.dir)}
    try:
        if target.name == "telemetryhub":
            state["parts"] = target.server.health()["storage"]["parts"]
        else:
            with urllib.request.urlopen(target.url + "/metrics", timeout=30) as r:
                for line in r.read().decode().splitlines():
                    for metric in ("prometheus_tsdb_blocks_loaded", "prometheus_tsdb_head_chunks ",
                                   "vm_parts{type=\"storage/small\"}", "vm_parts{type=\"storage/big\"}"):
                        if line.startswith(metric):
                            state[metric.strip()] = float(line.split()[-1])
    except Exception as e:  # noqa: BLE001 — informational only
        state["error"] = str(e)
    return state


def timed_once(target, params):
    """One query: (ms, RSS when it started, peak RSS while it ran, answer)."""
    with open(f"/proc/{target.pid}/clear_refs", "w") as f:
        f.write("5")  # VmHWM := VmRSS
    before = proc_status(target.pid)["VmHWM"]
    started = time.perf_counter()
    body = target.get_json("/api/v1/query_range", params)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, before, proc_status(target.pid)["VmHWM"], body


def time_query(target, query, span_s, step_s, end_ms, runs, extra):
    params = {"query": query, "start": end_ms / 1000 - span_s, "end": end_ms / 1000, "step": step_s, **extra}
    _, first_before, first_peak, body = timed_once(target, params)  # the warm-up
    samples, deltas, peaks = [], [], [first_peak]
    for _ in range(runs):
        elapsed, before, peak, body = timed_once(target, params)
        samples.append(elapsed)
        deltas.append(peak - before)
        peaks.append(peak)
    if body.get("status") != "success":
        raise RuntimeError(f"{target.name}: {query}: {body}")
    result = body["data"]["result"]
    if not result:
        raise RuntimeError(f"{target.name}: {query}: empty answer")
    points = sum(len(s.get("values", [])) for s in result)
    # For comparing answers between systems: the sum of every finite value returned.
    checksum = sum(v for s in result for _, text in s.get("values", [])
                   for v in [float(text)] if v == v and abs(v) != float("inf"))
    mb = 2**20
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2),
            "runs_ms": [round(s, 2) for s in samples],
            "rss_before_first_mb": round(first_before / mb, 1),
            "peak_delta_first_mb": round((first_peak - first_before) / mb, 1),
            "peak_delta_mb": round(statistics.median(deltas) / mb, 1),
            "peak_rss_mb": round(max(peaks) / mb, 1),
            "series": len(result), "points": points, "checksum": checksum}


def run_system(binary, name, workdir, end_ms, span, runs):
    target = Target(name, binary, workdir)
    out = {"queries": {}}
    try:
        out["ingest"] = ingest(binary, target, end_ms, span)
        if not out["ingest"].get("complete"):
            # Comparing systems on different data would be meaningless.
            raise RuntimeError(f"{name}: ingest incomplete: {out['ingest']}")
        out["visible_after_s"] = wait_for_data(target, end_ms)
        target.flush()
        out["idle_after_s"] = wait_idle(target.pid)
        out["rss_before_queries_mb"] = round(proc_status(target.pid)["VmRSS"] / 2**20, 1)
        out["storage"] = storage_state(target)
        log(f"  storage before queries: {out['storage']}")
        variants = [(name, {}, None)]
        if name == "victoria-metrics":
            variants = [(name, {"nocache": "1"}, None), ("victoria-metrics-cache", {}, None)]
        if name == "telemetryhub":
            # Its decoded-sample cache on (the default), then restarted on the same data with it
            # off: every timed run then decodes what it reads.
            variants = [(name, {}, None), ("telemetryhub-nocache", {}, ("--sample-cache-size", "0"))]
        for label, extra, restart in variants:
            if restart:
                target.restart(*restart)
                wait_for_data(target, end_ms)
                wait_idle(target.pid)
            for query, _ in QUERIES:
                for range_name, span_s, step_s in RANGES:
                    r = time_query(target, query, span_s, step_s, end_ms, runs, extra)
                    out["queries"].setdefault(label, {})[f"{query} [{range_name}]"] = r
                    log(f"{label:24} {range_name:4} {r['median_ms']:9.1f} ms (min {r['min_ms']:.1f}) "
                        f"+{r['peak_delta_first_mb']} / +{r['peak_delta_mb']} MB (first / timed), peak {r['peak_rss_mb']} MB, "
                        f"{r['series']} series  {query}")
    finally:
        target.stop()
    return out


def table(report):
    systems = [s for s in ["telemetryhub", "telemetryhub-nocache", "victoria-metrics", "victoria-metrics-cache",
                           "prometheus"]
               if any(s in r.get("queries", {}) for r in report["systems"].values())]
    results = {}
    for r in report["systems"].values():
        results.update(r.get("queries", {}))
    lines = ["| system | version | query | range (step) | median ms | min ms | peak RSS − RSS before, MB: "
             "first run · timed runs (median) | peak RSS MB | series |",
             "|---|---|---|---|---|---|---|---|---|"]
    for query, _ in QUERIES:
        for range_name, _, step_s in RANGES:
            key = f"{query} [{range_name}]"
            counts = {results[s][key]["series"] for s in systems if s != "victoria-metrics-cache"}
            for s in systems:
                r = results[s][key]
                flag = "" if len(counts) == 1 else " !"
                lines.append(f"| {LABELS[s]} | {report['versions'][s]} | `{query}` | {range_name} ({step_s} s) | "
                             f"{r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['peak_delta_first_mb']:.1f} · {r['peak_delta_mb']:.1f} | "
                             f"{r['peak_rss_mb']:.0f} | {r['series']}{flag} |")
    if "telemetryhub" in systems and "victoria-metrics" in systems:
        lines += ["", "| query | range | TelemetryHub ÷ VictoriaMetrics (median, nocache) | "
                  "TelemetryHub, sample cache off ÷ VictoriaMetrics (median, nocache) | "
                  "TelemetryHub ÷ Prometheus (median) |", "|---|---|---|---|---|"]
        for query, _ in QUERIES:
            for range_name, _, _ in RANGES:
                key = f"{query} [{range_name}]"
                th = results["telemetryhub"][key]["median_ms"]
                vm = results["victoria-metrics"][key]["median_ms"]
                off = results.get("telemetryhub-nocache", {}).get(key, {}).get("median_ms")
                pr = results.get("prometheus", {}).get(key, {}).get("median_ms")
                lines.append(f"| `{query}` | {range_name} | {th / vm:.2f}× | "
                             f"{f'{off / vm:.2f}×' if off else '—'} | "
                             f"{f'{th / pr:.2f}×' if pr else '—'} |")
    if "prometheus" in systems and len(systems) > 1:
        others = [s for s in systems if s not in ("prometheus", "victoria-metrics-cache")]
        lines += ["", "Answers against Prometheus' (points returned; relative difference of the sum of all values):",
                  "", "| query | range | Prometheus points | " + " | ".join(LABELS[s] for s in others) + " |",
                  "|---|---|---|" + "---|" * len(others)]
        for query, _ in QUERIES:
            for range_name, _, _ in RANGES:
                key = f"{query} [{range_name}]"
                ref = results["prometheus"][key]
                cells = []
                for s in others:
                    r = results[s][key]
                    diff = abs(r["checksum"] - ref["checksum"]) / max(abs(ref["checksum"]), 1e-300)
                    cells.append(f"{r['points']} points, {diff:.1e}")
                lines.append(f"| `{query}` | {range_name} | {ref['points']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/telemetryhub")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--span", default="24h", help="history sent (queries assume 24h)")
    parser.add_argument("--out", default="bench-promql.md")
    args = parser.parse_args()
    systems = args.systems.split(",")
    for s in systems:
        if s not in SYSTEMS:
            parser.error(f"unknown system {s}")
    end_ms = (int(time.time()) - 60) // 60 * 60 * 1000
    report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": f"{os.cpu_count()} vCPU, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                         f"{platform.processor() or platform.machine()}",
              "versions": versions(args.bin), "end_ms": end_ms, "runs": args.runs, "systems": {}}
    with tempfile.TemporaryDirectory(prefix="th-promql-bench-") as workdir:
        for name in systems:
            report["systems"][name] = run_system(args.bin, name, workdir, end_ms, args.span, args.runs)
    text = (f"PromQL range queries, {report['date']}, {report['machine']}; data ending at {end_ms} ms; "
            f"{args.runs} timed runs after one warm-up\n\n" + table(report) + "\n")
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(report, f, indent=1)
    log(f"wrote {args.out} and {os.path.splitext(args.out)[0]}.json")


if __name__ == "__main__":
    main()
