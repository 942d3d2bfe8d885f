package io.trunkgate.observe;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items from the call flow to one worker thread of their own through a bounded queue: {@link #offer} never
 * waits; when the queue is full the item is dropped and counted. How the HEP traces and the call detail records
 * leave the call flow without ever slowing a call. The queue is lock-free and the worker polls it (a short sleep when
 * it is empty) rather than being woken per item: at 1,000 calls/s the HEP traces alone are ~26,000 items a second,
 * and a wake-up each (a lock and a futex call on the call flow's thread) cost more than the tracing itself.
 * The worker is a thread of its own ({@link #start}) or a task of an event loop ({@link #startOn}), which then
 * sends what one pass took in one go (the HEP traces: one {@code sendmmsg} per pass). Such a loop dozes once its
 * passes found nothing for a second (a pass a second, not 200: an idle gateway's HEP thread took ~2% of a core waking
 * for nothing, docs/benchmarks.md run 91), and the first item offered then wakes it at once.
 */
final class Handoff<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Handoff.class);

    private final String name;
    /** How long the worker sleeps when it found the queue empty (between passes). */
    private final long idleNanos;

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Consumer<T> sink;
    private final boolean drainOnStop;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ExecutorService worker;
    private volatile ScheduledFuture<?> task;
    private volatile boolean running;

    /** Empty passes in a row before the loop dozes, and how long a dozing loop waits when nothing wakes it. */
    static final int DOZE_AFTER_PASSES = 200;
    static final long DOZE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private volatile ScheduledExecutorService loop;
    private BooleanSupplier more;
    private Runnable afterPass;
    /** Set by the loop when it dozes; the offer that clears it wakes the loop. */
    private final AtomicBoolean dozing = new AtomicBoolean();
    private int emptyPasses; // the loop's thread only

    /**
     * @param name        the worker thread's name (Camel's pattern), e.g. trunkgate-hep
     * @param idle        how long the worker sleeps once the queue is empty: a longer pause takes more items per pass,
     *                    run back to back with the code and data still in the core's caches (woken every 2 ms, the
     *                    CDR thread took ~55 us per record at 800 calls/s where the same steps take ~10 us in a loop)
     * @param drainOnStop true: what is queued at stop is still handled (records); false: dropped (traces)
     */
    Handoff(String name, Duration idle, int capacity, Consumer<T> sink, boolean drainOnStop) {
        this.name = name;
        this.idleNanos = idle.toNanos();
        this.capacity = Math.max(1, capacity);
        this.sink = sink;
        this.drainOnStop = drainOnStop;
    }

    /** Queues {@code item} for the worker; false (and counted) when the queue is full or the worker is not running. */
    boolean offer(T item) {
        if (!running) {
            dropped.incrementAndGet();
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.offer(item);
        if (dozing.get() && dozing.compareAndSet(true, false)) {
            ScheduledExecutorService l = loop;
            if (l != null) {
                l.execute(this::wake); // once per idle spell: the loop's wake-up costs this thread a system call
            }
        }
        return true;
    }

    void start(ExecutorServiceManager threads, Object owner) {
        running = true;
        worker = threads.newSingleThreadExecutor(owner, name);
        worker.execute(this::work);
    }

    /**
     * Runs the worker as a task of {@code loop}, a pass every idle period: each pass hands every queued item to the
     * sink, then runs {@code afterPass} (a flush), unless {@code more} says to stop early (a full socket buffer).
     */
    void startOn(ScheduledExecutorService loop, BooleanSupplier more, Runnable afterPass) {
        this.more = more;
        this.afterPass = afterPass;
        this.loop = loop;
        running = true;
        task = loop.schedule(this::pass, idleNanos, TimeUnit.NANOSECONDS);
    }

    /** On the loop: one pass, then the next one scheduled (soon, or a doze after a second of empty passes). */
    private void pass() {
        if (!running) {
            return;
        }
        int taken = 0;
        T item;
        while (more.getAsBoolean() && (item = queue.poll()) != null) {
            handle(item);
            taken++;
        }
        long next = idleNanos;
        if (taken > 0) {
            emptyPasses = 0;
            // once per pass: the count is shared with every thread that offers (a contended line per item)
            size.addAndGet(-taken);
            afterPass.run();
        } else if (++emptyPasses >= DOZE_AFTER_PASSES) {
            dozing.set(true);
            // an item offered before the flag was up woke nobody: then no doze (else an offer clears it and wakes us)
            if (queue.isEmpty() || !dozing.compareAndSet(true, false)) {
                next = DOZE_NANOS;
            }
        }
        if (running) {
            task = loop.schedule(this::pass, next, TimeUnit.NANOSECONDS);
        }
    }

    /** On the loop, asked by the offer that ended a doze: the dozing pass is dropped and one runs now. */
    private void wake() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        pass();
    }

    boolean dozing() {
        return dozing.get();
    }

    void stop(ExecutorServiceManager threads) {
        running = false;
        ExecutorService w = worker;
        worker = null;
        if (w != null) {
            threads.shutdownNow(w);
        }
        ScheduledFuture<?> t = task;
        task = null;
        if (t != null) {
            t.cancel(false);
        }
        if (drainOnStop) {
            for (T item = queue.poll(); item != null; item = queue.poll()) {
                size.decrementAndGet();
                handle(item);
            }
        }
        queue.clear();
        size.set(0);
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            T item = queue.poll();
            if (item == null) {
                LockSupport.parkNanos(idleNanos); // returns at once when interrupted (stop)
                continue;
            }
            size.decrementAndGet();
            handle(item);
        }
    }

    private void handle(T item) {
        try {
            sink.accept(item);
            handled.incrementAndGet();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** An item that failed, thrown by the sink or reported later (a send the socket refused): counted and logged. */
    void failed(Throwable e) {
        // one line per power of two: a broken sink must not flood the log
        long n = failed.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("{}: {} item(s) failed so far, the last: {}", name, n, e.toString());
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
