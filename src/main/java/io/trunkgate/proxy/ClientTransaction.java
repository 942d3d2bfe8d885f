package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import io.trunkgate.transport.SipConnection;

/** A request we forwarded (RFC 3261 17.1), keyed by the branch of our Via. */
public final class ClientTransaction {

    enum State { CALLING, PROCEEDING, COMPLETED }

    final String branch;
    final SIPRequest forwarded;
    final NextHop hop;
    final ServerTransaction server;
    volatile byte[] bytes;
    volatile SipConnection downstream;
    volatile State state = State.CALLING;
    volatile boolean cancelPending;
    volatile boolean cancelSent;
    /** The request as received, and where to send it next if this hop fails (ROUTE-5). */
    volatile SIPRequest received;
    volatile Failover failover;
    Timeout retransmit;
    Timeout timeout;
    long interval;

    ClientTransaction(String branch, SIPRequest forwarded, NextHop hop, ServerTransaction server) {
        this.branch = branch;
        this.forwarded = forwarded;
        this.hop = hop;
        this.server = server;
    }

    boolean isInvite() {
        return SIPRequest.INVITE.equals(forwarded.getMethod());
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
}
