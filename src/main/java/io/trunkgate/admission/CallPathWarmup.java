package io.trunkgate.admission;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.Side;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.sdp.RelayAddress;
import io.trunkgate.media.sdp.SdesNegotiator;
import io.trunkgate.media.sdp.SdpResult;
import io.trunkgate.routing.Router;
import io.trunkgate.sip.SipParser;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;

/**
 * Synthetic calls through the call path's own code before the listeners open, so that a restarted instance meets
 * its first real calls with that code compiled rather than interpreted: a cold JVM fell behind by more than T1 for
 * its first seconds under full load (docs/benchmarks.md). Each call parses an INVITE with SDP, routes it both ways,
 * negotiates SDES SRTP for it (offer from the inside, answer from the trunk), encodes it, and builds and parses its
 * 100, 180 and 200. Nothing is sent and no socket is opened.
 */
final class CallPathWarmup {

    private static final RelayAddress TRUNK = new RelayAddress("192.0.2.1", 40000, 40001);
    private static final RelayAddress INSIDE = new RelayAddress("192.0.2.2", 40002, 40003);

    private CallPathWarmup() {
    }

    /** What a warm-up did: how long it took, and how many calls negotiated SRTP to the end (all, unless broken). */
    record Outcome(Duration took, int negotiated) {
    }

    /** Runs {@code calls} synthetic calls. */
    static Outcome run(int calls, Router router) throws Exception {
        SdesNegotiator sdes = new SdesNegotiator(new SecureRandom());
        InetAddress source = InetAddress.getLoopbackAddress();
        long start = System.nanoTime();
        int negotiated = 0;
        for (int i = 0; i < calls; i++) {
            String callId = "warmup-" + i + "@192.0.2.9";
            SIPRequest invite = (SIPRequest) SipParser.parse(invite(callId, i));
            SipUriParts uri = SipUriParser.parts(invite.getRequestURI());
            router.outbound(uri, callId);
            router.inbound(uri, source);
            if (sdes.offer("application/sdp", invite.getRawContent(), Side.INSIDE, MediaSecurity.REQUIRED, TRUNK)
                    instanceof SdpResult.Offered offered) {
                if (sdes.answer("application/sdp", answerTo(offered.body()), Side.TRUNK, offered.pending(), INSIDE)
                        instanceof SdpResult.Answered) {
                    negotiated++;
                }
            }
            invite.encodeAsBytes("TLS");
            for (int status : new int[] {100, 180, 200}) {
                SIPResponse response = SipReplies.response(invite, status, status == 100 ? "Trying" : "OK");
                SipParser.parse(SipReplies.bytes(response));
            }
        }
        return new Outcome(Duration.ofNanos(System.nanoTime() - start), negotiated);
    }

    private static byte[] invite(String callId, int n) {
        String sdp = "v=0\r\no=pbx " + n + " 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
                + "m=audio " + (20000 + 2 * (n % 1000)) + " RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
        String text = "INVITE sip:+1317555" + String.format("%04d", n % 10000) + "@192.0.2.9:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-warmup-" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:pbx@192.0.2.9>;tag=w" + n + "\r\n"
                + "To: <sip:+13175550100@192.0.2.9>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:pbx@192.0.2.9:5060>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The remote's answer: our offer with the first of its a=crypto lines only (RFC 4568 6.1). */
    private static byte[] answerTo(byte[] offer) {
        StringBuilder answer = new StringBuilder();
        boolean crypto = false;
        for (String line : new String(offer, StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.startsWith("a=crypto:")) {
                if (crypto) {
                    continue;
                }
                crypto = true;
            }
            answer.append(line).append("\r\n");
        }
        return answer.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
