#!/usr/bin/env bash
# Proxy call rate, trunkgate vs Kamailio 5.6 (issue #5), in the same run, loopback only.
#
#   SIPp UAC (uac.xml, -t t1: ONE TCP connection) -> stunnel4 client (TLS 1.2, ECDHE-RSA-AES256-GCM-SHA384,
#   secp384r1, chain + host verified) -> proxy TLS listener -> SIPp UAS over UDP (uas.xml)
#
# proxy = trunkgate (`java @config/jvm.options -jar target/trunkgate.jar run`, a generated config dir, media.srtp off: the relay still
# anchors the RTP/AVP SDP) or Kamailio (bench/kamailio/*.in: tls, tm, rr with enable_double_rr, sl, maxfwd,
# textops, siputils; same key, chain and suites; secp384r1 through OPENSSL_CONF; its TLSF memory manager, `-x tlsf`:
# with its default, qm, 64% of Kamailio's CPU went to qm_malloc on the machine of sessions 15-16, docs/benchmarks.md
# run 99; KAM_MEM=qm gives it back). Both run all the time; the
# steps alternate between them so that both see the same machine noise.
#
# 1. ramp: for each rate of RATES (calls/s), SECONDS of calls (rate*SECONDS calls); a proxy passes a step when
#    the UAC and the UAS both end with every call successful, 0 failed, and the calls came at >= 95% of the
#    asked rate (SIPp lagging behind = not sustained). A proxy's ramp stops at its first failed step; its max
#    is the last rate passed.
# 2. half load: both at half the lower max, HALF_ROUNDS rounds; p50/p99 of INVITE -> 200 (the UAC's
#    response time 1, per call from -trace_rtt) computed here.
# CPU per step (utime+stime from /proc, 100 Hz ticks) of the proxy, stunnel and each SIPp shows what limits.
#
# Usage: bench/proxy-vs-kamailio.sh [SECONDS_PER_STEP] [RATES] [HALF_ROUNDS]
#   defaults: 30  100,200,300,400,500,600,700,800,1000,1200  2
#   KEEP=1 keeps the work folder (logs, SIPp files); MAX_MINUTES (default 40) bounds the whole run;
#   KAM_SHM_MB: Kamailio's shared memory (default 1024 MB; with 256 it ran out at 2,000 calls/s);
#   MEDIA_PORTS: each trunkgate's media port range (default 5,000, the shipped range's size: 1,250 calls; up to
#   10,000). configuration.md sizes it 4 x (calls held + calls set up per second) plus a backlog's room: at
#   1,400 calls/s of these 0.2-s calls, 4 x (280 + 1,400) = 6,720 ports before any backlog, more than the default;
#   JVM_OPTIONS names another argument file than config/jvm.options; TG_JAVA_OPTS adds JVM options to trunkgate
#   (e.g. -Xlog:gc or a JFR recording); WARMUP_RATE and WARMUP_SECONDS (default 600/s for 60 s) set the warm-up
#   step run through each proxy before the measured ones; UAS_BUFFER: the UAS's socket buffers in bytes (default
#   the kernel's net.core.rmem_default); OPS=on (issue #14) runs trunkgate with its operations on: the management port
#   scraped every 5 s like a Prometheus server would, SIP traces over HEP v3 to a local receiver (a counting sink; over
#   UDP, or over TCP with HEP_TRANSPORT=tcp), and call detail records to a file; OPS=off (the default) turns the management port off and leaves HEP and
#   CDRs off (their defaults). OPS=both runs two trunkgate processes in the same run, "trunkgate" with operations
#   off and "tg+ops" with them on (each its own ports, media range and stunnel), its steps alternating with theirs
#   and Kamailio's, and ends with the CPU per call of tg+ops over trunkgate at each rate both passed (issue #14's
#   target: at most 1.10). TGB_JAVA_OPTS runs such a second trunkgate, "tg-b", with these JVM options added (and its
#   operations off unless OPS=both): an A/B of one change in the same run, e.g. another routes folder with
#   -Dcamel.main.routes-include-pattern=file:/tmp/b-routes/*.yaml; the last line gives tg-b's CPU per call over
#   trunkgate's. TGB_JAR runs tg-b from another build (e.g. a copy of target/trunkgate.jar before a change, kept inside target/:
#   the jar's manifest class path is relative to it) for an
#   A/B of code in one run; TGB_JAVA_OPTS may then be empty (TGB_JAVA_OPTS=" "). Each step line ends with the UDP datagrams the kernel dropped for a full
#   receive buffer during it (machine-wide; the UDP sockets under load are the UAS's and the proxy's inside one), the
#   seconds the step waited for the machine to settle (see settle(); STEP_GAP=s waits at least s s after the previous
#   step) and the CPU s the other proxies used during it.
#   ROUNDS=n runs each rate's steps n times, alternating (a proxy passes a rate when it passed every round; tg+ops over
#   trunkgate is then the ratio of the rounds' summed CPU: this machine's step-to-step noise is +-1 CPU s per thread).
#   THREADS=1 prints each trunkgate step's CPU and heap allocation by Java thread (bench/java-threads.py: /proc per
#   thread, names and allocated bytes from jcmd; the KB allocated per call is exact where a CPU figure is noisy),
#   and the top three threads of the other trunkgate, idle meanwhile.
#   HA=1 runs trunkgate as the active of an HA pair (issue #18): a redis-server on loopback (password set), every
#   call's state written to it (docs/high-availability.md); Kamailio is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-30}
RATES=${2:-100,200,300,400,500,600,700,800,1000,1200}
HALF_ROUNDS=${3:-2}
ROUNDS=${ROUNDS:-1}
MAX_MINUTES=${MAX_MINUTES:-40}
# the JVM's JIT compiles the call path during the first ~100,000 messages: the warm-up, not recorded, lets both
# proxies reach their steady state before the measured steps (Kamailio, native code, needs none). At 200/s the C2
# compiler still took 4 CPU s of trunkgate's first step at 1,000/s (recompiling what the higher rate deoptimized,
# the first seconds' INVITEs queued up to ~1 s) and both trunkgates failed it; at 600/s it took 0.3-2.4
WARMUP_RATE=${WARMUP_RATE:-600}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
# the UAS's UDP socket buffers (SIPp's -buff_size, 65,535 bytes by default): the kernel's default socket buffer, as
# a PBX that does not set its own has (Asterisk, for one); with 64 KB the UAS itself dropped ACKs at 1,400 calls/s
UAS_BUFFER=${UAS_BUFFER:-$(cat /proc/sys/net/core/rmem_default 2>/dev/null || echo 212992)}
NUMBER=+13175550100
SIPP_DIR=$PWD/src/test/resources/sipp
KAM_TPL=$PWD/bench/kamailio
DEADLINE=$(( $(date +%s) + MAX_MINUTES * 60 ))
HZ=$(getconf CLK_TCK)

