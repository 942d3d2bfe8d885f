package io.trunkgate.observe;

import java.nio.charset.StandardCharsets;

/**
 * A SIP message's kind for the metrics' low-cardinality label, read from its first bytes without parsing: the method
 * of a request (the RFC methods; anything else is "other") or the status class of a response ("2xx").
 */
final class SipKinds {

    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "UPDATE",
        "INFO", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH"};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};
    private static final byte[] SIP = "SIP/2.0 ".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = (METHODS[i] + " ").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private SipKinds() {
    }

    /** INVITE, BYE, ..., 1xx .. 6xx, or other. */
    static String of(byte[] m) {
        if (startsWith(m, SIP)) {
            int c = m.length > SIP.length ? m[SIP.length] - '1' : -1;
            return c >= 0 && c < CLASSES.length ? CLASSES[c] : "other";
        }
        for (int i = 0; i < METHOD_BYTES.length; i++) {
            if (startsWith(m, METHOD_BYTES[i])) {
                return METHODS[i];
            }
        }
        return "other";
    }

    /** The class of a status code: 2xx. */
    static String statusClass(int status) {
        int c = status / 100 - 1;
        return c >= 0 && c < CLASSES.length ? CLASSES[c] : "other";
    }

    private static boolean startsWith(byte[] m, byte[] prefix) {
        if (m.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (m[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
