package io.trunkgate.proxy;

import java.util.function.Consumer;

/**
 * Things that each go the same fixed time after they were added (a finished transaction lingering 64*T1 or T4, an
 * ACK bridge record 64*T1): since every delay is the same, the order added is the order due, and a ring in that
 * order replaces a wheel timeout per thing. At 1,200 calls/s some 100,000 of those timeouts were alive at once; the
 * wheel walked all of them every 5 s and each held a task and a timeout object for the collector to trace. The
 * ring's only work is at its head.
 * <p>
 * {@link #add} is called from any thread; {@link #expire} from one (the SIP timers' thread, a few times a second).
 */
final class Lingering<T> {

    private final long delayNanos;
    private final Consumer<T> onExpiry;
    private long[] due = new long[1024];
    private Object[] items = new Object[1024];
    private int head; // the oldest
    private int size;

    /** @param onExpiry run for each thing once its time is up, on the expiring thread */
    Lingering(long delayMillis, Consumer<T> onExpiry) {
        this.delayNanos = delayMillis * 1_000_000L;
        this.onExpiry = onExpiry;
    }

    /** {@code thing} goes the delay from now. */
    void add(T thing) {
        add(thing, System.nanoTime());
    }

    /** {@code thing} goes the delay after {@code nowNanos} (a {@link System#nanoTime}; tests give their own). */
    synchronized void add(T thing, long nowNanos) {
        if (size == items.length) {
            grow();
        }
        int tail = (head + size) % items.length;
        due[tail] = nowNanos + delayNanos;
        items[tail] = thing;
        size++;
    }

    /** Runs the expiry of everything due at {@code nowNanos}, oldest first; returns how many went. */
    int expire(long nowNanos) {
        int n = 0;
        T next;
        while ((next = poll(nowNanos)) != null) {
            onExpiry.accept(next);
            n++;
        }
        return n;
    }

    synchronized int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private synchronized T poll(long nowNanos) {
        // nanoTime may be added out of order across threads by a few microseconds: the head decides, no harm
        if (size == 0 || due[head] - nowNanos > 0) {
            return null;
        }
        T thing = (T) items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        size--;
        return thing;
    }

    private void grow() {
        long[] d = new long[items.length * 2];
        Object[] t = new Object[items.length * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % items.length;
            d[i] = due[from];
            t[i] = items[from];
        }
        due = d;
        items = t;
        head = 0;
    }
}