need=()
command -v sipp >/dev/null || need+=(sip-tester)
command -v stunnel4 >/dev/null || need+=(stunnel4)
command -v kamailio >/dev/null || need+=(kamailio)
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so ] || need+=(kamailio-tls-modules)
command -v tcpdump >/dev/null || need+=(tcpdump)   # INVITE->200 times come from a loopback capture
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
[ -f target/trunkgate.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d /tmp/proxy-vs-kamailio.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill $(jobs -p) 2>/dev/null || true
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ports: one random block on loopback
B=$((30000 + RANDOM % 2500)) # below Linux's ephemeral ports (32768-) and above the media ranges
TG_TLS=$B; TG_INSIDE=$((B + 1)); TG_UAS=$((B + 2)); TG_ST=$((B + 3))
TGO_TLS=$((B + 40)); TGO_INSIDE=$((B + 41)); TGO_UAS=$((B + 42)); TGO_ST=$((B + 43))
KAM_TLS=$((B + 10)); KAM_UDP=$((B + 11)); KAM_UAS=$((B + 12)); KAM_ST=$((B + 13))
# each trunkgate's media range: MEDIA_PORTS (default 5,000 ports, 1,250 calls, as the shipped range; at most 10,000)
MEDIA_PORTS=${MEDIA_PORTS:-5000}
[ "$MEDIA_PORTS" -ge 8 ] && [ "$MEDIA_PORTS" -le 10000 ] || { echo "MEDIA_PORTS: 8..10000, not $MEDIA_PORTS" >&2; exit 2; }
MEDIA_LOW=$((10000 + (RANDOM % 2) * 10000))
TGO_MEDIA_LOW=$((MEDIA_LOW == 10000 ? 20000 : 10000)) # OPS=both: the second trunkgate's range, as large
TWO=$([ "${OPS:-off}" = both ] || [ -n "${TGB_JAVA_OPTS:-}" ] || [ -n "${TGB_JAR:-}" ] && echo 1 || echo 0)
[ -z "${TGB_JAR:-}" ] || [ -f "$TGB_JAR" ] || { echo "TGB_JAR: no such file: $TGB_JAR" >&2; exit 2; }
[ "$TWO" = 1 ] && [ "${HA:-0}" = 1 ] && { echo "two trunkgates and HA=1 do not mix (one lease, two actives)" >&2; exit 2; }

java -jar target/trunkgate.jar pki dev --out "$work/pki" >/dev/null
PKI=$work/pki

# --- HA=1: trunkgate writes every call's state to a Redis on loopback (issue #18), as the active of a pair ---
HA_OPTS=""
if [ "${HA:-0}" = 1 ]; then
  command -v redis-server >/dev/null 2>&1 || { echo "HA=1 needs redis-server (apt-get install redis-server)" >&2; exit 1; }
  REDIS_PORT=$((B + 30))
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --requirepass bench-secret \
    > "$work/redis.log" 2>&1 &
  pids+=($!)
  HA_OPTS="-Dtrunkgate.ha.enabled=true -Dtrunkgate.ha.redis-uri=redis://:bench-secret@127.0.0.1:$REDIS_PORT -Dtrunkgate.ha.instance-id=bench"
fi

# --- trunkgate (OPS=both: a second one, tg+ops, with its operations on) ---
# tg_config DIR UAS_PORT: the bench trunk, calls from 127.0.0.0/8 to the UAS on UDP, SRTP off (RTP/AVP still anchored)
tg_config() {
  mkdir -p "$1"
  cp config/regions.yaml "$1/"
  cat > "$1/trunks.yaml" <<EOF
routing:
  inbound: [tgrp, dnis, fqdn]
  outbound: [tgrp, number, default]
  default-trunk: bench
trunks:
  - id: bench
    role: customer
    tgrp: bench-tg1
    trunk-context: example.com
    inbound:
      sources: [127.0.0.0/8]
      dnis: ["+1317555*"]
      fqdn: [localhost]
    remote:
      hosts: [localhost]
      port: $((B + 20))
    inside:
      target: "sip:127.0.0.1:$2;transport=udp"
    media:
      srtp: "off"
    outbound:
      numbers: ["+*"]
EOF
}
# ops_opts MGMT_PORT HEP_PORT CDR_DIR -> TG_OPS: the management port scraped every 5 s like a Prometheus server,
# SIP traces over HEP v3 to a sink that counts them (what a Homer capture server takes in), CDRs to a file.
# HEP_TRANSPORT=udp (the default: a datagram per trace) or tcp (the traces on one stream, cut by their length field).
ops_opts() {
  /usr/bin/python3 -c '
import socket, signal, sys
port, out, tcp = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "tcp"
n = 0
def done(*_):
    open(out, "w").write(str(n)); sys.exit(0)
signal.signal(signal.SIGTERM, done)
if not tcp:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4194304)
    s.bind(("127.0.0.1", port))
    while True:
        s.recv(70000); n += 1
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(4)
while True:
    c, _ = s.accept(); buf = b""
    while True:
        d = c.recv(1 << 20)
        if not d:
            break
        buf += d; pos = 0
        while len(buf) - pos >= 6 and len(buf) - pos >= int.from_bytes(buf[pos + 4:pos + 6], "big"):
            pos += int.from_bytes(buf[pos + 4:pos + 6], "big"); n += 1
        buf = buf[pos:]' "$2" "$work/hep-count.txt" "${HEP_TRANSPORT:-udp}" &
  pids+=($!)
  mkdir -p "$3"
  TG_OPS=(-Dtrunkgate.management.port=$1 -Dtrunkgate.hep.address=127.0.0.1:$2 -Dtrunkgate.hep.transport=${HEP_TRANSPORT:-udp}
          -Dtrunkgate.cdr.enabled=true -Dtrunkgate.cdr.dir="$3" -Dtrunkgate.cdr.file=calls.jsonl)
  ( while sleep 5; do curl -s -o /dev/null "http://127.0.0.1:$1/observe/metrics" || true; done ) &
  pids+=($!)
}
# start_tg LOG CONFIG_DIR TLS_PORT INSIDE_PORT MEDIA_LOW -> TG_STARTED (its pid); with TG_OPS and HA_OPTS as set
start_tg() {
  # the media range first: a -D of TG_JAVA_OPTS or TGB_JAVA_OPTS given later wins (java takes a property's last -D)
  java @"${JVM_OPTIONS:-config/jvm.options}" -Dtrunkgate.media.port-range=$5-$(($5 + MEDIA_PORTS - 1)) \
       ${TG_JAVA_OPTS:-} $HA_OPTS "${TG_OPS[@]}" -Dtrunkgate.config.dir="$2" \
       -Dtrunkgate.trunk.host=127.0.0.1 -Dtrunkgate.trunk.port=$3 -Dtrunkgate.inside.port=$4 \
       -Dtrunkgate.tls.certificate="$PKI/server-chain.pem" -Dtrunkgate.tls.private-key="$PKI/server.key" \
       -Dtrunkgate.tls.reload-interval=0 -jar "${TG_JAR:-target/trunkgate.jar}" run > "$1" 2>&1 &
  TG_STARTED=$!; pids+=($TG_STARTED)
}
TG_MGMT=$((B + 30)); TG_HEP=$((B + 31))
tg_config "$work/tg-config" $TG_UAS
TG_OPS=(-Dtrunkgate.management.enabled=false)
[ "${OPS:-off}" = on ] && ops_opts $TG_MGMT $TG_HEP "$work/cdr"
start_tg "$work/trunkgate.log" "$work/tg-config" $TG_TLS $TG_INSIDE $MEDIA_LOW; TG_PID=$TG_STARTED
TGO_PID=""
if [ "$TWO" = 1 ]; then
  tg_config "$work/tgo-config" $TGO_UAS
  TG_OPS=(-Dtrunkgate.management.enabled=false ${TGB_JAVA_OPTS:-})
  [ "${OPS:-off}" = both ] && { ops_opts $TG_MGMT $TG_HEP "$work/cdr"; TG_OPS+=(${TGB_JAVA_OPTS:-}); }
  TG_JAR=${TGB_JAR:-} start_tg "$work/tg-ops.log" "$work/tgo-config" $TGO_TLS $TGO_INSIDE $TGO_MEDIA_LOW; TGO_PID=$TG_STARTED
