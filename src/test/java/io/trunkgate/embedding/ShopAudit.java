package io.trunkgate.embedding;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The embedding application's own step, put after trunkRoute in its copy of call-flow.yaml and bound in its own
 * YAML {@code beans:} block: it records every routed new request with the side it came from and the trunk chosen.
 */
public class ShopAudit implements Processor {

    public record Entry(String callId, Side side, String trunk, String nextHop) {
    }

    static final List<Entry> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public void process(Exchange exchange) {
        if (exchange.getIn().getBody() instanceof SIPRequest request && request.getToTag() == null
                && SIPRequest.INVITE.equals(request.getMethod())) {
            SEEN.add(new Entry(request.getCallId().getCallId(), Side.of(exchange.getIn()),
                    exchange.getIn().getHeader(TrunkgateConstants.TRUNK, String.class),
                    String.valueOf(exchange.getIn().getHeader(TrunkgateConstants.NEXT_HOP))));
        }
    }
}
