package io.trunkgate.ha;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

/**
 * The active's lease: the key {@code trunkgate:lease} holding the active instance's id, with an expiry. Taken with
 * {@code SET NX PX} (only when nobody holds it), renewed and released by compare-and-set scripts (only by its holder),
 * so an instance that lost it (paused past the expiry) can never extend or delete another's. Whoever holds it is the
 * active; the standby takes it once it lapses. Runs on the HA thread only.
 */
final class Lease {

    static final String KEY = "trunkgate:lease";

    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisLink redis;
    private final String instanceId;
    private final long millis;

    Lease(RedisLink redis, String instanceId, long millis) {
        this.redis = redis;
        this.instanceId = instanceId;
        this.millis = millis;
    }

    /** True when this instance took the free lease now. @throws Exception when Redis did not answer */
    boolean tryAcquire() throws Exception {
        return "OK".equals(redis.await(c -> c.set(KEY, instanceId, SetArgs.Builder.nx().px(millis))));
    }

    /** True when this instance still held the lease and extended it; false when another holds it or it lapsed. */
    boolean renew() throws Exception {
        Long done = redis.await(c -> c.eval(RENEW, ScriptOutputType.INTEGER, new String[] {KEY}, instanceId,
                Long.toString(millis)));
        return done != null && done == 1L;
    }

    /** Gives the lease up (a clean stop): the standby need not wait for its expiry. */
    void release() throws Exception {
        redis.await(c -> c.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, instanceId));
    }

    /** Who holds it now, or null. */
    String holder() throws Exception {
        return redis.await(c -> c.get(KEY));
    }
}
