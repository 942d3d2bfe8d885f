package io.trunkgate.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;

/**
 * The call flow's queueing delay: the call flow runs on the event loops that read the messages, so a message waits
 * as long as its loop is behind. Each loop that carries the call flow gets a sample task every {@code period}; how
 * late it runs is how long a message arriving then waits before it is processed. A loop whose sample has not run
 * yet is as late as its sample is overdue, so a loop stuck for seconds shows as such at once.
 */
final class LoopLag {

    private final long periodNanos;
    private final Map<EventExecutor, Sample> loops = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    private static final class Sample {
        volatile long due;
        volatile long lastLag;
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

    /** The largest delay of any watched loop now, in nanoseconds. */
    long nanos() {
        long now = System.nanoTime();
        long worst = 0;
        for (Sample s : loops.values()) {
            worst = Math.max(worst, Math.max(s.lastLag, now - s.due));
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
                s.lastLag = Math.max(0, System.nanoTime() - s.due);
                schedule(loop, s);
            }, periodNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            loops.remove(loop); // the loop is shutting down
        }
    }
}
