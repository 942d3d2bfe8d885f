package io.trunkgate.cert;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Keys and signatures strong enough for a public CA's certificate (CERT-1): RSA and DSA keys of 2048 bits or more,
 * EC keys on a field of 256 bits or more (the CA/Browser Forum's floor: public CAs issue nothing weaker), for every
 * certificate of the path and the anchor's key; and no MD2, MD4, MD5 or SHA-1 signature below the anchor (the
 * anchor's self-signature is never relied on). These were the JDK validator's algorithm constraints, stricter here.
 * Keys are read from the certificate's own SubjectPublicKeyInfo, so a curve the JDK no longer knows is still sized.
 */
final class StrengthCheck {

    static final int MIN_RSA_DSA_BITS = 2048;
    static final int MIN_EC_BITS = 256;

    private static final Map<String, String> WEAK_SIGNATURES = Map.of(
            "1.2.840.113549.1.1.2", "MD2withRSA",
            "1.2.840.113549.1.1.3", "MD4withRSA",
            "1.2.840.113549.1.1.4", "MD5withRSA",
            "1.2.840.113549.1.1.5", "SHA1withRSA",
            "1.2.840.10040.4.3", "SHA1withDSA",
            "1.2.840.10045.4.1", "SHA1withECDSA");

    private StrengthCheck() {
    }

    static void check(ChainBuild.Path path, List<Finding> out) {
        for (X509Certificate c : path.certificates()) {
            key(c, false, out);
            String weak = WEAK_SIGNATURES.get(c.getSigAlgOID());
            if (weak != null) {
                out.add(Finding.error("CERT-1", "'" + CertificateNames.display(c) + "' is signed with " + weak
                        + ", a broken hash: public CAs have not signed with it since 2016"));
            }
        }
        key(path.anchor(), true, out);
    }

    private static void key(X509Certificate c, boolean anchor, List<Finding> out) {
        String who = (anchor ? "trust anchor '" : "'") + CertificateNames.display(c) + "'";
        String weakness;
        try {
            weakness = weakness(Certificate.getInstance(c.getEncoded()).getSubjectPublicKeyInfo());
        } catch (CertificateEncodingException | RuntimeException e) {
            weakness = "a public key that cannot be read (" + e.getMessage() + ")";
        }
        if (weakness != null) {
            out.add(Finding.error("CERT-1", who + " has " + weakness + ": refused (public CAs issue RSA and DSA"
                    + " keys of " + MIN_RSA_DSA_BITS + " bits or more, EC keys of " + MIN_EC_BITS + " bits or more)"));
        }
    }

    /** What is too weak about the key, or null. Key types other than RSA, DSA and EC (Ed25519 ...) pass. */
    private static String weakness(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption) || alg.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            int bits = rsaBits(spki);
            return bits < MIN_RSA_DSA_BITS ? "an RSA key of " + bits + " bits" : null;
        }
        if (alg.equals(X9ObjectIdentifiers.id_dsa)) {
            if (spki.getAlgorithm().getParameters() == null) {
                return "a DSA key without parameters (inherited DSA parameters are not supported)";
            }
            int bits = DSAParameter.getInstance(spki.getAlgorithm().getParameters()).getP().bitLength();
            return bits < MIN_RSA_DSA_BITS ? "a DSA key of " + bits + " bits" : null;
        }
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            X962Parameters params = X962Parameters.getInstance(spki.getAlgorithm().getParameters());
            X9ECParameters curve;
            String name;
            if (params.isNamedCurve()) {
                ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(params.getParameters());
                curve = ECNamedCurveTable.getByOID(oid);
                name = ECNamedCurveTable.getName(oid) != null ? ECNamedCurveTable.getName(oid) : oid.getId();
                if (curve == null) {
                    return "an EC key on the unknown curve " + name;
                }
            } else if (params.isImplicitlyCA()) {
                return "an EC key with implicit curve parameters";
            } else {
                curve = X9ECParameters.getInstance(params.getParameters());
                name = "explicit parameters";
            }
            int bits = curve.getCurve().getFieldSize();
            return bits < MIN_EC_BITS ? "an EC key of " + bits + " bits (" + name + ")" : null;
        }
        return null;
    }

    private static int rsaBits(SubjectPublicKeyInfo spki) {
        try {
            return RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("RSA key cannot be parsed: " + e.getMessage(), e);
        }
    }
}
