#!/usr/bin/env bash
# Stops the RabbitMQ node started by bench/rabbitmq/start.sh.
set -euo pipefail
RABBITMQ_NODENAME=errand@localhost rabbitmqctl -n errand@localhost stop > /dev/null 2>&1 || true
