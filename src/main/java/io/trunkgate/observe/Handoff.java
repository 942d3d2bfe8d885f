package io.trunkgate.observe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items from the call flow to one worker thread of their own through a bounded queue: {@link #offer} never
 * waits; when the queue is full the item is dropped and counted. How the HEP traces and the call detail records
 * leave the call flow without ever slowing a call.
 */
final class Handoff<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Handoff.class);

    private final String name;
    private final BlockingQueue<T> queue;
    private final Consumer<T> sink;
    private final boolean drainOnStop;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ExecutorService worker;
    private volatile boolean running;

    /**
     * @param name        the worker thread's name (Camel's pattern), e.g. trunkgate-hep
     * @param drainOnStop true: what is queued at stop is still handled (records); false: dropped (traces)
     */
    Handoff(String name, int capacity, Consumer<T> sink, boolean drainOnStop) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.sink = sink;
        this.drainOnStop = drainOnStop;
    }

    /** Queues {@code item} for the worker; false (and counted) when the queue is full or the worker is not running. */
    boolean offer(T item) {
        if (running && queue.offer(item)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    void start(ExecutorServiceManager threads, Object owner) {
        running = true;
        worker = threads.newSingleThreadExecutor(owner, name);
        worker.execute(this::work);
    }

    void stop(ExecutorServiceManager threads) {
        running = false;
        ExecutorService w = worker;
        worker = null;
        if (w != null) {
            threads.shutdownNow(w);
        }
        if (drainOnStop) {
            for (T item = queue.poll(); item != null; item = queue.poll()) {
                handle(item);
            }
        }
        queue.clear();
    }

    private void work() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                handle(queue.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(T item) {
        try {
            sink.accept(item);
            handled.incrementAndGet();
        } catch (RuntimeException e) {
            // one line per power of two: a broken sink must not flood the log
            long n = failed.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("{}: {} item(s) failed so far, the last: {}", name, n, e.toString());
            }
        }
    }

    long handled() {
        return handled.get();
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }
}
