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
 */
public final class ServerTransaction {

    final String key;
    final String method;
    final SipConnection upstream;
    final Side arrivedOn;
    /** The request as received, until the final response: our own 408/503 copy its headers. */
    volatile SIPRequest request;
    volatile ClientTransaction client;
    volatile byte[] lastResponse;
    volatile int lastStatus;
    volatile boolean acked;
    Timeout timerG;
    Timeout timerH;

    ServerTransaction(String key, SIPRequest request, SipConnection upstream, Side arrivedOn) {
        this.key = key;
        this.method = request.getMethod();
        this.request = request;
        this.upstream = upstream;
        this.arrivedOn = arrivedOn;
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

    /** Sends a response upstream and remembers it for retransmissions. */
    synchronized void respond(int status, byte[] bytes) {
        if (status >= 200 || lastStatus < 200) {
            lastStatus = status;
            lastResponse = bytes;
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
}