fi

# --- Kamailio ---
mkdir -p "$work/kam/run"
sed -e "s|@CHAIN@|$PKI/server-chain.pem|" -e "s|@KEY@|$PKI/server.key|" "$KAM_TPL/tls.cfg.in" > "$work/kam/tls.cfg"
sed -e "s|@TLS_PORT@|$KAM_TLS|" -e "s|@UDP_PORT@|$KAM_UDP|" -e "s|@UAS_PORT@|$KAM_UAS|" \
    -e "s|@TLS_CFG@|$work/kam/tls.cfg|" \
    -e "s|@CHILDREN@|${KAM_CHILDREN:-2}|" -e "s|@TCP_CHILDREN@|${KAM_TCP_CHILDREN:-1}|" \
    "$KAM_TPL/kamailio.cfg.in" > "$work/kam/kamailio.cfg"
kamailio -c -f "$work/kam/kamailio.cfg" > "$work/kam/check.log" 2>&1 || { cat "$work/kam/check.log"; exit 1; }
OPENSSL_CONF=$KAM_TPL/openssl.cnf kamailio -DD -E -x ${KAM_MEM:-tlsf} -m ${KAM_SHM_MB:-1024} -M 16 -f "$work/kam/kamailio.cfg" \
     -P "$work/kam/kamailio.pid" -Y "$work/kam/run" > "$work/kamailio.log" 2>&1 &
