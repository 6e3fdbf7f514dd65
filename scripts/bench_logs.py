#!/usr/bin/env python3
"""The LogQL search benchmark of docs/benchmarks.md ("Logs: LogQL search", issue 17).

Generates N log lines (default 10 M) spread over one UTC day — web, api, db, auth, queue, cache,
payment and search services, 58 templates with ids, IPs, durations and paths, four levels, a
rare needle token in a handful of lines — written once as raw hourly files (as rotated logs
are) and as Loki push bodies; starts `telemetryhub serve` (the release binary) on a fresh data
directory, pushes every body over Loki push and measures:

* ingest lines/s through `/loki/api/v1/push`;
* bytes on disk per line after flush and compaction (parts, and the line indexes beside them),
  beside the raw lines and `zstd -3` of them;
* LogQL latency (`/loki/api/v1/query_range`, limit 100, and an instant `count_over_time`) of a
  needle search and of a regex filter over 1 h and 24 h, beside `rg` (ripgrep) and `zstdgrep`
  over the same raw lines, in the same run;
* `sum by (level) (count_over_time({...}[1m]))` over 24 h.

Every number is printed with the load average of the moment; results go to stdout as a
Markdown table and to <dir>/results.json. The data lives under --dir (default
/work/bench-logs) and is deleted at the end unless --keep. Bounded: the number of lines is
fixed, each request and each query has a timeout, and the run stops by itself.

Usage: scripts/bench_logs.py [--lines N] [--binary target/release/telemetryhub] [--keep]
"""

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

NEEDLE = "Zq9xW2kPqT"
NEEDLE_LINES = 7
REGEX = r"status=5\d\d .*duration=\d{4}ms"
SERVICES = ["web", "api", "db", "auth", "queue", "cache", "payment", "search"]
PODS = 4
LEVELS = [("info", 80), ("debug", 10), ("warn", 7), ("error", 3)]
BATCH_LINES = 10_000
QUERY_RUNS = 3


