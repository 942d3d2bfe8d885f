package io.trunkgate.proxy;

import java.util.Locale;

import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * Where a request goes next: host, port and transport from a SIP URI (RFC 3263 without DNS: the URI's own
 * transport parameter, else TLS for sips: and UDP for sip:), and the side of the gateway it is on.
 */
public record NextHop(String host, int port, String transport, Side side) {

    /** The two sides of the gateway: the secure trunk to the remote, and the inside (the PBX). */
    public enum Side {
        TRUNK, INSIDE;

        public Side other() {
            return this == TRUNK ? INSIDE : TRUNK;
        }
    }

    public static NextHop of(URI uri, Side side) {
        if (!(uri instanceof SipURI sip)) {
            throw new IllegalArgumentException("not a SIP URI: " + uri);
        }
        String transport = sip.getTransportParam();
        if (transport == null) {
            transport = sip.isSecure() ? "tls" : side == Side.TRUNK ? "tls" : "udp";
        }
        transport = transport.toLowerCase(Locale.ROOT);
        int port = sip.getPort() > 0 ? sip.getPort() : transport.equals("tls") ? 5061 : 5060;
        String host = sip.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new NextHop(host, port, transport, side);
    }

    @Override
    public String toString() {
        return transport + ":" + host + ":" + port;
    }
}
