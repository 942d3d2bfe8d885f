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

    private final Supplier<io.trunkgate.flow.FlowEvents> events;

    /** @param router the trunk router, for moving a new outbound call to the next remote host (ROUTE-5) */
    public ForwardProcessor(Supplier<ProxyCore> core, Supplier<Router> router) {
        this(core, router, () -> io.trunkgate.flow.FlowEvents.NONE);
    }

    /** @param events told of each new call as its INVITE is forwarded (metrics, call detail records) */
    public ForwardProcessor(Supplier<ProxyCore> core, Supplier<Router> router, Supplier<io.trunkgate.flow.FlowEvents> events) {
        this.core = core;
        this.router = router;
        this.events = events;
    }

    /** A new call: an initial INVITE routed to a trunk. */
    private static io.trunkgate.flow.CallStart callStart(Exchange exchange, SIPRequest invite, NextHop next) {
        org.apache.camel.Message in = exchange.getIn();
        String trunk = in.getHeader(TrunkgateConstants.TRUNK, String.class);
        if (trunk == null) {
            return null; // not routed by trunkRoute (a user's own step): no trunk to count it on
        }
        Side from = Side.of(in);
        String remote = next.side() == Side.TRUNK ? next.host() : hostOf(in.getHeader(TrunkgateConstants.SOURCE_ADDRESS));
        String caller = invite.getFrom() != null && invite.getFrom().getAddress().getURI() instanceof javax.sip.address.SipURI u
                ? u.getUser() : null;
        return new io.trunkgate.flow.CallStart(invite.getCallId().getCallId(), trunk,
                in.getHeader(TrunkgateConstants.DIRECTION, String.class), from, caller,
                in.getHeader(TrunkgateConstants.NUMBER, String.class), in.getHeader(TrunkgateConstants.URI_HOST, String.class),
                remote, System.currentTimeMillis(), System.nanoTime());
    }

    private static String hostOf(Object address) {
        return address instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress() : null;
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
            core.get().relayResponse(st, response);
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
        if (SIPRequest.INVITE.equals(request.getMethod()) && request.getToTag() == null) {
            io.trunkgate.flow.CallStart start = callStart(exchange, request, next);
            if (start != null) {
                events.get().callStarted(start);
            }
        }
        core.get().forwardRequest(request, st, next, requestUri, failover(exchange, toward));
    }
}
