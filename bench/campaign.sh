#!/usr/bin/env bash
# Benchmark: one coupon campaign end to end on the packaged service in embedded mode.
#
#   bench/campaign.sh [--users N] [--error-rate X] [--rate-limit R] [--latency-ms L] [--no-build]
#                     [--broker rabbitmq] [--warm USERS] [--simulator-process]
#
# --broker rabbitmq runs against bench/rabbitmq/start.sh's broker (started and stopped here) instead
# of the embedded Artemis; the database stays embedded.
# --warm USERS runs a campaign of USERS users first in the same JVM and measures the one after it (a
# warm JVM: its JIT done); without it the measured campaign is the first thing the service does.
# --simulator-process runs the promotions API simulator in a second JVM (another copy of the packaged
# service, idle otherwise, on its own ports and data folder) instead of inside the measured service, so
# that the measured JVM's CPU, heap and JIT are the worker's alone; both still share this machine's cores.
# --rate-limit sets both the simulator's limit and the worker's client-side limit (requests/s).
# Starts the service in a fresh data folder on loopback, uploads a generated CSV, polls until the
# campaign is done and prints one line:
#   users=… seconds=… grants_per_s=… coupons=… duplicateCoupons=… deadLettered=… … cpu_ms_per_grant=…
#   service_jvm=… pg=… simulator=… box_busy=…
# (CPU per grant of each process over the measured campaign, and how busy all the box's cores were.)
# Bounded: gives up after --timeout seconds (default 900). Always stops the service it started.
set -euo pipefail

users=50000 error_rate=0 rate_limit=0 latency_ms=0 build=1 timeout=900 warm=0 sim_process=0
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --error-rate) error_rate=$2; shift 2 ;;
    --rate-limit) rate_limit=$2; shift 2 ;;
    --latency-ms) latency_ms=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --broker) broker=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    --simulator-process) sim_process=1; shift ;;
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
if [ "$sim_process" = 1 ]; then
  # The simulator's JVM: the same build on the next ports, started first; lib.sh's helpers act on
  # whichever service $pid/$base/$admin/$work name, so they are swapped for its start.
  main_work=$work main_port=$http_port main_amqp=$amqp_port
  http_port=$((main_port + 1)) amqp_port=$((main_amqp + 1)) work="$main_work/simulator" base="http://127.0.0.1:$http_port"
  mkdir -p "$work"
  start_service
  sim_pid=$pid sim_base=$base sim_admin=$admin
  http_port=$main_port amqp_port=$main_amqp work=$main_work base="http://127.0.0.1:$http_port"
  # The simulator first: stop_service waits for every child, the simulator's JVM too.
  trap 'kill "$sim_pid" 2>/dev/null; stop_service; [ "${broker:-artemis}" = rabbitmq ] && "$root/bench/rabbitmq/stop.sh"; true' EXIT
  client_limit+=("-Dquarkus.rest-client.promotions.url=$sim_base")
else
  sim_base=$base
fi
start_service "${client_limit[@]}"
[ "$sim_process" = 1 ] || sim_admin=$admin

# lib.sh's api, as the simulator's admin (the same service when it is not a process of its own).
sim() { admin=$sim_admin api "$@"; }
configure_simulator() {
  sim -X PUT "$sim_base/simulator/promo/config" -H 'Content-Type: application/json' \
    -d "{\"errorRate\": $error_rate, \"rateLimit\": $rate_limit, \"latencyMs\": $latency_ms, \"honourIdempotencyKey\": true, \"outage\": false}" > /dev/null
}

configure_simulator
if [ "$warm" != 0 ]; then
  warm_id=$(upload_users warm-user "$warm" warm-up)
  await_completion "$warm_id" "$timeout" > /dev/null
  # The measured campaign's figures start from a clean ledger.
  sim -X POST "$sim_base/simulator/promo/reset" > /dev/null
  configure_simulator
fi

# The whole box's busy ticks (every core), to show whether the campaign had the CPU to itself.
box_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8; exit}' /proc/stat; }
sim_ticks() { if [ "$sim_process" = 1 ]; then cpu_ticks "$sim_pid" "$main_work/simulator"; else echo 0 0; fi; }
c0=$(cpu_ticks) s0=$(sim_ticks) b0=$(box_ticks) t0=$SECONDS
id=$(upload_users bench-user "$users" bench)
state=$(await_completion "$id" "$timeout")
c1=$(cpu_ticks) s1=$(sim_ticks) b1=$(box_ticks) t1=$SECONDS
stats=$(sim "$sim_base/simulator/promo/stats")

/usr/bin/python3 - "$state" "$stats" "$users" "$(cpu_ms "$c0" "$c1")" "$(cpu_ms "$s0" "$s1")" \
  "$(( (b1 - b0) * tick_ms ))" "$((t1 - t0))" "$(nproc)" <<'PY'
import json, sys
from datetime import datetime
c, s, users = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
_, jvm_ms, pg_ms = (int(x) for x in sys.argv[4].split())
sim_ms = int(sys.argv[5].split()[0])
box_ms, wall_s, cores = int(sys.argv[6]), max(1, int(sys.argv[7])), int(sys.argv[8])
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
seconds = (parse(c["finishedAt"]) - parse(c["startedAt"])).total_seconds()
granted = max(1, c["granted"])
# CPU per grant: the service's JVM (with the embedded broker, and the simulator unless it has its own
# JVM), its PostgreSQL, the simulator's JVM with its own PostgreSQL; box_busy is every core's busy share over the same span.
print(f"users={users} seconds={seconds:.1f} grants_per_s={c['granted'] / seconds:.0f} "
      f"coupons={s['coupons']} duplicateCoupons={s['duplicateCoupons']} deadLettered={c['deadLettered']} "
      f"granted={c['granted']} requests={s['requests']} rateLimited={s['rateLimited']} injectedErrors={s['injectedErrors']} "
      f"cpu_ms_per_grant={(jvm_ms + pg_ms + sim_ms) / granted:.3f} service_jvm={jvm_ms / granted:.3f} "
      f"pg={pg_ms / granted:.3f} simulator={sim_ms / granted:.3f} box_busy={box_ms / (wall_s * 1000 * cores):.0%}")
PY
