#!/usr/bin/env bash
# `npm run test:reliability`: faults against a real replicator, hostile inputs and HTTP
# hardening, and a load run, then one summary (scripts/reliability-summary.ts). Everything
# runs on loopback against Dovecot pairs of its own (.dovecot-faults: ports 24430-24432,
# .dovecot-load: 24440-24442) and dashboard servers on ports 3110-3115.
#
# Usage: scripts/reliability.sh [--publish]
#   --publish  also write the summary to tests/reliability/results/latest.{md,json}, which
#              the README links (npm run test:reliability does; npm test does not)
# Environment: RELIABILITY_LOAD_SECONDS (60), RELIABILITY_INPUTS (10000),
#   RELIABILITY_FAULT_USERS (200000), RELIABILITY_SCALE_USERS (1000000),
#   RELIABILITY_LOAD_USERS (100000),
#   RELIABILITY_SKIP_BUILD=1 (use the existing production build),
#   RELIABILITY_REPORTS_DIR (also leave vitest-style reports there, for scripts/test-all.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

PUBLISH=0
[[ ${1:-} == --publish ]] && PUBLISH=1
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
export RELIABILITY_RUN_DIR=${RELIABILITY_RUN_DIR:-$ROOT/tests/reliability/results/run-$STAMP}
VITEST=(npx vitest run --config tests/reliability/vitest.config.ts)

log() { printf '[reliability] %s\n' "$*" >&2; }

prepare() {
  mkdir -p "$RELIABILITY_RUN_DIR"
  # A report of an earlier run must not stand in for this one.
  [[ -z ${RELIABILITY_REPORTS_DIR:-} ]] || rm -f "$RELIABILITY_REPORTS_DIR/reliability.json"
  cat /proc/loadavg >"$RELIABILITY_RUN_DIR/loadavg-start"
  bash scripts/install-deps.sh --with-browser
  bash scripts/dovecot-pair.sh install
  if [[ ${RELIABILITY_SKIP_BUILD:-0} != 1 ]]; then
    log 'next build'
    npx next build >"$RELIABILITY_RUN_DIR/build.log" 2>&1 \
      || { tail -30 "$RELIABILITY_RUN_DIR/build.log" >&2; return 1; }
  fi
}

# shellcheck source=lib/run-step.sh
source "$ROOT/scripts/lib/run-step.sh"

vitest_project() {
  "${VITEST[@]}" --project "$1" --reporter=default --reporter=json \
    --outputFile.json="$RELIABILITY_RUN_DIR/$1.json"
}

main() {
  FAILED_STEPS=()
  prepare
  run_step hostile vitest_project hostile
  run_step faults vitest_project faults
  run_step scale vitest_project scale
  run_step load node --import tsx scripts/reliability-load.ts
  cat /proc/loadavg >"$RELIABILITY_RUN_DIR/loadavg-end"

  local args=("$RELIABILITY_RUN_DIR")
  (( PUBLISH )) && args+=(--publish)
  node --import tsx scripts/reliability-summary.ts "${args[@]}" -- "${FAILED_STEPS[@]}"
}

main "$@"
