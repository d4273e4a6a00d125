#!/usr/bin/env bash
# Benchmark: Errand's rate and CPU per message against the embedded broker's own, in one run.
#
#   bench/throughput.sh [--runs 3] [--messages 100000] [--users 50000] [--error-rate 0.05]
#                       [--raw-seconds 30] [--rows raw,raw-drain,noop,insert,campaign] [--no-build] [--jfr]
#
# Each run starts the packaged service (embedded Artemis and PostgreSQL) in a fresh data folder and
# measures, one after the other, on one box:
#   raw       the embedded broker alone: Artemis' own perf client (AMQP, persistent, 256 B, one
#             producer and one consumer, --max-pending 100) on a queue of its own; the distribution
#             org.apache.artemis:apache-artemis:2.56.0:tar.gz:bin is fetched from Maven Central once
#             and cached in ~/.cache/errand-bench (from the local Maven repository when it is there)
#   raw-drain the embedded broker's own consume-only rate, the fair baseline for noop and insert: Artemis'
#             perf producer fills a queue of its own with --messages messages (AMQP, persistent, 256 B,
#             --max-pending 100), then perf consumer drains it; timed from the consumer's samples, CPU
#             and RSS over the drain alone
#   noop      a queue pre-filled with --messages messages (its consumer paused), drained by a handler
#             that does nothing: Errand's own work alone (contract check, processed-message marker
#             committed in PostgreSQL, ack)
#   insert    the same with a handler that inserts one row, the typical handler
#   campaign  the coupon campaign: --users users, --error-rate injected errors
#   cold      (not by default) the same campaign as the first thing after the service started: list it
#             first, e.g. --rows cold,campaign, to compare the first campaign with a warm one
# For each row: messages/s; the ratio to raw and to raw-drain; CPU ms per message from /proc (the service's JVM, which
# hosts the broker, plus PostgreSQL's processes; for raw also the perf client's JVM); the JVM's
# peak RSS during the row. Each row runs --runs times; the table gives medians. The last line is
# machine-readable:  raw=N raw-drain=N noop=N insert=N campaign=N
# CPU is split into the JVM's and PostgreSQL's (and, for raw, the perf client's) columns.
# --jfr records each row's measured window with Java Flight Recorder (settings=profile) into the run's
# folder and prints where the samples fall (bench/jfr-summary.py).
# BENCH_JAVA_OPTS sets the service's JVM options (default -Xmx2g); with -XX:NativeMemoryTracking=summary
# each row ends with the JVM's native memory summary in the run's folder (<row>.nmt.txt). Always stops what it started.
set -euo pipefail

runs=3 messages=100000 users=50000 error_rate=0.05 raw_seconds=30 rows=raw,raw-drain,noop,insert,campaign build=1 jfr=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --raw-seconds) raw_seconds=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --jfr) jfr=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
top="$root/bench/work/throughput-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$top"
work="$top"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; stop_service' EXIT

if [[ ",$rows," == *,raw,* || ",$rows," == *,raw-drain,* ]]; then fetch_artemis; fi

# Each row prints "rate cpu_ms_per_msg peak_rss_mb".
row_raw() {
  local password c0 c1 rate client_ms
  password=$(sed -n 's/^amqp.errand.password=//p' "$work/data/credentials.properties")
  start_rss_sampler
  c0=$(cpu_ticks)
  jfr_start
  /usr/bin/time -f '%U %S' -o "$work/raw.time" "$artemis/bin/artemis" perf client --protocol AMQP \
    --url "tcp://127.0.0.1:$amqp_port" --user errand --password="$password" --persistent --message-size 256 \
    --max-pending 100 --warmup 10 --duration "$raw_seconds" --json "$work/raw.json" queue://errand.bench-raw \
    > "$work/raw.log" 2>&1
  c1=$(cpu_ticks)
  jfr_stop raw
  client_ms=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/raw.time")
  # The rate after the warm-up; the CPU of the whole run (warm-up, the client's start) per message received.
  /usr/bin/python3 - "$work/raw.json" "$(cpu_ms "$c0" "$c1")" "$client_ms" "$(stop_rss_sampler)" <<'PY'
import json, sys
samples = [s for s in json.load(open(sys.argv[1])) if s.get("sampleType") == "interval"]
steady = [s for s in samples if not s["warmup"]]
seconds = (steady[-1]["time"] - samples[[s["warmup"] for s in samples].index(False) - 1]["time"]) / 1000
received = sum(s["received"] for s in steady)
total = sum(s["received"] for s in samples)
cpu, jvm, pg = (int(x) for x in sys.argv[2].split())
client = int(sys.argv[3])
print(f"{received / seconds:.0f} {(cpu + client) / total:.3f} {sys.argv[4]} {jvm / total:.3f} {pg / total:.3f} {client / total:.3f}")
PY
}

