package io.trunkgate.routing;

import java.net.InetAddress;
import java.util.List;

import io.trunkgate.media.sdp.MediaSecurity;

/**
 * One trunk of config/trunks.yaml, validated. Immutable.
 *
 * @param id              unique name
 * @param role            customer (remote = cloud edge) or cloud (remote = customer endpoint)
 * @param tgrp            trunk group label (URI-4), or null
 * @param trunkContext    its namespace (URI-5), lower case; set whenever tgrp is
 * @param sources         inbound.sources: who may send on this trunk (TLS-7)
 * @param dnis            inbound.dnis (ROUTE-2)
 * @param fqdn            inbound.fqdn, lower case (ROUTE-3)
 * @param remote          the remote side (REGION-1, ROUTE-4, ROUTE-5)
 * @param insideTarget    inside.target: the PBX, as a SIP URI
 * @param srtp            media.srtp (SRTP-2)
 * @param outboundNumbers outbound.numbers: PBX-dialled numbers sent on this trunk
 * @param limits          limits: its calls at once and new calls per second
 */
public record Trunk(String id, Role role, String tgrp, String trunkContext, List<AddressRange> sources,
                    List<NumberPattern> dnis, List<String> fqdn, Remote remote, String insideTarget, MediaSecurity srtp,
                    List<NumberPattern> outboundNumbers, TrunkLimits limits) {

    public Trunk {
        sources = List.copyOf(sources);
        dnis = List.copyOf(dnis);
        fqdn = List.copyOf(fqdn);
        outboundNumbers = List.copyOf(outboundNumbers);
    }

    /** TLS-7: the source address is one of the remote's published addresses. */
    public boolean allowsSource(InetAddress source) {
        for (AddressRange r : sources) {
            if (r.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** ROUTE-1: tgrp (case-sensitive, it is user-part text) and trunk-context (a domain: case-insensitive) both match. */
    public boolean matchesTgrp(String uriTgrp, String uriContext) {
        return tgrp != null && tgrp.equals(uriTgrp) && trunkContext.equalsIgnoreCase(uriContext);
    }

    /** ROUTE-2: the best specificity of a matching inbound.dnis pattern, or -1. */
    public int dnisMatch(String number) {
        return bestMatch(dnis, number);
    }

    /** ROUTE-3. */
    public boolean matchesFqdn(String host) {
        if (host == null) {
            return false;
        }
        for (String f : fqdn) {
            if (f.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    /** The best specificity of a matching outbound.numbers pattern, or -1. */
    public int outboundMatch(String number) {
        return bestMatch(outboundNumbers, number);
    }

    private static int bestMatch(List<NumberPattern> patterns, String number) {
        int best = -1;
        for (NumberPattern p : patterns) {
            if (p.matches(number)) {
                best = Math.max(best, p.specificity());
            }
        }
        return best;
    }
}
