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
# The machine may reach no network: Next.js must not try to send telemetry.
export NEXT_TELEMETRY_DISABLED=1

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

# The demo's three accounts, made once with generated passwords that are printed once: only
# their hashes are kept (data/users.json). Nothing else ships with a password.
demo_accounts() {
  local name role existing
  existing=$(node_modules/.bin/tsx server/auth/cli.ts list | cut -f1)
  for name in operator helpdesk viewer; do
    role=$name
    if grep -qx "$name" <<<"$existing"; then
      log "account $name exists (reset its password: npm run users -- passwd $name)"
      continue
    fi
    node_modules/.bin/tsx server/auth/cli.ts add "$name" --role "$role" --generate \
      | sed 's/^/[demo] /' >&2
  done
}

# Another dashboard (an earlier demo) on the port would answer in this one's place.
refuse_taken_port() {
  if answers "http://$HOST:$PORT/healthz"; then
    log "something already answers on http://$HOST:$PORT: stop it, or set PORT"
    exit 1
  fi
}

main() {
  refuse_taken_port
  bash scripts/install-deps.sh
  bash scripts/dovecot-pair.sh start
  eval "$(bash scripts/dovecot-pair.sh env)"
  export REPLICATOR_SOCKET
  build
  demo_accounts

  log "replicator: $REPLICATOR_SOCKET"
  serve
}

answers() {
  node -e 'fetch(process.argv[1])
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

# Starts the dashboard and names its address only once it answers there.
serve() {
  # Two malloc arenas, as `npm start` runs it: see "Memory" in the README.
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} NODE_ENV=production node --import tsx server/main.ts &
  local server=$!
  trap 'kill "$server" 2>/dev/null; wait "$server"' INT TERM
  until answers "http://$HOST:$PORT/healthz"; do
    kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
    sleep 0.2
  done
  log "dashboard:  http://$HOST:$PORT  (Ctrl-C stops it; npm run demo:stop stops Dovecot)"
  wait "$server"
}

main "$@"
