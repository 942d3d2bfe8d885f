package io.trunkgate.cert;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * The CA certificates a validation may end at, with the name of the profile or file they came from (for messages).
 * Built only by {@link TrustProfiles}, which refuses leaves (CERT-2).
 */
public final class TrustAnchors {

    private final String name;
    private final List<X509Certificate> certificates;
    private final Set<TrustAnchor> pkix;

    TrustAnchors(String name, List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("trust '" + name + "' holds no CA certificate");
        }
        this.name = name;
        this.certificates = List.copyOf(certificates);
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        this.certificates.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        this.pkix = Set.copyOf(anchors);
    }

    /** The profile name or the file the anchors came from. */
    public String name() {
        return name;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The same anchors for the JDK's PKIX validator. */
    public Set<TrustAnchor> pkix() {
        return pkix;
    }

    /** The anchors whose subject is {@code issuer}. */
    public List<X509Certificate> bySubject(X500Principal issuer) {
        return certificates.stream().filter(c -> c.getSubjectX500Principal().equals(issuer)).toList();
    }

    public boolean contains(X509Certificate cert) {
        return certificates.contains(cert);
    }

    @Override
    public String toString() {
        return name + " (" + certificates.size() + (certificates.size() == 1 ? " root)" : " roots)");
    }
}
