package io.trunkgate.routing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;

/**
 * The routing decisions over an immutable {@link RoutingConfig}. Thread-safe; one per gateway, shared by trunkRoute
 * and the proxy (which asks {@link #nextHost} after a connection or TLS failure, a 408 or a 503).
 */
public final class Router {

    private final RoutingConfig config;
    private final HostSelector hosts;

    public Router(RoutingConfig config, SrvResolver srv) {
        this(config, new HostSelector(srv, System::currentTimeMillis));
    }

    public Router(RoutingConfig config, HostSelector hosts) {
        this.config = config;
        this.hosts = hosts;
    }

    public RoutingConfig config() {
        return config;
    }

    /** Every remote host of the trunk (what the OPTIONS prober probes); SRV answers as cached (ROUTE-4). */
    public List<RemoteHost> remoteHosts(Trunk trunk) throws IOException {
        return hosts.hosts(trunk);
    }

    /**
     * Remote -> inside. The methods of routing.inbound are tried in order (default tgrp, dnis, fqdn: ROUTE-1..3); the
     * first method that matches any trunk decides: among its trunks (the most specific DNIS pattern first, then file
     * order) the first whose inbound.sources hold {@code source} wins, and when none does the answer is 403 (TLS-7),
     * without falling through to a weaker method. No match: 404.
     *
     * @param source the sender's address; null skips the source check (the route CLI without --source)
     */
    public RouteDecision inbound(SipUriParts uri, InetAddress source) {
        for (InboundMethod method : config.inboundOrder()) {
            Trunk matched = null;
            int best = -1;
            boolean any = false;
            for (Trunk t : config.trunks()) {
                int score = switch (method) {
                    case TGRP -> t.matchesTgrp(uri.tgrp(), uri.trunkContext()) ? 0 : -1;
                    case DNIS -> t.dnisMatch(uri.number());
                    case FQDN -> t.matchesFqdn(uri.host()) ? 0 : -1;
                };
                if (score < 0) {
                    continue;
                }
                any = true;
                if (score > best && (source == null || t.allowsSource(source))) {
                    matched = t;
                    best = score;
                }
            }
            if (matched != null) {
                return new RouteDecision(Direction.INBOUND, 0, null, null, matched, method.word(), matched.insideTarget(),
                        insideRequestUri(uri, matched.insideTarget()), List.of(), null);
            }
            if (any) {
                String by = method.word();
                return RouteDecision.refused(Direction.INBOUND, 403,
                        "source " + source.getHostAddress() + " is not in inbound.sources of the trunk(s) matched by "
                                + by + " " + describe(method, uri) + " (TLS-7)",
                        "source address " + source.getHostAddress() + " may not send on this trunk (TLS-7)");
            }
        }
        String reason = "no trunk matches " + describe(uri) + " (ROUTE-1..3)";
        return RouteDecision.refused(Direction.INBOUND, 404, reason, reason);
    }

    /**
     * Inside -> remote. The methods of routing.outbound are tried in order (default tgrp, number, default). A tgrp the
     * PBX names that no trunk has is a 404 (it never falls back to another carrier). The Request-URI becomes
     * sip:NUMBER;tgrp=TGRP;trunk-context=CTX@HOST:PORT;transport=tls (ROUTE-1, ROUTE-5), HOST the call's first host.
     */
    public RouteDecision outbound(SipUriParts uri, String callId) {
        if (uri.number() == null) {
            String reason = "the Request-URI has no number in its user part: nothing to dial (URI-1)";
            return RouteDecision.refused(Direction.OUTBOUND, 404, reason, reason);
        }
        for (OutboundMethod method : config.outboundOrder()) {
            Trunk trunk = switch (method) {
                case TGRP -> byTgrp(uri);
                case NUMBER -> byNumber(uri.number());
                case DEFAULT -> config.defaultTrunk().orElse(null);
            };
            if (trunk == null && method == OutboundMethod.TGRP && uri.tgrp() != null) {
                String reason = "no trunk has tgrp " + uri.tgrp()
                        + (uri.trunkContext() == null ? "" : " in trunk-context " + uri.trunkContext()) + " (URI-4)";
                return RouteDecision.refused(Direction.OUTBOUND, 404, reason, reason);
            }
            if (trunk != null) {
                return outboundOn(trunk, method.word(), uri.number(), callId);
            }
        }
        String reason = "no outbound trunk for " + uri.number() + " (no tgrp, no outbound.numbers match, no"
                + " routing.default-trunk)";
        return RouteDecision.refused(Direction.OUTBOUND, 404, reason, reason);
    }

