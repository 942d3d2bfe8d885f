package io.trunkgate.media.relay;

import static io.trunkgate.media.relay.MediaRelayLibsrtpTest.assertNothing;
import static io.trunkgate.media.relay.MediaRelayLibsrtpTest.bytes;
import static io.trunkgate.media.relay.MediaRelayLibsrtpTest.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.config.Settings;
import io.trunkgate.flow.Side;
import io.trunkgate.media.SrtpBridge;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.SdpResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay on loopback with real UDP sockets; the SRTP remote here is our own protector (see the libsrtp test for interop). */
public class MediaRelayLoopbackTest {

    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Threads as the gateway gets them: from a Camel context's ExecutorServiceManager. */
    public static final ExecutorServiceManager THREADS = new DefaultCamelContext().getExecutorServiceManager();
    public final SecureRandom random = new SecureRandom();
    MediaRelay relay;

    /** A relay whose released sockets stay pooled for 1 s (the shipped default is 600 s). */
    MediaRelay relay(int low, int high, Duration timeout) {
        return relay(low, high, timeout, Duration.ofSeconds(1));
    }

    MediaRelay relay(int low, int high, Duration timeout, Duration socketLinger) {
        relay = new MediaRelay(new MediaSettings(LOOPBACK, low, high, timeout, socketLinger), THREADS);
        return relay;
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    static String sdp(String owner, int port, String proto, String extra) {
        return "v=0\r\no=" + owner + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port + " "
                + proto + " 0\r\n" + extra;
    }

    static void send(DatagramSocket from, byte[] data, int port) throws IOException {
        from.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }

    static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void srtp2PlainRtpOnAnOptionalTrunkLatchesTheFirstSource() throws Exception {
        relay(41100, 41199, Duration.ofSeconds(60));
        SrtpBridge bridge = new SrtpBridge(MediaSecurity.OPTIONAL, random);
        MediaSession session = relay.open("plain");
        try (DatagramSocket trunk = socket(); DatagramSocket stranger = socket(); DatagramSocket inside = socket()) {
            bridge.offer(session, Side.TRUNK, "application/sdp", bytes(sdp("carrier", trunk.getLocalPort(), "RTP/AVP", "")));
            SdpResult.Answered a = (SdpResult.Answered) bridge.answer(session, Side.INSIDE, "application/sdp",
                    bytes(sdp("pbx", inside.getLocalPort(), "RTP/AVP", "")));
            assertTrue(new String(a.body(), StandardCharsets.UTF_8).contains(" RTP/AVP 0"));
            int trunkPort = session.relayAddress(Side.TRUNK).rtpPort();
            int insidePort = session.relayAddress(Side.INSIDE).rtpPort();

            byte[] one = SrtpRoundTripTest.rtp(1, 1, 160);
            send(trunk, one, trunkPort);
            assertArrayEquals(one, receive(inside));
            send(stranger, SrtpRoundTripTest.rtp(2, 1, 160), trunkPort);
            assertNothing(inside);
            assertEquals(1, session.counters(Side.TRUNK).drops(DropCause.NOT_LATCHED));

            byte[] back = SrtpRoundTripTest.rtp(9, 2, 160);
            send(inside, back, insidePort);
            assertArrayEquals(back, receive(trunk));
            send(inside, new byte[] {1, 2, 3}, insidePort);
            assertNothing(trunk);
            assertEquals(1, session.counters(Side.INSIDE).drops(DropCause.MALFORMED));
        } finally {
            session.release("BYE");
        }
        assertEquals(0, relay.portsInUse());
        assertBindableSoon(session);
    }

    @Test
    void srtp1LatchingReKeyingAndDropsWithOurOwnRemote() throws Exception {
        relay(41200, 41299, Duration.ofSeconds(60));
        SrtpBridge bridge = new SrtpBridge(MediaSecurity.REQUIRED, random);
        MediaSession session = relay.open("rekey");
        try (DatagramSocket trunk = socket(); DatagramSocket moved = socket(); DatagramSocket inside = socket()) {
            MasterKey k1 = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
            MasterKey ours1 = negotiate(bridge, session, trunk, inside, k1, "1");
            assertEquals(MediaSession.State.ANSWERED, session.state());
            int trunkPort = session.relayAddress(Side.TRUNK).rtpPort();
            int insidePort = session.relayAddress(Side.INSIDE).rtpPort();
            SrtpProtector remote1 = new SrtpProtector(k1);

            byte[] p1 = SrtpRoundTripTest.rtp(1, 7, 160);
            send(trunk, protect(remote1, p1), trunkPort);
            assertArrayEquals(p1, receive(inside));

            // an unauthenticated packet from elsewhere neither passes nor moves the latch (symmetric RTP)
            send(moved, SrtpRoundTripTest.rtp(2, 7, 170), trunkPort);
            assertNothing(inside);
            byte[] out1 = SrtpRoundTripTest.rtp(50, 8, 160);
            send(inside, out1, insidePort);
            SrtpUnprotector remoteIn1 = new SrtpUnprotector(ours1);
            assertEquals(Optional.empty(), remoteIn1.unprotectRtp(buffer(receive(trunk))));
            // an authenticated packet from a new address re-latches
            byte[] p3 = SrtpRoundTripTest.rtp(3, 7, 160);
            send(moved, protect(remote1, p3), trunkPort);
            assertArrayEquals(p3, receive(inside));
            send(inside, SrtpRoundTripTest.rtp(51, 8, 160), insidePort);
            assertEquals(Optional.empty(), remoteIn1.unprotectRtp(buffer(receive(moved))));

            // re-INVITE from the trunk with a new key (SRTP-1 re-keying); our key changes too
            MasterKey k2 = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_32, random);
            MasterKey ours2 = negotiate(bridge, session, moved, inside, k2, "2");
            assertEquals(MediaSession.State.REKEYED, session.state());
            assertTrue(!ours2.equals(ours1));
            // in-flight packets with the old key still pass until the new key is seen
            byte[] p4 = SrtpRoundTripTest.rtp(4, 7, 160);
            send(moved, protect(remote1, p4), trunkPort);
            assertArrayEquals(p4, receive(inside));
            SrtpProtector remote2 = new SrtpProtector(k2);
            byte[] p5 = SrtpRoundTripTest.rtp(5, 7, 160);
            send(moved, protect(remote2, p5), trunkPort);
            assertArrayEquals(p5, receive(inside));
            send(moved, protect(remote1, SrtpRoundTripTest.rtp(6, 7, 160)), trunkPort);
            assertNothing(inside);
            send(inside, SrtpRoundTripTest.rtp(52, 8, 160), insidePort);
            assertEquals(Optional.empty(), new SrtpUnprotector(ours2).unprotectRtp(buffer(receive(moved))));

            StreamCounters c = session.counters(Side.TRUNK);
            assertEquals(2, c.drops(DropCause.AUTH_FAILED), c.toString());
        } finally {
            session.release("BYE");
        }
        assertEquals(0, relay.portsInUse());
    }

