package io.trunkgate.routing;

/**
 * {@code limits:} of a trunk in trunks.yaml: how many calls it may carry at once and how many new calls per second
 * it takes (both directions together); over either a new INVITE gets 503 with Retry-After, and calls already up are
 * never touched. 0: no limit.
 */
public record TrunkLimits(int maxCalls, int callsPerSecond) {

    public static final TrunkLimits NONE = new TrunkLimits(0, 0);
}
