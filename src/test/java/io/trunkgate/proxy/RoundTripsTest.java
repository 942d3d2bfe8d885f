package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.media.SrtpCallThroughGatewayTest;
import io.trunkgate.peers.SipWire;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T1 follows the round trip of each UDP next hop (RFC 3261 17.1.1.1: T1 is an RTT estimate, larger than 500 ms when
 * the RTT is): a hop whose answers take longer than T1 (a slow PBX, or our own backlog while the gateway is behind)
 * does not get every INVITE twice, the second after it already answered.
 */
class RoundTripsTest {

    static final NextHop PBX = new NextHop("127.0.0.1", 5070, "udp", Side.INSIDE);

    static long ago(long millis) {
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    @DisplayName("RFC 6298 estimate: floor T1, SRTT + 4 RTTVAR above it, capped at T2, back to T1 as answers speed up")
    void estimate() {
        RoundTrips rt = new RoundTrips(500, 4000);
        assertEquals(500, rt.t1(PBX), "no sample yet: T1");
        rt.sample(PBX, ago(800));
        long t1 = rt.t1(PBX);
        assertTrue(t1 >= 2390 && t1 <= 2420, "800 ms: 800 + 4 * 400, got " + t1);
        rt.sample(PBX, ago(20_000));
        assertEquals(4000, rt.t1(PBX), "capped at T2");
        for (int i = 0; i < 100; i++) {
            rt.sample(PBX, ago(1));
        }
        assertEquals(500, rt.t1(PBX), "answers in 1 ms again: T1");
        assertEquals(500, rt.t1(new NextHop("127.0.0.1", 5071, "udp", Side.INSIDE)), "per next hop");
    }

    @Test
    @DisplayName("Karn: a resend doubles the next requests' T1 until a request sent once is answered")
    void backoff() {
        RoundTrips rt = new RoundTrips(500, 4000);
        rt.backOff(PBX, 500);
        assertEquals(1000, rt.t1(PBX));
        rt.backOff(PBX, 500); // another transaction of the same generation: no compounding
        assertEquals(1000, rt.t1(PBX));
        rt.backOff(PBX, 1000);
        assertEquals(2000, rt.t1(PBX));
        rt.backOff(PBX, 4000);
        assertEquals(4000, rt.t1(PBX), "capped at T2");
        rt.sample(PBX, ago(2));
        assertEquals(500, rt.t1(PBX), "a sample ends the backoff");
    }

    @Test
    @DisplayName("a PBX on UDP that answers in 800 ms: after the first call, INVITEs reach it once, not twice")
    void slowPbxGetsEachInviteOnce() throws Exception {
        try (DatagramSocket pbx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, AtomicInteger> invites = new ConcurrentHashMap<>();
            ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();
            Thread reader = new Thread(() -> slowPbx(pbx, invites, answers), "slow-pbx");
            reader.setDaemon(true);
            reader.start();
            Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                    "sip:127.0.0.1:" + pbx.getLocalPort() + ";transport=udp", "off");
            try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                    "trunkgate.sip.t1", "500"));
                    TlsSipClient carrier = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
                carrier.readTimeout(10_000);
                for (int call = 1; call <= 6; call++) {
                    carrier.send(ProxyTransactionTest.invite("slow-" + call, 70, "RTP/AVP"));
                    String final_ = null;
                    while (final_ == null) {
                        String m = carrier.readMessage();
                        if (!m.startsWith("SIP/2.0 1")) {
                            final_ = m;
                        }
                    }
                    assertTrue(final_.startsWith("SIP/2.0 486 "), final_);
                }
            } finally {
                answers.shutdownNow();
            }
            String seen = invites.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            assertEquals(2, invites.get("slow-1").get(), "the first: resent at T1, its 180 not there yet: " + seen);
            for (int call = 3; call <= 6; call++) {
                assertEquals(1, invites.get("slow-" + call).get(), "once the round trip is known: " + seen);
            }
        }
    }

    /** Counts INVITEs by Call-ID; answers the first of each with 180 and 486 after 800 ms; ignores the rest (ACKs). */
    static void slowPbx(DatagramSocket socket, Map<String, AtomicInteger> invites, ScheduledExecutorService answers) {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.setSoTimeout(500);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (java.io.IOException e) {
                return;
            }
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (!m.startsWith("INVITE ")) {
                continue;
            }
            String callId = SipWire.callId(m);
            if (invites.computeIfAbsent(callId, k -> new AtomicInteger()).incrementAndGet() > 1) {
                continue; // a retransmission: a UAS answers it again, which changes nothing here
            }
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            answers.schedule(() -> {
                for (String status : new String[] {"180 Ringing", "486 Busy Here"}) {
                    byte[] r = SrtpCallThroughGatewayTest.response(m, status, ";tag=pbx", null, true, null)
                            .getBytes(StandardCharsets.ISO_8859_1);
                    try {
                        socket.send(new DatagramPacket(r, r.length, from));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, 800, TimeUnit.MILLISECONDS);
        }
    }
}
