#!/usr/bin/env bash
# Benchmark: one coupon campaign end to end on the packaged service in embedded mode.
#
#   bench/campaign.sh [--users N] [--error-rate X] [--rate-limit R] [--latency-ms L] [--no-build]
#                     [--broker rabbitmq]
#
# --broker rabbitmq runs against bench/rabbitmq/start.sh's broker (started and stopped here) instead
# of the embedded Artemis; the database stays embedded.
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
    --broker) broker=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT

client_limit=()
[ "$rate_limit" != 0 ] && client_limit=("-Derrand.consumers.coupon-grants.rate-limit=$rate_limit")
if [ "${broker:-artemis}" = rabbitmq ]; then
  "$root/bench/rabbitmq/start.sh"
  trap 'stop_service; "$root/bench/rabbitmq/stop.sh"' EXIT
  # The queues are durable and this database is new: what an earlier run left there must go.
  for queue in errand.coupon-grants errand.dead-letters; do rabbitmqctl -q -n errand@localhost purge_queue "$queue"; done
  client_limit+=(-Dquarkus.profile=prod,rabbitmq -Damqp-host=127.0.0.1 -Damqp-port=5682 -Damqp-username=errand
                 -Damqp-password=errand-local-only -Derrand.broker.management-url=http://127.0.0.1:15682
                 -Derrand.broker.statistics-interval=1s)
fi
start_service "${client_limit[@]}"

api -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
  -d "{\"errorRate\": $error_rate, \"rateLimit\": $rate_limit, \"latencyMs\": $latency_ms, \"honourIdempotencyKey\": true, \"outage\": false}" > /dev/null

id=$(upload_users bench-user "$users" bench)
state=$(await_completion "$id" "$timeout")
stats=$(api "$base/simulator/promo/stats")

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
