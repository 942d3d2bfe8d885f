package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.channel.DefaultEventLoop;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CERT-9: CRLs from distribution points served by a local HTTP server, the cache, both policies, local files. */
@Timeout(60)
class RevocationTest {

    private static final String HOST = "sbc.customer.example.test";
    private static CrlServer server;
    private static TestPki pki;
    private static Issued good;
    private static Issued revoked;

    @BeforeAll
    static void start() throws Exception {
        server = new CrlServer();
        pki = new TestPki("revocation", server.base());
        good = CertificateIssuer.leaf(HOST).dns(HOST).crl(server.base() + "/int.crl").issuedBy(pki.intermediate);
        revoked = CertificateIssuer.leaf(HOST).dns(HOST).crl(server.base() + "/int.crl").issuedBy(pki.intermediate);
        Instant now = Instant.now();
        server.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, now.minusSeconds(60),
                now.plus(Duration.ofDays(7)), revoked.certificate()));
        server.put("/root.crl", CertificateIssuer.issueCrl(pki.root, now.minusSeconds(60),
                now.plus(Duration.ofDays(7))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Report validate(CertificateValidator v, Issued leaf) {
        Report r = v.validate(pki.chain(leaf), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
        System.out.println(r.block(HOST));
        return r;
    }

    private static CertSettings policy(CrlPolicy p) {
        return CertSettings.defaults().withCrlPolicy(p).withCrlTimeout(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("CERT-9: a certificate on its issuer's CRL is refused under both policies")
    void cert9RevokedIsRefusedUnderBothPolicies() {
        for (CrlPolicy p : CrlPolicy.values()) {
            try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
                CertificateValidator v = CertificateValidator.of(pki.trust(), policy(p), cache);
                Report r = validate(v, revoked);
                assertFalse(r.valid(), r::toString);
                assertTrue(r.has("CERT-9", Severity.ERROR), r::toString);
                assertTrue(validate(v, good).valid());
            }
        }
    }

    @Test
    @DisplayName("CERT-9: every certificate of the path is checked: leaf and intermediate CRLs are both fetched")
    void cert9EveryCertificateOfThePath() {
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            CertificateValidator v = CertificateValidator.of(pki.trust(), policy(CrlPolicy.HARD_FAIL), cache);
            Report r = validate(v, good);
            assertTrue(r.valid(), r::toString);
            assertEquals(2, r.of(Severity.INFO).stream()
                    .filter(f -> f.requirement().equals("CERT-9") && f.message().contains("not revoked")).count(),
                    r::toString);
        }
    }

    @Test
    @DisplayName("CERT-9: a CRL is cached per URL until its nextUpdate: a second handshake downloads nothing")
    void cert9CachedUntilNextUpdate() {
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            CertificateValidator v = CertificateValidator.of(pki.trust(), policy(CrlPolicy.HARD_FAIL), cache);
            int before = server.requests();
            for (int i = 0; i < 5; i++) {
                assertTrue(validate(v, good).valid());
            }
            assertEquals(2, server.requests() - before, "one download per URL");
            assertEquals(2, cache.downloads());
        }
    }

    @Test
    @DisplayName("CERT-9: a cached CRL is refreshed in the background ahead of its nextUpdate")
    void cert9BackgroundRefresh() throws Exception {
        try (CrlServer shortLived = new CrlServer(); CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            Instant now = Instant.now();
            shortLived.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, now.minusSeconds(1),
                    now.plusSeconds(3)));
            String url = shortLived.base() + "/int.crl";
            assertTrue(cache.lookup(url, true).found());
            assertEquals(1, shortLived.requests());
            // nextUpdate in 3 s, lead 1 s: a refresh comes after about 2 s without any lookup
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shortLived.requests() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(shortLived.requests() >= 2, "no background refresh within 10 s");
        }
    }

    @Test
    @DisplayName("CERT-9: CRL server down, soft-fail: accepted with a warning")
    void cert9ServerDownSoftFail() throws Exception {
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            TestPki down = downPki();
            Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).crl(deadUrl()).issuedBy(down.intermediate);
            Report r = CertificateValidator.of(down.trust(), policy(CrlPolicy.SOFT_FAIL), cache)
                    .validate(down.chain(leaf), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
            System.out.println(r.block("soft-fail"));
            assertTrue(r.valid(), r::toString);
            assertTrue(r.has("CERT-9", Severity.WARNING), r::toString);
        }
    }

    @Test
    @DisplayName("CERT-9: CRL server down, hard-fail: refused")
    void cert9ServerDownHardFail() throws Exception {
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            TestPki down = downPki();
            Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).crl(deadUrl()).issuedBy(down.intermediate);
            Report r = CertificateValidator.of(down.trust(), policy(CrlPolicy.HARD_FAIL), cache)
                    .validate(down.chain(leaf), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
            System.out.println(r.block("hard-fail"));
            assertFalse(r.valid(), r::toString);
            assertTrue(r.has("CERT-9", Severity.ERROR), r::toString);
        }
    }

    @Test
    @DisplayName("CERT-9: a slow CRL server is bounded by trunkgate.crl.timeout")
    void cert9FetchTimeout() {
        try (CrlServer slow = new CrlServer(); CrlCache cache = new CrlCache(Duration.ofMillis(500))) {
            slow.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, Instant.now(),
                    Instant.now().plusSeconds(600)));
            slow.delay(3000);
            long t0 = System.nanoTime();
            CrlCache.Lookup l = cache.lookup(slow.base() + "/int.crl", true);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(l.found());
            assertTrue(ms < 2000, "waited " + ms + " ms");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("CERT-9: the download never runs on, nor blocks, a Netty event-loop thread")
    void cert9NoWaitOnEventLoop() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try (CrlServer slow = new CrlServer(); CrlCache cache = new CrlCache(Duration.ofSeconds(5))) {
            slow.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                    Instant.now().plusSeconds(600)));
            slow.delay(1500);
            String url = slow.base() + "/int.crl";
            long t0 = System.nanoTime();
            CrlCache.Lookup first = loop.submit(() -> cache.lookup(url, !EventLoopGuard.onEventLoop()))
                    .get(5, TimeUnit.SECONDS);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1000, "the event loop waited");
            assertFalse(first.found());
            assertTrue(first.failure().contains("event-loop"), first.failure());
            // the background download lands in the cache: a later handshake on the loop finds it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            CrlCache.Lookup later = first;
            while (!later.found() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                later = loop.submit(() -> cache.lookup(url, !EventLoopGuard.onEventLoop())).get(5, TimeUnit.SECONDS);
            }
            assertTrue(later.found(), "the background download did not complete");
            assertEquals(1, slow.requests());
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("CERT-9: a certificate without a distribution point is accepted with an info finding, even hard-fail")
    void cert9NoDistributionPointIsInfo() {
        TestPki plain = new TestPki("no-dp");
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            Report r = CertificateValidator.of(plain.trust(), policy(CrlPolicy.HARD_FAIL), cache)
                    .validate(plain.chain(plain.leaf(HOST)), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
            assertTrue(r.valid(), r::toString);
            assertTrue(r.has("CERT-9", Severity.INFO), r::toString);
        }
    }

    @Test
    @DisplayName("CERT-9: a CRL not signed by the certificate's issuer is not used")
    void cert9CrlSignatureVerified() throws Exception {
        // same issuer name, another key: what an attacker serving a clean CRL would do
        Report r = withServedCrl("forged-crl", CrlPolicy.HARD_FAIL,
                p -> CertificateIssuer.ca("forged-crl intermediate CA").issuedBy(p.root));
        assertTrue(r.has("CERT-9", Severity.ERROR), r::toString);
        assertTrue(r.line(Severity.ERROR).contains("signature"), r::toString);
    }

    /**
     * A leaf of a new test PKI whose intermediate's distribution point serves a clean CRL issued by
     * {@code intermediateCrlSigner} (the root's CRL is genuine), validated with downloads under {@code policy}.
     */
    private static Report withServedCrl(String name, CrlPolicy policy, Function<TestPki, Issued> intermediateCrlSigner)
            throws Exception {
        try (CrlServer served = new CrlServer(); CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            TestPki p = new TestPki(name, served.base());
            Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).crl(served.base() + "/int.crl")
                    .issuedBy(p.intermediate);
            served.put("/int.crl", CertificateIssuer.issueCrl(intermediateCrlSigner.apply(p),
                    Instant.now().minusSeconds(1), Instant.now().plusSeconds(600)));
            served.put("/root.crl", CertificateIssuer.issueCrl(p.root, Instant.now().minusSeconds(1),
                    Instant.now().plusSeconds(600)));
            Report r = CertificateValidator.of(p.trust(), policy(policy), cache)
                    .validate(p.chain(leaf), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
            System.out.println(r.block(name));
            return r;
        }
    }

    @Test
    @DisplayName("CERT-9: local CRL files (trunkgate.crl.files) are used without any download")
    void cert9LocalCrlFiles(@TempDir Path dir) throws Exception {
        Path crl = dir.resolve("int.crl");
        Files.write(crl, CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(600), revoked.certificate()).getEncoded());
        Path rootCrl = dir.resolve("root.crl");
        Files.write(rootCrl, CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(600)).getEncoded());
        int before = server.requests();
        CertificateValidator v = CertificateValidator.withLocalCrls(pki.trust(), policy(CrlPolicy.HARD_FAIL),
                LocalCrls.load(List.of(crl, rootCrl)));
        assertTrue(validate(v, revoked).has("CERT-9", Severity.ERROR));
        assertTrue(validate(v, good).valid());
        assertEquals(before, server.requests(), "no download with local CRLs");
        // with the settings key, through the gateway's factory
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            CertificateValidator fromSettings = CertificateValidator.of(pki.trust(),
                    policy(CrlPolicy.HARD_FAIL).withCrlFiles(List.of(crl, rootCrl)), cache);
            assertTrue(validate(fromSettings, revoked).has("CERT-9", Severity.ERROR));
            assertEquals(0, cache.downloads());
        }
    }

    @Test
    @DisplayName("CERT-9: a refused chain downloads nothing (an untrusted certificate picks no URLs for us)")
    void cert9NoDownloadForRefusedChain() {
        try (CrlCache cache = new CrlCache(Duration.ofSeconds(2))) {
            CertificateValidator v = CertificateValidator.of(pki.trust(), policy(CrlPolicy.HARD_FAIL), cache);
            Report r = v.validate(pki.chain(good), PeerName.dialled("wrong.example.test"), PeerRole.SERVER,
                    Instant.now());
            assertFalse(r.valid());
            assertEquals(0, cache.downloads());
        }
    }

    private static TestPki downPki() throws Exception {
        return new TestPki("crl-down", deadUrl().replace("/int.crl", ""));
    }

    /** A loopback URL where nothing listens: the port was bound and released. */
    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/int.crl";
        }
    }


    /** A validator over local CRL files only (soft-fail: only an untrustworthy CRL may refuse). */
    private static CertificateValidator withFiles(Path dir, X509CRL... crls) throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        for (X509CRL c : crls) {
            Path f = dir.resolve("crl-" + files.size() + ".crl");
            Files.write(f, c.getEncoded());
            files.add(f);
        }
        Path rootCrl = dir.resolve("root.crl");
        Files.write(rootCrl, CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(600)).getEncoded());
        files.add(rootCrl);
        return CertificateValidator.withLocalCrls(pki.trust(), policy(CrlPolicy.SOFT_FAIL), LocalCrls.load(files));
    }

    @Test
    @DisplayName("CERT-9: a CRL in the issuer's name signed by another key is refused even under soft-fail")
    void cert9WrongKeyCrlRefusedUnderSoftFail(@TempDir Path dir) throws Exception {
        Issued impostor = CertificateIssuer.ca("revocation intermediate CA").issuedBy(pki.root); // same name
        Report r = validate(withFiles(dir, CertificateIssuer.issueCrl(impostor, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(600))), good);
        assertTrue(r.has("CERT-9", Severity.ERROR), r::toString);
        assertTrue(r.line(Severity.ERROR).contains("signature"), r::toString);
        // beside the genuine CRL, the forged one is passed over: a re-keyed CA's two CRLs may share a file
        Report both = validate(withFiles(dir, CertificateIssuer.issueCrl(impostor, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(600)), CertificateIssuer.issueCrl(pki.intermediate,
                Instant.now().minusSeconds(1), Instant.now().plusSeconds(600))), good);
        assertTrue(both.valid(), both::toString);
    }

    @Test
    @DisplayName("CERT-9: a CRL from the distribution point whose issuer is another CA is refused even under soft-fail")
    void cert9MismatchedIssuerRefused() throws Exception {
        // the root's CRL where the intermediate's belongs
        Report r = withServedCrl("mismatched-crl", CrlPolicy.SOFT_FAIL, p -> p.root);
        assertTrue(r.has("CERT-9", Severity.ERROR), r::toString);
        assertTrue(r.line(Severity.ERROR).contains("is not the certificate's issuer"), r::toString);
    }

    @Test
    @DisplayName("CERT-9: a CRL without crlNumber is refused (RFC 5280 5.2.3); with one it is used")
    void cert9CrlNumberRequired(@TempDir Path dir) throws Exception {
        Report without = validate(withFiles(dir, CertificateIssuer.issueCrl(pki.intermediate,
                Instant.now().minusSeconds(1), Instant.now().plusSeconds(600), false)), good);
        assertTrue(without.has("CERT-9", Severity.ERROR), without::toString);
        assertTrue(without.line(Severity.ERROR).contains("crlNumber"), without::toString);
        Report with = validate(withFiles(dir, CertificateIssuer.issueCrl(pki.intermediate,
                Instant.now().minusSeconds(1), Instant.now().plusSeconds(600), true)), good);
        assertTrue(with.valid(), with::toString);
        assertTrue(with.has("CERT-9", Severity.INFO), with::toString);
    }
}
