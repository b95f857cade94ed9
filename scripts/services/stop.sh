#!/usr/bin/env bash
# Stops the services that start.sh started itself (the Kafka test broker). PostgreSQL belongs to the
# machine and keeps running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/kafka-stop.sh"
