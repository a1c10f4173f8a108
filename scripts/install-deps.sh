#!/usr/bin/env bash
# Installs what the dashboard, the demo and the tests need when it is missing: the npm
# packages (from the lock file) and Debian's Chromium for the browser tests. Dovecot itself
# is installed by scripts/dovecot-pair.sh. Safe to run again: it skips what is there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

log() { printf '[install] %s\n' "$*" >&2; }

npm_packages() {
  if [[ -d node_modules/.bin && node_modules/.package-lock.json -nt package-lock.json ]]; then
    return
  fi
  log 'npm ci'
  npm ci --no-audit --no-fund
}

debian_chromium() {
  [[ ${1:-} == --with-browser ]] || return 0
  # type -P looks only at PATH, never at this script's own functions.
  type -P chromium >/dev/null && return
  log 'apt-get install chromium'
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
    || { apt-get update -q >/dev/null && \
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
}

npm_packages
debian_chromium "$@"
