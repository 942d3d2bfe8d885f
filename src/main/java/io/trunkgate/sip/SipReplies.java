package io.trunkgate.sip;

import java.text.ParseException;
import java.util.concurrent.ThreadLocalRandom;

import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.header.Warning;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.Responder;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.transport.SipBytes;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds responses to requests and sends them back on the connection the request came in on (RFC 3261 18.2.2). */
public final class SipReplies {

    private static final Logger LOG = LoggerFactory.getLogger(SipReplies.class);


    /** Warning agent in responses we generate ourselves. */
    public static final String AGENT = SipBytes.AGENT;

    private SipReplies() {
    }

    /** A response with Via, From, To, Call-ID and CSeq copied and a To-tag added (RFC 3261 8.2.6). */
    public static SIPResponse response(SIPRequest request, int status, String reason) {
        SIPResponse response = request.createResponse(status, reason);
        if (status > 100 && response.getToTag() == null) {
            try {
                response.getTo().setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        return response;
    }

    /** Adds {@code Warning: 399 trunkgate "text"} (RFC 3261 20.43): the cause, in words, for the peer's operator. */
    public static void warn(SIPResponse response, String text) {
        try {
            Warning warning = new Warning();
            warning.setCode(399);
            warning.setAgent(AGENT);
            warning.setText(text.replace('"', '\''));
            response.addHeader(warning);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Answers the exchange's request (its body) with {@code status}, a Warning when {@code warning} is not null,
     * and stops the route: the request goes no further.
     */
    public static void reply(Exchange exchange, int status, String reason, String warning) {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        SIPResponse response = response(request, status, reason);
        if (warning != null) {
            warn(response, warning);
        }
        answer(exchange, response);
    }

    /**
     * Answers 503 Service Unavailable with {@code Retry-After} (RFC 3261 21.5.4: the request may be retried here
     * after that many seconds, or elsewhere at once) and a Warning, and stops the route.
     */
    public static void unavailable(Exchange exchange, int retryAfterSeconds, String warning) {
        SIPRequest request = exchange.getIn().getBody(SIPRequest.class);
        SIPResponse response = response(request, 503, "Service Unavailable");
        retryAfter(response, retryAfterSeconds);
        warn(response, warning);
        answer(exchange, response);
    }

    /** Sends {@code response} through the request's server transaction when it has one, and stops the route. */
    public static void answer(Exchange exchange, SIPResponse response) {
        Responder responder = exchange.getProperty(TrunkgateConstants.RESPONDER, Responder.class);
        if (responder != null) {
            responder.respond(response);
        } else {
            send(exchange, bytes(response));
        }
        exchange.setRouteStop(true);
    }

    /** Adds {@code Retry-After: seconds} (RFC 3261 20.33). */
    public static void retryAfter(SIPResponse response, int seconds) {
        try {
            RetryAfter header = new RetryAfter();
            header.setRetryAfter(seconds);
            response.setHeader(header);
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalArgumentException("Retry-After must not be negative: " + seconds, e);
        }
    }

    /**
     * The bytes of a response as it stands. (JAIN-SIP's encodeAsBytes(transport) rewrites the transport of the top
     * Via, which in a response is the requester's own Via: pass it its own transport.)
     */
    public static byte[] bytes(SIPResponse response) {
        gov.nist.javax.sip.header.Via top = response.getTopmostVia();
        return response.encodeAsBytes(top != null ? top.getTransport() : "UDP");
    }

    /** Sends raw bytes back on the exchange's connection. */
    public static void send(Exchange exchange, byte[] message) {
        SipConnection connection = exchange.getIn().getHeader(TrunkgateConstants.CONNECTION, SipConnection.class);
        if (connection == null || !connection.isOpen()) {
            LOG.warn("cannot answer {}: its connection is gone", SipBytes.startLine(message));
            return;
        }
        connection.send(message);
    }

    /**
     * A 400 for a request JAIN-SIP could not parse: the Via, From, To, Call-ID and CSeq lines are copied as they
     * came (RFC 3261 8.2.6), with a Warning saying what is wrong.
     */
    public static byte[] badRequest(byte[] request, String cause) {
        return refusal(request, 400, "Bad Request", cause);
    }

    /** A response to a request known only as bytes, its Via, From, To, Call-ID and CSeq lines copied as they came. */
    public static byte[] refusal(byte[] request, int status, String reason, String cause) {
        return SipBytes.refusal(request, status, reason, cause);
    }
}
