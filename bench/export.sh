#!/usr/bin/env bash
# The export story, measured: every user exported to the fragile, rate-limited CRM by durable
# workflows, through kill -9 and, optionally, a CRM outage.
#
#   bench/export.sh [--users N] [--kills K] [--error-rate X] [--rate-limit R] [--delay S]
#                   [--outage-at S --outage-seconds D] [--timeout T] [--no-build]
#
# Starts the packaged service in a fresh data folder (loopback only), seeds N users, starts one
# export (after a durable sleep of --delay seconds, default 0), kills the service with kill -9 K times
# at random moments (restarting it on the same data each time), optionally takes the CRM down for D
# seconds S seconds in, waits for the export to finish and prints one line:
#   users=… seconds=… contactsPerSecond=… crmRequestsPerSecond=… acceptedPerSecond=… rateLimit=…
#   ofRateLimit=… rateLimited=… contacts=… duplicateContacts=… replayedContacts=… links=… badLinks=…
#   reports=… exported=… failed=… status=… peakRssMb=… parentRuns=… [delay=… firstContactAt=…]
# crmRequestsPerSecond is the median of ~2 s samples of the CRM's request rate while the export
# sends users (the service up, the CRM up; not the last 2% of users); acceptedPerSecond the same
# without the 429s, and ofRateLimit its share of the limit; rateLimited counts 429s since the last
# start. replayedContacts counts contact steps that ran again with their key: only those a kill cut
# off between the CRM's answer and the step's record (at most the children running at each kill);
# a finished step never runs again. Exits non-zero unless every user has one contact and one link,
# no duplicate and no bad link, one report, nothing failed, and (with --delay) no contact before the
# delay, a kill -9 in the middle of it notwithstanding. parentRuns counts the runs of the export
# workflow's code (its start and every resume; the runs a kill cut short before a scrape are not seen). Bounded by --timeout (default 1200 s).
set -euo pipefail

users=20000 kills=2 error_rate=0.05 rate_limit=300 delay=0 outage_at= outage_seconds=60 build=1 timeout=1200
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --rate-limit) rate_limit=$2; shift 2 ;;
    --delay) delay=$2; shift 2 ;;
    --outage-at) outage_at=$2; shift 2 ;;
    --outage-seconds) outage_seconds=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/export-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT

# The CRM's behaviour is in memory: every start gets it from the command line.
crm=(-Derrand.crm-simulator.error-rate="$error_rate" -Derrand.crm-simulator.rate-limit="$rate_limit")
start_service "${crm[@]}"
api -X POST "$base/exports/users?count=$users" > /dev/null
export_id=$(api -X POST "$base/exports?delaySeconds=$delay" | sed -E 's/.*"exportId":([0-9]+).*/\1/')
began=$SECONDS
echo "export $export_id of $users users started" >&2

# Kill moments, spread over the first part of the run; with a delay, the first one falls in the
# export's durable sleep, which must then still end on time.
kill_at=()
for k in $(seq 1 "$kills"); do
  if [ "$k" = 1 ] && [ "$delay" -gt 4 ]; then kill_at+=($((delay / 2))); else kill_at+=($((delay + 5 + k * 12 + RANDOM % 8))); fi
