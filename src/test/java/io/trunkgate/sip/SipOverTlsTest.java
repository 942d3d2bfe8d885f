package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SIP on the TLS listener: framing across and within TLS records, keep-alives, limits, OPTIONS, 400 (RFC 3261 18.3). */
class SipOverTlsTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = RunningGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private TlsSipClient client() throws Exception {
        return new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT));
    }

    @Test
    void options_is_answered_200_with_headers_copied_and_a_to_tag() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(TlsSipClient.options("opt-1"));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 200 OK\r\n"), response);
            assertTrue(response.contains("Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bKopt-1"), response);
            assertTrue(response.contains("Call-ID: opt-1"), response);
            assertTrue(response.contains("CSeq: 1 OPTIONS"), response);
            assertTrue(response.matches("(?s).*\r\nTo: <sip:localhost>;tag=\\w+\r\n.*"), response);
            assertTrue(response.contains("Allow: INVITE"), response);
            assertTrue(response.contains("Accept: application/sdp"), response);
            assertTrue(response.contains("Supported: "), response);
        }
    }

    @Test
    void a_message_split_across_records_and_two_messages_in_one_record_are_framed() throws Exception {
        try (TlsSipClient c = client()) {
            String one = TlsSipClient.options("split-1");
            c.send(one.substring(0, 37));
            Thread.sleep(50);
            c.send(one.substring(37, 120));
            Thread.sleep(50);
            c.send(one.substring(120));
            assertTrue(c.readMessage().contains("Call-ID: split-1"));
            c.send(TlsSipClient.options("two-1") + TlsSipClient.options("two-2"));
            assertTrue(c.readMessage().contains("Call-ID: two-1"));
            assertTrue(c.readMessage().contains("Call-ID: two-2"));
        }
    }

    @Test
    void rfc5626_double_crlf_ping_gets_a_single_crlf_pong() throws Exception {
        try (TlsSipClient c = client()) {
            c.send("\r\n\r\n");
            assertEquals("\r\n", c.readBytes(2));
            c.send(TlsSipClient.options("after-ping"));
            assertTrue(c.readMessage().startsWith("SIP/2.0 200 OK"), "the connection still works after a ping");
        }
    }

    @Test
    void a_message_without_content_length_closes_the_connection_with_a_reason() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(TlsSipClient.options("no-cl").replace("Content-Length: 0\r\n", ""));
            String answer = c.readMessage(); // the framing is lost: 400 naming why, then the close (issue #17)
            assertTrue(answer.startsWith("SIP/2.0 400 ") && answer.contains("without Content-Length"), answer);
            assertTrue(c.closedByPeer());
        }
        gateway.awaitLog(Duration.ofSeconds(5), "closed after", "without Content-Length", "RFC 3261 18.3");
    }

    @Test
    void a_header_section_over_16_kib_closes_the_connection() throws Exception {
        try (TlsSipClient c = client()) {
            c.send("OPTIONS sip:localhost SIP/2.0\r\nX-Filler: " + "a".repeat(17 * 1024) + "\r\n");
            assertTrue(c.closedByPeer());
        }
        gateway.awaitLog(Duration.ofSeconds(5), "closed after", "header section over 16384 bytes");
    }

    @Test
    void a_body_over_64_kib_closes_the_connection() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(TlsSipClient.options("big").replace("Content-Length: 0", "Content-Length: 70000"));
            String answer = c.readMessage();
            assertTrue(answer.startsWith("SIP/2.0 400 ") && answer.contains("over the 65536-byte limit"), answer);
            assertTrue(c.closedByPeer());
        }
        gateway.awaitLog(Duration.ofSeconds(5), "closed after", "body of 70000 bytes, over the 65536-byte limit");
    }

    @Test
    void a_malformed_request_gets_400_with_a_warning_and_the_connection_stays_up() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(TlsSipClient.options("bad-cseq").replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS"));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 400 Bad Request\r\n"), response);
            assertTrue(response.contains("Call-ID: bad-cseq"), response);
            assertTrue(response.matches("(?s).*Warning: 399 trunkgate \"[^\"]*CSeq[^\"]*\".*"), response);
            c.send(TlsSipClient.options("good-after-bad"));
            assertTrue(c.readMessage().contains("Call-ID: good-after-bad"), "the connection stays up");
        }
    }

    @Test
    void a_request_missing_call_id_gets_400() throws Exception {
        try (TlsSipClient c = client()) {
            c.send(TlsSipClient.options("x").replace("Call-ID: x\r\n", ""));
            String response = c.readMessage();
            assertTrue(response.startsWith("SIP/2.0 400 Bad Request\r\n"), response);
        }
    }
}
