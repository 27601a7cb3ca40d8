#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the integration tests (DESIGN.md §9).
#
#   cluster.sh start STATE_DIR        create + start a cluster, create database
#                                     video_export_test, write STATE_DIR/{dsn,...}
#   cluster.sh stop  STATE_DIR        stop it and delete it (exit 0 if none)
#   cluster.sh psql  STATE_DIR [ARGS] run psql against it (ON_ERROR_STOP on)
#
# STATE_DIR after start holds:
#   dsn       libpq conninfo over the unix socket, e.g.
#             host=/tmp/video-export-pg.AbC123xy port=23456 dbname=video_export_test user=postgres
#   dsn_tcp   the same over TCP 127.0.0.1 (for tools that need TCP: replicas, PgBouncer)
#   datadir   the cluster's data directory (pg_ctl -D), inside a private mktemp -d under /tmp
#   port      the TCP port (the unix socket uses the same number)
#   logfile   the live server log
# and after stop: server.log, a copy of the server log, kept for diagnostics.
#
# Environment:
#   PG_EXTRA_CONF     lines appended to postgresql.conf before the first start
#                     (e.g. "wal_level = replica"); they can override the speed
#                     settings below but not the port, which this script owns.
#   PG_BINDIR         server binaries (default /usr/lib/postgresql/15/bin)
#   PG_START_TIMEOUT  seconds pg_ctl waits for the server (default 60)
#
# The cluster never touches a packaged cluster (Debian's postgresql-15 may
# create and start "15/main" on port 5432): it has its own data directory,
# its own socket directory, a random free port, and is managed only through
# `pg_ctl -D <our datadir>` or the PID recorded in that datadir.
set -euo pipefail

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
DB_NAME=video_export_test
# Every cluster lives in /tmp/video-export-pg.XXXXXXXX; the marker file inside
# proves a directory was made by this script before anything `rm -rf`s it.
ROOT_PREFIX=/tmp/video-export-pg.
MARKER=.made-by-video-export-cluster-sh
STATE_FILES=(dsn dsn_tcp datadir port logfile)

