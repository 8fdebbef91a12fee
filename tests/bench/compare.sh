#!/usr/bin/env bash
# The lab against openssl s_server: the same certificate and key, the same clients, one run, one machine.
#
#   tests/bench/compare.sh                  # defaults below
#   DURATION=5 REPEAT=5 CONCURRENCY=8 tests/bench/compare.sh
#   TLSLAB_CLI=/elsewhere/TlsLab.Cli.dll tests/bench/compare.sh   # an older build of the lab
#
# Starts `tlslab serve` (good and good-rsa, Release build) and `openssl s_server -www` presenting the
# very certificate chain and key the lab serves (exported with serve's hidden --export-dir). Then,
# alternating between the two servers so that a change in machine load hits both alike, it measures
# full handshakes (new connection, no resumption) with two clients:
#   tlslab bench   .NET SslStream, validates the chain against the lab root and checks the name;
#                  1 client and CONCURRENCY clients
#   openssl s_time -new, one connection after another
# for TLS 1.2 and 1.3, REPEAT times, and prints medians and the lab/openssl ratio. Last, the crypto
# bound from `openssl speed`: the handshake rate the server's signature plus X25519 key exchange
# alone allow on this machine's cores. Everything stays on 127.0.0.1 and ends within minutes.
set -euo pipefail

DURATION=${DURATION:-3}        # seconds counted per tlslab bench row (after a 1 s warm-up)
CONCURRENCY=${CONCURRENCY:-4}  # clients for the concurrent tlslab bench rows
REPEAT=${REPEAT:-3}            # rounds; the summary reports the median over rounds
STIME=${STIME:-$DURATION}      # seconds per openssl s_time run
SPEED_SECONDS=${SPEED_SECONDS:-3}
KEYS=${KEYS:-"good good-rsa"}  # lab scenarios to compare (ECDSA P-256, RSA-2048)

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tlslab-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }

for tool in dotnet openssl awk; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool on PATH" >&2; exit 2; }
done

echo "# machine: $(nproc 2>/dev/null || echo '?') cores, $(openssl version), load average at start: $(load)"
echo "# DURATION=$DURATION CONCURRENCY=$CONCURRENCY REPEAT=$REPEAT STIME=$STIME KEYS=\"$KEYS\""

if [ -n "${TLSLAB_CLI:-}" ]; then
  # A TlsLab.Cli.dll built elsewhere, e.g. from an older commit, to compare the lab with itself.
  tlslab=(dotnet "$TLSLAB_CLI")
else
  dotnet build "$root/src/TlsLab.Cli" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  tlslab=(dotnet "$root/src/TlsLab.Cli/bin/Release/net10.0/TlsLab.Cli.dll")
fi

# The lab: ports chosen by the system, read back from the manifest. Its per-connection log goes to a file.
scenario_args=()
for key in $KEYS; do scenario_args+=(--scenario "$key"); done
"${tlslab[@]}" serve "${scenario_args[@]}" --out "$work" --export-dir "$work" --json >"$work/manifest.json" 2>"$work/serve.log" &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q '^}' "$work/manifest.json" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
grep -q '^}' "$work/manifest.json" || { echo "tlslab serve printed no manifest within 60 s" >&2; exit 1; }
ca="$work/lab-root.pem"

