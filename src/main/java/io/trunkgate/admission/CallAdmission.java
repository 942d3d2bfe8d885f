package io.trunkgate.admission;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.util.concurrent.EventExecutor;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.limits.TokenBucket;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.proxy.ProxyCore;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import io.trunkgate.routing.TrunkLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which new calls the gateway takes (the service {@code callAdmission}, asked by the step {@code admission}), so
 * that the calls it took complete instead of all slowing down together:
 * <ol>
 * <li>draining (SIGTERM): no new call at all;</li>
 * <li>overload: the call flow's queueing delay over {@code trunkgate.overload.max-queue-delay} (a message waiting
 * that long is retransmitted by its sender at T1), or the media port range filled to
 * {@code trunkgate.overload.media-fill} percent by calls (the next calls would find no port);</li>
 * <li>limits: calls at once and new calls per second, gateway-wide ({@code trunkgate.limits.*}) and per trunk
 * (trunks.yaml {@code limits:}).</li>
 * </ol>
 * A call counts from its admitted INVITE until the proxy says it ended (its BYE answered, its INVITE failed, or its
 * dialog swept away): calls already up are never refused anything. The drain waits for that count to reach 0.
 */
public class CallAdmission extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(CallAdmission.class);
    /** How often the queueing delay of each event loop is sampled. */
    private static final long LAG_SAMPLE_MILLIS = 20;

    /**
     * Why a new call was refused.
     *
     * @param kind    what and why, without variable parts: the refusal log counts by it
     * @param detail  what varies (the trunk, the delay): kept as an example in the refusal log
     * @param warning the Warning text of the 503, for the caller's operator
     */
    public record Refusal(String kind, String detail, String warning) {
    }

    private final AdmissionSettings settings;
    private final Supplier<Router> router;
    private final Supplier<ProxyCore> proxy;
    private final Supplier<MediaRelayService> media;
    private final LoopLag lag = new LoopLag(LAG_SAMPLE_MILLIS);
    private final ConcurrentMap<String, String> calls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> perTrunk = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TokenBucket> trunkRates = new ConcurrentHashMap<>();
    private final TokenBucket globalRate;
    private final AtomicInteger total = new AtomicInteger();
    private volatile boolean draining;

    public CallAdmission(AdmissionSettings settings, Supplier<Router> router, Supplier<ProxyCore> proxy,
            Supplier<MediaRelayService> media) {
        this.settings = settings;
        this.router = router;
        this.proxy = proxy;
        this.media = media;
        this.globalRate = settings.callsPerSecond() > 0 ? TokenBucket.perSecond(settings.callsPerSecond()) : null;
    }

    public AdmissionSettings settings() {
        return settings;
    }

    /**
     * A new call ({@code callId}, an INVITE out of any dialog) on {@code trunkId}, whose message is processed on
     * {@code loop}: null when it is taken (and counted until it ends), else why not.
     */
    public Refusal admit(String callId, String trunkId, EventExecutor loop) {
        if (draining) {
            return new Refusal("INVITE 503: draining", null, "this gateway is shutting down and takes no new calls:"
                    + " try another");
        }
        if (settings.maxQueueDelay().isPresent()) {
            if (loop != null) {
                lag.watch(loop);
            }
            long delay = lag.nanos();
            if (delay > settings.maxQueueDelay().get().toNanos()) {
                long ms = TimeUnit.NANOSECONDS.toMillis(delay);
                // the refusal log's examples count how far over: in steps of 100 ms
                return new Refusal("INVITE 503: overload, queueing delay over trunkgate.overload.max-queue-delay",
                        ms / 100 * 100 + "+ ms", "overloaded (messages wait " + ms + " ms): calls in progress come first");
            }
        }
        if (settings.mediaFill() > 0) {
            int fill = mediaFill();
            if (fill >= settings.mediaFill()) {
                return new Refusal("INVITE 503: overload, media port range over trunkgate.overload.media-fill",
                        fill + "%", "overloaded (media ports " + fill + "% used): calls in progress come first");
            }
        }
        TrunkLimits limits = router.get().config().trunk(trunkId).map(Trunk::limits).orElse(TrunkLimits.NONE);
        synchronized (this) {
            if (calls.containsKey(callId)) {
                return null; // counted already (its INVITE came again as a new transaction)
            }
            if (settings.maxCalls() > 0 && total.get() >= settings.maxCalls()) {
                return new Refusal("INVITE 503: over trunkgate.limits.max-calls", null, "this gateway carries its"
                        + " most calls at once (" + settings.maxCalls() + ")");
            }
            AtomicInteger onTrunk = perTrunk.computeIfAbsent(trunkId, t -> new AtomicInteger());
            if (limits.maxCalls() > 0 && onTrunk.get() >= limits.maxCalls()) {
                return new Refusal("INVITE 503: over the trunk's limits.max-calls", trunkId, "trunk " + trunkId
                        + " carries its most calls at once (" + limits.maxCalls() + ")");
            }
            if (limits.callsPerSecond() > 0 && !trunkRates.computeIfAbsent(trunkId,
                    t -> TokenBucket.perSecond(limits.callsPerSecond())).tryTake()) {
                return new Refusal("INVITE 503: over the trunk's limits.calls-per-second", trunkId, "trunk " + trunkId
                        + " takes at most " + limits.callsPerSecond() + " new calls per second");
            }
            if (globalRate != null && !globalRate.tryTake()) {
                return new Refusal("INVITE 503: over trunkgate.limits.calls-per-second", null, "this gateway takes at"
                        + " most " + settings.callsPerSecond() + " new calls per second");
            }
            calls.put(callId, trunkId);
            onTrunk.incrementAndGet();
            total.incrementAndGet();
        }
        return null;
    }

    /** The call ended (told by the proxy; once or more, or for a call never counted). */
    public void ended(String callId) {
        String trunk = calls.remove(callId);
        if (trunk != null) {
            perTrunk.get(trunk).decrementAndGet();
            total.decrementAndGet();
        }
    }

    /** Calls counted now, all trunks. */
    public int activeCalls() {
        return total.get();
    }

    /** Calls counted now on one trunk. */
    public int activeCalls(String trunkId) {
        AtomicInteger n = perTrunk.get(trunkId);
        return n == null ? 0 : n.get();
    }

    /** The share of the media port range that calls hold now, in percent. */
    int mediaFill() {
        MediaRelayService relay = media.get();
        MediaSettings m = relay.settings();
        int ports = m.portMax() - m.portMin() + 1;
        return (int) (100L * relay.relay().portsInUse() / ports);
    }

    /** The call flow's queueing delay now, in milliseconds (for health and metrics). */
    public long queueDelayMillis() {
        return TimeUnit.NANOSECONDS.toMillis(lag.nanos());
    }

    public boolean draining() {
        return draining;
    }

    /** What a drain found: the calls in flight when it began, and those still up when it gave up. */
    public record DrainOutcome(int inFlight, int cut, Duration waited) {
    }

    /**
     * Drains the gateway (SIGTERM, or a management call): from now on new INVITEs and OPTIONS get 503 with
     * Retry-After (remotes fail over by their own probes), while the calls in flight go on with their media until
     * they end or {@code trunkgate.drain.timeout} passes. Blocks until then; the caller stops the gateway.
     */
    public DrainOutcome drain() throws InterruptedException {
        draining = true;
        long start = System.nanoTime();
        int inFlight = total.get();
        Duration timeout = settings.drainTimeout();
        LOG.info("drain: {} call(s) in flight; new INVITEs and OPTIONS get 503 with Retry-After {} s; waiting up to {} s"
                + " for the calls to end (trunkgate.drain.timeout)", inFlight, settings.retryAfter(), timeout.toSeconds());
        long deadline = start + timeout.toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        while (total.get() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            if (System.nanoTime() - nextReport >= 0) {
                LOG.info("drain: {} call(s) still up", total.get());
                nextReport += TimeUnit.SECONDS.toNanos(10);
            }
        }
        int cut = total.get();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("drain done after {} ms: waited for {} call(s) in flight, {} ended, {} cut at the timeout", waited.toMillis(),
                inFlight, Math.max(0, inFlight - cut), cut);
        return new DrainOutcome(inFlight, cut, waited);
    }



    @Override
    protected void doStart() throws Exception {
        proxy.get().onCallEnd(this::ended);
        if (settings.warmupCalls() > 0) {
            // before the routes (and so the listeners) start: readiness follows a warm call path
            CallPathWarmup.Outcome warm = CallPathWarmup.run(settings.warmupCalls(), router.get());
            LOG.info("call path warmed with {} synthetic calls in {} ms (trunkgate.warmup.calls)", settings.warmupCalls(),
                    warm.took().toMillis());
        }
    }

    @Override
    protected void doStop() {
        lag.stop();
    }
}