    private RouteDecision outboundOn(Trunk trunk, String method, String number, String callId) {
        List<RemoteHost> plan;
        try {
            plan = hosts.plan(trunk, callId);
        } catch (IOException e) {
            String reason = "trunk " + trunk.id() + ": " + e.getMessage() + " (ROUTE-4)";
            return RouteDecision.refused(Direction.OUTBOUND, 503, reason, "no remote proxy is reachable now");
        }
        if (plan.isEmpty()) {
            String reason = "trunk " + trunk.id() + ": " + trunk.remote().srv() + " has no usable SRV target (ROUTE-4)";
            return RouteDecision.refused(Direction.OUTBOUND, 503, reason, "no remote proxy is reachable now");
        }
        RemoteHost first = plan.get(0);
        return new RouteDecision(Direction.OUTBOUND, 0, null, null, trunk, method, first.uri(),
                remoteRequestUri(trunk, number, first), plan, callId);
    }

    /**
     * The host to try after {@code failedHost} failed (connection or TLS failure, 408, 503) for call {@code callId} on
     * trunk {@code trunkId}; empty when every host was tried. Stateless: the same call always has the same order.
     */
    public Optional<RemoteHost> nextHost(String trunkId, String callId, String failedHost) {
        Optional<Trunk> trunk = config.trunk(trunkId);
        if (trunk.isEmpty()) {
            return Optional.empty();
        }
        try {
            return hosts.after(trunk.get(), callId, failedHost);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The decision moved to the next host after {@code failedHost}, or empty when every host was tried. */
    public Optional<RouteDecision> failover(RouteDecision decision, String failedHost, String number) {
        if (!decision.routed() || decision.direction() != Direction.OUTBOUND) {
            return Optional.empty();
        }
        List<RemoteHost> plan = decision.hosts();
        for (int i = 0; i < plan.size() - 1; i++) {
            if (plan.get(i).host().equalsIgnoreCase(failedHost)) {
                RemoteHost next = plan.get(i + 1);
                return Optional.of(new RouteDecision(Direction.OUTBOUND, 0, null, null, decision.trunk(),
                        decision.method(), next.uri(), remoteRequestUri(decision.trunk(), number, next),
                        plan.subList(i + 1, plan.size()), decision.callId()));
            }
        }
        return Optional.empty();
    }

    /** sip:NUMBER;tgrp=TGRP;trunk-context=CTX@HOST:PORT;transport=tls (ROUTE-1, ROUTE-5, URI-2..5). */
    public static String remoteRequestUri(Trunk trunk, String number, RemoteHost host) {
        StringBuilder b = new StringBuilder(96).append("sip:").append(SipUriParser.escapeUser(number, false));
        if (trunk.tgrp() != null) {
            b.append(";tgrp=").append(SipUriParser.escapeUser(trunk.tgrp(), true))
                    .append(";trunk-context=").append(SipUriParser.escapeUser(trunk.trunkContext(), true));
        }
        return b.append('@').append(host.host()).append(':').append(host.port()).append(";transport=tls").toString();
    }

    /**
     * The Request-URI toward the PBX: the inside target with the received user part (number and its parameters, so
     * the PBX still sees tgrp/trunk-context); a target that has its own user part is used as it is.
     */
    static String insideRequestUri(SipUriParts uri, String target) {
        if (uri.user() == null) {
            return target;
        }
        int colon = target.indexOf(':');
        String rest = target.substring(colon + 1);
        if (rest.indexOf('@') >= 0) {
            return target;
        }
        StringBuilder b = new StringBuilder(96).append(target, 0, colon + 1).append(SipUriParser.escapeUser(uri.user(), false));
        for (Map.Entry<String, String> p : uri.userParams().entrySet()) {
            b.append(';').append(SipUriParser.escapeUser(p.getKey(), true));
            if (!p.getValue().isEmpty()) {
                b.append('=').append(SipUriParser.escapeUser(p.getValue(), true));
            }
        }
        return b.append('@').append(rest).toString();
    }

    private Trunk byTgrp(SipUriParts uri) {
        if (uri.tgrp() == null) {
            return null;
        }
        for (Trunk t : config.trunks()) {
            boolean named = uri.tgrp().equals(t.tgrp()) || uri.tgrp().equals(t.id());
            boolean context = uri.trunkContext() == null || uri.trunkContext().equalsIgnoreCase(t.trunkContext());
            if (named && context) {
                return t;
            }
        }
        return null;
    }

    private Trunk byNumber(String number) {
        Trunk best = null;
        int score = -1;
        for (Trunk t : config.trunks()) {
            int s = t.outboundMatch(number);
            if (s > score) {
                best = t;
                score = s;
            }
        }
        return best;
    }

    private static String describe(SipUriParts uri) {
        return "tgrp=" + uri.tgrp() + ";trunk-context=" + uri.trunkContext() + ", number " + uri.number() + ", host "
                + uri.host();
    }

    private static String describe(InboundMethod method, SipUriParts uri) {
        return switch (method) {
            case TGRP -> uri.tgrp() + ";trunk-context=" + uri.trunkContext();
            case DNIS -> uri.number();
            case FQDN -> uri.host();
        };
    }
}
