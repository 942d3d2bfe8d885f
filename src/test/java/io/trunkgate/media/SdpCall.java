package io.trunkgate.media;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import gov.nist.javax.sip.message.SIPMessage;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.sip.SipParser;
import io.trunkgate.sip.SipTestMessages.RecordingConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * One test call's SIP messages as bytes (parsed by JAIN-SIP like sipParse does), and exchanges as the route hands
 * them to srtpBridge: the JAIN-SIP message as body, TrunkgateSide, TrunkgateTrunk on the initial INVITE, and the
 * connection the message came on. Loopback addresses only.
 */
final class SdpCall {

    static final CamelContext CAMEL = new DefaultCamelContext();

    final String callId;
    final RecordingConnection trunk = new RecordingConnection("127.0.0.1", "tls");
    final RecordingConnection inside = new RecordingConnection("127.0.0.1", "udp");

    SdpCall(String callId) {
        this.callId = callId;
    }

    static String sdp(String owner, int port, String proto, String extra) {
        return "v=0\r\no=" + owner + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port + " "
                + proto + " 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n" + extra;
    }

    String request(String method, long cseq, boolean inDialog, String contentType, String body) {
        return method + " sip:+13175550100@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-req-" + method + cseq + "\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:+15551234567@127.0.0.1>;tag=caller1\r\n"
                + "To: <sip:+13175550100@127.0.0.1>" + (inDialog ? ";tag=callee1" : "") + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:caller@127.0.0.1:5071;transport=tls>\r\n"
                + content(contentType, body);
    }

    String response(int status, String reason, long cseq, String method, String body) {
        return "SIP/2.0 " + status + " " + reason + "\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-req-" + method + cseq + "\r\n"
                + "Record-Route: <sip:127.0.0.9:5080;lr>\r\n"
                + "Record-Route: <sip:127.0.0.1:5060;transport=udp;lr>\r\n"
                + "Record-Route: <sip:gw.example.com:5061;transport=tls;lr>\r\n"
                + "From: <sip:+15551234567@127.0.0.1>;tag=caller1\r\n"
                + "To: <sip:+13175550100@127.0.0.1>;tag=callee1\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:callee@127.0.0.1:5090>\r\n"
                + content("application/sdp", body);
    }

    private static String content(String contentType, String body) {
        if (body == null) {
            return "Content-Length: 0\r\n\r\n";
        }
        return "Content-Type: " + contentType + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    /** An exchange as srtpBridge sees it: the message arrived on {@code side}. */
    Exchange exchange(String text, Side side, String trunkId) throws ParseException {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(SipParser.parse(text.getBytes(StandardCharsets.UTF_8)));
        exchange.getIn().setHeader(TrunkgateConstants.SIDE, side);
        RecordingConnection from = side == Side.TRUNK ? trunk : inside;
        exchange.getIn().setHeader(TrunkgateConstants.CONNECTION, from);
        exchange.getIn().setHeader(TrunkgateConstants.SOURCE_TRANSPORT, from.transport());
        if (trunkId != null) {
            exchange.getIn().setHeader(TrunkgateConstants.TRUNK, trunkId);
        }
        return exchange;
    }

    /**
     * What sipForward would put on the wire, parsed again: proves Content-Length and Content-Type were fixed
     * on the JAIN-SIP message (a wrong length cuts or pads the body on re-parse).
     */
    static SIPMessage forwarded(Exchange exchange) throws ParseException {
        SIPMessage m = exchange.getIn().getBody(SIPMessage.class);
        byte[] wire = m.encodeAsBytes("TLS");
        SIPMessage again = SipParser.parse(wire);
        byte[] body = again.getRawContent();
        int declared = again.getContentLength().getContentLength();
        if ((body == null ? 0 : body.length) != declared) {
            throw new AssertionError("Content-Length " + declared + " but the body has " + (body == null ? 0 : body.length));
        }
        return again;
    }

    static String body(SIPMessage m) {
        byte[] raw = m.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    static int mPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no m=audio line in " + sdp);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The key of our a=crypto line with {@code tag}. */
    static MasterKey crypto(String sdp, int tag, CryptoSuite suite) {
        Matcher m = Pattern.compile("a=crypto:" + tag + " " + suite.sdpName() + " inline:([A-Za-z0-9+/=]+)").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no a=crypto:" + tag + " " + suite.sdpName() + " in " + sdp);
        }
        return MasterKey.fromKeySalt(suite, java.util.Base64.getDecoder().decode(m.group(1)));
    }
}
