#!/usr/bin/env bash
# dovecot-pair.sh - run a REAL Dovecot 2.3 primary (with the replicator) and a
# REAL replica on loopback, for development and end-to-end tests of the
# dashboard. Everything lives under <repo>/.dovecot/ (git-ignored).
#
# Usage: scripts/dovecot-pair.sh {install|start|stop|restart|status|env|reset}
#
# Options by environment (remembered in the pair's folder like the ports):
#   DOVECOT_PAIR_HTTP_PORT=N   the primary also serves the doveadm HTTP API on N
#   DOVECOT_PAIR_TWO_WAY=1     the replica runs a replicator of its own that syncs back
#                              to the primary (master-master); its replicator-doveadm
#                              TCP listener is DOVECOT_PAIR_REPLICA_REPLICATOR_PORT
# See docs/dovecot-pair.md for details.
set -euo pipefail

# Root's PATH in CI or under sudo may lack the sbin dirs where dovecot lives.
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"
export LC_ALL=C
# Internal cache (see data_dir), never taken from the caller.
unset PAIR_DATA_DIR

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT_DIR=$(cd "$SCRIPT_DIR/.." && pwd -P)
# A second instance (the benchmark's) lives in another folder with other ports.
PAIR_DIR=${DOVECOT_PAIR_DIR:-$ROOT_DIR/.dovecot}
# Per-clone suffix for the few things that may have to live outside the repo.
PAIR_HASH=$(printf '%s' "$PAIR_DIR" | sha256sum | cut -c1-10)

# Fixed defaults in a block that is unlikely to clash; overridable by env. Ports given once
# are remembered in the pair's folder, so a later run without the variables cannot point
# this pair at another copy's Dovecot.
PORTS_FILE="$PAIR_DIR/ports"
SAVED_REPLICA_PORT='' SAVED_PRIMARY_PORT='' SAVED_REPLICATOR_PORT=''
SAVED_HTTP_PORT='' SAVED_TWO_WAY='' SAVED_REPLICA_REPLICATOR_PORT=''
# shellcheck source=/dev/null
[[ -f $PORTS_FILE ]] && source "$PORTS_FILE"
REPLICA_PORT=${DOVECOT_PAIR_REPLICA_PORT:-${SAVED_REPLICA_PORT:-24410}}
PRIMARY_PORT=${DOVECOT_PAIR_PRIMARY_PORT:-${SAVED_PRIMARY_PORT:-24411}}
REPLICATOR_PORT=${DOVECOT_PAIR_REPLICATOR_PORT:-${SAVED_REPLICATOR_PORT:-24412}}
# Off unless asked for: the doveadm HTTP API, and the replica's own replicator.
HTTP_PORT=${DOVECOT_PAIR_HTTP_PORT:-$SAVED_HTTP_PORT}
TWO_WAY=${DOVECOT_PAIR_TWO_WAY:-${SAVED_TWO_WAY:-0}}
REPLICA_REPLICATOR_PORT=${DOVECOT_PAIR_REPLICA_REPLICATOR_PORT:-$SAVED_REPLICA_REPLICATOR_PORT}
if [[ $TWO_WAY == 1 && -z $REPLICA_REPLICATOR_PORT ]]; then
  REPLICA_REPLICATOR_PORT=$(( REPLICATOR_PORT + 1 ))
fi
# Who may use the replicator-doveadm UNIX socket (the dashboard runs as root).
SOCKET_USER=${DOVECOT_PAIR_SOCKET_USER:-root}
SOCKET_GROUP=${DOVECOT_PAIR_SOCKET_GROUP:-root}
START_TIMEOUT=${DOVECOT_PAIR_TIMEOUT:-30}
BIG_MESSAGES=${DOVECOT_PAIR_BIG_MESSAGES:-3000}
# Dovecot's own default: the benchmark shows the dashboard reads 1M users within it.
REPLICATOR_VSZ_LIMIT=${DOVECOT_PAIR_REPLICATOR_VSZ_LIMIT:-256M}
MAIL_USER=vmail

log() { printf '[dovecot-pair] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (dovecot's master needs it)"
}

# ---------------------------------------------------------------- paths ----

