package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.trunkgate.cert.Pem;
import io.trunkgate.harness.GatewayProcess;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Dnsmasq;
import io.trunkgate.peers.Sipp;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.junit.jupiter.api.Test;

/**
 * Several trunkgate instances behind DNS SRV (issue #18 item 1; ROUTE-4, ROUTE-5, REGION-1, CERT-7, CERT-12), all real
 * processes on loopback:
 * <pre>
 * SIPp UAC --UDP--> remote (trunkgate, remote.srv: _sips._tcp.edge.test, trunkgate.dns.servers: dnsmasq)
 *                     --TLS--> gw1.edge.test = 127.0.0.2 (trunkgate, its own certificate and Record-Route) --UDP--> SIPp UAS 1
 *                     --TLS--> gw2.edge.test = 127.0.0.3 (trunkgate, its own certificate and Record-Route) --UDP--> SIPp UAS 2
 * dnsmasq: SRV _sips._tcp.edge.test -> gw1 and gw2 (priority 10, weight 50 each), A gw1 -> 127.0.0.2, gw2 -> 127.0.0.3
 * </pre>
 * Calls spread over both instances (counted by each instance's UAS); one drained by SIGTERM, then killed with
 * SIGKILL: every new call succeeds on the other; restarted, it takes calls again.
 */
class SrvInstancesIT {

    private static final String NUMBER = "+13175550100";
    private static final String SRV = "_sips._tcp.edge.test";
    private static final String[] NAMES = {"gw1.edge.test", "gw2.edge.test"};
    private static final String[] ADDRESSES = {"127.0.0.2", "127.0.0.3"};

