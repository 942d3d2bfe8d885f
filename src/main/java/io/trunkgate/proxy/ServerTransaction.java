package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;

/**
 * A request received (RFC 3261 17.2): where it came from, so every response goes back on that connection
 * (18.2.2), and the last response sent, so a retransmitted request is answered again instead of forwarded twice.
 * Once the final response is sent, the parsed request and the client transaction are let go: a finished
 * transaction only lingers to absorb retransmissions, and at hundreds of calls per second whole SIP messages
 * kept for 64*T1 would be copied by every young GC.
 * <p>
 * Locking: {@link #respond} is synchronized (responses from both legs and the timer thread); timers G and H are
 * set by the thread that sends the final response and cancelled by the ACK's.
 */
public final class ServerTransaction {

    /** Null for an ACK to a 2xx, which has no transaction (it is end to end). */
    final String key;
    final String method;
    final SipConnection upstream;
    final Side arrivedOn;
    /** Out of any dialog (no To-tag): an INVITE that creates a call, not a re-INVITE. */
    final boolean initial;
    /** The request as received, until the final response: our own 408/503 copy its headers. */
    volatile SIPRequest request;
    volatile ClientTransaction client;
    volatile byte[] lastResponse;
    volatile int lastStatus;
    volatile boolean acked;
    /** A CANCEL for this INVITE arrived (the call record's "ended by the caller"). */
    volatile boolean cancelled;
    volatile Timeout timerG;
    volatile Timeout timerH;

    ServerTransaction(String key, SIPRequest request, SipConnection upstream, Side arrivedOn) {
        this.key = key;
        this.method = request.getMethod();
        this.request = request;
        this.upstream = upstream;
        this.arrivedOn = arrivedOn;
        this.initial = request.getToTag() == null;
    }

    public boolean isInvite() {
        return SIPRequest.INVITE.equals(method);
    }

    /** TLS or TCP upstream: no retransmissions to absorb or make (RFC 3261 17.2). */
    boolean reliable() {
        return !"udp".equals(upstream.transport());
    }

    public SipConnection upstream() {
        return upstream;
    }

    public Side arrivedOn() {
        return arrivedOn;
    }

    /**
     * Sends a response upstream and remembers it for retransmissions of the request, except an INVITE's 2xx: the
     * transaction then absorbs a retransmitted INVITE (RFC 6026 7.1, the Accepted state) and the {@link AckBridge}
     * resends the 2xx to a UDP caller until its ACK. A 2xx lingered 64*T1 with every accepted INVITE: at 1,200 calls/s
     * ~13 MB of the live heap, marked by every GC cycle (docs/benchmarks.md). A failure stays (timer G, an INVITE
     * sent again), and so does a non-INVITE's final on UDP (timer J; on TLS or TCP the transaction ends at once).
     */
    synchronized void respond(int status, byte[] bytes) {
        if (status >= 200 || lastStatus < 200) {
            lastStatus = status;
            lastResponse = isInvite() && status >= 200 && status < 300 ? null : bytes;
        }
        if (status >= 200) {
            request = null;
            client = null;
        }
        upstream.send(bytes);
    }

    boolean hasFinal() {
        return lastStatus >= 200;
    }

    /** True when this INVITE was answered with a non-2xx final, whose ACK ends at this hop (17.2.1). */
    boolean awaitsAckForFailure() {
        return lastStatus >= 300;
    }

    /** The ACK for our non-2xx final came: timers G and H stop (17.2.1). */
    void acknowledged() {
        acked = true;
        SipTimers.cancel(timerG);
        SipTimers.cancel(timerH);
    }
}