    /** Offer from the trunk with {@code key} (tag), answer from the inside; returns our key from the answer. */
    static MasterKey negotiate(SrtpBridge bridge, MediaSession session, DatagramSocket trunk, DatagramSocket inside,
            MasterKey key, String version) {
        String crypto = "a=crypto:1 " + key.suite().sdpName() + " inline:" + key.inline() + "\r\n";
        assertInstanceOf(SdpResult.Offered.class, bridge.offer(session, Side.TRUNK, "application/sdp",
                bytes(sdp("carrier", trunk.getLocalPort(), "RTP/SAVP", crypto).replace("1 1 IN", "1 " + version + " IN"))));
        SdpResult.Answered a = assertInstanceOf(SdpResult.Answered.class, bridge.answer(session, Side.INSIDE,
                "application/sdp", bytes(sdp("pbx", inside.getLocalPort(), "RTP/AVP", ""))));
        Matcher m = Pattern.compile("a=crypto:1 \\S+ inline:(\\S+)").matcher(new String(a.body(), StandardCharsets.UTF_8));
        assertTrue(m.find());
        return MasterKey.fromKeySalt(key.suite(), Base64.getDecoder().decode(m.group(1)));
    }

    static byte[] protect(SrtpProtector p, byte[] rtp) {
        PacketBuffer b = PacketBuffer.copyOf(rtp);
        assertEquals(Optional.empty(), p.protectRtp(b));
        return b.toArray();
    }

