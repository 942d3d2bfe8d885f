package io.trunkgate.media;

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

    /** Touching this class runs the setup exactly once. */
    static Logger logger() {
        return JITSI_LOGGER;
    }
}
