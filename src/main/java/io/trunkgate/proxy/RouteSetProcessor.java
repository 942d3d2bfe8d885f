package io.trunkgate.proxy;

import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;

/**
 * {@code sipRouteSet}: loose routing (RFC 3261 16.4): our Route entries are removed; a request that already knows
 * its way (a remaining Route, or an in-dialog request's Request-URI) gets {@code TrunkgateNextHop}; an initial
 * request gets none, and trunk routing decides.
 */
public class RouteSetProcessor implements org.apache.camel.Processor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouteSetProcessor.class);

    private final Supplier<ProxyCore> core;

    public RouteSetProcessor(Supplier<ProxyCore> core) {
        this.core = core;
    }

    @Override
    public void process(Exchange exchange) {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        NextHop hop = core.get().routeSet(request, Side.of(exchange.getIn()));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} from {} (to-tag {}): route set gives {}", request.getMethod(), Side.of(exchange.getIn()),
                    request.getToTag(), hop == null ? "nothing: trunk routing decides" : hop);
        }
        if (hop != null) {
            exchange.getIn().setHeader(TrunkgateConstants.NEXT_HOP, hop);
        }
    }
}
