#!/usr/bin/env bash
# Failover time of an HA pair (issue #18): kill -9 of the active instance to the first media packet the standby
# relays, over TRIES kill/takeover cycles, median and maximum.
#
#   two packaged gateways (java -jar target/trunkgate.jar run) on one service address (127.0.0.1), trunkgate.ha.enabled,
#   lease 3 s, Debian's redis-server on loopback; per try: one call from a TLS carrier with libsrtp media (python3-pylibsrtp)
#   to a UDP PBX, media both ways, its state in Redis; kill -9 the active; the carrier sends a packet every 20 ms until
#   the PBX gets one through the standby; media both ways again, BYE; the killed instance comes back as the standby.
#
# The run is FailoverIT#failover_time_kill_to_first_relayed_packet (skipped in the normal suite); its result line is
# printed at the end. Usage: bench/ha-failover.sh [TRIES]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIES=${1:-10}
mvn -B -o -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='FailoverIT#failover_time_kill_to_first_relayed_packet' -Dha.failover.tries="$TRIES"
grep -h "FailoverIT bench" target/failsafe-reports/io.trunkgate.ha.FailoverIT-output.txt
