package io.trunkgate.proxy;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
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
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();

    public ForwardProcessor(ProxyCore core) {
        this.core = core;
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
        if (requestUri != null) {
            request.setRequestURI(addresses.createURI(requestUri));
        }
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
        core.forwardRequest(request, st, next);
    }
}
