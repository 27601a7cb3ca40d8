#!/usr/bin/env bash
# Sets up and runs video-export on this machine (Debian 12, as root):
# installs the packages, builds, starts a private PostgreSQL cluster under
# ./var/, migrates it, loads demo data, starts the worker pool and nginx on
# 127.0.0.1:8080, prints signed subscription URLs and fetches one.
#
#   deploy/quickstart.sh          start (again) — the data under ./var/ is kept
#   deploy/quickstart.sh stop     stop everything it started
#
# Everything it runs is recorded under ./var/ (pid files, logs, configs), and
# only those processes are ever stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
var=$root/var
build=$root/build-quickstart
pg_bin=/usr/lib/postgresql/15/bin
http_port=8080

say() { printf '\033[1mquickstart:\033[0m %s\n' "$*"; }
die() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

# Reads a pid file and tells whether that process is alive.
running() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {  # name, pid file, signal
  local name=$1 file=$2 signal=${3:-TERM}
  if running "$file"; then
    local pid; pid=$(cat "$file")
    say "stopping $name (pid $pid)"
    kill "-$signal" "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not stop in 10 s; killing it"; kill -KILL "$pid"; }
  fi
  rm -f "$file"
}

stop_all() {
  stop_pid nginx "$var/nginx/nginx.pid" QUIT
  stop_pid video-export "$var/run/video-export.pid" TERM
  if [[ -f $var/pg/data/postmaster.pid ]]; then
    say "stopping PostgreSQL"
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$var/pg/data" -m fast -w stop >/dev/null || true
  fi
}

if [[ ${1:-} == stop ]]; then
  stop_all
  say "stopped; the data stays in $var (delete it for a fresh start)"
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: deploy/quickstart.sh [stop]"
((EUID == 0)) || die "run as root (it installs packages and runs PostgreSQL as the postgres user)"

# A rerun restarts the service on the data it already has.
stop_all

say "installing packages"
deploy/install-deps.sh --runtime

say "building (Release) in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIDEO_EXPORT_BENCH=OFF >/dev/null
cmake --build "$build" --target video-export
vx=$build/cli/video-export

mkdir -p "$var"/{run,log,nginx/tmp}
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- PostgreSQL: a private cluster, run as postgres (it refuses root) -------
pg=$var/pg
if [[ ! -f $pg/data/PG_VERSION ]]; then
  say "creating a PostgreSQL cluster in $pg"
  mkdir -p "$pg"
  chown postgres: "$pg"
  runuser -u postgres -- test -w "$pg" ||
    die "the postgres user cannot reach $pg: put the checkout where postgres can traverse (e.g. not under /root)"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  free_port >"$pg/port"
fi
pg_port=$(cat "$pg/port")
say "starting PostgreSQL on port $pg_port (socket in $pg)"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/postgresql.log" -w \
  -o "-p $pg_port -k $pg -c listen_addresses=127.0.0.1" start >/dev/null
dsn="host=$pg port=$pg_port user=postgres dbname=indico"
runuser -u postgres -- psql -h "$pg" -p "$pg_port" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'indico'" |
  grep -q 1 || runuser -u postgres -- createdb -h "$pg" -p "$pg_port" indico

"$vx" db migrate --dsn "$dsn"
if [[ $(psql "$dsn" -Atc "SELECT count(*) FROM video_export.events") == 0 ]]; then
  say "loading demo data"
  "$vx" db demo-data --dsn "$dsn" --events 2000 --bookings 20000 --seed 1
fi
read -r key secret < <(psql "$dsn" -Atc \
  "SELECT token, secret FROM video_export.api_keys WHERE user_id = 1 AND is_active" | tr '|' ' ')

# --- the worker pool -----------------------------------------------------------
fcgi_port=$(free_port)
cat >"$var/video-export.toml" <<EOF
# Written by deploy/quickstart.sh; see docs/configuration.md.
listen = "127.0.0.1:$fcgi_port"
workers = 2
log_file = "$var/log/video-export.log"

[database]
dsn = "$dsn"

[export]
event_url_template = "http://127.0.0.1:$http_port/event/{event_id}/"
EOF
"$vx" check-config --config "$var/video-export.toml" >/dev/null
say "starting video-export (FastCGI on 127.0.0.1:$fcgi_port)"
nohup "$vx" serve --config "$var/video-export.toml" >>"$var/log/video-export.log" 2>&1 &
echo $! >"$var/run/video-export.pid"

# --- nginx, with the shipped location snippet ------------------------------
sed -e "s|fastcgi_pass unix:/run/video-export/fcgi.sock;|fastcgi_pass 127.0.0.1:$fcgi_port;|" \
    -e "s|include fastcgi_params;|include /etc/nginx/fastcgi_params;|" \
  deploy/nginx/video-export.conf >"$var/nginx/video-export.conf"
chown www-data: "$var/nginx/tmp"
cat >"$var/nginx/nginx.conf" <<EOF
# Written by deploy/quickstart.sh.
worker_processes 1;
pid $var/nginx/nginx.pid;
error_log $var/log/nginx-error.log;
events { worker_connections 256; }
http {
    access_log $var/log/nginx-access.log;
    client_body_temp_path $var/nginx/tmp/body;
    fastcgi_temp_path $var/nginx/tmp/fastcgi;
    proxy_temp_path $var/nginx/tmp/proxy;
    uwsgi_temp_path $var/nginx/tmp/uwsgi;
    scgi_temp_path $var/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$http_port;
        include $var/nginx/video-export.conf;
    }
}
EOF
(exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null && die "127.0.0.1:$http_port is already in use"
say "starting nginx on 127.0.0.1:$http_port"
nginx -c "$var/nginx/nginx.conf"

for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$http_port/video-export/ping" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$http_port/video-export/ping" >/dev/null ||
  die "the service does not answer; see $var/log/video-export.log and $var/log/nginx-error.log"

base=http://127.0.0.1:$http_port
persistent=$("$vx" sign --key "$key" --secret "$secret" --persistent --base "$base" /export/video/all.ics alarms=20 from=-7d)
timestamped=$("$vx" sign --key "$key" --secret "$secret" --base "$base" /export/video/vidyo-webcast.ics from=today to=+7d)
webcal=$("$vx" sign --key "$key" --secret "$secret" --persistent --base "$base" --webcal /export/video/all.ics alarms=20)

echo
say "video-export is running. Subscription URLs for the demo user:"
echo "  persistent (paste into a calendar app):"
echo "    $persistent"
echo "    $webcal"
echo "  timestamped (valid for 10 minutes):"
echo "    $timestamped"
echo
say "fetching the persistent URL; the head of the feed:"
curl -fsS -D "$var/log/last-headers.txt" -o "$var/log/last-feed.ics" "$persistent"
head -n 25 "$var/log/last-feed.ics"
echo "  ... ($(grep -c '^BEGIN:VEVENT' "$var/log/last-feed.ics") bookings; the whole feed is in $var/log/last-feed.ics)"
echo
say "logs in $var/log; stop everything with: deploy/quickstart.sh stop"
