#!/usr/bin/env bash
# Demo 7: how a scanner works. `tlslab probe` starts the scenario in its own process (no lab needed) and asks it, one
# hand-made ClientHello at a time, which versions, suites and groups it accepts; then grades it as SSL Labs does.
# Needs the .NET SDK and the kit's tool (dotnet tool restore, or the README's one-time set-up).
set -u
cd "$(dirname "$0")/../.."
# TLSLAB: how to run the kit's CLI (capture-fallbacks.sh sets it to this checkout's sources).
read -r -a tlslab <<<"${TLSLAB:-dotnet tlslab}"
show() { printf '\n$ %s\n' "$*"; "$@" 2>&1; }

show "${tlslab[@]}" probe good
show "${tlslab[@]}" probe cbc-only
