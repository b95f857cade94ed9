#!/usr/bin/env bash
# Soak: the sync's model-based test (random SIS histories, faults, crashes) for SOAK_MINUTES (default 30).
#   npm run soak:sync
#   SOAK_MINUTES=5 SOAK_SEED=123 npm run soak:sync
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node scripts/build.mjs scripts/soak/sync-model-soak.tsconfig.json
node --enable-source-maps .build/soak-sync/scripts/soak/sync-model-soak.js
