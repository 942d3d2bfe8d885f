package io.trunkgate.sip;

import java.time.Duration;
import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.transport.SipBytes;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipFailure}: the onException step of the routes' {@code sip-failures} configuration. A request whose step
 * threw gets {@code 500 Server Internal Error} with a Warning naming the cause, through its server transaction when
 * it has one (so a retransmission gets the same answer), and one log line; a response or an ACK, which cannot be
 * answered, only the log line. The connection stays up: one broken message never costs the calls beside it.
 */
public class SipFailureProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SipFailureProcessor.class);

    private final Supplier<RefusalLog> refusals;

    /** Failures counted apart (tests). */
    public SipFailureProcessor() {
        this(BeanRef.to(new RefusalLog(Duration.ofSeconds(10))));
    }

    /** @param refusals counts the failures: one line per cause and source per interval (issue #17) */
    public SipFailureProcessor(Supplier<RefusalLog> refusals) {
        this.refusals = refusals;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause == null ? "unknown failure" : cause.toString();
        String route = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, String.class);
        Object source = exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS);
        Object body = exchange.getIn().getBody();
        boolean log = refusals.get().first("500: route " + route + " failed: "
                + (cause == null ? "unknown" : cause.getClass().getSimpleName()), source);
        if (body instanceof SIPRequest request && !SIPRequest.ACK.equals(request.getMethod())) {
            if (log) {
                LOG.warn("500 to {} {} from {}: route {} failed: {}", request.getMethod(),
                        request.getCallId() == null ? "" : request.getCallId().getCallId(), source, route, why);
            }
            try {
                SipReplies.reply(exchange, 500, "Server Internal Error", "the gateway failed on this request: " + why);
            } catch (RuntimeException e) {
                // the request cannot even be answered as parsed (its headers broke JAIN-SIP's response): from its bytes
                SipReplies.send(exchange, SipReplies.refusal(request.encodeAsBytes("UDP"), 500, "Server Internal Error",
                        "the gateway failed on this request: " + why));
            }
        } else if (body instanceof byte[] bytes && !SipBytes.startLine(bytes).startsWith("SIP/")) {
            if (log) {
                LOG.warn("500 to {} from {}: route {} failed before parsing: {}", SipBytes.startLine(bytes), source, route, why);
            }
            SipReplies.send(exchange, SipReplies.refusal(bytes, 500, "Server Internal Error",
                    "the gateway failed on this request: " + why));
        } else if (log) {
            LOG.warn("dropped {} from {}: route {} failed: {}", describe(body), source, route, why);
        }
        exchange.setRouteStop(true);
    }

    private static String describe(Object body) {
        if (body instanceof SIPMessage message) {
            return message.getFirstLine().trim() + " " + (message.getCallId() == null ? "" : message.getCallId().getCallId());
        }
        return body instanceof byte[] bytes ? SipBytes.startLine(bytes) : String.valueOf(body);
    }
}
