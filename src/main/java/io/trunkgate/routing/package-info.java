/**
 * Trunks and where calls go (ROUTE-*, REGION-1): trunks.yaml and regions.yaml, validated at start-up, the routing
 * decisions with host spreading and failover over lb01..lb04 and SRV targets (looked up from
 * {@code trunkgate.dns.servers} or the system resolver, docs/scaling.md), which skip the hosts OPTIONS probes
 * found DOWN ({@link io.trunkgate.routing.HostLiveness}, the bean {@code hostLiveness}), and the step {@code trunkRoute}. See
 * docs/configuration-trunks.md. Uses {@code flow}, {@code sip}, {@code media.sdp} (a trunk's media security) and
 * {@code config}.
 */
package io.trunkgate.routing;

