package io.trunkgate.sip;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** Test messages and a connection that records what is sent on it (loopback addresses only). */
public final class SipTestMessages {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    private SipTestMessages() {
    }

    public static final String SDP = "v=0\r\n"
            + "o=- 3724394400 3724394400 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/SAVP 0 8 101\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=sendrecv\r\n";

    /** A typical INVITE with an SDP offer, to the given Request-URI. */
    public static byte[] invite(String requestUri) {
        return invite(requestUri, "a84b4c76e66710@127.0.0.1");
    }

    public static byte[] invite(String requestUri, String callId) {
        String text = "INVITE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:+13175550100@127.0.0.1>\r\n"
                + "From: \"Caller\" <sip:+15551234567@127.0.0.1>;tag=1928301774\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Contact: <sip:+15551234567@127.0.0.1:5061;transport=tls>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n" + SDP;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An exchange whose body is the given bytes, arriving from {@code source} on {@code connection}. */
    public static Exchange exchange(byte[] body, RecordingConnection connection) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader(TrunkgateConstants.CONNECTION, connection);
        exchange.getIn().setHeader(TrunkgateConstants.SOURCE_ADDRESS, connection.remoteAddress());
        exchange.getIn().setHeader(TrunkgateConstants.SOURCE_TRANSPORT, connection.transport());
        return exchange;
    }

    /** A connection that keeps what is sent. */
    public static final class RecordingConnection implements SipConnection {
        private final InetSocketAddress remote;
        private final String transport;
        public final List<String> sent = new ArrayList<>();

        public RecordingConnection(String remoteIp, String transport) {
            this.remote = new InetSocketAddress(remoteIp, 40123);
            this.transport = transport;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 5061);
        }

        @Override
        public void send(byte[] message) {
            sent.add(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
