package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CERT-9 benchmark: full TLS 1.2 handshakes per second over loopback with revocation checking on (CRLs cached) and
 * off, alternating batches so machine noise hits both. Runs with {@code -Dtrunkgate.bench=true}
 * ({@code mvn test -Dtest=RevocationOverheadBenchmark -Dtrunkgate.bench=true}); the bar is "within 10%".
 */
@Timeout(300)
class RevocationOverheadBenchmark {

    private static final String HOST = "lb01.trunk.example.test";

    @Test
    @DisplayName("CERT-9: handshake throughput with cached CRLs stays within 10% of the figure without revocation")
    void cert9CachedRevocationCostsUnderTenPercent() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("trunkgate.bench"), "benchmark: run with -Dtrunkgate.bench=true");
        int rounds = Integer.getInteger("trunkgate.bench.rounds", 6);
        int perRound = Integer.getInteger("trunkgate.bench.handshakes", 200);
        try (CrlServer crls = new CrlServer(); CrlCache cache = new CrlCache(Duration.ofSeconds(5))) {
            TestPki pki = new TestPki("bench", crls.base());
            Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).crl(crls.base() + "/int.crl")
                    .issuedBy(pki.intermediate);
            crls.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                    Instant.now().plus(Duration.ofDays(1))));
            crls.put("/root.crl", CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(1),
                    Instant.now().plus(Duration.ofDays(1))));
            CertSettings settings = CertSettings.defaults().withCrlPolicy(CrlPolicy.HARD_FAIL);
            SSLContext withCrl = LoopbackTlsServer.clientContext(
                    new PeerTrustManager(CertificateValidator.of(pki.trust(), settings, cache)));
            SSLContext without = LoopbackTlsServer.clientContext(
                    new PeerTrustManager(CertificateValidator.withoutRevocation(pki.trust(), settings)));
            try (LoopbackTlsServer server = new LoopbackTlsServer(pki.chain(leaf), leaf.key())) {
                handshakes(server, withCrl, 50); // warm-up: JIT, and the two CRLs into the cache
                handshakes(server, without, 50);
                long nanosWith = 0;
                long nanosWithout = 0;
                for (int r = 0; r < rounds; r++) {
                    nanosWith += handshakes(server, withCrl, perRound);
                    nanosWithout += handshakes(server, without, perRound);
                }
                double rateWith = rounds * perRound / (nanosWith / 1e9);
                double rateWithout = rounds * perRound / (nanosWithout / 1e9);
                System.out.printf("handshakes/s: revocation on (cached) %.0f, off %.0f, ratio %.3f%n", rateWith,
                        rateWithout, rateWith / rateWithout);
                assertEquals(2, crls.requests(), "the CRLs came from the cache");
                assertTrue(rateWith >= 0.9 * rateWithout, String.format("%.0f/s with vs %.0f/s without", rateWith,
                        rateWithout));
            }
        }
    }

    /** Full handshakes (each session invalidated, so none is resumed and every one validates the chain). */
    private static long handshakes(LoopbackTlsServer server, SSLContext client, int count) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port());
            raw.setSoTimeout(5000);
            raw.setTcpNoDelay(true);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(raw, HOST, server.port(), true)) {
                s.startHandshake();
                s.getInputStream().read();
                s.getSession().invalidate();
            }
        }
        return System.nanoTime() - t0;
    }
}
