#!/usr/bin/env bash
# The demo: installs what is missing, starts the real Dovecot pair with its demo users,
# builds the dashboard when the sources changed, and serves it. Stop the dashboard with
# Ctrl-C; stop Dovecot with `npm run demo:stop`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-3000}

log() { printf '[demo] %s\n' "$*" >&2; }

build_is_current() {
  [[ -f .next/BUILD_ID ]] || return 1
  local newer
  newer=$(find app components lib server public next.config.js package-lock.json \
    -newer .next/BUILD_ID -print -quit 2>/dev/null)
  [[ -z $newer ]]
}

build() {
  if build_is_current; then
    log 'the build is current'
    return
  fi
  log 'building the dashboard (next build)'
  npx next build
}

main() {
  bash scripts/install-deps.sh
  bash scripts/dovecot-pair.sh start
  eval "$(bash scripts/dovecot-pair.sh env)"
  export REPLICATOR_SOCKET
  build

  log "replicator: $REPLICATOR_SOCKET"
  log "dashboard:  http://$HOST:$PORT  (Ctrl-C stops it; npm run demo:stop stops Dovecot)"
  NODE_ENV=production exec node_modules/.bin/tsx server/main.ts
}

main "$@"
