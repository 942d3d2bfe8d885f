package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.sip.SipParser;

/**
 * A request we forwarded (RFC 3261 17.1), keyed by the branch of our Via. When it completes, only what absorbs
 * retransmitted responses stays (the ACK for a non-2xx final); the messages are let go (see ServerTransaction).
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
    volatile State state = State.CALLING;
    volatile boolean cancelPending;
    volatile boolean cancelSent;
    /** The request as received, and where to send it next if this hop fails (ROUTE-5). */
    volatile SIPRequest received;
    volatile Failover failover;
    /** The ACK sent for a non-2xx final response to an INVITE, resent when that response is retransmitted. */
    volatile byte[] ack;
    Timeout retransmit;
    Timeout timeout;
    long interval;

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

    synchronized void stopTimers() {
        if (retransmit != null) {
            retransmit.cancel();
        }
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /** Completed: the messages go; the branch, state and ACK stay while the transaction lingers. */
    synchronized void release() {
        received = null;
        failover = null;
        bytes = null;
    }
}
