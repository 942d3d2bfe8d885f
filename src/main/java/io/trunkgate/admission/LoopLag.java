package io.trunkgate.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;

/**
 * The call flow's queueing delay: the call flow runs on the event loops that read the messages, so a message waits
 * as long as its loop is behind. Each loop that carries the call flow gets a sample task every {@code period}; how
 * late it runs is how long a message arriving then waits before it is processed.
 * <p>
 * What counts is a delay that lasts: the smallest of the last {@value #WINDOW} samples (a single slow task, such as
 * the first TLS handshake of a cold JVM, is not a backlog), or, for a loop whose sample has not run at all, how
 * far it is overdue beyond those samples' span (a loop stuck for seconds shows as such).
 */
final class LoopLag {

    static final int WINDOW = 5;

    private final long periodNanos;
    private final Map<EventExecutor, Sample> loops = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    private static final class Sample {
        volatile long due;
        /** The last samples' delays, written by the loop only. */
        final long[] recent = new long[WINDOW];
        int next;
        volatile long sustained;
    }

    LoopLag(long periodMillis) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    }

    /** Starts sampling {@code loop} (once; later calls cost a map lookup). */
    void watch(EventExecutor loop) {
        if (!stopped && !loops.containsKey(loop)) {
            loops.computeIfAbsent(loop, l -> {
                Sample s = new Sample();
                schedule(l, s);
                return s;
            });
        }
    }

    /** The largest lasting delay of any watched loop now, in nanoseconds. */
    long nanos() {
        long now = System.nanoTime();
        long span = WINDOW * periodNanos;
        long worst = 0;
        for (Sample s : loops.values()) {
            worst = Math.max(worst, Math.max(s.sustained, now - s.due - span));
        }
        return worst;
    }

    void stop() {
        stopped = true;
        loops.clear();
    }

    private void schedule(EventExecutor loop, Sample s) {
        if (stopped || loop.isShuttingDown()) {
            loops.remove(loop);
            return;
        }
        s.due = System.nanoTime() + periodNanos;
        try {
            loop.schedule(() -> {
                s.recent[s.next] = Math.max(0, System.nanoTime() - s.due);
                s.next = (s.next + 1) % WINDOW;
                long least = Long.MAX_VALUE;
                for (long lag : s.recent) {
                    least = Math.min(least, lag);
                }
                s.sustained = least;
                schedule(loop, s);
            }, periodNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            loops.remove(loop); // the loop is shutting down
        }
    }
}
