#!/usr/bin/env bash
# The reconcile benchmark: builds provsync and the benchmark, runs it (about 10 minutes at 150,000 pupils: the
# organiser is first loaded into the simulator through the API, then a fresh store reconciles with it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node scripts/build.mjs
node scripts/build.mjs scripts/bench/reconcile.tsconfig.json
node --enable-source-maps .build/bench-reconcile/scripts/bench/reconcile.bench.js
