#!/usr/bin/env bash
# Benchmark: what a second and a third replica of the service buy, against one external broker and one
# PostgreSQL on this box (issue 24).
#
#   bench/scale-out.sh [--replicas "1 2 3"] [--users 50000] [--kill-users 20000] [--export-users 20000]
#                      [--error-rate 0.05] [--broker artemis|rabbitmq] [--timeout 900] [--no-build]
#
# For each replica count: fresh external servers (bench/external/start.sh --fresh: Artemis and
# PostgreSQL; with --broker rabbitmq, PostgreSQL from there and bench/rabbitmq/start.sh's RabbitMQ, run
# from a private copy as .ci/run does), then that many replicas of the packaged service
# (target/quarkus-app), replica i on HTTP port BENCH_HTTP_PORT+i (default 18080+i), all on loopback.
# The promotions API and the CRM are simulated by one more JVM (the same build on its own embedded
# servers, HTTP port BENCH_HTTP_PORT+9, AMQP BENCH_AMQP_PORT), as third-party systems are: not by each
# replica's own simulators, whose ledgers would share each replica's connection pool with the handlers
# that call them (with a pool smaller than the grants' concurrency, the handlers would hold every
# connection waiting on a simulator that needs one).
# Then, one after the other, through replica 1 (the work goes to every replica through the broker):
#   campaign   --users users, --error-rate injected errors; grants/s from the campaign's own start and
#              finish. Over it: the peak of PostgreSQL connections (pg_stat_activity, the service's
#              database: open, and of those not idle), the CPU of each process (each replica's JVM, all
#              of PostgreSQL, the broker, the simulators' JVM) as % of one core, PostgreSQL's commits/s
#              (pg_stat_database.xact_commit) and how busy the whole box was.
#   export     --export-users users through the durable export workflow (bench/export.sh's story), the
#              CRM's rate limit set high (100,000/s) and --error-rate errors; users/s over the export.
#   kill       a campaign of --kill-users users; once a third is granted, kill -9 of the last replica,
#              started again at once (as an orchestrator would) on the same port, then a follow-up
#              campaign of a fifth as many users. It must: grant every user (the campaigns' counts from
#              the database), issue exactly one coupon per user of both campaigns (the promotions
#              ledger, reset before, as campaign.sh and kill-restart.sh read it: 0 duplicates), come
#              back ready, and take work: its own errand_handler_messages_total for coupon-grants (its
#              /q/metrics) rises over the follow-up.
# Prints a markdown table at the end; raw TSV in the run's folder (bench/work/scale-out-*/scale-out.tsv).
# BENCH_EXTERNAL_AMQP_PORT / BENCH_EXTERNAL_PG_PORT move the external servers (default 56900 / 54400).
# Bounded: each campaign or export gives up after --timeout seconds. Always stops what it started.
set -euo pipefail

replicas="1 2 3" users=50000 kill_users=20000 export_users=20000 error_rate=0.05 broker=artemis build=1 timeout=900
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --kill-users) kill_users=$2; shift 2 ;;
    --export-users) export_users=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --broker) broker=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$broker" in artemis|rabbitmq) ;; *) echo "--broker artemis or rabbitmq" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
top="$root/bench/work/scale-out-$broker-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$top"
work=$top
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
http_base=$http_port
external="$top/external"
external_options=(--work "$external" --amqp-port "${BENCH_EXTERNAL_AMQP_PORT:-56900}" --pg-port "${BENCH_EXTERNAL_PG_PORT:-54400}")
[ "$broker" = rabbitmq ] && external_options+=(--no-artemis)

declare -A pids=()
sampler= rabbit_started=0 sim_pid= private=
cleanup() {
  local status=$? p
  # Everything is tried, whatever fails.
  set +e
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  for p in "${pids[@]}" $sim_pid; do kill "$p" 2>/dev/null || true; done
  [ -n "$sim_pid" ] && { wait "$sim_pid" 2>/dev/null || true; }
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  "$root/bench/external/stop.sh" --work "$external" > /dev/null 2>&1 || true
  # PostgreSQL's folder is outside the run's (in /tmp, for the postgres user): it goes with the run.
  [ -f "$external/postgres.dir" ] && rm -rf "$(cat "$external/postgres.dir")"
  [ "$rabbit_started" = 1 ] && { "$root/bench/rabbitmq/stop.sh"; rm -rf "$private"; }
  exit "$status"
}
trap cleanup EXIT

# The demo generates its HTTP users only with its embedded servers; with external ones the script
# declares the admin (its digest, as LocalCredentials does) and leaves the password where lib.sh's
# await_ready reads it.
admin_password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
admin_digest=$(printf 'admin:Quarkus:%s' "$admin_password" | sha256sum | cut -d' ' -f1)

