package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Step 1: the path from the presented leaf up to a trust anchor, built only from the certificates the peer presented.
 * A missing intermediate is never fetched (no AIA chasing): the server must send it (TLS-9, TLS-10), and hiding its
 * absence would let a misconfigured peer pass here and fail elsewhere.
 * <p>
 * Issuers are found by name <em>and</em> key: a candidate must carry the child's issuer name and its key must verify
 * the child's signature (authority/subject key identifiers only order the candidates). Real PKIs have several CA
 * certificates with one name: re-keyed CAs (a self-issued certificate links the old key to the new), cross-signed
 * CAs, roots of one family sharing a name. The search is depth-first, anchors before presented CAs, and backtracks:
 * every candidate path goes to the {@code judge} (PKIX, constraints, keys, dates) and the first it accepts wins.
 * Depth, signature checks and judged paths are bounded, so a hostile bundle of many same-name CAs costs a bounded
 * amount of work and ends in a finding.
 */
final class ChainBuild {

    /** Presented CA certificates above the leaf in one path; public chains have one to three. */
    static final int MAX_INTERMEDIATES = 8;
    /** Signature verifications one build may spend (a cache makes each child/issuer pair count once). */
    static final int MAX_SIGNATURE_CHECKS = 100;
    /** Complete candidate paths one build may judge. */
    static final int MAX_JUDGED_PATHS = 8;

    /** The presented certificates of the path (leaf first) and the anchor that ends it. */
    record Path(List<X509Certificate> certificates, X509Certificate anchor) {

        X509Certificate leaf() {
            return certificates.get(0);
        }

        /** The issuer of the i-th certificate: the next one, or the anchor. */
        X509Certificate issuerOf(int i) {
            return i + 1 < certificates.size() ? certificates.get(i + 1) : anchor;
        }
    }

    /** Why a walk stopped short of an anchor, ranked: the later constants say more about the chain. */
    private enum End {
        TOO_LONG, MISSING_ISSUER, WRONG_KEY, UNTRUSTED_ROOT
    }

    private record DeadEnd(List<X509Certificate> path, End end) {
    }

    private final List<X509Certificate> presented;
    private final TrustAnchors trust;
    private final Function<Path, List<Finding>> judge;
    private final Map<X509Certificate, Map<X509Certificate, Boolean>> verified = new IdentityHashMap<>();
    private int signatureChecks;
    private int judged;
    private boolean exhausted;
    private Path accepted;
    private List<Finding> acceptedFindings;
    private Path firstRefused;
    private List<Finding> firstRefusedFindings;
    private DeadEnd deadEnd;

    private ChainBuild(List<X509Certificate> presented, TrustAnchors trust, Function<Path, List<Finding>> judge) {
        this.presented = presented;
        this.trust = trust;
        this.judge = judge;
    }

    /**
     * Builds and judges paths; adds the findings of the accepted path, or of the first refused one, or why no path
     * exists. {@code knownRoots}: roots beyond the trust (the JDK's cacerts) that tell "complete chain, root not
     * trusted" (CERT-1) from "intermediate missing" (TLS-9) when the chain stops at an unknown issuer.
     *
     * @return the accepted path, else the first refused one (its findings hold the ERROR), else empty
     */
    static Optional<Path> build(List<X509Certificate> presented, TrustAnchors trust,
            Function<Path, List<Finding>> judge, Supplier<List<X509Certificate>> knownRoots, List<Finding> out) {
        ChainBuild b = new ChainBuild(presented, trust, judge);
        List<X509Certificate> start = new ArrayList<>(List.of(presented.get(0)));
        b.walk(start);
        if (b.accepted != null) {
            b.report(b.accepted, b.acceptedFindings, out);
            if (b.judged > 1) {
                out.add(Finding.info("CERT-1", (b.judged - 1) + " other candidate path(s) were refused before this"
                        + " one (cross-signed or re-keyed CAs)"));
            }
            return Optional.of(b.accepted);
        }
        if (b.firstRefused != null) {
            b.report(b.firstRefused, b.firstRefusedFindings, out);
            if (b.judged > 1) {
                out.add(Finding.info("CERT-1", (b.judged - 1) + " other candidate path(s) were refused as well"));
            }
            b.exhaustedFinding(out);
            return Optional.of(b.firstRefused);
        }
        if (b.exhausted) {
            b.exhaustedFinding(out);
        } else {
            b.explainDeadEnd(knownRoots, out);
        }
        return Optional.empty();
    }

