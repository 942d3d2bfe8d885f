package io.trunkgate.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.sip.address.SipURI;

import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.flow.Side;

/**
 * The ACK and BYE that end a call toward the UAS that answered it, built from its 2xx (the media step refused the
 * SDP, SRTP-1/SRTP-2): to its Contact, with the route set of its Record-Route entries beyond ours, as the offerer
 * (the UAC) knows the dialog: From and To stay as in the 2xx (RFC 3261 12.2.1.1, 13.2.2.4).
 */
final class HangUp {

    private final ProxyConfig config;
    private final SIPResponse ok;
    private final String target;
    private final String routes;

    private HangUp(ProxyConfig config, SIPResponse ok, String target) {
        this.config = config;
        this.ok = ok;
        this.target = target;
        this.routes = routeSet(config, ok);
    }

    /** Null when the 2xx has no Contact to send to. */
    static HangUp of(ProxyConfig config, SIPResponse ok) {
        Contact contact = ok.getContactHeader();
        return contact == null ? null : new HangUp(config, ok, contact.getAddress().getURI().toString());
    }

    /** True for a 2xx to an INVITE: it needs its ACK before the BYE. */
    boolean needsAck() {
        return "INVITE".equals(ok.getCSeq().getMethod());
    }

    byte[] ack(String transport, Side toward, String branch) {
        return request("ACK", transport, toward, branch, ok.getCSeq().getSeqNumber(), null);
    }

    byte[] bye(String transport, Side toward, String branch) {
        return request("BYE", transport, toward, branch, ok.getCSeq().getSeqNumber() + 1, "SDP refused (SRTP-1/SRTP-2)");
    }

    private byte[] request(String method, String transport, Side toward, String branch, long cseq, String reason) {
        String host = toward == Side.TRUNK ? config.trunkHost() : config.insideHost();
        int port = toward == Side.TRUNK ? config.trunkPort() : config.insidePort();
        String text = method + " " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport.toUpperCase(Locale.ROOT) + " " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + routes
                + ((SIPHeader) ok.getFrom()).encode()
                + ((SIPHeader) ok.getTo()).encode()
                + ((SIPHeader) ok.getCallIdHeader()).encode()
                + "CSeq: " + cseq + " " + method + "\r\n"
                + (reason != null ? "Reason: SIP;cause=488;text=\"" + reason + "\"\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Record-Route entries above our own (those the answerer's side added), reversed: the route a request
     * from us toward the answerer takes (RFC 3261 12.2.1.1).
     */
    private static String routeSet(ProxyConfig config, SIPResponse ok) {
        RecordRouteList rr = ok.getRecordRouteHeaders();
        List<String> beyond = new ArrayList<>();
        if (rr != null) {
            for (Object o : rr) {
                RecordRoute r = (RecordRoute) o;
                if (r.getAddress().getURI() instanceof SipURI sip && config.isOurs(sip.getHost(), sip.getPort())) {
                    break;
                }
                beyond.add("Route: " + r.encodeBody() + "\r\n");
            }
        }
        Collections.reverse(beyond);
        return String.join("", beyond);
    }
}
