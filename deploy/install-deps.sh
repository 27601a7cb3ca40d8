#!/usr/bin/env bash
# Installs every build and test dependency of video-export: Debian 12 packages,
# and the npm packages the parser tests use. Safe to run again: it installs
# only what is missing. `--runtime`: only what building and running need.
set -euo pipefail
cd "$(dirname "$0")/.."

# build, and what `deploy/quickstart.sh` runs: the database and a web server
runtime=(
  cmake ninja-build g++ pkg-config
  libfcgi-dev libssl-dev libpq-dev libfmt-dev catch2 libcli11-dev
  libtomlplusplus-dev libhowardhinnant-date-dev libbenchmark-dev tzdata
  postgresql-15 nginx curl
)
# tests: independent signers and feed parsers, a FastCGI client, Apache, TLS
testing=(
  libfcgi-bin python3 python3-icalendar php-cli nodejs npm apache2 openssl
)
packages=("${runtime[@]}")
[[ ${1:-} == --runtime ]] || packages+=("${testing[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may already carry a newer Node.js than Debian's (with its own npm).
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ical.js (Thunderbird's parser) for the parser tests, pinned by the lock file.
if [[ ${1:-} != --runtime && ! -d tests/parsers/node_modules/ical.js ]]; then
  npm ci --prefix tests/parsers --no-audit --no-fund
fi
