package io.trunkgate.limits;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per source address: how many connections it has open (at most {@code maxConnections}) and how fast it may open new
 * ones ({@code perSecond}, each a TLS handshake on the TLS listener). A source without connections and with a full
 * bucket is forgotten, so a scan from many addresses leaves nothing behind. Thread-safe.
 */
public final class SourceCaps {

    /** Why a connection was refused; null when it may open. */
    public enum Refusal { TOO_MANY_CONNECTIONS, TOO_FAST }

    private final int maxConnections;
    private final double perSecond;
    private final ConcurrentMap<InetAddress, Source> sources = new ConcurrentHashMap<>();
    private final AtomicInteger checks = new AtomicInteger();

    private final class Source {
        int open;
        final TokenBucket opening = perSecond > 0 ? TokenBucket.perSecond(perSecond) : null;
    }

    /** @param maxConnections 0: no cap; @param perSecond 0: no rate */
    public SourceCaps(int maxConnections, double perSecond) {
        this.maxConnections = maxConnections;
        this.perSecond = perSecond;
    }

    /** A new connection from {@code source}: counted and null, or the refusal (not counted). */
    public Refusal open(InetAddress source) {
        if ((checks.incrementAndGet() & 1023) == 0) {
            purge();
        }
        Refusal[] refusal = new Refusal[1];
        sources.compute(source, (a, s) -> {
            Source src = s != null ? s : new Source();
            if (maxConnections > 0 && src.open >= maxConnections) {
                refusal[0] = Refusal.TOO_MANY_CONNECTIONS;
            } else if (src.opening != null && !src.opening.tryTake()) {
                refusal[0] = Refusal.TOO_FAST;
            } else {
                src.open++;
            }
            return src;
        });
        return refusal[0];
    }

    /** A connection {@link #open} counted has closed. */
    public void closed(InetAddress source) {
        sources.computeIfPresent(source, (a, s) -> {
            s.open--;
            return s;
        });
    }

    /** Connections open from {@code source}. */
    public int openFrom(InetAddress source) {
        Source s = sources.get(source);
        return s == null ? 0 : s.open;
    }

    private void purge() {
        long now = System.nanoTime();
        for (InetAddress a : sources.keySet()) {
            // under the map's lock for the key, as open and closed change it
            sources.computeIfPresent(a, (k, s) -> s.open <= 0 && (s.opening == null || s.opening.full(now)) ? null : s);
        }
    }
}
