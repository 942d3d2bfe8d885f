package io.trunkgate.routing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trunkRoute}: picks the trunk of a new request and its next hop (ROUTE-1..5).
 * <p>
 * Direction: a request from the trunk side ({@link Side#of}) is inbound (remote -> inside), one from the inside
 * outbound. The result goes in
 * TrunkgateDirection, TrunkgateTrunk, TrunkgateRouteMethod, TrunkgateNextHop, TrunkgateRequestUri, TrunkgateCertName
 * (outbound) and TrunkgateRouteDecision. A refusal is answered here (403 source not allowed, 404 no trunk, 503 no
 * remote host) with a Warning saying why, and stops the route.
 * <p>
 * Only dialog-creating requests are routed: in-dialog requests (a To-tag), ACK and CANCEL follow their dialog or
 * transaction and pass untouched for the proxy.
 */
public class TrunkRouteProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkRouteProcessor.class);

    private final Supplier<Router> router;

    /** @param router the router bound under {@code router} (resolved at the first request) */
    public TrunkRouteProcessor(Supplier<Router> router) {
        this.router = router;
    }

    public TrunkRouteProcessor(Router router) {
        this(BeanRef.to(router));
    }

    public Router router() {
        return router.get();
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
        SipUriParts uri = in.getHeader(TrunkgateConstants.URI_PARTS, SipUriParts.class);
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
        if (Side.of(in) == Side.TRUNK) {
            InetSocketAddress source = in.getHeader(TrunkgateConstants.SOURCE_ADDRESS, InetSocketAddress.class);
            InetAddress address = source == null ? null : source.getAddress();
            if (address == null) {
                decision = RouteDecision.refused(Direction.INBOUND, 403, "the source address is unknown (TLS-7)",
                        "the source address is unknown (TLS-7)");
            } else {
                decision = router.get().inbound(uri, address);
            }
        } else {
            decision = router.get().outbound(uri, callId);
        }
        in.setHeader(TrunkgateConstants.DIRECTION, decision.direction().word());
        if (!decision.routed()) {
            LOG.warn("{} {} {} from {}: {} {}", decision.direction().word(), method, request.getRequestURI(),
                    in.getHeader(TrunkgateConstants.SOURCE_ADDRESS), decision.status(), decision.reason());
            SipReplies.reply(exchange, decision.status(), decision.reasonPhrase(), decision.warning());
            return;
        }
        in.setHeader(TrunkgateConstants.TRUNK, decision.trunk().id());
        in.setHeader(TrunkgateConstants.ROUTE_METHOD, decision.method());
        try {
            in.setHeader(TrunkgateConstants.NEXT_HOP, NextHop.of(decision.nextHop(),
                    decision.direction() == Direction.INBOUND ? Side.INSIDE : Side.TRUNK));
        } catch (ParseException e) {
            throw new IllegalStateException("trunk " + decision.trunk().id() + " routes to a bad URI " + decision.nextHop(), e);
        }
        in.setHeader(TrunkgateConstants.REQUEST_URI, decision.requestUri());
        in.setHeader(TrunkgateConstants.ROUTE_DECISION, decision);
        decision.firstHost().ifPresentOrElse(h -> in.setHeader(TrunkgateConstants.CERT_NAME, h.certName()),
                () -> in.removeHeader(TrunkgateConstants.CERT_NAME));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} -> trunk {} by {}: {}", decision.direction().word(), method, callId,
                    decision.trunk().id(), decision.method(), decision.nextHop());
        }
    }

}
