#!/usr/bin/env bash
# The audit index benchmark (issue 11): replay events/s on SQLite and PostgreSQL, and `provsync history` once caught up.
# Builds into its own folder (.build/bench-replay: dist/ and other builds are left alone). BENCH_PUPILS (default
# 150,000) sets the scale, BENCH_STORES=sqlite,postgres (the default) the stores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node scripts/build.mjs scripts/bench/replay.tsconfig.json
node --enable-source-maps .build/bench-replay/scripts/bench/replay.bench.js
