#!/usr/bin/env bash
# Crash check: a coupon campaign survives kill -9 of the service.
#
#   bench/kill-restart.sh [--users N] [--kills K] [--error-rate X] [--no-build]
#
# Starts the packaged service in a fresh data folder (loopback only), uploads N users, kills the
# service with SIGKILL K times at random moments (restarting it each time on the same data), waits
# for the campaign to complete and prints one line:
#   users=… kills=… seconds=… granted=… coupons=… duplicateCoupons=… deadLettered=… lost=…
# Exits non-zero unless every user got exactly one coupon. Bounded by --timeout (default 900 s).
set -euo pipefail

users=50000 kills=3 error_rate=0.05 build=1 timeout=900
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "$build" = 1 ] && ./mvnw -q -B package -DskipTests

work="$root/bench/work/kill-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
http_port=${BENCH_HTTP_PORT:-18080}
base="http://127.0.0.1:$http_port"
pid=

start() {
  java ${BENCH_JAVA_OPTS:--Xmx2g} -Derrand.data-dir="$work/data" -Dquarkus.http.port="$http_port" \
    -Derrand.embedded.amqp-port="${BENCH_AMQP_PORT:-15672}" \
    -Derrand.simulator.error-rate="$error_rate" \
    -jar target/quarkus-app/quarkus-run.jar >> "$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fs "$base/simulator/promo/config" > /dev/null 2>&1 && return 0
    kill -0 $pid 2>/dev/null || { echo "service died; see $work/service.log" >&2; exit 1; }
    sleep 1
  done
  echo "service did not start; see $work/service.log" >&2; exit 1
}
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null || true' EXIT

start
{ echo user_id; seq -f "crash-user-%06g" 1 "$users"; } > "$work/promo.csv"
id=$(curl -fs -X POST "$base/campaigns?name=crash&couponCents=1500" -H 'Content-Type: text/csv' \
  --data-binary @"$work/promo.csv" | sed -E 's/.*"id":([0-9]+).*/\1/')
began=$SECONDS

for k in $(seq 1 "$kills"); do
  sleep $((3 + RANDOM % 12))
  echo "kill -9 #$k at $((SECONDS - began)) s: $(curl -fs "$base/campaigns/$id" || echo unreachable)" >&2
  kill -9 $pid; wait $pid 2>/dev/null || true
  start
done

deadline=$((SECONDS + timeout))
while :; do
  state=$(curl -fs "$base/campaigns/$id" || true)
  case "$state" in *'"status":"COMPLETED'*) break ;; esac
  [ $SECONDS -ge $deadline ] && { echo "timed out: $state" >&2; exit 1; }
  sleep 1
done
stats=$(curl -fs "$base/simulator/promo/stats")

/usr/bin/python3 - "$state" "$stats" "$users" "$kills" "$((SECONDS - began))" <<'PY'
import json, sys
c, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
users, kills, seconds = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lost = users - c["granted"] - c["deadLettered"] - c["failed"]
print(f"users={users} kills={kills} seconds={seconds} granted={c['granted']} coupons={s['coupons']} "
      f"duplicateCoupons={s['duplicateCoupons']} deadLettered={c['deadLettered']} lost={lost}")
sys.exit(0 if c["granted"] == users and s["coupons"] == users and s["duplicateCoupons"] == 0 else 1)
PY
