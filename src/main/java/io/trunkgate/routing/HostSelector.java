package io.trunkgate.routing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.trunkgate.sip.SipUriParser;

/**
 * Orders a trunk's remote proxies for one call (ROUTE-5): new calls are spread across the hosts, and a failed host
 * (connection or TLS failure, 408, 503) hands the call to the next one.
 * <p>
 * A call's order is a rotation of the host list that starts at a position taken from a hash of its Call-ID, so it
 * is the same every time it is computed: "the host after X for call Y" needs no per-call state, and a retried request
 * of the same call keeps its order. With SRV (ROUTE-4) lower priorities come first and, within one priority, the
 * starting record is picked by weight (RFC 2782); records are cached for a minute, and a stale answer is kept while
 * DNS fails.
 * <p>
 * Hosts that OPTIONS probes found DOWN ({@link HostLiveness}) go after the UP ones: new calls spread over the UP
 * hosts alone, and reach a DOWN host only when every UP one failed them. When every host is DOWN the order is the
 * usual one: probes may be wrong, so the call still tries them all.
 */
public final class HostSelector {

    static final long SRV_CACHE_MILLIS = 60_000;
    /** After a failed lookup the stale answer serves this long before DNS is asked again. */
    static final long SRV_RETRY_MILLIS = 10_000;

    private final SrvResolver resolver;
    private final LongSupplier clock;
    private final Supplier<HostLiveness> liveness;
    private final ConcurrentHashMap<String, Cached> srvCache = new ConcurrentHashMap<>();
    /** Spreads calls that have no Call-ID (the CLI) round-robin. */
    private final AtomicInteger anonymous = new AtomicInteger();

    private record Cached(List<SrvResolver.SrvRecord> records, long expires) {
    }

    /** Every host UP (no probing). */
    public HostSelector(SrvResolver resolver, LongSupplier clock) {
        this(resolver, clock, HostLiveness::alwaysUp);
    }

    /** @param liveness the bean {@code hostLiveness}, read for every new call */
    public HostSelector(SrvResolver resolver, LongSupplier clock, Supplier<HostLiveness> liveness) {
        this.resolver = resolver;
        this.clock = clock;
        this.liveness = liveness;
    }

    /** The order in which to try the trunk's remote hosts for this call; empty when SRV gave no usable target. */
    public List<RemoteHost> plan(Trunk trunk, String callId) throws IOException {
        int spread = callId == null ? anonymous.getAndIncrement() : mix(callId.hashCode());
        Remote remote = trunk.remote();
        HostLiveness live = liveness.get();
        if (remote.srv() == null) {
            List<RemoteHost> all = hosts(trunk);
            List<RemoteHost> up = all.stream().filter(live::isUp).toList();
            if (up.isEmpty() || up.size() == all.size()) {
                return rotate(all, spread);
            }
            // the call's rotation over the UP hosts alone, so they share the DOWN host's calls evenly (ROUTE-5)
            List<RemoteHost> out = new ArrayList<>(rotate(up, spread));
            all.stream().filter(h -> !live.isUp(h)).forEach(out::add);
            return out;
        }
        List<RemoteHost> ordered = srvPlan(srvRecords(remote.srv()), spread);
        List<RemoteHost> out = new ArrayList<>(ordered.size());
        ordered.stream().filter(live::isUp).forEach(out::add);
        if (out.isEmpty()) {
            return ordered;
        }
        ordered.stream().filter(h -> !live.isUp(h)).forEach(out::add);
        return out;
    }

    /**
     * Every remote host of the trunk: its region's four proxies or its hosts, in the order configured, or the usable
     * targets of its SRV records (ROUTE-4, ROUTE-5): what the OPTIONS prober probes.
     */
    public List<RemoteHost> hosts(Trunk trunk) throws IOException {
        Remote remote = trunk.remote();
        if (remote.srv() != null) {
            return srvPlan(srvRecords(remote.srv()), 0);
        }
        return remote.hosts().stream().map(h -> new RemoteHost(h, remote.port())).toList();
    }

