package io.trunkgate.media.sdp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SDES {@code a=crypto} attribute value (RFC 4568 section 9.1):
 * {@code <tag> <crypto-suite> inline:<key||salt>[|<lifetime>][|<mki>:<length>][;inline:...] [<session-params>]}.
 * Parsing accepts any suite name, so an offer of unknown suites can be refused with a precise reason
 * ({@link #refusal()}); only lines with no refusal are usable (SRTP-1).
 */
public record CryptoAttribute(int tag, String suiteName, List<KeyParam> keys, List<String> sessionParams) {

    /** RFC 4568 section 6.1: the maximum lifetime of an SRTP master key is 2^48 packets. */
    public static final long MAX_LIFETIME = 1L << 48;
    /** MKI sizes we strip from incoming packets ourselves (jitsi-srtp knows no MKI). */
    public static final int MAX_MKI_LENGTH = 4;

    private static final Pattern TAG = Pattern.compile("[0-9]{1,9}");
    private static final Pattern KEY_INFO = Pattern.compile(
            "inline:([A-Za-z0-9+/=]+)(?:\\|(2\\^[0-9]{1,2}|[0-9]{1,15}))?(?:\\|([0-9]{1,10}):([0-9]{1,3}))?");

    /** One inline key parameter; {@code mkiLength} 0 means no MKI; {@code lifetime} 0 means not given. */
    public record KeyParam(byte[] keySalt, long lifetime, long mkiValue, int mkiLength) {
        public KeyParam {
            keySalt = keySalt.clone();
        }

        @Override
        public byte[] keySalt() {
            return keySalt.clone();
        }

        @Override
        public String toString() {
            return "KeyParam[lifetime=" + lifetime + ", mki=" + mkiValue + ":" + mkiLength + "]";
        }
    }

    public CryptoAttribute {
        keys = List.copyOf(keys);
        sessionParams = List.copyOf(sessionParams);
    }

    /** Ours: one inline key, no lifetime, no MKI, no session parameters. */
    public static CryptoAttribute of(int tag, MasterKey key) {
        byte[] keySalt = Base64.getDecoder().decode(key.inline());
        return new CryptoAttribute(tag, key.suite().sdpName(), List.of(new KeyParam(keySalt, 0, 0, 0)), List.of());
    }

    /**
     * Parses the value after {@code a=crypto:}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static CryptoAttribute parse(String value) {
        String[] parts = value.trim().split("[ \t]+");
        if (parts.length < 3) {
            throw new IllegalArgumentException("a=crypto needs a tag, a suite and key parameters: '" + value + "'");
        }
        if (!TAG.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("a=crypto tag must be 1 to 9 digits: '" + parts[0] + "'");
        }
        List<KeyParam> keys = new ArrayList<>();
        for (String keyParam : parts[2].split(";")) {
            keys.add(parseKeyParam(keyParam));
        }
        List<String> session = List.of(parts).subList(3, parts.length);
        return new CryptoAttribute(Integer.parseInt(parts[0]), parts[1], keys, session);
    }

    private static KeyParam parseKeyParam(String keyParam) {
        Matcher m = KEY_INFO.matcher(keyParam);
        if (!m.matches()) {
            throw new IllegalArgumentException("a=crypto key parameter is not 'inline:key||salt[|lifetime][|mki:length]': '"
                    + keyParam + "'");
        }
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a=crypto inline key is not base64: " + e.getMessage());
        }
        long lifetime = 0;
        if (m.group(2) != null) {
            String l = m.group(2);
            lifetime = l.startsWith("2^") ? lifetimePower(Integer.parseInt(l.substring(2))) : Long.parseLong(l);
        }
        long mkiValue = 0;
        int mkiLength = 0;
        if (m.group(3) != null) {
            mkiValue = Long.parseLong(m.group(3));
            mkiLength = Integer.parseInt(m.group(4));
            if (mkiLength < 1 || mkiLength > 128) {
                throw new IllegalArgumentException("a=crypto MKI length must be 1..128: " + mkiLength);
            }
        }
        return new KeyParam(keySalt, lifetime, mkiValue, mkiLength);
    }

    private static long lifetimePower(int exponent) {
        // above 2^48 is refused anyway; cap to keep the value representable
        return exponent >= 62 ? Long.MAX_VALUE : 1L << exponent;
    }

    public Optional<CryptoSuite> suite() {
        return CryptoSuite.bySdpName(suiteName);
    }

    /** Why we cannot use this line, or empty when we can. */
    public Optional<String> refusal() {
        Optional<CryptoSuite> suite = suite();
        if (suite.isEmpty()) {
            return Optional.of("unsupported crypto suite " + suiteName);
        }
        if (keys.size() != 1) {
            return Optional.of(suiteName + " with " + keys.size() + " keys (MKI key switching is not supported)");
        }
        KeyParam key = keys.get(0);
        int expected = suite.get().keyLength() + suite.get().saltLength();
        if (key.keySalt.length != expected) {
            return Optional.of(suiteName + " inline key has " + key.keySalt.length + " bytes, expected " + expected);
        }
        if (key.lifetime > MAX_LIFETIME) {
            return Optional.of(suiteName + " key lifetime above 2^48 packets");
        }
        if (key.mkiLength > MAX_MKI_LENGTH) {
            return Optional.of(suiteName + " MKI of " + key.mkiLength + " bytes cannot be honoured (at most "
                    + MAX_MKI_LENGTH + ")");
        }
        if (key.mkiLength > 0 && key.mkiValue >= 1L << (8 * key.mkiLength)) {
            return Optional.of(suiteName + " MKI value " + key.mkiValue + " does not fit in " + key.mkiLength + " bytes");
        }
        for (String p : sessionParams) {
            // WSH (replay window hint) is advisory; everything else changes the packet format or the KDF.
            if (!p.startsWith("WSH=") && !p.equals("KDR=0")) {
                return Optional.of(suiteName + " session parameter " + p + " is not supported");
            }
        }
        return Optional.empty();
    }

    /** The master key of a usable line ({@link #refusal()} empty). */
    public MasterKey masterKey() {
        return MasterKey.fromKeySalt(suite().orElseThrow(), keys.get(0).keySalt);
    }

    /** The MKI the sender of this key appends to its packets, or null. */
    public Mki mki() {
        KeyParam key = keys.get(0);
        return key.mkiLength == 0 ? null : new Mki(key.mkiValue, key.mkiLength);
    }

    /** The attribute value (without {@code a=crypto:}). */
    public String format() {
        StringBuilder sb = new StringBuilder().append(tag).append(' ').append(suiteName).append(' ');
        for (int i = 0; i < keys.size(); i++) {
            KeyParam k = keys.get(i);
            sb.append(i == 0 ? "" : ";").append("inline:").append(Base64.getEncoder().encodeToString(k.keySalt));
            if (k.lifetime > 0) {
                sb.append('|').append(Long.bitCount(k.lifetime) == 1 ? "2^" + Long.numberOfTrailingZeros(k.lifetime)
                        : Long.toString(k.lifetime));
            }
            if (k.mkiLength > 0) {
                sb.append('|').append(k.mkiValue).append(':').append(k.mkiLength);
            }
        }
        for (String p : sessionParams) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "a=crypto:" + tag + " " + suiteName + " " + keys + " " + sessionParams;
    }
}
