#!/usr/bin/env bash
# Benchmark: how fast POST /orders answers, and how long until the worker has completed every order.
#
#   bench/orders.sh [--orders N] [--no-build]
#
# Starts the packaged service in a fresh data folder on loopback, posts N orders one after the other
# (every tenth urgent), and prints one line:
#   orders=… p50_ms=… p95_ms=… max_ms=… all_completed_s=…
# Bounded: gives up after --timeout seconds (default 300). Always stops the service it started.
set -euo pipefail

orders=500 build=1 timeout=300
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/orders-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT
start_service

# Warm the JIT a little so the figures describe a running service, not its first seconds.
for i in $(seq 1 50); do
  curl -fs -o /dev/null -X POST "$base/orders" -H 'Content-Type: application/json' \
    -d '{"customerEmail": "warm@example.com", "lines": [{"sku": "STK-01", "quantity": 1}]}'
done

began=$SECONDS
last=
for i in $(seq 1 "$orders"); do
  urgent=$([ $((i % 10)) = 0 ] && echo true || echo false)
  out=$(curl -fs -w ' %{time_total}' -X POST "$base/orders" -H 'Content-Type: application/json' \
    -d "{\"customerEmail\": \"bench$i@example.com\", \"urgent\": $urgent, \"lines\": [{\"sku\": \"MUG-01\", \"quantity\": 1}]}")
  echo "${out##* }" >> "$work/latencies"
  last=$(echo "$out" | sed -E 's/.*"orderId":([0-9]+).*/\1/')
done

deadline=$((SECONDS + timeout))
until curl -fs "$base/orders/$last" | grep -q '"status":"COMPLETED"'; do
  [ $SECONDS -ge $deadline ] && { echo "timed out waiting for order $last" >&2; exit 1; }
  sleep 0.2
done
# The last order posted is not necessarily the last one completed (urgent ones overtake): check them all.
for id in $(seq $((last - orders + 1)) "$last"); do
  until curl -fs "$base/orders/$id" | grep -q '"status":"COMPLETED"'; do
    [ $SECONDS -ge $deadline ] && { echo "timed out waiting for order $id" >&2; exit 1; }
    sleep 0.2
  done
done
done_s=$((SECONDS - began))

/usr/bin/python3 - "$work/latencies" "$orders" "$done_s" <<'PY'
import sys
values = sorted(float(v) * 1000 for v in open(sys.argv[1]))
pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
print(f"orders={sys.argv[2]} p50_ms={pick(0.5):.1f} p95_ms={pick(0.95):.1f} max_ms={values[-1]:.1f} "
      f"all_completed_s={sys.argv[3]}")
PY
