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
  echo "kill -9 #$k at $((SECONDS - began)) s: $(curl -fs "$base/campaigns/$id" || echo unreachable)" >&2
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  start_service -Derrand.simulator.error-rate="$error_rate"
done

state=$(await_completion "$id" "$timeout")
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
