#!/usr/bin/env bash
# Benchmark: one coupon campaign end to end on the packaged service in embedded mode.
#
#   bench/campaign.sh [--users N] [--error-rate X] [--rate-limit R] [--latency-ms L] [--no-build]
#
# --rate-limit sets both the simulator's limit and the worker's client-side limit (requests/s).
# Starts the service in a fresh data folder on loopback, uploads a generated CSV, polls until the
# campaign is done and prints one line:
#   users=… seconds=… grants_per_s=… coupons=… duplicateCoupons=… deadLettered=…
# Bounded: gives up after --timeout seconds (default 900). Always stops the service it started.
set -euo pipefail

users=50000 error_rate=0 rate_limit=0 latency_ms=0 build=1 timeout=900
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --rate-limit) rate_limit=$2; shift 2 ;;
    --latency-ms) latency_ms=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "$build" = 1 ] && ./mvnw -q -B package -DskipTests

work="$root/bench/work/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
http_port=${BENCH_HTTP_PORT:-18080}
amqp_port=${BENCH_AMQP_PORT:-15672}
base="http://127.0.0.1:$http_port"

client_limit=()
[ "$rate_limit" != 0 ] && client_limit=("-Derrand.promo.rate-limit=$rate_limit")
java ${BENCH_JAVA_OPTS:--Xmx2g} -Derrand.data-dir="$work/data" -Dquarkus.http.port="$http_port" \
  -Derrand.embedded.amqp-port="$amqp_port" "${client_limit[@]}" \
  -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -fs "$base/simulator/promo/config" > /dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "service died; see $work/service.log" >&2; exit 1; }
  sleep 1
done

curl -fs -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
  -d "{\"errorRate\": $error_rate, \"rateLimit\": $rate_limit, \"latencyMs\": $latency_ms, \"honourIdempotencyKey\": true, \"outage\": false}" > /dev/null

{ echo user_id; seq -f "bench-user-%06g" 1 "$users"; } > "$work/promo.csv"
id=$(curl -fs -X POST "$base/campaigns?name=bench&couponCents=1500" -H 'Content-Type: text/csv' \
  --data-binary @"$work/promo.csv" | sed -E 's/.*"id":([0-9]+).*/\1/')

deadline=$((SECONDS + timeout))
while :; do
  state=$(curl -fs "$base/campaigns/$id")
  case "$state" in *'"status":"COMPLETED'*) break ;; esac
  [ $SECONDS -ge $deadline ] && { echo "timed out: $state" >&2; exit 1; }
  sleep 0.5
done
stats=$(curl -fs "$base/simulator/promo/stats")

/usr/bin/python3 - "$state" "$stats" "$users" <<'PY'
import json, sys
from datetime import datetime
c, s, users = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
seconds = (parse(c["finishedAt"]) - parse(c["startedAt"])).total_seconds()
print(f"users={users} seconds={seconds:.1f} grants_per_s={c['granted'] / seconds:.0f} "
      f"coupons={s['coupons']} duplicateCoupons={s['duplicateCoupons']} deadLettered={c['deadLettered']} "
      f"granted={c['granted']} requests={s['requests']} rateLimited={s['rateLimited']} injectedErrors={s['injectedErrors']}")
PY
