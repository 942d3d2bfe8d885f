package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManager;

import io.netty.handler.ssl.SslHandler;
import io.trunkgate.config.Settings;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.JdkTlsServer;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.KeyMaterial;
import io.trunkgate.tls.OffloadedHandshakeEngine;
import io.trunkgate.tls.TlsProfile;
import io.trunkgate.tls.TrunkTls;
import io.trunkgate.transport.NettySipConnection;
import io.trunkgate.transport.TrunkConnections;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * CERT-9 in the client role: a cold CRL is awaited (hard-fail) in a delegated task on the TLS executor, not on the
 * Netty event loop, so the handshake succeeds and other connections of that loop keep moving meanwhile.
 */
class CrlWaitOffEventLoopTest {

    private static final long CRL_DELAY_MILLIS = 1000;

    @Test
    void cert9_hard_fail_awaits_a_slow_crl_off_the_event_loop_without_stalling_other_connections() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (CrlServer crls = new CrlServer(); RunningGateway gateway = RunningGateway.start()) {
            TestPki pki = new TestPki("slow crl", crls.base());
            crls.put("/root.crl", CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(60),
                    Instant.now().plus(Duration.ofHours(1))));
            crls.delay(CRL_DELAY_MILLIS);
            CertificateIssuer.Issued leaf = pki.leaf("localhost");

            // trust: the test root (CRL-checked) and the gateway's dev root (no distribution points)
            List<X509Certificate> anchors = new ArrayList<>(List.of(pki.root.certificate()));
            anchors.addAll(Pem.readCertificates(gateway.pki().resolve("root.pem")));
            CertSettings settings = CertSettings.defaults().withCrlPolicy(CrlPolicy.HARD_FAIL)
                    .withCrlTimeout(Duration.ofSeconds(3));
            try (CrlCache cache = new CrlCache(settings.crlTimeout());
                    JdkTlsServer server = new JdkTlsServer(leaf, pki.intermediate)) {
                TrustManager[] tms = {new PeerTrustManager(CertificateValidator.of(
                        new TrustAnchors("test roots", anchors), settings, cache))};
                KeyMaterial ours = new KeyMaterial(List.of(leaf.certificate()), leaf.key(), "test");
                TrunkTls tls = new TrunkTls(TlsProfile.spec(), new TrunkTls.KeySource() {
                    @Override
                    public KeyMaterial load() {
                        return ours;
                    }

                    @Override
                    public long stamp() {
                        return 1;
                    }
                }, tms, "test roots");
                CamelContext camel = new DefaultCamelContext();
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:slow-crl-in").process(e -> received.add(
                                new String(e.getIn().getBody(byte[].class), StandardCharsets.UTF_8)));
                    }
                });
                TrunkConnections connections = new TrunkConnections(tls, Settings.shipped(), "direct:slow-crl-in");
                camel.addService(tls, true, true); // a Camel service: its handshake threads come from the context
                camel.addService(connections, true, true);
                camel.start();
                try {
                    // connection A, on the same (single) event loop as B below
                    NettySipConnection a = connections.connect("localhost", gateway.trunkPort()).get(10, TimeUnit.SECONDS);
                    assertFalse(((OffloadedHandshakeEngine) a.channel().pipeline().get(SslHandler.class).engine())
                            .offloading(), "after the handshake, records go straight to the TLS engine");

                    long start = System.nanoTime();
                    CompletableFuture<NettySipConnection> b = connections.connect("localhost", server.port());
                    awaitCrlRequest(crls);
                    // B's certificate check now waits for the CRL: A's I/O must still flow
                    long sent = System.nanoTime();
                    a.send(TlsSipClient.options("cert9-not-stalled").getBytes(StandardCharsets.UTF_8));
                    String response = received.poll(CRL_DELAY_MILLIS / 2, TimeUnit.MILLISECONDS);
                    long answeredMillis = (System.nanoTime() - sent) / 1_000_000;
                    assertTrue(response != null && response.startsWith("SIP/2.0 200 OK"),
                            "connection A answered within " + CRL_DELAY_MILLIS / 2 + " ms while B awaited its CRL: "
                                    + response);
                    assertFalse(b.isDone(), "B is still waiting for the CRL (answered A after " + answeredMillis + " ms)");

                    b.get(10, TimeUnit.SECONDS); // hard-fail: success means the CRL was awaited and checked
                    long tookMillis = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(tookMillis >= CRL_DELAY_MILLIS - 50, "B waited for the CRL: " + tookMillis + " ms");
                    assertEquals(1, crls.requests());
                } finally {
                    camel.stop();
                    tls.close();
                }
            }
        }
    }

    private static void awaitCrlRequest(CrlServer crls) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (crls.requests() == 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(1, crls.requests(), "the CRL download started");
    }
}
