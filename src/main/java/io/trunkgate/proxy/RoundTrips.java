package io.trunkgate.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.trunkgate.flow.NextHop;

/**
 * The round trip to each UDP next hop, as a request's first response shows it, and the T1 its retransmissions start
 * from: RFC 3261 17.1.1.1 makes T1 "an estimate of the RTT" that may be chosen larger than 500 ms, never smaller;
 * the estimate is TCP's (RFC 6298: smoothed RTT plus four times its variation), floored at {@code trunkgate.sip.t1}
 * and capped at T2.
 * <p>
 * Why it matters: a response is counted when the call flow reads it, so the round trip includes our own backlog. A
 * gateway that falls behind (a cold JIT, a burst) would otherwise resend INVITEs whose 180 and 200 already wait in
 * its socket buffer: the peer gets an INVITE after its 200 (SIPp's UAS then drops the call), and the resends add load
 * exactly when there is too much. With the estimate, resends wait as long as answers currently take.
 * Samples come only from requests sent once (Karn's rule: a response to a resent request is ambiguous); a resend
 * doubles the T1 of the requests after it until a sample comes (Karn's backoff), else a hop slower than T1 would
 * never give a sample.
 */
final class RoundTrips {

    /** Destinations kept: the UDP next hops (PBXs, SBCs) of one gateway are few; past this the table starts over. */
    static final int MAX_DESTINATIONS = 4096;

    private static final class Estimate {
        double srtt = -1;
        double rttvar;
        /** The T1 a resend backed off to, in ms; 0 once a sample came. */
        long backedOff;
    }

    private final long floorMillis;
    private final long capMillis;
    private final Map<String, Estimate> estimates = new ConcurrentHashMap<>();

    RoundTrips(long t1Millis, long t2Millis) {
        this.floorMillis = t1Millis;
        this.capMillis = Math.max(t1Millis, t2Millis);
    }

    /** The T1 to start the retransmissions of a request to {@code hop} from, in ms. */
    long t1(NextHop hop) {
        Estimate e = estimates.get(key(hop));
        if (e == null) {
            return floorMillis;
        }
        double rto;
        synchronized (e) {
            rto = Math.max(e.backedOff, e.srtt < 0 ? floorMillis : e.srtt + 4 * e.rttvar);
        }
        return Math.min(capMillis, Math.max(floorMillis, (long) Math.ceil(rto)));
    }

    /** A request sent once to {@code hop} at {@code sentNanos} got its first response now. */
    void sample(NextHop hop, long sentNanos) {
        double rtt = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentNanos) / 1000.0;
        if (rtt < 0) {
            return;
        }
        Estimate e = estimate(hop);
        synchronized (e) {
            e.backedOff = 0;
            if (e.srtt < 0) { // RFC 6298 2.2
                e.srtt = rtt;
                e.rttvar = rtt / 2;
            } else { // 2.3: beta 1/4, alpha 1/8
                e.rttvar = 0.75 * e.rttvar + 0.25 * Math.abs(e.srtt - rtt);
                e.srtt = 0.875 * e.srtt + 0.125 * rtt;
            }
        }
    }

    /** A request to {@code hop} was resent after waiting {@code t1Millis}: the next ones start from twice that. */
    void backOff(NextHop hop, long t1Millis) {
        Estimate e = estimate(hop);
        synchronized (e) {
            e.backedOff = Math.max(e.backedOff, Math.min(capMillis, 2 * t1Millis));
        }
    }

    private Estimate estimate(NextHop hop) {
        if (estimates.size() >= MAX_DESTINATIONS) {
            estimates.clear();
        }
        return estimates.computeIfAbsent(key(hop), k -> new Estimate());
    }

    private static String key(NextHop hop) {
        return hop.host() + ':' + hop.port();
    }
}
