#!/usr/bin/env bash
# Shedding instead of collapse (issue #15 item 3): a freshly started gateway takes calls at RATE calls/s EACH WAY
# from its first second, each call held HOLD ms, with a media range of 2,500 calls (10,000 ports), loopback only.
#
#   inbound:  SIPp UAC (uac-or-503.xml, -t t1) -> stunnel4 client (TLS 1.2, the spec profile) -> trunkgate TLS
#             listener -> SIPp UAS on UDP (the PBX, uas.xml)
#   outbound: SIPp UAC (uac-or-503.xml, -t u1, the PBX) -> trunkgate inside -> trunkgate's TLS client ->
#             stunnel4 server -> SIPp UAS on TCP (the remote, uas.xml)
#
# For each rate of RATES a new gateway process starts cold (the JIT has compiled nothing yet but what the warm-up of
# trunkgate.warmup.calls ran), both UACs start at once, and after SECONDS of calls the numbers are read from SIPp's
# own files: calls completed, refused (503; uac-or-503.xml fails any 503 without Retry-After), failed (SIPp's failed
# calls: must be 0: every admitted call completes), the second of the last refusal (the target: none after 30 s),
# INVITE retransmissions, and INVITE -> 200 set-up times (p50, p99, and how many over 200 ms in the first 10 s).
#
# Usage: bench/overload-shedding.sh [RATES] [SECONDS] [HOLD_MS]
#   defaults: 100,200,300  120  3000   (the table of docs/benchmarks.md)
#   smoke:    bench/overload-shedding.sh 50 20 3000
#   KEEP=1 keeps the work folder; JVM_OPTIONS names another argument file than config/jvm.options; TG_OPTS adds
#   -Dtrunkgate.* overrides (e.g. -Dtrunkgate.warmup.calls=0 to see a gateway start cold).
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${1:-100,200,300}
SECS=${2:-120}
HOLD=${3:-3000}
NUMBER=+13175550100
SIPP_DIR=$PWD/src/test/resources/sipp
BUF=4194304

for tool in sipp stunnel4 python3; do
  command -v $tool >/dev/null || { echo "missing $tool (Debian: sip-tester, stunnel4, python3)"; exit 2; }
