#!/usr/bin/env bash
# Demo 1: one curl per endpoint of `tlslab serve --base-port 8440`, trusting the lab root only.
# Run from anywhere; it works from the repository root. Needs curl.
set -u
cd "$(dirname "$0")/../.."
base=${BASE_PORT:-8440}
ca=.tlslab/lab-root.pem
if [ ! -f "$ca" ]; then
  echo "No $ca here. Start the lab first, from the repository root:"
  echo "  dotnet run --project src/TlsLab.Cli -- serve --base-port $base"
  exit 2
fi

# The scenarios in the order `serve` numbers them (src/TlsLab/Zoo/ScenarioCatalog.cs): port = base + index.
names=(plaintext good expired not-yet-valid wrong-host self-signed untrusted-root incomplete-chain
       tls12-only tls13-only cbc-only client-cert-required good-rsa revoked
       client-cert-optional sni-multi alpn cn-only wildcard ocsp-stapled)

for i in "${!names[@]}"; do
  name=${names[$i]}
  port=$((base + i))
  host=$name.localhost
  [ "$name" = wildcard ] && host=one.wildcard.localhost   # the name its *.wildcard.localhost certificate covers
  scheme=https
  [ "$name" = plaintext ] && scheme=http
  if body=$(curl -sS --max-time 5 --cacert "$ca" --resolve "$host:$port:127.0.0.1" "$scheme://$host:$port/" 2>&1); then
    said=$(printf '%s\n' "$body" | grep -m1 -E '^(You connected|This is plain HTTP)' | cut -c1-70)
    printf '%-21s %-5s connects: %s\n' "$name" "$port" "$said"
  else
    printf '%-21s %-5s REFUSED:  %s\n' "$name" "$port" "$(printf '%s\n' "$body" | head -1 | cut -c1-110)"
  fi
done
