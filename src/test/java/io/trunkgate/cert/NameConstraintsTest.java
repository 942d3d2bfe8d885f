package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import io.trunkgate.cli.TrunkgateCli;
import io.trunkgate.tls.CertificateIssuer.Issued;
import io.trunkgate.tls.CertificateIssuer;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 5280 4.2.1.10 name constraints from the trust anchor down (issue 16): excluded and permitted dNSName on roots
 * and intermediates, self-issued intermediates, the CN when it is the identity, and otherName constraints, which the
 * JDK's validator threw on; through the validator, {@code cert verify}, the client role's trust manager and
 * client-auth.
 */
@Timeout(60)
class NameConstraintsTest {

    private static final String EXCLUDED = "not-allowed.example.com";
    private static final String ALLOWED = "allowed.example.com";
    @TempDir
    static Path dir;
    private static Issued excludingRoot;
    private static Issued excludingIntermediate;

    @BeforeAll
    static void pki() {
        excludingRoot = CertificateIssuer.ca("excluding root").exclude(dns(EXCLUDED)).selfSigned();
        excludingIntermediate = CertificateIssuer.ca("under excluding root").issuedBy(excludingRoot);
    }

    private static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    private static GeneralName otherName(String value) {
        ASN1ObjectIdentifier smtpUtf8 = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.9");
        return new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {smtpUtf8,
                new DERTaggedObject(true, 0, new DERUTF8String(value))}));
    }

    private static TrustAnchors trust(Issued root) {
        return new TrustAnchors("constrained root", List.of(root.certificate()));
    }

    private static Report validate(Issued root, List<X509Certificate> chain, String host, PeerRole role) {
        Report r = CertificateValidator.withoutRevocation(trust(root), CertSettings.defaults())
                .validate(chain, host == null ? null : PeerName.dialled(host), role, Instant.now());
        System.out.println(r.block(String.valueOf(host)));
        return r;
    }

    private static List<X509Certificate> underExcluding(String name) {
        return TestPki.chain(CertificateIssuer.leaf(name).dns(name).issuedBy(excludingIntermediate),
                excludingIntermediate);
    }

    @Test
    @DisplayName("CERT-1: a name the trust anchor excludes is refused; others under it pass")
    void cert1AnchorExcludedDnsName() {
        Report r = validate(excludingRoot, underExcluding(EXCLUDED), EXCLUDED, PeerRole.SERVER);
        assertFalse(r.valid(), r::toString);
        assertTrue(r.line(Severity.ERROR).contains("trust anchor 'excluding root'"), r::toString);
        Report sub = validate(excludingRoot, underExcluding("www." + EXCLUDED), "www." + EXCLUDED, PeerRole.SERVER);
        assertFalse(sub.valid(), "a subdomain of an excluded subtree is excluded: " + sub);
        assertTrue(validate(excludingRoot, underExcluding(ALLOWED), ALLOWED, PeerRole.SERVER).valid());
    }

    @Test
    @DisplayName("CERT-1: a trust anchor permitting one domain vouches for nothing outside it, the CN included")
    void cert1AnchorPermittedDnsName() {
        Issued root = CertificateIssuer.ca("permitting root").permit(dns("trunk.example.test")).selfSigned();
        Issued ca = CertificateIssuer.ca("under permitting root").issuedBy(root);
        String inside = "lb01.trunk.example.test";
        assertTrue(validate(root, TestPki.chain(CertificateIssuer.leaf(inside).dns(inside).issuedBy(ca), ca), inside,
                PeerRole.SERVER).valid());
        String outside = "lb01.elsewhere.example";
        Report r = validate(root, TestPki.chain(CertificateIssuer.leaf(outside).dns(outside).issuedBy(ca), ca),
                outside, PeerRole.SERVER);
        assertTrue(r.has("CERT-1", Severity.ERROR), r::toString);
        // without a SAN dNSName the CN is the identity (CERT-5), so the constraint holds for it too
        Report cn = validate(root, TestPki.chain(CertificateIssuer.leaf(outside).issuedBy(ca), ca), outside,
                PeerRole.SERVER);
        assertTrue(cn.has("CERT-1", Severity.ERROR), cn::toString);
    }

    @Test
    @DisplayName("CERT-1: an intermediate's excluded subtree holds below a self-issued (key rollover) intermediate")
    void cert1IntermediateConstraintsThroughSelfIssued() {
        TestPki pki = new TestPki("nc-intermediate");
        Issued constrained = CertificateIssuer.ca("constraining CA").exclude(dns(EXCLUDED)).issuedBy(pki.root);
        Issued rolled = CertificateIssuer.ca("constraining CA").issuedBy(constrained); // self-issued, new key
        Report r = CertificateValidator.withoutRevocation(pki.trust(), CertSettings.defaults()).validate(
                TestPki.chain(CertificateIssuer.leaf(EXCLUDED).dns(EXCLUDED).issuedBy(rolled), rolled, constrained),
                PeerName.dialled(EXCLUDED), PeerRole.SERVER, Instant.now());
        System.out.println(r.block(EXCLUDED));
        assertTrue(r.has("CERT-1", Severity.ERROR), r::toString);
    }

    @Test
    @DisplayName("CERT-1: a self-issued intermediate is exempt from the constraints above it; the leaf never is")
    void cert1SelfIssuedIntermediateIsExempt() {
        Issued root = CertificateIssuer.ca("exempting root").permit(dns("trunk.example.test")).selfSigned();
        Issued ca = CertificateIssuer.ca("exempt CA").issuedBy(root);
        // a rollover certificate naming something outside: exempt because it is self-issued (RFC 5280 6.1.3 b)
        Issued rolled = CertificateIssuer.ca("exempt CA").dns("ca.elsewhere.example").issuedBy(ca);
        String inside = "lb02.trunk.example.test";
        Report r = validate(root, TestPki.chain(CertificateIssuer.leaf(inside).dns(inside).issuedBy(rolled), rolled, ca),
                inside, PeerRole.SERVER);
        assertTrue(r.valid(), r::toString);
        // the same name on a CA that is not self-issued is checked
        Issued other = CertificateIssuer.ca("not exempt CA").dns("ca.elsewhere.example").issuedBy(ca);
        Report refused = validate(root, TestPki.chain(CertificateIssuer.leaf(inside).dns(inside).issuedBy(other),
                other, ca), inside, PeerRole.SERVER);
        assertTrue(refused.has("CERT-1", Severity.ERROR), refused::toString);
    }

    @Test
    @DisplayName("CERT-1: an otherName constraint gets a verdict with findings, never an exception")
    void cert1OtherNameConstraintHasAVerdict() {
        TestPki pki = new TestPki("nc-othername");
        Issued ca = CertificateIssuer.ca("otherName CA").permit(otherName("ops@example.test")).issuedBy(pki.root);
        Issued inside = CertificateIssuer.leaf(ALLOWED).dns(ALLOWED).san(otherName("ops@example.test")).issuedBy(ca);
        Issued outside = CertificateIssuer.leaf(ALLOWED).dns(ALLOWED).san(otherName("x@elsewhere.example"))
                .issuedBy(ca);
        CertificateValidator v = CertificateValidator.withoutRevocation(pki.trust(), CertSettings.defaults());
        Report in = v.validate(TestPki.chain(inside, ca), PeerName.dialled(ALLOWED), PeerRole.SERVER, Instant.now());
        Report out = v.validate(TestPki.chain(outside, ca), PeerName.dialled(ALLOWED), PeerRole.SERVER, Instant.now());
        System.out.println(in.block("otherName inside") + "\n" + out.block("otherName outside"));
        assertTrue(in.valid(), in::toString);
        assertFalse(out.valid(), out::toString);
        assertTrue(out.has("CERT-1", Severity.ERROR), out::toString);
    }

    @Test
    @DisplayName("CERT-1: cert verify refuses an excluded name (exit 1) and gives an otherName case a verdict, not exit 2")
    void cert1CertVerify() throws Exception {
        Path root = dir.resolve("excluding-root.pem");
        Pem.write(root, excludingRoot.certificate());
        Path chain = dir.resolve("excluded.pem");
        Pem.write(chain, underExcluding(EXCLUDED));
        String out = cli(1, "--chain", chain.toString(), "--name", EXCLUDED, "--trust", root.toString(),
                "--crl", crl().toString());
        assertTrue(out.matches("(?s).*ERROR\\s+CERT-1.*trust anchor 'excluding root'.*"), out);

        TestPki pki = new TestPki("nc-cli-othername");
        Issued ca = CertificateIssuer.ca("otherName CA").permit(otherName("ops@example.test")).issuedBy(pki.root);
        Issued leaf = CertificateIssuer.leaf(ALLOWED).dns(ALLOWED).san(otherName("x@elsewhere.example")).issuedBy(ca);
        Path otherRoot = dir.resolve("othername-root.pem");
        Pem.write(otherRoot, pki.root.certificate());
        Path otherChain = dir.resolve("othername.pem");
        Pem.write(otherChain, TestPki.chain(leaf, ca));
        String verdict = cli(1, "--chain", otherChain.toString(), "--name", ALLOWED, "--trust", otherRoot.toString(),
                "--crl", crl().toString());
        assertTrue(verdict.contains("verdict: INVALID"), verdict);
    }

    @Test
    @DisplayName("CERT-1: the client role's trust manager refuses a server whose name the root excludes")
    void cert1HandshakeRefused() throws Exception {
        Issued leaf = CertificateIssuer.leaf(EXCLUDED).dns(EXCLUDED, "localhost").issuedBy(excludingIntermediate);
        PeerTrustManager tm = new PeerTrustManager(CertificateValidator.withoutRevocation(trust(excludingRoot),
                CertSettings.defaults()));
        try (LoopbackTlsServer server = new LoopbackTlsServer(TestPki.chain(leaf, excludingIntermediate), leaf.key())) {
            SSLContext client = LoopbackTlsServer.clientContext(tm);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> server.connect(client, EXCLUDED));
            assertTrue(causes(e).contains("CERT-1"), causes(e));
            // localhost is not excluded, but the certificate also names the excluded host: refused all the same
            assertThrows(SSLHandshakeException.class, () -> server.connect(client, "localhost"));
        }
    }

    @Test
    @DisplayName("TLS-7, CERT-1: client-auth refuses a client certificate naming what the root excludes")
    void cert1ClientAuthRefused() throws Exception {
        PeerTrustManager tm = new PeerTrustManager(CertificateValidator.withoutRevocation(trust(excludingRoot),
                CertSettings.defaults()));
        X509Certificate[] bad = underExcluding(EXCLUDED).toArray(X509Certificate[]::new);
        CertificateException e = assertThrows(CertificateException.class,
                () -> tm.checkClientTrusted(bad, "RSA", (javax.net.ssl.SSLEngine) null));
        assertTrue(e.getMessage().contains("CERT-1"), e.getMessage());
        tm.checkClientTrusted(underExcluding(ALLOWED).toArray(X509Certificate[]::new), "RSA",
                (javax.net.ssl.SSLEngine) null);
    }

    /** An empty CRL of the intermediate and of the root, so cert verify downloads nothing. */
    private static Path crl() throws Exception {
        Path f = dir.resolve("crls.pem");
        Pem.write(f, CertificateIssuer.issueCrl(excludingIntermediate, Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(3600)));
        return f;
    }

    private static String cli(int expected, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("cert", "verify"));
        all.addAll(List.of(args));
        int code = TrunkgateCli.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println("exit " + code + "\n" + text);
        assertEquals(expected, code, text);
        return text;
    }

    static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
