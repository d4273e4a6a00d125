#!/usr/bin/env bash
# Starts the servers an operator runs beside the service, on loopback only: a standalone ActiveMQ
# Artemis 2.56 (the distribution bench/lib.sh fetches, made with `artemis create`) and a PostgreSQL 15
# (Debian's package, installed if missing), declared as docs/operations/running.md and security.md say.
#
#   bench/external/start.sh [--work DIR] [--amqp-port P] [--pg-port P] [--max-connections N] [--fresh]
#                           [--no-artemis]
#
# Artemis: AMQP on 127.0.0.1:--amqp-port (default 56900) and no other acceptor, no web console;
#   users errand (role errand: every permission, manage included, for queue depths and the outside
#   senders' grants) and errand-sender (role errand-sender: nothing, until the service grants it send
#   on its open queues, errand.broker.sender-role); the durable ANYCAST queues of the demo (those
#   bench/rabbitmq/definitions.json declares, less the tests' ones), the dead-letter queue, and the
#   MULTICAST address errand.events (the service declares one queue per subscription on it); the
#   embedded broker's address settings: redelivery delayed 1 s doubling to 30 s, never dead-lettered by
#   the broker (Errand dead-letters itself), 4096 group buckets for ordering keys, ANYCAST by default.
# PostgreSQL: on 127.0.0.1:--pg-port (default 54400), max_connections --max-connections (default 100,
#   PostgreSQL's own), database errand owned by the user errand (SCRAM password), run as the postgres
#   user on a data folder of its own (mktemp, owned by postgres: it refuses to run as root, and must not
#   need to read a clone of this repository).
# Passwords are generated once per work folder (default bench/work/external). Prints the service's
# settings and writes them, as shell variables, to <work>/external.env (bench/scale-out.sh sources it).
# Already running: prints them again. --fresh starts from empty servers. Stop with bench/external/stop.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${EXTERNAL_WORK:-$root/bench/work/external} amqp=56900 pg=54400 max_connections=100 fresh=0 with_artemis=1
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --amqp-port) amqp=$2; shift 2 ;;
    --pg-port) pg=$2; shift 2 ;;
    --max-connections) max_connections=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --no-artemis) with_artemis=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
. "$root/bench/lib.sh"

if [ "$fresh" = 1 ]; then
  "$root/bench/external/stop.sh" --work "$work" > /dev/null
  [ -f "$work/postgres.dir" ] && rm -rf "$(cat "$work/postgres.dir")"
  rm -rf "$work/artemis" "$work/postgres.dir" "$work/passwords"
fi

# ---- Passwords, kept with the work folder (mode 600) ----
if [ ! -f "$work/passwords" ]; then
  (umask 077; for user in errand errand-sender database; do
     echo "$user=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"; done > "$work/passwords")
fi
password() { sed -n "s/^$1=//p" "$work/passwords"; }

# ---- PostgreSQL ----
pgbin=/usr/lib/postgresql/15/bin
if [ ! -x "$pgbin/postgres" ]; then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Debian makes and starts a cluster of its own where systemd runs; this script does not use it.
  $SUDO apt-get install -y -qq --no-install-recommends postgresql > /dev/null
