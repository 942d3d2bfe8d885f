package io.trunkgate.routing;

import java.util.List;

/**
 * remote: of a trunk: where its proxies are. Exactly one of region (REGION-1, four proxies), hosts (named proxies),
 * srv (a _sips._tcp name, ROUTE-4).
 *
 * @param region the region name, or null
 * @param hosts  the proxy names (of the region, or as listed); empty for srv
 * @param srv    the SRV owner name, or null
 * @param port   the port for region and hosts (5061 unless given, TLS-3); SRV records carry their own
 * @param trust  a trust profile name or a PEM file (resolved against the config folder); null for the role's default
 */
public record Remote(String region, List<String> hosts, String srv, int port, String trust) {
    public Remote {
        hosts = List.copyOf(hosts);
    }
}
