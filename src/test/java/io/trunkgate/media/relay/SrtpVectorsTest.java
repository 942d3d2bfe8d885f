package io.trunkgate.media.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B vectors and libsrtp's reference packets, through our own use of jitsi-srtp (SRTP-1). */
class SrtpVectorsTest {

    static final HexFormat HEX = HexFormat.of();
    /** RFC 3711 B.3 master key and salt (also libsrtp's srtp_driver test key). */
    static final byte[] B3_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    static final byte[] B3_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
    /** libsrtp srtp_driver reference plaintext: header + 16 x 0xab. */
    static final byte[] RTP_PLAIN = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
    static final byte[] RTP_SRTP_80 = HEX.parseHex(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    static final byte[] RTCP_PLAIN = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
    /** Produced by libsrtp 2.5 (Debian) for the key above, SRTCP index 1, both AES-CM suites (SRTCP tag is 80 bits). */
    static final byte[] RTCP_SRTCP = HEX.parseHex(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

    @Test
    void srtp1AesCmKeystreamRfc3711B2() throws Exception {
        SrtpSetup.logger();
        SrtpCipherCtr ctr = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
        ctr.init(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"), null);
        ctr.setIV(HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000"), Cipher.ENCRYPT_MODE);
        byte[] stream = new byte[0x10000 * 16];
        ctr.process(stream, 0, stream.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0",
                HEX.formatHex(stream, 0, 48));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae6a2cc3787889374fbeb4c81b17ba6c44",
                HEX.formatHex(stream, 0xfeff * 16, 0xff02 * 16));
    }

    /**
     * RFC 3711 B.3 session keys (cipher key, cipher salt, auth key) are internal to jitsi-srtp, so they are
     * checked by what they produce: our protected packet must equal one built with raw JCE from the B.3 keys.
     */
    @Test
    void srtp1KeyDerivationRfc3711B3() throws Exception {
        byte[] cipherKey = HEX.parseHex("c61e7a93744f39ee10734afe3ff7a087");
        byte[] cipherSalt = HEX.parseHex("30cbbc08863d8c85d49db34a9ae1");
        byte[] authKey = HEX.parseHex("cebe321f6ff7716b6fd4ab49af256a156d38baa4");

        byte[] expected = referenceProtect(RTP_PLAIN, cipherKey, cipherSalt, authKey);
        byte[] actual = protect(CryptoSuite.AES_CM_128_HMAC_SHA1_80, RTP_PLAIN);
        assertEquals(HEX.formatHex(expected), HEX.formatHex(actual));
    }

    @Test
    void srtp1MatchesLibsrtpReferencePackets() {
        assertArrayEquals(RTP_SRTP_80, protect(CryptoSuite.AES_CM_128_HMAC_SHA1_80, RTP_PLAIN));
        assertArrayEquals(Arrays.copyOf(RTP_SRTP_80, RTP_SRTP_80.length - 6),
                protect(CryptoSuite.AES_CM_128_HMAC_SHA1_32, RTP_PLAIN));

        MasterKey key = new MasterKey(CryptoSuite.AES_CM_128_HMAC_SHA1_80, B3_KEY, B3_SALT);
        try (SrtpProtector p = new SrtpProtector(key)) {
            // jitsi-srtp's first SRTCP index is 0, libsrtp's is 1: spend index 0 first
            assertEquals(Optional.empty(), p.protectRtcp(PacketBuffer.copyOf(RTCP_PLAIN)));
            PacketBuffer rtcp = PacketBuffer.copyOf(RTCP_PLAIN);
            assertEquals(Optional.empty(), p.protectRtcp(rtcp));
            assertArrayEquals(RTCP_SRTCP, rtcp.toArray());
        }
        try (SrtpUnprotector u = new SrtpUnprotector(key)) {
            PacketBuffer srtp = PacketBuffer.copyOf(RTP_SRTP_80);
            assertEquals(Optional.empty(), u.unprotectRtp(srtp));
            assertArrayEquals(RTP_PLAIN, srtp.toArray());
            PacketBuffer srtcp = PacketBuffer.copyOf(RTCP_SRTCP);
            assertEquals(Optional.empty(), u.unprotectRtcp(srtcp));
            assertArrayEquals(RTCP_PLAIN, srtcp.toArray());
        }
    }

    static byte[] protect(CryptoSuite suite, byte[] plain) {
        try (SrtpProtector p = new SrtpProtector(new MasterKey(suite, B3_KEY, B3_SALT))) {
            PacketBuffer b = PacketBuffer.copyOf(plain);
            assertTrue(p.protectRtp(b).isEmpty());
            return b.toArray();
        }
    }

    /** RFC 3711 4.1.1 and 4.2.1 by hand: AES-CM IV = salt*2^16 ^ SSRC*2^64 ^ index*2^16; tag over header||payload||ROC. */
    static byte[] referenceProtect(byte[] plain, byte[] key, byte[] salt, byte[] authKey) throws Exception {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= plain[8 + i];
        }
        iv[12] ^= plain[2];
        iv[13] ^= plain[3];
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] out = Arrays.copyOf(plain, plain.length + 10);
        aes.doFinal(plain, 12, plain.length - 12, out, 12);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        mac.update(out, 0, plain.length);
        byte[] tag = mac.doFinal(ByteBuffer.allocate(4).putInt(0).array());
        System.arraycopy(tag, 0, out, plain.length, 10);
        return out;
    }
}
