package io.trunkgate.media;

import static io.trunkgate.media.SdpCall.body;
import static io.trunkgate.media.SdpCall.crypto;
import static io.trunkgate.media.SdpCall.forwarded;
import static io.trunkgate.media.SdpCall.mPort;
import static io.trunkgate.media.relay.MediaRelayLibsrtpTest.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.flow.Side;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.relay.SrtpRoundTripTest;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaSecurity;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SRTP-1 end to end through srtpBridge: libsrtp (python3-pylibsrtp) is the SRTP trunk remote, a plain UDP socket
 * the PBX; only SIP messages (JAIN-SIP parsed) tell the relay what to do, and the keys libsrtp uses are the ones
 * read back from the SDP the processor forwarded.
 */
class SrtpBridgeLibsrtpTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    MediaRelayService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void srtp1LibsrtpTrunkCallThroughTheProcessorBothWaysThenBye() throws Exception {
        LibsrtpPeer.require();
        service = new MediaRelayService(new MediaSettings(LOOPBACK, 42200, 42299, Duration.ofSeconds(60)));
        service.setCamelContext(SdpCall.CAMEL);
        service.start();
        SecureRandom random = new SecureRandom();
        SrtpBridgeProcessor processor = new SrtpBridgeProcessor(service,
                id -> Optional.ofNullable(Map.of("secure", MediaSecurity.REQUIRED).get(id)), random);
        MasterKey remoteKey = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        SdpCall call = new SdpCall("libsrtp-e2e@127.0.0.1");
        try (DatagramSocket pbx = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                LibsrtpPeer peer = LibsrtpPeer.startPending()) {
            pbx.setSoTimeout(5000);
            Exchange invite = call.exchange(call.request("INVITE", 1, false, "application/sdp",
                    SdpCall.sdp("carrier", peer.port, "RTP/SAVP", "a=rtcp-mux\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                            + remoteKey.inline() + "\r\n")), Side.TRUNK, "secure");
            processor.process(invite);
            int insideRelay = mPort(body(forwarded(invite)));

            Exchange ok = call.exchange(call.response(200, "OK", 1, "INVITE",
                    SdpCall.sdp("pbx", pbx.getLocalPort(), "RTP/AVP", "")), Side.INSIDE, null);
            processor.process(ok);
            String toTrunk = body(forwarded(ok));
            int trunkRelay = mPort(toTrunk);
            peer.begin(remoteKey, crypto(toTrunk, 1, CryptoSuite.AES_CM_128_HMAC_SHA1_80));

            for (int i = 0; i < 20; i++) {
                byte[] rtp = SrtpRoundTripTest.rtp(1000 + i, 0x5EC0001, 160);
                peer.send(rtp, trunkRelay);
                assertArrayEquals(rtp, receive(pbx), "trunk -> inside packet " + i);
            }
            for (int i = 0; i < 20; i++) {
                byte[] rtp = SrtpRoundTripTest.rtp(2000 + i, 0x5EC0002, 160);
                pbx.send(new DatagramPacket(rtp, rtp.length, LOOPBACK, insideRelay));
                assertArrayEquals(rtp, peer.receive(5000), "inside -> trunk packet " + i);
            }
            MediaSession session = processor.session(call.callId).orElseThrow();
            // the counter moves right after the write that the peer already read: give it a moment
            for (int i = 0; i < 100 && session.counters(Side.INSIDE).forwarded() < 20; i++) {
                Thread.sleep(10);
            }
            assertEquals(20, session.counters(Side.TRUNK).forwarded());
            assertEquals(20, session.counters(Side.INSIDE).forwarded());

            processor.process(call.exchange(call.request("BYE", 2, true, null, null), Side.TRUNK, null));
            SrtpBridgeProcessorTest.awaitReleased(session);
            assertEquals(MediaSession.State.RELEASED, session.state());
            assertEquals(0, service.relay().portsInUse());
        }
    }
}
