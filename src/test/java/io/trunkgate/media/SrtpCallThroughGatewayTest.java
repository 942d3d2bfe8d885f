package io.trunkgate.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.relay.SrtpRoundTripTest;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #6's end-to-end test: one real call through the whole gateway route (listeners, call-flow.yaml, proxy,
 * srtpBridge, media relay), not the processor API. The carrier is a SunJSSE TLS client (TLS-1) whose media is
 * libsrtp (python3-pylibsrtp, an independent SRTP implementation), the PBX is plain UDP: SIP on one socket, RTP
 * on another. Only what travels in SIP/SDP tells each side where to send and which keys to use (SRTP-1), and the
 * required trunk gets RTP/SAVP toward the trunk and RTP/AVP without keys inside (SRTP-2). Loopback only; every
 * wait is bounded.
 */
public class SrtpCallThroughGatewayTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String NUMBER = "+13175550100";
    static final CryptoSuite SUITE = CryptoSuite.AES_CM_128_HMAC_SHA1_80;
    /** Our own range, away from the other media tests' (41000-41099, 42200-42299) and the 40000-44999 default. */
    static final String MEDIA_RANGE = "46400-46499";
    static final int SIP_WAIT_MS = 15_000; // a noisy machine: generous, but bounded

    RunningGateway gateway;

    /** The release line with the per-call media counters is DEBUG (the CDR carries them in production). */
    private static final ch.qos.logback.classic.Logger RELEASE_LOG = (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(io.trunkgate.media.relay.MediaSession.class);

    @BeforeEach
    void requireLibsrtp() {
        LibsrtpPeer.require();
        RELEASE_LOG.setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterEach
    void stop() throws Exception {
        RELEASE_LOG.setLevel(null);
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void srtp1_srtp2_tls1_libsrtp_carrier_over_tls_to_udp_pbx_through_the_gateway_both_ways_replay_tamper_then_bye()
            throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] keySalt = new byte[30];
        random.nextBytes(keySalt);
        String remoteInline = Base64.getEncoder().encodeToString(keySalt);
        MasterKey remoteKey = MasterKey.fromKeySalt(SUITE, keySalt);

        try (DatagramSocket pbxSip = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket pbxMedia = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                LibsrtpPeer remoteMedia = LibsrtpPeer.startPending()) {
            pbxSip.setSoTimeout(SIP_WAIT_MS);
            pbxMedia.setSoTimeout(10_000);
            Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                    "sip:127.0.0.1:" + pbxSip.getLocalPort() + ";transport=udp", "required");
            gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                    MediaSettings.PORT_RANGE, MEDIA_RANGE, MediaSettings.SOCKET_LINGER, "1")); // ports free 1 s after release

            try (TlsSipClient carrier = new TlsSipClient(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT))) {
                // ---- INVITE: carrier (TLS, RTP/SAVP + a=crypto) -> gateway -> PBX (UDP) ----
                String callId = "e2e-srtp-" + Long.toHexString(random.nextLong()) + "@127.0.0.1";
                String offer = "v=0\r\no=carrier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio " + remoteMedia.port + " RTP/SAVP 0 101\r\n"
                        + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
                        + "a=crypto:1 " + SUITE.sdpName() + " inline:" + remoteInline + "\r\n";
                carrier.send(carrierRequest("INVITE", "sip:" + NUMBER + "@localhost", List.of(), callId, null, 1,
                        "z9hG4bK-e2e-inv1", offer));
                String trying = carrier.readMessage();
                assertTrue(trying.startsWith("SIP/2.0 100 Trying"), trying);

                Received invite = receiveSip(pbxSip, m -> m.startsWith("INVITE "), "the forwarded INVITE");
                String toPbx = body(invite.text);
                assertTrue(invite.text.startsWith("INVITE sip:" + NUMBER + "@127.0.0.1"), invite.text);
                assertEquals(2, headers(invite.text, "Record-Route").size(), "double Record-Route (RFC 5658)\n" + invite.text);
                assertEquals(callId, header(invite.text, "Call-ID"));
                assertTrue(mLine(toPbx).contains(" RTP/AVP "), "SRTP-2: plain RTP inside\n" + toPbx);
                assertFalse(toPbx.contains("a=crypto"), "SRTP-2: no keys toward the PBX\n" + toPbx);
                assertFalse(toPbx.contains(remoteInline), "the carrier's key never goes inside\n" + toPbx);
                InetAddress insideRelayHost = InetAddress.getByName(cAddress(toPbx));
                int insideRelay = mPort(toPbx);
                assertTrue(insideRelayHost.isLoopbackAddress(), toPbx);
                assertTrue(inRange(insideRelay), "the inside relay port is from " + MEDIA_RANGE + ": " + toPbx);

                // ---- 200 OK: PBX (RTP/AVP) -> gateway -> carrier (RTP/SAVP + the gateway's a=crypto) ----
                String pbxSdp = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio " + pbxMedia.getLocalPort() + " RTP/AVP 0 101\r\n"
                        + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
                String pbxContact = "<sip:pbx@127.0.0.1:" + pbxSip.getLocalPort() + ";transport=udp>";
                String ok = response(invite.text, "200 OK", ";tag=pbx1", pbxContact, true, pbxSdp);
                pbxSip.send(datagram(ok, invite.from));

                String answered = readUntil(carrier, m -> m.startsWith("SIP/2.0 200 ") && m.contains(" INVITE"),
                        "200 OK for the INVITE");
                String toTrunk = body(answered);
                assertTrue(mLine(toTrunk).contains(" RTP/SAVP "), "SRTP-1: SRTP toward the trunk\n" + toTrunk);
                Matcher ourCrypto = Pattern.compile("a=crypto:1 " + SUITE.sdpName() + " inline:([A-Za-z0-9+/=]+)")
                        .matcher(toTrunk);
                assertTrue(ourCrypto.find(), "SRTP-1: the answer carries our key on the offer's tag 1\n" + toTrunk);
                assertFalse(toTrunk.contains(remoteInline), "the gateway answers with its own key\n" + toTrunk);
                MasterKey gatewayKey = MasterKey.fromKeySalt(SUITE, Base64.getDecoder().decode(ourCrypto.group(1)));
                assertTrue(InetAddress.getByName(cAddress(toTrunk)).isLoopbackAddress(), toTrunk);
                int trunkRelay = mPort(toTrunk);
                assertTrue(inRange(trunkRelay), toTrunk);
                assertTrue(trunkRelay != insideRelay, "one relay port pair per side");
                String toTag = tag(header(answered, "To"));
                assertEquals("pbx1", toTag);

                // ---- ACK as a UAC does (RFC 3261 12.1.2): Request-URI = Contact, Route = reversed Record-Route ----
                List<String> routeSet = new ArrayList<>(headers(answered, "Record-Route"));
                assertFalse(routeSet.isEmpty(), "the gateway record-routes\n" + answered);
                Collections.reverse(routeSet);
                String remoteTarget = uri(header(answered, "Contact"));
                carrier.send(inDialog("ACK", remoteTarget, routeSet, callId, toTag, 1, "z9hG4bK-e2e-ack1"));
                Received ack = receiveSip(pbxSip, m -> m.startsWith("ACK "), "the ACK for the 200");
                assertEquals("1 ACK", header(ack.text, "CSeq"));
                assertTrue(headers(ack.text, "Route").isEmpty(), "the gateway consumed its own Route entries\n" + ack.text);
                assertTrue(header(ack.text, "Via").startsWith("SIP/2.0/UDP "), "the ACK came through the gateway");

                // ---- media, trunk -> inside: libsrtp SRTP (the offered key) arrives as the same RTP ----
                remoteMedia.begin(remoteKey, gatewayKey);
                byte[] lastSrtp = null;
                for (int i = 0; i < 20; i++) {
                    int seq = 3000 + i;
                    byte[] rtp = SrtpRoundTripTest.rtp(seq, 0x5EC0E2E1, 160);
                    lastSrtp = remoteMedia.send(rtp, trunkRelay);
                    assertFalse(Arrays.equals(rtp, Arrays.copyOf(lastSrtp, rtp.length)), "libsrtp encrypted it");
                    byte[] got = receiveMedia(pbxMedia, "trunk -> inside packet " + i);
                    assertEquals(seq, sequence(got), "sequence number of packet " + i);
                    assertArrayEquals(payload(rtp), payload(got), "payload of packet " + i);
                    assertArrayEquals(rtp, got, "trunk -> inside packet " + i + " is the RTP libsrtp protected");
                }

                // ---- media, inside -> trunk: the PBX's RTP arrives as SRTP that libsrtp opens with our answer key ----
                for (int i = 0; i < 20; i++) {
                    int seq = 7000 + i;
                    byte[] rtp = SrtpRoundTripTest.rtp(seq, 0x5EC0E2E2, 160);
                    pbxMedia.send(new DatagramPacket(rtp, rtp.length, insideRelayHost, insideRelay));
                    byte[] got = remoteMedia.receive(10_000); // fails if libsrtp refuses it (auth/replay)
                    assertNotNull(got, "inside -> trunk packet " + i + " never reached the carrier");
                    assertEquals(seq, sequence(got), "sequence number of packet " + i);
                    assertArrayEquals(payload(rtp), payload(got), "payload of packet " + i);
                    assertArrayEquals(rtp, got, "inside -> trunk packet " + i);
                }

                // ---- a replayed SRTP packet and a tampered one never reach the PBX; the genuine next one does ----
                remoteMedia.raw(lastSrtp, trunkRelay);
                byte[] next = SrtpRoundTripTest.rtp(3020, 0x5EC0E2E1, 160);
                byte[] genuine = remoteMedia.protect(next);
                byte[] tampered = Arrays.copyOf(genuine, genuine.length);
                tampered[40] ^= 0x01; // one payload bit
                remoteMedia.raw(tampered, trunkRelay);
                assertNothing(pbxMedia, "replayed or tampered SRTP");
                remoteMedia.raw(genuine, trunkRelay);
                assertArrayEquals(next, receiveMedia(pbxMedia, "the genuine packet after replay/tamper"));
                assertNothing(pbxMedia, "anything after the genuine packet");

                // ---- BYE from the carrier, in dialog through the route set; the PBX's 200 comes back ----
                carrier.send(inDialog("BYE", remoteTarget, routeSet, callId, toTag, 2, "z9hG4bK-e2e-bye2"));
                Received bye = receiveSip(pbxSip, m -> m.startsWith("BYE "), "the forwarded BYE");
                assertEquals(callId, header(bye.text, "Call-ID"));
                assertTrue(bye.text.startsWith("BYE sip:pbx@127.0.0.1:" + pbxSip.getLocalPort()), bye.text);
                pbxSip.send(datagram(response(bye.text, "200 OK", "", null, false, null), bye.from));
                String byeOk = readUntil(carrier, m -> m.startsWith("SIP/2.0 ") && m.contains(" BYE"), "the BYE's response");
                assertTrue(byeOk.startsWith("SIP/2.0 200 "), byeOk);
                assertEquals("2 BYE", header(byeOk, "CSeq"));

                // ---- the gateway counted the two drops by cause on this call's trunk -> inside stream ----
                String released = gateway.awaitLog(Duration.ofSeconds(10), "media session " + callId + " released");
                assertTrue(released.contains("AUTH_FAILED=1") && released.contains("REPLAYED=1")
                        && released.contains("trunk->inside received=23/") && released.contains("forwarded=21/")
                        && released.contains("inside->trunk received=20/"), released);

                // ---- the relay let go of both port pairs ----
                assertBindableSoon(insideRelayHost, insideRelay);
                assertBindableSoon(insideRelayHost, insideRelay + 1);
                assertBindableSoon(InetAddress.getByName(cAddress(toTrunk)), trunkRelay);
                assertBindableSoon(InetAddress.getByName(cAddress(toTrunk)), trunkRelay + 1);
            }
        }
    }

    // ------------------------------------------------------------------ SIP text helpers

    public record Received(String text, SocketAddress from) {
    }

    /** The next datagram on {@code socket} that {@code wanted} accepts (retransmissions and others skipped). */
    public static Received receiveSip(DatagramSocket socket, Predicate<String> wanted, String what) throws IOException {
        Instant end = Instant.now().plusMillis(SIP_WAIT_MS);
        List<String> skipped = new ArrayList<>();
        while (Instant.now().isBefore(end)) {
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            try {
                socket.setSoTimeout((int) Math.max(1, Duration.between(Instant.now(), end).toMillis()));
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (wanted.test(text)) {
                return new Received(text, p.getSocketAddress());
            }
            skipped.add(firstLine(text));
        }
        throw new AssertionError("PBX: no " + what + " within " + SIP_WAIT_MS + " ms; got only " + skipped);
    }

    /** Reads messages from the carrier's TLS connection until one that {@code wanted} accepts (5 s each read). */
    public static String readUntil(TlsSipClient c, Predicate<String> wanted, String what) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String m;
            try {
                m = c.readMessage();
            } catch (SocketTimeoutException e) {
                break;
            }
            if (wanted.test(m)) {
                return m;
            }
            skipped.add(firstLine(m) + " / CSeq " + header(m, "CSeq"));
        }
        throw new AssertionError("carrier: no " + what + "; got only " + skipped);
    }

    /**
     * A UAS response to {@code request}: every Via, From, To (plus {@code toTag}), Call-ID, CSeq, Record-Route
     * copied as they came.
     */
    public static String response(String request, String status, String toTag, String contact, boolean recordRoute,
            String sdp) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String v : headers(request, "Via")) {
            b.append("Via: ").append(v).append("\r\n");
        }
        if (recordRoute) {
            for (String rr : headers(request, "Record-Route")) {
                b.append("Record-Route: ").append(rr).append("\r\n");
            }
        }
        b.append("From: ").append(header(request, "From")).append("\r\n");
        String to = header(request, "To");
        b.append("To: ").append(to.contains(";tag=") ? to : to + toTag).append("\r\n");
        b.append("Call-ID: ").append(header(request, "Call-ID")).append("\r\n");
        b.append("CSeq: ").append(header(request, "CSeq")).append("\r\n");
        if (contact != null) {
            b.append("Contact: ").append(contact).append("\r\n");
        }
        if (sdp == null) {
            return b.append("Content-Length: 0\r\n\r\n").toString();
        }
        return b.append("Content-Type: application/sdp\r\nContent-Length: ")
                .append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(sdp).toString();
    }

    /** An in-dialog request from the carrier (ACK or BYE). */
    public static String inDialog(String method, String target, List<String> routeSet, String callId, String toTag, int cseq,
            String branch) {
        return carrierRequest(method, target, routeSet, callId, toTag, cseq, branch, null);
    }

    /** A request from the carrier: {@code toTag} null out of a dialog; with an SDP body unless {@code sdp} is null. */
    public static String carrierRequest(String method, String target, List<String> routeSet, String callId, String toTag,
            int cseq, String branch, String sdp) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/TLS 127.0.0.1:40000;branch=").append(branch).append("\r\n");
        for (String r : routeSet) {
            b.append("Route: ").append(r).append("\r\n");
        }
        b.append("Max-Forwards: 70\r\n")
                .append("From: <sip:+15551234567@example.com>;tag=carrier1\r\n")
                .append("To: <sip:" + NUMBER + "@localhost>").append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:carrier@127.0.0.1:40000;transport=tls>\r\n");
        if (sdp == null) {
            return b.append("Content-Length: 0\r\n\r\n").toString();
        }
        return b.append("Content-Type: application/sdp\r\nContent-Length: ")
                .append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(sdp).toString();
    }

    public static DatagramPacket datagram(String text, SocketAddress to) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new DatagramPacket(b, b.length, to);
    }

    public static String firstLine(String m) {
        int i = m.indexOf("\r\n");
        return i < 0 ? m : m.substring(0, i);
    }

    /** Every value of a header (long or compact name), comma-separated values split, in message order. */
    public static List<String> headers(String message, String name) {
        String compact = Map.of("via", "v", "from", "f", "to", "t", "call-id", "i", "contact", "m").get(
                name.toLowerCase(Locale.ROOT));
        List<String> values = new ArrayList<>();
        String head = message.substring(0, Math.max(0, message.indexOf("\r\n\r\n")));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String n = line.substring(0, colon).trim();
            if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                for (String v : splitCommas(line.substring(colon + 1).trim())) {
                    values.add(v.trim());
                }
            }
        }
        return values;
    }

    /** Splits on commas outside <...> and quotes (Via, Record-Route lists). */
    public static List<String> splitCommas(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '<') {
                depth++;
            } else if (!quoted && ch == '>') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts;
    }

    public static String header(String message, String name) {
        List<String> all = headers(message, name);
        if (all.isEmpty()) {
            throw new AssertionError("no " + name + " header in\n" + message);
        }
        return all.get(0);
    }

    public static String tag(String nameAddr) {
        Matcher m = Pattern.compile(";tag=([^;>\\s]+)").matcher(nameAddr);
        if (!m.find()) {
            throw new AssertionError("no tag in " + nameAddr);
        }
        return m.group(1);
    }

    public static String uri(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        return lt < 0 ? nameAddr.split(";")[0].trim() : nameAddr.substring(lt + 1, nameAddr.indexOf('>', lt));
    }

    public static String body(String message) {
        int i = message.indexOf("\r\n\r\n");
        return i < 0 ? "" : message.substring(i + 4);
    }

    public static String mLine(String sdp) {
        Matcher m = Pattern.compile("(?m)^m=audio .*$").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no m=audio line in\n" + sdp);
        }
        return m.group();
    }

    public static int mPort(String sdp) {
        return Integer.parseInt(mLine(sdp).split(" ")[1]);
    }

    public static String cAddress(String sdp) {
        Matcher m = Pattern.compile("(?m)^c=IN IP4 (\\S+)").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no c=IN IP4 line in\n" + sdp);
        }
        return m.group(1);
    }

    public static boolean inRange(int port) {
        String[] r = MEDIA_RANGE.split("-");
        return port >= Integer.parseInt(r[0]) && port <= Integer.parseInt(r[1]);
    }

    // ------------------------------------------------------------------ RTP helpers

    public static int sequence(byte[] rtp) {
        return ((rtp[2] & 0xff) << 8) | (rtp[3] & 0xff);
    }

    /** The payload after the 12-byte header and its CSRCs (no extension in these packets). */
    public static byte[] payload(byte[] rtp) {
        int header = 12 + 4 * (rtp[0] & 0x0f);
        return Arrays.copyOfRange(rtp, header, rtp.length);
    }

    public static byte[] receiveMedia(DatagramSocket socket, String what) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("PBX media socket: no " + what + " within " + socket.getSoTimeout() + " ms");
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    public static void assertNothing(DatagramSocket socket, String what) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(1000);
        try {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            socket.receive(p);
            fail("the PBX got " + what + ": a packet of " + p.getLength() + " bytes, sequence "
                    + sequence(Arrays.copyOf(p.getData(), p.getLength())));
        } catch (SocketTimeoutException expected) {
            // dropped by the gateway
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** The relay released the port: it binds again (within 10 s: the teardown may follow the 200 a moment later). */
    public static void assertBindableSoon(InetAddress host, int port) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
        SocketException last = null;
        while (Instant.now().isBefore(end)) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, port))) {
                return;
            } catch (SocketException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new AssertionError("relay port " + port + " still bound after the BYE: " + last);
    }
}
