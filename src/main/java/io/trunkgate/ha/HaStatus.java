package io.trunkgate.ha;

/**
 * What the HA service reports, for health and metrics (the lead wires these into Micrometer).
 *
 * @param enabled      {@code trunkgate.ha.enabled}
 * @param role         {@code off}, {@code standby} or {@code active}
 * @param redisUp      the last Redis command succeeded
 * @param lastError    why the last one failed, or null
 * @param liveCalls    calls whose state this instance writes
 * @param writes       call states written
 * @param failedWrites writes and deletes Redis did not take (down, slow, refused): each call went on without HA
 * @param resyncs      times every live call was written again after Redis came back
 * @param takeovers    times this instance took the lease and the calls in Redis
 */
public record HaStatus(boolean enabled, String role, boolean redisUp, String lastError, int liveCalls, long writes,
        long failedWrites, long resyncs, long takeovers) {

    /** HA on, and Redis unreachable: calls go on, but a failover now would lose what changed meanwhile. */
    public boolean degraded() {
        return enabled && !redisUp;
    }
}
