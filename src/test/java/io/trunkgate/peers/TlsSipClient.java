package io.trunkgate.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.trunkgate.cert.Pem;

/** A SIP-over-TLS peer on the JDK's own TLS stack (SunJSSE): writes raw bytes, reads framed SIP messages. */
public final class TlsSipClient implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;

    public TlsSipClient(int port, Path rootCa) throws IOException, GeneralSecurityException {
        SSLContext ctx = sunJsse(rootCa, "TLSv1.2");
        socket = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        in = socket.getInputStream();
    }

    /** The leaf the server presented on this connection. */
    public java.security.cert.X509Certificate peerCertificate() throws IOException {
        return (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** A SunJSSE context (the JDK's own TLS stack) that trusts {@code rootCa} alone. */
    public static SSLContext sunJsse(Path rootCa, String protocol) throws IOException, GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("root", Pem.readCertificates(rootCa).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(anchors);
        SSLContext ctx = SSLContext.getInstance(protocol, "SunJSSE");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    public void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads {@code n} raw bytes. */
    public String readBytes(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** Reads one SIP message (headers, then Content-Length bytes). */
    public String readMessage() throws IOException {
        String message = SipWire.readMessage(in);
        if (message == null) {
            throw new IOException("connection closed");
        }
        return message;
    }

    /** How long a read waits before it fails (5 s unless set). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** True when the peer closed the connection (read returns end of stream). */
    public boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A minimal valid OPTIONS with the given Call-ID. */
    public static String options(String callId) {
        return "OPTIONS sip:localhost:5061;transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@example.com>;tag=abc\r\n"
                + "To: <sip:localhost>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
