package io.trunkgate.embedding;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The embedding application's own {@code trunkRoute}: its own routing table of one PBX and one remote, whatever
 * trunks.yaml says. New requests from the trunk go to its PBX, new requests from the inside to its remote.
 */
public class ShopTrunkRoute implements Processor {

    private final NextHop pbx;
    private final NextHop remote;

    public ShopTrunkRoute(NextHop pbx, NextHop remote) {
        this.pbx = pbx;
        this.remote = remote;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        if (!(in.getBody() instanceof SIPRequest request) || request.getToTag() != null
                || "ACK".equals(request.getMethod()) || "CANCEL".equals(request.getMethod())) {
            return;
        }
        boolean inbound = Side.of(in) == Side.TRUNK;
        in.setHeader(TrunkgateConstants.TRUNK, "test"); // its media.srtp applies (SRTP-2)
        in.setHeader(TrunkgateConstants.DIRECTION, inbound ? "inbound" : "outbound");
        in.setHeader(TrunkgateConstants.ROUTE_METHOD, "shop");
        in.setHeader(TrunkgateConstants.NEXT_HOP, inbound ? pbx : remote);
    }
}
