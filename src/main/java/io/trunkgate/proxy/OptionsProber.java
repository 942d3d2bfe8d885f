package io.trunkgate.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.netty.util.Timeout;
import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.routing.HostLiveness;
import io.trunkgate.routing.RemoteHost;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every remote host of every trunk (hosts, a region's lb01..lb04, SRV targets) with OPTIONS every
 * {@code trunkgate.probe.interval}, through the proxy's own client transactions over the verified TLS connections
 * calls use, and tells {@link HostLiveness} what each probe found (ROUTE-5): carriers and the cloud edge build their
 * failover the same way. A host shared by several trunks is probed once per round; each probe leaves at a random
 * moment of the round's first tenth (at most a second), so a hundred hosts are not probed in one burst. The
 * service {@code optionsProber}; its timers run on the proxy's timing wheel.
 */
public class OptionsProber extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(OptionsProber.class);

    private final Supplier<ProxyCore> proxy;
    private final Supplier<Router> router;
    private final Supplier<HostLiveness> liveness;
    private final Optional<Duration> interval;
    private final Duration timeout;
    private volatile boolean running;
    private volatile Timeout nextRound;

    public OptionsProber(Supplier<ProxyCore> proxy, Supplier<Router> router, Supplier<HostLiveness> liveness,
            Optional<Duration> interval, Duration timeout) {
        interval.filter(i -> timeout.compareTo(i) >= 0).ifPresent(i -> {
            throw new ConfigException("trunkgate.probe.timeout", "must be shorter than trunkgate.probe.interval ("
                    + i.toMillis() + " ms), not " + timeout.toMillis() + " ms");
        });
        this.proxy = proxy;
        this.router = router;
        this.liveness = liveness;
        this.interval = interval;
        this.timeout = timeout;
    }

    /** trunkgate.probe.interval (off: no probing) and trunkgate.probe.timeout. */
    public static OptionsProber from(Settings settings, Supplier<ProxyCore> proxy, Supplier<Router> router,
            Supplier<HostLiveness> liveness) {
        return new OptionsProber(proxy, router, liveness, settings.getDurationOrOff("trunkgate.probe.interval"),
                settings.getDuration("trunkgate.probe.timeout"));
    }

    /** The distinct remote hosts of every trunk, and the trunks of each (for the log). */
    Map<RemoteHost, List<String>> hosts() {
        Map<RemoteHost, List<String>> hosts = new LinkedHashMap<>();
        for (Trunk trunk : router.get().config().trunks()) {
            try {
                for (RemoteHost h : router.get().remoteHosts(trunk)) {
                    hosts.computeIfAbsent(h, k -> new java.util.ArrayList<>()).add(trunk.id());
                }
            } catch (IOException e) {
                LOG.warn("trunk {}: its SRV targets cannot be had to probe them: {} (ROUTE-4)", trunk.id(), e.getMessage());
            }
        }
        return hosts;
    }

    private void round() {
        if (!running) {
            return;
        }
        long period = interval.orElseThrow().toMillis();
        SipTimers timers = proxy.get().timers();
        long spread = Math.max(1, Math.min(1000, period / 10));
        for (RemoteHost host : hosts().keySet()) {
            timers.after(ThreadLocalRandom.current().nextLong(spread), () -> probe(host));
        }
        nextRound = timers.after(period, this::round);
    }

    /** One probe of {@code host}; its outcome goes to {@link HostLiveness}. */
    public void probe(RemoteHost host) {
        if (!running) {
            return;
        }
        proxy.get().options(new NextHop(host.host(), host.port(), "tls", Side.TRUNK), timeout.toMillis())
                .whenComplete((answer, error) -> {
                    if (answer != null) {
                        liveness.get().answered(host, answer.getStatusCode(), answer.getReasonPhrase());
                    } else {
                        liveness.get().failed(host, error.getMessage());
                    }
                });
    }



    @Override
    protected void doStart() {
        if (interval.isEmpty()) {
            LOG.info("OPTIONS probing of remote hosts is off (trunkgate.probe.interval=off): a dead host is found by"
                    + " the calls that fail over from it (ROUTE-5)");
            return;
        }
        running = true;
        Map<RemoteHost, List<String>> hosts = hosts();
        LOG.info("OPTIONS probing of {} remote host(s) every {} s, timeout {} ms (ROUTE-5): {}", hosts.size(),
                interval.get().toSeconds(), timeout.toMillis(), hosts.keySet());
        round();
    }

    @Override
    protected void doStop() {
        running = false;
        SipTimers.cancel(nextRound);
    }
}
