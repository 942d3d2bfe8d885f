package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import io.trunkgate.transport.SipConnection;

/**
 * A request received (RFC 3261 17.2): where it came from, so every response goes back on that connection
 * (18.2.2), and the last response sent, so a retransmitted request is answered again instead of forwarded twice.
 */
public final class ServerTransaction {

    final String key;
    final SIPRequest request;
    final SipConnection upstream;
    final NextHop.Side arrivedOn;
    volatile ClientTransaction client;
    volatile byte[] lastResponse;
    volatile int lastStatus;
    volatile boolean acked;
    Timeout timerG;
    Timeout timerH;

    ServerTransaction(String key, SIPRequest request, SipConnection upstream, NextHop.Side arrivedOn) {
        this.key = key;
        this.request = request;
        this.upstream = upstream;
        this.arrivedOn = arrivedOn;
    }

    public boolean isInvite() {
        return SIPRequest.INVITE.equals(request.getMethod());
    }

    public SipConnection upstream() {
        return upstream;
    }

    public NextHop.Side arrivedOn() {
        return arrivedOn;
    }

    /** Sends a response upstream and remembers it for retransmissions. */
    synchronized void respond(int status, byte[] bytes) {
        if (status >= 200 || lastStatus < 200) {
            lastStatus = status;
            lastResponse = bytes;
        }
        upstream.send(bytes);
    }

    boolean hasFinal() {
        return lastStatus >= 200;
    }
}
