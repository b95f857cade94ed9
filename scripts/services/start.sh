#!/usr/bin/env bash
# Starts everything the tests need: the Kafka test broker, and checks that PostgreSQL answers at
# 127.0.0.1:5432 (starting the machine's cluster if it does not). Exits non-zero when a service
# cannot start, so `npm run services:start && …` never runs tests against a missing service.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()

pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 -t 3 2>/dev/null; }
start_postgres() {
  command -v pg_isready >/dev/null || { echo "services: pg_isready not found (install postgresql-client)" >&2; return 1; }
  if pg_answers; then echo "services: PostgreSQL answers at 127.0.0.1:5432"; return 0; fi
  echo "services: PostgreSQL does not answer at 127.0.0.1:5432; starting the local cluster"
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$version" ]] || { echo "services: no PostgreSQL cluster under /etc/postgresql" >&2; return 1; }
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_answers && { echo "services: PostgreSQL answers at 127.0.0.1:5432"; return 0; }; sleep 0.5; done
  echo "services: PostgreSQL $version did not answer at 127.0.0.1:5432" >&2
  return 1
}

"$HERE/kafka-start.sh" || failed+=("Kafka")
start_postgres || failed+=("PostgreSQL")

if ((${#failed[@]})); then
  echo "services: could not start: ${failed[*]} (CI=${CI:-false}); the integration tests need them" >&2
  exit 1
fi
echo "services: ready"
