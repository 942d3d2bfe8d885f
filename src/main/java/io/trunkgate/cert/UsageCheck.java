package io.trunkgate.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Step 4: the leaf may be used for its TLS role: extendedKeyUsage serverAuth for a server (clientAuth for a client),
 * and a keyUsage, when present, that allows TLS (digitalSignature or keyEncipherment). Public CAs always set the
 * extendedKeyUsage, so its absence is refused rather than read as "any purpose", and so is anyExtendedKeyUsage
 * without the role's own purpose: the CA/Browser Forum forbids it in TLS certificates, and a certificate for any
 * purpose is one a CA did not mean for TLS.
 */
final class UsageCheck {

    private static final String ANY_EKU = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;

    private UsageCheck() {
    }

    static void check(X509Certificate leaf, PeerRole role, List<Finding> out) {
        String who = "'" + CertificateNames.display(leaf) + "'";
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            out.add(Finding.error("CERT-1", who + " has an unreadable extendedKeyUsage: " + e.getMessage()));
            return;
        }
        if (eku == null) {
            out.add(Finding.error("CERT-1", who + " has no extendedKeyUsage; a TLS " + role.name().toLowerCase()
                    + " certificate needs " + role.ekuName()));
        } else if (!eku.contains(role.ekuOid())) {
            out.add(Finding.error("CERT-1", who + " lacks extendedKeyUsage " + role.ekuName() + " (has " + eku + ")"
                    + (eku.contains(ANY_EKU) ? ": anyExtendedKeyUsage does not stand in for it" : "")));
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[DIGITAL_SIGNATURE] && !ku[KEY_ENCIPHERMENT]) {
            out.add(Finding.error("CERT-1", who + " has a keyUsage without digitalSignature and keyEncipherment"));
        }
        if (leaf.getBasicConstraints() >= 0) {
            out.add(Finding.warning("CERT-1", who + " is a CA certificate used as a TLS " + role.name().toLowerCase()
                    + " certificate"));
        }
    }
}