if [ "$broker" = rabbitmq ]; then
  # As .ci/run: the node runs as the rabbitmq user, which must not need to read this clone.
  # The node (errand@localhost, port 5682) is shared by everything on this box: never stop another's.
  if rabbitmqctl -q -n errand@localhost await_startup --timeout 2 > /dev/null 2>&1; then
    echo "a RabbitMQ node errand@localhost is running already: stop it first (bench/rabbitmq/stop.sh)" >&2; exit 1
  fi
  private=$(mktemp -d)
  cp -r "$root/bench/rabbitmq" "$private/"
  bash "$private/rabbitmq/start.sh" >&2
  rabbit_started=1
fi

# ---- The simulators' JVM: the promotions API and the CRM ------------------------------------------
sim_options=(-Derrand.simulator.error-rate="$error_rate"
             -Derrand.crm-simulator.error-rate="$error_rate" -Derrand.crm-simulator.rate-limit=100000)
work="$top/simulators" http_port=$((http_base + 9)) base="http://127.0.0.1:$((http_base + 9))"
mkdir -p "$work"
start_service "${sim_options[@]}"
sim_pid=$pid sim_base=$base sim_admin=$admin sim_work=$work
sim() { admin=$sim_admin api "$@"; }

# ---- The replicas --------------------------------------------------------------------------------
# use_replica I: points lib.sh's $work, $http_port, $base, $pid and $admin at replica I.
use_replica() {
  work="$top/n$n/r$1" http_port=$((http_base + $1)) amqp_port=0
  base="http://127.0.0.1:$http_port" pid=${pids[$1]:-} admin="admin:$admin_password"
}

start_replica() {
  use_replica "$1"
  mkdir -p "$work/data"
  (umask 077; echo "http.admin.password=$admin_password" > "$work/data/credentials.properties")
  start_service "${service_options[@]}"
  pids[$1]=$pid
}

stop_replicas() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

# The replica's own count of coupon grants handled (every outcome), from its Prometheus metrics.
handled() {
  # The sample's value follows the labels; an exemplar may follow the value.
  curl -fs "$base/q/metrics" | awk '/^errand_handler_messages_total\{/ && /consumer="coupon-grants"/ {
    sub(/^[^}]*\} /, ""); s += $1} END {printf "%d", s}'
}

# ---- The database and the processes' CPU ---------------------------------------------------------
pg_query() {
  (cd / && runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h "$external_pg_dir" -p "$external_pg_port" \
    -U postgres -d errand -qAt -F ' ' -c "$1")
}
broker_pid() {
  if [ "$broker" = artemis ]; then cat "$external_artemis_instance/data/artemis.pid"
  else rabbitmqctl -q -n errand@localhost eval 'os:getpid().' | tr -d '"'; fi
}
box_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8; exit}' /proc/stat; }
# "replica1 replica2 … pg broker box commits" at this moment.
snapshot() {
  local i out=""
  for i in $(seq 1 "$n"); do out+="$(ticks "${pids[$i]}") "; done
  read -r sim_jvm sim_pg <<< "$(cpu_ticks "$sim_pid" "$sim_work")"
  echo "$out$(postgres_ticks "$external_pg_dir/data") $(ticks "$broker_process") $((sim_jvm + sim_pg)) $(box_ticks)" \
    "$(pg_query "select xact_commit from pg_stat_database where datname = 'errand'")"
}
# Connections to the service's database, twice a second: open, of those not idle, and of those idle
# in a transaction (held by a handler between statements).
start_connection_sampler() {
  (while :; do
     pg_query "select count(*), count(*) filter (where state <> 'idle'),
       count(*) filter (where state = 'idle in transaction') from pg_stat_activity where datname = 'errand' and pid <> pg_backend_pid()" \
       || true
     sleep 0.5
   done) > "$top/n$n/connections" 2>/dev/null &
  sampler=$!
}
stop_connection_sampler() {
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  sampler=
  awk '$1 > open {open = $1} $2 > busy {busy = $2} $3 > held {held = $3} END {printf "%d %d %d", open, busy, held}' \
    "$top/n$n/connections"
}

# ---- One replica count ---------------------------------------------------------------------------
tsv="$top/scale-out.tsv"
printf 'broker\treplicas\tusers\tcampaign_s\tgrants_per_s\texport_users\texport_s\texported_per_s\tpeak_connections\tpeak_busy_connections\tpeak_idle_in_transaction\tcpu_jvms_pct\tcpu_pg_pct\tcpu_broker_pct\tcpu_simulators_pct\tbox_busy_pct\tcommits_per_s\tkill_users\tkill_granted\tkill_coupons\tkill_duplicates\tkill_lost\tkilled_at_granted\trestart_ready_s\tkilled_replica_handled\tkill_ok\n' > "$tsv"

