package io.trunkgate.tls;

import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Registers Bouncy Castle (BC) and its JSSE provider (BCJSSE) at the end of the provider list: SunJSSE stays the
 * JVM's default, BCJSSE is used only where trunkgate names it (platform facts).
 */
public final class Providers {

    public static final String JSSE = "BCJSSE";

    /** BCJSSE reports through java.util.logging at INFO on every start: keep only its warnings (held: JUL keeps weak refs). */
    private static final java.util.logging.Logger BC_JUL = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");
    /** It warns on every start that it cannot parse two entries of JDK 17's jdk.certpath.disabledAlgorithms: harmless. */
    private static final java.util.logging.Logger BC_CONSTRAINTS_JUL =
            java.util.logging.Logger.getLogger("org.bouncycastle.jsse.provider.DisabledAlgorithmConstraints");

    private Providers() {
    }

    public static synchronized void ensure() {
        BC_JUL.setLevel(java.util.logging.Level.WARNING);
        BC_CONSTRAINTS_JUL.setLevel(java.util.logging.Level.SEVERE);
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        if (Security.getProvider(JSSE) == null) {
            // BCJSSE's handshake crypto through the BC provider (its P-384 field arithmetic: 0.62x openssl in full
            // handshakes against 0.53x through SunEC, same run), its record layer through SunJCE (JsseCrypto)
            Security.addProvider(new BouncyCastleJsseProvider(false,
                    new JsseCrypto(Security.getProvider(BouncyCastleProvider.PROVIDER_NAME))));
        }
    }
}
