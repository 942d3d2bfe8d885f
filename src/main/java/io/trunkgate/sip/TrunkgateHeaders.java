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
    /** All of the above as one io.trunkgate.sip.SipUriParts (with the URI's warnings), for trunkRoute. */
    public static final String URI_PARTS = "TrunkgateUriParts";

    // Routing, set by trunkRoute (ROUTE-*) and read by the proxy
    /** Which side a request arrived on, set by the listener route: trunk (the secure trunk) or inside (the PBX). */
    public static final String SIDE = "TrunkgateSide";
    /** inbound (remote -> inside) or outbound (inside -> remote). */
    public static final String DIRECTION = "TrunkgateDirection";
    /** The id of the trunk the request was routed on. */
    public static final String TRUNK = "TrunkgateTrunk";
    /** How the trunk was chosen: tgrp, dnis or fqdn inbound (ROUTE-1..3); tgrp, number or default outbound. */
    public static final String ROUTE_METHOD = "TrunkgateRouteMethod";
    /** The next hop as a SIP URI string: the trunk's inside target (inbound) or the chosen remote proxy (outbound). */
    public static final String NEXT_HOP = "TrunkgateNextHop";
    /** The Request-URI to send to the remote (outbound, ROUTE-5): sip:NUMBER;tgrp=..;trunk-context=..@HOST:PORT;transport=tls. */
    public static final String REQUEST_URI = "TrunkgateRequestUri";
    /** The name the remote's certificate must carry for the next hop (CERT-5, CERT-12: the SRV target, not the SRV name). */
    public static final String CERT_NAME = "TrunkgateCertName";
    /** The io.trunkgate.routing.Decision of trunkRoute, for the proxy (failover asks the router with it). */
    public static final String ROUTE_DECISION = "TrunkgateRouteDecision";

    private TrunkgateHeaders() {
    }
}
