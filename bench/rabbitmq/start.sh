#!/usr/bin/env bash
# Starts Debian's RabbitMQ (3.10) with its AMQP 1.0 plugin on loopback, AMQP on port 5682, with
# Errand's durable queues and local-only users from definitions.json: errand (the service) and
# errand-sender, which may only publish to the errand.outside exchange (bound to the queues open to outside
# senders) and to errand.events: nothing to configure or read, no default exchange. Installs it if missing.
# The management plugin answers on 127.0.0.1:15682: Errand reads queue depths from its HTTP API
# (errand.broker.management-url), refreshed every second instead of the default five.
# Stop it with bench/rabbitmq/stop.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v rabbitmq-server > /dev/null; then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  # The package starts a node of its own on install where systemd runs; there is none here.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends rabbitmq-server > /dev/null
fi
base=${RABBITMQ_BASE_DIR:-/tmp/errand-rabbitmq}
# Queues keep the arguments they were first declared with, and a changed declaration would fail the
# import: a node whose definitions changed starts afresh (it is a local, throwaway broker).
sum=$(sha256sum "$here/definitions.json" | cut -d' ' -f1)
if [[ -d "$base/mnesia" && "$(cat "$base/definitions.sha256" 2>/dev/null)" != "$sum" ]]; then rm -rf "$base/mnesia"; fi
mkdir -p "$base/mnesia" "$base/log"
echo "$sum" > "$base/definitions.sha256"
# The node runs as the rabbitmq user, who may not be able to read a clone (mktemp -d makes it 700):
# everything it reads is copied into its own folder.
cp "$here/definitions.json" "$base/definitions.json"
cat > "$base/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:5682
loopback_users = none
load_definitions = $base/definitions.json
management.tcp.ip = 127.0.0.1
management.tcp.port = 15682
collect_statistics_interval = 1000
CONF
export RABBITMQ_CONFIG_FILE="$base/rabbitmq" RABBITMQ_MNESIA_BASE="$base/mnesia" RABBITMQ_LOG_BASE="$base/log" \
       RABBITMQ_NODENAME=errand@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=25682 \
       RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" RABBITMQ_FEATURE_FLAGS_FILE="$base/feature_flags"
rabbitmq-plugins enable --offline rabbitmq_amqp1_0 rabbitmq_management > /dev/null
# Debian's wrapper runs the node as the rabbitmq user.
if id rabbitmq > /dev/null 2>&1; then chown -R rabbitmq:rabbitmq "$base"; fi
rabbitmq-server -detached
for _ in $(seq 1 60); do
  if rabbitmqctl -n errand@localhost await_startup > /dev/null 2>&1; then
    echo "RabbitMQ $(rabbitmqctl -n errand@localhost version) on 127.0.0.1:5682 (AMQP 1.0), management on 127.0.0.1:15682, data in $base"
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not start; see $base/log" >&2
exit 1
