package io.trunkgate.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.trunkgate.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each remote host of the trunks is UP or DOWN, as OPTIONS probes found it (ROUTE-5), as Kamailio's
 * dispatcher marks its destinations: DOWN after {@code down-after} failed probes in a row (no answer, a TLS or
 * certificate failure, an answer {@link AliveCodes} does not count), UP again after {@code up-after} answered ones.
 * A host never probed is UP. New calls skip DOWN hosts while any host of their trunk is UP ({@link HostSelector}).
 * <p>
 * The bean {@code hostLiveness}: the prober writes it, routing reads it, and anything else (health checks, metrics)
 * may read {@link #states()} or listen to transitions; an application may bind its own under the name. Each
 * transition is one log line with the host, the cause and the requirement ID.
 */
public class HostLiveness {

    private static final Logger LOG = LoggerFactory.getLogger(HostLiveness.class);

    public enum State { UP, DOWN }

    /**
     * One host as last probed.
     *
     * @param failures  failed probes in a row (0 after an answered one)
     * @param successes answered probes in a row (0 after a failed one)
     * @param last      the last probe's result in words ("200 OK", "no answer in 5 s", ...); null before any probe
     * @param since     when the host entered its state
     */
    public record HostState(RemoteHost host, State state, int failures, int successes, String last, Instant since) {
    }

    private final int downAfter;
    private final int upAfter;
    private final AliveCodes alive;
    private final ConcurrentMap<RemoteHost, HostState> hosts = new ConcurrentHashMap<>();
    private final List<Consumer<HostState>> listeners = new CopyOnWriteArrayList<>();

    public HostLiveness(int downAfter, int upAfter, AliveCodes alive) {
        this.downAfter = downAfter;
        this.upAfter = upAfter;
        this.alive = alive;
    }

    /** trunkgate.probe.down-after, up-after, alive-codes. */
    public static HostLiveness from(Settings settings) {
        return new HostLiveness(settings.getInt("trunkgate.probe.down-after", 1),
                settings.getInt("trunkgate.probe.up-after", 1),
                AliveCodes.parse("trunkgate.probe.alive-codes", settings.get("trunkgate.probe.alive-codes")));
    }

    private static final HostLiveness ALWAYS_UP = new HostLiveness(Integer.MAX_VALUE, 1, AliveCodes.any());

    /** Every host UP, whatever is reported (routing without probing: tools and tests). */
    public static HostLiveness alwaysUp() {
        return ALWAYS_UP;
    }

    public boolean isUp(RemoteHost host) {
        HostState s = hosts.get(host);
        return s == null || s.state() == State.UP;
    }

    /** A probe got a final response: alive or not by the configured codes. */
    public void answered(RemoteHost host, int status, String reason) {
        String result = status + " " + reason;
        if (alive.alive(status)) {
            succeeded(host, result);
        } else {
            failed(host, "answered " + result + " (not alive by trunkgate.probe.alive-codes=" + alive + ")");
        }
    }

    /** A probe failed: no answer, no connection, a TLS or certificate failure ({@code cause} says which). */
    public void failed(RemoteHost host, String cause) {
        HostState after = probed(host, false, cause);
        if (after == null && LOG.isDebugEnabled()) {
            LOG.debug("OPTIONS probe of {} failed: {}", host, cause);
        } else if (after != null) {
            LOG.warn("remote host {} is DOWN: {} OPTIONS probe(s) in a row failed, the last: {}; new calls skip it"
                    + " while another host of its trunk is UP (ROUTE-5)", host, after.failures(), cause);
        }
    }

    private void succeeded(RemoteHost host, String result) {
        HostState after = probed(host, true, result);
        if (after != null) {
            LOG.info("remote host {} is UP again: {} OPTIONS probe(s) in a row answered, the last {}; new calls go to"
                    + " it again (ROUTE-5)", host, after.successes(), result);
        }
    }

    /** Counts one probe; returns the host's new state when this probe turned it (UP to DOWN or back), else null. */
    private HostState probed(RemoteHost host, boolean alive, String result) {
        boolean[] turned = new boolean[1];
        HostState after = hosts.compute(host, (h, s) -> {
            HostState now = s != null ? s : new HostState(h, State.UP, 0, 0, null, Instant.now());
            int failures = alive ? 0 : now.failures() + 1;
            int successes = alive ? now.successes() + 1 : 0;
            turned[0] = alive ? now.state() == State.DOWN && successes >= upAfter
                    : now.state() == State.UP && failures >= downAfter;
            State state = turned[0] ? (alive ? State.UP : State.DOWN) : now.state();
            return new HostState(h, state, failures, successes, result, turned[0] ? Instant.now() : now.since());
        });
        if (!turned[0]) {
            return null;
        }
        listeners.forEach(l -> l.accept(after));
        return after;
    }

    /** Every host probed so far, by name. */
    public List<HostState> states() {
        List<HostState> out = new ArrayList<>(hosts.values());
        out.sort(Comparator.comparing(s -> s.host().toString()));
        return out;
    }

    /** Told about every transition (UP to DOWN and back), on the thread that recorded the probe. */
    public void onTransition(Consumer<HostState> listener) {
        listeners.add(listener);
    }
}
