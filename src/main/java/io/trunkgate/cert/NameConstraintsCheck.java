package io.trunkgate.cert;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/**
 * RFC 5280 4.2.1.10 name constraints from the trust anchor down (CERT-1): PKIX validators apply only those of
 * intermediates (the JDK refuses anchor constraints outright, BC ignores them), so a root restricted to one domain
 * would vouch for any name. Each constraining CA, the anchor first, is checked against every certificate below it
 * with Bouncy Castle's {@link PKIXNameConstraintValidator}: its subject, the e-mail addresses in it and every SAN
 * entry. A self-issued intermediate is exempt (6.1.3 b, c: a key rollover is not a new name), the leaf never is.
 * Checking CA by CA gives the same verdict as RFC 5280's running intersection and names the CA whose rule is broken.
 * One rule beyond RFC 5280: when the leaf has no SAN dNSName, its host-name CN is what CERT-5 matches, so dNSName
 * constraints apply to it too; otherwise a constrained CA could name any host through the CN.
 */
final class NameConstraintsCheck {

    private static final Pattern HOST_NAME = Pattern.compile("(?i)[a-z0-9_*]([a-z0-9_*-]*[a-z0-9])?"
            + "(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)+\\.?");

    private NameConstraintsCheck() {
    }

    static void check(ChainBuild.Path path, List<Finding> out) {
        List<X509Certificate> certs = path.certificates();
        // index certs.size() is the anchor; each CA constrains the certificates below it (lower indexes)
        for (int ca = certs.size(); ca >= 1; ca--) {
            X509Certificate constraining = ca == certs.size() ? path.anchor() : certs.get(ca);
            NameConstraints nc;
            try {
                nc = nameConstraints(constraining);
            } catch (IOException | RuntimeException e) {
                out.add(Finding.error("CERT-1", "'" + CertificateNames.display(constraining) + "' has a"
                        + " nameConstraints extension that cannot be parsed: " + e.getMessage()));
                return;
            }
            if (nc == null) {
                continue;
            }
            PKIXNameConstraintValidator validator = validator(nc);
            for (int i = ca - 1; i >= 0; i--) {
                X509Certificate c = certs.get(i);
                if (i > 0 && ChainBuild.isSelfIssued(c)) {
                    continue;
                }
                String broken = firstBroken(validator, c, i == 0);
                if (broken != null) {
                    out.add(Finding.error("CERT-1", "'" + CertificateNames.display(c) + "' names " + broken
                            + ", outside the name constraints of " + (ca == certs.size() ? "trust anchor " : "")
                            + "'" + CertificateNames.display(constraining) + "' (RFC 5280 4.2.1.10)"));
                    return;
                }
            }
        }
    }

    private static NameConstraints nameConstraints(X509Certificate c) throws IOException {
        byte[] ext = c.getExtensionValue(Extension.nameConstraints.getId());
        if (ext == null) {
            return null;
        }
        return NameConstraints.getInstance(ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
    }

    private static PKIXNameConstraintValidator validator(NameConstraints nc) {
        PKIXNameConstraintValidator v = new PKIXNameConstraintValidator();
        if (nc.getPermittedSubtrees() != null) {
            v.intersectPermittedSubtree(nc.getPermittedSubtrees());
        }
        if (nc.getExcludedSubtrees() != null) {
            for (GeneralSubtree s : nc.getExcludedSubtrees()) {
                v.addExcludedSubtree(s);
            }
        }
        return v;
    }

    /** The first name of {@code c} the constraints refuse, described; null when every name is inside. */
    private static String firstBroken(PKIXNameConstraintValidator v, X509Certificate c, boolean leaf) {
        List<GeneralName> names = new ArrayList<>();
        X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        if (subject.getRDNs().length > 0) {
            names.add(new GeneralName(subject));
        }
        for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
            names.add(new GeneralName(GeneralName.rfc822Name, text(rdn.getFirst().getValue())));
        }
        GeneralName[] sans = subjectAltNames(c);
        for (GeneralName g : sans) {
            names.add(g);
        }
        boolean sanDns = false;
        for (GeneralName g : sans) {
            sanDns |= g.getTagNo() == GeneralName.dNSName;
        }
        if (leaf && !sanDns) {
            for (String cn : CertificateNames.commonNames(c)) {
                if (HOST_NAME.matcher(cn).matches()) {
                    names.add(new GeneralName(GeneralName.dNSName, cn));
                }
            }
        }
        for (GeneralName g : names) {
            try {
                v.checkPermitted(g);
                v.checkExcluded(g);
            } catch (NameConstraintValidatorException e) {
                return describe(g);
            }
        }
        return null;
    }

    /** The SAN entries; a SAN that does not parse is PathValidation's finding, so it adds no name here. */
    private static GeneralName[] subjectAltNames(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return new GeneralName[0];
        }
        try {
            return GeneralNames.getInstance(ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()))
                    .getNames();
        } catch (IOException | RuntimeException e) {
            return new GeneralName[0];
        }
    }

    private static String describe(GeneralName g) {
        String kind = switch (g.getTagNo()) {
            case GeneralName.dNSName -> "dNSName";
            case GeneralName.rfc822Name -> "rfc822Name";
            case GeneralName.uniformResourceIdentifier -> "URI";
            case GeneralName.iPAddress -> "iPAddress";
            case GeneralName.directoryName -> "directoryName";
            case GeneralName.otherName -> "otherName";
            default -> "name of type " + g.getTagNo();
        };
        String value = g.getTagNo() == GeneralName.iPAddress || g.getTagNo() == GeneralName.otherName
                ? g.getName().toString() : text(g.getName());
        return kind + " '" + value + "'";
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : String.valueOf(value);
    }
}
