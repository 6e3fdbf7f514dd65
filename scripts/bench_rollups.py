#!/usr/bin/env python3
"""The hourly rollups' cost (issue 18): the same metric history stored with `--rollups true` and
with `--rollups false`, side by side.

For each setting in turn, on loopback, with a fresh data directory inside one temporary
directory (deleted at the end unless --keep):

1. start `telemetryhub serve` (the --bin binary) on a free 127.0.0.1 port with that setting and
   the same flush settings (--flush-size, --flush-interval);
2. send it the same history with `telemetryhub bench history` over remote_write: --counters
   series of `x_total` and --histogram-instances classic histograms (ten buckets, sum and
   count each), one sample every --interval over --span, ending on a whole hour, so every
   series has --span's hours of rollups; bounded by `--duration` and a timeout;
3. `POST /flush`, then wait until the server's CPU is idle (at most --settle-limit seconds);
4. read, from the server itself: flushes and their total time
   (`telemetryhub_background_job_duration_seconds{job="flush"}` sum and count; `job="rollup"`,
   the part of those flushes spent rolling up; `job="compaction"`), the rollup counters, and
   the process' CPU time (user + system, /proc/PID/stat) while loading, while flushing and in
   all; and the bytes of the `metrics` and `metrics_hourly` parts on disk (Parquet files and
   the series indexes beside them), per series-hour. With rollups on, the series-hours the
   rollups hold (`SELECT count(*) FROM metrics_hourly`) are checked against series x hours;
5. stop it (SIGTERM, then SIGKILL if it has not exited within a minute).

The machine's load average is printed with every figure: on a shared machine other builds move
CPU and flush times, so compare the two settings of one run; --repeat N runs each setting N
times, alternated, and the table shows each figure's median. Results go to stdout as a
Markdown table and, with --out, as JSON (every run and the medians).

Usage: scripts/bench_rollups.py [--bin target/release/telemetryhub] [--counters 5000] [--span 6h]
                                [--interval 15s] [--flush-size 64MiB] [--repeat 1] [--out FILE.json]
                                [--keep]
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_kafka import free_port, load  # noqa: E402
from bench_promql import cpu_seconds, wait_idle  # noqa: E402

HOUR_MS = 3_600_000
# `bench history`'s histogram: ten `le` buckets, `h_sum` and `h_count` per instance.
SERIES_PER_HISTOGRAM = 12
STEP_TIMEOUT = 1800


def log(*args):
    print(f"[{time.strftime('%H:%M:%S')}] (load {load()})", *args, file=sys.stderr, flush=True)


def duration_ms(text):
    units = {"ms": 1, "s": 1000, "m": 60_000, "h": HOUR_MS, "d": 24 * HOUR_MS}
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit) and text[: -len(unit)].isdigit():
            return int(text[: -len(unit)]) * units[unit]
    raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 15s, 6h)")


class Server:
    """`telemetryhub serve` on a free loopback port with a data directory of its own."""

    def __init__(self, binary, data_dir, *extra):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # --exit-on-stdin-eof: the server exits with this script even if it is killed.
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}", "--otlp-http-listen", "off",
             "--otlp-grpc-listen", "off", "--data-dir", data_dir, "--log-level", "warn",
             "--exit-on-stdin-eof", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        if "listening" not in line:
            self.stop()
            raise RuntimeError(f"the server did not start: {line!r}")
        self.pid = self.proc.pid

    def request(self, method, path, body=None, headers=None, timeout=600):
        req = urllib.request.Request(self.url + path, method=method, data=body, headers=headers or {})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.read()

    def metrics(self):
        """Every sample of /metrics as {'name{labels}': value}."""
        values = {}
        for line in self.request("GET", "/metrics").decode().splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                values[key] = float(value)
        return values

    def sql(self, query):
        body = json.dumps({"query": query}).encode()
        answer = json.loads(self.request("POST", "/query/sql", body, {"Content-Type": "application/json"}))
        return answer["rows"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=60)


def job(metrics, name, stat):
    return metrics.get(f'telemetryhub_background_job_duration_seconds_{stat}{{job="{name}"}}', 0.0)


def table_bytes(data_dir, table):
    """Bytes of a table's files under parts/: (Parquet parts, indexes beside them, parts)."""
    parquet = index = parts = 0
    for root, _, files in os.walk(os.path.join(data_dir, "parts", table)):
        for name in files:
            size = os.path.getsize(os.path.join(root, name))
            if name.endswith(".parquet"):
                parquet += size
                parts += 1
            elif not name.endswith(".tmp"):
                index += size
    return parquet, index, parts


