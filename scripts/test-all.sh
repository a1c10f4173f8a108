#!/usr/bin/env bash
# Runs every test of the project on this machine, installing and starting what they need:
# npm packages, Debian's Chromium, and the real Dovecot pair (scripts/dovecot-pair.sh).
# Prints one closing line with the totals.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
REPORTS="$ROOT/.test-reports"
export NEXT_TELEMETRY_DISABLED=1

log() { printf '[test-all] %s\n' "$*" >&2; }

install_packages() {
  bash scripts/install-deps.sh --with-browser
}

start_dovecot() {
  bash scripts/dovecot-pair.sh start
  eval "$(bash scripts/dovecot-pair.sh env)"
  export REPLICATOR_SOCKET
}

# shellcheck source=lib/run-step.sh
source "$ROOT/scripts/lib/run-step.sh"

main() {
  FAILED_STEPS=()
  mkdir -p "$REPORTS"
  install_packages
  start_dovecot

  run_step typecheck npx tsc --noEmit
  run_step unit npx vitest run --project unit \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/unit.json"
  run_step build npx next build
  run_step integration npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/integration.json"
  run_step e2e env PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" \
    npx playwright test --reporter=list,json
  # Faults, hostile inputs and hardening in full, the load for 10 s (about 3 minutes);
  # RELIABILITY=0 leaves them out for a quicker run.
  if [[ ${RELIABILITY:-1} != 0 ]]; then
    run_step reliability env RELIABILITY_SKIP_BUILD=1 RELIABILITY_LOAD_SECONDS=10 \
      RELIABILITY_REPORTS_DIR="$REPORTS" bash scripts/reliability.sh
  fi

  node scripts/test-summary.mjs "$REPORTS" "${FAILED_STEPS[@]}"
}

main "$@"
