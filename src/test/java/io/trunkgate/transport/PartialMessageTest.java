package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.SipWire;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partial message does not hold its connection for ever (issue #17 item 7, RFC 4475 3.1.2.2): a Content-Length
 * larger than what is sent, or a header section cut mid-line, on TLS or TCP, is discarded when the message is not
 * complete within trunkgate.sip.message-timeout of its first byte (1 s here), and the connection closes with one log
 * line naming the key. Trickling bytes does not extend the bound; a message completed in time is served.
 */
class PartialMessageTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = RunningGateway.start(Map.of("trunkgate.sip.message-timeout", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static String options(String transport, String callId, int contentLength) {
        return "OPTIONS sip:localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:40000;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@example.com>;tag=abc\r\n"
                + "To: <sip:localhost>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void a_header_section_cut_mid_line_on_tcp_closes_the_connection_at_the_bound() throws Exception {
        try (SipWire tcp = SipWire.tcp(gateway.insidePort())) {
            long sent = System.nanoTime();
            tcp.send("INVITE sip:+13175550100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;bra");
            assertNull(tcp.receive(4000), "no answer to half a message");
            assertTrue(tcp.closed(), "the connection is closed");
            long ms = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertTrue(ms >= 900, "closed after " + ms + " ms, before the bound");
        }
        assertLoggedOrCounted();
    }

    @Test
    void a_content_length_larger_than_what_is_sent_on_tls_closes_the_connection_and_trickling_does_not_extend_it()
            throws Exception {
        try (TlsSipClient tls = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
            long sent = System.nanoTime();
            tls.send(options("TLS", "partial-tls", 500) + "only a few bytes");
            for (int i = 0; i < 6; i++) { // a byte every 300 ms: the bound runs from the message's first byte
                Thread.sleep(300);
                try {
                    tls.send("x");
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            tls.readTimeout(4000);
            assertTrue(tls.closedByPeer(), "the connection is closed");
            long ms = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertTrue(ms < 4000, "closed only after " + ms + " ms");
        }
        assertLoggedOrCounted();
    }

    /**
     * One close line names the key (the first of its cause from this source in the interval); repeats are counted by
     * the refusal log, not logged one by one.
     */
    private static void assertLoggedOrCounted() throws InterruptedException {
        gateway.awaitLog(Duration.ofSeconds(5), "a message not complete within 1000 ms (trunkgate.sip.message-timeout)");
        io.trunkgate.limits.RefusalLog refusals = gateway.camel().getRegistry().lookupByNameAndType(
                io.trunkgate.flow.TrunkgateBeans.REFUSALS, io.trunkgate.limits.RefusalLog.class);
        assertTrue(refusals.totals().keySet().stream().anyMatch(k -> k.contains("trunkgate.sip.message-timeout")),
                "not counted: " + refusals.totals());
    }

    @Test
    void a_message_completed_within_the_bound_is_served() throws Exception {
        try (SipWire tcp = SipWire.tcp(gateway.insidePort())) {
            String message = options("TCP", "partial-in-time", 0);
            tcp.send(message.substring(0, 40));
            Thread.sleep(400);
            tcp.send(message.substring(40));
            String answer = tcp.receive(5000);
            assertEquals(200, SipWire.status(answer), answer);
            Thread.sleep(1500); // the bound of the first message must not fire on the connection now idle
            tcp.send(options("TCP", "partial-in-time-2", 0));
            assertEquals(200, SipWire.status(tcp.receive(5000)));
        }
    }
}
