package io.trunkgate.proxy;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.routing.RouteDecision;
import io.trunkgate.routing.Router;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.sip.TrunkgateHeaders;
import org.apache.camel.Exchange;

/**
 * {@code sipForward}: the last step. A response goes upstream on its server transaction's connection; a request
 * goes to {@code TrunkgateNextHop} (set by sipRouteSet or trunkRoute), with {@code TrunkgateRequestUri} as its new
 * Request-URI when routing rewrote it.
 */
public class ForwardProcessor implements org.apache.camel.Processor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ForwardProcessor.class);

    private final ProxyCore core;
    private final Router router;
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();

    /** @param router the trunk router, for moving a new outbound call to the next remote host (may be null) */
    public ForwardProcessor(ProxyCore core, Router router) {
        this.core = core;
        this.router = router;
    }

    /** The next remote hosts of an outbound decision of trunkRoute, in its order (ROUTE-5). */
    private Failover failover(Exchange exchange, NextHop.Side toward) {
        RouteDecision decision = exchange.getIn().getHeader(TrunkgateHeaders.ROUTE_DECISION, RouteDecision.class);
        String number = exchange.getIn().getHeader(TrunkgateHeaders.NUMBER, String.class);
        if (router == null || decision == null || !decision.routed() || number == null) {
            return Failover.NONE;
        }
        java.util.concurrent.atomic.AtomicReference<RouteDecision> current = new java.util.concurrent.atomic.AtomicReference<>(decision);
        return failedHost -> router.failover(current.get(), failedHost, number).map(next -> {
            current.set(next);
            try {
                return new Failover.Retarget(NextHop.of(addresses.createURI(next.nextHop()), toward), next.requestUri());
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("bad remote host URI " + next.nextHop(), e);
            }
        });
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPMessage message = exchange.getIn().getBody(SIPMessage.class);
        ServerTransaction st = exchange.getProperty(SipTransactionProcessor.SERVER_TRANSACTION, ServerTransaction.class);
        if (message instanceof SIPResponse response) {
            core.sendResponse(st, response);
            return;
        }
        SIPRequest request = (SIPRequest) message;
        NextHop.Side toward = SipTransactionProcessor.side(exchange).other();
        String requestUri = exchange.getIn().getHeader(TrunkgateHeaders.REQUEST_URI, String.class);
        Object hop = exchange.getIn().getHeader(TrunkgateHeaders.NEXT_HOP);
        NextHop next = hop instanceof NextHop h ? h
                : hop != null ? NextHop.of(addresses.createURI(hop.toString()), toward) : null;
        if (next == null) {
            SipReplies.reply(exchange, 404, "Not Found", "no route for " + request.getRequestURI());
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}", request.getMethod(), request.getRequestURI(), next);
        }
        core.forwardRequest(request, st, next, requestUri, failover(exchange, toward));
    }
}
