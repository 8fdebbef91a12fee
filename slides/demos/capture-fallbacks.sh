#!/usr/bin/env bash
# Re-captures every demo's fallback output from a real run, into slides/demos/fallback/.
# Needs the lab running (dotnet run --project src/TlsLab.Cli -- serve --base-port 8440 --export-dir .tlslab/export), curl,
# openssl, python3 and the .NET SDK; Linux (setsid) for stopping the demo server cleanly.
#   slides/demos/capture-fallbacks.sh            write slides/demos/fallback/*.txt
#   slides/demos/capture-fallbacks.sh /tmp/x     write elsewhere, e.g. to rehearse and compare
set -u
cd "$(dirname "$0")/../.."
out=${1:-slides/demos/fallback}
mkdir -p "$out"
if ! curl -s --max-time 3 -o /dev/null http://127.0.0.1:8440/; then
  echo "The lab is not answering on 127.0.0.1:8440. Start it first: dotnet run --project src/TlsLab.Cli -- serve --base-port 8440"
  exit 2
fi
command -v setsid >/dev/null || { echo "setsid not found (util-linux); this capture script runs on Linux."; exit 2; }

capture() { # capture NAME COMMAND...: runs COMMAND, writes its output (both streams) to $out/NAME.txt
  local name=$1; shift
  echo "capturing $name: $*"
  "$@" >"$out/$name.txt" 2>&1
}

probe() { # the same `dotnet run` line a presenter types, echoed first
  for args in "$@"; do
    printf '$ dotnet run slides/demos/probe.cs -- %s\n' "$args"
    # shellcheck disable=SC2086
    dotnet run slides/demos/probe.cs -- $args
    echo
  done
}

wait_for_port() { # asks the kernel, so the server's log does not show a probing connection
  for _ in $(seq 1 240); do
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    sleep 0.5
  done
  echo "nothing listens on $1 after 2 minutes" >&2
  return 1
}

start_server() { # start_server LOGFILE [ARGS]: the demo server in its own process group
  local log=$1; shift
  setsid dotnet run slides/demos/server.cs -- "$@" >"$log" 2>&1 &
  server=$!
  wait_for_port 8460
}

stop_server() {
  kill -TERM -- "-$server" 2>/dev/null
  wait "$server" 2>/dev/null
}

dotnet build slides/demos/probe.cs >/dev/null && dotnet build slides/demos/eavesdrop.cs >/dev/null && dotnet build slides/demos/server.cs >/dev/null \
  || { echo "the demo programs do not build"; exit 1; }

capture 01-curl-the-zoo slides/demos/01-curl-the-zoo.sh
capture 02-eavesdrop dotnet run slides/demos/eavesdrop.cs
capture 03-wrong-host slides/demos/03-wrong-host.sh
capture 04-chains slides/demos/04-chains.sh

echo "capturing 04-server-clients and 04-server-log: the demo server on 8460 and four clients"
start_server "$out/04-server-log.txt"
slides/demos/04-server-clients.sh >"$out/04-server-clients.txt" 2>&1
sleep 1
stop_server

echo "capturing 04-server-leaf-only: the server that forgets its intermediate"
start_server "$out/04-server-leaf-only-log.txt" --leaf-only
{
  printf '$ dotnet run slides/demos/server.cs -- --leaf-only   # in the other terminal\n'
  printf '$ curl -sS --cacert .tlslab/demo-server/demo-root.pem --resolve demo.localhost:8460:127.0.0.1 https://demo.localhost:8460/\n'
  curl -sS --cacert .tlslab/demo-server/demo-root.pem --resolve demo.localhost:8460:127.0.0.1 https://demo.localhost:8460/ 2>&1
} >"$out/04-server-leaf-only.txt"
sleep 1
stop_server

capture 05-protocols-and-ciphers probe "cbc-only" "cbc-only --modern-ciphers" "tls12-only --min-tls13" "tls13-only --max-tls12"
capture 05-old-tls slides/demos/05-old-tls.sh
capture 06-the-2016-request python3 slides/demos/06-the-2016-request.py
# The scanner demo runs this checkout's CLI, so its fallback matches these sources even when the installed tool is older.
TLSLAB="dotnet run --project src/TlsLab.Cli --" capture 07-scanner slides/demos/07-scanner.sh
capture 08-beyond slides/demos/08-beyond.sh
TLSLAB="dotnet run --project src/TlsLab.Cli --" capture 09-attacker slides/demos/09-attacker.sh
echo "done: $out"
