package io.trunkgate.cert;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.ASN1String;

/**
 * The public-cas profile (CERT-4): the roots of the running JDK's cacerts that belong to one of the CERT-4 families,
 * matched by organisation. Which roots matched is part of the result, so start-up can log it and docs can list it.
 */
public final class PublicCas {

    private static volatile List<X509Certificate> jdkRoots;

    private final Map<CaFamily, List<X509Certificate>> byFamily;

    private PublicCas(Map<CaFamily, List<X509Certificate>> byFamily) {
        this.byFamily = byFamily;
    }

    /** The JDK's own cacerts file, not javax.net.ssl.trustStore: CERT-4 names the public roots a JDK ships. */
    public static Path jdkCacerts() {
        return Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    }

    public static PublicCas fromKeyStore(Path cacerts) throws IOException {
        return match(certificates(cacerts));
    }

    /**
     * Every root of the JDK's cacerts, of any family, read once: they tell a complete chain whose root is not
     * trusted (CERT-1) from one missing an intermediate (TLS-9). Empty when cacerts cannot be read.
     */
    static List<X509Certificate> jdkRoots() {
        List<X509Certificate> roots = jdkRoots;
        if (roots == null) {
            try {
                roots = List.copyOf(certificates(jdkCacerts()));
            } catch (IOException e) {
                roots = List.of();
            }
            jdkRoots = roots;
        }
        return roots;
    }

    private static List<X509Certificate> certificates(Path cacerts) throws IOException {
        try {
            // a null password reads the certificates and skips the integrity check (cacerts is public data)
            KeyStore ks = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
            List<X509Certificate> certs = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    certs.add(x);
                }
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IOException(cacerts + ": cannot read the key store: " + e.getMessage(), e);
        }
    }

    /** Sorts CA certificates into the CERT-4 families; certificates of no family are left out. */
    public static PublicCas match(Collection<X509Certificate> roots) {
        Map<CaFamily, List<X509Certificate>> map = new EnumMap<>(CaFamily.class);
        for (CaFamily f : CaFamily.values()) {
            map.put(f, new ArrayList<>());
        }
        for (X509Certificate root : roots) {
            Optional<String> org = organisation(root);
            if (org.isEmpty() || !TrustProfiles.isCaCertificate(root)) {
                continue;
            }
            for (CaFamily f : CaFamily.values()) {
                if (f.matches(org.get())) {
                    map.get(f).add(root);
                    break;
                }
            }
        }
        map.values().forEach(l -> l.sort(Comparator.comparing(PublicCas::commonNameOrSubject)));
        map.replaceAll((f, l) -> List.copyOf(l));
        return new PublicCas(Collections.unmodifiableMap(map));
    }

    public Map<CaFamily, List<X509Certificate>> byFamily() {
        return byFamily;
    }

    public List<X509Certificate> all() {
        return byFamily.values().stream().flatMap(List::stream).toList();
    }

    /** One line per family: "GlobalSign: GlobalSign Root CA, ..." or "Thawte: none in this JDK's cacerts". */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        byFamily.forEach((f, roots) -> lines.add(f.label() + ": " + (roots.isEmpty() ? "none in this JDK's cacerts"
                : String.join(", ", roots.stream().map(PublicCas::commonNameOrSubject).toList()))));
        return lines;
    }

    static Optional<String> organisation(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] rdns = name.getRDNs(BCStyle.O);
        return rdns.length == 0 ? Optional.empty()
                : Optional.of(text(rdns[0]));
    }

    /** The CN, or the whole subject for the old roots that have only O/OU. */
    static String commonNameOrSubject(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cn = name.getRDNs(BCStyle.CN);
        RDN[] ou = name.getRDNs(BCStyle.OU);
        RDN[] o = name.getRDNs(BCStyle.O);
        if (cn.length > 0) {
            // GlobalSign's R3..R6 roots are all "CN=GlobalSign": their OU tells them apart
            boolean bare = o.length > 0 && text(cn[0]).equals(text(o[0])) && ou.length > 0;
            return bare ? text(cn[0]) + " (" + text(ou[0]) + ")" : text(cn[0]);
        }
        return ou.length > 0 ? text(ou[0])
                : cert.getSubjectX500Principal().getName();
    }

    /** The attribute's plain text (IETFUtils would escape commas for a DN string). */
    private static String text(RDN rdn) {
        return rdn.getFirst().getValue() instanceof ASN1String s ? s.getString()
                : IETFUtils.valueToString(rdn.getFirst().getValue());
    }
}
