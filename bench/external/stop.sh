#!/usr/bin/env bash
# Stops what bench/external/start.sh started (Artemis, PostgreSQL), keeping their data for the next
# start (start.sh --fresh throws it away). Stopped already: does nothing.
#
#   bench/external/stop.sh [--work DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${EXTERNAL_WORK:-$root/bench/work/external}
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

instance="$work/artemis"
if [ -x "$instance/bin/artemis-service" ] && "$instance/bin/artemis-service" status > /dev/null 2>&1; then
  # SIGTERM: the broker stops cleanly (artemis-service waits up to 30 s, then gives up).
  "$instance/bin/artemis-service" stop > /dev/null 2>&1 || "$instance/bin/artemis-service" force-stop > /dev/null 2>&1 || true
  echo "Artemis stopped"
fi

if [ -f "$work/postgres.dir" ]; then
  pgdir=$(cat "$work/postgres.dir")
  pg_ctl=/usr/lib/postgresql/15/bin/pg_ctl
  as_postgres() { if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi; }
  if [ -d "$pgdir/data" ] && as_postgres "$pg_ctl" -D "$pgdir/data" status > /dev/null 2>&1; then
    as_postgres "$pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop > /dev/null
    echo "PostgreSQL stopped"
  fi
fi
