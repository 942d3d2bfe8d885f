package io.trunkgate.proxy;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The retransmission and timeout timers of transactions (RFC 3261 17): timers A and E resend a request on UDP at
 * T1, doubling (capped at T2 for a non-INVITE); timers B and F give up after 64*T1; timer G resends a non-2xx final
 * response to an INVITE on UDP until its ACK, timer H gives up on that ACK. Reliable transports (TLS, TCP) get
 * only the timeouts. T1 of a request is the round trip its next hop currently shows ({@link RoundTrips}), never less
 * than {@code trunkgate.sip.t1}; and each resend first goes through our own call flow behind every message received
 * before it ({@link io.trunkgate.flow.SipConnection#afterReceived}), where the answer may sit unread: a UAS that gets
 * the INVITE again after its 200 may give up the call (SIPp's does, docs/benchmarks.md). Timers B and F still bound
 * the transaction. The state a timer reads and changes is the transaction's, under its monitor (see
 * {@link ClientTransaction}).
 */
final class Retransmissions {

    private final SipTimers timers;
    private final ProxyConfig config;
    private final Consumer<ClientTransaction> timedOut;
    private final RoundTrips roundTrips;

    /** @param timedOut told when timer B or F ends a client transaction (outside its monitor) */
    Retransmissions(SipTimers timers, ProxyConfig config, Consumer<ClientTransaction> timedOut) {
        this.timers = timers;
        this.config = config;
        this.timedOut = timedOut;
        this.roundTrips = new RoundTrips(config.t1Millis(), config.t2Millis());
    }

    /**
     * A response came for {@code ct} (the caller holds its monitor): the first one of a request sent once on UDP is a
     * round-trip sample of its next hop.
     */
    void answered(ClientTransaction ct) {
        if (ct.state == ClientTransaction.State.CALLING && ct.sentNanos != 0 && !ct.resent) {
            roundTrips.sample(ct.hop, ct.sentNanos);
        }
    }

    /** The request went out: timer A or E on UDP, timer B or F on every transport. */
    void start(ClientTransaction ct) {
        synchronized (ct) {
            if (ct.state == ClientTransaction.State.COMPLETED) {
                return;
            }
            if (!ct.reliable()) {
                ct.sentNanos = System.nanoTime();
                ct.interval = roundTrips.t1(ct.hop);
                ct.retransmit = timers.after(ct.interval, () -> retransmit(ct));
            }
            ct.timeout = timers.after(config.timeoutMillis(), () -> timeout(ct));
        }
    }

    /** Timers A (INVITE, doubling) and E (non-INVITE, doubling up to T2) on UDP (17.1.1.2, 17.1.2.2). */
    private void retransmit(ClientTransaction ct) {
        synchronized (ct) {
            if (!ct.retransmitting()) {
                return;
            }
            if (!ct.resent) { // the first resend waits as long as answers take now: one may be queued behind our backlog
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ct.sentNanos);
                long t1 = roundTrips.t1(ct.hop);
                if (waited < t1) {
                    ct.interval = t1;
                    ct.deferred = false;
                    ct.retransmit = timers.after(t1 - waited, () -> retransmit(ct));
                    return;
                }
            }
            if (!ct.deferred) { // an answer received already may wait unread in our own backlog: let it go first
                ct.deferred = true;
                ct.downstream.afterReceived(() -> retransmit(ct));
                return;
            }
            ct.deferred = false;
            if (!ct.resent) {
                ct.resent = true;
                roundTrips.backOff(ct.hop, ct.interval);
            }
            ct.downstream.send(ct.bytes);
            ct.interval = ct.isInvite() ? ct.interval * 2 : Math.min(ct.interval * 2, config.t2Millis());
            ct.retransmit = timers.after(ct.interval, () -> retransmit(ct));
        }
    }

    /** Timers B and F: no final response in 64*T1. */
    private void timeout(ClientTransaction ct) {
        boolean now;
        synchronized (ct) {
            now = ct.timeOut();
        }
        if (now) {
            timedOut.accept(ct);
        }
    }

    /** A non-2xx final response to an INVITE went upstream on UDP: timers G and H (17.2.1). */
    void awaitAck(ServerTransaction st) {
        resend(st, config.t1Millis());
        st.timerH = timers.after(config.timeoutMillis(), () -> SipTimers.cancel(st.timerG));
    }

    private void resend(ServerTransaction st, long interval) {
        st.timerG = timers.after(interval, () -> {
            if (!st.acked) {
                st.upstream.send(st.lastResponse);
                resend(st, Math.min(interval * 2, config.t2Millis()));
            }
        });
    }
}
