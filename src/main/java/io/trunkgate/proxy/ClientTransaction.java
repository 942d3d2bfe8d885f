package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.sip.SipParser;

/**
 * A request we forwarded (RFC 3261 17.1), keyed by the branch of our Via. When it completes, only what absorbs
 * retransmitted responses stays (the ACK for a non-2xx final); the messages are let go (see ServerTransaction).
 * <p>
 * Locking: {@code state}, {@code retransmit}, {@code timeout}, {@code interval}, {@code cancelPending} and
 * {@code cancelSent} change only under the transaction's monitor (the SIP threads receiving its responses and the
 * timer thread both hold it while they decide); the volatile fields are written once or replaced whole and may be
 * read without it.
 */
public final class ClientTransaction {

    enum State { CALLING, PROCEEDING, COMPLETED }

    final String branch;
    final String method;
    final NextHop hop;
    final ServerTransaction server;
    /** The request as sent, until the final response: retransmitted, and CANCEL and the ACK for a non-2xx come from it. */
    volatile byte[] bytes;
    volatile SipConnection downstream;
    State state = State.CALLING;
    boolean cancelPending;
    boolean cancelSent;
    /** The request as received, and where to send it next if this hop fails (ROUTE-5). */
    volatile SIPRequest received;
    volatile Failover failover;
    /** The ACK sent for a non-2xx final response to an INVITE, resent when that response is retransmitted. */
    volatile byte[] ack;
    /** A request of the proxy's own (an OPTIONS probe): completed with its first final response. */
    volatile java.util.concurrent.CompletableFuture<gov.nist.javax.sip.message.SIPResponse> answer;
    Timeout retransmit;
    Timeout timeout;
    long interval;
    /** When the request first went out on UDP (0: not yet, or a reliable transport), and whether it was resent since. */
    long sentNanos;
    boolean resent;
    /** The next resend already went through our own call flow behind what was received before it (once per resend). */
    boolean deferred;

    ClientTransaction(String branch, String method, NextHop hop, ServerTransaction server) {
        this.branch = branch;
        this.method = method;
        this.hop = hop;
        this.server = server;
    }

    /**
     * The request as forwarded, parsed again from the bytes sent: only a CANCEL or a non-2xx final response needs it,
     * so the proxy keeps no parsed copy of every request it forwards. Null once released.
     */
    SIPRequest forwarded() throws java.text.ParseException {
        byte[] sent = bytes;
        return sent == null ? null : (SIPRequest) SipParser.parse(sent);
    }

    /** The Call-ID, for log lines; null once released. */
    String callId() {
        SIPRequest request = received;
        return request == null ? null : request.getCallId().getCallId();
    }

    boolean isInvite() {
        return SIPRequest.INVITE.equals(method);
    }

    boolean reliable() {
        return !"udp".equals(hop.transport());
    }

    // ---------------------------------------------------------------- state changes (callers hold the monitor)

    /**
     * A provisional response: CALLING becomes PROCEEDING; an INVITE's timers A and B stop (17.1.1.2), a non-INVITE
     * keeps retransmitting at T2 (17.1.2.2).
     */
    void provisional(long t2Millis) {
        if (state != State.CALLING) {
            return;
        }
        state = State.PROCEEDING;
        if (isInvite()) {
            SipTimers.cancel(retransmit);
            SipTimers.cancel(timeout); // timer B only runs while no response came
        } else {
            interval = t2Millis;
        }
    }

    /** A final response: COMPLETED, timers stopped. True for the first final response, false for a retransmission. */
    boolean complete() {
        boolean first = state != State.COMPLETED;
        state = State.COMPLETED;
        stopTimers();
        return first;
    }

    /**
     * Cancels timers A/E and B/F and lets go of them: a cancelled timeout holds its task (and that this transaction),
     * and a completed INVITE lingers 64*T1 (at 1,200 calls/s two dead timeouts each were ~8 MB of the live heap).
     */
    private void stopTimers() {
        SipTimers.cancel(retransmit);
        SipTimers.cancel(timeout);
        retransmit = null;
        timeout = null;
    }

    /** Timer A (INVITE, CALLING) or E (non-INVITE, CALLING or PROCEEDING) may resend now. */
    boolean retransmitting() {
        return state == State.CALLING || (!isInvite() && state == State.PROCEEDING);
    }

    /** Timer B or F fired: true when the transaction times out now (no final response, and an INVITE got no 1xx). */
    boolean timeOut() {
        if (state == State.COMPLETED || (isInvite() && state != State.CALLING)) {
            return false;
        }
        state = State.COMPLETED;
        stopTimers();
        return true;
    }

    /** A CANCEL may only follow a provisional response (RFC 3261 9.1): now, later, or not at all. */
    boolean cancelNow() {
        if (state == State.PROCEEDING) {
            return true;
        }
        if (state == State.CALLING) {
            cancelPending = true;
        }
        return false;
    }

    /** Completed: the messages go; the branch, state and ACK stay while the transaction lingers. */
    void release() {
        received = null;
        failover = null;
        bytes = null;
    }
}
