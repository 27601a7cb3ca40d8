#!/usr/bin/env bash
# docs/api.md's worked signing example must be true: the command prints the
# URL shown, and the signature is the HMAC-SHA1 of the message shown as
# OpenSSL's own command line computes it.
set -euo pipefail
binary=$1 doc=$2

# The indented line after "<!-- signing-example:NAME -->".
block() { awk -v m="<!-- signing-example:$1 -->" '$0 == m {getline; sub(/^ +/, ""); print; exit}' "$doc"; }

message=$(block message) signature=$(block signature) command=$(block command) url=$(block url)
for v in message signature command url; do
  [[ -n ${!v} ]] || { echo "docs: no '$v' block in $doc"; exit 1; }
done
secret=$(sed -E 's/.*--secret ([^ ]+).*/\1/' <<<"$command")

read -ra args <<<"${command#video-export }"
printed=$("$binary" "${args[@]}")
[[ $printed == "$url" ]] || { printf 'docs: the command prints\n  %s\nbut the page shows\n  %s\n' "$printed" "$url"; exit 1; }

hmac=$(printf '%s' "$message" | openssl dgst -sha1 -hmac "$secret" | awk '{print $NF}')
[[ $hmac == "$signature" ]] || { echo "docs: HMAC of the message is $hmac, the page shows $signature"; exit 1; }
[[ $url == *"signature=$signature" ]] || { echo "docs: the URL does not carry the signature shown"; exit 1; }
echo "docs: signing example holds ($signature)"
