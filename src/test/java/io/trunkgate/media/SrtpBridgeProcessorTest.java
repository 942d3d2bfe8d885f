package io.trunkgate.media;

import static io.trunkgate.media.SdpCall.body;
import static io.trunkgate.media.SdpCall.crypto;
import static io.trunkgate.media.SdpCall.forwarded;
import static io.trunkgate.media.SdpCall.mPort;
import static io.trunkgate.media.SdpCall.sdp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.MediaRefusal;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.media.relay.MediaRelay;
import io.trunkgate.media.relay.MediaRelayLoopbackTest;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.SrtpKeys;
import io.trunkgate.proxy.ProxyConfig;
import io.trunkgate.proxy.ProxyCore;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** srtpBridge on real SIP messages (JAIN-SIP parsed bytes), with the real relay on loopback. */
class SrtpBridgeProcessorTest {

    static final ProxyConfig PROXY = new ProxyConfig("gw.example.com", 5061, "127.0.0.1", 5060, 500, 4000, 5000, "test");
    static final Map<String, MediaSecurity> TRUNKS = Map.of("secure", MediaSecurity.REQUIRED, "opt",
            MediaSecurity.OPTIONAL, "plain", MediaSecurity.OFF);
    static final String CRYPTO = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

    final SecureRandom random = new SecureRandom();
    MediaRelayService service;
    SrtpBridgeProcessor processor;

    SrtpBridgeProcessor start(int low, int high, Duration timeout) throws Exception {
        service = new MediaRelayService(new MediaSettings(InetAddress.getLoopbackAddress(), low, high, timeout, Duration.ofSeconds(1)));
        service.setCamelContext(SdpCall.CAMEL);
        service.start();
        processor = new SrtpBridgeProcessor(service, id -> Optional.ofNullable(TRUNKS.get(id)), random);
        return processor;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    MediaRelay relay() {
        return service.relay();
    }

    /** INVITE from the trunk (SRTP) answered 180 + 200 by the inside: returns the forwarded 200. */
    SIPMessage trunkCallAnswered(SdpCall call) throws Exception {
        Exchange invite = call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("carrier", 30000, "RTP/SAVP", CRYPTO)), Side.TRUNK, "secure");
        processor.process(invite);
        String toInside = body(forwarded(invite));
        assertTrue(toInside.contains(" RTP/AVP 0 101"), toInside);
        assertFalse(toInside.contains("a=crypto"), "keys never go to the inside: " + toInside);
        MediaSession session = processor.session(call.callId).orElseThrow();
        assertEquals(session.relayAddress(Side.INSIDE).rtpPort(), mPort(toInside));
        assertTrue(toInside.contains("c=IN IP4 127.0.0.1"), toInside);