def send_history(binary, url, args, end_ms):
    log(f"  sending {args.span} of history: {args.counters} counters, {args.histogram_instances} histograms")
    command = [binary, "bench", "history", "--target", url, "--end-ms", str(end_ms), "--span", args.span,
               "--interval", args.interval, "--counters", str(args.counters),
               "--histogram-instances", str(args.histogram_instances), "--duration", args.duration]
    done = subprocess.run(command, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"bench history failed: {done.stderr[-2000:]}")
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    log(f"  {summary.get('samples')} samples in {summary.get('seconds')} s, "
        f"{summary.get('errors')} failed requests")
    return summary


def run(binary, rollups, workdir, args, end_ms, series_hours):
    name = "on" if rollups else "off"
    data_dir = os.path.join(workdir, f"rollups-{name}")
    os.makedirs(data_dir)
    log(f"rollups {name}: starting {binary}")
    server = Server(binary, data_dir, "--rollups", "true" if rollups else "false",
                    "--flush-size", args.flush_size, "--flush-interval", args.flush_interval)
    try:
        cpu_start = cpu_seconds(server.pid)
        loaded = time.time()
        sent = send_history(binary, server.url, args, end_ms)
        load_seconds = time.time() - loaded
        cpu_loaded = cpu_seconds(server.pid)
        load_at_end = load()
        flushed = time.time()
        server.request("POST", "/flush")
        flush_request_seconds = time.time() - flushed
        cpu_flushed = cpu_seconds(server.pid)
        wait_idle(server.pid, args.settle_limit)
        cpu_end = cpu_seconds(server.pid)
        metrics = server.metrics()
        hourly_rows = None
        if rollups:
            hourly_rows = server.sql("SELECT count(*) AS n FROM metrics_hourly")[0][0]
            if hourly_rows != series_hours:
                log(f"  ! metrics_hourly holds {hourly_rows} series-hours, expected {series_hours}")
        raw = table_bytes(data_dir, "metrics")
        hourly = table_bytes(data_dir, "metrics_hourly")
        result = {
            "rollups": rollups,
            "samples": sent.get("samples"),
            "failed_requests": sent.get("errors"),
            "load_seconds": round(load_seconds, 2),
            "load_average_after_load": load_at_end,
            "flushes": int(job(metrics, "flush", "count")),
            "flush_seconds": round(job(metrics, "flush", "sum"), 3),
            "rollup_seconds": round(job(metrics, "rollup", "sum"), 3),
            "rollup_share": round(job(metrics, "rollup", "sum") / max(job(metrics, "flush", "sum"), 1e-9), 3),
            "compactions": int(job(metrics, "compaction", "count")),
            "compaction_seconds": round(job(metrics, "compaction", "sum"), 3),
            "final_flush_request_seconds": round(flush_request_seconds, 3),
            "rollup_samples": int(metrics.get("telemetryhub_rollup_samples_total", 0)),
            "rollup_rows": int(metrics.get("telemetryhub_rollup_rows_total", 0)),
            "metrics_hourly_series_hours": hourly_rows,
            "cpu_seconds_load": round(cpu_loaded - cpu_start, 2),
            "cpu_seconds_final_flush": round(cpu_flushed - cpu_loaded, 2),
            "cpu_seconds_total": round(cpu_end - cpu_start, 2),
            "metrics_parquet_bytes": raw[0],
            "metrics_index_bytes": raw[1],
            "metrics_parts": raw[2],
            "metrics_hourly_parquet_bytes": hourly[0],
            "metrics_hourly_index_bytes": hourly[1],
            "metrics_hourly_parts": hourly[2],
            "metrics_bytes_per_series_hour": round((raw[0] + raw[1]) / series_hours, 1),
            "metrics_hourly_bytes_per_series_hour": round((hourly[0] + hourly[1]) / series_hours, 1),
        }
        log(f"  flushes {result['flushes']} in {result['flush_seconds']} s (rollup {result['rollup_seconds']} s), "
            f"CPU {result['cpu_seconds_total']} s, metrics {raw[0] + raw[1]} B, metrics_hourly {hourly[0] + hourly[1]} B")
        return result
    finally:
        server.stop()


