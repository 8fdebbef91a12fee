#!/usr/bin/env bash
# Demo 4, part 2: one good client and three bad ones against slides/demos/server.cs on 8460.
# Start the server first, in another terminal: dotnet run slides/demos/server.cs
# Needs curl and bash (for /dev/tcp).
set -u
cd "$(dirname "$0")/../.."
root=.tlslab/demo-server/demo-root.pem
[ -f "$root" ] || { echo "No $root: start the demo server first: dotnet run slides/demos/server.cs"; exit 2; }
url=https://demo.localhost:8460/
show() { printf '\n$ %s\n' "$*"; "$@" 2>&1; }

show curl -sS --cacert "$root" --resolve demo.localhost:8460:127.0.0.1 "$url"
show curl -sS --resolve demo.localhost:8460:127.0.0.1 "$url"
show curl -sS --max-time 5 http://127.0.0.1:8460/
printf '\n$ # a client that connects and says nothing for 7 seconds\n'
(exec 3<>/dev/tcp/127.0.0.1/8460 && sleep 7) 2>&1
show curl -sS --cacert "$root" --resolve demo.localhost:8460:127.0.0.1 "$url"
