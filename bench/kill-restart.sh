#!/usr/bin/env bash
# Crash check: a coupon campaign survives the service being killed.
#
#   bench/kill-restart.sh [--users N] [--kills K] [--signal KILL|TERM] [--error-rate X] [--no-build]
#
# Starts the packaged service in a fresh data folder (loopback only), uploads N users, stops the
# service with the signal K times at random moments (restarting it each time on the same data), waits
# for the campaign to complete and prints one line:
#   signal=… users=… kills=… seconds=… granted=… coupons=… duplicateCoupons=… replayedRequests=…
#   successfulExecutions=… deadLettered=… lost=…
# successfulExecutions counts every handler run whose call to the promotions API succeeded: the
# coupons, plus the calls that repeated an already granted idempotency key (replayedRequests: a
# message that ran twice, its second run absorbed by the key).
# Exits non-zero unless every user got exactly one coupon; with TERM (graceful shutdown), also unless
# no message ran twice (replayedRequests=0). Bounded by --timeout (default 900 s).
set -euo pipefail

users=50000 kills=3 error_rate=0.05 build=1 timeout=900 signal=KILL
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --signal) signal=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/kill-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT

# The simulator's behaviour is in memory: configure it at start so every restart keeps it.
start_service -Derrand.simulator.error-rate="$error_rate"
id=$(upload_users crash-user "$users" crash)
began=$SECONDS

for k in $(seq 1 "$kills"); do
  sleep $((3 + RANDOM % 12))
  echo "kill -$signal #$k at $((SECONDS - began)) s: $(api "$base/campaigns/$id" || echo unreachable)" >&2
  stopping=$SECONDS
  kill -"$signal" "$pid"; wait "$pid" 2>/dev/null || true
  echo "  stopped after $((SECONDS - stopping)) s" >&2
  start_service -Derrand.simulator.error-rate="$error_rate"
done

state=$(await_completion "$id" "$timeout")
stats=$(api "$base/simulator/promo/stats")

/usr/bin/python3 - "$state" "$stats" "$users" "$kills" "$((SECONDS - began))" "$signal" <<'PY'
import json, sys
c, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
users, kills, seconds, signal = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
lost = users - c["granted"] - c["deadLettered"] - c["failed"]
executions = s["coupons"] + s["replayedRequests"]
print(f"signal={signal} users={users} kills={kills} seconds={seconds} granted={c['granted']} coupons={s['coupons']} "
      f"duplicateCoupons={s['duplicateCoupons']} replayedRequests={s['replayedRequests']} "
      f"successfulExecutions={executions} deadLettered={c['deadLettered']} lost={lost}")
ok = c["granted"] == users and s["coupons"] == users and s["duplicateCoupons"] == 0 and lost == 0
if signal == "TERM":
    ok = ok and s["replayedRequests"] == 0
sys.exit(0 if ok else 1)
PY