say()  { echo "cluster.sh: $*"; }
warn() { echo "cluster.sh: $*" >&2; }
die()  { warn "$*"; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
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
# this catches listeners. The server's own bind is the final check: start
# retries with another port if bind fails anyway.)
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

# Stops and deletes the cluster recorded in STATE_DIR, whatever state it is in
# (running, stopped, half-created, crashed). Never fails because there is
# nothing to do.
teardown() {
  local state=$1 data root
  if [[ -s $state/datadir ]]; then
    data=$(<"$state/datadir")
    root=${data%/data}
    if ! is_our_root "$root"; then
      warn "not deleting $root: it was not made by cluster.sh"
    else
      stop_server "$data"
      # Keep the server log next to the state files for post-mortems.
      if [[ -f $root/server.log ]]; then
        cp -f "$root/server.log" "$state/server.log" || true
      fi
      rm -rf -- "$root"
    fi
  fi
  for f in "${STATE_FILES[@]}"; do rm -f -- "$state/$f"; done
}

# Prints what a failed start left behind, then removes the half-made cluster.
# Runs as the EXIT trap of cmd_start (state dir in START_STATE) until the
# cluster is up.
on_start_failure() {
  local rc=$? state=$START_STATE data root
  trap - EXIT
  ((rc == 0)) && return 0
  warn "start failed (exit $rc)"
  if [[ -s $state/datadir ]]; then
    data=$(<"$state/datadir")
    root=${data%/data}
    # initdb's log only matters if the server never got as far as logging.
    for log in "$root/initdb.log" "$root/server.log"; do
      [[ $log == */initdb.log && -s $root/server.log ]] && continue
      if [[ -s $log ]]; then
        echo "----- $log -----" >&2
        cat "$log" >&2
        echo "----- end of $log -----" >&2
      fi
    done
  fi
  teardown "$state" || true
  exit "$rc"
}

cmd_start() {
  local state=$1 root data port dsn attempt
  mkdir -p "$state"
  state=$(cd "$state" && pwd -P)
  lock_state "$state"

  # Idempotent: a cluster that answers is left alone (even if PG_EXTRA_CONF
  # differs: stop it first to get a new configuration).
  if [[ -s $state/dsn ]] && "$PG_BINDIR/pg_isready" -q -d "$(<"$state/dsn")"; then
    say "already running: $(<"$state/dsn")"
    return 0
  fi
  # Anything else recorded there (crash, reboot, killed start) is stale.
  teardown "$state"
  rm -f -- "$state/server.log"

  [[ -x $PG_BINDIR/initdb ]] || die "$PG_BINDIR/initdb not found (Debian package postgresql-15)"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "user postgres missing (Debian package postgresql-15 creates it)"
  fi

  # The build tree is root-owned, so the cluster lives in /tmp in a directory
  # owned by postgres; the socket goes there too (short path: sun_path is
  # limited to 107 bytes). Recorded at once so that stop can always clean up.
  root=$(mktemp -d "${ROOT_PREFIX}XXXXXXXX")
  touch "$root/$MARKER"
  data=$root/data
  echo "$data" >"$state/datadir"
  START_STATE=$state
  trap on_start_failure EXIT
  if ((EUID == 0)); then chown postgres: "$root" "$root/$MARKER"; fi
  # 755, not mktemp's 700: test programs running as other users (e.g. the
  # FastCGI workers in end-to-end tests) must reach the socket. The data
  # directory itself stays 700 (initdb), and auth is trust on 127.0.0.1 anyway.
  chmod 755 "$root"
  cd "$root" # initdb/postgres as `postgres` cannot stat a cwd such as /root

  # --no-sync: nothing here needs to survive a power cut.
  as_pg "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$root/initdb.log" 2>&1

  # Appending with >> keeps the file owned by postgres.
  cat >>"$data/postgresql.conf" <<EOF

# ---- added by tests/pg/cluster.sh: throwaway test cluster ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root'
# Durability is worthless for a cluster deleted after the run; speed is not.
fsync = off
synchronous_commit = off
full_page_writes = off
# Parallel ctest jobs each hold a few connections.
max_connections = 200
EOF
  if [[ -n ${PG_EXTRA_CONF:-} ]]; then
    {
      echo "# ---- PG_EXTRA_CONF ----"
      printf '%s\n' "$PG_EXTRA_CONF"
    } >>"$data/postgresql.conf"
  fi

  # Pick a port and start; if another process grabbed the port between our
  # check and the server's bind, append another port line (the last setting
  # in postgresql.conf wins) and try again.
  for ((attempt = 1; ; attempt++)); do
    port=$(pick_port)
    echo "port = $port  # cluster.sh, attempt $attempt" >>"$data/postgresql.conf"
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

  "$PG_BINDIR/createdb" -h "$root" -p "$port" -U postgres "$DB_NAME"

  dsn="host=$root port=$port dbname=$DB_NAME user=postgres"
  echo "$port" >"$state/port"
  echo "$root/server.log" >"$state/logfile"
  echo "host=127.0.0.1 port=$port dbname=$DB_NAME user=postgres" >"$state/dsn_tcp"
  # dsn last, atomically: its presence means "cluster ready".
  echo "$dsn" >"$state/dsn.tmp"
  mv -f "$state/dsn.tmp" "$state/dsn"
  trap - EXIT
  say "started: $dsn (data: $data)"
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
  say "stopped and removed the cluster of $state"
}

cmd_psql() {
  local state=$1
  shift
  [[ -s $state/dsn ]] || die "no cluster in $state (run: $0 start $state)"
  # -X: ignore ~/.psqlrc so results do not depend on who runs the tests.
  exec "$PG_BINDIR/psql" -X -v ON_ERROR_STOP=1 -d "$(<"$state/dsn")" "$@"
}

(($# >= 2)) || usage
command=$1
shift
case $command in
  start) (($# == 1)) || usage; cmd_start "$1" ;;
  stop) (($# == 1)) || usage; cmd_stop "$1" ;;
  psql) cmd_psql "$@" ;;
  *) usage ;;
esac
