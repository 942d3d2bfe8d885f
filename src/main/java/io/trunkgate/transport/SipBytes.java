package io.trunkgate.transport;

import java.nio.charset.StandardCharsets;

/** What a log line can say of a SIP message known only as bytes (framed but not parsed, or not parseable). */
public final class SipBytes {

    private SipBytes() {
    }

    /** The start line (at most 200 bytes read), for log lines. */
    public static String startLine(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
        int eol = text.indexOf('\r');
        return (eol >= 0 ? text.substring(0, eol) : text).strip();
    }
}
