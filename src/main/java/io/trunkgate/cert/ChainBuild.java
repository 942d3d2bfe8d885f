package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Step 1: the path from the presented leaf up to a trust anchor, built only from the certificates the peer presented.
 * A missing intermediate is never fetched (no AIA chasing): the server must send it (TLS-9, TLS-10), and hiding its
 * absence would let a misconfigured peer pass here and fail elsewhere.
 */
final class ChainBuild {

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

    private ChainBuild() {
    }

    static Optional<Path> build(List<X509Certificate> presented, TrustAnchors trust, List<Finding> out) {
        List<X509Certificate> path = new ArrayList<>();
        boolean[] used = new boolean[presented.size()];
        X509Certificate current = presented.get(0);
        used[0] = true;
        path.add(current);
        // each round adds one presented certificate, so presented.size() rounds bound the walk (no loops on cycles)
        for (int round = 0; round < presented.size(); round++) {
            X500Principal issuer = current.getIssuerX500Principal();
            Optional<X509Certificate> anchor = pick(current, trust.bySubject(issuer));
            if (anchor.isPresent() && !anchor.get().equals(current)) {
                out.add(Finding.info("CERT-1", "path: " + describe(path) + " <- trust anchor '"
                        + CertificateNames.display(anchor.get()) + "' of " + trust.name()));
                unused(presented, used, path, anchor.get(), out);
                return Optional.of(new Path(List.copyOf(path), anchor.get()));
            }
            int next = -1;
            List<X509Certificate> candidates = new ArrayList<>();
            for (int i = 0; i < presented.size(); i++) {
                if (!used[i] && presented.get(i).getSubjectX500Principal().equals(issuer)) {
                    candidates.add(presented.get(i));
                }
            }
            Optional<X509Certificate> chosen = pick(current, candidates);
            if (chosen.isPresent()) {
                next = presented.indexOf(chosen.get());
            }
            if (next < 0 || isSelfIssued(current)) {
                break;
            }
            used[next] = true;
            current = presented.get(next);
            path.add(current);
        }
        if (isSelfIssued(current)) {
            out.add(Finding.error("CERT-1", "the chain ends at the self-signed '" + CertificateNames.display(current)
                    + "', which is not a trust anchor of " + trust.name()
                    + ": the certificate is not from a CA this trunk trusts (CERT-1, CERT-3, CERT-4)"));
        } else {
            out.add(Finding.error("TLS-9", "incomplete chain: '" + current.getIssuerX500Principal().getName()
                    + "', issuer of '" + CertificateNames.display(current) + "', was not presented and is not a trust"
                    + " anchor of " + trust.name() + ": a TLS server must send every intermediate certificate (TLS-9,"
                    + " TLS-10), and trunkgate never fetches a missing one; if the chain is complete, its root is not"
                    + " trusted (CERT-1)"));
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

    private static void unused(List<X509Certificate> presented, boolean[] used, List<X509Certificate> path,
            X509Certificate anchor, List<Finding> out) {
        for (int i = 0; i < presented.size(); i++) {
            X509Certificate c = presented.get(i);
            if (!used[i] && !c.equals(anchor)) {
                out.add(Finding.info("TLS-9", "presented certificate '" + CertificateNames.display(c)
                        + "' is not part of the path"));
            }
        }
    }

    /**
     * Among certificates with the right subject, the one whose key identifier matches the child's authority key
     * identifier (a re-keyed CA keeps its name); comparing identifiers is cheap, signatures are left to PKIX.
     */
    private static Optional<X509Certificate> pick(X509Certificate child, List<X509Certificate> candidates) {
        if (candidates.size() <= 1) {
            return candidates.stream().findFirst();
        }
        byte[] aki = authorityKeyId(child);
        if (aki != null) {
            for (X509Certificate c : candidates) {
                byte[] ski = subjectKeyId(c);
                if (ski != null && Arrays.equals(aki, ski)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.of(candidates.get(0));
    }

    private static byte[] authorityKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    private static byte[] subjectKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }
}
