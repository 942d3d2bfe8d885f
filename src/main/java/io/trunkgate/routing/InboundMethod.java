package io.trunkgate.routing;

/** How an inbound request (remote -> inside) picks its trunk; tried in the configured order (routing.inbound). */
public enum InboundMethod {
    /** tgrp and trunk-context of the Request-URI's user part both match (ROUTE-1, URI-4, URI-5). */
    TGRP,
    /** the dialled number matches one of inbound.dnis (ROUTE-2). */
    DNIS,
    /** the Request-URI host is one of inbound.fqdn (ROUTE-3). */
    FQDN;

    private final String word = name().toLowerCase(java.util.Locale.ROOT);

    /** The word used in trunks.yaml, headers and the CLI. */
    public String word() {
        return word;
    }
}
