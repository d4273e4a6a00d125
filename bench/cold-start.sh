#!/usr/bin/env bash
# Benchmark: start-up time and the first campaign against a warm one, for a JVM with or without an
# AOT cache (JDK 25's AOT cache, JEP 483/514/515).
#
#   bench/cold-start.sh [--runs 3] [--users 50000] [--error-rate 0.05] [--java PATH] [--app DIR]
#                       [--aot-cache FILE] [--label NAME]
#   bench/cold-start.sh --train [--java PATH] [--app DIR] [--aot-cache FILE] [--train-users 20000]
#                       [--train-campaigns 2]
#
# Measuring (the default): each run starts the packaged service in a fresh data folder, takes the
# time from the JVM's launch until /q/health/ready answers UP (polled every 0.1 s), then runs the
# coupon campaign (--users users, --error-rate injected errors) twice: "cold" is the first thing the
# JVM does after its start, "warm" the one right after it, in the same JVM. It prints one line per
# run and then the medians:
#   label=… start_s=… quarkus_s=… embedded_s=… cold=… warm=… cold_of_warm=…% jit_cold_s=… jit_warm_s=…
# (start_s: launch to ready, wall clock; quarkus_s: Quarkus' own "started in"; embedded_s: the
# embedded Artemis and PostgreSQL's share of it, mostly PostgreSQL's initdb in the fresh folder;
# jit_*_s: the JIT's compile time during each campaign, from the JVM's java.ci.totalTime counter)
# --java picks the JVM (default: `java` on the PATH, OpenJDK 17 here), --app the packaged service
# (default target/quarkus-app; the AOT build is target/aot-app, see docs/operations/running.md),
# --aot-cache runs it with -XX:AOTCache=FILE -XX:AOTMode=on, so that a cache the JVM cannot use
# (another JDK build, another class path, other GC settings) stops the start instead of being
# silently ignored.
#
# --train makes the cache: it starts the service with -XX:AOTCacheOutput=FILE (default
# DIR/app.aot, JEP 514's one-step training), runs --train-campaigns small campaigns of
# --train-users users (the path the service runs in production: CSV upload, outbox, the coupon
# worker, the promotions API client, retries of the injected errors), then stops the JVM, which
# writes the cache on exit. Train with the JVM and the heap/GC options you will run with.
#
# BENCH_JAVA_OPTS sets the JVM options of both modes (default -Xmx2g). --no-build skips the build
# (the default builds the default service, or with --app target/aot-app the `aot` profile).
# Always stops what it started.
set -euo pipefail

runs=3 users=50000 error_rate=0.05 java_bin=java app= aot_cache= label= train=0 train_users=20000 train_campaigns=2
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --java) java_bin=$2; shift 2 ;;
    --app) app=$2; shift 2 ;;
    --aot-cache) aot_cache=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --train) train=1; shift ;;
    --train-users) train_users=$2; shift 2 ;;
    --train-campaigns) train_campaigns=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
app=$(realpath -m "${app:-$root/target/quarkus-app}")
[ "$train" = 1 ] && aot_cache=${aot_cache:-$app/app.aot}
[ -n "$aot_cache" ] && aot_cache=$(realpath -m "$aot_cache")
top="$root/bench/work/cold-start-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$top"
work="$top"
. "$root/bench/lib.sh"
if [ "$build" = 1 ]; then
  if [ "$app" = "$root/target/aot-app" ]; then
    (cd "$root" && ./mvnw -q -B package -DskipTests -Paot)
  else
    build_service
  fi
fi
trap stop_service EXIT

# launch [JVM options...]: starts the service from $app on $work/data; sets $start_s to the seconds
# from the launch until readiness is UP (and $pid, $admin as lib.sh's start_service does). The class
# path is the same absolute path in training and in use: the AOT cache records it and refuses another.
launch() {
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$app" && exec "$java_bin" ${BENCH_JAVA_OPTS:--Xmx2g} "$@" -Derrand.data-dir="$work/data" \
    -Dquarkus.http.port="$http_port" -Derrand.embedded.amqp-port="$amqp_port" \
    -jar "$app/quarkus-run.jar") >> "$work/service.log" 2>&1 &
  pid=$!
  await_ready 0.1 1200
  t1=$(date +%s.%N)
  start_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
}

# campaign NAME: one campaign of $users users; prints its grants per second (from the campaign's own
# start and finish times, so the polling does not count).
campaign() {
  local id state
  api -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
    -d "{\"errorRate\": $error_rate, \"rateLimit\": 0, \"latencyMs\": 0, \"honourIdempotencyKey\": true, \"outage\": false}" > /dev/null
  id=$(upload_users "$1" "$users" "$1")
  state=$(await_completion "$id" 900)
  /usr/bin/python3 - "$state" <<'PY'
import json, sys
from datetime import datetime
c = json.loads(sys.argv[1])
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
print(f"{c['granted'] / (parse(c['finishedAt']) - parse(c['startedAt'])).total_seconds():.0f}")
PY
}