def median_run(runs):
    """Each numeric figure's median over the runs of one setting (the others as the first run's)."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
            out[key] = statistics.median(values)
    return out


def table(medians):
    on, off = medians["on"], medians["off"]

    def ratio(a, b):
        return f"{a / b:.2f}×" if b else "–"

    rows = [
        ("flushes", "flushes", None),
        ("flush time, s (server's histogram, sum)", "flush_seconds", True),
        ("of which rolling up, s", "rollup_seconds", None),
        ("rolling up, share of flush time", "rollup_share", None),
        ("compactions / their time, s", None, None),
        ("server CPU while loading, s", "cpu_seconds_load", True),
        ("server CPU in the final flush, s", "cpu_seconds_final_flush", True),
        ("server CPU in all, s", "cpu_seconds_total", True),
        ("load time (wall), s", "load_seconds", True),
        ("`metrics` parts, bytes per series-hour", "metrics_bytes_per_series_hour", True),
        ("`metrics_hourly` parts, bytes per series-hour", "metrics_hourly_bytes_per_series_hour", None),
    ]
    def fmt(value):
        if isinstance(value, int) or float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"

    out = ["| | rollups on | rollups off | on / off |", "|---|---:|---:|---:|"]
    for label, key, compare in rows:
        if key is None:
            out.append(f"| {label} | {fmt(on['compactions'])} / {fmt(on['compaction_seconds'])} | "
                       f"{fmt(off['compactions'])} / {fmt(off['compaction_seconds'])} | |")
            continue
        share = key == "rollup_share"
        cells = [f"{v:.1%}" if share else fmt(v) for v in (on[key], off[key])]
        out.append(f"| {label} | {cells[0]} | {cells[1]} | {ratio(on[key], off[key]) if compare else ''} |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="target/release/telemetryhub")
    parser.add_argument("--counters", type=int, default=5000, help="series of the counter x_total")
    parser.add_argument("--histogram-instances", type=int, default=10, help="classic histograms, 12 series each")
    parser.add_argument("--span", default="6h", help="history sent, whole hours")
    parser.add_argument("--interval", default="15s", help="time between two samples of a series")
    parser.add_argument("--flush-size", default="64MiB", help="the servers' --flush-size")
    parser.add_argument("--flush-interval", default="5m", help="the servers' --flush-interval")
    parser.add_argument("--duration", default="900s", help="bound on sending the history, per server")
    parser.add_argument("--settle-limit", type=int, default=300, help="most seconds to wait for idle after the flush")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each setting, alternated (the table shows medians)")
    parser.add_argument("--only", choices=["on", "off"], help="run one setting only")
    parser.add_argument("--out", help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the data directories (printed)")
    args = parser.parse_args()
    span_ms = duration_ms(args.span)
    interval_ms = duration_ms(args.interval)
    if span_ms % HOUR_MS or HOUR_MS % interval_ms:
        parser.error("--span must be whole hours and --interval divide an hour")
    binary = os.path.abspath(args.bin)
    # The last sample one interval before a whole hour, the first on a whole hour: every series
    # fills span/1h hours exactly. The same end for both settings.
    end_ms = int(time.time() * 1000) // HOUR_MS * HOUR_MS - interval_ms
    series = args.counters + args.histogram_instances * SERIES_PER_HISTOGRAM
    series_hours = series * (span_ms // HOUR_MS)
    report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": f"{os.cpu_count()} vCPU, "
                         f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
              "binary": binary, "series": series, "series_hours": series_hours, "end_ms": end_ms,
              "span": args.span, "interval": args.interval, "flush_size": args.flush_size,
              "load_average_at_start": load(), "runs": {}}
    workdir = tempfile.mkdtemp(prefix="th-rollups-bench-")
    try:
        # Alternated, so a change in the machine's load falls on both settings alike.
        for repeat in range(args.repeat):
            for setting in ("on", "off"):
                if args.only in (None, setting):
                    result = run(binary, setting == "on", os.path.join(workdir, str(repeat)), args, end_ms,
                                 series_hours)
                    report["runs"].setdefault(setting, []).append(result)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["load_average_at_end"] = load()
    print(f"Hourly rollups' cost, {report['date']}, {report['machine']}; {series} series × {args.span} "
          f"every {args.interval} ({series_hours} series-hours), --flush-size {args.flush_size}; "
          f"load average {report['load_average_at_start']} at start, {report['load_average_at_end']} at end\n")
    medians = {setting: median_run(runs) for setting, runs in report["runs"].items()}
    report["medians"] = medians
    if len(medians) == 2:
        print(table(medians) + "\n")
    else:
        print(json.dumps(medians, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
