#!/usr/bin/env bash
# `npm test`: known advisories (offline), lint, typecheck, unit + integration (vitest, real
# PostgreSQL and sockets), production build, end-to-end (Playwright in Chromium). Stops at the first
# failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p reports
rm -f reports/vitest.json reports/e2e.json

stage() { printf '\n\033[1m=== %s ===\033[0m\n' "$*"; }

summary() {
  node scripts/test-summary.mjs reports/vitest.json reports/e2e.json || true
}
trap summary EXIT

stage "dependency advisories (npm run audit:offline)"
npm run --silent audit:offline
stage "lint (biome)"
npx biome check .
stage "typecheck (tsc)"
npx tsc --noEmit
stage "unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
stage "production build"
npx tsx scripts/build.ts
stage "end-to-end (playwright, chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=reports/e2e.json npx playwright test --reporter=list,json
