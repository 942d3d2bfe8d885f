package io.trunkgate.media.relay;

/** Why the relay dropped a packet instead of forwarding it (counted, never forwarded). */
public enum DropCause {
    /** SRTP/SRTCP authentication tag wrong: tampered, wrong key, or not SRTP at all. */
    AUTH_FAILED,
    /** Index already seen or behind the replay window (RFC 3711 3.3.2). */
    REPLAYED,
    /** Too short, not RTP version 2, or otherwise not a packet we can process. */
    MALFORMED,
    /** The packet's MKI is not the one announced in SDP. */
    UNKNOWN_MKI,
    /** More SSRCs than one call may carry: no new crypto context is made. */
    SSRC_LIMIT,
    /** Plain RTP from an address other than the latched one (SRTP re-latches only on authenticated packets). */
    NOT_LATCHED,
    /** Nowhere to send yet: the other side's address is unknown (no answer, port 0). */
    NO_DESTINATION,
    /** Our own protect step refused the packet (e.g. the inside repeated a sequence number). */
    PROTECT_FAILED,
    /** The operating system did not take the packet: our socket's send buffer was full, or the send failed. */
    SEND_FAILED
}
