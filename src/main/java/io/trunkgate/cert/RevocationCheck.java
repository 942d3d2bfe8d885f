package io.trunkgate.cert;

import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Step 6 (CERT-9): no certificate of the path is on its issuer's CRL. The CRL comes from a local file or from the
 * certificate's http/https distribution points through the cache, and must be signed by the certificate's issuer
 * and current at the validation instant. A revoked certificate is refused under both policies, and so is one whose
 * CRL is offered but cannot be trusted (another issuer, a wrong signature, no crlNumber); a CRL that cannot be had
 * or is out of date is a WARNING under soft-fail and an ERROR under hard-fail; no distribution point at all is
 * accepted (INFO).
 */
final class RevocationCheck {

    private static final int CRL_SIGN = 6;

    private final LocalCrls local;
    private final CrlCache cache;
    private final CrlPolicy policy;
    private final BooleanSupplier mayWait;

    /** {@code cache} null: no downloads (cert verify --crl), only local CRLs count. */
    RevocationCheck(LocalCrls local, CrlCache cache, CrlPolicy policy) {
        this(local, cache, policy, () -> !EventLoopGuard.onEventLoop());
    }

    RevocationCheck(LocalCrls local, CrlCache cache, CrlPolicy policy, BooleanSupplier mayWait) {
        this.local = local;
        this.cache = cache;
        this.policy = policy;
        this.mayWait = mayWait;
    }

    CrlPolicy policy() {
        return policy;
    }

    void check(ChainBuild.Path path, Instant at, List<Finding> out) {
        for (int i = 0; i < path.certificates().size(); i++) {
            check(path.certificates().get(i), path.issuerOf(i), at, out);
        }
    }

    private void check(X509Certificate cert, X509Certificate issuer, Instant at, List<Finding> out) {
        String who = "'" + CertificateNames.display(cert) + "'";
        List<String> problems = new ArrayList<>();
        List<String> untrusted = new ArrayList<>();
        for (CrlEntry e : local.byIssuer(cert.getIssuerX500Principal())) {
            if (usable(e, issuer, at, problems, untrusted)) {
                decide(cert, e, out);
                return;
            }
        }
        List<String> urls = new ArrayList<>();
        boolean hasPoints = distributionPoints(cert, urls);
        if (!hasPoints && problems.isEmpty() && untrusted.isEmpty()) {
            out.add(Finding.info("CERT-9", who + " has no CRL distribution point: accepted without a revocation"
                    + " check"));
            return;
        }
        if (urls.isEmpty() && hasPoints) {
            problems.add("its distribution points are not http or https");
        }
        if (cache == null && !urls.isEmpty()) {
            problems.add("no local CRL of '" + cert.getIssuerX500Principal().getName() + "' and downloads are off");
        } else {
            boolean wait = mayWait.getAsBoolean();
            for (String url : urls) {
                CrlCache.Lookup lookup = cache.lookup(url, wait);
                if (!lookup.found()) {
                    problems.add(url + ": " + lookup.failure());
                } else if (usable(lookup.entry(), issuer, at, problems, untrusted)) {
                    decide(cert, lookup.entry(), out);
                    return;
                }
            }
        }
        if (!untrusted.isEmpty()) {
            // offered as the issuer's CRL but not authentic or not well formed: that is not "cannot be had"
            out.add(Finding.error("CERT-9", who + ": its CRL cannot be trusted (" + String.join("; ", untrusted)
                    + "): refused under either trunkgate.crl.policy"));
            return;
        }
        String why = who + ": no usable CRL (" + String.join("; ", problems) + ")";
        out.add(policy == CrlPolicy.HARD_FAIL
                ? Finding.error("CERT-9", why + ": refused under trunkgate.crl.policy=hard-fail")
                : Finding.warning("CERT-9", why + ": accepted under trunkgate.crl.policy=soft-fail"));
    }

    private static void decide(X509Certificate cert, CrlEntry e, List<Finding> out) {
        String who = "'" + CertificateNames.display(cert) + "'";
        X509CRLEntry revoked = e.crl().getRevokedCertificate(cert.getSerialNumber());
        if (revoked != null) {
            String reason = revoked.getRevocationReason() == null ? ""
                    : ", reason " + revoked.getRevocationReason().name().toLowerCase(Locale.ROOT);
            out.add(Finding.error("CERT-9", who + " is revoked: serial " + cert.getSerialNumber().toString(16)
                    + " listed on " + revoked.getRevocationDate().toInstant() + reason + " by the CRL from "
                    + e.source()));
        } else {
            out.add(Finding.info("CERT-9", who + " is not revoked (CRL from " + e.source() + ", next update "
                    + e.nextUpdate() + ")"));
        }
    }

    /**
     * Issued and signed by the certificate's issuer (with cRLSign), well formed (RFC 5280 5.2: a non-critical
     * crlNumber, no unknown critical extension) and current at {@code at}. A CRL that fails the first two goes to
     * {@code untrusted} (the certificate is refused); one that is only out of date goes to {@code problems} (the
     * policy decides, as for a CRL that cannot be downloaded).
     */
    private static boolean usable(CrlEntry e, X509Certificate issuer, Instant at, List<String> problems,
            List<String> untrusted) {
        X509CRL crl = e.crl();
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            untrusted.add(e.source() + ": CRL issuer '" + crl.getIssuerX500Principal().getName()
                    + "' is not the certificate's issuer (indirect CRLs are not supported)");
            return false;
        }
        boolean[] ku = issuer.getKeyUsage();
        if (ku != null && (ku.length <= CRL_SIGN || !ku[CRL_SIGN])) {
            untrusted.add(e.source() + ": the issuer's keyUsage lacks cRLSign");
            return false;
        }
        if (!e.signedBy(issuer.getPublicKey())) {
            untrusted.add(e.source() + ": the CRL signature does not verify with the issuer's key");
            return false;
        }
        String malformed = malformed(crl);
        if (malformed != null) {
            untrusted.add(e.source() + ": " + malformed);
            return false;
        }
        if (!e.currentAt(at)) {
            problems.add(e.source() + ": the CRL is out of date (nextUpdate " + e.nextUpdate() + ")");
            return false;
        }
        return true;
    }

    /** RFC 5280 5.2.3: a CRL issuer MUST include crlNumber, non-critical; 5.2: unknown critical extensions refuse it. */
    private static String malformed(X509CRL crl) {
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && critical.contains(Extension.cRLNumber.getId())) {
            return "its crlNumber is marked critical (RFC 5280 5.2.3)";
        }
        if (crl.getExtensionValue(Extension.cRLNumber.getId()) == null) {
            return "it has no crlNumber (RFC 5280 5.2.3: every CRL carries one)";
        }
        if (crl.hasUnsupportedCriticalExtension()) {
            return "it has a critical extension this validator does not know " + critical;
        }
        return null;
    }

    /** Adds the http/https URLs; true when the extension exists at all. */
    static boolean distributionPoints(X509Certificate cert, List<String> urls) {
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return false;
        }
        CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (DistributionPoint dp : points.getDistributionPoints()) {
            DistributionPointName name = dp.getDistributionPoint();
            if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                continue;
            }
            for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    String uri = g.getName().toString();
                    String lower = uri.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("http://") || lower.startsWith("https://")) {
                        urls.add(uri);
                    }
                }
            }
        }
        return true;
    }
}
