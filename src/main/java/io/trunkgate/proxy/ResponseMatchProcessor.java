package io.trunkgate.proxy;

import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;

/**
 * {@code responseMatch}: a response finds its client transaction by our Via's branch (RFC 3261 17.1.3); strays,
 * 100 Trying and retransmitted finals end here; otherwise our Via is removed and the server transaction to answer
 * on is put in the exchange.
 */
public class ResponseMatchProcessor implements org.apache.camel.Processor {

    private final Supplier<ProxyCore> core;

    public ResponseMatchProcessor(Supplier<ProxyCore> core) {
        this.core = core;
    }

    @Override
    public void process(Exchange exchange) {
        ServerTransaction st = core.get().onResponse(exchange.getIn().getBody(SIPResponse.class));
        if (st == null) {
            exchange.setRouteStop(true);
        } else {
            exchange.setProperty(TrunkgateConstants.SERVER_TRANSACTION, st);
        }
    }
}
