#!/usr/bin/env bash
# Demo 10: at work. Starts the reference Kestrel app (slides/demos/kestrel.cs, 127.0.0.1:8480, its own throwaway PKI), then asks it
# with curl (both names on one port, without the root, with TLS 1.1 at most) and grades it with tlslab probe. Stops the app at the
# end. Needs curl and the .NET SDK with the kit's tool; no lab and no internet.
set -u
set -m # the app runs in its own process group, so stopping it stops every process `dotnet run` started for it
cd "$(dirname "$0")/../.."
# TLSLAB: how to run the kit's CLI (capture-fallbacks.sh sets it to this checkout's sources).
read -r -a tlslab <<<"${TLSLAB:-dotnet tlslab}"
dir=.tlslab/kestrel-demo
mkdir -p "$dir"
dotnet run slides/demos/kestrel.cs >"$dir/app.txt" 2>&1 &
app=$!
trap 'kill -INT -- "-$app" 2>/dev/null; wait "$app" 2>/dev/null' EXIT
for _ in $(seq 1 240); do
  grep -q "Ctrl+C" "$dir/app.txt" && break
  kill -0 "$app" 2>/dev/null || { cat "$dir/app.txt"; exit 1; }
  sleep 0.5
done
grep -q "Ctrl+C" "$dir/app.txt" || { echo "the Kestrel app did not start within 2 minutes:"; cat "$dir/app.txt"; exit 1; }
show() { # echoes the command as it would be typed (arguments with spaces in quotes), then runs it
  printf '\n$'
  for a in "$@"; do case $a in *' '*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac; done
  printf '\n'
  "$@" 2>&1
}

head -n 1 "$dir/app.txt"
printf '\n# the right root, the first name: HTTP/2, the HSTS header, the suite it chose\n'
show curl -sS -i --cacert "$dir/root.pem" --resolve app.localhost:8480:127.0.0.1 https://app.localhost:8480/
printf '\n# the second name on the same port (SNI picks its certificate)\n'
show curl -sS --cacert "$dir/root.pem" --resolve api.localhost:8480:127.0.0.1 https://api.localhost:8480/
printf '\n# the chain it sends: leaf and intermediate\n'
printf '\n$ openssl s_client -connect 127.0.0.1:8480 -servername app.localhost -CAfile %s -verify_return_error | grep ...\n' "$dir/root.pem"
openssl s_client -connect 127.0.0.1:8480 -servername app.localhost -CAfile "$dir/root.pem" -verify_return_error </dev/null 2>&1 \
  | grep -E '^ *[0-9] s:|Verify return code'
printf '\n# without the root: refused, as it must be\n'
show curl -sS --resolve app.localhost:8480:127.0.0.1 https://app.localhost:8480/
printf '\n# a client stuck at TLS 1.1: refused by the server\n'
show curl -sS --cacert "$dir/root.pem" --tlsv1.0 --tls-max 1.1 --resolve app.localhost:8480:127.0.0.1 https://app.localhost:8480/
printf '\n# the scanner'
COLUMNS=120 show "${tlslab[@]}" probe 127.0.0.1:8480 --ca "$dir/root.pem" --servername app.localhost
