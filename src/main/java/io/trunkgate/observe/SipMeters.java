package io.trunkgate.observe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.trunkgate.admission.CallAdmission;
import io.trunkgate.cert.CrlCache;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.ha.HaService;
import io.trunkgate.ha.HaStatus;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.media.relay.DropCause;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.relay.StreamCounters;
import io.trunkgate.routing.HostLiveness;
import io.trunkgate.routing.RemoteHost;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.CamelContext;

/**
 * The meters an operator alerts on (docs/operations.md lists each with its labels), in the application's Micrometer
 * registry: names with the {@code trunkgate_} prefix and the unit, labels kept low-cardinality (trunk, direction,
 * side, role, method or status class, cause; never a Call-ID, a number or an address). Counters the call flow
 * drives are incremented on its thread (a map lookup and an add); the rest are read from the beans at a scrape.
 */
final class SipMeters {

    /** Set-up time buckets (INVITE to final response), seconds. */
    private static final Duration[] SETUP_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60)};

    /** How long the relay's totals read for one scrape serve the other meters of it. */
    private static final long TOTALS_FRESH_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);

    private final MeterRegistry registry;
    private final CamelContext context;
    private static final List<String> TRANSPORTS = List.of("tls", "tcp", "udp");
    /** Message counters by kind, one map per side, transport and direction (in/out): no allocation per message. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<ConcurrentMap<String, Counter>> messages =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(Side.values().length * TRANSPORTS.size() * 2);
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> setupTimers = new ConcurrentHashMap<>();
    /** The relay's totals by side as of the last read: a scrape reads them for a dozen meters, each a pass over every call. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Totals> relayTotals =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(Side.values().length);
    private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Set<String> refusalKinds = ConcurrentHashMap.newKeySet();

    private record Totals(long atNanos, StreamCounters counters) {
    }

    SipMeters(MeterRegistry registry, CamelContext context) {
        this.registry = registry;
        this.context = context;
    }

    // ---------------------------------------------------------------- driven by the call flow

    void message(SipConnection connection, byte[] message, boolean received) {
        String transport = connection.transport();
        Side side = connection.side();
        int t = TRANSPORTS.indexOf(transport);
        if (t < 0) {
            return;
        }
        int slot = (side.ordinal() * TRANSPORTS.size() + t) * 2 + (received ? 1 : 0);
        ConcurrentMap<String, Counter> byKind = messages.get(slot);
        if (byKind == null) {
            messages.compareAndSet(slot, null, new ConcurrentHashMap<>());
            byKind = messages.get(slot);
        }
        String kind = SipKinds.of(message);
        Counter c = byKind.get(kind);
        if (c == null) {
            c = byKind.computeIfAbsent(kind, k -> Counter.builder(received ? "trunkgate.sip.messages.received"
                            : "trunkgate.sip.messages.sent")
                    .description("SIP messages " + (received ? "received" : "sent") + ", by side, transport and method or status class")
                    .tags("side", side.word(), "transport", transport, "message", k).register(registry));
        }
        c.increment();
    }

    void parseRefused(String cause) {
        counter("trunkgate.sip.parse.refusals", "malformed SIP refused (400 to a request, a response dropped), by cause",
                "cause", Causes.parse(cause)).increment();
    }

    void connectionOpened(Side side, boolean client) {
        open(side, client).incrementAndGet();
    }

    void connectionClosed(Side side, boolean client, String reason) {
        open(side, client).decrementAndGet();
        counter("trunkgate.connections.closed", "TLS and TCP connections closed, by side, role and cause", "side", side.word(),
                "role", role(client), "cause", Causes.close(reason)).increment();
    }

    void handshake(boolean client, Throwable failure, boolean mismatch) {
        counter("trunkgate.tls.handshakes", "TLS handshakes by role and outcome", "role", role(client),
                "outcome", failure == null ? "ok" : "failed").increment();
        if (failure != null) {
            counter("trunkgate.tls.handshake.failures", "failed TLS handshakes by role and cause (TLS-2, TLS-4..6, CERT-*)",
                    "role", role(client), "cause", Causes.handshake(failure, mismatch)).increment();
        }
    }

    void callStarted(String trunk, String direction) {
        counter("trunkgate.calls.started", "calls whose INVITE was forwarded, by trunk and direction",
                "trunk", trunk, "direction", direction).increment();
    }

    /** A final response to a call's INVITE went to the caller, {@code setupNanos} after the INVITE. */
    void callAnswered(String trunk, String direction, int status, long setupNanos) {
        if (status < 300) {
            counter("trunkgate.calls.answered", "calls answered (2xx), by trunk and direction", "trunk", trunk,
                    "direction", direction).increment();
        } else {
            counter("trunkgate.calls.failed", "calls that failed, by trunk, direction and final status class", "trunk", trunk,
                    "direction", direction, "status_class", SipKinds.statusClass(status)).increment();
        }
        String key = trunk + '|' + direction;
        Timer setup = setupTimers.get(key);
        if (setup == null) {
            setup = setupTimers.computeIfAbsent(key, k -> Timer.builder("trunkgate.call.setup")
                    .description("call set-up time: INVITE to its final response, by trunk and direction")
                    .tags("trunk", trunk, "direction", direction).serviceLevelObjectives(SETUP_BUCKETS).register(registry));
        }
        setup.record(setupNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private AtomicInteger open(Side side, boolean client) {
        return open.computeIfAbsent(side.word() + '|' + client, k -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("trunkgate.connections.open", n, AtomicInteger::get)
                    .description("TLS (trunk) and TCP (inside) connections open, by side and role")
                    .tags("side", side.word(), "role", role(client)).register(registry);
            return n;
        });
    }

    private static String role(boolean client) {
        return client ? "client" : "server";
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("|", tags);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
        }
        return c;
    }

    // ---------------------------------------------------------------- read from the beans

    /** The meters read from trunkgate's beans at each scrape. */
    void bindGauges(Counts traces, Counts records) {
        gauge("trunkgate.draining", "1 while the gateway drains (SIGTERM): readiness is DOWN", Tags.empty(),
                CallAdmission.class, TrunkgateBeans.CALL_ADMISSION, a -> a.draining() ? 1 : 0);
        Gauge.builder("trunkgate.call.flow.queue.delay", this, m -> bean(CallAdmission.class, TrunkgateBeans.CALL_ADMISSION)
                        .map(a -> a.queueDelayMillis() / 1000.0).orElse(Double.NaN))
                .description("the call flow's queueing delay now (overload shedding)").baseUnit("seconds").register(registry);
        Gauge.builder("trunkgate.tls.certificate.expiry", this, m -> bean(TrunkTls.class, TrunkgateBeans.TRUNK_TLS)
                        .map(t -> t.chain().get(0).getNotAfter().getTime() / 1000.0).orElse(Double.NaN))
                .description("when our certificate expires (CERT-8), seconds since the epoch").baseUnit("timestamp_seconds")
                .register(registry);
        for (boolean ok : new boolean[] {true, false}) {
            FunctionCounter.builder("trunkgate.crl.fetches", this, m -> crls().map(c -> (double) c.fetches(ok)).orElse(0.0))
                    .description("CRL downloads by outcome (CERT-9)").tags("outcome", ok ? "ok" : "failed").register(registry);
        }
        gauge("trunkgate.media.sessions.active", "media relay sessions now", Tags.empty(), MediaRelayService.class,
                TrunkgateBeans.MEDIA_RELAY, r -> r.running() ? r.relay().sessionCount() : Double.NaN);
        gauge("trunkgate.media.ports.free", "media relay ports free for new calls (two RTP/RTCP pairs per call)", Tags.empty(),
                MediaRelayService.class, TrunkgateBeans.MEDIA_RELAY, r -> r.running() ? portsFree(r) : Double.NaN);
        for (Side from : Side.values()) {
            String direction = from == Side.TRUNK ? "trunk_to_inside" : "inside_to_trunk";
            relayed("trunkgate.media.relayed.packets", null, "media packets relayed", direction, from, StreamCounters::forwarded);
            relayed("trunkgate.media.relayed", "bytes", "media bytes relayed", direction, from, StreamCounters::forwardedBytes);
            for (DropCause cause : DropCause.values()) {
                FunctionCounter.builder("trunkgate.media.dropped.packets", this,
                                m -> totals(from).map(t -> (double) t.drops(cause)).orElse(0.0))
                        .description("media packets dropped by the relay, by direction and cause (SRTP authentication,"
                                + " replay, unknown SSRC or MKI, malformed ...)")
                        .tags("direction", direction, "cause", cause.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
            }
        }
        for (String outcome : List.of("sent", "dropped", "failed")) {
            // the state object is this (held by FlowObserver): Micrometer holds it weakly, and a collected one freezes the value
            FunctionCounter.builder("trunkgate.hep.traces", this, m -> traces.count(outcome))
                    .description("SIP traces for the HEP receiver, by outcome: dropped when the queue was full").tags("outcome", outcome)
                    .register(registry);
            FunctionCounter.builder("trunkgate.cdr.records", this, m -> records.count(outcome))
                    .description("call detail records handed to direct:cdr, by outcome").tags("outcome", outcome)
                    .register(registry);
        }
        // HA (issue #18): a write Redis did not take left its call without HA until the next re-sync
        for (boolean ok : new boolean[] {true, false}) {
            FunctionCounter.builder("trunkgate.ha.state.writes", this, m -> ha().map(st -> (double) (ok
                            ? st.writes() : st.failedWrites())).orElse(0.0))
                    .description("call states written to Redis by outcome (failed: Redis down, slow or refusing)")
                    .tags("outcome", ok ? "ok" : "failed").register(registry);
        }
        FunctionCounter.builder("trunkgate.ha.resyncs", this, m -> ha().map(st -> (double) st.resyncs()).orElse(0.0))
                .description("times every live call was written again after Redis came back").register(registry);
        FunctionCounter.builder("trunkgate.ha.takeovers", this, m -> ha().map(st -> (double) st.takeovers()).orElse(0.0))
                .description("times this instance took the lease and the calls saved in Redis").register(registry);
        Gauge.builder("trunkgate.ha.active", this, m -> ha().map(st -> "active".equals(st.role()) ? 1.0 : 0.0).orElse(0.0))
                .description("1 while this instance holds the HA lease (0 as standby, or with HA off)").register(registry);
        Gauge.builder("trunkgate.ha.degraded", this, m -> ha().map(st -> st.degraded() ? 1.0 : 0.0).orElse(0.0))
                .description("1 while HA is on and Redis does not answer: calls go on without HA").register(registry);
        bean(Router.class, TrunkgateBeans.ROUTER).ifPresent(router -> {
            for (Trunk trunk : router.config().trunks()) {
                Gauge.builder("trunkgate.calls.active", this, m -> bean(CallAdmission.class, TrunkgateBeans.CALL_ADMISSION)
                                .map(a -> (double) a.activeCalls(trunk.id())).orElse(Double.NaN))
                        .description("calls up now (from the INVITE admitted to its end), by trunk").tags("trunk", trunk.id()).register(registry);
                List<RemoteHost> hosts;
                try {
                    hosts = router.remoteHosts(trunk);
                } catch (IOException | RuntimeException e) {
                    continue; // an SRV name that does not resolve now: its hosts are not known
                }
                for (RemoteHost host : hosts) {
                    Gauge.builder("trunkgate.remote.host.up", this, m -> bean(HostLiveness.class, TrunkgateBeans.HOST_LIVENESS)
                                    .map(l -> l.isUp(host) ? 1.0 : 0.0).orElse(Double.NaN))
                            .description("1 while a remote host of a trunk is UP by its OPTIONS probes, 0 while DOWN (ROUTE-5)")
                            .tags("trunk", trunk.id(), "host", host.host()).register(registry);
                }
            }
        });
    }

    /** Refusal kinds seen since the last scrape get their counter (the refusal log names them as they come). */
    void refresh() {
        bean(RefusalLog.class, TrunkgateBeans.REFUSALS).ifPresent(log -> {
            for (String kind : log.totals().keySet()) {
                if (refusalKinds.add(kind)) {
                    FunctionCounter.builder("trunkgate.refusals", log, l -> l.totals().getOrDefault(kind, 0L))
                            .description("requests and connections refused by a limit, overload shedding or a drain, by cause")
                            .tags("cause", kind).register(registry);
                }
            }
        });
    }

    private void relayed(String name, String unit, String description, String direction, Side from,
            ToDoubleFunction<StreamCounters> value) {
        FunctionCounter.builder(name, this, m -> totals(from).map(value::applyAsDouble).orElse(0.0))
                .description(description + ", by direction").baseUnit(unit).tags("direction", direction).register(registry);
    }

    private <T> void gauge(String name, String description, Tags tags, Class<T> type, String bean, Function<T, Number> value) {
        Gauge.builder(name, this, m -> bean(type, bean).map(b -> value.apply(b).doubleValue()).orElse(Double.NaN))
                .description(description).tags(tags).register(registry);
    }

    private java.util.Optional<HaStatus> ha() {
        return bean(HaService.class, TrunkgateBeans.HA_SERVICE).map(HaService::status);
    }

    private java.util.Optional<StreamCounters> totals(Side from) {
        long now = System.nanoTime();
        Totals last = relayTotals.get(from.ordinal());
        if (last != null && now - last.atNanos() < TOTALS_FRESH_NANOS) {
            return java.util.Optional.of(last.counters());
        }
        java.util.Optional<StreamCounters> fresh = bean(MediaRelayService.class, TrunkgateBeans.MEDIA_RELAY)
                .filter(MediaRelayService::running).map(r -> r.relay().totals(from));
        fresh.ifPresent(c -> relayTotals.set(from.ordinal(), new Totals(now, c)));
        return fresh;
    }

    private java.util.Optional<CrlCache> crls() {
        return bean(TrunkTls.class, TrunkgateBeans.TRUNK_TLS).map(TrunkTls::crls);
    }

    static double portsFree(MediaRelayService r) {
        MediaSettings m = r.settings();
        return m.portMax() - m.portMin() + 1 - r.relay().portsInUse();
    }

    private <T> java.util.Optional<T> bean(Class<T> type, String name) {
        return java.util.Optional.ofNullable(context.getRegistry().lookupByNameAndType(name, type));
    }

    /** Counts by outcome of a hand-off (HEP traces, CDRs): sent, dropped, failed. */
    interface Counts {
        double count(String outcome);

        static Counts of(Handoff<?> h) {
            return outcome -> h == null ? 0 : switch (outcome) {
                case "sent" -> h.handled();
                case "dropped" -> h.dropped();
                default -> h.failed();
            };
        }
    }

}
