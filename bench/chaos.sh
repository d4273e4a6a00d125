#!/usr/bin/env bash
# Chaos check (loopback only, bounded in time): a 50,000-user campaign with 5% injected errors,
# the service killed with kill -9 three times at random moments and restarted; then the same with
# SIGTERM, where graceful shutdown must leave no message processed twice.
#
#   bench/chaos.sh [--users N] [--kills K] [--no-build]
#
# Prints the two result lines of bench/kill-restart.sh; exits non-zero if either check fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
users=50000 kills=3 build=()
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --no-build) build=(--no-build); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
"$root/bench/kill-restart.sh" --users "$users" --kills "$kills" --error-rate 0.05 --signal KILL "${build[@]}"
"$root/bench/kill-restart.sh" --users "$users" --kills "$kills" --error-rate 0.05 --signal TERM --no-build
