#!/usr/bin/env bash
# Demo 5, part 2: TLS 1.1 against OpenSSL 3's default security level.
# Starts a throwaway TLS 1.1-only `openssl s_server` on 127.0.0.1:8470 (its own self-signed
# certificate, in a temporary folder), tries three clients, and stops it. Needs openssl.
set -u
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=old.localhost -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null

try() {
  printf '\n$ openssl s_client -connect 127.0.0.1:8470 -tls1_1 %s\n' "$*"
  echo | timeout 5 openssl s_client -connect 127.0.0.1:8470 -tls1_1 -brief "$@" 2>&1 \
    | grep -v -E "^(Can't use SSL_get_servername|depth=|verify error:|DONE)" | sed -E 's/^[0-9A-F]{16,}:error:/error:/'
}

echo "# server: TLS 1.1 only, at OpenSSL's default security level"
openssl s_server -accept 127.0.0.1:8470 -cert "$dir/cert.pem" -key "$dir/key.pem" -tls1_1 -quiet >"$dir/server.log" 2>&1 &
server=$!
sleep 1
try
try -cipher 'DEFAULT:@SECLEVEL=0'
kill "$server"; wait "$server" 2>/dev/null
echo
echo "# what the server said"
sed -E 's/^[0-9A-F]{16,}:error:/error:/' "$dir/server.log" | sort -u

echo
echo "# server: TLS 1.1 only, security level lowered to 0"
openssl s_server -accept 127.0.0.1:8470 -cert "$dir/cert.pem" -key "$dir/key.pem" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' -quiet >"$dir/server.log" 2>&1 &
server=$!
sleep 1
try
try -cipher 'DEFAULT:@SECLEVEL=0'
