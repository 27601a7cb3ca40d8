# shellcheck shell=bash
# The helpers that tests/pg/cluster.sh (the throwaway test cluster) and
# tests/pg/standby.sh (a hot standby of it) share, sourced by both:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#
# after `set -euo pipefail`. The sourcing script then sets
#   PG_SCRIPT          its name, for messages ("cluster.sh")
#   SERVER_KIND        what it makes, for messages ("cluster")
#   USAGE_LINES        the lines of its header comment `usage` prints ("2,8")
#   ROOT_PREFIX        its clusters live in ${ROOT_PREFIX}XXXXXXXX (mktemp -d)
#   MARKER             the file inside such a directory that proves the script
#                      made it, before anything `rm -rf`s it
# and may set (defaults below)
#   SAY_ELAPSED        1: `say` shows the seconds since the script started
#   SKIP_MISSING_ROOT  1: a recorded directory that is gone is no warning
# and it defines the hook
#   start_failure_logs ROOT   prints the paths of the logs worth showing when
#                             a start fails, one a line
# and may redefine the hook
#   on_server_stopped ROOT    runs after the server of ROOT (ours) is down,
#                             before ROOT is deleted (default: nothing)
#
# Every cluster is managed only through `pg_ctl -D <its datadir>` or the PID
# recorded in that datadir, never touching what the script did not create.

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
# What a state directory holds while its server is up.
STATE_FILES=(dsn dsn_tcp datadir port logfile)
SAY_ELAPSED=0
SKIP_MISSING_ROOT=0

say() {
  if ((SAY_ELAPSED)); then
    echo "$PG_SCRIPT: [${SECONDS}s] $*"
  else
    echo "$PG_SCRIPT: $*"
  fi
}
warn() { echo "$PG_SCRIPT: $*" >&2; }
die()  { warn "$*"; exit 1; }

usage() {
  sed -n "${USAGE_LINES}p" "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# PostgreSQL refuses to run as root, so server-side programs (initdb, pg_ctl)
# run as the `postgres` user when we are root (CI). A developer running as an
# ordinary user simply owns the cluster.
# `9>&-`: the lock below is held on fd 9, and the postmaster (started through
# pg_ctl) would otherwise inherit it and hold the lock for its whole life.
as_pg() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@" 9>&-
  else
    "$@" 9>&-
  fi
}

# Serialise start/stop on one STATE_DIR, so two ctest runs (or a start racing a
# stop) cannot create two clusters or delete one in use.
lock_state() {
  exec 9>>"$1/.lock"
  flock -w 300 9 || die "timed out waiting for the lock on $1"
}

