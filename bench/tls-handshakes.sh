#!/usr/bin/env bash
# Full TLS 1.2 handshakes per second (ECDHE-RSA-AES256-GCM-SHA384, P-384, RSA 2048) against trunkgate and,
# in the same run with the same key and chain, against `openssl s_server`. The client is `openssl s_time -new`
# (one new session per connection, sequential), alternating servers ROUNDS times; the ratio is what counts on a
# noisy 2-core machine. CLIENTS parallel s_time processes per measurement (default 1: latency-bound; 2 or more:
# throughput, where the single-process openssl s_server serves one connection at a time).
# Usage: bench/tls-handshakes.sh [SECONDS_PER_ROUND] [ROUNDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
ROUNDS=${2:-3}
CLIENTS=${3:-1}
CIPHER=ECDHE-RSA-AES256-GCM-SHA384
[ -f target/trunkgate.jar ] || mvn -B -q package -DskipTests
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

java -jar target/trunkgate.jar pki dev --out "$work/pki" >/dev/null
TG_PORT=$((20000 + RANDOM % 10000)); OS_PORT=$((TG_PORT + 1))
java @"${JVM_OPTIONS:-config/jvm.options}" -Dtrunkgate.trunk.host=127.0.0.1 -Dtrunkgate.trunk.port=$TG_PORT -Dtrunkgate.inside.port=$((TG_PORT + 2)) \
     -Dtrunkgate.tls.certificate="$work/pki/server-chain.pem" -Dtrunkgate.tls.private-key="$work/pki/server.key" \
     -Dtrunkgate.tls.reload-interval=0 -jar target/trunkgate.jar run > "$work/trunkgate.log" 2>&1 &
# leaf alone in -cert, the intermediate in -cert_chain: both servers send leaf + intermediate (TLS-9)
openssl x509 -in "$work/pki/server-chain.pem" -out "$work/leaf.pem"
openssl s_server -quiet -accept $OS_PORT -cert "$work/leaf.pem" -key "$work/pki/server.key" \
     -cert_chain "$work/pki/intermediate.pem" -tls1_2 -cipher $CIPHER -groups P-384 -naccept 100000000 \
     > "$work/s_server.log" 2>&1 &
for _ in $(seq 100); do grep -q "trunkgate ready" "$work/trunkgate.log" && break; sleep 0.2; done
grep -q "trunkgate ready" "$work/trunkgate.log" || { cat "$work/trunkgate.log"; exit 1; }

one() { # port seconds -> connections per real second of one s_time client
  openssl s_time -connect 127.0.0.1:$1 -new -tls1_2 -cipher $CIPHER -time $2 2>/dev/null \
    | awk '/connections in .* real seconds/ {printf "%.1f", $1/$4}'
}
rate() { # port seconds -> summed rate of CLIENTS parallel clients
  for c in $(seq "$CLIENTS"); do one "$1" "$2" > "$work/rate.$c" & done; wait
  cat "$work"/rate.* | awk '{s+=$1} END {printf "%.1f", s}'; rm -f "$work"/rate.*
}
echo "warm-up (JIT) 10 s against trunkgate: $(rate $TG_PORT 10)/s"
tg_total=0; os_total=0
echo "clients in parallel: $CLIENTS"
for r in $(seq "$ROUNDS"); do
  tg=$(rate $TG_PORT "$SECS"); os=$(rate $OS_PORT "$SECS")
  echo "round $r: trunkgate $tg/s  openssl s_server $os/s  ratio $(awk -v a="$tg" -v b="$os" 'BEGIN{printf "%.2f", a/b}')"
  tg_total=$(awk -v a="$tg_total" -v b="$tg" 'BEGIN{print a+b}'); os_total=$(awk -v a="$os_total" -v b="$os" 'BEGIN{print a+b}')
done
echo "mean: trunkgate $(awk -v a="$tg_total" -v n="$ROUNDS" 'BEGIN{printf "%.1f", a/n}')/s" \
     "openssl $(awk -v a="$os_total" -v n="$ROUNDS" 'BEGIN{printf "%.1f", a/n}')/s" \
     "ratio $(awk -v a="$tg_total" -v b="$os_total" 'BEGIN{printf "%.2f", a/b}') (target >= 0.8)"
