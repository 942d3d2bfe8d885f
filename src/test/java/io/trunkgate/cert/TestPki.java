package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;

/** A test PKI made with Bouncy Castle: root, intermediate (pathLen 0) and helpers for leaves and chains. */
final class TestPki {

    final Issued root;
    final Issued intermediate;

    TestPki(String name) {
        this(name, null);
    }

    /** {@code crlBase}: when set, the intermediate names {@code crlBase + "/root.crl"} as its distribution point. */
    TestPki(String name, String crlBase) {
        root = CertificateIssuer.ca(name + " root CA")
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3650)))
                .selfSigned();
        CertificateIssuer i = CertificateIssuer.ca(name + " intermediate CA").pathLength(0)
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1825)));
        if (crlBase != null) {
            i.crl(crlBase + "/root.crl");
        }
        intermediate = i.issuedBy(root);
    }

    TrustAnchors trust() {
        return new TrustAnchors("test root " + CertificateNames.display(root.certificate()),
                List.of(root.certificate()));
    }

    /** A server leaf with these SAN dNSNames, CN = first name, issued by the intermediate. */
    Issued leaf(String... dnsNames) {
        return CertificateIssuer.leaf(dnsNames[0]).dns(dnsNames).issuedBy(intermediate);
    }

    /** Leaf + intermediate: what a TLS-9 server presents. */
    List<X509Certificate> chain(Issued leaf) {
        return List.of(leaf.certificate(), intermediate.certificate());
    }

    static List<X509Certificate> chain(Issued... certs) {
        List<X509Certificate> out = new ArrayList<>();
        Arrays.stream(certs).forEach(c -> out.add(c.certificate()));
        return out;
    }
}
