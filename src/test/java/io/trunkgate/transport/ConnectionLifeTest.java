package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.PongingTcpRelay;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * How stream connections end (issue #15 item 2): a connection that never starts its TLS handshake, an idle one, one
 * a dialog holds, and an outbound one whose remote stopped reading (RFC 5626 keep-alive); each close is one log line
 * with its reason.
 */
class ConnectionLifeTest {

    private static final String OPTIONS = "OPTIONS sip:localhost SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK-idle-1\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:localhost>\r\nCall-ID: idle-1\r\nCSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    /** Reads until the gateway closes the connection; returns how long that took, in ms. */
    private static long millisUntilClosed(InputStream in) throws IOException {
        long start = System.nanoTime();
        while (in.read() >= 0) {
            // a close is what we wait for
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void tls7_a_tcp_connection_that_never_sends_a_client_hello_is_closed_at_the_handshake_timeout() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.tls.handshake-timeout", "1000"));
                Socket silent = new Socket("127.0.0.1", gateway.trunkPort())) {
            silent.setSoTimeout(5000);
            long ms = millisUntilClosed(silent.getInputStream());
            assertTrue(ms >= 900 && ms < 3000, "closed after " + ms + " ms");
            gateway.awaitLog(Duration.ofSeconds(2), "closed after", "TLS handshake timeout",
                    "trunkgate.tls.handshake-timeout");
        }
    }

    @Test
    void an_idle_inbound_connection_closes_after_its_idle_time() throws Exception {
        // T1 = 50 ms: a transaction lasts at most 64*T1 = 3.2 s, so 4 s of silence is idleness
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.sip.t1", "50",
                "trunkgate.connection.idle-timeout", "4s"));
                TlsSipClient client = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
            client.send(OPTIONS);
            assertTrue(client.readMessage().startsWith("SIP/2.0 200"));
            long start = System.nanoTime();
            gateway.awaitLog(Duration.ofSeconds(8), "TLS server on port " + gateway.trunkPort(), "closed after",
                    "idle for 4 s without a dialog or a SIP message");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms > 3000, "closed " + ms + " ms after the last message");
        }
    }

    @Test
    void a_connection_a_call_holds_outlives_the_idle_time() throws Exception {
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + uasPort + ";transport=udp", "off");
        // T1 = 100 ms: transactions last at most 6.4 s; the call is held 9 s, longer than the 7-s idle time
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.t1", "100", "trunkgate.connection.idle-timeout", "7s"));
                Stunnel remote = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(),
                        gateway.pki().resolve(DevPki.ROOT), "localhost")) {
            Sipp.Running pbx = Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                    String.valueOf(uasPort), "-m", "1"));
            Thread.sleep(300);
            Sipp.Result caller = Sipp.run("uac-or-503.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-s",
                    "+13175550100", "-m", "1", "-d", "9000", "-timeout", "30s", "-timeout_error",
                    "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + remote.acceptPort()), 40);
            caller.assertCalls("remote caller holding its call 9 s", 1);
            pbx.await(20).assertCalls("PBX", 1);
            assertTrue(gateway.logLines().stream().noneMatch(l -> l.contains("idle for 7 s")),
                    "the dialog kept its connection open");
        }
    }

    @Test
    void rfc5626_a_remote_that_stops_reading_is_found_by_the_ping_and_the_next_call_opens_a_new_connection()
            throws Exception {
        int remotePort = RunningGateway.freePort();
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", remotePort, "sip:127.0.0.1:5070;transport=udp", "off");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.connection.keepalive-interval", "1s", "trunkgate.connection.keepalive-timeout", "1s",
                "trunkgate.connection.idle-timeout", "off"));
                PongingTcpRelay relay = new PongingTcpRelay(uasPort)) {
            DevPki pki = DevPki.ensure(gateway.pki(), List.of());
            try (Stunnel remote = Stunnel.server(remotePort, relay.port(), pki.peerChain(), pki.peerKey())) {
                Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-m", "2"));
                Thread.sleep(300);
                call(gateway);
                Thread.sleep(3500);
                assertTrue(relay.pongs() >= 2, "pings answered on the quiet connection: " + relay.pongs());
                assertTrue(gateway.logLines().stream().noneMatch(l -> l.contains("(TLS client to localhost:" + remotePort
                        + ") closed")), "a connection that answers its pings stays open");

                remote.pause(); // SIGSTOP: the remote reads nothing more, its socket stays open
                String closed = gateway.awaitLog(Duration.ofSeconds(6), "(TLS client to localhost:" + remotePort + ")",
                        "closed after", "no pong to a keep-alive ping within 1000 ms", "RFC 5626");
                assertTrue(closed.startsWith("WARN"), closed);
                remote.resume();

                call(gateway);
                uas.await(20).assertCalls("remote", 2);
                assertEquals(2, gateway.logLines().stream().filter(l -> l.contains("TLS connection to localhost:"
                        + remotePort + " up")).count(), "the second call opened a fresh connection");
            }
        }
    }

    private static void call(RunningGateway gateway) throws Exception {
        Sipp.run("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p", String.valueOf(RunningGateway.freePort()),
                "-s", "+13175550100", "-m", "1", "-timeout", "20s", "-timeout_error", "-default_behaviors",
                "all,-abortunexp", "127.0.0.1:" + gateway.insidePort()), 30).assertCalls("PBX caller", 1);
    }
}
