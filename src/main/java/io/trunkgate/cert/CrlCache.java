package io.trunkgate.cert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs by distribution point URL (CERT-9), kept until their nextUpdate and refreshed in the background ahead of it,
 * so handshakes find a current CRL without waiting. Downloads run on the cache's own threads; a caller waits at most
 * trunkgate.crl.timeout, and a caller on a Netty event loop does not wait at all.
 */
public final class CrlCache implements AutoCloseable {

    /** How long a CRL without nextUpdate is reused: RFC 5280 requires nextUpdate, so this is a fallback only. */
    static final Duration TTL_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    /** Refresh this long before nextUpdate at most (and a fifth of the CRL's interval at most, one second at least). */
    static final Duration MAX_REFRESH_LEAD = Duration.ofHours(1);
    /** URLs nobody asked for during this long are no longer refreshed (a peer that went away). */
    static final Duration IDLE = Duration.ofHours(24);
    private static final int MAX_URLS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(CrlCache.class);

    /** A cached CRL, or why there is none. */
    record Lookup(CrlEntry entry, String failure) {
        boolean found() {
            return entry != null;
        }
    }

    private final class Slot {
        final String url;
        volatile CrlEntry current;
        volatile Instant lastUsed;
        /** Why the last download failed, and when; null after a download that succeeded. */
        volatile String lastFailure;
        volatile Instant lastFailureAt;
        CompletableFuture<CrlEntry> inflight;