    private void report(Path path, List<Finding> findings, List<Finding> out) {
        out.add(Finding.info("CERT-1", "path: " + describe(path.certificates()) + " <- trust anchor '"
                + CertificateNames.display(path.anchor()) + "' of " + trust.name()));
        for (X509Certificate c : presented) {
            if (!path.certificates().contains(c) && !c.equals(path.anchor())) {
                out.add(Finding.info("TLS-9", "presented certificate '" + CertificateNames.display(c)
                        + "' is not part of the path"));
            }
        }
        out.addAll(findings);
    }

    private void exhaustedFinding(List<Finding> out) {
        if (exhausted) {
            out.add(Finding.error("CERT-1", "path building stopped after " + signatureChecks + " signature checks"
                    + " and " + judged + " candidate paths (limits " + MAX_SIGNATURE_CHECKS + ", " + MAX_JUDGED_PATHS
                    + ", at most " + MAX_INTERMEDIATES + " intermediates): the peer presented "
                    + presented.size() + " certificates whose names and keys allow too many paths"));
        }
    }

    /** Depth-first from the last certificate of {@code path}; stops once a path is accepted or a limit is hit. */
    private void walk(List<X509Certificate> path) {
        X509Certificate current = path.get(path.size() - 1);
        X500Principal issuerName = current.getIssuerX500Principal();
        boolean nameFound = false;
        boolean linked = false;
        for (X509Certificate anchor : byKeyId(current, trust.bySubject(issuerName))) {
            if (anchor.equals(current)) {
                continue; // a presented certificate is never its own anchor (CERT-2: trust the root, not the leaf)
            }
            nameFound = true;
            if (!verifies(current, anchor)) {
                if (exhausted) {
                    return;
                }
                continue;
            }
            linked = true;
            judge(new Path(List.copyOf(path), anchor));
            if (accepted != null || exhausted) {
                return;
            }
        }
        List<X509Certificate> issuers = new ArrayList<>();
        for (X509Certificate c : presented) {
            if (c.getSubjectX500Principal().equals(issuerName) && !path.contains(c)) {
                issuers.add(c);
            }
        }
        nameFound |= !issuers.isEmpty();
        if (!issuers.isEmpty() && path.size() > MAX_INTERMEDIATES) {
            deadEnd(path, End.TOO_LONG);
            return;
        }
        for (X509Certificate issuer : byKeyId(current, issuers)) {
            if (!verifies(current, issuer)) {
                if (exhausted) {
                    return;
                }
                continue;
            }
            linked = true;
            path.add(issuer);
            walk(path);
            path.remove(path.size() - 1);
            if (accepted != null || exhausted) {
                return;
            }
        }
        if (!linked) {
            if (isSelfIssued(current) && verifies(current, current)) {
                deadEnd(path, End.UNTRUSTED_ROOT);
            } else {
                deadEnd(path, nameFound ? End.WRONG_KEY : End.MISSING_ISSUER);
            }
        }
    }

