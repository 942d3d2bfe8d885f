package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trunkgate.cert.Pem;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.JdkTlsServer;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.DevPki;
import io.trunkgate.tls.KeyMaterial;
import io.trunkgate.tls.TlsProfile;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client role (TLS-7): outbound TLS with the profile, SNI, chain and name checks, no IP targets (CERT-5, CERT-6). */
class TrunkConnectionsTest {

    private static RunningGateway remote;
    private static CamelContext camel;
    private static TrunkConnections connections;
    private static final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        remote = RunningGateway.start();
        DevPki pki = DevPki.ensure(remote.pki(), java.util.List.of());
        TrunkTls tls = new TrunkTls(TlsProfile.spec(), new TrunkTls.KeySource() {
            @Override
            public KeyMaterial load() throws java.io.IOException, java.security.GeneralSecurityException {
                return KeyMaterial.fromPem(pki.peerChain(), pki.peerKey());
            }

            @Override
            public long stamp() {
                return 1;
            }
        }, TrunkTls.trustManagers(pki.root()), pki.root().toString());
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // as routes/listeners.yaml's trunk-tls-client: the connection headers, then the flow
                from("direct:client-in").process(new InboundConnectionProcessor()).process(e -> received.add(
                        e.getIn().getHeader(TrunkgateConstants.SOURCE_TRANSPORT) + " "
                                + new String(e.getIn().getBody(byte[].class), StandardCharsets.UTF_8)));
            }
        });
        connections = new TrunkConnections(tls, Settings.shipped(), "direct:client-in");
        camel.addService(tls, true, true); // a Camel service: its handshake threads come from the context
        camel.addService(connections, true, true);
        camel.start();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.stop();
        remote.close();
    }

    @Test
    void tls7_connects_with_the_profile_and_feeds_what_it_receives_into_the_route() throws Exception {
        NettySipConnection c = connections.connect("localhost", remote.trunkPort()).get(10, TimeUnit.SECONDS);
        assertEquals("tls", c.transport());
        c.send(TlsSipClient.options("client-role-1").getBytes(StandardCharsets.UTF_8));
        String response = received.poll(5, TimeUnit.SECONDS);
        assertTrue(response != null && response.startsWith("tls SIP/2.0 200 OK") && response.contains("client-role-1"),
                String.valueOf(response));
        assertSame(c, connections.connect("LOCALHOST", remote.trunkPort()).get(5, TimeUnit.SECONDS),
                "one connection per (host, port)");
    }

    @Test
    void cert5_a_server_whose_certificate_lacks_the_dialled_name_is_refused() throws Exception {
        DevPki pki = DevPki.ensure(remote.pki(), java.util.List.of());
        CertificateIssuer.Issued intermediate = issuedIntermediate(pki);
        CertificateIssuer.Issued leaf = CertificateIssuer.leaf("other.example").dns("other.example").issuedBy(intermediate);
        try (JdkTlsServer server = new JdkTlsServer(leaf, intermediate)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> connections.connect("localhost", server.port()).get(10, TimeUnit.SECONDS));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("TLS handshake with localhost:" + server.port() + " failed")
                    && message.contains("CERT-5") && message.contains("'localhost' is not among the certificate's SAN dNSNames"),
                    message);
        }
    }

    @Test
    void cert1_a_server_chaining_to_another_root_is_refused() throws Exception {
        CertificateIssuer.Issued otherRoot = CertificateIssuer.ca("Some Other Root").selfSigned();
        CertificateIssuer.Issued otherIntermediate = CertificateIssuer.ca("Other Intermediate").pathLength(0).issuedBy(otherRoot);
        CertificateIssuer.Issued leaf = CertificateIssuer.leaf("localhost").dns("localhost").issuedBy(otherIntermediate);
        try (JdkTlsServer server = new JdkTlsServer(leaf, otherIntermediate)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> connections.connect("localhost", server.port()).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("root is not trusted (CERT-1)"), e.getCause().getMessage());
        }
    }

    @Test
    void cert6_an_ip_literal_is_refused_before_connecting() throws Exception {
        DevPki pki = DevPki.ensure(remote.pki(), java.util.List.of());
        CertificateIssuer.Issued intermediate = issuedIntermediate(pki);
        CertificateIssuer.Issued leaf = CertificateIssuer.leaf("localhost").dns("localhost").ip("127.0.0.1").issuedBy(intermediate);
        try (JdkTlsServer server = new JdkTlsServer(leaf, intermediate)) {
            for (String ip : new String[] {"127.0.0.1", "::1", "[::1]"}) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> connections.connect(ip, server.port()).get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("CERT-6"), e.getCause().getMessage());
            }
            Thread.sleep(200);
            assertEquals(0, server.accepted(), "no TCP connection was even opened");
        }
    }

    /** The dev PKI's intermediate, with its key, to issue test leaves a client trusting the dev root accepts. */
    private static CertificateIssuer.Issued issuedIntermediate(DevPki pki) throws Exception {
        java.security.cert.X509Certificate cert = io.trunkgate.cert.Pem.readCertificates(pki.dir().resolve(DevPki.INTERMEDIATE)).get(0);
        java.security.PrivateKey key = io.trunkgate.cert.Pem.readPrivateKey(pki.dir().resolve(DevPki.INTERMEDIATE_KEY));
        return new CertificateIssuer.Issued(cert, key, new java.security.KeyPair(cert.getPublicKey(), key));
    }
}
