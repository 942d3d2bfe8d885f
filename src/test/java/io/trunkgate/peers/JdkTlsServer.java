package io.trunkgate.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.trunkgate.tls.CertificateIssuer;

/** A TLS server on the JDK's own stack (SunJSSE) presenting a given chain: a remote whose certificate we choose. */
public final class JdkTlsServer implements AutoCloseable {

    private final SSLServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread thread;

    public JdkTlsServer(CertificateIssuer.Issued leaf, CertificateIssuer.Issued... intermediates)
            throws IOException, GeneralSecurityException {
        this(new String[] {"TLSv1.2"}, leaf, intermediates);
    }

    /** A server enabling exactly {@code protocols} (e.g. TLSv1.2 and TLSv1.3), SunJSSE's defaults otherwise. */
    public JdkTlsServer(String[] protocols, CertificateIssuer.Issued leaf, CertificateIssuer.Issued... intermediates)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Certificate[] chain = new Certificate[1 + intermediates.length];
        chain[0] = leaf.certificate();
        for (int i = 0; i < intermediates.length; i++) {
            chain[i + 1] = intermediates[i].certificate();
        }
        ks.setKeyEntry("k", leaf.key(), "pw".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(protocols);
        thread = new Thread(this::serve, "jdk-tls-server");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> {
                    try (SSLSocket ssl = (SSLSocket) s) {
                        ssl.setSoTimeout(5000);
                        ssl.startHandshake();
                        ssl.getInputStream().read();
                    } catch (IOException ignored) {
                        // the client refused us: that is what these tests look for
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** TCP connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