    private void judge(Path candidate) {
        if (judged >= MAX_JUDGED_PATHS) {
            exhausted = true;
            return;
        }
        judged++;
        List<Finding> findings = judge.apply(candidate);
        if (findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)) {
            accepted = candidate;
            acceptedFindings = findings;
        } else if (firstRefused == null) {
            firstRefused = candidate;
            firstRefusedFindings = findings;
        }
    }

    private void deadEnd(List<X509Certificate> path, End end) {
        if (deadEnd == null || path.size() > deadEnd.path().size()
                || path.size() == deadEnd.path().size() && end.compareTo(deadEnd.end()) > 0) {
            deadEnd = new DeadEnd(List.copyOf(path), end);
        }
    }

    /** Whether {@code issuer}'s key verifies {@code child}'s signature; each pair costs one check at most. */
    private boolean verifies(X509Certificate child, X509Certificate issuer) {
        Map<X509Certificate, Boolean> known = verified.computeIfAbsent(child, k -> new IdentityHashMap<>());
        Boolean v = known.get(issuer);
        if (v != null) {
            return v;
        }
        if (signatureChecks >= MAX_SIGNATURE_CHECKS) {
            exhausted = true;
            return false;
        }
        signatureChecks++;
        boolean ok;
        try {
            child.verify(issuer.getPublicKey());
            ok = true;
        } catch (Exception e) {
            ok = false; // wrong key, unknown algorithm or a key the JDK cannot use: not this issuer
        }
        known.put(issuer, ok);
        return ok;
    }

    /** The candidates whose subject key identifier is the child's authority key identifier first. */
    private static List<X509Certificate> byKeyId(X509Certificate child, List<X509Certificate> candidates) {
        if (candidates.size() <= 1) {
            return candidates;
        }
        byte[] aki = authorityKeyId(child);
        if (aki == null) {
            return candidates;
        }
        List<X509Certificate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingInt(c -> Arrays.equals(aki, subjectKeyId(c)) ? 0 : 1));
        return sorted;
    }

    /** No anchor reached: the dead end that got furthest says what is wrong with the chain. */
    private void explainDeadEnd(Supplier<List<X509Certificate>> knownRoots, List<Finding> out) {
        List<X509Certificate> path = deadEnd.path();
        X509Certificate last = path.get(path.size() - 1);
        String lastName = "'" + CertificateNames.display(last) + "'";
        String issuerName = "'" + last.getIssuerX500Principal().getName() + "'";
        switch (deadEnd.end()) {
            case UNTRUSTED_ROOT -> {
                out.add(Finding.info("TLS-9", "every certificate up to the root was sent: " + describe(path)
                        + " ends at the self-signed root " + lastName));
                out.add(Finding.error("CERT-1", "the chain is complete but its root " + lastName + " is not a trust"
                        + " anchor of " + trust.name() + ": the certificate is not from a CA this trunk trusts"
                        + " (CERT-1, CERT-3, CERT-4)"));
            }
            case WRONG_KEY -> out.add(Finding.error("CERT-1", "the signature of " + lastName + " does not verify"
                    + " with the key of any certificate named " + issuerName + " (presented or a trust anchor of "
                    + trust.name() + "): a forged certificate, or one from a re-keyed CA whose other certificate is"
                    + " missing"));
            case TOO_LONG -> out.add(Finding.error("CERT-1", "no trust anchor within " + MAX_INTERMEDIATES
                    + " intermediate certificates of " + describe(path.subList(0, 1)) + ": the path is too long"));
            case MISSING_ISSUER -> {
                Optional<X509Certificate> root = knownRoot(last, knownRoots);
                if (root.isPresent()) {
                    out.add(Finding.info("TLS-9", "every certificate up to the root was sent: " + describe(path)
                            + " was issued by the root '" + CertificateNames.display(root.get())
                            + "', which a server need not send"));
                    out.add(Finding.error("CERT-1", "the chain is complete but its root '"
                            + CertificateNames.display(root.get()) + "' (a public root this JDK knows) is not a trust"
                            + " anchor of " + trust.name() + ": the certificate is not from a CA this trunk trusts"
                            + " (CERT-1, CERT-3, CERT-4)"));
                } else {
                    out.add(Finding.error("TLS-9", "incomplete chain: " + issuerName + ", issuer of " + lastName
                            + ", was not presented and is neither a trust anchor of " + trust.name() + " nor a root"
                            + " this JDK knows: a TLS server must send every intermediate certificate (TLS-9, TLS-10),"
                            + " and trunkgate never fetches a missing one; if the chain is complete after all,"
                            + " its private root is not trusted (CERT-1)"));
                }
            }
            default -> throw new IllegalStateException(deadEnd.end().name());
        }
    }

    /** A root outside the trust whose name and key issued {@code last}: the chain is complete, just not trusted. */
    private Optional<X509Certificate> knownRoot(X509Certificate last, Supplier<List<X509Certificate>> knownRoots) {
        for (X509Certificate root : knownRoots.get()) {
            if (root.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && verifies(last, root)) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** "leaf <- intermediate" */
    static String describe(List<X509Certificate> certs) {
        return String.join(" <- ", certs.stream().map(c -> "'" + CertificateNames.display(c) + "'").toList());
    }

    private static byte[] authorityKeyId(X509Certificate c) {
        try {
            byte[] ext = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
            return ext == null ? null
                    : AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null; // a broken identifier only orders candidates: the signature decides
        }
    }

    private static byte[] subjectKeyId(X509Certificate c) {
        try {
            byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            return ext == null ? null
                    : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
