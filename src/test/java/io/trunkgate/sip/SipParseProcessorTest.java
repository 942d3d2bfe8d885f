package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.sip.SipTestMessages.RecordingConnection;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** sipParse (issue #4 item 1): strict parse, 400 with a Warning for a malformed request, drop a malformed response. */
class SipParseProcessorTest {

    private static final String GOOD = new String(SipTestMessages.invite("sip:+13175550100@127.0.0.1"),
            StandardCharsets.UTF_8);

    private Exchange run(String message, RecordingConnection connection) {
        Exchange exchange = SipTestMessages.exchange(message.getBytes(StandardCharsets.UTF_8), connection);
        new SipParseProcessor().process(exchange);
        return exchange;
    }

    @Test
    void wellFormedInviteBecomesARequest() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        Exchange exchange = run(GOOD, connection);
        assertFalse(exchange.isRouteStop());
        assertTrue(exchange.getIn().getBody() instanceof SIPRequest);
        assertEquals("request", exchange.getIn().getHeader(TrunkgateConstants.SIP_KIND));
        assertEquals("INVITE", exchange.getIn().getHeader(TrunkgateConstants.SIP_METHOD));
        assertTrue(connection.sent.isEmpty());
    }

    @Test
    void badCSeqIs400WithWarningNamingTheHeader() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        Exchange exchange = run(GOOD.replace("CSeq: 314159 INVITE", "CSeq: x"), connection);
        assertTrue(exchange.isRouteStop());
        assertEquals(1, connection.sent.size());
        String reply = connection.sent.get(0);
        assertTrue(reply.startsWith("SIP/2.0 400 Bad Request\r\n"), reply);
        assertTrue(reply.contains("Warning: 399 trunkgate \"") && reply.contains("CSeq"), reply);
        assertTrue(reply.contains("Call-ID: a84b4c76e66710@127.0.0.1"), "RFC 3261 8.2.6 copies Call-ID: " + reply);
    }

    @Test
    void garbageViaIs400() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        run(GOOD.replace("Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds", "Via: garbage"), connection);
        assertEquals(1, connection.sent.size());
        assertTrue(connection.sent.get(0).contains("Warning: 399 trunkgate") && connection.sent.get(0).contains("Via"),
                connection.sent.get(0));
    }

    @Test
    void missingCallIdIs400() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        run(GOOD.replace("Call-ID: a84b4c76e66710@127.0.0.1\r\n", ""), connection);
        assertEquals(1, connection.sent.size());
        assertTrue(connection.sent.get(0).startsWith("SIP/2.0 400"), connection.sent.get(0));
        assertTrue(connection.sent.get(0).contains("Warning: 399"), connection.sent.get(0));
    }

    @Test
    void malformedResponseIsDroppedWithoutReply() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        String response = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
                + "To: <sip:+13175550100@127.0.0.1>;tag=a\r\n"
                + "From: <sip:+15551234567@127.0.0.1>;tag=1928301774\r\n"
                + "Call-ID: x@127.0.0.1\r\n"
                + "CSeq: nonsense\r\n"
                + "Content-Length: 0\r\n\r\n";
        Exchange exchange = run(response, connection);
        assertTrue(exchange.isRouteStop(), "dropped");
        assertTrue(connection.sent.isEmpty(), "no reply to a response");
    }

    @Test
    void wellFormedResponseIsKept() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        String response = "SIP/2.0 180 Ringing\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
                + "To: <sip:+13175550100@127.0.0.1>;tag=a\r\n"
                + "From: <sip:+15551234567@127.0.0.1>;tag=1928301774\r\n"
                + "Call-ID: x@127.0.0.1\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
        Exchange exchange = run(response, connection);
        assertFalse(exchange.isRouteStop());
        assertEquals("response", exchange.getIn().getHeader(TrunkgateConstants.SIP_KIND));
        assertEquals("INVITE", exchange.getIn().getHeader(TrunkgateConstants.SIP_METHOD));
    }
}