# Something already accepts connections on 127.0.0.1:PORT? (bash's /dev/tcp;
# this catches listeners. The server's own bind is the final check:
# start_server retries with another port if bind fails anyway.)
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random port below Linux's ephemeral range (32768+), so outgoing
# connections of other programs cannot be holding it.
pick_port() {
  local port tries
  for ((tries = 0; tries < 50; tries++)); do
    port=$((15000 + RANDOM % 17000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "found no free TCP port on 127.0.0.1"
}

is_our_root() {
  [[ $1 == "$ROOT_PREFIX"* && $1 != *..* && -f $1/$MARKER ]]
}

# Prints the PID of the postmaster serving DATA if it is alive. Checks the
# PID from postmaster.pid really is a postgres on that datadir (after a crash
# the PID may have been reused by anything) and is not a zombie (pg_ctl would
# wait its whole timeout for a crashed postmaster nobody has reaped yet).
postmaster_pid() {
  local data=$1 pid
  [[ -f $data/postmaster.pid ]] || return 1
  pid=$(head -n1 "$data/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$data" || return 1
  echo "$pid"
}

# Stops the server of DATA: fast shutdown (ends sessions cleanly), else
# immediate, else SIGKILL to that one postmaster.
stop_server() {
  local data=$1 pid
  pid=$(postmaster_pid "$data") || return 0
  as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop && return 0
  as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w -t 30 stop && return 0
  pid=$(postmaster_pid "$data") || return 0
  warn "killing postmaster $pid"
  kill -KILL "$pid" 2>/dev/null || true
  # Its children exit on their own once they notice the postmaster is gone.
  for _ in $(seq 50); do postmaster_pid "$data" >/dev/null || break; sleep 0.1; done
}

on_server_stopped() { :; }

# Stops the server of ROOT (ours), runs on_server_stopped and deletes ROOT;
# copies its log to COPY_LOG_TO (if given) first, for post-mortems.
remove_root() {
  local root=$1 copy_log_to=${2:-}
  if ((SKIP_MISSING_ROOT)) && [[ ! -e $root ]]; then
    return 0 # already gone
  fi
  if ! is_our_root "$root"; then
    warn "not deleting $root: it was not made by $PG_SCRIPT"
    return 0
  fi
  stop_server "$root/data"
  on_server_stopped "$root"
  if [[ -n $copy_log_to && -f $root/server.log ]]; then
    cp -f "$root/server.log" "$copy_log_to" || true
  fi
  rm -rf -- "$root"
}

# Stops and deletes the cluster recorded in STATE_DIR, whatever state it is in
# (running, stopped, half-created, crashed). Never fails because there is
# nothing to do.
teardown() {
  local state=$1 data
  if [[ -s $state/datadir ]]; then
    data=$(<"$state/datadir")
    remove_root "${data%/data}" "$state/server.log"
  fi
  for f in "${STATE_FILES[@]}"; do rm -f -- "$state/$f"; done
}

# Idempotent starts: true (and says so) when the server recorded in STATE_DIR
# answers; it is then left alone, whatever configuration it was started with.
already_running() {
  local state=$1
  if [[ -s $state/dsn ]] && "$PG_BINDIR/pg_isready" -q -d "$(<"$state/dsn")"; then
    say "already running: $(<"$state/dsn")"
    return 0
  fi
  return 1
}

# Prints what a failed start left behind (the logs start_failure_logs names),
# then removes the half-made cluster. Runs as the EXIT trap of cmd_start
# (state dir in START_STATE) until the cluster is up.
on_start_failure() {
  local rc=$? state=$START_STATE data root log
  trap - EXIT
  ((rc == 0)) && return 0
  warn "start failed (exit $rc)"
  if [[ -s $state/datadir ]]; then
    data=$(<"$state/datadir")
    root=${data%/data}
    while IFS= read -r log; do
      if [[ -s $log ]]; then
        echo "----- $log -----" >&2
        cat "$log" >&2
        echo "----- end of $log -----" >&2
      fi
    done < <(start_failure_logs "$root")
  fi
  teardown "$state" || true
  exit "$rc"
}

# Takes ROOT (just made by mktemp -d under ROOT_PREFIX, its MARKER written) as
# the home of STATE_DIR's cluster: recorded at once, so that stop can always
# clean up, and from now on a failed start shows the logs and deletes it.
# Leaves the shell in ROOT.
adopt_root() {
  local state=$1 root=$2
  echo "$root/data" >"$state/datadir"
  START_STATE=$state
  trap on_start_failure EXIT
  if ((EUID == 0)); then chown postgres: "$root" "$root/$MARKER"; fi
  # 755, not mktemp's 700: test programs running as other users (e.g. the
  # FastCGI workers in end-to-end tests) must reach the socket. The data
  # directory itself stays 700 (initdb), and auth is trust on 127.0.0.1 anyway.
  chmod 755 "$root"
  cd "$root" || exit # initdb/postgres as `postgres` cannot stat a cwd such as /root
}

# Starts the server of ROOT/data (its log: ROOT/server.log) on a free port and
# sets SERVER_PORT to it. pg_ctl -w returns once the server accepts
# connections (read-only ones, for a standby). If another process grabbed the
# port between our check and the server's bind, appends another port line
# (the last setting in postgresql.conf wins) and tries again.
start_server() {
  local root=$1 data=$1/data port attempt
  for ((attempt = 1; ; attempt++)); do
    port=$(pick_port)
    echo "port = $port  # $PG_SCRIPT, attempt $attempt" >>"$data/postgresql.conf"
    if as_pg "$PG_BINDIR/pg_ctl" -D "$data" -l "$root/server.log" -w -t "$PG_START_TIMEOUT" start; then
      break
    fi
    if ((attempt < 10)) && ! [[ -f $data/postmaster.pid ]] &&
      grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' "$root/server.log"; then
      warn "port $port was taken, retrying with another one"
      continue
    fi
    die "pg_ctl start failed"
  done
  # shellcheck disable=SC2034 # read by the sourcing script
  SERVER_PORT=$port
}

# Writes STATE_DIR's description of the server of ROOT on PORT, database
# DBNAME (see the STATE_DIR in the header of cluster.sh), and ends the start
# failure handling: the cluster is up.
publish_state() {
  local state=$1 root=$2 port=$3 db=$4
  echo "$port" >"$state/port"
  echo "$root/server.log" >"$state/logfile"
  echo "host=127.0.0.1 port=$port dbname=$db user=postgres" >"$state/dsn_tcp"
  # dsn last, atomically: its presence means "cluster ready".
  echo "host=$root port=$port dbname=$db user=postgres" >"$state/dsn.tmp"
  mv -f "$state/dsn.tmp" "$state/dsn"
  trap - EXIT
}

cmd_stop() {
  local state=$1
  if [[ ! -d $state ]]; then
    say "nothing to stop in $state"
    return 0
  fi
  state=$(cd "$state" && pwd -P)
  lock_state "$state"
  cd /
  if [[ ! -s $state/datadir ]]; then
    teardown "$state" # removes any leftover state files
    say "nothing to stop in $state"
    return 0
  fi
  teardown "$state"
  say "stopped and removed the $SERVER_KIND of $state"
}