done
[ -f target/trunkgate.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d /tmp/overload-shedding.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -jar target/trunkgate.jar pki dev --out "$work/pki" >/dev/null
PKI=$work/pki

stunnel_conf() { # file role accept connect
  {
    echo "foreground = yes"; echo "pid ="; echo "output = $1.log"; echo "debug = 3"; echo "[sip-tls]"
    if [ "$2" = client ]; then
      echo "client = yes"; echo "CAfile = $PKI/root.pem"; echo "verifyChain = yes"; echo "checkHost = localhost"
    else
      echo "cert = $PKI/peer-chain.pem"; echo "key = $PKI/peer.key"
    fi
    echo "accept = 127.0.0.1:$3"; echo "connect = 127.0.0.1:$4"
    echo "sslVersion = TLSv1.2"; echo "ciphers = ECDHE-RSA-AES256-GCM-SHA384"; echo "curves = secp384r1"
  } > "$1"
}

printf '| calls/s each way | direction | calls | completed | refused (503 + Retry-After) | failed | last refusal (s) | INVITE retransmissions | set-up p50 / p99 (ms) | set-ups > 200 ms in the first 10 s |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'

IFS=, read -ra rates <<< "$RATES"
for rate in "${rates[@]}"; do
  B=$((20000 + RANDOM % 9000))
  TLS=$B; INSIDE=$((B + 1)); PBX=$((B + 2)); REMOTE_TLS=$((B + 3)); REMOTE=$((B + 4)); ST_IN=$((B + 5))
  dir=$work/rate-$rate; mkdir -p "$dir/config"
  cp config/regions.yaml "$dir/config/"
  cat > "$dir/config/trunks.yaml" <<EOF
routing:
  default-trunk: bench
trunks:
  - id: bench
    role: customer
    tgrp: bench-tg1
    trunk-context: example.com
    inbound:
      sources: [127.0.0.0/8]
      dnis: ["+1317555*"]
    remote:
      hosts: [localhost]
      port: $REMOTE_TLS
    inside:
      target: "sip:127.0.0.1:$PBX;transport=udp"
    media:
      srtp: "off"
    outbound:
      numbers: ["+*"]
EOF
  n=$((rate * SECS))
  # the two callees first: they take every call the gateway admits
  ( cd "$dir" && exec sipp -sf "$SIPP_DIR/uas.xml" -t u1 -i 127.0.0.1 -p $PBX -buff_size $BUF -nostdin \
      -trace_err > pbx-uas.out 2>&1 ) & pids+=($!)
  ( cd "$dir" && exec sipp -sf "$SIPP_DIR/uas.xml" -t t1 -i 127.0.0.1 -p $REMOTE -buff_size $BUF -nostdin \
      -max_socket 2000 -trace_err > remote-uas.out 2>&1 ) & pids+=($!)
  stunnel_conf "$dir/st-remote.conf" server $REMOTE_TLS $REMOTE
  stunnel4 "$dir/st-remote.conf" > "$dir/st-remote.out" 2>&1 & pids+=($!)
  stunnel_conf "$dir/st-in.conf" client $ST_IN $TLS
  stunnel4 "$dir/st-in.conf" > "$dir/st-in.out" 2>&1 & pids+=($!)

  # the gateway, cold: a new JVM per rate
  # shellcheck disable=SC2086
  java @"${JVM_OPTIONS:-config/jvm.options}" -Dtrunkgate.config.dir="$dir/config" -Dtrunkgate.trunk.host=127.0.0.1 \
       -Dtrunkgate.trunk.port=$TLS -Dtrunkgate.inside.port=$INSIDE -Dtrunkgate.media.port-range=30000-39999 \
       -Dtrunkgate.tls.dev-pki-dir="$PKI" -Dtrunkgate.tls.trust="$PKI/root.pem" -Dtrunkgate.probe.interval=off \
       -Dtrunkgate.tls.reload-interval=0 ${TG_OPTS:-} -jar target/trunkgate.jar run > "$dir/trunkgate.log" 2>&1 &
  tg=$!; pids+=($tg)
  for _ in $(seq 300); do grep -q "trunkgate ready" "$dir/trunkgate.log" && break; sleep 0.2; done
  grep -q "trunkgate ready" "$dir/trunkgate.log" || { tail -30 "$dir/trunkgate.log"; exit 1; }

  # both directions from the first second
  common=(-sf "$SIPP_DIR/uac-or-503.xml" -s $NUMBER -m $n -r $rate -d $HOLD -l $((rate * (HOLD / 1000 + 10)))
          -buff_size $BUF -default_behaviors all,-abortunexp -recv_timeout 60000 -nostdin -trace_stat -fd 1
          -trace_counts -trace_rtt -rtt_freq 1 -trace_err)
  ( mkdir -p "$dir/in" && cd "$dir/in" && exec timeout $((SECS + 180)) sipp "${common[@]}" -t t1 -i 127.0.0.1 \
      -p $((B + 10)) 127.0.0.1:$ST_IN > uac.out 2>&1 ) &
  in_job=$!
  ( mkdir -p "$dir/out" && cd "$dir/out" && exec timeout $((SECS + 180)) sipp "${common[@]}" -t u1 -i 127.0.0.1 \
      -p $((B + 11)) 127.0.0.1:$INSIDE > uac.out 2>&1 ) &
  out_job=$!
  wait $in_job || true
  wait $out_job || true

  kill $tg 2>/dev/null || true   # SIGTERM: a drain, with nothing left in flight
  for _ in $(seq 100); do kill -0 $tg 2>/dev/null || break; sleep 0.2; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pids=()
  sleep 1

  for way in in out; do
    python3 - "$dir/$way" "$rate" "$way" "$n" <<'PY'
import csv, glob, sys
d, rate, way, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def rows(pattern):
    f = glob.glob(d + "/" + pattern)
    if not f:
        return []
    # SIPp puts tabs inside its date fields: split lines, then ';'
    return [l.rstrip("\n").split(";") for l in open(f[0], encoding="latin-1") if l.strip()]
stat = rows("*_.csv")
head, last = stat[0], stat[-1]
col = lambda name: int(float(last[head.index(name)])) if name in head else -1
counts = rows("*_counts.csv")
ch = counts[0]
i503 = next(i for i, c in enumerate(ch) if c.endswith("_503_Recv"))
inv_re = next(i for i, c in enumerate(ch) if c.endswith("_INVITE_Retrans"))
i200 = next(i for i, c in enumerate(ch) if c.endswith("_200_Recv"))
def secs(t):
    h, m, s, us = t.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(us) / 1e6
refused = int(counts[-1][i503]); completed = int(counts[-1][i200])
last_refusal = "-"
for r in counts[1:]:
    if int(r[i503]) == refused and refused > 0:
        last_refusal = "%.0f" % secs(r[1]); break
rtt = [(float(r[0]), float(r[1])) for r in rows("*_rtt.csv")[1:] if len(r) >= 2]
times = sorted(t for _, t in rtt)
pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] if times else float("nan")
slow_first = sum(1 for at, t in rtt if at < 10000 and t > 200)
print("| %s | %s | %d | %d | %d | %d | %s | %d | %.0f / %.0f | %d |" % (rate, "inbound" if way == "in" else "outbound",
      n, completed, refused, col("FailedCall(C)"), last_refusal, int(counts[-1][inv_re]), pct(0.5), pct(0.99), slow_first))
PY
  done
  grep -h "refused in the last" "$dir/trunkgate.log" | tail -3 | sed 's/^/    log: /' >&2 || true
  grep -h "call path warmed" "$dir/trunkgate.log" | sed 's/^/    log: /' >&2 || true
done
