#!/usr/bin/env bash
# Demo 4, part 1: what a server sends. The zoo's good (8441) and incomplete-chain (8447) endpoints,
# as openssl sees them: s: is each certificate's subject, i: its issuer. Needs openssl.
set -u
for target in good:8441 incomplete-chain:8447; do
  name=${target%%:*}
  port=${target##*:}
  printf '\n$ openssl s_client -connect 127.0.0.1:%s -servername %s.localhost -showcerts\n' "$port" "$name"
  openssl s_client -connect "127.0.0.1:$port" -servername "$name.localhost" -showcerts </dev/null 2>/dev/null \
    | grep -E '^ *[0-9]+ s:|^ +i:'
done
