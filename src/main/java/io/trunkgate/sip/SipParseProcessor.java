package io.trunkgate.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.transport.SipBytes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipParse}: the framed bytes become a JAIN-SIP message (the new body), with {@code TrunkgateSipKind},
 * {@code TrunkgateSipMethod} and, for a request addressed to the gateway itself, {@code TrunkgateLocal} set. A
 * request of another SIP version than 2.0 is answered 505 (RFC 3261 8.2.2, 21.5.7, RFC 4475 3.1.2.16); a malformed
 * request 400 with a Warning naming the fault; a malformed response is dropped. Either way the connection stays up,
 * and one line is logged per cause and source per interval (the rest counted by the refusal log, issue #17).
 */
public class SipParseProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SipParseProcessor.class);
    private static final String VERSION = "SIP/2.0";

    private final LocalTarget local;
    private final Supplier<RefusalLog> refusals;
    private final Supplier<FlowEvents> events;

    /** For tests: the gateway is localhost and 127.0.0.1; refusals counted apart; no operations events. */
    public SipParseProcessor() {
        this(new LocalTarget(List.of("localhost", "127.0.0.1")),
                BeanRef.to(new RefusalLog(Duration.ofSeconds(10))), () -> FlowEvents.NONE);
    }

    /**
     * @param events told of every message refused as malformed (the metrics' parse refusals by cause)
     */
    public SipParseProcessor(LocalTarget local, Supplier<RefusalLog> refusals, Supplier<FlowEvents> events) {
        this.local = local;
        this.refusals = refusals;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] bytes = exchange.getIn().getBody(byte[].class);
        String startLine = SipBytes.startLine(bytes);
        String version = requestVersion(startLine);
        if (version != null && !version.equals(VERSION)) {
            refuse(exchange, bytes, startLine, 505, "Version Not Supported", "505 SIP version",
                    version + " is not supported: only " + VERSION + " (RFC 3261 8.2.2, 21.5.7)");
            return;
        }
        SIPMessage message;
        try {
            message = SipParser.parse(bytes);
        } catch (ParseException e) {
            refuse(exchange, bytes, startLine, 400, "Bad Request", "400 malformed request: " + kind(e.getMessage()),
                    e.getMessage());
            return;
        }
        exchange.getIn().setBody(message);
        if (message instanceof SIPRequest request) {
            exchange.getIn().setHeader(TrunkgateConstants.SIP_KIND, "request");
            exchange.getIn().setHeader(TrunkgateConstants.SIP_METHOD, request.getMethod());
            exchange.getIn().setHeader(TrunkgateConstants.LOCAL, local.addresses(request.getRequestURI()));
        } else {
            exchange.getIn().setHeader(TrunkgateConstants.SIP_KIND, "response");
            exchange.getIn().setHeader(TrunkgateConstants.SIP_METHOD, ((SIPResponse) message).getCSeq().getMethod());
        }
    }

    /** The version of a request line ("SIP/7.0" of RFC 4475 3.1.2.16), upper case; null for a response or none. */
    static String requestVersion(String startLine) {
        if (startLine.regionMatches(true, 0, "SIP/", 0, 4)) {
            return null;
        }
        int space = startLine.lastIndexOf(' ');
        String last = space < 0 ? "" : startLine.substring(space + 1).toUpperCase(Locale.ROOT);
        return last.startsWith("SIP/") ? last : null;
    }

    /**
     * The fault without its variable parts, as the refusal log's kind: "bad Via header: ..." -> "bad Via header".
     * Header names come from JAIN-SIP's known headers (an unknown header is never malformed), so kinds stay few.
     */
    private static String kind(String cause) {
        if (cause == null) {
            return "unknown";
        }
        int colon = cause.indexOf(':');
        String head = colon > 0 ? cause.substring(0, colon) : cause;
        return head.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'...'");
    }

    private void refuse(Exchange exchange, byte[] bytes, String startLine, int status, String reason, String kind,
            String cause) {
        Object peer = exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS);
        events.get().parseRefused(cause);
        if (startLine.regionMatches(true, 0, "SIP/", 0, 4)) {
            if (refusals.get().first("dropped a malformed response: " + kind(cause), peer)) {
                LOG.warn("dropped a malformed response from {}: {} ({})", peer, cause, startLine);
            }
        } else {
            if (refusals.get().first(kind, peer)) {
                LOG.warn("answered {} to a malformed request from {}: {} ({})", status, peer, cause, startLine);
            }
            SipReplies.send(exchange, SipReplies.refusal(bytes, status, reason, cause));
        }
        exchange.setRouteStop(true);
    }
}
