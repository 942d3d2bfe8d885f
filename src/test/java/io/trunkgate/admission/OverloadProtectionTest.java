package io.trunkgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * Overload protection with real peers at small scale (issue #15 item 3; the 300 calls/s shedding run is
 * bench/overload-shedding.sh): a trunk's call rate, the TLS listener's per-source caps, and pike.
 */
class OverloadProtectionTest {

    private static final String NUMBER = "+13175550100";

    private static RefusalLog refusals(RunningGateway gateway) {
        return TrunkgateBeans.lookup(gateway.camel(), TrunkgateBeans.REFUSALS, RefusalLog.class);
    }

    @Test
    void a_trunk_driven_at_twice_its_call_rate_refuses_the_excess_with_503_and_retry_after() throws Exception {
        int remotePort = RunningGateway.freePort();
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("customer", "localhost", remotePort, "sip:127.0.0.1:5070;transport=udp",
                "off", "    limits:", "      calls-per-second: 5");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.limits.log-interval", "1s"))) {
            DevPki pki = DevPki.ensure(gateway.pki(), List.of());
            try (Stunnel remote = Stunnel.server(remotePort, uasPort, pki.peerChain(), pki.peerKey())) {
                Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort)));
                Thread.sleep(300);
                // 40 calls at 10 per second, each held 500 ms: twice the trunk's 5 per second
                Sipp.Result pbx = Sipp.run("uac-or-503.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", NUMBER, "-m", "40", "-r", "10", "-d", "500",
                        "-timeout", "60s", "-timeout_error", "-default_behaviors", "all,-abortunexp",
                        "127.0.0.1:" + gateway.insidePort()), 90);
                uas.stop();
                int refused = pbx.received("503");
                int admitted = pbx.received("200");
                // every call either completed (200, ACK, BYE, 200) or got 503 with Retry-After (else SIPp fails it)
                pbx.assertCalls("PBX caller", 40);
                assertEquals(40, refused + admitted, pbx.output());
                assertTrue(refused >= 10 && admitted >= 15 && admitted <= 28, "admitted " + admitted + ", refused " + refused);
                assertEquals(refused, refusals(gateway).totals().get("INVITE 503: over the trunk's limits.calls-per-second"));
                gateway.awaitLog(Duration.ofSeconds(3), "refused in the last 1 s:",
                        "INVITE 503: over the trunk's limits.calls-per-second [test (");
            }
        }
    }

    @Test
    void two_hundred_connections_from_one_source_are_capped() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.listener.max-connections-per-source", "50",
                "trunkgate.listener.handshakes-per-second-per-source", "0", "trunkgate.limits.log-interval", "1s"))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    sockets.add(new Socket("127.0.0.1", gateway.trunkPort()));
                }
                Thread.sleep(1000);
                int open = 0;
                for (Socket s : sockets) {
                    s.setSoTimeout(20);
                    try {
                        open += s.getInputStream().read() < 0 ? 0 : 1;
                    } catch (SocketTimeoutException stillOpen) {
                        open++;
                    }
                }
                assertEquals(50, open, "the cap per source");
                assertEquals(150L, refusals(gateway).totals().get(
                        "TLS connection refused: over trunkgate.listener.max-connections-per-source"));
                gateway.awaitLog(Duration.ofSeconds(3), "150 x TLS connection refused: over"
                        + " trunkgate.listener.max-connections-per-source [127.0.0.1 (150)]");
                assertTrue(gateway.logLines().stream().noneMatch(l -> l.contains("closed after") && l.contains("over trunkgate")),
                        "refused connections are counted, not logged one by one");
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void a_handshake_flood_from_one_source_does_not_fail_calls_on_an_established_connection() throws Exception {
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + uasPort + ";transport=udp", "off");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.listener.handshakes-per-second-per-source", "10"));
                Stunnel remote = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(),
                        gateway.pki().resolve(DevPki.ROOT), "localhost")) {
            Sipp.Running pbx = Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                    String.valueOf(uasPort), "-m", "40"));
            Thread.sleep(300);
            // the remote's connection is up before the flood: its first call opens it
            Sipp.Running caller = Sipp.start("uac.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-s", NUMBER, "-m", "40",
                    "-r", "10", "-timeout", "60s", "-timeout_error", "-default_behaviors", "all,-abortunexp",
                    "127.0.0.1:" + remote.acceptPort()));
            Thread.sleep(500);
            SSLContext tls = TlsSipClient.sunJsse(gateway.pki().resolve(DevPki.ROOT), "TLSv1.2");
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> flood = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    while (flooding.get()) {
                        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", gateway.trunkPort())) {
                            s.setSoTimeout(5000);
                            s.startHandshake();
                            completed.incrementAndGet();
                        } catch (IOException e) {
                            refused.incrementAndGet();
                        }
                    }
                });
                th.start();
                flood.add(th);
            }
            Sipp.Result calls = caller.await(90);
            flooding.set(false);
            for (Thread th : flood) {
                th.join();
            }
            calls.assertCalls("remote caller on its established connection", 40);
            pbx.await(30).assertCalls("PBX", 40);
            long capped = refusals(gateway).totals().getOrDefault(
                    "TLS connection refused: over trunkgate.listener.handshakes-per-second-per-source", 0L);
            assertTrue(refused.get() > 100 && capped > 100, "flood refused: " + refused + " (gateway counted " + capped
                    + "), handshakes done: " + completed);
            assertTrue(completed.get() <= 10 * 6 + 10, "at most 10 handshakes per second got through: " + completed);
        }
    }

    @Test
    void pike_blocks_a_flooding_source_and_spares_an_exempt_one() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.pike.max-requests", "20",
                "trunkgate.pike.window", "10s", "trunkgate.pike.exempt", ""));
                TlsSipClient flooder = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
            assertEquals(20, answered(flooder, 40), "the first 20 requests of the window, then none");
            assertEquals(1L, refusals(gateway).totals().get("source blocked: over trunkgate.pike.max-requests"));
            assertEquals(19L, refusals(gateway).totals().get("request dropped: its source is blocked (trunkgate.pike)"));
        }
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.pike.max-requests", "20",
                "trunkgate.pike.window", "10s", "trunkgate.pike.exempt", "127.0.0.0/8"));
                TlsSipClient pbxLike = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
            assertEquals(40, answered(pbxLike, 40), "an exempt source is never blocked");
        }
    }

    /** Sends {@code n} OPTIONS at once and counts the answers that come within a second of the last. */
    private static int answered(TlsSipClient client, int n) throws IOException {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            burst.append(TlsSipClient.options("pike-" + i));
        }
        client.send(burst.toString());
        client.readTimeout(1000);
        int answers = 0;
        try {
            while (client.readMessage().startsWith("SIP/2.0 200")) {
                answers++;
            }
        } catch (SocketTimeoutException e) {
            // no more answers
        }
        return answers;
    }
}
