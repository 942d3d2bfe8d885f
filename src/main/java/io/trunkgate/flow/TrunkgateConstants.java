package io.trunkgate.flow;

/**
 * The exchange contract of the call flow: every header and exchange property trunkgate's steps share, with its type
 * and who sets it (as camel-netty's {@code NettyConstants} does for its own). A user's YAML step may read any of
 * them ({@code ${header.TrunkgateTrunk}}) and may set those marked as inputs.
 * <p>
 * Headers are set per message and visible to YAML; exchange properties carry the proxy's own objects.
 */
public final class TrunkgateConstants {

    // ---------------------------------------------------------------- where the message came from (listener routes)

    /** {@link Side}: the side the message arrived on, set once by the listener route (routes/listeners.yaml). */
    public static final String SIDE = "TrunkgateSide";
    /** {@code io.trunkgate.flow.SipConnection}: the connection it arrived on; replies go back on it (RFC 3261 18.2.2). */
    public static final String CONNECTION = "TrunkgateConnection";
    /** {@link java.net.InetSocketAddress}: the remote address the message came from. */
    public static final String SOURCE_ADDRESS = "TrunkgateSourceAddress";
    /** String {@code tls}, {@code tcp} or {@code udp}: the transport it arrived on. */
    public static final String SOURCE_TRANSPORT = "TrunkgateSourceTransport";
    /** {@link javax.net.ssl.SSLSession}: the TLS session of a TLS connection; absent on udp and tcp. */
    public static final String TLS_SESSION = "TrunkgateTlsSession";

    // ---------------------------------------------------------------- the message (sipParse)

    /** String {@value #REQUEST} or {@value #RESPONSE}, set by sipParse. */
    public static final String SIP_KIND = "TrunkgateSipKind";
    public static final String REQUEST = "request";
    public static final String RESPONSE = "response";
    /** String: the request method, or the CSeq method of a response, set by sipParse. */
    public static final String SIP_METHOD = "TrunkgateSipMethod";
    /**
     * Boolean, set by sipParse on requests: the Request-URI addresses the gateway itself (no user part, one of our
     * hosts: io.trunkgate.sip.LocalTarget). Only an OPTIONS so addressed is answered here; any other is routed.
     */
    public static final String LOCAL = "TrunkgateLocal";

    // ---------------------------------------------------------------- Request-URI parts (sipUri, URI-1..URI-5)

    /** String: the user part without its parameters (the dialled number). */
    public static final String NUMBER = "TrunkgateNumber";
    /** String: the tgrp user-part parameter (URI-4, RFC 4904). */
    public static final String TGRP = "TrunkgateTgrp";
    /** String: the trunk-context user-part parameter (URI-5, RFC 4904). */
    public static final String TRUNK_CONTEXT = "TrunkgateTrunkContext";
    /** String: the host part. */
    public static final String URI_HOST = "TrunkgateUriHost";
    /** Integer: the port, when the URI has one. */
    public static final String URI_PORT = "TrunkgateUriPort";
    /** String: the transport host-part parameter (URI-3). */
    public static final String TRANSPORT = "TrunkgateTransport";
    /** String {@code sip}, {@code sips} or {@code tel}. */
    public static final String URI_SCHEME = "TrunkgateUriScheme";
    /** {@code io.trunkgate.sip.SipUriParts}: all of the above, with the URI's warnings (URI-2), for trunkRoute. */
    public static final String URI_PARTS = "TrunkgateUriParts";

    // ---------------------------------------------------------------- routing (trunkRoute, ROUTE-*; sipRouteSet)

    /** String {@code inbound} (remote -> inside) or {@code outbound} (inside -> remote), set by trunkRoute. */
    public static final String DIRECTION = "TrunkgateDirection";
    /** String: the id of the trunk a new request was routed on, set by trunkRoute. */
    public static final String TRUNK = "TrunkgateTrunk";
    /** String: how the trunk was chosen: tgrp, dnis or fqdn inbound (ROUTE-1..3); tgrp, number or default outbound. */
    public static final String ROUTE_METHOD = "TrunkgateRouteMethod";
    /**
     * {@link NextHop}: where the request goes next, set by sipRouteSet (a route set or in-dialog target) or by
     * trunkRoute (the trunk's inside target, or the first remote proxy, ROUTE-5). Input: a step may set it.
     */
    public static final String NEXT_HOP = "TrunkgateNextHop";
    /** String: the Request-URI to send, when routing rewrote it (outbound: the remote proxy's TGRP URI, ROUTE-5). */
    public static final String REQUEST_URI = "TrunkgateRequestUri";
    /** String: the name the remote's certificate must carry for the next hop (CERT-5; CERT-12: the SRV target). */
    public static final String CERT_NAME = "TrunkgateCertName";
    /** {@code io.trunkgate.routing.RouteDecision} of trunkRoute: the proxy asks the router with it on failover. */
    public static final String ROUTE_DECISION = "TrunkgateRouteDecision";

    // ---------------------------------------------------------------- exchange properties (the proxy's objects)

    /** Property {@code io.trunkgate.proxy.ServerTransaction}: the request's transaction (sipTransaction, responseMatch). */
    public static final String SERVER_TRANSACTION = "TrunkgateServerTransaction";
    /**
     * Property {@link Responder}: answers the exchange's request through its server transaction, so a refusal from
     * any later step is remembered for retransmissions (set by sipTransaction).
     */
    public static final String RESPONDER = "TrunkgateResponder";
    /**
     * Property {@link MediaRefusal}: set by srtpBridge on a 2xx whose SDP it refused (SRTP-1/SRTP-2); the 2xx itself
     * became a 488 toward the offerer. sipForward then hangs up the answerer (ACK and BYE).
     */
    public static final String MEDIA_REFUSED = "TrunkgateMediaRefused";

    private TrunkgateConstants() {
    }
}