jvm_version=$("$java_bin" -version 2>&1 | head -1)
jcmd_bin="$(dirname "$(readlink -f "$(command -v "$java_bin")")")/jcmd"

# jit_s: the seconds the service's JIT compilers have spent so far (java.ci.totalTime, summed over
# the compiler threads), to show where a cold campaign's CPU goes.
jit_s() {
  "$jcmd_bin" "$pid" PerfCounter.print 2>/dev/null \
    | awk -F= '/^java.ci.totalTime=/ {t = $2} /^sun.os.hrt.frequency=/ {f = $2} END {printf "%.1f", f ? t / f : 0}'
}

if [ "$train" = 1 ]; then
  rm -f "$aot_cache"
  work="$top/train"
  mkdir -p "$work"
  users=$train_users
  echo "training $aot_cache on $jvm_version ($app)" >&2
  launch -XX:AOTCacheOutput="$aot_cache"
  for i in $(seq 1 "$train_campaigns"); do
    echo "training campaign $i: $(campaign "train-$i") grants/s" >&2
  done
  # The JVM writes the cache when it exits (a second JVM assembles it): wait for both.
  kill "$pid"
  wait "$pid" || true
  pid=
  [ -s "$aot_cache" ] || { echo "no AOT cache was written; see $work/service.log" >&2; exit 1; }
  echo "AOT cache: $aot_cache ($(du -m "$aot_cache" | cut -f1) MB), training start-up ${start_s}s" >&2
  exit 0
fi

cache_opts=()
[ -n "$aot_cache" ] && cache_opts=(-XX:AOTCache="$aot_cache" -XX:AOTMode=on)
# The label names the JDK's folder (e.g. java-17-openjdk-amd64), with -aot when a cache is used.
label=${label:-$(basename "$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")")${aot_cache:+-aot}}
results="$top/results"
: > "$results"
for run in $(seq 1 "$runs"); do
  work="$top/run-$run"
  mkdir -p "$work"
  launch ${cache_opts[@]+"${cache_opts[@]}"}
  j0=$(jit_s)
  cold=$(campaign "r$run-cold")
  j1=$(jit_s)
  warm=$(campaign "r$run-warm")
  j2=$(jit_s)
  stop_service
  pid=
  # Quarkus' own start-up time (after the JVM's) and, within it, the embedded servers' (mostly
  # PostgreSQL's initdb in the fresh folder), from the service's log.
  quarkus_s=$(sed -n -E 's/.* started in ([0-9.]+)s\..*/\1/p' "$work/service.log" | head -1)
  embedded_s=$(sed -n -E 's/.*Embedded servers started in ([0-9]+) ms.*/\1/p' "$work/service.log" | head -1 \
    | awk '{printf "%.2f", $1 / 1000}')
  jit_cold=$(awk -v a="$j0" -v b="$j1" 'BEGIN {printf "%.1f", b - a}')
  jit_warm=$(awk -v a="$j1" -v b="$j2" 'BEGIN {printf "%.1f", b - a}')
  echo "$label $run $start_s $cold $warm ${quarkus_s:-0} ${embedded_s:-0} $jit_cold $jit_warm" | tee -a "$results" >&2
done

/usr/bin/python3 - "$results" "$jvm_version" "$app" "${aot_cache:-none}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
label = rows[0][0]
start = statistics.median(float(r[2]) for r in rows)
quarkus = statistics.median(float(r[5]) for r in rows)
embedded = statistics.median(float(r[6]) for r in rows)
jit_cold = statistics.median(float(r[7]) for r in rows)
jit_warm = statistics.median(float(r[8]) for r in rows)
cold = statistics.median(int(r[3]) for r in rows)
warm = statistics.median(int(r[4]) for r in rows)
ratios = [int(r[3]) / int(r[4]) for r in rows]
print(f"{sys.argv[2]}; app {sys.argv[3]}; AOT cache {sys.argv[4]}")
print("runs (start s, cold, warm, cold/warm; Quarkus' started-in s, embedded servers s; JIT s cold, warm): "
      + "  ".join(f"{r[2]} {r[3]} {r[4]} {int(r[3]) / int(r[4]):.0%}; {r[5]} {r[6]}; {r[7]} {r[8]}" for r in rows))
print(f"label={label} start_s={start:.2f} quarkus_s={quarkus:.2f} embedded_s={embedded:.2f} cold={cold:.0f} "
      f"warm={warm:.0f} cold_of_warm={cold / warm:.0%} jit_cold_s={jit_cold:.1f} jit_warm_s={jit_warm:.1f} "
      f"(median of the runs' ratios {statistics.median(ratios):.0%})")
PY
