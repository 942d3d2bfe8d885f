package io.trunkgate.cert;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The TLS role of the certificate's holder, which decides the extendedKeyUsage it needs. TLS-7: every trunk
 * connection is server-authenticated, so CLIENT only serves the optional client-auth hardening.
 */
public enum PeerRole {
    SERVER(KeyPurposeId.id_kp_serverAuth.getId(), "serverAuth"),
    CLIENT(KeyPurposeId.id_kp_clientAuth.getId(), "clientAuth");

    private final String ekuOid;
    private final String ekuName;

    PeerRole(String ekuOid, String ekuName) {
        this.ekuOid = ekuOid;
        this.ekuName = ekuName;
    }

    public String ekuOid() {
        return ekuOid;
    }

    public String ekuName() {
        return ekuName;
    }
}
