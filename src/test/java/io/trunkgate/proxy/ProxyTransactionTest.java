package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-transaction rules of the proxy (RFC 3261 16.3, 17.2), driven over a real TLS connection. */
class ProxyTransactionTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(), "sip:127.0.0.1:5070;transport=udp",
                "required");
        gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static String sdp(String sdpProfile, boolean crypto) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 " + sdpProfile
                + " 0\r\n" + (crypto ? "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\r\n" : "")
                + "a=rtpmap:0 PCMU/8000\r\n";
    }

    /** An INVITE from the carrier over TLS, with an SDP offer of {@code sdpProfile}. */
    static String invite(String callId, int maxForwards, String sdpProfile) {
        return invite(callId, maxForwards, sdpProfile, false);
    }

    private static String invite(String callId, int maxForwards, String sdpProfile, boolean crypto) {
        String sdp = sdp(sdpProfile, crypto);
        return "INVITE sip:+13175550100@localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: " + maxForwards + "\r\n"
                + "From: <sip:carrier@example.com>;tag=abc\r\n"
                + "To: <sip:+13175550100@localhost>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carrier@127.0.0.1:40000;transport=tls>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private TlsSipClient client() throws Exception {
        return new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT));
    }

    @Test
    void srtp2_a_refusal_from_a_later_step_is_kept_by_the_transaction_for_a_retransmitted_invite() throws Exception {
        try (TlsSipClient c = client()) {
            String invite = invite("refused-1", 70, "RTP/AVP"); // plain RTP on a required trunk
            c.send(invite);
            assertTrue(c.readMessage().startsWith("SIP/2.0 100 Trying"));
            String refusal = c.readMessage();
            assertTrue(refusal.startsWith("SIP/2.0 488 ") && refusal.contains("SRTP-2"), refusal);
            c.send(invite); // the same request again: the transaction answers with its final response, once
            String again = c.readMessage();
            assertTrue(again.startsWith("SIP/2.0 488 "), "the retransmission gets the final response: " + again);
        }
    }

    @Test
    void an_unreachable_inside_target_gives_503_with_retry_after() throws Exception {
        int closedPort = RunningGateway.freePort(); // nothing listens there
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + closedPort + ";transport=tcp", "required");
        try (RunningGateway other = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString()));
                TlsSipClient c = new TlsSipClient(other.trunkPort(), other.pki().resolve(DevPki.ROOT))) {
            c.send(invite("unreachable-1", 70, "RTP/SAVP", true)); // SRTP offered: the media step lets it on
            assertTrue(c.readMessage().startsWith("SIP/2.0 100 Trying"));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 503 Service Unavailable") && response.contains("Retry-After: ")
                    && response.contains("unreachable"), response);
            // built from the request as received: the Via, Max-Forwards and Record-Route added for the failed hop
            // were taken off again (RFC 3261 8.2.6: the response copies the request's own Vias)
            assertTrue(response.contains("branch=z9hG4bKunreachable-1") && !response.contains("z9hG4bK-tg")
                    && !response.contains("Record-Route"), response);
        }
    }

    @Test
    void max_forwards_zero_gets_483() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(invite("hops-1", 0, "RTP/SAVP"));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 483 Too Many Hops"), response);
        }
    }

    @Test
    void a_cancel_without_its_invite_gets_481() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(invite("lonely-1", 70, "RTP/SAVP").replace("INVITE sip:", "CANCEL sip:").replace("CSeq: 1 INVITE",
                    "CSeq: 1 CANCEL"));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 481 "), response);
        }
    }
}
