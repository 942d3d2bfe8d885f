package io.trunkgate.cert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trunkgate.tls.trust value into trust anchors: {@code byoc-cloud} (CERT-3), {@code public-cas} (CERT-4) or
 * a PEM bundle file. Every anchor must be a CA certificate: trusting a server certificate itself breaks when the
 * cloud replaces it without notice (CERT-2), so a leaf is refused.
 */
public final class TrustProfiles {

    public static final String BYOC_CLOUD = "byoc-cloud";
    public static final String PUBLIC_CAS = "public-cas";

    /** SHA-256 of DigiCert High Assurance EV Root CA, pinned so a swapped resource cannot pass as the CERT-3 root. */
    static final String BYOC_ROOT_SHA256 = "7431e5f4c3c1ce4690774f0b61e05440883ba9a01ed00ba6abd7806ed3b118cf";
    static final String BYOC_ROOT_RESOURCE = "digicert-high-assurance-ev-root-ca.pem";

    private static final Logger LOG = LoggerFactory.getLogger(TrustProfiles.class);
    private static volatile TrustAnchors publicCas;

    private TrustProfiles() {
    }

    /** A profile name or a PEM file path (an empty value means public-cas, the CERT-4 default of the cloud edge). */
    public static TrustAnchors load(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equals(PUBLIC_CAS)) {
            return publicCas();
        }
        if (v.equals(BYOC_CLOUD)) {
            return byocCloud();
        }
        Path file = Path.of(v);
        if (!Files.isRegularFile(file)) {
            throw new TrustException("trust '" + v + "' is neither a profile (" + BYOC_CLOUD + ", " + PUBLIC_CAS
                    + ") nor a readable PEM file");
        }
        return fromPem(file);
    }

    /** CERT-3: the customer endpoint trusts the cloud edge through DigiCert High Assurance EV Root CA alone. */
    public static TrustAnchors byocCloud() {
        try (InputStream in = TrustProfiles.class.getResourceAsStream(BYOC_ROOT_RESOURCE)) {
            if (in == null) {
                throw new TrustException(BYOC_ROOT_RESOURCE + " is missing from the class path");
            }
            X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (!sha256(root).equals(BYOC_ROOT_SHA256)) {
                throw new TrustException("the bundled CERT-3 root does not have the pinned SHA-256 " + BYOC_ROOT_SHA256);
            }
            return new TrustAnchors(BYOC_CLOUD, List.of(root));
        } catch (IOException | CertificateException e) {
            throw new TrustException("cannot read the bundled CERT-3 root: " + e.getMessage(), e);
        }
    }

    /** CERT-4: the CA family roots found in this JDK's cacerts, read once and logged family by family. */
    public static TrustAnchors publicCas() {
        TrustAnchors anchors = publicCas;
        if (anchors == null) {
            synchronized (TrustProfiles.class) {
                if (publicCas == null) {
                    publicCas = loadPublicCas(PublicCas.jdkCacerts());
                }
                anchors = publicCas;
            }
        }
        return anchors;
    }

    static TrustAnchors loadPublicCas(Path cacerts) {
        try {
            PublicCas cas = PublicCas.fromKeyStore(cacerts);
            LOG.info("trust profile {} (CERT-4) from {}: {} roots; {}", PUBLIC_CAS, cacerts, cas.all().size(),
                    String.join("; ", cas.describe()));
            return new TrustAnchors(PUBLIC_CAS, cas.all());
        } catch (IOException | IllegalArgumentException e) {
            throw new TrustException("trust profile " + PUBLIC_CAS + ": " + e.getMessage(), e);
        }
    }

    /** A PEM bundle of CA certificates; a leaf in it is refused (CERT-2). */
    public static TrustAnchors fromPem(Path file) {
        List<X509Certificate> certs;
        try {
            certs = Pem.readCertificates(file);
        } catch (IOException e) {
            throw new TrustException("trust file " + e.getMessage(), e);
        }
        for (X509Certificate c : certs) {
            if (!isCaCertificate(c)) {
                throw new TrustException("trust file " + file + ": '" + c.getSubjectX500Principal().getName()
                        + "' is not a CA certificate: trust the root that signed it, never the server certificate"
                        + " itself, which is replaced without notice (CERT-2)");
            }
        }
        return new TrustAnchors(file.toString(), certs);
    }

    /**
     * A CA certificate: basicConstraints cA=true (and keyCertSign when keyUsage is present), or a version 1 self-signed
     * root, which predates extensions.
     */
    public static boolean isCaCertificate(X509Certificate c) {
        boolean[] ku = c.getKeyUsage();
        if (ku != null && ku.length > 5 && !ku[5]) {
            return false;
        }
        if (c.getBasicConstraints() >= 0) {
            return true;
        }
        return c.getVersion() == 1 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
