#!/usr/bin/env bash
# Soak: the SIGKILL crash test of Kafka ingestion with many more kills than the suite's 20.
#   npm run soak:kafka                 200 kills
#   KAFKA_CRASH_RUNS=1000 npm run soak:kafka
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/services/kafka-start.sh
node scripts/build.mjs apps/provsync/src/ingest/kafka/tsconfig.json
KAFKA_CRASH_RUNS="${KAFKA_CRASH_RUNS:-200}" node --enable-source-maps --test --test-reporter=spec \
  .build/provsync-kafka/apps/provsync/src/ingest/kafka/kafka-ingestion-crash.int.spec.js
