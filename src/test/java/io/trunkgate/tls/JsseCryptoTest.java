package io.trunkgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.Security;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The provider split of BCJSSE's crypto (docs/security.md): the record layer through SunJCE (AES and GHASH
 * intrinsics, no per-connection GCM tables), the TLS-6 P-384 key exchange and the signatures through BC.
 */
class JsseCryptoTest {

    private static JcaJceHelper helper() {
        Providers.ensure();
        return new JsseCrypto(Security.getProvider(BouncyCastleProvider.PROVIDER_NAME)).getHelper();
    }

    @Test
    void record_layer_ciphers_and_macs_come_from_sunjce() throws Exception {
        JcaJceHelper h = helper();
        assertEquals("SunJCE", h.createCipher("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunJCE", h.createCipher("AES/CBC/NoPadding").getProvider().getName());
        assertEquals("SunJCE", h.createMac("HmacSHA384").getProvider().getName());
    }

    @Test
    void key_exchange_and_signatures_stay_with_bouncy_castle() throws Exception {
        JcaJceHelper h = helper();
        assertEquals("BC", h.createKeyAgreement("ECDH").getProvider().getName());
        assertEquals("BC", h.createKeyPairGenerator("EC").getProvider().getName());
        assertEquals("BC", h.createSignature("SHA256withRSA").getProvider().getName());
    }
}