for n in $replicas; do
  echo "== $n replica(s) on $broker" >&2
  mkdir -p "$top/n$n"
  "$root/bench/external/start.sh" "${external_options[@]}" --fresh > "$top/n$n/external.log"
  . "$external/external.env"
  service_options=(
    -Dquarkus.datasource.jdbc.url="$external_jdbc_url" -Dquarkus.datasource.username="$external_db_username"
    -Dquarkus.datasource.password="$external_db_password"
    # The rule for N replicas (scaling.md): N x each replica's connections within PostgreSQL's 100 less
    # its 3 reserved and a few for this script's own readings. The demo alone would take 189 (one per
    # consumer worker); under this ceiling its consumers share what requests and Errand's loops leave.
    -Derrand.database.max-connections=$((90 / n))
    -Dquarkus.security.users.embedded.users.admin="$admin_digest"
    -Dquarkus.security.users.embedded.roles.admin=admin,producer,viewer
    -Dquarkus.rest-client.promotions.url="$sim_base" -Dquarkus.rest-client.crm.url="$sim_base")
  if [ "$broker" = artemis ]; then
    service_options+=(-Damqp-host="$external_amqp_host" -Damqp-port="$external_amqp_port"
      -Damqp-username="$external_amqp_username" -Damqp-password="$external_amqp_password"
      -Derrand.broker.sender-role=errand-sender)
  else
    # This database is new, the node's durable queues are not: what an earlier run left there must go.
    for queue in errand.coupon-grants errand.dead-letters errand.functions.export-users errand.functions.export-user; do
      rabbitmqctl -q -n errand@localhost purge_queue "$queue"
    done
    service_options+=(-Dquarkus.profile=prod,rabbitmq -Damqp-host=127.0.0.1 -Damqp-port=5682 -Damqp-username=errand
      -Damqp-password=errand-local-only -Derrand.broker.management-url=http://127.0.0.1:15682
      -Derrand.broker.statistics-interval=1s)
  fi
  # One at a time: the first migrates the schema, the others find it done.
  for i in $(seq 1 "$n"); do start_replica "$i"; done
  broker_process=$(broker_pid)
  sim -X POST "$sim_base/simulator/promo/reset" > /dev/null
  sim -X POST "$sim_base/simulator/crm/reset" > /dev/null

  # -- campaign --
  use_replica 1
  start_connection_sampler
  s0=$(snapshot) t0=$(date +%s%N)
  id=$(upload_users "n$n-user" "$users" "scale-out-$n")
  state=$(await_completion "$id" "$timeout")
  s1=$(snapshot) t1=$(date +%s%N)
  read -r peak_open peak_busy peak_held <<< "$(stop_connection_sampler)"
  campaign=$(/usr/bin/python3 - "$state" "$s0" "$s1" "$(( (t1 - t0) / 1000000 ))" "$tick_ms" "$(nproc)" <<'PY'
import json, sys
from datetime import datetime
c = json.loads(sys.argv[1])
s0, s1 = [int(x) for x in sys.argv[2].split()], [int(x) for x in sys.argv[3].split()]
wall_ms, tick_ms, cores = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
seconds = (parse(c["finishedAt"]) - parse(c["startedAt"])).total_seconds()
d = [b - a for a, b in zip(s0, s1)]
*jvms, pg, brk, simulators, box, commits = d
pct = lambda ticks: f"{ticks * tick_ms * 100 / wall_ms:.0f}"
print(f"{seconds:.1f}\t{c['granted'] / seconds:.0f}\t{'+'.join(pct(j) for j in jvms)}\t{pct(pg)}\t{pct(brk)}"
      f"\t{pct(simulators)}\t{box * tick_ms * 100 / (wall_ms * cores):.0f}\t{commits * 1000 / wall_ms:.0f}")
PY
)
  echo "campaign: $campaign" >&2

  # -- export --
  api -X POST "$base/exports/users?count=$export_users" > /dev/null
  e0=$(date +%s%N)
  export_id=$(api -X POST "$base/exports" | sed -E 's/.*"exportId":([0-9]+).*/\1/')
  deadline=$((SECONDS + timeout))
  while :; do
    export_state=$(api "$base/exports/$export_id" || true)
    case "$export_state" in *'"status":"RUNNING"'*|'') ;; *'"status":'*) break ;; esac
    [ $SECONDS -ge $deadline ] && { echo "export timed out: $export_state" >&2; exit 1; }
    sleep 1
  done
  e1=$(date +%s%N)
  exported=$(echo "$export_state" | sed -E 's/.*"exported":([0-9]+).*/\1/')
  export_s=$(awk -v ms=$(( (e1 - e0) / 1000000 )) 'BEGIN {printf "%.1f", ms / 1000}')
  export_rate=$(awk -v n="$exported" -v s="$export_s" 'BEGIN {printf "%.0f", n / s}')
  echo "export: $exported users in $export_s s ($export_state)" >&2

  # -- kill -9 of the last replica mid-campaign --
  sim -X POST "$sim_base/simulator/promo/reset" > /dev/null
  kill_id=$(upload_users "n$n-kill" "$kill_users" "scale-out-kill-$n")
  deadline=$((SECONDS + timeout))
  while :; do
    kill_state=$(api "$base/campaigns/$kill_id" || true)
    granted=$(echo "$kill_state" | sed -nE 's/.*"granted":([0-9]+).*/\1/p')
    [ "${granted:-0}" -ge $((kill_users / 3)) ] && break
    case "$kill_state" in *'"status":"COMPLETED'*) break ;; esac
    [ $SECONDS -ge $deadline ] && { echo "kill campaign timed out: $kill_state" >&2; exit 1; }
    sleep 0.5
  done
  victim=$n
  echo "kill -9 of replica $victim at $granted of $kill_users granted" >&2
  kill -9 "${pids[$victim]}"; wait "${pids[$victim]}" 2>/dev/null || true
  restarted=$(date +%s%N)
  start_replica "$victim"
  ready_s=$(awk -v ms=$(( ($(date +%s%N) - restarted) / 1000000 )) 'BEGIN {printf "%.1f", ms / 1000}')
  before=$(handled)
  # The kill campaign may be done by the others already: a follow-up campaign gives the replica work.
  use_replica 1
  follow_users=$(( kill_users / 5 > 0 ? kill_users / 5 : 1 ))
  follow_id=$(upload_users "n$n-follow" "$follow_users" "scale-out-follow-$n")
  kill_state=$(await_completion "$kill_id" "$timeout")
  follow_state=$(await_completion "$follow_id" "$timeout")
  use_replica "$victim"
  after=$(handled)
  use_replica 1
  stats=$(sim "$sim_base/simulator/promo/stats")
  kill_row=$(/usr/bin/python3 - "$kill_state" "$follow_state" "$stats" "$kill_users" "$follow_users" "$granted" "$ready_s" "$before" "$after" <<'PY'
import json, sys
c, f, s = (json.loads(a) for a in sys.argv[1:4])
users, follow = int(sys.argv[4]), int(sys.argv[5])
before, after = int(sys.argv[8]), int(sys.argv[9])
lost = users - c["granted"] - c["deadLettered"] - c["failed"]
# Coupons of both campaigns: the ledger was reset before the first.
ok = (c["granted"] == users and f["granted"] == follow and s["coupons"] == users + follow
      and s["duplicateCoupons"] == 0 and lost == 0 and after > before)
print(f"{users}\t{c['granted']}\t{s['coupons']} of {users + follow}\t{s['duplicateCoupons']}\t{lost}\t{sys.argv[6]}"
      f"\t{sys.argv[7]}\t{before}->{after}\t{'yes' if ok else 'NO'}")
PY
)
  echo "kill: $kill_row" >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$broker" "$n" "$users" "$(cut -f1,2 <<< "$campaign")" \
    "$export_users" "$export_s" "$export_rate" "$peak_open" "$peak_busy" "$peak_held" \
    "$(cut -f3- <<< "$campaign")	$kill_row" >> "$tsv"

  stop_replicas
  "$root/bench/external/stop.sh" --work "$external" > /dev/null
