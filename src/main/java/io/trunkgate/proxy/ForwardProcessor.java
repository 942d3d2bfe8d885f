package io.trunkgate.proxy;

import java.util.List;
import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.MediaRefusal;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.routing.RouteDecision;
import io.trunkgate.routing.Router;
import io.trunkgate.sip.SipReplies;
import org.apache.camel.Exchange;

/**
 * {@code sipForward}: the last step. A response goes upstream on its server transaction's connection; a request
 * goes to {@code TrunkgateNextHop} (set by sipRouteSet or trunkRoute), with {@code TrunkgateRequestUri} as its new
 * Request-URI when routing rewrote it.
 */
public class ForwardProcessor implements org.apache.camel.Processor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ForwardProcessor.class);

    private final Supplier<ProxyCore> core;
    private final Supplier<Router> router;

    /** @param router the trunk router, for moving a new outbound call to the next remote host (ROUTE-5) */
    public ForwardProcessor(Supplier<ProxyCore> core, Supplier<Router> router) {
        this.core = core;
        this.router = router;
    }

    /** The next remote hosts of an outbound decision of trunkRoute, in its order (ROUTE-5). */
    private Failover failover(Exchange exchange, Side toward) {
        RouteDecision decision = exchange.getIn().getHeader(TrunkgateConstants.ROUTE_DECISION, RouteDecision.class);
        String number = exchange.getIn().getHeader(TrunkgateConstants.NUMBER, String.class);
        if (decision == null || !decision.routed() || number == null) {
            return Failover.NONE;
        }
        java.util.concurrent.atomic.AtomicReference<RouteDecision> current = new java.util.concurrent.atomic.AtomicReference<>(decision);
        return failedHost -> router.get().failover(current.get(), failedHost, number).map(next -> {
            current.set(next);
            try {
                return new Failover.Retarget(NextHop.of(next.nextHop(), toward), next.requestUri());
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("bad remote host URI " + next.nextHop(), e);
            }
        });
    }

    /** The media step refused the SDP of this 2xx (SRTP-1/SRTP-2): the answerer gets ACK and BYE. */
    private void hangUp(Exchange exchange, MediaRefusal refusal) {
        Side answerer = Side.of(exchange.getIn());
        List<String> sent = core.get().hangUp(refusal.answer(), exchange.getIn().getHeader(TrunkgateConstants.CONNECTION,
                SipConnection.class), answerer);
        LOG.warn("call {}: SDP in the {} {} from the {} refused ({}); sent {} to the {}, 488 toward the {}",
                refusal.answer().getCallId().getCallId(), refusal.answer().getStatusCode(),
                refusal.answer().getCSeq().getMethod(), answerer.word(), refusal.reason(),
                sent.isEmpty() ? "nothing" : String.join(" + ", sent), answerer.word(), answerer.other().word());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPMessage message = exchange.getIn().getBody(SIPMessage.class);
        ServerTransaction st = exchange.getProperty(TrunkgateConstants.SERVER_TRANSACTION, ServerTransaction.class);
        if (message instanceof SIPResponse response) {
            MediaRefusal refusal = exchange.getProperty(TrunkgateConstants.MEDIA_REFUSED, MediaRefusal.class);
            if (refusal != null) {
                hangUp(exchange, refusal);
            }
            core.get().sendResponse(st, response);
            return;
        }
        SIPRequest request = (SIPRequest) message;
        Side toward = Side.of(exchange.getIn()).other();
        String requestUri = exchange.getIn().getHeader(TrunkgateConstants.REQUEST_URI, String.class);
        NextHop next = exchange.getIn().getHeader(TrunkgateConstants.NEXT_HOP, NextHop.class);
        if (next == null) {
            SipReplies.reply(exchange, 404, "Not Found", "no route for " + request.getRequestURI());
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}", request.getMethod(), request.getRequestURI(), next);
        }
        core.get().forwardRequest(request, st, next, requestUri, failover(exchange, toward));
    }
}
