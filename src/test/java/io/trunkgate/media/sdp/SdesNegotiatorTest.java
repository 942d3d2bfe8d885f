package io.trunkgate.media.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.trunkgate.flow.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SDP table of issue #6: SDES offer/answer through {@link SdesNegotiator} (SRTP-1, SRTP-2). */
class SdesNegotiatorTest {

    static final String SDP = "application/sdp";
    static final RelayAddress INSIDE_RELAY = new RelayAddress("127.0.0.1", 40000, 40001);
    static final RelayAddress TRUNK_RELAY = new RelayAddress("192.0.2.10", 40002, 40003);
    static final String KEY80 = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    static final String KEY32 = "NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj";
    static final String KEY_GCM128 = Base64.getEncoder().encodeToString(new byte[28]);

    final SdesNegotiator negotiator = new SdesNegotiator(new SecureRandom());

    /** A remote's offer: one audio m-line with the given profile and attributes, plus extra m-lines. */
    static String sdp(String proto, String attributes, String... extraMedia) {
        StringBuilder sb = new StringBuilder("v=0\r\no=carrier 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n")
                .append("m=audio 20000 ").append(proto).append(" 0 8 101\r\n")
                .append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n")
                .append(attributes);
        for (String m : extraMedia) {
            sb.append(m);
        }
        return sb.toString();
    }

    static String crypto(String line) {
        return "a=crypto:" + line + "\r\n";
    }

    SdpResult offerFromTrunk(String sdp, MediaSecurity security) {
        return negotiator.offer(SDP, sdp.getBytes(StandardCharsets.UTF_8), Side.TRUNK, security, INSIDE_RELAY);
    }

    static Arguments row(String name, MediaSecurity security, String sdp, String expect) {
        return Arguments.of(name, security, sdp, expect);
    }

