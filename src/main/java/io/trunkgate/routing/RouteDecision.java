package io.trunkgate.routing;

import java.util.List;
import java.util.Optional;

/**
 * What trunkRoute decided for one request: routed on a trunk, or refused (403, 404, 503).
 *
 * @param direction  inbound or outbound
 * @param status     0 when routed, else the SIP status to answer
 * @param reason     why it was refused, for the operator (log, CLI); null when routed
 * @param warning    the Warning text for the peer: says what is wrong without naming other trunks; null when routed
 * @param trunk      the trunk; null when refused
 * @param method     tgrp, dnis or fqdn (inbound); tgrp, number or default (outbound)
 * @param nextHop    where to send: the inside target (inbound) or the first remote host's URI (outbound)
 * @param requestUri the Request-URI to send
 * @param hosts      outbound: the remote hosts in the order to try them (ROUTE-5); inbound: empty
 * @param callId     the Call-ID the host order was computed for
 */
public record RouteDecision(Direction direction, int status, String reason, String warning, Trunk trunk, String method,
                            String nextHop, String requestUri, List<RemoteHost> hosts, String callId) {

    public RouteDecision {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    static RouteDecision refused(Direction direction, int status, String reason, String warning) {
        return new RouteDecision(direction, status, reason, warning, null, null, null, null, List.of(), null);
    }

    public boolean routed() {
        return trunk != null;
    }

    /** The remote host this decision sends to first (outbound). */
    public Optional<RemoteHost> firstHost() {
        return hosts.isEmpty() ? Optional.empty() : Optional.of(hosts.get(0));
    }

    /** The SIP reason phrase of a refusal. */
    public String reasonPhrase() {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 416 -> "Unsupported URI Scheme";
            case 503 -> "Service Unavailable";
            default -> "Refused";
        };
    }
}
