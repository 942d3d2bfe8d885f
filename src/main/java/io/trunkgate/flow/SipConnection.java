package io.trunkgate.flow;

import java.net.InetSocketAddress;

/**
 * One way back to a SIP peer: a TLS or TCP connection, or a UDP socket plus the peer's address.
 * Responses are sent on the connection their request came in on (RFC 3261 section 18.2.2).
 */
public interface SipConnection {

    /** tls, tcp or udp. */
    String transport();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** Sends one whole SIP message; returns at once (the write is queued on the connection's event loop). */
    void send(byte[] message);

    boolean isOpen();

    /**
     * A dialog now uses this connection: while any does, an idle limit does not close it (a call may be silent for
     * an hour). Each hold is given back with {@link #release()}. Nothing to do on UDP.
     */
    default void hold() {
    }

    /** Gives back one {@link #hold()}. */
    default void release() {
    }

    /**
     * Runs {@code task} on the call flow once every message this connection received before now has been processed
     * (first in, first out), such as a UDP resend that must not overtake an answer waiting unread in our own backlog.
     * By default at once.
     */
    default void afterReceived(Runnable task) {
        task.run();
    }

    /** The TLS session of a TLS connection once its handshake is done, else null (the CDR's peer and suite). */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }

    /** The side this connection is on: the trunk is TLS only (TLS-1, TLS-3), the inside UDP or TCP. */
    default Side side() {
        return "tls".equals(transport()) ? Side.TRUNK : Side.INSIDE;
    }
}