# row_raw_drain: the broker alone, as noop and insert see it: a queue filled first (not timed), then
# drained by Artemis' perf consumer. The rate runs from the start of the consumer's first one-second
# sample to its summary, so the client JVM's start is not counted but its cold first second is, as
# noop's first second is; CPU and RSS cover the drain alone (the client's CPU includes its start).
row_raw_drain() {
  local password c0 c1 client_ms common
  password=$(sed -n 's/^amqp.errand.password=//p' "$work/data/credentials.properties")
  common=(--protocol AMQP --url "tcp://127.0.0.1:$amqp_port" --user errand --password="$password")
  "$artemis/bin/artemis" perf producer "${common[@]}" --persistent --message-size 256 --max-pending 100 \
    --message-count "$messages" queue://errand.bench-raw-drain > "$work/raw-drain-fill.log" 2>&1
  start_rss_sampler
  c0=$(cpu_ticks)
  jfr_start
  /usr/bin/time -f '%U %S' -o "$work/raw-drain.time" "$artemis/bin/artemis" perf consumer "${common[@]}" \
    --message-count "$messages" --json "$work/raw-drain.json" queue://errand.bench-raw-drain \
    > "$work/raw-drain.log" 2>&1
  c1=$(cpu_ticks)
  jfr_stop raw-drain
  client_ms=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/raw-drain.time")
  /usr/bin/python3 - "$work/raw-drain.json" "$(cpu_ms "$c0" "$c1")" "$client_ms" "$(stop_rss_sampler)" "$messages" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
intervals = [s for s in report if s.get("sampleType") == "interval"]
summary = next(s for s in report if s.get("sampleType") == "summary")
n = int(sys.argv[5])
if summary["totalReceived"] != n:
    sys.exit(f"raw-drain: the consumer received {summary['totalReceived']} of {n}")
# Samples are one second apart; the first covers the second before its time stamp.
start = (intervals[0]["time"] if intervals else summary["time"]) - 1000
seconds = (summary["time"] - start) / 1000
cpu, jvm, pg = (int(x) for x in sys.argv[2].split())
client = int(sys.argv[3])
print(f"{n / seconds:.0f} {(cpu + client) / n:.3f} {sys.argv[4]} {jvm / n:.3f} {pg / n:.3f} {client / n:.3f}")
PY
}

# row_campaign NAME: one campaign; NAME names its users and its profile.
row_campaign() {
  local c0 c1 id state stats
  api -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
    -d "{\"errorRate\": $error_rate, \"rateLimit\": 0, \"latencyMs\": 0, \"honourIdempotencyKey\": true, \"outage\": false}" > /dev/null
  start_rss_sampler
  c0=$(cpu_ticks)
  jfr_start
  id=$(upload_users "bench-$1" "$users" "bench-$1")
  state=$(await_completion "$id" 900)
  c1=$(cpu_ticks)
  jfr_stop "$2"
  stats=$(api "$base/simulator/promo/stats")
  /usr/bin/python3 - "$state" "$stats" "$(cpu_ms "$c0" "$c1")" "$(stop_rss_sampler)" "$work/campaign.txt" <<'PY'
import json, sys
from datetime import datetime
c, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
seconds = (parse(c["finishedAt"]) - parse(c["startedAt"])).total_seconds()
with open(sys.argv[5], "w") as f:
    f.write(f"granted={c['granted']} coupons={s['coupons']} duplicateCoupons={s['duplicateCoupons']} "
            f"deadLettered={c['deadLettered']} injectedErrors={s['injectedErrors']}\n")
cpu, jvm, pg = (int(x) / c["granted"] for x in sys.argv[3].split())
print(f"{c['granted'] / seconds:.0f} {cpu:.3f} {sys.argv[4]} {jvm:.3f} {pg:.3f} 0")
PY
}

results="$top/results"
: > "$results"
for run in $(seq 1 "$runs"); do
  work="$top/run-$run"
  mkdir -p "$work"
  start_service
  for row in ${rows//,/ }; do
    case "$row" in
      raw) line=$(row_raw) ;;
      raw-drain) line=$(row_raw_drain) ;;
      noop) line=$(row_drain bench-noop "r$run") ;;
      insert) line=$(row_drain bench-insert "r$run") ;;
      campaign|cold) line=$(row_campaign "r$run-$row" "$row"); line="$line $(cat "$work/campaign.txt")" ;;
      *) echo "unknown row $row" >&2; exit 2 ;;
    esac
    if [[ "${BENCH_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
      jcmd "$pid" VM.native_memory summary > "$work/$row.nmt.txt"
    fi
    echo "$row $run $line" | tee -a "$results" >&2
  done
  stop_service
  pid=
done

/usr/bin/python3 - "$results" "$rows" <<'PY'
import os, platform, statistics, subprocess, sys
rows = sys.argv[2].split(",")
data = {}
for line in open(sys.argv[1]):
    row, run, rate, cpu, rss, jvm, pg, client, *extra = line.split()
    data.setdefault(row, []).append((int(rate), float(cpu), int(rss), " ".join(extra), float(jvm), float(pg), float(client)))
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1024 / 1024
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"machine: {os.cpu_count()} cores, {model}, {mem:.0f} GiB, {platform.system()} {platform.release()}, {java}")
median = {row: statistics.median(r[0] for r in runs) for row, runs in data.items()}
raw = median.get("raw")
drain = median.get("raw-drain")
print(f"{'row':<9} {'msg/s (median)':>14} {'runs':>22} {'of raw':>7} {'of raw-drain':>12} {'CPU ms/msg':>10} {'JVM':>6} {'PG':>6} {'client':>6} {'peak RSS MB':>11}")
for row in rows:
    runs = data[row]
    ratio = f"{median[row] / raw:.0%}" if raw else "-"
    of_drain = f"{median[row] / drain:.0%}" if drain else "-"
    print(f"{row:<9} {median[row]:>14.0f} {'/'.join(str(r[0]) for r in runs):>22} {ratio:>7} {of_drain:>12} "
          f"{statistics.median(r[1] for r in runs):>10.3f} {statistics.median(r[4] for r in runs):>6.3f} "
          f"{statistics.median(r[5] for r in runs):>6.3f} {statistics.median(r[6] for r in runs):>6.3f} {max(r[2] for r in runs):>11}")
    for r in runs:
        if r[3]:
            print(f"          {r[3]}")
if "cold" in median and "campaign" in median:
    print(f"cold: the first campaign after the start ran at {median['cold'] / median['campaign']:.0%} of a warm one")
print(" ".join(f"{row}={median[row]:.0f}" for row in ["raw", "raw-drain", "noop", "insert", "campaign", "cold"] if row in median))
PY
