#!/usr/bin/env bash
# A hot standby (streaming replica) of the throwaway test cluster, for the
# test that runs the read path against a real replica (DESIGN.md §6, §9).
#
#   standby.sh start PRIMARY_STATE_DIR STANDBY_STATE_DIR
#                              pg_basebackup the primary of cluster.sh, start it
#                              as a hot standby, wait until it streams, write
#                              STANDBY_STATE_DIR/{dsn,...}
#   standby.sh stop  STANDBY_STATE_DIR   stop it and delete it (exit 0 if none)
#   standby.sh sweep PRIMARY_STATE_DIR   stop and delete every standby made of
#                              that primary (for cleanup after a killed test)
#
# STANDBY_STATE_DIR after start holds, like cluster.sh's state directory:
#   dsn       libpq conninfo over the standby's own unix socket, in the
#             primary's format, e.g.
#             host=/tmp/video-export-pg-standby.AbC123xy port=23457 dbname=video_export_test user=postgres
#             callers append " dbname=<their database>" (libpq: the last value wins)
#   dsn_tcp   the same over TCP 127.0.0.1
#   datadir   the standby's data directory (pg_ctl -D), in a private mktemp -d under /tmp
#   port      its TCP port (the unix socket uses the same number)
#   logfile   the live server log
# and after stop: server.log, a copy of the server log.
#
# The primary must accept replication connections over its unix socket:
# initdb's default pg_hba.conf (cluster.sh keeps it, with trust) has
# `local replication all trust`, and PostgreSQL 15's defaults (wal_level =
# replica, max_wal_senders = 10) allow streaming; start checks both and says
# what is missing.
#
# Environment:
#   PG_BINDIR               server binaries (default /usr/lib/postgresql/15/bin)
#   PG_START_TIMEOUT        seconds pg_ctl waits for the server (default 60)
#   PG_BASEBACKUP_TIMEOUT   seconds pg_basebackup may take (default 300: it
#                           copies the whole cluster plus all WAL written
#                           meanwhile; 1 s alone, up to ~40 s seen while the
#                           rest of the suite runs in parallel)
#   PG_STANDBY_TIMEOUT      seconds to wait for recovery + streaming (default 60)
#
# Like cluster.sh it never touches what it did not create: its own data
# directory (under /tmp/video-export-pg-standby.*, proven by a marker file),
# its own socket directory and port, managed only by `pg_ctl -D` or the PID
# recorded in that data directory. On the primary it creates one physical
# replication slot (vx_standby_<hash>), before the copy starts: the tests
# drop databases all the time, every DROP DATABASE forces a checkpoint, and
# without a slot the primary would remove WAL the copy or the standby still
# needs ("requested WAL segment ... has already been removed"). stop and
# sweep drop that slot again once the standby is down.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_SCRIPT=standby.sh
SERVER_KIND=standby
USAGE_LINES=2,11
SAY_ELAPSED=1
SKIP_MISSING_ROOT=1 # a recorded standby may be gone already (sweep)
PG_BASEBACKUP_TIMEOUT=${PG_BASEBACKUP_TIMEOUT:-300}
PG_STANDBY_TIMEOUT=${PG_STANDBY_TIMEOUT:-60}
ROOT_PREFIX=/tmp/video-export-pg-standby.
# The marker proves a directory was made by this script; it holds the
# primary's state directory (line 1), its data directory (line 2) and the
# name of our replication slot on it (line 3).
MARKER=.made-by-video-export-standby-sh

# Drops the replication slot of ROOT (ours, its server stopped) on the
# primary, if that primary is still the one the marker names and is up (a
# primary that is gone took the slot with it).
drop_slot() {
  local root=$1 primary primary_data slot dsn
  primary=$(sed -n 1p "$root/$MARKER")
  primary_data=$(sed -n 2p "$root/$MARKER")
  slot=$(sed -n 3p "$root/$MARKER")
  [[ $slot =~ ^vx_standby_[0-9a-f]+$ && -s $primary/dsn && -s $primary/datadir ]] || return 0
  [[ $(<"$primary/datadir") == "$primary_data" ]] || return 0
  dsn=$(<"$primary/dsn")
  "$PG_BINDIR/pg_isready" -q -d "$dsn" || return 0
  # The walsender of the stopped standby may take a moment to notice.
  for _ in $(seq 100); do
    [[ $(query "$dsn" "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'") == 0 ]] && return 0
    query "$dsn" "SELECT pg_drop_replication_slot('$slot')" >/dev/null
    sleep 0.1
  done
  warn "could not drop replication slot $slot on the primary"
}

# remove_root (common.sh) drops the slot of a standby it has stopped.
on_server_stopped() { drop_slot "$1"; }

# What a failed start shows.
start_failure_logs() {
  echo "$1/basebackup.log"
  echo "$1/server.log"
}

# `key=value` of a conninfo string without quoting (what cluster.sh writes).
conninfo_value() {
  local dsn=$1 key=$2
  [[ " $dsn" =~ [[:space:]]$key=([^[:space:]]+) ]] || return 1
  echo "${BASH_REMATCH[1]}"
}

# A one-value query; empty output when the server does not answer.
query() {
  local dsn=$1 sql=$2
  "$PG_BINDIR/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$dsn connect_timeout=5" -c "$sql" 2>/dev/null || true
}

