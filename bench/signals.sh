#!/usr/bin/env bash
# Signals and timers through kill -9: exports that wait for an admin's approval (a workflow's
# awaitSignal with a timeout), answered before, at and after the kills, repeated, or never answered.
#
#   bench/signals.sh [--exports N] [--users U] [--kills K] [--approval-timeout S] [--delay S]
#                    [--down S] [--error-rate X] [--timeout T] [--no-build]
#
# Starts the packaged service in a fresh data folder (loopback only) with an approval threshold of U-1
# and an approval timeout of S seconds (default 60), seeds U users (default 20) and starts N exports
# (default 21), each of every user, so each waits for approval. They take turns in seven groups:
#   early      started with a durable sleep of --delay s (default 40) and approved during it, before
#              the wait began (with a repeat sent at the same moment): the wait takes the kept signal
#   before     approved once waiting, before the first kill (with a repeat sent at the same moment)
#   at-kill    approved the moment before the first kill -9 (the answer 202, then kill -9 at once)
#   after      approved right after the first restart
#   rejected   rejected right after the first restart; every later restart sends {"approved": true}
#   expire     never answered: the timer of its wait is due while the service is down (the last kill)
#   expire-late  never answered, after the --delay sleep: its timer is due after the last restart
# The first kill -9 comes 10 s in, the last one 5 s before the first waits time out, the others between;
# the last kill keeps the service down --down s (default 20). After every restart, the at-kill, after
# and rejected exports get their answer again (a repeat, which must change nothing).
# Waits until every export has finished and prints one line:
#   exports=… users=… kills=… seconds=… completed=… rejected=… expired=… wrongStatus=… contacts=…
#   expectedContacts=… missingContacts=… extraContacts=… badLinks=… replayedContacts=… reports=…
#   signals=… repeats=… repeatsKept=… earlySignals=… expiredEarly=… expiredWhileUpLateSeconds=…
#   expiredInDowntimeLateSeconds=… expiredInDowntimeAfterReadySeconds=… downSeconds=…
# Per export, from the service's database: its contacts (by their idempotency keys, <child id>:contact),
# distinct emails and linked owners; its report; its signals (a repeat is no new row); its wait's
# deadline (the await step's record) against when it finished. repeatsKept counts answers kept (HTTP
# 202) beyond one per export. expiredWhileUpLateSeconds is the most an expire-late export finished after
# its deadline; for the expire exports, whose deadline passed while the service was down, how long after
# it they finished, and how long after the last restart answered ready (negative: before /q/health/ready
# said so; "-" when no deadline fell in that group). downSeconds sums the kills' downtimes (restarts included).
# Exits non-zero unless: every approved export COMPLETED with each user's contact exactly once, linked,
# and one report; every rejected and expired one sent nothing and reported nothing; each answered export
# kept exactly one answer (202; its repeats 200, or 409 once finished), and took it in its wait; every
# early signal was sent before its wait began; no wait ended before its deadline, nor more than 10 s
# after it (for those due while the service was down: after the last restart answered ready).
# Bounded by --timeout (default 600 s). Needs psql (Debian's postgresql-client), as bench/history.sh.
set -euo pipefail

exports=21 users=20 kills=2 approval_timeout=60 delay=40 down=20 error_rate=0.05 build=1 timeout=600
while [ $# -gt 0 ]; do
  case "$1" in
    --exports) exports=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --approval-timeout) approval_timeout=$2; shift 2 ;;
    --delay) delay=$2; shift 2 ;;
    --down) down=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$users" -ge 2 ] || { echo "--users must be 2 or more (the threshold is users - 1)" >&2; exit 2; }
