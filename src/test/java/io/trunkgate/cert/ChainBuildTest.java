package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Path building by name and key (issue 16): re-keyed and cross-signed CAs, several anchors with one name, backtracking
 * past a refused candidate, bounded work on a hostile bundle, and telling an untrusted root from a missing
 * intermediate.
 */
@Timeout(120)
class ChainBuildTest {

    private static final String HOST = "lb01.trunk.example.test";

    private static Report validate(TrustAnchors trust, List<X509Certificate> chain) {
        Report r = CertificateValidator.withoutRevocation(trust, CertSettings.defaults())
                .validate(chain, PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
        System.out.println(r.block(HOST));
        return r;
    }

    private static TrustAnchors trust(Issued... roots) {
        return new TrustAnchors("test roots", TestPki.chain(roots));
    }

    private static Issued leaf(Issued issuer) {
        return CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(issuer);
    }

    @Test
    @DisplayName("CERT-1: of two trusted roots with one name, the one whose key signed the chain is the anchor")
    void cert1SameNameRootsPickedByKey() {
        Issued oldRoot = CertificateIssuer.ca("rekeyed root").selfSigned();
        Issued newRoot = CertificateIssuer.ca("rekeyed root").selfSigned();
        Issued intermediate = CertificateIssuer.ca("rekeyed intermediate").issuedBy(newRoot);
        Report r = validate(trust(oldRoot, newRoot), TestPki.chain(leaf(intermediate), intermediate));
        assertTrue(r.valid(), r::toString);
        Report onlyOld = validate(trust(oldRoot), TestPki.chain(leaf(intermediate), intermediate));
        assertTrue(onlyOld.has("CERT-1", Severity.ERROR), onlyOld::toString);
        assertTrue(onlyOld.line(Severity.ERROR).contains("does not verify"), onlyOld::toString);
    }

    @Test
    @DisplayName("CERT-1: a self-issued key-rollover certificate is a link of the path, not its end")
    void cert1KeyRolloverLinkIsFollowed() {
        Issued root = CertificateIssuer.ca("rollover root").selfSigned();
        Issued oldCa = CertificateIssuer.ca("rollover CA").issuedBy(root);
        Issued newCa = CertificateIssuer.ca("rollover CA").issuedBy(oldCa); // same name, new key, signed by the old
        assertTrue(ChainBuild.isSelfIssued(newCa.certificate()));
        Report r = validate(trust(root), TestPki.chain(leaf(newCa), newCa, oldCa));
        assertTrue(r.valid(), r::toString);
    }

    @Test
    @DisplayName("CERT-1: a cross-signed intermediate reaches the trusted root through its other issuer")
    void cert1CrossSignedIntermediate() {
        Issued untrustedRoot = CertificateIssuer.ca("cross root A").selfSigned();
        Issued trustedRoot = CertificateIssuer.ca("cross root B").selfSigned();
        KeyPair key = CertificateIssuer.rsa2048();
        Issued byA = CertificateIssuer.ca("cross intermediate").keyPair(key).issuedBy(untrustedRoot);
        Issued byB = CertificateIssuer.ca("cross intermediate").keyPair(key).issuedBy(trustedRoot);
        Issued leaf = leaf(byA); // either certificate of the intermediate verifies it: same name, same key
        Report r = validate(trust(trustedRoot), TestPki.chain(leaf, byA, untrustedRoot, byB));
        assertTrue(r.valid(), r::toString);
        assertTrue(r.findings().stream().anyMatch(f -> f.message().contains("trust anchor 'cross root B'")),
                r::toString);
    }

    @Test
    @DisplayName("CERT-1, CERT-8: a candidate path the validator refuses (an expired cross-certificate) gives way to the next")
    void cert1BacktracksPastARefusedPath() {
        Issued root = CertificateIssuer.ca("backtrack root").selfSigned();
        KeyPair key = CertificateIssuer.rsa2048();
        Issued expired = CertificateIssuer.ca("backtrack intermediate").keyPair(key)
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)))
                .issuedBy(root);
        Issued current = CertificateIssuer.ca("backtrack intermediate").keyPair(key).issuedBy(root);
        Issued leaf = leaf(current);
        Report r = validate(trust(root), TestPki.chain(leaf, expired, current));
        assertTrue(r.valid(), r::toString);
        assertTrue(r.has("TLS-9", Severity.INFO), "the expired copy is not part of the path: " + r);
        Report onlyExpired = validate(trust(root), TestPki.chain(leaf, expired));
        assertTrue(onlyExpired.has("CERT-8", Severity.ERROR), onlyExpired::toString);
    }

    @Test
    @DisplayName("CERT-1: a hostile bundle of 50 CAs with one name and interlocking keys ends in a finding, in bounded work")
    void cert1HostileBundleIsBounded() {
        TestPki pki = new TestPki("hostile");
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(CertificateIssuer.rsa2048());
        }
        // 10 certificates per key, each signed by the next key: every level offers 10 verifying candidates
        Issued[] signers = new Issued[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            signers[i] = CertificateIssuer.ca("hostile CA").keyPair(keys.get(i)).issuedBy(pki.root);
        }
        List<X509Certificate> bundle = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            int k = n % keys.size();
            bundle.add(CertificateIssuer.ca("hostile CA").keyPair(keys.get(k))
                    .issuedBy(signers[(k + 1) % keys.size()]).certificate());
        }
        Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(signers[0]);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf.certificate()));
        chain.addAll(bundle);
        // a trust that does not hold the bundle's root: no path exists, the search must give up by its limits
        Report r = validate(new TestPki("elsewhere").trust(), chain);
        assertFalse(r.valid(), r::toString);
        assertTrue(r.has("CERT-1", Severity.ERROR) || r.has("TLS-9", Severity.ERROR), r::toString);
    }

    @Test
    @DisplayName("CERT-1 vs TLS-9: a complete chain ending at a root we do not trust is not an incomplete chain")
    void cert1CompleteChainUntrustedRoot() {
        TestPki other = new TestPki("untrusted-complete");
        Issued leaf = other.leaf(HOST);
        TrustAnchors trust = new TestPki("trusted").trust();
        Report sentRoot = validate(trust, TestPki.chain(leaf, other.intermediate, other.root));
        assertTrue(sentRoot.has("CERT-1", Severity.ERROR), sentRoot::toString);
        assertFalse(sentRoot.has("TLS-9", Severity.ERROR), sentRoot::toString);
        assertTrue(sentRoot.has("TLS-9", Severity.INFO), sentRoot::toString);

        // root not sent (as servers do) but known beyond the trust: complete, untrusted
        List<Finding> known = new ArrayList<>();
        Optional<ChainBuild.Path> none = ChainBuild.build(other.chain(leaf), trust, p -> List.of(),
                () -> List.of(other.root.certificate()), known);
        assertTrue(none.isEmpty());
        assertTrue(known.stream().anyMatch(f -> f.requirement().equals("CERT-1") && f.severity() == Severity.ERROR
                && f.message().contains("complete")), known::toString);
        assertTrue(known.stream().noneMatch(f -> f.requirement().equals("TLS-9") && f.severity() == Severity.ERROR),
                known::toString);

        // root neither sent nor known: an intermediate is missing (TLS-9)
        List<Finding> unknown = new ArrayList<>();
        ChainBuild.build(other.chain(leaf), trust, p -> List.of(), List::of, unknown);
        assertTrue(unknown.stream().anyMatch(f -> f.requirement().equals("TLS-9") && f.severity() == Severity.ERROR),
                unknown::toString);
    }
}
