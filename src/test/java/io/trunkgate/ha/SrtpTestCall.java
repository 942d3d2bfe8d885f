package io.trunkgate.ha;

import static io.trunkgate.media.SrtpCallThroughGatewayTest.body;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.carrierRequest;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.cAddress;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.datagram;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.header;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.headers;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.inDialog;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.mPort;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.readUntil;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.receiveSip;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.response;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.tag;
import static io.trunkgate.media.SrtpCallThroughGatewayTest.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.media.LibsrtpPeer;
import io.trunkgate.media.relay.SrtpRoundTripTest;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.peers.TlsSipClient;

/**
 * One test call through a gateway, as the HA tests drive it: a carrier over TLS whose media is libsrtp (an
 * independent SRTP implementation, python3-pylibsrtp), a PBX on UDP with plain RTP. Set up (INVITE, 200, ACK), media
 * both ways packet by packet, a re-INVITE that re-keys, a BYE: every step asserted, every wait bounded. Sequence
 * numbers go on across the call's life (and may start near 65,535 to wrap).
 */
final class SrtpTestCall implements AutoCloseable {

    static final CryptoSuite SUITE = CryptoSuite.AES_CM_128_HMAC_SHA1_80;
    static final String NUMBER = "+13175550100";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final String callId;
    final LibsrtpPeer remote;
    final DatagramSocket pbxMedia;
    private final int ssrcTrunk = RANDOM.nextInt();
    private final int ssrcInside = RANDOM.nextInt();
    int trunkSeq;
    int insideSeq;
    int cseq = 1;
    int trunkRelay;
    InetAddress insideRelayHost;
    int insideRelay;
    String toTag;
    List<String> routeSet;
    String remoteTarget;
    MasterKey remoteKey;
    MasterKey gatewayKey;

    SrtpTestCall(String callId, int firstSeq) throws IOException {
        this.callId = callId;
        this.remote = LibsrtpPeer.startPending();
        this.pbxMedia = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        this.pbxMedia.setSoTimeout(5000);
        this.trunkSeq = firstSeq;
        this.insideSeq = firstSeq;
    }

    /** INVITE from the carrier with SRTP, 200 from the PBX with RTP, ACK: the call is up, libsrtp has its keys. */
    void setUp(TlsSipClient carrier, DatagramSocket pbxSip) throws IOException {
        remoteKey = newKey();
        String offer = offer(remoteKey);
        carrier.send(carrierRequest("INVITE", "sip:" + NUMBER + "@localhost", List.of(), callId, null, 1,
                "z9hG4bK-" + callId.hashCode() + "-inv", offer));
        var invite = receiveSip(pbxSip, m -> m.startsWith("INVITE ") && m.contains(callId), "the INVITE of " + callId);
        String toPbx = body(invite.text());
        insideRelayHost = InetAddress.getByName(cAddress(toPbx));
        insideRelay = mPort(toPbx);
        String ok = response(invite.text(), "200 OK", ";tag=pbx-" + Integer.toHexString(callId.hashCode()),
                pbxContact(pbxSip), true, pbxSdp());
        pbxSip.send(datagram(ok, invite.from()));
        String answered = readUntil(carrier, m -> m.startsWith("SIP/2.0 200 ") && m.contains(" INVITE") && m.contains(callId),
                "200 OK for the INVITE of " + callId);
        String toTrunk = body(answered);
        gatewayKey = ourKey(toTrunk);
        trunkRelay = mPort(toTrunk);
        toTag = tag(header(answered, "To"));
        routeSet = new ArrayList<>(headers(answered, "Record-Route"));
        Collections.reverse(routeSet);
        remoteTarget = uri(header(answered, "Contact"));
        carrier.send(inDialog("ACK", remoteTarget, routeSet, callId, toTag, 1, "z9hG4bK-" + callId.hashCode() + "-ack1"));
        receiveSip(pbxSip, m -> m.startsWith("ACK ") && m.contains(callId), "the ACK of " + callId);
        remote.begin(remoteKey, gatewayKey);
    }

    /** {@code packets} each way, each asserted: trunk -> inside arrives as the same RTP, inside -> trunk opens in libsrtp. */
    void mediaBothWays(int packets) throws IOException {
        for (int i = 0; i < packets; i++) {
            byte[] rtp = SrtpRoundTripTest.rtp(trunkSeq, ssrcTrunk, 160);
            remote.send(rtp, trunkRelay);
            byte[] got = receive(pbxMedia, "trunk -> inside seq " + trunkSeq + " of " + callId);
            assertArrayEquals(rtp, got, "trunk -> inside seq " + trunkSeq + " of " + callId);
            trunkSeq = (trunkSeq + 1) & 0xffff;
        }
        for (int i = 0; i < packets; i++) {
            byte[] rtp = SrtpRoundTripTest.rtp(insideSeq, ssrcInside, 160);
            pbxMedia.send(new DatagramPacket(rtp, rtp.length, insideRelayHost, insideRelay));
            byte[] got = remote.receive(5000); // throws when libsrtp refuses it (authentication, replay, ROC)
            assertNotNull(got, "inside -> trunk seq " + insideSeq + " of " + callId + " never reached the carrier");
            assertArrayEquals(rtp, got, "inside -> trunk seq " + insideSeq + " of " + callId);
            insideSeq = (insideSeq + 1) & 0xffff;
        }
    }

