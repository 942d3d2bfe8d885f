package io.trunkgate.proxy;

import java.util.function.Consumer;

/**
 * The retransmission and timeout timers of transactions (RFC 3261 17): timers A and E resend a request on UDP at
 * T1, doubling (capped at T2 for a non-INVITE); timers B and F give up after 64*T1; timer G resends a non-2xx final
 * response to an INVITE on UDP until its ACK, timer H gives up on that ACK. Reliable transports (TLS, TCP) get
 * only the timeouts. The state a timer reads and changes is the transaction's, under its monitor (see
 * {@link ClientTransaction}).
 */
final class Retransmissions {

    private final SipTimers timers;
    private final ProxyConfig config;
    private final Consumer<ClientTransaction> timedOut;

    /** @param timedOut told when timer B or F ends a client transaction (outside its monitor) */
    Retransmissions(SipTimers timers, ProxyConfig config, Consumer<ClientTransaction> timedOut) {
        this.timers = timers;
        this.config = config;
        this.timedOut = timedOut;
    }

    /** The request went out: timer A or E on UDP, timer B or F on every transport. */
    void start(ClientTransaction ct) {
        synchronized (ct) {
            if (ct.state == ClientTransaction.State.COMPLETED) {
                return;
            }
            if (!ct.reliable()) {
                ct.interval = config.t1Millis();
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