    static PacketBuffer buffer(byte[] b) {
        return PacketBuffer.copyOf(b);
    }

    @Test
    void idleSessionsAreReleasedAfterTheTimeout() throws Exception {
        relay(41300, 41399, Duration.ofMillis(400));
        MediaSession session = relay.open("idle");
        assertEquals(4, relay.portsInUse());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (session.state() != MediaSession.State.RELEASED && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertTrue(session.releaseReason().startsWith("no packets"), session.releaseReason());
        assertEquals(0, relay.portsInUse());
        assertBindableSoon(session);
    }

    /** Plain RTP between {@code trunk} and {@code inside} through the session (media.srtp optional, RTP offered). */
    void plainCall(SrtpBridge bridge, MediaSession session, DatagramSocket trunk, DatagramSocket inside) {
        bridge.offer(session, Side.TRUNK, "application/sdp", bytes(sdp("carrier", trunk.getLocalPort(), "RTP/AVP", "")));
        bridge.answer(session, Side.INSIDE, "application/sdp", bytes(sdp("pbx", inside.getLocalPort(), "RTP/AVP", "")));
    }

    /**
     * trunkgate.media.socket-linger: a released session's port pairs stay bound, and once rested (the reuse delay,
     * 100 ms here) the next calls on the same loop take them instead of binding new ones. A late packet of the old
     * call to a pooled port goes nowhere; the new call's media flows on the reused ports between its own peers;
     * after the linger every port is closed.
     */
    @Test
    void releasedPortPairsServeLaterCallsAndDropLatePackets() throws Exception {
        relay = new MediaRelay(new MediaSettings(LOOPBACK, 41700, 41799, Duration.ofSeconds(60), Duration.ofSeconds(2)),
                Duration.ofMillis(100), THREADS);
        SrtpBridge bridge = new SrtpBridge(MediaSecurity.OPTIONAL, random);
        int calls = 2 * relay.eventLoops(); // round robin: two calls per loop, so every loop pools two pairs
        List<MediaSession> first = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            first.add(relay.open("first-" + i));
        }
        java.util.Set<Integer> firstPorts = new java.util.TreeSet<>();
        first.forEach(s -> firstPorts.addAll(ports(s)));
        try (DatagramSocket oldTrunk = socket(); DatagramSocket oldInside = socket();
                DatagramSocket newTrunk = socket(); DatagramSocket newInside = socket()) {
            MediaSession old = first.get(0);
            plainCall(bridge, old, oldTrunk, oldInside);
            int oldTrunkPort = old.relayAddress(Side.TRUNK).rtpPort();
            byte[] before = SrtpRoundTripTest.rtp(1, 7, 160);
            send(oldTrunk, before, oldTrunkPort);
            assertArrayEquals(before, receive(oldInside));
            for (MediaSession s : first) {
                s.release("BYE");
            }
            assertEquals(0, relay.portsInUse());
            assertEquals(firstPorts.size(), relay.portsPooled());
            send(oldTrunk, SrtpRoundTripTest.rtp(2, 7, 160), oldTrunkPort); // late: the pair is pooled, ownerless
            assertNothing(oldInside);

            Thread.sleep(150); // past the reuse delay
            List<MediaSession> second = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                second.add(relay.open("second-" + i));
            }
            java.util.Set<Integer> secondPorts = new java.util.TreeSet<>();
            second.forEach(s -> secondPorts.addAll(ports(s)));
            assertEquals(firstPorts, secondPorts, "every pair came from the pool");
            assertEquals(0, relay.portsPooled());
            assertEquals(firstPorts.size(), relay.portsInUse());

            MediaSession reused = second.stream().filter(s -> ports(s).contains(oldTrunkPort)).findFirst().orElseThrow();
            plainCall(bridge, reused, newTrunk, newInside);
            byte[] fresh = SrtpRoundTripTest.rtp(1, 8, 160);
            send(newTrunk, fresh, reused.relayAddress(Side.TRUNK).rtpPort());
            assertArrayEquals(fresh, receive(newInside));
            byte[] back = SrtpRoundTripTest.rtp(2, 9, 160);
            send(newInside, back, reused.relayAddress(Side.INSIDE).rtpPort());
            assertArrayEquals(back, receive(newTrunk));
            assertNothing(oldInside);
            assertNothing(oldTrunk);
            for (MediaSession s : second) {
                s.release("BYE");
            }
        }
        assertBindableSoon(new ArrayList<>(firstPorts)); // the 2 s linger closed them
        assertEquals(0, relay.portsPooled());
        assertEquals(0, relay.portsInUse());
    }

    @Test
    void portsNeverLeakAndExhaustionIsAnError() throws Exception {
        relay(41400, 41407, Duration.ofSeconds(60)); // 4 pairs: two sessions
        for (int round = 0; round < 25; round++) {
            MediaSession a = relay.open("a" + round);
            MediaSession b = relay.open("b" + round);
            assertEquals(8, relay.portsInUse());
            assertThrows(IOException.class, () -> relay.open("c"));
            assertEquals(8, relay.portsInUse());
            a.release(round % 2 == 0 ? "BYE" : "CANCEL");
            b.release("487");
            b.release("again"); // idempotent
            assertEquals(0, relay.portsInUse());
            assertEquals(0, relay.sessionCount());
        }
        // the last round's pairs stay pooled for the linger, then every port of the range is the OS's again
        List<Integer> range = java.util.stream.IntStream.rangeClosed(41400, 41407).boxed().toList();
        assertBindableSoon(range);
        assertEquals(0, relay.portsPooled());
    }

    @Test
    void aPortHeldByAnotherProcessIsSkipped() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, 41501))) {
            relay(41500, 41509, Duration.ofSeconds(60));
            MediaSession s = relay.open("skip");
            assertTrue(s.relayAddress(Side.TRUNK).rtpPort() != 41500 && s.relayAddress(Side.INSIDE).rtpPort() != 41500);
            s.release("BYE");
            assertEquals(0, relay.portsInUse());
        }
    }

    /**
     * With {@code socket-linger} 0, ports never leak and are free the moment a session is RELEASED (issue #6,
     * lifetime): 2,000 open/release
     * cycles on the same two port pairs, half of them with a packet on every port, each port bound again at once.
     * (Before the close path waited for its loop to select, about 1 release in 1,500 left a port bound ~1 ms.)
     */
    @Test
    void everyPortIsFreeRightAfterEachOf2000Releases() throws Exception {
        relay(41600, 41607, Duration.ofSeconds(60), Duration.ZERO); // socket-linger 0: closed at release
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            for (int i = 0; i < 2000; i++) {
                MediaSession s = relay.open("cycle-" + i);
                if (i % 2 == 0) {
                    for (Side side : Side.values()) {
                        send(peer, new byte[20], s.relayAddress(side).rtpPort());
                        send(peer, new byte[20], s.relayAddress(side).rtcpPort());
                    }
                }
                s.release("BYE");
                assertBindable(s);
            }
        }
        assertEquals(0, relay.portsInUse());
    }

    /**
     * The call flow's release does not wait (the SIP thread never blocks on the relay): the future completes once
     * the session is RELEASED with every port free (socket-linger 0); asking again returns the same future.
     */
    @Test
    void releaseAsyncCompletesWhenThePortsAreFree() throws Exception {
        relay(42400, 42499, Duration.ofSeconds(60), Duration.ZERO);
        List<MediaSession> sessions = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> releases = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sessions.add(relay.open("async-" + i));
        }
        for (MediaSession s : sessions) {
            java.util.concurrent.CompletableFuture<Void> f = s.releaseAsync("BYE");
            assertSame(f, s.releaseAsync("again"));
            releases.add(f);
        }
        for (int i = 0; i < sessions.size(); i++) {
            releases.get(i).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(MediaSession.State.RELEASED, sessions.get(i).state());
            assertEquals("BYE", sessions.get(i).releaseReason());
            assertBindable(sessions.get(i));
        }
        assertEquals(0, relay.portsInUse());
        assertEquals(0, relay.sessionCount());
    }

    @Test
    void settingsFromKeysWithDefaults() {
        MediaSettings d = MediaSettings.from(new Settings(k -> Optional.empty()));
        assertEquals(MediaSettings.defaults(), d);
        MediaSettings s = MediaSettings.from(new Settings(k -> Optional.ofNullable(Map.of(
                MediaSettings.ADDRESS, "127.0.0.2", MediaSettings.PORT_RANGE, "50000-50099", MediaSettings.TIMEOUT, "30").get(k))));
        assertEquals("127.0.0.2", s.address().getHostAddress());
        assertEquals(50000, s.portMin());
        assertEquals(50099, s.portMax());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(Duration.ofSeconds(600), s.socketLinger(), "the shipped socket-linger");
        assertEquals(Duration.ZERO, MediaSettings.from(new Settings(
                k -> k.equals(MediaSettings.SOCKET_LINGER) ? Optional.of("0") : Optional.empty())).socketLinger());
        io.trunkgate.config.ConfigException bad = assertThrows(io.trunkgate.config.ConfigException.class,
                () -> MediaSettings.from(new Settings(k -> k.equals(MediaSettings.SOCKET_LINGER) ? Optional.of("-1") : Optional.empty())));
        assertTrue(bad.getMessage().contains(MediaSettings.SOCKET_LINGER), bad.getMessage());
        io.trunkgate.config.ConfigException zero = assertThrows(io.trunkgate.config.ConfigException.class,
                () -> MediaSettings.from(new Settings(k -> k.equals(MediaSettings.TIMEOUT) ? Optional.of("0") : Optional.empty())));
        assertTrue(zero.getMessage().contains(MediaSettings.TIMEOUT), zero.getMessage());
        assertThrows(RuntimeException.class, () -> MediaSettings.from(new Settings(
                k -> k.equals(MediaSettings.PORT_RANGE) ? Optional.of("40000") : Optional.empty())));
    }

    static List<Integer> ports(MediaSession session) {
        List<Integer> ports = new ArrayList<>();
        for (Side side : Side.values()) {
            ports.add(session.relayAddress(side).rtpPort());
            ports.add(session.relayAddress(side).rtcpPort());
        }
        return ports;
    }

    /** Every port of a released session can be bound again. */
    static void assertBindable(MediaSession session) throws IOException {
        assertBindable(ports(session));
    }

    /** Every port of a released session can be bound again within 5 s: after the socket linger closed its pool. */
    public static void assertBindableSoon(MediaSession session) throws Exception {
        assertBindableSoon(ports(session));
    }

    public static void assertBindableSoon(List<Integer> ports) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                assertBindable(ports);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    static void assertBindable(List<Integer> ports) throws IOException {
        for (int port : ports) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                assertEquals(port, s.getLocalPort());
            } catch (java.net.BindException e) {
                String ss;
                try {
                    ss = new String(new ProcessBuilder("ss", "-uanp").start().getInputStream().readAllBytes());
                } catch (IOException x) {
                    ss = x.toString();
                }
                throw new AssertionError("port " + port + " of " + ports + " still bound: " + e.getMessage() + "\n"
                        + ss.lines().filter(l -> l.contains(":" + port)).toList());
            }
        }
    }
}
