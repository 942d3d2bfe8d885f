package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step that throws (issue #13): the routes' {@code sip-failures} configuration answers the request with 500
 * through its server transaction (a retransmission gets the same 500, not a second pass through the flow), logs one
 * line, and the connection stays up for the next message.
 */
class StepFailureTest {

    private static final AtomicInteger THROWN = new AtomicInteger();
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Processor broken = exchange -> {
            if (exchange.getIn().getBody() instanceof SIPRequest r && r.getRequestURI().toString().contains("+1999")) {
                THROWN.incrementAndGet();
                throw new IllegalStateException("routing table on fire");
            }
        };
        gateway = RunningGateway.start(Map.of(), Map.of("trunkRoute", broken));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static String invite(String callId, String transport) {
        return "INVITE sip:+19995550100@localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:40000;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@example.com>;tag=abc\r\n"
                + "To: <sip:+19995550100@localhost>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carrier@127.0.0.1:40000>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void aThrowingStepGets500AndTheTlsConnectionStaysUp() throws Exception {
        int before = THROWN.get();
        try (TlsSipClient c = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
            c.send(invite("fail-tls-1", "TLS"));
            assertTrue(c.readMessage().startsWith("SIP/2.0 100 Trying"));
            String failure = c.readMessage();
            assertTrue(failure.startsWith("SIP/2.0 500 Server Internal Error\r\n"), failure);
            assertTrue(failure.contains("Warning: 399 trunkgate") && failure.contains("routing table on fire"), failure);
            assertTrue(failure.contains("Call-ID: fail-tls-1"), failure);
            c.send(invite("fail-tls-1", "TLS")); // retransmitted: answered by the transaction, not the flow again
            String again = c.readMessage();
            assertTrue(again.startsWith("SIP/2.0 500 "), again);
            assertEquals(before + 1, THROWN.get(), "the step ran once");
            c.send(TlsSipClient.options("after-failure")); // the same connection still carries SIP
            assertTrue(c.readMessage().startsWith("SIP/2.0 200 OK"));
        }
        gateway.awaitLog(Duration.ofSeconds(5), "500 to INVITE fail-tls-1", "routing table on fire");
    }

    @Test
    void aThrowingStepGets500OverUdp() throws Exception {
        try (DatagramSocket pbx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            pbx.setSoTimeout(5000);
            byte[] invite = invite("fail-udp-1", "UDP").getBytes(StandardCharsets.UTF_8);
            InetSocketAddress gw = new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.insidePort());
            pbx.send(new DatagramPacket(invite, invite.length, gw));
            assertTrue(receive(pbx).startsWith("SIP/2.0 100 Trying"));
            String failure = receive(pbx);
            assertTrue(failure.startsWith("SIP/2.0 500 Server Internal Error\r\n"), failure);
            pbx.send(new DatagramPacket(invite, invite.length, gw));
            assertTrue(receive(pbx).startsWith("SIP/2.0 500 "), "the retransmission gets the same final response");
        }
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        socket.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
