package io.trunkgate.cert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A plain JSSE TLS 1.2 server on 127.0.0.1 presenting a given chain; each connection gets one byte after the
 * handshake. Stands in for a trunk peer so the trust manager is tested in real handshakes.
 */
final class LoopbackTlsServer implements AutoCloseable {

    private static final char[] PASSWORD = "test".toCharArray();
    private final SSLServerSocket server;
    private final Thread acceptor;

    LoopbackTlsServer(List<X509Certificate> chain, PrivateKey key) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        acceptor = new Thread(this::serve, "test-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                s.setTcpNoDelay(true); // no Nagle / delayed-ACK stall on small handshake flights
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(42);
                out.flush();
            } catch (SocketException e) {
                if (server.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                // a refused handshake: next connection
            }
        }
    }

    /** A client SSLContext whose only trust manager is {@code tm}. */
    static SSLContext clientContext(TrustManager tm) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    /** Connects to 127.0.0.1 as if we had dialled {@code host} (peer host and SNI), reads the byte. */
    int connect(SSLContext client, String host) throws IOException {
        SSLSocketFactory f = client.getSocketFactory();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port());
        raw.setSoTimeout(5000);
        raw.setTcpNoDelay(true);
        try (SSLSocket s = (SSLSocket) f.createSocket(raw, host, port(), true)) {
            s.startHandshake();
            InputStream in = s.getInputStream();
            return in.read();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