        Slot(String url) {
            this.url = url;
            this.lastUsed = clock.instant();
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final CrlFetcher fetcher;
    private final ExecutorService fetchThreads;
    private final ScheduledExecutorService refreshThread;
    /** True when the threads are this cache's own (standalone tools and tests): close() ends them. */
    private final boolean ownThreads;
    private final Clock clock;
    private final AtomicInteger downloads = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong fetchedOk = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong fetchFailed = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One CRL distribution point as the cache holds it (health and the dev console, CERT-9).
     *
     * @param obtained    when the cached CRL was downloaded; null when none is cached
     * @param nextUpdate  the cached CRL's nextUpdate; null when none (or it has none)
     * @param lastFailure why the last download failed; null when it succeeded
     */
    public record Status(String url, Instant obtained, Instant nextUpdate, String lastFailure, Instant lastFailureAt) {
    }

    /** Every distribution point asked for so far, by URL. */
    public java.util.List<Status> status() {
        return slots.values().stream()
                .map(s -> new Status(s.url, s.current == null ? null : s.current.obtained(),
                        s.current == null ? null : s.current.nextUpdate(), s.lastFailure, s.lastFailureAt))
                .sorted(java.util.Comparator.comparing(Status::url)).toList();
    }

    /** CRL downloads since start that succeeded ({@code ok}) or failed (metrics). */
    public long fetches(boolean ok) {
        return ok ? fetchedOk.get() : fetchFailed.get();
    }

    /** With threads of its own, ended by close(): for tools and tests that run without a Camel context. */
    public CrlCache(Duration timeout) {
        this(timeout, Clock.systemUTC());
    }

    CrlCache(Duration timeout, Clock clock) {
        this(timeout, Executors.newFixedThreadPool(4, daemon("trunkgate-crl-fetch")),
                Executors.newSingleThreadScheduledExecutor(daemon("trunkgate-crl-refresh")), clock, true);
    }

    /** On the gateway's threads (Camel's ExecutorServiceManager), which their owner ends. */
    public CrlCache(Duration timeout, ExecutorService fetchThreads, ScheduledExecutorService refreshThread) {
        this(timeout, fetchThreads, refreshThread, Clock.systemUTC(), false);
    }

    private CrlCache(Duration timeout, ExecutorService fetchThreads, ScheduledExecutorService refreshThread, Clock clock,
            boolean ownThreads) {
        this.clock = clock;
        this.fetchThreads = fetchThreads;
        this.refreshThread = refreshThread;
        this.ownThreads = ownThreads;
        this.fetcher = new CrlFetcher(timeout, fetchThreads);
    }

    /**
     * The CRL of {@code url}: the cached one while it is current, else a download. {@code mayWait} false (event
     * loop): the download starts in the background and the lookup fails at once.
     */
    Lookup lookup(String url, boolean mayWait) {
        Slot slot = slot(url);
        Instant now = clock.instant();
        slot.lastUsed = now;
        CrlEntry cached = slot.current;
        if (cached != null && fresh(cached, now)) {
            return new Lookup(cached, null);
        }
        CompletableFuture<CrlEntry> download = download(slot);
        if (!mayWait) {
            return new Lookup(null, "not cached; download started in the background (not waited for on a Netty"
                    + " event-loop thread)");
        }
        try {
            // the fetcher bounds the download by the timeout; the margin only covers thread hand-over
            return new Lookup(download.get(fetcher.timeout().toMillis() + 250, TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            return new Lookup(null, "download of " + url + " timed out after " + fetcher.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Lookup(null, reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup(null, "interrupted while downloading " + url);
        }
    }

    /** Starts downloads for URLs not yet cached (start-up warm-up for known peers), without waiting. */
    public void prefetch(Collection<String> urls) {
        urls.forEach(u -> {
            Slot s = slot(u);
            if (s.current == null || !fresh(s.current, clock.instant())) {
                download(s);
            }
        });
    }

    /** Downloads done so far (tests: "cached until nextUpdate" means no second download). */
    int downloads() {
        return downloads.get();
    }

    @Override
    public void close() {
        if (ownThreads) {
            refreshThread.shutdownNow();
            fetchThreads.shutdownNow();
        }
    }

    private Slot slot(String url) {
        if (slots.size() >= MAX_URLS && !slots.containsKey(url)) {
            Instant idleSince = clock.instant().minus(IDLE);
            slots.values().removeIf(s -> s.lastUsed.isBefore(idleSince));
        }
        return slots.computeIfAbsent(url, Slot::new);
    }

    private boolean fresh(CrlEntry e, Instant now) {
        Instant next = e.nextUpdate();
        return next != null ? now.isBefore(next) : now.isBefore(e.obtained().plus(TTL_WITHOUT_NEXT_UPDATE));
    }

    /** One download per URL at a time: concurrent handshakes share it. */
    private CompletableFuture<CrlEntry> download(Slot slot) {
        synchronized (slot) {
            if (slot.inflight != null && !slot.inflight.isDone()) {
                return slot.inflight;
            }
            downloads.incrementAndGet();
            CompletableFuture<CrlEntry> f = fetcher.fetch(slot.url).thenApply(crl -> {
                CrlEntry entry = new CrlEntry(crl, slot.url, clock.instant());
                slot.current = entry;
                scheduleRefresh(slot, entry);
                return entry;
            });
            f.whenComplete((entry, error) -> {
                if (error == null) {
                    fetchedOk.incrementAndGet();
                    slot.lastFailure = null;
                } else {
                    fetchFailed.incrementAndGet();
                    slot.lastFailure = reason(error);
                    slot.lastFailureAt = clock.instant();
                }
                if (error != null) {
                    LOG.warn("CRL download of {} failed (CERT-9): {}", slot.url, reason(error));
                    retryWhileCurrent(slot);
                }
            });
            slot.inflight = f;
            return f;
        }
    }

    private void scheduleRefresh(Slot slot, CrlEntry entry) {
        Instant next = entry.nextUpdate();
        Instant now = clock.instant();
        if (next == null || !now.isBefore(next)) {
            return; // stale on arrival: the next lookup downloads again; refreshing in a loop would hammer the server
        }
        Duration interval = Duration.between(entry.thisUpdate(), next);
        Duration lead = clamp(interval.dividedBy(5), Duration.ofSeconds(1), MAX_REFRESH_LEAD);
        long delay = Math.max(0, Duration.between(now, next.minus(lead)).toMillis());
        schedule(slot, delay);
    }

    /** After a failed background refresh, try again while the cached copy is still current. */
    private void retryWhileCurrent(Slot slot) {
        CrlEntry current = slot.current;
        Instant now = clock.instant();
        if (current == null || current.nextUpdate() == null || !now.isBefore(current.nextUpdate())) {
            return;
        }
        Duration left = Duration.between(now, current.nextUpdate());
        schedule(slot, clamp(left.dividedBy(4), Duration.ofSeconds(1), Duration.ofMinutes(5)).toMillis());
    }

    private void schedule(Slot slot, long delayMillis) {
        if (refreshThread.isShutdown()) {
            return;
        }
        refreshThread.schedule(() -> {
            if (slot.lastUsed.isAfter(clock.instant().minus(IDLE)) && slots.get(slot.url) == slot) {
                LOG.debug("refreshing CRL {} ahead of its nextUpdate", slot.url);
                download(slot);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private static String reason(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
            return "download timed out";
        }
        if (t instanceof java.net.ConnectException) {
            return "cannot connect" + (t.getMessage() != null ? ": " + t.getMessage() : " (refused or unreachable)");
        }
        return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage()
                : t.getClass().getSimpleName();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
