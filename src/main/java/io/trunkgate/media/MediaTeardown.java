package io.trunkgate.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.address.SipURI;

import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkgate.proxy.ProxyConfig;
import io.trunkgate.sip.SipReplies;
import io.trunkgate.transport.SipConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a call whose 2xx carried SDP we cannot accept (SRTP-1/SRTP-2): the answerer, which believes the call
 * is up, gets an ACK (for an INVITE, RFC 3261 13.2.2.4) and then a BYE, sent on the connection the 2xx came
 * in on, with the route set of its Record-Route entries beyond ours; the 2xx itself becomes a 488 toward the
 * offerer, so the offerer sees a failed call with the cause. Best effort: the BYE is not retransmitted and its
 * response is dropped by responseMatch (no client transaction of ours matches it).
 */
final class MediaTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTeardown.class);

    /** Null: nothing is sent (tests of the processor alone); the 488 toward the offerer still is. */
    private final ProxyConfig proxy;

    MediaTeardown(ProxyConfig proxy) {
        this.proxy = proxy;
    }

    /** ACK (INVITE only) and BYE to whoever sent {@code ok}. Returns what was sent, for the log. */
    List<String> hangUpAnswerer(SIPResponse ok, SipConnection connection, Side arrivedOn) {
        List<String> sent = new ArrayList<>();
        Contact contact = ok.getContactHeader();
        if (proxy == null || connection == null || !connection.isOpen() || contact == null) {
            LOG.warn("cannot hang up the answerer of {} {}: {}", ok.getStatusCode(), ok.getCallId().getCallId(),
                    contact == null ? "its 2xx has no Contact" : "no connection back to it");
            return sent;
        }
        String transport = connection.transport().toUpperCase(Locale.ROOT);
        String target = contact.getAddress().getURI().toString();
        String routes = routeSet(ok);
        long cseq = ok.getCSeq().getSeqNumber();
        String method = ok.getCSeq().getMethod();
        if ("INVITE".equals(method)) {
            connection.send(request("ACK", target, transport, arrivedOn, routes, ok, cseq));
            sent.add("ACK");
        }
        connection.send(request("BYE", target, transport, arrivedOn, routes, ok, cseq + 1));
        sent.add("BYE");
        return sent;
    }

    private byte[] request(String method, String target, String transport, Side toward, String routes, SIPResponse ok,
            long cseq) {
        String host = toward == Side.TRUNK ? proxy.trunkHost() : proxy.insideHost();
        int port = toward == Side.TRUNK ? proxy.trunkPort() : proxy.insidePort();
        String branch = proxy.branchPrefix() + "media-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        // the dialog as the offerer (the UAC) knows it: From and To stay as in the 2xx (RFC 3261 12.2.1.1)
        String text = method + " " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + routes
                + ((SIPHeader) ok.getFrom()).encode()
                + ((SIPHeader) ok.getTo()).encode()
                + ((SIPHeader) ok.getCallIdHeader()).encode()
                + "CSeq: " + cseq + " " + method + "\r\n"
                + (method.equals("BYE") ? "Reason: SIP;cause=488;text=\"SDP refused (SRTP-1/SRTP-2)\"\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Record-Route entries above our own (those the answerer's side added), reversed: the route a request
     * from us toward the answerer takes (RFC 3261 12.2.1.1).
     */
    private String routeSet(SIPResponse ok) {
        RecordRouteList rr = ok.getRecordRouteHeaders();
        List<String> beyond = new ArrayList<>();
        if (rr != null) {
            for (Object o : rr) {
                RecordRoute r = (RecordRoute) o;
                if (r.getAddress().getURI() instanceof SipURI sip && proxy.isOurs(sip.getHost(), sip.getPort())) {
                    break;
                }
                beyond.add("Route: " + r.encodeBody() + "\r\n");
            }
        }
        Collections.reverse(beyond);
        return String.join("", beyond);
    }

    /** The 2xx, in place, becomes 488 Not Acceptable Here toward the offerer, with the cause in a Warning. */
    static void into488(SIPResponse response, String warning) {
        try {
            response.setStatusCode(SdpResult.Rejected.NOT_ACCEPTABLE_HERE);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        response.setReasonPhrase("Not Acceptable Here");
        response.removeHeader(Contact.NAME);
        response.removeHeader(RecordRoute.NAME);
        response.removeContent();
        response.removeHeader(ContentType.NAME);
        response.setContentLength(new gov.nist.javax.sip.header.ContentLength(0));
        SipReplies.warn(response, warning);
    }
}
