package io.trunkgate.routing;

/** How an outbound request (inside -> remote) picks its trunk; tried in the configured order (routing.outbound). */
public enum OutboundMethod {
    /** the PBX's Request-URI carries tgrp=X (user part) and X is a trunk's tgrp or id; a trunk-context, if given, must match. */
    TGRP,
    /** the dialled number matches one of the trunk's outbound.numbers (the most specific pattern wins). */
    NUMBER,
    /** routing.default-trunk. */
    DEFAULT;

    private final String word = name().toLowerCase(java.util.Locale.ROOT);

    /** The word used in trunks.yaml, headers and the CLI. */
    public String word() {
        return word;
    }
}
