#!/usr/bin/env bash
# Stops the test broker that kafka-start.sh started, by the process id in its PID file.
# Idempotent: nothing running is not an error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOME_DIR="$ROOT/.services/kafka"
PID_FILE="$HOME_DIR/kafka.pid"
say() { echo "kafka-stop: $*"; }

if [[ ! -f "$PID_FILE" ]]; then say "not running (no $PID_FILE)"; exit 0; fi
PID="$(cat "$PID_FILE")"
# The PID file may outlive the broker and its number may be reused: only signal our own broker.
if [[ ! -r "/proc/$PID/cmdline" ]] || ! tr '\0' ' ' <"/proc/$PID/cmdline" | grep -q "kafka.Kafka $HOME_DIR/"; then
  say "not running (pid $PID is gone)"; rm -f "$PID_FILE"; exit 0
fi

kill -TERM "$PID"
for ((i = 0; i < 60; i++)); do
  if ! kill -0 "$PID" 2>/dev/null; then rm -f "$PID_FILE"; say "stopped pid $PID"; exit 0; fi
  sleep 0.5
done
say "pid $PID did not stop within 30s; killing it"
kill -KILL "$PID" 2>/dev/null || true
rm -f "$PID_FILE"