conf_file() { printf '%s/%s/dovecot.conf' "$PAIR_DIR" "$1"; }
log_file() { printf '%s/%s/dovecot.log' "$PAIR_DIR" "$1"; }
state_dir() { printf '%s/%s/state' "$PAIR_DIR" "$1"; }

# base_dir holds the sockets. UNIX socket paths are limited to 107 bytes, so a
# deep clone falls back to a short per-clone directory under /run.
run_dir() {
  local dir="$PAIR_DIR/$1/run"
  # 32 bytes of headroom for the longest socket name (replication-notify-fifo).
  if (( ${#dir} + 32 > 107 )); then
    dir="/run/dovecot-pair-$PAIR_HASH/$1"
  fi
  printf '%s' "$dir"
}

# The users file is read by the auth process (user "dovecot") and the mail is
# accessed as vmail: both must be able to traverse the repo's parent dirs. A
# clone under /root (mode 0700) can't offer that, so use /var/lib there.
data_dir() {
  if [[ -n ${PAIR_DATA_DIR:-} ]]; then printf '%s' "$PAIR_DATA_DIR"; return; fi
  PAIR_DATA_DIR=$PAIR_DIR
  if ! can_traverse "$ROOT_DIR"; then
    PAIR_DATA_DIR="/var/lib/dovecot-pair-$PAIR_HASH"
  fi
  printf '%s' "$PAIR_DATA_DIR"
}

can_traverse() {
  local dir=$1 who
  for who in "$MAIL_USER" dovecot; do
    id -u "$who" >/dev/null 2>&1 || continue
    runuser -u "$who" -- test -x "$dir" 2>/dev/null || return 1
  done
}

users_file() { printf '%s/users' "$(data_dir)"; }
mail_root() { printf '%s/%s/mail' "$(data_dir)" "$1"; }
# $1 = primary (the default) or replica (two-way only).
replicator_socket() { printf '%s/replicator-doveadm' "$(run_dir "${1:-primary}")"; }
secret_file() { printf '%s/secrets/%s' "$PAIR_DIR" "$1"; }

# -------------------------------------------------------------- install ----

cmd_install() {
  require_root
  install_dovecot
  ensure_mail_user
}

install_dovecot() {
  command -v dovecot >/dev/null && command -v doveadm >/dev/null && return 0
  log "installing dovecot-core"
  deny_service_starts
  # The package list may be stale or empty on a fresh machine: update once
  # and retry only when the first attempt fails, to keep the common path fast.
  if ! apt_install dovecot-core; then
    apt-get update
    apt_install dovecot-core
  fi
  allow_service_starts
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# The package's postinst would start the system dovecot (listening on all
# interfaces). Nothing may start it, so deny service starts for the duration
# of the install, as Debian's policy-rc.d mechanism allows.
POLICY_RC=/usr/sbin/policy-rc.d
deny_service_starts() {
  [[ -e $POLICY_RC ]] && return 0
  printf '#!/bin/sh\n# temporary, from dovecot-pair.sh\nexit 101\n' >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  POLICY_RC_OURS=1
  trap allow_service_starts EXIT
}

allow_service_starts() {
  if [[ ${POLICY_RC_OURS:-0} == 1 ]]; then
    rm -f "$POLICY_RC"
    POLICY_RC_OURS=0
  fi
}

ensure_mail_user() {
  id -u "$MAIL_USER" >/dev/null 2>&1 && return 0
  log "creating system user $MAIL_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$MAIL_USER"
}

# -------------------------------------------------------------- secrets ----

# Random secrets are made once and kept, so a second start changes nothing.
ensure_secret() {
  local file
  file=$(secret_file "$1")
  [[ -s $file ]] && return 0
  mkdir -p "$(dirname "$file")"
  chmod 700 "$(dirname "$file")"
  (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file")
}

# -------------------------------------------------------------- configs ----

# Settings shared by both instances. $1 = primary|replica, $2 = doveadm port.
render_common() {
  local inst=$1 port=$2 uid gid
  uid=$(id -u "$MAIL_USER")
  gid=$(id -g "$MAIL_USER")
  cat <<EOF
# Generated by scripts/dovecot-pair.sh on every start: edit the script instead.
instance_name = dovecot-pair-$inst
base_dir = $(run_dir "$inst")
state_dir = $(state_dir "$inst")
log_path = $(log_file "$inst")
info_log_path = $(log_file "$inst")
protocols = none
listen = 127.0.0.1
ssl = no

mail_uid = $MAIL_USER
mail_gid = $MAIL_USER
first_valid_uid = $uid
first_valid_gid = $gid
mail_location = maildir:~/Maildir

# Allow any byte in user names: the demo has a UTF-8 one (jürgen@example.net).
auth_username_chars =
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $(users_file)
}
# dsync refuses users without a home.
userdb {
  driver = passwd-file
  args = $(users_file)
  default_fields = uid=$MAIL_USER gid=$MAIL_USER home=$(mail_root "$inst")/%d/%n
}

# dsync between the instances goes over this TCP port, authenticated with
# the shared doveadm_password.
doveadm_password = $(cat "$(secret_file doveadm-password)")
service doveadm {
  inet_listener {
    address = 127.0.0.1
    port = $port
  }$(render_http_listener "$inst")
}$(render_http_key "$inst")
EOF
}

# The doveadm HTTP API, on the primary only and only when asked for; the dashboard
# authenticates with the API key (doveadm_password would work as well). Each starts with
# its line end, so a pair without it keeps its config byte for byte.
render_http_listener() {
  [[ $1 == primary && -n $HTTP_PORT ]] || return 0
  printf '\n  inet_listener http {\n    address = 127.0.0.1\n    port = %s\n  }' "$HTTP_PORT"
}

render_http_key() {
  [[ $1 == primary && -n $HTTP_PORT ]] || return 0
  printf '\ndoveadm_api_key = %s' "$(cat "$(secret_file doveadm-api-key)")"
}

render_primary() {
  render_common primary "$PRIMARY_PORT"
  render_replication "$REPLICA_PORT" "$REPLICATOR_PORT"
}

# The replicator and what feeds it. $1 = the other side's doveadm port, $2 = the port of
# this replicator's TCP listener.
render_replication() {
  local peer_port=$1 replicator_port=$2
  cat <<EOF

# Every mail change is announced to the replicator (via the aggregator).
mail_plugins = \$mail_plugins notify replication
plugin {
  mail_replica = tcp:127.0.0.1:$peer_port
}
replication_max_conns = 10

service replicator {
  process_min_avail = 1
  # The replicator buffers what a STATUS reader has not taken yet: with a million
  # users and a slow reader, this limit is what it dies of.
  vsz_limit = $REPLICATOR_VSZ_LIMIT
  unix_listener replicator-doveadm {
    user = $SOCKET_USER
    group = $SOCKET_GROUP
    mode = 0660
  }
  # Same protocol over TCP (the replicator picks it by listener name). It has
  # no authentication: loopback only.
  inet_listener replicator-doveadm {
    address = 127.0.0.1
    port = $replicator_port
  }
}

# Mail processes run as vmail and must reach the aggregator.
service aggregator {
  fifo_listener replication-notify-fifo {
    user = $MAIL_USER
    mode = 0600
  }
  unix_listener replication-notify {
    user = $MAIL_USER
    mode = 0600
  }
}
EOF
}

render_replica() {
  render_common replica "$REPLICA_PORT"
  # Two-way: the replica's own replicator copies its users' changes back.
  if [[ $TWO_WAY == 1 ]]; then render_replication "$PRIMARY_PORT" "$REPLICA_REPLICATOR_PORT"; fi
}

# Rewrite the config only when it changed, and say so if the running
# instance has to be restarted to see it.
write_config() {
  local inst=$1 file tmp
  file=$(conf_file "$inst")
  tmp="$file.tmp"
  mkdir -p "$(dirname "$file")" "$(state_dir "$inst")"
  (umask 077; "render_$inst" >"$tmp")
  if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 0
  fi
  mv "$tmp" "$file"
  if is_running "$inst"; then
    log "$inst config changed; run '$0 stop && $0 start' to apply it"
  fi
}

# ---------------------------------------------------------------- users ----

# ~200 demo users: named ones, numbered ones, five big mailboxes and one
# UTF-8 local part. Prints "address<TAB>message count" lines.
demo_users() {
  local name i
  for name in alice bob carol dave erin frank grace heidi ivan judy kate \
    liam mallory niaj olivia peggy quentin rupert sybil trent uma victor \
    walter xavier yvonne zoe; do
    printf '%s@example.com\t%d\n' "$name" $(( ${#name} % 5 ))
  done
  for i in $(seq 1 84); do
    printf 'user%03d@example.net\t%d\n' "$i" $(( i % 5 ))
    printf 'user%03d@example.org\t%d\n' "$i" $(( (i + 2) % 5 ))
  done
  printf 'jürgen@example.net\t3\n'
  printf 'big1@example.com\t%d\n' "$BIG_MESSAGES"
  printf 'big2@example.net\t%d\n' "$BIG_MESSAGES"
  printf 'big3@example.org\t%d\n' "$BIG_MESSAGES"
  printf 'big4@example.com\t%d\n' "$BIG_MESSAGES"
  printf 'big5@example.org\t%d\n' "$BIG_MESSAGES"
}

ensure_users() {
  local file hash
  file=$(users_file)
  [[ -s $file ]] && return 0
  log "creating demo users in $file"
  mkdir -p "$(dirname "$file")"
  # One hash for all: the users share the generated demo password.
  hash=$(doveadm -c "$(conf_file primary)" pw -s SHA512-CRYPT \
    -p "$(cat "$(secret_file demo-password)")")
  demo_users | awk -F '\t' -v h="$hash" '{ print $1 ":" h "::::::" }' \
    >"$file.tmp"
  # The auth process runs as "dovecot" and reads it; nobody else needs to.
  chown root:dovecot "$file.tmp"
  chmod 640 "$file.tmp"
  mv "$file.tmp" "$file"
}

# ----------------------------------------------------------------- mail ----

# Mail is generated once; the marker says the generation finished.
ensure_mail() {
  local root
  root=$(mail_root primary)
  mkdir -p "$(mail_root replica)"
  chown "$MAIL_USER:$MAIL_USER" "$(mail_root replica)"
  chmod 700 "$(mail_root replica)"
  [[ -f $root/.generated ]] && return 0
  log "generating demo mail in $root"
  rm -rf "$root"
  mkdir -p "$root"
  make_maildirs "$root"
  demo_users | maildir_jobs "$root" | write_messages
  chown -R "$MAIL_USER:$MAIL_USER" "$root"
  chmod 700 "$root"
  touch "$root/.generated"
}

# Create every Maildir (INBOX and the big users' Archive) in one mkdir call.
make_maildirs() {
  local root=$1 addr count dir sub
  local -a dirs=()
  while IFS=$'\t' read -r addr count; do
    (( count > 0 )) || continue
    dir="$root/${addr#*@}/${addr%@*}/Maildir"
    for sub in cur new tmp .Archive/cur .Archive/new .Archive/tmp; do
      dirs+=("$dir/$sub")
    done
  done < <(demo_users)
  mkdir -p "${dirs[@]}"
}

# Turn "address<TAB>count" into "maildir<TAB>address<TAB>count" jobs: big
# users keep a sixth of their mail in the Archive folder.
maildir_jobs() {
  local root=$1 addr count dir archive
  while IFS=$'\t' read -r addr count; do
    (( count > 0 )) || continue
    dir="$root/${addr#*@}/${addr%@*}/Maildir"
    archive=$(( count >= 100 ? count / 6 : 0 ))
    printf '%s\t%s\t%d\n' "$dir" "$addr" $(( count - archive ))
    (( archive == 0 )) || printf '%s\t%s\t%d\n' "$dir/.Archive" "$addr" "$archive"
  done
}

# One awk process writes all messages (thousands of small files) straight
# into cur/, which is far faster than a process per message. No S= size in
# the file names, so Dovecot computes sizes itself.
write_messages() {
  awk -F '\t' -v now="$(date +%s)" '
    BEGIN {
      split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
      split("invoice meeting report lunch release backup review travel", topic, " ")
      line = "The quick brown fox jumps over the lazy dog while the replicator watches."
    }
    {
      dir = $1; addr = $2; n = $3 + 0
      for (i = 1; i <= n; i++) {
        seq++
        file = sprintf("%s/cur/%d.M%dP%d.dovecot-pair:2,S", dir, now - n + i, seq, NR)
        date = sprintf("%d %s 2024 %02d:%02d:%02d +0000", i % 28 + 1, mon[i % 12 + 1],
          i % 24, i % 60, (i * 7) % 60)
        printf "From: Sender %d <sender%d@example.org>\n", i % 97, i % 97 > file
        printf "To: <%s>\n", addr > file
        printf "Subject: %s #%d for %s\n", topic[i % 8 + 1], i, addr > file
        printf "Date: %s\n", date > file
        printf "Message-ID: <%d.%d@dovecot-pair.example>\n", seq, NR > file
        printf "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" > file
        for (l = 0; l < 12 + i % 20; l++) printf "%d/%d %s\n", i, l, line > file
        close(file)
      }
    }'
}

# -------------------------------------------------------------- process ----

master_pid() {
  local pidfile
  pidfile="$(run_dir "$1")/master.pid"
  [[ -s $pidfile ]] || return 1
  cat "$pidfile"
}

is_running() {
  local pid
  pid=$(master_pid "$1" 2>/dev/null) || return 1
  alive_any "$pid" || return 1
  # Guard against a recycled pid that is not a dovecot master any more.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q dovecot
}

# True while any of the pids is a live process. A zombie counts as dead:
# the daemonized master is reparented to pid 1, which may reap it late
# (seen here: seconds), and kill -0 still succeeds on a zombie.
alive_any() {
  local p stat
  for p in "$@"; do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    [[ ${stat:0:1} == Z ]] || return 0
  done
  return 1
}

start_instance() {
  local inst=$1
  if is_running "$inst"; then return 0; fi
  log "starting $inst"
  mkdir -p "$(run_dir "$inst")"
  # The daemonized master keeps its stderr open for good: handing it ours
  # would hang any caller that reads our output through a pipe or $(...).
  # Errors before daemonizing (bad config) land in the file and are shown.
  if ! dovecot -c "$(conf_file "$inst")" </dev/null >/dev/null \
      2>"$PAIR_DIR/$inst/startup.err"; then
    cat "$PAIR_DIR/$inst/startup.err" >&2
    die "$inst failed to start, see also $(log_file "$inst")"
  fi
}

# Direct children of a pid, read from /proc (procps may be missing).
child_pids() {
  local stat rest ppid
  for stat in /proc/[0-9]*/stat; do
    rest=$(cat "$stat" 2>/dev/null) || continue
    rest=${rest##*) }
    read -r _ ppid _ <<<"$rest"
    [[ $ppid == "$1" ]] && { stat=${stat#/proc/}; printf '%s\n' "${stat%/stat}"; }
  done
}

# Wait for the master AND its children: the replicator rewrites replicator.db
# in place on shutdown, and a new one started too early would read half of it.
stop_instance() {
  local inst=$1 pid i
  local -a pids
  if ! is_running "$inst"; then return 0; fi
  pid=$(master_pid "$inst")
  mapfile -t pids < <(echo "$pid"; child_pids "$pid")
  log "stopping $inst"
  # SIGTERM is what "dovecot stop" sends; doing it here avoids that command's
  # own wait, which cannot tell a zombie master from a live one.
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < 150; i++ )); do
    alive_any "${pids[@]}" || return 0
    sleep 0.2
  done
  log "$inst did not stop within 30 s; killing it"
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# The replicator-doveadm handshake proves the replicator itself is up, not
# just the master. node is on every machine of this project; doveadm is the
# fallback.
replicator_answers() {
  local sock inst=${1:-primary}
  sock=$(replicator_socket "$inst")
  [[ -S $sock ]] || return 1
  if command -v node >/dev/null; then
    node -e '
      const s = require("net").createConnection(process.argv[1]);
      let buf = "";
      setTimeout(() => process.exit(2), 3000);
      s.on("connect", () => s.write("VERSION\treplicator-doveadm-client\t1\t0\n"));
      s.on("data", (d) => {
        buf += d;
        const nl = buf.indexOf("\n");
        if (nl < 0) return;
        const greeting = "VERSION\treplicator-doveadm-server\t1\t";
        process.exit(buf.slice(0, nl).startsWith(greeting) ? 0 : 1);
      });
      s.on("error", () => process.exit(1));
      s.on("close", () => process.exit(1));
    ' "$sock"
  else
    doveadm -c "$(conf_file "$inst")" replicator status >/dev/null 2>&1
  fi
}

# The same handshake over the TCP listener, with bash's /dev/tcp. Runs in a
# subshell so fd 3 and a failed connect stay contained.
replicator_inet_answers() (
  { exec 3<>"/dev/tcp/127.0.0.1/${1:-$REPLICATOR_PORT}"; } 2>/dev/null || exit 1
  printf 'VERSION\treplicator-doveadm-client\t1\t0\n' >&3
  IFS= read -r -t 3 line <&3 || exit 1
  [[ $line == $'VERSION\treplicator-doveadm-server\t1\t'* ]]
)

# Log in to a doveadm TCP port the way dsync does (doveadm_password, PLAIN):
# proves the instance is up AND that the shared password works. A bare
# connect would only leave "disconnected before handshake" errors in the log.
doveadm_login_works() (
  auth=$(printf '\0doveadm\0%s' "$(cat "$(secret_file doveadm-password)")" | base64 -w0)
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || exit 1
  printf 'VERSION\tdoveadm-server\t1\t0\nPLAIN\t%s\n' "$auth" >&3
  # The server first says "-" (authenticate, please), then "+" (accepted).
  IFS= read -r -t 3 line <&3 && [[ $line == "-" ]] || exit 1
  IFS= read -r -t 3 line <&3 && [[ $line == "+" ]]
)

wait_until() {
  local what=$1 i
  shift
  for (( i = 0; i < START_TIMEOUT * 5; i++ )); do
    "$@" && return 0
    sleep 0.2
  done
  die "timed out after ${START_TIMEOUT}s waiting for $what"
}

wait_primary() {
  wait_until "the replicator handshake on $(replicator_socket) (see $(log_file primary))" \
    replicator_answers
  replicator_inet_answers \
    || log "warning: no handshake on 127.0.0.1:$REPLICATOR_PORT"
}

wait_replica() {
  wait_until "a doveadm login on the replica's port $REPLICA_PORT (see $(log_file replica))" \
    doveadm_login_works "$REPLICA_PORT"
  [[ $TWO_WAY == 1 ]] || return 0
  wait_until "the replica's replicator on $(replicator_socket replica)" replicator_answers replica
  wait_until "the replica's replicator on 127.0.0.1:$REPLICA_REPLICATOR_PORT" \
    replicator_inet_answers "$REPLICA_REPLICATOR_PORT"
}

# The HTTP API answers 401 without credentials once doveadm serves it.
http_api_answers() (
  { exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT"; } 2>/dev/null || exit 1
  printf 'POST /doveadm/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >&3
  IFS= read -r -t 3 line <&3 || exit 1
  [[ $line == 'HTTP/1.1 401'* ]]
)

wait_http_api() {
  [[ -n $HTTP_PORT ]] || return 0
  wait_until "the doveadm HTTP API on 127.0.0.1:$HTTP_PORT" http_api_answers
}

# ------------------------------------------------------------- commands ----

save_ports() {
  printf 'SAVED_REPLICA_PORT=%s\nSAVED_PRIMARY_PORT=%s\nSAVED_REPLICATOR_PORT=%s\n' \
    "$REPLICA_PORT" "$PRIMARY_PORT" "$REPLICATOR_PORT" >"$PORTS_FILE"
  printf 'SAVED_HTTP_PORT=%s\nSAVED_TWO_WAY=%s\nSAVED_REPLICA_REPLICATOR_PORT=%s\n' \
    "$HTTP_PORT" "$TWO_WAY" "$REPLICA_REPLICATOR_PORT" >>"$PORTS_FILE"
}

prepare() {
  cmd_install
  # Decide once (it runs runuser); the subshells below inherit the answer.
  PAIR_DATA_DIR=$(data_dir)
  mkdir -p "$PAIR_DIR"
  # vmail and dovecot must traverse into it (mail roots, users file).
  chmod 755 "$PAIR_DIR"
  save_ports
  ensure_secret doveadm-password
  ensure_secret demo-password
  [[ -z $HTTP_PORT ]] || ensure_secret doveadm-api-key
  write_config primary
  write_config replica
  ensure_users
  ensure_mail
}

cmd_start() {
  prepare
  start_instance replica
  start_instance primary
  wait_replica
  wait_primary
  wait_http_api
  log "primary and replica running; logs: $(log_file primary), $(log_file replica)"
  replicator_socket
  echo
}

# $1 = primary or replica stops that one alone (a two-way pair with one side down).
cmd_stop() {
  require_root
  case "${1:-both}" in
    primary|replica) stop_instance "$1" ;;
    both) stop_instance primary; stop_instance replica ;;
    *) die "stop: primary, replica or nothing, not $1" ;;
  esac
}

cmd_restart() {
  require_root
  stop_instance primary
  prepare
  start_instance replica
  start_instance primary
  wait_primary
  replicator_socket
  echo
}

# Exit status 0 when both run, 3 (LSB "not running") otherwise.
cmd_status() {
  local inst rc=0
  for inst in primary replica; do
    if is_running "$inst"; then
      printf '%s: running (pid %s)\n' "$inst" "$(master_pid "$inst")"
    else
      printf '%s: stopped\n' "$inst"
      rc=3
    fi
  done
  if is_running primary; then
    if replicator_answers; then
      printf 'replicator: answering on %s\n' "$(replicator_socket)"
    else
      printf 'replicator: NOT answering on %s\n' "$(replicator_socket)"
      rc=3
    fi
  fi
  return "$rc"
}

cmd_env() {
  printf 'export REPLICATOR_SOCKET=%q\n' "$(replicator_socket)"
  printf 'export REPLICATOR_INET=%q\n' "127.0.0.1:$REPLICATOR_PORT"
  printf 'export DOVECOT_PRIMARY_CONF=%q\n' "$(conf_file primary)"
  printf 'export DOVECOT_REPLICA_CONF=%q\n' "$(conf_file replica)"
  printf 'export DOVECOT_PRIMARY_STATE_DIR=%q\n' "$(state_dir primary)"
  printf 'export DOVECOT_PAIR_DIR=%q\n' "$PAIR_DIR"
  printf 'export DOVECOT_REPLICA_MAIL_ROOT=%q\n' "$(mail_root replica)"
  if [[ -n $HTTP_PORT ]]; then
    printf 'export DOVEADM_HTTP_URL=%q\n' "http://127.0.0.1:$HTTP_PORT/doveadm/v1"
    printf 'export DOVEADM_API_KEY_FILE=%q\n' "$(secret_file doveadm-api-key)"
  fi
  if [[ $TWO_WAY == 1 ]]; then
    printf 'export REPLICA_REPLICATOR_SOCKET=%q\n' "$(replicator_socket replica)"
    printf 'export REPLICA_REPLICATOR_INET=%q\n' "127.0.0.1:$REPLICA_REPLICATOR_PORT"
  fi
}

cmd_reset() {
  require_root
  cmd_stop
  log "deleting $PAIR_DIR"
  rm -rf "$PAIR_DIR" "/run/dovecot-pair-$PAIR_HASH" "/var/lib/dovecot-pair-$PAIR_HASH"
}

usage() {
  cat <<EOF
usage: $0 {install|start|stop|restart|status|env|reset}
  install  install dovecot-core and the vmail user when missing
  start    create state when missing, start primary+replica, wait for the replicator
  stop     stop both instances ('stop primary' or 'stop replica': that one alone)
  restart  stop and start the primary only
  status   show whether each instance runs (exit 3 when not both)
  env      print export lines for tests: eval "\$($0 env)"
  reset    stop and delete .dovecot/
EOF
}

main() {
  case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop "${2:-both}" ;;
    restart) cmd_restart ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset) cmd_reset ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