manifest_field() { # scenario field
  awk -v want="$1" -v field="\"$2\":" '
    $1 == "\"name\":" { gsub(/[",]/, "", $2); name = $2 }
    $1 == field && name == want { gsub(/[",]/, "", $2); print $2; exit }' "$work/manifest.json"
}

free_port() { # a port nobody listens on now; s_server below fails loudly if that changed
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

declare -A lab_port openssl_port host_of server_pid
lab_pid=${pids[0]}
for key in $KEYS; do
  lab_port[$key]=$(manifest_field "$key" port)
  host_of[$key]=$(manifest_field "$key" host)
  # The chain file is leaf first; s_server takes the leaf with -cert and the rest with -cert_chain.
  awk '/BEGIN CERTIFICATE/ { n++ } n > 1' "$work/$key.chain.pem" >"$work/$key.intermediates.pem"
  openssl_port[$key]=$(free_port)
  openssl s_server -quiet -www -accept "127.0.0.1:${openssl_port[$key]}" \
    -cert "$work/$key.crt.pem" -key "$work/$key.key.pem" -cert_chain "$work/$key.intermediates.pem" \
    </dev/null >"$work/s_server.$key.log" 2>&1 &
  pids+=($!)
  server_pid[$key]=$!
done

# Both servers must present a chain that a strict client accepts for the same name, or the comparison is void.
for key in $KEYS; do
  for server in lab openssl; do
    if [ "$server" = lab ]; then port=${lab_port[$key]}; else port=${openssl_port[$key]}; fi
    ok=
    for _ in $(seq 1 50); do
      if openssl s_client -connect "127.0.0.1:$port" -servername "${host_of[$key]}" -verify_hostname "${host_of[$key]}" \
           -CAfile "$ca" -verify_return_error -brief </dev/null >"$work/check.log" 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    [ -n "$ok" ] || { echo "$server ($key, port $port) did not pass a verifying openssl s_client:" >&2; cat "$work/check.log" >&2; exit 1; }
  done
  echo "# $key: lab on 127.0.0.1:${lab_port[$key]}, openssl s_server on 127.0.0.1:${openssl_port[$key]}, both verified for ${host_of[$key]}"
done

# Warm-up, not counted: the lab's code is compiled as it first runs (the JIT), openssl's is not.
for key in $KEYS; do
  for port in "${lab_port[$key]}" "${openssl_port[$key]}"; do
    openssl s_time -connect "127.0.0.1:$port" -new -time 2 >/dev/null 2>&1 || true
  done
done

results="$work/results.tsv" # round key server client clients tls per_s p50_ms p99_ms errors server_cpu_us
: >"$results"

bench() { # round key server port clients
  "${tlslab[@]}" bench "127.0.0.1:$4" --host "${host_of[$2]}" --ca "$ca" --tls 1.2 --tls 1.3 \
      --concurrency "$5" --duration "$DURATION" --warmup 1 --tsv |
    awk -F'\t' -v r="$1" -v k="$2" -v s="$3" -v c="$5" \
      '$1 !~ /^#/ && $1 != "target" { print r "\t" k "\t" s "\ttlslab-bench\t" c "\t" $2 "\t" $7 "\t" $8 "\t" $10 "\t" $6 "\t-" }' >>"$results"
}

ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() { # pid: user + system CPU time so far, in clock ticks (-1 where /proc is missing)
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo -1
}

stime() { # round key server port tls pid
  local flag=-tls1_2
  [ "$5" = 1.3 ] && flag=-tls1_3
  # s_time reports whole "real seconds"; the wall clock around it is finer (and includes its start-up, a few ms).
  # The server's CPU time per handshake (from /proc, user + system) is much less sensitive to what
  # else runs on the machine than a rate is: it says what one handshake costs the server.
  local started ended cpu_before cpu_after
  cpu_before=$(cpu_ticks "$6")
  started=$(date +%s%N)
  openssl s_time -connect "127.0.0.1:$4" -new -time "$STIME" "$flag" >"$work/s_time.log" 2>&1 || true
  ended=$(date +%s%N)
  cpu_after=$(cpu_ticks "$6")
  awk -v r="$1" -v k="$2" -v s="$3" -v t="$5" -v wall="$(( (ended - started) / 1000000 ))" \
      -v cpu="$(( cpu_after - cpu_before ))" -v hz="$ticks" \
    '/connections in [0-9]+ real seconds/ { n = $1 }
     END { n += 0; print r "\t" k "\t" s "\ts_time\t1\t" t "\t" n / (wall / 1000) "\t-\t-\t-\t" (n > 0 && cpu >= 0 ? cpu / hz / n * 1e6 : "-") }' \
    "$work/s_time.log" >>"$results"
}

for round in $(seq 1 "$REPEAT"); do
  for key in $KEYS; do
    for server in lab openssl; do
      if [ "$server" = lab ]; then port=${lab_port[$key]} pid=$lab_pid; else port=${openssl_port[$key]} pid=${server_pid[$key]}; fi
      bench "$round" "$key" "$server" "$port" 1
      bench "$round" "$key" "$server" "$port" "$CONCURRENCY"
      stime "$round" "$key" "$server" "$port" 1.2 "$pid"
      stime "$round" "$key" "$server" "$port" 1.3 "$pid"
    done
  done
  echo "# round $round of $REPEAT done, load average $(load)"
done

echo
echo "## Full handshakes per second (median of $REPEAT rounds; latency = connect + handshake, ms; cpu = server CPU per handshake, us)"
sort -t$'\t' -k2,2 -k4,4 -k5,5n -k6,6 -k3,3 "$results" | awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return "-"
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function add(name, id, value) { if (value != "-") values[name, id] = values[name, id] " " value }
  function show(name, id,   m) { m = median(values[name, id]); return m == "-" ? "-" : sprintf("%.2f", m) }
  function showint(name, id,   m) { m = median(values[name, id]); return m == "-" ? "-" : sprintf("%.0f", m) }
  {
    id = $2 SUBSEP $4 SUBSEP $5 SUBSEP $6
    if (!(id in seen)) { seen[id] = 1; order[++count] = id }
    add("rate", id SUBSEP $3, $7); add("p50", id SUBSEP $3, $8); add("p99", id SUBSEP $3, $9); add("cpu", id SUBSEP $3, $11)
    errors[id, $3] += ($10 == "-" ? 0 : $10)
  }
  END {
    printf "%-9s %-13s %7s %4s | %8s %6s %6s %6s | %9s %6s %6s %6s | %8s %8s\n", "key", "client", "clients", "tls", "lab/s", "p50", "p99", "cpu", "openssl/s", "p50", "p99", "cpu", "rate l/o", "cpu l/o"
    for (i = 1; i <= count; i++) {
      id = order[i]; split(id, f, SUBSEP)
      l = median(values["rate", id SUBSEP "lab"]); o = median(values["rate", id SUBSEP "openssl"])
      lc = median(values["cpu", id SUBSEP "lab"]); oc = median(values["cpu", id SUBSEP "openssl"])
      printf "%-9s %-13s %7s %4s | %8.0f %6s %6s %6s | %9.0f %6s %6s %6s | %8.2f %8s\n", f[1], f[2], f[3], f[4],
        l, show("p50", id SUBSEP "lab"), show("p99", id SUBSEP "lab"), showint("cpu", id SUBSEP "lab"),
        o, show("p50", id SUBSEP "openssl"), show("p99", id SUBSEP "openssl"), showint("cpu", id SUBSEP "openssl"),
        (o > 0 ? l / o : 0), (lc != "-" && oc != "-" && oc > 0 ? sprintf("%.2f", lc / oc) : "-")
      if (errors[id, "lab"] + errors[id, "openssl"] > 0) printf "  errors: lab %d, openssl %d\n", errors[id, "lab"], errors[id, "openssl"]
    }
  }'

echo
echo "## Crypto bound (openssl speed -seconds $SPEED_SECONDS ecdsap256 ecdhx25519 rsa2048, one core each, load average $(load))"
openssl speed -mr -seconds "$SPEED_SECONDS" ecdsap256 ecdhx25519 rsa2048 2>/dev/null | grep '^+F' >"$work/speed.txt" || true
cores=$(nproc 2>/dev/null || echo 1)
best() { # key server: the best median rate of any client for that server
  sort -t$'\t' -k2,2 -k3,3 -k4,4 -k5,5n -k6,6 "$results" | awk -F'\t' -v k="$1" -v s="$2" '
    $2 == k && $3 == s { id = $4 " " $5 " " $6; v[id] = v[id] " " $7 }
    END {
      for (id in v) { n = split(v[id], a, " "); for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; if (m > b) b = m }
      print b + 0 }'
}
awk -F: -v cores="$cores" -v ecdsa_best_lab="$(best good lab)" -v ecdsa_best_ossl="$(best good openssl)" \
    -v rsa_best_lab="$(best good-rsa lab)" -v rsa_best_ossl="$(best good-rsa openssl)" '
  $1 == "+F2" && $3 == 2048 { rsa_sign = $4; rsa_verify = $5 }
  $1 == "+F4" && $3 == 256 { ec_sign = $4; ec_verify = $5 }
  $1 == "+F5" && $3 == 253 { x25519 = $4 }
  END {
    if (!rsa_sign || !ec_sign || !x25519) { print "openssl speed gave no figures"; exit }
    printf "per core: ECDSA P-256 sign %.0f/s verify %.0f/s; RSA-2048 sign %.0f/s verify %.0f/s; X25519 %.0f/s\n", ec_sign, ec_verify, rsa_sign, rsa_verify, x25519
    # The server signs once and does two X25519 scalar multiplications (its key share and the shared secret).
    ec_server = cores / (1 / ec_sign + 2 / x25519)
    rsa_server = cores / (1 / rsa_sign + 2 / x25519)
    # On loopback the client shares the cores: it verifies the handshake signature and two certificate
    # signatures (leaf by intermediate, intermediate by root; all ECDSA here) and does two X25519 too.
    ec_both = cores / (1 / ec_sign + 3 / ec_verify + 4 / x25519)
    rsa_both = cores / (1 / rsa_sign + 1 / rsa_verify + 2 / ec_verify + 4 / x25519)
    printf "%-24s %14s %16s | %10s %10s | %12s %12s\n", "key", "server bound/s", "server+client/s", "lab best/s", "ossl best/s", "lab of both", "ossl of both"
    printf "%-24s %14.0f %16.0f | %10.0f %10.0f | %11.0f%% %11.0f%%\n", "good (ECDSA P-256)", ec_server, ec_both, ecdsa_best_lab, ecdsa_best_ossl, 100 * ecdsa_best_lab / ec_both, 100 * ecdsa_best_ossl / ec_both
    printf "%-24s %14.0f %16.0f | %10.0f %10.0f | %11.0f%% %11.0f%%\n", "good-rsa (RSA-2048)", rsa_server, rsa_both, rsa_best_lab, rsa_best_ossl, 100 * rsa_best_lab / rsa_both, 100 * rsa_best_ossl / rsa_both
    printf "server bound: %d core(s) x 1 / (1 sign + 2 X25519); server+client: the same cores also doing the client side\n", cores
  }' "$work/speed.txt"
echo "# load average at end: $(load)"