    private static List<RemoteHost> rotate(List<RemoteHost> hosts, int spread) {
        int n = hosts.size();
        List<RemoteHost> out = new ArrayList<>(n);
        int start = Math.floorMod(spread, n);
        for (int i = 0; i < n; i++) {
            out.add(hosts.get((start + i) % n));
        }
        return out;
    }

    /** The host to try after {@code failedHost} failed for this call, or empty when it was the last one. */
    public Optional<RemoteHost> after(Trunk trunk, String callId, String failedHost) throws IOException {
        List<RemoteHost> plan = plan(trunk, callId);
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).host().equalsIgnoreCase(failedHost)) {
                return i + 1 < plan.size() ? Optional.of(plan.get(i + 1)) : Optional.empty();
            }
        }
        // a host the call never had (e.g. SRV changed): start the call's order again
        return plan.stream().filter(h -> !h.host().equalsIgnoreCase(failedHost)).findFirst();
    }

    private List<SrvResolver.SrvRecord> srvRecords(String name) throws IOException {
        long now = clock.getAsLong();
        Cached cached = srvCache.get(name);
        if (cached != null && cached.expires > now) {
            return cached.records;
        }
        try {
            List<SrvResolver.SrvRecord> records = List.copyOf(resolver.lookup(name));
            srvCache.put(name, new Cached(records, now + SRV_CACHE_MILLIS));
            return records;
        } catch (IOException e) {
            if (cached != null) {
                // a stale answer beats none while DNS is down; the lookup runs on the caller's thread (an event
                // loop), so while DNS is down one call in SRV_RETRY_MILLIS waits for its timeout, not every call
                srvCache.put(name, new Cached(cached.records, now + SRV_RETRY_MILLIS));
                return cached.records;
            }
            throw e;
        }
    }

    static List<RemoteHost> srvPlan(List<SrvResolver.SrvRecord> records, int spread) {
        List<SrvResolver.SrvRecord> usable = new ArrayList<>();
        for (SrvResolver.SrvRecord r : records) {
            String target = r.target().toLowerCase(Locale.ROOT);
            if (target.length() > 1 && target.endsWith(".")) {
                target = target.substring(0, target.length() - 1); // the DNS root dot is not part of a certificate name
            }
            // "." means no service (RFC 2782); an address cannot be checked against a certificate (CERT-6, CERT-12)
            if (!target.isEmpty() && !target.equals(".") && !SipUriParser.isIpLiteral(target) && r.port() > 0) {
                usable.add(new SrvResolver.SrvRecord(r.priority(), r.weight(), r.port(), target));
            }
        }
        usable.sort(Comparator.comparingInt(SrvResolver.SrvRecord::priority));
        List<RemoteHost> out = new ArrayList<>(usable.size());
        int i = 0;
        while (i < usable.size()) {
            int j = i;
            int total = 0;
            while (j < usable.size() && usable.get(j).priority() == usable.get(i).priority()) {
                total += usable.get(j).weight();
                j++;
            }
            List<SrvResolver.SrvRecord> group = usable.subList(i, j);
            int start = 0;
            if (total > 0) {
                int pick = Math.floorMod(spread, total);
                for (int k = 0; k < group.size(); k++) {
                    pick -= group.get(k).weight();
                    if (pick < 0) {
                        start = k;
                        break;
                    }
                }
            } else {
                start = Math.floorMod(spread, group.size());
            }
            for (int k = 0; k < group.size(); k++) {
                SrvResolver.SrvRecord r = group.get((start + k) % group.size());
                out.add(new RemoteHost(r.target(), r.port()));
            }
            i = j;
        }
        return out;
    }

    /** Spreads similar Call-IDs (call-1, call-2 ...) evenly (the murmur3 finaliser). */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & 0x7fffffff;
    }
}
