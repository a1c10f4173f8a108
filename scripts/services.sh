#!/usr/bin/env bash
# services.sh - a real Redis and a real PostgreSQL on loopback, for several dashboard
# instances in development and tests. Installs Debian's redis-server and postgresql when
# missing (without letting their packages start system services). State lives under
# <repo>/.services/ (git-ignored), or SERVICES_DIR.
#
# Usage: scripts/services.sh {start|stop|status|env}
#   env prints export lines: TEST_REDIS_URL, TEST_DATABASE_URL (the server's admin database)
set -euo pipefail

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"
export LC_ALL=C

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DIR=${SERVICES_DIR:-$ROOT_DIR/.services}
REDIS_PORT=${SERVICES_REDIS_PORT:-6391}
PG_PORT=${SERVICES_PG_PORT:-5441}
PG_USER=dashboard
# PostgreSQL refuses to run as root: its files and process belong to this system user.
PG_OS_USER=postgres
START_TIMEOUT=30

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ------------------------------------------------------------- install ----

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# As scripts/dovecot-pair.sh does for dovecot-core: the packages' postinst would start
# system-wide servers; Debian's policy-rc.d mechanism denies that for the install.
POLICY_RC=/usr/sbin/policy-rc.d
install_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  pg_bin >/dev/null 2>&1 || missing+=(postgresql)
  (( ${#missing[@]} == 0 )) && return 0
  [[ $(id -u) -eq 0 ]] || die "must run as root to install ${missing[*]}"
  log "installing ${missing[*]}"
  local ours=0
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n# temporary, from services.sh\nexit 101\n' >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
    ours=1
  fi
  apt_install "${missing[@]}" || { apt-get update -q >/dev/null && apt_install "${missing[@]}"; }
  (( ours == 0 )) || rm -f "$POLICY_RC"
}

# The newest PostgreSQL server binaries Debian installed.
pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $bin && -x $bin/postgres ]] || return 1
  printf '%s' "$bin"
}

# -------------------------------------------------------------- secrets ----

secret() {
  local file="$DIR/secrets/$1"
  if [[ ! -s $file ]]; then
    mkdir -p "$DIR/secrets"
    chmod 700 "$DIR/secrets"
    (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
  cat "$file"
}

# ---------------------------------------------------------------- redis ----

redis_pidfile() { printf '%s/redis/redis.pid' "$DIR"; }

redis_running() {
  local pid
  pid=$(cat "$(redis_pidfile)" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

start_redis() {
  redis_running && return 0
  mkdir -p "$DIR/redis"
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  # No persistence: leases and live state are worth nothing after a restart.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --requirepass "$(secret redis-password)" --daemonize yes \
    --pidfile "$(redis_pidfile)" --dir "$DIR/redis" --logfile "$DIR/redis/redis.log" \
    --save '' --appendonly no
  local i
  for (( i = 0; i < START_TIMEOUT * 5; i++ )); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning -a "$(secret redis-password)" \
      ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.2
  done
  die "redis did not answer on 127.0.0.1:$REDIS_PORT (see $DIR/redis/redis.log)"
}

stop_redis() {
  redis_running || return 0
  log "stopping redis"
  local pid i
  pid=$(cat "$(redis_pidfile)")
  kill -TERM "$pid"
  for (( i = 0; i < 50; i++ )); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

# ----------------------------------------------------------- postgresql ----

# The cluster lives where the postgres user can reach it: beside the clone when every
# parent folder lets it through, else under /var/lib.
pg_dir() {
  local dir="$DIR/postgres"
  if ! runuser -u "$PG_OS_USER" -- test -x "$DIR" 2>/dev/null; then
    dir="/var/lib/replicator-dashboard-services-$(printf '%s' "$DIR" | sha256sum | cut -c1-10)"
  fi
  printf '%s' "$dir"
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

pg_init() {
  local data=$1 pwfile
  [[ -f $data/PG_VERSION ]] && return 0
  log "creating a PostgreSQL cluster in $data"
  mkdir -p "$data"
  chown "$PG_OS_USER:" "$data"
  chmod 700 "$data"
  pwfile=$(mktemp)
  secret pg-password >"$pwfile"
  chown "$PG_OS_USER:" "$pwfile"
  as_pg "$(pg_bin)/initdb" -D "$data" -U "$PG_USER" --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  rm -f "$pwfile"
}

pg_running() {
  local data=$1
  [[ -f $data/postmaster.pid ]] || return 1
  as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start_postgres() {
  local base data
  base=$(pg_dir)
  data="$base/data"
  [[ -d $base ]] || { mkdir -p "$base"; chown "$PG_OS_USER:" "$base"; }
  pg_init "$data"
  pg_running "$data" && return 0
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # Loopback only, no UNIX socket (nothing else on the machine needs one).
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t "$START_TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=''" \
    start >/dev/null
}

stop_postgres() {
  local data
  data="$(pg_dir)/data"
  pg_running "$data" || return 0
  log "stopping PostgreSQL"
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null
}

# ------------------------------------------------------------- commands ----

cmd_env() {
  printf 'export TEST_REDIS_URL=%q\n' "redis://:$(secret redis-password)@127.0.0.1:$REDIS_PORT"
  printf 'export TEST_DATABASE_URL=%q\n' \
    "postgres://$PG_USER:$(secret pg-password)@127.0.0.1:$PG_PORT/postgres"
}

main() {
  case "${1:-}" in
    start) install_packages; mkdir -p "$DIR"; chmod 755 "$DIR"; start_redis; start_postgres ;;
    stop) stop_redis; stop_postgres ;;
    status)
      redis_running && echo "redis: running" || echo "redis: stopped"
      pg_running "$(pg_dir)/data" && echo "postgres: running" || echo "postgres: stopped" ;;
    env) cmd_env ;;
    *) printf 'usage: %s {start|stop|status|env}\n' "$0" >&2; exit 2 ;;
  esac
}

main "$@"
