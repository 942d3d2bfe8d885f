package io.trunkgate.sip;

import gov.nist.javax.sip.header.Accept;
import gov.nist.javax.sip.header.Allow;
import gov.nist.javax.sip.header.Supported;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code sipOptions}: answers an OPTIONS addressed to the gateway with 200 OK (Via, From, Call-ID, CSeq copied,
 * To-tag added, Allow, Accept, Supported): the keep-alive probe carriers send on a trunk.
 */
public class OptionsProcessor implements Processor {

    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK";

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        SIPResponse ok = SipReplies.response(request, 200, "OK");
        Allow allow = new Allow();
        allow.setMethod(ALLOW);
        ok.addHeader(allow);
        Accept accept = new Accept();
        accept.setContentType("application");
        accept.setContentSubType("sdp");
        ok.addHeader(accept);
        ok.addHeader(new Supported("replaces, timer"));
        SipReplies.send(exchange, SipReplies.bytes(ok));
        exchange.setRouteStop(true);
    }
}
