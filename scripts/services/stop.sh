#!/usr/bin/env bash
# Stops the services that start.sh started itself: the Kafka test broker, and the embedded PostgreSQL if it
# had to start one. A PostgreSQL that belongs to the machine keeps running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
"$HERE/kafka-stop.sh"
node "$HERE/postgres/embedded.mjs" stop
rm -f "$ROOT/.services/postgres/url"
