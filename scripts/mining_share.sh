#!/usr/bin/env bash
# Log pattern mining's share of the server's ingest work (issue 15: under 15 %).
#
#   scripts/mining_share.sh instructions [BIN] [REQUESTS]   # deterministic, under valgrind
#   scripts/mining_share.sh cpu [BIN] [ROUNDS]              # CPU seconds, alternating runs
#
# Each run starts `telemetryhub serve` on a fresh data directory with `--log-patterns true` or
# `false` (anomaly job off), loads it with `telemetryhub bench ingest --kind logs` (batches of
# 1,000 lines, 4 connections) and stops it. The share is (on − off) / on.
#
# `instructions` counts the server's instructions with callgrind (valgrind), less those of a
# run that ingests nothing (start-up and shutdown): the same on every run, so a few points can
# be told apart on a busy machine. `cpu` reads the server's user + system time from /proc: the
# figure a user feels, but it varies by ±10 % from run to run on a shared 2-core machine.
# BIN defaults to the release build in the CI cache (`cargo build --release -p telemetryhub`).
set -euo pipefail
mode=${1:?usage: mining_share.sh instructions|cpu [BIN] [REQUESTS|ROUNDS]}
bin=${2:-${CARGO_TARGET_DIR:-$HOME/.cache/telemetryhub-ci/target}/release/telemetryhub}
port=19193

# Starts the server (under `$wrap`, a command prefix), runs `requests` batches of load, stops
# the server; leaves its files under `$dir` and its CPU ticks in `cpu_before` / `cpu_after`.
run() {
  local patterns=$1 requests=$2 wrap=$3
  dir=$(mktemp -d /tmp/mining-share-XXXX)
  # The server stops when its stdin closes (`--exit-on-stdin-eof`): a fifo held open by this
  # script, closed once the load is done, so nothing outlives the script.
  mkfifo "$dir/stdin"
  $wrap "$bin" serve --listen 127.0.0.1:$port --otlp-http-listen off --otlp-grpc-listen off \
    --data-dir "$dir/data" --log-level warn --log-patterns "$patterns" \
    --anomaly-interval 100h --exit-on-stdin-eof < "$dir/stdin" > "$dir/server.log" 2>&1 &
  local server=$!
  exec 3> "$dir/stdin"
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
    sleep 0.5
  done
  cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  if [ "$requests" -gt 0 ]; then
    "$bin" bench ingest --target "http://127.0.0.1:$port" --kind logs --requests "$requests" \
      --batch 1000 --connections 4 > "$dir/bench.json" 2> "$dir/bench.log"
  fi
  cpu_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  exec 3>&-
  wait "$server"
}

case $mode in
  instructions)
    requests=${3:-400}
    declare -A ir
    out=$(mktemp /tmp/mining-share-cg-XXXX)
    valgrind="valgrind --tool=callgrind --callgrind-out-file=$out"
    for patterns in none true false; do
      case $patterns in
        none) run true 0 "$valgrind" ;;
        *) run "$patterns" "$requests" "$valgrind" ;;
      esac
      ir[$patterns]=$(grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}')
      rm -rf "$dir" "$out"
      echo "mining ${patterns/none/on, no load}: ${ir[$patterns]} instructions"
    done
    lines=$((requests * 1000))
    python3 - "${ir[none]}" "${ir[true]}" "${ir[false]}" "$lines" <<'EOF'
import sys
idle, on, off, lines = map(int, sys.argv[1:])
mining = on - off
print(f"per line: {(on - idle) / lines:.0f} instructions with mining, "
      f"{(off - idle) / lines:.0f} without; mining {mining / lines:.0f}")
print(f"mining share of the server's instructions: {100 * mining / (on - idle):.1f} %")
EOF
    ;;
  cpu)
    rounds=${3:-3}
    for round in $(seq 1 "$rounds"); do
      for patterns in true false; do
        run "$patterns" 2000 ""
        rate=$(grep -o '"items_per_second":[0-9.]*' "$dir/bench.json" | head -1 | cut -d: -f2)
        seconds=$(echo "scale=3; ($cpu_after - $cpu_before) / $(getconf CLK_TCK) / 2" | bc)
        echo "round $round mining $patterns: $rate lines/s, server CPU $seconds s per M lines"
        rm -rf "$dir"
      done
    done
    ;;
  *)
    echo "usage: mining_share.sh instructions|cpu [BIN] [REQUESTS|ROUNDS]" >&2
    exit 2
    ;;
esac
