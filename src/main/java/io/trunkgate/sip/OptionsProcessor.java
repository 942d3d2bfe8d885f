package io.trunkgate.sip;

import java.time.Duration;
import java.util.function.Supplier;

import gov.nist.javax.sip.header.Accept;
import gov.nist.javax.sip.header.Supported;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipOptions}: answers an OPTIONS addressed to the gateway itself (sipParse's {@code TrunkgateLocal}; an
 * OPTIONS to a user or another host is routed like any request): 420 with Unsupported for a Require or Proxy-Require
 * naming an extension we do not support (RFC 3261 8.2.2.3), 416 / 400 as {@link RequestChecks} says, else 200 OK
 * (Via, From, Call-ID, CSeq copied, To-tag added, Allow, Accept, Supported): the keep-alive probe carriers send on a
 * trunk.
 */
public class OptionsProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OptionsProcessor.class);

    private final Supplier<RefusalLog> refusals;

    /** Refusals counted apart (tests). */
    public OptionsProcessor() {
        this(BeanRef.to(new RefusalLog(Duration.ofSeconds(10))));
    }

    public OptionsProcessor(Supplier<RefusalLog> refusals) {
        this.refusals = refusals;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        RequestChecks.Refusal refusal = RequestChecks.check(request, true);
        if (refusal != null) {
            SipCheckProcessor.refuse(exchange, request, refusal, refusals.get(), LOG);
            return;
        }
        SIPResponse ok = SipReplies.response(request, 200, "OK");
        ok.addHeader(RequestChecks.allow());
        Accept accept = new Accept();
        accept.setContentType("application");
        accept.setContentSubType("sdp");
        ok.addHeader(accept);
        ok.addHeader(new Supported(String.join(", ", RequestChecks.SUPPORTED)));
        SipReplies.send(exchange, SipReplies.bytes(ok));
        exchange.setRouteStop(true);
    }
}