    @Test
    void route4_calls_spread_over_the_srv_targets_and_move_to_the_other_when_one_drains_or_dies() throws Exception {
        Path dir = Files.createTempDirectory("trunkgate-srv");
        Keys keys = Keys.write(dir);
        int port = portFreeOn(ADDRESSES); // every instance listens on the same port, each on its own address
        List<Sipp.Running> uas = new ArrayList<>();
        List<GatewayProcess> instances = new ArrayList<>();
        List<List<String>> options = new ArrayList<>();
        try (Dnsmasq dns = Dnsmasq.start(
                List.of(new Dnsmasq.Srv(SRV, NAMES[0], port, 10, 50), new Dnsmasq.Srv(SRV, NAMES[1], port, 10, 50)),
                List.of(new Dnsmasq.A(NAMES[0], ADDRESSES[0]), new Dnsmasq.A(NAMES[1], ADDRESSES[1])))) {
            int remotePort = RunningGateway.freePort();
            for (int i = 0; i < 2; i++) {
                int uasPort = RunningGateway.freePort();
                // a SIPp stalled by a loaded machine may see the ACK before it moved past its own 200: let it wait for
                // the next ACK (the caller's answer to the 200's retransmission) instead of aborting the call
                uas.add(Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p", String.valueOf(uasPort),
                        "-trace_msg", "-default_behaviors", "all,-abortunexp")));
                Path config = TrunkConfigDir.create("customer", "localhost", remotePort,
                        "sip:127.0.0.1:" + uasPort + ";transport=udp", "off");
                options.add(List.of("-Xmx256m", "-Dtrunkgate.trunk.host=" + ADDRESSES[i], "-Dtrunkgate.trunk.port=" + port,
                        "-Dtrunkgate.inside.port=" + RunningGateway.freePort(), "-Dtrunkgate.config.dir=" + config,
                        "-Dtrunkgate.tls.certificate=" + keys.chain(i), "-Dtrunkgate.tls.private-key=" + keys.key(i),
                        "-Dtrunkgate.tls.trust=" + keys.root(), "-Dtrunkgate.tls.advertised-names=" + NAMES[i],
                        "-Dtrunkgate.tls.self-check=fail", // CERT-7: its certificate carries its own name
                        "-Dtrunkgate.media.address=" + ADDRESSES[i],
                        "-Dtrunkgate.media.port-range=" + (44400 + 200 * i) + "-" + (44599 + 200 * i),
                        "-Dtrunkgate.probe.interval=off", "-Dtrunkgate.overload.max-queue-delay=off",
                        "-Dtrunkgate.warmup.calls=0", "-Dtrunkgate.drain.timeout=30s"));
            }
            for (List<String> o : options) {
                instances.add(GatewayProcess.run(o));
            }
            int remoteInside = RunningGateway.freePort();
            Path remoteConfig = TrunkConfigDir.createSrv("cloud", SRV, "sip:127.0.0.1:5070;transport=udp", "off");
            try (GatewayProcess remote = GatewayProcess.run(List.of("-Xmx256m", "-Dtrunkgate.trunk.host=127.0.0.1",
                    "-Dtrunkgate.trunk.port=" + remotePort, "-Dtrunkgate.inside.port=" + remoteInside,
                    "-Dtrunkgate.config.dir=" + remoteConfig, "-Dtrunkgate.tls.certificate=" + keys.chain(2),
                    "-Dtrunkgate.tls.private-key=" + keys.key(2), "-Dtrunkgate.tls.trust=" + keys.root(),
                    "-Dtrunkgate.dns.servers=" + dns.server(), "-Dtrunkgate.media.port-range=44000-44399",
                    "-Dtrunkgate.probe.interval=1s", "-Dtrunkgate.probe.timeout=800ms", "-Dtrunkgate.probe.down-after=2",
                    "-Dtrunkgate.probe.up-after=1", "-Dtrunkgate.overload.max-queue-delay=off",
                    "-Dtrunkgate.warmup.calls=0"))) {
                remote.awaitLog(Duration.ofSeconds(10), "OPTIONS probing of 2 remote host(s)");
                remote.awaitLog(Duration.ofSeconds(10), "TLS connection to " + NAMES[0] + ":" + port + " up");
                remote.awaitLog(Duration.ofSeconds(10), "TLS connection to " + NAMES[1] + ":" + port + " up");
                // the first handshakes of a cold JVM may outlast a probe's timeout and flap a host DOWN and UP: let
                // the probes settle before the calls whose spread is measured
                Thread.sleep(3000);
                // the remote asked the DNS server: SRV for the trunk, A for each target
                String queries = dns.log();
                assertTrue(queries.contains("query[SRV] " + SRV) && queries.contains("query[A] " + NAMES[0])
                        && queries.contains("query[A] " + NAMES[1]), queries);

                // both up: new calls spread over both by weight (50 : 50)
                calls(remoteInside, 40, 0).await(90).assertCalls("both instances up", 40);
                int[] spread = Sipp.requests(uas, "INVITE");
                System.out.println("SRV spread over gw1, gw2: " + Arrays.toString(spread));
                assertEquals(40, spread[0] + spread[1], Arrays.toString(spread));
                assertTrue(spread[0] >= 8 && spread[1] >= 8, "both took calls: " + Arrays.toString(spread));
                // each instance Record-Routes with its own name, the one its certificate carries (CERT-7)
                for (int i = 0; i < 2; i++) {
                    String seen = uas.get(i).messages();
                    assertTrue(seen.contains("<sip:" + NAMES[i] + ":" + port + ";transport=tls;lr>"), seen);
                    assertFalse(seen.contains(NAMES[1 - i]), NAMES[1 - i] + " is not on the calls of " + NAMES[i]);
                }

                // gw1 drains (SIGTERM) while calls are up on both: it answers new INVITEs and OPTIONS with 503, the
                // remote moves every new call to gw2, and the calls up on gw1 end normally
                Sipp.Running held = calls(remoteInside, 10, 4000);
                Thread.sleep(1500); // ten calls up, each held 4 s
                int mark = remote.output().size();
                int[] beforeDrain = Sipp.requests(uas, "INVITE");
                instances.get(0).terminate();
                instances.get(0).awaitLog(Duration.ofSeconds(5), "drain");
                calls(remoteInside, 20, 0).await(90).assertCalls("gw1 draining", 20);
                int[] duringDrain = Sipp.requests(uas, "INVITE");
                assertEquals(beforeDrain[0], duringDrain[0], "no new call reached the draining gw1");
                assertEquals(beforeDrain[1] + 20, duringDrain[1], "gw2 took every new call");
                held.await(60).assertCalls("calls up when gw1 began to drain", 10);
                assertEquals(0, instances.get(0).waitFor(Duration.ofSeconds(30)), "gw1 exits 0 once drained");
                remote.awaitLogAfter(mark, Duration.ofSeconds(10), "remote host " + NAMES[0] + ":" + port + " is DOWN");

                // gw1 back: the probes find it UP, and it takes calls again
                mark = remote.output().size();
                instances.set(0, GatewayProcess.run(options.get(0)));
                remote.awaitLogAfter(mark, Duration.ofSeconds(15), "remote host " + NAMES[0] + ":" + port + " is UP again");
                calls(remoteInside, 40, 0).await(90).assertCalls("gw1 back after its drain", 40);
                int[] back = Sipp.requests(uas, "INVITE");
                assertTrue(back[0] - duringDrain[0] >= 8 && back[1] - duringDrain[1] >= 8,
                        "both took calls again: " + Arrays.toString(duringDrain) + " -> " + Arrays.toString(back));

                // gw1 dies (SIGKILL): new calls at once, before any probe noticed: every one succeeds on gw2
                instances.get(0).kill();
                mark = remote.output().size();
                calls(remoteInside, 20, 0).await(90).assertCalls("gw1 killed", 20);
                int[] afterKill = Sipp.requests(uas, "INVITE");
                assertEquals(back[0], afterKill[0], "no call reached the dead gw1");
                assertEquals(back[1] + 20, afterKill[1], "gw2 took every new call");
                remote.awaitLogAfter(mark, Duration.ofSeconds(10), "remote host " + NAMES[0] + ":" + port + " is DOWN");

                // restarted, it takes calls again
                mark = remote.output().size();
                instances.set(0, GatewayProcess.run(options.get(0)));
                remote.awaitLogAfter(mark, Duration.ofSeconds(15), "remote host " + NAMES[0] + ":" + port + " is UP again");
                calls(remoteInside, 40, 0).await(90).assertCalls("gw1 back after a crash", 40);
                int[] again = Sipp.requests(uas, "INVITE");
                assertTrue(again[0] - afterKill[0] >= 8 && again[1] - afterKill[1] >= 8,
                        "both took calls again: " + Arrays.toString(afterKill) + " -> " + Arrays.toString(again));
                System.out.println("SRV instances: INVITEs per instance " + Arrays.toString(spread) + " (both up), "
                        + Arrays.toString(duringDrain) + " (gw1 drained), " + Arrays.toString(back) + " (back), "
                        + Arrays.toString(afterKill) + " (gw1 killed), " + Arrays.toString(again) + " (back)");
            }
        } finally {
            for (GatewayProcess g : instances) {
                g.close();
            }
            uas.forEach(Sipp.Running::stop);
        }
    }

    /** Calls from a PBX (SIPp, UDP) into the remote, which places them toward the SRV name. */
    private static Sipp.Running calls(int remoteInside, int calls, int holdMillis) throws Exception {
        return Sipp.start("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p", String.valueOf(RunningGateway.freePort()),
                "-s", NUMBER, "-m", String.valueOf(calls), "-r", "20", "-d", String.valueOf(holdMillis), "-timeout", "60s",
                "-timeout_error", "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + remoteInside));
    }

    /** A TCP port free on every one of the addresses. */
    private static int portFreeOn(String... addresses) throws Exception {
        Instant end = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(end)) {
            int candidate = RunningGateway.freePort();
            boolean free = true;
            for (String a : addresses) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName(a), candidate));
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port free on " + Arrays.toString(addresses));
    }

    /**
     * One root and intermediate; a leaf per instance naming only its own host (CERT-7), and one for the remote
     * (localhost, its default advertised name).
     */
    private record Keys(Path dir) {
        static Keys write(Path dir) throws Exception {
            Issued root = CertificateIssuer.ca("srv test root CA")
                    .validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(3650))).selfSigned();
            Issued intermediate = CertificateIssuer.ca("srv test intermediate CA").pathLength(0)
                    .validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1825)))
                    .issuedBy(root);
            Pem.write(dir.resolve("root.pem"), root.certificate());
            String[] names = {NAMES[0], NAMES[1], "localhost"};
            for (int i = 0; i < names.length; i++) {
                Issued leaf = CertificateIssuer.leaf(names[i]).dns(names[i]).issuedBy(intermediate);
                Pem.write(dir.resolve(i + "-chain.pem"), leaf.certificate(), intermediate.certificate());
                Path key = Files.createFile(dir.resolve(i + ".key"),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Pem.write(key, leaf.key());
            }
            return new Keys(dir);
        }

        Path root() {
            return dir.resolve("root.pem");
        }

        Path chain(int i) {
            return dir.resolve(i + "-chain.pem");
        }

        Path key(int i) {
            return dir.resolve(i + ".key");
        }
    }
}
