package io.trunkgate.media.sdp;

import java.util.Locale;

/** A trunk's {@code media.srtp} setting (SRTP-2: media security is per trunk). */
public enum MediaSecurity {
    /** Only RTP/SAVP with a usable a=crypto is accepted from the remote; we offer RTP/SAVP. */
    REQUIRED,
    /** SRTP when the remote does it, plain RTP otherwise; we offer RTP/AVP with a=crypto (best effort). */
    OPTIONAL,
    /** Plain RTP only. */
    OFF;

    /** From the configuration word {@code required|optional|off}. */
    public static MediaSecurity parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("media.srtp must be required, optional or off, not '" + value + "'");
        }
    }
}
