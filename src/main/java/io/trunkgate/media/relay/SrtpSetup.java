package io.trunkgate.media.relay;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * One-time jitsi-srtp setup. The AES factory is forced to SunJCE: its bundled OpenSSL 3 library was slower
 * here than pure Java (see platform-facts.md), and pure Java behaves the same on every machine.
 */
final class SrtpSetup {

    static final Logger JITSI_LOGGER;

    static {
        Aes.setFactoryClassName("SunJCE");
        JITSI_LOGGER = new LoggerImpl("io.trunkgate.media.jitsi-srtp");
    }

    private SrtpSetup() {
    }

    /**
     * Runs the one-time costs (native library probe, AES factory election) now rather than on a call's
     * first packet, which otherwise stalls for up to seconds.
     */
    static void warmUp() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (CryptoSuite suite : new CryptoSuite[] {CryptoSuite.AES_CM_128_HMAC_SHA1_80, CryptoSuite.AEAD_AES_128_GCM}) {
            try (SrtpProtector p = new SrtpProtector(MasterKey.generate(suite, random))) {
                byte[] rtp = new byte[32];
                rtp[0] = (byte) 0x80;
                p.protectRtp(PacketBuffer.copyOf(rtp));
            }
        }
    }

    /** Touching this class runs the setup exactly once. */
    static Logger logger() {
        return JITSI_LOGGER;
    }
}