def rng_templates(r):
    """58 templates: (service, function of r giving the message)."""
    ip = lambda: f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"
    uid = lambda: r.randrange(1, 2_000_000)
    hexid = lambda n=16: "%0*x" % (n, r.getrandbits(4 * n))
    dur = lambda: r.randrange(1, 2500)
    path = lambda: r.choice(
        ["/api/v1/users", "/api/v1/orders", "/api/v1/cart", "/login", "/static/app.js",
         "/api/v1/search", "/healthz", "/api/v2/items", "/checkout", "/api/v1/payments"])
    method = lambda: r.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"])
    status = lambda: r.choice([200] * 30 + [201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503])
    table = lambda: r.choice(["users", "orders", "items", "sessions", "payments", "carts"])
    queue = lambda: r.choice(["emails", "invoices", "thumbnails", "webhooks", "exports"])
    t = []
    # web (nginx-like access logs and errors)
    t += [
        ("web", lambda: f'{ip()} - - "{method()} {path()}/{uid()} HTTP/1.1" status={status()} bytes={r.randrange(90, 90000)} duration={dur()}ms ua="Mozilla/5.0"'),
        ("web", lambda: f"upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip()}, upstream: \"http://{ip()}:8080{path()}\""),
        ("web", lambda: f"TLS handshake failed from {ip()}: remote error: bad certificate"),
        ("web", lambda: f"served {path()} from cache in {dur()}us etag={hexid(8)}"),
        ("web", lambda: f"rate limit exceeded for {ip()} on {path()}: {r.randrange(100, 999)} requests in 60s"),
        ("web", lambda: f"connection reset by peer while sending to client {ip()} after {r.randrange(1, 9000)} bytes"),
        ("web", lambda: f"GET {path()} status={status()} duration={dur()}ms request_id={hexid()}"),
        ("web", lambda: f"websocket upgrade for session {hexid(12)} from {ip()}"),
    ]
    # api
    t += [
        ("api", lambda: f"handled {method()} {path()} status={status()} duration={dur()}ms user_id={uid()} trace_id={hexid(32)}"),
        ("api", lambda: f"validation failed for field '{r.choice(['email', 'zip', 'phone', 'qty'])}' of request {hexid()}: value out of range"),
        ("api", lambda: f"user {uid()} authenticated via {r.choice(['password', 'sso', 'token'])} in {dur()}ms"),
        ("api", lambda: f"feature flag {r.choice(['new_checkout', 'dark_mode', 'beta_search'])} evaluated to {r.choice(['true', 'false'])} for user {uid()}"),
        ("api", lambda: f"calling {r.choice(['inventory', 'pricing', 'shipping'])} service attempt={r.randrange(1, 4)} timeout={r.randrange(100, 3000)}ms"),
        ("api", lambda: f"circuit breaker {r.choice(['inventory', 'pricing'])} state changed from closed to open after {r.randrange(5, 50)} failures"),
        ("api", lambda: f"response serialized bytes={r.randrange(200, 500000)} gzip=true duration={dur()}ms"),
        ("api", lambda: f"panic recovered in handler {path()}: index out of range [{r.randrange(1, 9)}] with length {r.randrange(0, 1)}"),
    ]
    # db
    t += [
        ("db", lambda: f"duration: {dur()}.{r.randrange(1000):03d} ms  statement: SELECT * FROM {table()} WHERE id = {uid()}"),
        ("db", lambda: f"checkpoint complete: wrote {r.randrange(10, 9000)} buffers ({r.random() * 10:.1f}%); {r.randrange(0, 5)} WAL file(s) added, sync={r.random():.3f} s"),
        ("db", lambda: f"automatic vacuum of table \"app.public.{table()}\": index scans: {r.randrange(0, 3)}, pages: {r.randrange(0, 999)} removed"),
        ("db", lambda: f"connection authorized: user=app database=app host={ip()} port={r.randrange(30000, 60000)}"),
        ("db", lambda: f"deadlock detected: Process {r.randrange(1000, 99999)} waits for ShareLock on transaction {r.randrange(10**6, 10**7)}"),
        ("db", lambda: f"slow query on {table()}: rows={r.randrange(1, 10**6)} duration={dur()}ms plan=seq_scan"),
        ("db", lambda: f"replication lag on replica-{r.randrange(1, 4)} is {r.randrange(0, 5000)}ms"),
        ("db", lambda: f"could not serialize access due to concurrent update on {table()} key={uid()}"),
    ]
    # auth
    t += [
        ("auth", lambda: f"login succeeded for user {uid()} from {ip()} mfa={r.choice(['totp', 'sms', 'none'])}"),
        ("auth", lambda: f"login failed for user {uid()} from {ip()}: invalid password (attempt {r.randrange(1, 6)})"),
        ("auth", lambda: f"issued token {hexid(24)} for client {r.choice(['web', 'ios', 'android'])} expires_in=3600"),
        ("auth", lambda: f"token {hexid(24)} revoked by user {uid()}"),
        ("auth", lambda: f"password reset requested for user {uid()} email=user{uid()}@example.com"),
        ("auth", lambda: f"account {uid()} locked after {r.randrange(5, 10)} failed attempts from {ip()}"),
        ("auth", lambda: f"session {hexid(12)} refreshed for user {uid()} ttl={r.randrange(600, 86400)}s"),
    ]
    # queue
    t += [
        ("queue", lambda: f"job {hexid()} on queue {queue()} completed in {dur()}ms attempts={r.randrange(1, 4)}"),
        ("queue", lambda: f"job {hexid()} on queue {queue()} failed: {r.choice(['timeout', 'connection refused', 'HTTP 500', 'invalid payload'])}; retrying in {r.randrange(1, 300)}s"),
        ("queue", lambda: f"queue {queue()} depth={r.randrange(0, 50000)} consumers={r.randrange(1, 32)} lag={r.randrange(0, 900)}s"),
        ("queue", lambda: f"enqueued {r.randrange(1, 500)} messages to {queue()} batch={hexid(8)}"),
        ("queue", lambda: f"consumer {hexid(6)} rebalanced partitions [{r.randrange(0, 16)}, {r.randrange(16, 32)}] generation={r.randrange(1, 999)}"),
        ("queue", lambda: f"dead-lettered message {hexid()} from {queue()} after {r.randrange(3, 10)} attempts"),
        ("queue", lambda: f"worker {r.randrange(1, 64)} heartbeat ok jobs_done={r.randrange(0, 10**5)}"),
    ]
    # cache
    t += [
        ("cache", lambda: f"GET key=user:{uid()}:profile hit={r.choice(['true', 'true', 'false'])} duration={r.randrange(1, 900)}us"),
        ("cache", lambda: f"SET key=session:{hexid(12)} ttl={r.randrange(60, 86400)} bytes={r.randrange(50, 9000)}"),
        ("cache", lambda: f"evicted {r.randrange(1, 5000)} keys under memory pressure used_memory={r.randrange(100, 4000)}mb"),
        ("cache", lambda: f"replica {ip()}:6379 connected offset={r.randrange(10**6, 10**9)}"),
        ("cache", lambda: f"slowlog: EVAL took {r.randrange(10, 90000)}us keys={r.randrange(1, 50)}"),
        ("cache", lambda: f"cluster slot {r.randrange(0, 16384)} migrated to node {hexid(8)}"),
        ("cache", lambda: f"client {ip()} closed connection idle={r.randrange(1, 3600)}s"),
    ]
    # payment
    t += [
        ("payment", lambda: f"charge ch_{hexid(14)} for order {uid()} amount={r.randrange(100, 99999)} currency=USD status={r.choice(['succeeded', 'succeeded', 'declined'])}"),
        ("payment", lambda: f"refund re_{hexid(14)} created for charge ch_{hexid(14)} reason={r.choice(['duplicate', 'fraudulent', 'requested_by_customer'])}"),
        ("payment", lambda: f"webhook {r.choice(['charge.succeeded', 'charge.failed', 'payout.paid'])} delivered to {ip()} in {dur()}ms"),
        ("payment", lambda: f"card declined for customer cus_{hexid(10)}: {r.choice(['insufficient_funds', 'expired_card', 'do_not_honor'])}"),
        ("payment", lambda: f"fraud score {r.random():.3f} for order {uid()} rules={r.randrange(0, 12)}"),
        ("payment", lambda: f"payout po_{hexid(12)} scheduled amount={r.randrange(1000, 10**7)} arrival={r.randrange(1, 5)}d"),
        ("payment", lambda: f"idempotency key {hexid(20)} replayed for POST /v1/charges"),
    ]
    # search
    t += [
        ("search", lambda: f"query q=\"{r.choice(['shoes', 'red dress', 'laptop bag', 'usb c cable', 'coffee'])}\" hits={r.randrange(0, 10000)} took={dur()}ms shard={r.randrange(0, 12)}"),
        ("search", lambda: f"indexed {r.randrange(1, 5000)} documents into items-{r.randrange(1, 30):02d} in {dur()}ms"),
        ("search", lambda: f"shard items-{r.randrange(1, 30):02d}[{r.randrange(0, 12)}] relocated from {ip()} to {ip()}"),
        ("search", lambda: f"GC overhead: spent {r.randrange(100, 9000)}ms collecting in the last {r.randrange(1, 60)}s heap={r.randrange(1, 31)}gb"),
        ("search", lambda: f"slow search took={dur()}ms query_id={hexid()} terms={r.randrange(1, 9)} status=5{r.randrange(0, 4)}{r.randrange(0, 9)} duration={r.randrange(1000, 9999)}ms"),
        ("search", lambda: f"cluster health changed from {r.choice(['green', 'yellow'])} to {r.choice(['yellow', 'red'])} unassigned={r.randrange(0, 40)}"),
    ]
    return t


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def generate_hour(job):
    """Writes raw/hour-HH.log and the push bodies of hour `hour`'s lines."""
    directory, n, hour, day_start_ns, needle_at = job
    r = random.Random(17 + hour)
    templates = rng_templates(r)
    by_service = {s: [f for (svc, f) in templates if svc == s] for s in SERVICES}
    level_names = [l for (l, w) in LEVELS for _ in range(w)]
    step = 86_400 * 10**9 / n
    first = n * hour // 24
    last = n * (hour + 1) // 24
    streams = {}
    pending = 0
    body_no = 0
    last_second, prefix = None, ""

    def flush_body():
        nonlocal body_no, pending, streams
        if not pending:
            return
        body = {"streams": [{"stream": dict(k), "values": v} for k, v in streams.items()]}
        with open(os.path.join(directory, "push", "%02d-%05d.json" % (hour, body_no)), "w") as f:
            f.write(json.dumps(body, separators=(",", ":")))
        body_no += 1
        pending = 0
        streams = {}

    with open(os.path.join(directory, "raw", "hour-%02d.log" % hour), "w") as raw:
        for i in range(first, last):
            ts = day_start_ns + int(i * step)
            service = SERVICES[int(r.random() * len(SERVICES))]
            level = level_names[int(r.random() * 100)]
            message = r.choice(by_service[service])()
            if i in needle_at:
                message = f"payment capture failed for order {r.randrange(10**6)} correlation={NEEDLE} retry=false"
            pod = f"{service}-{int(r.random() * PODS)}"
            second = ts // 10**9
            if second != last_second:
                last_second = second
                prefix = dt.datetime.fromtimestamp(second, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
            line = f"{prefix}.{ts // 1000 % 10**6:06d}Z {level.upper()} {message}"
            raw.write(f"{line}\n")
            key = (("env", "prod"), ("service_name", service), ("pod", pod), ("level", level))
            streams.setdefault(key, []).append([str(ts), line])
            pending += 1
            if pending >= BATCH_LINES:
                flush_body()
        flush_body()
    return body_no


def generate(args, day_start_ns):
    """Writes raw/hour-HH.log (time, level, message) and push/HH-NNNNN.json bodies, an hour per
    job on every core."""
    os.makedirs(os.path.join(args.dir, "raw"))
    os.makedirs(os.path.join(args.dir, "push"))
    needle_at = set(random.Random(17).sample(range(args.lines), NEEDLE_LINES))
    jobs = [(args.dir, args.lines, hour, day_start_ns, needle_at) for hour in range(24)]
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        return sum(pool.map(generate_hour, jobs))


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None, headers=None):
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            return resp.status, resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            raise