KAM_PID=$!; pids+=($KAM_PID)

# --- stunnel clients (one per proxy; each carries SIPp's single TCP connection) ---
stunnel_client() { # name accept-port tls-port
  cat > "$work/stunnel-$1.conf" <<EOF
foreground = yes
pid =
output = $work/stunnel-$1.log
debug = 4
[sip-tls]
client = yes
accept = 127.0.0.1:$2
connect = 127.0.0.1:$3
CAfile = $PKI/root.pem
verifyChain = yes
checkHost = localhost
sslVersion = TLSv1.2
ciphers = ECDHE-RSA-AES256-GCM-SHA384
curves = secp384r1
EOF
  stunnel4 "$work/stunnel-$1.conf" > "$work/stunnel-$1.out" 2>&1 &
}
stunnel_client tg $TG_ST $TG_TLS; ST_TG_PID=$!; pids+=($ST_TG_PID)
stunnel_client kam $KAM_ST $KAM_TLS; ST_KAM_PID=$!; pids+=($ST_KAM_PID)
ST_TGO_PID=""
if [ -n "$TGO_PID" ]; then stunnel_client tgo $TGO_ST $TGO_TLS; ST_TGO_PID=$!; pids+=($ST_TGO_PID); fi

# up to 90 s each: two gateways start at once on 2 cores, each warming its call path with 10,000 synthetic calls
# first (trunkgate.warmup.calls); on a slower machine (session 15) that took 30.2 s, past the 30 s waited before
for log in "$work/trunkgate.log" ${TGO_PID:+"$work/tg-ops.log"}; do
  for _ in $(seq 450); do grep -q "trunkgate ready" "$log" && break; sleep 0.2; done
  grep -q "trunkgate ready" "$log" || { tail -30 "$log"; exit 1; }
done
for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$KAM_TLS " && break; sleep 0.2; done
ss -ltn | grep -q "127.0.0.1:$KAM_TLS " || { tail -30 "$work/kamailio.log"; exit 1; }
kill -0 $ST_TG_PID && kill -0 $ST_KAM_PID && { [ -z "$ST_TGO_PID" ] || kill -0 $ST_TGO_PID; }

