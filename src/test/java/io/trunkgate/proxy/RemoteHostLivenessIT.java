package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.trunkgate.harness.GatewayProcess;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * OPTIONS probing of a trunk's four remote proxies (issue #15 item 1, ROUTE-5): lb01..lb04.test on 127.0.0.1..4,
 * each a SIPp UAS behind its own stunnel server with a certificate naming it. The gateway runs as a process with its
 * own hosts file (jdk.net.hosts.file) so the four names resolve to the four addresses. One proxy wedges (SIGSTOP):
 * it is DOWN within interval x threshold, new calls go only to the other three with no added set-up time, it comes
 * back UP; then all four die and a new call still tries them, and gets 503 with Retry-After only when all fail.
 */
class RemoteHostLivenessIT {

    private static final String NUMBER = "+13175550100";
    private static final int HOSTS = 4;

    private static String name(int i) {
        return "lb0" + (i + 1) + ".test";
    }

    @Test
    void route5_a_wedged_proxy_is_marked_down_skipped_and_up_again_and_all_down_still_tries_them() throws Exception {
        Path dir = Files.createTempDirectory("trunkgate-liveness");
        Path hostsFile = dir.resolve("hosts");
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName() + "\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            names.add(name(i));
            hosts.append("127.0.0.").append(i + 1).append(' ').append(name(i)).append('\n');
        }
        Files.writeString(hostsFile, hosts);
        DevPki pki = DevPki.ensure(dir.resolve("pki"), names); // the peer leaf names lb01..lb04.test (CERT-5)
        int port = RunningGateway.freePort();
        int insidePort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("customer", String.join(", ", names), port,
                "sip:127.0.0.1:5070;transport=udp", "off");

        List<Sipp.Running> uas = new ArrayList<>();
        List<Stunnel> remotes = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTS; i++) {
                int uasPort = RunningGateway.freePort();
                uas.add(Sipp.start("uas-probed.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-trace_msg")));
                remotes.add(Stunnel.server("127.0.0." + (i + 1), port, uasPort, pki.peerChain(), pki.peerKey()));
            }
            try (GatewayProcess gateway = GatewayProcess.run(List.of("-Xmx384m", "-Djdk.net.hosts.file=" + hostsFile,
                    "-Dtrunkgate.trunk.host=127.0.0.1", "-Dtrunkgate.trunk.port=" + RunningGateway.freePort(),
                    "-Dtrunkgate.inside.port=" + insidePort, "-Dtrunkgate.config.dir=" + config,
                    "-Dtrunkgate.tls.dev-pki-dir=" + pki.dir(), "-Dtrunkgate.media.port-range=43200-43399",
                    "-Dtrunkgate.probe.interval=1s", "-Dtrunkgate.overload.max-queue-delay=off", "-Dtrunkgate.probe.timeout=500ms",
                    "-Dtrunkgate.probe.down-after=2", "-Dtrunkgate.probe.up-after=2"))) {
                gateway.awaitLog(Duration.ofSeconds(5), "OPTIONS probing of 4 remote host(s) every 1 s");
                // the first handshakes of a cold JVM may outlast the 500-ms probe timeout and flap a host DOWN and
                // UP: let the probes settle before the calls whose spread is measured
                Thread.sleep(4000);

                // all four UP: calls spread over them
                Sipp.Result before = calls(insidePort, 40, "uac.xml");
                before.assertCalls("PBX, four proxies up", 40);
                int[] first = Sipp.requests(uas, "INVITE");
                for (int i = 0; i < HOSTS; i++) {
                    assertTrue(first[i] >= 3, "calls spread over all four proxies: " + List.of(first[0], first[1], first[2], first[3]));
                }

                // lb03 wedges: its TLS connections stall, new ones never finish their handshake
                int mark = gateway.output().size();
                long wedged = System.nanoTime();
                remotes.get(2).pause();
                String down = gateway.awaitLogAfter(mark, Duration.ofSeconds(8), "remote host " + name(2) + ":" + port
                        + " is DOWN", "ROUTE-5");
                long downAfter = (System.nanoTime() - wedged) / 1_000_000;
                assertTrue(downAfter < 4000, "DOWN " + downAfter + " ms after it wedged (interval 1 s x 2 probes + 500 ms): " + down);

                Sipp.Result during = calls(insidePort, 40, "uac.xml");
                during.assertCalls("PBX, lb03 down", 40);
                int[] second = Sipp.requests(uas, "INVITE");
                assertEquals(first[2], second[2], "no new call went to the DOWN proxy");
                for (int i : new int[] {0, 1, 3}) {
                    assertTrue(second[i] - first[i] >= 6, "the other three took the calls: " + List.of(second[0], second[1], second[2], second[3]));
                }
                System.out.printf("liveness: DOWN %d ms after the wedge; set-up %.1f ms (all UP) vs %.1f ms (lb03 DOWN);"
                        + " INVITEs per proxy %s then %s%n", downAfter, before.responseTimeMillis(), during.responseTimeMillis(),
                        java.util.Arrays.toString(first), java.util.Arrays.toString(second));
                // a call that tried lb03 first would wait out the 10-s TLS handshake timeout before failing over
                assertTrue(during.responseTimeMillis() < before.responseTimeMillis() + 100,
                        "set-up time with lb03 DOWN " + during.responseTimeMillis() + " ms vs " + before.responseTimeMillis()
                                + " ms with all four UP");

                mark = gateway.output().size();
                remotes.get(2).resume();
                gateway.awaitLogAfter(mark, Duration.ofSeconds(15), "remote host " + name(2) + ":" + port + " is UP again");

                // every proxy dies: the probes mark them all DOWN, a new call still tries each, then 503
                mark = gateway.output().size();
                for (Stunnel r : remotes) {
                    r.close();
                }
                for (int i = 0; i < HOSTS; i++) {
                    gateway.awaitLogAfter(mark, Duration.ofSeconds(10), "remote host " + name(i) + ":" + port + " is DOWN");
                }
                Sipp.Result allDown = calls(insidePort, 2, "uac-or-503.xml");
                allDown.assertCalls("PBX, every proxy down", 2);
                assertEquals(2, allDown.received("503"), "503 with Retry-After after all four failed");
                for (int i = 0; i < HOSTS; i++) {
                    gateway.awaitLogAfter(mark, Duration.ofSeconds(2), "cannot forward INVITE to tls:" + name(i) + ":" + port);
                }

                // one comes back before the probes saw it: the call that tries them all in order finds it
                remotes.set(1, Stunnel.server("127.0.0.2", port, uasPortOf(uas.get(1)), pki.peerChain(), pki.peerKey()));
                Sipp.Result found = calls(insidePort, 1, "uac-or-503.xml");
                found.assertCalls("PBX, lb02 back but still DOWN", 1);
                assertEquals(0, found.received("503"), "the DOWN hosts were tried: lb02 took the call");
            }
        } finally {
            for (Stunnel r : remotes) {
                r.close();
            }
            uas.forEach(Sipp.Running::stop);
        }
    }

    private static Sipp.Result calls(int insidePort, int calls, String scenario) throws Exception {
        return Sipp.run(scenario, List.of("-t", "u1", "-i", "127.0.0.1", "-p", String.valueOf(RunningGateway.freePort()),
                "-s", NUMBER, "-m", String.valueOf(calls), "-r", "20", "-timeout", "60s", "-timeout_error",
                "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + insidePort), 90);
    }

    private static int uasPortOf(Sipp.Running uas) {
        return uas.port();
    }
}
