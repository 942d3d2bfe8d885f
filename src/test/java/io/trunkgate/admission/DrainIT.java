package io.trunkgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.trunkgate.harness.GatewayProcess;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * Graceful drain (issue #15 item 4) of the packaged gateway on a real SIGTERM: calls in flight go on to their end,
 * new INVITEs and OPTIONS get 503 with Retry-After, the process exits 0 when the last call ends, or at
 * trunkgate.drain.timeout when one hangs, and says how many calls it waited for and cut.
 */
class DrainIT {

    private static final String NUMBER = "+13175550100";

    /** PBX (SIPp, UDP) -> the gateway process -> TLS -> stunnel -> remote (SIPp, TCP). */
    private record Trunk(GatewayProcess gateway, int insidePort, Stunnel remote) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            gateway.close();
            remote.close();
        }
    }

    private static Trunk trunk(int uasPort, String drainTimeout) throws Exception {
        int remotePort = RunningGateway.freePort();
        int insidePort = RunningGateway.freePort();
        Path pkiDir = Files.createTempDirectory("trunkgate-drain-pki");
        DevPki pki = DevPki.ensure(pkiDir, List.of());
        Path config = TrunkConfigDir.create("localhost", remotePort, "sip:127.0.0.1:5070;transport=udp", "off");
        Stunnel remote = Stunnel.server(remotePort, uasPort, pki.peerChain(), pki.peerKey());
        GatewayProcess gateway = GatewayProcess.run(List.of("-Xmx384m", "-Dtrunkgate.trunk.host=127.0.0.1",
                "-Dtrunkgate.trunk.port=" + RunningGateway.freePort(), "-Dtrunkgate.inside.port=" + insidePort,
                "-Dtrunkgate.config.dir=" + config, "-Dtrunkgate.tls.dev-pki-dir=" + pkiDir,
                "-Dtrunkgate.probe.interval=off", "-Dtrunkgate.overload.max-queue-delay=off", "-Dtrunkgate.media.port-range=43000-43199",
                "-Dtrunkgate.drain.timeout=" + drainTimeout));
        return new Trunk(gateway, insidePort, remote);
    }

    private static Sipp.Running calls(int insidePort, int calls, int holdMillis) throws Exception {
        return Sipp.start("uac-or-503.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                String.valueOf(RunningGateway.freePort()), "-s", NUMBER, "-m", String.valueOf(calls), "-r", "10",
                "-d", String.valueOf(holdMillis), "-timeout", "60s", "-timeout_error", "-default_behaviors",
                "all,-abortunexp", "127.0.0.1:" + insidePort));
    }

    @Test
    void sigterm_lets_the_calls_in_flight_end_refuses_new_ones_and_exits_0() throws Exception {
        int uasPort = RunningGateway.freePort();
        Sipp.Running remoteUas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                String.valueOf(uasPort), "-m", "10"));
        try (Trunk trunk = trunk(uasPort, "30s")) {
            Sipp.Running inFlight = calls(trunk.insidePort(), 10, 5000); // 10 calls held 5 s each
            trunk.gateway().awaitLog(Duration.ofSeconds(10), "TLS connection to localhost:", " up ");
            Thread.sleep(1500); // all ten set up (10 per second)
            long signalled = System.nanoTime();
            trunk.gateway().terminate();
            trunk.gateway().awaitLog(Duration.ofSeconds(5), "drain: 10 call(s) in flight", "503 with Retry-After");

            Sipp.Result refused = calls(trunk.insidePort(), 3, 0).await(30);
            refused.assertCalls("new calls during the drain", 3);
            assertEquals(3, refused.received("503"), "every new call got 503 with Retry-After");
            String options = options(trunk.insidePort());
            assertTrue(options.startsWith("SIP/2.0 503") && options.contains("Retry-After: "), options);

            int exit = trunk.gateway().waitFor(Duration.ofSeconds(20));
            long drained = (System.nanoTime() - signalled) / 1_000_000;
            assertEquals(0, exit, String.join("\n", trunk.gateway().output()));
            Sipp.Result done = inFlight.await(30);
            done.assertCalls("calls in flight at SIGTERM", 10);
            assertEquals(0, done.received("503"));
            // (the remote's SIPp lingers 2 s after each BYE's 200, so its TCP connection closing with the gateway
            // fails its calls on its own screen: the callers' results above are the calls' outcome)
            trunk.gateway().awaitLog(Duration.ofSeconds(1), "drain done", "waited for 10 call(s) in flight, 10 ended,"
                    + " 0 cut at the timeout");
            assertTrue(drained >= 2000 && drained < 15_000, "exited " + drained + " ms after SIGTERM, when the last call ended");
        } finally {
            remoteUas.stop();
        }
    }

    @Test
    void a_call_that_outlasts_the_drain_timeout_is_cut_and_the_gateway_still_exits_0() throws Exception {
        int uasPort = RunningGateway.freePort();
        Sipp.Running remoteUas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                String.valueOf(uasPort), "-m", "1"));
        Sipp.Running hanging = null;
        try (Trunk trunk = trunk(uasPort, "3s")) {
            hanging = calls(trunk.insidePort(), 1, 60_000);
            trunk.gateway().awaitLog(Duration.ofSeconds(10), "TLS connection to localhost:", " up ");
            Thread.sleep(1000); // the call is up
            long signalled = System.nanoTime();
            trunk.gateway().terminate();
            assertEquals(0, trunk.gateway().waitFor(Duration.ofSeconds(20)), String.join("\n", trunk.gateway().output()));
            long drained = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(drained >= 3000 && drained < 12_000, "exited " + drained + " ms after SIGTERM");
            trunk.gateway().awaitLog(Duration.ofSeconds(1), "drain done", "waited for 1 call(s) in flight, 0 ended,"
                    + " 1 cut at the timeout");
        } finally {
            if (hanging != null) {
                hanging.stop();
            }
            remoteUas.stop();
        }
    }

    /** One OPTIONS to the inside listener over UDP; the answer's text. */
    private static String options(int insidePort) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String request = "OPTIONS sip:127.0.0.1:" + insidePort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-drain-opt\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:pbx@127.0.0.1>;tag=d1\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: drain-options\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), insidePort));
            DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
            socket.receive(answer);
            return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8);
        }
    }
}
