package io.trunkgate.media.sdp;

import java.util.Arrays;
import java.util.Optional;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The SDES crypto suites we carry (RFC 4568 section 6.2, RFC 7714 section 14.2), with the jitsi-srtp policy
 * each one maps to. Lengths are in bytes. The order here is not a preference: the offerer's order wins.
 */
public enum CryptoSuite {

    AES_CM_128_HMAC_SHA1_80(SrtpPolicy.AESCM_ENCRYPTION, 16, 14, 10, 10),
    // RFC 4568 6.2.2: the 32-bit tag is for SRTP only; SRTCP keeps its 80-bit tag.
    AES_CM_128_HMAC_SHA1_32(SrtpPolicy.AESCM_ENCRYPTION, 16, 14, 4, 10),
    // RFC 7714: AEAD; the 16-byte GCM tag is part of the cipher text, master salt is 12 bytes.
    AEAD_AES_128_GCM(SrtpPolicy.AESGCM_ENCRYPTION, 16, 12, 16, 16),
    AEAD_AES_256_GCM(SrtpPolicy.AESGCM_ENCRYPTION, 32, 12, 16, 16);

    /** The suites we put into our own offers toward the remote (both AES-CM suites). */
    public static final java.util.List<CryptoSuite> OFFERED = java.util.List.of(AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32);

    private final int encType;
    private final int keyLength;
    private final int saltLength;
    private final int srtpTagLength;
    private final int srtcpTagLength;

    CryptoSuite(int encType, int keyLength, int saltLength, int srtpTagLength, int srtcpTagLength) {
        this.encType = encType;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.srtpTagLength = srtpTagLength;
        this.srtcpTagLength = srtcpTagLength;
    }

    /** The suite named in an a=crypto line (case-sensitive, as RFC 4568 registers them). */
    public static Optional<CryptoSuite> bySdpName(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }

    public String sdpName() {
        return name();
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    public boolean aead() {
        return encType == SrtpPolicy.AESGCM_ENCRYPTION;
    }

    /** Bytes of the SRTP authentication tag (for AEAD: the GCM tag inside the cipher text). */
    public int srtpTagLength() {
        return srtpTagLength;
    }

    public int srtcpTagLength() {
        return srtcpTagLength;
    }

    public SrtpPolicy srtpPolicy() {
        return policy(srtpTagLength);
    }

    public SrtpPolicy srtcpPolicy() {
        return policy(srtcpTagLength);
    }

    private SrtpPolicy policy(int tagLength) {
        if (aead()) {
            // jitsi-srtp: GCM takes no separate auth key; the tag length is the GCM tag.
            return new SrtpPolicy(encType, keyLength, SrtpPolicy.NULL_AUTHENTICATION, 0, tagLength, saltLength);
        }
        return new SrtpPolicy(encType, keyLength, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, tagLength, saltLength);
    }
}
