#!/usr/bin/env bash
# The Skolverket sync benchmark: builds provsync and the benchmark, runs it (about 10 minutes at 150,000 pupils).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node scripts/build.mjs
node scripts/build.mjs scripts/bench/initial-load.tsconfig.json
node --enable-source-maps .build/bench-initial-load/scripts/bench/initial-load.bench.js