def timed(fn, runs=QUERY_RUNS):
    """Runs fn `runs` times; returns (first, median of all) seconds and the last result."""
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times[0], statistics.median(times), result


def du(path, suffixes):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            if f.endswith(suffixes):
                total += os.path.getsize(os.path.join(root, f))
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lines", type=int, default=10_000_000)
    p.add_argument("--dir", default="/work/bench-logs")
    p.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "telemetryhub"))
    p.add_argument("--port", type=int, default=39517)
    p.add_argument("--keep", action="store_true", help="keep the data directory")
    p.add_argument("--settle", type=int, default=30, help="seconds between checks that compaction is done")
    p.add_argument("--reuse", action="store_true",
                   help="only the queries, over the lines and store a run with --keep left in --dir")
    args = p.parse_args()

    for tool, package in [("rg", "ripgrep"), ("zstd", "zstd")]:
        if shutil.which(tool) is None:
            subprocess.run(["apt-get", "install", "-y", package], check=True)
    if args.reuse:
        pass
    elif os.path.exists(args.dir):
        shutil.rmtree(args.dir)
    os.makedirs(args.dir, exist_ok=True)
    free = shutil.disk_usage(args.dir).free
    need = args.lines * 600  # raw + push bodies + WAL + parts, generously
    print(f"free disk {free / 2**30:.1f} GiB, need about {need / 2**30:.1f} GiB", flush=True)
    if free < need and not args.reuse:
        sys.exit("not enough disk for --lines; lower it")

    today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start = today - dt.timedelta(days=1)
    day_start_ns = int(day_start.timestamp()) * 10**9
    results = {"lines": args.lines, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}

    if not args.reuse:
        t0 = time.perf_counter()
        bodies = generate(args, day_start_ns)
        print(f"generated {args.lines} lines, {bodies} bodies in {time.perf_counter() - t0:.0f}s", flush=True)
    raw_dir = os.path.join(args.dir, "raw")
    raw_files = sorted(os.path.join(raw_dir, f) for f in os.listdir(raw_dir))
    raw_bytes = sum(os.path.getsize(f) for f in raw_files)
    zst_dir = os.path.join(args.dir, "zst")
    os.makedirs(zst_dir, exist_ok=True)
    for f in raw_files if not args.reuse else []:
        subprocess.run(["zstd", "-3", "-q", "-T1", f, "-o", os.path.join(zst_dir, os.path.basename(f) + ".zst")], check=True)
    zst_files = sorted(os.path.join(zst_dir, f) for f in os.listdir(zst_dir))
    zst_bytes = sum(os.path.getsize(f) for f in zst_files)
    results["raw_bytes_per_line"] = raw_bytes / args.lines
    results["zstd3_bytes_per_line"] = zst_bytes / args.lines

    data = os.path.join(args.dir, "data")
    server = subprocess.Popen(
        [args.binary, "serve", "--listen", f"127.0.0.1:{args.port}", "--data-dir", data,
         "--retention", "7d", "--log-level", "warn", "--query-timeout", "120s", "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE)
    try:
        client = Client(args.port)
        for _ in range(100):
            try:
                if client.request("GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        push_dir = os.path.join(args.dir, "push")
        t0 = time.perf_counter()
        for name in sorted(os.listdir(push_dir)) if not args.reuse else []:
            with open(os.path.join(push_dir, name), "rb") as f:
                body = f.read()
            for attempt in range(100):
                status, answer = client.request("POST", "/loki/api/v1/push", body, {"Content-Type": "application/json"})
                if status != 503:
                    break
                time.sleep(0.5)  # back-pressure: the buffer is full until a flush
            if status not in (200, 204):
                sys.exit(f"push {name}: {status} {answer[:300]!r}")
        if not args.reuse:
            push_s = time.perf_counter() - t0
            results["ingest_lines_per_s"] = args.lines / push_s
            results["ingest_load"] = load()
            print(f"pushed in {push_s:.1f}s: {args.lines / push_s:,.0f} lines/s (load {load()})", flush=True)
            shutil.rmtree(push_dir)

        client.request("POST", "/flush")
        # Compaction runs in the background every minute: wait until the part count settles.
        parts_dir = os.path.join(data, "parts", "logs")
        count = lambda: sum(len([f for f in fs if f.endswith(".parquet")]) for _, _, fs in os.walk(parts_dir))
        settled, last, t0 = 0, -1, time.perf_counter()
        while settled < 3 and time.perf_counter() - t0 < 900 and not args.reuse:
            time.sleep(args.settle)
            now = count()
            settled = settled + 1 if now == last else 0
            last = now
        time.sleep(0 if args.reuse else min(65, 2 * args.settle))  # replaced parts are deleted after a grace period
        results["parts"] = count()
        results["parquet_bytes_per_line"] = du(parts_dir, (".parquet",)) / args.lines
        results["index_bytes_per_line"] = du(parts_dir, (".lines",)) / args.lines
        print(json.dumps(results), flush=True)

        end_ns = day_start_ns + 86_400 * 10**9
        hour_start = day_start_ns + 12 * 3600 * 10**9
        ranges = {"1h": (hour_start, hour_start + 3600 * 10**9, [os.path.join(raw_dir, "hour-12.log")], [os.path.join(zst_dir, "hour-12.log.zst")]),
                  "24h": (day_start_ns, end_ns, raw_files, zst_files)}

        def query_range(q, start, end, limit=100, step=None):
            params = {"query": q, "start": str(start), "end": str(end), "limit": str(limit), "direction": "backward"}
            if step:
                params["step"] = step
            status, body = client.request("GET", "/loki/api/v1/query_range?" + urllib.parse.urlencode(params))
            if status != 200:
                raise RuntimeError(f"{q}: {status} {body[:300]!r}")
            return json.loads(body)

        def instant(q, at):
            status, body = client.request("GET", "/loki/api/v1/query?" + urllib.parse.urlencode({"query": q, "time": str(at)}))
            if status != 200:
                raise RuntimeError(f"{q}: {status} {body[:300]!r}")
            return json.loads(body)

        def lines_of(answer):
            return sum(len(s["values"]) for s in answer["data"]["result"])

        def count_of(answer):
            return sum(int(float(s["value"][1])) for s in answer["data"]["result"])

        def grep(cmd):
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
            return sum(int(l.rsplit(":", 1)[-1]) for l in out.split() if l)

        rows = []
        searches = [("needle", f'|= "{NEEDLE}"', ["-F", NEEDLE]), ("regex", f"|~ `{REGEX}`", [REGEX])]
        for name, stage, pattern in searches:
            for span, (start, end, raws, zsts) in ranges.items():
                selector = '{env="prod"} ' + stage
                first, median, answer = timed(lambda: query_range(selector, start, end))
                rows.append((f"{name} {span}: query_range limit 100", first, median, lines_of(answer), load()))
                seconds = (end - start) // 10**9
                first, median, answer = timed(lambda: instant(f"sum(count_over_time({selector} [{seconds}s]))", end))
                rows.append((f"{name} {span}: count_over_time", first, median, count_of(answer), load()))
                first, median, n = timed(lambda: grep(["rg", "-c", "--no-filename", *pattern, *raws]))
                rows.append((f"{name} {span}: rg -c (raw)", first, median, n, load()))
                zcmd = ["zstdgrep", "-c", *(["-F", NEEDLE] if name == "needle" else ["-E", REGEX.replace(r"\d", "[0-9]")]), *zsts]
                first, median, n = timed(lambda: grep(zcmd))
                rows.append((f"{name} {span}: zstdgrep -c (zstd -3)", first, median, n, load()))
                print(rows[-4:], flush=True)
        # Every line carries its pattern id as structured metadata, which LogQL makes a label:
        # the inner count_over_time has a series per stream and pattern, past the engine's
        # 500-series limit; dropping the label first keeps one per stream.
        for q in ['sum by (level) (count_over_time({env="prod"}[1m]))',
                  'sum by (level) (count_over_time({env="prod"} | drop pattern_id [1m]))']:
            try:
                first, median, answer = timed(lambda: query_range(q, day_start_ns, end_ns, step="60"))
                points = sum(len(s["values"]) for s in answer["data"]["result"])
                rows.append((f"`{q}` 24h, step 1m (points)", first, median, points, load()))
            except RuntimeError as e:
                rows.append((f"`{q}` 24h: {str(e)[-60:]}", 0.0, 0.0, 0, load()))
        results["queries"] = rows
        print("\n| what | first (s) | median of 3 (s) | lines / count | load average (1, 5, 15 min) |")
        print("|---|---:|---:|---:|---|")
        for what, first, median, n, ld in rows:
            print(f"| {what} | {first:.3f} | {median:.3f} | {n} | {ld} |")
        with open(os.path.join(args.dir, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        print(json.dumps(results, indent=1))
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        if not args.keep:
            shutil.rmtree(args.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
