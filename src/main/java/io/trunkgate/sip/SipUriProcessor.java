package io.trunkgate.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipUri}: splits the request's Request-URI into exchange headers (URI-1..URI-5) so trunkRoute and a user's
 * own YAML steps can use them: TrunkgateUriScheme, TrunkgateNumber, TrunkgateTgrp, TrunkgateTrunkContext,
 * TrunkgateUriHost, TrunkgateUriPort, TrunkgateTransport, and the whole {@link SipUriParts} as TrunkgateUriParts.
 * A header whose part is absent is removed. A parameter in the wrong part is not honoured and is logged (URI-2), one
 * line per source and interval like every refusal (the rest counted by the refusal log, issue #17).
 * A URI that is neither sip, sips nor tel is answered 416 (RFC 3261 8.2.2.1). Responses pass untouched.
 */
public class SipUriProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SipUriProcessor.class);

    private final Supplier<RefusalLog> refusals;

    /** For tests: refusals counted apart. */
    public SipUriProcessor() {
        this(BeanRef.to(new RefusalLog(Duration.ofSeconds(10))));
    }

    public SipUriProcessor(Supplier<RefusalLog> refusals) {
        this.refusals = refusals;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        if (!(in.getBody() instanceof SIPRequest request)) {
            return;
        }
        SipUriParts parts;
        try {
            parts = SipUriParser.parts(request.getRequestURI());
        } catch (ParseException e) {
            Object source = in.getHeader(TrunkgateConstants.SOURCE_ADDRESS);
            if (refusals.get().first("416 Request-URI scheme", source)) {
                LOG.warn("refused {} from {}: {}", request.getMethod(), source, e.getMessage());
            }
            SipReplies.reply(exchange, 416, "Unsupported URI Scheme", e.getMessage());
            return;
        }
        for (String warning : parts.warnings()) {
            Object source = in.getHeader(TrunkgateConstants.SOURCE_ADDRESS);
            if (refusals.get().first("Request-URI parameter not honoured (URI-2)", source)) {
                LOG.warn("Request-URI {} of {} from {}: {}", request.getRequestURI(), request.getCallId().getCallId(),
                        source, warning);
            }
        }
        setHeaders(in, parts);
    }

    /** Puts the parts in their headers; absent parts remove stale headers. */
    public static void setHeaders(Message in, SipUriParts parts) {
        in.setHeader(TrunkgateConstants.URI_PARTS, parts);
        in.setHeader(TrunkgateConstants.URI_SCHEME, parts.scheme());
        put(in, TrunkgateConstants.NUMBER, parts.number());
        put(in, TrunkgateConstants.TGRP, parts.tgrp());
        put(in, TrunkgateConstants.TRUNK_CONTEXT, parts.trunkContext());
        put(in, TrunkgateConstants.URI_HOST, parts.host());
        put(in, TrunkgateConstants.URI_PORT, parts.port() >= 0 ? parts.port() : null);
        put(in, TrunkgateConstants.TRANSPORT, parts.transport());
    }

    private static void put(Message in, String name, Object value) {
        if (value == null) {
            in.removeHeader(name);
        } else {
            in.setHeader(name, value);
        }
    }
}
