#!/usr/bin/env bash
# `video-export sign` must print what Indico's documented Python and PHP
# clients print for the same key, secret, timestamp and parameters.
set -euo pipefail
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3   # Debian's interpreter, not whatever is first on PATH
key=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4 secret=3f6bd2a8-4a5e-4c43-9c4f-2c1b8e0f9a11
failures=0

compare() {  # label, expected, actual
  if [[ $2 == "$3" ]]; then echo "ok   $1"; else printf 'FAIL %s\n  expected %s\n  actual   %s\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}

check() {  # path, params...
  local path=$1; shift
  local ours ts
  ours=$("$binary" sign --key "$key" --secret "$secret" --persistent "$path" "$@")
  compare "persistent $path $* (Python)" "$("$python" "$here/indico_client.py" "$path" "$key" "$secret" - "$@")" "$ours"
  compare "persistent $path $* (PHP)" "$(php "$here/indico_client.php" "$path" "$key" "$secret" - "$@")" "$ours"

  ours=$("$binary" sign --key "$key" --secret "$secret" "$path" "$@")
  ts=$(sed -E 's/.*[?&]timestamp=([0-9]+).*/\1/' <<<"$ours")
  [[ $ts =~ ^[0-9]+$ ]] || { echo "FAIL no timestamp in $ours"; failures=$((failures + 1)); return; }
  local now; now=$(date +%s)
  (( now - ts >= 0 && now - ts < 60 )) || { echo "FAIL timestamp $ts is not now ($now)"; failures=$((failures + 1)); }
  compare "timestamped $path $* (Python)" "$("$python" "$here/indico_client.py" "$path" "$key" "$secret" "$ts" "$@")" "$ours"
  compare "timestamped $path $* (PHP)" "$(php "$here/indico_client.php" "$path" "$key" "$secret" "$ts" "$@")" "$ours"
}

check /export/video/vidyo-evo.ics alarms=20 from=-7d
check /export/video/all.ics
check /export/video/webcast.json tz=Europe/Zurich "q=Zürich, 東京 & co" O=10 o=title c=yes
check /export/video/mcu.ics "from=2026-12-01T08:00" to=+1d12h Day=today

base=$("$binary" sign --key "$key" --secret "$secret" --persistent --base https://indico.example.org/indico --webcal /export/video/vidyo.ics)
[[ $base == webcal://indico.example.org/indico/export/video/vidyo.ics\?apikey=* ]] && echo "ok   --base --webcal" || { echo "FAIL --webcal: $base"; failures=$((failures + 1)); }
if "$binary" sign --key "$key" --secret "$secret" --webcal /export/video/vidyo.ics >/dev/null 2>&1; then
  echo "FAIL --webcal without --base was accepted"; failures=$((failures + 1))
fi
exit $((failures > 0))
