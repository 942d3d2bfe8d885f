package io.trunkgate.flow;

import java.text.ParseException;
import java.util.Locale;

import javax.sip.address.SipURI;
import javax.sip.address.URI;

import gov.nist.javax.sip.address.AddressFactoryImpl;

/**
 * Where a request goes next: host, port and transport from a SIP URI (RFC 3263 without DNS: the URI's own
 * transport parameter, else TLS for sips: and UDP for sip:), and the side of the gateway it is on.
 */
public record NextHop(String host, int port, String transport, Side side) {

    private static final AddressFactoryImpl ADDRESSES = new AddressFactoryImpl();

    /** The next hop a SIP URI string names ({@code sip:host:port;transport=...}) on {@code side}. */
    public static NextHop of(String uri, Side side) throws ParseException {
        return of(ADDRESSES.createURI(uri), side);
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
