package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.Side;
import io.trunkgate.sip.SipParser;
import io.trunkgate.sip.SipTestMessages;
import io.trunkgate.sip.SipTestMessages.RecordingConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a finished server transaction keeps while it lingers: the final response a retransmitted request gets again
 * (RFC 3261 17.2.1, 17.2.2), but not an INVITE's 2xx (RFC 6026 7.1: the transaction does not resend it). Every
 * response is sent upstream either way.
 */
class ServerTransactionTest {

    private static final byte[] OK = "SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUSY = "SIP/2.0 486 Busy Here\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RINGING = "SIP/2.0 180 Ringing\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static ServerTransaction transaction(String method, RecordingConnection upstream) throws Exception {
        String text = new String(SipTestMessages.invite("sip:+13175550100@127.0.0.1"), StandardCharsets.UTF_8);
        if (!SIPRequest.INVITE.equals(method)) {
            text = text.replace("INVITE sip:", method + " sip:").replace("CSeq: 314159 INVITE", "CSeq: 314160 " + method);
        }
        SIPRequest request = (SIPRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
        return new ServerTransaction("key", request, upstream, Side.TRUNK);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tls", "udp"})
    @DisplayName("an INVITE's 2xx is sent and not kept (RFC 6026 7.1: the Accepted state absorbs a retransmitted INVITE)")
    void an_invite_2xx_is_not_kept(String transport) throws Exception {
        RecordingConnection upstream = new RecordingConnection("127.0.0.1", transport);
        ServerTransaction st = transaction(SIPRequest.INVITE, upstream);
        st.respond(180, RINGING);
        assertArrayEquals(RINGING, st.lastResponse, "a provisional is resent to a retransmitted INVITE");
        st.respond(200, OK);
        assertEquals(2, upstream.sent.size());
        assertTrue(st.hasFinal());
        assertEquals(200, st.lastStatus);
        assertNull(st.lastResponse);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tls", "udp"})
    @DisplayName("an INVITE's failure is kept: its ACK is absorbed, timer G and a repeated INVITE resend it")
    void an_invite_failure_is_kept(String transport) throws Exception {
        ServerTransaction st = transaction(SIPRequest.INVITE, new RecordingConnection("127.0.0.1", transport));
        st.respond(486, BUSY);
        assertTrue(st.awaitsAckForFailure());
        assertArrayEquals(BUSY, st.lastResponse);
    }

    @Test
    @DisplayName("a BYE's final is kept for timer J (17.2.2)")
    void non_invite_final_kept() throws Exception {
        RecordingConnection udp = new RecordingConnection("127.0.0.1", "udp");
        ServerTransaction overUdp = transaction(SIPRequest.BYE, udp);
        overUdp.respond(200, OK);
        assertArrayEquals(OK, overUdp.lastResponse);
    }
}