# datagrams the kernel dropped for a full socket receive buffer, machine-wide (/proc/net/snmp Udp RcvbufErrors)
udp_rcvbuf_drops() { awk '/^Udp:/ {if (!h) {for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1} else print $c}' /proc/net/snmp; }
cpu_of() { # pids... -> CPU ticks (utime+stime) summed; Kamailio: the main process and its children
  local t=0 p
  for p in "$@"; do
    [ -r /proc/$p/stat ] || continue
    t=$(( t + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' /proc/$p/stat) ))
  done
  echo $t
}
proxy_pids() { # name -> pids
  case $1 in tg) echo $TG_PID;; tgo) echo $TGO_PID;; *) echo $KAM_PID $(pgrep -P $KAM_PID | tr '\n' ' ');; esac
}
stunnel_pid() { case $1 in tg) echo $ST_TG_PID;; tgo) echo $ST_TGO_PID;; *) echo $ST_KAM_PID;; esac; }
label() { case $1 in tg) echo trunkgate;; tgo) [ "${OPS:-off}" = both ] && echo tg+ops || echo tg-b;; *) echo kamailio;; esac; }
log_of() { [ "$1" = tgo ] && echo "$work/tg-ops.log" || echo "$work/trunkgate.log"; }
# THREADS=1: the trunkgate that is not stepping, when there are two (for Kamailio's steps: none)
idle_name() { case $1 in tg) [ -z "$TGO_PID" ] || echo tgo;; tgo) echo tg;; esac; }
idle_tg() { local n; n=$(idle_name "$1"); [ -z "$n" ] || proxy_pids "$n"; }
others_of() { local n; for n in tg tgo kam; do [ "$n" = "$1" ] || echo "$(proxy_pids $n)"; done; }
# settle: before each step, wait (at most SETTLE_MAX s, default 20) until the proxies together use under a fifth of
# a core for a whole second (an idle trunkgate takes 3-6% of one). A step leaves work behind (a JVM's collector and
# JIT compiler): without the wait it ran in the next step's first seconds, on the same two cores, whichever proxy that
# step measured. SETTLE_MAX=0 starts each step at once (runs up to 61).
# The quiet second does not cover the lingering transactions: they end 64*T1 = 32 s after their calls, so right after
# a step the machine is quiet and the ends come during the next step, whose first seconds they share with its new
# TLS connection and rate. With three proxies alternating, tg+ops's steps always come after trunkgate's (a JVM's
# ends and the garbage they leave: "other-proxies" 7.1 CPU s in run 74's failed step against 1.1-3.1), trunkgate's after
# Kamailio's. STEP_GAP=s (default 0) starts each step at least s s after the previous one ended: 34 covers them.
settle() {
  local waited=0 c0 c1 all; all="$(proxy_pids tg) $(proxy_pids tgo) $(proxy_pids kam)"
  if [ -n "${R_ENDED:-}" ] && [ "${STEP_GAP:-0}" -gt 0 ]; then
    local left; left=$(awk -v e="$R_ENDED" -v g="$STEP_GAP" -v n="$(date +%s.%N)" 'BEGIN {l = e + g - n; printf "%d", (l > 0 ? l + 0.999 : 0)}')
    [ "$left" -gt 0 ] && sleep "$left"
  fi
  while [ "$waited" -lt "${SETTLE_MAX:-20}" ]; do
    c0=$(cpu_of $all); sleep 1; c1=$(cpu_of $all); waited=$((waited + 1))
    [ $(( (c1 - c0) * 5 )) -lt "$HZ" ] && break
  done
  R_SETTLED=$waited
}

# stat_col FILE COLUMN -> value of that column in the last line of a SIPp -trace_stat CSV
stat_col() {
  awk -F';' -v c="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == c) k = i; next} {v = $k} END {print v + 0}' "$1"
}