        String answer = sdp("pbx", 31000, "RTP/AVP", "");
        Exchange ringing = call.exchange(call.response(180, "Ringing", 1, "INVITE", answer), Side.INSIDE, null);
        processor.process(ringing);
        Exchange ok = call.exchange(call.response(200, "OK", 1, "INVITE", answer), Side.INSIDE, null);
        processor.process(ok);
        SIPMessage okForwarded = forwarded(ok);
        // the 2xx repeats the 18x answer: same bytes, same keys (no re-keying)
        assertEquals(body(forwarded(ringing)), body(okForwarded));
        assertEquals(MediaSession.State.ANSWERED, session.state());
        return okForwarded;
    }

    @Test
    void srtp1InviteFromTheTrunkGoesInsideAsRtpAndTheAnswerCarriesOurCrypto() throws Exception {
        start(41200, 41299, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("srtp1-in@127.0.0.1");
        SIPMessage ok = trunkCallAnswered(call);
        String toTrunk = body(ok);
        MediaSession session = processor.session(call.callId).orElseThrow();
        assertTrue(toTrunk.contains(" RTP/SAVP 0 101"), toTrunk);
        assertEquals(session.relayAddress(Side.TRUNK).rtpPort(), mPort(toTrunk));
        MasterKey ours = crypto(toTrunk, 1, CryptoSuite.AES_CM_128_HMAC_SHA1_80); // same tag as the offer (RFC 4568)
        assertFalse(toTrunk.contains("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"), "the remote's key is not echoed");
        assertArrayEquals(ours.key(), session.plan().orElseThrow().trunkKeys().outbound().key());
        assertEquals("application/sdp", ok.getContentTypeHeader().getContentType() + "/" + ok.getContentTypeHeader().getContentSubType());
        assertEquals(4, relay().portsInUse());
    }

    @Test
    void srtp2RtpAvpInviteOnARequiredTrunkIs488WithTheReasonInTheWarning() throws Exception {
        start(41300, 41399, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("srtp2-488@127.0.0.1");
        Exchange invite = call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("carrier", 30000, "RTP/AVP", "")), Side.TRUNK, "secure");
        processor.process(invite);
        assertTrue(invite.isRouteStop(), "the INVITE goes no further");
        assertEquals(1, call.trunk.sent.size());
        String reply = call.trunk.sent.get(0);
        assertTrue(reply.startsWith("SIP/2.0 488 Not Acceptable Here\r\n"), reply);
        assertTrue(reply.matches("(?s).*Warning: 399 trunkgate \"[^\"]*SRTP-2[^\"]*\".*"), reply);
        assertEquals(0, processor.calls());
        for (int i = 0; i < 500 && relay().portsInUse() != 0; i++) {
            Thread.sleep(10); // releases run on the relay's own thread
        }
        assertEquals(0, relay().portsInUse(), "the ports opened for the offer are free again");
    }

    @Test
    void srtp2OptionalTrunkTakesPlainRtpFromTheTrunk() throws Exception {
        start(41300, 41399, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("srtp2-optional@127.0.0.1");
        Exchange invite = call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("carrier", 30000, "RTP/AVP", "")), Side.TRUNK, "opt");
        processor.process(invite);
        assertFalse(invite.isRouteStop());
        assertTrue(body(forwarded(invite)).contains(" RTP/AVP 0 101"));
    }

    @Test
    void byeReleasesTheSessionAndFreesThePorts() throws Exception {
        start(41400, 41499, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("bye@127.0.0.1");
        trunkCallAnswered(call);
        MediaSession session = processor.session(call.callId).orElseThrow();
        Exchange bye = call.exchange(call.request("BYE", 2, true, null, null), Side.INSIDE, null);
        processor.process(bye);
        assertFalse(bye.isRouteStop(), "the BYE itself goes on");
        awaitReleased(session);
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertEquals("BYE", session.releaseReason());
        assertEquals(0, relay().portsInUse());
        assertEquals(0, processor.calls());
        MediaRelayLoopbackTest.assertBindableSoon(session); // pooled for the next call, closed after the linger
    }

    @Test
    void srtp1InviteFromTheInsideGetsAnSrtpOfferTowardTheTrunk() throws Exception {
        start(41500, 41599, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("srtp1-out@127.0.0.1");
        Exchange invite = call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("pbx", 31000, "RTP/AVP", "")), Side.INSIDE, "secure");
        processor.process(invite);
        String toTrunk = body(forwarded(invite));
        MediaSession session = processor.session(call.callId).orElseThrow();
        assertTrue(toTrunk.contains(" RTP/SAVP 0 101"), toTrunk);
        assertEquals(session.relayAddress(Side.TRUNK).rtpPort(), mPort(toTrunk));
        crypto(toTrunk, 1, CryptoSuite.AES_CM_128_HMAC_SHA1_80);
        MasterKey tag2 = crypto(toTrunk, 2, CryptoSuite.AES_CM_128_HMAC_SHA1_32);

        // the trunk picks tag 2
        MasterKey remote = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_32, random);
        Exchange ok = call.exchange(call.response(200, "OK", 1, "INVITE", sdp("carrier", 30000, "RTP/SAVP",
                "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + remote.inline() + "\r\n")), Side.TRUNK, null);
        processor.process(ok);
        String toInside = body(forwarded(ok));
        assertTrue(toInside.contains(" RTP/AVP 0 101"), toInside);
        assertFalse(toInside.contains("a=crypto"), toInside);
        assertEquals(session.relayAddress(Side.INSIDE).rtpPort(), mPort(toInside));
        SrtpKeys keys = session.plan().orElseThrow().trunkKeys();
        assertEquals(remote, keys.inbound());
        assertEquals(tag2, keys.outbound());
    }

    @Test
    void srtp1PlainAnswerFromARequiredTrunkEndsTheCall() throws Exception {
        start(41600, 41699, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("srtp1-plain-answer@127.0.0.1");
        processor.process(call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("pbx", 31000, "RTP/AVP", "")), Side.INSIDE, "secure"));
        MediaSession session = processor.session(call.callId).orElseThrow();
        Exchange ok = call.exchange(call.response(200, "OK", 1, "INVITE", sdp("carrier", 30000, "RTP/AVP", "")),
                Side.TRUNK, null);
        processor.process(ok);
        // toward the offerer (the inside): 488 with the cause instead of the 2xx
        SIPResponse toInside = (SIPResponse) forwarded(ok);
        assertEquals(488, toInside.getStatusCode());
        assertTrue(toInside.getHeader("Warning").toString().contains("SRTP-1/SRTP-2"), toInside.toString());
        assertEquals(0, toInside.getContentLength().getContentLength());
        assertTrue(toInside.getContactHeaders() == null || toInside.getContactHeaders().isEmpty());
        // toward the answerer (the trunk): ACK, then BYE, to its Contact, routed beyond our Record-Route entries,
        // sent by the proxy (sipForward) when the media step asks for it
        MediaRefusal refusal = ok.getProperty(TrunkgateConstants.MEDIA_REFUSED, MediaRefusal.class);
        assertEquals(200, refusal.answer().getStatusCode());
        ProxyCore proxy = new ProxyCore(PROXY, null);
        proxy.setCamelContext(SdpCall.CAMEL);
        proxy.start();
        try {
            proxy.hangUp(refusal.answer(), call.trunk, Side.TRUNK);
        } finally {
            proxy.stop();
        }
        assertEquals(2, call.trunk.sent.size(), call.trunk.sent.toString());
        String ack = call.trunk.sent.get(0);
        String bye = call.trunk.sent.get(1);
        assertTrue(ack.startsWith("ACK sip:callee@127.0.0.1:5090 SIP/2.0\r\n"), ack);
        assertTrue(ack.contains("CSeq: 1 ACK"), ack);
        assertTrue(bye.startsWith("BYE sip:callee@127.0.0.1:5090 SIP/2.0\r\n"), bye);
        assertTrue(bye.contains("CSeq: 2 BYE"), bye);
        assertTrue(bye.contains("Route: <sip:127.0.0.9:5080;lr>"), bye);
        assertFalse(bye.contains("Route: <sip:gw.example.com") || bye.contains("Route: <sip:127.0.0.1:5060"), "our own entries are not routed to: " + bye);
        assertTrue(bye.contains("Via: SIP/2.0/TLS gw.example.com:5061;branch=" + PROXY.branchPrefix()), bye);
        io.trunkgate.sip.SipParser.parse(bye.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // well-formed
        awaitReleased(session);
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertEquals(0, relay().portsInUse());
        assertEquals(0, processor.calls());
    }

    @Test
    void finalErrorToTheInviteReleasesTheSession() throws Exception {
        start(41700, 41799, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("busy@127.0.0.1");
        processor.process(call.exchange(call.request("INVITE", 1, false, "application/sdp",
                sdp("carrier", 30000, "RTP/SAVP", CRYPTO)), Side.TRUNK, "secure"));
        MediaSession session = processor.session(call.callId).orElseThrow();
        processor.process(call.exchange(call.response(486, "Busy Here", 1, "INVITE", null), Side.INSIDE, null));
        awaitReleased(session);
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertEquals("486 to the INVITE", session.releaseReason());
        assertEquals(0, relay().portsInUse());
    }

    @Test
    void reInviteFromTheTrunkReKeysTheSessionAndARefusedReOfferKeepsIt() throws Exception {
        start(41800, 41899, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("rekey@127.0.0.1");
        trunkCallAnswered(call);
        MediaSession session = processor.session(call.callId).orElseThrow();
        SrtpKeys before = session.plan().orElseThrow().trunkKeys();

        MasterKey newRemote = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        Exchange reinvite = call.exchange(call.request("INVITE", 2, true, "application/sdp", sdp("carrier", 30002,
                "RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + newRemote.inline() + "\r\n")), Side.TRUNK, null);
        processor.process(reinvite);
        assertEquals(session.relayAddress(Side.INSIDE).rtpPort(), mPort(body(forwarded(reinvite))), "same relay ports");
        Exchange ok = call.exchange(call.response(200, "OK", 2, "INVITE", sdp("pbx", 31000, "RTP/AVP", "")), Side.INSIDE, null);
        processor.process(ok);
        assertEquals(MediaSession.State.REKEYED, session.state());
        SrtpKeys after = session.plan().orElseThrow().trunkKeys();
        assertEquals(newRemote, after.inbound());
        assertNotEquals(before.outbound(), after.outbound(), "a fresh key of ours on every answer");
        assertEquals(after.outbound(), crypto(body(forwarded(ok)), 1, CryptoSuite.AES_CM_128_HMAC_SHA1_80));

        // SRTP-2: an UPDATE downgrading to RTP/AVP is refused, the call keeps its keys
        Exchange update = call.exchange(call.request("UPDATE", 3, true, "application/sdp", sdp("carrier", 30002, "RTP/AVP", "")),
                Side.TRUNK, null);
        processor.process(update);
        assertTrue(update.isRouteStop());
        assertTrue(call.trunk.sent.get(call.trunk.sent.size() - 1).startsWith("SIP/2.0 488"));
        assertEquals(MediaSession.State.REKEYED, session.state());
        assertEquals(after, session.plan().orElseThrow().trunkKeys());
    }

    @Test
    void multipartBodyKeepsItsOtherPartAndBoundary() throws Exception {
        start(41900, 41999, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("multipart@127.0.0.1");
        String isup = "\u0001\u0010\u0000\u00ff binary-ish part";
        String body = "--b1\r\nContent-Type: application/sdp\r\n\r\n" + sdp("carrier", 30000, "RTP/SAVP", CRYPTO)
                + "\r\n--b1\r\nContent-Type: application/x-test\r\n\r\n" + isup + "\r\n--b1--\r\n";
        Exchange invite = call.exchange(call.request("INVITE", 1, false, "multipart/mixed;boundary=b1", body),
                Side.TRUNK, "secure");
        processor.process(invite);
        SIPMessage out = forwarded(invite);
        assertEquals("b1", out.getContentTypeHeader().getParameter("boundary"));
        assertEquals("multipart", out.getContentTypeHeader().getContentType());
        String text = body(out);
        assertTrue(text.contains(" RTP/AVP 0 101"), text);
        assertFalse(text.contains("a=crypto"), text);
        assertTrue(text.contains("Content-Type: application/x-test\r\n\r\n" + isup + "\r\n--b1--"), text);
    }

    @Test
    void lateOfferIn200IsAnsweredInTheAck() throws Exception {
        start(42000, 42099, Duration.ofSeconds(60));
        SdpCall call = new SdpCall("late@127.0.0.1");
        Exchange invite = call.exchange(call.request("INVITE", 1, false, null, null), Side.INSIDE, "secure");
        processor.process(invite);
        assertTrue(processor.session(call.callId).isEmpty());
        MasterKey remote = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        Exchange ok = call.exchange(call.response(200, "OK", 1, "INVITE", sdp("carrier", 30000, "RTP/SAVP",
                "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" + remote.inline() + "\r\n")), Side.TRUNK, null);
        processor.process(ok);
        assertTrue(body(forwarded(ok)).contains(" RTP/AVP 0 101"));
        Exchange ack = call.exchange(call.request("ACK", 1, true, "application/sdp", sdp("pbx", 31000, "RTP/AVP", "")),
                Side.INSIDE, null);
        processor.process(ack);
        String toTrunk = body(forwarded(ack));
        MasterKey ours = crypto(toTrunk, 7, CryptoSuite.AES_CM_128_HMAC_SHA1_80);
        MediaSession session = processor.session(call.callId).orElseThrow();
        assertEquals(MediaSession.State.ANSWERED, session.state());
        assertEquals(ours, session.plan().orElseThrow().trunkKeys().outbound());
    }

    @Test
    void mediaTimeoutReleasesTheSessionAndForgetsTheCall() throws Exception {
        start(42100, 42199, Duration.ofSeconds(1));
        SdpCall call = new SdpCall("idle@127.0.0.1");
        trunkCallAnswered(call);
        MediaSession session = processor.session(call.callId).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (session.state() != MediaSession.State.RELEASED && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        awaitReleased(session);
        assertEquals(MediaSession.State.RELEASED, session.state());
        assertTrue(session.releaseReason().startsWith("no packets for"), session.releaseReason());
        assertEquals(0, processor.calls());
        assertEquals(0, relay().portsInUse());
    }

    /** Releases run on the relay's own thread: wait (bounded) until the session is RELEASED. */
    static void awaitReleased(MediaSession session) throws InterruptedException {
        for (int i = 0; i < 500 && session.state() != MediaSession.State.RELEASED; i++) {
            Thread.sleep(10);
        }
    }
}