done
first_contact=
# The export workflow's runs (its start and every resume), summed over the service's lives. An older
# service without errand_workflow_runs_total counts them as the deliveries its consumer handled.
parent_runs=0
runs_now() {
  api "$base/q/metrics" 2>/dev/null | awk '
    # The value is the second field: an exemplar (with its own value and time) may follow it.
    /^errand_workflow_runs_total\{.*function="export-users"/ { w += $2; seen = 1 }
    /^errand_handler_messages_total\{.*consumer="errand-functions-export-users"/ { h += $2 }
    END { printf "%d\n", seen ? w : h }' || echo 0
}
outage_on=0 outage_done=0 peak_rss=0 previous= samples="$work/samples.txt"
: > "$samples"
deadline=$((SECONDS + timeout))
while :; do
  elapsed=$((SECONDS - began))
  if [ ${#kill_at[@]} -gt 0 ] && [ "$elapsed" -ge "${kill_at[0]}" ]; then
    echo "kill -9 at $elapsed s: $(api "$base/exports/$export_id" || echo unreachable)" >&2
    parent_runs=$((parent_runs + $(runs_now)))
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    kill_at=("${kill_at[@]:1}")
    start_service "${crm[@]}"
    previous=
    [ "$outage_on" = 1 ] && api -X PUT "$base/simulator/crm/config" -H 'Content-Type: application/json' \
      -d '{"outage": true}' > /dev/null
    continue
  fi
  if [ -n "$outage_at" ] && [ "$outage_done" = 0 ]; then
    if [ "$outage_on" = 0 ] && [ "$elapsed" -ge "$outage_at" ]; then
      echo "CRM outage from $elapsed s for $outage_seconds s" >&2
      api -X PUT "$base/simulator/crm/config" -H 'Content-Type: application/json' -d '{"outage": true}' > /dev/null
      outage_on=1
    elif [ "$outage_on" = 1 ] && [ "$elapsed" -ge $((outage_at + outage_seconds)) ]; then
      echo "CRM back at $elapsed s: $(api "$base/exports/$export_id")" >&2
      api -X PUT "$base/simulator/crm/config" -H 'Content-Type: application/json' -d '{"outage": false}' > /dev/null
      outage_on=0 outage_done=1
    fi
  fi
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  state=$(api "$base/exports/$export_id" || true)
  crm_stats=$(api "$base/simulator/crm/stats" || true)
  requests=$(echo "$crm_stats" | sed -E 's/.*"requests":([0-9]+).*/\1/')
  limited=$(echo "$crm_stats" | sed -E 's/.*"rateLimited":([0-9]+).*/\1/')
  case "$crm_stats" in *'"contacts":0,'*|'') ;; *) [ -z "$first_contact" ] && first_contact=$elapsed ;; esac
  # A 2 s sample of the CRM's request rate, while users are being sent to an available CRM.
  now=$(date +%s%3N)
  if [ -n "$previous" ] && [ -n "$requests" ] && [ "$outage_on" = 0 ] && [ "$elapsed" -ge "$delay" ]; then
    case "$state" in *'"status":"RUNNING"'*)
      echo "$((now - previous_at)) $((requests - previous)) $((limited - previous_limited)) $rss" \
        "$(echo "$state" | sed -E 's/.*"exported":([0-9]+).*/\1/')" >> "$samples" ;;
    esac
  fi
  previous=$requests previous_at=$now previous_limited=$limited
  case "$state" in *'"status":"RUNNING"'*) ;; *'"status":'*) break ;; esac
  [ $SECONDS -ge $deadline ] && { echo "timed out: $state" >&2; exit 1; }
  sleep 2
done
seconds=$((SECONDS - began))
stats=$(api "$base/simulator/crm/stats")
parent_runs=$((parent_runs + $(runs_now)))

/usr/bin/python3 - "$state" "$stats" "$users" "$seconds" "$rate_limit" "$peak_rss" "$samples" "$delay" "$first_contact" "$parent_runs" <<'PY'
import json, statistics, sys
e, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
users, seconds, rate_limit, peak_rss, delay = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[8])
rates = []
for line in open(sys.argv[7]):
    millis, delta, limited, rss, exported = map(int, line.split())
    # Not the first seconds after a (re)start, nor the tail of the last few users.
    if delta > 0 and exported < users * 0.98:
        rates.append((delta * 1000.0 / millis, (delta - limited) * 1000.0 / millis))
rate = statistics.median(r[0] for r in rates) if rates else 0.0
accepted = statistics.median(r[1] for r in rates) if rates else 0.0
print(f"users={users} seconds={seconds} contactsPerSecond={s['contacts'] / max(seconds - delay, 1):.0f} "
      f"crmRequestsPerSecond={rate:.0f} acceptedPerSecond={accepted:.0f} rateLimit={rate_limit} "
      f"ofRateLimit={accepted / rate_limit:.0%} rateLimited={s['rateLimited']} "
      f"contacts={s['contacts']} duplicateContacts={s['duplicateContacts']} "
      f"replayedContacts={s['replayedContacts']} links={s['links']} "
      f"badLinks={s['badLinks']} reports={s['reports']} exported={e['exported']} failed={e['failed']} "
      f"status={e['status']} peakRssMb={peak_rss} parentRuns={sys.argv[10]}" + (f" delay={delay} firstContactAt={sys.argv[9]}" if delay else ""))
ok = (s["contacts"] == users and s["links"] == users and s["duplicateContacts"] == 0 and s["badLinks"] == 0
      and s["reports"] == 1 and e["exported"] == users and e["failed"] == 0
      and (not delay or int(sys.argv[9] or 0) >= delay))
sys.exit(0 if ok else 1)
PY
