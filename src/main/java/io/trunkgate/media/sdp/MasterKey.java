package io.trunkgate.media.sdp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SRTP master key and salt for one suite: what an SDES {@code inline:} key parameter carries
 * (base64 of key || salt, RFC 4568 section 6.1).
 */
public final class MasterKey {

    private final CryptoSuite suite;
    private final byte[] key;
    private final byte[] salt;

    public MasterKey(CryptoSuite suite, byte[] key, byte[] salt) {
        if (key.length != suite.keyLength() || salt.length != suite.saltLength()) {
            throw new IllegalArgumentException(suite + " needs a " + suite.keyLength() + "-byte key and a "
                    + suite.saltLength() + "-byte salt, not " + key.length + " and " + salt.length);
        }
        this.suite = suite;
        this.key = key.clone();
        this.salt = salt.clone();
    }

    /** A fresh key for our sending direction (from SecureRandom, new on every offer/answer). */
    public static MasterKey generate(CryptoSuite suite, SecureRandom random) {
        byte[] key = new byte[suite.keyLength()];
        byte[] salt = new byte[suite.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        return new MasterKey(suite, key, salt);
    }

    /** From the decoded inline value; the length must match the suite exactly. */
    public static MasterKey fromKeySalt(CryptoSuite suite, byte[] keySalt) {
        if (keySalt.length != suite.keyLength() + suite.saltLength()) {
            throw new IllegalArgumentException(suite + " needs " + (suite.keyLength() + suite.saltLength())
                    + " bytes of key||salt, the inline key has " + keySalt.length);
        }
        return new MasterKey(suite, Arrays.copyOf(keySalt, suite.keyLength()),
                Arrays.copyOfRange(keySalt, suite.keyLength(), keySalt.length));
    }

    public CryptoSuite suite() {
        return suite;
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** base64(key || salt) as written after {@code inline:}. */
    public String inline() {
        byte[] both = Arrays.copyOf(key, key.length + salt.length);
        System.arraycopy(salt, 0, both, key.length, salt.length);
        return Base64.getEncoder().encodeToString(both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey m && m.suite == suite && Arrays.equals(m.key, key) && Arrays.equals(m.salt, salt);
    }

    @Override
    public int hashCode() {
        return suite.hashCode() * 31 + Arrays.hashCode(key);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "MasterKey[" + suite + "]";
    }
}
