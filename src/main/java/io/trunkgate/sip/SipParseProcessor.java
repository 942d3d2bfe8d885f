package io.trunkgate.sip;

import java.text.ParseException;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.transport.SipBytes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipParse}: the framed bytes become a JAIN-SIP message (the new body), with {@code TrunkgateSipKind} and
 * {@code TrunkgateSipMethod} set. A malformed request is answered 400 with a Warning naming the fault; a malformed
 * response is dropped and logged. Either way the connection stays up.
 */
public class SipParseProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SipParseProcessor.class);

    private final java.util.function.Supplier<io.trunkgate.flow.FlowEvents> events;

    public SipParseProcessor() {
        this(() -> io.trunkgate.flow.FlowEvents.NONE);
    }

    /** @param events told of every message refused as malformed (the metrics' parse refusals by cause) */
    public SipParseProcessor(java.util.function.Supplier<io.trunkgate.flow.FlowEvents> events) {
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] bytes = exchange.getIn().getBody(byte[].class);
        SIPMessage message;
        try {
            message = SipParser.parse(bytes);
        } catch (ParseException e) {
            refuse(exchange, bytes, e.getMessage());
            return;
        }
        exchange.getIn().setBody(message);
        if (message instanceof SIPRequest request) {
            exchange.getIn().setHeader(TrunkgateConstants.SIP_KIND, "request");
            exchange.getIn().setHeader(TrunkgateConstants.SIP_METHOD, request.getMethod());
        } else {
            exchange.getIn().setHeader(TrunkgateConstants.SIP_KIND, "response");
            exchange.getIn().setHeader(TrunkgateConstants.SIP_METHOD, ((SIPResponse) message).getCSeq().getMethod());
        }
    }

    private void refuse(Exchange exchange, byte[] bytes, String cause) {
        String startLine = SipBytes.startLine(bytes);
        Object peer = exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS);
        events.get().parseRefused(cause);
        if (startLine.startsWith("SIP/")) {
            LOG.warn("dropped a malformed response from {}: {} ({})", peer, cause, startLine);
        } else {
            LOG.warn("answered 400 to a malformed request from {}: {} ({})", peer, cause, startLine);
            SipReplies.send(exchange, SipReplies.badRequest(bytes, cause));
        }
        exchange.setRouteStop(true);
    }
}
