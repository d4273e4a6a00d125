#!/usr/bin/env bash
# Scaling check on one machine: coupon grants per second as the consumer's concurrency grows
# (1, 2, 4, 8, 16, 64 in one process), then with a second worker process (role "worker") sharing
# the first one's broker and database. The promotions API answers in --latency-ms (default 20 ms),
# like a remote service, so that concurrency has something to overlap.
#
#   bench/scaling.sh [--latency-ms L] [--concurrency "1 2 4 8 16 64"] [--no-build]
#
# Prints one line per run and writes them to bench/work/<run>/scaling.tsv; bench/plot-scaling.py
# turns that file into docs/operations/scaling.svg. Bounded in time; stops every process it started.
set -euo pipefail

latency_ms=20 levels="1 2 4 8 16 64" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --latency-ms) latency_ms=$2; shift 2 ;;
    --concurrency) levels=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$root/bench/work/scaling-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$run_dir"
work=$run_dir
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
extra_pid=
cleanup() {
  [ -n "$extra_pid" ] && kill "$extra_pid" 2>/dev/null || true
  stop_service
}
trap cleanup EXIT
printf 'processes\tconcurrency\tusers\tseconds\tgrants_per_s\n' > "$run_dir/scaling.tsv"

# measure PROCESSES CONCURRENCY: one campaign sized to run for about 15 s, on a fresh data folder.
measure() {
  local processes=$1 concurrency=$2 users
  users=$(( concurrency * processes * 600 ))
  [ "$users" -gt 20000 ] && users=20000
  work="$run_dir/p$processes-c$concurrency"
  mkdir -p "$work"
  start_service -Derrand.consumers.coupon-grants.concurrency="$concurrency" \
    -Derrand.backpressure.\"errand.coupon-grants\".max-depth=1000000
  api -o /dev/null -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
    -d "{\"latencyMs\": $latency_ms, \"errorRate\": 0, \"rateLimit\": 0, \"outage\": false}"
  if [ "$processes" -gt 1 ]; then
    start_extra_worker "$concurrency"
  fi
  local id state
  id=$(upload_users "scale-$processes-$concurrency" "$users" "scale")
  state=$(await_completion "$id" 600)
  /usr/bin/python3 - "$state" "$processes" "$concurrency" "$users" "$run_dir/scaling.tsv" <<'PY'
import json, sys
from datetime import datetime
c = json.loads(sys.argv[1]); processes, concurrency, users, out = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
seconds = (parse(c["finishedAt"]) - parse(c["startedAt"])).total_seconds()
rate = c["granted"] / seconds
print(f"processes={processes} concurrency={concurrency} users={users} seconds={seconds:.1f} grants_per_s={rate:.0f}")
with open(out, "a") as f:
    f.write(f"{processes}\t{concurrency}\t{users}\t{seconds:.1f}\t{rate:.0f}\n")
PY
  [ -n "$extra_pid" ] && { kill "$extra_pid" 2>/dev/null || true; wait "$extra_pid" 2>/dev/null || true; extra_pid=; }
  stop_service
}

# A second process in the worker role, on the first one's broker and database, calling its simulator.
start_extra_worker() {
  local db_port amqp_password
  db_port=$(sed -n 's/.*PostgreSQL on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/service.log" | tail -1)
  amqp_password=$(sed -n 's/^amqp.errand.password=//p' "$work/data/credentials.properties")
  QUARKUS_PROFILE=prod,worker java ${BENCH_JAVA_OPTS:--Xmx2g} -Dquarkus.http.port=$((http_port + 10)) \
    -Damqp-host=127.0.0.1 -Damqp-port="$amqp_port" -Damqp-username=errand -Damqp-password="$amqp_password" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$db_port/postgres" \
    -Dquarkus.datasource.username=postgres -Dquarkus.datasource.password= \
    -Dquarkus.rest-client.promotions.url="$base" \
    -Derrand.consumers.coupon-grants.concurrency="$1" \
    -jar "$root/target/quarkus-app/quarkus-run.jar" >> "$work/worker2.log" 2>&1 &
  extra_pid=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$((http_port + 10))/q/health/ready" > /dev/null 2>&1 && return 0
    sleep 1
  done
  echo "second worker did not start; see $work/worker2.log" >&2
  exit 1
}

for concurrency in $levels; do
  measure 1 "$concurrency"
done
measure 2 16
measure 2 64
echo "results: $run_dir/scaling.tsv"
