package io.trunkgate.media.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.flow.Side;
import io.trunkgate.media.LibsrtpPeer;
import io.trunkgate.media.SrtpBridge;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.RelayAddress;
import io.trunkgate.media.sdp.SdpResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end with an independent SRTP implementation (issue #6): libsrtp (python3-pylibsrtp) plays the
 * SRTP trunk remote, a plain UDP socket plays the inside PBX; the relay in between is ours.
 */
public class MediaRelayLibsrtpTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    final SecureRandom random = new SecureRandom();
    MediaRelay relay;

    @BeforeEach
    void start() {
        LibsrtpPeer.require();
        relay = new MediaRelay(new MediaSettings(LOOPBACK, 41000, 41099, Duration.ofSeconds(60), Duration.ofSeconds(1)),
                MediaRelayLoopbackTest.THREADS);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoSuite.class)
    void srtp1LibsrtpThroughTheRelayBothWays(CryptoSuite suite) throws Exception {
        MasterKey remoteKey = MasterKey.generate(suite, random);
        SrtpBridge bridge = new SrtpBridge(MediaSecurity.REQUIRED, random);
        MediaSession session = relay.open("call-" + suite);
        try (DatagramSocket insideRtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket insideRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                LibsrtpPeer peer = LibsrtpPeer.startPending()) {
            insideRtp.setSoTimeout(5000);
            insideRtcp.setSoTimeout(5000);
            // the remote offers SRTP with rtcp-mux (libsrtp's peer has one socket)
            String offer = "v=0\r\no=carrier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + peer.port + " RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n"
                    + "a=crypto:3 " + suite.sdpName() + " inline:" + remoteKey.inline() + "\r\n";
            assertInstanceOf(SdpResult.Offered.class, bridge.offer(session, Side.TRUNK, "application/sdp", bytes(offer)));
            String answer = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + insideRtp.getLocalPort() + " RTP/AVP 0\r\na=rtcp:" + insideRtcp.getLocalPort() + "\r\n";
            SdpResult.Answered answered = assertInstanceOf(SdpResult.Answered.class,
                    bridge.answer(session, Side.INSIDE, "application/sdp", bytes(answer)));
            assertEquals(MediaSession.State.ANSWERED, session.state());
            String toTrunk = new String(answered.body(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("a=crypto:3 " + suite.sdpName() + " inline:(\\S+)").matcher(toTrunk);
            assertTrue(m.find(), toTrunk);
            assertTrue(toTrunk.contains("a=rtcp-mux"), toTrunk);
            MasterKey ourKey = MasterKey.fromKeySalt(suite, java.util.Base64.getDecoder().decode(m.group(1)));
            peer.begin(remoteKey, ourKey);

            int trunkPort = session.relayAddress(Side.TRUNK).rtpPort();
            RelayAddress inside = session.relayAddress(Side.INSIDE);

            // trunk -> inside: libsrtp's SRTP arrives as identical RTP
            byte[] last = null;
            for (int i = 0; i < 10; i++) {
                byte[] rtp = SrtpRoundTripTest.rtp(100 + i, 0xCAFE0001, 160);
                last = peer.send(rtp, trunkPort);
                assertArrayEquals(rtp, receive(insideRtp), "packet " + i);
            }
            // inside -> trunk: our SRTP decrypted by libsrtp
            for (int i = 0; i < 10; i++) {
                byte[] rtp = SrtpRoundTripTest.rtp(500 + i, 0xBEEF0002, 160);
                insideRtp.send(new DatagramPacket(rtp, rtp.length, LOOPBACK, inside.rtpPort()));
                assertArrayEquals(rtp, peer.receive(5000), "packet " + i);
            }
            // SRTCP (muxed on the trunk leg) <-> RTCP on the inside's RTCP port
            byte[] sr = SrtpVectorsTest.RTCP_PLAIN;
            peer.send(sr, trunkPort);
            assertArrayEquals(sr, receive(insideRtcp));
            byte[] rr = SrtpVectorsTest.HEX.parseHex("81c90007beef0002" + "00".repeat(24));
            insideRtcp.send(new DatagramPacket(rr, rr.length, LOOPBACK, inside.rtcpPort()));
            assertArrayEquals(rr, peer.receive(5000));

            // a replayed packet and a tampered one are dropped and counted; the genuine one still passes
            peer.raw(last, trunkPort);
            byte[] next = SrtpRoundTripTest.rtp(110, 0xCAFE0001, 160);
            byte[] genuine = peer.protect(next);
            byte[] tampered = Arrays.copyOf(genuine, genuine.length);
            tampered[30] ^= 0x40;
            peer.raw(tampered, trunkPort);
            peer.raw(genuine, trunkPort);
            assertArrayEquals(next, receive(insideRtp), "only the genuine packet arrives");
            assertNothing(insideRtp);
            StreamCounters fromTrunk = session.counters(Side.TRUNK);
            assertEquals(1, fromTrunk.drops(DropCause.REPLAYED), fromTrunk.toString());
            assertEquals(1, fromTrunk.drops(DropCause.AUTH_FAILED), fromTrunk.toString());
            assertEquals(12, fromTrunk.forwarded(), fromTrunk.toString());
            assertEquals(11, session.counters(Side.INSIDE).forwarded());
        } finally {
            session.release("BYE");
        }
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertEquals(0, relay.portsInUse());
        assertEquals(0, relay.sessionCount());
        MediaRelayLoopbackTest.assertBindableSoon(session); // pooled for the next call, closed after the linger
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    public static void assertNothing(DatagramSocket socket) throws Exception {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(300);
        try {
            byte[] got = receive(socket);
            throw new AssertionError("unexpected packet of " + got.length + " bytes");
        } catch (SocketTimeoutException expected) {
            // nothing forwarded
        } finally {
            socket.setSoTimeout(old);
        }
    }
}