    /** expect: "tag N SUITE" (chosen crypto), "plain" (RTP on the trunk leg) or "488 <reason part>". */
    static Stream<Arguments> trunkOffers() {
        return Stream.of(
                row("SRTP-1 one crypto line", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "tag 1 AES_CM_128_HMAC_SHA1_80"),
                row("SRTP-1 several lines: first supported wins", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 F8_128_HMAC_SHA1_80 inline:" + KEY80)
                                + crypto("2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32)
                                + crypto("3 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "tag 2 AES_CM_128_HMAC_SHA1_32"),
                row("SRTP-1 GCM first (RFC 7714)", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("5 AEAD_AES_128_GCM inline:" + KEY_GCM128)
                                + crypto("6 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "tag 5 AEAD_AES_128_GCM"),
                row("SRTP-1 unsupported suites only", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 F8_128_HMAC_SHA1_80 inline:" + KEY80)
                                + crypto("2 AES_256_CM_HMAC_SHA1_80 inline:" + KEY80)), "488 SRTP-1: no usable a=crypto"),
                row("SRTP-1 RTP/SAVP without crypto", MediaSecurity.REQUIRED, sdp("RTP/SAVP", ""), "488 SRTP-1"),
                row("SRTP-1 MKI 1:4 honoured", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "|2^20|1:4")),
                        "tag 1 AES_CM_128_HMAC_SHA1_80"),
                row("SRTP-1 MKI of 8 bytes refused", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "|2^20|1:8")),
                        "488 MKI of 8 bytes cannot be honoured"),
                row("SRTP-1 two keys (MKI switching) refused", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "|2^20|1:4;inline:" + KEY32
                                + "|2^20|2:4")), "488 MKI key switching"),
                row("SRTP-1 lifetime 2^31", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32 + "|2^31")),
                        "tag 1 AES_CM_128_HMAC_SHA1_32"),
                row("SRTP-1 lifetime above 2^48", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32 + "|2^50")), "488 lifetime above 2^48"),
                row("SRTP-1 short key", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_GCM128)), "488 expected 30"),
                row("SRTP-1 UNENCRYPTED_SRTP refused", MediaSecurity.REQUIRED,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + " UNENCRYPTED_SRTP")),
                        "488 UNENCRYPTED_SRTP is not supported"),
                row("SRTP-1/SRTP-2 RTP/AVP on a required trunk", MediaSecurity.REQUIRED, sdp("RTP/AVP", ""),
                        "488 SRTP-1/SRTP-2: this trunk requires SRTP"),
                row("SRTP-2 RTP/AVP on an optional trunk", MediaSecurity.OPTIONAL, sdp("RTP/AVP", ""), "plain"),
                row("SRTP-2 best-effort SRTP on an optional trunk", MediaSecurity.OPTIONAL,
                        sdp("RTP/AVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "tag 1 AES_CM_128_HMAC_SHA1_80"),
                row("SRTP-2 RTP/SAVP on an optional trunk", MediaSecurity.OPTIONAL,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "tag 1 AES_CM_128_HMAC_SHA1_80"),
                row("SRTP-2 RTP/AVP on an off trunk, crypto ignored", MediaSecurity.OFF,
                        sdp("RTP/AVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "plain"),
                row("SRTP-2 RTP/SAVP on an off trunk", MediaSecurity.OFF,
                        sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), "488 SRTP-2: media.srtp is off"),
                row("malformed crypto line", MediaSecurity.REQUIRED, sdp("RTP/SAVP", crypto("x AES_CM_128_HMAC_SHA1_80")),
                        "488 unusable SDP offer"),
                row("no audio (DTLS-SRTP only)", MediaSecurity.REQUIRED,
                        "v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n"
                                + "m=audio 20000 UDP/TLS/RTP/SAVP 0\r\n", "488 no audio stream"),
                row("not SDP at all", MediaSecurity.REQUIRED, "hello\r\nworld\r\n", "488 unusable SDP offer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trunkOffers")
    void offerFromTrunk(String name, MediaSecurity security, String sdp, String expect) {
        SdpResult result = offerFromTrunk(sdp, security);
        if (expect.startsWith("488 ")) {
            SdpResult.Rejected r = assertInstanceOf(SdpResult.Rejected.class, result);
            assertEquals(488, r.status());
            assertTrue(r.reason().contains(expect.substring(4)), r.reason());
            return;
        }
        SdpResult.Offered offered = assertInstanceOf(SdpResult.Offered.class, result, () -> result.toString());
        String inside = new String(offered.body(), StandardCharsets.UTF_8);
        assertTrue(inside.contains("m=audio 40000 RTP/AVP 0 8 101\r\n"), inside);
        assertTrue(inside.contains("c=IN IP4 127.0.0.1\r\n"), inside);
        assertFalse(inside.contains("a=crypto"), inside);
        assertFalse(inside.contains("203.0.113.5"), inside);
        for (String kept : List.of("a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20")) {
            assertTrue(inside.contains(kept + "\r\n"), kept);
        }
        PendingOffer pending = offered.pending();
        if (expect.equals("plain")) {
            assertNull(pending.remoteCrypto());
            assertNull(pending.answerKey());
        } else {
            assertEquals(expect, "tag " + pending.remoteCrypto().tag() + " " + pending.remoteCrypto().suiteName());
            assertEquals(pending.remoteCrypto().suite().orElseThrow(), pending.answerKey().suite());
        }
    }

    @Test
    void srtp1AnswerToTrunkCarriesOneCryptoLineWithTheOfferedTagAndAFreshKey() {
        String offer = sdp("RTP/SAVP", crypto("1 F8_128_HMAC_SHA1_80 inline:" + KEY80)
                + crypto("7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "|2^20|3:2") + "a=sendonly\r\na=rtcp:20005\r\n");
        PendingOffer pending = ((SdpResult.Offered) offerFromTrunk(offer, MediaSecurity.REQUIRED)).pending();
        assertEquals(20005, pending.offerer().rtcp().getPort());

        String insideAnswer = "v=0\r\no=pbx 9 9 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\n"
                + "m=audio 30000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=recvonly\r\n";
        SdpResult.Answered answered = assertInstanceOf(SdpResult.Answered.class,
                negotiator.answer(SDP, insideAnswer.getBytes(StandardCharsets.UTF_8), Side.INSIDE, pending, TRUNK_RELAY));
        String toTrunk = new String(answered.body(), StandardCharsets.UTF_8);
        assertTrue(toTrunk.contains("m=audio 40002 RTP/SAVP 0 101\r\n"), toTrunk);
        assertTrue(toTrunk.contains("c=IN IP4 192.0.2.10\r\n"), toTrunk);
        assertTrue(toTrunk.contains("a=recvonly\r\n"), toTrunk);
        Matcher m = Pattern.compile("a=crypto:(.*)\r\n").matcher(toTrunk);
        assertTrue(m.find(), toTrunk);
        CryptoAttribute ours = CryptoAttribute.parse(m.group(1));
        assertFalse(m.find(), "exactly one crypto line");
        assertEquals(7, ours.tag());
        assertEquals(CryptoSuite.AES_CM_128_HMAC_SHA1_80, ours.suite().orElseThrow());
        assertEquals(pending.answerKey(), ours.masterKey());
        assertNotEquals(pending.remoteCrypto().masterKey(), ours.masterKey());

        MediaPlan plan = answered.plan();
        assertEquals(0, plan.mediaIndex());
        assertEquals(30000, plan.inside().rtp().getPort());
        assertEquals(30001, plan.inside().rtcp().getPort());
        assertEquals(20000, plan.trunk().rtp().getPort());
        assertEquals(pending.remoteCrypto().masterKey(), plan.trunkKeys().inbound());
        assertEquals(new Mki(3, 2), plan.trunkKeys().inboundMki());
        assertEquals(pending.answerKey(), plan.trunkKeys().outbound());
    }

    @Test
    void srtp1ReKeyingOfferGetsANewKey() {
        String offer = sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80));
        PendingOffer first = ((SdpResult.Offered) offerFromTrunk(offer, MediaSecurity.REQUIRED)).pending();
        String reOffer = sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32)).replace("o=carrier 1 1", "o=carrier 1 2");
        PendingOffer second = ((SdpResult.Offered) offerFromTrunk(reOffer, MediaSecurity.REQUIRED)).pending();
        assertNotEquals(first.answerKey(), second.answerKey());
        assertEquals(CryptoSuite.AES_CM_128_HMAC_SHA1_32, second.answerKey().suite());
        // an identical re-offer also gets a fresh key: we never reuse a key for a new offer/answer
        PendingOffer third = ((SdpResult.Offered) offerFromTrunk(reOffer, MediaSecurity.REQUIRED)).pending();
        assertNotEquals(second.answerKey(), third.answerKey());
    }

    @Test
    void twoMediaLinesOnlyTheAudioIsRelayed() {
        String offer = sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80),
                "m=video 20002 RTP/SAVP 96\r\na=rtpmap:96 H264/90000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "\r\n");
        SdpResult.Offered offered = (SdpResult.Offered) offerFromTrunk(offer, MediaSecurity.REQUIRED);
        String inside = new String(offered.body(), StandardCharsets.UTF_8);
        assertTrue(inside.contains("m=video 0 RTP/SAVP 96\r\n"), inside);
        assertTrue(inside.contains("a=rtpmap:96 H264/90000\r\n"), inside);
        assertFalse(inside.contains("a=crypto"), inside);

        String insideAnswer = "v=0\r\no=pbx 9 9 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\n"
                + "m=audio 30000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n";
        SdpResult.Answered answered = (SdpResult.Answered) negotiator.answer(SDP,
                insideAnswer.getBytes(StandardCharsets.UTF_8), Side.INSIDE, offered.pending(), TRUNK_RELAY);
        String toTrunk = new String(answered.body(), StandardCharsets.UTF_8);
        assertTrue(toTrunk.contains("m=audio 40002 RTP/SAVP 0\r\n"), toTrunk);
        assertTrue(toTrunk.contains("m=video 0 RTP/AVP 96\r\n"), toTrunk);
    }

    @Test
    void answerDisablingTheRelayedStreamRelaysNothing() {
        SdpResult.Offered offered = (SdpResult.Offered) offerFromTrunk(
                sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80)), MediaSecurity.REQUIRED);
        String insideAnswer = "v=0\r\no=pbx 9 9 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
        SdpResult.Answered answered = (SdpResult.Answered) negotiator.answer(SDP,
                insideAnswer.getBytes(StandardCharsets.UTF_8), Side.INSIDE, offered.pending(), TRUNK_RELAY);
        assertFalse(answered.plan().relayed());
        assertTrue(new String(answered.body(), StandardCharsets.UTF_8).contains("m=audio 0 "));
    }

    @Test
    void multipartBodyKeepsEveryOtherByte() {
        String boundary = "unique-boundary-1";
        byte[] isup = {0x01, 0x00, 0x20, 0x0d, 0x0a, (byte) 0xff, 0x7f};
        String sdp = sdp("RTP/SAVP", crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80));
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/sdp\r\n\r\n" + sdp + "\r\n--" + boundary
                + "\r\nContent-Type: application/isup;version=itu-t92+\r\nContent-Disposition: signal;handling=optional\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = concat(head, isup, tail);

        SdpResult.Offered offered = assertInstanceOf(SdpResult.Offered.class, negotiator.offer(
                "multipart/mixed;boundary=" + boundary, body, Side.TRUNK, MediaSecurity.REQUIRED, INSIDE_RELAY));
        byte[] out = offered.body();
        String text = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("--" + boundary + "\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n"), text);
        assertTrue(text.contains("m=audio 40000 RTP/AVP 0 8 101\r\n"), text);
        int isupAt = text.indexOf("handling=optional\r\n\r\n") + "handling=optional\r\n\r\n".length();
        byte[] isupOut = java.util.Arrays.copyOfRange(out, isupAt, isupAt + isup.length);
        assertArrayEquals(isup, isupOut);
        assertTrue(text.endsWith("\r\n--" + boundary + "--\r\n"));
        assertEquals(1, offered.pending().remoteCrypto().tag());
    }

    @Test
    void multipartWithoutSdpIsRefused() {
        byte[] body = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        SdpResult r = negotiator.offer("multipart/mixed; boundary=\"b\"", body, Side.TRUNK, MediaSecurity.REQUIRED, INSIDE_RELAY);
        assertTrue(((SdpResult.Rejected) r).reason().contains("no application/sdp part"));
    }

    @Test
    void srtp1CallsFromTheInsideOfferBothAesCmSuitesAndTakeTheRemoteKeyFromTheAnswer() {
        String insideOffer = "v=0\r\no=pbx 5 5 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\n"
                + "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=rtcp-mux\r\n";
        SdpResult.Offered offered = assertInstanceOf(SdpResult.Offered.class, negotiator.offer(SDP,
                insideOffer.getBytes(StandardCharsets.UTF_8), Side.INSIDE, MediaSecurity.REQUIRED, TRUNK_RELAY));
        String toTrunk = new String(offered.body(), StandardCharsets.UTF_8);
        assertTrue(toTrunk.contains("m=audio 40002 RTP/SAVP 8 101\r\n"), toTrunk);
        assertTrue(toTrunk.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"), toTrunk);
        assertTrue(toTrunk.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"), toTrunk);
        assertTrue(toTrunk.contains("a=rtcp-mux\r\n"), toTrunk);
        assertEquals(2, offered.pending().offeredKeys().size());

        String trunkAnswer = "v=0\r\no=carrier 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n"
                + "m=audio 20000 RTP/SAVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtcp-mux\r\n"
                + crypto("2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32);
        SdpResult.Answered answered = assertInstanceOf(SdpResult.Answered.class, negotiator.answer(SDP,
                trunkAnswer.getBytes(StandardCharsets.UTF_8), Side.TRUNK, offered.pending(), INSIDE_RELAY));
        String toInside = new String(answered.body(), StandardCharsets.UTF_8);
        assertTrue(toInside.contains("m=audio 40000 RTP/AVP 8 101\r\n"), toInside);
        assertFalse(toInside.contains("a=crypto"), toInside);
        assertTrue(toInside.contains("a=rtcp-mux\r\n"), toInside);
        MediaPlan plan = answered.plan();
        assertNotNull(plan.trunkKeys());
        assertEquals(CryptoAttribute.parse("2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32).masterKey(), plan.trunkKeys().inbound());
        assertEquals(offered.pending().offeredKeys().get(2), plan.trunkKeys().outbound());
        assertTrue(plan.trunk().rtcpMux());
        assertEquals(20000, plan.trunk().rtcp().getPort());
        assertTrue(plan.inside().rtcpMux());
    }

    static Stream<Arguments> trunkAnswers() {
        String base = "v=0\r\no=carrier 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n";
        return Stream.of(
                row("SRTP-1/SRTP-2 RTP/AVP answer on a required trunk", MediaSecurity.REQUIRED,
                        base + "m=audio 20000 RTP/AVP 0\r\n", "488 SRTP-1/SRTP-2"),
                row("SRTP-1 answer with a tag we did not offer", MediaSecurity.REQUIRED,
                        base + "m=audio 20000 RTP/SAVP 0\r\n" + crypto("9 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80),
                        "488 SRTP-1: the RTP/SAVP answer"),
                row("SRTP-1 answer with tag 1 but the 32 suite", MediaSecurity.REQUIRED,
                        base + "m=audio 20000 RTP/SAVP 0\r\n" + crypto("1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY32),
                        "488 SRTP-1: the RTP/SAVP answer"),
                row("SRTP-2 optional trunk, plain answer", MediaSecurity.OPTIONAL, base + "m=audio 20000 RTP/AVP 0\r\n", "plain"),
                row("SRTP-2 optional trunk, best-effort answer", MediaSecurity.OPTIONAL,
                        base + "m=audio 20000 RTP/AVP 0\r\n" + crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80),
                        "tag 1 AES_CM_128_HMAC_SHA1_80"),
                row("SRTP-2 off trunk, plain answer", MediaSecurity.OFF, base + "m=audio 20000 RTP/AVP 0\r\n", "plain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trunkAnswers")
    void answerFromTrunk(String name, MediaSecurity security, String answer, String expect) {
        String insideOffer = "v=0\r\no=pbx 5 5 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\n";
        SdpResult.Offered offered = (SdpResult.Offered) negotiator.offer(SDP, insideOffer.getBytes(StandardCharsets.UTF_8),
                Side.INSIDE, security, TRUNK_RELAY);
        String toTrunk = new String(offered.body(), StandardCharsets.UTF_8);
        assertEquals(security != MediaSecurity.OFF, toTrunk.contains("a=crypto:"), toTrunk);
        assertEquals(security == MediaSecurity.REQUIRED, toTrunk.contains("RTP/SAVP"), toTrunk);
        SdpResult result = negotiator.answer(SDP, answer.getBytes(StandardCharsets.UTF_8), Side.TRUNK, offered.pending(), INSIDE_RELAY);
        if (expect.startsWith("488 ")) {
            SdpResult.Rejected r = assertInstanceOf(SdpResult.Rejected.class, result);
            assertTrue(r.reason().contains(expect.substring(4)), r.reason());
            return;
        }
        MediaPlan plan = assertInstanceOf(SdpResult.Answered.class, result).plan();
        if (expect.equals("plain")) {
            assertNull(plan.trunkKeys());
        } else {
            assertEquals(offered.pending().offeredKeys().get(1), plan.trunkKeys().outbound());
        }
    }

    @Test
    void insideMustOfferPlainRtp() {
        String insideOffer = "v=0\r\no=pbx 5 5 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\nm=audio 30000 RTP/SAVP 0\r\n"
                + crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80);
        SdpResult r = negotiator.offer(SDP, insideOffer.getBytes(StandardCharsets.UTF_8), Side.INSIDE, MediaSecurity.REQUIRED,
                TRUNK_RELAY);
        assertEquals(488, ((SdpResult.Rejected) r).status());
    }

    @Test
    void cryptoAttributeRoundTrip() {
        String line = "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY80 + "|2^20|1:4 WSH=64";
        CryptoAttribute a = CryptoAttribute.parse(line);
        assertEquals(line, a.format());
        assertEquals(1L << 20, a.keys().get(0).lifetime());
        assertEquals(new Mki(1, 4), a.mki());
        assertTrue(a.refusal().isEmpty());
        assertFalse(a.toString().contains(KEY80), "no key material in toString");
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
