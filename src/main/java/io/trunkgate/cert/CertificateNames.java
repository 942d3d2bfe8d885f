package io.trunkgate.cert;

import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The names a certificate carries (SAN dNSName, SAN iPAddress, subject CN) and how host names compare. A
 * subjectAltName extension that cannot be parsed is never read as "no SAN": that would put the subject CN in its
 * place and let a broken certificate pass the name check (CERT-5); {@link #sanDefect} names it, and the SAN readers
 * throw {@link MalformedSanException}.
 */
public final class CertificateNames {

    /** The certificate has a subjectAltName extension that does not parse. */
    public static final class MalformedSanException extends IllegalArgumentException {
        MalformedSanException(String message) {
            super(message);
        }
    }

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private CertificateNames() {
    }

    public static List<String> dnsNames(X509Certificate cert) {
        return san(cert, SAN_DNS);
    }

    public static List<String> ipAddresses(X509Certificate cert) {
        return san(cert, SAN_IP);
    }

    public static List<String> commonNames(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs(BCStyle.CN)) {
            if (rdn.getFirst().getValue() instanceof ASN1String s) {
                out.add(s.getString());
            }
        }
        return out;
    }

    /** The CN for messages, or the whole subject when there is none. */
    public static String display(X509Certificate cert) {
        List<String> cn = commonNames(cert);
        return cn.isEmpty() ? cert.getSubjectX500Principal().getName() : cn.get(0);
    }

    /** Lower case without one trailing dot: DNS names compare case-insensitively and "host." is "host". */
    public static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * An IP literal (IPv4 dotted quad or IPv6). Decided by syntax, never by a resolver: a DNS lookup here would be
     * slow, and a name that resolves is still a name.
     */
    public static boolean isIpLiteral(String host) {
        String h = normalise(host);
        return IPV4.matcher(h).matches() || h.contains(":");
    }

    public static boolean isWildcard(String dnsName) {
        return dnsName.contains("*");
    }

    /**
     * RFC 6125 matching of one wildcard pattern: "*" must be the whole left-most label and stands for exactly one
     * label; at least two labels follow it ("*.com" never matches). Partial-label wildcards ("f*.example.com") never
     * match.
     */
    public static boolean wildcardMatches(String pattern, String host) {
        String p = normalise(pattern);
        String h = normalise(host);
        if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
            return false;
        }
        String suffix = p.substring(1); // ".example.com"
        if (suffix.chars().filter(ch -> ch == '.').count() < 2) {
            return false;
        }
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(suffix);
    }

    /**
     * Why the certificate's subjectAltName extension is unusable, or empty when it is absent or well formed. Both the
     * JDK and Bouncy Castle must read it: the JDK silently drops a SAN it cannot parse (getSubjectAlternativeNames
     * answers null), and BC alone accepts some wrong encodings (an iPAddress of the wrong length). RFC 5280 4.2.1.6:
     * a present SAN holds at least one name.
     */
    public static Optional<String> sanDefect(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            GeneralNames names = GeneralNames.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            if (names.getNames().length == 0) {
                return Optional.of("its subjectAltName extension holds no name");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("its subjectAltName extension cannot be parsed (" + e.getMessage() + ")");
        }
        try {
            if (cert.getSubjectAlternativeNames() == null) {
                return Optional.of("its subjectAltName extension cannot be parsed");
            }
        } catch (CertificateParsingException e) {
            return Optional.of("its subjectAltName extension cannot be parsed (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private static List<String> san(X509Certificate cert, int type) {
        Optional<String> defect = sanDefect(cert);
        if (defect.isPresent()) {
            throw new MalformedSanException("'" + display(cert) + "': " + defect.get());
        }
        Collection<List<?>> all;
        try {
            all = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new MalformedSanException("'" + display(cert) + "': " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (List<?> san : all) {
                if (Integer.valueOf(type).equals(san.get(0)) && san.get(1) instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
