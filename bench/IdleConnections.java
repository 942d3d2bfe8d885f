import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opens N TLS 1.2 connections (full handshake, chain verified against ROOT) to 127.0.0.1:PORT and holds them idle
 * until stdin closes. Prints "open N" when all are up. Usage: java bench/IdleConnections.java PORT ROOT.pem N
 */
public class IdleConnections {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[2]);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = new java.io.FileInputStream(args[1])) {
            anchors.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, tmf.getTrustManagers(), null);
        List<SSLSocket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
            s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
            s.startHandshake();
            sockets.add(s);
        }
        System.out.println("open " + sockets.size());
        System.out.flush();
        System.in.read();
        for (SSLSocket s : sockets) {
            s.close();
        }
    }
}