# run_step NAME RATE SECONDS -> sets R_OK R_LINE R_RTT (file of INVITE->200 times, ms)
step_no=0
run_step() {
  local name=$1 rate=$2 secs=$3 n=$(( $2 * $3 )) st uas dir
  step_no=$((step_no + 1))
  dir=$work/step-$step_no-$name-$rate; mkdir -p "$dir"
  case $name in tg) st=$TG_ST; uas=$TG_UAS;; tgo) st=$TGO_ST; uas=$TGO_UAS;; *) st=$KAM_ST; uas=$KAM_UAS;; esac
  local log; log=$(log_of "$name")
  local line0 warn0; line0=$(wc -l < "$log"); warn0=$(grep -c " WARN " "$log" || true)
  settle
  local p0 s0 o0; p0=$(cpu_of $(proxy_pids "$name")); s0=$(cpu_of $(stunnel_pid "$name")); o0=$(cpu_of $(others_of "$name"))
  local d0; d0=$(udp_rcvbuf_drops)
  ( cd "$dir" && exec /usr/bin/time -f "%U %S" -o uas.time timeout $((secs + 90)) sipp -sf "$SIPP_DIR/uas.xml" \
      -t u1 -i 127.0.0.1 -p "$uas" -m "$n" -buff_size "$UAS_BUFFER" -nostdin -trace_stat -stf uas-stat.csv -fd 1 -trace_screen \
      -screen_file uas-screen.log -trace_err > uas.out 2>&1 ) &
  local uas_job=$!
  sleep 0.5
  local cap_pid=""
  if [ "${4:-}" = cap ]; then # microsecond INVITE -> 200 from the plain TCP between SIPp and stunnel
    tcpdump -i lo -s 0 -U -B 65536 -w "$dir/sipp.pcap" "tcp port $st" 2> "$dir/tcpdump.err" &
    cap_pid=$!; pids+=($cap_pid)
    for _ in $(seq 50); do grep -q "listening on" "$dir/tcpdump.err" && break; sleep 0.1; done
  fi
  [ "${THREADS:-0}" = 1 ] && [ "$name" != kam ] && /usr/bin/python3 bench/java-threads.py snap "$(proxy_pids "$name")" "$dir/threads.json"
  # the idle trunkgate's threads too: what "other-proxies" spends during the step (runs 85-89: up to 7.9 CPU s)
  local idle=""; [ "${THREADS:-0}" = 1 ] && idle=$(idle_tg "$name")
  [ -n "$idle" ] && /usr/bin/python3 bench/java-threads.py snap "$idle" "$dir/idle-threads.json"
  local t0 t1; t0=$(date +%s.%N)
  ( cd "$dir" && exec /usr/bin/time -f "%U %S" -o uac.time timeout $((secs + 90)) sipp -sf "$SIPP_DIR/uac.xml" \
      -t t1 -i 127.0.0.1 -p $((B + 100 + step_no)) -s "$NUMBER" -m "$n" -r "$rate" -l $(( rate * 10 > 500 ? rate * 10 : 500 )) \
      -recv_timeout 10000 -timer_resol 1 -default_behaviors all,-abortunexp -nostdin -trace_stat -stf uac-stat.csv -fd 1 \
      -trace_rtt -rtt_freq 1 -trace_screen -screen_file uac-screen.log -trace_err \
      "127.0.0.1:$st" > uac.out 2>&1 ) || true
  t1=$(date +%s.%N); R_ENDED=$t1
  wait $uas_job 2>/dev/null || true
  R_CAP=""
  if [ -n "$cap_pid" ]; then
    kill -INT "$cap_pid" 2>/dev/null || true; wait "$cap_pid" 2>/dev/null || true
    local keep=() p; for p in "${pids[@]}"; do [ "$p" = "$cap_pid" ] || keep+=("$p"); done; pids=("${keep[@]}")
    R_CAP=$dir/cap-rtt.txt
    /usr/bin/python3 "$KAM_TPL/sip-latency.py" "$dir/sipp.pcap" "$st" 2> "$dir/cap.err" | sort -n > "$R_CAP" || true
    rm -f "$dir/sipp.pcap"
  fi
  local p1 s1 o1; p1=$(cpu_of $(proxy_pids "$name")); s1=$(cpu_of $(stunnel_pid "$name")); o1=$(cpu_of $(others_of "$name"))
  [ "${THREADS:-0}" = 1 ] && [ "$name" != kam ] &&
    /usr/bin/python3 bench/java-threads.py diff "$(proxy_pids "$name")" "$dir/threads.json" "$n" > "$dir/threads.txt" 2>&1
  [ -n "$idle" ] && /usr/bin/python3 bench/java-threads.py diff "$idle" "$dir/idle-threads.json" > "$dir/idle-threads.txt" 2>&1
  local d1; d1=$(udp_rcvbuf_drops)
  local warn1; warn1=$(grep -c " WARN " "$log" || true)
  local ok_c=0 fail_c=0 ok_s=0 fail_s=0
  [ -f "$dir/uac-stat.csv" ] && { ok_c=$(stat_col "$dir/uac-stat.csv" "SuccessfulCall(C)"); fail_c=$(stat_col "$dir/uac-stat.csv" "FailedCall(C)"); }
  [ -f "$dir/uas-stat.csv" ] && { ok_s=$(stat_col "$dir/uas-stat.csv" "SuccessfulCall(C)"); fail_s=$(stat_col "$dir/uas-stat.csv" "FailedCall(C)"); }
  # per-call INVITE -> 200 (rtd 1): date_ms;response_time_ms;rtd_no
  R_RTT=$dir/rtt1.txt
  cat "$dir"/uac_*_rtt.csv 2>/dev/null | awk -F';' '$3 ~ /1/ && $2 ~ /^[0-9.]+$/ {print $2}' | sort -n > "$R_RTT" || true
  # the rate the calls were placed at: answered calls over the span of their answers (ms dates of the rtt file)
  local achieved
  achieved=$(cat "$dir"/uac_*_rtt.csv 2>/dev/null | awk -F';' '$1 ~ /^[0-9.]+$/ {if (!f || $1 < a) a = $1; if ($1 > b) b = $1; f = 1; n++}
     END {if (n > 1 && b > a) printf "%.1f", (n - 1) * 1000 / (b - a); else print 0}')
  local uac_cpu uas_cpu
  uac_cpu=$(tail -1 "$dir/uac.time" 2>/dev/null | awk '{printf "%.1f", $1 + $2}')
  uas_cpu=$(tail -1 "$dir/uas.time" 2>/dev/null | awk '{printf "%.1f", $1 + $2}')
  local wall; wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  local pcpu scpu ocpu
  pcpu=$(awk -v t=$((p1 - p0)) -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')
  ocpu=$(awk -v t=$((o1 - o0)) -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')
  scpu=$(awk -v t=$((s1 - s0)) -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')
  R_PCPU=$pcpu
  R_OK=0
  if [ "$ok_c" -eq "$n" ] && [ "$fail_c" -eq 0 ] && [ "$ok_s" -eq "$n" ] && [ "$fail_s" -eq 0 ] &&
     awk -v a="$achieved" -v r="$rate" 'BEGIN {exit !(a >= 0.95 * r)}'; then R_OK=1; fi
  local warns=""
  [ "$name" != kam ] && warns=" tg-WARN+$((warn1 - warn0))"
  warns="$warns udp-rcvbuf-drops+$((d1 - d0)) settled ${R_SETTLED}s other-proxies $ocpu"
  R_LINE=$(printf "%-9s rate %5s/s: %s  uac ok %6s fail %4s | uas ok %6s fail %4s | placed at %7s/s | p50 %6s p99 %7s ms | CPU s over %5ss: proxy %5s stunnel %5s sipp-uac %5s sipp-uas %5s%s" \
    "$(label "$name")" "$rate" "$([ $R_OK = 1 ] && echo PASS || echo FAIL)" "$ok_c" "$fail_c" "$ok_s" "$fail_s" \
    "$achieved" "$(pct "$R_RTT" 50)" "$(pct "$R_RTT" 99)" "$wall" "$pcpu" "$scpu" "$uac_cpu" "$uas_cpu" "$warns")
  echo "$R_LINE"
  [ -s "$dir/threads.txt" ] && sed 's/^/          /' "$dir/threads.txt"
  [ -s "$dir/idle-threads.txt" ] && sed -e "1s/^CPU s/$(label "$(idle_name "$name")") (idle): CPU s/" -e 's/^/          /' -e 4q \
    "$dir/idle-threads.txt"
  if [ -n "$R_CAP" ]; then
    echo "          pcap INVITE->200: $(cat "$dir/cap.err"), p50 $(pct "$R_CAP" 50) p99 $(pct "$R_CAP" 99) ms;" \
         "tcpdump: $(grep -h "dropped by kernel" "$dir/tcpdump.err" | tr -d '\n')"
  fi
  if [ "$name" != kam ] && [ $((warn1 - warn0)) -gt 0 ]; then
    { sed -n "$((line0 + 1)),\$p" "$log" | grep " WARN " | sed -E 's/^[^ ]+ [^ ]+ //; s/[0-9]+-[0-9]+@127\.0\.0\.1/CALL-ID/g' | cut -c1-200 \
      | sort | uniq -c | sort -rn | head -5 | sed 's/^/          /'; } || true
  fi
  return 0
}

pct() { # sorted-values-file percentile -> nearest-rank value (ms)
  awk -v q="$2" '{v[NR] = $1} END {if (NR == 0) {print "-"; exit} i = int(q / 100 * NR + 0.999999); if (i < 1) i = 1; printf "%.2f", v[i]}' "$1"
}

echo "trunkgate vs Kamailio, $(nproc) cores, $(date -u +%F), $(java -version 2>&1 | head -1), $(kamailio -v | head -1) (memory: ${KAM_MEM:-tlsf})," \
     "$(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1), $(stunnel4 -version 2>&1 | grep -o 'stunnel [0-9.]*' | head -1), $(openssl version)"
echo "steps of ${SECS}s, rates $RATES, $ROUNDS round(s) each; UAS socket buffers $UAS_BUFFER bytes; HA ${HA:-0}; OPS=${OPS:-off}; work folder $work"
echo "warm-up (not recorded): $WARMUP_SECONDS s at $WARMUP_RATE/s through each"
run_step tg "$WARMUP_RATE" "$WARMUP_SECONDS" >/dev/null; run_step kam "$WARMUP_RATE" "$WARMUP_SECONDS" >/dev/null

[ -n "$TGO_PID" ] && run_step tgo "$WARMUP_RATE" "$WARMUP_SECONDS" >/dev/null
max_tg=0; max_kam=0; max_tgo=0; live_tg=1; live_kam=1; live_tgo=$([ -n "$TGO_PID" ] && echo 1 || echo 0)
ops_cmp=""
add() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a + b}'; }
for rate in ${RATES//,/ }; do
  [ $live_tg = 0 ] && [ $live_kam = 0 ] && [ $live_tgo = 0 ] && break
  if [ "$(date +%s)" -ge "$DEADLINE" ]; then echo "MAX_MINUTES reached: ramp stopped"; break; fi
  # ROUNDS: the three steps of a rate run that many times, alternating; a proxy passes the rate when it passed every
  # round, and the CPU per call of tg+ops over trunkgate is taken over the rounds' sums (each round's in brackets)
  tg_cpu=0; tgo_cpu=0; rounds_cmp=""
  for round in $(seq "$ROUNDS"); do
    tg_ok=0
    if [ $live_tg = 1 ]; then run_step tg "$rate" "$SECS"; if [ $R_OK = 1 ]; then tg_ok=1; tg_cpu=$(add "$tg_cpu" "$R_PCPU"); tg_round=$R_PCPU; else live_tg=0; fi; fi
    if [ $live_tgo = 1 ]; then
      run_step tgo "$rate" "$SECS"
      if [ $R_OK = 1 ]; then tgo_cpu=$(add "$tgo_cpu" "$R_PCPU"); else live_tgo=0; fi
      [ $R_OK = 1 ] && [ $tg_ok = 1 ] && rounds_cmp="$rounds_cmp $(awk -v a="$R_PCPU" -v b="$tg_round" 'BEGIN {printf "%.3f", a / b}')"
    fi
    if [ $live_kam = 1 ]; then run_step kam "$rate" "$SECS"; [ $R_OK = 1 ] || live_kam=0; fi
  done
  [ $live_tg = 1 ] && max_tg=$rate
  [ $live_tgo = 1 ] && max_tgo=$rate
  [ $live_kam = 1 ] && max_kam=$rate
  if [ $live_tg = 1 ] && [ $live_tgo = 1 ]; then
    ops_cmp="$ops_cmp $rate/s $(awk -v a="$tgo_cpu" -v b="$tg_cpu" 'BEGIN {printf "%.3f", a / b}')"
    [ "$ROUNDS" -gt 1 ] && ops_cmp="$ops_cmp [${rounds_cmp# }]"
  fi
done
[ $live_tg = 1 ] && echo "note: trunkgate passed every rate asked: its max is at least $max_tg/s"
[ $live_kam = 1 ] && echo "note: Kamailio passed every rate asked: its max is at least $max_kam/s"
if [ -n "$TGO_PID" ]; then
  b=$(label tgo)
  echo "$b: max call rate, 0 failed: $b $max_tgo/s, trunkgate $max_tg/s, Kamailio $max_kam/s; $b over Kamailio" \
       "$(awk -v a=$max_tgo -v b=$max_kam 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')"
  echo "$b: CPU per call over trunkgate's, at each rate both passed:${ops_cmp:- none}"
fi

low=$(( max_tg < max_kam ? max_tg : max_kam )); half=$(( low / 2 )); [ $half -ge 1 ] || half=10
echo "half load: $half/s (half of the lower max), $HALF_ROUNDS round(s) of ${SECS}s each"
: > "$work/half-tg.txt"; : > "$work/half-kam.txt"; : > "$work/cap-tg.txt"; : > "$work/cap-kam.txt"
for r in $(seq "$HALF_ROUNDS"); do
  if [ "$(date +%s)" -ge "$DEADLINE" ]; then echo "MAX_MINUTES reached: half load stopped"; break; fi
  run_step tg $half "$SECS" cap; cat "$R_RTT" >> "$work/half-tg.txt"; cat "$R_CAP" >> "$work/cap-tg.txt"
  run_step kam $half "$SECS" cap; cat "$R_RTT" >> "$work/half-kam.txt"; cat "$R_CAP" >> "$work/cap-kam.txt"
done
for f in half-tg half-kam cap-tg cap-kam; do sort -n -o "$work/$f.txt" "$work/$f.txt"; done

tg50=$(pct "$work/half-tg.txt" 50); tg99=$(pct "$work/half-tg.txt" 99)
k50=$(pct "$work/half-kam.txt" 50); k99=$(pct "$work/half-kam.txt" 99)
echo
echo "max call rate, 0 failed over ${SECS}s: trunkgate $max_tg/s  Kamailio $max_kam/s  ratio" \
     "$(awk -v a=$max_tg -v b=$max_kam 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}') (target >= 1.0)"
echo "INVITE->200 at $half/s, SIPp -trace_rtt (4 ms steps here) ($(wc -l < "$work/half-tg.txt") / $(wc -l < "$work/half-kam.txt") calls):" \
     "trunkgate p50 $tg50 p99 $tg99 ms | Kamailio p50 $k50 p99 $k99 ms | p99 difference" \
     "$(awk -v a="$tg99" -v b="$k99" 'BEGIN {printf "%+.2f", a - b}') ms"
c50=$(pct "$work/cap-tg.txt" 50); c99=$(pct "$work/cap-tg.txt" 99); ck50=$(pct "$work/cap-kam.txt" 50); ck99=$(pct "$work/cap-kam.txt" 99)
echo "INVITE->200 at $half/s, pcap at SIPp's socket, microseconds ($(wc -l < "$work/cap-tg.txt") / $(wc -l < "$work/cap-kam.txt") calls):" \
     "trunkgate p50 $c50 p99 $c99 ms | Kamailio p50 $ck50 p99 $ck99 ms | p99 difference" \
     "$(awk -v a="$c99" -v b="$ck99" 'BEGIN {printf "%+.2f", a - b}') ms (target <= +1 ms)"
echo "trunkgate WARN lines in the whole run: $(grep -c " WARN " "$work/trunkgate.log" || true)"
if [ "${OPS:-off}" != off ]; then
  m=$(curl -s "http://127.0.0.1:$TG_MGMT/observe/metrics" || true)
  echo "OPS=on: CDR lines $(cat "$work"/cdr/*.jsonl 2>/dev/null | wc -l), HEP traces $(echo "$m" | grep '^trunkgate_hep_traces_total' | tr '\n' ' ')," \
       "CDR records $(echo "$m" | grep '^trunkgate_cdr_records_total' | tr '\n' ' ')"
fi