done

# ---- The table -----------------------------------------------------------------------------------
/usr/bin/python3 - "$tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| broker | replicas | campaign grants/s | export users/s | peak connections (busy, idle in transaction) | CPU % JVMs | CPU % PostgreSQL | CPU % broker | CPU % simulators | box busy % | commits/s | kill -9 mid-campaign (+ follow-up) | killed replica: ready after (s), handled | ok |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['broker']} | {r['replicas']} | {r['grants_per_s']} ({r['users']} in {r['campaign_s']} s) | {r['exported_per_s']} "
          f"| {r['peak_connections']} ({r['peak_busy_connections']}, {r['peak_idle_in_transaction']}) | {r['cpu_jvms_pct']} | {r['cpu_pg_pct']} | {r['cpu_broker_pct']} | {r['cpu_simulators_pct']} "
          f"| {r['box_busy_pct']} | {r['commits_per_s']} | granted {r['kill_granted']} of {r['kill_users']}, coupons {r['kill_coupons']}, "
          f"duplicates {r['kill_duplicates']}, lost {r['kill_lost']} "
          f"| {r['restart_ready_s']}, {r['killed_replica_handled']} | {r['kill_ok']} |")
PY
echo "raw: $tsv" >&2
if grep -q $'\tNO$' "$tsv"; then exit 1; fi
