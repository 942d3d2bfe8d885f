package io.trunkgate.ha;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.media.SrtpBridgeProcessor;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.SessionState;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active/standby pair (issue #18 item 2). Every {@code lease-seconds / 3} this instance renews its lease (active)
 * or tries to take it (standby). Taking it, it loads every call in Redis, binds each call's media ports and goes on
 * relaying, and only then starts the listener routes ({@link HaRoutePolicy}); so the first in-dialog request it takes
 * finds its call. Losing it to another instance (this one was paused past the lease), it stops the listeners and lets
 * go of every call without touching their state. Redis unreachable: the active stays active (its calls go on, HA is
 * degraded, writes are counted as failed, every live call is written again when Redis is back: item 3); a standby
 * stays standby (it cannot know the lease). Threads: {@code trunkgate-ha-lease} (the lease and takeovers) and
 * {@code trunkgate-ha-store} (the call store's writes), both from Camel's ExecutorServiceManager, plus Lettuce's two.
 */
public class HaService extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(HaService.class);
    private static final long FLUSH_MILLIS = 20;

    private final HaSettings settings;
    private final Supplier<SrtpBridgeProcessor> bridge;
    private final Supplier<MediaRelayService> relay;
    private final Set<String> listenerRoutes = new CopyOnWriteArraySet<>();
    private final AtomicLong takeovers = new AtomicLong();
    private volatile RedisLink redis;
    private Lease lease;
    private volatile CallStore store;
    private ScheduledExecutorService leaseThread;
    private ScheduledExecutorService storeThread;
    private volatile boolean active;
    private volatile boolean degraded;
    private volatile String standbyReason;
    /** A standby does not try to take the lease before this (System.nanoTime): see {@link #tick}. */
    private long holdOffUntil;
    /** The store's failed writes when every live call was last written again. */
    private long failedAtResync;

    public HaService(HaSettings settings, Supplier<SrtpBridgeProcessor> bridge, Supplier<MediaRelayService> relay) {
        this.settings = settings;
        this.bridge = bridge;
        this.relay = relay;
    }

    public HaSettings settings() {
        return settings;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** True on the instance holding the lease (always true with HA off: a lone instance is active). */
    public boolean active() {
        return !settings.enabled() || active;
    }

    /** The counters and state, for health and metrics. */
    public HaStatus status() {
        if (!settings.enabled()) {
            return new HaStatus(false, "off", false, null, 0, 0, 0, 0, 0);
        }
        RedisLink r = redis;
        CallStore s = store;
        boolean up = r != null && r.isUp();
        return new HaStatus(true, active ? "active" : "standby", up, up || r == null ? null : r.lastError(),
                s == null ? 0 : s.liveCalls(), s == null ? 0 : s.writes(), s == null ? 0 : s.failedWrites(),
                s == null ? 0 : s.resyncs(), takeovers.get());
    }

    // ---------------------------------------------------------------- taken note of by the call flow

    /** The call store, while this instance is active with HA on; else empty (nothing to note). */
    Optional<CallStore> store() {
        CallStore s = store;
        return active && s != null ? Optional.of(s) : Optional.empty();
    }

    /** A listener route: started only while this instance is active (called by {@link HaRoutePolicy}). */
    void manage(String routeId) {
        listenerRoutes.add(routeId);
    }

    // ---------------------------------------------------------------- lease

    private void tick() {
        CamelContext context = getCamelContext();
        if (!context.isStarted() || !isRunAllowed()) {
            return; // the routes are not all there yet: nothing to start
        }
        if (!active && System.nanoTime() < holdOffUntil) {
            return; // Redis was just away: the active takes its lease back first (its calls are not in Redis yet)
        }
        try {
            if (active) {
                if (!lease.renew()) {
                    if (lease.tryAcquire()) { // lapsed while Redis was away or restarted empty: still ours
                        LOG.warn("HA: the lease had lapsed (Redis restarted, or this instance was paused); taken again");
                    } else {
                        stepDown("the lease is held by " + lease.holder());
                        return;
                    }
                }
            } else if (lease.tryAcquire()) {
                takeOver();
            } else if (!"held".equals(standbyReason)) {
                standbyReason = "held";
                LOG.info("HA standby: the lease is held by {}; listeners stay closed until it lapses", lease.holder());
            }
            long failed = store.failedWrites();
            if (degraded || failed != failedAtResync) { // some state was not written: all of it again, now it answers
                if (degraded) {
                    LOG.info("HA no longer degraded: Redis at {} answers again", redis.uri());
                }
                degraded = false;
                failedAtResync = failed;
                store.resync();
            }
        } catch (Exception e) {
            String cause = e.getCause() != null ? e.getCause().toString() : e.toString();
            if (active && !degraded) {
                degraded = true;
                LOG.warn("HA degraded: Redis at {} does not answer ({}); calls go on, their state is written again when it"
                        + " is back", redis.uri(), cause);
            } else if (!active) {
                holdOffUntil = System.nanoTime() + 2 * settings.lease().toNanos();
            }
            if (!active && !"unreachable".equals(standbyReason)) {
                standbyReason = "unreachable";
                LOG.warn("HA standby: Redis at {} does not answer ({}); this instance cannot take the lease meanwhile",
                        redis.uri(), cause);
            }
        }
    }

    /** The lease is ours: every call in Redis restored, then the listeners opened. */
    private void takeOver() throws Exception {
        long start = System.nanoTime();
        store.writing(true);
        List<CallState> calls;
        try {
            calls = store.loadAll();
        } catch (Exception e) {
            store.writing(false); // the lease lapses unrenewed and is taken again at a later tick
            throw e;
        }
        int restored = 0;
        for (CallState call : calls) {
            SessionState media = call.media();
            try {
                bridge.get().restore(call.trunk(), media);
                store.adopt(call);
                restored++;
            } catch (Exception e) {
                LOG.warn("HA: call {} not taken over: {}", media.callId(), e.getMessage());
                store.drop(media.callId());
            }
        }
        active = true;
        standbyReason = null;
        takeovers.incrementAndGet();
        startListeners();
        LOG.info("HA active: instance {} holds the lease; took over {} call(s) of {} in Redis in {} ms", settings.instanceId(),
                restored, calls.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Another instance holds the lease: listeners closed, calls let go (their state is the new active's now). */
    private void stepDown(String why) {
        LOG.warn("HA standby: {}; closing the listeners and letting go of {} call(s)", why, store.liveCalls());
        active = false;
        store.writing(false);
        stopListeners();
        MediaRelayService r = relay.get();
        if (r.isStarted()) {
            r.relay().releaseAll("HA: another instance took over");
        }
    }

    private void startListeners() {
        for (String id : listenerRoutes) {
            try {
                getCamelContext().getRouteController().startRoute(id);
            } catch (Exception e) {
                LOG.error("HA: listener route {} did not start: {}", id, e.toString());
            }
        }
    }

    private void stopListeners() {
        for (String id : listenerRoutes) {
            try {
                getCamelContext().getRouteController().stopRoute(id, 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("HA: listener route {} did not stop: {}", id, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void doStart() {
        if (!settings.enabled()) {
            return;
        }
        ExecutorServiceManager threads = ObjectHelper.notNull(getCamelContext(), "camelContext").getExecutorServiceManager();
        redis = new RedisLink(settings, threads);
        try {
            redis.connect().get(2, TimeUnit.SECONDS); // at start only: the lease's first attempt should find it connected
        } catch (Exception e) {
            LOG.warn("HA: no connection to Redis at {} yet ({}); trying again in the background", settings.redactedUri(),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
        }
        lease = new Lease(redis, settings.instanceId(), settings.lease().toMillis());
        store = new CallStore(redis, settings.instanceId(), callId -> bridge.get().session(callId)
                .flatMap(MediaSession::snapshot));
        MediaRelayService r = relay.get();
        r.onChange(s -> store.changed(s.id()));
        r.onRelease(s -> store.ended(s.id()));
        leaseThread = threads.newSingleThreadScheduledExecutor(this, "trunkgate-ha-lease");
        storeThread = threads.newSingleThreadScheduledExecutor(this, "trunkgate-ha-store");
        long tick = Math.max(100, settings.tick().toMillis());
        leaseThread.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
        storeThread.scheduleWithFixedDelay(() -> {
            try {
                store.flush();
            } catch (RuntimeException e) {
                LOG.warn("HA: writing call states failed: {}", e.toString());
            }
        }, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("HA on: instance {}, Redis at {}, lease {} s; listeners open once this instance holds the lease",
                settings.instanceId(), settings.redactedUri(), settings.lease().toSeconds());
    }

    @Override
    protected void doStop() {
        if (!settings.enabled() || redis == null) {
            return;
        }
        ExecutorServiceManager threads = getCamelContext().getExecutorServiceManager();
        threads.shutdownGraceful(leaseThread, 2000);
        if (active) {
            store.flush(); // the last notes; the media released by the stop after this is not deleted (writing off)
        }
        threads.shutdownGraceful(storeThread, 1000);
        store.writing(false);
        if (active) {
            try {
                lease.release(); // the standby need not wait for the expiry
            } catch (Exception e) {
                LOG.debug("HA: the lease could not be released: {}", e.toString());
            }
        }
        active = false;
        redis.close();
    }
}
