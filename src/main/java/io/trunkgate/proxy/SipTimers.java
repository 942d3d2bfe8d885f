package io.trunkgate.proxy;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;

/**
 * Every timer of the proxy on one timing wheel (10 ms ticks): the transaction timers of RFC 3261 17 (A, B, D, E, F,
 * G, H, K), the 2xx retransmissions of the ACK bridge, the lingering of finished transactions and the dialog sweep.
 * A wheel, not a scheduled pool: thousands of timers per second are set and most are cancelled, each in O(1).
 * Its one thread comes from Camel's thread factory (named like Camel's own) and ends with the proxy service.
 */
final class SipTimers {

    private final HashedWheelTimer wheel;

    SipTimers(ThreadFactory threads) {
        this.wheel = new HashedWheelTimer(threads, 10, TimeUnit.MILLISECONDS);
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
        wheel.stop();
    }
}
