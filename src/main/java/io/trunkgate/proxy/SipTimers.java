package io.trunkgate.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;

/**
 * Every timer of the proxy on one timing wheel (10 ms ticks): the transaction timers of RFC 3261 17 (A, B, D, E, F,
 * G, H, K), the 2xx retransmissions of the ACK bridge, the lingering of finished transactions and the dialog sweep.
 * A wheel, not a scheduled pool: thousands of timers per second are set and most are cancelled, each in O(1).
 * What waits a fixed time and is never cancelled (the lingering) is kept in {@link Lingering} rings instead, which
 * the wheel's thread expires every {@link #EXPIRE_MILLIS}.
 * Its one thread comes from Camel's thread factory (named like Camel's own) and ends with the proxy service.
 */
final class SipTimers {

    /** How often the lingering rings are expired: a thing goes at most this much after its time. */
    static final long EXPIRE_MILLIS = 50;

    private final HashedWheelTimer wheel;
    private final List<Lingering<?>> lingering = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    SipTimers(ThreadFactory threads) {
        this.wheel = new HashedWheelTimer(threads, 10, TimeUnit.MILLISECONDS);
    }

    /** A ring of things that each go {@code millis} after they are added, expired on this wheel's thread. */
    synchronized <T> Lingering<T> lingering(long millis, Consumer<T> onExpiry) {
        Lingering<T> ring = new Lingering<>(millis, onExpiry);
        if (lingering.isEmpty()) {
            after(EXPIRE_MILLIS, this::expireLingering);
        }
        lingering.add(ring);
        return ring;
    }

    private void expireLingering() {
        try {
            long now = System.nanoTime();
            for (Lingering<?> ring : lingering) {
                ring.expire(now);
            }
        } finally {
            if (!stopped) {
                try {
                    after(EXPIRE_MILLIS, this::expireLingering);
                } catch (IllegalStateException e) {
                    // the wheel stopped meanwhile: nothing lingers past the proxy service
                }
            }
        }
    }

    Timeout after(long millis, Runnable task) {
        return wheel.newTimeout(t -> task.run(), millis, TimeUnit.MILLISECONDS);
    }

    static void cancel(Timeout t) {
        if (t != null) {
            t.cancel();
        }
    }

    void stop() {
        stopped = true;
        wheel.stop();
    }
}
