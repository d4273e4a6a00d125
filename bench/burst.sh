#!/usr/bin/env bash
# Benchmark: the lemonade stand absorbing a burst (docs/performance.md, "Burst").
#
#   bench/burst.sh [--rate 800] [--seconds 30] [--down-rate 100] [--down-seconds 60] [--no-build]
#
# Starts the packaged service (embedded Artemis and PostgreSQL) in a fresh data folder on loopback, then:
#  1. the burst: POST /lemonade/orders at --rate for --seconds (10x the kitchen's ~80 orders/s) with
#     bench/burst/BurstLoad.java, an open-loop generator of ours (fixed rate, kept-alive connections,
#     latency from when each request was due); prints answers by status and p50/p95/p99, the kitchen's
#     queue depth every second until it drains, and the drain time; checks every accepted order READY,
#     loyalty points = cups ordered, analytics = orders, no duplicates;
#  2. one subscriber down: a burst at --down-rate for --down-seconds with the kitchen paused throughout
#     (operator pause); loyalty and analytics must keep up, the kitchen's backlog grow then drain after
#     it resumes, and nothing be dead-lettered;
#  3. plots depth and latency over time: bench/work/burst-…/burst.svg (copy it to docs/burst.svg).
# Bounded: every wait gives up after --timeout seconds (default 900). Always stops the service it started.
set -euo pipefail

rate=800 seconds=30 down_rate=100 down_seconds=60 build=1 timeout=900
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --down-rate) down_rate=$2; shift 2 ;;
    --down-seconds) down_seconds=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/burst-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
sampler=
cleanup() { [ -n "$sampler" ] && touch "$work/stop"; stop_service; }
trap cleanup EXIT
start_service
load() { java "$root/bench/burst/BurstLoad.java" --url "$base/lemonade/orders" "$@"; }
stats() { curl -fs "$base/lemonade/stats"; }
field() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# drained: waits until the kitchen has made every accepted order and its queue is empty; prints seconds.
drained() {
  local began=$SECONDS deadline=$((SECONDS + timeout)) s
  while :; do
    s=$(stats)
    if [ "$(echo "$s" | field "['kitchen']['waiting'] == 0 and d['kitchen']['done'] == d['accepted']")" = True ]; then
      echo $((SECONDS - began)); return 0
    fi
    [ $SECONDS -ge $deadline ] && { echo "timed out draining: $s" >&2; return 1; }
    sleep 1
  done
}

echo "warming up (2,000 orders at 200/s)"
load --rate 200 --seconds 10 --customer-prefix warm --out "$work/warm.tsv" > /dev/null
drained > /dev/null

# ---- 1. The burst ---------------------------------------------------------------------------------
before=$(stats)
/usr/bin/python3 "$root/bench/burst/sample.py" "$base" "$work/depth.tsv" "$work/stop" &
sampler=$!
echo "burst: $rate orders/s for $seconds s"
load --rate "$rate" --seconds "$seconds" --out "$work/requests.tsv" | tee "$work/load.json"
drain_s=$(drained)
touch "$work/stop"; wait "$sampler" 2>/dev/null || true; sampler=
after=$(stats)
/usr/bin/python3 - "$work" "$drain_s" "$before" "$after" <<'PY'
import csv, json, sys
work, drain_s, before, after = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
load = json.load(open(work + "/load.json"))
accepted = load["statuses"].get("202", 0)


def delta(*path):
    def get(stats):
        for key in path:
            stats = stats[key]
        return stats
    return get(after) - get(before)


print("kitchen queue depth each second (s, waiting):")
rows = list(csv.DictReader(open(work + "/depth.tsv"), delimiter="\t"))
print("  " + "  ".join("%s:%s" % (int(float(r["second"])), r["waiting"]) for r in rows))
checks = {
    "accepted = orders stored": delta("accepted") == accepted,
    "every accepted order READY": delta("kitchen", "done") == accepted,
    "loyalty points = cups ordered": delta("loyalty", "points") == load["accepted_cups"],
    "analytics cups = cups ordered": delta("analytics", "cups") == load["accepted_cups"],
    "analytics orders = orders": delta("analytics", "done") == accepted,
    "no duplicates (each subscriber once per order)": delta("loyalty", "done") == accepted == delta("analytics", "done"),
    "none refused below the backlog limit": set(load["statuses"]) <= {"202"},
}
print(json.dumps({"burst": load, "peak_waiting": max(int(r["waiting"]) for r in rows), "drain_s": drain_s,
                  "checks": checks}, indent=1))
if not all(checks.values()):
    sys.exit("burst: a check failed")
PY

# ---- 2. The kitchen down for a burst ---------------------------------------------------------------
before=$(stats)
echo "kitchen down: $down_rate orders/s for $down_seconds s with the kitchen paused"
api -X POST "$base/errand/consumers/kitchen/pause" > /dev/null
load --rate "$down_rate" --seconds "$down_seconds" --customer-prefix down --out "$work/down.tsv" > "$work/down.json"
while_down=$(stats)
api -X POST "$base/errand/consumers/kitchen/resume" > /dev/null
down_drain_s=$(drained)
after=$(stats)
dead=$(api "$base/errand/dead-letters?size=500" | field "['total'] if 'total' in d else len(d['items'])")
/usr/bin/python3 - "$work" "$down_drain_s" "$before" "$while_down" "$after" "$dead" <<'PY'
import json, sys
work, drain_s = sys.argv[1], int(sys.argv[2])
before, down, after, dead = (json.loads(x) for x in sys.argv[3:7])
load = json.load(open(work + "/down.json"))
accepted = load["statuses"].get("202", 0)
checks = {
    "orders still accepted": accepted == load["sent"],
    "loyalty kept up while the kitchen was down": down["loyalty"]["done"] - before["loyalty"]["done"] >= accepted - 2 * load["rate"],
    "analytics kept up while the kitchen was down": down["analytics"]["done"] - before["analytics"]["done"] >= accepted - 2 * load["rate"],
    "the kitchen's backlog grew": down["kitchen"]["waiting"] >= accepted - 2 * load["rate"],
    "it drained after resuming": after["kitchen"]["done"] - before["kitchen"]["done"] == accepted,
    "nothing dead-lettered": dead == 0,
}
print(json.dumps({"kitchen_down": load, "waiting_at_resume": down["kitchen"]["waiting"], "drain_after_resume_s": drain_s,
                  "checks": checks}, indent=1))
if not all(checks.values()):
    sys.exit("kitchen down: a check failed")
PY

/usr/bin/python3 "$root/bench/burst/plot.py" "$work/depth.tsv" "$work/requests.tsv" "$work/burst.svg"
echo "plot: $work/burst.svg"
