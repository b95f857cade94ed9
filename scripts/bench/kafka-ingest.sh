#!/usr/bin/env bash
# npm run bench: starts the test services if needed (the Kafka broker; PostgreSQL, or an embedded one), builds the
# benchmark into its own folder (.build/bench-kafka-ingest: dist/ and other builds are left alone), runs it.
# BENCH_STORES=sqlite,postgres (the default) chooses the stores compared.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/services/start.sh
node scripts/build.mjs scripts/bench/kafka-ingest.tsconfig.json
node --enable-source-maps .build/bench-kafka-ingest/scripts/bench/kafka-ingest.bench.js