[ "$approval_timeout" -ge 30 ] || { echo "--approval-timeout must be 30 s or more (the first kill and restart come first)" >&2; exit 2; }
command -v psql > /dev/null || { echo "signals.sh needs psql (apt-get install postgresql-client)" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bench/work/signals-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
trap stop_service EXIT

sql() {
  PGPASSWORD=$(sed -n 's/^database.postgres.password=//p' "$work/data/credentials.properties") \
    psql -X -q -At -F $'\t' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$work/data/postgres/postmaster.pid")" \
    -U postgres -d postgres -c "$1"
}

settings=(-Dexports.approval-threshold=$((users - 1)) -Dexports.approval-timeout="${approval_timeout}s"
  -Derrand.crm-simulator.error-rate="$error_rate")
start_service "${settings[@]}"
began=$SECONDS

groups=(early before at-kill after rejected expire expire-late)
group_of=() # export id -> group
ids_in() { local g=$1 id; for id in "${!group_of[@]}"; do [ "${group_of[$id]}" = "$g" ] && echo "$id"; done; return 0; }
status_of() { api "$base/exports/$1" | sed -E 's/.*"status":"([A-Z_]+)".*/\1/'; }

# answer ID KIND APPROVED: POST /exports/ID/approval; one "id kind code" line in $work/answers.
answer() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -u "$admin" -X POST -H 'Content-Type: application/json' \
    -d "{\"approved\": $3, \"by\": \"bench-$2\"}" "$base/exports/$1/approval" || echo 000)
  echo "$1 $2 $code" >> "$work/answers"
}
: > "$work/answers"

# repeats: the answers of the at-kill, after and rejected exports again (a rejected one now "approved").
repeats() {
  local id
  for id in $(ids_in at-kill) $(ids_in after); do answer "$id" repeat true; done
  for id in $(ids_in rejected); do answer "$id" repeat true; done
}

# await_status STATUS ID...: until each export shows STATUS (at most 60 s).
await_status() {
  local want=$1 id deadline=$((SECONDS + 60)); shift
  for id in "$@"; do
    until [ "$(status_of "$id")" = "$want" ]; do
      [ $SECONDS -ge $deadline ] && { echo "export $id is not $want: $(api "$base/exports/$id")" >&2; exit 1; }
      sleep 0.5
    done
  done
}

