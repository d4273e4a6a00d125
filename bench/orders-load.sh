#!/usr/bin/env bash
# Benchmark: POST /orders under an open-loop load while the worker in the same process drains.
#
#   bench/orders-load.sh [--rate 500] [--seconds 60] [--connections 32] [--max-depth 100000] [--no-build]
#
# Starts the packaged service in a fresh data folder on loopback, warms it up (200 orders/s for 10 s,
# then waits for the worker), then offers --rate orders/s for --seconds with bench/burst/BurstLoad.java:
# kept-alive HTTP/1.1 connections, each latency measured from when the request was due (an answer that
# comes late counts against those queued behind it). Prints the generator's JSON summary and one line:
#   offered=… served_per_s=… p50_ms=… p99_ms=… max_ms=… refused=… worker_per_s=… jvm_cpu_pct=…
#   completed=… of accepted=… drained_s=… background_limit_min=…
# worker_per_s is the orders the worker completed per second during the load (its Prometheus counter);
# completed counts the worker's successes once the queue has drained after the load (bounded by
# --drain-timeout, default 600 s), which must equal the orders accepted: each one completed once.
# --max-depth is the orders queue's backlog limit for the run: the burst is to be absorbed by the queue
# (the demo's default, 10,000, would answer 429 to a 60 s load the worker cannot keep up with).
# background_limit_min is the lowest limit foreground first set during the load (errand_background_limit).
set -euo pipefail

rate=500 seconds=60 connections=32 build=1 max_depth=100000 drain_timeout=600
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --max-depth) max_depth=$2; shift 2 ;;
    --drain-timeout) drain_timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/orders-load-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT
start_service "-Derrand.backpressure.\"errand.orders\".max-depth=$max_depth"

load() { java "$root/bench/burst/BurstLoad.java" --url "$base/orders" --body orders --connections "$connections" "$@"; }
completed() {
  api "$base/q/metrics" | awk '/^errand_handler_messages_total\{.*consumer="orders".*outcome="succeeded"/ {s += $2} END {printf "%d", s}'
}
echo "warming up (2,000 orders at 200/s)" >&2
load --rate 200 --seconds 10 --customer-prefix warm --out "$work/warm.tsv" > /dev/null
for _ in $(seq 1 120); do [ "$(completed)" -ge 2000 ] && break; sleep 1; done

background_limit() {
  api "$base/q/metrics" | awk '/^errand_background_limit / {printf "%d", $2}'
}
before=$(completed)
cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
t0=$(date +%s.%N)
( while :; do background_limit; echo; sleep 0.5; done ) > "$work/background-limit.txt" 2>/dev/null &
watcher=$!
load --rate "$rate" --seconds "$seconds" --out "$work/requests.tsv" | tee "$work/load.json"
kill "$watcher" 2>/dev/null || true
t1=$(date +%s.%N)
cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
after=$(completed)
accepted=$(/usr/bin/python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1])).get("statuses", {}).get("202", 0)))' "$work/load.json")
drain_start=$SECONDS
while [ $(( $(completed) - before )) -lt "$accepted" ] && [ $((SECONDS - drain_start)) -lt "$drain_timeout" ]; do sleep 2; done
drained=$((SECONDS - drain_start))
sleep 3
done_after_drain=$(( $(completed) - before ))
limit_min=$(sort -n "$work/background-limit.txt" | grep -v '^$' | head -1)

/usr/bin/python3 - "$work/load.json" "$rate" "$seconds" "$before" "$after" "$t0" "$t1" "$cpu0" "$cpu1" "$(getconf CLK_TCK)" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
rate, seconds, before, after = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
elapsed = float(sys.argv[7]) - float(sys.argv[6])
cpu = (int(sys.argv[9]) - int(sys.argv[8])) / int(sys.argv[10]) / elapsed * 100
statuses = summary.get("statuses", {})
accepted = int(statuses.get("202", 0))
refused = sum(int(n) for s, n in statuses.items() if s != "202")
print(f"offered={rate} served_per_s={accepted / summary['answered_in_s']:.0f} p50_ms={summary['p50_ms']} "
      f"p99_ms={summary['p99_ms']} max_ms={summary['max_ms']} refused={refused} "
      f"worker_per_s={(after - before) / elapsed:.0f} jvm_cpu_pct={cpu:.0f}")
PY
echo "completed=$done_after_drain of accepted=$accepted drained_s=$drained background_limit_min=${limit_min:-n/a}"
