#!/usr/bin/env bash
# Demo 3: a valid certificate for the wrong name. Against `tlslab serve --base-port 8440` (wrong-host is 8444).
# Needs curl and openssl; the last two steps need the .NET SDK.
set -u
cd "$(dirname "$0")/../.."
ca=.tlslab/lab-root.pem
[ -f "$ca" ] || { echo "No $ca here. Start the lab first: dotnet run --project src/TlsLab.Cli -- serve --base-port 8440"; exit 2; }
show() { printf '\n$ %s\n' "$*"; "$@" 2>&1; }

show curl -sS --cacert "$ca" --resolve wrong-host.localhost:8444:127.0.0.1 https://wrong-host.localhost:8444/

printf '\n$ openssl s_client ... | openssl x509 -noout -subject -issuer -ext subjectAltName\n'
openssl s_client -connect 127.0.0.1:8444 -servername wrong-host.localhost </dev/null 2>/dev/null \
  | openssl x509 -noout -subject -issuer -ext subjectAltName

show dotnet run slides/demos/probe.cs -- wrong-host
show dotnet run slides/demos/probe.cs -- wrong-host --accept-anything
