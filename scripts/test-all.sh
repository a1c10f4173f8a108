#!/usr/bin/env bash
# Runs every test of the project on this machine, installing and starting what they need:
# npm packages, Debian's Chromium, the real Dovecot pair (scripts/dovecot-pair.sh), and for
# several instances Redis and PostgreSQL (scripts/services.sh), stopped again at the end.
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

# Redis and PostgreSQL for the stores' and the several-instances tests.
start_services() {
  bash scripts/services.sh start
  eval "$(bash scripts/services.sh env)"
  export TEST_REDIS_URL TEST_DATABASE_URL
  trap 'bash scripts/services.sh stop' EXIT
}

# shellcheck source=lib/run-step.sh
source "$ROOT/scripts/lib/run-step.sh"

main() {
  FAILED_STEPS=()
  mkdir -p "$REPORTS"
  rm -f "$REPORTS/cluster-figures.txt"
  install_packages
  start_dovecot
  start_services

  run_step typecheck npx tsc --noEmit
  run_step unit npx vitest run --project unit \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/unit.json"
  run_step stores npx vitest run --project stores \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/stores.json"
  run_step build npx next build
  run_step integration npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/integration.json"
  # Two instances, two replicators (the second pair is started by the tests' setup).
  run_step cluster env TEST_REPORTS_DIR="$REPORTS" npx vitest run --project cluster \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/cluster.json"
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