    /**
     * After a failover: the carrier keeps sending (one packet every 20 ms, as a phone does) until one reaches the PBX;
     * late ones are drained. Returns the time until the first arrived.
     */
    Duration awaitTrunkToInside(Duration limit) throws IOException {
        long start = System.nanoTime();
        int timeout = pbxMedia.getSoTimeout();
        pbxMedia.setSoTimeout(20);
        try {
            while (System.nanoTime() - start < limit.toNanos()) {
                remote.send(SrtpRoundTripTest.rtp(trunkSeq, ssrcTrunk, 160), trunkRelay);
                trunkSeq = (trunkSeq + 1) & 0xffff;
                try {
                    byte[] got = receiveOnce(pbxMedia);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    drain(pbxMedia); // packets sent while the first was on its way
                    assertEquals(ssrcTrunk, ((got[8] & 0xff) << 24) | ((got[9] & 0xff) << 16) | ((got[10] & 0xff) << 8)
                            | (got[11] & 0xff), "the carrier's stream");
                    return took;
                } catch (SocketTimeoutException e) {
                    // not relayed yet
                }
            }
            throw new AssertionError("no media of " + callId + " relayed within " + limit + " of the failover");
        } finally {
            pbxMedia.setSoTimeout(timeout);
        }
    }

    /** A re-INVITE from the carrier with a new key (a re-keying through the gateway), 200 with the gateway's new key, ACK. */
    void reInvite(TlsSipClient carrier, DatagramSocket pbxSip) throws IOException {
        cseq++;
        MasterKey newRemoteKey = newKey();
        String offer = offer(newRemoteKey);
        carrier.send(carrierRequest("INVITE", remoteTarget, routeSet, callId, toTag, cseq,
                "z9hG4bK-" + callId.hashCode() + "-re" + cseq, offer));
        var reinvite = receiveSip(pbxSip, m -> m.startsWith("INVITE ") && m.contains(callId) && m.contains("CSeq: " + cseq + " "),
                "the re-INVITE of " + callId);
        String toPbx = body(reinvite.text());
        assertTrue(!toPbx.contains("a=crypto"), "RTP inside after the re-INVITE too\n" + toPbx);
        assertEquals(insideRelay, mPort(toPbx), "the call keeps its inside relay port");
        pbxSip.send(datagram(response(reinvite.text(), "200 OK", "", pbxContact(pbxSip), false, pbxSdp()), reinvite.from()));
        String answered = readUntil(carrier, m -> m.startsWith("SIP/2.0 200 ") && m.contains(callId)
                && m.contains("CSeq: " + cseq + " INVITE"), "200 OK for the re-INVITE of " + callId);
        String toTrunk = body(answered);
        assertEquals(trunkRelay, mPort(toTrunk), "the call keeps its trunk relay port");
        MasterKey newGatewayKey = ourKey(toTrunk);
        carrier.send(inDialog("ACK", remoteTarget, routeSet, callId, toTag, cseq, "z9hG4bK-" + callId.hashCode() + "-ack" + cseq));
        receiveSip(pbxSip, m -> m.startsWith("ACK ") && m.contains(callId) && m.contains("CSeq: " + cseq + " ACK"),
                "the ACK of the re-INVITE of " + callId);
        remoteKey = newRemoteKey;
        gatewayKey = newGatewayKey;
        remote.begin(remoteKey, gatewayKey);
    }

    /** BYE from the carrier, 200 from the PBX back to the carrier. */
    void bye(TlsSipClient carrier, DatagramSocket pbxSip) throws IOException {
        cseq++;
        carrier.send(inDialog("BYE", remoteTarget, routeSet, callId, toTag, cseq, "z9hG4bK-" + callId.hashCode() + "-bye"));
        var bye = receiveSip(pbxSip, m -> m.startsWith("BYE ") && m.contains(callId), "the BYE of " + callId);
        pbxSip.send(datagram(response(bye.text(), "200 OK", "", null, false, null), bye.from()));
        String ok = readUntil(carrier, m -> m.startsWith("SIP/2.0 ") && m.contains(callId) && m.contains(" BYE"),
                "the BYE's response for " + callId);
        assertTrue(ok.startsWith("SIP/2.0 200 "), ok);
    }

    private String offer(MasterKey key) {
        return "v=0\r\no=carrier 1 " + cseq + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + remote.port + " RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
                + "a=crypto:1 " + SUITE.sdpName() + " inline:" + key.inline() + "\r\n";
    }

    private String pbxSdp() {
        return "v=0\r\no=pbx 1 " + cseq + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + pbxMedia.getLocalPort() + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }

    private static String pbxContact(DatagramSocket pbxSip) {
        return "<sip:pbx@127.0.0.1:" + pbxSip.getLocalPort() + ";transport=udp>";
    }

    private static MasterKey newKey() {
        byte[] keySalt = new byte[SUITE.keyLength() + SUITE.saltLength()];
        RANDOM.nextBytes(keySalt);
        return MasterKey.fromKeySalt(SUITE, keySalt);
    }

    private static MasterKey ourKey(String sdp) {
        Matcher m = Pattern.compile("a=crypto:1 " + SUITE.sdpName() + " inline:([A-Za-z0-9+/=]+)").matcher(sdp);
        assertTrue(m.find(), "SRTP-1: the gateway's answer carries its key\n" + sdp);
        return MasterKey.fromKeySalt(SUITE, Base64.getDecoder().decode(m.group(1)));
    }

    private static byte[] receive(DatagramSocket socket, String what) throws IOException {
        try {
            return receiveOnce(socket);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("PBX media socket: no " + what + " within " + socket.getSoTimeout() + " ms");
        }
    }

    private static byte[] receiveOnce(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    private static void drain(DatagramSocket socket) throws IOException {
        socket.setSoTimeout(200);
        try {
            while (true) {
                receiveOnce(socket);
            }
        } catch (SocketTimeoutException e) {
            // nothing more in flight
        }
    }

    @Override
    public void close() throws IOException {
        pbxMedia.close();
        remote.close();
    }
}
