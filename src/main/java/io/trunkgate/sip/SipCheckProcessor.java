package io.trunkgate.sip;

import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipCheck}: right after sipTransaction, the RFC 3261 16.3 checks of a request the gateway routes
 * ({@link RequestChecks}): 416, 420 with Unsupported, 405/501 with Allow, 400; answered through the request's server
 * transaction (a retransmission gets the same answer, the ACK of a refused INVITE ends here). An ACK is never
 * answered and passes. One line per cause and source per interval; the rest counted by the refusal log.
 */
public class SipCheckProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SipCheckProcessor.class);

    private final Supplier<RefusalLog> refusals;

    public SipCheckProcessor(Supplier<RefusalLog> refusals) {
        this.refusals = refusals;
    }

    @Override
    public void process(Exchange exchange) {
        if (!(exchange.getIn().getBody() instanceof SIPRequest request) || SIPRequest.ACK.equals(request.getMethod())) {
            return;
        }
        RequestChecks.Refusal refusal = RequestChecks.check(request, false);
        if (refusal != null) {
            refuse(exchange, request, refusal, refusals.get(), LOG);
        }
    }

    /** Answers {@code refusal} (through the server transaction when there is one) and logs the first of its kind. */
    static void refuse(Exchange exchange, SIPRequest request, RequestChecks.Refusal refusal, RefusalLog refusals, Logger log) {
        Object source = exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS);
        if (refusals.first(refusal.kind(), source)) {
            log.warn("{} to {} {} from {}: {}", refusal.status(), request.getMethod(), request.getCallId().getCallId(),
                    source, refusal.warning());
        }
        SipReplies.answer(exchange, refusal.response(request));
    }
}
