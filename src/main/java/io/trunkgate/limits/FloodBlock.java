package io.trunkgate.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-source request-rate limit that blocks a flooding source for a while, as Kamailio's pike does: requests are
 * counted per source in windows of {@code window}; a source that sends more than {@code maxRequests} in one window
 * is blocked for {@code block}, and the block is extended while it keeps flooding. Thread-safe.
 */
public final class FloodBlock {

    /** What to do with one request. */
    public enum Verdict { PASS, BLOCKED_NOW, BLOCKED }

    private final int maxRequests;
    private final long windowNanos;
    private final long blockNanos;
    private final ConcurrentMap<InetAddress, Source> sources = new ConcurrentHashMap<>();
    private final AtomicInteger checks = new AtomicInteger();

    private static final class Source {
        long windowStart;
        int count;
        boolean blocking;
        long blockedUntil;

        Source(long now) {
            windowStart = now;
        }

        boolean blockedAt(long now) {
            return blocking && now - blockedUntil < 0;
        }
    }

    public FloodBlock(int maxRequests, Duration window, Duration block) {
        this.maxRequests = maxRequests;
        this.windowNanos = window.toNanos();
        this.blockNanos = block.toNanos();
    }

    /** Counts one request from {@code source}: PASS, BLOCKED_NOW (this one crossed the limit) or BLOCKED. */
    public Verdict check(InetAddress source) {
        long now = System.nanoTime();
        if ((checks.incrementAndGet() & 4095) == 0) {
            purge(now);
        }
        Verdict[] verdict = new Verdict[1];
        sources.compute(source, (a, s) -> {
            Source src = s != null ? s : new Source(now);
            if (now - src.windowStart >= windowNanos) {
                src.windowStart = now;
                src.count = 0;
            }
            src.count++;
            boolean blocked = src.blockedAt(now);
            if (src.count > maxRequests) {
                verdict[0] = blocked ? Verdict.BLOCKED : Verdict.BLOCKED_NOW;
                src.blocking = true;
                src.blockedUntil = now + blockNanos; // still flooding: the block goes on
            } else {
                verdict[0] = blocked ? Verdict.BLOCKED : Verdict.PASS;
            }
            return src;
        });
        return verdict[0];
    }

    /** True while {@code source} is blocked. */
    public boolean blocked(InetAddress source) {
        Source s = sources.get(source);
        return s != null && s.blockedAt(System.nanoTime());
    }

    private void purge(long now) {
        for (InetAddress a : sources.keySet()) {
            sources.computeIfPresent(a, (k, s) -> now - s.windowStart >= windowNanos && !s.blockedAt(now) ? null : s);
        }
    }
}
