package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.sip.TrunkgateHeaders;
import org.apache.camel.Exchange;

/**
 * {@code sipRouteSet}: loose routing (RFC 3261 16.4): our Route entries are removed; a request that already knows
 * its way (a remaining Route, or an in-dialog request's Request-URI) gets {@code TrunkgateNextHop}; an initial
 * request gets none, and trunk routing decides.
 */
public class RouteSetProcessor implements org.apache.camel.Processor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouteSetProcessor.class);

    private final ProxyCore core;

    public RouteSetProcessor(ProxyCore core) {
        this.core = core;
    }

    @Override
    public void process(Exchange exchange) {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        NextHop hop = core.routeSet(request, SipTransactionProcessor.side(exchange));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} from {} (to-tag {}): route set gives {}", request.getMethod(), SipTransactionProcessor.side(exchange),
                    request.getToTag(), hop == null ? "nothing: trunk routing decides" : hop);
        }
        if (hop != null) {
            exchange.getIn().setHeader(TrunkgateHeaders.NEXT_HOP, hop);
        }
    }
}
