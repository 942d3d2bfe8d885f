package io.trunkgate.routing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;
import io.trunkgate.sip.TrunkgateHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trunkRoute}: picks the trunk of a new request and its next hop (ROUTE-1..5).
 * <p>
 * Direction: {@code TrunkgateSide} (set by the listener route) {@code trunk} means inbound (remote -> inside),
 * {@code inside} outbound; without it a request that came over TLS counts as inbound. The result goes in
 * TrunkgateDirection, TrunkgateTrunk, TrunkgateRouteMethod, TrunkgateNextHop, TrunkgateRequestUri, TrunkgateCertName
 * (outbound) and TrunkgateRouteDecision. A refusal is answered here (403 source not allowed, 404 no trunk, 503 no
 * remote host) with a Warning saying why, and stops the route.
 * <p>
 * Only dialog-creating requests are routed: in-dialog requests (a To-tag), ACK and CANCEL follow their dialog or
 * transaction and pass untouched for the proxy.
 */
public class TrunkRouteProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkRouteProcessor.class);

    private final Router router;

    public TrunkRouteProcessor(Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        if (!(in.getBody() instanceof SIPRequest request)) {
            return;
        }
        String method = request.getMethod();
        if (request.getToTag() != null || "ACK".equals(method) || "CANCEL".equals(method)) {
            return;
        }
        SipUriParts uri = in.getHeader(TrunkgateHeaders.URI_PARTS, SipUriParts.class);
        if (uri == null) {
            try {
                uri = SipUriParser.parts(request.getRequestURI()); // sipUri did not run before us
            } catch (ParseException e) {
                SipReplies.reply(exchange, 416, "Unsupported URI Scheme", e.getMessage());
                return;
            }
        }
        String callId = request.getCallId().getCallId();
        RouteDecision decision;
        if (inbound(in)) {
            InetSocketAddress source = in.getHeader(TrunkgateHeaders.SOURCE_ADDRESS, InetSocketAddress.class);
            InetAddress address = source == null ? null : source.getAddress();
            if (address == null) {
                decision = RouteDecision.refused(Direction.INBOUND, 403, "the source address is unknown (TLS-7)",
                        "the source address is unknown (TLS-7)");
            } else {
                decision = router.inbound(uri, address);
            }
        } else {
            decision = router.outbound(uri, callId);
        }
        in.setHeader(TrunkgateHeaders.DIRECTION, decision.direction().word());
        if (!decision.routed()) {
            LOG.warn("{} {} {} from {}: {} {}", decision.direction().word(), method, request.getRequestURI(),
                    in.getHeader(TrunkgateHeaders.SOURCE_ADDRESS), decision.status(), decision.reason());
            SipReplies.reply(exchange, decision.status(), decision.reasonPhrase(), decision.warning());
            return;
        }
        in.setHeader(TrunkgateHeaders.TRUNK, decision.trunk().id());
        in.setHeader(TrunkgateHeaders.ROUTE_METHOD, decision.method());
        in.setHeader(TrunkgateHeaders.NEXT_HOP, decision.nextHop());
        in.setHeader(TrunkgateHeaders.REQUEST_URI, decision.requestUri());
        in.setHeader(TrunkgateHeaders.ROUTE_DECISION, decision);
        decision.firstHost().ifPresentOrElse(h -> in.setHeader(TrunkgateHeaders.CERT_NAME, h.certName()),
                () -> in.removeHeader(TrunkgateHeaders.CERT_NAME));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} -> trunk {} by {}: {}", decision.direction().word(), method, callId,
                    decision.trunk().id(), decision.method(), decision.nextHop());
        }
    }

    /** TrunkgateSide wins; without it, TLS marks the trunk side (the inside may also use TLS: set the side there). */
    static boolean inbound(Message in) {
        String side = in.getHeader(TrunkgateHeaders.SIDE, String.class);
        if (side != null) {
            return "trunk".equalsIgnoreCase(side);
        }
        return "tls".equalsIgnoreCase(in.getHeader(TrunkgateHeaders.SOURCE_TRANSPORT, String.class));
    }
}