api -X POST "$base/exports/users?count=$users" > /dev/null
for i in $(seq 0 $((exports - 1))); do
  group=${groups[$((i % ${#groups[@]}))]}
  case "$group" in early|expire-late) wait_first=$delay ;; *) wait_first=0 ;; esac
  id=$(api -X POST "$base/exports?delaySeconds=$wait_first" | sed -E 's/.*"exportId":([0-9]+).*/\1/')
  group_of[$id]=$group
  echo "$id $group $wait_first" >> "$work/exports"
done
echo "$exports exports of $users users started in $((SECONDS - began)) s" >&2

# Early: answered while the export sleeps, before its wait; the repeat goes at the same moment.
for id in $(ids_in early); do answer "$id" first true & answer "$id" repeat true & done
wait_children() { local p; for p in $(jobs -p); do [ "$p" = "$pid" ] || wait "$p"; done; }
wait_children
await_status AWAITING_APPROVAL $(ids_in before) $(ids_in at-kill) $(ids_in after) $(ids_in rejected) $(ids_in expire)
for id in $(ids_in before); do answer "$id" first true & answer "$id" repeat true & done
wait_children

# The kills: the first 10 s in, the last 5 s before the first waits' deadline, the others spread between.
kill_at=()
last=$((approval_timeout - 5))
for k in $(seq 1 "$kills"); do
  if [ "$k" = 1 ]; then kill_at+=(10); else kill_at+=($((10 + (last - 10) * (k - 1) / (kills - 1)))); fi
done
last_ready=0 down_seconds=0
for k in $(seq 1 "$kills"); do
  while [ $((SECONDS - began)) -lt "${kill_at[$((k - 1))]}" ]; do sleep 0.2; done
  if [ "$k" = 1 ]; then
    for id in $(ids_in at-kill); do answer "$id" first true; done
  fi
  echo "kill -9 #$k at $((SECONDS - began)) s" >&2
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  stopped=$SECONDS
  if [ "$k" = "$kills" ]; then sleep "$down"; fi
  start_service "${settings[@]}"
  last_ready=$(date +%s.%N)
  down_seconds=$((down_seconds + SECONDS - stopped))
  echo "  up again at $((SECONDS - began)) s, after $((SECONDS - stopped)) s" >&2
  if [ "$k" = 1 ]; then
    for id in $(ids_in after); do answer "$id" first true; done
    for id in $(ids_in rejected); do answer "$id" first false; done
    for id in $(ids_in at-kill); do answer "$id" repeat true; done
  else
    repeats
  fi
done
if [ "$kills" = 0 ]; then
  for id in $(ids_in at-kill) $(ids_in after); do answer "$id" first true; done
  for id in $(ids_in rejected); do answer "$id" first false; done
  repeats
fi

deadline=$((SECONDS + timeout))
while :; do
  waiting=0
  for id in "${!group_of[@]}"; do
    case "$(status_of "$id")" in RUNNING|AWAITING_APPROVAL) waiting=$((waiting + 1)) ;; esac
  done
  [ "$waiting" = 0 ] && break
  [ $SECONDS -ge $deadline ] && { echo "timed out: $waiting exports still running" >&2; exit 1; }
  sleep 2
done
seconds=$((SECONDS - began))
repeats # once finished: 409, or 200

: > "$work/views"
for id in "${!group_of[@]}"; do echo "$(api "$base/exports/$id")" >> "$work/views"; done
api "$base/simulator/crm/stats" > "$work/crm"
sql "select e.id, e.workflow_id,
       extract(epoch from c.finished_at),
       (select extract(epoch from trim(both '\"' from s.result)::timestamptz) from errand_step s
         where s.consumer = '' and s.owner_id = e.workflow_id and s.name = 'await signal approval'),
       (select extract(epoch from s.done_at) from errand_step s
         where s.consumer = '' and s.owner_id = e.workflow_id and s.name = 'await signal approval'),
       (select count(*) from errand_signal g where g.call_id = e.workflow_id),
       (select count(*) from errand_signal g where g.call_id = e.workflow_id and g.taken_by is not null),
       (select coalesce(extract(epoch from min(g.sent_at)), 0) from errand_signal g where g.call_id = e.workflow_id),
       (select count(*) from crm_contact k where left(k.idempotency_key, length(e.workflow_id) + 1) = e.workflow_id || '/'),
       (select count(distinct k.email) from crm_contact k where left(k.idempotency_key, length(e.workflow_id) + 1) = e.workflow_id || '/'),
       (select count(*) from crm_contact k where left(k.idempotency_key, length(e.workflow_id) + 1) = e.workflow_id || '/' and k.owner is not null),
       (select count(*) from crm_report r where r.export_id = e.id::text),
       (select count(*) from errand_call ch where ch.parent_id = e.workflow_id)
     from user_export e left join errand_call c on c.id = e.workflow_id order by e.id" > "$work/rows"

/usr/bin/python3 - "$work" "$exports" "$users" "$kills" "$seconds" "$last_ready" "$approval_timeout" "$down_seconds" <<'PY'
import json, sys
work, exports, users, kills, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
last_ready, timeout, down_seconds = float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
groups = {int(l.split()[0]): l.split()[1] for l in open(f"{work}/exports")}
views = {v["exportId"]: v for v in map(json.loads, open(f"{work}/views"))}
crm = json.load(open(f"{work}/crm"))
answers = [l.split() for l in open(f"{work}/answers")]
expected = {"early": "COMPLETED", "before": "COMPLETED", "at-kill": "COMPLETED", "after": "COMPLETED",
            "rejected": "REJECTED", "expire": "EXPIRED", "expire-late": "EXPIRED"}
problems = []
counts = {"COMPLETED": 0, "REJECTED": 0, "EXPIRED": 0}
contacts = expected_contacts = missing = extra = reports = signals = early_ok = expired_early = 0
late_up = late_down = after_ready = None
for line in open(f"{work}/rows"):
    (eid, wf, finished, deadline, wait_began, n_signals, taken, first_signal, n_contacts, emails, links, n_reports,
     children) = line.rstrip("\n").split("\t")
    eid = int(eid); group = groups[eid]; view = views[eid]; status = view["status"]
    n_contacts, emails, links, n_reports = int(n_contacts), int(emails), int(links), int(n_reports)
    n_signals, taken, children = int(n_signals), int(taken), int(children)
    counts[status] = counts.get(status, 0) + 1
    contacts += n_contacts; reports += n_reports; signals += n_signals
    want = expected[group]
    if status != want:
        problems.append(f"export {eid} ({group}, workflow {wf}) is {status}, not {want}")
    approved = want == "COMPLETED"
    if approved:
        expected_contacts += users
        missing += max(users - emails, 0)
        extra += n_contacts - emails + max(emails - users, 0)
        if not (n_contacts == emails == links == users and n_reports == 1 and view["exported"] == users
                and view["failed"] == 0):
            problems.append(f"export {eid} ({group}, workflow {wf}): contacts={n_contacts} emails={emails} "
                            f"links={links} reports={n_reports} view={view}")
    else:
        extra += n_contacts
        if n_contacts or n_reports or children or view["exported"] or view["failed"]:
            problems.append(f"export {eid} ({group}, workflow {wf}) sent work: contacts={n_contacts} "
                            f"reports={n_reports} children={children}")
    answered = group not in ("expire", "expire-late")
    if n_signals != (1 if answered else 0) or taken != n_signals:
        problems.append(f"export {eid} ({group}, workflow {wf}): {n_signals} signals, {taken} taken")
    if not deadline:
        problems.append(f"export {eid} ({group}, workflow {wf}) recorded no wait")
        continue
    deadline, wait_began = float(deadline), float(wait_began)
    if group == "early":
        if float(first_signal) < wait_began:
            early_ok += 1
        else:
            problems.append(f"export {eid} (early, workflow {wf}): its signal came after its wait began")
    if want == "EXPIRED" and finished:
        finished = float(finished)
        if finished < deadline:
            expired_early += 1
            problems.append(f"export {eid} ({group}, workflow {wf}) expired {deadline - finished:.3f} s before its deadline")
        elif deadline > last_ready:
            late_up = max(late_up or 0.0, finished - deadline)
        else:
            late_down = max(late_down or 0.0, finished - deadline)
            after_ready = finished - last_ready if after_ready is None else max(after_ready, finished - last_ready)
repeats = [a for a in answers if a[1] == "repeat"]
# Each answered export keeps exactly one of its answers (202); every other is a repeat: 200, or 409
# once the export has finished. A repeat sent at the same moment as the first may be the one kept.
kept = {}
for a in answers:
    kept[int(a[0])] = kept.get(int(a[0]), 0) + (a[2] == "202")
    if a[2] not in ("202", "200", "409"):
        problems.append(f"export {a[0]} ({groups[int(a[0])]}): {a[1]} answer got HTTP {a[2]}")
repeats_kept = sum(max(n - 1, 0) for n in kept.values())
for eid, n in kept.items():
    if n != 1:
        problems.append(f"export {eid} ({groups[eid]}): {n} answers kept (HTTP 202)")
if crm["badLinks"]:
    problems.append(f"{crm['badLinks']} bad links")
if (late_up or 0) > 10 or (after_ready or 0) > 10:
    problems.append(f"a wait ended late: {late_up} s after its deadline while up, {after_ready} s after the restart")
show = lambda v: "-" if v is None else f"{v:.3f}"
print(f"exports={exports} users={users} kills={kills} seconds={seconds} completed={counts['COMPLETED']} "
      f"rejected={counts['REJECTED']} expired={counts['EXPIRED']} "
      f"wrongStatus={sum(1 for p in problems if ' is ' in p and ', not ' in p)} contacts={contacts} "
      f"expectedContacts={expected_contacts} missingContacts={missing} extraContacts={extra} "
      f"badLinks={crm['badLinks']} replayedContacts={crm['replayedContacts']} reports={reports} signals={signals} "
      f"repeats={len(repeats)} repeatsKept={repeats_kept} earlySignals={early_ok} expiredEarly={expired_early} "
      f"expiredWhileUpLateSeconds={show(late_up)} expiredInDowntimeLateSeconds={show(late_down)} "
      f"expiredInDowntimeAfterReadySeconds={show(after_ready)} "
      f"downSeconds={down_seconds}")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
