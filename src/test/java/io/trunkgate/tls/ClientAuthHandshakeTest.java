package io.trunkgate.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.trunkgate.cert.Pem;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.TlsSipClient;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/**
 * TLS-7's optional hardening (client-auth=need): the client certificate is checked in a delegated task off the
 * event loop (OffloadedHandshakeEngine on the server side), and the connection then carries SIP as usual.
 */
class ClientAuthHandshakeTest {

    @Test
    void tls7_client_auth_need_checks_the_client_certificate_off_the_event_loop_and_carries_sip() throws Exception {
        try (RunningGateway gw = RunningGateway.start(Map.of("trunkgate.tls.client-auth", "need"))) {
            DevPki pki = DevPki.ensure(gw.pki(), List.of());
            assertAnswered(client(gw.trunkPort(), pki, true), "tls7-client-auth");
            assertRefused(client(gw.trunkPort(), pki, false), "tls7-no-cert",
                    "no client certificate under client-auth=need");
        }
    }

    @Test
    void tls7_cert1_client_auth_applies_the_trust_anchors_name_constraints() throws Exception {
        CertificateIssuer.Issued root = CertificateIssuer.ca("client-auth excluding root")
                .exclude(new GeneralName(GeneralName.dNSName, "not-allowed.example.com")).selfSigned();
        CertificateIssuer.Issued ca = CertificateIssuer.ca("client-auth CA").issuedBy(root);
        Path trust = Files.createTempDirectory("trunkgate-client-auth").resolve("root.pem");
        Pem.write(trust, root.certificate());
        try (RunningGateway gw = RunningGateway.start(Map.of("trunkgate.tls.client-auth", "need",
                "trunkgate.tls.trust", trust.toString()))) {
            DevPki pki = DevPki.ensure(gw.pki(), List.of());
            CertificateIssuer.Issued allowed = CertificateIssuer.leaf("allowed.example.com")
                    .dns("allowed.example.com").issuedBy(ca);
            assertAnswered(client(gw.trunkPort(), pki, allowed, ca), "nc-allowed");
            CertificateIssuer.Issued excluded = CertificateIssuer.leaf("not-allowed.example.com")
                    .dns("not-allowed.example.com").issuedBy(ca);
            assertRefused(client(gw.trunkPort(), pki, excluded, ca), "nc-excluded",
                    "a client certificate naming what the anchor excludes");
        }
    }

    @Test
    void tls7_only_engines_that_check_a_peer_certificate_are_offloaded() throws Exception {
        Providers.ensure();
        SSLContext bc = SSLContext.getInstance("TLS", Providers.JSSE);
        bc.init(null, null, null);
        TlsProfile need = new TlsProfile(TlsProfile.SPEC_PROTOCOLS, TlsProfile.SPEC_SUITES, TlsProfile.SPEC_GROUPS,
                TlsProfile.ClientAuth.NEED);
        assertTrue(OffloadedHandshakeEngine.of(need.applyServer(bc.createSSLEngine())) instanceof OffloadedHandshakeEngine);
        assertTrue(OffloadedHandshakeEngine.of(TlsProfile.spec().applyClient(bc.createSSLEngine("localhost", 5061),
                "localhost")) instanceof OffloadedHandshakeEngine);
        assertTrue(!(OffloadedHandshakeEngine.of(TlsProfile.spec().applyServer(bc.createSSLEngine()))
                instanceof OffloadedHandshakeEngine), "a one-way server keeps its handshake on the event loop");
    }

    /** An OPTIONS on the connection is answered 200: the client certificate was accepted. */
    private static void assertAnswered(SSLSocket socket, String tag) throws IOException {
        try (SSLSocket s = socket) {
            s.startHandshake();
            s.getOutputStream().write(TlsSipClient.options(tag).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String head = new String(s.getInputStream().readNBytes(15), StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("SIP/2.0 200 OK"), head);
        }
    }

    /** The handshake or the first read fails: the server refused the client (certificate). */
    private static void assertRefused(SSLSocket socket, String tag, String why) throws IOException {
        try (SSLSocket s = socket) {
            assertThrows(IOException.class, () -> {
                s.startHandshake();
                s.getOutputStream().write(TlsSipClient.options(tag).getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }, why);
        }
    }

    private static SSLSocket client(int port, DevPki pki, boolean withCertificate) throws Exception {
        return withCertificate
                ? client(port, pki, Pem.readPrivateKey(pki.peerKey()), Pem.readCertificates(pki.peerChain()))
                : client(port, pki, null, List.of());
    }

    private static SSLSocket client(int port, DevPki pki, CertificateIssuer.Issued leaf,
            CertificateIssuer.Issued issuer) throws Exception {
        return client(port, pki, leaf.key(), List.of(leaf.certificate(), issuer.certificate()));
    }

    private static SSLSocket client(int port, DevPki pki, java.security.PrivateKey key,
            List<java.security.cert.X509Certificate> chain) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("root", Pem.readCertificates(pki.root()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(anchors);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (key != null) {
            keys.setKeyEntry("peer", key, "pw".toCharArray(), chain.toArray(Certificate[]::new));
        }
        kmf.init(keys, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLSv1.2", "SunJSSE");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        s.setSoTimeout(5000);
        return s;
    }
}
