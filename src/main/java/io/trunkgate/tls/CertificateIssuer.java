package io.trunkgate.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 certificates with Bouncy Castle: the dev PKI, and the test PKIs (valid, wrong name, expired,
 * not a CA ...). Fluent: {@code CertificateIssuer.ca("Root").selfSigned()}, {@code .leaf("x").dns("h").issuedBy(ca)}.
 */
public final class CertificateIssuer {

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key, KeyPair keyPair) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The CA/Browser Forum's 825-day limit for a TLS leaf, counted as RFC 5280 4.1.2.5 does: notBefore and notAfter
     * both belong to the validity period, so notAfter is one second short of notBefore + 825 days.
     */
    public static final Duration MAX_LEAF_VALIDITY = Duration.ofDays(825);

    private final String commonName;
    private final boolean ca;
    private Integer pathLength;
    private final List<GeneralName> sans = new ArrayList<>();
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = notBefore.plus(MAX_LEAF_VALIDITY).minusSeconds(1);
    private final List<String> crlUrls = new ArrayList<>();
    private final List<GeneralSubtree> permitted = new ArrayList<>();
    private final List<GeneralSubtree> excluded = new ArrayList<>();
    private final List<Extension> extraExtensions = new ArrayList<>();
    private KeyPurposeId[] extendedKeyUsage = {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
    private KeyPair keyPair;
    private boolean keyUsage = true;
    private boolean basicConstraints = true;
    private boolean badSignature;
    private String signatureAlgorithm;

    private CertificateIssuer(String commonName, boolean ca) {
        this.commonName = commonName;
        this.ca = ca;
    }

    public static CertificateIssuer ca(String commonName) {
        return new CertificateIssuer(commonName, true);
    }

    public static CertificateIssuer leaf(String commonName) {
        return new CertificateIssuer(commonName, false);
    }

    public CertificateIssuer pathLength(int length) {
        this.pathLength = length;
        return this;
    }

    /** Any SAN entry (otherName, URI ...), for tests of name forms trunkgate never issues. */
    public CertificateIssuer san(GeneralName name) {
        sans.add(name);
        return this;
    }

    public CertificateIssuer dns(String... names) {
        for (String n : names) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
        }
        return this;
    }

    public CertificateIssuer ip(String... addresses) {
        for (String a : addresses) {
            sans.add(new GeneralName(GeneralName.iPAddress, a));
        }
        return this;
    }

    public CertificateIssuer validity(Instant from, Instant to) {
        this.notBefore = from;
        this.notAfter = to;
        return this;
    }

    public CertificateIssuer crl(String url) {
        crlUrls.add(url);
        return this;
    }

    public CertificateIssuer keyPair(KeyPair pair) {
        this.keyPair = pair;
        return this;
    }

    /** Leaves get extendedKeyUsage serverAuth+clientAuth unless this is called: then no extendedKeyUsage at all. */
    public CertificateIssuer withoutServerAuth() {
        this.extendedKeyUsage = new KeyPurposeId[0];
        return this;
    }

    /** The leaf's extendedKeyUsage purposes instead of serverAuth+clientAuth (e.g. anyExtendedKeyUsage alone). */
    public CertificateIssuer extendedKeyUsage(KeyPurposeId... purposes) {
        this.extendedKeyUsage = purposes.clone();
        return this;
    }

    /** A CA's nameConstraints: a permitted subtree (RFC 5280 4.2.1.10), e.g. a dNSName or an otherName. */
    public CertificateIssuer permit(GeneralName subtree) {
        permitted.add(new GeneralSubtree(subtree));
        return this;
    }

    /** A CA's nameConstraints: an excluded subtree. */
    public CertificateIssuer exclude(GeneralName subtree) {
        excluded.add(new GeneralSubtree(subtree));
        return this;
    }

    /** An extension added as given, e.g. a subjectAltName whose bytes do not parse. */
    public CertificateIssuer extension(Extension extension) {
        extraExtensions.add(extension);
        return this;
    }

    /** The JCA signature algorithm; by default SHA-256 with the issuer's key type (RSA or ECDSA). */
    public CertificateIssuer signatureAlgorithm(String algorithm) {
        this.signatureAlgorithm = algorithm;
        return this;
    }

    /** Omits keyUsage and basicConstraints (a "CA" that is not one). */
    public CertificateIssuer withoutCaExtensions() {
        this.keyUsage = false;
        this.basicConstraints = false;
        return this;
    }

    /** Signs with a fresh key instead of the issuer's: the issuer name is right, the signature does not verify. */
    public CertificateIssuer badSignature() {
        this.badSignature = true;
        return this;
    }

    /**
     * A CRL signed by {@code issuer} that lists {@code revoked}; {@code nextUpdate} may be null (RFC 5280 wants one,
     * tests need the case without).
     */
    public static X509CRL issueCrl(Issued issuer, Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) {
        return issueCrl(issuer, thisUpdate, nextUpdate, true, revoked);
    }

    /** As above; {@code crlNumber} false leaves out the crlNumber RFC 5280 5.2.3 requires (tests of that case). */
    public static X509CRL issueCrl(Issued issuer, Instant thisUpdate, Instant nextUpdate, boolean crlNumber,
            X509Certificate... revoked) {
        try {
            JcaX509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.certificate().getSubjectX500Principal(),
                    Date.from(thisUpdate));
            if (nextUpdate != null) {
                b.setNextUpdate(Date.from(nextUpdate));
            }
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
            if (crlNumber) {
                b.addExtension(Extension.cRLNumber, false,
                        new CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
            }
            X509CRLHolder holder = b.build(new JcaContentSignerBuilder(sha256With(issuer.key())).build(issuer.key()));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a CRL: " + e.getMessage(), e);
        }
    }

    public Issued selfSigned() {
        KeyPair pair = keyPair != null ? keyPair : rsa2048();
        return build(pair, new X500Name("CN=" + commonName), pair.getPrivate(), pair);
    }

    public Issued issuedBy(Issued issuer) {
        KeyPair pair = keyPair != null ? keyPair : rsa2048();
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return build(pair, issuerName, issuer.key(), issuer.keyPair());
    }

    private Issued build(KeyPair pair, X500Name issuerName, PrivateKey signingKey, KeyPair issuerPair) {
        try {
            X500Name subject = new X500Name("CN=" + commonName + ",O=trunkgate");
            if (issuerName.toString().equals("CN=" + commonName)) {
                subject = issuerName; // self-signed
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(96, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                    subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerPair.getPublic()));
            if (basicConstraints) {
                b.addExtension(Extension.basicConstraints, true,
                        ca ? (pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(true))
                                : new BasicConstraints(false));
            }
            if (keyUsage) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                        ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                        : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            }
            if (!ca && extendedKeyUsage.length > 0) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
            }
            if (!permitted.isEmpty() || !excluded.isEmpty()) {
                b.addExtension(Extension.nameConstraints, true, new NameConstraints(
                        permitted.isEmpty() ? null : permitted.toArray(GeneralSubtree[]::new),
                        excluded.isEmpty() ? null : excluded.toArray(GeneralSubtree[]::new)));
            }
            for (Extension e : extraExtensions) {
                b.addExtension(e);
            }
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            if (!crlUrls.isEmpty()) {
                DistributionPoint[] points = crlUrls.stream().map(u -> new DistributionPoint(new DistributionPointName(
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, u))), null, null))
                        .toArray(DistributionPoint[]::new);
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
            }
            PrivateKey signer = badSignature ? rsa2048().getPrivate() : signingKey;
            String algorithm = signatureAlgorithm != null ? signatureAlgorithm : sha256With(signer);
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
            return new Issued(cert, pair.getPrivate(), pair);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** Bouncy Castle's provider, made only when an EC key is asked for: it knows curves the JDK dropped. */
    private static final class BcHolder {
        static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    private static String sha256With(PrivateKey key) {
        return key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }

    public static KeyPair rsa2048() {
        return rsa(2048);
    }

    /** An RSA key pair of {@code bits} (tests of weak keys use fewer than 2048). */
    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC key pair on a named curve such as secp256r1 (or a weak one for tests, e.g. secp192r1 under BC). */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BcHolder.BC);
            g.initialize(new java.security.spec.ECGenParameterSpec(curve), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
