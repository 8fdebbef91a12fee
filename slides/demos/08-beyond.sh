#!/usr/bin/env bash
# Demo 8: beyond the talk, against `tlslab serve --base-port 8440` (client-cert-required 8451, revoked 8453, sni-multi 8455,
# good 8441). Mutual TLS with curl, the lab's OCSP responder asked by openssl, and one port with many names.
# Needs curl and openssl, and the lab's certificates exported: serve --base-port 8440 --export-dir .tlslab/export
set -u
cd "$(dirname "$0")/../.."
ca=.tlslab/lab-root.pem
export_dir=${EXPORT_DIR:-.tlslab/export}
if [ ! -f "$ca" ] || [ ! -d "$export_dir" ]; then
  echo "Start the lab with its certificates exported first, from the repository root:"
  echo "  dotnet run --project src/TlsLab.Cli -- serve --base-port 8440 --export-dir $export_dir"
  exit 2
fi
show() { printf '\n$ %s\n' "$*"; "$@" 2>&1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Mutual TLS: without a certificate the server turns curl away; with the lab's client certificate it serves it.
show curl -sS --max-time 5 --cacert "$ca" --resolve client-cert-required.localhost:8451:127.0.0.1 \
  https://client-cert-required.localhost:8451/ -o /dev/null -w '%{http_code}\n'
show curl -sS --max-time 5 --cacert "$ca" --cert "$export_dir/client.chain.pem" --key "$export_dir/client.key.pem" \
  --resolve client-cert-required.localhost:8451:127.0.0.1 https://client-cert-required.localhost:8451/ -o /dev/null -w '%{http_code}\n'

# 2. Revocation: ask the OCSP responder named in each leaf's AIA, as a client would.
for name in revoked good; do
  leaf="$export_dir/$name.crt.pem"
  ocsp=$(openssl x509 -in "$leaf" -noout -ocsp_uri)
  # NAME.chain.pem is the leaf, then its intermediate: the intermediate is the OCSP request's issuer.
  awk '/BEGIN CERT/{n++} n==2' "$export_dir/$name.chain.pem" >"$work/issuer.pem"
  show openssl ocsp -issuer "$work/issuer.pem" -cert "$leaf" -url "$ocsp" -CAfile "$ca" -no_nonce
done

# 3. One port, many names: the certificate sni-multi sends depends on the name in the ClientHello.
for host in sni-multi.localhost alt.sni-multi.localhost; do
  show curl -sS --max-time 5 --cacert "$ca" --resolve "$host:8455:127.0.0.1" "https://$host:8455/handshake.json" -o "$work/h.json"
  grep -E '"serverCertificate(Reason)?"' "$work/h.json" | sed 's/^ */  /'
done
