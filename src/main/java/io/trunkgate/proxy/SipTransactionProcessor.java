package io.trunkgate.proxy;

import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.Responder;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;

/**
 * {@code sipTransaction}: the server-transaction step for a request (RFC 3261 16.3, 17.2): retransmissions,
 * CANCEL, ACK for a non-2xx, Max-Forwards (483) and loops (482) end here; a new request goes on with its
 * transaction in the exchange property {@link TrunkgateConstants#SERVER_TRANSACTION}.
 */
public class SipTransactionProcessor implements org.apache.camel.Processor {

    private final Supplier<ProxyCore> core;

    public SipTransactionProcessor(Supplier<ProxyCore> core) {
        this.core = core;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        SipConnection from = exchange.getIn().getHeader(TrunkgateConstants.CONNECTION, SipConnection.class);
        ServerTransaction st = core.get().onRequest(request, from, Side.of(exchange.getIn()));
        if (st == null) {
            exchange.setRouteStop(true);
        } else {
            exchange.setProperty(TrunkgateConstants.SERVER_TRANSACTION, st);
            if (st.key != null) {
                exchange.setProperty(TrunkgateConstants.RESPONDER, (Responder) response -> core.get().sendResponse(st, response));
            }
        }
    }

}
