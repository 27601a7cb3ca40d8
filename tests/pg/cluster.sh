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

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_SCRIPT=cluster.sh
SERVER_KIND=cluster
USAGE_LINES=2,8
DB_NAME=video_export_test
# Every cluster lives in /tmp/video-export-pg.XXXXXXXX; the marker file inside
# proves a directory was made by this script before anything `rm -rf`s it.
ROOT_PREFIX=/tmp/video-export-pg.
MARKER=.made-by-video-export-cluster-sh

# What a failed start shows: initdb's log only matters if the server never got
# as far as logging.
start_failure_logs() {
  local root=$1
  [[ -s $root/server.log ]] || echo "$root/initdb.log"
  echo "$root/server.log"
}

cmd_start() {
  local state=$1 root data port dsn
  mkdir -p "$state"
  state=$(cd "$state" && pwd -P)
  lock_state "$state"

  # Idempotent: a cluster that answers is left alone (even if PG_EXTRA_CONF
  # differs: stop it first to get a new configuration).
  if already_running "$state"; then return 0; fi
  # Anything else recorded there (crash, reboot, killed start) is stale.
  teardown "$state"
  rm -f -- "$state/server.log"

  [[ -x $PG_BINDIR/initdb ]] || die "$PG_BINDIR/initdb not found (Debian package postgresql-15)"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "user postgres missing (Debian package postgresql-15 creates it)"
  fi

  # The build tree is root-owned, so the cluster lives in /tmp in a directory
  # owned by postgres; the socket goes there too (short path: sun_path is
  # limited to 107 bytes).
  root=$(mktemp -d "${ROOT_PREFIX}XXXXXXXX")
  touch "$root/$MARKER"
  data=$root/data
  adopt_root "$state" "$root"

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

  start_server "$root"
  port=$SERVER_PORT

  "$PG_BINDIR/createdb" -h "$root" -p "$port" -U postgres "$DB_NAME"

  dsn="host=$root port=$port dbname=$DB_NAME user=postgres"
  publish_state "$state" "$root" "$port" "$DB_NAME"
  say "started: $dsn (data: $data)"
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
