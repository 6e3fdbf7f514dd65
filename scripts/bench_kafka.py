#!/usr/bin/env python3
"""The execution-records benchmark of docs/benchmarks.md: records/s through the file path and the
Kafka path, beside a plain Kafka consumer of the same topic (the broker's own throughput).

Generates N records of the original pipeline's shape (the shipped sample's six, cycled, each
with its own object id — so each has its own key) as NDJSON; starts a tansu broker (the one
scripts/test builds, or --tansu) on a loopback port with SQLite storage under --dir; with
`telemetryhub bench kafka` creates a topic, produces the records (timed) and consumes them as a
plain consumer that does nothing with them (timed); then starts `telemetryhub serve` on a fresh
data directory with a Kafka source on that topic (shipped mapping), and times its consumption
from the first stored message to the last (`telemetryhub_kafka_messages_total`); finally sends
the same file to `POST /ingest/file` (another tenant) and times it. Consumers are timed from
their first message, so joining the group is not counted.

Every number is printed with the load average of the moment; results go to stdout as a
Markdown table and to <dir>/results.json. The data lives under --dir (default
/work/bench-kafka) and is deleted at the end unless --keep. Bounded: the record count is
fixed, each step has a timeout, and every process started is stopped at the end.

Usage: scripts/bench_kafka.py [--records N] [--partitions P] [--binary target/release/telemetryhub]
                              [--tansu PATH] [--keep]
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "deploy/records/kafka-observability-sample.json")
MAPPING = os.path.join(ROOT, "deploy/records/kafka-observability.toml")
STEP_TIMEOUT = 1800


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(path, n):
    sample = json.load(open(SAMPLE))
    good = [r for r in sample if isinstance(r.get("Objet_Id"), int)]
    with open(path, "w") as f:
        for i in range(n):
            record = dict(good[i % len(good)])
            record["Objet_Id"] = 1_000_000 + i
            f.write(json.dumps(record, separators=(",", ":")) + "\n")


def bench_kafka(binary, brokers, topic, *extra):
    out = subprocess.run(
        [binary, "bench", "kafka", "--brokers", brokers, "--topic", topic, *extra],
        capture_output=True, text=True, timeout=STEP_TIMEOUT, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def metric(port, name, *labels):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and all(l in line for l in labels):
            total += float(line.rsplit(" ", 1)[1])
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=200_000)
    p.add_argument("--partitions", type=int, default=3)
    p.add_argument("--binary", default=os.path.join(ROOT, "target/release/telemetryhub"))
    p.add_argument("--tansu", default=os.environ.get("TELEMETRYHUB_TANSU"))
    p.add_argument("--dir", default="/work/bench-kafka")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if not args.tansu:
        sys.exit("--tansu or TELEMETRYHUB_TANSU: the tansu broker (scripts/test builds it)")
    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    records = os.path.join(args.dir, "records.ndjson")
    generate(records, args.records)
    size = os.path.getsize(records)
    print(f"{args.records} records, {size} bytes; load {load()}", flush=True)

    processes = []
    results = {"records": args.records, "bytes": size, "partitions": args.partitions}
    try:
        kafka_port = free_port()
        brokers = f"127.0.0.1:{kafka_port}"
        url = f"tcp://{brokers}"
        processes.append(subprocess.Popen(
            [args.tansu, "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "sqlite://tansu.db"],
            cwd=args.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", kafka_port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("tansu did not listen within 60 s")
                time.sleep(0.2)

        (produced,) = bench_kafka(args.binary, brokers, "records",
                                  "--create-partitions", str(args.partitions), "--produce", records)
        results["produce"] = dict(produced, load=load())
        print(f"produce: {produced['messages_per_second']:.0f} msg/s; load {load()}", flush=True)
        (plain,) = bench_kafka(args.binary, brokers, "records", "--consume", str(args.records))
        results["plain_consumer"] = dict(plain, load=load())
        print(f"plain consumer: {plain['messages_per_second']:.0f} msg/s; load {load()}", flush=True)

        records_config = os.path.join(args.dir, "records.toml")
        with open(records_config, "w") as f:
            f.write(open(MAPPING).read())
            f.write(f'\n[kafka.bench]\nbrokers = ["{brokers}"]\ntopics = ["records"]\n'
                    f'group_id = "telemetryhub"\nsource = "kafka-observability"\ntenant = "kafka"\n')
        port = free_port()
        server = subprocess.Popen(
            [args.binary, "serve", "--listen", f"127.0.0.1:{port}", "--otlp-http-listen", "off",
             "--otlp-grpc-listen", "off", "--data-dir", os.path.join(args.dir, "data"),
             "--retention", "3650d", "--records-config", records_config, "--log-level", "warn"],
            stdout=subprocess.DEVNULL, stdin=subprocess.PIPE)
        processes.append(server)
        deadline = time.time() + STEP_TIMEOUT
        first = None
        while True:
            try:
                stored = metric(port, "telemetryhub_kafka_messages_total", 'source="bench"')
            except OSError:
                stored = 0
            now = time.time()
            if stored > 0 and first is None:
                first = (now, stored)
            if stored >= args.records:
                break
            if now > deadline:
                sys.exit(f"telemetryhub consumed {stored} of {args.records} within {STEP_TIMEOUT} s")
            time.sleep(0.1)
        seconds = now - first[0]
        counted = args.records - first[1]
        results["telemetryhub_kafka"] = {"messages": counted, "seconds": seconds,
                                         "messages_per_second": counted / seconds, "load": load()}
        print(f"telemetryhub Kafka source: {counted / seconds:.0f} records/s; load {load()}", flush=True)

        body = open(records, "rb").read()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=STEP_TIMEOUT)
        started = time.time()
        c.request("POST", "/ingest/file?source=kafka-observability&format=ndjson", body,
                  {"X-Scope-OrgID": "file", "content-type": "application/x-ndjson"})
        answer = json.loads(c.getresponse().read())
        seconds = time.time() - started
        if answer.get("accepted") != args.records:
            sys.exit(f"the file path accepted {answer}")
        results["telemetryhub_file"] = {"messages": args.records, "seconds": seconds,
                                        "messages_per_second": args.records / seconds, "load": load()}
        print(f"telemetryhub file path: {args.records / seconds:.0f} records/s; load {load()}", flush=True)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep:
            shutil.rmtree(os.path.join(args.dir, "data"), ignore_errors=True)
            for name in os.listdir(args.dir):
                if name.startswith("tansu.db"):
                    os.remove(os.path.join(args.dir, name))
            os.remove(records) if os.path.exists(records) else None

    with open(os.path.join(args.dir, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print()
    print("| path | records/s | seconds | load (1, 5, 15 min) |")
    print("|---|---:|---:|---|")
    for key, name in [("telemetryhub_file", "file (`POST /ingest/file`, NDJSON)"),
                      ("telemetryhub_kafka", "Kafka source (consumer group, stored)"),
                      ("plain_consumer", "plain consumer (rdkafka, nothing stored)"),
                      ("produce", "producer (rdkafka, acks=all)")]:
        r = results[key]
        print(f"| {name} | {r['messages_per_second']:.0f} | {r['seconds']:.2f} | {r['load']} |")


if __name__ == "__main__":
    main()