cmd_start() {
  local primary=$1 state=$2 root data port dsn primary_dsn primary_host primary_port primary_data db deadline slot
  [[ -d $primary ]] || die "no primary state directory $primary"
  primary=$(cd "$primary" && pwd -P)
  mkdir -p "$state"
  state=$(cd "$state" && pwd -P)
  [[ $state != "$primary" ]] || die "the standby needs its own state directory"
  lock_state "$state"

  if already_running "$state"; then return 0; fi
  teardown "$state"
  rm -f -- "$state/server.log"

  # The primary, as cluster.sh recorded it.
  [[ -s $primary/dsn && -s $primary/datadir ]] || die "no running primary in $primary (cluster.sh start $primary)"
  primary_dsn=$(<"$primary/dsn")
  primary_data=$(<"$primary/datadir")
  primary_host=$(conninfo_value "$primary_dsn" host) || die "no host= in $primary/dsn"
  primary_port=$(conninfo_value "$primary_dsn" port) || die "no port= in $primary/dsn"
  db=$(conninfo_value "$primary_dsn" dbname) || db=postgres
  "$PG_BINDIR/pg_isready" -q -d "$primary_dsn" || die "the primary of $primary does not answer"
  [[ -x $PG_BINDIR/pg_basebackup ]] || die "$PG_BINDIR/pg_basebackup not found (Debian package postgresql-15)"
  if [[ -r $primary_data/pg_hba.conf ]] &&
    ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]' "$primary_data/pg_hba.conf"; then
    die "$primary_data/pg_hba.conf allows no local replication connections" \
      "(cluster.sh must keep or add: local replication all trust)"
  fi
  case $(query "$primary_dsn" "SHOW wal_level") in
    replica | logical) ;;
    *) die "the primary needs wal_level = replica or logical (PG_EXTRA_CONF must not lower it)" ;;
  esac
  [[ $(query "$primary_dsn" "SHOW max_wal_senders") =~ ^[1-9] ]] ||
    die "the primary needs max_wal_senders > 0 (PG_EXTRA_CONF must not set it to 0)"

  root=$(mktemp -d "${ROOT_PREFIX}XXXXXXXX")
  slot=vx_standby_$(printf '%s' "$root" | md5sum | cut -c1-16)
  printf '%s\n%s\n%s\n' "$primary" "$primary_data" "$slot" >"$root/$MARKER"
  data=$root/data
  adopt_root "$state" "$root"

  # The slot keeps the WAL from now on (reserved at once), before the copy
  # starts; recorded in the marker above, so any failure from here drops it.
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$primary_dsn connect_timeout=10" \
    -c "SELECT pg_create_physical_replication_slot('$slot', true)" >/dev/null ||
    die "could not create replication slot $slot on the primary"

  # -R: standby.signal + primary_conninfo (the primary's socket and port) +
  # primary_slot_name; -X stream: the WAL made during the copy streams along,
  # through the slot; -c fast: no waiting for a spread checkpoint; -N: no
  # fsync (throwaway).
  say "copying the primary (port $primary_port) to $data"
  as_pg timeout --kill-after=10 "$PG_BASEBACKUP_TIMEOUT" \
    "$PG_BINDIR/pg_basebackup" -h "$primary_host" -p "$primary_port" -U postgres -D "$data" \
    -S "$slot" -R -X stream -c fast -N -v >"$root/basebackup.log" 2>&1 ||
    die "pg_basebackup failed (or was stopped after ${PG_BASEBACKUP_TIMEOUT}s)"

  # The copied postgresql.conf is the primary's (its port and socket
  # directory too); the last setting in the file wins.
  cat >>"$data/postgresql.conf" <<EOF

# ---- added by tests/pg/standby.sh: hot standby of $primary_data ----
unix_socket_directories = '$root'
hot_standby = on
# Queries on the standby never lose rows to the primary's vacuum or page
# pruning (which would cancel them, or stall replay for 30 s): the standby
# reports its oldest snapshot to the primary, every second.
hot_standby_feedback = on
wal_receiver_status_interval = 1
cluster_name = 'video-export-standby'
EOF

  # Returns once the standby accepts read-only connections.
  start_server "$root"
  port=$SERVER_PORT

  say "server up on port $port, waiting for streaming"
  # Ready means: in recovery, answering, and receiving WAL from the primary.
  dsn="host=$root port=$port dbname=$db user=postgres"
  deadline=$((SECONDS + PG_STANDBY_TIMEOUT))
  until [[ $(query "$dsn" "SELECT pg_is_in_recovery() AND EXISTS (SELECT FROM pg_stat_wal_receiver
                             WHERE status = 'streaming')") == t ]]; do
    ((SECONDS < deadline)) || die "the standby did not stream from the primary within ${PG_STANDBY_TIMEOUT}s"
    sleep 0.1
  done

  publish_state "$state" "$root" "$port" "$db"
  say "started: $dsn (data: $data, primary: $primary_data, slot: $slot)"
}

# Every standby whose marker names PRIMARY_STATE_DIR, whether or not its own
# state directory still exists (a test killed by a timeout leaves it behind).
cmd_sweep() {
  local primary=$1 root count=0
  [[ -d $primary ]] || { say "nothing to sweep: no $primary"; return 0; }
  primary=$(cd "$primary" && pwd -P)
  cd /
  for root in "$ROOT_PREFIX"*; do
    if [[ ! -d $root ]] || ! is_our_root "$root"; then continue; fi
    [[ $(head -n1 "$root/$MARKER") == "$primary" ]] || continue
    remove_root "$root"
    count=$((count + 1))
  done
  say "removed $count standby cluster(s) of $primary"
}

(($# >= 2)) || usage
command=$1
shift
case $command in
  start) (($# == 2)) || usage; cmd_start "$1" "$2" ;;
  stop) (($# == 1)) || usage; cmd_stop "$1" ;;
  sweep) (($# == 1)) || usage; cmd_sweep "$1" ;;
  *) usage ;;
esac
