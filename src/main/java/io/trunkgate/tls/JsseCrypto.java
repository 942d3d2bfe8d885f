package io.trunkgate.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Which JCA provider does which part of BCJSSE's crypto. The record layer (AES-GCM, AES-CBC, HMAC, and the PRF's
 * HMAC) goes to the JDK's SunJCE: its AES and GHASH are HotSpot intrinsics (AES-NI, CLMUL), and its GCM keeps a
 * few hundred bytes of state where BC's table-driven GCM keeps 8 KB per direction, i.e. ~17 KB per idle TLS
 * connection (docs/benchmarks.md). Everything else (the P-384 key pairs and ECDH, RSA signatures, digests) stays
 * with the Bouncy Castle provider, faster here than SunEC for P-384 full handshakes.
 */
final class JsseCrypto extends JcaTlsCryptoProvider {

    private final JcaJceHelper helper;

    JsseCrypto(Provider bc) {
        this.helper = new ProviderJcaJceHelper(bc) {
            @Override
            public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
                return Cipher.getInstance(algorithm); // the JVM's first provider: SunJCE (BC is registered last)
            }

            @Override
            public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
                return Mac.getInstance(algorithm);
            }
        };
    }

    @Override
    public JcaJceHelper getHelper() {
        return helper;
    }
}
