#!/usr/bin/env bash
# Demo 9: the attacker in the middle. Starts its own lab (good only) with `tlslab serve --attacker`, so no other lab is needed:
# curl -k to the real server, the same curl -k to the attacker (same page, and the attacker logs the Authorization header),
# then curl --cacert with the lab root (no -k) to the attacker: refused. Needs curl and the .NET SDK with the kit's tool.
set -u
set -m # the lab runs in its own process group, so stopping it stops every process `dotnet` started for it
cd "$(dirname "$0")/../.."
# TLSLAB: how to run the kit's CLI (capture-fallbacks.sh sets it to this checkout's sources).
read -r -a tlslab <<<"${TLSLAB:-dotnet tlslab}"
dir=.tlslab/attacker-demo
mkdir -p "$dir"
: >"$dir/attacker.log"
"${tlslab[@]}" serve --scenario good --attacker --out "$dir" >"$dir/serve.txt" 2>"$dir/attacker.log" &
lab=$!
trap 'kill -INT -- "-$lab" 2>/dev/null; wait "$lab" 2>/dev/null' EXIT
for _ in $(seq 1 240); do
  grep -q "Ctrl+C" "$dir/attacker.log" && break
  kill -0 "$lab" 2>/dev/null || { cat "$dir/serve.txt" "$dir/attacker.log"; exit 1; }
  sleep 0.5
done
real=$(grep -oE 'In front of good at 127\.0\.0\.1:[0-9]+' "$dir/serve.txt" | grep -oE '[0-9]+$')
attacker=$(grep -oE 'curl -k .*--resolve good\.localhost:[0-9]+' "$dir/serve.txt" | grep -oE '[0-9]+$')
[ -n "$real" ] && [ -n "$attacker" ] || { echo "tlslab serve --attacker did not start:"; cat "$dir/serve.txt" "$dir/attacker.log"; exit 1; }
show() { # echoes the command as it would be typed (arguments with spaces in quotes), then runs it
  printf '\n$'
  for a in "$@"; do case $a in *' '*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac; done
  printf '\n'
  "$@" 2>&1
}
log_since() { sleep 0.5; tail -n +"$(($1 + 1))" "$dir/attacker.log" | grep -v ' Served \| answered'; }

printf '# the real good is on %s; the attacker listens on %s and presents a certificate it signed itself\n' "$real" "$attacker"
show curl -sS -k -H 'Authorization: Bearer demo-token' --resolve "good.localhost:$real:127.0.0.1" "https://good.localhost:$real/"

seen=$(wc -l <"$dir/attacker.log")
show curl -sS -k -H 'Authorization: Bearer demo-token' --resolve "good.localhost:$attacker:127.0.0.1" "https://good.localhost:$attacker/"
printf '\n# what the attacker logged:\n'
log_since "$seen"

seen=$(wc -l <"$dir/attacker.log")
show curl -sS --cacert "$dir/lab-root.pem" -H 'Authorization: Bearer demo-token' --resolve "good.localhost:$attacker:127.0.0.1" \
  "https://good.localhost:$attacker/"
printf '\n# what the attacker logged:\n'
log_since "$seen"
