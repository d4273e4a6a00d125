#!/usr/bin/env bash
# Takes docs/dashboard.png from the running demo: a campaign done, a 50,000-user campaign running
# against a rate-limited promotions API, and a few dead letters (coupons above the API's maximum,
# refused for good). Needs Debian's Chromium (.ci/install-chromium).
#
#   bench/dashboard-screenshot.sh [--no-build] [--out FILE]
set -euo pipefail

build=1 out=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
out=${out:-$root/docs/dashboard.png}
work="$root/bench/work/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
bash "$root/.ci/install-chromium" > /dev/null
[ "$build" = 1 ] && build_service
trap stop_service EXIT
start_service

vip=$(upload_users vip 2000 vip-customers)
await_completion "$vip" 120 > /dev/null
{ echo user_id; seq -f "generous-%03g" 1 4; } > "$work/generous.csv"
api -o /dev/null -X POST "$base/campaigns?name=too-generous&couponCents=250000" -H 'Content-Type: text/csv' \
  --data-binary @"$work/generous.csv"
api -o /dev/null -X PUT "$base/simulator/promo/config" -H 'Content-Type: application/json' \
  -d '{"rateLimit": 400, "latencyMs": 20, "errorRate": 0.02}'
upload_users user 50000 spring > /dev/null
# Let the service gather a minute of queue history for the trend lines.
sleep 60

/usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/chromium" \
  --window-size=1400,1250 --virtual-time-budget=8000 --screenshot="$out" "http://$admin@127.0.0.1:$http_port/" \
  2> "$work/chromium.log"
echo "screenshot: $out"
