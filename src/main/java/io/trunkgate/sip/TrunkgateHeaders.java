package io.trunkgate.sip;

/** Names of the exchange headers trunkgate's processors set and read; user YAML steps may use them too. */
public final class TrunkgateHeaders {

    /** The {@link io.trunkgate.transport.SipConnection} the message arrived on (replies go back on it, RFC 3261 18.2.2). */
    public static final String CONNECTION = "TrunkgateConnection";
    /** The remote address (java.net.InetSocketAddress) the message came from. */
    public static final String SOURCE_ADDRESS = "TrunkgateSourceAddress";
    /** The transport the message arrived on: tls, tcp or udp. */
    public static final String SOURCE_TRANSPORT = "TrunkgateSourceTransport";
    /** The javax.net.ssl.SSLSession of a TLS connection (absent on udp/tcp). */
    public static final String TLS_SESSION = "TrunkgateTlsSession";
    /** The side a message arrived on: trunk (the secure trunk) or inside (the PBX); set by the listener routes. */
    public static final String SIDE = "TrunkgateSide";
    /** Where sipForward sends a request: a SIP URI string, or an io.trunkgate.proxy.NextHop. */
    public static final String NEXT_HOP = "TrunkgateNextHop";
    /** The Request-URI to send (a SIP URI string), when routing rewrites it. */
    public static final String REQUEST_URI = "TrunkgateRequestUri";
    /** request or response, set by sipParse. */
    public static final String SIP_KIND = "TrunkgateSipKind";
    /** The request method (or the CSeq method of a response), set by sipParse. */
    public static final String SIP_METHOD = "TrunkgateSipMethod";

    // Request-URI parts, set by sipUri (URI-1..URI-5)
    public static final String NUMBER = "TrunkgateNumber";
    public static final String TGRP = "TrunkgateTgrp";
    public static final String TRUNK_CONTEXT = "TrunkgateTrunkContext";
    public static final String URI_HOST = "TrunkgateUriHost";
    public static final String URI_PORT = "TrunkgateUriPort";
    public static final String TRANSPORT = "TrunkgateTransport";
    public static final String URI_SCHEME = "TrunkgateUriScheme";

    private TrunkgateHeaders() {
    }
}
