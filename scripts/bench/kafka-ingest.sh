#!/usr/bin/env bash
# npm run bench: starts the Kafka test broker if needed, builds, runs the ingest benchmark.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/services/kafka-start.sh
node scripts/build.mjs apps/provsync/src/ingest/kafka/tsconfig.json
node --enable-source-maps .build/provsync-kafka/scripts/bench/kafka-ingest.bench.js
