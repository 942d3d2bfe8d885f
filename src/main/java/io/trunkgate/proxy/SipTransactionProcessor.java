package io.trunkgate.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.sip.TrunkgateHeaders;
import io.trunkgate.transport.SipConnection;
import org.apache.camel.Exchange;

/**
 * {@code sipTransaction}: the server-transaction step for a request (RFC 3261 16.3, 17.2): retransmissions,
 * CANCEL, ACK for a non-2xx, Max-Forwards (483) and loops (482) end here; a new request goes on with its
 * transaction in the exchange property {@value #SERVER_TRANSACTION}.
 */
public class SipTransactionProcessor implements org.apache.camel.Processor {

    public static final String SERVER_TRANSACTION = "TrunkgateServerTransaction";

    private final ProxyCore core;

    public SipTransactionProcessor(ProxyCore core) {
        this.core = core;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        SipConnection from = exchange.getIn().getHeader(TrunkgateHeaders.CONNECTION, SipConnection.class);
        ServerTransaction st = core.onRequest(request, from, side(exchange));
        if (st == null) {
            exchange.setRouteStop(true);
        } else {
            exchange.setProperty(SERVER_TRANSACTION, st);
            if (st.key != null) {
                exchange.setProperty(SipReplies.RESPONDER,
                        (java.util.function.Consumer<SIPResponse>) response -> core.sendResponse(st, response));
            }
        }
    }

    static NextHop.Side side(Exchange exchange) {
        String side = exchange.getIn().getHeader(TrunkgateHeaders.SIDE, "trunk", String.class);
        return "inside".equalsIgnoreCase(side) ? NextHop.Side.INSIDE : NextHop.Side.TRUNK;
    }
}
