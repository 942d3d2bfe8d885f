#!/usr/bin/env bash
# Heap per idle TLS connection: trunkgate's live heap (after a full GC) with N idle TLS connections, minus the
# same with none. Usage: bench/idle-connection-heap.sh [N=2000]. Target: at most 32 KB per connection.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # 2 x N sockets on this machine
[ -f target/trunkgate.jar ] || mvn -B -q package -DskipTests
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
java -jar target/trunkgate.jar pki dev --out "$work/pki" >/dev/null
PORT=$((20000 + RANDOM % 10000))
java @"${JVM_OPTIONS:-config/jvm.options}" -Dtrunkgate.trunk.host=127.0.0.1 -Dtrunkgate.trunk.port=$PORT -Dtrunkgate.inside.port=$((PORT + 2)) \
     -Dtrunkgate.tls.certificate="$work/pki/server-chain.pem" -Dtrunkgate.tls.private-key="$work/pki/server.key" \
     -Dtrunkgate.tls.reload-interval=0 -jar target/trunkgate.jar run > "$work/trunkgate.log" 2>&1 &
GW=$!
for _ in $(seq 100); do grep -q "trunkgate ready" "$work/trunkgate.log" && break; sleep 0.2; done
used() { # live heap in KB: the class histogram's total (it collects first), whatever the collector
  jcmd $GW GC.run >/dev/null; sleep 1
  jcmd $GW GC.class_histogram | awk '$1 == "Total" {printf "%d", $3 / 1024}'
}
# one warm-up connection so lazily loaded classes are not charged to the N connections
mkfifo "$work/hold1"; java bench/IdleConnections.java $PORT "$work/pki/root.pem" 1 < "$work/hold1" > "$work/c1.out" & exec 3>"$work/hold1"
for _ in $(seq 100); do grep -q open "$work/c1.out" 2>/dev/null && break; sleep 0.2; done
before=$(used)
mkfifo "$work/hold"; java bench/IdleConnections.java $PORT "$work/pki/root.pem" "$N" < "$work/hold" > "$work/client.out" & exec 4>"$work/hold"
for _ in $(seq 600); do grep -q open "$work/client.out" 2>/dev/null && break; sleep 0.5; done
cat "$work/client.out"
after=$(used)
echo "live heap: ${before} KB with 1 connection, ${after} KB with $((N + 1)) connections"
echo "per idle TLS connection: $(awk -v a="$after" -v b="$before" -v n="$N" 'BEGIN{printf "%.1f", (a-b)/n}') KB (target <= 32 KB)"
exec 3>&- 4>&-