fi
# As postgres, from a folder it can enter; as root only when already postgres' own user cannot be used.
as_postgres() { if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi; }
if [ ! -f "$work/postgres.dir" ]; then
  pgdir=$(mktemp -d /tmp/errand-external-postgres.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdir"
  as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 > "$work/initdb.log"
  cat >> "$pgdir/data/postgresql.conf" <<CONF
# bench/external/start.sh
listen_addresses = '127.0.0.1'
port = $pg
unix_socket_directories = '$pgdir'
max_connections = $max_connections
CONF
  echo "$pgdir" > "$work/postgres.dir"
fi
pgdir=$(cat "$work/postgres.dir")
psql_admin() { as_postgres "$pgbin/psql" -h "$pgdir" -p "$(pg_port)" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
pg_port() { sed -n "s/^port = //p" "$pgdir/data/postgresql.conf" | tail -1; }
if ! as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" status > /dev/null 2>&1; then
  as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgres.log" -w -t 60 start > /dev/null
fi
if [ -z "$(psql_admin -c "select 1 from pg_roles where rolname = 'errand'")" ]; then
  psql_admin -c "create role errand login password '$(password database)'"
  psql_admin -c "create database errand owner errand"
fi

# ---- Artemis ----
if [ "$with_artemis" = 1 ]; then
  instance="$work/artemis"
  if [ ! -x "$instance/bin/artemis-service" ]; then
    fetch_artemis
    # The demo's work queues: RabbitMQ's definitions list them for the other broker; the tests' are left out.
    queues=$(/usr/bin/python3 -c '
import json, sys
names = [q["name"] for q in json.load(open(sys.argv[1]))["queues"]]
print(",".join(n + ":anycast" for n in names if not (n.startswith("errand.events.") or "test-" in n)))' \
      "$root/bench/rabbitmq/definitions.json")
    "$artemis/bin/artemis" create "$instance" --silent --force --name errand-external \
      --user errand --password "$(password errand)" --role errand --require-login \
      --host 127.0.0.1 --no-web --nio --no-autotune --no-hornetq-acceptor --no-mqtt-acceptor --no-stomp-acceptor \
      --queues "$queues" --addresses errand.events:multicast > "$work/artemis-create.log"
    # The outside senders' user, whose role the broker gives nothing: the service grants it send on its
    # open queues (errand.broker.sender-role). Users are role-less otherwise.
    printf '\nerrand-sender = %s\n' "$(password errand-sender)" >> "$instance/etc/artemis-users.properties"
    printf '\nerrand-sender = errand-sender\n' >> "$instance/etc/artemis-roles.properties"
    # What `artemis create` has no option for, patched into its broker.xml.
    /usr/bin/python3 - "$instance/etc/broker.xml" "$amqp" <<'PY'
import re, sys
path, port = sys.argv[1], sys.argv[2]
xml = open(path).read()
# One acceptor, AMQP on loopback, with the embedded broker's options (EmbeddedBroker.AMQP_OPTIONS).
xml = re.sub(r"<acceptors>.*?</acceptors>", "<acceptors>\n         <acceptor name=\"amqp\">tcp://127.0.0.1:" + port
             + "?protocols=AMQP;useEpoll=true;amqpCredits=1000;amqpLowCredits=300;amqpDuplicateDetection=false"
             + "</acceptor>\n      </acceptors>", xml, count=1, flags=re.S)
# The service's role may do everything everywhere, manage included (the security docs' example).
xml = xml.replace('<security-setting match="#">',
                  '<security-setting match="#">\n            <permission type="manage" roles="errand"/>', 1)
# The catch-all address setting as the embedded broker's: Errand dead-letters with reasons itself, so no
# broker dead-letter or expiry address, and a message it released waits 1 s, doubling to 30 s.
def catch_all(match):
    block = match.group(0)
    block = re.sub(r"\s*<dead-letter-address>DLQ</dead-letter-address>", "", block)
    block = re.sub(r"\s*<expiry-address>ExpiryQueue</expiry-address>", "", block)
    return block.replace("<redelivery-delay>0</redelivery-delay>", """<redelivery-delay>1000</redelivery-delay>
            <redelivery-delay-multiplier>2.0</redelivery-delay-multiplier>
            <max-redelivery-delay>30000</max-redelivery-delay>
            <max-delivery-attempts>-1</max-delivery-attempts>
            <!-- ordering keys arrive as message groups; buckets bound the broker's memory for them -->
            <default-group-buckets>4096</default-group-buckets>
            <default-address-routing-type>ANYCAST</default-address-routing-type>
            <default-queue-routing-type>ANYCAST</default-queue-routing-type>""", 1)
xml, n = re.subn(r'<address-setting match="#">.*?</address-setting>', catch_all, xml, count=1, flags=re.S)
assert n == 1 and 'tcp://127.0.0.1:' + port in xml, "broker.xml is not what artemis create used to write"
open(path, "w").write(xml)
PY
    chmod 600 "$instance/etc/artemis-users.properties"
  fi
  if ! "$instance/bin/artemis-service" status > /dev/null 2>&1; then
    "$instance/bin/artemis-service" start > "$work/artemis-service.log" 2>&1
  fi
  amqp=$(sed -n 's/.*<acceptor name="amqp">tcp:\/\/127.0.0.1:\([0-9]*\)?.*/\1/p' "$instance/etc/broker.xml")
  for _ in $(seq 1 60); do
    (exec 3<> "/dev/tcp/127.0.0.1/$amqp") 2> /dev/null && break
    "$instance/bin/artemis-service" status > /dev/null 2>&1 || { echo "Artemis died; see $instance/log" >&2; exit 1; }
    sleep 1
  done
  (exec 3<> "/dev/tcp/127.0.0.1/$amqp") 2> /dev/null || { echo "Artemis did not start; see $instance/log" >&2; exit 1; }
fi

# ---- What a service needs ----
pg=$(pg_port)
{
  echo "# Written by bench/external/start.sh; sourced by bench/scale-out.sh."
  if [ "$with_artemis" = 1 ]; then
    echo "external_amqp_host=127.0.0.1"
    echo "external_amqp_port=$amqp"
    echo "external_amqp_username=errand"
    echo "external_amqp_password='$(password errand)'"
    echo "external_sender_username=errand-sender"
    echo "external_sender_password='$(password errand-sender)'"
    echo "external_artemis_instance='$work/artemis'"
  fi
  echo "external_jdbc_url=jdbc:postgresql://127.0.0.1:$pg/errand"
  echo "external_db_username=errand"
  echo "external_db_password='$(password database)'"
  echo "external_pg_port=$pg"
  echo "external_pg_dir='$pgdir'"
} > "$work/external.env"
chmod 600 "$work/external.env"

echo "PostgreSQL $(as_postgres "$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg" \
  "(max_connections $(psql_admin -c 'show max_connections')), data in $pgdir"
[ "$with_artemis" = 1 ] && echo "ActiveMQ Artemis $artemis_version, AMQP on 127.0.0.1:$amqp, instance in $work/artemis"
echo "Service settings (also in $work/external.env):"
if [ "$with_artemis" = 1 ]; then
  echo "  amqp-host=127.0.0.1"
  echo "  amqp-port=$amqp"
  echo "  amqp-username=errand"
  echo "  amqp-password=$(password errand)"
  echo "  errand.broker.sender-role=errand-sender   (outside senders: errand-sender / $(password errand-sender))"
fi
echo "  quarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:$pg/errand"
echo "  quarkus.datasource.username=errand"
echo "  quarkus.datasource.password=$(password database)"
