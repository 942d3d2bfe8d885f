package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;

import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client role's trust manager in real JSSE handshakes over loopback, and with an SSLEngine. */
@Timeout(60)
class PeerTrustManagerTest {

    private static final String HOST = "lb01.trunk.example.test";
    private static TestPki pki;
    private static Issued leaf;
    private static CrlServer crls;
    private static CrlCache cache;
    private static PeerTrustManager tm;

    @BeforeAll
    static void setUp() throws Exception {
        crls = new CrlServer();
        pki = new TestPki("handshake", crls.base());
        leaf = CertificateIssuer.leaf(HOST).dns(HOST, "localhost").crl(crls.base() + "/int.crl")
                .issuedBy(pki.intermediate);
        crls.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofDays(1))));
        crls.put("/root.crl", CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofDays(1))));
        cache = new CrlCache(Duration.ofSeconds(2));
        tm = new PeerTrustManager(CertificateValidator.of(pki.trust(),
                CertSettings.defaults().withCrlPolicy(CrlPolicy.HARD_FAIL), cache));
    }

    @AfterAll
    static void tearDown() {
        cache.close();
        crls.close();
    }

    @Test
    @DisplayName("CERT-1, CERT-5, CERT-9: a handshake with a valid chain for the dialled host succeeds")
    void cert5HandshakeWithDialledHostSucceeds() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(pki.chain(leaf), leaf.key())) {
            SSLContext client = LoopbackTlsServer.clientContext(tm);
            assertEquals(42, server.connect(client, HOST));
            assertEquals(42, server.connect(client, "localhost"));
        }
    }

    @Test
    @DisplayName("CERT-5: a handshake for a host the certificate does not name fails, citing CERT-5")
    void cert5HandshakeWithWrongHostFails() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(pki.chain(leaf), leaf.key())) {
            SSLContext client = LoopbackTlsServer.clientContext(tm);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> server.connect(client, "lb02.trunk.example.test"));
            assertTrue(causes(e).contains("CERT-5"), causes(e));
        }
    }

    @Test
    @DisplayName("CERT-5: the trust manager works the same under Bouncy Castle's JSSE provider (BCJSSE)")
    void cert5UnderBcjsse() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(pki.chain(leaf), leaf.key())) {
            SSLContext client = SSLContext.getInstance("TLSv1.2",
                    new BouncyCastleJsseProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()));
            client.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
            assertEquals(42, server.connect(client, HOST));
            // BCJSSE reports a refused handshake as its TlsFatalAlert, an IOException with our exception as cause
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> server.connect(client, "lb02.trunk.example.test"));
            assertTrue(causes(e).contains("CERT-5"), causes(e));
        }
    }

    @Test
    @DisplayName("TLS-9: a server that omits its intermediate fails the handshake, citing TLS-9")
    void tls9HandshakeWithoutIntermediateFails() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(List.of(leaf.certificate()), leaf.key())) {
            SSLContext client = LoopbackTlsServer.clientContext(tm);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> server.connect(client, HOST));
            assertTrue(causes(e).contains("TLS-9"), causes(e));
        }
    }

    @Test
    @DisplayName("CERT-9: a revoked server certificate fails the handshake")
    void cert9RevokedServerFails() throws Exception {
        Issued revoked = CertificateIssuer.leaf(HOST).dns(HOST).crl(crls.base() + "/revoked-int.crl")
                .issuedBy(pki.intermediate);
        crls.put("/revoked-int.crl", CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofDays(1)), revoked.certificate()));
        try (LoopbackTlsServer server = new LoopbackTlsServer(pki.chain(revoked), revoked.key())) {
            SSLContext client = LoopbackTlsServer.clientContext(tm);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> server.connect(client, HOST));
            assertTrue(causes(e).contains("CERT-9"), causes(e));
        }
    }

    @Test
    @DisplayName("CERT-5: with an SSLEngine the name is the engine's peer host / SNI")
    void cert5EngineHostName() throws Exception {
        SSLContext client = LoopbackTlsServer.clientContext(tm);
        X509Certificate[] chain = pki.chain(leaf).toArray(X509Certificate[]::new);
        SSLEngine good = client.createSSLEngine(HOST, 5061);
        good.setUseClientMode(true);
        tm.checkServerTrusted(chain, "ECDHE_RSA", good);
        SSLEngine other = client.createSSLEngine("lb03.trunk.example.test", 5061);
        other.setUseClientMode(true);
        CertificateException e = assertThrows(CertificateException.class,
                () -> tm.checkServerTrusted(chain, "ECDHE_RSA", other));
        assertTrue(e.getMessage().contains("CERT-5"), e.getMessage());
        SSLEngine byIp = client.createSSLEngine("127.0.0.1", 5061);
        byIp.setUseClientMode(true);
        CertificateException ip = assertThrows(CertificateException.class,
                () -> tm.checkServerTrusted(chain, "ECDHE_RSA", byIp));
        assertTrue(ip.getMessage().contains("CERT-6"), ip.getMessage());
    }

    @Test
    @DisplayName("CERT-5: without a connection there is no host name to check, so the chain is refused")
    void cert5NoHostIsRefused() {
        X509Certificate[] chain = pki.chain(leaf).toArray(X509Certificate[]::new);
        CertificateException e = assertThrows(CertificateException.class, () -> tm.checkServerTrusted(chain, "RSA"));
        assertTrue(e.getMessage().contains("CERT-5"), e.getMessage());
    }

    @Test
    @DisplayName("CERT-2: the accepted issuers are the trust anchors (roots), never a server certificate")
    void cert2AcceptedIssuersAreRoots() {
        assertEquals(List.of(pki.root.certificate()), List.of(tm.getAcceptedIssuers()));
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
